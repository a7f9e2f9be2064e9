"""The chapter's experiments, at page size, shared by the chapter and the claim checks.

Each function runs one experiment of "The complexity brake" with the settings the page
uses, so the prose, the figures and the verdicts in :mod:`lossylib.claims.brake` quote
the same numbers.

Examples
--------
>>> facts = patent_facts()
>>> facts["peak_year_before_1960"]
1916
"""

from __future__ import annotations

import numpy as np

from lossylib.growth.data import patents_per_million
from lossylib.growth.loop import parallel_speedup, regime_map, smallest_growth_rate, usl_peak
from lossylib.growth.model import (
    MAX_CELLS,
    _count,
    _finite,
    _nonnegative,
    _positive,
    _show,
)
from lossylib.growth.search import (
    SearchResult,
    expected_distinct,
    idea_pool,
    nk_landscapes,
    search,
)
from lossylib.stats import mean_se

#: The loop's default setting in the chapter: research productivity, returns to effort.
LOOP = {"delta": 0.2, "lam": 0.5, "humans": 1.0}
#: The loss rate in claim 11's runs with friction: capability lost per generation, as a
#: rate (compounded continuously) times ``A^loss_power``.
CONDITIONS_LOSS = 0.1
#: Output times of every loop run (200 generations, 51 points).
TIMES = np.linspace(0.0, 200.0, 51)
#: The coordination overheads of the parallel-agents experiment (universal scalability
#: law): 5% serial work and a pairwise crosstalk cost.
USL = {"serial": 0.05, "crosstalk": 0.0005}
#: The parallel-agents experiment's defaults: attempts per agent, ideas in the pool.
TRIES = 50
POOL = 10_000
#: The diversity experiment's defaults: NK landscapes per set-up, design choices.
LANDSCAPES = 40
CHOICES = 14


def patent_facts() -> dict[str, float | int]:
    """Key numbers of US patents per million people, 1800-2015, against claim 10.

    Examples
    --------
    >>> round(patent_facts()["ratio_2015_to_1985"], 1)
    3.1
    """
    years, rate = patents_per_million()

    def at(y: int) -> float:
        return float(rate[years == y][0])

    early = years < 1960
    peak = int(years[early][np.argmax(rate[early])])
    window = (years >= 1850) & (years <= 1900)
    w_peak = int(years[window][np.argmax(rate[window])])
    after = years > 1900
    spells = spells_above(years[after], rate[after], float(rate[window].max()))
    trough_span = (years > peak) & (years < 1985)
    recent = years >= 1985
    rise = rate[recent][1:] / rate[recent][:-1]
    jump = int(np.argmax(rise))
    return {
        "peak_year_before_1960": peak,
        "peak_before_1960": at(peak),
        "max_1850_1900": float(rate[window].max()),
        "max_year_1850_1900": w_peak,
        "share_after_1900_above_1850_1900_max": float(np.mean(rate[after] > rate[window].max())),
        "spells_after_1900_above_1850_1900_max": len(spells),
        "first_year_above_1850_1900_max": spells[0][0] if spells else None,
        "lasting_from_year_above_1850_1900_max": (
            spells[-1][0] if spells and spells[-1][1] == int(years[-1]) else None
        ),
        "trough_year_after_peak": int(years[trough_span][np.argmin(rate[trough_span])]),
        "per_million_1873": at(1873),
        "per_million_1950": at(1950),
        "per_million_1985": at(1985),
        "per_million_2015": at(2015),
        "record_year": int(years[np.argmax(rate)]),
        "per_million_record": float(rate.max()),
        "ratio_2015_to_record": at(2015) / float(rate.max()),
        "ratio_2015_to_1985": at(2015) / at(1985),
        "ratio_1950_to_peak": at(1950) / at(peak),
        "ratio_peak_before_1960_to_1850_1900_max": at(peak) / float(rate[window].max()),
        # the largest one-year rise since 1985 (a grant office clearing its backlog moves
        # the count without any change in invention)
        "largest_jump_year_since_1985": int(years[recent][1:][jump]),
        "largest_jump_since_1985": float(rise[jump]),
    }


