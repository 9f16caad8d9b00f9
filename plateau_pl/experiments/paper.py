"""The paper's experiments as pure functions of named parameters → one record each.

Each function takes the grid point's parameters and ``seed`` (the point's own seed, derived by
the sweep runner from the sweep seed and the parameters) and returns a dict of record fields:
the model's settings, the measured values with standard errors, and the theory values to
compare with. From ``seed`` each function derives the model's structure (or Hamiltonian) seed
and the seed of the ensemble of draws, and records both.

* ``trace-distance`` (Fig. a): mean trace distance of ``ρ_v`` to ``I/D_v`` — QNN or QBM;
* ``qnn-gradient`` (Fig. b): gradient variance of the ``random_two_local`` QNN (or any ansatz);
* ``qbm-gradient`` (Fig. c): gradient variance of a QBM, with and without normalisation;
* ``area-law``: the same statistics for the ``area_law`` ansatz, which must not decay;
* ``mcclean``: McClean et al.'s variance against the number of qubits, structure resampled.

The QNN experiments take ``device``, ``shots`` and ``device_options`` as :class:`~plateau_pl.QNN`
does (a device named by a string; records carry ``device_seed`` and ``device_options``), and
``engine`` (a name in :data:`plateau_pl.engines.ENGINES`): ``engine="pauli"`` gives the second
moments by Pauli-path walks at any number of qubits (``n_samples`` walks; the Lipschitz ratio,
the mean trace distance and the entropy, which need draws, are then ``None``).

**Example**

>>> from plateau_pl.experiments.paper import qnn_gradient
>>> rec = qnn_gradient(n_hidden=1, n_samples=10, seed=0)
>>> rec["model"], rec["n_params"], rec["grad_variance"] > 0
('qnn', 15, True)
"""

from __future__ import annotations

import pennylane as qml

from plateau_pl._validation import check_choice, check_int
from plateau_pl.circuits import WireLayout
from plateau_pl.diagnostics.sampling import (
    gradient_variance,
    lipschitz_ratio,
    visible_state_stats,
)
from plateau_pl.engines import select_engine
from plateau_pl.experiments.point import qbm_fields, qnn_fields, split_seed
from plateau_pl.hamiltonians import random_two_local, transverse_ising
from plateau_pl.models.qbm import QBM
from plateau_pl.models.qnn import QNN

__all__ = ["HAMILTONIANS", "area_law", "mcclean", "qbm_gradient", "qnn_gradient", "trace_distance"]

HAMILTONIANS = {"random_two_local": random_two_local, "transverse_ising": transverse_ising}
"""QBM Hamiltonian builders by name."""


def _qnn(
    n_visible,
    n_hidden,
    *,
    ansatz,
    n_layers,
    device,
    structure_seed,
    observable=None,
    shots=None,
    device_options=None,
    **opts,
):
    layout = WireLayout(n_visible, n_hidden)
    return QNN(
        layout,
        ansatz,
        n_layers,
        observable=observable,
        device=device,
        shots=shots,
        device_options=device_options,
        seed=structure_seed,
        ansatz_options=opts or None,
    )


def _qbm(n_visible, n_hidden, *, hamiltonian, normalize, beta, ham_seed) -> QBM:
    check_choice(hamiltonian, "hamiltonian", HAMILTONIANS)
    layout = WireLayout(n_visible, n_hidden)
    return QBM(layout, HAMILTONIANS[hamiltonian](layout, seed=ham_seed), beta, normalize)


def trace_distance(
    n_hidden: int,
    seed: int,
    n_visible: int = 1,
    model: str = "qnn",
    n_samples: int = 200,
    ansatz: str = "random_two_local",
    n_layers: int | None = None,
    device: str = "default.qubit",
    shots: int | None = None,
    device_options: dict | None = None,
    engine: str = "auto",
    hamiltonian: str = "random_two_local",
    normalize: str | None = None,
    beta: float = 1.0,
) -> dict:
    """Fig. (a): trace distance of ``ρ_v`` to ``I/D_v``, purity and entropy over draws.

    ``model="qnn"`` uses ``ansatz`` on ``device``; ``model="qbm"`` redraws instances of
    ``hamiltonian`` (with ``normalize`` and ``beta``). Theory: the exact Haar value, the Haar
    bound and the paper's bound ½√(D_v/D_h).
    """
    check_choice(model, "model", ("qnn", "qbm"))
    sub_seed, ens_seed = split_seed(seed)
    if model == "qnn":
        qnn = _qnn(
            n_visible,
            n_hidden,
            ansatz=ansatz,
            n_layers=n_layers,
            device=device,
            structure_seed=sub_seed,
            shots=shots,
            device_options=device_options,
        )
        engine = select_engine(qnn, engine)
        stats = visible_state_stats(qnn, n_samples, ens_seed, engine=engine)
        return {**qnn_fields(qnn, ens_seed, "uniform", False, engine), **stats.to_dict()}
    qbm = _qbm(
        n_visible,
        n_hidden,
        hamiltonian=hamiltonian,
        normalize=normalize,
        beta=beta,
        ham_seed=sub_seed,
    )
    stats = visible_state_stats(qbm, n_samples, ens_seed)
    return {
        **qbm_fields(qbm, ens_seed),
        **stats.to_dict(),
    }


