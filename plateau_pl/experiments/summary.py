"""A Markdown summary table of hidden-unit scan records, with fitted decay rates.

>>> rec = {"n_hidden": 0, "trace_distance": 0.5, "trace_distance_stderr": 0.0,
...        "haar_trace_distance": 0.5, "paper_trace_distance_bound": 0.5, "purity": 1.0,
...        "purity_stderr": 0.0, "haar_purity": 1.0, "grad_variance": 0.5,
...        "grad_variance_stderr": 0.01, "haar_grad_variance": 0.444}
>>> print(summary_table([rec]).splitlines()[2])
| 0 | 0.5 ± 0 | 0.5 | 0.5 | 1 ± 0 | 1 | 0.5 ± 0.01 | 0.444 |
"""

from __future__ import annotations

import numpy as np

from plateau_pl.diagnostics.stats import fit_decay

__all__ = ["summary_table"]


def _pm(value, err) -> str:
    return f"{value:.4g} ± {err:.2g}"


def _opt(value) -> str:
    return "—" if value is None else f"{value:.4g}"


def summary_table(records: list[dict]) -> str:
    """A Markdown table, one row per record, plus the fitted decay per added hidden qubit."""
    head = (
        "| n_hidden | trace distance | Haar | bound ½√(D_v/D_h) | purity | Haar purity "
        "| grad variance | Haar variance |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    rows = "".join(
        f"| {r['n_hidden']} | {_pm(r['trace_distance'], r['trace_distance_stderr'])} "
        f"| {_opt(r['haar_trace_distance'])} | {r['paper_trace_distance_bound']:.4g} "
        f"| {_pm(r['purity'], r['purity_stderr'])} | {r['haar_purity']:.4g} "
        f"| {_pm(r['grad_variance'], r['grad_variance_stderr'])} "
        f"| {_opt(r['haar_grad_variance'])} |\n"
        for r in records
    )
    fit = [r for r in records if r["n_hidden"] >= 1]
    if len(fit) < 3:
        return head + rows
    x = [r["n_hidden"] for r in fit]
    lines = ["", "Fitted decay per added hidden qubit (slope of ln y, n_hidden ≥ 1):", ""]
    for key, expected in (("trace_distance", -0.5), ("grad_variance", -1.0)):
        s, e = fit_decay(x, [r[key] for r in fit], [r[f"{key}_stderr"] for r in fit])
        lines.append(
            f"- {key}: slope/ln 2 = {s / np.log(2):.3f} ± {e / np.log(2):.3f} "
            f"(Haar: D_h^{expected:g} → {expected:g})"
        )
    return head + rows + "\n".join(lines) + "\n"
