"""Closed-form reference values for Haar-random states and the paper's bounds.

Pure numpy/scipy (no torch, no PennyLane): these are the theory overlays of the plots and the
independent references of the statistical tests. Dimensions are plain positive integers
(``d_v = 2**n_visible``, ``d_h = 2**n_hidden`` in a QNN, but any integers work). Entropies are
in nats.

Dimensions may be far past what a float holds (``d_h = 2**2000``): the formulas are then
evaluated in exact integer/rational arithmetic or in logarithms, giving the correctly rounded
value, or ``0.0`` where the true value is below the smallest float; a value above the largest
float is refused (:class:`~plateau_pl.errors.PlateauError` naming the arguments), never
``inf``. Ordinary sizes take the plain float formulas (the same bits as ever).

>>> from plateau_pl import theory
>>> theory.page_entropy(2, 2**2000) == math.log(2)   # ln 2 - 2^-2000: ln 2 to the last bit
True
>>> theory.paper_trace_distance_bound(2, 2**2000)   # ½ · 2^-999.5: √ of a ratio below 1e-300
6.59...e-302

Setting: a pure state drawn from the Haar measure on ``C^{d_v} ⊗ C^{d_h}``; its reduction
``rho_v`` to the first factor is distributed by the induced measure (Życzkowski & Sommers,
J. Phys. A 34, 7111 (2001)), whose eigenvalue density is

.. math::

    P(\\lambda_1, \\dots, \\lambda_m) \\propto \\delta\\Big(1 - \\sum_i \\lambda_i\\Big)
    \\prod_i \\lambda_i^{n - m} \\prod_{i<j} (\\lambda_i - \\lambda_j)^2,
    \\qquad m = \\min(d_v, d_h),\\ n = \\max(d_v, d_h),

for the ``m`` generically non-zero eigenvalues (``rho_v`` has ``d_v - m`` more zeros).

References: M. Ortiz Marrero, M. Kieferová, N. Wiebe, *Entanglement-induced barren plateaus*,
PRX Quantum 2, 040316 (2021), arXiv:2010.15968.

**Example**

>>> theory.haar_purity(2, 2), theory.haar_pauli_variance(4)
(0.8, 0.2)
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction
from functools import lru_cache

import numpy as np
from scipy import special

from plateau_pl._validation import check_float, check_int
from plateau_pl.errors import (
    ConfigurationError,
    InvalidMatrixError,
    PlateauError,
    PlateauTypeError,
    ShapeError,
)

__all__ = [
    "haar_gradient_variance",
    "haar_observable_variance",
    "haar_pauli_variance",
    "haar_purity",
    "haar_trace_distance",
    "haar_trace_distance_bound",
    "lipschitz_bound",
    "page_entropy",
    "paper_trace_distance_bound",
    "parameter_shift_variance",
    "shots_for_snr",
]

EXACT_TRACE_DISTANCE_MAX_DIM = 2**14
"""Largest ``d_v * d_h`` for which :func:`haar_trace_distance` runs its exact rational sum."""
EXACT_TRACE_DISTANCE_MAX_RANK = 32
"""Largest ``min(d_v, d_h)`` for which :func:`haar_trace_distance` runs its exact rational sum."""


# ----------------------------------------------------------------------------- validation


def _dim(value, name: str, minimum: int = 1) -> int:
    return check_int(value, name, minimum=minimum)


def _real(value, name: str, *, nonnegative: bool = False) -> int | float:
    """A finite real number (optionally ``>= 0``).

    Integers stay exact Python ``int`` s of any size (a float could not hold ``2**2000``);
    everything else goes through :func:`~plateau_pl._validation.check_float`.
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        x = int(value)
    else:
        try:
            x = check_float(value, name)
        except PlateauTypeError:
            raise
        except PlateauError:
            raise PlateauError(f"{name} must be finite; got {value!r}") from None
    if nonnegative and x < 0:
        raise PlateauError(f"{name} must be >= 0; got {value!r}")
    return x


def _past_float(what: str, log10: float):
    raise PlateauError(
        f"{what} is about 10^{log10:.6g}, past the largest float (1.8e308): no float holds it"
    )


def _float(q: Fraction | int, what: str) -> float:
    """An exact rational, correctly rounded to a float (``0.0`` where it underflows); a
    :class:`PlateauError` naming ``what`` where it exceeds the largest float."""
    try:
        return float(q)
    except OverflowError:
        q = Fraction(q)
        _past_float(what, math.log10(abs(q.numerator)) - math.log10(q.denominator))


