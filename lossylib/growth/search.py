"""Many searchers at once: redundancy among parallel agents and diversity among labs.

Two small experiments behind claims 12 and 13.

*Redundancy.* Agents that draw ideas from the same distribution (copies of one model,
say) rediscover each other's ideas: with ``d`` draws from probabilities ``p`` the expected
number of distinct ideas is sum(1 - (1 - p_i)^d) (:func:`expected_distinct`), which
saturates however many agents are added.

*Diversity.* Labs search an NK landscape (Kauffman & Levin 1987): ``n`` binary choices
whose payoffs interact in groups of ``k + 1``, so that ``k = 0`` is smooth (one peak) and
large ``k`` is rugged (many local peaks). Each lab climbs by trying one change at a time
and keeping it if it helps; labs that copy the best lab's position explore less
(Lazer & Friedman 2007). :func:`search` reports the best payoff found, as a share of the
landscape's global optimum, against the total effort spent.

Examples
--------
>>> p = idea_pool(1000, zipf=1.0)
>>> bool(expected_distinct(10_000, p) < 1000)
True
>>> f = nk_landscapes(n=8, k=2, trials=2, seed=0)
>>> f.shape
(2, 256)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from lossylib.growth.model import MAX_CELLS, _count, _finite, _nonnegative, _show

#: The most steps each lab takes in one :func:`search` (``budget // labs``).
MAX_SEARCH_STEPS = 1_000_000


def _seed(seed: object) -> int | None:
    """A seed for ``np.random.default_rng``: an integer >= 0, or ``None`` (fresh
    entropy)."""
    return None if seed is None else _count("seed", seed, 0)


def idea_pool(size: int, zipf: float = 1.0) -> np.ndarray:
    """Probabilities of ``size`` ideas (1 to :data:`~lossylib.growth.model.MAX_CELLS`),
    p_i proportional to i^(-zipf) (0: all equally likely).

    Examples
    --------
    >>> idea_pool(4, zipf=0.0)
    array([0.25, 0.25, 0.25, 0.25])
    """
    size = _count("size", size, 1, MAX_CELLS)
    zipf = float(_nonnegative("zipf", zipf, scalar=True))
    w = np.arange(1, size + 1, dtype=float) ** (-float(zipf))
    return w / w.sum()


def expected_distinct(draws: ArrayLike, probs: ArrayLike) -> np.ndarray | float:
    """Expected number of distinct ideas among ``draws`` independent draws from
    ``probs`` (``draws`` finite and >= 0; ``probs`` a non-empty 1-D array of
    non-negative numbers summing to 1).

    Examples
    --------
    >>> expected_distinct(1, [0.5, 0.5])
    1.0
    """
    d = _nonnegative("draws", draws)
    p = _nonnegative("probs", probs)
    if p.ndim != 1 or p.size == 0:
        raise ValueError(f"probs must be a non-empty 1-D array, got shape {p.shape}")
    if abs(p.sum() - 1) > 1e-9:
        raise ValueError(f"probs must sum to 1, got a sum of {p.sum():.10g}")
    # 1 - (1 - p)^d, computed as -expm1(d log1p(-p)) for accuracy with small p, in chunks
    # of draws so that memory stays small for long pools
    with np.errstate(divide="ignore"):
        log_miss = np.log1p(-p)
    flat = d.ravel()
    out = np.empty(flat.shape)
    step = max(1, 1_000_000 // max(p.size, 1))
    for i in range(0, flat.size, step):
        with np.errstate(invalid="ignore"):
            exponent = np.multiply.outer(flat[i : i + step], log_miss)
        exponent = np.where(np.isnan(exponent), 0.0, exponent)  # 0 draws of a sure idea
        out[i : i + step] = -np.expm1(exponent).sum(axis=-1)
    out = out.reshape(d.shape)
    return float(out) if out.ndim == 0 else out


def simulate_distinct(
    agents: int, tries: int, probs: ArrayLike, *, trials: int = 100, seed: int = 0
) -> np.ndarray:
    """Distinct ideas found by ``agents`` agents making ``tries`` draws each (one per trial).

    ``trials * agents * tries`` may be at most :data:`~lossylib.growth.model.MAX_CELLS`;
    ``seed`` is an integer >= 0 (``None``: fresh entropy).

    Examples
    --------
    >>> simulate_distinct(2, 3, [1.0], trials=4)
    array([1, 1, 1, 1])
    """
    agents, tries, trials = (
        _count("agents", agents),
        _count("tries", tries),
        _count("trials", trials),
    )
    if trials * agents * tries > MAX_CELLS:
        got = f"{trials} * {agents} * {tries}"
        raise ValueError(f"trials * agents * tries must be <= {MAX_CELLS}, got {got}")
    p = _finite("probs", probs)
    expected_distinct(0, p)  # validates probs
    rng = np.random.default_rng(_seed(seed))
    draws = rng.choice(p.size, size=(trials, agents * tries), p=p)
    draws.sort(axis=1)
    return 1 + (np.diff(draws, axis=1) != 0).sum(axis=1)


def nk_landscapes(n: int = 14, k: int = 6, *, trials: int = 1, seed: int = 0) -> np.ndarray:
    """Payoffs of all 2^n positions of ``trials`` random NK landscapes, shape (trials, 2^n).

    The payoff of a position is the mean over the n loci of a random number (uniform on
    [0, 1)) looked up from the locus and its k right-hand neighbours (cyclically).
    ``n`` is at most 20, ``k`` below ``n``, and ``trials * 2^n`` at most
    :data:`~lossylib.growth.model.MAX_CELLS`.

    Examples
    --------
    >>> f = nk_landscapes(n=4, k=0, trials=1, seed=1)
    >>> f.shape, bool(0 <= f.min() and f.max() < 1)
    ((1, 16), True)
    """
    n, trials = _count("n", n), _count("trials", trials)
    k = _count("k", k, minimum=0)
    if n > 20 or k >= n:
        raise ValueError(f"need n <= 20 and k < n, got n={n}, k={k}")
    if trials * 2**n > MAX_CELLS:
        raise ValueError(f"trials * 2^n must be <= {MAX_CELLS}, got {trials} * 2^{n}")
    rng = np.random.default_rng(_seed(seed))
    tables = rng.random((trials, n, 2 ** (k + 1)))
    bits = (np.arange(2**n)[:, None] >> np.arange(n)) & 1  # (2^n, n)
    fitness = np.zeros((trials, 2**n))
    for i in range(n):
        index = sum(bits[:, (i + j) % n] << j for j in range(k + 1))
        fitness += tables[:, i, index]
    return fitness / n


@dataclass(frozen=True)
class SearchResult:
    """Best payoff found (share of the global optimum) after each amount of effort.

    ``effort`` is the total number of positions evaluated by all labs together; ``best``
    has shape (trials, len(effort)).
    """

    effort: np.ndarray
    best: np.ndarray

    @property
    def mean(self) -> np.ndarray:
        """The mean over trials."""
        return self.best.mean(axis=0)

    @property
    def sem(self) -> np.ndarray:
        """The standard error of that mean (it needs at least two trials)."""
        if self.best.shape[0] < 2:
            raise ValueError(f"sem needs at least 2 trials, got {self.best.shape[0]}")
        return self.best.std(axis=0, ddof=1) / np.sqrt(self.best.shape[0])


def search(
    fitness: np.ndarray,
    *,
    labs: int,
    budget: int,
    copy_every: int | None = None,
    restart_after: int | None = None,
    checkpoints: int = 32,
    seed: int = 0,
) -> SearchResult:
    """Labs hill-climb every landscape of ``fitness`` with a shared total ``budget``.

    Each lab starts at a random position and, once per step, tries flipping one random
    choice, keeping the change if the payoff rises; all labs step together, so ``labs``
    evaluations are spent per step and each lab gets ``budget // labs`` steps. With
    ``copy_every``, every that many steps each lab jumps to the best position any lab
    holds (imitation). With ``restart_after``, a lab whose last that many tries all
    failed (it is probably on a local peak) starts again from a new random position;
    the best payoff any lab has held so far is what counts.

    Parameters
    ----------
    fitness : ndarray
        Shape (trials, 2^n), from :func:`nk_landscapes`: finite, with a positive best
        payoff on every landscape (the payoffs are reported as a share of it).
    labs, budget : int
        Number of independent searchers; total evaluations (a multiple of ``labs``, at
        most :data:`MAX_SEARCH_STEPS` per lab).
    copy_every : int, optional
        Steps between imitations (never if ``None``).
    restart_after : int, optional
        Failed tries in a row after which a lab restarts (never if ``None``).
    checkpoints : int
        How many effort levels to report.
    seed : int
        Seeds the starts and the moves (>= 0; ``None``: fresh entropy).

    Examples
    --------
    >>> f = nk_landscapes(n=8, k=0, trials=3)
    >>> r = search(f, labs=2, budget=200)
    >>> bool(r.best[:, -1].min() > 0.99)  # a smooth landscape: every run finds the peak
    True
    """
    fitness = _finite("fitness", fitness)
    if (
        fitness.ndim != 2
        or fitness.shape[0] < 1
        or fitness.shape[1] < 2
        or fitness.shape[1] & (fitness.shape[1] - 1)
    ):
        raise ValueError(f"fitness must have shape (trials, 2^n), got {fitness.shape}")
    if np.any(fitness.max(axis=1) <= 0):
        raise ValueError(
            "fitness must have a positive best payoff on every landscape, "
            f"got {_show(fitness.max(axis=1))}"
        )
    labs, budget = _count("labs", labs), _count("budget", budget)
    if budget % labs:
        raise ValueError(f"budget ({budget}) must be a multiple of labs ({labs})")
    if budget // labs > MAX_SEARCH_STEPS:
        got = budget // labs
        raise ValueError(f"budget // labs must be <= {MAX_SEARCH_STEPS}, got {got}")
    if fitness.shape[0] * labs > MAX_CELLS:
        got = f"{fitness.shape[0]} * {labs}"
        raise ValueError(f"trials * labs must be <= {MAX_CELLS}, got {got}")
    if copy_every is not None:
        copy_every = _count("copy_every", copy_every)
    if restart_after is not None:
        restart_after = _count("restart_after", restart_after)
    checkpoints = _count("checkpoints", checkpoints)
    trials, size = fitness.shape
    n = size.bit_length() - 1
    steps = budget // labs
    rng = np.random.default_rng(_seed(seed))
    rows = np.arange(trials)[:, None]
    pos = rng.integers(0, size, (trials, labs))
    val = fitness[rows, pos]
    record = np.unique(np.linspace(1, steps, min(checkpoints, steps)).round().astype(int))
    best = np.empty((trials, record.size))
    top = fitness.max(axis=1)
    held = val.max(axis=1)
    failures = np.zeros((trials, labs), dtype=int)
    r = 0
    for step in range(1, steps + 1):
        cand = pos ^ (1 << rng.integers(0, n, (trials, labs)))
        cval = fitness[rows, cand]
        better = cval > val
        pos, val = np.where(better, cand, pos), np.where(better, cval, val)
        held = np.maximum(held, val.max(axis=1))
        if restart_after:
            failures = np.where(better, 0, failures + 1)
            stuck = failures >= restart_after
            if stuck.any():
                pos = np.where(stuck, rng.integers(0, size, (trials, labs)), pos)
                val = fitness[rows, pos]
                failures[stuck] = 0
                held = np.maximum(held, val.max(axis=1))
        if copy_every and step % copy_every == 0:
            lead = val.argmax(axis=1)
            pos = np.repeat(pos[np.arange(trials), lead][:, None], labs, axis=1)
            val = fitness[rows, pos]
        if step == record[r]:
            best[:, r] = held / top
            r += 1
    return SearchResult(record * labs, best)
