"""Curating generated data: filters and verifiers inside a recursive vocabulary loop.

The model is a categorical distribution over ``V`` valid tokens (the real distribution,
e.g. Zipf) and ``W`` wrong ones (answers the real data never contains). Generation 1 is
the frequencies of ``samples`` real tokens. Each later generation samples from the
previous model; the generator errs, turning each valid sample into a uniformly chosen
wrong token with probability ``error``; a curation step then decides which samples to
train on; and the new model is the frequencies of what was kept (combined with earlier
data by a :class:`lossylib.collapse.DataPolicy`). Curation steps:

``likelihood``
    drop the ``strength`` fraction of samples the current model finds least likely;
``quality``
    keep the top ``1 - strength`` fraction by a fixed reward model's score: the real
    log-probability of a valid token, that of the rarest valid token minus one nat for a
    wrong one, plus Gaussian noise (``quality_noise``) drawn once per token and run;
``informed``
    reweight the samples towards the real distribution: draw the kept samples (with
    replacement, ``1 - strength`` as many) from the generated ones with weights
    p_real / p_model, zero for wrong tokens. A reward model that knows the real
    frequencies; it can only pick tokens that were generated;
verifier
    (with any filter) keep each valid sample with probability ``1 - false_reject`` and
    each wrong one with probability ``false_accept``; ``false_accept=1, false_reject=0``
    is no verifier.

Every step only picks among generated samples, so no curation can make the model produce
a token its predecessor could not: with a counting model (``smoothing = 0``) filters
never widen the support. A model with ``smoothing > 0`` adds that pseudo-count to every
token, so it never rules a token out (like a softmax): then a rare token can be
generated again and a filter can favour it. ``retrieve`` replaces that share of each
generation's samples with tokens drawn from a stored real corpus (generation 1's
sample): generation that retrieves from memory. ``pool`` draws that many candidates per
sample the filter keeps (best-of-``pool`` selection): the filter keeps ``(1 - strength) /
pool`` of the candidates, so a larger pool gives it more to choose from, though still
only what was generated.

Without real data the wrong share ``m`` follows, ignoring sampling noise, the odds
recursion ``x_t = k (x_{t-1} + error)`` with ``x = m / (1 - m)`` and
``k = false_accept / ((1 - false_reject)(1 - error))``: it settles at
``x* = k error / (1 - k)`` when ``k < 1`` and grows until wrong answers take over when
``k >= 1`` (see :func:`wrong_share_theory`).

Examples
--------
>>> import numpy as np
>>> counts = np.array([[5, 3, 2]])
>>> keep_top(counts, np.array([[0.1, 0.5, 0.4]]), keep=0.5).tolist()
[[0, 3, 2]]
>>> runs = curate_vocabulary(np.full(20, 0.05), 200, 5, error=0.1, false_accept=0.0)
>>> float(runs.wrong_share.max())
0.0
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lossylib.checks import as_float_array, check_int, check_real, check_seed, check_size
from lossylib.collapse import DataPolicy, as_policy
from lossylib.collapse._validate import MAX_SAMPLES, check_probabilities

FILTERS = (None, "likelihood", "quality", "informed", "informed-scaled")


def _rate(value: object, name: str) -> float:
    return check_real(value, name, low=0.0, high=1.0)


def _counts(counts: object) -> np.ndarray:
    c = np.asarray(counts)
    if c.ndim != 2 or not np.issubdtype(c.dtype, np.integer) or np.any(c < 0):
        got = f"shape {c.shape}, dtype {c.dtype}"
        got += f", min {c.min()}" if c.size and c.dtype.kind in "iufb" else ""
        rule = "a 2-D array of non-negative integers (trials, tokens)"
        raise ValueError(f"counts must be {rule}, got {got}")
    return c


def _per_token(values: object, counts: np.ndarray, name: str) -> np.ndarray:
    """``values`` (per token, or per trial and token) broadcast to the counts' shape."""
    arr = as_float_array(values, name)
    if arr.shape not in (counts.shape, counts.shape[1:]):
        raise ValueError(
            f"{name} must have shape {counts.shape} or ({counts.shape[1]},) like "
            f"counts, got {arr.shape}"
        )
    return np.broadcast_to(arr, counts.shape)


