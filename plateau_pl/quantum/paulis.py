"""Pauli letters, their matrices and Pauli words: the one home for all of them.

**The word type.** A Pauli word is a string of letters from :data:`PAULI_LETTERS` together with
the wires the letters act on, ``("XZ", (0, 2))`` — PennyLane's own form
(``qml.PauliRot(θ, "XZ", wires=[0, 2])``), and the one ansätze (:func:`pauli_terms`),
Hamiltonian terms (:class:`~plateau_pl.hamiltonians.PauliTerm`) and observables use. A word on
every wire ``0 .. n-1`` in order may leave the wires out: ``"XIZ"`` is ``("XIZ", (0, 1, 2))``.
The letters' ``2 × 2`` matrices are :data:`PAULI_MATRICES` (by letter) and :data:`PAULI_ARRAY`
(stacked in ``I, X, Y, Z`` order); :func:`word_matrix` and :func:`pauli_matrix` give a word's
dense matrix. No other module keeps a table of its own.

**The packed encoding** (the *key*). Code that multiplies thousands of words — the Lie closure
in :mod:`plateau_pl.lie.words` — packs a word into a pair ``(x, z)`` of integer bit masks: bit
``w`` of ``x`` (of ``z``) is set when the letter on wire ``w`` has an X (a Z) part, so
``I = (0, 0)``, ``X = (1, 0)``, ``Y = (1, 1)``, ``Z = (0, 1)`` (:data:`PAULI_BITS`), wire 0 the
*least* significant bit; the Hermitian word is ``i^{|x∧z|} X^x Z^z``. :func:`word_from_string`
packs a word, :func:`word_to_string` and :func:`word_to_term` unpack a key. The Pauli-path
engine keeps the same ``(x, z)`` bits one ``uint8`` per wire (a column per walk), read from
:data:`PAULI_BITS` too.

**Index maps: no dense matrix per word.** A word ``P`` on ``n`` wires has exactly one non-zero
entry per row: ``P[a, a ^ x] = v[a]`` with ``x`` the mask of its X and Y letters *in basis-index
order* (PennyLane's: wire 0 the most significant bit of ``a``, the reverse of the key's bit
order) and ``v[a] ∈ {±1, ±i}`` (:func:`pauli_index_map`). Storing ``(x, v)`` costs ``O(2**n)``
per term instead of ``O(4**n)``, and ``Tr(P G) = Σ_a v[a] G[a ^ x, a]`` costs ``O(2**n)`` too.

**Example**

>>> import numpy as np
>>> x, v = pauli_index_map("XY", (0, 1), n_wires=2)
>>> dense = np.zeros((4, 4), complex); dense[np.arange(4), np.arange(4) ^ x] = v
>>> np.array_equal(dense, np.kron(PAULI_MATRICES["X"], PAULI_MATRICES["Y"]))
True
>>> key = word_from_string("XZ", (0, 2))    # the word ("XZ", (0, 2)), packed
>>> key, word_to_string(key, 3), word_to_term(key)
((1, 4), 'XIZ', ('XZ', (0, 2)))
"""

from __future__ import annotations

import functools
import itertools
import re
import types

import numpy as np

from plateau_pl._validation import check_instance, check_int, check_memory
from plateau_pl.errors import ConfigurationError, PlateauTypeError
from plateau_pl.quantum._sizes import power, product

__all__ = [
    "PAULI_ARRAY",
    "PAULI_BITS",
    "PAULI_LETTERS",
    "PAULI_MATRICES",
    "nonidentity_words",
    "pauli_index_map",
    "pauli_matrix",
    "pauli_terms",
    "pauli_transfer_matrix",
    "pauli_word_matrices",
    "word_from_string",
    "word_matrix",
    "word_to_string",
    "word_to_term",
    "word_wires",
]

PAULI_LETTERS = "IXYZ"
"""The single-qubit Pauli letters."""


