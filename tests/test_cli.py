"""The plateau-pl command line."""

import subprocess
import sys

import pytest

from plateau_pl.cli import build_parser, main, parse_values
from plateau_pl.records import load_records


@pytest.mark.integration
def test_reproduce_quick_writes_records_figures_and_summary(tmp_path, capsys):
    assert main(["reproduce", "--quick", "--out", str(tmp_path), "--no-progress"]) == 0
    names = sorted(p.stem for p in (tmp_path / "records").glob("*.jsonl"))
    assert names == [
        "area-law",
        "mcclean",
        "qbm-gradient",
        "qnn-gradient",
        "trace-distance-qbm",
        "trace-distance-qnn",
    ]
    figures = sorted(p.name for p in (tmp_path / "figures").glob("*.png"))
    assert figures == [
        "fig_area_law.png",
        "fig_lipschitz.png",
        "fig_mcclean.png",
        "fig_qbm_gradient.png",
        "fig_qnn_gradient.png",
        "fig_trace_distance.png",
    ]
    summary = (tmp_path / "summary.md").read_text()
    assert "| trace-distance | qnn random_two_local | trace_distance |" in summary
    # the paper's effect, and its absence under the area law
    qnn = load_records(tmp_path / "records" / "trace-distance-qnn.jsonl")
    assert qnn[-1]["trace_distance"] < 0.5 * qnn[1]["trace_distance"]
    area = [
        r
        for r in load_records(tmp_path / "records" / "area-law.jsonl")
        if r["ansatz"] == "area_law"
    ]
    assert area[-1]["trace_distance"] > 0.7 * area[1]["trace_distance"]
    # a rerun resumes every point
    capsys.readouterr()
    assert main(["reproduce", "--quick", "--out", str(tmp_path), "--no-progress"]) == 0
    assert "0 new points" in capsys.readouterr().out


_HAAR_SWEEP = "sweep haar-states --n-visible 1 --n-hidden 0 --out".split()


def test_help_explains_every_subcommand():
    parser = build_parser()
    text = parser.format_help()
    for cmd in ("reproduce", "sweep", "plot", "shots", "predict", "bench", "info"):
        assert cmd in text
        out = subprocess.run(
            [sys.executable, "-m", "plateau_pl.cli", cmd, "--help"], capture_output=True, text=True
        )
        assert out.returncode == 0 and "usage: plateau-pl " + cmd in out.stdout


def test_sweep_resumes_and_plot_reads_its_records(tmp_path, capsys):
    out = tmp_path / "haar.jsonl"
    args = [
        "sweep",
        "haar-states",
        "--n-hidden",
        "0:2",
        "--samples",
        "20",
        "--out",
        str(out),
        "--no-progress",
        "--n-visible",
    ]
    assert main([*args, "1"]) == 0
    assert [r["n_hidden"] for r in load_records(out)] == [0, 1, 2]
    assert main([*args, "1,2"]) == 0
    assert "3 new points, 3 resumed" in capsys.readouterr().out
    assert len(load_records(out)) == 6
    fig = tmp_path / "haar.png"
    assert main(["plot", str(out), "--out", str(fig)]) == 0
    assert fig.exists() and fig.stat().st_size > 0


def test_shots_prints_the_budget_of_a_gradient_sweep_and_plots_it(tmp_path, capsys):
    out = tmp_path / "grad.jsonl"
    grid = ["--n-hidden", "1:3", "--samples", "100", "--out", str(out), "--no-progress"]
    assert main(["sweep", "qnn-gradient", *grid]) == 0
    capsys.readouterr()
    fig = tmp_path / "shots.png"
    assert main(["shots", str(out), "--snr", "1", "--out", str(fig)]) == 0
    text = capsys.readouterr().out.splitlines()
    assert "shots/circuit (SNR 1)" in text[0] and len(text) == 1 + 3 + 1
    shots = [float(line.split()[6]) for line in text[1:4]]  # after "n_h series var ± err"
    assert shots[0] < shots[1] < shots[2]
    assert fig.exists() and fig.stat().st_size > 0
    assert main(["shots", str(tmp_path / "missing.jsonl")]) == 2


def test_sweep_and_plot_training_and_noise_records(tmp_path, capsys):
    train = tmp_path / "train.jsonl"
    assert (
        main(
            [
                "sweep",
                "trainability",
                "--n-hidden",
                "0:1",
                "--out",
                str(train),
                "--param",
                "n_steps=5",
                "--param",
                "n_seeds=2",
                "--no-progress",
            ]
        )
        == 0
    )
    noise = tmp_path / "noise.jsonl"
    assert (
        main(
            [
                "sweep",
                "noise",
                "--n-hidden",
                "1",
                "--samples",
                "8",
                "--out",
                str(noise),
                "--param",
                "n_layers=1:2",
                "--no-progress",
            ]
        )
        == 0
    )
    for records in (train, noise):
        fig = tmp_path / f"{records.stem}.png"
        assert main(["plot", str(records), "--out", str(fig)]) == 0
        assert fig.exists() and fig.stat().st_size > 0


