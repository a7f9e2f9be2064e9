"""Tests for lossylib.trends: the shipped data, growth rates, break and logistic fits,
prefix studies and the toy loop."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lossylib import trends
from lossylib.trends import experiments, fits, loop, prefix
from lossylib.trends.data import SERIES, parse_dat

DATA = Path(trends.__file__).parent / "data"
SHARED = Path("/work/shared/data/microprocessor_trends")


def _direct(name: str) -> np.ndarray:
    """The file read independently of lossylib: numpy's own comment-aware loader."""
    return np.loadtxt(DATA / SERIES[name][0], comments="#")


@pytest.mark.parametrize("name", list(SERIES))
def test_load_series_matches_the_file(name):
    years, values = trends.load_series(name)
    raw = _direct(name)
    assert years.dtype == np.float64 and values.dtype == np.float64
    assert len(years) == len(raw)
    assert np.all(np.diff(years) >= 0)
    # Same multiset of rows (the loader sorts by year).
    assert sorted(map(tuple, raw)) == sorted(zip(years.tolist(), values.tolist(), strict=True))


def test_shipped_files_are_unchanged_and_licensed():
    assert (DATA / "LICENSE.txt").read_text().find("Creative Commons Attribution 4.0") >= 0
    assert "Rupp" in (DATA / "README.md").read_text()
    if SHARED.exists():
        for f in [*SERIES.values()]:
            assert (DATA / f[0]).read_bytes() == (SHARED / f[0]).read_bytes()


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [("specint", 1985, 2005), ("specint", 2005, 2022), ("transistors", 1971, 2005),
     ("transistors", 2005, 2022), ("frequency", 1985, 2004), ("watts", 1990, 2010.5)],
)  # fmt: skip
def test_growth_rate_against_direct_least_squares(name, start, end):
    raw = _direct(name)
    keep = (raw[:, 0] >= start) & (raw[:, 0] < end)
    x, y = raw[keep, 0], np.log(raw[keep, 1])
    a = np.column_stack([np.ones_like(x), x])
    slope = np.linalg.lstsq(a, y, rcond=None)[0][1]
    assert trends.growth_rate(name, start, end) == pytest.approx(math.expm1(slope), rel=1e-9)
    g = trends.growth_fit(name, start, end)
    assert g.low < g.rate < g.high and g.points == keep.sum()


def test_growth_rates_quoted_in_the_provenance():
    assert trends.growth_rate("specint", 1985, 2004) == pytest.approx(0.45, abs=0.01)
    assert trends.growth_rate("specint", 2005, 2022) == pytest.approx(0.12, abs=0.01)
    assert trends.growth_rate("frequency", 1985, 2004) == pytest.approx(0.33, abs=0.01)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (("moore", 1971, 2000), ValueError, "unknown series 'moore'"),
        ((3, 1971, 2000), TypeError, "series name must be a string"),
        (("specint", 2000, 2000), ValueError, "empty range"),
        (("specint", 2010, 2000), ValueError, "empty range"),
        (("specint", 1950, 1960), ValueError, "0 points"),
        (("specint", float("nan"), 2000), ValueError, "start must be finite"),
        (("specint", "1990", 2000), TypeError, "start must be a number"),
    ],
)
def test_growth_rate_bad_input(args, error, match):
    with pytest.raises(error, match=match) as info:
        trends.growth_rate(*args)
    assert "\n" not in str(info.value)


def test_load_series_unknown_name():
    with pytest.raises(ValueError, match="choose one of transistors"):
        trends.load_series("Transistors")


@pytest.mark.parametrize(
    ("text", "match"),
    [("1990 1 2\n", "line 1"), ("1990 x\n", "line 1"), ("# c\n1990 -1\n", "line 2: value"),
     ("1990 nan\n", "line 1"), ("# only\n", "no data lines")],
)  # fmt: skip
def test_parse_dat_bad_lines(text, match):
    with pytest.raises(ValueError, match=match):
        parse_dat(text)


