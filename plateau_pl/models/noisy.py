r"""Noisy QNNs: a local channel on every wire after each layer of the ansatz.

Noise-induced barren plateaus (Wang et al., Nat. Commun. 12, 6961 (2021), arXiv:2007.14384):
local *unital Pauli* noise after each of ``L`` layers multiplies every Pauli component of the
state by a factor of modulus ``≤ q < 1`` per layer, so gradients of a Pauli observable are
bounded by a polynomial in ``n`` times ``q^{L+1}`` — they vanish exponentially in the depth,
whatever the angles, unlike the entanglement-induced plateaus of random unitary circuits.
Amplitude damping (non-unital) is the contrast case: it drives each qubit towards ``|0⟩⟨0|``,
not towards ``I/2``, so the visible state does not become maximally mixed.

:class:`NoiseModel` names the channel and its parameter; :class:`NoisyQNN` is a
:class:`~plateau_pl.models.QNN` on a mixed-state simulator (``default.mixed``, gradients by
backprop) whose circuit queues the ansatz one layer at a time with
:meth:`Ansatz.apply_layer <plateau_pl.circuits.Ansatz.apply_layer>` and the channel on every
wire after each layer. A layer is the ansatz's own unit of depth: a pass over all Pauli terms for
``random_two_local``, rotations plus the entangling ladder for ``mcclean`` (its fixed ``RY(π/4)``
preamble belongs to layer 0), ``hardware_efficient`` and ``area_law``, a block ``V(β)^†V(α)`` for
``identity_blocks``; a user template is one layer (``n_layers=1``).

**Why a subclass and a per-layer hook.** Queuing layers ``0..L-1`` in turn queues exactly the
gates of the whole circuit (tested gate by gate for every built-in ansatz), so seeded structures,
weight shapes and ``param_wires`` are those of the noiseless ansatz and ``p = 0`` reproduces the
noiseless :class:`QNN` exactly; a wrapper that re-derived layers from weight slices would not
work for ansätze whose layers share a structure (McClean's preamble, identity blocks). A
``NoisyQNN`` exposes the same methods as a ``QNN`` (``__call__``, ``visible_state``,
``gradient``, ``init_weights``, …), so every diagnostic accepts it; the batched statevector
engines refuse it (``engines.statevector_supports``), so ``engine="auto"`` takes the device path.

Channel parametrisations (PennyLane's, ``p`` the channel's only parameter):

.. math::
    \text{depolarizing:}\quad & ρ \mapsto (1-p)ρ + \tfrac{p}{3}(XρX + YρY + ZρZ),
        \quad ⟨P⟩ \mapsto (1 - \tfrac{4p}{3})⟨P⟩ \text{ for } P = X, Y, Z; \\
    \text{bit\_flip:}\quad & ρ \mapsto (1-p)ρ + p\,XρX, \quad (⟨X⟩, ⟨Y⟩, ⟨Z⟩) \mapsto
        (⟨X⟩, (1-2p)⟨Y⟩, (1-2p)⟨Z⟩); \\
    \text{phase\_flip:}\quad & ρ \mapsto (1-p)ρ + p\,ZρZ, \quad (⟨X⟩, ⟨Y⟩, ⟨Z⟩) \mapsto
        ((1-2p)⟨X⟩, (1-2p)⟨Y⟩, ⟨Z⟩); \\
    \text{amplitude\_damping } (γ = p):\quad & K_0 = \begin{pmatrix}1&0\\0&\sqrt{1-γ}
        \end{pmatrix}, K_1 = \begin{pmatrix}0&\sqrt{γ}\\0&0\end{pmatrix}, \quad
        (⟨X⟩, ⟨Y⟩, ⟨Z⟩) \mapsto (\sqrt{1-γ}⟨X⟩, \sqrt{1-γ}⟨Y⟩, (1-γ)⟨Z⟩ + γ).

Wang et al.'s ``q`` is :attr:`NoiseModel.contraction`, the largest of the three Pauli factors in
modulus (``1 - 4p/3`` for depolarising noise; 1 for bit and phase flips, which leave one Pauli
axis untouched and so give no depth-uniform bound).

**Example**

>>> import numpy as np, plateau_pl as pp
>>> from plateau_pl.models.noisy import NoiseModel, NoisyQNN
>>> layout = pp.WireLayout(n_visible=1, n_hidden=1)
>>> noise = NoiseModel("depolarizing", p=0.1)
>>> qnn = NoisyQNN(layout, "hardware_efficient", n_layers=2, noise=noise, seed=0)
>>> qnn.diff_method, round(noise.contraction, 6)
('backprop', 0.866667)
>>> w = qnn.init_weights(seed=1)
>>> qnn.gradient(w).shape
(2, 2, 2)
>>> bool(np.isclose(np.trace(qnn.visible_state(w)).real, 1.0))
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plateau_pl._validation import check_choice, check_float
from plateau_pl.circuits import WireLayout
from plateau_pl.devices import DEVICE_SHOTS, PENNYLANE_CHANNELS, channel_op
from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError
from plateau_pl.models.qnn import QNN
from plateau_pl.quantum.paulis import pauli_transfer_matrix

__all__ = ["CHANNELS", "NoiseModel", "NoisyQNN"]

CHANNELS = PENNYLANE_CHANNELS
"""The local channels a :class:`NoiseModel` can apply, by name (PennyLane's classes; a device
may apply its own native equivalent, see :func:`plateau_pl.devices.channel_op`)."""


@dataclass(frozen=True)
class NoiseModel:
    """A single-qubit channel applied to every wire after each layer.

    >>> NoiseModel("amplitude_damping", 0.2).unital
    False
    >>> NoiseModel("depolarizing", 0.3).pauli_factors()
    array([0.6, 0.6, 0.6])
    """

    channel: str = "depolarizing"
    """``"depolarizing"``, ``"amplitude_damping"``, ``"bit_flip"`` or ``"phase_flip"``."""
    p: float = 0.0
    """The channel's parameter in ``[0, 1]`` (``γ`` of amplitude damping)."""

    def __post_init__(self):
        check_choice(self.channel, "channel", CHANNELS)
        try:
            p = check_float(self.p, "p", minimum=0.0, maximum=1.0)
        except PlateauError:  # the message (and class) NoiseModel always gave
            raise ConfigurationError(f"p must be a number in [0, 1]; got {self.p!r}") from None
        object.__setattr__(self, "p", p)

    @property
    def unital(self) -> bool:
        """Whether the channel maps ``I/2`` to itself (every channel but amplitude damping)."""
        return self.channel != "amplitude_damping"

    def kraus_matrices(self) -> list[np.ndarray]:
        """PennyLane's Kraus matrices of the channel (2×2 each)."""
        return [np.asarray(k) for k in CHANNELS[self.channel].compute_kraus_matrices(self.p)]

    def pauli_transfer_matrix(self) -> np.ndarray:
        """``R[i, j] = ½ Tr(P_i E(P_j))`` over ``(I, X, Y, Z)``, from the Kraus matrices.

        Row 0 is ``(1, 0, 0, 0)`` (trace preserving); ``R[1:, 0]`` is the shift of the Bloch
        vector (zero for unital channels).
        """
        return pauli_transfer_matrix(self.kraus_matrices())

    def pauli_factors(self) -> np.ndarray:
        """The factors ``(f_X, f_Y, f_Z)`` multiplying ``⟨X⟩, ⟨Y⟩, ⟨Z⟩`` (diagonal of the
        transfer matrix; amplitude damping also shifts ``⟨Z⟩`` by ``γ``)."""
        return np.diag(self.pauli_transfer_matrix())[1:].copy()

    @property
    def contraction(self) -> float:
        """Wang et al.'s ``q``: the largest Pauli factor in modulus."""
        return float(np.abs(self.pauli_factors()).max())

    def apply(self, wires, op=None) -> None:
        """Queue the channel on each of ``wires`` (as ``op``, a device's native channel class,
        if given; PennyLane's otherwise)."""
        op = CHANNELS[self.channel] if op is None else op
        for w in wires:
            op(self.p, wires=w)

    def to_dict(self) -> dict:
        """Record fields."""
        return {
            "noise_channel": self.channel,
            "noise_p": self.p,
            "noise_unital": self.unital,
            "noise_q": self.contraction,
        }


