"""The reusable holdout (Thresholdout, Dwork et al. 2015) and the null model of a search.

Thresholdout answers a query (here: a candidate's accuracy) from a *working* half of the
validation data, and consults the *holdout* half only when the two disagree by more than a
noisy threshold, answering then with the holdout's value plus Laplace noise. An analyst who
overfits the working half is caught; the holdout leaks little because it is rarely read
and its answers are noisy.

The null model is a search among candidates that are all equally good: each scores a
binomial proportion on ``size`` validation examples, and the incumbent after k attempts
is the largest of k such proportions. Its expected validation score has an exact form,
while its true accuracy does not move.

Examples
--------
>>> round(null_expected_max(1, 0.9, 300), 6)
0.9
>>> null_expected_max(50, 0.9, 300) > 0.92
True
"""

from __future__ import annotations

import numpy as np
from scipy import special

from lossylib.stats import mean_se

from ._validate import check_array, check_count, check_int, check_real, show

#: The largest validation set (examples) the null model takes, and the most scores
#: (attempts * trials) one simulated null search draws: a few arrays of this length.
MAX_SIZE = 10_000_000
MAX_SCORES = 10_000_000
#: How many times Thresholdout may consult its holdout by default; afterwards every
#: answer comes from the working data.
BUDGET = 100


