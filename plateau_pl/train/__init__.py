"""Training through and around plateaus.

* :mod:`~plateau_pl.train.loop`: :func:`fit` (torch optimisers: QBMs, ``QNN.torch_layer()``,
  hybrid models), :func:`fit_pennylane` (PennyLane optimisers), :class:`EarlyStopping`,
  :func:`fit_target` (QBM generative training), :class:`TrainingHistory`; a NaN or infinite
  loss stops any driver with :class:`NonFiniteLossError` (a ``PlateauError``) naming the step.
* :mod:`~plateau_pl.train.gradient_free`: :func:`fit_scipy` (COBYLA, Nelder–Mead, Powell) and
  :func:`fit_spsa`, the gradient-free baselines.
* :mod:`~plateau_pl.train.tasks`: small honest tasks — :class:`StateTask` (learn a pure visible
  state) and :class:`ClassificationTask` (binary labels from data encoded on the visible wires).
* :mod:`~plateau_pl.train.ensemble`: :func:`train_qnn_ensemble`, many seeds of one QNN trained
  at once on the batched statevector engine, with the remedies as options.
"""

from plateau_pl.train.gradient_free import SCIPY_METHODS, fit_scipy, fit_spsa
from plateau_pl.train.loop import (
    OPTIMIZERS,
    PENNYLANE_OPTIMIZERS,
    EarlyStopping,
    NonFiniteLossError,
    TrainingHistory,
    fit,
    fit_pennylane,
    fit_target,
)

__all__ = [
    "OPTIMIZERS",
    "PENNYLANE_OPTIMIZERS",
    "SCIPY_METHODS",
    "EarlyStopping",
    "NonFiniteLossError",
    "TrainingHistory",
    "fit",
    "fit_pennylane",
    "fit_scipy",
    "fit_spsa",
    "fit_target",
]
