"""Haar-random pure states reduced to the visible qubits: a small experiment with exact answers.

Each draw is a complex Gaussian vector on ``n_visible + n_hidden`` qubits, normalised (which is
Haar-distributed on the unit sphere), reduced to the visible wires ``0..n_visible-1``. The
record holds the sample means of the purity, the trace distance to ``I/D_v`` and the von Neumann
entropy (nats), each with its standard error, beside the closed forms of
:mod:`plateau_pl.theory`: Lubkin's purity, the exact Haar trace distance and Page's entropy. It
needs no circuit and no device, so it is the sweep runner's test workload and an independent
cross-check of the QNN statistics.

**Example**

>>> rec = haar_states(n_visible=1, n_hidden=2, n_samples=400, seed=0)
>>> rec["model"], rec["haar_purity"]
('haar', 0.666...)
>>> abs(rec["purity"] - rec["haar_purity"]) < 4 * rec["purity_stderr"]
True
"""

from __future__ import annotations

import numpy as np

from plateau_pl._validation import check_int, check_memory, check_seed
from plateau_pl.diagnostics.results import visible_measures
from plateau_pl.experiments.point import theory_values
from plateau_pl.quantum._sizes import power, product
from plateau_pl.quantum.random import haar_state
from plateau_pl.quantum.states import reduced_density_matrix
from plateau_pl.stats import mean_stderr

__all__ = ["haar_states"]

_CHUNK = 256  # draws per batch: bounds memory at larger n; results do not depend on it
_REFERENCES = ("haar_purity", "haar_trace_distance", "page_entropy")  # a Haar state's closed forms


def haar_states(n_visible: int, n_hidden: int, n_samples: int = 200, seed: int | None = 0) -> dict:
    """Visible-state statistics of Haar-random pure states, with the closed-form references.

    .. math::

        \\mathbb{E}\\operatorname{Tr}\\rho_v^2 = \\frac{D_v + D_h}{D_v D_h + 1}

    Args:
        n_visible: visible qubits, ``>= 1``.
        n_hidden: hidden qubits, ``>= 0``.
        n_samples: number of random states, ``>= 2``.
        seed: seed of ``numpy.random.default_rng`` (``None``: fresh entropy).

    Returns:
        dict: ``model`` (``"haar"``), ``n_visible``, ``n_hidden``, ``n_samples``, the means
        ``purity``, ``trace_distance``, ``entropy`` (nats) with their ``*_stderr``, and
        ``haar_purity``, ``haar_trace_distance`` (``None`` where no exact value is available),
        ``page_entropy``. All values are python ``int``/``float``/``str``/``None``.

    Raises:
        PlateauError: on a bad size or seed.

    **Example**

    >>> rec = haar_states(1, 0, n_samples=3, seed=1)
    >>> rec["purity"], rec["trace_distance"], rec["page_entropy"]
    (1.0, 0.5, 0.0)
    """
    n_visible = check_int(n_visible, "n_visible", minimum=1)
    n_hidden = check_int(n_hidden, "n_hidden", minimum=0)
    n_samples = check_int(n_samples, "n_samples", minimum=2)
    seed = check_seed(seed)
    _check_size(n_visible, n_hidden, n_samples)
    values = _draw_statistics(n_visible, n_hidden, n_samples, np.random.default_rng(seed))
    record = {"model": "haar", "n_visible": n_visible, "n_hidden": n_hidden, "n_samples": n_samples}
    for name in ("purity", "trace_distance", "entropy"):
        record[name], record[f"{name}_stderr"] = mean_stderr(values[name])
    refs = theory_values(2**n_visible, 2**n_hidden)
    return {
        **record,
        **{k: refs[k] for k in ("haar_purity", "haar_trace_distance", "page_entropy")},
    }


def _check_size(n_visible: int, n_hidden: int, n_samples: int) -> None:
    """Refuse before drawing: a chunk of states, or the per-draw results, beyond memory."""
    n_wires = n_visible + n_hidden
    chunk = min(_CHUNK, n_samples)
    check_memory(
        product(chunk, power(2, n_wires) + power(4, n_visible), 16, 2),
        f"{chunk} Haar-random states of {n_wires} qubits",
        "use fewer qubits (the exact Haar values need no sampling: plateau_pl.theory)",
    )
    check_memory(product(3, 8, n_samples), f"the statistics of {n_samples} draws", "draw fewer")


def _draw_statistics(n_visible: int, n_hidden: int, n_samples: int, rng) -> dict:
    """Purity, trace distance to ``I/D_v`` and entropy of each draw, as arrays ``(n_samples,)``."""
    n_wires, dim = n_visible + n_hidden, 2 ** (n_visible + n_hidden)
    keep = tuple(range(n_visible))
    parts = []
    for start in range(0, n_samples, _CHUNK):
        size = min(_CHUNK, n_samples - start)
        psi = haar_state(dim, rng, batch=size)  # one stream, whatever the chunking
        parts.append(visible_measures(reduced_density_matrix(psi, keep, n_wires)))
    return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
