"""What every experiment's record shares: the seeds a point splits into, the closed-form
references beside the measured values, and a QNN's own fields.

One home for these, so that the paper's, the noise and the trainability experiments (and the
Haar-state reference) write the same fields the same way.

>>> from plateau_pl.circuits import WireLayout
>>> split_seed(0) == split_seed(0), theory_values(WireLayout(1, 1))["haar_purity"]
(True, 0.8)
"""

from __future__ import annotations

import numpy as np
import pennylane as qml

from plateau_pl import theory
from plateau_pl._validation import check_int
from plateau_pl.circuits import WireLayout
from plateau_pl.engines import Engine
from plateau_pl.errors import ConfigurationError
from plateau_pl.models.qnn import QNN

__all__ = ["qbm_fields", "qnn_fields", "split_seed", "theory_values"]


def split_seed(seed: int) -> tuple[int, int]:
    """(structure or Hamiltonian seed, ensemble seed) derived from the point seed."""
    seed = check_int(seed, "seed", minimum=0)
    a, b = np.random.SeedSequence(seed).spawn(2)
    return int(a.generate_state(1)[0]), int(b.generate_state(1)[0])


def theory_values(layout: WireLayout, generator_scale=None, obs_trace_sq=None) -> dict:
    """The Haar values and the paper's bounds; ``None`` where a closed form has no exact value
    at this size or overflows (Page's entropy past ~1000 qubits)."""
    d_v, d_h = layout.dim_visible, layout.dim_hidden
    out = {
        "haar_purity": _exact(theory.haar_purity, d_v, d_h),
        "page_entropy": _exact(theory.page_entropy, d_v, d_h),
        "haar_trace_distance_bound": _exact(theory.haar_trace_distance_bound, d_v, d_h),
        "paper_trace_distance_bound": _exact(theory.paper_trace_distance_bound, d_v, d_h),
        "haar_trace_distance": _exact(theory.haar_trace_distance, d_v, d_h),
        "haar_grad_variance": None,
    }
    if generator_scale is not None and layout.n_wires > 0:
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


def qnn_fields(qnn: QNN, ensemble_seed: int, dist: str, resample: bool, engine: Engine) -> dict:
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
    return {**rec, **theory_values(qnn.layout, g, obs_sq)}


def qbm_fields(qbm, ensemble_seed: int) -> dict:
    """A QBM point's own fields: its settings, the ensemble seed and the closed forms of its
    layout (the Haar values are references for circuits; a QBM's records carry them beside)."""
    return {**qbm.to_dict(), "ensemble_seed": ensemble_seed, **theory_values(qbm.layout)}
