"""lossylib.selftrain: the addition task, the learned policy, the verifiers, expert iteration.

References: Python's own integer arithmetic for the task; Monte Carlo sampling of the
policy for its exact success probability; the verifier's definition for its masks.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

from lossylib import selftrain as st
from lossylib.selftrain.policy import OUTCOMES, columns, context_index

# --- the task -------------------------------------------------------------------------


@given(hst.integers(0, 10**17 - 1), hst.integers(1, 18))
def test_to_digits_matches_the_decimal_string(x, width):
    digits = st.to_digits(np.array([x]), width)[0].tolist()
    expected = [int(c) for c in str(x).zfill(width)[::-1][:width]]
    assert digits == expected


@given(hst.integers(1, 12), hst.integers(0, 2**32 - 1))
def test_problems_have_the_level_and_answers_add_up(level, seed):
    a, b = st.problems(level, 20, np.random.default_rng(seed))
    low = 0 if level == 1 else 10 ** (level - 1)
    assert np.all((a >= low) & (a < 10**level)) and np.all((b >= low) & (b < 10**level))
    ans = st.answer_digits(a, b, level)
    value = (ans * 10 ** np.arange(level + 1)).sum(axis=1)
    assert np.array_equal(value, a + b)


def test_true_outcomes_are_column_addition():
    out = st.true_outcomes()
    for a in range(10):
        for b in range(10):
            for c in (0, 1):
                total = a + b + c
                assert out[context_index(a, b, c)] == 10 * (total // 10) + total % 10


def test_correct_traces_reproduce_the_sum():
    rng = np.random.default_rng(0)
    a, b = st.problems(6, 200, rng)
    ctx, out = st.correct_traces(a, b, 6)
    written = np.concatenate([out % 10, (out[:, -1] // 10)[:, None]], axis=1)
    assert np.array_equal(written, st.answer_digits(a, b, 6))
    assert np.array_equal(out, st.true_outcomes()[ctx])


# --- the policy -----------------------------------------------------------------------


def test_a_policy_fitted_on_every_context_knows_them_all():
    ctx = np.arange(200)
    policy = st.DigitPolicy.fit(ctx, st.true_outcomes()[ctx], alpha=0.1)
    assert policy.known() == 200
    a, b = st.problems(8, 100, np.random.default_rng(1))
    assert policy.greedy_correct(a, b, 8).all()
    # each column is right with (1 + alpha) / (1 + 20 alpha); a wrong carry can never
    # give the right digits here, so success is exactly that to the 8th power
    p = (1 + 0.1) / (1 + 2.0)
    assert np.allclose(policy.success(a, b, 8), p**8, rtol=0.2)
    assert np.all(policy.success(a, b, 8) >= p**8 - 1e-12)


def test_blank_policy_guesses_uniformly():
    a, b = st.problems(3, 50, np.random.default_rng(2))
    s = st.DigitPolicy.blank().success(a, b, 3)
    # three digits and a final carry, each right with 1/20 or 1/10 via either carry
    assert np.all(s > 0) and np.all(s < 0.01)
    assert st.DigitPolicy.blank().known() == 0


@pytest.mark.parametrize("level", [1, 2, 4])
def test_exact_success_matches_sampling(level):
    rng = np.random.default_rng(level)
    a0, b0 = st.problems(2, 60, rng)
    policy = st.DigitPolicy.from_examples(a0, b0, 2)
    a, b = st.problems(level, 400, rng)
    exact = policy.success(a, b, level)
    reps = 100
    hits = np.mean([policy.sample(a, b, level, rng).correct for _ in range(reps)], axis=0)
    se = np.sqrt(exact.mean() * (1 - exact.mean()) / (reps * a.size))
    assert abs(hits.mean() - exact.mean()) < 4 * se + 1e-9


def test_precomputed_columns_give_the_same_answers():
    rng = np.random.default_rng(5)
    a0, b0 = st.problems(2, 30, rng)
    policy = st.DigitPolicy.from_examples(a0, b0, 2)
    a, b = st.problems(5, 300, rng)
    cols = columns(a, b, 5)
    assert np.allclose(policy.success(a, b, 5), policy.success_on(cols))
    assert np.array_equal(policy.greedy_correct(a, b, 5), policy.greedy_on(cols))


def test_sampled_logp_is_the_trace_probability():
    rng = np.random.default_rng(6)
    policy = st.DigitPolicy.from_examples(*st.problems(2, 30, rng), 2)
    a, b = st.problems(3, 50, rng)
    att = policy.sample(a, b, 3, rng)
    assert np.allclose(att.logp, np.log(policy.table[att.contexts, att.outcomes]).sum(axis=1))
    assert att.outcomes.max() < OUTCOMES


# --- verifiers ------------------------------------------------------------------------


@settings(max_examples=50)
@given(hst.lists(hst.booleans(), min_size=1, max_size=200), hst.integers(0, 2**32 - 1))
def test_a_zero_false_accept_rate_never_lets_a_wrong_answer_through(correct, seed):
    correct = np.array(correct)
    n = correct.size
    for v in (0.0, "perfect"):
        mask = st.keep(correct, np.zeros(n), np.ones(n, int), v, np.random.default_rng(seed))
        assert np.array_equal(mask, correct)


def test_false_accept_rate_is_the_share_of_wrong_answers_kept():
    rng = np.random.default_rng(7)
    correct = rng.random(100_000) < 0.3
    mask = st.keep(correct, np.zeros(correct.size), np.ones(correct.size, int), 0.2, rng)
    assert mask[correct].all()
    wrong = ~correct
    rate = mask[wrong].mean()
    assert abs(rate - 0.2) < 4 * math.sqrt(0.2 * 0.8 / wrong.sum())


def test_self_verifier_keeps_its_most_confident_half_per_level():
    rng = np.random.default_rng(8)
    logp = rng.standard_normal(40)
    levels = np.repeat([1, 2], 20)
    mask = st.keep(np.zeros(40, bool), logp, levels, "self", rng, self_keep=0.5)
    for lv in (1, 2):
        idx = levels == lv
        assert mask[idx].sum() == 10
        assert logp[idx][mask[idx]].min() >= logp[idx][~mask[idx]].max()


@settings(max_examples=50)
@given(hst.lists(hst.tuples(hst.booleans(), hst.booleans()), min_size=1, max_size=200))
def test_the_carry_blind_checker_keeps_exactly_the_attempts_with_right_digits(pairs):
    digits_right = np.array([d for d, _ in pairs])
    correct = digits_right & np.array([c for _, c in pairs])  # right only if digits are
    n = correct.size
    rng = np.random.default_rng(0)
    mask = st.keep(
        correct, np.zeros(n), np.ones(n, int), "skip-carry", rng, digits_right=digits_right
    )
    assert np.array_equal(mask, digits_right)
    assert st.false_accept_rate("skip-carry") is None


def test_the_carry_blind_checker_draws_as_the_others_do():
    correct = np.array([True, False, False])
    digits_right = np.array([True, True, False])
    streams = []
    for v in ("skip-carry", 0.3):
        rng = np.random.default_rng(5)
        st.keep(correct, np.zeros(3), np.ones(3, int), v, rng, digits_right=digits_right)
        streams.append(rng.random())
    assert streams[0] == streams[1]


def test_wrong_carry_only_finds_right_digits_with_wrong_carries():
    table = np.full((200, OUTCOMES), 0.01)
    right = st.true_outcomes()
    table[np.arange(200), right] = 0.5
    assert not st.wrong_carry_only(table).any()
    wrong_carry, wrong_digit = context_index(9, 8, 1), context_index(2, 3, 0)
    table[wrong_carry, 8] = 0.9  # 9 + 8 + 1 = 18: writes 8 but carries 0
    table[wrong_digit, 15] = 0.9  # 2 + 3 = 5: writes 5 but carries 1 ...
    table[wrong_digit, 4] = 0.95  # ... no: writes 4, a wrong digit
    assert np.flatnonzero(st.wrong_carry_only(table)).tolist() == [wrong_carry]


def test_wrong_carry_only_does_not_count_a_tie():
    assert not st.wrong_carry_only(np.full((200, OUTCOMES), 0.05)).any()
    table = np.full((200, OUTCOMES), 0.01)
    flipped = (st.true_outcomes() + 10) % 20
    table[np.arange(200), flipped] = 0.4
    table[np.arange(200), st.true_outcomes()] = 0.4  # a tie with the right outcome
    assert not st.wrong_carry_only(table).any()
    table[7, flipped[7]] = 0.5
    assert np.flatnonzero(st.wrong_carry_only(table)).tolist() == [7]


@settings(max_examples=30, deadline=None)
@given(hst.integers(1, 6), hst.integers(0, 2**32 - 1))
def test_digits_right_reads_the_digits_and_not_the_final_carry(level, seed):
    rng = np.random.default_rng(seed)
    policy = st.DigitPolicy.from_examples(*st.problems(1, 30, rng), 1)
    a, b = st.problems(level, 400, rng)
    att = policy.sample(a, b, level, rng)
    digits = (att.outcomes % 10) @ 10 ** np.arange(level)
    assert np.array_equal(att.digits_right, digits == (a + b) % 10**level)
    assert np.all(att.digits_right[att.correct])
    # wrong with right digits: the answer is off by the final carry's place, no more
    written = digits + att.outcomes[:, -1] // 10 * 10**level
    off = np.abs(written - (a + b))[att.digits_right & ~att.correct]
    assert np.all(off == 10**level)


# --- expert iteration -----------------------------------------------------------------


def test_perfect_verifier_improves_the_hardest_held_out_level():
    gains = np.array(
        [
            r.success[-1, -1] - r.success[0, -1]
            for r in (st.expert_iteration(20, "perfect", seed=s) for s in range(3))
        ]
    )
    se = gains.std(ddof=1) / np.sqrt(gains.size)
    assert gains.mean() > 4 * se and gains.mean() > 0.3


def test_a_verifier_that_accepts_everything_equals_no_filter():
    for data in ("replace", "accumulate"):
        a = st.expert_iteration(4, 1.0, seed=3, data=data, attempts=500)
        b = st.expert_iteration(4, "none", seed=3, data=data, attempts=500)
        assert np.array_equal(a.success, b.success)
        assert np.array_equal(a.kept, b.kept) and np.array_equal(a.known, b.known)


def test_perfect_verifier_run_keeps_no_wrong_answer_and_zero_rate_is_perfect():
    a = st.expert_iteration(5, 0.0, seed=4, attempts=800)
    b = st.expert_iteration(5, "perfect", seed=4, attempts=800)
    assert a.kept_wrong.sum() == 0
    assert np.array_equal(a.success, b.success)


def test_run_shapes_and_levels():
    run = st.expert_iteration(3, "self", seed=0, attempts=300, eval_level=7, per_level=50)
    assert run.success.shape == (4, 7) and run.greedy.shape == (4, 7)
    assert run.levels.tolist() == list(range(1, 8))
    assert run.known.shape == (4,) and run.kept.shape == (3,)
    assert np.all((run.success >= 0) & (run.success <= 1))


def test_a_verifier_per_generation_switches_the_check_mid_run():
    """The same seed, first unchecked then checked: the unchecked generations are those of
    an unchecked run, and from the switch on no wrong answer is kept."""
    mixed = st.expert_iteration(5, ["none", "none", "perfect", "perfect", "perfect"], seed=2)
    unchecked = st.expert_iteration(2, "none", seed=2)
    assert np.array_equal(mixed.success[:3], unchecked.success)
    assert np.array_equal(mixed.kept[:2], unchecked.kept)
    assert mixed.kept_wrong[2:].sum() == 0 and unchecked.kept_wrong.sum() > 0
    same = st.expert_iteration(3, ("perfect",) * 3, seed=2)
    assert np.array_equal(same.success, st.expert_iteration(3, "perfect", seed=2).success)
    assert mixed.settings["verifier"] == ("none", "none", "perfect", "perfect", "perfect")


def test_right_chance_is_recorded_every_generation():
    run = st.expert_iteration(4, "perfect", seed=0, attempts=500)
    assert run.right_chance.shape == (5, 200)
    assert np.all((run.right_chance > 0) & (run.right_chance < 1))
    # a context never seen is a uniform guess over the 20 outcomes
    assert run.right_chance[0].min() == pytest.approx(0.05)
    # known contexts are those whose right step is the single most likely outcome, so
    # each has a chance above 1/20
    assert np.all((run.right_chance > 0.05).sum(axis=1) >= run.known)
    assert run.known_contexts.shape == (5, 200)
    assert np.array_equal(run.known_contexts.sum(axis=1), run.known)
    # a known context's right step beats a uniform guess
    assert np.all(run.right_chance[run.known_contexts] > 0.05)


def test_an_unchecked_loop_puts_right_steps_out_of_reach():
    """Kept wrong answers teach wrong steps: the right one's chance falls far below a
    uniform guess in some contexts (what claim 20's repair experiment starts from)."""
    run = st.expert_iteration(10, "none", seed=0)
    assert (run.right_chance[-1] < 0.01).sum() > 10
    assert (st.expert_iteration(10, "perfect", seed=0).right_chance[-1] < 0.01).sum() == 0


def test_no_filter_does_not_learn_new_contexts_beyond_chance():
    runs = [st.expert_iteration(10, "none", seed=s, attempts=1000) for s in range(3)]
    for r in runs:
        unknown = 200 - r.known[0]
        # a kept guess for an unseen context is right one time in 20
        assert r.known[-1] - r.known[0] < 0.05 * unknown + 4 * math.sqrt(0.05 * unknown)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"generations": -1}, "generations"),
        ({"generations": 2.5}, "generations"),
        ({"generations": 2, "verifier": "oracle"}, "verifier"),
        ({"generations": 2, "verifier": 1.5}, "verifier"),
        ({"generations": 2, "verifier": float("nan")}, "verifier"),
        ({"generations": 2, "verifier": True}, "verifier"),
        ({"generations": 2, "data": "keep"}, "data"),
        ({"generations": 2, "attempts": 0}, "attempts"),
        ({"generations": 2, "eval_level": 18}, "eval_level"),
        ({"generations": 2, "start_level": 6}, "start_level <= train_level"),
        ({"generations": 2, "alpha": 0.0}, "alpha"),
        ({"generations": 2, "self_keep": 0.0}, "self_keep"),
        ({"generations": 2, "verifier": ["none"]}, "one verifier per generation \\(2\\), got 1"),
        ({"generations": 2, "verifier": ["none", "oracle"]}, "verifier must be one of"),
        ({"generations": 1, "verifier": [float("nan")]}, "verifier"),
        ({"generations": 2, "answer_space": 10}, "answer_space must be >= 20"),
        ({"generations": 2, "answer_space": 200.5}, "answer_space must be an integer"),
        ({"generations": 2, "verifier": 0.05, "answer_space": 200}, "perfect verifier"),
        ({"generations": 2, "verifier": "self", "answer_space": 200}, "perfect verifier"),
        ({"generations": 2, "verifier": ["perfect", "none"], "answer_space": 200}, "perfect"),
    ],
)
def test_bad_parameters_raise_one_line_errors(kwargs, match):
    with pytest.raises(ValueError, match=match) as err:
        st.expert_iteration(**kwargs)
    assert "\n" not in str(err.value)


