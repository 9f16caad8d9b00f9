"""The one training driver: the driver owns the loop, a step does one step, loggers stream records.

The shape is NetKet's (``AbstractVariationalDriver``). Three parts, each with one job:

* A **step** (a :class:`Step`) does one optimisation step and nothing else, in two halves:
  :meth:`Step.evaluate` returns the loss at the current parameters (and prepares the update),
  :meth:`Step.update` moves the parameters. Calling the step (``step()``) does both. The steps
  are :class:`~plateau_pl.train.loop.TorchStep` (a torch optimiser on a model),
  :class:`~plateau_pl.train.loop.PennyLaneStep` (a PennyLane optimiser),
  :class:`~plateau_pl.train.gradient_free.SPSAStep` and
  :class:`~plateau_pl.train.ensemble.EnsembleStep` (many seeds of a QNN at once).
* The **driver** (:class:`Driver`) owns the loop: ``n_steps`` steps, the non-finite loss check
  (:class:`NonFiniteLossError`), the target loss, the callbacks (``callback(step, loss)``;
  ``True`` stops, e.g. :class:`EarlyStopping`), the progress bar and the
  :class:`TrainingHistory`. On the step where it stops it skips :meth:`Step.update`, so the
  parameters are those whose loss stopped the run (a torch or PennyLane optimiser evaluates and
  moves in one call, so those steps move in ``evaluate`` and their stopping step is applied,
  as torch does).
* **Loggers** stream records: after each step the driver passes every logger the step's record,
  exactly the one :meth:`TrainingHistory.to_records` gives for it (``{"step", "loss",
  "wall_s", ["evals",] **record_fields}``); :class:`JsonLinesLogger` appends it to a JSON-lines
  file as the step ends.

A loop that another library owns (``scipy.optimize.minimize`` in
:func:`~plateau_pl.train.gradient_free.fit_scipy`) reports each loss through
:meth:`Driver.observe` inside ``with driver:`` instead of :meth:`Driver.run`: the same history,
checks, loggers and callbacks, around a loop the driver does not own.

**Example**

>>> class Halve(Step):
...     def __init__(self):
...         self.x = 8.0
...     def evaluate(self):
...         return self.x
...     def update(self):
...         self.x /= 2
>>> step = Halve()
>>> hist = Driver(step, n_steps=10, target_loss=1.0).run()
>>> hist.losses, hist.stopped_early, step.x
([8.0, 4.0, 2.0, 1.0], True, 1.0)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from plateau_pl._validation import (
    check_bool,
    check_file_path,
    check_float,
    check_int,
    check_memory,
)
from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError

__all__ = [
    "Driver",
    "EarlyStopping",
    "JsonLinesLogger",
    "NonFiniteLossError",
    "Step",
    "TrainingHistory",
    "check_number",
    "check_steps",
]


class NonFiniteLossError(PlateauError, FloatingPointError):
    """A loss (or cost) became NaN or infinite during training; the message names the step.

    A :class:`~plateau_pl.errors.PlateauError` (so a ``ValueError``) and, as before, a
    ``FloatingPointError``.
    """


def check_number(value, name: str, expected: str, **bounds) -> float:
    """:func:`~plateau_pl._validation.check_float` (the one "finite number" rule), raising
    ``ConfigurationError("{name} must be {expected}; got ...")`` for a non-finite or
    out-of-range value (the wording the training options have always had); a value of the
    wrong type stays a :class:`~plateau_pl.errors.PlateauTypeError`.

    >>> check_number(0.1, "lr", "a finite number > 0", positive=True)
    0.1
    >>> check_number(float("nan"), "lr", "a finite number > 0", positive=True)
    Traceback (most recent call last):
        ...
    plateau_pl.errors.ConfigurationError: lr must be a finite number > 0; got nan
    """
    try:
        return check_float(value, name, **bounds)
    except PlateauTypeError:
        raise
    except (PlateauError, OverflowError):  # OverflowError: an int past the largest float
        raise ConfigurationError(f"{name} must be {expected}; got {value!r:.40}") from None


_HISTORY_BYTES = 96  # per step of a TrainingHistory: a loss, a time, an eval count (objects)


def check_steps(n_steps, name: str = "n_steps", bytes_per_step: float = _HISTORY_BYTES) -> int:
    """``n_steps`` as an int ``>= 1`` whose per-step record (a :class:`TrainingHistory` entry,
    ``bytes_per_step`` bytes) fits in memory; refused before the first step otherwise.

    >>> check_steps(10**30)
    Traceback (most recent call last):
        ...
    plateau_pl.errors.ResourceError: the history of 1000000000000000000000000000000 steps would ...
    """
    n = check_int(n_steps, name, minimum=1)
    check_memory(
        bytes_per_step * float(min(n, 10**300)), f"the history of {n} steps", f"use fewer {name}"
    )
    return n


def check_target_loss(target_loss) -> float | None:
    """``None``, or the target loss as a float (``±inf`` allowed)."""
    if target_loss is None:
        return None
    return check_float(target_loss, "target_loss", allow_inf=True)


def check_callbacks(callback=None, callbacks=None) -> list:
    """``callback`` and ``callbacks`` as one list of callables ``(step, loss)``."""
    if callback is not None and not callable(callback):
        raise PlateauTypeError(f"callback must be callable (step, loss); got {callback!r}")
    out = [] if callback is None else [callback]
    if callbacks is not None and (
        isinstance(callbacks, (str, bytes)) or not hasattr(callbacks, "__iter__")
    ):
        raise PlateauTypeError(f"callbacks must be a list of callables; got {callbacks!r}")
    for cb in callbacks or ():
        if not callable(cb):
            raise PlateauTypeError(f"callbacks must be callables (step, loss); got {cb!r}")
        out.append(cb)
    return out


def _check_loss(loss, where: str):
    """The loss; a :class:`NonFiniteLossError` naming ``where`` if any entry is NaN or inf."""
    if not np.all(np.isfinite(loss)):
        shown = loss if np.ndim(loss) == 0 else loss[~np.isfinite(loss)][0]
        raise NonFiniteLossError(f"the loss became {shown} at {where}; training stopped there")
    return loss


@dataclass
class TrainingHistory:
    """The losses of a training run, one per completed step."""

    losses: list[float] = field(default_factory=list)
    """Loss before each optimiser step (an array of per-seed losses for an ensemble)."""
    wall_s: list[float] = field(default_factory=list)
    """Seconds since the start, at each step."""
    stopped_early: bool = False
    """Whether the target loss or a callback ended the run before ``n_steps``."""
    evals: list[int] = field(default_factory=list)
    """Cost-function evaluations so far, at each step (gradient-free methods only)."""

    def steps_to(self, threshold: float) -> int | None:
        """The first step whose loss is ``<= threshold`` (``None`` if never)."""
        threshold = check_float(threshold, "threshold", allow_inf=True)
        for i, loss in enumerate(self.losses):
            if loss <= threshold:
                return i
        return None

    def record(self, i: int, **fields) -> dict:
        """Step ``i``'s record: ``{"step", "loss", "wall_s", **fields, ["evals"]}``."""
        out = {"step": i, "loss": self.losses[i], "wall_s": round(self.wall_s[i], 6), **fields}
        if i < len(self.evals):
            out["evals"] = self.evals[i]
        return out

    def to_records(self, **fields) -> list[dict]:
        """One record per step: ``{"step", "loss", "wall_s", ["evals",] **fields}``."""
        if len(self.losses) != len(self.wall_s):
            raise ValueError("losses and wall_s have different lengths")
        return [self.record(i, **fields) for i in range(len(self.losses))]