class Thresholdout:
    """Dwork et al.'s reusable holdout for a fixed pool of queries.

    Parameters
    ----------
    working, holdout : ndarray
        Each query's value on the working data and on the holdout data (1-D, finite,
        the same length).
    rng : numpy.random.Generator
        For the Laplace noise.
    threshold : float
        How far the two may differ before the holdout is consulted (T).
    sigma : float, optional
        Scale of the Laplace noise (a quarter of the threshold by default, Dwork et al.'s
        ratio of 0.01 to 0.04).
    budget : int
        How many times the holdout may be consulted; afterwards every answer comes
        from the working data.

    Examples
    --------
    >>> t = Thresholdout(np.array([0.9, 1.0]), np.array([0.9, 0.8]), np.random.default_rng(0))
    >>> t.query(0)
    0.9
    >>> abs(t.query(1) - 0.8) < 0.1
    True
    """

    def __init__(
        self,
        working: np.ndarray,
        holdout: np.ndarray,
        rng: np.random.Generator,
        threshold: float = 0.04,
        sigma: float | None = None,
        budget: int = BUDGET,
    ) -> None:
        self.working = check_array(working, "working")
        self.holdout = check_array(holdout, "holdout")
        if self.working.ndim != 1 or self.working.shape != self.holdout.shape:
            raise ValueError(
                "working and holdout must have one value per query each (1-D, the same "
                f"length), got shapes {self.working.shape} and {self.holdout.shape}"
            )
        for name, values in (("working", self.working), ("holdout", self.holdout)):
            if not np.all(np.isfinite(values)):
                bad = values[~np.isfinite(values)][0]
                raise ValueError(f"{name} must be finite, got {bad}")
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator, got {show(rng)}")
        self.rng = rng
        self.threshold = check_real(threshold, "threshold", low=0.0)
        self.sigma = check_real(self.threshold / 4 if sigma is None else sigma, "sigma", low=0.0)
        self.budget = check_int(budget, "budget", 0)
        self._drawn: list[float] = []  # standard Laplace draws not used yet, last first
        self._t = self.threshold + self._lap(2)
        self.consulted = 0

    def _lap(self, factor: float) -> float:
        """Laplace noise of scale ``factor * sigma``, bit for bit ``rng.laplace(0.0,
        scale)``: numpy computes that as 0.0 -+ scale * log(u) from one uniform u, and
        the standard draw (scale 1) from the same u as -+log(u) exactly."""
        if not self.sigma:
            return 0.0
        standard = self._drawn.pop() if self._drawn else float(self.rng.laplace())
        return 0.0 + factor * self.sigma * standard

    def _draw_ahead(self, queries: int) -> None:
        """Draw, in one call, the standard Laplace numbers that the next ``queries``
        queries are sure to use: one per query until the budget is spent, and spending
        it takes three per consultation. Never more, so ``rng`` ends where one draw at a
        time would leave it."""
        left = self.budget - self.consulted
        if self.sigma and left > 0 and not self._drawn:
            self._drawn = self.rng.laplace(size=min(queries, 3 * left)).tolist()[::-1]

    def query(self, i: int) -> float:
        """The answer for query ``i`` (its accuracy as Thresholdout reports it), for
        ``i`` in 0 .. number of queries - 1."""
        i = check_int(i, "i", 0)
        if i >= self.working.size:
            queries = self.working.size
            raise ValueError(f"i must be < {queries} (the number of queries), got {i}")
        return self._answer(float(self.working[i]), float(self.holdout[i]))

    def answers(self, queries: np.ndarray) -> np.ndarray:
        """The answers for the queries ``queries`` (integers in 0 .. number of queries
        - 1), asked in that order: the same numbers, drawing the same noise, as calling
        :meth:`query` on each in turn, for a search whose proposals do not depend on the
        answers.

        Examples
        --------
        >>> a = Thresholdout(np.array([0.9, 1.0]), np.array([0.9, 0.8]),
        ...                  np.random.default_rng(0))
        >>> b = Thresholdout(np.array([0.9, 1.0]), np.array([0.9, 0.8]),
        ...                  np.random.default_rng(0))
        >>> a.answers(np.array([1, 0, 1])).tolist() == [b.query(1), b.query(0), b.query(1)]
        True
        """
        idx = np.asarray(queries)
        if idx.ndim != 1 or (idx.size and idx.dtype.kind not in "iu"):
            raise ValueError(f"queries must be a 1-D array of integers, got {show(queries)}")
        if idx.size and not (0 <= idx.min() and idx.max() < self.working.size):
            bad = idx[(idx < 0) | (idx >= self.working.size)][0]
            queries = self.working.size
            raise ValueError(
                f"queries must be >= 0 and < {queries} (the number of queries), got {bad}"
            )
        idx = idx.astype(np.intp)
        pairs = zip(self.working[idx].tolist(), self.holdout[idx].tolist(), strict=True)
        out = np.empty(idx.size)
        for j, (w, h) in enumerate(pairs):
            self._draw_ahead(idx.size - j)
            out[j] = self._answer(w, h)
        return out

    def _answer(self, w: float, h: float) -> float:
        """The answer for a query whose working and holdout values are ``w`` and ``h``."""
        if self.consulted >= self.budget:
            return w
        if abs(w - h) > self._t + self._lap(4):
            self.consulted += 1
            self._t = self.threshold + self._lap(2)
            return h + self._lap(1)
        return w


def null_expected_max(k: int, accuracy: float, size: int) -> float:
    """Exact expected largest of ``k`` independent validation accuracies, each a binomial
    proportion of ``size`` examples with true accuracy ``accuracy``.

    E[max] = sum over j = 1..size of P(max >= j) / size, with P(max >= j) = 1 - F(j-1)^k.
    For large ``size`` this is close to accuracy + sd * E[max of k standard normals], with
    sd = sqrt(accuracy (1 - accuracy) / size).

    ``k`` may be 1 to 10**18 and ``size`` 1 to :data:`MAX_SIZE`.
    """
    k = check_count(k, "k", 1)
    accuracy = check_real(accuracy, "accuracy", low=0.0, high=1.0)
    size = check_count(size, "size", 1, MAX_SIZE)
    j = np.arange(1, size + 1)
    # log P(score < j / size) through the upper tail, exact where it is tiny; it is
    # -inf where the tail is 1 (a score below 1/size is impossible only if accuracy is 1)
    with np.errstate(divide="ignore"):
        log_f = np.log1p(-special.bdtrc(j - 1, size, accuracy))
    return float(np.sum(-np.expm1(k * log_f)) / size)


