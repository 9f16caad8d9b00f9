"""The generators of an ansatz, as Pauli sums on layout positions.

:func:`circuit_generators` records an ansatz's gates with PennyLane queuing twice, with two
different random weight sets: gates whose parameters change are *trainable*, the others fixed.
Then

* a trainable gate ``e^{-iθG}`` contributes its generator ``G`` (``qml.generator``), kept as
  **one** generator even when it is a sum of words (``XX + YY``);
* fixed gates *before* the first trainable gate are absorbed into the initial state
  (``ρ → FρF†``, exact), fixed gates *after* the last one into the observable
  (``O → F†OF``, exact);
* fixed gates in between (CZ and CNOT ladders) contribute the Pauli terms of ``i·log F``
  (CZ → ``Z_i, Z_j, Z_iZ_j``; CNOT → ``Z_c, X_t, Z_cX_t``), each as its own generator: the
  group they generate contains ``F``, so the ensemble lives in it. (This can overestimate the
  algebra when a fixed gate is not in the trainable gates' group; the prediction then assumes
  the larger group.)

Gates without a generator (``qml.Rot``, templates) are decomposed first.

**Example**

>>> from plateau_pl.circuits import WireLayout, make_ansatz
>>> rec = circuit_generators(make_ansatz("hardware_efficient", WireLayout(1, 1), n_layers=2))
>>> sorted({word_to_string(next(iter(g)), 2) for g in rec.generators})
['IX', 'IY', 'IZ', 'YI', 'ZI', 'ZX']
>>> len(rec.prep_ops), len(rec.final_ops)  # the last CNOT ladder goes into the observable
(0, 1)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pennylane as qml
import scipy.linalg

from plateau_pl._validation import check_float, check_seed
from plateau_pl.errors import ConfigurationError, PlateauTypeError
from plateau_pl.lie.words import (
    PauliSum,
    check_key,
    check_n_qubits,
    from_pauli_sentence,
    pauli_sum_from_matrix,
    word_from_string,
    word_to_string,
)

__all__ = ["CircuitGenerators", "as_generators", "circuit_generators", "operator_pauli_sum"]

_MAX_FIXED_WIRES = 3


@dataclass(frozen=True)
class CircuitGenerators:
    """What an ansatz contributes to the Lie-algebraic prediction."""

    n_qubits: int
    """Number of qubits (layout positions ``0 .. n-1``)."""
    generators: tuple
    """Trainable generators and fixed gates' log terms, as :data:`PauliSum` dicts."""
    prep_ops: tuple
    """Fixed gates before the first trainable gate (applied to ``|0…0⟩``)."""
    final_ops: tuple
    """Fixed gates after the last trainable gate (absorbed into the observable)."""
    n_trainable: int
    """Number of trainable gates."""


def operator_pauli_sum(op, n_qubits: int, wire_pos: dict | None = None) -> PauliSum:
    """A PennyLane operator, ``PauliWord``/``PauliSentence``, word string or :data:`PauliSum`
    as a :data:`PauliSum` on positions (identity dropped); ``wire_pos`` maps wires to positions
    (default: wire ``q`` is position ``q``).

    Operators are read with ``qml.pauli.pauli_sentence``; one without a Pauli representation
    (``qml.Hermitian``) through its matrix, :func:`~plateau_pl.lie.words.pauli_sum_from_matrix`.

    >>> import pennylane as qml
    >>> operator_pauli_sum(qml.X(0) @ qml.Z(2), 3)
    {(1, 4): 1.0}
    """
    from pennylane.pauli import PauliSentence, PauliWord

    pos = wire_pos or {q: q for q in range(n_qubits)}
    if isinstance(op, qml.operation.Operator):
        missing = [w for w in op.wires if w not in pos]
        if missing:
            raise ConfigurationError(
                f"operator {op!r} acts on wires {missing} outside the circuit's wires {sorted(pos)}"
            )
        if op.pauli_rep is None:
            positions = [pos[w] for w in op.wires]
            return pauli_sum_from_matrix(qml.matrix(op, wire_order=op.wires), positions)
    if isinstance(op, (qml.operation.Operator, PauliWord, PauliSentence)):
        # PauliWord and PauliSentence are dicts: read them before the dict case
        return _check_support(from_pauli_sentence(qml.pauli.pauli_sentence(op), pos), n_qubits)
    if isinstance(op, dict):
        out = {}
        for k, c in op.items():
            key = _dict_key(k)
            if key != (0, 0):
                out[key] = out.get(key, 0.0) + _real_coefficient(c, op)
        return _check_support(out, n_qubits)
    if isinstance(op, str):
        key = word_from_string(op)
        return _check_support({} if key == (0, 0) else {key: 1.0}, n_qubits)
    raise PlateauTypeError(
        "a generator must be a Pauli word string ('XZI', 'X0 Z1'), a PennyLane operator, a "
        f"PauliWord/PauliSentence or a dict; got {type(op).__name__}"
    )


def _dict_key(k) -> tuple[int, int]:
    """A :data:`PauliSum` key: a word string or an ``(x, z)`` pair of non-negative ints."""
    return word_from_string(k) if isinstance(k, str) else check_key(k, "a PauliSum key")


def _real_coefficient(c, op) -> float:
    if abs(np.imag(c)) > 1e-12:
        raise ConfigurationError(f"generator {op} is not Hermitian (complex coefficient)")
    return check_float(np.real(c), "a generator's coefficient")


