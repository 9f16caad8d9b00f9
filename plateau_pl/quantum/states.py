"""Reduced states of qubit registers: partial traces, reductions of pure states.

Wire convention (PennyLane's): wire 0 is the most significant bit of a basis index, so for
three wires ``|w0 w1 w2>`` has index ``4*w0 + 2*w1 + w2``. Reduced states are always returned
with the kept wires in increasing order.

Inputs are numpy arrays or torch tensors, unbatched (``(D, D)``, ``(D,)``) or with one leading
batch axis (``(batch, D, D)``, ``(batch, D)``); outputs have the input's type and batch axis.
The torch path is differentiable. Public functions check their input; the private kernels
``_compute_*`` take batched input, do no checks, and are what internal hot loops call.

**Example**

>>> import numpy as np
>>> from plateau_pl.quantum import reduced_density_matrix
>>> bell = np.array([1, 0, 0, 1]) / np.sqrt(2)
>>> reduced_density_matrix(bell, keep=[0]).real
array([[0.5, 0. ],
       [0. , 0.5]])
"""

from __future__ import annotations

import numpy as np

from plateau_pl._validation import check_int, check_memory
from plateau_pl.errors import PlateauError
from plateau_pl.quantum._checks import (
    _numpy_view,
    array_namespace,
    as_batch,
    check_atol,
    check_density_matrix,
    check_n_wires,
    check_state_vector,
    check_wires,
    permute,
    unbatch_matrix,
)
from plateau_pl.quantum._sizes import product

__all__ = [
    "is_density_matrix",
    "maximally_mixed",
    "partial_trace",
    "reduced_density_matrix",
    "trace_out_last",
    "trace_out_last_pure",
]


def _traced(keep: tuple[int, ...], n_wires: int) -> list[int]:
    kept = set(keep)
    return [w for w in range(n_wires) if w not in kept]


def trace_out_last(rho, d_keep: int, d_rest: int):
    """Kernel: ``Tr_rest ρ`` for a factor ordered first: ``(..., d_keep·d_rest, d_keep·d_rest)``
    → ``(..., d_keep, d_keep)``, numpy or torch (differentiable), any leading batch axes.

    The one partial trace: :func:`partial_trace` permutes the kept wires first and calls it; the
    QBM's ``Tr_h`` (visible wires first) calls it directly.

    >>> import numpy as np
    >>> trace_out_last(np.eye(4) / 4, 2, 2)
    array([[0.5, 0. ],
           [0. , 0.5]])
    """
    x = rho.reshape(*rho.shape[:-2], d_keep, d_rest, d_keep, d_rest)
    return array_namespace(x).einsum("...xryr->...xy", x)


def _compute_partial_trace(rho, keep: tuple[int, ...], n_wires: int):
    """Kernel: trace out every wire not in ``keep`` (sorted) from ``rho`` ``(batch, D, D)``."""
    traced = _traced(keep, n_wires)
    batch = rho.shape[0]
    d_keep, d_rest = 2 ** len(keep), 2 ** len(traced)
    x = rho.reshape((batch,) + (2,) * (2 * n_wires))
    rows = [1 + w for w in keep] + [1 + w for w in traced]
    cols = [1 + n_wires + w for w in keep] + [1 + n_wires + w for w in traced]
    x = permute(x, [0, *rows, *cols]).reshape(batch, d_keep * d_rest, d_keep * d_rest)
    return trace_out_last(x, d_keep, d_rest)


def _schmidt_matrix(psi, keep: tuple[int, ...], n_wires: int):
    """Kernel: ``psi`` ``(batch, D)`` reshaped to ``M`` ``(batch, D_keep, D_rest)``."""
    traced = _traced(keep, n_wires)
    batch = psi.shape[0]
    x = psi.reshape((batch,) + (2,) * n_wires)
    x = permute(x, [0, *(1 + w for w in keep), *(1 + w for w in traced)])
    return x.reshape(batch, 2 ** len(keep), 2 ** len(traced))


def trace_out_last_pure(psi, d_keep: int):
    """Kernel: ``Tr_rest |ψ⟩⟨ψ| = M M^†`` for a factor ordered first, ``M = ψ`` reshaped to
    ``(d_keep, d_rest)``: ``(..., d_keep·d_rest)`` → ``(..., d_keep, d_keep)``, numpy or torch,
    any leading batch axes; the full density matrix is never formed.

    The one reduction of a pure state: :func:`reduced_density_matrix` permutes the kept wires
    first and calls it; the engines' visible states (visible wires first) call it directly.

    >>> import numpy as np
    >>> trace_out_last_pure(np.array([1.0, 0.0, 0.0, 1.0]) / np.sqrt(2), 2).real
    array([[0.5, 0. ],
           [0. , 0.5]])
    """
    m = psi.reshape(*psi.shape[:-1], d_keep, -1)
    return m @ m.conj().swapaxes(-1, -2)


def _compute_reduced_density_matrix(psi, keep: tuple[int, ...], n_wires: int):
    """Kernel: ``rho_keep = M M^dagger`` from ``psi`` ``(batch, D)``; O(D) extra memory."""
    m = _schmidt_matrix(psi, keep, n_wires)
    return trace_out_last_pure(m.reshape(m.shape[0], -1), m.shape[1])