def _evaluate(fast, exact, what: str) -> float:
    """``fast()`` (the float formula) where floats hold every step, else ``exact()`` (the same
    formula in exact rationals, rounded once; ``what`` names the result if it overflows).

    The float formula is kept wherever it works, so ordinary inputs give the very same bits; the
    exact one takes over for dimensions past what a float holds (``2**2000``), where the float
    formula would overflow (``OverflowError`` or ``inf``) or underflow (a result below
    ``1e-290``, or ``0``).
    """
    try:
        value = fast()
    except (OverflowError, ZeroDivisionError):
        return _float(exact(), what)
    if math.isfinite(value) and ((value == 0 and exact() == 0) or abs(value) > 1e-290):
        return value
    return _float(exact(), what)


def _exp(x: float, what: str) -> float:
    """``e^x`` (``0.0`` below the smallest float); a :class:`PlateauError` naming ``what``
    past the largest."""
    try:
        return math.exp(x)
    except OverflowError:
        _past_float(what, x / math.log(10))


def _sqrt_ratio(num: int, den: int, what: str) -> float:
    """``√(num/den)`` for non-negative integers of any size, without under- or overflow in
    between (``num/den`` itself may be far below the smallest float while its root is not)."""
    if num == 0:
        return 0.0
    try:
        ratio = num / den  # int / int: correctly rounded, however large the integers
    except OverflowError:
        ratio = math.inf
    if 1e-290 < ratio < math.inf:
        return math.sqrt(ratio)
    return _exp(0.5 * (math.log(num) - math.log(den)), what)


# ----------------------------------------------------------------------------- states


def haar_purity(d_v: int, d_h: int) -> float:
    """Mean purity of the ``d_v``-dimensional reduction of a Haar-random pure state (Lubkin).

    .. math::

        \\mathbb{E}\\,\\operatorname{Tr}\\rho_v^2 = \\frac{d_v + d_h}{d_v d_h + 1}

    Reference: E. Lubkin, J. Math. Phys. 19, 1028 (1978).

    Args:
        d_v: dimension of the kept (visible) factor, ``>= 1``.
        d_h: dimension of the traced-out (hidden) factor, ``>= 1``.

    Returns:
        The mean purity, in ``[1/d_v, 1]``.

    **Example**

    >>> haar_purity(2, 1)          # no hidden space: the state stays pure
    1.0
    >>> round(haar_purity(2, 8), 6)
    0.588235
    """
    d_v, d_h = _dim(d_v, "d_v"), _dim(d_h, "d_h")
    return (d_v + d_h) / (d_v * d_h + 1)


def page_entropy(d_v: int, d_h: int) -> float:
    """Page's exact mean entanglement entropy (nats) of a Haar-random pure state.

    With ``m = min(d_v, d_h)`` and ``n = max(d_v, d_h)``,

    .. math::

        \\mathbb{E}\\,S(\\rho_v) = \\sum_{k=n+1}^{mn} \\frac1k - \\frac{m-1}{2n}
        = \\psi(mn + 1) - \\psi(n + 1) - \\frac{m-1}{2n},

    with ``ψ`` the digamma function; ``≈ ln m - m/(2n)`` for ``1 ≪ m ≤ n``.

    References: D. N. Page, PRL 71, 1291 (1993) (conjecture); S. K. Foong and S. Kanno,
    PRL 72, 1148 (1994); S. Sen, PRL 77, 1 (1996) (proofs).

    Args:
        d_v: dimension of the kept (visible) factor, ``>= 1``.
        d_h: dimension of the traced-out (hidden) factor, ``>= 1``.

    Returns:
        The mean von Neumann entropy in nats (symmetric in ``d_v``, ``d_h``).

    **Example**

    >>> page_entropy(2, 1)
    0.0
    >>> round(page_entropy(2, 2), 12) == round(1/3 + 1/4 - 1/4, 12)
    True
    """
    d_v, d_h = _dim(d_v, "d_v"), _dim(d_h, "d_h")
    m, n = min(d_v, d_h), max(d_v, d_h)
    if m == 1:
        return 0.0
    if m * n < 2**53:  # mn + 1 is exact in a float
        return float(special.digamma(m * n + 1) - special.digamma(n + 1) - (m - 1) / (2 * n))
    return _page_entropy_large(m, n)


