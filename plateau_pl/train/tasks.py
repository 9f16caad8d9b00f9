r"""Small training tasks that show the plateau honestly.

Both tasks are realisable at every ``n_hidden`` (a circuit that leaves the hidden qubits alone
solves them as well as with ``n_hidden = 0``), so a failure to train with hidden qubits is the
landscape's fault, not the model's capacity.

* :class:`StateTask`: learn a seeded Haar-random pure state :math:`|\phi\rangle` on the visible
  qubits. Loss: the infidelity :math:`1 - \langle\phi|\rho_v|\phi\rangle`, a linear visible
  observable (the QNN measures the projector :math:`|\phi\rangle\langle\phi|`). Its generative
  counterpart, used for pretraining, is the relative entropy
  :math:`S(\sigma\|\rho_v) = -\langle\phi|\ln\rho_v|\phi\rangle` with :math:`\sigma =
  |\phi\rangle\langle\phi|`.
* :class:`ClassificationTask`: binary labels of points :math:`x \in [0, \pi)^{n_v}` encoded by
  ``AngleEmbedding(x, rotation="Y")`` on the visible wires; the label is the sign of the teacher
  :math:`\prod_i \cos x_i = \langle Z^{\otimes n_v}\rangle` of the embedded state, points with
  :math:`|\text{teacher}| < \text{margin}` are dropped. Loss: the mean squared error of
  :math:`\langle Z_0\rangle` (the model's output, after training its circuit) against the
  labels; ``threshold`` is reachable (the teacher itself scores at most ``(1 − margin)²``).

**Example**

>>> task = StateTask(n_visible=1, seed=0)
>>> task.target_state().shape, task.threshold
((2,), 0.1)
>>> x, y = ClassificationTask(n_visible=2, n_points=16, seed=0).data()
>>> x.shape, sorted(set(y.tolist()))
((16, 2), [-1.0, 1.0])
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass

import numpy as np
import pennylane as qml
import torch

from plateau_pl._validation import check_choice, check_int, check_memory, check_seed
from plateau_pl.errors import ConfigurationError
from plateau_pl.quantum.random import haar_state
from plateau_pl.train.loop import check_number

__all__ = ["TASKS", "ClassificationTask", "StateTask", "make_task"]


def _check_fraction(value, name: str, upper: float = 1.0) -> float:
    expected = f"a number in (0, {upper})"
    x = check_number(value, name, expected, minimum=0, maximum=upper)
    if x in (0, upper):  # the interval is open
        raise ConfigurationError(f"{name} must be {expected}; got {value!r}")
    return x


@dataclass(frozen=True)
class StateTask:
    """Learn a Haar-random pure state on the visible qubits (loss: infidelity).

    Args:
        n_visible: number of visible qubits.
        seed: seed of the target state.
        threshold: the infidelity counted as "trained" (steps-to-threshold).
    """

    n_visible: int = 1
    seed: int = 0
    threshold: float = 0.1
    name = "state"

    def __post_init__(self):
        n = check_int(self.n_visible, "n_visible", minimum=1)
        check_memory(
            16.0 * 2.0 ** min(2 * n, 1000),  # 2^1000 bytes: past any memory
            f"the target state's density matrix on {n} visible qubits",
            "use fewer visible qubits",
        )
        check_seed(self.seed)
        _check_fraction(self.threshold, "threshold")

    def target_state(self) -> np.ndarray:
        """The target :math:`|\\phi\\rangle` ``(D_v,)``."""
        return haar_state(2**self.n_visible, np.random.default_rng(self.seed))

    def target_density(self) -> np.ndarray:
        """:math:`|\\phi\\rangle\\langle\\phi|` ``(D_v, D_v)``."""
        phi = self.target_state()
        return np.outer(phi, phi.conj())

    def observable(self, layout):
        """The projector onto the target, on the layout's visible wires."""
        return qml.Hermitian(self.target_density(), wires=list(layout.visible))

    embedding = None

    def data(self):
        """No data: ``None``."""
        return None

    def loss(self, values: torch.Tensor) -> torch.Tensor:
        """Infidelity per model from ``⟨|φ⟩⟨φ|⟩`` values ``(B,)`` (or ``(B, 1)``)."""
        return 1.0 - values.reshape(values.shape[0], -1).mean(dim=1)

    def to_dict(self) -> dict:
        return {"task": self.name, **asdict(self)}


def _y_embedding(inputs, wires):
    qml.AngleEmbedding(inputs, wires=wires, rotation="Y")


@dataclass(frozen=True)
class ClassificationTask:
    """Binary classification of angle-embedded points (loss: mean squared error).

    Args:
        n_visible: visible qubits = features.
        n_points: training points kept (after the margin cut).
        margin: points with ``|∏ cos x_i| < margin`` are dropped.
        seed: seed of the points.
        threshold: the loss counted as "trained".
    """

    n_visible: int = 2
    n_points: int = 16
    margin: float = 0.3
    seed: int = 0
    threshold: float = 0.5
    name = "classification"

    def __post_init__(self):
        n = check_int(self.n_visible, "n_visible", minimum=1)
        m = check_int(self.n_points, "n_points", minimum=2)
        check_memory(
            40.0 * min(m * n, 10**300),
            f"{m} points of {n} features (4 drawn per kept point)",
            "use fewer n_points",
        )
        check_seed(self.seed)
        _check_fraction(self.margin, "margin")
        _check_fraction(self.threshold, "threshold", upper=4.0)

    def observable(self, layout):
        """``Z`` on the first visible wire."""
        return qml.Z(layout.visible[0])

    @property
    def embedding(self):
        """``AngleEmbedding(x, rotation="Y")`` on the visible wires."""
        return _y_embedding

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        """``(x (n_points, n_visible), y (n_points,) in {−1, +1})``, both classes present."""
        x, y = self._data
        return x.copy(), y.copy()

    @functools.cached_property
    def _data(self) -> tuple[np.ndarray, np.ndarray]:
        """Drawn once per (frozen) task: the loss reads the labels at every training step."""
        rng = np.random.default_rng(self.seed)
        xs = []
        while sum(len(x) for x in xs) < self.n_points:
            x = rng.uniform(0.0, np.pi, size=(4 * self.n_points, self.n_visible))
            xs.append(x[np.abs(np.prod(np.cos(x), axis=1)) >= self.margin])
        x = np.concatenate(xs)[: self.n_points]
        y = np.sign(np.prod(np.cos(x), axis=1))
        return x, y

    def loss(self, values: torch.Tensor) -> torch.Tensor:
        """Mean squared error per model from outputs ``(B, n_points)``."""
        y = torch.as_tensor(self._data[1], dtype=values.dtype)
        return ((values.reshape(values.shape[0], -1) - y) ** 2).mean(dim=1)

    def to_dict(self) -> dict:
        return {"task": self.name, **asdict(self)}


TASKS = {"state": StateTask, "classification": ClassificationTask}
"""Task names and classes."""


def make_task(name: str, n_visible: int, seed: int = 0, **options):
    """A task by name (``"state"`` or ``"classification"``)."""
    check_choice(name, "task", TASKS)
    return TASKS[name](n_visible=n_visible, seed=seed, **options)
