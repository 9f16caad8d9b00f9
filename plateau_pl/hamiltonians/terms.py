"""Pauli-term Hamiltonians on a wire layout: ``H(θ) = Σ_t c_t θ_{p(t)} P_t``.

A :class:`PauliHamiltonian` holds its terms (Pauli word, wires, which parameter, a fixed factor
``c_t``) and its initial coefficients; it never stores a dense matrix per term. The dense
matrix is assembled from the index maps of :mod:`plateau_pl.quantum.paulis` in ``O(m·2**n)``
operations with one ``index_add`` — differentiable in torch, with the backward
``∂L/∂θ_j = Σ_{t: p(t)=j} c_t Re Tr(P_t Ḡ)`` costing ``O(m·2**n)`` as well (memory grows as
``m·2**n``, not ``m·4**n``).

**Example**

>>> from plateau_pl.circuits import WireLayout
>>> from plateau_pl.hamiltonians import from_terms
>>> h = from_terms(WireLayout(1, 1), [("ZZ", (0, 1)), ("X", (1,))], coeffs=[1.0, 0.5])
>>> h.n_params, h.matrix().shape
(2, torch.Size([4, 4]))
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import torch

from plateau_pl._validation import (
    check_float,
    check_instance,
    check_int,
    check_memory,
    check_real_array,
    check_seed,
)
from plateau_pl.circuits.layout import WireLayout
from plateau_pl.errors import (
    ConfigurationError,
    PlateauError,
    PlateauTypeError,
    ShapeError,
    WireError,
)
from plateau_pl.quantum._sizes import power, product
from plateau_pl.quantum.paulis import PAULI_LETTERS, pauli_index_map, pauli_matrix

__all__ = ["PauliHamiltonian", "PauliTerm"]

_HUGE = 2.0**500  # entries beyond this are rescaled (exactly) before an eigendecomposition


@dataclass(frozen=True)
class PauliTerm:
    """One term ``factor · θ[param] · P(word, wires)`` of a :class:`PauliHamiltonian`.

    The fields are checked at construction: ``word`` a string, ``wires`` integers (kept as a
    tuple), ``param`` an integer ``>= 0``, ``factor`` a finite real number (kept as a float).

    >>> PauliTerm("Z", (0,), 0, factor=1j)
    Traceback (most recent call last):
        ...
    plateau_pl.errors.PlateauTypeError: factor must be a real number; got the complex 1j
    """

    word: str
    """Pauli letters, one per wire (``"XZ"``)."""
    wires: tuple[int, ...]
    """The wires the letters act on."""
    param: int
    """Index of the parameter that multiplies this term."""
    factor: float = 1.0
    """A fixed real factor (e.g. −1 in ``−Σ b_a Z_a``)."""

    def __post_init__(self):
        if _plain(self):  # the builders' terms: already exact types, nothing to convert
            return
        check_instance(self.word, "word", str, "a string of Pauli letters (e.g. 'XZ')")
        if isinstance(self.wires, (str, bytes)) or not isinstance(self.wires, Iterable):
            raise PlateauTypeError(
                f"wires must be a sequence of integer wires; got {self.wires!r} "
                f"({type(self.wires).__name__})"
            )
        wires = tuple(check_int(w, "wires entries") for w in self.wires)
        object.__setattr__(self, "wires", wires)
        object.__setattr__(self, "param", check_int(self.param, "param", minimum=0))
        object.__setattr__(self, "factor", check_float(self.factor, "factor"))

    @property
    def locality(self) -> int:
        """Number of non-identity letters."""
        return sum(letter != "I" for letter in self.word)


def _plain(term: PauliTerm) -> bool:
    """A term of exact built-in types with valid values: the common case, checked cheaply
    (a Hamiltonian of 10⁴ terms is redrawn per draw of an ensemble)."""
    return (
        type(term.word) is str
        and type(term.wires) is tuple
        and all(type(w) is int for w in term.wires)
        and type(term.param) is int
        and term.param >= 0
        and type(term.factor) is float
        and math.isfinite(term.factor)
    )


class PauliHamiltonian:
    """``H(θ) = Σ_t c_t θ_{p(t)} P_t`` on a :class:`~plateau_pl.circuits.WireLayout`.

    Args:
        layout: the wire layout the terms act on.
        terms: the :class:`PauliTerm` list; parameters are numbered ``0 .. n_params-1``.
        coeffs: initial parameter values, shape ``(n_params,)``.
        name: a short name for records.
        settings: how the instance was built (seed, scales, graph), for records.
    """

    def __init__(self, layout, terms, coeffs, name: str = "custom", settings=None):
        check_instance(layout, "layout", WireLayout)
        self.layout = layout
        if isinstance(terms, (str, bytes)) or not isinstance(terms, Iterable):
            raise PlateauTypeError(
                f"terms must be a list of PauliTerm; got {terms!r:.80} ({type(terms).__name__})"
            )
        self.terms = tuple(terms)
        if not self.terms:
            raise ConfigurationError("hamiltonian must have at least one term; got none")
        for i, term in enumerate(self.terms):
            _check_term(term, i, layout)
        self.n_params = 1 + max(t.param for t in self.terms)
        coeffs = check_real_array(coeffs, "coeffs", allow_empty=True)
        if isinstance(coeffs, torch.Tensor):
            coeffs = coeffs.detach().cpu().numpy()
        coeffs = np.asarray(coeffs, dtype=np.float64).reshape(-1)
        if coeffs.shape != (self.n_params,):
            raise ShapeError(
                f"coeffs must have shape ({self.n_params},) (one per parameter); got {coeffs.shape}"
            )
        self.coeffs = coeffs
        self.name = check_instance(name, "name", str, "a name (str)")
        if settings is not None:
            check_instance(settings, "settings", Mapping, "a dict of record fields")
        self.settings = dict(settings or {})
        self._index = None
        self.builder = None
        """``builder(seed=...)`` redraws an instance (set by the builders of this package)."""

    # -- index maps ----------------------------------------------------------------------
    def _index_maps(self):
        """Flat indices ``a·d + (a ^ x_t)`` and values ``c_t v_t[a]``, built once."""
        if self._index is None:
            self.check_memory()
            n, d = self.layout.n_wires, self.layout.dim_visible * self.layout.dim_hidden
            rows = np.arange(d)
            idx = np.empty((len(self.terms), d), dtype=np.int64)
            vals = np.empty((len(self.terms), d), dtype=np.complex128)
            for t, term in enumerate(self.terms):
                x, v = pauli_index_map(term.word, term.wires, n)
                idx[t] = rows * d + (rows ^ x)
                vals[t] = term.factor * v
            params = np.array([t.param for t in self.terms], dtype=np.int64)
            self._index = (torch.as_tensor(idx), torch.as_tensor(vals), torch.as_tensor(params))
        return self._index

    @property
    def dim(self) -> int:
        """Hilbert-space dimension ``2**n_wires``."""
        return 2**self.layout.n_wires

    def matrix(self, theta=None) -> torch.Tensor:
        """The dense Hermitian matrix ``H(θ)`` (complex128 torch tensor), differentiable in θ.

        Args:
            theta: parameters ``(n_params,)`` or a batch ``(batch, n_params)`` (numpy or torch,
                on any torch device: the matrix is built there); default: :attr:`coeffs`.

        Returns:
            torch.Tensor: ``(d, d)`` or ``(batch, d, d)``.

        Raises:
            PlateauTypeError: for complex or non-numeric ``theta``; PlateauError for NaN or
                infinite entries, or entries so large that ``H(θ)`` overflows float64;
                ResourceError, before allocating, if the matrix does not fit.
        """
        theta = self._theta(theta)
        self.check_memory(batch=int(np.prod(theta.shape[:-1])))
        idx, vals, params = (t.to(theta.device) for t in self._index_maps())
        contrib = theta[..., params, None].to(torch.complex128) * vals  # (..., m, d)
        flat = torch.zeros(
            (*theta.shape[:-1], self.dim * self.dim), dtype=torch.complex128, device=theta.device
        )
        flat = flat.index_add(-1, idx.reshape(-1), contrib.reshape(*theta.shape[:-1], -1))
        _check_finite_matrix(flat, theta)
        return flat.reshape(*theta.shape[:-1], self.dim, self.dim)

    def dense(self, theta=None) -> np.ndarray:
        """``H(θ)`` as a numpy array (no gradient)."""
        return self.matrix(theta).detach().numpy()

    def check_memory(self, batch: int = 1) -> None:
        """Refuse, before anything is allocated, dense matrices that do not fit in memory.

        ``H(θ)`` for ``batch`` parameter sets holds the index maps (``m·2**n`` indices and values,
        built once), ``batch·m·2**n`` term contributions and ``batch`` dense ``4**n`` matrices.
        """
        m, n = len(self.terms), self.layout.n_wires
        d = power(2, n)
        need = product(24, m, d) + product(batch, 16 * m + 32 * d, d)
        check_memory(
            need,
            f"the dense 2**{n}×2**{n} matrix of this {m}-term Hamiltonian on {n} qubits"
            + (f" for {batch} parameter sets" if batch > 1 else ""),
            "QBMs and dense Hamiltonians hold 4**n complex entries: use fewer qubits",
        )

    def term_matrix(self, param: int) -> np.ndarray:
        """``∂H/∂θ_param = Σ_{t: p(t)=param} c_t P_t`` as a dense numpy matrix (small n)."""
        param = check_int(param, "param", minimum=0)
        if not 0 <= param < self.n_params:
            raise ConfigurationError(f"param must be in 0..{self.n_params - 1}; got {param}")
        n = self.layout.n_wires
        check_memory(
            product(16, power(4, n)),
            f"the dense 2**{n}×2**{n} matrix of one term",
            "use fewer qubits",
        )
        out = np.zeros((self.dim, self.dim), dtype=np.complex128)
        for term in self.terms:
            if term.param == param:
                out += term.factor * pauli_matrix(term.word, term.wires, self.layout.n_wires)
        return out

    def operator_norm(self, theta=None) -> float:
        """``‖H(θ)‖ = max |eigenvalue|`` (over a batch: the largest).

        Exact for any finite ``H(θ)``: entries beyond ``2**500`` are divided by a power of two
        before ``eigvalsh``; a norm beyond the largest double is refused (PlateauError).
        """
        with torch.no_grad():
            h = self.matrix(theta)
            big = float(torch.view_as_real(h).abs().max())
            scale = 2.0 ** (math.frexp(big)[1] - 1) if big > _HUGE else 1.0
            norm = float(torch.linalg.eigvalsh(h / scale).abs().max()) * scale
        if not math.isfinite(norm):
            raise PlateauError(
                f"the operator norm of H(theta) exceeds float64 (entries up to {big:.3g}); "
                "use smaller theta"
            )
        return norm

    def touches_hidden(self) -> np.ndarray:
        """Boolean mask over parameters: does any of its terms act on a hidden wire?"""
        mask = np.zeros(self.n_params, dtype=bool)
        for term in self.terms:
            acting = [w for w, p in zip(term.wires, term.word, strict=True) if p != "I"]
            if any(w in self.layout.hidden for w in acting):
                mask[term.param] = True
        return mask

    def redraw(self, seed: int) -> PauliHamiltonian:
        """A new random instance: the builder's draw with ``seed`` (ensembles over QBMs).

        Built-in builders redraw their random coefficients (fixed ones stay fixed); a
        Hamiltonian from :func:`~plateau_pl.hamiltonians.from_terms` draws N(0, 1) coefficients.
        """
        seed = check_seed(seed)
        if self.builder is not None:
            return self.builder(seed=seed)
        coeffs = np.random.default_rng(seed).normal(size=self.n_params)
        settings = {**self.settings, "hamiltonian_seed": seed, "coeff_dist": "normal"}
        return PauliHamiltonian(self.layout, self.terms, coeffs, self.name, settings)

    def with_coeffs(self, coeffs) -> PauliHamiltonian:
        """The same terms with other coefficients."""
        return PauliHamiltonian(self.layout, self.terms, coeffs, self.name, self.settings)

    def to_dict(self) -> dict:
        """The Hamiltonian's settings as a record fragment."""
        return {"hamiltonian": self.name, "n_terms": len(self.terms), **self.settings}

    def __repr__(self) -> str:
        return (
            f"PauliHamiltonian({self.name!r}, n_visible={self.layout.n_visible}, "
            f"n_hidden={self.layout.n_hidden}, n_terms={len(self.terms)}, "
            f"n_params={self.n_params})"
        )

    def _theta(self, theta) -> torch.Tensor:
        """``theta`` (default :attr:`coeffs`) as a float64 tensor, checked: real, finite, shaped.

        A tensor keeps its device and autograd graph (the checks read it detached).
        """
        if theta is None:
            theta = self.coeffs
        theta = check_real_array(theta, "theta")
        if not isinstance(theta, torch.Tensor):
            theta = torch.as_tensor(np.asarray(theta, dtype=np.float64))
        if theta.shape[-1:] != (self.n_params,) or theta.ndim > 2:
            raise ShapeError(
                f"theta must have shape ({self.n_params},) or (batch, {self.n_params}); got "
                f"{tuple(theta.shape)}"
            )
        return theta.to(torch.float64)