@settings(max_examples=40, deadline=None)
@given(
    rate=st.floats(-0.5, 2.0),
    level=st.floats(-3, 3),
    n=st.integers(3, 40),
)
def test_exponential_fit_is_exact_on_exact_data(rate, level, n):
    t = np.linspace(1990, 2000, n)
    f = fits.fit_exponential(t, np.exp(level + math.log1p(rate) * (t - 1990)))
    assert f.growth == pytest.approx(rate, abs=1e-8)
    assert f.sse < 1e-12


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_break_year_recovers_a_known_break(seed):
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(1980, 2020, 90))
    true_break, b1, b2 = 2003.0, 0.35, 0.08
    y = np.where(t < true_break, b1 * (t - true_break), b2 * (t - true_break))
    v = np.exp(y + rng.normal(0, 0.25, t.size))
    f = fits.fit_break(t, v, boot=200, seed=seed)
    assert f.year_low <= true_break <= f.year_high
    assert f.before_low <= math.expm1(b1) <= f.before_high
    assert f.after_low <= math.expm1(b2) <= f.after_high
    assert f.year_high - f.year_low < 8


def test_break_fit_on_the_real_series_is_inside_its_interval():
    f = fits.fit_break(*trends.load_series("specint"), boot=50)
    assert f.year_low <= f.year <= f.year_high
    assert f.after_high < f.before_low


def test_break_fit_bad_input():
    t = np.arange(20.0)
    with pytest.raises(ValueError, match="boot must be an integer"):
        fits.fit_break(t, np.exp(t), boot=0)
    with pytest.raises(ValueError, match="need at least 11 points"):
        fits.fit_break(t[:5], np.exp(t[:5]))
    with pytest.raises(ValueError, match="positive"):
        fits.fit_break(t, t - 3)


@pytest.mark.parametrize("seed", [0, 5, 9])
def test_logistic_fit_recovers_known_parameters(seed):
    true = {"log_ceiling": 10.0, "rate": 0.3, "midpoint": 30.0}
    t = np.linspace(0, 60, 121)
    v = fits.noisy_logistic(t, **true, sigma=0.3, seed=seed)
    f = fits.fit_logistic(t, v)
    assert not f.at_bound
    assert abs(f.log_ceiling - true["log_ceiling"]) < 4 * f.log_ceiling_se
    assert f.log_ceiling_se < 0.2
    assert f.rate == pytest.approx(true["rate"], rel=0.1)
    assert f.midpoint == pytest.approx(true["midpoint"], abs=1.5)
    assert f.aic < fits.fit_exponential(t, v).aic


def test_logistic_fit_is_exact_on_exact_data():
    t = np.linspace(1970, 2020, 60)
    v = np.exp(fits.log_logistic(t, 12.0, 0.25, 2001.0))
    f = fits.fit_logistic(t, v)
    assert (f.log_ceiling, f.rate, f.midpoint) == pytest.approx((12.0, 0.25, 2001.0), rel=1e-5)


def test_noisy_logistic_is_seeded_and_checks():
    a = fits.noisy_logistic([1, 2, 3], log_ceiling=1, rate=1, midpoint=2, sigma=0.1, seed=4)
    b = fits.noisy_logistic([1, 2, 3], log_ceiling=1, rate=1, midpoint=2, sigma=0.1, seed=4)
    assert np.array_equal(a, b)
    with pytest.raises(ValueError, match="sigma"):
        fits.noisy_logistic([1], log_ceiling=1, rate=1, midpoint=2, sigma=-1)
    with pytest.raises(ValueError, match="rate"):
        fits.noisy_logistic([1], log_ceiling=1, rate=0, midpoint=2, sigma=1)


def test_prefix_study_prefers_the_logistic_only_late():
    curve = prefix.Curve(sigma=0.2)
    s = prefix.prefix_study(curve.years(), curve.sample(3), [12, 20, 45, 60.01], horizon=60)
    assert s.delta_aic[0] < prefix.CLEAR_AIC < s.delta_aic[-1]
    assert 20 < s.first_clear() <= 45
    assert s.points.tolist() == [24, 40, 90, 121]
    with pytest.raises(ValueError, match="need 6"):
        prefix.prefix_study(curve.years(), curve.sample(3), [1.0], horizon=60)


def test_first_clear_needs_to_stay_clear():
    s = prefix.PrefixStudy(*(np.array(x) for x in ([1, 2, 3, 4], [9] * 4, [20, 1, 20, 20])),
                           *(np.zeros(4) for _ in range(3)), np.zeros(4, bool), np.zeros(4),
                           horizon=5.0)  # fmt: skip
    assert s.first_clear(10) == 3
    assert math.isnan(s.first_clear(100))


