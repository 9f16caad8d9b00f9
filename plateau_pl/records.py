"""Records: one strict-JSON object per line, appended under a file lock; nothing is ever lost.

**Appends** (:func:`append_record_atomic`) take an exclusive lock on a side file
(``.<name>.lock``, through the ``filelock`` library) and add the line with one ``write`` on a
file opened ``O_APPEND``, then ``fsync``: O(record) per append, and two writers (threads or
processes on one machine) never interleave or overwrite each other. A sweep's writer also keeps
a :class:`RecordLog` of the point keys in the file, read incrementally (only the bytes added
since it last looked): a record whose point is already there — another writer ran the same grid
at the same time — is skipped, so every point lands exactly once.

**Torn lines.** A crash or a full disk during an append can leave a final line without its
newline. The next writer (or :func:`repair_torn_tail`) moves that fragment to
``<name>.torn-<UTC time>`` beside the file, warns (:class:`TornLineWarning`) and cuts it off,
so resuming needs no hand edits; a fragment that is a complete JSON object only lacked its
newline and is kept. :func:`load_records` skips a torn final line with the same warning (a
reader never modifies the file); a bad line anywhere else is an error naming the line.

**Read-only targets** are respected: a records file without write permission is refused
(:class:`~plateau_pl.errors.RecordsError`) instead of being replaced, and
:func:`write_text_atomic` never replaces a read-only file.

**Strict JSON.** Records are written with ``allow_nan=False``: a NaN or infinity becomes
``null`` and the record gains ``"non_finite": {"<field path>": "nan" | "inf" | "-inf"}``,
the reason it is null. The reader is bounded: a line longer than :data:`MAX_LINE_BYTES`,
nested deeper than Python's parser can go, or with an integer of thousands of digits is a
:class:`~plateau_pl.errors.RecordsError`, never a crash; lines are read one at a time.

Locks are advisory and local (``flock``): writers on one machine, or on a file system that
implements ``flock`` across machines, cooperate; Dask and process workers never write — the
sweep's main process does. Values are converted by :func:`to_jsonable`; nothing is unpickled.

**Example**

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "r.jsonl"
>>> write_records_atomic(path, [{"a": 1}, {"a": 2}])
>>> append_record_atomic(path, {"a": np.int64(3), "x": np.arange(2)})
>>> append_record_atomic(path, {"a": 4, "v": float("nan")})
>>> load_records(path)[2:]
[{'a': 3, 'x': [0, 1]}, {'a': 4, 'v': None, 'non_finite': {'v': 'nan'}}]
"""

from __future__ import annotations

import json
import math
import numbers
import os
import reprlib
import threading
import warnings
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from filelock import FileLock, Timeout

from plateau_pl._io import atomic_write
from plateau_pl._validation import check_file_path
from plateau_pl.errors import PlateauError, PlateauTypeError, RecordsError

__all__ = [
    "LOCK_TIMEOUT_S",
    "MAX_LINE_BYTES",
    "RecordLog",
    "TornLineWarning",
    "append_record_atomic",
    "canonical_json",
    "check_path",
    "check_writable",
    "load_records",
    "point_key",
    "records_lock",
    "remove_temp_files",
    "repair_torn_tail",
    "to_jsonable",
    "write_records_atomic",
    "write_text_atomic",
]

MAX_LINE_BYTES = 64 * 2**20
"""The longest line :func:`load_records` reads (64 MiB); a longer one is refused."""
LOCK_TIMEOUT_S = 120.0
"""How long a writer waits for another writer's lock before it gives up with a clear error."""
MAX_DEPTH = 64
"""The deepest nesting of lists and dicts a record may have."""
NON_FINITE_KEY = "non_finite"
"""The record field that says which values were written as ``null`` and what they were."""

_KEY_DIGITS = 12  # significant digits of floats in point keys: 0.1 + 0.2 is the point 0.3


# ----------------------------------------------------------------------------- JSON values