def test_bad_policy_inputs():
    with pytest.raises(ValueError, match="shape"):
        st.DigitPolicy(np.zeros((10, 20)))
    with pytest.raises(ValueError, match="non-negative"):
        st.DigitPolicy(-np.ones((200, 20)))
    with pytest.raises(ValueError, match="same number"):
        st.DigitPolicy.fit(np.arange(3), np.arange(2))
    with pytest.raises(ValueError, match="level"):
        st.problems(0, 3, np.random.default_rng(0))


# --- what a curriculum can reach, and the product rule -----------------------------


def _brute_reachable(train_level: int) -> set[int]:
    """Every context met by every correct sum of levels 1..train_level, by enumeration
    of the generator's whole range of addends (small levels only)."""
    seen: set[int] = set()
    for level in range(1, train_level + 1):
        low, high = st.addend_range(level)
        a, b = np.meshgrid(np.arange(low, high), np.arange(low, high))
        ctx, _ = st.correct_traces(a.ravel(), b.ravel(), level)
        seen |= set(ctx.ravel().tolist())
    return seen


def test_two_digit_sums_reach_181_contexts_and_longer_ones_all_200():
    counts = {lv: int(st.reachable_contexts(lv).sum()) for lv in (1, 2, 3, 5, 17)}
    assert counts == {1: 100, 2: 181, 3: 200, 5: 200, 17: 200}
    # the 19 missing at level 2: a carry into a column with a 0 digit
    missing = np.flatnonzero(~st.reachable_contexts(2))
    a, b, carry = missing // 20, (missing // 2) % 10, missing % 2
    assert missing.size == 19 and np.all(carry == 1) and np.all((a == 0) | (b == 0))
    for lv in (1, 2, 3):  # the column-by-column count agrees with enumerating every sum
        assert set(np.flatnonzero(st.reachable_contexts(lv)).tolist()) == _brute_reachable(lv)


