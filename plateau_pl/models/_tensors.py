"""Torch tensors of the models: float64 throughout, whatever torch's default dtype.

Shared by the QNN and its torch layer (one home, no private names crossing modules).

>>> import numpy as np
>>> as_float64_tensor(np.ones(2)).dtype
torch.float64
"""

from __future__ import annotations

import contextlib

import numpy as np
import pennylane as qml

__all__ = ["as_float64_tensor", "float64_torch"]


def as_float64_tensor(x):
    """``x`` (numpy, PennyLane/autograd or torch) as a float64 torch tensor; a float64 tensor
    is returned as is, keeping its graph."""
    import torch

    if isinstance(x, torch.Tensor):
        return x if x.dtype == torch.float64 else x.to(torch.float64)
    return torch.as_tensor(np.asarray(qml.math.unwrap(x), dtype=np.float64))


@contextlib.contextmanager
def float64_torch(interface: str):
    """Make torch's default dtype float64 while a torch QNode runs.

    lightning.qubit returns float32 results when torch's default dtype is float32, even for
    float64 parameters (DESIGN §5); plateau_pl keeps every result in float64.
    """
    if interface != "torch":
        yield
        return
    import torch

    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        yield
    finally:
        torch.set_default_dtype(old)
