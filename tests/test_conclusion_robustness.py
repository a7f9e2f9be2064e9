"""The conclusion's robustness checks: the year bootstrap, the series that levelled off,
later starts, the verdict over the page's choices, the lambda sweep and the population
ceilings; and the words the page and the front page build on them."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_claims_conclusion import BASE, made_up

from lossylib import claims
from lossylib.claims import CAVEAT, DOES_NOT_HOLD, HOLDS
from lossylib.claims import conclusion as cc
from lossylib.trends import experiments as ex
from lossylib.trends import fits
from lossylib.trends.yearboot import _exp_fits, _line_sse, year_bootstrap

# ------------------------------------------------------------------ year bootstrap


def _resampled(years, values, seed):
    """One resample of whole calendar years, made the slow way."""
    calendar = np.floor(years)
    unique = np.unique(calendar)
    pick = np.random.default_rng(seed).choice(unique.size, unique.size)
    index = np.concatenate([np.flatnonzero(calendar == unique[j]) for j in pick])
    counts = np.bincount(pick, minlength=unique.size).astype(float)
    weights = counts[np.searchsorted(unique, calendar)]
    return years[index], values[index], weights


@pytest.mark.parametrize("count", ex.COUNTS)
def test_weighted_fits_match_the_library_fits_on_resampled_data(count):
    """Each resample is solved as weights on the original points; on the chips after the
    break that gives the AIC difference fit_linear and fit_exponential give on the
    resampled points themselves."""
    years, values = ex.counted("specint", count)
    after = years >= ex.breaks()["specint"].year
    years, values = years[after], values[after]
    y = np.log(values)
    for seed in range(12):
        t, v, w = _resampled(years, values, seed)
        reference = fits.fit_linear(t, v).aic - fits.fit_exponential(t, v).aic
        slope, sse_exp = _exp_fits(years, y, w[None, :])
        sse_line = _line_sse(years, y, w[None, :])
        mine = w.sum() * math.log(sse_line[0] / sse_exp[0])
        assert mine == pytest.approx(reference, abs=1e-5)
        assert slope[0] == pytest.approx(fits.fit_exponential(t, v).slope, rel=1e-9)


def test_year_bootstrap_tells_a_line_from_an_exponential_both_ways():
    t = np.arange(2005.0, 2021.0) + 0.3
    noise = np.exp(np.random.default_rng(0).normal(0, 0.03, t.size))
    exp = year_bootstrap(t, np.exp(0.15 * (t - 2005)) * noise, draws=300, seed=1)
    line = year_bootstrap(t, (10 + 3 * (t - 2005)) * noise, draws=300, seed=1)
    assert exp.share_above(2) > 0.9 and exp.interval()[0] > 0
    assert line.share_below(-2) > 0.9 and line.interval()[1] < 0
    assert exp.years == line.years == 16


def test_year_bootstrap_is_seeded_and_checks_its_arguments():
    t = np.arange(2005.0, 2021.0)
    v = 5 + t - 2005
    a, b = (year_bootstrap(t, v, draws=50, seed=3) for _ in range(2))
    assert np.array_equal(a.line_minus_exp, b.line_minus_exp)
    with pytest.raises(ValueError, match="draws"):
        year_bootstrap(t, v, draws=0)
    with pytest.raises(ValueError, match="positive"):
        year_bootstrap(t, -v, draws=5)


def test_shape_bootstrap_brackets_the_fits_from_the_break():
    boot = ex.shape_bootstrap()
    for count, suffix in ex.COUNT_SUFFIX.items():
        point = ex.shape_after_break("specint", count)["after_exp_over_linear"]
        low, high = (
            boot[f"after_exp_over_linear_low{suffix}"],
            boot[f"after_exp_over_linear_high{suffix}"],
        )
        assert low < point < high
        g = [boot[f"growth_after{k}{suffix}"] for k in ("_low", "", "_high")]
        assert g[0] < g[1] < g[2]
        assert 0 <= boot[f"exp_share{suffix}"] + boot[f"line_share{suffix}"] <= 1


def test_the_pages_words_on_the_bootstrap_follow_it():
    """ "Leaves even the first open": every chip's range reaches below the margin; the
    fastest chip to date leans to a line in most resamples; the forecast rests on a
    handful of points."""
    ev = claims.get(17).check().evidence
    assert ev["after_exp_over_linear_low"] < ev["prefer_aic"] < ev["after_exp_over_linear"]
    assert ev["exp_share"] > 0.5 and ev["line_share_record"] > 0.5
    assert ev["exp_share_fastest"] < 0.5 and ev["line_share_fastest"] < 0.5
    assert ev["holdout_points_record"] <= 6
    # the fastest chip to date grew more slowly than every chip, and there "an exponential
    # fits worse than a line" (the page glues the phrase; a slower rate alone is no line)
    assert ev["growth_after_record"] < ev["growth_after"]
    assert cc.shape_phrases(ev)["after_record_only"].startswith("an exponential fits worse")
    assert "Resampling the years after the break" in claims.get(17).check().summary


# ------------------------------------------------------------ the series that levelled


def test_clock_frequency_is_the_real_test_of_the_warning():
    """The page: frequency levelled off; its S-curve was about as good as one exponential
    (within the margin) on every prefix up to a year after the break, clearly better
    only after it; and the ceilings fitted up to the break were unbounded."""
    f = ex.levelling_off()
    years, values = ex.load_series("frequency")
    assert (
        ex.growth_fit("frequency", 2005, 2022).low < 0 < ex.growth_fit("frequency", 2005, 2022).high
    )
    assert f["break_year"] < f["until"] < f["first_clear"]
    assert f["best_until"] <= cc.PREFER_AIC
    assert f["lag"] > 0 and f["lag_lowest"] > 0
    assert f["early_ceiling_low_ratio"] > 1e6 and f["early_ceiling_log_se_min"] > 1e3
    assert f["plateau"] < values.max()
    ev = claims.get(17).check().evidence
    assert ev["frequency_lag_after_break"] == f["lag"]
    assert ev["frequency_first_clear"] == f["first_clear"]


def test_levelling_off_handles_a_series_never_clear(monkeypatch):
    """A series whose S-curve never wins has an infinite lag (and so cannot tell)."""
    study = ex.real_prefix("frequency")
    never = type(study)(**{**study.__dict__, "delta_aic": np.full(study.ends.size, -2.0)})
    monkeypatch.setattr(ex, "real_prefix", lambda name="specint": never)
    f = ex.levelling_off.__wrapped__()
    assert math.isnan(f["first_clear"]) and f["lag"] == math.inf
    assert f["until"] == study.ends.max()


# ------------------------------------------------------------------- later starts


def test_late_starts_say_what_the_page_says():
    """ "With data before 2016 only, every chip from 2006 favours the exponential by just
    a little"; and started in 2008 the fastest chip to date is within the margin, not
    a line (a referee found the page counting it as one)."""
    r = ex.late_starts()
    assert r["late"] < -cc.PREFER_AIC and r["late_fastest"] < -cc.PREFER_AIC
    assert -cc.PREFER_AIC < r["latest_record"] < 0 < cc.PREFER_AIC < r["late_record"]
    assert 0 < r["short"] < 2 * cc.PREFER_AIC
    ev = claims.get(17).check().evidence
    assert r["short"] < ev["after_exp_over_linear"]
    years, values = ex.counted("specint", ex.COUNTS[0])
    assert r["late"] == ex.line_minus_exp(years, values, ex.LATE_START)


# ------------------------------------------------------------ the verdict over choices


def _series(shape):
    t = np.arange(2004.6, 2022.0)
    v = np.exp(0.15 * (t - 2004)) if shape == "exp" else 10 + 3 * (t - 2004)
    return {c: (t, v) for c in ex.COUNTS}


def test_verdict_grid_goes_both_ways_on_made_up_series():
    """On made-up evidence that compounds, made-up series that stay exponential after the
    break give "does not hold" in every setting; series that grow along a line give
    "holds" in every setting, whether the count kept compounding or slowed."""
    starts = (2005.0, 2007.0)
    exp = cc.verdict_grid(made_up(), _series("exp"), starts, ends=(2019.0, 2023.0))
    assert exp["fails"] == exp["settings"] == exp["same"] == 12 and exp["others"] == "none"
    line = cc.verdict_grid(made_up(), _series("line"), starts, ends=(2019.0, 2023.0))
    assert line["holds"] == line["settings"] == 12 and line["same"] == 0
    assert line["others"].count("does not hold") == 0
    slowed = made_up(count_late=0.1)
    held = cc.verdict_grid(slowed, _series("line"), starts, ends=(2023.0,))
    assert held["holds"] == held["settings"] == 6


def test_the_margin_is_read_from_the_evidence():
    """A made-up comparison of 3 after the break counts as "better" at a margin of 2
    and as "about as well" at 4."""
    ev = made_up(after_exp_over_linear=3.0, after_exp_over_linear_fastest=3.0,
                 after_exp_over_linear_record=3.0)  # fmt: skip
    assert cc.rule(ev).verdict == DOES_NOT_HOLD
    assert cc.rule({**ev, "prefer_aic": 4.0}).verdict == CAVEAT
    assert (
        "about as well as a line however it is counted"
        in cc.rule({**ev, "prefer_aic": 4.0}).summary
    )


def test_the_live_verdict_stays_a_caveat_over_the_pages_choices():
    """The page: "holds with a caveat" in all but a few settings, and those few read
    compounding on every count with the lowest margin."""
    r = cc.verdict_robustness()
    assert claims.get(17).check().verdict == CAVEAT
    assert (
        r["settings"]
        == r["starts"] * r["ends"] * r["prefers"]
        == r["holds"] + r["caveat"] + r["fails"]
    )
    assert r["same"] == r["caveat"] >= 0.95 * r["settings"]
    # "The rest, all at the lowest margin and each in one window only, go either way ...
    # The grid can reach every verdict."
    assert r["holds"] >= 1 and r["fails"] >= 1
    others = r["others"].split("; ")
    assert len(others) == r["settings"] - r["same"]
    assert all(f"margin {min(cc.GRID_PREFER):g}:" in o for o in others)
    windows = [o.split(", margin")[0] for o in others]
    assert len(set(windows)) == len(windows)


def test_the_count_is_what_turns_the_verdict():
    """The page (front page and conclusion): what turns claim 17's verdict is the way of
    counting, and the rule settles a shape only where every count agrees, "so the
    counts' disagreement is the caveat". Counted one way alone, the rule reads that
    count's numbers for all three."""
    ev = claims.get(17).check().evidence
    by_count = cc.verdict_by_count(ev)
    assert list(by_count) == list(ex.COUNTS)
    assert len(set(by_count.values())) > 1  # the counts disagree ...
    assert claims.get(17).check().verdict == CAVEAT  # ... and that is the caveat
    assert DOES_NOT_HOLD in by_count.values() and HOLDS in by_count.values()
    phrase = cc.count_verdict_phrase(by_count)
    for count, verdict in by_count.items():
        assert f'"{verdict}" for {ex.COUNTING[count]}' in phrase
    # each count's verdict follows that count's own comparison after the break
    gains = {c: ev[f"after_exp_over_linear{cc.SUFFIX[c]}"] for c in ex.COUNTS}
    for count, verdict in by_count.items():
        if gains[count] > cc.PREFER_AIC and ev["felt_after_low"] > cc.FLAT:
            # exponential after the break on this count: compounding, not linear-ish
            assert verdict != HOLDS, count
        if gains[count] < -cc.PREFER_AIC:  # a line on this count: linear-ish
            assert verdict != DOES_NOT_HOLD, count


