"""Purity, entropies and trace distances of density matrices (numpy or torch).

Every function takes a density matrix ``(D, D)`` or a batch ``(batch, D, D)``.

Return types:

- numpy, unbatched → python ``float``;
- numpy, batched → ``ndarray`` of shape ``(batch,)``, float64;
- torch, unbatched → 0-d real tensor; torch, batched → real tensor ``(batch,)``; the torch
  path keeps the autograd graph (differentiable; see each function for where).

Public functions cast and check their input (square, finite, Hermitian and trace one within
``atol``; ``atol=None`` picks ``1e-8`` for double and ``1e-5`` for single precision), then call a
private kernel ``_compute_<quantity>`` that takes batched input and does no checks; internal hot
loops call the kernels directly. Logarithms are natural unless ``base`` is given.

**Example**

>>> import numpy as np
>>> from plateau_pl.quantum import entanglement_entropy, purity
>>> bell = np.array([1, 0, 0, 1]) / np.sqrt(2)
>>> purity(np.outer(bell, bell))
1.0
>>> round(entanglement_entropy(bell, keep=[0], base=2), 12)
1.0
"""

from __future__ import annotations

import math

import numpy as np

from plateau_pl._validation import check_choice, check_float
from plateau_pl.errors import (
    ConfigurationError,
    InvalidMatrixError,
    PlateauError,
    PlateauTypeError,
    ShapeError,
)
from plateau_pl.quantum._checks import (
    _default_atol,
    _numpy_view,
    array_namespace,
    as_batch,
    check_density_matrix,
    check_n_wires,
    check_state_vector,
    check_wires,
    is_torch,
    unbatch,
)
from plateau_pl.quantum.states import _compute_partial_trace, _compute_schmidt_gram

__all__ = [
    "compute_purity",
    "compute_renyi2_entropy",
    "compute_trace_distance",
    "compute_trace_distance_to_maximally_mixed",
    "compute_von_neumann_entropy",
    "entanglement_entropy",
    "purity",
    "renyi2_entropy",
    "trace_distance",
    "trace_distance_to_maximally_mixed",
    "von_neumann_entropy",
]

ENTROPY_KINDS = ("von_neumann", "renyi2")
"""Values accepted by ``entanglement_entropy(kind=...)``."""
REPRESENTATIONS = ("auto", "vector", "density")
"""Values accepted by ``entanglement_entropy(representation=...)``."""


# ----------------------------------------------------------------------------- kernels
# ``compute_*``: the formulas alone, for ``(batch, D, D)`` states that are valid by construction
# (engines' outputs, training losses); the functions below check their input, then call them.


def compute_purity(rho):
    """Kernel: ``Tr rho^2 = sum_ij |rho_ij|^2`` for Hermitian ``rho`` ``(batch, D, D)``.

    >>> import numpy as np
    >>> compute_purity(np.stack([np.eye(2) / 2, np.diag([1.0, 0.0])])).tolist()
    [0.5, 1.0]
    """
    return (rho * rho.conj()).real.sum(axis=(-2, -1))


def compute_renyi2_entropy(rho):
    """Kernel: ``-ln Tr rho^2`` (nats) for ``rho`` ``(batch, D, D)``."""
    return -array_namespace(rho).log(compute_purity(rho))


def compute_von_neumann_entropy(rho):
    """Kernel: ``-sum_i lambda_i ln lambda_i`` (nats), eigenvalues ``<= 0`` contribute 0.

    The double ``where`` keeps the torch gradient finite: the logarithm is only ever evaluated
    at positive arguments, and the clipped eigenvalues get zero gradient.
    """
    xp = array_namespace(rho)
    lam = xp.linalg.eigvalsh(rho)
    pos = lam > 0
    safe = xp.where(pos, lam, xp.ones_like(lam))
    terms = xp.where(pos, lam * xp.log(safe), xp.zeros_like(lam))
    return -terms.sum(axis=-1)


def compute_trace_distance(rho, sigma):
    """Kernel: ``1/2 sum_i |eig(rho - sigma)_i|`` for broadcastable ``(batch, D, D)`` inputs."""
    xp = array_namespace(rho)
    return 0.5 * xp.abs(xp.linalg.eigvalsh(rho - sigma)).sum(axis=-1)


def compute_trace_distance_to_maximally_mixed(rho):
    """Kernel: ``1/2 sum_i |lambda_i - 1/D|`` from the eigenvalues of ``rho`` ``(batch, D, D)``."""
    xp = array_namespace(rho)
    lam = xp.linalg.eigvalsh(rho)
    return 0.5 * xp.abs(lam - 1.0 / rho.shape[-1]).sum(axis=-1)


