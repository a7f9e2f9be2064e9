"""Claim 20: every branch of the rule on made-up evidence, and the real check's evidence."""

from __future__ import annotations

from types import SimpleNamespace as R

import numpy as np
import pytest
from _headlines import headline_of

from lossylib import claims
from lossylib import selftrain as st
from lossylib.claims import selftrain as cs
from lossylib.stats import plus_minus


def _a_line(v: claims.Verdict) -> str:
    """The verdict's headline, checked as the front page's scoreboard needs it: one line
    of at most HEADLINE_WORDS words whose numbers are the summary's, a caveat's naming
    its caveat, and no "closed loop" (the front page uses it in another sense)."""
    line = headline_of(v)
    assert "closed loop" not in line.lower(), line
    return line


def _evidence(
    gain_perfect=0.9, gain_closed=0.0, closed_se=0.001, perfect_se=0.01, extra=68.0, extra_se=4.0
):
    """Evidence with the fields the rule reads (values in the range the runs produce);
    ``extra`` is how many more contexts the best noisy checker's loop handles right than
    the best closed loop's."""
    return {
        "generations": 20,
        "attempts": 2000,
        "outcomes": 20,
        "seeds": 10,
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
        "best_noisy": "accepts 5% of wrong answers",
        "known_extra_noisy": extra,
        "known_extra_noisy_se": extra_se,
        "known_start": 49.0,
        "known_end_perfect_verifier": 200.0,
        "digit_generations": 20,
        "digit_effective_start": 9.8,
        "digit_effective_end_replace": 8.7,
        "digit_drift_end_replace": 4.4,
        "digit_spread_end_replace": 3.1,
        "digit_effective_end_noise": 9.6,
        "digit_drift_end_noise": 4.3,
        "checker_break_even": 0.5,
        "checker_break_even_curriculum": 0.9,
        "curriculum_level": 2,
        **_climb(),
        **_answer_space(),
        **_repair(),
    }


def _climb(first=16.0, second=5.0, se=0.4):
    """The perfect verifier's climb (:func:`cs.climb`): contexts learned a generation over
    the first and the second half of generations 1 to 14."""
    return {
        "climb_first_half": first,
        "climb_first_half_se": se,
        "climb_second_half": second,
        "climb_second_half_se": se,
        "climb_half": 7,
        "climb_end": 14,
    }


def _answer_space(fewer=103.0, more=197.0, se=2.0):
    """The perfect verifier's contexts known when a guess is right one time in 200, with
    2000 and with 8000 attempts a generation."""
    return {
        "answer_space": 200,
        "more_attempts": 8000,
        "known_end_answer_space": fewer,
        "known_end_answer_space_se": se,
        "known_end_answer_space_more": more,
        "known_end_answer_space_more_se": se,
    }


def _repair(part_acc=0.0, part_rep=0.95, se=0.01):
    """The repair experiment's evidence: the checker's part (known again with it, less
    without it, paired by seed) in the share of out-of-reach right steps restored, when
    the loop kept all its data and when it replaced it; NaN: nothing was out of reach."""
    ev = {"damage_generations": 10, "out_of_reach_bar": 0.01}
    for d, part, lost in (("accumulate", part_acc, 44.0), ("replace", part_rep, 92.0)):
        tested = 0 if np.isnan(part) else 5
        ev |= {
            f"repair_tested_{d}": tested,
            f"repair_out_of_reach_{d}": lost if tested else 0.0,
            f"repair_known_again_{d}": part + 0.02,
            f"repair_control_known_again_{d}": 0.02 if tested else float("nan"),
            f"repair_restored_by_checker_{d}": part,
            f"repair_restored_by_checker_{d}_se": se,
        }
    return ev


def test_rule_does_not_hold_when_a_noisy_checker_also_teaches():
    # the perfect verifier compounds, and a checker that lets 5% of wrong answers through
    # still teaches far more than the closed loops: the claim fails as stated
    v = cs.rule_compounding(_evidence())
    assert v.verdict == claims.DOES_NOT_HOLD
    assert v.summary.startswith("It does not hold as stated")
    assert "90.0%" in v.summary and "68 (± 4) more of the 200 contexts" in v.summary
    assert "49 to 200" in v.summary
    assert "judges itself" in v.summary and "8.7 effective classes" in v.summary
    assert "the loop went from" in v.summary and "(longer than any it trained on)" in v.summary
    # the claim holds only for closed loops; the break-even is named as the budget's
    assert "It holds only for loops without an outside check. Within this budget" in v.summary
    assert (
        "Within this budget (20 generations of 2000 attempts), a checker that let 50% or "
        "more of wrong answers through showed no gain that clears the rule's bar (90% when "
        "the loop attempts sums of up to 2 digits only)."
    ) in v.summary
    assert "in this set-up, with one that lets" not in v.summary
    # the digits: how much of the drift the noise alone gives, and where variety went
    assert "noise alone, with no refitting, leaves 9.6" in v.summary
    assert "(the noise alone: 4.3 times)" in v.summary
    assert "variety rose within classes while the mix of classes lost it" in v.summary
    every_rate_gains = cs.rule_compounding(_evidence() | {"checker_break_even": float("nan")})
    assert "Within this budget" not in every_rate_gains.summary
    assert "nan" not in every_rate_gains.summary
    no_curriculum_break = _evidence() | {"checker_break_even_curriculum": float("nan")}
    text = cs.rule_compounding(no_curriculum_break).summary
    assert "(no rate swept when the loop attempts sums of up to 2 digits)" in text
    assert "nan" not in text


def test_rule_caveat_when_only_the_perfect_checker_gains():
    v = cs.rule_compounding(_evidence(extra=1.0, extra_se=3.0))
    assert v.verdict == claims.CAVEAT
    assert "90.0%" in v.summary and "+1 ± 3 contexts" in v.summary
    assert "judges itself" in v.summary and "8.7 effective classes" in v.summary


def test_a_noisy_checker_gain_within_noise_is_not_counted():
    # 6 contexts (3%) with a standard error of 4 (2%) is within 2.26 standard errors (the
    # t quantile for 10 seeds); 10 is above it, but not above 2.78 (for 5 seeds)
    assert cs.rule_compounding(_evidence(extra=6.0, extra_se=4.0)).verdict == claims.CAVEAT
    assert cs.rule_compounding(_evidence(extra=10.0, extra_se=4.0)).verdict == claims.DOES_NOT_HOLD
    five = _evidence(extra=10.0, extra_se=4.0) | {"seeds": 5}
    assert cs.rule_compounding(five).verdict == claims.CAVEAT


def test_rule_does_not_hold_when_a_closed_loop_gains():
    for extra in (1.0, 68.0):
        v = cs.rule_compounding(_evidence(gain_closed=0.2, closed_se=0.02, extra=extra))
        assert v.verdict == claims.DOES_NOT_HOLD
        assert v.summary.startswith("A loop with no information from outside gained")
        assert "+20.0%" in v.summary


def test_rule_holds_when_not_even_a_perfect_verifier_gains():
    # a noisy checker's extra contexts cannot count if not even a perfect one gained
    for extra in (1.0, 68.0):
        v = cs.rule_compounding(_evidence(gain_perfect=0.01, perfect_se=0.01, extra=extra))
        assert v.verdict == claims.HOLDS
        assert "Not even a perfect verifier" in v.summary


def test_extra_known_pairs_seeds_and_picks_the_best_loops():
    runs = {
        "accepts 5% of wrong answers": [R(known=[50, 60]), R(known=[48, 64])],
        "accepts 20% of wrong answers": [R(known=[50, 90]), R(known=[48, 94])],
        "judges itself": [R(known=[50, 52]), R(known=[48, 70])],
        "no filter": [R(known=[50, 55]), R(known=[48, 56])],
    }
    # the 20% checker learned most, the self-judging loop most among the closed ones
    label, extra, se = cs.extra_known(runs)
    assert label == "accepts 20% of wrong answers"
    assert (extra, se) == pytest.approx((31.0, 7.0))
    assert cs.extra_known(runs, 0) == ("accepts 5% of wrong answers", 0.0, 0.0)


