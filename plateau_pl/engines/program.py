"""A circuit as a flat *program*: numpy arrays of gates that the statevector kernels execute.

:func:`build_program` queues a QNN's ansatz (and embedding) once with *probe* weights — a
broadcast batch holding zero, every unit vector and one random vector — and reads each gate's
angle as an affine function of one parameter, ``angle = offset + coef · w[pidx]`` (the random
row checks that the map really is affine). Gates become

* Pauli rotations ``exp(-i angle P/2)`` — ``RX/RY/RZ``, ``PauliRot``, ``MultiRZ``,
  ``IsingXX/YY/ZZ``, ``PhaseShift`` (an ``RZ`` up to a global phase) — stored by their X/Z bit
  masks, trainable or fixed;
* fixed diagonals (``CZ``, ``Z``, ``S``, ``T``, …), consecutive ones fused into one phase vector;
* fixed matrices on up to three qubits (``CNOT``, ``H``, ``SWAP``, ``Toffoli``, …);

and anything else is expanded by its PennyLane decomposition (templates, ``Rot``, ``CRX``,
adjoints). A circuit that still has a gate the kernels cannot run raises
:class:`UnsupportedCircuit`, and :func:`~plateau_pl.engines.select_engine` falls back to an
engine that can.

**Random structures.** An ansatz whose redrawn structure only reorders its parametrised gates
(:meth:`Ansatz.param_order <plateau_pl.circuits.Ansatz.param_order>`, the paper's
``random_two_local``) or changes the axes of single-qubit rotations
(:meth:`Ansatz.param_axes <plateau_pl.circuits.Ansatz.param_axes>`, McClean's) gets one program
row per structure from the arrays alone; any other is queued once per structure.

>>> import plateau_pl as pp
>>> from plateau_pl.engines.program import build_program
>>> qnn = pp.QNN(pp.WireLayout(1, 1), "hardware_efficient", n_layers=1,
...              device="default.qubit", seed=0)
>>> prog = build_program(qnn)
>>> prog.n_qubits, prog.n_params, prog.kind.shape   # RY, RZ on 2 qubits and a CNOT
(2, 4, (1, 5))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pennylane as qml

from plateau_pl._validation import check_instance, check_int, check_memory
from plateau_pl.engines._kernels import DIAG, MAT, ROTP, ROTX, ROTY, ROTZ
from plateau_pl.engines.base import check_structures
from plateau_pl.engines.gates import generator_word
from plateau_pl.errors import ConfigurationError, ShapeError
from plateau_pl.quantum._sizes import product

__all__ = ["Program", "ProgramBuilder", "UnsupportedCircuit", "build_program"]

_LETTER_KIND = {"X": ROTX, "Y": ROTY, "Z": ROTZ}
_MAX_MATRIX_QUBITS = 3


class UnsupportedCircuit(ConfigurationError):
    """The circuit has a gate the statevector kernels cannot run."""


@dataclass(frozen=True)
class Program:
    """Gates of ``S`` circuit structures, padded to ``G`` gates (arrays ``(S, G)``).

    ``angle = offset + coef · w[pidx]`` (``pidx = -1``: fixed); ``bits[s, g, :nbits]`` are
    the gate's bit positions (first wire first), ``top`` the highest (−1 for diagonals);
    ``xmask/zmask/ny`` a Pauli word (``P|j⟩ = i^{ny} (−1)^{|j∧z|} |j⊕x⟩``); ``table`` indexes
    :attr:`mats` (``MAT``) or :attr:`diags` (``DIAG``). The kernels run structure ``rows[b]``
    for draw ``b``.
    """

    n_qubits: int
    n_params: int
    kind: np.ndarray
    bits: np.ndarray
    nbits: np.ndarray
    xmask: np.ndarray
    zmask: np.ndarray
    ny: np.ndarray
    top: np.ndarray
    pidx: np.ndarray
    coef: np.ndarray
    offset: np.ndarray
    table: np.ndarray
    mats: np.ndarray
    diags: np.ndarray

    @property
    def n_structures(self) -> int:
        return self.kind.shape[0]

    def kernel_args(self) -> tuple:
        """The arrays in the kernels' argument order."""
        return (
            self.kind,
            self.bits,
            self.nbits,
            self.xmask,
            self.zmask,
            self.ny,
            self.top,
            self.pidx,
            self.coef,
            self.offset,
            self.table,
            self.mats,
            self.diags,
        )


