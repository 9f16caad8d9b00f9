r"""Where the plateau sits: gradient variance by layer and qubit, entanglement against depth.

* :func:`gradient_map` — the per-parameter gradient variance over random draws, arranged on a
  ``(layer, qubit)`` grid: each parameter counts for every wire its gate acts on
  (:meth:`Ansatz.param_wires <plateau_pl.circuits.Ansatz.param_wires>`; a two-qubit gate counts
  for both) and for its layer, the leading index of the weight shape. Cell ``(l, q)`` holds the
  mean of the per-parameter variances of its parameters,

  .. math::
      V_{lq} = \frac{1}{|S_{lq}|} \sum_{k \in S_{lq}} \operatorname{Var}_i\, \partial_k f(θ_i),

  with the standard error of :func:`~plateau_pl.stats.variance_stderr` (per-draw
  contributions, so correlations between a cell's parameters are kept); empty cells are NaN.
* :func:`entropy_profile` — the visible qubits' von Neumann entropy ``S(ρ_v)`` (mean ± standard
  error over random angles) against the depth, beside Page's Haar value
  (:func:`plateau_pl.theory.page_entropy`) and, for ``area_law``, its per-draw bound.

Both sample through :mod:`plateau_pl.diagnostics.ensembles`, so analytic QNNs run on the batched
statevector engine and noisy ones (:class:`~plateau_pl.models.noisy.NoisyQNN`) on their device.
Figures: :mod:`plateau_pl.plotting.maps` (from the ``to_dict()`` outputs).

**Example**

>>> import plateau_pl as pp
>>> from plateau_pl.diagnostics.landscape import entropy_profile, gradient_map
>>> qnn = pp.QNN(pp.WireLayout(1, 2), "hardware_efficient", n_layers=3,
...              device="default.qubit", seed=0)
>>> gm = gradient_map(qnn, n_samples=20, seed=1)
>>> gm.variance.shape, gm.counts.tolist()[0]
((3, 3), [2, 2, 2])
>>> prof = entropy_profile("random_two_local", pp.WireLayout(1, 1), [1, 2], 20, seed=0)
>>> prof.depths.tolist(), round(prof.page_entropy, 4)
([1, 2], 0.3333)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from plateau_pl import theory
from plateau_pl._validation import check_choice, check_int
from plateau_pl.circuits import ANSATZE, WireLayout
from plateau_pl.diagnostics import ensembles as ens
from plateau_pl.diagnostics.results import _per_parameter, visible_measures
from plateau_pl.errors import ConfigurationError, PlateauTypeError
from plateau_pl.models.qbm import QBM
from plateau_pl.models.qnn import QNN
from plateau_pl.stats import mean_stderr, variance_stderr

__all__ = ["EntropyProfile", "GradientMap", "entropy_profile", "gradient_map"]


def _nan_to_none(a: np.ndarray) -> list:
    return (
        [_nan_to_none(x) for x in a]
        if a.ndim > 1
        else [None if np.isnan(x) else float(x) for x in a]
    )


@dataclass(frozen=True)
class GradientMap:
    """Gradient variance per (layer, qubit) cell, with the raw per-parameter values."""

    variance: np.ndarray
    """``(n_layers, n_wires)``: mean per-parameter variance of each cell (NaN if empty)."""
    stderr: np.ndarray
    """``(n_layers, n_wires)``: its standard error."""
    counts: np.ndarray
    """``(n_layers, n_wires)``: how many parameters' gates act on the cell."""
    per_parameter: np.ndarray
    """Sample variance of each flattened parameter's derivative."""
    per_parameter_stderr: np.ndarray
    """Its standard error."""
    param_layers: np.ndarray
    """The layer of each flattened parameter."""
    param_wires: tuple[tuple[int, ...], ...]
    """The wires (layout positions) of each flattened parameter's gate."""
    n_visible: int
    """Visible qubits: columns ``0..n_visible-1``; the others are hidden."""
    n_samples: int
    """Number of draws."""
    ansatz: str
    """The ansatz's name."""

    def to_dict(self) -> dict:
        """Plain JSON types (NaN → ``None``); :func:`plateau_pl.plotting.maps.figure_gradient_map`
        reads it."""
        n_layers, n_wires = self.variance.shape
        return {
            "ansatz": self.ansatz,
            "n_visible": self.n_visible,
            "n_hidden": n_wires - self.n_visible,
            "n_layers": n_layers,
            "n_samples": self.n_samples,
            "grad_map": _nan_to_none(self.variance),
            "grad_map_stderr": _nan_to_none(self.stderr),
            "grad_map_counts": self.counts.tolist(),
            "grad_per_parameter": self.per_parameter.tolist(),
            "grad_per_parameter_stderr": self.per_parameter_stderr.tolist(),
            "param_layers": self.param_layers.tolist(),
            "param_wires": [list(w) for w in self.param_wires],
        }

    def __repr__(self) -> str:
        return (
            f"GradientMap(ansatz={self.ansatz!r}, shape={self.variance.shape}, "
            f"n_visible={self.n_visible}, n_samples={self.n_samples})"
        )