@pytest.mark.parametrize(
    ("gain", "se", "seeds", "expected"),
    [
        (0.1, 0.04, 10, True),  # 2.5 standard errors: above t(9)'s 2.26
        (0.1, 0.04, 5, False),  # but not above t(4)'s 2.78
        (0.1, 0.046, 10, False),  # 2.17: above 2, below 2.26
        (0.1, 0.06, 10, False),
        (0.015, 0.0, 10, False),  # too small, however sure
        (-0.2, 0.01, 10, False),
    ],
)
def test_significance_needs_both_standard_errors_and_size(gain, se, seeds, expected):
    assert cs.significant(gain, se, seeds) is expected


def test_the_critical_value_is_the_t_quantile_for_the_seeds():
    from scipy import stats

    assert cs.critical(10) == pytest.approx(2.2622, abs=1e-4)
    assert cs.critical(5) == pytest.approx(2.7764, abs=1e-4)
    assert cs.critical(1000) == pytest.approx(stats.norm.ppf(0.975), abs=0.01)
    assert cs.SEEDS == cs.SWEEP_SEEDS == 10
    assert cs.significant(0.1, 0.04) is cs.significant(0.1, 0.04, cs.SEEDS)
    with pytest.raises(ValueError, match="at least 2"):
        cs.critical(1)


def test_restored_uses_the_t_quantile_for_the_seeds_that_were_tested():
    # 0.62 is 0.12 above one half: 2.4 standard errors of 0.05, enough for 10 seeds
    # (2.26) but not for 5 (2.78); a single seed cannot tell
    ev = _repair(0.0, 0.62, 0.05)
    ev["repair_tested_replace"] = 10
    assert cs.restored(ev, "replace") is True
    ev["repair_tested_replace"] = 5
    assert cs.restored(ev, "replace") is None
    ev["repair_tested_replace"] = 1
    assert cs.restored(ev, "replace") is None


def test_a_noisy_closed_gain_is_not_counted():
    # a gain of 3% with a standard error of 2% is within noise: the checker branches decide
    v = cs.rule_compounding(_evidence(gain_closed=0.03, closed_se=0.02, extra=1.0))
    assert v.verdict == claims.CAVEAT
    v = cs.rule_compounding(_evidence(gain_closed=0.03, closed_se=0.02))
    assert v.summary.startswith("It does not hold as stated")


@pytest.fixture(scope="module")
def verdict():
    return claims.get(20).check()


@pytest.mark.parametrize(
    ("part_acc", "part_rep", "se", "second", "says"),
    [
        (0.0, 0.95, 0.01, claims.CAVEAT, "lost for good only if the loop keeps its mistakes"),
        (0.0, 0.95, 0.01, claims.CAVEAT, "What this tests is what the model had almost"),
        (0.0, 0.95, 0.01, claims.CAVEAT, "lies outside what this model can do"),
        (0.9, 0.02, 0.01, claims.CAVEAT, "only the loop that keeps its old data got it back"),
        (0.9, 0.95, 0.01, claims.DOES_NOT_HOLD, "a filter restored what the model"),
        (0.0, 0.1, 0.01, claims.HOLDS, "had almost stopped producing stayed lost"),
        # above one half, but not by two standard errors: the runs cannot tell
        (0.0, 0.6, 0.1, claims.CAVEAT, "the runs cannot settle"),
        (0.0, 0.55, 0.01, claims.CAVEAT, "lost for good only if the loop keeps its mistakes"),
        # one loop had nothing out of reach: that loop cannot tell
        (0.0, float("nan"), float("nan"), claims.CAVEAT, "had nothing to bring back"),
        # neither had: the half is untested
        (float("nan"), float("nan"), float("nan"), None, "So the repair experiment had"),
    ],
)
def test_the_second_half_follows_the_repair_experiment(part_acc, part_rep, se, second, says):
    ev = _evidence() | _repair(part_acc, part_rep, se)
    assert cs.produced_verdict(ev) == second
    text = cs.produced_text(ev)
    assert says in text
    assert text.startswith("After 10 generations with no filter, a loop keeping all its data")
    assert "nan" not in text
    for d, label in (("accumulate", "keeping all its data"), ("replace", "training on its")):
        if ev[f"repair_tested_{d}"] and second is not None:
            known = f"{ev[f'repair_known_again_{d}']:.0%} of them again (2% with no filter)"
            assert f"the loop {label}" in text and known in text


@pytest.mark.parametrize(
    ("part_acc", "part_rep", "se", "says"),
    [
        # only the loop training on its newest attempts got its steps back (the real case)
        (0.0, 0.95, 0.01, "only if the loop dropped its old data: 97% came back, against 2%"),
        (0.9, 0.02, 0.01, "only if the loop kept its old data: 92% came back, against 4%"),
        (0.9, 0.95, 0.01, "restored what the model had almost stopped producing: the two"),
        (0.0, 0.1, 0.01, "stayed lost: a perfect verifier brought back 2% and 12% of it."),
        (0.0, 0.6, 0.1, "The runs do not settle whether a perfect verifier restores"),
        (0.0, float("nan"), float("nan"), "The runs do not settle"),
        (float("nan"), float("nan"), float("nan"), ""),  # untested: nothing to say
    ],
)
def test_the_second_halfs_headline_follows_the_repair_experiment(part_acc, part_rep, se, says):
    ev = _evidence() | _repair(part_acc, part_rep, se)
    line = cs.produced_headline(ev)
    assert says in line and (line == "") is (says == "")
    if line:
        summary = f"{cs.rule_compounding(ev).summary} {cs.produced_text(ev)}"
        _a_line(claims.Verdict(cs.produced_verdict(ev), ev, summary, line))


def test_an_untested_second_half_leaves_the_first_halfs_verdict():
    nothing = _repair(float("nan"), float("nan"), float("nan"))
    for first in ({}, {"extra": 1.0, "extra_se": 3.0}, {"gain_perfect": 0.01, "perfect_se": 0.01}):
        ev = _evidence(**first) | nothing
        assert cs.rule(ev).verdict == cs.rule_compounding(ev).verdict


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ({}, {}, claims.DOES_NOT_HOLD),  # the first half fails: the claim fails
        ({"gain_perfect": 0.01, "perfect_se": 0.01}, {}, claims.CAVEAT),
        ({"gain_perfect": 0.01, "perfect_se": 0.01}, {"part_rep": 0.1}, claims.HOLDS),
        ({"gain_perfect": 0.01, "perfect_se": 0.01}, {"part_acc": 0.9}, claims.DOES_NOT_HOLD),
        ({"extra": 1.0, "extra_se": 3.0}, {"part_rep": 0.1}, claims.CAVEAT),
    ],
)
def test_the_claim_holds_as_far_as_its_weaker_half(first, second, expected):
    ev = _evidence(**first) | _repair(**second)
    v = cs.rule(ev)
    assert v.verdict == expected
    assert v.summary.startswith(cs.rule_compounding(ev).summary)
    assert v.summary.endswith(cs.produced_text(ev))
    # the headline is the deciding half's (the first's on a tie)
    decides = cs.rule_compounding(ev)
    own = decides.headline if decides.verdict == expected else cs.produced_headline(ev)
    assert _a_line(v) == own