def _check_finite_matrix(flat: torch.Tensor, theta: torch.Tensor) -> None:
    """Refuse an ``H(θ)`` whose entries overflowed float64 (finite ``θ`` too large)."""
    with torch.no_grad():
        if bool(torch.isfinite(torch.view_as_real(flat)).all()):
            return
        largest = float(theta.detach().abs().max())
    raise PlateauError(
        f"H(theta) overflows float64: theta has entries up to {largest:.3g}, and the sums of "
        "terms exceed the largest double; use smaller theta"
    )


def _check_term(term, i: int, layout: WireLayout) -> None:
    if not isinstance(term, PauliTerm):
        raise PlateauTypeError(f"terms[{i}] must be a PauliTerm; got {type(term).__name__}")
    if len(term.word) != len(term.wires) or set(term.word) - set(PAULI_LETTERS):
        raise ConfigurationError(
            f"terms[{i}]: word must use letters from {PAULI_LETTERS!r}, one per wire; got "
            f"{term.word!r} on wires {term.wires}"
        )
    for w in term.wires:
        if w not in layout.wires:
            raise WireError(
                f"hamiltonian term {i} ({term.word} on {term.wires}) acts on wire {w}, outside "
                f"the layout's wires 0..{layout.n_wires - 1}"
            )
    if len(set(term.wires)) != len(term.wires):
        raise ConfigurationError(f"terms[{i}]: wires must be distinct; got {term.wires}")
