"""Property test over the public API: every call returns a valid result or raises the family.

For each public callable of the catalogue (``tests/_fuzz_catalogue.py``: models, circuits,
Hamiltonians, quantum-information functions, diagnostics, theory, budgets, training, Lie
algebras, reports, plots, records and sweeps, engines, devices) hypothesis draws arguments that
mix valid small values with hostile ones, and each call is classified:

* **OK** — it returned, and the result holds no NaN or infinity anywhere (floats, numpy arrays,
  torch tensors, dataclass fields, dicts, lists; figures and other objects are not walked)
  unless an input was itself non-finite;
* **FAMILY** — it raised :class:`plateau_pl.errors.PlateauError` (``PlateauTypeError`` is also a
  ``TypeError``), or an exception the callable documents (``FileNotFoundError`` of
  ``load_records``);
* **FAIL** — anything else: another exception type (``AttributeError``, ``IndexError``,
  ``ZeroDivisionError``, ``RuntimeError``, ``torch.linalg.LinAlgError``, ``OverflowError``,
  ``MemoryError``, ``KeyError``…), a NaN or inf from finite inputs, a call running past the
  per-call timeout (a hang), or — for a sweep, which catches each point's exception and
  reports it — a point that failed with an exception outside the family.

Each parametrized test explores its callable for the whole example budget, collects every
distinct failure (deduplicated by exception type and the plateau_pl line that raised it) and
fails once with the list, so one run gives the complete to-do list rather than the first bug.

Sizes are tiny (≤ 4 qubits, ≤ 20 samples); size-guard cases (30 hidden qubits, a 25-qubit QBM,
``n_samples=10**12``) must be refused *before* allocating: the test sets
``$PLATEAU_PL_MAX_BYTES`` to 500 MB and caps the process's address space 3 GB above what it
uses, so an unguarded allocation shows up as ``MemoryError`` (or, between the two, as a call
running past the timeout) instead of taking the machine down. Valid calls allocate kilobytes.

Knobs (environment variables):

* ``PLATEAU_FUZZ_EXAMPLES`` — examples per callable of the default test (default 8);
* ``PLATEAU_FUZZ_DEEP=1`` — also run ``test_public_api_deep`` (marked ``slow``), 200 examples
  per callable (``PLATEAU_FUZZ_DEEP_EXAMPLES`` to change);
* ``PLATEAU_FUZZ_TIMEOUT`` — per-call timeout in seconds (default 5; a valid call of the
  catalogue takes milliseconds);
* ``PLATEAU_FUZZ_REPORT=path`` — append every failure as one JSON line to ``path``;
* ``PLATEAU_FUZZ_STATS=path`` — append per callable how many calls were OK, FAMILY and FAIL
  (to see that the valid strategies do reach the computation).

Examples are derandomized (``derandomize=True``, no example database): every run of the same
tree draws the same arguments.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import inspect
import json
import math
import os
import signal
import sys
import tempfile
import traceback
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

os.environ.setdefault("MPLBACKEND", "Agg")

_HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("_fuzz_catalogue", _HERE / "_fuzz_catalogue.py")
cat = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("_fuzz_catalogue", cat)
_spec.loader.exec_module(cat)

DEFAULT_EXAMPLES = int(os.environ.get("PLATEAU_FUZZ_EXAMPLES", "8"))
DEEP_EXAMPLES = int(os.environ.get("PLATEAU_FUZZ_DEEP_EXAMPLES", "200"))
CALL_TIMEOUT_S = float(os.environ.get("PLATEAU_FUZZ_TIMEOUT", "5"))
MAX_BYTES = "5e8"  # plateau_pl's memory guard during the test ($PLATEAU_PL_MAX_BYTES)
ADDRESS_SPACE_HEADROOM = 3 * 2**30  # bytes above the current virtual size: the guard's
# allowance with room for copies; an unguarded allocation beyond it is a MemoryError

CATALOGUE = cat.build_catalogue()


# ----------------------------------------------------------------------------- environment


@pytest.fixture(scope="module", autouse=True)
def _address_space_cap():
    """Cap the address space so an unguarded huge allocation raises MemoryError (a failure)
    instead of exhausting the machine; restored after the module."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    try:
        with open("/proc/self/status") as fh:
            vm = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize"))
    except (OSError, StopIteration):
        yield
        return
    cap = vm + ADDRESS_SPACE_HEADROOM
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.fixture(scope="module", autouse=True)
def _warm_up():
    """Import every module and run each engine once outside the per-call timeout: a cold
    import of PennyLane or loading the compiled kernels must not count as a hang."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for spec in CATALOGUE:
            if spec.method is None:
                spec.target()
        import plateau_pl as pp

        for token in (cat.QNN, cat.QNN_HE, cat.QBM, cat.NOISY):
            with contextlib.suppress(Exception):
                model = token.get()
                pp.gradient_variance(model, n_samples=2, seed=0)
                pp.visible_state_stats(model, n_samples=2, seed=0)
        with contextlib.suppress(Exception):
            pp.gradient_variance(cat.QNN.get(), n_samples=2, seed=0, engine="pauli")
        with contextlib.suppress(Exception):
            cat.REAL_RECORDS.get()
        with contextlib.suppress(Exception):  # matplotlib's first savefig (fonts) is slow
            pp.plotting.save_figure(cat.FIGURE.get(), Path(tempfile.mkdtemp()) / "w.png", pdf=True)
    yield


@pytest.fixture(autouse=True)
def _memory_guard(monkeypatch, tmp_path):
    """plateau_pl's memory guard at 2 GB; calls run in a scratch folder (relative paths)."""
    monkeypatch.setenv("PLATEAU_PL_MAX_BYTES", MAX_BYTES)
    monkeypatch.chdir(tmp_path)


