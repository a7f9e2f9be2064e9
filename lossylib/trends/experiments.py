"""The conclusion's experiments at page size, shared by the chapter and claim 17.

Each function is cached, so the page, its figures and the claim check in
:mod:`lossylib.claims.conclusion` quote the same runs.

Examples
--------
>>> b = breaks()["specint"]
>>> bool(b.year_low <= b.year <= b.year_high)
True
"""

from __future__ import annotations

import functools
import math

import numpy as np

from lossylib.checks import check_real
from lossylib.trends.data import SERIES, Growth, growth_fit, load_series
from lossylib.trends.fits import BreakFit, fit_break, fit_exponential, fit_linear, fit_logistic
from lossylib.trends.prefix import CLEAR_AIC, Curve, PrefixStudy, prefix_study, synthetic_study

#: The two eras compared: before and after the break in single-thread performance.
ERAS = ((1971, 2005), (2005, 2022))
#: Series fitted with a break (the ones users feel, and the count that compounded).
BREAK_SERIES = ("specint", "frequency", "transistors")
#: Bootstrap resamples for the break fits.
BOOT = 300
#: The synthetic curve: a logistic with its inflection in year 30 of 60, noise like the
#: real single-thread series' scatter about its own fit.
CURVE = Curve(log_ceiling=10.0, rate=0.3, midpoint=30.0, sigma=0.3)
#: Prefix ends for the synthetic curve (every year in the last few before the
#: inflection, where the answer changes fast), and the number of noisy samples.
SYNTH_ENDS = (10.0, 15.0, 20.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 35.0, 40.0, 50.0, 60.01)
SYNTH_SEEDS = 100
#: "Early" data: the bottom of the S, up to this share of the ceiling (the prefixes that
#: end by :func:`early_end`).
EARLY_LEVEL = 0.25


def early_end() -> float:
    """The last year of the bottom of the synthetic S-curve (:data:`EARLY_LEVEL` of its
    ceiling, about 26.3).

    Examples
    --------
    >>> round(early_end(), 1)
    26.3
    """
    return CURVE.year_at_share(EARLY_LEVEL)


#: Prefix ends (years) for the real single-thread series, and the forecast year.
REAL_ENDS = tuple(float(y) for y in range(1996, 2023))
REAL_HORIZON = 2021.5


def share_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson's 95% interval (``z`` = 1.96) for a share seen ``k`` times in ``n`` draws.

    Examples
    --------
    >>> [round(x, 3) for x in share_interval(18, 100)]
    [0.117, 0.267]
    >>> share_interval(0, 10)[0]
    0.0
    """
    for name, x in (("k", k), ("n", n)):
        check_real(x, name)
        if x != int(x):
            raise ValueError(f"{name} must be a whole number, got {x!r}")
    if not 0 <= k <= n or n < 1:
        raise ValueError(f"need 0 <= k <= n and n >= 1, got k={k!r}, n={n!r}")
    check_real(z, "z", low=0.0, low_open=True)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


#: The ways the single-thread series is counted: every chip in the compilation; the
#: fastest chip released in each calendar year; and the fastest chip released so far,
#: which a user could buy and which never falls (:func:`counted`).
COUNTS = ("every chip", "fastest new chip each year", "fastest chip to date")
#: Each count as it reads after "counting ...".
COUNTING = dict(zip(COUNTS, ("every chip", *(f"the {c}" for c in COUNTS[1:])), strict=True))
#: The shapes after the break are also tested as forecasts: fitted to the years from the
#: break to this year, scored on the years from it on.
HOLDOUT_FROM = 2015.0


def fastest_each_year(years: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The fastest chip of each calendar year, at its own date: one point a year.

    Examples
    --------
    >>> fastest_each_year(np.array([2000.2, 2000.7, 2001.5]), np.array([3.0, 5.0, 4.0]))
    (array([2000.7, 2001.5]), array([5., 4.]))
    """
    years, values = np.asarray(years, dtype=float), np.asarray(values, dtype=float)
    calendar = np.floor(years)
    pick = [
        int(np.flatnonzero(calendar == y)[np.argmax(values[calendar == y])])
        for y in np.unique(calendar)
    ]
    return years[pick], values[pick]


