"""A two-component Gaussian mixture refitted to its own samples (Shumailov et al. 2024).

Each generation draws ``n`` samples from the previous fit and runs a few steps of
expectation-maximisation, started from the previous fit (the new model continues the old
one). The smaller component's weight wanders and can reach zero, after which no sample
can bring it back; each component's spread shrinks like the single Gaussian's; the tails
of the mixture go first.

Examples
--------
>>> runs = refit_mixture(n=100, generations=3, trials=2, seed=0)
>>> runs.weights.shape
(2, 4, 2)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import special

from lossylib.checks import as_float_array, check_int, check_real, check_seed, check_size

from .policies import DataPolicy, as_policy

_SD_FLOOR = 1e-6


@dataclass(frozen=True)
class Mixture:
    """A 1-D Gaussian mixture: ``weights``, ``means`` and standard deviations ``sds``.

    The weights are non-negative and sum to one; means and sds are finite and at most
    1e100 in size (the sds > 0). Anything else raises ``ValueError``.
    """

    weights: tuple[float, ...] = (0.9, 0.1)
    means: tuple[float, ...] = (0.0, 4.0)
    sds: tuple[float, ...] = (1.0, 0.5)

    def __post_init__(self) -> None:
        names = ("weights", "means", "sds")
        w, mu, sd = (as_float_array(getattr(self, name), name) for name in names)
        if w.ndim != 1 or w.size < 1 or mu.shape != w.shape or sd.shape != w.shape:
            raise ValueError(
                "weights, means and sds must have the same non-zero length, got "
                f"{self.weights!r}, {self.means!r}, {self.sds!r}"
            )
        if not np.all(np.isfinite(w)) or np.any(w < 0) or abs(w.sum() - 1) > 1e-8:
            rule = "must be non-negative and sum to one"
            raise ValueError(f"mixture weights {rule}, got {self.weights!r}")
        # beyond 1e100 the squares of the EM steps leave the float range
        if not np.all(np.abs(mu) <= 1e100):
            rule = "must be finite, |mean| <= 1e100"
            raise ValueError(f"mixture means {rule}, got {self.means!r}")
        if not np.all((sd > 0) & (sd <= 1e100)):
            raise ValueError(f"mixture sds must be > 0 and <= 1e100, got {self.sds!r}")

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """The mixture's cumulative distribution function at ``x``."""
        return _cdf(np.asarray(x, float), *(np.asarray(a)[None] for a in self._arrays()))[0]

    def _arrays(self):
        return np.asarray(self.weights), np.asarray(self.means), np.asarray(self.sds)


@dataclass(frozen=True)
class MixtureRuns:
    """Fitted parameters per trial and generation: arrays ``(trials, generations + 1, K)``."""

    weights: np.ndarray
    means: np.ndarray
    sds: np.ndarray
    start: Mixture
    policy: DataPolicy
    tail_mass: np.ndarray = field(repr=False)
    """Mass outside the real distribution's central 99% interval, ``(trials, generations+1)``."""


def _cdf(x, w, mu, sd):
    """Mixture CDF at ``x`` for parameter rows ``(trials, K)``; ``x`` scalar or ``(trials,)``."""
    z = (np.reshape(x, (-1, 1)) - mu) / sd
    return (w * special.ndtr(z)).sum(axis=-1)


def _sample(rng, w, mu, sd, size):
    """``size`` samples per trial from mixtures with parameter rows ``(trials, K)``."""
    trials = w.shape[0]
    cum = np.cumsum(w, axis=1)
    u = rng.random((trials, size)) * cum[:, -1:]
    comp = (u[:, :, None] >= cum[:, None, :]).sum(axis=2)
    comp = np.minimum(comp, w.shape[1] - 1)
    rows = np.arange(trials)[:, None]
    return mu[rows, comp] + sd[rows, comp] * rng.standard_normal((trials, size))