_ENTROPY_KERNELS = {
    "von_neumann": compute_von_neumann_entropy,
    "renyi2": compute_renyi2_entropy,
}


# ----------------------------------------------------------------------------- helpers


def _log_base(base) -> float:
    """``ln(base)``, the divisor that converts nats to ``base`` units (``None`` → 1)."""
    if base is None:
        return 1.0
    try:
        b = check_float(base, "base", positive=True)
    except PlateauTypeError:
        raise PlateauTypeError(f"base must be a number or None; got {base!r}") from None
    except PlateauError:
        b = 1.0  # refused below, with the message this function always gave
    if b == 1:
        raise ConfigurationError(f"base must be a finite number > 0 and != 1; got {base!r}")
    return math.log(b)


def _check_range(values, lo: float, hi: float, name: str, what: str, tol: float):
    """``values``, if every entry lies in ``[lo - tol, hi + tol]`` — where ``what`` of a density
    matrix always lies; outside (or NaN), the input ``name`` is not positive semidefinite."""
    view = np.asarray(_numpy_view(values), dtype=np.float64)
    bad = ~((view >= lo - tol) & (view <= hi + tol))
    if np.any(bad):
        worst = float(view[bad].flat[0])
        raise InvalidMatrixError(
            f"{name} is not a density matrix (not positive semidefinite): its {what} is "
            f"{worst:.6g}, outside [{lo:.6g}, {hi:.6g}]"
        )
    return values


def _checked_purity(x, name: str, atol):
    """Purity of ``x`` (batched), refused where it exceeds 1: ``x`` is then not positive."""
    with np.errstate(over="ignore"):  # entries ~1e200: an inf purity, refused just below
        out = compute_purity(x)
    return _check_range(out, 0.0, 1.0, name, "purity Tr rho^2", _default_atol(x, atol))


def _checked_entropy(x, kind: str, name: str, atol):
    """The ``kind`` entropy of density matrices ``x`` (batched), refused outside
    ``[0, ln D]`` (a matrix that is not positive semidefinite)."""
    if kind == "renyi2":
        return -array_namespace(x).log(_checked_purity(x, name, atol))
    out = compute_von_neumann_entropy(x)
    return _check_range(out, 0.0, math.log(x.shape[-1]), name, "entropy", _default_atol(x, atol))


def _scaled(values, scale: float):
    """``values`` in nats divided by ``scale = ln(base)`` (from :func:`_log_base`)."""
    return values if scale == 1.0 else values / scale


def _to_common_backend(rho, sigma):
    """Convert a numpy operand to a tensor (float64/complex128) when the other one is one."""
    if is_torch(rho) == is_torch(sigma):
        return rho, sigma
    import torch

    tensor = rho if is_torch(rho) else sigma

    def convert(arr):
        dtype = torch.complex128 if np.iscomplexobj(arr) else torch.float64
        return torch.as_tensor(arr, dtype=dtype, device=tensor.device)

    return (rho, convert(sigma)) if is_torch(rho) else (convert(rho), sigma)


# ----------------------------------------------------------------------------- public API


def purity(rho, atol: float | None = None):
    """Purity ``Tr rho^2``, from the entries (no eigendecomposition; differentiable).

    .. math::

        \\gamma(\\rho) = \\operatorname{Tr}\\rho^2 = \\sum_{ij} |\\rho_{ij}|^2 \\in [1/D, 1]

    Args:
        rho: density matrix ``(D, D)`` or ``(batch, D, D)``, numpy or torch.
        atol: tolerance of the input checks (``None``: from the dtype).

    Returns:
        float (numpy unbatched), ``(batch,)`` array, or a real torch tensor (module docstring).

    **Example**

    >>> import numpy as np
    >>> purity(np.eye(4) / 4)
    0.25
    """
    rho = check_density_matrix(rho, "rho", atol)
    x, batched = as_batch(rho, 2)
    return unbatch(_checked_purity(x, "rho", atol), batched)


