"""The record store: concurrent sweeps into one file, and the cost of an append against file size.

Run with ``OMP_NUM_THREADS=1 python benchmarks/record_store.py [TRIALS]``. Prints two tables:

1. per trial, three ``plateau-pl sweep`` processes writing into one file at once (two of the same
   36-point grid, one of another): records expected, written, lost and duplicated;
2. the mean time of one ``append_record_atomic`` into a file already holding N records, and its
   ratio to the empty file's (flat: an append is O(record)).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from plateau_pl.records import append_record_atomic

GRID = ["--n-hidden", "0:5", "--param", "n_samples=2:7", "--no-progress"]
SWEEPS = (["--n-visible", "1"], ["--n-visible", "1"], ["--n-visible", "2"])
EXPECTED = 72  # two distinct 36-point grids


def _sweep(out: Path, visible: list[str]) -> subprocess.Popen:
    cmd = [
        sys.executable,
        "-c",
        "import sys; from plateau_pl.cli import main; sys.exit(main(sys.argv[1:]))",
        "sweep",
        "haar-states",
        "--out",
        str(out),
        *visible,
        *GRID,
    ]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def concurrent_trial(folder: Path) -> tuple[int, int]:
    """``(written, distinct)`` point keys after three concurrent sweeps into one file."""
    out = folder / "r.jsonl"
    procs = [_sweep(out, visible) for visible in SWEEPS]
    for proc in procs:
        if proc.wait() != 0:
            raise RuntimeError(f"a sweep failed: {proc.args}")
    keys = [json.loads(line)["point_key"] for line in out.read_text().splitlines()]
    return len(keys), len(set(keys))


def append_seconds(path: Path, n: int = 200) -> float:
    """Mean seconds of one append of a typical record to ``path``."""
    record = {"experiment": "x", "n_hidden": 3, "values": list(range(50)), "note": "y" * 200}
    start = time.perf_counter()
    for _ in range(n):
        append_record_atomic(path, record)
    return (time.perf_counter() - start) / n


def main(trials: int) -> None:
    print(f"{'trial':>5}  {'expected':>8}  {'written':>7}  {'lost':>4}  {'duplicates':>10}")
    for trial in range(trials):
        with tempfile.TemporaryDirectory() as tmp:
            written, distinct = concurrent_trial(Path(tmp))
        print(
            f"{trial:>5}  {EXPECTED:>8}  {written:>7}  {EXPECTED - distinct:>4}  "
            f"{written - distinct:>10}"
        )
    print()
    print(f"{'records in file':>15}  {'ms per append':>13}  {'ratio to empty':>14}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.jsonl"
        base, count, n = None, 0, 200
        line = json.dumps({"experiment": "x", "filler": "z" * 300}) + "\n"
        for size in (0, 2_000, 20_000):
            with path.open("a") as fh:  # fill to `size` records (plain writes: setup only)
                fh.write(line * max(size - count, 0))
            seconds = append_seconds(path, n)
            count = max(size, count) + n
            base = base or seconds
            print(f"{size:>15}  {1e3 * seconds:>13.3f}  {seconds / base:>14.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
