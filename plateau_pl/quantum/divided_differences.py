r"""Stable first divided differences for the exact derivatives of matrix functions (torch).

For a Hermitian ``A = U diag(a) U†`` and a scalar function ``f``, the Fréchet derivative of
``f(A)`` is ``D f[A](E) = U (Γ ∘ (U† E U)) U†`` with the Daleckii–Krein matrix

.. math::
    Γ_{jk} = \frac{f(a_j) - f(a_k)}{a_j - a_k}\ (a_j \ne a_k), \qquad Γ_{jj} = f'(a_j).

The quotient loses all accuracy when ``a_j ≈ a_k`` and is 0/0 when they coincide (which is where
autodiff through ``eigh`` gives NaN). Both functions below rewrite it around the midpoint, which
is exact for every gap: with ``m = (a_j + a_k)/2`` and ``δ = (a_j − a_k)/2``,

* ``f(x) = e^{-x}/Z``: ``Γ = −e^{-m}/Z · sinh(δ)/δ``, used for ``|δ| < 0.05``; the direct quotient
  of the probabilities (no overflow: they lie in [0, 1]) elsewhere;
* ``f(x) = ln x`` on ``x = e^ℓ``: ``Γ = (ℓ_j − ℓ_k)/(x_j − x_k) = e^{-m_ℓ} · (δ_ℓ/sinh δ_ℓ)``
  with ``m_ℓ, δ_ℓ`` the midpoint and half-gap of the logarithms, exact for every gap.

``sinh(δ)/δ`` is evaluated by its series below 1e-3 and directly above.

**Example**

>>> import torch
>>> w = torch.tensor([0.0, 0.0, 1.0], dtype=torch.float64)     # a degenerate pair
>>> p = torch.softmax(-w, dim=-1)
>>> g = softmax_divided_differences(w, p)
>>> bool(torch.isfinite(g).all()), bool(torch.allclose(g.diagonal(), -p))
(True, True)
"""

from __future__ import annotations

import torch

__all__ = ["log_divided_differences", "sinhc", "softmax_divided_differences"]

_SMALL_GAP = 0.05


def sinhc(x: torch.Tensor) -> torch.Tensor:
    """``sinh(x)/x`` with the limit 1 at 0, accurate to round-off for every x."""
    small = x.abs() < 1e-3
    safe = torch.where(small, torch.ones_like(x), x)
    x2 = x * x
    return torch.where(small, 1 + x2 / 6 + x2 * x2 / 120, torch.sinh(safe) / safe)


def softmax_divided_differences(w: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
    """``Γ_jk = (p_j − p_k)/(w_j − w_k)``, ``Γ_jj = −p_j``, for ``p = softmax(−w)``.

    ``w`` are eigenvalues ``(..., d)`` and ``p`` the Gibbs weights; returns ``(..., d, d)``.
    """
    wj, wk = w[..., :, None], w[..., None, :]
    pj, pk = p[..., :, None], p[..., None, :]
    half_gap = (wj - wk) / 2
    near = half_gap.abs() < _SMALL_GAP
    direct = (pj - pk) / torch.where(near, torch.ones_like(half_gap), 2 * half_gap)
    # e^{-m}/Z = sqrt(p_j p_k) for the midpoint m; both are <= 1 here, so no overflow
    midpoint = -torch.sqrt(pj * pk) * sinhc(half_gap)
    return torch.where(near, midpoint, direct)


def log_divided_differences(lam: torch.Tensor) -> torch.Tensor:
    """``Γ_jk = (ln λ_j − ln λ_k)/(λ_j − λ_k)``, ``Γ_jj = 1/λ_j``, for positive ``λ (..., d)``."""
    ell = torch.log(lam)
    lj, lk = ell[..., :, None], ell[..., None, :]
    mid, half_gap = (lj + lk) / 2, (lj - lk) / 2
    return torch.exp(-mid) / sinhc(half_gap)
