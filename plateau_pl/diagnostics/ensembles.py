"""Random ensembles of a model's parameters, and gradients, states and values over them.

One seed fixes a whole ensemble: :func:`ensemble_seeds` splits it (``numpy.random.SeedSequence``)
into the seed of the weight draws, one structure seed per draw (McClean's protocol, QBM
instances) and the seed of auxiliary choices (the random coordinate of the Lipschitz ratio).

QNN gradients use PennyLane's differentiation of the model: on devices that execute broadcast
tapes natively with backprop (``default.qubit``) every chunk of draws is one broadcast call and
the gradient of the chunk's summed outputs (draws are independent, so that is every draw's
gradient); elsewhere one draw at a time with :meth:`QNN.gradient <plateau_pl.models.QNN.gradient>`.
QBM gradients are exact and batched through the Gibbs op.

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
import pennylane as qml
import torch

from plateau_pl.circuits import Ansatz
from plateau_pl.errors import ConfigurationError, PlateauTypeError
from plateau_pl.models.batched import BatchedStatevector, supports
from plateau_pl.models.gibbs import gibbs_state
from plateau_pl.models.qbm import QBM, trace_hidden
from plateau_pl.models.qnn import QNN, draw_weights

__all__ = [
    "ENGINES",
    "EnsembleSeeds",
    "check_model",
    "engine_name",
    "ensemble_seeds",
    "qbm_gradients",
    "qbm_instances",
    "qbm_values",
    "qbm_visible_states",
    "qnn_gradients",
    "qnn_values",
    "qnn_visible_states",
]

_BROADCAST_BYTES = 2**27  # memory budget of one broadcast/batched chunk (DESIGN §5)


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
    w, s, a = np.random.SeedSequence(seed).spawn(3)
    structures = tuple(int(x) for x in s.generate_state(n_samples, dtype=np.uint64) >> 1)
    return EnsembleSeeds(int(w.generate_state(1)[0]), structures, int(a.generate_state(1)[0]))


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
def _qnn_chunk(qnn: QNN) -> int:
    ops = qnn.n_params + qnn.layout.n_wires
    # a density matrix (noisy QNNs on default.mixed) holds 4**n amplitudes, a state vector 2**n
    amplitudes = 4 if getattr(qnn, "noise", None) is not None else 2
    per_draw = 16 * ops * amplitudes**qnn.layout.n_wires
    return int(np.clip(_BROADCAST_BYTES // per_draw, 1, 256))


def _batched_backprop(qnn: QNN) -> bool:
    return qnn.native_broadcasting and qnn.diff_method == "backprop"


def _qnn_draws(qnn: QNN, n_samples, seed, dist, resample_structure):
    """``[(qnn_i, weights_i (k, *shape))]``: one group, or one per draw when resampling."""
    seeds = ensemble_seeds(seed, n_samples)
    weights = draw_weights(qnn.weight_shape, seed=seeds.weights, dist=dist, batch=n_samples)
    if not resample_structure:
        return [(qnn, weights)], seeds
    return [
        (qnn.with_structure(s), weights[i : i + 1]) for i, s in enumerate(seeds.structures)
    ], seeds


def _grad_of_sum(qnn: QNN, chunk: np.ndarray) -> np.ndarray:
    if qnn.interface == "torch":
        w = torch.tensor(chunk, dtype=torch.float64, requires_grad=True)
        qml.math.sum(qnn(w)).backward()
        return w.grad.numpy()
    w = qml.numpy.array(chunk, requires_grad=True)
    return np.asarray(qml.grad(lambda x: qml.math.sum(qnn(x)))(w))


def _qnn_group_gradients(qnn: QNN, weights: np.ndarray) -> np.ndarray:
    if not _batched_backprop(qnn) or len(weights) == 1:
        return np.stack([np.asarray(qml.math.unwrap(qnn.gradient(w))) for w in weights])
    step = _qnn_chunk(qnn)
    parts = [_grad_of_sum(qnn, weights[i : i + step]) for i in range(0, len(weights), step)]
    return np.concatenate(parts)


ENGINES = ("auto", "batched", "device")
"""``batched``: plateau_pl's vectorised torch statevector; ``device``: the QNN's own PennyLane
device and differentiation method; ``auto``: batched where it applies, else device."""


def _engine_for(qnn: QNN, engine: str, resample_structure: bool):
    """The :class:`BatchedStatevector` to use, or ``None`` for the device path."""
    if engine not in ENGINES:
        raise ConfigurationError(f"unknown engine {engine!r}; available: {', '.join(ENGINES)}")
    if engine == "device":
        return None
    usable = supports(qnn) and (not resample_structure or _batches_structures(qnn))
    if not usable:
        if engine == "batched":
            raise ConfigurationError(
                "engine='batched' needs an analytic QNN without an embedding (and, with "
                "resample_structure, an ansatz that batches its structures); use 'device'"
            )
        return None
    return BatchedStatevector(qnn)


def engine_name(qnn: QNN, engine: str = "auto", resample_structure: bool = False) -> str:
    """``"batched"`` or ``"device"``: which path ``engine`` resolves to for ``qnn``."""
    return "device" if _engine_for(qnn, engine, resample_structure) is None else "batched"


def _batches_structures(qnn: QNN) -> bool:
    return type(qnn.ansatz).apply_structures is not Ansatz.apply_structures


def _structures(qnn: QNN, seeds: EnsembleSeeds, resample_structure: bool):
    return [qnn.ansatz.redraw(s) for s in seeds.structures] if resample_structure else None


def qnn_gradients(
    qnn: QNN, n_samples: int, seed: int, dist="uniform", resample_structure=False, engine="auto"
):
    """Gradients ``(n_samples, *weight_shape)`` and the weights ``(n_samples, *weight_shape)``."""
    sim = _engine_for(qnn, engine, resample_structure)
    if sim is not None:
        seeds = ensemble_seeds(seed, n_samples)
        weights = draw_weights(qnn.weight_shape, seed=seeds.weights, dist=dist, batch=n_samples)
        _, grads = sim.values_and_gradients(weights, _structures(qnn, seeds, resample_structure))
        return grads, weights
    groups, _ = _qnn_draws(qnn, n_samples, seed, dist, resample_structure)
    grads = np.concatenate([_qnn_group_gradients(q, w) for q, w in groups])
    return grads, np.concatenate([w for _, w in groups])


def qnn_visible_states(
    qnn: QNN, n_samples, seed, dist="uniform", resample_structure=False, engine="auto"
):
    """Visible states ``(n_samples, D_v, D_v)`` over the ensemble."""
    sim = _engine_for(qnn, engine, resample_structure)
    if sim is not None:
        seeds = ensemble_seeds(seed, n_samples)
        weights = draw_weights(qnn.weight_shape, seed=seeds.weights, dist=dist, batch=n_samples)
        return sim.visible_states(weights, _structures(qnn, seeds, resample_structure))
    groups, _ = _qnn_draws(qnn, n_samples, seed, dist, resample_structure)
    out = []
    for q, weights in groups:
        step = _qnn_chunk(q) if q.native_broadcasting else len(weights)
        for i in range(0, len(weights), step):
            out.append(np.asarray(qml.math.unwrap(q.visible_state(weights[i : i + step]))))
    return np.concatenate([o.reshape(-1, *o.shape[-2:]) for o in out])


def qnn_values(
    qnn: QNN, n_samples, seed, delta, dist="uniform", resample_structure=False, engine="auto"
):
    """``(f(θ), f(θ + δ e_k), k)`` per draw, ``k`` uniform over the parameters."""
    groups, seeds = _qnn_draws(qnn, n_samples, seed, dist, resample_structure)
    ks = np.random.default_rng(seeds.aux).integers(0, qnn.n_params, size=n_samples)
    sim = _engine_for(qnn, engine, resample_structure)
    if sim is not None:
        weights = np.concatenate([w for _, w in groups])
        shifted = weights.reshape(n_samples, -1).copy()
        shifted[np.arange(n_samples), ks] += delta
        structures = _structures(qnn, seeds, resample_structure)
        base = sim.values(weights, structures)
        return base, sim.values(shifted.reshape(weights.shape), structures), ks
    base, shifted, start = [], [], 0
    for q, weights in groups:
        flat = weights.reshape(len(weights), -1).copy()
        flat[np.arange(len(flat)), ks[start : start + len(flat)]] += delta
        start += len(flat)
        base.append(np.atleast_1d(np.asarray(qml.math.unwrap(q(weights)))))
        shifted.append(np.atleast_1d(np.asarray(qml.math.unwrap(q(flat.reshape(weights.shape))))))
    return np.concatenate(base), np.concatenate(shifted), ks


# -- QBM ---------------------------------------------------------------------------------------
def qbm_instances(qbm: QBM, n_samples: int, seed: int):
    """Parameters ``(n, m)`` and scales ``(n,)`` of ``n_samples`` redrawn QBM instances.

    Each instance is the Hamiltonian builder's draw with the draw's seed; with
    ``normalize="opnorm"`` each is rescaled once so that ``‖s H‖ = 1`` (not differentiated).
    """
    seeds = ensemble_seeds(seed, n_samples)
    hams = [qbm.hamiltonian.redraw(s) for s in seeds.structures]
    thetas = np.stack([h.coeffs for h in hams])
    if qbm.normalize == "opnorm":
        scales = np.array([1.0 / h.operator_norm() for h in hams])
    else:
        scales = np.ones(n_samples)
    return thetas, scales, seeds


def _qbm_chunk(qbm: QBM) -> int:
    d = qbm.hamiltonian.dim
    return int(np.clip(_BROADCAST_BYTES // (16 * 8 * d * d), 1, 512))


def _qbm_visible(qbm: QBM, theta: torch.Tensor, scale: np.ndarray) -> torch.Tensor:
    s = torch.as_tensor(qbm.beta * scale, dtype=torch.float64, device=theta.device)[:, None, None]
    rho = gibbs_state(s * qbm.hamiltonian.matrix(theta), check=False)
    return trace_hidden(rho, qbm.layout.dim_visible, qbm.layout.dim_hidden)


def _observable(qbm: QBM, observable) -> torch.Tensor:
    if observable is None:
        observable = qml.Z(qbm.layout.visible[0])
    return qbm.observable_matrix(observable)


def qbm_gradients(qbm: QBM, n_samples: int, seed: int, observable=None, device="cpu") -> np.ndarray:
    """Exact gradients ``(n_samples, m)`` of ``Tr(O ρ_v)`` over redrawn QBM instances.

    ``device``: the torch device that runs the Gibbs states (``"cpu"``, ``"cuda"``, …).
    """
    thetas, scales, _ = qbm_instances(qbm, n_samples, seed)
    obs = _observable(qbm, observable).to(device)
    step, out = _qbm_chunk(qbm), []
    for i in range(0, n_samples, step):
        theta = torch.tensor(thetas[i : i + step], device=device, requires_grad=True)
        rho_v = _qbm_visible(qbm, theta, scales[i : i + step])
        torch.einsum("ij,bji->b", obs, rho_v).real.sum().backward()
        out.append(theta.grad.cpu().numpy())
    return np.concatenate(out)


def qbm_visible_states(qbm: QBM, n_samples: int, seed: int, device="cpu") -> np.ndarray:
    """Visible states ``(n_samples, D_v, D_v)`` of redrawn QBM instances (on ``device``)."""
    thetas, scales, _ = qbm_instances(qbm, n_samples, seed)
    step, out = _qbm_chunk(qbm), []
    with torch.no_grad():
        for i in range(0, n_samples, step):
            theta = torch.as_tensor(thetas[i : i + step], device=device)
            out.append(_qbm_visible(qbm, theta, scales[i : i + step]).cpu().numpy())
    return np.concatenate(out)


def qbm_values(qbm: QBM, n_samples: int, seed: int, delta: float, observable=None):
    """``(f(θ), f(θ + δ e_k), k)`` per redrawn instance, ``f = Tr(O ρ_v)``."""
    thetas, scales, seeds = qbm_instances(qbm, n_samples, seed)
    ks = np.random.default_rng(seeds.aux).integers(0, qbm.hamiltonian.n_params, size=n_samples)
    shifted = thetas.copy()
    shifted[np.arange(n_samples), ks] += delta
    obs = _observable(qbm, observable)
    step, base, moved = _qbm_chunk(qbm), [], []
    with torch.no_grad():
        for i in range(0, n_samples, step):
            sl = slice(i, i + step)
            for src, dst in ((thetas, base), (shifted, moved)):
                rho_v = _qbm_visible(qbm, torch.as_tensor(src[sl]), scales[sl])
                dst.append(torch.einsum("ij,bji->b", obs, rho_v).real.numpy())
    return np.concatenate(base), np.concatenate(moved), ks