def renyi2_entropy(rho, base: float | None = None, atol: float | None = None):
    """Rényi-2 entropy ``-log Tr rho^2`` (differentiable; no eigendecomposition).

    .. math::

        S_2(\\rho) = -\\log \\operatorname{Tr}\\rho^2

    Args:
        rho: density matrix ``(D, D)`` or ``(batch, D, D)``, numpy or torch.
        base: logarithm base; ``None`` for nats, ``2`` for bits.
        atol: tolerance of the input checks (``None``: from the dtype).

    Returns:
        float (numpy unbatched), ``(batch,)`` array, or a real torch tensor.

    **Example**

    >>> import numpy as np
    >>> renyi2_entropy(np.eye(4) / 4, base=2)
    2.0
    """
    scale = _log_base(base)
    rho = check_density_matrix(rho, "rho", atol)
    x, batched = as_batch(rho, 2)
    log = array_namespace(x).log
    return unbatch(_scaled(-log(_checked_purity(x, "rho", atol)), scale), batched)


def von_neumann_entropy(rho, base: float | None = None, atol: float | None = None):
    """Von Neumann entropy from the eigenvalues, with ``0 ln 0 = 0``.

    Eigenvalues ``<= 0`` (rounding errors of a rank-deficient state) are dropped. The torch path
    is differentiable where the spectrum is positive and non-degenerate in the direction of the
    perturbation (autograd through ``eigvalsh``); a zero eigenvalue contributes zero gradient.

    .. math::

        S(\\rho) = -\\operatorname{Tr}\\rho\\log\\rho = -\\sum_{\\lambda_i > 0}
        \\lambda_i \\log\\lambda_i

    Args:
        rho: density matrix ``(D, D)`` or ``(batch, D, D)``, numpy or torch.
        base: logarithm base; ``None`` for nats, ``2`` for bits.
        atol: tolerance of the input checks (``None``: from the dtype).

    Returns:
        float (numpy unbatched), ``(batch,)`` array, or a real torch tensor.

    **Example**

    >>> import numpy as np
    >>> import math
    >>> math.isclose(von_neumann_entropy(np.eye(2) / 2), math.log(2))
    True
    >>> von_neumann_entropy(np.diag([1.0, 0.0]))
    0.0
    """
    scale = _log_base(base)
    rho = check_density_matrix(rho, "rho", atol)
    x, batched = as_batch(rho, 2)
    entropy = _checked_entropy(x, "von_neumann", "rho", atol)
    return unbatch(_scaled(entropy, scale), batched)


def trace_distance(rho, sigma, atol: float | None = None):
    """Trace distance ``1/2 ||rho - sigma||_1`` from the eigenvalues of the difference.

    Batches broadcast: both ``(batch, D, D)`` with equal ``batch``, or one of them unbatched.
    A numpy operand is converted to torch when the other one is a tensor.

    .. math::

        T(\\rho, \\sigma) = \\tfrac12 \\lVert \\rho - \\sigma \\rVert_1
        = \\tfrac12 \\sum_i |\\operatorname{eig}_i(\\rho - \\sigma)| \\in [0, 1]

    Args:
        rho: density matrix ``(D, D)`` or ``(batch, D, D)``.
        sigma: density matrix of the same ``D``.
        atol: tolerance of the input checks (``None``: from the dtype).

    Returns:
        float (numpy, both unbatched), ``(batch,)`` array, or a real torch tensor.

    **Example**

    >>> import numpy as np
    >>> trace_distance(np.diag([1.0, 0.0]), np.diag([0.0, 1.0]))
    1.0
    """
    rho = check_density_matrix(rho, "rho", atol)
    sigma = check_density_matrix(sigma, "sigma", atol)
    if rho.shape[-1] != sigma.shape[-1]:
        raise ShapeError(
            f"rho and sigma must have the same dimension D; got {rho.shape[-1]} and "
            f"{sigma.shape[-1]}"
        )
    if rho.ndim == 3 and sigma.ndim == 3 and rho.shape[0] != sigma.shape[0]:
        raise ShapeError(
            f"rho and sigma must have the same batch size (or one be unbatched); got "
            f"{rho.shape[0]} and {sigma.shape[0]}"
        )
    rho, sigma = _to_common_backend(rho, sigma)
    batched = rho.ndim == 3 or sigma.ndim == 3
    x = rho if rho.ndim == 3 else rho[None]
    y = sigma if sigma.ndim == 3 else sigma[None]
    out = compute_trace_distance(x, y)
    _check_range(out, 0.0, 1.0, "rho or sigma", "trace distance", _default_atol(x, atol))
    return unbatch(out, batched)


