"""Gradient-free baselines: scipy's direct-search optimisers and SPSA.

The paper's Lipschitz argument (its Theorem 2) bounds *every* finite difference of a visible
observable, not only the derivative, so an entanglement-induced plateau also stalls optimisers
that never compute a gradient. These two drivers make that testable on the same tasks:

* :func:`fit_scipy` runs ``scipy.optimize.minimize`` with COBYLA, Nelder–Mead or Powell on a
  budget of cost evaluations and records the loss of every evaluation. scipy owns that loop, so
  the :class:`~plateau_pl.train.driver.Driver` does not run it: the cost function is wrapped and
  reports every evaluation to :meth:`Driver.observe <plateau_pl.train.driver.Driver.observe>`
  (the same history, non-finite check and target loss as every other run).
* :func:`fit_spsa` is simultaneous-perturbation stochastic approximation (Spall 1992, 1998):
  two evaluations per step along a random ±1 direction, with the standard gain sequences
  ``a_k = a/(k+1+A)^0.602`` and ``c_k = c/(k+1)^0.101``; one explicit seed fixes the directions.
  :class:`SPSAStep` is one such step, run by the driver.

Both return ``(TrainingHistory, best parameters)``; ``history.evals`` counts cost evaluations.

**Why SPSA is written here, not** ``qml.SPSAOptimizer``. PennyLane's optimiser has the same gain
schedule (``a_k = a/(A+k)^α``, ``c_k = c/k^γ`` with its ``k`` counting from 1), but it draws
each direction with ``np.random.choice``, numpy's *global* random state: it takes no seed or
generator, so a run is reproducible only by seeding global state that every other library in
the process shares (and that draw stream differs from the ``default_rng(seed)`` directions the
recorded results were made with, so it could not reproduce them either). It also computes the
update as ``a_k · (y₊ − y₋)/(2 c_k Δ)`` rather than ``a_k (y₊ − y₋)/(2 c_k) · Δ`` (not the same
floating-point numbers), and it treats ``A = 0`` as "not given" (``if not A``), so Spall's
``A = 0`` cannot be asked for. Every random draw in this project takes an explicit seed, so the
step below keeps its own ``numpy.random.Generator``.

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

import warnings
from collections.abc import Callable

import numpy as np

from plateau_pl._validation import check_choice, check_real_array, check_seed
from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError, ShapeError
from plateau_pl.train.driver import (
    Driver,
    NonFiniteLossError,
    Step,
    check_number,
    check_steps,
    check_target_loss,
)

__all__ = ["SCIPY_METHODS", "SPSAStep", "fit_scipy", "fit_spsa"]

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


class _Evaluations:
    """scipy's cost function, wrapped: every evaluation reported to the driver, the best kept."""

    def __init__(self, cost_fn, driver: Driver):
        self.cost_fn, self.driver = cost_fn, driver
        self.best_x, self.best = None, np.inf

    def __call__(self, x) -> float:
        n = len(self.driver.history.losses)
        loss = _cost(self.cost_fn, np.array(x, dtype=np.float64), f"evaluation {n}")
        stop = self.driver.observe(loss, evals=n + 1)
        if loss < self.best:
            self.best, self.best_x = loss, np.array(x, dtype=np.float64)
        if stop:
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

    scipy's ``minimize`` owns its loop: the driver records each evaluation through the wrapped
    cost function (:meth:`~plateau_pl.train.driver.Driver.observe`) rather than running steps.
    """
    from scipy.optimize import minimize

    _check_cost(cost_fn)
    x0 = _check_x0(x0)
    method = check_choice(method, "method", SCIPY_METHODS)
    max_evals = check_steps(max_evals, "max_evals")
    rhobeg = _positive(rhobeg, "rhobeg")
    driver = Driver(None, max_evals, target_loss=check_target_loss(target_loss), progress=False)
    evaluations = _Evaluations(cost_fn, driver)
    options = {
        "COBYLA": {"maxiter": max_evals, "rhobeg": rhobeg},
        "Nelder-Mead": {
            "maxfev": max_evals,
            "initial_simplex": np.vstack([x0, x0 + rhobeg * np.eye(x0.size)]),
        },
        "Powell": {"maxfev": max_evals},
    }[method]
    with driver, warnings.catch_warnings():  # COBYLA raises a budget below n + 2, and says so
        warnings.filterwarnings("ignore", message=".*Invalid MAXFUN", category=UserWarning)
        try:
            minimize(evaluations, x0, method=method, options=options)
        except _TargetReached:
            driver.history.stopped_early = True
    return driver.history, evaluations.best_x


class SPSAStep(Step):
    """One SPSA step: the cost at the iterate, then a move along a random ±1 direction.

    :meth:`evaluate` is one cost evaluation, at the iterate ``x`` (the recorded loss);
    :meth:`update` draws ``Δ ∈ {±1}^n``, evaluates ``f(x ± c_k Δ)`` and moves
    ``x ← x − a_k (f(x + c_kΔ) − f(x − c_kΔ)) / (2 c_k) · Δ``, with
    ``a_k = a/(k+1+A)^0.602`` and ``c_k = c/(k+1)^0.101`` at step ``k``. ``evals`` counts the
    optimiser's evaluations (two per update; the recording ones are for the user).

    Args:
        cost_fn: ``x (n,) -> float`` (may be noisy, e.g. shot-sampled).
        x0: the starting point ``(n,)``; ``step.x`` is the current iterate.
        a, c: the gain constants.
        stability: ``A`` (Spall's rule of thumb: a tenth of the planned steps).
        seed: seed of the perturbation directions (a ``numpy.random.default_rng`` of its own).

    >>> import numpy as np
    >>> step = SPSAStep(lambda x: float(np.sum(x**2)), np.ones(2), a=0.2, c=0.1, seed=0)
    >>> losses = [step() for _ in range(50)]
    >>> losses[0], bool(losses[-1] < 0.01), step.evals
    (2.0, True, 100)
    """

    def __init__(self, cost_fn, x0, a=0.1, c=0.1, stability: float = 0.0, seed: int | None = 0):
        _check_cost(cost_fn)
        self.cost_fn = cost_fn
        self.x = _check_x0(x0).copy()
        self.a, self.c = _positive(a, "a"), _positive(c, "c")
        self.stability = check_number(stability, "stability", "a finite number >= 0", minimum=0)
        self.rng = np.random.default_rng(check_seed(seed))
        self.k = 0

    @property
    def evals(self) -> int:
        return 2 * self.k

    def evaluate(self) -> float:
        return _cost(self.cost_fn, self.x, f"step {self.k}")

    def update(self) -> None:
        k, x = self.k, self.x
        ak = self.a / (k + 1 + self.stability) ** 0.602
        ck = self.c / (k + 1) ** 0.101
        delta = self.rng.choice([-1.0, 1.0], size=x.size)
        plus = _cost(self.cost_fn, x + ck * delta, f"step {k} (x + c_k Δ)")
        minus = _cost(self.cost_fn, x - ck * delta, f"step {k} (x − c_k Δ)")
        self.x = x - ak * (plus - minus) / (2 * ck) * delta
        self.k += 1


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
    x0 = _check_x0(x0)
    n_steps = check_steps(n_steps)
    a, c = _positive(a, "a"), _positive(c, "c")
    stability = n_steps / 10 if stability is None else stability
    stability = check_number(stability, "stability", "a finite number >= 0", minimum=0)
    target_loss = check_target_loss(target_loss)
    step = SPSAStep(cost_fn, x0, a=a, c=c, stability=stability, seed=seed)
    history = Driver(step, n_steps, target_loss=target_loss, progress=False).run()
    return history, step.x
