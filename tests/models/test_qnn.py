"""QNN: expectation values, visible states and gradients agree across devices and methods."""

from __future__ import annotations

import numpy as np
import pennylane as qml
import pytest
import torch

import plateau_pl as pp
from plateau_pl.errors import (
    ConfigurationError,
    PlateauError,
    PlateauTypeError,
    ShapeError,
    WireError,
)

# (ansatz, n_visible, n_hidden, n_layers): small enough for parameter-shift (DESIGN §5)
CASES = [
    ("random_two_local", 1, 2, 1),
    ("mcclean", 1, 2, 3),
    ("hardware_efficient", 2, 1, 2),
    ("area_law", 2, 2, 2),
]
METHODS = [
    ("default.qubit", "backprop"),
    ("lightning.qubit", "adjoint"),
    ("default.qubit", "parameter-shift"),
    ("lightning.qubit", "parameter-shift"),
]


def _full_state_reference(qnn, weights):
    """|ψ⟩ from a separate default.qubit QNode, reduced to ρ_v by hand (numpy reshape)."""
    dev = qml.device("default.qubit", wires=qnn.layout.n_wires)

    @qml.qnode(dev)
    def state(w):
        qnn.ansatz(w)
        return qml.state()

    psi = np.asarray(state(np.asarray(weights))).reshape(qnn.layout.dim_visible, -1)
    return psi @ psi.conj().T


@pytest.mark.parametrize("ansatz, n_v, n_h, n_layers", CASES)
def test_gradient_agrees_across_devices_and_methods(ansatz, n_v, n_h, n_layers):
    layout = pp.WireLayout(n_v, n_h)
    obs = qml.Z(0) @ qml.X(1) if n_v == 2 else qml.Y(0)
    qnns = [
        pp.QNN(layout, ansatz, n_layers, observable=obs, device=d, diff_method=m, seed=4)
        for d, m in METHODS
    ]
    assert [q.diff_method for q in qnns] == [m for _, m in METHODS]
    for draw in range(2):
        w = qnns[0].init_weights(seed=draw)
        ref_value, ref_grad = qnns[0](w), qnns[0].gradient(w)
        assert np.abs(ref_grad).max() > 1e-3  # a non-trivial gradient
        for q in qnns[1:]:
            assert q(w) == pytest.approx(ref_value, abs=1e-10)
            np.testing.assert_allclose(q.gradient(w), ref_grad, atol=1e-10, rtol=0)


@pytest.mark.parametrize("device", ["default.qubit", "lightning.qubit"])
def test_torch_interface_matches_autograd_in_float64(device):
    layout = pp.WireLayout(1, 2)
    a = pp.QNN(layout, "random_two_local", device=device, seed=2)
    t = pp.QNN(layout, "random_two_local", device=device, seed=2, interface="torch")
    w = a.init_weights(seed=3)
    wt = t.init_weights(seed=3)
    assert wt.dtype == torch.float64
    value = t(wt)
    assert value.dtype == torch.float64
    assert value.item() == pytest.approx(float(a(w)), abs=1e-12)
    g = t.gradient(wt)
    assert g.dtype == torch.float64 and g.shape == wt.shape
    np.testing.assert_allclose(g.numpy(), a.gradient(w), atol=1e-10)
    # differentiable through __call__ too
    wt.requires_grad_(True)
    t(wt).backward()
    np.testing.assert_allclose(wt.grad.numpy(), a.gradient(w), atol=1e-10)


def test_autograd_can_differentiate_through_call():
    qnn = pp.QNN(pp.WireLayout(1, 1), "hardware_efficient", device="default.qubit", seed=0)
    w = qnn.init_weights(seed=1)
    np.testing.assert_allclose(qml.grad(qnn)(w), qnn.gradient(w), atol=1e-12)


