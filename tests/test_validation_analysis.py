"""Bad input at the public boundary of the analysis side: statistics, diagnostics, theory,
budget, training, Lie algebra, reports and plots.

Every refusal is a member of the PlateauError family and names the argument; valid edge cases
(huge dimensions, two values) keep giving the textbook answers.
"""

from __future__ import annotations

import math

import numpy as np
import pennylane as qml
import pytest
import torch

import plateau_pl as pp
from plateau_pl import theory
from plateau_pl.budget import format_shot_budget, shot_budget
from plateau_pl.diagnostics import ensembles, sample_variance
from plateau_pl.errors import (
    ConfigurationError,
    PlateauError,
    PlateauTypeError,
    ResourceError,
    ShapeError,
    WireError,
)
from plateau_pl.lie import decompose_algebra, g_purity, lie_algebra
from plateau_pl.lie.words import word_from_string
from plateau_pl.plotting import decay_rates, legend_labels, plot_decay, save_figure
from plateau_pl.plotting.maps import figure_entropy_profile, figure_gradient_map
from plateau_pl.remedies import entanglement_penalty
from plateau_pl.report import summary_table
from plateau_pl.stats import fit_decay, mean_stderr, variance_stderr
from plateau_pl.train import NonFiniteLossError, fit, fit_pennylane, fit_scipy, fit_spsa, fit_target
from plateau_pl.train.ensemble import task_qnn, train_qnn_ensemble
from plateau_pl.train.tasks import ClassificationTask, StateTask, make_task

LAYOUT = pp.WireLayout(1, 1)


@pytest.fixture(scope="module")
def qnn():
    return pp.QNN(LAYOUT, "hardware_efficient", n_layers=1, device="default.qubit", seed=0)


@pytest.fixture(scope="module")
def qbm():
    return pp.QBM(LAYOUT, pp.hamiltonians.random_two_local(LAYOUT, seed=0))


@pytest.fixture
def small_memory(monkeypatch):
    """A 1 MB allowance, so that the memory guard is exercised without big numbers."""
    monkeypatch.setenv("PLATEAU_PL_MAX_BYTES", "1e6")


# -- statistics ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (([], []), ShapeError, "x and y need at least 3 points"),
        (([1.0], [0.5]), ShapeError, "x and y need at least 3 points"),
        (([1.0, 2.0], [0.5, 0.25]), ShapeError, r"at least 3 points .*\(2 with yerr\); got 2"),
        (([1.0, 2.0], [0.5, 0.25], [0.1]), ShapeError, "yerr must have the length of y"),
        (([1, 2, 3], [0.5, 0.25]), ShapeError, "x and y must have the same length; got 3 and 2"),
        (([1, 2, 3], [0.5, np.nan, 0.1]), PlateauError, "y must be finite"),
        (([1, 2, np.inf], [0.5, 0.2, 0.1]), PlateauError, "x must be finite"),
        (([1, 2, 3], [0.5, 0.0, 0.1]), PlateauError, r"y must be > 0 \(fit_decay fits ln y\)"),
        (([1, 2, 3], [0.5, -1.0, 0.1]), PlateauError, r"y must be > 0.*y\[1\] = -1.0"),
        (([1, 2, 3], [0.5, 0.2, 0.1], [0.1, 0.0, 0.1]), PlateauError, "yerr must be > 0"),
        (([1, 1, 1], [0.5, 0.2, 0.1]), ShapeError, "x must have at least 2 distinct values"),
        ((["a", "b", "c"], [0.5, 0.2, 0.1]), PlateauTypeError, "x must be a real numeric"),
        (([[1, 2, 3]], [[0.5, 0.2, 0.1]]), ShapeError, "x must be a 1-d array"),
    ],
)
def test_fit_decay_refuses_what_has_no_honest_slope(args, error, match):
    with pytest.raises(error, match=match):
        fit_decay(*args)


def test_fit_decay_with_errors_needs_two_points_and_propagates_them():
    slope, err = fit_decay([1.0, 2.0], [0.5, 0.25], [0.01 * 0.5, 0.01 * 0.25])
    assert slope == pytest.approx(-math.log(2), rel=1e-12)
    assert err == pytest.approx(math.sqrt(2) * 0.01, rel=1e-9)  # √(σ₁² + σ₂²) of ln y


