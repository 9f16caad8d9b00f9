r"""
Swapping devices: the same diagnostics on four simulation paths
===============================================================

.. meta::
    :property="og:description": Run one QNN's gradient diagnostics on default.qubit (backprop),
        lightning.qubit (adjoint), parameter-shift with shots and plateau_pl's statevector engine;
        check that they agree, time them side by side, and pick one.

*Author: plateau_pl developers. Runs in about two minutes (quick mode: seconds).*

A plateau_pl QNN is a set of PennyLane QNodes, so the device is one argument:
``pp.QNN(layout, device="lightning.qubit")``. Barren-plateau diagnostics evaluate the same
circuit at hundreds of random parameter draws, and the best simulation path depends on the
size: this demo runs the same ``random_two_local`` QNN and the same
``pp.gradient_variance`` on

* ``default.qubit`` with backprop (draws broadcast through one tape per chunk),
* ``lightning.qubit`` with the adjoint method (one QNode call per draw),
* ``lightning.qubit`` with ``shots`` — parameter-shift, what hardware would need,
* plateau_pl's statevector engine (``engine="statevector"``: all draws in one call of compiled
  kernels, gradients by the adjoint method),

and shows (1) that they agree — to rounding errors analytically, within the shot noise with
shots — (2) what they cost, measured side by side in one run, and (3) how to pick.

Set ``PLATEAU_PL_QUICK=1`` for a smaller run (the test suite does). The full run writes its
figure to ``docs/figures/demo_device_swap.png``; the quick run writes ``demo_device_swap.png``
to the current folder. Timings depend on the machine and on what else runs on it; run with
``OMP_NUM_THREADS=1`` to compare paths on equal terms.
"""

# %%
# Set-up: sizes, seeds and the four paths
# ---------------------------------------
# A path is a device, its keyword arguments and the diagnostics engine. ``engine="device"``
# makes ``gradient_variance`` use the QNN's own PennyLane device and differentiation method;
# ``engine="statevector"`` uses plateau_pl's engine (``"auto"``, the default, picks it whenever the
# QNN is analytic). The structure seed is the same for every path, so every path sees the same
# circuit and, through the ensemble seed, the same weight draws.
import os
import time
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

import plateau_pl as pp
from plateau_pl.diagnostics.ensembles import qnn_gradients
from plateau_pl.engines import select_engine
from plateau_pl.experiments.bench import bench_table, device_bench
from plateau_pl.plotting import plot_decay, save_figure

QUICK = os.environ.get("PLATEAU_PL_QUICK") == "1"
STRUCTURE_SEED, ENSEMBLE_SEED = 5, 0
SHOTS = 1000
TIMING_HIDDEN = (1, 2) if QUICK else tuple(range(1, 10))  # n = 2 .. 10 qubits in full mode
SHOTS_HIDDEN = (1,) if QUICK else (1, 2, 3)  # parameter-shift costs 2·P circuits per draw
N_TIMED = 4 if QUICK else 50
N_SHOT_TIMED = 2 if QUICK else 3
N_AGREE = 8 if QUICK else 50
N_SHOT_AGREE = 4 if QUICK else 40
FIGURE = (
    Path.cwd() / "demo_device_swap.png"
    if QUICK
    else Path(__file__).resolve().parents[1] / "docs" / "figures" / "demo_device_swap.png"
)

PATHS = {
    "default.qubit, backprop": ("default.qubit", {}, "device"),
    "lightning.qubit, adjoint": ("lightning.qubit", {}, "device"),
    "statevector engine": ("default.qubit", {}, "statevector"),
    f"lightning.qubit, shots={SHOTS}": ("lightning.qubit", {"shots": SHOTS}, "device"),
}
REFERENCE = "default.qubit, backprop"
ANALYTIC = [p for p in PATHS if "shots" not in p]


def make_qnn(path: str, n_hidden: int) -> pp.QNN:
    """The demo's QNN (1 visible qubit, ``n_hidden`` hidden) on ``path``'s device."""
    device, kwargs, _ = PATHS[path]
    layout = pp.WireLayout(n_visible=1, n_hidden=n_hidden)
    return pp.QNN(layout, "random_two_local", device=device, seed=STRUCTURE_SEED, **kwargs)


# %%
# 1. The analytic paths agree to rounding errors
# ----------------------------------------------
# Three hidden qubits, ``N_AGREE`` draws: the raw gradients (``qnn_gradients`` is what
# ``gradient_variance`` averages) of every analytic path agree with the reference to about
# :math:`10^{-14}`, and so do the statistics ``pp.gradient_variance`` returns.