def counted(name: str, count: str) -> tuple[np.ndarray, np.ndarray]:
    """A shipped series counted as ``count`` (one of :data:`COUNTS`).

    Examples
    --------
    >>> years, values = counted("specint", "fastest chip to date")
    >>> bool(np.all(np.diff(values) >= 0)), len(np.unique(np.floor(years))) == len(years)
    (True, True)
    """
    if count not in COUNTS:
        raise ValueError(f"unknown count {count!r}; choose one of {', '.join(COUNTS)}")
    years, values = load_series(name)
    if count == COUNTS[0]:
        return years, values
    years, values = fastest_each_year(years, values)
    if count == COUNTS[2]:
        values = np.maximum.accumulate(values)
    return years, values


def _log_rms(fit, years: np.ndarray, values: np.ndarray) -> float:
    return float(np.sqrt(np.mean((fit.log_predict(years) - np.log(values)) ** 2)))


@functools.cache
def shape_after_break(name: str = "specint", count: str = COUNTS[0]) -> dict[str, float]:
    """How the series grew on either side of its break, counted as ``count`` (one of
    :data:`COUNTS`, see :func:`counted`).

    ``two_segment_aic_gain`` is the AIC of an S-curve over the whole series minus that of
    the two-segment fit (above 0, a change of rate fits better than a ceiling). From the
    break year of every chip's fit on, ``after_exp_over_linear`` is the AIC of a line
    minus that of an exponential (above 0, the series still compounds rather than
    growing linearly). ``forecast_error_linear`` and ``forecast_error_exp`` are the root
    mean square errors, in natural-log units, of each shape fitted to the years from the
    break to :data:`HOLDOUT_FROM` on the years from it on.

    Examples
    --------
    >>> s = shape_after_break()
    >>> bool(s["two_segment_aic_gain"] > 0 and s["after_exp_over_linear"] > 0)
    True
    """
    years, values = counted(name, count)
    b = breaks()[name]
    two_segments = b if count == COUNTS[0] else fit_break(years, values, boot=1)
    after = years >= b.year
    fitted, held = after & (years < HOLDOUT_FROM), years >= HOLDOUT_FROM
    line = fit_linear(years[fitted], values[fitted])
    exp = fit_exponential(years[fitted], values[fitted])
    return {
        "two_segment_aic_gain": float(fit_logistic(years, values).aic - two_segments.aic),
        "after_exp_over_linear": float(
            fit_linear(years[after], values[after]).aic
            - fit_exponential(years[after], values[after]).aic
        ),
        "after_points": int(after.sum()),
        "forecast_error_linear": _log_rms(line, years[held], values[held]),
        "forecast_error_exp": _log_rms(exp, years[held], values[held]),
        "holdout_points": int(held.sum()),
    }


#: The suffix of each way of counting (:data:`COUNTS`) in evidence keys:
#: ``after_exp_over_linear``, ``..._fastest``, ``..._record``.
COUNT_SUFFIX = dict(zip(COUNTS, ("", "_fastest", "_record"), strict=True))

#: Years the fits after the break may start, for :func:`shape_by_start`.
START_YEARS = tuple(float(y) for y in np.arange(2003.5, 2008.01, 0.5))


def line_minus_exp(years: np.ndarray, values: np.ndarray, start: float) -> float:
    """The AIC of a line minus that of an exponential, fitted to the points from
    ``start`` on (above 0, the exponential fits better); nan with fewer than 4 points."""
    after = years >= start
    if after.sum() < 4:
        return math.nan
    return float(
        fit_linear(years[after], values[after]).aic
        - fit_exponential(years[after], values[after]).aic
    )


def shape_by_start(name: str = "specint", starts: tuple[float, ...] = START_YEARS) -> list[dict]:
    """:func:`line_minus_exp` for each way of counting (:data:`COUNTS`) with the fits
    started at each year of ``starts``: how much the line-or-exponential answer depends
    on where the years after the break are taken to begin (a table row per start).

    Examples
    --------
    >>> rows = shape_by_start(starts=(2004.5,))
    >>> sorted(rows[0]) == sorted(["fits start", *COUNTS])
    True
    """
    counted_series = {count: counted(name, count) for count in COUNTS}
    return [
        {"fits start": start}
        | {count: line_minus_exp(*counted_series[count], start) for count in COUNTS}
        for start in starts
    ]


