"""Benchmark: plateau_pl's Pauli-word Lie closure against ``qml.lie_closure``.

For each generator set and size: the dimension found by each method (they must agree), the
seconds each took, and the ratio. ``qml.lie_closure(..., pauli=True)`` gets ``PauliWord``
generators; plateau_pl's :func:`~plateau_pl.lie.closure.lie_algebra` is run with its early
su(2^n) detection (the default) and, where that fires, also without it (full enumeration).
``qml.lie_closure`` is skipped (``-``) where it would take longer than ``--limit`` seconds on
the previous size. A second table times the ideal decomposition and the whole prediction.

Run: ``OMP_NUM_THREADS=1 python benchmarks/lie_closure.py [--limit 60]``
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")


def tfim(n):
    xs = ["I" * j + "X" + "I" * (n - j - 1) for j in range(n)]
    return xs + ["I" * j + "ZZ" + "I" * (n - j - 2) for j in range(n - 1)]


def xxz_terms(n):  # XX, YY, ZZ on a chain, each its own generator
    return ["I" * j + p + "I" * (n - j - 2) for j in range(n - 1) for p in ("XX", "YY", "ZZ")]


def all_local(n):
    from plateau_pl.lie.words import word_from_string, word_to_string
    from plateau_pl.quantum.paulis import pauli_terms

    return [word_to_string(word_from_string(w, idx), n) for w, idx in pauli_terms(n)]


def hea(n):  # RY, RZ on each qubit and CNOT log terms Z_c, X_t, Z_c X_t on a chain
    one = ["I" * j + p + "I" * (n - j - 1) for j in range(n) for p in "YZ"]
    two = ["I" * j + "ZX" + "I" * (n - j - 2) for j in range(n - 1)]
    return one + two + ["I" * j + "X" + "I" * (n - j - 1) for j in range(n)]


SETS = {
    "TFIM chain (so(2n))": (tfim, (3, 4, 5, 6, 7, 8)),
    "XX,YY,ZZ chain": (xxz_terms, (3, 4, 5, 6)),
    "all 1-,2-local (su)": (all_local, (2, 3, 4, 6, 10)),
    "HEA gates (su)": (hea, (2, 3, 4, 6, 10)),
}


def _pennylane(words):
    import pennylane as qml
    from pennylane.pauli import PauliWord

    gens = [PauliWord({q: c for q, c in enumerate(w) if c != "I"}) for w in words]
    start = time.perf_counter()
    dim = len(qml.lie_closure(gens, pauli=True))
    return dim, time.perf_counter() - start


def _ours(words, n, detect_full=True):
    from plateau_pl.lie.closure import lie_algebra

    start = time.perf_counter()
    alg = lie_algebra(words, n, detect_full=detect_full, max_dim=4**n)
    return alg.dim, time.perf_counter() - start, alg.full_su


def closure_table(limit: float) -> list[str]:
    lines = [
        "| generator set | n | dim | plateau_pl s | full enumeration s | qml.lie_closure s "
        "| speed-up |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, (build, sizes) in SETS.items():
        skip_pl = False
        for n in sizes:
            words = build(n)
            dim, t_ours, full = _ours(words, n)
            t_enum = "-"
            if full and n <= 5:
                d2, t2, _ = _ours(words, n, detect_full=False)
                assert d2 == dim, (name, n, d2, dim)
                t_enum = f"{t2:.4f}"
            t_pl, ratio = "-", "-"
            if not skip_pl:
                d_pl, t = _pennylane(words)
                assert d_pl == dim, (name, n, d_pl, dim)
                t_pl, ratio = f"{t:.4f}", f"{t / t_ours:.0f}×"
                skip_pl = t > limit / 8
            lines.append(f"| {name} | {n} | {dim} | {t_ours:.4f} | {t_enum} | {t_pl} | {ratio} |")
            print(lines[-1], flush=True)
    return lines


def prediction_table() -> list[str]:
    import plateau_pl as pp
    from plateau_pl.lie import decompose_algebra, lie_algebra, predict_variance

    lines = ["| case | n | dim | ideals | center | seconds |", "|---|---|---|---|---|---|"]
    for name, build, n in (("TFIM chain", tfim, 8), ("XX,YY,ZZ chain", xxz_terms, 6)):
        start = time.perf_counter()
        alg = lie_algebra(build(n), n)
        dec = decompose_algebra(alg)
        lines.append(
            f"| decompose {name} | {n} | {alg.dim} | {dec.simple_dims} | "
            f"{dec.center_dim} | {time.perf_counter() - start:.3f} |"
        )
        print(lines[-1], flush=True)
    for ansatz in ("random_two_local", "hardware_efficient", "mcclean"):
        qnn = pp.QNN(pp.WireLayout(1, 9), ansatz, device="default.qubit", seed=0)
        start = time.perf_counter()
        p = predict_variance(qnn)
        lines.append(
            f"| predict_variance {ansatz} | 10 | {p.dim} | su | 0 | "
            f"{time.perf_counter() - start:.3f} |"
        )
        print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=60.0, help="seconds budget per set")
    args = parser.parse_args()
    _ours(tfim(3), 3)  # warm-up: imports are not timed
    _pennylane(tfim(3))
    closure_table(args.limit)
    print()
    prediction_table()


if __name__ == "__main__":
    main()
