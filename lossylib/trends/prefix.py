"""Can early data tell an exponential from an S-curve? Fits to growing prefixes.

For each prefix of a series (all points before a year), fit both curves of
:mod:`lossylib.trends.fits` and record what a forecaster would have seen then: which
curve the data prefer (the difference in AIC, positive when the logistic fits better
after paying for its extra parameter), the fitted ceiling and its standard error, and
both curves' forecasts for a later year.

Examples
--------
>>> t = np.linspace(0, 60, 121)
>>> v = noisy_logistic(t, log_ceiling=10, rate=0.3, midpoint=30, sigma=0.2, seed=0)
>>> s = prefix_study(t, v, [15, 60], horizon=60)
>>> bool(s.delta_aic[0] < s.delta_aic[1]), bool(s.delta_aic[1] > 10)
(True, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral

import numpy as np
from numpy.typing import ArrayLike

from lossylib.checks import check_int, check_real
from lossylib.trends.fits import (
    _floats,
    _xy,
    fit_exponential,
    fit_logistic,
    noisy_logistic,
)

#: The most points a :class:`Curve` may have (``(stop - start) * per_year + 1``).
MAX_POINTS = 1_000_000
#: AIC difference above which the logistic counts as clearly better (Burnham & Anderson's
#: "essentially no support" for the other model starts around 10).
CLEAR_AIC = 10.0


@dataclass(frozen=True)
class PrefixStudy:
    """Fits to every prefix ``year < ends[i]`` (arrays with one entry per prefix)."""

    ends: np.ndarray
    points: np.ndarray
    delta_aic: np.ndarray
    log_ceiling: np.ndarray
    log_ceiling_se: np.ndarray
    at_bound: np.ndarray
    exp_forecast: np.ndarray
    logistic_forecast: np.ndarray
    horizon: float

    def first_clear(self, threshold: float = CLEAR_AIC) -> float:
        """The first prefix end from which the logistic stays clearly better (``nan`` if
        it never does)."""
        check_real(threshold, "threshold")
        clear = self.delta_aic > threshold
        for i in range(clear.size):
            if clear[i:].all():
                return float(self.ends[i])
        return math.nan


def prefix_study(
    years: ArrayLike, values: ArrayLike, ends: ArrayLike, *, horizon: float
) -> PrefixStudy:
    """Fit the exponential and the logistic to each prefix ``year < end``.

    Forecasts are the log values both fits give for ``horizon``.
    """
    _xy(years, values, 6)  # the checks of the fits, on the whole series
    t = np.asarray(years, dtype=float)
    v = np.asarray(values, dtype=float)
    ends = _floats(ends, "ends")
    if ends.ndim != 1 or ends.size == 0 or not np.all(np.isfinite(ends)):
        raise ValueError("ends must be a non-empty 1-d array of finite years")
    check_real(horizon, "horizon")
    rows = []
    for end in ends:
        keep = t < end
        if keep.sum() < 6:
            raise ValueError(f"the prefix before {end} has {int(keep.sum())} points, need 6")
        ex = fit_exponential(t[keep], v[keep])
        lg = fit_logistic(t[keep], v[keep])
        rows.append(
            (
                keep.sum(), ex.aic - lg.aic, lg.log_ceiling, lg.log_ceiling_se, lg.at_bound,
                float(ex.log_predict(horizon)), float(lg.log_predict(horizon)),
            )
        )  # fmt: skip
    cols = list(zip(*rows, strict=True))
    return PrefixStudy(
        ends, np.array(cols[0]), np.array(cols[1]), np.array(cols[2]), np.array(cols[3]),
        np.array(cols[4], dtype=bool), np.array(cols[5]), np.array(cols[6]), float(horizon),
    )  # fmt: skip


@dataclass(frozen=True)
class Curve:
    """A known logistic curve sampled with noise: the synthetic test bed."""

    log_ceiling: float = 10.0
    rate: float = 0.3
    midpoint: float = 30.0
    sigma: float = 0.3
    start: float = 0.0
    stop: float = 60.0
    per_year: int = 2

    def __post_init__(self) -> None:
        for name in ("log_ceiling", "midpoint", "start"):
            check_real(getattr(self, name), f"Curve {name}")
        check_real(self.rate, "Curve rate", low=0.0, low_open=True)
        check_real(self.sigma, "Curve sigma", low=0.0)
        check_real(self.stop, "Curve stop", low=self.start, low_open=True)
        check_int(self.per_year, "Curve per_year", 1)
        points = int((self.stop - self.start) * self.per_year) + 1
        if points > MAX_POINTS:
            what = "Curve (stop - start) * per_year + 1"
            raise ValueError(f"{what} must be <= {MAX_POINTS}, got {points}")

    def years(self) -> np.ndarray:
        return np.linspace(self.start, self.stop, int((self.stop - self.start) * self.per_year) + 1)

    def share_of_ceiling(self, t: ArrayLike) -> np.ndarray:
        """Where the noiseless curve stands at ``t``, as a share of its ceiling (0.5 at
        the inflection).

        Examples
        --------
        >>> Curve().share_of_ceiling([30.0]).tolist()
        [0.5]
        """
        t = np.asarray(t, dtype=float)
        return 1.0 / (1.0 + np.exp(-self.rate * (t - self.midpoint)))

    def year_at_share(self, share: float) -> float:
        """The year at which the noiseless curve reaches ``share`` of its ceiling.

        Examples
        --------
        >>> Curve().year_at_share(0.5)
        30.0
        """
        share = check_real(share, "share", low=0.0, high=1.0, low_open=True)
        if share == 1.0:
            raise ValueError("share must be below 1: the curve only approaches its ceiling")
        return float(self.midpoint - math.log(1.0 / share - 1.0) / self.rate)

    def sample(self, seed: int) -> np.ndarray:
        return noisy_logistic(
            self.years(), log_ceiling=self.log_ceiling, rate=self.rate,
            midpoint=self.midpoint, sigma=self.sigma, seed=seed,
        )  # fmt: skip


def synthetic_study(curve: Curve, ends: ArrayLike, seeds: int, *, seed: int = 0):
    """:func:`prefix_study` of ``seeds`` noisy samples of ``curve`` (seeds ``seed``,
    ``seed + 1``, ...), forecasting the curve's last year. Returns one study per sample.

    Examples
    --------
    >>> studies = synthetic_study(Curve(), [20, 60], seeds=2)
    >>> len(studies), studies[0].ends.tolist()
    (2, [20.0, 60.0])
    """
    if not isinstance(curve, Curve):
        raise TypeError(f"curve must be a Curve, got {type(curve).__name__}")
    if isinstance(seeds, bool) or not (isinstance(seeds, Integral) and seeds >= 1):
        raise ValueError(f"seeds must be an integer >= 1, got {seeds!r}")
    check_int(seed, "seed", 0)
    t = curve.years()
    return [prefix_study(t, curve.sample(seed + i), ends, horizon=curve.stop) for i in range(seeds)]
