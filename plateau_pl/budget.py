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

from collections.abc import Mapping, Sequence

from plateau_pl.errors import ConfigurationError
from plateau_pl.theory import shots_for_snr

__all__ = ["format_shot_budget", "shot_budget"]

_SERIES = ("model", "ansatz", "hamiltonian", "normalize", "noise_channel")


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
    """
    rows = []
    for rec in records:
        var, g = rec.get(field), rec.get("generator_scale")
        if var is None or g is None or var <= 0:
            continue
        shots = shots_for_snr(var, snr=snr, generator_scale=g, outcome_variance=outcome_variance)
        var_se = rec.get(f"{field}_stderr") or 0.0
        n_params = rec.get("n_params")
        rows.append({
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
        })  # fmt: skip
    if not rows:
        raise ConfigurationError(
            f"no record has a positive {field!r} and a 'generator_scale'; run a gradient "
            "experiment (e.g. plateau-pl sweep qnn-gradient) first"
        )
    return sorted(rows, key=lambda r: (r["series"], r["n_hidden"] if r["n_hidden"] is not None
                                       else -1))  # fmt: skip


def format_shot_budget(rows: Sequence[Mapping], field: str = "grad_variance") -> str:
    """A plain-text table of :func:`shot_budget` rows."""
    snr = rows[0]["snr"] if rows else ""
    head = (f"{'n_h':>4}  {'series':<22}  {'grad variance':<22}  "
            f"{f'shots/circuit (SNR {snr:g})':<22}  shots/gradient")  # fmt: skip
    lines = [head]
    for r in rows:
        var = f"{r[field]:.3e} ± {r[f'{field}_stderr']:.1e}"
        shots = f"{r['shots_for_snr']:.3g} ± {r['shots_for_snr_stderr']:.2g}"
        total = "" if r["shots_per_gradient"] is None else f"{r['shots_per_gradient']:.3g}"
        lines.append(f"{r['n_hidden']!s:>4}  {r['series']:<22}  {var:<22}  {shots:<22}  {total}")
    return "\n".join(lines)
