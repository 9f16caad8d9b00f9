"""Compiled statevector kernels (numba): forward simulation and adjoint gradients of a program.

A *program* (:mod:`plateau_pl.engines.program`) is a flat list of gates in numpy arrays; these
kernels run it for a batch of draws, one draw at a time, entirely in compiled code, so there is
no Python between gates and the memory is two state vectors per draw (the adjoint method:
forward once, then walk the gates backwards undoing each one on the state ``φ`` and on
``λ = O ψ`` while reading off ``∂⟨O⟩/∂θ_g = Im⟨λ|P_g|φ⟩`` for a rotation ``exp(-iθP_g/2)``).

The kernels are compiled once and cached on disk (``cache=True``): the first call in a fresh
install compiles them (a few seconds), later processes load them; one compiled kernel serves
every number of qubits, so a sweep pays no compilation per size.

Every kernel takes the program's arrays as one tuple ``prog`` (``Program.kernel_args()``: kind,
bits, nbits, xmask, zmask, ny, top, pidx, coef, offset, table, mats, diags — numba passes a tuple
of arrays as one struct) and unpacks what it reads.

Basis convention: wire position ``p`` (0 = first wire) is bit ``n - 1 - p`` of the basis index
(PennyLane's order); the program stores bit positions and masks.
"""

from __future__ import annotations

import numba as nb
import numpy as np

NOP, ROTX, ROTY, ROTZ, ROTP, MAT, DIAG = 0, 1, 2, 3, 4, 5, 6
"""Gate kinds: no-op (padding), single-qubit X/Y/Z rotations ``exp(-iθP/2)``, a multi-qubit
Pauli rotation (masks), a fixed matrix on up to 3 qubits, a fixed diagonal on all qubits."""

_I_POWERS = np.array([1.0 + 0.0j, 1.0j, -1.0 + 0.0j, -1.0j])

# fastmath lets LLVM reorder the sums of the gradient reductions (vectorised); results agree
# with PennyLane's devices to ~1e-15 (tests: 1e-12)
_jit = nb.njit(cache=True, nogil=True, error_model="numpy", fastmath=True)


@_jit
def _parity(x):
    x ^= x >> 32
    x ^= x >> 16
    x ^= x >> 8
    x ^= x >> 4
    x ^= x >> 2
    x ^= x >> 1
    return x & 1


# -- single-qubit rotations (one branch-free loop per axis, so that LLVM vectorises it) --------
@_jit
def _rot1(psi, kind, bit, c, s):
    """``psi ← (c I − i s P) psi`` for P = X, Y or Z on ``bit``."""
    m = 1 << bit
    if kind == ROTX:
        _rx(psi, m, c, s)
    elif kind == ROTY:
        _ry(psi, m, c, s)
    else:
        _rz(psi, m, complex(c, -s), complex(c, s))


@_jit
def _rx(psi, m, c, s):  # c − i s X
    for base in range(0, psi.size, 2 * m):
        for i in range(base, base + m):
            a0 = psi[i]
            a1 = psi[i + m]
            psi[i] = complex(c * a0.real + s * a1.imag, c * a0.imag - s * a1.real)
            psi[i + m] = complex(c * a1.real + s * a0.imag, c * a1.imag - s * a0.real)


@_jit
def _ry(psi, m, c, s):  # c − i s Y = [[c, −s], [s, c]]
    for base in range(0, psi.size, 2 * m):
        for i in range(base, base + m):
            a0 = psi[i]
            a1 = psi[i + m]
            psi[i] = c * a0 - s * a1
            psi[i + m] = c * a1 + s * a0


@_jit
def _rz(psi, m, lo, hi):
    for base in range(0, psi.size, 2 * m):
        for i in range(base, base + m):
            psi[i] *= lo
            psi[i + m] *= hi


@_jit
def _rot1_adjoint(phi, lam, kind, bit, c, s):
    """``Im⟨λ|P|φ⟩``, then ``φ, λ ← U† φ, U† λ`` for ``U = c I − i s P``: one pass."""
    m = 1 << bit
    if kind == ROTX:
        return _rx_adjoint(phi, lam, m, c, s)
    if kind == ROTY:
        return _ry_adjoint(phi, lam, m, c, s)
    return _rz_adjoint(phi, lam, m, c, s)