def test_real_check_a_checker_restores_only_what_the_loop_forgot(verdict):
    ev = verdict.evidence
    # an unchecked loop puts many right steps out of reach, more when it keeps no data
    assert ev["repair_out_of_reach_accumulate"] > 20
    assert ev["repair_out_of_reach_replace"] > ev["repair_out_of_reach_accumulate"]
    assert ev["repair_tested_accumulate"] == ev["repair_tested_replace"] == cs.SEEDS
    # a perfect verifier restores almost none of them while the loop keeps its mistakes,
    # and nearly all when it trains on the newest attempts only; without it, neither loop
    # gets them back
    assert ev["repair_known_again_accumulate"] < 0.1
    assert ev["repair_known_again_replace"] > 0.9
    assert ev["repair_control_known_again_accumulate"] < 0.1
    assert ev["repair_control_known_again_replace"] < 0.1
    assert cs.restored(ev, "replace") is True and cs.restored(ev, "accumulate") is False
    # the chapter: keeping its data, the loop knows about as many again as without checker
    assert abs(ev["repair_restored_by_checker_accumulate"]) < 0.05
    assert ev["repair_known_end_accumulate"] < 100 < ev["repair_known_end_replace"]
    assert cs.produced_verdict(ev) == claims.CAVEAT
    assert "lost for good only if the loop keeps its mistakes" in verdict.summary


def test_the_two_runs_of_a_seed_are_the_same_up_to_the_switch():
    """The control is paired with the repair run: same seed, same first generations."""
    for d in ("accumulate", "replace"):
        for r, c in zip(cs.repair_runs(d), cs.repair_runs(d, "none"), strict=True):
            np.testing.assert_array_equal(
                r.right_chance[: cs.DAMAGE + 1], c.right_chance[: cs.DAMAGE + 1]
            )


def test_depth_does_not_explain_which_loop_gets_its_steps_back(verdict):
    """The loops lose their steps to different depths; the chapter compares them at the
    same depth, which must hold steps of both, and there the difference stays."""
    ev = verdict.evidence
    acc, rep = "accumulate", "replace"
    assert ev[f"repair_lost_median_chance_{acc}"] < ev[f"repair_lost_median_chance_{rep}"]
    assert ev[f"repair_band_lost_{acc}"] >= 20 and ev[f"repair_band_lost_{rep}"] >= 20
    assert ev[f"repair_band_known_again_{acc}"] <= 0.1 * ev[f"repair_band_lost_{acc}"]
    assert ev[f"repair_band_known_again_{rep}"] >= 0.8 * ev[f"repair_band_lost_{rep}"]
    assert ev[f"repair_band_control_known_again_{rep}"] <= 0.1 * ev[f"repair_band_lost_{rep}"]
    # the band's counts add up with the totals: it is part of what was out of reach
    for d in (acc, rep):
        assert ev[f"repair_band_lost_{d}"] <= ev[f"repair_out_of_reach_{d}"] * cs.SEEDS


def test_repair_rows_match_the_evidence(verdict):
    """Each cell is a mean ± its standard error, from the evidence."""
    ev = verdict.evidence
    rows = cs.repair_rows()
    assert [r["loop"] for r in rows] == ["keeps all its data", "trains on the newest"]
    for row, data in zip(rows, ("accumulate", "replace"), strict=True):
        for column, name, scale in (
            ("out of reach", "out_of_reach", 1),
            ("known again (%)", "known_again", 100),
            ("known again, no checker (%)", "control_known_again", 100),
            ("contexts known", "known_end", 1),
            ("hardest level right (%)", "hard_end", 100),
        ):
            mean, se = (scale * ev[f"repair_{name}_{data}{s}"] for s in ("", "_se"))
            assert row[column] == plus_minus(mean, se)


def test_registered_for_the_chapter():
    c = claims.get(20)
    assert c.chapter == "chapters/loop-that-improves"
    assert c.statement.endswith(".")


def test_real_check_the_verifier_is_where_the_gain_comes_from(verdict):
    ev = verdict.evidence
    assert verdict == cs.rule(ev)
    assert verdict.verdict == claims.DOES_NOT_HOLD
    # the front page: the perfect verifier's climb, and the scope where the claim holds
    climb = f"from {cs.share_text(ev['hard_start'])} to "
    climb += cs.share_text(ev["hard_end_perfect_verifier"])
    line = _a_line(verdict)
    assert climb in line and "It holds only without a" in line
    # the perfect verifier takes the hardest level from nothing to most sums right
    assert ev["hard_start"] < 0.01
    assert ev["gain_perfect_verifier"] > 0.5
    assert ev["known_end_perfect_verifier"] > ev["known_start"] + 100
    # the closed loops learn no more contexts than chance guessing explains
    unknown = 200 - ev["known_start"]
    for k in ("judges_itself", "no_filter"):
        assert ev[f"known_end_{k}"] - ev["known_start"] < 0.05 * unknown + 10
    # a noisy verifier costs: 5% false accepts end far below the perfect verifier on the
    # longest sums, but its loop still learns many contexts the closed loops never do
    assert ev["hard_end_accepts_5pct"] < 0.5 * ev["hard_end_perfect_verifier"]
    assert ev["best_noisy"] == "accepts 5% of wrong answers"
    assert ev["known_extra_noisy"] > 20 + 2 * ev["known_extra_noisy_se"]
    assert ev["wrong_share_perfect_verifier"] == 0.0
    # replacing the verified data ends below accumulating it
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


def test_a_checker_that_lets_every_wrong_answer_through_is_no_filter():
    runs = cs.expert_runs()["no filter"][: cs.SWEEP_SEEDS]
    assert cs.SWEEP_RATES[-1] == 1.0
    np.testing.assert_allclose(cs.sweep_known()[-1] * 200, [r.known[-1] for r in runs])


def test_checker_advantage_runs_out_and_the_verdicts_checkers_lie_below_it():
    rows = cs.checker_advantage()
    assert [r["false-accept rate (%)"] / 100 for r in rows] == list(cs.SWEEP_RATES)
    gains = {r["false-accept rate (%)"] / 100: r["a gain"] == "yes" for r in rows}
    # the page: the advantage is gone at the break-even rate, and both noisy checkers of
    # the verdict lie below it
    be, last = cs.checker_break_even(), cs.checker_last_gain()
    assert 0.2 < be <= 1.0 and last < be
    assert not any(g for rate, g in gains.items() if rate >= be)
    assert gains[last] and max(rate for rate in gains if rate < be) == last  # "still a gain"
    for label in cs.NOISY:
        assert cs.VERIFIERS[label] < be and gains[cs.VERIFIERS[label]]
    # a perfect verifier's advantage is the largest, and it shrinks as the checker errs
    assert rows[0][cs.MORE] == max(r[cs.MORE] for r in rows)
    assert rows[0][cs.MORE] > rows[-1][cs.MORE] + 100
    assert list(rows[0]) == ["false-accept rate (%)", cs.MORE, cs.SE, "a gain"]


def test_verdict_grid_agrees_with_the_check_at_the_chosen_setting(verdict):
    rows = cs.verdict_grid(levels=(1, 10), generations=(5, cs.GENERATIONS))
    assert len(rows) == 4
    assert {r["verdict"] for r in rows} <= set(claims.VERDICTS)
    main = [r for r in rows if r["level"] == 10 and r["generations"] == cs.GENERATIONS]
    assert main[0]["verdict"] == verdict.verdict
    assert main[0]["first half"] == cs.rule_compounding(verdict.evidence).verdict
    assert main[0]["why"] == cs.compounding_case(verdict.evidence)
    for r in rows:  # the branch and the first half's verdict go together
        assert r["why"] in cs.CASES
        if r["why"] in ("closed loop gained", "noisy checker taught"):
            assert r["first half"] == claims.DOES_NOT_HOLD
    for r in rows:  # the whole claim holds only as far as its weaker half
        second = cs.produced_verdict(verdict.evidence) or claims.HOLDS  # untested: no cap
        weaker = max(r["first half"], second, key=claims.VERDICTS.index)
        assert r["verdict"] == weaker
    assert main[0]["gain, perfect verifier (%)"] == pytest.approx(
        100 * verdict.evidence["gain_perfect_verifier"]
    )


def test_the_perfect_verifier_learns_the_task_and_is_still_rising():
    """The chapter says the loop has learned the task (every context, greedy answers all
    right) and that sampled success on the longest sums is still rising, not that it
    stopped."""
    runs = cs.expert_runs()["perfect verifier"]
    assert cs.first_generation(runs, lambda r: r.known == 200) is not None
    assert cs.first_generation(runs, lambda r: r.greedy.min(axis=1) == 1) is not None
    hard = np.mean([r.success[:, -1] for r in runs], axis=0)
    assert np.all(np.diff(hard[-3:]) > 0)


