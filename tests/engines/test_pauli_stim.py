"""The Pauli-path engine at 50–60 qubits against an independent estimator built on stim.

Heyraud et al. (PRX Quantum 4, 040335, 2023): averaging every angle over {0, π/2, π, 3π/2}
gives the same second moments as averaging over [0, 2π) — ⟨O⟩ is a trigonometric polynomial of
degree one in each angle — and with those angles the circuit is a Clifford circuit, which stim
simulates exactly at any size. The estimator here reads the gates from PennyLane's queued
operations (not from plateau_pl's Pauli-circuit reader), draws random quarter-turn angles, and
computes ⟨O⟩ and the parameter-shift derivatives ``(f(θ_k + π/2) − f(θ_k − π/2))/2`` with stim's
tableau simulator. Both estimators must agree within 4 combined standard errors.
"""

from __future__ import annotations

import numpy as np
import pennylane as qml
import pytest

import plateau_pl as pp
from plateau_pl.engines.pauli import PauliPathEngine

stim = pytest.importorskip("stim")

_QUARTER = {  # PennyLane rotation → stim gates for angles m·π/2, m = 1, 2, 3 (global phases aside)
    "RX": ("SQRT_X", "X", "SQRT_X_DAG"),
    "RY": ("SQRT_Y", "Y", "SQRT_Y_DAG"),
    "RZ": ("S", "Z", "S_DAG"),
}
_FIXED = {"CNOT": "CX", "CZ": "CZ"}
_TAG = 1e-3


def _gates(qnn):
    """``(name, wires, parameter index or None)`` in circuit order, read from PennyLane's tape
    queued with weights ``w_k = (k + 1)·1e-3`` (every rotation here has angle ``w_k``)."""
    tags = (np.arange(qnn.n_params) + 1.0).reshape(qnn.weight_shape) * _TAG
    tape = qml.tape.make_qscript(qnn._circuit)(tags)
    out = []
    for op in tape.operations:
        wires = [int(w) for w in op.wires]
        if op.name in _QUARTER:
            out.append((op.name, wires, round(float(op.data[0]) / _TAG) - 1))
        else:
            out.append((_FIXED[op.name], wires, None))
    return out


def _expval(gates, quarters, n, observable: str) -> float:
    sim = stim.TableauSimulator()
    sim.set_num_qubits(n)
    for name, wires, k in gates:  # the simulator's gate methods: ~30× faster than a Circuit
        if k is None:
            getattr(sim, name.lower())(*wires)
        elif quarters[k] % 4:
            getattr(sim, _QUARTER[name][quarters[k] % 4 - 1].lower())(*wires)
    return sim.peek_observable_expectation(stim.PauliString(observable))


def _stim_moments(qnn, params, n_samples, seed):
    """Samples of ``⟨O⟩²`` and of ``(∂_k⟨O⟩)²`` for the parameters ``params``."""
    gates, n = _gates(qnn), qnn.layout.n_wires
    obs = "Z" + "_" * (n - 1)
    rng = np.random.default_rng(seed)
    f2, d2 = [], []
    for _ in range(n_samples):
        q = rng.integers(0, 4, qnn.n_params)
        f2.append(_expval(gates, q, n, obs) ** 2)
        row = []
        for k in params:
            plus, minus = q.copy(), q.copy()
            plus[k] += 1
            minus[k] -= 1
            row.append(((_expval(gates, plus, n, obs) - _expval(gates, minus, n, obs)) / 2) ** 2)
        d2.append(row)
    return np.asarray(f2, float), np.asarray(d2, float)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("ansatz", "layout", "n_layers"),
    [("hardware_efficient", (1, 49), 2), ("area_law", (1, 59), 2)],
    ids=["hardware_efficient-50", "area_law-60"],
)
def test_walks_agree_with_clifford_averaged_stim(ansatz, layout, n_layers):
    qnn = pp.QNN(pp.WireLayout(*layout), ansatz, n_layers, device="default.qubit", seed=0)
    eng = PauliPathEngine(qnn)
    m = eng.gradient_moments(20000, seed=1)
    reach = np.flatnonzero(eng.reachable_parameters())
    params = reach[np.argsort(-m.per_parameter[reach])][:4]  # the largest reachable variances
    f2, d2 = _stim_moments(qnn, params, 1500, seed=2)
    n = len(f2)
    z_f = (m.second_moment - f2.mean()) / np.hypot(m.second_moment_stderr, f2.std() / np.sqrt(n))
    assert abs(z_f) < 4, z_f
    err = np.hypot(m.per_parameter_stderr[params], d2.std(axis=0) / np.sqrt(n))
    z_d = (m.per_parameter[params] - d2.mean(axis=0)) / err
    assert np.abs(z_d).max() < 4, (z_d, m.per_parameter[params], d2.mean(axis=0))
