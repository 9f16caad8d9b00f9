"""Shared fixtures: numerical tolerances and fixed seeds.

The project's tests are never imported as the bare package name ``tests`` (the pennylane wheel
installs one into site-packages); pytest runs with ``--import-mode=importlib``.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import pytest


@pytest.fixture
def tol():
    """Absolute tolerance for exact (analytic) comparisons in float64."""
    return 1e-10


@pytest.fixture
def seed():
    """A fixed seed for stochastic tests."""
    return 1234


@pytest.fixture
def rng(seed):
    """A numpy Generator seeded with :func:`seed`."""
    return np.random.default_rng(seed)


def pytest_terminal_summary(terminalreporter):
    """Say which devices the device matrix ran (tests/devices/test_device_matrix.py)."""
    import sys

    matrix = sys.modules.get("test_device_matrix") or next(
        (m for n, m in sys.modules.items() if n.endswith("test_device_matrix")), None
    )
    if matrix is None or not (matrix.RAN or matrix.ABSENT):
        return
    ran = sorted(matrix.RAN)
    absent = sorted(matrix.ABSENT)
    terminalreporter.write_line(
        f"device matrix: ran {', '.join(ran) or 'none'}; "
        f"package absent: {', '.join(absent) or 'none'}"
    )
