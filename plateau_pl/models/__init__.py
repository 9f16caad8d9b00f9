"""Quantum models on a visible/hidden layout: circuit QNNs (and, later, QBMs).

>>> from plateau_pl.models import QNN
>>> QNN.__name__
'QNN'
"""

from plateau_pl.models.qnn import DIFF_METHODS, INTERFACES, QNN, WEIGHT_DISTS, draw_weights

__all__ = ["DIFF_METHODS", "INTERFACES", "QNN", "WEIGHT_DISTS", "draw_weights"]
