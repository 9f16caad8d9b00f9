"""Pauli-word Lie closure: hand-derived dimensions, qml.lie_closure, early su(2^n) detection."""

import numpy as np
import pennylane as qml
import pytest
from pennylane.pauli import PauliSentence, PauliWord

from plateau_pl.errors import ConfigurationError
from plateau_pl.lie.closure import lie_algebra, pauli_closure
from plateau_pl.lie.words import word_from_string, word_to_string


def _tfim(n):
    xs = ["I" * j + "X" + "I" * (n - j - 1) for j in range(n)]
    zz = ["I" * j + "ZZ" + "I" * (n - j - 2) for j in range(n - 1)]
    return xs + zz


def _all_local(n):
    from plateau_pl.quantum.paulis import pauli_terms

    return [word_to_string(word_from_string(w, idx), n) for w, idx in pauli_terms(n)]


def _pl_words(words):
    return [PauliWord({q: c for q, c in enumerate(w) if c != "I"}) for w in words]


def _pl_closure_words(words, n):
    out = set()
    for ps in qml.lie_closure(_pl_words(words), pauli=True):
        ((pw, _),) = PauliSentence(ps).items()
        out.add("".join(pw[q] if q in pw else "I" for q in range(n)))
    return out


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_tfim_open_chain_is_so_2n(n):
    alg = lie_algebra(_tfim(n), n)
    assert not alg.full_su
    assert alg.dim == n * (2 * n - 1)


@pytest.mark.parametrize("n", [1, 3, 5])
def test_x_only_is_abelian_of_dimension_n(n):
    alg = lie_algebra(["I" * j + "X" + "I" * (n - j - 1) for j in range(n)], n)
    assert alg.dim == n and not alg.full_su


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6, 8])
def test_all_one_and_two_local_detected_early(n):
    alg = lie_algebra(_all_local(n), n)
    assert alg.full_su and alg.dim == 4**n - 1
    assert alg.words == ()  # nothing enumerated
    assert alg.seconds < 5


def test_full_enumeration_of_all_local_words_agrees_at_small_n():
    for n in (2, 3):
        words, full = pauli_closure(
            [word_from_string(w) for w in _all_local(n)], n, detect_full=False
        )
        assert full and len(words) == 4**n - 1


@pytest.mark.parametrize(
    "words",
    [
        ["XI", "IX", "ZZ"],  # so(4)
        ["XII", "IXI", "IIX", "ZZI", "IZZ"],
        ["XX", "YY", "ZI"],
        ["XI", "IY", "ZZ", "IX"],  # sp(4), dimension 10
        ["XYZ", "ZZI", "IXX", "YII"],
        ["ZIII", "XXII", "IYYI", "IIZX", "XIIY"],
    ],
)
def test_pauli_closure_matches_pennylane(words):
    n = len(words[0])
    alg = lie_algebra(words, n, detect_full=False)
    assert set(alg.word_strings()) == _pl_closure_words(words, n)


def test_early_detection_agrees_with_full_enumeration_on_random_sets():
    rng = np.random.default_rng(7)
    tried = fired = 0
    for n in (1, 2, 3, 4):
        for _ in range(40 if n < 4 else 25):
            m = int(rng.integers(2, 2 * n + 3))
            words = ["".join(rng.choice(list("IXYZ"), size=n)) for _ in range(m)]
            if all(set(w) == {"I"} for w in words):
                continue
            early = lie_algebra(words, n)
            full = lie_algebra(words, n, detect_full=False)
            assert early.full_su == full.full_su == (full.dim == 4**n - 1)
            assert early.dim == full.dim
            tried += 1
            fired += early.full_su and len(early.words) == 0
    assert tried > 100 and fired > 10  # the criterion was exercised


def test_sum_generators_fall_back_to_pennylane():
    xy = PauliSentence({PauliWord({0: "X", 1: "X"}): 1.0, PauliWord({0: "Y", 1: "Y"}): 1.0})
    xy2 = PauliSentence({PauliWord({1: "X", 2: "X"}): 1.0, PauliWord({1: "Y", 2: "Y"}): 1.0})
    z0 = PauliWord({0: "Z"})
    alg = lie_algebra([xy, xy2, z0], 3)
    assert alg.method == "pennylane"
    assert alg.dim == len(qml.lie_closure([xy, xy2, PauliSentence({z0: 1.0})], pauli=True))
    # orthonormal rows
    assert np.allclose(alg.basis @ alg.basis.T, np.eye(alg.dim), atol=1e-10)


def test_closure_rejects_bad_input():
    with pytest.raises(ConfigurationError, match="letters I, X, Y, Z"):
        lie_algebra(["XQ"], 2)
    with pytest.raises(ConfigurationError, match="outside qubits"):
        lie_algebra(["XIZ"], 2)
    with pytest.raises(ConfigurationError, match="max_dim"):
        lie_algebra(_tfim(6), 6, max_dim=10)
    with pytest.raises(ConfigurationError, match="at least one"):
        lie_algebra(["II"], 2)
