"""lossylib.selftrain's fast paths give the slow paths' numbers bit for bit.

The held-out evaluation of :func:`~lossylib.selftrain.expert_iteration` runs every level
in one pass (:func:`~lossylib.selftrain.policy.stack_columns`), and its attempts skip the
checks of :meth:`~lossylib.selftrain.DigitPolicy.sample`. References: the per-level
methods ``success_on`` and ``greedy_on``, ``np.mean``, the sampler as it was written
before (below, with its random stream) and numbers pinned from that version's runs.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

from lossylib import selftrain as st
from lossylib.selftrain.expert import _means
from lossylib.selftrain.policy import (
    CONTEXTS,
    OUTCOMES,
    Attempts,
    DigitPolicy,
    columns,
    context_index,
    stack_columns,
)


def random_policy(seed: int, alpha: float = 0.1) -> DigitPolicy:
    """A policy with an arbitrary table: counts from 0 to large, many rows peaked."""
    rng = np.random.default_rng(seed)
    counts = rng.gamma(0.3, 50.0, (CONTEXTS, OUTCOMES)) * (rng.random((CONTEXTS, 1)) < 0.7)
    return DigitPolicy(np.floor(counts), alpha)


@settings(max_examples=25, deadline=None)
@given(
    hst.integers(0, 2**32 - 1),
    hst.lists(hst.tuples(hst.integers(1, 17), hst.integers(0, 40)), min_size=1, max_size=6),
)
def test_stacked_sets_give_each_sets_success_and_greedy_bit_for_bit(seed, shapes):
    rng = np.random.default_rng(seed)
    sets = [columns(*st.problems(level, n, rng), level) for level, n in shapes]
    stacked = stack_columns(sets)
    for policy in (random_policy(seed), random_policy(seed + 1, alpha=1e-3), DigitPolicy.blank()):
        success, greedy = policy.success_each(stacked), policy.greedy_each(stacked)
        assert len(success) == len(greedy) == len(sets)
        for cols, s, g in zip(sets, success, greedy, strict=True):
            want_s, want_g = policy.success_on(cols), policy.greedy_on(cols)
            assert s.dtype == want_s.dtype and np.array_equal(s, want_s)
            assert g.dtype == want_g.dtype and np.array_equal(g, want_g)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_held_out_means_equal_np_mean_of_each_level_bit_for_bit(seed):
    policy = random_policy(seed)
    sets = [columns(a, b, lv) for lv, (a, b) in enumerate(st.held_out(12, 300), 1)]
    stacked = stack_columns(sets)
    want_s = np.array([policy.success_on(cols).mean() for cols in sets])
    want_g = np.array([policy.greedy_on(cols).mean() for cols in sets])
    got_s, got_g = _means(policy.success_each(stacked)), _means(policy.greedy_each(stacked))
    assert got_s.dtype == want_s.dtype and np.array_equal(got_s, want_s)
    assert got_g.dtype == want_g.dtype and np.array_equal(got_g, want_g)
    assert 0 < got_s[0] < 1 and 0 < got_g[0] < 1  # a test that can tell values apart


def test_stacking_orders_rows_longest_first_and_keeps_the_sets_order():
    sets = [columns(np.array([3]), np.array([4]), 1), columns(np.array([19, 25]), [1, 30], 2)]
    stacked = stack_columns(sets)
    assert stacked.active == (3, 2)
    assert stacked.blocks == (slice(2, 3), slice(0, 2))
    assert stack_columns([]).active == ()


def reference_sample(policy, a, b, level, rng):
    """DigitPolicy.sample as written before its fast path (the reference)."""
    da, db = st.to_digits(a, level), st.to_digits(b, level)
    n = da.shape[0]
    ctx = np.empty((n, level), dtype=np.int64)
    out = np.empty((n, level), dtype=np.int64)
    cum = np.cumsum(policy.table, axis=1)
    carry = np.zeros(n, dtype=np.int64)
    for i in range(level):
        ctx[:, i] = context_index(da[:, i], db[:, i], carry)
        u = rng.random(n)[:, None] * cum[ctx[:, i], -1:]
        out[:, i] = np.minimum((cum[ctx[:, i]] < u).sum(axis=1), OUTCOMES - 1)
        carry = out[:, i] // 10
    written = np.concatenate([out % 10, carry[:, None]], axis=1)
    correct = np.all(written == st.answer_digits(a, b, level), axis=1)
    logp = np.log(policy.table[ctx, out]).sum(axis=1)
    return Attempts(ctx, out, correct, logp)


@settings(max_examples=40, deadline=None)
@given(hst.integers(0, 2**32 - 1), hst.integers(1, 17), hst.integers(0, 300))
def test_sample_gives_the_reference_attempts_and_random_stream(seed, level, n):
    a, b = st.problems(level, n, np.random.default_rng(seed))
    for policy in (random_policy(seed), DigitPolicy.from_examples(a, b, level, alpha=1e-9)):
        rng, ref_rng = np.random.default_rng(seed + 1), np.random.default_rng(seed + 1)
        got, want = policy.sample(a, b, level, rng), reference_sample(policy, a, b, level, ref_rng)
        for name in ("contexts", "outcomes", "correct", "logp"):
            x, y = getattr(got, name), getattr(want, name)
            assert x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y), name
        assert rng.random() == ref_rng.random()  # the same numbers drawn


def test_a_policy_that_knows_addition_samples_right_answers():
    a, b = st.problems(6, 200, np.random.default_rng(0))
    teacher = DigitPolicy.from_examples(*st.problems(3, 2000, np.random.default_rng(1)), 3, 1e-9)
    assert teacher.sample(a, b, 6, np.random.default_rng(2)).correct.all()


# Pinned from expert_iteration before its fast paths (same seeds, same numbers).
PINNED = [
    (
        dict(generations=3, verifier=0.3, seed=3, attempts=500, train_level=4, eval_level=6),
        40,
        ([183, 164, 173], [158, 137, 138], [47, 41, 41, 47]),
        [[17, 1, 0, 0, 0, 0], [19, 3, 0, 0, 0, 0], [14, 3, 0, 0, 0, 0], [15, 3, 0, 0, 0, 0]],
        [0.238565303773, 0.029579619152, 0.002806164026, 0.000672855398, 7.22296e-05],
    ),
    (
        dict(generations=2, verifier="self", seed=1, attempts=300, data="replace", eval_level=5),
        30,
        ([150, 150], [137, 138], [51, 38, 32]),
        [[8, 0, 0, 0, 0], [6, 1, 0, 0, 0], [5, 0, 0, 0, 0]],
        [0.12169047619, 0.009762622197, 0.002090272748, 0.00023033292, 0.00014704267],
    ),
]


@pytest.mark.parametrize(("kwargs", "per_level", "kept", "greedy", "success"), PINNED)
def test_expert_iteration_gives_the_pinned_runs(kwargs, per_level, kept, greedy, success):
    run = st.expert_iteration(**kwargs, per_level=per_level)
    assert (run.kept.tolist(), run.kept_wrong.tolist(), run.known.tolist()) == kept
    assert np.array_equal(run.greedy * per_level, np.array(greedy, dtype=float))
    assert np.allclose(run.success[-1, : len(success)], success, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("sets", "error", "match"),
    [
        (columns(np.array([1]), np.array([2]), 1), ValueError, "what columns"),
        ("cols", TypeError, "sequence of columns"),
        ([(np.full((2, 1, 1), 200), np.zeros((1, 2), int))], ValueError, "contexts as columns"),
        ([(np.array([[[2]], [[4]]]), np.zeros((1, 2), int))], ValueError, "contexts as columns"),
        ([(np.array([[[3]], [[4]]]), np.zeros((1, 2), int))], ValueError, "contexts as columns"),
        ([(np.array([[[2]], [[3]]]), np.array([[10, 0]]))], ValueError, "digits in 0..9"),
        ([(np.array([[[2]], [[3]]]), np.array([[1, 2]]))], ValueError, "last carry"),
        ([(np.array([[[2]], [[3]]]), np.array([[1.0, 0.0]]))], ValueError, "digits in 0..9"),
    ],
)
def test_bad_stacks_raise_one_line_errors(sets, error, match):
    with pytest.raises(error, match=match):
        stack_columns(sets)


def test_success_each_needs_a_stack():
    with pytest.raises(TypeError, match="what stack_columns"):
        DigitPolicy.blank().success_each([columns(np.array([1]), np.array([2]), 1)])
    with pytest.raises(TypeError, match="what stack_columns"):
        DigitPolicy.blank().greedy_each(None)
