"""Figures of where the plateau sits: gradient-variance heat maps and entropy profiles.

Built on :mod:`plateau_pl.plotting.core`, these read plain data only — the ``to_dict()`` of a
:class:`~plateau_pl.diagnostics.landscape.GradientMap` or
:class:`~plateau_pl.diagnostics.landscape.EntropyProfile`, or the same dicts read back from
JSON — and never import torch or PennyLane; they draw on :class:`matplotlib.figure.Figure`
objects (no pyplot state, nothing to close).

* :func:`figure_gradient_map` — ``imshow`` of the variance per (layer, qubit) on a log colour
  scale, layers upwards, qubits across, a vertical line at the visible/hidden boundary;
* :func:`figure_entropy_profile` — mean ``S(ρ_v)`` ± standard error against depth, one series
  per profile, with Page's Haar value (and an ansatz's per-draw bound) dashed.

**Example**

>>> from plateau_pl.plotting.maps import figure_entropy_profile, figure_gradient_map
>>> gm = {"grad_map": [[0.1, 0.01], [0.05, 0.02]], "n_visible": 1, "ansatz": "demo"}
>>> fig, ax = figure_gradient_map(gm)
>>> ax.get_xlabel(), ax.get_ylabel(), len(ax.images)
('qubit (visible | hidden)', 'layer', 1)
>>> prof = {"depths": [1, 2], "entropy": [0.2, 0.3], "entropy_stderr": [0.01, 0.01],
...         "page_entropy": 0.33, "ansatz": "demo"}
>>> fig, ax = figure_entropy_profile(prof)
>>> [ln.get_gid() for ln in ax.lines if ln.get_gid()]
['theory:page_entropy']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from plateau_pl._validation import check_float, check_int
from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError, ShapeError
from plateau_pl.plotting.core import check_text, new_axes

__all__ = ["figure_entropy_profile", "figure_gradient_map"]


_ROUNDING = 1e-12  # relative size below which a cell's variance is rounding noise


def _as_dict(data, what: str, key: str) -> dict:
    """A result's ``to_dict()``, a dict, or a one-element list of dicts."""
    if hasattr(data, "to_dict") and not isinstance(data, Mapping):
        data = data.to_dict()
    if isinstance(data, Sequence) and not isinstance(data, (str, bytes)) and len(data) == 1:
        data = data[0]
    if not isinstance(data, Mapping):
        raise PlateauTypeError(
            f"{what} must be a result with to_dict(), its dict, or a list with one such dict; "
            f"got {type(data).__name__}"
        )
    if key not in data:
        raise ConfigurationError(f"{what} has no {key!r} field; found: {', '.join(sorted(data))}")
    return dict(data)


def _cell(value, where: str) -> float:
    """A cell's value; ``None`` and NaN are empty cells, anything but a number is refused."""
    if value is None:
        return np.nan
    try:
        return check_float(value, where, allow_inf=True)
    except PlateauTypeError:
        raise
    except PlateauError:  # NaN (the only non-type refusal with allow_inf): an empty cell
        return np.nan


