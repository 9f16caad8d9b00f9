"""Property tests (hypothesis) of the quantum-information invariants.

Random states are built from a hypothesis-drawn seed (Ginibre matrices through a numpy
Generator), so every failing example is reproducible from the printed seed.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import unitary_group

from plateau_pl.quantum import (
    entanglement_entropy,
    is_density_matrix,
    partial_trace,
    purity,
    reduced_density_matrix,
    renyi2_entropy,
    trace_distance,
    trace_distance_to_maximally_mixed,
    von_neumann_entropy,
)

SETTINGS = settings(max_examples=50, deadline=None)
EPS = 1e-10
seeds = st.integers(0, 2**32 - 1)
n_qubits = st.integers(1, 3)
ranks = st.sampled_from([1, 2, None])  # None: full rank


def ginibre_density(seed, d, rank=None):
    rng = np.random.default_rng(seed)
    k = d if rank is None else min(rank, d)
    g = rng.normal(size=(d, k)) + 1j * rng.normal(size=(d, k))
    rho = g @ g.conj().T
    return rho / np.trace(rho).real


def haar_like_state(seed, d):
    rng = np.random.default_rng(seed)
    psi = rng.normal(size=d) + 1j * rng.normal(size=d)
    return psi / np.linalg.norm(psi)


def conjugate(rho, seed):
    u = unitary_group.rvs(rho.shape[0], random_state=seed)
    out = u @ rho @ u.conj().T
    return (out + out.conj().T) / 2  # exact Hermiticity after rounding


@SETTINGS
@given(seed=seeds, n=n_qubits, rank=ranks)
def test_purity_in_range(seed, n, rank):
    d = 2**n
    p = purity(ginibre_density(seed, d, rank))
    assert 1 / d - EPS <= p <= 1 + EPS
    if rank == 1:
        assert abs(p - 1) < 1e-9


@SETTINGS
@given(seed=seeds, n=n_qubits, rank=ranks)
def test_entropies_in_range_and_ordered(seed, n, rank):
    rho = ginibre_density(seed, 2**n, rank)
    s, s2 = von_neumann_entropy(rho), renyi2_entropy(rho)
    assert -EPS <= s2 <= s + EPS  # Rényi entropies decrease with the order
    assert s <= n * math.log(2) + EPS


@SETTINGS
@given(seed=seeds, n=n_qubits, rank=ranks)
def test_trace_distance_to_maximally_mixed_in_range(seed, n, rank):
    d = 2**n
    t = trace_distance_to_maximally_mixed(ginibre_density(seed, d, rank))
    assert -EPS <= t <= 1 - 1 / d + EPS


@SETTINGS
@given(seed=seeds, n_v=st.integers(1, 2), n_h=st.integers(0, 2))
def test_visible_entropy_of_pure_state_bounded(seed, n_v, n_h):
    psi = haar_like_state(seed, 2 ** (n_v + n_h))
    visible = list(range(n_v))
    bound = min(n_v, n_h) * math.log(2)
    for kind in ("von_neumann", "renyi2"):
        s = entanglement_entropy(psi, keep=visible, kind=kind)
        assert -EPS <= s <= bound + EPS
    if n_h > 0:  # S(rho_v) = S(rho_h) for a pure state
        hidden = list(range(n_v, n_v + n_h))
        s_h, s_v = entanglement_entropy(psi, keep=hidden), entanglement_entropy(psi, visible)
        assert abs(s_h - s_v) < 1e-9
    rho_v = reduced_density_matrix(psi, visible)
    assert is_density_matrix(rho_v)


@SETTINGS
@given(seed=seeds, n=st.integers(2, 3), rank=ranks, data=st.data())
def test_partial_trace_gives_density_matrix(seed, n, rank, data):
    rho = ginibre_density(seed, 2**n, rank)
    keep = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
    reduced = partial_trace(rho, keep)
    assert reduced.shape == (2 ** len(keep),) * 2
    assert is_density_matrix(reduced)


@SETTINGS
@given(seed=seeds, u_seed=seeds, n=n_qubits, rank=ranks)
def test_unitary_invariance(seed, u_seed, n, rank):
    rho = ginibre_density(seed, 2**n, rank)
    rotated = conjugate(rho, u_seed)
    assert abs(purity(rotated) - purity(rho)) < 1e-9
    assert abs(von_neumann_entropy(rotated) - von_neumann_entropy(rho)) < 1e-8
    assert abs(renyi2_entropy(rotated) - renyi2_entropy(rho)) < 1e-8
    t0, t1 = trace_distance_to_maximally_mixed(rho), trace_distance_to_maximally_mixed(rotated)
    assert abs(t0 - t1) < 1e-9


@SETTINGS
@given(seeds=st.tuples(seeds, seeds, seeds), n=n_qubits, rank=ranks)
def test_trace_distance_is_a_metric(seeds, n, rank):
    a, b, c = (ginibre_density(s, 2**n, rank) for s in seeds)
    ab, ba = trace_distance(a, b), trace_distance(b, a)
    assert -EPS <= ab <= 1 + EPS
    assert abs(ab - ba) < 1e-12
    assert abs(trace_distance(a, a)) < 1e-12
    assert ab <= trace_distance(a, c) + trace_distance(c, b) + EPS


@SETTINGS
@given(seed=seeds, u_seed=seeds, n=n_qubits)
def test_trace_distance_unitarily_invariant(seed, u_seed, n):
    a, b = ginibre_density(seed, 2**n), ginibre_density(seed + 1, 2**n)
    u = unitary_group.rvs(2**n, random_state=u_seed)
    ua, ub = u @ a @ u.conj().T, u @ b @ u.conj().T
    ua, ub = (ua + ua.conj().T) / 2, (ub + ub.conj().T) / 2
    assert abs(trace_distance(ua, ub) - trace_distance(a, b)) < 1e-9