def _page_entropy_large(m: int, n: int) -> float:
    """Page's value for ``mn >= 2**53`` (so ``n >= 2**26``), from the asymptotic series
    ``ψ(x + 1) = ln x + 1/(2x) − 1/(12x²) + O(x⁻⁴)`` at ``x = mn`` and ``x = n`` (the dropped
    terms are below ``1e-31``), with exact integer ratios and ``ln m`` of an exact integer:

    .. math::

        \\mathbb{E}\\,S = \\ln m - \\frac{m}{2n} + \\frac{1}{2mn} + \\frac{1}{12n^2}
        - \\frac{1}{12 m^2 n^2}

    >>> abs(_page_entropy_large(2, 2**60) - (math.log(2) - 2.0**-60)) < 1e-15
    True
    """
    return math.log(m) - m / (2 * n) + 1 / (2 * m * n) + 1 / (12 * n * n) - 1 / (12 * (m * n) ** 2)


# ----------------------------------------------------------------------------- observables


def haar_observable_variance(obs_or_trace_sq, d: int | None = None, trace: float = 0.0) -> float:
    """Variance of ``<psi|O|psi>`` over Haar-random pure states ``psi`` in dimension ``d``.

    .. math::

        \\operatorname{Var}\\langle O\\rangle
        = \\frac{\\operatorname{Tr}O^2 - (\\operatorname{Tr}O)^2/d}{d(d+1)}

    from the second moment :math:`\\mathbb{E}\\,|\\psi\\rangle\\langle\\psi|^{\\otimes 2}
    = (I + \\mathrm{SWAP})/(d(d+1))`.

    Args:
        obs_or_trace_sq: either a Hermitian matrix ``O`` (``(d, d)`` array; then ``Tr O²`` and
            ``Tr O`` are taken from it and ``trace`` must be left at its default) or the number
            ``Tr O²``.
        d: the dimension; required with a number, inferred (or checked) with a matrix.
        trace: ``Tr O`` when ``obs_or_trace_sq`` is a number (default 0: traceless).

    Returns:
        The variance (``>= 0`` for a Hermitian ``O``).

    **Example**

    >>> import numpy as np
    >>> z = np.diag([1.0, -1.0])
    >>> haar_observable_variance(z), haar_observable_variance(2.0, d=2)
    (0.3333333333333333, 0.3333333333333333)
    """
    if isinstance(obs_or_trace_sq, (int, float, np.integer, np.floating)) and not isinstance(
        obs_or_trace_sq, bool
    ):
        if d is None:
            raise PlateauError("d is required when obs_or_trace_sq is a number (Tr O^2)")
        d = _dim(d, "d")
        tr_sq = _real(obs_or_trace_sq, "obs_or_trace_sq", nonnegative=True)
        tr = _real(trace, "trace")
        if Fraction(tr_sq) * d < Fraction(tr) ** 2 * (1 - Fraction(1, 10**9)):
            raise PlateauError(
                f"obs_or_trace_sq (Tr O^2) must be >= trace^2/d for a Hermitian O "
                f"(Cauchy-Schwarz); got Tr O^2 = {obs_or_trace_sq!r}, trace = {trace!r}, d = {d}"
            )
    else:
        try:
            obs = np.asarray(obs_or_trace_sq)
        except (TypeError, ValueError):  # ragged nested lists
            obs = np.asarray(None)
        if obs.dtype.kind not in "biufc":
            raise PlateauTypeError(
                f"obs_or_trace_sq must be a number or a square matrix; got "
                f"{type(obs_or_trace_sq).__name__}"
            )
        if obs.ndim != 2 or obs.shape[0] != obs.shape[1]:
            raise ShapeError(f"obs_or_trace_sq must be square (d, d); got shape {obs.shape}")
        if d is not None and _dim(d, "d") != obs.shape[0]:
            raise ShapeError(f"obs_or_trace_sq has dimension {obs.shape[0]}, but d={d}")
        if _real(trace, "trace") != 0:
            raise PlateauError("trace must be left at its default when a matrix is given")
        if not np.all(np.isfinite(obs)):
            raise InvalidMatrixError("obs_or_trace_sq must be finite; got NaN or inf entries")
        if not np.allclose(obs, np.conj(obs).T, rtol=1e-10, atol=1e-12):
            raise InvalidMatrixError("obs_or_trace_sq must be a Hermitian matrix; it is not")
        d = obs.shape[0]
        tr_sq = float(np.real(np.sum(obs * obs.T)))
        tr = float(np.real(np.trace(obs)))
    return _evaluate(
        lambda: (tr_sq - tr**2 / d) / (d * (d + 1)),
        lambda: (Fraction(tr_sq) - Fraction(tr) ** 2 / d) / (d * (d + 1)),
        "haar_observable_variance: (Tr O^2 - (Tr O)^2/d)/(d(d+1)) for this obs_or_trace_sq",
    )


