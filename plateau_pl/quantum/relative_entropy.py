r"""Quantum relative entropy ``S(σ‖ρ) = Tr σ ln σ − Tr σ ln ρ`` with an exact gradient in ρ.

With hidden units, ``ρ_v = Tr_h e^{-H}/Z`` has no closed-form logarithm, so the gradient of
``Tr σ ln ρ_v`` needs the Fréchet derivative of the matrix logarithm. For
``ρ = U diag(λ) U†`` it is self-adjoint, so

.. math::
    \frac{\partial}{\partial \rho} \mathrm{Tr}\,σ \ln ρ = U (Λ ∘ U^† σ U) U^†,
    \qquad Λ_{jk} = \frac{\ln λ_j - \ln λ_k}{λ_j - λ_k},\ Λ_{jj} = 1/λ_j,

with ``Λ`` from :func:`~plateau_pl.quantum.divided_differences.log_divided_differences`, exact at
degenerate spectra (e.g. ``ρ_v ≈ I/D_v`` near a plateau, where autodiff through ``eigh`` fails).
Eigenvalues are floored at the smallest positive double, so a singular ``ρ`` gives a large finite
value where the exact one is infinite.

**Example**

>>> import math, numpy as np
>>> from plateau_pl.quantum.relative_entropy import relative_entropy
>>> rho = np.diag([0.5, 0.5]); sigma = np.diag([1.0, 0.0])
>>> math.isclose(relative_entropy(sigma, rho), math.log(2))
True
"""

from __future__ import annotations

import numpy as np

from plateau_pl.errors import InvalidMatrixError, ShapeError
from plateau_pl.quantum._checks import _numpy_view, check_density_matrix, is_torch
from plateau_pl.quantum.measures import compute_von_neumann_entropy

__all__ = ["relative_entropy", "trace_sigma_log_rho"]

_TINY = np.finfo(np.float64).tiny


def _numpy_trace_sigma_log_rho(sigma, rho):
    lam, u = np.linalg.eigh(rho)
    log_rho = (u * np.log(np.maximum(lam, _TINY))[..., None, :]) @ u.conj().swapaxes(-1, -2)
    return np.einsum("...ij,...ji->...", sigma, log_rho).real


def _torch_function():
    import torch

    from plateau_pl.quantum.divided_differences import log_divided_differences

    class TraceSigmaLogRho(torch.autograd.Function):
        """``Tr σ ln ρ`` (real) with the exact Daleckii–Krein backward in ρ and in σ."""

        @staticmethod
        def forward(ctx, sigma, rho):
            lam, u = torch.linalg.eigh((rho + rho.mH) / 2)
            lam = lam.clamp_min(_TINY)
            log_rho = (u * torch.log(lam)[..., None, :].to(u.dtype)) @ u.mH
            ctx.save_for_backward(sigma, u, lam, log_rho)
            return torch.einsum("...ij,...ji->...", sigma, log_rho).real

        @staticmethod
        def backward(ctx, grad):
            sigma, u, lam, log_rho = ctx.saved_tensors
            g = grad[..., None, None].to(u.dtype)
            grad_sigma = grad_rho = None
            if ctx.needs_input_grad[0]:
                grad_sigma = g * log_rho
            if ctx.needs_input_grad[1]:
                lam_dd = log_divided_differences(lam).to(u.dtype)
                inner = u @ (lam_dd * (u.mH @ ((sigma + sigma.mH) / 2) @ u)) @ u.mH
                grad_rho = g * (inner + inner.mH) / 2
            return grad_sigma, grad_rho

    return TraceSigmaLogRho


_FUNCTION = None


def trace_sigma_log_rho(sigma, rho):
    """``Tr σ ln ρ`` for density matrices (batched); exact torch gradient in both arguments."""
    global _FUNCTION
    if not (is_torch(sigma) or is_torch(rho)):
        return _numpy_trace_sigma_log_rho(np.asarray(sigma), np.asarray(rho))
    import torch

    if _FUNCTION is None:
        _FUNCTION = _torch_function()
    rho = torch.as_tensor(rho).to(torch.complex128)
    sigma = torch.as_tensor(sigma).to(torch.complex128)
    return _FUNCTION.apply(sigma, rho)


def relative_entropy(sigma, rho, atol: float | None = None):
    """``S(σ‖ρ) = Tr σ ln σ − Tr σ ln ρ`` in nats (numpy or torch, batched).

    Args:
        sigma: the target density matrix ``(D, D)`` (or a batch).
        rho: the model's density matrix, same dimension (or a batch).
        atol: tolerance of the density-matrix checks.

    Returns:
        float (numpy unbatched), ``(batch,)`` array, or a real torch tensor (differentiable in
        ``rho`` and ``sigma`` with exact gradients).
    """
    sigma = check_density_matrix(sigma, "sigma", atol)
    rho = check_density_matrix(rho, "rho", atol)
    if sigma.shape[-1] != rho.shape[-1]:
        raise ShapeError(
            f"sigma must have the dimension of rho ({rho.shape[-1]}); got {sigma.shape[-1]}"
        )
    neg_entropy = -compute_von_neumann_entropy(sigma)
    if is_torch(rho) and not is_torch(sigma):
        import torch

        neg_entropy = torch.as_tensor(neg_entropy)
    out = neg_entropy - trace_sigma_log_rho(sigma, rho)
    if not np.all(np.isfinite(_numpy_view(out))):  # entries ~1e308: not positive semidefinite
        raise InvalidMatrixError(
            "sigma and rho must be density matrices (positive semidefinite); the relative "
            "entropy of these is not finite"
        )
    if not (is_torch(out)) and np.ndim(out) == 0:
        return float(out)
    return out
