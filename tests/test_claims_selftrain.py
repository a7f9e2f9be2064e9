"""Claim 20: every branch of the rule on made-up evidence, and the real check's evidence."""

from __future__ import annotations

import pytest

from lossylib import claims
from lossylib.claims import selftrain as cs


def _evidence(gain_perfect=0.9, gain_closed=0.0, closed_se=0.001, perfect_se=0.01):
    """Evidence with the fields the rule reads (values in the range the runs produce)."""
    return {
        "generations": 20,
        "hard_level": 10,
        "hard_start": 0.0,
        "hard_end_perfect_verifier": gain_perfect,
        "gain_perfect_verifier": gain_perfect,
        "gain_perfect_verifier_se": perfect_se,
        "hard_end_accepts_5pct": 0.01,
        "hard_end_accepts_20pct": 0.0,
        "best_closed": "judges itself",
        "gain_closed": gain_closed,
        "gain_closed_se": closed_se,
        "known_start": 49.0,
        "known_end_perfect_verifier": 200.0,
        "digit_generations": 20,
        "digit_effective_start": 9.8,
        "digit_effective_end_replace": 8.7,
        "digit_drift_end_replace": 4.4,
    }


def test_rule_caveat_when_only_the_checked_loop_gains():
    v = cs.rule(_evidence())
    assert v.verdict == claims.CAVEAT
    assert "90.0%" in v.summary and "49 to 200" in v.summary
    assert "judges itself" in v.summary and "8.7 effective classes" in v.summary


def test_rule_does_not_hold_when_a_closed_loop_gains():
    v = cs.rule(_evidence(gain_closed=0.2, closed_se=0.02))
    assert v.verdict == claims.DOES_NOT_HOLD
    assert "+20.0%" in v.summary


def test_rule_holds_when_not_even_a_perfect_verifier_gains():
    v = cs.rule(_evidence(gain_perfect=0.01, perfect_se=0.01))
    assert v.verdict == claims.HOLDS
    assert "Not even a perfect verifier" in v.summary


@pytest.mark.parametrize(
    ("gain", "se", "expected"),
    [(0.1, 0.04, True), (0.1, 0.06, False), (0.015, 0.0, False), (-0.2, 0.01, False)],
)
def test_significance_needs_both_standard_errors_and_size(gain, se, expected):
    assert cs.significant(gain, se) is expected


def test_a_noisy_closed_gain_is_not_counted():
    # a gain of 3% with a standard error of 2% is within noise: still the caveat
    v = cs.rule(_evidence(gain_closed=0.03, closed_se=0.02))
    assert v.verdict == claims.CAVEAT


@pytest.fixture(scope="module")
def verdict():
    return claims.get(20).check()


def test_registered_for_the_chapter():
    c = claims.get(20)
    assert c.chapter == "chapters/loop-that-improves"
    assert c.statement.endswith(".")


def test_real_check_the_verifier_is_where_the_gain_comes_from(verdict):
    ev = verdict.evidence
    assert verdict == cs.rule(ev)
    assert verdict.verdict == claims.CAVEAT
    # the perfect verifier takes the hardest level from nothing to most sums right
    assert ev["hard_start"] < 0.01
    assert ev["gain_perfect_verifier"] > 0.5
    assert ev["known_end_perfect_verifier"] > ev["known_start"] + 100
    # the closed loops learn no more contexts than chance guessing explains
    unknown = 200 - ev["known_start"]
    for k in ("judges_itself", "no_filter"):
        assert ev[f"known_end_{k}"] - ev["known_start"] < 0.05 * unknown + 10
    # a noisy verifier costs: 5% false accepts end far below the perfect verifier
    assert ev["hard_end_accepts_5pct"] < 0.5 * ev["hard_end_perfect_verifier"]
    assert ev["wrong_share_perfect_verifier"] == 0.0
    # replacing the verified data plateaus below accumulating it
    assert ev["hard_end_perfect_verifier_replace"] < ev["hard_end_perfect_verifier"]


def test_real_check_digits(verdict):
    ev = verdict.evidence
    assert ev["digit_effective_end_accumulate"] > ev["digit_effective_end_replace"]
    assert ev["digit_drift_end_replace"] > ev["digit_drift_end_accumulate"]
    assert ev["digit_classes_end_verify"] < ev["digit_classes_end_accumulate"]


def test_false_accept_sweep_shape_and_order():
    ends, wrong = cs.false_accept_sweep()
    assert ends.shape == wrong.shape == (len(cs.SWEEP_RATES), cs.SWEEP_SEEDS)
    assert wrong[0].max() == 0.0
    assert ends[0].mean() > ends[-1].mean()


def test_verdict_grid_agrees_with_the_check_at_the_chosen_setting(verdict):
    rows = cs.verdict_grid(levels=(1, 10), generations=(5, cs.GENERATIONS))
    assert len(rows) == 4
    assert {r["verdict"] for r in rows} <= set(claims.VERDICTS)
    main = [r for r in rows if r["level"] == 10 and r["generations"] == cs.GENERATIONS]
    assert main[0]["verdict"] == verdict.verdict
    assert main[0]["gain, perfect verifier (%)"] == pytest.approx(
        100 * verdict.evidence["gain_perfect_verifier"]
    )
