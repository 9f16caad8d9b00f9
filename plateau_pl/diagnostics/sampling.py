"""Diagnostics over random draws of a model's parameters: the public functions.

* :func:`gradient_variance` — per-parameter gradient variance, its mean over parameters, the
  variance of the gradient's ∞-norm (the statistic the paper plots), each with standard errors;
* :func:`visible_state_stats` — trace distance of ``ρ_v`` to ``I/D_v``, purity and entropy;
* :func:`lipschitz_ratio` — the ensemble mean of ``|f(θ+δe_k) − f(θ)|/δ`` (Theorem 3's quantity,
  what a gradient-free optimiser sees) beside the paper's explicit bound.

A model is a :class:`~plateau_pl.models.QNN` (angles redrawn per sample, and with
``resample_structure=True`` its random structure too) or a :class:`~plateau_pl.models.QBM`
(an instance redrawn per sample from its Hamiltonian builder).

**Example**

>>> import plateau_pl as pp
>>> qnn = pp.QNN(pp.WireLayout(1, 3), device="default.qubit", seed=0)
>>> stats = pp.gradient_variance(qnn, n_samples=50, seed=1)
>>> stats.n_samples, stats.variance > 0
(50, True)
>>> pp.visible_state_stats(qnn, n_samples=50, seed=1).trace_distance < 0.5
True
"""

from __future__ import annotations

import numpy as np
import pennylane as qml

from plateau_pl import theory
from plateau_pl._validation import (
    check_float,
    check_instance,
    check_int,
    check_memory,
    check_seed,
)
from plateau_pl.circuits.weights import draw_weights
from plateau_pl.diagnostics import ensembles as ens
from plateau_pl.diagnostics.results import (
    GradientStats,
    LipschitzStats,
    VisiblePurityStats,
    VisibleStateStats,
)
from plateau_pl.engines import select_engine
from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError
from plateau_pl.models.qnn import QNN
from plateau_pl.stats import mean_stderr, variance_stderr

__all__ = ["gradient_variance", "lipschitz_ratio", "sample_variance", "visible_state_stats"]


def _common(model, n_samples, seed, dist, resample_structure, states: bool = False):
    """The checks every diagnostic shares (``states``: each draw also keeps its visible
    state)."""
    return ens.check_ensemble(
        model, n_samples, seed, dist, resample_structure, per_draw=24, states=states
    )  # per draw: the values, and the visible states


def _check_observable(model, kind: str, observable) -> None:
    """Refuse an observable that would not be measured: a QNN measures its own (built in), so
    only the QNN's own observable is accepted; a QBM's is checked (visible wires, shape,
    Hermitian) before any draw."""
    if observable is None:
        return
    if kind == "qbm":
        if not isinstance(observable, qml.operation.Operator):
            try:
                dtype_kind = np.asarray(observable).dtype.kind
            except (TypeError, ValueError):  # ragged nested lists
                dtype_kind = "O"
            if dtype_kind not in "iufc":
                raise PlateauTypeError(
                    "observable must be a PennyLane observable on visible wires or a "
                    f"(D_v, D_v) Hermitian matrix; got {type(observable).__name__}"
                )
        model.observable_matrix(observable)  # WireError, ShapeError, InvalidMatrixError
        return
    if not isinstance(observable, qml.operation.Operator):
        raise PlateauTypeError(
            f"observable must be a PennyLane observable; got {type(observable).__name__}"
        )
    model.layout.check_visible(observable.wires, "observable")
    if not qml.equal(observable, model.observable):
        raise ConfigurationError(
            f"observable={observable!r} would be ignored: a QNN measures its own observable "
            f"({model.observable!r}); build the QNN with QNN(..., observable=...) instead"
        )


def _check_delta(delta) -> float:
    try:
        delta = check_float(delta, "delta")
    except PlateauTypeError:
        raise
    except PlateauError:
        raise ConfigurationError(f"delta must be a finite non-zero number; got {delta!r}") from None
    if delta == 0:
        raise ConfigurationError("delta must be a finite non-zero number; got 0")
    return delta


