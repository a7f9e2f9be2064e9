"""Loss against value: a smooth per-token loss, and the score a user sees.

Schaeffer, Miranda & Koyejo (2023): if each of k tokens of an answer is right with
probability p, the whole answer is right with probability p^k. A per-token loss that
falls smoothly with compute (a scaling law, L(C) = L_inf + (C0 / C)^alpha) then shows up
as a sudden "emergent" jump in exact-match accuracy, and a score with a ceiling may stop
moving while the loss keeps falling. :func:`learning_curve` checks this on real data: a
classifier of the bundled digits trained on more and more examples, whose loss is
measured both from its own softmax and calibrated (:func:`calibrated_log_loss`).

Examples
--------
>>> loss = scaling_loss(np.array([1e18, 1e22]))
>>> bool(loss[1] < loss[0])
True
>>> round(exact_match(np.log(2), 3), 3)
0.125
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ._validate import check_array, check_count, check_int, check_real

#: A scaling law for per-token loss in nats: L(C) = L_INF + (C0 / C)^ALPHA (compute C in
#: FLOP); made-up constants of the usual size (an irreducible loss, a small exponent).
L_INF, C0, ALPHA = 0.01, 1e18, 0.2


def scaling_loss(
    compute: np.ndarray, l_inf: float = L_INF, c0: float = C0, alpha: float = ALPHA
) -> np.ndarray:
    """Per-token loss (nats) at each compute: l_inf + (c0 / compute)^alpha."""
    c = check_array(compute, "compute")
    bad = ~np.isfinite(c) | (c <= 0)
    if np.any(bad):
        raise ValueError(f"compute must be finite and > 0, got {c[bad].flat[0]}")
    l_inf = check_real(l_inf, "l_inf", low=0.0)
    c0 = check_real(c0, "c0", low=0.0, low_open=True)
    alpha = check_real(alpha, "alpha", low=0.0, low_open=True)
    return l_inf + (c0 / c) ** alpha


def exact_match(loss: np.ndarray | float, k: int) -> np.ndarray | float:
    """Probability that all k tokens are right when each is right with p = exp(-loss)
    (``k`` from 1 to 10**18)."""
    k = check_count(k, "k", 1)
    loss = check_array(loss, "loss")
    bad = ~np.isfinite(loss) | (loss < 0)
    if np.any(bad):
        raise ValueError(f"loss must be finite and >= 0, got {loss[bad].flat[0]}")
    out = np.exp(-k * loss)
    return float(out) if out.ndim == 0 else out


def rise_decades(compute: np.ndarray, score: np.ndarray, low: float = 0.1, high: float = 0.9):
    """How many decades of compute a rising score takes from ``low`` to ``high`` of its
    range over the grid (linear interpolation in log compute).

    ``compute`` must be positive and increasing, ``score`` finite and never falling
    along it, and 0 <= ``low`` < ``high`` <= 1.

    Examples
    --------
    >>> c = np.logspace(0, 4, 401)
    >>> round(rise_decades(c, np.log10(c)), 2)
    3.2
    """
    c = check_array(compute, "compute")
    s = check_array(score, "score")
    if c.shape != s.shape or s.ndim != 1 or s.size < 2:
        raise ValueError(
            "compute and score must be 1-D arrays of the same length >= 2, "
            f"got shapes {c.shape} and {s.shape}"
        )
    bad = ~np.isfinite(c) | (c <= 0)
    if np.any(bad):
        raise ValueError(f"compute must be finite and > 0, got {c[bad][0]}")
    if np.any(np.diff(c) <= 0):
        raise ValueError("compute must be increasing along the grid")
    if not np.all(np.isfinite(s)):
        raise ValueError(f"score must be finite, got {s[~np.isfinite(s)][0]}")
    if np.any(np.diff(s) < 0):
        i = int(np.argmax(np.diff(s) < 0))
        got = f"{s[i]} then {s[i + 1]}"
        raise ValueError(f"score must rise (never fall) along the grid, got {got}")
    low = check_real(low, "low", low=0.0, high=1.0)
    high = check_real(high, "high", low=0.0, high=1.0)
    if low >= high:
        raise ValueError(f"low must be < high, got low={low}, high={high}")
    logc = np.log10(c)
    lo, hi = s.min(), s.max()
    if hi <= lo:
        raise ValueError(f"score must change over the grid, got a constant {lo}")
    frac = (s - lo) / (hi - lo)
    return float(np.interp(high, frac, logc) - np.interp(low, frac, logc))


@dataclass(frozen=True)
class LearningCurve:
    """A classifier of the digits trained on more and more examples (mean over splits).

    Attributes
    ----------
    sizes : ndarray
        Training examples.
    split_loss : ndarray, shape (splits, sizes)
        Test log loss per digit (nats) of the classifier's own softmax, per split.
    split_calibrated : ndarray, shape (splits, sizes)
        The same after temperature scaling (:func:`calibrated_log_loss`), per split.
    temperature : ndarray
        The fitted temperature per size (mean over splits and halves); 1 would mean the
        softmax was calibrated already.
    correct : ndarray of bool, shape (splits, sizes, test digits)
        Which test digits each model got right (for exact match on several digits).
    trained : ndarray of int, shape (splits, sizes)
        The training digits each model really saw: ``sizes // 10`` of each digit, or
        fewer where a digit has fewer examples left outside the test set.
    shifts : ndarray
        Pixels by which the test digits were also moved (:func:`shift_digits`), if any.
    split_shifted_error : ndarray, shape (shifts, splits, sizes)
        Each model's error rate on its test digits moved by each shift.

    The properties ``loss``, ``calibrated``, ``accuracy`` and ``error_rate`` are means
    over splits, and ``loss_se``, ``calibrated_se`` and ``accuracy_se`` their standard
    errors.
    """

    sizes: np.ndarray
    split_loss: np.ndarray
    split_calibrated: np.ndarray
    temperature: np.ndarray
    correct: np.ndarray
    trained: np.ndarray
    shifts: np.ndarray = field(default_factory=lambda: np.zeros(0))
    split_shifted_error: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 0)))

    @staticmethod
    def _se(a: np.ndarray) -> np.ndarray:
        return a.std(axis=0, ddof=1) / math.sqrt(len(a))

    @property
    def loss(self) -> np.ndarray:
        return self.split_loss.mean(axis=0)

    @property
    def loss_se(self) -> np.ndarray:
        return self._se(self.split_loss)

    @property
    def calibrated(self) -> np.ndarray:
        return self.split_calibrated.mean(axis=0)

    @property
    def calibrated_se(self) -> np.ndarray:
        return self._se(self.split_calibrated)

    @property
    def accuracy(self) -> np.ndarray:
        return self.correct.mean(axis=(0, 2))

    @property
    def accuracy_se(self) -> np.ndarray:
        return self._se(self.correct.mean(axis=2))

    @property
    def error_rate(self) -> np.ndarray:
        return 1 - self.accuracy

    def _shift_index(self, shift: float) -> int:
        hits = np.flatnonzero(np.isclose(self.shifts, shift))
        if hits.size == 0:
            raise ValueError(f"shift must be one of {self.shifts.tolist()}, got {shift!r}")
        return int(hits[0])

    def shifted_error_rate(self, shift: float) -> np.ndarray:
        """The error rate on the test digits moved by ``shift`` pixels (one of
        :attr:`shifts`), mean over splits per size."""
        return self.split_shifted_error[self._shift_index(shift)].mean(axis=0)

    def shifted_error_se(self, shift: float) -> np.ndarray:
        """The standard error over splits of :meth:`shifted_error_rate`."""
        return self._se(self.split_shifted_error[self._shift_index(shift)])

    def subset(self, splits: Sequence[int] | slice) -> LearningCurve:
        """The same curve over some of its splits only (positions or a slice), to see
        how far a verdict depends on which splits were drawn.

        Examples
        --------
        >>> lc = learning_curve(4)
        >>> lc.subset(slice(0, 2)).correct.shape[0]
        2
        """
        keep = np.arange(len(self.split_loss))[splits]
        if keep.size < 2:
            raise ValueError(f"a curve needs at least two splits, got {keep.size}")
        return replace(
            self,
            split_loss=self.split_loss[keep],
            split_calibrated=self.split_calibrated[keep],
            correct=self.correct[keep],
            trained=self.trained[keep],
            split_shifted_error=self.split_shifted_error[:, keep],
        )

    def error_from_loss_fit(self, fit: int = 4) -> tuple[float, float, np.ndarray]:
        """A fitted map from the calibrated loss to the error rate, and its forecast: the
        line log(error) = a + b log(loss) fitted on the first ``fit`` sizes (2 or more,
        fewer than all), then read at every size's loss. Returns (a, b, predicted error
        rate per size). The sizes after ``fit`` are a forecast from the loss alone,
        which is what a scaling law of the loss supplies.

        Examples
        --------
        >>> lc = learning_curve(2)
        >>> a, b, predicted = lc.error_from_loss_fit()
        >>> predicted.shape == lc.sizes.shape and bool(b > 0)
        True
        """
        fit = check_count(fit, "fit", 2, self.sizes.size - 1)
        b, a = np.polyfit(np.log(self.calibrated[:fit]), np.log(self.error_rate[:fit]), 1)
        return float(a), float(b), np.exp(a + b * np.log(self.calibrated))

    def last_falls(
        self, calibrated: bool = True, shift: float | None = None
    ) -> tuple[float, float, float]:
        """Over the last step of sizes, the relative fall of the test loss (calibrated, or
        the raw softmax's), the relative fall of the error rate (on the digits moved by
        ``shift`` pixels, if given: see :meth:`falls`), and the standard error of their
        difference (jackknife over splits, so the two falls are paired).

        Like is compared with like: if every wrong digit cost the same loss and right
        ones none, the two falls would be equal.
        """
        f = self.falls(calibrated, shift)
        return float(f["loss"][-1]), float(f["error"][-1]), float(f["gap_se"][-1])

    def falls(
        self, calibrated: bool = True, shift: float | None = None, points: bool = False
    ) -> dict[str, np.ndarray]:
        """:meth:`last_falls` for every step of sizes (arrays with one entry per step):
        ``loss`` and ``error``, the relative falls; ``loss_se``, ``error_se`` and
        ``gap_se``, jackknife standard errors over splits of each fall and of their
        difference. With ``shift`` (one of :attr:`shifts`), the error rate is the one on
        the test digits moved that far, while the loss stays the one on the digits as
        they are: does the loss that can be measured say what users of other data get?

        With ``points``, the error rate's fall is counted in points of accuracy and
        divided by the error rate of the digits as they are (the loss's own test set)
        before the step, not by its own: the points a user gained, on the scale on which
        the loss's fall is measured. On the digits as they are it is the relative fall.

        Examples
        --------
        >>> f = learning_curve(2).falls()
        >>> f["loss"].shape, bool(f["gap_se"].min() >= 0)
        ((5,), True)
        >>> lc = learning_curve(2, (1.0,))
        >>> bool(np.allclose(lc.falls(points=True)["error"], lc.falls()["error"]))
        True
        """
        losses = self.split_calibrated if calibrated else self.split_loss
        own = 1 - self.correct.mean(axis=2)
        errors = own if shift is None else self.split_shifted_error[self._shift_index(shift)]

        def step_falls(keep: np.ndarray) -> np.ndarray:
            lo, er = losses[keep].mean(axis=0), errors[keep].mean(axis=0)
            if points:
                return np.array([1 - lo[1:] / lo[:-1], (er[:-1] - er[1:]) / own[keep].mean(0)[:-1]])
            return np.array([1 - lo[1:] / lo[:-1], 1 - er[1:] / er[:-1]])

        n = len(losses)
        loss, error = step_falls(np.arange(n))
        drops = np.array([step_falls(np.delete(np.arange(n), i)) for i in range(n)])

        def jackknife(values: np.ndarray) -> np.ndarray:
            return np.sqrt((n - 1) / n * ((values - values.mean(axis=0)) ** 2).sum(axis=0))

        return {
            "loss": loss,
            "error": error,
            "loss_se": jackknife(drops[:, 0]),
            "error_se": jackknife(drops[:, 1]),
            "gap_se": jackknife(drops[:, 0] - drops[:, 1]),
        }

    def exact_match(self, k: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Measured share of k-digit answers with every digit right: the test digits are
        shuffled and cut into groups of k (1 <= k <= the number of test digits). Mean
        and SE over splits, per size."""
        k = check_int(k, "k", 1)
        if k > self.correct.shape[2]:
            digits = self.correct.shape[2]
            raise ValueError(f"k must be <= {digits} (the test digits), got {k}")
        seed = None if seed is None else check_int(seed, "seed", 0)
        rng = np.random.default_rng(seed)
        n = self.correct.shape[2] // k * k
        per_split = []
        for c in self.correct:
            order = rng.permutation(c.shape[1])[:n]
            per_split.append(c[:, order].reshape(c.shape[0], -1, k).all(axis=2).mean(axis=1))
        a = np.array(per_split)
        return a.mean(axis=0), a.std(axis=0, ddof=1) / math.sqrt(len(a))


def calibrated_log_loss(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Mean log loss (nats) of softmax(scores / T) with one temperature T, cross-fitted:
    T is fitted on each half of the examples and scored on the other, so no example's
    loss uses a temperature fitted on it. Returns (loss, mean of the two temperatures).

    ``scores`` has one row per example and one column per class; ``labels`` holds each
    example's class (at least two examples). A softmax that is overconfident gets T > 1.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> labels = rng.integers(3, size=400)
    >>> scores = 20 * (np.eye(3)[labels] + rng.normal(size=(400, 3)))  # overconfident
    >>> loss, t = calibrated_log_loss(scores, labels)
    >>> from scipy.special import log_softmax
    >>> raw = -log_softmax(scores, axis=1)[np.arange(400), labels].mean()
    >>> bool(t > 5), bool(loss < raw)
    (True, True)
    """
    from scipy.optimize import minimize_scalar

    scores = check_array(scores, "scores")
    labels = np.asarray(labels)
    if scores.ndim != 2 or labels.shape != scores.shape[:1] or len(labels) < 2:
        raise ValueError(
            "scores must be (examples, classes) and labels one per example (>= 2), got "
            f"shapes {scores.shape} and {labels.shape}"
        )
    if labels.dtype.kind not in "iu" or labels.min() < 0 or labels.max() >= scores.shape[1]:
        raise ValueError(
            f"labels must be class indices from 0 to {scores.shape[1] - 1}, got {labels[:5]}"
        )
    below, right = _below_top(scores, labels)
    half = len(labels) // 2
    parts = (slice(0, half), slice(half, len(labels)))
    total, temps = 0.0, []
    for fit, score in (parts, parts[::-1]):
        best = minimize_scalar(
            lambda u, rows=fit: _tempered_loss(below[rows], right[rows], math.exp(u)),
            bounds=(math.log(1e-2), math.log(1e4)),
            method="bounded",
        )
        temps.append(math.exp(best.x))
        total += _tempered_loss(below[score], right[score], temps[-1]) * len(below[score])
    return total / len(labels), float(np.mean(temps))


def _below_top(scores: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each score minus its row's largest (all <= 0), and the right label's such score:
    what the log loss of softmax(scores / t) needs, for any t > 0."""
    below = scores - scores.max(axis=1, keepdims=True)
    return below, below[np.arange(len(labels)), labels]


def _tempered_loss(below: np.ndarray, right: np.ndarray, t: float) -> float:
    """Mean log loss of softmax(scores / t) from :func:`_below_top`'s parts: the log of
    the sum of exp(below / t) over classes, minus right / t (the largest score divides
    out, so no exponential overflows)."""
    return float(np.log(np.exp(below / t).sum(axis=1)).mean() - right.mean() / t)


def _log_loss(scores: np.ndarray, labels: np.ndarray, rows: np.ndarray, t: float) -> float:
    """Mean log loss of softmax(scores / t) on the given rows."""
    return _tempered_loss(*_below_top(scores[rows], labels[rows]), t)


#: Training sizes of the digits learning curve (a tenth of each per digit); the test
#: digits are the last 797 of each shuffled split, the same for every size.
SIZES = (30, 60, 120, 250, 500, 1000)
TEST = 797
#: Shrinkage of the LDA (towards the mean variance; needed with 3 examples per digit).
SHRINKAGE = 0.2
#: Most random splits of :func:`learning_curve` (each refits six classifiers).
MAX_SPLITS = 1000


def learning_curve(splits: int = 6, shifts: Sequence[float] = ()) -> LearningCurve:
    """Shrunk LDA on the digits at each of :data:`SIZES` (cached), over ``splits`` random
    splits (2 to :data:`MAX_SPLITS`): test accuracy, and test log loss per digit from its
    posterior probabilities (softmax of the discriminant scores), both as they come and
    calibrated with one temperature per model (:func:`calibrated_log_loss`). The raw
    softmax is far too confident: the temperatures are well above 1.

    ``shifts`` (pixels, each 0 to 7) also measures each model's error rate on its test
    digits moved right that far (:func:`shift_digits`): data unlike any it trained on,
    while its loss is still measured on the digits as they are.

    Examples
    --------
    >>> lc = learning_curve(2, shifts=(1.0,))
    >>> bool(lc.loss[-1] < lc.loss[0]) and bool(lc.accuracy[-1] > lc.accuracy[0])
    True
    >>> bool((lc.shifted_error_rate(1.0) > lc.error_rate).all())
    True
    """
    splits = check_count(splits, "splits", 2, MAX_SPLITS)
    shifts = tuple(check_real(p, "shift", low=0.0, high=7.0) for p in shifts)
    return _learning_curve(splits, shifts)


@functools.cache
def _learning_curve(splits: int, shifts: tuple[float, ...] = ()) -> LearningCurve:
    from threadpoolctl import threadpool_limits

    from .research import digits

    n = len(digits()[1])
    orders = [np.random.default_rng([7, s]).permutation(n) for s in range(splits)]
    with threadpool_limits(1):
        return _curve(orders, SIZES, TEST, shifts)


def _curve(
    orders: list[np.ndarray], sizes: Sequence[int], test_size: int, shifts: Sequence[float] = ()
) -> LearningCurve:
    """The learning curve over the given orders of digits: the last ``test_size`` of each
    order are its test digits; the first ``size // 10`` of each class in the rest train.
    Each model also labels its test digits moved right by each of ``shifts`` pixels
    (:func:`shift_digits`), with one fit for all of them."""
    from .research import digits

    x, y = digits()
    x = x / 16
    moved = [shift_digits(x, p) for p in shifts]
    splits = len(orders)
    loss = np.empty((splits, len(sizes)))
    calibrated = np.empty((splits, len(sizes)))
    temperature = np.empty((splits, len(sizes)))
    right = np.empty((splits, len(sizes), test_size), dtype=bool)
    shifted_error = np.empty((len(shifts), splits, len(sizes)))
    trained = np.empty((splits, len(sizes)), dtype=int)
    for s, order in enumerate(orders):
        test, pool = order[-test_size:], order[:-test_size]
        by_class = [pool[y[pool] == c] for c in range(10)]
        seen = np.concatenate([x[test], *(m[test] for m in moved)])
        for j, m in enumerate(sizes):
            tr = np.concatenate([idx[: m // 10] for idx in by_class])  # m/10 per digit
            trained[s, j] = tr.size
            every = lda_scores(x[tr], y[tr], seen, SHRINKAGE)
            scores = every[:test_size]
            loss[s, j] = _tempered_loss(*_below_top(scores, y[test]), 1.0)
            calibrated[s, j], temperature[s, j] = calibrated_log_loss(scores, y[test])
            right[s, j] = scores.argmax(axis=1) == y[test]
            labels = every[test_size:].argmax(axis=1).reshape(len(shifts), test_size)
            shifted_error[:, s, j] = (labels != y[test]).mean(axis=1)
    return LearningCurve(
        np.array(sizes),
        loss,
        calibrated,
        temperature.mean(axis=0),
        right,
        trained,
        np.array(shifts, dtype=float),
        shifted_error,
    )


def lda_scores(xtr: np.ndarray, ytr: np.ndarray, xo: np.ndarray, shrinkage: float) -> np.ndarray:
    """The discriminant scores of :func:`lossylib.proxy.research.lda_scores` (shrunk
    LDA, as scikit-learn's) for labels 0-9 that all occur in ``ytr`` and a shrinkage
    above 0, computed faster: the pooled covariance from one product of the centred
    rows, and a linear solve in place of least squares (the shrunk covariance is
    positive definite). Equal to it up to rounding.

    Examples
    --------
    >>> from lossylib.proxy import research
    >>> x, y = research.digits()
    >>> a = lda_scores(x[:300] / 16, y[:300], x[300:310] / 16, 0.2)
    >>> b = research.lda_scores(x[:300] / 16, y[:300], x[300:310] / 16, 0.2)
    >>> bool(np.allclose(a, b, rtol=0, atol=1e-9))
    True
    """
    onehot = np.eye(10)[ytr]
    counts = onehot.sum(axis=0)
    means = onehot.T @ xtr / counts[:, None]
    centred = xtr - means[ytr]
    cov = centred.T @ centred / len(ytr)
    p = xtr.shape[1]
    c = (1 - shrinkage) * cov + shrinkage * np.trace(cov) / p * np.eye(p)
    coef = np.linalg.solve(c, means.T).T
    intercept = -0.5 * np.einsum("ij,ij->i", means, coef) + np.log(counts / len(ytr))
    return xo @ coef.T + intercept


def shift_digits(x: np.ndarray, pixels: float) -> np.ndarray:
    """Digits (rows of 64 pixels, 8x8 images) moved right by ``pixels`` (0 to 7), with
    blank columns coming in on the left; a fractional move blends the two nearest whole
    ones linearly (half a pixel is half the digit moved one pixel, half left in place).

    Examples
    --------
    >>> row = np.zeros((1, 64)); row[0, 3] = 16.0  # one lit pixel, top row
    >>> shift_digits(row, 1.0)[0, :8].tolist()
    [0.0, 0.0, 0.0, 0.0, 16.0, 0.0, 0.0, 0.0]
    >>> shift_digits(row, 0.25)[0, 3:5].tolist()
    [12.0, 4.0]
    """
    x = check_array(x, "x")
    if x.ndim != 2 or x.shape[1] != 64:
        raise ValueError(f"x must be rows of 64 pixels (8x8 digits), got shape {x.shape}")
    pixels = check_real(pixels, "pixels", low=0.0, high=7.0)
    whole, part = int(pixels), pixels - int(pixels)
    images = x.reshape(-1, 8, 8)

    def moved(k: int) -> np.ndarray:
        out = np.zeros_like(images)
        out[:, :, k:] = images[:, :, : 8 - k]
        return out

    out = moved(whole) if part == 0 else (1 - part) * moved(whole) + part * moved(whole + 1)
    return out.reshape(-1, 64)


def fall_gap_on(indices: np.ndarray, splits: int, seed: int) -> tuple[float, float]:
    """Claim 19's measure on some of the digits only: over the last doubling of
    training digits, the calibrated loss's relative fall minus the error rate's, and its
    (jackknife) standard error over ``splits`` random splits of ``indices``. The sizes
    and the test set shrink in proportion to the digits used. For
    :func:`lossylib.resampling.disjoint_halves`.

    Examples
    --------
    >>> gap, se = fall_gap_on(np.arange(0, 1797, 2), splits=2, seed=0)
    >>> bool(np.isfinite(gap)) and se >= 0
    True
    """
    from threadpoolctl import threadpool_limits

    from .research import check_digit_indices, digits

    idx = check_digit_indices(indices, 360)  # at least 100 training digits at the step
    share = idx.size / len(digits()[1])
    sizes = [round(m * share) for m in SIZES[-2:]]
    splits = check_count(splits, "splits", 2, MAX_SPLITS)
    seed = check_int(seed, "seed", 0)
    orders = [np.random.default_rng([8, seed, s]).permutation(idx) for s in range(splits)]
    with threadpool_limits(1):
        curve = _curve(orders, sizes, round(TEST * share))
    loss_fall, error_fall, se = curve.last_falls()
    return loss_fall - error_fall, se
