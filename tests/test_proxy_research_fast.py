"""The fast paths of lossylib.proxy.research and .holdout give, bit for bit, what the
straightforward computations they replace give (the reference versions below)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lossylib import proxy as px
from lossylib.proxy import research as rs


def plain_knn(xtr, ytr, xo, ks):
    """k nearest neighbours as first written: full distance expression, argpartition and
    argsort of the nearest, cumulative one-hot votes."""
    kmax = max(ks)
    d2 = (xo * xo).sum(1)[:, None] - 2 * xo @ xtr.T + (xtr * xtr).sum(1)[None, :]
    near = np.argpartition(d2, kmax - 1, axis=1)[:, :kmax]
    near = np.take_along_axis(near, np.argsort(np.take_along_axis(d2, near, 1), 1), 1)
    votes = np.cumsum(ytr[near][:, :, None] == np.arange(10), axis=1)
    return [votes[:, k - 1].argmax(axis=1) for k in ks]


def plain_naive_bayes(xtr, ytr, xo, smoothings):
    classes = np.arange(10)
    mean = np.array([xtr[ytr == c].mean(axis=0) for c in classes])
    var = np.array([xtr[ytr == c].var(axis=0) for c in classes])
    prior = np.log(np.bincount(ytr, minlength=10) / len(ytr))
    out = []
    for v in smoothings:
        s2 = var + v * xtr.var(axis=0).max()
        inv = 1 / s2
        quad = (xo * xo) @ inv.T - 2 * xo @ (mean * inv).T + (mean * mean * inv).sum(1)
        ll = -0.5 * (np.log(2 * np.pi * s2).sum(1)[None, :] + quad)
        out.append((ll + prior).argmax(axis=1))
    return out


def plain_lda_scores(xtr, ytr, xo, shrinkage):
    classes = np.arange(10)
    means = np.array([xtr[ytr == c].mean(axis=0) for c in classes])
    prior = np.bincount(ytr, minlength=10) / len(ytr)
    cov = sum(prior[c] * np.cov(xtr[ytr == c].T, bias=True) for c in classes)
    p = xtr.shape[1]
    c = (1 - shrinkage) * cov + shrinkage * np.trace(cov) / p * np.eye(p)
    coef = np.linalg.lstsq(c, means.T, rcond=None)[0].T
    intercept = -0.5 * np.einsum("ij,ij->i", means, coef) + np.log(prior)
    return xo @ coef.T + intercept


def plain_ridge(xtr, ytr, xo, alphas):
    mx = xtr.mean(axis=0)
    targets = np.where(ytr[:, None] == np.arange(10)[None, :], 1.0, -1.0)
    my = targets.mean(axis=0)
    u, s, vt = np.linalg.svd(xtr - mx, full_matrices=False)
    uy = u.T @ (targets - my)
    return [
        ((xo - mx) @ (vt.T @ ((s / (s * s + a))[:, None] * uy)) + my).argmax(axis=1) for a in alphas
    ]


def assert_same(got, want):
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype
        np.testing.assert_array_equal(g, w)


def _features(rng, kind, n, m, p):
    """Training and other rows: whole numbers (many tied distances), the digits' grid of
    sixteenths, other rows repeating training rows (zero distances), or continuous."""
    if kind == "small integers":
        return rng.integers(0, 3, (n, p)).astype(float), rng.integers(0, 3, (m, p)).astype(float)
    if kind == "sixteenths":
        return rng.integers(0, 17, (n, p)) / 16, rng.integers(0, 17, (m, p)) / 16
    xtr = rng.normal(size=(n, p))
    if kind == "repeats":
        return xtr, xtr[rng.integers(0, n, m)]
    return xtr, rng.normal(size=(m, p))


KINDS = ("small integers", "sixteenths", "repeats", "normal")


@pytest.mark.parametrize("kind", KINDS)
def test_knn_matches_plain_selection_with_ties(kind):
    rng = np.random.default_rng(KINDS.index(kind))
    for _ in range(150):
        n, m, p = int(rng.integers(2, 400)), int(rng.integers(0, 150)), int(rng.integers(1, 9))
        xtr, xo = _features(rng, kind, n, m, p)
        ytr = rng.integers(0, 10, n)
        ks = tuple(int(k) for k in rng.integers(1, min(n, 20) + 1, int(rng.integers(1, 5))))
        assert_same(rs.knn_predict(xtr, ytr, xo, ks), plain_knn(xtr, ytr, xo, ks))


def test_knn_matches_plain_selection_with_nan_and_inf():
    rng = np.random.default_rng(7)
    for t in range(200):
        n, m, p = int(rng.integers(5, 60)), int(rng.integers(1, 40)), int(rng.integers(1, 5))
        xtr, xo = _features(rng, "small integers", n, m, p)
        xtr[rng.random((n, p)) < 0.05] = np.nan
        xo[rng.random((m, p)) < 0.05] = np.inf if t % 2 else np.nan
        ytr = rng.integers(0, 10, n)
        ks = tuple(int(k) for k in rng.integers(1, n + 1, 3))
        with np.errstate(invalid="ignore"):
            assert_same(rs.knn_predict(xtr, ytr, xo, ks), plain_knn(xtr, ytr, xo, ks))


def test_knn_on_the_pool_splits_matches_plain_selection():
    """The digits' own feature sets, where pixel distances tie often."""
    x, y = rs.digits()
    order = np.random.default_rng([20231, 0]).permutation(len(y))
    tr, other = order[: rs.TRAIN], order[rs.TRAIN :]
    ks = rs.FAMILIES["k nearest neighbours"][1]
    for xtr, xo in rs._feature_sets(x[tr], x[other]).values():
        assert_same(rs.knn_predict(xtr, y[tr], xo, ks), plain_knn(xtr, y[tr], xo, ks))


