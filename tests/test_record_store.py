"""The record store under stress: concurrent writers, torn lines, hostile files, read-only targets.

Writers are real processes (``python -c``) appending to one file at the same time; each trial
checks that every record is there exactly once.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plateau_pl import records
from plateau_pl.errors import PlateauError, PlateauTypeError, RecordsError
from plateau_pl.experiments.sweep import run_sweep
from plateau_pl.records import (
    RecordLog,
    TornLineWarning,
    append_record_atomic,
    canonical_json,
    load_records,
    repair_torn_tail,
    write_records_atomic,
    write_text_atomic,
)

ENV = {**os.environ, "OMP_NUM_THREADS": "1"}


def _start(script: str, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(procs) -> list[str]:
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        outputs.append(out + err)
    return outputs


# ----------------------------------------------------------------------------- many writers

APPENDER = (
    "import sys\n"
    "from plateau_pl.records import append_record_atomic\n"
    "w, n = int(sys.argv[2]), int(sys.argv[3])\n"
    "for i in range(n):\n"
    "    append_record_atomic(sys.argv[1], {'writer': w, 'i': i, 'pad': 'x' * (97 * i % 5000)})\n"
)


@pytest.mark.parametrize("n_writers", [2, 4])
def test_concurrent_appenders_lose_nothing(tmp_path, n_writers):
    out = tmp_path / "a.jsonl"
    n = 150
    _finish([_start(APPENDER, out, w, n) for w in range(n_writers)])
    lines = out.read_text().splitlines()
    got = sorted((r["writer"], r["i"]) for r in map(json.loads, lines))
    assert got == [(w, i) for w in range(n_writers) for i in range(n)]


SWEEPER = (
    "import sys, json\n"
    "from plateau_pl.experiments.sweep import run_sweep\n"
    "grid = json.loads(sys.argv[2])\n"
    "r = run_sweep('haar-states', grid, sys.argv[1], seed=5, progress=False,\n"
    "              executor=sys.argv[3])\n"
    "print('written', len(r.records), 'skipped', r.skipped, 'concurrent', r.concurrent)\n"
)
GRID_A = {"n_visible": 1, "n_hidden": [0, 1, 2], "n_samples": [2, 3, 4, 5, 6, 7, 8, 9]}
GRID_B = {"n_visible": 2, "n_hidden": [0, 1, 2], "n_samples": [2, 3, 4, 5, 6, 7, 8, 9]}


def _keys(path: Path) -> list[str]:
    return [json.loads(line)["point_key"] for line in path.read_text().splitlines()]


def _expected_keys(tmp_path: Path, *grids) -> set[str]:
    keys = set()
    for i, grid in enumerate(grids):
        ref = tmp_path / f"ref{i}.jsonl"
        keys |= {r["point_key"] for r in run_sweep("haar-states", grid, ref, seed=5).records}
    return keys


@pytest.mark.parametrize(
    ("grids", "executor"),
    [
        ((GRID_A, GRID_A), "serial"),
        ((GRID_A, GRID_B), "serial"),
        ((GRID_A, GRID_A, GRID_B, GRID_B), "serial"),
        ((GRID_A, GRID_A), "process"),
    ],
    ids=["2-same", "2-different", "4-mixed", "2-same-process"],
)
def test_concurrent_sweeps_write_every_point_exactly_once(tmp_path, grids, executor):
    unique = {json.dumps(g, sort_keys=True): g for g in grids}.values()
    expected = _expected_keys(tmp_path, *unique)
    for trial in range(2):
        out = tmp_path / f"shared{trial}.jsonl"
        procs = [_start(SWEEPER, out, json.dumps(g), executor) for g in grids]
        reports = _finish(procs)
        keys = _keys(out)
        assert len(keys) == len(set(keys)), f"duplicates in trial {trial}: {reports}"
        assert set(keys) == expected, f"records lost in trial {trial}: {reports}"
        assert records.load_records(out)  # strict JSON lines, readable


# ----------------------------------------------------------------------------- torn lines

HAAR = {"n_visible": 1, "n_hidden": [0, 1, 2, 3], "n_samples": 6}


def test_a_torn_last_line_is_set_aside_and_the_sweep_resumes(tmp_path):
    reference = run_sweep("haar-states", HAAR, tmp_path / "ref.jsonl", seed=1).records
    out = tmp_path / "r.jsonl"
    run_sweep("haar-states", {**HAAR, "n_hidden": [0, 1]}, out, seed=1)
    full = out.read_bytes()
    third = json.dumps({**reference[2], "wall_s": 0.0}).encode()
    out.write_bytes(full + third[: len(third) // 2])  # a crash half-way through an append
    with pytest.warns(TornLineWarning, match=r"r.jsonl line 3 is torn .* moved to .*torn-"):
        res = run_sweep("haar-states", HAAR, out, seed=1)
    assert res.skipped == 2 and len(res.records) == 2
    strip = lambda rs: [{k: v for k, v in r.items() if k not in ("wall_s", "created")} for r in rs]  # noqa: E731
    assert strip(load_records(out)) == strip(reference)
    (side,) = tmp_path.glob("r.jsonl.torn-*")
    assert side.read_bytes() == third[: len(third) // 2]  # nothing deleted


def test_a_last_line_that_only_lost_its_newline_is_kept(tmp_path):
    out = tmp_path / "r.jsonl"
    out.write_text('{"x": 1}\n{"x": 2}')
    assert repair_torn_tail(out) is None
    assert out.read_text() == '{"x": 1}\n{"x": 2}\n'
    assert not list(tmp_path.glob("*.torn-*"))


def test_the_reader_skips_a_torn_last_line_without_touching_the_file(tmp_path):
    out = tmp_path / "r.jsonl"
    out.write_text('{"x": 1}\n{"x": 2, "y"')
    with pytest.warns(TornLineWarning, match="line 2 is torn"):
        assert load_records(out) == [{"x": 1}]
    assert out.read_text() == '{"x": 1}\n{"x": 2, "y"'


def test_a_bad_line_in_the_middle_is_still_an_error(tmp_path):
    out = tmp_path / "r.jsonl"
    out.write_text('{"x": 1}\n{"x": \n{"x": 3}\n')
    with pytest.raises(RecordsError, match="line 2 is not valid JSON"):
        load_records(out)
    with pytest.raises(RecordsError, match="line 2 is not valid JSON"):
        run_sweep("haar-states", HAAR, out)


def test_an_append_after_a_torn_line_sets_it_aside_first(tmp_path):
    out = tmp_path / "r.jsonl"
    out.write_text('{"x": 1}\n{"x": 2, "y')
    with pytest.warns(TornLineWarning):
        append_record_atomic(out, {"x": 3})
    assert load_records(out) == [{"x": 1}, {"x": 3}]


# ----------------------------------------------------------------------------- strict JSON


def test_non_finite_values_are_written_as_null_with_the_reason(tmp_path):
    out = tmp_path / "r.jsonl"
    append_record_atomic(out, {"a": float("nan"), "b": [1.0, float("inf")], "c": {"d": -1e999}})
    text = out.read_text()
    assert "NaN" not in text and "Infinity" not in text
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON {c}"))
    assert load_records(out) == [
        {
            "a": None,
            "b": [1.0, None],
            "c": {"d": None},
            "non_finite": {"a": "nan", "b[1]": "inf", "c.d": "-inf"},
        }
    ]


def test_point_identities_refuse_non_finite_numbers():
    with pytest.raises(PlateauError, match="finite numbers only"):
        canonical_json({"beta": float("nan")})


# ----------------------------------------------------------------------------- hostile files


@pytest.mark.parametrize(
    ("line", "match"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"x": ' + "9" * 10_000 + "}", "cannot be read: Exceeds the limit"),
        ("\udcff", "not UTF-8|not valid JSON"),
    ],
    ids=["deep", "huge-int", "binary"],
)
def test_the_reader_is_bounded_against_hostile_lines(tmp_path, line, match):
    out = tmp_path / "r.jsonl"
    out.write_bytes(b'{"ok": 1}\n' + line.encode("utf-8", "surrogateescape") + b"\n")
    with pytest.raises(RecordsError, match=match):
        load_records(out)


def test_the_reader_refuses_a_line_longer_than_its_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(records, "MAX_LINE_BYTES", 64)
    out = tmp_path / "r.jsonl"
    out.write_text('{"ok": 1}\n{"x": "' + "a" * 100 + '"}\n')
    with pytest.raises(RecordsError, match="line 2 is longer than 64 bytes"):
        load_records(out)


def test_the_record_log_reads_only_what_was_added(tmp_path):
    out = tmp_path / "r.jsonl"
    log = RecordLog(out)
    assert log.refresh() == set()
    write_records_atomic(out, [{"point_key": "a"}, {"point_key": "b"}])
    assert log.refresh() == {"a", "b"}
    offset = log._offset
    append_record_atomic(out, {"point_key": "c"})
    assert log.refresh() == {"a", "b", "c"} and log._offset > offset
    write_records_atomic(out, [{"point_key": "z"}])  # replaced by a shorter file
    assert log.refresh() == {"z"}


# ----------------------------------------------------------------------------- read-only


def test_a_read_only_records_file_is_refused_not_replaced(tmp_path):
    out = tmp_path / "r.jsonl"
    out.write_text('{"x": 1}\n')
    out.chmod(0o444)
    with pytest.raises(RecordsError, match=r"r\.jsonl is read-only; plateau_pl does not replace"):
        run_sweep("haar-states", HAAR, out)
    with pytest.raises(RecordsError, match="is read-only"):
        append_record_atomic(out, {"x": 2})
    with pytest.raises(RecordsError, match="is read-only"):
        write_text_atomic(out, "")
    assert out.read_text() == '{"x": 1}\n'


def test_a_read_only_folder_is_refused_before_any_work(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(RecordsError, match=r"the folder .*ro is read-only"):
            run_sweep("haar-states", HAAR, folder / "r.jsonl")
    finally:
        folder.chmod(0o755)
    assert not list(folder.iterdir())


# ----------------------------------------------------------------------------- pool workers


def _children(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        kids += [int(p) for p in (task / "children").read_text().split()]
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_pool_workers_end_when_their_parent_is_killed(tmp_path):
    grid = {"n_visible": 1, "n_hidden": 11, "n_samples": [400, 401, 402, 403, 404, 405]}
    script, args = SWEEPER, (tmp_path / "p.jsonl", json.dumps(grid), "process")
    # no pipes: orphaned workers holding them would block this test instead of failing it
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    workers = []
    while len(workers) < 2:
        assert time.monotonic() < deadline, "the pool did not start"
        workers = [p for p in _children(proc.pid) if _is_spawned_worker(p)]
        time.sleep(0.05)
    time.sleep(1.0)  # the workers are inside a point
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    try:
        while any(_alive(p) for p in workers):
            assert time.monotonic() < deadline, "pool workers outlived their parent"
            time.sleep(0.05)
    finally:
        for pid in filter(_alive, workers):
            os.kill(pid, signal.SIGKILL)


def _is_spawned_worker(pid: int) -> bool:
    try:
        return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return False


# ----------------------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(
    ("path", "error", "match"),
    [
        (3, PlateauTypeError, "path must be a file path; got int"),
        ("", PlateauError, "path must name a file, not a folder; got ''"),
        ("a\x00b.jsonl", PlateauError, "must be a file path without NUL characters"),
    ],
)
def test_record_paths_are_checked(path, error, match):
    calls = (
        lambda: load_records(path),
        lambda: append_record_atomic(path, {"x": 1}),
        lambda: write_records_atomic(path, []),
        lambda: write_text_atomic(path, ""),
    )
    for call in calls:
        with pytest.raises(error, match=match):
            call()


def test_a_folder_or_a_path_inside_a_file_is_not_a_records_file(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(PlateauError, match="must name a file, not a folder"):
        load_records(tmp_path)
    with pytest.raises(PlateauError, match="which is not a directory"):
        append_record_atomic(tmp_path / "f" / "r.jsonl", {"x": 1})


def test_values_nested_too_deeply_or_containing_themselves_are_refused(tmp_path):
    deep = []
    for _ in range(5000):
        deep = [deep]
    loop = []
    loop.append(loop)
    for value in (deep, loop):
        with pytest.raises(PlateauTypeError, match="nested deeper than 64 levels"):
            canonical_json({"a": value})
        with pytest.raises(PlateauTypeError, match="nested deeper than 64 levels"):
            append_record_atomic(tmp_path / "r.jsonl", {"a": value})
    assert not (tmp_path / "r.jsonl").exists()


def test_text_and_records_must_be_what_they_say(tmp_path):
    with pytest.raises(PlateauTypeError, match="text must be a string; got NoneType"):
        write_text_atomic(tmp_path / "t.txt", None)
    with pytest.raises(PlateauError, match="cannot be written as UTF-8"):
        write_text_atomic(tmp_path / "t.txt", "\ud800")
    with pytest.raises(PlateauTypeError, match="records must be a list of dicts; got int"):
        write_records_atomic(tmp_path / "r.jsonl", 3)
    assert not (tmp_path / "t.txt").exists() and not (tmp_path / "r.jsonl").exists()
