"""Parametrised circuits (ansätze) on a :class:`~plateau_pl.circuits.WireLayout`.

Every ansatz is a small object that

* states its weight shape (``Cls.shape(layout, n_layers)`` and ``instance.weight_shape``) and
  rejects a wrong one with the expected and the actual shape;
* draws its random *structure* (gate order, rotation axes) once, from ``seed``, at construction;
  :meth:`Ansatz.redraw` returns the same ansatz with a new structure (McClean's protocol);
* queues PennyLane gates when called as ``ansatz(weights, wires=None)`` inside a QNode, like a
  PennyLane template; weights may carry a leading batch dimension (parameter broadcasting);
* states its generator: each trainable gate is ``exp(-i g θ P)`` for a Pauli string ``P`` with
  ``g = generator_scale`` (1 for :class:`RandomTwoLocal`, 1/2 for gates written with
  ``qml.RX/RY/RZ``), which :mod:`plateau_pl.theory` takes as an argument.

The registry :data:`ANSATZE` maps names to classes; :func:`make_ansatz` accepts a name, an
instance, a PennyLane template class with a ``shape(n_layers, n_wires)`` method (such as
``qml.StronglyEntanglingLayers``), or ``(callable, weight_shape)``.

**Example**

>>> from plateau_pl.circuits import WireLayout, make_ansatz
>>> ansatz = make_ansatz("random_two_local", WireLayout(1, 2), seed=3)
>>> ansatz.weight_shape      # 3n one-local + 9n(n-1)/2 two-local terms, n = 3
(1, 36)
"""

from __future__ import annotations

import inspect
import itertools
import math
from collections.abc import Callable, Hashable, Iterable, Sequence

import numpy as np
import pennylane as qml

from plateau_pl._validation import (
    check_choice,
    check_instance,
    check_int,
    check_memory,
    check_seed,
    fresh_seed,
)
from plateau_pl.circuits.layout import WireLayout
from plateau_pl.circuits.weights import draw_weights
from plateau_pl.errors import (
    ConfigurationError,
    PlateauTypeError,
    ResourceError,
    ShapeError,
    WireError,
)
from plateau_pl.quantum._sizes import product
from plateau_pl.quantum.paulis import pauli_terms

__all__ = [
    "ANSATZE",
    "Ansatz",
    "AreaLaw",
    "CustomAnsatz",
    "HardwareEfficient",
    "McClean",
    "RandomTwoLocal",
    "make_ansatz",
    "pauli_terms",
]

_ROTATIONS = (qml.RX, qml.RY, qml.RZ)
_BLOCK_BYTES = 2048  # one block of identity_blocks: an ansatz object with its structure


MAX_GATE_SLOTS = 2**22
"""The most ``n_layers × n_wires`` an ansatz takes (4 194 304: e.g. 1000 qubits at 4000 layers).

Deeper circuits are refused at construction: drawing their structure alone takes minutes and no
engine runs them in useful time; beyond a few ``n_wires`` layers a random circuit is already a
2-design (McClean et al. 2018), so a shallower one answers the same question."""


def _check_depth(n_layers: int, layout: WireLayout) -> None:
    if n_layers * layout.n_wires > MAX_GATE_SLOTS:
        raise ResourceError(
            f"n_layers={n_layers} on {layout.n_wires} wires is {n_layers * layout.n_wires} gate "
            f"slots, more than the {MAX_GATE_SLOTS} plateau_pl builds; use n_layers <= "
            f"{MAX_GATE_SLOTS // layout.n_wires} (a random circuit of a few n_wires layers is "
            "already a 2-design)"
        )


