"""An automated researcher on real data: a search that pushes one validation score.

The data are scikit-learn's bundled handwritten digits (1,797 8x8 images, no download).
A fixed pool of candidate configurations (feature set x model family x regularisation) is
fitted once per random train/validation/test split; every search then only looks scores
up, so thousands of searches cost no more fitting. A search proposes one configuration
per attempt (random search, or a greedy hill climb over neighbouring settings), keeps it
if it beats the incumbent on the validation data, and after each attempt we record the
incumbent's validation score (what the search sees) and its test score (what it stands
for: accuracy on digits the search never used).

How the validation data are used is the ``holdout`` option:

- ``"reuse"``: one validation set of 300 digits judges every attempt and reports the
  incumbent's score (the usual practice);
- ``"fresh"``: the search judges attempts on half of it; the other half, cut into
  ``rounds`` parts, reports the incumbent's score, a part never read before each round
  and never read by a decision (honest, but the search has half the data);
- ``"thresholdout"``: the reusable holdout of Dwork et al. (2015, :mod:`.holdout`): a
  working half answers, and the other half is consulted, with noise, only when the two
  disagree by more than a threshold.

Examples
--------
>>> r = autoresearch(20, trials=4, seed=0, splits=2)
>>> r.validation.shape, bool(r.validation[-1] >= r.validation[0])
((20,), True)
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from ..checks import check_indices
from ._validate import check_count, check_int, check_real
from .holdout import Thresholdout

SEARCHES = ("random", "hill")
HOLDOUTS = ("reuse", "fresh", "thresholdout")

#: Sizes of each random split of the 1,797 digits: train, validation, and the rest is test.
TRAIN, VALIDATION = 500, 300

#: Principal components of the largest PCA feature set (its training rows must be at
#: least as many).
PCA_COMPONENTS = 40
#: Thresholdout's threshold T by default, in accuracy (its noise scale is a quarter of it).
THRESHOLD = 0.01
#: Pixels by which the first MOVED test digits of every numbered split are also moved
#: sideways (:func:`lossylib.proxy.metrics.shift_digits`): data unlike any the search
#: scores, on which :class:`ResearchRuns` records the incumbent's accuracy too (a part
#: of the test digits only, since labelling them costs as much as a fit's other rows).
MOVE, MOVED = 1.0, 400
#: Most data splits one call may use (each fits the whole pool once, about a second),
#: and most incumbents one call records (attempts * trials, a few arrays of them).
MAX_SPLITS = 100
MAX_RECORDS = 10_000_000

#: The candidate pool: feature sets, and model families with their regularisation grids.
FEATURES = ("pixels", "standardised", "pooled 4x4", "pca 10", "pca 20", "pca 40")
FAMILIES = {
    "k nearest neighbours": ("k", (1, 3, 5, 7, 9, 15)),
    "ridge classifier": ("alpha", (0.01, 0.1, 1.0, 10.0, 100.0, 1000.0)),
    "gaussian naive bayes": ("var_smoothing", (1e-9, 1e-3, 1e-2, 1e-1)),
    "shrunk LDA": ("shrinkage", (0.0, 0.1, 0.5)),
    "nearest centroid": ("none", (0,)),
}


@dataclass(frozen=True)
class Config:
    """One candidate: a feature set, a model family and its regularisation setting."""

    features: str
    family: str
    param: float

    def __str__(self) -> str:
        name, _ = FAMILIES[self.family]
        setting = "" if name == "none" else f", {name}={self.param:g}"
        return f"{self.family}{setting} on {self.features}"


@functools.cache
def configs() -> tuple[Config, ...]:
    """The fixed pool of candidate configurations, in grid order.

    Examples
    --------
    >>> len(configs()), str(configs()[0])
    (120, 'k nearest neighbours, k=1 on pixels')
    """
    return tuple(
        Config(f, fam, float(v))
        for f in FEATURES
        for fam, (_, values) in FAMILIES.items()
        for v in values
    )


@functools.cache
def digits() -> tuple[np.ndarray, np.ndarray]:
    """The bundled digits (pixel values 0-16 as floats, labels 0-9); read from disk only.

    Examples
    --------
    >>> x, y = digits()
    >>> x.shape, int(y.max())
    ((1797, 64), 9)
    """
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    return x.astype(float), y.astype(int)


def _feature_sets(xtr: np.ndarray, xo: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each feature set for the training rows and the other rows (fitted on training only)."""
    from sklearn.decomposition import PCA

    mu, sd = xtr.mean(axis=0), xtr.std(axis=0) + 1e-6

    def pool(a: np.ndarray) -> np.ndarray:
        return a.reshape(-1, 4, 2, 4, 2).mean(axis=(2, 4)).reshape(-1, 16)

    out = {
        "pixels": (xtr / 16, xo / 16),
        "standardised": ((xtr - mu) / sd, (xo - mu) / sd),
        "pooled 4x4": (pool(xtr) / 16, pool(xo) / 16),
    }
    # components come in order, so the first k of one 40-component PCA are PCA(k)
    pca = PCA(PCA_COMPONENTS, svd_solver="full").fit(xtr / 16)
    ztr, zo = pca.transform(xtr / 16), pca.transform(xo / 16)
    for k in (10, 20, PCA_COMPONENTS):
        out[f"pca {k}"] = (ztr[:, :k], zo[:, :k])
    return out


