r"""Many seeds of one QNN trained at once on the batched statevector engine.

Trainability is a statistical statement: a plateau shows as a spread of final losses and
steps-to-threshold over random initialisations. :func:`train_qnn_ensemble` trains ``n_seeds``
independent copies of a QNN on a task *as one batch*: the weights are a ``(n_seeds, *shape)``
tensor, every step is one vectorised simulation (the differentiable engine
:func:`~plateau_pl.engines.select_engine` gives, all seeds × all data points) and one backward
pass of the summed losses.
Adam and SGD act coordinate-wise, so each seed's trajectory is exactly the one it would have
alone. That step is :class:`EnsembleStep`, run by the :class:`~plateau_pl.train.driver.Driver`.
The gradient-free baselines (COBYLA, Nelder–Mead, Powell, SPSA) run seed by seed on the same
simulator (:class:`~plateau_pl.train.gradient_free.SPSAStep` on the driver, or
:func:`~plateau_pl.train.gradient_free.fit_scipy`).

Remedies are options: ``init`` (``"small"``, ``"identity"`` with the ``identity_blocks``
ansatz), ``penalty`` (λ·S₂(ρ_v), the Rényi-2 entanglement penalty), ``pretrain_steps`` (the
first steps minimise the relative entropy ``S(σ‖ρ_v)`` to the task's target state, then the
task loss: the paper's generative pretraining), and the ansatz itself (``area_law``).
``n_trainable`` trains a fixed number of randomly chosen parameters and freezes the others at
their initial values — the control that separates the plateau from mere parameter count.

**Example**

>>> import plateau_pl as pp
>>> from plateau_pl.train.tasks import StateTask
>>> task = StateTask(n_visible=1, seed=0)
>>> qnn = task_qnn(task, pp.WireLayout(1, 1), "hardware_efficient", n_layers=2, seed=0)
>>> result = train_qnn_ensemble(qnn, task, n_seeds=3, n_steps=40, lr=0.1, seed=0)
>>> result.losses.shape, bool((result.losses[:, -1] < result.losses[:, 0]).all())
((3, 40), True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pennylane as qml
import torch

from plateau_pl._validation import (
    check_choice,
    check_float,
    check_instance,
    check_int,
    check_memory,
    check_seed,
    memory_limit,
)
from plateau_pl.circuits import WireLayout
from plateau_pl.engines import select_engine
from plateau_pl.errors import ConfigurationError, PlateauTypeError, ShapeError
from plateau_pl.models.qnn import QNN
from plateau_pl.quantum.measures import compute_renyi2_entropy
from plateau_pl.quantum.relative_entropy import trace_sigma_log_rho
from plateau_pl.stats import mean_stderr
from plateau_pl.train.driver import Driver, Step, check_number
from plateau_pl.train.gradient_free import SCIPY_METHODS, SPSAStep, fit_scipy

__all__ = [
    "ENSEMBLE_OPTIMIZERS",
    "EnsembleResult",
    "EnsembleStep",
    "task_qnn",
    "train_qnn_ensemble",
]

_GRADIENT = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD}
ENSEMBLE_OPTIMIZERS = (*_GRADIENT, "spsa", *(m.lower() for m in SCIPY_METHODS))
"""Optimisers of :func:`train_qnn_ensemble` (gradient-based first, then gradient-free)."""
_REGULARISE = 1e-3  # ρ_v ← (1−δ)ρ_v + δ I/D_v in the pretraining loss: finite for pure ρ_v


_TASK_ATTRIBUTES = ("n_visible", "threshold", "observable", "embedding", "data", "loss")


def _check_task(task):
    """A task of :mod:`plateau_pl.train.tasks` (or an object with the same attributes)."""
    missing = [a for a in _TASK_ATTRIBUTES if not hasattr(task, a)]
    if missing:
        raise PlateauTypeError(
            "task must be a training task (StateTask, ClassificationTask, or an object with "
            f"{', '.join(_TASK_ATTRIBUTES)}); got {type(task).__name__} "
            f"(missing {', '.join(missing)})"
        )
    return task


def task_qnn(task, layout, ansatz="random_two_local", n_layers=None, seed=0, **options) -> QNN:
    """The QNN of ``task`` on ``layout``: the task's observable and embedding, ``default.qubit``."""
    _check_task(task)
    check_instance(layout, "layout", WireLayout, "a WireLayout")
    if layout.n_visible != task.n_visible:
        raise ConfigurationError(
            f"layout.n_visible must equal the task's n_visible ({task.n_visible}); "
            f"got {layout.n_visible}"
        )
    return QNN(
        layout,
        ansatz,
        n_layers=n_layers,
        observable=task.observable(layout),
        embedding=task.embedding,
        device="default.qubit",
        seed=seed,
        **options,
    )


