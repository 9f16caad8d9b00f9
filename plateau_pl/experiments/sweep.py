"""Run an experiment over a grid of parameters: resumable, on one process, many, or a cluster.

An experiment is a pure function ``fn(**params, seed) -> dict`` (xyzpy's convention, see
:mod:`~plateau_pl.experiments.registry`). :func:`run_sweep` expands the grid in a fixed order,
skips the points whose :func:`~plateau_pl.records.point_key` is already in the
output file, runs the others on an executor and appends one JSON line per finished point
(atomically, from the main process, as points complete), so an interrupted sweep loses at most
the points in flight and the next call picks up where it stopped.

Each point gets its own seed, derived from the sweep seed, the experiment's name and the point's
canonical parameters (not its position in the grid), so resuming or growing a grid reproduces
earlier points, and every executor gives the same records (all but ``wall_s`` and ``created``).
Workers run single-threaded (``OMP_NUM_THREADS=1``, one torch thread; the serial executor
also holds torch to one thread during each call): on a few cores, more threads per worker only
make workers fight.

Executors: ``"serial"`` (this process), ``"process"`` (a ``spawn`` process pool: torch and
``fork`` do not mix; as with any ``spawn`` pool, a script must guard its call with
``if __name__ == "__main__":``), ``"dask"`` (a ``dask.distributed`` ``LocalCluster`` started and
closed here, or the cluster at ``scheduler_address``). Experiments travel to workers by name or
as a module-level function, which the workers import.

**Example**

>>> import pathlib, tempfile
>>> out = pathlib.Path(tempfile.mkdtemp()) / "haar.jsonl"
>>> grid = {"n_visible": 1, "n_hidden": [0, 1], "n_samples": 20}
>>> res = run_sweep("haar-states", grid, out, progress=False)
>>> [r["n_hidden"] for r in res.records], res.skipped, res.ok
([0, 1], 0, True)
>>> run_sweep("haar-states", {**grid, "n_hidden": [0, 1, 2]}, out, progress=False).skipped
2
"""

from __future__ import annotations

import contextlib
import inspect
import itertools
import multiprocessing
import os
import pickle
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from plateau_pl._validation import check_choice, check_file_path, check_int
from plateau_pl._version import __version__
from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError
from plateau_pl.experiments.checks import check_grid
from plateau_pl.experiments.registry import EXPERIMENTS, experiment_name, get_experiment
from plateau_pl.records import (
    RecordLog,
    append_record_atomic,
    canonical_json,
    check_writable,
    point_key,
    records_lock,
    remove_temp_files,
    repair_torn_tail,
    to_jsonable,
)

__all__ = ["EXECUTORS", "RUNNER_KEYS", "SweepResult", "expand_grid", "point_seed", "run_sweep"]

EXECUTORS = ("serial", "process", "dask")
"""The executors :func:`run_sweep` accepts."""

RUNNER_KEYS = (
    "experiment",
    "seed",
    "point_seed",
    "point_key",
    "wall_s",
    "created",
    "plateau_pl_version",
)
"""Record fields the runner writes; they cannot be grid parameters."""

_SINGLE_THREAD_ENV = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


@dataclass(frozen=True)
class SweepResult:
    """What one :func:`run_sweep` call did."""

    records: tuple[dict, ...]
    """The records written by this call, in grid order."""
    skipped: int
    """Points already in the output file (resumed, not recomputed)."""
    failures: tuple[tuple[dict, str], ...]
    """``(params, "ExceptionType: message")`` of each point that raised, in grid order."""
    out: Path
    """The records file."""
    concurrent: int = 0
    """Points another writer of the same file wrote while this call ran (not written twice)."""

    @property
    def ok(self) -> bool:
        """No point failed."""
        return not self.failures


@dataclass(frozen=True)
class _Point:
    index: int
    params: dict
    key: str
    seed: int


# ----------------------------------------------------------------------------- the runner


