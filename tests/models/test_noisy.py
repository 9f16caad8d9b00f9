"""Noisy QNNs: channels after each layer, checked against closed forms, a second
differentiation method, the noiseless QNN, and the statistics of noise-induced plateaus."""

from __future__ import annotations

import numpy as np
import pennylane as qml
import pytest

from plateau_pl.circuits import ANSATZE, Ansatz, WireLayout, make_ansatz
from plateau_pl.diagnostics.ensembles import engine_info
from plateau_pl.diagnostics.sampling import gradient_variance, visible_state_stats
from plateau_pl.engines import StatevectorEngine
from plateau_pl.errors import ConfigurationError, PlateauTypeError
from plateau_pl.models.noisy import NoiseModel, NoisyQNN
from plateau_pl.models.qnn import QNN
from plateau_pl.quantum.measures import trace_distance_to_maximally_mixed
from plateau_pl.stats import fit_decay


class SingleQubitLayers(Ansatz):
    """RY then RZ on every qubit per layer, no entanglers (a user-defined layered ansatz)."""

    name = "single_qubit_layers"

    @staticmethod
    def shape(layout, n_layers):
        return (n_layers, layout.n_wires, 2)

    def _apply_layer(self, weights, wires, layer):
        for q, w in enumerate(wires):
            qml.RY(weights[..., layer, q, 0], wires=w)
            qml.RZ(weights[..., layer, q, 1], wires=w)


def _ops(fn):
    with qml.queuing.AnnotatedQueue() as q:
        fn()
    return qml.tape.QuantumScript.from_queue(q).operations


def _depol(p):
    return NoiseModel("depolarizing", p)


# -- the per-layer hook ----------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(ANSATZE))
def test_layers_queue_exactly_the_whole_circuit(name):
    ansatz = make_ansatz(name, WireLayout(2, 1), n_layers=3, seed=11)
    w = np.random.default_rng(0).uniform(0, 2 * np.pi, ansatz.weight_shape)
    whole = _ops(lambda: ansatz(w))
    layered = _ops(lambda: [ansatz.apply_layer(w, layer) for layer in range(ansatz.n_layers)])
    assert ansatz.layered and len(whole) == len(layered) > 0
    for a, b in zip(whole, layered, strict=True):
        qml.assert_equal(a, b)


def test_apply_layer_rejects_bad_layers_and_opaque_templates():
    ansatz = make_ansatz("hardware_efficient", WireLayout(1, 1), n_layers=2)
    w = np.zeros(ansatz.weight_shape)
    with pytest.raises(ConfigurationError, match="layer must be < n_layers=2"):
        ansatz.apply_layer(w, 2)
    template = make_ansatz(qml.StronglyEntanglingLayers, WireLayout(1, 1), n_layers=2)
    assert not template.layered
    with pytest.raises(ConfigurationError, match="does not split into layers"):
        NoisyQNN(WireLayout(1, 1), qml.StronglyEntanglingLayers, n_layers=2, noise=_depol(0.1))


# -- the noise model ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("channel", "factors", "shift"),
    [
        ("depolarizing", lambda p: [1 - 4 * p / 3] * 3, 0.0),
        ("bit_flip", lambda p: [1, 1 - 2 * p, 1 - 2 * p], 0.0),
        ("phase_flip", lambda p: [1 - 2 * p, 1 - 2 * p, 1], 0.0),
        ("amplitude_damping", lambda p: [np.sqrt(1 - p)] * 2 + [1 - p], 1.0),
    ],
)
def test_pauli_transfer_matrix_matches_closed_forms(channel, factors, shift, tol):
    p = 0.37
    r = NoiseModel(channel, p).pauli_transfer_matrix()
    expected = np.diag([1.0, *factors(p)])
    expected[3, 0] = shift * p  # amplitude damping: ⟨Z⟩ → (1-γ)⟨Z⟩ + γ
    assert np.allclose(r, expected, atol=tol)
    assert NoiseModel(channel, p).unital == (shift == 0.0)


def test_noise_model_rejects_bad_input():
    with pytest.raises(ConfigurationError, match="unknown channel 'dephasing'"):
        NoiseModel("dephasing", 0.1)
    for bad in (-0.1, 1.5, True, "0.1", float("nan")):
        with pytest.raises(ConfigurationError, match="p must be a number in"):
            NoiseModel("depolarizing", bad)
    with pytest.raises(PlateauTypeError, match="noise must be a NoiseModel"):
        NoisyQNN(WireLayout(1, 0), "hardware_efficient", noise=("depolarizing", 0.1))
    for pure in ("default.qubit", "lightning.qubit"):
        with pytest.raises(ConfigurationError, match=f"'{pure}' cannot apply the depolarizing"):
            NoisyQNN(WireLayout(1, 0), "hardware_efficient", noise=_depol(0.1), device=pure)


