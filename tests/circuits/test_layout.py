"""WireLayout: wires, dimensions and input checks."""

import pytest

from plateau_pl.circuits import WireLayout
from plateau_pl.errors import PlateauError, PlateauTypeError, WireError


@pytest.mark.parametrize("n_v, n_h", [(1, 0), (1, 3), (2, 2), (3, 5)])
def test_wires_visible_first(n_v, n_h):
    layout = WireLayout(n_v, n_h)
    assert layout.visible == tuple(range(n_v))
    assert layout.hidden == tuple(range(n_v, n_v + n_h))
    assert layout.wires == layout.visible + layout.hidden
    assert layout.n_wires == n_v + n_h
    assert (layout.dim_visible, layout.dim_hidden) == (2**n_v, 2**n_h)
    assert layout.to_dict() == {"n_visible": n_v, "n_hidden": n_h}


def test_layout_is_hashable_and_comparable():
    assert WireLayout(1, 2) == WireLayout(1, 2)
    assert len({WireLayout(1, 2), WireLayout(1, 2), WireLayout(2, 1)}) == 2


@pytest.mark.parametrize(
    "args, exc, match",
    [
        ((0, 2), PlateauError, r"n_visible must be an integer >= 1; got 0"),
        ((1, -1), PlateauError, r"n_hidden must be an integer >= 0; got -1"),
        ((1.5, 2), PlateauTypeError, r"n_visible must be an integer; got 1.5"),
        ((1, True), PlateauTypeError, r"n_hidden must be an integer; got True"),
        (("2", 1), PlateauTypeError, r"n_visible must be an integer; got '2'"),
    ],
)
def test_bad_layouts_are_rejected(args, exc, match):
    with pytest.raises(exc, match=match):
        WireLayout(*args)


def test_check_visible_names_the_wire():
    layout = WireLayout(2, 2)
    layout.check_visible([0, 1])
    with pytest.raises(WireError, match="observable acts on wire 3, which is hidden"):
        layout.check_visible([0, 3])
    with pytest.raises(WireError, match="wire 7, which is not in the layout"):
        layout.check_visible([7])
