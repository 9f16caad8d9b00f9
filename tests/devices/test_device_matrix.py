"""Every installed PennyLane device against default.qubit, by name and by object.

Modelled on pennylane-lightning's ``tests/test_comparison.py``: the same circuits on the device
under test and on the reference, compared number by number — analytic values, gradients and
visible states to the device's stated tolerance (``DeviceProfile.atol``: 1e-10 for complex128
simulators, 1e-5 for cirq's complex64 ones), shot estimates within 4 standard errors of the exact
values (the standard error from the exact values themselves), the same seed giving the same shot
results wherever the device can be seeded, ``gradient_variance`` through the device's own path,
torch layers, and ``NoisyQNN`` against default.mixed or refused before any circuit runs.

A device is skipped only when its package is absent; the summary line ``device matrix: ran …``
(tests/conftest.py) says which ran. Install them with ``pip install -e '.[plugins]'``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pennylane as qml
import pytest

import plateau_pl as pp
from plateau_pl.devices import profile_for
from plateau_pl.errors import ConfigurationError
from plateau_pl.models.noisy import NoiseModel, NoisyQNN

DEVICES = (
    "default.mixed",
    "lightning.qubit",
    "lightning.kokkos",
    "qiskit.aer",
    "qiskit.basicsim",
    "cirq.simulator",
    "cirq.mixedsimulator",
    "braket.local.qubit",
)
"""The matrix: PennyLane's own, lightning's and every plugin simulator plateau_pl profiles."""

LAYOUT = pp.WireLayout(1, 2)
SHOTS = 4000
RAN: dict[str, set] = {}  # device → checks run, for the summary line
ABSENT: set[str] = set()  # devices skipped because their package is absent


def _installed(name: str) -> bool:
    return name in qml.plugin_devices


def _exact(name: str) -> bool:
    return profile_for(name).exact != "never"


@pytest.fixture(params=DEVICES)
def device_name(request):
    name = request.param
    if not _installed(name):
        ABSENT.add(name)
        pytest.skip(f"{name}: its package is not installed")
    RAN.setdefault(name, set()).add(request.node.originalname)
    return name


@pytest.fixture(params=["name", "object"])
def device_for(request, device_name):
    """``device_for(n_wires, shots)``: the device argument of a QNN, as a name or an object."""

    def make(n_wires, shots=None):
        if request.param == "name":
            return device_name
        options = dict(profile_for(device_name).exact_options) if shots is None else {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return qml.device(device_name, wires=n_wires, shots=shots, **options)

    make.how = request.param
    return make


def _pair(device, ansatz="random_two_local", layout=LAYOUT, **kw):
    ref = pp.QNN(layout, ansatz, device="default.qubit", seed=3, **kw)
    return ref, pp.QNN(layout, ansatz, device=device, seed=3, **kw)


def _refused(name, build) -> bool:
    """On a device that only samples, exact mode is refused before any circuit runs."""
    if _exact(name):
        return False
    with pytest.raises(ConfigurationError, match="cannot compute exact expectation values"):
        build()
    return True


def _close(a, b, name):
    """Equal to the device's stated tolerance (1e-10 complex128, 1e-5 complex64)."""
    atol = profile_for(name).atol
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=0, atol=atol)


# -- analytic ------------------------------------------------------------------------------------
def test_analytic_values_and_visible_states(device_name, device_for):
    if _refused(device_name, lambda: pp.QNN(LAYOUT, device=device_for(LAYOUT.n_wires), seed=3)):
        return
    ref, qnn = _pair(device_for(LAYOUT.n_wires))
    assert qnn.shots is None and qnn.device_name == device_name
    w = ref.init_weights(seed=1, batch=3)
    _close(qnn(w), ref(w), device_name)
    rho, rho_ref = qnn.visible_state(w), ref.visible_state(w)
    assert np.shape(rho) == (3, 2, 2)
    _close(rho, rho_ref, device_name)
    assert np.shape(qnn.visible_state(w[0])) == (2, 2)


def test_analytic_gradients(device_name, device_for):
    layout = pp.WireLayout(1, 1)
    if _refused(device_name, lambda: pp.QNN(layout, device=device_for(2), seed=3)):
        return
    ref, qnn = _pair(device_for(2), "hardware_efficient", layout, n_layers=2)
    w = ref.init_weights(seed=5)
    _close(qnn.gradient(w), ref.gradient(w), device_name)
    assert qnn.diff_method != "best"  # the method PennyLane actually uses is recorded


def test_gradient_variance_on_the_device_path(device_name):
    layout = pp.WireLayout(1, 1)
    if _refused(device_name, lambda: pp.QNN(layout, device=device_name)):
        return
    ref, qnn = _pair(device_name, "hardware_efficient", layout, n_layers=1)
    got = pp.gradient_variance(qnn, n_samples=4, seed=2, engine="device")
    want = pp.gradient_variance(ref, n_samples=4, seed=2, engine="statevector")
    _close(got.per_parameter, want.per_parameter, device_name)
    _close(got.mean_abs_gradient, want.mean_abs_gradient, device_name)