# -- exact checks --------------------------------------------------------------------------------
@pytest.mark.parametrize("n_layers", [1, 2, 4])
def test_depolarizing_scales_pauli_expectations_exactly(n_layers, tol):
    """Single-qubit layers: depolarising commutes with unitaries, so ⟨P⟩ gains (1-4p/3)^(L·|P|)."""
    p, layout = 0.15, WireLayout(2, 1)
    q = 1 - 4 * p / 3
    for obs, weight in ((qml.Z(0), 1), (qml.X(0) @ qml.Y(1), 2)):
        ansatz = SingleQubitLayers(layout, n_layers, seed=0)
        noisy = NoisyQNN(layout, ansatz, noise=_depol(p), observable=obs, seed=0)
        clean = QNN(layout, ansatz, observable=obs, device="default.qubit", seed=0)
        w = clean.init_weights(seed=n_layers)
        factor = q ** (n_layers * weight)
        assert abs(noisy(w) - factor * clean(w)) < tol
        assert np.allclose(noisy.gradient(w), factor * clean.gradient(w), atol=tol)
    one = NoisyQNN(WireLayout(1, 0), "hardware_efficient", n_layers, noise=_depol(p), seed=0)
    w = one.init_weights(seed=1)
    rho = one.visible_state(w)  # one qubit: the Bloch vector shrinks by q^L
    assert abs(trace_distance_to_maximally_mixed(rho) - q**n_layers / 2) < tol


@pytest.mark.parametrize(
    ("ansatz", "n_layers", "noise"),
    [
        ("random_two_local", 1, _depol(0.05)),
        ("hardware_efficient", 3, NoiseModel("amplitude_damping", 0.2)),
        ("mcclean", 3, NoiseModel("bit_flip", 0.1)),
        ("area_law", 2, NoiseModel("phase_flip", 0.1)),
    ],
)
def test_noisy_gradient_matches_finite_differences_and_parameter_shift(
    ansatz, n_layers, noise, tol
):
    layout = WireLayout(1, 1)
    qnn = NoisyQNN(layout, ansatz, n_layers, noise=noise, seed=3)
    shift = NoisyQNN(layout, ansatz, n_layers, noise=noise, seed=3, diff_method="parameter-shift")
    assert qnn.diff_method == "backprop"
    w = np.asarray(qnn.init_weights(seed=4))
    grad = qnn.gradient(w)
    assert np.allclose(grad, shift.gradient(w), atol=tol)
    h, eye = 1e-6, np.eye(w.size).reshape(w.size, *w.shape)
    fd = (np.asarray(qnn(w + h * eye)) - np.asarray(qnn(w - h * eye))) / (2 * h)  # broadcast
    assert np.allclose(grad.ravel(), fd, atol=1e-8)
    assert np.abs(grad).max() > 1e-3  # not a vacuous comparison


@pytest.mark.parametrize("name", sorted(ANSATZE))
@pytest.mark.parametrize("noise", [_depol(0.0), NoiseModel("amplitude_damping", 0.0)])
def test_zero_noise_equals_the_noiseless_qnn(name, noise):
    layout = WireLayout(1, 2)
    noisy = NoisyQNN(layout, name, 2, noise=noise, seed=5)
    clean = QNN(layout, name, 2, device="default.qubit", seed=5)
    w = noisy.init_weights(seed=6)
    assert abs(noisy(w) - clean(w)) < 1e-12
    assert np.allclose(noisy.visible_state(w), clean.visible_state(w), atol=1e-12)
    assert np.allclose(noisy.gradient(w), clean.gradient(w), atol=1e-12)


def test_batches_records_and_engine_choice():
    noise = NoiseModel("amplitude_damping", 0.3)
    qnn = NoisyQNN(WireLayout(1, 1), "mcclean", 2, noise=noise, seed=1)
    w = qnn.init_weights(seed=2, batch=4)
    assert np.allclose(qnn(w), [qnn(x) for x in w], atol=1e-12)
    assert engine_info(qnn)["engine"] == "device"  # the statevector engine would drop the channels
    with pytest.raises(ConfigurationError, match="mixed states"):
        StatevectorEngine(qnn)
    other = qnn.with_structure(9)
    assert isinstance(other, NoisyQNN) and other.noise == noise and other.seed == 9
    rec = qnn.to_dict()
    assert rec["noise_channel"] == "amplitude_damping" and rec["noise_p"] == 0.3
    assert rec["noise_q"] == pytest.approx(np.sqrt(0.7)) and rec["noise_unital"] is False
    assert "noise=NoiseModel" in repr(qnn)
    bare = NoisyQNN(WireLayout(1, 1), "mcclean", 2, noise=None, seed=1)  # no channel at all
    clean = QNN(WireLayout(1, 1), "mcclean", 2, device="default.qubit", seed=1)
    assert np.allclose(bare(w), clean(w), atol=1e-12)
    assert engine_info(bare)["engine"] == "statevector"
    assert bare.to_dict()["noise_channel"] is None


