"""Purity, entropies and trace distances: exact values, PennyLane references, torch autograd."""

from __future__ import annotations

import math

import numpy as np
import pennylane as qml
import pytest
import torch

from plateau_pl.errors import ConfigurationError, InvalidMatrixError, PlateauTypeError, ShapeError
from plateau_pl.quantum import (
    entanglement_entropy,
    maximally_mixed,
    purity,
    reduced_density_matrix,
    renyi2_entropy,
    trace_distance,
    trace_distance_to_maximally_mixed,
    von_neumann_entropy,
)
from plateau_pl.quantum.random import haar_state
from plateau_pl.quantum.random import random_density_matrix as _random_density_matrix

BELL = np.array([1, 0, 0, 1]) / np.sqrt(2)
LN2 = math.log(2)


def random_density_matrix(rng, d, batch=None, rank=None):
    return _random_density_matrix(d, rng, batch=batch, rank=rank)


def random_state(rng, d, batch=None):
    return haar_state(d, rng, batch=batch)


class TestExactValues:
    def test_bell_state(self, tol):
        rho_v = reduced_density_matrix(BELL, [0])
        assert abs(purity(rho_v) - 0.5) < tol
        assert abs(von_neumann_entropy(rho_v) - LN2) < tol
        assert abs(renyi2_entropy(rho_v) - LN2) < tol
        assert abs(trace_distance_to_maximally_mixed(rho_v)) < tol
        assert abs(entanglement_entropy(BELL, keep=[0]) - LN2) < tol
        assert abs(entanglement_entropy(BELL, keep=[1], base=2) - 1.0) < tol
        assert abs(purity(np.outer(BELL, BELL)) - 1.0) < tol

    def test_product_state(self, tol):
        psi = np.kron([0.6, 0.8], [1.0, 0.0])
        for kind in ("von_neumann", "renyi2"):
            assert abs(entanglement_entropy(psi, keep=[0], kind=kind)) < tol
            assert abs(entanglement_entropy(psi, keep=[1], kind=kind)) < tol

    def test_pure_qubit_trace_distance(self, tol):
        assert abs(trace_distance_to_maximally_mixed(np.diag([1.0, 0.0])) - 0.5) < tol
        assert abs(trace_distance_to_maximally_mixed(np.diag([1.0, 0, 0, 0])) - 0.75) < tol

    def test_maximally_mixed(self, tol):
        rho = maximally_mixed(8)
        assert abs(purity(rho) - 1 / 8) < tol
        assert abs(von_neumann_entropy(rho, base=2) - 3.0) < tol
        assert abs(renyi2_entropy(rho, base=2) - 3.0) < tol
        assert abs(trace_distance_to_maximally_mixed(rho)) < tol

    def test_orthogonal_states(self, tol):
        assert abs(trace_distance(np.diag([1.0, 0.0]), np.diag([0.0, 1.0])) - 1.0) < tol
        plus = np.full((2, 2), 0.5)
        # |0> vs |+>: sqrt(1 - |<0|+>|^2) = 1/sqrt(2)
        assert abs(trace_distance(np.diag([1.0, 0.0]), plus) - 1 / np.sqrt(2)) < tol

    def test_rank_deficient_entropy_is_finite(self, rng, tol):
        rho = random_density_matrix(rng, 8, rank=2)
        lam = np.linalg.eigvalsh(rho)
        lam = lam[lam > 1e-14]
        assert abs(von_neumann_entropy(rho) + np.sum(lam * np.log(lam))) < 1e-9


