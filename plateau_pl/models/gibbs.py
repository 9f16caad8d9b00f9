r"""The Gibbs state ``ρ = e^{-H}/Tr e^{-H}`` as a differentiable torch op with an exact backward.

Forward: ``H = U diag(w) U†`` by ``torch.linalg.eigh``, ``p = softmax(−w)`` (the shift by the
smallest eigenvalue is implicit, so a large ‖H‖ never overflows), ``ρ = U diag(p) U†``.

Backward (derivation in ``gibbs_gradient.md`` beside this file): for the cotangent ``Ḡ``,

.. math::
    \bar H = \mathrm{herm}\big( U (Γ ∘ U^† Ḡ U) U^† + \mathrm{Tr}(ρ Ḡ)\, ρ \big),
    \qquad Γ_{jk} = \frac{p_j - p_k}{w_j - w_k},\ Γ_{jj} = -p_j,

with ``Γ`` from :func:`~plateau_pl.quantum.divided_differences.softmax_divided_differences`,
exact and finite at degenerate and near-degenerate eigenvalues (where autodiff through ``eigh``
gives NaN). One ``eigh`` forward, four matrix products backward.

**Example**

>>> import torch
>>> from plateau_pl.models.gibbs import gibbs_state
>>> H = torch.diag(torch.tensor([0.0, 0.0, 600.0], dtype=torch.complex128)).requires_grad_()
>>> rho = gibbs_state(H)          # ‖H‖ = 600: no overflow; a degenerate ground space: no NaN
>>> rho.diagonal().real.tolist()
[0.5, 0.5, 0.0]
>>> rho[0, 0].real.backward(); bool(torch.isfinite(H.grad).all())
True
"""

from __future__ import annotations

import torch

from plateau_pl.errors import InvalidMatrixError, PlateauTypeError, ShapeError
from plateau_pl.quantum.divided_differences import softmax_divided_differences

__all__ = ["GibbsState", "check_hamiltonian_matrix", "gibbs_state"]


def _herm(x: torch.Tensor) -> torch.Tensor:
    return (x + x.mH) / 2


def _compute_gibbs(h: torch.Tensor):
    """Kernel: ``(ρ, U, w, p)`` for Hermitian ``h (..., d, d)``; no checks."""
    w, u = torch.linalg.eigh(_herm(h))
    p = torch.softmax(-w, dim=-1)
    rho = (u * p[..., None, :].to(u.dtype)) @ u.mH
    return rho, u, w, p


class GibbsState(torch.autograd.Function):
    """``ρ = e^{-H}/Tr e^{-H}`` with the exact Daleckii–Krein backward."""

    @staticmethod
    def forward(ctx, h):
        rho, u, w, p = _compute_gibbs(h)
        ctx.save_for_backward(rho, u, w, p)
        return rho

    @staticmethod
    def backward(ctx, grad_rho):
        rho, u, w, p = ctx.saved_tensors
        gamma = softmax_divided_differences(w, p).to(u.dtype)
        inner = u @ (gamma * (u.mH @ grad_rho @ u)) @ u.mH
        shift = torch.einsum("...ij,...ji->...", rho, grad_rho)
        return _herm(inner + shift[..., None, None] * rho)


def check_hamiltonian_matrix(h, name: str = "H", atol: float = 1e-8) -> torch.Tensor:
    """Cast ``h`` to a complex128 tensor and check it is square, finite and Hermitian."""
    if not isinstance(h, torch.Tensor):
        try:
            h = torch.as_tensor(h)
        except (TypeError, ValueError, RuntimeError) as exc:
            raise PlateauTypeError(f"{name} must be a tensor or array; got {type(h)}") from exc
    if h.ndim not in (2, 3) or h.shape[-1] != h.shape[-2]:
        raise ShapeError(f"{name} must have shape (d, d) or (batch, d, d); got {tuple(h.shape)}")
    if not h.is_complex():
        h = h.to(torch.float64)
    h = h.to(torch.complex128)
    with torch.no_grad():
        if not torch.isfinite(torch.view_as_real(h)).all():
            raise InvalidMatrixError(f"{name} must be finite; got NaN or inf entries")
        err = float((h - h.mH).abs().max()) if h.numel() else 0.0
        scale = max(1.0, float(h.abs().max())) if h.numel() else 1.0
    if err > atol * scale:
        raise InvalidMatrixError(
            f"{name} is not Hermitian: max |H - H^†| = {err:.3g} > atol {atol:g}·max(1, max|H|)"
        )
    return h


def gibbs_state(h, check: bool = True) -> torch.Tensor:
    """``ρ = e^{-H}/Tr e^{-H}`` for Hermitian ``H`` ``(d, d)`` or ``(batch, d, d)``.

    Args:
        h: a Hermitian matrix (torch tensor or array; cast to complex128). Include ``β`` in it.
        check: check shape, finiteness and Hermiticity first (internal hot loops pass False).

    Returns:
        torch.Tensor: complex128, same shape; differentiable exactly (:class:`GibbsState`).
    """
    if check:
        h = check_hamiltonian_matrix(h)
    return GibbsState.apply(h)
