"""Records: one JSON object per line, written so that a crash never leaves a torn line.

Every write goes through a temporary file in the same folder, ``fsync`` and ``os.replace``, so
the file on disk is always either the old text or the new one. Appending one record
(:func:`append_record_atomic`) therefore rewrites the whole file: O(file size) per record, which
for sweeps of up to a few thousand points costs milliseconds, and buys the guarantee that an
interrupted sweep leaves only complete lines (a plain ``open(..., "a")`` append can leave half a
line behind, which would then make the file unreadable). A crash in the middle of a write can
leave a stray ``.<name>.*.tmp`` file beside the records, never inside them;
:func:`remove_temp_files` clears those and :func:`~plateau_pl.experiments.sweep.run_sweep` calls
it before it starts. One writer per file: two processes appending to the same file at once
can lose each other's records.

Values are converted by :func:`to_jsonable` (numpy scalars and arrays, ranges and tuples become
python numbers and lists). Nothing is ever unpickled: records are plain JSON.

**Example**

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "r.jsonl"
>>> write_records_atomic(path, [{"a": 1}, {"a": 2}])
>>> append_record_atomic(path, {"a": np.int64(3), "x": np.arange(2)})
>>> load_records(path)
[{'a': 1}, {'a': 2}, {'a': 3, 'x': [0, 1]}]
"""

from __future__ import annotations

import json
import math
import numbers
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from plateau_pl._io import atomic_write
from plateau_pl.errors import PlateauTypeError, RecordsError

__all__ = [
    "append_record_atomic",
    "canonical_json",
    "load_records",
    "point_key",
    "remove_temp_files",
    "to_jsonable",
    "write_records_atomic",
    "write_text_atomic",
]

_KEY_DIGITS = 12  # significant digits of floats in point keys: 0.1 + 0.2 is the point 0.3


# ----------------------------------------------------------------------------- JSON values


def to_jsonable(obj):
    """``obj`` with numpy scalars/arrays, ranges, tuples and paths turned into JSON types.

    Args:
        obj: ``None``, a bool, number, string, path, numpy scalar or array, or a list, tuple,
            range or dict (string keys) of those.

    Returns:
        The same value built from ``dict``, ``list``, ``str``, ``int``, ``float``, ``bool`` and
        ``None`` only.

    Raises:
        PlateauTypeError: for anything else (complex numbers, sets, objects, non-string keys).

    **Example**

    >>> to_jsonable({"n": np.int64(2), "x": np.array([0.5, 1.0]), "r": range(2)})
    {'n': 2, 'x': [0.5, 1.0], 'r': [0, 1]}
    """
    if obj is None or isinstance(obj, (bool, str)):
        return str(obj) if isinstance(obj, str) else obj
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, numbers.Integral):
        return int(obj)
    if isinstance(obj, numbers.Real):
        return float(obj)
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, Mapping):
        return {_key(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, range)):
        return [to_jsonable(x) for x in obj]
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)
    raise PlateauTypeError(
        f"cannot write {obj!r} ({type(obj).__name__}) to a JSON record; expected numbers, "
        "strings, bools, None, numpy arrays, or lists/dicts of those"
    )


def _key(key) -> str:
    if not isinstance(key, str):
        raise PlateauTypeError(f"record keys must be strings; got {key!r} ({type(key).__name__})")
    return str(key)