def start_robustness(name: str = "specint", band: float = 2.0) -> dict[str, float]:
    """What :func:`shape_by_start` says inside the break's own interval and after it.

    For each count (suffix ``""``, ``"_fastest"``, ``"_record"``): the smallest and
    largest line-minus-exponential AIC over every start within the interval (its two
    ends and each year of data inside it: every set of points a start there can fit).
    Then, for the fastest chip to date, which favours a line at the break year, the
    first and last start of :data:`START_YEARS` after the interval from which on it
    favours the exponential by more than ``band`` (``record_flips_from``,
    ``record_flips_to``; nan if it never does).

    Examples
    --------
    >>> r = start_robustness()
    >>> r["low_year"] <= r["high_year"]
    True
    """
    b = breaks()[name]
    series = {count: counted(name, count) for count in COUNTS}
    data_years = np.unique(np.concatenate([years for years, _ in series.values()]))
    within = data_years[(data_years > b.year_low) & (data_years < b.year_high)]
    inside = [b.year_low, *within, b.year_high]
    out: dict[str, float] = {"low_year": b.year_low, "high_year": b.year_high}
    for count, suffix in COUNT_SUFFIX.items():
        values = [line_minus_exp(*series[count], float(start)) for start in inside]
        out[f"min{suffix}"], out[f"max{suffix}"] = min(values), max(values)
    record = series[COUNTS[2]]
    later = [y for y in START_YEARS if y > b.year_high]
    flips = [line_minus_exp(*record, y) > band for y in later]
    first = flips.index(True) if True in flips else None
    out["record_flips_from"] = later[first] if first is not None else math.nan
    if first is not None:
        run = first
        while run + 1 < len(flips) and flips[run + 1]:
            run += 1
        out["record_flips_to"] = later[run]
    else:
        out["record_flips_to"] = math.nan
    return out


def shape_rows(name: str = "specint") -> list[dict]:
    """:func:`shape_after_break` as table rows, one measure a row, one column for each
    of :data:`COUNTS`.

    Examples
    --------
    >>> rows = shape_rows()
    >>> list(rows[0])
    ['measure', 'every chip', 'fastest new chip each year', 'fastest chip to date']
    """
    shapes = {count: shape_after_break(name, count) for count in COUNTS}
    measures = {
        "points from the break on": "after_points",
        "S-curve's AIC minus two segments' (whole series)": "two_segment_aic_gain",
        "line's AIC minus exponential's (from the break on)": "after_exp_over_linear",
        f"forecast error from {HOLDOUT_FROM:.0f}, line": "forecast_error_linear",
        f"forecast error from {HOLDOUT_FROM:.0f}, exponential": "forecast_error_exp",
    }
    return [
        {"measure": label} | {count: shapes[count][key] for count in COUNTS}
        for label, key in measures.items()
    ]


@functools.cache
def eras() -> dict[str, tuple[Growth, Growth]]:
    """Growth of every series in each of the two :data:`ERAS` (95% intervals)."""
    return {name: tuple(growth_fit(name, a, b) for a, b in ERAS) for name in SERIES}


@functools.cache
def breaks() -> dict[str, BreakFit]:
    """Two-segment fits with bootstrap intervals for :data:`BREAK_SERIES`."""
    return {
        name: fit_break(*load_series(name), boot=BOOT, seed=17 + i)
        for i, name in enumerate(BREAK_SERIES)
    }


@functools.cache
def synthetic() -> list[PrefixStudy]:
    """Prefix fits to :data:`SYNTH_SEEDS` noisy samples of :data:`CURVE`."""
    return synthetic_study(CURVE, SYNTH_ENDS, SYNTH_SEEDS, seed=1700)


def synthetic_arrays() -> dict[str, np.ndarray]:
    """The synthetic study as arrays of shape (samples, prefixes)."""
    studies = synthetic()
    return {
        key: np.array([getattr(s, key) for s in studies])
        for key in ("delta_aic", "log_ceiling", "exp_forecast", "logistic_forecast")
    }


@functools.cache
def real_prefix(name: str = "specint") -> PrefixStudy:
    """Prefix fits to a real series (single-thread performance by default)."""
    years, values = load_series(name)
    return prefix_study(years, values, REAL_ENDS, horizon=REAL_HORIZON)


#: AIC thresholds over which the page shows when the S-curve becomes clearly better.
THRESHOLDS = (2.0, 4.0, 10.0, 20.0)


