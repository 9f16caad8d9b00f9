"""The ``plateau-pl`` command line: a thin argparse layer over the experiments.

>>> from plateau_pl.cli import build_parser
>>> build_parser().parse_args(["reproduce", "--quick"]).quick
True
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["build_parser", "main"]

_QUICK = {"n_hidden": range(0, 6), "n_samples": 100}
_FULL = {"n_hidden": range(0, 9), "n_samples": 200}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``plateau-pl`` and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="plateau-pl",
        description="Find, measure and avoid entanglement-induced barren plateaus in QNNs.",
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    rep = sub.add_parser(
        "reproduce",
        help="scan hidden units: trace distance of ρ_v to I/D_v and gradient variance vs Haar",
        description=(
            "Scan the number of hidden qubits for the paper's random_two_local QNN (one visible "
            "qubit) and record the mean trace distance of the visible state to the maximally "
            "mixed state, its purity and the gradient variance, beside the exact Haar values "
            "and the paper's bound. Writes records.jsonl and summary.md to --out."
        ),
    )
    rep.add_argument("--quick", action="store_true", help="n_hidden 0..5, 100 draws (seconds)")
    rep.add_argument("--out", type=Path, default=Path("plateau_runs"), help="output folder")
    rep.add_argument("--device", default="default.qubit", help="PennyLane device name")
    rep.add_argument("--seed", type=int, default=0, help="scan seed (default 0)")
    rep.set_defaults(func=_reproduce)

    info = sub.add_parser("info", help="versions and installed PennyLane devices")
    info.set_defaults(func=_info)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``plateau-pl`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ValueError as exc:  # the PlateauError family: a user error, not a crash
        print(f"plateau-pl: error: {exc}", file=sys.stderr)
        return 2


def _version() -> str:
    from plateau_pl._version import __version__

    return f"plateau_pl {__version__}"


def _reproduce(args) -> int:
    from plateau_pl.experiments import hidden_unit_scan, write_records_atomic
    from plateau_pl.experiments.records import write_text_atomic
    from plateau_pl.experiments.summary import summary_table

    sizes = _QUICK if args.quick else _FULL
    print(
        f"plateau-pl reproduce: random_two_local QNN, n_visible=1, "
        f"n_hidden={sizes['n_hidden'].start}..{sizes['n_hidden'].stop - 1}, "
        f"{sizes['n_samples']} draws per point, device={args.device}",
        flush=True,
    )
    records = hidden_unit_scan(
        n_visible=1,
        device=args.device,
        seed=args.seed,
        progress=lambda r: print(f"  n_hidden={r['n_hidden']} done in {r['wall_s']} s", flush=True),
        **sizes,
    )
    table = summary_table(records)
    write_records_atomic(args.out / "records.jsonl", records)
    write_text_atomic(args.out / "summary.md", table)
    print(table)
    print(f"wrote {args.out / 'records.jsonl'} and {args.out / 'summary.md'}")
    return 0


def _info(args) -> int:
    import pennylane as qml
    import torch

    print(_version())
    print(f"pennylane {qml.__version__}, torch {torch.__version__}")
    print("installed devices: " + ", ".join(sorted(qml.plugin_devices)))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
