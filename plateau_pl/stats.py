"""Small statistics with honest error bars: means, variances and decay fits.

Standard errors: for a mean, ``std/√N``. For the mean over parameters of the per-parameter
gradient variance ``V = (1/P) Σ_p Var_i g_ip``, write ``V = N/(N-1) · mean_i q_i`` with
``q_i = (1/P) Σ_p (g_ip − ḡ_p)²``; its standard error is ``N/(N-1) · std(q)/√N``, which keeps
the correlations between the parameters of one draw.

Every helper refuses what has no honest answer, naming the argument: empty input, non-finite
values, fewer than two draws for a standard error, and for :func:`fit_decay` non-positive ``y``
(it fits ``ln y``), mismatched lengths and too few points for an error bar. Finite input never
gives NaN: values are rescaled by a power of two (exact in floating point) before squaring, so
huge values cannot overflow into ``inf − inf``.

>>> from plateau_pl.stats import mean_stderr
>>> mean_stderr([1.0, 2.0, 3.0])
(2.0, 0.577...)
>>> mean_stderr([1.0])
Traceback (most recent call last):
    ...
plateau_pl.errors.ShapeError: x needs at least 2 values for a standard error; got 1
"""

from __future__ import annotations

import numpy as np

from plateau_pl._validation import check_real_array
from plateau_pl.errors import PlateauError, ShapeError

__all__ = ["finite_values", "fit_decay", "mean_stderr", "variance_stderr"]


def finite_values(x, name: str, ndim: int | None = None) -> np.ndarray:
    """``x`` as a finite float64 array (numpy, torch or nested lists) of ``ndim`` dimensions.

    >>> finite_values([[1, 2]], "x").dtype, finite_values([1.0], "x", ndim=1).shape
    (dtype('float64'), (1,))
    """
    arr = check_real_array(x, name, allow_empty=True)
    if hasattr(arr, "detach"):  # a torch tensor: its values, off the graph
        arr = arr.detach().cpu().numpy()
    arr = np.asarray(arr, dtype=np.float64)
    if ndim is not None and arr.ndim != ndim:
        raise ShapeError(f"{name} must be a {ndim}-d array; got shape {arr.shape}")
    return arr


def _at_least(n: int, minimum: int, name: str, what: str, unit: str = "values") -> None:
    if n < minimum:
        raise ShapeError(f"{name} needs at least {minimum} {unit} for {what}; got {n}")


def _unit_scale(a: np.ndarray) -> tuple[np.ndarray, int]:
    """``(a · 2^-k, k)`` with ``max|a · 2^-k| < 1``: exact, and safe to square and sum."""
    top = float(np.max(np.abs(a))) if a.size else 0.0
    k = int(np.frexp(top)[1]) if top > 0 else 0
    return np.ldexp(a, -k), k


def _unscale(value: float, k: int, what: str) -> float:
    """``value · 2^k``; a :class:`PlateauError` naming ``what`` past the largest float."""
    with np.errstate(over="ignore"):
        out = float(np.ldexp(value, k))
    if not np.isfinite(out):
        raise PlateauError(f"{what} is past the largest float (1.8e308): rescale the input")
    return out


def mean_stderr(x) -> tuple[float, float]:
    """Sample mean and its standard error ``std(ddof=1)/√N`` of ``N ≥ 2`` finite values.

    Args:
        x: a 1-d array (numpy, torch or a list) of finite real values.

    Raises:
        ShapeError: ``x`` is not 1-d or has fewer than 2 values.
        PlateauError: ``x`` has NaN or infinite entries.

    >>> m, e = mean_stderr([1.0, 3.0])   # std(ddof=1) = √2, /√2
    >>> m, round(e, 12)
    (2.0, 1.0)
    """
    x = finite_values(x, "x", ndim=1)
    _at_least(len(x), 2, "x", "a standard error")
    s, k = _unit_scale(x)
    what = "the standard error of x"
    return _unscale(s.mean(), k, "the mean of x"), _unscale(
        s.std(ddof=1) / np.sqrt(len(s)), k, what
    )


def variance_stderr(grads) -> tuple[float, float]:
    """Mean over parameters of the per-parameter sample variance, and its standard error.

    ``grads`` has shape ``(N, P)`` (or ``(N,)``, or ``(N, ...)``, flattened per draw) with
    ``N ≥ 2`` draws; see the module docstring for the estimator.

    Raises:
        ShapeError: fewer than 2 draws, no parameters, or a 0-d input.
        PlateauError: NaN or infinite entries.

    >>> v, e = variance_stderr(np.random.default_rng(0).normal(size=(4000, 3)))
    >>> abs(v - 1) < 4 * e
    True
    """
    g = finite_values(grads, "grads")
    if g.ndim == 0:
        raise ShapeError(f"grads must have a leading axis of draws (N, P); got shape {g.shape}")
    n = len(g)
    _at_least(n, 2, "grads", "a variance", unit="draws (rows)")
    if g.size == 0:
        raise ShapeError(f"grads must hold at least one parameter per draw; got shape {g.shape}")
    s, k = _unit_scale(g.reshape(n, -1))
    q = ((s - s.mean(axis=0)) ** 2).mean(axis=1)
    scale = n / (n - 1)
    mean_q, err_q = scale * q.mean(), scale * q.std(ddof=1) / np.sqrt(n)
    return (
        _unscale(mean_q, 2 * k, "the variance of grads"),
        _unscale(err_q, 2 * k, "the variance's standard error of grads"),
    )