def test_the_grid_counts_each_setting_once():
    """A referee found the break year (2004.49) and 2004.5 in the grid's starts, fitting
    the same chips: every start in the grid now picks different chips on some count."""
    r = cc.verdict_robustness()
    starts = [float(x) for x in r["start_values"].replace(" and ", ", ").split(", ")]
    assert len(starts) == r["starts"]
    series = [ex.counted("specint", c) for c in ex.COUNTS]
    picks = {tuple(int((years >= s).sum()) for years, _ in series) for s in starts}
    assert len(picks) == len(starts)
    assert ex.distinct_starts(series, (2004.0, 2004.5, 2005.0, 2005.5)) == (2004.0, 2005.0)


def test_start_readings_say_no_start_settles_the_shape():
    """The page: from the break year on, counts flip between compounding and a line as
    the start moves, "so no start settles the shape"."""
    r = ex.start_readings()
    assert r["settled"] == 0 and r["flips"] >= 1 and r["counts"] == len(ex.COUNTS)
    series = {c: ex.counted("specint", c) for c in ex.COUNTS}
    starts = ex.distinct_starts(
        list(series.values()),
        (ex.breaks()["specint"].year, *(y for y in ex.START_YEARS if y > r["first"])),
    )
    assert len(starts) == r["starts"] and starts[-1] == r["last"]
    flips = 0
    for count in ex.COUNTS:
        gains = [ex.line_minus_exp(*series[count], s) for s in starts]
        flips += max(gains) > cc.PREFER_AIC and min(gains) < -cc.PREFER_AIC
    assert flips == r["flips"]
    # on made-up readings the words follow the numbers
    assert ex._reading(3.0, 2.0) == "compounding" and ex._reading(-3.0, 2.0) == "a line"
    assert ex._reading(1.9, 2.0) == "neither"