def test_a_perfect_verifier_with_a_two_digit_curriculum_stalls_at_the_reachable_contexts():
    run = st.expert_iteration(20, "perfect", seed=0, train_level=2)
    reachable = st.reachable_contexts(2)
    assert run.known[-1] <= reachable.sum()
    assert not run.known_contexts[-1][~reachable].any()


def test_problems_draw_from_the_addend_range_column_by_column():
    assert [d.tolist() for d in st.column_digits(1)] == [list(range(10))]
    three = st.column_digits(3)
    assert [d.tolist() for d in three] == [list(range(10)), list(range(10)), list(range(1, 10))]
    for level in (1, 4):
        low, high = st.addend_range(level)
        a, _ = st.problems(level, 2000, np.random.default_rng(level))
        assert a.min() >= low and a.max() < high
        digits = st.to_digits(a, level)
        for i, allowed in enumerate(st.column_digits(level)):
            assert set(digits[:, i].tolist()) == set(allowed.tolist())


def test_long_sums_succeed_about_as_often_as_one_column_to_their_length():
    run = st.expert_iteration(6, "perfect", seed=1)
    per_column = st.column_success(run)
    assert per_column.shape == (7,)
    assert np.all(np.diff(per_column) > 0)
    # success on the hardest level is near the per-column chance to its 10th power
    assert np.allclose(per_column**10, run.success[:, -1], atol=0.02)
    # one column of a one-digit sum: exactly the mean right chance over its contexts
    a, b = st.held_out(10, 300)[0]
    ctx, _ = st.correct_traces(a, b, 1)
    assert st.column_success(run, 1)[-1] == pytest.approx(run.right_chance[-1][ctx].mean())
    with pytest.raises(ValueError, match="level must be <= 10"):
        st.column_success(run, 11)
    with pytest.raises(TypeError, match="ExpertRun"):
        st.column_success("run")


