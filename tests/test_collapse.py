"""Recursive Gaussian refitting and the data policies, held to their closed forms.

Statistical tests use fixed seeds and tolerances of 4 standard errors (the chance of a
4-SE miss is about 6e-5 for an unbiased estimate), so a correct implementation passes for
these seeds and a wrong formula (off by a factor ``(n-1)/n`` per generation, say) fails.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from lossylib.collapse import (
    DataPolicy,
    GaussianRuns,
    as_policy,
    expected_mean_drift,
    expected_variance,
    log_variance_step,
    refit_gaussian,
    simulate_gaussian,
    steps_toward,
    tail_beyond,
    typical_variance,
    variance_sd,
)

Z = 4.0  # tolerance in standard errors


def variance_se(n: int, t: int, estimator: str, trials: int) -> float:
    """SE of the mean of sigma_t^2 over trials under replacement.

    sigma_t^2 is a product of t independent factors chi^2_{n-1} / d, with
    E[factor] = k / d and E[factor^2] = k (k + 2) / d^2 (k = n - 1), so
    Var(sigma_t^2) = (k (k + 2) / d^2)^t - (k / d)^(2t).
    """
    k = n - 1
    d = n if estimator == "mle" else n - 1
    var = (k * (k + 2) / d**2) ** t - (k / d) ** (2 * t)
    return math.sqrt(var / trials)


# --- shapes, reproducibility ----------------------------------------------------------


def test_shape_and_generation_zero():
    v = refit_gaussian(n=10, generations=7, trials=3, seed=0)
    assert v.shape == (3, 8)
    assert np.all(v[:, 0] == 1.0)
    assert np.all(v > 0)


def test_same_seed_same_runs_other_seed_other_runs():
    a = refit_gaussian(n=10, generations=5, trials=4, seed=1)
    b = refit_gaussian(n=10, generations=5, trials=4, seed=1)
    c = refit_gaussian(n=10, generations=5, trials=4, seed=2)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_zero_generations_is_just_the_truth():
    runs = simulate_gaussian(n=5, generations=0, trials=2, policy="accumulate")
    np.testing.assert_array_equal(runs.variances, np.ones((2, 1)))
    np.testing.assert_array_equal(runs.means, np.zeros((2, 1)))


# --- closed forms under replacement ---------------------------------------------------


@pytest.mark.parametrize("method", ["exact", "samples"])
@pytest.mark.parametrize("estimator", ["mle", "unbiased"])
def test_mean_variance_matches_closed_form(estimator, method):
    n, t, trials = 10, 20, 20_000
    v = refit_gaussian(n=n, generations=t, trials=trials, estimator=estimator, method=method)
    expected = expected_variance(n, t, estimator)
    for g in (1, 5, t):
        se = variance_se(n, g, estimator, trials)
        assert abs(v[:, g].mean() - expected[g]) < Z * se, g


@pytest.mark.parametrize("estimator", ["mle", "unbiased"])
def test_mean_log_variance_matches_digamma(estimator):
    # log sigma_t^2 is a sum of t independent steps with mean m and variance s2, so the
    # mean over trials has SE sqrt(t * s2 / trials).
    n, t, trials = 50, 200, 5000
    v = refit_gaussian(n=n, generations=t, trials=trials, estimator=estimator, seed=3)
    m, s2 = log_variance_step(n, estimator)
    se = math.sqrt(t * s2 / trials)
    assert abs(np.log(v[:, t]).mean() - t * m) < Z * se
    assert typical_variance(n, t, estimator)[-1] == pytest.approx(math.exp(t * m))


def test_median_run_collapses_faster_than_the_mean():
    n, t = 100, 200
    v = refit_gaussian(n=n, generations=t, trials=4000, seed=4)
    # For n = 100 the typical (geometric-mean) run decays like exp(-2t/n), the mean like
    # exp(-t/n): at t = 200, 0.018 against 0.134, far apart compared with either's SE.
    assert np.median(v[:, t]) < 0.5 * expected_variance(n, t)[-1]
    # The sample median has SE 1.2533 sd / sqrt(trials); the skew of log chi^2 moves the
    # median of a sum of t steps off its mean by a small fraction of sd (0.05 allowed).
    m, s2 = log_variance_step(n)
    sd = math.sqrt(t * s2)
    se_median = 1.2533 * sd / math.sqrt(4000)
    assert abs(np.log(np.median(v[:, t])) - t * m) < Z * se_median + 0.05 * sd


def test_unbiased_keeps_the_mean_but_typical_runs_collapse():
    n, t, trials = 20, 60, 40_000
    v = refit_gaussian(n=n, generations=t, trials=trials, estimator="unbiased", seed=5)
    assert abs(v[:, t].mean() - 1.0) < Z * variance_se(n, t, "unbiased", trials)
    assert np.median(v[:, t]) < 0.3
    assert typical_variance(n, t, "unbiased")[-1] < 0.3


def test_exact_shortcut_matches_sample_by_sample_in_distribution():
    n, t, trials = 8, 10, 4000
    exact = np.log(refit_gaussian(n=n, generations=t, trials=trials, seed=11)[:, t])
    slow = np.log(refit_gaussian(n=n, generations=t, trials=trials, method="samples", seed=12))
    result = stats.ks_2samp(exact, slow[:, t])
    assert result.pvalue > 0.001  # fixed seeds: deterministic; a shifted law fails by far


def test_fitted_mean_drifts_like_theory():
    n, t, trials = 10, 50, 20_000
    mu = simulate_gaussian(n=n, generations=t, trials=trials, seed=6).means
    for g in (1, 10, t):
        sq = mu[:, g] ** 2
        se = sq.std() / math.sqrt(trials)  # estimated SE of the mean of mu_t^2
        assert abs(sq.mean() - expected_mean_drift(n, g)[-1]) < Z * se


# --- data policies --------------------------------------------------------------------


def test_accumulation_bounds_the_drift_and_keeps_the_variance():
    # Accumulating, mu_t = mu_{t-1} + sigma_{t-1} Z_t / (t sqrt n): with sigma near 1,
    # n E[mu_t^2] = sum_k E[sigma_{k-1}^2] / k^2 <= pi^2 / 6 (Gerstgrasser et al. 2024),
    # against n (1 - ((n-1)/n)^t) = n (1 - 0.95^200) ~ 20 when replacing.
    n, t, trials = 20, 200, 4000
    acc = simulate_gaussian(n=n, generations=t, trials=trials, policy="accumulate", seed=7)
    rep = simulate_gaussian(n=n, generations=t, trials=trials, policy="replace", seed=7)
    drift = n * acc.means[:, t] ** 2
    assert drift.mean() < math.pi**2 / 6 + Z * drift.std() / math.sqrt(trials)
    assert (n * rep.means[:, t] ** 2).mean() > 10
    assert np.median(acc.variances[:, t]) > 0.5
    assert np.median(rep.variances[:, t]) < 1e-6


def test_fresh_data_stops_the_collapse():
    n, t = 20, 300
    fresh = refit_gaussian(n, t, 2000, policy=DataPolicy("fresh", 0.2), seed=8)[:, t]
    replace = refit_gaussian(n, t, 2000, seed=8)[:, t]
    assert np.median(fresh) > 0.3
    assert np.median(replace) < 1e-6


@pytest.mark.parametrize("method", ["exact", "samples"])
def test_accumulating_second_generation_matches_its_expectation(method):
    """Generation 2 pools n real samples with n drawn from the first fit N(mu_1, s_1^2):
    E[m2] = (n - 1) + (n - 1) E[s_1^2] + E[s_1^2] / 2 (the two batches' means differ by
    N(0, s_1^2 / n)), divided by 2n (MLE) or 2n - 1 (unbiased), with E[s_1^2] = (n - 1) / n
    (MLE) or 1 (unbiased)."""
    n, trials = 20, 40_000
    for estimator, first, d in (("mle", (n - 1) / n, 2 * n), ("unbiased", 1.0, 2 * n - 1)):
        v = refit_gaussian(n, 2, trials, estimator, policy="accumulate", method=method, seed=13)[
            :, 2
        ]
        expected = ((n - 1) + (n - 1) * first + first / 2) / d
        assert abs(v.mean() - expected) < Z * v.std() / math.sqrt(trials), estimator


@pytest.mark.parametrize("policy", ["accumulate", "fresh"])
def test_unbiased_fit_divides_by_the_count_less_one_in_every_policy(policy):
    """The same draws (seed) fitted both ways: at generation 1 the unbiased variance is
    the MLE's times n / (n - 1), and from then on the unbiased fit keeps more variance."""
    n = 20
    mle = refit_gaussian(n, 50, 2000, "mle", policy=policy, seed=3)
    unb = refit_gaussian(n, 50, 2000, "unbiased", policy=policy, seed=3)
    np.testing.assert_allclose(unb[:, 1], mle[:, 1] * n / (n - 1), rtol=1e-12)
    assert np.median(unb[:, -1]) > np.median(mle[:, -1])
    runs = simulate_gaussian(n, 3, 2, estimator="unbiased", policy=policy)
    assert runs.estimator == "unbiased" and runs.policy == as_policy(policy)


