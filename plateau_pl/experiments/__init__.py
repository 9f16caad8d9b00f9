"""Experiments: named, seeded functions of parameters → records, and the sweeps that run them.

Imports are lazy (PEP 562): naming an experiment or reading the registry loads neither torch nor
PennyLane. The record store itself lives below every layer, in :mod:`plateau_pl.records`.

>>> from plateau_pl.experiments import EXPERIMENTS
>>> "qnn-gradient" in EXPERIMENTS
True
"""

from __future__ import annotations

from plateau_pl._lazy import lazy_getattr

_EXPORTS = {
    "EXPERIMENTS": "plateau_pl.experiments.registry",
    "get_experiment": "plateau_pl.experiments.registry",
    "run_sweep": "plateau_pl.experiments.sweep",
    "SweepResult": "plateau_pl.experiments.sweep",
    "load_records": "plateau_pl.records",
    "write_records_atomic": "plateau_pl.records",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_getattr("plateau_pl.experiments", _EXPORTS, globals())