def test_shared_runs_with_a_curriculum_are_their_own_runs():
    curriculum = st.shared_run(2, 0.05, 0, "accumulate", train_level=2)
    assert curriculum is st.shared_run(2, 0.05, 0, "accumulate", 2)
    assert curriculum.train_level == 2
    assert st.shared_run(2, 0.05, 0, "accumulate").train_level == 5
    with pytest.raises(ValueError, match="train_level"):
        st.shared_run(2, 0.05, 0, "accumulate", train_level=0)


# --- a larger answer space, emulated --------------------------------------------------


def test_an_answer_space_of_20_is_the_run_without_emulation():
    for data in ("accumulate", "replace"):
        plain = st.expert_iteration(6, "perfect", seed=5, data=data, attempts=700)
        same = st.expert_iteration(6, "perfect", seed=5, data=data, attempts=700, answer_space=20)
        assert np.array_equal(plain.success, same.success)
        assert np.array_equal(plain.kept, same.kept)
        assert np.array_equal(plain.right_chance, same.right_chance)
        assert same.settings["answer_space"] == 20
    # a perfect verifier given as a rate of 0 may emulate too: it is the same verifier
    zero = st.expert_iteration(3, 0.0, seed=1, attempts=500, answer_space=200)
    named = st.expert_iteration(3, "perfect", seed=1, attempts=500, answer_space=200)
    assert np.array_equal(zero.kept, named.kept)