def test_fit_decay_of_extreme_but_finite_values_is_finite():
    x = np.arange(1.0, 5.0)
    y = np.exp(700.0 - 460.0 * (x - 1))  # from 1e304 down to 1e-296
    slope, err = fit_decay(x, y, 1e-3 * y)
    assert slope == pytest.approx(-460.0, rel=1e-12) and 0 < err < 2e-3
    y = np.exp(700.0 - 100.0 * (x - 1))
    slope, err = fit_decay(x, y, 1e-200 * y)  # (y/yerr)² = 1e400 overflows: rescaled exactly
    assert slope == pytest.approx(-100.0, rel=1e-12) and 0 < err < 1e-10  # rounding


@pytest.mark.parametrize(
    ("x", "error", "match"),
    [
        ([], ShapeError, "x needs at least 2 values for a standard error; got 0"),
        ([1.0], ShapeError, "x needs at least 2 values for a standard error; got 1"),
        ([1.0, np.nan], PlateauError, "x must be finite"),
        ([[1.0, 2.0]], ShapeError, "x must be a 1-d array"),
        ("ab", PlateauTypeError, "x must be a real numeric array"),
    ],
)
def test_mean_stderr_refuses_bad_input(x, error, match):
    with pytest.raises(error, match=match):
        mean_stderr(x)


@pytest.mark.parametrize(
    ("grads", "error", "match"),
    [
        (np.zeros((0, 3)), ShapeError, "grads needs at least 2 draws"),
        (np.zeros((1, 3)), ShapeError, "grads needs at least 2 draws .*; got 1"),
        (np.zeros((4, 0)), ShapeError, "grads must hold at least one parameter"),
        (np.array(1.0), ShapeError, "grads must have a leading axis of draws"),
        ([[1.0, np.inf], [0.0, 1.0]], PlateauError, "grads must be finite"),
        ("abc", PlateauTypeError, "grads must be a real numeric array"),
    ],
)
def test_variance_stderr_refuses_bad_input(grads, error, match):
    with pytest.raises(error, match=match):
        variance_stderr(grads)


def test_mean_stderr_of_two_values_is_the_textbook_formula():
    a, b = 1.25, 4.0
    mean, err = mean_stderr([a, b])
    assert mean == (a + b) / 2
    # s² = (a − b)²/2 with ddof=1, so s/√2 = |a − b|/2
    assert err == pytest.approx(abs(a - b) / 2, rel=1e-15)


def test_variance_stderr_of_two_draws_is_the_textbook_formula():
    g = np.array([[1.0, 3.0], [2.0, -1.0]])
    var, err = variance_stderr(g)
    assert var == pytest.approx(np.var(g, axis=0, ddof=1).mean(), rel=1e-15)
    assert math.isfinite(err)


def test_statistics_of_huge_finite_values_never_give_nan():
    assert mean_stderr([1e308, 1e308]) == (1e308, 0.0)
    assert mean_stderr([1e308, -1e308])[0] == 0.0
    var, err = variance_stderr([[1e150], [-1e150]])
    assert var == pytest.approx(2e300, rel=1e-12) and err == 0.0  # no inf − inf on the way


def test_gradient_stats_name_the_gradients():
    from plateau_pl.diagnostics.results import GradientStats

    with pytest.raises(ShapeError, match="grads needs at least 2 draws"):
        GradientStats.from_gradients(np.zeros((1, 3)))
    with pytest.raises(ShapeError, match="hidden_mask must have one entry per parameter"):
        GradientStats.from_gradients(np.ones((3, 2)), hidden_mask=[True])


# -- diagnostics --------------------------------------------------------------------------------
def test_gradient_variance_refuses_an_observable_a_qnn_would_ignore(qnn):
    with pytest.raises(WireError, match="observable acts on wire 1, which is hidden"):
        pp.gradient_variance(qnn, n_samples=4, seed=0, observable=qml.Z(1))
    with pytest.raises(ConfigurationError, match=r"observable=.* would be ignored"):
        pp.gradient_variance(qnn, n_samples=4, seed=0, observable=qml.X(0))
    with pytest.raises(PlateauTypeError, match="observable must be a PennyLane observable"):
        pp.gradient_variance(qnn, n_samples=4, seed=0, observable="Z0")
    # the QNN's own observable is what it measures anyway
    own = pp.gradient_variance(qnn, n_samples=4, seed=0, observable=qml.Z(0))
    assert own.variance == pp.gradient_variance(qnn, n_samples=4, seed=0).variance


