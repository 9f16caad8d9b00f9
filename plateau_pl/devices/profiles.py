"""What plateau_pl knows about each PennyLane device: one :class:`DeviceProfile` per name.

PennyLane's device API hides most differences between simulators, but not all of them, and the
ones it leaves are the ones that give wrong answers silently (measured with pennylane 0.45.1,
pennylane-qiskit 0.45.0 / qiskit-aer 0.17.2, pennylane-cirq 0.44.0, amazon-braket-pennylane-plugin
1.36.1, pennylane-lightning(-kokkos) 0.45.0):

* **exact mode** — ``qiskit.aer`` with its default method and ``qiskit.basicsim`` turn
  ``shots=None`` into 1024 shots with a warning; ``qiskit.aer`` is exact with
  ``method="statevector"``, ``qiskit.basicsim`` never is;
* **seeds** — each device takes its seed its own way (``seed=`` on PennyLane's and lightning's
  devices, a run option ``seed_simulator`` on qiskit's — a fresh one per job, drawn from one
  seeded stream —, a seeded ``cirq.Simulator`` on cirq's); braket's
  local simulator draws every run from fresh entropy and cannot be seeded at all, and its
  constructor passes an unknown ``seed=`` on to every run, where it is a ``TypeError``;
* **states** — ``qml.density_matrix`` on ``cirq.mixedsimulator`` returns an array of the wrong
  shape ((8, 2, 2) for one visible qubit of three), so its visible states come from the exact
  visible Pauli expectation values instead;
* **precision** — cirq's simulators run in complex64 (gradients differ from default.qubit's by
  up to ~2e-6);
* **noise** — PennyLane's channels run on ``default.mixed`` and on braket's density-matrix
  backend; ``cirq.mixedsimulator`` has its own channel operations (``pennylane_cirq.ops``, the
  same parametrisations); pennylane-qiskit maps no PennyLane channel at all.

A device this table does not name gets the generic profile: exact when asked, seeded through
``seed=`` only if its constructor names that argument, its channels checked against the device's
own preprocessing before any circuit runs (:func:`plateau_pl.devices.channel_ops`).

>>> from plateau_pl.devices.profiles import profile_for
>>> profile_for("qiskit.basicsim").exact, profile_for("cirq.simulator").atol
('never', 1e-05)
>>> profile_for("some.new.device").name
'generic'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from plateau_pl._validation import check_instance

__all__ = ["PROFILES", "DeviceProfile", "profile_for"]

EXACT = ("always", "with-options", "never")
SEEDING = ("seed", "seed_simulator", "cirq-simulator", "cirq-mixed", "unseedable", "signature")
STATES = ("density_matrix", "paulis")


@dataclass(frozen=True)
class DeviceProfile:
    """How one PennyLane device computes, is seeded, gives states and applies noise."""

    name: str
    """The device's short name (``"generic"`` for devices this table does not know)."""
    exact: str = "always"
    """``"always"``: exact with ``shots=None``; ``"with-options"``: exact with
    :attr:`exact_options`; ``"never"``: it samples whatever it is told."""
    exact_options: Mapping = field(default_factory=dict)
    """Constructor options that make the device exact (``qiskit.aer``: ``method="statevector"``)."""
    seeding: str = "seed"
    """How the device takes a sampling seed: a constructor argument ``seed`` or
    ``seed_simulator``, a seeded cirq simulator, ``"unseedable"``, or ``"signature"`` (``seed``
    if the constructor names it, else unseedable)."""
    state: str = "density_matrix"
    """How an exact visible state is taken: ``qml.density_matrix`` or the visible Pauli
    expectation values."""
    atol: float = 1e-10
    """Agreement of analytic results with default.qubit (complex64 simulators: 1e-5)."""
    channel_ops: Mapping[str, str] = field(default_factory=dict)
    """Native operations replacing PennyLane's channels, as ``"module:Class"`` by channel name."""
    noise_options: Mapping = field(default_factory=dict)
    """Constructor options that let the device apply channels (braket: its ``braket_dm``
    backend), added to a device named for a :class:`~plateau_pl.models.NoisyQNN`."""
    note: str = ""
    """One line for the README's device table."""


_LIGHTNING = {"seeding": "seed", "note": "adjoint gradients; channels refused (pure states)"}
_CIRQ_OPS = {
    "depolarizing": "pennylane_cirq.ops:Depolarize",
    "amplitude_damping": "pennylane_cirq.ops:AmplitudeDamp",
    "bit_flip": "pennylane_cirq.ops:BitFlip",
    "phase_flip": "pennylane_cirq.ops:PhaseFlip",
}

PROFILES: dict[str, DeviceProfile] = {
    p.name: p
    for p in (
        DeviceProfile("default.qubit", note="backprop; broadcasting; channels refused"),
        DeviceProfile("default.mixed", note="backprop; PennyLane's channels"),
        DeviceProfile("lightning.qubit", **_LIGHTNING),
        DeviceProfile("lightning.kokkos", **_LIGHTNING),
        DeviceProfile("lightning.gpu", **_LIGHTNING),
        DeviceProfile(
            "qiskit.aer",
            exact="with-options",
            exact_options={"method": "statevector"},
            seeding="seed_simulator",
            note="exact through method='statevector'; seed_simulator; gate noise through "
            "device_options={'noise_model': ...}; PennyLane channels refused",
        ),
        DeviceProfile(
            "qiskit.basicsim",
            exact="never",
            seeding="seed_simulator",
            state="paulis",
            note="samples only (shots required); seed_simulator",
        ),
        DeviceProfile(
            "qiskit.remote",
            exact="never",
            seeding="unseedable",
            state="paulis",
            note="IBM hardware: samples only",
        ),
        DeviceProfile(
            "cirq.simulator",
            seeding="cirq-simulator",
            atol=1e-5,
            note="complex64; seeded cirq.Simulator",
        ),
        DeviceProfile(
            "cirq.mixedsimulator",
            seeding="cirq-mixed",
            state="paulis",
            atol=1e-5,
            channel_ops=_CIRQ_OPS,
            note="complex64; visible states from Pauli expectations; cirq's own channels",
        ),
        DeviceProfile(
            "braket.local.qubit",
            seeding="unseedable",
            noise_options={"backend": "braket_dm"},
            note="cannot be seeded (fresh entropy per run); channels on backend='braket_dm'",
        ),
        DeviceProfile(
            "braket.aws.qubit",
            exact="never",
            seeding="unseedable",
            state="paulis",
            note="Amazon Braket managed devices",
        ),
    )
}
"""Profiles by PennyLane short name."""

GENERIC = DeviceProfile("generic", seeding="signature", note="not profiled")


def profile_for(name: str) -> DeviceProfile:
    """The profile of the device called ``name`` (the generic one if none is known)."""
    check_instance(name, "name", str, "a device name (str)")
    return PROFILES.get(name, GENERIC)
