"""The catalogue of public callables fuzzed by ``tests/test_public_api_fuzz.py``.

Each :class:`Spec` names one public callable (a function, a class or a method of a small model),
and for every argument a strategy of *valid* small values and a strategy of *hostile* ones
(``None``, strings, bools, complex numbers, NaN, ±inf, huge numbers, negative numbers, empty or
wrongly shaped arrays, objects of the wrong kind, size-guard cases). An example draws every
argument from its valid strategy and then replaces zero, one or two of them by hostile values,
so most examples point at one argument at a time and some look at combinations.

Every valid size is tiny (at most 4 qubits, at most 20 samples) so that one example runs in
milliseconds; the size-guard cases (30 hidden qubits, a 25-qubit QBM, ``n_samples=10**12``…) must
be refused before anything is allocated.

Objects that are expensive or need the file system are drawn as tokens — :class:`Lazy` (a model,
a Hamiltonian, a figure, built once and cached unless ``fresh``) and :class:`Tmp` (a path in a
fresh folder per example, optionally prepared: a records file, a directory, a path under a file)
— and resolved by the test right before the call. This module is imported by the test through
its file path (the project's tests run with ``--import-mode=importlib``); importing it is cheap:
torch, PennyLane and plateau_pl are loaded on first use of a token or a strategy.
"""

from __future__ import annotations

import copy
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from hypothesis import strategies as st

NAN, INF = float("nan"), float("inf")
HUGE_INT = 2**1100  # larger than any float: int -> float conversions overflow


class Junk:
    """An object of no expected type (stable repr for reports)."""

    def __repr__(self) -> str:
        return "Junk()"


# ----------------------------------------------------------------------------- tokens


class Lazy:
    """A value built on first use by ``factory()`` and cached (or rebuilt per use if ``fresh``).

    ``finite=False`` marks a value that is itself non-finite (a cost function returning NaN),
    so that a NaN in the result is not blamed on the library.
    """

    _cache: ClassVar[dict[str, Any]] = {}

    def __init__(
        self,
        name: str,
        factory: Callable[[], Any],
        fresh: bool = False,
        finite: bool = True,
        meta=None,
    ):
        self.name, self.factory, self.fresh, self.finite = name, factory, fresh, finite
        self.meta = meta

    def get(self):
        if self.fresh:
            return self.factory()
        if self.name not in Lazy._cache:
            Lazy._cache[self.name] = self.factory()
        return Lazy._cache[self.name]

    def __repr__(self) -> str:
        return f"<{self.name}>"

    def __deepcopy__(self, memo):
        return self


@dataclass(frozen=True)
class Tmp:
    """A path in the example's fresh temporary folder.

    kind: ``"new"`` (does not exist yet), ``"file"`` (a file holding ``content``), ``"dir"``
    (an existing folder), ``"under_file"`` (``<a file>/name``: its parent is not a folder).
    """

    kind: str = "new"
    name: str = "out.jsonl"
    content: bytes | None = None
    as_str: bool = False

    def make(self, folder: Path):
        path = folder / self.name
        if self.kind == "file":
            path.write_bytes(self.content or b"")
        elif self.kind == "dir":
            path.mkdir()
        elif self.kind == "under_file":
            (folder / "a_file").write_text("x")
            path = folder / "a_file" / self.name
        return str(path) if self.as_str else path

    @property
    def finite(self) -> bool:
        """False for a file whose text spells a non-finite number (``NaN``, ``Infinity``)."""
        return not any(w in (self.content or b"") for w in (b"NaN", b"Infinity", b"1e999"))

    def __repr__(self) -> str:
        extra = ""
        if self.content is not None:
            head = self.content[:40] + (b"..." if len(self.content) > 40 else b"")
            extra = f", {len(self.content)} bytes: {head!r}"
        return f"Tmp({self.kind!r}, {self.name!r}{extra})"


class NonFinite:
    """A value that denotes a non-finite number in another form (the text ``"nan"``): a NaN
    in the result is then not blamed on the library."""

    finite = False

    def __init__(self, value):
        self.value = value

    def __repr__(self) -> str:
        return repr(self.value)

    def __deepcopy__(self, memo):
        return self


def resolve(value, folder: Path):
    """Replace tokens (at any depth of lists, tuples and dicts) by their values."""
    if isinstance(value, Lazy):
        return value.get()
    if isinstance(value, Tmp):
        return value.make(folder)
    if isinstance(value, NonFinite):
        return value.value
    if isinstance(value, list):
        return [resolve(v, folder) for v in value]
    if isinstance(value, tuple) and type(value) is tuple:
        return tuple(resolve(v, folder) for v in value)
    if isinstance(value, dict) and type(value) is dict:
        return {k: resolve(v, folder) for k, v in value.items()}
    return value


def token_finite(value) -> bool:
    if isinstance(value, (Lazy, Tmp, NonFinite)):
        return value.finite
    if isinstance(value, (list, tuple)):
        return all(token_finite(v) for v in value)
    if isinstance(value, dict):
        return all(token_finite(v) for v in value.values())
    return True


# ----------------------------------------------------------------------------- strategies


def one(*values):
    """One of ``values`` (deep-copied per draw, so an input mutated by a call stays intact)."""
    return st.sampled_from(values).map(copy.deepcopy)


def _torch():
    import torch

    return torch


SCALAR_JUNK = (
    None,
    "abc",
    "",
    True,
    False,
    1j,
    2 + 1j,
    NAN,
    INF,
    -INF,
    10**7,
    10**12,
    2**70,
    -(2**70),
    HUGE_INT,
    -1,
    0,
    -3,
    1e308,
    -1e308,
    1e30,
    1e-320,
    -0.5,
    0.5,
    2.5,
    [],
    {},
    [1, 2],
    (1,),
    b"x",
    Junk(),
    np.float64(NAN),
    np.int64(-1),
    np.array([]),
    np.array([1.0, 2.0]),
)
"""Hostile scalars (and a few non-scalars) for any argument."""

INT_JUNK = (
    None,
    "3",
    2.5,
    3.0,
    True,
    1j,
    NAN,
    INF,
    -1,
    0,
    10**7,
    10**12,
    2**70,
    HUGE_INT,
    -(2**70),
    [],
    Junk(),
    np.int64(-1),
    np.float64(2.0),
)
"""Hostile values for an integer argument (sizes, seeds)."""

COUNT_JUNK = tuple(v for v in INT_JUNK if not (type(v) is int and v == 10**7))
"""Hostile values for a count of work (draws, steps, evaluations): no 10**7, which is a
legitimate, merely slow request when the memory guard allows it; 10**12 and beyond are
absurd (their bookkeeping alone exceeds the guard) and must be refused."""

FLOAT_JUNK = (
    None,
    "0.5",
    True,
    1j,
    NAN,
    INF,
    -INF,
    0,
    0.0,
    -1.0,
    1e308,
    -1e308,
    1e30,
    1e-320,
    HUGE_INT,
    [],
    Junk(),
    np.float64(NAN),
    np.array([0.5, 0.5]),
)
"""Hostile values for a real argument."""

STR_JUNK = (None, "", "bogus", 3, True, 1j, [], ["auto"], {}, b"auto", Junk())
"""Hostile values for a name argument."""

BOOL_JUNK = (None, "yes", "false", 0, 1, 2, 1.0, NAN, [], Junk())
"""Hostile values for a flag."""


def array_junk():
    """Hostile arrays: empty, NaN, inf, complex, ragged, strings, bools, wrong ranks, huge."""
    torch = _torch()
    return one(
        np.array([]),
        np.zeros((0, 2)),
        np.zeros((2, 0)),
        np.full((2, 2), NAN),
        np.full((2, 2), INF),
        np.ones((2, 2)) * (1 + 1j),
        np.ones(3),
        np.ones((2, 2, 2, 2)),
        np.array(["a", "b"]),
        np.array([True, False]),
        [[1.0], [1.0, 2.0]],
        [[1.0, 2.0], [3.0, "x"]],
        np.full((2, 2), 1e308),
        np.full((3, 3), 1.0 / 3),
        np.array(5.0),
        np.array([[7.0]]),
        np.ones((2, 2), dtype=np.float32) / 2,
        np.array([1, 2], dtype=object),
        torch.ones(2, 2, dtype=torch.complex128),
        torch.full((2, 2), NAN, dtype=torch.float64),
        torch.zeros(0),
        "abc",
        None,
        1j,
        3,
        {},
        Junk(),
    )


def junk(*extra, base=SCALAR_JUNK):
    """The generic hostile pool plus ``extra`` values."""
    return one(*base, *extra)


def seeds():
    return st.integers(0, 2**16)


@dataclass
class Arg:
    """One argument: a valid strategy, a hostile strategy (``None``: never made hostile), and
    whether it may be left out (the callable's default then applies).

    ``valid``/``hostile`` may be functions of the already drawn (token) arguments, for
    arguments that depend on others (weights on the model).
    """

    valid: Any
    hostile: Any = "default"
    optional: bool = False


@dataclass
class Spec:
    """A public callable and the strategies of its arguments.

    Attributes:
        id: the test id (``module.callable``).
        target: a zero-argument function returning the callable (imports lazily).
        args: ``{name: Arg}``; keyword names as the callable's signature spells them.
        method: call ``getattr(<resolved self>, method)`` with the other arguments; ``args``
            then has a ``"self"`` entry (never hostile).
        post: ``post(result, kwargs)`` runs right after a successful call and is part of it
            (e.g. evaluate a freshly built model once); its return value is checked too.
        allowed: exception classes documented for this callable besides the family.
        failures_of: ``failures_of(result)`` -> ``[(params, "Type: message")]``: errors a call
            caught and reported in its result (a sweep's failed points).
        cost: relative cost (fewer examples for expensive calls).
    """

    id: str
    target: Callable[[], Callable]
    args: dict[str, Arg] = field(default_factory=dict)
    method: str | None = None
    post: Callable | None = None
    allowed: tuple = ()
    failures_of: Callable | None = None
    cost: float = 1.0
    star: str | None = None
    """The argument passed positionally as ``*value`` (a ``*key`` parameter)."""
    positional: tuple = ()
    """Arguments passed positionally (in this order, before ``star``)."""
    timeout: float | None = None
    """Per-call limit in seconds, for callables whose valid calls take long (figures)."""


def _as_strategy(value, drawn):
    if callable(value) and not isinstance(value, st.SearchStrategy):
        value = value(drawn)
    return value


@st.composite
def call_arguments(draw, spec: Spec):
    """``(kwargs, mutated names)``: valid arguments with 0–2 of them made hostile."""
    names = [n for n, a in spec.args.items() if a.hostile is not None]
    mode = draw(st.sampled_from((0, 1, 1, 1, 2))) if names else 0
    k = min(mode, len(names))
    mutate = []
    if k:
        mutate = draw(st.lists(st.sampled_from(names), min_size=k, max_size=k, unique=True))
    kwargs: dict[str, Any] = {}
    for name, arg in spec.args.items():
        if name in mutate:
            hostile = arg.hostile
            if isinstance(hostile, str) and hostile == "default":
                hostile = junk()
            kwargs[name] = draw(_as_strategy(hostile, kwargs))
            continue
        if arg.optional and name not in mutate and draw(st.booleans()):
            continue  # leave it at the callable's default
        kwargs[name] = draw(_as_strategy(arg.valid, kwargs))
    return kwargs, tuple(mutate)


# ----------------------------------------------------------------------------- objects


def _pp():
    import plateau_pl

    return plateau_pl


def _qml():
    import pennylane as qml

    return qml


def _layout(v, h):
    return _pp().WireLayout(v, h)


def _qnn(v, h, ansatz="random_two_local", **kw):
    kw.setdefault("device", "default.qubit")
    kw.setdefault("seed", 0)
    return _pp().QNN(_layout(v, h), ansatz, **kw)


def _ham(v, h, kind="random_two_local", seed=0):
    from plateau_pl import hamiltonians

    return getattr(hamiltonians, kind)(_layout(v, h), seed=seed)


def _qbm(v, h, kind="random_two_local", **kw):
    return _pp().QBM(_layout(v, h), _ham(v, h, kind), **kw)


def _noisy():
    from plateau_pl.models import NoiseModel, NoisyQNN

    return NoisyQNN(
        _layout(1, 1),
        "hardware_efficient",
        n_layers=1,
        noise=NoiseModel("depolarizing", 0.1),
        seed=7,
    )