_PER_GATE = (
    "kind",
    "bits",
    "nbits",
    "xmask",
    "zmask",
    "ny",
    "top",
    "pidx",
    "coef",
    "offset",
    "table",
)


# -- building ----------------------------------------------------------------------------------
def build_program(qnn, structures=None, n_features: int = 0) -> Program:
    """The program of ``qnn``'s circuit (one row, or one per ansatz in ``structures``).

    ``n_features > 0``: the QNN's embedding comes first and its input features are parameters
    ``n_params … n_params + n_features − 1`` (weights and inputs concatenated per draw).
    """
    return ProgramBuilder(qnn, n_features).program(structures)


class ProgramBuilder:
    """Builds programs of one QNN: its own structure once, redrawn structures on demand.

    >>> import plateau_pl as pp
    >>> qnn = pp.QNN(pp.WireLayout(1, 1), "mcclean", 2, device="default.qubit", seed=0)
    >>> builder = ProgramBuilder(qnn)
    >>> builder.program([qnn.ansatz.redraw(s) for s in range(3)]).n_structures
    3
    """

    def __init__(self, qnn, n_features: int = 0):
        from plateau_pl.models.qnn import QNN

        check_instance(qnn, "qnn", QNN, "a plateau_pl QNN")
        self.qnn = qnn
        self._builder = _Builder(qnn, n_features)
        self.base = self._builder.row(self._builder.gates(qnn.ansatz))
        self._single = self._builder.finish([self.base])

    def program(self, structures=None) -> Program:
        """The QNN's own program, or one row per ansatz in ``structures``."""
        if structures is None:
            return self._single
        structures = check_structures(structures, self.qnn)
        if not structures:
            raise ShapeError("structures must list at least one ansatz; got none")
        rows = _restructure(self.qnn.ansatz, self.base, structures)
        if rows is None:  # no structure arrays: queue every structure
            b = self._builder
            rows = [b.row(b.gates(s)) for s in structures]
        return self._builder.finish(rows)


