"""lossylib.proxy.research, .holdout and .metrics: the automated researcher on the digits,
the reusable holdout, the null model and loss against exact match."""

from __future__ import annotations

import socket

import numpy as np
import pytest
from scipy import special

from lossylib import proxy as px
from lossylib.proxy import metrics
from lossylib.proxy import research as rs


def test_digits_load_offline(monkeypatch):
    rs.digits.cache_clear()

    def no_network(*args, **kwargs):
        raise OSError("network used")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    x, y = rs.digits()
    assert x.shape == (1797, 64) and y.shape == (1797,)
    assert set(np.unique(y)) == set(range(10))


@pytest.fixture(scope="module")
def data():
    x, y = rs.digits()
    return x / 16, y


def test_vectorised_models_match_scikit_learn(data):
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
    from sklearn.linear_model import RidgeClassifier
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier

    x, y = data
    xtr, ytr, xo = x[:400], y[:400], x[400:900]
    # The digits are sixteenths, so these distances are exact; where the k-th and the
    # next nearest are exactly as far, which one a method picks depends on the rounding of
    # its own expansion (the CPU's matrix product), so both answers are right there.
    exact = np.sort(((xo[:, None, :] - xtr[None, :, :]) ** 2).sum(-1), axis=1)
    for k, p in zip((1, 4, 9), rs.knn_predict(xtr, ytr, xo, (1, 4, 9)), strict=True):
        ref = KNeighborsClassifier(k).fit(xtr, ytr).predict(xo)
        tied = exact[:, k - 1] == exact[:, k]
        assert (p == ref)[~tied].all() and tied.mean() < 0.05, k  # 95%+ still checked
    for a, p in zip((0.1, 10.0), rs.ridge_predict(xtr, ytr, xo, (0.1, 10.0)), strict=True):
        assert (p == RidgeClassifier(alpha=a).fit(xtr, ytr).predict(xo)).all()
    for v, p in zip((1e-9, 1e-2), rs.naive_bayes_predict(xtr, ytr, xo, (1e-9, 1e-2)), strict=True):
        assert (p == GaussianNB(var_smoothing=v).fit(xtr, ytr).predict(xo)).all()
    for s in (0.0, 0.2):
        lda = LinearDiscriminantAnalysis(solver="lsqr", shrinkage=s).fit(xtr, ytr)
        ours = special.log_softmax(rs.lda_scores(xtr, ytr, xo, s), axis=1)
        np.testing.assert_allclose(ours, lda.predict_log_proba(xo), atol=1e-8)
    centroids = np.array([xtr[ytr == c].mean(0) for c in range(10)])
    ref = ((xo[:, None] - centroids[None]) ** 2).sum(2).argmin(1)
    assert (rs.centroid_predict(xtr, ytr, xo)[0] == ref).all()


def test_pool_scores_are_accuracies():
    s = px.split_scores(0)
    assert s.validation_correct.shape == (len(px.configs()), rs.VALIDATION)
    assert np.all((s.test >= 0) & (s.test <= 1))
    # a good classifier of digits is in the pool, and so is a weak one
    assert s.test.max() > 0.95 and s.test.min() < 0.9


def test_autoresearch_deterministic_and_monotone():
    a = px.autoresearch(40, 6, seed=5, splits=3, search="hill")
    b = px.autoresearch(40, 6, seed=5, splits=3, search="hill")
    for field in ("validation", "test", "validation_se", "excess"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    c = px.autoresearch(40, 6, seed=6, splits=3, search="hill")
    assert not np.array_equal(a.test, c.test)
    # on one reused validation set the incumbent's score never falls
    assert np.all(np.diff(a.validation) >= 0)
    assert a.validation.shape == a.test.shape == (40,)
    assert np.all(a.test <= a.best_test + 1e-12)


def test_random_search_vectorised_equals_sequential():
    """The all-at-once random search picks the same incumbents as the one-by-one loop."""
    scores = px.split_scores(1)
    judge = scores.validation
    rng = np.random.default_rng(3)
    seen, test = rs._search(scores, 60, rng, "random", "reuse", 1, 0.1, 0.01, rs.VALIDATION)
    rng = np.random.default_rng(3)
    cands = rng.integers(judge.size, size=60)
    # replay the same proposals one by one, keeping strict improvements
    cur, cur_s, incs = -1, -np.inf, []
    for c in cands:
        if judge[c] > cur_s:
            cur, cur_s = c, judge[c]
        incs.append(cur)
    np.testing.assert_array_equal(test, scores.test[incs])
    np.testing.assert_array_equal(seen, judge[incs])


def test_held_out_report_is_unbiased():
    """A score read on digits no decision used tracks the test score (within noise)."""
    held = px.autoresearch(60, 48, seed=1, splits=12, holdout="fresh")
    assert abs(held.gap[-1]) < 4 * held.gap_se[-1] + 0.002
    reuse = px.autoresearch(60, 48, seed=1, splits=12)
    assert reuse.validation[-1] > reuse.validation[0] and reuse.test[-1] > reuse.test[0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"attempts": 0}, "attempts must be >= 1"),
        ({"trials": 1}, "trials must be >= 2"),
        ({"search": "annealing"}, "search must be one of"),
        ({"holdout": "none"}, "holdout must be one of"),
        ({"restart": float("nan")}, "restart must be finite"),
        ({"validation_size": 301}, "validation_size must be <= 300"),
        ({"rounds": 200}, "rounds must be <="),
    ],
)
def test_autoresearch_bad_parameters(kwargs, message):
    args = {"attempts": 10, "trials": 4, "splits": 2, **kwargs}
    with pytest.raises(ValueError, match=message):
        px.autoresearch(**args)


