"""QBM: exact gradients of ρ_v, ⟨O⟩ and S(σ‖ρ_v) against independent methods."""

from __future__ import annotations

import numpy as np
import pennylane as qml
import pytest
import torch
from scipy.linalg import expm, expm_frechet, logm

import plateau_pl as pp
from plateau_pl.errors import ConfigurationError, InvalidMatrixError, ShapeError, WireError
from plateau_pl.hamiltonians import from_terms, random_two_local, transverse_ising
from plateau_pl.quantum.random import random_density_matrix


def _random_state(rng, d):
    return random_density_matrix(d, rng)


def _scipy_visible_state(qbm, theta):
    """ρ_v by scipy's expm and an explicit partial trace (no torch)."""
    h = qbm.beta * float(qbm.scale) * qbm.hamiltonian.dense(theta)
    rho = expm(-h) / np.trace(expm(-h))
    d_v, d_h = qbm.layout.dim_visible, qbm.layout.dim_hidden
    return np.einsum("xryr->xy", rho.reshape(d_v, d_h, d_v, d_h))


def _frechet_visible_derivative(qbm, j):
    """∂ρ_v/∂θ_j from scipy.linalg.expm_frechet (independent of the Daleckii–Krein code)."""
    s = qbm.beta * float(qbm.scale)
    a = -s * qbm.hamiltonian.dense(qbm.theta.detach().numpy())
    e = -s * qbm.hamiltonian.term_matrix(j)
    big, d_big = expm_frechet(a, e)
    z = np.trace(big)
    d_rho = d_big / z - big * np.trace(d_big) / z**2
    d_v, d_h = qbm.layout.dim_visible, qbm.layout.dim_hidden
    return np.einsum("xryr->xy", d_rho.reshape(d_v, d_h, d_v, d_h))


def _logm_frechet(a, e):
    """D ln[A](E) from logm of the block matrix [[A, E], [0, A]] (Higham's identity)."""
    d = a.shape[0]
    block = np.block([[a, e], [np.zeros_like(a), a]])
    return logm(block)[:d, d:]


def _rel(a, b):
    return np.abs(np.asarray(a) - np.asarray(b)).max() / np.abs(np.asarray(b)).max()


def test_forward_matches_scipy():
    layout = pp.WireLayout(2, 2)
    qbm = pp.QBM(layout, random_two_local(layout, seed=0), beta=0.7)
    rho_v = qbm()
    assert rho_v.dtype == torch.complex128 and rho_v.shape == (4, 4)
    np.testing.assert_allclose(
        rho_v.detach().numpy(), _scipy_visible_state(qbm, qbm.hamiltonian.coeffs), atol=1e-13
    )


@pytest.mark.parametrize(
    "build, beta, normalize",
    [
        (lambda lay: random_two_local(lay, seed=2), 1.0, None),
        # commuting Z terms only: a degenerate spectrum
        (
            lambda lay: transverse_ising(
                lay, "complete", couplings=1.0, fields=0.0, transverse=0.0
            ),
            1.0,
            None,
        ),
        # ‖βsH‖ = 600 after operator-norm normalisation
        (lambda lay: random_two_local(lay, seed=5), 600.0, "opnorm"),
    ],
    ids=["random", "degenerate", "large-norm"],
)
def test_gradcheck_visible_state(build, beta, normalize):
    layout = pp.WireLayout(1, 2)
    qbm = pp.QBM(layout, build(layout), beta=beta, normalize=normalize)
    if normalize:
        h = qbm.hamiltonian_matrix().detach()
        assert torch.linalg.eigvalsh(h).abs().max().item() == pytest.approx(600.0)
    theta = qbm.theta.detach().clone().requires_grad_(True)
    kw = {"eps": 1e-7, "atol": 1e-6} if beta > 100 else {}
    assert torch.autograd.gradcheck(lambda t: qbm(t), (theta,), **kw)
    out = qbm(theta)
    out[0, 0].real.backward()
    assert torch.isfinite(theta.grad).all()


@pytest.mark.parametrize("n_v, n_h", [(1, 2), (2, 3), (2, 6)])
def test_expval_gradient_matches_expm_frechet(n_v, n_h, rng):
    layout = pp.WireLayout(n_v, n_h)
    qbm = pp.QBM(layout, random_two_local(layout, seed=n_h), beta=1.0)
    obs = qml.Z(0) if n_v == 1 else qml.X(0) @ qml.Y(1)
    qbm.expval(obs).backward()
    grad = qbm.theta.grad.numpy()
    o = qml.matrix(obs, wire_order=list(layout.visible))
    params = rng.choice(
        qbm.hamiltonian.n_params, size=min(8, qbm.hamiltonian.n_params), replace=False
    )
    expected = [np.trace(o @ _frechet_visible_derivative(qbm, j)).real for j in params]
    assert _rel(grad[params], expected) <= 1e-7


