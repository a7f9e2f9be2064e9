"""One loop, all the chapters' numbers: a toy self-improvement loop with measured inputs.

The loop is the complexity brake's model (:func:`lossylib.growth.simulate`),
dA/dt = delta * S(A)^lam * A^phi - loss * A, with the research input S(A) of a system
that does a share ``automation`` of its own research. Each parameter is set from a
number another chapter measured, with a range for its uncertainty:

- ``phi`` (returns to what is known) from the brake: research productivity falling
  ``decline`` a year while the thing it produces grows ``growth`` a year means, on a
  balanced growth path, phi = 1 - lam * decline / log(1 + growth)
  (:func:`returns_from_decline`);
- ``loss`` (capability lost per generation) from tail loss: the per-generation rate at
  which a model trained on its own samples loses spread, times the share of that loss a
  verifier leaves (from the limits of curation);
- ``efficiency`` (the share of a measured gain that is a true gain) from narrow targets;
- ``automation`` (how closed the loop is): no chapter measures it, so it is swept.

It is a toy that organises the evidence, not a forecast: a generation is one unit of
time, and the regimes are named by :func:`lossylib.growth.loop_regimes` over a fixed horizon.

Examples
--------
>>> inputs = {"phi": Input(0.8, 0.78, 0.82, "test"), "loss": Input(0.01, 0.005, 0.02, "t")}
>>> shares = regime_shares(inputs, automation=[0.5, 1.0], draws=50, seed=0)
>>> float(shares["explodes"][1]) == 1.0, float(shares["explodes"][0]) == 0.0
(True, True)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from numpy.typing import ArrayLike

from lossylib.checks import check_real, check_seed
from lossylib.growth import REGIMES, loop_regimes, simulate
from lossylib.growth.experiments import LOOP, TIMES

#: The most draws :func:`regime_shares` takes (each is a run at every automation level).
MAX_DRAWS = 100_000


@dataclass(frozen=True)
class Input:
    """One measured input of the loop: a central value, a range and where it came from."""

    value: float
    low: float
    high: float
    source: str

    def __post_init__(self) -> None:
        for name in ("value", "low", "high"):
            x = getattr(self, name)
            if isinstance(x, bool) or not (isinstance(x, Real) and math.isfinite(x)):
                raise ValueError(f"Input {name} must be a finite number, got {x!r}")
        if not self.low <= self.value <= self.high:
            raise ValueError(
                f"Input needs low <= value <= high, got {self.low}, {self.value}, {self.high}"
            )
        if not isinstance(self.source, str):
            kind = type(self.source).__name__
            raise TypeError(f"Input source must be a string, got {kind}")


#: The loop's parameters that inputs may set, with the value used when none is given.
DEFAULTS = {"phi": 0.5, "lam": LOOP["lam"], "loss": 0.0, "efficiency": 1.0}


def returns_from_decline(decline: float, growth: float, *, lam: float) -> float:
    """phi = 1 - lam * decline / log(1 + growth): returns implied by falling productivity.

    On a balanced growth path of dA/dt = delta S^lam A^phi, with effort S growing at rate
    n, A grows at the constant log rate g = lam n / (1 - phi), so research productivity
    (A's growth per unit of effort) falls at n = (1 - phi) g / lam, as in
    :mod:`lossylib.growth.productivity`. A measured ``decline`` of productivity while A
    grows ``growth`` a year then gives phi = 1 - lam * decline / g.

    Parameters
    ----------
    decline : float
        Yearly decline of research productivity (>= 0; 0.068 for 6.8%).
    growth : float
        Yearly growth of what the research produces (> 0; 0.4 for 40%).
    lam : float
        Returns to research effort (> 0); ``lam = 1`` is Bloom et al.'s beta = decline / g.

    Examples
    --------
    >>> round(returns_from_decline(0.068, 0.415, lam=0.5), 3)
    0.902
    >>> round(returns_from_decline(0.068, 0.415, lam=1.0), 3)
    0.804
    """
    check_real(decline, "decline")
    check_real(growth, "growth")
    check_real(lam, "lam")
    if not (math.isfinite(decline) and decline >= 0):
        raise ValueError(f"decline must be a non-negative number, got {decline!r}")
    if not (math.isfinite(growth) and growth > 0):
        raise ValueError(f"growth must be a positive number, got {growth!r}")
    if not (math.isfinite(lam) and lam > 0):
        raise ValueError(f"lam must be a positive number, got {lam!r}")
    return 1.0 - lam * decline / math.log1p(growth)


def loss_per_generation(kept: float, generations: int) -> float:
    """The constant per-generation loss that leaves ``kept`` after ``generations``.

    Examples
    --------
    >>> round(loss_per_generation(0.5, 1), 3), round(loss_per_generation(0.25, 2), 3)
    (0.5, 0.5)
    """
    check_real(kept, "kept")
    if not (math.isfinite(kept) and 0 < kept <= 1):
        raise ValueError(f"kept must be in (0, 1], got {kept!r}")
    if isinstance(generations, bool) or not (
        isinstance(generations, Integral) and generations >= 1
    ):
        raise ValueError(f"generations must be an integer >= 1, got {generations!r}")
    return 1.0 - kept ** (1.0 / generations)


def _check_inputs(inputs: object) -> None:
    """A one-line error unless ``inputs`` maps known parameters to :class:`Input`."""
    if not isinstance(inputs, Mapping):
        kind = type(inputs).__name__
        raise TypeError(f"inputs must be a mapping of name to Input, got {kind}")
    unknown = sorted(set(inputs) - set(DEFAULTS), key=str)
    if unknown:
        raise ValueError(f"unknown loop inputs {unknown}; known: {', '.join(DEFAULTS)}")
    for name, i in inputs.items():
        if not isinstance(i, Input):
            kind = type(i).__name__
            raise TypeError(f"inputs[{name!r}] must be an Input, got {kind}")


def _check_shares(values: ArrayLike, name: str = "automation") -> np.ndarray:
    """A non-empty 1-d array of shares in [0, 1], or a one-line error."""
    try:
        auto = np.atleast_1d(np.asarray(values, dtype=float))
    except (TypeError, ValueError):
        auto = None
    if auto is None or values is None:
        kind = type(values).__name__
        raise ValueError(f"{name} must be shares in [0, 1], got {kind}")
    if auto.ndim != 1 or auto.size == 0:
        shape = auto.shape
        raise ValueError(f"{name} must be a non-empty 1-d array, got shape {shape}")
    bad = auto[~((auto >= 0) & (auto <= 1))]
    if bad.size:
        raise ValueError(f"{name} must be shares in [0, 1], got {bad[0]}")
    return auto


def _draw(inputs: Mapping[str, Input], draws: int, seed: int) -> dict[str, np.ndarray]:
    _check_inputs(inputs)
    rng = np.random.default_rng(seed)
    out = {}
    for name, default in DEFAULTS.items():
        i = inputs.get(name)
        out[name] = (
            np.full(draws, float(default)) if i is None else rng.uniform(i.low, i.high, draws)
        )
    return out


def regime_shares(
    inputs: Mapping[str, Input],
    automation: ArrayLike,
    *,
    draws: int = 400,
    seed: int = 0,
    times: ArrayLike = TIMES,
) -> dict[str, np.ndarray]:
    """Share of draws in each regime for each automation level.

    Every input is drawn uniformly within its range (``draws`` times, seeded); the same
    draws are used at every automation level. Returns ``{regime: shares}`` with one
    share per automation level, for every regime of :data:`lossylib.growth.REGIMES`.
    ``draws`` is at most :data:`MAX_DRAWS`.
    """
    if isinstance(draws, bool) or not (isinstance(draws, Integral) and draws >= 1):
        raise ValueError(f"draws must be an integer >= 1, got {draws!r}")
    if draws > MAX_DRAWS:
        raise ValueError(f"draws must be <= {MAX_DRAWS}, got {draws}")
    check_seed(seed)
    auto = _check_shares(automation)
    p = _draw(inputs, draws, seed)
    params = dict(
        delta=LOOP["delta"] * p["efficiency"][None, :],
        lam=p["lam"][None, :],
        phi=p["phi"][None, :],
        loss=p["loss"][None, :],
        humans=LOOP["humans"],
        automation=auto[:, None],
    )
    regimes = loop_regimes(times, simulate(times, **params), **params)
    return {r: (regimes == r).mean(axis=1) for r in REGIMES}


def central_regimes(
    inputs: Mapping[str, Input], automation: ArrayLike, times: ArrayLike = TIMES
) -> np.ndarray:
    """The regime at the inputs' central values, for each automation level."""
    _check_inputs(inputs)
    auto = _check_shares(automation)
    p = {k: inputs[k].value if k in inputs else v for k, v in DEFAULTS.items()}
    params = dict(
        delta=LOOP["delta"] * p["efficiency"], lam=p["lam"], phi=p["phi"],
        loss=p["loss"], humans=LOOP["humans"], automation=auto,
    )  # fmt: skip
    return loop_regimes(times, simulate(times, **params), **params)


def tipping_automation(inputs: Mapping[str, Input], grid: Sequence[float] | None = None) -> float:
    """The smallest automation share at which the central loop explodes (``nan`` if none).

    The shares tried are ``grid`` (in [0, 1]; 201 evenly spaced by default).

    Examples
    --------
    >>> round(tipping_automation({"phi": Input(0.8, 0.8, 0.8, "t")}), 2) <= 1.0
    True
    """
    grid = np.linspace(0.0, 1.0, 201) if grid is None else _check_shares(grid, "grid")
    regimes = central_regimes(inputs, grid)
    hits = np.flatnonzero(regimes == "explodes")
    return float(grid[hits].min()) if hits.size else math.nan


def _central(inputs: Mapping[str, Input]) -> dict[str, float]:
    _check_inputs(inputs)
    return {k: inputs[k].value if k in inputs else v for k, v in DEFAULTS.items()}


def loss_ceiling(inputs: Mapping[str, Input], automation: ArrayLike) -> np.ndarray:
    """Where the loss stops an open loop, at the inputs' central values: about
    A* = (delta S_max^lam / loss)^(1 / (1 - phi)), with S_max = humans / (1 - automation)
    the most research effort a loop with a human share can reach (Amdahl's law).

    Below one, returns make research grow like A^phi while the loss grows like A, so
    with any human share the loss wins at A*; ``inf`` for a fully automated loop, no
    loss, or ``phi >= 1``. The true level is a little lower, as S(A) only approaches
    S_max.

    Examples
    --------
    >>> inputs = {"phi": Input(0.5, 0.5, 0.5, "t"), "loss": Input(0.02, 0.02, 0.02, "t")}
    >>> loss_ceiling(inputs, [0.75, 1.0]).round(1).tolist()  # (0.2 * 2 / 0.02) ** 2
    [400.0, inf]
    """
    p = _central(inputs)
    auto = _check_shares(automation)
    delta = LOOP["delta"] * p["efficiency"]
    out = np.full(auto.shape, math.inf)
    if p["loss"] > 0 and p["phi"] < 1:
        open_ = auto < 1
        s_max = LOOP["humans"] / (1.0 - auto[open_])
        out[open_] = (delta * s_max ** p["lam"] / p["loss"]) ** (1.0 / (1.0 - p["phi"]))
    return out


def regimes_by_horizon(
    inputs: Mapping[str, Input], automation: ArrayLike, horizons: Sequence[float]
) -> np.ndarray:
    """The central loop's regime read over each horizon (generations), for each
    automation level: shape ``(len(horizons), len(automation))``.

    Each horizon is read at 51 points, as :data:`TIMES` reads 200 generations, with
    integration steps of at most two generations.

    Examples
    --------
    >>> inputs = {"phi": Input(0.5, 0.5, 0.5, "t"), "loss": Input(0.02, 0.02, 0.02, "t")}
    >>> regimes_by_horizon(inputs, [0.75], [20, 2000]).ravel().tolist()
    ['slows', 'saturates']
    """
    p = _central(inputs)
    auto = _check_shares(automation)
    if isinstance(horizons, str) or np.ndim(horizons) != 1 or len(horizons) == 0:
        raise ValueError(f"horizons must be a non-empty sequence, got {horizons!r}")
    out = []
    for h in horizons:
        h = check_real(h, "horizon", low=10.0)
        times = np.linspace(0.0, h, 51)
        params = dict(
            delta=LOOP["delta"] * p["efficiency"], lam=p["lam"], phi=p["phi"],
            loss=p["loss"], humans=LOOP["humans"], automation=auto,
        )  # fmt: skip
        runs = simulate(times, substeps=max(4, math.ceil(h / 100)), **params)
        out.append(loop_regimes(times, runs, **params))
    return np.array(out)


def ceiling_time(
    inputs: Mapping[str, Input], automation: ArrayLike, share: float = 0.5, horizon: float = 1e4
) -> np.ndarray:
    """The generation at which the central loop first reaches ``share`` of its
    :func:`loss_ceiling` (read every 10 generations, in steps of 2, up to ``horizon``;
    ``nan`` if it does not, or has no ceiling).

    Examples
    --------
    >>> inputs = {"phi": Input(0.5, 0.5, 0.5, "t"), "loss": Input(0.02, 0.02, 0.02, "t")}
    >>> ceiling_time(inputs, [0.75, 1.0], horizon=1000).tolist()
    [130.0, nan]
    """
    p = _central(inputs)
    auto = _check_shares(automation)
    share = check_real(share, "share", low=0.0, high=1.0, low_open=True)
    horizon = check_real(horizon, "horizon", low=100.0, high=1e6)
    times = np.arange(0.0, horizon + 10.0, 10.0)
    runs = simulate(
        times, delta=LOOP["delta"] * p["efficiency"], lam=p["lam"], phi=p["phi"],
        loss=p["loss"], humans=LOOP["humans"], automation=auto, substeps=5,
    )  # fmt: skip
    reached = runs >= share * loss_ceiling(inputs, auto)[None, :]
    return np.where(reached.any(axis=0), times[np.argmax(reached, axis=0)], math.nan)


def half_ceiling_time(phi: float, loss: float, share: float = 0.5) -> float:
    """Generations for an open loop started far below its loss ceiling to reach ``share``
    of it, in closed form: -log(1 - share^(1 - phi)) / ((1 - phi) loss).

    With research effort at its cap, dA/dt = c A^phi - loss A is linear in
    u = A^(1 - phi): du/dt = (1 - phi) (c - loss u), so u approaches its ceiling c / loss
    as 1 - exp(-(1 - phi) loss t). The time depends on phi and the loss only, not on
    automation, the research rate or the efficiency (they scale the ceiling). It is
    shorter than :func:`ceiling_time`, whose effort only approaches its cap: by about 1%
    at returns near 0.9, as on the conclusion's page, but by half at returns of 0.5 with
    99% automation, where the cap is reached late.

    Parameters
    ----------
    phi : float
        Returns to what is known, in [0, 1).
    loss : float
        Capability lost per generation (> 0).
    share : float
        The share of the ceiling, in (0, 1).

    Examples
    --------
    >>> round(half_ceiling_time(0.5, 0.02), 1)  # -log(1 - 0.5 ** 0.5) / 0.01
    122.8
    >>> half_ceiling_time(0.9, 0.001) / half_ceiling_time(0.9, 0.01)  # 1 / loss
    10.0
    """
    phi = check_real(phi, "phi", low=0.0, high=1.0)
    if phi == 1.0:
        raise ValueError("phi must be below 1: with phi = 1 the loop has no ceiling")
    loss = check_real(loss, "loss", low=0.0, low_open=True)
    share = check_real(share, "share", low=0.0, high=1.0, low_open=True)
    if share == 1.0:
        raise ValueError("share must be below 1: the ceiling itself is never reached")
    k = 1.0 - phi
    return -math.log1p(-(share**k)) / (k * loss)
