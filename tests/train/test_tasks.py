"""Tasks: targets, data and losses against direct computations."""

import numpy as np
import pennylane as qml
import pytest
import torch

import plateau_pl as pp
from plateau_pl.errors import ConfigurationError
from plateau_pl.train.tasks import ClassificationTask, StateTask, make_task


def test_state_task_loss_is_the_infidelity():
    task = StateTask(n_visible=2, seed=4)
    phi = task.target_state()
    assert np.linalg.norm(phi) == pytest.approx(1.0)
    obs = qml.matrix(task.observable(pp.WireLayout(2, 1)), wire_order=[0, 1])
    assert np.allclose(obs, np.outer(phi, phi.conj()))
    rho = pp.quantum.random.random_density_matrix(4, np.random.default_rng(0))
    fidelity = np.real(phi.conj() @ rho @ phi)
    value = torch.tensor([[np.real(np.trace(obs @ rho))]])
    assert float(task.loss(value)[0]) == pytest.approx(1 - fidelity, abs=1e-14)


def test_classification_data_follow_the_teacher_and_the_margin():
    task = ClassificationTask(n_visible=2, n_points=40, margin=0.3, seed=1)
    x, y = task.data()
    teacher = np.prod(np.cos(x), axis=1)
    assert x.shape == (40, 2) and np.all((x >= 0) & (x < np.pi))
    assert np.all(np.abs(teacher) >= 0.3)
    assert np.array_equal(y, np.sign(teacher)) and {-1.0, 1.0} == set(y)
    # the teacher <Z⊗Z> of the embedded state is realisable and scores below the threshold
    teacher_loss = float(task.loss(torch.as_tensor(teacher)[None])[0])
    assert teacher_loss <= (1 - 0.3) ** 2 < task.threshold
    assert np.array_equal(task.data()[0], x)  # seeded


def test_make_task_and_validation():
    assert make_task("state", 1, seed=2) == StateTask(1, seed=2)
    with pytest.raises(ConfigurationError, match="unknown task"):
        make_task("regression", 1)
    with pytest.raises(ConfigurationError, match="threshold"):
        StateTask(threshold=1.5)
    with pytest.raises(ConfigurationError, match="margin"):
        ClassificationTask(margin=0.0)
