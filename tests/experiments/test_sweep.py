"""The sweep runner: resume, crash safety, executors, failures, validation.

Multi-process tests use the package's own ``haar-states`` experiment: with
``--import-mode=importlib`` worker processes cannot import functions defined in test modules.
"""

import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError, RecordsError
from plateau_pl.experiments.haar import haar_states
from plateau_pl.experiments.sweep import SweepResult, expand_grid, run_sweep
from plateau_pl.records import load_records, point_key

VOLATILE = ("wall_s", "created")
# ten points of 0.05-0.3 s each (1.5 s in all): slow enough to kill a sweep in the middle
SLOW_GRID = {"n_visible": 1, "n_hidden": [11, 12], "n_samples": [200, 300, 400, 500, 600]}
SLOW_SEED = 7


def _strip(records):
    return [{k: v for k, v in r.items() if k not in VOLATILE} for r in records]


def _by_key(records):
    return sorted(_strip(records), key=lambda r: r["point_key"])


def _check_file(path: Path, expected):
    """Whole lines only, no duplicate points, the same records as ``expected`` (any order)."""
    text = path.read_text()
    assert text.endswith("\n")
    lines = text.splitlines()
    keys = [json.loads(line)["point_key"] for line in lines]
    assert len(set(keys)) == len(keys)
    assert _by_key(load_records(path)) == _by_key(expected)
    hidden = [p.name for p in path.parent.iterdir() if p.name.startswith(".")]
    assert hidden in ([], [f".{path.name}.lock"])  # no temporary file left, only the lock


def _counting(calls):
    def counted(n_hidden, seed, n_samples=8):
        calls.append(n_hidden)
        return haar_states(1, n_hidden, n_samples, seed)

    return counted


# ----------------------------------------------------------------------------- records


def test_record_fields_and_order(tmp_path):
    res = run_sweep(
        "haar-states",
        {"n_visible": 1, "n_hidden": [1, 0], "n_samples": 8},
        tmp_path / "r.jsonl",
        seed=2,
        progress=False,
    )
    assert [r["n_hidden"] for r in res.records] == [1, 0]
    rec = res.records[0]
    assert list(rec)[:4] == ["experiment", "n_visible", "n_hidden", "n_samples"]
    assert list(rec)[-6:] == [
        "seed",
        "point_seed",
        "point_key",
        "wall_s",
        "created",
        "plateau_pl_version",
    ]
    assert rec["experiment"] == "haar-states" and rec["model"] == "haar" and rec["seed"] == 2
    assert rec["point_key"] == point_key(
        "haar-states", {"n_visible": 1, "n_hidden": 1, "n_samples": 8}, 2
    )
    assert rec["created"].endswith("+00:00") and rec["wall_s"] >= 0
    assert {k: rec[k] for k in rec if k in haar_states(1, 1, 8)} == haar_states(
        1, 1, 8, seed=rec["point_seed"]
    )
    assert load_records(res.out) == list(res.records)
    assert res.ok and res.skipped == 0 and isinstance(res.out, Path)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.skipped = 3


def test_grid_expansion_order_and_forms():
    assert expand_grid({"a": [1, 2], "b": (3, 4)}) == [
        {"a": 1, "b": 3},
        {"a": 1, "b": 4},
        {"a": 2, "b": 3},
        {"a": 2, "b": 4},
    ]
    assert expand_grid({"a": np.arange(2), "b": np.float64(0.5), "c": [[1, 2]]}) == [
        {"a": 0, "b": 0.5, "c": [1, 2]},
        {"a": 1, "b": 0.5, "c": [1, 2]},
    ]
    assert expand_grid([{"b": 1}, {"a": np.int64(2)}]) == [{"b": 1}, {"a": 2}]


