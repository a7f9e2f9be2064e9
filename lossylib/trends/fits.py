"""Growth curves fitted to data: exponential, logistic, and a line with one break.

All fits work on the logarithm of the values (multiplicative noise, as in data that
spans orders of magnitude):

- exponential: log v = a + b t;
- line: log v = log(c + b t), growth by a constant amount a year;
- logistic: log v = log K - log(1 + exp(-r (t - t0))), which grows like an exponential
  at rate r long before the inflection year t0 and levels off at the ceiling K after it;
- two segments: log v continuous in t with slope b1 before a break year and b2 after.

Examples
--------
>>> t = np.linspace(1970, 2020, 120)
>>> v = noisy_logistic(t, log_ceiling=10.0, rate=0.3, midpoint=2000.0, sigma=0.05, seed=1)
>>> fit = fit_logistic(t, v)
>>> round(fit.rate, 1), round(fit.midpoint)
(0.3, 2000)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize

from lossylib.checks import check_bool, check_real, check_seed
from lossylib.trends.trf import trf

#: The largest size of a year the fits accept (beyond it their squares lose all
#: precision long before they overflow).
MAX_YEAR = 1e12
#: The most bootstrap resamples, and candidate breaks times points, :func:`fit_break`
#: takes (each candidate needs a row of the data's length in memory).
MAX_BOOT, MAX_GRID = 100_000, 10_000_000


def _floats(x: ArrayLike, name: str) -> np.ndarray:
    """``x`` as a float array, or a one-line error naming ``name``."""
    if x is None:
        raise TypeError(f"{name} must be numbers, got None")
    try:
        return np.asarray(x, dtype=float)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be numbers ({err})") from None


def _times(t: ArrayLike, name: str = "t") -> np.ndarray:
    """Finite times as a float array (any shape), or a one-line error."""
    arr = _floats(t, name)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {arr[~np.isfinite(arr)].flat[0]}")
    return arr


def _xy(years: ArrayLike, values: ArrayLike, least: int) -> tuple[np.ndarray, np.ndarray]:
    t = _floats(years, "years")
    v = _floats(values, "values")
    if t.ndim != 1 or t.shape != v.shape:
        raise ValueError(f"years and values must be 1-d of one length, got {t.shape}, {v.shape}")
    if t.size < least:
        raise ValueError(f"need at least {least} points, got {t.size}")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(v))):
        raise ValueError("years and values must be finite (no NaN or inf)")
    if np.any(v <= 0):
        raise ValueError("values must be positive (the fits work on their logarithm)")
    size = float(np.abs(t).max())
    if size > MAX_YEAR:
        raise ValueError(f"years must be at most {MAX_YEAR:.0e} in size, got {size:g}")
    if np.ptp(t) <= 1e-9 * size:  # equal, or too close to be told apart in a fit
        raise ValueError(f"years must not all be equal, got a span of {np.ptp(t):g}")
    return t, np.log(v)


def _aic(sse: float, n: int, k: int) -> float:
    """Akaike's information criterion of a least-squares fit with Gaussian errors."""
    return n * math.log(max(sse, 1e-300) / n) + 2 * k


def _log_logistic(t: np.ndarray, log_ceiling: float, rate: float, midpoint: float):
    return log_ceiling - np.logaddexp(0.0, -rate * (t - midpoint))


def log_logistic(t: ArrayLike, log_ceiling: float, rate: float, midpoint: float) -> np.ndarray:
    """log of the logistic curve K / (1 + exp(-rate (t - midpoint))), computed stably.

    Every argument must be finite.

    Examples
    --------
    >>> float(log_logistic(2000.0, 0.0, 1.0, 2000.0)) == -math.log(2)
    True
    """
    check_real(log_ceiling, "log_ceiling")
    check_real(rate, "rate")
    check_real(midpoint, "midpoint")
    return _log_logistic(_times(t), log_ceiling, rate, midpoint)


