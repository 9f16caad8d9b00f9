"""Pauli-term Hamiltonians: dense matrices against PennyLane, builders, gradients, errors."""

from __future__ import annotations

import numpy as np
import pennylane as qml
import pytest
import torch

from plateau_pl.circuits import WireLayout
from plateau_pl.errors import ConfigurationError, ShapeError, WireError
from plateau_pl.hamiltonians import (
    PauliTerm,
    from_terms,
    random_two_local,
    transverse_ising,
)
from plateau_pl.quantum.paulis import pauli_matrix


def _pennylane_matrix(h, theta=None):
    """Σ_t c_t θ_p(t) P_t built by PennyLane's qml.matrix (an independent reference)."""
    theta = h.coeffs if theta is None else theta
    ops = [
        qml.pauli.PauliWord(dict(zip(t.wires, t.word, strict=True))).operation() for t in h.terms
    ]
    coeffs = [t.factor * theta[t.param] for t in h.terms]
    return qml.matrix(qml.dot(coeffs, ops), wire_order=h.layout.wires)


@pytest.mark.parametrize(
    "build",
    [
        lambda lay: random_two_local(lay, seed=3),
        lambda lay: transverse_ising(lay, graph="complete", seed=1),
        lambda lay: transverse_ising(lay, graph="chain", seed=2),
        lambda lay: transverse_ising(lay, graph="bipartite", seed=4),
    ],
)
@pytest.mark.parametrize("n_v, n_h", [(1, 1), (2, 2), (1, 3)])
def test_dense_matrix_matches_pennylane(build, n_v, n_h):
    h = build(WireLayout(n_v, n_h))
    np.testing.assert_allclose(h.dense(), _pennylane_matrix(h), atol=1e-12)
    dense = h.dense()
    np.testing.assert_allclose(dense, dense.conj().T, atol=0)


def test_random_two_local_terms_and_scales():
    layout = WireLayout(2, 3)
    h = random_two_local(layout, seed=0, onsite_scale=0.1, offsite_scale=1.0)
    n = 5
    assert h.n_params == len(h.terms) == 3 * n + 9 * n * (n - 1) // 2
    onsite = h.coeffs[: 3 * n]
    offsite = h.coeffs[3 * n :]
    assert all(t.locality == 1 for t in h.terms[: 3 * n])
    assert all(t.locality == 2 for t in h.terms[3 * n :])
    # sample std within a few standard errors of the requested scale (std err ≈ s/√(2N))
    assert abs(offsite.std() - 1.0) < 4 / np.sqrt(2 * offsite.size)
    assert abs(onsite.std() - 0.1) < 4 * 0.1 / np.sqrt(2 * onsite.size)
    np.testing.assert_array_equal(random_two_local(layout, seed=0).coeffs, h.coeffs)
    uni = random_two_local(layout, seed=0, dist="uniform", offsite_scale=2.0)
    assert np.abs(uni.coeffs[3 * n :]).max() <= 2.0
    assert h.to_dict()["hamiltonian"] == "random_two_local"
    assert h.to_dict()["hamiltonian_seed"] == 0


def test_transverse_ising_graphs():
    layout = WireLayout(2, 3)
    assert transverse_ising(layout, "complete", seed=0).settings["n_edges"] == 10
    assert transverse_ising(layout, "chain", seed=0).settings["n_edges"] == 4
    bip = transverse_ising(layout, "bipartite", seed=0)
    zz = [t.wires for t in bip.terms if t.word == "ZZ"]
    assert len(zz) == 6 and all((a in layout.visible) != (b in layout.visible) for a, b in zz)
    h = transverse_ising(
        WireLayout(1, 1), [(0, 1)], fields=[0.5, -0.2], couplings=1.5, transverse=0.3
    )
    z, x, i2 = np.diag([1.0, -1.0]), np.array([[0, 1], [1, 0]]), np.eye(2)
    expected = -(
        0.5 * np.kron(z, i2)
        - 0.2 * np.kron(i2, z)
        + 1.5 * np.kron(z, z)
        + 0.3 * (np.kron(x, i2) + np.kron(i2, x))
    )
    np.testing.assert_allclose(h.dense(), expected, atol=1e-14)


def test_transverse_ising_on_a_networkx_graph():
    nx = pytest.importorskip("networkx")
    g = nx.cycle_graph(4)
    h = transverse_ising(WireLayout(2, 2), graph=g, seed=0)
    assert h.settings["graph"] == "custom" and h.settings["n_edges"] == 4