class CallTimeout(BaseException):
    """Raised by SIGALRM inside a call that runs too long (BaseException: not caught by the
    library's ``except Exception``)."""


@contextlib.contextmanager
def call_timeout(seconds: float):
    """SIGALRM after ``seconds`` (a hang becomes :class:`CallTimeout`), then again every half
    second, so a call that swallows the first one (it can land in a ``__del__`` or a bare
    ``except``) is still interrupted. Yields a dict whose ``"fired"`` counts the alarms: a call
    that ran past the limit is a timeout whatever it raised or returned in the end.
    faulthandler dumps the stacks if nothing interrupts it (compiled code ignores signals)."""
    import faulthandler

    state = {"active": True, "fired": 0}

    def handler(signum, frame):
        if state["active"]:
            state["fired"] += 1
            raise CallTimeout(f"call did not return within {seconds:g} s")

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    faulthandler.dump_traceback_later(seconds * 3 + 30, exit=False, file=sys.__stderr__)
    try:
        yield state
    finally:
        state["active"] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        faulthandler.cancel_dump_traceback_later()
        signal.signal(signal.SIGALRM, old)


def timed(fn, seconds: float):
    """``(value, None)`` or ``(None, exception)`` of ``fn()`` under :func:`call_timeout`,
    with warnings and numpy floating-point warnings silenced; a call that ran past the limit
    gives a :class:`CallTimeout` even if it swallowed the alarm."""
    state = {"fired": 0}
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            with call_timeout(seconds) as state:
                value = fn()
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # classified by the caller
        if state["fired"] and not isinstance(exc, CallTimeout):
            timeout = CallTimeout(f"call did not return within {seconds:g} s")
            return None, timeout.with_traceback(exc.__traceback__)
        return None, exc
    if state["fired"]:
        return None, CallTimeout(f"call did not return within {seconds:g} s")
    return value, None


# ----------------------------------------------------------------------------- finiteness


# documented NaN-as-missing conventions of result fields: (class name, field) -> checker
def _gradient_map_cells(obj, name, value):
    counts = np.asarray(obj.counts)
    arr = np.asarray(value, dtype=float)
    return (
        arr.shape != counts.shape
        or bool(np.any(np.isnan(arr) & (counts > 0)))
        or bool(np.any(np.isinf(arr)))
    )