def to_jsonable(obj, _depth: int = 0):
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
    if _depth > MAX_DEPTH:
        raise PlateauTypeError(
            f"cannot write a value nested deeper than {MAX_DEPTH} levels to a JSON record (or "
            "one that contains itself)"
        )
    if obj is None or isinstance(obj, (bool, str)):
        return str(obj) if isinstance(obj, str) else obj
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, numbers.Integral):
        return int(obj)
    if isinstance(obj, numbers.Real):
        return float(obj)
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist(), _depth + obj.ndim - 1)
    if isinstance(obj, Mapping):
        return {_key(k): to_jsonable(v, _depth + 1) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, range)):
        return [to_jsonable(x, _depth + 1) for x in obj]
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
    value = _normalised(to_jsonable(obj))
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except ValueError:
        raise PlateauError(
            "a point's identity must hold finite numbers only; got NaN or infinity in "
            f"{reprlib.repr(value)}"
        ) from None


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


# ----------------------------------------------------------------------------- paths


def check_path(path, name: str = "path") -> Path:
    """``path`` as a :class:`~pathlib.Path` if it can name a records file; refuse it otherwise
    (:func:`plateau_pl._validation.check_file_path`: a string or path, not empty, no NUL, not a
    folder, not inside a file).

    **Example**

    >>> check_path("runs/r.jsonl")
    PosixPath('runs/r.jsonl')
    """
    return check_file_path(path, name)


# ----------------------------------------------------------------------------- reading


class TornLineWarning(UserWarning):
    """A records file ended in a torn line (a crash during an append); it was set aside."""


def load_records(path, missing_ok: bool = False) -> list[dict]:
    """Read a JSON-lines records file, one bounded line at a time.

    Args:
        path: the file.
        missing_ok: return ``[]`` for a missing file instead of raising ``FileNotFoundError``.

    Returns:
        list[dict]: the records in file order; blank lines are ignored, and a torn final line
        (no newline, not a JSON object) is skipped with a :class:`TornLineWarning`.

    Raises:
        RecordsError: a line is not valid JSON or not a JSON object, is longer than
            :data:`MAX_LINE_BYTES` or nested too deeply; the message names the file and the
            1-based line number.
        FileNotFoundError: ``path`` does not exist and ``missing_ok`` is false.

    **Example**

    >>> load_records("no/such/file.jsonl", missing_ok=True)
    []
    """
    path = check_path(path)
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        if missing_ok:
            return []
        raise
    with fh:
        return [record for record, _ in _read_lines(fh, path, first_line=1)]


def _read_lines(fh, path: Path, first_line: int, torn_ok: bool = True):
    """Yield ``(record, end offset)`` for each complete line of ``fh`` from where it stands.

    A final fragment without a newline is a torn line: skipped with a warning (``torn_ok``),
    or left for the caller (the offset stops before it).
    """
    number = first_line - 1
    offset = fh.tell()
    while True:
        raw = fh.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            raise RecordsError(f"{path} line {number} is longer than {MAX_LINE_BYTES} bytes")
        if not raw.endswith(b"\n"):  # the last line, without its newline
            record = _try_parse(raw)
            if record is not None:
                yield record, offset + len(raw)
            elif raw.strip() and torn_ok:
                _warn_torn(path, number, raw, set_aside=None)
            return
        offset += len(raw)
        if raw.strip():
            yield _parse_line(raw, path, number), offset


def _try_parse(raw: bytes) -> dict | None:
    try:
        record = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return record if isinstance(record, dict) else None


def _parse_line(line, path: Path, number: int) -> dict:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordsError(f"{path} line {number} is not valid JSON: {exc}") from None
    except UnicodeDecodeError as exc:
        raise RecordsError(f"{path} line {number} is not UTF-8 text: {exc}") from None
    except RecursionError:
        raise RecordsError(f"{path} line {number} is nested too deeply to be a record") from None
    except ValueError as exc:  # e.g. an integer beyond Python's digit limit
        raise RecordsError(f"{path} line {number} cannot be read: {exc}") from None
    if not isinstance(record, dict):
        raise RecordsError(
            f"{path} line {number} is not a JSON object; got {type(record).__name__}"
        )
    return record


def _warn_torn(path: Path, number: int, raw: bytes, set_aside: Path | None) -> None:
    where = f"moved to {set_aside}" if set_aside else "skipped (the file is left as it is)"
    warnings.warn(
        f"{path} line {number} is torn ({len(raw)} bytes without a newline, not a record: a "
        f"write was interrupted); {where}",
        TornLineWarning,
        stacklevel=4,
    )