def test_samples_method_runs_every_policy():
    for policy in ("replace", "accumulate", "fresh"):
        v = refit_gaussian(5, 3, 2, policy=policy, method="samples", seed=0)
        assert v.shape == (2, 4)
        assert np.all(np.isfinite(v))


@given(n=st.integers(1, 10_000), fresh=st.floats(0, 1))
def test_policy_split_adds_up(n, fresh):
    synthetic, real = DataPolicy("fresh", fresh).split(n)
    assert synthetic + real == n
    assert abs(real - fresh * n) <= 0.5 + 1e-9
    assert DataPolicy("replace").split(n) == (n, 0)


def test_policy_combine_and_labels():
    assert as_policy("replace").combine([1], [2], merge=lambda a, b: a + b) == [2]
    assert as_policy("accumulate").combine(1, 2) == 3
    assert as_policy("fresh").label == "fresh 10%"
    assert as_policy(DataPolicy("accumulate")).name == "accumulate"


@pytest.mark.parametrize(
    "make",
    [
        lambda: DataPolicy("shuffle"),
        lambda: DataPolicy("fresh", 1.5),
        lambda: DataPolicy("fresh", float("nan")),
        lambda: DataPolicy("replace", 0.2),
        lambda: as_policy("mix"),
    ],
)
def test_bad_policies_raise(make):
    with pytest.raises(ValueError):
        make()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 1}, "n must be >= 2"),
        ({"n": 2.5}, "n must be an integer"),
        ({"n": float("nan")}, "n must be an integer"),
        ({"generations": -1}, "generations must be >= 0"),
        ({"trials": 0}, "trials must be >= 1"),
        ({"estimator": "median"}, "estimator must be one of"),
        ({"method": "fast"}, "method must be one of"),
        ({"policy": "keep"}, "policy must be one of"),
    ],
)
def test_bad_parameters_raise_clear_errors(kwargs, message):
    args = {"n": 10, "generations": 3, "trials": 2} | kwargs
    with pytest.raises(ValueError, match=message):
        refit_gaussian(**args)


