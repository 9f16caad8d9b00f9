"""Pauli words as bit masks, and Hermitian operators as sums of them.

Words here are the packed keys ``(x, z)`` of :mod:`plateau_pl.quantum.paulis` (bit ``q`` of
``x``/``z`` set when the letter on qubit ``q`` has an X/Z part; ``I = (0, 0)``, ``X = (1, 0)``,
``Z = (0, 1)``, ``Y = (1, 1)``; the Hermitian word is ``P = i^{|x∧z|} X^x Z^z``, ``Y = iXZ``); the
conversions :func:`word_from_string`, :func:`word_to_string` and :func:`word_wires` live there and
are re-exported here. Qubit ``q`` is layout position ``q`` (bit ``q``, least significant first);
statevectors keep PennyLane's order (wire 0 the most significant bit of a basis index).

Products follow from ``X^{x₁}Z^{z₁}X^{x₂}Z^{z₂} = (-1)^{|z₁∧x₂|} X^{x₁⊕x₂} Z^{z₁⊕z₂}``; two words
anticommute when ``|x₁∧z₂| + |z₁∧x₂|`` is odd, and then ``-i[P₁, P₂] = ±2 P₁P₂`` up to a sign
:func:`bracket_sign` returns: the Lie bracket of Hermitian words has real structure constants.

A Hermitian operator is a :data:`PauliSum`: a ``dict`` from words to real coefficients.

**Why not PennyLane's words here.** The closure brackets every new word with every word found so
far — tens of thousands of words, hundreds of millions of brackets before su(2^n) is proven —
and :func:`bracket_arrays` does a batch of them in a few numpy bit operations on ``uint64``
masks. ``qml.pauli.PauliWord`` products are Python dict operations, word by word (orders of
magnitude slower), so the bracket algebra stays on masks. Where PennyLane does serve it is used:
:func:`pauli_sum_from_matrix` is ``qml.pauli_decompose(..., pauli=True)``, sentences convert with
:func:`to_pauli_sentence` / :func:`from_pauli_sentence`, and generators are read with
``qml.pauli.pauli_sentence``.

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

import math

import numpy as np

from plateau_pl._validation import check_int
from plateau_pl.errors import ConfigurationError, PlateauTypeError
from plateau_pl.quantum.paulis import word_from_string, word_to_string, word_to_term, word_wires

__all__ = [
    "MAX_QUBITS",
    "PauliSum",
    "anticommute",
    "bracket",
    "check_key",
    "check_n_qubits",
    "expectations",
    "from_pauli_sentence",
    "pauli_sum_from_matrix",
    "to_pauli_sentence",
    "word_from_string",
    "word_to_string",
    "word_wires",
]

PauliSum = dict
"""``{(x, z): coefficient}``: a Hermitian operator as a real combination of Pauli words."""


_PENNYLANE_ATOL = 1e-8  # qml.pauli_decompose drops coefficients c with allclose(c, 0)
_MAX_SHIFT = 60

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
    if isinstance(key, tuple) and len(key) == 2 and all(_is_mask(v) for v in key):
        return int(key[0]), int(key[1])
    raise PlateauTypeError(
        f"{name} must be an (x, z) pair of non-negative integer bit masks; got {key!r:.80}"
    )


def _is_mask(v) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= 0


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
    """The Pauli expansion ``{key: Re Tr(P M)/2^k}`` of a Hermitian ``2^k × 2^k`` matrix acting
    on the layout ``positions`` (PennyLane order: ``positions[0]`` most significant); the
    identity term is dropped, coefficients of modulus ``<= tol`` too.

    This is ``qml.pauli_decompose(M, pauli=True)`` (a Walsh–Hadamard transform, ``O(k 4^k)``).
    PennyLane drops coefficients within ``1e-8`` of zero on its own; ``M`` is first scaled by a
    power of two ``s`` (exact in floating point) with ``1e-8 / s <= tol``, so ``tol`` is the
    threshold that holds (down to ``tol ≈ 1e-26``, and for entries far below the largest
    float: the scale is capped there).

    >>> pauli_sum_from_matrix(np.diag([1.0, -1.0]), (3,))
    {(0, 8): 1.0}
    >>> pauli_sum_from_matrix(np.diag([1e-10, -1e-10]), (0,))  # below PennyLane's 1e-8
    {(0, 1): 1e-10}
    """
    import pennylane as qml

    m = _complex_array(matrix, "matrix")
    positions = list(positions)
    k = len(positions)
    if m.shape != (2**k, 2**k):
        raise ConfigurationError(f"matrix must be {2**k}x{2**k} for {k} wires; got {m.shape}")
    if len(set(positions)) != k:
        raise ConfigurationError(f"positions must be distinct; got {positions}")
    if k == 0 or not m.any():
        return {}
    # PennyLane's cut is |c| <= 1e-8; the coefficients of s·M are s·c, bit for bit
    shift = math.ceil(math.log2(_PENNYLANE_ATOL / tol)) if tol > 0 else _MAX_SHIFT
    largest = max(float(np.abs(m.real).max()), float(np.abs(m.imag).max()))
    headroom = math.floor(math.log2(np.finfo(float).max) - math.log2(largest) - 2)
    s = 2.0 ** min(max(shift, 0), _MAX_SHIFT, max(headroom, 0))
    try:
        sentence = qml.pauli_decompose(
            m * s, pauli=True, wire_order=positions, check_hermitian=False
        )
    except ValueError:  # PennyLane 0.45 cannot stack an empty list: every coefficient was cut
        return {}
    out: PauliSum = {}
    for pw, c in sentence.items():
        c = float(np.real(c)) / s
        if pw and abs(c) > tol:
            out[word_from_string("".join(pw.values()), list(pw))] = c
    return out


def to_pauli_sentence(op: PauliSum):
    """A :data:`PauliSum` as a ``qml.pauli.PauliSentence`` (position ``q`` is wire ``q``).

    >>> print(to_pauli_sentence({(1, 2): 0.5}))
    0.5 * X(0) @ Z(1)
    """
    from pennylane.pauli import PauliSentence, PauliWord

    terms = {}
    for key, c in op.items():
        letters, wires = word_to_term(check_key(key, "a PauliSum key"))
        terms[PauliWord(dict(zip(wires, letters, strict=True)))] = c
    return PauliSentence(terms)


def from_pauli_sentence(sentence, wire_pos: dict | None = None) -> PauliSum:
    """A ``qml.pauli.PauliSentence`` (or ``PauliWord``) as a :data:`PauliSum`: the identity
    dropped, coefficients made real (a complex one is an error); ``wire_pos`` maps wires to
    positions (default: wire ``q`` is position ``q``, for non-negative integer wires).

    >>> import pennylane as qml
    >>> from_pauli_sentence(qml.pauli.pauli_sentence(qml.X(0) @ qml.Y(1) + 2 * qml.Z(1)))
    {(3, 2): 1.0, (0, 2): 2.0}
    """
    from pennylane.pauli import PauliSentence, PauliWord

    if isinstance(sentence, PauliWord):
        sentence = PauliSentence({sentence: 1.0})
    if not isinstance(sentence, PauliSentence):
        raise PlateauTypeError(
            f"sentence must be a PennyLane PauliSentence or PauliWord; got "
            f"{type(sentence).__name__}"
        )
    out: PauliSum = {}
    for pw, c in sentence.items():
        if wire_pos is None:
            bad = [w for w in pw if not _is_mask(w)]
        else:
            bad = [w for w in pw if w not in wire_pos]
        if bad:
            known = "non-negative integers" if wire_pos is None else sorted(wire_pos)
            raise ConfigurationError(
                f"Pauli word {pw} acts on wires outside the circuit's wires {known}"
            )
        if not pw:
            continue
        positions = list(pw) if wire_pos is None else [wire_pos[w] for w in pw]
        key = word_from_string("".join(pw.values()), positions)
        if abs(np.imag(c)) > 1e-12:
            raise ConfigurationError(f"generator {sentence} is not Hermitian (complex coefficient)")
        out[key] = out.get(key, 0.0) + float(np.real(c))
    return out
