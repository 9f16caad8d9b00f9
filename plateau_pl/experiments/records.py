"""Writing records (one JSON object per line) without ever leaving a torn file.

>>> import json, pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "r.jsonl"
>>> write_records_atomic(path, [{"a": 1}, {"a": 2}])
>>> [json.loads(line)["a"] for line in path.read_text().splitlines()]
[1, 2]
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["write_records_atomic", "write_text_atomic"]


def write_text_atomic(path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and ``os.replace``.

    A crash leaves either the old file or the new one, never half of one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_records_atomic(path, records: Iterable[dict]) -> None:
    """Write ``records`` as JSON lines to ``path`` atomically (replacing the file)."""
    text = "".join(json.dumps(r, sort_keys=False) + "\n" for r in records)
    write_text_atomic(path, text)
