"""Experiments: named, seeded functions of parameters → records, and the sweeps that run them.

Imports are lazy (PEP 562) so that :mod:`plateau_pl.experiments.records` (JSON lines) loads
without torch or PennyLane — :mod:`plateau_pl.plotting` reads records through it.

>>> from plateau_pl.experiments import EXPERIMENTS
>>> "qnn-gradient" in EXPERIMENTS
True
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "EXPERIMENTS": "plateau_pl.experiments.registry",
    "get_experiment": "plateau_pl.experiments.registry",
    "run_sweep": "plateau_pl.experiments.sweep",
    "SweepResult": "plateau_pl.experiments.sweep",
    "load_records": "plateau_pl.experiments.records",
    "write_records_atomic": "plateau_pl.experiments.records",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'plateau_pl.experiments' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