def run_sweep(
    experiment: str | Callable[..., dict],
    grid: Mapping | list[Mapping],
    out,
    executor: str = "serial",
    seed: int = 0,
    n_workers: int | None = None,
    scheduler_address: str | None = None,
    progress: bool | None = None,
    label: str | None = None,
) -> SweepResult:
    """Run ``experiment`` on every point of ``grid`` not yet in ``out``, appending one record each.

    Each record is ``{"experiment": name, **params, **result, "seed", "point_seed",
    "point_key", "wall_s", "created", "plateau_pl_version"}``, where ``result`` is what the
    function returned for ``fn(**params, seed=point_seed)``. A returned key equal to a
    parameter must carry the same value, unless the parameter is ``None`` (a default the
    function resolves, e.g. ``n_layers=None``), which is then recorded as resolved; the
    runner's own fields (:data:`RUNNER_KEYS`) replace
    any the function returns. Points that raise are reported in
    :attr:`SweepResult.failures` (and summarised on stderr) and not written, so a rerun retries
    them; the other points still land.

    Args:
        experiment: a name in :data:`~plateau_pl.experiments.registry.EXPERIMENTS` or a
            module-level function ``fn(**params, seed) -> dict``.
        grid: ``{param: value or list of values}`` (the cartesian product, last parameter
            fastest; scalars are fixed; to fix a list-valued parameter, wrap it in a list), or a
            list of parameter dicts (one point each).
        out: the JSON-lines records file (created if missing, appended to otherwise).
        executor: ``"serial"``, ``"process"`` or ``"dask"``.
        seed: the sweep seed (integer ``>= 0``); each point's seed derives from it.
        n_workers: processes of the ``"process"`` pool (default: ``os.cpu_count()``) or of the
            Dask ``LocalCluster`` (default 2).
        scheduler_address: with ``executor="dask"``, the address of a running scheduler to use
            instead of a ``LocalCluster`` (the cluster is left running).
        progress: show a progress bar on stderr: ``None`` when stderr is a terminal, or
            ``True``/``False``.
        label: the progress bar's label (default: the experiment's name).

    Returns:
        SweepResult: the new records, the number of points skipped, the failures, the path.

    Raises:
        ConfigurationError, PlateauTypeError: bad arguments, before anything is computed.
        RecordsError: ``out`` has a corrupt line (before anything is computed).

    **Example**

    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "sweep.jsonl"
    >>> points = [{"n_visible": 1, "n_hidden": 1, "n_samples": 10}]
    >>> rec = run_sweep("haar-states", points, out, seed=3, progress=False).records[0]
    >>> rec["experiment"], rec["n_hidden"], rec["model"], rec["seed"]
    ('haar-states', 1, 'haar', 3)
    """
    fn, name, task = _resolve_experiment(experiment, executor)
    points = expand_grid(grid)
    out = _check_out(out)
    seed = check_int(seed, "seed", minimum=0)
    _check_executor_options(executor, n_workers, scheduler_address, progress)
    _check_experiment_seed(fn, name)
    check_grid(fn, points, registry=name in EXPERIMENTS)
    log = RecordLog(out)
    todo, skipped = _plan(name, points, seed, log)
    remove_temp_files(out)

    outcomes = _EXECUTE[executor](task, todo, n_workers, scheduler_address, log)
    if label is not None and not isinstance(label, str):
        raise PlateauTypeError(f"label must be a string; got {type(label).__name__}")
    bar = _progress_bar(len(todo) + skipped, skipped, progress, label or name)
    with contextlib.closing(outcomes), bar:
        records, failures, concurrent = _write_as_completed(outcomes, name, seed, log, bar)
    result = SweepResult(
        records=records, skipped=skipped, failures=failures, out=out, concurrent=concurrent
    )
    if failures:
        _report_failures(result, name, len(todo))
    return result


def _write_as_completed(outcomes, name: str, seed: int, log: RecordLog, bar) -> tuple:
    """Append each finished point's record once; ``(records, failures, n_concurrent)``.

    Under the file's lock, a point that another writer has written meanwhile is not written
    again (it counts as concurrent); records and failures come back in grid order.
    """
    records, failures, concurrent = {}, {}, 0
    for point, result, error, wall_s in outcomes:
        if result is _ELSEWHERE:
            concurrent += 1
        elif error is None:
            record = _make_record(name, point, result, seed, wall_s)
            if _append_once(log, point.key, record):
                records[point.index] = record
            else:
                concurrent += 1
        else:
            failures[point.index] = (point.params, error)
        bar.update(1)
    records = tuple(records[i] for i in sorted(records))
    return records, tuple(failures[i] for i in sorted(failures)), concurrent


