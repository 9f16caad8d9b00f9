"""Checks of a sweep point's parameters, run over the whole grid before the first point runs.

The registry's experiments share parameter names (``n_hidden``, ``n_samples``, ``device``,
``engine``…), each with one meaning, so one table, :data:`PARAMETER_CHECKS`, says what each
accepts; :func:`check_grid` applies it to every point of a grid (the experiment's defaults
filled in) and raises one error listing the points that fail, so a sweep with
``n_samples=0`` or ``ansatz="bogus"`` is refused at once instead of failing point after point.
What only the computation can tell (a circuit too large for memory, a device that refuses an
option) still fails the point itself, with the same family of errors.

Functions that are not in the registry are checked by their signature only: their parameter
names are theirs.

**Example**

>>> from plateau_pl.errors import ConfigurationError
>>> from plateau_pl.experiments.checks import check_grid
>>> from plateau_pl.experiments.haar import haar_states
>>> check_grid(haar_states, [{"n_visible": 1, "n_hidden": 2}])
>>> bad = [{"n_visible": 1, "n_hidden": -1}, {"n_visible": 1, "n_hidden": 0, "n_samples": 0}]
>>> try:
...     check_grid(haar_states, bad)
... except ConfigurationError as exc:
...     print(exc)
2 of 2 grid points have invalid parameters; nothing was run:
  {'n_visible': 1, 'n_hidden': -1}: n_hidden must be an integer >= 0; got -1
  {'n_visible': 1, 'n_hidden': 0, 'n_samples': 0}: n_samples must be an integer >= 1; got 0
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping

from plateau_pl._validation import (
    check_choice,
    check_float,
    check_instance,
    check_int,
    check_seed,
)
from plateau_pl.errors import ConfigurationError, PlateauError

__all__ = ["PARAMETER_CHECKS", "check_grid", "check_point"]

_MAX_REPORTED = 5  # distinct failing points named in the error


def _optional(check: Callable) -> Callable:
    return lambda value, name: None if value is None else check(value, name)


def _choice_of(source: Callable[[], object]) -> Callable:
    """A check that ``value`` is a key of ``source()`` (read lazily: registries import torch)."""
    return lambda value, name: check_choice(value, name, tuple(source()))


def _ansatze():
    from plateau_pl.circuits import ANSATZE

    return ANSATZE


def _engines():
    from plateau_pl.engines.select import ENGINES

    return ENGINES


def _hamiltonians():
    from plateau_pl.experiments.paper import HAMILTONIANS

    return HAMILTONIANS


def _channels():
    from plateau_pl.models.noisy import CHANNELS

    return CHANNELS


def _weight_dists():
    from plateau_pl.circuits.weights import WEIGHT_DISTS

    return WEIGHT_DISTS


def _normalizations():
    from plateau_pl.models.qbm import NORMALIZATIONS

    return NORMALIZATIONS


def _remedies():
    from plateau_pl.experiments.trainability import REMEDIES

    return REMEDIES


def _optimizers():
    from plateau_pl.train.ensemble import ENSEMBLE_OPTIMIZERS

    return ENSEMBLE_OPTIMIZERS


def _tasks():
    from plateau_pl.train.tasks import TASKS

    return TASKS


def _device(value, name: str) -> str:
    from plateau_pl.devices import check_qubit_device

    return check_qubit_device(value)


def _options(value, name: str):
    return check_instance(value, name, Mapping, "a dict of device constructor options")


PARAMETER_CHECKS: dict[str, Callable] = {
    "n_visible": lambda v, n: check_int(v, n, minimum=1),
    "n_hidden": lambda v, n: check_int(v, n, minimum=0),
    "n_qubits": lambda v, n: check_int(v, n, minimum=2),
    "n_samples": lambda v, n: check_int(v, n, minimum=1),
    "n_layers": _optional(lambda v, n: check_int(v, n, minimum=1)),
    "n_cross": lambda v, n: check_int(v, n, minimum=1),
    "n_steps": lambda v, n: check_int(v, n, minimum=1),
    "n_seeds": lambda v, n: check_int(v, n, minimum=1),
    "n_trainable": _optional(lambda v, n: check_int(v, n, minimum=1)),
    "task_seed": check_seed,
    "shots": _optional(lambda v, n: check_int(v, n, minimum=1)),
    "beta": lambda v, n: check_float(v, n, positive=True),
    "delta": lambda v, n: check_float(v, n, positive=True),
    "lr": lambda v, n: check_float(v, n, positive=True),
    "p": lambda v, n: check_float(v, n, minimum=0.0, maximum=1.0),
    "ansatz": _choice_of(_ansatze),
    "engine": _choice_of(_engines),
    "hamiltonian": _choice_of(_hamiltonians),
    "channel": _choice_of(_channels),
    "dist": _choice_of(_weight_dists),
    "normalize": _optional(_choice_of(_normalizations)),
    "remedy": _choice_of(_remedies),
    "optimizer": _choice_of(_optimizers),
    "task": _choice_of(_tasks),
    "model": lambda v, n: check_choice(v, n, ("qnn", "qbm")),
    "device": _device,
    "device_options": _optional(_options),
}
"""What each parameter of the registry's experiments accepts: ``check(value, name)``."""


def check_point(fn: Callable, params: Mapping, registry: bool = True) -> None:
    """Check one point: it fits ``fn``'s signature and (for registry experiments) the table.

    Raises:
        PlateauError: the first problem, naming the parameter.
    """
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # builtins without a signature: let the call decide
        return
    try:
        bound = signature.bind(**params, seed=0)
    except TypeError as exc:
        raise ConfigurationError(f"does not fit {fn.__name__}: {exc}") from None
    if not registry:
        return
    bound.apply_defaults()
    for name, value in bound.arguments.items():
        check = PARAMETER_CHECKS.get(name)
        if check is not None:
            check(value, name)


def check_grid(fn: Callable, points: list[Mapping], registry: bool = True) -> None:
    """Check every point before any runs; one error lists the failing points (up to five).

    Each distinct set of parameters is checked once.

    Raises:
        ConfigurationError: some points fail; the message gives each one's parameters and why.
    """
    failures, verdicts = [], {}  # marker -> whether that set of parameters fails
    for params in points:
        marker = _marker(params)
        if marker in verdicts:
            continue
        try:
            check_point(fn, params, registry)
            verdicts[marker] = False
        except PlateauError as exc:
            verdicts[marker] = True
            failures.append((dict(params), str(exc)))
    if failures:
        n_bad = sum(verdicts[_marker(p)] for p in points)
        shown = "\n".join(f"  {p}: {why}" for p, why in failures[:_MAX_REPORTED])
        more = f"\n  … and {len(failures) - _MAX_REPORTED} more" if len(failures) > 5 else ""
        raise ConfigurationError(
            f"{n_bad} of {len(points)} grid points have invalid parameters; nothing was run:\n"
            f"{shown}{more}"
        )


def _marker(params: Mapping) -> str:
    """One text per distinct set of parameters (their order does not matter)."""
    return repr(sorted(params.items(), key=lambda kv: kv[0]))
