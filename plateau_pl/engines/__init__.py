"""Engines: the one place that turns a model and a batch of draws into numbers.

>>> import plateau_pl as pp
>>> from plateau_pl.engines import select_engine
>>> qnn = pp.QNN(pp.WireLayout(1, 2), device="default.qubit", seed=0)
>>> select_engine(qnn).describe()
{'engine': 'statevector', 'engine_device': 'cpu', 'engine_backend': 'numba'}
"""

from plateau_pl.engines.autograd import AutogradEngine
from plateau_pl.engines.base import Engine
from plateau_pl.engines.device import DeviceEngine
from plateau_pl.engines.pauli import PauliPathEngine
from plateau_pl.engines.program import Program, UnsupportedCircuit, build_program
from plateau_pl.engines.qbm import QBMEngine
from plateau_pl.engines.select import ENGINES, select_engine
from plateau_pl.engines.statevector import StatevectorEngine, statevector_supports

__all__ = [
    "ENGINES",
    "AutogradEngine",
    "DeviceEngine",
    "Engine",
    "PauliPathEngine",
    "Program",
    "QBMEngine",
    "StatevectorEngine",
    "UnsupportedCircuit",
    "build_program",
    "select_engine",
    "statevector_supports",
]
