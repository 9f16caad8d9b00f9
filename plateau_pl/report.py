"""A Markdown summary of records: fitted decay rates beside the theory's.

Reads records only (no torch, no PennyLane), like :mod:`plateau_pl.plotting`. Which quantities
an experiment reports comes from its spec (:data:`plateau_pl.experiments.specs.SPECS`): every
decaying quantity of an experiment whose x axis counts qubits, against that x. For each quantity
and series it fits ``ln y`` against ``x`` (:func:`plateau_pl.plotting.decay_rates`) and reports
the rate in powers of two per added qubit, ± its standard error, beside the same fit of the
quantity's reference theory values (Haar) where the records carry them.

**Example**

>>> recs = [{"experiment": "qnn-gradient", "model": "qnn", "ansatz": "random_two_local",
...          "n_hidden": h, "grad_variance": 2.0 ** -h, "grad_variance_stderr": 0.01 * 2.0 ** -h,
...          "haar_grad_variance": 2.0 ** -h} for h in range(1, 5)]
>>> print(summary_table(recs).splitlines()[2])  # doctest: +NORMALIZE_WHITESPACE
| qnn-gradient | qnn random_two_local | grad_variance | −1.000 ± 0.006
  | −1.000 (haar_grad_variance) |
"""

from __future__ import annotations

from plateau_pl.budget import check_records
from plateau_pl.experiments.specs import SPECS
from plateau_pl.plotting.core import decay_rates

__all__ = ["QUANTITIES", "summary_table"]

_PER_QUBIT = ("n_hidden", "n_visible", "n_qubits")
"""The x axes of ``summary.md``'s rates (log₂ y per added qubit)."""

QUANTITIES: dict[str, tuple[tuple[str, str, str | None], ...]] = {
    name: rows
    for name, spec in SPECS.items()
    if spec.x in _PER_QUBIT
    and (rows := tuple((q.field, spec.x, q.reference) for q in spec.quantities if q.decays))
}
"""Per experiment: (measured field, x field, theory field or None) rows of the summary, read
from the experiments' specs."""


def _fmt(rate: float, err: float | None = None) -> str:
    text = f"{rate:.3f}".replace("-", "−")
    return text if err is None else f"{text} ± {err:.3f}"


def _rows(records: list[dict], experiment: str) -> list[str]:
    recs = [r for r in records if r.get("experiment") == experiment]
    rows = []
    for field, x, theory_field in QUANTITIES.get(experiment, ()):
        series = SPECS[experiment].series
        measured = decay_rates(recs, field, x=x, series=series)
        theory = decay_rates(recs, theory_field, x=x, series=series) if theory_field else {}
        for label, (rate, err) in measured.items():
            # the Haar values are a reference for circuits, not a prediction for a QBM
            ref = None if label.startswith("qbm") else theory.get(label)
            ref_text = f"{_fmt(ref[0])} ({theory_field})" if ref else "—"
            if "area_law" in label:
                ref_text = "0 (area law: bounded)"
            rows.append(f"| {experiment} | {label} | {field} | {_fmt(rate, err)} | {ref_text} |")
    return rows


def summary_table(records: list[dict]) -> str:
    """Markdown: experiment, series, quantity, fitted rate (log₂ per qubit) ± error, theory.

    Raises:
        PlateauTypeError: ``records`` is not a list of dicts (a path must be read first:
            :func:`plateau_pl.load_records`).
    """
    records = check_records(records)
    head = (
        "| experiment | series | quantity | fitted rate (log₂ y per qubit) | theory |\n"
        "|---|---|---|---:|---:|\n"
    )
    experiments = list(dict.fromkeys(r.get("experiment") for r in records))
    body = [row for e in experiments if e in QUANTITIES for row in _rows(records, e)]
    return head + "\n".join(body) + "\n"
