"""Result dataclasses of the diagnostics: values with standard errors and ``to_dict()``.

Each prints as ``mean ± err`` (NetKet's ``Stats`` style) and turns into record fields with
:meth:`to_dict`, whose keys are the record fields of DESIGN.md §3.

>>> import numpy as np
>>> from plateau_pl.diagnostics.results import GradientStats
>>> g = np.random.default_rng(0).normal(scale=0.1, size=(500, 4))
>>> stats = GradientStats.from_gradients(g)
>>> sorted(stats.to_dict())[:3]
['grad_inf_norm_variance', 'grad_inf_norm_variance_stderr', 'grad_mean_abs']
>>> abs(stats.variance - 0.01) < 4 * stats.stderr
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plateau_pl._validation import check_float, check_int
from plateau_pl.errors import ShapeError
from plateau_pl.quantum.measures import (
    compute_purity,
    compute_trace_distance_to_maximally_mixed,
    compute_von_neumann_entropy,
)
from plateau_pl.stats import finite_values, mean_stderr, variance_stderr

__all__ = ["GradientStats", "LipschitzStats", "VisibleStateStats", "visible_measures"]


def visible_measures(states) -> dict[str, np.ndarray]:
    """Per draw: ``trace_distance`` to ``I/D_v``, ``purity`` and ``entropy`` (nats) of visible
    states ``(N, D_v, D_v)`` — the one definition every visible-state statistic averages.

    >>> m = visible_measures(np.stack([np.eye(2) / 2, np.diag([1.0, 0.0])]))
    >>> [round(float(v), 6) for v in m["trace_distance"]], m["purity"].tolist()
    ([0.0, 0.5], [0.5, 1.0])
    """
    return {
        "trace_distance": compute_trace_distance_to_maximally_mixed(states),
        "purity": compute_purity(states),
        "entropy": compute_von_neumann_entropy(states),
    }


def _pm(value, err) -> str:
    return "None" if value is None else f"{value:.4g} ± {err:.2g}"


def _per_parameter(g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-column sample variance and its standard error ``N/(N-1)·std((g-ḡ)²)/√N``."""
    n = len(g)
    dev2 = (g - g.mean(axis=0)) ** 2
    return dev2.sum(axis=0) / (n - 1), n / (n - 1) * dev2.std(axis=0, ddof=1) / np.sqrt(n)


def _mask(mask, n_params: int, name: str = "hidden_mask") -> np.ndarray | None:
    """``None`` or a boolean array with one entry per (flattened) parameter."""
    if mask is None:
        return None
    out = np.asarray(mask, dtype=bool).reshape(-1)
    if out.shape != (n_params,):
        raise ShapeError(f"{name} must have one entry per parameter ({n_params}); got {out.size}")
    return out


def _split_fields(vh, vh_err, vv, vv_err) -> dict:
    """The hidden-touching / visible-only fields of :class:`GradientStats`."""
    return {
        "variance_hidden": vh,
        "variance_hidden_stderr": vh_err,
        "variance_visible": vv,
        "variance_visible_stderr": vv_err,
    }


def _masked_variance(g: np.ndarray, mask) -> tuple[float | None, float | None]:
    if mask is None or not np.any(mask):
        return None, None
    return variance_stderr(g[:, mask])


def _masked_walk_mean(c: np.ndarray, mask):
    if mask is None or not mask.any():
        return None, None
    return mean_stderr(c[:, mask].mean(axis=1))


