"""One description per experiment: what it computes, what it measures, how it is drawn.

An :class:`ExperimentSpec` names an experiment's function, its one-line help, the parameter on
its default x axis, the :class:`Quantity` values it measures and the figure that draws its
records; :data:`SPECS` holds every experiment of the package. Everything else reads this table:

* :mod:`plateau_pl.experiments.registry` — ``EXPERIMENTS`` (name → ``"module:function"``);
* :mod:`plateau_pl.report` — the rows of ``summary.md`` (the decaying quantities of each
  experiment whose x axis counts qubits, with the first theory field as the reference);
* :mod:`plateau_pl.plotting` — axis and legend labels, which theory overlays a measured field,
  whether it decays (log axis and a fitted rate) and the figure ``plot_records`` draws;
* :mod:`plateau_pl.cli` — the experiments listed by ``plateau-pl sweep --help``.

Functions and figures are ``"module:function"`` strings, imported only when used
(:func:`resolve`), so this module needs nothing but the standard library: reading it loads
neither numpy, torch, PennyLane nor matplotlib.

**Example**

>>> spec = get_spec("mcclean")
>>> spec.x, [q.field for q in spec.quantities], spec.quantities[0].theory
('n_qubits', ['grad_variance'], ('haar_grad_variance',))
>>> spec.function
'plateau_pl.experiments.paper:mcclean'
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from plateau_pl.errors import ConfigurationError, PlateauTypeError

__all__ = [
    "DEFAULT_SERIES",
    "MEASURED",
    "QUANTITY_LABELS",
    "SPECS",
    "THEORY_LABELS",
    "ExperimentSpec",
    "Quantity",
    "get_spec",
    "resolve",
]


DEFAULT_SERIES = ("model", "ansatz", "hamiltonian", "normalize")
"""Record fields whose values name a series by default."""


@dataclass(frozen=True)
class Quantity:
    """A measured record field: its label, the theory fields drawn beside it, whether it decays.

    >>> q = Quantity("purity", "mean purity Tr ρ_v²", theory=("haar_purity",), decays=False)
    >>> q.reference, Quantity("grad_inf_norm_variance", "var").reference is None
    ('haar_purity', True)
    """

    field: str
    """The record field (its standard error is ``<field>_stderr``)."""
    label: str
    """The axis label of the field."""
    theory: tuple[str, ...] = ()
    """Theory fields drawn dashed beside it (keys of :data:`THEORY_LABELS`); the first is the
    reference of ``summary.md``."""
    decays: bool = True
    """Drawn on a log axis with a fitted rate; ``summary.md`` reports its rate."""

    @property
    def reference(self) -> str | None:
        """The theory field ``summary.md`` fits beside the measured rate (the first), or None."""
        return self.theory[0] if self.theory else None


@dataclass(frozen=True)
class ExperimentSpec:
    """Everything the package knows of one experiment, in one place.

    >>> spec = ExperimentSpec("toy", "plateau_pl.stats:fit_decay", "a toy",
    ...                       quantities=(TRACE_DISTANCE,))
    >>> spec.figure is None, spec.fields
    (True, ('trace_distance',))
    """

    name: str
    """The registry name (``plateau-pl sweep NAME``, the records' ``experiment`` field)."""
    function: str
    """``"module:function"`` computing one record from a grid point's parameters."""
    summary: str
    """One line of help (``plateau-pl sweep --help``)."""
    x: str = "n_hidden"
    """The parameter on the default x axis of its figure and its fitted rates."""
    quantities: tuple[Quantity, ...] = ()
    """What it measures, in the order of ``summary.md`` and of a generic figure's panels."""
    figure: str | None = None
    """``"module:function"`` drawing its records (``records -> (fig, axes)``); None: one panel
    per quantity against :attr:`x`."""
    figure_options: Mapping[str, object] = field(default_factory=dict)
    """Keyword arguments of :attr:`figure`."""
    series: tuple[str, ...] = DEFAULT_SERIES
    """The record fields whose values name a series (of ``summary.md``'s rows and of the
    generic figure's lines)."""

    def __post_init__(self) -> None:
        for name in ("name", "function", "summary", "x"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name):
                raise PlateauTypeError(f"ExperimentSpec.{name} must be a non-empty string")
        object.__setattr__(self, "quantities", tuple(self.quantities))
        object.__setattr__(self, "series", tuple(self.series))
        object.__setattr__(self, "figure_options", MappingProxyType(dict(self.figure_options)))

    @property
    def fields(self) -> tuple[str, ...]:
        """The record fields of :attr:`quantities`."""
        return tuple(q.field for q in self.quantities)


def resolve(target: str):
    """The object a ``"module:function"`` string names, imported now.

    >>> resolve("plateau_pl.errors:ConfigurationError").__name__
    'ConfigurationError'
    """
    module, sep, name = target.partition(":") if isinstance(target, str) else ("", "", "")
    if not sep or not module or not name:
        raise PlateauTypeError(f"a target must be 'module:function'; got {target!r}")
    return getattr(importlib.import_module(module), name)


# --------------------------------------------------------------------------- labels

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

# --------------------------------------------------------------------------- quantities

TRACE_DISTANCE = Quantity(
    "trace_distance",
    "mean trace distance to I/D_v",
    theory=("haar_trace_distance", "paper_trace_distance_bound"),
)
GRAD_VARIANCE = Quantity(
    "grad_variance", "gradient variance (mean over parameters)", theory=("haar_grad_variance",)
)
GRAD_INF_NORM_VARIANCE = Quantity("grad_inf_norm_variance", r"variance of $\|\nabla f\|_\infty$")
GRAD_VARIANCE_HIDDEN = Quantity(
    "grad_variance_hidden", "gradient variance (hidden-touching parameters)"
)
GRAD_VARIANCE_VISIBLE = Quantity(
    "grad_variance_visible", "gradient variance (visible-only parameters)"
)
PURITY = Quantity("purity", "mean purity Tr ρ_v²", theory=("haar_purity",), decays=False)
ENTROPY = Quantity(
    "entropy",
    "mean entanglement entropy S(ρ_v) (nats)",
    theory=("page_entropy", "entropy_bound"),
    decays=False,
)
LIPSCHITZ_RATIO = Quantity(
    "lipschitz_ratio", "finite-difference ratio E|Δf|/δ", theory=("lipschitz_bound",)
)
FINAL_LOSS = Quantity("final_loss", "best loss reached (mean over seeds)", decays=False)
STEPS_TO_THRESHOLD = Quantity(
    "steps_to_threshold", "steps to the threshold (censored at the budget)", decays=False
)
SUCCESS_FRACTION = Quantity(
    "success_fraction", "fraction of seeds reaching the threshold", decays=False
)
SHOTS_FOR_SNR = Quantity("shots_for_snr", "shots per circuit for the target SNR")

MEASURED: tuple[Quantity, ...] = (
    TRACE_DISTANCE,
    GRAD_VARIANCE,
    GRAD_INF_NORM_VARIANCE,
    GRAD_VARIANCE_HIDDEN,
    GRAD_VARIANCE_VISIBLE,
    PURITY,
    ENTROPY,
    LIPSCHITZ_RATIO,
)
"""The quantities a figure without a dedicated builder looks for (``figure_overview``, the
default of ``plateau-pl plot --y``), in panel order."""

# --------------------------------------------------------------------------- experiments

_PAPER = "plateau_pl.experiments.paper"
_FIGURES = "plateau_pl.plotting.figures"

SPECS: dict[str, ExperimentSpec] = {
    s.name: s
    for s in (
        ExperimentSpec(
            "trace-distance",
            f"{_PAPER}:trace_distance",
            "Fig. (a): trace distance of ρ_v to I/D_v, QNN or QBM",
            quantities=(TRACE_DISTANCE,),
            figure=f"{_FIGURES}:figure_trace_distance",
        ),
        ExperimentSpec(
            "qnn-gradient",
            f"{_PAPER}:qnn_gradient",
            "Fig. (b): gradient variance of a QNN, its Lipschitz ratio",
            quantities=(GRAD_VARIANCE, GRAD_INF_NORM_VARIANCE, LIPSCHITZ_RATIO),
            figure=f"{_FIGURES}:figure_gradient_variance",
            figure_options={"model": "qnn"},
        ),
        ExperimentSpec(
            "qbm-gradient",
            f"{_PAPER}:qbm_gradient",
            "Fig. (c): gradient variance of a QBM, with/without opnorm",
            # the Haar values are a reference for circuits, not a prediction for a QBM
            quantities=(
                replace(GRAD_VARIANCE, theory=()),
                GRAD_VARIANCE_HIDDEN,
                GRAD_VARIANCE_VISIBLE,
                GRAD_INF_NORM_VARIANCE,
            ),
            figure=f"{_FIGURES}:figure_gradient_variance",
            figure_options={"model": "qbm"},
        ),
        ExperimentSpec(
            "area-law",
            f"{_PAPER}:area_law",
            "the area-law ansatz vs random_two_local: no decay",
            quantities=(GRAD_VARIANCE_VISIBLE, GRAD_INF_NORM_VARIANCE, TRACE_DISTANCE, ENTROPY),
            figure=f"{_FIGURES}:figure_area_law",
        ),
        ExperimentSpec(
            "mcclean",
            f"{_PAPER}:mcclean",
            "McClean et al.: gradient variance vs the number of qubits",
            x="n_qubits",
            quantities=(GRAD_VARIANCE,),
            figure=f"{_FIGURES}:figure_mcclean",
        ),
        ExperimentSpec(
            "haar-states",
            "plateau_pl.experiments.haar:haar_states",
            "Haar-random states: ρ_v's statistics and closed forms",
            quantities=(TRACE_DISTANCE, PURITY, ENTROPY),
            figure=f"{_FIGURES}:figure_haar_states",
        ),
        ExperimentSpec(
            "trainability",
            "plateau_pl.experiments.trainability:trainability",
            "training vs hidden qubits, with remedies: loss, steps",
            quantities=(FINAL_LOSS, STEPS_TO_THRESHOLD, SUCCESS_FRACTION),
            figure=f"{_FIGURES}:figure_trainability",
        ),
        ExperimentSpec(
            "noise",
            "plateau_pl.experiments.noise:noise",
            "noise-induced plateaus: noisy QNN's gradients vs depth",
            x="n_layers",
            quantities=(GRAD_VARIANCE, replace(TRACE_DISTANCE, theory=(), decays=False)),
            figure=f"{_FIGURES}:figure_noise",
        ),
        ExperimentSpec(
            "cost-locality",
            "plateau_pl.experiments.locality:cost_locality",
            "Cerezo et al.: local vs global visible observable",
            x="n_visible",
            quantities=(GRAD_VARIANCE,),
            series=("ansatz", "locality"),
        ),
    )
}
"""Every experiment of the package, by name, in the registry's order."""

QUANTITY_LABELS: dict[str, str] = {}
for _q in (*MEASURED, FINAL_LOSS, STEPS_TO_THRESHOLD, SUCCESS_FRACTION, SHOTS_FOR_SNR):
    QUANTITY_LABELS.setdefault(_q.field, _q.label)
for _q in (q for s in SPECS.values() for q in s.quantities):
    QUANTITY_LABELS.setdefault(_q.field, _q.label)
del _q
"""Axis labels of the measured record fields (the first definition of a field wins)."""


def get_spec(name: str) -> ExperimentSpec:
    """The spec of a named experiment.

    >>> get_spec("noise").x
    'n_layers'

    Raises:
        ConfigurationError: no experiment of that name.
    """
    if not isinstance(name, str):
        raise PlateauTypeError(f"experiment must be a name; got {type(name).__name__}")
    if name not in SPECS:
        raise ConfigurationError(
            f"unknown experiment {name!r}; available: {', '.join(sorted(SPECS))}"
        )
    return SPECS[name]
