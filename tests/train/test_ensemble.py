"""Ensemble training on the engine, checked against PennyLane QNodes and torch optimisers."""

import numpy as np
import pytest
import torch

import plateau_pl as pp
from plateau_pl.errors import ConfigurationError
from plateau_pl.train.ensemble import _Objective, _shot_gradient, task_qnn, train_qnn_ensemble
from plateau_pl.train.tasks import ClassificationTask, StateTask


def _reference_adam_losses(task, layout, w0, n_steps, lr, x=None, y=None):
    """Each seed alone: a torch-interface QNode on default.qubit and torch.optim.Adam."""
    qnn = pp.QNN(
        layout,
        "random_two_local",
        observable=task.observable(layout),
        embedding=task.embedding,
        device="default.qubit",
        interface="torch",
        seed=0,
    )
    out = []
    for start in w0:
        w = torch.tensor(start, requires_grad=True)
        opt = torch.optim.Adam([w], lr=lr)
        losses = []
        for _ in range(n_steps):
            opt.zero_grad()
            if x is None:
                loss = 1 - qnn(w)
            else:
                loss = ((qnn(w, torch.as_tensor(x)) - torch.as_tensor(y)) ** 2).mean()
            losses.append(float(loss.detach()))
            loss.backward()
            opt.step()
        out.append(losses)
    return np.array(out)


@pytest.mark.parametrize("kind", ["state", "classification"])
def test_batched_adam_equals_independent_runs_on_pennylane(kind):
    task = StateTask(1, seed=0) if kind == "state" else ClassificationTask(2, n_points=4, seed=0)
    layout = pp.WireLayout(task.n_visible, 1)
    qnn = task_qnn(task, layout, seed=0)
    result = train_qnn_ensemble(qnn, task, n_seeds=2, n_steps=4, lr=0.1, seed=5)
    w0 = np.asarray(qnn.init_weights(seed=_first_seed(5), batch=2))
    data = task.data() or (None, None)
    ref = _reference_adam_losses(task, layout, w0, 4, 0.1, *data)
    assert np.allclose(result.losses, ref, atol=1e-10)


def _first_seed(seed):
    return int(np.random.SeedSequence(seed).spawn(3)[0].generate_state(1)[0])


def test_summary_statistics_and_threshold_steps():
    task = StateTask(1, seed=0)
    qnn = task_qnn(task, pp.WireLayout(1, 0), seed=0)
    res = train_qnn_ensemble(qnn, task, n_seeds=4, n_steps=60, lr=0.1, seed=0)
    s = res.summary()
    assert s["final_loss"] == pytest.approx(res.losses.min(axis=1).mean())
    steps = res.steps_to_threshold
    for row, k in zip(res.losses, steps, strict=True):
        assert k == res.n_steps or (row[k] <= 0.1 and np.all(row[:k] > 0.1))
    assert s["success_fraction"] == res.success.mean() == 1.0  # one qubit: always trainable
    assert len(s["loss_curve"]) == 60


def test_fixed_trainable_count_freezes_the_rest():
    task = StateTask(1, seed=0)
    qnn = task_qnn(task, pp.WireLayout(1, 2), seed=0)
    res = train_qnn_ensemble(qnn, task, n_seeds=3, n_steps=5, n_trainable=7, seed=2)
    w0 = np.asarray(qnn.init_weights(seed=_first_seed(2), batch=3)).reshape(3, -1)
    changed = ~np.isclose(res.final_weights.reshape(3, -1), w0, rtol=0, atol=0)
    assert res.n_trained == 7 and np.all(changed.sum(axis=1) == 7)


def test_identity_blocks_start_at_the_identity():
    task = StateTask(1, seed=3)
    qnn = task_qnn(
        task,
        pp.WireLayout(1, 2),
        "identity_blocks",
        seed=0,
        ansatz_options={"base": "random_two_local"},
    )
    res = train_qnn_ensemble(qnn, task, n_seeds=3, n_steps=1, init="identity", seed=0)
    infidelity_of_zero = 1 - abs(task.target_state()[0]) ** 2  # the circuit maps |0> to |0>
    assert np.allclose(res.losses[:, 0], infidelity_of_zero, atol=1e-12)


