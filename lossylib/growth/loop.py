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
of each run: explodes, exponential, slows, saturates or declines; :func:`loop_regimes`
(and :func:`regime_map`) check a run that ``classify`` calls "explodes" against the
model's own rate beyond the horizon. :func:`smallest_growth_rate` is the smallest
proportional loss that stops an explosion.

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
    _count,
    _finite,
    _nonnegative,
    _positive,
    _show,
    integrate,
)

REGIMES = ("explodes", "exponential", "slows", "saturates", "declines")
#: How far :func:`loop_regimes` and :func:`smallest_growth_rate` look ahead: capabilities
#: up to this, on a log grid of this many points per decade.
LOOKAHEAD_TOP = 1e150
LOOKAHEAD_PER_DECADE = 8
#: The parameters of :func:`simulate` that set the rate dA/dt (the rest set the run).
RATE_PARAMS = (
    "delta",
    "lam",
    "phi",
    "loss",
    "loss_power",
    "humans",
    "automation",
    "agents",
    "serial",
    "crosstalk",
)
_RUN_PARAMS = ("a0", "substeps", "cap")


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
    it can be checked; for runs of the loop, :func:`loop_regimes` also checks "explodes"
    against the model beyond the horizon.

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


def _rate_params(params: dict, shape: tuple[int, ...] | None = None) -> dict[str, np.ndarray]:
    """The rate's parameters of :func:`simulate` with its defaults, checked as it checks
    them (run parameters such as ``a0`` are dropped), broadcast to ``shape`` if given."""
    unknown = set(params) - set(RATE_PARAMS) - set(_RUN_PARAMS)
    if unknown:
        raise TypeError(f"unknown loop parameters: {', '.join(sorted(unknown))}")
    p = {"delta": 0.2, "lam": 0.5, "phi": 0.5, "loss": 0.0, "loss_power": 1.0}
    p |= {"humans": 1.0, "automation": 1.0, "agents": 1.0, "serial": 0.0, "crosstalk": 0.0}
    p |= {k: v for k, v in params.items() if k in RATE_PARAMS}
    checks = {"lam": _finite, "phi": _finite, "humans": _positive, "agents": _positive}
    out = {k: checks.get(k, _nonnegative)(k, v) for k, v in p.items()}
    for k in ("automation", "serial"):
        out[k] = _share(k, out[k])
    if np.any(out["agents"] < 1):
        raise ValueError(f"agents must be >= 1, got {_show(out['agents'])}")
    target = _broadcast(**out) if shape is None else shape
    try:
        return {k: np.broadcast_to(v, target) for k, v in out.items()}
    except ValueError:
        got = ", ".join(f"{k} {np.shape(v)}" for k, v in out.items() if np.ndim(v))
        msg = f"parameters must broadcast to the runs' shape {target}, got {got}"
        raise ValueError(msg) from None


