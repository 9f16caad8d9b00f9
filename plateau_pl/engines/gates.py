"""What the engines read from PennyLane gates: the Pauli generator of a rotation.

Every engine that runs rotations by their generator — the statevector programs, the torch
statevector, the Pauli-path walk — asks this one function which word ``P`` a gate rotates about.

>>> import pennylane as qml
>>> generator_word(qml.IsingXX(0.3, [0, 1])), generator_word(qml.PauliRot(0.1, "XIZ", [0, 1, 2]))
('XX', 'XIZ')
>>> generator_word(qml.PhaseShift(0.2, 0)), generator_word(qml.PhaseShift(0.2, 0), exact=True)
('Z', None)
"""

from __future__ import annotations

__all__ = ["generator_word"]

_WORDS = {"RX": "X", "RY": "Y", "RZ": "Z", "IsingXX": "XX", "IsingYY": "YY", "IsingZZ": "ZZ"}
_UP_TO_PHASE = {"PhaseShift": "Z"}  # PhaseShift(θ) = e^{iθ/2} RZ(θ)


def generator_word(op, exact: bool = False) -> str | None:
    """The Pauli word ``P`` (one letter per wire of ``op``) with ``op = exp(-iθP/2)``, or None.

    Args:
        op: a PennyLane operation.
        exact: only gates equal to ``exp(-iθP/2)`` itself; otherwise also those equal to it up
            to a global phase (``PhaseShift``), which no expectation value or reduced state sees.
    """
    name = op.name
    if name == "PauliRot":
        return op.hyperparameters["pauli_word"]
    if name == "MultiRZ":
        return "Z" * len(op.wires)
    if name in _WORDS:
        return _WORDS[name]
    return None if exact else _UP_TO_PHASE.get(name)