def test_loop_helpers():
    assert loop.returns_from_decline(0.0, 0.3, lam=0.5) == 1.0
    assert loop.loss_per_generation(1.0, 10) == 0.0
    with pytest.raises(ValueError, match="kept"):
        loop.loss_per_generation(0.0, 3)
    with pytest.raises(ValueError, match="growth"):
        loop.returns_from_decline(0.05, 0.0, lam=0.5)
    with pytest.raises(ValueError, match="lam"):
        loop.returns_from_decline(0.05, 0.3, lam=0.0)
    with pytest.raises(ValueError, match="low <= value <= high"):
        loop.Input(0.5, 0.6, 0.7, "x")
    with pytest.raises(ValueError, match="unknown loop inputs"):
        loop.regime_shares({"gamma": loop.Input(1, 1, 1, "x")}, [1.0])
    with pytest.raises(ValueError, match="automation"):
        loop.regime_shares({}, [1.5])


def test_only_a_closed_loop_explodes_with_returns_below_one():
    inputs = {"phi": loop.Input(0.8, 0.78, 0.82, "t"), "loss": loop.Input(0.01, 0.0, 0.02, "t")}
    shares = loop.regime_shares(inputs, [0.5, 0.9, 1.0], draws=40, seed=1)
    assert sum(shares.values()) == pytest.approx(np.ones(3))
    assert shares["explodes"].tolist() == [0.0, 0.0, 1.0]
    low = {"phi": loop.Input(0.3, 0.3, 0.3, "t"), "loss": loop.Input(0.01, 0.0, 0.02, "t")}
    assert loop.regime_shares(low, [1.0], draws=10)["explodes"][0] == 0.0
    assert loop.tipping_automation(inputs) == 1.0
    assert math.isnan(loop.tipping_automation(low))


@pytest.mark.parametrize(
    ("phi", "lam", "n"), [(0.9, 0.5, 0.068), (0.8, 1.0, 0.05), (0.6, 0.3, 0.1)]
)
def test_returns_from_decline_inverts_the_models_balanced_path(phi, lam, n):
    """Run dA/dt = delta S^lam A^phi with effort growing at n until growth is steady, read
    off A's growth and the decline of productivity (growth per unit of effort), and get
    phi back. The formula for lam = 1 (phi = 1 - decline / g) failed this for lam != 1."""
    from scipy.integrate import solve_ivp

    delta = 0.2

    def dlog_a(t, y):  # y = log A
        return [delta * math.exp(lam * n * t + (phi - 1.0) * y[0])]

    t = np.array([600.0, 601.0])
    y = solve_ivp(dlog_a, (0.0, 601.0), [0.0], t_eval=t, rtol=1e-10, atol=1e-12).y[0]
    g = np.array([dlog_a(ti, [yi])[0] for ti, yi in zip(t, y, strict=True)])
    decline = -np.diff(np.log(g / np.exp(n * t)))[0]  # productivity g / S, S = e^(n t)
    got = loop.returns_from_decline(decline, math.expm1(g.mean()), lam=lam)
    assert got == pytest.approx(phi, abs=2e-3)


def test_linear_fit_tells_a_line_from_an_exponential():
    t = np.arange(2000.0, 2020.0)
    rng = np.random.default_rng(3)
    line = (10 + 3 * (t - 2000)) * np.exp(rng.normal(0, 0.02, t.size))
    grow = np.exp(0.12 * (t - 2000)) * np.exp(rng.normal(0, 0.02, t.size))
    assert fits.fit_linear(t, line).aic < fits.fit_exponential(t, line).aic - 10
    assert fits.fit_exponential(t, grow).aic < fits.fit_linear(t, grow).aic - 10
    assert fits.fit_linear(t, line).slope == pytest.approx(3, rel=0.05)


@given(st.lists(st.tuples(st.floats(1990, 2000), st.floats(1, 1e6)), min_size=1, max_size=30))
@settings(max_examples=60, deadline=None)
def test_fastest_each_year_keeps_each_years_maximum(points):
    years, values = (np.array(x) for x in zip(*points, strict=True))
    fy, fv = experiments.fastest_each_year(years, values)
    assert list(np.floor(fy)) == sorted(set(np.floor(years)))  # one point a calendar year
    for y, v in zip(fy, fv, strict=True):
        same = np.floor(years) == np.floor(y)
        assert v == values[same].max() and (y, v) in set(zip(years, values, strict=True))


def test_counted_three_ways():
    """Every chip; the fastest new chip of each year (can fall); the fastest to date (the
    running maximum of the same points, which never falls)."""
    years, values = trends.load_series("specint")
    every = experiments.counted("specint", "every chip")
    new = experiments.counted("specint", "fastest new chip each year")
    record = experiments.counted("specint", "fastest chip to date")
    assert np.array_equal(every[0], years) and np.array_equal(every[1], values)
    assert np.array_equal(new[0], record[0])
    assert np.all(record[1] >= new[1]) and np.all(np.diff(record[1]) >= 0)
    assert np.any(np.diff(new[1]) < 0)  # a year whose fastest new chip was slower
    for i in range(len(record[1])):
        assert record[1][i] == values[years < np.floor(record[0][i]) + 1].max()
    with pytest.raises(ValueError, match="unknown count 'median'"):
        experiments.counted("specint", "median")


