"""Figures from records and results: decay plots with error bars, fitted slopes and theory.

Three modules, one job each (imports flow core ← figures, core ← maps):

* :mod:`plateau_pl.plotting.core` — reading records, grouping them into series, fitted decay
  rates, :func:`plot_decay`, legends, :func:`new_axes` and :func:`save_figure`;
* :mod:`plateau_pl.plotting.figures` — the figure of each experiment (as its spec in
  :data:`plateau_pl.experiments.specs.SPECS` names it) and :func:`plot_records`;
* :mod:`plateau_pl.plotting.maps` — gradient-variance heat maps and entropy profiles.

None of them imports torch or PennyLane: computing and plotting never share a process. Every
name below is importable from ``plateau_pl.plotting`` itself.

**Example**

>>> from plateau_pl.plotting import legend_labels, plot_decay
>>> recs = [{"model": "qnn", "n_hidden": h, "grad_variance": 2.0 ** -h} for h in range(1, 4)]
>>> legend_labels(plot_decay(recs, "grad_variance")[1])[0]
'qnn: fitted rate −1.00 ± 0.00 log₂ y per qubit'
"""

from __future__ import annotations

from plateau_pl.plotting.core import (
    AXIS_LABELS,
    DEFAULT_SERIES,
    THEORY_LABELS,
    decay_rates,
    legend_labels,
    new_axes,
    plot_decay,
    save_figure,
)
from plateau_pl.plotting.figures import (
    figure_area_law,
    figure_experiment,
    figure_gradient_variance,
    figure_haar_states,
    figure_lipschitz,
    figure_mcclean,
    figure_noise,
    figure_overview,
    figure_shot_budget,
    figure_trace_distance,
    figure_trainability,
    plot_records,
    trainability_label,
)
from plateau_pl.plotting.maps import figure_entropy_profile, figure_gradient_map

__all__ = [
    "AXIS_LABELS",
    "DEFAULT_SERIES",
    "THEORY_LABELS",
    "decay_rates",
    "figure_area_law",
    "figure_entropy_profile",
    "figure_experiment",
    "figure_gradient_map",
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
    "new_axes",
    "plot_decay",
    "plot_records",
    "save_figure",
    "trainability_label",
]