def _check_rng(rng: object) -> None:
    if not isinstance(rng, (np.random.Generator, np.random.RandomState)):
        kind = type(rng).__name__
        raise TypeError(f"rng must be a numpy Generator (default_rng), got {kind}")


def keep_top(counts: np.ndarray, scores: np.ndarray, keep: float) -> np.ndarray:
    """Keep the ``keep`` fraction of each row's samples with the highest scores.

    ``counts[i, j]`` is how many samples of token ``j`` trial ``i`` drew and
    ``scores[i, j]`` (or ``scores[j]``) the token's score; ties go to the lower index,
    and the token on the boundary keeps part of its count. Every entry of the result is
    at most the matching count.

    Examples
    --------
    >>> keep_top(np.array([[4, 4]]), np.array([1.0, 2.0]), keep=0.75).tolist()
    [[2, 4]]
    """
    c = _counts(counts)
    keep = _rate(keep, "keep")
    return _keep_top(c, _scores(scores, c, "scores"), keep)


def _scores(scores: object, c: np.ndarray, name: str) -> np.ndarray:
    s = _per_token(scores, c, name)
    if np.any(np.isnan(s)):
        raise ValueError(f"{name} must not contain NaN")
    return s


def _keep_top(
    c: np.ndarray, s: np.ndarray, keep: float, rng: np.random.Generator | None = None
) -> np.ndarray:
    quota = np.round(keep * c.sum(axis=1, keepdims=True)).astype(np.int64)
    s = np.broadcast_to(s, c.shape)
    if rng is None:
        order = np.argsort(-s, axis=1, kind="stable")
    else:  # ties in a random order: shuffle the tokens, then sort stably
        shuffled = np.argsort(rng.random(c.shape), axis=1)
        ranks = np.argsort(-np.take_along_axis(s, shuffled, axis=1), axis=1, kind="stable")
        order = np.take_along_axis(shuffled, ranks, axis=1)
    ranked = np.take_along_axis(c, order, axis=1)
    before = np.cumsum(ranked, axis=1) - ranked
    kept = np.clip(quota - before, 0, ranked)
    out = np.empty_like(c)
    np.put_along_axis(out, order, kept, axis=1)
    return out


