"""A QNN's circuit read as Pauli rotations, Clifford gates and a product input state.

The Pauli-path engine (:mod:`plateau_pl.engines.pauli`) needs the circuit in the form its
premise allows, and :func:`read_pauli_circuit` builds exactly that from the QNN's own queued
operations (so user templates work when they meet the premise):

* **trainable Pauli rotations** ``exp(−i a P/2)`` (``RX/RY/RZ``, ``PauliRot``, ``MultiRZ``,
  ``IsingXX/YY/ZZ``, ``PhaseShift``) whose angle is ``a = offset + c·w_k`` for one weight
  ``w_k`` and an integer ``c`` (weights uniform over ``[0, 2π)`` then cover whole periods), each
  weight used once;
* **Clifford gates** (any fixed gate on ≤ 3 qubits whose conjugation maps Pauli strings to Pauli
  strings: ``CNOT``, ``CZ``, ``H``, ``S``, ``SWAP``, fixed rotations by multiples of π/2, …),
  stored as the images of the single-qubit generators;
* **fixed single-qubit gates before anything else touches their qubit** (McClean's
  ``RY(π/4)`` layer), folded into the product input state as Bloch vectors;
* **Pauli channels** (a :class:`~plateau_pl.models.NoisyQNN`'s depolarizing, bit or phase flip):
  each multiplies the walk's weight by the square of its Pauli factor for the current letter.

Anything else is refused with the reason (:class:`UnsupportedPauliCircuit`): a non-Clifford fixed
gate after an entangler or a trainable gate on its qubit, a weight used twice,
a non-integer angle coefficient, a non-Pauli-word observable, an embedding. The weights' coupling
to angles is read with torch autograd from one queuing (and checked at a second, random point).

>>> import plateau_pl as pp
>>> from plateau_pl.engines.pauli_circuit import read_pauli_circuit
>>> qnn = pp.QNN(pp.WireLayout(1, 1), "mcclean", 2, device="default.qubit", seed=0)
>>> circ = read_pauli_circuit(qnn)
>>> circ.n_params, [op[0] for op in circ.ops][:3], circ.bloch[0].round(3).tolist()
(4, ['rot', 'rot', 'clifford'], [0.707, 0.0, 0.707])
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pennylane as qml

from plateau_pl._validation import check_instance, check_int, check_memory
from plateau_pl.engines.gates import generator_word
from plateau_pl.errors import ConfigurationError
from plateau_pl.quantum._sizes import product
from plateau_pl.quantum.paulis import (
    PAULI_BITS,
    PAULI_LETTERS,
    PAULI_MATRICES,
    pauli_transfer_matrix,
    word_matrix,
)

__all__ = ["PauliCircuit", "UnsupportedPauliCircuit", "read_pauli_circuit"]

_MAX_CLIFFORD_QUBITS = 3
_CHANNELS = ("DepolarizingChannel", "BitFlip", "PhaseFlip", "AmplitudeDamping", "PauliError")


class UnsupportedPauliCircuit(ConfigurationError):
    """The circuit breaks the premise of the Pauli-path engine."""


@dataclass(frozen=True)
class PauliCircuit:
    """A circuit in the form the Pauli walk runs (gates in circuit order).

    ``ops`` entries: ``("rot", wires, xbits, zbits, k, c)`` — ``exp(−i a P/2)`` with ``P`` given
    by its bits on ``wires``, angle ``a = offset + c·w_k``; ``("clifford", wires, table)`` —
    ``table[i]`` (length ``2m``: x bits then z bits on the ``m`` wires) is the image under
    ``U† · U`` of generator ``i`` (``X_0 … X_{m−1}, Z_0 … Z_{m−1}``), phases dropped.
    """

    n_qubits: int
    n_params: int
    ops: tuple
    bloch: np.ndarray
    """``(n, 3)`` Bloch vectors ``(⟨X⟩, ⟨Y⟩, ⟨Z⟩)`` of the product input state."""
    param_wires: tuple
    """The wires of each parameter's rotation (for light-cone and hidden/visible masks)."""


def read_pauli_circuit(qnn) -> PauliCircuit:
    """Read ``qnn``'s circuit for the Pauli walk, or raise :class:`UnsupportedPauliCircuit`."""
    from plateau_pl.models.qnn import QNN

    check_instance(qnn, "qnn", QNN, "a plateau_pl QNN")
    if getattr(qnn, "embedding", None) is not None:
        raise UnsupportedPauliCircuit(
            "the Pauli-path engine averages over the weights only; this QNN has an embedding "
            "(data inputs), which it does not take yet"
        )
    noise = getattr(qnn, "noise", None)
    if noise is not None and not noise.unital:
        raise UnsupportedPauliCircuit(
            f"the {noise.channel} channel is not a Pauli channel (it is not unital); the Pauli "
            "walk takes depolarizing, bit-flip and phase-flip noise"
        )
    ops, couplings = _queue(qnn)
    n = qnn.layout.n_wires
    reader = _Reader(n, qnn.n_params)
    for op, coupling in zip(ops, couplings, strict=True):
        reader.add(op, coupling)
    return reader.circuit()


