"""Small argument checks shared by the public functions.

Each check names the argument, says what was expected and what was got, and raises a member of
the :class:`~plateau_pl.errors.PlateauError` family.

**Example**

>>> from plateau_pl._validation import check_int
>>> check_int(3, "n_visible", minimum=1)
3
"""

from __future__ import annotations

import numbers

from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError


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
    import numpy as np

    return int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0] >> 1)
