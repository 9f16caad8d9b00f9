"""One selector: which engine each model and request gets, and records naming it."""

from __future__ import annotations

import numpy as np
import pennylane as qml
import pytest

import plateau_pl as pp
from plateau_pl.engines import ENGINES, Engine, select_engine
from plateau_pl.errors import ConfigurationError, PlateauTypeError
from plateau_pl.models.noisy import NoiseModel, NoisyQNN


def test_auto_choices():
    layout = pp.WireLayout(1, 1)
    qnn = pp.QNN(layout, "mcclean", 2, device="default.qubit", seed=0)
    assert select_engine(qnn).name == "statevector"
    assert select_engine(qnn, structures=True).name == "statevector"
    assert select_engine(qnn, differentiable=True).name == "autograd"
    assert select_engine(pp.QNN(layout, device="default.qubit", seed=0, shots=5)).name == "device"
    noisy = NoisyQNN(layout, "mcclean", 2, noise=NoiseModel("depolarizing", 0.1), seed=0)
    assert select_engine(noisy).name == "device"
    qbm = pp.QBM(layout, pp.hamiltonians.random_two_local(layout, seed=0))
    assert select_engine(qbm).name == "qbm"
    assert select_engine(qnn, "batched").name == "statevector"  # the former name
    engine = select_engine(qnn)
    assert select_engine(qnn, engine) is engine and isinstance(engine, Engine)
    assert set(ENGINES) == {"auto", "statevector", "autograd", "device", "qbm", "pauli"}


def test_refusals_name_the_argument():
    layout = pp.WireLayout(1, 1)
    qnn = pp.QNN(layout, device="default.qubit", seed=0)
    with pytest.raises(ConfigurationError, match="unknown engine 'gpu'"):
        select_engine(qnn, "gpu")
    with pytest.raises(PlateauTypeError, match="engine must be a name"):
        select_engine(qnn, 3)
    with pytest.raises(PlateauTypeError, match="model must be a plateau_pl QNN or QBM"):
        select_engine("qnn")
    with pytest.raises(ConfigurationError, match="'qbm' is for QBMs"):
        select_engine(qnn, "qbm")
    with pytest.raises(ConfigurationError, match="needs a QNN with an embedding"):
        select_engine(qnn, inputs=True)
    qbm = pp.QBM(layout, pp.hamiltonians.random_two_local(layout, seed=0))
    with pytest.raises(ConfigurationError, match="a QBM runs on the 'qbm' engine"):
        select_engine(qbm, "statevector")


def test_every_engine_gives_the_same_ensemble():
    qnn = pp.QNN(
        pp.WireLayout(1, 2), "random_two_local", observable=qml.X(0), device="default.qubit", seed=3
    )
    grads = {
        e: pp.diagnostics.ensembles.qnn_gradients(qnn, 6, 1, engine=e)[0]
        for e in ("statevector", "autograd", "device")
    }
    np.testing.assert_allclose(grads["statevector"], grads["device"], atol=1e-12)
    np.testing.assert_allclose(grads["autograd"], grads["device"], atol=1e-12)


def test_records_name_the_engine_and_where_it_ran():
    from plateau_pl.experiments.paper import qnn_gradient

    rec = qnn_gradient(n_visible=1, n_hidden=1, n_samples=4, seed=0)
    assert rec["engine"] == "statevector" and rec["engine_device"] == "cpu"
    assert rec["engine_backend"] == "numba"
