"""Small argument checks shared by the public functions.

Each check names the argument, says what was expected and what was got, and raises a member of
the :class:`~plateau_pl.errors.PlateauError` family.

**Example**

>>> from plateau_pl._validation import check_int
>>> check_int(3, "n_visible", minimum=1)
3
"""

from __future__ import annotations

import math
import numbers
import os

import numpy as np

from plateau_pl.errors import (
    ConfigurationError,
    PlateauError,
    PlateauTypeError,
    ResourceError,
    ShapeError,
)


def check_int(value, name: str, minimum: int | None = None) -> int:
    """Return ``value`` as an ``int`` if it is an integer (not a bool) ``>= minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise PlateauTypeError(f"{name} must be an integer; got {value!r} ({type(value).__name__})")
    value = int(value)
    if minimum is not None and value < minimum:
        raise PlateauError(f"{name} must be an integer >= {minimum}; got {value}")
    return value


def check_seed(seed, name: str = "seed") -> int | None:
    """Accept ``None`` or a non-negative integer seed."""
    if seed is None:
        return None
    return check_int(seed, name, minimum=0)


def check_choice(value, name: str, choices) -> str:
    """Return ``value`` if it is one of ``choices`` (strings), else list the valid options."""
    if not isinstance(value, str) or value not in choices:
        raise ConfigurationError(
            f"unknown {name} {value!r}; available: {', '.join(sorted(choices))}"
        )
    return value


def fresh_seed() -> int:
    """Draw a 63-bit seed from fresh OS entropy (recorded so a run can be repeated)."""
    return int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0] >> 1)


def check_bool(value, name: str) -> bool:
    """Return ``value`` if it is a bool (numpy bools too), else name the argument."""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return bool(value)
    raise PlateauTypeError(f"{name} must be True or False; got {value!r} ({type(value).__name__})")


def check_float(
    value,
    name: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    positive: bool = False,
    allow_inf: bool = False,
) -> float:
    """Return ``value`` as a finite real ``float`` in range (the one "finite number" check).

    Accepts Python and numpy integers and floats and 0-d real arrays/tensors; refuses bools,
    strings, complex numbers, NaN, and infinities (unless ``allow_inf``).

    Args:
        value: the argument.
        name: its name, for the message.
        minimum, maximum: inclusive bounds (``None``: unbounded).
        positive: require ``value > 0``.
        allow_inf: accept ``+inf``/``-inf`` (never NaN).

    **Example**

    >>> check_float(0.5, "beta", positive=True)
    0.5
    >>> check_float(float("nan"), "beta")
    Traceback (most recent call last):
        ...
    plateau_pl.errors.PlateauError: beta must be a finite real number; got nan
    """
    number = _real_scalar(value, name)
    if math.isnan(number) or (math.isinf(number) and not allow_inf):
        raise PlateauError(f"{name} must be a finite real number; got {value!r}")
    if positive and not number > 0:
        raise PlateauError(f"{name} must be a number > 0; got {value!r}")
    if minimum is not None and number < minimum:
        raise PlateauError(f"{name} must be a number >= {minimum}; got {value!r}")
    if maximum is not None and number > maximum:
        raise PlateauError(f"{name} must be a number <= {maximum}; got {value!r}")
    return number


def _real_scalar(value, name: str) -> float:
    if isinstance(value, (bool, str, bytes)) or type(value).__name__ == "bool_":
        raise PlateauTypeError(
            f"{name} must be a real number; got {value!r} ({type(value).__name__})"
        )
    if isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real):
        raise PlateauTypeError(f"{name} must be a real number; got the complex {value!r}")
    if isinstance(value, numbers.Real):
        try:
            return float(value)
        except OverflowError:  # an integer beyond the largest double
            raise PlateauError(
                f"{name} must be a finite real number; got an integer of "
                f"{int(value).bit_length()} bits, beyond the largest float"
            ) from None
    shape = getattr(value, "shape", None)
    if shape is not None and tuple(shape) == () and hasattr(value, "item"):
        return _real_scalar(value.item(), name)
    raise PlateauTypeError(f"{name} must be a real number; got {type(value).__name__}")


def check_real_array(x, name: str, *, allow_empty: bool = False):
    """Refuse complex, non-numeric, empty, NaN or infinite arrays (numpy or torch); return ``x``.

    Works on numpy arrays, torch tensors (without importing torch: recognised by their module)
    and nested sequences of numbers (returned as a float64 numpy array). A torch tensor is
    returned as it is (dtype, device and graph kept).

    **Example**

    >>> check_real_array([0.1, 0.2], "weights").dtype
    dtype('float64')
    >>> check_real_array([1j], "weights")
    Traceback (most recent call last):
        ...
    plateau_pl.errors.PlateauTypeError: weights must be real; got a complex array (complex128)
    """
    if type(x).__module__.startswith("torch"):
        return _check_real_tensor(x, name, allow_empty)
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as exc:
        raise PlateauTypeError(
            f"{name} must be a real array; got {type(x).__name__} ({exc})"
        ) from None
    if np.iscomplexobj(arr):
        raise PlateauTypeError(f"{name} must be real; got a complex array ({arr.dtype})")
    if arr.dtype == bool or arr.dtype.kind not in "iuf":
        raise PlateauTypeError(
            f"{name} must be a real numeric array; got dtype {arr.dtype} ({type(x).__name__})"
        )
    if arr.size == 0 and not allow_empty:
        raise ShapeError(f"{name} must not be empty; got shape {arr.shape}")
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise PlateauError(f"{name} must be finite; got {_bad_entries(arr)}")
    return arr.astype(np.float64) if arr.dtype.kind in "iu" else arr


def _check_real_tensor(x, name: str, allow_empty: bool):
    import torch  # only reached for a tensor, when torch is already loaded

    if x.is_complex():
        raise PlateauTypeError(f"{name} must be real; got a complex tensor ({x.dtype})")
    if x.dtype == torch.bool:
        raise PlateauTypeError(f"{name} must be a real numeric tensor; got dtype torch.bool")
    if x.numel() == 0 and not allow_empty:
        raise ShapeError(f"{name} must not be empty; got shape {tuple(x.shape)}")
    if x.is_floating_point() and not bool(torch.isfinite(x.detach()).all()):
        raise PlateauError(f"{name} must be finite; got {_bad_entries(x.detach().cpu().numpy())}")
    return x


def _bad_entries(arr) -> str:
    n_nan, n_inf = int(np.isnan(arr).sum()), int(np.isinf(arr).sum())
    parts = [f"{n} {what}" for n, what in ((n_nan, "NaN"), (n_inf, "infinite")) if n]
    return " and ".join(parts) + f" entries (of {arr.size})"


def check_instance(obj, name: str, cls, expected: str | None = None):
    """Return ``obj`` if it is an instance of ``cls`` (a class or tuple), else name the argument.

    **Example**

    >>> check_instance(None, "qnn", int, "a QNN")
    Traceback (most recent call last):
        ...
    plateau_pl.errors.PlateauTypeError: qnn must be a QNN; got None (NoneType)
    """
    if not isinstance(obj, cls):
        if expected is None:
            classes = cls if isinstance(cls, tuple) else (cls,)
            expected = " or ".join(f"a {c.__name__}" for c in classes)
        raise PlateauTypeError(f"{name} must be {expected}; got {obj!r:.80} ({type(obj).__name__})")
    return obj


MEMORY_LIMIT_ENV = "PLATEAU_PL_MAX_BYTES"
"""Environment variable that overrides :func:`memory_limit` (bytes, e.g. ``8e9``)."""


def memory_limit() -> int:
    """Bytes one allocation may take: ``$PLATEAU_PL_MAX_BYTES``, else 80 % of physical memory."""
    text = os.environ.get(MEMORY_LIMIT_ENV)
    if text:
        try:
            return int(float(text))
        except ValueError:
            raise PlateauError(
                f"${MEMORY_LIMIT_ENV} must be a number of bytes; got {text!r}"
            ) from None
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # no sysconf (Windows): 16 GiB
        total = 16 * 2**30
    return int(0.8 * total)


def check_memory(n_bytes: float, what: str, instead: str = "") -> None:
    """Refuse early a computation that would need more than :func:`memory_limit` bytes.

    Args:
        n_bytes: the estimate (a float is fine: it may exceed any integer type).
        what: what would be allocated, e.g. ``"the 2^30-amplitude state of 30 qubits"``.
        instead: what to use instead (another engine, fewer draws), appended to the message.

    **Example**

    >>> check_memory(1e3, "a small array")
    >>> check_memory(1e30, "2^100 amplitudes", "use engine='pauli'")
    Traceback (most recent call last):
        ...
    plateau_pl.errors.ResourceError: 2^100 amplitudes would need 1e+30 bytes, more than ...
    """
    limit = memory_limit()
    if not n_bytes <= limit:
        hint = f"; {instead}" if instead else ""
        raise ResourceError(
            f"{what} would need {_bytes(n_bytes)}, more than the {_bytes(limit)} allowed "
            f"(80 % of this machine's memory, or ${MEMORY_LIMIT_ENV}){hint}"
        )


def _bytes(n: float) -> str:
    if n >= 1e24 or n != n:
        return f"{n:.3g} bytes"
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{int(n)} bytes"


def check_file_path(path, name: str = "path"):
    """``path`` as a :class:`~pathlib.Path` if it can name a file to read or write.

    A string or path, not empty, without NUL characters, not an existing folder, and whose first
    existing ancestor is a folder (missing folders are created by the writers).

    Raises:
        PlateauTypeError: not a string or path.
        ConfigurationError: empty, with a NUL, a folder, or inside a file.

    **Example**

    >>> check_file_path("runs/r.jsonl", "out")
    PosixPath('runs/r.jsonl')
    >>> check_file_path(".", "out")
    Traceback (most recent call last):
        ...
    plateau_pl.errors.ConfigurationError: out must name a file, not a folder; got '.'
    """
    from pathlib import Path

    if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        raise PlateauTypeError(f"{name} must be a file path; got {type(path).__name__}")
    text = os.fspath(path)
    if not isinstance(text, str):
        raise PlateauTypeError(f"{name} must be a file path as text; got bytes")
    if "\x00" in text:
        raise ConfigurationError(f"{name} must be a file path without NUL characters; got {text!r}")
    out = Path(text)
    if not text.strip() or not out.name or out.is_dir():
        raise ConfigurationError(f"{name} must name a file, not a folder; got {text!r}")
    parent = out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise ConfigurationError(f"{name} is inside {str(parent)!r}, which is not a directory")
    return out


def check_record_list(records, name: str = "records") -> list:
    """``records`` as a list of dicts: a list, tuple or other iterable of mappings.

    >>> check_record_list([{"n_hidden": 1}])
    [{'n_hidden': 1}]
    >>> check_record_list("runs/grad.jsonl")
    Traceback (most recent call last):
        ...
    plateau_pl.errors.PlateauTypeError: records must be a list of dicts (read a file with ...
    """
    from collections.abc import Iterable, Mapping

    if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Iterable):
        raise PlateauTypeError(
            f"{name} must be a list of dicts (read a file with "
            f"plateau_pl.load_records); got {type(records).__name__}"
        )
    out = list(records)
    for i, rec in enumerate(out):
        if not isinstance(rec, Mapping):
            raise PlateauTypeError(f"{name}[{i}] must be a dict; got {type(rec).__name__}")
    return out
