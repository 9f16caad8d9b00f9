"""The Gibbs-state op: forward against scipy, exact gradients by gradcheck at the edge cases."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.linalg import expm

from plateau_pl import gibbs_state
from plateau_pl.errors import InvalidMatrixError, ShapeError
from plateau_pl.quantum.paulis import pauli_matrix


def _random_hermitian(rng, d, scale=1.0):
    a = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    return scale * (a + a.conj().T) / 2


def _gradcheck(h, **kw):
    h = torch.as_tensor(h, dtype=torch.complex128).requires_grad_(True)
    return torch.autograd.gradcheck(lambda x: gibbs_state(x, check=False), (h,), **kw)


def test_forward_matches_scipy_expm(rng):
    h = _random_hermitian(rng, 8)
    expected = expm(-h) / np.trace(expm(-h))
    np.testing.assert_allclose(gibbs_state(h).numpy(), expected, atol=1e-13)


def test_batched_forward(rng):
    hs = np.stack([_random_hermitian(rng, 4) for _ in range(3)])
    out = gibbs_state(hs)
    assert out.shape == (3, 4, 4)
    for i in range(3):
        np.testing.assert_allclose(out[i].numpy(), gibbs_state(hs[i]).numpy(), atol=1e-14)


def test_large_norm_never_overflows(rng):
    h = _random_hermitian(rng, 8, scale=400.0)
    assert np.abs(np.linalg.eigvalsh(h)).max() > 500
    rho = gibbs_state(h).numpy()
    w, u = np.linalg.eigh(h)
    p = np.exp(-(w - w.min()))
    expected = (u * (p / p.sum())) @ u.conj().T
    assert np.isfinite(rho).all()
    np.testing.assert_allclose(rho, expected, atol=1e-12)


def test_gradcheck_random(rng):
    assert _gradcheck(_random_hermitian(rng, 4))


def test_gradcheck_degenerate_commuting_z_terms():
    """H = Z0 + Z1 + Z0 Z1 on 2 qubits: eigenvalues (3, -1, -1, -1) — a triple degeneracy."""
    h = pauli_matrix("Z", (0,), 2) + pauli_matrix("Z", (1,), 2) + pauli_matrix("ZZ", (0, 1), 2)
    assert len(np.unique(np.round(np.linalg.eigvalsh(h), 12))) == 2
    assert _gradcheck(h)
    hh = torch.as_tensor(h).requires_grad_(True)
    gibbs_state(hh)[0, 1].real.backward()
    assert torch.isfinite(hh.grad).all()


def test_gradcheck_near_degenerate(rng):
    w = np.array([0.3, 0.3 + 1e-9, -0.2, 1.0])
    q, _ = np.linalg.qr(rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4)))
    assert _gradcheck((q * w) @ q.conj().T)


def test_gradcheck_large_norm(rng):
    h = _random_hermitian(rng, 4, scale=300.0)
    assert np.abs(np.linalg.eigvalsh(h)).max() >= 500
    assert _gradcheck(h, eps=1e-7, atol=1e-6)


def test_gradcheck_batched(rng):
    assert _gradcheck(np.stack([_random_hermitian(rng, 4), np.diag([1.0, 1.0, 0.0, 0.0])]))


def test_errors():
    with pytest.raises(InvalidMatrixError, match="H is not Hermitian"):
        gibbs_state(np.array([[0, 1], [0, 0]], dtype=complex))
    with pytest.raises(ShapeError, match=r"H must have shape \(d, d\) or \(batch, d, d\)"):
        gibbs_state(np.zeros((2, 3)))
    with pytest.raises(InvalidMatrixError, match="H must be finite"):
        gibbs_state(np.array([[np.nan, 0], [0, 0]]))
