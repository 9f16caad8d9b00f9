"""The statevector engine's CPU backend: the compiled kernels over a whole batch of draws.

The kernels keep two state vectors per call whatever the batch, so no chunking is needed;
the outputs are the only arrays that grow with the number of draws.
"""

from __future__ import annotations

import numpy as np

from plateau_pl.engines import _kernels as K

__all__ = ["NumbaBackend"]


class NumbaBackend:
    """Runs a :class:`~plateau_pl.engines.program.Program` with :mod:`._kernels`."""

    def __init__(self, tile_bits=None):
        self.tile_bits = K.TILE_BITS if tile_bits is None else int(tile_bits)

    def values(self, prog, rows, w, obs, obs_bits) -> np.ndarray:
        out = np.zeros(len(w))
        K.run_values(prog.n_qubits, rows, *prog.kernel_args(), w, obs, obs_bits, self.tile_bits,
                     out)  # fmt: skip
        return out

    def gradients(self, prog, rows, w, obs, obs_bits):
        vals = np.zeros(len(w))
        grads = np.zeros((len(w), prog.n_params))
        K.run_gradients(prog.n_qubits, rows, *prog.kernel_args(), w, obs, obs_bits,
                        self.tile_bits, vals, grads)  # fmt: skip
        return vals, grads

    def visible(self, prog, rows, w, d_v: int) -> np.ndarray:
        out = np.zeros((len(w), d_v, d_v), dtype=np.complex128)
        K.run_visible(prog.n_qubits, d_v, rows, *prog.kernel_args(), w, self.tile_bits, out)
        return out
