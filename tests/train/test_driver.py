"""The one training driver: steps used directly, early stops, target loss, streamed records."""

import numpy as np
import pytest
import torch

import plateau_pl as pp
from plateau_pl.errors import ConfigurationError, PlateauTypeError, ShapeError
from plateau_pl.hamiltonians import random_two_local
from plateau_pl.records import load_records
from plateau_pl.train import (
    Driver,
    EarlyStopping,
    JsonLinesLogger,
    NonFiniteLossError,
    PennyLaneStep,
    SPSAStep,
    Step,
    TorchStep,
    fit,
    fit_pennylane,
    fit_spsa,
)
from plateau_pl.train.ensemble import EnsembleStep, task_qnn, train_qnn_ensemble
from plateau_pl.train.tasks import StateTask

Z = np.diag([1.0, -1.0])


class Countdown(Step):
    """Loss ``x``, then ``x - 1``: a step whose update is visible."""

    def __init__(self, x=5.0):
        self.x = x
        self.updates = 0

    def evaluate(self):
        return self.x

    def update(self):
        self.x -= 1.0
        self.updates += 1


def _qbm(seed=1):
    layout = pp.WireLayout(1, 1)
    return pp.QBM(layout, random_two_local(layout, seed=seed))


def test_target_loss_stops_before_the_update():
    step = Countdown()
    hist = Driver(step, n_steps=10, target_loss=2.0).run()
    assert hist.losses == [5.0, 4.0, 3.0, 2.0] and hist.stopped_early
    assert step.x == 2.0 and step.updates == 3  # the stopping step is not applied


def test_a_stop_on_the_last_step_is_not_early():
    hist = Driver(Countdown(), n_steps=4, target_loss=2.0).run()
    assert len(hist.losses) == 4 and not hist.stopped_early
    hist = Driver(Countdown(), n_steps=3).run()
    assert hist.losses == [5.0, 4.0, 3.0] and not hist.stopped_early


def test_every_callback_is_called_and_any_stops():
    seen_a, seen_b = [], []
    callbacks = [
        lambda step, loss: seen_a.append(step) or step == 1,
        lambda step, loss: seen_b.append((step, loss)),
    ]
    hist = Driver(Countdown(), 10, callbacks=callbacks).run()
    assert seen_a == [0, 1] and seen_b == [(0, 5.0), (1, 4.0)] and hist.stopped_early


def test_early_stopping_on_a_flat_loss():
    class Flat(Step):
        def evaluate(self):
            return 1.0

    hist = Driver(Flat(), 50, callbacks=[EarlyStopping(patience=3)]).run()
    assert len(hist.losses) == 4 and hist.stopped_early


def test_non_finite_losses_name_the_step():
    class Blows(Countdown):
        def evaluate(self):
            return np.inf if self.updates == 2 else self.x

    with pytest.raises(NonFiniteLossError, match="the loss became inf at step 2"):
        Driver(Blows(), 5).run()

    class Ensemble(Step):
        def evaluate(self):
            return np.array([0.5, np.nan])

    with pytest.raises(NonFiniteLossError, match="the loss became nan at step 0"):
        Driver(Ensemble(), 5).run()


def test_an_ensemble_loss_stops_when_every_member_reaches_the_target():
    class Two(Step):
        def __init__(self):
            self.x = np.array([3.0, 5.0])

        def evaluate(self):
            return self.x.copy()

        def update(self):
            self.x -= 1.0

    hist = Driver(Two(), 10, target_loss=2.0).run()
    assert len(hist.losses) == 4 and np.array_equal(hist.losses[-1], [0.0, 2.0])


def test_streamed_records_equal_the_history_records(tmp_path):
    qbm = _qbm()
    path, out = tmp_path / "stream.jsonl", tmp_path / "at_end.jsonl"
    step = TorchStep(qbm, lambda m: m.expval_matrix(Z), lr=0.1)
    fields = {"run": "a", "n_hidden": 1}
    hist = Driver(step, 12, loggers=[JsonLinesLogger(path)], record_fields=fields, out=out).run()
    assert load_records(path) == hist.to_records(**fields) == load_records(out)
    assert len(load_records(path)) == 12 and load_records(path)[3]["run"] == "a"


