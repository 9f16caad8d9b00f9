"""Pauli words as bit masks, and Hermitian operators as sums of them.

A Pauli word on ``n`` qubits is a pair of integers ``(x, z)``: bit ``q`` of ``x`` (of ``z``) is
set when the letter on qubit ``q`` has an X (a Z) part, so ``I = (0, 0)``, ``X = (1, 0)``,
``Z = (0, 1)``, ``Y = (1, 1)``. The Hermitian word is ``P = i^{|x∧z|} X^x Z^z`` (``Y = iXZ``).
Here qubit ``q`` is layout position ``q`` (bit ``q``, least significant first); statevectors keep
PennyLane's order (wire 0 the most significant bit of a basis index).

Products follow from ``X^{x₁}Z^{z₁}X^{x₂}Z^{z₂} = (-1)^{|z₁∧x₂|} X^{x₁⊕x₂} Z^{z₁⊕z₂}``; two words
anticommute when ``|x₁∧z₂| + |z₁∧x₂|`` is odd, and then ``-i[P₁, P₂] = ±2 P₁P₂`` up to a sign
:func:`bracket_sign` returns: the Lie bracket of Hermitian words has real structure constants.

A Hermitian operator is a :data:`PauliSum`: a ``dict`` from words to real coefficients.

**Example**

>>> key = word_from_string("XZ")
>>> key, word_to_string(key, 2)
((1, 2), 'XZ')
>>> anticommute(word_from_string("X"), word_from_string("Z"))
True
>>> bracket(word_from_string("X"), word_from_string("Y"))  # -i[X, Y] = 2 Z
(2, (0, 1))
"""

from __future__ import annotations

import re

import numpy as np

from plateau_pl._validation import check_int
from plateau_pl.errors import ConfigurationError, PlateauTypeError

__all__ = [
    "MAX_QUBITS",
    "PauliSum",
    "anticommute",
    "bracket",
    "check_key",
    "check_n_qubits",
    "expectations",
    "pauli_sum_from_matrix",
    "word_from_string",
    "word_to_string",
    "word_wires",
]

PauliSum = dict
"""``{(x, z): coefficient}``: a Hermitian operator as a real combination of Pauli words."""

_LETTER = {"I": (0, 0), "X": (1, 0), "Z": (0, 1), "Y": (1, 1)}
_NAME = {v: k for k, v in _LETTER.items()}
_INDEXED = re.compile(r"([IXYZ])(\d+)")


MAX_QUBITS = 64
"""Most qubits a word may span: the vectorised brackets hold words as 64-bit masks."""


def check_n_qubits(n_qubits) -> int:
    """``n_qubits`` as an int in ``1..MAX_QUBITS``.

    >>> check_n_qubits(65)
    Traceback (most recent call last):
        ...
    plateau_pl.errors.ConfigurationError: n_qubits must be <= 64 (Pauli words are 64-bit masks ...
    """
    n = check_int(n_qubits, "n_qubits", minimum=1)
    if n > MAX_QUBITS:
        raise ConfigurationError(
            f"n_qubits must be <= {MAX_QUBITS} (Pauli words are 64-bit masks here); got {n}"
        )
    return n


def check_key(key, name: str = "a word") -> tuple[int, int]:
    """An ``(x, z)`` key of non-negative integer bit masks, as plain ints.

    >>> check_key((1, 2))
    (1, 2)
    """
    if (
        isinstance(key, tuple)
        and len(key) == 2
        and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= 0
                for v in key)
    ):  # fmt: skip
        return int(key[0]), int(key[1])
    raise PlateauTypeError(
        f"{name} must be an (x, z) pair of non-negative integer bit masks; got {key!r:.80}"
    )


def _popcount(v: int) -> int:
    return int(v).bit_count()


def _complex_array(x, name: str) -> np.ndarray:
    """``x`` as a finite complex128 array, or a named error."""
    try:
        arr = np.asarray(x, dtype=np.complex128)
    except (TypeError, ValueError):
        raise PlateauTypeError(f"{name} must be a numeric array; got {type(x).__name__}") from None
    if not np.all(np.isfinite(arr)):
        raise ConfigurationError(f"{name} must be finite; got NaN or inf entries")
    return arr


def word_from_string(word: str, positions=None) -> tuple[int, int]:
    """The key ``(x, z)`` of a word like ``"XIZ"`` (letter ``k`` on ``positions[k]``, default
    ``k``) or ``"X0 Z2"`` (letters with their positions).

    >>> word_from_string("X0 Z2") == word_from_string("XIZ") == word_from_string("XZ", (0, 2))
    True
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
    if not letters or set(letters) - set(_LETTER) or len(positions) != len(letters):
        raise ConfigurationError(
            f"Pauli word must use the letters I, X, Y, Z (one per wire); got {word!r}"
        )
    if len(set(positions)) != len(positions):
        raise ConfigurationError(f"Pauli word {word!r} names a wire twice")
    x = z = 0
    for letter, q in zip(letters, positions, strict=True):
        bx, bz = _LETTER[letter]
        x |= bx << q
        z |= bz << q
    return x, z


def word_to_string(key: tuple[int, int], n_qubits: int) -> str:
    """``"XIZ"``: the letters of ``key`` on qubits ``0 .. n_qubits-1``."""
    x, z = key
    return "".join(_NAME[((x >> q) & 1, (z >> q) & 1)] for q in range(n_qubits))


def word_wires(key: tuple[int, int]) -> tuple[int, ...]:
    """The qubits a word acts on non-trivially."""
    s = key[0] | key[1]
    return tuple(q for q in range(s.bit_length()) if (s >> q) & 1)


def anticommute(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two words anticommute."""
    return bool((_popcount(a[0] & b[1]) + _popcount(a[1] & b[0])) & 1)


