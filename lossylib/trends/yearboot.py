"""How sure is "a line" or "an exponential"? A bootstrap that resamples whole years.

Points from one calendar year are not independent draws (several chips of one year share
its technology), so the bootstrap here draws calendar years with replacement and keeps
every point of each year drawn. Each resample is a set of weights on the original points
(how often each point's year was drawn), so both fits can be solved for every resample at
once: the exponential in closed form, the line (fitted on the log scale, as
:func:`lossylib.trends.fits.fit_linear` does) by damped Gauss-Newton steps run side by
side. A test holds both to the fits of :mod:`lossylib.trends.fits` on resampled data.

Examples
--------
>>> t = np.arange(2005.0, 2021.0)
>>> boot = year_bootstrap(t, np.exp(0.1 * (t - 2005)), draws=200, seed=0)
>>> bool(np.all(boot.line_minus_exp > 2)), round(float(np.median(boot.growth)), 3)
(True, 0.105)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from lossylib.checks import check_int, check_seed
from lossylib.trends.fits import _xy

#: The most resamples :func:`year_bootstrap` takes (each is a row of weights in memory).
MAX_DRAWS = 100_000
#: Damped Gauss-Newton steps of the line fit (a two-parameter fit converges in a few).
STEPS = 60


@dataclass(frozen=True)
class YearBoot:
    """Per resample: the AIC of a line minus that of an exponential (above 0, the
    exponential fits better) and the exponential's yearly growth; ``years`` is the number
    of calendar years resampled. Resamples with fewer than three distinct years are left
    out (neither fit is defined)."""

    line_minus_exp: np.ndarray
    growth: np.ndarray
    years: int

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """The middle ``level`` of the AIC differences (percentiles).

        Examples
        --------
        >>> [round(x, 6) for x in YearBoot(np.arange(101.0), np.zeros(101), 5).interval(0.9)]
        [5.0, 95.0]
        """
        q = [50 * (1 - level), 50 * (1 + level)]
        lo, hi = np.percentile(self.line_minus_exp, q)
        return float(lo), float(hi)

    def growth_interval(self, level: float = 0.95) -> tuple[float, float]:
        """The middle ``level`` of the exponential's yearly growth."""
        q = [50 * (1 - level), 50 * (1 + level)]
        lo, hi = np.percentile(self.growth, q)
        return float(lo), float(hi)

    def share_above(self, band: float) -> float:
        """The share of resamples in which the exponential fits better by more than
        ``band`` (use ``-band`` with :meth:`share_below` for the line)."""
        return float(np.mean(self.line_minus_exp > band))

    def share_below(self, band: float) -> float:
        """The share of resamples whose AIC difference is below ``band``."""
        return float(np.mean(self.line_minus_exp < band))


def _exp_fits(t: np.ndarray, y: np.ndarray, w: np.ndarray):
    """Weighted least squares of y on t for every row of weights ``w``: slopes and SSEs."""
    sw = w.sum(1)
    mt, my = (w @ t) / sw, (w @ y) / sw
    dt = t[None, :] - mt[:, None]
    dy = y[None, :] - my[:, None]
    slope = np.einsum("dn,dn->d", w * dt, dy) / np.einsum("dn,dn->d", w * dt, dt)
    resid = dy - slope[:, None] * dt
    return slope, np.einsum("dn,dn->d", w, resid * resid)


