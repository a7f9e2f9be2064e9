"""Claims 9-13: the verdicts and the numbers behind them."""

import pytest

from lossylib import claims


@pytest.fixture(scope="module")
def verdicts():
    return {n: claims.get(n).check() for n in (9, 10, 11, 12, 13)}


def test_registered_for_the_chapter():
    for n in (9, 10, 11, 12, 13):
        c = claims.get(n)
        assert c.chapter == "chapters/complexity-brake"
        assert c.statement


def test_claim9_harder_but_not_slower(verdicts):
    v = verdicts[9]
    assert v.verdict == claims.CAVEAT
    e = v.evidence
    # 18x the researchers over 1971-2014 is the paper's 6.8% a year, to rounding
    assert e["moore_decline_implied_by_18x"] == pytest.approx(
        e["moore_decline_per_year"], abs=0.002
    )
    assert e["model_growth_rate_after_50"] < e["model_growth_rate_start"] / 2
    assert e["model_growth_with_2pct_more_effort"] > 0


def test_claim10_contradicted_by_the_data(verdicts):
    v = verdicts[10]
    assert v.verdict == claims.DOES_NOT_HOLD
    e = v.evidence
    assert e["peak_year_before_1960"] == 1916
    assert e["peak_before_1960"] == pytest.approx(421, abs=1)
    assert e["per_million_1950"] == pytest.approx(271, abs=1)
    assert 1940 <= e["trough_year_after_peak"] <= 1955
    assert e["ratio_2015_to_1985"] == pytest.approx(933 / 298, rel=0.01)
    assert e["per_million_2015"] > e["max_1850_1900"]


def test_claim11_friction_free_is_not_required(verdicts):
    v = verdicts[11]
    assert v.verdict == claims.CAVEAT
    e = v.evidence
    assert e["phi_threshold_closed_loop"] + e["lam"] == pytest.approx(1.0, abs=0.06)
    assert e["phi_threshold_automation_0.9"] == pytest.approx(1.0, abs=0.06)
    assert e["phi_threshold_loss_0.1"] == pytest.approx(e["phi_threshold_closed_loop"], abs=0.03)
    assert e["regime_high_returns_with_loss"] == "explodes"
    assert e["regime_unit_returns_open_loop"] == "slows"
    assert e["regime_low_returns_with_loss"] == "saturates"


def test_claim12_saturation_depends_on_similarity(verdicts):
    v = verdicts[12]
    assert v.verdict == claims.CAVEAT
    e = v.evidence
    assert e["distinct_per_draw_64_agents_shared"] < 0.5 < e["distinct_per_draw_64_agents_uniform"]
    assert e["speedup_256_agents"] < e["speedup_64_agents"]


def test_claim13_diversity_matters_on_rugged_landscapes(verdicts):
    v = verdicts[13]
    assert v.verdict == claims.CAVEAT
    e = v.evidence
    assert e["k6_gap_in_standard_errors"] > 3
    assert e["k6_copy_best"] < e["k6_many_best"]
    assert e["k0_many_best"] == pytest.approx(e["k0_few_best"], abs=0.01)


def test_table_renders():
    html = claims.table([9, 10, 11, 12, 13])._repr_html_()
    assert html.count("<tr>") == 6
