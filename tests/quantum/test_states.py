"""Partial traces and reduced states, checked against PennyLane's ``qml.math`` as reference."""

from __future__ import annotations

import numpy as np
import pennylane as qml
import pytest
import torch

from plateau_pl.errors import InvalidMatrixError, PlateauTypeError, ShapeError, WireError
from plateau_pl.quantum import (
    check_density_matrix,
    check_state_vector,
    check_wires,
    is_density_matrix,
    maximally_mixed,
    partial_trace,
    reduced_density_matrix,
)
from plateau_pl.quantum.random import haar_state
from plateau_pl.quantum.random import random_density_matrix as _random_density_matrix


def random_density_matrix(rng, d, batch=None, rank=None):
    return _random_density_matrix(d, rng, batch=batch, rank=rank)


def random_state(rng, d, batch=None):
    return haar_state(d, rng, batch=batch)


KEEPS = [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]]


class TestPartialTrace:
    @pytest.mark.parametrize("keep", KEEPS)
    def test_matches_pennylane(self, rng, keep, tol):
        rho = random_density_matrix(rng, 8)
        expected = qml.math.reduce_dm(rho, indices=keep)
        assert np.allclose(partial_trace(rho, keep), expected, atol=tol, rtol=0)

    def test_unsorted_keep_gives_increasing_wire_order(self, rng, tol):
        rho = random_density_matrix(rng, 16)
        assert np.allclose(
            partial_trace(rho, [3, 0]), qml.math.reduce_dm(rho, indices=[0, 3]), atol=tol
        )

    def test_wire_zero_is_most_significant(self, tol):
        # |0> on wire 0, |1> on wire 1: index 0b01 = 1
        rho = np.zeros((4, 4))
        rho[1, 1] = 1.0
        assert np.allclose(partial_trace(rho, [0]), np.diag([1.0, 0.0]), atol=tol)
        assert np.allclose(partial_trace(rho, 1), np.diag([0.0, 1.0]), atol=tol)

    def test_keep_all_is_identity_map(self, rng, tol):
        rho = random_density_matrix(rng, 4)
        assert np.allclose(partial_trace(rho, [0, 1]), rho, atol=tol)

    def test_batched_matches_unbatched(self, rng, tol):
        rho = random_density_matrix(rng, 8, batch=5)
        batched = partial_trace(rho, [0, 2])
        assert batched.shape == (5, 4, 4)
        for i in range(5):
            assert np.allclose(batched[i], partial_trace(rho[i], [0, 2]), atol=tol)

    def test_torch_matches_numpy(self, rng):
        rho = random_density_matrix(rng, 8, batch=3)
        out = partial_trace(torch.tensor(rho), [1])
        assert isinstance(out, torch.Tensor) and out.dtype == torch.complex128
        assert np.allclose(out.numpy(), partial_trace(rho, [1]), atol=1e-12, rtol=0)

    def test_n_wires_checked(self, rng):
        rho = random_density_matrix(rng, 8)
        assert partial_trace(rho, [0], n_wires=3).shape == (2, 2)
        with pytest.raises(ShapeError, match=r"rho has dimension 8 = 2\*\*3, but n_wires=2"):
            partial_trace(rho, [0], n_wires=2)


class TestReducedDensityMatrix:
    @pytest.mark.parametrize("keep", KEEPS)
    def test_matches_pennylane(self, rng, keep, tol):
        psi = random_state(rng, 8)
        expected = qml.math.reduce_statevector(psi, indices=keep)
        assert np.allclose(reduced_density_matrix(psi, keep), expected, atol=tol, rtol=0)

    @pytest.mark.parametrize("keep", [[0], [1, 3], [0, 2, 3]])
    def test_matches_partial_trace_of_projector(self, rng, keep, tol):
        psi = random_state(rng, 16)
        rho = np.outer(psi, psi.conj())
        assert np.allclose(reduced_density_matrix(psi, keep), partial_trace(rho, keep), atol=tol)

    def test_batched_and_torch(self, rng):
        psi = random_state(rng, 8, batch=4)
        out = reduced_density_matrix(psi, [0, 2])
        assert out.shape == (4, 4, 4)
        for i in range(4):
            assert np.allclose(out[i], reduced_density_matrix(psi[i], [0, 2]), atol=1e-12)
        t = reduced_density_matrix(torch.tensor(psi), [0, 2])
        assert np.allclose(t.numpy(), out, atol=1e-12, rtol=0)

    def test_torch_gradient_flows(self, rng):
        psi = torch.tensor(random_state(rng, 4), requires_grad=True)
        rho = reduced_density_matrix(psi, [0])
        rho[0, 0].real.backward()
        assert psi.grad is not None and torch.isfinite(psi.grad.abs()).all()
        assert psi.grad.abs().sum() > 0

    def test_real_state_gives_real_matrix(self):
        psi = np.array([0.6, 0.0, 0.0, 0.8])
        out = reduced_density_matrix(psi, [0])
        assert np.allclose(out, np.diag([0.36, 0.64]))


