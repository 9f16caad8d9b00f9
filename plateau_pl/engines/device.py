"""The PennyLane device engine: the QNN's own device and differentiation method.

This is the path that works everywhere a QNN works — shots, noise channels (``NoisyQNN`` on
``default.mixed``), plugin devices and hardware — at the cost of PennyLane's per-call overhead.
On devices that execute broadcast tapes natively with backprop (``default.qubit``) a chunk of
draws is one broadcast call and the gradient of the chunk's summed outputs (draws are
independent, so that is every draw's own); elsewhere one draw at a time with
:meth:`QNN.gradient <plateau_pl.models.QNN.gradient>`. Per-draw structures run as one QNN per
draw on the same device (:meth:`QNN.with_ansatz <plateau_pl.models.QNN.with_ansatz>`).

>>> import plateau_pl as pp
>>> from plateau_pl.engines.device import DeviceEngine
>>> qnn = pp.QNN(pp.WireLayout(1, 1), "hardware_efficient", n_layers=1,
...              device="default.qubit", seed=0)
>>> DeviceEngine(qnn).values_and_gradients(qnn.init_weights(seed=0, batch=3))[1].shape
(3, 1, 2, 2)
"""

from __future__ import annotations

import numpy as np
import pennylane as qml
import torch

from plateau_pl._validation import check_instance
from plateau_pl.engines.base import Engine

__all__ = ["DeviceEngine"]

_BROADCAST_BYTES = 2**27  # memory budget of one broadcast chunk (DESIGN §5)


class DeviceEngine(Engine):
    """Values, gradients and visible states through the QNN's PennyLane device."""

    name = "device"
    takes_inputs = True

    def __init__(self, qnn):
        from plateau_pl.models.qnn import QNN

        check_instance(qnn, "qnn", QNN, "a plateau_pl QNN")
        super().__init__(qnn, qnn.device_name)

    def describe(self) -> dict:
        return {**super().describe(), "engine_backend": self.model.diff_method}

    # -- the protocol --------------------------------------------------------------------------
    def values(self, weights, structures=None, inputs=None) -> np.ndarray:
        out = [
            np.atleast_1d(np.asarray(qml.math.unwrap(q(w, x)), dtype=np.float64))
            for q, w, x in self._groups(weights, structures, inputs)
        ]
        return np.concatenate(out)

    def values_and_gradients(self, weights, structures=None, inputs=None):
        grads = self.gradients(weights, structures, inputs)
        return self.values(weights, structures, inputs), grads

    def gradients(self, weights, structures=None, inputs=None) -> np.ndarray:
        groups = self._groups(weights, structures, inputs)
        return np.concatenate([self._group_gradients(q, w, x) for q, w, x in groups])

    def visible_states(self, weights, structures=None, inputs=None) -> np.ndarray:
        out = []
        for q, w, x in self._groups(weights, structures, inputs):
            states = np.asarray(qml.math.unwrap(q.visible_state(w, x)))
            out.append(states.reshape(-1, *states.shape[-2:]))
        return np.concatenate(out)

    # -- internals -----------------------------------------------------------------------------
    def _groups(self, weights, structures, inputs):
        """``(qnn, weights chunk, inputs chunk)``: broadcast chunks, or one draw per QNN."""
        weights = self._check(weights, structures, inputs)
        x = None if inputs is None else np.asarray(inputs, dtype=np.float64)
        qnn = self.model
        if structures is not None:
            for i, ansatz in enumerate(structures):
                yield (
                    qnn.with_ansatz(ansatz),
                    weights[i : i + 1],
                    None if x is None else x[i : i + 1],
                )
            return
        step = _chunk(qnn) if qnn.native_broadcasting else len(weights)
        for i in range(0, len(weights), step):
            yield qnn, weights[i : i + step], None if x is None else x[i : i + step]

    def _group_gradients(self, qnn, weights, inputs) -> np.ndarray:
        if qnn.native_broadcasting and qnn.diff_method == "backprop" and len(weights) > 1:
            return _grad_of_sum(qnn, weights, inputs)
        return np.stack(
            [
                np.asarray(qml.math.unwrap(qnn.gradient(w, None if inputs is None else inputs[i])))
                for i, w in enumerate(weights)
            ]
        )


def _chunk(qnn) -> int:
    ops = qnn.n_params + qnn.layout.n_wires
    # a density matrix (noisy QNNs on default.mixed) holds 4**n amplitudes, a state vector 2**n
    amplitudes = 4 if getattr(qnn, "noise", None) is not None else 2
    per_draw = 16 * ops * amplitudes**qnn.layout.n_wires
    return int(np.clip(_BROADCAST_BYTES // per_draw, 1, 256))


def _grad_of_sum(qnn, chunk: np.ndarray, inputs) -> np.ndarray:
    if qnn.interface == "torch":
        w = torch.tensor(chunk, dtype=torch.float64, requires_grad=True)
        x = None if inputs is None else torch.as_tensor(inputs)
        qml.math.sum(qnn(w, x)).backward()
        return w.grad.numpy()
    w = qml.numpy.array(chunk, requires_grad=True)
    return np.asarray(qml.grad(lambda v: qml.math.sum(qnn(v, inputs)))(w))