class RecordLog:
    """The point keys of a records file, read incrementally (only what was added since).

    A sweep's writer holds one: :meth:`refresh` reads the complete lines added since the last
    call (by this process or any other writer), so checking "is this point already there?"
    costs O(new records), not O(file). If the file was replaced by a shorter one it is read
    again from the start.

    **Example**

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "k.jsonl"
    >>> log = RecordLog(path)
    >>> append_record_atomic(path, {"point_key": "a"})
    >>> "a" in log.refresh()
    True
    """

    def __init__(self, path):
        self.path = Path(path)
        self.keys: set = set()
        self._offset = 0
        self._lines = 0

    def refresh(self) -> set:
        """Read what was appended since the last call; return the set of point keys."""
        try:
            fh = open(self.path, "rb")
        except FileNotFoundError:
            return self.keys
        with fh:
            if os.fstat(fh.fileno()).st_size < self._offset:  # replaced: start again
                self.keys, self._offset, self._lines = set(), 0, 0
            fh.seek(self._offset)
            for record, end in _read_lines(fh, self.path, self._lines + 1, torn_ok=False):
                self.keys.add(record.get("point_key"))
                self._offset = end
                self._lines += 1
        return self.keys


# ----------------------------------------------------------------------------- writing


def records_lock(path) -> _Lock:
    """The exclusive lock writers of ``path`` share: the file ``.<name>.lock`` beside it.

    A context manager around a ``filelock.FileLock``: use it around anything that must see
    the file unchanged by other writers (:func:`append_record_atomic` takes it itself). One
    lock object per file and process, re-entrant within a thread, so a holder may append;
    other threads and processes wait up to :data:`LOCK_TIMEOUT_S`.
    """
    path = check_path(path).absolute()
    lock_file = str(path.parent / f".{path.name}.lock")
    with _LOCKS_GUARD:
        lock = _LOCKS.get(lock_file)
        if lock is None:
            lock = _LOCKS[lock_file] = _Lock(lock_file, path)
    return lock


_LOCKS: dict[str, _Lock] = {}
_LOCKS_GUARD = threading.Lock()


class _Lock:
    """A :class:`filelock.FileLock` whose timeout and permission errors name the records."""

    def __init__(self, lock_file: str, path: Path):
        self.lock_file = lock_file
        self._lock = FileLock(lock_file)
        self._records_path = path

    def __enter__(self):
        self._records_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(timeout=LOCK_TIMEOUT_S)
        except Timeout:
            raise RecordsError(
                f"another writer has held the lock of {self._records_path} for more than "
                f"{LOCK_TIMEOUT_S:g} s; if no other sweep writes there, delete {self.lock_file}"
            ) from None
        except PermissionError:
            raise RecordsError(
                f"cannot write to {self._records_path}: its folder is read-only (the lock "
                f"{self.lock_file} cannot be created); choose another output path"
            ) from None
        return self

    def __exit__(self, *exc) -> None:
        self._lock.release()


def check_writable(path) -> Path:
    """Refuse a records file, or a folder for it, that is read-only.

    Read-only means without write permission for this process, or with no write bit set at all
    (``chmod a-w``), which is respected even by a process that could override it (root).

    Raises:
        RecordsError: ``path`` exists and is read-only, or the folder it would be created in is.
    """
    path = check_path(path)
    if path.exists() and _read_only(path):
        raise RecordsError(
            f"{path} is read-only; plateau_pl does not replace it (make it writable, or choose "
            "another output file)"
        )
    folder = next((p for p in path.parents if p.exists()), Path("."))
    if _read_only(folder):
        raise RecordsError(f"cannot write {path}: the folder {folder} is read-only")
    return path


def _read_only(path: Path) -> bool:
    return not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222