class TestHelpers:
    def test_maximally_mixed(self):
        rho = maximally_mixed(4)
        assert rho.dtype == np.complex128 and np.allclose(rho, np.eye(4) / 4)
        assert maximally_mixed(3).shape == (3, 3)

    def test_maximally_mixed_rejects_bad_dimension(self):
        with pytest.raises(ValueError, match="d must be an integer >= 1; got 0"):
            maximally_mixed(0)

    def test_is_density_matrix(self, rng):
        assert is_density_matrix(random_density_matrix(rng, 4))
        assert is_density_matrix(random_density_matrix(rng, 4, batch=3))
        assert is_density_matrix(torch.eye(2) / 2)
        assert not is_density_matrix(np.diag([1.5, -0.5]))  # trace 1, not positive
        assert not is_density_matrix(np.eye(2))  # trace 2
        assert not is_density_matrix(np.array([[0.5, 1.0], [0.0, 0.5]]))  # not Hermitian
        assert not is_density_matrix(np.ones((2, 3)) / 2)
        assert not is_density_matrix("not a matrix")


class TestErrors:
    def test_non_square(self):
        with pytest.raises(ShapeError, match=r"rho must be square \(\.\.\., D, D\); got shape"):
            partial_trace(np.ones((2, 3)), [0])

    def test_wrong_ndim(self):
        with pytest.raises(ShapeError, match=r"got shape \(2, 2, 2, 2\)"):
            check_density_matrix(np.ones((2, 2, 2, 2)))

    def test_not_power_of_two(self):
        with pytest.raises(ShapeError, match=r"rho must have dimension 2\*\*n_wires .* got 3"):
            partial_trace(np.eye(3) / 3, [0])

    def test_non_hermitian(self):
        rho = np.array([[0.5, 0.3], [0.0, 0.5]])
        with pytest.raises(InvalidMatrixError, match=r"rho is not Hermitian: max .* = 0\.3 > atol"):
            partial_trace(rho, [0])

    def test_nan(self):
        rho = np.eye(2) / 2
        rho[0, 1] = np.nan
        with pytest.raises(InvalidMatrixError, match="rho must be finite"):
            partial_trace(rho, [0])

    def test_wrong_trace(self):
        with pytest.raises(InvalidMatrixError, match=r"rho must have trace 1 .* got trace 2"):
            partial_trace(np.eye(2), [0])

    def test_wrong_trace_in_batch_reports_worst(self, rng):
        rho = random_density_matrix(rng, 2, batch=3)
        rho[1] *= 3
        with pytest.raises(InvalidMatrixError, match="got trace 3"):
            partial_trace(rho, [0])

    def test_single_precision_default_tolerance(self):
        rho = torch.eye(2, dtype=torch.float32) / 2
        rho[0, 0] += 1e-7  # below float32 rounding scale, above 1e-8
        assert check_density_matrix(rho) is rho
        with pytest.raises(InvalidMatrixError, match="trace 1 within atol 1e-08"):
            check_density_matrix(rho.double() + torch.diag(torch.tensor([1e-6, 0.0])))

    def test_wire_out_of_range(self, rng):
        with pytest.raises(WireError, match=r"keep must contain wires in range\(2\); got 2"):
            partial_trace(random_density_matrix(rng, 4), [2])

    def test_negative_wire(self):
        with pytest.raises(WireError, match=r"range\(2\); got -1"):
            check_wires([-1], 2)

    def test_duplicate_wires(self):
        with pytest.raises(WireError, match=r"keep must not repeat wires; got \[0, 0\]"):
            check_wires([0, 0], 2)

    def test_empty_keep(self):
        with pytest.raises(WireError, match="keep must name at least one wire"):
            check_wires([], 2)

    def test_non_integer_wire(self):
        with pytest.raises(PlateauTypeError, match="keep must contain integer wire indices"):
            check_wires([0.5], 2)
        with pytest.raises(PlateauTypeError, match="keep must contain integer wire indices"):
            check_wires([True], 2)
        with pytest.raises(PlateauTypeError, match="keep must be a sequence of wire indices"):
            check_wires(None, 2)

    def test_non_array_input(self):
        with pytest.raises(PlateauTypeError, match="rho must be a numpy array or torch tensor"):
            partial_trace("rho", [0])
        with pytest.raises(PlateauTypeError, match="psi must be a numpy array or torch tensor"):
            reduced_density_matrix({"a": 1}, [0])

    def test_errors_are_value_and_type_errors(self):
        with pytest.raises(TypeError):
            partial_trace(object(), [0])
        with pytest.raises(ValueError):
            partial_trace(np.ones((2, 3)), [0])

    def test_state_vector_norm(self):
        with pytest.raises(InvalidMatrixError, match=r"psi must have norm 1 .* got norm 2"):
            reduced_density_matrix(np.array([2.0, 0.0]), [0])

    def test_state_vector_shape(self):
        with pytest.raises(ShapeError, match=r"psi must have shape \(D,\) or \(batch, D\)"):
            check_state_vector(np.ones((1, 2, 2)))
        with pytest.raises(ShapeError, match=r"psi must have dimension 2\*\*n_wires .* got 3"):
            reduced_density_matrix(np.ones(3) / np.sqrt(3), [0])

    def test_state_vector_nan(self):
        with pytest.raises(InvalidMatrixError, match="psi must be finite"):
            check_state_vector(np.array([np.nan, 1.0]))