def _append_once(log: RecordLog, key: str, record: dict) -> bool:
    """Append ``record`` unless its point is already in the file (checked under the lock)."""
    with records_lock(log.path):
        if key in log.refresh():
            return False
        append_record_atomic(log.path, record)
        return True


def point_seed(seed: int, *key) -> int:
    """A seed derived from ``seed`` and a point's parameters (not its position in a grid).

    Each part of ``key`` enters through the CRC-32 of its ``str``, so the result is the same
    in every process and interpreter (no hash randomisation). :func:`run_sweep` keys a point by
    its experiment name and canonical parameters.

    >>> point_seed(0, "random_two_local", 1, 3) == point_seed(0, "random_two_local", 1, 3)
    True
    >>> point_seed(0, "haar-states", '{"n_hidden":1}')
    3829675847
    """
    seed = check_int(seed, "seed", minimum=0)
    words = [seed] + [zlib.crc32(str(k).encode()) for k in key]
    return int(np.random.SeedSequence(words).generate_state(1)[0])


# ----------------------------------------------------------------------------- validation


def _resolve_experiment(experiment, executor: str):
    """``(function, recorded name, what workers receive)``; checks the name and executor."""
    check_choice(executor, "executor", EXECUTORS)
    fn = get_experiment(experiment)
    name = experiment_name(experiment)
    task = name if name in EXPERIMENTS else fn
    if executor == "process" and callable(task):
        try:
            pickle.dumps(task)
        except (pickle.PicklingError, AttributeError, TypeError) as exc:
            raise ConfigurationError(
                f"experiment {name!r} cannot be sent to process workers; pass a registry name "
                f"or a module-level function ({exc})"
            ) from None
    return fn, name, task


def expand_grid(grid) -> list[dict]:
    """The points of a grid, in a deterministic order, with JSON-able values.

    Args:
        grid: ``{param: value or list/tuple/range/array of values}`` (cartesian product in
            the dict's order, last parameter fastest) or a list of parameter dicts.

    Returns:
        list[dict]: one parameter dict per point.

    **Example**

    >>> expand_grid({"a": [1, 2], "b": "x", "c": range(2)})[:3]
    [{'a': 1, 'b': 'x', 'c': 0}, {'a': 1, 'b': 'x', 'c': 1}, {'a': 2, 'b': 'x', 'c': 0}]
    """
    if isinstance(grid, Mapping):
        if not grid:
            raise ConfigurationError("grid is empty; expected at least one parameter")
        axes = [_axis(key, value) for key, value in grid.items()]
        return [dict(zip(grid, combo, strict=True)) for combo in itertools.product(*axes)]
    if isinstance(grid, (list, tuple)):
        if not grid:
            raise ConfigurationError("grid is empty; expected at least one parameter dict")
        return [_point(i, p) for i, p in enumerate(grid)]
    raise PlateauTypeError(
        f"grid must be a dict of parameter values or a list of parameter dicts; "
        f"got {type(grid).__name__}"
    )


def _axis(key, value) -> list:
    _check_param_name(key, "grid")
    if isinstance(value, (list, tuple, range)) or (isinstance(value, np.ndarray) and value.ndim):
        values = list(value)
    else:
        values = [value]
    if not values:
        raise ConfigurationError(f"grid[{key!r}] has no values")
    return [_jsonable(v, f"grid[{key!r}]") for v in values]


def _point(index: int, params) -> dict:
    where = f"grid[{index}]"
    if not isinstance(params, Mapping):
        raise PlateauTypeError(f"{where} must be a dict of parameters; got {type(params).__name__}")
    for key in params:
        _check_param_name(key, where)
    return {k: _jsonable(v, f"{where}[{k!r}]") for k, v in params.items()}


def _check_param_name(key, where: str) -> None:
    if not isinstance(key, str):
        raise PlateauTypeError(f"{where} parameter names must be strings; got {key!r}")
    if key in RUNNER_KEYS:
        raise ConfigurationError(
            f"{where} parameter {key!r} is a field the runner writes "
            f"({', '.join(RUNNER_KEYS)}); pass the sweep seed as run_sweep(seed=...)"
        )


def _jsonable(value, where: str):
    try:
        return to_jsonable(value)
    except PlateauTypeError as exc:
        raise PlateauTypeError(f"{where}: {exc}") from None


def _check_out(out) -> Path:
    return check_writable(check_file_path(out, "out"))


