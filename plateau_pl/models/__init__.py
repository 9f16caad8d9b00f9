"""Quantum models on a visible/hidden layout: circuit QNNs and quantum Boltzmann machines.

>>> from plateau_pl.models import QNN
>>> QNN.__name__
'QNN'
"""

from plateau_pl.circuits.weights import WEIGHT_DISTS, draw_weights
from plateau_pl.models.gibbs import gibbs_state
from plateau_pl.models.noisy import NoiseModel, NoisyQNN
from plateau_pl.models.qbm import QBM, trace_hidden
from plateau_pl.models.qnn import DIFF_METHODS, INTERFACES, QNN

__all__ = [
    "DIFF_METHODS",
    "INTERFACES",
    "QBM",
    "QNN",
    "WEIGHT_DISTS",
    "NoiseModel",
    "NoisyQNN",
    "draw_weights",
    "gibbs_state",
    "trace_hidden",
]