DOCUMENTED_NAN = {
    ("GradientMap", "variance"): _gradient_map_cells,  # NaN for an empty cell
    ("GradientMap", "stderr"): _gradient_map_cells,
    ("GradientStats", "per_parameter_upper95"):  # NaN where resolved
    lambda obj, name, value: bool(np.any(np.isinf(np.asarray(value, dtype=float)))),
}


def non_finite(obj, path: str = "result", depth: int = 0, seen=None) -> list[str]:
    """Paths of NaN/inf entries in ``obj`` (recursively; objects like figures are skipped)."""
    seen = set() if seen is None else seen
    if depth > 8 or id(obj) in seen:
        return []
    if obj is None or isinstance(obj, (bool, str, bytes, int, Path, range)):
        return []
    if isinstance(obj, (float, np.floating)):
        return [] if math.isfinite(float(obj)) else [f"{path}={obj!r}"]
    if isinstance(obj, (complex, np.complexfloating)):
        z = complex(obj)
        return [] if math.isfinite(z.real) and math.isfinite(z.imag) else [f"{path}={obj!r}"]
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "fc":
            bad = ~np.isfinite(obj)
            if bad.any():
                return [f"{path}: {int(bad.sum())} of {obj.size} entries non-finite"]
            return []
        if obj.dtype.kind == "O":
            seen.add(id(obj))
            out = []
            for i, x in enumerate(obj.ravel()[:1000]):
                out += non_finite(x, f"{path}.flat[{i}]", depth + 1, seen)
            return out
        return []
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(obj, torch.Tensor):
        t = obj.detach()
        if t.is_floating_point() or t.is_complex():
            bad = ~torch.isfinite(t)
            if bool(bad.any()):
                return [f"{path}: {int(bad.sum())} of {t.numel()} entries non-finite"]
        return []
    if torch is not None and isinstance(obj, torch.nn.Module):
        return []
    seen.add(id(obj))
    if isinstance(obj, dict):
        out = []
        for k, v in list(obj.items())[:1000]:
            out += non_finite(v, f"{path}[{k!r}]", depth + 1, seen)
        return out
    if isinstance(obj, (list, tuple)):
        out = []
        for i, v in enumerate(obj[:1000]):
            out += non_finite(v, f"{path}[{i}]", depth + 1, seen)
        return out
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = []
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name, None)
            check = DOCUMENTED_NAN.get((type(obj).__name__, f.name))
            if check is not None:
                if value is not None and check(obj, f.name, value):
                    out.append(f"{path}.{f.name}: non-finite outside the documented NaN cells")
                continue
            out += non_finite(value, f"{path}.{f.name}", depth + 1, seen)
        return out
    return []  # other objects (models, figures, paths…) are not walked


def inputs_finite(tokens: dict, values: dict) -> bool:
    """Whether every input is finite (NaN/inf anywhere in an argument makes it not)."""
    return cat.token_finite(tokens) and not non_finite(values, "args")


# ----------------------------------------------------------------------------- the checker


def _family():
    from plateau_pl.errors import PlateauError

    return PlateauError


def _family_names() -> set[str]:
    import plateau_pl.errors as errors

    return {
        n
        for n in dir(errors)
        if isinstance(getattr(errors, n), type) and issubclass(getattr(errors, n), _family())
    }


def _where(exc: BaseException) -> tuple[str, str]:
    """``(deepest plateau_pl frame, deepest frame)`` of ``exc``'s traceback as ``file:line``."""
    frames = traceback.extract_tb(exc.__traceback__)
    deepest = frames[-1] if frames else None
    ours = [f for f in frames if "/plateau_pl/" in f.filename.replace(os.sep, "/")]

    def fmt(f):
        if f is None:
            return "?"
        name = f.filename.replace(os.sep, "/")
        for marker in ("/plateau_pl/", "/site-packages/", "/lib/python"):
            if marker in name:
                name = marker.strip("/") + "/" + name.split(marker, 1)[1]
                break
        return f"{name}:{f.lineno} ({f.name})"

    return fmt(ours[-1] if ours else None), fmt(deepest)