def _normalised(obj):
    """Floats rounded to ``_KEY_DIGITS`` digits, integral floats as ints, recursively."""
    if isinstance(obj, float):
        if not math.isfinite(obj):
            return obj
        if obj.is_integer() and abs(obj) < 2**53:
            return int(obj)
        return float(f"{obj:.{_KEY_DIGITS}g}")
    if isinstance(obj, dict):
        return {k: _normalised(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_normalised(x) for x in obj]
    return obj


def canonical_json(obj) -> str:
    """The canonical JSON text of ``obj``: sorted keys, no spaces, floats normalised.

    Floats are rounded to 12 significant digits and integral floats written as integers, so
    ``1.0`` and ``1``, or ``0.1 + 0.2`` and ``0.3``, give the same text.

    **Example**

    >>> canonical_json({"b": 1.0, "a": [np.float64(0.1) + 0.2]})
    '{"a":[0.3],"b":1}'
    """
    return json.dumps(_normalised(to_jsonable(obj)), sort_keys=True, separators=(",", ":"))


def point_key(experiment_name: str, params: Mapping, seed: int) -> str:
    """The identity of a sweep point: canonical JSON of its experiment, parameters and seed.

    It does not depend on the order of ``params`` or on the point's position in a grid; a
    changed parameter or sweep seed is a different key. Resuming a sweep skips the points whose
    key is already in the output file.

    Args:
        experiment_name: the experiment's recorded name.
        params: the point's parameters.
        seed: the sweep seed.

    Returns:
        str: a JSON object with the keys ``experiment``, ``params`` and ``seed``.

    **Example**

    >>> point_key("haar-states", {"n_hidden": 2, "n_visible": np.int64(1)}, 0)
    '{"experiment":"haar-states","params":{"n_hidden":2,"n_visible":1},"seed":0}'
    >>> point_key("haar-states", {"n_visible": 1, "n_hidden": 2.0}, 0) == _
    True
    """
    if not isinstance(experiment_name, str):
        raise PlateauTypeError(f"experiment_name must be a string; got {experiment_name!r}")
    if not isinstance(params, Mapping):
        raise PlateauTypeError(f"params must be a dict; got {type(params).__name__}")
    return canonical_json({"experiment": experiment_name, "params": params, "seed": seed})


# ----------------------------------------------------------------------------- reading


def load_records(path, missing_ok: bool = False) -> list[dict]:
    """Read a JSON-lines records file.

    Args:
        path: the file.
        missing_ok: return ``[]`` for a missing file instead of raising ``FileNotFoundError``.

    Returns:
        list[dict]: the records in file order; blank lines are ignored.

    Raises:
        RecordsError: a line is not valid JSON or not a JSON object; the message names the file
            and the 1-based line number.
        FileNotFoundError: ``path`` does not exist and ``missing_ok`` is false.

    **Example**

    >>> load_records("no/such/file.jsonl", missing_ok=True)
    []
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if missing_ok:
            return []
        raise
    records = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            records.append(_parse_line(line, path, number))
    return records


def _parse_line(line: str, path: Path, number: int) -> dict:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordsError(f"{path} line {number} is not valid JSON: {exc}") from None
    if not isinstance(record, dict):
        raise RecordsError(
            f"{path} line {number} is not a JSON object; got {type(record).__name__}"
        )
    return record


# ----------------------------------------------------------------------------- writing


def write_text_atomic(path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (see :func:`plateau_pl._io.atomic_write`)."""
    with atomic_write(path) as fh:
        fh.write(text)


def _line(record) -> str:
    if not isinstance(record, Mapping):
        raise PlateauTypeError(f"a record must be a dict; got {type(record).__name__}")
    return json.dumps(to_jsonable(record)) + "\n"


def write_records_atomic(path, records: Iterable[dict]) -> None:
    """Write ``records`` as JSON lines to ``path`` atomically (replacing the file)."""
    write_text_atomic(path, "".join(_line(r) for r in records))


def append_record_atomic(path, record: Mapping) -> None:
    """Append one record to a JSON-lines file without ever leaving a torn line.

    Reads the current text, adds the line and replaces the file through
    :func:`write_text_atomic` (O(file) per record; see the module docstring for why).

    Args:
        path: the records file (created with its folder if missing).
        record: a dict of JSON-able values (see :func:`to_jsonable`).

    **Example**

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.jsonl"
    >>> append_record_atomic(path, {"x": 1}); append_record_atomic(path, {"x": 2})
    >>> path.read_text()
    '{"x": 1}\\n{"x": 2}\\n'
    """
    line = _line(record)
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    if text and not text.endswith("\n"):
        text += "\n"
    write_text_atomic(path, text + line)


def remove_temp_files(path) -> int:
    """Delete the temporary files a crashed write to ``path`` left beside it.

    Returns:
        int: how many were removed.
    """
    path = Path(path)
    prefix = f".{path.name}."
    removed = 0
    if path.parent.is_dir():
        for entry in path.parent.iterdir():
            if _is_temp_of(entry.name, prefix) and entry.is_file():
                entry.unlink(missing_ok=True)
                removed += 1
    return removed


def _is_temp_of(name: str, prefix: str) -> bool:
    """``name`` is ``prefix`` + mkstemp's random part + ``.tmp`` (not another file's temp)."""
    middle = name[len(prefix) : -len(".tmp")]
    return name.startswith(prefix) and name.endswith(".tmp") and "." not in middle and middle != ""