def test_ensemble_variance_shrinks_by_q_to_the_2L_exactly():
    """One qubit: every draw's gradient is q^L times the noiseless one (same seeds)."""
    p, n_layers = 0.1, 3
    noisy = NoisyQNN(WireLayout(1, 0), "hardware_efficient", n_layers, noise=_depol(p), seed=0)
    clean = QNN(WireLayout(1, 0), "hardware_efficient", n_layers, device="default.qubit", seed=0)
    a, b = gradient_variance(noisy, 40, seed=2), gradient_variance(clean, 40, seed=2)
    q2l = (1 - 4 * p / 3) ** (2 * n_layers)
    assert a.variance == pytest.approx(q2l * b.variance, rel=1e-10)


# -- statistics of noise-induced plateaus ---------------------------------------------------------
@pytest.mark.slow
def test_depolarizing_variance_decays_with_depth_noiseless_does_not():
    layout, depths = WireLayout(1, 1), [1, 2, 3, 4, 5]

    def slope(p):
        stats = [
            gradient_variance(
                NoisyQNN(layout, "hardware_efficient", L, noise=_depol(p), seed=3), 100, seed=5
            )
            for L in depths
        ]
        return fit_decay(depths, [s.variance for s in stats], [s.stderr for s in stats])

    noisy, noisy_err = slope(0.1)
    clean, clean_err = slope(0.0)
    assert noisy < -4 * noisy_err  # exponential decay in depth
    assert clean > -4 * clean_err  # no significant decay without noise
    assert clean - noisy > 4 * np.hypot(noisy_err, clean_err)


@pytest.mark.slow
def test_amplitude_damping_drives_towards_zero_not_maximally_mixed():
    """Averaged over the last layer's uniform angles, qubit 0 is I/2 before the channel, so
    E⟨Z_0⟩ = γ exactly after amplitude damping and 0 after depolarising noise, at any depth."""
    layout, n, gamma = WireLayout(1, 1), 200, 0.6
    for n_layers in (1, 4):
        damped = NoisyQNN(
            layout,
            "hardware_efficient",
            n_layers,
            noise=NoiseModel("amplitude_damping", gamma),
            seed=0,
        )
        depol = NoisyQNN(layout, "hardware_efficient", n_layers, noise=_depol(0.3), seed=0)
        w = damped.init_weights(seed=n_layers, batch=n)
        z_d, z_p = np.asarray(damped(w)), np.asarray(depol(w))
        assert abs(z_d.mean() - gamma) < 4 * z_d.std(ddof=1) / np.sqrt(n)
        assert abs(z_p.mean()) < 4 * z_p.std(ddof=1) / np.sqrt(n)
        # ⟨Z⟩ ≥ (1-γ)(-1) + γ after the channel: every draw stays away from I/2
        td = trace_distance_to_maximally_mixed(np.asarray(damped.visible_state(w)))
        assert np.all(td >= (2 * gamma - 1) / 2 - 1e-12)
    deep = [
        visible_state_stats(NoisyQNN(layout, "hardware_efficient", 6, noise=m, seed=0), 100, 1)
        for m in (_depol(0.3), NoiseModel("amplitude_damping", gamma))
    ]
    assert deep[0].trace_distance < 0.05  # unital: towards I/2
    assert deep[1].trace_distance - deep[0].trace_distance > 4 * np.hypot(
        deep[0].trace_distance_stderr, deep[1].trace_distance_stderr
    )
    full = NoisyQNN(layout, "hardware_efficient", 2, noise=NoiseModel("amplitude_damping", 1.0))
    rho = full.visible_state(full.init_weights(seed=0))
    # γ = 1: |0⟩⟨0| (PennyLane's Kraus K0 = diag(1, √(1-γ+1e-14)) leaves ~1e-7 coherences)
    assert np.allclose(rho, [[1, 0], [0, 0]], atol=1e-6)
