"""Gradient-free baselines against closed-form minima."""

import numpy as np
import pytest

from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError, ShapeError
from plateau_pl.train import SCIPY_METHODS, fit_scipy, fit_spsa

CENTRE = np.array([0.3, -1.2, 0.7])


def quadratic(x):
    return float(np.sum((x - CENTRE) ** 2))


@pytest.mark.parametrize("method", SCIPY_METHODS)
def test_scipy_methods_find_the_minimum(method):
    hist, x = fit_scipy(quadratic, np.zeros(3), method=method, max_evals=2000)
    assert np.allclose(x, CENTRE, atol=1e-3)
    assert hist.evals == list(range(1, len(hist.losses) + 1))
    assert min(hist.losses) == pytest.approx(quadratic(x))


def test_scipy_stops_at_the_target_loss():
    hist, x = fit_scipy(quadratic, np.zeros(3), max_evals=2000, target_loss=0.1)
    assert hist.stopped_early and hist.losses[-1] <= 0.1
    assert all(loss > 0.1 for loss in hist.losses[:-1])
    assert quadratic(x) == hist.losses[-1]


def test_spsa_converges_and_is_reproducible():
    h1, x1 = fit_spsa(quadratic, np.zeros(3), n_steps=400, a=0.3, c=0.1, seed=3)
    h2, x2 = fit_spsa(quadratic, np.zeros(3), n_steps=400, a=0.3, c=0.1, seed=3)
    assert np.array_equal(x1, x2) and h1.losses == h2.losses
    assert h1.losses[-1] < 1e-3 * h1.losses[0]
    assert h1.evals[:3] == [0, 2, 4]


def test_spsa_on_a_noisy_cost_still_descends():
    rng = np.random.default_rng(0)

    def noisy(x):
        return quadratic(x) + rng.normal(0, 0.05)

    _, x = fit_spsa(noisy, np.zeros(3), n_steps=300, a=0.3, c=0.2, seed=0)
    assert quadratic(x) < 0.05 * quadratic(np.zeros(3))


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: fit_scipy(quadratic, np.zeros(3), method="BFGS"), ConfigurationError, "method"),
        (lambda: fit_scipy(quadratic, np.zeros((2, 2))), ShapeError, "x0"),
        (lambda: fit_scipy("f", np.zeros(3)), PlateauTypeError, "cost_fn"),
        (lambda: fit_scipy(quadratic, [np.nan]), ConfigurationError, "x0"),
        (lambda: fit_spsa(quadratic, np.zeros(3), a=0), ConfigurationError, "a must"),
        (lambda: fit_spsa(quadratic, np.zeros(3), n_steps=0), PlateauError, "n_steps"),
    ],
)
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