@pytest.mark.parametrize("n_v, n_h", [(1, 2), (2, 2), (2, 6)])
def test_relative_entropy_gradient_matches_independent_methods(n_v, n_h, rng):
    """Against (a) expm_frechet ∘ logm-Fréchet and (b) central finite differences with scipy."""
    layout = pp.WireLayout(n_v, n_h)
    qbm = pp.QBM(layout, random_two_local(layout, seed=10 + n_h), beta=1.0)
    sigma = _random_state(rng, layout.dim_visible)
    loss = qbm.relative_entropy(sigma)
    loss.backward()
    grad = qbm.theta.grad.numpy()
    theta0 = qbm.theta.detach().numpy()
    rho_v = _scipy_visible_state(qbm, theta0)

    def s_of(theta):  # S(σ‖ρ_v(θ)) by scipy only
        r = _scipy_visible_state(qbm, theta)
        return np.trace(sigma @ (logm(sigma) - logm(r))).real

    assert loss.item() == pytest.approx(s_of(theta0), abs=1e-10)
    params = rng.choice(qbm.hamiltonian.n_params, size=6, replace=False)
    frechet, finite = [], []
    h = 1e-4
    for j in params:
        d_rho_v = _frechet_visible_derivative(qbm, j)
        frechet.append(-np.trace(sigma @ _logm_frechet(rho_v, d_rho_v)).real)
        e = np.zeros_like(theta0)
        e[j] = h
        finite.append((s_of(theta0 + e) - s_of(theta0 - e)) / (2 * h))
    assert _rel(grad[params], frechet) <= 1e-7
    assert _rel(grad[params], finite) <= 1e-7


def test_visible_only_relative_entropy_gradient_closed_form(rng):
    """n_hidden = 0: ∂_j S(σ‖e^{-H}/Z) = ⟨H_j⟩_σ − ⟨H_j⟩_ρ."""
    layout = pp.WireLayout(3, 0)
    qbm = pp.QBM(layout, random_two_local(layout, seed=1))
    sigma = _random_state(rng, 8)
    qbm.relative_entropy(sigma).backward()
    rho = qbm().detach().numpy()
    expected = [
        np.trace((sigma - rho) @ qbm.hamiltonian.term_matrix(j)).real
        for j in range(qbm.hamiltonian.n_params)
    ]
    np.testing.assert_allclose(qbm.theta.grad.numpy(), expected, atol=1e-12)


def test_nll_of_bit_strings(rng):
    layout = pp.WireLayout(2, 1)
    qbm = pp.QBM(layout, transverse_ising(layout, seed=3))
    data = np.array([[0, 0], [1, 1], [1, 1], [0, 1]])
    loss = qbm.nll(data)
    probs = np.array([0.25, 0.25, 0.0, 0.5])  # indices 00, 01, 10, 11
    diag = np.diag(qbm().detach().numpy()).real
    assert loss.item() == pytest.approx(-(probs * np.log(diag)).sum(), abs=1e-12)
    assert qbm.nll(probs).item() == pytest.approx(loss.item(), abs=1e-14)
    loss.backward()
    theta0 = qbm.theta.detach().clone()
    j, h = 2, 1e-5
    up, down = theta0.clone(), theta0.clone()
    up[j] += h
    down[j] -= h
    with torch.no_grad():
        f_up = -(torch.as_tensor(probs) * torch.log(qbm(up).diagonal().real)).sum()
        f_down = -(torch.as_tensor(probs) * torch.log(qbm(down).diagonal().real)).sum()
    fd = (f_up - f_down).item() / (2 * h)
    assert qbm.theta.grad[j].item() == pytest.approx(fd, rel=1e-7)


def test_opnorm_normalisation_is_fixed_and_recorded():
    layout = pp.WireLayout(1, 2)
    h = random_two_local(layout, seed=0)
    qbm = pp.QBM(layout, h, beta=2.0, normalize="opnorm")
    assert float(qbm.scale) == pytest.approx(1 / h.operator_norm())
    assert not qbm.scale.requires_grad
    assert qbm.to_dict()["normalize"] == "opnorm" and qbm.to_dict()["beta"] == 2.0
    # near infinite temperature: ρ_v much closer to I/2 than without normalisation
    raw = pp.QBM(layout, h, beta=2.0)
    td = pp.trace_distance_to_maximally_mixed
    assert td(qbm().detach()) < td(raw().detach())


def test_seeded_initial_parameters():
    layout = pp.WireLayout(1, 1)
    h = random_two_local(layout, seed=0)
    a, b = pp.QBM(layout, h, seed=4), pp.QBM(layout, h, seed=4)
    assert torch.equal(a.theta, b.theta) and not torch.allclose(a.theta, torch.tensor(h.coeffs))


def test_errors():
    layout = pp.WireLayout(1, 1)
    h = random_two_local(layout, seed=0)
    qbm = pp.QBM(layout, h)
    with pytest.raises(WireError, match="observable acts on wire 1, which is hidden"):
        qbm.expval(qml.Z(1))
    with pytest.raises(InvalidMatrixError, match="observable must be Hermitian"):
        qbm.expval(np.array([[0, 1], [0, 0]]))
    with pytest.raises(ShapeError, match=r"target must be a \(2, 2\) density matrix.*\(4, 4\)"):
        qbm.relative_entropy(np.eye(4) / 4)
    with pytest.raises(InvalidMatrixError, match="target is not a density matrix"):
        qbm.relative_entropy(np.eye(2))
    with pytest.raises(ConfigurationError, match="hamiltonian was built on"):
        pp.QBM(pp.WireLayout(2, 0), h)
    with pytest.raises(WireError, match="acts on wire 3, outside the layout"):
        pp.QBM(layout, from_terms(layout, [("ZZ", (0, 3))]))
    with pytest.raises(ConfigurationError, match="beta must be a finite number > 0; got 0"):
        pp.QBM(layout, h, beta=0)
    with pytest.raises(ConfigurationError, match="unknown normalize 'l2'"):
        pp.QBM(layout, h, normalize="l2")
    with pytest.raises(ShapeError, match=r"data must be 0/1 bit strings of shape \(N, 1\)"):
        qbm.nll(np.array([[0, 2]]))