def spells_above(years: np.ndarray, values: np.ndarray, level: float) -> list[tuple[int, int]]:
    """The runs of consecutive years in which ``values`` exceed ``level``, as (first, last).

    ``years`` and ``values`` are 1-D and of the same length; ``level`` is a finite
    number.

    Examples
    --------
    >>> spells_above(np.arange(2000, 2006), np.array([0, 5, 5, 0, 5, 5]), 1.0)
    [(2001, 2002), (2004, 2005)]
    """
    years_f, values = _finite("years", years), _finite("values", values)
    if years_f.ndim != 1 or values.shape != years_f.shape:
        raise ValueError(
            "years and values must be 1-D and of the same length, "
            f"got shapes {years_f.shape} and {values.shape}"
        )
    level = float(_finite("level", level, scalar=True))
    years = np.asarray(years)
    above = values > level
    out: list[tuple[int, int]] = []
    for i in np.flatnonzero(above):
        y = int(years[i])
        if out and i > 0 and above[i - 1] and y == out[-1][1] + 1:
            out[-1] = (out[-1][0], y)
        else:
            out.append((y, y))
    return out


def explosion_threshold(phi: np.ndarray, **params: float) -> float:
    """The smallest returns to capability ``phi`` (on a grid) at which the loop explodes
    (by :func:`lossylib.growth.regime_map`: blows up, or is on its way to, with no
    ceiling ahead).

    Other parameters as in :func:`lossylib.growth.simulate`, on top of :data:`LOOP`;
    ``nan`` if no value on the (non-empty) grid explodes.

    Examples
    --------
    >>> round(explosion_threshold(np.linspace(0, 1.5, 31)), 2)  # lam = 0.5: phi > 0.5
    0.55
    """
    phi = _finite("phi", phi)
    if phi.size == 0:
        raise ValueError("phi must hold at least one value, got an empty grid")
    regimes = regime_map(TIMES, phi=phi, **{**LOOP, **params})
    exploding = np.asarray(phi)[regimes == "explodes"]
    return float(exploding.min()) if exploding.size else float("nan")


def redundancy(
    agents: np.ndarray, *, tries: int = TRIES, pool: int = POOL, zipf: float = 1.0
) -> np.ndarray:
    """Distinct ideas per draw when ``agents`` agents make ``tries`` draws each.

    1.0 means no duplicated work; agents drawing from a shared skewed distribution
    (``zipf`` > 0: copies of one model favouring the same ideas) duplicate each other.
    ``agents`` must be > 0, ``tries`` and ``pool`` whole numbers >= 1 (``pool`` at most
    :data:`~lossylib.growth.model.MAX_CELLS`).

    Examples
    --------
    >>> eff = redundancy(np.array([1, 64]))
    >>> bool(eff[1] < eff[0])
    True
    """
    agents = _positive("agents", agents)
    tries = _count("tries", tries)
    pool = _count("pool", pool, 1, MAX_CELLS)
    draws = agents * tries
    return expected_distinct(draws, idea_pool(pool, zipf)) / draws


#: The lab set-ups compared in the diversity experiment: (labs, copy_every,
#: restart_after). A lab that restarts starts a new climb after 28 failed tries in a row
#: (twice the number of design choices), so it keeps using its budget.
SETUPS = {
    "16 labs": (16, None, None),
    "2 labs": (2, None, None),
    "16 labs that restart": (16, None, 28),
    "2 labs that restart": (2, None, 28),
    "16 labs that copy the leader": (16, 4, None),
}


def diversity(
    k: int, *, n: int = CHOICES, trials: int = LANDSCAPES, budget: int = 2048, seed: int = 0
) -> dict[str, SearchResult]:
    """Best payoff found against total effort for each set-up in :data:`SETUPS`.

    The same ``trials`` NK landscapes (ruggedness ``k``) and the same total budget for
    every set-up (see :func:`~lossylib.growth.search.nk_landscapes` and
    :func:`~lossylib.growth.search.search`; ``seed`` an integer >= 0).

    Examples
    --------
    >>> out = diversity(0, n=8, trials=3, budget=64)
    >>> sorted(out) == sorted(SETUPS)
    True
    """
    seed = _count("seed", seed, 0)
    fitness = nk_landscapes(n, k, trials=trials, seed=seed)
    return {
        name: search(
            fitness, labs=labs, budget=budget, copy_every=copy, restart_after=rs, seed=seed + 1
        )
        for name, (labs, copy, rs) in SETUPS.items()
    }


