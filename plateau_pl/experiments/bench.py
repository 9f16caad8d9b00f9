"""The device-swap benchmark: the same workload on each named PennyLane device.

For every device the workload's QNN is built on that device and run through its own PennyLane
path (``engine="device"``: the device and its differentiation method — adjoint on lightning,
backprop on default.qubit, PennyLane's choice on plugins), then — once — through plateau_pl's
statevector engine for comparison. Each row: wall time, speed-up against the first device, and the
largest deviation of the results (gradients or visible states) from the first device's. A device
that is not installed is reported as such and the others still run.

**Example**

>>> from plateau_pl.experiments.bench import device_bench
>>> rows = device_bench(["default.qubit", "no.such.device"], n_hidden=1, n_samples=4)
>>> [(r["device"], r["status"]) for r in rows]  # doctest: +NORMALIZE_WHITESPACE
[('default.qubit', 'ok'), ('no.such.device', 'not installed'),
 ('plateau_pl (statevector engine)', 'ok')]
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

import numpy as np

from plateau_pl._validation import check_choice, check_int
from plateau_pl._version import __version__
from plateau_pl.errors import ConfigurationError

__all__ = ["WORKLOADS", "bench_table", "device_bench"]

WORKLOADS = ("gradient-variance", "visible-state", "qbm")
"""Workloads of :func:`device_bench`: QNN gradients or visible states on PennyLane devices, or
QBM gradients on torch devices (``cpu``, ``cuda``, ``cuda:1``, ``mps``)."""


def _torch_device_available(name: str) -> bool:
    import torch

    try:
        dev = torch.device(name)
    except (RuntimeError, TypeError):
        return False
    if dev.type == "cpu":
        return True
    if dev.type == "cuda":
        return torch.cuda.is_available() and (dev.index or 0) < torch.cuda.device_count()
    if dev.type == "mps":
        return torch.backends.mps.is_available()
    return False


def _run_qbm(device: str, n_visible, n_hidden, n_samples, seed):
    import plateau_pl as pp
    from plateau_pl.diagnostics import ensembles as ens

    layout = pp.WireLayout(n_visible, n_hidden)
    qbm = pp.QBM(layout, pp.hamiltonians.random_two_local(layout, seed=seed))
    start = time.perf_counter()
    out = ens.qbm_gradients(qbm, n_samples, seed, device=device)
    return np.asarray(out), time.perf_counter() - start, "exact (Gibbs op)"


def _run(device: str, workload: str, n_visible, n_hidden, n_samples, seed, engine):
    import plateau_pl as pp
    from plateau_pl.diagnostics import ensembles as ens

    qnn = pp.QNN(pp.WireLayout(n_visible, n_hidden), "random_two_local", device=device, seed=seed)
    start = time.perf_counter()
    if workload == "gradient-variance":
        out = ens.qnn_gradients(qnn, n_samples, seed, engine=engine)[0]
    else:
        out = ens.qnn_visible_states(qnn, n_samples, seed, engine=engine)
    return np.asarray(out), time.perf_counter() - start, qnn.diff_method


def device_bench(
    devices,
    workload: str = "gradient-variance",
    n_visible: int = 1,
    n_hidden: int = 4,
    n_samples: int = 50,
    seed: int = 0,
) -> list[dict]:
    """Run ``workload`` on each device; one record per device (plus plateau_pl's engine).

    Args:
        devices: PennyLane device names, the first one the reference.
        workload: ``"gradient-variance"`` (gradients of ⟨Z_0⟩ of the ``random_two_local`` QNN
            over ``n_samples`` draws), ``"visible-state"`` (its visible states), or ``"qbm"``
            (exact gradients of ⟨Z_0⟩ over redrawn ``random_two_local`` QBM instances; the
            devices are then torch devices).
        n_visible: visible qubits.
        n_hidden: hidden qubits.
        n_samples: draws.
        seed: seed of the structure and the draws (the same on every device).

    Returns:
        list[dict]: records with ``device``, ``status`` (``ok``, ``not installed``, or the
        error), ``wall_s``, ``speedup`` (vs the first device that ran), ``max_deviation``.
    """
    import pennylane as qml

    devices = [d.strip() for d in devices if d.strip()]
    if not devices:
        raise ConfigurationError("devices must name at least one PennyLane device; got none")
    check_choice(workload, "workload", WORKLOADS)
    n_samples = check_int(n_samples, "n_samples", minimum=2)
    setup = {"workload": workload, "n_visible": n_visible, "n_hidden": n_hidden,
             "n_samples": n_samples, "seed": seed}  # fmt: skip
    rows, ref = [], None
    qbm = workload == "qbm"
    for device in devices if qbm else [*devices, "plateau_pl (statevector engine)"]:
        engine = "statevector" if device.startswith("plateau_pl") else "device"
        name = "default.qubit" if engine == "statevector" else device
        row = {"experiment": "device-bench", "device": device, **setup}
        if qbm and not _torch_device_available(device):
            rows.append({**row, "status": "not available (torch device)"})
            continue
        if not qbm and engine == "device" and device not in qml.plugin_devices:
            rows.append({**row, "status": "not installed"})
            continue
        try:
            if qbm:
                out, wall, diff = _run_qbm(device, n_visible, n_hidden, n_samples, seed)
            else:
                out, wall, diff = _run(name, workload, n_visible, n_hidden, n_samples, seed, engine)
        except Exception as exc:  # a plugin may fail in any way: report it, run the rest
            rows.append({**row, "status": f"{type(exc).__name__}: {exc}"})
            continue
        ref = (out, wall) if ref is None else ref
        rows.append({**row, "status": "ok", "diff_method": diff if engine == "device" else
                     "adjoint (kernels)", "wall_s": wall, "speedup": ref[1] / wall,
                     "max_deviation": float(np.abs(out - ref[0]).max()),
                     "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                     "plateau_pl_version": __version__})  # fmt: skip
    return rows


def bench_table(rows: list[dict]) -> str:
    """A plain-text table of :func:`device_bench` records."""
    head = f"{'device':<30} {'method':<18} {'wall s':>9} {'speed-up':>9} {'max |Δ|':>9}  status"
    lines = [head, "-" * len(head)]
    for r in rows:
        if r["status"] != "ok":
            lines.append(f"{r['device']:<30} {'':<18} {'':>9} {'':>9} {'':>9}  {r['status']}")
            continue
        lines.append(
            f"{r['device']:<30} {r['diff_method']:<18} {r['wall_s']:>9.3f} "
            f"{r['speedup']:>8.1f}× {r['max_deviation']:>9.1e}  ok"
        )
    return "\n".join(lines)
