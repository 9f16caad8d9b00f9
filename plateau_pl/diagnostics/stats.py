"""Small statistics with honest error bars: means, variances and decay fits.

Standard errors: for a mean, ``std/√N``. For the mean over parameters of the per-parameter
gradient variance ``V = (1/P) Σ_p Var_i g_ip``, write ``V = N/(N-1) · mean_i q_i`` with
``q_i = (1/P) Σ_p (g_ip − ḡ_p)²``; its standard error is ``N/(N-1) · std(q)/√N``, which keeps
the correlations between the parameters of one draw.

>>> from plateau_pl.diagnostics.stats import mean_stderr
>>> mean_stderr([1.0, 2.0, 3.0])
(2.0, 0.577...)
"""

from __future__ import annotations

import numpy as np

__all__ = ["fit_decay", "mean_stderr", "variance_stderr"]


def mean_stderr(x) -> tuple[float, float]:
    """Sample mean and its standard error ``std(ddof=1)/√N``."""
    x = np.asarray(x, dtype=float)
    return float(x.mean()), float(x.std(ddof=1) / np.sqrt(len(x)))


def variance_stderr(grads) -> tuple[float, float]:
    """Mean over parameters of the per-parameter sample variance, and its standard error.

    ``grads`` has shape ``(N, P)``; see the module docstring for the estimator.

    >>> v, e = variance_stderr(np.random.default_rng(0).normal(size=(4000, 3)))
    >>> abs(v - 1) < 4 * e
    True
    """
    g = np.asarray(grads, dtype=float).reshape(len(grads), -1)
    n = len(g)
    q = ((g - g.mean(axis=0)) ** 2).mean(axis=1)
    scale = n / (n - 1)
    return float(scale * q.mean()), float(scale * q.std(ddof=1) / np.sqrt(n))


def fit_decay(x, y, yerr=None) -> tuple[float, float]:
    """Weighted least-squares slope of ``ln y`` against ``x`` and its standard error.

    ``yerr`` (standard errors of ``y``) weight the fit by ``(y/yerr)²``; without it the
    residual scatter sets the error.

    >>> s, e = fit_decay([0, 1, 2, 3], [1, 0.5, 0.25, 0.125])
    >>> round(float(s / np.log(2)), 6), bool(e < 1e-12)
    (-1.0, True)
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    ln_y = np.log(y)
    if yerr is not None:
        w = (y / np.asarray(yerr, float)) ** 2
        w = np.where(np.isfinite(w), w, 0.0)
    else:
        w = np.ones_like(y)
    a = np.vstack([x, np.ones_like(x)]).T
    cov = np.linalg.pinv(a.T @ (w[:, None] * a))
    coef = cov @ a.T @ (w * ln_y)
    resid = ln_y - a @ coef
    dof = max(len(x) - 2, 1)
    chi2 = float(np.sum(w * resid**2) / dof)
    scale = max(chi2, 1.0) if yerr is not None else chi2
    return float(coef[0]), float(np.sqrt(cov[0, 0] * scale))