# -------------------------------------------------------------------- lambda sweep


def test_lam_sweep_keeps_the_regimes_and_moves_the_times():
    rows = cc.lam_sweep()
    assert [r["λ"] for r in rows] == list(cc.LAMBDAS)
    n = cc.lam_numbers(rows)
    assert n["regimes_same"] == 1 and n["sum_low"] > 1
    assert all(r["at 90%"] == "slows" and r["at 100%"] == "explodes" for r in rows)
    halves = [next(v for k, v in r.items() if k.startswith("half")) for r in rows]
    assert all(a > b for a, b in zip(halves, halves[1:], strict=False))  # sooner as lam grows
    phis = [r["φ"] for r in rows]
    assert all(a > b for a, b in zip(phis, phis[1:], strict=False))
    # the page's loop runs at the brake's lambda: its row is the loop's own numbers
    loop = cc.loop_result()[1]
    row = rows[cc.LAMBDAS.index(loop["lam"])]
    assert row["φ"] == pytest.approx(loop["phi"])
    assert halves[cc.LAMBDAS.index(loop["lam"])] == loop["ceiling_half_time_90"]


def test_phi_plus_lam_passes_one_exactly_when_productivity_falls_slower_than_growth():
    from lossylib.trends.loop import returns_from_decline

    for lam in (0.1, 0.5, 2.0):
        for decline, growth in ((0.068, 0.4), (0.3, 0.2), (0.05, 0.04)):
            phi = returns_from_decline(decline, growth, lam=lam)
            assert (phi + lam > 1) == (decline < math.log1p(growth))


