"""The ``plateau-pl predict`` subcommand."""

import re

import pytest

from plateau_pl.cli import build_parser, main


def test_predict_full_su_prints_haar_value(capsys):
    assert (
        main(["predict", "--ansatz", "random_two_local", "--n-visible", "1", "--n-hidden", "2"])
        == 0
    )
    out = capsys.readouterr().out
    assert "su(2^3)" in out and "dim 63" in out
    assert "predicted Var[loss] = 0.111111" in out and "applies: True" in out


def test_predict_with_sampling_prints_both(capsys):
    argv = [
        "predict",
        "--ansatz",
        "mcclean",
        "--n-visible",
        "2",
        "--n-hidden",
        "1",
        "--layers",
        "20",
        "--observable",
        "X0 Z1",
        "--sample",
        "600",
        "--seed",
        "3",
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "observable: " in out  # X0 Z1 after the trailing CZ ladder is absorbed
    m = re.search(r"sampled Var\[loss\] = ([0-9.e-]+) ± ([0-9.e-]+)", out)
    assert m is not None
    var, err = float(m.group(1)), float(m.group(2))
    assert abs(var - 1 / 9) < 4 * err


def test_predict_reports_user_errors(capsys):
    with pytest.raises(SystemExit) as exit_info:  # argparse checks the registry's names
        main(["predict", "--ansatz", "nope"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'nope' (choose from 'area_law'," in capsys.readouterr().err
    assert main(["predict", "--n-visible", "1", "--observable", "Z3"]) == 2
    assert "wire 3, which is hidden" in capsys.readouterr().err
    assert main(["predict", "--observable", "Q0"]) == 2
    assert "Pauli word" in capsys.readouterr().err


def test_predict_help():
    text = build_parser().format_help()
    assert "predict" in text


def test_predict_a_users_generators(capsys):
    chain = ";".join([f"X{q}" for q in range(5)] + [f"Z{q} Z{q + 1}" for q in range(4)])
    assert main(["predict", "--generators", chain, "--observable", "X0", "--n-qubits", "5"]) == 0
    out = capsys.readouterr().out
    assert "dim 45" in out  # so(10): n(2n - 1)
    # P(rho) = 4 ZZ words / 32, P(X0) = 32: Var = 4/45
    assert f"predicted Var[loss] = {4 / 45:.6g}" in out


def test_predict_says_when_the_circuit_is_too_shallow_for_the_formula(capsys):
    from plateau_pl.cli import main

    args = ["predict", "--ansatz", "hardware_efficient", "--n-visible", "1"]
    assert main([*args, "--n-hidden", "9", "--layers", "3"]) == 0
    assert (
        "TOO SHALLOW for the formula: after 3 layers the observable's light cone covers 4 of "
        "10 qubits" in capsys.readouterr().out
    )
    assert main([*args, "--n-hidden", "2", "--layers", "6"]) == 0
    assert "light cone covers all 3 qubits after 6 layers" in capsys.readouterr().out


def test_the_light_cone_grows_with_depth_until_it_covers_the_register():
    import plateau_pl as pp
    from plateau_pl.lie.predict import light_cone

    cones = [
        light_cone(pp.QNN(pp.WireLayout(1, 5), "hardware_efficient", L, seed=0))
        for L in (1, 2, 3, 5, 8)
    ]
    assert cones == sorted(cones) and cones[0] < 6 and cones[-1] == 6
