"""Center and simple ideals, checked on dense matrices."""

import numpy as np
import pytest

from plateau_pl.lie.closure import lie_algebra
from plateau_pl.lie.decompose import adjoint_matrices, decompose_algebra
from plateau_pl.quantum.paulis import pauli_matrix


def _elements(alg, q):
    """Dense Hermitian matrices of the columns of q (algebra coordinates)."""
    n = alg.n_qubits
    words = [pauli_matrix(w, range(n), n) for w in alg.word_strings()]
    b = np.eye(len(words)) if alg.basis is None else alg.basis
    return [sum(c * p for c, p in zip(b.T @ col, words, strict=True)) for col in q.T]


def _check_ideals(alg, dec):
    blocks = [*dec.ideals, dec.center]
    total = np.hstack(blocks)
    assert np.allclose(total.T @ total, np.eye(alg.dim), atol=1e-8)  # orthonormal, complete
    mats = [_elements(alg, q) for q in blocks]
    for i, a in enumerate(mats):  # different ideals commute; the center commutes with all
        for j, b in enumerate(mats):
            if i != j:
                assert all(np.abs(x @ y - y @ x).max() < 1e-8 for x in a for y in b)
    for ad in adjoint_matrices(alg):  # every block is ad-invariant
        for q in blocks:
            img = ad @ q
            assert np.allclose(q @ (q.T @ img), img, atol=1e-8)


def test_so4_splits_into_two_su2_not_spanned_by_words():
    alg = lie_algebra(["XI", "IX", "ZZ"], 2)
    dec = decompose_algebra(alg)
    assert dec.simple_dims == (3, 3) and dec.center_dim == 0
    _check_ideals(alg, dec)
    # hand check: X1 + X2 and X1 - X2 each lie in one ideal, X1 alone in neither
    idx = {w: i for i, w in enumerate(alg.word_strings())}
    plus, minus, x1 = np.zeros(6), np.zeros(6), np.zeros(6)
    plus[[idx["XI"], idx["IX"]]] = [1, 1]
    minus[[idx["XI"], idx["IX"]]] = [1, -1]
    x1[idx["XI"]] = 1
    norms = [[np.linalg.norm(q.T @ v) ** 2 for q in dec.ideals] for v in (plus, minus, x1)]
    assert sorted(np.round(norms[0], 8)) == [0, 2] and sorted(np.round(norms[1], 8)) == [0, 2]
    assert np.allclose(norms[2], [0.5, 0.5])


def test_center_and_ideals_of_a_mixed_algebra():
    alg = lie_algebra(["XIII", "ZIII", "IXII", "IZII", "IIZI", "IIIX", "IIIZ"], 4)
    dec = decompose_algebra(alg)
    assert dec.simple_dims == (3, 3, 3) and dec.center_dim == 1
    _check_ideals(alg, dec)


def test_abelian_algebra_is_all_center():
    dec = decompose_algebra(lie_algebra(["XII", "IXI", "IIX"], 3))
    assert dec.simple_dims == () and dec.center_dim == 3


@pytest.mark.parametrize("n", [3, 4])
def test_tfim_is_simple(n):
    words = ["I" * j + "X" + "I" * (n - j - 1) for j in range(n)]
    words += ["I" * j + "ZZ" + "I" * (n - j - 2) for j in range(n - 1)]
    alg = lie_algebra(words, n)
    dec = decompose_algebra(alg)
    assert dec.simple_dims == (n * (2 * n - 1),) and dec.center_dim == 0


def test_sentence_basis_is_decomposed_too():
    from pennylane.pauli import PauliSentence, PauliWord

    xy = PauliSentence({PauliWord({0: "X", 1: "X"}): 1.0, PauliWord({0: "Y", 1: "Y"}): 1.0})
    alg = lie_algebra([xy, PauliWord({0: "Z"}), PauliWord({1: "Z"})], 2)
    assert alg.method == "pennylane"
    dec = decompose_algebra(alg)
    assert sum(dec.simple_dims) + dec.center_dim == alg.dim
    _check_ideals(alg, dec)


def test_larger_algebra_decomposes_in_seconds():
    import time

    n = 7  # all nearest-neighbour XX, YY on a chain: so/su-type algebra of a few hundred
    words = []
    for j in range(n - 1):
        words += ["I" * j + p + "I" * (n - j - 2) for p in ("XY", "YX")]
    words += ["I" * j + "Z" + "I" * (n - j - 1) for j in range(n)]
    alg = lie_algebra(words, n)
    start = time.perf_counter()
    dec = decompose_algebra(alg)
    assert time.perf_counter() - start < 10
    assert sum(dec.simple_dims) + dec.center_dim == alg.dim