def test_distances_are_the_plain_expression_bit_for_bit():
    rng = np.random.default_rng(3)
    for kind in KINDS:
        xtr, xo = _features(rng, kind, 300, 200, 40)
        plain = (xo * xo).sum(1)[:, None] - 2 * xo @ xtr.T + (xtr * xtr).sum(1)[None, :]
        assert np.array_equal(rs._sq_distances(xtr, xo), plain)


@pytest.mark.parametrize("kind", KINDS)
def test_shared_fits_match_plain_models(kind):
    rng = np.random.default_rng(10 + KINDS.index(kind))
    xtr, xo = _features(rng, kind, 300, 200, 12)
    ytr = np.arange(300) % 10
    rng.shuffle(ytr)
    smoothings, shrinkages, alphas = (1e-9, 1e-3, 1e-1), (0.0, 0.1, 0.5), (0.01, 1.0, 1e3)
    assert_same(
        rs.naive_bayes_predict(xtr, ytr, xo, smoothings),
        plain_naive_bayes(xtr, ytr, xo, smoothings),
    )
    want = [plain_lda_scores(xtr, ytr, xo, s) for s in shrinkages]
    assert_same([rs.lda_scores(xtr, ytr, xo, s) for s in shrinkages], want)
    assert_same(rs.lda_predict(xtr, ytr, xo, shrinkages), [w.argmax(axis=1) for w in want])
    assert_same(rs.ridge_predict(xtr, ytr, xo, alphas), plain_ridge(xtr, ytr, xo, alphas))


def _hex(values):
    return [float(v).hex() for v in values]


@pytest.mark.parametrize("budget", [0, 1, 5, 100, 10**18])
@pytest.mark.parametrize("sigma", [None, 0.0, 1e-310, 0.3])
def test_thresholdout_answers_are_queries_in_turn(budget, sigma):
    """Same answers, consultations and threshold, and the generator left in the same
    state: the noise drawn ahead is exactly the noise one query at a time would draw."""
    rng = np.random.default_rng(budget)
    for trial in range(30):
        n = int(rng.integers(1, 20))
        working = rng.random(n)
        holdout = working.copy() if trial % 4 == 0 else rng.random(n) - (trial % 3 == 0)
        queries = rng.integers(0, n, int(rng.integers(0, 150)))
        threshold = float(rng.choice([0.0, 0.01, 0.2, 2.0]))
        seed = int(rng.integers(2**32))
        made = [
            px.Thresholdout(working, holdout, np.random.default_rng(seed), threshold, sigma, budget)
            for _ in range(2)
        ]
        one_by_one = [made[0].query(int(i)) for i in queries]
        together = made[1].answers(queries)
        assert _hex(together) == _hex(one_by_one)
        assert made[0].consulted == made[1].consulted
        assert made[0]._t.hex() == made[1]._t.hex()
        assert made[0].rng.random() == made[1].rng.random()


def test_thresholdout_noise_is_numpys_laplace():
    """The class's Laplace noise is rng.laplace(0, scale), bit for bit."""
    for sigma in (1e-310, 1e-3, 0.25, 7.0):
        t = px.Thresholdout(np.zeros(1), np.zeros(1), np.random.default_rng(1), sigma=sigma)
        rng = np.random.default_rng(1)
        rng.laplace(0.0, 2 * sigma)  # the threshold's noise, drawn by __init__
        for factor in (4, 2, 1) * 200:
            assert t._lap(factor) == float(rng.laplace(0.0, factor * sigma))