def short_repr(value, limit: int = 160) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**15:
        n = abs(value)
        text = f"2**{n.bit_length() - 1}" if n & (n - 1) == 0 else f"10**{len(str(n)) - 1}"
        return text if value > 0 else "-" + text
    if isinstance(value, np.ndarray):
        body = np.array2string(value, threshold=8, precision=3) if value.size <= 16 else "…"
        text = f"array({body}, shape={value.shape}, dtype={value.dtype})"
    else:
        torch = sys.modules.get("torch")
        if torch is not None and isinstance(value, torch.Tensor):
            text = f"tensor(shape={tuple(value.shape)}, dtype={value.dtype})"
        elif isinstance(value, (list, tuple)) and len(repr(value)) > limit:
            text = f"{type(value).__name__} of {len(value)}: {repr(value)[: limit // 2]}…"
        else:
            text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_call(spec, tokens: dict) -> str:
    args = ", ".join(f"{k}={short_repr(v)}" for k, v in tokens.items() if k != "self")
    head = spec.id
    if spec.method:
        head = f"{short_repr(tokens['self'])}.{spec.method}"
    return f"{head}({args})"


@dataclasses.dataclass
class Failure:
    key: tuple
    kind: str
    call: str
    message: str
    raised_at: str
    deepest: str

    def line(self) -> str:
        where = (
            self.raised_at
            if self.deepest in (self.raised_at, "?")
            else (f"{self.raised_at}; deepest frame {self.deepest}")
        )
        return f"{self.call} -> {self.kind}: {self.message} ({where})"


def run_one(
    spec, tokens: dict, folder: Path, stats: dict | None = None, timeout: float = CALL_TIMEOUT_S
) -> Failure | None:
    """Call ``spec`` with ``tokens`` resolved; ``None`` if OK or FAMILY, else the failure."""
    stats = {} if stats is None else stats
    failure = _run_one(spec, tokens, folder, stats, timeout)
    if failure is not None:
        stats["FAIL"] = stats.get("FAIL", 0) + 1
    return failure


def _run_one(spec, tokens: dict, folder: Path, stats: dict, timeout: float) -> Failure | None:
    call = describe_call(spec, tokens)
    # building a hostile argument (a PauliTerm with a bad field…) is part of the call
    values, exc = timed(lambda: {k: cat.resolve(v, folder) for k, v in tokens.items()}, timeout)
    if exc is not None:
        return _classify(spec, exc, f"{call} [while building an argument]", stats)
    target = getattr(values.pop("self"), spec.method) if spec.method else spec.target()
    star = tuple(values.pop(spec.star, ())) if spec.star else ()
    star = tuple(values.pop(n) for n in spec.positional if n in values) + star
    try:  # a harness bug (an argument the callable does not have) must not pass for a find
        inspect.signature(target).bind(*star, **values)
    except TypeError as err:
        raise AssertionError(f"HARNESS: {spec.id} does not take {sorted(values)}: {err}") from err
    except ValueError:  # no signature (a builtin): let the call decide
        pass
    finite = inputs_finite({k: v for k, v in tokens.items() if k != "self"}, values)

    def call_it():
        result = target(*star, **values)
        if spec.post is not None:
            result = (result, spec.post(result, values))
        return result

    result, exc = timed(call_it, timeout)
    if exc is not None:
        return _classify(spec, exc, call, stats)
    if spec.failures_of is not None:
        family = _family_names() | {c.__name__ for c in spec.allowed}
        for params, error in spec.failures_of(result):
            name = str(error).split(":", 1)[0].strip()
            if name not in family:
                return Failure(
                    (spec.id, "point", name),
                    f"{name} (caught in a sweep point)",
                    call,
                    f"point {params}: {str(error)[:300]}",
                    "sweep point",
                    "?",
                )
    if finite:
        bad = non_finite(result)
        if bad:
            return Failure(
                (spec.id, "nonfinite", bad[0].split(":")[0].split("=")[0]),
                "NaN/inf result from finite inputs",
                call,
                "; ".join(bad[:3]),
                "-",
                "?",
            )
    stats["OK"] = stats.get("OK", 0) + 1
    return None


