"""Pauli-path engine at the sizes hardware runs: the three scale bars of issue 13, one thread.

Each row walks in batches until its target precision is reached (or its time budget is spent)
and reports the walks, the wall time (the circuit reading included: users pay it) and the
estimate with its standard error.

1. ``area_law`` with n_v = 1, n_h = 999: the mean Var[∂_k f] of the visible-wire parameters to
   ±5 % relative standard error (budget 60 s);
2. ``hardware_efficient`` at n = 100, L = 10: every Var[∂_k f] ≥ 1e-3 to ±10 % (budget 300 s);
3. the visible purity of ``hardware_efficient`` (L = 4) for n_h = 0 … 500 (budget 600 s).

Run: ``OMP_NUM_THREADS=1 python benchmarks/pauli_paths.py [--only 1,2,3]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import plateau_pl as pp
from plateau_pl.engines.pauli import PauliPathEngine

BATCH = 4000


def _visible_mean(n_h: int, budget: float) -> None:
    start = time.perf_counter()
    qnn = pp.QNN(pp.WireLayout(1, n_h), "area_law", device="default.qubit", seed=0)
    eng = PauliPathEngine(qnn)
    visible = np.array([all(w < 1 for w in ws) for ws in eng.circuit.param_wires])
    chunks, seed = [], 0
    while True:
        m = eng.gradient_moments(BATCH, seed=seed, keep_walks=True)
        chunks.append(m.walk_means[:, visible].mean(axis=1))
        seed += 1
        y = np.concatenate(chunks)
        mean, se = y.mean(), y.std(ddof=1) / np.sqrt(len(y))
        wall = time.perf_counter() - start
        if se / mean <= 0.05 or wall > budget:
            break
    ok = "reached" if se / mean <= 0.05 and wall <= budget else "NOT reached"
    print(
        f"1. area_law n=1+{n_h}: {qnn.n_params} params ({visible.sum()} on the visible wire), "
        f"{len(y)} walks, {wall:.1f} s: mean visible Var = {mean:.4g} ± {se:.2g} "
        f"({100 * se / mean:.1f} %) — bar ±5 % in 60 s {ok}"
    )


def _every_parameter(n: int, n_layers: int, budget: float) -> None:
    start = time.perf_counter()
    qnn = pp.QNN(
        pp.WireLayout(1, n - 1), "hardware_efficient", n_layers, device="default.qubit", seed=0
    )
    eng = PauliPathEngine(qnn)
    sums = np.zeros(qnn.n_params)
    sq = np.zeros(qnn.n_params)
    walks, seed = 0, 0
    while True:
        m = eng.gradient_moments(BATCH, seed=seed, keep_walks=True)
        sums += m.walk_means.sum(axis=0)
        sq += (m.walk_means**2).sum(axis=0)
        walks += BATCH
        seed += 1
        mean = sums / walks
        se = np.sqrt(np.maximum(sq / walks - mean**2, 0) / (walks - 1))
        big = mean >= 1e-3
        worst = (se[big] / mean[big]).max() if big.any() else np.inf
        wall = time.perf_counter() - start
        if worst <= 0.10 or wall > budget:
            break
    ok = "reached" if worst <= 0.10 and wall <= budget else "NOT reached"
    print(
        f"2. hardware_efficient n={n}, L={n_layers}: {qnn.n_params} params, {big.sum()} with "
        f"Var ≥ 1e-3, {walks} walks, {wall:.1f} s: worst relative SE {100 * worst:.1f} % "
        f"(largest Var {mean.max():.3g}) — bar ±10 % in 300 s {ok}"
    )


def _purity_curve(n_hidden, n_layers: int, walks: int, budget: float) -> None:
    start = time.perf_counter()
    print(f"3. visible purity of hardware_efficient (L={n_layers}), {walks} walks per Pauli:")
    print("   n_h   E[Tr ρ_v²]   ± SE       Haar (D_v+D_h)/(D_v D_h+1)   s")
    for n_h in n_hidden:
        t = time.perf_counter()
        qnn = pp.QNN(
            pp.WireLayout(1, n_h), "hardware_efficient", n_layers, device="default.qubit", seed=0
        )
        pur, err = PauliPathEngine(qnn).visible_purity(walks, seed=n_h)
        d_h = 2.0**n_h
        haar = (2 + d_h) / (2 * d_h + 1)
        print(
            f"   {n_h:4d}  {pur:.5f}     {err:.1e}    {haar:.5f}"
            f"                     {time.perf_counter() - t:6.1f}"
        )
    wall = time.perf_counter() - start
    ok = "reached" if wall <= budget else "NOT reached"
    print(f"   total {wall:.1f} s — bar 10 minutes {ok}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="1,2,3", help="which bars to run, e.g. 1,3")
    which = set(parser.parse_args().only.split(","))
    if "1" in which:
        _visible_mean(999, 60.0)
    if "2" in which:
        _every_parameter(100, 10, 300.0)
    if "3" in which:
        _purity_curve([0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 500], 4, 4000, 600.0)


if __name__ == "__main__":
    main()