def test_theory_functions_validate():
    with pytest.raises(ValueError, match="n must be >= 2"):
        expected_variance(1, 3)
    with pytest.raises(ValueError, match="generations must be >= 0"):
        typical_variance(10, -2)


def test_tail_beyond_matches_the_normal_law_and_validates():
    # the mass of N(0, v) beyond +-k real standard deviations, against scipy
    for v in (1.0, 0.25, 0.01):
        assert tail_beyond(v, 2.0) == pytest.approx(2 * stats.norm.sf(2.0, scale=math.sqrt(v)))
    assert tail_beyond(0.0) == 0.0
    both = tail_beyond(np.array([1.0, 0.25]), 1.0)
    assert both.shape == (2,) and both[0] > both[1]
    for bad in ({"variance": -1.0}, {"variance": 1.0, "k": 0.0}, {"variance": float("nan")}):
        with pytest.raises(ValueError, match="variance must be >= 0"):
            tail_beyond(**bad)


def test_tail_beyond_uses_each_runs_fitted_mean():
    # N(mu, v) beyond +-k, against scipy; a drifted run has more mass out there
    for v, mu in ((1.0, 0.5), (0.25, -1.5), (0.01, 1.9)):
        sd = math.sqrt(v)
        want = stats.norm.sf(2.0, mu, sd) + stats.norm.cdf(-2.0, mu, sd)
        assert tail_beyond(v, 2.0, mean=mu) == pytest.approx(want)
    assert tail_beyond(0.13, mean=0.44) > 100 * tail_beyond(0.13)
    # point masses: beyond k only strictly outside [-k, k]
    assert tail_beyond(np.zeros(3), 2.0, mean=np.array([3.0, -2.0, 1.0])).tolist() == [
        1.0,
        0.0,
        0.0,
    ]
    runs = np.array([[1.0, 0.0], [0.25, 1.0]])  # variances and means broadcast per run
    assert tail_beyond(runs[:, 0], mean=runs[:, 1]).shape == (2,)
    for bad in (float("nan"), float("inf"), True):
        with pytest.raises(ValueError, match="mean must be"):
            tail_beyond(1.0, mean=bad)