def haar_pauli_variance(d: int) -> float:
    """Variance of ``<P>`` for a Haar-random pure state, ``P`` a non-identity Pauli string.

    .. math::

        \\operatorname{Var}\\langle P\\rangle = \\frac{1}{d + 1}
        \\qquad (\\operatorname{Tr}P = 0,\\ \\operatorname{Tr}P^2 = d)

    Args:
        d: the Hilbert-space dimension, ``>= 1``.

    Returns:
        ``1/(d+1)``, via :func:`haar_observable_variance`.

    **Example**

    >>> haar_pauli_variance(2)
    0.3333333333333333
    """
    d = _dim(d, "d")
    return haar_observable_variance(d, d, trace=0.0)


def haar_gradient_variance(
    d: int, generator_scale: float = 1.0, obs_trace_sq: float | None = None
) -> float:
    """Per-parameter gradient variance when both sides of the gate are unitary 2-designs.

    The circuit is ``U₊ e^{-iθG} U₋ |0>`` with ``G = g P`` (``P`` a Pauli string, ``g`` the
    ``generator_scale``) and ``U₋``, ``U₊`` independent and Haar (2-design) distributed; the
    cost is ``f = <O>`` for a traceless observable ``O``.

    Derivation: ``∂f/∂θ = <ψ| i[G, Õ] |ψ>`` with ``Õ = U₊† O U₊`` and ``ψ`` Haar (the gate's
    own phase is absorbed into ``U₋``). ``C = i[G, Õ]`` is Hermitian and traceless, so the Haar
    average over ``ψ`` gives ``Var = E Tr C² / (d(d+1))``. Weingarten calculus over ``U₊`` with
    ``Tr G = Tr O = 0`` gives ``E Tr(G²Õ²) = Tr G² Tr O²/d`` and
    ``E Tr(GÕGÕ) = -Tr G² Tr O²/(d(d²-1))``, hence
    ``E Tr C² = 2 Tr G² Tr O² d/(d²-1)``, and with ``Tr G² = g² d``

    .. math::

        \\operatorname{Var}\\,\\partial_\\theta f
        = \\frac{2 g^2 d \\operatorname{Tr}O^2}{(d^2 - 1)(d + 1)}
        \\approx \\frac{2 g^2}{d} \\quad (\\operatorname{Tr}O^2 = d).

    ``g = 1`` for the paper's ``random_two_local`` gates ``e^{-iθP}``; ``g = 1/2`` for
    ``qml.RX``/``RY``/``RZ``. With ``d = d_v d_h`` this is the Haar (fully scrambled) scale
    ``≈ 2/(d_v d_h)`` of the plots.

    Reference: J. R. McClean et al., Nat. Commun. 9, 4812 (2018) (the same setting).

    Args:
        d: total Hilbert-space dimension, ``>= 2``.
        generator_scale: ``g`` in ``G = g P``.
        obs_trace_sq: ``Tr O²`` (default ``d``, a Pauli-string observable).

    Returns:
        The variance of ``∂f/∂θ`` (its mean is 0).

    **Example**

    >>> round(haar_gradient_variance(8), 6)           # e^{-iθP}, Pauli observable: 128/567
    0.22575
    >>> round(haar_gradient_variance(8, generator_scale=0.5), 6)   # qml.RY
    0.056437
    """
    d = _dim(d, "d", minimum=2)
    g = _real(generator_scale, "generator_scale")
    tr_sq = d if obs_trace_sq is None else _real(obs_trace_sq, "obs_trace_sq", nonnegative=True)
    return _evaluate(
        lambda: 2.0 * g**2 * d * tr_sq / ((d**2 - 1) * (d + 1)),
        lambda: 2 * Fraction(g) ** 2 * d * Fraction(tr_sq) / ((d**2 - 1) * (d + 1)),
        "haar_gradient_variance for this generator_scale and obs_trace_sq",
    )


# ----------------------------------------------------------------------------- shot budget


