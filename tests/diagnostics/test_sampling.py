"""Diagnostics over random draws: batched paths equal per-draw paths; statistics are sound."""

from __future__ import annotations

import numpy as np
import pennylane as qml
import pytest
import torch

import plateau_pl as pp
from plateau_pl import theory
from plateau_pl.diagnostics import ensembles as ens
from plateau_pl.diagnostics.results import GradientStats
from plateau_pl.errors import ConfigurationError, PlateauTypeError
from plateau_pl.hamiltonians import random_two_local, transverse_ising


def _qnn(device, ansatz="random_two_local", n_v=1, n_h=2, **kw):
    return pp.QNN(pp.WireLayout(n_v, n_h), ansatz, device=device, seed=3, **kw)


@pytest.mark.parametrize("ansatz", ["random_two_local", "area_law"])
def test_batched_backprop_equals_per_draw_adjoint(ansatz):
    """default.qubit: all draws broadcast; lightning.qubit: one adjoint call per draw."""
    a = pp.gradient_variance(_qnn("default.qubit", ansatz), n_samples=6, seed=1)
    b = pp.gradient_variance(_qnn("lightning.qubit", ansatz), n_samples=6, seed=1)
    np.testing.assert_allclose(a.per_parameter, b.per_parameter, rtol=1e-9, atol=1e-13)
    for key, value in a.to_dict().items():
        if value is None:  # fields only the Pauli-path engine fills
            assert b.to_dict()[key] is None, key
            continue
        assert b.to_dict()[key] == pytest.approx(value, rel=1e-9, abs=1e-13), key
    sa = pp.visible_state_stats(_qnn("default.qubit", ansatz), n_samples=6, seed=1)
    sb = pp.visible_state_stats(_qnn("lightning.qubit", ansatz), n_samples=6, seed=1)
    assert sa.trace_distance == pytest.approx(sb.trace_distance, rel=1e-10)
    assert sa.entropy == pytest.approx(sb.entropy, rel=1e-10)


def test_qnn_gradients_are_the_models_gradients():
    qnn = _qnn("default.qubit")
    grads, weights = ens.qnn_gradients(qnn, n_samples=4, seed=7)
    for g, w in zip(grads, weights, strict=True):
        np.testing.assert_allclose(g, qnn.gradient(w), atol=1e-12)
    again, _ = ens.qnn_gradients(qnn, n_samples=4, seed=7)
    np.testing.assert_array_equal(grads, again)


def test_resampled_structure_uses_a_new_structure_per_draw():
    qnn = _qnn("default.qubit", "mcclean", n_v=2, n_h=1, n_layers=3)
    grads, weights = ens.qnn_gradients(qnn, n_samples=3, seed=0, resample_structure=True)
    seeds = ens.ensemble_seeds(0, 3).structures
    for g, w, s in zip(grads, weights, seeds, strict=True):
        np.testing.assert_allclose(g, qnn.with_structure(s).gradient(w), atol=1e-12)
    fixed, _ = ens.qnn_gradients(qnn, n_samples=3, seed=0)
    assert not np.allclose(grads, fixed)


def test_qbm_ensemble_gradients_match_single_instances():
    layout = pp.WireLayout(1, 2)
    for normalize in (None, "opnorm"):
        qbm = pp.QBM(layout, random_two_local(layout, seed=0), beta=1.3, normalize=normalize)
        grads = ens.qbm_gradients(qbm, n_samples=3, seed=5)
        _, scales, seeds = ens.qbm_instances(qbm, 3, 5)
        for i, s in enumerate(seeds.structures):
            h = qbm.hamiltonian.redraw(s)
            single = pp.QBM(layout, h, beta=1.3, normalize=normalize)
            assert float(single.scale) == pytest.approx(scales[i])
            single.expval(qml.Z(0)).backward()
            np.testing.assert_allclose(grads[i], single.theta.grad.numpy(), atol=1e-12)


def test_qbm_visible_only_and_hidden_parameters_reported_separately():
    layout = pp.WireLayout(2, 2)
    qbm = pp.QBM(layout, transverse_ising(layout, "complete", seed=0))
    stats = pp.gradient_variance(qbm, n_samples=20, seed=0)
    mask = qbm.hamiltonian.touches_hidden()
    assert mask.any() and (~mask).any()
    grads = ens.qbm_gradients(qbm, 20, 0)
    v_hidden = GradientStats.from_gradients(grads[:, mask]).variance
    assert stats.variance_hidden == pytest.approx(v_hidden)
    assert stats.to_dict()["grad_variance_visible"] == stats.variance_visible