def facts() -> dict[str, float]:
    """Numbers the page quotes beside claim 17's evidence (all computed here)."""
    b, e = breaks(), eras()
    s = real_prefix()
    years, values = load_series("specint")
    level = float(np.median(values[years >= 2020]))
    at = {float(end): i for i, end in enumerate(s.ends)}
    early = [s.log_ceiling[i] for end, i in at.items() if end < 2000]
    arr = synthetic_arrays()
    ends = np.array(SYNTH_ENDS)
    pre = arr["log_ceiling"][:, ends <= early_end()] - CURVE.log_ceiling  # the bottom of the S
    at_mid = arr["log_ceiling"][:, ends == CURVE.midpoint][:, 0]
    late = (ends > early_end()) & (ends < CURVE.midpoint)  # from a quarter to the inflection
    clear_from = s.first_clear()
    after_clear = s.log_ceiling[s.ends >= clear_from]
    out = {
        "count_break_year": b["transistors"].year,
        "count_break_before": b["transistors"].before,
        "count_break_after": b["transistors"].after,
        "frequency_break_year": b["frequency"].year,
        "frequency_before": b["frequency"].before,
        "cores_late": e["cores"][1].rate,
        "cores_early": e["cores"][0].rate,
        "watts_late": e["watts"][1].rate,
        "watts_early": e["watts"][0].rate,
        "level_2020s": level,
        "early_ceiling_low_ratio": float(f"{np.exp(min(early)) / level:.2g}"),
        "early_ceiling_high_ratio": float(f"{np.exp(max(early)) / level:.2g}"),
        # how unsure those early ceilings are: standard errors of their logs (natural)
        "early_ceiling_log_se_min": float(f"{min(s.log_ceiling_se[s.ends < 2000]):.2g}"),
        # the ceilings once the S-curve was clearly better, and with all the data
        "ceiling_first_clear_ratio": float(np.exp(after_clear[0]) / level),
        "ceiling_after_clear_low_ratio": float(np.exp(after_clear.min()) / level),
        "ceiling_after_clear_high_ratio": float(np.exp(after_clear.max()) / level),
        "ceiling_all_ratio": float(np.exp(s.log_ceiling[-1]) / level),
        "after_2005_exp_over_linear": float(
            fit_linear(years[years >= 2005], values[years >= 2005]).aic
            - fit_exponential(years[years >= 2005], values[years >= 2005]).aic
        ),
        "specint_first_year": float(np.floor(years.min())),
        "specint_last_year": float(np.floor(years.max())),
        "exp_2005_ratio": float(np.exp(s.exp_forecast[at[2005.0]]) / level),
        "synthetic_stop": CURVE.stop,
        "synthetic_sigma": CURVE.sigma,
        "synthetic_rate": CURVE.rate,
        "boot": BOOT,
    }
    out.update(
        {
            "synthetic_log_ceiling": CURVE.log_ceiling,
            "synthetic_log10_ceiling": CURVE.log_ceiling / math.log(10),
            "synthetic_under_share_before": float((pre < 0).mean()),
            "synthetic_over_share_before": float((pre > 0).mean()),
            "synthetic_first_end": SYNTH_ENDS[0],
            "synthetic_median_error_first": float(np.median(pre[:, 0])),
            "synthetic_clear_share_at_midpoint": float(
                (arr["delta_aic"][:, ends == CURVE.midpoint] > CLEAR_AIC).mean()
            ),
            "synthetic_clear_share_at_midpoint_lowest": float(
                (arr["delta_aic"][:, ends == CURVE.midpoint] > min(THRESHOLDS)).mean()
            ),
            # at the inflection the ceiling is roughly located: the factor between the
            # 10th and 90th percentiles of the fitted ceilings
            "synthetic_ceiling_factor_at_midpoint": float(
                np.exp(np.percentile(at_mid, 90) - np.percentile(at_mid, 10))
            ),
            # between the bottom of the S and the inflection, the most samples clear on
            # any one prefix, at the page's threshold and at the lowest shown
            "synthetic_clear_share_late": float(
                (arr["delta_aic"][:, late] > CLEAR_AIC).mean(axis=0).max()
            ),
            "synthetic_clear_share_late_lowest": float(
                (arr["delta_aic"][:, late] > min(THRESHOLDS)).mean(axis=0).max()
            ),
            "synthetic_early_level": EARLY_LEVEL,
            "synthetic_early_end": early_end(),
            "synthetic_next_end": float(ends[ends > CURVE.midpoint][0]),
            "synthetic_clear_share_next_end": float(
                (arr["delta_aic"][:, np.flatnonzero(ends > CURVE.midpoint)[0]] > CLEAR_AIC).mean()
            ),
            "synthetic_ceiling_spread_decades": float(
                np.max(np.percentile(pre, 90, axis=0) - np.percentile(pre, 10, axis=0))
                / math.log(10)
            ),
        }
    )
    for year in range(2000, 2006):
        out[f"ceiling_{year}_ratio"] = float(np.exp(s.log_ceiling[at[float(year)]]) / level)
    for th in THRESHOLDS:
        out[f"first_clear_{th:.0f}"] = s.first_clear(th)
    return out