def parameter_shift_variance(
    shots: int, generator_scale: float = 0.5, outcome_variance: float = 1.0
) -> float:
    """Variance of a parameter-shift gradient estimate from ``shots`` shots per circuit.

    For a gate ``exp(-i g θ P)`` the rule is ``∂f = g [f(θ + s) − f(θ − s)]`` with
    ``s = π/(4g)``; each of the two expectation values is the mean of ``shots`` outcomes of
    variance ``σ² = <O²> − <O>²`` (``1 − <O>²`` for a Pauli observable), so
    ``Var ∂̂f = g² (σ₊² + σ₋²)/shots``. With ``outcome_variance = σ²`` for both terms (``1`` is
    the worst case for a Pauli observable and exact in the limit ``ρ_v → I/D_v``, where
    ``<O> → 0``)::

        Var = 2 g² σ² / shots

    >>> parameter_shift_variance(100, generator_scale=1.0)
    0.02
    """
    shots = _dim(shots, "shots")
    g = _real(generator_scale, "generator_scale")
    var = _real(outcome_variance, "outcome_variance", nonnegative=True)
    return _evaluate(
        lambda: 2.0 * g**2 * var / shots,
        lambda: 2 * Fraction(g) ** 2 * Fraction(var) / shots,
        "parameter_shift_variance for this generator_scale and outcome_variance",
    )


def shots_for_snr(
    grad_variance: float,
    snr: float = 2.0,
    generator_scale: float = 0.5,
    outcome_variance: float = 1.0,
) -> float:
    """Shots per circuit for a parameter-shift gradient to reach a signal-to-noise ratio.

    The signal is the typical gradient size over the parameter landscape, ``√Var[∂f]`` (the
    gradient's mean is 0); the noise is the estimate's standard deviation
    (:func:`parameter_shift_variance`). Solving ``Var[∂f] / (2 g² σ² / N) = snr²``::

        N = 2 g² σ² snr² / Var[∂f]

    ``snr = 1`` resolves the sign of a typical component with probability ≈ 0.84 (Gaussian
    noise), ``snr = 2`` with ≈ 0.98. Under a plateau ``Var[∂f] ∝ 1/(D_v D_h)`` and the shots grow
    like ``D_h``: with the Haar value ``2g²/d`` and ``σ² = 1`` this is ``N = snr² d``.

    Args:
        grad_variance: the per-parameter gradient variance (e.g. ``GradientStats.variance``).
        snr: the target ratio.
        generator_scale: ``g`` of the gates (1 for ``random_two_local``, 1/2 for RX/RY/RZ).
        outcome_variance: ``σ²`` of one measurement outcome (1: Pauli observable, worst case).

    Returns:
        The number of shots per circuit (not rounded).

    >>> shots_for_snr(haar_gradient_variance(64, generator_scale=1.0), snr=1.0, generator_scale=1.0)
    64.98...
    """
    var = _real(grad_variance, "grad_variance")
    if var <= 0:
        raise ConfigurationError(f"grad_variance must be > 0; got {grad_variance!r}")
    snr = _real(snr, "snr")
    if snr <= 0:
        raise ConfigurationError(f"snr must be > 0; got {snr!r}")
    g = _real(generator_scale, "generator_scale")
    sigma2 = _real(outcome_variance, "outcome_variance", nonnegative=True)
    return _evaluate(
        lambda: 2.0 * g**2 * sigma2 * snr**2 / var,
        lambda: 2 * Fraction(g) ** 2 * Fraction(sigma2) * Fraction(snr) ** 2 / Fraction(var),
        "shots_for_snr: the shots for this grad_variance (and snr, generator_scale)",
    )


# ----------------------------------------------------------------------------- trace distance


