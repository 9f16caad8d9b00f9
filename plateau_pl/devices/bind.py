"""Bind a device to a model: build it by name with options and a seed, or take the user's object.

:func:`bind_device` is the one place where a :class:`~plateau_pl.models.QNN` gets its device. It
returns a :class:`BoundDevice`: the PennyLane device, its :class:`~plateau_pl.devices.profiles.
DeviceProfile`, the shots the model runs with, the sampling seed the device was given (``None``
where it cannot be seeded) and the constructor options used. Everything a device cannot do is
refused here, before any circuit runs: exact mode on a device that samples, options on a device
object, a seed option of the wrong kind.

>>> from plateau_pl.devices import bind_device
>>> b = bind_device("default.qubit", 2, shots=100, seed=7)
>>> b.name, b.shots, b.seed is not None, b.to_dict()["device_options"]
('default.qubit', 100, True, {})
>>> bind_device("default.qubit", 2, seed=7).seed is None  # exact: no sampling seed needed
True
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pennylane as qml
from pennylane.exceptions import DeviceError

from plateau_pl._validation import check_bool, check_int, check_memory
from plateau_pl.devices.profiles import DeviceProfile, profile_for
from plateau_pl.errors import ConfigurationError, PlateauTypeError
from plateau_pl.quantum._sizes import product

__all__ = [
    "DEVICE_SHOTS",
    "BoundDevice",
    "bind_device",
    "check_qubit_device",
    "parse_device_options",
]

DEVICE_SHOTS = "device"
"""The default of a model's ``shots``: the device's own (``None`` for a device made by name)."""

_RESERVED = ("wires", "shots")
_SEED_KEYS = ("seed", "seed_simulator", "simulator")
_BYTES_PER_WIRE = 128  # a device's Wires: a Python int and its entries in a tuple and an index
MAX_SHOTS = 2**63 - 1
"""The most shots a model takes: devices count shots in 64-bit integers."""


@dataclass(frozen=True)
class BoundDevice:
    """A PennyLane device as a model uses it."""

    device: qml.devices.Device
    """The PennyLane device."""
    name: str
    """Its short name (``"qiskit.aer"``)."""
    profile: DeviceProfile
    """What plateau_pl knows about it."""
    shots: int | None
    """The shots every circuit of the model runs with (``None``: exact)."""
    seed: int | None
    """The sampling seed the device was given; ``None`` when exact, when the device cannot be
    seeded, or when it is the user's own object (seeded, or not, by the user)."""
    user_options: Mapping = field(default_factory=dict)
    """The constructor options the user gave (``device_options``)."""
    added_options: Mapping = field(default_factory=dict)
    """The constructor options plateau_pl added: for exact mode (``qiskit.aer``:
    ``method="statevector"``) or for channels (braket: ``backend="braket_dm"``)."""

    @property
    def options(self) -> dict:
        """Every constructor option used (the sampling seed aside)."""
        return {**self.user_options, **self.added_options}

    def to_dict(self) -> dict:
        """Record fields: ``device``, ``shots``, ``device_seed``, ``device_options`` (the
        user's) and ``device_options_added`` (plateau_pl's)."""
        return {
            "device": self.name,
            "shots": self.shots,
            "device_seed": self.seed,
            "device_options": _json_dict(self.user_options),
            "device_options_added": _json_dict(self.added_options),
        }


def bind_device(
    device,
    n_wires: int,
    *,
    shots=DEVICE_SHOTS,
    seed: int = 0,
    options: Mapping | None = None,
    noisy: bool = False,
) -> BoundDevice:
    """Build (by name) or check (an object) the device a model runs on.

    Args:
        device: a PennyLane device name, a PennyLane device, or a :class:`BoundDevice`.
        n_wires: wires the model needs (``0 .. n_wires - 1``).
        shots: ``"device"`` (the device's own: ``None`` for a name), ``None`` (exact) or an int.
        seed: the model's seed; the device's sampling seed derives from it.
        options: constructor options of a device named by a string (``{"method": "statevector"}``,
            ``{"noise_model": nm}``); refused for a device object, which carries its own.
        noisy: the model applies channels: add the profile's :attr:`noise_options`.
    """
    options = _check_options(options)
    n_wires = check_int(n_wires, "n_wires", minimum=1)
    check_memory(
        product(_BYTES_PER_WIRE, n_wires),
        f"the {n_wires} wire labels of the device",
        "use fewer qubits (the Pauli-path engine, engine='pauli', needs no device)",
    )
    seed = check_int(seed, "seed", minimum=0)
    noisy = check_bool(noisy, "noisy")
    if isinstance(device, BoundDevice):
        _no_options(options, device.name)
        return _rebind(device, n_wires, shots)
    if isinstance(device, str):
        return _build(device, n_wires, _check_shots(shots, None, n_wires), seed, options, noisy)
    if not isinstance(device, qml.devices.Device):
        raise PlateauTypeError(
            f"device must be a device name or a PennyLane device; got {type(device).__name__}"
        )
    _no_options(options, device.name)
    return _adopt(device, n_wires, shots)