# --------------------------------------------------------------------- population


def test_population_ceilings_are_tight_clear_and_wrong():
    p = ex.population_prefixes()
    assert p["clear_fits"] >= 5 and p["aic_low"] > cc.CLEAR_AIC
    assert p["se_high"] < 0.2
    assert p["below"] >= p["clear_fits"] - 1
    assert p["ceiling_below_high"] < p["level"]
    assert p["below_from"] <= p["last_end"]


# ---------------------------------------------------------------------- the words


def test_claim_17_links_to_the_key_findings_the_front_page_promises():
    assert claims.get(17).href().endswith("conclusion.html#key-findings")


def test_short_findings_show_the_verdict_and_its_caveat_only():
    v = claims.get(17).check()
    html = claims.findings([17], short=True)._repr_html_()
    assert claims.short_summary(v).split(". ")[0].replace("'", "&#x27;") in html
    assert "Resampling" not in html and "noisy samples" not in html
    assert claims.verdict_html(v) in html


@pytest.mark.parametrize(
    ("changes", "verdict"),
    [
        ({}, DOES_NOT_HOLD),
        ({"after_exp_over_linear_record": -7.0}, CAVEAT),
        (
            {"felt_after": 0.02, "felt_after_low": 0.0, "felt_after_high": 0.04, "count_late": 0.1},
            HOLDS,
        ),  # fmt: skip
    ],
)
def test_every_verdict_says_how_sure_the_shape_after_the_break_is(changes, verdict):
    ranges = {"after_exp_over_linear_low": -0.6, "after_exp_over_linear_high": 16.3,
              "after_exp_over_linear_low_fastest": -21.6,
              "after_exp_over_linear_high_fastest": 9.6,
              "after_exp_over_linear_low_record": -23.3,
              "after_exp_over_linear_high_record": 19.6}  # fmt: skip
    v = cc.rule(made_up(**ranges, **changes))
    assert v.verdict == verdict
    assert "-0.6 to 16.3 counting every chip" in v.summary
    # without bootstrap numbers (older evidence), the sentence is left out
    assert "Resampling" not in cc.rule(made_up(**changes)).summary
    assert set(BASE) <= set(v.evidence)