class Ansatz:
    """Base class: a parametrised circuit on a layout with a seeded random structure.

    Subclasses set :attr:`name`, :attr:`generator_scale` and :attr:`random_structure`,
    implement :meth:`shape` (or :meth:`_weight_shape` when the instance decides it),
    :meth:`default_layers`, :meth:`_draw_structure` (if random) and :meth:`_apply_layer` (one
    layer; :meth:`apply` queues them in turn) or, for a circuit that does not split into
    layers, :meth:`_apply`.

    Args:
        layout: the wire layout.
        n_layers: depth (the meaning is the subclass's; ``None`` takes its default).
        seed: seed of the random structure; ``None`` draws one from fresh entropy and keeps it
            in :attr:`seed` so the run can be repeated.
    """

    name: str = "ansatz"
    generator_scale: float = 0.5
    """``g`` in ``exp(-i g θ P)`` for every trainable gate."""
    random_structure: bool = False
    """Whether :attr:`seed` changes the circuit."""

    def __init__(self, layout: WireLayout, n_layers: int | None = None, seed: int | None = None):
        check_instance(layout, "layout", WireLayout)
        self.layout = layout
        if n_layers is None:
            n_layers = self.default_layers(layout)
        self.n_layers = check_int(n_layers, "n_layers", minimum=1)
        _check_depth(self.n_layers, layout)
        seed = check_seed(seed)
        self.seed = fresh_seed() if seed is None else seed
        self._draw_structure(np.random.default_rng(self.seed))

    # -- to override -------------------------------------------------------------------------
    @classmethod
    def shape(cls, layout: WireLayout, n_layers: int) -> tuple[int, ...]:
        """The weight shape for ``layout`` and ``n_layers``, known from the class alone.

        Ansätze whose shape depends on their own settings (a user template, identity blocks
        over a base ansatz) have only the instance's :attr:`weight_shape`.
        """
        raise ConfigurationError(
            f"the weight shape of {cls.name!r} depends on the instance: use its weight_shape"
        )

    def _weight_shape(self) -> tuple[int, ...]:
        """This instance's weight shape (by default :meth:`shape` of its layout and depth)."""
        return tuple(self.shape(self.layout, self.n_layers))

    @staticmethod
    def default_layers(layout: WireLayout) -> int:
        """The depth used when ``n_layers=None``."""
        return layout.n_wires

    def _draw_structure(self, rng: np.random.Generator) -> None:
        """Draw the random structure from ``rng`` (nothing to draw by default)."""

    def _apply(self, weights, wires: Sequence) -> None:
        for layer in range(self.n_layers):
            self._apply_layer(weights, wires, layer)

    def _apply_layer(self, weights, wires: Sequence, layer: int) -> None:
        raise NotImplementedError(f"{type(self).__name__} does not split into layers")

    @property
    def layered(self) -> bool:
        """Whether :meth:`apply_layer` can queue the circuit one layer at a time."""
        return type(self)._apply_layer is not Ansatz._apply_layer

    def apply_layer(self, weights, layer: int, wires: Sequence | None = None) -> None:
        """Queue layer ``layer`` (``0 <= layer < n_layers``) alone.

        Queuing layers ``0, 1, …, n_layers-1`` in turn queues exactly the gates of the whole
        circuit, in the same order (a fixed preamble, such as McClean's ``RY(π/4)``, belongs to
        layer 0); noisy models insert channels between layers this way.
        """
        wires = self._check_wires(wires)
        self.check_weights(weights)
        if not self.layered:
            raise ConfigurationError(f"ansatz {self.name!r} does not split into layers")
        layer = check_int(layer, "layer", minimum=0)
        if layer >= self.n_layers:
            raise ConfigurationError(
                f"layer must be < n_layers={self.n_layers} for ansatz {self.name!r}; got {layer}"
            )
        self._apply_layer(weights, wires, layer)

    def param_order(self) -> np.ndarray | None:
        """The flattened parameter indices in the order their gates are queued, when the random
        structure is a reordering of one gate per parameter (``random_two_local``); else None.

        With :meth:`param_axes` this lets engines build every redrawn structure from arrays
        instead of queuing the circuit once per structure.
        """
        return None

    def param_axes(self) -> np.ndarray | None:
        """Per flattened parameter, the axis (0, 1, 2 = X, Y, Z) of its single-qubit rotation,
        when the random structure draws the axes (McClean's); else None."""
        return None

    # -- shared ------------------------------------------------------------------------------
    @property
    def weight_shape(self) -> tuple[int, ...]:
        """Shape of one set of weights (without a batch dimension)."""
        return self._weight_shape()

    @property
    def n_params(self) -> int:
        """Number of trainable parameters."""
        return int(math.prod(self.weight_shape))

    def param_wires(self) -> list[tuple[int, ...]] | None:
        """The wires (layout positions) each flattened parameter's gate acts on.

        ``None`` when unknown (user templates). Diagnostics use it to separate parameters of
        gates that touch hidden qubits from those acting on visible qubits only.
        """
        return None

    def hidden_mask(self) -> np.ndarray | None:
        """Boolean mask over flattened parameters: does the parameter's gate touch a hidden
        wire? ``None`` when :meth:`param_wires` is unknown."""
        wires = self.param_wires()
        if wires is None:
            return None
        hidden = set(self.layout.hidden)
        return np.array([bool(hidden.intersection(w)) for w in wires], dtype=bool)

    def redraw(self, seed: int) -> Ansatz:
        """The same ansatz (layout, depth) with the structure drawn from ``seed``."""
        return type(self)(self.layout, self.n_layers, seed=seed)

    def check_weights(self, weights, name: str = "weights", allow_batch: bool = True) -> None:
        """Raise :class:`ShapeError` unless ``weights`` has :attr:`weight_shape`.

        A leading batch dimension is accepted when ``allow_batch``.
        """
        try:
            shape = tuple(qml.math.shape(weights))
        except ValueError as exc:  # a ragged nested list
            raise ShapeError(f"{name} must be a rectangular array; got {exc}") from None
        expected = self.weight_shape
        if shape == expected or (allow_batch and shape[1:] == expected and len(shape) > 0):
            return
        batch = " or (batch, *shape)" if allow_batch else ""
        raise ShapeError(
            f"{name} must have shape {expected}{batch} for ansatz {self.name!r} with "
            f"n_layers={self.n_layers} on {self.layout.n_wires} wires; got {shape}"
        )

    def apply(self, weights, wires: Sequence | None = None) -> None:
        """Queue the gates on ``wires`` (default: the layout's wires, visible first).

        ``weights`` has :attr:`weight_shape`, or a leading batch dimension (PennyLane
        broadcasting). Calling the ansatz is the same: ``ansatz(weights)``.

        >>> import pennylane as qml
        >>> ansatz = HardwareEfficient(WireLayout(1, 1), n_layers=1)
        >>> [op.name for op in qml.tape.make_qscript(ansatz.apply)(np.zeros((1, 2, 2))).operations]
        ['RY', 'RZ', 'RY', 'RZ', 'CNOT']
        """
        wires = self._check_wires(wires)
        self.check_weights(weights)
        self._apply(weights, wires)

    __call__ = apply

    def _check_wires(self, wires) -> tuple:
        if wires is not None and (isinstance(wires, str) or not isinstance(wires, Iterable)):
            raise PlateauTypeError(
                f"wires must be a sequence of {self.layout.n_wires} wires; got {wires!r:.80} "
                f"({type(wires).__name__})"
            )
        wires = self.layout.wires if wires is None else tuple(wires)
        for w in wires:
            if not isinstance(w, Hashable):
                raise PlateauTypeError(f"wires must be wire labels (ints); got {w!r:.80}")
        if len(wires) != self.layout.n_wires:
            raise WireError(
                f"wires must list {self.layout.n_wires} wires for this layout; got {len(wires)}"
            )
        return wires

    def to_dict(self) -> dict:
        """The ansatz's settings as a record fragment."""
        return {
            "ansatz": self.name,
            "n_layers": self.n_layers,
            "structure_seed": self.seed,
            "generator_scale": self.generator_scale,
        }

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(n_visible={self.layout.n_visible}, "
            f"n_hidden={self.layout.n_hidden}, n_layers={self.n_layers}, seed={self.seed})"
        )