grads, stats, methods = {}, {}, {}
for path in ANALYTIC:
    qnn = make_qnn(path, n_hidden=3)
    engine = PATHS[path][2]
    methods[path] = "adjoint (kernels)" if engine == "statevector" else qnn.diff_method
    grads[path], _ = qnn_gradients(qnn, N_AGREE, ENSEMBLE_SEED, engine=engine)
    stats[path] = pp.gradient_variance(qnn, N_AGREE, ENSEMBLE_SEED, engine=engine)
print(f"4 qubits, {qnn.n_params} parameters, {N_AGREE} draws; reference: {REFERENCE}")
for path in ANALYTIC:
    dev = np.abs(grads[path] - grads[REFERENCE]).max()
    print(
        f"  {path:<26} method {methods[path]:<16} max |Δ gradient| {dev:.1e}"
        f"   gradient variance {stats[path].variance:.10f}"
    )
assert max(np.abs(grads[p] - grads[REFERENCE]).max() for p in ANALYTIC) < 1e-10

# %%
# 2. Shots agree within the shot noise
# ------------------------------------
# With ``shots`` the QNN differentiates by the parameter-shift rule. For the model's gates
# :math:`e^{-i\theta P}` the rule is exact with shifts :math:`\pm\pi/4`:
# :math:`\partial_k f = f(\theta + \tfrac{\pi}{4}e_k) - f(\theta - \tfrac{\pi}{4}e_k)`, and each
# term is a mean of ``SHOTS`` :math:`\pm1` outcomes, so the estimate's standard deviation is
# :math:`\sigma_k = \sqrt{(1-f_+^2 + 1-f_-^2)/S}`. We compute :math:`f_\pm` and the exact
# gradient analytically (statevector engine) and look at :math:`z = (\hat g_k - g_k)/\sigma_k`:
# its mean should be 0 and its root mean square 1, within their standard errors.

qnn_shots = make_qnn(f"lightning.qubit, shots={SHOTS}", n_hidden=1)
qnn_exact = make_qnn("statevector engine", n_hidden=1)
g_shots, weights = qnn_gradients(qnn_shots, N_SHOT_AGREE, ENSEMBLE_SEED)
g_exact, weights_exact = qnn_gradients(qnn_exact, N_SHOT_AGREE, ENSEMBLE_SEED)
assert np.array_equal(weights, weights_exact)  # the same draws on both paths

sim = select_engine(qnn_exact)
flat = weights.reshape(N_SHOT_AGREE, -1)
n_par = flat.shape[1]
shifted = flat[:, None, :] + np.pi / 4 * np.eye(n_par)[None]  # (draw, k, params)
f_plus = sim.values(shifted.reshape(-1, *qnn_exact.weight_shape)).reshape(N_SHOT_AGREE, n_par)
shifted = flat[:, None, :] - np.pi / 4 * np.eye(n_par)[None]
f_minus = sim.values(shifted.reshape(-1, *qnn_exact.weight_shape)).reshape(N_SHOT_AGREE, n_par)
g_exact = g_exact.reshape(N_SHOT_AGREE, n_par)
shift_rule_error = np.abs(f_plus - f_minus - g_exact).max()
sigma = np.sqrt((2 - f_plus**2 - f_minus**2) / SHOTS)
z = (g_shots.reshape(N_SHOT_AGREE, n_par) - g_exact) / sigma
m = z.size
print(
    f"parameter-shift with {SHOTS} shots, {N_SHOT_AGREE} draws × {n_par} parameters "
    f"(shift rule vs exact gradient: {shift_rule_error:.1e})"
)
print(
    f"  mean z = {z.mean():+.3f} ± {1 / np.sqrt(m):.3f} (expected 0), "
    f"rms z = {np.sqrt(np.mean(z**2)):.3f} ± {1 / np.sqrt(2 * m):.3f} (expected 1), "
    f"max |z| = {np.abs(z).max():.2f}"
)

# %%
# 3. What each path costs, measured side by side
# ----------------------------------------------
# For each size every path builds its QNN, runs one small warm-up (compilation, first-call
# caches), then ``pp.gradient_variance`` over ``N_TIMED`` draws (``N_SHOT_TIMED`` with shots) is
# timed. The table gives milliseconds per draw and the ratio to the reference path (> 1: slower
# than ``default.qubit`` backprop); the last column compares each analytic path's per-parameter
# variances with the reference's (0 up to rounding errors). All paths run in this one process,
# one after the other, so they see the same machine.

timing = []
for n_h in TIMING_HIDDEN:
    ref_stats = None
    for path, (_, _, engine) in PATHS.items():
        shots = "shots" in path
        if shots and n_h not in SHOTS_HIDDEN:
            continue
        qnn = make_qnn(path, n_h)
        n_draws = N_SHOT_TIMED if shots else N_TIMED
        pp.gradient_variance(qnn, 2, seed=1, engine=engine)  # warm-up
        start = time.perf_counter()
        result = pp.gradient_variance(qnn, n_draws, ENSEMBLE_SEED, engine=engine)
        wall = time.perf_counter() - start
        ref_stats = result if path == REFERENCE else ref_stats
        deviation = None
        if not shots:
            deviation = float(np.abs(result.per_parameter - ref_stats.per_parameter).max())
        timing.append(
            {
                "path": path,
                "method": qnn.diff_method,
                "n_visible": 1,
                "n_hidden": n_h,
                "n_params": qnn.n_params,
                "draws": n_draws,
                "ms_per_draw": 1e3 * wall / n_draws,
                "deviation": deviation,
            }
        )

