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

from plateau_pl._validation import (
    check_bool,
    check_file_path,
    check_float,
    check_instance,
    check_int,
    check_memory,
)
from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError

__all__ = [
    "OPTIMIZERS",
    "PENNYLANE_OPTIMIZERS",
    "EarlyStopping",
    "NonFiniteLossError",
    "TrainingHistory",
    "check_number",
    "check_steps",
    "fit",
    "fit_pennylane",
    "fit_target",
]


class NonFiniteLossError(PlateauError, FloatingPointError):
    """A loss (or cost) became NaN or infinite during training; the message names the step.

    A :class:`~plateau_pl.errors.PlateauError` (so a ``ValueError``) and, as before, a
    ``FloatingPointError``.
    """


def check_number(value, name: str, expected: str, **bounds) -> float:
    """:func:`~plateau_pl._validation.check_float` (the one "finite number" rule), raising
    ``ConfigurationError("{name} must be {expected}; got ...")`` for a non-finite or
    out-of-range value (the wording the training options have always had); a value of the
    wrong type stays a :class:`~plateau_pl.errors.PlateauTypeError`.

    >>> check_number(0.1, "lr", "a finite number > 0", positive=True)
    0.1
    >>> check_number(float("nan"), "lr", "a finite number > 0", positive=True)
    Traceback (most recent call last):
        ...
    plateau_pl.errors.ConfigurationError: lr must be a finite number > 0; got nan
    """
    try:
        return check_float(value, name, **bounds)
    except PlateauTypeError:
        raise
    except (PlateauError, OverflowError):  # OverflowError: an int past the largest float
        raise ConfigurationError(f"{name} must be {expected}; got {value!r:.40}") from None


_HISTORY_BYTES = 96  # per step of a TrainingHistory: a loss, a time, an eval count (objects)


def check_steps(n_steps, name: str = "n_steps", bytes_per_step: float = _HISTORY_BYTES) -> int:
    """``n_steps`` as an int ``>= 1`` whose per-step record (a :class:`TrainingHistory` entry,
    ``bytes_per_step`` bytes) fits in memory; refused before the first step otherwise.

    >>> check_steps(10**30)
    Traceback (most recent call last):
        ...
    plateau_pl.errors.ResourceError: the history of 1000000000000000000000000000000 steps would ...
    """
    n = check_int(n_steps, name, minimum=1)
    check_memory(bytes_per_step * float(min(n, 10**300)), f"the history of {n} steps",
                 f"use fewer {name}")  # fmt: skip
    return n


def _check_target_loss(target_loss) -> float | None:
    if target_loss is None:
        return None
    return check_float(target_loss, "target_loss", allow_inf=True)


def _check_loss(loss, where: str) -> float:
    """The loss as a float; a :class:`NonFiniteLossError` naming ``where`` if NaN or inf."""
    if not np.isfinite(loss):
        raise NonFiniteLossError(f"the loss became {loss} at {where}; training stopped there")
    return loss


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
        threshold = check_float(threshold, "threshold", allow_inf=True)
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
        self.min_delta = check_number(min_delta, "min_delta", "a finite number >= 0", minimum=0)
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
            loss = _check_loss(step_fn(), f"step {step}")
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
    if callback is not None and not callable(callback):
        raise PlateauTypeError(f"callback must be callable (step, loss); got {callback!r}")
    out = [] if callback is None else [callback]
    if callbacks is not None and (isinstance(callbacks, (str, bytes)) or not hasattr(
            callbacks, "__iter__")):  # fmt: skip
        raise PlateauTypeError(f"callbacks must be a list of callables; got {callbacks!r}")
    for cb in callbacks or ():
        if not callable(cb):
            raise PlateauTypeError(f"callbacks must be callables (step, loss); got {cb!r}")
        out.append(cb)
    return out


def _check_out(out) -> None:
    """``out`` names a file that can be written: not a folder, no file among its ancestors."""
    check_file_path(out, "out")


def _check_common(n_steps, lr, progress, record_fields, out):
    n_steps = check_steps(n_steps)
    if out is not None:
        _check_out(out)
    check_number(lr, "lr", "a finite number > 0", positive=True)
    if progress is not None:
        check_bool(progress, "progress")
    if record_fields is not None and not isinstance(record_fields, dict):
        raise PlateauTypeError(
            f"record_fields must be a dict or None; got {type(record_fields).__name__}"
        )
    return n_steps


