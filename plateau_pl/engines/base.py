"""The engine protocol: a model plus a batch of draws in, values, gradients and states out.

Every ensemble in plateau_pl — gradient variances, visible-state statistics, Lipschitz ratios,
Lie-algebraic sampling, trained seeds, benchmarks — is one circuit (or Gibbs state) evaluated at
many random draws. An :class:`Engine` does exactly that for one model:

* :meth:`~Engine.values` — ``(B,)`` expectation values of the model's observable;
* :meth:`~Engine.values_and_gradients` — those and the gradients ``(B, *weight_shape)``;
* :meth:`~Engine.visible_states` — ``(B, D_v, D_v)`` reduced states of the visible wires;
* :meth:`~Engine.gradients` — the gradients alone;

for weights ``(B, *weight_shape)``, optional per-draw ``structures`` (one redrawn ansatz per
draw; for QBMs, one scale per instance) and optional data ``inputs`` ``(B, n_features)`` for
a QNN with an embedding. Chunking and the memory budget are the engine's own business.
:meth:`~Engine.describe` is what records store about where the numbers came from.

Engines are chosen by :func:`plateau_pl.engines.select_engine` and nowhere else.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from plateau_pl._validation import check_real_array
from plateau_pl.errors import ConfigurationError, PlateauError, PlateauTypeError

__all__ = ["Engine", "check_structures", "check_torch_device"]


def check_torch_device(device) -> str:
    """The name of a torch device (``"cpu"``, ``"cuda:1"``, a ``torch.device``), checked.

    >>> check_torch_device("cpu")
    'cpu'
    """
    if not (isinstance(device, str) or type(device).__module__.startswith("torch")):
        raise PlateauTypeError(
            f"device must be a torch device name ('cpu', 'cuda') or a torch.device; got "
            f"{device!r:.80} ({type(device).__name__})"
        )
    import torch

    try:
        torch.device(device)
    except (RuntimeError, TypeError, ValueError) as exc:
        raise PlateauError(
            f"device must be a torch device ('cpu', 'cuda:0'); got {device!r}: {exc}"
        ) from None
    return str(device)


def check_structures(structures, model) -> list:
    """Per-draw structures: a sequence of ansätze on ``model``'s layout (McClean's redraws)."""
    from plateau_pl.circuits import Ansatz

    if isinstance(structures, (str, bytes)) or not isinstance(structures, Sequence):
        raise PlateauTypeError(
            f"structures must be a list of ansätze (one redrawn structure per draw); got "
            f"{structures!r:.80} ({type(structures).__name__})"
        )
    for i, s in enumerate(structures):
        if not isinstance(s, Ansatz):
            raise PlateauTypeError(
                f"structures[{i}] must be an Ansatz (e.g. qnn.ansatz.redraw(seed)); got "
                f"{s!r:.80} ({type(s).__name__})"
            )
        if s.layout != model.layout or s.weight_shape != model.weight_shape:
            raise ConfigurationError(
                f"structures[{i}] must be an ansatz of the model's layout and weight shape "
                f"({model.layout}, {model.weight_shape}); got {s.layout}, {s.weight_shape}"
            )
    return list(structures)


class Engine:
    """Base class of the engines (see the module docstring for the protocol)."""

    name: str = "engine"
    """The engine's name in records (``engine`` field)."""
    takes_structures: bool = True
    """Whether per-draw ``structures`` are accepted."""
    takes_inputs: bool = False
    """Whether data ``inputs`` are accepted."""

    def __init__(self, model, device: str = "cpu"):
        self.model = model
        self.device = device

    # -- the protocol --------------------------------------------------------------------------
    def values(self, weights, structures=None, inputs=None) -> np.ndarray:
        """Expectation values ``(B,)`` of the model's observable."""
        raise NotImplementedError

    def values_and_gradients(self, weights, structures=None, inputs=None):
        """``(values (B,), gradients (B, *weight_shape))``."""
        raise NotImplementedError

    def visible_states(self, weights, structures=None, inputs=None) -> np.ndarray:
        """Reduced states of the visible wires ``(B, D_v, D_v)``."""
        raise NotImplementedError

    def gradients(self, weights, structures=None, inputs=None) -> np.ndarray:
        """The gradients alone (engines where values cost extra skip them)."""
        return self.values_and_gradients(weights, structures, inputs)[1]

    def describe(self) -> dict:
        """The record fields naming this engine and where it ran."""
        return {"engine": self.name, "engine_device": str(self.device)}

    # -- shared checks -------------------------------------------------------------------------
    def _check(self, weights, structures, inputs) -> np.ndarray:
        """``weights`` as float64 ``(B, *weight_shape)`` after checking them (real, finite) and
        ``structures`` and ``inputs`` against them."""
        weights = np.asarray(check_real_array(weights, "weights", allow_empty=True), np.float64)
        shape = tuple(self.model.weight_shape)
        if weights.ndim != len(shape) + 1 or weights.shape[1:] != shape:
            raise ConfigurationError(
                f"weights must have shape (batch, *{shape}) for the {self.name} engine; "
                f"got {weights.shape}"
            )
        if structures is not None:
            if not self.takes_structures:
                raise ConfigurationError(f"the {self.name} engine takes no per-draw structures")
            check_structures(structures, self.model)
            if len(structures) != len(weights):
                raise ConfigurationError(
                    f"structures must have one entry per draw ({len(weights)}); "
                    f"got {len(structures)}"
                )
        embedding = getattr(self.model, "embedding", None)
        if inputs is not None and not self.takes_inputs:
            raise ConfigurationError(f"the {self.name} engine takes no data inputs")
        if embedding is not None and inputs is None:
            raise ConfigurationError("inputs are required: this QNN has an embedding")
        if embedding is None and inputs is not None:
            raise ConfigurationError("inputs were given but this QNN has no embedding")
        if inputs is not None:
            check_real_array(inputs, "inputs", allow_empty=True)
        if inputs is not None and len(inputs) != len(weights):
            raise ConfigurationError(
                f"inputs must have one row per weight draw ({len(weights)}); got {len(inputs)}"
            )
        return weights

    def __repr__(self) -> str:
        return f"{type(self).__name__}(engine={self.name!r}, device={self.device!r})"
