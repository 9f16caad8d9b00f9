"""The statevector engine's CPU backend: the compiled kernels over a whole batch of draws.

The kernels keep two state vectors per call whatever the batch, so no chunking is needed; the
outputs are the only arrays that grow with the number of draws. They release the GIL
(``nogil=True``), so ``threads > 1`` splits the draws into contiguous slices run by a thread
pool — each draw is still computed by one thread in the same order, so the numbers are
identical for every thread count.
"""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from plateau_pl.engines import _kernels as K

__all__ = ["NumbaBackend"]


class NumbaBackend:
    """Runs a :class:`~plateau_pl.engines.program.Program` with :mod:`._kernels`."""

    def __init__(self, tile_bits=None, threads: int = 1):
        self.tile_bits = K.TILE_BITS if tile_bits is None else int(tile_bits)
        self.threads = max(1, int(threads))

    def values(self, prog, rows, w, obs, obs_bits) -> np.ndarray:
        out = np.zeros(len(w))

        def run(sl):
            args = prog.kernel_args(), w[sl], obs, obs_bits, self.tile_bits
            K.run_values(prog.n_qubits, rows[sl], *args, out[sl])

        self._split(len(w), run)
        return out

    def gradients(self, prog, rows, w, obs, obs_bits):
        vals = np.zeros(len(w))
        grads = np.zeros((len(w), prog.n_params))

        def run(sl):
            args = prog.kernel_args(), w[sl], obs, obs_bits, self.tile_bits
            K.run_gradients(prog.n_qubits, rows[sl], *args, vals[sl], grads[sl])

        self._split(len(w), run)
        return vals, grads

    def visible(self, prog, rows, w, d_v: int) -> np.ndarray:
        out = np.zeros((len(w), d_v, d_v), dtype=np.complex128)

        def run(sl):
            K.run_visible(
                prog.n_qubits, d_v, rows[sl], prog.kernel_args(), w[sl], self.tile_bits, out[sl]
            )

        self._split(len(w), run)
        return out

    def _split(self, n: int, run) -> None:
        """``run(slice)`` over the draws: in this thread, or in ``threads`` slices."""
        k = min(self.threads, n)
        if k <= 1:
            run(slice(0, n))
            return
        bounds = np.linspace(0, n, k + 1).astype(int)
        with ThreadPoolExecutor(max_workers=k) as pool:
            for f in [pool.submit(run, slice(a, b)) for a, b in itertools.pairwise(bounds)]:
                f.result()
