"""Validation at the public boundary of models, quantum, hamiltonians, circuits, engines, devices.

Every bad input is refused early by the public function with a member of the
:class:`~plateau_pl.errors.PlateauError` family whose message names the argument; sizes that
would not fit are refused (:class:`~plateau_pl.errors.ResourceError`) before anything is
allocated. The memory limit is pinned (``$PLATEAU_PL_MAX_BYTES``) so that the refusals do not
depend on the machine; valid edge cases (a 1000-qubit QNN on the Pauli-path engine, a QBM at a
huge finite beta) still work.
"""

from __future__ import annotations

import numpy as np
import pennylane as qml
import pytest
import torch

import plateau_pl as pp
from plateau_pl.circuits import make_ansatz
from plateau_pl.devices import bind_device, channel_op
from plateau_pl.engines import PauliPathEngine, QBMEngine, StatevectorEngine, select_engine
from plateau_pl.errors import (
    ConfigurationError,
    InvalidMatrixError,
    PlateauError,
    PlateauTypeError,
    ResourceError,
    ShapeError,
)
from plateau_pl.hamiltonians import PauliTerm, from_terms, random_two_local, transverse_ising
from plateau_pl.models.gibbs import check_hamiltonian_matrix, gibbs_state
from plateau_pl.models.qbm import trace_hidden
from plateau_pl.models.torch_layer import QNNLayer
from plateau_pl.quantum import is_density_matrix, maximally_mixed, purity
from plateau_pl.quantum.paulis import pauli_matrix

LIMIT = 2**32  # 4 GiB: every refusal below asks for more, every valid case for far less


@pytest.fixture(autouse=True)
def _memory_limit(monkeypatch):
    monkeypatch.setenv("PLATEAU_PL_MAX_BYTES", str(LIMIT))


@pytest.fixture(scope="module")
def layout():
    return pp.WireLayout(1, 2)


@pytest.fixture(scope="module")
def qnn(layout):
    return pp.QNN(layout, device="default.qubit", seed=0)


@pytest.fixture(scope="module")
def hamiltonian(layout):
    return random_two_local(layout, seed=1)


@pytest.fixture(scope="module")
def qbm(layout, hamiltonian):
    return pp.QBM(layout, hamiltonian)


# -- complex inputs ------------------------------------------------------------------------------
def test_qnn_refuses_complex_numpy_weights(qnn):
    w = np.asarray(qnn.init_weights(seed=0))
    with pytest.raises(PlateauTypeError, match="weights must be real; got a complex array"):
        qnn(w + 1j)
    with pytest.raises(PlateauTypeError, match="weights must be real"):
        qnn.gradient(w + 1j)


def test_qnn_refuses_complex_torch_weights(layout):
    qnn = pp.QNN(layout, "hardware_efficient", 1, device="default.qubit", seed=0, interface="torch")
    w = qnn.init_weights(seed=0)
    with pytest.raises(PlateauTypeError, match="weights must be real; got a complex tensor"):
        qnn(w + 1j)
    with pytest.raises(PlateauTypeError, match="weights must be real"):
        QNNLayer(qnn, weights=w.to(torch.complex128))


def test_qbm_refuses_complex_theta(layout, hamiltonian, qbm):
    with pytest.raises(PlateauTypeError, match="theta must be real"):
        pp.QBM(layout, hamiltonian, theta=hamiltonian.coeffs + 1j)
    with pytest.raises(PlateauTypeError, match="theta must be real; got a complex tensor"):
        qbm(torch.as_tensor(hamiltonian.coeffs) + 1j)


def test_hamiltonian_matrix_refuses_complex_theta(hamiltonian):
    with pytest.raises(PlateauTypeError, match="theta must be real; got a complex array"):
        hamiltonian.matrix(hamiltonian.coeffs + 1j)
    with pytest.raises(PlateauTypeError, match="theta must be real; got a complex tensor"):
        hamiltonian.matrix(torch.as_tensor(hamiltonian.coeffs) + 1j)


def test_pauli_term_refuses_a_complex_factor():
    with pytest.raises(PlateauTypeError, match="factor must be a real number; got the complex 1j"):
        PauliTerm("Z", (0,), 0, factor=1j)
    with pytest.raises(PlateauTypeError, match="fields must be real"):
        transverse_ising(pp.WireLayout(1, 1), fields=1j, seed=0)


