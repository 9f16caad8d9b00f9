"""Tests of plateau_pl.plotting: artists are inspected (data, labels, scales), never pixels.

Every figure is a ``matplotlib.figure.Figure`` built without pyplot, so nothing needs closing.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.container import ErrorbarContainer
from matplotlib.figure import Figure

from plateau_pl.errors import ConfigurationError, PlateauTypeError, RecordsError
from plateau_pl.plotting import (
    decay_rates,
    figure_area_law,
    figure_gradient_variance,
    figure_haar_states,
    figure_lipschitz,
    figure_mcclean,
    figure_overview,
    figure_trace_distance,
    legend_labels,
    plot_decay,
    plot_records,
    save_figure,
)
from plateau_pl.records import load_records
from plateau_pl.stats import fit_decay

REPO = Path(__file__).resolve().parents[1]


def _series(**fixed):
    """Records y = scale·2^{-rate·h} for h = 0..5 (shuffled order), stderr 5 % of y."""
    scale, rate = fixed.pop("scale", 1.0), fixed.pop("rate", 1.0)
    y = fixed.pop("y", "grad_variance")
    recs = []
    for h in (3, 0, 5, 1, 4, 2):
        v = scale * 2.0 ** (-rate * h)
        recs.append({**fixed, "n_visible": 1, "n_hidden": h, y: v, f"{y}_stderr": 0.05 * v})
    return recs


def _containers(ax):
    return [c for c in ax.containers if isinstance(c, ErrorbarContainer)]


def _theory_lines(ax, key):
    return [ln for ln in ax.lines if ln.get_gid() == f"theory:{key}"]


# --------------------------------------------------------------------------- plot_decay


def test_plot_decay_points_errorbars_and_scale():
    recs = _series(model="qnn", ansatz="random_two_local")
    fig, ax = plot_decay(recs, "grad_variance")
    assert isinstance(fig, Figure) and ax.figure is fig
    (cont,) = _containers(ax)
    xs = np.array(sorted(r["n_hidden"] for r in recs), float)
    ys = 2.0**-xs
    line = cont.lines[0]
    np.testing.assert_allclose(line.get_xdata(), xs)
    np.testing.assert_allclose(line.get_ydata(), ys)
    assert line.get_marker() == "o"
    (bars,) = cont.lines[2]
    assert all(x0 == x1 for (x0, _), (x1, _) in bars.get_segments())
    lengths = np.array([hi - lo for (_, lo), (_, hi) in bars.get_segments()])
    np.testing.assert_allclose(lengths, 2 * 0.05 * ys)  # ± stderr
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "hidden qubits n_h"
    assert ax.get_ylabel() == "gradient variance (mean over parameters)"


def test_plot_decay_legend_reports_fitted_slope():
    recs = _series(model="qnn", ansatz="random_two_local")
    _, ax = plot_decay(recs, "grad_variance", fit_min_x=1)
    used = sorted((r for r in recs if r["n_hidden"] >= 1), key=lambda r: r["n_hidden"])
    slope, err = fit_decay(
        [r["n_hidden"] for r in used],
        [r["grad_variance"] for r in used],
        [r["grad_variance_stderr"] for r in used],
    )
    expected = f"{slope / math.log(2):.2f}".replace("-", "−")
    assert expected == "−1.00"
    text, fit_key = legend_labels(ax)
    assert text == (
        f"qnn random_two_local: fitted rate −1.00 ± {err / math.log(2):.2f} log₂ y per qubit"
    )
    # the fit lines share one legend entry that says where the fit starts
    assert fit_key == "fit (dotted), n_h ≥ 1"
    (fit_line,) = [ln for ln in ax.lines if ln.get_gid() == "fit"]
    assert fit_line.get_label().startswith("_")
    np.testing.assert_allclose(fit_line.get_ydata(), 2.0 ** -fit_line.get_xdata(), rtol=1e-9)
    rates = decay_rates(recs, "grad_variance")
    assert rates["qnn random_two_local"][0] == pytest.approx(-1.0)


def test_plot_decay_fit_min_x_and_nonpositive_points_excluded():
    recs = [{"model": "qnn", "n_hidden": 0, "grad_variance": 5.0}]
    recs += [{"model": "qnn", "n_hidden": h, "grad_variance": 4.0**-h} for h in range(1, 5)]
    recs.append({"model": "qnn", "n_hidden": 5, "grad_variance": 0.0})
    _, ax = plot_decay(recs, "grad_variance", fit_min_x=1)
    assert "fitted rate −2.00" in legend_labels(ax)[0]
    assert legend_labels(ax)[1] == "fit (dotted), n_h ≥ 1"
    assert decay_rates(recs, "grad_variance", fit_min_x=0)["qnn"][0] != pytest.approx(-2.0)


def test_plot_decay_series_by_model_and_normalize():
    recs = (
        _series(model="qnn", ansatz="random_two_local", rate=0.5, y="trace_distance")
        + _series(model="qbm", hamiltonian="random_two_local", normalize=None, y="trace_distance")
        + _series(
            model="qbm", hamiltonian="random_two_local", normalize="opnorm", y="trace_distance"
        )
    )
    _, ax = plot_decay(recs, "trace_distance")
    assert len(_containers(ax)) == 3
    names = [t.split(":")[0] for t in legend_labels(ax)][:3]
    assert names == [
        "qbm random_two_local",
        "qbm random_two_local opnorm",
        "qnn random_two_local",
    ]
    assert "−0.50" in legend_labels(ax)[2]


def test_plot_decay_theory_once_when_identical_and_per_series_otherwise():
    recs = []
    for ansatz, g in [("random_two_local", 2.0), ("mcclean", 0.5)]:
        for r in _series(model="qnn", ansatz=ansatz):
            r["haar_grad_variance"] = g * 2.0 ** -(r["n_hidden"] + 1)
            r["paper_trace_distance_bound"] = 0.5 * 2.0 ** (-r["n_hidden"] / 2)
            recs.append(r)
    _, ax = plot_decay(
        recs, "grad_variance", theory=("haar_grad_variance", "paper_trace_distance_bound")
    )
    assert len(_theory_lines(ax, "haar_grad_variance")) == 2
    (bound,) = _theory_lines(ax, "paper_trace_distance_bound")
    assert bound.get_label() == "Haar bound ½√(D_v/D_h) (volume law)"
    assert bound.get_linestyle() != "-"
    np.testing.assert_allclose(bound.get_xdata(), np.arange(6))
    np.testing.assert_allclose(bound.get_ydata(), 0.5 * 2.0 ** (-np.arange(6) / 2))
    labels = legend_labels(ax)
    assert "Haar (qnn mcclean)" in labels and "Haar (qnn random_two_local)" in labels
    assert labels[-1] == "Haar bound ½√(D_v/D_h) (volume law)"


def test_plot_decay_missing_and_none_values_are_skipped():
    recs = _series(model="qnn", ansatz="random_two_local")
    recs[0]["grad_variance"] = None
    del recs[1]["grad_variance_stderr"]
    recs.append({"model": "qnn", "ansatz": "random_two_local", "purity": 0.5})  # no x, no y
    recs.append({"model": "qnn", "ansatz": "random_two_local", "n_hidden": 9})  # no y
    _, ax = plot_decay(recs, "grad_variance", theory=("haar_grad_variance",))
    (cont,) = _containers(ax)
    assert len(cont.lines[0].get_xdata()) == 5
    assert _theory_lines(ax, "haar_grad_variance") == []


def test_plot_decay_splits_repeated_x_by_varying_field():
    recs = _series(model="qnn", ansatz="random_two_local") + [
        {**r, "n_visible": 2} for r in _series(model="qnn", ansatz="random_two_local", scale=0.5)
    ]
    _, ax = plot_decay(recs, "grad_variance")
    names = [t.split(":")[0] for t in legend_labels(ax)][:2]
    assert names == ["qnn random_two_local n_visible=1", "qnn random_two_local n_visible=2"]


def test_plot_decay_into_given_axes_with_label_and_title():
    fig = Figure()
    ax = fig.add_subplot()
    out_fig, out_ax = plot_decay(
        _series(model="qnn"), "grad_variance", ax=ax, label="mine", title="T", logy=False, fit=False
    )
    assert out_fig is fig and out_ax is ax
    assert legend_labels(ax) == ["mine"]
    assert ax.get_title() == "T" and ax.get_yscale() == "linear"


def test_plot_decay_n_qubits_default():
    recs = [
        {"model": "qnn", "n_visible": 1, "n_hidden": 3, "grad_variance": 0.1},
        {"model": "qnn", "n_qubits": 2, "grad_variance": 0.2},
    ]
    _, ax = plot_decay(recs, "grad_variance", x="n_qubits")
    np.testing.assert_allclose(_containers(ax)[0].lines[0].get_xdata(), [2, 4])
    assert ax.get_xlabel() == "qubits n"


def test_plot_decay_errors():
    with pytest.raises(ConfigurationError, match=r"no records have values for both 'n_hidden'"):
        plot_decay([{"n_hidden": 1, "purity": 0.5}], "grad_variance")
    with pytest.raises(PlateauTypeError, match=r"records\[0\] must be a dict"):
        plot_decay([1, 2], "grad_variance")
    with pytest.raises(PlateauTypeError, match="y must be a record field name"):
        plot_decay(_series(), 3)


# --------------------------------------------------------------------------- figure builders


def _paper_records():
    recs = []
    for model, key, norm in [
        ("qnn", "ansatz", None),
        ("qbm", "hamiltonian", None),
        ("qbm", "hamiltonian", "opnorm"),
    ]:
        for r in _series(
            experiment="trace-distance", model=model, rate=0.5, y="trace_distance", normalize=norm
        ):
            r[key] = "random_two_local"
            h = r["n_hidden"]
            r["haar_trace_distance"] = 0.4 * 2 ** (-h / 2)
            r["paper_trace_distance_bound"] = 0.5 * 2 ** (-h / 2)
            recs.append(r)
    for r in _series(experiment="qnn-gradient", model="qnn", ansatz="random_two_local"):
        r["haar_grad_variance"] = 2.0 ** -(r["n_hidden"] + 1)
        recs.append(r)
    return recs


def test_figure_trace_distance():
    recs = _paper_records()
    _, ax = figure_trace_distance(recs)
    assert len(_containers(ax)) == 3  # the qnn-gradient records are ignored
    assert len(_theory_lines(ax, "haar_trace_distance")) == 1
    assert legend_labels(ax)[-2:] == ["Haar (exact)", "Haar bound ½√(D_v/D_h) (volume law)"]
    assert ax.get_yscale() == "log"


def test_figure_trace_distance_falls_back_to_haar_bound():
    recs = [
        {
            "experiment": "trace-distance",
            "model": "qnn",
            "n_hidden": h,
            "trace_distance": 2.0**-h,
            "haar_trace_distance": None,
            "haar_trace_distance_bound": 2.0**-h,
        }
        for h in range(3)
    ]
    _, ax = figure_trace_distance(recs)
    assert "Haar bound (from the Haar purity)" in legend_labels(ax)


def test_figure_gradient_variance_qnn_and_error():
    recs = _paper_records()
    _, ax = figure_gradient_variance(recs)
    assert len(_containers(ax)) == 1
    (haar,) = _theory_lines(ax, "haar_grad_variance")
    assert haar.get_label() == "Haar"
    with pytest.raises(ConfigurationError, match=r"no records with experiment 'qbm-gradient'"):
        figure_gradient_variance(recs, model="qbm")
    with pytest.raises(ConfigurationError, match=r"found: 'qnn-gradient', 'trace-distance'"):
        figure_gradient_variance(recs, model="qbm")
    with pytest.raises(ConfigurationError, match="model must be 'qnn' or 'qbm'"):
        figure_gradient_variance(recs, model="rbm")


def test_figure_gradient_variance_qbm_split():
    recs = [
        {
            "experiment": "qbm-gradient",
            "model": "qbm",
            "hamiltonian": "random_two_local",
            "normalize": "opnorm",
            "n_hidden": h,
            "grad_variance": 0.5 * 4.0**-h,
            "grad_variance_hidden": 4.0**-h,
            "grad_variance_visible": 0.1,
        }
        for h in range(1, 5)
    ]
    _, ax = figure_gradient_variance(recs, model="qbm")
    assert len(_containers(ax)) == 2
    labels = legend_labels(ax)
    assert labels[0].startswith("qbm random_two_local opnorm, hidden-touching θ: fitted rate −2.00")
    assert labels[1].startswith("qbm random_two_local opnorm, visible-only θ: fitted rate 0.00")


def test_figure_area_law_panels():
    recs = []
    for ansatz, rate in [("area_law", 0.0), ("random_two_local", 1.0)]:
        kw = {"experiment": "area-law", "model": "qnn", "ansatz": ansatz, "rate": rate}
        for r in _series(y="grad_variance_visible", **kw):
            r["trace_distance"] = 0.3 * 2 ** (-rate * r["n_hidden"] / 2)
            r["grad_inf_norm_variance"] = 0.1 * 2 ** (-rate * r["n_hidden"])
            recs.append(r)
    fig, axes = figure_area_law(recs + _paper_records())
    assert len(axes) == 3 and len(fig.axes) == 3
    assert [len(_containers(ax)) for ax in axes] == [2, 2, 2]
    assert axes[0].get_ylabel() == "gradient variance (visible-only parameters)"
    assert axes[1].get_ylabel() == r"variance of $\|\nabla f\|_\infty$"
    assert axes[2].get_ylabel() == "mean trace distance to I/D_v"
    assert "fitted rate 0.00" in legend_labels(axes[0])[0]


def test_figure_mcclean_uses_n_qubits():
    recs = [
        {
            "experiment": "mcclean",
            "model": "qnn",
            "ansatz": "mcclean",
            "n_visible": 1,
            "n_hidden": n - 1,
            "grad_variance": 0.1 * 2.0**-n,
            "grad_variance_stderr": 0.001,
        }
        for n in (6, 2, 4)
    ]
    _, ax = figure_mcclean(recs)
    np.testing.assert_allclose(_containers(ax)[0].lines[0].get_xdata(), [2, 4, 6])
    assert ax.get_xlabel() == "qubits n"
    with pytest.raises(ConfigurationError, match="no records with experiment 'mcclean'"):
        figure_mcclean(_paper_records())


def test_figure_lipschitz_and_haar_states():
    recs = [
        {
            "experiment": "qnn-gradient",
            "model": "qnn",
            "n_hidden": h,
            "lipschitz_ratio": 0.2 * 2 ** (-h / 2),
            "lipschitz_ratio_stderr": 0.01,
            "lipschitz_bound": 2 ** (-h / 2),
        }
        for h in range(1, 5)
    ]
    _, ax = figure_lipschitz([*recs, {"experiment": "x", "n_hidden": 1}])
    (bound,) = _theory_lines(ax, "lipschitz_bound")
    assert bound.get_label() == "bound (Eq. A12)"
    with pytest.raises(ConfigurationError, match="no records with a 'lipschitz_ratio'"):
        figure_lipschitz(_paper_records())

    haar = [
        {
            "experiment": "haar-states",
            "model": "haar",
            "n_hidden": h,
            "trace_distance": 0.4 * 2 ** (-h / 2),
            "purity": 0.5 + 2.0 ** -(h + 1),
            "haar_purity": 0.5 + 2.0 ** -(h + 1),
            "entropy": 0.6,
            "page_entropy": 0.6,
        }
        for h in range(4)
    ]
    _, axes = figure_haar_states(haar)
    assert [ax.get_yscale() for ax in axes] == ["log", "linear", "linear"]
    assert "Haar (Page entropy, volume law)" in legend_labels(axes[2])


def test_figure_overview_error_lists_fields():
    with pytest.raises(ConfigurationError, match="numeric fields found: n_hidden"):
        figure_overview([{"n_hidden": 1, "model": "qnn"}])


# --------------------------------------------------------------------------- saving


def _no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]


def test_save_figure_png_and_pdf(tmp_path):
    fig, _ = figure_overview([{"n_hidden": h, "purity": 1 / (h + 1)} for h in range(3)])
    (png,) = save_figure(fig, tmp_path / "a" / "b" / "fig.png")
    assert png == tmp_path / "a" / "b" / "fig.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    paths = save_figure(fig, tmp_path / "two", pdf=True)
    assert [p.name for p in paths] == ["two.png", "two.pdf"]
    assert paths[1].read_bytes()[:5] == b"%PDF-"
    assert _no_temp_files(tmp_path)


def test_save_figure_failure_leaves_nothing(tmp_path, monkeypatch):
    fig = Figure()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(fig, "savefig", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        save_figure(fig, tmp_path / "fig.png")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- plot_records


def _write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_plot_records_two_experiments_two_files(tmp_path):
    src = _write_jsonl(tmp_path / "runs.jsonl", _paper_records())
    paths = plot_records(src, tmp_path / "out" / "fig.png")
    # the first experiment's figure at exactly out, the next beside it as <stem>-<experiment>
    assert [p.name for p in paths] == ["fig.png", "fig-qnn-gradient.png"]
    assert all(p.stat().st_size > 0 for p in paths)
    assert _no_temp_files(tmp_path / "out")


def test_plot_records_single_experiment_and_y(tmp_path):
    recs = [r for r in _paper_records() if r["experiment"] == "qnn-gradient"]
    assert plot_records(recs, tmp_path / "g.png") == [tmp_path / "g.png"]
    paths = plot_records(_paper_records(), tmp_path / "y.png", y="trace_distance", pdf=True)
    assert [p.name for p in paths] == ["y.png", "y.pdf"]


def test_plot_records_unknown_experiment_uses_overview(tmp_path):
    recs = [
        {"experiment": "my-own-scan", "n_hidden": h, "trace_distance": 2.0**-h} for h in range(3)
    ]
    assert plot_records(recs, tmp_path / "s.png") == [tmp_path / "s.png"]


def test_plot_records_reads_jsonl(tmp_path):
    recs = _paper_records()
    src = tmp_path / "recs.jsonl"
    src.write_text("".join(json.dumps(r) + "\n\n" for r in recs), encoding="utf-8")
    assert len(plot_records(src, tmp_path / "t.png")) == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"a": 1}\nnot json\n{"a": 2}\n', encoding="utf-8")
    with pytest.raises(RecordsError, match="line 2 is not valid JSON"):
        plot_records(bad, tmp_path / "b.png")
    with pytest.raises(ConfigurationError, match="does not exist"):
        plot_records(tmp_path / "missing.jsonl", tmp_path / "m.png")
    with pytest.raises(ConfigurationError, match="no records in the input"):
        plot_records([], tmp_path / "e.png")


# --------------------------------------------------------------------------- imports


def test_import_leaves_out_torch_and_pennylane():
    code = (
        "import sys, plateau_pl.plotting\n"
        "bad = [m for m in ('torch', 'pennylane', 'matplotlib.pyplot') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("MPLBACKEND", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_unresolved_points_are_drawn_as_upper_bounds_not_zeros():
    from plateau_pl.plotting import plot_decay

    recs = [
        {
            "experiment": "qnn-gradient",
            "n_hidden": h,
            "grad_variance": v,
            "grad_variance_stderr": 0.0 if v == 0 else 0.1 * v,
            "grad_variance_upper95": None if v else 3e-3,
        }
        for h, v in ((1, 0.1), (2, 0.02), (3, 0.0))
    ]
    _, ax = plot_decay(recs, "grad_variance")
    bounds = [line for line in ax.lines if line.get_gid() == "upper-bound"]
    assert len(bounds) == 1
    assert bounds[0].get_xdata().tolist() == [3.0] and bounds[0].get_ydata().tolist() == [3e-3]
    assert "95 % upper bound (below resolution)" in [
        t.get_text() for t in ax.get_legend().get_texts()
    ]


# --------------------------------------------------------------------------- issue 15: figures
# Records from tiny real runs, inspected by their artists after a draw (display coordinates).


@pytest.fixture(scope="module")
def real_records(tmp_path_factory):
    """Records of tiny sweeps of the paper's experiments: ``{experiment: records}``."""
    from plateau_pl.experiments.sweep import run_sweep

    folder = tmp_path_factory.mktemp("real")
    grids = {
        "trace-distance": [
            {"n_hidden": [0, 1, 2, 3], "model": "qnn", "n_samples": 8},
            {"n_hidden": [0, 1, 2], "model": "qbm", "normalize": [None, "opnorm"], "n_samples": 6},
        ],
        "qnn-gradient": {"n_hidden": [0, 1, 2, 3], "n_samples": 8},
        "qbm-gradient": {"n_hidden": [0, 1, 2], "n_samples": 6},
        "area-law": {
            "n_hidden": [0, 1, 2, 3],
            "ansatz": ["area_law", "random_two_local"],
            "n_samples": 8,
        },
        "mcclean": {"n_qubits": [2, 3, 4], "n_samples": 6},
    }
    out = {}
    for name, grid in grids.items():
        out[name] = []
        for i, one in enumerate(grid if isinstance(grid, list) else [grid]):
            path = folder / f"{name}-{i}.jsonl"
            result = run_sweep(name, one, path, progress=False)
            assert not result.failures, result.failures
            out[name] += load_records(path)
    return out


