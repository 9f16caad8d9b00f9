"""The autograd engine: a vectorised torch statevector that torch can differentiate.

Hybrid models and ensemble training need ``⟨O⟩`` and ``ρ_v`` as *differentiable torch tensors*
of the weights (and data); this engine provides them. It queues the QNN's circuit (embedding
included) once with weights of shape ``(B, *weight_shape)`` (PennyLane broadcasting), applies
every gate to a ``(B, 2ⁿ)`` complex128 state with batched torch operations — rotations built from
their generator, multi-qubit Pauli rotations as a flip times a phase, runs of fixed diagonals
fused into one phase vector — and lets torch's autograd do the rest. Its tape holds every
intermediate state, so its memory grows with B·2ⁿ·gates: ensembles of draws use the
:class:`~plateau_pl.engines.StatevectorEngine` (adjoint gradients) instead, and this engine is
what :func:`~plateau_pl.engines.select_engine` picks only when torch tensors are asked for
(``differentiable=True``) or the statevector kernels cannot run a gate.

>>> import numpy as np, plateau_pl as pp, torch
>>> from plateau_pl.engines.autograd import AutogradEngine
>>> qnn = pp.QNN(pp.WireLayout(1, 2), device="default.qubit", seed=0)
>>> w = torch.as_tensor(qnn.init_weights(seed=1, batch=4))
>>> AutogradEngine(qnn).torch_expvals(w).shape
torch.Size([4])
"""

from __future__ import annotations

import contextlib
import functools
import string

import numpy as np
import pennylane as qml
import torch

from plateau_pl._validation import check_instance, check_memory, check_real_array, memory_limit
from plateau_pl.engines.base import Engine
from plateau_pl.engines.gates import generator_word
from plateau_pl.errors import ConfigurationError
from plateau_pl.quantum._sizes import power, product
from plateau_pl.quantum.paulis import PAULI_BITS, pauli_index_map, word_matrix
from plateau_pl.quantum.states import trace_out_last_pure

__all__ = ["AutogradEngine", "autograd_supports"]

_MEMORY_BUDGET = 2**28  # bytes of saved states per autograd chunk (measured: smaller is faster)
_LIVE_STATES = 4  # states alive at once per draw without autograd (ψ, a gate's temporaries)


def autograd_supports(qnn) -> str | None:
    """``None`` if the engine can simulate ``qnn`` (analytic, matrix observable), else why."""
    from plateau_pl.models.qnn import QNN

    check_instance(qnn, "qnn", QNN, "a plateau_pl QNN")
    if qnn.shots is not None:
        return "it needs an analytic QNN (shots=None)"
    if getattr(qnn, "noise", None) is not None:  # NoisyQNN: mixed states, not a statevector
        return "a noisy QNN has mixed states, not a state vector"
    try:
        qml.matrix(qnn.observable)
    except Exception:
        return "the observable has no matrix"
    return None


@functools.cache
def _einsum_equation(n: int, positions: tuple[int, ...], batched_op: bool) -> str:
    """``op[b?, out…, in…] · psi[b, q0…q_{n-1}] → psi'`` for the gate's qubit positions."""
    letters = string.ascii_letters
    state = list(letters[1 : n + 1])
    k = len(positions)
    outs = list(letters[n + 1 : n + 1 + k])
    ins = [state[p] for p in positions]
    result = state.copy()
    for p, o in zip(positions, outs, strict=True):
        result[p] = o
    op = ("a" if batched_op else "") + "".join(outs) + "".join(ins)
    return f"{op},a{''.join(state)}->a{''.join(result)}"


@functools.cache
def _z_signs(n: int, positions: tuple[int, ...]) -> np.ndarray:
    """``(-1)^{parity of the bits at positions}`` for every basis index (wire 0 = MSB)."""
    idx = np.arange(2**n)
    parity = np.zeros(2**n, dtype=np.int64)
    for p in positions:
        parity ^= (idx >> (n - 1 - p)) & 1
    return (1 - 2 * parity).astype(np.float64)


