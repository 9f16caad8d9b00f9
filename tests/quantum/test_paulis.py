"""The one home of the Pauli letters, their matrices and the word conversions."""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pytest

from plateau_pl.errors import ConfigurationError, PlateauTypeError
from plateau_pl.quantum.paulis import (
    PAULI_ARRAY,
    PAULI_BITS,
    PAULI_LETTERS,
    PAULI_MATRICES,
    pauli_index_map,
    pauli_matrix,
    pauli_transfer_matrix,
    word_from_string,
    word_matrix,
    word_to_string,
    word_to_term,
    word_wires,
)

X, Y, Z = (PAULI_MATRICES[c] for c in "XYZ")


def test_tables_agree_and_are_read_only():
    assert list(PAULI_MATRICES) == list(PAULI_LETTERS) == list(PAULI_BITS)
    for i, letter in enumerate(PAULI_LETTERS):
        assert np.array_equal(PAULI_ARRAY[i], PAULI_MATRICES[letter])
    assert np.allclose(X @ Y, 1j * Z) and np.allclose(Y, 1j * X @ Z)  # Y = iXZ: bits (1, 1)
    with pytest.raises(ValueError):
        PAULI_ARRAY[0, 0, 0] = 2
    with pytest.raises(TypeError):
        PAULI_MATRICES["X"] = Z


@pytest.mark.parametrize("n", [1, 2, 3])
def test_word_string_key_and_term_round_trip(n):
    for letters in itertools.product(PAULI_LETTERS, repeat=n):
        word = "".join(letters)
        key = word_from_string(word)
        assert word_to_string(key, n) == word
        term, wires = word_to_term(key)
        assert wires == word_wires(key) == tuple(q for q, c in enumerate(word) if c != "I")
        assert term == word.replace("I", "")
        if wires:
            assert word_from_string(term, wires) == key
            spaced = " ".join(f"{c}{q}" for c, q in zip(term, wires, strict=True))
            assert word_from_string(spaced) == key


def test_key_bits_are_the_letter_bits():
    key = word_from_string("YXZ", (4, 0, 2))
    for q, letter in ((4, "Y"), (0, "X"), (2, "Z")):
        assert ((key[0] >> q) & 1, (key[1] >> q) & 1) == PAULI_BITS[letter]


@pytest.mark.parametrize(
    ("word", "positions", "error"),
    [
        (3, None, PlateauTypeError),
        ("XQ", None, ConfigurationError),
        ("XX", (0, 0), ConfigurationError),
        ("X0 Z", None, ConfigurationError),
        ("XY", (0,), ConfigurationError),
    ],
)
def test_word_from_string_refuses(word, positions, error):
    with pytest.raises(error):
        word_from_string(word, positions)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_word_matrix_is_the_kron_and_the_index_map(n):
    for letters in itertools.product(PAULI_LETTERS, repeat=n):
        word = "".join(letters)
        kron = functools.reduce(np.kron, [PAULI_MATRICES[c] for c in word])
        assert np.array_equal(word_matrix(word), kron)
        assert np.array_equal(pauli_matrix(word, range(n), n), kron)
        # the index map's x is the key's x in basis-index order (wire 0 most significant)
        x, _ = pauli_index_map(word, range(n), n)
        key_x = word_from_string(word)[0]
        assert x == sum(1 << (n - 1 - q) for q in range(n) if (key_x >> q) & 1)
    assert not word_matrix("XY").flags.writeable
    with pytest.raises(ConfigurationError):
        word_matrix("XA")


def test_pauli_transfer_matrix():
    p = 0.3  # depolarizing: factors 1 - 4p/3
    ks = [np.sqrt(1 - p) * np.eye(2)] + [np.sqrt(p / 3) * PAULI_MATRICES[c] for c in "XYZ"]
    assert np.allclose(pauli_transfer_matrix(ks), np.diag([1, *[1 - 4 * p / 3] * 3]))
    g = 0.2  # amplitude damping: not unital, <Z> shifted by g
    ks = [np.array([[1, 0], [0, np.sqrt(1 - g)]]), np.array([[0, np.sqrt(g)], [0, 0]])]
    r = pauli_transfer_matrix(ks)
    assert np.isclose(r[3, 0], g) and np.isclose(r[3, 3], 1 - g)
    with pytest.raises(ConfigurationError):
        pauli_transfer_matrix([np.eye(4)])