def test_numpy_values_in_params_and_results_serialise(tmp_path):
    def numpy_fn(a, b, seed):
        return {"sq": np.float64(a) ** 2, "vec": np.arange(a), "flag": np.bool_(a > 1), "b": b}

    out = tmp_path / "np.jsonl"
    res = run_sweep(numpy_fn, {"a": np.arange(1, 3), "b": np.float32(0.5)}, out, progress=False)
    recs = load_records(out)
    assert recs == list(res.records)
    assert [(r["a"], r["b"], r["sq"], r["vec"], r["flag"]) for r in recs] == [
        (1, 0.5, 1.0, [0], False),
        (2, 0.5, 4.0, [0, 1], True),
    ]
    assert recs[0]["experiment"].endswith("numpy_fn")


def test_point_key_and_seed_independent_of_grid_position_and_dict_order(tmp_path):
    grid = {"n_visible": 1, "n_hidden": [0, 1, 2], "n_samples": 8}
    a = run_sweep("haar-states", grid, tmp_path / "a.jsonl", seed=5, progress=False)
    point = [{"n_samples": np.int64(8), "n_hidden": 2, "n_visible": 1}]
    b = run_sweep("haar-states", point, tmp_path / "b.jsonl", seed=5, progress=False)
    assert _strip(b.records) == _strip(a.records[2:])
    # stable across runs and interpreters (no hash randomisation): a fixed value
    assert a.records[2]["point_key"] == (
        '{"experiment":"haar-states","params":{"n_hidden":2,"n_samples":8,"n_visible":1},"seed":5}'
    )
    assert a.records[2]["point_seed"] == 3721498595
    c = run_sweep("haar-states", grid, tmp_path / "c.jsonl", seed=6, progress=False)
    assert len({r["point_seed"] for r in a.records + c.records}) == 6


# ----------------------------------------------------------------------------- resume


def test_rerun_skips_everything_and_does_not_touch_the_file(tmp_path):
    calls, out = [], tmp_path / "r.jsonl"
    fn = _counting(calls)
    first = run_sweep(fn, {"n_hidden": [0, 1]}, out, progress=False)
    assert calls == [0, 1] and len(first.records) == 2
    text, inode = out.read_bytes(), out.stat().st_ino
    again = run_sweep(fn, {"n_hidden": [0, 1]}, out, progress=False)
    assert calls == [0, 1]
    assert (again.records, again.skipped, again.failures) == ((), 2, ())
    assert out.read_bytes() == text and out.stat().st_ino == inode  # not even rewritten


def test_growing_the_grid_computes_only_new_points(tmp_path):
    calls, out = [], tmp_path / "r.jsonl"
    fn = _counting(calls)
    run_sweep(fn, {"n_hidden": [0, 1]}, out, progress=False)
    old = out.read_text()
    grown = run_sweep(fn, {"n_hidden": [0, 1, 2, 3, 2]}, out, progress=False)  # 2 listed twice
    assert calls == [0, 1, 2, 3]
    assert grown.skipped == 2 and [r["n_hidden"] for r in grown.records] == [2, 3]
    assert out.read_text().startswith(old)  # earlier lines byte-identical
    fresh = run_sweep(fn, {"n_hidden": [0, 1, 2, 3]}, tmp_path / "fresh.jsonl", progress=False)
    assert _strip(load_records(out)) == _strip(fresh.records)


def test_a_changed_parameter_or_seed_is_a_new_point_never_an_overwrite(tmp_path):
    calls, out = [], tmp_path / "r.jsonl"
    fn = _counting(calls)
    run_sweep(fn, {"n_hidden": [1]}, out, progress=False)
    old = out.read_text()
    run_sweep(fn, {"n_hidden": [1], "n_samples": 9}, out, progress=False)
    run_sweep(fn, {"n_hidden": [1]}, out, seed=1, progress=False)
    assert calls == [1, 1, 1]
    recs = load_records(out)
    assert out.read_text().startswith(old) and len(recs) == 3
    assert len({r["point_key"] for r in recs}) == 3
    assert [(r.get("n_samples"), r["seed"]) for r in recs] == [(8, 0), (9, 0), (8, 1)]