def test_first_generation_needs_the_condition_to_last():
    runs = [R(known=np.array([1, 2, 2, 1, 2])), R(known=np.array([2, 2, 2, 2, 2]))]
    assert cs.first_generation(runs, lambda r: r.known == 2) == 4
    assert cs.first_generation(runs, lambda r: r.known == 1) is None
    assert cs.first_generation(runs, lambda r: r.known > 0) == 0


def test_real_data_slows_the_digit_drift_and_fresh_data_levels_it_off(verdict):
    """The chapter's wording: accumulating still creeps up, fresh data levels off, and
    the verified loop loses more classes than plain replacing in most seeds."""
    ev = verdict.evidence
    assert ev["digit_drift_end_accumulate"] > ev["digit_drift_mid_accumulate"] + 0.05
    assert abs(ev["digit_drift_end_fresh"] - ev["digit_drift_mid_fresh"]) < 0.1
    assert ev["digit_drift_end_replace"] > 1.5 * ev["digit_drift_mid_accumulate"]
    assert ev["digit_verify_below_replace"] >= 0.8 * cs.DIGIT_SEEDS


def test_the_digit_grid_shows_what_its_caption_says():
    """The caption and alt text of the chapter's digit grid (seed 0): twenty generations,
    the real digits in roughly equal shares, the verified loop without any sample of 9 and the
    other policies with every digit, and shares from a few percent to about a fifth."""
    runs = {p: rs[0] for p, rs in cs.digit_runs().items()}
    assert cs.DIGIT_GENERATIONS == 20 and cs.SHOWN == (0, 20)
    real = runs["replace"].shares[0]
    assert np.all((real > 0.05) & (real < 0.15))
    missing = {
        p: np.flatnonzero(np.isnan(r.images[20]).all(axis=(1, 2))).tolist() for p, r in runs.items()
    }
    assert missing == {"replace": [], "accumulate": [], "fresh": [], "verify": [9]}
    shares = np.array([r.shares[20] for p, r in runs.items()])
    kept = shares[shares > 0]
    assert kept.min() > 0.02 and 0.15 < kept.max() < 0.25


def test_lost_known_again_counts_only_the_contexts_that_were_out_of_reach():
    g = cs.DAMAGE + cs.GENERATIONS + 1

    def run(lost: int, known: int):
        chance = np.full((g, 200), 0.5)
        chance[cs.DAMAGE, :lost] = 0.001  # out of reach at the switch
        mask = np.zeros((g, 200), bool)
        mask[-1, :known] = True  # known at the end: the first `known` contexts
        mask[-1, 150:] = True  # known, but never lost: not counted
        return R(right_chance=chance, known_contexts=mask)

    assert cs.lost_known_again(run(10, 5)) == pytest.approx(0.5)
    assert cs.lost_known_again(run(4, 4)) == 1.0
    assert np.isnan(cs.lost_known_again(run(0, 0)))


def test_the_break_even_is_the_set_ups_the_curriculum_moves_it(verdict):
    """The chapter's design-sensitivity paragraph: attempting only one- and two-digit
    sums, a checker still gains at false-accept rates where the main set-up's does not,
    by the same rule over the same seeds; replacing the data helps the 5% checker."""
    ev = verdict.evidence
    be, cur = ev["checker_break_even"], ev["checker_break_even_curriculum"]
    assert ev["curriculum_level"] == cs.CURRICULUM == 2
    assert be < cur and cs.CURRICULUM_RATES[-1] == 1.0
    rows = cs.checker_advantage(cs.CURRICULUM_RATES, cs.CURRICULUM)
    assert [r["false-accept rate (%)"] / 100 for r in rows] == list(cs.CURRICULUM_RATES)
    last = ev["checker_last_gain_curriculum"]
    assert be <= last < cur  # a rate the main set-up counts no gain at still gains here
    row = next(r for r in rows if r["false-accept rate (%)"] == 100 * last)
    assert row["a gain"] == "yes" and ev["curriculum_last_extra"] == row[cs.MORE]
    assert all(r["a gain"] == "no" for r in rows if r["false-accept rate (%)"] >= 100 * cur)
    # the same seeds as the main sweep, and every loop attempts the curriculum's levels
    run = cs._sweep_run(last, 0, cs.CURRICULUM)
    assert run.train_level == cs.CURRICULUM and run.settings["seed"] == 0
    # replacing instead of accumulating: more contexts with the 5% checker, by far
    more = ev["known_end_accepts_5pct_replace"] - ev["known_end_accepts_5pct"]
    se = np.hypot(ev["known_end_accepts_5pct_replace_se"], ev["known_end_accepts_5pct_se"])
    assert more > cs.critical(cs.SEEDS) * se
    assert ev["hard_end_accepts_5pct_replace"] > ev["hard_end_accepts_5pct"]
    # the curriculum's loops can reach only some contexts (the exercise's solution)
    assert ev["reachable_curriculum"] == 181


def test_the_loop_learns_at_a_steady_rate_and_long_sums_are_a_power(verdict):
    """The chapter: no acceleration in the contexts learned per generation (the second
    half of the climb learns fewer than the first), and the longest sums' success is the
    per-column success to the power of their columns."""
    ev = verdict.evidence
    runs = cs.expert_runs()["perfect verifier"]
    learned = np.diff(np.array([r.known for r in runs]), axis=1).mean(axis=0)
    assert learned.max() < 1.3 * learned[0]  # never much faster than at the start
    assert ev["climb_first_half"] > ev["climb_second_half"] + 5
    assert 1 <= ev["climb_half"] < ev["climb_end"] <= cs.GENERATIONS
    assert ev["exact_columns"] == ev["hard_level"]
    assert ev["exact_gap"] < 0.02
    assert abs(ev["exact_product"] - ev["exact_hard"]) < 0.02
    assert ev["exact_hard"] < 0.5 < ev["exact_column"]


def test_climb_counts_contexts_learned_per_generation():
    runs = [
        R(known=np.array([40, 80, 120, 160, 180, 200, 200])),
        R(known=np.array([40, 70, 110, 150, 190, 200, 200])),
    ]
    c = cs.climb(runs)
    assert c["climb"] == 5.0 and c["climb_se"] == 0.0
    assert (c["half"], c["end"]) == (2, 5)
    assert c["first_half"] == pytest.approx((40 + 35) / 2)
    assert c["second_half"] == pytest.approx(((40 + 20 + 20) / 3 + (40 + 40 + 10) / 3) / 2)
    never = cs.climb([R(known=np.array([40, 80, 199]))] * 2)
    assert all(np.isnan(v) for v in never.values())


def test_every_random_mean_in_the_evidence_has_a_standard_error(verdict):
    ev = verdict.evidence
    for prefix in ("known_end_", "easy_end_", "trained_end_", "hard_end_", "digit_drift_end_"):
        names = [k for k in ev if k.startswith(prefix) and not k.endswith("_se")]
        assert names and all(f"{k}_se" in ev for k in names), prefix
    for k in ("known_start", "easy_start", "digit_effective_start", "climb"):
        assert f"{k}_se" in ev


def test_the_digit_drift_is_mostly_the_noise_and_the_class_loss_the_refitting(verdict):
    """The chapter and the verdict: the noise alone, with no refitting, drifts nearly as
    far and spreads each class at least as wide; the refitted loop loses classes the
    noise alone does not."""
    ev = verdict.evidence
    assert ev["digit_drift_end_noise"] > 0.9 * ev["digit_drift_end_replace"]
    assert ev["digit_spread_end_noise"] > 0.9 * ev["digit_spread_end_replace"] > 2
    assert ev["digit_effective_end_noise"] > ev["digit_effective_end_replace"]
    loss, se = ev["digit_resampling_loss"], ev["digit_resampling_loss_se"]
    assert loss > cs.critical(cs.DIGIT_SEEDS) * se
    # the control starts from the loop's real digits, seed by seed
    for n, r in zip(cs.noise_runs(), cs.digit_runs()["replace"], strict=True):
        np.testing.assert_array_equal(n.shares[0], r.shares[0])


