"""A sweep on a real Dask cluster: ``dask scheduler`` and two ``dask worker`` processes on
localhost, reached through the CLI's ``--scheduler``; one worker is killed mid-sweep and the
records still equal a serial run's."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plateau_pl.experiments.sweep import run_sweep
from plateau_pl.records import load_records

pytest.importorskip("distributed")

ENV = {**os.environ, "OMP_NUM_THREADS": "1"}
GRID = {"n_visible": 1, "n_hidden": [10, 11], "n_samples": [300, 320, 340, 360, 380, 400]}
SEED = 11
VOLATILE = ("wall_s", "created")


def _dask(*args, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dask", *args],
        env=ENV,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # killed as a group below, nothing left behind
    )


def _wait(condition, what: str, timeout: float = 120.0, procs=()):
    deadline = time.monotonic() + timeout
    while not condition():
        for proc in procs:
            assert proc.poll() is None, f"{what}: a process ended early ({proc.args})"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.fixture
def cluster(tmp_path):
    """``(scheduler address, [worker processes])``, all stopped afterwards."""
    info = tmp_path / "scheduler.json"
    procs = [
        _dask(
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(info),
            log=tmp_path / "scheduler.log",
        )
    ]
    try:
        _wait(lambda: info.exists() and info.read_text().strip(), "the scheduler", procs=procs)
        address = json.loads(info.read_text())["address"]
        workers = [
            _dask(
                "worker",
                "--scheduler-file",
                str(info),
                "--nthreads",
                "1",
                "--no-nanny",
                "--no-dashboard",
                "--name",
                f"w{i}",
                log=tmp_path / f"worker{i}.log",
            )
            for i in range(2)
        ]
        procs += workers
        _wait(lambda: _n_workers(address) == 2, "two workers", procs=procs)
        yield address, workers
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _n_workers(address: str) -> int:
    from dask.distributed import Client

    with Client(address, timeout=10) as client:
        return len(client.scheduler_info()["workers"])


def _strip(records):
    return sorted(
        ({k: v for k, v in r.items() if k not in VOLATILE} for r in records),
        key=lambda r: r["point_key"],
    )


def test_a_sweep_survives_a_killed_worker_on_a_real_cluster(tmp_path, cluster):
    address, workers = cluster
    serial = run_sweep("haar-states", GRID, tmp_path / "serial.jsonl", seed=SEED)
    out = tmp_path / "dask.jsonl"
    samples = ",".join(map(str, GRID["n_samples"]))
    argv = [
        "sweep",
        "haar-states",
        "--out",
        str(out),
        "--n-visible",
        "1",
        "--n-hidden",
        "10:11",
        "--param",
        f"n_samples={samples}",
        "--executor",
        "dask",
        "--scheduler",
        address,
        "--seed",
        str(SEED),
        "--no-progress",
    ]
    sweep = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from plateau_pl.cli import main; sys.exit(main(sys.argv[1:]))",
            *argv,
        ],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait(
        lambda: out.exists() and out.read_text().count("\n") >= 1, "a first record", procs=[sweep]
    )
    os.killpg(workers[0].pid, signal.SIGKILL)  # mid-sweep: points remain, some in flight
    assert out.read_text().count("\n") < 12
    stdout, stderr = sweep.communicate(timeout=300)
    assert sweep.returncode == 0, stderr
    assert "12 new points, 0 resumed, 0 failed" in stdout
    assert out.read_text().count("\n") == 12
    assert _strip(load_records(out)) == _strip(serial.records)
    assert workers[1].poll() is None  # the other worker carried the rest
