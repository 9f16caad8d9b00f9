"""Ansätze: shapes, seeded structure, gate conventions and the area-law cut."""

from __future__ import annotations

import functools

import numpy as np
import pennylane as qml
import pytest
from scipy.linalg import expm

from plateau_pl.circuits import (
    ANSATZE,
    AreaLaw,
    HardwareEfficient,
    McClean,
    RandomTwoLocal,
    WireLayout,
    make_ansatz,
    pauli_terms,
)
from plateau_pl.errors import ConfigurationError, PlateauTypeError, ShapeError

_PAULI = {
    "I": np.eye(2),
    "X": np.array([[0, 1], [1, 0]]),
    "Y": np.array([[0, -1j], [1j, 0]]),
    "Z": np.diag([1.0, -1.0]),
}


def _tape(ansatz, weights):
    with qml.queuing.AnnotatedQueue() as q:
        ansatz(weights)
    return qml.tape.QuantumScript.from_queue(q)


def _pauli_matrix(word, wires, n):
    """Dense Pauli string, wire 0 most significant (PennyLane's convention), built by hand."""
    letters = ["I"] * n
    for p, w in zip(word, wires, strict=True):
        letters[w] = p
    return functools.reduce(np.kron, [_PAULI[p] for p in letters])


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_pauli_terms_count(n):
    terms = pauli_terms(n)
    assert len(terms) == 3 * n + 9 * n * (n - 1) // 2
    assert len(set(terms)) == len(terms)


def test_random_two_local_is_product_of_pauli_exponentials(rng):
    """U = prod_t exp(-i θ_t P_t) in the drawn order, checked with scipy's expm."""
    layout = WireLayout(1, 2)
    ansatz = RandomTwoLocal(layout, n_layers=2, seed=5)
    w = rng.uniform(0, 2 * np.pi, ansatz.weight_shape)
    n = layout.n_wires
    expected = np.eye(2**n, dtype=complex)
    for p in range(2):
        for t in ansatz.orders[p]:
            word, wires = ansatz.terms[t]
            expected = expm(-1j * w[p, t] * _pauli_matrix(word, wires, n)) @ expected
    got = qml.matrix(lambda x: ansatz(x), wire_order=layout.wires)(w)
    np.testing.assert_allclose(got, expected, atol=1e-12)


def test_random_two_local_order_is_seeded_and_random():
    layout = WireLayout(1, 3)
    a, b, c = (RandomTwoLocal(layout, n_layers=2, seed=s) for s in (1, 1, 2))
    np.testing.assert_array_equal(a.orders, b.orders)
    assert not np.array_equal(a.orders, c.orders)
    assert not np.array_equal(a.orders[0], a.orders[1])  # each pass has its own order
    n_terms = a.weight_shape[1]
    for order in a.orders:  # every term once per pass
        assert sorted(order) == list(range(n_terms))
    assert not np.array_equal(a.orders[0], np.arange(n_terms))
    assert len(_tape(a, np.zeros(a.weight_shape)).operations) == 2 * n_terms


def test_mcclean_structure(rng):
    layout = WireLayout(2, 2)
    ansatz = McClean(layout, n_layers=3, seed=11)
    assert ansatz.weight_shape == (3, 4)
    assert McClean(layout, n_layers=3, seed=11).axes.tolist() == ansatz.axes.tolist()
    ops = _tape(ansatz, rng.uniform(size=(3, 4))).operations
    assert [op.name for op in ops[:4]] == ["RY"] * 4
    assert all(np.isclose(op.parameters[0], np.pi / 4) for op in ops[:4])
    per_layer = 4 + 3  # one rotation per qubit, CZ ladder
    assert len(ops) == 4 + 3 * per_layer
    names = {0: "RX", 1: "RY", 2: "RZ"}
    for layer in range(3):
        block = ops[4 + layer * per_layer : 4 + (layer + 1) * per_layer]
        assert [op.name for op in block[:4]] == [names[a] for a in ansatz.axes[layer]]
        assert [op.name for op in block[4:]] == ["CZ"] * 3
    assert len(np.unique(ansatz.axes)) > 1