def _data_display_points(ax) -> np.ndarray:
    """Display coordinates of every drawn data point: markers, fit and theory lines."""
    pts = []
    for line in ax.lines:
        xy = np.column_stack([line.get_xdata(), line.get_ydata()]).astype(float)
        if len(xy):
            pts.append(ax.transData.transform(xy))
    return np.vstack(pts)


def _assert_legend_clear_of_data(fig, axes):
    fig.draw_without_rendering()  # runs the constrained layout (a bare canvas draws nothing)
    for ax in np.atleast_1d(axes):
        legend = ax.get_legend()
        assert legend is not None
        box = legend.get_window_extent()
        pts = _data_display_points(ax)
        inside = (
            (pts[:, 0] >= box.x0)
            & (pts[:, 0] <= box.x1)
            & (pts[:, 1] >= box.y0)
            & (pts[:, 1] <= box.y1)
        )
        assert not inside.any(), f"legend of {ax.get_ylabel()!r} covers {pts[inside][:3]}"
        # nor does it cover the axes' own x label
        assert not box.overlaps(ax.xaxis.label.get_window_extent())


def test_legends_never_cover_data_points(real_records):
    recs = real_records
    figures = [
        figure_trace_distance(recs["trace-distance"]),
        figure_gradient_variance(recs["qnn-gradient"]),
        figure_gradient_variance(recs["qbm-gradient"], model="qbm"),
        figure_area_law(recs["area-law"]),
        figure_mcclean(recs["mcclean"]),
        figure_lipschitz(recs["qnn-gradient"]),
    ]
    for fig, axes in figures:
        _assert_legend_clear_of_data(fig, axes)


