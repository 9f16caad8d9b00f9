"""The batched statevector engine equals PennyLane's devices to round-off."""

from __future__ import annotations

import numpy as np
import pennylane as qml
import pytest
import torch

import plateau_pl as pp
from plateau_pl.diagnostics import ensembles as ens
from plateau_pl.errors import ConfigurationError
from plateau_pl.models.batched import BatchedStatevector, supports

CASES = [
    ("random_two_local", 1, 3, 1, qml.Y(0)),
    ("random_two_local", 2, 2, 2, qml.X(0) @ qml.Z(1)),
    ("mcclean", 2, 2, 4, qml.Z(0) @ qml.Z(1)),
    ("hardware_efficient", 2, 1, 2, qml.Z(0)),
    ("area_law", 2, 3, 2, qml.Y(1)),
]


@pytest.mark.parametrize("ansatz, n_v, n_h, n_layers, obs", CASES)
def test_engine_matches_per_draw_pennylane(ansatz, n_v, n_h, n_layers, obs):
    qnn = pp.QNN(
        pp.WireLayout(n_v, n_h), ansatz, n_layers, observable=obs, device="lightning.qubit", seed=4
    )
    w = np.asarray(qnn.init_weights(seed=1, batch=5))
    sim = BatchedStatevector(qnn)
    values, grads = sim.values_and_gradients(w)
    for i in range(5):
        assert values[i] == pytest.approx(float(qnn(w[i])), abs=1e-12)
        np.testing.assert_allclose(grads[i], qnn.gradient(w[i]), atol=1e-12)
    np.testing.assert_allclose(sim.values(w), values, atol=1e-14)
    np.testing.assert_allclose(sim.visible_states(w), np.asarray(qnn.visible_state(w)), atol=1e-12)


def test_resampled_structures_match_one_qnn_per_draw():
    qnn = pp.QNN(
        pp.WireLayout(2, 2),
        "mcclean",
        3,
        observable=qml.Z(0) @ qml.Z(1),
        device="default.qubit",
        seed=0,
    )
    batched, _ = ens.qnn_gradients(qnn, 6, seed=2, resample_structure=True, engine="batched")
    device, _ = ens.qnn_gradients(qnn, 6, seed=2, resample_structure=True, engine="device")
    np.testing.assert_allclose(batched, device, atol=1e-12)
    states_b = ens.qnn_visible_states(qnn, 6, 2, resample_structure=True, engine="batched")
    states_d = ens.qnn_visible_states(qnn, 6, 2, resample_structure=True, engine="device")
    np.testing.assert_allclose(states_b, states_d, atol=1e-12)


def test_chunks_do_not_change_results(monkeypatch):
    qnn = pp.QNN(pp.WireLayout(1, 3), "random_two_local", device="default.qubit", seed=0)
    w = np.asarray(qnn.init_weights(seed=0, batch=7))
    whole = BatchedStatevector(qnn).values_and_gradients(w)[1]
    monkeypatch.setattr(BatchedStatevector, "chunk_size", lambda self: 2)
    np.testing.assert_allclose(
        BatchedStatevector(qnn).values_and_gradients(w)[1], whole, atol=1e-14
    )


def test_gradient_variance_engines_agree():
    qnn = pp.QNN(pp.WireLayout(1, 3), "random_two_local", device="default.qubit", seed=0)
    a = pp.gradient_variance(qnn, 10, seed=1)  # auto: batched engine
    b = ens.qnn_gradients(qnn, 10, 1, engine="device")[0]
    from plateau_pl.diagnostics.results import GradientStats

    assert a.variance == pytest.approx(GradientStats.from_gradients(b).variance, rel=1e-10)


def test_unsupported_models_fall_back_or_fail_clearly():
    shots = pp.QNN(
        pp.WireLayout(1, 1), "hardware_efficient", device="default.qubit", seed=0, shots=100
    )
    assert not supports(shots)
    assert ens._engine_for(shots, "auto", False) is None
    with pytest.raises(ConfigurationError, match="engine='batched' needs an analytic QNN"):
        ens.qnn_gradients(shots, 3, 0, engine="batched")
    with pytest.raises(ConfigurationError, match="unknown engine 'gpu'"):
        ens.qnn_gradients(shots, 3, 0, engine="gpu")
    rtl = pp.QNN(pp.WireLayout(1, 1), "random_two_local", device="default.qubit", seed=0)
    assert ens._engine_for(rtl, "auto", resample_structure=True) is None  # no batched structures


@pytest.mark.parametrize("rotation", ["X", "Y"])
def test_torch_methods_with_an_embedding_match_pennylane(rotation):
    def embedding(x, wires):
        qml.AngleEmbedding(x, wires=wires, rotation=rotation)

    qnn = pp.QNN(pp.WireLayout(2, 2), embedding=embedding, device="default.qubit", seed=3)
    w = np.asarray(qnn.init_weights(seed=1, batch=3))
    x = np.random.default_rng(0).uniform(0, 3, (3, 2))
    engine = BatchedStatevector(qnn)
    values = engine.torch_expvals(torch.as_tensor(w), torch.as_tensor(x)).numpy()
    states = engine.torch_visible_states(torch.as_tensor(w), torch.as_tensor(x)).numpy()
    for i in range(3):
        assert values[i] == pytest.approx(float(qnn(w[i], x[i])), abs=1e-12)
        assert np.allclose(states[i], qnn.visible_state(w[i], x[i]), atol=1e-12)
    with pytest.raises(ConfigurationError, match="inputs are required"):
        engine.values(w)
    with pytest.raises(ConfigurationError, match="one row per weight draw"):
        engine.torch_expvals(torch.as_tensor(w), torch.as_tensor(x[:2]))
