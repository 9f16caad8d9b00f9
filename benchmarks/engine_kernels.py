"""Benchmark: the measurements behind the statevector engine's design choices (docs/design.md).

1. the numba kernels' cost per amplitude of one single-qubit rotation (forward, and the fused
   adjoint step), beside a plain numpy complex multiply, at n = 16;
2. what queuing one McClean structure costs in PennyLane (why structures come from arrays);
3. flush-to-zero on and off for the kernels (McClean, n = 12, 100 draws, interleaved);
4. threads 1 and 2 over slices of draws (McClean, n = 12, 200 draws);
5. lightning.qubit given all draws as one ``qml.execute`` batch of tapes against the per-draw
   QNode loop (random_two_local, n = 5, 50 draws): why the device engine keeps the loop.

Run: ``OMP_NUM_THREADS=1 python benchmarks/engine_kernels.py``
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from gradient_variance import mcclean_draws, mcclean_qnn


def _best(fn, repeat=5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def rotation_costs(n=16, calls=200):
    from plateau_pl.engines import _kernels as K

    size = 2**n
    rng = np.random.default_rng(0)
    psi = rng.normal(size=size) + 1j * rng.normal(size=size)
    lam = psi.copy()
    other = psi.copy()
    K._rot1(psi, K.ROTX, 3, 0.8, 0.6)  # compile / load
    K._rot1_adjoint(psi, lam, K.ROTX, 3, 0.8, 0.6)
    print(f"\n1. ns per amplitude at n = {n} (best of 5 × {calls} calls)")
    for kind, label in ((K.ROTX, "X"), (K.ROTY, "Y"), (K.ROTZ, "Z")):
        fwd = _best(lambda k=kind: [K._rot1(psi, k, 8, 0.8, 0.6) for _ in range(calls)])
        adj = _best(
            lambda k=kind: [K._rot1_adjoint(psi, lam, k, 8, 0.8, 0.6) for _ in range(calls)]
        )
        print(
            f"  R{label}: forward {fwd / calls / size * 1e9:.2f}, "
            f"adjoint step {adj / calls / size * 1e9:.2f}"
        )
    mul = _best(lambda: [np.multiply(other, 0.999 + 0.001j, out=other) for _ in range(calls)])
    print(f"  numpy complex multiply: {mul / calls / size * 1e9:.2f}")


def queue_cost(n=12):
    import pennylane as qml

    qnn = mcclean_qnn(n)
    w = np.zeros(qnn.weight_shape)

    def queue():
        with qml.queuing.AnnotatedQueue() as q:
            qnn.ansatz(w)
        return len(q.queue)

    n_ops = queue()
    dt = _best(queue)
    print(
        f"\n2. queuing one McClean structure at n = {n}: {dt * 1e3:.1f} ms for {n_ops} gates "
        f"({dt / n_ops * 1e6:.0f} µs per gate; ×200 structures = {200 * dt:.1f} s)"
    )


def _mcclean_engine(n, draws, **options):
    from plateau_pl.engines import StatevectorEngine

    qnn = mcclean_qnn(n)
    w = mcclean_draws(n, draws)[1]
    structures = [qnn.ansatz.redraw(s) for s in range(draws)]
    engine = StatevectorEngine(qnn, **options)
    engine.values_and_gradients(w[:2], structures[:2])
    return engine, w, structures


def flush_to_zero(n=12, draws=100):
    import torch

    engine, w, structures = _mcclean_engine(n, draws)
    print(f"\n3. flush-to-zero, McClean n = {n}, {draws} draws, ms per draw (interleaved)")
    for flush in (False, True, False, True):
        torch.set_flush_denormal(flush)
        try:
            dt = _best(lambda: engine.values_and_gradients(w, structures), repeat=1)
        finally:
            torch.set_flush_denormal(False)
        print(f"  flush={flush}: {dt / draws * 1e3:.2f}")


def threads(n=12, draws=200):
    print(f"\n4. threads, McClean n = {n}, {draws} draws, seconds (best of 3)")
    out = {}
    for k in (1, 2):
        engine, w, structures = _mcclean_engine(n, draws, threads=k)
        out[k] = _best(lambda e=engine, w=w, s=structures: e.values_and_gradients(w, s), 3)
        print(f"  threads={k}: {out[k]:.3f}")
    print(f"  speed-up on 2 threads: {out[1] / out[2]:.2f}×")


def tape_batches(n_hidden=4, draws=50):
    import pennylane as qml
    from pennylane import numpy as pnp

    import plateau_pl as pp

    qnn = pp.QNN(pp.WireLayout(1, n_hidden), "random_two_local", device="lightning.qubit", seed=0)
    w = np.asarray(qnn.init_weights(seed=1, batch=draws))
    qnn.gradient(w[0])

    def loop():
        return np.stack([qnn.gradient(x) for x in w])

    def batch():
        def total(ws):
            tapes = [qml.workflow.construct_tape(qnn.qnode)(ws[b]) for b in range(draws)]
            return qml.math.sum(
                qml.math.stack(qml.execute(tapes, qnn.device, diff_method="adjoint"))
            )

        return qml.grad(total)(pnp.array(w, requires_grad=True))

    dev = float(np.abs(loop() - batch()).max())
    t_loop, t_batch = _best(loop, 2), _best(batch, 2)
    print(
        f"\n5. lightning.qubit, random_two_local n = {n_hidden + 1}, {draws} draws: QNode loop "
        f"{t_loop:.2f} s, one qml.execute batch {t_batch:.2f} s (max |Δ| {dev:.1e})"
    )


def main():
    import torch

    torch.set_num_threads(1)
    rotation_costs()
    queue_cost()
    flush_to_zero()
    threads()
    tape_batches()


if __name__ == "__main__":
    main()