def parse_device_options(items) -> dict:
    """``["method=statevector", "shots_per_job=2"]`` → ``{"method": "statevector", ...}``.

    Values are Python literals where they parse as one (``2``, ``0.5``, ``True``, ``None``,
    also ``true``/``false``/``none``), else strings — the CLI's ``--device-option KEY=VALUE``.

    >>> parse_device_options(["method=statevector", "max_parallel_threads=1", "fusion=false"])
    {'method': 'statevector', 'max_parallel_threads': 1, 'fusion': False}
    """
    if items is None:
        return {}
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise PlateauTypeError(
            f"items must be a list of KEY=VALUE strings; got {items!r:.80} ({type(items).__name__})"
        )
    out = {}
    for item in items:
        key, sep, raw = str(item).partition("=")
        if not sep or not key.strip():
            raise ConfigurationError(f"--device-option must be KEY=VALUE; got {item!r}")
        raw = raw.strip()
        lowered = {"true": True, "false": False, "none": None}
        if raw.lower() in lowered:
            out[key.strip()] = lowered[raw.lower()]
            continue
        try:
            out[key.strip()] = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            out[key.strip()] = raw
    return out


# -- by name -----------------------------------------------------------------------------------
def _build(name, n_wires, shots, seed, options, noisy) -> BoundDevice:
    check_qubit_device(name)
    profile = profile_for(name)
    added = {}
    if noisy:
        added.update({k: v for k, v in profile.noise_options.items() if k not in options})
    if shots is None:
        added.update(_exact_options(profile, options))
    device_seed, seeding, post = None, {}, None
    if shots is not None:
        device_seed, seeding, post = _seed_options(profile, name, options, seed)
    try:
        dev = qml.device(name, wires=n_wires, **options, **added, **seeding)
    except TypeError as exc:
        raise ConfigurationError(
            f"device {name!r} does not take device_options {sorted(options)}: {exc}"
        ) from exc
    except (ValueError, DeviceError) as exc:  # e.g. more wires than the device simulates
        raise ConfigurationError(
            f"device {name!r} refused {n_wires} wires with options {sorted(options)}: {exc}"
        ) from exc
    if post is not None:
        post(dev)
    return BoundDevice(dev, name, profile, shots, device_seed, options, added)


def _exact_options(profile: DeviceProfile, options: Mapping) -> dict:
    """The options to add for exact mode (or a refusal)."""
    if profile.exact == "never":
        raise ConfigurationError(
            f"device {profile.name!r} cannot compute exact expectation values (it samples, and "
            "would turn shots=None into an estimate); pass shots=N, or use an exact simulator"
        )
    for key, value in profile.exact_options.items():
        if options.get(key, value) != value:
            raise ConfigurationError(
                f"device {profile.name!r} with device_options {key}={options[key]!r} samples; "
                f"exact mode (shots=None) needs {key}={value!r}, or pass shots=N"
            )
    return {k: v for k, v in profile.exact_options.items() if k not in options}