# --- the summary's budget, climb and guessing sentences ---------------------------------


@pytest.mark.parametrize(
    ("kwargs", "case", "expected"),
    [
        ({}, "noisy checker taught", claims.DOES_NOT_HOLD),
        ({"extra": 1.0, "extra_se": 3.0}, "only perfect checker", claims.CAVEAT),
        ({"gain_closed": 0.2, "closed_se": 0.02}, "closed loop gained", claims.DOES_NOT_HOLD),
        ({"gain_perfect": 0.01, "perfect_se": 0.01}, "no gain", claims.HOLDS),
    ],
)
def test_the_case_names_the_branch_the_rule_takes(kwargs, case, expected):
    ev = _evidence(**kwargs)
    assert cs.compounding_case(ev) == case and case in cs.CASES
    assert cs.rule_compounding(ev).verdict == expected
    _a_line(cs.rule_compounding(ev))


def test_the_summary_says_whether_the_gain_compounded():
    steady = cs.rule_compounding(_evidence()).summary
    assert (
        "That gain did not compound: the loop learned 16.0 (± 0.4) contexts a generation "
        "over generations 1 to 7 and 5.0 (± 0.4) over generations 8 to 14, a rate that "
        "slowed as the contexts left to learn ran out."
    ) in steady
    assert "steady" not in steady  # "a steady rate that slowed" contradicted itself
    # the same rate in both halves: steady, but it did not slow
    level = cs.rule_compounding(_evidence() | _climb(16.0, 15.5)).summary
    assert "did not compound" in level and "a steady rate." in level
    assert "ran out" not in level
    # faster in the second half by more than the t quantile's standard errors: it sped up
    faster = cs.rule_compounding(_evidence() | _climb(5.0, 16.0)).summary
    assert "That gain sped up: the loop learned 5.0" in faster
    assert "did not compound" not in faster
    # a seed that never learned every context: no climb to describe
    never = _evidence() | _climb(float("nan"), float("nan"), float("nan"))
    text = cs.rule_compounding(never).summary
    assert "compound" not in text and "nan" not in text
    caveat = cs.rule_compounding(_evidence(extra=1.0, extra_se=3.0)).summary
    assert "That gain did not compound" in caveat


def test_the_summary_says_the_loop_needs_common_right_guesses():
    text = cs.rule_compounding(_evidence()).summary
    assert (
        "A step here has 20 possible outcomes, so an untrained context is guessed right one "
        "time in 20, and the loop made 2000 attempts a generation; with a guess right one "
        "time in 200 (emulated), the perfect verifier's loop ended knowing 103 (± 2) "
        "contexts, and 197 (± 2) with 8000 attempts a generation: the loop wins when the "
        "chance of a right guess times the attempts is large."
    ) in text
    # more attempts that do not help: the numbers, without the conclusion
    flat = cs.rule_compounding(_evidence() | _answer_space(103.0, 106.0, 2.0)).summary
    assert "and 106 (± 2) with 8000 attempts a generation." in flat
    assert "times the attempts is large" not in flat
    # branches without a checker's gain do not need the sentence
    closed = cs.rule_compounding(_evidence(gain_closed=0.2, closed_se=0.02)).summary
    assert "possible outcomes" not in closed


def _grid(cells):
    return [{"level": lv, "generations": g, "verdict": v, "why": w} for lv, g, v, w in cells]


def test_grid_changes_counts_and_places_the_departures():
    rows = _grid(
        [
            (1, 5, "a", "x"),
            (1, 10, "a", "x"),
            (2, 5, "a", "x"),
            (2, 10, "a", "y"),
            (6, 5, "b", "y"),
            (6, 10, "a", "y"),
        ]
    )
    c = cs.grid_changes(rows, 6, 10)
    assert (c["settings"], c["changed"], c["reason"]) == (6, 1, 3)
    assert c["changed_where"] == "level 6 after 5 generations"
    reason = "level 1 at every run length; level 2 after 5 generations"
    assert c["reason_where"] == reason
    same = cs.grid_changes(_grid([(1, 5, "a", "x"), (10, 5, "a", "x")]), 10, 5)
    assert (same["changed"], same["reason"]) == (0, 0)
    assert same["changed_where"] == same["reason_where"] == "nowhere"
    with pytest.raises(ValueError):
        cs.grid_changes(rows, 3, 10)  # no row at the chosen setting


def test_chance_gain_counts_unseen_contexts_and_new_knowledge_in_the_mask():
    def run(seen: int, known_end: int, lost: int = 0):
        start = np.zeros(200, bool)
        start[:seen] = True
        end = np.zeros(200, bool)
        end[lost:known_end] = True
        chance = np.where(start, 0.6, 1 / 20)
        return R(known_contexts=np.array([start, end]), right_chance=np.array([chance]))

    runs = [run(40, 50), run(60, 64, lost=10)]
    c = cs.chance_gain(runs)
    assert (c["unseen"], c["chance"], c["gained"]) == (150.0, 7.5, 7.0)
    assert c["unseen_se"] == pytest.approx(np.std([160, 140], ddof=1) / np.sqrt(2))
    first = np.arange(200) < 45  # only contexts 0..44
    masked = cs.chance_gain(runs, first)
    assert (masked["unseen"], masked["gained"]) == (2.5, 2.5)


# --- the chapter's budget, more-attempts and answer-space tables ------------------------


def test_the_main_attempts_are_expert_iterations_default():
    import inspect

    default = inspect.signature(st.expert_iteration).parameters["attempts"].default
    assert cs.ATTEMPTS == default == cs.expert_runs()["no filter"][0].settings["attempts"]
    assert (cs.GENERATIONS, cs.ATTEMPTS) in cs.BUDGETS and cs.BUDGET_RATES[-1] == 1.0


def test_the_budget_scan_finds_the_same_break_even_as_the_whole_sweep():
    """budget_break_even runs the rates from the top down and stops at the first that
    gains; over every rate, checker_break_even and checker_last_gain must agree."""
    budgets, rates = ((3, 300), (3, 1200)), (0.0, 0.3, 0.6, 1.0)
    rows = cs.budget_break_even(budgets, rates)
    assert [(r["generations"], r["attempts"]) for r in rows] == list(budgets)
    for row, (g, n) in zip(rows, budgets, strict=True):
        args = (rates, cs.TRAIN_LEVEL, g, n)
        assert row["break_even"] == cs.checker_break_even(*args)
        assert row["last_gain"] == cs.checker_last_gain(*args)
        (half,) = cs.checker_advantage((cs.HALF,), cs.TRAIN_LEVEL, g, n)
        assert (row["half_extra"], row["half_extra_se"]) == (half[cs.MORE], half[cs.SE])
    # the runs are those of the budget: generations and attempts as asked
    run = cs._sweep_run(0.3, 0, cs.TRAIN_LEVEL, 3, 1200)
    assert run.known.shape == (4,) and run.settings["attempts"] == 1200


def test_the_break_even_rises_with_the_budget(verdict):
    """The chapter and the key findings: the main budget's row is the line the verdict
    quotes, and more attempts (or generations) move it up; the checker letting half of
    the wrong answers through teaches more with more attempts."""
    ev = verdict.evidence
    rows = {(r["generations"], r["attempts"]): r for r in cs.budget_break_even()}
    main = rows[cs.GENERATIONS, cs.ATTEMPTS]
    assert main["break_even"] == ev["checker_break_even"]
    assert main["last_gain"] == ev["checker_last_gain"]
    top = rows[cs.GENERATIONS, max(n for g, n in rows if g == cs.GENERATIONS)]
    longest = rows[max(g for g, _ in rows), cs.ATTEMPTS]
    assert top["break_even"] > main["break_even"] and longest["break_even"] > main["break_even"]
    gain = top["half_extra"] - main["half_extra"]
    assert gain > cs.critical(cs.SEEDS) * np.hypot(top["half_extra_se"], main["half_extra_se"])
    table = cs.budget_rows()
    assert [r["no gain from"] for r in table] == [f"{r['break_even']:.0%}" for r in rows.values()]