def drop_unlikely(
    counts: np.ndarray,
    model: np.ndarray,
    drop: float,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """Drop the ``drop`` fraction of samples that ``model`` (same shape) finds least likely.

    Tokens the model finds equally likely are dropped in a random order drawn from
    ``rng``; without one, the higher index goes first (so ties favour low indices).

    Examples
    --------
    >>> drop_unlikely(np.array([[6, 3, 1]]), np.array([[0.6, 0.3, 0.1]]), 0.2).tolist()
    [[6, 2, 0]]
    """
    c = _counts(counts)
    drop = _rate(drop, "drop")
    if rng is not None:
        _check_rng(rng)
    return _keep_top(c, _scores(model, c, "model"), 1.0 - drop, rng)


def _scale(c: np.ndarray, w: np.ndarray, keep: float) -> np.ndarray:
    """Counts times weights, rescaled to ``keep`` times each row's total (fractional)."""
    with np.errstate(over="ignore", invalid="ignore"):
        mass = np.where(c > 0, c * w, 0.0)
        total = mass.sum(axis=1, keepdims=True)
        out = mass * (keep * c.sum(axis=1, keepdims=True) / np.where(total > 0, total, 1.0))
    return np.where(total > 0, out, 0.0)


def reweight(
    counts: np.ndarray, weights: np.ndarray, keep: float, rng: np.random.Generator
) -> np.ndarray:
    """Draw ``keep`` times each row's total of samples, with replacement, from its
    samples weighted by ``weights`` (per token): selection that can only pick tokens that
    were drawn.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> reweight(np.array([[5, 0, 5]]), np.array([1.0, 9.0, 0.0]), 1.0, rng).tolist()
    [[10, 0, 0]]
    """
    c = _counts(counts)
    keep = _rate(keep, "keep")
    _check_rng(rng)
    w = _per_token(weights, c, "weights")
    if np.any(~np.isfinite(w)) or np.any(w < 0):
        raise ValueError(f"weights must be finite and >= 0, got {w.min()} to {w.max()}")
    with np.errstate(over="ignore"):
        mass = c * w
        total = mass.sum(axis=1, keepdims=True)
    if not np.all(np.isfinite(total)):
        raise ValueError(f"weights must keep counts * weights finite, got {w.max()}")
    n = np.round(keep * c.sum(axis=1)).astype(np.int64)
    out = np.zeros_like(c)
    for i in np.flatnonzero(total[:, 0] > 0):
        out[i] = rng.multinomial(n[i], mass[i] / total[i, 0])
    return out


def verify(
    counts: np.ndarray,
    valid: np.ndarray,
    false_accept: float,
    false_reject: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """A noisy verifier: keep valid samples w.p. ``1 - false_reject``, wrong ones w.p.
    ``false_accept`` (independently per sample). ``valid`` is a boolean array, per
    token or shaped like ``counts``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> verify(np.array([[5, 5]]), np.array([True, False]), 0.0, 0.0, rng).tolist()
    [[5, 0]]
    """
    c = _counts(counts)
    a, r = _rate(false_accept, "false_accept"), _rate(false_reject, "false_reject")
    _check_rng(rng)
    v = np.asarray(valid)
    if v.dtype != bool:
        raise ValueError(f"valid must be a boolean array (per token), got {valid!r}")
    v = _per_token(v, c, "valid") > 0
    keep = np.where(v, 1.0 - r, a)
    return rng.binomial(c, keep)


def wrong_share_theory(
    error: float, false_accept: float, false_reject: float, generations: int
) -> np.ndarray:
    """The wrong share of generations 1..``generations`` without sampling noise (replace).

    Examples
    --------
    >>> wrong_share_theory(0.1, 1.0, 0.0, 3).round(3).tolist()
    [0.0, 0.1, 0.19]
    >>> float(wrong_share_theory(0.1, 0.0, 0.0, 5).max())
    0.0
    """
    e = _rate(error, "error")
    a, r = _rate(false_accept, "false_accept"), _rate(false_reject, "false_reject")
    generations = check_int(generations, "generations", 1)
    check_size(generations, "generations")
    out = np.zeros(generations)
    m = 0.0
    for t in range(1, generations):
        wrong = a * (m + e * (1 - m))
        right = (1 - r) * (1 - e) * (1 - m)
        m = wrong / (wrong + right) if wrong + right > 0 else m
        out[t] = m
    return out


def critical_false_accept(error: float, false_reject: float) -> float:
    """The false-accept rate at which a verifier stops holding the errors down.

    With ``k = false_accept / critical_false_accept(error, false_reject)`` the wrong share
    settles when ``k < 1`` and takes over when ``k >= 1``: the verifier must admit wrong
    samples less often than the generator produces right ones that it keeps,
    ``(1 - false_reject) * (1 - error)``.

    Examples
    --------
    >>> round(critical_false_accept(0.2, 0.3), 4)
    0.56
    >>> critical_false_accept(0.0, 0.0)
    1.0
    """
    e = _rate(error, "error")
    r = _rate(false_reject, "false_reject")
    return (1.0 - r) * (1.0 - e)


def wrong_share_limit(error: float, false_accept: float, false_reject: float) -> float:
    """Where the wrong share settles without sampling noise (1.0 when it takes over).

    Examples
    --------
    >>> round(wrong_share_limit(0.1, 0.5, 0.0), 4)
    0.1111
    """
    e = _rate(error, "error")
    a = _rate(false_accept, "false_accept")
    critical = critical_false_accept(e, false_reject)
    if e == 0.0:
        return 0.0
    if critical == 0.0:
        return 1.0 if a > 0 else 0.0
    k = a / critical
    if k >= 1:
        return 1.0
    odds = k * e / (1 - k)
    return odds / (1 + odds)


@dataclass(frozen=True)
class CurationRuns:
    """Per trial (rows) and generation 1..G (columns): what curation did to the model.

    ``support`` counts valid tokens the model can still produce; ``wrong_share`` is its
    probability of a wrong token; ``distance`` its total-variation distance to the real
    distribution; ``admitted`` the share of generated samples that passed curation.
    """

    support: np.ndarray
    wrong_share: np.ndarray
    distance: np.ndarray
    admitted: np.ndarray
    policy: DataPolicy = field(default_factory=DataPolicy)


def curate_vocabulary(
    p: np.ndarray,
    samples: int,
    generations: int,
    trials: int = 1,
    *,
    wrong: int | None = None,
    error: float = 0.05,
    filter: str | None = None,
    strength: float = 0.0,
    false_accept: float = 1.0,
    false_reject: float = 0.0,
    quality_noise: float = 1.0,
    smoothing: float = 0.0,
    retrieve: float = 0.0,
    policy: str | DataPolicy = "replace",
    seed: int | None = 0,
    pool: int = 1,
) -> CurationRuns:
    """Run the curated loop described in the module docstring.

    Parameters
    ----------
    p : array of shape (V,)
        The real distribution over valid tokens (sums to one).
    samples, generations, trials : int
        Tokens per generation (>= 2, at most 10**15), generations (>= 1; generation 1 is
        real data) and independent runs.
    wrong : int, optional
        Number of wrong tokens (default ``V``).
    error : float
        The generator's chance of turning a valid sample into a wrong one, in [0, 1].
    filter : {None, "likelihood", "quality", "informed", "informed-scaled"}
        ``informed`` resamples the samples, with replacement, with weights
        ``p_real / p_model``; ``informed-scaled`` scales their counts by those weights
        instead (fractional counts, no second round of sampling; not with a verifier).
    strength : float
        The share of samples the filter drops, in [0, 1).
    false_accept, false_reject : float
        The verifier's error rates, in [0, 1].
    quality_noise : float
        Noise of the ``quality`` reward model (>= 0, at most 1e100).
    smoothing : float
        Pseudo-count added to every token when the model is built (>= 0, at most
        1e100).
    retrieve : float
        Share of each later generation's samples retrieved from the stored real corpus
        instead of generated, in [0, 1].
    policy : str or DataPolicy
        How each generation's data combines with earlier data.
    seed : int or None
    pool : int
        Candidates generated per sample kept (>= 1): the filter keeps ``(1 - strength)
        / pool`` of ``pool`` times as many generated samples. Above 1 it needs a filter
        (``likelihood``, ``quality``, ``informed`` or ``informed-scaled``) and no verifier.

    Examples
    --------
    >>> from lossylib.collapse import zipf
    >>> r = curate_vocabulary(zipf(100), 1000, 10, trials=2, filter="likelihood", strength=0.1)
    >>> r.support.shape
    (2, 10)
    >>> best_of_4 = curate_vocabulary(zipf(100), 1000, 10, filter="informed", pool=4)
    >>> float(best_of_4.admitted[0, 1])  # a quarter of the candidates kept
    0.25
    """
    p0 = check_probabilities(p)
    samples = check_int(samples, "samples", 2, MAX_SAMPLES)
    generations = check_int(generations, "generations", 1)
    trials = check_int(trials, "trials", 1)
    nv = p0.size
    nw = nv if wrong is None else check_int(wrong, "wrong", 1)
    check_size(trials * generations, "trials * generations")
    check_size(trials * (nv + nw), "trials * (len(p) + wrong)")
    error = _rate(error, "error")
    if filter not in FILTERS:
        raise ValueError(f"filter must be one of {FILTERS}, got {filter!r}")
    strength = check_real(strength, "strength", low=0.0, high=1.0)
    if strength == 1.0:
        raise ValueError("strength must be below 1 (a filter that drops everything)")
    false_accept = _rate(false_accept, "false_accept")
    false_reject = _rate(false_reject, "false_reject")
    quality_noise = check_real(quality_noise, "quality_noise", low=0.0, high=1e100)
    smoothing = check_real(smoothing, "smoothing", low=0.0, high=1e100)
    retrieve = _rate(retrieve, "retrieve")
    pol = as_policy(policy)
    pool = check_int(pool, "pool", 1)
    if pool * samples > MAX_SAMPLES:
        raise ValueError(f"pool * samples must be at most {MAX_SAMPLES:,}, got {pool * samples:,}")
    if pool > 1 and (filter is None or false_accept < 1.0 or false_reject > 0.0):
        raise ValueError(f"pool={pool} needs a filter to choose with, and no verifier")
    rng = np.random.default_rng(check_seed(seed))
    if filter == "informed-scaled" and (false_accept < 1.0 or false_reject > 0.0):
        raise ValueError("filter 'informed-scaled' keeps fractional counts: no verifier")

    real = np.concatenate([p0, np.zeros(nw)])
    valid = np.arange(nv + nw) < nv
    verifying = false_accept < 1.0 or false_reject > 0.0
    if filter == "quality":
        floor = np.log(p0[p0 > 0].min()) - 1.0
        base = np.concatenate([np.log(np.where(p0 > 0, p0, np.exp(floor))), np.full(nw, floor)])
        scores = base + quality_noise * rng.standard_normal((trials, nv + nw))

    shape = (trials, generations)
    support, wrong_share, distance = np.empty(shape), np.empty(shape), np.empty(shape)
    admitted = np.ones(shape)
    model = np.tile(real, (trials, 1))
    pooled = None
    for t in range(generations):
        if t == 0:
            new = rng.multinomial(samples, real, size=trials)
            corpus = new / samples  # the stored real sample that retrieval draws from
        else:
            synthetic, n_real = pol.split(samples)
            n_stored = int(round(retrieve * synthetic))
            synthetic -= n_stored
            made = pool * synthetic  # candidates generated
            drawn = rng.multinomial(made, model) if synthetic else np.zeros_like(pooled)
            if error > 0 and synthetic:
                slips = rng.binomial(drawn[:, :nv], error)
                drawn[:, :nv] -= slips
                drawn[:, nv:] += rng.multinomial(slips.sum(axis=1), np.full(nw, 1 / nw))
            kept = drawn
            share = (1.0 - strength) / pool  # of the candidates, the filter keeps
            if filter == "likelihood" and share < 1:
                kept = drop_unlikely(kept, model, 1.0 - share, rng)  # ties at random
            elif filter == "quality" and share < 1:
                kept = keep_top(kept, scores, share)
            elif filter == "informed":
                kept = reweight(kept, real / np.maximum(model, 1e-300), share, rng)
            elif filter == "informed-scaled":
                kept = _scale(kept, real / np.maximum(model, 1e-300), share)
            if verifying:
                kept = verify(kept, valid, false_accept, false_reject, rng)
            if synthetic:
                admitted[:, t] = kept.sum(axis=1) / made
            new = kept
            if n_stored:
                new = new + np.stack([rng.multinomial(n_stored, c) for c in corpus])
            if n_real:
                new = new + rng.multinomial(n_real, real, size=trials)
        pooled = pol.combine(pooled, new)
        total = pooled.sum(axis=1, keepdims=True)
        # a generation whose data was all rejected leaves the model as it was
        with np.errstate(invalid="ignore", divide="ignore"):  # unused where total is 0
            smoothed = (pooled + smoothing) / (total + smoothing * (nv + nw))
        model = np.where(total > 0, smoothed, model)
        seen = (pooled[:, :nv] > 0).sum(axis=1)  # tokens the model has data for
        support[:, t] = np.where(total[:, 0] > 0, seen, support[:, t - 1] if t else seen)
        wrong_share[:, t] = model[:, nv:].sum(axis=1)
        distance[:, t] = 0.5 * np.abs(model - real).sum(axis=1)
    return CurationRuns(support.astype(np.int64), wrong_share, distance, admitted, pol)
