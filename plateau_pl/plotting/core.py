"""The plotting core: records read, grouped into series and fitted, and drawn as decays.

Plotting reads records only (a list of dicts, or a JSON-lines file written by a sweep) and never
imports torch or PennyLane: computing and plotting never share a process. Everything here draws
on :class:`matplotlib.figure.Figure` objects, so no GUI backend (and no ``pyplot`` state) is
involved and no figure needs closing. The figure of each experiment is built on this core in
:mod:`plateau_pl.plotting.figures`, the maps of where a plateau sits in
:mod:`plateau_pl.plotting.maps`.

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
from collections.abc import Iterable, Mapping, Sequence
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
from plateau_pl.experiments.specs import DEFAULT_SERIES, QUANTITY_LABELS, THEORY_LABELS
from plateau_pl.records import load_records
from plateau_pl.stats import fit_decay

__all__ = [
    "AXIS_LABELS",
    "DEFAULT_SERIES",
    "THEORY_LABELS",
    "decay_rates",
    "legend_labels",
    "new_axes",
    "plot_decay",
    "save_figure",
]

PARAMETER_LABELS: dict[str, str] = {
    "n_hidden": "hidden qubits n_h",
    "n_visible": "visible qubits n_v",
    "n_qubits": "qubits n",
    "n_layers": "layers L",
    "beta": "inverse temperature β",
    "delta": "step δ",
}
"""Readable axis labels of the parameters drawn on an x axis."""

AXIS_LABELS: dict[str, str] = {**PARAMETER_LABELS, **QUANTITY_LABELS}
"""Readable axis labels of record fields (a field not listed is labelled by its name): the
parameters' here, the measured quantities' from :mod:`plateau_pl.experiments.specs`."""

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
DASHES = ("--", (0, (5, 2, 1, 2)), (0, (2, 2)), (0, (8, 3)))
PANEL = (6.4, 4.5)


# --------------------------------------------------------------------------- reading records


def as_records(records) -> list[dict]:
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


def finite_number(value) -> float | None:
    """``value`` as a finite float, or ``None`` (missing, null, NaN, text, bool)."""
    if value is None or isinstance(value, (bool, str)):
        return None
    try:
        v = float(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int past any float
        return None
    return v if math.isfinite(v) else None


def field_value(rec: Mapping, key: str) -> float | None:
    if key == "n_qubits" and rec.get("n_qubits") is None:
        n_v, n_h = finite_number(rec.get("n_visible")), finite_number(rec.get("n_hidden"))
        return None if n_v is None or n_h is None else n_v + n_h
    return finite_number(rec.get(key))


def experiments_found(records: Sequence[Mapping]) -> str:
    names = sorted({str(r["experiment"]) for r in records if r.get("experiment") is not None})
    return ", ".join(repr(n) for n in names) if names else "none (no 'experiment' field)"


def select_experiment(records, experiment: str | Sequence[str]) -> list[dict]:
    records = as_records(records)
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
            f"found: {experiments_found(records)}"
        )
    return chosen


def has_field(records: Iterable[Mapping], key: str) -> bool:
    return any(finite_number(r.get(key)) is not None for r in records)


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
    usable = [r for r in records if field_value(r, x) is not None]
    keys = [k for k in dict.fromkeys(series) if k != x]
    explicit = set(keys)

    def regroup() -> dict[tuple, list[dict]]:
        groups: dict[tuple, list[dict]] = {}
        for r in usable:
            groups.setdefault(_series_key(r, keys), []).append(r)
        return groups

    def clashing(groups) -> list[list[dict]]:
        return [g for g in groups.values() if len({field_value(r, x) for r in g}) < len(g)]

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
        label: sorted(labelled[label], key=lambda r: field_value(r, x))
        for label in sorted(labelled)
    }


def _points(group: list[dict], x: str, y: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x, y and the standard errors (NaN where missing) of the records with a y value."""
    rows = [
        (field_value(r, x), field_value(r, y), field_value(r, f"{y}_stderr"))
        for r in group
        if field_value(r, y) is not None
    ]
    xs = np.array([row[0] for row in rows], float)
    ys = np.array([row[1] for row in rows], float)
    errs = np.array([np.nan if row[2] is None else row[2] for row in rows], float)
    return xs, ys, errs


def _bound_points(group: list[dict], x: str, y: str) -> tuple[np.ndarray, np.ndarray]:
    """x and the 95 % upper bound ``<y>_upper95`` of the records whose ``y`` is zero: values
    below what a Pauli-path run resolved, drawn as bounds, never as zeros."""
    rows = [
        (field_value(r, x), field_value(r, f"{y}_upper95"))
        for r in group
        if field_value(r, y) == 0 and field_value(r, f"{y}_upper95") is not None
    ]
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
    records = as_records(records)
    y, x = check_field(y, "y"), check_field(x, "x")
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