def _sq_distances(xtr: np.ndarray, xo: np.ndarray) -> np.ndarray:
    """Squared Euclidean distances from each row of ``xo`` (rows) to each row of ``xtr``
    (columns), expanded as |a|^2 - 2 a.b + |b|^2.

    Computed in place, with the same floating-point operations in the same order as the
    plain expression ``(xo * xo).sum(1)[:, None] - 2 * xo @ xtr.T + (xtr * xtr).sum(1)``,
    so every bit is the same; only the temporary matrices are saved.

    Examples
    --------
    >>> _sq_distances(np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([[3.0, 4.0]])).tolist()
    [[25.0, 13.0]]
    """
    d2 = (2 * xo) @ xtr.T
    np.subtract((xo * xo).sum(1)[:, None], d2, out=d2)
    d2 += (xtr * xtr).sum(1)[None, :]
    return d2


def _majority(labels: np.ndarray, k: int) -> np.ndarray:
    """Each row's most common label (0-9) among its first ``k``, ties to the smallest."""
    rows = len(labels)
    codes = labels[:, :k] + 10 * np.arange(rows)[:, None]
    return np.bincount(codes.ravel(), minlength=10 * rows).reshape(rows, 10).argmax(axis=1)


def _nearest_labels(d2: np.ndarray, ytr: np.ndarray, kmax: int) -> np.ndarray:
    """The labels of each row's ``kmax`` nearest columns, nearest first: the plain
    selection (argpartition, then argsort of those), which settles ties in distance."""
    near = np.argpartition(d2, kmax - 1, axis=1)[:, :kmax]
    near = np.take_along_axis(near, np.argsort(np.take_along_axis(d2, near, 1), 1), 1)
    return ytr[near]


def _smallest(d2: np.ndarray, count: int, block: int = 128) -> np.ndarray:
    """The ``count`` smallest values of each row, in increasing order (``count`` at most
    the row length). Rows are partitioned a block at a time: a copy of the whole matrix
    would cost more in fresh memory than the partition itself."""
    blocks = [d2[i : i + block] for i in range(0, len(d2), block)] or [d2]
    return np.concatenate(
        [np.sort(np.partition(b, count - 1, axis=1)[:, :count], axis=1) for b in blocks]
    )


def _nearest_labels_by_value(d2: np.ndarray, ytr: np.ndarray, ks) -> np.ndarray:
    """:func:`_nearest_labels` for ``kmax = max(ks) < d2.shape[1]``, as far as the votes
    of every k in ``ks`` can tell, found from each row's smallest distances.

    Where a row's k-th and (k+1)-th smallest distances differ, its k nearest columns are
    exactly those no farther than the k-th, whatever order the plain selection puts
    them in, so they vote the same. A row where they do not differ for some k in ``ks``
    (a tie, or NaN) goes through the plain selection, which settles its ties.
    """
    kmax, ks = max(ks), np.asarray(ks)
    least = _smallest(d2, kmax + 1)
    tied = ~(least[:, ks - 1] < least[:, ks]).all(axis=1)
    # exactly kmax columns per row that is not tied, none (NaN) in a tied row
    bound = np.where(tied, np.nan, least[:, kmax - 1])
    flat = np.flatnonzero(d2 <= bound[:, None])
    near = (flat % d2.shape[1]).reshape(-1, kmax)
    order = np.argsort(d2.ravel()[flat].reshape(-1, kmax), axis=1)
    labels = np.empty((len(d2), kmax), dtype=ytr.dtype)
    labels[~tied] = ytr[np.take_along_axis(near, order, 1)]
    if tied.any():
        labels[tied] = _nearest_labels(d2[tied], ytr, kmax)
    return labels