# -- NaN, inf, overflow, empty -------------------------------------------------------------------
def test_hamiltonian_matrix_refuses_nan_theta(hamiltonian):
    with pytest.raises(PlateauError, match="theta must be finite; got 36 NaN entries"):
        hamiltonian.matrix(np.full(hamiltonian.n_params, np.nan))


def test_qbm_refuses_nan_theta_in_forward_and_constructor(layout, hamiltonian, qbm):
    nan = torch.full((hamiltonian.n_params,), float("nan"), dtype=torch.float64)
    with pytest.raises(PlateauError, match="theta must be finite"):
        qbm(nan)
    with pytest.raises(PlateauError, match="theta must be finite"):
        pp.QBM(layout, hamiltonian, theta=nan)


def test_qbm_refuses_a_beta_that_overflows(layout, hamiltonian):
    qbm = pp.QBM(layout, hamiltonian, beta=1e308)  # finite: accepted, but β·H overflows
    with pytest.raises(PlateauError, match=r"beta·scale·H\(theta\) overflows.*beta=1e\+308"):
        qbm()
    with pytest.raises(PlateauError, match="beta"):
        QBMEngine(qbm).values(hamiltonian.coeffs[None])
    with pytest.raises(ConfigurationError, match="beta must be a finite number > 0; got inf"):
        pp.QBM(layout, hamiltonian, beta=float("inf"))


def test_qbm_at_a_huge_finite_beta_is_its_ground_state(layout, hamiltonian):
    """β = 1e300: ‖βH‖ ~ 1e300 is finite, so ρ is exact — the (here non-degenerate) ground
    state — finite, Hermitian, of trace one, with finite gradients."""
    qbm = pp.QBM(layout, hamiltonian, beta=1e300)
    rho = qbm.full_state().detach().numpy()
    _, u = np.linalg.eigh(hamiltonian.dense())
    ground = np.outer(u[:, 0], u[:, 0].conj())
    assert np.isfinite(rho).all() and is_density_matrix(rho, atol=1e-10)
    np.testing.assert_allclose(rho, ground, atol=1e-10)
    rho_v = qbm()
    assert torch.isfinite(torch.view_as_real(rho_v)).all()
    rho_v[0, 0].real.backward()
    assert torch.isfinite(qbm.theta.grad).all()


def test_gibbs_state_of_entries_near_the_largest_double():
    rho = gibbs_state(torch.diag(torch.tensor([1e308, -1e308], dtype=torch.float64)))
    np.testing.assert_array_equal(rho.numpy(), np.diag([0.0, 1.0]))
    rng = np.random.default_rng(0)
    a = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    h = (a + a.conj().T) / 2
    _, u = np.linalg.eigh(h)
    big = torch.as_tensor(h * 1e306).requires_grad_(True)
    out = gibbs_state(big)
    np.testing.assert_allclose(out.detach().numpy(), np.outer(u[:, 0], u[:, 0].conj()), atol=1e-12)
    out[0, 1].real.backward()
    assert torch.isfinite(torch.view_as_real(big.grad)).all()


def test_gibbs_state_refuses_empty_and_bad_arguments():
    with pytest.raises(ShapeError, match=r"H must not be empty; got shape \(0, 0\)"):
        gibbs_state(np.zeros((0, 0)))
    with pytest.raises(PlateauTypeError, match="check must be True or False"):
        gibbs_state(np.eye(2), check="yes")


# -- sizes ---------------------------------------------------------------------------------------
def test_a_60_qubit_qnn_is_built_but_its_state_vector_is_refused():
    qnn = pp.QNN(pp.WireLayout(1, 60), "mcclean", 1, device="default.qubit", seed=0)
    with pytest.raises(
        ResourceError, match=r"state vector of 61 qubits would need .*engine='pauli'"
    ):
        qnn(np.zeros(qnn.weight_shape))
    with pytest.raises(ResourceError, match="61 qubits"):
        qnn.visible_state(np.zeros(qnn.weight_shape))