def test_gradient_variance_checks_a_qbm_observable_before_drawing(qbm):
    with pytest.raises(WireError, match="observable acts on wire 1, which is hidden"):
        pp.gradient_variance(qbm, n_samples=4, seed=0, observable=qml.Z(1))
    with pytest.raises(PlateauTypeError, match="observable must be a PennyLane observable"):
        pp.gradient_variance(qbm, n_samples=4, seed=0, observable="Z0")
    x = pp.gradient_variance(qbm, n_samples=4, seed=0, observable=np.diag([1.0, -1.0]))
    z = pp.gradient_variance(qbm, n_samples=4, seed=0)
    assert x.variance == pytest.approx(z.variance, rel=1e-12)  # the same Z, as a matrix


@pytest.mark.parametrize("call", ["gradient_variance", "visible_state_stats"])
def test_diagnostic_sizes_must_be_integers(qnn, call):
    with pytest.raises(
        PlateauTypeError, match=r"n_samples must be an integer; got 1000000000000\.0"
    ):
        getattr(pp, call)(qnn, n_samples=1e12, seed=0)


def test_diagnostics_refuse_ensembles_that_cannot_fit(qnn, qbm):
    with pytest.raises(ResourceError, match=r"10000000000000 draws .*use fewer draws"):
        pp.gradient_variance(qnn, n_samples=10**13, seed=0)
    with pytest.raises(ResourceError, match=r"draws .*at most n_samples="):
        pp.visible_state_stats(qbm, n_samples=10**13, seed=0)
    with pytest.raises(ResourceError, match="use fewer draws"):
        pp.lipschitz_ratio(qnn, delta=0.1, n_samples=10**13, seed=0)
    with pytest.raises(ResourceError, match="use fewer draws"):
        ensembles.ensemble_seeds(0, 10**15)


def test_histogram_bins(qnn, small_memory):
    with pytest.raises(PlateauTypeError, match=r"bins must be an integer; got 1000000000\.0"):
        pp.visible_state_stats(qnn, n_samples=4, seed=0, bins=1e9)
    with pytest.raises(ResourceError, match=r"a histogram of 1000000000 bins.*use fewer bins"):
        pp.visible_state_stats(qnn, n_samples=4, seed=0, bins=10**9)


def test_lipschitz_delta(qnn):
    with pytest.raises(PlateauTypeError, match="delta must be a real number"):
        pp.lipschitz_ratio(qnn, delta="0.1", n_samples=4, seed=0)
    with pytest.raises(ConfigurationError, match="delta must be a finite non-zero number; got nan"):
        pp.lipschitz_ratio(qnn, delta=float("nan"), n_samples=4, seed=0)


def test_ensemble_helpers_name_the_model(qbm, qnn):
    with pytest.raises(PlateauTypeError, match="qnn must be a plateau_pl QNN"):
        ensembles.qnn_gradients(qbm, n_samples=4, seed=0)
    with pytest.raises(PlateauTypeError, match="qbm must be a plateau_pl QBM"):
        ensembles.qbm_gradients(qnn, n_samples=4, seed=0)
    with pytest.raises(PlateauTypeError, match="resample_structure must be True or False"):
        pp.gradient_variance(qnn, n_samples=4, seed=0, resample_structure="yes")


# -- theory -------------------------------------------------------------------------------------
def test_theory_at_n_hidden_2000_matches_log_space_closed_forms():
    d_h = 2**2000
    log_d_h = 2000 * math.log(2)
    # E T = ½ B(2, N)/B(3/2, N) ≈ (π N)^-½ for N = d_h - 1 (relative error ~ 1/N)
    expected = math.exp(-0.5 * (math.log(math.pi) + log_d_h))
    assert theory.haar_trace_distance(2, d_h) == pytest.approx(expected, rel=1e-12)
    assert 0 < theory.haar_trace_distance(2, d_h) < 1e-300
    # ½ √(d_v/d_h) and ½ √((d_v² − 1)/(d_v d_h + 1)): square roots of ratios below 1e-600
    bound = theory.paper_trace_distance_bound(2, d_h)
    assert bound == pytest.approx(math.exp(math.log(0.5) + 0.5 * (math.log(2) - log_d_h)))
    tight = theory.haar_trace_distance_bound(2, d_h)
    assert tight == pytest.approx(
        math.exp(math.log(0.5) + 0.5 * (math.log(3) - math.log(2) - log_d_h))
    )
    assert theory.lipschitz_bound(0.0, 1.0, 1.0, 2, d_h) == pytest.approx(2 * bound)
    # Page: ln m − m/(2n) + O(1/n): ln 2 to the last bit
    assert theory.page_entropy(2, d_h) == math.log(2)
    assert theory.page_entropy(d_h, d_h) == pytest.approx(log_d_h - 0.5, rel=1e-15)
    assert theory.haar_purity(2, d_h) == 0.5


