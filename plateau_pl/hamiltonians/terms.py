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

from dataclasses import dataclass

import numpy as np
import torch

from plateau_pl.circuits.layout import WireLayout
from plateau_pl.errors import ConfigurationError, PlateauTypeError, ShapeError, WireError
from plateau_pl.quantum.paulis import PAULI_LETTERS, pauli_index_map, pauli_matrix

__all__ = ["PauliHamiltonian", "PauliTerm"]


@dataclass(frozen=True)
class PauliTerm:
    """One term ``factor · θ[param] · P(word, wires)`` of a :class:`PauliHamiltonian`."""

    word: str
    """Pauli letters, one per wire (``"XZ"``)."""
    wires: tuple[int, ...]
    """The wires the letters act on."""
    param: int
    """Index of the parameter that multiplies this term."""
    factor: float = 1.0
    """A fixed real factor (e.g. −1 in ``−Σ b_a Z_a``)."""

    @property
    def locality(self) -> int:
        """Number of non-identity letters."""
        return sum(letter != "I" for letter in self.word)


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
        if not isinstance(layout, WireLayout):
            raise PlateauTypeError(f"layout must be a WireLayout; got {type(layout).__name__}")
        self.layout = layout
        self.terms = tuple(terms)
        if not self.terms:
            raise ConfigurationError("hamiltonian must have at least one term; got none")
        for i, term in enumerate(self.terms):
            _check_term(term, i, layout)
        self.n_params = 1 + max(t.param for t in self.terms)
        coeffs = np.asarray(coeffs, dtype=np.float64).reshape(-1)
        if coeffs.shape != (self.n_params,):
            raise ShapeError(
                f"coeffs must have shape ({self.n_params},) (one per parameter); got {coeffs.shape}"
            )
        if not np.all(np.isfinite(coeffs)):
            raise ConfigurationError("coeffs must be finite; got NaN or inf entries")
        self.coeffs = coeffs
        self.name = name
        self.settings = dict(settings or {})
        self._index = None
        self.builder = None
        """``builder(seed=...)`` redraws an instance (set by the builders of this package)."""

    # -- index maps ----------------------------------------------------------------------
    def _index_maps(self):
        """Flat indices ``a·d + (a ^ x_t)`` and values ``c_t v_t[a]``, built once."""
        if self._index is None:
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
        """
        theta = self._theta(theta)
        idx, vals, params = (t.to(theta.device) for t in self._index_maps())
        contrib = theta[..., params, None].to(torch.complex128) * vals  # (..., m, d)
        flat = torch.zeros(
            (*theta.shape[:-1], self.dim * self.dim), dtype=torch.complex128, device=theta.device
        )
        flat = flat.index_add(-1, idx.reshape(-1), contrib.reshape(*theta.shape[:-1], -1))
        return flat.reshape(*theta.shape[:-1], self.dim, self.dim)

    def dense(self, theta=None) -> np.ndarray:
        """``H(θ)`` as a numpy array (no gradient)."""
        return self.matrix(theta).detach().numpy()

    def term_matrix(self, param: int) -> np.ndarray:
        """``∂H/∂θ_param = Σ_{t: p(t)=param} c_t P_t`` as a dense numpy matrix (small n)."""
        if not 0 <= param < self.n_params:
            raise ConfigurationError(f"param must be in 0..{self.n_params - 1}; got {param}")
        out = np.zeros((self.dim, self.dim), dtype=np.complex128)
        for term in self.terms:
            if term.param == param:
                out += term.factor * pauli_matrix(term.word, term.wires, self.layout.n_wires)
        return out

    def operator_norm(self, theta=None) -> float:
        """``‖H(θ)‖ = max |eigenvalue|``."""
        with torch.no_grad():
            w = torch.linalg.eigvalsh(self.matrix(theta))
        return float(w.abs().max())

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
        if theta is None:
            theta = self.coeffs
        if not isinstance(theta, torch.Tensor):
            theta = torch.as_tensor(np.asarray(theta, dtype=np.float64))
        if theta.shape[-1:] != (self.n_params,) or theta.ndim > 2:
            raise ShapeError(
                f"theta must have shape ({self.n_params},) or (batch, {self.n_params}); got "
                f"{tuple(theta.shape)}"
            )
        if theta.is_complex():
            raise PlateauTypeError("theta must be real; got a complex tensor")
        return theta.to(torch.float64)


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
    if term.param < 0 or not np.isfinite(term.factor):
        raise ConfigurationError(
            f"terms[{i}]: param must be >= 0 and factor finite; got {term.param}, {term.factor}"
        )