def observable_word(observable, n_wires: int) -> tuple[np.ndarray, np.ndarray, float]:
    """``(x bits, z bits, coefficient)`` of an observable that is one Pauli word."""
    n_wires = check_int(n_wires, "n_wires", minimum=1)
    check_memory(product(2, n_wires), f"the bits of a Pauli word on {n_wires} wires", "")
    try:
        ps = qml.pauli.pauli_sentence(observable)
    except (ValueError, TypeError, AttributeError) as exc:
        raise UnsupportedPauliCircuit(f"observable {observable!r} is not a Pauli word") from exc
    if len(ps) != 1:
        raise UnsupportedPauliCircuit(
            f"observable {observable!r} has {len(ps)} Pauli words; the Pauli-path engine takes "
            "one word (a sum would need the cross terms)"
        )
    ((word, coeff),) = ps.items()
    x, z = np.zeros(n_wires, np.uint8), np.zeros(n_wires, np.uint8)
    for wire, letter in word.items():
        x[wire], z[wire] = PAULI_BITS[letter]
    return x, z, float(abs(coeff))


# -- queuing -----------------------------------------------------------------------------------
def _queue(qnn):
    """The queued operations and, per operation, ``(k, c, offset)`` or ``None`` (fixed)."""
    import torch

    check_memory(
        product(2 * 2048, qnn.n_params),  # two queuings; the first with torch tensors and graph
        f"reading the circuit of {qnn.n_params} trainable gates (two queuings of PennyLane "
        "operations, ~2 KiB per gate)",
        "use fewer layers or qubits",
    )
    shape = tuple(qnn.weight_shape)
    rng = np.random.default_rng(0)
    w_a = torch.tensor(rng.uniform(0, 2 * np.pi, shape), dtype=torch.float64, requires_grad=True)
    w_b = rng.uniform(0, 2 * np.pi, shape)
    tape_a = qml.tape.make_qscript(qnn._circuit)(w_a)
    tape_b = qml.tape.make_qscript(qnn._circuit)(w_b)
    ops_a, ops_b = _expand(tape_a.operations), _expand(tape_b.operations)
    if len(ops_a) != len(ops_b):
        raise UnsupportedPauliCircuit("the circuit's gates depend on the weights' values")
    couplings = [_coupling(a, b, w_a, w_b) for a, b in zip(ops_a, ops_b, strict=True)]
    return ops_a, couplings


def _expand(ops) -> list:
    out = []
    for op in ops:
        kept = op.name in _CHANNELS or generator_word(op) is not None  # read as they are
        if kept or not op.has_decomposition:
            out.append(op)
        elif op.num_params == 0 and len(op.wires) <= _MAX_CLIFFORD_QUBITS and op.has_matrix:
            out.append(op)  # a fixed gate: kept whole, checked as a Clifford
        else:
            out.extend(_expand(op.decomposition()))
    return out


def _coupling(op_a, op_b, w_a, w_b):
    import torch

    if op_a.num_params == 0 or op_a.name in _CHANNELS:
        return None
    if op_a.num_params != 1:
        raise UnsupportedPauliCircuit(f"gate {op_a.name} has {op_a.num_params} parameters")
    angle = op_a.data[0]
    if not (isinstance(angle, torch.Tensor) and angle.requires_grad):
        return None  # a fixed angle
    (grad,) = torch.autograd.grad(angle, w_a, retain_graph=True)
    g = grad.detach().numpy().ravel()
    used = np.flatnonzero(g)
    if used.size != 1:
        raise UnsupportedPauliCircuit(
            f"gate {op_a.name} on wires {op_a.wires.tolist()} depends on {used.size} weights; "
            "the Pauli walk needs one weight per rotation"
        )
    k, c = int(used[0]), float(g[used[0]])
    offset = float(angle.detach()) - c * float(w_a.detach().numpy().ravel()[k])
    predicted = offset + c * float(np.ravel(w_b)[k])
    if not np.isclose(float(qml.math.unwrap(op_b.data[0])), predicted, atol=1e-9):
        raise UnsupportedPauliCircuit(f"the angle of gate {op_a.name} is not affine in w_{k}")
    return k, c, offset