@pytest.mark.parametrize("estimator", ["mle", "unbiased"])
def test_variance_sd_matches_the_closed_form_and_the_runs(estimator):
    n, t = 20, 15
    k, d = n - 1, (n if estimator == "mle" else n - 1)
    assert variance_sd(n, t, estimator)[-1] == pytest.approx(
        variance_se(n, t, estimator, 1), rel=1e-12
    )
    assert variance_sd(n, t, estimator)[0] == 0.0
    assert variance_sd(n, 1, estimator)[1] == pytest.approx(math.sqrt(2 * k) / d)
    # against the spread of simulated runs (short runs, so the sample sd is reliable)
    v = refit_gaussian(n, t, 40_000, estimator, seed=3)[:, t]
    assert v.std() == pytest.approx(variance_sd(n, t, estimator)[-1], rel=0.05)


# --- sampling at a temperature --------------------------------------------------------


def _plain_by_hand(n: int, generations: int, trials: int, seed: int):
    """The replacement loop with exact statistics, written out generation by generation
    from the same random draws as ``simulate_gaussian`` (all gamma draws, then all
    normal ones): the plain algorithm, with no temperature in it."""
    rng = np.random.default_rng(seed)
    factors = 2 * rng.standard_gamma((n - 1) / 2, size=(generations, trials)) / n
    normals = rng.standard_normal(size=(generations, trials))
    var, mu = np.ones((generations + 1, trials)), np.zeros((generations + 1, trials))
    for t in range(1, generations + 1):
        var[t] = var[t - 1] * factors[t - 1]
        mu[t] = mu[t - 1] + normals[t - 1] * np.sqrt(var[t - 1] / n)
    return mu.T, var.T


def test_temperature_one_is_plain_sampling_draw_for_draw():
    """At temperature 1 every policy and method gives the runs of plain sampling: the
    same arrays as without the argument, and for the fast path the plain loop written
    out by hand from the same draws."""
    mu, var = _plain_by_hand(20, 30, 50, seed=4)
    runs = simulate_gaussian(n=20, generations=30, trials=50, temperature=1.0, seed=4)
    np.testing.assert_allclose(runs.variances, var, rtol=1e-12)
    np.testing.assert_allclose(runs.means, mu, rtol=1e-12, atol=1e-15)
    assert runs.temperature == 1.0
    for kwargs in ({"policy": "fresh"}, {"policy": "accumulate"}, {"method": "samples"}):
        a = simulate_gaussian(n=20, generations=20, trials=50, seed=5, **kwargs)
        b = simulate_gaussian(n=20, generations=20, trials=50, temperature=1.0, seed=5, **kwargs)
        np.testing.assert_array_equal(a.variances, b.variances)
        np.testing.assert_array_equal(a.means, b.means)


def test_cold_gaussian_narrows_by_the_temperature_each_generation():
    """At temperature T the fast path's variance is plain sampling's, times T once per
    tempered generation (generation 1 is fitted to real data); the means take the same
    standardised steps, their spread narrowed with it."""
    plain = simulate_gaussian(n=20, generations=30, trials=50, seed=4)
    cold = simulate_gaussian(n=20, generations=30, trials=50, temperature=0.8, seed=4)
    scale = 0.8 ** np.maximum(np.arange(31) - 1, 0)
    np.testing.assert_allclose(cold.variances, plain.variances * scale, rtol=1e-12)
    steps_plain, steps_cold = np.diff(plain.means, axis=1), np.diff(cold.means, axis=1)
    np.testing.assert_allclose(steps_cold[:, 0], steps_plain[:, 0], rtol=1e-12)
    np.testing.assert_allclose(
        steps_cold[:, 1:], steps_plain[:, 1:] * np.sqrt(0.8 * scale[1:-1]), rtol=1e-9
    )