@pytest.mark.parametrize("count", experiments.COUNTS)
def test_shape_after_break_forecasts_without_the_held_out_years(count):
    """Each forecast error is that of a fit made on the break year to HOLDOUT_FROM only."""
    years, values = experiments.counted("specint", count)
    shape = experiments.shape_after_break("specint", count)
    brk = experiments.breaks()["specint"].year
    fitted = (years >= brk) & (years < experiments.HOLDOUT_FROM)
    held = years >= experiments.HOLDOUT_FROM
    assert shape["after_points"] == (years >= brk).sum()
    assert shape["holdout_points"] == held.sum() >= 5
    for fit, key in ((fits.fit_linear, "linear"), (fits.fit_exponential, "exp")):
        f = fit(years[fitted], values[fitted])
        err = np.sqrt(np.mean((f.log_predict(years[held]) - np.log(values[held])) ** 2))
        assert shape[f"forecast_error_{key}"] == pytest.approx(err)


def test_shape_by_start_matches_the_fit_from_the_break_and_says_what_the_page_says():
    """The conclusion: started anywhere in the break year's interval, every chip favours
    the exponential and the fastest chip to date a line; the fastest new chip each year
    moves between a line and neither; from 2006 to 2007.5 the fastest chip to date
    favours the exponential."""
    from lossylib.claims.conclusion import PREFER_AIC

    brk = experiments.breaks()["specint"]
    rows = experiments.shape_by_start(starts=(brk.year,))
    for count in experiments.COUNTS:
        gain = experiments.shape_after_break("specint", count)["after_exp_over_linear"]
        assert rows[0][count] == pytest.approx(gain)
    r = experiments.start_robustness()
    assert (r["low_year"], r["high_year"]) == (brk.year_low, brk.year_high)
    assert r["max"] >= r["min"] > PREFER_AIC
    assert r["min_record"] <= r["max_record"] < -PREFER_AIC
    assert r["min_fastest"] < -PREFER_AIC < r["max_fastest"] < PREFER_AIC
    assert r["record_flips_from"] == 2006.0 > r["high_year"]
    assert r["record_flips_to"] == 2007.5
    # every start inside the interval is covered: the ends and each data year between
    for count in experiments.COUNTS:
        years, values = experiments.counted("specint", count)
        suffix = experiments.COUNT_SUFFIX[count]
        for start in np.linspace(brk.year_low, brk.year_high, 60):
            g = experiments.line_minus_exp(years, values, start)
            assert r[f"min{suffix}"] - 1e-9 <= g <= r[f"max{suffix}"] + 1e-9
    assert math.isnan(experiments.line_minus_exp(np.arange(3.0), np.ones(3), 0.0))


def test_share_interval_is_wilsons():
    lo, hi = experiments.share_interval(18, 100)
    assert (lo, hi) == pytest.approx((0.1174, 0.2668), abs=1e-3)
    assert experiments.share_interval(0, 12)[0] == 0.0
    assert experiments.share_interval(12, 12)[1] == 1.0
    with pytest.raises(ValueError, match="k <= n"):
        experiments.share_interval(5, 4)


def test_an_open_loop_levels_off_at_its_loss_ceiling():
    """Any human share caps research (Amdahl), so with returns below one the loss stops the
    loop near (delta S_max^lam / loss)^(1 / (1 - phi)); a fully automated loop has none."""
    inputs = {"phi": loop.Input(0.5, 0.5, 0.5, "t"), "loss": loop.Input(0.02, 0.02, 0.02, "t")}
    top = loop.loss_ceiling(inputs, [0.75, 1.0])
    assert top[0] == pytest.approx((0.2 * 4**0.5 / 0.02) ** 2) and math.isinf(top[1])
    times = np.linspace(0.0, 3000.0, 51)
    end = loop.simulate(times, phi=0.5, loss=0.02, automation=0.75)[-1]
    assert end == pytest.approx(top[0], rel=0.02)
    by = loop.regimes_by_horizon(inputs, [0.75], [20.0, 3000.0]).ravel().tolist()
    assert by == ["slows", "saturates"]
    assert 0 < loop.ceiling_time(inputs, [0.75], horizon=1000)[0] < 1000
    assert math.isnan(loop.ceiling_time(inputs, [1.0], horizon=1000)[0])


