"""Lie-algebraic prediction of the loss variance of deep parametrised circuits.

The dynamical Lie algebra (DLA) of a circuit's generators decides its loss variance once the
circuit is deep enough to be a 2-design over the group it generates (Ragone et al. 2024,
Fontana et al. 2024): :func:`predict_variance` computes it from the generators (:mod:`.generators`),
their Lie closure (:mod:`.closure`, with early detection of su(2^n)) and the split of the algebra
into center and simple ideals (:mod:`.decompose`).

This package's ``__init__`` is lazy (PEP 562): nothing heavy is imported until a name is used.

>>> from plateau_pl.lie import lie_algebra
>>> lie_algebra(["XI", "IX", "ZZ"], 2).dim
6
"""

from __future__ import annotations

from plateau_pl._lazy import lazy_getattr

_EXPORTS = {
    "LieAlgebra": "plateau_pl.lie.closure",
    "lie_algebra": "plateau_pl.lie.closure",
    "pauli_closure": "plateau_pl.lie.closure",
    "Decomposition": "plateau_pl.lie.decompose",
    "decompose_algebra": "plateau_pl.lie.decompose",
    "CircuitGenerators": "plateau_pl.lie.generators",
    "as_generators": "plateau_pl.lie.generators",
    "circuit_generators": "plateau_pl.lie.generators",
    "LiePrediction": "plateau_pl.lie.predict",
    "g_purity": "plateau_pl.lie.predict",
    "predict_variance": "plateau_pl.lie.predict",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_getattr("plateau_pl.lie", _EXPORTS, globals())