def test_more_attempts_let_noisy_checkers_learn_and_forgetting_helps():
    """The chapter's section on more attempts: with four times the attempts both noisy
    checkers learn more, replacing the data beats keeping it, and the 5% checker that
    replaces its data learns every context in every seed."""
    found = cs.more_attempts()
    more = cs.MORE_ATTEMPTS
    for label in cs.NOISY:
        for data in ("accumulate", "replace"):
            assert found[label, data, more]["known"] > found[label, data, cs.ATTEMPTS]["known"]
        assert found[label, "replace", more]["known"] > found[label, "accumulate", more]["known"]
    assert found[cs.NOISY[0], "replace", more]["known_min"] == 200
    # the default-budget cells are the verdict's runs
    base = cs.expert_runs()["accepts 5% of wrong answers"]
    assert found[cs.NOISY[0], "accumulate", cs.ATTEMPTS]["known"] == np.mean(
        [r.known[-1] for r in base]
    )
    rows = cs.more_attempts_rows()
    assert len(rows) == len(cs.MORE_VERIFIERS) * 2
    cell = found[cs.NOISY[1], "replace", more]
    assert [r["verifier"] for r in rows[::2]] == ["perfect", "lets 5% through", "lets 20% through"]
    row = next(r for r in rows if r["verifier"] == "lets 20% through" and r["data"] == "replace")
    assert row[f"contexts known, {more}"] == plus_minus(cell["known"], cell["known_se"])


def test_rarer_right_guesses_need_more_attempts(verdict):
    """The chapter's answer-space table and the verdict: the rarer a right guess, the
    fewer contexts the perfect verifier's loop learns, and more attempts make up for
    some of it; the policy's own answer space is the main runs."""
    found = cs.answer_space_runs()
    for n in (cs.ATTEMPTS, cs.MORE_ATTEMPTS):
        known = [found[k, n]["known"] for k in cs.ANSWER_SPACES]
        assert known[0] >= known[1] > known[2] + 20
    assert found[20, cs.ATTEMPTS]["known"] > found[cs.ANSWER_SPACE, cs.ATTEMPTS]["known"] + 20
    for k in cs.ANSWER_SPACES[1:]:
        assert found[k, cs.MORE_ATTEMPTS]["known"] > found[k, cs.ATTEMPTS]["known"] + 10
    assert cs._answer_space_run(20, cs.ATTEMPTS, 0) is cs.expert_runs()["perfect verifier"][0]
    ev = verdict.evidence
    assert ev["answer_space"] == cs.ANSWER_SPACE in cs.ANSWER_SPACES
    assert ev["known_end_answer_space"] == found[cs.ANSWER_SPACE, cs.ATTEMPTS]["known"]
    assert ev["known_end_answer_space_more"] == found[cs.ANSWER_SPACE, cs.MORE_ATTEMPTS]["known"]
    assert "the loop wins when the chance of a right guess times the attempts" in verdict.summary


