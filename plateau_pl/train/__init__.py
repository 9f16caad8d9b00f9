"""Training through and around plateaus.

* :mod:`~plateau_pl.train.driver`: the one training loop. :class:`Driver` owns it (steps,
  target loss, callbacks such as :class:`EarlyStopping`, progress bar, :class:`TrainingHistory`;
  a NaN or infinite loss stops it with :class:`NonFiniteLossError`, a ``PlateauError`` naming
  the step), a :class:`Step` does one step, loggers such as :class:`JsonLinesLogger` stream
  each step's record.
* :mod:`~plateau_pl.train.loop`: :class:`TorchStep` and :func:`fit` (torch optimisers: QBMs,
  ``QNN.torch_layer()``, hybrid models), :class:`PennyLaneStep` and :func:`fit_pennylane`
  (PennyLane optimisers), :func:`fit_target` (QBM generative training).
* :mod:`~plateau_pl.train.gradient_free`: :func:`fit_scipy` (COBYLA, Nelder–Mead, Powell) and
  :class:`SPSAStep` / :func:`fit_spsa`, the gradient-free baselines.
* :mod:`~plateau_pl.train.tasks`: small honest tasks — :class:`StateTask` (learn a pure visible
  state) and :class:`ClassificationTask` (binary labels from data encoded on the visible wires).
* :mod:`~plateau_pl.train.ensemble`: :func:`train_qnn_ensemble`, many seeds of one QNN trained
  at once on the batched statevector engine (:class:`~plateau_pl.train.ensemble.EnsembleStep`),
  with the remedies as options.
"""

from plateau_pl.train.driver import (
    Driver,
    EarlyStopping,
    JsonLinesLogger,
    NonFiniteLossError,
    Step,
    TrainingHistory,
)
from plateau_pl.train.gradient_free import SCIPY_METHODS, SPSAStep, fit_scipy, fit_spsa
from plateau_pl.train.loop import (
    OPTIMIZERS,
    PENNYLANE_OPTIMIZERS,
    PennyLaneStep,
    TorchStep,
    fit,
    fit_pennylane,
    fit_target,
)

__all__ = [
    "OPTIMIZERS",
    "PENNYLANE_OPTIMIZERS",
    "SCIPY_METHODS",
    "Driver",
    "EarlyStopping",
    "JsonLinesLogger",
    "NonFiniteLossError",
    "PennyLaneStep",
    "SPSAStep",
    "Step",
    "TorchStep",
    "TrainingHistory",
    "fit",
    "fit_pennylane",
    "fit_scipy",
    "fit_spsa",
    "fit_target",
]