@pytest.mark.parametrize(("k", "acc", "size"), [(1, 0.9, 300), (10, 0.9, 300), (50, 0.5, 100)])
def test_null_search_matches_exact_expected_max(k, acc, size):
    m, se = px.null_search(k, 4000, acc, size, seed=k)
    assert abs(m[-1] - px.null_expected_max(k, acc, size)) < 4 * se[-1] + 1e-12


def test_null_expected_max_near_normal_approximation():
    exact = px.null_expected_max(20, 0.5, 10_000)
    approx = 0.5 + np.sqrt(0.25 / 10_000) * px.expected_max_normal(20)
    assert exact == pytest.approx(approx, abs=2e-4)


def test_thresholdout_answers():
    rng = np.random.default_rng(0)
    t = px.Thresholdout(np.array([0.5, 0.9]), np.array([0.5, 0.6]), rng, threshold=0.05, budget=1)
    assert t.query(0) == 0.5  # agreement: the working value
    assert abs(t.query(1) - 0.6) < 0.1 and t.consulted == 1  # disagreement: the holdout's
    assert t.query(1) == 0.9  # budget spent: the working value again
    with pytest.raises(ValueError, match="one value per query"):
        px.Thresholdout(np.zeros(2), np.zeros(3), rng)


def test_exact_match_and_scaling_loss():
    assert metrics.exact_match(0.0, 5) == 1.0
    np.testing.assert_allclose(metrics.exact_match(np.array([0.1, 0.2]), 3), np.exp([-0.3, -0.6]))
    c = np.logspace(18, 26, 9)
    loss = metrics.scaling_loss(c)
    assert np.all(np.diff(loss) < 0) and loss[-1] > metrics.L_INF
    with pytest.raises(ValueError, match="compute must be finite"):
        metrics.scaling_loss(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="k must be >= 1"):
        metrics.exact_match(0.1, 0)
    with pytest.raises(ValueError, match="loss must be finite"):
        metrics.exact_match(-1.0, 2)


def test_exact_match_curves_are_shifted_copies():
    # on a compute axis wide enough for every curve to finish rising, exact match on k
    # tokens is the one-token curve moved right by log10(k)/alpha decades: the same rise
    wide = np.logspace(10, 46, 721)
    loss = metrics.scaling_loss(wide)
    rises = [metrics.rise_decades(wide, metrics.exact_match(loss, k)) for k in (1, 10, 100)]
    assert max(rises) - min(rises) < 0.02
    # a window that cuts the long answers' rise makes it look faster than it is
    window = np.logspace(18, 26, 161)
    cut = metrics.rise_decades(window, metrics.exact_match(metrics.scaling_loss(window), 100))
    assert cut < rises[0] - 1


def test_learning_curve_calibration_and_falls():
    lc = metrics.learning_curve(3)
    assert np.all(lc.temperature > 1) and np.all(lc.calibrated < lc.loss)
    loss_fall, error_fall, se = lc.last_falls()
    assert loss_fall == pytest.approx(1 - lc.calibrated[-1] / lc.calibrated[-2])
    assert error_fall == pytest.approx(1 - lc.error_rate[-1] / lc.error_rate[-2]) and se > 0


