"""Pauli sums: PennyLane's decomposition and sentences behind the bit-mask keys."""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pennylane as qml
import pytest

from plateau_pl.lie.words import (
    from_pauli_sentence,
    pauli_sum_from_matrix,
    to_pauli_sentence,
    word_from_string,
)
from plateau_pl.quantum.paulis import PAULI_LETTERS, PAULI_MATRICES


def _by_traces(m, positions, tol):
    """The expansion by traces, word by word (the hand-written reference)."""
    k = len(positions)
    out = {}
    for letters in itertools.product(PAULI_LETTERS, repeat=k):
        if set(letters) == {"I"}:
            continue
        p = functools.reduce(np.kron, [PAULI_MATRICES[c] for c in letters])
        c = np.trace(p @ m).real / 2**k
        if abs(c) > tol:
            out[word_from_string("".join(letters), positions)] = float(c)
    return out


@pytest.mark.parametrize("k", [1, 2, 3])
def test_decomposition_matches_traces(k):
    rng = np.random.default_rng(k)
    a = rng.normal(size=(2**k, 2**k)) + 1j * rng.normal(size=(2**k, 2**k))
    h = a + a.conj().T
    positions = [5, 0, 2][:k]
    got, want = pauli_sum_from_matrix(h, positions), _by_traces(h, positions, 1e-12)
    assert list(got) == list(want)  # same words, same (IXYZ) order
    assert np.allclose([got[w] for w in want], list(want.values()), rtol=0, atol=1e-14)


def test_tol_is_the_threshold_below_pennylanes_cut():
    small = np.diag([3e-10, -3e-10])
    assert pauli_sum_from_matrix(small, (0,)) == {(0, 1): pytest.approx(3e-10, rel=1e-15)}
    assert pauli_sum_from_matrix(small, (0,), tol=1e-9) == {}
    assert pauli_sum_from_matrix(np.zeros((4, 4)), (0, 1)) == {}
    assert pauli_sum_from_matrix(np.eye(2), (0,)) == {}  # the identity is dropped


def test_sentences_round_trip():
    op = {(1, 2): 0.5, (4, 4): -1.25, (3, 0): 2.0}
    ps = to_pauli_sentence(op)
    assert from_pauli_sentence(ps) == op
    assert from_pauli_sentence(qml.pauli.pauli_sentence(qml.Y(1) @ qml.X(3))) == {(10, 2): 1.0}
    assert from_pauli_sentence(ps, {0: 2, 1: 0, 2: 1}) == {(4, 1): 0.5, (2, 2): -1.25, (5, 0): 2.0}


def test_sentences_refused():
    from plateau_pl.errors import ConfigurationError, PlateauTypeError

    with pytest.raises(ConfigurationError, match="outside the circuit's wires"):
        from_pauli_sentence(qml.pauli.pauli_sentence(qml.X("a")))
    with pytest.raises(ConfigurationError, match="outside the circuit's wires"):
        from_pauli_sentence(qml.pauli.pauli_sentence(qml.X(3)), {0: 0})
    with pytest.raises(ConfigurationError, match="not Hermitian"):
        from_pauli_sentence(qml.pauli.pauli_sentence(1j * qml.X(0)))
    with pytest.raises(PlateauTypeError):
        from_pauli_sentence({"X": 1.0})