def product(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, tuple[int, int]]:
    """``(k, key)`` with ``P_a P_b = i^k P_key`` (``k`` mod 4)."""
    x, z = a[0] ^ b[0], a[1] ^ b[1]
    k = (
        _popcount(a[0] & a[1])
        + _popcount(b[0] & b[1])
        + 2 * _popcount(a[1] & b[0])
        - _popcount(x & z)
    )
    return k % 4, (x, z)


def bracket_sign(a: tuple[int, int], b: tuple[int, int]) -> int:
    """``s = ±1`` with ``-i[P_a, P_b] = 2 s P_a P_b`` for anticommuting words (0 otherwise)."""
    if not anticommute(a, b):
        return 0
    k, _ = product(a, b)  # k is odd; -i·2·i^k = 2·i^(k-1) = ±2
    return 1 if k == 1 else -1


def bracket(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, tuple[int, int]]:
    """``(f, key)`` with ``-i[P_a, P_b] = f P_key``, ``f ∈ {0, ±2}``."""
    s = bracket_sign(a, b)
    return 2 * s, (a[0] ^ b[0], a[1] ^ b[1])


def bracket_arrays(ax, az, bx, bz):
    """Vectorised :func:`bracket`: ``(f, x, z)`` arrays (``f`` is 0 where the words commute).

    Arguments are ``uint64`` arrays (broadcast against each other).
    """
    ax, az, bx, bz = (np.asarray(v, dtype=np.uint64) for v in (ax, az, bx, bz))
    anti = (np.bitwise_count(ax & bz) + np.bitwise_count(az & bx)) & 1
    x, z = ax ^ bx, az ^ bz
    k = (
        np.bitwise_count(ax & az).astype(np.int64)
        + np.bitwise_count(bx & bz)
        + 2 * np.bitwise_count(az & bx).astype(np.int64)
        - np.bitwise_count(x & z)
    ) % 4
    f = np.where(anti == 1, np.where(k == 1, 2.0, -2.0), 0.0)
    return f, x, z


def _index_masks(keys, n_qubits: int):
    """Word masks in PennyLane's basis-index order (qubit ``q`` ↔ bit ``n-1-q``)."""
    rev = np.array([1 << (n_qubits - 1 - q) for q in range(n_qubits)], dtype=np.uint64)
    out = []
    for part in (0, 1):
        m = np.array([k[part] for k in keys], dtype=np.uint64)
        bits = (m[:, None] >> np.arange(n_qubits, dtype=np.uint64)[None, :]) & np.uint64(1)
        out.append((bits * rev[None, :]).sum(axis=1).astype(np.uint64))
    return out


def expectations(psi, keys, n_qubits: int) -> np.ndarray:
    """``⟨ψ|P_k|ψ⟩`` (real) for every word in ``keys``; ``psi`` of length ``2**n_qubits`` in
    PennyLane's order. ``psi=None`` means ``|0…0⟩`` (then only I/Z words give 1).

    >>> psi = np.array([1, 1]) / np.sqrt(2)
    >>> expectations(psi, [word_from_string("X"), word_from_string("Z")], 1)
    array([1., 0.])
    """
    keys = list(keys)
    if psi is None:
        return np.array([1.0 if k[0] == 0 else 0.0 for k in keys])
    psi = _complex_array(psi, "psi").reshape(-1)
    if len(psi) != 2**n_qubits:
        raise ConfigurationError(f"state must have length {2**n_qubits}; got {len(psi)}")
    if not keys:
        return np.zeros(0)
    xs, zs = _index_masks(keys, n_qubits)
    idx = np.arange(2**n_qubits, dtype=np.uint64)
    out = np.empty(len(keys))
    for i, (xi, zi, k) in enumerate(zip(xs, zs, keys, strict=True)):
        sign = 1.0 - 2.0 * (np.bitwise_count(idx & zi) & 1)
        val = np.vdot(psi[idx ^ xi], sign * psi) * 1j ** _popcount(k[0] & k[1])
        out[i] = val.real
    return out


def pauli_sum_from_matrix(matrix, positions, tol: float = 1e-12) -> PauliSum:
    """The Pauli expansion ``{key: Tr(P M)/2^k}`` of a Hermitian ``2^k × 2^k`` matrix acting on
    the layout ``positions`` (PennyLane order: ``positions[0]`` most significant); the identity
    term is dropped, coefficients below ``tol`` too.

    >>> pauli_sum_from_matrix(np.diag([1.0, -1.0]), (3,))
    {(0, 8): 1.0}
    """
    m = _complex_array(matrix, "matrix")
    k = len(positions)
    if m.shape != (2**k, 2**k):
        raise ConfigurationError(f"matrix must be {2**k}x{2**k} for {k} wires; got {m.shape}")
    single = {
        "I": np.eye(2),
        "X": np.array([[0, 1], [1, 0]]),
        "Y": np.array([[0, -1j], [1j, 0]]),
        "Z": np.diag([1.0, -1.0]),
    }
    out: PauliSum = {}
    for letters in np.ndindex(*(4,) * k):
        word = "".join("IXYZ"[i] for i in letters)
        if set(word) == {"I"}:
            continue
        p = np.ones((1, 1))
        for ch in word:
            p = np.kron(p, single[ch])
        c = np.trace(p @ m).real / 2**k
        if abs(c) > tol:
            out[word_from_string(word, positions)] = float(c)
    return out
