"""The figure of each experiment, and ``plot_records``: the ``plateau-pl plot`` command.

Built on :mod:`plateau_pl.plotting.core`; which figure an experiment gets, which fields it
measures and which theory overlays them come from its spec
(:data:`plateau_pl.experiments.specs.SPECS`). Like the core, nothing here imports torch or
PennyLane, and every figure is a :class:`matplotlib.figure.Figure` (no pyplot state).

**Example**

>>> from plateau_pl.plotting import figure_experiment, legend_labels
>>> recs = [{"experiment": "mcclean", "model": "qnn", "ansatz": "mcclean", "n_qubits": n,
...          "grad_variance": 2.0 ** -n} for n in (2, 3, 4)]
>>> fig, ax = figure_experiment(recs, "mcclean")
>>> ax.get_xlabel(), legend_labels(ax)[0]
('qubits n', 'qnn mcclean: fitted rate −1.00 ± 0.00 log₂ y per qubit')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from plateau_pl._validation import check_bool, check_instance
from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError
from plateau_pl.experiments.specs import MEASURED, SPECS, Quantity, get_spec, resolve
from plateau_pl.plotting.core import (
    DASHES,
    DEFAULT_SERIES,
    PANEL,
    as_records,
    check_axes,
    check_field,
    experiments_found,
    field_value,
    fields_found,
    figure_target,
    finite_number,
    has_field,
    new_axes,
    place_legend,
    plot_decay,
    save_figure,
    save_to,
    select_experiment,
)

__all__ = [
    "figure_area_law",
    "figure_experiment",
    "figure_gradient_variance",
    "figure_haar_states",
    "figure_lipschitz",
    "figure_mcclean",
    "figure_noise",
    "figure_overview",
    "figure_shot_budget",
    "figure_trace_distance",
    "figure_trainability",
    "plot_records",
    "trainability_label",
    "write_figures",
]

_AREA_LAW_SIZE = (11.0, 5.3)  # per row of two panels: 1650 px wide at save_figure's dpi
_QUANTITY = {q.field: q for q in MEASURED}
for _q in (q for s in SPECS.values() for q in s.quantities):
    _QUANTITY.setdefault(_q.field, _q)
del _q


def _quantity(field: str) -> Quantity:
    """The description of a measured field (:data:`~plateau_pl.experiments.specs.MEASURED`
    first); a field nobody describes: no theory, not decaying."""
    return _QUANTITY.get(field) or Quantity(field, field, decays=False)


def _distinct(records: Iterable[Mapping], key: str) -> list[float]:
    return sorted({v for r in records if (v := field_value(r, key)) is not None})


def _stated(records: Iterable[Mapping], key: str, symbol: str) -> str | None:
    """``"β = 1"`` (or ``"β = 0.5, 1"``) from the records' values of ``key``; None without."""
    values = _distinct(records, key)
    if not values:
        return None
    return f"{symbol} = " + ", ".join(f"{v:g}" for v in values)


def _with(title: str, *parts: str | None) -> str:
    parts = [p for p in parts if p]
    return title if not parts else f"{title} ({', '.join(parts)})"


