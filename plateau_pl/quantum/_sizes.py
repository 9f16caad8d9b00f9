"""Byte estimates that never overflow, for the memory guards (:func:`~plateau_pl._validation.
check_memory`) in front of state vectors, density matrices and weight arrays.

Sizes such as ``16 · 2**n · batch`` are computed in floats, so that an absurd request (``n =
10**7`` qubits, ``n_layers = 2**1100``) gives ``inf`` — refused by the guard — instead of an
``OverflowError`` or a Python integer with millions of digits.

>>> product(16, power(2, 10), 3)
49152.0
>>> power(2, 10**7), product(8, 2**1100)
(inf, inf)
>>> product(0, power(2, 10**7))
0.0
"""

from __future__ import annotations

import math

__all__ = ["power", "product"]


def power(base, exponent) -> float:
    """``base ** exponent`` as a float, ``inf`` where it overflows."""
    try:
        return float(base) ** exponent
    except OverflowError:
        return math.inf


def product(*factors) -> float:
    """The product of non-negative ``factors`` as a float, ``inf`` where it overflows
    (0 if any factor is 0, even next to an ``inf``)."""
    out = 1.0
    for f in factors:
        try:
            f = float(f)
        except OverflowError:
            f = math.inf
        if f == 0:
            return 0.0
        out *= f
    return out