@pytest.mark.parametrize("ansatz, n_v, n_h, n_layers", CASES)
@pytest.mark.parametrize("device", ["default.qubit", "lightning.qubit"])
def test_visible_state_is_the_partial_trace(ansatz, n_v, n_h, n_layers, device):
    qnn = pp.QNN(pp.WireLayout(n_v, n_h), ansatz, n_layers, device=device, seed=1)
    w = qnn.init_weights(seed=5)
    rho = np.asarray(qnn.visible_state(w))
    np.testing.assert_allclose(rho, _full_state_reference(qnn, w), atol=1e-12)
    z0 = np.kron(np.diag([1.0, -1.0]), np.eye(2 ** (n_v - 1)))
    assert float(qnn(w)) == pytest.approx(np.trace(rho @ z0).real, abs=1e-12)


@pytest.mark.parametrize("ansatz", ["mcclean", "random_two_local"])
@pytest.mark.parametrize("device", ["default.qubit", "lightning.qubit"])
def test_visible_state_batched_matches_single(ansatz, device):
    qnn = pp.QNN(pp.WireLayout(2, 1), ansatz, device=device, seed=3)
    w = qnn.init_weights(seed=0, batch=3)
    batched = np.asarray(qnn.visible_state(w))
    values = np.asarray(qnn(w))
    assert batched.shape == (3, 4, 4) and values.shape == (3,)
    for i in range(3):
        np.testing.assert_allclose(batched[i], qnn.visible_state(w[i]), atol=1e-12)
        assert values[i] == pytest.approx(float(qnn(w[i])), abs=1e-12)


def test_visible_state_differentiable_with_torch_backprop():
    qnn = pp.QNN(
        pp.WireLayout(1, 2), "hardware_efficient", device="default.qubit", interface="torch", seed=0
    )
    w = qnn.init_weights(seed=2).requires_grad_(True)
    rho = qnn.visible_state(w)
    assert rho.dtype == torch.complex128
    purity = torch.real(torch.einsum("ij,ji->", rho, rho))
    purity.backward()
    assert torch.isfinite(w.grad).all() and w.grad.abs().max() > 1e-4


def test_shots_visible_state_by_pauli_tomography():
    """With shots, ρ_v is rebuilt from visible Pauli expectations: within 5 standard errors."""
    shots = 20_000
    layout = pp.WireLayout(1, 2)
    exact = pp.QNN(layout, "hardware_efficient", device="default.qubit", seed=0)
    noisy = pp.QNN(layout, "hardware_efficient", device="default.qubit", seed=0, shots=shots)
    w = exact.init_weights(seed=4)
    rho, rho_hat = np.asarray(exact.visible_state(w)), np.asarray(noisy.visible_state(w))
    paulis = [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.diag([1.0, -1.0])]
    r = np.array([np.trace(rho @ p).real for p in paulis])
    r_hat = np.array([np.trace(rho_hat @ p).real for p in paulis])
    stderr = np.sqrt((1 - r**2) / shots)
    assert np.all(np.abs(r_hat - r) <= 5 * stderr)
    assert np.any(r_hat != r)  # shot noise is really there
    np.testing.assert_allclose(np.trace(rho_hat), 1.0, atol=1e-12)


@pytest.mark.parametrize("ansatz, n_v, n_h, n_layers", CASES[:2])
@pytest.mark.parametrize("device", ["default.qubit", "lightning.qubit"])
def test_shot_gradients_within_five_standard_errors(ansatz, n_v, n_h, n_layers, device):
    """Parameter-shift with N shots: each component is g·(f₊ − f₋) with Var f± ≤ 1/N, so its
    standard error is at most g·sqrt(2/N) (g = the ansatz's generator scale)."""
    shots = 4000
    layout = pp.WireLayout(n_v, n_h)
    exact = pp.QNN(layout, ansatz, n_layers, device="default.qubit", seed=8)
    noisy = pp.QNN(layout, ansatz, n_layers, device=device, seed=8, shots=shots)
    assert noisy.diff_method == "parameter-shift"
    w = exact.init_weights(seed=1)
    g_exact, g_shots = exact.gradient(w), noisy.gradient(w)
    bound = exact.ansatz.generator_scale * np.sqrt(2 / shots)
    z = np.abs(g_shots - g_exact) / bound
    assert z.max() < 5
    assert 0 < np.mean(z**2) < 1.5  # noise present and no larger than the bound allows


