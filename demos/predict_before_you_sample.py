r"""
Predict before you sample: Lie algebras, shot budgets, noise and where the plateau sits
======================================================================================

.. meta::
    :property="og:description": Predict a circuit's loss variance from its dynamical Lie
        algebra in a fraction of a second, turn measured gradients into shot budgets, compare
        noise-induced with entanglement-induced plateaus, and map the plateau gate by gate.

*Author: plateau_pl developers. Quick mode runs in seconds; full mode in a few minutes.*

Before spending hours sampling, or any hardware time, a researcher wants four answers:

1. **Will it plateau?** For deep circuits the loss variance follows from the circuit's
   *dynamical Lie algebra* :math:`\mathfrak g` (Ragone et al. 2024; Fontana et al. 2024):
   :math:`\mathrm{Var}\,\ell = \sum_j P_{\mathfrak g_j}(\rho) P_{\mathfrak g_j}(O)/\dim
   \mathfrak g_j`, a sum over the simple ideals of :math:`\mathfrak g`.
2. **How many shots?** A parameter-shift gradient component of variance
   :math:`\mathrm{Var}\,\partial f` needs :math:`N = 2g^2\,\mathrm{snr}^2/\mathrm{Var}\,\partial f`
   shots per circuit to reach a signal-to-noise ratio.
3. **What does noise add?** Local unital noise after every layer makes gradients vanish with
   depth (Wang et al. 2021), on top of the entanglement-induced plateau.
4. **Where does it sit?** The gradient variance per layer and qubit, and the visible qubits'
   entanglement entropy against depth, next to Page's value.

Set ``PLATEAU_PL_QUICK=1`` for the small run the test suite does.
"""

# %%
# Set-up
# ------
import os
import pathlib
import tempfile
import time

import numpy as np
import pennylane as qml
from matplotlib.figure import Figure

import plateau_pl as pp
from plateau_pl.budget import format_shot_budget, shot_budget
from plateau_pl.circuits import CustomAnsatz
from plateau_pl.diagnostics import sample_variance
from plateau_pl.diagnostics.landscape import entropy_profile, gradient_map
from plateau_pl.experiments import run_sweep
from plateau_pl.lie import predict_variance
from plateau_pl.models.noisy import NoiseModel, NoisyQNN
from plateau_pl.plotting import figure_noise, figure_shot_budget, save_figure
from plateau_pl.plotting.maps import figure_entropy_profile, figure_gradient_map

QUICK = os.environ.get("PLATEAU_PL_QUICK") == "1"
N_DRAWS = 200 if QUICK else 2000
FIGURE = pathlib.Path(__file__).resolve().parents[1] / "docs" / "figures" / "demo_predict.png"
work = pathlib.Path(tempfile.mkdtemp())

# %%
# 1. The Lie-algebraic prediction, beside sampling
# ------------------------------------------------
# Two circuits whose algebras differ. The transverse-field-Ising circuit (``RX`` on every qubit,
# ``IsingZZ`` on neighbours) generates :math:`\mathfrak{so}(2n)`, of dimension
# :math:`n(2n-1)` — polynomial, so its variance does *not* vanish exponentially; we measure
# :math:`X_0`, which lies in the algebra. The hardware-efficient circuit generates all of
# :math:`\mathfrak{su}(2^n)` (detected without enumerating its :math:`4^n-1` elements) and
# follows the Haar value.
n = 4


def tfim(w, wires):
    for layer in range(w.shape[-2]):
        for q in range(n):
            qml.RX(w[..., layer, q], wires=wires[q])
        for q in range(n - 1):
            qml.IsingZZ(w[..., layer, n + q], wires=[wires[q], wires[q + 1]])


layout = pp.WireLayout(1, n - 1)
depth = 12 if QUICK else 40
models = {
    "TFIM circuit, O = X0": pp.QNN(
        layout,
        CustomAnsatz(tfim, (depth, 2 * n - 1), layout),
        observable=qml.X(0),
        device="default.qubit",
        seed=0,
    ),
    "hardware_efficient, O = Z0": pp.QNN(
        layout, "hardware_efficient", n_layers=depth, device="default.qubit", seed=0
    ),
}
print(f"{'circuit':<28} {'dim g':>6}  {'predicted':>10}  {'sampled':>18}  {'predict s':>9}")
for name, qnn in models.items():
    start = time.perf_counter()
    pred = predict_variance(qnn)
    wall = time.perf_counter() - start
    s = sample_variance(qnn, N_DRAWS, seed=1)
    print(
        f"{name:<28} {pred.dim:>6}  {pred.variance:>10.5f}  "
        f"{s['variance']:.5f} ± {s['variance_stderr']:.5f}  {wall:>9.3f}"
    )
print(f"(the prediction is for deep circuits; these have {depth} layers)")

# %%
# 2. Shot budgets from measured gradients
# ---------------------------------------
# A ``qnn-gradient`` sweep of the paper's model measures the gradient variance at each size;
# ``plateau_pl.budget`` turns it into the shots per circuit a device needs to resolve a typical
# gradient component at SNR 2. Under the plateau the budget doubles with every hidden qubit.
grad = work / "grad.jsonl"
hidden = range(0, 4) if QUICK else range(0, 9)
run_sweep(
    "qnn-gradient",
    {"n_hidden": list(hidden), "n_samples": [100 if QUICK else 400]},
    grad,
    seed=0,
    progress=False,
)
grad_records = pp.load_records(grad)
print(format_shot_budget(shot_budget(grad_records, snr=2.0)))

