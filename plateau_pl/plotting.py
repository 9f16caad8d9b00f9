"""Figures from records: decay plots with error bars, fitted slopes and theory overlays.

Plotting reads records only (a list of dicts, or a JSON-lines file written by a sweep) and never
imports torch or PennyLane: computing and plotting never share a process. Everything here draws
on :class:`matplotlib.figure.Figure` objects, so no GUI backend (and no ``pyplot`` state) is
involved and no figure needs closing.

Each measured value ``<name>`` is drawn with error bars from ``<name>_stderr``; on a log y-axis
an exponential decay ``y ∝ 2^{r x}`` is a straight line, and the legend reports the fitted
rate ``r = slope/ln 2`` (log₂ y per added qubit, the wording of ``summary.md``) with its
standard error from :func:`plateau_pl.stats.fit_decay`; the dotted fit lines get
one legend entry saying which points were fitted (``fit (dotted), n_h ≥ 1``). Legends sit below
their axes, never over the data.

**Example**

>>> from plateau_pl.plotting import legend_labels, plot_decay
>>> recs = [{"model": "qnn", "ansatz": "random_two_local", "n_hidden": h,
...          "trace_distance": 0.5 * 2.0 ** (-h / 2), "trace_distance_stderr": 0.001}
...         for h in range(6)]
>>> fig, ax = plot_decay(recs, "trace_distance")
>>> legend_labels(ax)
['qnn random_two_local: fitted rate −0.50 ± 0.00 log₂ y per qubit', 'fit (dotted), n_h ≥ 1']
>>> ax.get_yscale(), ax.get_xlabel()
('log', 'hidden qubits n_h')
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.container import ErrorbarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from plateau_pl._io import atomic_write
from plateau_pl._validation import (
    check_bool,
    check_file_path,
    check_float,
    check_instance,
    check_record_list,
)
from plateau_pl.errors import ConfigurationError, PlateauTypeError
from plateau_pl.records import load_records
from plateau_pl.stats import fit_decay

__all__ = [
    "AXIS_LABELS",
    "THEORY_LABELS",
    "decay_rates",
    "figure_area_law",
    "figure_gradient_variance",
    "figure_haar_states",
    "figure_lipschitz",
    "figure_mcclean",
    "figure_noise",
    "figure_overview",
    "figure_shot_budget",
    "figure_trace_distance",
    "figure_trainability",
    "legend_labels",
    "plot_decay",
    "plot_records",
    "save_figure",
    "trainability_label",
]

AXIS_LABELS: dict[str, str] = {
    "n_hidden": "hidden qubits n_h",
    "n_visible": "visible qubits n_v",
    "n_qubits": "qubits n",
    "n_layers": "layers L",
    "beta": "inverse temperature β",
    "delta": "step δ",
    "trace_distance": "mean trace distance to I/D_v",
    "purity": "mean purity Tr ρ_v²",
    "entropy": "mean entanglement entropy S(ρ_v) (nats)",
    "grad_variance": "gradient variance (mean over parameters)",
    "grad_inf_norm_variance": r"variance of $\|\nabla f\|_\infty$",
    "grad_variance_hidden": "gradient variance (hidden-touching parameters)",
    "grad_variance_visible": "gradient variance (visible-only parameters)",
    "lipschitz_ratio": "finite-difference ratio E|Δf|/δ",
    "final_loss": "best loss reached (mean over seeds)",
    "shots_for_snr": "shots per circuit for the target SNR",
    "steps_to_threshold": "steps to the threshold (censored at the budget)",
    "success_fraction": "fraction of seeds reaching the threshold",
}
"""Readable axis labels of record fields (a field not listed is labelled by its name)."""

THEORY_LABELS: dict[str, str] = {
    "haar_trace_distance": "Haar (exact)",
    "haar_trace_distance_bound": "Haar bound (from the Haar purity)",
    "paper_trace_distance_bound": "Haar bound ½√(D_v/D_h) (volume law)",
    "haar_purity": "Haar",
    "page_entropy": "Haar (Page entropy, volume law)",
    "entropy_bound": "area-law bound min(L·n_cross, n_v, n_h)·ln 2",
    "haar_grad_variance": "Haar",
    "lipschitz_bound": "bound (Eq. A12)",
}
"""Legend labels of the theory fields drawn as dashed lines."""

DEFAULT_SERIES = ("model", "ansatz", "hamiltonian", "normalize")
"""Record fields whose values name a series by default."""

_THEORY_FOR = {
    "trace_distance": ("haar_trace_distance", "paper_trace_distance_bound"),
    "purity": ("haar_purity",),
    "entropy": ("page_entropy", "entropy_bound"),
    "grad_variance": ("haar_grad_variance",),
    "lipschitz_ratio": ("lipschitz_bound",),
}
_MEASURED = (
    "trace_distance",
    "grad_variance",
    "grad_inf_norm_variance",
    "grad_variance_hidden",
    "grad_variance_visible",
    "purity",
    "entropy",
    "lipschitz_ratio",
)
_DECAYING = {
    "trace_distance",
    "grad_variance",
    "grad_inf_norm_variance",
    "grad_variance_hidden",
    "grad_variance_visible",
    "lipschitz_ratio",
}
# Fields that split a series further when the requested ones leave repeated x values.
_DISAMBIGUATE = (
    "experiment",
    "n_visible",
    "n_hidden",
    "n_layers",
    "beta",
    "weight_dist",
    "observable",
    "device",
    "diff_method",
    "shots",
    "delta",
)
_DASHES = ("--", (0, (5, 2, 1, 2)), (0, (2, 2)), (0, (8, 3)))
_PANEL = (6.4, 4.5)
_AREA_LAW_SIZE = (11.0, 5.3)  # per row of two panels: 1650 px wide at save_figure's dpi


# --------------------------------------------------------------------------- reading records


def _as_records(records) -> list[dict]:
    if isinstance(records, (str, os.PathLike)):
        path = Path(records)
        if "\x00" in str(records) or not str(records):
            raise ConfigurationError(f"records must name a file; got {records!r}")
        if not path.exists():
            raise ConfigurationError(f"records file {str(path)!r} does not exist")
        if path.is_dir():
            raise ConfigurationError(
                f"records file {str(path)!r}: Is a directory (records are a JSON-lines file)"
            )
        return load_records(path)
    if isinstance(records, Mapping):
        return [dict(records)]
    if not isinstance(records, Iterable):
        raise PlateauTypeError(
            "records must be a list of dicts or a path to a JSON-lines file; "
            f"got {type(records).__name__}"
        )
    return check_record_list(records)


def _number(value) -> float | None:
    """``value`` as a finite float, or ``None`` (missing, null, NaN, text, bool)."""
    if value is None or isinstance(value, (bool, str)):
        return None
    try:
        v = float(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int past any float
        return None
    return v if math.isfinite(v) else None


def _field(rec: Mapping, key: str) -> float | None:
    if key == "n_qubits" and rec.get("n_qubits") is None:
        n_v, n_h = _number(rec.get("n_visible")), _number(rec.get("n_hidden"))
        return None if n_v is None or n_h is None else n_v + n_h
    return _number(rec.get(key))


def _experiments_found(records: Sequence[Mapping]) -> str:
    names = sorted({str(r["experiment"]) for r in records if r.get("experiment") is not None})
    return ", ".join(repr(n) for n in names) if names else "none (no 'experiment' field)"


def _select(records, experiment: str | Sequence[str]) -> list[dict]:
    records = _as_records(records)
    if isinstance(experiment, str):
        wanted = (experiment,)
    elif (
        isinstance(experiment, (list, tuple))
        and experiment
        and all(isinstance(e, str) for e in experiment)
    ):
        wanted = tuple(experiment)
    else:
        raise PlateauTypeError(
            f"experiment must be a name or a non-empty list of names; got {experiment!r:.80}"
        )
    chosen = [r for r in records if r.get("experiment") in wanted]
    if not chosen:
        raise ConfigurationError(
            f"no records with experiment {wanted[0]!r} in the input; "
            f"found: {_experiments_found(records)}"
        )
    return chosen


def _has(records: Iterable[Mapping], key: str) -> bool:
    return any(_number(r.get(key)) is not None for r in records)


# --------------------------------------------------------------------------- series


def _value_label(key: str, value, explicit: bool) -> str:
    return str(value) if explicit else f"{key}={value}"


def _series_key(rec: Mapping, keys: Sequence[str]) -> tuple:
    return tuple((k, rec[k]) for k in keys if rec.get(k) is not None)


def _group(records: list[dict], x: str, series: Sequence[str]) -> dict[str, list[dict]]:
    """Records with an x value grouped into series: ``{label: records sorted by x}``.

    When the requested ``series`` fields leave two points of a series at the same x (say, two
    values of ``n_visible``), fields from ``_DISAMBIGUATE`` that vary within such a series are
    added to the key, labelled ``field=value``.
    """
    usable = [r for r in records if _field(r, x) is not None]
    keys = [k for k in dict.fromkeys(series) if k != x]
    explicit = set(keys)

    def regroup() -> dict[tuple, list[dict]]:
        groups: dict[tuple, list[dict]] = {}
        for r in usable:
            groups.setdefault(_series_key(r, keys), []).append(r)
        return groups

    def clashing(groups) -> list[list[dict]]:
        return [g for g in groups.values() if len({_field(r, x) for r in g}) < len(g)]

    groups = regroup()
    for extra in _DISAMBIGUATE:
        clashes = clashing(groups)
        if not clashes:
            break
        if extra in keys or extra == x:
            continue
        if any(len({repr(r.get(extra)) for r in g}) > 1 for g in clashes):
            keys.append(extra)
            groups = regroup()
    labelled: dict[str, list[dict]] = {}
    for key, group in groups.items():
        label = " ".join(_value_label(k, v, k in explicit) for k, v in key) or "all records"
        labelled.setdefault(label, []).extend(group)
    return {
        label: sorted(labelled[label], key=lambda r: _field(r, x)) for label in sorted(labelled)
    }


def _points(group: list[dict], x: str, y: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x, y and the standard errors (NaN where missing) of the records with a y value."""
    rows = [
        (_field(r, x), _field(r, y), _field(r, f"{y}_stderr"))
        for r in group
        if _field(r, y) is not None
    ]
    xs = np.array([row[0] for row in rows], float)
    ys = np.array([row[1] for row in rows], float)
    errs = np.array([np.nan if row[2] is None else row[2] for row in rows], float)
    return xs, ys, errs


