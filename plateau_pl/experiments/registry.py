"""Named experiments, resolved lazily from ``"module:function"`` strings.

An experiment is a pure function ``fn(**params) -> dict`` (xyzpy's convention): the sweep
runner passes the point's parameters plus ``seed`` (the point's own seed, derived from the sweep
seed and the parameters) and gets back one record. Names, not function objects, travel to
process and Dask workers, which import the function themselves. The names and their functions
are those of :data:`plateau_pl.experiments.specs.SPECS`, the one description of each experiment.

>>> from plateau_pl.experiments.registry import EXPERIMENTS, get_experiment
>>> EXPERIMENTS["mcclean"]
'plateau_pl.experiments.paper:mcclean'
>>> get_experiment("haar-states").__name__
'haar_states'
"""

from __future__ import annotations

from collections.abc import Callable

from plateau_pl.errors import ConfigurationError, PlateauTypeError
from plateau_pl.experiments.specs import SPECS, resolve

__all__ = ["EXPERIMENTS", "experiment_name", "get_experiment"]

EXPERIMENTS: dict[str, str] = {name: spec.function for name, spec in SPECS.items()}
"""Experiment names and the ``module:function`` that computes one record (from ``SPECS``)."""


def get_experiment(experiment) -> Callable[..., dict]:
    """The function behind a name in :data:`EXPERIMENTS`, or ``experiment`` if callable."""
    if callable(experiment):
        return experiment
    if not isinstance(experiment, str):
        raise PlateauTypeError(
            f"experiment must be a name or a callable; got {type(experiment).__name__}"
        )
    if experiment not in EXPERIMENTS:
        raise ConfigurationError(
            f"unknown experiment {experiment!r}; available: {', '.join(sorted(EXPERIMENTS))}"
        )
    return resolve(EXPERIMENTS[experiment])


def experiment_name(experiment) -> str:
    """The name recorded for ``experiment`` (its registry name, or ``module:qualname``)."""
    if isinstance(experiment, str):
        get_experiment(experiment)  # validates the name
        return experiment
    for name, target in EXPERIMENTS.items():
        module, _, fn = target.partition(":")
        if getattr(experiment, "__module__", None) == module and experiment.__name__ == fn:
            return name
    return f"{experiment.__module__}:{experiment.__qualname__}"