@pytest.mark.parametrize(
    "ends, longest, rises, settled",
    [
        ((0.4, 0.5, 0.6), 0.6, True, True),
        ((0.4, 0.5, 0.6), 0.5, True, False),
        ((0.5, 0.4, 0.6), 0.6, False, False),
    ],  # fmt: skip
)
def test_budget_numbers_say_what_the_rows_show(ends, longest, rises, settled):
    """The chapter's sentences on the budget table follow made-up rows both ways."""
    rows = [
        dict(generations=cs.GENERATIONS, attempts=a, break_even=b, half_extra=1.0,
             half_extra_se=0.5)
        for a, b in zip((cs.ATTEMPTS // 2, cs.ATTEMPTS, 2 * cs.ATTEMPTS), ends, strict=True)
    ]  # fmt: skip
    rows.append(dict(rows[1], generations=4 * cs.GENERATIONS, break_even=longest))
    n = cs.budget_numbers(rows)
    assert (n["main"], n["fewest"], n["top_break_even"], n["long"]) == (
        ends[1],
        ends[0],
        ends[2],
        longest,
    )
    assert n["rises"].startswith("rises") == rises
    assert n["meaning"].startswith("In these runs") == settled


# --- where a right guess is too rare, the line's move, and the summary's wording --------


def _guesses(gains):
    """The perfect verifier's gain on the longest sums (± 0.0003) for each (answer space,
    attempts) of ``gains``, as :func:`cs.evidence` stores them."""
    ev = {}
    for (k, n), gain in gains.items():
        ev[f"guess_{k}_{n}_gain"], ev[f"guess_{k}_{n}_gain_se"] = gain, 0.0003
    return ev


RARE = {
    (20, 2000): 0.93,
    (20, 8000): 0.99,
    (200, 2000): 0.002,  # under the 2% the rule asks for
    (200, 8000): 0.8,
    (2000, 2000): 0.0,
    (2000, 8000): 0.0005,
}


def test_the_rule_holds_the_first_half_where_a_right_guess_is_too_rare():
    ev = _evidence() | _guesses(RARE)
    assert cs.guess_first_half(ev, 20, 2000) == claims.DOES_NOT_HOLD
    assert cs.guess_first_half(ev, 200, 2000) == claims.HOLDS
    assert cs.guess_first_half(ev, 200, 8000) == claims.DOES_NOT_HOLD
    assert cs.rare_guesses(ev) == {200: [2000], 2000: [2000, 8000]}
    assert cs.rare_guess_text(ev) == "1 in 200 with 2000 attempts a generation, 1 in 2000 with 8000"
    # a gain above 2% but within the t quantile's standard errors is no gain either
    noisy = ev | {"guess_200_8000_gain": 0.05, "guess_200_8000_gain_se": 0.03}
    assert cs.rare_guesses(noisy)[200] == [2000, 8000]
    # the other loops' numbers are the main runs': a closed loop that gained decides
    closed = ev | {"gain_closed": 0.2, "gain_closed_se": 0.02}
    assert cs.guess_first_half(closed, 2000, 2000) == claims.DOES_NOT_HOLD
    assert cs.rare_guesses(closed) == {} and cs.rare_guess_text(closed) == ""
    # and a perfect verifier that gains everywhere leaves no rare case
    common = ev | _guesses(dict.fromkeys(RARE, 0.9))
    assert cs.rare_guesses(common) == {}


def test_the_front_page_keeps_where_the_claim_holds():
    """The second sentence qualifies the verdict ("It holds only ..."), so the front page
    keeps it, and it names the rare-guess settings the rule found; without them it is the
    closed loops alone."""
    ev = _evidence() | _guesses(RARE)
    v = cs.rule_compounding(ev)
    short = claims.short_summary(v)
    assert short.startswith("It does not hold as stated")
    assert short.endswith(
        "It holds only for loops without an outside check, or where a right step is too "
        "rare to guess (1 in 200 with 2000 attempts a generation, 1 in 2000 with 8000)."
    )
    plain = claims.short_summary(cs.rule_compounding(_evidence()))
    assert plain.endswith("It holds only for loops without an outside check.")


@pytest.mark.parametrize(
    ("kwargs", "rare", "says"),
    [
        # a checker taught: the perfect verifier's climb, and where the claim still holds
        (
            {},
            False,
            "A perfect verifier took 10-digit sums from under 0.05% to 90.0% success in 20",
        ),
        ({}, False, "generations. It holds only for loops without an outside check."),
        # and where a right guess is too rare for the attempts, too
        ({}, True, "A perfect verifier took 10-digit sums from under 0.05% to 90.0%."),
        ({}, True, "It holds only without a checker, or when right steps are too rare."),
        # only the perfect verifier gained
        ({"extra": 1.0, "extra_se": 3.0}, False, "Only a perfect verifier beat loops without a"),
        ({"extra": 1.0, "extra_se": 3.0}, False, "taking 10-digit sums from under 0.05% to 90.0%"),
        # a loop without a check gained
        (
            {"gain_closed": 0.2, "closed_se": 0.02},
            False,
            "A loop without an outside check (judges itself) changed its success on 10-digit "
            "sums by +20.0% (± 2.0%).",
        ),
        # not even a perfect verifier gained
        ({"gain_perfect": 0.01, "perfect_se": 0.01}, False, "Not even a perfect verifier made the"),
        ({"gain_perfect": 0.01, "perfect_se": 0.01}, False, "went from 0.0% to 1.0% success in 20"),
    ],
)
def test_the_first_halfs_headline_gives_its_branchs_deciding_fact(kwargs, rare, says):
    v = cs.rule_compounding(_evidence(**kwargs) | (_guesses(RARE) if rare else {}))
    assert says in _a_line(v)


def test_the_case_and_the_verdict_go_together():
    for kwargs in ({}, {"extra": 1.0, "extra_se": 3.0}, {"gain_closed": 0.2, "closed_se": 0.02},
                   {"gain_perfect": 0.01, "perfect_se": 0.01}):  # fmt: skip
        ev = _evidence(**kwargs)
        assert cs.rule_compounding(ev).verdict == cs.CASE_VERDICTS[cs.compounding_case(ev)]
    assert set(cs.CASE_VERDICTS) == set(cs.CASES)


@pytest.mark.parametrize(
    ("more", "says"),
    [
        (0.7, "; the line rises with more attempts, to 70% with 8000 a generation."),
        (0.5, "; with 8000 attempts a generation it stayed at 50%."),
        (0.4, "; with 8000 attempts a generation it was lower, 40%."),
        (float("nan"), "; with 8000 attempts a generation every rate swept gained."),
    ],
)
def test_the_summary_says_how_the_line_moves_with_more_attempts(more, says):
    text = cs.rule_compounding(_evidence() | {"checker_break_even_more": more}).summary
    assert "showed no gain that clears the rule's bar (90% when the loop attempts sums " in text
    assert says in text and "nan" not in text


def test_the_summary_does_not_print_zero_as_a_percentage():
    tiny = _evidence(gain_closed=9e-8, closed_se=4e-8) | {"hard_start": 8.6e-9}
    text = cs.rule_compounding(tiny | {"hard_end_accepts_20pct": 2e-6}).summary
    import re

    assert not re.search(r"(?<![\d.])[+-]?0\.0%", text)  # "90.0%" is fine
    assert "from under 0.05% to 90.0% success" in text
    assert "changed its success by less than 0.05 percentage points" in text
    assert "accepting 20% at under 0.05%" in text
    # a change the t quantile's standard errors take past 0.05 points is printed
    assert "+0.0% (± 0.1%)" in cs.rule_compounding(_evidence()).summary
    assert "none could learn a new context except by a lucky guess" in text


@pytest.mark.parametrize(
    ("mean", "se", "cell", "prose"),
    [
        (93.0, 0.17, "93.0 ± 0.2", "93.0% (± 0.2)"),
        (0.0454, 0.0295, "0.05 ± 0.03", "0.05% (± 0.03)"),
        (0.000536, 0.00014, "0.0005 ± 0.0001", "0.0005% (± 0.0001)"),
        (200.0, 0.0, "200.0 ± 0", "200.0% (± 0)"),
    ],
)
def test_small_values_keep_enough_decimals(mean, se, cell, prose):
    assert cs.readable_pm(mean, se) == cell
    assert cs.pct_text(mean / 100, se / 100) == prose


def test_real_check_the_answer_space_table_applies_the_rule(verdict):
    """Each row's first-half verdict is the rule's, with the perfect verifier's gain from
    that row's runs: it holds exactly where that gain does not clear the bar, the
    policy's own answer space with the main budget is the verdict's first half, and the
    summary names the settings where it holds."""
    ev = verdict.evidence
    found = cs.answer_space_runs()
    rows = cs.answer_space_rows(ev)
    assert [r["a guess is right 1 in"] for r in rows] == list(cs.ANSWER_SPACES)
    for row in rows:
        k = row["a guess is right 1 in"]
        for n in (cs.ATTEMPTS, cs.MORE_ATTEMPTS):
            e = found[k, n]
            assert (ev[f"guess_{k}_{n}_gain"], ev[f"guess_{k}_{n}_gain_se"]) == (
                e["gain"],
                e["gain_se"],
            )
            gained = cs.significant(e["gain"], e["gain_se"])
            assert (row[f"first half, {n}"] == claims.HOLDS) is (not gained)
    main = rows[0][f"first half, {cs.ATTEMPTS}"]
    assert cs.ANSWER_SPACES[0] == cs.OUTCOMES
    assert main == cs.rule_compounding(ev).verdict
    where = cs.rare_guess_text(ev)
    assert (where in verdict.summary) and (bool(where) is bool(cs.rare_guesses(ev)))
    # the rarest guess gains no more than the policy's own, at either budget
    for n in (cs.ATTEMPTS, cs.MORE_ATTEMPTS):
        assert found[cs.ANSWER_SPACES[-1], n]["gain"] < found[cs.ANSWER_SPACES[0], n]["gain"]
        assert found[cs.ANSWER_SPACES[-1], n]["gained"] > 0


def test_real_check_the_line_with_more_attempts_is_the_budget_tables(verdict):
    ev = verdict.evidence
    rows = {(r["generations"], r["attempts"]): r for r in cs.budget_break_even()}
    assert ev["checker_break_even_more"] == rows[cs.GENERATIONS, cs.MORE_ATTEMPTS]["break_even"]
    assert cs._line_moves(ev) in verdict.summary


def test_the_digit_loop_draws_the_chapters_samples():
    import inspect

    from lossylib.selftrain.digits import digit_loop

    runs = cs.digit_runs()["replace"]
    other = digit_loop(2, "replace", seed=1, samples=cs.DIGIT_SAMPLES)
    np.testing.assert_array_equal(other.shares[:3], runs[1].shares[:3])
    default = inspect.signature(digit_loop).parameters["samples"].default
    assert default == cs.DIGIT_SAMPLES  # the page's runs are digit_loop's defaults


@pytest.mark.parametrize(
    ("again", "diff", "se", "word", "known_as"),
    [
        (0.0, 0.0, 0.0, "none", "as many as"),
        (0.05, 0.01, 0.02, "almost none", "about as many as"),
        # a gain the seeds cannot hide is "more than", not "about as many as"
        (0.3, 0.25, 0.02, "only some", "more than"),
        (0.9, 0.85, 0.02, "most", "more than"),
        (0.05, -0.2, 0.02, "almost none", "fewer than"),
    ],
)
def test_repair_words_follow_the_shares_and_their_paired_difference(
    again, diff, se, word, known_as
):
    """The chapter said "only some" for any share of 10% or more, and "about as many as"
    whenever the two shares differed, however far apart; both now follow the numbers."""
    ev = {
        "repair_known_again_accumulate": again,
        "repair_tested_accumulate": 10,
        "repair_restored_by_checker_accumulate": diff,
        "repair_restored_by_checker_accumulate_se": se,
    }
    assert cs.repair_words(ev) == {"known_word": word, "known_as": known_as}


def test_the_blind_spot_section_rests_on_what_the_runs_show():
    """The chapter's blind-spot section, keeping all data: the random checker lets through
    the blind one's share of wrong answers; that share climbs because the blind checker
    teaches wrong carries (in the perfect verifier's loop, mistakes only in the carry stay
    rare); the random checker's data holds more wrong answers; the blind checker's wrong
    contexts are mostly wrong only in the carry, the random one's are not; its loop gets
    fewer of the longest sums right than the perfect verifier's, answering with its
    favourites and sampling, and slips more where it is right. Training on its newest
    attempts only, the rate climbs less."""
    n = cs.blind_spot_numbers()
    z = cs.critical(n["seeds"])

    def above(big, small):
        gap = n[big] - n[small]
        return gap > z * np.hypot(n[f"{big}_se"], n[f"{small}_se"])

    assert abs(n["random_rate"] - n["blind_rate"]) < 0.01
    assert n["blind_rate_last"] > 5 * n["blind_rate_first"]
    assert n["blind_carry_mistakes_last"] == n["blind_rate_last"]  # what it lets through
    assert n["perfect_carry_mistakes_max"] < 0.05 < n["blind_rate_last"]
    assert n["perfect_rate"] == 0 and n["perfect_known"] == 200
    assert cs.blind_spot_words(n) == "more contexts than"  # the prose's "yet" and "but"
    assert above("random_mistakes", "blind_mistakes")
    assert above("random_kept_wrong", "blind_kept_wrong")
    assert above("blind_carry_only", "random_carry_only")
    assert n["blind_carry_only"] > 0.5 > n["random_carry_only"]
    assert above("perfect_greedy", "blind_greedy")
    assert above("perfect_known_right", "blind_known_right")
    assert above("perfect_hard", "blind_hard") and above("blind_hard", "random_hard")
    assert n["extra"] == pytest.approx(n["blind_known"] - n["random_known"])
    replace = cs.blind_spot_numbers(data="replace")
    assert replace["blind_rate_last"] < n["blind_rate_last"]
    assert replace["blind_carry_only"] > replace["random_carry_only"]
    rows = cs.blind_spot_rows()
    assert [(r["checker"], r["data"]) for r in rows[:3]] == [
        (c, "accumulate") for c in cs.BLIND_CHECKERS
    ]
    assert [r["data"] for r in rows[3:]] == ["replace"] * 3
    assert rows[0]["wrong only in carry (%)"] == "none wrong"
    assert rows[1]["contexts known"] == plus_minus(n["blind_known"], n["blind_known_se"])


def _blind_run(known, carry_only, rates, hard):
    """A made-up run for :func:`cs.blind_spot_numbers`: it ends knowing ``known`` contexts,
    ``carry_only`` of the others wrong only in the carry."""
    table = np.full((200, 20), 0.01)
    right = st.true_outcomes()
    table[np.arange(200), right] = 0.5
    for ctx in range(200 - known):  # wrong: the carry flipped, or the digit shifted
        digit, carry = right[ctx] % 10, right[ctx] // 10
        wrong = 10 * (1 - carry) + digit if ctx < carry_only else 10 * carry + (digit + 1) % 10
        table[ctx, wrong] = 0.9
    known_contexts = np.zeros((2, 200), bool)
    known_contexts[-1, 200 - known :] = True
    return R(
        known=np.array([0, known]),
        known_contexts=known_contexts,
        right_chance=np.stack([np.zeros(200), table[np.arange(200), right]]),
        final_table=table,
        false_accepts=np.array(rates),
        carry_mistakes=np.array(rates) / 2,
        kept=np.array([100, 100]),
        kept_wrong=np.array([10, 30]),
        tried_wrong=np.array([100, 100]) - known // 10,
        success=np.array([[0.0], [hard]]),
        greedy=np.array([[0.0], [hard + 0.05]]),
    )


@pytest.mark.parametrize(
    "blind_known, random_known, says",
    [
        (160, 120, "more contexts than"),
        (120, 160, "fewer contexts than"),
        (121, 120, "as many contexts as"),  # +1 and -1 paired: no difference
        (120, 120, "about as many contexts as"),
    ],
)
def test_blind_spot_numbers_and_words_follow_the_runs(blind_known, random_known, says):
    runs = {
        cs.BLIND_CHECKERS[0]: (_blind_run(200, 0, [0, 0], 0.9),) * 2,
        cs.BLIND_CHECKERS[1]: (
            _blind_run(blind_known, 30, [0.01, 0.3], 0.08),
            _blind_run(blind_known - 4, 30, [0.01, 0.3], 0.06),
        ),
        cs.BLIND_CHECKERS[2]: (
            _blind_run(random_known, 4, [0.01, 0.3], 0.0),
            _blind_run(random_known - 2, 4, [0.01, 0.3], 0.0),
        ),
    }
    n = cs.blind_spot_numbers(runs)
    assert cs.blind_spot_words(n) == says
    assert n["blind_known"] == blind_known - 2 and n["seeds"] == 2
    assert n["extra"] == blind_known - random_known - 1
    assert n["blind_rate"] == pytest.approx(0.155) and n["blind_rate_last"] == pytest.approx(0.3)
    assert n["blind_carry_only"] == pytest.approx(
        np.mean([30 / (200 - k) for k in (blind_known, blind_known - 4)])
    )
    assert np.isnan(n["perfect_carry_only"]) and n["perfect_carry_only_seeds"] == 0
    assert n["blind_hard"] == pytest.approx(0.07)
    assert n["blind_greedy"] == pytest.approx(0.12)
    assert n["blind_kept_wrong"] == pytest.approx(0.2)
    assert n["blind_carry_mistakes_last"] == pytest.approx(0.15)
    assert n["blind_known_right"] == pytest.approx(0.5)
    mistakes = [200 - 2 * (k // 10) for k in (blind_known, blind_known - 4)]  # 2 generations
    assert n["blind_mistakes"] == pytest.approx(np.mean(mistakes))
    rows = cs.blind_spot_rows({"accumulate": n})
    cells = [r["wrong only in carry (%)"] for r in rows]
    assert cells[0] == "none wrong" and cells[1].startswith(f"{100 * n['blind_carry_only']:.1f} ±")


def test_the_carry_only_cell_says_how_many_seeds_it_rests_on():
    n = {"seeds": 10, "blind_carry_only": 0.25, "blind_carry_only_se": 0.05}
    assert cs._carry_only_cell({**n, "blind_carry_only_seeds": 10}, "blind") == "25.0 ± 5.0"
    cell = cs._carry_only_cell({**n, "blind_carry_only_seeds": 4}, "blind")
    assert cell == "25.0 ± 5.0 (4 seeds)"
    assert cs._carry_only_cell({**n, "blind_carry_only_seeds": 1}, "blind") == "25.0 (1 seed)"
    assert cs._carry_only_cell({**n, "blind_carry_only_seeds": 0}, "blind") == "none wrong"


def test_real_check_where_the_first_half_holds_the_loop_still_learned(verdict):
    """The page: where a right guess is too rare, the perfect verifier's loop shows no gain
    on the longest sums, 'yet it still learned new contexts at every one of them'."""
    ev = verdict.evidence
    cells = [(k, n) for k, budgets in cs.rare_guesses(ev).items() for n in budgets]
    found = cs.rare_guess_learning(ev)
    assert cells and found["settings"] == len(cells)
    gained = [ev[f"guess_{k}_{n}_gained"] for k, n in cells]
    assert found["fewest"] == min(gained) > 0
    # every setting's gain in contexts clears the rule's bar, as the page and summary say
    for k, n in cells:
        g, se = ev[f"guess_{k}_{n}_gained"], ev[f"guess_{k}_{n}_gained_se"]
        assert g / cs.CONTEXTS >= cs.MIN_GAIN and g > cs.critical(cs.SEEDS) * se, (k, n)
    assert found["learned"] == len(cells)
    text = cs.rare_guess_learning_text(ev)
    assert text.startswith("Yet it still learned new contexts at every one of them")
    assert text.endswith("would hold at none of these settings.")
    assert "the loop still learned new contexts, only too slowly" in verdict.summary
    assert "still learned" not in claims.short_summary(verdict)  # the findings box's line
    # with no contexts gained the sentence says the step was never produced
    none = dict(ev) | {f"guess_{k}_{n}_gained": 0.0 for k, n in cells}
    assert cs.rare_guess_learning_text(none).startswith("Nor did it learn new contexts")