def test_a_corrupt_line_stops_the_sweep_before_any_work(tmp_path):
    out = tmp_path / "x.jsonl"
    run_sweep(
        "haar-states", {"n_visible": 1, "n_hidden": [0, 1], "n_samples": 4}, out, progress=False
    )
    out.write_text(out.read_text() + '{"torn": \n')
    text, calls = out.read_text(), []
    with pytest.raises(RecordsError, match=r"x\.jsonl line 3 is not valid JSON"):
        load_records(out)
    with pytest.raises(RecordsError, match=r"x\.jsonl line 3 is not valid JSON"):
        run_sweep(_counting(calls), {"n_hidden": [5]}, out, progress=False)
    assert calls == [] and out.read_text() == text


def test_stale_temp_files_of_a_crashed_write_are_removed(tmp_path):
    out = tmp_path / "r.jsonl"
    (tmp_path / ".r.jsonl.abc123xy.tmp").write_text('{"half": ')
    run_sweep("haar-states", {"n_visible": 1, "n_hidden": 0, "n_samples": 2}, out, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".r.jsonl.lock", "r.jsonl"]


# ----------------------------------------------------------------------------- failures


def test_failing_points_are_reported_and_the_others_land(tmp_path, capsys):
    """Points that only fail when computed (here: too large for memory) fail alone."""
    out = tmp_path / "f.jsonl"
    grid = {"n_visible": 1, "n_hidden": [0, 60, 1, 61], "n_samples": 4}
    res = run_sweep("haar-states", grid, out, progress=False)
    assert not res.ok
    assert [r["n_hidden"] for r in res.records] == [0, 1]
    assert [r["n_hidden"] for r in load_records(out)] == [0, 1]
    assert [params for params, _ in res.failures] == [
        {"n_visible": 1, "n_hidden": 60, "n_samples": 4},
        {"n_visible": 1, "n_hidden": 61, "n_samples": 4},
    ]
    assert all(e.startswith("ResourceError: 4 Haar-random states of 6") for _, e in res.failures)
    err = capsys.readouterr().err
    assert "2 of 4 points of 'haar-states' failed" in err
    assert "2 refused their input: a rerun fails the same way until it is fixed" in err
    assert "'n_hidden': 61, 'n_samples': 4}: ResourceError: 4 Haar-random states of 62" in err
    rerun = run_sweep("haar-states", grid, out, progress=False)  # failed points are retried
    assert rerun.skipped == 2 and len(rerun.failures) == 2


def test_invalid_parameters_anywhere_in_the_grid_stop_it_before_the_first_point(tmp_path):
    out = tmp_path / "g.jsonl"
    grid = {"n_visible": 1, "n_hidden": [0, -1, 1, -2], "n_samples": [4, 0]}
    with pytest.raises(ConfigurationError) as info:
        run_sweep("haar-states", grid, out, progress=False)
    message = str(info.value)
    assert message.startswith("6 of 8 grid points have invalid parameters; nothing was run:")
    assert (
        "{'n_visible': 1, 'n_hidden': 0, 'n_samples': 0}: n_samples must be an integer >= 1"
        in message
    )
    assert (
        "{'n_visible': 1, 'n_hidden': -1, 'n_samples': 4}: n_hidden must be an integer >= 0"
        in message
    )
    assert "… and 1 more" in message
    assert not out.exists()


@pytest.mark.parametrize(
    ("param", "value", "match"),
    [
        ("ansatz", "bogus", "unknown ansatz 'bogus'; available: "),
        ("engine", "gpu", "unknown engine 'gpu'; available: "),
        ("device", "no.such", "unknown device 'no.such'; installed: "),
        ("shots", 0, "shots must be an integer >= 1; got 0"),
        ("shots", 1.5, "shots must be an integer; got 1.5"),
        ("n_samples", "abc", "n_samples must be an integer; got 'abc'"),
        ("dist", "cauchy", "unknown dist 'cauchy'"),
        ("delta", float("nan"), "delta must be a finite real number; got nan"),
    ],
)
def test_the_grid_check_knows_each_parameter_of_the_registry(tmp_path, param, value, match):
    grid = {"n_visible": 1, "n_hidden": [0, 1], "n_samples": 4, param: value}
    with pytest.raises(ConfigurationError, match=re.escape(match)):
        run_sweep("qnn-gradient", grid, tmp_path / "q.jsonl", progress=False)
    assert not (tmp_path / "q.jsonl").exists()