def test_from_pennylane_operator():
    op = 0.5 * qml.Z(0) @ qml.Z(1) - 1.2 * qml.X(1) + 0.3 * qml.Y(0)
    h = from_terms(WireLayout(1, 1), op)
    np.testing.assert_allclose(h.dense(), qml.matrix(op, wire_order=[0, 1]), atol=1e-14)


def test_backward_is_the_trace_with_each_term(rng):
    """θ ↦ Re Tr(H(θ) G): gradient_j = Re Tr(P_j G), checked with dense Pauli matrices."""
    h = random_two_local(WireLayout(1, 2), seed=1)
    g = torch.as_tensor(rng.normal(size=(8, 8)) + 1j * rng.normal(size=(8, 8)))
    theta = torch.tensor(h.coeffs, requires_grad=True)
    torch.einsum("ij,ji->", h.matrix(theta), g).real.backward()
    expected = [np.trace(pauli_matrix(t.word, t.wires, 3) @ g.numpy()).real for t in h.terms]
    np.testing.assert_allclose(theta.grad.numpy(), expected, atol=1e-12)


def test_batched_theta(rng):
    h = transverse_ising(WireLayout(1, 2), seed=0)
    thetas = rng.normal(size=(3, h.n_params))
    batch = h.matrix(thetas)
    assert batch.shape == (3, 8, 8)
    for i in range(3):
        np.testing.assert_allclose(batch[i].numpy(), _pennylane_matrix(h, thetas[i]), atol=1e-12)


def test_shared_parameters_and_hidden_mask():
    layout = WireLayout(1, 2)
    terms = [PauliTerm("X", (0,), 0), PauliTerm("X", (1,), 0), PauliTerm("ZZ", (1, 2), 1)]
    h = from_terms(layout, terms, coeffs=[0.3, -0.7])
    np.testing.assert_allclose(
        h.term_matrix(0), pauli_matrix("X", (0,), 3) + pauli_matrix("X", (1,), 3)
    )
    assert h.touches_hidden().tolist() == [True, True]
    h2 = from_terms(layout, [("Z", (0,)), ("XZ", (0, 2))])
    assert h2.touches_hidden().tolist() == [False, True]


def test_no_dense_matrix_per_term_is_stored():
    h = random_two_local(WireLayout(2, 6), seed=0)  # 8 qubits, 276 terms
    _, vals, _ = h._index_maps()
    assert vals.shape == (276, 256)  # m·2^n entries, not m·4^n


def test_errors():
    layout = WireLayout(1, 1)
    with pytest.raises(WireError, match=r"hamiltonian term 1 \(ZZ on \(0, 2\)\) acts on wire 2"):
        from_terms(layout, [("X", (0,)), ("ZZ", (0, 2))])
    with pytest.raises(ConfigurationError, match="letters from 'IXYZ'"):
        from_terms(layout, [("Q", (0,))])
    with pytest.raises(ShapeError, match=r"coeffs must have shape \(2,\)"):
        from_terms(layout, [("X", (0,)), ("Z", (1,))], coeffs=[1.0])
    with pytest.raises(ConfigurationError, match="unknown graph 'star'; available"):
        transverse_ising(layout, graph="star")
    with pytest.raises(ConfigurationError, match="graph edge \\(0, 5\\) must join"):
        transverse_ising(layout, graph=[(0, 5)])
    with pytest.raises(ConfigurationError, match="onsite_scale must be a finite number >= 0"):
        random_two_local(layout, seed=0, onsite_scale=-1)
    h = random_two_local(layout, seed=0)
    with pytest.raises(ShapeError, match=r"theta must have shape \(15,\)"):
        h.matrix(np.zeros(3))


def test_redraw_gives_new_instances_of_the_same_model():
    layout = WireLayout(1, 2)
    h = random_two_local(layout, seed=0, onsite_scale=0.2)
    h1, h1b, h2 = h.redraw(1), h.redraw(1), h.redraw(2)
    np.testing.assert_array_equal(h1.coeffs, random_two_local(layout, 1, 0.2).coeffs)
    np.testing.assert_array_equal(h1.coeffs, h1b.coeffs)
    assert not np.array_equal(h1.coeffs, h2.coeffs)
    assert h1.settings["onsite_scale"] == 0.2 and h1.settings["hamiltonian_seed"] == 1
    ising = transverse_ising(layout, "chain", transverse=0.5, seed=0)
    r = ising.redraw(3)
    assert np.all(r.coeffs[-3:] == 0.5)  # a fixed value stays fixed
    assert not np.array_equal(r.coeffs[:3], ising.coeffs[:3])
    custom = from_terms(layout, [("ZZ", (0, 1)), ("X", (2,))]).redraw(5)
    assert custom.settings["hamiltonian_seed"] == 5 and custom.n_params == 2
