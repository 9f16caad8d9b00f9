"""Benchmark: gradient-variance sampling — plateau_pl against the usual PennyLane idioms.

McClean workload (as in the literature): n qubits, RY(π/4) on all, L = n layers of rotations
about random axes (X, Y or Z per qubit and layer) with a CZ ladder, objective ⟨Z_0 Z_1⟩, the
gradient of every parameter, ``--draws`` draws per size with axes AND angles redrawn per draw.
Every method computes the same gradients for the same draws (checked against plateau_pl):

* ``demo``: PennyLane's barren-plateau demo idiom — a new device and QNode per draw,
  default.qubit, autograd (``qml.grad``);
* ``lightning loop``: one lightning.qubit adjoint QNode reused, axes passed as an argument,
  ``qml.grad`` in a loop over draws;
* ``plateau_pl``: the public ``plateau_pl.gradient_variance(qnn, n, seed,
  resample_structure=True)`` (its batched engine), statistics included;
* ``torch reference``: a hand-vectorised torch statevector of this one circuit family over the
  whole batch (per-qubit 2×2 products, the CZ ladder as one ±1 diagonal), autograd for all
  gradients — the practical limit to approach.

Each method runs in its own spawned process (so each one's peak memory is its own); the times
are measured inside, around the work only. A second table gives the ``random_two_local``
workload (the paper's model, fixed structure, one visible qubit), a third how plateau_pl's time
grows with the number of draws, and ``--reach`` how large n gets within a minute.

Run: ``OMP_NUM_THREADS=1 python benchmarks/gradient_variance.py [--draws 200] [--reach]``
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing as mp
import os
import resource
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

SIZES = (2, 4, 6, 8, 10, 12)


# -- the shared draws -------------------------------------------------------------------------
def mcclean_draws(n: int, draws: int, seed: int = 0):
    """Axes ``(draws, n, n)`` and angles ``(draws, n, n)`` exactly as plateau_pl draws them."""
    from plateau_pl.diagnostics.ensembles import ensemble_seeds
    from plateau_pl.models.qnn import draw_weights

    qnn = _mcclean_qnn(n, "default.qubit")
    seeds = ensemble_seeds(seed, draws)
    weights = draw_weights(qnn.weight_shape, seed=seeds.weights, batch=draws)
    axes = np.stack([qnn.ansatz.redraw(s).axes for s in seeds.structures])
    return axes, weights


def _mcclean_qnn(n: int, device: str):
    import pennylane as qml

    import plateau_pl as pp

    return pp.QNN(pp.WireLayout(2, n - 2), "mcclean", n_layers=n,
                  observable=qml.Z(0) @ qml.Z(1), device=device, seed=0)  # fmt: skip


# -- the methods ------------------------------------------------------------------------------
def mcclean_circuit(params, ax, n):
    """McClean's circuit for one draw: RY(π/4) layer, L = n random-axis layers, CZ ladders."""
    import pennylane as qml

    gates = (qml.RX, qml.RY, qml.RZ)
    for q in range(n):
        qml.RY(np.pi / 4, wires=q)
    for layer in range(n):
        for q in range(n):
            gates[ax[layer, q]](params[layer, q], wires=q)
        for q in range(n - 1):
            qml.CZ(wires=[q, q + 1])
    return qml.expval(qml.Z(0) @ qml.Z(1))


def run_demo(n, axes, weights):
    """The demo idiom: a new device and QNode for every draw."""
    import pennylane as qml
    from pennylane import numpy as pnp

    grads = []
    for ax, w in zip(axes, weights, strict=True):
        dev = qml.device("default.qubit", wires=n)
        circuit = qml.QNode(functools.partial(mcclean_circuit, ax=ax, n=n), dev)
        grads.append(qml.grad(circuit)(pnp.array(w, requires_grad=True)))
    return np.array(grads)


def run_lightning(n, axes, weights):
    """One lightning.qubit adjoint QNode, reused, the axes passed as an argument."""
    import pennylane as qml
    from pennylane import numpy as pnp

    dev = qml.device("lightning.qubit", wires=n)
    circuit = qml.QNode(functools.partial(mcclean_circuit, n=n), dev, diff_method="adjoint")
    return np.array([
        qml.grad(circuit, argnums=0)(pnp.array(w, requires_grad=True), ax)
        for ax, w in zip(axes, weights, strict=True)
    ])  # fmt: skip


