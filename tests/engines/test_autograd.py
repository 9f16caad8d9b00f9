"""The autograd engine (differentiable torch statevector) equals PennyLane's devices."""

from __future__ import annotations

import numpy as np
import pennylane as qml
import pytest
import torch

import plateau_pl as pp
from plateau_pl.diagnostics import ensembles as ens
from plateau_pl.engines import AutogradEngine, select_engine
from plateau_pl.engines.autograd import autograd_supports
from plateau_pl.errors import ConfigurationError

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
    sim = AutogradEngine(qnn)
    values, grads = sim.values_and_gradients(w)
    for i in range(5):
        assert values[i] == pytest.approx(float(qnn(w[i])), abs=1e-12)
        np.testing.assert_allclose(grads[i], qnn.gradient(w[i]), atol=1e-12)
    np.testing.assert_allclose(sim.values(w), values, atol=1e-14)
    np.testing.assert_allclose(sim.visible_states(w), np.asarray(qnn.visible_state(w)), atol=1e-12)


def test_torch_gradients_equal_the_adjoint_engine():
    qnn = pp.QNN(pp.WireLayout(1, 3), "random_two_local", 2, device="default.qubit", seed=2)
    w = np.asarray(qnn.init_weights(seed=3, batch=4))
    wt = torch.tensor(w, requires_grad=True)
    AutogradEngine(qnn).torch_expvals(wt).sum().backward()
    _, adjoint = select_engine(qnn, "statevector").values_and_gradients(w)
    np.testing.assert_allclose(wt.grad.numpy(), adjoint, atol=1e-12)


def test_chunks_do_not_change_results(monkeypatch):
    qnn = pp.QNN(pp.WireLayout(1, 3), "random_two_local", device="default.qubit", seed=0)
    w = np.asarray(qnn.init_weights(seed=0, batch=7))
    whole = AutogradEngine(qnn).values_and_gradients(w)[1]
    monkeypatch.setattr(AutogradEngine, "chunk_size", lambda self: 2)
    np.testing.assert_allclose(AutogradEngine(qnn).values_and_gradients(w)[1], whole, atol=1e-14)


def test_gradient_variance_engines_agree():
    qnn = pp.QNN(pp.WireLayout(1, 3), "random_two_local", device="default.qubit", seed=0)
    a = pp.gradient_variance(qnn, 10, seed=1, engine="autograd")
    b = ens.qnn_gradients(qnn, 10, 1, engine="device")[0]
    from plateau_pl.diagnostics.results import GradientStats

    assert a.variance == pytest.approx(GradientStats.from_gradients(b).variance, rel=1e-10)


def test_unsupported_models_fail_clearly():
    shots = pp.QNN(
        pp.WireLayout(1, 1), "hardware_efficient", device="default.qubit", seed=0, shots=100
    )
    assert "analytic" in autograd_supports(shots)
    with pytest.raises(ConfigurationError, match="autograd engine cannot run this QNN"):
        AutogradEngine(shots)
    rtl = pp.QNN(pp.WireLayout(1, 1), "random_two_local", device="default.qubit", seed=0)
    with pytest.raises(ConfigurationError, match="takes no per-draw structures"):
        AutogradEngine(rtl).values(np.zeros((1, *rtl.weight_shape)), [rtl.ansatz])


@pytest.mark.parametrize("rotation", ["X", "Y"])
def test_torch_methods_with_an_embedding_match_pennylane(rotation):
    def embedding(x, wires):
        qml.AngleEmbedding(x, wires=wires, rotation=rotation)

    qnn = pp.QNN(pp.WireLayout(2, 2), embedding=embedding, device="default.qubit", seed=3)
    w = np.asarray(qnn.init_weights(seed=1, batch=3))
    x = np.random.default_rng(0).uniform(0, 3, (3, 2))
    engine = AutogradEngine(qnn)
    values = engine.torch_expvals(torch.as_tensor(w), torch.as_tensor(x)).numpy()
    states = engine.torch_visible_states(torch.as_tensor(w), torch.as_tensor(x)).numpy()
    for i in range(3):
        assert values[i] == pytest.approx(float(qnn(w[i], x[i])), abs=1e-12)
        assert np.allclose(states[i], qnn.visible_state(w[i], x[i]), atol=1e-12)
    with pytest.raises(ConfigurationError, match="inputs are required"):
        engine.values(w)
    with pytest.raises(ConfigurationError, match="one row per weight draw"):
        engine.torch_expvals(torch.as_tensor(w), torch.as_tensor(x[:2]))