def noisy_logistic(
    years: ArrayLike,
    *,
    log_ceiling: float,
    rate: float,
    midpoint: float,
    sigma: float,
    seed: int = 0,
) -> np.ndarray:
    """Values of a logistic curve with log-normal noise of size ``sigma`` (seeded).

    Examples
    --------
    >>> v = noisy_logistic([1990, 2000], log_ceiling=1, rate=0.5, midpoint=2000,
    ...                    sigma=0.0)
    >>> bool(v[1] == math.e / 2)
    True
    """
    check_real(sigma, "sigma")
    if not (math.isfinite(sigma) and sigma >= 0):
        raise ValueError(f"sigma must be a non-negative number, got {sigma!r}")
    check_real(rate, "rate")
    if not (math.isfinite(rate) and rate > 0):
        raise ValueError(f"rate must be a positive number, got {rate!r}")
    check_real(log_ceiling, "log_ceiling")
    check_real(midpoint, "midpoint")
    check_seed(seed)
    t = _times(years, "years")
    noise = np.random.default_rng(seed).normal(0.0, sigma, t.shape)
    with np.errstate(over="ignore"):
        out = np.exp(_log_logistic(t, log_ceiling, rate, midpoint) + noise)
    if not np.all(np.isfinite(out)):
        raise ValueError(
            f"log_ceiling plus noise must stay below about 709 (exp overflows), "
            f"got log_ceiling {log_ceiling!r} with sigma {sigma!r}"
        )
    return out


@dataclass(frozen=True)
class ExpFit:
    """An exponential fit: log v = ``intercept`` + ``slope`` t (``growth`` = e^slope - 1)."""

    intercept: float
    slope: float
    sse: float
    n: int

    @property
    def growth(self) -> float:
        return math.expm1(self.slope)

    @property
    def aic(self) -> float:
        return _aic(self.sse, self.n, 2)

    def log_predict(self, t: ArrayLike) -> np.ndarray:
        return self.intercept + self.slope * _times(t)


def fit_exponential(years: ArrayLike, values: ArrayLike) -> ExpFit:
    """Least-squares fit of log(value) on year.

    Examples
    --------
    >>> f = fit_exponential([0, 1, 2], [1, 2, 4])
    >>> round(f.growth, 6), round(f.sse, 12)
    (1.0, 0.0)
    """
    t, y = _xy(years, values, 3)
    slope, intercept = np.polyfit(t, y, 1)
    sse = float(np.sum((y - intercept - slope * t) ** 2))
    return ExpFit(float(intercept), float(slope), sse, t.size)


@dataclass(frozen=True)
class LinearFit:
    """A straight line in the values, fitted on the log scale like the other curves:
    log v = log(``level`` + ``slope`` (t - ``center``)), two parameters."""

    level: float
    slope: float
    center: float
    sse: float
    n: int

    @property
    def aic(self) -> float:
        return _aic(self.sse, self.n, 2)

    def log_predict(self, t: ArrayLike) -> np.ndarray:
        v = self.level + self.slope * (_times(t) - self.center)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(v > 0, np.log(np.maximum(v, 1e-300)), -np.inf)


def fit_linear(years: ArrayLike, values: ArrayLike) -> LinearFit:
    """Least-squares fit of log(value) by the log of a line, so that its AIC compares
    with :func:`fit_exponential`'s on the same points (same errors, same count of
    parameters): a lower AIC says the values grow more like a line than an exponential.

    Examples
    --------
    >>> t = np.arange(2000.0, 2020.0)
    >>> f = fit_linear(t, 5.0 + 2.0 * (t - 2000))
    >>> round(f.slope, 6), round(f.sse, 12), bool(f.aic < fit_exponential(t, 5 + 2 * t).aic)
    (2.0, 0.0, True)
    """
    t, y = _xy(years, values, 3)
    center = float(t.mean())
    v = np.exp(y)
    slope, level = np.polyfit(t - center, v, 1)
    level = max(float(level), float(v.min()))  # the line at the data's centre is above 0

    def residual(p: np.ndarray) -> np.ndarray:
        return np.log(np.maximum(p[0] + p[1] * (t - center), 1e-300)) - y

    scale = [abs(level), abs(float(slope)) + 1e-12 * abs(level)]
    res = optimize.least_squares(residual, [level, float(slope)], x_scale=scale)
    return LinearFit(float(res.x[0]), float(res.x[1]), center, 2.0 * float(res.cost), t.size)


@dataclass(frozen=True)
class LogisticFit:
    """A logistic fit in log space, with the standard error of the log ceiling.

    ``log_ceiling_se`` comes from the Jacobian at the optimum (infinite when the data
    cannot pin the ceiling down); ``at_bound`` is true when the fit ran into the edge of
    the allowed ceilings, i.e. the data show no levelling off at all.
    """

    log_ceiling: float
    rate: float
    midpoint: float
    sse: float
    n: int
    log_ceiling_se: float
    at_bound: bool

    @property
    def aic(self) -> float:
        return _aic(self.sse, self.n, 3)

    def log_predict(self, t: ArrayLike) -> np.ndarray:
        return log_logistic(t, self.log_ceiling, self.rate, self.midpoint)


#: How far above the largest observed log value the fitted ceiling may go (e^30).
CEILING_ROOM = 30.0


