"""Weights of an ansatz: the distributions they are drawn from, and the check every angle passes.

The circuit layer's own job: an ansatz's weights are angles, drawn here by the models, the
engines and the identity-block initialisation alike.

>>> draw_weights((2, 3), seed=0).shape, sorted(WEIGHT_DISTS)
((2, 3), ['normal', 'small', 'uniform'])
"""

from __future__ import annotations

import numpy as np
import pennylane as qml

from plateau_pl._validation import (
    check_choice,
    check_float,
    check_int,
    check_memory,
    check_real_array,
    check_seed,
)
from plateau_pl.errors import PlateauError, PlateauTypeError
from plateau_pl.quantum._sizes import product

__all__ = ["MAX_ANGLE", "WEIGHT_DISTS", "check_angles", "draw_weights"]

WEIGHT_DISTS = {"uniform": np.pi, "normal": 1.0, "small": 0.1}
"""Weight distributions of :meth:`QNN.init_weights` and their default ``scale``."""

MAX_ANGLE = 2.0**53
"""The largest weight or input magnitude (beyond it a float64 angle means nothing)."""
MAX_SCALE = MAX_ANGLE / 2
"""The largest weight scale (uniform draws span ``2·scale``, at most :data:`MAX_ANGLE`)."""


def draw_weights(shape, seed=None, dist="uniform", scale=None, batch=None) -> np.ndarray:
    """Draw float64 weights of ``shape`` (with a leading ``batch`` axis if given).

    >>> draw_weights((2, 3), seed=0).shape, draw_weights((2,), seed=0, batch=4).shape
    ((2, 3), (4, 2))
    """
    check_choice(dist, "dist", WEIGHT_DISTS)
    seed = check_seed(seed)
    if scale is not None:  # uniform draws span 2·scale, which must stay finite
        scale = check_float(scale, "scale", positive=True, maximum=MAX_SCALE)
    scale = WEIGHT_DISTS[dist] if scale is None else scale
    try:
        shape = tuple(check_int(s, "shape entries", minimum=0) for s in shape)
    except TypeError:
        raise PlateauTypeError(f"shape must be a sequence of integers; got {shape!r}") from None
    size = shape if batch is None else (check_int(batch, "batch", minimum=1), *shape)
    check_memory(
        product(8, *size),
        f"weights of shape {size}",
        "use fewer layers or qubits, or draw a smaller batch (in chunks)",
    )
    rng = np.random.default_rng(seed)
    if dist == "uniform":
        return rng.uniform(0.0, 2.0 * scale, size=size)
    if dist == "normal":
        return rng.normal(0.0, scale, size=size)
    return rng.uniform(-scale, scale, size=size)


def check_angles(x, name: str) -> None:
    """Refuse complex, non-numeric, empty, NaN, infinite or meaningless (beyond ``2**53``)
    angles ``x`` (numpy, PennyLane/autograd or torch)."""
    if type(x).__module__.startswith("autograd"):  # an ArrayBox while qml.grad traces
        x = qml.math.unwrap(x)
    x = check_real_array(x, name)
    largest = float((x.detach().abs() if hasattr(x, "detach") else np.abs(x)).max())
    if largest > MAX_ANGLE:
        raise PlateauError(
            f"{name} must be angles of magnitude <= 2**53 (beyond it float64 cannot resolve an "
            f"angle modulo 2π, and gates that scale it overflow); got {largest:.3g}"
        )
