"""Remedies against entanglement-induced plateaus, as options of the training loss.

* :func:`visible_renyi2` / :func:`entanglement_penalty`: add ``λ · S₂(ρ_v)`` (the Rényi-2
  entropy of the visible qubits, ``−ln Tr ρ_v²``) to a loss, pushing the model towards
  low visible–hidden entanglement. Differentiable for a QBM, and for a torch QNN whose visible
  state is differentiable (``default.qubit`` with backprop).

Other remedies live where they act: identity-block initialisation is the ``identity_blocks``
ansatz with ``init_weights(dist="identity")``, small-angle initialisation is
``init_weights(dist="small")``, the area-law ansatz is ``area_law``, and generative pretraining is
:func:`plateau_pl.train.fit_target` (the quantum relative entropy on the visible qubits).

A caveat the tests and the docs state: near ``ρ_v ≈ I/D_v`` the gradient of ``S₂`` is itself
tiny (``S₂`` is flat at its maximum), so the penalty only helps from a low-entanglement start.

**Example**

>>> import plateau_pl as pp
>>> layout = pp.WireLayout(1, 1)
>>> qbm = pp.QBM(layout, pp.hamiltonians.random_two_local(layout, seed=0))
>>> loss = entanglement_penalty(lambda m: m.expval_matrix([[1, 0], [0, -1]]), strength=0.1)
>>> loss(qbm).backward(); qbm.theta.grad.shape
torch.Size([15])
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from plateau_pl.errors import ConfigurationError, PlateauTypeError
from plateau_pl.quantum.measures import compute_renyi2_entropy
from plateau_pl.train.driver import check_number

__all__ = ["entanglement_penalty", "visible_renyi2"]


def visible_renyi2(model) -> torch.Tensor:
    """``S₂(ρ_v) = −ln Tr ρ_v²`` of a QBM, or of a torch-interface QNN layer's current weights.

    Args:
        model: a :class:`~plateau_pl.models.QBM` or a ``QNN.torch_layer()`` module.
    """
    from plateau_pl.models.qbm import QBM
    from plateau_pl.models.torch_layer import QNNLayer

    if isinstance(model, QBM):
        rho_v = model()
    elif isinstance(model, QNNLayer):
        qnn = model.qnn
        if qnn.diff_method != "backprop" or qnn.interface != "torch":
            raise ConfigurationError(
                "an entanglement penalty on a QNN needs a differentiable visible state: "
                "interface='torch' on default.qubit (backprop); got "
                f"interface={qnn.interface!r}, diff_method={qnn.diff_method!r}"
            )
        rho_v = qnn.visible_state(model.weights)
    else:
        raise PlateauTypeError(
            f"model must be a QBM or a QNN torch layer; got {type(model).__name__}"
        )
    return compute_renyi2_entropy(rho_v[None])[0]


def entanglement_penalty(loss_fn: Callable, strength: float) -> Callable:
    """``model ↦ loss_fn(model) + strength · S₂(ρ_v)``, for :func:`plateau_pl.train.fit`.

    Args:
        loss_fn: the task's loss of the model.
        strength: ``λ ≥ 0``.
    """
    if not callable(loss_fn):
        raise PlateauTypeError(f"loss_fn must be callable; got {type(loss_fn).__name__}")
    strength = check_number(strength, "strength", "a finite number >= 0", minimum=0)

    def penalised(model):
        return loss_fn(model) + strength * visible_renyi2(model)

    return penalised
