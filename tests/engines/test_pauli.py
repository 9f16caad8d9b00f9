"""The Pauli-path engine against the statevector engine's sampled moments, and its refusals.

Agreement: every ``Var[∂_k f]``, ``Var[f]`` and the visible purity of each supported built-in
ansatz at small n, within 4 combined standard errors (walks and draws, fixed seeds)."""

from __future__ import annotations

import numpy as np
import pennylane as qml
import pytest

import plateau_pl as pp
from plateau_pl.diagnostics import ensembles as ens
from plateau_pl.engines.pauli import PauliPathEngine
from plateau_pl.engines.pauli_circuit import UnsupportedPauliCircuit
from plateau_pl.errors import ConfigurationError
from plateau_pl.quantum import purity

WALKS, DRAWS = 20000, 3000
CASES = [
    ("hardware_efficient", 2, (1, 2)),
    ("mcclean", 3, (2, 2)),
    ("random_two_local", None, (1, 2)),
    ("area_law", None, (1, 3)),
    ("identity_blocks", 2, (1, 1)),  # α and β are separate weights: uniform draws meet the premise
]


def _z(a, a_err, b, b_err):
    """Combined z-score; 1e-12 absorbs the round-off of moments that are exactly zero."""
    return (np.asarray(a) - np.asarray(b)) / (np.sqrt(np.asarray(a_err) ** 2 + b_err**2) + 1e-12)


@pytest.mark.parametrize(("ansatz", "n_layers", "layout"), CASES, ids=[c[0] for c in CASES])
def test_moments_agree_with_sampled_statevector(ansatz, n_layers, layout):
    qnn = pp.QNN(pp.WireLayout(*layout), ansatz, n_layers, device="default.qubit", seed=0)
    eng = PauliPathEngine(qnn)
    m = eng.gradient_moments(WALKS, seed=1)
    g = ens.qnn_gradients(qnn, DRAWS, 2, engine="statevector")[0].reshape(DRAWS, -1)
    g2 = g**2
    z_grad = _z(m.per_parameter, m.per_parameter_stderr, g2.mean(0), g2.std(0) / np.sqrt(DRAWS))
    assert np.abs(z_grad).max() < 4, z_grad
    f = ens.qnn_values(qnn, DRAWS, 3, 0.0)[0]
    f2 = (f - f.mean()) ** 2
    assert abs(_z(m.variance, m.second_moment_stderr, f2.mean(), f2.std() / np.sqrt(DRAWS))) < 4
    pur, err = eng.visible_purity(WALKS, seed=4)
    p = np.array([purity(r) for r in ens.qnn_visible_states(qnn, DRAWS, 5)]).real
    assert abs(_z(pur, err, p.mean(), p.std() / np.sqrt(DRAWS))) < 4


@pytest.mark.parametrize("channel", ["depolarizing", "bit_flip", "phase_flip"])
def test_pauli_noise_agrees_with_default_mixed(channel):
    from plateau_pl.models.noisy import NoiseModel, NoisyQNN

    qnn = NoisyQNN(
        pp.WireLayout(1, 2), "hardware_efficient", 3, noise=NoiseModel(channel, 0.1), seed=0
    )
    m = PauliPathEngine(qnn).gradient_moments(WALKS, seed=1)
    g2 = ens.qnn_gradients(qnn, 1000, 2, engine="device")[0].reshape(1000, -1) ** 2
    z = _z(m.per_parameter, m.per_parameter_stderr, g2.mean(0), g2.std(0) / np.sqrt(1000))
    assert np.abs(z).max() < 4, z


def test_amplitude_damping_is_refused():
    from plateau_pl.models.noisy import NoiseModel, NoisyQNN

    qnn = NoisyQNN(
        pp.WireLayout(1, 1),
        "hardware_efficient",
        1,
        noise=NoiseModel("amplitude_damping", 0.1),
        seed=0,
    )
    with pytest.raises(UnsupportedPauliCircuit, match="not a Pauli channel"):
        PauliPathEngine(qnn)