def _compute_schmidt_gram(psi, keep: tuple[int, ...], n_wires: int):
    """Kernel: the smaller of ``M M^dagger`` and ``(M^dagger M)^T``.

    Both have the same non-zero spectrum (the squared Schmidt coefficients), so any spectral
    function that vanishes at zero (entropies, purity) can use the smaller one.
    """
    m = _schmidt_matrix(psi, keep, n_wires)
    if m.shape[-1] < m.shape[-2]:
        return m.swapaxes(-1, -2) @ m.conj()
    return m @ m.conj().swapaxes(-1, -2)


def partial_trace(rho, keep, n_wires: int | None = None, atol: float | None = None):
    """Reduce a density matrix on qubits to the wires in ``keep``.

    .. math::

        \\rho_K = \\operatorname{Tr}_{\\bar K} \\rho

    Args:
        rho: density matrix ``(2**n, 2**n)`` or batch ``(batch, 2**n, 2**n)``, numpy or torch.
        keep: wire index or indices to keep; the output orders them increasingly.
        n_wires: number of wires; inferred from the shape if ``None``, checked otherwise.
        atol: tolerance of the Hermiticity and trace checks (``None``: from the dtype).

    Returns:
        The reduced density matrix ``(2**k, 2**k)`` (or ``(batch, 2**k, 2**k)``), same type and
        dtype as ``rho``.

    Raises:
        ShapeError, InvalidMatrixError, WireError, PlateauTypeError: on bad input.

    **Example**

    >>> import numpy as np
    >>> rho = np.kron(np.diag([1.0, 0.0]), np.eye(2) / 2)   # |0><0| on wire 0, I/2 on wire 1
    >>> partial_trace(rho, keep=[0])
    array([[1., 0.],
           [0., 0.]])
    """
    rho = check_density_matrix(rho, "rho", atol, qubits=True)
    n = check_n_wires(n_wires, rho.shape[-1], "rho")
    keep = check_wires(keep, n, "keep")
    x, batched = as_batch(rho, 2)
    return unbatch_matrix(_compute_partial_trace(x, keep, n), batched)


def reduced_density_matrix(psi, keep, n_wires: int | None = None, atol: float | None = None):
    """Reduced density matrix of a pure state on the wires in ``keep``.

    Transposes the kept wires to the front, reshapes ``psi`` to a ``D_keep × D_rest`` matrix
    ``M`` and returns ``M M^†``; the full ``D × D`` density matrix is never formed.

    .. math::

        \\rho_K = \\operatorname{Tr}_{\\bar K} |\\psi\\rangle\\langle\\psi| = M M^\\dagger,
        \\qquad M_{k r} = \\psi_{(k, r)}

    Args:
        psi: state vector ``(2**n,)`` or batch ``(batch, 2**n)``, numpy or torch, norm 1.
        keep: wire index or indices to keep; the output orders them increasingly.
        n_wires: number of wires; inferred from the length if ``None``, checked otherwise.
        atol: tolerance of the norm check (``None``: from the dtype).

    Returns:
        ``(2**k, 2**k)`` (or ``(batch, 2**k, 2**k)``), same type as ``psi``; complex if
        ``psi`` is.

    **Example**

    >>> import numpy as np
    >>> psi = np.kron([1.0, 0.0], [0.6, 0.8])          # |0> on wire 0, 0.6|0> + 0.8|1> on wire 1
    >>> reduced_density_matrix(psi, keep=1).round(12)
    array([[0.36, 0.48],
           [0.48, 0.64]])
    """
    psi = check_state_vector(psi, "psi", atol)
    n = check_n_wires(n_wires, psi.shape[-1], "psi")
    keep = check_wires(keep, n, "keep")
    x, batched = as_batch(psi, 1)
    return unbatch_matrix(_compute_reduced_density_matrix(x, keep, n), batched)


def maximally_mixed(d: int) -> np.ndarray:
    """The maximally mixed state ``I/d`` as a complex128 numpy array.

    Args:
        d: dimension, a positive integer (any, not only powers of two).

    Returns:
        ``np.eye(d) / d`` with dtype complex128.

    **Example**

    >>> maximally_mixed(2).real
    array([[0.5, 0. ],
           [0. , 0.5]])
    """
    d = check_int(d, "d", minimum=1)
    check_memory(product(16, d, d), f"the {d}×{d} maximally mixed state", "use a smaller d")
    return np.eye(d, dtype=np.complex128) / d


def is_density_matrix(rho, atol: float = 1e-8) -> bool:
    """Whether ``rho`` is a density matrix (or a batch of them) within ``atol``.

    Square, finite, Hermitian within ``atol``, trace one within ``atol`` and eigenvalues
    ``>= -atol``. Never raises on a bad ``rho``: anything else gives ``False`` (a bad ``atol``
    is an error).

    Args:
        rho: candidate ``(D, D)`` or ``(batch, D, D)``, numpy or torch.
        atol: absolute tolerance.

    Returns:
        ``True`` if every matrix in the batch is a density matrix.

    **Example**

    >>> import numpy as np
    >>> is_density_matrix(np.eye(2) / 2), is_density_matrix(np.diag([1.5, -0.5]))
    (True, False)
    """
    atol = check_atol(atol)
    try:
        rho = check_density_matrix(rho, "rho", atol)
    except PlateauError:
        return False
    lam = np.linalg.eigvalsh(_numpy_view(rho))
    return bool(np.min(lam) >= -atol)
