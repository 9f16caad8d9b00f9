"""The experiment specs: one description per experiment, read by registry, report, plotting, CLI."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

from plateau_pl.errors import ConfigurationError, PlateauTypeError
from plateau_pl.experiments import specs
from plateau_pl.experiments.registry import EXPERIMENTS, get_experiment
from plateau_pl.experiments.reproduce import PAPER_FIGURES, paper_studies
from plateau_pl.experiments.specs import (
    MEASURED,
    SPECS,
    ExperimentSpec,
    Quantity,
    get_spec,
    resolve,
)


def test_every_registered_experiment_has_a_spec_and_the_registry_is_read_from_them():
    assert list(SPECS) == list(EXPERIMENTS)
    assert EXPERIMENTS == {name: spec.function for name, spec in SPECS.items()}
    assert all(spec.name == name for name, spec in SPECS.items())


@pytest.mark.parametrize("name", list(SPECS))
def test_every_spec_function_and_figure_resolves(name):
    spec = SPECS[name]
    fn = resolve(spec.function)
    assert callable(fn) and get_experiment(name) is fn
    assert spec.summary and "\n" not in spec.summary and len(spec.summary) <= 62
    if spec.figure is not None:
        figure = resolve(spec.figure)
        params = inspect.signature(figure).parameters
        assert callable(figure) and set(spec.figure_options) <= set(params)


@pytest.mark.parametrize("name", list(SPECS))
def test_every_quantity_has_a_label_and_labelled_theory(name):
    from plateau_pl.plotting import AXIS_LABELS, THEORY_LABELS

    for q in SPECS[name].quantities:
        assert isinstance(q, Quantity)
        assert AXIS_LABELS[q.field] == q.label
        assert all(t in THEORY_LABELS for t in q.theory), q.theory
    assert SPECS[name].x in AXIS_LABELS


def test_measured_quantities_are_labelled_and_their_theory_is_labelled():
    from plateau_pl.plotting import AXIS_LABELS, THEORY_LABELS

    assert len({q.field for q in MEASURED}) == len(MEASURED)
    for q in MEASURED:
        assert AXIS_LABELS[q.field] == q.label
        assert all(t in THEORY_LABELS for t in q.theory)


def test_the_summary_rows_are_read_from_the_specs():
    """The rows every paper experiment had before the specs (new experiments add rows)."""
    from plateau_pl.report import QUANTITIES

    before = {
        "trace-distance": (("trace_distance", "n_hidden", "haar_trace_distance"),),
        "qnn-gradient": (
            ("grad_variance", "n_hidden", "haar_grad_variance"),
            ("grad_inf_norm_variance", "n_hidden", None),
            ("lipschitz_ratio", "n_hidden", "lipschitz_bound"),
        ),
        "qbm-gradient": (
            ("grad_variance", "n_hidden", None),
            ("grad_variance_hidden", "n_hidden", None),
            ("grad_variance_visible", "n_hidden", None),
            ("grad_inf_norm_variance", "n_hidden", None),
        ),
        "area-law": (
            ("grad_variance_visible", "n_hidden", None),
            ("grad_inf_norm_variance", "n_hidden", None),
            ("trace_distance", "n_hidden", "haar_trace_distance"),
        ),
        "mcclean": (("grad_variance", "n_qubits", "haar_grad_variance"),),
        "haar-states": (("trace_distance", "n_hidden", "haar_trace_distance"),),
    }
    assert {name: QUANTITIES[name] for name in before} == before


def test_the_paper_figures_draw_existing_studies():
    names = {s.name for s in paper_studies(quick=True)}
    assert [f.stem for f in PAPER_FIGURES] == [
        "fig_trace_distance",
        "fig_qnn_gradient",
        "fig_qbm_gradient",
        "fig_area_law",
        "fig_mcclean",
        "fig_lipschitz",
    ]
    for fig in PAPER_FIGURES:
        assert fig.studies and set(fig.studies) <= names
        if fig.figure is not None:
            assert callable(resolve(fig.figure))


def test_specs_import_only_the_standard_library():
    code = (
        "import sys, plateau_pl.experiments.specs, plateau_pl.experiments.registry\n"
        "bad = [m for m in ('numpy', 'torch', 'pennylane', 'matplotlib') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_unknown_names_and_bad_targets_are_refused():
    with pytest.raises(ConfigurationError, match="unknown experiment 'nope'; available: area-law"):
        get_spec("nope")
    with pytest.raises(PlateauTypeError):
        get_spec(3)
    for bad in ("no_colon", ":x", "mod:", 3):
        with pytest.raises(PlateauTypeError, match="module:function"):
            resolve(bad)
    with pytest.raises(PlateauTypeError, match="summary"):
        ExperimentSpec("toy", "m:f", "")


def test_specs_are_frozen():
    spec = get_spec("mcclean")
    with pytest.raises(AttributeError):
        spec.x = "n_hidden"
    with pytest.raises(TypeError):
        spec.figure_options["model"] = "qbm"


def test_a_spec_without_a_figure_gets_one_panel_per_quantity(monkeypatch, tmp_path):
    """What a new experiment gets for free: its spec alone decides its figure and labels."""
    from plateau_pl.plotting import figure_experiment, legend_labels, plot_records

    toy = ExperimentSpec(
        "toy",
        "plateau_pl.stats:fit_decay",
        "a toy",
        x="n_layers",
        quantities=(specs.GRAD_VARIANCE, specs.PURITY),
    )
    monkeypatch.setitem(SPECS, "toy", toy)
    recs = [
        {
            "experiment": "toy",
            "model": "qnn",
            "n_layers": L,
            "grad_variance": 2.0**-L,
            "haar_grad_variance": 2.0**-L,
            "purity": 0.5 + 2.0**-L,
        }
        for L in range(1, 5)
    ]
    fig, axes = figure_experiment(recs, "toy")
    assert [ax.get_ylabel() for ax in axes] == [specs.GRAD_VARIANCE.label, specs.PURITY.label]
    assert [ax.get_yscale() for ax in axes] == ["log", "linear"]
    assert axes[0].get_xlabel() == "layers L" and fig.get_suptitle() == "toy"
    assert legend_labels(axes[0])[0] == "qnn: fitted rate −1.00 ± 0.00 log₂ y per layer"
    assert "Haar" in legend_labels(axes[0])
    assert [p.name for p in plot_records(recs, tmp_path / "toy.png")] == ["toy.png"]
