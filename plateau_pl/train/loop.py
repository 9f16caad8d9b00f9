"""Gradient training of torch models (QBMs, QNN torch layers, hybrid models) and autograd QNNs.

Two steps for the :class:`~plateau_pl.train.driver.Driver`: :class:`TorchStep` (one torch
optimiser step on a model) and :class:`PennyLaneStep` (one PennyLane optimiser step on an array
of parameters). :func:`fit` and :func:`fit_pennylane` build one and run the driver (steps, early
stop, callbacks, a progress bar, the history written as records) and return a
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

from collections.abc import Callable

import numpy as np
import torch

from plateau_pl._validation import check_bool, check_file_path, check_instance
from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError
from plateau_pl.train.driver import (
    Driver,
    EarlyStopping,
    NonFiniteLossError,
    Step,
    TrainingHistory,
    check_callbacks,
    check_number,
    check_steps,
    check_target_loss,
)

__all__ = [
    "OPTIMIZERS",
    "PENNYLANE_OPTIMIZERS",
    "EarlyStopping",
    "NonFiniteLossError",
    "PennyLaneStep",
    "TorchStep",
    "TrainingHistory",
    "check_number",
    "check_steps",
    "fit",
    "fit_pennylane",
    "fit_target",
]


OPTIMIZERS = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD, "lbfgs": torch.optim.LBFGS}
"""Optimisers by name; a ``torch.optim.Optimizer`` class or instance is accepted too."""


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


def _driver_options(n_steps, lr, progress, record_fields, out, target_loss, callbacks) -> dict:
    """The :class:`Driver` options every ``fit`` shares, checked (in this order) before anything
    is built; ``callbacks`` is ``(callback, callbacks)``."""
    return {
        "n_steps": _check_common(n_steps, lr, progress, record_fields, out),
        "target_loss": check_target_loss(target_loss),
        "callbacks": check_callbacks(*callbacks),
        "progress": progress,
        "record_fields": record_fields,
        "out": out,
    }


def _check_common(n_steps, lr, progress, record_fields, out):
    n_steps = check_steps(n_steps)
    if out is not None:
        check_file_path(out, "out")  # a file that can be written: not a folder, not in a file
    check_number(lr, "lr", "a finite number > 0", positive=True)
    if progress is not None:
        check_bool(progress, "progress")
    if record_fields is not None and not isinstance(record_fields, dict):
        raise PlateauTypeError(
            f"record_fields must be a dict or None; got {type(record_fields).__name__}"
        )
    return n_steps


def _check_model(model, loss_fn) -> None:
    if not isinstance(model, torch.nn.Module):
        raise PlateauTypeError(f"model must be a torch.nn.Module; got {type(model).__name__}")
    if not callable(loss_fn):
        raise PlateauTypeError(f"loss_fn must be callable (model); got {type(loss_fn).__name__}")


class TorchStep(Step):
    """One torch-optimiser step on a model: ``optimizer.step(closure)``; the loss before it.

    ``evaluate`` does the whole step (torch's ``step(closure)`` evaluates and moves in one call,
    and L-BFGS calls the closure several times), so :meth:`update` has nothing left to do.

    Args:
        model: a ``torch.nn.Module`` (a QBM, a ``QNN.torch_layer()``, a hybrid model).
        loss_fn: returns a real scalar tensor for the model.
        optimizer: ``"adam"``, ``"sgd"``, ``"lbfgs"``, an optimiser class or an instance.
        lr: learning rate (ignored for an optimiser instance).

    >>> import numpy as np, plateau_pl as pp
    >>> layout = pp.WireLayout(n_visible=1, n_hidden=1)
    >>> qbm = pp.QBM(layout, pp.hamiltonians.random_two_local(layout, seed=0))
    >>> step = TorchStep(qbm, lambda m: m.expval_matrix(np.diag([1.0, -1.0])), lr=0.1)
    >>> first, second = step(), step()
    >>> second < first
    True
    """

    def __init__(self, model: torch.nn.Module, loss_fn, optimizer="adam", lr: float = 0.05):
        _check_model(model, loss_fn)
        check_number(lr, "lr", "a finite number > 0", positive=True)
        self.model, self.loss_fn = model, loss_fn
        self.optimizer = _optimizer(optimizer, model.parameters(), lr)

    def _closure(self) -> torch.Tensor:
        self.optimizer.zero_grad()
        loss = _scalar_loss(self.loss_fn(self.model))
        loss.backward()
        return loss

    def evaluate(self) -> float:
        return float(self.optimizer.step(self._closure).detach())


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
    _check_model(model, loss_fn)
    pair = (callback, callbacks)
    options = _driver_options(n_steps, lr, progress, record_fields, out, target_loss, pair)
    return Driver(TorchStep(model, loss_fn, optimizer, lr), **options).run()


def _scalar_loss(loss) -> torch.Tensor:
    """The loss of :func:`fit`'s ``loss_fn``: a real scalar tensor that depends on the model."""
    if not isinstance(loss, torch.Tensor) or loss.numel() != 1 or loss.is_complex():
        what = (
            f"a tensor of shape {tuple(loss.shape)} ({loss.dtype})"
            if isinstance(loss, torch.Tensor)
            else type(loss).__name__
        )
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


class PennyLaneStep(Step):
    """One PennyLane-optimiser step: ``optimizer.step_and_cost``; the cost before it.

    ``evaluate`` does the whole step (``step_and_cost`` evaluates and moves in one call).

    Args:
        cost_fn: returns the scalar cost of the parameters (differentiable by autograd).
        params: initial parameters (e.g. ``QNN.init_weights(seed)``, interface autograd);
            ``step.params`` holds the current ones.
        optimizer: a name in :data:`PENNYLANE_OPTIMIZERS` or a PennyLane optimizer instance.
        lr: the step size of a named optimiser.

    >>> import numpy as np
    >>> step = PennyLaneStep(lambda w: (w**2).sum(), np.array([1.0, -2.0]), "gd", lr=0.25)
    >>> step(), step.params.tolist()
    (5.0, [0.5, -1.0])
    """

    def __init__(self, cost_fn: Callable, params, optimizer="adam", lr: float = 0.05):
        from pennylane import numpy as pnp

        from plateau_pl._validation import check_real_array

        if not callable(cost_fn):
            raise PlateauTypeError(
                f"cost_fn must be callable (params); got {type(cost_fn).__name__}"
            )
        check_number(lr, "lr", "a finite number > 0", positive=True)
        self.cost_fn = cost_fn
        self.optimizer = _pennylane_optimizer(optimizer, lr)
        self.params = pnp.array(check_real_array(params, "params"), requires_grad=True)

    def evaluate(self) -> float:
        try:
            self.params, cost = self.optimizer.step_and_cost(self.cost_fn, self.params)
        except TypeError:  # autograd's refusal of a non-numeric cost; anything else re-raised
            _check_cost_value(self.cost_fn(self.params))
            raise
        if np.ndim(cost) != 0:
            raise PlateauTypeError(f"cost_fn must return a real scalar; got shape {np.shape(cost)}")
        return float(cost)


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
    if not callable(cost_fn):
        raise PlateauTypeError(f"cost_fn must be callable (params); got {type(cost_fn).__name__}")
    pair = (None, callbacks)
    options = _driver_options(n_steps, lr, progress, record_fields, out, target_loss, pair)
    step = PennyLaneStep(cost_fn, params, optimizer, lr)
    return Driver(step, **options).run(), step.params


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
