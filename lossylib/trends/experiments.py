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

import numpy as np

from lossylib.trends.data import SERIES, Growth, growth_fit, load_series
from lossylib.trends.fits import BreakFit, fit_break, fit_logistic
from lossylib.trends.prefix import Curve, PrefixStudy, prefix_study, synthetic_study

#: The two eras compared: before and after the break in single-thread performance.
ERAS = ((1971, 2005), (2005, 2022))
#: Series fitted with a break (the ones users feel, and the count that compounded).
BREAK_SERIES = ("specint", "frequency", "transistors")
#: Bootstrap resamples for the break fits.
BOOT = 300
#: The synthetic curve: a logistic with its inflection in year 30 of 60, noise like the
#: real single-thread series' scatter about its own fit.
CURVE = Curve(log_ceiling=10.0, rate=0.3, midpoint=30.0, sigma=0.3)
#: Prefix ends for the synthetic curve, and the number of noisy samples.
SYNTH_ENDS = (10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 50.0, 60.01)
SYNTH_SEEDS = 12
#: Prefix ends (years) for the real single-thread series, and the forecast year.
REAL_ENDS = tuple(float(y) for y in range(1996, 2023))
REAL_HORIZON = 2021.5


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
        "ceiling_2000_ratio": float(np.exp(s.log_ceiling[at[2000.0]]) / level),
        "ceiling_2005_ratio": float(np.exp(s.log_ceiling[at[2005.0]]) / level),
        "exp_2005_ratio": float(np.exp(s.exp_forecast[at[2005.0]]) / level),
        "two_segment_aic_gain": float(fit_logistic(years, values).aic - b["specint"].aic),
        "synthetic_seeds": SYNTH_SEEDS,
        "synthetic_stop": CURVE.stop,
        "synthetic_sigma": CURVE.sigma,
        "synthetic_rate": CURVE.rate,
        "boot": BOOT,
    }
    for th in THRESHOLDS:
        out[f"first_clear_{th:.0f}"] = s.first_clear(th)
    return out
