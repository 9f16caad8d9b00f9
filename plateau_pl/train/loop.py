"""The training loop for torch models (QBMs, QNN torch layers, hybrid models) and autograd QNNs.

:func:`fit` (torch optimisers, for QBMs, ``QNN.torch_layer()`` and hybrid models) and
:func:`fit_pennylane` (PennyLane optimisers, for autograd QNNs) own the loop — optimiser, steps,
early stop, callbacks, a progress bar, the history written as records — and return a
:class:`TrainingHistory` whose :meth:`~TrainingHistory.to_records` gives one record per step.
:func:`fit_target` trains a QBM towards a target visible state by the quantum relative entropy
(the paper's generative pretraining).

**Example**

>>> import numpy as np, plateau_pl as pp
>>> from plateau_pl.train import fit_target
>>> layout = pp.WireLayout(n_visible=1, n_hidden=1)
>>> qbm = pp.QBM(layout, pp.hamiltonians.random_two_local(layout, seed=0))
>>> target = np.diag([0.9, 0.1])
>>> hist = fit_target(qbm, target, n_steps=30, lr=0.1)
>>> hist.losses[-1] < hist.losses[0]
True
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch

from plateau_pl._validation import check_int
from plateau_pl.errors import ConfigurationError, PlateauTypeError

__all__ = [
    "OPTIMIZERS",
    "PENNYLANE_OPTIMIZERS",
    "EarlyStopping",
    "TrainingHistory",
    "fit",
    "fit_pennylane",
    "fit_target",
]

OPTIMIZERS = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD, "lbfgs": torch.optim.LBFGS}
"""Optimisers by name; a ``torch.optim.Optimizer`` class or instance is accepted too."""


@dataclass
class TrainingHistory:
    """The losses of a training run, one per completed step."""

    losses: list[float] = field(default_factory=list)
    """Loss before each optimiser step."""
    wall_s: list[float] = field(default_factory=list)
    """Seconds since the start, at each step."""
    stopped_early: bool = False
    """Whether the target loss or a callback ended the run before ``n_steps``."""
    evals: list[int] = field(default_factory=list)
    """Cost-function evaluations so far, at each step (gradient-free methods only)."""

    def steps_to(self, threshold: float) -> int | None:
        """The first step whose loss is ``<= threshold`` (``None`` if never)."""
        for i, loss in enumerate(self.losses):
            if loss <= threshold:
                return i
        return None

    def to_records(self, **fields) -> list[dict]:
        """One record per step: ``{"step", "loss", "wall_s", ["evals",] **fields}``."""
        out = [
            {"step": i, "loss": loss, "wall_s": round(t, 6), **fields}
            for i, (loss, t) in enumerate(zip(self.losses, self.wall_s, strict=True))
        ]
        for record, n in zip(out, self.evals, strict=False):
            record["evals"] = n
        return out


def _optimizer(optimizer, params, lr: float):
    if isinstance(optimizer, torch.optim.Optimizer):
        return optimizer
    if isinstance(optimizer, str):
        if optimizer not in OPTIMIZERS:
            raise ConfigurationError(
                f"unknown optimizer {optimizer!r}; available: {', '.join(sorted(OPTIMIZERS))}, "
                "or a torch.optim.Optimizer"
            )
        optimizer = OPTIMIZERS[optimizer]
    if isinstance(optimizer, type) and issubclass(optimizer, torch.optim.Optimizer):
        return optimizer(params, lr=lr)
    raise PlateauTypeError(
        f"optimizer must be a name, a torch.optim.Optimizer class or instance; got {optimizer!r}"
    )


class EarlyStopping:
    """Stop when the loss has not improved by ``min_delta`` for ``patience`` steps.

    A callback: ``EarlyStopping(patience=10)(step, loss)`` returns ``True`` to stop.

    >>> stop = EarlyStopping(patience=2)
    >>> [stop(i, loss) for i, loss in enumerate([3.0, 2.0, 2.0, 2.0])]
    [False, False, False, True]
    """

    def __init__(self, patience: int = 10, min_delta: float = 0.0):
        self.patience = check_int(patience, "patience", minimum=1)
        if not (np.isfinite(min_delta) and min_delta >= 0):
            raise ConfigurationError(f"min_delta must be a finite number >= 0; got {min_delta!r}")
        self.min_delta = float(min_delta)
        self.best = np.inf
        self.waited = 0

    def __call__(self, step: int, loss: float) -> bool:
        if loss < self.best - self.min_delta:
            self.best, self.waited = loss, 0
            return False
        self.waited += 1
        return self.waited >= self.patience


def _run_loop(step_fn, n_steps, target_loss, callbacks, progress, desc) -> TrainingHistory:
    """The loop both drivers share: steps, finiteness, early stops, callbacks, progress bar."""
    from tqdm import tqdm

    history = TrainingHistory()
    start = time.perf_counter()
    bar = tqdm(total=n_steps, desc=desc, unit="step", disable=None if progress is None
               else not progress)  # fmt: skip
    with bar:
        for step in range(n_steps):
            loss = step_fn()
            if not np.isfinite(loss):
                raise FloatingPointError(f"loss became {loss} at step {step}")
            history.losses.append(loss)
            history.wall_s.append(time.perf_counter() - start)
            bar.update(1)
            bar.set_postfix(loss=f"{loss:.4g}", refresh=False)
            stop = target_loss is not None and loss <= target_loss
            stop = any([bool(cb(step, loss)) for cb in callbacks]) or stop
            if stop:
                history.stopped_early = step < n_steps - 1
                break
    return history


def _callbacks(callback, callbacks) -> list:
    out = [] if callback is None else [callback]
    for cb in callbacks or ():
        if not callable(cb):
            raise PlateauTypeError(f"callbacks must be callables (step, loss); got {cb!r}")
        out.append(cb)
    return out


def _check_common(n_steps, lr):
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    if not (np.isfinite(lr) and lr > 0):
        raise ConfigurationError(f"lr must be a finite number > 0; got {lr!r}")
    return n_steps


def _save(history: TrainingHistory, out, fields) -> None:
    if out is not None:
        from plateau_pl.experiments.records import write_records_atomic

        write_records_atomic(out, history.to_records(**(fields or {})))


def fit(
    model: torch.nn.Module,
    loss_fn: Callable[[torch.nn.Module], torch.Tensor],
    n_steps: int = 100,
    optimizer="adam",
    lr: float = 0.05,
    target_loss: float | None = None,
    callback: Callable[[int, float], bool | None] | None = None,
    callbacks=None,
    progress: bool | None = None,
    out=None,
    record_fields: dict | None = None,
) -> TrainingHistory:
    """Minimise ``loss_fn(model)`` over ``model.parameters()`` with a torch optimiser.

    Args:
        model: a ``torch.nn.Module`` (a QBM, a ``QNN.torch_layer()``, a hybrid model).
        loss_fn: returns a real scalar tensor for the model.
        n_steps: number of optimiser steps.
        optimizer: ``"adam"``, ``"sgd"``, ``"lbfgs"``, an optimiser class or an instance.
        lr: learning rate (ignored for an optimiser instance).
        target_loss: stop as soon as the loss is ``<= target_loss``.
        callback: ``callback(step, loss)``; returning ``True`` stops the run.
        callbacks: more such callables (e.g. :class:`EarlyStopping`, a logger).
        progress: a progress bar on stderr (``None``: only when stderr is a terminal).
        out: write the history as JSON-lines records here (atomically) at the end.
        record_fields: fields added to every record (the run's settings).

    Returns:
        TrainingHistory: the loss at every step.
    """
    if not isinstance(model, torch.nn.Module):
        raise PlateauTypeError(f"model must be a torch.nn.Module; got {type(model).__name__}")
    n_steps = _check_common(n_steps, lr)
    opt = _optimizer(optimizer, model.parameters(), lr)

    def closure():
        opt.zero_grad()
        loss = loss_fn(model)
        loss.backward()
        return loss

    def step_fn() -> float:
        return float(opt.step(closure).detach())

    history = _run_loop(step_fn, n_steps, target_loss, _callbacks(callback, callbacks),
                        progress, "fit")  # fmt: skip
    _save(history, out, record_fields)
    return history


PENNYLANE_OPTIMIZERS = {
    "adam": "AdamOptimizer",
    "gd": "GradientDescentOptimizer",
    "momentum": "MomentumOptimizer",
    "adagrad": "AdagradOptimizer",
    "rmsprop": "RMSPropOptimizer",
}
"""PennyLane optimisers by name (``qml.<class>(stepsize=lr)``)."""


def _pennylane_optimizer(optimizer, lr: float):
    import pennylane as qml

    if isinstance(optimizer, str):
        if optimizer not in PENNYLANE_OPTIMIZERS:
            raise ConfigurationError(
                f"unknown optimizer {optimizer!r}; available: "
                f"{', '.join(sorted(PENNYLANE_OPTIMIZERS))}, or a PennyLane optimizer"
            )
        return getattr(qml, PENNYLANE_OPTIMIZERS[optimizer])(stepsize=lr)
    if hasattr(optimizer, "step_and_cost"):
        return optimizer
    raise PlateauTypeError(
        f"optimizer must be a name or a PennyLane optimizer instance; got {optimizer!r}"
    )


def fit_pennylane(
    params,
    cost_fn: Callable,
    n_steps: int = 100,
    optimizer="adam",
    lr: float = 0.05,
    target_loss: float | None = None,
    callbacks=None,
    progress: bool | None = None,
    out=None,
    record_fields: dict | None = None,
):
    """Minimise ``cost_fn(params)`` with a PennyLane optimiser (autograd QNNs).

    Args:
        params: initial parameters (e.g. ``QNN.init_weights(seed)``, interface autograd).
        cost_fn: returns the scalar cost of ``params`` (differentiable by autograd).
        n_steps, lr, target_loss, callbacks, progress, out, record_fields: as in :func:`fit`.
        optimizer: a name in :data:`PENNYLANE_OPTIMIZERS` or a PennyLane optimizer instance.

    Returns:
        tuple: ``(TrainingHistory, final params)``.

    >>> import pennylane as qml, plateau_pl as pp
    >>> qnn = pp.QNN(pp.WireLayout(1, 1), "hardware_efficient", n_layers=1,
    ...              device="default.qubit", seed=0)
    >>> hist, w = fit_pennylane(qnn.init_weights(seed=0), qnn, n_steps=20, lr=0.2)
    >>> hist.losses[-1] < hist.losses[0]
    True
    """
    from pennylane import numpy as pnp

    n_steps = _check_common(n_steps, lr)
    opt = _pennylane_optimizer(optimizer, lr)
    state = {"params": pnp.array(params, requires_grad=True)}

    def step_fn() -> float:
        state["params"], cost = opt.step_and_cost(cost_fn, state["params"])
        return float(cost)

    history = _run_loop(step_fn, n_steps, target_loss, _callbacks(None, callbacks), progress,
                        "fit")  # fmt: skip
    _save(history, out, record_fields)
    return history, state["params"]


def fit_target(qbm, target, n_steps: int = 100, lr: float = 0.05, **kwargs) -> TrainingHistory:
    """Train a :class:`~plateau_pl.models.QBM` towards ``target`` by ``S(σ‖ρ_v)``.

    Args:
        qbm: the QBM (its ``theta`` is trained in place).
        target: a ``(D_v, D_v)`` density matrix on the visible qubits.
        n_steps: optimiser steps.
        lr: learning rate.
        **kwargs: passed to :func:`fit` (``optimizer``, ``target_loss``, ``callback``).
    """
    sigma = qbm.check_target(target)
    return fit(qbm, lambda m: m.relative_entropy(sigma), n_steps=n_steps, lr=lr, **kwargs)