@_jit
def _rx_adjoint(phi, lam, m, c, s):  # Im(λ0* φ1 + λ1* φ0); U† = c + i s X
    acc = 0.0
    for base in range(0, phi.size, 2 * m):
        for i in range(base, base + m):
            p0 = phi[i]
            p1 = phi[i + m]
            l0 = lam[i]
            l1 = lam[i + m]
            acc += (l0.real * p1.imag - l0.imag * p1.real) + (l1.real * p0.imag - l1.imag * p0.real)
            phi[i] = complex(c * p0.real - s * p1.imag, c * p0.imag + s * p1.real)
            phi[i + m] = complex(c * p1.real - s * p0.imag, c * p1.imag + s * p0.real)
            lam[i] = complex(c * l0.real - s * l1.imag, c * l0.imag + s * l1.real)
            lam[i + m] = complex(c * l1.real - s * l0.imag, c * l1.imag + s * l0.real)
    return acc


@_jit
def _ry_adjoint(phi, lam, m, c, s):  # Im(λ0*(−i φ1) + λ1*(i φ0)); U† = [[c, s], [−s, c]]
    acc = 0.0
    for base in range(0, phi.size, 2 * m):
        for i in range(base, base + m):
            p0 = phi[i]
            p1 = phi[i + m]
            l0 = lam[i]
            l1 = lam[i + m]
            acc += (l1.real * p0.real + l1.imag * p0.imag) - (l0.real * p1.real + l0.imag * p1.imag)
            phi[i] = c * p0 + s * p1
            phi[i + m] = c * p1 - s * p0
            lam[i] = c * l0 + s * l1
            lam[i + m] = c * l1 - s * l0
    return acc


@_jit
def _rz_adjoint(phi, lam, m, c, s):  # Im(λ0* φ0 − λ1* φ1); U† = diag(c + i s, c − i s)
    lo = complex(c, s)
    hi = complex(c, -s)
    acc = 0.0
    for base in range(0, phi.size, 2 * m):
        for i in range(base, base + m):
            p0 = phi[i]
            p1 = phi[i + m]
            l0 = lam[i]
            l1 = lam[i + m]
            acc += (l0.real * p0.imag - l0.imag * p0.real) - (l1.real * p1.imag - l1.imag * p1.real)
            phi[i] = p0 * lo
            phi[i + m] = p1 * hi
            lam[i] = l0 * lo
            lam[i + m] = l1 * hi
    return acc


# -- multi-qubit Pauli rotations ---------------------------------------------------------------
@_jit
def _pivot(xm):
    bit = 0
    while not (xm >> bit) & 1:
        bit += 1
    return bit


@_jit
def _rotp(psi, xm, zm, iy, c, s):
    """``psi ← (c − i s P) psi``, ``(P ψ)(k) = i^{n_Y} (−1)^{|(k⊕x)∧z|} ψ(k ⊕ x)``."""
    n_amp = psi.size
    if xm == 0:
        for k in range(n_amp):
            sign = 1.0 - 2.0 * _parity(k & zm)
            psi[k] *= complex(c, -s * sign)
        return
    p = _pivot(xm)
    low = (1 << p) - 1
    v = complex(0.0, -s) * iy  # −i s i^{n_Y}
    for t in range(n_amp >> 1):
        k = ((t >> p) << (p + 1)) | (t & low)
        k2 = k ^ xm
        a = psi[k]
        b = psi[k2]
        ph_k = v * (1.0 - 2.0 * _parity(k2 & zm))
        ph_k2 = v * (1.0 - 2.0 * _parity(k & zm))
        psi[k] = c * a + ph_k * b
        psi[k2] = c * b + ph_k2 * a


@_jit
def _rotp_adjoint(phi, lam, xm, zm, iy, c, s):
    """As :func:`_rot1_adjoint` for a multi-qubit Pauli word given by its masks."""
    n_amp = phi.size
    acc = 0.0
    if xm == 0:
        for k in range(n_amp):
            sign = 1.0 - 2.0 * _parity(k & zm)
            p0 = phi[k]
            l0 = lam[k]
            acc += sign * (l0.real * p0.imag - l0.imag * p0.real)
            u = complex(c, s * sign)
            phi[k] = p0 * u
            lam[k] = l0 * u
        return acc
    p = _pivot(xm)
    low = (1 << p) - 1
    for t in range(n_amp >> 1):
        k = ((t >> p) << (p + 1)) | (t & low)
        k2 = k ^ xm
        g_k = iy * (1.0 - 2.0 * _parity(k2 & zm))  # (Pψ)(k) = g_k ψ(k2)
        g_k2 = iy * (1.0 - 2.0 * _parity(k & zm))
        p0 = phi[k]
        p1 = phi[k2]
        l0 = lam[k]
        l1 = lam[k2]
        acc += (l0.conjugate() * g_k * p1 + l1.conjugate() * g_k2 * p0).imag
        w_k = complex(0.0, s) * g_k  # U† = c + i s P
        w_k2 = complex(0.0, s) * g_k2
        phi[k] = c * p0 + w_k * p1
        phi[k2] = c * p1 + w_k2 * p0
        lam[k] = c * l0 + w_k * l1
        lam[k2] = c * l1 + w_k2 * l0
    return acc


