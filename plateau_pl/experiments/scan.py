"""A scan over the number of hidden units: visible-state and gradient statistics of a QNN.

For each ``n_hidden`` the scan builds one :class:`~plateau_pl.models.QNN` (its structure seed
derived from the scan seed and the point's parameters), draws ``n_samples`` weight vectors, and
records the mean trace distance of ``ρ_v`` to ``I/D_v``, the mean purity, and the mean over
parameters of the per-parameter gradient variance, each with its standard error, beside the Haar
values of :mod:`plateau_pl.theory` and the paper's bound ``½√(D_v/D_h)``.

Standard errors are those of :mod:`plateau_pl.diagnostics.stats`.

**Example**

>>> from plateau_pl.experiments import hidden_unit_scan
>>> recs = hidden_unit_scan(n_hidden=[0, 1], n_samples=8, seed=0)
>>> [r["n_hidden"] for r in recs], sorted(recs[0])[:3]
([0, 1], ['ansatz', 'created', 'device'])
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Iterable
from datetime import datetime, timezone

import numpy as np
import pennylane as qml

from plateau_pl import theory
from plateau_pl._validation import check_int, check_seed
from plateau_pl._version import __version__
from plateau_pl.circuits import WireLayout
from plateau_pl.diagnostics.stats import mean_stderr, variance_stderr
from plateau_pl.models.qnn import QNN, draw_weights
from plateau_pl.quantum.measures import (
    _compute_purity,
    _compute_trace_distance_to_maximally_mixed,
)

__all__ = ["hidden_unit_scan", "point_seed"]

_CHUNK = 64  # draws per broadcast call: bounds memory at larger n (DESIGN §5)


def point_seed(seed: int, *key) -> int:
    """A seed derived from ``seed`` and a point's parameters (not its position in a grid).

    >>> point_seed(0, "random_two_local", 1, 3) == point_seed(0, "random_two_local", 1, 3)
    True
    """
    words = [seed] + [zlib.crc32(str(k).encode()) for k in key]
    return int(np.random.SeedSequence(words).generate_state(1)[0])


def _broadcasts(qnn: QNN) -> bool:
    # all draws in one broadcast call, differentiated by backprop (see docs/design.md)
    return qnn.native_broadcasting and qnn.diff_method == "backprop"


def _states_and_gradients(qnn: QNN, weights: np.ndarray):
    if not _broadcasts(qnn):
        states = np.stack([np.asarray(qnn.visible_state(w)) for w in weights])
        grads = np.stack([qnn.gradient(w) for w in weights])
        return states, grads
    states, grads = [], []
    for start in range(0, len(weights), _CHUNK):
        chunk = qml.numpy.array(weights[start : start + _CHUNK], requires_grad=True)
        states.append(np.asarray(qnn.visible_state(chunk)))
        # draws are independent, so the gradient of the sum is every draw's gradient
        grads.append(np.asarray(qml.grad(lambda w: qml.math.sum(qnn(w)))(chunk)))
    return np.concatenate(states), np.concatenate(grads)


def hidden_unit_scan(
    n_visible: int = 1,
    n_hidden: Iterable[int] = range(0, 6),
    ansatz: str = "random_two_local",
    n_samples: int = 200,
    seed: int = 0,
    device: str = "default.qubit",
    n_layers: int | None = None,
    progress: Callable[[dict], None] | None = None,
) -> list[dict]:
    """Visible-state and gradient statistics of a QNN against the number of hidden units.

    Args:
        n_visible: visible qubits.
        n_hidden: the hidden-qubit counts to scan.
        ansatz: a built-in ansatz name.
        n_samples: weight draws per point (U[0, 2π)).
        seed: the scan seed; each point's structure and weight seeds derive from it and the
            point's parameters.
        device: a PennyLane device name.
        n_layers: depth of the ansatz (its default when ``None``).
        progress: called with each record as it is finished.

    Returns:
        list[dict]: one record per ``n_hidden``.
    """
    n_visible = check_int(n_visible, "n_visible", minimum=1)
    n_samples = check_int(n_samples, "n_samples", minimum=2)
    seed = check_seed(seed) or 0
    hidden = [check_int(h, "n_hidden", minimum=0) for h in n_hidden]
    records = []
    for n_h in hidden:
        start = time.perf_counter()
        layout = WireLayout(n_visible, n_h)
        key = (ansatz, n_visible, n_h, n_layers)
        qnn = QNN(layout, ansatz, n_layers, device=device, seed=point_seed(seed, "structure", *key))
        w_seed = point_seed(seed, "weights", *key)
        weights = draw_weights(qnn.weight_shape, seed=w_seed, batch=n_samples)
        states, grads = _states_and_gradients(qnn, weights)
        record = {
            "experiment": "hidden-unit-scan",
            **qnn.to_dict(),
            "weight_dist": "uniform",
            "seed": seed,
            "weight_seed": w_seed,
            "n_samples": n_samples,
            "n_params": qnn.n_params,
            **_statistics(states, grads),
            **_theory(layout, qnn.ansatz.generator_scale),
            "wall_s": round(time.perf_counter() - start, 3),
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "plateau_pl_version": __version__,
        }
        records.append(record)
        if progress is not None:
            progress(record)
    return records


def _statistics(states: np.ndarray, grads: np.ndarray) -> dict:
    td, td_err = mean_stderr(_compute_trace_distance_to_maximally_mixed(states))
    pur, pur_err = mean_stderr(_compute_purity(states))
    var, var_err = variance_stderr(grads)
    return {
        "trace_distance": td,
        "trace_distance_stderr": td_err,
        "purity": pur,
        "purity_stderr": pur_err,
        "grad_variance": var,
        "grad_variance_stderr": var_err,
    }


def _theory(layout: WireLayout, generator_scale: float | None) -> dict:
    d_v, d_h = layout.dim_visible, layout.dim_hidden
    out = {
        "haar_purity": theory.haar_purity(d_v, d_h),
        "paper_trace_distance_bound": theory.paper_trace_distance_bound(d_v, d_h),
        "haar_trace_distance_bound": theory.haar_trace_distance_bound(d_v, d_h),
        "haar_grad_variance": None,
        "haar_trace_distance": None,
    }
    if generator_scale is not None and d_v * d_h > 1:
        out["haar_grad_variance"] = theory.haar_gradient_variance(
            d_v * d_h, generator_scale=generator_scale
        )
    if d_v == 2 or d_h == 1:
        out["haar_trace_distance"] = theory.haar_trace_distance(d_v, d_h)
    return out