def knn_predict(xtr: np.ndarray, ytr: np.ndarray, xo: np.ndarray, ks) -> list[np.ndarray]:
    """k-nearest-neighbour votes (Euclidean, uniform weights) for every k in ``ks`` from
    one distance matrix; labels are 0-9, and a tied vote goes to the smallest label, as
    in scikit-learn's ``KNeighborsClassifier``.

    Examples
    --------
    >>> xtr = np.array([[0.0], [1.0], [5.0]]); ytr = np.array([0, 0, 1])
    >>> [p.tolist() for p in knn_predict(xtr, ytr, np.array([[4.0]]), (1, 2, 3))]
    [[1], [0], [0]]
    """
    kmax = max(ks)
    d2 = _sq_distances(xtr, xo)
    if kmax < d2.shape[1]:
        labels = _nearest_labels_by_value(d2, ytr, ks)
    else:
        labels = _nearest_labels(d2, ytr, kmax)
    return [_majority(labels, k) for k in ks]


def ridge_predict(xtr: np.ndarray, ytr: np.ndarray, xo: np.ndarray, alphas) -> list[np.ndarray]:
    """scikit-learn's ``RidgeClassifier`` (targets +-1, intercept) for every alpha from
    one SVD: W = V diag(s / (s^2 + alpha)) U^T Y on centred data."""
    mx = xtr.mean(axis=0)
    targets = np.where(ytr[:, None] == np.arange(10)[None, :], 1.0, -1.0)
    my = targets.mean(axis=0)
    u, s, vt = np.linalg.svd(xtr - mx, full_matrices=False)
    uy = u.T @ (targets - my)
    xc = xo - mx
    return [(xc @ (vt.T @ ((s / (s * s + a))[:, None] * uy)) + my).argmax(axis=1) for a in alphas]


def _by_class(xtr: np.ndarray, ytr: np.ndarray) -> list[np.ndarray]:
    """The training rows of each class 0-9."""
    return [xtr[ytr == c] for c in range(10)]


def naive_bayes_predict(xtr, ytr, xo, smoothings) -> list[np.ndarray]:
    """scikit-learn's ``GaussianNB`` for every ``var_smoothing``: per-class means and
    variances, the smoothing adding that fraction of the largest feature variance."""
    rows = _by_class(xtr, ytr)
    mean = np.array([r.mean(axis=0) for r in rows])
    var = np.array([r.var(axis=0) for r in rows])
    prior = np.log(np.bincount(ytr, minlength=10) / len(ytr))
    widest = xtr.var(axis=0).max()
    # the squared distance (x - m)^2 / s2, expanded into products shared by every smoothing
    xo_sq, xo_twice, mean_sq = xo * xo, 2 * xo, mean * mean
    out = []
    for v in smoothings:
        s2 = var + v * widest
        inv = 1 / s2
        quad = xo_sq @ inv.T - xo_twice @ (mean * inv).T + (mean_sq * inv).sum(1)
        ll = -0.5 * (np.log(2 * np.pi * s2).sum(1)[None, :] + quad)
        out.append((ll + prior).argmax(axis=1))
    return out


@dataclass(frozen=True)
class _LdaFit:
    """What shrunk LDA needs from the training data, whatever the shrinkage."""

    means: np.ndarray
    prior: np.ndarray
    cov: np.ndarray

    @classmethod
    def of(cls, xtr: np.ndarray, ytr: np.ndarray) -> _LdaFit:
        rows = _by_class(xtr, ytr)
        prior = np.bincount(ytr, minlength=10) / len(ytr)
        cov = sum(prior[c] * np.cov(r.T, bias=True) for c, r in enumerate(rows))
        return cls(np.array([r.mean(axis=0) for r in rows]), prior, cov)

    def scores(self, xo: np.ndarray, shrinkage: float) -> np.ndarray:
        """See :func:`lda_scores`."""
        p = self.means.shape[1]
        c = (1 - shrinkage) * self.cov + shrinkage * np.trace(self.cov) / p * np.eye(p)
        coef = np.linalg.lstsq(c, self.means.T, rcond=None)[0].T
        intercept = -0.5 * np.einsum("ij,ij->i", self.means, coef) + np.log(self.prior)
        return xo @ coef.T + intercept


def lda_scores(xtr, ytr, xo, shrinkage: float) -> np.ndarray:
    """Discriminant scores (log posterior up to a constant) of scikit-learn's
    ``LinearDiscriminantAnalysis(solver="lsqr", shrinkage=s)``: pooled within-class
    covariance shrunk towards its mean variance, (1 - s) C + s tr(C)/p I."""
    return _LdaFit.of(xtr, ytr).scores(xo, shrinkage)


