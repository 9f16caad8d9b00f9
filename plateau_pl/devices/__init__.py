"""The device layer: how a model gets, seeds, trusts and reads its PennyLane device.

* :mod:`~plateau_pl.devices.profiles` — what plateau_pl knows about each device (exact mode,
  seeding, states, precision, noise), one :class:`DeviceProfile` per name;
* :mod:`~plateau_pl.devices.bind` — :func:`bind_device`: a device by name (with
  ``device_options`` and a seed taken the device's way) or by object (its own shots respected),
  everything it cannot do refused before a circuit runs;
* :mod:`~plateau_pl.devices.channels` — :func:`channel_op`: the operation that applies a noise
  channel on a device, or a clear refusal.

Imports flow one way: ``devices`` uses PennyLane only; ``models`` use ``devices``.
"""

from plateau_pl.devices.bind import (
    DEVICE_SHOTS,
    BoundDevice,
    bind_device,
    check_qubit_device,
    parse_device_options,
)
from plateau_pl.devices.channels import PENNYLANE_CHANNELS, channel_op
from plateau_pl.devices.profiles import PROFILES, DeviceProfile, profile_for

__all__ = [
    "DEVICE_SHOTS",
    "PENNYLANE_CHANNELS",
    "PROFILES",
    "BoundDevice",
    "DeviceProfile",
    "bind_device",
    "channel_op",
    "check_qubit_device",
    "parse_device_options",
    "profile_for",
]
