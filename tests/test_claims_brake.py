"""Claims 9-13: the verdicts and the numbers behind them."""

import numpy as np
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


# The summaries follow the evidence: with the evidence changed, each says something else.


def _uncached(n):
    return claims.get(n).check.__wrapped__


def test_summaries_match_the_current_evidence(verdicts):
    assert "not in 1850-1900" in verdicts[10].summary and "above" in verdicts[10].summary
    assert "friction-free is not required" in verdicts[11].summary
    assert "depends on how alike" in verdicts[12].summary
    assert "rugged" in verdicts[13].summary
    assert "harder need not mean slower" in verdicts[9].summary


def test_claim9_summary_when_the_arithmetic_disagrees(monkeypatch):
    from lossylib.growth import productivity

    monkeypatch.setitem(productivity.BLOOM2020, "moore_decline", 0.1)
    v = _uncached(9)()
    assert v.verdict == claims.DOES_NOT_HOLD
    assert "not the 10.0%" in v.summary and "need not mean slower" not in v.summary


def test_claim10_summary_when_the_claim_would_hold(monkeypatch):
    from lossylib.claims import brake

    facts = dict(brake.patent_facts(), peak_year_before_1960=1885, per_million_2015=300.0)
    monkeypatch.setattr(brake, "patent_facts", lambda: facts)
    v = _uncached(10)()
    assert v.verdict == claims.HOLDS
    assert "within 1850-1900" in v.summary and "below" in v.summary
    assert "not in 1850-1900" not in v.summary


def test_claim11_summary_when_loss_stops_the_explosion(monkeypatch):
    from lossylib.claims import brake

    monkeypatch.setattr(brake, "classify", lambda t, a: "saturates")
    v = _uncached(11)()
    assert v.verdict == claims.HOLDS
    assert "not required" not in v.summary and "can prevent an explosion" in v.summary


def test_claim11_summary_when_nothing_explodes(monkeypatch):
    from lossylib.claims import brake

    monkeypatch.setattr(brake, "explosion_threshold", lambda phi, **kw: float("nan"))
    v = _uncached(11)()
    assert v.verdict == claims.DOES_NOT_HOLD
    assert "nowhere on the grid" in v.summary and "does not bear out" in v.summary


def test_claim12_summary_when_agents_do_not_saturate(monkeypatch):
    from lossylib.claims import brake

    monkeypatch.setattr(brake, "redundancy", lambda agents, zipf: np.ones(len(agents)))
    v = _uncached(12)()
    assert v.verdict == claims.DOES_NOT_HOLD
    assert "do not clearly saturate" in v.summary


def test_claim12_peak_is_the_usl_peak(verdicts):
    from lossylib import growth
    from lossylib.growth.experiments import USL

    assert verdicts[12].evidence["speedup_peak_agents"] == pytest.approx(
        float(growth.usl_peak(**USL))
    )
    assert 8 < verdicts[12].evidence["speedup_peak_agents"] < 256


def test_claim13_summary_when_labs_make_no_difference(monkeypatch):
    from lossylib.claims import brake
    from lossylib.growth.experiments import SETUPS
    from lossylib.growth.search import SearchResult

    same = SearchResult(effort=np.array([1.0, 2.0]), best=np.array([[0.8, 0.9], [0.8, 0.92]]))
    monkeypatch.setattr(brake, "diversity", lambda k: dict.fromkeys(SETUPS, same))
    v = _uncached(13)()
    assert v.verdict == claims.DOES_NOT_HOLD
    assert "do not clearly find better" in v.summary