def test_streamed_records_of_a_gradient_free_run_count_evaluations(tmp_path):
    path = tmp_path / "spsa.jsonl"
    step = SPSAStep(lambda x: float(np.sum(x**2)), np.ones(3), a=0.2, seed=1)
    hist = Driver(step, 6, loggers=[JsonLinesLogger(path)]).run()
    records = load_records(path)
    assert records == hist.to_records() and [r["evals"] for r in records] == [0, 2, 4, 6, 8, 10]


def test_an_interrupted_run_keeps_the_streamed_records(tmp_path):
    path = tmp_path / "cut.jsonl"

    def interrupt(step, loss):
        if step == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Driver(Countdown(), 10, loggers=[JsonLinesLogger(path)], callbacks=[interrupt]).run()
    assert [r["loss"] for r in load_records(path)] == [5.0, 4.0, 3.0]


def test_a_torch_step_used_directly_equals_fit():
    a, b = _qbm(), _qbm()
    step = TorchStep(a, lambda m: m.expval_matrix(Z), optimizer="sgd", lr=0.2)
    direct = [step() for _ in range(5)]
    hist = fit(b, lambda m: m.expval_matrix(Z), n_steps=5, optimizer="sgd", lr=0.2)
    assert direct == hist.losses and torch.equal(a.theta, b.theta)


def test_a_pennylane_step_used_directly_equals_fit_pennylane():
    def cost(w):
        return ((w - 1.0) ** 2).sum()

    step = PennyLaneStep(cost, np.zeros(2), "adam", lr=0.1)
    direct = [step() for _ in range(6)]
    hist, w = fit_pennylane(np.zeros(2), cost, n_steps=6, lr=0.1)
    assert direct == hist.losses and np.array_equal(step.params, w)


def test_an_spsa_step_used_directly_equals_fit_spsa():
    def cost(x):
        return float(np.sum((x - 0.5) ** 2))

    step = SPSAStep(cost, np.zeros(3), a=0.3, c=0.1, stability=2.0, seed=7)
    direct = [step() for _ in range(20)]
    hist, x = fit_spsa(cost, np.zeros(3), n_steps=20, a=0.3, c=0.1, stability=2.0, seed=7)
    assert direct == hist.losses and np.array_equal(step.x, x) and step.evals == 40


def test_spsa_stopping_at_the_target_keeps_the_iterate_that_reached_it():
    def cost(x):
        return float(np.sum(x**2))

    hist, x = fit_spsa(cost, np.ones(2), n_steps=500, a=0.3, seed=0, target_loss=0.01)
    assert hist.stopped_early and cost(x) == hist.losses[-1] <= 0.01


def test_the_ensemble_step_used_directly_equals_train_qnn_ensemble():
    task = StateTask(1, seed=0)
    qnn = task_qnn(task, pp.WireLayout(1, 1), seed=0)
    res = train_qnn_ensemble(qnn, task, n_seeds=3, n_steps=6, optimizer="sgd", lr=0.1, seed=2)
    w_seed = int(np.random.SeedSequence(2).spawn(3)[0].generate_state(1)[0])
    step = EnsembleStep(qnn, task, qnn.init_weights(seed=w_seed, batch=3), optimizer="sgd", lr=0.1)
    losses = np.stack([step() for _ in range(6)], axis=1)
    assert np.array_equal(losses, res.losses)
    assert np.array_equal(step.weights, res.final_weights.reshape(3, -1))


def test_driver_options_are_checked():
    with pytest.raises(ConfigurationError, match="no step to run"):
        Driver(None, 3).run()
    with pytest.raises(PlateauTypeError, match="step must be a Step"):
        Driver(object(), 3)
    with pytest.raises(PlateauTypeError, match="loggers must be callables"):
        Driver(Countdown(), 3, loggers=[3])
    with pytest.raises(PlateauTypeError, match="callbacks must be callables"):
        Driver(Countdown(), 3, callbacks=["x"])
    with pytest.raises(ValueError, match="n_steps must be an integer >= 1; got 0"):
        Driver(Countdown(), 0)
    with pytest.raises(PlateauTypeError, match="record_fields must be a dict"):
        Driver(Countdown(), 3, record_fields=[1])
    with pytest.raises(ShapeError, match="mask must have the weights' shape"):
        task = StateTask(1, seed=0)
        qnn = task_qnn(task, pp.WireLayout(1, 0), seed=0)
        EnsembleStep(qnn, task, qnn.init_weights(seed=0, batch=2), mask=np.ones((2, 1), bool))