class EarlyStopping:
    """Stop when the loss has not improved by ``min_delta`` for ``patience`` steps.

    A callback: ``EarlyStopping(patience=10)(step, loss)`` returns ``True`` to stop.

    >>> stop = EarlyStopping(patience=2)
    >>> [stop(i, loss) for i, loss in enumerate([3.0, 2.0, 2.0, 2.0])]
    [False, False, False, True]
    """

    def __init__(self, patience: int = 10, min_delta: float = 0.0):
        self.patience = check_int(patience, "patience", minimum=1)
        self.min_delta = check_number(min_delta, "min_delta", "a finite number >= 0", minimum=0)
        self.best = np.inf
        self.waited = 0

    def __call__(self, step: int, loss: float) -> bool:
        if loss < self.best - self.min_delta:
            self.best, self.waited = loss, 0
            return False
        self.waited += 1
        return self.waited >= self.patience


class Step:
    """One optimisation step: :meth:`evaluate` (the loss now), then :meth:`update` (move).

    Subclasses implement :meth:`evaluate` and, where the move is separate, :meth:`update`.
    ``evals`` is the number of cost evaluations the optimiser has spent before this step
    (``None``: not counted; gradient-free steps count them and the history records them).
    Used directly, ``step()`` does one whole step and returns its loss.

    >>> class Count(Step):
    ...     def __init__(self):
    ...         self.n = 0
    ...     def evaluate(self):
    ...         return float(self.n)
    ...     def update(self):
    ...         self.n += 1
    >>> step = Count()
    >>> step(), step(), step.n
    (0.0, 1.0, 2)
    """

    evals: int | None = None

    def evaluate(self):
        """The loss at the current parameters (a float, or an array for an ensemble)."""
        raise NotImplementedError

    def update(self) -> None:
        """Move the parameters (the driver skips this on the step it stops at)."""

    def __call__(self):
        loss = self.evaluate()
        self.update()
        return loss


class JsonLinesLogger:
    """A logger that appends each step's record to a JSON-lines file as the step ends.

    Each record is written with :func:`plateau_pl.records.append_record_atomic` (one locked
    append), so a run that is interrupted keeps the records of its finished steps. The file is
    appended to: remove it first for a fresh one.

    >>> import pathlib, tempfile
    >>> from plateau_pl.records import load_records
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "run.jsonl"
    >>> class Down(Step):
    ...     x = 3.0
    ...     def evaluate(self):
    ...         return self.x
    ...     def update(self):
    ...         self.x -= 1
    >>> hist = Driver(Down(), 3, loggers=[JsonLinesLogger(path)], record_fields={"run": 1}).run()
    >>> [(r["step"], r["loss"], r["run"]) for r in load_records(path)]
    [(0, 3.0, 1), (1, 2.0, 1), (2, 1.0, 1)]
    """

    def __init__(self, path):
        self.path = check_file_path(path, "path")

    def __call__(self, record: dict) -> None:
        from plateau_pl.records import append_record_atomic

        append_record_atomic(self.path, record)


