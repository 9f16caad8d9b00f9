"""Circuit QNNs on a visible/hidden layout, measured on the visible wires only.

A :class:`QNN` wraps an ansatz in PennyLane QNodes that are built once and reused:

* :attr:`QNN.qnode` returns ``⟨O_b⟩`` for an observable on the visible wires;
* :meth:`QNN.visible_state` returns ``ρ_v = Tr_h |ψ⟩⟨ψ|`` (``qml.density_matrix`` on analytic
  simulators, Pauli tomography of the visible wires when ``shots`` is set);
* :meth:`QNN.gradient` differentiates ``⟨O_b⟩`` with PennyLane's own machinery — the same code on
  every device: backprop on ``default.qubit``, adjoint on ``lightning.*``, parameter-shift when
  ``shots`` is set, PennyLane's ``"best"`` on any other plugin device.

**Example**

>>> import plateau_pl as pp
>>> layout = pp.WireLayout(n_visible=1, n_hidden=2)
>>> qnn = pp.QNN(layout, ansatz="random_two_local", device="default.qubit", seed=7)
>>> w = qnn.init_weights(seed=0)
>>> qnn.weight_shape, qnn.diff_method
((1, 36), 'backprop')
>>> rho_v = qnn.visible_state(w)
>>> rho_v.shape
(2, 2)
>>> bool(abs(qnn(w) - (rho_v[0, 0] - rho_v[1, 1]).real) < 1e-12)
True
>>> qnn.gradient(w).shape
(1, 36)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pennylane as qml
from pennylane import numpy as pnp

from plateau_pl._validation import (
    check_choice,
    check_instance,
    check_int,
    check_memory,
    check_seed,
    fresh_seed,
)
from plateau_pl.circuits import Ansatz, WireLayout, make_ansatz
from plateau_pl.circuits.weights import WEIGHT_DISTS, check_angles, draw_weights
from plateau_pl.devices import DEVICE_SHOTS, BoundDevice, bind_device
from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError, ShapeError
from plateau_pl.models._tensors import as_float64_tensor, float64_torch
from plateau_pl.quantum._sizes import power, product
from plateau_pl.quantum.paulis import nonidentity_words, pauli_word_matrices

__all__ = ["DIFF_METHODS", "INTERFACES", "QNN", "resolve_diff_method"]

INTERFACES = ("autograd", "torch")
"""The interfaces a :class:`QNN` supports."""

DIFF_METHODS = (
    "best",
    "backprop",
    "adjoint",
    "parameter-shift",
    "finite-diff",
    "spsa",
    "hadamard",
    "device",
)
"""PennyLane differentiation methods accepted by :class:`QNN`."""

_ANALYTIC_ONLY = ("adjoint", "backprop")
_NATIVE_BROADCAST = ("default.qubit", "default.mixed")
_MIXED_STATE = ("default.mixed", "cirq.mixedsimulator")  # devices that hold density matrices
_BYTES_PER_OP = 1024
"""Memory of one queued PennyLane operation (measured: 0.9–1.2 KiB for a rotation)."""


def resolve_diff_method(device_name: str, diff_method: str, shots, device=None) -> str:
    """Pick the differentiation method: what ``"best"`` means on each device.

    ``shots`` set → parameter-shift (adjoint and backprop need exact simulation);
    ``default.qubit`` and ``default.mixed`` → backprop; ``lightning.*`` → adjoint; other
    devices → the method PennyLane's ``"best"`` picks on ``device`` (``"best"`` itself when no
    device is given). An explicit method is returned unchanged after checking it fits ``shots``.

    >>> resolve_diff_method("lightning.qubit", "best", None)
    'adjoint'
    >>> resolve_diff_method("default.qubit", "best", 1000)
    'parameter-shift'
    """
    check_instance(device_name, "device_name", str, "a device name (str)")
    check_choice(diff_method, "diff_method", DIFF_METHODS)
    if shots is not None:
        if diff_method in _ANALYTIC_ONLY:
            raise ConfigurationError(
                f"diff_method={diff_method!r} needs exact simulation but shots={shots}; use "
                "diff_method='parameter-shift' (or 'best') with shots, or shots=None"
            )
        return "parameter-shift" if diff_method == "best" else diff_method
    if diff_method != "best":
        return diff_method
    if device_name in _NATIVE_BROADCAST:
        return "backprop"
    if device_name.startswith("lightning."):
        return "adjoint"
    if device is None:
        return "best"
    probe = qml.QNode(lambda: qml.expval(qml.Z(device.wires[0])), device, shots=None)
    return qml.workflow.get_best_diff_method(probe)()


class QNN:
    """A circuit QNN on a visible/hidden wire layout, measured on visible wires only.

    Args:
        layout: the :class:`~plateau_pl.circuits.WireLayout`.
        ansatz: a name (``"random_two_local"``, ``"mcclean"``, ``"hardware_efficient"``,
            ``"area_law"``), an :class:`~plateau_pl.circuits.Ansatz`, a PennyLane template class,
            ``(fn, weight_shape)``, or a callable ``fn(weights, wires)`` with ``weight_shape``.
        n_layers: depth of the ansatz (its default when ``None``).
        observable: a PennyLane observable on visible wires (default ``Z`` on visible wire 0).
        embedding: optional ``embedding(inputs, wires)`` applied on the visible wires before
            the ansatz (e.g. ``qml.AngleEmbedding``).
        device: a PennyLane device name (created on ``layout.n_wires`` wires, seeded the way
            that device takes a seed, exact when ``shots`` is ``None`` or refused if it cannot
            be; see :mod:`plateau_pl.devices`) or a PennyLane device object.
        diff_method: ``"best"`` (see :func:`resolve_diff_method`) or any PennyLane method.
        shots: ``None`` for exact expectation values, a number of shots, or ``"device"`` (the
            default): the device's own — ``None`` for a device named by a string, the object's
            shots for a device object.
        interface: ``"autograd"`` (numpy arrays) or ``"torch"`` (float64 tensors).
        seed: seed of the ansatz's random structure; ``None`` draws one from fresh entropy and
            records it in :attr:`seed`. With shots, the device's sampling seed derives from it.
        weight_shape: the weight shape of a plain callable ``ansatz``.
        ansatz_options: extra options of a named ansatz (e.g. ``{"n_cross": 2}``).
        device_options: constructor options of a device named by a string, e.g.
            ``{"noise_model": nm}`` for ``qiskit.aer`` (refused for a device object).
    """

    _applies_channels = False  # NoisyQNN: the device must take channels (its noise options)

    def __init__(
        self,
        layout: WireLayout,
        ansatz="random_two_local",
        n_layers: int | None = None,
        observable=None,
        embedding: Callable | None = None,
        device="lightning.qubit",
        diff_method: str = "best",
        shots: int | str | None = DEVICE_SHOTS,
        interface: str = "autograd",
        seed: int | None = None,
        weight_shape: Sequence[int] | None = None,
        ansatz_options: dict | None = None,
        device_options: dict | None = None,
    ):
        check_instance(layout, "layout", WireLayout)
        self.layout = layout
        seed = check_seed(seed)
        self.seed = fresh_seed() if seed is None else seed
        if ansatz_options is not None:
            check_instance(ansatz_options, "ansatz_options", Mapping, "a dict of ansatz options")
        self.ansatz: Ansatz = make_ansatz(
            ansatz,
            layout,
            n_layers,
            seed=self.seed,
            weight_shape=weight_shape,
            **(ansatz_options or {}),
        )
        self.observable = _check_observable(observable, layout)
        if embedding is not None and not callable(embedding):
            raise PlateauTypeError(
                f"embedding must be callable (inputs, wires); got {type(embedding).__name__}"
            )
        self.embedding = embedding
        self.interface = check_choice(interface, "interface", INTERFACES)
        self._bound: BoundDevice = bind_device(
            device,
            layout.n_wires,
            shots=shots,
            seed=self.seed,
            options=device_options,
            noisy=self._applies_channels,
        )
        self.device = self._bound.device
        """The PennyLane device."""
        self.device_name = self._bound.name
        self.shots = self._bound.shots
        """The shots of every circuit (``None``: exact)."""
        self.device_seed = self._bound.seed
        """The sampling seed the device was given (``None``: exact, unseedable, or the user's
        own device object)."""
        self.diff_method = resolve_diff_method(
            self.device_name, diff_method, self.shots, self.device
        )
        self.qnode = self._build_qnode(self.interface, self.diff_method)
        """The QNode returning ``⟨O_b⟩``: ``qnode(weights, inputs=None)``."""

    # -- construction helpers --------------------------------------------------------------
    def _circuit(self, weights, inputs=None):
        if self.embedding is not None:
            self._embed(inputs)
        self.ansatz.apply(weights, self.layout.wires)

    def _embed(self, inputs) -> None:
        """Queue the embedding of ``inputs``; inputs it refuses are a :class:`ShapeError`."""
        try:
            self.embedding(inputs, wires=list(self.layout.visible))
        except PlateauError:
            raise
        except (ValueError, TypeError, IndexError) as exc:
            raise ShapeError(
                f"inputs do not fit the embedding {getattr(self.embedding, '__name__', '')} on "
                f"{self.layout.n_visible} visible wire(s): {exc}"
            ) from exc

    def _build_qnode(self, interface: str, diff_method):
        def expval_circuit(weights, inputs=None):
            self._circuit(weights, inputs)
            return qml.expval(self.observable)

        return qml.QNode(
            expval_circuit,
            self.device,
            interface=interface,
            diff_method=diff_method,
            shots=self.shots,
        )

    @property
    def _exact_density_matrix(self) -> bool:
        """Whether visible states come from ``qml.density_matrix`` (else from the visible Pauli
        expectation values: with shots, or on devices whose density matrices are wrong)."""
        return self.shots is None and self._bound.profile.state == "density_matrix"

    @functools.cached_property
    def _state_qnode(self):
        visible = list(self.layout.visible)
        if self._exact_density_matrix:
            # adjoint and parameter-shift cannot differentiate state returns (DESIGN §5)
            diff = "backprop" if self.diff_method == "backprop" else None

            def state_circuit(weights, inputs=None):
                self._circuit(weights, inputs)
                return qml.density_matrix(wires=visible)

        else:
            diff = self.diff_method if self.diff_method not in _ANALYTIC_ONLY else None
            words = nonidentity_words(self.layout.n_visible)

            def state_circuit(weights, inputs=None):
                self._circuit(weights, inputs)
                return [qml.expval(qml.pauli.string_to_pauli_word(w)) for w in words]

        return qml.QNode(
            state_circuit,
            self.device,
            interface=self.interface,
            diff_method=diff,
            shots=self.shots,
        )

    @functools.cached_property
    def _torch_qnode(self):
        if self.interface == "torch":
            return self.qnode
        return self._build_qnode("torch", self.diff_method)

    # -- public API ------------------------------------------------------------------------
    @property
    def weight_shape(self) -> tuple[int, ...]:
        """Shape of one set of weights."""
        return self.ansatz.weight_shape

    @property
    def n_params(self) -> int:
        """Number of trainable parameters."""
        return self.ansatz.n_params

    def with_structure(self, seed: int) -> QNN:
        """The same QNN (layout, depth, observable, device, method) with its random structure
        drawn from ``seed`` — McClean's protocol redraws it for every sample. The device is
        shared, not copied."""
        return self.with_ansatz(self.ansatz.redraw(seed))

    def with_ansatz(self, ansatz: Ansatz) -> QNN:
        """The same QNN (observable, device, method, subclass settings) around ``ansatz``,
        an ansatz on the same layout (a redrawn structure, say). The device is shared."""
        return type(self)(self.layout, ansatz, seed=ansatz.seed, **self._settings())

    def _settings(self) -> dict:
        """The constructor arguments besides layout, ansatz and seed (subclasses add theirs)."""
        return {
            "observable": self.observable,
            "embedding": self.embedding,
            "device": self._bound,
            "diff_method": self.diff_method,
            "shots": self.shots,
            "interface": self.interface,
        }

    def init_weights(
        self,
        seed: int | None = None,
        dist: str = "uniform",
        scale: float | None = None,
        batch: int | None = None,
    ):
        """Draw weights: ``"uniform"`` U[0, 2·scale) (default scale π, i.e. U[0, 2π)),
        ``"normal"`` N(0, scale²) (default 1, the paper's Fig. 3b), ``"small"``
        U(-scale, scale) (default 0.1), or ``"identity"`` (``identity_blocks`` ansatz only:
        uniform angles mirrored so that the circuit is exactly the identity).

        Args:
            seed: seed of the draw (``None``: fresh entropy).
            dist: one of :data:`WEIGHT_DISTS` or ``"identity"``.
            scale: the distribution's scale (see above).
            batch: if given, draw ``batch`` sets at once, shape ``(batch, *weight_shape)``.

        Returns:
            ``pennylane.numpy`` array with ``requires_grad=True`` (autograd) or a float64
            ``torch.Tensor`` (torch).
        """
        check_choice(dist, "dist", (*WEIGHT_DISTS, "identity"))
        if dist == "identity":
            w = self._identity_weights(seed, scale, batch)
        else:
            w = draw_weights(self.weight_shape, seed=seed, dist=dist, scale=scale, batch=batch)
        if self.interface == "torch":
            import torch

            return torch.as_tensor(w, dtype=torch.float64)
        return pnp.array(w, requires_grad=True)

    def _identity_weights(self, seed, scale, batch):
        if not hasattr(self.ansatz, "identity_weights"):
            raise ConfigurationError(
                f"dist='identity' needs an ansatz with identity blocks (ansatz='identity_blocks'); "
                f"got {self.ansatz.name!r}"
            )
        rng = np.random.default_rng(check_seed(seed))
        if batch is None:
            return self.ansatz.identity_weights(rng, scale=scale)
        n = check_int(batch, "batch", minimum=1)
        return np.stack([self.ansatz.identity_weights(rng, scale=scale) for _ in range(n)])

    def __call__(self, weights, inputs=None):
        """``⟨O_b⟩`` on the visible wires; broadcasts over a leading batch dimension.

        Autograd and torch can differentiate through the result. Its shape is checked: ``()``,
        or ``(batch,)`` for a batch.
        """
        weights = self._prepare(weights, allow_batch=True)
        inputs = self._prepare_inputs(inputs)
        batch = self._batch_size(weights, inputs)
        self._check_execution_memory(batch)
        with float64_torch(self.interface):
            out = self._broadcast(self.qnode, weights, inputs)
        return self._check_shape(out, () if batch is None else (batch,), "value")

    def visible_state(self, weights, inputs=None):
        """The reduced density matrix ``ρ_v`` of the visible wires (complex128).

        Exact on analytic simulators (differentiable with backprop on ``default.qubit``);
        reconstructed from the ``4**n_visible - 1`` visible Pauli expectation values when
        ``shots`` is set, so it works on any device — and, exactly, on devices whose own
        density matrices cannot be trusted (``cirq.mixedsimulator``). The shape is checked:
        ``(D_v, D_v)``, with the batch axis in front for a batch of weights.
        """
        weights = self._prepare(weights, allow_batch=True)
        inputs = self._prepare_inputs(inputs)
        batch = self._batch_size(weights, inputs)
        self._check_execution_memory(batch)
        if not self._exact_density_matrix:
            pauli_word_matrices(self.layout.n_visible)  # refused here if they do not fit
        with float64_torch(self.interface):
            out = self._broadcast(self._state_qnode, weights, inputs)
        if not self._exact_density_matrix:
            out = _rho_from_paulis(out, self.layout.n_visible, self.interface)
        d = 2**self.layout.n_visible
        return self._check_shape(out, (d, d) if batch is None else (batch, d, d), "visible state")

    def _check_shape(self, out, want: tuple, what: str):
        """``out``, if its shape is ``want``; a device that returns another shape is an error
        (cirq.mixedsimulator's density matrices were (8, 2, 2) for one visible qubit)."""
        got = tuple(qml.math.shape(out))
        if got != want:
            raise PlateauError(
                f"device {self.device_name!r} returned a {what} of shape {got}; expected {want}"
            )
        return out

    def gradient(self, weights, inputs=None):
        """``∂⟨O_b⟩/∂weights`` by PennyLane's differentiation (:attr:`diff_method`).

        Returns an array of :attr:`weight_shape` (numpy for autograd, float64 torch tensor for
        torch).
        """
        weights = self._prepare(weights, allow_batch=False)
        inputs = self._prepare_inputs(inputs)
        self._check_execution_memory(None, differentiate=True)
        if self.interface == "torch":
            w = weights.detach().clone().requires_grad_(True)
            with float64_torch("torch"):
                out = self.qnode(w, inputs)
                out.backward()
            return w.grad
        w = pnp.array(qml.math.unwrap(weights), requires_grad=True)
        return np.asarray(qml.grad(lambda x: self.qnode(x, inputs))(w), dtype=np.float64)

    def torch_layer(self, weights=None, seed: int = 0, dist: str = "uniform"):
        """A ``torch.nn.Module`` holding the weights as an ``nn.Parameter``.

        ``layer(inputs)`` returns ``⟨O_b⟩`` per input row (shape ``(batch,)``) when the QNN has
        an embedding, ``layer()`` the scalar ``⟨O_b⟩`` otherwise. Gradients flow through
        PennyLane's torch interface with this QNN's device and :attr:`diff_method`.
        """
        from plateau_pl.models.torch_layer import QNNLayer

        return QNNLayer(self, weights=weights, seed=seed, dist=dist)

    def torch_forward(self, weights, inputs=None):
        """``⟨O_b⟩`` through PennyLane's torch interface, a float64 tensor differentiable in
        ``weights`` (a float64 tensor of :attr:`weight_shape`), whatever :attr:`interface` is.

        Per row of ``inputs`` (shape ``(batch,)``) when the QNN has an embedding, else a scalar;
        what :meth:`torch_layer`'s module runs in its forward pass.

        >>> import torch, plateau_pl as pp
        >>> qnn = pp.QNN(pp.WireLayout(1, 0), "hardware_efficient", 1, device="default.qubit")
        >>> float(qnn.torch_forward(torch.zeros(qnn.weight_shape, dtype=torch.float64)))
        1.0
        """
        import torch

        self._prepare_inputs(inputs)  # against the embedding; real and finite
        if inputs is not None:
            inputs = as_float64_tensor(inputs)
        batch = None if inputs is None or inputs.ndim < 2 else inputs.shape[0]
        self._check_execution_memory(batch)
        with float64_torch("torch"):
            out = self._torch_qnode(weights, inputs)
        return torch.as_tensor(out, dtype=torch.float64)

    @property
    def native_broadcasting(self) -> bool:
        """Whether the device executes broadcast tapes natively (else plateau_pl loops).

        lightning.qubit splits broadcast tapes anyway (no gain) and, with pennylane 0.45.1 /
        lightning 0.45.0, returns a wrongly shaped result for a broadcast ``qml.PauliRot``;
        see docs/design.md.
        """
        return self.device_name in _NATIVE_BROADCAST

    def _batch_size(self, weights, inputs) -> int | None:
        if qml.math.ndim(weights) > len(self.weight_shape):
            return qml.math.shape(weights)[0]
        if inputs is not None and qml.math.ndim(inputs) > 1:
            return qml.math.shape(inputs)[0]
        return None

    def _broadcast(self, qnode, weights, inputs):
        """Run ``qnode`` over a leading batch axis: natively where the device supports it,
        else one draw at a time, stacked (differentiable in both interfaces)."""
        batch = self._batch_size(weights, inputs)
        if batch is None or self.native_broadcasting:
            return qnode(weights, inputs)
        w_batched = qml.math.ndim(weights) > len(self.weight_shape)
        x_batched = inputs is not None and qml.math.ndim(inputs) > 1
        outs = [
            qnode(weights[i] if w_batched else weights, inputs[i] if x_batched else inputs)
            for i in range(batch)
        ]
        if isinstance(outs[0], (list, tuple)):  # tomography: one value per Pauli word
            return [qml.math.stack([o[k] for o in outs]) for k in range(len(outs[0]))]
        return qml.math.stack(outs)

    def to_dict(self) -> dict:
        """The model's settings as a record fragment."""
        return {
            "model": "qnn",
            **self.layout.to_dict(),
            **self.ansatz.to_dict(),
            "observable": repr(self.observable),
            **self._bound.to_dict(),
            "diff_method": self.diff_method,
            "interface": self.interface,
        }

    def __repr__(self) -> str:
        return (
            f"QNN({self.ansatz!r}, observable={self.observable!r}, device={self.device_name!r}, "
            f"diff_method={self.diff_method!r}, shots={self.shots}, interface={self.interface!r})"
        )

    # -- input checks ----------------------------------------------------------------------
    def _prepare(self, weights, allow_batch: bool):
        """``weights`` checked — real, finite, of :attr:`weight_shape` (with a batch axis if
        ``allow_batch``) — and, for the torch interface, as a float64 tensor."""
        if weights is None or isinstance(weights, (str, bytes, dict)):
            raise PlateauTypeError(
                f"weights must be an array of shape {self.weight_shape}; got "
                f"{type(weights).__name__}"
            )
        check_angles(weights, "weights")
        if self.interface == "torch":
            weights = as_float64_tensor(weights)
        elif (
            isinstance(weights, (list, tuple, np.ndarray))
            and np.asarray(weights).dtype.kind in "iu"
        ):
            weights = np.asarray(weights, dtype=float)  # integer angles: autograd needs floats
        self.ansatz.check_weights(weights, "weights", allow_batch=allow_batch)
        return weights

    def _prepare_inputs(self, inputs):
        """``inputs`` checked against the embedding, real and finite (torch: float64)."""
        if inputs is None:
            if self.embedding is not None:
                raise PlateauError("inputs are required: this QNN has an embedding")
            return None
        if self.embedding is None:
            raise PlateauError("inputs were given but this QNN has no embedding")
        check_angles(inputs, "inputs")
        if self.interface == "torch":
            inputs = as_float64_tensor(inputs)
        return inputs

    @property
    def _mixed_state(self) -> bool:
        """Whether the device holds a density matrix (``4**n`` entries) instead of a state."""
        return self.device_name in _MIXED_STATE or self._applies_channels

    def _check_execution_memory(self, batch: int | None, differentiate: bool = False) -> None:
        """Refuse, before the device allocates anything, a circuit that does not fit in memory.

        The device holds ``2**n`` amplitudes (``4**n`` for a density matrix) of 16 bytes, for
        every draw of a batch it broadcasts natively; the circuit's ≥ ``n_params`` gates are
        PennyLane operations of about 1 KiB; backprop keeps one state per trainable gate.
        """
        n, base = self.layout.n_wires, (4 if self._mixed_state else 2)
        draws = batch if batch is not None and self.native_broadcasting else 1
        states = draws * (self.n_params if differentiate and self.diff_method == "backprop" else 1)
        kind = "density matrix" if base == 4 else "state vector"
        check_memory(
            product(16, power(base, n), states),
            f"the {base}**{n}-entry {kind} of {n} qubits"
            + (f" ({states} copies: batch and backprop)" if states > 1 else ""),
            _ENGINE_HINT,
        )
        check_memory(
            product(_BYTES_PER_OP, self.n_params),
            f"the circuit's {self.n_params} trainable gates as PennyLane operations "
            f"(~{_BYTES_PER_OP} bytes each)",
            "use fewer layers or qubits",
        )


def _check_observable(observable, layout: WireLayout):
    if observable is None:
        return qml.Z(layout.visible[0])
    if not isinstance(observable, qml.operation.Operator):
        raise PlateauTypeError(
            f"observable must be a PennyLane observable (e.g. qml.Z(0)); got "
            f"{type(observable).__name__}"
        )
    layout.check_visible(observable.wires, "observable")
    return observable


_ENGINE_HINT = (
    "the device path needs the full state; for second moments at many qubits use "
    "engine='pauli' (gradient_variance / visible_state_stats: Pauli-path walks, no state vector), "
    "or fewer qubits"
)


def _rho_from_paulis(expvals, n_visible: int, interface: str):
    """ρ = (I + Σ_P ⟨P⟩ P) / D from the visible Pauli expectation values."""
    d = 2**n_visible
    mats = pauli_word_matrices(n_visible)
    if interface == "torch":
        import torch

        ev = torch.stack([torch.as_tensor(e) for e in expvals], dim=-1).to(torch.complex128)
        m = torch.as_tensor(mats)
        return (torch.eye(d, dtype=torch.complex128) + torch.einsum("...k,kij->...ij", ev, m)) / d
    ev = qml.math.stack(expvals, axis=-1)
    return (np.eye(d) + np.einsum("...k,kij->...ij", ev, mats)) / d