def test_legend_wording_matches_summary_and_names_the_fit(real_records):
    from plateau_pl.report import summary_table

    _, ax = figure_trace_distance(real_records["trace-distance"])
    labels = legend_labels(ax)
    qnn = next(t for t in labels if t.startswith("qnn"))
    assert "fitted rate" in qnn and "log₂ y per qubit" in qnn and "slope/ln2" not in qnn
    assert "fitted rate (log₂ y per qubit)" in summary_table(real_records["trace-distance"])
    assert "fit (dotted), n_h ≥ 1" in labels
    # the number in the legend is the summary's (two decimals there, three in the table)
    rate, _ = decay_rates(real_records["trace-distance"], "trace_distance")["qnn random_two_local"]
    assert f"{rate:.2f}".replace("-", "−") in qnn
    _, ax = figure_mcclean(real_records["mcclean"])
    assert any(t.startswith("fit (dotted), n ≥ ") for t in legend_labels(ax))


def test_area_law_figure_is_readable(real_records):
    fig, axes = figure_area_law(real_records["area-law"])
    width, height = fig.get_size_inches() * 150  # save_figure's dpi
    assert width <= 1800 and height <= 1800
    assert len(axes) == 4  # gradient (visible), ‖∇f‖∞, trace distance, entropy: 2 × 2
    labels = [ax.get_ylabel() for ax in axes]
    assert labels[1] == r"variance of $\|\nabla f\|_\infty$"
    assert not any("_∞" in t for t in labels)
    fig.draw_without_rendering()  # runs the constrained layout (a bare canvas draws nothing)
    rendered = axes[1].yaxis.label.get_window_extent().width  # mathtext renders, no "_"
    assert rendered > 0
    entropy = axes[3]
    names = {ln.get_gid(): ln.get_label() for ln in entropy.lines if ln.get_gid()}
    assert names["theory:entropy_bound"] == "area-law bound min(L·n_cross, n_v, n_h)·ln 2"
    assert names["theory:page_entropy"] == "Haar (Page entropy, volume law)"
    trace = {ln.get_gid(): ln.get_label() for ln in axes[2].lines if ln.get_gid()}
    assert trace["theory:paper_trace_distance_bound"] == "Haar bound ½√(D_v/D_h) (volume law)"
    assert "L = 2" in fig.get_suptitle() and "n_cross = 1" in fig.get_suptitle()


