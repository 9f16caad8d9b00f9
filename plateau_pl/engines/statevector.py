"""The statevector engine: a QNN's circuit as a program, gradients by the adjoint method.

The circuit is compiled once into a :class:`~plateau_pl.engines.program.Program`, then run for
every draw by one of two backends that execute the same program:

* ``"numba"`` (CPU): compiled kernels (:mod:`plateau_pl.engines._kernels`) that run the whole
  batch in one call, one draw at a time with two state vectors in memory, consecutive gates on
  low qubits applied block by block while the block is in cache;
* ``"torch"`` (any torch device — CUDA, or the CPU for testing): the draws of a chunk side by
  side as a ``(B, 2^n)`` tensor (:mod:`plateau_pl.engines._torch_kernels`), the same adjoint
  walk, chunks sized to the device's memory.

Gradients are exact (adjoint method: ``∂⟨O⟩/∂θ_g = Im⟨λ_g|P_g|φ_g⟩``; no autograd tape, so the
memory is O(B·2ⁿ) on torch and O(2ⁿ) on numba whatever the depth). Results equal PennyLane's
devices to ~1e-15 (tests: 1e-12).

>>> import numpy as np, plateau_pl as pp
>>> from plateau_pl.engines import StatevectorEngine
>>> qnn = pp.QNN(pp.WireLayout(1, 2), device="default.qubit", seed=0)
>>> w = qnn.init_weights(seed=1, batch=4)
>>> values, grads = StatevectorEngine(qnn).values_and_gradients(w)
>>> bool(np.allclose(grads[0], qnn.gradient(w[0]), atol=1e-12))
True
"""

from __future__ import annotations

import numpy as np
import pennylane as qml

from plateau_pl._validation import check_choice, check_instance, check_int, check_memory
from plateau_pl.engines.base import Engine, check_torch_device
from plateau_pl.engines.program import ProgramBuilder
from plateau_pl.errors import ConfigurationError
from plateau_pl.quantum._sizes import power, product

__all__ = ["BACKENDS", "MAX_QUBITS", "StatevectorEngine", "statevector_supports"]

BACKENDS = ("auto", "numba", "torch")
"""``auto``: numba on the CPU, torch on any other torch device."""

MAX_QUBITS = 30
"""Beyond this a state vector (16·2ⁿ bytes, two of them) does not fit a workstation."""


def statevector_supports(qnn) -> str | None:
    """``None`` if the engine can run ``qnn``, else the reason (a sentence)."""
    _check_qnn(qnn)
    if getattr(qnn, "shots", None) is not None:
        return "it needs an analytic QNN (shots=None)"
    if getattr(qnn, "noise", None) is not None:
        return "a noisy QNN has mixed states, not a state vector"
    try:
        qml.matrix(qnn.observable)
    except Exception:
        return "the observable has no matrix"
    if len(qnn.observable.wires) > 3:
        return "the observable acts on more than 3 wires"
    if qnn.layout.n_wires > MAX_QUBITS:
        return f"{qnn.layout.n_wires} qubits exceed the engine's limit of {MAX_QUBITS}"
    return None


def _check_qnn(qnn) -> None:
    from plateau_pl.models.qnn import QNN

    check_instance(qnn, "qnn", QNN, "a plateau_pl QNN")


def _check_memory(n: int, threads: int = 1) -> None:
    """Refuse, before allocating, states that do not fit this machine's memory: φ, λ and a
    fused diagonal per numba thread."""
    check_memory(
        product(3 * 16, power(2, n), threads),
        f"the statevector engine's states for {n} qubits ({threads} thread(s), 3 vectors of "
        f"2**{n} amplitudes each)",
        "use fewer qubits, a GPU with device='cuda', or engine='pauli' for second moments",
    )


def _check_outputs(n_draws: int, per_draw: int, what: str) -> None:
    what = f"the {what} of {n_draws} draws"
    check_memory(product(8, n_draws, per_draw), what, "pass fewer draws")


