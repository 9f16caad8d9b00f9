"""Benchmark: gradient-variance sampling — plateau_pl's engines against the usual idioms.

McClean workload (as in the literature): n qubits, RY(π/4) on all, L = n layers of rotations
about random axes (X, Y or Z per qubit and layer) with a CZ ladder, objective ⟨Z_0 Z_1⟩, the
gradient of every parameter, ``--draws`` draws per size with axes AND angles redrawn per draw.
Every method computes the same gradients for the same draws (checked against plateau_pl):

* ``plateau_pl``: the public ``plateau_pl.gradient_variance(qnn, n, seed,
  resample_structure=True)`` — its statevector engine (compiled adjoint kernels), statistics
  included;
* ``previous engine``: plateau_pl's engine before the engine layer (a vectorised torch
  statevector with one autograd backward pass, McClean's axes as batched 2×2 unitaries). With
  ``--previous-tree DIR`` (a checkout of the commit before it, e.g. ``git worktree add DIR
  b31bee8``) that release's own ``gradient_variance`` is timed in a subprocess; without it, a
  rebuild from :class:`~plateau_pl.engines.autograd.AutogradEngine`;
* ``lightning C++``: lightning.qubit's adjoint kernel called per tape through the device API
  (``execute_and_compute_derivatives``), no QNode — the limit proxy; the tapes are built before
  the clock starts;
* ``lightning loop``: one lightning.qubit adjoint QNode reused, ``qml.grad`` per draw;
* ``demo``: PennyLane's barren-plateau demo idiom — a new device and QNode per draw,
  default.qubit, autograd.

Each method runs in its own spawned process (its peak memory is its own), single-threaded,
after one warm-up call at n = 4 (imports, compiled-kernel loading); the first call at every
size is counted, as a user's sweep pays it. Tables:

1. McClean sweep (``--sizes``), seconds and ms per draw, peak memory, speed-ups;
2. one cold call at n = 10, 100 draws, and first call / repeated call at each size;
3. ``random_two_local`` (n_visible = 1, fixed structure) against the previous engine;
4. ``--reach``: n = 12 … ``--reach-max`` at ``--draws`` draws, each size in a fresh process
   (time, peak memory), the largest n within 60 s and 10 min;
5. ``--tile-bits``: the numba kernels' block size at n = 12 and 16 (why TILE_BITS is what it is);
6. ``--cuda``: where a GPU is present, n = 16 … 24 at ``--draws`` draws on the torch backend,
   memory bandwidth achieved against the card's peak, deviation from the CPU engine.

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
os.environ.setdefault("NUMBA_NUM_THREADS", "1")

import numpy as np

SIZES = (2, 4, 6, 8, 10, 12)
WARMUP_N = 4


# -- the shared draws -------------------------------------------------------------------------
def mcclean_qnn(n: int, device: str = "default.qubit"):
    import pennylane as qml

    import plateau_pl as pp

    return pp.QNN(
        pp.WireLayout(2, n - 2),
        "mcclean",
        n_layers=n,
        observable=qml.Z(0) @ qml.Z(1),
        device=device,
        seed=0,
    )


def mcclean_draws(n: int, draws: int, seed: int = 0):
    """Axes ``(draws, n, n)`` and angles ``(draws, n, n)`` exactly as plateau_pl draws them."""
    from plateau_pl.circuits.weights import draw_weights
    from plateau_pl.diagnostics.ensembles import ensemble_seeds

    qnn = mcclean_qnn(n)
    seeds = ensemble_seeds(seed, draws)
    weights = draw_weights(qnn.weight_shape, seed=seeds.weights, batch=draws)
    axes = np.stack([qnn.ansatz.redraw(s).axes for s in seeds.structures])
    return axes, weights


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


# -- the methods: each returns the gradients (draws, n, n) -------------------------------------
def run_plateau(n, axes, weights):
    import plateau_pl as pp

    pp.gradient_variance(mcclean_qnn(n), len(weights), seed=0, resample_structure=True)
    return None  # the public call returns statistics; gradients are checked separately


def plateau_gradients(n, draws):
    from plateau_pl.diagnostics import ensembles as ens

    return ens.qnn_gradients(mcclean_qnn(n), draws, 0, resample_structure=True)[0]


def run_previous(n, axes, weights):
    """The engine plateau_pl had before the engine layer: torch autograd over the batch."""
    import torch

    from plateau_pl.engines.autograd import AutogradEngine, _flush_denormals

    class PreviousEngine(AutogradEngine):
        def _queue(self, w, inputs=None):  # McClean's former ``apply_structures``
            import pennylane as qml

            paulis = torch.tensor(
                [[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]], dtype=torch.complex128
            )
            ax = self._axes[self._sl]
            with qml.queuing.AnnotatedQueue() as q:
                for wire in range(n):
                    qml.RY(np.pi / 4, wires=wire)
                for layer in range(n):
                    for qb in range(n):
                        c = torch.cos(w[:, layer, qb] / 2).to(torch.complex128)[:, None, None]
                        s = torch.sin(w[:, layer, qb] / 2).to(torch.complex128)[:, None, None]
                        u = (
                            c * torch.eye(2, dtype=torch.complex128)
                            - 1j * s * paulis[ax[:, layer, qb]]
                        )
                        qml.QubitUnitary(u, wires=qb)
                    for qb in range(n - 1):
                        qml.CZ(wires=[qb, qb + 1])
            return q.queue

    engine = PreviousEngine(mcclean_qnn(n))
    engine._axes = torch.as_tensor(axes)
    out, step = [], engine.chunk_size()
    with _flush_denormals():
        for i in range(0, len(weights), step):
            engine._sl = slice(i, i + step)
            out.append(engine._chunk_gradients(weights[i : i + step], None)[1])
    return np.concatenate(out)


_PREVIOUS_SCRIPT = """
import json, sys, time
import numpy as np, pennylane as qml, torch
import plateau_pl as pp
from plateau_pl.diagnostics import ensembles as ens
torch.set_num_threads(1)
sizes, draws, out = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def qnn(n):
    return pp.QNN(pp.WireLayout(2, n - 2), "mcclean", n_layers=n,
                  observable=qml.Z(0) @ qml.Z(1), device="default.qubit", seed=0)
