"""Noise channels on a bound device: PennyLane's, or the device's own native operations.

:func:`channel_op` answers, before any circuit runs, how a :class:`~plateau_pl.models.NoisyQNN`
applies its channel on a device: PennyLane's channel class where the device accepts it
(``default.mixed``, braket's ``braket_dm`` backend), the device's native operation where its
profile names one (``cirq.mixedsimulator``: ``pennylane_cirq.ops.Depolarize`` and friends, with
PennyLane's parametrisation), or a :class:`~plateau_pl.errors.ConfigurationError` naming the
device. Acceptance is the device's own answer: its operation set (plugins on PennyLane's legacy
interface) or its preprocessing run on a one-channel tape (every other device).

>>> import pennylane as qml
>>> from plateau_pl.devices import bind_device, channel_op
>>> channel_op(bind_device("default.mixed", 1), "depolarizing") is qml.DepolarizingChannel
True
"""

from __future__ import annotations

import importlib

import pennylane as qml

from plateau_pl._validation import check_choice, check_instance
from plateau_pl.devices.bind import BoundDevice
from plateau_pl.errors import ConfigurationError

__all__ = ["PENNYLANE_CHANNELS", "channel_op"]

PENNYLANE_CHANNELS = {
    "depolarizing": qml.DepolarizingChannel,
    "amplitude_damping": qml.AmplitudeDamping,
    "bit_flip": qml.BitFlip,
    "phase_flip": qml.PhaseFlip,
}
"""PennyLane's single-qubit channels by plateau_pl's channel names."""


def channel_op(bound: BoundDevice, channel: str):
    """The operation class that applies ``channel`` (``op(p, wires=w)``) on ``bound``."""
    check_instance(bound, "bound", BoundDevice, "a BoundDevice (plateau_pl.devices.bind_device)")
    check_choice(channel, "channel", PENNYLANE_CHANNELS)
    native = bound.profile.channel_ops.get(channel)
    op = _load(native) if native else PENNYLANE_CHANNELS[channel]
    if not _accepts(bound.device, op(0.1, wires=bound.device.wires[0])):
        hint = (
            f" (device_options {dict(bound.profile.noise_options)} select its density-matrix "
            "backend)"
            if bound.profile.noise_options
            else ""
        )
        raise ConfigurationError(
            f"device {bound.name!r} cannot apply the {channel} channel {op.__name__}{hint}; "
            "NoisyQNN needs a mixed-state simulator: default.mixed, cirq.mixedsimulator, or "
            "braket.local.qubit"
        )
    return op


def _load(path: str):
    module, _, name = path.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except ImportError as exc:
        raise ConfigurationError(f"the native channel {path} needs {module}: {exc}") from exc


def _accepts(dev, op) -> bool:
    target = getattr(dev, "target_device", None)
    if target is not None and hasattr(target, "operations"):  # PennyLane's legacy interface
        return op.name in target.operations
    tape = qml.tape.QuantumScript([op], [qml.expval(qml.Z(op.wires[0]))])
    try:
        dev.preprocess_transforms()((tape,))
    except (qml.exceptions.DeviceError, qml.exceptions.DecompositionUndefinedError):
        return False
    return True