def test_a_result_that_contradicts_a_parameter_is_an_error(tmp_path):
    def liar(n, seed):
        return {"n": n + 1}

    def agrees(n, seed):
        return {"n": float(n), "m": 1}

    with pytest.raises(ConfigurationError, match=r"returned n=2 for the point with n=1; a res"):
        run_sweep(liar, {"n": 1}, tmp_path / "a.jsonl", progress=False)
    rec = run_sweep(agrees, {"n": 1}, tmp_path / "b.jsonl", progress=False).records[0]
    assert (rec["n"], rec["m"]) == (1, 1)


def test_runner_fields_win_over_the_results(tmp_path):
    def sneaky(n, seed):
        return {"seed": -1, "point_seed": -1, "experiment": "x", "structure_seed": seed}

    rec = run_sweep(sneaky, {"n": 1}, tmp_path / "s.jsonl", seed=4, progress=False).records[0]
    assert rec["seed"] == 4 and rec["point_seed"] == rec["structure_seed"] != -1
    assert rec["experiment"].endswith("sneaky")


def test_a_result_that_is_not_a_dict_is_an_error(tmp_path):
    def bad(n, seed):
        return [n]

    with pytest.raises(PlateauTypeError, match=r"experiment '.*bad' must return a dict; got list"):
        run_sweep(bad, {"n": 1}, tmp_path / "a.jsonl", progress=False)


# ----------------------------------------------------------------------------- progress


def test_progress_bar(tmp_path, capsys):
    grid = {"n_visible": 1, "n_hidden": [0, 1], "n_samples": 2}
    run_sweep("haar-states", grid, tmp_path / "a.jsonl", progress=True)
    assert "haar-states: 100%" in capsys.readouterr().err
    run_sweep("haar-states", grid, tmp_path / "b.jsonl", progress=False)
    run_sweep("haar-states", grid, tmp_path / "c.jsonl")  # stderr is not a terminal here
    assert capsys.readouterr().err == ""


# ----------------------------------------------------------------------------- validation


def _noseed(n):
    return {}


