"""Statistical checks of the circuits against closed forms (Haar purity, Page's entropy).

Each assertion allows a few standard errors of the sample mean, with fixed seeds.
"""

from __future__ import annotations

import numpy as np
import pytest

import plateau_pl as pp
from plateau_pl import theory


def _visible_states(ansatz, n_v, n_h, n_layers, structure_seeds, draws_per_structure, seed):
    """ρ_v for several structure seeds and weight draws, broadcast on default.qubit."""
    states = []
    for s in structure_seeds:
        qnn = pp.QNN(pp.WireLayout(n_v, n_h), ansatz, n_layers, device="default.qubit", seed=s)
        w = qnn.init_weights(seed=seed + s, batch=draws_per_structure)
        states.append(np.asarray(qnn.visible_state(w)))
    return np.concatenate(states)


def _mean_stderr(x):
    x = np.asarray(x, dtype=float)
    return x.mean(), x.std(ddof=1) / np.sqrt(len(x))


@pytest.mark.slow
@pytest.mark.parametrize("n_v, n_h", [(1, 1), (1, 3), (2, 2), (1, 5), (2, 4)])
def test_deep_random_two_local_purity_is_haar(n_v, n_h):
    """Two passes of random_two_local: mean purity of ρ_v within 4 stderr of Haar."""
    rho = _visible_states("random_two_local", n_v, n_h, 2, range(20), 20, seed=100)
    mean, err = _mean_stderr(pp.purity(rho))
    expected = theory.haar_purity(2**n_v, 2**n_h)
    assert abs(mean - expected) < 4 * err, (mean, err, expected)


@pytest.mark.slow
def test_area_law_entropy_bounded_while_random_two_local_reaches_page():
    n_v, n_layers = 3, 2
    bound = n_layers * np.log(2)  # one CZ across the cut per layer
    area_means = []
    for n_h in (2, 4, 6):
        rho = _visible_states("area_law", n_v, n_h, n_layers, range(4), 50, seed=7)
        s = pp.entanglement_entropy(rho)
        assert np.all(s <= bound + 1e-9)  # the bound holds for every draw
        area_means.append(_mean_stderr(s))
    (m2, e2), (m6, e6) = area_means[0], area_means[-1]
    assert m6 < m2 + 4 * np.hypot(e2, e6)  # no growth with hidden units
    for n_h in (3, 6):
        rho = _visible_states("random_two_local", n_v, n_h, 2, range(10), 20, seed=3)
        mean, err = _mean_stderr(pp.entanglement_entropy(rho))
        page = theory.page_entropy(2**n_v, 2**n_h)
        assert abs(mean - page) < 4 * err, (n_h, mean, err, page)
    assert page > bound + 0.5  # random_two_local goes well past what the area law allows