@pytest.mark.parametrize(
    ("queries", "message"),
    [
        (np.array([0.5]), "1-D array of integers"),
        (np.array([[0]]), "1-D array of integers"),
        (np.array([0, 2]), r"queries must be >= 0 and < 2 \(the number of queries\), got 2"),
        (np.array([-1]), r"queries must be >= 0 and < 2 \(the number of queries\), got -1"),
    ],
)
def test_thresholdout_answers_bad_queries(queries, message):
    t = px.Thresholdout(np.zeros(2), np.zeros(2), np.random.default_rng(0))
    with pytest.raises(ValueError, match=message):
        t.answers(queries)
    assert t.answers(np.array([], dtype=int)).shape == (0,)


def plain_search(scores, attempts, rng, search, holdout, rounds, restart, threshold, size):
    """One search as first written: Thresholdout and the hill climb one query at a time."""
    n_cfg = scores.test.size
    correct = scores.validation_correct[:, :size]
    half = size // 2
    if holdout == "reuse":
        judge = correct.mean(axis=1)
    else:
        judge = correct[:, :half].mean(axis=1)
        if holdout == "thresholdout":
            tho = px.Thresholdout(judge, correct[:, half:].mean(axis=1), rng, threshold=threshold)
    answer = tho.query if holdout == "thresholdout" else judge.__getitem__
    if search == "random" and holdout != "thresholdout":
        cands = rng.integers(n_cfg, size=attempts)
        inc, cur, cur_score, best = [], -1, -math.inf, []
        for c in cands:
            if judge[c] > cur_score:
                cur, cur_score = c, judge[c]
            inc.append(cur)
            best.append(cur_score)
        inc, best = np.array(inc), np.array(best)
    else:
        neigh = rs._neighbours()
        jump = rng.random(attempts) < restart
        pick = rng.random(attempts)
        inc, best = np.empty(attempts, dtype=int), np.empty(attempts)
        cur, cur_score = -1, -math.inf
        for a in range(attempts):
            if cur < 0 or search == "random" or jump[a]:
                cand = int(pick[a] * n_cfg)
            else:
                cand = int(neigh[cur][int(pick[a] * neigh[cur].size)])
            score = answer(cand)
            if score > cur_score:
                cur, cur_score = cand, score
            inc[a], best[a] = cur, cur_score
    if holdout == "fresh":
        chunk = (size - half) // rounds
        r = np.arange(attempts) * rounds // attempts
        parts = np.stack(
            [correct[:, half + k * chunk : half + (k + 1) * chunk].mean(1) for k in range(rounds)]
        )
        return parts[r, inc], scores.test[inc]
    return best, scores.test[inc]


@pytest.mark.parametrize("search", rs.SEARCHES)
@pytest.mark.parametrize("holdout", rs.HOLDOUTS)
def test_search_matches_plain_search(search, holdout):
    scores = px.split_scores(0)
    for t, (rounds, size, threshold) in enumerate([(1, 300, 0.01), (3, 97, 0.05), (1, 4, 0.0)]):
        args = (80, search, holdout, rounds, 0.2, threshold, size)
        got = rs._search(scores, args[0], np.random.default_rng(t), *args[1:])
        want = plain_search(scores, args[0], np.random.default_rng(t), *args[1:])
        assert _hex(got[0]) == _hex(want[0]) and _hex(got[1]) == _hex(want[1])


def test_autoresearch_is_its_searches_in_turn():
    """The accuracies read once per split serve every search on it unchanged."""
    r = px.autoresearch(30, 6, seed=4, splits=3, holdout="fresh", rounds=2)
    seen = []
    for t in range(6):
        rng = np.random.default_rng([4, t])
        args = ("random", "fresh", 2, 0.1, rs.THRESHOLD, rs.VALIDATION)
        seen.append(plain_search(px.split_scores(t % 3), 30, rng, *args)[0])
    np.testing.assert_array_equal(r.validation, np.mean(seen, axis=0))


def test_split_scores_fitted_once_for_all_callers():
    together = rs._split_scores(range(3))
    for s, scores in enumerate(together):
        assert px.split_scores(s) is scores
    assert all(a is b for a, b in zip(together, rs._split_scores([0, 1, 2]), strict=True))


def test_cuts_are_shares_of_the_errors_removed_and_their_differences():
    r = px.autoresearch(20, trials=4, seed=3, splits=2)
    assert set(r.cuts) == {"validation", "test", "moved", "test excess", "moved excess"}
    for kind in ("test", "moved"):
        mean, se = r.cuts[f"{kind} excess"]
        # the mean of the paired differences is the difference of the means
        assert mean == pytest.approx(r.cuts["validation"][0] - r.cuts[kind][0], abs=1e-12)
        assert se > 0
    # the searches only keep better scores, so the validation share is never negative
    assert 0 <= r.cuts["validation"][0] < 1
    # a search of one attempt ends where it started: it removed none of its errors
    one = px.autoresearch(1, trials=2, seed=3, splits=2)
    assert one.cuts["validation"] == (0.0, 0.0)
