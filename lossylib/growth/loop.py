"""A self-improvement loop with its frictions made explicit and adjustable.

The system's capability ``A`` feeds its own research: an AI research workforce worth
``A`` researchers per agent joins ``humans`` human researchers. Four frictions stand
between that and an explosion, each a parameter:

- ``automation``: the share of research the system can do at all (Amdahl's law: the rest
  waits for people, so the speed-up saturates at ``1 / (1 - automation)``);
- ``agents``, ``serial``, ``crosstalk``: N agents in parallel, slowed by a serial share
  and by pairwise coordination (Gunther's universal scalability law; ``crosstalk = 0`` is
  Amdahl's law);
- ``phi`` and ``lam``: diminishing returns to the stock and to effort;
- ``loss``: the fraction of capability lost per generation (the "lossy" part); with
  ``loss_power`` above one the loss grows faster than capability (friction that gets
  worse as the system grows).

Capability then follows dA/dt = delta * S(A)^lam * A^phi - loss * A^loss_power, with S(A) the
research input above. :func:`simulate` integrates it and :func:`classify` names the shape
of each run: explodes, exponential, slows, saturates or declines.

Examples
--------
>>> t = np.linspace(0, 40, 41)
>>> a = simulate(t, phi=0.9, lam=0.5)  # returns 0.9 + 0.5 > 1 with a closed loop
>>> str(classify(t, a))
'explodes'
>>> str(classify(t, simulate(t, phi=0.9, lam=0.5, automation=0.8)))  # loop not closed
'slows'
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from lossylib.growth.model import (
    MAX_CELLS,
    _broadcast,
    _finite,
    _nonnegative,
    _positive,
    _show,
    integrate,
)

REGIMES = ("explodes", "exponential", "slows", "saturates", "declines")


def _share(name: str, value: ArrayLike) -> np.ndarray:
    """A share (or shares) of the work: finite and between 0 and 1."""
    share = _finite(name, value)
    if np.any((share < 0) | (share > 1)):
        raise ValueError(f"{name} must be between 0 and 1, got {_show(value)}")
    return share


def amdahl(share: ArrayLike, speedup: ArrayLike) -> np.ndarray:
    """Overall speed-up when a ``share`` of the work is sped up ``speedup`` times.

    1 / ((1 - share) + share / speedup): at most 1 / (1 - share), however large the
    speed-up (Amdahl 1967).

    Examples
    --------
    >>> float(amdahl(0.9, 1e12)) < 10
    True
    """
    share = _share("share", share)
    speedup = _positive("speedup", speedup)
    return 1.0 / ((1.0 - share) + share / speedup)


def parallel_speedup(agents: ArrayLike, serial: ArrayLike = 0.0, crosstalk: ArrayLike = 0.0):
    """Throughput of N agents relative to one (Gunther's universal scalability law).

    N / (1 + serial (N - 1) + crosstalk N (N - 1)). With ``crosstalk = 0`` it is
    Amdahl's law, rising to ``1 / serial``; with ``crosstalk > 0`` it peaks at
    N* = sqrt((1 - serial) / crosstalk) agents (:func:`usl_peak`) and then falls.

    Examples
    --------
    >>> float(parallel_speedup(100, serial=0.05))  # far below 100
    16.80672268907563
    """
    agents = _finite("agents", agents)
    if np.any(agents < 1):
        raise ValueError(f"agents must be >= 1, got {_show(agents)}")
    serial = _share("serial", serial)
    crosstalk = _nonnegative("crosstalk", crosstalk)
    return agents / (1.0 + serial * (agents - 1.0) + crosstalk * agents * (agents - 1.0))


def usl_peak(serial: ArrayLike = 0.0, crosstalk: ArrayLike = 0.0) -> np.ndarray:
    """The number of agents at which :func:`parallel_speedup` peaks.

    N* = sqrt((1 - serial) / crosstalk), the maximum of the universal scalability law
    over real N (Gunther 2007); infinite when ``crosstalk = 0`` (Amdahl's law never
    peaks, it only levels off).

    Examples
    --------
    >>> round(float(usl_peak(serial=0.05, crosstalk=0.0005)), 1)
    43.6
    >>> float(usl_peak(serial=0.05))
    inf
    """
    serial = _share("serial", serial)
    crosstalk = _nonnegative("crosstalk", crosstalk)
    with np.errstate(divide="ignore"):
        return np.sqrt(np.where(crosstalk > 0, (1.0 - serial) / crosstalk, np.inf))


def research_input(
    a: ArrayLike,
    *,
    humans: ArrayLike = 1.0,
    automation: ArrayLike = 1.0,
    agents: ArrayLike = 1.0,
    serial: ArrayLike = 0.0,
    crosstalk: ArrayLike = 0.0,
) -> np.ndarray:
    """Research effort S when a system of capability ``a`` works alongside ``humans``.

    The AI workforce is ``a * parallel_speedup(agents, ...)`` researcher-equivalents; it
    speeds up the automatable share of research (Amdahl), so
    S = humans * amdahl(automation, 1 + ai / humans). With ``automation = 1`` this is
    simply humans + ai: the loop is closed.

    Examples
    --------
    >>> float(research_input(3.0))  # one human plus three researcher-equivalents
    4.0
    """
    a = _nonnegative("a", a)
    humans = _positive("humans", humans)
    automation = _share("automation", automation)
    ai = a * parallel_speedup(agents, serial, crosstalk)
    return humans * amdahl(automation, 1.0 + ai / humans)


def loop_rate(
    a: np.ndarray,
    *,
    delta: ArrayLike = 0.2,
    lam: ArrayLike = 0.5,
    phi: ArrayLike = 0.5,
    loss: ArrayLike = 0.0,
    loss_power: ArrayLike = 1.0,
    **research: ArrayLike,
) -> np.ndarray:
    """dA/dt of the loop: delta * S(A)^lam * A^phi - loss * A^loss_power (``research``:
    see :func:`research_input`; the other parameters as in :func:`simulate`)."""
    a = _nonnegative("a", a)
    delta = _nonnegative("delta", delta)
    lam, phi = _finite("lam", lam), _finite("phi", phi)
    loss = _nonnegative("loss", loss)
    loss_power = _nonnegative("loss_power", loss_power)
    s = research_input(a, **research)
    return delta * s**lam * a**phi - loss * a**loss_power


def simulate(
    times: ArrayLike,
    *,
    a0: ArrayLike = 1.0,
    delta: ArrayLike = 0.2,
    lam: ArrayLike = 0.5,
    phi: ArrayLike = 0.5,
    loss: ArrayLike = 0.0,
    loss_power: ArrayLike = 1.0,
    humans: ArrayLike = 1.0,
    automation: ArrayLike = 1.0,
    agents: ArrayLike = 1.0,
    serial: ArrayLike = 0.0,
    crosstalk: ArrayLike = 0.0,
    substeps: int = 4,
    cap: float = 1e300,
) -> np.ndarray:
    """Capability over ``times`` for the loop; every parameter may be an array (broadcast).

    Returns an array of shape ``(len(times),) + broadcast shape`` with ``inf`` after a
    blow-up (capability above ``cap``). Deterministic: no randomness involved.
    ``times``, ``substeps`` and ``cap`` are as in :func:`lossylib.growth.integrate`.

    Examples
    --------
    >>> a = simulate([0, 10, 20], phi=np.array([0.2, 0.9]))
    >>> a.shape
    (3, 2)
    """
    delta = _nonnegative("delta", delta)
    lam, phi = _finite("lam", lam), _finite("phi", phi)
    loss = _nonnegative("loss", loss)
    kappa = _finite("loss_power", loss_power)
    if np.any(kappa < 0):
        raise ValueError(f"loss_power must be >= 0, got {loss_power!r}")
    research = dict(
        humans=_positive("humans", humans),
        automation=_share("automation", automation),
        agents=_finite("agents", agents),
        serial=_nonnegative("serial", serial),
        crosstalk=_nonnegative("crosstalk", crosstalk),
    )
    a0 = _positive("a0", a0)
    shape = _broadcast(
        a0=a0, delta=delta, lam=lam, phi=phi, loss=loss, loss_power=kappa, **research
    )
    times = _finite("times", times)
    if times.ndim == 1 and times.size * math.prod(shape) > MAX_CELLS:
        raise ValueError(
            f"len(times) * runs must be <= {MAX_CELLS} values, got {times.size} * "
            f"{math.prod(shape)} (runs: the parameters' broadcast shape {shape})"
        )
    start = np.broadcast_to(a0, shape).astype(float)
    share, humans_ = research["automation"], research["humans"]
    speed = parallel_speedup(research["agents"], research["serial"], research["crosstalk"])

    def rate(t: float, a: np.ndarray) -> np.ndarray:  # research_input without re-validation
        s = humans_ / ((1.0 - share) + share / (1.0 + a * speed / humans_))
        return delta * s**lam * a**phi - loss * a**kappa

    return integrate(rate, start, times, substeps=substeps, cap=cap)


def classify(times: ArrayLike, a: ArrayLike, *, flat: float = 0.05) -> np.ndarray:
    """Name the shape of each run: explodes, exponential, slows, saturates or declines.

    Looks at log A over the last fifth of the horizon and at its slope there compared
    with the slope over the fifth before the middle (``ratio``): a blow-up, or a ratio
    above 1.15, is "explodes"; a change of log A smaller than ``flat`` is "saturates" (a
    fall larger than ``flat``, or an end below the start, "declines"); a ratio within 15%
    of one is "exponential"; a ratio at or below 0.2 "saturates"; anything between "slows"
    (linear or polynomial growth). A heuristic for a finite horizon, written down so that
    it can be checked.

    Parameters
    ----------
    times : array
        The output times of the runs (at least 10, increasing).
    a : array
        Runs, shape ``(len(times),) + batch``, as from :func:`simulate`: capabilities
        >= 0 (``inf`` after a blow-up, never NaN), each run starting above 0.
    flat : float
        Changes of log A over the last fifth below this count as no change (> 0).

    Returns
    -------
    ndarray of str
        One regime per run (a 0-d array for a single run).

    Examples
    --------
    >>> t = np.linspace(0, 10, 11)
    >>> classify(t, np.exp(0.3 * t)).item(), classify(t, 1 + t).item()
    ('exponential', 'slows')
    """
    times = _finite("times", times)
    if times.ndim != 1 or times.size < 10 or np.any(np.diff(times) <= 0):
        got = _show(times)
        raise ValueError(f"times must be >= 10 increasing times (1-D), got {got}")
    try:
        a = np.asarray(a)
    except ValueError:  # a ragged nested list
        raise ValueError(f"a must be an array of numbers, got {_show(a)}") from None
    if a.dtype.kind not in "iuf":
        raise ValueError(f"a must be an array of numbers, got {_show(a)}")
    a = a.astype(float)
    if a.shape[:1] != times.shape:
        rows = times.size
        raise ValueError(f"a must have one row per time ({rows}), got shape {a.shape}")
    bad = np.isnan(a) | (a < 0)
    if np.any(bad):
        got = a[bad][0]
        raise ValueError(f"a must be >= 0 and not NaN (inf: a blow-up), got {got}")
    if np.any(a[0] <= 0):
        raise ValueError(f"a must start above 0 (its first row), got {np.min(a[0])}")
    flat = float(_positive("flat", flat, scalar=True))
    n = times.size
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        y = np.log(a)
        late = y[-1] - y[-1 - n // 5]
        i0, i1 = (3 * n) // 10, n // 2
        mid = (y[i1] - y[i0]) * (n // 5) / (i1 - i0)
        ratio = late / mid
    out = np.full(late.shape, "slows", dtype="<U11")
    out[(ratio > 0.85) & (ratio <= 1.15)] = "exponential"
    out[ratio <= 0.2] = "saturates"
    out[np.abs(late) <= flat] = "saturates"
    out[(late < -flat) | (y[-1] < y[0] - flat)] = "declines"
    out[(ratio > 1.15) & (late > flat)] = "explodes"
    out[np.isposinf(y[-1])] = "explodes"
    return out


def regime_map(times: ArrayLike, **params: ArrayLike) -> np.ndarray:
    """:func:`classify` applied to :func:`simulate` (a parameter sweep in one call).

    Examples
    --------
    >>> t = np.linspace(0, 200, 51)
    >>> phi, loss = np.meshgrid(np.linspace(0, 1, 3), [0.0, 0.3])
    >>> regime_map(t, phi=phi, loss=loss).shape
    (2, 3)
    """
    return classify(times, simulate(times, **params))