def test_a_larger_answer_space_learns_fewer_contexts_and_more_attempts_make_up_for_it():
    def known(k, attempts=2000):
        runs = [
            st.expert_iteration(10, "perfect", seed=s, attempts=attempts, answer_space=k)
            for s in range(3)
        ]
        return np.mean([r.known[-1] for r in runs])

    assert known(20) > known(200) + 20 > known(2000) + 30
    assert known(200, attempts=8000) > known(200) + 20
    run = st.expert_iteration(4, "perfect", seed=0, answer_space=2000)
    assert run.kept_wrong.sum() == 0  # still a perfect verifier


def _start_counts(seed: int, examples: int = 40, start_level: int = 2) -> np.ndarray:
    """The worked examples' counts of expert_iteration's starting policy, drawn as it
    draws them (the first draws of its generator)."""
    rng = np.random.default_rng(seed)
    counts = np.zeros((200, OUTCOMES))
    for lv, n in enumerate(np.array_split(np.arange(examples), start_level), start=1):
        ctx, out = st.correct_traces(*st.problems(lv, n.size, rng), lv)
        np.add.at(counts, (ctx.ravel(), out.ravel()), 1)
    return counts


def test_the_emulation_keeps_what_a_policy_guessing_right_1_in_k_gets_right():
    """The first generation's kept attempts: as many as a policy would get right whose
    untrained rows are a uniform guess over k answers (1/k for each of the table's 20,
    the rest of the row on answers outside the table, always wrong), computed exactly
    from its success probability; the run without emulation keeps clearly more."""
    k, attempts, train_level, seeds = 200, 2000, 5, 30
    per_level = attempts // train_level
    rng = np.random.default_rng(99)
    sums = [st.problems(lv, 4000, rng) for lv in range(1, train_level + 1)]
    expected = {20: 0.0, k: 0.0}
    kept = {20: 0, k: 0}
    for seed in range(seeds):
        counts = _start_counts(seed)
        policy = st.DigitPolicy(counts)
        run = st.expert_iteration(1, "perfect", seed=seed, attempts=attempts, answer_space=k)
        assert np.allclose(policy.right_chance(), run.right_chance[0])  # the same start
        guessing = st.DigitPolicy(counts)
        guessing.table[counts.sum(axis=1) == 0] = 1 / k
        for size, p in ((20, policy), (k, guessing)):
            expected[size] += sum(per_level * p.success(a, b, lv).mean() for lv, (a, b) in
                                  enumerate(sums, start=1))  # fmt: skip
        kept[k] += int(run.kept[0])
        kept[20] += int(st.expert_iteration(1, "perfect", seed=seed, attempts=attempts).kept[0])
    for size in (20, k):  # a sum of Bernoulli counts: variance below its mean
        assert abs(kept[size] - expected[size]) < 4 * math.sqrt(expected[size]) + 5, size
    # the two expectations lie far apart, so each count can match only its own
    assert expected[20] - expected[k] > 6 * math.sqrt(expected[20])