class Driver:
    """Runs a :class:`Step` ``n_steps`` times and owns everything around it.

    Args:
        step: the step to repeat; ``None`` for a loop the caller owns, which runs inside
            ``with driver:`` and reports each loss through :meth:`observe`.
        n_steps: the most steps (the progress bar's total for a caller's loop).
        target_loss: stop as soon as the loss is ``<= target_loss`` (every entry of an
            ensemble's losses).
        callbacks: callables ``(step, loss)``; any returning ``True`` stops the run (all are
            called every step).
        loggers: callables ``(record)`` given each step's record (e.g.
            :class:`JsonLinesLogger`).
        progress: a progress bar on stderr (``None``: only when stderr is a terminal).
        desc: the progress bar's label.
        record_fields: fields added to every record (the run's settings).
        out: write the whole history as JSON-lines records here, atomically, at the end.

    :meth:`run` returns the :class:`TrainingHistory`; a NaN or infinite loss raises
    :class:`NonFiniteLossError` naming the step.

    >>> class Quadratic(Step):
    ...     def __init__(self):
    ...         self.x = 1.0
    ...     def evaluate(self):
    ...         return self.x**2
    ...     def update(self):
    ...         self.x -= 0.5 * self.x
    >>> hist = Driver(Quadratic(), 50, callbacks=[EarlyStopping(patience=2, min_delta=0.1)]).run()
    >>> len(hist.losses), hist.stopped_early
    (5, True)
    """

    def __init__(
        self,
        step: Step | None,
        n_steps: int,
        *,
        target_loss: float | None = None,
        callbacks=None,
        loggers=None,
        progress: bool | None = None,
        desc: str = "fit",
        record_fields: dict | None = None,
        out=None,
    ):
        if step is not None and not callable(getattr(step, "evaluate", None)):
            raise PlateauTypeError(f"step must be a Step (with evaluate()); got {step!r}")
        self.step = step
        self.n_steps = check_steps(n_steps)
        self.target_loss = check_target_loss(target_loss)
        self.callbacks = check_callbacks(None, callbacks)
        self.loggers = list(loggers or ())
        for logger in self.loggers:
            if not callable(logger):
                raise PlateauTypeError(f"loggers must be callables (record); got {logger!r}")
        if progress is not None:
            check_bool(progress, "progress")
        self.progress, self.desc = progress, desc
        if record_fields is not None and not isinstance(record_fields, dict):
            raise PlateauTypeError(
                f"record_fields must be a dict or None; got {type(record_fields).__name__}"
            )
        self.record_fields = dict(record_fields or {})
        self.out = None if out is None else check_file_path(out, "out")
        self.history = TrainingHistory()
        self._start = None
        self._bar = None

    def __enter__(self) -> Driver:
        """Begin a run: a fresh history, the clock, the progress bar."""
        from tqdm import tqdm

        self.history = TrainingHistory()
        disable = None if self.progress is None else not self.progress
        self._bar = tqdm(total=self.n_steps, desc=self.desc, unit="step", disable=disable)
        self._start = time.perf_counter()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        """End a run: close the progress bar; after a run that raised nothing, write ``out``."""
        self._bar.close()
        if exc_type is None and self.out is not None:
            from plateau_pl.records import write_records_atomic

            write_records_atomic(self.out, self.history.to_records(**self.record_fields))

    def observe(self, loss, evals: int | None = None) -> bool:
        """Record one step's loss: the finiteness check, the history, the progress bar, the
        loggers, then the target loss and the callbacks; ``True`` when the run should stop."""
        step = len(self.history.losses)
        loss = _check_loss(loss, f"step {step}")
        self.history.losses.append(loss)
        self.history.wall_s.append(time.perf_counter() - self._start)
        if evals is not None:
            self.history.evals.append(evals)
        self._bar.update(1)
        self._bar.set_postfix(loss=f"{float(np.mean(loss)):.4g}", refresh=False)
        if self.loggers:
            record = self.history.record(step, **self.record_fields)
            for logger in self.loggers:
                logger(record)
        stop = self.target_loss is not None and bool(np.all(loss <= self.target_loss))
        return any([bool(cb(step, loss)) for cb in self.callbacks]) or stop

    def run(self) -> TrainingHistory:
        """Run the step up to ``n_steps`` times; the :class:`TrainingHistory`."""
        if self.step is None:
            raise ConfigurationError("this driver has no step to run; report losses to observe()")
        with self:
            for k in range(self.n_steps):
                if self.observe(self.step.evaluate(), self.step.evals):
                    self.history.stopped_early = k < self.n_steps - 1
                    break
                self.step.update()
        return self.history