def _bound_points(group: list[dict], x: str, y: str) -> tuple[np.ndarray, np.ndarray]:
    """x and the 95 % upper bound ``<y>_upper95`` of the records whose ``y`` is zero: values
    below what a Pauli-path run resolved, drawn as bounds, never as zeros."""
    rows = [(_field(r, x), _field(r, f"{y}_upper95")) for r in group
            if _field(r, y) == 0 and _field(r, f"{y}_upper95") is not None]  # fmt: skip
    return np.array([r[0] for r in rows], float), np.array([r[1] for r in rows], float)


def _fit(xs, ys, errs, fit_min_x) -> tuple[float, float, float] | None:
    """``(slope, slope_stderr, intercept)`` of ln y on the fitted points, or ``None``."""
    mask = (xs >= fit_min_x) & (ys > 0)
    if len(np.unique(xs[mask])) < 2:
        return None
    fx, fy, fe = xs[mask], ys[mask], errs[mask]
    yerr = fe if np.all(np.isfinite(fe) & (fe > 0)) else None
    if yerr is None and len(fx) == 2:
        # two points fix the line: its slope, with no scatter to estimate an error from
        slope, stderr = float(np.diff(np.log(fy))[0] / np.diff(fx)[0]), 0.0
    else:
        slope, stderr = fit_decay(fx, fy, yerr)
    w = np.ones_like(fy) if yerr is None else (fy / yerr) ** 2
    intercept = float(np.sum(w * (np.log(fy) - slope * fx)) / np.sum(w))
    return slope, stderr, intercept


def _fmt_rate(rate: float, stderr: float) -> str:
    text = f"{rate:.2f}"
    if float(text) == 0:
        text = text.lstrip("-")  # no "−0.00"
    return text.replace("-", "−") + f" ± {stderr:.2f}"


def decay_rates(
    records,
    y: str,
    x: str = "n_hidden",
    series: Sequence[str] = DEFAULT_SERIES,
    fit_min_x: float = 1,
) -> dict[str, tuple[float, float]]:
    """Fitted decay rates per series, in powers of two per unit of ``x``.

    The rate is ``slope/ln 2`` of the weighted fit of ``ln y`` against ``x``
    (:func:`~plateau_pl.stats.fit_decay`, weights from ``<y>_stderr`` when every
    fitted point has a positive one) over the points with ``x >= fit_min_x`` and ``y > 0``:

    .. math::

        y \\propto 2^{r x}, \\qquad r = \\frac{d \\ln y / dx}{\\ln 2}.

    Args:
        records: a list of record dicts or a path to a JSON-lines file.
        y: the measured field.
        x: the field on the horizontal axis (``"n_qubits"`` defaults to
            ``n_visible + n_hidden``).
        series: fields whose values name a series (absent or ``None`` fields are left out).
        fit_min_x: the smallest x that enters the fit.

    Returns:
        ``{series label: (rate, rate_stderr)}`` for the series with at least two distinct fitted
        x values (a series of exactly two points without standard errors gets the slope of the
        line through them, with error 0: there is no scatter to estimate one from).

    **Example**

    >>> recs = [{"model": "qnn", "n_hidden": h, "grad_variance": 3 * 4.0 ** -h}
    ...         for h in range(1, 5)]
    >>> {k: round(v[0], 6) for k, v in decay_rates(recs, "grad_variance").items()}
    {'qnn': -2.0}
    """
    records = _as_records(records)
    y, x = _check_field(y, "y"), _check_field(x, "x")
    fit_min_x = check_float(fit_min_x, "fit_min_x", allow_inf=True)
    out = {}
    for label, group in _group(records, x, _as_tuple(series, "series")).items():
        found = _fit(*_points(group, x, y), fit_min_x)
        if found is not None:
            out[label] = (found[0] / math.log(2), found[1] / math.log(2))
    return out


