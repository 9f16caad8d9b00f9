r"""Split a compact Lie algebra ``g = c ⊕ g_1 ⊕ … ⊕ g_k`` into its center and simple ideals.

In the Hilbert–Schmidt-orthonormal basis of a :class:`~plateau_pl.lie.closure.LieAlgebra` every
``ad_X`` is a real antisymmetric matrix (the inner product is invariant), so the orthogonal
complement of an ideal is an ideal. The method:

1. **Center** ``c = {y : [G_k, y] = 0 for every generator}`` (the generators generate ``g``).
   For a Pauli-word algebra it is spanned by the words commuting with every generator word
   (``[P, ·]`` maps distinct anticommuting words to distinct words, so no cancellation);
   otherwise the null space of the stacked ``ad_{G_k}``.
2. **Root vectors.** For a random ``x`` in the semisimple part ``s = c^⊥``, ``ad_x`` restricted
   to ``s`` is antisymmetric with eigenvalues ``±iα(x)`` (the roots) and ``0`` (a Cartan
   subalgebra). ``x = Σ_j x_j`` with ``x_j ∈ g_j`` and ``ad_x = ⊕_j ad_{x_j}``: every eigenvector
   of a non-zero eigenvalue (a root vector) lies in a single ideal ``g_j``, and for a generic
   ``x`` the non-zero eigenvalues are simple, so eigenvectors do not mix ideals.
3. **Ideal closure.** The smallest ``ad``-invariant subspace containing a root vector ``v ∈ g_j``
   is an ideal inside ``g_j``, hence ``g_j`` itself (``g_j`` is simple). It is built by a block
   Krylov iteration with the sparse ``ad_{G_k}`` of the generators. Remove it, take a root
   vector outside the ideals found so far, repeat until ``s`` is exhausted.

Cost: one dense eigendecomposition of ``dim s × dim s`` plus sparse products — seconds for
dimensions in the hundreds. (The commutant of the adjoint action would also work, but it is a
linear system in ``dim²`` unknowns.) Pauli-graph components are *not* the ideals in general:
``X_1, X_2, Z_1Z_2`` generates ``so(4) ≅ su(2) ⊕ su(2)`` whose ideals are spanned by
``X_1 ± X_2``, ``Y_1Z_2 ± Z_1Y_2``, ``Z_1Z_2 ± Y_1Y_2``.

**Example**

>>> from plateau_pl.lie.closure import lie_algebra
>>> dec = decompose_algebra(lie_algebra(["XI", "IX", "ZZ"], 2))
>>> dec.simple_dims, dec.center_dim
((3, 3), 0)
>>> decompose_algebra(lie_algebra(["XI", "IX"], 2)).center_dim   # abelian
2
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg
import scipy.sparse as sp

from plateau_pl._validation import check_instance, check_seed
from plateau_pl.errors import ConfigurationError
from plateau_pl.lie.closure import LieAlgebra
from plateau_pl.lie.words import bracket_arrays

__all__ = ["Decomposition", "adjoint_matrices", "decompose_algebra"]

_TOL = 1e-8
_ALGEBRA = "a LieAlgebra (from plateau_pl.lie.lie_algebra)"


@dataclass(frozen=True)
class Decomposition:
    """The center and the simple ideals of a Lie algebra, in its orthonormal coordinates."""

    center: np.ndarray
    """``(dim, dim c)`` orthonormal columns spanning the center."""
    ideals: tuple
    """One ``(dim, dim g_j)`` orthonormal column block per simple ideal (largest first)."""

    @property
    def center_dim(self) -> int:
        """Dimension of the center."""
        return int(self.center.shape[1])

    @property
    def simple_dims(self) -> tuple[int, ...]:
        """Dimensions of the simple ideals."""
        return tuple(int(q.shape[1]) for q in self.ideals)


def _word_arrays(keys):
    xs = np.array([k[0] for k in keys], dtype=np.uint64)
    zs = np.array([k[1] for k in keys], dtype=np.uint64)
    return xs, zs


def adjoint_matrices(algebra: LieAlgebra) -> list[sp.csr_matrix]:
    """``ad_{G_k}`` of every generator in the algebra's orthonormal coordinates (sparse).

    Entry ``[a, b]`` is the coefficient of basis element ``a`` in ``-i[G_k, E_b]``.
    """
    check_instance(algebra, "algebra", LieAlgebra, _ALGEBRA)
    if algebra.full_su:
        raise ConfigurationError("adjoint matrices are not built for su(2^n)")
    words = list(algebra.words)
    index = {k: i for i, k in enumerate(words)}
    xs, zs = _word_arrays(words)
    w = len(words)
    mats = []
    for g in algebra.generators:
        rows, cols, vals, extra = [], [], [], {}
        for (gx, gz), c in g.items():
            f, nx, nz = bracket_arrays(gx, gz, xs, zs)
            hit = np.nonzero(f)[0]
            images = (hit.tolist(), nx[hit].tolist(), nz[hit].tolist(), f[hit].tolist())
            for col, x, z, fv in zip(*images, strict=True):
                row = index.get((x, z))
                if row is None:  # cancels in a sentence basis; kept to check that it does
                    row = extra.setdefault((x, z), w + len(extra))
                rows.append(row)
                cols.append(col)
                vals.append(c * fv)
        m = sp.csr_matrix((vals, (rows, cols)), shape=(w + len(extra), w))
        if algebra.basis is None:
            if extra:
                raise ConfigurationError("the word set is not closed: not a Lie algebra")
            mats.append(m)
        else:
            b = algebra.basis
            full = m @ b.T  # word-space images of the basis elements
            proj = b @ full[:w]
            leak = np.linalg.norm(full) ** 2 - np.linalg.norm(proj) ** 2
            if leak > 1e-8 * max(1.0, np.linalg.norm(full) ** 2):
                raise ConfigurationError("the basis is not closed under the generators")
            mats.append(sp.csr_matrix(proj))
    return mats


def _orth(v: np.ndarray, tol: float = _TOL) -> np.ndarray:
    if v.size == 0 or v.shape[1] == 0:
        return np.zeros((v.shape[0], 0))
    u, s, _ = np.linalg.svd(v, full_matrices=False)
    return u[:, s > tol * max(1.0, s[0])]


def _center(algebra: LieAlgebra, ads) -> np.ndarray:
    dim = algebra.dim
    if algebra.basis is None:  # Pauli words commuting with every generator word
        xs, zs = _word_arrays(algebra.words)
        commute = np.ones(dim, dtype=bool)
        for g in algebra.generators:
            ((gx, gz),) = g.keys()
            f, _, _ = bracket_arrays(gx, gz, xs, zs)
            commute &= f == 0
        out = np.zeros((dim, int(commute.sum())))
        out[np.nonzero(commute)[0], np.arange(out.shape[1])] = 1.0
        return out
    gram = sum((a.T @ a) for a in ads)
    gram = gram.toarray() if sp.issparse(gram) else np.asarray(gram)
    vals, vecs = np.linalg.eigh(gram)
    return vecs[:, vals < _TOL * max(1.0, vals[-1])]


def _range(images: np.ndarray, room: int, rng: np.random.Generator) -> np.ndarray:
    """Orthonormal basis of the column space of ``images`` (rank at most ``room``).

    Wide blocks are first sketched by a Gaussian matrix (same range with probability 1), then
    a pivoted QR finds the rank: much cheaper than an SVD of the whole block.
    """
    if images.shape[1] == 0 or room == 0:
        return np.zeros((images.shape[0], 0))
    if images.shape[1] > room:
        images = images @ rng.normal(size=(images.shape[1], room))
    q, r, _ = scipy.linalg.qr(images, mode="economic", pivoting=True)
    diag = np.abs(np.diag(r))
    if diag.size == 0 or diag[0] == 0:
        return np.zeros((images.shape[0], 0))
    keep = diag > 1e-7 * max(1.0, diag[0])
    return q[:, : int(keep.sum())]


def _invariant_closure(v: np.ndarray, ads, limit: int, seed: int = 0) -> np.ndarray:
    """Smallest subspace containing the columns of ``v`` and invariant under every ``ad``."""
    rng = np.random.default_rng(seed)
    basis = _orth(v)
    frontier = basis
    while frontier.shape[1]:
        images = np.hstack([a @ frontier for a in ads])
        images -= basis @ (basis.T @ images)
        images -= basis @ (basis.T @ images)  # twice: numerically orthogonal
        new = _range(images, limit - basis.shape[1], rng)
        new -= basis @ (basis.T @ new)
        new = _orth(new, 1e-7) if new.shape[1] else new
        basis = np.hstack([basis, new])
        frontier = new
        if basis.shape[1] > limit:
            raise ConfigurationError("ideal closure exceeded the semisimple part's dimension")
    return basis


def decompose_algebra(algebra: LieAlgebra, seed: int = 0) -> Decomposition:
    """Center and simple ideals of ``algebra`` (see the module docstring).

    Args:
        algebra: a :class:`LieAlgebra` that is not flagged ``full_su`` (su(2^n) is simple).
        seed: seed of the random element of step 2.

    Returns:
        Decomposition
    """
    check_instance(algebra, "algebra", LieAlgebra, _ALGEBRA)
    seed = check_seed(seed)
    if algebra.full_su:
        raise ConfigurationError("su(2^n) is simple: nothing to decompose")
    dim = algebra.dim
    ads = adjoint_matrices(algebra)
    center = _center(algebra, ads)
    # orthonormal basis of s = center^⊥
    if center.shape[1]:
        q, _ = np.linalg.qr(np.hstack([center, np.eye(dim)]))
        s_basis = q[:, center.shape[1] : dim]
    else:
        s_basis = np.eye(dim)
    ideals: list[np.ndarray] = []
    if s_basis.shape[1]:
        rng = np.random.default_rng(seed)
        x = s_basis @ rng.normal(size=s_basis.shape[1])
        ad_x = _ad_of(algebra, x)
        a_s = s_basis.T @ (ad_x @ s_basis)
        vals, vecs = np.linalg.eig(a_s)
        scale = max(np.abs(vals).max(), 1e-300)
        order = np.argsort(-np.abs(vals.imag))
        remaining = s_basis.shape[1]
        found = np.zeros((dim, 0))
        for k in order:
            if remaining == 0:
                break
            if abs(vals[k]) < 1e-6 * scale:
                break
            v = s_basis @ vecs[:, k]
            v = v.real if np.linalg.norm(v.real) >= np.linalg.norm(v.imag) else v.imag
            v = v / np.linalg.norm(v)
            if found.shape[1] and np.linalg.norm(found.T @ v) > 0.5:
                continue  # a root vector of an ideal already found
            ideal = _invariant_closure(v[:, None], ads, remaining, seed)
            ideals.append(ideal)
            found = np.hstack([found, ideal])
            remaining -= ideal.shape[1]
        if remaining != 0:
            raise ConfigurationError(
                f"ideal decomposition failed: {remaining} dimensions of the semisimple part "
                "were not reached (degenerate random element?); try another seed"
            )
    ideals.sort(key=lambda q: -q.shape[1])
    return Decomposition(center, tuple(ideals))


def _ad_of(algebra: LieAlgebra, x: np.ndarray) -> np.ndarray:
    """Dense ``ad_x`` (``x`` in orthonormal coordinates)."""
    if algebra.basis is None:
        words = list(algebra.words)
        index = {k: i for i, k in enumerate(words)}
        xs, zs = _word_arrays(words)
        dim = len(words)
        out = np.zeros((dim, dim))
        # column b: Σ_a x_a [P_a, P_b]
        for b in range(dim):
            f, nx, nz = bracket_arrays(xs, zs, xs[b], zs[b])
            hit = np.nonzero(f)[0]
            rows = [index[k] for k in zip(nx[hit].tolist(), nz[hit].tolist(), strict=True)]
            out[rows, b] = x[hit] * f[hit]
        return out
    element = {k: float(c) for k, c in zip(algebra.words, algebra.basis.T @ x, strict=True)}
    gen_alg = LieAlgebra(algebra.n_qubits, (element,), False, algebra.words, algebra.basis)
    return adjoint_matrices(gen_alg)[0].toarray()
