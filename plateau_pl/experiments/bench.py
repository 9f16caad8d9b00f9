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


def _check_torch_device_names(devices) -> None:
    """Refuse strings torch cannot read as a device (a known device absent here is a row)."""
    import torch

    for name in devices:
        try:
            torch.device(name)
        except (RuntimeError, TypeError) as exc:
            raise ConfigurationError(
                f"devices: {name!r} is not a torch device name (the qbm workload runs on torch "
                f"devices such as cpu, cuda, cuda:1, mps): {exc}"
            ) from None


def _run_qbm(device: str, n_visible, n_hidden, n_samples, seed):
    from plateau_pl.circuits import WireLayout
    from plateau_pl.diagnostics import ensembles as ens
    from plateau_pl.hamiltonians import random_two_local
    from plateau_pl.models import QBM

    layout = WireLayout(n_visible, n_hidden)
    qbm = QBM(layout, random_two_local(layout, seed=seed))
    start = time.perf_counter()
    out = ens.qbm_gradients(qbm, n_samples, seed, device=device)
    return np.asarray(out), time.perf_counter() - start, "exact (Gibbs op)"


def _run(device, workload, *, n_visible, n_hidden, n_samples, seed, engine, shots, options):
    from plateau_pl.circuits import WireLayout
    from plateau_pl.diagnostics import ensembles as ens
    from plateau_pl.models import QNN

    qnn = QNN(
        WireLayout(n_visible, n_hidden),
        "random_two_local",
        device=device,
        seed=seed,
        shots=shots,
        device_options=options or None,
    )
    start = time.perf_counter()
    if workload == "gradient-variance":
        out = ens.qnn_gradients(qnn, n_samples, seed, engine=engine)[0]
    else:
        out = ens.qnn_visible_states(qnn, n_samples, seed, engine=engine)
    return qnn, np.asarray(out), time.perf_counter() - start


def _exact_reference(workload, n_visible, n_hidden, n_samples, seed):
    """The exact results (statevector engine) and, for the gradient workload, each entry's
    shot-noise scale per shot. A gate ``exp(−i g θ P)`` (``random_two_local``: ``g = 1``) has
    the two-term rule ``∂f/∂θ = g (f₊ − f₋)`` with ``f± = f(θ ± π/(4g))``, each term a mean of
    ±1 outcomes, so one shot per term gives the standard deviation ``g √(2 − f₊² − f₋²)``."""
    from plateau_pl.circuits import WireLayout
    from plateau_pl.diagnostics import ensembles as ens
    from plateau_pl.engines import select_engine
    from plateau_pl.models import QNN

    qnn = QNN(
        WireLayout(n_visible, n_hidden), "random_two_local", device="default.qubit", seed=seed
    )
    start = time.perf_counter()
    if workload != "gradient-variance":
        out = ens.qnn_visible_states(qnn, n_samples, seed, engine="statevector")
        return qnn, np.asarray(out), time.perf_counter() - start, None
    grads, weights = ens.qnn_gradients(qnn, n_samples, seed, engine="statevector")
    wall = time.perf_counter() - start
    flat = np.asarray(weights).reshape(n_samples, -1)
    p = flat.shape[1]
    g = qnn.ansatz.generator_scale
    shifts = np.stack([np.eye(p), -np.eye(p)], axis=1) * (np.pi / (4 * g))  # (p, 2, p)
    shifted = (flat[:, None, None, :] + shifts[None]).reshape(-1, *qnn.weight_shape)
    f = select_engine(qnn, "statevector").values(shifted).reshape(n_samples, p, 2)
    scale = g * np.sqrt(np.clip(2 - f[..., 0] ** 2 - f[..., 1] ** 2, 0, None))
    return qnn, np.asarray(grads), wall, scale.reshape(grads.shape)


