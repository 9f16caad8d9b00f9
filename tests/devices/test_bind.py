"""The device layer's contract: options, shots, seeds, refusals — checked on PennyLane's own
devices (always installed) and on qiskit.aer where pennylane-qiskit is."""

from __future__ import annotations

import json

import pennylane as qml
import pytest

import plateau_pl as pp
from plateau_pl.devices import bind_device, parse_device_options, profile_for
from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError

LAYOUT = pp.WireLayout(1, 1)
needs_qiskit = pytest.mark.skipif(
    "qiskit.aer" not in qml.plugin_devices, reason="pennylane-qiskit is not installed"
)


def test_by_name_shots_default_to_exact_and_seed_only_with_shots():
    exact = bind_device("default.qubit", 2)
    assert exact.shots is None and exact.seed is None
    sampled = bind_device("default.qubit", 2, shots=100, seed=5)
    again = bind_device("default.qubit", 2, shots=100, seed=5)
    other = bind_device("default.qubit", 2, shots=100, seed=6)
    assert sampled.seed == again.seed != other.seed
    rec = sampled.to_dict()
    assert rec == {
        "device": "default.qubit",
        "shots": 100,
        "device_seed": sampled.seed,
        "device_options": {},
        "device_options_added": {},
    }
    json.dumps(rec)


def test_device_object_keeps_its_shots_unless_overridden():
    dev = qml.device("default.qubit", wires=2, shots=250, seed=1)
    assert pp.QNN(LAYOUT, device=dev, seed=0).shots == 250
    assert pp.QNN(LAYOUT, device=dev, seed=0, shots=None).shots is None
    assert pp.QNN(LAYOUT, device=dev, seed=0, shots=40).shots == 40
    assert pp.QNN(LAYOUT, device=qml.device("default.qubit", wires=2), seed=0).shots is None


def test_with_structure_keeps_device_shots_and_seed():
    qnn = pp.QNN(pp.WireLayout(1, 2), device="default.qubit", shots=64, seed=2)
    other = qnn.with_structure(9)
    assert other.device is qnn.device
    assert (other.shots, other.device_seed) == (64, qnn.device_seed)


def test_device_options_reach_the_constructor_and_the_record():
    qnn = pp.QNN(LAYOUT, device="default.mixed", device_options={"readout_prob": 0.0}, seed=0)
    assert qnn.to_dict()["device_options"] == {"readout_prob": 0.0}
    with pytest.raises(ConfigurationError, match=r"does not take device_options \['bogus'\]"):
        pp.QNN(LAYOUT, device="default.qubit", device_options={"bogus": 1})


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"wires": 3}, ConfigurationError, "must not set 'wires'"),
        ({"shots": 10}, ConfigurationError, "must not set 'shots'"),
        ([("seed", 1)], PlateauTypeError, "device_options must be a dict"),
        ({1: 2}, PlateauTypeError, "keys must be strings"),
    ],
)
def test_bad_device_options_are_named(options, error, match):
    with pytest.raises(error, match=match):
        pp.QNN(LAYOUT, device="default.qubit", device_options=options)


def test_options_on_a_device_object_are_refused():
    with pytest.raises(ConfigurationError, match="apply to a device named by a string"):
        pp.QNN(LAYOUT, device=qml.device("default.qubit", wires=2), device_options={"seed": 1})


@pytest.mark.parametrize(
    ("shots", "match"), [(0, "shots must be"), ("many", "shots must be None, a positive int")]
)
def test_bad_shots_are_named(shots, match):
    with pytest.raises(PlateauError, match=match):
        pp.QNN(LAYOUT, device="default.qubit", shots=shots)


def test_unknown_device_lists_the_installed_ones():
    with pytest.raises(ConfigurationError, match=r"device 'no\.such'; installed: .*default"):
        pp.QNN(LAYOUT, device="no.such")


def test_user_seed_option_wins_and_is_recorded():
    b = bind_device("default.qubit", 2, shots=10, seed=0, options={"seed": 99})
    assert b.seed == 99 and b.options == {"seed": 99}


def test_generic_profile_seeds_only_through_a_named_seed_argument():
    assert profile_for("default.qutrit").name == "generic"
    b = bind_device("null.qubit", 2, shots=10, seed=0)  # NullQubit has no seed argument
    assert b.seed is None


def test_parse_device_options():
    got = parse_device_options(["method=statevector", "n=3", "p=0.5", "flag=True", "x=None"])
    assert got == {"method": "statevector", "n": 3, "p": 0.5, "flag": True, "x": None}
    with pytest.raises(ConfigurationError, match="KEY=VALUE; got 'method'"):
        parse_device_options(["method"])


@pytest.mark.skipif("cirq.mixedsimulator" not in qml.plugin_devices, reason="needs pennylane-cirq")
def test_wrongly_shaped_visible_state_is_an_error():
    """cirq.mixedsimulator's own density matrices have the wrong shape: plateau_pl's profile
    avoids them; forced to use them, the shape check stops the wrong state."""
    from dataclasses import replace

    qnn = pp.QNN(pp.WireLayout(1, 2), device="cirq.mixedsimulator", seed=0)
    assert qnn.visible_state(qnn.init_weights(seed=1)).shape == (2, 2)
    forced = pp.QNN(pp.WireLayout(1, 2), device="cirq.mixedsimulator", seed=0)
    forced._bound = replace(
        forced._bound, profile=replace(forced._bound.profile, state="density_matrix")
    )
    with pytest.raises(
        PlateauError, match=r"visible state of shape \(8, 2, 2\); expected \(2, 2\)"
    ):
        forced.visible_state(forced.init_weights(seed=1))


@needs_qiskit
def test_qiskit_aer_is_made_exact_or_refused():
    qnn = pp.QNN(LAYOUT, device="qiskit.aer", seed=0)
    rec = qnn.to_dict()
    assert rec["device_options"] == {} and rec["device_options_added"] == {"method": "statevector"}
    with pytest.raises(ConfigurationError, match="method='automatic' samples"):
        pp.QNN(LAYOUT, device="qiskit.aer", device_options={"method": "automatic"})
    with pytest.raises(ConfigurationError, match="build it with method='statevector'"):
        pp.QNN(LAYOUT, device=qml.device("qiskit.aer", wires=2))
    sampled = pp.QNN(LAYOUT, device="qiskit.aer", shots=100, seed=0)
    assert sampled.device_seed is not None and sampled.to_dict()["device_options_added"] == {}


@needs_qiskit
def test_qiskit_noise_model_passes_through_device_options():
    from qiskit_aer import noise

    nm = noise.NoiseModel()
    nm.add_all_qubit_quantum_error(noise.depolarizing_error(0.2, 1), ["ry", "rz"])
    noisy = pp.QNN(
        LAYOUT,
        "hardware_efficient",
        1,
        device="qiskit.aer",
        shots=4000,
        seed=0,
        device_options={"noise_model": nm},
    )
    clean = pp.QNN(LAYOUT, "hardware_efficient", 1, device="default.qubit", seed=0)
    w = clean.init_weights(seed=3)
    assert isinstance(noisy.to_dict()["device_options"]["noise_model"], str)
    # depolarising gate noise pulls ⟨Z⟩ towards 0
    assert abs(float(noisy(w))) < abs(float(clean(w)))