def test_theory_underflows_to_exact_zero():
    d = 2**2001  # 2/d = 2^-2000: below the smallest float
    assert theory.haar_gradient_variance(d) == 0.0
    assert theory.haar_pauli_variance(d) == 0.0
    assert theory.haar_observable_variance(1.0, d=d) == 0.0
    assert theory.parameter_shift_variance(2**2000) == 0.0
    # just above the smallest float: correctly rounded, not flushed to zero
    assert theory.haar_gradient_variance(2**1074) == 2.0**-1073
    assert theory.lipschitz_bound(1000.0, 0.0, 1.0, 2, 4) == 0.0  # 0 · e^2000


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: theory.shots_for_snr(1e-320), r"shots_for_snr: .*grad_variance.* 10\^320"),
        (lambda: theory.shots_for_snr(0.1, snr=1e200), "grad_variance .*snr"),
        (lambda: theory.lipschitz_bound(1000.0, 1.0, 1.0, 2, 4), "delta and generator_norm"),
        (lambda: theory.lipschitz_bound(-1e308, 1.9, 0.27, 3, 2), "delta and generator_norm"),
        (lambda: theory.haar_gradient_variance(8, generator_scale=1e200), "generator_scale"),
        (lambda: theory.paper_trace_distance_bound(2**5000, 1), "d_v"),
    ],
)
def test_theory_refuses_values_past_the_largest_float(call, match):
    with pytest.raises(PlateauError, match=match):
        call()


def test_theory_keeps_ordinary_values_bit_for_bit():
    assert theory.haar_gradient_variance(8) == 2.0 * 8 * 8 / ((64 - 1) * 9)
    assert theory.haar_pauli_variance(6) == (6 - 0.0**2 / 6) / (6 * 7)
    assert theory.haar_trace_distance(3, 1) == 1.0 - 1.0 / 3


def test_theory_refuses_invalid_inputs_by_name():
    with pytest.raises(PlateauError, match=r"obs_or_trace_sq .* must be >= trace\^2/d"):
        theory.haar_observable_variance(1.0, d=4, trace=4.0)
    with pytest.raises(PlateauError, match="obs_or_trace_sq must be a Hermitian matrix"):
        theory.haar_observable_variance(np.array([[0.0, 1.0], [0.0, 0.0]]))
    with pytest.raises(PlateauTypeError, match=r"d_h must be an integer; got 1e\+300"):
        theory.page_entropy(2, 1e300)
    with pytest.raises(PlateauError, match="generator_scale must be finite"):
        theory.haar_gradient_variance(8, generator_scale=float("inf"))


# -- budget, report, plots ----------------------------------------------------------------------
@pytest.mark.parametrize("records", ["runs/grad.jsonl", None, 3, {"grad_variance": 0.1}])
def test_record_readers_want_a_list_of_dicts(records):
    with pytest.raises(PlateauTypeError, match="records must be a list of dicts"):
        shot_budget(records)
    with pytest.raises(PlateauTypeError, match="records must be a list of dicts"):
        summary_table(records)


def test_record_values_are_named():
    rec = {"generator_scale": 1.0, "n_hidden": 1, "grad_variance": "0.1"}
    with pytest.raises(PlateauTypeError, match=r"records\[1\]\['grad_variance'\] must be a real"):
        shot_budget([{"n_hidden": 0}, rec])
    with pytest.raises(PlateauTypeError, match=r"records\[0\] must be a dict; got str"):
        summary_table(["qnn-gradient"])
    with pytest.raises(PlateauError, match="snr must be a number > 0"):
        shot_budget([rec], snr=0)
    with pytest.raises(ConfigurationError, match=r"rows\[0\] has no 'series' field"):
        format_shot_budget([{"n_hidden": 1}])