def _em(x, w, mu, sd, steps):
    """``steps`` EM updates for every trial at once, from the given parameters."""
    m = x.shape[1]
    for _ in range(steps):
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (x[:, :, None] - mu[:, None, :]) / sd[:, None, :]
            logp = np.log(w)[:, None, :] - 0.5 * z**2 - np.log(sd)[:, None, :]
            logp -= logp.max(axis=2, keepdims=True)
        r = np.exp(logp)
        r /= r.sum(axis=2, keepdims=True)
        nk = r.sum(axis=1)
        alive = nk > 1e-9
        safe = np.where(alive, nk, 1.0)
        new_mu = (r * x[:, :, None]).sum(axis=1) / safe
        new_var = (r * (x[:, :, None] - new_mu[:, None, :]) ** 2).sum(axis=1) / safe
        w = np.where(alive, nk / m, 0.0)
        mu = np.where(alive, new_mu, mu)
        sd = np.where(alive, np.sqrt(np.maximum(new_var, _SD_FLOOR**2)), sd)
    return w / w.sum(axis=1, keepdims=True), mu, sd


def refit_mixture(
    mixture: Mixture | None = None,
    n: int = 500,
    generations: int = 50,
    trials: int = 50,
    *,
    policy: str | DataPolicy = "replace",
    em_steps: int = 10,
    seed: int | None = 0,
) -> MixtureRuns:
    """Refit a Gaussian mixture to its own samples, many trials at once.

    Parameters
    ----------
    mixture : Mixture, optional
        The real distribution (default: weights 0.9 and 0.1 at 0 and 4).
    n : int
        Samples per generation (>= 2).
    generations, trials : int
        Number of refits (>= 0) and of independent runs (>= 1).
    policy : str or DataPolicy
        ``"replace"``, ``"accumulate"`` or ``"fresh"``.
    em_steps : int
        EM iterations per generation, warm-started from the previous fit.
    seed : int or None
        Seed for ``np.random.default_rng``.

    Returns
    -------
    MixtureRuns

    Examples
    --------
    >>> runs = refit_mixture(n=200, generations=2, trials=3, seed=1)
    >>> bool(np.allclose(runs.weights.sum(axis=2), 1))
    True
    """
    start = Mixture() if mixture is None else mixture
    if not isinstance(start, Mixture):
        raise TypeError(f"mixture must be a Mixture, got {type(start).__name__}")
    n = check_int(n, "n", 2)
    generations = check_int(generations, "generations", 0)
    trials = check_int(trials, "trials", 1)
    em_steps = check_int(em_steps, "em_steps", 1)
    pol = as_policy(policy)
    k = len(start.weights)
    check_size(trials * (generations + 1) * k, "trials * (generations + 1) * k")
    pooled_size = n * max(generations, 1) if pol.name == "accumulate" else n
    check_size(trials * pooled_size * k, "trials * (samples pooled) * k")
    rng = np.random.default_rng(check_seed(seed))
    w0, mu0, sd0 = (np.tile(a, (trials, 1)).astype(float) for a in start._arrays())
    out = {name: np.empty((trials, generations + 1, k)) for name in ("w", "mu", "sd")}
    w, mu, sd = w0, mu0, sd0
    lo, hi = _central_interval(start)
    tail = np.empty((trials, generations + 1))
    pooled = None
    for t in range(generations + 1):
        if t:
            synthetic, real = pol.split(n) if t > 1 else (n, 0)
            new = _sample(rng, w, mu, sd, synthetic)
            if real:
                new = np.concatenate([new, _sample(rng, w0, mu0, sd0, real)], axis=1)
            pooled = pol.combine(pooled, new, merge=lambda a, b: np.concatenate([a, b], 1))
            w, mu, sd = _em(pooled, w, mu, sd, em_steps)
        out["w"][:, t], out["mu"][:, t], out["sd"][:, t] = w, mu, sd
        tail[:, t] = 1 - _cdf(hi, w, mu, sd) + _cdf(lo, w, mu, sd)
    return MixtureRuns(out["w"], out["mu"], out["sd"], start, pol, tail)


def _central_interval(mixture: Mixture, mass: float = 0.99) -> tuple[float, float]:
    """The mixture's quantiles at ``(1 - mass)/2`` and ``(1 + mass)/2`` (bisection)."""
    mass = check_real(mass, "mass", low=0.0, high=1.0, low_open=True)
    w, mu, sd = mixture._arrays()
    grid = np.linspace((mu - 8 * sd).min(), (mu + 8 * sd).max(), 20001)
    cdf = _cdf(grid, w[None], mu[None], sd[None])
    return tuple(float(np.interp(q, cdf, grid)) for q in ((1 - mass) / 2, (1 + mass) / 2))