class TestPennyLaneReference:
    def test_purity(self, rng, tol):
        rho = random_density_matrix(rng, 8)
        assert abs(purity(rho) - qml.math.purity(rho, indices=[0, 1, 2])) < tol

    def test_von_neumann_entropy(self, rng, tol):
        rho = random_density_matrix(rng, 8)
        expected = qml.math.vn_entropy(rho, indices=[0, 1, 2])
        assert abs(von_neumann_entropy(rho) - expected) < tol
        expected2 = qml.math.vn_entropy(rho, indices=[0, 1, 2], base=2)
        assert abs(von_neumann_entropy(rho, base=2) - expected2) < tol

    def test_trace_distance(self, rng, tol):
        rho, sigma = random_density_matrix(rng, 4), random_density_matrix(rng, 4)
        assert abs(trace_distance(rho, sigma) - qml.math.trace_distance(rho, sigma)) < tol
        expected = qml.math.trace_distance(rho, np.eye(4) / 4)
        assert abs(trace_distance_to_maximally_mixed(rho) - expected) < tol

    @pytest.mark.parametrize("keep", [[0], [2], [0, 1], [1, 3], [0, 2, 3]])
    def test_entanglement_entropy_of_state(self, rng, keep, tol):
        psi = random_state(rng, 16)
        rho_v = qml.math.reduce_statevector(psi, indices=keep)
        expected = qml.math.vn_entropy(rho_v, indices=list(range(len(keep))))
        assert abs(entanglement_entropy(psi, keep=keep) - expected) < tol
        expected2 = -np.log(qml.math.purity(rho_v, indices=list(range(len(keep)))))
        assert abs(entanglement_entropy(psi, keep=keep, kind="renyi2") - expected2) < tol

    @pytest.mark.parametrize("keep", [[0], [1, 2]])
    def test_entanglement_entropy_of_density_matrix(self, rng, keep, tol):
        rho = random_density_matrix(rng, 8)
        expected = qml.math.vn_entropy(rho, indices=keep)
        assert abs(entanglement_entropy(rho, keep=keep) - expected) < tol
        reduced = qml.math.reduce_dm(rho, indices=keep)
        assert abs(entanglement_entropy(reduced) - expected) < tol