def test_thirty_hidden_qubits_are_refused_before_allocating():
    qnn = pp.QNN(pp.WireLayout(1, 30), "hardware_efficient", 1, device="default.qubit", seed=0)
    w = np.zeros(qnn.weight_shape)
    with pytest.raises(ResourceError, match=r"31 qubits would need 32 GiB"):
        qnn(w)
    with pytest.raises(ConfigurationError, match="31 qubits exceed the engine's limit"):
        StatevectorEngine(qnn)
    assert select_engine(qnn).name == "autograd"  # selection falls back, as it always did
    with pytest.raises(ResourceError, match="31 qubits"):
        select_engine(qnn).values(w[None])


def test_a_25_qubit_qbm_is_refused_before_allocating():
    layout = pp.WireLayout(1, 24)
    qbm = pp.QBM(layout, random_two_local(layout, seed=0))  # cheap: no matrix yet
    with pytest.raises(ResourceError, match="matrix of this 2775-term Hamiltonian on 25 qubits"):
        qbm()
    with pytest.raises(ResourceError, match="25 qubits"):
        QBMEngine(qbm).values(qbm.hamiltonian.coeffs[None])
    with pytest.raises(ResourceError, match="25 qubits"):
        pp.QBM(layout, random_two_local(layout, seed=0), normalize="opnorm")


def test_absurd_depths_are_refused_before_allocating():
    with pytest.raises(ResourceError, match="20000000 gate slots, more than the 4194304"):
        pp.QNN(pp.WireLayout(1, 1), "hardware_efficient", 10**7, device="default.qubit", seed=0)
    depth = 2**21  # the deepest ansatz on 2 wires: built, but its circuit and weights refused
    qnn = pp.QNN(pp.WireLayout(1, 1), "hardware_efficient", depth, device="default.qubit", seed=0)
    weights = np.broadcast_to(0.0, qnn.weight_shape)  # no copy
    with pytest.raises(ResourceError, match=f"{4 * depth} trainable gates"):
        qnn(weights)
    with pytest.raises(ResourceError, match=rf"weights of shape \(100, {depth}, 2, 2\)"):
        qnn.init_weights(seed=0, batch=100)
    with pytest.raises(ResourceError, match="gate slots"):
        pp.QNN(pp.WireLayout(1, 1), "random_two_local", 10**9, device="default.qubit", seed=0)
    with pytest.raises(ResourceError, match="layers"):
        make_ansatz("identity_blocks", pp.WireLayout(1, 1), 10**9, seed=0)


def test_shots_must_be_a_sane_integer(layout):
    with pytest.raises(PlateauTypeError, match=r"shots must be an integer; got 1e\+30"):
        pp.QNN(layout, device="default.qubit", seed=0, shots=1e30)
    with pytest.raises(ConfigurationError, match=r"shots must be an integer <= 2\*\*63 - 1"):
        pp.QNN(layout, device="default.qubit", seed=0, shots=10**30)
    with pytest.raises(ResourceError, match="the 1000000000000 samples of 3 wires"):
        pp.QNN(layout, device="default.qubit", seed=0, shots=10**12)


def test_huge_sizes_are_refused_not_overflowed():
    with pytest.raises(ResourceError, match="Pauli word on 10000000 qubits"):
        pauli_matrix("X", (0,), 10**7)
    with pytest.raises(ResourceError, match="maximally mixed state"):
        maximally_mixed(2**1100)
    with pytest.raises(ResourceError, match="wire labels"):
        bind_device("default.qubit", 10**12)


def test_statevector_engine_memory_guard_follows_the_shared_limit(monkeypatch):
    monkeypatch.setenv("PLATEAU_PL_MAX_BYTES", str(2**30))
    qnn = pp.QNN(pp.WireLayout(1, 25), "hardware_efficient", 1, device="default.qubit", seed=0)
    with pytest.raises(ResourceError, match=r"26 qubits .* would need 3 GiB, more than the 1 GiB"):
        StatevectorEngine(qnn)


# -- wrong objects -------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [None, "abc", 3], ids=["None", "str", "int"])
def test_builders_name_the_layout(bad):
    for build in (random_two_local, transverse_ising):
        with pytest.raises(PlateauTypeError, match="layout must be a WireLayout"):
            build(bad)
    with pytest.raises(PlateauTypeError, match="layout must be a WireLayout"):
        from_terms(bad, [("X", (0,))])
    with pytest.raises(PlateauTypeError, match="layout must be a WireLayout"):
        make_ansatz("mcclean", bad)


