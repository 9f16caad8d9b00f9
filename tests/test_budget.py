"""Shot budgets: the parameter-shift noise model against a shot-based device, records to shots."""

import numpy as np
import pennylane as qml
import pytest

import plateau_pl as pp
from plateau_pl import theory
from plateau_pl.budget import format_shot_budget, shot_budget
from plateau_pl.errors import ConfigurationError
from plateau_pl.experiments.paper import qnn_gradient


@pytest.mark.slow
def test_parameter_shift_variance_matches_a_shot_device():
    shots, repeats = 50, 400
    layout = pp.WireLayout(1, 0)
    exact = pp.QNN(layout, "hardware_efficient", n_layers=1, device="default.qubit", seed=0)
    noisy = pp.QNN(
        layout,
        "hardware_efficient",
        n_layers=1,
        shots=shots,
        seed=0,
        device=qml.device("default.qubit", wires=1, seed=7),
    )
    w = np.array([[[0.7, 1.9]]])
    grads = np.stack([noisy.gradient(w) for _ in range(repeats)]).reshape(repeats, -1)
    for k in range(2):  # RY then RZ, g = 1/2, shift π/2
        shift = np.zeros(2)
        shift[k] = np.pi / 2
        f_plus, f_minus = (float(exact(w + s * shift.reshape(w.shape))) for s in (1, -1))
        var_plus, var_minus = 1 - f_plus**2, 1 - f_minus**2
        mean_var = (var_plus + var_minus) / 2
        predicted = theory.parameter_shift_variance(shots, 0.5, outcome_variance=mean_var)
        measured = grads[:, k].var(ddof=1)
        if predicted == 0:
            assert measured < 1e-12
            continue
        assert measured == pytest.approx(predicted, rel=4 * np.sqrt(2 / (repeats - 1)))


def test_shots_for_snr_inverts_the_noise_model_and_has_the_haar_limit():
    var = 3.2e-3
    n = theory.shots_for_snr(var, snr=2.0, generator_scale=1.0)
    assert theory.parameter_shift_variance(1, 1.0) / n == pytest.approx(var / 4)
    d = 2**10
    haar = theory.haar_gradient_variance(d, generator_scale=1.0)
    assert theory.shots_for_snr(haar, snr=1.0, generator_scale=1.0) == pytest.approx(d, rel=2e-3)
    with pytest.raises(ConfigurationError, match="grad_variance"):
        theory.shots_for_snr(0.0)


def test_shot_budget_from_measured_records_grows_at_the_haar_rate():
    hidden = [1, 2, 3, 4]
    records = [qnn_gradient(n_hidden=h, n_samples=300, seed=h) for h in hidden]
    rows = shot_budget(records, snr=2.0)
    for row, rec in zip(rows, records, strict=True):
        own = theory.shots_for_snr(rec["grad_variance"], 2.0, rec["generator_scale"])
        assert row["shots_for_snr"] == pytest.approx(own)
        assert row["shots_per_gradient"] == 2 * rec["n_params"] * row["shots_for_snr"]
    # the budget doubles per hidden qubit, as the Haar budget does (the per-parameter mean sits
    # a few percent below Haar: the last gates of a pass have no scrambling after them)
    slope, err = pp.fit_decay(
        hidden, [r["shots_for_snr"] for r in rows], [r["shots_for_snr_stderr"] for r in rows]
    )
    haar = [theory.shots_for_snr(r["haar_grad_variance"], 2.0, 1.0) for r in records]
    haar_slope, _ = pp.fit_decay(hidden, haar)
    assert abs(slope - haar_slope) < 4 * err
    assert slope / np.log(2) == pytest.approx(1.0, abs=0.1)
    table = format_shot_budget(rows)
    assert len(table.splitlines()) == 5 and "SNR 2" in table


def test_shot_budget_names_what_is_missing():
    with pytest.raises(ConfigurationError, match="grad_variance"):
        shot_budget([{"n_hidden": 1, "trace_distance": 0.1}])


def test_the_shot_table_prints_counts_one_way_with_their_errors():
    from plateau_pl.budget import format_shot_budget

    cases = ((0, 0.5, 11.7), (1, 0.1, 505.0), (2, 0.01, 2530.4), (3, 1e-3, 3e4))
    rows = [
        {
            "n_hidden": h,
            "series": "qnn",
            "snr": 2.0,
            "grad_variance": v,
            "grad_variance_stderr": v / 20,
            "shots_for_snr": s,
            "shots_for_snr_stderr": s / 20,
            "shots_per_gradient": 6 * s,
        }
        for h, v, s in cases
    ]
    lines = format_shot_budget(rows).splitlines()[1:]
    cells = [line.split() for line in lines]
    assert [c[5:8] for c in cells] == [
        ["12", "±", "0.58"],
        ["505", "±", "25"],
        ["2,531", "±", "130"],
        ["30,000", "±", "1,500"],
    ]
    assert cells[3][8:] == ["180,000", "±", "9,000"]  # per gradient: the same relative error