def _deviation(workload, out, exact, shots, scale, n_visible) -> dict:
    """Largest deviation from the exact results and, for shot estimates, the RMS of the
    deviations in units of their shot-noise standard errors (≈ 1 when the device is right)."""
    row = {"max_deviation": float(np.abs(out - exact).max()), "deviation_z_rms": None}
    if shots is None:
        return row
    if workload == "gradient-variance":
        z = (out - exact) / np.maximum(scale / np.sqrt(shots), 1e-12)
    else:  # visible Pauli expectations ⟨P⟩ = Tr(ρ P), each estimated from `shots` shots
        from plateau_pl.quantum.paulis import pauli_word_matrices

        mats = pauli_word_matrices(n_visible)
        est = np.einsum("nij,kji->nk", out, mats).real
        ref = np.einsum("nij,kji->nk", exact, mats).real
        z = (est - ref) / np.maximum(np.sqrt(np.clip(1 - ref**2, 0, None) / shots), 1e-12)
    row["deviation_z_rms"] = float(np.sqrt(np.mean(z**2)))
    return row


def _status(row: dict, atol: float) -> str:
    if row["deviation_z_rms"] is not None:  # shot noise: RMS z ≈ 1; 1.5 is far outside
        return "ok" if row["deviation_z_rms"] < 1.5 else "DEVIATES beyond shot noise"
    return "ok" if row["max_deviation"] <= atol else f"DEVIATES (tolerance {atol:g})"


def device_bench(
    devices,
    workload: str = "gradient-variance",
    n_visible: int = 1,
    n_hidden: int = 4,
    n_samples: int = 50,
    seed: int = 0,
    shots: int | None = None,
    device_options: dict | None = None,
) -> list[dict]:
    """Run ``workload`` on each device; one record per device (plus plateau_pl's engine).

    Args:
        devices: PennyLane device names (torch device names for ``"qbm"``).
        workload: ``"gradient-variance"`` (gradients of ⟨Z_0⟩ of the ``random_two_local`` QNN
            over ``n_samples`` draws), ``"visible-state"`` (its visible states), or ``"qbm"``
            (exact gradients of ⟨Z_0⟩ over redrawn ``random_two_local`` QBM instances; the
            devices are then torch devices).
        n_visible: visible qubits.
        n_hidden: hidden qubits.
        n_samples: draws.
        seed: seed of the structure, the draws and the devices' sampling.
        shots: ``None`` (exact; devices that only sample are then reported as refusing) or shots
            per circuit on every device.
        device_options: constructor options by device name (``{"qiskit.aer": {"method":
            "statevector"}}``).

    Returns:
        list[dict]: records with ``device``, ``status`` (``ok``, ``DEVIATES …``, ``not
        installed``, or the error), ``diff_method`` (the one PennyLane ran), ``shots``,
        ``estimate`` (``exact`` or ``samples``), ``device_seed``, ``wall_s``, ``s_per_draw``,
        ``speedup`` (against the first device that ran), ``max_deviation`` (from the exact
        results of plateau_pl's statevector engine) and ``deviation_z_rms`` (shots: the RMS
        deviation in standard errors, ≈ 1 when right).
    """
    import pennylane as qml

    from plateau_pl.devices import profile_for

    devices = [d.strip() for d in devices if d.strip()]
    if not devices:
        raise ConfigurationError("devices must name at least one PennyLane device; got none")
    check_choice(workload, "workload", WORKLOADS)
    n_visible = check_int(n_visible, "n_visible", minimum=1)
    n_hidden = check_int(n_hidden, "n_hidden", minimum=0)
    n_samples = check_int(n_samples, "n_samples", minimum=2)
    seed = check_int(seed, "seed", minimum=0)
    if shots is not None:
        shots = check_int(shots, "shots", minimum=1)
    options = dict(device_options or {})
    setup = {
        "workload": workload,
        "n_visible": n_visible,
        "n_hidden": n_hidden,
        "n_samples": n_samples,
        "seed": seed,
    }
    if workload == "qbm":
        _check_torch_device_names(devices)
        return _qbm_rows(devices, setup)
    from plateau_pl.devices import check_qubit_device

    for device in devices:  # installed devices that are not of qubits: refused up front
        if device in qml.plugin_devices:
            check_qubit_device(device)
    _, exact, exact_wall, scale = _exact_reference(workload, n_visible, n_hidden, n_samples, seed)
    rows, first_wall = [], None
    for device in devices:
        row = {"experiment": "device-bench", "device": device, **setup}
        if device not in qml.plugin_devices:
            rows.append({**row, "status": "not installed"})
            continue
        try:
            qnn, out, wall = _run(
                device,
                workload,
                **{k: setup[k] for k in ("n_visible", "n_hidden", "n_samples", "seed")},
                engine="device",
                shots=shots,
                options=options.get(device),
            )
            dev = _deviation(workload, out, exact, qnn.shots, scale, n_visible)
        except Exception as exc:  # a plugin may fail in any way: report it, run the rest
            rows.append({**row, "status": f"{type(exc).__name__}: {exc}"})
            continue
        first_wall = wall if first_wall is None else first_wall
        rows.append(
            {
                **row,
                **_timing(wall, first_wall, n_samples),
                **dev,
                "status": _status(dev, profile_for(device).atol),
                "diff_method": qnn.diff_method,
                "shots": qnn.shots,
                "estimate": "samples" if qnn.shots else "exact",
                "device_seed": qnn.device_seed,
                "device_options": qnn.to_dict()["device_options"],
                "device_options_added": qnn.to_dict()["device_options_added"],
                **_stamp(),
            }
        )
    engine = {
        "experiment": "device-bench",
        "device": "plateau_pl (statevector engine)",
        **setup,
        **_timing(exact_wall, first_wall or exact_wall, n_samples),
        "status": "ok",
        "diff_method": "adjoint (kernels)",
        "shots": None,
        "estimate": "exact",
        "device_seed": None,
        "max_deviation": 0.0,
        "deviation_z_rms": None,
        **_stamp(),
    }
    return [*rows, engine]