def test_area_law_saved_size(real_records, tmp_path):
    import matplotlib.image as mpimg

    fig, _ = figure_area_law(real_records["area-law"])
    (png,) = save_figure(fig, tmp_path / "area.png")
    height, width = mpimg.imread(png).shape[:2]
    assert width <= 1800 and height <= 1800


def test_titles_state_beta_depth_and_delta(real_records):
    _, ax = figure_gradient_variance(real_records["qbm-gradient"], model="qbm")
    title = ax.get_title()
    assert "β = 1" in title
    assert "n_h = 0: no hidden qubits, every parameter visible" in title
    _, ax = figure_mcclean(real_records["mcclean"])
    layers = sorted({r["n_layers"] for r in real_records["mcclean"]})
    assert f"{layers[0]:g}–{layers[-1]:g} layers" in ax.get_title()
    _, ax = figure_gradient_variance(real_records["qnn-gradient"])
    assert "L = 1" in ax.get_title()
    _, ax = figure_lipschitz(real_records["qnn-gradient"])
    assert "δ = 0.1" in ax.get_title() and "vs the bound of Eq. A12" in ax.get_title()
    assert _theory_lines(ax, "lipschitz_bound")


def test_qbm_lipschitz_without_bound_is_not_titled_vs_bound(real_records):
    recs = real_records["qbm-gradient"]
    assert not any(r.get("lipschitz_bound") for r in recs)
    _, ax = figure_lipschitz(recs)
    title = ax.get_title()
    assert "vs the bound" not in title and "no bound in the records" in title
    assert "δ = 0.1" in title and "β = 1" in title
    assert _theory_lines(ax, "lipschitz_bound") == []


