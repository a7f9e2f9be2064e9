"""A Gaussian refitted to its own samples, generation after generation.

Each generation draws ``n`` samples from the previous generation's fitted normal
distribution and fits a new one (mean and variance). Sampling at a temperature ``T``
raises the fitted density to the power ``1 / T`` and renormalises, which for a normal
``N(mu, sigma^2)`` gives ``N(mu, T sigma^2)``: below 1 it narrows the distribution before
any fit, as a language model sampled cold does. With the maximum-likelihood variance
the expected variance shrinks by ``(n - 1) / n`` a generation; a typical run shrinks about
twice as fast; with the unbiased variance the mean is kept but a typical run still
collapses (Shumailov et al. 2024).

The fit only depends on the samples' count, mean and sum of squared deviations, and for
normal samples these are exactly ``N(mu, sigma^2 / n)`` and ``sigma^2 chi^2_{n-1}``,
independent. ``method="exact"`` draws them directly (one normal and one chi-square per
trial and generation, whatever ``n``); ``method="samples"`` draws every sample. The tests
hold the two to each other in distribution.

Examples
--------
>>> v = refit_gaussian(n=10, generations=5, trials=4, seed=1)
>>> v.shape
(4, 6)
>>> float(v[0, 0])
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

import numpy as np
from scipy import special

from lossylib.checks import (
    as_float_array,
    check_bool,
    check_int,
    check_real,
    check_seed,
    check_size,
)

from ._validate import check_temperature
from .policies import DataPolicy, as_policy

ESTIMATORS = ("mle", "unbiased")
METHODS = ("exact", "samples")


@dataclass(frozen=True)
class GaussianRuns:
    """Fitted means and variances of many runs, shape ``(trials, generations + 1)``."""

    means: np.ndarray
    variances: np.ndarray
    n: int
    estimator: str
    policy: DataPolicy
    temperature: float = 1.0


def _check(n, generations, trials, estimator, method) -> tuple[int, int, int]:
    n = check_int(n, "n", 2)
    generations = check_int(generations, "generations", 0)
    trials = check_int(trials, "trials", 1)
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator must be one of {ESTIMATORS}, got {estimator!r}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    return n, generations, trials


def _divisor(count: np.ndarray | int, estimator: str):
    return count if estimator == "mle" else count - 1


def _draw(rng, mu, var, size: int, method: str):
    """Sufficient statistics ``(count, mean, m2)`` of ``size`` samples per trial."""
    trials = mu.shape[0]
    if method == "exact":
        mean = mu + np.sqrt(var / size) * rng.standard_normal(trials)
        m2 = var * rng.chisquare(size - 1, trials) if size > 1 else np.zeros(trials)
    else:
        x = mu[:, None] + np.sqrt(var)[:, None] * rng.standard_normal((trials, size))
        mean = x.mean(axis=1)
        m2 = ((x - mean[:, None]) ** 2).sum(axis=1)
    return np.full(trials, float(size)), mean, m2


def _merge(a, b):
    """Chan et al.'s pairwise update of ``(count, mean, m2)`` (stable for tiny variances)."""
    if a is None:
        return b
    if b is None:
        return a
    na, ma, sa = a
    nb, mb, sb = b
    n = na + nb
    delta = mb - ma
    return n, ma + delta * nb / n, sa + sb + delta**2 * na * nb / n


def _fast_replace(n, generations, trials, estimator, rng, keep_means, temperature=1.0):
    """Replacement with exact statistics: a cumulative product over generations.

    Works generation-major (contiguous rows) and returns transposed views. From
    generation 2 on the samples come from ``N(mu, temperature * sigma^2)``; at
    temperature 1 nothing is multiplied, so the draws are those of plain sampling.
    """
    d = _divisor(n, estimator)
    variances = np.empty((generations + 1, trials))
    variances[0] = 1.0
    factors = variances[1:]
    rng.standard_gamma((n - 1) / 2, out=factors)  # chi^2_{n-1} / 2
    factors *= 2 / d
    if temperature != 1.0:
        factors[1:] *= temperature  # generation 1 is fitted to real data
    np.cumprod(factors, axis=0, out=factors)
    means = None
    if keep_means:
        means = np.empty((generations + 1, trials))
        means[0] = 0.0
        steps = means[1:]
        rng.standard_normal(out=steps)
        steps *= np.sqrt(variances[:-1] / n)
        if temperature != 1.0:
            steps[1:] *= np.sqrt(temperature)
        np.cumsum(steps, axis=0, out=steps)
        means = means.T
    return means, variances.T


