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
from lossylib.claims import in_words
from lossylib.trends.data import SERIES, Growth, growth_fit, load_series
from lossylib.trends.fits import BreakFit, fit_break, fit_exponential, fit_linear, fit_logistic
from lossylib.trends.prefix import CLEAR_AIC, Curve, PrefixStudy, prefix_study, synthetic_study
from lossylib.trends.yearboot import year_bootstrap

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


def line_minus_exp(
    years: np.ndarray, values: np.ndarray, start: float, end: float = math.inf
) -> float:
    """The AIC of a line minus that of an exponential, fitted to the points from
    ``start`` on and before ``end`` (above 0, the exponential fits better); nan with
    fewer than 4 points.

    Examples
    --------
    >>> t = np.arange(2000.0, 2020.0)
    >>> bool(line_minus_exp(t, np.exp(0.2 * (t - 2000)), 2005.0) > 2)
    True
    >>> math.isnan(line_minus_exp(t, t, 2005.0, end=2008.0))
    True
    """
    after = (years >= start) & (years < end)
    if after.sum() < 4:
        return math.nan
    return float(
        fit_linear(years[after], values[after]).aic
        - fit_exponential(years[after], values[after]).aic
    )


def distinct_starts(
    series: list[tuple[np.ndarray, np.ndarray]], starts: tuple[float, ...]
) -> tuple[float, ...]:
    """``starts`` without those that pick the same points of every series (``(years,
    values)`` pairs) as an earlier start: fits from them would repeat a fit already made.

    Examples
    --------
    >>> t = np.array([2004.8, 2005.9, 2006.9])
    >>> distinct_starts([(t, t)], (2004.5, 2004.0, 2005.0, 2005.5, 2006.0))
    (2004.5, 2005.0, 2006.0)
    """
    seen: set[tuple[int, ...]] = set()
    out = []
    for start in starts:
        key = tuple(int(np.sum(np.asarray(years) >= start)) for years, _ in series)
        if key not in seen:
            seen.add(key)
            out.append(float(start))
    return tuple(out)


def shape_by_start(name: str = "specint", starts: tuple[float, ...] = START_YEARS) -> list[dict]:
    """:func:`line_minus_exp` for each way of counting (:data:`COUNTS`) with the fits
    started at each year of ``starts``: how much the line-or-exponential answer depends
    on where the years after the break are taken to begin (a table row per start; a
    start that picks the same points as an earlier one is left out,
    :func:`distinct_starts`).

    Examples
    --------
    >>> rows = shape_by_start(starts=(2004.5,))
    >>> sorted(rows[0]) == sorted(["fits start", *COUNTS])
    True
    >>> len(shape_by_start(starts=(2004.0, 2004.5)))  # no chip dated in between
    1
    """
    counted_series = {count: counted(name, count) for count in COUNTS}
    return [
        {"fits start": start}
        | {count: line_minus_exp(*counted_series[count], start) for count in COUNTS}
        for start in distinct_starts(list(counted_series.values()), starts)
    ]


#: How :func:`start_readings` names a line-minus-exponential AIC difference.
READINGS = ("compounding", "a line", "neither")


def _reading(gain: float, band: float) -> str:
    """A line-minus-exponential AIC difference in words (:data:`READINGS`): the
    exponential ahead by more than ``band``, the line ahead by more, or neither.

    Examples
    --------
    >>> _reading(10.6, 2.0), _reading(-7.0, 2.0), _reading(1.0, 2.0)
    ('compounding', 'a line', 'neither')
    """
    if gain > band:
        return READINGS[0]
    return READINGS[1] if gain < -band else READINGS[2]


def start_readings(name: str = "specint", band: float = 2.0) -> dict[str, float | str]:
    """What each way of counting reads after the break, with the fits started at the
    break year and at each later year of :data:`START_YEARS` (distinct starts only): the
    exponential ahead by more than ``band`` ("compounding"), the line ahead by more
    than ``band`` ("a line") or neither.

    Keys: ``first`` and ``last`` (the starts), ``starts`` (how many), ``counts`` (how
    many ways of counting), ``flips`` (how many of them read compounding from some start
    and a line from another), ``settled`` (how many read the same from every start, and
    ``settled_phrase`` in words), and ``phrase``, the readings in words.

    Examples
    --------
    >>> r = start_readings()
    >>> r["flips"] + r["settled"] <= r["counts"] == len(COUNTS)
    True
    """
    b = breaks()[name]
    series = {count: counted(name, count) for count in COUNTS}
    starts = distinct_starts(
        list(series.values()), (b.year, *(y for y in START_YEARS if y > b.year))
    )
    readings = {
        count: list(
            dict.fromkeys(_reading(line_minus_exp(*series[count], s), band) for s in starts)
        )
        for count in COUNTS
    }
    parts = [
        f"{COUNTING[c]}{' reads' if i == 0 else ''} {in_words(r, 'or')}"
        for i, (c, r) in enumerate(readings.items())
    ]
    return {
        "first": starts[0],
        "last": starts[-1],
        "starts": len(starts),
        "counts": len(COUNTS),
        "flips": sum(READINGS[0] in r and READINGS[1] in r for r in readings.values()),
        "settled": (settled := sum(len(r) == 1 for r in readings.values())),
        "settled_phrase": _settled_phrase(settled),
        "phrase": in_words(parts),
    }