def test_a_qbm_where_a_layout_or_qnn_is_expected(qnn, qbm):
    with pytest.raises(PlateauTypeError, match=r"layout must be a WireLayout.*\(QBM\)"):
        random_two_local(qbm)
    with pytest.raises(PlateauTypeError, match=r"qnn must be a plateau_pl QNN.*\(QBM\)"):
        PauliPathEngine(qbm)
    with pytest.raises(PlateauTypeError, match=r"qnn must be a plateau_pl QNN.*\(NoneType\)"):
        QNNLayer(None)
    with pytest.raises(PlateauTypeError, match=r"qbm must be a plateau_pl QBM.*\(QNN\)"):
        QBMEngine(qnn)
    with pytest.raises(PlateauTypeError, match="model must be a plateau_pl QNN or QBM"):
        select_engine(None)


def test_other_wrong_objects_are_named(qnn):
    with pytest.raises(PlateauTypeError, match="rho must be a torch tensor"):
        trace_hidden(None, 2, 2)
    with pytest.raises(PlateauTypeError, match="bound must be a BoundDevice"):
        channel_op("default.mixed", "depolarizing")
    with pytest.raises(PlateauTypeError, match="structures must be True or False"):
        select_engine(qnn, structures="yes")
    with pytest.raises(PlateauTypeError, match="device must be a torch device"):
        select_engine(qnn, device=None)
    with pytest.raises(PlateauTypeError, match=r"structures\[0\] must be an Ansatz"):
        select_engine(qnn, "statevector").values(qnn.init_weights(seed=0, batch=1), [3])
    with pytest.raises(PlateauTypeError, match="settings must be a dict"):
        pp.hamiltonians.PauliHamiltonian(
            pp.WireLayout(1), [PauliTerm("Z", (0,), 0)], [1.0], settings="abc"
        )
    with pytest.raises(PlateauTypeError, match="param must be an integer"):
        pp.hamiltonians.random_two_local(pp.WireLayout(1), seed=0).term_matrix("x")


def test_engines_refuse_complex_and_nan_weights(qnn):
    w = np.asarray(qnn.init_weights(seed=0, batch=2))
    for name in ("statevector", "autograd", "device"):
        engine = select_engine(qnn, name)
        with pytest.raises(PlateauTypeError, match="weights must be real"):
            engine.values(w + 1j)
        with pytest.raises(PlateauError, match="weights must be finite"):
            engine.values(np.full_like(w, np.nan))


def test_observable_matrix_refuses_nan(qbm):
    with pytest.raises(InvalidMatrixError, match="observable must be finite"):
        qbm.expval(np.full((2, 2), np.nan))
    with pytest.raises(PlateauTypeError, match="observable must be a PennyLane operator"):
        qbm.expval(object())


# -- tolerances ----------------------------------------------------------------------------------
def test_quantum_functions_name_atol():
    rho = np.eye(2) / 2
    with pytest.raises(PlateauTypeError, match="atol must be a real number; got 'x'"):
        purity(rho, atol="x")
    with pytest.raises(PlateauTypeError, match="atol must be a real number"):
        is_density_matrix(rho, atol="x")
    with pytest.raises(InvalidMatrixError, match="atol must be a finite number >= 0; got nan"):
        purity(rho, atol=float("nan"))
    with pytest.raises(PlateauTypeError, match="atol must be a real number"):
        check_hamiltonian_matrix(np.eye(2), atol=1j)
    with pytest.raises(PlateauTypeError, match="base must be a number or None"):
        pp.von_neumann_entropy(rho, base="x")