def _grid(values, name: str = "grad_map") -> np.ndarray:
    """Nested lists with ``None`` (empty cells) → a float array with NaN; rows of equal length."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
        raise PlateauTypeError(f"{name} must be a 2-D grid (list of rows); got {values!r:.60}")
    rows = []
    for i, row in enumerate(values):
        if isinstance(row, (str, bytes)) or not isinstance(row, (Sequence, np.ndarray)):
            raise PlateauTypeError(f"{name}[{i}] must be a row (a list); got {row!r:.60}")
        rows.append([_cell(v, f"{name}[{i}][{j}]") for j, v in enumerate(row)])
    if len({len(r) for r in rows}) > 1:
        raise ShapeError(f"{name} rows must have equal lengths; got {[len(r) for r in rows]}")
    return np.array(rows, dtype=float)


def _series(data: dict, key: str, n: int | None, name: str) -> list | None:
    """``data[key]`` as a list of ``n`` finite numbers (``None`` if absent or null)."""
    values = data.get(key)
    if values is None:
        return None
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
        raise PlateauTypeError(f"{name}[{key!r}] must be a list of numbers; got {values!r:.60}")
    out = [check_float(v, f"{name}[{key!r}][{i}]") for i, v in enumerate(values)]
    if n is not None and len(out) != n:
        raise ShapeError(f"{name}[{key!r}] must have one value per depth ({n}); got {len(out)}")
    return out


def figure_gradient_map(
    result, ax: Axes | None = None, title: str | None = None, cmap: str = "viridis"
) -> tuple[Figure, Axes]:
    """Heat map of the gradient variance per (layer, qubit), log colour scale.

    Rows are layers (layer 0 at the bottom), columns qubits (visible first); a vertical line
    (``gid="boundary"``) separates the visible from the hidden columns. Empty cells (no
    parameter acts there), non-positive values and values below ``1e-12`` of the largest (zero up to
    rounding: gates outside the measured qubit's light cone) are left blank.

    Args:
        result: a ``GradientMap``, its ``to_dict()`` (keys ``grad_map`` and ``n_visible``), or
            a one-element list of such dicts.
        ax: an Axes to draw on (default: a new figure).
        title: the title (default: from the ansatz name).
        cmap: a matplotlib colour map.

    Returns:
        ``(fig, ax)``; the colour bar is labelled ``gradient variance``.
    """
    data = _as_dict(result, "result", "grad_map")
    title = check_text(title, "title")
    if not isinstance(cmap, str) or cmap not in matplotlib.colormaps:
        raise ConfigurationError(f"cmap must be a matplotlib colour map name; got {cmap!r}")
    grid = _grid(data["grad_map"])
    if grid.ndim != 2 or grid.size == 0:
        raise ConfigurationError(f"grad_map must be a non-empty 2-D grid; got shape {grid.shape}")
    # a gate outside the measured qubit's backward light cone has a gradient that is zero up to
    # rounding (~1e-33): blank, like an empty cell, rather than stretching the colour scale
    floor = _ROUNDING * np.nanmax(np.where(np.isfinite(grid), np.abs(grid), 0.0), initial=0.0)
    positive = np.where(grid > floor, grid, np.nan)
    if not np.any(np.isfinite(positive)):
        raise ConfigurationError("grad_map has no positive entry to draw on a log scale")
    fig, ax = new_axes(ax)
    vmin, vmax = np.nanmin(positive), np.nanmax(positive)
    norm = LogNorm(vmin=vmin, vmax=vmax if vmax > vmin else vmin * 10)
    image = ax.imshow(
        np.ma.masked_invalid(positive),
        origin="lower",
        aspect="auto",
        cmap=cmap,
        norm=norm,
        interpolation="nearest",
    )
    fig.colorbar(image, ax=ax, label="gradient variance")
    n_visible = data.get("n_visible")
    if n_visible is not None:
        n_visible = check_int(n_visible, "result['n_visible']", minimum=0)
    if n_visible is not None and 0 < n_visible < grid.shape[1]:
        ax.axvline(n_visible - 0.5, color="white", linewidth=2, gid="boundary")
        ax.axvline(n_visible - 0.5, color="black", linewidth=1, linestyle="--")
    ax.set_xlabel("qubit (visible | hidden)")
    ax.set_ylabel("layer")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title if title is not None else f"gradient variance: {data.get('ansatz', '')}")
    return fig, ax


def _profile(p, name: str) -> dict:
    """One profile's dict, its arrays checked: ``depths`` and ``entropy`` of equal length,
    ``entropy_stderr`` and ``entropy_bound`` (if given) one per depth, ``page_entropy`` a
    number."""
    d = _as_dict(p, name, "entropy")
    if d.get("depths") is None:
        raise ConfigurationError(f"{name} has no 'depths' field; found: {', '.join(sorted(d))}")
    d["depths"] = _series(d, "depths", None, name)
    n = len(d["depths"])
    for key in ("entropy", "entropy_stderr", "entropy_bound"):
        d[key] = _series(d, key, n, name)
    if d.get("page_entropy") is not None:
        d["page_entropy"] = check_float(d["page_entropy"], f"{name}['page_entropy']")
    return d


def figure_entropy_profile(
    profiles, ax: Axes | None = None, title: str | None = None
) -> tuple[Figure, Axes]:
    """Mean entanglement entropy of the visible qubits against depth, with Page's value.

    Each profile is one error-bar series labelled by its ansatz; ``page_entropy`` is drawn as a
    dashed horizontal line (``gid="theory:page_entropy"``, once per distinct value) and a
    profile's ``entropy_bound`` (``area_law``) as a dotted line (``gid="theory:entropy_bound"``).

    Args:
        profiles: an ``EntropyProfile``, its ``to_dict()``, or a list of them.
        ax: an Axes to draw on (default: a new figure).
        title: the title.

    Returns:
        ``(fig, ax)``.
    """
    if hasattr(profiles, "to_dict") or isinstance(profiles, Mapping):
        profiles = [profiles]
    if not isinstance(profiles, Sequence) or isinstance(profiles, (str, bytes)) or not profiles:
        raise PlateauTypeError(
            f"profiles must be an EntropyProfile, its dict, or a non-empty list of them; "
            f"got {type(profiles).__name__}"
        )
    dicts = [_profile(p, f"profiles[{i}]") for i, p in enumerate(profiles)]
    title = check_text(title, "title")
    fig, ax = new_axes(ax)
    pages = []
    for d in dicts:
        depths = np.asarray(d["depths"], float)
        err = d.get("entropy_stderr")
        container = ax.errorbar(
            depths,
            d["entropy"],
            yerr=err,
            marker="o",
            capsize=3,
            label=str(d.get("ansatz", "profile")),
        )
        colour = container.lines[0].get_color()
        if d.get("entropy_bound") is not None:
            ax.plot(
                depths,
                d["entropy_bound"],
                linestyle=":",
                color=colour,
                gid="theory:entropy_bound",
                label=f"{d.get('ansatz', '')} bound",
            )
        page = d.get("page_entropy")
        if page is not None and not any(np.isclose(page, p) for p in pages):
            pages.append(page)
            ax.axhline(
                page,
                linestyle="--",
                color="grey",
                gid="theory:page_entropy",
                label="Page (Haar)" if len(pages) == 1 else None,
            )
    ax.set_xlabel("layers L")
    ax.set_ylabel("mean entanglement entropy S(ρ_v) (nats)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend()
    if title is not None:
        ax.set_title(title)
    return fig, ax
