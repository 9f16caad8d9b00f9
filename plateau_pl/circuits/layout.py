"""The visible/hidden wire layout every model is built on.

Visible wires come first (``0 .. n_visible-1``) and are the only ones measured; hidden wires
follow (``n_visible .. n_visible+n_hidden-1``) and are traced out. The dimension of the visible
space is ``D_v = 2**n_visible`` and of the hidden space ``D_h = 2**n_hidden``; the paper's bounds
are stated in these two numbers.

**Example**

>>> from plateau_pl.circuits import WireLayout
>>> layout = WireLayout(n_visible=1, n_hidden=3)
>>> layout.visible, layout.hidden, layout.n_wires
((0,), (1, 2, 3), 4)
>>> layout.dim_visible, layout.dim_hidden
(2, 8)
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from dataclasses import dataclass

from plateau_pl._validation import check_int
from plateau_pl.errors import PlateauTypeError, WireError

__all__ = ["WireLayout"]


@dataclass(frozen=True)
class WireLayout:
    """Visible and hidden qubits of a QNN or QBM, visible wires first.

    Args:
        n_visible: number of visible (measured) qubits, at least 1.
        n_hidden: number of hidden (traced-out) qubits, at least 0.
    """

    n_visible: int
    """Number of visible qubits (wires ``0 .. n_visible-1``)."""
    n_hidden: int = 0
    """Number of hidden qubits (wires ``n_visible .. n_wires-1``)."""

    def __post_init__(self):
        object.__setattr__(self, "n_visible", check_int(self.n_visible, "n_visible", minimum=1))
        object.__setattr__(self, "n_hidden", check_int(self.n_hidden, "n_hidden", minimum=0))

    @property
    def n_wires(self) -> int:
        """Total number of qubits."""
        return self.n_visible + self.n_hidden

    @property
    def wires(self) -> tuple[int, ...]:
        """All wires, visible first."""
        return tuple(range(self.n_wires))

    @property
    def visible(self) -> tuple[int, ...]:
        """The visible wires ``0 .. n_visible-1``."""
        return tuple(range(self.n_visible))

    @property
    def hidden(self) -> tuple[int, ...]:
        """The hidden wires ``n_visible .. n_wires-1``."""
        return tuple(range(self.n_visible, self.n_wires))

    @property
    def dim_visible(self) -> int:
        """``D_v = 2**n_visible``."""
        return 2**self.n_visible

    @property
    def dim_hidden(self) -> int:
        """``D_h = 2**n_hidden``."""
        return 2**self.n_hidden

    def is_visible(self, wire) -> bool:
        """Whether ``wire`` is one of the visible wires."""
        return wire in self.visible

    def check_visible(self, wires, name: str = "observable") -> None:
        """Raise :class:`WireError` naming the first wire that is not visible.

        >>> WireLayout(1, 2).check_visible([1], "observable")
        Traceback (most recent call last):
        ...
        plateau_pl.errors.WireError: observable acts on wire 1, which is hidden; ...
        """
        if isinstance(wires, (str, bytes)) or not isinstance(wires, Iterable):
            raise PlateauTypeError(
                f"the wires of {name} must be a sequence of wires; got {wires!r:.80} "
                f"({type(wires).__name__})"
            )
        for w in wires:
            integral = isinstance(w, numbers.Integral) and not isinstance(w, bool)
            if integral and w in self.visible:
                continue
            where = "hidden" if integral and w in self.hidden else "not in the layout"
            raise WireError(
                f"{name} acts on wire {w}, which is {where}; it must act on visible wires "
                f"only: {list(self.visible)}"
            )

    def to_dict(self) -> dict:
        """The layout as a record fragment."""
        return {"n_visible": self.n_visible, "n_hidden": self.n_hidden}
