"""Input casting and cheap checks shared by the public functions of :mod:`plateau_pl.quantum`.

Every public function is a thin shell: it casts its input with :func:`as_array`, checks cheap
properties (shape, finiteness, Hermiticity, trace or norm) with the ``check_*`` functions below,
adds a batch axis with :func:`as_batch`, calls a private kernel and removes the batch axis again
with :func:`unbatch`. Kernels never check.

Torch is never imported here: a tensor is recognised through ``sys.modules``, so that importing
:mod:`plateau_pl.quantum` does not load torch, and numpy input never does either.

Tolerances: ``atol=None`` means ``1e-8`` for double-precision input (float64, complex128) and
``1e-5`` for single precision (float32, complex64), whose rounding error is about ``1e-7``.

**Example**

>>> import numpy as np
>>> from plateau_pl.quantum._checks import check_density_matrix
>>> check_density_matrix(np.eye(2) / 2).shape
(2, 2)
>>> check_density_matrix(np.ones((2, 3)))
Traceback (most recent call last):
    ...
plateau_pl.errors.ShapeError: rho must be square (..., D, D); got shape (2, 3)
"""

from __future__ import annotations

import numbers
import sys

import numpy as np

from plateau_pl._validation import check_float, check_int
from plateau_pl.errors import (
    InvalidMatrixError,
    PlateauError,
    PlateauTypeError,
    ShapeError,
    WireError,
)

__all__ = [
    "array_namespace",
    "as_array",
    "as_batch",
    "check_atol",
    "check_density_matrix",
    "check_n_wires",
    "check_state_vector",
    "check_wires",
    "is_torch",
    "n_qubits",
    "permute",
    "unbatch",
    "unbatch_matrix",
]

DOUBLE_ATOL = 1e-8
"""Default tolerance for double-precision input."""
SINGLE_ATOL = 1e-5
"""Default tolerance for single-precision input."""