QNN = Lazy("QNN(1+1, random_two_local, default.qubit)", lambda: _qnn(1, 1))
QNN_HE = Lazy(
    "QNN(1+2, hardware_efficient, 1 layer)",
    lambda: _qnn(1, 2, "hardware_efficient", n_layers=1, seed=1),
)
QNN_MCCLEAN = Lazy("QNN(2+0, mcclean, 2 layers)", lambda: _qnn(2, 0, "mcclean", n_layers=2, seed=2))
QNN_AREA = Lazy("QNN(1+2, area_law)", lambda: _qnn(1, 2, "area_law", n_layers=1, seed=3))
QNN_TORCH = Lazy(
    "QNN(1+1, hardware_efficient, torch)",
    lambda: _qnn(1, 1, "hardware_efficient", n_layers=1, interface="torch", seed=3),
)
QNN_EMBED = Lazy(
    "QNN(2+0, hardware_efficient, AngleEmbedding)",
    lambda: _qnn(2, 0, "hardware_efficient", n_layers=1, embedding=_qml().AngleEmbedding, seed=4),
)
QNN_SHOTS = Lazy(
    "QNN(1+1, hardware_efficient, shots=50)",
    lambda: _qnn(1, 1, "hardware_efficient", n_layers=1, shots=50, seed=5),
)
QNN_LIGHTNING = Lazy(
    "QNN(1+1, random_two_local, lightning.qubit)",
    lambda: _qnn(1, 1, device="lightning.qubit", seed=6),
)
NOISY = Lazy("NoisyQNN(1+1, hardware_efficient, depolarizing 0.1)", _noisy)
QBM = Lazy("QBM(1+1, random_two_local)", lambda: _qbm(1, 1))
QBM_NORM = Lazy(
    "QBM(1+2, transverse_ising, opnorm)", lambda: _qbm(1, 2, "transverse_ising", normalize="opnorm")
)
QBM_FRESH = Lazy("fresh QBM(1+1, random_two_local)", lambda: _qbm(1, 1), fresh=True)
QBM2_FRESH = Lazy("fresh QBM(2+1, random_two_local)", lambda: _qbm(2, 1), fresh=True)
# size guards: building these must be cheap; using them must be refused before allocating
QNN_BIG = Lazy("QNN(1+30, random_two_local)", lambda: _qnn(1, 30))
QNN_BIG_HE = Lazy(
    "QNN(1+30, hardware_efficient, 2 layers)", lambda: _qnn(1, 30, "hardware_efficient", n_layers=2)
)
QBM_BIG = Lazy("QBM(1+24, random_two_local) [25 qubits]", lambda: _qbm(1, 24))
HAM = Lazy("random_two_local(1+1)", lambda: _ham(1, 1))
HAM_TI = Lazy("transverse_ising(1+2)", lambda: _ham(1, 2, "transverse_ising"))
HAM_BIG = Lazy("random_two_local(1+24) [25 qubits]", lambda: _ham(1, 24))
HAM_BIG_TI = Lazy("transverse_ising(1+30) [31 qubits]", lambda: _ham(1, 30, "transverse_ising"))
LAYOUT = Lazy("WireLayout(1, 1)", lambda: _layout(1, 1))
LAYOUT_BIG = Lazy("WireLayout(1, 30)", lambda: _layout(1, 30))
LAYOUT_HUGE = Lazy("WireLayout(1, 10**7)", lambda: _layout(1, 10**7))
ANSATZ = Lazy(
    "Ansatz random_two_local(1+1)",
    lambda: _pp().circuits.make_ansatz("random_two_local", _layout(1, 1), seed=0),
)
ANSATZ_HE = Lazy(
    "Ansatz hardware_efficient(1+2, 2 layers)",
    lambda: _pp().circuits.make_ansatz("hardware_efficient", _layout(1, 2), 2, seed=0),
)
ANSATZ_BIG = Lazy(
    "Ansatz hardware_efficient(1+30)",
    lambda: _pp().circuits.make_ansatz("hardware_efficient", _layout(1, 30), 1),
)
TASK_STATE = Lazy("StateTask(n_visible=1)", lambda: _pp().train.tasks.make_task("state", 1))
TASK_CLS = Lazy(
    "ClassificationTask(n_visible=2, n_points=4)",
    lambda: _pp().train.tasks.make_task("classification", 2, n_points=4),
)


def _task_qnn(task, v, h):
    from plateau_pl.train.ensemble import task_qnn

    return task_qnn(task.get(), _layout(v, h), "hardware_efficient", n_layers=1, seed=0)


TASK_QNN = Lazy("task_qnn(state, 1+1, hardware_efficient)", lambda: _task_qnn(TASK_STATE, 1, 1))
TASK_QNN_CLS = Lazy("task_qnn(classification, 2+0)", lambda: _task_qnn(TASK_CLS, 2, 0))


def _lie(words, n):
    from plateau_pl.lie import lie_algebra

    return lie_algebra(words, n)


LIE_SMALL = Lazy("lie_algebra(XI, IX, ZZ)", lambda: _lie(["XI", "IX", "ZZ"], 2))
LIE_ABELIAN = Lazy("lie_algebra(ZI, IZ)", lambda: _lie(["ZI", "IZ"], 2))
LIE_FULL = Lazy("lie_algebra(su(4) generators)", lambda: _lie(["XI", "IX", "ZI", "IZ", "XX"], 2))


def _figure_axes():
    from plateau_pl.plotting import plot_decay

    return plot_decay(synthetic_records(), "grad_variance")


AXES = Lazy("Axes of plot_decay", lambda: _figure_axes()[1], fresh=True)
FIGURE = Lazy("Figure of plot_decay", lambda: _figure_axes()[0], fresh=True)


def _gradient_map():
    from plateau_pl.diagnostics import gradient_map

    return gradient_map(QNN_HE.get(), n_samples=3, seed=0)


def _entropy_profile():
    from plateau_pl.diagnostics import entropy_profile

    return entropy_profile("hardware_efficient", _layout(1, 1), [1, 2], n_samples=3, seed=0)


GRADIENT_MAP = Lazy("gradient_map(QNN(1+2))", _gradient_map)
ENTROPY_PROFILE = Lazy("entropy_profile(hardware_efficient, 1+1)", _entropy_profile)

MODELS = (
    QNN,
    QNN_HE,
    QNN_MCCLEAN,
    QNN_AREA,
    QNN_TORCH,
    QNN_SHOTS,
    QNN_LIGHTNING,
    NOISY,
    QBM,
    QBM_NORM,
)
QNNS = (QNN, QNN_HE, QNN_MCCLEAN, QNN_AREA, QNN_TORCH, QNN_SHOTS, QNN_LIGHTNING, NOISY)
WRONG_OBJECTS = (None, "qnn", 3, {"model": "qnn"}, [1, 2], LAYOUT, HAM, ANSATZ, Junk())


def wrong_models(*extra):
    return one(*WRONG_OBJECTS, QNN_BIG, QNN_BIG_HE, QBM_BIG, *extra)


# ----------------------------------------------------------------------------- arrays


def density_matrices(n_qubits=(1, 2), torch_too=True, batch=True):
    """Random full-rank or pure density matrices (numpy or torch, batched or not)."""

    @st.composite
    def build(draw):
        from plateau_pl.quantum.random import random_density_matrix

        n = draw(st.sampled_from(n_qubits))
        rng = np.random.default_rng(draw(seeds()))
        b = draw(st.sampled_from((None, 2))) if batch else None
        rank = draw(st.sampled_from((None, 1)))
        rho = random_density_matrix(2**n, rng, batch=b, rank=rank)
        if torch_too and draw(st.booleans()):
            return _torch().as_tensor(rho)
        return rho

    return build()


def state_vectors(n_qubits=(1, 2, 3), torch_too=True):
    @st.composite
    def build(draw):
        from plateau_pl.quantum.random import haar_state

        n = draw(st.sampled_from(n_qubits))
        rng = np.random.default_rng(draw(seeds()))
        psi = haar_state(2**n, rng, batch=draw(st.sampled_from((None, 2))))
        if torch_too and draw(st.booleans()):
            return _torch().as_tensor(psi)
        return psi

    return build()


def hostile_density():
    """Non-density matrices and junk: not Hermitian, trace 2, negative, 1e308 entries, D=3."""
    torch = _torch()
    return st.one_of(
        array_junk(),
        one(
            np.array([[0.5, 0.3], [0.0, 0.5]]),
            np.eye(2),
            np.diag([1.5, -0.5]),
            np.array([[0.5, 1e308], [1e308, 0.5]]),
            np.array([[0.5, 1e200], [1e200, 0.5]]),
            np.eye(3) / 3,
            np.eye(8)[None][:0],
            np.diag([1.0, 0.0, 0.0, 0.0]).astype(complex),
            torch.eye(2, dtype=torch.float32) / 2,
            torch.eye(2, dtype=torch.int64),
            np.array([[1.0]]),
            np.diag([1.0 - 1e-300, 1e-300]),
            np.diag([2.0, -1.0]),
        ),
    )


def hostile_state():
    return st.one_of(
        array_junk(),
        one(
            np.array([1.0, 1.0]),
            np.array([1.0, 0, 0]),
            np.array([1e308, 0.0]),
            np.array([[1.0, 0.0]])[:0],
            np.zeros(4),
            np.array([1.0]),
        ),
    )


def hermitians(dims=(2, 4), torch_too=True):
    @st.composite
    def build(draw):
        d = draw(st.sampled_from(dims))
        rng = np.random.default_rng(draw(seeds()))
        a = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
        h = (a + a.conj().T) / 2 * draw(st.sampled_from((0.1, 1.0, 5.0)))
        if torch_too and draw(st.booleans()):
            return _torch().as_tensor(h)
        return h

    return build()


def synthetic_records(experiment="qnn-gradient", y="grad_variance", n=5):
    """Records ``y = 2^-h`` with 5 % errors, as the plotting tests build them."""
    return [
        {
            "experiment": experiment,
            "model": "qnn",
            "ansatz": "random_two_local",
            "n_visible": 1,
            "n_hidden": h,
            "n_params": 12,
            "generator_scale": 1.0,
            y: 2.0**-h,
            f"{y}_stderr": 0.05 * 2.0**-h,
        }
        for h in range(n)
    ]


def _real_records():
    """A few genuine records of each experiment (tiny), computed once."""
    from plateau_pl.experiments import haar, paper

    recs = []
    jobs = [
        (
            "haar-states",
            haar.haar_states,
            [dict(n_visible=1, n_hidden=h, n_samples=5, seed=h) for h in range(3)],
        ),
        (
            "trace-distance",
            paper.trace_distance,
            [dict(n_hidden=h, seed=h, n_samples=3) for h in range(3)],
        ),
        (
            "qnn-gradient",
            paper.qnn_gradient,
            [dict(n_hidden=h, seed=h, n_samples=3) for h in range(3)],
        ),
        (
            "qbm-gradient",
            paper.qbm_gradient,
            [dict(n_hidden=h, seed=h, n_samples=3) for h in range(2)],
        ),
        ("mcclean", paper.mcclean, [dict(n_qubits=q, seed=q, n_samples=3) for q in (2, 3)]),
    ]
    for name, fn, points in jobs:
        for p in points:
            try:
                recs.append({"experiment": name, **p, **fn(**p)})
            except Exception:
                pass
    return recs or synthetic_records()


REAL_RECORDS = Lazy("records of tiny runs of every experiment", _real_records)
SYNTH_RECORDS = Lazy("synthetic qnn-gradient records", synthetic_records)


def hostile_records():
    """Lists that are not records, or records with hostile fields."""
    base = synthetic_records(n=3)
    bad = []
    for value in ("x", None, NAN, INF, -1.0, 0.0, 1e308, 1j, [1.0], {"a": 1}, True, HUGE_INT):
        bad.append([{**r, "grad_variance": value} for r in base])
        bad.append([{**r, "n_hidden": value} for r in base])
        bad.append([{**r, "generator_scale": value} for r in base])
    return one(
        [],
        None,
        "abc",
        3,
        {"a": 1},
        [{}],
        [1, 2],
        [[1, 2]],
        [None],
        [{"n_hidden": 0}],
        [{1: 2}],
        [{"experiment": 3, "n_hidden": 0, "grad_variance": 1.0}],
        [{"experiment": "qnn-gradient", "n_hidden": h} for h in range(3)],
        [{**r, "grad_variance_stderr": NAN} for r in base],
        [{**r, "grad_variance_stderr": "x"} for r in base],
        [{**r, "n_params": "many"} for r in base],
        [{**r, "model": None, "ansatz": 3} for r in base],
        base[:1],
        *bad,
    )


def records_file_contents():
    """Records files: good, bad JSON, non-objects, huge ints, deep nesting, binary."""
    good = b'{"experiment": "qnn-gradient", "n_hidden": 0, "grad_variance": 0.5}\n'
    return one(
        good,
        good * 3,
        b"",
        b"\n\n",
        b"not json\n",
        b"[1, 2]\n",
        b"3\n",
        b'"x"\n',
        b"null\n",
        good + b'{"a": 1',
        b'{"a": ' + b"9" * 5000 + b"}\n",
        b"[" * 100000 + b"]" * 100000,
        b'{"a": ' + b"[" * 100000 + b"]" * 100000 + b"}\n",
        b"\xff\xfe\x00garbage\n",
        b'{"a": NaN}\n',
        b'{"a": Infinity}\n',
        b'{"a": 1e999}\n',
        b"\x00" * 64,
        good + b"\x00\n" + good,
        b'{"a": "\\ud800"}\n',
    )


def paths(kinds=("new",), name="out.jsonl"):
    """Valid paths of the given kinds (in the example's fresh folder)."""
    return one(*(Tmp(k, name) for k in kinds), *(Tmp(k, name, as_str=True) for k in kinds))


def hostile_paths(name="out.jsonl"):
    return one(
        Tmp("dir", name),
        Tmp("under_file", name),
        None,
        3,
        1.5,
        True,
        [],
        {},
        Junk(),
        "",
        "\x00bad",
        "a\x00b.jsonl",
        b"bytes.jsonl",
        "/proc/version/sub/file.jsonl",
        "/dev/null/x.jsonl",
    )


# ----------------------------------------------------------------------------- the catalogue


def _imp(module: str, name: str):
    def target():
        import importlib

        return getattr(importlib.import_module(module), name)

    target.__qualname__ = f"{module}.{name}"
    return target


def A(valid, hostile="default", optional=False):
    return Arg(valid, hostile, optional)


def ints(lo, hi):
    return st.integers(lo, hi)


def small_floats(lo=-3.0, hi=3.0):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def pos_floats(lo=1e-3, hi=10.0):
    return st.floats(lo, hi)


def _weights_for(model_token, batch=(None,)):
    """Valid weights of a resolved QNN (numpy/pennylane or torch, as its interface wants)."""

    @st.composite
    def build(draw):
        qnn = model_token.get()
        b = draw(st.sampled_from(batch))
        return qnn.init_weights(seed=draw(seeds()), batch=b)

    return build()


