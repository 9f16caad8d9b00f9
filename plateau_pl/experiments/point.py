"""What every experiment's record shares: the seeds a point splits into, the closed-form
references beside the measured values, and a QNN's own fields.

One home for these, so that the paper's, the noise and the trainability experiments (and the
Haar-state reference) write the same fields the same way.

Importing it loads neither torch nor PennyLane (the Haar-state experiment, which needs neither,
reads it in every sweep worker).

>>> split_seed(0) == split_seed(0), theory_values(2, 2)["haar_purity"]
(True, 0.8)
"""

from __future__ import annotations

import numpy as np

from plateau_pl import theory
from plateau_pl._validation import check_int
from plateau_pl.errors import ConfigurationError

__all__ = ["qbm_fields", "qnn_fields", "split_seed", "theory_values"]


def split_seed(seed: int) -> tuple[int, int]:
    """(structure or Hamiltonian seed, ensemble seed) derived from the point seed."""
    seed = check_int(seed, "seed", minimum=0)
    a, b = np.random.SeedSequence(seed).spawn(2)
    return int(a.generate_state(1)[0]), int(b.generate_state(1)[0])


def theory_values(d_v: int, d_h: int, generator_scale=None, obs_trace_sq=None) -> dict:
    """The Haar values and the paper's bounds for dimensions ``D_v``, ``D_h``; ``None`` where a
    closed form has no exact value at this size or overflows (Page's entropy past ~1000
    qubits). The Haar gradient variance needs the ansatz's generator scale and ``Tr O²``."""
    out = {
        "haar_purity": _exact(theory.haar_purity, d_v, d_h),
        "page_entropy": _exact(theory.page_entropy, d_v, d_h),
        "haar_trace_distance_bound": _exact(theory.haar_trace_distance_bound, d_v, d_h),
        "paper_trace_distance_bound": _exact(theory.paper_trace_distance_bound, d_v, d_h),
        "haar_trace_distance": _exact(theory.haar_trace_distance, d_v, d_h),
        "haar_grad_variance": None,
    }
    if generator_scale is not None and d_v * d_h > 1:
        out["haar_grad_variance"] = _exact(
            theory.haar_gradient_variance,
            d_v * d_h,
            generator_scale=generator_scale,
            obs_trace_sq=obs_trace_sq,
        )
    return out


def _exact(f, *args, **kwargs):
    try:
        value = float(f(*args, **kwargs))
    except (ConfigurationError, OverflowError, TypeError, ValueError, ZeroDivisionError):
        return None  # no exact value at this size; the bounds remain
    return value if np.isfinite(value) else None


def qnn_fields(qnn, ensemble_seed: int, dist: str, resample: bool, engine) -> dict:
    """A QNN point's own fields: its settings, the ensemble, the engine's description and the
    closed forms for its ansatz and observable."""
    import pennylane as qml

    # Tr O² over all wires = D_h · Tr_v O² (O acts on visible wires; no 2^n × 2^n matrix)
    obs_v = qml.matrix(qnn.observable, wire_order=qnn.layout.visible)
    obs_sq = float(np.trace(obs_v @ obs_v).real) * 2.0**qnn.layout.n_hidden
    rec = {
        **qnn.to_dict(),
        "n_params": qnn.n_params,
        "weight_dist": dist,
        "resample_structure": resample,
        "ensemble_seed": ensemble_seed,
        **engine.describe(),
    }
    g = qnn.ansatz.generator_scale
    layout = qnn.layout
    return {**rec, **theory_values(layout.dim_visible, layout.dim_hidden, g, obs_sq)}


def qbm_fields(qbm, ensemble_seed: int) -> dict:
    """A QBM point's own fields: its settings, the ensemble seed and the closed forms of its
    layout (the Haar values are references for circuits; a QBM's records carry them beside)."""
    refs = theory_values(qbm.layout.dim_visible, qbm.layout.dim_hidden)
    return {**qbm.to_dict(), "ensemble_seed": ensemble_seed, **refs}
