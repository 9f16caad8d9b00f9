"""The ``plateau-pl`` command line: a thin argparse layer over experiments and plotting.

Subcommands: ``reproduce`` (the paper's figures, records and a summary), ``sweep`` (one named
experiment over a grid, resumable), ``plot`` (figures from records), ``bench`` (the same
workload on several PennyLane devices), ``predict`` (Lie-algebraic variance prediction),
``shots`` (shot budgets from measured gradient variances), ``info``.

>>> from plateau_pl.cli import build_parser, parse_values
>>> build_parser().parse_args(["reproduce", "--quick"]).quick
True
>>> parse_values("0:8:2"), parse_values("none,opnorm"), parse_values("0.5")
([0, 2, 4, 6, 8], [None, 'opnorm'], [0.5])
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from plateau_pl.experiments.registry import EXPERIMENTS
from plateau_pl.experiments.specs import SPECS

__all__ = ["build_parser", "main", "parse_values"]

EXECUTORS = ("serial", "process", "dask")
MAX_RANGE = 100_000
"""The most values one ``START:STOP[:STEP]`` range may expand to."""


def _scalar(text: str):
    low = text.strip().lower()
    if low in ("none", "null"):
        return None
    if low in ("true", "false"):
        return low == "true"
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text.strip()


def parse_values(text: str) -> list:
    """``"0:8"`` (inclusive), ``"0:8:2"``, ``"1,3,5"``, ``"none,opnorm"`` or one value → list."""
    if not isinstance(text, str):
        raise argparse.ArgumentTypeError(f"values must be text; got {type(text).__name__}")
    if ":" in text and all(p.strip().lstrip("-").isdigit() for p in text.split(":")):
        parts = [int(p) for p in text.split(":")]
        if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] <= 0):
            raise argparse.ArgumentTypeError(f"a range is START:STOP[:STEP>0]; got {text!r}")
        if (parts[1] - parts[0]) // (parts[2] if len(parts) == 3 else 1) >= MAX_RANGE:
            raise argparse.ArgumentTypeError(
                f"the range {text!r} has more than {MAX_RANGE} values; a grid that large is "
                "not a sweep one machine can run"
            )
        if parts[0] > parts[1]:
            raise argparse.ArgumentTypeError(
                f"the range {text!r} is empty: its start {parts[0]} is greater than its stop "
                f"{parts[1]} (ranges are START:STOP, both included)"
            )
        return list(range(parts[0], parts[1] + 1, parts[2] if len(parts) == 3 else 1))
    return [_scalar(p) for p in text.split(",")]


class _RegistryNames:
    """The names of a registry, read when argparse first needs them (help or a check), so
    that building the parser imports nothing heavy."""

    def __init__(self, load):
        self._load = load

    def __iter__(self):
        return iter(sorted(self._load()))

    def __contains__(self, name) -> bool:
        return name in self._load()


def _ansatz_names():
    from plateau_pl.circuits import ANSATZE

    return ANSATZE


def _param(text: str) -> tuple[str, list]:
    name, sep, values = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"--param takes NAME=VALUES; got {text!r}")
    return name.strip().replace("-", "_"), parse_values(values)


def _add_executor_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="serial",
        help="where grid points run: here, local processes, or a Dask cluster",
    )
    p.add_argument("--workers", type=int, default=None, help="processes / Dask workers")
    p.add_argument(
        "--scheduler",
        default=None,
        help="address of a running Dask scheduler (with --executor dask)",
    )
    p.add_argument("--seed", type=int, default=0, help="sweep seed (default 0)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``plateau-pl`` and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="plateau-pl",
        description="Find, measure and avoid entanglement-induced barren plateaus in QNNs "
        "and quantum Boltzmann machines (Ortiz Marrero, Kieferová, Wiebe, PRX Quantum 2021).",
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    rep = sub.add_parser(
        "reproduce",
        help="run the paper's studies: records, figures and a summary table",
        description="Reproduce the paper's evidence: trace distance of the visible state to "
        "I/D_v (QNN, QBM with and without operator-norm normalisation) and gradient variance "
        "against the number of hidden qubits, the area-law contrast and McClean's experiment, "
        "with exact Haar values and the paper's bounds. Writes records/*.jsonl, figures/*.png "
        "and summary.md under --out; a rerun resumes.",
    )
    rep.add_argument("--quick", action="store_true", help="small sizes: well under a minute")
    rep.add_argument(
        "--out",
        type=Path,
        default=Path("plateau_runs"),
        help="output folder (default plateau_runs)",
    )
    rep.add_argument("--device", default="default.qubit", help="PennyLane device of the QNNs")
    rep.add_argument("--shots", type=int, default=None, help="shots per circuit (default exact)")
    _add_device_option(rep)
    rep.add_argument("--pdf", action="store_true", help="also write PDF figures")
    _add_executor_options(rep)
    rep.set_defaults(func=_reproduce)

    sw = sub.add_parser(
        "sweep",
        help="run one named experiment over a grid (resumable JSON lines)",
        description="Run EXPERIMENT over the grid given by the options (ranges like 0:8 are "
        "inclusive; lists are comma-separated) and append one JSON line per point to --out. "
        "Points already in --out are skipped.",
        epilog=_experiments_help(),
        formatter_class=_ListFormatter,
    )
    sw.add_argument("experiment", help="the experiment to run (listed below)")
    sw.add_argument("--out", type=Path, required=True, help="records file (JSON lines)")
    sw.add_argument("--n-visible", type=parse_values, default=None, help="e.g. 1 or 1,2")
    sw.add_argument("--n-hidden", type=parse_values, default=None, help="e.g. 0:8")
    sw.add_argument("--n-qubits", type=parse_values, default=None, help="mcclean: e.g. 2:10:2")
    sw.add_argument("--samples", type=int, default=None, help="draws per point")
    sw.add_argument("--device", default=None, help="PennyLane device (QNN experiments)")
    sw.add_argument("--shots", type=int, default=None, help="shots per circuit (default exact)")
    sw.add_argument(
        "--engine",
        default=None,
        help="QNN experiments: auto, statevector, device, or pauli (second moments by Pauli-path "
        "walks at any number of qubits; --samples is then the number of walks)",
    )
    _add_device_option(sw)
    sw.add_argument(
        "--param",
        type=_param,
        action="append",
        default=[],
        help="any other parameter: NAME=VALUES, e.g. normalize=none,opnorm",
    )
    _add_executor_options(sw)
    sw.set_defaults(func=_sweep)

    pl = sub.add_parser(
        "plot",
        help="figures from a records file",
        description="Plot RECORDS (JSON lines) to --out (PNG, PDF on request).",
    )
    pl.add_argument("records", type=Path, help="records file written by sweep or reproduce")
    pl.add_argument("--out", type=Path, required=True, help="figure file (.png or .pdf)")
    pl.add_argument("--y", default=None, help="field to plot (default: the experiment's own)")
    pl.add_argument("--x", default=None, help="field on the x axis (default n_hidden)")
    pl.add_argument("--pdf", action="store_true", help="also write a PDF")
    pl.set_defaults(func=_plot)

    sh = sub.add_parser(
        "shots",
        help="shot budgets from measured gradient variances",
        description="For each record of a gradient experiment in RECORDS, the shots per circuit "
        "a parameter-shift gradient component needs to reach --snr (N = 2 g^2 sigma^2 snr^2 / "
        "Var[df]), and per full gradient; with --out, the budget against n_hidden as a figure.",
    )
    sh.add_argument("records", type=Path, help="records with grad_variance (e.g. qnn-gradient)")
    sh.add_argument("--snr", type=float, default=2.0, help="target signal-to-noise (default 2)")
    sh.add_argument("--field", default="grad_variance", help="variance field to use")
    sh.add_argument("--out", type=Path, default=None, help="also plot the budget (PNG)")
    sh.set_defaults(func=_shots)

    be = sub.add_parser(
        "bench",
        help="device-swap benchmark: the same workload on each PennyLane device",
        description="Run the random_two_local gradient-variance (or visible-state) workload "
        "on each named PennyLane device through its own differentiation method, then through "
        "plateau_pl's statevector engine; or the QBM gradient workload on each torch device. Print "
        "wall time, speed-up against the first device and the largest deviation from it. "
        "Devices that are not installed or not available are reported; the others still run.",
    )
    be.add_argument(
        "--devices",
        default="default.qubit,lightning.qubit",
        help="comma-separated PennyLane device names (the first is the reference)",
    )
    be.add_argument(
        "--workload",
        choices=("gradient-variance", "visible-state", "qbm"),
        default="gradient-variance",
        help="QNN gradients or visible states on PennyLane devices, or QBM gradients on torch "
        "devices (e.g. --devices cpu,cuda)",
    )
    be.add_argument("--n-visible", type=int, default=1, help="visible qubits (default 1)")
    be.add_argument("--n-hidden", type=int, default=4, help="hidden qubits (default 4)")
    be.add_argument("--samples", type=int, default=50, help="weight draws (default 50)")
    be.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed of structure, draws and device sampling (default 0)",
    )
    be.add_argument(
        "--shots",
        type=int,
        default=None,
        help="shots per circuit on every device (default: exact; devices that only sample, "
        "such as qiskit.basicsim, then report that they need shots)",
    )
    _add_device_option(be, per_device=True)
    be.add_argument("--out", type=Path, default=None, help="append the records (JSON lines)")
    be.set_defaults(func=_bench)

    pr = sub.add_parser(
        "predict",
        help="Lie-algebraic prediction of the loss variance of a deep circuit",
        description="Compute the dynamical Lie algebra of the ansatz's generators, split it into "
        "simple ideals and center, and predict Var[loss] = sum_j P_j(rho) P_j(O) / dim g_j "
        "(Ragone et al. 2024; valid for deep circuits, when O or rho lies in the algebra). "
        "With --sample N, also sample the loss variance over N random weight draws.",
    )
    pr.add_argument(
        "--ansatz",
        default="random_two_local",
        choices=_RegistryNames(_ansatz_names),
        metavar="NAME",
        help="ansatz: %(choices)s (default %(default)s)",
    )
    pr.add_argument("--n-visible", type=int, default=1)
    pr.add_argument("--n-hidden", type=int, default=4)
    pr.add_argument("--layers", type=int, default=None, help="depth (the ansatz's default)")
    pr.add_argument("--seed", type=int, default=0, help="structure seed (and sampling seed)")
    pr.add_argument(
        "--observable",
        default=None,
        help="Pauli word on the visible wires, 'Z' (wire 0), 'XZ' or 'X0 Z1' (default Z on 0)",
    )
    pr.add_argument("--sample", type=int, default=None, help="also sample N weight draws")
    pr.add_argument(
        "--generators",
        default=None,
        help="your own design instead of --ansatz: its gates' generators as Pauli words, "
        "separated by ';' (e.g. 'X0;X1;X2;Z0 Z1;Z1 Z2'); --n-qubits sets the size",
    )
    pr.add_argument("--n-qubits", type=int, default=None, help="qubits of --generators")
    pr.set_defaults(func=_predict)

    info = sub.add_parser(
        "info",
        help="versions and installed PennyLane devices",
        description="Print plateau_pl's, PennyLane's and torch's versions, the installed "
        "PennyLane devices, and what plateau_pl knows of each (exact mode, seeding, noise).",
    )
    info.set_defaults(func=_info)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``plateau-pl`` console script.

    Exit codes: 0 done, 1 some points failed (reported, the rest written), 2 bad input or a file
    that cannot be read or written (one clean message, no traceback), 130 interrupted. Any other
    exception is a bug of plateau_pl and shows its traceback.
    """
    from plateau_pl.errors import PlateauError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except PlateauError as exc:  # bad input: a user error, not a crash
        print(f"plateau-pl: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file or folder that cannot be read or written
        print(f"plateau-pl: error: {_os_error(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "plateau-pl: interrupted; finished points are saved, a rerun resumes", file=sys.stderr
        )
        return 130


def _os_error(exc: OSError) -> str:
    if exc.filename is None:
        return str(exc)
    what = exc.strerror or type(exc).__name__
    target = exc.filename if exc.filename2 is None else f"{exc.filename} -> {exc.filename2}"
    return f"{what}: {target}"


def _version() -> str:
    from plateau_pl._version import __version__

    return f"plateau_pl {__version__}"


def _executor_options(args) -> dict:
    return {
        "executor": args.executor,
        "seed": args.seed,
        "n_workers": args.workers,
        "scheduler_address": args.scheduler,
        "progress": False if args.no_progress else None,
    }


def _add_device_option(parser, per_device: bool = False) -> None:
    extra = (
        "; DEVICE:KEY=VALUE sets it for one device only (e.g. qiskit.aer:method=statevector)"
        if per_device
        else ""
    )
    parser.add_argument(
        "--device-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a constructor option of the PennyLane device, repeatable (e.g. "
        "--device-option method=statevector); VALUE is read as a Python literal where it is "
        "one" + extra,
    )


def _per_device_options(items, devices) -> dict:
    """``KEY=VALUE`` for every device, ``DEVICE:KEY=VALUE`` for one."""
    from plateau_pl.devices import parse_device_options
    from plateau_pl.errors import ConfigurationError

    shared, own = [], {}
    for item in items:
        head, sep, _ = item.partition("=")
        device, colon, _ = head.rpartition(":")
        if sep and colon:
            if device not in devices:
                raise ConfigurationError(
                    f"--device-option {item!r} names device {device!r}, which is not in "
                    f"--devices ({', '.join(devices)})"
                )
            own.setdefault(device, []).append(item[len(device) + 1 :])
        else:
            shared.append(item)
    common = parse_device_options(shared)
    return {d: {**common, **parse_device_options(own.get(d, []))} for d in devices}


def _check_device(name: str | None) -> None:
    """Fail early, before any sweep, on a device PennyLane does not know or not of qubits."""
    if name is not None:
        from plateau_pl.devices import check_qubit_device

        check_qubit_device(name)


def _report_failures(results) -> int:
    """Exit code 1 if any point failed (each sweep has listed its failures on stderr)."""
    return 1 if any(r.failures for r in results.values()) else 0


def _reproduce(args) -> int:
    from plateau_pl.devices import parse_device_options
    from plateau_pl.experiments.reproduce import paper_studies, run_studies
    from plateau_pl.records import load_records

    _check_device(args.device)
    studies = paper_studies(
        quick=args.quick,
        device=args.device,
        shots=args.shots,
        device_options=parse_device_options(args.device_option),
    )
    size = "quick" if args.quick else "full"
    print(
        f"plateau-pl reproduce ({size}): {len(studies)} studies, device={args.device}, "
        f"executor={args.executor}",
        flush=True,
    )
    start = time.perf_counter()

    def done(name, r):
        print(f"  {name}: {len(r.records)} new points, {r.skipped} resumed", flush=True)

    results = run_studies(studies, args.out, on_done=done, **_executor_options(args))
    records = {
        s.name: load_records(args.out / "records" / f"{s.name}.jsonl", missing_ok=True)
        for s in studies
    }
    figures = _paper_figures(records, studies, args.out / "figures", args.pdf)
    summary = _summary(records, size, time.perf_counter() - start, figures)
    from plateau_pl.records import write_text_atomic

    write_text_atomic(args.out / "summary.md", summary)
    print(summary)
    print(f"wrote {args.out / 'records'}/, {args.out / 'figures'}/ and {args.out / 'summary.md'}")
    return _report_failures(results)


def _paper_figures(records: dict, studies, folder: Path, pdf: bool) -> list[Path]:
    """The figures of ``reproduce`` (:data:`plateau_pl.experiments.reproduce.PAPER_FIGURES`),
    a figure without records skipped with a line on stderr."""
    from plateau_pl.plotting.figures import write_figures

    def skipped(stem, exc):
        print(f"  skipped {stem}: {exc}", file=sys.stderr)

    return write_figures(records, folder, pdf=pdf, studies=studies, on_skip=skipped)


def _experiments_help() -> str:
    """``plateau-pl sweep``'s list of experiments: each name with its one-line summary."""
    width = max(map(len, EXPERIMENTS)) + 2
    lines = [f"  {name:<{width}}{SPECS[name].summary}" for name in EXPERIMENTS]
    return "experiments:\n" + "\n".join(lines)


class _ListFormatter(argparse.HelpFormatter):
    """Wraps text as argparse does, except a text of several lines (a list), kept as written."""

    def _fill_text(self, text, width, indent):
        if "\n" in text:
            return "\n".join(indent + line for line in text.splitlines())
        return super()._fill_text(text, width, indent)


def _summary(records: dict, size: str, wall_s: float, figures: list[Path]) -> str:
    from plateau_pl.report import summary_table

    everything = [r for recs in records.values() for r in recs]
    lines = [
        f"# plateau-pl reproduce ({size})",
        "",
        f"{len(everything)} records, {wall_s:.0f} s. Fitted rates are slopes of log₂ y per added "
        "qubit (hidden qubit, or qubit for McClean), weighted by the standard errors; the theory "
        "column fits the Haar values over the same points.",
        "",
        summary_table(everything),
        "Figures: " + ", ".join(p.name for p in figures if p.suffix == ".png"),
        "",
    ]
    return "\n".join(lines)


def _sweep(args) -> int:
    from plateau_pl.experiments.sweep import run_sweep

    _check_device(args.device)
    grid = dict(args.param)
    for key, value in (
        ("n_visible", args.n_visible),
        ("n_hidden", args.n_hidden),
        ("n_qubits", args.n_qubits),
    ):
        if value is not None:
            grid[key] = value
    if args.samples is not None:
        grid["n_samples"] = args.samples
    if args.device is not None:
        grid["device"] = args.device
    if args.shots is not None:
        grid["shots"] = args.shots
    if args.engine is not None:
        grid["engine"] = args.engine
    if args.device_option:
        from plateau_pl.devices import parse_device_options

        grid["device_options"] = parse_device_options(args.device_option)
    result = run_sweep(args.experiment, grid, args.out, **_executor_options(args))
    others = f"{result.concurrent} written by another sweep, " if result.concurrent else ""
    print(
        f"{args.experiment}: {len(result.records)} new points, {result.skipped} resumed, "
        f"{others}{len(result.failures)} failed → {args.out}"
    )
    return _report_failures({args.experiment: result})


def _plot(args) -> int:
    from plateau_pl.plotting import plot_records

    paths = plot_records(args.records, args.out, y=args.y, x=args.x, pdf=args.pdf)
    for p in paths:
        print(f"wrote {p}")
    return 0


def _shots(args) -> int:
    from plateau_pl.budget import format_shot_budget, shot_budget
    from plateau_pl.records import load_records

    records = load_records(args.records)
    print(format_shot_budget(shot_budget(records, snr=args.snr, field=args.field), args.field))
    if args.out is not None:
        from plateau_pl.plotting import figure_shot_budget, save_figure

        fig, _ = figure_shot_budget(records, snr=args.snr, field=args.field)
        for p in save_figure(fig, args.out):
            print(f"wrote {p}")
    return 0


def _bench(args) -> int:
    from plateau_pl.experiments.bench import bench_table, device_bench

    devices = [d.strip() for d in args.devices.split(",") if d.strip()]
    options = _per_device_options(args.device_option, devices)
    rows = device_bench(
        devices,
        args.workload,
        args.n_visible,
        args.n_hidden,
        args.samples,
        args.seed,
        shots=args.shots,
        device_options=options,
    )
    shots = "exact" if args.shots is None else f"{args.shots} shots"
    print(
        f"{args.workload}: random_two_local, n_visible={args.n_visible}, "
        f"n_hidden={args.n_hidden}, {args.samples} draws, seed {args.seed}, {shots}"
    )
    print(bench_table(rows))
    if args.out is not None:
        from plateau_pl.records import append_record_atomic

        for row in rows:
            append_record_atomic(args.out, row)
        print(f"wrote {args.out}")
    return 0


def _predict(args) -> int:
    from plateau_pl.circuits import WireLayout
    from plateau_pl.diagnostics import sample_variance
    from plateau_pl.errors import PlateauError
    from plateau_pl.lie.predict import predict_variance
    from plateau_pl.lie.words import word_from_string, word_to_string
    from plateau_pl.models import QNN

    if args.generators is not None:
        return _predict_generators(args)
    layout = WireLayout(args.n_visible, args.n_hidden)
    observable = None
    if args.observable is not None:
        import pennylane as qml

        key = word_from_string(args.observable)
        letters = word_to_string(key, (key[0] | key[1]).bit_length())
        paulis = {"X": qml.X, "Y": qml.Y, "Z": qml.Z}
        terms = [paulis[ch](q) for q, ch in enumerate(letters) if ch != "I"]
        if not terms:
            raise PlateauError(f"--observable must not be the identity; got {args.observable!r}")
        observable = qml.prod(*terms) if len(terms) > 1 else terms[0]
    qnn = QNN(
        layout,
        args.ansatz,
        n_layers=args.layers,
        observable=observable,
        device="default.qubit",
        seed=args.seed,
    )
    pred = predict_variance(qnn)
    print(
        f"predict: {args.ansatz}, n_visible={args.n_visible}, n_hidden={args.n_hidden}, "
        f"n_layers={qnn.ansatz.n_layers}, seed {args.seed}"
    )
    print(pred)
    print(_depth_check(qnn))
    if args.sample is not None:
        start = time.perf_counter()
        s = sample_variance(qnn, args.sample, seed=args.seed)
        wall = time.perf_counter() - start
        line = f"sampled Var[loss] = {s['variance']:.6g} ± {s['variance_stderr']:.2g}"
        if pred.variance is not None:
            dev = (s["variance"] - pred.variance) / max(s["variance_stderr"], 1e-300)
            line += f" ({dev:+.2f} stderr from the prediction)"
        print(
            f"{line}, E[loss] = {s['mean']:.4g} ± {s['mean_stderr']:.2g}; "
            f"{args.sample} draws, {wall:.2f} s"
        )
    return 0


def _depth_check(qnn) -> str:
    """Whether the circuit is deep enough for the deep-circuit formula, by its light cone."""
    from plateau_pl.lie.predict import light_cone

    cone, n, depth = light_cone(qnn), qnn.layout.n_wires, qnn.ansatz.n_layers
    if cone < n:
        return (
            f"depth check: TOO SHALLOW for the formula: after {depth} layers the observable's "
            f"light cone covers {cone} of {n} qubits, so the circuit is far from a 2-design "
            "and its variance is typically much larger than predicted (try more --layers)"
        )
    return (
        f"depth check: the observable's light cone covers all {n} qubits after {depth} layers; "
        "the formula is the deep-circuit limit, approached as the depth grows (compare with "
        "--sample)"
    )


def _predict_generators(args) -> int:
    from plateau_pl.lie.predict import predict_variance

    words = [w.strip() for w in args.generators.split(";") if w.strip()]
    pred = predict_variance(words, observable=args.observable or "Z0", n_qubits=args.n_qubits)
    print(f"predict: {len(words)} generators on {pred.n_qubits} qubits")
    print(pred)
    if args.sample is not None:
        print("(--sample needs a circuit: use --ansatz, or sample your QNN from Python)")
    return 0


def _info(args) -> int:
    import pennylane as qml
    import torch

    print(_version())
    print(f"pennylane {qml.__version__}, torch {torch.__version__}")
    from plateau_pl.devices import PROFILES

    print("installed devices: " + ", ".join(sorted(qml.plugin_devices)))
    print("devices plateau_pl knows (see README, Devices):")
    for name, profile in PROFILES.items():
        if name in qml.plugin_devices:
            print(f"  {name:<20} {profile.note}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
