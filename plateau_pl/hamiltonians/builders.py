"""Hamiltonian builders: the paper's random 2-local model, transverse-field Ising, user terms.

**Example**

>>> from plateau_pl.circuits import WireLayout
>>> from plateau_pl.hamiltonians import random_two_local, transverse_ising
>>> h = random_two_local(WireLayout(1, 2), seed=0)
>>> h.n_params, h.settings["onsite_scale"]         # 3n + 9n(n-1)/2 terms, n = 3
(36, 0.1)
>>> transverse_ising(WireLayout(2, 2), graph="bipartite", seed=0).n_params   # 4 + 4 + 4
12
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable

import numpy as np

from plateau_pl._validation import (
    check_choice,
    check_float,
    check_instance,
    check_real_array,
    check_seed,
    fresh_seed,
)
from plateau_pl.circuits.layout import WireLayout
from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError, ShapeError
from plateau_pl.hamiltonians.terms import PauliHamiltonian, PauliTerm
from plateau_pl.quantum.paulis import pauli_terms

__all__ = ["COEFF_DISTS", "GRAPHS", "from_terms", "random_two_local", "transverse_ising"]

COEFF_DISTS = ("normal", "uniform")
"""Coefficient distributions: N(0, scale²) or U(−scale, scale)."""
GRAPHS = ("complete", "chain", "bipartite")
"""Named interaction graphs of :func:`transverse_ising`."""


def _draw(rng, dist: str, scale: float, size: int) -> np.ndarray:
    if dist == "normal":
        return rng.normal(0.0, scale, size=size)
    return rng.uniform(-scale, scale, size=size)


def _scale(value, name: str) -> float:
    """A coefficient scale: :func:`~plateau_pl._validation.check_float` with ``minimum=0``,
    refused as the :class:`ConfigurationError` these builders always raised."""
    try:
        return check_float(value, name, minimum=0.0)
    except PlateauError:
        raise ConfigurationError(f"{name} must be a finite number >= 0; got {value!r}") from None


def _check_layout(layout) -> WireLayout:
    return check_instance(layout, "layout", WireLayout, "a WireLayout (plateau_pl.WireLayout)")


def random_two_local(
    layout: WireLayout,
    seed: int | None = None,
    onsite_scale: float = 0.1,
    offsite_scale: float = 1.0,
    dist: str = "normal",
) -> PauliHamiltonian:
    r"""The paper's QBM Hamiltonian: every 1- and 2-local Pauli term with a random coefficient.

    .. math::
        H(\theta) = \sum_{i,a} \theta_{ia} \sigma_a^i
                  + \sum_{i<j,\,a,b} \theta_{ijab} \sigma_a^i \sigma_b^j

    with onsite coefficients drawn from N(0, onsite_scale²) (default std 0.1, i.e. N(0, 0.01)) and
    offsite ones from N(0, offsite_scale²) (default N(0, 1)), as in arXiv:2010.15968; or
    U(−scale, scale) with ``dist="uniform"``. One parameter per term, in the order of
    :func:`~plateau_pl.quantum.paulis.pauli_terms`.

    Args:
        layout: the wire layout.
        seed: seed of the coefficients (``None``: fresh entropy, recorded in ``settings``).
        onsite_scale: scale of the 1-local coefficients.
        offsite_scale: scale of the 2-local coefficients.
        dist: ``"normal"`` or ``"uniform"``.
    """
    _check_layout(layout)
    check_choice(dist, "dist", COEFF_DISTS)
    onsite_scale = _scale(onsite_scale, "onsite_scale")
    offsite_scale = _scale(offsite_scale, "offsite_scale")
    seed = check_seed(seed)
    seed = fresh_seed() if seed is None else seed
    words = pauli_terms(layout.n_wires)
    terms = [PauliTerm(w, wires, i) for i, (w, wires) in enumerate(words)]
    n_one = 3 * layout.n_wires
    rng = np.random.default_rng(seed)
    coeffs = np.concatenate(
        [
            _draw(rng, dist, onsite_scale, n_one),
            _draw(rng, dist, offsite_scale, len(words) - n_one),
        ]
    )
    settings = {
        "hamiltonian_seed": seed,
        "onsite_scale": onsite_scale,
        "offsite_scale": offsite_scale,
        "coeff_dist": dist,
    }
    h = PauliHamiltonian(layout, terms, coeffs, "random_two_local", settings)
    h.builder = functools.partial(
        random_two_local,
        layout,
        onsite_scale=onsite_scale,
        offsite_scale=offsite_scale,
        dist=dist,
    )
    return h


def _edges(layout: WireLayout, graph) -> list[tuple[int, int]]:
    n = layout.n_wires
    if isinstance(graph, str):
        check_choice(graph, "graph", GRAPHS)
        if graph == "complete":
            return list(itertools.combinations(range(n), 2))
        if graph == "chain":
            return [(i, i + 1) for i in range(n - 1)]
        return [(v, h) for v in layout.visible for h in layout.hidden]
    edges = graph.edges() if hasattr(graph, "edges") else graph
    try:
        out = [(int(a), int(b)) for a, b in edges]
    except (TypeError, ValueError) as exc:
        raise PlateauTypeError(
            f"graph must be one of {GRAPHS}, a networkx graph or a list of wire pairs; got "
            f"{graph!r}"
        ) from exc
    for a, b in out:
        if a == b or not (0 <= a < n and 0 <= b < n):
            raise ConfigurationError(
                f"graph edge ({a}, {b}) must join two distinct wires in 0..{n - 1}"
            )
    return out


def _values(value, size: int, name: str, rng, dist: str, scale: float) -> np.ndarray:
    if value is None:
        return _draw(rng, dist, scale, size)
    arr = check_real_array(value, name)
    arr = arr.detach().cpu().numpy() if hasattr(arr, "detach") else arr
    try:
        return np.broadcast_to(np.asarray(arr, dtype=np.float64), (size,)).copy()
    except ValueError:
        raise ShapeError(
            f"{name} must be a number or have {size} entries; got shape {np.shape(arr)}"
        ) from None


def transverse_ising(
    layout: WireLayout,
    graph="complete",
    fields=None,
    couplings=None,
    transverse=1.0,
    seed: int | None = None,
    dist: str = "normal",
    scale: float = 1.0,
) -> PauliHamiltonian:
    r"""Transverse-field Ising model on a graph of the layout's qubits.

    .. math::
        H = -\sum_a b_a Z_a - \sum_{(a,b) \in E} w_{ab} Z_a Z_b - \sum_a \Gamma_a X_a

    Parameters are ``θ = (b_0..b_{n-1}, w_e for e in E, Γ_0..Γ_{n-1})``.

    Args:
        layout: the wire layout.
        graph: ``"complete"``, ``"chain"``, ``"bipartite"`` (every visible–hidden pair, no
            visible–visible or hidden–hidden coupling: a restricted QBM), a networkx graph on
            the wires, or a list of wire pairs.
        fields: the ``b_a`` (number or ``n`` values); drawn from the seed when ``None``.
        couplings: the ``w_ab`` (number or ``len(E)`` values); drawn from the seed when ``None``.
        transverse: the ``Γ_a`` (number or ``n`` values, default 1); drawn when ``None``.
        seed: seed of the drawn values.
        dist: ``"normal"`` N(0, scale²) or ``"uniform"`` U(−scale, scale) for drawn values.
        scale: scale of the drawn values.
    """
    _check_layout(layout)
    check_choice(dist, "dist", COEFF_DISTS)
    scale = _scale(scale, "scale")
    seed = check_seed(seed)
    seed = fresh_seed() if seed is None else seed
    edges = _edges(layout, graph)
    n = layout.n_wires
    rng = np.random.default_rng(seed)
    b = _values(fields, n, "fields", rng, dist, scale)
    w = _values(couplings, len(edges), "couplings", rng, dist, scale)
    g = _values(transverse, n, "transverse", rng, dist, scale)
    terms = [PauliTerm("Z", (a,), a, -1.0) for a in range(n)]
    terms += [PauliTerm("ZZ", e, n + k, -1.0) for k, e in enumerate(edges)]
    terms += [PauliTerm("X", (a,), n + len(edges) + a, -1.0) for a in range(n)]
    graph_name = graph if isinstance(graph, str) else "custom"
    settings = {"hamiltonian_seed": seed, "graph": graph_name, "n_edges": len(edges)}
    h = PauliHamiltonian(layout, terms, np.concatenate([b, w, g]), "transverse_ising", settings)
    h.builder = functools.partial(
        transverse_ising,
        layout,
        graph=graph if isinstance(graph, str) else edges,
        fields=fields,
        couplings=couplings,
        transverse=transverse,
        dist=dist,
        scale=scale,
    )
    return h


def from_terms(layout: WireLayout, terms, coeffs=None, name: str = "custom") -> PauliHamiltonian:
    """A Hamiltonian from user terms: one parameter per term.

    Args:
        layout: the wire layout.
        terms: a list of ``(word, wires)`` pairs (``("XZ", (0, 2))``), of :class:`PauliTerm`,
            or a PennyLane operator with a Pauli representation (``qml.Hamiltonian``,
            ``0.5 * qml.Z(0) @ qml.Z(1) + qml.X(1)``), whose coefficients become ``coeffs``.
        coeffs: initial values, one per term (default: ones, or the operator's coefficients).
        name: a name for records.

    >>> import pennylane as qml
    >>> h = from_terms(WireLayout(1, 1), 0.5 * qml.Z(0) @ qml.Z(1) + qml.X(1))
    >>> [t.word for t in h.terms], h.coeffs.tolist()
    (['ZZ', 'X'], [0.5, 1.0])
    """
    _check_layout(layout)
    if hasattr(terms, "pauli_rep"):
        terms, op_coeffs = _terms_from_operator(terms)
        coeffs = op_coeffs if coeffs is None else coeffs
    if isinstance(terms, (str, bytes)) or not isinstance(terms, Iterable):
        raise PlateauTypeError(
            "terms must be a list of (word, wires) pairs or PauliTerms, or a PennyLane operator; "
            f"got {terms!r:.80} ({type(terms).__name__})"
        )
    parsed = []
    for i, term in enumerate(terms):
        if isinstance(term, PauliTerm):
            parsed.append(term)
            continue
        try:
            word, wires = term
            wires = tuple(int(w) for w in np.atleast_1d(wires))
        except (TypeError, ValueError) as exc:
            raise PlateauTypeError(
                f"terms[{i}] must be (word, wires) or a PauliTerm; got {term!r}"
            ) from exc
        parsed.append(PauliTerm(str(word), wires, i))
    n_params = 1 + max((t.param for t in parsed), default=-1)
    coeffs = np.ones(n_params) if coeffs is None else coeffs
    return PauliHamiltonian(layout, parsed, coeffs, name)


def _terms_from_operator(op):
    rep = op.pauli_rep
    if rep is None:
        raise ConfigurationError(f"operator {op!r} has no Pauli representation")
    terms, coeffs = [], []
    for pw, c in rep.items():
        if not pw:  # the identity shifts every energy equally: ρ does not change
            continue
        if abs(np.imag(c)) > 1e-12:
            raise ConfigurationError(f"operator coefficient of {pw} must be real; got {c}")
        wires = tuple(int(w) for w in pw)
        terms.append(("".join(pw[w] for w in pw), wires))
        coeffs.append(float(np.real(c)))
    return terms, coeffs
