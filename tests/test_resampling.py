"""Standard errors over random splits of one data set (lossylib.resampling)."""

from __future__ import annotations

import numpy as np
import pytest

from lossylib import resampling as rs


def test_corrected_se_is_the_plain_one_widened_by_the_test_share():
    per_split = np.array([0.1, 0.3, 0.2, 0.4, 0.25])
    plain = per_split.std(ddof=1) / np.sqrt(per_split.size)
    assert rs.corrected_se(per_split, 0.0) == pytest.approx(plain)
    # (1/J + r) s^2 = (1 + J r) plain^2
    assert rs.corrected_se(per_split, 0.6) == pytest.approx(plain * np.sqrt(1 + 5 * 0.6))
    assert rs.corrected_from_plain(plain, 5, 0.6) == pytest.approx(rs.corrected_se(per_split, 0.6))
    # along an axis, column by column
    grid = np.stack([per_split, 2 * per_split], axis=1)
    assert rs.corrected_se(grid, 0.6) == pytest.approx(
        [rs.corrected_se(per_split, 0.6), 2 * rs.corrected_se(per_split, 0.6)]
    )
    assert rs.corrected_se(grid.T, 0.6, axis=1) == pytest.approx(rs.corrected_se(grid, 0.6))


def test_the_corrected_se_levels_off_with_more_splits_and_the_plain_one_does_not():
    rng = np.random.default_rng(0)
    few, many = rng.normal(size=10), rng.normal(size=1000)
    assert rs.corrected_se(many, 1.0) > 0.8 * rs.corrected_se(few, 1.0)
    assert rs.corrected_se(many, 0.0) < 0.2 * rs.corrected_se(few, 0.0)


def test_resampled_se_keeps_its_single_split_answer():
    assert rs.resampled_se([1.0, 3.0]) == (2.0, pytest.approx(np.sqrt(1.5 * 2.0)))
    mean, se = rs.resampled_se([0.5])
    assert mean == 0.5 and np.isnan(se)


def _mean_of(values: np.ndarray, shared: float = 0.0):
    """An experiment on a subset of items: the mean over 8 'splits' (random halves of the
    subset), plus ``shared`` times a further data-set effect (a second variable's mean
    over the subset, scaled up)."""
    effect = np.random.default_rng(99).normal(size=values.size)

    def run(idx: np.ndarray, seed: int) -> tuple[float, float]:
        rng = np.random.default_rng(seed)
        per = []
        for _ in range(8):
            pick = rng.permutation(idx)[: idx.size // 2]
            per.append(values[pick].mean() + shared * effect[idx].mean() * np.sqrt(idx.size))
        per = np.array(per)
        return float(per.mean()), float(per.std(ddof=1) / np.sqrt(per.size))

    return run


def test_disjoint_halves_measure_what_the_data_set_adds():
    values = np.random.default_rng(1).normal(size=600)
    # a mean over random halves of the items: the subset's own mean varies between data
    # sets and no split removes it, the case Nadeau and Bengio's correction is made for
    # (test share 1: each split tests on as many items as it "trains" on)
    mean = rs.disjoint_halves(_mean_of(values), 600, 60, 8, 1.0, seed=3)
    assert mean.true_se > 2 * mean.plain_se
    assert 0.67 < mean.corrected_se / mean.true_se < 1.5
    # a far stronger data-set effect: the check sees it, the correction cannot
    strong = rs.disjoint_halves(_mean_of(values, shared=1.0), 600, 60, 8, 1.0, seed=3)
    assert strong.data_var > 10 * mean.data_var
    assert strong.true_se > 2 * strong.plain_se
    assert strong.inflation(strong.plain_se) > 2
    assert mean.inflation(mean.plain_se, sigmas=2) >= mean.inflation(mean.plain_se) >= 1
    assert strong.corrected_se == pytest.approx(rs.corrected_from_plain(strong.plain_se, 8, 1.0))
    assert (strong.halvings, strong.splits) == (60, 8)
    # the same seed gives the same check, in worker processes too
    assert rs.disjoint_halves(_mean_of(values), 600, 60, 8, 1.0, seed=3) == mean
    assert rs.disjoint_halves(_mean_of(values), 600, 60, 8, 1.0, seed=3, jobs=2) == mean


def test_halvings_are_disjoint_halves_drawn_from_their_seed():
    halves = rs.halvings_of(11, 4, seed=5)
    assert len(halves) == 4
    for a, b in halves:
        assert len(a) == len(b) == 5 and not set(a) & set(b) and set(a) | set(b) < set(range(11))
        assert list(a) == sorted(a) and list(b) == sorted(b)
    assert [a.tolist() for a, _ in rs.halvings_of(11, 4, seed=5)] == [a.tolist() for a, _ in halves]
    assert [a.tolist() for a, _ in rs.halvings_of(11, 4, seed=6)] != [a.tolist() for a, _ in halves]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: rs.corrected_se([1.0], 1.0), "at least two splits"),
        (lambda: rs.corrected_se([], 1.0), "per_split must be finite numbers"),
        (lambda: rs.corrected_se([1.0, np.nan], 1.0), "per_split must be finite numbers"),
        (lambda: rs.corrected_se([1.0, 2.0], -1.0), "test_over_train must be in"),
        (lambda: rs.corrected_se([1.0, 2.0], float("nan")), "test_over_train must be finite"),
        (lambda: rs.resampled_se([]), "at least one"),
        (lambda: rs.corrected_from_plain(1.0, 1, 1.0), "splits must be >= 2"),
        (lambda: rs.corrected_from_plain(-1.0, 4, 1.0), "plain_se must be in"),
        (lambda: rs.disjoint_halves(lambda i, s: (0.0, 0.0), 3, 4, 4, 1.0), "n must be >= 4"),
        (lambda: rs.disjoint_halves(lambda i, s: (0.0, 0.0), 40, 1, 4, 1.0), "halvings"),
        (lambda: rs.HalvesCheck(1, 1, 1, 0, 0, 2, 2).inflation(0.0), "plain_se must be in"),
    ],
)
def test_bad_input_is_refused_in_one_line(call, message):
    with pytest.raises(ValueError, match=message) as err:
        call()
    assert "\n" not in str(err.value)


