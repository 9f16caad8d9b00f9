"""``plateau-pl reproduce``: the paper's studies as sweeps, with their sizes.

Each :class:`Study` is one named experiment over a grid; :func:`paper_studies` lists them in
quick or full size, and :func:`run_studies` runs each into ``<out>/records/<study>.jsonl``
(resumable: a rerun skips the points already there). :data:`PAPER_FIGURES` lists the figures
drawn from those records (:func:`plateau_pl.plotting.figures.write_figures` draws them): each
names the studies whose records it draws and, by default, draws them with their experiment's
own figure (the one its spec in :data:`plateau_pl.experiments.specs.SPECS` names), so how an
experiment is drawn is said once.

Quick: n_hidden 0..5 for the QNN studies, 0..4 for the QBM, McClean n = 2..6 — seconds on two
cores. Full: n_hidden 0..8 (the QNN on 9 qubits), QBM n_hidden 0..7, McClean n = 2..10, 200
draws per point. McClean's circuits get L = 5n layers: at L = n they are far from the 2-design
regime of the literature (measured: −0.38 instead of −0.98 per qubit).

**Example**

>>> [s.name for s in paper_studies(quick=True)][:3]
['trace-distance-qnn', 'trace-distance-qbm', 'qnn-gradient']
>>> [(f.stem, f.studies) for f in PAPER_FIGURES][:2]
[('fig_trace_distance', ('trace-distance-qnn', 'trace-distance-qbm')),
 ('fig_qnn_gradient', ('qnn-gradient',))]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "PAPER_FIGURES",
    "PaperFigure",
    "Study",
    "paper_studies",
    "run_studies",
]


@dataclass(frozen=True)
class Study:
    """One named experiment over a grid."""

    name: str
    """The study's name (file stem of its records)."""
    experiment: str
    """The registry name of the experiment."""
    grid: dict | list = field(default_factory=dict)
    """Parameter grid (lists are swept, scalars fixed) or a list of points."""


@dataclass(frozen=True)
class PaperFigure:
    """One figure of ``plateau-pl reproduce``: ``figures/<stem>.png`` from some studies' records.

    >>> PaperFigure("fig_mcclean", ("mcclean",)).figure is None
    True
    """

    stem: str
    """The file stem under ``figures/``."""
    studies: tuple[str, ...]
    """The studies whose records it draws, together."""
    figure: str | None = None
    """``"module:function"`` drawing the records (``records -> (fig, axes)``); None: the figure
    of the studies' experiment (:func:`plateau_pl.plotting.figure_experiment`)."""


PAPER_FIGURES: tuple[PaperFigure, ...] = (
    PaperFigure("fig_trace_distance", ("trace-distance-qnn", "trace-distance-qbm")),
    PaperFigure("fig_qnn_gradient", ("qnn-gradient",)),
    PaperFigure("fig_qbm_gradient", ("qbm-gradient",)),
    PaperFigure("fig_area_law", ("area-law",)),
    PaperFigure("fig_mcclean", ("mcclean",)),
    PaperFigure(
        "fig_lipschitz", ("qnn-gradient",), figure="plateau_pl.plotting.figures:figure_lipschitz"
    ),
)
"""The figures ``reproduce`` writes, in this order (the order of ``summary.md``'s list)."""


def paper_studies(
    quick: bool = False,
    device: str = "default.qubit",
    shots: int | None = None,
    device_options: dict | None = None,
) -> list[Study]:
    """The studies behind the paper's figures (and the cross-checks), sized for ``quick``.

    ``device``, ``shots`` and ``device_options`` go to every QNN study (``shots`` and
    ``device_options`` only when given, so that earlier records still resume)."""
    dev = {"device": device}
    if shots is not None:
        dev["shots"] = shots
    if device_options:
        dev["device_options"] = dict(device_options)
    qnn_h = list(range(0, 6 if quick else 9))
    qbm_h = list(range(0, 5 if quick else 8))
    n_qnn, n_qbm = (100, 60) if quick else (200, 200)
    mcclean_n = list(range(2, 7 if quick else 11))
    qbm_norm = [None, "opnorm"]
    return [
        Study(
            name="trace-distance-qnn",
            experiment="trace-distance",
            grid={"model": "qnn", "n_hidden": qnn_h, "n_samples": n_qnn, **dev},
        ),
        Study(
            name="trace-distance-qbm",
            experiment="trace-distance",
            grid={"model": "qbm", "normalize": qbm_norm, "n_hidden": qbm_h, "n_samples": n_qbm},
        ),
        Study(
            name="qnn-gradient",
            experiment="qnn-gradient",
            grid={"n_hidden": qnn_h, "n_samples": n_qnn, **dev},
        ),
        Study(
            name="qbm-gradient",
            experiment="qbm-gradient",
            grid={"normalize": qbm_norm, "n_hidden": qbm_h, "n_samples": n_qbm},
        ),
        Study(
            name="area-law",
            experiment="area-law",
            grid={
                "ansatz": ["area_law", "random_two_local"],
                "n_hidden": qnn_h,
                "n_samples": n_qnn,
                **dev,
            },
        ),
        Study(
            name="mcclean",
            experiment="mcclean",
            grid=[
                {"n_qubits": n, "n_layers": 5 * n, "n_samples": 40 if quick else 200, **dev}
                for n in mcclean_n
            ],
        ),
    ]


def run_studies(
    studies,
    out,
    executor="serial",
    seed=0,
    progress=None,
    on_done=None,
    **executor_options,
):
    """Run each study into ``<out>/records/<name>.jsonl``; returns ``{name: SweepResult}``.

    Every study's grid and records file are checked before the first point of any study runs.
    Progress bars carry the study's name; ``on_done(name, result)``, if given, is called as each
    study finishes.
    """
    from plateau_pl.experiments.checks import check_grid
    from plateau_pl.experiments.registry import EXPERIMENTS, get_experiment
    from plateau_pl.experiments.sweep import expand_grid, run_sweep
    from plateau_pl.records import check_writable

    paths = {study.name: Path(out) / "records" / f"{study.name}.jsonl" for study in studies}
    for study in studies:
        registry = isinstance(study.experiment, str) and study.experiment in EXPERIMENTS
        check_grid(get_experiment(study.experiment), expand_grid(study.grid), registry)
        check_writable(paths[study.name])
    results = {}
    for study in studies:
        path = paths[study.name]
        results[study.name] = run_sweep(
            study.experiment,
            study.grid,
            path,
            executor=executor,
            seed=seed,
            progress=progress,
            label=study.name,
            **executor_options,
        )
        if on_done is not None:
            on_done(study.name, results[study.name])
    return results