def test_user_device_instance_and_template():
    layout = pp.WireLayout(1, 2)
    dev = qml.device("default.qubit", wires=3)
    qnn = pp.QNN(layout, qml.StronglyEntanglingLayers, n_layers=2, device=dev)
    ref = pp.QNN(layout, qml.StronglyEntanglingLayers, n_layers=2, device="lightning.qubit")
    w = qnn.init_weights(seed=0)
    assert qnn.weight_shape == (2, 3, 3)
    np.testing.assert_allclose(qnn.gradient(w), ref.gradient(w), atol=1e-10)


def test_embedding_inputs_broadcast():
    layout = pp.WireLayout(2, 1)
    qnn = pp.QNN(
        layout,
        "hardware_efficient",
        n_layers=1,
        embedding=qml.AngleEmbedding,
        device="lightning.qubit",
        seed=0,
    )
    w = qnn.init_weights(seed=0)
    x = np.array([[0.1, 0.2], [0.3, -0.4]])
    out = np.asarray(qnn(w, x))
    assert out.shape == (2,)
    for i in range(2):
        assert out[i] == pytest.approx(float(qnn(w, x[i])), abs=1e-12)
    g = qnn.gradient(w, x[0])
    assert g.shape == qnn.weight_shape


def test_to_dict_records_the_setup():
    qnn = pp.QNN(pp.WireLayout(1, 2), "mcclean", n_layers=2, device="lightning.qubit", seed=9)
    d = qnn.to_dict()
    assert d["model"] == "qnn" and d["ansatz"] == "mcclean" and d["structure_seed"] == 9
    assert (d["n_visible"], d["n_hidden"], d["n_layers"]) == (1, 2, 2)
    assert d["device"] == "lightning.qubit" and d["diff_method"] == "adjoint"
    assert d["observable"] == "Z(0)"


def test_bad_input_errors():
    layout = pp.WireLayout(1, 2)
    with pytest.raises(ConfigurationError, match=r"unknown device 'no.such'.*installed: .*"):
        pp.QNN(layout, device="no.such")
    with pytest.raises(ConfigurationError, match=r"diff_method='adjoint' needs exact.*shots=100"):
        pp.QNN(layout, device="lightning.qubit", diff_method="adjoint", shots=100)
    with pytest.raises(ConfigurationError, match="unknown diff_method 'magic'"):
        pp.QNN(layout, diff_method="magic")
    with pytest.raises(ConfigurationError, match="unknown interface 'jax'; available"):
        pp.QNN(layout, interface="jax")
    with pytest.raises(WireError, match="observable acts on wire 2, which is hidden"):
        pp.QNN(layout, observable=qml.Z(0) @ qml.Z(2))
    with pytest.raises(PlateauTypeError, match="observable must be a PennyLane observable"):
        pp.QNN(layout, observable="Z0")
    with pytest.raises(PlateauTypeError, match="layout must be a WireLayout"):
        pp.QNN((1, 2))
    with pytest.raises(PlateauError, match="shots must be an integer >= 1; got 0"):
        pp.QNN(layout, shots=0)
    qnn = pp.QNN(layout, "mcclean", n_layers=2, device="default.qubit", seed=0)
    with pytest.raises(ShapeError, match=r"weights must have shape \(2, 3\).*got \(2, 2\)"):
        qnn(np.zeros((2, 2)))
    with pytest.raises(
        ShapeError, match=r"weights must have shape \(2, 3\) for .*; got \(4, 2, 3\)"
    ):
        qnn.gradient(np.zeros((4, 2, 3)))
    with pytest.raises(PlateauError, match="weights must be finite"):
        qnn(np.full((2, 3), np.nan))
    with pytest.raises(PlateauTypeError, match="weights must be an array"):
        qnn(None)
    with pytest.raises(PlateauError, match="inputs were given but this QNN has no embedding"):
        qnn(np.zeros((2, 3)), np.zeros(1))
    with pytest.raises(ConfigurationError, match="unknown dist 'cauchy'"):
        qnn.init_weights(seed=0, dist="cauchy")
