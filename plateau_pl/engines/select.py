"""``select_engine``: the one place that decides which engine evaluates a model's draws.

>>> import plateau_pl as pp
>>> from plateau_pl.engines import select_engine
>>> qnn = pp.QNN(pp.WireLayout(1, 1), device="default.qubit", seed=0, shots=100)
>>> select_engine(qnn).name   # shots: only the device can sample them
'device'
"""

from __future__ import annotations

from plateau_pl._validation import check_bool
from plateau_pl.engines.base import Engine, check_torch_device
from plateau_pl.errors import ConfigurationError, PlateauTypeError, ResourceError

__all__ = ["ENGINES", "select_engine"]

ENGINES = ("auto", "statevector", "autograd", "device", "qbm", "pauli")
"""``statevector``: compiled adjoint kernels (numba on the CPU, torch on CUDA); ``autograd``:
a torch statevector differentiable by torch; ``device``: the QNN's own PennyLane device and
differentiation method; ``qbm``: dense Gibbs states; ``pauli``: second moments over uniform
weights by Pauli-path walks, at any number of qubits (moments only, no draws); ``auto``: the
fastest that applies.
``batched`` (the name of plateau_pl ≤ 0.1's engine) is accepted for ``statevector``."""

_ALIASES = {"batched": "statevector"}
_PAULI_ABOVE = 22  # qubits: past this a statevector ensemble costs minutes (n = 20: 335 s)


def select_engine(
    model,
    engine="auto",
    *,
    structures: bool = False,
    inputs: bool = False,
    differentiable: bool = False,
    device: str = "cpu",
    observable=None,
    moments: bool = False,
) -> Engine:
    """The engine that evaluates ``model`` over a batch of draws.

    Args:
        model: a :class:`~plateau_pl.models.QNN` (or ``NoisyQNN``) or :class:`~plateau_pl.QBM`.
        engine: a name in :data:`ENGINES`, or an :class:`Engine` (returned as it is, so a
            caller can build one engine and pass it to several diagnostics).
        structures: whether per-draw structures will be passed (McClean's protocol).
        inputs: whether data inputs will be passed (a QNN with an embedding; every QNN engine
            takes them, so this only checks that the model has one).
        differentiable: whether torch tensors differentiable by torch are needed
            (``torch_expvals``/``torch_visible_states``: hybrid models, ensemble training).
        device: ``"cpu"`` or a torch device (``"cuda"``) for the statevector and QBM engines.
        observable: QBM only: the measured observable (default ``Z`` on visible wire 0); a
            QNN measures its own.
        moments: the caller can use second moments instead of draws (``gradient_variance``,
            ``visible_state_stats``), so ``auto`` may pick the Pauli-path engine.

    ``auto`` picks, for a QNN: ``autograd`` when ``differentiable``; for a caller that takes
    ``moments``, ``pauli`` past 22 qubits (where a statevector costs minutes per ensemble), if
    the circuit meets its premise; else ``statevector``
    wherever it applies (analytic, no noise, gates the kernels run, the state fits in memory),
    then ``autograd`` (a gate the kernels lack; no per-draw structures), then ``device``. A
    QBM always gets ``qbm``.

    Raises:
        ConfigurationError: for an unknown name, or an engine that cannot run the model, with
            the reason and what to use instead.
    """
    if isinstance(engine, Engine):
        return engine
    structures, inputs = check_bool(structures, "structures"), check_bool(inputs, "inputs")
    differentiable = check_bool(differentiable, "differentiable")
    moments = check_bool(moments, "moments")
    device = check_torch_device(device)
    if not isinstance(engine, str):
        raise PlateauTypeError(f"engine must be a name or an Engine; got {type(engine).__name__}")
    name = _ALIASES.get(engine, engine)
    if name not in ENGINES:
        raise ConfigurationError(f"unknown engine {engine!r}; available: {', '.join(ENGINES)}")
    from plateau_pl.models.qbm import QBM
    from plateau_pl.models.qnn import QNN

    if isinstance(model, QBM):
        if inputs:
            raise ConfigurationError("a QBM takes no data inputs; got inputs=True")
        if name not in ("auto", "qbm"):
            raise ConfigurationError(f"a QBM runs on the 'qbm' engine; got engine={engine!r}")
        from plateau_pl.engines.qbm import QBMEngine

        return QBMEngine(model, device, observable)
    if not isinstance(model, QNN):
        raise PlateauTypeError(f"model must be a plateau_pl QNN or QBM; got {type(model).__name__}")
    if name == "qbm":
        raise ConfigurationError("engine='qbm' is for QBMs; this model is a QNN")
    if observable is not None:
        raise ConfigurationError("observable is for QBMs; a QNN measures its own observable")
    if inputs and model.embedding is None:
        raise ConfigurationError("inputs=True needs a QNN with an embedding; this one has none")
    if name == "auto":
        return _auto(model, structures, differentiable, device, moments)
    return _named(model, name, structures, device)


def _named(qnn, name: str, structures: bool, device: str) -> Engine:
    if name == "pauli":
        if qnn.shots is not None:
            raise ConfigurationError(
                "engine='pauli' gives the exact (shots=None) moments; this QNN has "
                f"shots={qnn.shots}"
            )
        from plateau_pl.engines.pauli import PauliPathEngine

        return PauliPathEngine(qnn, random_axes=structures)
    if name == "device":
        from plateau_pl.engines.device import DeviceEngine

        return DeviceEngine(qnn)
    if name == "autograd":
        if structures:
            raise ConfigurationError(
                "the autograd engine takes no per-draw structures; use engine='statevector'"
            )
        from plateau_pl.engines.autograd import AutogradEngine

        return AutogradEngine(qnn)
    from plateau_pl.engines.statevector import StatevectorEngine

    try:
        return StatevectorEngine(qnn, device=device)
    except ConfigurationError as exc:
        raise ConfigurationError(f"{exc}; use engine='device'") from exc


def _pauli(qnn, structures: bool):
    """The Pauli-path engine if the circuit meets its premise, else ``None``."""
    from plateau_pl.engines.pauli import PauliPathEngine

    if qnn.shots is not None:
        return None
    try:
        return PauliPathEngine(qnn, random_axes=structures)
    except ConfigurationError:
        return None


def _auto(qnn, structures: bool, differentiable: bool, device: str, moments: bool) -> Engine:
    from plateau_pl.engines.autograd import autograd_supports
    from plateau_pl.engines.device import DeviceEngine
    from plateau_pl.engines.statevector import StatevectorEngine, statevector_supports

    if differentiable:
        return _named(qnn, "autograd", structures, device)
    if moments and qnn.layout.n_wires > _PAULI_ABOVE and (eng := _pauli(qnn, structures)):
        return eng
    if statevector_supports(qnn) is None:
        try:
            return StatevectorEngine(qnn, device=device)
        except (ConfigurationError, ResourceError):  # a gate the kernels cannot run, or the
            pass  # states do not fit: the next engine (which refuses, when run, if it cannot)
    if not structures and autograd_supports(qnn) is None:
        return _named(qnn, "autograd", structures, device)
    return DeviceEngine(qnn)