def _seed_options(profile: DeviceProfile, name: str, options: dict, seed: int):
    """``(device seed, extra constructor options, post-construction hook)`` for ``profile``."""
    given = [k for k in _SEED_KEYS if k in options]
    if given:  # the user seeded the device: record their seed where it is a number
        value = options[given[0]]
        return (int(value) if isinstance(value, (int, np.integer)) else None), {}, None
    device_seed = int(np.random.SeedSequence([seed, 1]).generate_state(1)[0])
    how = profile.seeding
    if how == "signature":
        how = "seed" if _names_seed(name) else "unseedable"
    if how == "seed":
        return device_seed, {"seed": device_seed}, None
    if how == "seed_simulator":
        if options.get("method") in ("statevector", "unitary"):
            return None, {}, None  # state backends sample with numpy's global generator
        return device_seed, {}, functools.partial(_seed_qiskit_jobs, seed=device_seed)
    if how == "cirq-simulator":
        cirq = importlib.import_module("cirq")
        return device_seed, {"simulator": cirq.Simulator(seed=device_seed)}, None
    if how == "cirq-mixed":
        return device_seed, {}, functools.partial(_seed_cirq_mixed, seed=device_seed)
    return None, {}, None


class _JobSeeds(Mapping):
    """A qiskit device's run options with a fresh ``seed_simulator`` each time they are read.

    pennylane-qiskit calls ``backend.run(circuits, shots=..., **run_args)`` once per job. A
    fixed ``seed_simulator`` would give every job the same random numbers — repeated circuits
    the same samples, and the shot noise of different draws correlated (measured: the RMS
    deviation of basicsim's visible-state estimates rose to 1.3 standard errors). Reading the
    options draws the next seed from a generator seeded once, so a seed fixes the whole stream,
    as on PennyLane's own devices.
    """

    def __init__(self, options: Mapping, seed: int):
        self._options = dict(options)
        self._rng = np.random.default_rng(seed)

    def __getitem__(self, key):
        if key == "seed_simulator":
            return int(self._rng.integers(2**31 - 1))
        return self._options[key]

    def __iter__(self):
        yield from self._options
        yield "seed_simulator"

    def __len__(self) -> int:
        return len(self._options) + 1


def _seed_qiskit_jobs(dev, seed: int) -> None:
    target = getattr(dev, "target_device", dev)
    if not isinstance(getattr(target, "run_args", None), dict):
        raise ConfigurationError(f"{dev.name} changed: no run options to seed (run_args)")
    target.run_args = _JobSeeds(target.run_args, seed)


def _seed_cirq_mixed(dev, seed: int) -> None:
    """pennylane-cirq's mixed-state device builds an unseeded ``cirq.DensityMatrixSimulator``
    and takes no simulator argument; replace it by a seeded one of the same class."""
    target = getattr(dev, "target_device", dev)
    sim = getattr(target, "_simulator", None)
    if sim is None:
        raise ConfigurationError("cirq.mixedsimulator changed: no simulator to seed")
    target._simulator = type(sim)(seed=seed)


@functools.cache
def _names_seed(name: str) -> bool:
    """Whether the device class's constructor has a ``seed`` parameter of its own (braket's
    takes ``**run_kwargs`` and passes an unknown ``seed`` on to every run)."""
    try:
        cls = qml.plugin_devices[name].load()
        return "seed" in inspect.signature(cls.__init__).parameters
    except Exception:  # an entry point that cannot be inspected: unseeded
        return False


# -- a device object ---------------------------------------------------------------------------
def _adopt(dev, n_wires: int, shots) -> BoundDevice:
    if dev.wires is not None and not set(range(n_wires)) <= set(dev.wires.tolist()):
        raise ConfigurationError(
            f"device must have wires 0..{n_wires - 1} for this layout; got {dev.wires.tolist()}"
        )
    name = dev.name
    if name in qml.plugin_devices:
        check_qubit_device(name)
    profile = profile_for(name)
    shots = _check_shots(shots, dev.shots.total_shots if dev.shots else None, n_wires)
    if shots is None:
        _check_exact_object(dev, profile)
    return BoundDevice(dev, name, profile, shots, None)


def _rebind(bound: BoundDevice, n_wires: int, shots) -> BoundDevice:
    shots = _check_shots(shots, bound.shots, n_wires)
    if shots == bound.shots:
        return bound
    again = _adopt(bound.device, n_wires, shots)
    return replace(bound, shots=again.shots, seed=bound.seed if again.shots else None)