def _winners_curse(population_seed: int, n: int, k: int = 20):
    """A data set of ``n`` items, each with scores for ``k`` equally good candidates, and
    the experiment on a subset of it: per split, the candidate best on a random half of
    the items, and how much better it looks there than on the other half (a winner's
    curse, a difference within each split like claim 18's excess)."""
    scores = np.random.default_rng(population_seed).normal(size=(n, k)) + np.linspace(0, 1, k)

    def run(idx: np.ndarray, seed: int, splits: int = 8) -> tuple[float, float]:
        rng = np.random.default_rng(seed)
        per = []
        for _ in range(splits):
            order = rng.permutation(idx)
            val, test = scores[order[: idx.size // 2]], scores[order[idx.size // 2 :]]
            best = val.mean(axis=0).argmax()
            per.append(val[:, best].mean() - test[:, best].mean())
        per = np.array(per)
        return float(per.mean()), float(per.std(ddof=1) / np.sqrt(per.size))

    return run


def test_disjoint_halves_find_the_true_standard_error_of_fresh_data_sets():
    """Against the truth: the spread of the same experiment over fresh data sets drawn
    from the population. On average over data sets, the check finds it at half the size
    (one data set's check varies with that data set, which its data_var_se does not
    count: the halvings share the items); and the data set's part falls about as one
    over the number of items (the scaling HalvesCheck.inflation assumes by default)."""
    n = 400
    checks = [rs.disjoint_halves(_winners_curse(p, n), n, 100, 8, 1.0, seed=1) for p in range(6)]

    def truth(size: int) -> tuple[float, float]:
        means, plain = [], []
        for s in range(300):
            m, p = _winners_curse(1000 + s, size)(np.arange(size), s)
            means.append(m)
            plain.append(p)
        return float(np.var(means, ddof=1)), float(np.mean(np.square(plain)))

    half_var, half_plain = truth(n // 2)
    full_var, full_plain = truth(n)
    found = np.mean([c.true_se**2 for c in checks])
    assert 0.7 < found / half_var < 1.3
    # the data set's own part, at half and at full size: it about halves
    data_half, data_full = half_var - half_plain, full_var - full_plain
    assert data_half > 0 and 0.3 < data_full / data_half < 0.7
    # the correction (test share 1 here) assumes far more than there is
    assert all(c.corrected_se > 2 * c.true_se for c in checks)
