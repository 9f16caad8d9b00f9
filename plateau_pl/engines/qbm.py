"""The QBM engine: dense Gibbs states of redrawn instances, exact gradients through the Gibbs op.

A draw is one QBM instance: its parameters ``θ_b`` (``weights``, shape ``(B, m)``) and its
normalisation ``s_b`` (``structures``: one scale per instance, ``1/‖H_b‖`` with
``normalize="opnorm"``), giving ``ρ_v = Tr_h e^{-β s_b H(θ_b)}/Z``. Chunks bound the memory of
the ``(B, 2ⁿ, 2ⁿ)`` matrices; any torch device runs them (``"cpu"``, ``"cuda"``).

>>> import plateau_pl as pp
>>> from plateau_pl.engines.qbm import QBMEngine
>>> layout = pp.WireLayout(1, 1)
>>> qbm = pp.QBM(layout, pp.hamiltonians.random_two_local(layout, seed=0))
>>> theta = qbm.hamiltonian.coeffs[None].repeat(3, axis=0)
>>> QBMEngine(qbm).values_and_gradients(theta)[1].shape
(3, 15)
"""

from __future__ import annotations

import numpy as np
import pennylane as qml
import torch

from plateau_pl._validation import check_instance, check_real_array
from plateau_pl.engines.base import Engine, check_torch_device
from plateau_pl.errors import ConfigurationError
from plateau_pl.models.gibbs import check_gibbs_memory, gibbs_state
from plateau_pl.models.qbm import QBM, check_no_overflow, trace_hidden

__all__ = ["QBMEngine"]

_BYTES = 2**27  # memory budget of one chunk


class QBMEngine(Engine):
    """Values, exact gradients and visible states of QBM instances.

    Args:
        qbm: the :class:`~plateau_pl.models.QBM` (its Hamiltonian, β and layout).
        device: the torch device of the Gibbs states.
        observable: the measured observable (default ``Z`` on visible wire 0).
    """

    name = "qbm"

    def __init__(self, qbm, device: str = "cpu", observable=None):
        check_instance(qbm, "qbm", QBM, "a plateau_pl QBM")
        super().__init__(qbm, check_torch_device(device))
        if observable is None:
            observable = qml.Z(qbm.layout.visible[0])
        self.obs = qbm.observable_matrix(observable).to(self.device)

    # -- the protocol --------------------------------------------------------------------------
    def values(self, weights, structures=None, inputs=None) -> np.ndarray:
        thetas, scales = self._split(weights, structures, inputs)
        out = []
        with torch.no_grad():
            for sl in self._chunks(len(thetas)):
                rho_v = self._visible(torch.as_tensor(thetas[sl], device=self.device), scales[sl])
                out.append(torch.einsum("ij,bji->b", self.obs, rho_v).real.cpu().numpy())
        return np.concatenate(out)

    def values_and_gradients(self, weights, structures=None, inputs=None):
        thetas, scales = self._split(weights, structures, inputs)
        vals, grads = [], []
        for sl in self._chunks(len(thetas)):
            theta = torch.tensor(thetas[sl], device=self.device, requires_grad=True)
            f = torch.einsum("ij,bji->b", self.obs, self._visible(theta, scales[sl])).real
            f.sum().backward()
            vals.append(f.detach().cpu().numpy())
            grads.append(theta.grad.cpu().numpy())
        return np.concatenate(vals), np.concatenate(grads)

    def visible_states(self, weights, structures=None, inputs=None) -> np.ndarray:
        thetas, scales = self._split(weights, structures, inputs)
        out = []
        with torch.no_grad():
            for sl in self._chunks(len(thetas)):
                theta = torch.as_tensor(thetas[sl], device=self.device)
                out.append(self._visible(theta, scales[sl]).cpu().numpy())
        return np.concatenate(out)

    # -- internals -----------------------------------------------------------------------------
    def _split(self, weights, structures, inputs):
        if inputs is not None:
            raise ConfigurationError("the qbm engine takes no data inputs")
        thetas = np.asarray(check_real_array(weights, "weights", allow_empty=True), np.float64)
        m = self.model.hamiltonian.n_params
        if thetas.ndim != 2 or thetas.shape[1] != m:
            raise ConfigurationError(f"weights must have shape (batch, {m}); got {thetas.shape}")
        if structures is None:
            scales = np.ones(len(thetas))
        else:
            scales = np.asarray(check_real_array(structures, "structures", allow_empty=True), float)
        if scales.shape != (len(thetas),):
            raise ConfigurationError(
                f"structures (scales) must have one entry per draw ({len(thetas)}); "
                f"got shape {scales.shape}"
            )
        return thetas, scales

    def _chunks(self, n: int):
        """Slices of at most a memory budget of draws; one draw that cannot fit is refused."""
        d = self.model.hamiltonian.dim
        self.model.hamiltonian.check_memory()
        check_gibbs_memory((d, d))
        step = int(np.clip(_BYTES // (16 * 8 * d * d), 1, 512))
        return [slice(i, i + step) for i in range(0, n, step)]

    def _visible(self, theta: torch.Tensor, scale: np.ndarray) -> torch.Tensor:
        qbm = self.model
        s = torch.as_tensor(qbm.beta * scale, dtype=torch.float64, device=theta.device)
        h = s[:, None, None] * qbm.hamiltonian.matrix(theta)
        check_no_overflow(h, qbm.beta, scale)
        rho = gibbs_state(h, check=False)
        return trace_hidden(rho, qbm.layout.dim_visible, qbm.layout.dim_hidden)
