"""The statevector engine (adjoint kernels, numba and torch backends) against PennyLane."""

from __future__ import annotations

import numpy as np
import pennylane as qml
import pytest
import torch

import plateau_pl as pp
from plateau_pl.diagnostics import ensembles as ens
from plateau_pl.engines import StatevectorEngine, UnsupportedCircuit, build_program
from plateau_pl.engines.autograd import AutogradEngine
from plateau_pl.errors import ConfigurationError, ResourceError

BACKENDS = ["numba", "torch"]
CASES = [
    ("random_two_local", 1, 3, 1, qml.Y(0)),
    ("random_two_local", 2, 2, 2, qml.X(0) @ qml.Z(1)),
    ("mcclean", 2, 2, 4, qml.Z(0) @ qml.Z(1)),
    ("hardware_efficient", 2, 1, 2, qml.Hadamard(1)),
    ("area_law", 2, 3, 2, qml.Y(1)),
    ("identity_blocks", 1, 2, 2, qml.X(0)),
]


def _reference(qnn, w, inputs=None):
    xs = [None] * len(w) if inputs is None else inputs
    values = np.array([float(qnn(a, x)) for a, x in zip(w, xs, strict=True)])
    grads = np.stack([qnn.gradient(a, x) for a, x in zip(w, xs, strict=True)])
    states = np.stack([np.asarray(qnn.visible_state(a, x)) for a, x in zip(w, xs, strict=True)])
    return values, grads, states


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("ansatz, n_v, n_h, n_layers, obs", CASES)
def test_engine_matches_lightning_adjoint(backend, ansatz, n_v, n_h, n_layers, obs):
    qnn = pp.QNN(
        pp.WireLayout(n_v, n_h), ansatz, n_layers, observable=obs, device="lightning.qubit", seed=4
    )
    w = np.asarray(qnn.init_weights(seed=1, batch=4))
    values, grads, states = _reference(qnn, w)
    engine = StatevectorEngine(qnn, backend=backend)
    v, g = engine.values_and_gradients(w)
    np.testing.assert_allclose(v, values, atol=1e-12)
    np.testing.assert_allclose(g, grads, atol=1e-12)
    np.testing.assert_allclose(engine.values(w), values, atol=1e-12)
    np.testing.assert_allclose(engine.visible_states(w), states, atol=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("ansatz", ["mcclean", "random_two_local", "identity_blocks"])
def test_redrawn_structures_match_one_qnn_per_draw(backend, ansatz):
    qnn = pp.QNN(pp.WireLayout(2, 1), ansatz, 2, device="default.qubit", seed=0)
    engine = StatevectorEngine(qnn, backend=backend)
    sv = ens.qnn_gradients(qnn, 5, seed=2, resample_structure=True, engine=engine)[0]
    dev = ens.qnn_gradients(qnn, 5, seed=2, resample_structure=True, engine="device")[0]
    np.testing.assert_allclose(sv, dev, atol=1e-12)
    s_sv = ens.qnn_visible_states(qnn, 5, 2, resample_structure=True, engine=engine)
    s_dev = ens.qnn_visible_states(qnn, 5, 2, resample_structure=True, engine="device")
    np.testing.assert_allclose(s_sv, s_dev, atol=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_data_inputs_through_the_embedding(backend):
    def embedding(x, wires):
        qml.AngleEmbedding(x, wires=wires, rotation="X")

    qnn = pp.QNN(
        pp.WireLayout(2, 1),
        "hardware_efficient",
        embedding=embedding,
        device="default.qubit",
        seed=0,
    )
    w = np.asarray(qnn.init_weights(seed=1, batch=3))
    x = np.random.default_rng(0).uniform(0, 3, (3, 2))
    values, grads, states = _reference(qnn, w, x)
    engine = StatevectorEngine(qnn, backend=backend)
    v, g = engine.values_and_gradients(w, inputs=x)
    np.testing.assert_allclose(v, values, atol=1e-12)
    np.testing.assert_allclose(g, grads, atol=1e-12)
    np.testing.assert_allclose(engine.visible_states(w, inputs=x), states, atol=1e-12)
    with pytest.raises(ConfigurationError, match="inputs are required"):
        engine.values(w)


@pytest.mark.filterwarnings("ignore::numpy.exceptions.ComplexWarning")  # PennyLane's reference
def test_user_templates_and_fixed_gates():
    """StronglyEntanglingLayers (Rot, CNOT) and a template with CRX, SWAP, Toffoli, S, T."""
    layout = pp.WireLayout(1, 2)
    sel = pp.QNN(layout, qml.StronglyEntanglingLayers, n_layers=2, device="default.qubit", seed=0)

    def tmpl(w, wires):
        qml.Hadamard(wires[0])
        qml.CRX(w[..., 0], wires=wires[:2])
        qml.SWAP(wires=wires[1:])
        qml.Toffoli(wires=wires)
        qml.S(wires[2])
        qml.T(wires[1])
        qml.IsingYY(w[..., 1], wires=wires[1:])
        qml.MultiRZ(w[..., 2], wires=wires)
        qml.PhaseShift(w[..., 3], wires=wires[0])
        qml.RY(0.3, wires=wires[2])

    custom = pp.QNN(layout, (tmpl, (4,)), device="default.qubit", seed=0)
    for qnn in (sel, custom):
        w = np.asarray(qnn.init_weights(seed=2, batch=3))
        values, grads, _ = _reference(qnn, w)
        v, g = StatevectorEngine(qnn).values_and_gradients(w)
        np.testing.assert_allclose(v, values, atol=1e-12)
        np.testing.assert_allclose(g, grads, atol=1e-12)


def test_tiles_do_not_change_results():
    """Blocks of 2, 8 and 2^12 amplitudes give the same numbers (the block-local runs)."""
    qnn = pp.QNN(
        pp.WireLayout(2, 4),
        "mcclean",
        3,
        observable=qml.Z(0) @ qml.Z(1),
        device="default.qubit",
        seed=1,
    )
    w = np.asarray(qnn.init_weights(seed=0, batch=3))
    ref = StatevectorEngine(qnn, tile_bits=12).values_and_gradients(w)
    for bits in (1, 3):
        out = StatevectorEngine(qnn, tile_bits=bits).values_and_gradients(w)
        np.testing.assert_allclose(out[0], ref[0], atol=1e-13)
        np.testing.assert_allclose(out[1], ref[1], atol=1e-13)


def test_threads_give_identical_numbers():
    qnn = pp.QNN(pp.WireLayout(2, 3), "mcclean", 4, device="default.qubit", seed=1)
    w = np.asarray(qnn.init_weights(seed=0, batch=7))
    structures = [qnn.ansatz.redraw(s) for s in range(7)]
    one = StatevectorEngine(qnn, threads=1).values_and_gradients(w, structures)
    three = StatevectorEngine(qnn, threads=3).values_and_gradients(w, structures)
    assert np.array_equal(one[0], three[0]) and np.array_equal(one[1], three[1])
    states = StatevectorEngine(qnn, threads=3).visible_states(w, structures)
    assert np.array_equal(states, StatevectorEngine(qnn, threads=1).visible_states(w, structures))


def test_torch_chunks_do_not_change_results(monkeypatch):
    from plateau_pl.engines import _torch_kernels

    qnn = pp.QNN(pp.WireLayout(1, 3), "random_two_local", device="default.qubit", seed=0)
    w = np.asarray(qnn.init_weights(seed=0, batch=7))
    whole = StatevectorEngine(qnn, backend="torch").values_and_gradients(w)[1]
    monkeypatch.setattr(_torch_kernels.TorchBackend, "_chunk_size", lambda self, n: 2)
    np.testing.assert_allclose(
        StatevectorEngine(qnn, backend="torch").values_and_gradients(w)[1], whole, atol=1e-14
    )


def test_adjoint_equals_autograd_at_eight_qubits():
    qnn = pp.QNN(
        pp.WireLayout(2, 6),
        "mcclean",
        8,
        observable=qml.Z(0) @ qml.Z(1),
        device="default.qubit",
        seed=5,
    )
    w = np.asarray(qnn.init_weights(seed=6, batch=6))
    v_ad, g_ad = StatevectorEngine(qnn).values_and_gradients(w)
    v_ag, g_ag = AutogradEngine(qnn).values_and_gradients(w)
    np.testing.assert_allclose(v_ad, v_ag, atol=1e-12)
    np.testing.assert_allclose(g_ad, g_ag, atol=1e-12)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_equals_cpu():
    qnn = pp.QNN(
        pp.WireLayout(2, 8),
        "mcclean",
        10,
        observable=qml.Z(0) @ qml.Z(1),
        device="default.qubit",
        seed=5,
    )
    w = np.asarray(qnn.init_weights(seed=6, batch=20))
    cpu = StatevectorEngine(qnn).values_and_gradients(w)[1]
    gpu = StatevectorEngine(qnn, device="cuda").values_and_gradients(w)[1]
    np.testing.assert_allclose(gpu, cpu, atol=1e-12)


def test_refuses_a_state_larger_than_memory(monkeypatch):
    monkeypatch.setenv("PLATEAU_PL_MAX_BYTES", str(2**30))
    qnn = pp.QNN(pp.WireLayout(1, 25), "hardware_efficient", 1, device="default.qubit", seed=0)
    with pytest.raises(ResourceError, match=r"26 qubits .* would need 3 GiB"):
        StatevectorEngine(qnn)


def test_programs_and_clear_refusals():
    qnn = pp.QNN(pp.WireLayout(1, 1), "hardware_efficient", 1, device="default.qubit", seed=0)
    prog = build_program(qnn)
    assert prog.n_params == 4 and set(prog.pidx[0][prog.pidx[0] >= 0]) == {0, 1, 2, 3}

    def nonlinear(w, wires):
        qml.RX(w[..., 0] ** 2, wires=wires[0])

    bad = pp.QNN(pp.WireLayout(1, 1), (nonlinear, (1,)), device="default.qubit", seed=0)
    with pytest.raises(UnsupportedCircuit, match="RX"):
        StatevectorEngine(bad)
    assert pp.engines.select_engine(bad).name == "autograd"  # auto falls back
    shots = pp.QNN(pp.WireLayout(1, 1), device="default.qubit", seed=0, shots=10)
    with pytest.raises(ConfigurationError, match=r"shots=None.*use engine='device'"):
        pp.engines.select_engine(shots, "statevector")
    with pytest.raises(ConfigurationError, match="numba backend runs on the CPU only"):
        StatevectorEngine(qnn, device="cuda", backend="numba")
    with pytest.raises(ConfigurationError, match=r"weights must have shape \(batch"):
        StatevectorEngine(qnn).values(np.zeros((2, 3)))