class TestBatchingAndBackends:
    FUNCS = (
        purity,
        renyi2_entropy,
        von_neumann_entropy,
        trace_distance_to_maximally_mixed,
    )

    @pytest.mark.parametrize("func", FUNCS)
    def test_batched_matches_unbatched(self, rng, func, tol):
        rho = random_density_matrix(rng, 4, batch=5)
        out = func(rho)
        assert isinstance(out, np.ndarray) and out.shape == (5,) and out.dtype == np.float64
        single = [func(r) for r in rho]
        assert all(isinstance(s, float) for s in single)
        assert np.allclose(out, single, atol=tol, rtol=0)

    @pytest.mark.parametrize("func", FUNCS)
    def test_torch_matches_numpy(self, rng, func):
        rho = random_density_matrix(rng, 4, batch=3)
        out = func(torch.tensor(rho))
        assert isinstance(out, torch.Tensor) and out.shape == (3,)
        assert out.dtype == torch.float64
        assert np.allclose(out.numpy(), func(rho), atol=1e-12, rtol=0)
        scalar = func(torch.tensor(rho[0]))
        assert scalar.shape == () and abs(scalar.item() - func(rho[0])) < 1e-12

    def test_trace_distance_broadcast(self, rng, tol):
        rho = random_density_matrix(rng, 4, batch=3)
        sigma = random_density_matrix(rng, 4)
        out = trace_distance(rho, sigma)
        assert out.shape == (3,)
        assert np.allclose(out, [trace_distance(r, sigma) for r in rho], atol=tol)
        assert np.allclose(trace_distance(sigma, rho), out, atol=tol)
        sigmas = random_density_matrix(rng, 4, batch=3)
        pairwise = trace_distance(rho, sigmas)
        expected = [trace_distance(a, b) for a, b in zip(rho, sigmas, strict=True)]
        assert np.allclose(pairwise, expected)

    def test_trace_distance_mixed_backends(self, rng):
        rho, sigma = random_density_matrix(rng, 4), random_density_matrix(rng, 4)
        expected = trace_distance(rho, sigma)
        for a, b in ((torch.tensor(rho), sigma), (rho, torch.tensor(sigma))):
            out = trace_distance(a, b)
            assert isinstance(out, torch.Tensor) and abs(out.item() - expected) < 1e-12

    def test_entanglement_entropy_batched_vectors(self, rng, tol):
        psi = random_state(rng, 8, batch=6)
        out = entanglement_entropy(psi, keep=[0])
        assert out.shape == (6,)
        single = [entanglement_entropy(p, keep=[0]) for p in psi]
        assert np.allclose(out, single, atol=tol)
        torch_out = entanglement_entropy(torch.tensor(psi), keep=[0], kind="renyi2")
        ref = entanglement_entropy(psi, keep=[0], kind="renyi2")
        assert np.allclose(torch_out.numpy(), ref, atol=1e-12)

    def test_square_batch_of_vectors_needs_representation(self, rng, tol):
        psi = random_state(rng, 4, batch=4)  # (4, 4): square, read as a density matrix by "auto"
        out = entanglement_entropy(psi, keep=[1], representation="vector")
        assert np.allclose(out, [entanglement_entropy(p, keep=[1]) for p in psi], atol=tol)
        with pytest.raises(InvalidMatrixError, match="state is not Hermitian"):
            entanglement_entropy(psi, keep=[1])

    def test_large_kept_side_uses_schmidt_gram(self, rng, tol):
        psi = random_state(rng, 32)
        keep = [0, 1, 2, 4]  # D_keep = 16 > D_rest = 2
        direct = von_neumann_entropy(reduced_density_matrix(psi, keep))
        assert abs(entanglement_entropy(psi, keep=keep) - direct) < tol
        assert abs(entanglement_entropy(psi, keep=keep) - entanglement_entropy(psi, [3])) < tol

    def test_float32_input(self, rng):
        rho64 = random_density_matrix(rng, 4)
        out = purity(torch.tensor(rho64, dtype=torch.complex64))  # trace error ~1e-8 accepted
        assert out.dtype == torch.float32
        assert abs(out.item() - purity(rho64)) < 1e-6

    def test_integer_and_list_input(self):
        assert trace_distance([[1, 0], [0, 0]], [[0, 0], [0, 1]]) == 1.0
        assert purity(torch.tensor([[1, 0], [0, 0]])).dtype == torch.float64


def _hermitian_density(x, d):
    """Real parameters ``x`` ``(2 d d,)`` → ``rho = G G^†/Tr`` (complex128, differentiable)."""
    g = torch.complex(x[: d * d].reshape(d, d), x[d * d :].reshape(d, d))
    rho = g @ g.conj().T
    return rho / torch.diagonal(rho).sum().real


class TestAutograd:
    @pytest.mark.parametrize(
        "func",
        [purity, renyi2_entropy, von_neumann_entropy, trace_distance_to_maximally_mixed],
        ids=lambda f: f.__name__,
    )
    def test_gradcheck(self, rng, func):
        d = 4
        x = torch.tensor(rng.normal(size=2 * d * d), dtype=torch.float64, requires_grad=True)
        lam = np.linalg.eigvalsh(_hermitian_density(x.detach(), d).numpy())
        assert np.min(np.diff(lam)) > 1e-3 and np.min(np.abs(lam - 1 / d)) > 1e-3  # generic
        assert torch.autograd.gradcheck(lambda v: func(_hermitian_density(v, d)), (x,))

    def test_gradcheck_batched_trace_distance(self, rng):
        d = 2
        x = torch.tensor(rng.normal(size=(2, 2 * d * d)), dtype=torch.float64, requires_grad=True)

        def f(v):
            rho = torch.stack([_hermitian_density(row, d) for row in v])
            return trace_distance(rho[0], rho[1])

        assert torch.autograd.gradcheck(f, (x,))

    def test_gradcheck_entanglement_entropy_of_state(self, rng):
        x = torch.tensor(rng.normal(size=16), dtype=torch.float64, requires_grad=True)

        def f(v):
            psi = torch.complex(v[:8], v[8:])
            psi = psi / torch.linalg.vector_norm(psi)
            return entanglement_entropy(psi, keep=[0, 2], kind="renyi2")

        assert torch.autograd.gradcheck(f, (x,))

    def test_entropy_gradient_finite_at_pure_state(self):
        x = torch.tensor([0.6, 0.8], dtype=torch.float64, requires_grad=True)
        rho = torch.outer(x, x) / (x @ x)
        von_neumann_entropy(rho).backward()
        assert torch.isfinite(x.grad).all()


