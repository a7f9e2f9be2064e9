"""Claims 6-8: the verdicts and the key evidence stay what the chapter says.

Each check is seeded, so its numbers are fixed; the tolerances below are the ones a
correct simulation meets for any seed (4 standard errors), so the tests also guard the
library behind the checks.
"""

from __future__ import annotations

import math

import pytest

from lossylib import claims
from lossylib.collapse import forget_probability, log_variance_step

Z = 4.0


@pytest.fixture(scope="module")
def evidence():
    return {n: claims.get(n).check() for n in (6, 7, 8)}


def test_claims_are_registered_for_the_chapter():
    for n in (6, 7, 8):
        c = claims.get(n)
        assert c.chapter == "chapters/tail-loss"
        assert c.statement.endswith(".")


def test_claim_6_tail_variety_lost_but_not_its_mass(evidence):
    v = evidence[6]
    ev = v.evidence
    assert v.verdict == claims.CAVEAT
    # 4000 trials, n = 100, t = 100, MLE: Var(sigma_t^2) = (k(k+2)/n^2)^t - (k/n)^(2t).
    k, n, t = 99, 100, 100
    se = math.sqrt(((k * (k + 2) / n**2) ** t - (k / n) ** (2 * t)) / 4000)
    assert abs(ev["gaussian_mean_variance"] - ev["gaussian_expected_variance"]) < Z * se
    # median of log sigma^2: SE 1.2533 sd / sqrt(trials), sd^2 = t * trigamma((n-1)/2)
    sd = math.sqrt(t * log_variance_step(n)[1])
    log_gap = math.log(ev["gaussian_median_variance"] / ev["gaussian_typical_variance"])
    assert abs(log_gap) < Z * 1.2533 * sd / math.sqrt(4000) + 0.05 * sd
    assert ev["gaussian_median_variance"] < 0.5 * ev["gaussian_expected_variance"]
    assert ev["gaussian_tail_median_run"] < 1e-4 < ev["gaussian_tail_start"]
    assert ev["zipf_support_end"] < 0.2 * ev["zipf_support_start"]
    # Every rare token (expected <= 10 times) is lost by generation 100 with probability
    # >= forget_probability(10, 100) = 0.82, every common one (>= 100 times) with <= 0.14.
    assert ev["zipf_rare_lost"] > forget_probability(10, 100)[-1]
    assert ev["zipf_common_lost"] < forget_probability(100, 100)[-1]
    assert ev["zipf_tail_mass_end"] == pytest.approx(ev["zipf_tail_mass_start"], rel=0.1)


def test_claim_7_systematic_but_not_toward_the_mode(evidence):
    v = evidence[7]
    ev = v.evidence
    assert v.verdict == claims.CAVEAT
    assert ev["gaussian_runs_narrowed"] > 0.99
    assert ev["fixed_plain"] > 0.95
    # survivor = mode is a Bernoulli(p_1) outcome over 2000 runs
    p1 = ev["mode_probability"]
    assert abs(ev["fixed_on_mode_plain"] - p1) < Z * math.sqrt(p1 * (1 - p1) / 2000)
    assert ev["fixed_on_mode_cold"] > p1 + 0.2
    # The final mean's spread: sd 1 in theory; the SE of a sd from 4000 runs of a
    # heavy-tailed law (kurtosis well under 10) is below sqrt(9 / (4 * 4000)) = 0.024.
    assert abs(ev["gaussian_end_mean_sd"] - ev["gaussian_end_mean_sd_theory"]) < Z * 0.024


def test_claim_8_tricks_speed_the_collapse(evidence):
    v = evidence[8]
    ev = v.evidence
    assert v.verdict == claims.HOLDS
    for trick in ("temperature 0.9", "top-k 1000", "top-p 0.95"):
        assert ev[f"support_{trick}"] < 0.5 * ev["support_plain"]
        assert ev[f"entropy_{trick}"] < ev["entropy_plain"]
    assert ev["support_temperature 1.1"] > ev["support_plain"]


def test_verdict_table_lists_the_three_claims():
    html = claims.table([6, 7, 8])._repr_html_()
    assert html.count("<tr><td>") == 3
    assert "tail-loss.html" in html