def null_search(
    attempts: int, trials: int, accuracy: float, size: int, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Simulate the null search: mean and standard error of the incumbent's validation
    score after each attempt, over ``trials`` searches (its true accuracy never moves).

    ``attempts * trials`` may be at most :data:`MAX_SCORES` and ``size`` at most
    :data:`MAX_SIZE`; ``seed`` is an integer >= 0 (``None``: fresh entropy).

    Examples
    --------
    >>> m, se = null_search(20, 2000, 0.9, 300, seed=1)
    >>> bool(abs(m[-1] - null_expected_max(20, 0.9, 300)) < 4 * se[-1])
    True
    """
    attempts = check_int(attempts, "attempts", 1)
    trials = check_int(trials, "trials", 2)
    if attempts * trials > MAX_SCORES:
        got = f"{attempts} * {trials}"
        raise ValueError(f"attempts * trials must be <= {MAX_SCORES}, got {got}")
    accuracy = check_real(accuracy, "accuracy", low=0.0, high=1.0)
    size = check_count(size, "size", 1, MAX_SIZE)
    seed = None if seed is None else check_int(seed, "seed", 0)
    rng = np.random.default_rng(seed)
    scores = rng.binomial(size, accuracy, (trials, attempts)) / size
    best = np.maximum.accumulate(scores, axis=1)
    return mean_se(best, axis=0)


def independent_noise_max(
    accuracies: np.ndarray, size: int, draws: int = 1000, seed: int = 0
) -> tuple[float, float]:
    """How far the best validation score of a whole pool can sit above its candidate's
    true accuracy from sampling noise alone, when every candidate has its own accuracy:
    the mean over pools (rows of ``accuracies``) of E[max_i (B_i / size - a_i)], each B_i
    binomial with ``size`` examples and accuracy a_i, independent of the others.
    Returns the mean over rows and its standard error (simulated, ``draws`` per row).

    Validation scores measured on the same examples are positively correlated, which
    only lowers their largest error, and a search picks among fewer candidates than the
    pool holds: so this bounds from above the expected gap between a search's best
    validation score and that candidate's accuracy, unlike :func:`null_expected_max`,
    whose equally good candidates share one accuracy.

    ``accuracies`` is 2-D (pools x candidates, at least two pools), each in [0, 1];
    ``draws`` times the candidates may be at most :data:`MAX_SCORES` (one pool's draws
    are held at a time).

    Examples
    --------
    >>> same = np.full((4, 50), 0.95)  # equally good: the null model's exact value
    >>> m, se = independent_noise_max(same, 300, draws=4000, seed=2)
    >>> bool(abs(m - (null_expected_max(50, 0.95, 300) - 0.95)) < 4 * se + 1e-4)
    True
    """
    a = check_array(accuracies, "accuracies")
    if a.ndim != 2 or a.shape[0] < 2 or a.shape[1] < 1:
        raise ValueError(
            f"accuracies must be 2-D (pools x candidates, >= 2 pools), got shape {a.shape}"
        )
    if not np.all((a >= 0) & (a <= 1)):
        raise ValueError(f"accuracies must lie in [0, 1], got {a[(a < 0) | (a > 1)][0]}")
    size = check_count(size, "size", 1, MAX_SIZE)
    draws = check_int(draws, "draws", 1)
    if draws * a.shape[1] > MAX_SCORES:
        got = f"{draws} * {a.shape[1]}"
        raise ValueError(f"draws * candidates must be <= {MAX_SCORES}, got {got}")
    rng = np.random.default_rng(check_int(seed, "seed", 0))
    per_pool = np.array(
        [(rng.binomial(size, row, (draws, row.size)) / size - row).max(axis=1).mean() for row in a]
    )
    return float(per_pool.mean()), float(per_pool.std(ddof=1) / np.sqrt(len(per_pool)))
