"""The ``cost-locality`` experiment: a local against a global observable on the visible qubits.

Cerezo et al. (Nat. Commun. 12, 1791, 2021) showed that the cost function alone can cause a
barren plateau: for a shallow hardware-efficient circuit the gradient variance of a *global*
observable ``Z⊗…⊗Z`` on all ``n_v`` visible qubits decays exponentially in ``n_v``, while that
of a *local* one (``Z`` on visible wire 0) decays only polynomially at logarithmic depth. Past a
2-design both reach the same Haar value (every Pauli string has ``Tr O² = D``), which each
record carries as ``haar_grad_variance``. One record per point: the QNN's settings, the
observable's locality and the gradient statistics.

**Example**

>>> from plateau_pl.experiments.locality import cost_locality
>>> rec = cost_locality(n_visible=2, n_hidden=0, locality="global", n_samples=10, seed=0)
>>> rec["locality"], rec["observable"], rec["grad_variance"] > 0
('global', 'Z(0) @ Z(1)', True)
"""

from __future__ import annotations

import pennylane as qml

from plateau_pl._validation import check_choice, check_int
from plateau_pl.circuits import WireLayout
from plateau_pl.diagnostics.sampling import gradient_variance
from plateau_pl.engines import select_engine
from plateau_pl.experiments.point import qnn_fields, split_seed
from plateau_pl.models.qnn import QNN

__all__ = ["LOCALITIES", "cost_locality"]

LOCALITIES = ("local", "global")
"""``local``: ``Z`` on visible wire 0; ``global``: ``Z`` on every visible wire."""


def cost_locality(
    n_visible: int,
    seed: int,
    n_hidden: int = 0,
    locality: str = "global",
    ansatz: str = "hardware_efficient",
    n_layers: int = 2,
    n_samples: int = 200,
    device: str = "default.qubit",
    engine: str = "auto",
) -> dict:
    """Gradient statistics of a local or a global visible observable.

    Args:
        n_visible: visible qubits (the global observable acts on all of them).
        seed: the point's seed (structure and ensemble seeds derive from it).
        n_hidden: hidden qubits.
        locality: ``"local"`` or ``"global"`` (:data:`LOCALITIES`).
        ansatz: a built-in ansatz name.
        n_layers: depth (shallow by default: where the two costs differ).
        n_samples: random draws of the angles.
        device: the QNN's PennyLane device.
        engine: a name in :data:`plateau_pl.engines.ENGINES`.

    Returns:
        dict: the QNN's settings (``observable`` included), ``locality``, the gradient
        statistics and the Haar references.
    """
    n_visible = check_int(n_visible, "n_visible", minimum=1)
    check_choice(locality, "locality", LOCALITIES)
    wires = range(n_visible) if locality == "global" else range(1)
    observable = qml.prod(*(qml.Z(w) for w in wires)) if len(wires) > 1 else qml.Z(0)
    sub_seed, ens_seed = split_seed(seed)
    layout = WireLayout(n_visible, n_hidden)
    qnn = QNN(layout, ansatz, n_layers, observable=observable, device=device, seed=sub_seed)
    engine = select_engine(qnn, engine)
    grads = gradient_variance(qnn, n_samples, ens_seed, engine=engine)
    fields = qnn_fields(qnn, ens_seed, "uniform", False, engine)
    return {**fields, "locality": locality, **grads.to_dict()}
