"""lossylib.curation: the regression loop, filters and verifiers, restorations.

Statistical tests run with fixed seeds; their tolerances are a few standard errors of the
quantity tested (derivations next to each), so they hold for any seed, not just these.
"""

from __future__ import annotations

import doctest
import importlib
import itertools
import math

import numpy as np
import pytest

from lossylib import curation as cu
from lossylib.collapse import DataPolicy, zipf
from lossylib.images import test_card as make_card

Z = 5.0


def _mean_se(errors: np.ndarray, dim: int, samples: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean error multiple per generation and its standard error over independent trials."""
    ratio = errors / cu.real_error(dim, samples)
    return ratio.mean(axis=0), ratio.std(axis=0, ddof=1) / math.sqrt(ratio.shape[0])


# ---- regression (Gerstgrasser et al.) -----------------------------------------------


def test_replace_grows_linearly():
    # Fixed design: E[|D_t|^2] = t * noise^2 tr((X'X)^-1), E tr((X'X)^-1) = d/(T-d-1), so the
    # expected multiple is exactly t; trials are independent, so the SE is sd / sqrt(trials).
    errors = cu.regression_errors(5, 20, 20, "replace", trials=4000, seed=1)
    mean, se = _mean_se(errors, 5, 20)
    t = np.arange(1, 21)
    assert np.all(np.abs(mean - t) < Z * se)
    slope = np.polyfit(t, mean, 1)[0]
    assert slope == pytest.approx(1.0, abs=0.15)


def test_accumulate_stays_below_pi_squared_over_six():
    # E = sum_{i<=t} 1/i^2 exactly (fixed design); pi^2/6 bounds it for every t.
    errors = cu.regression_errors(5, 20, 100, "accumulate", trials=4000, seed=2)
    mean, se = _mean_se(errors, 5, 20)
    theory = cu.regression_theory(100, "accumulate")
    assert np.all(np.abs(mean - theory) < Z * se)
    assert np.all(mean < cu.ACCUMULATE_BOUND + Z * se)
    # flat at the end: the last 50 generations add at most 1/50 in theory
    assert mean[-1] - mean[49] < 1 / 50 + Z * math.hypot(se[-1], se[49])


def test_memory_without_real_data_is_bounded_too():
    errors = cu.regression_errors(5, 20, 60, "accumulate", trials=4000, seed=3, keep_real=False)
    mean, se = _mean_se(errors, 5, 20)
    theory = cu.regression_theory(60, "accumulate", keep_real=False)
    assert np.all(np.abs(mean - theory) < Z * se)
    assert np.all(mean < 1 + cu.ACCUMULATE_BOUND + Z * se)


def test_a_memory_of_fixed_size_grows_again_as_its_theory_says():
    """Keeping only the last few generations lets the real points go: the error follows
    the exact theory and keeps growing, more slowly than replacing; a memory of one
    generation is replacing, and one longer than the run is accumulating."""
    for size in (2, 5):
        errors = cu.regression_errors(5, 20, 40, "accumulate", trials=4000, seed=6, memory=size)
        mean, se = _mean_se(errors, 5, 20)
        theory = cu.regression_theory(40, "accumulate", memory=size)
        assert np.all(np.abs(mean - theory) < Z * se)
        late = np.diff(theory[-10:])  # still rising at the end, past any bound
        assert np.all(late > 0) and theory[-1] > 1 + cu.ACCUMULATE_BOUND
        assert theory[-1] < cu.regression_theory(40, "replace")[-1] / size
    np.testing.assert_allclose(
        cu.regression_theory(30, "accumulate", memory=1), cu.regression_theory(30, "replace")
    )
    np.testing.assert_allclose(
        cu.regression_theory(30, "accumulate", memory=30), cu.regression_theory(30, "accumulate")
    )
    same = cu.regression_errors(3, 12, 6, "accumulate", trials=50, seed=7)
    long = cu.regression_errors(3, 12, 6, "accumulate", trials=50, seed=7, memory=6)
    np.testing.assert_allclose(long, same)
    # without the real data a long memory is the memory of the model's own outputs
    own = cu.regression_errors(3, 12, 6, "accumulate", trials=50, seed=7, keep_real=False)
    long = cu.regression_errors(
        3, 12, 6, "accumulate", trials=50, seed=7, keep_real=False, memory=6
    )
    np.testing.assert_allclose(long, own)


def test_fresh_design_replace_is_linear_too():
    # New inputs each generation: D_t = D_{t-1} + X_t^+ e_t with independent terms, so the
    # expected multiple is still exactly t.
    errors = cu.regression_errors(4, 16, 10, "replace", trials=3000, seed=4, design="fresh")
    mean, se = _mean_se(errors, 4, 16)
    assert np.all(np.abs(mean - np.arange(1, 11)) < Z * se)


def test_regression_loop_contract():
    r = cu.regression_loop(6, 30, 8, policy="accumulate", trials=3000, seed=5)
    assert r.shape == (8,)
    assert r[0] == pytest.approx(1.0, abs=0.1)  # SE of the first multiple is about 0.015
    np.testing.assert_array_equal(
        r, cu.regression_loop(6, 30, 8, policy="accumulate", trials=3000, seed=5)
    )


def test_regression_policies_reuse_collapse():
    r = cu.regression_loop(4, 20, 5, policy=DataPolicy("fresh", 0.5), trials=50, seed=0)
    assert r.shape == (5,)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"dim": 0}, "dim"),
        ({"samples": 5}, "samples"),
        ({"generations": 0}, "generations"),
        ({"trials": 0}, "trials"),
        ({"noise": float("nan")}, "noise"),
        ({"noise": -1.0}, "noise"),
        ({"policy": "bogus"}, "policy"),
        ({"design": "random"}, "design"),
        ({"dim": 2.5}, "dim"),
    ],
)
def test_regression_bad_parameters(kwargs, match):
    args = {"dim": 4, "samples": 20, "generations": 3, "trials": 2} | kwargs
    with pytest.raises(ValueError, match=match):
        cu.regression_loop(**args)


def test_theory_rejects_fresh():
    with pytest.raises(ValueError, match="theory"):
        cu.regression_theory(3, "fresh")


# ---- filters and verifiers ----------------------------------------------------------


def test_filters_never_widen_the_support():
    rng = np.random.default_rng(0)
    for _ in range(50):
        counts = rng.integers(0, 5, size=(3, 40)) * (rng.random((3, 40)) < 0.6)
        scores = rng.standard_normal((3, 40))
        keep = float(rng.random())
        kept = cu.keep_top(counts, scores, keep)
        assert np.all(kept <= counts) and np.all(kept >= 0)
        assert np.array_equal(kept.sum(axis=1), np.round(keep * counts.sum(axis=1)))
        model = rng.dirichlet(np.ones(40), size=3)
        assert np.all(cu.drop_unlikely(counts, model, 0.3) <= counts)


def test_keep_top_prefers_high_scores():
    kept = cu.keep_top(np.array([[10, 10, 10]]), np.array([3.0, 1.0, 2.0]), keep=0.5)
    assert kept.tolist() == [[10, 0, 5]]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"filter": "likelihood", "strength": 0.1},
        {"filter": "quality", "strength": 0.1},
        {"false_accept": 0.0, "false_reject": 0.3},
        {"false_accept": 0.4, "false_reject": 0.1},
    ],
)
def test_curated_support_never_rises_under_replace(kwargs):
    r = cu.curate_vocabulary(zipf(200), 1000, 30, 3, error=0.1, seed=6, **kwargs)
    assert np.all(np.diff(r.support, axis=1) <= 0)


def test_fresh_data_brings_tokens_back():
    r = cu.curate_vocabulary(zipf(200), 1000, 30, 3, policy=DataPolicy("fresh", 0.2), seed=7)
    assert np.diff(r.support, axis=1).max() > 0


@pytest.mark.parametrize("policy", ["replace", "accumulate", DataPolicy("fresh", 0.1)])
@pytest.mark.parametrize("filt", [None, "likelihood", "quality"])
def test_perfect_verifier_never_admits_a_wrong_sample(policy, filt):
    r = cu.curate_vocabulary(
        zipf(100),
        500,
        20,
        4,
        error=0.5,
        false_accept=0.0,
        false_reject=0.2,
        filter=filt,
        strength=0.1 if filt else 0.0,
        policy=policy,
        seed=8,
    )
    assert r.wrong_share.max() == 0.0


def test_verify_with_zero_false_accept_drops_every_wrong_sample():
    rng = np.random.default_rng(9)
    counts = rng.integers(0, 50, size=(5, 30))
    valid = np.arange(30) < 12
    kept = cu.verify(counts, valid, 0.0, 0.5, rng)
    assert np.all(kept[:, ~valid] == 0)
    assert np.all(kept <= counts)


def test_verifier_follows_the_odds_recursion():
    # 50,000 samples a generation: the wrong share's sampling sd is about
    # sqrt(m(1-m)/50000) < 0.0023 a generation; averaged over 4 runs and allowing for
    # compounding over the generations, 0.02 is many standard errors.
    for accept in (0.3, 0.7):
        r = cu.curate_vocabulary(
            zipf(500), 50_000, 30, 4, error=0.1, false_accept=accept, false_reject=0.1, seed=10
        )
        theory = cu.wrong_share_theory(0.1, accept, 0.1, 30)
        assert np.abs(r.wrong_share.mean(axis=0) - theory).max() < 0.02


def test_critical_false_accept_is_where_the_errors_take_over():
    crit = cu.critical_false_accept(0.2, 0.3)
    assert crit == pytest.approx(0.7 * 0.8)
    assert cu.critical_false_accept(0.0, 0.0) == 1.0
    assert cu.critical_false_accept(0.1, 1.0) == 0.0
    # just below the threshold the errors settle, at or above it they take over
    assert cu.wrong_share_limit(0.2, crit - 0.01, 0.3) < 1.0
    assert cu.wrong_share_limit(0.2, crit, 0.3) == 1.0
    assert cu.wrong_share_limit(0.2, crit + 0.01, 0.3) == 1.0
    with pytest.raises(ValueError):
        cu.critical_false_accept(1.5, 0.0)
    with pytest.raises(ValueError):
        cu.critical_false_accept(0.1, -0.1)


def test_wrong_share_limit():
    assert cu.wrong_share_limit(0.1, 0.0, 0.3) == 0.0
    assert cu.wrong_share_limit(0.0, 1.0, 0.0) == 0.0
    assert cu.wrong_share_limit(0.1, 1.0, 0.0) == 1.0
    k = 0.5 / 0.9
    assert cu.wrong_share_limit(0.1, 0.5, 0.0) == pytest.approx(k * 0.1 / (1 - k + k * 0.1))
    assert cu.wrong_share_theory(0.1, 0.5, 0.0, 400)[-1] == pytest.approx(
        cu.wrong_share_limit(0.1, 0.5, 0.0)
    )


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"error": 1.5}, "error"),
        ({"error": float("nan")}, "error"),
        ({"filter": "bogus"}, "filter"),
        ({"strength": 1.0}, "strength"),
        ({"strength": -0.1}, "strength"),
        ({"false_accept": -0.1}, "false_accept"),
        ({"false_reject": 2}, "false_reject"),
        ({"samples": 1}, "samples"),
        ({"generations": 0}, "generations"),
        ({"policy": "bogus"}, "policy"),
        ({"quality_noise": -1.0}, "quality_noise"),
        ({"wrong": 0}, "wrong"),
    ],
)
def test_curation_bad_parameters(kwargs, match):
    args = {"p": zipf(10), "samples": 50, "generations": 3} | kwargs
    with pytest.raises(ValueError, match=match):
        cu.curate_vocabulary(**args)


def test_curation_bad_probabilities():
    with pytest.raises(ValueError, match="sum to one"):
        cu.curate_vocabulary(np.array([0.5, 0.6]), 10, 2)


def test_filter_bad_parameters():
    with pytest.raises(ValueError, match="keep"):
        cu.keep_top(np.array([[1, 2]]), np.array([0.0, 1.0]), 1.2)
    with pytest.raises(ValueError, match="counts"):
        cu.keep_top(np.array([[1.5, 2.0]]), np.array([0.0, 1.0]), 0.5)
    with pytest.raises(ValueError, match="NaN"):
        cu.keep_top(np.array([[1, 2]]), np.array([np.nan, 1.0]), 0.5)
    with pytest.raises(ValueError, match="drop"):
        cu.drop_unlikely(np.array([[1, 2]]), np.array([[0.5, 0.5]]), -0.5)


# ---- restoration --------------------------------------------------------------------


def test_restoration_run_measures_against_the_original():
    card = make_card(64)
    run = cu.restoration_run(card, "none", 3, keep=(0, 3))
    assert run["psnr"][0] == math.inf and run["detail"][0] == 1.0
    assert len(run["psnr"]) == 4 and set(run["frames"]) == {0, 3}
    # plain re-saving at the same settings settles: the last generations are identical
    assert run["psnr"][2] == pytest.approx(run["psnr"][3], abs=0.5)


def test_detail_correlation_ignores_amplification_but_not_noise():
    rng = np.random.default_rng(11)
    card = np.asarray(make_card(128), dtype=float)
    brighter = np.clip(card * 1.0, 0, 255).astype(np.uint8)
    noise = np.clip(128 + 40 * rng.standard_normal(card.shape), 0, 255).astype(np.uint8)
    assert cu.detail_correlation(card.astype(np.uint8), brighter) == pytest.approx(1.0)
    assert abs(cu.detail_correlation(card.astype(np.uint8), noise)) < 0.1


def test_restoration_bad_parameters():
    with pytest.raises(ValueError, match="restoration"):
        cu.restore(make_card(64), "deblur")
    with pytest.raises(ValueError, match="restoration"):
        cu.restoration_run(make_card(64), "deblur", 2)
    with pytest.raises(ValueError, match="generations"):
        cu.restoration_run(make_card(64), "none", 0)
    with pytest.raises(ValueError, match="same size"):
        cu.detail_correlation(make_card(64), make_card(128))


@pytest.mark.parametrize(
    "name",
    [
        "lossylib.curation",
        "lossylib.curation.regression",
        "lossylib.curation.filters",
        "lossylib.curation.restore",
    ],
)
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_reweight_only_picks_generated_tokens():
    rng = np.random.default_rng(3)
    counts = np.array([[0, 5, 0, 10], [3, 0, 0, 0]])
    out = cu.reweight(counts, np.array([100.0, 1.0, 50.0, 1.0]), 1.0, rng)
    assert np.all(out[counts == 0] == 0)
    assert out.sum(axis=1).tolist() == [15, 3]
    with pytest.raises(ValueError, match="weights"):
        cu.reweight(counts, np.array([1.0, -1.0, 1.0, 1.0]), 1.0, rng)


def test_informed_filter_never_widens_a_counting_model():
    r = cu.curate_vocabulary(zipf(200), 500, 20, 3, filter="informed", seed=2)
    assert np.all(np.diff(r.support, axis=1) <= 0)
    assert r.wrong_share[:, 1:].max() == 0.0  # it gives wrong tokens weight zero


def test_smoothing_lets_a_lost_token_come_back():
    r = cu.curate_vocabulary(zipf(200), 300, 30, 3, smoothing=0.5, error=0.0, seed=2)
    assert np.diff(r.support, axis=1).max() > 0
    with pytest.raises(ValueError, match="smoothing"):
        cu.curate_vocabulary(zipf(200), 300, 3, smoothing=-1.0)


def test_likelihood_filter_breaks_ties_at_random():
    """Equally likely tokens are dropped in a random (seeded) order, not by index."""
    from lossylib.curation import drop_unlikely

    counts, model = np.array([[5, 5, 5, 5]]), np.full(4, 0.25)
    assert drop_unlikely(counts, model, 0.5).tolist() == [[5, 5, 0, 0]]
    kept = {
        tuple(drop_unlikely(counts, model, 0.5, np.random.default_rng(s))[0] > 0) for s in range(20)
    }
    assert len(kept) > 2
    again = drop_unlikely(counts, model, 0.5, np.random.default_rng(3))
    assert np.array_equal(again, drop_unlikely(counts, model, 0.5, np.random.default_rng(3)))
    assert again.sum() == 10


def test_scaled_reweighting_skips_the_second_round_of_sampling():
    from lossylib.collapse import zipf
    from lossylib.curation import curate_vocabulary

    args = (zipf(300), 1500, 10, 4)
    scaled = curate_vocabulary(*args, error=0.05, filter="informed-scaled", seed=2)
    resampled = curate_vocabulary(*args, error=0.05, filter="informed", seed=2)
    assert scaled.support[:, -1].mean() > resampled.support[:, -1].mean()
    assert np.all(scaled.wrong_share == 0)
    with pytest.raises(ValueError, match="verifier"):
        curate_vocabulary(*args, filter="informed-scaled", false_accept=0.5)


def test_restorations_by_function_and_strength():
    import importlib

    from lossylib.images import test_card

    r = importlib.import_module("lossylib.curation.restore")
    card = test_card(64)
    by_name = r.restoration_run(card, "sharpen", 2)
    by_fn = r.restoration_run(card, r.sharpen(r.SHARPEN_PERCENT), 2)
    assert by_name["psnr"] == by_fn["psnr"]
    mild = r.restoration_run(card, r.tv_denoise(0.001), 3, every=False)
    assert mild["edges"] == [] and len(mild["psnr"]) == 4
    assert np.isnan(mild["detail"][2]) and not np.isnan(mild["detail"][3])
    with pytest.raises(ValueError):
        r.tv_denoise(-1.0)
    with pytest.raises(TypeError, match="restorations"):
        r.restoration_table({"c": card}, 1, restorations=[r.sharpen(10)])


# ---- the explorable ------------------------------------------------------------------


def test_the_explorable_starts_uncurated_shows_percents_and_has_presets():
    """Its first frame was a perfect verifier (the first slider value) and its sliders
    showed fractions while the prose spoke of percents."""
    from lossylib import explore
    from lossylib.curation import figures

    controls = figures.explore_controls()
    for c in controls:
        assert "(%)" in c.label
        assert all(float(v).is_integer() and 0 <= v <= 100 for v in c.values)
    by_name = {c.name: c for c in controls}
    start = figures.EXPLORE_START
    assert set(start) == set(by_name) and start["admit"] == 100  # no verifier
    assert start["drop"] == start["fresh"] == 0
    for label, setting in figures.EXPLORE_PRESETS:
        assert set(setting) == set(by_name), label  # each a whole setting
        assert all(v in by_name[k].values for k, v in setting.items()), label
    # the verifier presets straddle its threshold (false rejects 10%, errors 5%)
    reject = figures.EXPLORE["false_reject"]
    threshold = 100 * cu.critical_false_accept(figures.EXPLORE["error"], reject)
    admits = sorted({s["admit"] for _, s in figures.EXPLORE_PRESETS} - {100})
    assert admits == sorted(figures.EXPLORE_ADMITS)  # the values the prose glues
    assert admits[0] < threshold < admits[-1]
    drops = sorted({s["drop"] for _, s in figures.EXPLORE_PRESETS} - {0})
    assert drops == sorted(figures.EXPLORE_DROPS)
    assert {s["fresh"] for _, s in figures.EXPLORE_PRESETS} == {0, figures.EXPLORE_FRESH}
    frames = {k: b"x" for k in itertools.product(*(c.values for c in controls))}
    html = explore.static(frames, controls, start=start, presets=figures.EXPLORE_PRESETS)
    assert html.data.count('class="lossy-preset"') == len(figures.EXPLORE_PRESETS)
    # the settings in percent mean the same runs as the fractions they stand for
    assert figures.explore_description(5, 80, 5).startswith(
        "Two line charts over 40 generations, dropping the 5% least likely samples, a "
        "verifier admitting 80% of wrong samples, 5% fresh real data"
    )
    a = figures.ExploreCanvas().draw(0, 100, 0).axes[0].get_lines()
    assert np.array_equal(a[0].get_ydata(), a[1].get_ydata())  # the grey baseline