def write_text_atomic(path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (see :func:`plateau_pl._io.atomic_write`).

    A read-only ``path`` is refused (:class:`~plateau_pl.errors.RecordsError`), not replaced.
    """
    path = check_writable(path)
    if not isinstance(text, str):
        raise PlateauTypeError(f"text must be a string; got {type(text).__name__}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise PlateauError(
            f"text is not valid Unicode (it cannot be written as UTF-8): {exc}"
        ) from None
    with atomic_write(path) as fh:
        fh.write(text)


def _line(record) -> str:
    if not isinstance(record, Mapping):
        raise PlateauTypeError(f"a record must be a dict; got {type(record).__name__}")
    value = to_jsonable(record)
    reasons: dict[str, str] = {}
    value = _nulled(value, "", reasons)
    if reasons:
        value[NON_FINITE_KEY] = {**value.get(NON_FINITE_KEY, {}), **reasons}
    return json.dumps(value, allow_nan=False) + "\n"


def _nulled(obj, where: str, reasons: dict):
    """``obj`` with every NaN or infinity replaced by ``None``; ``reasons[path] = "nan"``…"""
    if isinstance(obj, float) and not math.isfinite(obj):
        reasons[where or "."] = "nan" if math.isnan(obj) else ("inf" if obj > 0 else "-inf")
        return None
    if isinstance(obj, dict):
        return {k: _nulled(v, f"{where}.{k}" if where else k, reasons) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_nulled(v, f"{where}[{i}]", reasons) for i, v in enumerate(obj)]
    return obj


def write_records_atomic(path, records: Iterable[dict]) -> None:
    """Write ``records`` as JSON lines to ``path`` atomically, replacing the file, under its
    lock (so no concurrent append is lost between the old file and the new one)."""
    path = check_writable(path)
    if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Iterable):
        raise PlateauTypeError(f"records must be a list of dicts; got {type(records).__name__}")
    text = "".join(_line(r) for r in records)
    with records_lock(path):
        write_text_atomic(path, text)


def append_record_atomic(path, record: Mapping) -> None:
    """Append one record to a JSON-lines file: one locked ``O_APPEND`` write, O(record).

    A torn final line left by an earlier crash is set aside first (see
    :func:`repair_torn_tail`). Other writers of the same file wait for the lock.

    Args:
        path: the records file (created with its folder if missing).
        record: a dict of JSON-able values (see :func:`to_jsonable`); NaN and infinities are
            written as ``null`` with a ``"non_finite"`` field saying what they were.

    Raises:
        RecordsError: ``path`` (or its folder) is read-only, or the lock is held too long.

    **Example**

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.jsonl"
    >>> append_record_atomic(path, {"x": 1}); append_record_atomic(path, {"x": 2})
    >>> path.read_text()
    '{"x": 1}\\n{"x": 2}\\n'
    """
    data = _line(record).encode("utf-8")
    path = check_writable(path)
    with records_lock(path):
        repair_torn_tail(path)
        _append_bytes(path, data)


def _append_bytes(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def repair_torn_tail(path) -> Path | None:
    """Set aside a torn final line of ``path``: call it while holding :func:`records_lock`.

    A final fragment without a newline that is a JSON object only lost its newline, which is
    added. Anything else is copied to ``<name>.torn-<UTC time>`` beside the file (nothing is
    deleted), cut off the records with one ``truncate``, and reported with a
    :class:`TornLineWarning`.

    Returns:
        Path | None: the side file, or ``None`` if the file ended cleanly.
    """
    path = Path(path)
    try:
        fh = open(path, "rb+")
    except FileNotFoundError:
        return None
    with fh:
        size = fh.seek(0, os.SEEK_END)
        if size == 0 or _last_byte(fh, size) == b"\n":
            return None
        start = _start_of_last_line(fh, size)
        fh.seek(start)
        fragment = fh.read()
        if _try_parse(fragment) is not None:
            fh.seek(0, os.SEEK_END)
            fh.write(b"\n")
            fh.flush()
            os.fsync(fh.fileno())
            return None
        side = _side_file(path)
        with atomic_write(side, binary=True) as out:
            out.write(fragment)
        fh.truncate(start)
        fh.flush()
        os.fsync(fh.fileno())
    _warn_torn(path, _count_lines(path) + 1, fragment, set_aside=side)
    return side


def _last_byte(fh, size: int) -> bytes:
    fh.seek(size - 1)
    return fh.read(1)


def _start_of_last_line(fh, size: int, block: int = 1 << 16) -> int:
    """Offset just after the last newline of the file (0 if there is none)."""
    end = size
    while end > 0:
        begin = max(0, end - block)
        fh.seek(begin)
        chunk = fh.read(end - begin)
        cut = chunk.rfind(b"\n")
        if cut >= 0:
            return begin + cut + 1
        end = begin
    return 0


def _count_lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))


def _side_file(path: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    return path.with_name(f"{path.name}.torn-{stamp}")


def remove_temp_files(path) -> int:
    """Delete the temporary files a crashed write to ``path`` left beside it.

    Returns:
        int: how many were removed.
    """
    path = check_path(path)
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
