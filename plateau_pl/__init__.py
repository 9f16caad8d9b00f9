"""plateau_pl: find, measure and avoid entanglement-induced barren plateaus.

Imports are lazy (PEP 562): ``import plateau_pl`` loads neither PennyLane nor torch, so
:mod:`plateau_pl.theory` (and later the plotting module) can be used without them; a name is
imported from its module the first time it is used.

**Example**

>>> import plateau_pl as pp
>>> layout = pp.WireLayout(n_visible=1, n_hidden=3)
>>> layout.dim_visible, layout.dim_hidden
(2, 8)
>>> round(pp.theory.haar_purity(2, 8), 6)
0.588235
"""

from __future__ import annotations

from plateau_pl._lazy import lazy_getattr
from plateau_pl._version import __version__

_EXPORTS = {
    # circuits
    "WireLayout": "plateau_pl.circuits",
    "ANSATZE": "plateau_pl.circuits",
    "make_ansatz": "plateau_pl.circuits",
    # models
    "QNN": "plateau_pl.models",
    "QBM": "plateau_pl.models",
    "gibbs_state": "plateau_pl.models",
    "NoisyQNN": "plateau_pl.models",
    "NoiseModel": "plateau_pl.models",
    # quantum information math
    "partial_trace": "plateau_pl.quantum",
    "reduced_density_matrix": "plateau_pl.quantum",
    "purity": "plateau_pl.quantum",
    "trace_distance": "plateau_pl.quantum",
    "trace_distance_to_maximally_mixed": "plateau_pl.quantum",
    "von_neumann_entropy": "plateau_pl.quantum",
    "renyi2_entropy": "plateau_pl.quantum",
    "entanglement_entropy": "plateau_pl.quantum",
    "relative_entropy": "plateau_pl.quantum",
    # experiments
    "run_sweep": "plateau_pl.experiments",
    "load_records": "plateau_pl.experiments",
    # diagnostics
    "fit_decay": "plateau_pl.diagnostics",
    "gradient_variance": "plateau_pl.diagnostics",
    "visible_state_stats": "plateau_pl.diagnostics",
    "lipschitz_ratio": "plateau_pl.diagnostics",
    "gradient_map": "plateau_pl.diagnostics",
    "entropy_profile": "plateau_pl.diagnostics",
    # prediction and budgets
    "predict_variance": "plateau_pl.lie",
    "shot_budget": "plateau_pl.budget",
    # errors
    "PlateauError": "plateau_pl.errors",
    # engines
    "select_engine": "plateau_pl.engines",
}
_SUBMODULES = {
    "circuits",
    "models",
    "quantum",
    "theory",
    "errors",
    "diagnostics",
    "engines",
    "experiments",
    "cli",
    "hamiltonians",
    "train",
    "plotting",
    "report",
    "remedies",
    "lie",
    "budget",
    "records",
    "stats",
}

__all__ = ["__version__", *sorted(_EXPORTS), *sorted(_SUBMODULES)]


__getattr__ = lazy_getattr("plateau_pl", _EXPORTS, globals(), _SUBMODULES)


def __dir__():
    return sorted(set(globals()) | set(__all__))
