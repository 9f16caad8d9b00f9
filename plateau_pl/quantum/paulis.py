"""Pauli strings as index maps: no dense matrix per term.

A Pauli string ``P`` on ``n`` qubits (wire 0 the most significant bit) has exactly one non-zero
entry per row: ``P[a, a ^ x] = v[a]`` with ``x`` the bit mask of its X and Y letters and
``v[a] ∈ {±1, ±i}``. Storing ``(x, v)`` costs ``O(2**n)`` per term instead of ``O(4**n)``, and
``Tr(P G) = Σ_a v[a] G[a ^ x, a]`` costs ``O(2**n)`` too.

**Example**

>>> import numpy as np
>>> x, v = pauli_index_map("XY", (0, 1), n_wires=2)
>>> dense = np.zeros((4, 4), complex); dense[np.arange(4), np.arange(4) ^ x] = v
>>> np.allclose(dense, np.kron([[0, 1], [1, 0]], [[0, -1j], [1j, 0]]))
True
"""

from __future__ import annotations

import functools
import itertools

import numpy as np

from plateau_pl._validation import check_instance, check_int, check_memory
from plateau_pl.errors import ConfigurationError, PlateauTypeError
from plateau_pl.quantum._sizes import power, product

__all__ = [
    "PAULI_LETTERS",
    "nonidentity_words",
    "pauli_index_map",
    "pauli_matrix",
    "pauli_terms",
    "pauli_word_matrices",
]

PAULI_LETTERS = "IXYZ"
"""The single-qubit Pauli letters."""

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
