"""Random ensembles of a model's parameters, and gradients, states and values over them.

One seed fixes a whole ensemble: :func:`ensemble_seeds` splits it (``numpy.random.SeedSequence``)
into the seed of the weight draws, one structure seed per draw (McClean's protocol, QBM
instances) and the seed of auxiliary choices (the random coordinate of the Lipschitz ratio).
The draws are then evaluated by the engine :func:`~plateau_pl.engines.select_engine` picks
(``engine="auto"``: the compiled statevector engine for analytic QNNs, the QNN's device for
shots and noise, the dense Gibbs path for QBMs); the same seed gives the same draws on every
engine.

**Example**

>>> import plateau_pl as pp
>>> from plateau_pl.diagnostics.ensembles import qnn_gradients
>>> qnn = pp.QNN(pp.WireLayout(1, 1), "hardware_efficient", n_layers=1,
...              device="default.qubit", seed=0)
>>> qnn_gradients(qnn, n_samples=5, seed=0)[0].shape
(5, 1, 2, 2)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plateau_pl._validation import (
    check_bool,
    check_choice,
    check_float,
    check_instance,
    check_int,
    check_memory,
    check_seed,
    memory_limit,
)
from plateau_pl.circuits.weights import WEIGHT_DISTS, draw_weights
from plateau_pl.engines import ENGINES, select_engine
from plateau_pl.errors import ConfigurationError, PlateauTypeError
from plateau_pl.models.qbm import QBM
from plateau_pl.models.qnn import QNN

__all__ = [
    "ENGINES",
    "EnsembleSeeds",
    "check_draws",
    "check_ensemble",
    "check_ensemble_memory",
    "check_model",
    "engine_info",
    "ensemble_seeds",
    "qbm_gradients",
    "qbm_instances",
    "qbm_values",
    "qbm_visible_states",
    "qnn_gradients",
    "qnn_values",
    "qnn_visible_states",
]


@dataclass(frozen=True)
class EnsembleSeeds:
    """The seeds derived from one ensemble seed."""

    weights: int
    """Seed of the weight draws."""
    structures: tuple[int, ...]
    """One structure (or QBM instance) seed per draw."""
    aux: int
    """Seed of auxiliary random choices."""


def ensemble_seeds(seed: int, n_samples: int) -> EnsembleSeeds:
    """Split ``seed`` into the seeds of an ensemble of ``n_samples`` draws.

    >>> s = ensemble_seeds(0, 3)
    >>> len(s.structures), s == ensemble_seeds(0, 3)
    (3, True)
    """
    seed = _seed(seed)
    n_samples = check_int(n_samples, "n_samples", minimum=1)
    check_memory(
        _SEED_BYTES * _count(n_samples), f"the seeds of {n_samples} draws", _fewer(_SEED_BYTES)
    )
    w, s, a = np.random.SeedSequence(seed).spawn(3)
    structures = tuple(int(x) for x in s.generate_state(n_samples, dtype=np.uint64) >> 1)
    return EnsembleSeeds(int(w.generate_state(1)[0]), structures, int(a.generate_state(1)[0]))


_SEED_BYTES = 24  # per draw: one uint64 structure seed and the uint32 words it is made from


def _seed(seed) -> int:
    seed = check_seed(seed)
    if seed is None:
        raise ConfigurationError("seed must be given (an integer): every draw is seeded")
    return seed


def check_draws(n_samples, seed, dist: str = "uniform") -> tuple[int, int]:
    """``(n_samples, seed)`` checked — at least two draws, a given seed, a known weight
    distribution: what every ensemble diagnostic checks before anything is built."""
    n_samples = check_int(n_samples, "n_samples", minimum=2)
    seed = _seed(seed)
    check_choice(dist, "dist", WEIGHT_DISTS)
    return n_samples, seed


def check_ensemble(
    model, n_samples, seed, dist, resample_structure, per_draw: int = 0, states: bool = False
):
    """``(kind, n_samples, seed)`` of an ensemble of ``model`` (``"qnn"`` or ``"qbm"``), checked
    with :func:`check_draws` and against memory: ``per_draw`` bytes beyond the parameters, and a
    visible state per draw if ``states``."""
    kind = check_model(model)
    n_samples, seed = check_draws(n_samples, seed, dist)
    check_bool(resample_structure, "resample_structure")
    per_draw += 16 * model.layout.dim_visible**2 if states else 0
    check_ensemble_memory(model, n_samples, per_draw=per_draw)
    return kind, n_samples, seed


def _count(n: int) -> float:
    """A count as a float for a byte estimate (past ``1e300`` it is past any memory anyway)."""
    return float(min(n, 10**300))


def _fewer(per_draw: float) -> str:
    return f"use fewer draws: at most n_samples={int(memory_limit() // per_draw):,} fit"


def _n_params(model) -> int:
    return model.n_params if isinstance(model, QNN) else model.hamiltonian.n_params


def check_ensemble_memory(model, n_samples: int, copies: int = 3, per_draw: int = 0) -> None:
    """Refuse, before anything is allocated, an ensemble whose arrays cannot fit in memory.

    Each draw holds ``copies`` float64 arrays of the model's parameters (weights, gradients, a
    shifted copy), its seeds, and ``per_draw`` more bytes (visible states, values).

    Raises:
        ResourceError: ``n_samples`` draws would need more than
            :func:`~plateau_pl._validation.memory_limit`, with the largest count that fits.

    >>> import plateau_pl as pp
    >>> qnn = pp.QNN(pp.WireLayout(1, 1), device="default.qubit", seed=0)
    >>> check_ensemble_memory(qnn, 10**15)
    Traceback (most recent call last):
        ...
    plateau_pl.errors.ResourceError: 1000000000000000 draws of 15 parameters would need ...
    """
    per = 8.0 * _n_params(model) * copies + _SEED_BYTES + per_draw
    check_memory(
        _count(n_samples) * per, f"{n_samples} draws of {_n_params(model)} parameters", _fewer(per)
    )


def check_model(model) -> str:
    """``"qnn"`` or ``"qbm"``; a clear error for anything else or unsupported settings."""
    if isinstance(model, QNN):
        if model.embedding is not None:
            raise ConfigurationError(
                "diagnostics draw parameters, not data: use a QNN without an embedding"
            )
        return "qnn"
    if isinstance(model, QBM):
        return "qbm"
    raise PlateauTypeError(f"model must be a plateau_pl QNN or QBM; got {type(model).__name__}")


# -- QNN ---------------------------------------------------------------------------------------
def _check_qnn_call(qnn, n_samples, seed, resample_structure, per_draw: int = 0):
    check_instance(qnn, "qnn", QNN, "a plateau_pl QNN")
    check_model(qnn)
    n_samples = check_int(n_samples, "n_samples", minimum=1)
    check_ensemble_memory(qnn, n_samples, per_draw=per_draw)
    return n_samples, _seed(seed), check_bool(resample_structure, "resample_structure")


def _qnn_draws(qnn: QNN, n_samples, seed, dist, resample_structure):
    """Weights ``(n_samples, *shape)``, the structures (or None) and the seeds."""
    seeds = ensemble_seeds(seed, n_samples)
    weights = draw_weights(qnn.weight_shape, seed=seeds.weights, dist=dist, batch=n_samples)
    structures = [qnn.ansatz.redraw(s) for s in seeds.structures] if resample_structure else None
    return weights, structures, seeds


def engine_info(model, engine="auto", resample_structure: bool = False) -> dict:
    """The record fields (``engine``, ``engine_device``, …) of the engine ``engine`` resolves
    to for ``model``.

    >>> import plateau_pl as pp
    >>> qnn = pp.QNN(pp.WireLayout(1, 1), device="default.qubit", seed=0)
    >>> engine_info(qnn, "device")
    {'engine': 'device', 'engine_device': 'default.qubit', 'engine_backend': 'backprop'}
    """
    return select_engine(model, engine, structures=resample_structure).describe()


def qnn_gradients(
    qnn: QNN, n_samples: int, seed: int, dist="uniform", resample_structure=False, engine="auto"
):
    """Gradients ``(n_samples, *weight_shape)`` and the weights ``(n_samples, *weight_shape)``."""
    n_samples, seed, resample_structure = _check_qnn_call(qnn, n_samples, seed, resample_structure)
    sim = select_engine(qnn, engine, structures=resample_structure)
    weights, structures, _ = _qnn_draws(qnn, n_samples, seed, dist, resample_structure)
    return sim.gradients(weights, structures), weights


def qnn_visible_states(
    qnn: QNN, n_samples, seed, dist="uniform", resample_structure=False, engine="auto"
):
    """Visible states ``(n_samples, D_v, D_v)`` over the ensemble."""
    n_samples, seed, resample_structure = _check_qnn_call(
        qnn, n_samples, seed, resample_structure, per_draw=16 * qnn.layout.dim_visible**2
    )
    sim = select_engine(qnn, engine, structures=resample_structure)
    weights, structures, _ = _qnn_draws(qnn, n_samples, seed, dist, resample_structure)
    return sim.visible_states(weights, structures)


def qnn_values(
    qnn: QNN, n_samples, seed, delta, dist="uniform", resample_structure=False, engine="auto"
):
    """``(f(θ), f(θ + δ e_k), k)`` per draw, ``k`` uniform over the parameters."""
    n_samples, seed, resample_structure = _check_qnn_call(qnn, n_samples, seed, resample_structure)
    delta = check_float(delta, "delta")
    sim = select_engine(qnn, engine, structures=resample_structure)
    weights, structures, seeds = _qnn_draws(qnn, n_samples, seed, dist, resample_structure)
    ks = np.random.default_rng(seeds.aux).integers(0, qnn.n_params, size=n_samples)
    shifted = weights.reshape(n_samples, -1).copy()
    shifted[np.arange(n_samples), ks] += delta
    base = sim.values(weights, structures)
    return base, sim.values(shifted.reshape(weights.shape), structures), ks


# -- QBM ---------------------------------------------------------------------------------------
def qbm_instances(qbm: QBM, n_samples: int, seed: int):
    """Parameters ``(n, m)`` and scales ``(n,)`` of ``n_samples`` redrawn QBM instances.

    Each instance is the Hamiltonian builder's draw with the draw's seed; with
    ``normalize="opnorm"`` each is rescaled once so that ``‖s H‖ = 1`` (not differentiated).
    """
    check_instance(qbm, "qbm", QBM, "a plateau_pl QBM")
    n_samples = check_int(n_samples, "n_samples", minimum=1)
    d_v = qbm.layout.dim_visible
    check_ensemble_memory(qbm, n_samples, per_draw=16 * d_v * d_v + 16)
    seeds = ensemble_seeds(seed, n_samples)
    hams = [qbm.hamiltonian.redraw(s) for s in seeds.structures]
    thetas = np.stack([h.coeffs for h in hams])
    if qbm.normalize == "opnorm":
        scales = np.array([1.0 / h.operator_norm() for h in hams])
    else:
        scales = np.ones(n_samples)
    return thetas, scales, seeds


def qbm_gradients(qbm: QBM, n_samples: int, seed: int, observable=None, device="cpu") -> np.ndarray:
    """Exact gradients ``(n_samples, m)`` of ``Tr(O ρ_v)`` over redrawn QBM instances.

    ``device``: the torch device that runs the Gibbs states (``"cpu"``, ``"cuda"``, …).
    """
    thetas, scales, _ = qbm_instances(qbm, n_samples, seed)
    return select_engine(qbm, device=device, observable=observable).gradients(thetas, scales)


def qbm_visible_states(qbm: QBM, n_samples: int, seed: int, device="cpu") -> np.ndarray:
    """Visible states ``(n_samples, D_v, D_v)`` of redrawn QBM instances (on ``device``)."""
    thetas, scales, _ = qbm_instances(qbm, n_samples, seed)
    return select_engine(qbm, device=device).visible_states(thetas, scales)


def qbm_values(qbm: QBM, n_samples: int, seed: int, delta: float, observable=None):
    """``(f(θ), f(θ + δ e_k), k)`` per redrawn instance, ``f = Tr(O ρ_v)``."""
    delta = check_float(delta, "delta")
    thetas, scales, seeds = qbm_instances(qbm, n_samples, seed)
    ks = np.random.default_rng(seeds.aux).integers(0, qbm.hamiltonian.n_params, size=n_samples)
    shifted = thetas.copy()
    shifted[np.arange(n_samples), ks] += delta
    sim = select_engine(qbm, observable=observable)
    return sim.values(thetas, scales), sim.values(shifted, scales), ks