def test_learning_curve_records_the_training_digits_each_model_saw():
    """Each model sees ``size // 10`` of each digit, fewer where a digit runs short
    outside the test set: counted again from the labels and the splits' orders."""
    from lossylib.proxy.research import digits

    lc = metrics.learning_curve(2)
    y = digits()[1]
    for s in range(2):
        pool = np.random.default_rng([7, s]).permutation(y.size)[: -metrics.TEST]
        left = np.bincount(y[pool], minlength=10)
        want = [np.minimum(left, m // 10).sum() for m in lc.sizes]
        assert lc.trained[s].tolist() == want
    assert np.all(lc.trained[:, :-1] == lc.sizes[:-1])  # short only at the last size
    assert np.all(lc.trained[:, -1] < lc.sizes[-1])


def test_learning_curve_exact_match_follows_accuracy_power():
    lc = metrics.learning_curve(3)
    em, se = lc.exact_match(5, seed=0)
    assert np.all(np.abs(em - lc.accuracy**5) < 4 * np.maximum(se, 0.01))
    assert np.all(np.diff(lc.loss) < 0)


def test_shift_digits_moves_and_blends():
    x = np.arange(64, dtype=float)[None, :]
    whole = metrics.shift_digits(x, 1.0).reshape(8, 8)
    assert np.all(whole[:, 0] == 0) and np.all(whole[:, 1:] == x.reshape(8, 8)[:, :-1])
    half = metrics.shift_digits(x, 0.5)
    assert np.allclose(half, 0.5 * x + 0.5 * metrics.shift_digits(x, 1.0))
    assert np.array_equal(metrics.shift_digits(x, 0.0), x)
    with pytest.raises(ValueError, match="rows of 64 pixels"):
        metrics.shift_digits(np.zeros((2, 63)), 1.0)
    with pytest.raises(ValueError, match="pixels"):
        metrics.shift_digits(x, 8.0)


def test_curve_lda_is_the_research_lda_up_to_rounding():
    from lossylib.proxy import research

    x, y = research.digits()
    rng = np.random.default_rng(4)
    order = rng.permutation(y.size)
    for m in (30, 250, 1000):
        tr = np.concatenate([order[y[order] == c][: m // 10] for c in range(10)])
        fast = metrics.lda_scores(x[tr] / 16, y[tr], x[:300] / 16, metrics.SHRINKAGE)
        plain = research.lda_scores(x[tr] / 16, y[tr], x[:300] / 16, metrics.SHRINKAGE)
        assert np.allclose(fast, plain, rtol=0, atol=1e-8)
        assert np.array_equal(fast.argmax(axis=1), plain.argmax(axis=1))


def test_learning_curve_with_shifts_and_its_helpers():
    lc = metrics.learning_curve(4, (0.5, 1.0))
    plain = metrics.learning_curve(4)
    # the shifts add measurements, and change none of the others
    assert np.array_equal(lc.correct, plain.correct)
    assert np.allclose(lc.split_calibrated, plain.split_calibrated)
    assert lc.split_shifted_error.shape == (2, 4, len(metrics.SIZES))
    # moved digits are harder, the more so the further they move
    assert np.all(lc.shifted_error_rate(1.0) > lc.shifted_error_rate(0.5))
    assert np.all(lc.shifted_error_rate(0.5) > lc.error_rate)
    f = lc.falls(shift=1.0)
    moved = lc.shifted_error_rate(1.0)
    assert f["error"][-1] == pytest.approx(1 - moved[-1] / moved[-2])
    assert np.allclose(f["loss"], lc.falls()["loss"])  # the loss is the unmoved one
    with pytest.raises(ValueError, match="shift must be one of"):
        lc.falls(shift=0.25)
    # counted in points: the moved users' gain over the unmoved error rate before the step
    points = lc.falls(shift=1.0, points=True)
    assert points["error"][-1] == pytest.approx((moved[-2] - moved[-1]) / lc.error_rate[-2])
    assert np.allclose(points["loss"], f["loss"])
    assert np.allclose(lc.falls(points=True)["error"], lc.falls()["error"])
    # a subset of splits is the curve of those splits
    sub = lc.subset(slice(0, 2))
    assert sub.shifted_error_rate(1.0) == pytest.approx(lc.split_shifted_error[1, :2].mean(0))
    with pytest.raises(ValueError, match="at least two splits"):
        lc.subset([0])
    # the fitted map: a line in log-log on the first sizes
    a, b, predicted = lc.error_from_loss_fit(3)
    line = np.polyfit(np.log(lc.calibrated[:3]), np.log(lc.error_rate[:3]), 1)
    assert (b, a) == pytest.approx(tuple(line))
    assert predicted == pytest.approx(np.exp(a + b * np.log(lc.calibrated)))
    with pytest.raises(ValueError, match="fit"):
        lc.error_from_loss_fit(len(metrics.SIZES))
    with pytest.raises(ValueError, match="shift"):
        metrics.learning_curve(2, (9.0,))


def test_calibrated_log_loss_matches_scipy():
    from scipy.special import log_softmax

    rng = np.random.default_rng(1)
    labels = rng.integers(4, size=101)
    scores = 30 * (np.eye(4)[labels] + rng.normal(size=(101, 4)))
    loss, t = metrics.calibrated_log_loss(scores, labels)
    half = 50
    want = 0.0
    for fit, score in ((slice(0, half), slice(half, 101)), (slice(half, 101), slice(0, half))):
        grid = np.exp(np.linspace(np.log(1e-2), np.log(1e4), 20001))
        fit_losses = [
            -log_softmax(scores[fit] / g, axis=1)[np.arange(len(labels[fit])), labels[fit]].mean()
            for g in grid[::50]
        ]
        best = grid[::50][int(np.argmin(fit_losses))]
        rows = np.arange(101)[score]
        want += -log_softmax(scores[rows] / best, axis=1)[np.arange(rows.size), labels[rows]].sum()
    assert loss == pytest.approx(want / 101, rel=2e-3) and t > 5


def test_independent_noise_max_bounds_the_null_model():
    same = np.full((3, 40), 0.9)
    m, se = px.independent_noise_max(same, 200, draws=3000, seed=0)
    exact = px.null_expected_max(40, 0.9, 200) - 0.9
    assert abs(m - exact) < 4 * se + 1e-4
    # unequal accuracies: the best noise comes from the noisiest (nearest 50%) candidates
    mixed = np.tile(np.linspace(0.6, 0.99, 40), (3, 1))
    assert px.independent_noise_max(mixed, 200, draws=2000, seed=0)[0] > m
    with pytest.raises(ValueError, match="2-D"):
        px.independent_noise_max(np.full(4, 0.9), 100)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        px.independent_noise_max(np.full((2, 2), 1.2), 100)
    with pytest.raises(ValueError, match="draws \\* candidates"):
        px.independent_noise_max(np.full((2, 2000), 0.9), 100, draws=10_000)


def test_pool_ranking_se_is_the_spread_over_splits():
    rank, shift = px.pool_ranking(4)
    rank_se, shift_se = px.pool_ranking_se(4)
    assert 0 < rank_se < 0.1 and 0 < shift_se < 0.02
    with pytest.raises(ValueError, match="splits"):
        px.pool_ranking_se(1)


def test_the_numbered_splits_also_score_moved_test_digits():
    """Each configuration is also scored on the first MOVED test digits moved MOVE pixels,
    with the same fit: the other scores are those of a fit without them, and a search
    records its incumbent's accuracy on them."""
    s = px.split_scores(0)
    assert s.moved.shape == s.test.shape and np.all((s.moved >= 0) & (s.moved <= 1))
    order = np.random.default_rng([20231, 0]).permutation(len(px.digits()[1]))
    plain = rs._fit_pool_on(order, rs.TRAIN, rs.VALIDATION)
    assert plain.moved is None
    assert np.array_equal(plain.validation_correct, s.validation_correct)
    assert np.array_equal(plain.test, s.test)
    # by hand, for one configuration: nearest centroid on the raw pixels
    x, y = px.digits()
    tr, test = order[: rs.TRAIN], order[rs.TRAIN + rs.VALIDATION :][: rs.MOVED]
    shifted = metrics.shift_digits(x[test], rs.MOVE)
    labels = rs.centroid_predict(x[tr] / 16, y[tr], shifted / 16)[0]
    i = px.configs().index(px.Config("pixels", "nearest centroid", 0.0))
    assert s.moved[i] == pytest.approx(np.mean(labels == y[test]))
    assert rs.MOVED < len(order) - rs.TRAIN - rs.VALIDATION  # a part of the test digits
    # moving the digits costs accuracy on average
    assert s.moved.mean() < s.test.mean() - 0.1
    r = px.autoresearch(20, 8, seed=2, splits=2)
    assert r.moved.shape == r.moved_excess.shape == (20,)
    gain = r.validation - r.validation[0] - (r.moved - r.moved[0])
    assert r.moved_excess == pytest.approx(gain) and r.moved_excess[0] == 0
