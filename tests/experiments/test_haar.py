"""Haar-random states: sample means agree with the closed forms of plateau_pl.theory."""

import json

import numpy as np
import pytest

from plateau_pl import theory
from plateau_pl.errors import PlateauError, PlateauTypeError
from plateau_pl.experiments import haar
from plateau_pl.experiments.haar import haar_states

MEASURED = {
    "purity": "haar_purity",
    "trace_distance": "haar_trace_distance",
    "entropy": "page_entropy",
}


@pytest.mark.parametrize(("n_visible", "n_hidden"), [(1, 1), (1, 3), (2, 2), (2, 3), (3, 1)])
def test_means_agree_with_theory_within_4_stderr(n_visible, n_hidden):
    rec = haar_states(n_visible, n_hidden, n_samples=2000, seed=11)
    for measured, reference in MEASURED.items():
        assert rec[reference] is not None
        assert abs(rec[measured] - rec[reference]) < 4 * rec[f"{measured}_stderr"], measured


def test_no_hidden_qubits_gives_pure_states():
    rec = haar_states(2, 0, n_samples=5, seed=0)
    assert rec["purity"] == pytest.approx(1.0, abs=1e-12)
    assert rec["entropy"] == pytest.approx(0.0, abs=1e-9)
    assert rec["trace_distance"] == pytest.approx(0.75, abs=1e-12)
    assert (rec["haar_purity"], rec["page_entropy"], rec["haar_trace_distance"]) == (1.0, 0.0, 0.75)


def test_record_holds_python_values_only():
    rec = haar_states(1, 2, n_samples=10, seed=0)
    assert set(rec) == {
        "model",
        "n_visible",
        "n_hidden",
        "n_samples",
        "purity",
        "purity_stderr",
        "trace_distance",
        "trace_distance_stderr",
        "entropy",
        "entropy_stderr",
        "haar_purity",
        "haar_trace_distance",
        "page_entropy",
    }
    for key, value in rec.items():
        assert type(value) in (str, int, float), key
    assert json.loads(json.dumps(rec)) == rec


def test_trace_distance_reference_is_none_where_theory_has_no_exact_value():
    with pytest.raises(PlateauError, match="haar_trace_distance is exact"):
        theory.haar_trace_distance(8, 2**12)
    rec = haar_states(3, 12, n_samples=2, seed=0)
    assert rec["haar_trace_distance"] is None
    assert rec["haar_purity"] == theory.haar_purity(8, 2**12)


def test_seeded_and_independent_of_chunking(monkeypatch):
    a = haar_states(1, 3, n_samples=50, seed=4)
    assert haar_states(1, 3, n_samples=50, seed=4) == a
    assert haar_states(1, 3, n_samples=50, seed=5)["purity"] != a["purity"]
    monkeypatch.setattr(haar, "_CHUNK", 7)
    assert haar_states(1, 3, n_samples=50, seed=4) == a


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_visible": 0, "n_hidden": 1}, PlateauError, "n_visible must be an integer >= 1; got 0"),
        ({"n_visible": 1, "n_hidden": -1}, PlateauError, "n_hidden must be .* >= 0; got -1"),
        ({"n_visible": 1, "n_hidden": 1, "n_samples": 1}, PlateauError, "n_samples must be an"),
        ({"n_visible": 1.5, "n_hidden": 1}, PlateauTypeError, "n_visible must be an integer"),
        ({"n_visible": 1, "n_hidden": 1, "seed": -2}, PlateauError, "seed must be an integer"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        haar_states(**kwargs)


def test_seed_none_draws_fresh_states():
    a, b = (haar_states(1, 2, n_samples=20, seed=None) for _ in range(2))
    assert a["purity"] != b["purity"]
    assert np.isfinite(a["purity"])
