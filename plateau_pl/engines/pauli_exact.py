"""The Pauli-path engine's exact mode: the whole distribution of the walk, propagated.

Where the walk has few distinct strings (shallow circuits, small light cones) its distribution
can be carried exactly: a table of distinct Pauli strings with their probability ``p`` and, per
parameter, the probability mass ``H[:, k]`` of the paths that reached them through an
anticommutation with rotation ``k``. At an anticommuting rotation each string splits into two
of half the mass; equal strings are merged after every gate. At the input,
``E[⟨O⟩²] = Σ p·w`` and ``Var[∂_k f] = c_k² Σ H[:, k]·w`` — no sampling error at all.

If the table would exceed ``max_paths`` strings, the least probable ones are dropped. Every
path's final weight lies in ``[0, 1]`` (times ``c_k²`` for a derivative), so the dropped mass
``δ`` bounds the error rigorously: the true values lie in ``[estimate, estimate + δ]`` (and
``[…, … + c_k² δ]`` for ``Var[∂_k f]``).

>>> import plateau_pl as pp
>>> from plateau_pl.engines.pauli import PauliPathEngine
>>> qnn = pp.QNN(pp.WireLayout(1, 1), "hardware_efficient", 1, device="default.qubit", seed=0)
>>> m = PauliPathEngine(qnn).exact_gradient_moments()
>>> round(float(m.per_parameter[0]), 12), m.truncation_bound
(0.5, 0.0)
"""

from __future__ import annotations

import numpy as np

__all__ = ["propagate_exact"]


def propagate_exact(circuit, x0, z0, max_paths: int):
    """``(E[w], per-parameter E[w·hit_k] (before c_k²), dropped mass)`` of the walk from
    ``(x0, z0)`` through ``circuit`` (a :class:`~plateau_pl.engines.pauli_circuit.PauliCircuit`).
    """
    from plateau_pl.engines.pauli import _anticommutes, _apply_clifford, _input_weight, _multiply

    x = np.asarray(x0, np.uint8)[:, None].copy()
    z = np.asarray(z0, np.uint8)[:, None].copy()
    p = np.ones(1)
    hits = np.zeros((1, circuit.n_params))
    dropped = 0.0
    for op in reversed(circuit.ops):
        if op[0] == "rot":
            _, wires, xb, zb, k, _ = op
            a = _anticommutes(x, z, wires, xb, zb).astype(bool)
            if not a.any():
                continue
            hits[a, k] = p[a]
            p[a] *= 0.5
            hits[a] *= 0.5
            mx, mz = x[:, a].copy(), z[:, a].copy()
            _multiply(mx, mz, wires, xb, zb, np.uint8(1))
            x, z = np.concatenate([x, mx], axis=1), np.concatenate([z, mz], axis=1)
            p, hits = np.concatenate([p, p[a]]), np.concatenate([hits, hits[a]])
            x, z, p, hits = _merge(x, z, p, hits)
            if p.size > max_paths:
                keep = np.argsort(-p, kind="stable")[:max_paths]
                dropped += float(p.sum() - p[keep].sum())
                x, z, p, hits = x[:, keep], z[:, keep], p[keep], hits[keep]
        elif op[0] == "noise":
            for q in op[1]:
                f2 = op[2][x[q].astype(np.intp) + 2 * z[q].astype(np.intp)]
                p = p * f2
                hits = hits * f2[:, None]
        else:
            _apply_clifford(x, z, op[1], op[2])
            x, z, p, hits = _merge(x, z, p, hits)
    w = _input_weight(x, z, circuit.bloch)
    return float(p @ w), hits.T @ w, dropped


def _merge(x, z, p, hits):
    """Merge equal strings (columns), summing their masses."""
    keys = np.packbits(np.concatenate([x, z], axis=0).T, axis=1)
    keys = np.ascontiguousarray(keys).view(np.dtype((np.void, keys.shape[1]))).ravel()
    uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    if uniq.size == keys.size:
        return x, z, p, hits
    p_new = np.bincount(inverse, weights=p, minlength=uniq.size)
    h_new = np.zeros((uniq.size, hits.shape[1]))
    np.add.at(h_new, inverse, hits)
    return x[:, first], z[:, first], p_new, h_new