@dataclass(frozen=True)
class GradientStats:
    """Statistics of gradients over random draws of the parameters."""

    variance: float
    """Mean over parameters of the per-parameter sample variance."""
    stderr: float
    """Standard error of :attr:`variance` (keeps correlations between parameters)."""
    per_parameter: np.ndarray
    """Sample variance of each parameter's derivative (weight shape, flattened)."""
    per_parameter_stderr: np.ndarray
    """Standard error of each entry of :attr:`per_parameter`."""
    inf_norm_variance: float
    """Variance over draws of ``max_k |∂_k f|`` — the statistic the paper plots."""
    inf_norm_variance_stderr: float
    """Standard error of :attr:`inf_norm_variance`."""
    mean_abs_gradient: float
    """Mean of ``|∂_k f|`` over draws and parameters."""
    n_samples: int
    """Number of draws."""
    variance_hidden: float | None = None
    """:attr:`variance` restricted to parameters whose gate/term touches a hidden qubit."""
    variance_hidden_stderr: float | None = None
    """Its standard error."""
    variance_visible: float | None = None
    """:attr:`variance` restricted to parameters acting on visible qubits only."""
    variance_visible_stderr: float | None = None
    """Its standard error."""

    @classmethod
    def from_gradients(cls, grads, hidden_mask=None) -> GradientStats:
        """Statistics of ``grads`` ``(n_samples, ...)``; ``hidden_mask`` over flat parameters."""
        var, err = variance_stderr(grads)  # checks: finite, >= 2 draws, >= 1 parameter
        g = finite_values(grads, "grads").reshape(len(grads), -1)
        per, per_err = _per_parameter(g)
        inf_var, inf_err = variance_stderr(np.abs(g).max(axis=1)[:, None])
        mask = _mask(hidden_mask, g.shape[1])
        vh, vh_err = _masked_variance(g, mask)
        vv, vv_err = _masked_variance(g, None if mask is None else ~mask)
        return cls(
            variance=var,
            stderr=err,
            per_parameter=per,
            per_parameter_stderr=per_err,
            inf_norm_variance=inf_var,
            inf_norm_variance_stderr=inf_err,
            mean_abs_gradient=float(np.abs(g).mean()),
            n_samples=len(g),
            **_split_fields(vh, vh_err, vv, vv_err),
        )

    @classmethod
    def from_walks(cls, contrib, hidden_mask=None, reachable=None) -> GradientStats:
        """Statistics from Pauli-path walks: ``contrib`` ``(n_walks, n_params)`` holds each
        walk's unbiased estimate of every ``Var[∂_k f]`` (:mod:`plateau_pl.engines.pauli`).

        The draw-level statistics (``inf_norm_variance``, ``mean_abs_gradient``) do not follow
        from second moments and are ``None``. Where no walk resolved a parameter inside the
        observable's light cone (``reachable``), :attr:`per_parameter_upper95` gives the 95 %
        upper confidence bound ``3·max contribution / n_walks`` instead of a bare zero.
        """
        c = finite_values(contrib, "contrib", ndim=2)
        n = len(c)
        if n < 2 or c.shape[1] == 0:
            raise ShapeError(
                f"contrib must hold >= 2 walks of >= 1 parameter (n_walks, n_params); got "
                f"shape {c.shape}"
            )
        per = c.mean(axis=0)
        per_err = c.std(axis=0, ddof=1) / np.sqrt(n)
        var, err = mean_stderr(c.mean(axis=1))
        mask = _mask(hidden_mask, c.shape[1])
        vh, vh_err = _masked_walk_mean(c, mask)
        vv, vv_err = _masked_walk_mean(c, None if mask is None else ~mask)
        reach = (
            np.ones(c.shape[1], bool)
            if reachable is None
            else _mask(reachable, c.shape[1], "reachable")
        )
        scale = np.maximum(c.max(axis=0), 1.0)
        upper = np.where((per == 0) & reach, 3.0 * scale / n, np.nan)
        vc, vc_err = _masked_walk_mean(c, reach)
        return cls(
            variance=var,
            stderr=err,
            per_parameter=per,
            per_parameter_stderr=per_err,
            inf_norm_variance=None,
            inf_norm_variance_stderr=None,
            mean_abs_gradient=None,
            n_samples=n,
            **_split_fields(vh, vh_err, vv, vv_err),
            per_parameter_upper95=upper,
            variance_light_cone=vc,
            variance_light_cone_stderr=vc_err,
        )

    @classmethod
    def from_exact(cls, per_parameter, bounds=None, hidden_mask=None) -> GradientStats:
        """Exact per-parameter variances (the Pauli-path engine's exact mode): standard errors
        0, ``n_samples`` 0; where the propagation was truncated, :attr:`per_parameter_upper95`
        holds the rigorous upper end ``value + bound``."""
        per = finite_values(per_parameter, "per_parameter", ndim=1)
        if per.size == 0:
            raise ShapeError("per_parameter must hold at least one parameter; got shape (0,)")
        bounds = np.zeros_like(per) if bounds is None else finite_values(bounds, "bounds", ndim=1)
        if bounds.shape != per.shape:
            raise ShapeError(
                f"bounds must match per_parameter's shape {per.shape}; got {bounds.shape}"
            )
        mask = _mask(hidden_mask, per.size)

        def mean(m):
            return (None, None) if m is None or not m.any() else (float(per[m].mean()), 0.0)

        vh, vh_err = mean(mask)
        vv, vv_err = mean(None if mask is None else ~mask)
        upper = np.where(bounds > 0, per + bounds, np.nan)
        return cls(
            variance=float(per.mean()),
            stderr=0.0,
            per_parameter=per,
            per_parameter_stderr=np.zeros_like(per),
            inf_norm_variance=None,
            inf_norm_variance_stderr=None,
            mean_abs_gradient=None,
            n_samples=0,
            **_split_fields(vh, vh_err, vv, vv_err),
            per_parameter_upper95=upper,
        )

    per_parameter_upper95: np.ndarray | None = None
    """Pauli-path walks only: a 95 % upper bound where a reachable parameter's variance fell
    below what the walks resolve (NaN where resolved or exactly zero by the light cone)."""
    variance_light_cone: float | None = None
    """Pauli-path engine only: :attr:`variance` over the parameters inside the observable's
    backward light cone (the others are exactly zero)."""
    variance_light_cone_stderr: float | None = None
    """Its standard error."""

    def to_dict(self) -> dict:
        """Record fields (per-parameter arrays are left out; see :attr:`per_parameter`)."""
        unresolved = (
            None
            if self.per_parameter_upper95 is None
            else int(np.isfinite(self.per_parameter_upper95).sum())
        )
        return {
            "grad_variance": self.variance,
            "grad_variance_stderr": self.stderr,
            "grad_inf_norm_variance": self.inf_norm_variance,
            "grad_inf_norm_variance_stderr": self.inf_norm_variance_stderr,
            "grad_mean_abs": self.mean_abs_gradient,
            "n_samples": self.n_samples,
            "grad_variance_hidden": self.variance_hidden,
            "grad_variance_hidden_stderr": self.variance_hidden_stderr,
            "grad_variance_visible": self.variance_visible,
            "grad_variance_visible_stderr": self.variance_visible_stderr,
            "grad_n_unresolved": unresolved,
            "grad_variance_upper95": self._variance_upper95(),
            "grad_variance_light_cone": self.variance_light_cone,
            "grad_variance_light_cone_stderr": self.variance_light_cone_stderr,
        }

    def _variance_upper95(self) -> float | None:
        """A 95 % upper bound on :attr:`variance` where walks left parameters unresolved
        (their bounds in place of their zeros); ``None`` when everything was resolved."""
        upper = self.per_parameter_upper95
        if upper is None or not np.isfinite(upper).any():
            return None
        return float(np.where(np.isfinite(upper), upper, self.per_parameter).mean())

    def __repr__(self) -> str:
        inf = (
            "n/a"
            if self.inf_norm_variance is None
            else _pm(self.inf_norm_variance, self.inf_norm_variance_stderr)
        )
        return (
            f"GradientStats(variance={_pm(self.variance, self.stderr)}, "
            f"inf_norm_variance={inf}, "
            f"n_params={self.per_parameter.size}, n_samples={self.n_samples})"
        )


