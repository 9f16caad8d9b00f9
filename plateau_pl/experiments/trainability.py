"""Trainability against the number of hidden qubits, with remedies and baselines, as records.

:func:`trainability` is a sweep experiment (``plateau-pl sweep trainability ...``): one grid
point trains ``n_seeds`` initialisations of a QNN on a task (:mod:`plateau_pl.train.tasks`) with
:func:`~plateau_pl.train.ensemble.train_qnn_ensemble` and records the final loss and the steps
to the task's threshold, mean ± standard error over seeds, plus the mean loss curve.

``remedy`` names a preset of :data:`REMEDIES` (each one option of the trainer, so a user can also
set the options directly): ``none``; ``small_init`` (angles U(−0.1, 0.1)); ``identity_blocks``
(Grant et al.: one block, a ``random_two_local`` pass followed by the adjoint of another,
initialised to exactly the identity); ``area_law`` (the area-law ansatz, bounded visible–hidden
entanglement); ``penalty`` (λ = 0.1 times the visible Rényi-2 entropy added to the loss);
``pretraining`` (the first 20 % of the steps minimise the relative entropy to the target, then
the task loss).

**Example**

>>> rec = trainability(n_hidden=1, n_steps=20, n_seeds=2, seed=0)
>>> rec["n_params"], rec["n_seeds"], len(rec["loss_curve"])
(15, 2, 20)
"""

from __future__ import annotations

from plateau_pl._validation import check_choice, check_int
from plateau_pl.circuits import WireLayout
from plateau_pl.experiments.point import split_seed
from plateau_pl.train.ensemble import task_qnn, train_qnn_ensemble
from plateau_pl.train.tasks import make_task

__all__ = ["REMEDIES", "remedy_options", "trainability"]

REMEDIES = {
    "none": {},
    "small_init": {"init": "small"},
    "identity_blocks": {
        "ansatz": "identity_blocks",
        "n_layers": 1,
        "init": "identity",
        "ansatz_options": {"base": "random_two_local"},
    },
    "area_law": {"ansatz": "area_law"},
    "penalty": {"penalty": 0.1},
    "pretraining": {"pretrain_fraction": 0.2},
}
"""Remedy presets: the trainer options each one sets."""


def remedy_options(remedy: str) -> dict:
    """The options of a remedy preset (a copy)."""
    check_choice(remedy, "remedy", tuple(REMEDIES))
    return dict(REMEDIES[remedy])


def trainability(
    n_hidden: int,
    seed: int,
    task: str = "state",
    n_visible: int = 1,
    ansatz: str = "random_two_local",
    n_layers: int | None = None,
    remedy: str = "none",
    optimizer: str = "adam",
    lr: float = 0.05,
    n_steps: int = 100,
    n_seeds: int = 6,
    shots: int | None = None,
    n_trainable: int | None = None,
    task_seed: int = 0,
) -> dict:
    """Train ``n_seeds`` initialisations on ``task`` at one size; one record.

    Args:
        n_hidden: hidden qubits.
        seed: the point's seed (structure and training seeds derive from it).
        task: ``"state"`` or ``"classification"``.
        n_visible: visible qubits.
        ansatz, n_layers: the QNN's circuit (a remedy may replace the ansatz).
        remedy: a name in :data:`REMEDIES`.
        optimizer, lr, n_steps, n_seeds, shots, n_trainable: as in
            :func:`~plateau_pl.train.ensemble.train_qnn_ensemble`.
        task_seed: the task's seed (target state or data), the same at every size.
    """
    n_hidden = check_int(n_hidden, "n_hidden", minimum=0)
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    options = remedy_options(remedy)
    ansatz = options.pop("ansatz", ansatz)
    n_layers = options.pop("n_layers", n_layers)
    ansatz_options = options.pop("ansatz_options", None)
    pretrain_fraction = options.pop("pretrain_fraction", 0.0)
    the_task = make_task(task, n_visible, seed=task_seed)
    layout = WireLayout(n_visible, n_hidden)
    structure_seed, train_seed = split_seed(seed)
    qnn = task_qnn(
        the_task, layout, ansatz, n_layers, seed=structure_seed, ansatz_options=ansatz_options
    )
    result = train_qnn_ensemble(
        qnn,
        the_task,
        n_seeds=n_seeds,
        n_steps=n_steps,
        optimizer=optimizer,
        lr=lr,
        pretrain_steps=int(pretrain_fraction * n_steps),
        n_trainable=n_trainable,
        shots=shots,
        seed=train_seed,
        **options,
    )
    return {
        "experiment": "trainability",
        "model": "qnn",
        **the_task.to_dict(),
        "threshold": the_task.threshold,
        "n_visible": n_visible,
        "n_hidden": n_hidden,
        "ansatz": qnn.ansatz.name,
        "n_layers": qnn.ansatz.n_layers,
        "n_params": qnn.n_params,
        "remedy": remedy,
        "optimizer": result.optimizer,
        "lr": lr,
        "n_steps": n_steps,
        "n_seeds": n_seeds,
        "shots": shots,
        "structure_seed": structure_seed,
        "seed": train_seed,
        **result.engine,
        **result.summary(),
    }
