"""Wire layouts and parametrised circuits (ansätze) built on them.

>>> from plateau_pl.circuits import WireLayout, ANSATZE
>>> sorted(ANSATZE)
['area_law', 'hardware_efficient', 'identity_blocks', 'mcclean', 'random_two_local']
"""

from plateau_pl.circuits.ansatze import (
    ANSATZE,
    Ansatz,
    AreaLaw,
    CustomAnsatz,
    HardwareEfficient,
    McClean,
    RandomTwoLocal,
    make_ansatz,
    pauli_terms,
)
from plateau_pl.circuits.layout import WireLayout

__all__ = [
    "ANSATZE",
    "Ansatz",
    "AreaLaw",
    "CustomAnsatz",
    "HardwareEfficient",
    "McClean",
    "RandomTwoLocal",
    "WireLayout",
    "make_ansatz",
    "pauli_terms",
]