def test_hardware_efficient_structure():
    ansatz = HardwareEfficient(WireLayout(1, 2), n_layers=2)
    ops = _tape(ansatz, np.zeros((2, 3, 2))).operations
    assert [op.name for op in ops] == (["RY", "RZ"] * 3 + ["CNOT"] * 2) * 2


@pytest.mark.parametrize("n_hidden", [1, 3, 6])
def test_area_law_crosses_the_cut_a_bounded_number_of_times(n_hidden):
    layout = WireLayout(2, n_hidden)
    ansatz = AreaLaw(layout, n_layers=3, n_cross=1)
    ops = _tape(ansatz, np.zeros(ansatz.weight_shape)).operations
    crossing = [
        op
        for op in ops
        if any(w in layout.visible for w in op.wires) and any(w in layout.hidden for w in op.wires)
    ]
    assert len(crossing) == 3  # n_layers * n_cross, whatever n_hidden
    assert all(op.name == "CZ" for op in crossing)
    assert ansatz.entropy_bound() == pytest.approx(min(3, 2, n_hidden) * np.log(2))


def test_generator_scales_match_the_gates():
    """d<Z>/dθ of one gate: exp(-iθX) (scale 1) vs RX(θ) = exp(-iθX/2) (scale 1/2)."""
    assert RandomTwoLocal.generator_scale == 1.0
    assert McClean.generator_scale == HardwareEfficient.generator_scale == 0.5
    # <Z> after exp(-i g θ X)|0> is cos(2gθ)
    dev = qml.device("default.qubit", wires=1)

    @qml.qnode(dev)
    def f(t):
        qml.PauliRot(2 * t, "X", wires=0)
        return qml.expval(qml.Z(0))

    assert f(0.3) == pytest.approx(np.cos(2 * 0.3), abs=1e-12)


def test_make_ansatz_accepts_templates_and_callables():
    layout = WireLayout(1, 2)
    sel = make_ansatz(qml.StronglyEntanglingLayers, layout, n_layers=2)
    assert sel.weight_shape == (2, 3, 3)
    assert sel.n_layers == 2

    def tmpl(w, wires):
        qml.RY(w[0], wires=wires[0])

    assert make_ansatz((tmpl, (1,)), layout).weight_shape == (1,)
    assert make_ansatz(tmpl, layout, weight_shape=[1]).weight_shape == (1,)
    inst = McClean(layout, seed=0)
    assert make_ansatz(inst, layout) is inst
    assert sorted(ANSATZE) == [
        "area_law",
        "hardware_efficient",
        "identity_blocks",
        "mcclean",
        "random_two_local",
    ]


def test_redraw_changes_structure_only():
    a = McClean(WireLayout(1, 3), n_layers=4, seed=0)
    b = a.redraw(1)
    assert (b.layout, b.n_layers, b.seed) == (a.layout, a.n_layers, 1)
    assert not np.array_equal(a.axes, b.axes)


def test_fresh_seed_is_recorded():
    a = RandomTwoLocal(WireLayout(1, 1))
    assert isinstance(a.seed, int)
    np.testing.assert_array_equal(RandomTwoLocal(WireLayout(1, 1), seed=a.seed).orders, a.orders)


def test_errors():
    layout = WireLayout(1, 1)
    with pytest.raises(ConfigurationError, match="unknown ansatz 'nope'; available: area_law"):
        make_ansatz("nope", layout)
    with pytest.raises(ConfigurationError, match="needs its weight_shape"):
        make_ansatz(lambda w, wires: None, layout)
    with pytest.raises(PlateauTypeError, match="ansatz must be a name"):
        make_ansatz(3, layout)
    with pytest.raises(ConfigurationError, match="was built on"):
        make_ansatz(McClean(WireLayout(2, 1)), layout)
    ansatz = McClean(layout, n_layers=2, seed=0)
    with pytest.raises(ShapeError, match=r"weights must have shape \(2, 2\).*got \(3,\)"):
        ansatz(np.zeros(3))
    with pytest.raises(PlateauTypeError, match="n_layers must be an integer"):
        McClean(layout, n_layers=1.5)
    with pytest.raises(ValueError, match="n_cross must be an integer >= 1; got 0"):
        AreaLaw(layout, n_cross=0)