def _classify(spec, exc: BaseException, call: str, stats: dict) -> Failure | None:
    """FAMILY (``None``) for the PlateauError family or a documented exception, else FAIL."""
    if not isinstance(exc, CallTimeout) and isinstance(exc, (_family(), *spec.allowed)):
        stats["FAMILY"] = stats.get("FAMILY", 0) + 1
        return None
    return _failure(spec, exc, call)


def _failure(spec, exc: BaseException, call: str) -> Failure:
    raised, deepest = _where(exc)
    if isinstance(exc, CallTimeout):
        return Failure(
            (spec.id, "timeout"),
            "Timeout (hang, or work beyond the memory guard)",
            call,
            str(exc),
            raised,
            deepest,
        )
    kind = (type(exc).__module__ + "." + type(exc).__qualname__).removeprefix("builtins.")
    message = " ".join(str(exc).split())[:300]
    return Failure((spec.id, kind, raised), kind, call, message, raised, deepest)


def _record(failure: Failure) -> None:
    path = os.environ.get("PLATEAU_FUZZ_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(dataclasses.asdict(failure) | {"key": list(failure.key)}) + "\n")


def explore(spec, n_examples: int, tmp_path: Path) -> list[Failure]:
    """Run ``n_examples`` derandomized examples of ``spec``; every distinct failure."""
    found: dict[tuple, Failure] = {}
    stats: dict[str, int] = {}

    @settings(
        max_examples=max(1, round(n_examples / spec.cost**0.5)),
        deadline=None,
        derandomize=True,
        database=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(st.data())
    def examples(data):
        tokens, _ = data.draw(cat.call_arguments(spec), label="arguments")
        folder = Path(tempfile.mkdtemp(dir=tmp_path))
        # once this callable has hung, later calls get a short limit: the hang is recorded
        # (with the example that ran the full limit) and the budget goes to other examples
        limit = spec.timeout or CALL_TIMEOUT_S
        hung = any(k[1] == "timeout" for k in found)
        failure = run_one(spec, tokens, folder, stats, min(limit, 1.0) if hung else limit)
        if failure is not None:
            old = found.get(failure.key)
            if old is None or (failure.key[1] != "timeout" and len(failure.call) < len(old.call)):
                found[failure.key] = failure

    examples()
    for f in found.values():
        _record(f)
    if os.environ.get("PLATEAU_FUZZ_STATS"):
        with open(os.environ["PLATEAU_FUZZ_STATS"], "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"id": spec.id, **stats}) + "\n")
    return sorted(found.values(), key=lambda f: f.key)


def _assert_none(failures: list[Failure], what: str) -> None:
    if failures:
        lines = "\n".join(f"  - {f.line()}" for f in failures)
        pytest.fail(f"{what}: {len(failures)} distinct failure(s):\n{lines}", pytrace=False)


@pytest.mark.parametrize("spec", CATALOGUE, ids=[s.id for s in CATALOGUE])
def test_public_api(spec, tmp_path):
    """Every call returns a finite valid result or raises the PlateauError family."""
    _assert_none(explore(spec, DEFAULT_EXAMPLES, tmp_path), spec.id)


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("PLATEAU_FUZZ_DEEP"), reason="set PLATEAU_FUZZ_DEEP=1 for the deep run"
)
@pytest.mark.parametrize("spec", CATALOGUE, ids=[s.id for s in CATALOGUE])
def test_public_api_deep(spec, tmp_path):
    """The same property with many more examples per callable."""
    _assert_none(explore(spec, DEEP_EXAMPLES, tmp_path), spec.id)


def test_catalogue_covers_the_public_api():
    """The catalogue names every callable it claims, and enough of them."""
    ids = [s.id for s in CATALOGUE]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 60
    for spec in CATALOGUE:
        if spec.method is None:
            assert callable(spec.target()), spec.id


# ----------------------------------------------------------------------------- the CLI


def _records_file(folder: Path) -> Path:
    path = folder / "grad.jsonl"
    path.write_text(
        '{"experiment": "qnn-gradient", "model": "qnn", "n_hidden": 0, '
        '"grad_variance": 0.5, "generator_scale": 1.0}\n'
    )
    return path


def _cli_cases():
    """``(id, argv builder(folder) -> list[str])`` of hostile command lines."""
    sweep = ["sweep", "haar-states", "--no-progress"]

    def out(folder):
        return str(folder / "runs.jsonl")

    def qnn(folder):  # a small qnn-gradient sweep, before the argument under test
        return [
            "sweep",
            "qnn-gradient",
            "--no-progress",
            "--out",
            out(folder),
            *"--n-hidden 0 --samples 3".split(),
        ]

    return [
        ("sweep-samples-0", lambda f: [*sweep, "--out", out(f), "--samples", "0"]),
        ("sweep-samples-huge", lambda f: [*sweep, "--out", out(f), "--samples", "10000000000000"]),
        ("sweep-n-hidden--1", lambda f: [*sweep, "--out", out(f), "--n-hidden", "-1"]),
        ("sweep-n-hidden-abc", lambda f: [*sweep, "--out", out(f), "--n-hidden", "abc"]),
        (
            "sweep-n-hidden-30",
            lambda f: [*sweep, "--out", out(f), "--n-hidden", "30", "--samples", "3"],
        ),
        ("sweep-n-visible-0", lambda f: [*sweep, "--out", out(f), "--n-visible", "0"]),
        ("sweep-seed--1", lambda f: [*sweep, "--out", out(f), "--seed", "-1"]),
        ("sweep-bad-range", lambda f: [*sweep, "--out", out(f), "--n-hidden", "1:3:0"]),
        (
            "sweep-param-ansatz-bogus",
            lambda f: [*qnn(f), "--param", "ansatz=bogus"],
        ),
        ("sweep-param-unknown", lambda f: [*sweep, "--out", out(f), "--param", "bogus=1"]),
        ("sweep-param-no-value", lambda f: [*sweep, "--out", out(f), "--param", "n_samples"]),
        ("sweep-unknown-experiment", lambda f: ["sweep", "bogus", "--out", out(f)]),
        (
            "sweep-device-qutrit",
            lambda f: [*qnn(f), "--device", "default.qutrit"],
        ),
        (
            "sweep-device-bogus",
            lambda f: ["sweep", "qnn-gradient", "--out", out(f), "--device", "bogus.device"],
        ),
        (
            "sweep-engine-bogus",
            lambda f: [*qnn(f), "--engine", "bogus"],
        ),
        (
            "sweep-shots--1",
            lambda f: [*qnn(f), "--shots", "-1"],
        ),
        ("sweep-out-is-dir", lambda f: [*sweep, "--out", str(f)]),
        ("sweep-out-under-file", lambda f: [*sweep, "--out", str(_records_file(f) / "x.jsonl")]),
        ("sweep-out-corrupt", lambda f: [*sweep, "--out", str(_corrupt(f))]),
        ("sweep-workers-serial", lambda f: [*sweep, "--out", out(f), "--workers", "0"]),
        ("plot-dir", lambda f: ["plot", str(f), "--out", str(f / "fig.png")]),
        ("plot-missing", lambda f: ["plot", str(f / "missing.jsonl"), "--out", str(f / "f.png")]),
        ("plot-corrupt", lambda f: ["plot", str(_corrupt(f)), "--out", str(f / "f.png")]),
        (
            "plot-y-bogus",
            lambda f: ["plot", str(_records_file(f)), "--out", str(f / "f.png"), "--y", "bogus"],
        ),
        (
            "plot-out-under-file",
            lambda f: ["plot", str(_records_file(f)), "--out", str(_records_file(f) / "f.png")],
        ),
        ("shots-corrupt", lambda f: ["shots", str(_corrupt(f))]),
        ("shots-snr-0", lambda f: ["shots", str(_records_file(f)), "--snr", "0"]),
        ("shots-snr-nan", lambda f: ["shots", str(_records_file(f)), "--snr", "nan"]),
        ("shots-dir", lambda f: ["shots", str(f)]),
        (
            "bench-n-hidden--1",
            lambda f: ["bench", "--devices", "default.qubit", "--n-hidden", "-1", "--samples", "2"],
        ),
        (
            "bench-samples-0",
            lambda f: ["bench", "--devices", "default.qubit", "--n-hidden", "0", "--samples", "0"],
        ),
        (
            "bench-device-qutrit",
            lambda f: ["bench", "--devices", "default.qutrit", "--n-hidden", "0", "--samples", "2"],
        ),
        (
            "bench-no-devices",
            lambda f: ["bench", "--devices", ",", "--n-hidden", "0", "--samples", "2"],
        ),
        (
            "bench-qbm-tpu",
            lambda f: [
                "bench",
                "--workload",
                "qbm",
                "--devices",
                "tpu",
                "--n-hidden",
                "0",
                "--samples",
                "2",
            ],
        ),
        ("predict-n-hidden--1", lambda f: ["predict", "--n-hidden", "-1"]),
        ("predict-ansatz-bogus", lambda f: ["predict", "--ansatz", "bogus", "--n-hidden", "1"]),
        ("predict-observable-Q", lambda f: ["predict", "--n-hidden", "1", "--observable", "Q"]),
        (
            "predict-observable-hidden",
            lambda f: ["predict", "--n-hidden", "1", "--observable", "Z1"],
        ),
        (
            "predict-generators-bad",
            lambda f: ["predict", "--generators", "X0;Q1", "--n-qubits", "2"],
        ),
        ("predict-sample-0", lambda f: ["predict", "--n-hidden", "1", "--sample", "0"]),
        (
            "reproduce-out-under-file",
            lambda f: [
                "reproduce",
                "--quick",
                "--no-progress",
                "--out",
                str(_records_file(f) / "r"),
            ],
        ),
    ]


def _corrupt(folder: Path) -> Path:
    path = folder / "corrupt.jsonl"
    path.write_bytes(b'{"experiment": "haar-states"}\nnot json\n\xff\xfe\n')
    return path


def _run_cli(argv, capsys):
    from plateau_pl.cli import main

    try:
        with call_timeout(60), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            code = main(argv)
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("case", _cli_cases(), ids=[c[0] for c in _cli_cases()])
def test_cli_refuses_hostile_arguments(case, tmp_path, capsys):
    """Exit code 2 with a message on stderr and no traceback; never a crash, never exit 0."""
    _, build = case
    argv = build(tmp_path)
    escaped = None
    try:
        code, _, err = _run_cli(argv, capsys)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        raised, deepest = _where(exc)
        escaped = (
            f"plateau-pl {' '.join(argv)} -> {type(exc).__name__}: "
            f"{' '.join(str(exc).split())[:300]} ({raised}; deepest frame {deepest})"
        )
    if escaped:
        pytest.fail(escaped, pytrace=False)
    problems = []
    if code != 2:
        problems.append(f"exit code {code!r}, expected 2")
    if not err.strip():
        problems.append("nothing on stderr")
    if "Traceback" in err:
        problems.append("a traceback on stderr")
    if problems:
        tail = " | ".join(err.strip().splitlines()[-3:])[:400]
        pytest.fail(
            f"plateau-pl {' '.join(argv)}: {'; '.join(problems)}; stderr tail: {tail!r}",
            pytrace=False,
        )


def test_cli_read_only_output_folder(tmp_path, capsys):
    """A sweep into a folder without write permission exits 2 with a message (even as root:
    plateau_pl respects a folder with no write bit)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        code, _, err = _run_cli(
            [
                "sweep",
                "haar-states",
                "--no-progress",
                "--out",
                str(folder / "r.jsonl"),
                "--samples",
                "3",
            ],
            capsys,
        )
    finally:
        folder.chmod(0o700)
    assert code == 2 and err.strip() and "Traceback" not in err, (code, err[-400:])