HAAR = {"n_visible": 1, "n_hidden": [0], "n_samples": 2}


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"experiment": "nope"}, ConfigurationError, "unknown experiment 'nope'; available: "),
        ({"experiment": 3}, PlateauTypeError, "experiment must be a name or a callable; got int"),
        ({"grid": 3}, PlateauTypeError, "grid must be a dict of parameter values or a list"),
        ({"grid": {}}, ConfigurationError, "grid is empty; expected at least one parameter"),
        ({"grid": []}, ConfigurationError, "grid is empty; expected at least one parameter dict"),
        ({"grid": {"n_hidden": []}}, ConfigurationError, r"grid\['n_hidden'\] has no values"),
        ({"grid": [HAAR, 3]}, PlateauTypeError, r"grid\[1\] must be a dict of parameters; got"),
        ({"grid": {"seed": 1}}, ConfigurationError, "grid parameter 'seed' is a field the runner"),
        ({"grid": [{"wall_s": 1}]}, ConfigurationError, r"grid\[0\] parameter 'wall_s' is a f"),
        ({"grid": {1: 2}}, PlateauTypeError, "grid parameter names must be strings; got 1"),
        ({"grid": {"x": 1j}}, PlateauTypeError, r"grid\['x'\]: cannot write 1j \(complex\)"),
        ({"grid": {"n_visible": 1}}, ConfigurationError, "does not fit haar_states: missing a"),
        ({"grid": {**HAAR, "foo": 1}}, ConfigurationError, "unexpected keyword argument 'foo'"),
        ({"experiment": _noseed, "grid": {"n": 1}}, ConfigurationError, "must accept seed="),
        ({"out": 3}, PlateauTypeError, "out must be a file path; got int"),
        ({"out": "."}, ConfigurationError, "out must name a file, not a folder; got '.'"),
        (
            {"executor": "threads"},
            ConfigurationError,
            "unknown executor 'threads'; available: dask, process, serial",
        ),
        ({"seed": -1}, PlateauError, "seed must be an integer >= 0; got -1"),
        ({"seed": None}, PlateauTypeError, "seed must be an integer; got None"),
        ({"n_workers": 2}, ConfigurationError, "n_workers applies to executor 'process' or"),
        ({"executor": "process", "n_workers": 0}, PlateauError, "n_workers must be an integer >="),
        (
            {"scheduler_address": "tcp://h:8786"},
            ConfigurationError,
            "scheduler_address applies to executor 'dask'; got executor 'serial'",
        ),
        (
            {"executor": "dask", "scheduler_address": 1},
            PlateauTypeError,
            "scheduler_address must be a string; got int",
        ),
        (
            {"executor": "dask", "scheduler_address": "tcp://h:1", "n_workers": 2},
            ConfigurationError,
            "n_workers sizes the LocalCluster",
        ),
        ({"progress": "yes"}, PlateauTypeError, "progress must be None, True or False; got 'yes'"),
        (
            {"experiment": lambda n, seed: {}, "grid": {"n": 1}, "executor": "process"},
            ConfigurationError,
            "cannot be sent to process workers; pass a registry name",
        ),
    ],
)
def test_bad_arguments_fail_before_any_work(tmp_path, monkeypatch, kwargs, error, match):
    monkeypatch.chdir(tmp_path)
    args = {"experiment": "haar-states", "grid": HAAR, "out": "r.jsonl", "progress": False}
    with pytest.raises(error, match=match):
        run_sweep(**{**args, **kwargs})
    assert sorted(os.listdir(tmp_path)) == []