@dataclass(frozen=True)
class EnsembleResult:
    """Losses of ``n_seeds`` training runs."""

    losses: np.ndarray
    """``(n_seeds, n_steps)``: the task loss before each step (gradient-based), or the best
    loss after each cost evaluation (gradient-free)."""
    threshold: float
    """The task's threshold."""
    optimizer: str
    n_trained: int
    """Parameters trained per seed (all, or ``n_trainable``)."""
    final_weights: np.ndarray
    """``(n_seeds, *weight_shape)``."""
    engine: dict = field(default_factory=dict)
    """The record fields of the engine that ran the ensemble (``engine``, ``engine_device``)."""

    @property
    def n_steps(self) -> int:
        return self.losses.shape[1]

    @property
    def steps_to_threshold(self) -> np.ndarray:
        """First step with loss ``<= threshold`` per seed; ``n_steps`` where never (censored)."""
        hit = self.losses <= self.threshold
        return np.where(hit.any(axis=1), hit.argmax(axis=1), self.n_steps)

    @property
    def success(self) -> np.ndarray:
        """Whether each seed reached the threshold."""
        return (self.losses <= self.threshold).any(axis=1)

    @property
    def final_loss(self) -> np.ndarray:
        """The best loss reached by each seed."""
        return self.losses.min(axis=1)

    def summary(self) -> dict:
        """Means ± standard errors over seeds (the standard error is NaN for one seed)."""

        def mean_se(x):
            x = np.asarray(x, dtype=np.float64)
            return mean_stderr(x) if len(x) > 1 else (float(x.mean()), float("nan"))

        final, final_se = mean_se(self.final_loss)
        steps, steps_se = mean_se(self.steps_to_threshold)
        initial, initial_se = mean_se(self.losses[:, 0])
        return {
            "initial_loss": initial,
            "initial_loss_stderr": initial_se,
            "final_loss": final,
            "final_loss_stderr": final_se,
            "steps_to_threshold": steps,
            "steps_to_threshold_stderr": steps_se,
            "success_fraction": float(self.success.mean()),
            "n_trained": self.n_trained,
            "loss_curve": [float(v) for v in self.losses.mean(axis=0)],
        }


class _Objective:
    """Task loss, penalty and pretraining loss of a batch of weight sets, on the engine."""

    def __init__(self, qnn: QNN, task):
        self.qnn, self.task = qnn, task
        self.engine = select_engine(qnn, inputs=qnn.embedding is not None, differentiable=True)
        data = task.data()
        self.x = None if data is None else torch.as_tensor(data[0], dtype=torch.float64)
        layout = qnn.layout
        obs = qml.matrix(qnn.observable, wire_order=list(layout.visible))
        self.obs = torch.as_tensor(np.asarray(obs, dtype=np.complex128))
        self.d_v = layout.dim_visible
        vals, vecs = np.linalg.eigh(obs)
        self.eigvals, self.eigvecs = vals.real, torch.as_tensor(vecs.astype(np.complex128))

    def sample(self, rho: torch.Tensor, shots: int, rng: np.random.Generator) -> torch.Tensor:
        """Shot estimates of ``⟨O⟩`` ``(B, N)``: exact multinomial draws of the measurement of
        ``O`` in its eigenbasis (``shots`` outcomes per value)."""
        v = self.eigvecs
        p = torch.einsum("ki,bnkl,li->bni", v.conj(), rho, v).real.clamp_min(0).numpy()
        p = p / p.sum(axis=-1, keepdims=True)
        counts = rng.multinomial(shots, p)
        return torch.as_tensor(counts @ self.eigvals / shots)

    def visible_states(self, w: torch.Tensor) -> torch.Tensor:
        """``(B, N, D_v, D_v)`` (``N = 1`` without data)."""
        b = w.shape[0]
        if self.x is None:
            return self.engine.torch_visible_states(w)[:, None]
        n = len(self.x)
        rho = self.engine.torch_visible_states(w.repeat_interleave(n, 0), self.x.repeat(b, 1))
        return rho.reshape(b, n, self.d_v, self.d_v)

    def losses(self, rho: torch.Tensor) -> torch.Tensor:
        values = torch.einsum("ij,bnji->bn", self.obs, rho).real
        return self.task.loss(values)

    def penalty(self, rho: torch.Tensor) -> torch.Tensor:
        return compute_renyi2_entropy(rho).mean(dim=1)

    def generative(self, rho: torch.Tensor) -> torch.Tensor:
        """``S(σ‖ρ_v)`` to the task's target (pure σ: ``−Tr σ ln ρ_v``), mean over data."""
        if not hasattr(self.task, "target_density"):
            raise ConfigurationError(
                f"pretraining needs a task with a target state; {self.task.name!r} has none"
            )
        sigma = torch.as_tensor(self.task.target_density())
        eye = torch.eye(self.d_v, dtype=rho.dtype) / self.d_v
        reg = (1 - _REGULARISE) * rho + _REGULARISE * eye
        return -trace_sigma_log_rho(sigma.expand_as(reg), reg).mean(dim=1)


