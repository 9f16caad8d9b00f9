"""Pauli-term Hamiltonians on a visible/hidden layout, for quantum Boltzmann machines.

>>> from plateau_pl.circuits import WireLayout
>>> from plateau_pl import hamiltonians
>>> hamiltonians.random_two_local(WireLayout(1, 1), seed=0).n_params
15
"""

from plateau_pl.hamiltonians.builders import (
    COEFF_DISTS,
    GRAPHS,
    from_terms,
    random_two_local,
    transverse_ising,
)
from plateau_pl.hamiltonians.terms import PauliHamiltonian, PauliTerm

__all__ = [
    "COEFF_DISTS",
    "GRAPHS",
    "PauliHamiltonian",
    "PauliTerm",
    "from_terms",
    "random_two_local",
    "transverse_ising",
]