def _read_only(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


PAULI_ARRAY = _read_only(
    np.array(
        [[[1, 0], [0, 1]], [[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]],
        dtype=np.complex128,
    )
)
"""``(4, 2, 2)`` complex128, read only: the matrices of ``I, X, Y, Z`` (:data:`PAULI_LETTERS`
order)."""

PAULI_MATRICES = types.MappingProxyType(dict(zip(PAULI_LETTERS, PAULI_ARRAY, strict=True)))
"""``{"I": I, "X": X, "Y": Y, "Z": Z}``: the ``2 × 2`` complex128 matrices (read only)."""

PAULI_BITS = types.MappingProxyType({"I": (0, 0), "X": (1, 0), "Y": (1, 1), "Z": (0, 1)})
"""``{letter: (x, z)}``: whether the letter has an X part and a Z part (``Y = iXZ``)."""

_LETTER_OF_BITS = {bits: letter for letter, bits in PAULI_BITS.items()}
_INDEXED = re.compile(r"([IXYZ])(\d+)")
_TERM_BYTES = 256  # one ("XY", (i, j)) term: two tuples, a string and two ints


def _check_dense(n_wires: int, per_amplitude: float, what: str) -> None:
    check_memory(product(per_amplitude, power(2, n_wires)), what, "use fewer qubits")


def pauli_terms(n_wires: int) -> list[tuple[str, tuple[int, ...]]]:
    """Every 1-local and 2-local Pauli term on ``n_wires`` qubits, in lexicographic order.

    Returns ``3n`` terms ``("X", (i,))``, ... followed by ``9n(n-1)/2`` terms
    ``("XY", (i, j))`` with ``i < j``.

    >>> len(pauli_terms(3)), pauli_terms(2)[:2], pauli_terms(2)[3]
    (36, [('X', (0,)), ('Y', (0,))], ('X', (1,)))
    """
    n_wires = check_int(n_wires, "n_wires", minimum=0)
    check_memory(
        product(_TERM_BYTES, 3 * n_wires + 9 * n_wires * max(n_wires - 1, 0) // 2),
        f"the list of every 1- and 2-local Pauli term on {n_wires} qubits",
        "use fewer qubits",
    )
    one = [(p, (i,)) for i in range(n_wires) for p in "XYZ"]
    two = [
        (p + q, (i, j))
        for i, j in itertools.combinations(range(n_wires), 2)
        for p, q in itertools.product("XYZ", repeat=2)
    ]
    return one + two


@functools.cache
def _bits(n_wires: int) -> np.ndarray:
    """``bits[a, w]`` = bit of wire ``w`` in basis index ``a`` (wire 0 most significant)."""
    a = np.arange(2**n_wires)
    return (a[:, None] >> (n_wires - 1 - np.arange(n_wires))[None, :]) & 1


def pauli_index_map(word: str, wires, n_wires: int) -> tuple[int, np.ndarray]:
    """``(x, v)`` with ``P[a, a ^ x] = v[a]`` for the Pauli string ``word`` on ``wires``.

    Args:
        word: letters from ``"IXYZ"``, one per wire.
        wires: the wires the letters act on (distinct, ``< n_wires``).
        n_wires: total number of qubits.

    Returns:
        tuple: the X-mask ``x`` (int) and the complex128 values ``v`` of shape ``(2**n_wires,)``.
    """
    check_instance(word, "word", str, "a string of Pauli letters (e.g. 'XZ')")
    n_wires = check_int(n_wires, "n_wires", minimum=1)
    try:
        wires = tuple(int(w) for w in wires)
    except (TypeError, ValueError):
        raise PlateauTypeError(f"wires must be a sequence of integers; got {wires!r:.80}") from None
    if len(word) != len(wires) or set(word) - set(PAULI_LETTERS):
        raise ConfigurationError(
            f"Pauli word must use letters from {PAULI_LETTERS!r}, one per wire; got {word!r} on "
            f"wires {wires}"
        )
    if len(set(wires)) != len(wires) or any(not 0 <= w < n_wires for w in wires):
        raise ConfigurationError(
            f"Pauli word wires must be distinct and in 0..{n_wires - 1}; got {wires}"
        )
    _check_dense(n_wires, 16 + 8 * n_wires, f"the index map of a Pauli word on {n_wires} qubits")
    bits = _bits(n_wires)
    x = 0
    v = np.ones(2**n_wires, dtype=np.complex128)
    for letter, w in zip(word, wires, strict=True):
        sign = 1 - 2 * bits[:, w]  # (-1)^bit
        if letter in "XY":
            x |= 1 << (n_wires - 1 - w)
        if letter == "Z":
            v *= sign
        elif letter == "Y":  # <a|Y|a^1> = -i (-1)^a
            v *= -1j * sign
    return x, v


def pauli_matrix(word: str, wires, n_wires: int) -> np.ndarray:
    """The dense ``(2**n, 2**n)`` matrix of a Pauli string (for tests and small checks).

    >>> pauli_matrix("Z", (0,), 1).real
    array([[ 1.,  0.],
           [ 0., -1.]])
    """
    n_wires = check_int(n_wires, "n_wires", minimum=1)
    what = f"the dense matrix of a Pauli word on {n_wires} qubits"
    _check_dense(n_wires, product(16, power(2, n_wires)), what)
    x, v = pauli_index_map(word, wires, n_wires)
    d = 2**n_wires
    out = np.zeros((d, d), dtype=np.complex128)
    out[np.arange(d), np.arange(d) ^ x] = v
    return out


def word_from_string(word: str, positions=None) -> tuple[int, int]:
    """The key ``(x, z)`` of a word: ``"XIZ"`` (letter ``k`` on wire ``positions[k]``, default
    ``k``), ``("XZ", (0, 2))`` as ``word_from_string("XZ", (0, 2))``, or ``"X0 Z2"`` (letters
    with their wires; ``,`` and ``@`` separate too).

    >>> word_from_string("X0 Z2") == word_from_string("XIZ") == word_from_string("XZ", (0, 2))
    True
    >>> word_from_string("Y")
    (1, 1)
    """
    if not isinstance(word, str):
        raise PlateauTypeError(f"a Pauli word must be a string; got {type(word).__name__}")
    text = word.replace(",", " ").replace("@", " ").strip().upper()
    if any(ch.isdigit() for ch in text):
        pairs = _INDEXED.findall(text)
        if not pairs or _INDEXED.sub("", text).strip():
            raise ConfigurationError(f"Pauli word must look like 'XIZ' or 'X0 Z2'; got {word!r}")
        letters = "".join(p[0] for p in pairs)
        positions = [int(p[1]) for p in pairs]
    else:
        letters = text.replace(" ", "")
        positions = range(len(letters)) if positions is None else positions
    positions = list(positions)
    if not letters or set(letters) - set(PAULI_BITS) or len(positions) != len(letters):
        raise ConfigurationError(
            f"Pauli word must use the letters I, X, Y, Z (one per wire); got {word!r}"
        )
    if len(set(positions)) != len(positions):
        raise ConfigurationError(f"Pauli word {word!r} names a wire twice")
    x = z = 0
    for letter, q in zip(letters, positions, strict=True):
        bx, bz = PAULI_BITS[letter]
        x |= bx << q
        z |= bz << q
    return x, z


def word_to_string(key: tuple[int, int], n_qubits: int) -> str:
    """``"XIZ"``: the letters of the key ``(x, z)`` on wires ``0 .. n_qubits-1``.

    >>> word_to_string((1, 4), 3)
    'XIZ'
    """
    x, z = key
    return "".join(_LETTER_OF_BITS[((x >> q) & 1, (z >> q) & 1)] for q in range(n_qubits))


def word_wires(key: tuple[int, int]) -> tuple[int, ...]:
    """The wires a key ``(x, z)`` acts on non-trivially, in increasing order.

    >>> word_wires((1, 4))
    (0, 2)
    """
    s = key[0] | key[1]
    return tuple(q for q in range(s.bit_length()) if (s >> q) & 1)


def word_to_term(key: tuple[int, int]) -> tuple[str, tuple[int, ...]]:
    """The word ``(letters, wires)`` of a key, on its non-identity wires (``("", ())`` for the
    identity): for any other key the inverse of ``word_from_string(letters, wires)``.

    >>> word_to_term((5, 6))
    ('XZY', (0, 1, 2))
    >>> word_from_string(*word_to_term((5, 6)))
    (5, 6)
    """
    wires = word_wires(key)
    x, z = key
    return "".join(_LETTER_OF_BITS[((x >> q) & 1, (z >> q) & 1)] for q in wires), wires


def word_matrix(word: str) -> np.ndarray:
    """The dense ``(2**k, 2**k)`` matrix of a ``k``-letter word on wires ``0 .. k-1`` (the
    Kronecker product of its letters' matrices; computed once per word, then shared: read only).
    ``pauli_matrix(word, range(k), k)`` is the same matrix.

    >>> word_matrix("XZ").real
    array([[ 0.,  0.,  1.,  0.],
           [ 0., -0.,  0., -1.],
           [ 1.,  0.,  0.,  0.],
           [ 0., -1.,  0., -0.]])
    """
    check_instance(word, "word", str, "a string of Pauli letters (e.g. 'XZ')")
    if set(word) - set(PAULI_LETTERS):
        raise ConfigurationError(
            f"Pauli word must use letters from {PAULI_LETTERS!r}; got {word!r}"
        )
    check_memory(
        product(16, power(4, len(word))),
        f"the dense matrix of a {len(word)}-letter Pauli word",
        "use fewer qubits",
    )
    return _word_matrix(word)


@functools.cache
def _word_matrix(word: str) -> np.ndarray:
    out = np.ones((1, 1), dtype=np.complex128)
    for letter in word:
        out = np.kron(out, PAULI_MATRICES[letter])
    return _read_only(out)


def pauli_transfer_matrix(kraus) -> np.ndarray:
    """``R[i, j] = ½ Tr(P_i E(P_j))`` over ``(I, X, Y, Z)`` of the single-qubit channel
    ``E(ρ) = Σ_k K_k ρ K_k†`` given by its Kraus matrices (``2 × 2`` each).

    Row 0 is ``(1, 0, 0, 0)`` for a trace-preserving channel; ``R[1:, 0]`` is the shift of the
    Bloch vector (zero for unital channels); a Pauli channel's ``R`` is diagonal.

    >>> p = 0.25   # bit flip: K_0 = √(1-p) I, K_1 = √p X
    >>> pauli_transfer_matrix([np.sqrt(1 - p) * np.eye(2), np.sqrt(p) * PAULI_MATRICES["X"]])
    array([[1. , 0. , 0. , 0. ],
           [0. , 1. , 0. , 0. ],
           [0. , 0. , 0.5, 0. ],
           [0. , 0. , 0. , 0.5]])
    """
    ks = [np.asarray(k) for k in kraus]
    if not ks or any(k.shape != (2, 2) for k in ks):
        raise ConfigurationError(
            f"kraus must be a non-empty list of 2x2 matrices; got shapes {[k.shape for k in ks]}"
        )
    out = np.empty((4, 4))
    for j, pj in enumerate(PAULI_ARRAY):
        image = sum(k @ pj @ k.conj().T for k in ks)
        for i, pi in enumerate(PAULI_ARRAY):
            out[i, j] = 0.5 * np.trace(pi @ image).real
    return out


def nonidentity_words(n_wires: int) -> tuple[str, ...]:
    """The ``4**n - 1`` Pauli words on ``n`` wires other than the identity, in ``IXYZ`` order.

    >>> nonidentity_words(1)
    ('X', 'Y', 'Z')
    """
    n_wires = check_int(n_wires, "n_wires", minimum=1)
    check_memory(
        product(64 + n_wires, power(4, n_wires)),
        f"the 4**{n_wires} - 1 Pauli words on {n_wires} qubits",
        "use fewer (visible) qubits",
    )
    return _nonidentity_words(n_wires)


@functools.cache
def _nonidentity_words(n_wires: int) -> tuple[str, ...]:
    words = ("".join(w) for w in itertools.product(PAULI_LETTERS, repeat=n_wires))
    return tuple(w for w in words if set(w) != {"I"})


def pauli_word_matrices(n_wires: int) -> np.ndarray:
    """Dense matrices ``(4**n - 1, 2**n, 2**n)`` of :func:`nonidentity_words` — the basis in
    which ``ρ = (I + Σ_P ⟨P⟩ P) / 2**n`` (computed once per ``n``, then shared: read only).

    >>> pauli_word_matrices(2).shape
    (15, 4, 4)
    """
    n_wires = check_int(n_wires, "n_wires", minimum=1)
    check_memory(
        product(16, power(16, n_wires)),
        f"the dense matrices of the 4**{n_wires} - 1 Pauli words on {n_wires} qubits",
        "use fewer visible qubits (visible states from Pauli expectation values need 16**n_v "
        "entries)",
    )
    return _pauli_word_matrices(n_wires)


@functools.cache
def _pauli_word_matrices(n_wires: int) -> np.ndarray:
    wires = tuple(range(n_wires))
    return np.stack([pauli_matrix(w, wires, n_wires) for w in _nonidentity_words(n_wires)])