def _log_terms(a: np.ndarray, p: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """log of the gain delta S(A)^lam A^phi and of the drain loss A^loss_power (-inf for no
    loss), for capabilities ``a`` > 0 broadcast against the parameters ``p``."""
    speed = p["agents"] / (
        1.0 + p["serial"] * (p["agents"] - 1.0) + p["crosstalk"] * p["agents"] * (p["agents"] - 1.0)
    )
    share, humans = p["automation"], p["humans"]
    log_a = np.log(a)
    with np.errstate(divide="ignore"):
        s = humans / ((1.0 - share) + share / (1.0 + a * speed / humans))
        gain = np.log(p["delta"]) + p["lam"] * np.log(s) + p["phi"] * log_a
        drain = np.log(p["loss"]) + p["loss_power"] * log_a
    return gain, drain


def _lookahead(start: np.ndarray, top: float, per_decade: int) -> np.ndarray:
    """Log grids of capability from each ``start`` (1-D) up to ``top``: one row each, the
    first column the start, points past ``top`` repeated at ``top``."""
    lo = np.log10(start)
    n = int(np.ceil(per_decade * max(np.log10(top) - lo.min(), 0.0))) + 1
    grid = lo[:, None] + np.arange(n) / per_decade
    return 10.0 ** np.minimum(grid, np.maximum(lo[:, None], np.log10(top)))


def smallest_growth_rate(
    a0: ArrayLike = 1.0,
    *,
    top: float = LOOKAHEAD_TOP,
    per_decade: int = 200,
    **params: ArrayLike,
) -> np.ndarray:
    """The smallest growth rate (dA/dt)/A of the loop without loss, over capabilities from
    ``a0`` up: the smallest proportional loss that stops an explosion.

    A loss ``loss * A`` stops a run that would explode if, and only if, it is at least this
    rate: the run then stops where the growth rate falls to the loss, or shrinks from the
    start. With a closed loop the rate is g(A) = delta (1 + A)^lam A^(phi - 1) (one human).
    For phi >= 1 it only rises, so the smallest is the starting rate g(a0). For
    phi < 1 < phi + lam it first falls, to its minimum at A* = (1 - phi) / (phi + lam - 1),
    and then rises, so the smallest is g(max(a0, A*)), below the starting rate when
    A* > a0 and tending to delta as phi + lam falls to one. With returns below one the
    rate falls for ever, and there is no explosion to stop.

    Parameters
    ----------
    a0 : float or array
        Starting capability (> 0).
    top : float
        The largest capability looked at (above ``a0``).
    per_decade : int
        Points per decade of the log grid searched before the minimum is refined (>= 1).
    **params
        The rate's parameters of :func:`simulate` (``loss`` and ``loss_power`` are
        ignored: the result is the rate without loss); arrays broadcast.

    Returns
    -------
    ndarray
        The smallest rate, one per broadcast setting (a 0-d array for one).

    Examples
    --------
    >>> round(float(smallest_growth_rate(phi=1.1)), 4)  # phi >= 1: the starting rate
    0.2828
    >>> round(float(smallest_growth_rate(phi=0.6)), 4)  # A* = 4: lower
    0.2569
    """
    a0 = _positive("a0", a0)
    top = float(_positive("top", top, scalar=True))
    per_decade = _count("per_decade", per_decade)
    params = {k: v for k, v in params.items() if k not in ("loss", "loss_power")}
    p = _rate_params(params)
    shape = _broadcast(a0=a0, **p)
    if np.any(np.broadcast_to(a0, shape) >= top):
        raise ValueError(f"top must be above a0, got top={top:g} and a0={_show(a0)}")
    p = {k: np.broadcast_to(v, shape).reshape(-1, 1) for k, v in p.items()}
    start = np.broadcast_to(a0, shape).ravel()
    if start.size * per_decade * (np.log10(top) - np.log10(start.min()) + 1) > MAX_CELLS:
        raise ValueError(f"settings * grid points must be <= {MAX_CELLS}")

    def log_rate(a: np.ndarray) -> np.ndarray:
        return _log_terms(a, p)[0] - np.log(a)

    grid = _lookahead(start, top, per_decade)
    y = log_rate(grid)
    i = np.argmin(y, axis=1)
    rows = np.arange(start.size)
    # golden-section search on log A between the grid neighbours of the smallest point
    lo = np.log(grid[rows, np.maximum(i - 1, 0)])
    hi = np.log(grid[rows, np.minimum(i + 1, grid.shape[1] - 1)])
    ratio = (np.sqrt(5.0) - 1.0) / 2.0
    for _ in range(80):
        x1, x2 = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        left = log_rate(np.exp(x1)[:, None])[:, 0] < log_rate(np.exp(x2)[:, None])[:, 0]
        lo, hi = np.where(left, lo, x1), np.where(left, x2, hi)
    best = np.minimum(y[rows, i], log_rate(np.exp((lo + hi) / 2)[:, None])[:, 0])
    return np.exp(best).reshape(shape)


def loop_regimes(times: ArrayLike, a: ArrayLike, **params: ArrayLike) -> np.ndarray:
    """:func:`classify` for runs of the loop, with "explodes" checked beyond the horizon.

    ``classify`` sees only the horizon: a run whose log-growth still accelerates at the
    end is "explodes" to it even if the model has an equilibrium ahead. Here a run that
    ``classify`` calls "explodes" is checked against the model's rate dA/dt on a log grid
    of capabilities above its last finite value, up to :data:`LOOKAHEAD_TOP`
    (:data:`LOOKAHEAD_PER_DECADE` points a decade). If dA/dt has a zero there, the run is
    heading for a ceiling it cannot cross: "saturates" (this also catches a run that
    overflowed only because the integrator's steps were too coarse near the ceiling).
    Otherwise it explodes if it blew up within the horizon, or if the growth rate
    (dA/dt)/A never falls below its value at the run's final A; any other run "slows".
    Every other label is ``classify``'s: they describe the horizon shown, while
    "explodes" is a statement about the model's future (infinite capability), so it is
    the one label checked.

    Parameters
    ----------
    times, a : array
        As for :func:`classify`: ``a`` of shape ``(len(times),) + batch``.
    **params
        The parameters the runs were simulated with (as for :func:`simulate`; they must
        broadcast to the batch shape).

    Returns
    -------
    ndarray of str
        One regime per run.

    Examples
    --------
    >>> t = np.linspace(0, 200, 51)
    >>> p = dict(phi=0.775, loss=0.26, automation=0.9)  # an equilibrium near A = 50
    >>> a = simulate(t, **p)
    >>> str(classify(t, a)), str(loop_regimes(t, a, **p))
    ('explodes', 'saturates')
    """
    regimes = classify(times, a)
    a = np.asarray(a, dtype=float)
    blew_up = np.isposinf(a[-1]).reshape(-1)
    last = np.where(np.isfinite(a), a, 0.0).max(axis=0).reshape(-1)  # last finite value
    last = np.maximum(last, np.finfo(float).tiny)
    p = _rate_params(params, regimes.shape)
    out = regimes.copy()
    idx = np.flatnonzero(regimes.reshape(-1) == "explodes")
    if idx.size == 0:
        return out
    flat = {k: v.reshape(-1) for k, v in p.items()}
    for chunk in np.array_split(idx, max(1, idx.size // 2000)):
        q = {k: v[chunk, None] for k, v in flat.items()}
        grid = _lookahead(last[chunk], LOOKAHEAD_TOP, LOOKAHEAD_PER_DECADE)
        gain, drain = _log_terms(grid, q)
        ceiling = np.any(drain[:, 1:] >= gain[:, 1:], axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            # log of the growth rate (dA/dt)/A, where it is positive
            log_g = gain - np.log(grid) + np.log1p(-np.exp(drain - gain))
        keeps_up = blew_up[chunk] | np.all(log_g[:, 1:] >= log_g[:, :1] - 1e-9, axis=1)
        label = np.where(ceiling, "saturates", np.where(keeps_up, "explodes", "slows"))
        out.reshape(-1)[chunk] = label
    return out


def regime_map(times: ArrayLike, **params: ArrayLike) -> np.ndarray:
    """:func:`loop_regimes` of :func:`simulate`'s runs (a parameter sweep in one call).

    Examples
    --------
    >>> t = np.linspace(0, 200, 51)
    >>> phi, loss = np.meshgrid(np.linspace(0, 1, 3), [0.0, 0.3])
    >>> regime_map(t, phi=phi, loss=loss).shape
    (2, 3)
    """
    return loop_regimes(times, simulate(times, **params), **params)