@pytest.mark.parametrize("method", ["exact", "samples"])
@pytest.mark.parametrize("policy", ["replace", "accumulate"])
def test_cold_mean_variance_matches_closed_form(method, policy):
    n, t, trials, temp = 10, 8, 20_000, 0.7
    v = refit_gaussian(n, t, trials, policy=policy, method=method, temperature=temp, seed=13)
    if policy == "replace":
        for g in (1, 2, t):
            se = v[:, g].std() / math.sqrt(trials)
            assert abs(v[:, g].mean() - expected_variance(n, g, temperature=temp)[-1]) < Z * se
    else:  # accumulating cold samples narrows, less than replacing them, more than plain
        rep = refit_gaussian(n, t, trials, method=method, temperature=temp, seed=13)
        acc = refit_gaussian(n, t, trials, policy=policy, method=method, seed=13)
        assert rep[:, t].mean() < v[:, t].mean() < acc[:, t].mean()


def test_real_data_is_never_sampled_cold():
    """Generation 1 is fitted to real data, whatever the temperature; and a fresh share
    of real data keeps a cold run from collapsing."""
    for kwargs in ({}, {"policy": "fresh"}, {"method": "samples"}):
        plain = refit_gaussian(20, 3, 200, seed=9, **kwargs)
        cold = refit_gaussian(20, 3, 200, temperature=0.5, seed=9, **kwargs)
        np.testing.assert_array_equal(plain[:, 1], cold[:, 1])
        assert np.all(cold[:, 3] < plain[:, 3])
    fresh = refit_gaussian(20, 200, 500, policy="fresh", temperature=0.5, seed=9)
    replace = refit_gaussian(20, 200, 500, temperature=0.5, seed=9)
    assert np.median(fresh[:, -1]) > 0.01 > 1e6 * np.median(replace[:, -1])


def test_expected_variance_with_temperature():
    np.testing.assert_allclose(
        expected_variance(10, 3, temperature=0.5), [1.0, 0.9, 0.9**2 * 0.5, 0.9**3 * 0.25]
    )
    np.testing.assert_array_equal(
        expected_variance(10, 3, temperature=1.0), expected_variance(10, 3)
    )
    with pytest.raises(ValueError, match="temperature"):
        expected_variance(10, 3, temperature=0.0)


@pytest.mark.parametrize("temperature", [1.0, 0.8])
def test_steps_toward_the_mode_are_standard_normal_without_a_pull(temperature):
    runs = simulate_gaussian(n=20, generations=100, trials=2000, temperature=temperature, seed=21)
    z = steps_toward(runs, 0.0)
    assert abs(z.mean()) < Z / math.sqrt(z.size)
    assert abs(z.std() - 1) < 0.02
    # from the first generation on, every mean has moved off 0: 100 steps a run, less
    # the first (from 0 itself)
    assert z.size == 2000 * 99


def test_steps_toward_sees_a_pull_and_its_direction():
    """Made-up runs whose mean halves its distance to 2 each generation: every step is
    toward 2, away from -2, and the standardised step is the step over sqrt(var / n)."""
    g = np.arange(6)
    means = np.tile(2 - 2 * 0.5**g, (3, 1))
    variances = np.full((3, 6), 0.25)
    runs = GaussianRuns(means, variances, 4, "mle", as_policy("replace"))
    toward = steps_toward(runs, 2.0)
    np.testing.assert_allclose(toward, (np.diff(means, axis=1) / 0.25).ravel())
    assert np.all(toward > 0) and np.all(steps_toward(runs, -2.0)[3:] < 0)
    cold = GaussianRuns(means, variances, 4, "mle", as_policy("replace"), temperature=0.5)
    # from generation 2 on the draws had variance 0.5 * 0.25: steps of sqrt(2) more spreads
    ratio = steps_toward(cold, 2.0).reshape(3, 5) / toward.reshape(3, 5)
    np.testing.assert_allclose(ratio[:, 0], 1.0)
    np.testing.assert_allclose(ratio[:, 1:], math.sqrt(2))


def test_steps_toward_rejects_what_it_cannot_read():
    with pytest.raises(TypeError, match="GaussianRuns"):
        steps_toward(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="keep their fitted means"):
        steps_toward(simulate_gaussian(5, 2, 2, keep_means=False))
    with pytest.raises(ValueError, match="'replace' policy"):
        steps_toward(simulate_gaussian(5, 2, 2, policy="fresh"))
    with pytest.raises(ValueError, match="target"):
        steps_toward(simulate_gaussian(5, 2, 2), target=float("nan"))