class TestErrors:
    def test_non_square(self):
        with pytest.raises(ShapeError, match=r"rho must be square \(\.\.\., D, D\); got shape"):
            purity(np.ones((2, 3)))

    def test_non_hermitian(self):
        with pytest.raises(InvalidMatrixError, match="rho is not Hermitian"):
            von_neumann_entropy(np.array([[0.5, 0.2j], [0.2j, 0.5]]))

    def test_nan(self):
        with pytest.raises(InvalidMatrixError, match="rho must be finite"):
            renyi2_entropy(np.full((2, 2), np.nan))

    def test_wrong_trace(self):
        with pytest.raises(InvalidMatrixError, match=r"rho must have trace 1 .* got trace 0\.5"):
            trace_distance_to_maximally_mixed(np.eye(2) / 4)

    def test_sigma_named(self):
        with pytest.raises(InvalidMatrixError, match="sigma must have trace 1"):
            trace_distance(np.eye(2) / 2, np.eye(2))

    def test_dimension_mismatch(self):
        with pytest.raises(ShapeError, match="same dimension D; got 2 and 4"):
            trace_distance(np.eye(2) / 2, np.eye(4) / 4)

    def test_batch_mismatch(self, rng):
        with pytest.raises(ShapeError, match=r"same batch size .* got 2 and 3"):
            trace_distance(random_density_matrix(rng, 2, 2), random_density_matrix(rng, 2, 3))

    def test_bad_base(self):
        with pytest.raises(ConfigurationError, match="base must be a finite number > 0 and != 1"):
            von_neumann_entropy(np.eye(2) / 2, base=1)
        with pytest.raises(PlateauTypeError, match="base must be a number or None"):
            renyi2_entropy(np.eye(2) / 2, base="2")

    def test_unknown_kind(self):
        with pytest.raises(ConfigurationError, match="unknown kind 'shannon'; available: renyi2"):
            entanglement_entropy(BELL, keep=[0], kind="shannon")

    def test_unknown_representation(self):
        with pytest.raises(ConfigurationError, match="unknown representation 'ket'"):
            entanglement_entropy(BELL, keep=[0], representation="ket")

    def test_vector_needs_keep(self):
        with pytest.raises(ConfigurationError, match="keep is required when state is a state"):
            entanglement_entropy(BELL)

    def test_wire_out_of_range(self):
        with pytest.raises(ValueError, match=r"keep must contain wires in range\(2\); got 5"):
            entanglement_entropy(BELL, keep=[5])

    def test_n_wires_mismatch(self):
        with pytest.raises(ShapeError, match=r"state has dimension 4 = 2\*\*2, but n_wires=3"):
            entanglement_entropy(BELL, keep=[0], n_wires=3)
        with pytest.raises(ShapeError, match=r"but n_wires=1"):
            entanglement_entropy(np.eye(4) / 4, n_wires=1)

    def test_non_normalised_state(self):
        with pytest.raises(InvalidMatrixError, match="state must have norm 1"):
            entanglement_entropy(2 * BELL, keep=[0])

    def test_non_array(self):
        with pytest.raises(PlateauTypeError, match="rho must be a numpy array or torch tensor"):
            purity(None)

    def test_bad_atol(self):
        with pytest.raises(InvalidMatrixError, match="atol must be a finite number >= 0"):
            purity(np.eye(2) / 2, atol=-1.0)
