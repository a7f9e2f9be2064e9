"""The categorical (Zipf) vocabulary: absorbing zeros, sampling policies, closed forms.

Tolerances are 4 standard errors, estimated from the simulated runs where no closed form
for the variance is at hand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lossylib.collapse import (
    DataPolicy,
    entropy,
    expected_diversity,
    forget_probability,
    forget_time_bins,
    leader_takeover,
    median_forget_time,
    refit_categorical,
    sharpen,
    zipf,
)

Z = 4.0

probabilities = (
    arrays(float, st.integers(2, 30), elements=st.floats(0, 1, allow_subnormal=False))
    .filter(lambda a: a.sum() > 1e-3)
    .map(lambda a: a / a.sum())
)


def test_zipf_is_a_decreasing_distribution():
    p = zipf(1000, 1.1)
    assert p.sum() == pytest.approx(1.0)
    assert np.all(np.diff(p) < 0)
    assert p[0] / p[1] == pytest.approx(2**1.1)


def test_entropy_of_simple_distributions():
    assert entropy(np.array([1.0, 0.0])) == 0.0
    assert entropy(np.full(8, 1 / 8)) == pytest.approx(3.0)
    np.testing.assert_allclose(entropy(np.array([[0.5, 0.5], [1.0, 0.0]])), [1.0, 0.0])


@settings(max_examples=60)
@given(p=probabilities, t1=st.floats(0.2, 5), t2=st.floats(0.2, 5))
def test_lower_temperature_never_raises_entropy(p, t1, t2):
    lo, hi = sorted((t1, t2))
    assert entropy(sharpen(p, lo)) <= entropy(sharpen(p, hi)) + 1e-9


@settings(max_examples=60)
@given(p=probabilities, k=st.integers(1, 40), top_p=st.floats(0.01, 1.0))
def test_truncation_keeps_zeros_and_the_right_tokens(p, k, top_p):
    q = sharpen(p, top_k=k)
    assert q.sum() == pytest.approx(1.0)
    assert np.count_nonzero(q) == min(k, np.count_nonzero(p))
    assert np.all(q[p == 0] == 0)
    r = sharpen(p, top_p=top_p)
    kept = r > 0
    assert np.all(r[p == 0] == 0)
    assert p[kept].sum() >= top_p - 1e-9  # the kept tokens hold at least top_p
    smallest = p[kept].min()
    assert p[kept].sum() - smallest < top_p + 1e-9  # and no token could be dropped
    assert p[~kept].max(initial=0) <= smallest + 1e-12  # the most probable are kept


def test_temperature_one_changes_nothing():
    p = zipf(50)
    np.testing.assert_allclose(sharpen(p, 1.0), p)


def test_zero_counts_stay_zero():
    p = zipf(300)
    gens = tuple(range(31))
    runs = refit_categorical(p, 500, 30, trials=20, keep=gens, seed=1)
    stack = np.stack([runs.snapshots[g] for g in gens])  # (generations, trials, V)
    dead = stack == 0
    assert np.all(dead[1:] >= dead[:-1])  # once zero, zero at every later generation
    assert np.all(np.diff(runs.support, axis=1) <= 0)
    g = runs.forgotten_at
    assert np.all(dead[-1] == (g >= 0))
    assert np.all((g < 0) | dead[np.maximum(g, 0), np.arange(20)[:, None], np.arange(300)])


def test_plain_sampling_keeps_expected_probabilities():
    # Wright-Fisher: E[p_t] = p_0 for every token, so the mean tail mass stays put.
    p = zipf(2000)
    runs = refit_categorical(p, 5000, 40, trials=400, seed=2)
    tail = runs.tail_mass[:, -1]
    se = tail.std() / math.sqrt(tail.size)
    assert abs(tail.mean() - runs.tail_mass[0, 0]) < Z * se
    assert runs.support[:, -1].mean() < 0.5 * 2000  # while the variety is lost


def test_diversity_decays_like_theory():
    p, n, t = zipf(500), 200, 30
    runs = refit_categorical(p, n, t, trials=2000, seed=3)
    expected = expected_diversity(p, n, t)
    for g in (1, 10, t):
        d = runs.diversity[:, g]
        assert abs(d.mean() - expected[g]) < Z * d.std() / math.sqrt(d.size), g


def test_lower_temperature_shrinks_entropy_faster():
    p = zipf(2000)
    means = []
    for temp in (0.9, 1.0, 1.1):
        h = refit_categorical(p, 20_000, 15, trials=20, temperature=temp, seed=4).entropy[:, -1]
        means.append((h.mean(), h.std() / math.sqrt(h.size)))
    for (m_lo, se_lo), (m_hi, se_hi) in zip(means, means[1:], strict=False):
        assert m_lo + Z * math.hypot(se_lo, se_hi) < m_hi


def test_truncation_speeds_the_loss_of_support():
    p = zipf(2000)
    plain = refit_categorical(p, 20_000, 15, trials=5, seed=5).support[:, -1]
    top_p = refit_categorical(p, 20_000, 15, trials=5, top_p=0.9, seed=5).support[:, -1]
    top_k = refit_categorical(p, 20_000, 15, trials=5, top_k=100, seed=5).support[:, -1]
    assert top_p.max() < plain.min()
    assert top_k.max() <= 100 < plain.min()


def test_forget_probability_matches_simulation():
    # 2,000 rare tokens, each expected c = 2 times a generation, beside one common token.
    # Their losses are (nearly) independent Bernoulli trials with the branching-process
    # probability, so the lost fraction has SE sqrt(P (1 - P) / (tokens * trials)).
    rare, c, n = 2000, 2.0, 40_000
    p = np.concatenate([[1 - rare * c / n], np.full(rare, c / n)])
    t, trials = 12, 10
    runs = refit_categorical(p, n, t, trials=trials, seed=6)
    lost = runs.forgotten_at[:, 1:]
    theory = forget_probability(c, t)
    for g in (1, 3, t):
        frac = ((lost >= 0) & (lost <= g)).mean()
        se = math.sqrt(theory[g] * (1 - theory[g]) / (rare * trials))
        assert abs(frac - theory[g]) < Z * se + 0.01, g  # 0.01: finite-n approximation


def test_median_forget_time_grows_linearly_with_count():
    times = [median_forget_time(c) for c in (5.0, 10.0, 20.0, 40.0)]
    ratios = [t / c for t, c in zip(times, (5, 10, 20, 40), strict=True)]
    assert all(2.5 < r < 3.1 for r in ratios)
    assert forget_probability(3.0, 0).tolist() == [0.0]


def test_forget_time_bins_pool_tokens_by_expected_count():
    # two groups of tokens with known counts and hand-made forgetting times
    p = np.array([0.5] + [0.0025] * 100 + [0.0025 * 4] * 25 + [0.125])
    p = p / p.sum()
    n = 4000
    forgotten = np.full((2, p.size), -1)
    rare = np.arange(1, 101)
    mid = np.arange(101, 126)
    forgotten[:, rare] = np.arange(100) % 7 + 1  # all forgotten, median 4
    forgotten[:, mid[:10]] = 30  # 10 of 25 forgotten: the median is "not yet"
    b = forget_time_bins(forgotten, p, n, bins=5)
    counts = p * n
    # only the rare group's bin has more than half of its tokens forgotten
    assert b["count"].tolist() == pytest.approx([counts[1]])
    assert b["median"].tolist() == [np.median(np.arange(100) % 7 + 1)]
    assert b["tokens"].tolist() == [100] and b["forgotten"].tolist() == [1.0]
    assert b["theory"].tolist() == [median_forget_time(counts[1])]
    forgotten[:, mid[:20]] = 30  # now 20 of 25: their bin is drawn, median 30
    b = forget_time_bins(forgotten, p, n, bins=5)
    assert b["median"].tolist() == [4.0, 30.0] and b["forgotten"][1] == pytest.approx(0.8)
    with pytest.raises(ValueError, match="forgotten_at must have shape"):
        forget_time_bins(forgotten[:, :-1], p, n)


def test_forget_time_bins_near_the_horizon_select_early_losses():
    """A bin whose theoretical median lies beyond the run is drawn only if its tokens
    happened to go early, so its median sits at or below the horizon."""
    p, n, t = zipf(10_000), 100_000, 100
    b = forget_time_bins(refit_categorical(p, n, t, trials=8, seed=4).forgotten_at, p, n)
    assert np.all(b["median"] <= t) and np.all(b["forgotten"] > 0.5)
    assert np.all(np.diff(b["count"]) > 0)
    assert b["theory"][-1] > t >= b["median"][-1]  # the chapter's last point


def test_accumulating_never_forgets_a_token_seen_in_real_data():
    p = zipf(500)
    runs = refit_categorical(p, 1000, 30, trials=5, policy="accumulate", seed=7)
    assert np.all(runs.support[:, 1:] == runs.support[:, 1:2])
    fresh = refit_categorical(p, 1000, 30, trials=5, policy=DataPolicy("fresh", 0.2), seed=7)
    replace = refit_categorical(p, 1000, 30, trials=5, seed=7)
    assert fresh.support[:, -1].mean() > replace.support[:, -1].mean()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"temperature": 0.0}, "temperature must be in"),
        ({"temperature": -1.0}, "temperature must be in"),
        ({"temperature": float("nan")}, "temperature must be finite"),
        ({"samples": 1}, "samples must be >= 2"),
        ({"generations": -1}, "generations must be >= 0"),
        ({"top_k": 0}, "top_k must be >= 1"),
        ({"top_p": 0.0}, "top_p must be in"),
        ({"top_p": 1.5}, "top_p must be in"),
        ({"keep": (99,)}, "keep must list generations"),
        ({"policy": "swap"}, "policy must be one of"),
    ],
)
def test_bad_parameters_raise_clear_errors(kwargs, message):
    args = {"p": zipf(10), "samples": 20, "generations": 3} | kwargs
    with pytest.raises(ValueError, match=message):
        refit_categorical(**args)


@pytest.mark.parametrize(
    ("p", "message"),
    [
        ([0.5, 0.4], "must sum to one"),
        ([0.5, float("nan"), 0.5], "NaN"),
        ([1.2, -0.2], "non-negative"),
        ([], "non-empty"),
    ],
)
def test_bad_probabilities_raise(p, message):
    with pytest.raises(ValueError, match=message):
        refit_categorical(p, 10, 2)


def test_bad_zipf_and_sharpen_inputs_raise():
    with pytest.raises(ValueError, match="size must be >= 1"):
        zipf(0)
    with pytest.raises(ValueError, match="non-negative"):
        sharpen(np.array([0.5, -0.5]))
    with pytest.raises(ValueError, match="expected_count"):
        forget_probability(-1.0, 3)


# --- where runs end when another token leads early -------------------------------------


def test_leader_takeover_counts_only_runs_the_token_does_not_lead():
    early = np.array([[0.5, 0.5, 0.0], [0.2, 0.3, 0.5], [0.1, 0.6, 0.3], [0.7, 0.2, 0.1]])
    late = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    r = leader_takeover(early, late)
    # a tie with token 0 (run 0) and a run it leads (run 3) do not count
    assert r["runs"] == 2
    assert r["token_early"] == pytest.approx(0.15) and r["token_late"] == 0.5
    assert r["leader_early"] == pytest.approx(0.55) and r["leader_late"] == 0.5
    assert r["token_excess"] == pytest.approx(0.35)
    assert r["token_excess_se"] == pytest.approx(np.std([-0.2, 0.9], ddof=1) / math.sqrt(2))
    assert r["leader_excess"] == pytest.approx(-0.05)
    # another token: token 2 is led in runs 0, 2 and 3 (by tokens 0, 1 and 0)
    r2 = leader_takeover(early, late, token=2)
    assert r2["runs"] == 3
    assert r2["leader_late"] == pytest.approx((1.0 + 0.0 + 0.0) / 3)


def test_leader_takeover_is_fair_at_temperature_one_and_not_when_cold():
    """With plain sampling each token's probability is a martingale, so neither the
    original mode nor the early leader gains on average; sampled cold, the early leader
    gains."""
    p = zipf(10)
    for temp in (1.0, 0.7):
        runs = refit_categorical(p, 30, 200, 2000, temperature=temp, keep=(3, 200), seed=5)
        r = leader_takeover(runs.snapshots[3], runs.snapshots[200])
        if temp == 1.0:
            assert abs(r["token_excess"]) < Z * r["token_excess_se"]
            assert abs(r["leader_excess"]) < Z * r["leader_excess_se"]
        else:
            assert r["leader_excess"] > Z * r["leader_excess_se"]
            assert r["token_excess"] < r["leader_excess"]


@pytest.mark.parametrize(
    ("early", "late", "token", "message"),
    [
        (np.ones((2, 3)) / 3, np.ones((3, 3)) / 3, 0, "one shape"),
        (np.ones(3) / 3, np.ones(3) / 3, 0, "one shape"),
        (np.array([[0.9, 0.1], [0.2, 0.8]]), np.eye(2), 0, "at least 2 runs"),
        (np.array([[0.1, 0.9], [0.2, 0.8]]), np.eye(2), 2, "token"),
        (np.array([[0.1, -0.9], [0.2, 0.8]]), np.eye(2), 0, "non-negative"),
    ],
)
def test_leader_takeover_rejects_bad_input(early, late, token, message):
    with pytest.raises(ValueError, match=message):
        leader_takeover(early, late, token=token)
