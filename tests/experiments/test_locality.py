"""The cost-locality experiment: local against global observables (Cerezo et al. 2021)."""

import math

import pytest

from plateau_pl.errors import ConfigurationError
from plateau_pl.experiments import run_sweep
from plateau_pl.experiments.locality import cost_locality
from plateau_pl.plotting import plot_records
from plateau_pl.records import load_records
from plateau_pl.report import summary_table


def test_a_global_cost_plateaus_where_a_local_one_does_not():
    """Shallow hardware-efficient circuit on 6 visible qubits: the global variance is several
    times smaller than the local one, far beyond the standard errors (fixed seed)."""
    local = cost_locality(6, seed=1, locality="local", n_samples=400)
    glob = cost_locality(6, seed=1, locality="global", n_samples=400)
    gap = local["grad_variance"] - glob["grad_variance"]
    err = math.hypot(local["grad_variance_stderr"], glob["grad_variance_stderr"])
    assert gap > 8 * err
    assert glob["grad_variance"] < local["grad_variance"] / 3
    assert (local["observable"], glob["observable"]) == (
        "Z(0)",
        "Z(0) @ Z(1) @ Z(2) @ Z(3) @ Z(4) @ Z(5)",
    )


def test_one_visible_qubit_makes_both_costs_the_same():
    local = cost_locality(1, seed=3, n_hidden=2, locality="local", n_samples=50)
    glob = cost_locality(1, seed=3, n_hidden=2, locality="global", n_samples=50)
    assert local["grad_variance"] == glob["grad_variance"]


def test_the_engines_agree_on_the_same_draws():
    """The compiled statevector engine against the QNN's own PennyLane device."""
    a = cost_locality(3, seed=2, locality="global", n_samples=30, engine="autograd")
    b = cost_locality(3, seed=2, locality="global", n_samples=30, engine="device")
    assert a["grad_variance"] == pytest.approx(b["grad_variance"], rel=1e-9)
    # 2 g² D Tr O² / ((D² − 1)(D + 1)) with g = 1/2, D = 8, Tr O² = 8
    assert a["haar_grad_variance"] == pytest.approx(2 * 0.25 * 8 * 8 / ((64 - 1) * 9))


def test_bad_locality_is_named():
    with pytest.raises(ConfigurationError, match="locality"):
        cost_locality(2, seed=0, locality="medium")


def test_a_sweep_reaches_the_report_and_the_plot(tmp_path):
    out = tmp_path / "loc.jsonl"
    grid = {"n_visible": [1, 2, 3], "locality": ["local", "global"], "n_samples": 20}
    run_sweep("cost-locality", grid, out, progress=False)
    records = load_records(out)
    assert len(records) == 6 and {r["experiment"] for r in records} == {"cost-locality"}
    table = summary_table(records)
    assert table.count("| cost-locality |") == 2  # one fitted rate per observable
    (written,) = plot_records(records, tmp_path / "loc.png")
    assert written.stat().st_size > 0
