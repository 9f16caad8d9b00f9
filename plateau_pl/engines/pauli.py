r"""The Pauli-path engine: exact second moments of a QNN at any number of qubits, by random walks.

For a circuit of Pauli rotations ``exp(−i a_k P_k/2)`` with independent angles uniform over whole
periods, Clifford gates and a product input state (the premise, checked by
:func:`~plateau_pl.engines.pauli_circuit.read_pauli_circuit`), propagate a Pauli observable
``O`` backwards. At a rotation whose generator anticommutes with the current string ``Q``,
``Q → cos a Q + sin a (iPQ)``; averaging the square over ``a`` kills the cross terms, so the
second moment is the expectation of a random walk on Pauli strings that, at each anticommuting
rotation, stays or moves to ``PQ`` with probability ½ each; a commuting rotation keeps it; a
Clifford gate maps it to one string. At the input the walk scores
``w = Π_j ⟨ψ_j|Q_j|ψ_j⟩²``. Then (Letcher, Woerner, Zoufal, Quantum 2024; Heyraud et al., PRX
Quantum 4, 040335 (2023); Napp 2022)

.. math::
    E[⟨O⟩^2] = E_{walk}[w], \qquad
    \mathrm{Var}[∂_k ⟨O⟩] = c_k^2\, E_{walk}[w · 1\{\text{anticommuted at rotation } k\}],

with ``c_k = ∂a_k/∂w_k`` (2 for ``random_two_local``'s ``PauliRot(2θ)``): one walk informs every
parameter. ``E[Tr ρ_v²] = (1/D_v) Σ_P E[⟨P⟩²]`` over the ``4^{n_v}`` visible Pauli strings.

**Why unpacked, qubit-major bits.** Every gate of these circuits touches one to three qubits, so
the walk state is stored one byte per qubit per walk, qubit-major (``x[q]`` and ``z[q]`` are
contiguous rows over the walks): a gate reads and writes only its own rows, an anticommutation
test is an XOR of ≤ 2 rows. Packed 64-bit words would make each local gate shift and mask whole
words; only the final weight needs the whole string, once per walk.

>>> import plateau_pl as pp
>>> from plateau_pl.engines.pauli import PauliPathEngine
>>> qnn = pp.QNN(pp.WireLayout(1, 1), "hardware_efficient", 1, device="default.qubit", seed=0)
>>> m = PauliPathEngine(qnn).gradient_moments(n_walks=4000, seed=0)
>>> m.per_parameter.shape, bool(abs(m.per_parameter[0] - 0.5) < 4 * m.per_parameter_stderr[0])
((4,), True)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from plateau_pl._validation import (
    check_bool,
    check_float,
    check_instance,
    check_int,
    check_memory,
    check_seed,
)
from plateau_pl.engines.base import Engine
from plateau_pl.engines.pauli_circuit import observable_word, read_pauli_circuit
from plateau_pl.errors import ConfigurationError, ShapeError
from plateau_pl.quantum._sizes import product
from plateau_pl.quantum.paulis import PAULI_BITS, nonidentity_words

__all__ = ["PauliMoments", "PauliPathEngine"]

_CHUNK_BYTES = 2**27  # memory of one chunk of walks (hits and contributions dominate)


@dataclass(frozen=True)
class PauliMoments:
    """Second moments of a Pauli observable over the weight distribution, from walks."""

    second_moment: float
    """``E[⟨O⟩²]``."""
    second_moment_stderr: float
    mean_squared: float
    """``E[⟨O⟩]²`` (exact: non-zero only when the observable's path meets no anticommuting
    rotation)."""
    per_parameter: np.ndarray
    """``Var[∂_k⟨O⟩]`` for every parameter (flat)."""
    per_parameter_stderr: np.ndarray
    mean_over_parameters: float
    """The mean of :attr:`per_parameter` (its standard error keeps the correlations)."""
    mean_over_parameters_stderr: float
    n_walks: int
    """Walks (0: the exact mode)."""
    walk_means: np.ndarray | None = None
    """Per-walk contributions ``(n_walks, n_params)`` when asked for (masked means)."""
    truncation_bound: float | None = None
    """Exact mode: the dropped probability mass ``δ`` — the true ``E[⟨O⟩²]`` lies in
    ``[second_moment, second_moment + δ]``, each ``Var[∂_k f]`` within ``c_k² δ`` above."""

    @property
    def variance(self) -> float:
        """``Var[⟨O⟩] = E[⟨O⟩²] − E[⟨O⟩]²``."""
        return self.second_moment - self.mean_squared


class PauliPathEngine(Engine):
    """Second moments of a QNN over uniform weights by Pauli-path walks (any number of qubits).

    Unlike the other engines it evaluates no draw: it averages over the weights exactly in
    expectation, with Monte Carlo walks whose standard errors it reports. :meth:`values`,
    :meth:`gradients` and :meth:`visible_states` are therefore refused.
    """

    name = "pauli"
    takes_structures = False

    def __init__(self, qnn, random_axes: bool = False, exact: bool = False, max_paths: int = 2**16):
        """``random_axes``: every walk redraws the axis of each single-qubit rotation uniformly
        from X, Y, Z — McClean's protocol of a new random structure per draw
        (:meth:`Ansatz.param_axes <plateau_pl.circuits.Ansatz.param_axes>`), averaged exactly.
        ``exact``: the diagnostics propagate the walk's whole distribution (at most
        ``max_paths`` strings, the dropped mass reported as a bound) instead of sampling."""
        from plateau_pl.models.qnn import QNN

        check_instance(qnn, "qnn", QNN, "a plateau_pl QNN")
        super().__init__(qnn, "cpu")
        self.exact = check_bool(exact, "exact")
        """Whether the diagnostics use the exact mode (the walk's whole distribution)."""
        self.max_paths = check_int(max_paths, "max_paths", minimum=1)
        random_axes = check_bool(random_axes, "random_axes")
        self.circuit = read_pauli_circuit(qnn)
        self._obs = observable_word(qnn.observable, qnn.layout.n_wires)
        self.random_axes = random_axes
        if self.random_axes:
            if qnn.ansatz.param_axes() is None:
                raise ConfigurationError(
                    f"ansatz {qnn.ansatz.name!r} does not redraw rotation axes; per-draw "
                    "structures on the Pauli-path engine need one that does (mcclean)"
                )
            if any(len(op[1]) != 1 for op in self.circuit.ops if op[0] == "rot"):
                raise ConfigurationError("random axes need single-qubit rotations only")

    def describe(self) -> dict:
        return {
            **super().describe(),
            "engine_backend": "pauli-exact" if self.exact else "pauli-walks",
        }

    # -- what it refuses ---------------------------------------------------------------------
    def values(self, weights, structures=None, inputs=None):
        raise ConfigurationError(_NO_DRAWS)

    def values_and_gradients(self, weights, structures=None, inputs=None):
        raise ConfigurationError(_NO_DRAWS)

    def visible_states(self, weights, structures=None, inputs=None):
        raise ConfigurationError(_NO_DRAWS)

    # -- moments -----------------------------------------------------------------------------
    def gradient_moments(self, n_walks: int, seed: int, keep_walks: bool = False) -> PauliMoments:
        """Moments of the QNN's observable: ``E[⟨O⟩²]`` and every ``Var[∂_k⟨O⟩]``."""
        x0, z0, coeff = self._obs
        return self.moments(x0, z0, n_walks, seed, coeff, keep_walks)

    def moments(
        self, x0, z0, n_walks: int, seed: int, coeff: float = 1.0, keep_walks: bool = False
    ) -> PauliMoments:
        """Moments of the Pauli string with bits ``(x0, z0)`` (times ``coeff``)."""
        n_walks = check_int(n_walks, "n_walks", minimum=2)
        rng = np.random.default_rng(check_seed(seed))
        x0, z0 = self._check_bits(x0, "x0"), self._check_bits(z0, "z0")
        coeff = check_float(coeff, "coeff")
        keep_walks = check_bool(keep_walks, "keep_walks")
        p, n = self.circuit.n_params, self.circuit.n_qubits
        check_memory(
            product(8, n_walks, 2 + (p if keep_walks else 0)),
            f"the per-walk results of {n_walks} walks"
            + (f" × {p} parameters (keep_walks=True)" if keep_walks else ""),
            "use fewer walks" + (", or keep_walks=False" if keep_walks else ""),
        )
        chunk = max(2, min(n_walks, _CHUNK_BYTES // (9 * p + 2 * n + 8)))
        c2 = self.coefficients_squared
        total, total_sq = np.zeros(p), np.zeros(p)
        weights, means, kept = [], [], []
        for start in range(0, n_walks, chunk):
            w, h = self._walk(x0, z0, min(chunk, n_walks - start), rng)
            w = w * coeff**2
            contrib = (h.T * w[:, None]) * c2[None, :]  # (walks, P), ordered by parameter
            total += contrib.sum(axis=0)
            total_sq += (contrib**2).sum(axis=0)
            weights.append(w)
            means.append(contrib.mean(axis=1))
            if keep_walks:
                kept.append(contrib)
        w, mean_k = np.concatenate(weights), np.concatenate(means)
        per = total / n_walks
        per_var = np.maximum(total_sq / n_walks - per**2, 0.0) * n_walks / (n_walks - 1)
        return PauliMoments(
            second_moment=float(w.mean()),
            second_moment_stderr=float(w.std(ddof=1) / np.sqrt(n_walks)),
            mean_squared=self._mean_squared(x0, z0) * coeff**2,
            per_parameter=per,
            per_parameter_stderr=np.sqrt(per_var / n_walks),
            mean_over_parameters=float(mean_k.mean()),
            mean_over_parameters_stderr=float(mean_k.std(ddof=1) / np.sqrt(n_walks)),
            n_walks=n_walks,
            walk_means=np.concatenate(kept) if keep_walks else None,
        )

    def exact_gradient_moments(self, max_paths: int = 2**16) -> PauliMoments:
        """The moments of the QNN's observable from the walk's whole distribution
        (:mod:`~plateau_pl.engines.pauli_exact`): no sampling error; a truncation bound where
        more than ``max_paths`` strings would be needed."""
        x0, z0, coeff = self._obs
        return self.exact_moments(x0, z0, max_paths, coeff)

    def exact_moments(self, x0, z0, max_paths: int = 2**16, coeff: float = 1.0) -> PauliMoments:
        """Exact moments of the Pauli string ``(x0, z0)`` (times ``coeff``)."""
        from plateau_pl.engines.pauli_exact import propagate_exact

        if self.random_axes:
            raise ConfigurationError("the exact mode does not take redrawn axes; use walks")
        max_paths = check_int(max_paths, "max_paths", minimum=1)
        x0, z0 = self._check_bits(x0, "x0"), self._check_bits(z0, "z0")
        coeff = check_float(coeff, "coeff")
        check_memory(
            product(32, max_paths, self.circuit.n_params),  # the hit table and its merge copies
            f"the exact mode's table of up to {max_paths} strings × {self.circuit.n_params} "
            "parameters",
            "use a smaller max_paths (the dropped mass is reported as a bound), or walks",
        )
        second, hit_w, dropped = propagate_exact(self.circuit, x0, z0, max_paths)
        c2 = self.coefficients_squared
        per = hit_w * c2 * coeff**2
        zeros = np.zeros_like(per)
        return PauliMoments(
            second * coeff**2,
            0.0,
            self._mean_squared(x0, z0) * coeff**2,
            per,
            zeros,
            float(per.mean()),
            0.0,
            0,
            None,
            dropped * coeff**2,
        )

    def exact_visible_purity(self, max_paths: int = 2**16) -> tuple[float, float]:
        """``E[Tr ρ_v²]`` exactly, and its truncation bound."""
        total, bound = 1.0, 0.0
        for x, z in self._visible_words():
            m = self.exact_moments(x, z, max_paths)
            total += m.second_moment
            bound += m.truncation_bound
        d = 2**self.model.layout.n_visible
        return total / d, bound / d

    def _check_bits(self, bits, name: str) -> np.ndarray:
        """A Pauli string's X or Z bits: 0/1 integers, one per qubit."""
        n = self.circuit.n_qubits
        arr = np.asarray(bits)
        if arr.shape != (n,) or arr.dtype.kind not in "biu" or not np.isin(arr, (0, 1)).all():
            raise ShapeError(
                f"{name} must be {n} bits (0/1 integers, one per qubit); got {arr.dtype} of shape "
                f"{arr.shape}"
            )
        return arr.astype(np.uint8)

    def _visible_words(self):
        n = self.model.layout.n_wires
        for word in nonidentity_words(self.model.layout.n_visible):
            x, z = np.zeros(n, np.uint8), np.zeros(n, np.uint8)
            for q, ch in enumerate(word):
                x[q], z[q] = PAULI_BITS[ch]
            yield x, z

    def visible_purity(self, n_walks: int, seed: int) -> tuple[float, float]:
        """``E[Tr ρ_v²]`` and its standard error (``n_walks`` walks per visible Pauli string)."""
        n_v = self.model.layout.n_visible
        total, var = 1.0, 0.0
        seeds = np.random.SeedSequence(check_seed(seed)).spawn(4**n_v - 1)
        for (x, z), ss in zip(self._visible_words(), seeds, strict=True):
            m = self.moments(x, z, n_walks, int(ss.generate_state(1)[0]))
            total += m.second_moment
            var += m.second_moment_stderr**2
        d = 2**n_v
        return total / d, float(np.sqrt(var)) / d

    def reachable_parameters(self) -> np.ndarray:
        """Whether each parameter's rotation lies in the backward light cone of the observable
        (a parameter outside has ``Var[∂_k f] = 0`` exactly)."""
        x0, z0, _ = self._obs
        cone = (np.asarray(x0) | np.asarray(z0)).astype(bool)
        reach = np.zeros(self.circuit.n_params, dtype=bool)
        for op in reversed(self.circuit.ops):
            wires = op[1]
            if cone[wires].any():
                cone[wires] = True
                if op[0] == "rot":
                    reach[op[4]] = True
        return reach

    # -- the walk ----------------------------------------------------------------------------
    @functools.cached_property
    def coefficients_squared(self) -> np.ndarray:
        """``c_k²`` per parameter ``k``: the squared coefficient of ``w_k`` in its angle."""
        c2 = np.empty(self.circuit.n_params)
        for op in self.circuit.ops:
            if op[0] == "rot":
                c2[op[4]] = float(op[5]) ** 2
        return c2

    def _walk(self, x0, z0, n: int, rng) -> tuple[np.ndarray, np.ndarray]:
        """Weights ``(n,)`` and anticommutation hits ``(P, n)`` of ``n`` walks from ``(x0, z0)``."""
        circ = self.circuit
        x = np.repeat(np.asarray(x0, np.uint8)[:, None], n, axis=1)
        z = np.repeat(np.asarray(z0, np.uint8)[:, None], n, axis=1)
        hits = np.zeros((circ.n_params, n), dtype=np.uint8)
        damp = np.ones(n)
        for op in reversed(circ.ops):
            if op[0] == "rot" and self.random_axes:
                q, k = op[1][0], op[4]
                axis = rng.integers(0, 3, n, dtype=np.uint8)  # 0 X, 1 Y, 2 Z
                xb, zb = (axis <= 1).astype(np.uint8), (axis >= 1).astype(np.uint8)
                anti = (x[q] & zb) ^ (z[q] & xb)
                hits[k] = anti
                move = anti & rng.integers(0, 2, n, dtype=np.uint8)
                x[q] ^= move & xb
                z[q] ^= move & zb
            elif op[0] == "rot":
                _, wires, xb, zb, k, _ = op
                anti = _anticommutes(x, z, wires, xb, zb)
                hits[k] = anti
                _multiply(x, z, wires, xb, zb, anti & rng.integers(0, 2, n, dtype=np.uint8))
            elif op[0] == "noise":
                for q in op[1]:
                    damp *= op[2][x[q].astype(np.intp) + 2 * z[q].astype(np.intp)]
            else:
                _apply_clifford(x, z, op[1], op[2])
        return damp * _input_weight(x, z, circ.bloch), hits

    def _mean_squared(self, x0, z0) -> float:
        """``E[⟨Q⟩]²``: the deterministic path (no moves) if it never anticommutes, else 0."""
        x, z = np.asarray(x0, np.uint8)[:, None].copy(), np.asarray(z0, np.uint8)[:, None].copy()
        damp = 1.0
        for op in reversed(self.circuit.ops):
            if op[0] == "rot" and self.random_axes and (x[op[1][0], 0] or z[op[1][0], 0]):
                return 0.0  # a non-identity letter anticommutes with two of the three axes
            if op[0] == "rot":
                if _anticommutes(x, z, *op[1:4])[0]:
                    return 0.0
            elif op[0] == "noise":
                for q in op[1]:
                    damp *= op[2][int(x[q, 0]) + 2 * int(z[q, 0])]
            else:
                _apply_clifford(x, z, op[1], op[2])
        return damp * float(_input_weight(x, z, self.circuit.bloch)[0])


_NO_DRAWS = (
    "the Pauli-path engine gives moments over the weight distribution, not values at given "
    "weights; use gradient_variance / visible_state_stats with engine='pauli', or another engine"
)


def _anticommutes(x, z, wires, xb, zb) -> np.ndarray:
    """Per string (column), whether it anticommutes with the Pauli ``(xb, zb)`` on ``wires``."""
    anti = np.zeros(x.shape[1], np.uint8)
    for q, xq, zq in zip(wires, xb, zb, strict=True):
        if zq:
            anti ^= x[q]
        if xq:
            anti ^= z[q]
    return anti


def _multiply(x, z, wires, xb, zb, where) -> None:
    """Multiply the strings flagged by ``where`` (0/1 per column) by the Pauli ``(xb, zb)``."""
    for q, xq, zq in zip(wires, xb, zb, strict=True):
        if xq:
            x[q] ^= where
        if zq:
            z[q] ^= where


def _apply_clifford(x, z, wires, table) -> None:
    """Map the strings' bits on ``wires`` through a Clifford's generator images."""
    m = len(wires)
    old = [x[q].copy() for q in wires] + [z[q].copy() for q in wires]
    for j in range(2 * m):
        out = np.zeros_like(old[0])
        for i in range(2 * m):
            if table[i, j]:
                out ^= old[i]
        if j < m:
            x[wires[j]] = out
        else:
            z[wires[j - m]] = out


def _input_weight(x, z, bloch) -> np.ndarray:
    """``Π_q ⟨ψ_q|Q_q|ψ_q⟩²`` for each walk (columns)."""
    code = x.astype(np.intp) + 2 * z.astype(np.intp)  # 0 I, 1 X, 2 Z, 3 Y
    table = np.stack(
        [np.ones(len(bloch)), bloch[:, 0] ** 2, bloch[:, 2] ** 2, bloch[:, 1] ** 2], axis=1
    )  # (n, 4)
    factors = np.take_along_axis(table, code, axis=1)
    return factors.prod(axis=0)