def _panels(
    records,
    quantities: Sequence[Quantity],
    x: str,
    suptitle: str | None,
    max_cols: int = 3,
    **kw,
):
    """One panel per quantity that has values, at most ``max_cols`` a row, each with its
    theory overlays (fitted on a log axis if it decays); ``(fig, axes)`` with the axes in
    reading order (unused grid cells removed)."""
    quantities = [q for q in quantities if has_field(records, q.field)]
    if not quantities:
        raise ConfigurationError(
            "no records have any of the measured fields "
            f"{', '.join(q.field for q in MEASURED)}; numeric fields found: "
            f"{fields_found(records)}"
        )
    ncols = min(len(quantities), max_cols)
    nrows = -(-len(quantities) // ncols)
    fig = Figure(figsize=(PANEL[0] * ncols, PANEL[1] * nrows), layout="constrained")
    grid = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for extra in grid[len(quantities) :]:
        extra.remove()
    axes = np.array(list(grid[: len(quantities)]), dtype=object)
    for ax, q in zip(axes, quantities, strict=True):
        plot_decay(records, q.field, x, theory=q.theory, ax=ax, fit=q.decays, logy=q.decays, **kw)
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

    >>> from plateau_pl.plotting import legend_labels
    >>> recs = [{"experiment": "trace-distance", "model": "qnn", "ansatz": "random_two_local",
    ...          "n_visible": 1, "n_hidden": h, "trace_distance": 0.5 * 2 ** (-h / 2),
    ...          "paper_trace_distance_bound": 0.5 * 2 ** (-h / 2)} for h in range(1, 4)]
    >>> fig, ax = figure_trace_distance(recs)
    >>> legend_labels(ax)[-1]
    'Haar bound ½√(D_v/D_h) (volume law)'
    """
    recs = select_experiment(records, "trace-distance")
    theory = ["haar_trace_distance", "paper_trace_distance_bound"]
    if not has_field(recs, "haar_trace_distance"):
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

    >>> from plateau_pl.plotting import legend_labels
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
    y = check_field(y, "y")
    recs = select_experiment(records, f"{model}-gradient")
    title = f"{model.upper()} gradient variance vs hidden units"
    if model == "qbm":
        title = _with(title, _stated(recs, "beta", "β"))
        if any(field_value(r, "n_hidden") == 0 for r in recs):
            title += "\nn_h = 0: no hidden qubits, every parameter visible"
    else:
        title = _with(title, _stated(recs, "n_layers", "L"))
    split = [f for f in ("grad_variance_hidden", "grad_variance_visible") if has_field(recs, f)]
    if model == "qbm" and y == "grad_variance" and split:
        fig, ax = new_axes(None)
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
    recs = select_experiment(records, "area-law")
    spec = get_spec("area-law")
    area = [r for r in recs if r.get("ansatz") == "area_law"]
    title = _with(
        "Area-law vs volume-law ansätze",
        _stated(recs, "n_layers", "L"),
        _stated(area, "n_cross", "n_cross"),
    )
    fig, axes = _panels(recs, spec.quantities, spec.x, title, max_cols=2)
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
    recs = select_experiment(records, "mcclean")
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
    pairs = {(field_value(r, "n_qubits"), field_value(r, "n_layers")) for r in recs}
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

    >>> from plateau_pl.plotting import legend_labels
    >>> recs = [{"model": "qnn", "n_hidden": h, "lipschitz_ratio": 0.3 * 2 ** (-h / 2),
    ...          "lipschitz_bound": 2 ** (-h / 2)} for h in range(1, 5)]
    >>> fig, ax = figure_lipschitz(recs)
    >>> legend_labels(ax)[-1], ax.get_title()
    ('bound (Eq. A12)', 'Finite-difference Lipschitz ratio vs the bound of Eq. A12')
    """
    recs = as_records(records) if experiment is None else select_experiment(records, experiment)
    chosen = [r for r in recs if finite_number(r.get("lipschitz_ratio")) is not None]
    if not chosen:
        raise ConfigurationError(
            "no records with a 'lipschitz_ratio' value in the input; "
            f"experiments found: {experiments_found(recs)}"
        )
    bound = has_field(chosen, "lipschitz_bound")
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
    recs = select_experiment(records, "haar-states")
    spec = get_spec("haar-states")
    return _panels(recs, spec.quantities, spec.x, "Haar-random states")


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
    return _panels(as_records(records), MEASURED, check_field(x, "x"), title)


def figure_noise(records, axes=None) -> tuple[Figure, np.ndarray]:
    """Noise-induced plateaus: gradient variance and trace distance against depth.

    From the records with ``experiment == "noise"``: one series per channel, strength and size,
    the gradient variance on a log scale with its fitted rate per layer (unital noise: a
    straight line, Wang et al.), the trace distance of ρ_v to I/D_v beside it (amplitude
    damping keeps it away from 0). ``axes``: one or two Axes to draw into (the first gets the
    variance, the second, if given, the trace distance).

    >>> from plateau_pl.plotting import legend_labels
    >>> recs = [{"experiment": "noise", "noise_channel": c, "noise_p": 0.1, "n_hidden": 1,
    ...          "n_layers": L, "grad_variance": 0.1 * q ** L, "grad_variance_stderr": 1e-4,
    ...          "trace_distance": 0.1} for c, q in [("depolarizing", 0.75),
    ...                                              ("amplitude_damping", 1.0)]
    ...         for L in range(1, 5)]
    >>> fig, axes = figure_noise(recs)
    >>> legend_labels(axes[0])[0]
    'amplitude_damping p=0.1, n_h=1: fitted rate 0.00 ± 0.00 log₂ y per layer'
    """
    recs = select_experiment(records, "noise")
    if axes is None:
        fig = Figure(figsize=(PANEL[0] * 2, PANEL[1]), layout="constrained")
        axes = np.atleast_1d(fig.subplots(1, 2, squeeze=False)[0])
        fig.suptitle("Noise-induced plateaus: a local channel after every layer")
    else:
        axes = check_axes(axes)
        fig = axes[0].figure
    recs = [{**r, "setting": _noise_label(r)} for r in recs]
    series = ("setting",)
    plot_decay(recs, "grad_variance", "n_layers", series=series, ax=axes[0], fit_min_x=1)
    if len(axes) > 1:
        plot_decay(
            recs,
            "trace_distance",
            "n_layers",
            series=series,
            ax=axes[1],
            fit=False,
            logy=False,
        )
    return fig, axes


def _noise_label(rec: Mapping) -> str:
    """``"depolarizing p=0.05, n_h=1"``: channel, strength and hidden qubits of a noise record."""
    p = finite_number(rec.get("noise_p"))
    parts = [str(rec.get("noise_channel", "noise")) + ("" if p is None else f" p={p:g}")]
    if rec.get("n_hidden") is not None:
        parts.append(f"n_h={rec['n_hidden']}")
    return ", ".join(parts)


def figure_experiment(records, experiment: str):
    """The figure of one experiment's records: the one its spec names, else one panel per
    quantity of its spec against the spec's x (an experiment without a spec:
    :func:`figure_overview`).

    Args:
        records: a list of record dicts or a path to a JSON-lines file.
        experiment: the experiment's name (its records are chosen by their ``experiment``).

    Returns:
        ``(fig, ax)`` or ``(fig, axes)``, as the figure's builder returns them.

    Raises:
        ConfigurationError: no record of ``experiment`` in the input.

    **Example**

    >>> recs = [{"experiment": "haar-states", "model": "haar", "n_hidden": h,
    ...          "trace_distance": 0.5 * 2.0 ** -h} for h in range(3)]
    >>> fig, axes = figure_experiment(recs, "haar-states")
    >>> fig.get_suptitle(), len(axes)
    ('Haar-random states', 1)
    """
    recs = select_experiment(records, experiment)
    spec = SPECS.get(experiment)
    if spec is None:
        return figure_overview(recs, title=experiment)
    if spec.figure is None:
        return _panels(recs, spec.quantities, spec.x, spec.name, series=spec.series)
    return resolve(spec.figure)(recs, **spec.figure_options)


def figure_shot_budget(
    records, snr: float = 2.0, field: str = "grad_variance", ax: Axes | None = None
):
    """Shots per circuit a parameter-shift gradient needs against hidden qubits (log scale).

    From the measured gradient variance of each record (:func:`plateau_pl.budget.shot_budget`),
    one series per model, with the fitted growth rate (``≈ +1`` log₂ per qubit: the shots double
    per hidden qubit under a plateau).

    >>> from plateau_pl.plotting import legend_labels
    >>> recs = [{"model": "qnn", "ansatz": "random_two_local", "generator_scale": 1.0,
    ...          "n_hidden": h, "grad_variance": 2.0 ** -h, "grad_variance_stderr": 0.01}
    ...         for h in range(1, 5)]
    >>> fig, ax = figure_shot_budget(recs, snr=1.0)
    >>> legend_labels(ax)
    ['qnn random_two_local: fitted rate 1.00 ± 0.04 log₂ y per qubit', 'fit (dotted), n_h ≥ 1']
    """
    from plateau_pl.budget import shot_budget

    rows = shot_budget(as_records(records), snr=snr, field=field)
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

    >>> from plateau_pl.plotting import legend_labels
    >>> recs = [{"experiment": "trainability", "remedy": r, "optimizer": "adam", "n_hidden": h,
    ...          "final_loss": 0.1 * h * s, "final_loss_stderr": 0.01,
    ...          "steps_to_threshold": 10 * h * s, "steps_to_threshold_stderr": 1.0}
    ...         for r, s in [("none", 1.0), ("small_init", 0.5)] for h in range(4)]
    >>> fig, axes = figure_trainability(recs)
    >>> [ax.get_ylabel() for ax in axes][0], legend_labels(axes[0])
    ('best loss reached (mean over seeds)', ['adam, exact', 'adam, exact, small_init'])
    """
    recs = [
        {**r, "setting": trainability_label(r)} for r in select_experiment(records, "trainability")
    ]
    fields = [y for y in ("final_loss", "steps_to_threshold") if has_field(recs, y)]
    if not fields:
        raise ConfigurationError(
            f"no trainability record has final_loss or steps_to_threshold; numeric fields "
            f"found: {fields_found(recs)}"
        )
    thresholds = _distinct(recs, "threshold")
    if title is None and axes is None:
        stated = "loss threshold " + ", ".join(f"{t:g}" for t in thresholds)
        title = _with("Trainability vs hidden qubits", stated if thresholds else None)
    if axes is None:
        fig = Figure(figsize=(PANEL[0] * len(fields), PANEL[1]), layout="constrained")
        axes = np.atleast_1d(fig.subplots(1, len(fields), squeeze=False)[0])
        if title:
            fig.suptitle(title)
    else:
        axes = check_axes(axes)
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
                ax.axhline(
                    t,
                    linestyle=DASHES[i % len(DASHES)],
                    linewidth=1.0,
                    color="0.3",
                    label=f"threshold {t:g}",
                    gid="threshold",
                )
            place_legend(ax)
    return fig, axes


def _safe_suffix(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name).strip("._") or "records"


def plot_records(records_or_path, out, y: str | None = None, x: str | None = None, pdf=False):
    """Figures for a set of records, saved: the ``plateau-pl plot RECORDS --out FILE`` command.

    Without ``y`` and ``x`` each experiment of the records gets its figure
    (:func:`figure_experiment`, the one its spec names): ``trace-distance`` →
    :func:`figure_trace_distance`, ``qnn-gradient`` / ``qbm-gradient`` →
    :func:`figure_gradient_variance`, ``area-law`` → :func:`figure_area_law`, ``mcclean`` →
    :func:`figure_mcclean`, ``haar-states`` → :func:`figure_haar_states`, ``noise`` →
    :func:`figure_noise`, ``trainability`` → :func:`figure_trainability`, an experiment without
    a spec → :func:`figure_overview`; an experiment with a spec whose records carry
    ``lipschitz_ratio`` also gets :func:`figure_lipschitz`. With ``y`` (and/or ``x``) a single
    :func:`plot_decay` of ``y`` against ``x`` (default ``n_hidden``; ``y`` defaults to the first
    measured field present) is drawn instead, series split by experiment when there are
    several, with the theory overlays and log axis of ``y``'s quantity.

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
    records = as_records(records_or_path)
    if not records:
        raise ConfigurationError("no records in the input: nothing to plot")
    out, _ = figure_target(out, "out")
    pdf = check_bool(pdf, "pdf")
    by_experiment: dict[str | None, list[dict]] = {}
    for r in records:
        name = r.get("experiment")
        by_experiment.setdefault(None if name is None else str(name), []).append(r)

    if y is not None:
        y = check_field(y, "y")
    if y is not None or x is not None:
        x = check_field(x or "n_hidden", "x")
        if y is None:
            y = next((q.field for q in MEASURED if has_field(records, q.field)), None)
            if y is None:
                raise ConfigurationError(
                    "no measured field to plot; numeric fields found: " + fields_found(records)
                )
        series = (("experiment",) if len(by_experiment) > 1 else ()) + DEFAULT_SERIES
        quantity = _quantity(y)
        theory = [t for t in quantity.theory if has_field(records, t)]
        fig, _ = plot_decay(records, y, x, series=series, theory=theory, logy=quantity.decays)
        return save_to(fig, out, pdf, "out")

    figures: list[tuple[str, Figure]] = []
    for name, recs in by_experiment.items():
        suffix = _safe_suffix(name or "records")
        if name not in SPECS:
            fig, _ = figure_overview(recs, title=name)
            figures.append((suffix, fig))
            continue
        fig, _ = figure_experiment(recs, name)
        figures.append((suffix, fig))
        if has_field(recs, "lipschitz_ratio"):
            figures.append((f"{suffix}-lipschitz", figure_lipschitz(recs)[0]))

    written: list[Path] = []
    for i, (suffix, fig) in enumerate(figures):
        target = out if i == 0 else out.with_name(f"{out.stem}-{suffix}{out.suffix}")
        written.extend(save_to(fig, target, pdf, "out"))
    return written


def write_figures(
    records: Mapping[str, list[dict]],
    folder,
    pdf: bool = False,
    figures: Sequence | None = None,
    studies: Sequence | None = None,
    on_skip: Callable[[str, Exception], None] | None = None,
) -> list:
    """Draw and save each of ``figures`` from the records of its studies; the written paths.

    Args:
        records: ``{study name: records}`` (a study without an entry has no records).
        folder: where the figures go (``<folder>/<stem>.png``).
        pdf: also write a PDF beside each.
        figures: the :class:`~plateau_pl.experiments.reproduce.PaperFigure` entries to write
            (default: ``reproduce``'s :data:`~plateau_pl.experiments.reproduce.PAPER_FIGURES`).
        studies: the studies, for the experiment of a figure without its own builder (default:
            :func:`~plateau_pl.experiments.reproduce.paper_studies`).
        on_skip: called with ``(stem, error)`` for a figure that has nothing to draw (say, every
            point of its study failed); the figure is skipped and the others are written.

    **Example**

    >>> import tempfile
    >>> recs = {"mcclean": [{"experiment": "mcclean", "model": "qnn", "n_qubits": n,
    ...                      "grad_variance": 2.0 ** -n} for n in (2, 3, 4)]}
    >>> skipped = []
    >>> paths = write_figures(recs, tempfile.mkdtemp(), on_skip=lambda s, e: skipped.append(s))
    >>> [p.name for p in paths], skipped[:2]
    (['fig_mcclean.png'], ['fig_trace_distance', 'fig_qnn_gradient'])
    """
    from plateau_pl.experiments.reproduce import PAPER_FIGURES, paper_studies

    figures = PAPER_FIGURES if figures is None else figures
    experiment_of = {s.name: s.experiment for s in (studies or paper_studies())}
    written = []
    for spec in figures:
        recs = [r for name in spec.studies for r in records.get(name, ())]
        try:
            if spec.figure is not None:
                fig, _ = resolve(spec.figure)(recs)
            else:
                fig, _ = figure_experiment(recs, experiment_of[spec.studies[0]])
        except PlateauError as exc:  # no records for this figure (e.g. all points failed)
            if on_skip is not None:
                on_skip(spec.stem, exc)
            continue
        written += save_figure(fig, Path(folder) / f"{spec.stem}.png", pdf=pdf)
    return written
