"""Quantum-information math on numpy arrays and torch tensors: no circuits, no devices.

Partial traces and reductions of pure states (:mod:`~plateau_pl.quantum.states`), purity,
entropies and trace distances (:mod:`~plateau_pl.quantum.measures`). Torch is imported only
when a tensor is passed; the torch path is differentiable.

Conventions: wire 0 is the most significant bit (PennyLane's); reduced states list the kept
wires in increasing order; scalar measures return a python ``float`` for an unbatched numpy
input, an ``ndarray`` ``(batch,)`` for a batched one, and a real tensor (0-d or ``(batch,)``)
for torch input; entropies are in nats unless ``base`` is given.

**Example**

>>> import numpy as np
>>> import plateau_pl.quantum as pq
>>> psi = np.array([1, 0, 0, 1]) / np.sqrt(2)
>>> rho_v = pq.reduced_density_matrix(psi, keep=[0])
>>> pq.purity(rho_v), pq.trace_distance_to_maximally_mixed(rho_v)
(0.5, 0.0)
"""

from __future__ import annotations

from plateau_pl.quantum._checks import check_density_matrix, check_state_vector, check_wires
from plateau_pl.quantum.measures import (
    entanglement_entropy,
    purity,
    renyi2_entropy,
    trace_distance,
    trace_distance_to_maximally_mixed,
    von_neumann_entropy,
)
from plateau_pl.quantum.relative_entropy import relative_entropy
from plateau_pl.quantum.states import (
    is_density_matrix,
    maximally_mixed,
    partial_trace,
    reduced_density_matrix,
)

__all__ = [
    "check_density_matrix",
    "check_state_vector",
    "check_wires",
    "entanglement_entropy",
    "is_density_matrix",
    "maximally_mixed",
    "partial_trace",
    "purity",
    "reduced_density_matrix",
    "relative_entropy",
    "renyi2_entropy",
    "trace_distance",
    "trace_distance_to_maximally_mixed",
    "von_neumann_entropy",
]