# -- reading -----------------------------------------------------------------------------------
class _Reader:
    def __init__(self, n: int, n_params: int):
        self.n, self.n_params = n, n_params
        self.ops: list = []
        self.touched = np.zeros(n, dtype=bool)
        self.states = [np.array([1, 0], dtype=complex) for _ in range(n)]
        self.param_wires: list = [None] * n_params

    def add(self, op, coupling) -> None:
        wires = [int(w) for w in op.wires]
        if op.name in _CHANNELS:
            factors = _pauli_factors(op)
            if factors is None:
                raise UnsupportedPauliCircuit(f"channel {op.name} is not a Pauli channel")
            self.touched[wires] = True
            self.ops.append(("noise", np.array(wires), factors**2))
            return
        if coupling is not None:
            self._rotation(op, wires, coupling)
            return
        if len(wires) == 1 and not self.touched[wires[0]]:
            self.states[wires[0]] = qml.matrix(op) @ self.states[wires[0]]
            return
        table = _clifford_table(op)
        if table is None:
            raise UnsupportedPauliCircuit(
                f"fixed gate {op.name} on wires {wires} is not a Clifford gate and acts after an "
                "entangler or a trainable gate on its qubits; the Pauli walk needs Clifford "
                "gates there"
            )
        self.touched[wires] = True
        self.ops.append(("clifford", np.array(wires), table))

    def _rotation(self, op, wires, coupling) -> None:
        k, c, _ = coupling
        if not np.isclose(c, round(c)) or round(c) == 0:
            raise UnsupportedPauliCircuit(
                f"gate {op.name} has angle {c:g}·w_{k}: weights uniform over [0, 2π) cover whole "
                "periods only for an integer coefficient"
            )
        if self.param_wires[k] is not None:
            raise UnsupportedPauliCircuit(
                f"weight {k} drives two gates; the walk needs each angle once (independent "
                "angles; for identity_blocks that means dist='uniform', not 'identity')"
            )
        word = _generator_word(op)
        xb = np.array([PAULI_BITS[ch][0] for ch in word], dtype=np.uint8)
        zb = np.array([PAULI_BITS[ch][1] for ch in word], dtype=np.uint8)
        keep = [i for i, ch in enumerate(word) if ch != "I"]
        wires = [wires[i] for i in keep]
        self.param_wires[k] = tuple(wires)
        self.touched[wires] = True
        self.ops.append(("rot", np.array(wires), xb[keep], zb[keep], k, round(c)))

    def circuit(self) -> PauliCircuit:
        unused = [k for k, w in enumerate(self.param_wires) if w is None]
        if unused:
            raise UnsupportedPauliCircuit(f"weights {unused[:5]} drive no rotation")
        bloch = np.array(
            [[np.vdot(s, PAULI_MATRICES[p] @ s).real for p in "XYZ"] for s in self.states]
        )
        return PauliCircuit(self.n, self.n_params, tuple(self.ops), bloch, tuple(self.param_wires))


def _pauli_factors(op) -> np.ndarray | None:
    """``(1, f_X, f_Z, f_Y)`` — indexed like the walk's letter code ``x + 2z`` — of a
    single-qubit Pauli channel (diagonal Pauli transfer matrix, no shift), else ``None``."""
    if len(op.wires) != 1:  # a multi-qubit PauliError: its letters are not per-wire factors
        return None
    ptm = pauli_transfer_matrix(op.kraus_matrices())
    if not np.allclose(ptm, np.diag(np.diag(ptm)), atol=1e-12):
        return None
    d = np.diag(ptm)
    return np.array([1.0, d[1], d[3], d[2]])


def _generator_word(op) -> str:
    word = generator_word(op)
    if word is None:
        raise UnsupportedPauliCircuit(
            f"trainable gate {op.name} is not a Pauli rotation; the Pauli walk needs exp(-iθP/2)"
        )
    return word


@functools.lru_cache(maxsize=256)
def _table_from_matrix(key: bytes, m: int) -> np.ndarray | None:
    u = np.frombuffer(key, dtype=complex).reshape(2**m, 2**m)
    table = np.zeros((2 * m, 2 * m), dtype=np.uint8)
    for i in range(2 * m):
        letter, q = ("X" if i < m else "Z"), i % m
        gen = word_matrix("".join("I" if j != q else letter for j in range(m)))
        image = u.conj().T @ gen @ u
        found = _as_pauli(image, m)
        if found is None:
            return None
        table[i] = found
    return table


def _clifford_table(op) -> np.ndarray | None:
    m = len(op.wires)
    if m > _MAX_CLIFFORD_QUBITS or not op.has_matrix:
        return None
    u = np.ascontiguousarray(qml.matrix(op), dtype=complex)
    return _table_from_matrix(u.tobytes(), m)


def _as_pauli(mat: np.ndarray, m: int) -> np.ndarray | None:
    """The bits of the Pauli string ``mat`` is (up to a phase), or ``None``."""
    d = 2**m
    for idx in range(4**m):
        letters = "".join(PAULI_LETTERS[(idx >> (2 * (m - 1 - j))) & 3] for j in range(m))
        p = word_matrix(letters)
        overlap = np.trace(p.conj().T @ mat) / d
        if abs(abs(overlap) - 1) < 1e-9:
            bits = np.zeros(2 * m, dtype=np.uint8)
            for j, ch in enumerate(letters):
                bits[j], bits[m + j] = PAULI_BITS[ch]
            return bits
        if abs(overlap) > 1e-9:
            return None
    return None
