"""Lie-algebraic variance prediction: closed forms, dense checks and sampling."""

import numpy as np
import pennylane as qml
import pytest

import plateau_pl as pp
from plateau_pl.circuits import CustomAnsatz, make_ansatz
from plateau_pl.diagnostics import sample_variance
from plateau_pl.errors import ConfigurationError, PlateauTypeError, ShapeError, WireError
from plateau_pl.lie import circuit_generators, g_purity, lie_algebra, predict_variance
from plateau_pl.quantum.paulis import pauli_matrix
from plateau_pl.theory import haar_observable_variance


def _tfim_words(n):
    xs = ["I" * j + "X" + "I" * (n - j - 1) for j in range(n)]
    return xs + ["I" * j + "ZZ" + "I" * (n - j - 2) for j in range(n - 1)]


def _tfim_ansatz(n, n_layers, prep=False):
    def tfim(w, wires):
        if prep:
            for q in range(n):
                qml.Hadamard(wires=wires[q])
        for layer in range(n_layers):
            for q in range(n):
                qml.RX(w[..., layer, q], wires=wires[q])
            for q in range(n - 1):
                qml.IsingZZ(w[..., layer, n + q], wires=[wires[q], wires[q + 1]])

    return CustomAnsatz(tfim, (n_layers, 2 * n - 1), pp.WireLayout(1, n - 1))


def _dense_purity(words, n, op):
    """Σ_a Tr(E_a op)² with E_a = P_a/√d, on dense matrices (independent of the word code)."""
    d = 2**n
    return sum(np.trace(pauli_matrix(w, range(n), n) @ op).real ** 2 / d for w in words)


def test_full_su_matches_haar_value():
    qnn = pp.QNN(pp.WireLayout(1, 3), "random_two_local", device="default.qubit", seed=0)
    p = predict_variance(qnn)
    z = np.diag([1.0, -1.0])
    assert p.is_full_su and p.applies and p.dim == 4**4 - 1
    assert p.variance == pytest.approx(haar_observable_variance(np.kron(z, np.eye(8))), rel=1e-12)
    assert p.variance == pytest.approx(1 / 17, rel=1e-12)
    assert p.purity_state == pytest.approx((1 - 1 / 16,)) and p.purity_observable == (16.0,)


def test_purities_against_dense_matrices():
    n = 4
    alg = lie_algebra(_tfim_words(n), n)
    rho = np.zeros((16, 16))
    rho[0, 0] = 1.0
    words = alg.word_strings()
    assert g_purity(rho, alg) == pytest.approx(_dense_purity(words, n, rho), abs=1e-12)
    obs = pauli_matrix("XZ", (0, 1), n) + 0.5 * pauli_matrix("X", (2,), n)
    assert g_purity(obs, alg) == pytest.approx(_dense_purity(words, n, obs), abs=1e-12)
    assert g_purity(qml.X(0), alg) == pytest.approx(16.0)


def test_tfim_prediction_formula_by_hand():
    p = predict_variance(_tfim_words(4), observable="XIII")
    # so(8) simple; Z-type words in g: Z0Z1, Z1Z2, Z2Z3 -> P(rho) = 3/16; P(X0) = 16
    assert p.simple_dims == (28,) and p.center_dim == 0 and p.applies
    assert p.purity_state[0] == pytest.approx(3 / 16)
    assert p.variance == pytest.approx(3 / 16 * 16 / 28)


def test_abelian_algebra_has_zero_variance():
    p = predict_variance(["XII", "IXI", "IIX"], observable="XII")
    assert p.applies and p.center_dim == 3 and p.simple_dims == ()
    assert p.variance == 0.0 and p.mean == pytest.approx(0.0)
    q = predict_variance(["ZII", "IXI"], observable="ZII")  # O in the center: constant <Z0> = 1
    assert q.variance == 0.0 and q.mean == pytest.approx(1.0)


def test_formula_does_not_apply_when_neither_is_in_the_algebra():
    p = predict_variance(_tfim_ansatz(3, 2))  # O = Z0 is not in so(6), nor is |000><000|
    assert not p.applies and p.variance is None and "neither" in p.reason
    assert "does not apply" in str(p)


def test_circuit_generators_split_fixed_gates():
    rec = circuit_generators(_tfim_ansatz(3, 2, prep=True))
    assert [op.name for op in rec.prep_ops] == ["Hadamard"] * 3 and rec.final_ops == ()
    assert rec.n_trainable == 2 * 5
    words = {next(iter(g)) for g in rec.generators}
    assert len(words) == 5  # X_j and Z_jZ_j+1 only, repeats dropped
    mc = circuit_generators(make_ansatz("mcclean", pp.WireLayout(1, 2), n_layers=2, seed=0))
    assert [op.name for op in mc.prep_ops] == ["RY"] * 3  # the RY(pi/4) layer goes into rho