def test_the_carry_blind_checker_keeps_what_the_perfect_one_keeps_and_more():
    # Both start from the same policy and draw the same first attempts: the blind checker
    # keeps every right one, and wrong ones whose digits are right.
    perfect = st.expert_iteration(1, "perfect", seed=3, attempts=600)
    blind = st.expert_iteration(1, "skip-carry", seed=3, attempts=600)
    assert blind.kept[0] - blind.kept_wrong[0] == perfect.kept[0]
    assert blind.kept_wrong[0] > 0
    assert blind.tried_wrong[0] == perfect.tried_wrong[0]
    assert blind.false_accepts[0] == blind.kept_wrong[0] / blind.tried_wrong[0]


def test_tried_wrong_counts_every_wrong_attempt():
    run = st.expert_iteration(4, "none", seed=1, attempts=300)
    assert run.kept.tolist() == [300] * 4  # no filter keeps every attempt ...
    assert np.array_equal(run.tried_wrong, run.kept_wrong)  # ... so every wrong one
    assert np.array_equal(run.false_accepts, np.ones(4))
    assert run.final_table.shape == (200, OUTCOMES)


def test_a_schedule_of_rates_is_a_random_checker_generation_by_generation():
    blind = st.shared_run(3, "skip-carry", 0, "accumulate", attempts=500)
    assert blind is st.shared_run(3, "skip-carry", 0, "accumulate", attempts=500)
    same = st.expert_iteration(3, tuple(blind.false_accepts), 0, attempts=500)
    assert same.settings["verifier"] == tuple(float(r) for r in blind.false_accepts)
    # a schedule of none, all and none lets exactly that through, generation by generation
    run = st.expert_iteration(3, (0.0, 1.0, 0.0), 0, attempts=500)
    assert run.tried_wrong.min() > 0
    assert run.false_accepts.tolist() == [0.0, 1.0, 0.0]


def test_a_run_without_its_wrong_attempts_says_so():
    run = st.expert_iteration(1, "perfect", seed=0, attempts=100)
    bare = dataclasses.replace(run, tried_wrong=None, tried_wrong_carry=None)
    with pytest.raises(ValueError, match="did not record its wrong attempts"):
        _ = bare.false_accepts
    with pytest.raises(ValueError, match="did not record its wrong attempts"):
        _ = bare.carry_mistakes