def haar_trace_distance(d_v: int, d_h: int) -> float:
    """Exact mean trace distance ``½‖rho_v - I/d_v‖₁`` of a Haar-random pure state's reduction.

    - ``min(d_v, d_h) = 1``: ``rho_v`` is pure (or 1-dimensional): exactly ``1 - 1/d_v``.
    - ``d_v = 2``: the eigenvalues are ``(1 ± r)/2`` with density ``∝ r²(1-r²)^{d_h-2}`` on
      ``[0, 1]``, and ``T = r/2``; substituting ``u = r²``,

      .. math::

          \\mathbb{E}\\,T = \\frac12\\,\\frac{B(2, d_h - 1)}{B(3/2, d_h - 1)}
          \\qquad (d_h \\ge 2).

    - otherwise, exactly (a rational number, rounded once to float): ``T`` is a linear
      statistic of the spectrum, so only the one-eigenvalue marginal is needed. For the
      unnormalised Wishart matrix ``W = GGᵀ*`` (``G`` complex Gaussian ``m × n``) it is the
      Laguerre kernel ``x^α e^{-x} Σ_k k!/(k+α)! L_k^{(α)}(x)²/m`` (``α = n - m``), a mixture of
      Gamma densities; since ``Tr W ~ Gamma(mn)`` is independent of ``W/Tr W``, each
      ``Gamma(a)`` component maps to a ``Beta(a, mn - a)`` component of the normalised
      eigenvalue, and ``E|λ - 1/d_v|`` under a Beta law with integer parameters is a finite
      binomial sum. Done in exact integer arithmetic (under a second) for ``d_v d_h ≤ 2**14`` and
      ``min(d_v, d_h) ≤ 32``; larger cases raise :class:`ConfigurationError` (use
      :func:`haar_trace_distance_bound`).

    Args:
        d_v: dimension of the kept (visible) factor, ``>= 1``.
        d_h: dimension of the traced-out (hidden) factor, ``>= 1``.

    Returns:
        The mean trace distance.

    Raises:
        ConfigurationError: when the exact sum would be too expensive (see above).

    **Example**

    >>> haar_trace_distance(2, 1), haar_trace_distance(2, 2)
    (0.5, 0.375)
    >>> round(haar_trace_distance(4, 4), 10)
    0.4005601199
    """
    d_v, d_h = _dim(d_v, "d_v"), _dim(d_h, "d_h")
    if min(d_v, d_h) == 1:
        return 1.0 - 1 / d_v  # int / int: no float conversion of a huge d_v
    if d_v == 2:
        return _qubit_trace_distance(d_h)
    if d_v * d_h > EXACT_TRACE_DISTANCE_MAX_DIM or min(d_v, d_h) > EXACT_TRACE_DISTANCE_MAX_RANK:
        raise ConfigurationError(
            f"haar_trace_distance is exact (closed form) for d_v = 2 or d_h = 1, and by an exact "
            f"finite sum for d_v*d_h <= {EXACT_TRACE_DISTANCE_MAX_DIM} and min(d_v, d_h) <= "
            f"{EXACT_TRACE_DISTANCE_MAX_RANK}; got d_v={d_v}, d_h={d_h}. Use "
            f"haar_trace_distance_bound(d_v, d_h) for an upper bound"
        )
    return _exact_trace_distance(d_v, d_h)


def _qubit_trace_distance(d_h: int) -> float:
    """``½ B(2, N)/B(3/2, N)``, ``N = d_h − 1 ≥ 1``; past ``N = 2**53`` (where ``N`` is no longer
    a float) its expansion ``N^{-1/2} (1 − 5/(8N) + O(N⁻²))/√π`` with ``ln N`` of the exact
    integer: the ``1/N`` term is then below the float's resolution.

    >>> _qubit_trace_distance(2**60 + 1) == math.exp(-0.5 * (math.log(math.pi) + 60 * math.log(2)))
    True
    """
    big_n = d_h - 1
    if big_n < 2**53:
        return 0.5 * math.exp(special.betaln(2.0, big_n) - special.betaln(1.5, big_n))
    return math.exp(-0.5 * (math.log(math.pi) + math.log(big_n)))


def _laguerre_gamma_weights(m: int, alpha: int) -> list[Fraction]:
    """Weights ``w_j`` of ``R_1(x)/m = Σ_j w_j Gamma(x; j + α + 1)``, ``j = 0..2(m-1)``."""
    coeffs = [Fraction(0)] * (2 * m - 1)  # coefficients of x^(j+alpha) e^-x in R_1(x)
    for k in range(m):
        lag = [  # L_k^(alpha)(x) = sum_i (-1)^i C(k+alpha, k-i) x^i / i!
            Fraction((-1) ** i * math.comb(k + alpha, k - i), math.factorial(i))
            for i in range(k + 1)
        ]
        norm = Fraction(math.factorial(k), math.factorial(k + alpha))
        for i, a in enumerate(lag):
            for j, b in enumerate(lag):
                coeffs[i + j] += norm * a * b
    # ∫ x^(j+alpha) e^-x dx = (j+alpha)!  turns each monomial into a Gamma(j+alpha+1) density
    return [c * math.factorial(j + alpha) / m for j, c in enumerate(coeffs)]