def _check_executor_options(executor, n_workers, scheduler_address, progress) -> None:
    if n_workers is not None:
        check_int(n_workers, "n_workers", minimum=1)
        if executor == "serial":
            raise ConfigurationError("n_workers applies to executor 'process' or 'dask'")
    if scheduler_address is not None:
        if executor != "dask":
            raise ConfigurationError(
                f"scheduler_address applies to executor 'dask'; got executor {executor!r}"
            )
        if not isinstance(scheduler_address, str):
            raise PlateauTypeError(
                f"scheduler_address must be a string; got {type(scheduler_address).__name__}"
            )
        if n_workers is not None:
            raise ConfigurationError(
                "n_workers sizes the LocalCluster; the cluster at scheduler_address has its own"
            )
    if progress is not None and not isinstance(progress, bool):
        raise PlateauTypeError(f"progress must be None, True or False; got {progress!r}")


def _check_experiment_seed(fn, name: str) -> None:
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # builtins without a signature: let the call decide
        return
    kinds = {p.kind for p in signature.parameters.values()}
    if "seed" not in signature.parameters and inspect.Parameter.VAR_KEYWORD not in kinds:
        raise ConfigurationError(f"experiment {name!r} must accept seed= (the point's seed)")


def _plan(name: str, points: list[dict], seed: int, log: RecordLog) -> tuple[list[_Point], int]:
    """The points still to run (duplicates dropped) and how many are already in the file.

    A torn final line left by a crash is set aside first (under the lock), so it never blocks
    a resume.
    """
    with records_lock(log.path):
        repair_torn_tail(log.path)
        done = set(log.refresh())
    todo, seen, skipped = [], set(), 0
    for params in points:
        key = point_key(name, params, seed)
        if key in seen:
            continue
        seen.add(key)
        if key in done:
            skipped += 1
            continue
        pseed = point_seed(seed, name, canonical_json(params))
        todo.append(_Point(len(todo), params, key, pseed))
    return todo, skipped


# ----------------------------------------------------------------------------- records


def _make_record(name: str, point: _Point, result, seed: int, wall_s: float) -> dict:
    if not isinstance(result, Mapping):
        raise PlateauTypeError(
            f"experiment {name!r} must return a dict; got {type(result).__name__} "
            f"for the point {point.params}"
        )
    result = _jsonable(dict(result), f"the result of experiment {name!r}")
    for key, value in result.items():
        given = point.params.get(key)
        if given is not None and canonical_json(value) != canonical_json(given):
            raise ConfigurationError(
                f"experiment {name!r} returned {key}={value!r} for the point with "
                f"{key}={given!r}; a result must not overwrite a parameter"
            )
    runner = {
        "seed": seed,
        "point_seed": point.seed,
        "point_key": point.key,
        "wall_s": wall_s,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "plateau_pl_version": __version__,
    }
    # a parameter left as None (e.g. n_layers=None: the default) is recorded as resolved
    own = {k: v for k, v in result.items() if point.params.get(k) is None and k not in RUNNER_KEYS}
    return {"experiment": name, **point.params, **own, **runner}


def _report_failures(result: SweepResult, name: str, n_run: int) -> None:
    n_input = sum(_is_input_error(error) for _, error in result.failures)
    why = []
    if n_input:
        why.append(f"{n_input} refused their input: a rerun fails the same way until it is fixed")
    if n_input < len(result.failures):
        why.append(f"{len(result.failures) - n_input} hit other errors: a rerun retries them")
    lines = [
        f"run_sweep: {len(result.failures)} of {n_run} points of {name!r} failed and were not "
        f"written to {result.out} ({'; '.join(why)}):"
    ]
    lines += [f"  {params}: {error}" for params, error in result.failures]
    print("\n".join(lines), file=sys.stderr)


def _is_input_error(error: str) -> bool:
    """Whether a failure message (``"Type: message"``) is of the PlateauError family."""
    return error.partition(":")[0] in _family_names(PlateauError)


def _family_names(cls) -> set[str]:
    return {cls.__name__}.union(*(_family_names(sub) for sub in cls.__subclasses__()))


def _progress_bar(total: int, initial: int, progress: bool | None, name: str):
    from tqdm import tqdm

    disable = None if progress is None else not progress  # None: off unless stderr is a tty
    return tqdm(
        total=total, initial=initial, desc=name, unit="point", disable=disable, file=sys.stderr
    )