def _as_tuple(value, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    try:
        items = tuple(value)
    except TypeError:
        raise PlateauTypeError(
            f"{name} must be a field name or a sequence of names; got {type(value).__name__}"
        ) from None
    for item in items:
        if not isinstance(item, str):
            raise PlateauTypeError(f"{name} must hold field names; got {item!r}")
    return items


def _check_field(value, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise PlateauTypeError(f"{name} must be a record field name (a string); got {value!r}")
    return value


def _fields_found(records: Sequence[Mapping]) -> str:
    keys = sorted({str(k) for r in records for k, v in r.items() if _number(v) is not None})
    return ", ".join(keys) if keys else "none"


def _series_name(series_label: str, label: str | None, n_series: int) -> str:
    if label is None:
        return series_label
    if "{series}" in label:
        return label.format(series=series_label)
    return label if n_series == 1 else f"{label}: {series_label}"


def _new_axes(ax: Axes | None) -> tuple[Figure, Axes]:
    if ax is None:
        fig = Figure(figsize=_PANEL, layout="constrained")
        return fig, fig.add_subplot()
    if not isinstance(ax, Axes):
        raise PlateauTypeError(f"ax must be a matplotlib Axes; got {type(ax).__name__}")
    return ax.figure, ax


def _check_text(value, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise PlateauTypeError(f"{name} must be a string or None; got {type(value).__name__}")
    return value


def _check_axes(axes, name: str = "axes") -> np.ndarray:
    """``axes`` (one Axes or several) as a 1-d object array, every entry an Axes."""
    out = np.atleast_1d(np.asarray(axes, dtype=object)).ravel()
    for i, ax in enumerate(out):
        if not isinstance(ax, Axes):
            raise PlateauTypeError(
                f"{name}[{i}] must be a matplotlib Axes; got {type(ax).__name__}"
            )
    if not out.size:
        raise PlateauTypeError(f"{name} must hold at least one matplotlib Axes; got none")
    return out


def _check_path(path, name: str) -> Path:
    """A path a figure can be written to (see :func:`plateau_pl._validation.check_file_path`)."""
    return check_file_path(path, name)


def plot_decay(
    records,
    y: str,
    x: str = "n_hidden",
    series: Sequence[str] = DEFAULT_SERIES,
    theory: Sequence[str] = (),
    ax: Axes | None = None,
    fit: bool = True,
    fit_min_x: float = 1,
    logy: bool = True,
    label: str | None = None,
    title: str | None = None,
) -> tuple[Figure, Axes]:
    """Plot a measured field against ``x``, one error-bar series per model, with fitted slopes.

    Records are grouped into series by the values of the ``series`` fields they have (e.g.
    ``"qnn random_two_local"``, ``"qbm random_two_local opnorm"``); if two points of a series
    share an x value, fields such as ``n_visible`` or ``n_layers`` that tell them apart are added
    to the label as ``field=value``. Each series is drawn with ``ax.errorbar`` (markers, error
    bars of length ``<y>_stderr``), sorted by x. With ``fit``, the points with
    ``x >= fit_min_x`` and ``y > 0`` are fitted by :func:`decay_rates` and the legend reads
    ``"<series>: fitted rate −0.98 ± 0.02 log₂ y per qubit"`` (per layer for ``x="n_layers"``);
    the fit is drawn as a dotted line in the series' colour (``gid="fit"``) and the legend has
    one entry for all fits, ``"fit (dotted), n_h ≥ 1"``, naming the first fitted x. The legend
    sits below the axes, so it never hides a point or a line. Each field in ``theory`` is drawn
    dashed: once if its values agree across series, else once per series in the series' colour
    (``gid="theory:<field>"``). Records missing ``x`` or ``y`` (or holding ``None``) are skipped.

    Args:
        records: a list of record dicts or a path to a JSON-lines file.
        y: the measured field, e.g. ``"grad_variance"``; error bars from ``f"{y}_stderr"``.
        x: the field on the horizontal axis; ``"n_qubits"`` defaults to
            ``n_visible + n_hidden`` when a record lacks it.
        series: fields whose values name a series.
        theory: theory fields to overlay, e.g. ``("haar_trace_distance",
            "paper_trace_distance_bound")``; fields without values are skipped.
        ax: draw into these axes (their figure is returned); a new figure when ``None``.
        fit: fit and report the decay rate of each series.
        fit_min_x: the smallest x that enters the fit.
        logy: use a logarithmic y axis.
        label: legend name of the series: with one series it replaces the series label; with
            several it is prefixed (``"label: series"``); ``"{series}"`` in it is replaced by
            the series label.
        title: the axes title.

    Returns:
        ``(fig, ax)``.

    Raises:
        ConfigurationError: no record has values for both ``x`` and ``y``.

    **Example**

    >>> recs = [{"model": m, "n_hidden": h, "grad_variance": s * 2.0 ** -h,
    ...          "grad_variance_stderr": 0.01 * s * 2.0 ** -h, "haar_grad_variance": 2.0 ** -h}
    ...         for m, s in [("qnn", 1.0), ("qbm", 0.5)] for h in range(4)]
    >>> fig, ax = plot_decay(recs, "grad_variance", theory=["haar_grad_variance"])
    >>> legend_labels(ax)
    ['qbm: fitted rate −1.00 ± 0.01 log₂ y per qubit',
     'qnn: fitted rate −1.00 ± 0.01 log₂ y per qubit', 'fit (dotted), n_h ≥ 1', 'Haar']
    >>> len(ax.containers), ax.containers[1].lines[0].get_xdata().tolist()
    (2, [0.0, 1.0, 2.0, 3.0])
    """
    records = _as_records(records)
    y, x = _check_field(y, "y"), _check_field(x, "x")
    series, theory = _as_tuple(series, "series"), _as_tuple(theory, "theory")
    fit, logy = check_bool(fit, "fit"), check_bool(logy, "logy")
    fit_min_x = check_float(fit_min_x, "fit_min_x", allow_inf=True)
    label, title = _check_text(label, "label"), _check_text(title, "title")
    groups = _group(records, x, series)
    data = {lab: _points(g, x, y) for lab, g in groups.items()}
    data = {lab: d for lab, d in data.items() if len(d[0])}
    if not data:
        raise ConfigurationError(
            f"no records have values for both {x!r} and {y!r}; "
            f"numeric fields found: {_fields_found(records)}"
        )
    fig, ax = _new_axes(ax)
    colors: dict[str, str] = {}
    names: dict[str, str] = {}
    for lab, (xs, ys, errs) in data.items():
        names[lab] = name = _series_name(lab, label, len(data))
        found = _fit(xs, ys, errs, fit_min_x) if fit else None
        legend = name
        if found is not None:
            rate = _fmt_rate(found[0] / math.log(2), found[1] / math.log(2))
            legend += f": fitted rate {rate} log₂ y per {_RATE_UNIT.get(x, 'unit of ' + x)}"
        yerr = None if np.all(np.isnan(errs)) else np.nan_to_num(errs, nan=0.0)
        container = ax.errorbar(
            xs, ys, yerr=yerr, marker="o", markersize=4, linewidth=1.2, capsize=3, label=legend
        )
        colors[lab] = container.lines[0].get_color()
        bx, by = _bound_points(groups[lab], x, y)
        if bx.size:
            ax.plot(bx, by, linestyle="none", marker="v", markersize=7, color=colors[lab],
                    label="_bound", gid="upper-bound")  # fmt: skip
        if found is not None:
            slope, _, intercept = found
            fx = np.linspace(xs[xs >= fit_min_x].min(), xs.max(), 50)
            _fit_key(ax, x, float(fx[0]))
            ax.plot(
                fx,
                np.exp(intercept + slope * fx),
                linestyle=":",
                linewidth=1.0,
                color=colors[lab],
                label="_fit",
                gid="fit",
            )
    if any(line.get_gid() == "upper-bound" for line in ax.lines):
        ax.plot([], [], linestyle="none", marker="v", color="0.3",
                label="95 % upper bound (below resolution)")  # fmt: skip
    for i, key in enumerate(theory):
        _draw_theory(ax, {lab: groups[lab] for lab in data}, x, key, colors, names, i)
    ax.set_xlabel(AXIS_LABELS.get(x, x))
    ax.set_ylabel(AXIS_LABELS.get(y, y))
    if logy and any(np.any(d[1] > 0) for d in data.values()):
        ax.set_yscale("log")
    if all(float(v).is_integer() for d in data.values() for v in d[0]):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if title is not None:
        ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    _legend(ax)
    return fig, ax


_X_SYMBOL = {"n_hidden": "n_h", "n_visible": "n_v", "n_qubits": "n", "n_layers": "L"}
_RATE_UNIT = {"n_hidden": "qubit", "n_visible": "qubit", "n_qubits": "qubit", "n_layers": "layer"}
_LEGEND_GAP = 4.0  # legend's gap below its axes, in legend font sizes: clears ticks and x label


def _fit_key(ax: Axes, x: str, first: float) -> None:
    """The one legend entry of the dotted fit lines: which points were fitted (``x ≥ first``,
    the smallest fitted x over the axes' series)."""
    key = next((ln for ln in ax.lines if ln.get_gid() == "fit-key"), None)
    if key is not None:
        first = min(first, key._plateau_first)
        key.remove()
    line = Line2D([], [], linestyle=":", linewidth=1.0, color="0.3", gid="fit-key",
                  label=f"fit (dotted), {_X_SYMBOL.get(x, x)} ≥ {first:g}")  # fmt: skip
    line._plateau_first = first
    ax.add_line(line)


def _legend(ax: Axes) -> None:
    """A legend below the axes (never over the data): the measured series first, then the
    fit's key and the theory lines, in drawing order."""
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(
        range(len(handles)),
        key=lambda i: 0 if isinstance(handles[i], ErrorbarContainer)
        else 1 if getattr(handles[i], "get_gid", lambda: None)() == "fit-key" else 2,
    )  # fmt: skip
    if not handles:
        return
    width = max(len(t) for t in labels)
    ncols = 2 if len(handles) > 3 and width <= 34 else 1
    ax.legend([handles[i] for i in order], [labels[i] for i in order], fontsize="small",
              loc="upper center", bbox_to_anchor=(0.5, 0.0), borderaxespad=_LEGEND_GAP,
              ncols=ncols, frameon=False)  # fmt: skip


def legend_labels(ax: Axes) -> list[str]:
    """The texts of ``ax``'s legend, in order (empty without a legend).

    >>> fig, ax = plot_decay([{"n_hidden": h, "purity": 2.0 ** -h} for h in range(3)], "purity")
    >>> legend_labels(ax)
    ['all records: fitted rate −1.00 ± 0.00 log₂ y per qubit', 'fit (dotted), n_h ≥ 1']
    """
    check_instance(ax, "ax", Axes, "a matplotlib Axes")
    legend = ax.get_legend()
    return [] if legend is None else [t.get_text() for t in legend.get_texts()]


def _draw_theory(ax, groups, x, key, colors, names, index) -> None:
    per_series = {}
    for lab, group in groups.items():
        values = {}
        for r in group:
            v = _field(r, key)
            if v is not None:
                values[_field(r, x)] = v
        if values:
            per_series[lab] = values
    if not per_series:
        return
    name = THEORY_LABELS.get(key, key)
    dash = _DASHES[index % len(_DASHES)]
    merged: dict[float, float] = {}
    identical = True
    for values in per_series.values():
        for xv, v in values.items():
            if xv in merged and not math.isclose(merged[xv], v, rel_tol=1e-9, abs_tol=1e-300):
                identical = False
            merged.setdefault(xv, v)
    if identical:
        curves = {None: merged}
    else:
        curves = per_series
    for lab, values in curves.items():
        xs = sorted(values)
        ax.plot(
            xs,
            [values[v] for v in xs],
            linestyle=dash,
            linewidth=1.2,
            color="0.25" if lab is None else colors[lab],
            label=name if lab is None else f"{name} ({names[lab]})",
            gid=f"theory:{key}",
        )


# --------------------------------------------------------------------------- figures


def _distinct(records: Iterable[Mapping], key: str) -> list[float]:
    return sorted({v for r in records if (v := _field(r, key)) is not None})


def _stated(records: Iterable[Mapping], key: str, symbol: str) -> str | None:
    """``"β = 1"`` (or ``"β = 0.5, 1"``) from the records' values of ``key``; None without."""
    values = _distinct(records, key)
    if not values:
        return None
    return f"{symbol} = " + ", ".join(f"{v:g}" for v in values)


def _with(title: str, *parts: str | None) -> str:
    parts = [p for p in parts if p]
    return title if not parts else f"{title} ({', '.join(parts)})"


def _panels(records, ys: Sequence[str], x: str, suptitle: str | None, max_cols: int = 3, **kw):
    """One panel per field of ``ys`` that has values, at most ``max_cols`` a row;
    ``(fig, axes)`` with the axes in reading order (unused grid cells removed)."""
    ys = [y for y in ys if _has(records, y)]
    if not ys:
        raise ConfigurationError(
            "no records have any of the measured fields "
            f"{', '.join(_MEASURED)}; numeric fields found: {_fields_found(records)}"
        )
    ncols = min(len(ys), max_cols)
    nrows = -(-len(ys) // ncols)
    fig = Figure(figsize=(_PANEL[0] * ncols, _PANEL[1] * nrows), layout="constrained")
    grid = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for extra in grid[len(ys) :]:
        extra.remove()
    axes = np.array(list(grid[: len(ys)]), dtype=object)
    for ax, y in zip(axes, ys, strict=True):
        theory = _THEORY_FOR.get(y, ())
        decaying = y in _DECAYING
        plot_decay(records, y, x, theory=theory, ax=ax, fit=decaying, logy=decaying, **kw)
    if suptitle:
        fig.suptitle(suptitle)
    return fig, axes


def figure_trace_distance(records) -> tuple[Figure, Axes]:
    """The paper's Fig. (a): trace distance of ρ_v to I/D_v against the number of hidden qubits.

    One series per model (QNN; QBM with and without ``normalize="opnorm"``), the exact Haar
    value (or, where there is no exact value, the Haar bound) and the paper's bound
    ½√(D_v/D_h), from the records with ``experiment == "trace-distance"``.

    Args:
        records: a list of record dicts or a path to a JSON-lines file.

    Returns:
        ``(fig, ax)``.

    Raises:
        ConfigurationError: no record has ``experiment == "trace-distance"``.

    **Example**

    >>> recs = [{"experiment": "trace-distance", "model": "qnn", "ansatz": "random_two_local",
    ...          "n_visible": 1, "n_hidden": h, "trace_distance": 0.5 * 2 ** (-h / 2),
    ...          "paper_trace_distance_bound": 0.5 * 2 ** (-h / 2)} for h in range(1, 4)]
    >>> fig, ax = figure_trace_distance(recs)
    >>> legend_labels(ax)[-1]
    'Haar bound ½√(D_v/D_h) (volume law)'
    """
    recs = _select(records, "trace-distance")
    theory = ["haar_trace_distance", "paper_trace_distance_bound"]
    if not _has(recs, "haar_trace_distance"):
        theory.insert(1, "haar_trace_distance_bound")
    beta = _stated([r for r in recs if r.get("model") == "qbm"], "beta", "QBM β")
    return plot_decay(
        recs,
        "trace_distance",
        theory=theory,
        title=_with("Visible-state trace distance to I/D_v vs hidden units", beta),
    )


def figure_gradient_variance(
    records, model: str = "qnn", y: str = "grad_variance"
) -> tuple[Figure, Axes]:
    """The paper's Fig. (b) (QNN) or (c) (QBM): gradient variance against hidden qubits.

    For ``model="qnn"`` the records with ``experiment == "qnn-gradient"`` are drawn with the
    Haar gradient variance (``haar_grad_variance``) dashed. For ``model="qbm"`` the records with
    ``experiment == "qbm-gradient"`` are drawn; when they report ``grad_variance_hidden`` /
    ``grad_variance_visible`` (parameters of hidden-touching and of visible-only terms, which
    the paper's Theorem 4 does not suppress), those two are drawn instead of the mean.

    Args:
        records: a list of record dicts or a path to a JSON-lines file.
        model: ``"qnn"`` or ``"qbm"``.
        y: the field to draw, e.g. ``"grad_inf_norm_variance"`` for the variance of the
            gradient's ∞-norm.

    Returns:
        ``(fig, ax)``.

    Raises:
        ConfigurationError: unknown ``model``, or no record of the matching experiment.

    **Example**

    >>> recs = [{"experiment": "qbm-gradient", "model": "qbm", "hamiltonian": "random_two_local",
    ...          "n_hidden": h, "beta": 1.0, "grad_variance_hidden": 4.0 ** -h,
    ...          "grad_variance_visible": 0.1} for h in range(1, 4)]
    >>> fig, ax = figure_gradient_variance(recs, model="qbm")
    >>> [t.split(":")[0] for t in legend_labels(ax)]
    ['qbm random_two_local, hidden-touching θ', 'qbm random_two_local, visible-only θ',
     'fit (dotted), n_h ≥ 1']
    >>> ax.get_title()
    'QBM gradient variance vs hidden units (β = 1)'
    """
    if model not in ("qnn", "qbm"):
        raise ConfigurationError(f"model must be 'qnn' or 'qbm'; got {model!r}")
    y = _check_field(y, "y")
    recs = _select(records, f"{model}-gradient")
    title = f"{model.upper()} gradient variance vs hidden units"
    if model == "qbm":
        title = _with(title, _stated(recs, "beta", "β"))
        if any(_field(r, "n_hidden") == 0 for r in recs):
            title += "\nn_h = 0: no hidden qubits, every parameter visible"
    else:
        title = _with(title, _stated(recs, "n_layers", "L"))
    split = [f for f in ("grad_variance_hidden", "grad_variance_visible") if _has(recs, f)]
    if model == "qbm" and y == "grad_variance" and split:
        fig, ax = _new_axes(None)
        for field in split:
            kind = "hidden-touching θ" if field.endswith("hidden") else "visible-only θ"
            plot_decay(recs, field, ax=ax, label=f"{{series}}, {kind}", title=title)
        ax.set_ylabel("gradient variance (mean over parameters)")
        return fig, ax
    theory = ("haar_grad_variance",) if y == "grad_variance" else ()
    return plot_decay(recs, y, theory=theory, title=title)


def figure_area_law(records) -> tuple[Figure, np.ndarray]:
    """Area-law ansatz against ``random_two_local``: gradient statistics and trace distance.

    Panels, two a row, from the records with ``experiment == "area-law"``: the gradient
    variance of the parameters acting on visible qubits only, the variance of the gradient's
    ∞-norm (the paper's statistic), the trace distance of ρ_v to I/D_v (with the exact Haar
    value and the Haar bound ½√(D_v/D_h): volume-law references that the area-law ansatz stays
    above) and the entanglement entropy S(ρ_v) (with Page's Haar value and the area-law bound
    ``entropy_bound`` = min(L·n_cross, n_v, n_h)·ln 2 it stays below), one series per ansatz.
    The title states the depth L and n_cross. (The mean over *all* parameters of the area-law
    ansatz is diluted by hidden parameters far from the cut, which is not a plateau.) A panel
    whose field no record has is left out.

    Args:
        records: a list of record dicts or a path to a JSON-lines file.

    Returns:
        ``(fig, axes)`` with one Axes per panel.

    Raises:
        ConfigurationError: no record has ``experiment == "area-law"``, or none has either field.

    **Example**

    >>> recs = [{"experiment": "area-law", "model": "qnn", "ansatz": a, "n_hidden": h,
    ...          "grad_variance_visible": 2.0 ** (-h * s),
    ...          "trace_distance": 0.5 * 2.0 ** (-h * s / 2)}
    ...         for a, s in [("area_law", 0), ("random_two_local", 1)] for h in range(1, 4)]
    >>> fig, axes = figure_area_law(recs)
    >>> [ax.get_ylabel() for ax in axes]
    ['gradient variance (visible-only parameters)', 'mean trace distance to I/D_v']
    >>> [round(v) for v in fig.get_size_inches() * 150]  # pixels at save_figure's dpi
    [1650, 795]
    """
    recs = _select(records, "area-law")
    fields = ("grad_variance_visible", "grad_inf_norm_variance", "trace_distance", "entropy")
    area = [r for r in recs if r.get("ansatz") == "area_law"]
    title = _with("Area-law vs volume-law ansätze", _stated(recs, "n_layers", "L"),
                  _stated(area, "n_cross", "n_cross"))  # fmt: skip
    fig, axes = _panels(recs, fields, "n_hidden", title, max_cols=2)
    fig.set_size_inches(_AREA_LAW_SIZE[0], _AREA_LAW_SIZE[1] * (1 if len(axes) <= 2 else 2))
    return fig, axes


def figure_mcclean(records) -> tuple[Figure, Axes]:
    """McClean et al.'s experiment: gradient variance against the number of qubits.

    From the records with ``experiment == "mcclean"`` (random-axis rotation circuits whose
    structure is redrawn for every draw); x is ``n_qubits`` (``n_visible + n_hidden`` where a
    record lacks it), with the Haar gradient variance dashed.

    Args:
        records: a list of record dicts or a path to a JSON-lines file.

    Returns:
        ``(fig, ax)``.

    Raises:
        ConfigurationError: no record has ``experiment == "mcclean"``.

    **Example**

    >>> recs = [{"experiment": "mcclean", "model": "qnn", "ansatz": "mcclean", "n_visible": 1,
    ...          "n_hidden": n - 1, "grad_variance": 0.1 * 2.0 ** -n} for n in (2, 4, 6)]
    >>> fig, ax = figure_mcclean(recs)
    >>> ax.get_xlabel(), ax.containers[0].lines[0].get_xdata().tolist()
    ('qubits n', [2.0, 4.0, 6.0])
    >>> recs = [{**r, "n_layers": 5 * (r["n_hidden"] + 1)} for r in recs]
    >>> figure_mcclean(recs)[1].get_title()
    'McClean circuits, structure redrawn per draw (L = 5n: 10–30 layers)'
    """
    recs = _select(records, "mcclean")
    return plot_decay(
        recs,
        "grad_variance",
        x="n_qubits",
        theory=("haar_grad_variance",),
        title=_with("McClean circuits, structure redrawn per draw", _depth(recs)),
    )


def _depth(recs: Sequence[Mapping]) -> str | None:
    """The depth of McClean records: ``"L = 10"``, or ``"L = 5n: 10–30 layers"`` when it
    grows with the qubits, or the list of depths."""
    layers = _distinct(recs, "n_layers")
    if len(layers) <= 1:
        return _stated(recs, "n_layers", "L")
    pairs = {(_field(r, "n_qubits"), _field(r, "n_layers")) for r in recs}
    ratios = {round(L / n, 9) for n, L in pairs if n and L is not None}
    span = f"{layers[0]:g}–{layers[-1]:g} layers"
    return f"L = {ratios.pop():g}n: {span}" if len(ratios) == 1 else f"L = {span}"


def figure_lipschitz(records, experiment: str | None = None) -> tuple[Figure, Axes]:
    """Ensemble finite-difference Lipschitz ratio against the paper's bound (its Eq. A12).

    Draws ``lipschitz_ratio`` with ``lipschitz_bound`` dashed, from every record that has a
    ratio (or only those of ``experiment``). The title states the step δ (``delta``) and, for
    QBM records, β; records without a bound (the QBM's) get a title that says so.

    Args:
        records: a list of record dicts or a path to a JSON-lines file.
        experiment: restrict to the records of this experiment.

    Returns:
        ``(fig, ax)``.

    Raises:
        ConfigurationError: no record (of ``experiment``) has a ``lipschitz_ratio``.

    **Example**

    >>> recs = [{"model": "qnn", "n_hidden": h, "lipschitz_ratio": 0.3 * 2 ** (-h / 2),
    ...          "lipschitz_bound": 2 ** (-h / 2)} for h in range(1, 5)]
    >>> fig, ax = figure_lipschitz(recs)
    >>> legend_labels(ax)[-1], ax.get_title()
    ('bound (Eq. A12)', 'Finite-difference Lipschitz ratio vs the bound of Eq. A12')
    """
    recs = _as_records(records) if experiment is None else _select(records, experiment)
    chosen = [r for r in recs if _number(r.get("lipschitz_ratio")) is not None]
    if not chosen:
        raise ConfigurationError(
            "no records with a 'lipschitz_ratio' value in the input; "
            f"experiments found: {_experiments_found(recs)}"
        )
    bound = _has(chosen, "lipschitz_bound")
    title = "Finite-difference Lipschitz ratio" + (" vs the bound of Eq. A12" if bound else "")
    parts = [_stated(chosen, "delta", "δ"), _stated(chosen, "beta", "β")]
    if not bound:
        parts.append("no bound in the records")
    return plot_decay(
        chosen,
        "lipschitz_ratio",
        theory=("lipschitz_bound",),
        title=_with(title, *parts),
    )


def figure_haar_states(records) -> tuple[Figure, np.ndarray]:
    """Haar-random states: trace distance, purity and entropy of ρ_v with their closed forms.

    Panels (those with data) from the records with ``experiment == "haar-states"``: the trace
    distance to I/D_v (log scale, fitted; exact Haar value and the paper's bound), the purity
    (Haar purity (D_v+D_h)/(D_vD_h+1)) and the entanglement entropy (Page's value).

    Args:
        records: a list of record dicts or a path to a JSON-lines file.

    Returns:
        ``(fig, axes)``.

    Raises:
        ConfigurationError: no record has ``experiment == "haar-states"``.

    **Example**

    >>> recs = [{"experiment": "haar-states", "model": "haar", "n_hidden": h,
    ...          "purity": 0.5 + 2.0 ** -h, "haar_purity": 0.5 + 2.0 ** -h} for h in range(3)]
    >>> fig, axes = figure_haar_states(recs)
    >>> len(axes), axes[0].get_yscale()
    (1, 'linear')
    """
    recs = _select(records, "haar-states")
    return _panels(recs, ("trace_distance", "purity", "entropy"), "n_hidden", "Haar-random states")


def figure_overview(records, x: str = "n_hidden", title: str | None = None):
    """One panel per measured field present in the records, with the matching theory values.

    The figure for records of an experiment without a dedicated builder (e.g. the
    ``"haar-states"`` cross-check or a user's own experiment).

    Args:
        records: a list of record dicts or a path to a JSON-lines file.
        x: the field on the horizontal axis.
        title: the figure's title.

    Returns:
        ``(fig, axes)``.

    Raises:
        ConfigurationError: no record has a measured field.

    **Example**

    >>> recs = [{"n_hidden": h, "trace_distance": 0.5 * 2 ** -h, "purity": 0.5 + 2 ** -h}
    ...         for h in range(3)]
    >>> fig, axes = figure_overview(recs)
    >>> [ax.get_yscale() for ax in axes]
    ['log', 'linear']
    """
    return _panels(_as_records(records), _MEASURED, _check_field(x, "x"), title)


def figure_noise(records, axes=None) -> tuple[Figure, np.ndarray]:
    """Noise-induced plateaus: gradient variance and trace distance against depth.

    From the records with ``experiment == "noise"``: one series per channel, strength and size,
    the gradient variance on a log scale with its fitted rate per layer (unital noise: a
    straight line, Wang et al.), the trace distance of ρ_v to I/D_v beside it (amplitude
    damping keeps it away from 0). ``axes``: one or two Axes to draw into (the first gets the
    variance, the second, if given, the trace distance).

    >>> recs = [{"experiment": "noise", "noise_channel": c, "noise_p": 0.1, "n_hidden": 1,
    ...          "n_layers": L, "grad_variance": 0.1 * q ** L, "grad_variance_stderr": 1e-4,
    ...          "trace_distance": 0.1} for c, q in [("depolarizing", 0.75),
    ...                                              ("amplitude_damping", 1.0)]
    ...         for L in range(1, 5)]
    >>> fig, axes = figure_noise(recs)
    >>> legend_labels(axes[0])[0]
    'amplitude_damping p=0.1, n_h=1: fitted rate 0.00 ± 0.00 log₂ y per layer'
    """
    recs = _select(records, "noise")
    if axes is None:
        fig = Figure(figsize=(_PANEL[0] * 2, _PANEL[1]), layout="constrained")
        axes = np.atleast_1d(fig.subplots(1, 2, squeeze=False)[0])
        fig.suptitle("Noise-induced plateaus: a local channel after every layer")
    else:
        axes = _check_axes(axes)
        fig = axes[0].figure
    recs = [{**r, "setting": _noise_label(r)} for r in recs]
    series = ("setting",)
    plot_decay(recs, "grad_variance", "n_layers", series=series, ax=axes[0], fit_min_x=1)
    if len(axes) > 1:
        plot_decay(recs, "trace_distance", "n_layers", series=series, ax=axes[1], fit=False,
                   logy=False)  # fmt: skip
    return fig, axes


def _noise_label(rec: Mapping) -> str:
    """``"depolarizing p=0.05, n_h=1"``: channel, strength and hidden qubits of a noise record."""
    p = _number(rec.get("noise_p"))
    parts = [str(rec.get("noise_channel", "noise")) + ("" if p is None else f" p={p:g}")]
    if rec.get("n_hidden") is not None:
        parts.append(f"n_h={rec['n_hidden']}")
    return ", ".join(parts)


_BUILDERS: dict[str, Callable] = {
    "noise": figure_noise,
    "trainability": lambda recs: figure_trainability(recs),
    "trace-distance": figure_trace_distance,
    "qnn-gradient": lambda recs: figure_gradient_variance(recs, model="qnn"),
    "qbm-gradient": lambda recs: figure_gradient_variance(recs, model="qbm"),
    "area-law": figure_area_law,
    "mcclean": figure_mcclean,
    "haar-states": figure_haar_states,
}


# --------------------------------------------------------------------------- saving


def figure_shot_budget(
    records, snr: float = 2.0, field: str = "grad_variance", ax: Axes | None = None
):
    """Shots per circuit a parameter-shift gradient needs against hidden qubits (log scale).

    From the measured gradient variance of each record (:func:`plateau_pl.budget.shot_budget`),
    one series per model, with the fitted growth rate (``≈ +1`` log₂ per qubit: the shots double
    per hidden qubit under a plateau).

    >>> recs = [{"model": "qnn", "ansatz": "random_two_local", "generator_scale": 1.0,
    ...          "n_hidden": h, "grad_variance": 2.0 ** -h, "grad_variance_stderr": 0.01}
    ...         for h in range(1, 5)]
    >>> fig, ax = figure_shot_budget(recs, snr=1.0)
    >>> legend_labels(ax)
    ['qnn random_two_local: fitted rate 1.00 ± 0.04 log₂ y per qubit', 'fit (dotted), n_h ≥ 1']
    """
    from plateau_pl.budget import shot_budget

    rows = shot_budget(_as_records(records), snr=snr, field=field)
    fig, ax = plot_decay(rows, "shots_for_snr", "n_hidden", series=("series",), ax=ax)
    ax.set_title(f"Shot budget for SNR {snr:g} per gradient component")
    return fig, ax


def trainability_label(rec: Mapping) -> str:
    """A readable series name of a trainability record: optimiser, shots, control, remedy.

    >>> trainability_label({"optimizer": "adam", "shots": 10, "remedy": "area_law"})
    'adam, 10 shots, area_law'
    >>> trainability_label({"optimizer": "cobyla", "n_trainable": 3, "remedy": "none"})
    'cobyla, 3 trained'
    """
    check_instance(rec, "rec", Mapping, "a record (a dict)")
    parts = [str(rec.get("optimizer", "?"))]
    parts.append("exact" if rec.get("shots") is None else f"{rec['shots']} shots")
    if rec.get("optimizer") in ("cobyla", "nelder-mead", "powell") and rec.get("shots") is None:
        parts.pop()  # direct search on exact losses: "exact" says nothing
    if rec.get("n_trainable") is not None:
        parts.append(f"{rec['n_trainable']} trained")
    if rec.get("remedy", "none") != "none":
        parts.append(str(rec["remedy"]))
    return ", ".join(parts)


def figure_trainability(records, title: str | None = None, axes=None):
    """Trainability against hidden qubits: best loss and steps to the threshold.

    Two panels from the records with ``experiment == "trainability"`` (linear axes, no fits),
    one series per setting (:func:`trainability_label`), error bars the standard error over
    seeds; the records' loss ``threshold`` is drawn dashed on the loss panel (``gid="threshold"``)
    and stated in the default title.

    Args:
        records: records or a path.
        title: the figure's title (or the left panel's, with ``axes``); for a new figure it
            defaults to ``"Trainability vs hidden qubits (loss threshold 0.05)"``.
        axes: two Axes to draw into (e.g. one row of a larger figure); a new figure if None.

    **Example**

    >>> recs = [{"experiment": "trainability", "remedy": r, "optimizer": "adam", "n_hidden": h,
    ...          "final_loss": 0.1 * h * s, "final_loss_stderr": 0.01,
    ...          "steps_to_threshold": 10 * h * s, "steps_to_threshold_stderr": 1.0}
    ...         for r, s in [("none", 1.0), ("small_init", 0.5)] for h in range(4)]
    >>> fig, axes = figure_trainability(recs)
    >>> [ax.get_ylabel() for ax in axes][0], legend_labels(axes[0])
    ('best loss reached (mean over seeds)', ['adam, exact', 'adam, exact, small_init'])
    """
    recs = [{**r, "setting": trainability_label(r)} for r in _select(records, "trainability")]
    fields = [y for y in ("final_loss", "steps_to_threshold") if _has(recs, y)]
    if not fields:
        raise ConfigurationError(
            f"no trainability record has final_loss or steps_to_threshold; numeric fields "
            f"found: {_fields_found(recs)}"
        )
    thresholds = _distinct(recs, "threshold")
    if title is None and axes is None:
        title = _with("Trainability vs hidden qubits",
                      "loss threshold " + ", ".join(f"{t:g}" for t in thresholds)
                      if thresholds else None)  # fmt: skip
    if axes is None:
        fig = Figure(figsize=(_PANEL[0] * len(fields), _PANEL[1]), layout="constrained")
        axes = np.atleast_1d(fig.subplots(1, len(fields), squeeze=False)[0])
        if title:
            fig.suptitle(title)
    else:
        axes = _check_axes(axes)
        if len(axes) < len(fields):
            raise PlateauTypeError(
                f"axes must hold {len(fields)} Axes (one per panel: {', '.join(fields)}); "
                f"got {len(axes)}"
            )
        fig = axes[0].figure
        if title:
            axes[0].set_title(title, loc="left")
    for ax, y in zip(axes, fields, strict=False):
        plot_decay(recs, y, "n_hidden", series=("setting",), ax=ax, fit=False, logy=False)
        if y == "final_loss" and thresholds:
            for i, t in enumerate(thresholds):
                ax.axhline(t, linestyle=_DASHES[i % len(_DASHES)], linewidth=1.0, color="0.3",
                           label=f"threshold {t:g}", gid="threshold")  # fmt: skip
            _legend(ax)
    return fig, axes


def _formats() -> dict[str, str]:
    """The file formats matplotlib writes here: ``{extension: description}``."""
    return Figure().canvas.get_supported_filetypes()


def _figure_target(path, name: str) -> tuple[Path, str]:
    """Where a figure named by ``path`` goes and its format: the path as given when its
    extension is one matplotlib writes, ``<path>.png`` without an extension."""
    path = _check_path(path, name)
    ext = path.suffix.lower().lstrip(".")
    if not ext:
        return path.with_name(f"{path.name}.png"), "png"
    if ext not in _formats():
        raise ConfigurationError(
            f"{name} {str(path)!r} has the extension {path.suffix!r}, which matplotlib cannot "
            f"write; use one of: {', '.join('.' + e for e in sorted(_formats()))}"
        )
    return path, ext


def _save(fig: Figure, path, pdf: bool, name: str) -> list[Path]:
    target, fmt = _figure_target(path, name)
    targets = [(target, fmt)]
    if pdf and fmt != "pdf":
        targets.append((target.with_suffix(".pdf"), "pdf"))
    target.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for file, kind in targets:
        if file.is_dir():
            raise ConfigurationError(f"{name} would write {str(file)!r}, which is a folder")
        with atomic_write(file, binary=True) as fh:
            fig.savefig(fh, format=kind, dpi=150, bbox_inches="tight")
        written.append(file)
    return written


def save_figure(fig: Figure, path, pdf: bool = False) -> list[Path]:
    """Save ``fig`` to exactly ``path`` (dpi 150, tight bounding box), optionally with a PDF.

    The format is ``path``'s extension — any that matplotlib writes (``.png``, ``.pdf``,
    ``.svg``, ``.jpg``, ``.eps``, …); a path without an extension gets ``.png``. Each file is
    written to a temporary file in the target folder and moved into place with
    :func:`os.replace`, so a crash never leaves a half-written figure. The folder is created.

    Args:
        fig: the figure.
        path: the file to write (``.png`` is appended when it has no extension).
        pdf: also write a PDF beside it, ``path`` with the extension ``.pdf`` (nothing more
            when ``path`` is a PDF already).

    Returns:
        The written paths, ``path`` first.

    Raises:
        ConfigurationError: ``path`` has an extension matplotlib cannot write, or is a folder.

    **Example**

    >>> import tempfile
    >>> from pathlib import Path
    >>> from plateau_pl.plotting import figure_overview
    >>> fig, _ = figure_overview([{"n_hidden": h, "purity": 1 / (h + 1)} for h in range(3)])
    >>> paths = save_figure(fig, Path(tempfile.mkdtemp()) / "sub" / "fig", pdf=True)
    >>> [p.name for p in paths], all(p.stat().st_size > 0 for p in paths)
    (['fig.png', 'fig.pdf'], True)
    >>> [p.name for p in save_figure(fig, paths[0].with_name("fig.svg"))]
    ['fig.svg']
    """
    if not isinstance(fig, Figure):
        raise PlateauTypeError(f"fig must be a matplotlib Figure; got {type(fig).__name__}")
    pdf = check_bool(pdf, "pdf")
    return _save(fig, path, pdf, "path")


def _safe_suffix(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name).strip("._") or "records"


def plot_records(records_or_path, out, y: str | None = None, x: str | None = None, pdf=False):
    """Figures for a set of records, saved: the ``plateau-pl plot RECORDS --out FILE`` command.

    Without ``y`` and ``x`` the figure is chosen by the records' ``experiment``:
    ``trace-distance`` → :func:`figure_trace_distance`, ``qnn-gradient`` / ``qbm-gradient`` →
    :func:`figure_gradient_variance`, ``area-law`` → :func:`figure_area_law`, ``mcclean`` →
    :func:`figure_mcclean`, ``haar-states`` → :func:`figure_haar_states`, ``noise`` →
    :func:`figure_noise`, ``trainability`` → :func:`figure_trainability`, anything else →
    :func:`figure_overview`; an experiment whose records carry ``lipschitz_ratio`` also gets
    :func:`figure_lipschitz`. With ``y`` (and/or ``x``) a single :func:`plot_decay` of ``y``
    against ``x`` (default ``n_hidden``; ``y`` defaults to the first measured field present) is
    drawn instead, series split by experiment when there are several.

    **Where the figures go.** ``out`` is a file, and its extension is the format (any that
    matplotlib writes: ``.png``, ``.pdf``, ``.svg``, …; none means ``.png``). The first figure
    — the only one, or the first experiment's in the order of the records — is written to
    exactly ``out``. Every further figure goes beside it as ``<stem>-<name><ext>``, with the
    same extension, ``<name>`` its experiment and ``-lipschitz`` for a Lipschitz figure. So
    ``--out runs/grad.svg`` on ``qnn-gradient`` records writes ``runs/grad.svg`` (the gradient
    variance) and ``runs/grad-qnn-gradient-lipschitz.svg``; records of ``trace-distance`` then
    ``mcclean`` give ``runs/grad.svg`` and ``runs/grad-mcclean.svg``. With ``pdf``, each figure
    also gets a ``.pdf`` beside it.

    Args:
        records_or_path: a list of record dicts or a path to a JSON-lines file.
        out: the output file (see :func:`save_figure`).
        y: the field to plot, instead of the experiment's figure.
        x: the field on the horizontal axis.
        pdf: also write PDFs.

    Returns:
        The written paths.

    Raises:
        ConfigurationError: no records, nothing to plot in them, or ``out`` has an extension
            matplotlib cannot write.

    **Example**

    >>> import tempfile
    >>> from pathlib import Path
    >>> recs = [{"experiment": e, "model": "qnn", "n_hidden": h, "grad_variance": 2.0 ** -h,
    ...          "trace_distance": 2.0 ** -h} for e in ("qnn-gradient", "trace-distance")
    ...         for h in range(3)]
    >>> paths = plot_records(recs, Path(tempfile.mkdtemp()) / "fig.svg")
    >>> [p.name for p in paths]
    ['fig.svg', 'fig-trace-distance.svg']
    """
    records = _as_records(records_or_path)
    if not records:
        raise ConfigurationError("no records in the input: nothing to plot")
    out, _ = _figure_target(out, "out")
    pdf = check_bool(pdf, "pdf")
    by_experiment: dict[str | None, list[dict]] = {}
    for r in records:
        name = r.get("experiment")
        by_experiment.setdefault(None if name is None else str(name), []).append(r)

    if y is not None:
        y = _check_field(y, "y")
    if y is not None or x is not None:
        x = _check_field(x or "n_hidden", "x")
        if y is None:
            y = next((f for f in _MEASURED if _has(records, f)), None)
            if y is None:
                raise ConfigurationError(
                    "no measured field to plot; numeric fields found: " + _fields_found(records)
                )
        series = (("experiment",) if len(by_experiment) > 1 else ()) + DEFAULT_SERIES
        theory = [t for t in _THEORY_FOR.get(y, ()) if _has(records, t)]
        fig, _ = plot_decay(records, y, x, series=series, theory=theory, logy=y in _DECAYING)
        return _save(fig, out, pdf, "out")

    figures: list[tuple[str, Figure]] = []
    for name, recs in by_experiment.items():
        suffix = _safe_suffix(name or "records")
        builder = _BUILDERS.get(name) if name is not None else None
        if builder is None:
            fig, _ = figure_overview(recs, title=name)
            figures.append((suffix, fig))
            continue
        fig, _ = builder(recs)
        figures.append((suffix, fig))
        if _has(recs, "lipschitz_ratio"):
            figures.append((f"{suffix}-lipschitz", figure_lipschitz(recs)[0]))

    written: list[Path] = []
    for i, (suffix, fig) in enumerate(figures):
        target = out if i == 0 else out.with_name(f"{out.stem}-{suffix}{out.suffix}")
        written.extend(_save(fig, target, pdf, "out"))
    return written