def run_plateau(n, axes, weights, draws):
    import plateau_pl as pp

    qnn = _mcclean_qnn(n, "default.qubit")
    pp.gradient_variance(qnn, draws, seed=0, resample_structure=True)  # the timed call
    return None


def plateau_gradients(n, draws):
    from plateau_pl.diagnostics import ensembles as ens

    qnn = _mcclean_qnn(n, "default.qubit")
    return ens.qnn_gradients(qnn, draws, 0, resample_structure=True)[0]


def run_reference(n, axes, weights):
    """Hand-vectorised torch statevector of the McClean circuit, autograd for the gradients."""
    import torch

    b = len(weights)
    paulis = torch.tensor([[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]],
                          dtype=torch.complex128)  # fmt: skip
    ax = torch.as_tensor(axes)
    idx = torch.arange(2**n)
    bits = (idx[:, None] >> (n - 1 - torch.arange(n))) & 1
    ladder = (1 - 2 * (bits[:, :-1] & bits[:, 1:]).sum(1).remainder(2)).to(torch.complex128)
    z0z1 = (1 - 2 * bits[:, 0]) * (1 - 2 * bits[:, 1])
    ry = torch.tensor(
        [[np.cos(np.pi / 8), -np.sin(np.pi / 8)], [np.sin(np.pi / 8), np.cos(np.pi / 8)]],
        dtype=torch.complex128,
    )
    w = torch.tensor(weights, requires_grad=True)
    out = []
    step = 32
    for start in range(0, b, step):
        sl = slice(start, start + step)
        th = w[sl]
        psi = torch.zeros(th.shape[0], 2**n, dtype=torch.complex128)
        psi[:, 0] = 1
        for q in range(n):
            psi = _apply_2x2(psi, ry.expand(th.shape[0], 2, 2), q, n)
        for layer in range(n):
            for q in range(n):
                c = torch.cos(th[:, layer, q] / 2).to(torch.complex128)[:, None, None]
                s = torch.sin(th[:, layer, q] / 2).to(torch.complex128)[:, None, None]
                u = c * torch.eye(2, dtype=torch.complex128) - 1j * s * paulis[ax[sl, layer, q]]
                psi = _apply_2x2(psi, u, q, n)
            psi = psi * ladder
        f = (psi.abs() ** 2 * z0z1).sum()
        (g,) = torch.autograd.grad(f, th)
        out.append(g)
    return torch.cat(out).numpy()


def _apply_2x2(psi, u, q, n):
    b = psi.shape[0]
    v = psi.reshape(b, 2**q, 2, 2 ** (n - q - 1))
    return torch_einsum("bij,bljr->blir", u, v).reshape(b, -1)


def torch_einsum(*args):
    import torch

    return torch.einsum(*args)


METHODS = {"demo": run_demo, "lightning loop": run_lightning, "torch reference": run_reference}


