"""Exceptions raised by plateau_pl.

Every error plateau_pl raises on bad input derives from :class:`PlateauError`, itself a
``ValueError``, so ``except ValueError`` keeps working for callers who do not care about the
family. Messages name the argument, say what was expected and what was got.

**Example**

>>> from plateau_pl.errors import PlateauError, ShapeError
>>> issubclass(ShapeError, PlateauError) and issubclass(PlateauError, ValueError)
True
"""

from __future__ import annotations

__all__ = [
    "ConfigurationError",
    "InvalidMatrixError",
    "PlateauError",
    "PlateauTypeError",
    "RecordsError",
    "ResourceError",
    "ShapeError",
    "WireError",
]


class PlateauError(ValueError):
    """Base class of every input error raised by plateau_pl."""


class PlateauTypeError(PlateauError, TypeError):
    """An argument has the wrong type (also a ``TypeError``)."""


class ShapeError(PlateauError):
    """An array has the wrong shape (weights, density matrices, inputs)."""


class InvalidMatrixError(PlateauError):
    """A matrix is not square, not Hermitian, not finite, or not a density matrix."""


class WireError(PlateauError):
    """A wire is outside the layout, or an observable touches a hidden wire."""


class ConfigurationError(PlateauError):
    """An unknown name or an incompatible combination of options (ansatz, device, shots)."""


class RecordsError(PlateauError):
    """A line of a JSON-lines records file is not a JSON object (names the file and line)."""


class ResourceError(PlateauError):
    """A computation would need more memory (or draws, shots, bins) than allowed; raised before
    anything is allocated, with the estimate and what to use instead."""
