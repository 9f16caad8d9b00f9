"""Seeded random states: Haar-random pure states and random (Ginibre) density matrices.

Every function takes a numpy ``Generator`` (never global state), so a seed fixes the draw.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> psi = haar_state(8, rng)
>>> round(float(np.linalg.norm(psi)), 12), random_density_matrix(4, rng, batch=3).shape
(1.0, (3, 4, 4))
"""

from __future__ import annotations

import numpy as np

from plateau_pl._validation import check_instance, check_int, check_memory
from plateau_pl.quantum._sizes import product

__all__ = ["haar_state", "random_density_matrix"]


def _check_draw(dim, rng, batch, n_complex_per_draw) -> tuple[int, int | None]:
    """Check ``dim``, ``rng`` and ``batch`` and that the draw fits in memory."""
    dim = check_int(dim, "dim", minimum=1)
    check_instance(rng, "rng", np.random.Generator, "a numpy Generator (np.random.default_rng)")
    batch = None if batch is None else check_int(batch, "batch", minimum=1)
    check_memory(
        product(48, n_complex_per_draw(dim), batch or 1),  # the draw, its parts and the result
        f"{batch or 1} random state(s) of dimension {dim}",
        "draw a smaller batch (in chunks) or use a smaller dimension",
    )
    return dim, batch


def haar_state(dim: int, rng: np.random.Generator, batch: int | None = None) -> np.ndarray:
    """Haar-random pure states: normalised complex Gaussian vectors ``(dim,)`` or ``(batch, dim)``.

    Real and imaginary parts come from one ``standard_normal`` call of shape ``(..., dim, 2)``,
    so a chunked draw reproduces an unchunked one.
    """
    dim, batch = _check_draw(dim, rng, batch, lambda d: d)
    shape = (dim, 2) if batch is None else (batch, dim, 2)
    z = rng.standard_normal(shape)
    psi = z[..., 0] + 1j * z[..., 1]
    return psi / np.linalg.norm(psi, axis=-1, keepdims=True)


def random_density_matrix(
    dim: int, rng: np.random.Generator, batch: int | None = None, rank: int | None = None
) -> np.ndarray:
    """Ginibre random density matrices ``G G^†/Tr`` (full rank unless ``rank`` is given)."""
    rank = None if rank is None else check_int(rank, "rank", minimum=1)
    dim, batch = _check_draw(dim, rng, batch, lambda d: product(d, max(d, rank or d)))
    cols = rank or dim
    shape = (dim, cols) if batch is None else (batch, dim, cols)
    g = rng.normal(size=shape) + 1j * rng.normal(size=shape)
    rho = g @ np.conj(np.swapaxes(g, -1, -2))
    return rho / np.trace(rho, axis1=-2, axis2=-1)[..., None, None]