def _save(history: TrainingHistory, out, fields) -> None:
    if out is not None:
        from plateau_pl.records import write_records_atomic

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

    Raises:
        NonFiniteLossError: the loss became NaN or infinite (the message names the step).
        PlateauTypeError: ``loss_fn`` does not return a real scalar tensor.
    """
    if not isinstance(model, torch.nn.Module):
        raise PlateauTypeError(f"model must be a torch.nn.Module; got {type(model).__name__}")
    if not callable(loss_fn):
        raise PlateauTypeError(f"loss_fn must be callable (model); got {type(loss_fn).__name__}")
    n_steps = _check_common(n_steps, lr, progress, record_fields, out)
    target_loss = _check_target_loss(target_loss)
    callbacks = _callbacks(callback, callbacks)
    opt = _optimizer(optimizer, model.parameters(), lr)

    def closure():
        opt.zero_grad()
        loss = _scalar_loss(loss_fn(model))
        loss.backward()
        return loss

    def step_fn() -> float:
        return float(opt.step(closure).detach())

    history = _run_loop(step_fn, n_steps, target_loss, callbacks, progress, "fit")
    _save(history, out, record_fields)
    return history


def _scalar_loss(loss) -> torch.Tensor:
    """The loss of :func:`fit`'s ``loss_fn``: a real scalar tensor that depends on the model."""
    if not isinstance(loss, torch.Tensor) or loss.numel() != 1 or loss.is_complex():
        what = (f"a tensor of shape {tuple(loss.shape)} ({loss.dtype})"
                if isinstance(loss, torch.Tensor) else type(loss).__name__)  # fmt: skip
        raise PlateauTypeError(f"loss_fn must return a real scalar torch tensor; got {what}")
    if not loss.requires_grad:
        raise PlateauError(
            "loss_fn's loss does not depend on the model's parameters (it has no gradient); "
            "build it from the model's output"
        )
    return loss.reshape(())


def _check_cost_value(cost) -> None:
    """Name ``cost_fn`` when what it returned is not a real number."""
    try:
        ok = np.ndim(cost) == 0 and np.isrealobj(cost) and isinstance(float(cost), float)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise PlateauTypeError(f"cost_fn must return a real scalar; got {type(cost).__name__}")


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

    Raises:
        NonFiniteLossError: the cost became NaN or infinite (the message names the step).

    >>> import pennylane as qml, plateau_pl as pp
    >>> qnn = pp.QNN(pp.WireLayout(1, 1), "hardware_efficient", n_layers=1,
    ...              device="default.qubit", seed=0)
    >>> hist, w = fit_pennylane(qnn.init_weights(seed=0), qnn, n_steps=20, lr=0.2)
    >>> hist.losses[-1] < hist.losses[0]
    True
    """
    from pennylane import numpy as pnp

    from plateau_pl._validation import check_real_array

    if not callable(cost_fn):
        raise PlateauTypeError(f"cost_fn must be callable (params); got {type(cost_fn).__name__}")
    n_steps = _check_common(n_steps, lr, progress, record_fields, out)
    target_loss = _check_target_loss(target_loss)
    callbacks = _callbacks(None, callbacks)
    opt = _pennylane_optimizer(optimizer, lr)
    state = {"params": pnp.array(check_real_array(params, "params"), requires_grad=True)}

    def step_fn() -> float:
        try:
            state["params"], cost = opt.step_and_cost(cost_fn, state["params"])
        except TypeError:  # autograd's refusal of a non-numeric cost; anything else re-raised
            _check_cost_value(cost_fn(state["params"]))
            raise
        if np.ndim(cost) != 0:
            raise PlateauTypeError(f"cost_fn must return a real scalar; got shape {np.shape(cost)}")
        return float(cost)

    history = _run_loop(step_fn, n_steps, target_loss, callbacks, progress, "fit")
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

    Raises:
        PlateauTypeError: ``qbm`` is not a QBM (a QNN trains with :func:`fit` on its
            ``torch_layer()``, or :func:`fit_pennylane`).
    """
    from plateau_pl.models.qbm import QBM

    check_instance(qbm, "qbm", QBM, "a plateau_pl QBM")
    try:
        np.asarray(target, dtype=np.complex128)
    except (TypeError, ValueError):
        raise PlateauTypeError(
            f"target must be a (D_v, D_v) density matrix; got a {type(target).__name__} that is "
            "not a numeric array"
        ) from None
    sigma = qbm.check_target(target)
    return fit(qbm, lambda m: m.relative_entropy(sigma), n_steps=n_steps, lr=lr, **kwargs)