# -- fixed gates -------------------------------------------------------------------------------
@_jit
def _offsets(bits, k):
    """Basis offsets of the ``2^k`` sub-indices (first listed wire = most significant)."""
    d = 1 << k
    out = np.zeros(d, dtype=np.int64)
    for j in range(d):
        o = 0
        for r in range(k):
            if (j >> (k - 1 - r)) & 1:
                o |= 1 << bits[r]
        out[j] = o
    return out


@_jit
def _apply_mat(psi, mat, bits, k, dagger):
    """``psi ← U psi`` (``U†`` when ``dagger``) for a ``2^k × 2^k`` matrix on ``bits``."""
    d = 1 << k
    off = _offsets(bits, k)
    srt = np.sort(bits[:k])
    buf = np.empty(d, dtype=np.complex128)
    for t in range(psi.size >> k):
        base = t
        for r in range(k):  # insert a zero bit at each (ascending) position
            q = srt[r]
            base = ((base >> q) << (q + 1)) | (base & ((1 << q) - 1))
        for j in range(d):
            buf[j] = psi[base + off[j]]
        for i in range(d):
            acc = 0j
            for j in range(d):
                if dagger:
                    acc += mat[j, i].conjugate() * buf[j]
                else:
                    acc += mat[i, j] * buf[j]
            psi[base + off[i]] = acc


TILE_BITS = 12
"""Consecutive gates that act inside blocks of ``2^TILE_BITS`` amplitudes (their qubits' bits
are below it; diagonals always) run block by block, so the block stays in cache across them
(64 KiB per state, two states for the adjoint pass). Chosen by measurement
(``benchmarks/gradient_variance.py --tile-bits``)."""


@_jit
def _angles(s, pidx, coef, offset, w, cs, sn):
    for g in range(pidx.shape[1]):
        a = offset[s, g]
        j = pidx[s, g]
        if j >= 0:
            a += coef[s, g] * w[j]
        cs[g] = np.cos(0.5 * a)
        sn[g] = np.sin(0.5 * a)


@_jit
def _gate(psi, start, s, g, prog, cs, sn):
    """Apply gate ``g`` of structure ``s`` to ``psi`` (the block of amplitudes at ``start``)."""
    kind, bits, nbits, xm, zm, ny, _, _, _, _, table, mats, diags = prog
    kd = kind[s, g]
    if kd == NOP:
        return
    if kd == ROTP:
        _rotp(psi, xm[s, g], zm[s, g], _I_POWERS[ny[s, g]], cs[g], sn[g])
    elif kd < ROTP:
        _rot1(psi, kd, bits[s, g, 0], cs[g], sn[g])
    elif kd == MAT:
        _apply_mat(psi, mats[table[s, g]], bits[s, g], nbits[s, g], False)
    else:
        d = diags[table[s, g]]
        for i in range(psi.size):
            psi[i] *= d[start + i]


@_jit
def _gate_adjoint(phi, lam, start, s, g, prog, cs, sn):
    """Undo gate ``g`` on both blocks; return ``Im⟨λ|P_g|φ⟩`` for a rotation (else 0)."""
    kind, bits, nbits, xm, zm, ny, _, _, _, _, table, mats, diags = prog
    kd = kind[s, g]
    if kd == NOP:
        return 0.0
    if kd == ROTP:
        return _rotp_adjoint(phi, lam, xm[s, g], zm[s, g], _I_POWERS[ny[s, g]], cs[g], sn[g])
    if kd < ROTP:
        return _rot1_adjoint(phi, lam, kd, bits[s, g, 0], cs[g], sn[g])
    if kd == MAT:
        m = mats[table[s, g]]
        _apply_mat(phi, m, bits[s, g], nbits[s, g], True)
        _apply_mat(lam, m, bits[s, g], nbits[s, g], True)
        return 0.0
    d = diags[table[s, g]]
    for i in range(phi.size):
        dc = d[start + i].conjugate()
        phi[i] *= dc
        lam[i] *= dc
    return 0.0


@_jit
def _run_end(top, s, g, limit, tb):
    """The end of the run of block-local gates starting at ``g`` (exclusive)."""
    e = g
    while e < limit and top[s, e] < tb:
        e += 1
    return e


