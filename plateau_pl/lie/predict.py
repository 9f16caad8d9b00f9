r"""Lie-algebraic prediction of the loss mean and variance of deep circuits.

For ``ℓ(θ) = Tr(U(θ) ρ U(θ)† O)`` with ``U`` drawn from a 2-design over the Lie group of the
dynamical Lie algebra ``g = c ⊕ g_1 ⊕ … ⊕ g_k`` (``g_j`` simple, ``c`` the center) and
``O ∈ ig`` or ``ρ ∈ ig`` (up to multiples of the identity), Ragone et al. 2024
(arXiv:2309.09342) and Fontana et al. 2024 (arXiv:2309.07902) give

.. math::

    \mathbb{E}[\ell] = \frac{\operatorname{Tr}O}{d} + \operatorname{Tr}(\rho_{c}\, O_{c}),
    \qquad
    \operatorname{Var}[\ell] = \sum_j \frac{P_{g_j}(\rho)\, P_{g_j}(O)}{\dim g_j},

with the *g-purity* ``P_{g_j}(H) = Tr(H_{g_j}²) = Σ_a Tr(B_a H)²`` over a Hilbert–Schmidt
orthonormal basis ``B_a`` of ``i g_j`` (:func:`g_purity`). The center adds no variance. For
``g = su(d)``, a pure ``ρ`` and a Pauli ``O``: ``P(ρ) = 1 - 1/d``, ``P(O) = d`` and
``Var = 1/(d+1)``, the Haar value.

**Only for deep circuits.** The formula holds when the random-parameter ensemble of the circuit
is (close to) a 2-design over the group ``e^g``: many layers. A shallow circuit can have a much
larger (or smaller) variance than predicted. When neither ``O`` nor ``ρ`` lies in ``ig`` the
formula does not hold and :attr:`LiePrediction.applies` is ``False``.

Purities of ``ρ = |ψ⟩⟨ψ|`` use ``⟨ψ|P|ψ⟩`` per basis word (for ``|0…0⟩``: 1 for I/Z words,
else 0; no dense matrix at all); Pauli observables are handled as Pauli sums.

**Example**

>>> import plateau_pl as pp
>>> qnn = pp.QNN(pp.WireLayout(1, 2), "random_two_local", device="default.qubit", seed=0)
>>> pred = predict_variance(qnn)
>>> pred.is_full_su, pred.dim, round(pred.variance, 6)   # 1/(d+1), d = 8
(True, 63, 0.111111)
>>> tfim = ["XII", "IXI", "IIX", "ZZI", "IZZ"]
>>> p = predict_variance(tfim, observable="XII", n_qubits=3)
>>> p.simple_dims, round(p.variance, 6)
((15,), 0.133333)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from plateau_pl._validation import check_instance, check_int, check_seed
from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError, ShapeError
from plateau_pl.lie.closure import MAX_DIM, LieAlgebra, lie_algebra
from plateau_pl.lie.decompose import decompose_algebra
from plateau_pl.lie.words import (
    PauliSum,
    _complex_array,
    check_n_qubits,
    expectations,
    pauli_sum_from_matrix,
    word_to_string,
)
from plateau_pl.quantum.paulis import word_matrix

__all__ = [
    "MAX_DENSE_QUBITS",
    "LiePrediction",
    "g_purity",
    "light_cone",
    "predict_variance",
]

MAX_DENSE_QUBITS = 14
"""Largest ``n`` for which a dense ``2^n`` statevector is built (fixed leading gates or a
user ``initial_state`` with an algebra that is not su(2^n))."""

_TOL = 1e-9


@dataclass(frozen=True)
class LiePrediction:
    """The Lie-algebraic prediction of ``E[ℓ]`` and ``Var[ℓ]`` for a deep circuit."""

    n_qubits: int
    """Number of qubits."""
    dim: int
    """``dim g``."""
    is_full_su: bool
    """Whether ``g = su(2^n)``."""
    simple_dims: tuple
    """Dimensions of the simple ideals ``g_j``."""
    center_dim: int
    """Dimension of the center."""
    purity_state: tuple
    """``P_{g_j}(ρ)`` per simple ideal."""
    purity_observable: tuple
    """``P_{g_j}(O)`` per simple ideal."""
    variance: float | None
    """``Σ_j P_j(ρ) P_j(O) / dim g_j``; ``None`` when the formula does not apply."""
    mean: float | None
    """``Tr O / d + Tr(ρ_c O_c)``; ``None`` when the formula does not apply."""
    applies: bool
    """Whether ``O ∈ ig`` or ``ρ ∈ ig`` (up to the identity), so the formula holds."""
    reason: str
    """Why it applies or not."""
    observable: str = ""
    """The observable as a Pauli sum (after absorbing trailing fixed gates)."""
    n_generators: int = 0
    """Number of distinct generators."""
    method: str = "pauli"
    """How the closure was computed (``"pauli"`` bit masks or ``"pennylane"``)."""
    seconds: float = 0.0
    """Wall time of the prediction."""
    extra: dict = field(default_factory=dict, compare=False)
    """``closure_s``, ``decompose_s`` timings and the ``g``-purities of the center."""

    def to_dict(self) -> dict:
        """Record fields (``lie_`` prefix)."""
        return {
            "lie_n_qubits": self.n_qubits,
            "lie_dim": self.dim,
            "lie_full_su": self.is_full_su,
            "lie_simple_dims": list(self.simple_dims),
            "lie_center_dim": self.center_dim,
            "lie_purity_state": list(self.purity_state),
            "lie_purity_observable": list(self.purity_observable),
            "lie_variance": self.variance,
            "lie_mean": self.mean,
            "lie_applies": self.applies,
            "lie_reason": self.reason,
            "lie_observable": self.observable,
            "lie_n_generators": self.n_generators,
            "lie_method": self.method,
            "lie_seconds": self.seconds,
        }

    def __str__(self) -> str:
        algebra = f"su(2^{self.n_qubits})" if self.is_full_su else self._structure()
        lines = [
            f"dynamical Lie algebra: dim {self.dim} = {algebra}  "
            f"({self.n_generators} generators, {self.method} closure)",
            f"observable: {self.observable}",
        ]
        for j, dj in enumerate(self.simple_dims):
            lines.append(
                f"  ideal {j} (dim {dj}): P(rho) = {self.purity_state[j]:.6g}, "
                f"P(O) = {self.purity_observable[j]:.6g}"
            )
        if self.applies:
            lines.append(f"predicted Var[loss] = {self.variance:.6g}, E[loss] = {self.mean:.6g}")
        else:
            lines.append("predicted Var[loss]: formula does not apply")
        lines.append(f"applies: {self.applies} ({self.reason})")
        lines.append(f"time: {self.seconds:.3f} s")
        return "\n".join(lines)

    def _structure(self) -> str:
        parts = [f"simple({d})" for d in self.simple_dims]
        if self.center_dim:
            parts.append(f"center({self.center_dim})")
        return " + ".join(parts) if parts else "0"


# -- purities ------------------------------------------------------------------------------------
def _ideal_purities(algebra: LieAlgebra, blocks, coords: np.ndarray) -> tuple[float, ...]:
    d = 2**algebra.n_qubits
    return tuple(float(d * np.sum((q.T @ coords) ** 2)) for q in blocks)


def g_purity(H, basis, n_qubits: int | None = None) -> float:
    """``P_g(H) = Tr(H_g²) = Σ_a Tr(B_a H)²`` over an orthonormal basis of ``i g``.

    Args:
        H: a Hermitian operator: PennyLane operator, ``PauliWord``/``PauliSentence``, word
            string, :data:`~plateau_pl.lie.words.PauliSum` dict, or a dense ``(d, d)`` matrix.
        basis: a :class:`~plateau_pl.lie.closure.LieAlgebra`, or a list of Hermitian elements
            (words, sentences, operators) spanning ``i g`` (orthonormalised here).
        n_qubits: the number of qubits (read from ``basis`` when it is a LieAlgebra).

    Returns:
        float: ``Tr(H_g²)``; for ``g = su(d)`` it is ``Tr H² - (Tr H)²/d``.

    >>> g_purity("ZI", ["XI", "ZI"], n_qubits=2)   # ‖Z⊗I‖² = Tr(I_4) = 4
    4.0
    >>> g_purity(np.diag([1.0, 0, 0, 0]), ["ZI", "IZ", "ZZ"], n_qubits=2)   # 1 - 1/4
    0.75
    """
    if isinstance(basis, LieAlgebra):
        algebra = basis
        n = algebra.n_qubits
        if n_qubits is not None and check_n_qubits(n_qubits) != n:
            raise ConfigurationError(
                f"n_qubits={n_qubits} does not match the algebra's n_qubits ({n})"
            )
    else:
        if n_qubits is None:
            raise ConfigurationError("n_qubits is required when basis is a list")
        n = check_n_qubits(n_qubits)
        algebra = _span(basis, n)
    h = _as_pauli_sum(H, n)
    d = 2**n
    with np.errstate(over="ignore", invalid="ignore"):  # a huge H: refused just below
        if algebra.full_su:
            value = float(d * sum(c * c for c in h.values()))
        else:
            coords, _ = algebra.coordinates(h)
            value = float(d * coords @ coords)
    if not np.isfinite(value):
        raise PlateauError("H is too large: its g-purity Tr(H_g²) is past the largest float")
    return value


def _span(elements, n: int) -> LieAlgebra:
    """A :class:`LieAlgebra` whose basis spans ``elements`` (no closure taken)."""
    from plateau_pl.lie.generators import as_generators

    gens = as_generators(elements, n)
    index: dict = {}
    for g in gens:
        for k in g:
            index.setdefault(k, len(index))
    mat = np.zeros((len(gens), len(index)))
    for a, g in enumerate(gens):
        for k, c in g.items():
            mat[a, index[k]] = c
    _, s, vt = np.linalg.svd(mat, full_matrices=False)
    rank = int(np.sum(s > 1e-9 * s[0]))
    return LieAlgebra(n, tuple(gens), False, tuple(index), vt[:rank], 0.0, "span", index)


def _as_pauli_sum(H, n: int, wire_pos=None) -> PauliSum:
    from plateau_pl.lie.generators import operator_pauli_sum

    if isinstance(H, np.ndarray) or (isinstance(H, list) and H and isinstance(H[0], list)):
        m = _complex_array(H, "H")
        if m.shape != (2**n, 2**n):
            raise ShapeError(f"H must be a ({2**n}, {2**n}) matrix for {n} qubits; got {m.shape}")
        if not np.allclose(m, m.conj().T, atol=1e-10):
            raise ConfigurationError("H must be Hermitian")
        return pauli_sum_from_matrix(m, list(range(n)))
    return operator_pauli_sum(H, n, wire_pos)


def _identity_part(op, n: int) -> float:
    """``Tr(O)/d`` of a PennyLane operator, sentence, dict or matrix."""
    import pennylane as qml
    from pennylane.pauli import PauliSentence, PauliWord

    if isinstance(op, np.ndarray):
        return float(np.trace(op).real / len(op))
    if isinstance(op, qml.operation.Operator):
        rep = op.pauli_rep
        if rep is None:
            m = qml.matrix(op)
            return float(np.trace(m).real / len(m))
        op = rep
    if isinstance(op, PauliWord):
        return 1.0 if not op else 0.0
    if isinstance(op, PauliSentence):
        return float(sum(np.real(c) for pw, c in op.items() if not pw))
    if isinstance(op, dict):
        return float(sum(np.real(c) for k, c in op.items() if k in ((0, 0), "I" * n)))
    return 0.0


# -- circuits ----------------------------------------------------------------------------------
def _conjugate(obs: PauliSum, op, wire_pos) -> PauliSum:
    """``F† O F`` for a fixed gate ``F`` on a few wires (exact, through its local table)."""
    import pennylane as qml

    positions = [wire_pos[w] for w in op.wires]
    mask = sum(1 << p for p in positions)
    u = qml.matrix(op, wire_order=op.wires)
    table: dict = {}
    out: PauliSum = {}
    for (x, z), c in obs.items():
        local = (x & mask, z & mask)
        rest = (x & ~mask, z & ~mask)
        if local == (0, 0):
            out[rest] = out.get(rest, 0.0) + c
            continue
        if local not in table:
            word = word_to_string(local, max(positions) + 1)
            p = word_matrix("".join(word[q] for q in positions))  # letters in op.wires order
            table[local] = pauli_sum_from_matrix(u.conj().T @ p @ u, positions, tol=1e-12)
        for (lx, lz), lc in table[local].items():
            key = (rest[0] | lx, rest[1] | lz)
            out[key] = out.get(key, 0.0) + c * lc
    return {k: v for k, v in out.items() if abs(v) > 1e-12}


def _prep_state(prep_ops, initial_state, n: int):
    """The statevector after the fixed leading gates, or ``None`` for ``|0…0⟩``."""
    if not prep_ops and initial_state is None:
        return None
    from pennylane.devices.qubit import apply_operation, create_initial_state

    if initial_state is None:
        state = create_initial_state(list(range(n)))
    else:
        state = np.asarray(initial_state, dtype=np.complex128).reshape((2,) * n)
    for op in prep_ops:
        state = apply_operation(op, state)
    return np.asarray(state).reshape(-1)


def _check_state(state, n: int):
    if state is None:
        return None
    psi = _complex_array(state, "initial_state").reshape(-1)
    if psi.shape != (2**n,):
        raise ShapeError(f"initial_state must have {2**n} amplitudes; got {np.shape(state)}")
    norm = np.linalg.norm(psi)
    if not np.isfinite(norm) or abs(norm - 1) > 1e-8:
        raise ConfigurationError(f"initial_state must be normalised; got norm {norm:.6g}")
    return psi


def _resolve(model_or_ansatz, observable, n_qubits):
    """``(generators, n, obs, identity part, prep_ops)``: the generators as :data:`PauliSum` s,
    the number of qubits, the observable as a :data:`PauliSum` (trailing fixed gates absorbed),
    its ``Tr(O)/d`` and the fixed leading gates (``()`` for a generator list)."""
    import pennylane as qml

    from plateau_pl.circuits import Ansatz
    from plateau_pl.lie.generators import as_generators, circuit_generators
    from plateau_pl.models import QNN

    if isinstance(model_or_ansatz, QNN):
        if observable is None:
            observable = model_or_ansatz.observable
        model_or_ansatz = model_or_ansatz.ansatz
    if isinstance(model_or_ansatz, Ansatz):
        layout = model_or_ansatz.layout
        if observable is None:
            observable = qml.Z(layout.visible[0])
        if isinstance(observable, qml.operation.Operator):
            layout.check_visible(observable.wires, "observable")
        n = layout.n_wires
        wire_pos = {w: i for i, w in enumerate(layout.wires)}
        rec = circuit_generators(model_or_ansatz)
        obs = _as_pauli_sum(observable, n, wire_pos)
        for op in reversed(rec.final_ops):
            obs = _conjugate(obs, op, wire_pos)
        return list(rec.generators), n, obs, _identity_part(observable, n), rec.prep_ops
    if isinstance(model_or_ansatz, (str, bytes)) or not hasattr(model_or_ansatz, "__iter__"):
        raise PlateauTypeError(
            "model_or_ansatz must be a QNN, an Ansatz or a list of generators; got "
            f"{type(model_or_ansatz).__name__}"
        )
    items = list(model_or_ansatz)
    if n_qubits is None:
        if items and all(isinstance(g, str) and g.isalpha() for g in items):
            n_qubits = max(len(g) for g in items)
        else:
            raise ConfigurationError("n_qubits is required with a list of generators")
    n = check_n_qubits(n_qubits)
    gens = as_generators(items, n)
    if observable is None:
        observable = qml.Z(0)
    obs = _as_pauli_sum(observable, n)
    return gens, n, obs, _identity_part(observable, n), ()


def predict_variance(
    model_or_ansatz,
    observable=None,
    initial_state=None,
    n_qubits: int | None = None,
    max_dim: int = MAX_DIM,
    max_dense_qubits: int = MAX_DENSE_QUBITS,
    seed: int = 0,
) -> LiePrediction:
    """Predict ``E[ℓ]`` and ``Var[ℓ]`` of a **deep** circuit from its dynamical Lie algebra.

    The prediction assumes the random-parameter ensemble is a 2-design over the group ``e^g``
    (many layers); see the module docstring for the formula and its conditions.

    Args:
        model_or_ansatz: a :class:`~plateau_pl.models.QNN` (its ansatz, layout and observable),
            an :class:`~plateau_pl.circuits.Ansatz`, or a list of generators (Pauli word
            strings like ``"XZI"``/``"X0 Z1"``, ``PauliWord``, ``PauliSentence``, operators).
        observable: ``O`` (default: the QNN's, else ``Z`` on wire 0): a PennyLane operator, a
            Pauli word string, a ``PauliSentence`` or a dense matrix.
        initial_state: a normalised statevector (PennyLane order); default ``|0…0⟩``.
        n_qubits: the number of qubits of a generator list (read from word strings otherwise).
        max_dim: give up beyond this algebra dimension.
        max_dense_qubits: largest ``n`` for which a dense statevector may be built.
        seed: seed of the random element of
            :func:`~plateau_pl.lie.decompose.decompose_algebra`.

    Returns:
        LiePrediction
    """
    start = time.perf_counter()
    check_seed(seed)
    max_dense = check_int(max_dense_qubits, "max_dense_qubits", minimum=1)
    layout = getattr(model_or_ansatz, "layout", None)
    if initial_state is not None and layout is not None:  # before reading a large circuit
        _check_state(initial_state, layout.n_wires)
    gens, n, obs, o_id, prep_ops = _resolve(model_or_ansatz, observable, n_qubits)
    psi_given = _check_state(initial_state, n) if initial_state is not None else None
    d = 2**n
    obs_text = " + ".join(f"{c:.4g}*{word_to_string(k, n)}" for k, c in sorted(obs.items()))
    algebra = lie_algebra(gens, n, max_dim=max_dim)
    closure_s = algebra.seconds
    p_obs_total = d * sum(c * c for c in obs.values())
    common = {
        "n_qubits": n,
        "dim": algebra.dim,
        "is_full_su": algebra.full_su,
        "observable": obs_text or "0",
        "n_generators": len(algebra.generators),
        "method": algebra.method,
    }
    if algebra.full_su:
        p_rho = 1.0 - 1.0 / d  # any pure state: Tr ρ² - 1/d
        variance = p_rho * p_obs_total / (d * d - 1)
        return LiePrediction(
            simple_dims=(algebra.dim,),
            center_dim=0,
            purity_state=(p_rho,),
            purity_observable=(p_obs_total,),
            variance=variance,
            mean=o_id,
            applies=True,
            reason="g = su(2^n): every traceless O lies in the algebra (Haar value)",
            seconds=time.perf_counter() - start,
            extra={"closure_s": closure_s, "decompose_s": 0.0},
            **common,
        )
    if (prep_ops or psi_given is not None) and n > max_dense:
        raise ConfigurationError(
            f"this prediction needs a dense statevector of {n} qubits (fixed leading gates or "
            f"an initial_state, algebra not su(2^n)); max_dense_qubits={max_dense}"
        )
    psi = _prep_state(prep_ops, psi_given, n)
    t0 = time.perf_counter()
    dec = decompose_algebra(algebra, seed=seed)
    decompose_s = time.perf_counter() - t0
    c_obs, out_obs = algebra.coordinates(obs)
    h_rho = expectations(psi, algebra.words, n) / d
    c_rho = h_rho if algebra.basis is None else algebra.basis @ h_rho
    p_rho_total = 1.0 - 1.0 / d
    p_rho_alg = d * float(c_rho @ c_rho)
    obs_in = out_obs * d <= _TOL * max(p_obs_total, 1.0)
    rho_in = abs(p_rho_total - p_rho_alg) <= _TOL
    pur_rho = _ideal_purities(algebra, dec.ideals, c_rho)
    pur_obs = _ideal_purities(algebra, dec.ideals, c_obs)
    center_rho = dec.center.T @ c_rho
    center_obs = dec.center.T @ c_obs
    applies = bool(obs_in or rho_in)
    if obs_in and rho_in:
        reason = "both O and rho lie in i*g"
    elif obs_in:
        reason = "O lies in i*g"
    elif rho_in:
        reason = "rho lies in i*g (up to the identity)"
    else:
        reason = (
            "neither O nor rho lies in i*g: the variance formula does not hold "
            f"(O has {100 * out_obs * d / max(p_obs_total, 1e-300):.3g}% of its norm outside g)"
        )
    per_ideal = zip(pur_rho, pur_obs, dec.ideals, strict=True)
    variance = float(sum(a * b / q.shape[1] for a, b, q in per_ideal))
    mean = o_id + d * float(center_rho @ center_obs)
    return LiePrediction(
        simple_dims=dec.simple_dims,
        center_dim=dec.center_dim,
        purity_state=pur_rho,
        purity_observable=pur_obs,
        variance=variance if applies else None,
        mean=mean if applies else None,
        applies=applies,
        reason=reason,
        seconds=time.perf_counter() - start,
        extra={
            "closure_s": closure_s,
            "decompose_s": decompose_s,
            "center_purity_state": d * float(center_rho @ center_rho),
            "center_purity_observable": d * float(center_obs @ center_obs),
        },
        **common,
    )


def light_cone(qnn) -> int:
    """How many qubits the observable's backward light cone covers after the whole circuit.

    Walking the ansatz's gates from the last to the first, a multi-qubit gate that touches the
    cone adds its wires. A cone smaller than the register means the circuit is too shallow for
    the deep-circuit formula of :func:`predict_variance` (the variance is then that of a smaller
    system, typically much larger); a full cone is necessary, not sufficient: the formula is the
    limit the variance approaches as the depth grows past it.

    **Example**

    >>> import plateau_pl as pp
    >>> qnn = pp.QNN(pp.WireLayout(1, 9), "hardware_efficient", 3, device="default.qubit", seed=0)
    >>> light_cone(qnn), qnn.layout.n_wires
    (4, 10)
    """
    import pennylane as qml

    from plateau_pl.models import QNN

    check_instance(qnn, "qnn", QNN)
    weights = np.zeros(qnn.weight_shape)
    ops = qml.tape.make_qscript(qnn.ansatz)(weights).operations
    cone = set(qnn.observable.wires.tolist())
    for op in reversed(ops):
        wires = set(op.wires.tolist())
        if len(wires) > 1 and cone & wires:
            cone |= wires
    return len(cone)
