"""The statevector engine's torch backend: the same program, draws side by side on a device.

A chunk of ``B`` draws is a ``(B, 2^n)`` complex128 tensor on the torch device (CUDA, or the CPU
for tests); every gate is a few batched elementwise operations, so a GPU works on all draws of
a chunk at once. The adjoint walk is that of :mod:`._kernels`: forward once, then for each gate
from the last ``∂⟨O⟩/∂θ_g = Im⟨λ|P_g|φ⟩`` per draw and ``φ, λ ← U_g† φ, U_g† λ``.

Draws whose programs share every gate's qubits (a fixed structure, or McClean's redrawn axes)
run together; per-draw rotation axes become per-draw 2×2 matrices. Draws whose structures move
gates between qubits (a redrawn ``random_two_local`` order) run one structure at a time.
"""

from __future__ import annotations

import numpy as np
import torch

from plateau_pl._validation import check_memory
from plateau_pl.engines._kernels import DIAG, MAT, NOP, ROTP, ROTX, ROTY, ROTZ
from plateau_pl.errors import ResourceError
from plateau_pl.quantum.paulis import PAULI_ARRAY
from plateau_pl.quantum.states import trace_out_last_pure

__all__ = ["TorchBackend"]

_STATES_PER_DRAW = 8  # φ, λ and the temporaries of one gate (measured peak: ~6)
_CPU_BUDGET = 2**30