class _Builder:
    def __init__(self, qnn, n_features: int):
        self.qnn = qnn
        self.n = qnn.layout.n_wires
        self.bit = {w: self.n - 1 - i for i, w in enumerate(qnn.layout.wires)}
        self.n_weights = qnn.n_params
        n_features = check_int(n_features, "n_features", minimum=0)
        if n_features and qnn.embedding is None:
            raise ConfigurationError("inputs were given but this QNN has no embedding")
        if qnn.embedding is not None and not n_features:
            raise ConfigurationError("inputs are required: this QNN has an embedding")
        self.n_features = n_features
        self.n_params = self.n_weights + self.n_features
        check_memory(
            product(2 * 8, self.n_params + 2, self.n_params),  # probe rows; each gate's angles
            f"the probe weights that read the circuit of {self.n_params} parameters "
            f"({self.n_params + 2} rows each)",
            "use fewer layers, or engine='autograd' (no probes) or engine='device'",
        )
        self.mats: list[np.ndarray] = []
        self.diags: dict[bytes, int] = {}
        self.diag_list: list[np.ndarray] = []
        self._matrix_cache: dict = {}

    # -- queue with probes ---------------------------------------------------------------------
    def _probe(self) -> tuple[np.ndarray, np.ndarray]:
        p = self.n_params
        rand = np.random.default_rng(12345).uniform(-1.0, 1.0, size=p)
        rows = np.concatenate([np.zeros((1, p)), np.eye(p), rand[None]])
        return rows, rand

    def gates(self, ansatz) -> list[tuple]:
        rows, rand = self._probe()
        k = len(rows)
        w = rows[:, : self.n_weights].reshape(k, *ansatz.weight_shape)
        with qml.queuing.AnnotatedQueue() as q:
            if self.n_features:
                x = rows[:, self.n_weights :]
                self.qnn.embedding(x, wires=list(self.qnn.layout.visible))
            ansatz(w, self.qnn.layout.wires)
        out: list[tuple] = []
        for op in q.queue:
            self._convert(op, k, rand, out)
        return _fuse_diagonals(out, self)

    def _convert(self, op, k, rand, out) -> None:
        name = op.name
        word, wires = _rotation_word(op)
        if word is not None:
            angle = self._affine(op, k, rand)
            if angle is not None:
                out.append(("rot", word, tuple(self.bit[w] for w in wires), *angle))
                return
        if not _depends_on_params(op, k):
            self._fixed(_unbatched(op, k), out)
            return
        if op.has_decomposition:
            for sub in op.decomposition():
                self._convert(sub, k, rand, out)
            return
        raise UnsupportedCircuit(f"the statevector kernels cannot run the parametrised gate {name}")

    def _affine(self, op, k, rand):
        """``(pidx, coef, offset)`` of the op's angle, or None if not affine in one parameter."""
        data = np.broadcast_to(np.asarray(qml.math.unwrap(op.data[0]), dtype=np.float64), (k,))
        offset = data[0]
        coefs = data[1:-1] - offset
        nz = np.flatnonzero(np.abs(coefs) > 1e-14)
        if len(nz) > 1:
            return None
        if len(nz) == 0:
            return (-1, 0.0, float(offset)) if abs(data[-1] - offset) < 1e-12 else None
        j = int(nz[0])
        if abs(offset + coefs[j] * rand[j] - data[-1]) > 1e-10:
            return None
        return j, float(coefs[j]), float(offset)

    def _fixed(self, op, out) -> None:
        key = (op.name, tuple(op.wires), tuple(np.round(np.ravel(op.data), 15)) if op.data else ())
        mat = self._matrix_cache.get(key)
        if mat is None:
            try:
                mat = np.asarray(qml.matrix(op), dtype=np.complex128)
            except Exception as exc:  # no matrix: try the decomposition
                if op.has_decomposition:
                    for sub in op.decomposition():
                        self._fixed(sub, out)
                    return
                raise UnsupportedCircuit(
                    f"gate {op.name} has neither a matrix nor a decomposition"
                ) from exc
            self._matrix_cache[key] = mat
        wires = tuple(self.bit[w] for w in op.wires)
        if np.allclose(mat, np.diag(np.diag(mat)), atol=0):
            out.append(("diag", np.diag(mat).copy(), wires))
        elif len(wires) <= _MAX_MATRIX_QUBITS:
            out.append(("mat", mat, wires))
        elif op.has_decomposition:
            for sub in op.decomposition():
                self._fixed(sub, out)
        else:
            raise UnsupportedCircuit(f"fixed gate {op.name} on {len(wires)} qubits")

    # -- arrays --------------------------------------------------------------------------------
    def diag_index(self, vec: np.ndarray) -> int:
        key = vec.tobytes()
        if key not in self.diags:
            self.diags[key] = len(self.diag_list)
            self.diag_list.append(vec)
        return self.diags[key]

    def mat_index(self, mat: np.ndarray) -> int:
        padded = np.zeros((8, 8), dtype=np.complex128)
        padded[: len(mat), : len(mat)] = mat
        self.mats.append(padded)
        return len(self.mats) - 1

    def row(self, gates: list[tuple]) -> dict[str, np.ndarray]:
        """The per-gate arrays ``(G,)`` of one structure."""
        g = len(gates)
        a = {
            "kind": np.zeros(g, np.int64),
            "bits": np.zeros((g, _MAX_MATRIX_QUBITS), np.int64),
            "nbits": np.zeros(g, np.int64),
            "xmask": np.zeros(g, np.int64),
            "zmask": np.zeros(g, np.int64),
            "ny": np.zeros(g, np.int64),
            "top": np.full(g, -1, np.int64),
            "pidx": np.full(g, -1, np.int64),
            "coef": np.zeros(g, np.float64),
            "offset": np.zeros(g, np.float64),
            "table": np.zeros(g, np.int64),
        }
        for j, gate in enumerate(gates):
            self._store(a, j, gate)
        return a

    def finish(self, rows: list[dict[str, np.ndarray]]) -> Program:
        g = max(1, max(len(r["kind"]) for r in rows))
        fields = {}
        for f in _PER_GATE:
            fill = -1 if f in ("pidx", "top") else 0
            shape = (len(rows), g, *rows[0][f].shape[1:])
            out = np.full(shape, fill, dtype=rows[0][f].dtype)
            for i, r in enumerate(rows):
                out[i, : len(r[f])] = r[f]
            fields[f] = out
        mats = np.stack(self.mats) if self.mats else np.zeros((1, 8, 8), np.complex128)
        diags = np.stack(self.diag_list) if self.diag_list else np.zeros((1, 1), np.complex128)
        return Program(self.n, self.n_params, mats=mats, diags=diags, **fields)

    def _store(self, a, j, gate) -> None:
        tag = gate[0]
        if tag == "rot":
            _, word, bits, pidx, coef, offset = gate
            a["pidx"][j], a["coef"][j], a["offset"][j] = pidx, coef, offset
            a["top"][j] = max(bits)
            if len(bits) == 1:
                a["kind"][j] = _LETTER_KIND[word]
                a["bits"][j, 0] = bits[0]
                a["nbits"][j] = 1
                return
            x = sum(1 << b for b, c in zip(bits, word, strict=True) if c in "XY")
            z = sum(1 << b for b, c in zip(bits, word, strict=True) if c in "ZY")
            a["kind"][j] = ROTP
            a["xmask"][j], a["zmask"][j], a["ny"][j] = x, z, word.count("Y") % 4
        elif tag == "mat":
            _, mat, bits = gate
            a["kind"][j], a["table"][j], a["nbits"][j] = MAT, self.mat_index(mat), len(bits)
            a["bits"][j, : len(bits)] = bits
            a["top"][j] = max(bits)
        else:  # "full": a fused diagonal on every qubit (block-local: top stays -1)
            a["kind"][j], a["table"][j] = DIAG, self.diag_index(gate[1])