def test_plots_name_their_arguments():
    recs = [{"n_hidden": h, "purity": 2.0**-h} for h in range(4)]
    with pytest.raises(PlateauTypeError, match="ax must be a matplotlib Axes; got None"):
        legend_labels(None)
    with pytest.raises(PlateauTypeError, match="fit_min_x must be a real number"):
        decay_rates(recs, "purity", fit_min_x="1")
    with pytest.raises(PlateauTypeError, match="logy must be True or False"):
        plot_decay(recs, "purity", logy="yes")
    fig, _ = plot_decay(recs, "purity")
    with pytest.raises(PlateauTypeError, match="path must be a file path; got NoneType"):
        save_figure(fig, None)
    with pytest.raises(PlateauTypeError, match=r"grad_map\[0\]\[1\] must be a real number"):
        figure_gradient_map({"grad_map": [[0.1, "x"]], "n_visible": 1})
    with pytest.raises(ShapeError, match="grad_map rows must have equal lengths"):
        figure_gradient_map({"grad_map": [[0.1, 0.2], [0.1]]})
    with pytest.raises(ShapeError, match=r"profiles\[0\]\['entropy'\] must have one value per"):
        figure_entropy_profile({"depths": [1, 2], "entropy": [0.1]})


def test_two_point_series_still_get_a_slope():
    recs = [{"n_hidden": h, "purity": 2.0**-h} for h in range(3)]  # fitted: h = 1, 2
    ((rate, err),) = decay_rates(recs, "purity").values()
    assert rate == pytest.approx(-1.0, rel=1e-12) and err == 0.0


# -- training -----------------------------------------------------------------------------------
def test_fit_target_wants_a_qbm(qnn):
    with pytest.raises(PlateauTypeError, match="qbm must be a plateau_pl QBM; got None"):
        fit_target(None, np.eye(2) / 2)
    with pytest.raises(PlateauTypeError, match="qbm must be a plateau_pl QBM; got QNN"):
        fit_target(qnn, np.eye(2) / 2)


def test_ensemble_training_names_its_objects(qbm):
    task = StateTask(1, seed=0)
    with pytest.raises(PlateauTypeError, match="qnn must be a plateau_pl QNN"):
        train_qnn_ensemble(qbm, task, n_steps=2)
    with pytest.raises(PlateauTypeError, match="task must be a training task"):
        task_qnn(None, LAYOUT)
    with pytest.raises(PlateauTypeError, match="layout must be a WireLayout; got None"):
        task_qnn(task, None)
    qnn = task_qnn(task, LAYOUT, "hardware_efficient", n_layers=1)
    with pytest.raises(PlateauTypeError, match="task must be a training task"):
        train_qnn_ensemble(qnn, "state", n_steps=2)
    with pytest.raises(PlateauTypeError, match=r"n_seeds must be an integer; got 1000000000000\.0"):
        train_qnn_ensemble(qnn, task, n_seeds=1e12, n_steps=2)
    with pytest.raises(ResourceError, match=r"seeds .*use fewer seeds \(at most n_seeds="):
        train_qnn_ensemble(qnn, task, n_seeds=10**13, n_steps=2)
    with pytest.raises(PlateauError, match="init_scale must be a number > 0"):
        train_qnn_ensemble(qnn, task, n_steps=2, init_scale=-1.0)


def test_nan_losses_are_family_errors_naming_the_step(qbm):
    bad = torch.tensor(float("nan"), dtype=torch.float64)
    with pytest.raises(NonFiniteLossError, match="the loss became nan at step 0"):
        fit(qbm, lambda m: bad + 0 * m.theta.sum(), n_steps=3)
    with pytest.raises(NonFiniteLossError, match="the cost became nan at evaluation 0"):
        fit_scipy(lambda x: float("nan"), np.zeros(2))
    with pytest.raises(NonFiniteLossError, match="the cost became inf at step 0"):
        fit_spsa(lambda x: float("inf"), np.zeros(2), n_steps=3)
    with pytest.raises(NonFiniteLossError, match="step 0 \\(x \\+ c_k Δ\\)"):
        fit_spsa(lambda x: 0.0 if not x.any() else float("nan"), np.zeros(2), n_steps=3)
    assert issubclass(NonFiniteLossError, PlateauError)
    assert issubclass(NonFiniteLossError, FloatingPointError)  # what it raised before