def qnn_gradient(
    n_hidden: int,
    seed: int,
    n_visible: int = 1,
    ansatz: str = "random_two_local",
    n_layers: int | None = None,
    n_samples: int = 200,
    device: str = "default.qubit",
    shots: int | None = None,
    device_options: dict | None = None,
    engine: str = "auto",
    dist: str = "uniform",
    delta: float = 0.1,
) -> dict:
    """Fig. (b): gradient statistics of ``⟨Z_0⟩`` for a QNN, and the Lipschitz ratio at ``δ``.

    Theory: the Haar per-parameter variance ``2g²D·Tr O²/((D²−1)(D+1))`` for the ansatz's
    generator scale ``g``, and the paper's explicit Lipschitz bound.
    """
    sub_seed, ens_seed = split_seed(seed)
    qnn = _qnn(
        n_visible,
        n_hidden,
        ansatz=ansatz,
        n_layers=n_layers,
        device=device,
        structure_seed=sub_seed,
        shots=shots,
        device_options=device_options,
    )
    engine = select_engine(qnn, engine)  # one engine for both ensembles of the point
    grads = gradient_variance(qnn, n_samples, ens_seed, dist=dist, engine=engine)
    if engine.name == "pauli":  # moments only: the ratio needs f at draws
        lip = {
            "lipschitz_ratio": None,
            "lipschitz_ratio_stderr": None,
            "delta": delta,
            "lipschitz_bound": None,
            "lipschitz_samples": None,
        }
    else:
        lip = lipschitz_ratio(qnn, delta, n_samples, ens_seed, dist=dist, engine=engine).to_dict()
    return {**qnn_fields(qnn, ens_seed, dist, False, engine), **grads.to_dict(), **lip}


def qbm_gradient(
    n_hidden: int,
    seed: int,
    n_visible: int = 1,
    hamiltonian: str = "random_two_local",
    normalize: str | None = None,
    beta: float = 1.0,
    n_samples: int = 200,
    delta: float = 0.1,
) -> dict:
    """Fig. (c): exact gradient statistics of ``⟨Z_0⟩`` over redrawn QBM instances.

    Parameters of terms touching hidden qubits and of visible-only terms are reported apart
    (``grad_variance_hidden``, ``grad_variance_visible``): the paper's Theorem 4 does not
    suppress the latter.
    """
    sub_seed, ens_seed = split_seed(seed)
    qbm = _qbm(
        n_visible,
        n_hidden,
        hamiltonian=hamiltonian,
        normalize=normalize,
        beta=beta,
        ham_seed=sub_seed,
    )
    grads = gradient_variance(qbm, n_samples, ens_seed)
    lip = lipschitz_ratio(qbm, delta, n_samples, ens_seed)
    return {
        **qbm_fields(qbm, ens_seed),
        **grads.to_dict(),
        **lip.to_dict(),
    }


def area_law(
    n_hidden: int,
    seed: int,
    n_visible: int = 1,
    ansatz: str = "area_law",
    n_layers: int = 2,
    n_cross: int = 1,
    n_samples: int = 200,
    device: str = "default.qubit",
    shots: int | None = None,
    device_options: dict | None = None,
    engine: str = "auto",
) -> dict:
    """The area-law contrast: gradient and visible-state statistics of the ``area_law`` ansatz
    (or, for the other side of the comparison, of ``ansatz="random_two_local"``).

    Only ``n_layers · n_cross`` CZ gates cross the cut, so ``S(ρ_v) ≤ n_layers·n_cross·ln 2``
    (recorded as ``entropy_bound``) whatever ``n_hidden``. The mean over all parameters is
    diluted by hidden parameters far from the cut; ``grad_variance_visible`` and
    ``grad_inf_norm_variance`` are the statistics that must stay flat.
    """
    check_choice(ansatz, "ansatz", ("area_law", "random_two_local"))
    sub_seed, ens_seed = split_seed(seed)
    opts = {"n_cross": n_cross} if ansatz == "area_law" else {}
    qnn = _qnn(
        n_visible,
        n_hidden,
        ansatz=ansatz,
        n_layers=n_layers,
        device=device,
        structure_seed=sub_seed,
        shots=shots,
        device_options=device_options,
        **opts,
    )
    engine = select_engine(qnn, engine)
    grads = gradient_variance(qnn, n_samples, ens_seed, engine=engine)
    states = visible_state_stats(qnn, n_samples, ens_seed, engine=engine)
    bound = qnn.ansatz.entropy_bound() if ansatz == "area_law" else None
    return {
        **qnn_fields(qnn, ens_seed, "uniform", False, engine),
        **grads.to_dict(),
        **states.to_dict(),
        "entropy_bound": bound,
    }


def mcclean(
    n_qubits: int,
    seed: int,
    n_layers: int | None = None,
    n_samples: int = 200,
    device: str = "default.qubit",
    shots: int | None = None,
    device_options: dict | None = None,
    engine: str = "auto",
) -> dict:
    """McClean et al. (2018): variance of ``∂⟨Z_0 Z_1⟩`` against the number of qubits.

    RY(π/4) layer, ``n_layers`` (default ``n_qubits``) layers of random-axis rotations and a CZ
    ladder; axes and angles redrawn for every sample. Layout: the two measured qubits are
    visible, the rest hidden. Theory: the 2-design value for generator scale 1/2.
    """
    n_qubits = check_int(n_qubits, "n_qubits", minimum=2)
    sub_seed, ens_seed = split_seed(seed)
    obs = qml.Z(0) @ qml.Z(1)
    depth = n_qubits if n_layers is None else n_layers
    qnn = _qnn(
        2,
        n_qubits - 2,
        ansatz="mcclean",
        n_layers=depth,
        device=device,
        structure_seed=sub_seed,
        observable=obs,
        shots=shots,
        device_options=device_options,
    )
    engine = select_engine(qnn, engine, structures=True)
    grads = gradient_variance(qnn, n_samples, ens_seed, resample_structure=True, engine=engine)
    rec = qnn_fields(qnn, ens_seed, "uniform", True, engine)
    return {**rec, "n_qubits": n_qubits, **grads.to_dict()}