def test_matrices_that_are_not_positive_are_refused_not_overflowed(qbm):
    rho = np.array([[0.5, 1e200], [1e200, 0.5]])  # Hermitian, trace 1, not positive
    with pytest.raises(InvalidMatrixError, match=r"rho is not a density matrix .* purity"):
        pp.renyi2_entropy(rho)
    with pytest.raises(InvalidMatrixError, match=r"rho is not a density matrix .* entropy"):
        pp.von_neumann_entropy(rho)
    with pytest.raises(InvalidMatrixError, match="rho or sigma is not a density matrix"):
        pp.trace_distance(rho, np.eye(2) / 2)
    with pytest.raises(InvalidMatrixError, match="sigma and rho must be density matrices"):
        qbm.relative_entropy(np.array([[0.5, 1e308], [1e308, 0.5]]))
    with pytest.raises(PlateauTypeError, match="target must be a numpy array"):
        qbm.relative_entropy([[1.0, 2.0], [3.0, "x"]])


def test_qnn_refuses_empty_meaningless_and_misfit_inputs(layout):
    qnn = pp.QNN(layout, "hardware_efficient", 1, device="default.qubit", seed=0)
    with pytest.raises(ShapeError, match="weights must not be empty"):
        qnn(np.zeros((0, *qnn.weight_shape)))
    with pytest.raises(PlateauError, match=r"weights must be angles of magnitude <= 2\*\*53"):
        qnn(np.full(qnn.weight_shape, 1e308))
    with pytest.raises(ConfigurationError, match=r"ansatz_options \['bogus'\] are not options"):
        pp.QNN(layout, "hardware_efficient", ansatz_options={"bogus": 1})
    embedded = pp.QNN(
        pp.WireLayout(2),
        "hardware_efficient",
        1,
        device="default.qubit",
        embedding=qml.AngleEmbedding,
        seed=0,
    )
    with pytest.raises(ShapeError, match="inputs do not fit the embedding AngleEmbedding"):
        embedded.gradient(embedded.init_weights(seed=0), np.zeros(5))


def test_hamiltonians_refuse_empty_and_overflowing_theta(qbm, hamiltonian):
    with pytest.raises(ShapeError, match="theta must not be empty"):
        qbm(np.zeros((0, hamiltonian.n_params)))
    with pytest.raises(PlateauError, match=r"H\(theta\) overflows float64: theta has entries"):
        hamiltonian.matrix(np.full(hamiltonian.n_params, 1e308))
    norm = hamiltonian.operator_norm(hamiltonian.coeffs * 1e300)  # huge but finite: exact
    assert norm == pytest.approx(hamiltonian.operator_norm() * 1e300, rel=1e-12)
    with pytest.raises(ShapeError, match="data must not be empty"):
        qbm.nll(np.zeros((0, 1)))
    with pytest.raises(PlateauTypeError, match="data must be 0/1 bit strings"):
        qbm.nll([[1.0], [1.0, 2.0]])


def test_qutrit_devices_are_refused(layout):
    with pytest.raises(ConfigurationError, match=r"'default\.qutrit' simulates qutrit systems"):
        pp.QNN(layout, device="default.qutrit", seed=0)


# -- valid edge cases still work -----------------------------------------------------------------
def test_a_1000_qubit_qnn_runs_on_the_pauli_engine_only():
    qnn = pp.QNN(pp.WireLayout(1, 999), "area_law", device="default.qubit", seed=0)
    moments = PauliPathEngine(qnn).gradient_moments(16, seed=0)
    assert moments.per_parameter.shape == (qnn.n_params,)
    assert np.isfinite(moments.per_parameter).all() and np.isfinite(moments.second_moment)
    assert select_engine(qnn, moments=True).name == "pauli"
    with pytest.raises(ResourceError, match="1000 qubits"):
        qnn(np.zeros(qnn.weight_shape))


def test_valid_inputs_keep_their_results(qnn, qbm, hamiltonian):
    w = qnn.init_weights(seed=3)
    assert np.isfinite(float(qnn(w)))
    theta = qbm.theta.detach().clone().requires_grad_(True)
    assert torch.autograd.gradcheck(lambda t: qbm(t), (theta,))
    np.testing.assert_allclose(
        qbm.hamiltonian_matrix().detach().numpy(), hamiltonian.dense(), atol=0
    )
    term = PauliTerm("ZZ", [0, np.int64(1)], np.int64(0), -1)
    assert term.wires == (0, 1) and term.param == 0 and term.factor == -1.0
    assert qml.math.allclose(gibbs_state(np.eye(2)).real, np.eye(2) / 2)
