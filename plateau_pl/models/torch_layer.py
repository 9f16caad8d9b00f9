"""A ``torch.nn.Module`` around a :class:`~plateau_pl.models.QNN`.

Like PennyLane's ``qml.qnn.TorchLayer``, the weights live in an ``nn.Parameter`` and the forward
pass runs a torch-interface QNode, so the layer sits inside any torch model and trains with any
torch optimiser. Unlike ``TorchLayer`` it also works without inputs (a QNN with no embedding is a
variational expectation value) and keeps every result in float64 (lightning.qubit otherwise
returns float32 under torch's default dtype, DESIGN §5).

**Example**

>>> import torch, pennylane as qml, plateau_pl as pp
>>> qnn = pp.QNN(pp.WireLayout(1, 1), ansatz="hardware_efficient", n_layers=1,
...              embedding=qml.AngleEmbedding, device="default.qubit", seed=0)
>>> layer = qnn.torch_layer(seed=1)
>>> layer(torch.zeros(5, 1)).shape
torch.Size([5])
"""

from __future__ import annotations

import numpy as np
import torch

from plateau_pl.circuits.weights import check_angles, draw_weights
from plateau_pl.errors import PlateauTypeError
from plateau_pl.models._tensors import as_float64_tensor

__all__ = ["QNNLayer"]


class QNNLayer(torch.nn.Module):
    """Trainable QNN weights plus the QNN's torch QNode.

    Args:
        qnn: the :class:`~plateau_pl.models.QNN`.
        weights: initial weights (default: ``qnn.init_weights(seed, dist)``).
        seed: seed of the initial weights.
        dist: distribution of the initial weights.
    """

    def __init__(self, qnn, weights=None, seed: int = 0, dist: str = "uniform"):
        super().__init__()
        if not callable(getattr(qnn, "torch_forward", None)):  # a QNN, without importing it
            raise PlateauTypeError(
                f"qnn must be a plateau_pl QNN; got {qnn!r:.80} ({type(qnn).__name__})"
            )
        if weights is None:
            weights = draw_weights(qnn.weight_shape, seed=seed, dist=dist)
        check_angles(weights, "weights")
        weights = as_float64_tensor(weights).detach().clone()
        qnn.ansatz.check_weights(weights, "weights", allow_batch=False)
        self.qnn = qnn
        self.weights = torch.nn.Parameter(weights)

    def forward(self, inputs=None):
        """``⟨O_b⟩`` for each row of ``inputs`` (shape ``(batch,)``), or a scalar without."""
        return self.qnn.torch_forward(self.weights, inputs)

    def extra_repr(self) -> str:
        return f"n_params={int(np.prod(self.weights.shape))}, qnn={self.qnn!r}"