def simulate_gaussian(
    n: int = 100,
    generations: int = 100,
    trials: int = 1000,
    *,
    estimator: str = "mle",
    policy: str | DataPolicy = "replace",
    method: str = "exact",
    temperature: float = 1.0,
    keep_means: bool = True,
    seed: int | None = 0,
) -> GaussianRuns:
    """Refit a normal distribution to its own samples; keep every fitted mean and variance.

    Parameters
    ----------
    n : int
        Samples drawn per generation (>= 2).
    generations : int
        Number of refits (>= 0); generation 0 is the real distribution N(0, 1).
    trials : int
        Independent runs, simulated together.
    estimator : {"mle", "unbiased"}
        Divide the sum of squared deviations by the sample count or by the count minus one.
    policy : str or DataPolicy
        ``"replace"``, ``"accumulate"`` or ``"fresh"`` (see :mod:`.policies`).
    method : {"exact", "samples"}
        Draw the sufficient statistics directly, or every sample.
    temperature : float
        Sampling temperature (> 0) of the models: from generation 2 on each draws from
        ``N(mu, temperature * sigma^2)``, its own fit raised to the power
        ``1 / temperature``. Generation 1 is fitted to real data and real data is never
        sharpened. At 1 (the default) the runs are those of plain sampling, draw for draw.
    keep_means : bool
        Also return the fitted means (``None`` otherwise, which halves the memory).
    seed : int or None
        Seed for ``np.random.default_rng``.

    Returns
    -------
    GaussianRuns

    Examples
    --------
    >>> runs = simulate_gaussian(n=20, generations=3, trials=2, policy="accumulate")
    >>> runs.means.shape, runs.variances.shape
    ((2, 4), (2, 4))
    >>> plain = simulate_gaussian(n=20, generations=50, trials=500)
    >>> cold = simulate_gaussian(n=20, generations=50, trials=500, temperature=0.8)
    >>> ratio = cold.variances[:, -1] / plain.variances[:, -1]
    >>> bool(np.allclose(ratio, 0.8**49))  # the same draws, narrowed at 49 samplings
    True
    """
    n, generations, trials = _check(n, generations, trials, estimator, method)
    temperature = check_temperature(temperature)
    keep_means = check_bool(keep_means, "keep_means")
    check_size(trials * (generations + 1), "trials * (generations + 1)")
    if method == "samples":
        check_size(trials * n, "trials * n")
    pol = as_policy(policy)
    rng = np.random.default_rng(check_seed(seed))
    if pol.name == "replace" and method == "exact":
        means, variances = _fast_replace(
            n, generations, trials, estimator, rng, keep_means, temperature
        )
        return GaussianRuns(means, variances, n, estimator, pol, temperature)
    variances = np.ones((trials, generations + 1))
    means = np.zeros((trials, generations + 1)) if keep_means else None
    mu, var = np.zeros(trials), np.ones(trials)
    zero, one = np.zeros(trials), np.ones(trials)
    pooled = None
    for t in range(1, generations + 1):
        synthetic, real = pol.split(n) if t > 1 else (n, 0)
        source = var * temperature if t > 1 and temperature != 1.0 else var
        new = _draw(rng, mu, source, synthetic, method) if synthetic else None
        if real:
            new = _merge(new, _draw(rng, zero, one, real, method))
        pooled = pol.combine(pooled, new, merge=_merge)
        count, mu, m2 = pooled
        var = m2 / _divisor(count, estimator)
        variances[:, t] = var
        if keep_means:
            means[:, t] = mu
    return GaussianRuns(means, variances, n, estimator, pol, temperature)