@pytest.mark.parametrize("share", [0.01, 0.25, 0.5, 0.9])
def test_year_at_share_inverts_share_of_ceiling(share):
    from lossylib.trends.prefix import Curve

    curve = Curve(rate=0.4, midpoint=12.0)
    assert curve.share_of_ceiling([curve.year_at_share(share)])[0] == pytest.approx(share)


@pytest.mark.parametrize("share", [0.0, 1.0, 1.5, -0.1, float("nan")])
def test_year_at_share_refuses_shares_the_curve_never_reaches(share):
    from lossylib.trends.prefix import Curve

    with pytest.raises(ValueError, match="share must be"):
        Curve().year_at_share(share)


@pytest.mark.parametrize(("phi", "loss"), [(0.8, 0.005), (0.9, 0.01), (0.85, 0.005)])
def test_half_ceiling_time_matches_the_simulated_loop(phi, loss):
    """At returns near the page's, the closed form of the time to half the loss ceiling
    agrees with the simulated loop at any automation and efficiency (they scale the
    ceiling only). Where the effort reaches its cap late (low returns, a short time
    scale, high automation) the simulated loop takes longer, as the docstring says."""
    closed = loop.half_ceiling_time(phi, loss)
    for automation, efficiency in ((0.5, 1.0), (0.9, 1.0), (0.99, 0.5)):
        inputs = {
            "phi": loop.Input(phi, phi, phi, "t"),
            "loss": loop.Input(loss, loss, loss, "t"),
            "efficiency": loop.Input(efficiency, efficiency, efficiency, "t"),
        }
        simulated = float(loop.ceiling_time(inputs, [automation], horizon=5 * closed)[0])
        assert simulated == pytest.approx(closed, rel=0.02, abs=10)  # read every 10
    # ten times less loss, ten times longer; a higher share takes longer
    assert loop.half_ceiling_time(phi, loss / 10) == pytest.approx(10 * closed)
    assert loop.half_ceiling_time(phi, loss, share=0.9) > closed
    late = {"phi": loop.Input(0.5, 0.5, 0.5, "t"), "loss": loop.Input(0.02, 0.02, 0.02, "t")}
    assert float(loop.ceiling_time(late, [0.99], horizon=1000)[0]) > 1.2 * (
        loop.half_ceiling_time(0.5, 0.02)
    )


def test_half_ceiling_time_bad_input():
    with pytest.raises(ValueError, match="phi must be below 1"):
        loop.half_ceiling_time(1.0, 0.01)
    with pytest.raises(ValueError, match="loss"):
        loop.half_ceiling_time(0.5, 0.0)
    with pytest.raises(ValueError, match="share must be below 1"):
        loop.half_ceiling_time(0.5, 0.01, share=1.0)


def test_break_fit_can_resample_whole_years():
    """Resampling calendar years keeps the fitted break and changes only the intervals;
    on the chips it is the narrower, so the page keeps the chip-level interval."""
    years, values = trends.load_series("specint")
    by_chip = fits.fit_break(years, values, boot=100, seed=3)
    by_year = fits.fit_break(years, values, boot=100, seed=3, by_year=True)
    assert by_year.year == by_chip.year and by_year.year_low <= by_year.year <= by_year.year_high
    assert (by_year.year_low, by_year.year_high) != (by_chip.year_low, by_chip.year_high)
    page = experiments.break_by_year()
    chips = experiments.breaks()["specint"]
    assert chips.year_low <= page.year_low and page.year_high <= chips.year_high
    with pytest.raises(ValueError, match="by_year"):
        fits.fit_break(years, values, boot=5, by_year=1)


def test_synthetic_shares_at_the_inflection_carry_wilson_intervals():
    f = experiments.facts()
    n = experiments.SYNTH_SEEDS
    for suffix in ("", "_lowest"):
        k = f[f"synthetic_clear_count_at_midpoint{suffix}"]
        assert k / n == f[f"synthetic_clear_share_at_midpoint{suffix}"]
        low, high = experiments.share_interval(k, n)
        assert f[f"synthetic_clear_share_at_midpoint_low{suffix}"] == low
        assert f[f"synthetic_clear_share_at_midpoint_high{suffix}"] == high
    # the lenient threshold already tells half the samples apart before the inflection
    assert f["synthetic_half_lowest_end"] < experiments.CURVE.midpoint