def _check_options(optimizer, lr, penalty, pretrain_steps, n_steps):
    name = optimizer.lower() if isinstance(optimizer, str) else optimizer
    optimizer = check_choice(name, "optimizer", ENSEMBLE_OPTIMIZERS)
    check_number(lr, "lr", "a finite number > 0", positive=True)
    check_number(penalty, "penalty", "a finite number >= 0", minimum=0)
    pretrain_steps = check_int(pretrain_steps, "pretrain_steps", minimum=0)
    if pretrain_steps >= n_steps:
        raise ConfigurationError(
            f"pretrain_steps must be < n_steps ({n_steps}); got {pretrain_steps}"
        )
    if optimizer not in _GRADIENT and (penalty or pretrain_steps):
        raise ConfigurationError(
            f"penalty and pretrain_steps need a gradient optimizer (adam, sgd); got {optimizer!r}"
        )
    return optimizer, pretrain_steps


def _check_ensemble(qnn: QNN, task, n_seeds: int, n_steps: int) -> None:
    """The QNN fits the task, and ``n_seeds`` copies of its weights and states, and the losses
    of ``n_steps`` steps, fit in memory."""
    check_instance(qnn, "qnn", QNN, "a plateau_pl QNN (see task_qnn)")
    _check_task(task)
    if qnn.layout.n_visible != task.n_visible:
        raise ConfigurationError(
            f"qnn.layout.n_visible must equal the task's n_visible ({task.n_visible}); "
            f"got {qnn.layout.n_visible} (build the QNN with task_qnn)"
        )
    data = task.data()
    n_points = 1 if data is None else len(data[0])
    # a lower bound: weights and Adam's three buffers, one state per seed and data point, and
    # the losses of every step
    per_seed = (
        8.0 * 4 * qnn.n_params
        + 16.0 * n_points * 2**qnn.layout.n_wires
        + 8.0 * min(n_steps, 10**300)
    )
    what = (
        f"{n_seeds} seeds of {qnn.n_params} parameters on {qnn.layout.n_wires} qubits "
        f"over {n_steps} steps"
    )
    fit = int(memory_limit() // per_seed)
    check_memory(
        float(min(n_seeds, 10**300)) * per_seed,
        what,
        f"use fewer seeds (at most n_seeds={fit:,} fit) or fewer n_steps",
    )


def _trainable_mask(n_seeds, n_params, n_trainable, rng) -> np.ndarray:
    if n_trainable is None:
        return np.ones((n_seeds, n_params), dtype=bool)
    n_trainable = check_int(n_trainable, "n_trainable", minimum=1)
    if n_trainable > n_params:
        raise ConfigurationError(
            f"n_trainable must be <= the QNN's n_params ({n_params}); got {n_trainable}"
        )
    mask = np.zeros((n_seeds, n_params), dtype=bool)
    for s in range(n_seeds):
        mask[s, rng.choice(n_params, size=n_trainable, replace=False)] = True
    return mask


def train_qnn_ensemble(
    qnn: QNN,
    task,
    n_seeds: int = 8,
    n_steps: int = 100,
    optimizer: str = "adam",
    lr: float = 0.05,
    init: str = "uniform",
    init_scale: float | None = None,
    penalty: float = 0.0,
    pretrain_steps: int = 0,
    n_trainable: int | None = None,
    shots: int | None = None,
    seed: int = 0,
) -> EnsembleResult:
    """Train ``n_seeds`` random initialisations of ``qnn`` on ``task``.

    Args:
        qnn: a QNN built for the task (:func:`task_qnn`), analytic.
        task: a :mod:`~plateau_pl.train.tasks` task.
        n_seeds: independent runs (initialisations).
        n_steps: optimiser steps (gradient-based) or cost evaluations (gradient-free; SPSA
            spends two per step, so it gets ``n_steps // 2`` steps).
        optimizer: one of :data:`ENSEMBLE_OPTIMIZERS`.
        lr: learning rate (Adam, SGD); SPSA's ``a`` and COBYLA's initial radius.
        init: the weight distribution (``QNN.init_weights``'s ``dist``).
        init_scale: its scale.
        penalty: λ of the Rényi-2 entanglement penalty (gradient optimisers).
        pretrain_steps: steps of relative-entropy pretraining before the task loss.
        n_trainable: train only this many randomly chosen parameters per seed (control).
        shots: ``None`` for exact losses and gradients; else the optimiser sees estimates from
            this many shots per circuit (parameter shift for gradients; exact multinomial
            sampling of the observable), as on hardware. The recorded losses stay exact.
        seed: seed of the initial weights, the trainable subsets and SPSA's directions.

    Returns:
        EnsembleResult: the task loss of every seed along training.
    """
    n_seeds = check_int(n_seeds, "n_seeds", minimum=1)
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    _check_ensemble(qnn, task, n_seeds, n_steps)
    optimizer, pretrain_steps = _check_options(optimizer, lr, penalty, pretrain_steps, n_steps)
    if init_scale is not None:
        init_scale = check_float(init_scale, "init_scale", positive=True)
    if shots is not None:
        shots = check_int(shots, "shots", minimum=1)
        if penalty or pretrain_steps:
            raise ConfigurationError("penalty and pretrain_steps need exact losses (shots=None)")
        if qnn.ansatz.generator_scale is None:
            raise ConfigurationError(
                "shots need the parameter-shift rule: every gate exp(-i g θ P) with a known "
                f"generator_scale; {qnn.ansatz.name!r} has none"
            )
    seq = np.random.SeedSequence(check_seed(seed))
    w_seed, mask_seed, opt_seed = (int(s.generate_state(1)[0]) for s in seq.spawn(3))
    w0 = np.asarray(qnn.init_weights(seed=w_seed, dist=init, scale=init_scale, batch=n_seeds))
    w0 = w0.reshape(n_seeds, -1)
    mask = _trainable_mask(n_seeds, w0.shape[1], n_trainable, np.random.default_rng(mask_seed))
    objective = _Objective(qnn, task)
    if optimizer in _GRADIENT:
        step = EnsembleStep(
            qnn,
            task,
            w0,
            optimizer=optimizer,
            lr=lr,
            mask=mask,
            penalty=penalty,
            pretrain_steps=pretrain_steps,
            shots=shots,
            seed=opt_seed,
            objective=objective,
        )
        history = Driver(step, n_steps, progress=False).run()
        losses, final = np.stack(history.losses, axis=1), step.weights
    else:
        losses, final = _train_gradient_free(
            objective,
            w0,
            mask,
            optimizer=optimizer,
            lr=lr,
            n_steps=n_steps,
            seed=opt_seed,
            shots=shots,
        )
    return EnsembleResult(
        losses=losses,
        threshold=task.threshold,
        optimizer=optimizer,
        n_trained=int(mask[0].sum()),
        final_weights=final.reshape(n_seeds, *qnn.weight_shape),
        engine=objective.engine.describe(),
    )


def _shot_gradient(objective, w, mask, shots, rng) -> torch.Tensor:
    """Parameter-shift gradient of the task loss from shot-sampled values ``(B, P)``.

    Every gate is ``exp(-i g θ P)`` with one parameter, so ``∂f/∂θ = g [f(θ + s) − f(θ − s)]``
    with ``s = π/(4g)``; each shifted circuit and the loss's own ``f`` are sampled independently
    (unbiased for the losses here, which are at most quadratic in ``f``).
    """
    g = objective.qnn.ansatz.generator_scale
    shape = objective.qnn.weight_shape
    b, _ = w.shape
    idx = [np.flatnonzero(m) for m in mask]
    k = len(idx[0])
    shifted = np.repeat(w[:, None, None, :], 2, axis=2).repeat(k, axis=1)  # (B, k, 2, P)
    for s in range(b):
        shifted[s, np.arange(k), 0, idx[s]] += np.pi / (4 * g)
        shifted[s, np.arange(k), 1, idx[s]] -= np.pi / (4 * g)
    with torch.no_grad():
        rho = objective.visible_states(torch.as_tensor(shifted.reshape(-1, *shape)))
        f_shift = objective.sample(rho, shots, rng).reshape(b, k, 2, -1)
        rho_now = objective.visible_states(torch.as_tensor(w.reshape(-1, *shape)))
        f_now = objective.sample(rho_now, shots, rng)
    dfdw = g * (f_shift[:, :, 0] - f_shift[:, :, 1])  # (B, k, N)
    f_now.requires_grad_(True)
    (dl_df,) = torch.autograd.grad(objective.task.loss(f_now).sum(), f_now)  # (B, N)
    grad = torch.zeros(w.shape, dtype=torch.float64)
    per = torch.einsum("bkn,bn->bk", dfdw, dl_df)
    for s in range(b):
        grad[s, idx[s]] = per[s]
    return grad


class EnsembleStep(Step):
    """One gradient step of many seeds of a QNN at once: batched losses, one backward pass.

    The weights are ``base + mask · delta`` with ``delta`` (zeros at first) the one tensor a
    torch optimiser (``adam`` or ``sgd``) trains: frozen entries (``mask`` False) never move.
    :meth:`evaluate` simulates every seed (and data point) in one batch on the differentiable
    engine and returns the task loss of each seed, ``(n_seeds,)``, before the step; the
    gradient is of the summed objective (task loss, or the relative entropy to the task's
    target for the first ``pretrain_steps`` steps, plus ``penalty`` times the visible Rényi-2
    entropy), or with ``shots`` a parameter-shift estimate from shot-sampled values.
    :meth:`update` is the optimiser's step (a fresh optimiser when pretraining ends).

    Args:
        qnn: a QNN built for the task (:func:`task_qnn`).
        task: a :mod:`~plateau_pl.train.tasks` task.
        weights: the initial weights, ``(n_seeds, *qnn.weight_shape)`` or ``(n_seeds, P)``.
        optimizer: ``"adam"`` or ``"sgd"``.
        lr: the learning rate.
        mask: ``(n_seeds, P)`` booleans, the trainable entries (default: all).
        penalty: λ of the Rényi-2 entanglement penalty.
        pretrain_steps: steps of relative-entropy pretraining before the task loss.
        shots: ``None`` for exact gradients; else shots per circuit.
        seed: seed of the shot sampling.
        objective: the batched objective, when the caller has already built it.

    ``step.weights`` is the current ``(n_seeds, P)`` array.

    >>> import plateau_pl as pp
    >>> from plateau_pl.train.tasks import StateTask
    >>> task = StateTask(n_visible=1, seed=0)
    >>> qnn = task_qnn(task, pp.WireLayout(1, 1), "hardware_efficient", n_layers=1, seed=0)
    >>> step = EnsembleStep(qnn, task, qnn.init_weights(seed=0, batch=3), lr=0.1)
    >>> first = step(); second = step()
    >>> first.shape, bool((second < first).all())
    ((3,), True)
    """

    def __init__(
        self,
        qnn: QNN,
        task,
        weights,
        *,
        optimizer: str = "adam",
        lr: float = 0.05,
        mask=None,
        penalty: float = 0.0,
        pretrain_steps: int = 0,
        shots: int | None = None,
        seed: int = 0,
        objective: _Objective | None = None,
    ):
        self.objective = _Objective(qnn, task) if objective is None else objective
        self.optimizer = check_choice(optimizer, "optimizer", tuple(_GRADIENT))
        self.lr = check_number(lr, "lr", "a finite number > 0", positive=True)
        self.penalty = check_number(penalty, "penalty", "a finite number >= 0", minimum=0)
        self.pretrain_steps = check_int(pretrain_steps, "pretrain_steps", minimum=0)
        self.shots = None if shots is None else check_int(shots, "shots", minimum=1)
        w0 = np.asarray(weights, dtype=np.float64).reshape(len(weights), -1)
        self.mask = np.ones(w0.shape, dtype=bool) if mask is None else np.asarray(mask, bool)
        if self.mask.shape != w0.shape:
            raise ShapeError(f"mask must have the weights' shape {w0.shape}; got {self.mask.shape}")
        self.base = torch.as_tensor(w0)
        self.keep = torch.as_tensor(self.mask, dtype=torch.float64)
        self.delta = torch.zeros_like(self.base, requires_grad=True)
        self.opt = _GRADIENT[self.optimizer]([self.delta], lr=self.lr)
        self.rng = np.random.default_rng(check_seed(seed))
        self.k = 0

    @property
    def weights(self) -> np.ndarray:
        return (self.base + self.keep * self.delta).detach().numpy()

    def evaluate(self) -> np.ndarray:
        obj, shape = self.objective, self.objective.qnn.weight_shape
        if self.k == self.pretrain_steps and self.pretrain_steps:
            # a fresh optimiser for the new objective
            self.opt = _GRADIENT[self.optimizer]([self.delta], lr=self.lr)
        self.opt.zero_grad()
        w = self.base + self.keep * self.delta
        if self.shots is not None:
            with torch.no_grad():
                losses = obj.losses(obj.visible_states(w.reshape(-1, *shape))).numpy()
            w_now = w.detach().numpy()
            self.delta.grad = _shot_gradient(obj, w_now, self.mask, self.shots, self.rng)
            return losses
        rho = obj.visible_states(w.reshape(-1, *shape))
        task_loss = obj.losses(rho)
        total = obj.generative(rho) if self.k < self.pretrain_steps else task_loss
        if self.penalty:
            total = total + self.penalty * obj.penalty(rho)
        total.sum().backward()
        return task_loss.detach().numpy().copy()

    def update(self) -> None:
        self.opt.step()
        self.k += 1


class _SeedCost:
    """The cost of one seed's trainable entries for a gradient-free optimiser.

    Returns the value the optimiser sees (the exact task loss, or with ``shots`` an estimate
    from shot-sampled values) and keeps the exact loss of every evaluation in ``exact``.
    """

    def __init__(self, objective, start, keep, shots, rng):
        self.objective, self.start, self.keep = objective, start, keep
        self.shots, self.rng = shots, rng
        self.exact: list[float] = []

    def __call__(self, x) -> float:
        obj = self.objective
        w = self.start.copy()
        w[self.keep] = x
        with torch.no_grad():
            rho = obj.visible_states(torch.as_tensor(w).reshape(1, *obj.qnn.weight_shape))
            loss = float(obj.losses(rho)[0])
            self.exact.append(loss)
            if self.shots is None:
                return loss
            return float(obj.task.loss(obj.sample(rho, self.shots, self.rng))[0])


def _train_gradient_free(objective, w0, mask, *, optimizer, lr, n_steps, seed, shots=None):
    """Each seed alone: SPSA on the driver, or a scipy method; ``(losses, final weights)``.

    The curves hold the exact task loss: SPSA's at each iterate (read from the cost after
    :meth:`SPSAStep.evaluate`, one evaluation at the iterate; each step spends two evaluations,
    so each value fills two), a scipy method's best over the evaluations so far.
    """
    losses = np.empty((len(w0), n_steps))
    final = w0.copy()
    seeds = np.random.SeedSequence(seed).generate_state(2 * len(w0))
    for s, (start, keep) in enumerate(zip(w0, mask, strict=True)):
        cost = _SeedCost(
            objective, start, keep, shots, np.random.default_rng(int(seeds[2 * s + 1]))
        )
        if optimizer == "spsa":
            n_spsa = max(1, n_steps // 2)
            step = SPSAStep(
                cost, start[keep], a=lr, c=0.1, stability=n_spsa / 10, seed=int(seeds[2 * s])
            )
            at_iterates = []  # the exact loss of the evaluation at each iterate

            def log_exact(record, cost=cost, at_iterates=at_iterates):
                at_iterates.append(cost.exact[-1])

            Driver(step, n_spsa, loggers=[log_exact], progress=False).run()
            curve, x = np.repeat(at_iterates, 2), step.x
        else:
            method = next(m for m in SCIPY_METHODS if m.lower() == optimizer)
            _, x = fit_scipy(cost, start[keep], method=method, max_evals=n_steps, rhobeg=lr)
            curve = np.minimum.accumulate(cost.exact)  # the best point visited so far
        curve = np.concatenate([curve, np.full(max(0, n_steps - len(curve)), curve[-1])])
        losses[s] = curve[:n_steps]
        final[s, keep] = x
    return losses, final