def test_inf_norm_variance_definition(rng):
    g = rng.normal(size=(200, 5))
    stats = GradientStats.from_gradients(g)
    inf = np.abs(g).max(axis=1)
    assert stats.inf_norm_variance == pytest.approx(inf.var(ddof=1))
    np.testing.assert_allclose(stats.per_parameter, g.var(axis=0, ddof=1))
    assert stats.mean_abs_gradient == pytest.approx(np.abs(g).mean())
    assert "±" in repr(stats)


def test_visible_stats_match_direct_computation():
    qnn = _qnn("default.qubit", n_v=2, n_h=2)
    stats = pp.visible_state_stats(qnn, n_samples=10, seed=4, bins=5)
    states = ens.qnn_visible_states(qnn, 10, 4)
    td = pp.trace_distance_to_maximally_mixed(states)
    assert stats.trace_distance == pytest.approx(td.mean())
    assert stats.purity == pytest.approx(pp.purity(states).mean())
    assert stats.histogram.sum() == 10 and len(stats.bin_edges) == 6
    assert stats.bin_edges[-1] == pytest.approx(0.75)  # 1 - 1/D_v


@pytest.mark.parametrize("model", ["qnn", "qbm"])
def test_lipschitz_ratio_small_delta_is_mean_abs_derivative(model):
    """δ → 0: the ratio is the ensemble mean of |∂_k f| at the same draws and coordinates."""
    delta, n = 1e-6, 8
    if model == "qnn":
        m = _qnn("default.qubit")
        grads, _ = ens.qnn_gradients(m, n, seed=2)
    else:
        layout = pp.WireLayout(1, 2)
        m = pp.QBM(layout, random_two_local(layout, seed=0))
        grads = ens.qbm_gradients(m, n, seed=2)
    ks = np.random.default_rng(ens.ensemble_seeds(2, n).aux).integers(0, grads[0].size, size=n)
    expected = np.mean(np.abs(grads.reshape(n, -1)[np.arange(n), ks]))
    stats = pp.lipschitz_ratio(m, delta, n_samples=n, seed=2)
    assert stats.ratio == pytest.approx(expected, rel=1e-4)
    assert (stats.bound is None) == (model == "qbm")


def test_lipschitz_ratio_below_the_papers_bound():
    qnn = _qnn("default.qubit", n_h=3)
    stats = pp.lipschitz_ratio(qnn, delta=0.1, n_samples=40, seed=0)
    expected = theory.lipschitz_bound(0.1, 1.0, 1.0, 2, 8)
    assert stats.bound == pytest.approx(expected)
    assert stats.ratio + 4 * stats.stderr < stats.bound


def test_torch_interface_qnn_gives_the_same_statistics():
    a = pp.gradient_variance(_qnn("default.qubit"), n_samples=5, seed=0)
    b = pp.gradient_variance(_qnn("default.qubit", interface="torch"), n_samples=5, seed=0)
    assert a.variance == pytest.approx(b.variance, rel=1e-12)
    assert torch.get_default_dtype() == torch.float32  # the float64 context was restored


def test_errors():
    qnn = _qnn("default.qubit")
    with pytest.raises(ValueError, match="n_samples must be an integer >= 2; got 1"):
        pp.gradient_variance(qnn, n_samples=1, seed=0)
    with pytest.raises(ConfigurationError, match="seed must be given"):
        pp.gradient_variance(qnn, n_samples=4, seed=None)
    with pytest.raises(PlateauTypeError, match="model must be a plateau_pl QNN or QBM"):
        pp.gradient_variance(object(), n_samples=4, seed=0)
    with pytest.raises(ConfigurationError, match="delta must be a finite non-zero number"):
        pp.lipschitz_ratio(qnn, delta=0, n_samples=4, seed=0)
    emb = pp.QNN(
        pp.WireLayout(1, 1),
        "hardware_efficient",
        embedding=qml.AngleEmbedding,
        device="default.qubit",
        seed=0,
    )
    with pytest.raises(ConfigurationError, match="use a QNN without an embedding"):
        pp.visible_state_stats(emb, n_samples=4, seed=0)
    with pytest.raises(ConfigurationError, match="unknown dist 'cauchy'"):
        pp.gradient_variance(qnn, n_samples=4, seed=0, dist="cauchy")