class AutogradEngine(Engine):
    """Differentiable vectorised simulation of a :class:`~plateau_pl.models.QNN` over draws.

    Args:
        qnn: the QNN (its ansatz, embedding, layout and observable; the device is not used).
    """

    name = "autograd"
    takes_structures = False
    takes_inputs = True

    def __init__(self, qnn):
        reason = autograd_supports(qnn)
        if reason is not None:
            raise ConfigurationError(f"the autograd engine cannot run this QNN: {reason}")
        super().__init__(qnn, "cpu")
        self.qnn = qnn
        self.n = qnn.layout.n_wires
        check_memory(
            product(1024, qnn.n_params),
            f"the circuit's {qnn.n_params} trainable gates as PennyLane operations (~1 KiB each)",
            "use fewer layers or qubits",
        )
        self.wire_pos = {w: i for i, w in enumerate(qnn.layout.wires)}
        obs = qml.matrix(qnn.observable)
        self.obs_positions = tuple(self.wire_pos[w] for w in qnn.observable.wires)
        self.obs = torch.as_tensor(np.asarray(obs, dtype=np.complex128))

    # -- the protocol --------------------------------------------------------------------------
    def chunk_size(self) -> int:
        """Draws per autograd chunk, from the memory budget of saved states."""
        return int(np.clip(_MEMORY_BUDGET // self._saved_bytes(), 1, 512))

    def _saved_bytes(self) -> float:
        """Bytes of the states torch saves for the backward of one draw (one per gate)."""
        n_ops = max(1, self.qnn.n_params + self.n)
        return product(16, power(2, self.n), n_ops)

    def _check_draw_memory(self, n_draws: int, saved: bool) -> None:
        """Refuse, before simulating, ``n_draws`` draws side by side that do not fit."""
        per_draw = self._saved_bytes() if saved else product(_LIVE_STATES * 16, power(2, self.n))
        what = "the states saved for the backward" if saved else "the states"
        check_memory(
            product(per_draw, n_draws),
            f"{what} of {n_draws} draw(s) on {self.n} qubits (autograd engine)",
            "pass fewer draws at once, or use engine='statevector' (adjoint gradients, O(2**n) "
            "memory) or engine='pauli' for second moments",
        )

    def values_and_gradients(self, weights, structures=None, inputs=None):
        """``(values (B,), gradients (B, *weight_shape))`` by one backward pass per chunk."""
        weights = self._check(weights, structures, inputs)
        self._check_draw_memory(min(self.chunk_size(), max(1, len(weights))), saved=True)
        x = None if inputs is None else np.asarray(inputs, dtype=np.float64)
        values, grads = [], []
        step = self.chunk_size()
        with _flush_denormals():
            for i in range(0, len(weights), step):
                xi = None if x is None else torch.as_tensor(x[i : i + step])
                v, g = self._chunk_gradients(weights[i : i + step], xi)
                values.append(v)
                grads.append(g)
        return np.concatenate(values), np.concatenate(grads)

    def _chunk_gradients(self, weights, inputs):
        w = torch.tensor(weights, requires_grad=True)
        vals = self._expval(self._state(w, inputs))
        (g,) = torch.autograd.grad(vals.sum(), w)
        return vals.detach().numpy(), g.numpy()

    def values(self, weights, structures=None, inputs=None) -> np.ndarray:
        """Expectation values ``(B,)`` (no gradient)."""
        return self._forward(weights, structures, inputs, self._expval)

    def visible_states(self, weights, structures=None, inputs=None) -> np.ndarray:
        """Reduced states of the visible wires ``(B, D_v, D_v)``."""
        d_v = self.qnn.layout.dim_visible
        return self._forward(weights, structures, inputs, lambda psi: trace_out_last_pure(psi, d_v))

    # -- differentiable torch paths (hybrid models, ensemble training) -------------------------
    def torch_state(self, weights: torch.Tensor, inputs: torch.Tensor | None = None):
        """The states ``(B, 2**n)`` for weights ``(B, *weight_shape)``, differentiable by torch.

        ``inputs`` ``(B, n_features)`` feed the QNN's embedding (row ``b`` with weights ``b``).
        """
        check_instance(weights, "weights", torch.Tensor, "a torch tensor (B, *weight_shape)")
        check_real_array(weights, "weights", allow_empty=True)
        if inputs is not None:
            check_instance(inputs, "inputs", torch.Tensor, "a torch tensor (B, n_features)")
            check_real_array(inputs, "inputs", allow_empty=True)
        self._check_inputs(weights, inputs)
        batch = max(1, int(weights.shape[0])) if getattr(weights, "ndim", 0) else 1
        saved = isinstance(weights, torch.Tensor) and weights.requires_grad
        self._check_draw_memory(batch, saved=saved)
        return self._state(weights, inputs)

    def torch_expvals(self, weights: torch.Tensor, inputs: torch.Tensor | None = None):
        """``⟨O_b⟩`` ``(B,)`` as a differentiable torch tensor (see :meth:`torch_state`)."""
        return self._expval(self.torch_state(weights, inputs))

    def torch_visible_states(self, weights: torch.Tensor, inputs: torch.Tensor | None = None):
        """``ρ_v`` ``(B, D_v, D_v)`` as a differentiable torch tensor."""
        return trace_out_last_pure(self.torch_state(weights, inputs), self.qnn.layout.dim_visible)

    def _check_inputs(self, weights, inputs) -> None:
        if self.qnn.embedding is not None and inputs is None:
            raise ConfigurationError("inputs are required: this QNN has an embedding")
        if self.qnn.embedding is None and inputs is not None:
            raise ConfigurationError("inputs were given but this QNN has no embedding")
        if inputs is not None and inputs.shape[0] != weights.shape[0]:
            raise ConfigurationError(
                f"inputs must have one row per weight draw ({weights.shape[0]}); "
                f"got {inputs.shape[0]}"
            )

    # -- simulation --------------------------------------------------------------------------
    def _forward(self, weights, structures, inputs, finish):
        weights = self._check(weights, structures, inputs)
        x = None if inputs is None else np.asarray(inputs, dtype=np.float64)
        self._check_draw_memory(1, saved=False)
        live = product(_LIVE_STATES * 16, power(2, self.n))
        out, step = [], int(max(1, min(max(self.chunk_size(), 64), memory_limit() // live)))
        with torch.no_grad(), _flush_denormals():
            for i in range(0, len(weights), step):
                w = torch.as_tensor(weights[i : i + step])
                xi = None if x is None else torch.as_tensor(x[i : i + step])
                out.append(finish(self._state(w, xi)).numpy())
        return np.concatenate(out)

    def _queue(self, w: torch.Tensor, inputs=None):
        with qml.queuing.AnnotatedQueue() as q:
            if inputs is not None:
                self.qnn.embedding(inputs, wires=list(self.qnn.layout.visible))
            self.qnn.ansatz(w, self.qnn.layout.wires)
        return _expand_templates(q.queue)

    def _state(self, w: torch.Tensor, inputs=None) -> torch.Tensor:
        b = w.shape[0]
        psi = torch.zeros((b, 2**self.n), dtype=torch.complex128)
        psi[:, 0] = 1.0
        pending = None  # fused fixed diagonal (±1 or phases), shape (2**n,)
        for op in self._queue(w, inputs):
            positions = tuple(self.wire_pos[x] for x in op.wires)
            phase = self._diagonal(op, positions)
            if phase is not None:
                pending = phase if pending is None else pending * phase
                continue
            if pending is not None:
                psi = psi * pending
                pending = None
            psi = self._apply_matrix(psi, op, positions)
        return psi if pending is None else psi * pending

    def _diagonal(self, op, positions):
        """The phase vector ``(2**n,)`` of a fixed diagonal gate (fused with its neighbours)."""
        if op.name == "CZ":
            return torch.as_tensor(_cz_signs(self.n, positions), dtype=torch.complex128)
        if op.name == "PauliZ":
            return torch.as_tensor(_z_signs(self.n, positions), dtype=torch.complex128)
        return None

    def _apply_matrix(self, psi, op, positions):
        word = _rotation_word(op)
        if word is not None and len(positions) == 1:  # a 2×2 product beats flips here
            return _one_qubit(psi, _rotation_matrix(op, word), positions[0], self.n)
        if word is not None:
            theta = torch.as_tensor(op.data[0], dtype=torch.float64)
            return _pauli_rotation(psi, theta, word, positions, self.n)
        mat = torch.as_tensor(qml.matrix(op), dtype=torch.complex128)
        if len(positions) == 1:
            return _one_qubit(psi, mat, positions[0], self.n)
        b = psi.shape[0]
        batched = mat.ndim == 3
        k = len(positions)
        shape = ((mat.shape[0],) if batched else ()) + (2,) * (2 * k)
        eq = _einsum_equation(self.n, positions, batched)
        out = torch.einsum(eq, mat.reshape(shape), psi.reshape((b,) + (2,) * self.n))
        return out.reshape(b, -1)

    def _expval(self, psi: torch.Tensor) -> torch.Tensor:
        b = psi.shape[0]
        view = psi.reshape((b,) + (2,) * self.n)  # one small einsum per chunk
        k = len(self.obs_positions)
        eq = _einsum_equation(self.n, self.obs_positions, False)
        o_psi = torch.einsum(eq, self.obs.reshape((2,) * (2 * k)), view).reshape(b, -1)
        return (psi.conj() * o_psi).real.sum(dim=1)


@contextlib.contextmanager
def _flush_denormals():
    """Flush subnormal floats to zero while simulating.

    Some circuits (McClean's with RY(π/4) and axis rotations) leave amplitudes that decay into
    subnormal numbers, on which the CPU's arithmetic is ~5× slower (measured: 11.2 s → 2.7 s at
    n = 12, 200 draws). Values below 2.2e-308 do not matter here. torch has no getter for the
    setting; its default (off) is restored.
    """
    torch.set_flush_denormal(True)
    try:
        yield
    finally:
        torch.set_flush_denormal(False)


def _expand_templates(ops) -> list:
    """Replace templates without a matrix (``AngleEmbedding``, ...) by their decomposition."""
    out = []
    for op in ops:
        if op.has_matrix or not op.has_decomposition:
            out.append(op)
        else:
            out.extend(_expand_templates(op.decomposition()))
    return out


@functools.cache
def _cz_signs(n: int, positions: tuple[int, int]) -> np.ndarray:
    idx = np.arange(2**n)
    a, b = ((idx >> (n - 1 - p)) & 1 for p in positions)
    return (1 - 2 * (a & b)).astype(np.float64)


def _rotation_word(op) -> str | None:
    """The Pauli word ``P`` of a gate equal to ``exp(-iθP/2)`` itself (no global phase: the
    engine's states are compared with PennyLane's), else None."""
    return generator_word(op, exact=True)


def _split_shape(n: int, positions) -> tuple[list[int], list[int]]:
    """A low-dimensional view of a ``(B, 2**n)`` state exposing the qubits at ``positions``.

    Returns the view shape after the batch axis, ``[2**p0, 2, 2**(p1-p0-1), 2, …,
    2**(n-1-p_last)]``, and the axes of the exposed qubits in the ``(B, *shape)`` view.

    >>> _split_shape(5, (1, 3))
    ([2, 2, 2, 2, 2], [2, 4])
    >>> _split_shape(4, (0,))
    ([1, 2, 8], [2])
    """
    shape, axes, prev = [], [], -1
    for p in sorted(positions):
        shape.append(2 ** (p - prev - 1))
        axes.append(len(shape) + 1)  # +1: the batch axis comes first
        shape.append(2)
        prev = p
    shape.append(2 ** (n - 1 - prev))
    return shape, axes


@functools.cache
def _pauli_phases(word: str) -> np.ndarray:
    """``v`` with ``(P ψ)(y) = v(y) ψ(y ^ m)`` on the word's qubits, one axis per letter: the
    values of its index map (:func:`~plateau_pl.quantum.paulis.pauli_index_map`)."""
    _, v = pauli_index_map(word, range(len(word)), len(word))
    return v.reshape((2,) * len(word))


def _flip(x: torch.Tensor, axis: int) -> torch.Tensor:
    """Swap the two halves of a size-2 axis (a bit flip of that qubit): one copy."""
    return torch.cat([x.narrow(axis, 1, 1), x.narrow(axis, 0, 1)], dim=axis)


def _pauli_rotation(psi, theta, word: str, positions, n: int) -> torch.Tensor:
    """``exp(-iθP/2) ψ = cos(θ/2) ψ − i sin(θ/2) P ψ``, batched in θ, by flips and phases.

    ``P ψ`` is a bit flip of the X/Y qubits times a fixed phase pattern (no matrix product), so
    a rotation costs a few elementwise passes over a low-dimensional view of the state.
    """
    b = psi.shape[0]
    order = np.argsort(positions)
    pos = [positions[i] for i in order]
    letters = "".join(word[i] for i in order)
    shape, axes = _split_shape(n, pos)
    view = psi.reshape([b, *shape])
    small = [1] * (len(shape) + 1)
    for a in axes:
        small[a] = 2
    v = torch.as_tensor(_pauli_phases(letters)).reshape(small)
    theta = theta.reshape(-1, *([1] * len(shape)))
    c = torch.cos(theta / 2).to(torch.complex128)
    s = torch.sin(theta / 2).to(torch.complex128)
    flips = [a for a, letter in zip(axes, letters, strict=True) if PAULI_BITS[letter][0]]
    if not flips:  # diagonal: one multiplication by (c − i s v)
        return (view * (c - 1j * s * v)).reshape(b, -1)
    flipped = view
    for a in flips:
        flipped = _flip(flipped, a)
    return torch.addcmul(c * view, -1j * s * v, flipped).reshape(b, -1)


def _rotation_matrix(op, word: str) -> torch.Tensor:
    """``cos(θ/2) I − i sin(θ/2) P``, ``(B, d, d)`` for a broadcast θ (no PennyLane call)."""
    theta = torch.as_tensor(op.data[0], dtype=torch.float64)
    p = torch.tensor(word_matrix(word))  # a copy: the shared matrix is read only
    eye = torch.eye(p.shape[0], dtype=torch.complex128)
    c = torch.cos(theta / 2).to(torch.complex128)
    s = torch.sin(theta / 2).to(torch.complex128)
    if theta.ndim:
        return c[:, None, None] * eye - 1j * s[:, None, None] * p
    return c * eye - 1j * s * p


def _one_qubit(psi, mat, p: int, n: int) -> torch.Tensor:
    """Apply a (batched) 2×2 matrix on qubit position ``p``."""
    b = psi.shape[0]
    shape, _ = _split_shape(n, (p,))
    view = psi.reshape(b, *shape)
    u = mat.reshape(-1, 2, 2, 1, 1)
    lo, hi = view[:, :, 0], view[:, :, 1]
    top = u[:, 0, 0] * lo + u[:, 0, 1] * hi
    bottom = u[:, 1, 0] * lo + u[:, 1, 1] * hi
    return torch.stack([top, bottom], dim=2).reshape(b, -1)
