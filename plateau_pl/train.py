"""Training loops for torch models (QBMs, QNN torch layers, hybrid models).

:func:`fit` owns the loop — optimiser, steps, early stop, callbacks — and returns a
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

__all__ = ["OPTIMIZERS", "TrainingHistory", "fit", "fit_target"]

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

    def steps_to(self, threshold: float) -> int | None:
        """The first step whose loss is ``<= threshold`` (``None`` if never)."""
        for i, loss in enumerate(self.losses):
            if loss <= threshold:
                return i
        return None

    def to_records(self, **fields) -> list[dict]:
        """One record per step: ``{"step", "loss", "wall_s", **fields}``."""
        return [
            {"step": i, "loss": loss, "wall_s": round(t, 6), **fields}
            for i, (loss, t) in enumerate(zip(self.losses, self.wall_s, strict=True))
        ]


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


def fit(
    model: torch.nn.Module,
    loss_fn: Callable[[torch.nn.Module], torch.Tensor],
    n_steps: int = 100,
    optimizer="adam",
    lr: float = 0.05,
    target_loss: float | None = None,
    callback: Callable[[int, float], bool | None] | None = None,
) -> TrainingHistory:
    """Minimise ``loss_fn(model)`` over ``model.parameters()``.

    Args:
        model: a ``torch.nn.Module``.
        loss_fn: returns a real scalar tensor for the model.
        n_steps: number of optimiser steps.
        optimizer: ``"adam"``, ``"sgd"``, ``"lbfgs"``, an optimiser class or an instance.
        lr: learning rate (ignored for an optimiser instance).
        target_loss: stop as soon as the loss is ``<= target_loss``.
        callback: ``callback(step, loss)``; returning ``True`` stops the run.

    Returns:
        TrainingHistory: the loss at every step.
    """
    if not isinstance(model, torch.nn.Module):
        raise PlateauTypeError(f"model must be a torch.nn.Module; got {type(model).__name__}")
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    if not (np.isfinite(lr) and lr > 0):
        raise ConfigurationError(f"lr must be a finite number > 0; got {lr!r}")
    opt = _optimizer(optimizer, model.parameters(), lr)
    history = TrainingHistory()
    start = time.perf_counter()

    def closure():
        opt.zero_grad()
        loss = loss_fn(model)
        loss.backward()
        return loss

    for step in range(n_steps):
        loss = float(opt.step(closure).detach())
        if not np.isfinite(loss):
            raise FloatingPointError(f"loss became {loss} at step {step}")
        history.losses.append(loss)
        history.wall_s.append(time.perf_counter() - start)
        stop = target_loss is not None and loss <= target_loss
        if callback is not None and callback(step, loss):
            stop = True
        if stop:
            history.stopped_early = step < n_steps - 1
            break
    return history


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
