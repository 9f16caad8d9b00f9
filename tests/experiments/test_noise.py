"""The ``noise`` experiment: records through run_sweep, determinism and the expected physics."""

from __future__ import annotations

import json

import numpy as np
import pytest

from plateau_pl.errors import ConfigurationError
from plateau_pl.experiments.noise import noise
from plateau_pl.experiments.registry import get_experiment
from plateau_pl.experiments.sweep import run_sweep
from plateau_pl.records import load_records


def test_noise_is_registered():
    assert get_experiment("noise") is noise


def test_sweep_over_depth_writes_resumable_records(tmp_path):
    out = tmp_path / "noise.jsonl"
    grid = {
        "n_hidden": 1,
        "n_layers": [1, 4],
        "channel": ["depolarizing", "amplitude_damping"],
        "p": 0.3,
        "n_samples": 40,
    }
    result = run_sweep("noise", grid, out, executor="serial", seed=3, progress=False)
    assert result.ok and len(result.records) == 4
    records = load_records(out)
    assert len(records) == 4
    for rec in records:
        json.dumps(rec)
        assert rec["experiment"] == "noise" and rec["device"] == "default.mixed"
        assert rec["noise_channel"] == rec["channel"] and rec["noise_p"] == rec["p"] == 0.3
        assert rec["engine"] == "device" and rec["diff_method"] == "backprop"
        for key in (
            "grad_variance",
            "grad_variance_stderr",
            "trace_distance",
            "purity",
            "entropy",
            "noise_q",
            "noise_q_power",
            "haar_grad_variance",
        ):
            assert rec[key] is not None
        assert rec["noise_q_power"] == pytest.approx(rec["noise_q"] ** rec["n_layers"])
    by = {(r["channel"], r["n_layers"]): r for r in records}
    # depolarising noise: the variance falls with depth; amplitude damping keeps ρ_v away
    # from I/2 (its trace distance at depth 4 exceeds the depolarised one by > 4 stderr)
    d1, d4 = by["depolarizing", 1], by["depolarizing", 4]
    assert d1["grad_variance"] - d4["grad_variance"] > 4 * np.hypot(
        d1["grad_variance_stderr"], d4["grad_variance_stderr"]
    )
    a4 = by["amplitude_damping", 4]
    assert a4["trace_distance"] - d4["trace_distance"] > 4 * np.hypot(
        a4["trace_distance_stderr"], d4["trace_distance_stderr"]
    )
    again = run_sweep("noise", grid, out, executor="serial", seed=3, progress=False)
    assert again.skipped == 4 and not again.records


def test_noise_records_are_deterministic_and_validated():
    rec = noise(n_hidden=1, n_layers=2, p=0.1, n_samples=6, seed=7)
    assert noise(n_hidden=1, n_layers=2, p=0.1, n_samples=6, seed=7) == rec
    assert noise(n_hidden=1, n_layers=2, p=0.1, n_samples=6, seed=8) != rec
    with pytest.raises(ConfigurationError, match="unknown channel"):
        noise(n_hidden=1, channel="thermal", n_samples=6, seed=0)
    with pytest.raises(ConfigurationError, match="p must be a number in"):
        noise(n_hidden=1, p=2.0, n_samples=6, seed=0)