@pytest.mark.parametrize("name", sorted(ANSATZE))
def test_param_wires_match_the_gates(name, rng):
    """Each parameter's wires, checked by perturbing it alone and finding the changed gate."""
    ansatz = ANSATZE[name](WireLayout(2, 2), n_layers=2, seed=0)
    wires = ansatz.param_wires()
    assert len(wires) == ansatz.n_params
    w = rng.uniform(size=ansatz.weight_shape)
    base = [(op.name, op.wires.tolist(), op.parameters) for op in _tape(ansatz, w).operations]
    for k in rng.choice(ansatz.n_params, size=6, replace=False):
        w2 = w.copy().reshape(-1)
        w2[k] += 0.1
        ops = _tape(ansatz, w2.reshape(ansatz.weight_shape)).operations
        changed = [
            op.wires.tolist()
            for op, b in zip(ops, base, strict=True)
            if not np.allclose(op.parameters, b[2])
        ]
        assert changed == [list(wires[k])]
    mask = ansatz.hidden_mask()
    assert mask.tolist() == [any(q >= 2 for q in ws) for ws in wires]


@pytest.mark.parametrize("base", ["hardware_efficient", "mcclean", "random_two_local"])
def test_identity_blocks_start_exactly_at_the_identity(base, rng):
    import plateau_pl as pp

    layout = WireLayout(1, 2)
    qnn = pp.QNN(
        layout,
        "identity_blocks",
        2,
        observable=qml.X(0) + qml.Y(0),  # |0…0⟩ is an eigenstate of Z: no gradient at U = I
        device="default.qubit",
        seed=3,
        ansatz_options={"base": base},
    )
    w = np.asarray(qnn.init_weights(seed=1, dist="identity"))
    u = qml.matrix(lambda x: qnn.ansatz(x), wire_order=layout.wires)(w)
    np.testing.assert_allclose(u, np.eye(8), atol=1e-12)
    assert np.abs(qnn.gradient(w)).max() > 1e-3  # trainable from the identity
    other = np.asarray(qnn.init_weights(seed=1))
    assert (
        np.abs(
            qml.matrix(lambda x: qnn.ansatz(x), wire_order=layout.wires)(other) - np.eye(8)
        ).max()
        > 0.1
    )
    batch = np.asarray(qnn.init_weights(seed=2, dist="identity", batch=3))
    assert batch.shape == (3, *qnn.weight_shape)
    np.testing.assert_allclose(batch[:, :, 0], batch[:, :, 1])
    assert len(qnn.ansatz.param_wires()) == qnn.n_params


def test_identity_init_needs_identity_blocks():
    import plateau_pl as pp

    qnn = pp.QNN(WireLayout(1, 1), "mcclean", device="default.qubit", seed=0)
    with pytest.raises(ConfigurationError, match="dist='identity' needs an ansatz with identity"):
        qnn.init_weights(seed=0, dist="identity")
    with pytest.raises(ConfigurationError, match="unknown base 'nope'"):
        make_ansatz("identity_blocks", WireLayout(1, 1), base="nope")


def test_absurd_depths_are_refused_at_construction_not_drawn():
    from plateau_pl.circuits.ansatze import MAX_GATE_SLOTS, make_ansatz
    from plateau_pl.errors import ResourceError

    layout = WireLayout(1, 2)
    with pytest.raises(ResourceError, match=r"n_layers=10000000 on 3 wires .* n_layers <= 1398101"):
        make_ansatz("random_two_local", layout, n_layers=10**7, seed=0)
    assert make_ansatz("hardware_efficient", layout, MAX_GATE_SLOTS // 3, seed=0).n_layers > 10**6
