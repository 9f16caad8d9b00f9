"""The training driver: QBM generative training lowers the relative entropy."""

import numpy as np
import pytest
import torch

import plateau_pl as pp
from plateau_pl.hamiltonians import random_two_local
from plateau_pl.quantum.random import random_density_matrix
from plateau_pl.train import fit, fit_target


def _target(rng, d):
    return random_density_matrix(d, rng)


@pytest.mark.parametrize("optimizer", ["adam", "lbfgs"])
def test_qbm_with_hidden_units_learns_a_target_state(optimizer, rng):
    layout = pp.WireLayout(2, 2)
    qbm = pp.QBM(layout, random_two_local(layout, seed=0))
    sigma = _target(rng, 4)
    hist = fit_target(
        qbm, sigma, n_steps=60, lr=0.1 if optimizer == "adam" else 0.5, optimizer=optimizer
    )
    assert len(hist.losses) == 60
    assert hist.losses[-1] < 0.2 * hist.losses[0]
    final = pp.relative_entropy(sigma, qbm().detach())
    assert final == pytest.approx(hist.losses[-1], rel=0.5)  # loss is recorded before each step


def test_early_stop_and_records(rng):
    layout = pp.WireLayout(1, 1)
    qbm = pp.QBM(layout, random_two_local(layout, seed=1))
    sigma = np.diag([0.8, 0.2])
    hist = fit_target(qbm, sigma, n_steps=500, lr=0.1, target_loss=1e-3)
    assert hist.stopped_early and hist.losses[-1] <= 1e-3 and len(hist.losses) < 500
    assert hist.steps_to(1e-3) == len(hist.losses) - 1
    recs = hist.to_records(n_hidden=1)
    assert recs[0]["step"] == 0 and recs[-1]["loss"] == hist.losses[-1]
    assert recs[0]["n_hidden"] == 1
    calls = []
    fit(
        qbm,
        lambda m: m.expval_matrix(np.diag([1.0, -1.0])),
        n_steps=10,
        callback=lambda step, loss: calls.append(step) or step == 2,
    )
    assert calls == [0, 1, 2]


def test_errors():
    layout = pp.WireLayout(1, 0)
    qbm = pp.QBM(layout, random_two_local(layout, seed=1))
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop2'"):
        fit(qbm, lambda m: m.expval_matrix(np.eye(2)), optimizer="rmsprop2")
    with pytest.raises(TypeError, match=r"model must be a torch\.nn\.Module"):
        fit(object(), lambda m: torch.zeros(()))
    with pytest.raises(ValueError, match="n_steps must be an integer >= 1; got 0"):
        fit(qbm, lambda m: m.expval_matrix(np.eye(2)), n_steps=0)


def test_fit_pennylane_trains_an_autograd_qnn_and_writes_records(tmp_path):
    import pennylane as qml

    from plateau_pl.records import load_records
    from plateau_pl.train import fit_pennylane

    qnn = pp.QNN(
        pp.WireLayout(1, 1), "hardware_efficient", n_layers=1, device="lightning.qubit", seed=0
    )
    out = tmp_path / "hist.jsonl"
    hist, w = fit_pennylane(
        qnn.init_weights(seed=0),
        qnn,
        n_steps=40,
        optimizer=qml.GradientDescentOptimizer(stepsize=0.3),
        out=out,
        record_fields={"task": "minimise <Z>"},
    )
    assert hist.losses[-1] < -0.99  # <Z_0> can reach -1
    assert float(qnn(w)) == pytest.approx(hist.losses[-1], abs=0.05)
    recs = load_records(out)
    assert len(recs) == 40 and recs[0]["task"] == "minimise <Z>"
    assert [r["loss"] for r in recs] == hist.losses


def test_early_stopping_callback_stops_a_plateaued_run():
    from plateau_pl.train import EarlyStopping

    layout = pp.WireLayout(1, 0)
    qbm = pp.QBM(layout, random_two_local(layout, seed=1))
    const = torch.zeros((), dtype=torch.float64, requires_grad=True)
    hist = fit(
        qbm, lambda m: const + 0 * m.theta.sum(), n_steps=50, callbacks=[EarlyStopping(patience=3)]
    )
    assert hist.stopped_early and len(hist.losses) == 4


def test_driver_errors():
    from plateau_pl.train import EarlyStopping, fit_pennylane

    with pytest.raises(ValueError, match="unknown optimizer 'lbfgs2'"):
        fit_pennylane(np.zeros(2), lambda w: w.sum(), optimizer="lbfgs2")
    with pytest.raises(TypeError, match="callbacks must be callables"):
        fit_pennylane(np.zeros(2), lambda w: (w**2).sum(), callbacks=[3])
    with pytest.raises(ValueError, match="patience must be an integer >= 1; got 0"):
        EarlyStopping(patience=0)