pp.gradient_variance(qnn(4), 4, seed=0, resample_structure=True)
times = {}
for n in sizes:
    t0 = time.perf_counter()
    pp.gradient_variance(qnn(n), draws, seed=0, resample_structure=True)
    times[n] = time.perf_counter() - t0
    np.save(f"{out}-{n}.npy", ens.qnn_gradients(qnn(n), draws, 0, resample_structure=True)[0])
import resource
print(json.dumps({"times": times, "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def previous_tree_row(tree, sizes, draws):
    """``(name, {n: (first, None, deviation)}, peak MB)`` of the previous release's own call."""
    import json
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(tree)}
        run = subprocess.run(
            [
                sys.executable,
                "-c",
                _PREVIOUS_SCRIPT,
                json.dumps(list(sizes)),
                str(draws),
                f"{tmp}/g",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp,
        )
        res = json.loads(run.stdout.strip().splitlines()[-1])
        out = {}
        for n in sizes:
            dev = float(np.abs(np.load(f"{tmp}/g-{n}.npy") - plateau_gradients(n, draws)).max())
            out[n] = (res["times"][str(n)], None, dev)
    return "previous engine", out, res["peak"] / 1024


def _tapes(n, axes, weights):
    import pennylane as qml

    tapes = []
    for ax, w in zip(axes, weights, strict=True):
        with qml.queuing.AnnotatedQueue() as q:
            m = mcclean_circuit(w, ax, n)
        ops = [op for op in q.queue if not isinstance(op, qml.measurements.MeasurementProcess)]
        tapes.append(qml.tape.QuantumScript(ops, [m], trainable_params=list(range(n, n + n * n))))
    return tapes


def run_cpp(n, axes, weights, tapes=None):
    """lightning.qubit's C++ adjoint per tape (no QNode); tapes built by the caller."""
    import pennylane as qml
    from pennylane.devices import ExecutionConfig

    dev = qml.device("lightning.qubit", wires=n)
    config = ExecutionConfig(gradient_method="adjoint")
    grads = [np.asarray(dev.execute_and_compute_derivatives(t, config)[1]) for t in tapes]
    return np.stack(grads).reshape(weights.shape)


def run_lightning(n, axes, weights):
    """One lightning.qubit adjoint QNode, reused, the axes passed as an argument."""
    import pennylane as qml
    from pennylane import numpy as pnp

    dev = qml.device("lightning.qubit", wires=n)
    circuit = qml.QNode(functools.partial(mcclean_circuit, n=n), dev, diff_method="adjoint")
    return np.array(
        [
            qml.grad(circuit, argnums=0)(pnp.array(w, requires_grad=True), ax)
            for ax, w in zip(axes, weights, strict=True)
        ]
    )


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


METHODS = {
    "plateau_pl": run_plateau,
    "previous engine": run_previous,
    "lightning C++": run_cpp,
    "lightning loop": run_lightning,
    "demo": run_demo,
}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker(name, sizes, draws, repeat, queue):
    import torch

    torch.set_num_threads(1)
    fn = METHODS[name]
    _timed(fn, WARMUP_N, 4)  # imports, compiled-kernel loading
    out = {}
    for n in sizes:
        first, grads = _timed(fn, n, draws)
        again = float(np.median([_timed(fn, n, draws)[0] for _ in range(3)])) if repeat else None
        dev = None
        if grads is not None:
            dev = float(np.abs(grads - plateau_gradients(n, draws)).max())
        out[n] = (first, again, dev)
    queue.put((name, out, _peak_mb()))


def _timed(fn, n, draws):
    axes, weights = mcclean_draws(n, draws)
    tapes = _tapes(n, axes, weights) if fn is run_cpp else None
    t0 = time.perf_counter()
    grads = fn(n, axes, weights, tapes) if fn is run_cpp else fn(n, axes, weights)
    return time.perf_counter() - t0, grads


def _in_process(target, *args):
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


# -- tables -----------------------------------------------------------------------------------
def mcclean_table(sizes, draws, methods, previous_tree=None):
    res = {}
    for m in methods:
        if m == "previous engine" and previous_tree:
            res[m] = previous_tree_row(previous_tree, sizes, draws)
        else:
            res[m] = _in_process(_worker, m, sizes, draws, m == "plateau_pl")
    print(
        f"\n1. McClean sweep: L = n, {draws} draws per size, axes and angles redrawn per draw; "
        "seconds, first call at each size (one thread)"
    )
    head = f"{'n':>3} " + " ".join(f"{m:>16}" for m in methods)
    print(head + "\n" + "-" * len(head))
    for n in sizes:
        print(f"{n:>3} " + " ".join(f"{res[m][1][n][0]:>16.3f}" for m in methods))
    totals = {m: sum(v[0] for v in res[m][1].values()) for m in methods}
    print(f"{'all':>3} " + " ".join(f"{totals[m]:>16.3f}" for m in methods))
    print(f"\nms per draw at each n:\n{'n':>3} " + " ".join(f"{m:>16}" for m in methods))
    for n in sizes:
        print(f"{n:>3} " + " ".join(f"{res[m][1][n][0] / draws * 1e3:>16.3f}" for m in methods))
    print("peak memory (MB): " + ", ".join(f"{m} {res[m][2]:.0f}" for m in methods))
    base = totals["plateau_pl"]
    print(
        "whole sweep, speed-up of plateau_pl: "
        + ", ".join(f"{totals[m] / base:.2f}× vs {m}" for m in methods if m != "plateau_pl")
    )
    if "lightning C++" in methods:
        ratios = [res["lightning C++"][1][n][0] / res["plateau_pl"][1][n][0] for n in sizes]
        print(
            "per size, lightning C++ time / plateau_pl time: "
            + ", ".join(f"n={n}: {r:.2f}" for n, r in zip(sizes, ratios, strict=True))
        )
    for m in methods:
        devs = [v[2] for v in res[m][1].values() if v[2] is not None]
        if devs:
            print(f"max |gradient − plateau_pl| for {m}: {max(devs):.1e}")
    reps = res["plateau_pl"][1]
    print(
        "plateau_pl first call / median of 3 repeated calls: "
        + ", ".join(f"n={n}: {reps[n][0] / reps[n][1]:.2f}" for n in sizes)
    )
    return res


def _cold_worker(name, queue):
    import torch

    torch.set_num_threads(1)
    _timed(METHODS[name], WARMUP_N, 4)
    first = _timed(METHODS[name], 10, 100)[0]
    queue.put((name, first))


def cold_table(methods):
    print("\n2. One cold call at n = 10, 100 draws (fresh process, warm-up at n = 4)")
    res = {m: _in_process(_cold_worker, m)[1] for m in methods}
    for m in methods:
        print(f"  {m:<16} {res[m]:7.3f} s   ({res[m] / res['plateau_pl']:.1f}× plateau_pl)")


def _rtl_worker(hidden, draws, queue):
    import torch

    import plateau_pl as pp
    from plateau_pl.diagnostics import ensembles as ens

    torch.set_num_threads(1)
    rows = {}
    for label, device, engine in (
        ("plateau_pl", "default.qubit", "auto"),
        ("previous engine", "default.qubit", "autograd"),
        ("default.qubit", "default.qubit", "device"),
        ("lightning loop", "lightning.qubit", "device"),
    ):
        qnn = pp.QNN(pp.WireLayout(1, 1), "random_two_local", device=device, seed=0)
        ens.qnn_gradients(qnn, 4, 0, engine=engine)  # warm-up
        for n_h in hidden:
            qnn = pp.QNN(pp.WireLayout(1, n_h), "random_two_local", device=device, seed=0)
            d = draws if label != "lightning loop" or n_h <= 5 else 20
            t0 = time.perf_counter()
            ens.qnn_gradients(qnn, d, 0, engine=engine)
            rows[label, n_h] = (time.perf_counter() - t0) * draws / d, qnn.n_params
    queue.put(rows)


def rtl_table(hidden, draws):
    rows = _in_process(_rtl_worker, hidden, draws)
    labels = ("plateau_pl", "previous engine", "default.qubit", "lightning loop")
    print(
        f"\n3. random_two_local: n_visible = 1, {draws} draws, fixed structure; seconds "
        "(lightning loop at n_h > 5 timed on 20 draws, scaled)"
    )
    print(
        f"{'n_h':>4} {'params':>6} "
        + " ".join(f"{x:>15}" for x in labels)
        + f" {'vs previous':>12}"
    )
    for n_h in hidden:
        t = [rows[x, n_h][0] for x in labels]
        print(
            f"{n_h:>4} {rows['plateau_pl', n_h][1]:>6} "
            + " ".join(f"{v:>15.3f}" for v in t)
            + f" {t[1] / t[0]:>11.1f}×"
        )


def _reach_worker(n, draws, queue):
    import torch

    torch.set_num_threads(1)
    _timed(run_plateau, WARMUP_N, 4)
    queue.put((_timed(run_plateau, n, draws)[0], _peak_mb()))


def reach_table(draws, n_max):
    print(f"\n4. Reach: McClean, L = n, {draws} draws, each size in a fresh process")
    print(f"{'n':>3} {'seconds':>9} {'ms/draw':>9} {'peak MB':>8}")
    within = {60: None, 600: None}
    for n in range(12, n_max + 1):
        dt, peak = _in_process(_reach_worker, n, draws)
        print(f"{n:>3} {dt:>9.2f} {dt / draws * 1e3:>9.1f} {peak:>8.0f}", flush=True)
        for limit in within:
            if dt <= limit:
                within[limit] = n
    for limit, n in within.items():
        print(
            f"  largest n within {limit} s: {n}"
            + (" (or more: not measured beyond)" if n == n_max else "")
        )


def tile_table():
    from plateau_pl.engines import StatevectorEngine
    from plateau_pl.engines.program import build_program

    print("\n5. numba block size (TILE_BITS): McClean, 20 draws, seconds")
    for n in (12, 16):
        qnn = mcclean_qnn(n)
        w = mcclean_draws(n, 20)[1]
        structures = [qnn.ansatz.redraw(s) for s in range(20)]
        build_program(qnn, structures)
        cells = []
        for bits in (8, 10, 11, 12, 13, 14, 16):
            engine = StatevectorEngine(qnn, tile_bits=bits)
            t0 = time.perf_counter()
            engine.values_and_gradients(w, structures)
            cells.append(f"{bits}: {time.perf_counter() - t0:.3f}")
        print(f"  n = {n}: " + ", ".join(cells))


def cuda_table(draws, sizes, device="cuda"):
    """n = 16 … 24 on the torch backend; bandwidth against the card's peak."""
    import torch

    from plateau_pl.engines import StatevectorEngine

    if device == "cuda" and not torch.cuda.is_available():
        print("\n6. --cuda: no CUDA device here; nothing to run")
        return
    peak = _peak_bandwidth(device)
    print(
        f"\n6. CUDA ({_device_name(device)}): McClean, L = n, {draws} draws, torch backend; "
        f"peak bandwidth {peak / 1e9:.0f} GB/s"
    )
    print(
        f"{'n':>3} {'seconds':>9} {'ms/draw':>9} {'GB/s':>8} {'% peak':>7} {'max |Δ| vs CPU':>15}"
    )
    for n in sizes:
        qnn = mcclean_qnn(n)
        _, w = mcclean_draws(n, draws)
        structures = [qnn.ansatz.redraw(s) for s in range(draws)]
        engine = StatevectorEngine(qnn, device=device, backend="torch")
        engine.values_and_gradients(w[:2], structures[:2])  # warm-up (kernels, caches)
        _sync(device)
        t0 = time.perf_counter()
        _, grads = engine.values_and_gradients(w, structures)
        _sync(device)
        dt = time.perf_counter() - t0
        moved = _bytes_moved(n) * draws
        k = 2 if n >= 20 else 4  # the CPU reference on a few draws
        cpu = StatevectorEngine(qnn).values_and_gradients(w[:k], structures[:k])[1]
        dev = float(np.abs(grads[:k] - cpu).max())
        print(
            f"{n:>3} {dt:>9.2f} {dt / draws * 1e3:>9.2f} {moved / dt / 1e9:>8.0f} "
            f"{100 * moved / dt / peak:>6.0f}% {dev:>15.1e}",
            flush=True,
        )


def _bytes_moved(n: int) -> float:
    """The adjoint walk's compulsory traffic per draw: each of the n² rotations and n ladders
    reads and writes one state forward and two backward (16 bytes per amplitude)."""
    gates = n * n + n + n
    return gates * (2 + 4) * 16 * 2**n


def _peak_bandwidth(device) -> float:
    import torch

    props = torch.cuda.get_device_properties(device) if device != "cpu" else None
    clock = getattr(props, "memory_clock_rate", None)
    width = getattr(props, "memory_bus_width", None)
    if clock and width:
        return 2 * clock * 1e3 * width / 8  # double data rate
    x = torch.empty(2**28, dtype=torch.float32, device=device)  # measured copy bandwidth
    y = torch.empty_like(x)
    _sync(device)
    t0 = time.perf_counter()
    for _ in range(10):
        y.copy_(x)
    _sync(device)
    return 10 * 2 * x.numel() * 4 / (time.perf_counter() - t0)


def _device_name(device) -> str:
    import torch

    return torch.cuda.get_device_name(device) if device != "cpu" else "cpu (dry run)"


def _sync(device) -> None:
    import torch

    if device != "cpu":
        torch.cuda.synchronize()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--skip-demo", action="store_true", help="leave out the slow demo idiom")
    parser.add_argument("--reach", action="store_true", help="table 4 (long: minutes per size)")
    parser.add_argument("--reach-max", type=int, default=18)
    parser.add_argument("--tile-bits", action="store_true", help="table 5")
    parser.add_argument("--cuda", action="store_true", help="table 6 only, on a GPU")
    parser.add_argument("--cuda-sizes", type=int, nargs="+", default=list(range(16, 25, 2)))
    parser.add_argument("--cuda-device", default="cuda", help=argparse.SUPPRESS)  # cpu: dry run
    parser.add_argument("--previous-tree", help="a checkout of the release before the engines")
    args = parser.parse_args(argv)
    if args.cuda:
        cuda_table(args.draws, args.cuda_sizes, args.cuda_device)
        return
    methods = [m for m in METHODS if not (args.skip_demo and m == "demo")]
    mcclean_table(args.sizes, args.draws, methods, args.previous_tree)
    cold_table([m for m in ("plateau_pl", "lightning loop", "demo") if m in methods])
    rtl_table(range(1, 9), args.draws)
    if args.tile_bits:
        tile_table()
    if args.reach:
        reach_table(args.draws, args.reach_max)


if __name__ == "__main__":
    main()
