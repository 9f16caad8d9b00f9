"""Where the plateau sits: gradient maps against per-parameter variances computed directly,
entropy profiles against Page's value and the area-law bound, and their figures."""

from __future__ import annotations

import json

import matplotlib
import numpy as np
import pennylane as qml
import pytest

matplotlib.use("Agg")

from plateau_pl.circuits import WireLayout
from plateau_pl.diagnostics.ensembles import qnn_gradients
from plateau_pl.diagnostics.landscape import entropy_profile, gradient_map
from plateau_pl.diagnostics.sampling import gradient_variance
from plateau_pl.errors import ConfigurationError, PlateauTypeError
from plateau_pl.models.noisy import NoiseModel, NoisyQNN
from plateau_pl.models.qnn import QNN
from plateau_pl.plotting.maps import figure_entropy_profile, figure_gradient_map
from plateau_pl.quantum.paulis import pauli_terms


def _direct_variances(qnn, n, seed):
    """Per-parameter variances from qnn.gradient in a loop (the device, not the engine)."""
    _, weights = qnn_gradients(qnn, n, seed, engine="device")
    grads = np.stack([qnn.gradient(w) for w in weights])
    return grads.var(axis=0, ddof=1)  # weight shape


def test_hardware_efficient_map_is_the_per_parameter_variances_by_layer_and_qubit():
    qnn = QNN(WireLayout(1, 2), "hardware_efficient", 3, device="default.qubit", seed=0)
    gm = gradient_map(qnn, 30, seed=4)  # the statevector engine
    var = _direct_variances(qnn, 30, 4)  # (layer, qubit, RY/RZ)
    assert gm.variance.shape == (3, 3) and np.all(gm.counts == 2)
    assert np.allclose(gm.variance, var.mean(axis=-1), rtol=1e-9, atol=1e-14)
    assert np.allclose(gm.per_parameter, var.ravel(), rtol=1e-9, atol=1e-14)
    assert gm.param_layers.tolist() == [0] * 6 + [1] * 6 + [2] * 6
    inside = gm.variance > 1e-20  # the light cone; outside it the adjoint gradient is exactly 0
    assert np.all(gm.stderr[inside] > 0) and np.all(gm.stderr[~inside] < 1e-30)
    stats = gradient_variance(qnn, 30, seed=4)  # the map refines the overall mean
    assert gm.per_parameter.mean() == pytest.approx(stats.variance, rel=1e-12)


def test_two_qubit_gates_count_for_both_wires():
    qnn = QNN(WireLayout(1, 1), "random_two_local", 2, device="default.qubit", seed=2)
    gm = gradient_map(qnn, 20, seed=1)
    var = _direct_variances(qnn, 20, 1)  # (pass, term)
    terms = pauli_terms(2)
    for layer in range(2):
        for q in range(2):
            members = [t for t, (_, wires) in enumerate(terms) if q in wires]
            assert gm.counts[layer, q] == len(members) == 12  # 3 one-local + 9 two-local
            assert gm.variance[layer, q] == pytest.approx(var[layer, members].mean(), rel=1e-9)


def test_noisy_map_and_errors(tol):
    p, n_layers = 0.2, 2
    layout = WireLayout(1, 0)
    noisy = NoisyQNN(
        layout, "hardware_efficient", n_layers, noise=NoiseModel("depolarizing", p), seed=0
    )
    clean = QNN(layout, "hardware_efficient", n_layers, device="default.qubit", seed=0)
    a, b = gradient_map(noisy, 10, seed=3), gradient_map(clean, 10, seed=3)
    # one qubit: every gradient is (1-4p/3)^L times the noiseless one (same draws)
    assert np.allclose(a.variance, (1 - 4 * p / 3) ** (2 * n_layers) * b.variance, rtol=1e-9)
    rec = a.to_dict()
    json.dumps(rec)
    assert rec["grad_map_counts"] == [[2], [2]] and rec["n_hidden"] == 0

    def tmpl(w, wires):
        qml.RY(w[0], wires=wires[0])

    user = QNN(WireLayout(1, 0), tmpl, weight_shape=(1,), device="default.qubit", seed=0)
    with pytest.raises(ConfigurationError, match="param_wires"):
        gradient_map(user, 10, seed=0)
    with pytest.raises(PlateauTypeError, match="qnn must be a plateau_pl QNN"):
        gradient_map("qnn", 10, seed=0)
    with pytest.raises(ConfigurationError, match="seed must be given"):
        gradient_map(clean, 10, seed=None)