# ------------------------------------------------------------- the loss is a choice


def test_the_loss_follows_the_tail_chapters_sample_size():
    """The loop's loss is set by the tail-loss chapter's sample size: worked out at its
    own size it is close to the simulated input the loop uses, it falls about as 1/n,
    and the time to half the ceiling grows as 1/loss (the closed form, which the
    simulated loop matches)."""
    from lossylib.trends.loop import half_ceiling_time

    inputs, _ = cc.loop_inputs()
    chosen = int(claims.get(6).check().evidence["gaussian_n"])
    assert cc.loss_at_samples(chosen) == pytest.approx(inputs["loss"].value, rel=0.05)
    rows = cc.sample_size_rows((20, 100, 1000))
    losses = [r["loss per generation"] for r in rows]
    assert losses[0] > losses[1] > losses[2]
    assert losses[1] / losses[2] == pytest.approx(10, rel=0.02)
    halves = [r["half the ceiling (generations)"] for r in rows]
    phi = inputs["phi"].value
    assert halves == [round(half_ceiling_time(phi, x)) for x in losses]
    n = cc.sample_size_numbers(rows, chosen=100)
    assert n["half_chosen"] == halves[1] and n["slower"] == halves[2] / halves[1]
    loop = cc.loop_result()[1]
    assert loop["ceiling_half_time_closed"] == pytest.approx(loop["ceiling_half_time_90"], rel=0.02)
    # the page's phi is reproducible from the glued log rate, as a reader would do it
    decline = loop["decline"]
    assert 1 - loop["lam"] * decline / loop["transistor_log_growth"] == pytest.approx(loop["phi"])


def test_leanings_name_each_count():
    ev = claims.get(17).check().evidence
    phrase = cc.shape_phrases(ev)["after_short"]
    for count in ex.COUNTS:
        gain = ev[f"after_exp_over_linear{ex.COUNT_SUFFIX[count]}"]
        word = "compounding" if gain > cc.PREFER_AIC else "a line" if gain < -2 else "neither"
        first = count == ex.COUNTS[0]
        said = f"over {ex.COUNTING[count]}{' the data favour' if first else ''} {word}"
        assert said in phrase, (said, phrase)
    assert phrase.startswith("counted over ")
