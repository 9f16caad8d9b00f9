"""Shot budgets from measured gradient statistics: what a device would need at each size.

Reads records only (no torch, no PennyLane), like :mod:`plateau_pl.report`. For every record
with a measured ``grad_variance`` (and the ansatz's ``generator_scale``) it computes the shots per
circuit a parameter-shift gradient needs to reach a signal-to-noise ratio
(:func:`plateau_pl.theory.shots_for_snr`: ``N = 2 g² σ² snr² / Var[∂f]``), its standard error
(the variance's relative error carries over), and the shots for one full gradient
(``2 · n_params · N``). Under an entanglement-induced plateau ``N`` doubles with every hidden
qubit.

**Example**

>>> recs = [{"experiment": "qnn-gradient", "model": "qnn", "ansatz": "random_two_local",
...          "generator_scale": 1.0, "n_visible": 1, "n_hidden": h, "n_params": 10,
...          "grad_variance": 2.0 / 2 ** (h + 1), "grad_variance_stderr": 0.0} for h in (1, 2)]
>>> [round(r["shots_for_snr"]) for r in shot_budget(recs, snr=1.0)]
[4, 8]
>>> print(format_shot_budget(shot_budget(recs, snr=1.0)).splitlines()[0])
 n_h  series                  grad variance           shots/circuit (SNR 1)   shots/gradient
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from plateau_pl._validation import check_float, check_int, check_record_list
from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError
from plateau_pl.theory import shots_for_snr

__all__ = ["check_records", "format_shot_budget", "shot_budget"]

_SERIES = ("model", "ansatz", "hamiltonian", "normalize", "noise_channel")
_ROW_FIELDS = (
    "n_hidden",
    "series",
    "snr",
    "shots_for_snr",
    "shots_for_snr_stderr",
    "shots_per_gradient",
)


def check_records(records, name: str = "records") -> list[dict]:
    """``records`` as a list of dicts (:func:`plateau_pl._validation.check_record_list`).

    >>> check_records([{"n_hidden": 1}])
    [{'n_hidden': 1}]
    """
    return check_record_list(records, name)


def _number(value, name: str, **bounds) -> float:
    """:func:`~plateau_pl._validation.check_float`, an integer past the largest float too."""
    try:
        return check_float(value, name, **bounds)
    except OverflowError:
        raise PlateauError(
            f"{name} must be a finite real number; got an integer too large for a float"
        ) from None


def _record_number(rec: Mapping, key: str, where: str, **bounds) -> float | None:
    """``rec[key]`` as a finite float (``None`` if missing or null), named ``where[key]``."""
    value = rec.get(key)
    return None if value is None else _number(value, f"{where}[{key!r}]", **bounds)


def _series(rec: Mapping) -> str:
    return " ".join(str(rec[k]) for k in _SERIES if rec.get(k) is not None)


def shot_budget(
    records: Sequence[Mapping],
    snr: float = 2.0,
    outcome_variance: float = 1.0,
    field: str = "grad_variance",
) -> list[dict]:
    """One row per record with ``field`` and ``generator_scale``: the shots it needs.

    Args:
        records: records of a gradient experiment (``qnn-gradient``, ``mcclean``, ``noise``…).
        snr: the target signal-to-noise ratio of one gradient component.
        outcome_variance: ``σ²`` of one measurement outcome (1: Pauli observable).
        field: the variance field (``grad_variance``, ``grad_variance_visible``…).

    Returns:
        Rows sorted by series and ``n_hidden``, with ``shots_for_snr``,
        ``shots_for_snr_stderr``, ``shots_per_gradient`` and the record's identifying fields.

    Raises:
        ConfigurationError: no record has a positive ``field`` and a ``generator_scale``.
        PlateauTypeError: ``records`` is not a list of dicts, or a record's value is not a
            number (the message names the record and the field).
    """
    records = check_records(records)
    if not isinstance(field, str):
        raise PlateauTypeError(f"field must be a record field name; got {field!r}")
    snr = _number(snr, "snr", positive=True)
    outcome_variance = _number(outcome_variance, "outcome_variance", minimum=0)
    rows = []
    for i, rec in enumerate(records):
        where = f"records[{i}]"
        var = _record_number(rec, field, where)
        g = _record_number(rec, "generator_scale", where)
        if var is None or g is None or var <= 0:
            continue
        shots = shots_for_snr(var, snr=snr, generator_scale=g, outcome_variance=outcome_variance)
        var_se = _record_number(rec, f"{field}_stderr", where, minimum=0) or 0.0
        n_params = rec.get("n_params")
        if n_params is not None:
            n_params = check_int(n_params, f"{where}['n_params']", minimum=1)
        rows.append(
            {
                "experiment": rec.get("experiment"),
                "series": _series(rec),
                **{k: rec[k] for k in (*_SERIES, "n_visible", "n_layers") if k in rec},
                "n_hidden": rec.get("n_hidden"),
                "generator_scale": g,
                field: var,
                f"{field}_stderr": var_se,
                "snr": snr,
                "shots_for_snr": shots,
                "shots_for_snr_stderr": shots * var_se / var,
                "shots_per_gradient": None if n_params is None else 2 * n_params * shots,
            }
        )
    if not rows:
        raise ConfigurationError(
            f"no record has a positive {field!r} and a 'generator_scale'; run a gradient "
            "experiment (e.g. plateau-pl sweep qnn-gradient) first"
        )
    return sorted(
        rows, key=lambda r: (r["series"], r["n_hidden"] if r["n_hidden"] is not None else -1)
    )


def format_shot_budget(rows: Sequence[Mapping], field: str = "grad_variance") -> str:
    """A plain-text table of :func:`shot_budget` rows.

    Raises:
        PlateauTypeError: ``rows`` is not a list of dicts.
        ConfigurationError: a row lacks a field of :func:`shot_budget`'s rows.
    """
    rows = check_records(rows, "rows")
    if not isinstance(field, str) or not field:
        raise PlateauTypeError(f"field must be a record field name; got {field!r}")
    numeric = ("snr", "shots_for_snr", "shots_for_snr_stderr", field, f"{field}_stderr")
    for i, row in enumerate(rows):
        for key in (*_ROW_FIELDS, field, f"{field}_stderr"):
            if key not in row:
                raise ConfigurationError(
                    f"rows[{i}] has no {key!r} field; pass the rows of shot_budget(records, "
                    f"field={field!r})"
                )
        for key in numeric:
            if _record_number(row, key, f"rows[{i}]") is None:
                raise ConfigurationError(f"rows[{i}][{key!r}] must be a number; got None")
        if row["shots_per_gradient"] is not None:
            _record_number(row, "shots_per_gradient", f"rows[{i}]")
    snr = f"{rows[0]['snr']:g}" if rows else "?"
    head = (
        f"{'n_h':>4}  {'series':<22}  {'grad variance':<22}  "
        f"{f'shots/circuit (SNR {snr})':<22}  shots/gradient"
    )
    lines = [head]
    for r in rows:
        var = f"{r[field]:.3e} ± {r[f'{field}_stderr']:.1e}"
        shots, err = r["shots_for_snr"], r["shots_for_snr_stderr"]
        total = ""
        if r["shots_per_gradient"] is not None:  # the same relative error as shots/circuit
            ratio = r["shots_per_gradient"] / shots if shots else 0.0
            total = _count_with_error(r["shots_per_gradient"], err * ratio)
        lines.append(
            f"{r['n_hidden']!s:>4}  {r['series']:<22}  {var:<22}  "
            f"{_count_with_error(shots, err):<22}  {total}"
        )
    return "\n".join(lines)


def _count_with_error(count: float, stderr: float) -> str:
    """A shot count (rounded up: shots are whole) and its standard error, both as integers with
    thousands separators, the error to two significant digits.

    >>> _count_with_error(30412.2, 812.4), _count_with_error(11.7, 0.87), _count_with_error(3e9, 0)
    ('30,413 ± 810', '12 ± 0.87', '3,000,000,000 ± 0')
    """
    err = float(f"{stderr:.2g}")
    err_text = f"{err:,.0f}" if err >= 10 else f"{err:g}"
    return f"{math.ceil(count):,} ± {err_text}"