def _check_exact_object(dev, profile: DeviceProfile) -> None:
    if profile.exact == "never":
        _exact_options(profile, {})
    target = getattr(dev, "target_device", None)
    if profile.exact == "with-options" and target is not None:
        if not target.capabilities().get("returns_state", False):
            raise ConfigurationError(
                f"this {profile.name!r} device samples (its backend returns no state), so "
                "shots=None would be an estimate; build it with "
                + ", ".join(f"{k}={v!r}" for k, v in profile.exact_options.items())
                + " or pass shots=N"
            )


# -- checks ------------------------------------------------------------------------------------
def check_qubit_device(name: str) -> str:
    """Return ``name`` if it is an installed PennyLane device of qubits; refuse it otherwise.

    Qutrit and qudit devices (by name) and devices whose class declares another model
    (``default.gaussian``: ``"cv"``, continuous variables) are refused, since plateau_pl's
    models are qubit circuits. Only the device's class is loaded, nothing is constructed.

    **Example**

    >>> check_qubit_device("default.qubit")
    'default.qubit'
    >>> check_qubit_device("default.gaussian")
    Traceback (most recent call last):
        ...
    plateau_pl.errors.ConfigurationError: device 'default.gaussian' simulates cv systems; ...
    """
    if not isinstance(name, str):
        raise ConfigurationError(f"device must be a PennyLane device name; got {name!r}")
    if name not in qml.plugin_devices:
        raise ConfigurationError(
            f"unknown device {name!r}; installed: {', '.join(sorted(qml.plugin_devices))}"
        )
    kind = next((k for k in ("qutrit", "qudit") if k in name), None) or _declared_model(name)
    if kind not in (None, "qubit"):
        raise ConfigurationError(
            f"device {name!r} simulates {kind} systems; plateau_pl's models are qubit "
            "circuits: use a qubit device (default.qubit, lightning.qubit, ...)"
        )
    return name


def _declared_model(name: str) -> str | None:
    """The ``model`` a legacy device class declares (``"qubit"``, ``"cv"``, ``"qutrit"``)."""
    try:
        cls = qml.plugin_devices[name].load()
        capabilities = getattr(cls, "capabilities", None)
        declared = (
            capabilities()
            if isinstance(inspect.getattr_static(cls, "capabilities", None), classmethod)
            else None
        )
    except Exception:  # a plugin that cannot load is reported when it is constructed
        return None
    return declared.get("model") if isinstance(declared, dict) else None


def _check_shots(shots, device_default, n_wires: int):
    """``None``, the device's own (``"device"``) or an int in ``1 .. MAX_SHOTS`` whose samples
    (``shots × n_wires`` 64-bit integers per circuit on PennyLane's simulators) fit in memory."""
    if isinstance(shots, str):
        if shots != DEVICE_SHOTS:
            raise ConfigurationError(
                f"shots must be None, a positive int or {DEVICE_SHOTS!r}; got {shots!r}"
            )
        return device_default
    if shots is None:
        return None
    shots = check_int(shots, "shots", minimum=1)
    if shots > MAX_SHOTS:
        raise ConfigurationError(f"shots must be an integer <= 2**63 - 1; got {shots}")
    check_memory(
        product(8, shots, n_wires),
        f"the {shots} samples of {n_wires} wires a circuit draws",
        "use fewer shots (the shot noise falls only as 1/sqrt(shots)), or shots=None for exact "
        "values",
    )
    return shots


def _check_options(options) -> dict:
    if options is None:
        return {}
    if not isinstance(options, Mapping):
        raise PlateauTypeError(
            f"device_options must be a dict of constructor options; got {type(options).__name__}"
        )
    for key in options:
        if not isinstance(key, str):
            raise PlateauTypeError(f"device_options keys must be strings; got {key!r}")
        if key in _RESERVED:
            raise ConfigurationError(
                f"device_options must not set {key!r}: plateau_pl sets the wires from the "
                "layout and the shots from the model's shots argument"
            )
    return dict(options)


def _no_options(options: dict, name: str) -> None:
    if options:
        raise ConfigurationError(
            f"device_options {sorted(options)} apply to a device named by a string; this "
            f"{name!r} device is an object already built — pass its options to qml.device"
        )


def _json_dict(options: Mapping) -> dict:
    return {k: _json_safe(v) for k, v in sorted(options.items())}


def _json_safe(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)) and all(
        isinstance(v, (bool, int, float, str)) for v in value
    ):
        return list(value)
    return repr(value)
