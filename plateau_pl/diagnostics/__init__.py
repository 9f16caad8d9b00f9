"""Diagnostics over random draws: statistics with standard errors and decay fits.

>>> from plateau_pl.diagnostics import fit_decay
>>> round(fit_decay([1, 2, 3], [0.5, 0.25, 0.125])[0], 6)
-0.693147
"""

from plateau_pl.diagnostics.stats import fit_decay, mean_stderr, variance_stderr

__all__ = ["fit_decay", "mean_stderr", "variance_stderr"]