def lda_predict(xtr, ytr, xo, shrinkages) -> list[np.ndarray]:
    """Shrunk LDA's labels for every shrinkage (see :func:`lda_scores`), from one pooled
    covariance."""
    fit = _LdaFit.of(xtr, ytr)
    return [fit.scores(xo, s).argmax(axis=1) for s in shrinkages]


def centroid_predict(xtr, ytr, xo, _=None) -> list[np.ndarray]:
    """Nearest class centroid (Euclidean), as scikit-learn's ``NearestCentroid``."""
    centroids = np.array([xtr[ytr == c].mean(axis=0) for c in range(10)])
    return [((centroids * centroids).sum(1)[None, :] - 2 * xo @ centroids.T).argmin(axis=1)]


#: Each family's vectorised prediction for all its settings at once (each written to
#: match scikit-learn's estimator; tests/test_proxy_research.py holds them to it).
PREDICTORS = {
    "k nearest neighbours": knn_predict,
    "ridge classifier": ridge_predict,
    "gaussian naive bayes": naive_bayes_predict,
    "shrunk LDA": lda_predict,
    "nearest centroid": centroid_predict,
}


@dataclass(frozen=True)
class SplitScores:
    """Every configuration's results on one split.

    Attributes
    ----------
    validation_correct : ndarray of bool, shape (configs, VALIDATION)
        Whether each configuration labels each validation digit right.
    test : ndarray, shape (configs,)
        Each configuration's test accuracy.
    moved : ndarray, shape (configs,), or None
        Each configuration's accuracy on the first :data:`MOVED` test digits moved
        :data:`MOVE` pixels sideways (the numbered splits of :func:`split_scores`; None
        where not measured).
    """

    validation_correct: np.ndarray
    test: np.ndarray
    moved: np.ndarray | None = None

    @property
    def validation(self) -> np.ndarray:
        """Each configuration's accuracy on the whole validation set."""
        return self.validation_correct.mean(axis=1)


def split_scores(split: int) -> SplitScores:
    """Fit the whole pool once on random split number ``split`` (an integer >= 0; cached
    per process).

    Examples
    --------
    >>> s = split_scores(0)
    >>> s.validation_correct.shape[0] == len(configs()) == s.test.size
    True
    """
    return _split_scores([check_int(split, "split", 0)])[0]


#: The splits fitted so far in this process, by number.
_FITTED: dict[int, SplitScores] = {}


def _split_scores(splits: Iterable[int]) -> list[SplitScores]:
    """:func:`split_scores` for each of ``splits`` (valid numbers), fitting the ones not
    fitted yet under a single thread limit: entering one inspects every loaded library,
    which costs more than a tenth of a fit."""
    splits = list(splits)
    missing = [s for s in dict.fromkeys(splits) if s not in _FITTED]
    if missing:
        # loaded before the limit is set, so that it covers their BLAS too
        from sklearn.decomposition import PCA  # noqa: F401
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1):  # small matrices: threads only contend on a shared machine
            for s in missing:
                _FITTED[s] = _fit_pool(s)
    return [_FITTED[s] for s in splits]


def _fit_pool(split: int) -> SplitScores:
    order = np.random.default_rng([20231, split]).permutation(len(digits()[1]))
    return _fit_pool_on(order, TRAIN, VALIDATION, MOVE)


def _fit_pool_on(
    order: np.ndarray, train: int, validation: int, move: float | None = None
) -> SplitScores:
    """The whole pool fitted on the digits ``order[:train]``; the next ``validation`` are
    the validation digits and the rest of ``order`` the test digits, the first
    :data:`MOVED` of which are, with ``move``, also labelled moved that many pixels
    sideways (one fit for both)."""
    from .metrics import shift_digits

    x, y = digits()
    tr, other = order[:train], order[train:]
    test = order[train + validation :][:MOVED]
    xo, yo = x[other], y[other]
    if move is not None:
        xo = np.concatenate([xo, shift_digits(x[test], move)])
        yo = np.concatenate([yo, y[test]])
    feats = _feature_sets(x[tr], xo)
    preds: dict[Config, np.ndarray] = {}
    for f, (fam, (_, values)) in itertools.product(FEATURES, FAMILIES.items()):
        xtr, xf = feats[f]
        for v, p in zip(values, PREDICTORS[fam](xtr, y[tr], xf, values), strict=True):
            preds[Config(f, fam, float(v))] = p
    right = np.array([preds[c] == yo for c in configs()])
    n = len(other)
    moved = right[:, n:].mean(axis=1) if move is not None else None
    return SplitScores(right[:, :validation], right[:, validation:n].mean(axis=1), moved)