def _check_support(op: PauliSum, n: int) -> PauliSum:
    for x, z in op:
        if (x | z) >> n:
            raise ConfigurationError(
                f"Pauli word {word_to_string((x, z), (x | z).bit_length())} acts outside "
                f"qubits 0..{n - 1}"
            )
    return {k: c for k, c in op.items() if abs(c) > 1e-12}


def as_generators(generators, n_qubits: int) -> list[PauliSum]:
    """Normalise user generators (words, operators, sentences, dicts) to :data:`PauliSum` s.

    Zero generators and the identity are dropped; an empty result is an error.

    >>> as_generators(["XI", "Z1"], 2)
    [{(1, 0): 1.0}, {(0, 2): 1.0}]
    """
    check_n_qubits(n_qubits)
    if isinstance(generators, (str, dict)) or not hasattr(generators, "__iter__"):
        raise PlateauTypeError(
            f"generators must be a list of Pauli words or operators; got "
            f"{type(generators).__name__}"
        )
    out = [g for g in (operator_pauli_sum(g, n_qubits) for g in generators) if g]
    if not out:
        raise ConfigurationError("generators must contain at least one non-identity term")
    return out


def _record(ansatz, weights) -> list:
    with qml.queuing.AnnotatedQueue() as q:
        ansatz.apply(weights, ansatz.layout.wires)
    return _expand(qml.tape.QuantumScript.from_queue(q).operations)


def _has_generator(op) -> bool:
    try:
        qml.generator(op, format="observable")
    except Exception:
        return False
    return True


def _expand(ops) -> list:
    out = []
    for op in ops:
        fixed_small = op.num_params == 0 and len(op.wires) <= _MAX_FIXED_WIRES
        single = op.num_params == 1 and _has_generator(op)
        if fixed_small or single or not op.has_decomposition:
            out.append(op)
        else:
            out.extend(_expand(op.decomposition()))
    return out


def _generator_of(op, wire_pos) -> PauliSum:
    gen = qml.generator(op, format="observable")
    return operator_pauli_sum(gen, len(wire_pos), wire_pos)


def _log_terms(op, wire_pos) -> list[PauliSum]:
    """Each Pauli term of ``i·log U`` of a fixed gate, as its own generator."""
    if len(op.wires) > _MAX_FIXED_WIRES:
        raise ConfigurationError(
            f"fixed gate {op.name} on {len(op.wires)} wires inside the circuit: only fixed "
            f"gates on up to {_MAX_FIXED_WIRES} wires are supported"
        )
    u = qml.matrix(op, wire_order=op.wires)
    h = 1j * scipy.linalg.logm(u)
    h = (h + h.conj().T) / 2
    terms = pauli_sum_from_matrix(h, [wire_pos[w] for w in op.wires], tol=1e-9)
    return [{k: 1.0} for k in terms]


def circuit_generators(ansatz, seed: int = 0) -> CircuitGenerators:
    """The generators of an :class:`~plateau_pl.circuits.Ansatz` (see the module docstring).

    Args:
        ansatz: the ansatz (its layout gives the qubits; its random structure is the one drawn).
        seed: seed of the two random weight sets used to tell trainable from fixed gates.

    Returns:
        CircuitGenerators
    """
    from plateau_pl.circuits import Ansatz

    if not isinstance(ansatz, Ansatz):
        raise PlateauTypeError(f"ansatz must be a plateau_pl Ansatz; got {type(ansatz).__name__}")
    rng = np.random.default_rng(check_seed(seed))
    shape = ansatz.weight_shape
    first = _record(ansatz, rng.uniform(0.1, 2 * np.pi - 0.1, size=shape))
    second = _record(ansatz, rng.uniform(0.1, 2 * np.pi - 0.1, size=shape))
    if [(o.name, tuple(o.wires)) for o in first] != [(o.name, tuple(o.wires)) for o in second]:
        raise ConfigurationError(
            "the ansatz queues different gates for different weights; cannot read its generators"
        )
    trainable = [_changed(p, q) for p, q in zip(first, second, strict=True)]
    n = ansatz.layout.n_wires
    wire_pos = {w: i for i, w in enumerate(ansatz.layout.wires)}
    idx = [i for i, t in enumerate(trainable) if t]
    if not idx:
        raise ConfigurationError(f"ansatz {ansatz.name!r} has no trainable gate")
    lo, hi = idx[0], idx[-1]
    gens: list[PauliSum] = []
    for i in range(lo, hi + 1):
        op = first[i]
        if trainable[i]:
            if op.num_params != 1 or not _has_generator(op):
                raise ConfigurationError(
                    f"trainable gate {op.name} has no single generator e^(-iθG)"
                )
            g = _generator_of(op, wire_pos)
            if g:
                gens.append(g)
        else:
            gens.extend(_log_terms(op, wire_pos))
    return CircuitGenerators(
        n_qubits=n,
        generators=tuple(_unique(gens)),
        prep_ops=tuple(first[:lo]),
        final_ops=tuple(first[hi + 1 :]),
        n_trainable=len(idx),
    )


def _changed(first, second) -> bool:
    """Whether a gate's parameters differ between the two recordings (a trainable gate)."""
    pairs = zip(first.data, second.data, strict=True)
    return not all(np.allclose(np.asarray(a), np.asarray(b)) for a, b in pairs)


def _unique(gens: list[PauliSum]) -> list[PauliSum]:
    """Drop repeats of the same generator up to a scalar factor (keeps the first)."""
    out, seen = [], set()
    for g in gens:
        items = sorted(g.items())
        scale = items[0][1]
        key = tuple((k, round(c / scale, 12)) for k, c in items)
        if key not in seen:
            seen.add(key)
            out.append(g)
    return out