def _param_layout(qnn) -> tuple[np.ndarray, list[tuple[int, ...]]]:
    ansatz = qnn.ansatz
    wires = ansatz.param_wires()
    if wires is None:
        raise ConfigurationError(
            f"gradient_map needs to know the wires of each parameter; ansatz {ansatz.name!r} "
            "(a user template) does not state them (Ansatz.param_wires() is None): use a "
            "built-in ansatz or an Ansatz subclass with param_wires()"
        )
    shape = ansatz.weight_shape
    if shape[0] != ansatz.n_layers or len(wires) != ansatz.n_params:
        raise ConfigurationError(
            f"gradient_map needs weights shaped (n_layers={ansatz.n_layers}, ...) with one "
            f"param_wires entry per parameter; got weight shape {shape} and "
            f"{len(wires)} entries"
        )
    layers = np.arange(ansatz.n_params) // (ansatz.n_params // ansatz.n_layers)
    return layers, [tuple(int(q) for q in w) for w in wires]


def gradient_map(
    qnn,
    n_samples: int,
    seed: int,
    dist: str = "uniform",
    resample_structure: bool = False,
    engine: str = "auto",
) -> GradientMap:
    """Per-parameter gradient variance of ``⟨O⟩`` arranged by layer and qubit.

    Args:
        qnn: a :class:`~plateau_pl.models.QNN` (or ``NoisyQNN``) whose ansatz states its
            :meth:`~plateau_pl.circuits.Ansatz.param_wires`.
        n_samples: random draws of the angles (≥ 2).
        seed: seed of the ensemble.
        dist: weight distribution.
        resample_structure: redraw the random structure per draw.
        engine: a name in :data:`plateau_pl.engines.ENGINES` or an engine (see
            :func:`~plateau_pl.diagnostics.gradient_variance`).

    Returns:
        GradientMap: cells ``(layer, qubit)``; a parameter counts for each wire of its gate.
    """
    if not isinstance(qnn, QNN):
        raise PlateauTypeError(f"qnn must be a plateau_pl QNN; got {type(qnn).__name__}")
    _, n_samples, seed = ens.check_ensemble(qnn, n_samples, seed, dist, resample_structure)
    layers, wires = _param_layout(qnn)
    grads, _ = ens.qnn_gradients(qnn, n_samples, seed, dist, resample_structure, engine)
    g = np.asarray(grads, dtype=np.float64).reshape(n_samples, -1)
    per, per_err = _per_parameter(g)
    n_layers, n_wires = qnn.ansatz.n_layers, qnn.layout.n_wires
    var = np.full((n_layers, n_wires), np.nan)
    err = np.full((n_layers, n_wires), np.nan)
    counts = np.zeros((n_layers, n_wires), dtype=int)
    for layer in range(n_layers):
        for q in range(n_wires):
            members = [k for k in range(len(wires)) if layers[k] == layer and q in wires[k]]
            counts[layer, q] = len(members)
            if members:
                var[layer, q], err[layer, q] = variance_stderr(g[:, members])
    return GradientMap(
        var,
        err,
        counts,
        per,
        per_err,
        layers,
        tuple(wires),
        qnn.layout.n_visible,
        n_samples,
        qnn.ansatz.name,
    )


@dataclass(frozen=True)
class EntropyProfile:
    """Mean entanglement entropy of the visible qubits against depth."""

    depths: np.ndarray
    """The depths ``n_layers``."""
    entropy: np.ndarray
    """Mean von Neumann entropy ``S(ρ_v)`` (nats) per depth."""
    entropy_stderr: np.ndarray
    """Its standard error."""
    purity: np.ndarray
    """Mean purity ``Tr ρ_v²`` per depth."""
    purity_stderr: np.ndarray
    """Its standard error."""
    max_entropy: np.ndarray
    """The largest entropy over the draws, per depth (for checking per-draw bounds)."""
    page_entropy: float
    """Page's Haar mean ``E S(ρ_v)`` for ``(D_v, D_h)``."""
    haar_purity: float
    """The Haar mean purity ``(D_v + D_h)/(D_v D_h + 1)``."""
    entropy_bound: np.ndarray | None
    """Per-draw bound of the ansatz per depth (``area_law``), else ``None``."""
    n_visible: int
    """Visible qubits."""
    n_hidden: int
    """Hidden qubits."""
    n_samples: int
    """Draws per depth."""
    ansatz: str
    """The ansatz's name."""

    def to_dict(self) -> dict:
        """Plain JSON types; :func:`plateau_pl.plotting.maps.figure_entropy_profile` reads it."""
        bound = None if self.entropy_bound is None else self.entropy_bound.tolist()
        return {
            "ansatz": self.ansatz,
            "n_visible": self.n_visible,
            "n_hidden": self.n_hidden,
            "n_samples": self.n_samples,
            "depths": self.depths.tolist(),
            "entropy": self.entropy.tolist(),
            "entropy_stderr": self.entropy_stderr.tolist(),
            "purity": self.purity.tolist(),
            "purity_stderr": self.purity_stderr.tolist(),
            "max_entropy": self.max_entropy.tolist(),
            "page_entropy": self.page_entropy,
            "haar_purity": self.haar_purity,
            "entropy_bound": bound,
        }

    def __repr__(self) -> str:
        return (
            f"EntropyProfile(ansatz={self.ansatz!r}, depths={self.depths.tolist()}, "
            f"page_entropy={self.page_entropy:.4g}, n_samples={self.n_samples})"
        )