def check_digit_indices(indices: object, least: int) -> np.ndarray:
    """``indices`` as a sorted array of at least ``least`` distinct positions among the
    digits, or a one-line ValueError (:func:`lossylib.checks.check_indices`).

    Examples
    --------
    >>> check_digit_indices([3, 1, 2], 2).tolist()
    [1, 2, 3]
    """
    return check_indices(indices, len(digits()[1]), least)


def fewest_digits_to_search() -> int:
    """The fewest digits :func:`search_excess_on` can use: its training rows (a share of
    :data:`TRAIN` in proportion) must be at least :data:`PCA_COMPONENTS`.

    Examples
    --------
    >>> fewest_digits_to_search()
    142
    """
    total = len(digits()[1])
    return next(n for n in range(1, total + 1) if round(TRAIN * n / total) >= PCA_COMPONENTS)


def search_excess_on(
    indices: np.ndarray, splits: int, seed: int, attempts: int = 100, searches: int = 25
) -> tuple[float, float]:
    """Claim 18's measure on some of the digits only: the random search's excess (the
    validation gain minus the test gain after ``attempts`` attempts, as in
    :func:`autoresearch`), mean over ``splits`` random splits of ``indices`` with
    ``searches`` searches each, and its plain standard error over splits. The training
    and validation sizes shrink in proportion to the digits used. For
    :func:`lossylib.resampling.disjoint_halves`.

    Examples
    --------
    >>> mean, se = search_excess_on(np.arange(0, 1797, 2), splits=2, seed=0, attempts=5,
    ...                             searches=2)
    >>> bool(np.isfinite(mean)) and se >= 0
    True
    """
    from threadpoolctl import threadpool_limits

    idx = check_digit_indices(indices, fewest_digits_to_search())
    splits = check_int(splits, "splits", 2)
    seed = check_int(seed, "seed", 0)
    attempts = check_int(attempts, "attempts", 1)
    searches = check_int(searches, "searches", 1)
    share = idx.size / len(digits()[1])
    train, validation = round(TRAIN * share), round(VALIDATION * share)
    per_split = []
    with threadpool_limits(1):
        for j in range(splits):
            order = np.random.default_rng([20232, seed, j]).permutation(idx)
            scores = _fit_pool_on(order, train, validation)
            excess = []
            for t in range(searches):
                rng = np.random.default_rng([seed, j, t])
                seen, test = _search(
                    scores,
                    attempts,
                    rng,
                    search="random",
                    holdout="reuse",
                    rounds=1,
                    restart=0.1,
                    threshold=THRESHOLD,
                    size=validation,
                )
                excess.append((seen[-1] - test[-1]) - (seen[0] - test[0]))
            per_split.append(np.mean(excess))
    v = np.array(per_split)
    return float(v.mean()), float(v.std(ddof=1) / math.sqrt(splits))


@functools.cache
def _neighbours() -> tuple[np.ndarray, ...]:
    """For each configuration, the pool indices one step away in the hill climb: the
    next setting up or down in the same family and features, or the same family and
    setting on another feature set."""
    pool = configs()
    index = {c: i for i, c in enumerate(pool)}
    out = []
    for c in pool:
        values = FAMILIES[c.family][1]
        j = values.index(c.param) if c.family != "nearest centroid" else 0
        near = [
            Config(c.features, c.family, float(values[k]))
            for k in (j - 1, j + 1)
            if 0 <= k < len(values)
        ]
        near += [Config(f, c.family, c.param) for f in FEATURES if f != c.features]
        out.append(np.array([index[n] for n in near]))
    return tuple(out)


