"""Records files: JSON conversion, point keys, loading with line numbers, crash-safe appends."""

import json
import os
import stat
from pathlib import Path

import numpy as np
import pytest

from plateau_pl import records
from plateau_pl.errors import PlateauError, PlateauTypeError, RecordsError
from plateau_pl.records import (
    append_record_atomic,
    canonical_json,
    load_records,
    point_key,
    remove_temp_files,
    to_jsonable,
    write_records_atomic,
    write_text_atomic,
)


def test_to_jsonable_converts_numpy_ranges_tuples_and_paths():
    value = {
        "i": np.int32(3),
        "f": np.float32(0.5),
        "b": np.bool_(True),
        "s": np.str_("x"),
        "a": np.arange(4).reshape(2, 2),
        "r": range(3),
        "t": (1, np.float64(2.5)),
        "p": Path("runs/x.jsonl"),
        "n": None,
        "nested": [{"z": np.zeros(2)}],
    }
    out = to_jsonable(value)
    assert out == {
        "i": 3,
        "f": 0.5,
        "b": True,
        "s": "x",
        "a": [[0, 1], [2, 3]],
        "r": [0, 1, 2],
        "t": [1, 2.5],
        "p": "runs/x.jsonl",
        "n": None,
        "nested": [{"z": [0.0, 0.0]}],
    }
    assert type(out["i"]) is int and type(out["f"]) is float and type(out["b"]) is bool
    assert type(out["s"]) is str
    assert json.loads(json.dumps(out)) == out


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (1 + 2j, r"cannot write \(1\+2j\) \(complex\) to a JSON record"),
        ({1, 2}, r"cannot write \{1, 2\} \(set\)"),
        (np.array([1j]), "cannot write 1j"),
        ({1: "a"}, r"record keys must be strings; got 1 \(int\)"),
    ],
)
def test_to_jsonable_rejects_what_json_cannot_hold(value, match):
    with pytest.raises(PlateauTypeError, match=match):
        to_jsonable(value)


def test_point_key_is_canonical():
    key = point_key("haar-states", {"n_visible": 1, "n_hidden": 2}, 0)
    assert key == '{"experiment":"haar-states","params":{"n_hidden":2,"n_visible":1},"seed":0}'
    same = [
        {"n_hidden": 2, "n_visible": 1},
        {"n_hidden": np.int64(2), "n_visible": np.int8(1)},
        {"n_hidden": 2.0, "n_visible": 1},
    ]
    assert {point_key("haar-states", p, 0) for p in same} == {key}
    assert point_key("x", {"d": 0.1 + 0.2}, 0) == point_key("x", {"d": 0.3}, 0)
    assert point_key("x", {"d": 0.3}, 0) != point_key("x", {"d": 0.31}, 0)
    assert point_key("haar-states", {"n_visible": 1, "n_hidden": 2}, 1) != key
    assert point_key("other", {"n_visible": 1, "n_hidden": 2}, 0) != key
    assert canonical_json({"b": [1.0, np.float64(2.5)], "a": None}) == '{"a":null,"b":[1,2.5]}'


def test_point_key_bad_arguments():
    with pytest.raises(PlateauTypeError, match="experiment_name must be a string; got 3"):
        point_key(3, {}, 0)
    with pytest.raises(PlateauTypeError, match="params must be a dict; got list"):
        point_key("x", [1], 0)


def test_load_records_ignores_blank_lines(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"a": 1}\n\n  \n{"a": 2}\r\n{"a": NaN}')
    recs = load_records(path)
    assert [r["a"] for r in recs[:2]] == [1, 2] and np.isnan(recs[2]["a"])


def test_load_records_names_file_and_line_of_a_corrupt_line(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": 1}\n{"a": 2}\n{"a": 3\n{"a": 4}\n')
    with pytest.raises(RecordsError, match=rf"^{path} line 3 is not valid JSON: Expecting"):
        load_records(path)
    path.write_text('{"a": 1}\n\n[1, 2]\n')
    with pytest.raises(RecordsError, match=r"x.jsonl line 3 is not a JSON object; got list"):
        load_records(path)
    assert issubclass(RecordsError, PlateauError)


def test_load_records_missing_file(tmp_path):
    assert load_records(tmp_path / "none.jsonl", missing_ok=True) == []
    with pytest.raises(FileNotFoundError):
        load_records(tmp_path / "none.jsonl")


def test_append_writes_in_place_and_keeps_permissions(tmp_path):
    path = tmp_path / "sub" / "a.jsonl"
    append_record_atomic(path, {"x": np.float64(1.5), "v": np.arange(2)})
    path.chmod(0o640)
    inode = path.stat().st_ino
    append_record_atomic(path, {"x": 2})
    assert path.read_text() == '{"x": 1.5, "v": [0, 1]}\n{"x": 2}\n'
    assert path.stat().st_ino == inode  # O(record): appended, not rewritten
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == [".a.jsonl.lock", "a.jsonl"]


def test_new_files_get_the_umask_mode(tmp_path):
    old = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "n.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "n.txt").stat().st_mode) == 0o644


def test_append_completes_a_last_line_without_newline(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"x": 1}')
    append_record_atomic(path, {"x": 2})
    assert load_records(path) == [{"x": 1}, {"x": 2}]


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "a.jsonl"
    write_records_atomic(path, [{"x": 1}])

    def crash(src, dst):
        raise OSError("disk gone")

    monkeypatch.setattr(records.os, "replace", crash)
    monkeypatch.setattr("plateau_pl._io.os.replace", crash)
    with pytest.raises(OSError, match="disk gone"):
        write_records_atomic(path, [{"x": 2}])
    assert path.read_text() == '{"x": 1}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == [".a.jsonl.lock", "a.jsonl"]


def test_append_rejects_non_dicts_and_bad_values_before_writing(tmp_path):
    path = tmp_path / "a.jsonl"
    with pytest.raises(PlateauTypeError, match="a record must be a dict; got list"):
        append_record_atomic(path, [1])
    with pytest.raises(PlateauTypeError, match="cannot write"):
        append_record_atomic(path, {"x": object()})
    assert not path.exists()


def test_remove_temp_files_only_removes_this_files_temporaries(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("")
    stale = [tmp_path / ".a.jsonl.k3j_9x2q.tmp", tmp_path / ".a.jsonl.abcdefgh.tmp"]
    kept = [tmp_path / ".a.jsonl.bak.abcdefgh.tmp", tmp_path / "a.jsonl.tmp", tmp_path / "b"]
    for p in stale + kept:
        p.write_text("{")
    assert remove_temp_files(path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in [path, *kept])
    assert remove_temp_files(tmp_path / "missing" / "x.jsonl") == 0
