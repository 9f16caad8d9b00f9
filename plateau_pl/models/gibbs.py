r"""The Gibbs state ``ρ = e^{-H}/Tr e^{-H}`` as a differentiable torch op with an exact backward.

Forward: ``H = U diag(w) U†`` by ``torch.linalg.eigh``, ``p = softmax(−w)`` (the shift by the
smallest eigenvalue is implicit, so a large ‖H‖ never overflows), ``ρ = U diag(p) U†``. A matrix
with entries beyond ``2**500`` (any finite size up to the largest double) is divided by a power of
two before ``eigh`` — exact — and ``p`` is taken from the eigenvalue gaps times that power, which
may overflow to ``+inf`` only where ``p`` is 0: the state is finite and exact for every finite H.

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

from plateau_pl._validation import check_bool, check_float, check_memory
from plateau_pl.errors import InvalidMatrixError, PlateauTypeError, ShapeError
from plateau_pl.quantum._sizes import product
from plateau_pl.quantum.divided_differences import softmax_divided_differences

__all__ = ["GibbsState", "check_gibbs_memory", "check_hamiltonian_matrix", "gibbs_state"]

_HUGE = 2.0**500
"""Entries beyond this are rescaled before ``eigh`` (``H + H†`` would overflow near 1.8e308)."""
_FLOAT_MAX = torch.finfo(torch.float64).max
_MATRICES = 6
"""Complex ``d×d`` matrices one Gibbs state holds: H, its Hermitian part, U, ρ, eigh's workspace
and the saved tensors of the backward."""


def _herm(x: torch.Tensor) -> torch.Tensor:
    return (x + x.mH) / 2


def _compute_gibbs(h: torch.Tensor):
    """Kernel: ``(ρ, U, w, p)`` for Hermitian ``h (..., d, d)``; no checks.

    ``w`` are the eigenvalues; for a rescaled (huge) ``h``, their gaps above the smallest one,
    capped at the largest double (the backward uses differences of ``w`` only).
    """
    if h.numel() and float(_largest_part(h).max()) > _HUGE:
        return _compute_gibbs_rescaled(h)
    w, u = torch.linalg.eigh(_herm(h))
    p = torch.softmax(-w, dim=-1)
    rho = (u * p[..., None, :].to(u.dtype)) @ u.mH
    return rho, u, w, p


def _largest_part(h: torch.Tensor) -> torch.Tensor:
    """``max |Re h_ij|, |Im h_ij|`` per matrix ``(...,)`` (``|h_ij|`` itself may overflow)."""
    with torch.no_grad():
        parts = torch.view_as_real(h) if h.is_complex() else h[..., None]
        return parts.abs().amax(dim=(-3, -2, -1))


def _compute_gibbs_rescaled(h: torch.Tensor):
    """:func:`_compute_gibbs` for entries beyond ``_HUGE``: ``eigh`` of ``h / 2**k`` (exact),
    ``p = softmax(−2**k (w' − w'_min))`` with the product allowed to overflow to ``+inf``."""
    _, exponent = torch.frexp(_largest_part(h))  # = m·2^e with m in [0.5, 1)
    scale = torch.exp2((exponent - 1).to(torch.float64))  # parts of h / scale lie in [-2, 2]
    w_scaled, u = torch.linalg.eigh(_herm(h / scale[..., None, None]))
    gaps = (w_scaled - w_scaled.amin(dim=-1, keepdim=True)) * scale[..., None]
    p = torch.softmax(-gaps, dim=-1)
    rho = (u * p[..., None, :].to(u.dtype)) @ u.mH
    return rho, u, gaps.clamp_max(_FLOAT_MAX), p


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
    """Cast ``h`` to a complex128 tensor and check it is square, non-empty, finite and Hermitian.

    >>> check_hamiltonian_matrix(torch.zeros(0, 0))
    Traceback (most recent call last):
        ...
    plateau_pl.errors.ShapeError: H must not be empty; got shape (0, 0)
    """
    atol = check_float(atol, "atol", minimum=0.0)
    if not isinstance(h, torch.Tensor):
        try:
            h = torch.as_tensor(h)
        except (TypeError, ValueError, RuntimeError) as exc:
            raise PlateauTypeError(
                f"{name} must be a tensor or array of numbers; got {type(h).__name__}"
            ) from exc
    if h.ndim not in (2, 3) or h.shape[-1] != h.shape[-2]:
        raise ShapeError(f"{name} must have shape (d, d) or (batch, d, d); got {tuple(h.shape)}")
    if h.numel() == 0:
        raise ShapeError(f"{name} must not be empty; got shape {tuple(h.shape)}")
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

    Raises:
        ResourceError: before ``eigh``, if the matrices would not fit in memory.
    """
    if check_bool(check, "check"):
        h = check_hamiltonian_matrix(h)
    check_gibbs_memory(h.shape)
    return GibbsState.apply(h)


def check_gibbs_memory(shape) -> None:
    """Refuse, before anything is allocated, Gibbs states of ``shape`` too big for memory."""
    d = shape[-1]
    batch = product(*shape[:-2])
    check_memory(
        product(16, _MATRICES, batch, d, d),
        f"the Gibbs state of a {d}×{d} Hamiltonian"
        + (f" (batch of {batch:.0f})" if batch > 1 else ""),
        "use fewer qubits (a dense Gibbs state holds 4**n complex entries), or a smaller batch",
    )