def test_single_rotation_is_exact():
    """RY(θ)|0⟩, ⟨Z⟩ = cos θ: E[f'²] = E[sin²θ] = ½ and E[f²] = ½ for every walk's average."""
    qnn = pp.QNN(
        pp.WireLayout(1, 0),
        lambda w, wires: qml.RY(w[0], wires=wires[0]),
        weight_shape=(1,),
        device="default.qubit",
        seed=0,
    )
    m = PauliPathEngine(qnn).gradient_moments(4000, seed=0)
    assert abs(m.per_parameter[0] - 0.5) < 4 * m.per_parameter_stderr[0]
    assert abs(m.second_moment - 0.5) < 4 * m.second_moment_stderr and m.mean_squared == 0


def test_diagnostics_through_the_engine_and_light_cone():
    qnn = pp.QNN(pp.WireLayout(1, 30), "area_law", device="default.qubit", seed=0)
    stats = pp.gradient_variance(qnn, 2000, seed=0, engine="pauli")
    eng = PauliPathEngine(qnn)
    reach = eng.reachable_parameters()
    assert reach.sum() < qnn.n_params  # area law: most hidden rotations are outside the cone
    assert np.all(stats.per_parameter[~reach] == 0)
    assert np.all(np.isnan(stats.per_parameter_upper95[~reach]))  # exact zeros, not bounds
    assert stats.inf_norm_variance is None and stats.to_dict()["grad_n_unresolved"] is not None
    cone = stats.per_parameter[reach]
    assert stats.variance_light_cone == pytest.approx(cone.mean())
    assert stats.variance_light_cone > stats.variance  # the mean over all is diluted by zeros
    vis = pp.visible_state_stats(qnn, 2000, seed=0, engine="pauli")
    assert 0.5 <= vis.purity <= 1 and vis.to_dict()["trace_distance"] is None
    assert vis.trace_distance_upper == pytest.approx(0.5 * np.sqrt(2 * vis.hs_distance_sq))


def _reuses_weight(w, wires):
    qml.RY(w[0], wires=wires[0])
    qml.RX(w[0], wires=wires[0])


def _reuses_weight(w, wires):
    qml.RY(w[0], wires=wires[0])
    qml.RX(w[0], wires=wires[0])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"ansatz": _reuses_weight, "weight_shape": (1,)}, "drives two gates"),
        ({"observable": qml.Z(0) + qml.X(0)}, "2 Pauli words"),
        ({"shots": 100}, "exact \\(shots=None\\) moments"),
        ({"embedding": qml.AngleEmbedding}, "embedding"),
    ],
)
def test_refuses_what_breaks_the_premise(kwargs, match):
    kw = {"ansatz": "hardware_efficient", **kwargs}
    qnn = pp.QNN(pp.WireLayout(1, 1), device="default.qubit", seed=0, **kw)
    with pytest.raises(ConfigurationError, match=match):
        pp.gradient_variance(qnn, 10, seed=0, engine="pauli")


def test_refuses_non_uniform_weights_and_draws():
    qnn = pp.QNN(pp.WireLayout(1, 1), "hardware_efficient", device="default.qubit", seed=0)
    with pytest.raises(ConfigurationError, match="uniform over whole periods; got dist='normal'"):
        pp.gradient_variance(qnn, 10, seed=0, dist="normal", engine="pauli")
    with pytest.raises(ConfigurationError, match="moments over the weight distribution"):
        PauliPathEngine(qnn).values(qnn.init_weights(seed=0, batch=2))


def test_refuses_a_non_clifford_gate_after_an_entangler():
    def template(w, wires):
        qml.RY(w[0], wires=wires[0])
        qml.CNOT(wires=[wires[0], wires[1]])
        qml.T(wires=wires[1])

    qnn = pp.QNN(pp.WireLayout(1, 1), template, weight_shape=(1,), device="default.qubit", seed=0)
    with pytest.raises(UnsupportedPauliCircuit, match="T on wires \\[1\\] is not a Clifford"):
        PauliPathEngine(qnn)


def test_mcclean_redrawn_axes_agree_with_redrawn_structures():
    """McClean's protocol: each walk redraws the axes, each statevector draw the structure."""
    qnn = pp.QNN(
        pp.WireLayout(2, 2),
        "mcclean",
        4,
        observable=qml.Z(0) @ qml.Z(1),
        device="default.qubit",
        seed=0,
    )
    a = pp.gradient_variance(qnn, WALKS, seed=0, resample_structure=True, engine="pauli")
    b = pp.gradient_variance(qnn, DRAWS, seed=1, resample_structure=True, engine="statevector")
    z = _z(a.per_parameter, a.per_parameter_stderr, b.per_parameter, b.per_parameter_stderr)
    assert np.abs(z).max() < 4, z