def test_penalty_and_pretraining_losses_equal_the_quantum_functions():
    task = StateTask(1, seed=1)
    qnn = task_qnn(task, pp.WireLayout(1, 2), seed=0)
    obj = _Objective(qnn, task)
    w = np.asarray(qnn.init_weights(seed=0, batch=2))
    rho = obj.visible_states(torch.as_tensor(w))
    ref_rho = np.asarray(qnn.visible_state(w))
    assert np.allclose(rho[:, 0].numpy(), ref_rho, atol=1e-12)
    assert np.allclose(obj.penalty(rho).numpy(), pp.renyi2_entropy(ref_rho), atol=1e-12)
    reg = 0.999 * ref_rho + 0.001 * np.eye(2) / 2
    expected = [pp.relative_entropy(task.target_density(), r) for r in reg]
    assert np.allclose(obj.generative(rho).numpy(), expected, atol=1e-10)


@pytest.mark.parametrize("remedy", [{"penalty": 0.5}, {"pretrain_steps": 10}])
def test_penalty_and_pretraining_lower_their_objectives(remedy):
    task = StateTask(1, seed=1)
    qnn = task_qnn(task, pp.WireLayout(1, 1), seed=0)
    obj = _Objective(qnn, task)
    res = train_qnn_ensemble(qnn, task, n_seeds=3, n_steps=20, lr=0.05, seed=0, **remedy)
    w0 = np.asarray(qnn.init_weights(seed=_first_seed(0), batch=3))
    before = obj.visible_states(torch.as_tensor(w0))
    after = obj.visible_states(torch.as_tensor(res.final_weights))
    if "penalty" in remedy:
        total = [obj.losses(r) + 0.5 * obj.penalty(r) for r in (before, after)]
    else:
        total = [obj.losses(r) for r in (before, after)]  # pretraining, then the task loss
    assert torch.all(total[1] < total[0])


@pytest.mark.slow
def test_shot_gradients_are_unbiased():
    task = StateTask(1, seed=0)
    qnn = task_qnn(task, pp.WireLayout(1, 1), seed=0)
    obj = _Objective(qnn, task)
    w = np.asarray(qnn.init_weights(seed=3, batch=1)).reshape(1, -1)
    wt = torch.tensor(w, requires_grad=True)
    obj.losses(obj.visible_states(wt.reshape(1, *qnn.weight_shape))).sum().backward()
    rng = np.random.default_rng(0)
    mask = np.ones_like(w, bool)
    draws = np.stack([_shot_gradient(obj, w, mask, 200, rng).numpy() for _ in range(300)])
    stderr = draws.std(axis=0, ddof=1) / np.sqrt(len(draws))
    assert np.all(np.abs(draws.mean(axis=0) - wt.grad.numpy()) < 4.5 * stderr + 1e-12)


@pytest.mark.parametrize("optimizer", ["cobyla", "nelder-mead", "spsa"])
def test_gradient_free_curves(optimizer):
    task = StateTask(1, seed=0)
    qnn = task_qnn(task, pp.WireLayout(1, 1), seed=0)
    res = train_qnn_ensemble(
        qnn,
        task,
        n_seeds=2,
        n_steps=40,
        optimizer=optimizer,
        lr=0.3,
        seed=0,
        shots=50 if optimizer == "spsa" else None,
    )
    assert res.losses.shape == (2, 40)
    if optimizer != "spsa":  # best point visited so far: non-increasing
        assert np.all(np.diff(res.losses, axis=1) <= 0)
    assert np.all(res.losses[:, -1] < res.losses[:, 0])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"optimizer": "lbfgs"}, "optimizer"),
        ({"pretrain_steps": 5}, "pretrain_steps"),
        ({"optimizer": "cobyla", "penalty": 0.1}, "gradient optimizer"),
        ({"shots": 10, "penalty": 0.1}, "exact losses"),
        ({"n_trainable": 100}, "n_trainable"),
        ({"lr": -1.0}, "lr"),
    ],
)
def test_bad_options_are_named(kwargs, match):
    task = StateTask(1, seed=0)
    qnn = task_qnn(task, pp.WireLayout(1, 1), seed=0)
    with pytest.raises(ConfigurationError, match=match):
        train_qnn_ensemble(qnn, task, n_steps=5, **kwargs)


def test_task_qnn_checks_the_layout():
    with pytest.raises(ConfigurationError, match="n_visible"):
        task_qnn(StateTask(2), pp.WireLayout(1, 1))