def test_torch_layer(device_name):
    layout = pp.WireLayout(1, 1)
    if _refused(device_name, lambda: pp.QNN(layout, device=device_name, interface="torch")):
        return
    ref, qnn = _pair(device_name, "hardware_efficient", layout, n_layers=1, interface="torch")
    outs = []
    for model in (ref, qnn):
        layer = model.torch_layer(seed=4)
        out = layer()
        out.backward()
        outs.append((out.detach().numpy(), layer.weights.grad.numpy()))
    _close(outs[1][0], outs[0][0], device_name)
    _close(outs[1][1], outs[0][1], device_name)


# -- shots ---------------------------------------------------------------------------------------
def test_shot_estimates_within_four_standard_errors(device_name, device_for):
    layout = pp.WireLayout(1, 1)
    ref = pp.QNN(layout, "hardware_efficient", 1, device="default.qubit", seed=3)
    shots = {"shots": SHOTS} if device_for.how == "name" else {}  # an object brings its own
    qnn = pp.QNN(layout, "hardware_efficient", 1, device=device_for(2, SHOTS), seed=3, **shots)
    assert qnn.shots == SHOTS and qnn.diff_method == "parameter-shift"
    w = ref.init_weights(seed=6)
    exact = float(ref(w))
    assert abs(float(qnn(w)) - exact) < 4 * np.sqrt((1 - exact**2) / SHOTS)
    # ∂f/∂w_k = (f(w + π/2 e_k) − f(w − π/2 e_k)) / 2, each term from SHOTS shots
    flat = np.asarray(w).ravel()
    grad, se = np.asarray(qnn.gradient(w)).ravel(), []
    for k in range(flat.size):
        shifted = [flat.copy(), flat.copy()]
        shifted[0][k] += np.pi / 2
        shifted[1][k] -= np.pi / 2
        f = [float(ref(s.reshape(ref.weight_shape))) for s in shifted]
        se.append(np.sqrt((2 - f[0] ** 2 - f[1] ** 2) / (4 * SHOTS)))
    z = (grad - np.asarray(ref.gradient(w)).ravel()) / np.maximum(se, 1e-12)
    assert np.abs(z).max() < 4, z


def test_shot_visible_state_within_four_standard_errors(device_name):
    ref, qnn = _pair(device_name, shots=SHOTS)
    w = ref.init_weights(seed=7)
    rho, rho_ref = np.asarray(qnn.visible_state(w)), np.asarray(ref.visible_state(w))
    assert rho.shape == (2, 2)
    for p in (qml.matrix(qml.X(0)), qml.matrix(qml.Y(0)), qml.matrix(qml.Z(0))):
        est, exact = np.trace(rho @ p).real, np.trace(rho_ref @ p).real
        assert abs(est - exact) < 4 * np.sqrt((1 - exact**2) / SHOTS)


def test_same_seed_same_shot_results(device_name):
    a, b, c = (pp.QNN(LAYOUT, device=device_name, seed=s, shots=200) for s in (11, 11, 12))
    w = a.init_weights(seed=1)
    record = a.to_dict()
    if a.device_seed is None:  # braket's local simulator draws from fresh entropy
        assert record["device_seed"] is None
        return
    assert record["device_seed"] == a.device_seed == b.device_seed != c.device_seed
    first, second = [float(q(w)) for q in (a, b)], [float(q(w)) for q in (a, b)]
    assert first[0] == first[1] and second[0] == second[1]
    assert first[0] != second[0]  # a seed fixes a stream: a repeated circuit gets new shots


def test_object_keeps_its_own_shots_unless_overridden(device_name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dev = qml.device(device_name, wires=LAYOUT.n_wires, shots=300)
    qnn = pp.QNN(LAYOUT, device=dev, seed=0)
    assert qnn.shots == 300 and qnn.device_seed is None
    override = pp.QNN(LAYOUT, device=dev, seed=0, shots=50)
    assert override.shots == 50
    if _refused(device_name, lambda: pp.QNN(LAYOUT, device=dev, seed=0, shots=None)):
        return
    if profile_for(device_name).exact == "always":
        assert pp.QNN(LAYOUT, device=dev, seed=0, shots=None).shots is None


# -- noise ---------------------------------------------------------------------------------------
def test_noisy_qnn_equals_default_mixed_or_is_refused(device_name):
    noise = NoiseModel("depolarizing", 0.1)
    kw = {"n_layers": 2, "noise": noise, "seed": 0}
    ref = NoisyQNN(LAYOUT, "hardware_efficient", **kw)
    try:
        qnn = NoisyQNN(LAYOUT, "hardware_efficient", device=device_name, **kw)
    except ConfigurationError as exc:
        assert device_name in str(exc)
        assert device_name not in ("default.mixed", "cirq.mixedsimulator", "braket.local.qubit")
        return
    w = ref.init_weights(seed=1)
    _close(qnn(w), ref(w), device_name)
    _close(qnn.gradient(w), ref.gradient(w), device_name)
    _close(qnn.visible_state(w), ref.visible_state(w), device_name)
    amp = NoisyQNN(
        LAYOUT, "hardware_efficient", **{**kw, "noise": NoiseModel("amplitude_damping", 0.2)}
    )
    amp_dev = NoisyQNN(
        LAYOUT,
        "hardware_efficient",
        device=device_name,
        **{**kw, "noise": NoiseModel("amplitude_damping", 0.2)},
    )
    _close(amp_dev(w), amp(w), device_name)