class NoisyQNN(QNN):
    """A :class:`~plateau_pl.models.QNN` with ``noise`` on every wire after each ansatz layer.

    Args:
        layout: the wire layout.
        ansatz: as for :class:`QNN`; it must split into layers (every built-in ansatz does; a
            user template only with ``n_layers=1``).
        n_layers: depth of the ansatz (its default when ``None``).
        noise: a :class:`NoiseModel`, or ``None`` for no channel (the noiseless circuit on a
            mixed-state device).
        observable, embedding, shots, interface, seed, weight_shape, ansatz_options: as for
            :class:`QNN` (an embedding is noiseless; the channels follow ansatz layers only).
        device: a device that applies channels (default ``"default.mixed"``; also
            ``"cirq.mixedsimulator"`` with cirq's native channels, ``"braket.local.qubit"`` on
            its ``braket_dm`` backend, chosen for you by name) or a device instance; any other
            device is refused before a circuit runs (:func:`plateau_pl.devices.channel_op`).
        device_options: as for :class:`QNN`.
        diff_method: ``"best"`` means backprop on ``default.mixed`` (parameter-shift with shots).
    """

    def __init__(
        self,
        layout: WireLayout,
        ansatz="random_two_local",
        n_layers: int | None = None,
        noise: NoiseModel | None = None,
        observable=None,
        embedding=None,
        device="default.mixed",
        diff_method: str = "best",
        shots=DEVICE_SHOTS,
        interface: str = "autograd",
        seed: int | None = None,
        weight_shape=None,
        ansatz_options: dict | None = None,
        device_options: dict | None = None,
    ):
        if noise is not None and not isinstance(noise, NoiseModel):
            raise PlateauTypeError(
                f"noise must be a NoiseModel (e.g. NoiseModel('depolarizing', 0.01)) or None; "
                f"got {type(noise).__name__}"
            )
        self.noise = noise
        super().__init__(
            layout,
            ansatz,
            n_layers,
            observable=observable,
            embedding=embedding,
            device=device,
            diff_method=diff_method,
            shots=shots,
            interface=interface,
            seed=seed,
            weight_shape=weight_shape,
            ansatz_options=ansatz_options,
            device_options=device_options,
        )
        self._channel = None if noise is None else channel_op(self._bound, noise.channel)
        if not self.ansatz.layered:
            raise ConfigurationError(
                f"ansatz {self.ansatz.name!r} with n_layers={self.ansatz.n_layers} does not split "
                "into layers, so noise cannot follow each layer; use a built-in ansatz, an "
                "Ansatz subclass with _apply_layer, or a user template with n_layers=1"
            )

    def _circuit(self, weights, inputs=None):
        if self.embedding is not None:
            self._embed(inputs)
        wires = self.layout.wires
        for layer in range(self.ansatz.n_layers):
            self.ansatz._apply_layer(weights, wires, layer)
            if self.noise is not None:
                self.noise.apply(wires, self._channel)

    @property
    def _applies_channels(self) -> bool:
        return self.noise is not None

    def _settings(self) -> dict:
        return {**super()._settings(), "noise": self.noise}

    def to_dict(self) -> dict:
        """The model's settings, the noise model's fields included."""
        noise = (
            self.noise.to_dict()
            if self.noise is not None
            else {"noise_channel": None, "noise_p": 0.0, "noise_unital": True, "noise_q": 1.0}
        )
        return {**super().to_dict(), **noise}

    def __repr__(self) -> str:
        return f"Noisy{super().__repr__()[:-1]}, noise={self.noise!r})"