def steps_toward(runs: GaussianRuns, target: float = 0.0) -> np.ndarray:
    """Every step of the runs' fitted means, in units of its own spread, signed toward
    ``target`` (positive toward it).

    Under replacement the fitted mean's step from generation ``t - 1`` to ``t`` is
    ``N(0, s^2 / n)``, with ``s^2`` the variance the samples were drawn from (the last fit's,
    times the temperature from generation 2 on), whatever the past. Divided by its spread
    and signed by the direction toward ``target``, each step is then exactly ``N(0, 1)``
    if nothing pulls the runs, so their mean is 0 with standard error ``1 / sqrt(size)``;
    a pull toward ``target`` shows as a positive mean. Steps from a mean exactly at
    ``target`` have no direction toward it and are left out.

    Examples
    --------
    >>> runs = simulate_gaussian(n=20, generations=100, trials=400, seed=3)
    >>> z = steps_toward(runs)
    >>> bool(abs(z.mean()) < 4 / np.sqrt(z.size))  # no pull toward the original mean
    True
    """
    if not isinstance(runs, GaussianRuns):
        kind = type(runs).__name__
        raise TypeError(f"runs must be GaussianRuns (see simulate_gaussian), got {kind}")
    if runs.means is None:
        raise ValueError("runs must keep their fitted means (keep_means=True)")
    if runs.policy.name != "replace":
        raise ValueError(f"steps_toward needs the 'replace' policy, got {runs.policy.label!r}")
    target = check_real(target, "target")
    mu = runs.means[:, :-1]
    drawn = runs.variances[:, :-1].copy()
    drawn[:, 1:] *= runs.temperature  # generation 1 drew real data
    spread = np.sqrt(drawn / runs.n)
    gap = target - mu
    ok = (gap != 0) & (spread > 0)
    return (np.sign(gap) * np.diff(runs.means, axis=1))[ok] / spread[ok]


def refit_gaussian(
    n: int = 100,
    generations: int = 100,
    trials: int = 1000,
    estimator: str = "mle",
    *,
    policy: str | DataPolicy = "replace",
    method: str = "exact",
    temperature: float = 1.0,
    seed: int | None = 0,
) -> np.ndarray:
    """Fitted variances of recursively refitted Gaussians, shape ``(trials, generations + 1)``.

    Generation 0 is the true variance 1. See :func:`simulate_gaussian` for the parameters.

    Examples
    --------
    >>> v = refit_gaussian(n=100, generations=1000, trials=500, seed=0)
    >>> v.shape
    (500, 1001)
    """
    runs = simulate_gaussian(
        n,
        generations,
        trials,
        estimator=estimator,
        policy=policy,
        method=method,
        temperature=temperature,
        keep_means=False,
        seed=seed,
    )
    return runs.variances


def expected_variance(
    n: int, generations: int, estimator: str = "mle", temperature: float = 1.0
) -> np.ndarray:
    """E[sigma_t^2] for t = 0..generations under replacement: ``((n - 1) / n)^t`` (MLE) or
    1 (unbiased), times ``temperature^(t - 1)`` from generation 1 on when the models are
    sampled at a temperature (generation 1 is fitted to real data).

    Examples
    --------
    >>> expected_variance(10, 2).round(3).tolist()
    [1.0, 0.9, 0.81]
    >>> expected_variance(10, 2, temperature=0.5).round(3).tolist()
    [1.0, 0.9, 0.405]
    """
    n, generations, _ = _check(n, generations, 1, estimator, "exact")
    temperature = check_temperature(temperature)
    check_size(generations + 1, "generations + 1")
    factor = (n - 1) / n if estimator == "mle" else 1.0
    t = np.arange(generations + 1, dtype=float)
    out = factor**t
    if temperature != 1.0:
        out *= temperature ** np.maximum(t - 1, 0)
    return out


def variance_sd(n: int, generations: int, estimator: str = "mle") -> np.ndarray:
    """Standard deviation of sigma_t^2 across runs, t = 0..generations, under replacement.

    Each step multiplies the variance by ``chi^2_{n-1} / d`` (``d = n`` for the MLE,
    ``n - 1`` unbiased), independently, so ``E[sigma_t^4] = ((n-1)(n+1) / d^2)^t``. Divided
    by the square root of the number of runs, this is the standard error of their mean
    variance. The runs' own spread understates it: it is carried by rare wide runs that a
    finite sample tends to miss.

    Examples
    --------
    >>> variance_sd(100, 2).round(4).tolist()
    [0.0, 0.1407, 0.198]
    """
    n, generations, _ = _check(n, generations, 1, estimator, "exact")
    d = n if estimator == "mle" else n - 1
    second = ((n - 1) * (n + 1) / d**2) ** np.arange(generations + 1, dtype=float)
    return np.sqrt(np.maximum(second - expected_variance(n, generations, estimator) ** 2, 0))