@dataclass(frozen=True)
class ResearchRuns:
    """What a search saw and what it got, after each attempt.

    Attributes
    ----------
    validation, validation_se : ndarray, shape (attempts,)
        The incumbent's validation score (as the search saw it), mean over trials and its
        standard error.
    test, test_se : ndarray, shape (attempts,)
        The incumbent's test accuracy, mean and standard error.
    gap, gap_se : ndarray, shape (attempts,)
        Validation minus test for the same trials, mean and standard error.
    excess, excess_se : ndarray, shape (attempts,)
        How much more the validation score has risen than the test score since the first
        attempt (the gap's growth, paired within each search, which cancels how much
        easier one split's validation digits are than its test digits), mean and SE.
    best_test : float
        Mean over splits of the best test accuracy any configuration reaches (an oracle).
    trials, splits : int
        Searches run, and the data splits they share.
    moved, moved_se : ndarray, shape (attempts,)
        The incumbent's accuracy on the test digits moved :data:`MOVE` pixels sideways,
        data unlike any the search scores: mean and standard error.
    moved_excess, moved_excess_se : ndarray, shape (attempts,)
        How much more the validation score has risen than that accuracy since the first
        attempt (paired within each search, as ``excess``): mean and SE.
    cuts : dict of str to (float, float)
        The share of the errors removed from the first attempt to the last, search by
        search ((end - start) / (1 - start)), mean and SE: on the validation score as the
        search saw it (``"validation"``), the test digits (``"test"``), the moved ones
        (``"moved"``), and the validation share minus each of the other two, paired
        within each search (``"test excess"``, ``"moved excess"``). The same gain in
        points is a larger share of the errors where few are left.

    Standard errors are computed over splits (each split's trials averaged first),
    because searches on the same split are not independent.
    """

    validation: np.ndarray
    validation_se: np.ndarray
    test: np.ndarray
    test_se: np.ndarray
    gap: np.ndarray
    gap_se: np.ndarray
    excess: np.ndarray
    excess_se: np.ndarray
    best_test: float
    trials: int
    splits: int
    moved: np.ndarray
    moved_se: np.ndarray
    moved_excess: np.ndarray
    moved_excess_se: np.ndarray
    cuts: dict[str, tuple[float, float]] = field(default_factory=dict)


def _proposal_draws(rng: np.random.Generator, attempts: int, restart: float):
    """A search's random numbers, drawn before its first attempt: whether each attempt
    jumps to a random configuration (the hill climb's restarts), and where it lands."""
    jump = rng.random(attempts) < restart
    return jump, rng.random(attempts)


def _sequential(answer, n_cfg: int, attempts: int, rng, search: str, restart: float):
    """A search whose proposals depend on the incumbent (hill climb): the incumbent and
    its score per attempt, asking ``answer`` for one score at a time."""
    neigh = _neighbours()
    jump, pick = _proposal_draws(rng, attempts, restart)
    inc = np.empty(attempts, dtype=int)
    best = np.empty(attempts)
    cur, cur_score = -1, -math.inf
    for a in range(attempts):
        if cur < 0 or search == "random" or jump[a]:
            cand = int(pick[a] * n_cfg)
        else:
            near = neigh[cur]
            cand = int(near[int(pick[a] * near.size)])
        score = answer(cand)
        if score > cur_score:
            cur, cur_score = cand, score
        inc[a], best[a] = cur, cur_score
    return inc, best