ref_ms = {r["n_hidden"]: r["ms_per_draw"] for r in timing if r["path"] == REFERENCE}
print(" n  params  path                         method           ms/draw   × ref   max |Δ var|")
for r in timing:
    n = 1 + r["n_hidden"]
    dev = "  (shots)" if r["deviation"] is None else f"{r['deviation']:9.1e}"
    ratio = r["ms_per_draw"] / ref_ms[r["n_hidden"]]
    print(
        f"{n:2d}  {r['n_params']:6d}  {r['path']:<28} {r['method']:<15} "
        f"{r['ms_per_draw']:9.2f}  {ratio:6.2f}  {dev}"
    )

# %%
# The benchmark as one call
# -------------------------
# ``plateau_pl.experiments.bench.device_bench`` (the ``plateau-pl bench`` command) runs the
# same comparison for a list of devices plus the statevector engine and reports devices that are
# not installed instead of failing — here ``lightning.kokkos`` may be one of them.

rows = device_bench(
    ["default.qubit", "lightning.qubit", "lightning.kokkos"], n_hidden=2, n_samples=N_AGREE
)
print(bench_table(rows))

# %%
# 4. How to pick
# --------------
# * **Diagnostics on a simulator** (gradient variance, visible states, Lipschitz ratios over
#   many draws): leave ``engine="auto"``. It runs the statevector engine, which does not depend on
#   the QNN's device; where this demo was written (2 shared cores, one thread) it was the
#   fastest path at every size, 2–5× faster than ``default.qubit`` backprop. The line printed
#   below says which path was fastest in your run.
# * **One circuit at a time** (training, a single gradient, large n): ``lightning.qubit`` with
#   adjoint keeps one state vector in memory, while backprop stores every intermediate state.
#   Called once per draw it pays PennyLane's per-call overhead, so at these sizes it was the
#   slowest analytic path, but the gap closes as n grows (about ×15 at n = 2, ×2 at n = 10
#   here). ``default.qubit`` backprop is convenient for small circuits and torch models.
# * **Shots or hardware**: parameter-shift needs :math:`2P` circuits of ``shots`` samples per
#   gradient (:math:`P` = number of parameters), so its cost grows as :math:`P\cdot 2^n\cdot S`;
#   use it to check a result at small n, with the shot noise computed as above, not for sweeps.
#   Estimating a variance of order :math:`2/(D_vD_h)` with shots needs
#   :math:`S \gtrsim D_vD_h` shots per circuit — the plateau itself makes sampling expensive.

fastest = {}
for r in timing:
    if r["n_hidden"] not in fastest or r["ms_per_draw"] < fastest[r["n_hidden"]]["ms_per_draw"]:
        fastest[r["n_hidden"]] = r
print(
    "fastest path per size: " + ", ".join(f"n={1 + n_h}: {r['path']}" for n_h, r in fastest.items())
)

# %%
# The costs in a figure
# ---------------------
# Milliseconds per draw against the number of qubits, log scale, one line per path. The
# parameter-shift line sits orders of magnitude above the analytic ones and climbs faster: it
# pays for :math:`2P` circuits per draw.

fig = Figure(figsize=(7.5, 5.0), layout="constrained")
ax = fig.add_subplot()
plot_decay(
    timing,
    "ms_per_draw",
    x="n_qubits",
    series=("path",),
    fit=False,
    ax=ax,
    title="gradient_variance: time per draw",
)
ax.set_ylabel("milliseconds per draw (gradient of all parameters)")
print(f"figure: {save_figure(fig, FIGURE)[0]}")

# %%
# References
# ----------
# 1. C. Ortiz Marrero, M. Kieferová, N. Wiebe, "Entanglement-induced barren plateaus",
#    PRX Quantum 2, 040316 (2021), arXiv:2010.15968.
# 2. J. R. McClean et al., "Barren plateaus in quantum neural network training landscapes",
#    Nat. Commun. 9, 4812 (2018).
# 3. M. Cerezo et al., "Cost function dependent barren plateaus in shallow parametrized quantum
#    circuits", Nat. Commun. 12, 1791 (2021).
# 4. T. Jones, J. Gacon, "Efficient calculation of gradients in classical simulations of
#    variational quantum algorithms", arXiv:2009.02823 (2020) — the adjoint method.
