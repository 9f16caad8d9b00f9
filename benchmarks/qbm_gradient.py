"""Benchmark: the full gradient of a QBM loss — exact Gibbs op vs matrix_exp autograd vs finite
differences.

For n = n_visible + n_hidden qubits (n_visible = 1, the paper's random 2-local Hamiltonian with
m = 3n + 9n(n-1)/2 parameters, β = 1) the loss is ⟨Z_0⟩ on the visible qubit
(``--loss expval``) or the relative entropy to a random visible target (``--loss relent``).
Methods, all in one process, float64/complex128, one thread:

* ``forward``: one evaluation of the loss (no gradient) with plateau_pl's Gibbs op;
* ``exact``: plateau_pl's loss + backward (eigh forward, Daleckii–Krein backward);
* ``matrix_exp``: ρ = matrix_exp(−H)/Tr, autograd through ``torch.linalg.matrix_exp``;
* ``finite diff``: central differences, 2m forward evaluations. Above ``--fd-max-params``
  parameters only ``--fd-sample`` of them are timed and the time is scaled to all m
  (marked ``*`` in the table).

The table prints seconds (best of ``--repeat``), the exact gradient's cost in forward evaluations,
its speed-up over the other two methods, and the largest relative deviation of their gradients
from the exact one.

Run: ``OMP_NUM_THREADS=1 python benchmarks/qbm_gradient.py [--n 4 5 6 7 8 9 10]``
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import torch

import plateau_pl as pp
from plateau_pl.hamiltonians import random_two_local
from plateau_pl.models.qbm import trace_hidden

torch.set_num_threads(1)


def _best(fn, repeat):
    best = np.inf
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _loss_factory(qbm, kind, rng):
    d_v = qbm.layout.dim_visible
    if kind == "expval":
        z = torch.diag(
            torch.tensor([1.0] * (d_v // 2) + [-1.0] * (d_v // 2), dtype=torch.complex128)
        )

        def from_rho_v(rho_v):
            return torch.einsum("ij,ji->", z, rho_v).real

        return from_rho_v
    a = rng.normal(size=(d_v, d_v)) + 1j * rng.normal(size=(d_v, d_v))
    sigma = torch.as_tensor(a @ a.conj().T)
    sigma = sigma / torch.trace(sigma)

    def from_rho_v(rho_v):
        return pp.relative_entropy(sigma, rho_v)

    return from_rho_v


def bench_size(n, kind, repeat, fd_max_params, fd_sample, seed=0):
    layout = pp.WireLayout(1, n - 1)
    qbm = pp.QBM(layout, random_two_local(layout, seed=seed))
    loss_of = _loss_factory(qbm, kind, np.random.default_rng(seed))
    d_v, d_h = layout.dim_visible, layout.dim_hidden
    theta0 = qbm.theta.detach().clone()
    m = theta0.numel()

    def forward(theta=theta0):
        with torch.no_grad():
            return loss_of(qbm(theta))

    def exact():
        theta = theta0.clone().requires_grad_(True)
        loss_of(qbm(theta)).backward()
        return theta.grad

    def matrix_exp():
        theta = theta0.clone().requires_grad_(True)
        e = torch.linalg.matrix_exp(-qbm.hamiltonian_matrix(theta))
        rho = e / torch.einsum("...ii->...", e)
        loss_of(trace_hidden(rho, d_v, d_h)).backward()
        return theta.grad

    def finite_diff(params):
        h = 1e-5
        grad = torch.zeros(m, dtype=torch.float64)
        for j in params:
            e = torch.zeros(m, dtype=torch.float64)
            e[j] = h
            grad[j] = (forward(theta0 + e) - forward(theta0 - e)) / (2 * h)
        return grad

    t_fwd, _ = _best(forward, repeat)
    t_exact, g_exact = _best(exact, repeat)
    t_mexp, g_mexp = _best(matrix_exp, repeat)
    if m <= fd_max_params:
        params = np.arange(m)
        t_fd, g_fd = _best(lambda: finite_diff(params), 1)
        fd_est = False
    else:
        params = np.random.default_rng(seed).choice(m, size=fd_sample, replace=False)
        t_part, g_fd = _best(lambda: finite_diff(params), 1)
        t_fd, fd_est = t_part * m / fd_sample, True
    scale = g_exact.abs().max().item()
    dev_mexp = (g_mexp - g_exact).abs().max().item() / scale
    dev_fd = (g_fd[params] - g_exact[params]).abs().max().item() / scale
    return {
        "n": n,
        "m": m,
        "forward": t_fwd,
        "exact": t_exact,
        "matrix_exp": t_mexp,
        "finite_diff": t_fd,
        "fd_estimated": fd_est,
        "dev_matrix_exp": dev_mexp,
        "dev_fd": dev_fd,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[4, 5, 6, 7, 8, 9, 10])
    parser.add_argument("--loss", choices=["expval", "relent"], default="expval")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fd-max-params", type=int, default=120)
    parser.add_argument("--fd-sample", type=int, default=8)
    args = parser.parse_args(argv)
    print(
        f"QBM gradient benchmark: loss={args.loss}, n_visible=1, random_two_local, "
        f"torch {torch.__version__}, threads={torch.get_num_threads()}"
    )
    head = (
        f"{'n':>3} {'m':>4} {'forward s':>10} {'exact s':>9} {'exact/fwd':>9} "
        f"{'matrix_exp s':>12} {'speed-up':>8} {'finite diff s':>13} {'speed-up':>9} "
        f"{'m/1.5':>6} {'dev mexp':>9} {'dev fd':>9}"
    )
    print(head)
    print("-" * len(head))
    for n in args.n:
        r = bench_size(n, args.loss, args.repeat, args.fd_max_params, args.fd_sample)
        star = "*" if r["fd_estimated"] else " "
        print(
            f"{r['n']:>3} {r['m']:>4} {r['forward']:>10.4f} {r['exact']:>9.4f} "
            f"{r['exact'] / r['forward']:>9.2f} {r['matrix_exp']:>12.4f} "
            f"{r['matrix_exp'] / r['exact']:>7.1f}x {r['finite_diff']:>12.3f}{star} "
            f"{r['finite_diff'] / r['exact']:>8.0f}x {r['m'] / 1.5:>6.0f} "
            f"{r['dev_matrix_exp']:>9.1e} {r['dev_fd']:>9.1e}",
            flush=True,
        )
    print("* finite differences timed on a sample of parameters and scaled to all m")


if __name__ == "__main__":
    main()