def test_noise_legend_names_its_numbers():
    from plateau_pl.plotting import figure_noise

    recs = [
        {
            "experiment": "noise",
            "noise_channel": "depolarizing",
            "noise_p": p,
            "n_hidden": 1,
            "n_layers": L,
            "grad_variance": 0.1 * (1 - p) ** L + 1e-9,
            "trace_distance": 0.1,
        }
        for p in (0.0, 0.05)
        for L in range(1, 4)
    ]
    fig, axes = figure_noise(recs)
    labels = legend_labels(axes[0])
    assert labels[0].startswith("depolarizing p=0, n_h=1")
    assert labels[1].startswith("depolarizing p=0.05, n_h=1: fitted rate")
    assert "log₂ y per layer" in labels[1]
    assert "fit (dotted), L ≥ 1" in labels
    _assert_legend_clear_of_data(fig, axes)


def test_training_figure_has_title_and_threshold():
    from plateau_pl.plotting import figure_trainability

    recs = [
        {
            "experiment": "trainability",
            "optimizer": "adam",
            "n_hidden": h,
            "threshold": 0.05,
            "final_loss": 0.02 * (h + 1),
            "final_loss_stderr": 0.01,
            "steps_to_threshold": 10 * (h + 1),
        }
        for h in range(4)
    ]
    fig, axes = figure_trainability(recs)
    assert fig.get_suptitle() == "Trainability vs hidden qubits (loss threshold 0.05)"
    (line,) = [ln for ln in axes[0].lines if ln.get_gid() == "threshold"]
    assert list(line.get_ydata()) == [0.05, 0.05]
    assert "threshold 0.05" in legend_labels(axes[0])
    _assert_legend_clear_of_data(fig, axes)


