"""lossylib.selftrain.digits: the digit model refitted on its own samples.

Fixed seeds, tolerances from standard errors over seeds.
"""

from __future__ import annotations

import numpy as np
import pytest

from lossylib.selftrain import figures
from lossylib.selftrain.digits import (
    DIGIT_POLICIES,
    PRESENT,
    digit_loop,
    digit_world,
    loo_bandwidth,
)


@pytest.fixture(scope="module")
def world():
    return digit_world()


def test_world_splits_the_data_and_its_classifier_reads_real_digits(world):
    assert len(world.pool) + len(world.reference) == 1797
    z = world.encode(world.pool)
    labels, prob = world.labels(z)
    # the classifier is trained on the reference half; it should read the pool well
    assert prob.mean() > 0.8
    assert np.bincount(labels, minlength=10).min() > 0.05 * len(labels)
    assert 0.5 < world.bandwidth < 8.0


def test_decode_inverts_encode_up_to_the_discarded_components(world):
    x = world.pool[:50]
    back = world.decode(world.encode(x))
    assert back.min() >= 0 and back.max() <= 16
    assert np.sqrt(((back - x) ** 2).mean()) < 2.5


def test_loo_bandwidth_recovers_the_scale_of_a_gaussian():
    z = np.random.default_rng(0).standard_normal((300, 1)) * 3.0
    # Silverman's rule for n=300 in 1-d gives about 0.32 * sigma; LOO lands near it
    h = loo_bandwidth(z, np.geomspace(0.1, 10, 60))
    assert 0.4 < h < 2.5


def test_generation_zero_is_the_real_start(world):
    run = digit_loop(2, "replace", seed=1, samples=200, world=world)
    assert run.drift[0] == 1.0 and run.spread[0] == 1.0
    assert run.shares.shape == (3, 10)
    assert np.allclose(run.shares.sum(axis=1), 1.0)
    assert np.array_equal(run.classes, (run.shares >= PRESENT).sum(axis=1))


def test_replace_loses_class_balance_that_accumulate_keeps(world):
    seeds = range(10, 16)
    end = {
        p: np.array([digit_loop(20, p, seed=s, world=world).effective[-1] for s in seeds])
        for p in ("replace", "accumulate")
    }
    diff = end["accumulate"] - end["replace"]
    se = diff.std(ddof=1) / np.sqrt(diff.size)
    assert diff.mean() > 2 * se and diff.mean() > 0.3
    assert end["accumulate"].min() > 9.0


def test_replace_drifts_further_from_real_digits_than_accumulate(world):
    rep = [digit_loop(10, "replace", seed=s, world=world).drift[-1] for s in range(3)]
    acc = [digit_loop(10, "accumulate", seed=s, world=world).drift[-1] for s in range(3)]
    assert min(rep) > max(acc)


def test_the_classifier_verifier_keeps_confident_samples_but_loses_classes(world):
    runs = [digit_loop(20, "verify", seed=s, world=world) for s in range(3)]
    acc = [digit_loop(20, "accumulate", seed=s, world=world) for s in range(3)]
    assert np.mean([r.confidence[-1] for r in runs]) > 0.97
    assert np.mean([r.classes[-1] for r in runs]) < np.mean([r.classes[-1] for r in acc])


def test_images_are_kept_for_the_generations_asked(world):
    run = digit_loop(3, "fresh", seed=2, keep_images=(0, 3), world=world)
    assert sorted(run.images) == [0, 3]
    assert run.images[3].shape == (10, 8, 8)
    assert np.nanmin(run.images[0]) >= 0 and np.nanmax(run.images[0]) <= 16


def test_the_kept_image_of_a_digit_is_missing_exactly_when_no_sample_has_it(world):
    runs = [digit_loop(20, "verify", seed=s, keep_images=(20,), world=world) for s in range(3)]
    missing = np.array([np.isnan(r.images[20]).all(axis=(1, 2)) for r in runs])
    assert missing.any()  # the verified loop loses a digit in some seed
    for r, gone in zip(runs, missing, strict=True):
        assert np.array_equal(gone, r.shares[20] == 0)
        assert not np.isnan(r.images[20][~gone]).any()  # a digit is whole or absent


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"generations": -1}, "generations"),
        ({"generations": 1, "policy": "forget"}, "policy"),
        ({"generations": 1, "samples": 5}, "samples"),
        ({"generations": 1, "fresh": 2.0}, "fresh"),
        ({"generations": 1, "threshold": float("nan")}, "threshold"),
    ],
)
def test_bad_parameters_raise_one_line_errors(kwargs, match):
    with pytest.raises(ValueError, match=match) as err:
        digit_loop(**kwargs)
    assert "\n" not in str(err.value)


def test_every_policy_runs_and_the_figures_draw(world):
    runs = {p: [digit_loop(2, p, seed=0, keep_images=(0, 2), world=world)] for p in DIGIT_POLICIES}
    fig = figures.digit_measures(runs)
    assert len(fig.axes) == 3
    grid = figures.digit_grids({p: rs[0] for p, rs in runs.items()}, 2)
    rows = [t.get_text() for t in grid.axes[0].get_yticklabels()]
    assert rows == ["real digits"] + [f"{p}, gen 2" for p in DIGIT_POLICIES]


def test_the_noise_control_starts_like_the_loop_and_never_resamples(world):
    from lossylib.selftrain.digits import noise_control

    runs = [noise_control(8, seed=s, samples=200, world=world) for s in range(4)]
    loops = [digit_loop(8, "replace", seed=s, samples=200, world=world) for s in range(4)]
    for n, r in zip(runs, loops, strict=True):
        assert n.policy == "noise only" and n.drift[0] == 1.0
        np.testing.assert_array_equal(n.shares[0], r.shares[0])  # the same real digits
    # the noise alone drifts about as far as the loop, but keeps the mix of classes
    drift = np.mean([n.drift[-1] for n in runs]), np.mean([r.drift[-1] for r in loops])
    assert drift[0] > 0.85 * drift[1] and drift[0] > 2
    assert np.mean([n.effective[-1] for n in runs]) > np.mean([r.effective[-1] for r in loops])
    # seeded: the same seed gives the same run
    again = noise_control(8, seed=0, samples=200, world=world)
    np.testing.assert_array_equal(again.drift, runs[0].drift)


def test_the_noise_control_adds_the_bandwidth_each_generation(world):
    """After g generations each image is its start plus noise of sqrt(g) bandwidths: the
    mean squared distance between them is g * bandwidth**2 * dimensions."""
    from lossylib.selftrain import digits

    seen = []
    measure = digits._measure

    def spy(z, w, ref):
        seen.append(z.copy())
        return measure(z, w, ref)

    digits._measure = spy
    try:
        digits.noise_control(4, seed=3, samples=300, world=world)
    finally:
        digits._measure = measure
    start, end = seen[0], seen[-1]
    msd = ((end - start) ** 2).sum(axis=1).mean()
    expected = 4 * world.bandwidth**2 * start.shape[1]
    assert msd == pytest.approx(expected, rel=0.05)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"generations": -1}, "generations"),
        ({"generations": 1, "samples": 5}, "samples"),
        ({"generations": 1, "samples": 10**6}, "samples"),
        ({"generations": 1, "seed": -1}, "seed"),
    ],
)
def test_noise_control_bad_parameters_raise_one_line_errors(kwargs, match):
    from lossylib.selftrain.digits import noise_control

    with pytest.raises(ValueError, match=match) as err:
        noise_control(**kwargs)
    assert "\n" not in str(err.value)