# ----------------------------------------------------------------------------- workers


def _run_point(task, params: dict, point_seed: int):
    """Run one point (on a worker): ``(params, result or None, error or None, wall_s)``.

    ``task`` is a registry name or a module-level function; torch runs single-threaded.
    """
    start = time.perf_counter()
    try:
        fn = get_experiment(task)
        with _torch_single_thread():
            result = fn(**params, seed=point_seed)
    except Exception as exc:
        return params, None, f"{type(exc).__name__}: {exc}", _elapsed(start)
    return params, result, None, _elapsed(start)


def _elapsed(start: float) -> float:
    return round(time.perf_counter() - start, 6)


@contextlib.contextmanager
def _torch_single_thread():
    """One torch thread during the call (restored after), if torch is loaded."""
    torch = sys.modules.get("torch")
    if torch is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _init_worker(parent_pid: int | None = None) -> None:
    """Process-pool initializer: single-threaded BLAS/OpenMP and torch; die with the parent."""
    for var in _SINGLE_THREAD_ENV:
        os.environ[var] = "1"
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
    if parent_pid is not None:
        threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()


def _exit_with_parent(parent_pid: int, period_s: float = 0.5) -> None:
    """End this worker as soon as its parent is gone (killed, even by ``SIGKILL``).

    A pool worker whose parent dies is re-parented (to init or a subreaper) and would run its
    point to the end and then wait forever for work; polling ``getppid`` ends it within
    ``period_s``, on every POSIX system (no ``prctl``).
    """
    while os.getppid() == parent_pid:
        time.sleep(period_s)
    os._exit(1)


@contextlib.contextmanager
def _single_thread_environ():
    """``OMP_NUM_THREADS=1`` (and MKL, OpenBLAS) in this process while workers are spawned.

    Children inherit the environment at start, before they import numpy or torch, which is the
    only moment these variables take effect.
    """
    saved = {var: os.environ.get(var) for var in _SINGLE_THREAD_ENV}
    os.environ.update(dict.fromkeys(_SINGLE_THREAD_ENV, "1"))
    try:
        yield
    finally:
        for var, value in saved.items():
            if value is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = value


def _outcome(point: _Point, future) -> tuple:
    """``(point, result, error, wall_s)`` from a finished future (a lost worker is an error)."""
    try:
        _, result, error, wall_s = future.result()
    except Exception as exc:  # e.g. BrokenProcessPool, KilledWorker
        return point, None, f"{type(exc).__name__}: {exc}", 0.0
    return point, result, error, wall_s


_ELSEWHERE = object()
"""The result of a point another writer of the same file finished first (serial executor)."""


def _execute_serial(task, points, n_workers, scheduler_address, log) -> Iterator[tuple]:
    for point in points:
        if point.key in log.refresh():  # a concurrent sweep of the same grid wrote it
            yield point, _ELSEWHERE, None, 0.0
            continue
        _, result, error, wall_s = _run_point(task, point.params, point.seed)
        yield point, result, error, wall_s


def _execute_process(task, points, n_workers, scheduler_address, log) -> Iterator[tuple]:
    if not points:
        return
    pool = ProcessPoolExecutor(
        max_workers=min(n_workers or os.cpu_count() or 1, len(points)),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(os.getpid(),),
    )
    try:
        with _single_thread_environ():  # workers start during submit
            futures = {pool.submit(_run_point, task, p.params, p.seed): p for p in points}
        for future in as_completed(futures):
            yield _outcome(futures[future], future)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _execute_dask(task, points, n_workers, scheduler_address, log) -> Iterator[tuple]:
    if not points:
        return
    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as dask_completed

    with contextlib.ExitStack() as stack:
        if scheduler_address is None:
            cluster = LocalCluster(
                n_workers=n_workers or 2,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            stack.enter_context(cluster)
            client = stack.enter_context(Client(cluster))
        else:  # closing our client leaves the user's cluster running
            client = stack.enter_context(Client(scheduler_address))
        futures = {client.submit(_run_point, task, p.params, p.seed, pure=False): p for p in points}
        try:
            for future in dask_completed(list(futures)):
                yield _outcome(futures[future], future)
        except BaseException:  # an early exit: stop what is left on the cluster
            client.cancel(list(futures))
            raise


_EXECUTE = {"serial": _execute_serial, "process": _execute_process, "dask": _execute_dask}