def _worker(name, sizes, draws, queue):
    import torch

    torch.set_num_threads(1)
    times, devs = {}, {}
    for n in sizes:
        axes, weights = mcclean_draws(n, draws)
        t0 = time.perf_counter()
        if name == "plateau_pl":
            run_plateau(n, axes, weights, draws)
            grads = None
        else:
            grads = METHODS[name](n, axes, weights)
        times[n] = time.perf_counter() - t0
        if grads is not None:
            ref = plateau_gradients(n, draws)
            devs[n] = float(np.abs(grads - ref).max())
    queue.put((name, times, devs, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def _in_process(name, sizes, draws):
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_worker, args=(name, sizes, draws, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def mcclean_table(sizes, draws, methods):
    results = {m: _in_process(m, sizes, draws) for m in methods}
    head = f"{'n':>3} " + " ".join(f"{m:>16}" for m in methods)
    print(
        f"\nMcClean workload: L = n, {draws} draws per size, axes and angles redrawn per draw; "
        "seconds (one thread)"
    )
    print(head)
    print("-" * len(head))
    for n in sizes:
        print(f"{n:>3} " + " ".join(f"{results[m][1][n]:>16.3f}" for m in methods))
    totals = {m: sum(results[m][1].values()) for m in methods}
    print(f"{'all':>3} " + " ".join(f"{totals[m]:>16.3f}" for m in methods))
    per_draw = {m: results[m][1][sizes[-1]] / draws * 1e3 for m in methods}
    print(
        f"ms per draw at n = {sizes[-1]}: " + ", ".join(f"{m} {per_draw[m]:.2f}" for m in methods)
    )
    print("peak memory (MB): " + ", ".join(f"{m} {results[m][3]:.0f}" for m in methods))
    base = totals["plateau_pl"]
    print(
        "whole sweep, speed-up of plateau_pl: "
        + ", ".join(
            f"{base and totals[m] / base:.1f}× vs {m}" for m in methods if m != "plateau_pl"
        )
    )
    for m in methods:
        if results[m][2]:
            print(f"max |gradient − plateau_pl| for {m}: {max(results[m][2].values()):.1e}")
    return results


def random_two_local_table(hidden, draws):
    """The paper's model: plateau_pl engine vs the device path and lightning per draw."""
    import plateau_pl as pp
    from plateau_pl.diagnostics import ensembles as ens

    print(f"\nrandom_two_local workload: n_visible = 1, {draws} draws, fixed structure; seconds")
    print(
        f"{'n_h':>4} {'params':>6} {'plateau_pl':>11} {'default.qubit':>14} "
        f"{'lightning loop':>15} {'vs dq':>6} {'vs lightning':>12}"
    )
    for n_h in hidden:
        layout = pp.WireLayout(1, n_h)
        row = {}
        for label, device, engine in (
            ("plateau_pl", "default.qubit", "auto"),
            ("default.qubit", "default.qubit", "device"),
            ("lightning", "lightning.qubit", "device"),
        ):
            qnn = pp.QNN(layout, "random_two_local", device=device, seed=0)
            d = draws if label != "lightning" or n_h <= 6 else 20
            t0 = time.perf_counter()
            ens.qnn_gradients(qnn, d, 0, engine=engine)
            row[label] = (time.perf_counter() - t0) * draws / d
        print(
            f"{n_h:>4} {qnn.n_params:>6} {row['plateau_pl']:>11.3f} {row['default.qubit']:>14.3f} "
            f"{row['lightning']:>15.3f} {row['default.qubit'] / row['plateau_pl']:>5.1f}× "
            f"{row['lightning'] / row['plateau_pl']:>11.1f}×"
        )


def growth_table(n, draw_counts):
    import plateau_pl as pp

    print(f"\nplateau_pl time against the number of draws (McClean, n = {n}, L = n)")
    qnn = _mcclean_qnn(n, "default.qubit")
    for d in draw_counts:
        t0 = time.perf_counter()
        pp.gradient_variance(qnn, d, seed=0, resample_structure=True)
        dt = time.perf_counter() - t0
        print(f"  {d:>4} draws: {dt:7.3f} s ({dt / d * 1e3:.2f} ms per draw)")


def reach(draws, budget=60.0, start=12):
    import plateau_pl as pp

    print(f"\nHow far in one minute: McClean, L = n, {draws} draws per size")
    prev = None
    for n in range(start, 30):
        qnn = _mcclean_qnn(n, "default.qubit")
        t0 = time.perf_counter()
        pp.gradient_variance(qnn, draws, seed=0, resample_structure=True)
        dt = time.perf_counter() - t0
        growth = "" if prev is None else f" (×{dt / prev:.2f} per added qubit)"
        print(f"  n = {n}: {dt:.1f} s{growth}", flush=True)
        prev = dt
        if dt > budget:
            print(f"  largest n within {budget:.0f} s: {n - 1}")
            break


def main(argv=None):
    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--skip-demo", action="store_true", help="leave out the slow demo idiom")
    parser.add_argument("--reach", action="store_true", help="grow n until a size takes 60 s")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    methods = ["plateau_pl", "torch reference", "lightning loop"]
    if not args.skip_demo:
        methods.append("demo")
    mcclean_table(args.sizes, args.draws, methods)
    random_two_local_table(range(1, 9), args.draws)
    growth_table(args.sizes[-1], (50, 100, 200, 400))
    if args.reach:
        reach(args.draws)


if __name__ == "__main__":
    main()
