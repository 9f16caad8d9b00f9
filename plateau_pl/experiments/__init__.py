"""Experiments: scans over layouts that produce JSON-lines records.

>>> from plateau_pl.experiments import hidden_unit_scan
>>> callable(hidden_unit_scan)
True
"""

from plateau_pl.experiments.records import write_records_atomic
from plateau_pl.experiments.scan import hidden_unit_scan

__all__ = ["hidden_unit_scan", "write_records_atomic"]