def _line_sse(t: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted SSE of log(a + b (t - c)) against y, minimised for every row of ``w``.

    Starts, as :func:`~lossylib.trends.fits.fit_linear` does, from the least-squares line
    through the values themselves, then takes Levenberg-Marquardt steps: a step that
    leaves a point at or below zero, or raises the SSE, is not taken and the damping
    grows instead.
    """
    v = np.exp(y)
    sw = w.sum(1)
    centre = (w @ t) / sw
    d = t[None, :] - centre[:, None]
    mv = (w @ v) / sw
    b = np.einsum("dn,dn->d", w * d, v[None, :] - mv[:, None]) / np.einsum("dn,dn->d", w * d, d)
    vmin = np.where(w > 0, v[None, :], np.inf).min(1)
    a = np.maximum(mv, vmin)  # the line at the data's centre is above 0

    drawn = w > 0
    tiny = 1e-300

    def residuals(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # as fit_linear: log(max(line, tiny)), so a line below 0 costs a huge residual;
        # points not drawn (weight 0) are left out
        u = a[:, None] + b[:, None] * d
        r = np.where(drawn, np.log(np.maximum(u, tiny)) - y[None, :], 0.0)
        return u, r

    def sse(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.einsum("dn,dn->d", w, residuals(a, b)[1] ** 2)

    cur = sse(a, b)
    mu = np.full(a.shape, 1e-3)
    for _ in range(STEPS):
        u, r = residuals(a, b)
        live = drawn & (u > tiny)
        ja = np.where(live, 1.0 / np.where(live, u, 1.0), 0.0)
        jb = ja * d
        haa = np.einsum("dn,dn->d", w * ja, ja)
        hab = np.einsum("dn,dn->d", w * ja, jb)
        hbb = np.einsum("dn,dn->d", w * jb, jb)
        ga, gb = np.einsum("dn,dn->d", w * ja, r), np.einsum("dn,dn->d", w * jb, r)
        haa_d, hbb_d = haa * (1 + mu), hbb * (1 + mu)
        det = haa_d * hbb_d - hab * hab
        with np.errstate(divide="ignore", invalid="ignore"):
            da = -(hbb_d * ga - hab * gb) / det
            db = -(haa_d * gb - hab * ga) / det
        ok = np.isfinite(da) & np.isfinite(db)
        na, nb = np.where(ok, a + da, a), np.where(ok, b + db, b)
        new = sse(na, nb)
        better = ok & (new <= cur)
        a, b = np.where(better, na, a), np.where(better, nb, b)
        cur = np.where(better, new, cur)
        mu = np.clip(np.where(better, mu / 3, mu * 10), 1e-12, 1e12)
    return cur


def year_bootstrap(
    years: ArrayLike, values: ArrayLike, *, draws: int = 1000, seed: int = 0
) -> YearBoot:
    """Resample the calendar years of a series ``draws`` times (seeded) and compare a
    line with an exponential on each resample, by AIC (two parameters each, errors on
    the log scale, as :func:`~lossylib.trends.fits.fit_linear` and
    :func:`~lossylib.trends.fits.fit_exponential` compare them).

    Parameters
    ----------
    years, values : array_like
        The series (at least three points, values positive); the calendar year of a
        point is the floor of its year.
    draws : int
        Resamples (1 to :data:`MAX_DRAWS`); each draws as many calendar years as the
        series has, with replacement, and keeps every point of each year drawn.
    seed : int
        Seed of the generator.

    Returns
    -------
    YearBoot

    Examples
    --------
    >>> t = np.arange(2005.0, 2021.0)
    >>> line = year_bootstrap(t, 10 + t - 2005, draws=200, seed=1)
    >>> bool(line.share_below(-2) > 0.9)
    True
    """
    t, y = _xy(years, values, 3)
    check_int(draws, "draws", 1, MAX_DRAWS)
    check_seed(seed)
    calendar = np.floor(t)
    unique, which = np.unique(calendar, return_inverse=True)
    rng = np.random.default_rng(seed)
    picks = rng.choice(unique.size, size=(draws, unique.size), replace=True)
    counts = np.zeros((draws, unique.size))
    np.add.at(counts, (np.repeat(np.arange(draws), unique.size), picks.ravel()), 1.0)
    keep = (counts > 0).sum(1) >= 3
    w = counts[keep][:, which]  # each point weighted by how often its year was drawn
    n = w.sum(1)
    slope, sse_exp = _exp_fits(t, y, w)
    sse_line = _line_sse(t, y, w)
    tiny = 1e-300
    diff = n * (np.log(np.maximum(sse_line, tiny) / n) - np.log(np.maximum(sse_exp, tiny) / n))
    return YearBoot(diff, np.expm1(slope), int(unique.size))
