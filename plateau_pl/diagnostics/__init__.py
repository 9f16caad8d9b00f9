"""Diagnostics over random draws: statistics with standard errors and decay fits.

Imports are lazy (PEP 562). The statistics themselves (standard errors, decay fits) live below
every layer, in :mod:`plateau_pl.stats`, and are re-exported here.

>>> from plateau_pl.diagnostics import fit_decay
>>> round(fit_decay([1, 2, 3], [0.5, 0.25, 0.125])[0], 6)
-0.693147
"""

from __future__ import annotations

from plateau_pl._lazy import lazy_getattr

_EXPORTS = {
    "gradient_variance": "plateau_pl.diagnostics.sampling",
    "visible_state_stats": "plateau_pl.diagnostics.sampling",
    "lipschitz_ratio": "plateau_pl.diagnostics.sampling",
    "sample_variance": "plateau_pl.diagnostics.sampling",
    "GradientStats": "plateau_pl.diagnostics.results",
    "VisibleStateStats": "plateau_pl.diagnostics.results",
    "LipschitzStats": "plateau_pl.diagnostics.results",
    "fit_decay": "plateau_pl.stats",
    "mean_stderr": "plateau_pl.stats",
    "variance_stderr": "plateau_pl.stats",
    "gradient_map": "plateau_pl.diagnostics.landscape",
    "entropy_profile": "plateau_pl.diagnostics.landscape",
    "GradientMap": "plateau_pl.diagnostics.landscape",
    "EntropyProfile": "plateau_pl.diagnostics.landscape",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_getattr("plateau_pl.diagnostics", _EXPORTS, globals())