def _depth_seeds(seed: int, depth: int) -> tuple[int, int]:
    """(structure seed, ensemble seed) keyed by the depth, not its position in the list."""
    a, b = np.random.SeedSequence([seed, depth]).spawn(2)
    return int(a.generate_state(1)[0]), int(b.generate_state(1)[0])


def _factory(model, layout, device, ansatz_options) -> Callable[[int, int], QNN]:
    if ansatz_options is not None and not isinstance(ansatz_options, dict):
        raise PlateauTypeError(
            f"ansatz_options must be a dict or None; got {type(ansatz_options).__name__}"
        )
    if isinstance(model, str):
        check_choice(model, "model", ANSATZE)
        if not isinstance(layout, WireLayout):
            raise PlateauTypeError(f"layout must be a WireLayout; got {type(layout).__name__}")
        return lambda depth, s: QNN(
            layout, model, depth, device=device, seed=s, ansatz_options=ansatz_options
        )
    if callable(model) and not isinstance(model, (QNN, QBM)):  # a QBM is a callable Module
        return lambda depth, s: model(depth, s)
    raise PlateauTypeError(
        "model must be an ansatz name or a factory (n_layers, seed) -> QNN; "
        f"got {type(model).__name__}"
    )


def entropy_profile(
    model,
    layout: WireLayout | None,
    depths: Sequence[int],
    n_samples: int,
    seed: int,
    dist: str = "uniform",
    device: str = "default.qubit",
    ansatz_options: dict | None = None,
    engine: str = "auto",
) -> EntropyProfile:
    """Mean ``S(ρ_v)`` ± standard error of the visible qubits at each depth.

    Args:
        model: an ansatz name (a :class:`QNN` on ``layout`` and ``device`` is built per depth)
            or a factory ``model(n_layers, seed) -> QNN`` (``layout`` is then taken from it).
        layout: the wire layout (ignored with a factory; may be ``None`` then).
        depths: the depths (positive integers).
        n_samples: draws of the angles per depth (≥ 2).
        seed: the profile's seed; each depth's structure and ensemble seeds derive from it and
            the depth.
        dist: weight distribution.
        device: the PennyLane device of the QNNs built from a name.
        ansatz_options: extra options of a named ansatz (e.g. ``{"n_cross": 1}``).
        engine: a name in :data:`plateau_pl.engines.ENGINES` or an engine.

    Returns:
        EntropyProfile: with Page's value and, where the ansatz has one, the per-draw bound.
    """
    n_samples, seed = ens.check_draws(n_samples, seed, dist)
    if isinstance(depths, (str, bytes)) or not isinstance(depths, Sequence) or not depths:
        raise PlateauTypeError(f"depths must be a non-empty sequence of integers; got {depths!r}")
    depths = [check_int(d, "depths entries", minimum=1) for d in depths]
    build = _factory(model, layout, device, ansatz_options)
    rows, bounds, name, lay = [], [], None, None
    for depth in depths:
        structure_seed, ens_seed = _depth_seeds(seed, depth)
        qnn = build(depth, structure_seed)
        if not isinstance(qnn, QNN):
            raise PlateauTypeError(f"the factory must return a QNN; got {type(qnn).__name__}")
        name, lay = qnn.ansatz.name, qnn.layout
        ens.check_ensemble_memory(qnn, n_samples, per_draw=16 * lay.dim_visible**2)
        states = ens.qnn_visible_states(qnn, n_samples, ens_seed, dist, False, engine)
        m = visible_measures(states)
        rows.append(
            (*mean_stderr(m["entropy"]), *mean_stderr(m["purity"]), float(m["entropy"].max()))
        )
        bound = getattr(qnn.ansatz, "entropy_bound", None)
        bounds.append(bound() if callable(bound) else None)
    cols = np.array(rows).T
    has_bound = all(b is not None for b in bounds)
    return EntropyProfile(
        np.array(depths),
        *cols,
        page_entropy=theory.page_entropy(lay.dim_visible, lay.dim_hidden),
        haar_purity=theory.haar_purity(lay.dim_visible, lay.dim_hidden),
        entropy_bound=np.array(bounds, dtype=float) if has_bound else None,
        n_visible=lay.n_visible,
        n_hidden=lay.n_hidden,
        n_samples=n_samples,
        ansatz=name,
    )
