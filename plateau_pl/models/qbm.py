r"""Quantum Boltzmann machines with visible and hidden units, as a ``torch.nn.Module``.

.. math::
    ρ(θ) = \frac{e^{-β s H(θ)}}{\mathrm{Tr}\, e^{-β s H(θ)}}, \qquad ρ_v(θ) = \mathrm{Tr}_h ρ(θ),

with ``H(θ) = Σ_t c_t θ_{p(t)} P_t`` a :class:`~plateau_pl.hamiltonians.PauliHamiltonian` and
``s = 1`` or, with ``normalize="opnorm"``, ``s = 1/‖H(θ₀)‖`` fixed once at construction (not
differentiated), as in the paper's experiments. Note what normalisation does: with ``‖βsH‖ = β``
the state sits near infinite temperature, which alone makes ``ρ_v`` nearly maximally mixed —
report results with and without it.

Everything is exact and differentiable: the Gibbs state through
:func:`~plateau_pl.models.gibbs.gibbs_state` (Daleckii–Krein backward), the partial trace by
reshaping, the relative entropy through the exact matrix-log derivative of
:mod:`plateau_pl.quantum.relative_entropy`.

**Example**

>>> import pennylane as qml, plateau_pl as pp
>>> layout = pp.WireLayout(n_visible=1, n_hidden=2)
>>> qbm = pp.QBM(layout, pp.hamiltonians.random_two_local(layout, seed=1))
>>> rho_v = qbm()
>>> rho_v.shape, rho_v.dtype
(torch.Size([2, 2]), torch.complex128)
>>> loss = qbm.expval(qml.Z(0))
>>> loss.backward(); qbm.theta.grad.shape
torch.Size([36])
"""

from __future__ import annotations

import numpy as np
import torch

from plateau_pl._validation import (
    check_choice,
    check_float,
    check_instance,
    check_int,
    check_real_array,
    check_seed,
)
from plateau_pl.circuits.layout import WireLayout
from plateau_pl.errors import (
    ConfigurationError,
    InvalidMatrixError,
    PlateauError,
    PlateauTypeError,
    ShapeError,
)
from plateau_pl.hamiltonians.terms import PauliHamiltonian
from plateau_pl.models.gibbs import gibbs_state
from plateau_pl.quantum._checks import as_array, check_density_matrix
from plateau_pl.quantum.relative_entropy import relative_entropy
from plateau_pl.quantum.states import trace_out_last

__all__ = ["NORMALIZATIONS", "QBM", "trace_hidden"]

NORMALIZATIONS = ("opnorm",)
"""Values of ``QBM(normalize=...)`` besides ``None``."""


def trace_hidden(rho: torch.Tensor, d_v: int, d_h: int) -> torch.Tensor:
    """``Tr_h ρ`` for visible-first wires: ``ρ (..., d_v d_h, d_v d_h)`` → ``(..., d_v, d_v)``."""
    check_instance(rho, "rho", torch.Tensor, "a torch tensor (..., d_v d_h, d_v d_h)")
    d_v, d_h = check_int(d_v, "d_v", minimum=1), check_int(d_h, "d_h", minimum=1)
    if rho.ndim < 2 or tuple(rho.shape[-2:]) != (d_v * d_h, d_v * d_h):
        raise ShapeError(
            f"rho must have shape (..., {d_v * d_h}, {d_v * d_h}) for d_v={d_v}, d_h={d_h}; got "
            f"{tuple(rho.shape)}"
        )
    return trace_out_last(rho, d_v, d_h)


