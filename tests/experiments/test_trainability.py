"""The trainability experiment: records, remedies, reproducibility through the sweep runner."""

import pytest

from plateau_pl.errors import ConfigurationError
from plateau_pl.experiments import load_records, run_sweep
from plateau_pl.experiments.trainability import REMEDIES, trainability


@pytest.mark.parametrize("remedy", sorted(REMEDIES))
def test_every_remedy_runs_and_is_recorded(remedy):
    rec = trainability(n_hidden=1, seed=0, remedy=remedy, n_steps=5, n_seeds=2)
    assert rec["remedy"] == remedy and len(rec["loss_curve"]) == 5
    expected = {"identity_blocks": "identity_blocks", "area_law": "area_law"}
    assert rec["ansatz"] == expected.get(remedy, "random_two_local")
    assert 0 <= rec["final_loss"] <= rec["initial_loss"] + 1e-12


def test_sweep_records_are_reproducible(tmp_path):
    grid = {"n_hidden": [0, 1], "n_steps": [5], "n_seeds": [2], "shots": [None, 20]}
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    run_sweep("trainability", grid, a, seed=1, progress=False)
    run_sweep("trainability", grid, b, seed=1, progress=False)

    def strip(path):
        return [
            {k: v for k, v in r.items() if k not in ("wall_s", "created")}
            for r in load_records(path)
        ]

    assert strip(a) == strip(b)
    assert len(strip(a)) == 4


def test_unknown_remedy_is_named():
    with pytest.raises(ConfigurationError, match="remedy"):
        trainability(n_hidden=0, seed=0, remedy="magic")