def _hostile_weights(model_token):
    @st.composite
    def build(draw):
        qnn = model_token.get()
        shape = qnn.weight_shape
        torch = _torch()
        choices = [
            np.zeros((*shape[:-1], shape[-1] + 1)),
            np.zeros(shape[::-1]) if len(shape) > 1 else np.zeros((2, *shape)),
            np.zeros((0, *shape)),
            np.full(shape, NAN),
            np.full(shape, INF),
            np.full(shape, 1e308),
            np.full(shape, 1e30),
            np.ones(shape) * (1 + 1j),
            np.ones(shape, dtype=int),
            np.ones(shape, dtype=bool),
            np.zeros(shape, dtype=object),
            torch.ones(shape, dtype=torch.complex128),
            torch.full(shape, NAN),
            torch.ones(shape, dtype=torch.float32),
            np.zeros((2, 2, *shape)),
            np.ones(()),
            [[0.1] * (shape[-1] - 1)],
            "weights",
            None,
            3,
            {},
            Junk(),
        ]
        return draw(one(*choices))

    return build()


def _inputs_for(model_token):
    @st.composite
    def build(draw):
        qnn = model_token.get()
        if qnn.embedding is None:
            return None
        n = qnn.layout.n_visible
        shape = draw(st.sampled_from(((n,), (3, n))))
        return np.random.default_rng(draw(seeds())).uniform(0, np.pi, size=shape)

    return build()


def _inputs_junk():
    return one(
        np.array([NAN, 0.0]),
        np.array([1j, 0.0]),
        np.zeros(5),
        np.zeros((0, 2)),
        np.full(2, 1e308),
        "x",
        [[1.0], [1.0, 2.0]],
        np.zeros((2, 2, 2)),
        3.0,
        np.array([0.1, 0.2]),
    )


def _theta_for(ham_or_qbm, batch=(None, 2)):
    @st.composite
    def build(draw):
        obj = ham_or_qbm(draw) if callable(ham_or_qbm) else ham_or_qbm
        h = obj.get()
        n = h.n_params if hasattr(h, "n_params") else h.hamiltonian.n_params
        b = draw(st.sampled_from(batch))
        size = (n,) if b is None else (b, n)
        theta = np.random.default_rng(draw(seeds())).normal(size=size)
        return _torch().as_tensor(theta) if draw(st.booleans()) else theta

    return build()


def _theta_junk(token):
    @st.composite
    def build(draw):
        h = token.get()
        n = h.n_params if hasattr(h, "n_params") else h.hamiltonian.n_params
        torch = _torch()
        return draw(
            one(
                np.zeros(n + 1),
                np.zeros((2, 2, n)),
                np.full(n, NAN),
                np.full(n, INF),
                np.full(n, 1e308),
                np.full(n, 1e200),
                np.ones(n) * 1j,
                torch.ones(n, dtype=torch.complex128),
                np.zeros((0, n)),
                np.zeros(0),
                "theta",
                [1.0, "x"],
                np.ones(n, dtype=bool),
                3.0,
                Junk(),
            )
        )

    return build()


def _qbm_layout_and_ham():
    """(layout token, hamiltonian token) pairs that match."""
    return st.sampled_from(
        (
            (1, 1, "random_two_local"),
            (1, 2, "transverse_ising"),
            (2, 1, "random_two_local"),
            (2, 0, "transverse_ising"),
        )
    )


def _post_eval_qnn(qnn, kwargs):
    """A freshly built QNN must also evaluate: ``qnn(w)`` and ``qnn.visible_state(w)``."""
    w = qnn.init_weights(seed=0)
    inputs = None
    if qnn.embedding is not None:
        inputs = np.linspace(0.1, 0.2, qnn.layout.n_visible)
    return qnn(w, inputs), qnn.visible_state(w, inputs)


def _post_eval_qbm(qbm, kwargs):
    import pennylane as qml

    return qbm(), qbm.expval(qml.Z(0))


def _post_matrix(h, kwargs):
    return h.matrix()


def _post_noise(noise, kwargs):
    return noise.kraus_matrices(), noise.pauli_transfer_matrix(), noise.contraction


def _post_call_stop(stop, kwargs):
    return [stop(i, loss) for i, loss in enumerate([3.0, 2.0, 2.0, 2.0])]


def _post_penalty(fn, kwargs):
    return fn(QBM_FRESH.get())


def _post_layer(layer, kwargs):
    return layer()


def _sweep_failures(result):
    return list(getattr(result, "failures", ()))


def _ensemble_failures(result):
    return []


def _cost_ok(x):
    return float(np.sum((np.asarray(x) - 1.0) ** 2))


COST = Lazy("cost(x) = |x - 1|^2", lambda: _cost_ok)
COST_NAN = Lazy("cost returning NaN", lambda: lambda x: NAN, finite=False)
COST_INF = Lazy("cost returning inf", lambda: lambda x: INF, finite=False)
COST_STR = Lazy("cost returning 'x'", lambda: lambda x: "x")
COST_NONE = Lazy("cost returning None", lambda: lambda x: None)
COST_COMPLEX = Lazy("cost returning 1j", lambda: lambda x: 1j)
COST_ARRAY = Lazy("cost returning an array", lambda: lambda x: np.asarray(x))
COST_HUGE = Lazy("cost returning 1e308*|x|^2", lambda: lambda x: 1e308 * float(np.sum(x**2)))
COST_JUNK = (None, 3, COST_NAN, COST_INF, COST_STR, COST_NONE, COST_COMPLEX, COST_ARRAY, COST_HUGE)
LOSS_QBM = Lazy("loss(m) = <Z0> of the QBM", lambda: lambda m: m.expval(_qml().Z(0)))
LOSS_NAN = Lazy(
    "loss returning NaN tensor", lambda: lambda m: m.expval(_qml().Z(0)) * NAN, finite=False
)
LOSS_STR = Lazy("loss returning 'x'", lambda: lambda m: "x")
LOSS_NOGRAD = Lazy(
    "loss returning a tensor without grad",
    lambda: lambda m: _torch().tensor(1.0, dtype=_torch().float64),
)
LOSS_VECTOR = Lazy("loss returning a vector", lambda: lambda m: m().real.reshape(-1))
QNN_COST = Lazy(
    "cost_fn = QNN(1+1, hardware_efficient) autograd",
    lambda: _qnn(1, 1, "hardware_efficient", n_layers=1, seed=11),
)
LAMBDA_TEMPLATE = Lazy(
    "template fn(weights, wires)", lambda: lambda w, wires: _qml().RY(w[0], wires=wires[0])
)