def _binomial_tails(d: int, big_k: int, start: int) -> dict[int, int]:
    """``tail[a] = Σ_{t=a}^{K} C(K, t) (d-1)^(K-t)`` for ``a ≥ start`` (integers).

    ``tail[a] / d**K`` is the regularised incomplete Beta function ``I_{1/d}(a, K + 1 - a)``.
    """
    tails, term, acc = {}, 1, 0
    for t in range(big_k, start - 1, -1):
        acc += term
        tails[t] = acc
        term = term * t * (d - 1) // (big_k - t + 1)  # C(K, t-1) (d-1)^(K-t+1), exact
    return tails


@lru_cache(maxsize=256)
def _exact_trace_distance(d_v: int, d_h: int) -> float:
    """Exact ``E ½‖rho_v - I/d_v‖₁`` (``min(d_v, d_h) >= 2``), rounded once to float.

    For the component ``Beta(a, b)``, ``b = N - a``, ``N = mn``, ``c = 1/d_v``, ``μ = a/N``:
    ``E|λ - c| = (μ - c) + 2(c I_c(a, b) - μ I_c(a + 1, b))``, and over the common denominator
    ``N d_v^N`` its numerator is the integer
    ``a d_v^N - N d_v^(N-1) + 2 N tail_{N-1}(a) - 2 a tail_N(a + 1)``.
    """
    m, n = min(d_v, d_h), max(d_v, d_h)
    alpha, big_n = n - m, m * n
    tails_a = _binomial_tails(d_v, big_n - 1, alpha + 1)  # I_c(a, N - a) d_v^(N-1)
    tails_b = _binomial_tails(d_v, big_n, alpha + 2)  # I_c(a + 1, N - a) d_v^N
    power = d_v ** (big_n - 1)
    total = Fraction(0)  # Σ_j w_j E|λ - c|_j, times N d_v^N
    for j, w in enumerate(_laguerre_gamma_weights(m, alpha)):
        a = j + alpha + 1  # the normalised eigenvalue's component is Beta(a, N - a)
        num = a * d_v * power - big_n * power + 2 * big_n * tails_a[a] - 2 * a * tails_b[a + 1]
        total += w * num
    # the m non-zero eigenvalues contribute m E|λ - c|, the d_v - m zeros contribute c each;
    # int / int is correctly rounded in Python, however large the integers
    denominator = total.denominator * big_n * d_v * power
    numerator = m * total.numerator + (d_v - m) * total.denominator * big_n * power
    return numerator / (2 * denominator)


def haar_trace_distance_bound(d_v: int, d_h: int) -> float:
    """Upper bound on the mean trace distance to ``I/d_v`` from the exact Haar purity.

    By Cauchy–Schwarz, ``½‖X‖₁ ≤ ½√(d_v Tr X²)`` for ``X = rho_v - I/d_v``; Jensen moves the
    mean inside the square root, and ``E Tr X² = haar_purity(d_v, d_h) - 1/d_v``:

    .. math::

        \\mathbb{E}\\,\\tfrac12\\lVert\\rho_v - I/d_v\\rVert_1
        \\le \\frac12\\sqrt{\\frac{d_v^2 - 1}{d_v d_h + 1}}
        \\le \\frac12\\sqrt{\\frac{d_v}{d_h}}

    Args:
        d_v: dimension of the kept (visible) factor, ``>= 1``.
        d_h: dimension of the traced-out (hidden) factor, ``>= 1``.

    Returns:
        The bound (tighter than :func:`paper_trace_distance_bound`).

    **Example**

    >>> haar_trace_distance_bound(2, 1)     # tight for a pure qubit
    0.5
    >>> haar_trace_distance(2, 8) <= haar_trace_distance_bound(2, 8) <= 0.25
    True
    """
    d_v, d_h = _dim(d_v, "d_v"), _dim(d_h, "d_h")
    return 0.5 * _sqrt_ratio(d_v**2 - 1, d_v * d_h + 1, "haar_trace_distance_bound")