def test_trailing_fixed_gates_are_absorbed_into_the_observable():
    def cnot_last(w, wires):
        qml.RX(w[0], wires=wires[0])
        qml.RX(w[1], wires=wires[1])
        qml.CNOT(wires=[wires[1], wires[0]])  # CNOT† Z_0 CNOT = Z_1 Z_0 (target 0)

    p = predict_variance(CustomAnsatz(cnot_last, (2,), pp.WireLayout(1, 1)))
    assert p.observable == "1*ZZ" and not p.applies  # cos a cos b: ZZ is outside span{X0, X1}

    def hadamard_last(w, wires):
        qml.RX(w[0], wires=wires[0])
        qml.Hadamard(wires=wires[0])  # H Z H = X: the loss <X0> = 0 for every angle

    q = predict_variance(CustomAnsatz(hadamard_last, (1,), pp.WireLayout(1, 0)))
    assert q.observable == "1*X" and q.applies and q.center_dim == 1
    assert q.variance == 0.0 and q.mean == pytest.approx(0.0, abs=1e-12)


@pytest.mark.slow
def test_tfim_prediction_matches_sampling():
    n, layers = 4, 40
    qnn = pp.QNN(
        pp.WireLayout(1, n - 1),
        _tfim_ansatz(n, layers),
        observable=qml.X(0),
        device="default.qubit",
        seed=0,
    )
    p = predict_variance(qnn)
    assert not p.is_full_su and p.dim == 28 and p.applies
    s = sample_variance(qnn, 3000, seed=11)
    assert abs(s["variance"] - p.variance) < 4 * s["variance_stderr"]
    assert abs(s["mean"] - p.mean) < 4 * s["mean_stderr"]


@pytest.mark.slow
def test_prepared_state_prediction_matches_sampling():
    n = 3  # |+++>: X-type words of so(6) are X0, X1, X2 -> P(rho) = 3/8, Var = 3/8 * 8/15
    qnn = pp.QNN(
        pp.WireLayout(1, n - 1),
        _tfim_ansatz(n, 30, prep=True),
        observable=qml.X(0),
        device="default.qubit",
        seed=0,
    )
    p = predict_variance(qnn)
    assert p.purity_state[0] == pytest.approx(3 / 8) and p.variance == pytest.approx(0.2)
    s = sample_variance(qnn, 3000, seed=3)
    assert abs(s["variance"] - p.variance) < 4 * s["variance_stderr"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("ansatz", "layers", "obs"),
    [("random_two_local", 2, qml.Z(0)), ("mcclean", 30, qml.X(0) @ qml.Z(1))],
)
def test_full_su_prediction_matches_sampling(ansatz, layers, obs):
    qnn = pp.QNN(
        pp.WireLayout(2, 1), ansatz, n_layers=layers, observable=obs, device="default.qubit", seed=2
    )
    p = predict_variance(qnn)
    assert p.is_full_su and p.variance == pytest.approx(1 / 9)
    s = sample_variance(qnn, 2000, seed=5)
    assert abs(s["variance"] - p.variance) < 4 * s["variance_stderr"]


def test_input_validation():
    ans = make_ansatz("hardware_efficient", pp.WireLayout(1, 2), n_layers=2)
    with pytest.raises(WireError, match="wire 2, which is hidden"):
        predict_variance(ans, observable=qml.Z(2))
    with pytest.raises(ConfigurationError, match="outside"):
        predict_variance(["XI", "IX"], observable="Z5")
    with pytest.raises(PlateauTypeError, match="QNN, an Ansatz or a list"):
        predict_variance("random_two_local")
    with pytest.raises(ConfigurationError, match="unknown ansatz 'nope'"):
        pp.QNN(pp.WireLayout(1, 1), "nope", device="default.qubit")
    with pytest.raises(ConfigurationError, match="max_dense_qubits=2"):
        predict_variance(_tfim_ansatz(3, 1, prep=True), max_dense_qubits=2)
    with pytest.raises(ShapeError, match="initial_state must have 8"):
        predict_variance(_tfim_words(3), observable="XII", initial_state=np.ones(4) / 2)
    with pytest.raises(ConfigurationError, match="normalised"):
        predict_variance(_tfim_words(3), observable="XII", initial_state=np.ones(8))
    with pytest.raises(ConfigurationError, match="n_qubits is required"):
        predict_variance([qml.X(0)])


def test_initial_state_argument_equals_prepared_circuit():
    plus = np.ones(8) / np.sqrt(8)
    a = predict_variance(_tfim_words(3), observable="XII", initial_state=plus)
    b = predict_variance(_tfim_ansatz(3, 2, prep=True), observable=qml.X(0))
    assert a.variance == pytest.approx(b.variance) and a.purity_state == pytest.approx(
        b.purity_state
    )


def test_to_dict_is_json_ready():
    import json

    d = predict_variance(_tfim_words(3), observable="XII").to_dict()
    assert json.loads(json.dumps(d))["lie_dim"] == 15
