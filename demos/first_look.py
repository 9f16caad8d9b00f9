r"""
A first look at entanglement-induced barren plateaus
====================================================

.. meta::
    :property="og:description": Watch the visible state of a QNN approach the maximally mixed
        state, and its gradients vanish, as hidden qubits are added.

*Author: plateau_pl developers. Runs in seconds.*

A QNN measured on a few *visible* qubits and entangled with many *hidden* ones sees, on its
visible wires, a reduced state :math:`\rho_v = \mathrm{Tr}_h |\psi\rangle\langle\psi|`. When
:math:`|\psi\rangle` looks Haar-random, :math:`\rho_v` is exponentially close to
:math:`I/D_v` (Ortiz Marrero, Kieferová, Wiebe, PRX Quantum 2021), and every gradient of a
visible observable is exponentially small. This demo measures both with plateau_pl and puts them
next to the exact Haar values.

Set ``PLATEAU_PL_QUICK=1`` for a smaller run (the test suite does). The full run (about two
minutes on one core) writes its figure to ``docs/figures/demo_first_look.png``; the quick run
writes ``demo_first_look.png`` to the current folder.
"""

# %%
# Set-up: sizes and seeds
# -----------------------
import os
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

import plateau_pl as pp
from plateau_pl import theory
from plateau_pl.plotting import plot_decay, save_figure

QUICK = os.environ.get("PLATEAU_PL_QUICK") == "1"
HIDDEN = range(0, 4 if QUICK else 7)
N_DRAWS = 20 if QUICK else 200
FIGURE = (
    Path.cwd() / "demo_first_look.png"
    if QUICK
    else Path(__file__).resolve().parents[1] / "docs" / "figures" / "demo_first_look.png"
)

# %%
# One QNN per size: the paper's random two-local model
# ----------------------------------------------------
# ``random_two_local`` applies :math:`e^{-i\theta P}` for every 1- and 2-local Pauli string in
# a seeded random order. We draw ``N_DRAWS`` weight vectors, compute the visible state and the
# gradient of :math:`\langle Z_0\rangle` for each, on ``default.qubit`` with backprop.

rows = []
for n_h in HIDDEN:
    layout = pp.WireLayout(n_visible=1, n_hidden=n_h)
    qnn = pp.QNN(layout, "random_two_local", device="default.qubit", seed=100 + n_h)
    weights = qnn.init_weights(seed=n_h, batch=N_DRAWS)
    rho = np.asarray(qnn.visible_state(weights))  # all draws at once (broadcasting)
    grads = np.stack([qnn.gradient(w) for w in weights])
    td, td_err = pp.diagnostics.mean_stderr(pp.trace_distance_to_maximally_mixed(rho))
    var, var_err = pp.diagnostics.variance_stderr(grads)
    d_v, d_h = layout.dim_visible, layout.dim_hidden
    rows.append(
        (
            n_h,
            td,
            td_err,
            theory.haar_trace_distance(d_v, d_h),
            var,
            var_err,
            theory.haar_gradient_variance(d_v * d_h, generator_scale=1.0),
        )
    )

# %%
# The effect in numbers
# ---------------------
print("n_h  trace distance        Haar     grad variance           Haar")
for n_h, td, te, td_h, v, ve, v_h in rows:
    print(f"{n_h:3d}  {td:.4f} ± {te:.4f}   {td_h:.4f}   {v:.3e} ± {ve:.1e}   {v_h:.3e}")

slope, err = pp.fit_decay(
    [r[0] for r in rows[1:]], [r[4] for r in rows[1:]], [r[5] for r in rows[1:]]
)
print(
    f"gradient variance decays by 2^({slope / np.log(2):.2f} ± {err / np.log(2):.2f}) "
    "per hidden qubit; Haar: 2^-1"
)

# %%
# The effect in a figure
# ----------------------
# The rows become records (one dict per size, the fields a sweep would write) and
# :mod:`plateau_pl.plotting` draws them: measured means with standard-error bars on a log
# axis, the fitted decay rate in the legend, the exact Haar values dashed, and for the trace
# distance the paper's bound :math:`\tfrac12\sqrt{D_v/D_h}`. Both curves are straight lines on
# the log axis — exponential decay in the number of hidden qubits — and sit on the Haar curves.

records = [
    {
        "model": "qnn",
        "ansatz": "random_two_local",
        "n_visible": 1,
        "n_hidden": n_h,
        "trace_distance": td,
        "trace_distance_stderr": te,
        "haar_trace_distance": td_h,
        "paper_trace_distance_bound": theory.paper_trace_distance_bound(2, 2**n_h),
        "grad_variance": v,
        "grad_variance_stderr": ve,
        "haar_grad_variance": v_h,
    }
    for n_h, td, te, td_h, v, ve, v_h in rows
]
fig = Figure(figsize=(12.8, 4.5), layout="constrained")
ax_td, ax_var = fig.subplots(1, 2)
plot_decay(
    records,
    "trace_distance",
    theory=("haar_trace_distance", "paper_trace_distance_bound"),
    ax=ax_td,
    title="ρ_v approaches I/D_v",
)
plot_decay(
    records, "grad_variance", theory=("haar_grad_variance",), ax=ax_var, title="gradients vanish"
)
fig.suptitle(f"random_two_local QNN, 1 visible qubit, {N_DRAWS} draws per point")
print(f"figure: {save_figure(fig, FIGURE)[0]}")

# %%
# References
# ----------
# 1. C. Ortiz Marrero, M. Kieferová, N. Wiebe, "Entanglement-induced barren plateaus",
#    PRX Quantum 2, 040316 (2021), arXiv:2010.15968.
# 2. J. R. McClean et al., "Barren plateaus in quantum neural network training landscapes",
#    Nat. Commun. 9, 4812 (2018).