class TorchBackend:
    """Runs a :class:`~plateau_pl.engines.program.Program` with torch on ``device``."""

    def __init__(self, device: str = "cpu"):
        self.device = torch.device(device)
        self._cache: dict = {}

    # -- entry points --------------------------------------------------------------------------
    def values(self, prog, rows, w, obs, obs_bits) -> np.ndarray:
        out = np.zeros(len(w))
        for idx in self._chunks(prog, rows):
            with torch.no_grad():
                psi = self._forward(prog, rows[idx], w[idx])
                out[idx] = self._expval(prog, psi, obs, obs_bits).cpu().numpy()
        return out

    def visible(self, prog, rows, w, d_v: int) -> np.ndarray:
        out = np.zeros((len(w), d_v, d_v), np.complex128)
        for idx in self._chunks(prog, rows):
            with torch.no_grad():
                psi = self._forward(prog, rows[idx], w[idx])
                out[idx] = trace_out_last_pure(psi, d_v).cpu().numpy()
        return out

    def gradients(self, prog, rows, w, obs, obs_bits):
        vals = np.zeros(len(w))
        grads = np.zeros((len(w), prog.n_params))
        for idx in self._chunks(prog, rows):
            with torch.no_grad():
                v, dang = self._adjoint(prog, rows[idx], w[idx], obs, obs_bits)
            vals[idx] = v
            pidx, coef = prog.pidx[rows[idx]], prog.coef[rows[idx]]
            b, g = np.nonzero(pidx >= 0)
            np.add.at(grads, (idx[b], pidx[b, g]), coef[b, g] * dang[b, g])
        return vals, grads

    # -- chunks --------------------------------------------------------------------------------
    def _chunks(self, prog, rows):
        """Index arrays of draws that share gate positions, at most a memory budget each."""
        shape_kind = np.where(np.isin(prog.kind, (ROTX, ROTY, ROTZ)), ROTX, prog.kind)
        keys = np.concatenate(
            [
                shape_kind,
                prog.bits.reshape(len(prog.kind), -1),
                prog.xmask,
                prog.zmask,
                prog.ny,
                prog.table,
            ],
            axis=1,
        )
        _, group = np.unique(keys[rows], axis=0, return_inverse=True)
        step = self._chunk_size(prog.n_qubits)
        for gid in np.unique(group):
            members = np.flatnonzero(group.reshape(-1) == gid)
            for i in range(0, len(members), step):
                yield members[i : i + step]

    def _chunk_size(self, n: int) -> int:
        """Draws per chunk; one draw that does not fit the device's memory is refused."""
        per_draw = _STATES_PER_DRAW * 16 * 2**n
        what = f"one draw's states on {n} qubits ({_STATES_PER_DRAW} vectors of 2**{n} amplitudes)"
        if self.device.type == "cuda":
            free, _ = torch.cuda.mem_get_info(self.device)
            budget = int(0.6 * free)
            if per_draw > free:
                raise ResourceError(
                    f"{what} would need {per_draw / 2**30:.3g} GiB on {self.device}, which has "
                    f"{free / 2**30:.3g} GiB free; use fewer qubits"
                )
        else:
            budget = _CPU_BUDGET
            check_memory(per_draw, what, "use fewer qubits, or a GPU with device='cuda'")
        return int(max(1, min(4096, budget // per_draw)))

    # -- simulation ----------------------------------------------------------------------------
    def _angles(self, prog, rows, w):
        pidx = prog.pidx[rows]
        theta = prog.offset[rows] + prog.coef[rows] * np.take_along_axis(
            w, np.maximum(pidx, 0), axis=1
        ) * (pidx >= 0)
        c = torch.as_tensor(np.cos(theta / 2), device=self.device)
        s = torch.as_tensor(np.sin(theta / 2), device=self.device)
        return c, s

    def _forward(self, prog, rows, w):
        psi = torch.zeros((len(rows), 2**prog.n_qubits), dtype=torch.complex128, device=self.device)
        psi[:, 0] = 1.0
        c, s = self._angles(prog, rows, w)
        for g in range(prog.kind.shape[1]):
            psi = self._gate(prog, rows, g, psi, c[:, g], s[:, g], dagger=False)
        return psi

    def _adjoint(self, prog, rows, w, obs, obs_bits):
        phi = self._forward(prog, rows, w)
        lam = self._mat(phi, obs, obs_bits, prog.n_qubits, dagger=False)
        vals = (phi.conj() * lam).real.sum(dim=1).cpu().numpy()
        c, s = self._angles(prog, rows, w)
        dang = torch.zeros((len(rows), prog.kind.shape[1]), dtype=torch.float64, device=self.device)
        for g in range(prog.kind.shape[1] - 1, -1, -1):
            kind = prog.kind[rows[0], g]
            if kind == NOP:
                continue
            if kind <= ROTP:
                p_phi = self._pauli(prog, rows, g, phi)
                dang[:, g] = (lam.conj() * p_phi).imag.sum(dim=1)
                p_lam = self._pauli(prog, rows, g, lam)
                cg, sg = c[:, g, None], s[:, g, None]
                phi = cg * phi + 1j * sg * p_phi
                lam = cg * lam + 1j * sg * p_lam
            else:
                phi = self._gate(prog, rows, g, phi, None, None, dagger=True)
                lam = self._gate(prog, rows, g, lam, None, None, dagger=True)
        return vals, dang.cpu().numpy()

    def _gate(self, prog, rows, g, psi, c, s, dagger: bool):
        kind = prog.kind[rows[0], g]
        if kind == NOP:
            return psi
        if kind <= ROTP:  # c − i s P (its adjoint: c + i s P)
            sign = 1j if dagger else -1j
            return c[:, None] * psi + sign * s[:, None] * self._pauli(prog, rows, g, psi)
        r = rows[0]
        if kind == MAT:
            k = prog.nbits[r, g]
            mat = prog.mats[prog.table[r, g], : 2**k, : 2**k]
            return self._mat(psi, mat, prog.bits[r, g, :k], prog.n_qubits, dagger)
        assert kind == DIAG
        d = self._tensor(("diag", prog.table[r, g]), lambda: prog.diags[prog.table[r, g]])
        return psi * (d.conj() if dagger else d)

    def _pauli(self, prog, rows, g, psi):
        """``P_g ψ`` per draw (per-draw axes for single-qubit rotations)."""
        r = rows[0]
        kind = prog.kind[r, g]
        n = prog.n_qubits
        if kind == ROTP:
            xm, zm, ny = int(prog.xmask[r, g]), int(prog.zmask[r, g]), int(prog.ny[r, g])
            perm = self._tensor(("perm", xm), lambda: np.arange(2**n) ^ xm)
            phase = self._tensor(("phase", xm, zm, ny), lambda: _pauli_phase(n, xm, zm, ny))
            return psi[:, perm] * phase
        axes = prog.kind[rows, g] - ROTX  # (B,): 0, 1, 2 = X, Y, Z
        paulis = self._tensor(("paulis",), lambda: np.array(PAULI_ARRAY[1:]))  # X, Y, Z
        return _apply_2x2(
            psi, paulis[torch.as_tensor(axes, device=self.device)], int(prog.bits[r, g, 0])
        )

    def _mat(self, psi, mat, bits, n: int, dagger: bool):
        idx = self._tensor(("idx", n, tuple(int(b) for b in bits)), lambda: _gather_index(n, bits))
        u = torch.as_tensor(np.conj(mat) if dagger else np.asarray(mat).T, device=self.device)
        out = psi.clone()
        out[:, idx] = psi[:, idx] @ u
        return out

    def _expval(self, prog, psi, obs, obs_bits):
        lam = self._mat(psi, obs, obs_bits, prog.n_qubits, dagger=False)
        return (psi.conj() * lam).real.sum(dim=1)

    def _tensor(self, key, make):
        if key not in self._cache:
            self._cache[key] = torch.as_tensor(make(), device=self.device)
        return self._cache[key]


def _apply_2x2(psi, u, bit: int):
    """``u`` ``(B, 2, 2)`` on the qubit at ``bit`` of every draw."""
    b, size = psi.shape
    v = psi.reshape(b, size >> (bit + 1), 2, 1 << bit)
    a0, a1 = v[:, :, 0], v[:, :, 1]
    u = u.reshape(-1, 2, 2, 1, 1)
    top = u[:, 0, 0] * a0 + u[:, 0, 1] * a1
    bottom = u[:, 1, 0] * a0 + u[:, 1, 1] * a1
    return torch.stack([top, bottom], dim=2).reshape(b, size)


def _parity(x: np.ndarray) -> np.ndarray:
    x = x.copy()
    for shift in (32, 16, 8, 4, 2, 1):
        x ^= x >> shift
    return x & 1


def _pauli_phase(n: int, xm: int, zm: int, ny: int) -> np.ndarray:
    """``(P ψ)(k) = phase(k) ψ(k ⊕ x)``: ``i^{n_Y} (−1)^{|(k⊕x)∧z|}``."""
    k = np.arange(2**n, dtype=np.int64)
    return (1j**ny) * (1.0 - 2.0 * _parity((k ^ xm) & zm))


def _gather_index(n: int, bits) -> np.ndarray:
    """``(2^{n−k}, 2^k)`` basis indices of the amplitudes a k-qubit matrix mixes."""
    k = len(bits)
    t = np.arange(2 ** (n - k), dtype=np.int64)
    for q in sorted(int(b) for b in bits):
        t = ((t >> q) << (q + 1)) | (t & ((1 << q) - 1))
    j = np.arange(2**k)
    off = np.zeros(2**k, dtype=np.int64)
    for r, b in enumerate(bits):
        off |= ((j >> (k - 1 - r)) & 1) << int(b)
    return t[:, None] + off[None, :]
