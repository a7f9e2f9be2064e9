"""A categorical "vocabulary" refitted from its own samples' counts.

Each generation samples ``samples`` tokens from the previous model (after an optional
sampling policy: temperature, top-k, top-p) and the new model is the observed frequencies.
A token whose count reaches zero has probability zero and is never sampled again: under
replacement a zero count is absorbing. With plain sampling (temperature 1) the process is
the Wright-Fisher model of population genetics: each token's expected probability stays
put, while the Gini-Simpson diversity ``1 - sum p^2`` shrinks by ``1 - 1/samples`` a
generation and the support only shrinks.

Examples
--------
>>> p = zipf(100)
>>> runs = refit_categorical(p, samples=1000, generations=5, trials=2, seed=0)
>>> runs.support.shape
(2, 6)
>>> int(runs.support[0, 0])
100
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lossylib.checks import (
    as_float_array,
    check_generation_list,
    check_int,
    check_real,
    check_seed,
    check_size,
)
from lossylib.stats import standard_error

from ._validate import MAX_SAMPLES, check_entries, check_probabilities, check_temperature
from .policies import DataPolicy, as_policy


def zipf(size: int, exponent: float = 1.0) -> np.ndarray:
    """Zipf probabilities ``p_i ∝ 1 / i^exponent`` for ranks ``i = 1..size``.

    Examples
    --------
    >>> zipf(3).round(3).tolist()
    [0.545, 0.273, 0.182]
    """
    size = check_int(size, "size", 1)
    check_size(size, "size")
    exponent = check_real(exponent, "exponent", low=0.0)
    w = np.arange(1, size + 1, dtype=float) ** -exponent
    return w / w.sum()


def entropy(p: np.ndarray, axis: int = -1) -> np.ndarray:
    """Shannon entropy in bits along ``axis`` (zeros contribute nothing).

    ``p`` holds probabilities: finite, non-negative and summing to one along ``axis``
    (within 1e-6), else ``ValueError``.

    Examples
    --------
    >>> float(entropy(np.array([0.5, 0.5, 0.0])))
    1.0
    """
    p = as_float_array(p, "p")
    if p.ndim == 0 or p.size == 0:
        raise ValueError(f"p must be a non-empty array, got shape {p.shape}")
    if axis is not None:
        axis = check_int(axis, "axis", -p.ndim, p.ndim - 1)
    check_entries(p, "p")
    with np.errstate(over="ignore"):
        total = p.sum(axis=axis)
    worst = np.max(np.abs(total - 1.0))
    if worst > 1e-6:
        raise ValueError(f"p must sum to one along axis {axis}, off by {worst:.10g}")
    logs = np.log2(np.where(p > 0, p, 1.0))
    return -(p * logs).sum(axis=axis) + 0.0  # no negative zero


def sharpen(
    p: np.ndarray,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
) -> np.ndarray:
    """The distribution a model samples from after temperature, top-k and top-p.

    Works on the last axis of ``p`` (rows of a 2-D array are separate distributions).
    Temperature raises probabilities to ``1 / temperature``; top-k keeps the ``k`` most
    probable tokens; top-p keeps the smallest set of most probable tokens holding at least
    ``top_p`` of the mass. The result is renormalised; zeros stay zero.

    Examples
    --------
    >>> sharpen(np.array([0.5, 0.3, 0.2]), top_k=2).round(3).tolist()
    [0.625, 0.375, 0.0]
    >>> sharpen(np.array([0.5, 0.3, 0.2]), top_p=0.7).round(3).tolist()
    [0.625, 0.375, 0.0]
    """
    temperature = check_temperature(temperature)
    q = np.array(as_float_array(p, "p"), ndmin=1)
    if q.shape[-1] == 0:
        raise ValueError(f"p must not be empty, got shape {q.shape}")
    check_entries(q, "p")
    if np.any(q.max(axis=-1) == 0):
        raise ValueError("p must have a positive entry in every row, got all zeros")
    if temperature != 1.0:
        with np.errstate(divide="ignore"):
            logq = np.log(q)
        logq -= logq.max(axis=-1, keepdims=True)
        q = np.exp(logq / temperature)
    if top_k is not None:
        top_k = check_int(top_k, "top_k", 1)
        if top_k < q.shape[-1]:
            order = np.argsort(-q, axis=-1, kind="stable")
            np.put_along_axis(q, order[..., top_k:], 0.0, axis=-1)
    if top_p is not None:
        top_p = check_real(top_p, "top_p", low=0.0, high=1.0, low_open=True)
        q = q / q.sum(axis=-1, keepdims=True)
        order = np.argsort(-q, axis=-1, kind="stable")
        sorted_q = np.take_along_axis(q, order, axis=-1)
        before = np.cumsum(sorted_q, axis=-1) - sorted_q
        drop = before >= top_p * (1 - 1e-12)
        np.put_along_axis(q, order, np.where(drop, 0.0, sorted_q), axis=-1)
    return q / q.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class CategoricalRuns:
    """What happened to the vocabulary, per trial (rows) and generation (columns).

    ``forgotten_at[i, j]`` is the first generation at which token ``j`` had probability zero
    in trial ``i`` (-1 if never). ``snapshots`` maps each kept generation to the models'
    probabilities, ``(trials, V)``.
    """

    support: np.ndarray
    entropy: np.ndarray
    tail_mass: np.ndarray
    diversity: np.ndarray
    forgotten_at: np.ndarray
    snapshots: dict[int, np.ndarray] = field(repr=False)
    head: int = 0
    policy: DataPolicy = field(default_factory=DataPolicy)


def refit_categorical(
    p: np.ndarray,
    samples: int = 10_000,
    generations: int = 100,
    trials: int = 1,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    policy: str | DataPolicy = "replace",
    head: int | None = None,
    keep: tuple[int, ...] = (),
    seed: int | None = 0,
) -> CategoricalRuns:
    """Refit a categorical distribution from the counts of its own samples.

    Parameters
    ----------
    p : array of shape (V,)
        The real distribution (generation 0); must sum to one.
    samples : int
        Tokens drawn per generation (>= 2, at most 10**15).
    generations, trials : int
        Number of refits (>= 0) and of independent runs (>= 1).
    temperature, top_k, top_p
        The sampling policy models use (see :func:`sharpen`); real data is never sharpened.
    policy : str or DataPolicy
        ``"replace"``, ``"accumulate"`` or ``"fresh"`` (see :mod:`.policies`).
    head : int, optional
        The number of most probable tokens of ``p`` that are *not* the tail
        (default ``V // 10``); ``tail_mass`` is the mass on the others.
    keep : tuple of int
        Generations (in 0..generations) whose full distributions are returned in
        ``snapshots``.
    seed : int or None
        Seed for ``np.random.default_rng``.

    Returns
    -------
    CategoricalRuns

    Examples
    --------
    >>> runs = refit_categorical(zipf(50), samples=100, generations=20, temperature=0.5)
    >>> bool(runs.support[0, -1] < 50)
    True
    """
    p0 = check_probabilities(p)
    samples = check_int(samples, "samples", 2, MAX_SAMPLES)
    generations = check_int(generations, "generations", 0)
    trials = check_int(trials, "trials", 1)
    check_size(trials * (generations + 1), "trials * (generations + 1)")
    check_size(trials * p0.size, "trials * len(p)")
    sharp = dict(temperature=check_temperature(temperature), top_k=top_k, top_p=top_p)
    sharpen(np.ones(1), **sharp)  # validate the sampling policy early
    pol = as_policy(policy)
    vsize = p0.size
    head = max(1, vsize // 10) if head is None else check_int(head, "head", 0)
    keep = check_generation_list(keep, "keep", generations)
    rng = np.random.default_rng(check_seed(seed))
    tail_tokens = np.argsort(-p0, kind="stable")[head:]
    model = np.tile(p0, (trials, 1))
    shape = (trials, generations + 1)
    out = {k: np.empty(shape) for k in ("support", "entropy", "tail", "div")}
    forgotten = np.full((trials, vsize), -1, dtype=np.int64)
    snapshots: dict[int, np.ndarray] = {}
    pooled = None
    for t in range(generations + 1):
        if t:
            synthetic, real = pol.split(samples) if t > 1 else (samples, 0)
            source = sharpen(model, **sharp) if t > 1 else model
            new = rng.multinomial(synthetic, source) if synthetic else 0
            if real:
                new = new + rng.multinomial(real, p0, size=trials)
            pooled = pol.combine(pooled, new)
            model = pooled / pooled.sum(axis=1, keepdims=True)
        zero = model == 0
        forgotten[zero & (forgotten < 0)] = t
        out["support"][:, t] = vsize - zero.sum(axis=1)
        out["entropy"][:, t] = entropy(model)
        out["tail"][:, t] = model[:, tail_tokens].sum(axis=1)
        out["div"][:, t] = 1 - (model**2).sum(axis=1)
        if t in keep:
            snapshots[t] = model.copy()
    return CategoricalRuns(
        out["support"].astype(np.int64),
        out["entropy"],
        out["tail"],
        out["div"],
        forgotten,
        snapshots,
        head,
        pol,
    )


def leader_takeover(early: np.ndarray, late: np.ndarray, token: int = 0) -> dict[str, float]:
    """Where runs end when ``token`` does not lead early: does it come back, or does the
    token that leads take over?

    ``early`` and ``late`` are the models of the same runs at an early and a late
    generation, shape ``(runs, V)`` (``CategoricalRuns.snapshots``). Only the runs where
    another token is more probable than ``token`` at the early generation count; in each,
    the *leader* is the most probable token there (the first one if tied). For ``token``
    and for the leader the result holds its mean probability at the late generation (1
    in a run it has taken over, so the share of runs it took over once they all have
    one token left), its mean probability at the early generation, and the difference
    with its standard error over runs (paired, run by run).

    With plain sampling each token's probability is a martingale, so whichever token is
    picked by what happened up to the early generation, its late probability is on
    average its early one and both differences are 0 within chance. A pull toward
    ``token`` (say, the original mode) shows as a positive ``token_excess``; a
    self-reinforcing pull toward whatever leads shows as a positive ``leader_excess``.

    Returns ``runs`` (how many runs count), ``token_late``, ``token_early``,
    ``token_excess``, ``token_excess_se`` and the same four for ``leader``.

    Examples
    --------
    >>> early = np.array([[0.2, 0.5, 0.3], [0.1, 0.3, 0.6], [0.6, 0.2, 0.2]])
    >>> late = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    >>> r = leader_takeover(early, late)  # the third run, led by token 0, does not count
    >>> r["runs"], r["leader_late"], round(r["leader_early"], 2), r["token_late"]
    (2, 1.0, 0.55, 0.0)
    """
    early = as_float_array(early, "early")
    late = as_float_array(late, "late")
    if early.ndim != 2 or early.shape != late.shape:
        raise ValueError(
            f"early and late must be (runs, V) arrays of one shape, got {early.shape} "
            f"and {late.shape}"
        )
    check_entries(early, "early")
    check_entries(late, "late")
    token = check_int(token, "token", 0, early.shape[1] - 1)
    led = early[:, token] < early.max(axis=1)
    runs = int(led.sum())
    if runs < 2:
        raise ValueError(
            f"at least 2 runs must have a token ahead of token {token} early, got {runs}"
        )
    rows = np.flatnonzero(led)
    leader = early[rows].argmax(axis=1)
    out: dict[str, float] = {"runs": runs}
    for name, cols in (("token", np.full(runs, token)), ("leader", leader)):
        before, after = early[rows, cols], late[rows, cols]
        gain = after - before
        out[f"{name}_late"] = float(after.mean())
        out[f"{name}_early"] = float(before.mean())
        out[f"{name}_excess"] = float(gain.mean())
        out[f"{name}_excess_se"] = standard_error(gain)
    return out


def expected_diversity(p: np.ndarray, samples: int, generations: int) -> np.ndarray:
    """E[1 - sum p_t^2] under replacement at temperature 1: ``(1 - 1/samples)^t (1 - sum p^2)``.

    Examples
    --------
    >>> expected_diversity(np.array([0.5, 0.5]), 2, 2).tolist()
    [0.5, 0.25, 0.125]
    """
    p0 = check_probabilities(p)
    samples = check_int(samples, "samples", 2)
    generations = check_int(generations, "generations", 0)
    check_size(generations + 1, "generations + 1")
    return (1 - (p0**2).sum()) * (1 - 1 / samples) ** np.arange(generations + 1)


def forget_probability(expected_count: float, generations: int) -> np.ndarray:
    """P(a token is forgotten by generation t), t = 0..generations, for a rare token.

    A token expected ``c = samples * p`` times in generation 1 behaves, while rare, like a
    critical branching process with Poisson offspring: with ``q_0 = 0`` and
    ``q_{s+1} = exp(q_s - 1)`` (one copy's lineage extinct within ``s`` generations),
    ``P(forgotten by t) = exp(-c (1 - q_{t-1}))``. The median time to forget grows about
    linearly with the count, close to ``2.9 c`` generations.

    Examples
    --------
    >>> forget_probability(1.0, 2).round(3).tolist()
    [0.0, 0.368, 0.531]
    """
    c = check_real(expected_count, "expected_count", low=0.0)
    generations = check_int(generations, "generations", 0)
    check_size(generations + 1, "generations + 1")
    out = np.zeros(generations + 1)
    q = 0.0
    for t in range(1, generations + 1):
        out[t] = np.exp(-c * (1 - q))
        q = np.exp(q - 1)
    return out


def median_forget_time(expected_count: float, horizon: int = 100_000) -> int:
    """The first generation at which :func:`forget_probability` reaches one half.

    ``expected_count = 0`` (a token no sample is expected to contain) gives 1: it is
    gone from generation 1 on. ``horizon`` (>= 1) is the last generation looked at.

    Examples
    --------
    >>> median_forget_time(1.0)
    2
    """
    horizon = check_int(horizon, "horizon", 1)
    check_size(horizon + 1, "horizon + 1")
    probs = forget_probability(expected_count, horizon)
    hits = np.nonzero(probs >= 0.5)[0]
    if hits.size == 0:
        raise ValueError(f"the median time exceeds the horizon of {horizon} generations")
    return int(hits[0])


def forget_time_bins(
    forgotten_at: np.ndarray, p: np.ndarray, samples: int, bins: int = 39
) -> dict[str, np.ndarray]:
    """Median generation at which tokens are forgotten, pooled over runs in ``bins``
    bins of expected count, geometric from the smallest count (at least 0.2) to the
    largest.

    A token still present at the end (``forgotten_at < 0``) counts as forgotten after the
    last generation simulated, so a bin is kept only if more than half of its tokens (over
    all runs) were forgotten within the runs. Near that horizon this keeps a bin only when
    its tokens happened to go early, and its median can sit below the theory's.

    Returns ``count`` (the mean expected count of a bin's tokens), ``median``, ``tokens``
    (tokens in a bin, in each run), ``forgotten`` (the share of them forgotten within the
    runs) and ``theory`` (:func:`median_forget_time` of the bin's count), one entry per
    kept bin, in order of count.

    Examples
    --------
    >>> p = zipf(1000)
    >>> runs = refit_categorical(p, samples=10_000, generations=40, trials=2, seed=0)
    >>> b = forget_time_bins(runs.forgotten_at, p, 10_000)
    >>> bool(np.all(b["forgotten"] > 0.5)) and bool(np.all(b["median"] <= 40))
    True
    """
    forgotten_at = np.asarray(forgotten_at)
    p = np.asarray(p, dtype=float)
    samples = check_int(samples, "samples", 1)
    bins = check_int(bins, "bins", 1)
    if forgotten_at.ndim != 2 or p.shape != forgotten_at.shape[1:]:
        shape = forgotten_at.shape
        raise ValueError(f"forgotten_at must have shape (runs, {p.size}), got {shape}")
    counts = p * samples
    times = np.where(forgotten_at >= 0, forgotten_at, np.inf)
    edges = np.geomspace(max(counts.min(), 0.2), counts.max(), bins + 1)
    keys = ("count", "median", "tokens", "forgotten", "theory")
    out: dict[str, list] = {k: [] for k in keys}
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        in_bin = (counts >= lo) & (counts < hi)
        if not in_bin.any():
            continue
        median = np.median(times[:, in_bin])
        if np.isfinite(median):
            count = float(counts[in_bin].mean())
            out["count"].append(count)
            out["median"].append(float(median))
            out["tokens"].append(int(in_bin.sum()))
            out["forgotten"].append(float(np.isfinite(times[:, in_bin]).mean()))
            out["theory"].append(median_forget_time(count, horizon=int(10 * count) + 100))
    return {k: np.array(v) for k, v in out.items()}