@pytest.mark.parametrize("ext", [".svg", ".pdf", ".png"])
def test_plot_records_out_is_exactly_that_file(real_records, tmp_path, ext):
    recs = real_records["mcclean"]  # one experiment, one figure
    out = tmp_path / f"x{ext}"
    assert plot_records(recs, out) == [out]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"x{ext}"]
    magic = {".svg": b"<?xml", ".pdf": b"%PDF-", ".png": b"\x89PNG"}[ext]
    assert out.read_bytes()[: len(magic)] == magic


def test_plot_records_several_figures_follow_the_rule(real_records, tmp_path):
    # qnn-gradient records give the gradient figure and a Lipschitz figure
    paths = plot_records(real_records["qnn-gradient"], tmp_path / "grad.svg")
    assert paths == [tmp_path / "grad.svg", tmp_path / "grad-qnn-gradient-lipschitz.svg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)
    # several experiments: the first at exactly out, the others as <stem>-<experiment><ext>
    recs = real_records["trace-distance"] + real_records["mcclean"]
    paths = plot_records(recs, tmp_path / "two" / "f.pdf")
    assert [p.name for p in paths] == ["f.pdf", "f-mcclean.pdf"]
    # pdf=True adds a PDF beside each figure; without an extension the figure is a PNG
    paths = plot_records(real_records["mcclean"], tmp_path / "three" / "m", pdf=True)
    assert [p.name for p in paths] == ["m.png", "m.pdf"]


def test_plot_records_refuses_an_unsupported_extension(tmp_path):
    recs = [{"experiment": "mcclean", "n_qubits": n, "grad_variance": 2.0**-n} for n in (2, 3)]
    with pytest.raises(ConfigurationError, match=r"out .*'\.xyz'.* matplotlib cannot write"):
        plot_records(recs, tmp_path / "fig.xyz")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ConfigurationError, match=r"path .*'\.txt'"):
        save_figure(Figure(), tmp_path / "fig.txt")
