"""QNN.torch_layer(): a torch.nn.Module that trains inside a hybrid model."""

from __future__ import annotations

import numpy as np
import pennylane as qml
import pytest
import torch

import plateau_pl as pp


def _hybrid(device):
    qnn = pp.QNN(
        pp.WireLayout(1, 1),
        "hardware_efficient",
        n_layers=2,
        embedding=qml.AngleEmbedding,
        device=device,
        seed=0,
    )
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(1, 1, dtype=torch.float64), qnn.torch_layer(seed=3))


@pytest.mark.parametrize("device", ["lightning.qubit", "default.qubit"])
def test_torch_layer_trains_in_a_hybrid_model(device):
    model = _hybrid(device)
    x = torch.linspace(-1, 1, 16, dtype=torch.float64).reshape(-1, 1)
    y = 0.8 * torch.cos(2 * x[:, 0])
    opt = torch.optim.Adam(model.parameters(), lr=0.1)
    losses = []
    for _ in range(40):
        opt.zero_grad()
        loss = torch.mean((model(x) - y) ** 2)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.2 * losses[0]
    assert all(p.grad is not None for p in model.parameters())


def test_layer_gradient_matches_qnn_gradient():
    qnn = pp.QNN(pp.WireLayout(1, 2), "random_two_local", device="lightning.qubit", seed=1)
    layer = qnn.torch_layer(seed=2)
    out = layer()
    assert out.shape == () and out.dtype == torch.float64
    out.backward()
    w = layer.weights.detach().numpy()
    np.testing.assert_allclose(layer.weights.grad.numpy(), qnn.gradient(w), atol=1e-10)
    assert float(qnn(w)) == pytest.approx(out.item(), abs=1e-12)


def test_layer_rejects_bad_weights_and_inputs():
    qnn = pp.QNN(pp.WireLayout(1, 1), "mcclean", n_layers=2, device="default.qubit", seed=0)
    with pytest.raises(pp.errors.ShapeError, match=r"weights must have shape \(2, 2\)"):
        qnn.torch_layer(weights=np.zeros(3))
    with pytest.raises(ValueError, match="inputs were given but this QNN has no embedding"):
        qnn.torch_layer()(torch.zeros(2, 1))