class StatevectorEngine(Engine):
    """Values, adjoint gradients and visible states of a QNN over draws.

    Args:
        qnn: an analytic :class:`~plateau_pl.models.QNN` (its device is not used).
        device: ``"cpu"`` or a torch device (``"cuda"``, ``"cuda:1"``).
        backend: ``"auto"``, ``"numba"`` (CPU only) or ``"torch"``.
        tile_bits: the numba backend's block size ``2^tile_bits`` (default: the kernels').
        threads: the numba backend's threads, each running a slice of the draws (default:
            ``torch.get_num_threads()``, which follows ``OMP_NUM_THREADS``); the numbers do not
            depend on it.

    Raises:
        ConfigurationError: if the QNN cannot run here (see :func:`statevector_supports`), or
            :class:`~plateau_pl.engines.program.UnsupportedCircuit` for a gate the kernels
            cannot run.
    """

    name = "statevector"
    takes_inputs = True

    def __init__(
        self,
        qnn,
        device: str = "cpu",
        backend: str = "auto",
        tile_bits=None,
        threads: int | None = None,
    ):
        reason = statevector_supports(qnn)
        if reason is not None:
            raise ConfigurationError(f"the statevector engine cannot run this QNN: {reason}")
        device = check_torch_device(device)
        check_choice(backend, "backend", BACKENDS)
        if backend == "auto":
            backend = "numba" if device == "cpu" else "torch"
        if backend == "numba" and device != "cpu":
            raise ConfigurationError(f"the numba backend runs on the CPU only; got {device!r}")
        if threads is not None:
            threads = check_int(threads, "threads", minimum=1)
        if tile_bits is not None:
            tile_bits = check_int(tile_bits, "tile_bits", minimum=0)
        if device == "cpu":
            _check_memory(qnn.layout.n_wires)
        super().__init__(qnn, device)
        self.backend = backend
        self.tile_bits = tile_bits
        self.threads = threads
        layout = qnn.layout
        self.n = layout.n_wires
        self.d_v = layout.dim_visible
        self.obs = np.asarray(qml.matrix(qnn.observable), dtype=np.complex128)
        bit = {w: self.n - 1 - i for i, w in enumerate(layout.wires)}
        self.obs_bits = np.array([bit[w] for w in qnn.observable.wires], dtype=np.int64)
        self._programs: dict[int, object] = {}
        self._runner = None
        if qnn.embedding is None:
            self._program(0)  # build now: an unsupported gate is found at selection time

    def describe(self) -> dict:
        return {**super().describe(), "engine_backend": self.backend}

    # -- the protocol --------------------------------------------------------------------------
    def values(self, weights, structures=None, inputs=None) -> np.ndarray:
        w, prog, rows = self._prepare(weights, structures, inputs)
        return self._backend().values(prog, rows, w, self.obs, self.obs_bits)

    def values_and_gradients(self, weights, structures=None, inputs=None):
        w, prog, rows = self._prepare(weights, structures, inputs)
        _check_outputs(len(w), prog.n_params + 1, "values and gradients")
        vals, grads = self._backend().gradients(prog, rows, w, self.obs, self.obs_bits)
        n_w = self.model.n_params
        return vals, grads[:, :n_w].reshape(len(w), *self.model.weight_shape)

    def visible_states(self, weights, structures=None, inputs=None) -> np.ndarray:
        w, prog, rows = self._prepare(weights, structures, inputs)
        _check_outputs(len(w), 2 * self.d_v**2, "visible states")
        return self._backend().visible(prog, rows, w, self.d_v)

    # -- internals -----------------------------------------------------------------------------
    def _program(self, n_features: int, structures=None):
        if n_features not in self._programs:
            self._programs[n_features] = ProgramBuilder(self.model, n_features)
        return self._programs[n_features].program(structures)

    def _prepare(self, weights, structures, inputs):
        weights = self._check(weights, structures, inputs)
        b = len(weights)
        flat = weights.reshape(b, -1)
        n_features = 0
        if inputs is not None:
            x = np.asarray(inputs, dtype=np.float64).reshape(b, -1)
            n_features = x.shape[1]
            flat = np.concatenate([flat, x], axis=1)
        prog = self._program(n_features, structures)
        if self.backend == "numba":  # each thread runs its slice of the draws with its own states
            _check_memory(self.n, min(self._backend().threads, b))
        rows = np.arange(b, dtype=np.int64) if structures is not None else np.zeros(b, np.int64)
        return np.ascontiguousarray(flat), prog, rows

    def _backend(self):
        if self._runner is None:
            if self.backend == "numba":
                import torch

                from plateau_pl.engines._numba_backend import NumbaBackend

                threads = torch.get_num_threads() if self.threads is None else self.threads
                self._runner = NumbaBackend(self.tile_bits, threads)
            else:
                from plateau_pl.engines._torch_kernels import TorchBackend

                self._runner = TorchBackend(self.device)
        return self._runner