def _settled_phrase(settled: int) -> str:
    """How many ways of counting read the same from every start, as a clause.

    Examples
    --------
    >>> _settled_phrase(0)
    'no count reads the same from every start'
    >>> _settled_phrase(2)
    '2 counts read the same from every start'
    """
    if settled == 0:
        return "no count reads the same from every start"
    if settled == 1:
        return "only one count reads the same from every start"
    return f"{settled} counts read the same from every start"


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


#: Resamples of the calendar years after the break (:func:`shape_bootstrap`).
YEAR_DRAWS = 1000


@functools.cache
def shape_bootstrap(
    name: str = "specint", draws: int = YEAR_DRAWS, seed: int = 17, band: float = 2.0
) -> dict[str, float]:
    """How sure the line-or-exponential answer after the break is, for each way of
    counting: the points from the break year on, resampled by calendar year
    (:func:`lossylib.trends.yearboot.year_bootstrap`, ``draws`` times, seeded).

    Keys, each with the count's suffix (:data:`COUNT_SUFFIX`): ``after_exp_over_linear``
    with ``_low`` and ``_high`` (the middle 95% of the line's AIC minus the
    exponential's), ``exp_share`` and ``line_share`` (the shares of resamples in which the
    exponential, or the line, fits better by more than ``band``), and ``growth_after``
    (the exponential's yearly growth from the break on) with its ``_low`` and ``_high``.
    Also ``year_draws`` and ``years_after`` (the calendar years resampled). A few
    hundredths of a second.

    Examples
    --------
    >>> b = shape_bootstrap()
    >>> bool(b["after_exp_over_linear_low"] < b["after_exp_over_linear_high"])
    True
    >>> low, mid, high = (b[f"growth_after{k}_record"] for k in ("_low", "", "_high"))
    >>> bool(low < mid < high)
    True
    """
    brk = breaks()[name]
    out: dict[str, float] = {"year_draws": draws}
    for count, suffix in COUNT_SUFFIX.items():
        years, values = counted(name, count)
        after = years >= brk.year
        boot = year_bootstrap(years[after], values[after], draws=draws, seed=seed)
        low, high = boot.interval()
        g_low, g_high = boot.growth_interval()
        out[f"after_exp_over_linear_low{suffix}"] = low
        out[f"after_exp_over_linear_high{suffix}"] = high
        out[f"exp_share{suffix}"] = boot.share_above(band)
        out[f"line_share{suffix}"] = boot.share_below(-band)
        out[f"growth_after{suffix}"] = fit_exponential(years[after], values[after]).growth
        out[f"growth_after_low{suffix}"] = g_low
        out[f"growth_after_high{suffix}"] = g_high
        out["years_after"] = boot.years
    return out


#: Later starts, and an earlier end, of the fits after the break that the page quotes
#: (:func:`late_starts`).
LATE_START, LATEST_START = 2007.5, 2008.0
SHORT_START, SHORT_END = 2006.0, 2016.0


