"""Gradient-free baselines: scipy's direct-search optimisers and SPSA.

The paper's Lipschitz argument (its Theorem 2) bounds *every* finite difference of a visible
observable, not only the derivative, so an entanglement-induced plateau also stalls optimisers
that never compute a gradient. These two drivers make that testable on the same tasks:

* :func:`fit_scipy` runs ``scipy.optimize.minimize`` with COBYLA, Nelder–Mead or Powell on a
  budget of cost evaluations and records the loss of every evaluation.
* :func:`fit_spsa` is simultaneous-perturbation stochastic approximation (Spall 1992, 1998):
  two evaluations per step along a random ±1 direction, with the standard gain sequences
  ``a_k = a/(k+1+A)^0.602`` and ``c_k = c/(k+1)^0.101``; one explicit seed fixes the directions.

Both return ``(TrainingHistory, best parameters)``; ``history.evals`` counts cost evaluations.

**Example**

>>> import numpy as np
>>> cost = lambda x: float(np.sum((x - 1.0) ** 2))
>>> hist, x = fit_scipy(cost, np.zeros(2), method="COBYLA", max_evals=200)
>>> bool(np.allclose(x, 1.0, atol=1e-3))
True
>>> hist, x = fit_spsa(cost, np.zeros(2), n_steps=300, a=0.2, c=0.1, seed=0)
>>> bool(hist.losses[-1] < 1e-2)
True
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable

import numpy as np

from plateau_pl._validation import check_choice, check_real_array, check_seed
from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError, ShapeError
from plateau_pl.train.loop import (
    NonFiniteLossError,
    TrainingHistory,
    _check_target_loss,
    check_number,
    check_steps,
)

__all__ = ["SCIPY_METHODS", "fit_scipy", "fit_spsa"]

SCIPY_METHODS = ("COBYLA", "Nelder-Mead", "Powell")
"""The ``scipy.optimize.minimize`` methods offered (derivative-free)."""


class _TargetReached(Exception):
    """Raised inside the cost function to end a scipy run at the target loss."""


def _check_x0(x0) -> np.ndarray:
    try:
        x = np.asarray(check_real_array(x0, "x0", allow_empty=True), dtype=np.float64)
    except (PlateauTypeError, ShapeError):
        raise
    except PlateauError:
        raise ConfigurationError("x0 must be finite; got NaN or inf entries") from None
    if x.ndim != 1 or x.size == 0:
        raise ShapeError(f"x0 must be a non-empty 1-d array; got shape {x.shape}")
    return x


def _check_cost(cost_fn) -> None:
    if not callable(cost_fn):
        raise PlateauTypeError(f"cost_fn must be callable; got {type(cost_fn).__name__}")


def _positive(value, name: str) -> float:
    return check_number(value, name, "a finite number > 0", positive=True)


def _cost(cost_fn, x, where: str) -> float:
    """``cost_fn(x)`` as a float; a named error for a non-scalar or non-finite cost."""
    value = cost_fn(x)
    try:
        loss = float(value) if np.ndim(value) == 0 else None
    except (TypeError, ValueError):
        loss = None
    if loss is None:
        raise PlateauTypeError(
            f"cost_fn must return a real number; got {type(value).__name__} at {where}"
        )
    if not np.isfinite(loss):
        raise NonFiniteLossError(f"the cost became {loss} at {where}; the run stopped there")
    return loss


class _Recorder:
    """Wraps a cost function: records every evaluation and the best point."""

    def __init__(self, cost_fn, target_loss):
        self.cost_fn, self.target = cost_fn, target_loss
        self.history = TrainingHistory()
        self.best_x, self.best = None, np.inf
        self.start = time.perf_counter()

    def __call__(self, x) -> float:
        where = f"evaluation {len(self.history.losses)}"
        loss = _cost(self.cost_fn, np.array(x, dtype=np.float64), where)
        self.history.losses.append(loss)
        self.history.wall_s.append(time.perf_counter() - self.start)
        self.history.evals.append(len(self.history.losses))
        if loss < self.best:
            self.best, self.best_x = loss, np.array(x, dtype=np.float64)
        if self.target is not None and loss <= self.target:
            raise _TargetReached
        return loss


def fit_scipy(
    cost_fn: Callable[[np.ndarray], float],
    x0,
    method: str = "COBYLA",
    max_evals: int = 500,
    target_loss: float | None = None,
    rhobeg: float = 0.5,
):
    """Minimise ``cost_fn(x)`` with a derivative-free ``scipy.optimize.minimize`` method.

    Args:
        cost_fn: ``x (n,) -> float``.
        x0: the starting point ``(n,)``.
        method: one of :data:`SCIPY_METHODS`.
        max_evals: budget of cost evaluations (the run ends at or just after it; COBYLA needs
            at least ``n + 2`` for its first simplex and takes them).
        target_loss: stop at the first evaluation with loss ``<= target_loss``.
        rhobeg: COBYLA's initial trust radius (also Nelder–Mead's initial simplex size).

    Returns:
        tuple: ``(TrainingHistory, best x)``; the history has one entry per evaluation.
    """
    from scipy.optimize import minimize

    _check_cost(cost_fn)
    x0 = _check_x0(x0)
    method = check_choice(method, "method", SCIPY_METHODS)
    max_evals = check_steps(max_evals, "max_evals")
    rhobeg = _positive(rhobeg, "rhobeg")
    record = _Recorder(cost_fn, _check_target_loss(target_loss))
    options = {
        "COBYLA": {"maxiter": max_evals, "rhobeg": rhobeg},
        "Nelder-Mead": {
            "maxfev": max_evals,
            "initial_simplex": np.vstack([x0, x0 + rhobeg * np.eye(x0.size)]),
        },
        "Powell": {"maxfev": max_evals},
    }[method]
    try:
        with warnings.catch_warnings():  # COBYLA raises a budget below n + 2 itself, and says so
            warnings.filterwarnings("ignore", message=".*Invalid MAXFUN", category=UserWarning)
            minimize(record, x0, method=method, options=options)
    except _TargetReached:
        record.history.stopped_early = True
    return record.history, record.best_x


def fit_spsa(
    cost_fn: Callable[[np.ndarray], float],
    x0,
    n_steps: int = 200,
    a: float = 0.1,
    c: float = 0.1,
    stability: float | None = None,
    seed: int | None = 0,
    target_loss: float | None = None,
):
    """Simultaneous-perturbation stochastic approximation (SPSA).

    Each step draws ``Δ ∈ {±1}^n``, evaluates ``f(x ± c_k Δ)`` and moves
    ``x ← x − a_k (f(x + c_kΔ) − f(x − c_kΔ)) / (2 c_k) · Δ``.

    Args:
        cost_fn: ``x (n,) -> float`` (may be noisy, e.g. shot-sampled).
        x0: the starting point ``(n,)``.
        n_steps: iterations (2 cost evaluations each, plus one to record the loss).
        a, c: gain constants of ``a_k = a/(k+1+A)^0.602`` and ``c_k = c/(k+1)^0.101``.
        stability: ``A`` (default ``n_steps/10``, Spall's rule of thumb).
        seed: seed of the perturbation directions.
        target_loss: stop at the first recorded loss ``<= target_loss``.

    Returns:
        tuple: ``(TrainingHistory, final x)``; ``history.losses[k]`` is ``f`` at step ``k``'s
        iterate and ``history.evals[k]`` the evaluations spent so far (the recording
        evaluations not counted: they are for the user, not the optimiser).
    """
    _check_cost(cost_fn)
    x = _check_x0(x0).copy()
    n_steps = check_steps(n_steps)
    a, c = _positive(a, "a"), _positive(c, "c")
    stability = n_steps / 10 if stability is None else stability
    stability = check_number(stability, "stability", "a finite number >= 0", minimum=0)
    target_loss = _check_target_loss(target_loss)
    rng = np.random.default_rng(check_seed(seed))
    history = TrainingHistory()
    start = time.perf_counter()
    for k in range(n_steps):
        loss = _cost(cost_fn, x, f"step {k}")
        history.losses.append(loss)
        history.wall_s.append(time.perf_counter() - start)
        history.evals.append(2 * k)
        if target_loss is not None and loss <= target_loss:
            history.stopped_early = k < n_steps - 1
            break
        ak = a / (k + 1 + stability) ** 0.602
        ck = c / (k + 1) ** 0.101
        delta = rng.choice([-1.0, 1.0], size=x.size)
        diff = _cost(cost_fn, x + ck * delta, f"step {k} (x + c_k Δ)") - _cost(
            cost_fn, x - ck * delta, f"step {k} (x − c_k Δ)"
        )
        x = x - ak * diff / (2 * ck) * delta
    return history, x