def _qbm_rows(devices, setup) -> list[dict]:
    rows, ref = [], None
    for device in devices:
        row = {"experiment": "device-bench", "device": device, **setup}
        if not _torch_device_available(device):
            rows.append({**row, "status": "not available (torch device)"})
            continue
        try:
            out, wall, diff = _run_qbm(
                device, setup["n_visible"], setup["n_hidden"], setup["n_samples"], setup["seed"]
            )
        except Exception as exc:  # a torch backend may fail in any way: report it
            rows.append({**row, "status": f"{type(exc).__name__}: {exc}"})
            continue
        ref = (out, wall) if ref is None else ref
        rows.append(
            {
                **row,
                **_timing(wall, ref[1], setup["n_samples"]),
                "status": "ok",
                "diff_method": diff,
                "shots": None,
                "estimate": "exact",
                "max_deviation": float(np.abs(out - ref[0]).max()),
                "deviation_z_rms": None,
                **_stamp(),
            }
        )
    return rows


def _timing(wall: float, first_wall: float, n_samples: int) -> dict:
    return {"wall_s": wall, "s_per_draw": wall / n_samples, "speedup": first_wall / wall}


def _stamp() -> dict:
    return {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "plateau_pl_version": __version__,
    }


def bench_table(rows: list[dict]) -> str:
    """A plain-text table of :func:`device_bench` records.

    ``s/draw`` is the time per gradient (or visible state); ``max |Δ|`` is measured against the
    exact results; ``Δ/σ`` (rows estimated from samples) is the RMS deviation in shot-noise
    standard errors, ≈ 1 when the device is right.
    """
    head = (
        f"{'device':<31} {'method':<17} {'shots':>6} {'estimate':<8} {'s/draw':>9} "
        f"{'wall s':>8} {'speed-up':>9} {'max |Δ|':>8} {'Δ/σ':>5}  status"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        if "wall_s" not in r:
            lines.append(
                f"{r['device']:<31} {'':<17} {'':>6} {'':<8} {'':>9} {'':>8} {'':>9} "
                f"{'':>8} {'':>5}  {r['status']}"
            )
            continue
        z = "" if r["deviation_z_rms"] is None else f"{r['deviation_z_rms']:.2f}"
        shots = "" if r["shots"] is None else str(r["shots"])
        lines.append(
            f"{r['device']:<31} {r['diff_method']:<17} {shots:>6} {r['estimate']:<8} "
            f"{r['s_per_draw']:>9.2e} {r['wall_s']:>8.2f} {r['speedup']:>8.3g}× "
            f"{r['max_deviation']:>8.1e} {z:>5}  {r['status']}"
        )
    return "\n".join(lines)