def late_starts(name: str = "specint") -> dict[str, float]:
    """:func:`line_minus_exp` for each way of counting (suffixes of :data:`COUNT_SUFFIX`)
    with the fits started at :data:`LATE_START` (``late``) and :data:`LATEST_START`
    (``latest``), and started at :data:`SHORT_START` on the data before
    :data:`SHORT_END` (``short``): where the answer at the break year stops holding.

    Examples
    --------
    >>> r = late_starts()
    >>> sorted(k for k in r if k.startswith("latest"))
    ['latest', 'latest_fastest', 'latest_record', 'latest_start']
    """
    series = {count: counted(name, count) for count in COUNTS}
    out = {
        "late_start": LATE_START,
        "latest_start": LATEST_START,
        "short_start": SHORT_START,
        "short_end": SHORT_END,
    }
    for count, suffix in COUNT_SUFFIX.items():
        out[f"late{suffix}"] = line_minus_exp(*series[count], LATE_START)
        out[f"latest{suffix}"] = line_minus_exp(*series[count], LATEST_START)
        out[f"short{suffix}"] = line_minus_exp(*series[count], SHORT_START, SHORT_END)
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
    boot = shape_bootstrap(name)
    measures = {
        "points from the break on": "after_points",
        "S-curve's AIC minus two segments' (whole series)": "two_segment_aic_gain",
        "line's AIC minus exponential's (from the break on)": "after_exp_over_linear",
    }
    rows = [
        {"measure": label} | {count: shapes[count][key] for count in COUNTS}
        for label, key in measures.items()
    ]
    rows.append(
        {"measure": "the same, middle 95% over years resampled"}
        | {
            count: f"{boot[f'after_exp_over_linear_low{s}']:.1f} to "
            f"{boot[f'after_exp_over_linear_high{s}']:.1f}"
            for count, s in COUNT_SUFFIX.items()
        }
    )
    rows.append(
        {"measure": "resamples favouring exponential / line (by > 2)"}
        | {
            count: f"{boot[f'exp_share{s}']:.0%} / {boot[f'line_share{s}']:.0%}"
            for count, s in COUNT_SUFFIX.items()
        }
    )
    forecast = {
        f"points from {HOLDOUT_FROM:.0f} on (held out)": "holdout_points",
        f"forecast error from {HOLDOUT_FROM:.0f}, line": "forecast_error_linear",
        f"forecast error from {HOLDOUT_FROM:.0f}, exponential": "forecast_error_exp",
    }
    rows += [
        {"measure": label} | {count: shapes[count][key] for count in COUNTS}
        for label, key in forecast.items()
    ]
    return rows


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
def break_by_year(name: str = "specint") -> BreakFit:
    """The break of :func:`breaks` with whole calendar years resampled instead of single
    chips (``fit_break(..., by_year=True)``, same draws and seed): the interval a
    bootstrap that treats the chips of one year as one draw gives.

    Examples
    --------
    >>> b = break_by_year()
    >>> bool(b.year == breaks()["specint"].year and b.year_low <= b.year <= b.year_high)
    True
    """
    i = BREAK_SERIES.index(name)
    return fit_break(*load_series(name), boot=BOOT, seed=17 + i, by_year=True)


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
#: The real series that levelled off, and the year from which its plateau is measured.
LEVELLED, PLATEAU_FROM = "frequency", 2015.0


@functools.cache
def levelling_off(name: str = LEVELLED, plateau_from: float = PLATEAU_FROM) -> dict[str, float]:
    """When could prefixes of a real series that did level off (clock frequency) tell
    its S-curve from one exponential? The real-data test of "early S-curves look
    exponential", on the prefixes of :data:`REAL_ENDS` (:func:`real_prefix`).

    Keys: ``break_year`` (its two-segment fit, :func:`breaks`); ``first_clear`` and
    ``lag`` (the first prefix end from which the S-curve stays better by more than
    :data:`~lossylib.trends.prefix.CLEAR_AIC`, and how long after the break that is;
    ``nan`` and ``inf`` if never), the same at the lowest threshold of
    :data:`THRESHOLDS` (``first_clear_lowest``, ``lag_lowest``); ``until`` and
    ``best_until`` (the last prefix end before that, and the S-curve's largest AIC
    advantage on any prefix up to it); ``plateau`` (the median value from
    ``plateau_from`` on); ``early_ceiling_low_ratio`` and ``early_ceiling_high_ratio``
    (the S-curve's ceilings fitted to data up to the break, over the plateau, two
    significant digits) and ``early_ceiling_log_se_min`` (the smallest standard error of
    their logs); ``ceiling_first_clear_ratio`` and ``ceiling_all_ratio`` (the ceiling
    once clearly better and with all the data, over the plateau).

    Examples
    --------
    >>> f = levelling_off()
    >>> bool(f["break_year"] < f["first_clear"]), bool(f["best_until"] < 10)
    (True, True)
    """
    s = real_prefix(name)
    b = breaks()[name] if name in BREAK_SERIES else fit_break(*load_series(name), boot=1)
    years, values = load_series(name)
    plateau = float(np.median(values[years >= plateau_from]))
    first, lowest = s.first_clear(CLEAR_AIC), s.first_clear(min(THRESHOLDS))

    def lag(year: float) -> float:
        return year - b.year if math.isfinite(year) else math.inf

    before = s.ends < lowest if math.isfinite(lowest) else np.ones(s.ends.size, bool)
    early = s.ends <= b.year
    ratios = np.exp(s.log_ceiling[early]) / plateau
    clear_at = np.flatnonzero(s.ends == first)
    return {
        "break_year": b.year,
        "first_clear": first,
        "lag": lag(first),
        "first_clear_lowest": lowest,
        "lag_lowest": lag(lowest),
        "until": float(s.ends[before].max()) if before.any() else math.nan,
        "best_until": float(s.delta_aic[before].max()) if before.any() else math.nan,
        "plateau": plateau,
        "plateau_from": plateau_from,
        "early_ceiling_low_ratio": float(f"{ratios.min():.2g}") if early.any() else math.nan,
        "early_ceiling_high_ratio": float(f"{ratios.max():.2g}") if early.any() else math.nan,
        "early_ceiling_log_se_min": float(f"{s.log_ceiling_se[early].min():.2g}")
        if early.any()
        else math.nan,
        "ceiling_first_clear_ratio": float(np.exp(s.log_ceiling[clear_at[0]]) / plateau)
        if clear_at.size
        else math.nan,
        "ceiling_all_ratio": float(np.exp(s.log_ceiling[-1]) / plateau),
    }


