"""Standard errors over random splits of one data set.

Several chapters repeat an experiment on many random train/test splits of the same
1,797 digits and average. The splits share their digits, so their results are
correlated, and the plain standard error (the spread over splits divided by the square
root of their number) shrinks with more splits as if each brought new data: it can be
far too small. Nadeau and Bengio's (2003) correction treats the correlation between two
splits' results as ``n_test / (n_test + n_train)``, which gives the variance of the mean
of J splits as ``(1 / J + n_test / n_train) * s**2`` (``s**2`` the variance over
splits): it stops shrinking once J is large, as it must, since no number of splits of
one data set can say more than the data set holds. Bouckaert and Frank (2004) found the
test built on it close to its nominal error rate for comparing classifiers.

How large the data set's own part is depends on the measure, and :func:`disjoint_halves`
measures it instead of assuming it: two disjoint halves of the items are two independent
samples, so how far one measure differs between them shows its real standard error (at
half the data). For a mean of the items the correction is about right; for a difference
taken within each split, much of what a particular set of items does to one side it
does to the other, and the check finds far less than the correction assumes. Items that
are not independent of each other (the digits come from 13 writers, and every half holds
all of them) are beyond both.

Examples
--------
>>> import numpy as np
>>> per_split = np.array([0.1, 0.3, 0.2, 0.4])
>>> round(float(per_split.std(ddof=1) / 2), 4)  # the plain standard error
0.0645
>>> round(float(corrected_se(per_split, test_over_train=1.0)), 4)  # sqrt(1/4 + 1) s
0.1443
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from lossylib.checks import check_int, check_real, show


def corrected_se(per_split: ArrayLike, test_over_train: float, axis: int = 0):
    """The standard error of the mean over splits (along ``axis``) with Nadeau and
    Bengio's correction for splits of one data set; ``test_over_train`` is the ratio of
    the digits a split tests on to those it trains on (>= 0; 0 gives the plain standard
    error). Needs at least two splits; returns a float for 1-d input, else an array.

    Examples
    --------
    >>> corrected_se([1.0, 3.0], 1.0)  # s = 1.41; sqrt(1/2 + 1) * s = 1.73
    1.7320508075688772
    >>> corrected_se([[0.0, 1.0], [2.0, 1.0]], 0.0).tolist()  # plain, per column
    [1.0, 0.0]
    """
    ratio = check_real(test_over_train, "test_over_train", low=0.0)
    v = np.asarray(per_split, dtype=float)
    if v.ndim == 0 or v.size == 0 or not np.isfinite(v).all():
        raise ValueError(f"per_split must be finite numbers, got {show(per_split)}")
    v = np.moveaxis(v, axis, 0)
    if v.shape[0] < 2:
        raise ValueError(f"per_split needs at least two splits, got {v.shape[0]}")
    se = np.sqrt((1 / v.shape[0] + ratio) * v.var(axis=0, ddof=1))
    return float(se) if se.ndim == 0 else se


def resampled_se(values: ArrayLike, test_over_train: float = 1.0) -> tuple[float, float]:
    """Mean and corrected standard error (:func:`corrected_se`) of ``values``, one per
    random split; the standard error is nan for a single split (one split says nothing
    about the spread).

    Examples
    --------
    >>> resampled_se([1.0, 3.0])  # halves: as many test digits as training digits
    (2.0, 1.7320508075688772)
    >>> resampled_se([0.5])
    (0.5, nan)
    """
    v = np.asarray(values, dtype=float).ravel()
    if v.size == 0 or not np.isfinite(v).all():
        raise ValueError(f"values must be finite numbers, at least one, got {show(values)}")
    if v.size == 1:
        return float(v[0]), float("nan")
    return float(v.mean()), corrected_se(v, test_over_train)


def corrected_from_plain(plain_se: float, splits: int, test_over_train: float) -> float:
    """:func:`corrected_se` from a plain standard error over ``splits`` splits (or a
    jackknife one, which also treats them as independent): its variance times
    ``1 + splits * test_over_train``.

    Examples
    --------
    >>> corrected_from_plain(1.0, 4, 1.0)  # sqrt(1 + 4)
    2.23606797749979
    """
    se = check_real(plain_se, "plain_se", low=0.0)
    ratio = check_real(test_over_train, "test_over_train", low=0.0)
    splits = check_int(splits, "splits", 2)
    return float(se * np.sqrt(1 + splits * ratio))


@dataclass(frozen=True)
class HalvesCheck:
    """What :func:`disjoint_halves` measured, for a mean over ``splits`` splits of half
    the data.

    Attributes
    ----------
    true_se : float
        The standard error of such a mean from one data set to another, measured on
        disjoint halves (which are independent data sets).
    plain_se, corrected_se : float
        The plain and the corrected (:func:`corrected_se`) standard errors over the halves
        (root mean square): what one data set would have reported.
    data_var : float
        The variance that comes from the data set itself and no number of splits removes
        (``true_se**2 - plain_se**2``, at least 0), for half the data.
    data_var_se : float
        The standard error of ``data_var`` (from the spread of the halvings' squared
        differences; halvings of one data set are not quite independent, so it is
        approximate).
    halvings, splits : int
    """

    true_se: float
    plain_se: float
    corrected_se: float
    data_var: float
    data_var_se: float
    halvings: int
    splits: int

    def inflation(self, plain_se: float, sigmas: float = 0.0, scale: float = 0.5) -> float:
        """How many times larger than ``plain_se``, a plain standard error over splits of
        the whole data set, the true one is: the data set's own variance is added, times
        ``scale``. The default 1/2 assumes that variance falls as one over the number of
        items, as a mean's does (the whole set has twice the items of a half); ``scale=1``
        assumes it does not fall at all, the cautious bound. ``sigmas`` > 0 takes the data
        variance that many standard errors higher, for an upper bound.

        Examples
        --------
        >>> check = HalvesCheck(0.5, 0.4, 2.0, 0.09, 0.01, 40, 24)
        >>> round(check.inflation(0.3), 3)  # sqrt(0.3**2 + 0.09 / 2) / 0.3
        1.225
        >>> round(check.inflation(0.3, sigmas=2), 3)  # with 0.09 + 2 * 0.01
        1.269
        >>> round(check.inflation(0.3, scale=1), 3)  # sqrt(0.3**2 + 0.09) / 0.3
        1.414
        """
        se = check_real(plain_se, "plain_se", low=0.0, low_open=True)
        k = check_real(sigmas, "sigmas", low=0.0)
        c = check_real(scale, "scale", low=0.0, high=1.0)
        data = max(0.0, self.data_var + k * self.data_var_se)
        return float(np.sqrt(se**2 + c * data) / se)

    def true_over_plain(self, sigmas: float = 0.0) -> float:
        """The true standard error at half the data over the plain one, with the data
        variance ``sigmas`` standard errors higher for an upper bound.

        Examples
        --------
        >>> HalvesCheck(0.5, 0.4, 2.0, 0.09, 0.01, 40, 24).true_over_plain()  # sqrt(.16+.09)/.4
        1.25
        """
        k = check_real(sigmas, "sigmas", low=0.0)
        data = max(0.0, self.data_var + k * self.data_var_se)
        return float(np.sqrt(self.plain_se**2 + data) / self.plain_se)


def halvings_of(n: int, halvings: int, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """The two disjoint halves (sorted indices) of each of ``halvings`` random halvings
    of ``n`` items, as :func:`disjoint_halves` uses them; halving ``h`` is drawn with the
    seed ``[seed, h]``. With ``n`` odd, one item is left out of each halving.

    Examples
    --------
    >>> [(a.tolist(), b.tolist()) for a, b in halvings_of(5, 2, seed=1)]
    [([0, 4], [1, 2]), ([1, 4], [0, 3])]
    """
    out = []
    for h in range(halvings):
        order = np.random.default_rng([seed, h]).permutation(n)
        out.append((np.sort(order[: n // 2]), np.sort(order[n // 2 : 2 * (n // 2)])))
    return out


def disjoint_halves(
    mean_over_splits: Callable[[np.ndarray, int], tuple[float, float]],
    n: int,
    halvings: int,
    splits: int,
    test_over_train: float,
    seed: int = 0,
    jobs: int | None = 1,
) -> HalvesCheck:
    """Check a standard error over random splits against independent data sets.

    Each of ``halvings`` random halvings cuts the ``n`` items into two disjoint halves;
    ``mean_over_splits(indices, seed)`` runs the experiment on ``splits`` random splits of
    those items only and returns (mean, plain standard error). Two disjoint halves are two
    independent data sets, so half the mean squared difference of their means is the true
    variance of the mean, which the plain and the corrected standard errors can be held
    against. The halves are :func:`halvings_of` ``(n, halvings, seed)``; half ``i`` of
    halving ``h`` runs with seed ``2 * h + i``. With ``jobs`` other than 1 the halves run
    side by side in that many worker processes (None: one per usable core; see
    :func:`lossylib.workers.map_in_workers`), with the same result.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> values = rng.normal(size=400)  # a mean of iid items: splits add nothing
    >>> def mean(idx, seed):
    ...     v = values[idx]
    ...     return float(v.mean()), float(v.std(ddof=1) / np.sqrt(v.size))
    >>> check = disjoint_halves(mean, 400, halvings=200, splits=2, test_over_train=0.0)
    >>> 0.8 < check.true_se / check.plain_se < 1.2
    True
    """
    n = check_int(n, "n", 4)
    halvings = check_int(halvings, "halvings", 2)
    splits = check_int(splits, "splits", 2)
    ratio = check_real(test_over_train, "test_over_train", low=0.0)
    seed = check_int(seed, "seed", 0)
    from lossylib.workers import map_in_workers

    tasks = [
        (half, 2 * h + i)
        for h, halves in enumerate(halvings_of(n, halvings, seed))
        for i, half in enumerate(halves)
    ]
    results = map_in_workers(functools.partial(_unpacked, mean_over_splits), tasks, jobs)
    diffs = [results[2 * h][0] - results[2 * h + 1][0] for h in range(halvings)]
    plain = [r[1] for r in results]
    half_squares = np.square(diffs) / 2
    true_var = float(half_squares.mean())
    plain_se = float(np.sqrt(np.mean(np.square(plain))))  # root mean square
    return HalvesCheck(
        true_se=float(np.sqrt(true_var)),
        plain_se=plain_se,
        corrected_se=corrected_from_plain(plain_se, splits, ratio),
        data_var=max(0.0, true_var - plain_se**2),
        data_var_se=float(half_squares.std(ddof=1) / np.sqrt(halvings)),
        halvings=halvings,
        splits=splits,
    )


def _unpacked(fn: Callable[..., Any], task: tuple) -> Any:
    """``fn(*task)`` (a module-level function, so that workers can be handed it)."""
    return fn(*task)