# -- whole programs ----------------------------------------------------------------------------
@_jit
def _forward(psi, s, prog, cs, sn, tile_bits):
    kind, top = prog[0], prog[6]
    n_amp = psi.size
    tb = min(tile_bits, _log2(n_amp))
    size = 1 << tb
    n_gates = kind.shape[1]
    g = 0
    while g < n_gates:
        e = _run_end(top, s, g, n_gates, tb)
        if e == g:  # a gate on a high qubit: one pass over the whole state
            _gate(psi, 0, s, g, prog, cs, sn)
            g += 1
            continue
        for start in range(0, n_amp, size):
            block = psi[start : start + size]
            for h in range(g, e):
                _gate(block, start, s, h, prog, cs, sn)
        g = e


@_jit
def _backward(phi, lam, s, prog, cs, sn, tile_bits, grad):
    kind, top, pidx, coef = prog[0], prog[6], prog[7], prog[8]
    n_amp = phi.size
    tb = min(tile_bits, _log2(n_amp))
    size = 1 << tb
    g = kind.shape[1] - 1
    while g >= 0:
        e = g  # the run is [e, g]: walk back while gates stay block-local
        while e >= 0 and top[s, e] < tb:
            e -= 1
        if e == g:
            acc = _gate_adjoint(phi, lam, 0, s, g, prog, cs, sn)
            if pidx[s, g] >= 0:
                grad[pidx[s, g]] += coef[s, g] * acc
            g -= 1
            continue
        for start in range(0, n_amp, size):
            pb = phi[start : start + size]
            lb = lam[start : start + size]
            for h in range(g, e, -1):
                acc = _gate_adjoint(pb, lb, start, s, h, prog, cs, sn)
                if pidx[s, h] >= 0:
                    grad[pidx[s, h]] += coef[s, h] * acc
        g = e


@_jit
def _log2(x):
    k = 0
    while (1 << k) < x:
        k += 1
    return k


@_jit
def _expval(psi, lam, obs, obs_bits):
    lam[:] = psi
    _apply_mat(lam, obs, obs_bits, obs_bits.size, False)
    acc = 0.0
    for i in range(psi.size):
        acc += psi[i].real * lam[i].real + psi[i].imag * lam[i].imag
    return acc


@_jit
def _start(psi, s, w, prog, cs, sn, tile_bits):
    """``psi ← U_s(w)|0…0⟩``: the angles of structure ``s`` at weights ``w``, then the gates."""
    psi[:] = 0.0
    psi[0] = 1.0
    _angles(s, prog[7], prog[8], prog[9], w, cs, sn)
    _forward(psi, s, prog, cs, sn, tile_bits)


@_jit
def run_values(n, prog_of_draw, prog, weights, obs, obs_bits, tile_bits, out):
    """``out[b] = ⟨ψ_b|O|ψ_b⟩`` for every draw ``b``."""
    psi = np.empty(1 << n, dtype=np.complex128)
    lam = np.empty(1 << n, dtype=np.complex128)
    cs = np.empty(prog[0].shape[1])
    sn = np.empty(prog[0].shape[1])
    for b in range(weights.shape[0]):
        _start(psi, prog_of_draw[b], weights[b], prog, cs, sn, tile_bits)
        out[b] = _expval(psi, lam, obs, obs_bits)


@_jit
def run_visible(n, d_v, prog_of_draw, prog, weights, tile_bits, out):
    """``out[b] = Tr_h |ψ_b⟩⟨ψ_b|`` (visible wires first: the leading index bits)."""
    psi = np.empty(1 << n, dtype=np.complex128)
    cs = np.empty(prog[0].shape[1])
    sn = np.empty(prog[0].shape[1])
    d_h = (1 << n) // d_v
    for b in range(weights.shape[0]):
        _start(psi, prog_of_draw[b], weights[b], prog, cs, sn, tile_bits)
        for i in range(d_v):
            for j in range(i, d_v):
                acc = 0j
                for h in range(d_h):
                    acc += psi[i * d_h + h] * psi[j * d_h + h].conjugate()
                out[b, i, j] = acc
                out[b, j, i] = acc.conjugate()


@_jit
def run_gradients(n, prog_of_draw, prog, weights, obs, obs_bits, tile_bits, values, grads):
    """Values and ``∂⟨O⟩/∂w`` of every draw by the adjoint method (two states in memory)."""
    phi = np.empty(1 << n, dtype=np.complex128)
    lam = np.empty(1 << n, dtype=np.complex128)
    cs = np.empty(prog[0].shape[1])
    sn = np.empty(prog[0].shape[1])
    for b in range(weights.shape[0]):
        s = prog_of_draw[b]
        _start(phi, s, weights[b], prog, cs, sn, tile_bits)
        values[b] = _expval(phi, lam, obs, obs_bits)
        _backward(phi, lam, s, prog, cs, sn, tile_bits, grads[b])