def test_auto_takes_pauli_paths_where_no_state_fits_and_experiments_take_it():
    from plateau_pl.engines import select_engine
    from plateau_pl.experiments.paper import area_law, mcclean

    big = pp.QNN(pp.WireLayout(1, 99), "area_law", device="default.qubit", seed=0)
    assert select_engine(big, moments=True).name == "pauli"
    assert pp.gradient_variance(big, 100, seed=0).inf_norm_variance is None  # auto: walks
    small = pp.QNN(pp.WireLayout(1, 3), "area_law", device="default.qubit", seed=0)
    assert select_engine(small, moments=True).name == "statevector"
    rec = area_law(n_hidden=199, n_samples=300, seed=0, engine="pauli")
    assert rec["engine"] == "pauli" and rec["haar_purity"] == pytest.approx(0.5)
    assert rec["trace_distance"] is None and 0.5 < rec["purity"] <= 1
    rec = mcclean(n_qubits=40, n_layers=10, n_samples=300, seed=0, engine="pauli")
    assert rec["grad_variance"] > 0 and rec["resample_structure"] is True


EXACT_CASES = [
    ("hardware_efficient", 1, (1, 2)),
    ("area_law", 1, (1, 2)),
    ("mcclean", 3, (2, 0)),
    ("hardware_efficient", 2, (1, 1)),
]


@pytest.mark.parametrize(
    ("ansatz", "n_layers", "layout"), EXACT_CASES, ids=[f"{c[0]}-{c[1]}" for c in EXACT_CASES]
)
def test_exact_mode_equals_brute_force_averaging(ansatz, n_layers, layout):
    """Brute force: every angle over the quarter turns {0, π/2, π, 3π/2} — the same moments as
    [0, 2π) for trigonometric polynomials of degree one per angle (Heyraud et al. 2023) — on
    the statevector engine, all 4^P points."""
    import itertools

    from plateau_pl.engines import select_engine

    qnn = pp.QNN(pp.WireLayout(*layout), ansatz, n_layers, device="default.qubit", seed=0)
    grid = np.array(list(itertools.product(range(4), repeat=qnn.n_params))) * (np.pi / 2)
    f, g = select_engine(qnn, "statevector").values_and_gradients(
        grid.reshape(-1, *qnn.weight_shape)
    )
    g2 = (g.reshape(len(g), -1) ** 2).mean(axis=0)
    eng = PauliPathEngine(qnn)
    m = eng.exact_gradient_moments()
    assert m.truncation_bound == 0.0
    np.testing.assert_allclose(m.per_parameter, g2, rtol=0, atol=1e-10)
    assert m.second_moment == pytest.approx((f**2).mean(), abs=1e-10)
    assert m.variance == pytest.approx(f.var(), abs=1e-10)
    rho = select_engine(qnn, "statevector").visible_states(grid.reshape(-1, *qnn.weight_shape))
    pur, bound = eng.exact_visible_purity()
    assert bound == 0.0
    assert pur == pytest.approx(np.mean([purity(r) for r in rho]).real, abs=1e-10)


def test_exact_mode_truncation_bounds_the_error():
    qnn = pp.QNN(pp.WireLayout(1, 3), "hardware_efficient", 3, device="default.qubit", seed=0)
    eng = PauliPathEngine(qnn)
    full = eng.exact_gradient_moments()
    cut = eng.exact_gradient_moments(max_paths=8)
    assert full.truncation_bound == 0 and cut.truncation_bound > 0
    assert cut.second_moment <= full.second_moment <= cut.second_moment + cut.truncation_bound
    assert np.all(cut.per_parameter <= full.per_parameter + 1e-15)
    assert np.all(full.per_parameter <= cut.per_parameter + cut.truncation_bound + 1e-15)
    stats = pp.gradient_variance(
        qnn, 10, seed=0, engine=PauliPathEngine(qnn, exact=True, max_paths=8)
    )
    assert stats.n_samples == 0 and np.nanmax(stats.per_parameter_upper95) > 0