def test_training_loss_and_options_are_checked(qbm):
    with pytest.raises(PlateauTypeError, match="loss_fn must return a real scalar torch tensor"):
        fit(qbm, lambda m: 0.5, n_steps=2)
    with pytest.raises(PlateauError, match="loss_fn's loss does not depend on the model"):
        fit(qbm, lambda m: torch.zeros((), dtype=torch.float64), n_steps=2)
    with pytest.raises(PlateauTypeError, match="callback must be callable"):
        fit(qbm, lambda m: m.theta.sum(), n_steps=2, callback=3)
    with pytest.raises(PlateauTypeError, match="target_loss must be a real number"):
        fit(qbm, lambda m: m.theta.sum(), n_steps=2, target_loss="0")
    with pytest.raises(ConfigurationError, match="lr must be a finite number > 0; got nan"):
        fit_pennylane(np.zeros(2), lambda w: (w**2).sum(), lr=float("nan"))
    with pytest.raises(PlateauTypeError, match="cost_fn must return a real number"):
        fit_scipy(lambda x: x, np.zeros(2))
    with pytest.raises(PlateauTypeError, match="x0 must be a real numeric array"):
        fit_scipy(lambda x: 0.0, ["a", "b"])
    with pytest.raises(PlateauTypeError, match="rhobeg must be a real number"):
        fit_scipy(lambda x: 0.0, np.zeros(2), rhobeg="big")
    with pytest.raises(ConfigurationError, match="stability must be a finite number >= 0"):
        fit_spsa(lambda x: 0.0, np.zeros(2), stability=-1.0)
    with pytest.raises(PlateauTypeError, match="strength must be a real number"):
        entanglement_penalty(lambda m: m, strength="0.1")


def test_tasks_check_their_fields():
    with pytest.raises(ConfigurationError, match=r"threshold must be a number in \(0, 1\.0\)"):
        StateTask(threshold=float("nan"))
    with pytest.raises(PlateauTypeError, match="margin must be a real number"):
        ClassificationTask(margin="0.3")
    with pytest.raises(ResourceError, match="target state's density matrix on 40 visible"):
        StateTask(n_visible=40)
    with pytest.raises(ResourceError, match="use fewer n_points"):
        ClassificationTask(n_points=10**14)
    with pytest.raises(ConfigurationError, match="unknown task"):
        make_task(["state"], 1)


# -- Lie algebra --------------------------------------------------------------------------------
def test_lie_functions_name_their_objects(qbm):
    with pytest.raises(PlateauTypeError, match="algebra must be a LieAlgebra"):
        decompose_algebra(None)
    with pytest.raises(PlateauTypeError, match="algebra must be a LieAlgebra"):
        decompose_algebra(["XI", "IX"])
    with pytest.raises(PlateauTypeError, match="qnn must be a plateau_pl QNN; got QBM"):
        sample_variance(qbm, 4, seed=0)
    with pytest.raises(PlateauTypeError, match="detect_full must be True or False"):
        lie_algebra(["XI", "IX"], 2, detect_full="no")
    with pytest.raises(ConfigurationError, match="n_qubits=3 does not match the algebra's"):
        g_purity("ZI", lie_algebra(["XI", "ZI"], 2), n_qubits=3)
    with pytest.raises(PlateauTypeError, match="a generator must be a Pauli word string"):
        lie_algebra([3], 2)
    with pytest.raises(PlateauTypeError, match="a Pauli word must be a string; got int"):
        word_from_string(3)
    with pytest.raises(PlateauTypeError, match=r"a PauliSum key must be an \(x, z\) pair"):
        lie_algebra([{(1,): 1.0}], 2)


def test_sample_variance_refuses_draws_that_cannot_fit(qnn):
    with pytest.raises(
        PlateauTypeError, match=r"n_samples must be an integer; got 1000000000000\.0"
    ):
        sample_variance(qnn, 1e12, seed=0)
    with pytest.raises(ResourceError, match="use fewer draws"):
        sample_variance(qnn, 10**14, seed=0)