def _logistic_residual(t: np.ndarray, y: np.ndarray):
    """The residuals of :func:`fit_logistic`: the fitted log values minus ``y``."""

    def residual(p: np.ndarray) -> np.ndarray:
        return _log_logistic(t, *p) - y

    return residual


def _logistic_jacobian(t: np.ndarray):
    """The Jacobian of :func:`_logistic_residual` in (log ceiling, rate, midpoint)."""

    def jacobian(p: np.ndarray) -> np.ndarray:
        d = t - p[2]
        s = p[1] * d
        np.clip(s, -700, 700, out=s)
        np.exp(s, out=s)
        s += 1.0
        np.divide(1.0, s, out=s)  # sigmoid(-r (t - t0))
        out = np.empty((t.size, 3))
        out[:, 0] = 1.0
        np.multiply(s, d, out=out[:, 1])
        np.multiply(s, -p[1], out=out[:, 2])
        return out

    return jacobian


def fit_logistic(years: ArrayLike, values: ArrayLike) -> LogisticFit:
    """Least-squares logistic fit of log(value), from several starting points.

    The rate is kept within (0, 5] a year and the log ceiling within
    :data:`CEILING_ROOM` of the largest observed log value (so an exponential-looking
    prefix gives a fit at that bound rather than an overflow).

    Examples
    --------
    >>> t = np.arange(0.0, 40.0)
    >>> f = fit_logistic(t, np.exp(log_logistic(t, 5.0, 0.4, 20.0)))
    >>> round(f.log_ceiling, 3), round(f.rate, 3), round(f.midpoint, 2), f.at_bound
    (5.0, 0.4, 20.0, False)
    """
    t, y = _xy(years, values, 4)
    top = float(y.max()) + CEILING_ROOM
    lo_t, hi_t = float(t.min()) - 100.0, float(t.max()) + 200.0
    lower = np.array([float(y.min()) - 5.0, 1e-4, lo_t])
    upper = np.array([top, 5.0, hi_t])
    slope = max(float(np.polyfit(t, y, 1)[0]), 0.01)
    residual, jacobian = _logistic_residual(t, y), _logistic_jacobian(t)
    best = None
    span = float(np.ptp(t))
    for frac, r in ((0.5, slope), (1.0, slope), (1.0, 2 * slope), (1.5, slope), (3.0, slope)):
        mid = float(t.min()) + frac * span
        k0 = float(np.interp(mid, t, y)) if frac <= 1 else y.max() + r * (mid - t.max())
        x0 = np.clip([k0 + math.log(2), min(r, 4.9), mid], lower, upper)
        res = trf(residual, jacobian, x0, lower, upper)
        if best is None or res.cost < best.cost:
            best = res
    sse = 2.0 * float(best.cost)
    jac = best.jac
    dof = max(t.size - 3, 1)
    try:
        cov = np.linalg.inv(jac.T @ jac) * sse / dof
        se = float(math.sqrt(cov[0, 0])) if cov[0, 0] >= 0 else math.inf
    except np.linalg.LinAlgError:
        se = math.inf
    log_k, r, mid = (float(x) for x in best.x)
    return LogisticFit(log_k, r, mid, sse, t.size, se, bool(log_k > top - 1e-3))


@dataclass(frozen=True)
class BreakFit:
    """A two-segment fit: the break year with its bootstrap interval and the annual
    growth (a fraction) before and after it, each with an interval."""

    year: float
    year_low: float
    year_high: float
    before: float
    before_low: float
    before_high: float
    after: float
    after_low: float
    after_high: float
    level: float
    boot: int
    sse: float = math.nan
    n: int = 0

    @property
    def aic(self) -> float:
        """AIC of the two-segment fit (four parameters: level, two slopes, break year)."""
        return _aic(self.sse, self.n, 4)


def _hinge_fits(t: np.ndarray, y: np.ndarray, candidates: np.ndarray):
    """For each candidate break: the SSE and the two slopes of the continuous fit.

    The fit's columns 1, min(t - c, 0), max(t - c, 0) span the same space as
    1, t, h = min(t - c, 0), so the normal equations need only a few sums per candidate.
    """
    centre = t.mean()  # centred years keep the normal equations well conditioned
    t, candidates = t - centre, candidates - centre
    h = np.minimum(t[None, :] - candidates[:, None], 0.0)
    n, st, stt, sy, sty = t.size, t.sum(), t @ t, y.sum(), t @ y
    sh, shh, sth, shy = h.sum(1), np.einsum("mn,mn->m", h, h), h @ t, h @ y
    xtx = np.empty((candidates.size, 3, 3))
    xtx[:, 0, 0], xtx[:, 0, 1], xtx[:, 1, 1] = n, st, stt
    xtx[:, 0, 2], xtx[:, 1, 2], xtx[:, 2, 2] = sh, sth, shh
    xtx[:, 1, 0], xtx[:, 2, 0], xtx[:, 2, 1] = st, sh, sth
    xty = np.stack([np.full_like(sh, sy), np.full_like(sh, sty), shy], axis=1)
    beta = np.linalg.solve(xtx + 1e-9 * np.eye(3), xty[..., None])[..., 0]
    sse = y @ y - np.einsum("mi,mi->m", beta, xty)
    return sse, beta[:, 1] + beta[:, 2], beta[:, 1]