def test_out_inside_a_file_is_refused(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(ConfigurationError, match=r"out is inside '.*f', which is not a directory"):
        run_sweep("haar-states", HAAR, tmp_path / "f" / "r.jsonl", progress=False)
    assert (tmp_path / "f").read_text() == "x"


# ----------------------------------------------------------------------------- executors


def test_serial_process_and_dask_give_identical_records(tmp_path):
    grid = {"n_visible": [1, 2], "n_hidden": [0, 2, 60, 3], "n_samples": 64}
    results = {
        ex: run_sweep(
            "haar-states",
            grid,
            tmp_path / f"{ex}.jsonl",
            executor=ex,
            seed=9,
            n_workers=None if ex == "serial" else 2,
            progress=False,
        )
        for ex in ("serial", "process", "dask")
    }
    serial = results.pop("serial")
    assert len(serial.records) == 6 and len(serial.failures) == 2
    for ex, res in results.items():
        assert _strip(res.records) == _strip(serial.records), ex
        assert res.failures == serial.failures, ex
        assert _by_key(load_records(res.out)) == _by_key(serial.records), ex
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == [
        "dask.jsonl",
        "process.jsonl",
        "serial.jsonl",
    ]


def test_dask_on_a_running_cluster_leaves_it_running(tmp_path):
    from dask.distributed import Client, LocalCluster

    grid = {"n_visible": 1, "n_hidden": [1, 2], "n_samples": 16}
    serial = run_sweep("haar-states", grid, tmp_path / "s.jsonl", seed=2, progress=False)
    with LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster:
        res = run_sweep(
            "haar-states",
            grid,
            tmp_path / "d.jsonl",
            executor="dask",
            seed=2,
            scheduler_address=cluster.scheduler_address,
            progress=False,
        )
        with Client(cluster.scheduler_address) as client:
            assert client.submit(sum, [1, 2]).result() == 3  # still up
    assert _strip(res.records) == _strip(serial.records)


# ----------------------------------------------------------------------------- interruption


@pytest.fixture(scope="module")
def slow_reference(tmp_path_factory):
    """The uninterrupted records of SLOW_GRID."""
    out = tmp_path_factory.mktemp("reference") / "ref.jsonl"
    res = run_sweep("haar-states", SLOW_GRID, out, seed=SLOW_SEED, progress=False)
    assert res.ok
    return list(res.records)


def _wait_for_a_record(out: Path, alive, timeout=120.0):
    deadline = time.monotonic() + timeout
    while not (out.exists() and out.read_text().strip()):
        assert alive(), "the sweep ended before any record landed"
        assert time.monotonic() < deadline, "no record landed in time"
        time.sleep(0.005)


def _pool_workers() -> list[int]:
    """Children of this process started by a spawn pool (not the resource tracker)."""
    pids = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        pids += [int(p) for p in (task / "children").read_text().split()]
    return [p for p in pids if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]


def test_killed_sweep_resumes_to_the_uninterrupted_records(tmp_path, slow_reference):
    """SIGKILL the whole sweep (main process and pool workers) once a record has landed."""
    out = tmp_path / "killed.jsonl"
    script = (
        "import sys\n"
        "from plateau_pl.experiments.sweep import run_sweep\n"
        f"run_sweep('haar-states', {SLOW_GRID!r}, sys.argv[1], executor='process', "
        f"n_workers=2, seed={SLOW_SEED}, progress=False)\n"
    )
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(out)],
        env=env,
        start_new_session=True,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_a_record(out, lambda: proc.poll() is None)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    landed = len(load_records(out))  # whole lines only, even after SIGKILL
    assert 1 <= landed < len(slow_reference)

    res = run_sweep("haar-states", SLOW_GRID, out, seed=SLOW_SEED, progress=False)
    assert res.ok and res.skipped == landed
    assert len(res.records) == len(slow_reference) - landed
    _check_file(out, slow_reference)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds workers through /proc")
def test_killed_worker_loses_only_the_points_in_flight(tmp_path, slow_reference):
    out, killed = tmp_path / "worker.jsonl", []

    def kill_a_worker():
        _wait_for_a_record(out, lambda: True)
        killed.append(_pool_workers()[0])
        os.kill(killed[0], signal.SIGKILL)

    killer = threading.Thread(target=kill_a_worker, daemon=True)
    killer.start()
    res = run_sweep(
        "haar-states",
        SLOW_GRID,
        out,
        executor="process",
        n_workers=2,
        seed=SLOW_SEED,
        progress=False,
    )
    killer.join(timeout=10)
    assert killed and not res.ok
    assert all(err.startswith("BrokenProcessPool: ") for _, err in res.failures)
    assert len(res.records) + len(res.failures) == len(slow_reference)
    assert _by_key(load_records(out)) == _by_key(res.records)

    rerun = run_sweep("haar-states", SLOW_GRID, out, seed=SLOW_SEED, progress=False)
    assert rerun.ok and rerun.skipped == len(res.records)
    _check_file(out, slow_reference)


def test_sweep_result_ok():
    assert SweepResult((), 0, (), Path("x")).ok
    assert not SweepResult((), 0, (({}, "E: x"),), Path("x")).ok


def test_a_none_parameter_is_recorded_as_resolved(tmp_path):
    out = tmp_path / "r.jsonl"
    grid = {"n_hidden": 1, "n_layers": None, "n_samples": 3}
    rec = run_sweep("qnn-gradient", grid, out, progress=False).records[0]
    assert rec["n_layers"] == 1  # random_two_local's default: one pass
    assert run_sweep("qnn-gradient", grid, out, progress=False).skipped == 1


def test_the_progress_bar_carries_the_label(tmp_path, capsys):
    run_sweep("haar-states", HAAR, tmp_path / "r.jsonl", progress=True, label="trace-distance-qbm")
    assert "trace-distance-qbm: 100%" in capsys.readouterr().err