class QBM(torch.nn.Module):
    """A quantum Boltzmann machine whose output is the visible reduced Gibbs state.

    Args:
        layout: the :class:`~plateau_pl.circuits.WireLayout` (must match the Hamiltonian's).
        hamiltonian: a :class:`~plateau_pl.hamiltonians.PauliHamiltonian`.
        beta: inverse temperature (> 0).
        normalize: ``None`` or ``"opnorm"`` (divide H by its operator norm at the initial θ).
        theta: initial parameters; default the Hamiltonian's coefficients, or N(0, 1) draws
            when ``seed`` is given.
        seed: seed of the N(0, 1) initial parameters (used only when ``theta`` is None).
    """

    def __init__(
        self,
        layout: WireLayout,
        hamiltonian: PauliHamiltonian,
        beta: float = 1.0,
        normalize: str | None = None,
        theta=None,
        seed: int | None = None,
    ):
        super().__init__()
        check_instance(layout, "layout", WireLayout)
        check_instance(
            hamiltonian,
            "hamiltonian",
            PauliHamiltonian,
            "a PauliHamiltonian (see plateau_pl.hamiltonians)",
        )
        if hamiltonian.layout != layout:
            raise ConfigurationError(
                f"hamiltonian was built on {hamiltonian.layout}; the QBM's layout is {layout}"
            )
        beta = _check_beta(beta)
        if normalize is not None:
            check_choice(normalize, "normalize", NORMALIZATIONS)
        self.layout = layout
        self.hamiltonian = hamiltonian
        self.beta = beta
        self.normalize = normalize
        self.init_seed = check_seed(seed)
        init = self._initial_theta(theta)
        self.theta = torch.nn.Parameter(init)
        scale = 1.0
        if normalize == "opnorm":
            norm = hamiltonian.operator_norm(init)
            if norm == 0:
                raise ConfigurationError("normalize='opnorm' needs a non-zero H; got ‖H‖ = 0")
            scale = 1.0 / norm
        self.register_buffer("scale", torch.tensor(scale, dtype=torch.float64))

    def _initial_theta(self, theta) -> torch.Tensor:
        n = self.hamiltonian.n_params
        if theta is None:
            if self.init_seed is None:
                values = self.hamiltonian.coeffs
            else:
                values = np.random.default_rng(self.init_seed).normal(size=n)
        else:
            values = check_real_array(theta, "theta")
            if isinstance(values, torch.Tensor):
                values = values.detach().cpu().numpy()
            values = np.asarray(values, dtype=np.float64)
        if values.shape != (n,):
            raise ShapeError(f"theta must have shape ({n},); got {values.shape}")
        return torch.tensor(values, dtype=torch.float64)

    # -- states --------------------------------------------------------------------------
    def hamiltonian_matrix(self, theta=None) -> torch.Tensor:
        """``β s H(θ)`` as a dense complex128 matrix (θ defaults to :attr:`theta`).

        Raises:
            PlateauError: if ``β s H(θ)`` overflows float64 (``beta`` too large for this H).
        """
        theta = self.theta if theta is None else theta
        out = (self.beta * self.scale) * self.hamiltonian.matrix(theta)
        check_no_overflow(out, self.beta, self.scale)
        return out

    def full_state(self, theta=None) -> torch.Tensor:
        """The Gibbs state ``ρ(θ)`` on all qubits (complex128).

        Exact and finite for every finite ``β s H(θ)``, however large (the ground space at
        very large ``beta``); ``theta`` (default :attr:`theta`) must be real and finite.
        """
        return gibbs_state(self.hamiltonian_matrix(theta), check=False)

    def forward(self, theta=None) -> torch.Tensor:
        """The visible state ``ρ_v = Tr_h ρ(θ)`` (complex128, differentiable).

        ``theta`` (default :attr:`theta`): real and finite, ``(n_params,)`` or a batch.
        """
        return trace_hidden(self.full_state(theta), self.layout.dim_visible, self.layout.dim_hidden)

    # -- objectives ----------------------------------------------------------------------
    def observable_matrix(self, observable) -> torch.Tensor:
        """A visible observable as a ``(D_v, D_v)`` complex128 tensor.

        ``observable`` is a PennyLane operator on visible wires or a Hermitian matrix.
        """
        d_v = self.layout.dim_visible
        if hasattr(observable, "wires") and hasattr(observable, "name"):
            import pennylane as qml

            self.layout.check_visible(observable.wires, "observable")
            observable = qml.matrix(observable, wire_order=list(self.layout.visible))
        mat = _as_complex_matrix(observable, "observable")
        if mat.shape != (d_v, d_v):
            raise ShapeError(
                f"observable must be a ({d_v}, {d_v}) matrix on the visible wires; got "
                f"{tuple(mat.shape)}"
            )
        if not torch.isfinite(torch.view_as_real(mat)).all():
            raise InvalidMatrixError("observable must be finite; got NaN or inf entries")
        if not torch.allclose(mat, mat.mH, atol=1e-10):
            raise InvalidMatrixError("observable must be Hermitian")
        return mat

    def expval(self, observable) -> torch.Tensor:
        """``⟨O⟩ = Tr(O ρ_v)`` (real scalar tensor), the paper's discriminative objective."""
        return self.expval_matrix(self.observable_matrix(observable))

    def expval_matrix(self, matrix) -> torch.Tensor:
        """``Tr(O ρ_v)`` for a ``(D_v, D_v)`` matrix ``O`` (no checks)."""
        mat = torch.as_tensor(np.asarray(matrix), dtype=torch.complex128)
        return torch.einsum("ij,ji->", mat, self()).real

    def relative_entropy(self, target) -> torch.Tensor:
        """``S(σ‖ρ_v)`` to a target visible density matrix σ (generative objective)."""
        sigma = self.check_target(target)
        return relative_entropy(sigma, self())

    def nll(self, data) -> torch.Tensor:
        """Negative log-likelihood ``−Σ_v p_v ln⟨v|ρ_v|v⟩`` of classical visible data.

        Args:
            data: bit strings ``(N, n_visible)`` of 0/1 (wire 0 the most significant bit), or
                an empirical distribution ``(D_v,)`` summing to 1.
        """
        probs = torch.as_tensor(self._data_distribution(data))
        diag = torch.diagonal(self(), dim1=-2, dim2=-1).real
        return -(probs * torch.log(diag.clamp_min(np.finfo(np.float64).tiny))).sum()

    def check_target(self, target) -> torch.Tensor:
        """Cast and check a target visible state: a density matrix of dimension ``D_v``."""
        d_v = self.layout.dim_visible
        target = as_array(target, "target")
        shape = tuple(target.shape)
        if shape != (d_v, d_v):
            raise ShapeError(
                f"target must be a ({d_v}, {d_v}) density matrix on the visible qubits; got "
                f"shape {shape}"
            )
        sigma = torch.as_tensor(target).to(torch.complex128)
        try:
            return check_density_matrix(sigma, "target")
        except InvalidMatrixError as exc:
            raise InvalidMatrixError(f"target is not a density matrix: {exc}") from exc

    def _data_distribution(self, data) -> np.ndarray:
        d_v, n_v = self.layout.dim_visible, self.layout.n_visible
        try:
            arr = np.asarray(data)
        except (TypeError, ValueError):
            raise PlateauTypeError(
                f"data must be 0/1 bit strings (N, {n_v}) or a distribution ({d_v},); got "
                f"{type(data).__name__}"
            ) from None
        if arr.size == 0:
            raise ShapeError(f"data must not be empty; got shape {arr.shape}")
        if np.iscomplexobj(arr):
            raise PlateauTypeError(
                f"data must be real (bit strings or probabilities); got {arr.dtype}"
            )
        if arr.ndim == 1 and arr.shape == (d_v,) and np.issubdtype(arr.dtype, np.floating):
            if np.any(arr < 0) or not np.isclose(arr.sum(), 1.0):
                raise ConfigurationError("data as a distribution must be >= 0 and sum to 1")
            return arr.astype(np.float64)
        if arr.ndim != 2 or arr.shape[1] != n_v or not np.isin(arr, (0, 1)).all():
            raise ShapeError(
                f"data must be 0/1 bit strings of shape (N, {n_v}) or a distribution of shape "
                f"({d_v},); got shape {arr.shape}"
            )
        index = arr.astype(np.int64) @ (1 << np.arange(n_v - 1, -1, -1))
        return np.bincount(index, minlength=d_v) / len(arr)

    def to_dict(self) -> dict:
        """The model's settings as a record fragment."""
        return {
            "model": "qbm",
            **self.layout.to_dict(),
            **self.hamiltonian.to_dict(),
            "beta": self.beta,
            "normalize": self.normalize,
            "scale": float(self.scale),
            "n_params": self.hamiltonian.n_params,
        }

    def extra_repr(self) -> str:
        return f"{self.hamiltonian!r}, beta={self.beta}, normalize={self.normalize!r}"