def _fit_inputs(x, y, yerr):
    x, y = finite_values(x, "x", ndim=1), finite_values(y, "y", ndim=1)
    if len(x) != len(y):
        raise ShapeError(f"x and y must have the same length; got {len(x)} and {len(y)}")
    if np.any(y <= 0):
        bad = int(np.argmax(y <= 0))
        raise PlateauError(
            f"y must be > 0 (fit_decay fits ln y); got y[{bad}] = {float(y[bad])!r} "
            f"({int(np.sum(y <= 0))} of {len(y)} entries <= 0)"
        )
    if yerr is not None:
        yerr = finite_values(yerr, "yerr", ndim=1)
        if len(yerr) != len(y):
            raise ShapeError(f"yerr must have the length of y ({len(y)}); got {len(yerr)}")
        if np.any(yerr <= 0):
            raise PlateauError(
                "yerr must be > 0 (a zero error would give its point infinite weight); got "
                f"{int(np.sum(yerr <= 0))} entries <= 0; pass yerr=None to fit by the scatter"
            )
    need = 2 if yerr is not None else 3
    if len(x) < need:
        why = "with yerr" if yerr is not None else "for an error from the scatter (2 with yerr)"
        raise ShapeError(f"x and y need at least {need} points {why}; got {len(x)}")
    if len(np.unique(x)) < 2:
        raise ShapeError(f"x must have at least 2 distinct values for a slope; got {x.tolist()}")
    return x, y, yerr


def _ratio(y: np.ndarray, yerr: np.ndarray) -> tuple[np.ndarray, int]:
    """``(y/yerr · 2^-k, k)``: ``k = 0`` unless ``(y/yerr)²`` would over- or underflow."""
    log_r = np.log(y) - np.log(yerr)
    top = float(log_r.max()) / np.log(2.0)
    if -500 < top < 500:
        return y / yerr, 0
    k = int(np.floor(top)) + 1
    return np.exp(log_r - k * np.log(2.0)), k


def fit_decay(x, y, yerr=None) -> tuple[float, float]:
    """Weighted least-squares slope of ``ln y`` against ``x`` and its standard error.

    ``yerr`` (standard errors of ``y``) weight the fit by ``(y/yerr)²``, and the error is at
    least what they propagate to (scaled up by the reduced χ² when the scatter is larger);
    without it the residual scatter sets the error.

    Args:
        x: 1-d finite values, at least 2 distinct.
        y: 1-d finite values ``> 0``, as many as ``x``: at least 3 without ``yerr`` (a line
            through 2 points has no scatter to estimate an error from), 2 with it.
        yerr: ``None`` or 1-d finite values ``> 0``, one per point.

    Raises:
        ShapeError: mismatched lengths, too few points or distinct ``x`` values.
        PlateauError: non-finite values, ``y <= 0`` or ``yerr <= 0``.

    >>> s, e = fit_decay([0, 1, 2, 3], [1, 0.5, 0.25, 0.125])
    >>> round(float(s / np.log(2)), 6), bool(e < 1e-12)
    (-1.0, True)
    >>> fit_decay([1, 2], [0.5, 0.25])
    Traceback (most recent call last):
        ...
    plateau_pl.errors.ShapeError: x and y need at least 3 points for an error from the scatter ...
    """
    x, y, yerr = _fit_inputs(x, y, yerr)
    ln_y = np.log(y)
    k = 0
    if yerr is None:
        w = np.ones_like(y)
    else:
        r, k = _ratio(y, yerr)
        w = r**2  # the weights (y/yerr)², times 2^-2k
        if len(np.unique(x[w > 0])) < 2:
            raise PlateauError(
                "yerr must leave two points with a weight (y/yerr)² a float can hold; y/yerr "
                f"spans {np.ptp(np.log10(y) - np.log10(yerr)):.0f} decades"
            )
    a = np.vstack([x, np.ones_like(x)]).T
    cov = np.linalg.pinv(a.T @ (w[:, None] * a))
    coef = cov @ a.T @ (w * ln_y)
    resid = ln_y - a @ coef
    dof = max(len(x) - 2, 1)
    chi2 = float(np.sum(w * resid**2) / dof)
    if yerr is None:  # the scatter sets the error
        return float(coef[0]), float(np.sqrt(cov[0, 0] * chi2))
    # the error is at least the propagated one: the reduced χ² of the unscaled weights,
    # chi2 · 2^2k, floored at 1
    with np.errstate(over="ignore"):
        scatter = np.ldexp(chi2, 2 * k) >= 1
        err = np.sqrt(cov[0, 0] * chi2) if scatter else np.ldexp(np.sqrt(cov[0, 0]), -k)
    if not np.isfinite(err):
        raise PlateauError(
            "yerr is so large against y that the slope's error is past the largest float"
        )
    return float(coef[0]), float(err)