def log_variance_step(n: int, estimator: str = "mle") -> tuple[float, float]:
    """Mean and variance of ``log(sigma_t^2 / sigma_{t-1}^2)`` under replacement.

    The ratio is ``chi^2_{n-1} / d`` with ``d = n`` (MLE) or ``n - 1`` (unbiased), so the
    mean is ``digamma((n-1)/2) + log(2/d)`` and the variance ``trigamma((n-1)/2)``.

    Examples
    --------
    >>> m, v = log_variance_step(100)
    >>> round(m * 100, 2)  # about -2/n: twice the MLE mean's -1/n
    -2.02
    """
    n, _, _ = _check(n, 0, 1, estimator, "exact")
    d = n if estimator == "mle" else n - 1
    k = (n - 1) / 2
    return float(special.digamma(k) + math.log(2 / d)), float(special.polygamma(1, k))


def typical_variance(n: int, generations: int, estimator: str = "mle") -> np.ndarray:
    """The geometric-mean variance ``exp(E[log sigma_t^2])``, t = 0..generations.

    ``log sigma_t^2`` is a sum of ``t`` independent steps, so its median approaches its
    mean and this is what a typical (median) run follows.

    Examples
    --------
    >>> bool(typical_variance(100, 100)[-1] < expected_variance(100, 100)[-1])
    True
    """
    m, _ = log_variance_step(n, estimator)
    generations = check_int(generations, "generations", 0)
    check_size(generations + 1, "generations + 1")
    return np.exp(m * np.arange(generations + 1))


def expected_mean_drift(n: int, generations: int, estimator: str = "mle") -> np.ndarray:
    """E[mu_t^2] under replacement: ``1 - ((n-1)/n)^t`` (MLE) or ``t / n`` (unbiased).

    The fitted mean takes steps of variance ``sigma_t^2 / n``; with the MLE fit they sum to
    at most 1, the variance of the real distribution: where a run collapses has at most
    the variance of one draw from the original (though it is more peaked in the centre).

    Examples
    --------
    >>> float(expected_mean_drift(10, 1000)[-1]).__round__(6)
    1.0
    """
    ev = expected_variance(n, generations, estimator)
    return np.concatenate([[0.0], np.cumsum(ev[:-1]) / n])


def tail_beyond(
    variance: float | np.ndarray, k: float = 2.0, mean: float | np.ndarray = 0.0
) -> float | np.ndarray:
    """Mass of a normal of this variance and mean beyond ``k`` real standard deviations.

    The real distribution is ``N(0, 1)``, so ``tail_beyond(1.0)`` is the real tail mass
    (4.6% for ``k = 2``): the mass of ``N(mean, variance)`` outside ``[-k, k]``. A fitted
    run has its own mean as well as its own variance; pass both (arrays broadcast) to get
    each run's tail mass. With ``mean = 0`` a variance below 1 puts less mass out there;
    a mean that has wandered off puts more on one side.

    Examples
    --------
    >>> round(float(tail_beyond(1.0)), 4)
    0.0455
    >>> float(tail_beyond(0.25)) < 1e-4
    True
    >>> float(tail_beyond(0.25, mean=1.5)) > float(tail_beyond(1.0))  # drifted run
    True
    """
    if isinstance(variance, (bool, np.bool_)):
        raise ValueError(f"variance must be a number, got {variance!r}")
    if isinstance(mean, (bool, np.bool_)):
        raise ValueError(f"mean must be a number, got {mean!r}")
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, Real):
        raise ValueError(f"k must be a number, got {k!r}")
    v = as_float_array(variance, "variance")
    mu = as_float_array(mean, "mean")
    if np.any(~(v >= 0)) or not (0 < k < np.inf):
        raise ValueError(f"variance must be >= 0 and k finite and > 0, got {variance}, {k}")
    if not np.all(np.isfinite(mu)):
        raise ValueError(f"mean must be finite, got {mean!r}")
    v, mu = np.broadcast_arrays(v, mu)
    sd = np.sqrt(v)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = special.ndtr((-k - mu) / sd) + special.ndtr((mu - k) / sd)
    # a point mass (variance 0) is beyond k only if it sits strictly outside [-k, k]
    out = np.where(sd > 0, out, (np.abs(mu) > k).astype(float))
    return float(out) if out.ndim == 0 else out