@dataclass(frozen=True)
class VisibleStateStats:
    """Statistics of the visible state ``ρ_v`` over random draws."""

    trace_distance: float
    """Mean trace distance ``½‖ρ_v − I/D_v‖₁``."""
    trace_distance_stderr: float
    """Its standard error."""
    purity: float
    """Mean purity ``Tr ρ_v²``."""
    purity_stderr: float
    """Its standard error."""
    entropy: float
    """Mean von Neumann entropy of ``ρ_v`` (nats)."""
    entropy_stderr: float
    """Its standard error."""
    histogram: np.ndarray
    """Counts of the trace distances in :attr:`bin_edges`."""
    bin_edges: np.ndarray
    """Histogram bin edges over ``[0, 1 − 1/D_v]``."""
    n_samples: int
    """Number of draws."""

    @classmethod
    def from_values(cls, trace_distances, purities, entropies, max_distance, bins=20):
        """Means ± standard errors and the histogram of the trace distances."""
        td = finite_values(trace_distances, "trace_distances", ndim=1)
        for name, other in (("purities", purities), ("entropies", entropies)):
            if len(finite_values(other, name, ndim=1)) != len(td):
                raise ShapeError(f"{name} must have one value per trace distance ({len(td)})")
        max_distance = check_float(max_distance, "max_distance", minimum=0)
        bins = check_int(bins, "bins", minimum=1)
        hist, edges = np.histogram(td, bins=bins, range=(0.0, max(max_distance, 1e-12)))
        return cls(
            *mean_stderr(td),
            *mean_stderr(purities),
            *mean_stderr(entropies),
            histogram=hist,
            bin_edges=edges,
            n_samples=len(td),
        )

    @classmethod
    def from_states(cls, states, bins=20):
        """The statistics of visible states ``(N, D_v, D_v)`` (:func:`visible_measures`)."""
        m = visible_measures(states)
        d_v = np.shape(states)[-1]
        return cls.from_values(
            m["trace_distance"], m["purity"], m["entropy"], max_distance=1.0 - 1.0 / d_v, bins=bins
        )

    def to_dict(self) -> dict:
        """Record fields, the histogram included as lists."""
        return {
            "trace_distance": self.trace_distance,
            "trace_distance_stderr": self.trace_distance_stderr,
            "purity": self.purity,
            "purity_stderr": self.purity_stderr,
            "entropy": self.entropy,
            "entropy_stderr": self.entropy_stderr,
            "trace_distance_hist": self.histogram.tolist(),
            "trace_distance_bins": self.bin_edges.tolist(),
            "n_samples": self.n_samples,
        }

    def __repr__(self) -> str:
        td = _pm(self.trace_distance, self.trace_distance_stderr)
        pur = _pm(self.purity, self.purity_stderr)
        return (
            f"VisibleStateStats(trace_distance={td}, purity={pur}, "
            f"entropy={_pm(self.entropy, self.entropy_stderr)}, n_samples={self.n_samples})"
        )