def _check_beta(beta) -> float:
    """``beta`` as a float if it is a finite real number > 0 (the message QBM always gave)."""
    try:
        return check_float(beta, "beta", positive=True)
    except PlateauTypeError:
        raise
    except PlateauError:
        raise ConfigurationError(f"beta must be a finite number > 0; got {beta!r}") from None


def _as_complex_matrix(x, name: str) -> torch.Tensor:
    """``x`` as a complex128 tensor, or a :class:`PlateauTypeError` naming ``name``."""
    try:
        return torch.as_tensor(np.asarray(x), dtype=torch.complex128)
    except (TypeError, ValueError, RuntimeError):
        raise PlateauTypeError(
            f"{name} must be a PennyLane operator or a numeric matrix; got {type(x).__name__}"
        ) from None


def check_no_overflow(matrix: torch.Tensor, beta: float, scale) -> None:
    """Refuse a ``β s H`` whose entries overflowed float64 (an inf would reach ``eigh``);
    ``scale`` (a number or a tensor of per-draw scales) is only read for the message."""
    with torch.no_grad():
        finite = bool(torch.isfinite(torch.view_as_real(matrix)).all())
    if not finite:
        s_max = float(torch.as_tensor(scale, dtype=torch.float64).abs().max())
        raise PlateauError(
            f"beta·scale·H(theta) overflows float64 with beta={beta:g} and scale up to "
            f"{s_max:g}: entries exceed {torch.finfo(torch.float64).max:.3g}; use a smaller beta "
            "(or normalize='opnorm')"
        )
