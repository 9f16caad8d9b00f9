"""The hidden-unit scan: reproducible records; the batched path equals the per-draw path."""

import json

import numpy as np
import pytest

from plateau_pl.experiments import hidden_unit_scan, write_records_atomic
from plateau_pl.experiments.scan import point_seed

MEASURED = ["trace_distance", "purity", "grad_variance"]


def _strip(rec):
    return {k: v for k, v in rec.items() if k not in ("wall_s", "created", "device", "diff_method")}


def test_same_seed_same_records():
    a = hidden_unit_scan(n_hidden=[0, 2], n_samples=6, seed=3)
    b = hidden_unit_scan(n_hidden=[0, 2], n_samples=6, seed=3)
    assert [_strip(r) for r in a] == [_strip(r) for r in b]
    c = hidden_unit_scan(n_hidden=[2], n_samples=6, seed=4)
    assert c[0]["trace_distance"] != a[1]["trace_distance"]


def test_point_seeds_do_not_depend_on_grid_position():
    a = hidden_unit_scan(n_hidden=[1, 2], n_samples=5, seed=0)
    b = hidden_unit_scan(n_hidden=[2], n_samples=5, seed=0)
    assert _strip(a[1]) == _strip(b[0])
    assert point_seed(0, "x", 1) != point_seed(0, "x", 2)


@pytest.mark.parametrize("ansatz", ["random_two_local", "area_law"])
def test_broadcast_backprop_equals_per_draw_adjoint(ansatz):
    """default.qubit broadcasting (all draws at once) vs lightning.qubit one draw at a time."""
    kw = {"n_visible": 1, "n_hidden": [2], "ansatz": ansatz, "n_samples": 5, "seed": 1}
    fast = hidden_unit_scan(device="default.qubit", **kw)[0]
    slow = hidden_unit_scan(device="lightning.qubit", **kw)[0]
    assert (fast["diff_method"], slow["diff_method"]) == ("backprop", "adjoint")
    for key in MEASURED:
        assert fast[key] == pytest.approx(slow[key], rel=1e-10, abs=1e-12)


def test_records_are_json_lines(tmp_path):
    recs = hidden_unit_scan(n_hidden=[0, 1], n_samples=4, seed=0)
    path = tmp_path / "sub" / "records.jsonl"
    write_records_atomic(path, recs)
    lines = path.read_text().splitlines()
    assert [json.loads(line)["n_hidden"] for line in lines] == [0, 1]
    assert not list(path.parent.glob(".*.tmp"))  # no temporary file left behind
    rec = recs[1]
    assert rec["haar_purity"] == pytest.approx(0.8)  # (2 + 2) / (2·2 + 1)
    assert rec["haar_trace_distance"] == pytest.approx(3 / 8)
    assert np.isfinite([rec[k] for k in MEASURED]).all()


def test_bad_arguments():
    with pytest.raises(ValueError, match="n_samples must be an integer >= 2; got 1"):
        hidden_unit_scan(n_samples=1)
    with pytest.raises(ValueError, match="n_hidden must be an integer >= 0; got -1"):
        hidden_unit_scan(n_hidden=[-1])
