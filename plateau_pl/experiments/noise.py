"""The ``noise`` experiment: gradient and visible-state statistics of a noisy QNN.

One record per point (``n_visible``, ``n_hidden``, ``n_layers``, ``channel``, ``p``, …): the
gradient variance of ``⟨Z_0⟩`` over random angles and the trace distance / purity / entropy of
``ρ_v``, for a :class:`~plateau_pl.models.noisy.NoisyQNN` on ``default.mixed`` with the channel
on every wire after each layer. A sweep over ``n_layers`` at fixed size shows noise-induced
plateaus: with unital noise (``depolarizing``) the variance decays exponentially in the depth
— Wang et al.'s bound falls as ``q^{L+1}`` with ``q = noise_q`` — while the noiseless circuit
(``p = 0``) saturates at its entanglement-induced value; ``amplitude_damping`` drives ``ρ_v``
towards ``|0⟩⟨0|`` instead of ``I/D_v`` (``trace_distance`` stays away from 0).

**Example**

>>> from plateau_pl.experiments.noise import noise
>>> rec = noise(n_hidden=1, n_layers=2, p=0.1, n_samples=8, seed=0)
>>> rec["noise_channel"], rec["noise_p"], rec["device"], rec["engine"]
('depolarizing', 0.1, 'default.mixed', 'device')
>>> rec["grad_variance"] > 0 and 0 <= rec["trace_distance"] <= 0.5
True
"""

from __future__ import annotations

from plateau_pl.circuits import WireLayout
from plateau_pl.diagnostics.sampling import gradient_variance, visible_state_stats
from plateau_pl.engines import select_engine
from plateau_pl.experiments.point import qnn_fields, split_seed
from plateau_pl.models.noisy import NoiseModel, NoisyQNN

__all__ = ["noise"]


def noise(
    n_hidden: int,
    seed: int,
    n_visible: int = 1,
    n_layers: int = 2,
    channel: str = "depolarizing",
    p: float = 0.01,
    n_samples: int = 200,
    ansatz: str = "hardware_efficient",
    device: str = "default.mixed",
    dist: str = "uniform",
    shots: int | None = None,
    device_options: dict | None = None,
    engine: str = "auto",
) -> dict:
    """Gradient variance and visible-state statistics of a noisy QNN.

    Args:
        n_hidden: hidden qubits.
        seed: the point's seed (structure and ensemble seeds derive from it).
        n_visible: visible qubits (the observable is ``Z`` on visible wire 0).
        n_layers: depth; the channel follows every layer.
        channel: ``"depolarizing"``, ``"amplitude_damping"``, ``"bit_flip"`` or
            ``"phase_flip"`` (see :class:`~plateau_pl.models.noisy.NoiseModel`).
        p: the channel's parameter in ``[0, 1]``.
        n_samples: random draws of the angles.
        ansatz: a built-in ansatz name.
        device: a device that applies channels (``default.mixed``, ``cirq.mixedsimulator``,
            ``braket.local.qubit``; others are refused before a circuit runs).
        dist: weight distribution.
        shots: ``None`` (exact) or shots per circuit.
        device_options: constructor options of the device (see :class:`~plateau_pl.QNN`).
        engine: ``"auto"`` (the device), or ``"pauli"`` for Pauli-path walks at any size
            (Pauli channels only).

    Returns:
        dict: the model's settings (``noise_channel``, ``noise_p``, ``noise_unital``,
        ``noise_q`` included), ``noise_q_power`` = ``q^{n_layers}``, the gradient statistics
        and the visible-state statistics with the Haar references of the noiseless model.
    """
    sub_seed, ens_seed = split_seed(seed)
    model = NoiseModel(channel, p)
    qnn = NoisyQNN(
        WireLayout(n_visible, n_hidden),
        ansatz,
        n_layers,
        noise=model,
        device=device,
        shots=shots,
        device_options=device_options,
        seed=sub_seed,
    )
    engine = select_engine(qnn, engine)
    grads = gradient_variance(qnn, n_samples, ens_seed, dist=dist, engine=engine)
    states = visible_state_stats(qnn, n_samples, ens_seed, dist=dist, engine=engine)
    return {
        **qnn_fields(qnn, ens_seed, dist, False, engine),
        "noise_q_power": model.contraction**qnn.ansatz.n_layers,
        **grads.to_dict(),
        **states.to_dict(),
    }