def gradient_variance(
    model,
    n_samples: int,
    seed: int,
    resample_structure: bool = False,
    dist: str = "uniform",
    observable=None,
    engine: str = "auto",
) -> GradientStats:
    """Gradient statistics of ``⟨O⟩`` over ``n_samples`` random draws.

    Args:
        model: a QNN (its observable and PennyLane differentiation method) or a QBM.
        n_samples: number of draws (≥ 2).
        seed: seed of the ensemble (weights, structures, QBM instances).
        resample_structure: QNN only: redraw the random structure per draw (McClean).
        dist: QNN weight distribution (``"uniform"`` U[0, 2π), ``"normal"``, ``"small"``).
        observable: QBM only: a visible observable (default ``Z`` on visible wire 0): a
            PennyLane operator on visible wires or a ``(D_v, D_v)`` Hermitian matrix. A QNN
            measures its own observable: anything but that one is refused (``WireError`` on
            a hidden wire, else ``ConfigurationError``), never ignored.
        engine: a name in :data:`plateau_pl.engines.ENGINES` or an engine from
            :func:`~plateau_pl.engines.select_engine`: ``"auto"`` (the compiled statevector
            engine for an analytic QNN, Pauli paths past 22 qubits, the QNN's device for shots
            and noise), ``"statevector"``, ``"autograd"``, ``"device"`` (the QNN's own
            PennyLane device and method) or ``"pauli"`` (second moments by Pauli-path walks at
            any size: ``n_samples`` walks; the ∞-norm statistics are then ``None``).

    Returns:
        GradientStats: including the variance over parameters touching hidden qubits and over
        visible-only ones where the model knows which is which.

    Raises:
        ResourceError: ``n_samples`` draws cannot fit in memory (says how many can).
    """
    kind, n_samples, seed = _common(model, n_samples, seed, dist, resample_structure)
    _check_observable(model, kind, observable)
    if kind == "qnn":
        eng = select_engine(model, engine, structures=resample_structure, moments=True)
        if eng.name == "pauli" and eng.exact:
            _check_uniform(dist)
            m = eng.exact_gradient_moments(eng.max_paths)
            bounds = m.truncation_bound * eng.coefficients_squared
            return GradientStats.from_exact(m.per_parameter, bounds, model.ansatz.hidden_mask())
        if eng.name == "pauli":
            _check_uniform(dist)
            moments = eng.gradient_moments(n_samples, seed, keep_walks=True)
            return GradientStats.from_walks(
                moments.walk_means, model.ansatz.hidden_mask(), eng.reachable_parameters()
            )
        grads, _ = ens.qnn_gradients(model, n_samples, seed, dist, resample_structure, eng)
        return GradientStats.from_gradients(grads, model.ansatz.hidden_mask())
    grads = ens.qbm_gradients(model, n_samples, seed, observable)
    return GradientStats.from_gradients(grads, model.hamiltonian.touches_hidden())


def visible_state_stats(
    model,
    n_samples: int,
    seed: int,
    resample_structure: bool = False,
    dist: str = "uniform",
    bins: int = 20,
    engine: str = "auto",
) -> VisibleStateStats:
    """Mean trace distance of ``ρ_v`` to ``I/D_v``, purity and entropy, ± standard errors.

    Args:
        model: a QNN or a QBM.
        n_samples: number of draws (≥ 2).
        seed: seed of the ensemble.
        resample_structure: QNN only: redraw the structure per draw.
        dist: QNN weight distribution.
        bins: number of histogram bins of the trace distances.
        engine: QNN only: a name in :data:`plateau_pl.engines.ENGINES` or an engine (see
            :func:`gradient_variance`).
    """
    kind, n_samples, seed = _common(model, n_samples, seed, dist, resample_structure, states=True)
    bins = check_int(bins, "bins", minimum=1)
    check_memory(16.0 * ens._count(bins + 1), f"a histogram of {bins} bins", "use fewer bins")
    eng = (
        select_engine(model, engine, structures=resample_structure, moments=True)
        if kind == "qnn"
        else None
    )
    if eng is not None and eng.name == "pauli":
        _check_uniform(dist)
        if eng.exact:
            pur, err = eng.exact_visible_purity(eng.max_paths)  # err: the truncation bound
        else:
            pur, err = eng.visible_purity(n_samples, seed)
        d_v = model.layout.dim_visible
        hs = pur - 1.0 / d_v
        return VisiblePurityStats(
            pur, err, hs, err, 0.5 * float(np.sqrt(max(hs, 0.0) * d_v)), n_samples
        )
    if kind == "qnn":
        states = ens.qnn_visible_states(model, n_samples, seed, dist, resample_structure, eng)
    else:
        states = ens.qbm_visible_states(model, n_samples, seed)
    return VisibleStateStats.from_states(states, bins=bins)


