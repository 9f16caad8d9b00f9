"""Closed forms of plateau_pl.theory against exact sums and seeded Monte Carlo.

Every stochastic test uses a fixed seed and asserts agreement within 4 standard errors of the
estimate (for a sample variance, the delta-method error ``sqrt((m4 - s^4)/n)``).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from scipy.stats import unitary_group

from plateau_pl import theory
from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError, ShapeError

N_SIGMA = 4.0


def ginibre_reduced_spectra(rng, d_v, d_h, n):
    """Eigenvalues ``(n, d_v)`` of ``rho_v`` for ``n`` Haar-random pure states on ``d_v d_h``."""
    g = rng.normal(size=(n, d_v, d_h)) + 1j * rng.normal(size=(n, d_v, d_h))
    rho = g @ np.conj(np.swapaxes(g, -1, -2))
    rho /= np.trace(rho, axis1=-2, axis2=-1).real[:, None, None]
    return np.clip(np.linalg.eigvalsh(rho), 0.0, None)


def mean_and_stderr(x):
    return float(np.mean(x)), float(np.std(x, ddof=1) / np.sqrt(len(x)))


def variance_and_stderr(x):
    """Sample variance and its delta-method standard error ``sqrt((m4 - var^2)/n)``."""
    x = np.asarray(x)
    centred = x - x.mean()
    var = float(np.mean(centred**2))
    m4 = float(np.mean(centred**4))
    return var * len(x) / (len(x) - 1), math.sqrt((m4 - var**2) / len(x))


def assert_within_stderr(estimate, stderr, exact):
    assert stderr > 0
    assert abs(estimate - exact) < N_SIGMA * stderr, (estimate, stderr, exact)


class TestHaarPurity:
    def test_values(self):
        assert theory.haar_purity(2, 1) == 1.0
        assert theory.haar_purity(1, 7) == 1.0
        assert theory.haar_purity(2, 2) == pytest.approx(4 / 5, abs=1e-15)
        assert theory.haar_purity(4, 4) == pytest.approx(8 / 17, abs=1e-15)

    @pytest.mark.parametrize(("d_v", "d_h"), [(2, 4), (4, 2), (4, 8)])
    def test_monte_carlo(self, seed, d_v, d_h):
        lam = ginibre_reduced_spectra(np.random.default_rng(seed), d_v, d_h, 4000)
        assert_within_stderr(*mean_and_stderr(np.sum(lam**2, axis=1)), theory.haar_purity(d_v, d_h))


class TestPageEntropy:
    @pytest.mark.parametrize("d_v", [1, 2, 3, 4, 8])
    @pytest.mark.parametrize("d_h", [1, 2, 5, 8, 16])
    def test_digamma_form_matches_harmonic_sum(self, d_v, d_h):
        m, n = min(d_v, d_h), max(d_v, d_h)
        harmonic = sum(Fraction(1, k) for k in range(n + 1, m * n + 1)) - Fraction(m - 1, 2 * n)
        assert theory.page_entropy(d_v, d_h) == pytest.approx(float(harmonic), abs=1e-13)

    def test_symmetric_and_bounded(self):
        for d_v, d_h in [(2, 8), (4, 16), (3, 7)]:
            s = theory.page_entropy(d_v, d_h)
            assert s == pytest.approx(theory.page_entropy(d_h, d_v), abs=1e-14)
            assert 0 < s < math.log(min(d_v, d_h))
        # Page's asymptotic form ln m - m/(2n), next correction O(1/(mn)) ~ 4e-6
        assert theory.page_entropy(64, 4096) == pytest.approx(math.log(64) - 64 / 8192, abs=1e-5)

    @pytest.mark.parametrize(("d_v", "d_h"), [(2, 2), (2, 8), (4, 4)])
    def test_monte_carlo(self, seed, d_v, d_h):
        lam = ginibre_reduced_spectra(np.random.default_rng(seed), d_v, d_h, 4000)
        safe = np.where(lam > 0, lam, 1.0)
        entropy = -np.sum(np.where(lam > 0, lam * np.log(safe), 0.0), axis=1)
        assert_within_stderr(*mean_and_stderr(entropy), theory.page_entropy(d_v, d_h))


class TestObservableVariance:
    def test_pauli(self):
        for d in (2, 4, 8, 1024):
            assert theory.haar_pauli_variance(d) == pytest.approx(1 / (d + 1), rel=1e-14)

    def test_matrix_and_number_forms_agree(self, rng):
        a = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
        obs = a + a.conj().T
        tr_sq = float(np.trace(obs @ obs).real)
        tr = float(np.trace(obs).real)
        by_number = theory.haar_observable_variance(tr_sq, d=4, trace=tr)
        assert theory.haar_observable_variance(obs) == pytest.approx(by_number, rel=1e-13)
        assert theory.haar_observable_variance(obs, d=4) == pytest.approx(by_number, rel=1e-13)

    def test_identity_has_zero_variance(self):
        assert theory.haar_observable_variance(np.eye(4)) == pytest.approx(0.0, abs=1e-15)

    def test_monte_carlo(self, seed):
        rng = np.random.default_rng(seed)
        obs = np.diag([1.0, 2.0, -0.5, 3.0])  # non-zero trace
        psi = rng.normal(size=(20000, 4)) + 1j * rng.normal(size=(20000, 4))
        psi /= np.linalg.norm(psi, axis=1, keepdims=True)
        values = np.einsum("bi,ij,bj->b", psi.conj(), obs, psi).real
        assert_within_stderr(*variance_and_stderr(values), theory.haar_observable_variance(obs))


PAULI = {
    "I": np.eye(2),
    "X": np.array([[0, 1], [1, 0]]),
    "Y": np.array([[0, -1j], [1j, 0]]),
    "Z": np.diag([1.0, -1.0]),
}


def pauli_string(word):
    out = np.eye(1)
    for ch in word:
        out = np.kron(out, PAULI[ch])
    return out


class TestGradientVariance:
    def test_closed_form(self):
        assert theory.haar_gradient_variance(8) == pytest.approx(128 / 567, rel=1e-14)
        assert theory.haar_gradient_variance(8, 0.5) == pytest.approx(32 / 567, rel=1e-14)
        d = 2**12
        assert theory.haar_gradient_variance(d) == pytest.approx(2 / d, rel=1e-3)
        # Tr O^2 enters linearly
        assert theory.haar_gradient_variance(8, obs_trace_sq=16) == pytest.approx(256 / 567)

    @pytest.mark.parametrize("generator_scale", [1.0, 0.5])
    def test_monte_carlo_parameter_shift(self, seed, generator_scale):
        """Two independent Haar unitaries around ``e^{-i θ g P}``; gradient by parameter shift.

        ``f(θ) = a + b cos(2gθ) + c sin(2gθ)``, so ``f'(0) = g (f(s) - f(-s))`` with
        ``s = π/(4g)``: no commutator formula is used here.
        """
        d, n = 8, 4000
        p, obs = pauli_string("XIY"), pauli_string("ZZI")
        u_minus = unitary_group.rvs(d, size=n, random_state=seed)
        u_plus = unitary_group.rvs(d, size=n, random_state=seed + 1)
        psi = u_minus[:, :, 0]
        obs_tilde = np.conj(np.swapaxes(u_plus, 1, 2)) @ obs @ u_plus

        def f(theta):
            gate = (
                math.cos(generator_scale * theta) * np.eye(d)
                - 1j * math.sin(generator_scale * theta) * p
            )
            phi = psi @ gate.T
            return np.einsum("bi,bij,bj->b", phi.conj(), obs_tilde, phi).real

        shift = math.pi / (4 * generator_scale)
        grads = generator_scale * (f(shift) - f(-shift))
        exact = theory.haar_gradient_variance(d, generator_scale=generator_scale)
        assert_within_stderr(*variance_and_stderr(grads), exact)
        assert abs(np.mean(grads)) < N_SIGMA * np.std(grads) / np.sqrt(n)  # mean zero


class TestTraceDistance:
    def test_pure_and_trivial_cases(self):
        for d_v in (1, 2, 3, 8):
            assert theory.haar_trace_distance(d_v, 1) == 1 - 1 / d_v
        assert theory.haar_trace_distance(1, 16) == 0.0

    def test_qubit_closed_form_values(self):
        # E T = B(2, n-1) / (2 B(3/2, n-1)): n = 2 gives 3/8, n = 3 gives 5/16
        assert theory.haar_trace_distance(2, 2) == pytest.approx(3 / 8, abs=1e-15)
        assert theory.haar_trace_distance(2, 3) == pytest.approx(5 / 16, abs=1e-15)

    @pytest.mark.parametrize("d_h", [2, 3, 4, 8, 64, 256])
    def test_qubit_closed_form_matches_exact_sum(self, d_h):
        exact = theory._exact_trace_distance(2, d_h)
        assert theory.haar_trace_distance(2, d_h) == pytest.approx(exact, rel=1e-13)

    @pytest.mark.parametrize(
        ("d_v", "d_h"), [(2, 2), (2, 4), (2, 16), (4, 2), (4, 4), (3, 5), (8, 4), (4, 16)]
    )
    def test_monte_carlo(self, seed, d_v, d_h):
        lam = ginibre_reduced_spectra(np.random.default_rng(seed), d_v, d_h, 4000)
        distances = 0.5 * np.sum(np.abs(lam - 1 / d_v), axis=1)
        assert_within_stderr(*mean_and_stderr(distances), theory.haar_trace_distance(d_v, d_h))

    def test_exact_below_bounds(self):
        for d_v in (1, 2, 4, 8):
            for d_h in (1, 2, 4, 8, 16, 64):
                exact = theory.haar_trace_distance(d_v, d_h)
                bound = theory.haar_trace_distance_bound(d_v, d_h)
                paper = theory.paper_trace_distance_bound(d_v, d_h)
                assert exact <= bound + 1e-15 <= paper + 2e-15

    def test_bound_values(self):
        assert theory.haar_trace_distance_bound(2, 1) == 0.5
        assert theory.haar_trace_distance_bound(2, 8) == pytest.approx(0.5 * math.sqrt(3 / 17))
        assert theory.paper_trace_distance_bound(4, 16) == 0.25

    def test_too_large_raises(self):
        with pytest.raises(ConfigurationError, match="haar_trace_distance_bound"):
            theory.haar_trace_distance(4, 2**14)
        with pytest.raises(ConfigurationError, match="min\\(d_v, d_h\\) <= 32; got d_v=64"):
            theory.haar_trace_distance(64, 64)
        assert theory.haar_trace_distance(2, 2**20) > 0  # closed form: any d_h


class TestLipschitzBound:
    def test_values(self):
        assert theory.lipschitz_bound(0.0, 1.0, 1.0, 2, 8) == 0.5
        value = theory.lipschitz_bound(0.1, 2.0, 0.5, 4, 16)
        assert value == pytest.approx(2.0 * 0.5 * math.exp(0.1) * 0.5, rel=1e-14)
        assert theory.lipschitz_bound(-0.1, 2.0, 0.5, 4, 16) == value

    def test_delta_zero_is_twice_paper_trace_bound(self):
        for d_v, d_h in [(2, 2), (2, 64), (8, 4)]:
            expected = 2 * theory.paper_trace_distance_bound(d_v, d_h)
            assert theory.lipschitz_bound(0.0, 1.0, 1.0, d_v, d_h) == pytest.approx(expected)

    def test_monotone_in_delta_and_hidden_dimension(self):
        values = [theory.lipschitz_bound(dl, 1.0, 1.0, 2, 8) for dl in (0.0, 0.1, 1.0)]
        assert values == sorted(values)
        hidden = [theory.lipschitz_bound(0.1, 1.0, 1.0, 2, 2**k) for k in range(6)]
        assert hidden == sorted(hidden, reverse=True)


class TestErrors:
    @pytest.mark.parametrize(
        "func",
        [
            theory.haar_purity,
            theory.page_entropy,
            theory.haar_trace_distance,
            theory.haar_trace_distance_bound,
            theory.paper_trace_distance_bound,
        ],
        ids=lambda f: f.__name__,
    )
    def test_dimensions(self, func):
        with pytest.raises(PlateauError, match="d_v must be an integer >= 1; got 0"):
            func(0, 2)
        with pytest.raises(PlateauError, match="d_h must be an integer >= 1; got -2"):
            func(2, -2)
        with pytest.raises(PlateauTypeError, match=r"d_v must be an integer; got 2\.0"):
            func(2.0, 2)
        with pytest.raises(PlateauTypeError, match="d_h must be an integer; got True"):
            func(2, True)

    def test_gradient_variance(self):
        with pytest.raises(PlateauError, match="d must be an integer >= 2; got 1"):
            theory.haar_gradient_variance(1)
        with pytest.raises(PlateauError, match="generator_scale must be finite; got nan"):
            theory.haar_gradient_variance(4, generator_scale=float("nan"))
        with pytest.raises(PlateauError, match="obs_trace_sq must be >= 0; got -1"):
            theory.haar_gradient_variance(4, obs_trace_sq=-1)

    def test_observable_variance(self):
        with pytest.raises(PlateauError, match="d is required when obs_or_trace_sq is a number"):
            theory.haar_observable_variance(2.0)
        with pytest.raises(ShapeError, match=r"must be square \(d, d\); got shape \(2, 3\)"):
            theory.haar_observable_variance(np.ones((2, 3)))
        with pytest.raises(ShapeError, match="has dimension 2, but d=4"):
            theory.haar_observable_variance(np.eye(2), d=4)
        with pytest.raises(PlateauError, match="trace must be left at its default"):
            theory.haar_observable_variance(np.eye(2), trace=1.0)
        with pytest.raises(PlateauTypeError, match="must be a number or a square matrix"):
            theory.haar_observable_variance("Z", d=2)
        with pytest.raises(PlateauError, match="d must be an integer >= 1; got 0"):
            theory.haar_pauli_variance(0)

    def test_lipschitz(self):
        with pytest.raises(PlateauError, match="delta must be finite; got inf"):
            theory.lipschitz_bound(float("inf"), 1.0, 1.0, 2, 2)
        with pytest.raises(PlateauError, match=r"obs_norm must be >= 0; got -1\.0"):
            theory.lipschitz_bound(0.1, -1.0, 1.0, 2, 2)
        with pytest.raises(PlateauError, match="generator_norm must be >= 0"):
            theory.lipschitz_bound(0.1, 1.0, -0.5, 2, 2)
        with pytest.raises(PlateauTypeError, match=r"delta must be a real number; got '0\.1'"):
            theory.lipschitz_bound("0.1", 1.0, 1.0, 2, 2)
        with pytest.raises(PlateauError, match="d_h must be an integer >= 1; got 0"):
            theory.lipschitz_bound(0.1, 1.0, 1.0, 2, 0)