def test_user_errors_exit_2_and_write_nothing(tmp_path, capsys):
    assert main(["reproduce", "--quick", "--device", "no.such", "--out", str(tmp_path)]) == 2
    assert "unknown device 'no.such'" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())
    assert main(["sweep", "nope", "--out", str(tmp_path / "x.jsonl")]) == 2
    assert "unknown experiment 'nope'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        build_parser().parse_args(["sweep", "mcclean", "--out", "x", "--param", "oops"])


def test_parse_values():
    assert parse_values("0:8") == list(range(9))
    assert parse_values("2:10:2") == [2, 4, 6, 8, 10]
    assert parse_values("none,opnorm") == [None, "opnorm"]
    assert parse_values("1,2.5,true") == [1, 2.5, True]


def test_console_script_entry_point():
    out = subprocess.run(
        [sys.executable, "-m", "plateau_pl.cli", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0 and out.stdout.startswith("plateau_pl ")


def test_bench_reports_missing_devices_and_agrees(tmp_path, capsys):
    out = tmp_path / "bench.jsonl"
    args = [
        "bench",
        "--devices",
        "default.qubit,lightning.qubit,no.such",
        "--n-hidden",
        "2",
        "--samples",
        "4",
        "--out",
        str(out),
    ]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "not installed" in text and "plateau_pl (statevector engine)" in text
    rows = load_records(out)
    assert [r["status"] for r in rows] == ["ok", "ok", "not installed", "ok"]
    assert max(r["max_deviation"] for r in rows if r["status"] == "ok") < 1e-10
    assert [r.get("diff_method") for r in rows] == [
        "backprop",
        "adjoint",
        None,
        "adjoint (kernels)",
    ]
    assert all(r["estimate"] == "exact" for r in rows if r["status"] == "ok")
    assert "0.0×" not in text


def test_bench_with_shots_reports_shot_noise_and_options(tmp_path, capsys):
    out = tmp_path / "bench.jsonl"
    args = [
        "bench",
        "--devices",
        "default.qubit,lightning.qubit",
        "--n-hidden",
        "1",
        "--samples",
        "6",
        "--shots",
        "2000",
        "--device-option",
        "lightning.qubit:batch_obs=False",
        "--out",
        str(out),
    ]
    assert main(args) == 0
    rows = load_records(out)
    sampled = [r for r in rows if r["estimate"] == "samples"]
    assert [r["device"] for r in sampled] == ["default.qubit", "lightning.qubit"]
    assert all(r["diff_method"] == "parameter-shift" and r["shots"] == 2000 for r in sampled)
    # 6 draws × 15 parameters: the RMS z of correct estimates is 1 ± 0.2
    assert all(0.6 < r["deviation_z_rms"] < 1.4 for r in sampled), sampled
    assert sampled[1]["device_options"] == {"batch_obs": False}
    assert sampled[0]["device_seed"] is not None


def test_bench_device_option_for_an_unlisted_device_is_an_error(capsys):
    args = ["bench", "--devices", "default.qubit", "--device-option", "qiskit.aer:method=x"]
    assert main(args) == 2
    assert "names device 'qiskit.aer', which is not in --devices" in capsys.readouterr().err


def test_bench_qbm_on_torch_devices(tmp_path, capsys):
    import torch

    absent = "mps" if torch.cuda.is_available() else "cuda"  # a torch device this machine lacks
    argv = ["bench", "--workload", "qbm", "--n-hidden", "1", "--samples", "3", "--devices"]
    assert main([*argv, f"cpu,{absent}"]) == 0
    text = capsys.readouterr().out
    assert "exact (Gibbs op)" in text and "not available (torch device)" in text
    assert main([*argv, "cpu,nosuchdevice"]) == 2  # not a torch device name at all
    assert "'nosuchdevice' is not a torch device name" in capsys.readouterr().err


def test_info_lists_devices_and_what_plateau_pl_knows_of_them(capsys):
    assert main(["info"]) == 0
    text = capsys.readouterr().out
    assert "installed devices:" in text
    assert "default.mixed" in text and "PennyLane's channels" in text


def test_sweep_with_the_pauli_engine_at_hundreds_of_qubits(tmp_path, capsys):
    out = tmp_path / "big.jsonl"
    args = [
        "sweep",
        "area-law",
        "--n-hidden",
        "100,300",
        "--samples",
        "300",
        "--engine",
        "pauli",
        "--out",
        str(out),
    ]
    assert main(args) == 0
    rows = load_records(out)
    assert [r["n_hidden"] for r in rows] == [100, 300]
    assert all(r["engine"] == "pauli" and r["trace_distance"] is None for r in rows)
    assert all(0.5 < r["purity"] <= 1 and r["grad_variance_visible"] > 0 for r in rows)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["sweep", "haar-states", "--n-visible", "1", "--n-hidden", "0:2", "--samples", "0"],
            "3 of 3 grid points have invalid parameters; nothing was run",
        ),
        (
            ["sweep", "haar-states", "--n-visible", "1", "--n-hidden", "-1"],
            "n_hidden must be an integer >= 0; got -1",
        ),
        (
            ["sweep", "haar-states", "--n-visible", "1", "--n-hidden", "abc"],
            "n_hidden must be an integer; got 'abc'",
        ),
        (
            [
                "sweep",
                "qnn-gradient",
                "--n-visible",
                "1",
                "--n-hidden",
                "1",
                "--param",
                "ansatz=bogus",
            ],
            "unknown ansatz 'bogus'; available: area_law",
        ),
        (["bench", "--n-hidden", "-1"], "n_hidden must be an integer >= 0; got -1"),
    ],
)
def test_bad_grids_are_refused_once_before_any_point_runs(tmp_path, capsys, argv, message):
    out = tmp_path / "r.jsonl"
    assert main([*argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("plateau-pl: error: ") and message in err
    assert err.count(message) == 1 and "Traceback" not in err and "rerun" not in err
    assert not out.exists()


def test_file_system_errors_exit_2_with_one_line(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        cases = [
            (["plot", str(tmp_path), "--out", str(tmp_path / "x.png")], "Is a directory"),
            (
                [*_HAAR_SWEEP, str(tmp_path / "file" / "r.jsonl")],
                "which is not a directory",
            ),
            (
                [*_HAAR_SWEEP, str(folder / "r.jsonl")],
                "is read-only",
            ),
        ]
        for argv, message in cases:
            assert main(argv) == 2, argv
            err = capsys.readouterr().err
            assert message in err and "Traceback" not in err, argv
    finally:
        folder.chmod(0o755)


def test_a_bug_is_not_disguised_as_a_user_error(tmp_path, monkeypatch):
    """Only the error family and OS errors are user errors; anything else keeps its traceback."""
    import plateau_pl.experiments.sweep as sweep

    def broken(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(sweep, "expand_grid", broken)
    with pytest.raises(KeyError, match="a bug"):
        main(["sweep", "haar-states", "--n-visible", "1", "--out", str(tmp_path / "r.jsonl")])


def test_failures_are_listed_once_and_exit_1(tmp_path, capsys):
    argv = [
        "sweep",
        "haar-states",
        "--n-visible",
        "1",
        "--n-hidden",
        "0,60",
        "--samples",
        "4",
        "--out",
        str(tmp_path / "r.jsonl"),
    ]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert "1 new points, 0 resumed, 1 failed" in captured.out
    assert captured.err.count("ResourceError: 4 Haar-random states of 61 qubits") == 1


def test_sweep_help_lists_every_registered_experiment(capsys):
    from plateau_pl.experiments.registry import EXPERIMENTS

    with pytest.raises(SystemExit):
        main(["sweep", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert all(name in text for name in EXPERIMENTS)


def test_an_empty_range_says_why():
    import argparse

    with pytest.raises(argparse.ArgumentTypeError, match="'5:2' is empty: its start 5 is greater"):
        parse_values("5:2")


def test_a_range_too_large_to_sweep_is_refused():
    import argparse

    with pytest.raises(argparse.ArgumentTypeError, match="has more than 100000 values"):
        parse_values("0:10000000000000")


@pytest.mark.parametrize("device", ["default.qutrit", "default.gaussian"])
def test_non_qubit_devices_are_refused_everywhere(tmp_path, capsys, device):
    for argv in (
        [
            "sweep",
            "qnn-gradient",
            "--n-hidden",
            "1",
            "--device",
            device,
            "--out",
            str(tmp_path / "r.jsonl"),
        ],
        ["reproduce", "--quick", "--device", device, "--out", str(tmp_path / "o")],
        ["bench", "--devices", f"default.qubit,{device}", "--samples", "2"],
    ):
        assert main(argv) == 2, argv
        assert "plateau_pl's models are qubit circuits" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_predict_help_lists_the_registered_ansatze_and_building_the_parser_stays_light(capsys):
    import subprocess
    import sys

    from plateau_pl.circuits import ANSATZE

    with pytest.raises(SystemExit):
        main(["predict", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "ansatz: " + ", ".join(sorted(ANSATZE)) in text
    code = (
        "import sys; from plateau_pl.cli import build_parser; build_parser(); "
        "print('pennylane' in sys.modules, 'torch' in sys.modules)"
    )
    assert subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split() == ["False", "False"]