# %%
# 3. Noise-induced plateaus beside entanglement-induced ones
# ----------------------------------------------------------
# ``NoisyQNN`` runs on ``default.mixed`` with a channel on every wire after each layer.
# PennyLane's ``DepolarizingChannel(p)`` multiplies every single-qubit Pauli expectation by
# :math:`1 - 4p/3`; with single-qubit layers, :math:`\langle Z\rangle` shrinks by exactly
# :math:`(1-4p/3)^L` — checked here against the noiseless QNN.
p = 0.05
noisy = NoisyQNN(
    pp.WireLayout(1, 0),
    "hardware_efficient",
    n_layers=4,
    noise=NoiseModel("depolarizing", p),
    seed=0,
)
clean = pp.QNN(
    pp.WireLayout(1, 0), "hardware_efficient", n_layers=4, device="default.qubit", seed=0
)
w = clean.init_weights(seed=3)
ratio = float(noisy(w)) / float(clean(w))
print(f"<Z> noisy / noiseless = {ratio:.12f}; (1 - 4p/3)^L = {(1 - 4 * p / 3) ** 4:.12f}")

# A sweep over depth: depolarising noise makes the variance fall exponentially in L (a straight
# line on the log plot); amplitude damping (non-unital) drives the state towards |0><0| instead.
noise_out = work / "noise.jsonl"
layers = [1, 2, 3] if QUICK else [1, 2, 3, 4, 6, 8]
for channel, strengths in [("depolarizing", [0.0, 0.1]), ("amplitude_damping", [0.1])]:
    grid = {
        "n_hidden": [1],
        "n_layers": layers,
        "channel": [channel],
        "p": strengths,
        "n_samples": [30 if QUICK else 200],
    }
    run_sweep("noise", grid, noise_out, seed=0, progress=False)
for r in sorted(
    pp.load_records(noise_out), key=lambda r: (r["noise_channel"], r["noise_p"], r["n_layers"])
):
    print(
        f"{r['noise_channel']:>18} p={r['noise_p']:<4} L={r['n_layers']}  grad var "
        f"{r['grad_variance']:.3e} ± {r['grad_variance_stderr']:.1e}   trace distance "
        f"{r['trace_distance']:.3f}"
    )

# %%
# 4. Where the plateau sits
# -------------------------
# The per-parameter gradient variance by layer and qubit of a hardware-efficient circuit
# (RY·RZ then a CNOT ladder per layer) on 1 visible and 5 hidden qubits: the last layers act
# inside the measured qubit's backward light cone only, so the variance is largest there and
# falls towards the early layers and far qubits as the circuit scrambles. Then the visible
# entropy against depth for the volume-law and area-law ansätze on 2 visible and 3 hidden
# qubits, beside Page's value.
gmap = gradient_map(
    pp.QNN(pp.WireLayout(1, 5), "hardware_efficient", n_layers=6, device="default.qubit", seed=0),
    n_samples=50 if QUICK else 1000,
    seed=0,
)
print("gradient variance per layer (rows, last layer first) and qubit (columns):")
print(np.array2string(gmap.variance[::-1], precision=4))
depths = [1, 2] if QUICK else [1, 2, 3, 4, 6]
profiles = [
    entropy_profile(name, pp.WireLayout(2, 3), depths, 40 if QUICK else 300, seed=0)
    for name in ("random_two_local", "area_law")
]
for prof in profiles:
    entropies = ", ".join(
        f"L={d}: {e:.3f} ± {se:.3f}"
        for d, e, se in zip(prof.depths, prof.entropy, prof.entropy_stderr, strict=True)
    )
    print(f"{prof.ansatz:>16}: S(rho_v) {entropies}   (Page {prof.page_entropy:.3f})")

# %%
# The figure
# ----------
fig = Figure(figsize=(13, 9), layout="constrained")
(a, b), (c, d) = fig.subplots(2, 2)
figure_shot_budget(grad_records, snr=2.0, ax=a)
figure_noise(pp.load_records(noise_out), axes=[b])
figure_gradient_map(gmap, ax=c)
figure_entropy_profile(profiles, ax=d)
if not QUICK:
    save_figure(fig, FIGURE)
    print(f"figure written to {FIGURE}")

# %%
# References
# ----------
# 1. C. Ortiz Marrero, M. Kieferová, N. Wiebe, PRX Quantum 2, 040316 (2021), arXiv:2010.15968.
# 2. M. Ragone et al., "A Lie algebraic theory of barren plateaus for deep parameterized
#    quantum circuits", Nat. Commun. 15, 7172 (2024), arXiv:2309.09342.
# 3. E. Fontana et al., "Characterizing barren plateaus in quantum ansätze with the adjoint
#    representation", Nat. Commun. 15, 7171 (2024), arXiv:2309.07902.
# 4. S. Wang et al., "Noise-induced barren plateaus in variational quantum algorithms",
#    Nat. Commun. 12, 6961 (2021), arXiv:2007.14384.
# 5. D. N. Page, "Average entropy of a subsystem", Phys. Rev. Lett. 71, 1291 (1993).