def build_catalogue() -> list[Spec]:
    t = "plateau_pl.theory"
    specs = [
        # ------------------------------------------------------------------ theory
        Spec(
            f"{t}.haar_purity",
            _imp(t, "haar_purity"),
            {"d_v": A(ints(1, 16), junk()), "d_h": A(ints(1, 16), junk())},
        ),
        Spec(
            f"{t}.page_entropy",
            _imp(t, "page_entropy"),
            {"d_v": A(ints(1, 16), junk()), "d_h": A(ints(1, 16), junk())},
        ),
        Spec(
            f"{t}.haar_trace_distance",
            _imp(t, "haar_trace_distance"),
            {"d_v": A(ints(1, 8)), "d_h": A(ints(1, 8))},
        ),
        Spec(
            f"{t}.haar_trace_distance_bound",
            _imp(t, "haar_trace_distance_bound"),
            {"d_v": A(ints(1, 16)), "d_h": A(ints(1, 16))},
        ),
        Spec(
            f"{t}.paper_trace_distance_bound",
            _imp(t, "paper_trace_distance_bound"),
            {"d_v": A(ints(1, 16)), "d_h": A(ints(1, 16))},
        ),
        Spec(f"{t}.haar_pauli_variance", _imp(t, "haar_pauli_variance"), {"d": A(ints(1, 64))}),
        Spec(
            f"{t}.haar_observable_variance",
            _imp(t, "haar_observable_variance"),
            {
                "obs_or_trace_sq": A(
                    st.one_of(hermitians(torch_too=False), pos_floats(0.0, 8.0)),
                    st.one_of(junk(), array_junk()),
                ),
                "d": A(
                    lambda kw: (
                        st.just(None)
                        if not isinstance(kw.get("obs_or_trace_sq"), float)
                        else ints(1, 8)
                    )
                ),
                "trace": A(st.just(0.0), optional=True),
            },
        ),
        Spec(
            f"{t}.haar_gradient_variance",
            _imp(t, "haar_gradient_variance"),
            {
                "d": A(ints(2, 64)),
                "generator_scale": A(small_floats(), optional=True),
                "obs_trace_sq": A(st.one_of(st.none(), pos_floats(0.0, 64.0)), optional=True),
            },
        ),
        Spec(
            f"{t}.parameter_shift_variance",
            _imp(t, "parameter_shift_variance"),
            {
                "shots": A(ints(1, 10**4)),
                "generator_scale": A(small_floats(), optional=True),
                "outcome_variance": A(pos_floats(0.0, 1.0), optional=True),
            },
        ),
        Spec(
            f"{t}.shots_for_snr",
            _imp(t, "shots_for_snr"),
            {
                "grad_variance": A(pos_floats(1e-6, 1.0)),
                "snr": A(pos_floats(0.1, 5.0), optional=True),
                "generator_scale": A(small_floats(0.1, 1.0), optional=True),
                "outcome_variance": A(pos_floats(0.0, 1.0), optional=True),
            },
        ),
        Spec(
            f"{t}.lipschitz_bound",
            _imp(t, "lipschitz_bound"),
            {
                "delta": A(small_floats(-1, 1)),
                "obs_norm": A(pos_floats(0.0, 2.0)),
                "generator_norm": A(pos_floats(0.0, 2.0)),
                "d_v": A(ints(1, 8)),
                "d_h": A(ints(1, 8)),
            },
        ),
    ]
    d = "plateau_pl.diagnostics"
    specs += [
        # ------------------------------------------------------------------ stats
        Spec(
            f"{d}.mean_stderr",
            _imp(d, "mean_stderr"),
            {
                "x": A(
                    st.lists(small_floats(-10, 10), min_size=2, max_size=20),
                    st.one_of(
                        array_junk(),
                        one(
                            [],
                            [1.0],
                            [1e308, 1e308],
                            [1e200] * 3,
                            [[1, 2], [3]],
                            [1j, 2j],
                            "abc",
                            None,
                            {"a": 1},
                        ),
                    ),
                )
            },
        ),
        Spec(
            f"{d}.variance_stderr",
            _imp(d, "variance_stderr"),
            {
                "grads": A(
                    st.builds(
                        lambda s, n, p: np.random.default_rng(s).normal(size=(n, p)),
                        seeds(),
                        ints(2, 10),
                        ints(1, 4),
                    ),
                    st.one_of(
                        array_junk(),
                        one(
                            np.zeros((1, 3)),
                            np.ones(4),
                            [],
                            np.full((3, 2), 1e200),
                            [[1.0, 2.0], [3.0]],
                            np.zeros((3, 0)),
                            None,
                            "abc",
                        ),
                    ),
                )
            },
        ),
        Spec(
            f"{d}.fit_decay",
            _imp(d, "fit_decay"),
            {
                "x": A(
                    st.just([0.0, 1.0, 2.0, 3.0]),
                    st.one_of(array_junk(), one([0.0, 1.0], [0.0] * 4, [], [0, 1, 2, 3, 4])),
                ),
                "y": A(
                    st.lists(pos_floats(1e-3, 2.0), min_size=4, max_size=4),
                    st.one_of(
                        array_junk(),
                        one(
                            [1.0, 0.0, 0.5, 0.25],
                            [1.0, -1.0, 0.5, 0.2],
                            [1.0, 0.5],
                            [1e-320] * 4,
                            [1e308] * 4,
                            [],
                        ),
                    ),
                ),
                "yerr": A(
                    st.one_of(st.none(), st.lists(pos_floats(1e-3, 0.5), min_size=4, max_size=4)),
                    st.one_of(array_junk(), one([0.0] * 4, [-1.0] * 4, [1.0], "x")),
                    optional=True,
                ),
            },
        ),
        # ------------------------------------------------------------------ diagnostics.sampling
        Spec(
            f"{d}.gradient_variance",
            _imp(d, "gradient_variance"),
            {
                "model": A(one(*MODELS), wrong_models()),
                "n_samples": A(ints(2, 6), one(*COUNT_JUNK)),
                "seed": A(seeds(), one(*INT_JUNK)),
                "resample_structure": A(st.booleans(), one(*BOOL_JUNK), optional=True),
                "dist": A(one("uniform", "normal", "small"), one(*STR_JUNK), optional=True),
                "observable": A(
                    st.none(),
                    one(
                        Lazy("qml.Z(0)", lambda: _qml().Z(0)),
                        Lazy("qml.Z(5)", lambda: _qml().Z(5)),
                        "Z",
                        np.eye(2),
                        np.ones((3, 3)),
                        3,
                    ),
                    optional=True,
                ),
                "engine": A(
                    one("auto", "statevector", "device", "autograd", "pauli", "qbm"),
                    one(*STR_JUNK),
                    optional=True,
                ),
            },
            cost=3,
        ),
        Spec(
            f"{d}.lipschitz_ratio",
            _imp(d, "lipschitz_ratio"),
            {
                "model": A(one(*MODELS), wrong_models()),
                "delta": A(one(0.1, -0.1, 0.5), one(*FLOAT_JUNK)),
                "n_samples": A(ints(2, 6), one(*COUNT_JUNK)),
                "seed": A(seeds(), one(*INT_JUNK)),
                "resample_structure": A(st.booleans(), one(*BOOL_JUNK), optional=True),
                "dist": A(one("uniform", "normal", "small"), one(*STR_JUNK), optional=True),
                "engine": A(one("auto", "statevector", "device"), one(*STR_JUNK), optional=True),
            },
            cost=3,
        ),
        Spec(
            f"{d}.visible_state_stats",
            _imp(d, "visible_state_stats"),
            {
                "model": A(one(*MODELS), wrong_models()),
                "n_samples": A(ints(2, 6), one(*COUNT_JUNK)),
                "seed": A(seeds(), one(*INT_JUNK)),
                "resample_structure": A(st.booleans(), one(*BOOL_JUNK), optional=True),
                "dist": A(one("uniform", "normal", "small"), one(*STR_JUNK), optional=True),
                "bins": A(ints(1, 20), one(*COUNT_JUNK), optional=True),
                "engine": A(
                    one("auto", "statevector", "device", "pauli"), one(*STR_JUNK), optional=True
                ),
            },
            cost=3,
        ),
        Spec(
            f"{d}.gradient_map",
            _imp(d, "gradient_map"),
            {
                "qnn": A(
                    one(QNN, QNN_HE, QNN_MCCLEAN, QNN_AREA, QNN_TORCH, NOISY), wrong_models(QBM)
                ),
                "n_samples": A(ints(2, 5), one(*COUNT_JUNK)),
                "seed": A(seeds(), one(*INT_JUNK)),
                "dist": A(one("uniform", "normal", "small"), one(*STR_JUNK), optional=True),
                "resample_structure": A(st.booleans(), one(*BOOL_JUNK), optional=True),
                "engine": A(one("auto", "statevector", "device"), one(*STR_JUNK), optional=True),
            },
            cost=3,
        ),
        Spec(
            f"{d}.entropy_profile",
            _imp(d, "entropy_profile"),
            {
                "model": A(
                    one("hardware_efficient", "random_two_local", "area_law", "mcclean"),
                    one(*STR_JUNK, QNN, QBM),
                ),
                "layout": A(
                    one(LAYOUT, Lazy("WireLayout(1, 2)", lambda: _layout(1, 2))),
                    one(None, "layout", 3, LAYOUT_BIG, LAYOUT_HUGE, QNN, {}),
                ),
                "depths": A(
                    st.lists(ints(1, 3), min_size=1, max_size=3),
                    one(
                        [],
                        [0],
                        [-1],
                        [1.5],
                        ["1"],
                        "12",
                        None,
                        3,
                        [10**12],
                        [True],
                        [1, None],
                        np.array([1, 2]),
                    ),
                ),
                "n_samples": A(ints(2, 4), one(*COUNT_JUNK)),
                "seed": A(seeds(), one(*INT_JUNK)),
                "dist": A(one("uniform", "normal", "small"), one(*STR_JUNK), optional=True),
                "device": A(
                    one("default.qubit", "lightning.qubit"),
                    one(*STR_JUNK, "default.qutrit", "bogus.device"),
                    optional=True,
                ),
                "ansatz_options": A(
                    st.none(), one({"bogus": 1}, {"n_cross": -1}, "x", [1], 3), optional=True
                ),
                "engine": A(one("auto", "statevector", "device"), one(*STR_JUNK), optional=True),
            },
            cost=3,
        ),
    ]
    q = "plateau_pl.quantum"
    dm, sv = density_matrices(), state_vectors()
    atol = A(one(None, 1e-8, 1e-6), one(-1.0, NAN, INF, "x", 1j, [], True, Junk()), optional=True)
    base = A(
        one(None, 2, 2.0, math.e, 10),
        one(1, 1.0, 0, -2, NAN, INF, "2", True, 1j, [], 1e-320, 1e308),
        optional=True,
    )
    keep_junk = one(
        [5], [-1], [0, 0], [], "0", 0.5, True, None, [1.0], [None], 10**12, {0: 1}, [0, 1, 2, 3, 4]
    )
    nwires_junk = one(0, -1, 5, "2", 2.0, True, 10**12, 1j, [])

    def keep_for(kw, key):
        """Valid wires of the drawn state (of 2 wires when the state itself is hostile)."""
        shape = getattr(kw.get(key), "shape", ())
        dim = int(shape[-1]) if len(shape) else 0
        n = dim.bit_length() - 1 if dim >= 2 and dim & (dim - 1) == 0 else 2
        return st.lists(ints(0, n - 1), min_size=1, max_size=n, unique=True)

    specs += [
        # ------------------------------------------------------------------ quantum
        Spec(f"{q}.purity", _imp(q, "purity"), {"rho": A(dm, hostile_density()), "atol": atol}),
        Spec(
            f"{q}.renyi2_entropy",
            _imp(q, "renyi2_entropy"),
            {"rho": A(dm, hostile_density()), "base": base, "atol": atol},
        ),
        Spec(
            f"{q}.von_neumann_entropy",
            _imp(q, "von_neumann_entropy"),
            {"rho": A(dm, hostile_density()), "base": base, "atol": atol},
        ),
        Spec(
            f"{q}.trace_distance_to_maximally_mixed",
            _imp(q, "trace_distance_to_maximally_mixed"),
            {"rho": A(dm, hostile_density()), "atol": atol},
        ),
        Spec(
            f"{q}.trace_distance",
            _imp(q, "trace_distance"),
            {
                "rho": A(density_matrices((1,)), hostile_density()),
                "sigma": A(density_matrices((1,)), hostile_density()),
                "atol": atol,
            },
        ),
        Spec(
            f"{q}.relative_entropy",
            _imp(q, "relative_entropy"),
            {
                "sigma": A(density_matrices((1,)), hostile_density()),
                "rho": A(density_matrices((1,)), hostile_density()),
                "atol": atol,
            },
        ),
        Spec(
            f"{q}.partial_trace",
            _imp(q, "partial_trace"),
            {
                "rho": A(density_matrices((1, 2, 3)), hostile_density()),
                "keep": A(lambda kw: keep_for(kw, "rho"), keep_junk),
                "n_wires": A(st.none(), nwires_junk, optional=True),
                "atol": atol,
            },
        ),
        Spec(
            f"{q}.reduced_density_matrix",
            _imp(q, "reduced_density_matrix"),
            {
                "psi": A(sv, hostile_state()),
                "keep": A(lambda kw: keep_for(kw, "psi"), keep_junk),
                "n_wires": A(st.none(), nwires_junk, optional=True),
                "atol": atol,
            },
        ),
        Spec(
            f"{q}.entanglement_entropy",
            _imp(q, "entanglement_entropy"),
            {
                "state": A(st.one_of(sv, dm), st.one_of(hostile_state(), hostile_density())),
                "keep": A(
                    lambda kw: st.one_of(st.none(), keep_for(kw, "state")), keep_junk, optional=True
                ),
                "n_wires": A(st.none(), nwires_junk, optional=True),
                "kind": A(one("von_neumann", "renyi2"), one(*STR_JUNK), optional=True),
                "base": base,
                "representation": A(
                    one("auto", "vector", "density"), one(*STR_JUNK), optional=True
                ),
                "atol": atol,
            },
        ),
        Spec(
            f"{q}.is_density_matrix",
            _imp(q, "is_density_matrix"),
            {
                "rho": A(dm, hostile_density()),
                "atol": A(
                    one(1e-8, 1e-6), one(-1.0, NAN, INF, "x", 1j, None, [], Junk()), optional=True
                ),
            },
        ),
        Spec(f"{q}.maximally_mixed", _imp(q, "maximally_mixed"), {"d": A(ints(1, 16))}),
        Spec(
            f"{q}.check_density_matrix",
            _imp(q, "check_density_matrix"),
            {
                "rho": A(dm, hostile_density()),
                "name": A(one("rho", "sigma"), None, optional=True),
                "atol": atol,
                "trace": A(st.booleans(), one(*BOOL_JUNK), optional=True),
                "qubits": A(st.booleans(), one(*BOOL_JUNK), optional=True),
            },
        ),
        Spec(
            f"{q}.check_state_vector",
            _imp(q, "check_state_vector"),
            {
                "psi": A(sv, hostile_state()),
                "name": A(st.just("psi"), None, optional=True),
                "atol": atol,
            },
        ),
        Spec(
            f"{q}.check_wires",
            _imp(q, "check_wires"),
            {
                "keep": A(st.lists(ints(0, 3), min_size=1, max_size=4, unique=True), keep_junk),
                "n_wires": A(st.just(4), one(0, -1, "4", 4.0, None, 10**12, NAN)),
                "name": A(st.just("keep"), None, optional=True),
            },
        ),
    ]
    c = "plateau_pl.circuits"
    layouts = one(
        LAYOUT,
        Lazy("WireLayout(1, 2)", lambda: _layout(1, 2)),
        Lazy("WireLayout(2, 1)", lambda: _layout(2, 1)),
    )
    layouts_junk = one(None, "layout", 3, {}, (1, 1), LAYOUT_BIG, LAYOUT_HUGE, QNN, Junk())
    specs += [
        # ------------------------------------------------------------------ circuits
        Spec(
            f"{c}.WireLayout",
            _imp(c, "WireLayout"),
            {
                "n_visible": A(ints(1, 3), one(*INT_JUNK)),
                "n_hidden": A(ints(0, 3), one(*INT_JUNK), optional=True),
            },
        ),
        Spec(
            f"{c}.make_ansatz",
            _imp(c, "make_ansatz"),
            {
                "ansatz": A(
                    one(
                        "random_two_local",
                        "mcclean",
                        "hardware_efficient",
                        "area_law",
                        "identity_blocks",
                    ),
                    one(
                        *STR_JUNK,
                        LAMBDA_TEMPLATE,
                        (LAMBDA_TEMPLATE, "ab"),
                        (LAMBDA_TEMPLATE, (-1,)),
                        (LAMBDA_TEMPLATE, (10**7, 10**7)),
                        Lazy("qml.RX (no shape)", lambda: _qml().RX),
                        Lazy(
                            "qml.StronglyEntanglingLayers", lambda: _qml().StronglyEntanglingLayers
                        ),
                        ANSATZ_HE,
                    ),
                ),
                "layout": A(layouts, layouts_junk),
                "n_layers": A(one(None, 1, 2), one(*COUNT_JUNK), optional=True),
                "seed": A(st.one_of(st.none(), seeds()), one(*INT_JUNK), optional=True),
                "weight_shape": A(
                    st.none(), one((2,), (-1,), "ab", (10**7, 10**7), 3, (1.5,)), optional=True
                ),
            },
        ),
        Spec(
            f"{c}.pauli_terms", _imp(c, "pauli_terms"), {"n_wires": A(ints(1, 3), one(*INT_JUNK))}
        ),
        Spec(
            f"{c}.CustomAnsatz",
            _imp(c, "CustomAnsatz"),
            {
                "fn": A(st.just(LAMBDA_TEMPLATE), one(None, 3, "fn", Junk())),
                "weight_shape": A(
                    one((1,), (2,), [1]),
                    one((), (0,), (-1,), "ab", None, (1.5,), (10**12,), (10**7, 10**7), 3),
                ),
                "layout": A(layouts, layouts_junk),
                "n_layers": A(st.just(1), one(*COUNT_JUNK), optional=True),
            },
        ),
        Spec(
            "plateau_pl.circuits.Ansatz.check_weights",
            lambda: None,
            {
                "self": A(one(ANSATZ, ANSATZ_HE), None),
                "weights": A(
                    lambda kw: st.just(np.zeros(kw["self"].get().weight_shape)), array_junk()
                ),
                "allow_batch": A(st.booleans(), one(*BOOL_JUNK), optional=True),
            },
            method="check_weights",
        ),
    ]
    m = "plateau_pl.models"
    qnn_args = {
        "layout": A(layouts, layouts_junk),
        "ansatz": A(
            one("random_two_local", "hardware_efficient", "mcclean", "area_law"),
            one(*STR_JUNK, LAMBDA_TEMPLATE, (LAMBDA_TEMPLATE, (1,)), ANSATZ_BIG),
        ),
        "n_layers": A(one(None, 1), one(*COUNT_JUNK), optional=True),
        "observable": A(
            one(None, Lazy("qml.Z(0)", lambda: _qml().Z(0)), Lazy("qml.X(0)", lambda: _qml().X(0))),
            one(
                "Z",
                3,
                np.eye(2),
                Lazy("qml.Z(1)", lambda: _qml().Z(1)),
                Lazy("qml.Z(7)", lambda: _qml().Z(7)),
                Junk(),
            ),
            optional=True,
        ),
        "embedding": A(st.none(), one(3, "AngleEmbedding", Junk()), optional=True),
        "device": A(
            one("default.qubit", "lightning.qubit"),
            one(*STR_JUNK, "default.qutrit", "bogus.device", "qiskit.basicsim"),
            optional=True,
        ),
        "diff_method": A(
            one("best", "parameter-shift"), one(*STR_JUNK, "backprop", "adjoint"), optional=True
        ),
        "shots": A(
            one("device", None, 50),
            one(-1, 0, 1.5, "many", True, 10**12, NAN, [], 2**70),
            optional=True,
        ),
        "interface": A(one("autograd", "torch"), one(*STR_JUNK, "jax", "tf"), optional=True),
        "seed": A(st.one_of(st.none(), seeds()), one(*INT_JUNK), optional=True),
        "ansatz_options": A(st.none(), one({"bogus": 1}, {"n_cross": 0}, "x", [1]), optional=True),
        "device_options": A(
            st.none(), one({"bogus": 1}, {"wires": 99}, {"shots": 5}, "x", [1]), optional=True
        ),
    }
    specs += [
        # ------------------------------------------------------------------ models
        Spec(f"{m}.QNN", _imp(m, "QNN"), qnn_args, post=_post_eval_qnn, cost=2),
        Spec(
            f"{m}.NoisyQNN",
            _imp(m, "NoisyQNN"),
            {
                "layout": A(one(LAYOUT), layouts_junk),
                "ansatz": A(one("hardware_efficient", "random_two_local"), one(*STR_JUNK)),
                "n_layers": A(st.just(1), one(*COUNT_JUNK), optional=True),
                "noise": A(
                    one(
                        None,
                        Lazy(
                            "NoiseModel(depolarizing, 0.1)",
                            lambda: _pp().models.NoiseModel("depolarizing", 0.1),
                        ),
                        Lazy(
                            "NoiseModel(amplitude_damping, 0.2)",
                            lambda: _pp().models.NoiseModel("amplitude_damping", 0.2),
                        ),
                    ),
                    one("depolarizing", 0.1, {"p": 0.1}, QNN, Junk()),
                ),
                "device": A(
                    st.just("default.mixed"),
                    one(*STR_JUNK, "default.qubit", "lightning.qubit", "default.qutrit"),
                    optional=True,
                ),
                "shots": A(
                    one("device", None), one(-1, 0, 1.5, "many", True, 10**12), optional=True
                ),
                "seed": A(seeds(), one(*INT_JUNK), optional=True),
            },
            post=_post_eval_qnn,
            cost=2,
        ),
        Spec(
            f"{m}.NoiseModel",
            _imp(m, "NoiseModel"),
            {
                "channel": A(
                    one("depolarizing", "amplitude_damping", "bit_flip", "phase_flip"),
                    one(*STR_JUNK),
                ),
                "p": A(pos_floats(0.0, 1.0), one(*FLOAT_JUNK, 1.5, -0.1)),
            },
            post=_post_noise,
        ),
        Spec(
            f"{m}.draw_weights",
            _imp(m, "draw_weights"),
            {
                "shape": A(
                    one((2,), (1, 3), (2, 2)),
                    one((-1,), "ab", None, (10**7, 10**7), (10**12,), (1.5,), 3, (2**70,)),
                ),
                "seed": A(st.one_of(st.none(), seeds()), one(*INT_JUNK), optional=True),
                "dist": A(one("uniform", "normal", "small"), one(*STR_JUNK), optional=True),
                "scale": A(one(None, 0.5, 2.0), one(*FLOAT_JUNK), optional=True),
                "batch": A(one(None, 1, 3), one(*COUNT_JUNK), optional=True),
            },
        ),
        Spec(
            f"{m}.gibbs_state",
            _imp(m, "gibbs_state"),
            {
                "h": A(
                    hermitians(),
                    st.one_of(
                        array_junk(),
                        one(
                            np.array([[0.0, 1.0], [0.0, 0.0]]),
                            np.diag([1e308, -1e308]),
                            np.diag([1e300, 0.0]),
                            np.full((2, 2), 1e308),
                            np.zeros((0, 0)),
                            np.eye(3) * 1e6,
                            np.zeros((2, 2, 2)),
                        ),
                    ),
                ),
                "check": A(st.just(True), one(*BOOL_JUNK), optional=True),
            },
        ),
        Spec(
            f"{m}.trace_hidden",
            _imp(m, "trace_hidden"),
            {
                "rho": A(
                    st.builds(
                        lambda r: _torch().as_tensor(r), density_matrices((2,), False, False)
                    ),
                    st.one_of(array_junk(), one(np.eye(4) / 4)),
                ),
                "d_v": A(st.just(2), one(*INT_JUNK, 3)),
                "d_h": A(st.just(2), one(*INT_JUNK, 3)),
            },
        ),
        Spec(
            f"{m}.QBM",
            _imp(m, "QBM"),
            {
                "layout": A(
                    st.builds(
                        lambda p: Lazy(
                            f"WireLayout({p[0]}, {p[1]})", lambda: _layout(p[0], p[1]), meta=p
                        ),
                        _qbm_layout_and_ham(),
                    ),
                    layouts_junk,
                ),
                "hamiltonian": A(
                    lambda kw: st.just(_matching_ham(kw.get("layout"))),
                    one(None, "random_two_local", QNN, HAM_TI, HAM_BIG, {}, Junk()),
                ),
                "beta": A(one(1.0, 0.5, 2.0), one(*FLOAT_JUNK, 1e300, 10**7)),
                "normalize": A(one(None, "opnorm"), one(*STR_JUNK)),
                "theta": A(
                    st.none(),
                    one(np.zeros(1), np.full(6, NAN), "theta", np.ones(6) * 1j, np.full(6, 1e308)),
                    optional=True,
                ),
                "seed": A(st.one_of(st.none(), seeds()), one(*INT_JUNK), optional=True),
            },
            post=_post_eval_qbm,
        ),
    ]
    specs += [
        # ------------------------------------------------------------------ model methods
        Spec(
            "plateau_pl.models.QNN.__call__",
            lambda: None,
            {
                "self": A(one(*QNNS, QNN_EMBED), None),
                "weights": A(
                    lambda kw: _weights_for(kw["self"], (None, 2)),
                    lambda kw: _hostile_weights(kw["self"]),
                ),
                "inputs": A(lambda kw: _inputs_for(kw["self"]), _inputs_junk(), optional=True),
            },
            method="__call__",
        ),
        Spec(
            "plateau_pl.models.QNN.gradient",
            lambda: None,
            {
                "self": A(one(*QNNS, QNN_EMBED), None),
                "weights": A(
                    lambda kw: _weights_for(kw["self"]), lambda kw: _hostile_weights(kw["self"])
                ),
                "inputs": A(lambda kw: _inputs_for(kw["self"]), _inputs_junk(), optional=True),
            },
            method="gradient",
        ),
        Spec(
            "plateau_pl.models.QNN.visible_state",
            lambda: None,
            {
                "self": A(one(*QNNS, QNN_EMBED), None),
                "weights": A(
                    lambda kw: _weights_for(kw["self"], (None, 2)),
                    lambda kw: _hostile_weights(kw["self"]),
                ),
                "inputs": A(lambda kw: _inputs_for(kw["self"]), _inputs_junk(), optional=True),
            },
            method="visible_state",
        ),
        Spec(
            "plateau_pl.models.QNN.init_weights",
            lambda: None,
            {
                "self": A(one(QNN, QNN_TORCH, QNN_HE), None),
                "seed": A(st.one_of(st.none(), seeds()), one(*INT_JUNK), optional=True),
                "dist": A(one("uniform", "normal", "small"), one(*STR_JUNK, "identity")),
                "scale": A(one(None, 0.5, 3.0), one(*FLOAT_JUNK), optional=True),
                "batch": A(one(None, 1, 4), one(*COUNT_JUNK), optional=True),
            },
            method="init_weights",
        ),
        Spec(
            "plateau_pl.models.QNN.with_structure",
            lambda: None,
            {
                "self": A(one(QNN, QNN_MCCLEAN), None),
                "seed": A(seeds(), one(*INT_JUNK)),
            },
            method="with_structure",
        ),
        Spec(
            "plateau_pl.models.QNN.torch_layer",
            lambda: None,
            {
                "self": A(one(QNN_TORCH, QNN), None),
                "weights": A(st.none(), lambda kw: _hostile_weights(kw["self"]), optional=True),
                "seed": A(seeds(), one(*INT_JUNK), optional=True),
                "dist": A(one("uniform", "normal"), one(*STR_JUNK), optional=True),
            },
            method="torch_layer",
            post=_post_layer,
        ),
        Spec(
            "plateau_pl.models.QBM.forward",
            lambda: None,
            {
                "self": A(one(QBM, QBM_NORM), None),
                "theta": A(
                    lambda kw: st.one_of(st.none(), _theta_for(kw["self"])),
                    lambda kw: _theta_junk(kw["self"]),
                    optional=True,
                ),
            },
            method="forward",
        ),
        Spec(
            "plateau_pl.models.QBM.expval",
            lambda: None,
            {
                "self": A(one(QBM, QBM_NORM, Lazy("QBM(2+1)", lambda: _qbm(2, 1))), None),
                "observable": A(
                    one(
                        Lazy("qml.Z(0)", lambda: _qml().Z(0)),
                        Lazy("qml.X(0)", lambda: _qml().X(0)),
                        np.diag([1.0, -1.0]),
                    ),
                    st.one_of(
                        array_junk(),
                        one(
                            Lazy("qml.Z(1)", lambda: _qml().Z(1)),
                            "Z",
                            None,
                            np.array([[0.0, 1.0], [0.0, 0.0]]),
                            np.diag([1e308, -1e308]),
                            Lazy("qml.Z(9)", lambda: _qml().Z(9)),
                        ),
                    ),
                ),
            },
            method="expval",
        ),
        Spec(
            "plateau_pl.models.QBM.relative_entropy",
            lambda: None,
            {
                "self": A(one(QBM, QBM_NORM), None),
                "target": A(density_matrices((1,), batch=False), hostile_density()),
            },
            method="relative_entropy",
        ),
        Spec(
            "plateau_pl.models.QBM.nll",
            lambda: None,
            {
                "self": A(one(QBM, QBM_NORM), None),
                "data": A(
                    one(np.array([[0], [1], [1]]), np.array([0.25, 0.75]), [[0], [0]]),
                    st.one_of(
                        array_junk(),
                        one(
                            np.array([[2], [0]]),
                            np.array([0.5, 0.6]),
                            np.array([-0.5, 1.5]),
                            np.zeros((0, 1)),
                            np.array([NAN, 1.0]),
                            [[0.5]],
                            "01",
                            np.array([1.0, 0.0]),
                        ),
                    ),
                ),
            },
            method="nll",
        ),
    ]
    h = "plateau_pl.hamiltonians"

    def term(*a):
        return Lazy(f"PauliTerm{a}", lambda: _pp().hamiltonians.PauliTerm(*a))

    good_terms = one([term("ZZ", (0, 1), 0), term("X", (1,), 1)], [term("Z", (0,), 0)])
    bad_terms = one(
        [],
        None,
        "ZZ",
        [("ZZ", (0, 1))],
        [term("XQ", (0, 1), 0)],
        [term("Z", (0,), -1)],
        [term("Z", (0,), 1.5)],
        [term("Z", (0,), 10**12)],
        [term("Z", 0, 0)],
        [term(None, (0,), 0)],
        [term("Z", (0,), 0, "x")],
        [term("Z", (0,), 0, NAN)],
        [term("Z", (5,), 0)],
        [term("ZZ", (0, 0), 0)],
        [term("Z", (0,), "0")],
        [term(3, (0,), 0)],
        [term("Z", (0.0,), 0)],
        [term("Z", (0,), True)],
        [term("Z", (0,), 0, 1e308)],
    )
    specs += [
        # ------------------------------------------------------------------ hamiltonians
        Spec(
            f"{h}.PauliHamiltonian",
            _imp(h, "PauliHamiltonian"),
            {
                "layout": A(one(LAYOUT), layouts_junk),
                "terms": A(good_terms, bad_terms),
                "coeffs": A(one([1.0, 0.5], [1.0]), st.one_of(array_junk(), one([1e308, 1e308]))),
                "name": A(st.just("custom"), one(None, 3), optional=True),
            },
            post=_post_matrix,
        ),
        Spec(
            f"{h}.from_terms",
            _imp(h, "from_terms"),
            {
                "layout": A(one(LAYOUT), layouts_junk),
                "terms": A(
                    one(
                        [("ZZ", (0, 1)), ("X", (1,))],
                        [("Z", (0,))],
                        ["Z0 Z1", "X1"],
                        [Lazy("qml.Z(0)@qml.Z(1)", lambda: _qml().Z(0) @ _qml().Z(1))],
                        Lazy(
                            "qml.Hamiltonian 0.5 Z0 + X1", lambda: 0.5 * _qml().Z(0) + _qml().X(1)
                        ),
                    ),
                    one(
                        [],
                        None,
                        "ZZ",
                        [("ZQ", (0, 1))],
                        [("Z", (7,))],
                        [("ZZ", (0, 0))],
                        [("Z",)],
                        [("Z", 0)],
                        [(3, (0,))],
                        [("Z", (0,), 1, 2)],
                        [None],
                        ["Q0"],
                        [Lazy("qml.Z(5)", lambda: _qml().Z(5))],
                        [Lazy("qml.Hadamard(0)", lambda: _qml().Hadamard(0))],
                    ),
                ),
                "coeffs": A(
                    st.none(),
                    one([1.0], [NAN, 1.0], [1.0, 2.0, 3.0], "x", [1j, 1j], [1e308, 1e308]),
                    optional=True,
                ),
            },
            post=_post_matrix,
        ),
        Spec(
            f"{h}.random_two_local",
            _imp(h, "random_two_local"),
            {
                "layout": A(layouts, layouts_junk),
                "seed": A(st.one_of(st.none(), seeds()), one(*INT_JUNK), optional=True),
                "onsite_scale": A(pos_floats(0.0, 1.0), one(*FLOAT_JUNK), optional=True),
                "offsite_scale": A(pos_floats(0.0, 1.0), one(*FLOAT_JUNK), optional=True),
                "dist": A(one("normal", "uniform"), one(*STR_JUNK), optional=True),
            },
            post=_post_matrix,
        ),
        Spec(
            f"{h}.transverse_ising",
            _imp(h, "transverse_ising"),
            {
                "layout": A(layouts, layouts_junk),
                "graph": A(
                    one("complete", "chain", "bipartite"),
                    one(
                        *STR_JUNK,
                        [(0, 1)],
                        [(0, 5)],
                        [(0, 0)],
                        Lazy("networkx path_graph(2)", _nx_graph),
                    ),
                    optional=True,
                ),
                "fields": A(one(None, 0.5), one(NAN, "x", [1.0] * 7, 1j, 1e308, []), optional=True),
                "couplings": A(one(None, 1.0), one(NAN, "x", [1.0] * 9, 1j, 1e308), optional=True),
                "transverse": A(one(None, 1.0), one(NAN, "x", [1.0] * 9, 1j, 1e308), optional=True),
                "seed": A(st.one_of(st.none(), seeds()), one(*INT_JUNK), optional=True),
                "dist": A(one("normal", "uniform"), one(*STR_JUNK), optional=True),
                "scale": A(pos_floats(0.0, 2.0), one(*FLOAT_JUNK), optional=True),
            },
            post=_post_matrix,
        ),
        Spec(
            "plateau_pl.hamiltonians.PauliHamiltonian.matrix",
            lambda: None,
            {
                "self": A(one(HAM, HAM_TI, HAM_BIG, HAM_BIG_TI), None),
                "theta": A(
                    lambda kw: st.one_of(st.none(), _theta_for(kw["self"])),
                    lambda kw: _theta_junk(kw["self"]),
                    optional=True,
                ),
            },
            method="matrix",
        ),
        Spec(
            "plateau_pl.hamiltonians.PauliHamiltonian.operator_norm",
            lambda: None,
            {
                "self": A(one(HAM, HAM_TI, HAM_BIG_TI), None),
                "theta": A(
                    lambda kw: st.one_of(st.none(), _theta_for(kw["self"], (None,))),
                    lambda kw: _theta_junk(kw["self"]),
                    optional=True,
                ),
            },
            method="operator_norm",
        ),
        Spec(
            "plateau_pl.hamiltonians.PauliHamiltonian.term_matrix",
            lambda: None,
            {
                "self": A(one(HAM, HAM_TI, HAM_BIG), None),
                "param": A(ints(0, 2), one(*INT_JUNK)),
            },
            method="term_matrix",
        ),
        Spec(
            "plateau_pl.hamiltonians.PauliHamiltonian.with_coeffs",
            lambda: None,
            {
                "self": A(one(HAM, HAM_TI), None),
                "coeffs": A(
                    lambda kw: _theta_for(kw["self"], (None,)), lambda kw: _theta_junk(kw["self"])
                ),
            },
            method="with_coeffs",
            post=_post_matrix,
        ),
        Spec(
            "plateau_pl.hamiltonians.PauliHamiltonian.redraw",
            lambda: None,
            {
                "self": A(
                    one(
                        HAM,
                        HAM_TI,
                        Lazy(
                            "from_terms(ZZ, X)",
                            lambda: _pp().hamiltonians.from_terms(_layout(1, 1), [("ZZ", (0, 1))]),
                        ),
                    ),
                    None,
                ),
                "seed": A(seeds(), one(*INT_JUNK)),
            },
            method="redraw",
            post=_post_matrix,
        ),
    ]
    lie = "plateau_pl.lie"
    gen_junk = one(
        [],
        None,
        "XZ",
        ["Q0"],
        ["X5"],
        [1, 2],
        [""],
        ["I"],
        ["XX"],
        [{}],
        [{(1, 0): NAN}],
        [{(1, 0): 1j}],
        [{(2**70, 0): 1.0}],
        [{"a": 1.0}],
        ["X0 X0"],
        ["x0"],
        Junk(),
    )
    specs += [
        # ------------------------------------------------------------------ lie
        Spec(
            f"{lie}.as_generators",
            _imp(lie, "as_generators"),
            {
                "generators": A(
                    one(
                        ["XI", "Z1"],
                        ["X0 Z1"],
                        ["X0", "X1", "Z0 Z1"],
                        [Lazy("qml.X(0)", lambda: _qml().X(0))],
                    ),
                    gen_junk,
                ),
                "n_qubits": A(st.just(2), one(*INT_JUNK, 1)),
            },
        ),
        Spec(
            f"{lie}.lie_algebra",
            _imp(lie, "lie_algebra"),
            {
                "generators": A(
                    one(
                        ["XI", "IX", "ZZ"],
                        ["ZI", "IZ"],
                        ["X0", "X1", "Z0 Z1"],
                        ["XI", "IX", "ZI", "IZ", "XX"],
                    ),
                    gen_junk,
                ),
                "n_qubits": A(st.just(2), one(*INT_JUNK, 1)),
                "max_dim": A(one(20000, 100), one(*INT_JUNK), optional=True),
                "detect_full": A(st.booleans(), one(*BOOL_JUNK), optional=True),
            },
        ),
        Spec(
            f"{lie}.pauli_closure",
            _imp(lie, "pauli_closure"),
            {
                "words": A(
                    one([(1, 0), (2, 0), (0, 3)], [(1, 0), (0, 1)]),
                    one(
                        [],
                        ["X"],
                        [(1,)],
                        [(-1, 0)],
                        [(2**70, 0)],
                        None,
                        [(1.5, 0)],
                        [(1, 0), (4, 0)],
                        [("1", 0)],
                        3,
                    ),
                ),
                "n_qubits": A(st.just(2), one(*INT_JUNK, 1)),
                "max_dim": A(one(20000, 100), one(*INT_JUNK), optional=True),
                "detect_full": A(st.booleans(), one(*BOOL_JUNK), optional=True),
            },
        ),
        Spec(
            f"{lie}.decompose_algebra",
            _imp(lie, "decompose_algebra"),
            {
                "algebra": A(one(LIE_SMALL, LIE_ABELIAN), one(LIE_FULL, None, "su4", {}, QNN, 3)),
                "seed": A(seeds(), one(*INT_JUNK), optional=True),
            },
        ),
        Spec(
            f"{lie}.g_purity",
            _imp(lie, "g_purity"),
            {
                "H": A(
                    one("ZI", "XX", np.diag([1.0, 0, 0, 0]), Lazy("qml.Z(0)", lambda: _qml().Z(0))),
                    st.one_of(
                        array_junk(),
                        one(
                            "QQ",
                            "Z5",
                            np.eye(3),
                            np.diag([NAN, 0, 0, 0]),
                            np.diag([1e308, 0, 0, 0]),
                            {},
                        ),
                    ),
                ),
                "basis": A(
                    one(["XI", "ZI"], ["ZI", "IZ", "ZZ"], LIE_SMALL),
                    one([], None, ["QQ"], [np.eye(3)], "XI", [1], [np.full((4, 4), NAN)]),
                ),
                "n_qubits": A(st.just(2), one(*INT_JUNK, 1, 3)),
            },
        ),
        Spec(
            f"{lie}.predict_variance",
            _imp(lie, "predict_variance"),
            {
                "model_or_ansatz": A(
                    one(QNN_HE, QNN, ANSATZ, ["X0", "X1", "Z0 Z1"]),
                    one(*WRONG_OBJECTS, QNN_BIG, QNN_BIG_HE, ANSATZ_BIG, QBM, [], ["Q0"]),
                ),
                "observable": A(
                    st.none(),
                    one(
                        "Q0",
                        "Z9",
                        np.eye(3),
                        np.full((2, 2), NAN),
                        3,
                        "",
                        Lazy("qml.Z(9)", lambda: _qml().Z(9)),
                    ),
                    optional=True,
                ),
                "initial_state": A(
                    st.none(), st.one_of(hostile_state(), one(np.ones(8) / 8)), optional=True
                ),
                "n_qubits": A(st.none(), one(*INT_JUNK), optional=True),
                "max_dim": A(st.just(20000), one(*INT_JUNK), optional=True),
                "max_dense_qubits": A(st.just(14), one(*INT_JUNK), optional=True),
                "seed": A(seeds(), one(*INT_JUNK), optional=True),
            },
            cost=2,
        ),
        Spec(
            "plateau_pl.diagnostics.sample_variance",
            _imp("plateau_pl.diagnostics", "sample_variance"),
            {
                "qnn": A(one(QNN, QNN_HE, QNN_TORCH), wrong_models(QBM)),
                "n_samples": A(ints(2, 6), one(*COUNT_JUNK)),
                "seed": A(seeds(), one(*INT_JUNK)),
                "dist": A(one("uniform", "normal", "small"), one(*STR_JUNK), optional=True),
            },
        ),
        Spec(
            f"{lie}.circuit_generators",
            _imp(lie, "circuit_generators"),
            {
                "ansatz": A(
                    one(ANSATZ, ANSATZ_HE), one(*WRONG_OBJECTS, QNN, "random_two_local", ANSATZ_BIG)
                ),
                "seed": A(seeds(), one(*INT_JUNK), optional=True),
            },
        ),
    ]
    specs += [
        # ------------------------------------------------------------------ budget, report
        Spec(
            "plateau_pl.budget.shot_budget",
            _imp("plateau_pl.budget", "shot_budget"),
            {
                "records": A(one(SYNTH_RECORDS, REAL_RECORDS), hostile_records()),
                "snr": A(pos_floats(0.1, 5.0), one(*FLOAT_JUNK), optional=True),
                "outcome_variance": A(pos_floats(0.0, 1.0), one(*FLOAT_JUNK), optional=True),
                "field": A(one("grad_variance"), one(*STR_JUNK, "n_hidden"), optional=True),
            },
        ),
        Spec(
            "plateau_pl.budget.format_shot_budget",
            _imp("plateau_pl.budget", "format_shot_budget"),
            {
                "rows": A(
                    st.just(Lazy("shot_budget rows", _shot_rows)),
                    st.one_of(hostile_records(), one([{}], [{"snr": 2.0}])),
                ),
                "field": A(st.just("grad_variance"), one(*STR_JUNK), optional=True),
            },
        ),
        Spec(
            "plateau_pl.report.summary_table",
            _imp("plateau_pl.report", "summary_table"),
            {"records": A(one(SYNTH_RECORDS, REAL_RECORDS), hostile_records())},
        ),
    ]
    p = "plateau_pl.plotting"
    records = A(one(SYNTH_RECORDS, REAL_RECORDS), hostile_records())
    specs += [
        # ------------------------------------------------------------------ plotting
        Spec(
            f"{p}.plot_decay",
            _imp(p, "plot_decay"),
            timeout=30,
            args={
                "records": records,
                "y": A(one("grad_variance"), one(*STR_JUNK, "n_params", "model")),
                "x": A(
                    st.just("n_hidden"), one(*STR_JUNK, "grad_variance", "model"), optional=True
                ),
                "series": A(
                    one(("model",), ("model", "ansatz")),
                    one("model", None, 3, [3], ()),
                    optional=True,
                ),
                "theory": A(
                    one((), ("haar_grad_variance",)),
                    one("bogus", ["bogus"], None, 3),
                    optional=True,
                ),
                "ax": A(st.none(), one(AXES, "ax", 3, FIGURE, {}), optional=True),
                "fit": A(st.booleans(), one(*BOOL_JUNK), optional=True),
                "fit_min_x": A(one(0, 1), one(*FLOAT_JUNK), optional=True),
                "logy": A(st.booleans(), one(*BOOL_JUNK), optional=True),
                "label": A(one(None, "mine"), one(3, [], Junk()), optional=True),
                "title": A(one(None, "t"), one(3, [], Junk()), optional=True),
            },
        ),
        Spec(
            f"{p}.decay_rates",
            _imp(p, "decay_rates"),
            {
                "records": records,
                "y": A(one("grad_variance"), one(*STR_JUNK, "n_params")),
                "x": A(st.just("n_hidden"), one(*STR_JUNK), optional=True),
                "series": A(
                    one(("model",), ("model", "ansatz")), one("model", None, 3), optional=True
                ),
                "fit_min_x": A(one(0, 1), one(*FLOAT_JUNK), optional=True),
            },
        ),
        Spec(
            f"{p}.legend_labels",
            _imp(p, "legend_labels"),
            {"ax": A(st.just(AXES), one(None, "ax", FIGURE, {}, 3, Junk()))},
        ),
        Spec(
            f"{p}.figure_trace_distance",
            _imp(p, "figure_trace_distance"),
            timeout=30,
            args={"records": records},
        ),
        Spec(
            f"{p}.figure_gradient_variance",
            _imp(p, "figure_gradient_variance"),
            timeout=30,
            args={
                "records": records,
                "model": A(one("qnn", "qbm"), one(*STR_JUNK), optional=True),
                "y": A(st.just("grad_variance"), one(*STR_JUNK), optional=True),
            },
        ),
        Spec(
            f"{p}.figure_haar_states",
            _imp(p, "figure_haar_states"),
            timeout=30,
            args={"records": records},
        ),
        Spec(
            f"{p}.figure_mcclean", _imp(p, "figure_mcclean"), timeout=30, args={"records": records}
        ),
        Spec(
            f"{p}.figure_lipschitz",
            _imp(p, "figure_lipschitz"),
            timeout=30,
            args={
                "records": records,
                "experiment": A(one(None, "qnn-gradient"), one(3, "bogus", []), optional=True),
            },
        ),
        Spec(
            f"{p}.figure_overview",
            _imp(p, "figure_overview"),
            timeout=30,
            args={
                "records": records,
                "x": A(st.just("n_hidden"), one(*STR_JUNK), optional=True),
                "title": A(one(None, "t"), one(3, Junk()), optional=True),
            },
        ),
        Spec(
            f"{p}.figure_shot_budget",
            _imp(p, "figure_shot_budget"),
            timeout=30,
            args={
                "records": records,
                "snr": A(pos_floats(0.1, 5.0), one(*FLOAT_JUNK), optional=True),
                "field": A(st.just("grad_variance"), one(*STR_JUNK), optional=True),
                "ax": A(st.none(), one("ax", 3, FIGURE), optional=True),
            },
        ),
        Spec(
            f"{p}.trainability_label",
            _imp(p, "trainability_label"),
            {
                "rec": A(
                    one({"remedy": "none", "optimizer": "adam", "task": "state"}, {}),
                    one(None, "x", 3, [], {"remedy": 3}, {"optimizer": None}, Junk()),
                )
            },
        ),
        Spec(
            f"{p}.save_figure",
            _imp(p, "save_figure"),
            timeout=30,
            args={
                "fig": A(st.just(FIGURE), one(None, AXES, "fig", 3, {}, Junk())),
                "path": A(paths(("new",), "fig.png"), hostile_paths("fig.png")),
                "pdf": A(st.booleans(), one(*BOOL_JUNK), optional=True),
            },
        ),
        Spec(
            f"{p}.plot_records",
            _imp(p, "plot_records"),
            {
                "records_or_path": A(
                    one(
                        SYNTH_RECORDS,
                        Lazy("haar-states records", _haar_records),
                        Tmp(
                            "file",
                            "r.jsonl",
                            b'{"experiment": "qnn-gradient", '
                            b'"n_hidden": 0, "grad_variance": 0.5}\n',
                        ),
                    ),
                    st.one_of(
                        hostile_records(),
                        hostile_paths("r.jsonl"),
                        records_file_contents().map(lambda b: Tmp("file", "r.jsonl", b)),
                    ),
                ),
                "out": A(paths(("new",), "fig.png"), hostile_paths("fig.png")),
                "y": A(one(None, "grad_variance"), one(*STR_JUNK), optional=True),
                "x": A(one(None, "n_hidden"), one(*STR_JUNK), optional=True),
                "pdf": A(st.booleans(), one(*BOOL_JUNK), optional=True),
            },
            cost=2,
            timeout=30,
        ),
        Spec(
            "plateau_pl.plotting.maps.figure_gradient_map",
            _imp("plateau_pl.plotting.maps", "figure_gradient_map"),
            {
                "result": A(
                    one(
                        GRADIENT_MAP,
                        Lazy("gradient_map dict", lambda: GRADIENT_MAP.get().to_dict()),
                    ),
                    one(
                        None,
                        {},
                        [],
                        "x",
                        3,
                        {"grad_map": "x"},
                        {"grad_map": [[NAN]]},
                        {"grad_map": [[1.0, None]], "n_visible": 1},
                        {"grad_map": [], "n_visible": 1},
                        [GRADIENT_MAP, GRADIENT_MAP],
                        ENTROPY_PROFILE,
                    ),
                ),
                "ax": A(st.none(), one("ax", 3, FIGURE), optional=True),
                "title": A(one(None, "t"), one(3, Junk()), optional=True),
                "cmap": A(one("viridis", "magma"), one(*STR_JUNK), optional=True),
            },
        ),
        Spec(
            "plateau_pl.plotting.maps.figure_entropy_profile",
            _imp("plateau_pl.plotting.maps", "figure_entropy_profile"),
            {
                "profiles": A(
                    one(
                        ENTROPY_PROFILE,
                        [ENTROPY_PROFILE],
                        Lazy("entropy profile dict", lambda: ENTROPY_PROFILE.get().to_dict()),
                    ),
                    one(
                        None,
                        {},
                        [],
                        "x",
                        3,
                        [{}],
                        {"depths": "x"},
                        GRADIENT_MAP,
                        [None],
                        {"depths": [1], "entropy": [NAN]},
                    ),
                ),
                "ax": A(st.none(), one("ax", 3, FIGURE), optional=True),
                "title": A(one(None, "t"), one(3, Junk()), optional=True),
            },
        ),
    ]
    r = "plateau_pl.records"
    deep = Lazy("a list nested 5000 deep", _deep_list, fresh=True)
    cyclic = Lazy("a list that contains itself", _cyclic_list, fresh=True)
    jsonables = one(
        {"n": np.int64(2), "x": np.array([0.5, 1.0]), "r": range(2)},
        1,
        "a",
        None,
        [1, 2.5, "x"],
        {"a": {"b": [True, None]}},
        Path("a/b"),
        np.float32(0.5),
    )
    non_jsonables = one(
        1j,
        {1, 2},
        Junk(),
        {1: 2},
        {"a": 1j},
        np.array([1j]),
        deep,
        cyclic,
        HUGE_INT,
        {"a": Junk()},
        np.array(["a"], dtype=object),
        b"x",
        NAN,
        [INF],
        {(1, 2): 3},
        type,
        np.datetime64("2020-01-01"),
    )
    specs += [
        # ------------------------------------------------------------------ records
        Spec(f"{r}.to_jsonable", _imp(r, "to_jsonable"), {"obj": A(jsonables, non_jsonables)}),
        Spec(
            f"{r}.canonical_json", _imp(r, "canonical_json"), {"obj": A(jsonables, non_jsonables)}
        ),
        Spec(
            f"{r}.point_key",
            _imp(r, "point_key"),
            {
                "experiment_name": A(one("haar-states", "x"), one(*STR_JUNK)),
                "params": A(one({"n_hidden": 2}, {}, {"a": [1, 2]}), non_jsonables),
                "seed": A(seeds(), one(*INT_JUNK, Junk(), 1j)),
            },
        ),
        Spec(
            f"{r}.load_records",
            _imp(r, "load_records"),
            {
                "path": A(
                    records_file_contents().map(lambda b: Tmp("file", "r.jsonl", b)),
                    st.one_of(hostile_paths("r.jsonl"), one(Tmp("new", "missing.jsonl"))),
                ),
                "missing_ok": A(st.booleans(), one(*BOOL_JUNK), optional=True),
            },
            allowed=(FileNotFoundError,),
        ),
        Spec(
            f"{r}.write_records_atomic",
            _imp(r, "write_records_atomic"),
            {
                "path": A(paths(("new", "file")), hostile_paths()),
                "records": A(
                    one([{"a": 1}], [], [{"a": NAN}], [{"x": np.arange(2)}]),
                    one(
                        None,
                        3,
                        "abc",
                        [1],
                        [{"a": 1j}],
                        [{1: 2}],
                        [{"a": deep}],
                        [{"a": cyclic}],
                        [{"a": Junk()}],
                        {"a": 1},
                        [None],
                    ),
                ),
            },
        ),
        Spec(
            f"{r}.append_record_atomic",
            _imp(r, "append_record_atomic"),
            {
                "path": A(
                    one(
                        Tmp("new"),
                        Tmp("file", "out.jsonl", b'{"a": 1}\n'),
                        Tmp("file", "out.jsonl", b'{"a": 1}'),
                    ),
                    st.one_of(
                        hostile_paths(),
                        records_file_contents().map(lambda b: Tmp("file", "out.jsonl", b)),
                    ),
                ),
                "record": A(
                    one({"a": 1}, {"v": NAN}, {"x": np.arange(3)}, {}),
                    one(
                        None,
                        3,
                        "abc",
                        [1],
                        {"a": 1j},
                        {1: 2},
                        {"a": deep},
                        {"a": cyclic},
                        {"a": Junk()},
                        [{"a": 1}],
                    ),
                ),
            },
        ),
        Spec(
            f"{r}.write_text_atomic",
            _imp(r, "write_text_atomic"),
            {
                "path": A(paths(("new", "file"), "t.md"), hostile_paths("t.md")),
                "text": A(
                    one("hello\n", "", "ünïcode ✓"), one(None, 3, b"bytes", ["a"], "\ud800", Junk())
                ),
            },
        ),
        Spec(
            f"{r}.remove_temp_files",
            _imp(r, "remove_temp_files"),
            {"path": A(paths(("new", "file")), hostile_paths())},
        ),
    ]
    sw = "plateau_pl.experiments.sweep"
    grid_ok = one(
        {"n_visible": 1, "n_hidden": [0, 1], "n_samples": 5},
        [{"n_visible": 1, "n_hidden": 1, "n_samples": 4}],
        {"n_visible": 1, "n_hidden": 0, "n_samples": [3, 4]},
    )
    grid_bad = one(
        {},
        [],
        None,
        "grid",
        3,
        {"n_visible": []},
        {"bogus": 1},
        {1: [1]},
        {"seed": 1},
        {"n_visible": 1, "n_hidden": 0, "n_samples": 0},
        {"n_visible": 1, "n_hidden": -1, "n_samples": 3},
        {"n_visible": 1, "n_hidden": 30, "n_samples": 3},
        {"n_visible": 1, "n_hidden": 0, "n_samples": 10**12},
        {"n_visible": 1, "n_hidden": "abc", "n_samples": 3},
        {"n_visible": 1, "n_hidden": 0, "n_samples": 3, "seed_offset": 1j},
        {"n_visible": 1, "n_hidden": NAN, "n_samples": 3},
        [{"n_visible": 1}, 3],
        [None],
        {"n_visible": np.array([1, 2]), "n_hidden": 0, "n_samples": 3},
    )
    specs += [
        # ------------------------------------------------------------------ sweeps
        Spec(f"{sw}.expand_grid", _imp(sw, "expand_grid"), {"grid": A(grid_ok, grid_bad)}),
        Spec(
            f"{sw}.point_seed",
            _imp(sw, "point_seed"),
            {
                "seed": A(seeds(), one(*INT_JUNK, Junk(), 1j)),
                "key": A(
                    one(("haar-states", '{"n_hidden":1}'), ("a", 1, 2.5)),
                    one((Junk(),), (None,), ((1, [2]),), (1j,), (NAN,)),
                    optional=True,
                ),
            },
            star="key",
            positional=("seed",),
        ),
        Spec(
            f"{sw}.run_sweep",
            _imp(sw, "run_sweep"),
            {
                "experiment": A(
                    one("haar-states"),
                    one(
                        *STR_JUNK,
                        "qnn_gradient",
                        Lazy("lambda (no seed)", lambda: lambda: {}),
                        Lazy("lambda returning 3", lambda: lambda seed, **kw: 3),
                    ),
                ),
                "grid": A(grid_ok, grid_bad),
                "out": A(
                    paths(("new",)),
                    st.one_of(
                        hostile_paths(),
                        records_file_contents().map(lambda b: Tmp("file", "out.jsonl", b)),
                    ),
                ),
                "executor": A(st.just("serial"), one(*STR_JUNK), optional=True),
                "seed": A(seeds(), one(*INT_JUNK), optional=True),
                "n_workers": A(st.none(), one(*INT_JUNK), optional=True),
                "scheduler_address": A(
                    st.none(), one("tcp://127.0.0.1:1", 3, "", Junk()), optional=True
                ),
                "progress": A(st.just(False), one(*BOOL_JUNK), optional=True),
            },
            failures_of=_sweep_failures,
            cost=2,
        ),
        Spec(
            "plateau_pl.experiments.get_experiment",
            _imp("plateau_pl.experiments", "get_experiment"),
            {"experiment": A(one("haar-states", "qnn-gradient", "noise"), one(*STR_JUNK))},
        ),
    ]
    ex = "plateau_pl.experiments"
    specs += [
        # ------------------------------------------------------------------ experiments
        Spec(
            f"{ex}.haar.haar_states",
            _imp(f"{ex}.haar", "haar_states"),
            {
                "n_visible": A(ints(1, 2), one(*INT_JUNK)),
                "n_hidden": A(ints(0, 2), one(*INT_JUNK, 30)),
                "n_samples": A(ints(2, 20), one(*COUNT_JUNK)),
                "seed": A(st.one_of(st.none(), seeds()), one(*INT_JUNK), optional=True),
            },
        ),
        Spec(
            f"{ex}.paper.trace_distance",
            _imp(f"{ex}.paper", "trace_distance"),
            {
                "n_hidden": A(ints(0, 1), one(*INT_JUNK, 30)),
                "seed": A(seeds(), one(*INT_JUNK)),
                "model": A(one("qnn", "qbm"), one(*STR_JUNK), optional=True),
                "n_samples": A(ints(2, 4), one(*COUNT_JUNK), optional=True),
                "ansatz": A(
                    one("random_two_local", "hardware_efficient"), one(*STR_JUNK), optional=True
                ),
                "engine": A(st.just("auto"), one(*STR_JUNK), optional=True),
                "normalize": A(one(None, "opnorm"), one(*STR_JUNK), optional=True),
                "beta": A(one(1.0, 0.5), one(*FLOAT_JUNK), optional=True),
            },
            cost=2,
        ),
        Spec(
            f"{ex}.paper.qnn_gradient",
            _imp(f"{ex}.paper", "qnn_gradient"),
            {
                "n_hidden": A(ints(0, 1), one(*INT_JUNK, 30)),
                "seed": A(seeds(), one(*INT_JUNK)),
                "n_visible": A(st.just(1), one(*INT_JUNK), optional=True),
                "n_samples": A(ints(2, 4), one(*COUNT_JUNK), optional=True),
                "ansatz": A(
                    one("random_two_local", "hardware_efficient"), one(*STR_JUNK), optional=True
                ),
                "device": A(one("default.qubit"), one(*STR_JUNK, "default.qutrit"), optional=True),
                "shots": A(st.none(), one(-1, 0, "x", 1.5, 10**12), optional=True),
                "dist": A(one("uniform", "normal"), one(*STR_JUNK), optional=True),
                "delta": A(one(0.1), one(*FLOAT_JUNK), optional=True),
            },
            cost=2,
        ),
        Spec(
            f"{ex}.paper.qbm_gradient",
            _imp(f"{ex}.paper", "qbm_gradient"),
            {
                "n_hidden": A(ints(0, 1), one(*INT_JUNK, 24)),
                "seed": A(seeds(), one(*INT_JUNK)),
                "hamiltonian": A(
                    one("random_two_local", "transverse_ising"), one(*STR_JUNK), optional=True
                ),
                "normalize": A(one(None, "opnorm"), one(*STR_JUNK), optional=True),
                "beta": A(one(1.0), one(*FLOAT_JUNK), optional=True),
                "n_samples": A(ints(2, 4), one(*COUNT_JUNK), optional=True),
                "delta": A(one(0.1), one(*FLOAT_JUNK), optional=True),
            },
            cost=2,
        ),
        Spec(
            f"{ex}.paper.mcclean",
            _imp(f"{ex}.paper", "mcclean"),
            {
                "n_qubits": A(ints(2, 3), one(*INT_JUNK, 1, 40)),
                "seed": A(seeds(), one(*INT_JUNK)),
                "n_layers": A(one(None, 1, 2), one(*COUNT_JUNK), optional=True),
                "n_samples": A(ints(2, 4), one(*COUNT_JUNK), optional=True),
            },
            cost=2,
        ),
        Spec(
            f"{ex}.noise.noise",
            _imp(f"{ex}.noise", "noise"),
            {
                "n_hidden": A(ints(0, 1), one(*INT_JUNK)),
                "seed": A(seeds(), one(*INT_JUNK)),
                "n_layers": A(st.just(1), one(*COUNT_JUNK), optional=True),
                "channel": A(one("depolarizing", "bit_flip"), one(*STR_JUNK), optional=True),
                "p": A(one(0.0, 0.05), one(*FLOAT_JUNK, 1.5), optional=True),
                "n_samples": A(ints(2, 3), one(*COUNT_JUNK), optional=True),
                "device": A(
                    st.just("default.mixed"), one(*STR_JUNK, "default.qubit"), optional=True
                ),
            },
            cost=3,
        ),
    ]
    tr = "plateau_pl.train"
    specs += [
        # ------------------------------------------------------------------ train
        Spec(
            f"{tr}.fit_target",
            _imp(tr, "fit_target"),
            {
                "qbm": A(st.just(QBM_FRESH), wrong_models(QNN)),
                "target": A(
                    density_matrices((1,), torch_too=False, batch=False), hostile_density()
                ),
                "n_steps": A(ints(1, 3), one(*COUNT_JUNK)),
                "lr": A(one(0.05, 0.1), one(*FLOAT_JUNK), optional=True),
            },
        ),
        Spec(
            f"{tr}.fit",
            _imp(tr, "fit"),
            {
                "model": A(st.just(QBM_FRESH), one(None, "m", 3, QNN, Junk())),
                "loss_fn": A(
                    st.just(LOSS_QBM), one(None, 3, LOSS_NAN, LOSS_STR, LOSS_NOGRAD, LOSS_VECTOR)
                ),
                "n_steps": A(ints(1, 3), one(*COUNT_JUNK)),
                "optimizer": A(one("adam", "sgd", "lbfgs"), one(*STR_JUNK), optional=True),
                "lr": A(one(0.05, 0.1), one(*FLOAT_JUNK), optional=True),
                "target_loss": A(one(None, -10.0), one(NAN, "x", 1j), optional=True),
                "callback": A(st.none(), one(3, "cb", Junk()), optional=True),
                "callbacks": A(st.none(), one(3, [3], "cb", [None]), optional=True),
                "progress": A(st.just(False), one(*BOOL_JUNK), optional=True),
                "out": A(st.none(), hostile_paths("h.jsonl"), optional=True),
                "record_fields": A(
                    st.none(), one({"a": 1j}, {1: 2}, "x", [1], {"losses": 3}), optional=True
                ),
            },
        ),
        Spec(
            f"{tr}.fit_pennylane",
            _imp(tr, "fit_pennylane"),
            {
                "params": A(
                    st.builds(lambda s: QNN_COST.get().init_weights(seed=s), seeds()),
                    st.one_of(array_junk(), one(np.zeros(3))),
                ),
                "cost_fn": A(st.just(QNN_COST), one(None, 3, "cost", COST_STR, COST_NONE)),
                "n_steps": A(ints(1, 3), one(*COUNT_JUNK)),
                "optimizer": A(one("adam", "gd"), one(*STR_JUNK), optional=True),
                "lr": A(one(0.05, 0.1), one(*FLOAT_JUNK), optional=True),
                "progress": A(st.just(False), one(*BOOL_JUNK), optional=True),
            },
        ),
        Spec(
            f"{tr}.fit_scipy",
            _imp(tr, "fit_scipy"),
            {
                "cost_fn": A(
                    st.just(COST),
                    one(*COST_JUNK),
                ),
                "x0": A(
                    st.lists(small_floats(-1, 1), min_size=1, max_size=3).map(np.array),
                    array_junk(),
                ),
                "method": A(one("COBYLA", "Nelder-Mead", "Powell"), one(*STR_JUNK, "BFGS")),
                "max_evals": A(ints(5, 20), one(*COUNT_JUNK)),
                "target_loss": A(one(None, 0.5), one(NAN, "x", 1j), optional=True),
                "rhobeg": A(one(0.5, 0.1), one(*FLOAT_JUNK), optional=True),
            },
        ),
        Spec(
            f"{tr}.fit_spsa",
            _imp(tr, "fit_spsa"),
            {
                "cost_fn": A(
                    st.just(COST),
                    one(*COST_JUNK),
                ),
                "x0": A(
                    st.lists(small_floats(-1, 1), min_size=1, max_size=3).map(np.array),
                    array_junk(),
                ),
                "n_steps": A(ints(1, 10), one(*COUNT_JUNK)),
                "a": A(one(0.1, 0.05), one(*FLOAT_JUNK), optional=True),
                "c": A(one(0.1, 0.05), one(*FLOAT_JUNK), optional=True),
                "stability": A(one(None, 1.0), one(*FLOAT_JUNK), optional=True),
                "seed": A(st.one_of(st.none(), seeds()), one(*INT_JUNK), optional=True),
                "target_loss": A(one(None, 0.5), one(NAN, "x", 1j), optional=True),
            },
        ),
        Spec(
            f"{tr}.EarlyStopping",
            _imp(tr, "EarlyStopping"),
            {
                "patience": A(ints(1, 5), one(*INT_JUNK)),
                "min_delta": A(pos_floats(0.0, 1.0), one(*FLOAT_JUNK)),
            },
            post=_post_call_stop,
        ),
        Spec(
            f"{tr}.tasks.make_task",
            _imp(f"{tr}.tasks", "make_task"),
            {
                "name": A(one("state", "classification"), one(*STR_JUNK)),
                "n_visible": A(ints(1, 2), one(*INT_JUNK)),
                "seed": A(seeds(), one(*INT_JUNK), optional=True),
            },
        ),
        Spec(
            f"{tr}.ensemble.task_qnn",
            _imp(f"{tr}.ensemble", "task_qnn"),
            {
                "task": A(one(TASK_STATE), one(None, "state", 3, QNN, {}, TASK_CLS)),
                "layout": A(layouts, layouts_junk),
                "ansatz": A(one("hardware_efficient", "random_two_local"), one(*STR_JUNK)),
                "n_layers": A(one(None, 1), one(*COUNT_JUNK), optional=True),
                "seed": A(seeds(), one(*INT_JUNK), optional=True),
            },
            post=_post_eval_qnn,
        ),
        Spec(
            f"{tr}.ensemble.train_qnn_ensemble",
            _imp(f"{tr}.ensemble", "train_qnn_ensemble"),
            {
                "qnn": A(one(TASK_QNN, TASK_QNN_CLS), wrong_models(QNN_SHOTS)),
                "task": A(
                    lambda kw: st.just(TASK_STATE if kw.get("qnn") is TASK_QNN else TASK_CLS),
                    one(None, "state", 3, {}, TASK_CLS),
                ),
                "n_seeds": A(ints(1, 2), one(*COUNT_JUNK)),
                "n_steps": A(ints(1, 3), one(*COUNT_JUNK)),
                "optimizer": A(one("adam", "sgd", "spsa", "cobyla"), one(*STR_JUNK), optional=True),
                "lr": A(one(0.05), one(*FLOAT_JUNK), optional=True),
                "init": A(one("uniform", "small"), one(*STR_JUNK), optional=True),
                "penalty": A(one(0.0, 0.1), one(*FLOAT_JUNK), optional=True),
                "pretrain_steps": A(one(0, 1), one(*COUNT_JUNK), optional=True),
                "n_trainable": A(one(None, 1), one(*COUNT_JUNK), optional=True),
                "shots": A(one(None, 20), one(*COUNT_JUNK), optional=True),
                "seed": A(seeds(), one(*INT_JUNK), optional=True),
            },
            cost=3,
        ),
    ]
    specs += [
        # ------------------------------------------------------------------ remedies, engines
        Spec(
            "plateau_pl.remedies.entanglement_penalty",
            _imp("plateau_pl.remedies", "entanglement_penalty"),
            {
                "loss_fn": A(st.just(LOSS_QBM), one(None, 3, "loss")),
                "strength": A(pos_floats(0.0, 1.0), one(*FLOAT_JUNK)),
            },
            post=_post_penalty,
        ),
        Spec(
            "plateau_pl.remedies.visible_renyi2",
            _imp("plateau_pl.remedies", "visible_renyi2"),
            {
                "model": A(
                    one(
                        QBM,
                        QBM_NORM,
                        Lazy("QNN torch layer", lambda: QNN_TORCH.get().torch_layer(seed=0)),
                    ),
                    wrong_models(QNN),
                )
            },
        ),
        Spec(
            "plateau_pl.engines.select_engine",
            _imp("plateau_pl.engines", "select_engine"),
            {
                "model": A(one(*MODELS), wrong_models()),
                "engine": A(
                    one("auto", "statevector", "autograd", "device", "qbm", "pauli"),
                    one(*STR_JUNK),
                    optional=True,
                ),
                "structures": A(st.booleans(), one(*BOOL_JUNK), optional=True),
                "inputs": A(st.booleans(), one(*BOOL_JUNK), optional=True),
                "differentiable": A(st.booleans(), one(*BOOL_JUNK), optional=True),
                "device": A(st.just("cpu"), one(*STR_JUNK, "cuda", "tpu", "cuda:7"), optional=True),
                "observable": A(
                    st.none(), one("Z", 3, Lazy("qml.Z(3)", lambda: _qml().Z(3))), optional=True
                ),
                "moments": A(st.booleans(), one(*BOOL_JUNK), optional=True),
            },
        ),
        Spec(
            "plateau_pl.engines.statevector_supports",
            _imp("plateau_pl.engines", "statevector_supports"),
            {"qnn": A(one(*QNNS), wrong_models(QBM))},
        ),
        # ------------------------------------------------------------------ devices, cli
        Spec(
            "plateau_pl.devices.bind_device",
            _imp("plateau_pl.devices", "bind_device"),
            {
                "device": A(
                    one("default.qubit", "lightning.qubit", "default.mixed"),
                    one(*STR_JUNK, "default.qutrit", "bogus.device"),
                ),
                "n_wires": A(ints(1, 3), one(*INT_JUNK)),
                "shots": A(
                    one("device", None, 10), one(-1, 0, 1.5, "x", True, 10**12, NAN), optional=True
                ),
                "seed": A(seeds(), one(*INT_JUNK), optional=True),
                "options": A(st.none(), one({"bogus": 1}, "x", [1], {"wires": 3}), optional=True),
                "noisy": A(st.booleans(), one(*BOOL_JUNK), optional=True),
            },
        ),
        Spec(
            "plateau_pl.devices.parse_device_options",
            _imp("plateau_pl.devices", "parse_device_options"),
            {
                "items": A(
                    one(["method=statevector", "max_parallel_threads=1"], [], ["a=b=c"]),
                    one(
                        None,
                        "method=x",
                        ["novalue"],
                        ["=1"],
                        [3],
                        [None],
                        3,
                        ["a=" + "[" * 10000],
                        ["a=1", "a=2"],
                        ["a=10**10**10"],
                    ),
                )
            },
        ),
        Spec(
            "plateau_pl.devices.profile_for",
            _imp("plateau_pl.devices", "profile_for"),
            {"name": A(one("default.qubit", "qiskit.aer", "unknown.device"), one(*STR_JUNK))},
        ),
        Spec(
            "plateau_pl.cli.parse_values",
            _imp("plateau_pl.cli", "parse_values"),
            {
                "text": A(
                    one("0:8", "0:8:2", "1,3,5", "none,opnorm", "0.5"),
                    one(
                        None,
                        3,
                        "",
                        "1:2:0",
                        "5:1",
                        "0:" + "9" * 30,
                        "-3:-1",
                        ":",
                        "1:2:3:4",
                        NonFinite("nan"),
                        NonFinite("inf,1e999"),
                        "0:10000000000000",
                        b"0:1",
                        "1e308,1e308",
                    ),
                )
            },
            allowed=(__import__("argparse").ArgumentTypeError,),
        ),
    ]
    return specs


def _haar_records():
    return [
        r for r in REAL_RECORDS.get() if r.get("experiment") == "haar-states"
    ] or synthetic_records("haar-states", "purity")


def _deep_list(depth: int = 5000):
    deep: list = []
    for _ in range(depth):
        deep = [deep]
    return deep


def _cyclic_list():
    cyclic: list = []
    cyclic.append(cyclic)
    return cyclic


def _matching_ham(layout_token):
    """The Hamiltonian token that matches a layout token of :func:`_qbm_layout_and_ham`."""
    meta = getattr(layout_token, "meta", None)
    if meta is None:  # a hostile layout: any Hamiltonian
        return HAM
    v, h, kind = meta
    return Lazy(f"{kind}({v}+{h})", lambda: _ham(v, h, kind))


def _nx_graph():
    import networkx as nx

    return nx.path_graph(2)


def _shot_rows():
    from plateau_pl.budget import shot_budget

    return shot_budget(synthetic_records())


def catalogue_ids() -> list[str]:
    return [s.id for s in build_catalogue()]


def spec_env_examples(default: int) -> int:
    return int(os.environ.get("PLATEAU_FUZZ_EXAMPLES", default))