def test_lie_sizes_and_words_are_checked():
    from plateau_pl.lie import as_generators, pauli_closure

    with pytest.raises(ConfigurationError, match="n_qubits must be <= 64"):
        as_generators(["X0 Z1"], n_qubits=10**12)  # refused at once, not after 10^12 steps
    with pytest.raises(ConfigurationError, match="n_qubits must be <= 64"):
        g_purity("XX", ["ZI", "IZ"], n_qubits=10**7)
    with pytest.raises(PlateauTypeError, match="words must be a list of"):
        pauli_closure(3, n_qubits=2)
    with pytest.raises(PlateauTypeError, match=r"words\[1\] must be an \(x, z\) pair"):
        pauli_closure([(1, 0), "ZZ"], n_qubits=2)


def test_paths_and_experiment_names_are_checked(qbm, tmp_path):
    from plateau_pl.plotting import figure_lipschitz, plot_records

    recs = [
        {"experiment": "qnn-gradient", "n_hidden": h, "lipschitz_ratio": 2.0**-h} for h in range(3)
    ]
    with pytest.raises(PlateauTypeError, match="experiment must be a name or a non-empty list"):
        figure_lipschitz(recs, experiment=[])
    with pytest.raises(PlateauTypeError, match="experiment must be a name"):
        figure_lipschitz(recs, experiment=3)
    with pytest.raises(ConfigurationError, match="out must be a file path without NUL"):
        plot_records(recs, str(tmp_path / "a\x00b.png"))
    with pytest.raises(PlateauTypeError, match="out must be a file path; got object"):
        fit(qbm, lambda m: m.theta.sum(), n_steps=1, out=object())
    big = [{"generator_scale": 1.0, "grad_variance": 10**400}]
    with pytest.raises(
        PlateauError,
        match=r"records\[0\]\['grad_variance'\] .*(too large|beyond the largest float)",
    ):
        shot_budget(big)


def test_hostile_values_from_the_fuzzer_are_named(qnn, qbm):
    from plateau_pl.diagnostics import entropy_profile

    ragged = [[1.0], [1.0, 2.0]]
    with pytest.raises(PlateauTypeError, match="obs_or_trace_sq must be a number or a square"):
        theory.haar_observable_variance(ragged)
    with pytest.raises(PlateauTypeError, match="H must be a numeric array"):
        g_purity(ragged, ["XI", "ZI"], n_qubits=2)
    with pytest.raises(PlateauTypeError, match="target must be a"):
        fit_target(qbm, ragged)
    with pytest.raises(PlateauTypeError, match="model must be an ansatz name or a factory"):
        entropy_profile(qbm, LAYOUT, [1], n_samples=2, seed=0)
    with pytest.raises(ResourceError, match="use fewer draws"):
        pp.visible_state_stats(qnn, n_samples=2**1100, seed=0)
    with pytest.raises(PlateauError, match="snr must be a finite real number; got an integer"):
        shot_budget([{"generator_scale": 1.0, "grad_variance": 0.1}], snr=2**1100)
    with pytest.raises(ConfigurationError, match="lr must be a finite number > 0"):
        fit(qbm, lambda m: m.theta.sum(), n_steps=1, lr=2**1100)
    with pytest.raises(PlateauError, match="H is too large"):
        g_purity(np.diag([1e308, 0, 0, 0]), ["XI", "ZI"], n_qubits=2)
    with pytest.raises(PlateauError, match="the variance of grads is past the largest float"):
        variance_stderr([[1e200], [-1e200]])


def test_step_counts_whose_history_cannot_fit_are_refused(qbm, qnn):
    with pytest.raises(ResourceError, match=r"the history of .* steps .*use fewer n_steps"):
        fit(qbm, lambda m: m.theta.sum(), n_steps=2**1100)
    with pytest.raises(ResourceError, match="use fewer n_steps"):
        fit_pennylane(qnn.init_weights(seed=0), qnn, n_steps=10**20)
    with pytest.raises(ResourceError, match="use fewer max_evals"):
        fit_scipy(lambda x: 0.0, np.zeros(2), max_evals=10**20)
    task = StateTask(1, seed=0)
    small = task_qnn(task, LAYOUT, "hardware_efficient", n_layers=1)
    with pytest.raises(ResourceError, match=r"over 1000000000000000000 steps.*fewer n_steps"):
        train_qnn_ensemble(small, task, n_seeds=4, n_steps=10**18)