def trace_distance_to_maximally_mixed(rho, atol: float | None = None):
    """Trace distance to the maximally mixed state ``I/D`` (differentiable via ``eigvalsh``).

    .. math::

        T(\\rho, I/D) = \\tfrac12 \\sum_i |\\lambda_i - 1/D| \\in [0, 1 - 1/D]

    The torch gradient is exact wherever no eigenvalue equals ``1/D``.

    Args:
        rho: density matrix ``(D, D)`` or ``(batch, D, D)``, numpy or torch.
        atol: tolerance of the input checks (``None``: from the dtype).

    Returns:
        float (numpy unbatched), ``(batch,)`` array, or a real torch tensor.

    **Example**

    >>> import numpy as np
    >>> trace_distance_to_maximally_mixed(np.diag([1.0, 0.0]))
    0.5
    """
    rho = check_density_matrix(rho, "rho", atol)
    x, batched = as_batch(rho, 2)
    out = compute_trace_distance_to_maximally_mixed(x)
    hi = 1.0 - 1.0 / x.shape[-1]
    _check_range(out, 0.0, hi, "rho", "trace distance to I/D", _default_atol(x, atol))
    return unbatch(out, batched)


def _is_vector(state, representation: str) -> bool:
    check_choice(representation, "representation", REPRESENTATIONS)
    if representation != "auto":
        return representation == "vector"
    shape = tuple(getattr(state, "shape", np.shape(state)))
    return len(shape) == 1 or (len(shape) == 2 and shape[0] != shape[1])


def entanglement_entropy(
    state,
    keep=None,
    n_wires: int | None = None,
    kind: str = "von_neumann",
    base: float | None = None,
    representation: str = "auto",
    atol: float | None = None,
):
    """Entropy of the reduced state on the wires ``keep`` (the visible part).

    - ``state`` a state vector ``(2**n,)`` or a batch ``(batch, 2**n)``: it is reduced to
      ``keep`` (required) without forming the full density matrix; for a pure state the entropy
      is computed from the smaller side of the Schmidt decomposition.
    - ``state`` a density matrix ``(D, D)`` or ``(batch, D, D)``: with ``keep=None`` it already
      is the reduced state ``rho_v``; with ``keep`` it is partial-traced first.

    ``representation="auto"`` treats 1-D input and non-square 2-D input as state vectors and
    square 2-D or 3-D input as density matrices. A batch of ``D`` state vectors of length ``D``
    is square: pass ``representation="vector"`` for it.

    .. math::

        S(\\rho_v) = -\\operatorname{Tr}\\rho_v\\log\\rho_v \\ \\text{(von Neumann)}, \\qquad
        S_2(\\rho_v) = -\\log\\operatorname{Tr}\\rho_v^2 \\ \\text{(Rényi-2)}

    Args:
        state: state vector or density matrix, numpy or torch, optionally batched.
        keep: wires to keep (required for state vectors).
        n_wires: number of wires; inferred from the shape if ``None``, checked otherwise.
        kind: ``"von_neumann"`` or ``"renyi2"``.
        base: logarithm base; ``None`` for nats, ``2`` for bits.
        representation: ``"auto"``, ``"vector"`` or ``"density"``.
        atol: tolerance of the input checks (``None``: from the dtype).

    Returns:
        float (numpy unbatched), ``(batch,)`` array, or a real torch tensor (differentiable).

    **Example**

    >>> import math
    >>> import numpy as np
    >>> bell = np.array([1, 0, 0, 1]) / np.sqrt(2)
    >>> round(entanglement_entropy(bell, keep=[1]) / math.log(2), 12)
    1.0
    >>> entanglement_entropy(np.kron([1.0, 0.0], [0.0, 1.0]), keep=[0])
    0.0
    """
    check_choice(kind, "kind", _ENTROPY_KERNELS)
    scale = _log_base(base)
    kernel = _ENTROPY_KERNELS[kind]
    if _is_vector(state, representation):
        psi = check_state_vector(state, "state", atol)
        if keep is None:
            raise ConfigurationError(
                "keep is required when state is a state vector (the entropy of a pure state "
                "is 0); pass the wires of the visible part"
            )
        n = check_n_wires(n_wires, psi.shape[-1], "state")
        wires = check_wires(keep, n, "keep")
        x, batched = as_batch(psi, 1)
        x = _compute_schmidt_gram(x, wires, n)
    else:
        rho = check_density_matrix(state, "state", atol, qubits=keep is not None)
        x, batched = as_batch(rho, 2)
        if keep is not None:
            n = check_n_wires(n_wires, rho.shape[-1], "state")
            x = _compute_partial_trace(x, check_wires(keep, n, "keep"), n)
        elif n_wires is not None:
            check_n_wires(n_wires, rho.shape[-1], "state")
        return unbatch(_scaled(_checked_entropy(x, kind, "state", atol), scale), batched)
    return unbatch(_scaled(kernel(x), scale), batched)