def _fuse_diagonals(gates: list[tuple], builder: _Builder) -> list[tuple]:
    """Runs of fixed diagonal gates become one phase vector over all ``2^n`` basis states."""
    out, run = [], []
    n = builder.n
    for gate in [*gates, None]:
        if gate is not None and gate[0] == "diag":
            run.append(gate)
            continue
        if run:
            out.append(("full", _full_diagonal(run, n)))
            run = []
        if gate is not None:
            out.append(gate)
    return out


def _full_diagonal(run, n: int) -> np.ndarray:
    idx = np.arange(2**n, dtype=np.int64)
    out = np.ones(2**n, dtype=np.complex128)
    for _, diag, bits in run:
        sub = np.zeros(2**n, dtype=np.int64)
        for b in bits:
            sub = (sub << 1) | ((idx >> b) & 1)
        out *= diag[sub]
    return out


def _rotation_word(op):
    """``(word, wires)`` of a gate ``exp(-iθP/2)`` (PhaseShift: up to a global phase), identity
    letters dropped; ``(None, None)`` for any other gate."""
    word = generator_word(op)
    kept = [(c, w) for c, w in zip(word or "", op.wires, strict=False) if c != "I"]
    if not kept:
        return None, None
    return "".join(c for c, _ in kept), tuple(w for _, w in kept)


def _depends_on_params(op, k: int) -> bool:
    for d in op.data:
        arr = np.asarray(qml.math.unwrap(d))
        if arr.ndim and arr.shape[0] == k and not np.allclose(arr, arr[:1], atol=1e-15):
            return True
    return False


def _unbatched(op, k: int):
    """The op with its (constant) broadcast data replaced by the first row."""
    if not any(np.ndim(qml.math.unwrap(d)) and np.shape(d)[0] == k for d in op.data):
        return op
    data = [
        np.asarray(qml.math.unwrap(d))[0] if np.ndim(d) and np.shape(d)[0] == k else d
        for d in op.data
    ]
    return qml.ops.functions.bind_new_parameters(op, data)


# -- random structures as arrays --------------------------------------------------------------
def _restructure(ansatz, base: dict, structures) -> list[dict] | None:
    """One row per structure from the ansatz's structure arrays, or None where it has none.

    The parametrised gates of ``base`` (one per parameter) sit in *slots*; structure ``s``
    puts the gate of parameter ``param_order()[j]`` in slot ``j`` and, with ``param_axes``,
    gives each single-qubit rotation its own axis.
    """
    order0, axes0 = ansatz.param_order(), ansatz.param_axes()
    if order0 is None and axes0 is None:
        return None
    slots = np.flatnonzero(base["pidx"] >= 0)
    params = base["pidx"][slots]
    n_weights = ansatz.n_params
    if len(slots) != n_weights or len(np.unique(params)) != n_weights:
        return None
    if axes0 is not None and not np.isin(base["kind"][slots], (ROTX, ROTY, ROTZ)).all():
        return None
    slot_of_param = np.empty(n_weights, np.int64)
    slot_of_param[params] = slots
    rows = []
    for st in structures:
        row = {f: v.copy() for f, v in base.items()}
        if order0 is not None:
            src = slot_of_param[np.asarray(st.param_order())]
            for f, v in base.items():
                row[f][slots] = v[src]
        if axes0 is not None:
            row["kind"][slots] = ROTX + np.asarray(st.param_axes())[row["pidx"][slots]]
        rows.append(row)
    return rows
