"""The paper's named experiments: record fields, determinism and the expected physics."""

from __future__ import annotations

import json

import numpy as np
import pytest

from plateau_pl.errors import ConfigurationError
from plateau_pl.experiments import paper
from plateau_pl.experiments.registry import EXPERIMENTS, get_experiment

DESIGN_FIELDS = {
    "model",
    "n_visible",
    "n_hidden",
    "n_layers",
    "observable",
    "device",
    "diff_method",
    "shots",
    "structure_seed",
    "n_samples",
}


def test_every_named_experiment_resolves():
    for name in EXPERIMENTS:
        assert callable(get_experiment(name))


def test_qnn_records_carry_the_setup_and_are_json():
    rec = paper.qnn_gradient(n_hidden=2, seed=5, n_samples=8)
    assert DESIGN_FIELDS <= set(rec)
    assert {
        "grad_variance",
        "grad_variance_stderr",
        "grad_inf_norm_variance",
        "grad_inf_norm_variance_stderr",
        "grad_mean_abs",
        "haar_grad_variance",
        "lipschitz_ratio",
        "lipschitz_bound",
        "weight_dist",
        "ensemble_seed",
    } <= set(rec)
    json.dumps(rec)  # plain JSON types only
    again = paper.qnn_gradient(n_hidden=2, seed=5, n_samples=8)
    assert again == rec
    assert paper.qnn_gradient(n_hidden=2, seed=6, n_samples=8) != rec


@pytest.mark.parametrize("normalize", [None, "opnorm"])
def test_qbm_records(normalize):
    rec = paper.qbm_gradient(n_hidden=2, seed=0, n_samples=6, normalize=normalize)
    assert rec["model"] == "qbm" and rec["normalize"] == normalize
    assert rec["grad_variance_hidden"] is not None and rec["grad_variance_visible"] is not None
    assert rec["lipschitz_bound"] is None
    td = paper.trace_distance(n_hidden=2, seed=0, n_samples=6, model="qbm", normalize=normalize)
    assert 0 <= td["trace_distance"] <= 0.5 and td["hamiltonian"] == "random_two_local"
    json.dumps(rec)
    json.dumps(td)


def test_area_law_entropy_respects_its_bound():
    rec = paper.area_law(n_hidden=4, seed=1, n_samples=20)
    assert rec["ansatz"] == "area_law" and rec["n_cross"] == 1
    assert rec["entropy"] <= rec["entropy_bound"] + 1e-12
    assert rec["grad_variance_visible"] > rec["grad_variance_hidden"]


def test_mcclean_layout_and_theory():
    rec = paper.mcclean(n_qubits=3, seed=0, n_samples=6)
    assert (rec["n_visible"], rec["n_hidden"], rec["n_qubits"]) == (2, 1, 3)
    assert rec["n_layers"] == 3 and rec["resample_structure"] is True
    assert rec["observable"] == "Z(0) @ Z(1)"
    d = 8
    assert rec["haar_grad_variance"] == pytest.approx(2 * 0.25 * d * d / ((d * d - 1) * (d + 1)))


@pytest.mark.slow
def test_random_two_local_decays_like_haar():
    """Gradient variance and trace distance fall by ~2 and ~√2 per hidden qubit (n_h = 2..5)."""
    recs = [paper.qnn_gradient(n_hidden=h, seed=0, n_samples=150) for h in range(2, 6)]
    tds = [paper.trace_distance(n_hidden=h, seed=0, n_samples=150) for h in range(2, 6)]
    from plateau_pl.diagnostics import fit_decay

    x = np.arange(2, 6)
    s, e = fit_decay(
        x, [r["grad_variance"] for r in recs], [r["grad_variance_stderr"] for r in recs]
    )
    assert abs(s / np.log(2) + 1) < max(4 * e / np.log(2), 0.1)
    s, e = fit_decay(
        x, [r["trace_distance"] for r in tds], [r["trace_distance_stderr"] for r in tds]
    )
    assert abs(s / np.log(2) + 0.5) < max(4 * e / np.log(2), 0.1)


def test_errors():
    with pytest.raises(ConfigurationError, match="unknown model 'rbm'"):
        paper.trace_distance(n_hidden=1, seed=0, model="rbm")
    with pytest.raises(ConfigurationError, match="unknown hamiltonian 'heisenberg'"):
        paper.qbm_gradient(n_hidden=1, seed=0, hamiltonian="heisenberg")
    with pytest.raises(ValueError, match="n_qubits must be an integer >= 2; got 1"):
        paper.mcclean(n_qubits=1, seed=0)