def check_field(value, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise PlateauTypeError(f"{name} must be a record field name (a string); got {value!r}")
    return value


def fields_found(records: Sequence[Mapping]) -> str:
    keys = sorted({str(k) for r in records for k, v in r.items() if finite_number(v) is not None})
    return ", ".join(keys) if keys else "none"


def _series_name(series_label: str, label: str | None, n_series: int) -> str:
    if label is None:
        return series_label
    if "{series}" in label:
        return label.format(series=series_label)
    return label if n_series == 1 else f"{label}: {series_label}"


def new_axes(ax: Axes | None = None) -> tuple[Figure, Axes]:
    """``(fig, ax)``: a new one-panel figure (6.4 × 4.5 in, constrained layout) when ``ax`` is
    None, else ``ax`` and its figure.

    >>> fig, ax = new_axes()
    >>> new_axes(ax)[0] is fig, [float(v) for v in fig.get_size_inches()]
    (True, [6.4, 4.5])

    Raises:
        PlateauTypeError: ``ax`` is neither None nor a matplotlib Axes.
    """
    if ax is None:
        fig = Figure(figsize=PANEL, layout="constrained")
        return fig, fig.add_subplot()
    if not isinstance(ax, Axes):
        raise PlateauTypeError(f"ax must be a matplotlib Axes; got {type(ax).__name__}")
    return ax.figure, ax


def check_text(value, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise PlateauTypeError(f"{name} must be a string or None; got {type(value).__name__}")
    return value


def check_axes(axes, name: str = "axes") -> np.ndarray:
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
    records = as_records(records)
    y, x = check_field(y, "y"), check_field(x, "x")
    series, theory = _as_tuple(series, "series"), _as_tuple(theory, "theory")
    fit, logy = check_bool(fit, "fit"), check_bool(logy, "logy")
    fit_min_x = check_float(fit_min_x, "fit_min_x", allow_inf=True)
    label, title = check_text(label, "label"), check_text(title, "title")
    groups = _group(records, x, series)
    data = {lab: _points(g, x, y) for lab, g in groups.items()}
    data = {lab: d for lab, d in data.items() if len(d[0])}
    if not data:
        raise ConfigurationError(
            f"no records have values for both {x!r} and {y!r}; "
            f"numeric fields found: {fields_found(records)}"
        )
    fig, ax = new_axes(ax)
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
            ax.plot(
                bx,
                by,
                linestyle="none",
                marker="v",
                markersize=7,
                color=colors[lab],
                label="_bound",
                gid="upper-bound",
            )
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
        ax.plot(
            [],
            [],
            linestyle="none",
            marker="v",
            color="0.3",
            label="95 % upper bound (below resolution)",
        )
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
    place_legend(ax)
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
    line = Line2D(
        [],
        [],
        linestyle=":",
        linewidth=1.0,
        color="0.3",
        gid="fit-key",
        label=f"fit (dotted), {_X_SYMBOL.get(x, x)} ≥ {first:g}",
    )
    line._plateau_first = first
    ax.add_line(line)


def place_legend(ax: Axes) -> None:
    """A legend below the axes (never over the data): the measured series first, then the
    fit's key and the theory lines, in drawing order."""
    handles, labels = ax.get_legend_handles_labels()

    def rank(i: int) -> int:
        if isinstance(handles[i], ErrorbarContainer):
            return 0
        return 1 if getattr(handles[i], "get_gid", lambda: None)() == "fit-key" else 2

    order = sorted(range(len(handles)), key=rank)
    if not handles:
        return
    width = max(len(t) for t in labels)
    ncols = 2 if len(handles) > 3 and width <= 34 else 1
    ax.legend(
        [handles[i] for i in order],
        [labels[i] for i in order],
        fontsize="small",
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        borderaxespad=_LEGEND_GAP,
        ncols=ncols,
        frameon=False,
    )


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
            v = field_value(r, key)
            if v is not None:
                values[field_value(r, x)] = v
        if values:
            per_series[lab] = values
    if not per_series:
        return
    name = THEORY_LABELS.get(key, key)
    dash = DASHES[index % len(DASHES)]
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


# --------------------------------------------------------------------------- saving


def _formats() -> dict[str, str]:
    """The file formats matplotlib writes here: ``{extension: description}``."""
    return Figure().canvas.get_supported_filetypes()


def figure_target(path, name: str) -> tuple[Path, str]:
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


def save_to(fig: Figure, path, pdf: bool, name: str) -> list[Path]:
    target, fmt = figure_target(path, name)
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
    >>> fig, _ = plot_decay([{"n_hidden": h, "purity": 1 / (h + 1)} for h in range(3)], "purity")
    >>> paths = save_figure(fig, Path(tempfile.mkdtemp()) / "sub" / "fig", pdf=True)
    >>> [p.name for p in paths], all(p.stat().st_size > 0 for p in paths)
    (['fig.png', 'fig.pdf'], True)
    >>> [p.name for p in save_figure(fig, paths[0].with_name("fig.svg"))]
    ['fig.svg']
    """
    if not isinstance(fig, Figure):
        raise PlateauTypeError(f"fig must be a matplotlib Figure; got {type(fig).__name__}")
    pdf = check_bool(pdf, "pdf")
    return save_to(fig, path, pdf, "path")