def _best_break(t: np.ndarray, y: np.ndarray, candidates: np.ndarray, sse_too: bool = False):
    sse, b1, b2 = _hinge_fits(t, y, candidates)
    i = int(np.argmin(sse))
    if sse_too:
        return candidates[i], b1[i], b2[i], float(sse[i])
    return candidates[i], b1[i], b2[i]


def fit_break(
    years: ArrayLike,
    values: ArrayLike,
    *,
    min_side: int = 5,
    step: float = 0.1,
    boot: int = 300,
    level: float = 0.95,
    seed: int = 0,
    by_year: bool = False,
) -> BreakFit:
    """The break year of a two-segment log-linear fit, with bootstrap intervals.

    The break is searched on a grid of ``step`` years that leaves at least ``min_side``
    points on each side; the intervals are percentiles of ``boot`` refits on data
    resampled with replacement (pairs bootstrap, seeded), point by point or, with
    ``by_year``, whole calendar years at a time (points of one year share its
    technology, so they may not be independent draws). ``boot`` is at most
    :data:`MAX_BOOT`, and the grid's candidates times the points at most
    :data:`MAX_GRID`.

    Examples
    --------
    >>> t = np.linspace(1980, 2020, 81)
    >>> y = np.where(t < 2004, 0.4 * (t - 2004), 0.1 * (t - 2004))
    >>> f = fit_break(t, np.exp(y), boot=20)
    >>> round(f.year, 1), round(math.log1p(f.before), 3), round(math.log1p(f.after), 3)
    (2004.0, 0.4, 0.1)
    """
    for name, x in (("min_side", min_side), ("boot", boot)):
        if isinstance(x, bool) or not isinstance(x, Integral) or x < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {x!r}")
    if boot > MAX_BOOT:
        raise ValueError(f"boot must be <= {MAX_BOOT}, got {boot}")
    t, y = _xy(years, values, 2 * min_side + 1)
    check_real(level, "level")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    check_real(step, "step")
    if not (math.isfinite(step) and step > 0):
        raise ValueError(f"step must be a positive number, got {step!r}")
    check_seed(seed)
    by_year = check_bool(by_year, "by_year")
    order = np.sort(t)
    lo, hi = order[min_side - 1], order[-min_side]
    if not lo < hi:
        raise ValueError("too few distinct years to place a break")
    if ((hi - lo) / step + 1) * t.size > MAX_GRID:
        room = MAX_GRID / t.size - 1
        if room <= 0:
            raise ValueError(f"years must have <= {MAX_GRID // 2} points, got {t.size}")
        least = (hi - lo) / room
        raise ValueError(f"step must be >= {least:.3g} for these years, got {step!r}")
    candidates = np.arange(lo, hi + step / 2, step)
    year, b1, b2, sse = _best_break(t, y, candidates, sse_too=True)
    rng = np.random.default_rng(seed)
    draws = np.empty((boot, 3))
    calendar = np.floor(t)
    groups = [np.flatnonzero(calendar == c) for c in np.unique(calendar)]
    for i in range(boot):
        if by_year:
            pick = np.concatenate([groups[j] for j in rng.integers(0, len(groups), len(groups))])
        else:
            pick = rng.integers(0, t.size, t.size)
        draws[i] = _best_break(t[pick], y[pick], candidates)
    q = [50 * (1 - level), 50 * (1 + level)]
    (ylo, yhi), (b1lo, b1hi), (b2lo, b2hi) = (np.percentile(draws[:, j], q) for j in range(3))
    g = np.expm1
    return BreakFit(
        float(year), float(ylo), float(yhi),
        float(g(b1)), float(g(b1lo)), float(g(b1hi)),
        float(g(b2)), float(g(b2lo)), float(g(b2hi)),
        level, boot, max(sse, 0.0), t.size,
    )  # fmt: skip