def paper_trace_distance_bound(d_v: int, d_h: int) -> float:
    """The paper's form of the Haar trace-distance bound, ``½√(d_v/d_h)``.

    .. math::

        \\mathbb{E}\\,\\tfrac12\\lVert\\rho_v - I/d_v\\rVert_1 \\le \\frac12\\sqrt{\\frac{d_v}{d_h}}

    Reference: arXiv:2010.15968 (Ortiz Marrero, Kieferová, Wiebe), the volume-law argument
    behind Theorem 3. It is implied by :func:`haar_trace_distance_bound`.

    Args:
        d_v: dimension of the kept (visible) factor, ``>= 1``.
        d_h: dimension of the traced-out (hidden) factor, ``>= 1``.

    Returns:
        ``½√(d_v/d_h)``.

    **Example**

    >>> paper_trace_distance_bound(2, 8)
    0.25
    """
    d_v, d_h = _dim(d_v, "d_v"), _dim(d_h, "d_h")
    return 0.5 * _sqrt_ratio(d_v, d_h, "paper_trace_distance_bound: ½√(d_v/d_h) for this d_v")


# ----------------------------------------------------------------------------- Lipschitz


def lipschitz_bound(
    delta: float, obs_norm: float, generator_norm: float, d_v: int, d_h: int
) -> float:
    """The paper's bound on the mean finite-difference slope ``E|Δf|/|δ|`` (appendix Eq. A12).

    For ``f(θ) = Tr(O ρ_v(θ))`` of a QNN whose visible–hidden state is volume-law (Haar-like)
    entangled, changing one parameter ``θ_k`` of a gate ``e^{-iθ_k H_k}`` by ``δ`` gives

    .. math::

        \\frac{\\mathbb{E}\\,|f(\\theta + \\delta e_k) - f(\\theta)|}{|\\delta|}
        \\le \\lVert O\\rVert\\,\\lVert H_k\\rVert\\,e^{2\\lVert H_k\\rVert|\\delta|}
        \\sqrt{d_v/d_h}.

    This is the explicit form of arXiv:2010.15968 v2, appendix Eq. (A12); Theorem 3 states it
    as ``Λ ∈ O(‖O_b‖‖H_k‖√(D_v/D_h))``. A poster version of the work writes ``√D_v/D_h``
    instead; that form contradicts the exact Haar values (the Haar gradient scale
    ``≈ 2/(d_v d_h)``, :func:`haar_gradient_variance`, and the trace distance
    ``≈ ½√(d_v/d_h)``, :func:`haar_trace_distance`), so it is not implemented. At ``δ = 0``
    the value is the ``δ → 0`` limit (a bound on ``E|∂_k f|``).

    Args:
        delta: the finite-difference step ``δ`` (finite; its sign does not matter).
        obs_norm: operator norm ``‖O‖`` of the observable (``>= 0``; 1 for a Pauli string).
        generator_norm: operator norm ``‖H_k‖`` of the gate generator (``>= 0``; 1 for the
            paper's ``e^{-iθP}``, 1/2 for ``qml.RY``).
        d_v: visible dimension, ``>= 1``.
        d_h: hidden dimension, ``>= 1``.

    Returns:
        The bound on ``E|Δf|/|δ|``.

    **Example**

    >>> lipschitz_bound(0.0, 1.0, 1.0, 2, 8)
    0.5
    >>> round(lipschitz_bound(0.1, 1.0, 0.5, 2, 8), 6)    # 0.5 * 0.5 * e^0.1
    0.276293
    """
    delta = _real(delta, "delta")
    obs_norm = _real(obs_norm, "obs_norm", nonnegative=True)
    generator_norm = _real(generator_norm, "generator_norm", nonnegative=True)
    d_v, d_h = _dim(d_v, "d_v"), _dim(d_h, "d_h")
    if obs_norm == 0 or generator_norm == 0:
        return 0.0
    try:
        value = (
            obs_norm
            * generator_norm
            * math.exp(2 * generator_norm * abs(delta))
            * _sqrt_ratio(d_v, d_h, "lipschitz_bound: √(d_v/d_h) for this d_v")
        )
    except OverflowError:
        value = math.inf
    if math.isfinite(value) and value > 1e-290:
        return value
    # in logarithms: inf past the largest float, 0.0 below the smallest
    what = "lipschitz_bound: ‖O‖‖H_k‖e^{2‖H_k‖|δ|}√(d_v/d_h) for this delta and generator_norm"
    exponent = _float(2 * Fraction(generator_norm) * Fraction(abs(delta)), what)
    log_norms = math.log(obs_norm) + math.log(generator_norm)
    return _exp(log_norms + exponent + 0.5 * (math.log(d_v) - math.log(d_h)), what)