def is_torch(x) -> bool:
    """Whether ``x`` is a torch tensor (without importing torch)."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(x, torch.Tensor)


def array_namespace(x):
    """The module (``numpy`` or ``torch``) whose functions apply to ``x``."""
    return sys.modules["torch"] if is_torch(x) else np


def as_array(x, name: str):
    """Cast ``x`` to a float or complex numpy array, or keep a torch tensor.

    Torch tensors keep their dtype (and device, and autograd graph) if floating point or complex;
    integer or boolean tensors become float64. Anything else goes through :func:`numpy.asarray`
    and must give a numeric array; integers and booleans become float64.

    Raises:
        PlateauTypeError: if ``x`` is not numeric array-like.
    """
    if is_torch(x):
        if x.is_floating_point() or x.is_complex():
            return x
        torch = sys.modules["torch"]
        return x.to(torch.float64)
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as exc:
        raise PlateauTypeError(
            f"{name} must be a numpy array or torch tensor of numbers; got {type(x).__name__}"
        ) from exc
    if arr.dtype.kind in "fc":
        return arr
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    raise PlateauTypeError(
        f"{name} must be a numpy array or torch tensor of numbers; got {type(x).__name__} "
        f"with dtype {arr.dtype}"
    )


def _numpy_view(x) -> np.ndarray:
    """A numpy view (no autograd graph) of an array or tensor, for checks only."""
    if is_torch(x):
        return x.detach().cpu().resolve_conj().resolve_neg().numpy()
    return x


def check_atol(atol) -> float:
    """``atol`` as a float if it is a finite real number ``>= 0``.

    A non-number is a :class:`PlateauTypeError`; a negative or non-finite one the
    :class:`InvalidMatrixError` these checks always raised.

    >>> check_atol("x")
    Traceback (most recent call last):
        ...
    plateau_pl.errors.PlateauTypeError: atol must be a real number; got 'x' (str)
    """
    try:
        return check_float(atol, "atol", minimum=0.0)
    except PlateauTypeError:
        raise
    except PlateauError:
        raise InvalidMatrixError(f"atol must be a finite number >= 0; got {atol!r}") from None


def _default_atol(x, atol):
    if atol is not None:
        return check_atol(atol)
    single = str(x.dtype).rsplit(".", 1)[-1] in ("float32", "complex64", "float16", "bfloat16")
    return SINGLE_ATOL if single else DOUBLE_ATOL


def n_qubits(dim: int, name: str) -> int:
    """Return ``n`` if ``dim == 2**n`` with ``n >= 1``, else raise :class:`ShapeError`."""
    n = int(dim).bit_length() - 1
    if dim < 2 or dim != 2**n:
        raise ShapeError(f"{name} must have dimension 2**n_wires with n_wires >= 1; got {dim}")
    return n


def check_density_matrix(
    rho, name: str = "rho", atol: float | None = None, *, trace: bool = True, qubits: bool = False
):
    """Cast ``rho`` and check that it is a (batch of) density matrices.

    Checks, in order: numeric type; shape ``(D, D)`` or ``(batch, D, D)``; ``D`` a power of two
    if ``qubits``; all entries finite; Hermitian within ``atol``; trace one within ``atol`` if
    ``trace``. Positivity is not checked (it needs an eigendecomposition; see
    :func:`~plateau_pl.quantum.is_density_matrix`).

    Args:
        rho: array or tensor of shape ``(D, D)`` or ``(batch, D, D)``.
        name: the argument's name, used in messages.
        atol: absolute tolerance; ``None`` picks one from the dtype (module docstring).
        trace: whether to require unit trace.
        qubits: whether to require ``D = 2**n`` with ``n >= 1``.

    Returns:
        The cast array (numpy) or the tensor itself (torch).

    Raises:
        PlateauTypeError, ShapeError, InvalidMatrixError: with the argument's name and the
        expected and actual values.

    **Example**

    >>> import numpy as np
    >>> check_density_matrix(np.array([[0.5, 0.3], [0.0, 0.5]]))
    Traceback (most recent call last):
        ...
    plateau_pl.errors.InvalidMatrixError: rho is not Hermitian: max |rho - rho^H| = 0.3 > atol 1e-08
    """
    rho = as_array(rho, name)
    shape = tuple(rho.shape)
    if len(shape) not in (2, 3) or shape[-1] != shape[-2]:
        raise ShapeError(f"{name} must be square (..., D, D); got shape {shape}")
    if len(shape) == 3 and shape[0] == 0:
        raise ShapeError(f"{name} has an empty batch; got shape {shape}")
    if qubits:
        n_qubits(shape[-1], name)
    elif shape[-1] < 1:
        raise ShapeError(f"{name} must have dimension D >= 1; got shape {shape}")
    tol = _default_atol(rho, atol)
    view = _numpy_view(rho)
    if not np.all(np.isfinite(view)):
        raise InvalidMatrixError(f"{name} must be finite; got NaN or inf entries")
    herm = float(np.max(np.abs(view - np.conj(np.swapaxes(view, -1, -2)))))
    if herm > tol:
        raise InvalidMatrixError(
            f"{name} is not Hermitian: max |{name} - {name}^H| = {herm:.3g} > atol {tol:.3g}"
        )
    if trace:
        tr = np.trace(view, axis1=-2, axis2=-1).real
        err = np.abs(tr - 1.0)
        if np.max(err) > tol:
            worst = float(np.ravel(tr)[np.argmax(err)])
            raise InvalidMatrixError(
                f"{name} must have trace 1 within atol {tol:.3g}; got trace {worst:.12g}"
            )
    return rho


def check_state_vector(psi, name: str = "psi", atol: float | None = None):
    """Cast ``psi`` and check that it is a (batch of) normalised qubit state vectors.

    Checks: numeric type; shape ``(D,)`` or ``(batch, D)`` with ``D = 2**n``, ``n >= 1``; finite
    entries; norm one within ``atol``.

    Args:
        psi: array or tensor of shape ``(D,)`` or ``(batch, D)``.
        name: the argument's name, used in messages.
        atol: absolute tolerance on the norm; ``None`` picks one from the dtype.

    Returns:
        The cast array (numpy) or the tensor itself (torch).

    **Example**

    >>> import numpy as np
    >>> check_state_vector(np.array([1.0, 1.0]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    plateau_pl.errors.InvalidMatrixError: psi must have norm 1 within atol 1e-08; got norm 1.414...
    """
    psi = as_array(psi, name)
    shape = tuple(psi.shape)
    if len(shape) not in (1, 2):
        raise ShapeError(f"{name} must have shape (D,) or (batch, D); got shape {shape}")
    if len(shape) == 2 and shape[0] == 0:
        raise ShapeError(f"{name} has an empty batch; got shape {shape}")
    n_qubits(shape[-1], name)
    tol = _default_atol(psi, atol)
    view = _numpy_view(psi)
    if not np.all(np.isfinite(view)):
        raise InvalidMatrixError(f"{name} must be finite; got NaN or inf entries")
    norm = np.sqrt(np.sum(np.abs(view) ** 2, axis=-1))
    err = np.abs(norm - 1.0)
    if np.max(err) > tol:
        worst = float(np.ravel(norm)[np.argmax(err)])
        raise InvalidMatrixError(
            f"{name} must have norm 1 within atol {tol:.3g}; got norm {worst:.12g}"
        )
    return psi


def check_wires(keep, n_wires: int, name: str = "keep") -> tuple[int, ...]:
    """Check a set of wire indices and return it sorted.

    Args:
        keep: an integer or an iterable of distinct integers in ``range(n_wires)``.
        n_wires: the number of wires.
        name: the argument's name, used in messages.

    Returns:
        The wires as a sorted tuple (outputs are always in increasing wire order).

    **Example**

    >>> check_wires([2, 0], 3)
    (0, 2)
    >>> check_wires([3], 3)
    Traceback (most recent call last):
        ...
    plateau_pl.errors.WireError: keep must contain wires in range(3); got 3
    """
    n_wires = check_int(n_wires, "n_wires", minimum=0)
    if isinstance(keep, numbers.Integral) and not isinstance(keep, bool):
        keep = (keep,)
    try:
        wires = list(keep)
    except TypeError as exc:
        raise PlateauTypeError(
            f"{name} must be a sequence of wire indices; got {type(keep).__name__}"
        ) from exc
    for w in wires:
        if isinstance(w, bool) or not isinstance(w, numbers.Integral):
            raise PlateauTypeError(f"{name} must contain integer wire indices; got {w!r}")
        if not 0 <= w < n_wires:
            raise WireError(f"{name} must contain wires in range({n_wires}); got {w}")
    if not wires:
        raise WireError(f"{name} must name at least one wire; got {list(wires)}")
    if len(set(wires)) != len(wires):
        raise WireError(f"{name} must not repeat wires; got {list(wires)}")
    return tuple(sorted(int(w) for w in wires))


def check_n_wires(n_wires, dim: int, name: str) -> int:
    """Infer ``n_wires`` from ``dim = 2**n_wires`` or check that the given value matches."""
    n = n_qubits(dim, name)
    if n_wires is None:
        return n
    if isinstance(n_wires, bool) or not isinstance(n_wires, numbers.Integral):
        raise PlateauTypeError(f"n_wires must be an integer or None; got {n_wires!r}")
    if int(n_wires) != n:
        raise ShapeError(f"{name} has dimension {dim} = 2**{n}, but n_wires={n_wires}")
    return n


def as_batch(x, core_ndim: int):
    """Return ``(x_batched, batched)``: ``x`` with a leading batch axis added if it had none."""
    if x.ndim == core_ndim:
        return x[None], False
    return x, True


def unbatch(out, batched: bool):
    """Undo :func:`as_batch` on a kernel's ``(batch,)`` result.

    Numpy: batched → ``ndarray`` of shape ``(batch,)``; unbatched → python ``float``.
    Torch: batched → tensor ``(batch,)``; unbatched → 0-d tensor (graph kept).
    """
    if batched:
        return out
    if is_torch(out):
        return out[0]
    return float(out[0])


def unbatch_matrix(out, batched: bool):
    """Undo :func:`as_batch` on a kernel's ``(batch, d, d)`` result (same type as the input)."""
    return out if batched else out[0]


def permute(x, perm):
    """Permute the axes of an array or tensor."""
    if is_torch(x):
        return x.permute(*perm)
    return x.transpose(perm)
