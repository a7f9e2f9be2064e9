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
    for k, p in zip((1, 4, 9), rs.knn_predict(xtr, ytr, xo, (1, 4, 9)), strict=True):
        ref = KNeighborsClassifier(k).fit(xtr, ytr).predict(xo)
        assert (p == ref).mean() == 1.0
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