class RandomTwoLocal(Ansatz):
    r"""The paper's unitary model: ``exp(-iθ_t P_t)`` over every 1- and 2-local Pauli term.

    .. math::
        U(\theta) = \prod_{p=1}^{L} \prod_{t \in \pi_p} e^{-i \theta_{p,t} P_t}

    over all ``3n`` one-local and ``9n(n-1)/2`` two-local Pauli strings ``P_t`` on the layout's
    ``n`` qubits, ``L = n_layers`` passes, each pass in its own seeded random order ``π_p``.
    Generator scale ``g = 1`` (each gate is ``qml.PauliRot(2θ, P)``), so the Haar per-parameter
    gradient variance of a Pauli observable is about ``2/(D_v D_h)``.

    **Why a random order.** In lexicographic order every term coupling a visible qubit to the
    others comes first, once, and all hidden–hidden terms come after them; a unitary on the hidden
    qubits alone leaves ``ρ_v`` unchanged, so those gates are wasted and the hidden qubits are
    never scrambled back into the visible ones. A random order interleaves visible–hidden and
    hidden–hidden terms, which is what makes one pass already close to a Haar-random state for
    ``ρ_v`` (checked by the purity test against the Haar value).

    Weight shape: ``(n_layers, 3n + 9n(n-1)/2)``; ``weights[p, t]`` is the angle of term ``t`` in
    the lexicographic list :func:`pauli_terms`, whatever its position in the pass.

    >>> RandomTwoLocal.shape(WireLayout(2, 1), n_layers=2)
    (2, 36)
    """

    name = "random_two_local"
    generator_scale = 1.0
    random_structure = True

    @staticmethod
    def shape(layout, n_layers):
        n = layout.n_wires
        return (n_layers, 3 * n + 9 * n * (n - 1) // 2)

    @staticmethod
    def default_layers(layout):
        return 1

    def param_wires(self):
        return [wires for _ in range(self.n_layers) for _, wires in self.terms]

    def _draw_structure(self, rng):
        self.terms = pauli_terms(self.layout.n_wires)
        _check_structure_memory(self.n_layers, len(self.terms), "random term order", per_row=True)
        self.orders = np.stack([rng.permutation(len(self.terms)) for _ in range(self.n_layers)])

    def param_order(self):
        n_terms = len(self.terms)
        return (self.orders + n_terms * np.arange(self.n_layers)[:, None]).reshape(-1)

    def _apply_layer(self, weights, wires, layer):
        for t in self.orders[layer]:
            word, idx = self.terms[t]
            qml.PauliRot(2 * weights[..., layer, t], word, wires=[wires[i] for i in idx])


class McClean(Ansatz):
    r"""McClean et al.'s barren-plateau circuit (Nat. Commun. 9, 4812, 2018).

    ``RY(π/4)`` on every qubit, then ``n_layers`` layers of a rotation about a random axis
    (``RX``, ``RY`` or ``RZ``, drawn per qubit and layer from the seed) followed by a CZ ladder
    ``CZ(q, q+1)``. Generator scale ``g = 1/2``.

    Weight shape ``(n_layers, n)``; :attr:`axes` holds the drawn axes (0, 1, 2 = X, Y, Z).

    >>> McClean(WireLayout(2, 2), n_layers=3, seed=0).axes.shape
    (3, 4)
    """

    name = "mcclean"
    generator_scale = 0.5
    random_structure = True

    @staticmethod
    def shape(layout, n_layers):
        return (n_layers, layout.n_wires)

    def param_wires(self):
        return [(q,) for _ in range(self.n_layers) for q in range(self.layout.n_wires)]

    def _draw_structure(self, rng):
        _check_structure_memory(self.n_layers, self.layout.n_wires, "random rotation axes")
        self.axes = rng.integers(0, 3, size=(self.n_layers, self.layout.n_wires))

    def param_axes(self):
        return self.axes.reshape(-1)

    def _apply_layer(self, weights, wires, layer):
        if layer == 0:
            for w in wires:
                qml.RY(np.pi / 4, wires=w)
        for q, w in enumerate(wires):
            _ROTATIONS[self.axes[layer, q]](weights[..., layer, q], wires=w)
        _cz_ladder(wires)


class HardwareEfficient(Ansatz):
    """``n_layers`` layers of ``RY`` and ``RZ`` on every qubit followed by a CNOT ladder.

    Deterministic structure (the seed is recorded but changes nothing). Generator scale 1/2.
    Weight shape ``(n_layers, n, 2)``: ``[..., l, q, 0]`` is the RY angle, ``[..., l, q, 1]``
    the RZ angle.

    >>> HardwareEfficient.shape(WireLayout(1, 3), n_layers=2)
    (2, 4, 2)
    """

    name = "hardware_efficient"
    generator_scale = 0.5

    @staticmethod
    def shape(layout, n_layers):
        return (n_layers, layout.n_wires, 2)

    def param_wires(self):
        return _per_qubit_pairs(self.n_layers, self.layout.n_wires)

    def _apply_layer(self, weights, wires, layer):
        _ry_rz(weights, layer, wires, range(len(wires)))
        for a, b in itertools.pairwise(wires):
            qml.CNOT(wires=[a, b])


class AreaLaw(Ansatz):
    r"""An area-law family: few gates cross the visible–hidden cut, whatever ``n_hidden``.

    Each of the ``n_layers`` layers applies ``RY`` and ``RZ`` on every qubit, a CZ ladder inside
    the visible block, a CZ ladder inside the hidden block, and ``n_cross`` CZ gates across the
    cut, pairing visible wire ``n_v-1-k`` with hidden wire ``n_v+k`` (``k < n_cross``). A CZ has
    operator Schmidt rank 2 across the cut, so the von Neumann (and Rényi-2) entropy of the
    visible qubits is bounded, for every draw of the weights, by

    .. math::
        S(\rho_v) \le n_\text{layers}\, n_\text{cross} \ln 2,

    independent of ``n_hidden``; :meth:`entropy_bound` returns it. Deterministic structure,
    generator scale 1/2, weight shape ``(n_layers, n, 2)`` as :class:`HardwareEfficient`.

    Args:
        n_cross: CZ gates across the cut per layer (at most ``min(n_v, n_h)`` are placed).

    >>> AreaLaw(WireLayout(2, 6), n_layers=1).entropy_bound()  # ln 2
    0.6931471805599453
    """

    name = "area_law"
    generator_scale = 0.5

    def __init__(self, layout, n_layers=None, seed=None, n_cross: int = 1):
        self.n_cross = check_int(n_cross, "n_cross", minimum=1)
        super().__init__(layout, n_layers, seed)

    def redraw(self, seed):
        return type(self)(self.layout, self.n_layers, seed=seed, n_cross=self.n_cross)

    @staticmethod
    def shape(layout, n_layers):
        return (n_layers, layout.n_wires, 2)

    @staticmethod
    def default_layers(layout):
        return 2

    def param_wires(self):
        return _per_qubit_pairs(self.n_layers, self.layout.n_wires)

    @property
    def crossing_pairs(self) -> list[tuple[int, int]]:
        """The (visible, hidden) position pairs joined by a CZ in every layer."""
        n_v, n_h = self.layout.n_visible, self.layout.n_hidden
        return [(n_v - 1 - k, n_v + k) for k in range(min(self.n_cross, n_v, n_h))]

    def entropy_bound(self) -> float:
        """``n_layers · (number of crossing CZs) · ln 2`` capped at ``min(n_v, n_h) ln 2``."""
        n_min = min(self.layout.n_visible, self.layout.n_hidden)
        return min(self.n_layers * len(self.crossing_pairs), n_min) * float(np.log(2))

    def _apply_layer(self, weights, wires, layer):
        n_v = self.layout.n_visible
        _ry_rz(weights, layer, wires, range(len(wires)))
        _cz_ladder(wires[:n_v])
        _cz_ladder(wires[n_v:])
        for a, b in self.crossing_pairs:
            qml.CZ(wires=[wires[a], wires[b]])

    def to_dict(self):
        return {**super().to_dict(), "n_cross": self.n_cross}


class CustomAnsatz(Ansatz):
    """A user template ``fn(weights, wires)`` with a fixed weight shape.

    Args:
        fn: callable queuing PennyLane gates, ``fn(weights, wires)``.
        weight_shape: the shape of ``weights``.
        layout: the wire layout.
        name: a name for records (default: ``fn.__name__``).
        generator_scale: ``g`` of its gates, if they are all ``exp(-i g θ P)`` (for theory
            overlays); ``None`` when unknown.
        seed: recorded only (a user template draws no structure).
        n_layers: the depth, recorded only.

    >>> import pennylane as qml
    >>> def tmpl(w, wires):
    ...     qml.RY(w[0], wires=wires[0])
    ...     qml.CNOT(wires=wires[:2])
    >>> CustomAnsatz(tmpl, (1,), WireLayout(1, 1)).name
    'tmpl'
    """

    def __init__(
        self,
        fn: Callable,
        weight_shape: Sequence[int],
        layout: WireLayout,
        name: str | None = None,
        generator_scale: float | None = None,
        seed: int | None = None,
        n_layers: int = 1,
    ):
        if not callable(fn):
            raise PlateauTypeError(f"ansatz must be callable (weights, wires); got {fn!r}")
        if name is not None:
            check_instance(name, "name", str, "a name (str) or None")
        try:
            shape = tuple(check_int(s, "weight_shape entries", minimum=1) for s in weight_shape)
        except TypeError as exc:
            raise PlateauTypeError(
                f"weight_shape must be a sequence of positive integers; got {weight_shape!r}"
            ) from exc
        self.fn = fn
        self._shape = shape
        self.name = name or getattr(fn, "__name__", type(fn).__name__)
        self.generator_scale = generator_scale
        super().__init__(layout, n_layers=n_layers, seed=seed)

    def _weight_shape(self):
        return self._shape

    def redraw(self, seed):
        return CustomAnsatz(
            self.fn,
            self._shape,
            self.layout,
            self.name,
            self.generator_scale,
            seed=seed,
            n_layers=self.n_layers,
        )

    def _apply(self, weights, wires):
        self.fn(weights, wires)

    @property
    def layered(self) -> bool:
        """A user template is one opaque layer: splittable only when ``n_layers == 1``."""
        return self.n_layers == 1

    def _apply_layer(self, weights, wires, layer):
        self.fn(weights, wires)


class IdentityBlocks(Ansatz):
    r"""Identity-block initialisation (Grant et al., Quantum 3, 214 (2019)) around a base ansatz.

    ``n_layers`` blocks, each a base circuit ``V(α)`` followed by the adjoint of the same circuit
    with its own parameters, ``V(β)^†``:

    .. math::
        U(θ) = \prod_{b} V_b(β_b)^\dagger\, V_b(α_b),

    so with ``β_b = α_b`` (:meth:`identity_weights`) the whole circuit is exactly the identity
    at initialisation, whatever the random ``α``, while every parameter still has a non-zero
    gradient in general. Weight shape ``(n_layers, 2, *base_shape)``.

    Args:
        base: the block's ansatz name (default ``"hardware_efficient"``).
        block_layers: the depth of each block's base circuit.

    >>> IdentityBlocks(WireLayout(1, 2), n_layers=2, seed=0).weight_shape
    (2, 2, 1, 3, 2)
    """

    name = "identity_blocks"
    generator_scale = None

    def __init__(
        self,
        layout,
        n_layers=None,
        seed=None,
        base: str = "hardware_efficient",
        block_layers: int = 1,
    ):
        self.base = check_choice(base, "base", set(ANSATZE) - {"identity_blocks"})
        self.block_layers = check_int(block_layers, "block_layers", minimum=1)
        super().__init__(layout, n_layers, seed)

    @staticmethod
    def default_layers(layout):
        return 2

    def _weight_shape(self):  # depends on the base ansatz
        return (self.n_layers, 2, *self.blocks[0].weight_shape)

    def _draw_structure(self, rng):
        check_memory(
            product(_BLOCK_BYTES, self.n_layers),
            f"the {self.n_layers} blocks of identity_blocks (one {self.base} ansatz each)",
            "use fewer layers",
        )
        seeds = rng.integers(0, 2**63 - 1, size=self.n_layers)
        self.blocks = [
            ANSATZE[self.base](self.layout, self.block_layers, seed=int(s)) for s in seeds
        ]
        self.generator_scale = self.blocks[0].generator_scale
        self.random_structure = self.blocks[0].random_structure

    def redraw(self, seed):
        return IdentityBlocks(self.layout, self.n_layers, seed, self.base, self.block_layers)

    def param_wires(self):
        return [w for block in self.blocks for _ in range(2) for w in block.param_wires()]

    def identity_weights(self, rng: np.random.Generator, dist: str = "uniform", scale=None):
        """Weights with ``β_b = α_b`` for every block: the circuit is the identity."""
        seed = int(rng.integers(0, 2**63 - 1))
        alpha = draw_weights((self.n_layers, *self.blocks[0].weight_shape), seed, dist, scale)
        return np.stack([alpha, alpha], axis=1)

    def _apply_layer(self, weights, wires, layer):  # a layer is a block V(β)^† V(α)
        rest = (slice(None),) * len(self.blocks[0].weight_shape)
        block = self.blocks[layer]
        block._apply(weights[(Ellipsis, layer, 0, *rest)], wires)
        qml.adjoint(block._apply)(weights[(Ellipsis, layer, 1, *rest)], wires)

    def to_dict(self):
        return {**super().to_dict(), "base": self.base, "block_layers": self.block_layers}


ANSATZE: dict[str, type[Ansatz]] = {
    cls.name: cls for cls in (RandomTwoLocal, McClean, HardwareEfficient, AreaLaw, IdentityBlocks)
}
"""The built-in ansätze by name."""


def make_ansatz(
    ansatz,
    layout: WireLayout,
    n_layers: int | None = None,
    seed: int | None = None,
    weight_shape: Sequence[int] | None = None,
    **options,
) -> Ansatz:
    """Build an :class:`Ansatz` from a name, an instance, a template or ``(fn, shape)``.

    Args:
        ansatz: a name in :data:`ANSATZE`; an :class:`Ansatz` (returned as is, its layout must
            match); a PennyLane template class with ``shape(n_layers, n_wires)`` (e.g.
            ``qml.StronglyEntanglingLayers``); a pair ``(fn, weight_shape)``; or a callable
            ``fn(weights, wires)`` together with ``weight_shape``.
        layout: the wire layout.
        n_layers: the depth (``None``: the ansatz's default; 1 for a template).
        seed: the structure seed.
        weight_shape: the weight shape of a plain callable.
        **options: extra options of the named ansatz (e.g. ``n_cross`` for ``area_law``).

    Returns:
        Ansatz: ready to be called inside a QNode.

    >>> make_ansatz("mcclean", WireLayout(1, 1), n_layers=2, seed=0).weight_shape
    (2, 2)
    """
    check_instance(layout, "layout", WireLayout)
    if isinstance(ansatz, Ansatz):
        if ansatz.layout != layout:
            raise ConfigurationError(
                f"ansatz was built on {ansatz.layout}; the model's layout is {layout}"
            )
        return ansatz
    if isinstance(ansatz, str):
        if ansatz not in ANSATZE:
            raise ConfigurationError(
                f"unknown ansatz {ansatz!r}; available: {', '.join(sorted(ANSATZE))}, "
                "or a callable (weights, wires) with its weight_shape"
            )
        _check_options(ANSATZE[ansatz], ansatz, options)
        return ANSATZE[ansatz](layout, n_layers, seed=seed, **options)
    if isinstance(ansatz, tuple) and len(ansatz) == 2 and callable(ansatz[0]):
        return CustomAnsatz(ansatz[0], ansatz[1], layout, seed=seed)
    if isinstance(ansatz, type) and issubclass(ansatz, qml.operation.Operation):
        if not hasattr(ansatz, "shape"):
            raise ConfigurationError(
                f"template {ansatz.__name__} has no shape(n_layers, n_wires); pass "
                "(template, weight_shape) instead"
            )
        depth = 1 if n_layers is None else check_int(n_layers, "n_layers", minimum=1)
        shape = ansatz.shape(n_layers=depth, n_wires=layout.n_wires)

        def template(weights, wires, _t=ansatz):
            _t(weights, wires=wires)

        template.__name__ = ansatz.__name__
        return CustomAnsatz(template, shape, layout, seed=seed, n_layers=depth)
    if callable(ansatz):
        if weight_shape is None:
            raise ConfigurationError(
                "a callable ansatz needs its weight_shape: pass (fn, weight_shape) or "
                "weight_shape=..."
            )
        return CustomAnsatz(ansatz, weight_shape, layout, seed=seed)
    raise PlateauTypeError(
        f"ansatz must be a name ({', '.join(sorted(ANSATZE))}), an Ansatz, a PennyLane "
        f"template class or a callable; got {type(ansatz).__name__}"
    )


def _check_options(cls: type, name: str, options: dict) -> None:
    """Refuse options that the named ansatz's constructor does not take (``ansatz_options``)."""
    taken = set(inspect.signature(cls.__init__).parameters) - {"self", "layout", "n_layers", "seed"}
    unknown = sorted(set(options) - taken)
    if unknown:
        raise ConfigurationError(
            f"ansatz_options {unknown} are not options of ansatz {name!r}; it takes: "
            f"{', '.join(sorted(taken)) or 'none'}"
        )


def _check_structure_memory(n_layers: int, per_layer: int, what: str, per_row=False) -> None:
    """Refuse, before drawing, a random structure of ``n_layers × per_layer`` int64 entries
    that does not fit in memory (``per_row``: drawn as one array per layer, then stacked)."""
    per_layer_bytes = (16 * per_layer + 128) if per_row else 8 * per_layer
    check_memory(
        product(per_layer_bytes, n_layers),
        f"the {what} of {n_layers} layers × {per_layer} entries",
        "use fewer layers",
    )


def _cz_ladder(wires: Sequence) -> None:
    for a, b in itertools.pairwise(wires):
        qml.CZ(wires=[a, b])


def _per_qubit_pairs(n_layers: int, n_wires: int) -> list[tuple[int, ...]]:
    """Wires of parameters shaped ``(n_layers, n_wires, 2)``, flattened in C order."""
    return [(q,) for _ in range(n_layers) for q in range(n_wires) for _ in range(2)]


def _ry_rz(weights, layer: int, wires: Sequence, positions) -> None:
    for q in positions:
        qml.RY(weights[..., layer, q, 0], wires=wires[q])
        qml.RZ(weights[..., layer, q, 1], wires=wires[q])