#: Prefix ends (every decade) of the US population fits, and the last year used.
POPULATION_ENDS = tuple(float(y) for y in range(1850, 1991, 10))
POPULATION_THROUGH = 2015.0


@functools.cache
def population_prefixes(
    ends: tuple[float, ...] = POPULATION_ENDS, through: float = POPULATION_THROUGH
) -> dict[str, float]:
    """The S-curve fitted to prefixes of the US population (the brake chapter's series,
    :func:`lossylib.growth.data.load_population`, up to ``through``): a series where a
    clear AIC win and a tight standard error still gave a wrong ceiling, as Pearl and
    Reed's did.

    Keys (people in millions): ``level`` (the population in ``through``); over the
    prefixes on which the S-curve beat one exponential by more than
    :data:`~lossylib.trends.prefix.CLEAR_AIC`:
    ``clear_fits`` and ``first_clear_end`` (how many, and the earliest end), ``aic_low``
    and ``aic_high`` (their AIC advantages), ``se_low`` and ``se_high`` (the standard
    errors of their log ceilings), ``below`` (how many ceilings lie below ``level``),
    ``below_from`` (the earliest end from which every ceiling does) and
    ``ceiling_below_low``, ``ceiling_below_high`` (those ceilings).

    Examples
    --------
    >>> p = population_prefixes()
    >>> bool(p["below"] <= p["clear_fits"]), bool(p["ceiling_below_high"] < p["level"])
    (True, True)
    """
    from lossylib.growth.data import load_population

    pop = load_population()
    t, v = np.asarray(pop.years, float), np.asarray(pop.values, float)
    t, v = t[t <= through], v[t <= through] / 1e6
    level = float(v[-1])
    rows = []
    for end in ends:
        seen = t < end
        logistic = fit_logistic(t[seen], v[seen])
        gain = fit_exponential(t[seen], v[seen]).aic - logistic.aic
        ceiling = math.exp(logistic.log_ceiling)
        rows.append((float(end), gain, logistic.log_ceiling_se, ceiling))
    clear = [r for r in rows if r[1] > CLEAR_AIC]
    below = [r for r in clear if r[3] < level]
    tail = [i for i in range(len(clear)) if all(r[3] < level for r in clear[i:])]
    return {
        "level": level,
        "through": through,
        "clear_fits": len(clear),
        "first_clear_end": clear[0][0] if clear else math.nan,
        "aic_low": min((r[1] for r in clear), default=math.nan),
        "aic_high": max((r[1] for r in clear), default=math.nan),
        "se_low": min((r[2] for r in clear), default=math.nan),
        "se_high": max((r[2] for r in clear), default=math.nan),
        "below": len(below),
        "below_from": clear[tail[0]][0] if tail else math.nan,
        "ceiling_below_low": min((r[3] for r in below), default=math.nan),
        "ceiling_below_high": max((r[3] for r in below), default=math.nan),
        "last_end": float(ends[-1]),
    }


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
    # with the data up to the inflection: how many samples prefer the S-curve clearly, at
    # the page's threshold and at the lowest shown, with Wilson intervals; and the first
    # prefix on which half the samples do at the lowest
    n = arr["delta_aic"].shape[0]
    at_inflection = arr["delta_aic"][:, ends == CURVE.midpoint][:, 0]
    for suffix, th in (("", CLEAR_AIC), ("_lowest", min(THRESHOLDS))):
        k = int((at_inflection > th).sum())
        low, high = share_interval(k, n)
        out[f"synthetic_clear_count_at_midpoint{suffix}"] = k
        out[f"synthetic_clear_share_at_midpoint_low{suffix}"] = low
        out[f"synthetic_clear_share_at_midpoint_high{suffix}"] = high
    half = np.flatnonzero((arr["delta_aic"] > min(THRESHOLDS)).mean(axis=0) >= 0.5)
    out["synthetic_half_lowest_end"] = float(ends[half[0]]) if half.size else math.nan
    by_year = break_by_year()
    out["break_low_by_year"], out["break_high_by_year"] = by_year.year_low, by_year.year_high
    for year in range(2000, 2006):
        out[f"ceiling_{year}_ratio"] = float(np.exp(s.log_ceiling[at[float(year)]]) / level)
    for th in THRESHOLDS:
        out[f"first_clear_{th:.0f}"] = s.first_clear(th)
    return out