@dataclass(frozen=True)
class LipschitzStats:
    """Ensemble mean of ``|f(θ + δ e_k) − f(θ)|/δ`` with one random ``k`` per draw."""

    ratio: float
    """The ensemble mean."""
    stderr: float
    """Its standard error."""
    delta: float
    """The step ``δ``."""
    bound: float | None
    """The paper's explicit bound (arXiv v2 Eq. A12), ``None`` where it does not apply."""
    n_samples: int
    """Number of draws."""

    def to_dict(self) -> dict:
        """Record fields."""
        return {
            "lipschitz_ratio": self.ratio,
            "lipschitz_ratio_stderr": self.stderr,
            "delta": self.delta,
            "lipschitz_bound": self.bound,
            "lipschitz_samples": self.n_samples,
        }

    def __repr__(self) -> str:
        return f"LipschitzStats(ratio={_pm(self.ratio, self.stderr)}, bound={self.bound})"


@dataclass(frozen=True)
class VisiblePurityStats:
    """What second moments say about the visible state (the Pauli-path engine's answer to
    :func:`~plateau_pl.diagnostics.visible_state_stats`): the mean purity, exactly in
    expectation, and what follows from it. The mean trace distance and entropy do not follow
    from second moments; the trace distance gets the upper bound
    ``E[T] ≤ ½ √(D_v · E‖ρ_v − I/D_v‖₂²)`` (``T ≤ ½√D_v ‖·‖₂`` and Jensen)."""

    purity: float
    """``E[Tr ρ_v²]``."""
    purity_stderr: float
    hs_distance_sq: float
    """``E‖ρ_v − I/D_v‖₂² = E[Tr ρ_v²] − 1/D_v``."""
    hs_distance_sq_stderr: float
    trace_distance_upper: float
    """The upper bound on the mean trace distance above."""
    n_walks: int
    """Walks per visible Pauli string."""

    def to_dict(self) -> dict:
        """Record fields (``trace_distance`` and ``entropy`` are not given: ``None``)."""
        return {
            "purity": self.purity,
            "purity_stderr": self.purity_stderr,
            "hs_distance_sq": self.hs_distance_sq,
            "hs_distance_sq_stderr": self.hs_distance_sq_stderr,
            "trace_distance": None,
            "trace_distance_upper": self.trace_distance_upper,
            "entropy": None,
            "n_samples": self.n_walks,
        }