def _check_uniform(dist: str) -> None:
    if dist != "uniform":
        raise ConfigurationError(
            f"engine='pauli' averages over weights uniform over whole periods; got dist={dist!r}"
        )


def _operator_norm(matrix) -> float:
    return float(np.abs(np.linalg.eigvalsh(np.asarray(matrix))).max())


def lipschitz_ratio(
    model,
    delta: float,
    n_samples: int,
    seed: int,
    resample_structure: bool = False,
    dist: str = "uniform",
    engine: str = "auto",
) -> LipschitzStats:
    """Ensemble mean of ``|f(θ + δ e_k) − f(θ)|/δ``, one uniformly random ``k`` per draw.

    For a QNN the result carries the explicit bound of the paper's appendix,
    ``‖O‖·‖H_k‖·e^{2‖H_k‖|δ|}·√(D_v/D_h)`` with ``‖H_k‖`` the ansatz's generator scale
    (:func:`plateau_pl.theory.lipschitz_bound`); it is ``None`` for QBMs (Theorem 3 is about
    unitary networks) and for user templates of unknown generator.

    Args:
        model: a QNN or a QBM.
        delta: the finite step ``δ`` (non-zero).
        n_samples: number of draws (≥ 2).
        seed: seed of the ensemble and of the coordinates ``k``.
        resample_structure: QNN only: redraw the structure per draw.
        dist: QNN weight distribution.
        engine: QNN only: a name in :data:`plateau_pl.engines.ENGINES` or an engine.
    """
    kind, n_samples, seed = _common(model, n_samples, seed, dist, resample_structure)
    delta = _check_delta(delta)
    if kind == "qnn":
        f0, f1, _ = ens.qnn_values(model, n_samples, seed, delta, dist, resample_structure, engine)
        bound = None
        if model.ansatz.generator_scale is not None:
            obs_norm = _operator_norm(qml.matrix(model.observable))
            bound = theory.lipschitz_bound(
                delta,
                obs_norm,
                model.ansatz.generator_scale,
                model.layout.dim_visible,
                model.layout.dim_hidden,
            )
    else:
        f0, f1, _ = ens.qbm_values(model, n_samples, seed, delta)
        bound = None
    ratio, err = mean_stderr(np.abs(f1 - f0) / abs(delta))
    return LipschitzStats(ratio, err, delta, bound, n_samples)


def sample_variance(qnn, n_samples: int, seed: int, dist: str = "uniform") -> dict:
    """The loss over ``n_samples`` random weight draws of ``qnn``: variance ± standard error
    (:func:`~plateau_pl.stats.variance_stderr`) and mean ± standard error.

    The engine is :func:`~plateau_pl.engines.select_engine`'s choice (the compiled
    statevector engine for an analytic QNN, else the QNN's device).

    >>> import plateau_pl as pp
    >>> qnn = pp.QNN(pp.WireLayout(1, 1), "hardware_efficient", device="default.qubit", seed=0)
    >>> from plateau_pl.diagnostics import sample_variance
    >>> sorted(sample_variance(qnn, 20, seed=0))
    ['mean', 'mean_stderr', 'n_samples', 'variance', 'variance_stderr']
    """
    check_instance(qnn, "qnn", QNN, "a plateau_pl QNN")
    ens.check_model(qnn)  # no embedding: the draws are of the weights only
    n_samples = check_int(n_samples, "n_samples", minimum=2)
    ens.check_ensemble_memory(qnn, n_samples, copies=1, per_draw=8)
    weights = draw_weights(qnn.weight_shape, seed=check_seed(seed), dist=dist, batch=n_samples)
    values = select_engine(qnn).values(weights)
    var, var_err = variance_stderr(values[:, None])
    mean, mean_err = mean_stderr(values)
    return {
        "variance": var,
        "variance_stderr": var_err,
        "mean": mean,
        "mean_stderr": mean_err,
        "n_samples": n_samples,
    }