@pytest.mark.slow
def test_entropy_profiles_page_and_area_law():
    layout = WireLayout(2, 2)
    prof = entropy_profile("random_two_local", layout, [2, 3], 200, seed=0)
    assert np.all(np.abs(prof.entropy - prof.page_entropy) < 4 * prof.entropy_stderr)
    assert np.all(np.abs(prof.purity - prof.haar_purity) < 4 * prof.purity_stderr)
    assert prof.entropy_bound is None
    area = entropy_profile(
        "area_law", WireLayout(2, 3), [1, 2], 200, seed=0, ansatz_options={"n_cross": 1}
    )
    assert np.allclose(area.entropy_bound, [np.log(2), 2 * np.log(2)])
    assert np.all(area.max_entropy <= area.entropy_bound + 1e-9)  # every draw
    assert np.all(area.entropy < area.page_entropy - 4 * area.entropy_stderr)
    rec = area.to_dict()
    json.dumps(rec)
    assert rec["depths"] == [1, 2] and rec["ansatz"] == "area_law"


def test_entropy_profile_factory_seeds_and_errors():
    layout = WireLayout(1, 1)

    def factory(n_layers, seed):
        return QNN(layout, "mcclean", n_layers, device="default.qubit", seed=seed)

    a = entropy_profile(factory, None, [1, 3], 10, seed=5)
    b = entropy_profile("mcclean", layout, [3], 10, seed=5)  # seeds keyed by depth
    assert a.entropy[1] == b.entropy[0] and a.ansatz == "mcclean"
    with pytest.raises(ConfigurationError, match="unknown model 'nope'"):
        entropy_profile("nope", layout, [1], 10, seed=0)
    with pytest.raises(PlateauTypeError, match="depths must be a non-empty sequence"):
        entropy_profile("mcclean", layout, [], 10, seed=0)
    with pytest.raises(PlateauTypeError, match="factory must return a QNN"):
        entropy_profile(lambda n, s: None, None, [1], 10, seed=0)


# -- figures ------------------------------------------------------------------------------------
def test_figure_gradient_map_draws_a_log_image_with_the_boundary():
    qnn = QNN(WireLayout(1, 2), "hardware_efficient", 2, device="default.qubit", seed=0)
    gm = gradient_map(qnn, 10, seed=0)
    for source in (gm, json.loads(json.dumps(gm.to_dict()))):
        fig, ax = figure_gradient_map(source)
        (image,) = ax.images
        v = gm.variance  # cells outside the light cone (zero up to rounding) are blank
        drawn = np.where(v > 1e-12 * np.nanmax(v), v, np.nan)
        assert np.any(np.isnan(drawn)) and np.any(np.isfinite(drawn))
        assert np.allclose(np.ma.filled(image.get_array(), np.nan), drawn, equal_nan=True)
        assert type(image.norm).__name__ == "LogNorm"
        (boundary,) = [ln for ln in ax.lines if ln.get_gid() == "boundary"]
        assert boundary.get_xdata()[0] == 0.5  # between visible qubit 0 and hidden qubit 1
        assert ax.get_xlabel() and ax.get_ylabel() == "layer"
        assert len(fig.axes) == 2  # the colour bar
    with pytest.raises(ConfigurationError, match="no 'grad_map' field"):
        figure_gradient_map({"n_visible": 1})
    with pytest.raises(PlateauTypeError, match="result must be"):
        figure_gradient_map(3)


def test_figure_entropy_profile_has_series_page_and_bound():
    profiles = [
        {
            "ansatz": "random_two_local",
            "depths": [1, 2],
            "entropy": [0.9, 0.92],
            "entropy_stderr": [0.01, 0.01],
            "page_entropy": 0.92,
            "entropy_bound": None,
        },
        {
            "ansatz": "area_law",
            "depths": [1, 2],
            "entropy": [0.2, 0.4],
            "entropy_stderr": [0.01, 0.01],
            "page_entropy": 0.92,
            "entropy_bound": [0.69, 1.39],
        },
    ]
    _, ax = figure_entropy_profile(profiles)
    assert len(ax.containers) == 2
    pages = [ln for ln in ax.lines if ln.get_gid() == "theory:page_entropy"]
    bounds = [ln for ln in ax.lines if ln.get_gid() == "theory:entropy_bound"]
    assert len(pages) == 1 and pages[0].get_ydata()[0] == 0.92
    assert len(bounds) == 1 and list(bounds[0].get_ydata()) == [0.69, 1.39]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "random_two_local" in labels and "Page (Haar)" in labels
    assert ax.get_xlabel() == "layers L" and "entropy" in ax.get_ylabel()
    with pytest.raises(PlateauTypeError, match="profiles must be"):
        figure_entropy_profile([])
