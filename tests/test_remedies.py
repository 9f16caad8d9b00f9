"""Remedies: the entanglement penalty adds λ·S₂(ρ_v) with its exact gradient."""

import numpy as np
import pennylane as qml
import pytest
import torch

import plateau_pl as pp
from plateau_pl.hamiltonians import random_two_local
from plateau_pl.remedies import entanglement_penalty, visible_renyi2


def test_penalty_on_a_qbm_is_lambda_times_renyi2_with_its_gradient():
    layout = pp.WireLayout(1, 2)
    qbm = pp.QBM(layout, random_two_local(layout, seed=0))
    z = np.diag([1.0, -1.0])
    base = lambda m: m.expval_matrix(z)  # noqa: E731
    loss = entanglement_penalty(base, strength=0.3)
    value = loss(qbm)
    s2 = pp.renyi2_entropy(qbm().detach())
    assert value.item() == pytest.approx(base(qbm).item() + 0.3 * float(s2), abs=1e-12)
    value.backward()
    grad = qbm.theta.grad.clone()
    # central differences of the penalised loss along a few parameters
    theta0 = qbm.theta.detach().clone()
    for j in (0, 5, 20):
        e = torch.zeros_like(theta0)
        e[j] = 1e-5
        with torch.no_grad():
            up = base_val(qbm, theta0 + e, z) + 0.3 * float(pp.renyi2_entropy(qbm(theta0 + e)))
            down = base_val(qbm, theta0 - e, z) + 0.3 * float(pp.renyi2_entropy(qbm(theta0 - e)))
        assert grad[j].item() == pytest.approx((up - down) / 2e-5, rel=1e-6, abs=1e-10)


def base_val(qbm, theta, z):
    return float(
        torch.einsum("ij,ji->", torch.as_tensor(z, dtype=torch.complex128), qbm(theta)).real
    )


def test_penalty_on_a_torch_qnn_layer():
    qnn = pp.QNN(
        pp.WireLayout(1, 2),
        "hardware_efficient",
        n_layers=2,
        device="default.qubit",
        interface="torch",
        seed=0,
    )
    layer = qnn.torch_layer(seed=1)
    s2 = visible_renyi2(layer)
    expected = pp.renyi2_entropy(qnn.visible_state(layer.weights.detach()))
    assert s2.item() == pytest.approx(float(expected), abs=1e-12)
    s2.backward()
    assert torch.isfinite(layer.weights.grad).all() and layer.weights.grad.abs().max() > 1e-4


def test_penalty_errors():
    lightning = pp.QNN(pp.WireLayout(1, 1), "hardware_efficient", device="lightning.qubit", seed=0)
    with pytest.raises(ValueError, match="needs a differentiable visible state"):
        visible_renyi2(lightning.torch_layer())
    with pytest.raises(ValueError, match="strength must be a finite number >= 0; got -1"):
        entanglement_penalty(lambda m: m, strength=-1)
    with pytest.raises(TypeError, match="model must be a QBM or a QNN torch layer"):
        visible_renyi2(qml.Z(0))
