"""Statistics helpers: standard errors and decay fits against known answers."""

import numpy as np
import pytest

from plateau_pl.diagnostics import fit_decay, mean_stderr, variance_stderr


def test_mean_stderr_matches_definition(rng):
    x = rng.normal(size=50)
    m, e = mean_stderr(x)
    assert m == pytest.approx(x.mean())
    assert e == pytest.approx(x.std(ddof=1) / np.sqrt(50))


def test_variance_stderr_is_calibrated(rng):
    """Over many repetitions the estimator's scatter matches its reported standard error."""
    scales = np.array([0.5, 1.0, 2.0])  # per-parameter std: mean variance = (0.25+1+4)/3
    truth = np.mean(scales**2)
    estimates, errors = [], []
    for _ in range(300):
        v, e = variance_stderr(rng.normal(size=(200, 3)) * scales)
        estimates.append(v)
        errors.append(e)
    estimates = np.array(estimates)
    assert abs(estimates.mean() - truth) < 4 * estimates.std(ddof=1) / np.sqrt(300)
    assert np.mean(errors) == pytest.approx(estimates.std(ddof=1), rel=0.15)


def test_fit_decay_recovers_slope_within_error(rng):
    x = np.arange(1, 9)
    slope = -0.5 * np.log(2)
    yerr = 0.02 * np.exp(slope * x)
    y = np.exp(slope * x) + rng.normal(size=x.size) * yerr
    s, e = fit_decay(x, y, yerr)
    assert e > 0
    assert abs(s - slope) < 4 * e


def test_fit_decay_exact_data():
    s, e = fit_decay([0, 1, 2], [4.0, 2.0, 1.0])
    assert s == pytest.approx(-np.log(2), abs=1e-12) and e == pytest.approx(0, abs=1e-12)