def _running_best(cands: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The incumbent and its score after each attempt of a search that proposed
    ``cands`` and was told ``score`` (finite), keeping only strict improvements."""
    best = np.maximum.accumulate(score)
    new = score > np.concatenate([[-np.inf], best[:-1]])
    return cands[np.maximum.accumulate(np.where(new, np.arange(score.size), 0))], best


@dataclass(frozen=True)
class _Reads:
    """What the searches on one split read of its validation digits under one holdout
    scheme, worked out once for all of them.

    Attributes
    ----------
    judge : ndarray, shape (configs,)
        The accuracy the search's decisions see.
    holdout : ndarray or None
        Thresholdout's holdout accuracy (the second half), for ``"thresholdout"``.
    parts : ndarray or None, shape (rounds, configs)
        Each round's part of the second half, for ``"fresh"``.
    test : ndarray, shape (configs,)
        The test accuracy.
    moved : ndarray or None, shape (configs,)
        The accuracy on the moved test digits, where measured.
    """

    judge: np.ndarray
    holdout: np.ndarray | None
    parts: np.ndarray | None
    test: np.ndarray
    moved: np.ndarray | None = None


def _reads(scores: SplitScores, holdout: str, rounds: int, size: int) -> _Reads:
    """The accuracies searches on ``scores`` read with the first ``size`` validation
    digits (see :func:`autoresearch`)."""
    correct = scores.validation_correct[:, :size]
    test, moved = scores.test, scores.moved
    if holdout == "reuse":
        return _Reads(correct.mean(axis=1), None, None, test, moved)
    half = size // 2  # the remedies search on the first half of the validation data
    judge = correct[:, :half].mean(axis=1)
    if holdout == "thresholdout":
        return _Reads(judge, correct[:, half:].mean(axis=1), None, test, moved)
    chunk = (size - half) // rounds
    parts = [
        correct[:, half + k * chunk : half + (k + 1) * chunk].mean(axis=1) for k in range(rounds)
    ]
    return _Reads(judge, None, np.stack(parts), test, moved)


def _search(
    scores: SplitScores,
    attempts: int,
    rng: np.random.Generator,
    search: str,
    holdout: str,
    rounds: int,
    restart: float,
    threshold: float,
    size: int,
) -> tuple[np.ndarray, np.ndarray]:
    """One search on one split: the incumbent's reported validation score and test score."""
    reads = _reads(scores, holdout, rounds, size)
    reported, inc = _search_reads(reads, attempts, rng, search, restart, threshold)
    return reported, reads.test[inc]


def _search_reads(
    reads: _Reads,
    attempts: int,
    rng: np.random.Generator,
    search: str,
    restart: float,
    threshold: float,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_search` on a split's :func:`_reads`: the reported score and the incumbent
    (its index in the pool) after each attempt."""
    n_cfg = reads.test.size
    if reads.holdout is not None:
        tho = Thresholdout(reads.judge, reads.holdout, rng, threshold=threshold)
    # a random search's proposals do not depend on the scores: the whole search at once
    if search == "random" and reads.holdout is None:
        cands = rng.integers(n_cfg, size=attempts)
        inc, best = _running_best(cands, reads.judge[cands])
    elif search == "random":  # Thresholdout answers in turn, from the hill climb's draws
        cands = (_proposal_draws(rng, attempts, restart)[1] * n_cfg).astype(int)
        inc, best = _running_best(cands, tho.answers(cands))
    else:
        answer = tho.query if reads.holdout is not None else reads.judge.tolist().__getitem__
        inc, best = _sequential(answer, n_cfg, attempts, rng, search, restart)
    if reads.parts is None:
        return best, inc
    # reported on this round's part of the second half, which no decision reads
    r = np.arange(attempts) * len(reads.parts) // attempts
    return reads.parts[r, inc], inc


def autoresearch(
    attempts: int,
    trials: int,
    seed: int = 0,
    *,
    search: str = "random",
    holdout: str = "reuse",
    splits: int = 8,
    rounds: int = 1,
    restart: float = 0.1,
    threshold: float = THRESHOLD,
    validation_size: int = VALIDATION,
) -> ResearchRuns:
    """Run ``trials`` automated searches of ``attempts`` attempts each on the digits.

    Parameters
    ----------
    attempts : int
        Configurations each search proposes (>= 1).
    trials : int
        Searches (>= 2); trial i runs on split ``i % splits`` with its own search order.
        ``attempts * trials`` may be at most :data:`MAX_RECORDS`.
    seed : int
        Seed of the search orders, >= 0 (the splits themselves are fixed, numbered 0,
        1, ...).
    search : {"random", "hill"}
        Propose uniformly from the pool, or a neighbour of the incumbent (a greedy hill
        climb that jumps to a random configuration with probability ``restart``).
    holdout : {"reuse", "fresh", "thresholdout"}
        How the validation data judge the attempts (see the module docstring).
    splits : int
        Distinct random data splits (2 to :data:`MAX_SPLITS`); each is fitted once and
        cached.
    rounds : int
        Fresh validation parts for ``holdout="fresh"``.
    restart : float
        The hill climb's chance of a random jump, in [0, 1].
    threshold : float
        Thresholdout's threshold T (its noise scale is a quarter of it); :data:`THRESHOLD`
        by default.
    validation_size : int
        How many of the split's validation digits the search may use (4 to 300).

    Returns
    -------
    ResearchRuns

    Examples
    --------
    >>> a = autoresearch(10, trials=4, seed=3, splits=2)
    >>> b = autoresearch(10, trials=4, seed=3, splits=2)
    >>> bool((a.test == b.test).all())
    True
    """
    attempts = check_int(attempts, "attempts", 1)
    trials = check_int(trials, "trials", 2)
    if attempts * trials > MAX_RECORDS:
        got = f"{attempts} * {trials}"
        raise ValueError(f"attempts * trials must be <= {MAX_RECORDS}, got {got}")
    seed = check_int(seed, "seed", 0)
    splits = check_count(splits, "splits", 2, MAX_SPLITS)
    rounds = check_int(rounds, "rounds", 1)
    restart = check_real(restart, "restart", low=0.0, high=1.0)
    threshold = check_real(threshold, "threshold", low=0.0, high=1.0)
    if search not in SEARCHES:
        raise ValueError(f"search must be one of {SEARCHES}, got {search!r}")
    if holdout not in HOLDOUTS:
        raise ValueError(f"holdout must be one of {HOLDOUTS}, got {holdout!r}")
    size = check_int(validation_size, "validation_size", 4)
    if size > VALIDATION:
        raise ValueError(f"validation_size must be <= {VALIDATION}, got {size}")
    if rounds > min(attempts, size // 4):
        raise ValueError(f"rounds must be <= attempts and <= validation_size/4, got {rounds}")
    splits = min(splits, trials)
    pool = _split_scores(range(splits))
    reads = [_reads(s, holdout, rounds, size) for s in pool]
    seen = np.empty((trials, attempts))
    test = np.empty((trials, attempts))
    moved = np.empty((trials, attempts))
    for t in range(trials):
        rng = np.random.default_rng([seed, t])
        read = reads[t % splits]
        seen[t], inc = _search_reads(read, attempts, rng, search, restart, threshold)
        test[t], moved[t] = read.test[inc], read.moved[inc]
    groups = np.arange(trials) % splits

    def mean_se(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        per_split = np.array([a[groups == g].mean(axis=0) for g in range(splits)])
        return a.mean(axis=0), per_split.std(axis=0, ddof=1) / math.sqrt(splits)

    v, v_se = mean_se(seen)
    te, te_se = mean_se(test)
    g, g_se = mean_se(seen - test)
    gap = seen - test
    e, e_se = mean_se(gap - gap[:, :1])
    best = float(np.mean([s.test.max() for s in pool]))
    m, m_se = mean_se(moved)
    gap = seen - moved
    me, me_se = mean_se(gap - gap[:, :1])

    def cut(a: np.ndarray) -> np.ndarray:
        """The share of errors removed, per search (NaN for one that started with none)."""
        left = 1 - a[:, 0]
        share = np.full(len(a), np.nan)
        return np.divide(a[:, -1] - a[:, 0], left, out=share, where=left > 0)

    share = {"validation": cut(seen), "test": cut(test), "moved": cut(moved)}
    share["test excess"] = share["validation"] - share["test"]
    share["moved excess"] = share["validation"] - share["moved"]
    cuts = {k: tuple(float(x[0]) for x in mean_se(a[:, None])) for k, a in share.items()}
    return ResearchRuns(
        v, v_se, te, te_se, g, g_se, e, e_se, best, trials, splits, m, m_se, me, me_se, cuts
    )


def pool_ranking(splits: int = 8) -> tuple[float, float]:
    """Across the pool, mean over splits of (Spearman rank correlation between validation
    and test accuracy, mean test-minus-validation accuracy): whether a fresh test set
    keeps the ranking while shifting the level (Recht et al. 2019). ``splits`` is 1 to
    :data:`MAX_SPLITS`; :func:`pool_ranking_se` gives the standard errors.

    Examples
    --------
    >>> rank, shift = pool_ranking(2)
    >>> rank > 0.5
    True
    """
    ranks, shifts = _pool_ranks(splits)
    return float(np.mean(ranks)), float(np.mean(shifts))


def pool_ranking_se(splits: int = 8) -> tuple[float, float]:
    """The standard errors over splits of :func:`pool_ranking`'s two means (``splits``
    from 2 to :data:`MAX_SPLITS`).

    Examples
    --------
    >>> rank_se, shift_se = pool_ranking_se(2)
    >>> rank_se >= 0 and shift_se >= 0
    True
    """
    check_count(splits, "splits", 2, MAX_SPLITS)
    ranks, shifts = _pool_ranks(splits)
    n = math.sqrt(len(ranks))
    return float(np.std(ranks, ddof=1) / n), float(np.std(shifts, ddof=1) / n)


def _pool_ranks(splits: int) -> tuple[np.ndarray, np.ndarray]:
    """Per split: the rank correlation and the mean test-minus-validation accuracy."""
    return _pool_ranks_of(check_count(splits, "splits", 1, MAX_SPLITS))


@functools.cache
def _pool_ranks_of(splits: int) -> tuple[np.ndarray, np.ndarray]:
    from scipy.stats import spearmanr

    ranks, shifts = [], []
    for sc in _split_scores(range(splits)):
        ranks.append(spearmanr(sc.validation, sc.test).statistic)
        shifts.append(float(np.mean(sc.test - sc.validation)))
    return np.array(ranks), np.array(shifts)