def diversity_gaps(
    ks=(0, 2, 4, 6, 8, 10), **kwargs: int
) -> dict[int, dict[str, tuple[float, float]]]:
    """Gaps in best payoff found (share of the optimum) between set-ups, per ruggedness.

    For each ``k``: ``"many - few"`` (16 labs against 2, neither restarting),
    ``"many - few, restarting"`` (both restarting) and ``"many - copying"`` (16
    independent labs against 16 that copy the leader), each as (mean, standard error)
    over the landscapes (paired: the same landscapes for both set-ups).

    Examples
    --------
    >>> g = diversity_gaps((0,), n=8, trials=3, budget=64)
    >>> sorted(g[0])
    ['many - copying', 'many - few', 'many - few, restarting']
    """
    try:
        ks = tuple(ks)
    except TypeError:
        got = _show(ks)
        raise ValueError(f"ks must be a sequence of k values, got {got}") from None
    if not ks:
        raise ValueError("ks must hold at least one k, got an empty sequence")
    pairs = {
        "many - few": ("16 labs", "2 labs"),
        "many - few, restarting": ("16 labs that restart", "2 labs that restart"),
        "many - copying": ("16 labs", "16 labs that copy the leader"),
    }
    out = {}
    for k in ks:
        runs = diversity(k, **kwargs)
        out[k] = {}
        for label, (a, b) in pairs.items():
            d = runs[a].best[:, -1] - runs[b].best[:, -1]
            out[k][label] = mean_se(d)
    return out


def parallel_evidence(
    agents: int, *, tries: int = TRIES, pool: int = POOL
) -> dict[str, float | bool]:
    """The numbers behind claim 12 for ``agents`` agents (a whole number >= 1) and for four
    times as many: new ideas per attempt for copies of one model (Zipf) and for agents
    drawing uniformly at random from the same pool, and the throughput (USL, in units of
    one agent's work) under the assumed coordination costs :data:`USL` (``usl_serial``,
    ``usl_crosstalk``; ``overhead_measured`` is False: nothing here measures them).

    Examples
    --------
    >>> e = parallel_evidence(64)
    >>> bool(e["new_per_attempt_copies"] < e["new_per_attempt_uniform"])
    True
    >>> bool(e["new_per_attempt_copies_4x_agents"] < e["new_per_attempt_copies"])
    True
    """
    agents = _count("agents", agents)
    n = np.array([agents, 4 * agents])
    copies = redundancy(n, tries=tries, pool=pool, zipf=1.0)
    uniform = redundancy(n, tries=tries, pool=pool, zipf=0.0)
    return {
        "agents": int(agents),
        "new_per_attempt_copies": float(copies[0]),
        "new_per_attempt_copies_4x_agents": float(copies[1]),
        "new_per_attempt_uniform": float(uniform[0]),
        "new_per_attempt_uniform_4x_agents": float(uniform[1]),
        "throughput": float(parallel_speedup(float(agents), **USL)),
        "throughput_4x_agents": float(parallel_speedup(4.0 * agents, **USL)),
        "throughput_peak_agents": float(usl_peak(**USL)),
        "usl_serial": USL["serial"],
        "usl_crosstalk": USL["crosstalk"],
        "overhead_measured": False,
    }


def conditions_evidence(loss_power: float = 1.0) -> dict[str, float | str]:
    """The numbers behind claim 11: explosion thresholds on a grid of ``phi`` for a
    closed loop, an open loop (90% automatable) and a loss, the shapes of three runs,
    and the smallest proportional loss that stops the run at phi = 0.8
    (:func:`~lossylib.growth.loop.smallest_growth_rate`); the loss term is
    ``loss * A^loss_power``, ``loss`` being :data:`CONDITIONS_LOSS` (``loss_power`` a
    number >= 0).

    Examples
    --------
    >>> conditions_evidence()["regime_high_returns_with_loss"]
    'explodes'
    """
    loss_power = float(_nonnegative("loss_power", loss_power, scalar=True))
    phi = np.linspace(-0.5, 1.5, 81)
    lossy = {"loss": CONDITIONS_LOSS, "loss_power": loss_power}
    runs = {
        "high_returns_with_loss": {"phi": 0.8, **lossy},
        "unit_returns_open_loop": {"phi": 0.5, "automation": 0.9},
        "low_returns_with_loss": {"phi": 0.3, **lossy},
    }
    shapes = {name: str(regime_map(TIMES, **{**LOOP, **p})) for name, p in runs.items()}
    return {
        "lam": LOOP["lam"],
        "loss": CONDITIONS_LOSS,
        "loss_power": float(loss_power),
        "phi_threshold_closed_loop": explosion_threshold(phi),
        "phi_threshold_automation_0.9": explosion_threshold(phi, automation=0.9),
        "phi_threshold_with_loss": explosion_threshold(phi, **lossy),
        **{f"regime_{k}": v for k, v in shapes.items()},
        "stopping_loss_high_returns": float(smallest_growth_rate(phi=0.8, **LOOP)),
    }
