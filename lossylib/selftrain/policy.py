"""A learned policy for column addition: a probability table fitted from worked examples.

The policy adds two numbers the way a pupil does, one column at a time from the right.
In each column it sees a *context*: the two digits and the carry it wrote down in the
previous column (200 contexts). It then draws an *outcome*: a result digit and a carry
to pass on (20 outcomes). Its parameters are one probability table, row = context,
fitted by smoothed maximum likelihood from traces (the contexts met and the outcomes
written): ``p(outcome | context) = (count + alpha) / (total + 20 alpha)``. A context it
has never seen is a uniform guess, so the table has to be *learned*; nothing in the code
knows how to add. Because the table is shared by all columns, what it learns on short
sums carries over to long ones: that is the policy's prior, and it is what lets a gain on
easy levels show up on levels it never attempted.

The answer of a level-``n`` attempt is the ``n`` digits written plus the last carry.

Examples
--------
>>> import numpy as np
>>> from lossylib.selftrain.addition import problems
>>> rng = np.random.default_rng(0)
>>> a, b = problems(2, 50, rng)
>>> teacher = DigitPolicy.from_examples(a, b, 2)
>>> teacher.known()  # contexts whose most likely outcome is right
70
>>> float(DigitPolicy.blank().success(np.array([3]), np.array([4]), 1)[0])
0.05
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lossylib.checks import check_real

from .addition import (
    answer_digits,
    check_addends,
    check_level,
    check_rng,
    column_digits,
    to_digits,
)

CONTEXTS, OUTCOMES = 200, 20


def context_index(a_digit: np.ndarray, b_digit: np.ndarray, carry: np.ndarray) -> np.ndarray:
    """The row of the table for digits ``a_digit``, ``b_digit`` and incoming ``carry``."""
    return (np.asarray(a_digit) * 10 + np.asarray(b_digit)) * 2 + np.asarray(carry)


def true_outcomes() -> np.ndarray:
    """The right outcome (``10 * carry_out + digit``) of every context, shape (200,).

    Examples
    --------
    >>> int(true_outcomes()[context_index(9, 8, 1)])  # 9 + 8 + 1 = 18: write 8, carry 1
    18
    """
    ctx = np.arange(CONTEXTS)
    total = (ctx // 20) + (ctx // 2) % 10 + ctx % 2
    return total  # 10 * (total // 10) + total % 10 == total


def reachable_contexts(train_level: int) -> np.ndarray:
    """Which of the 200 contexts a correct sum of some level ``1..train_level`` meets,
    shape (200,): the contexts a loop that attempts those levels can ever see in an
    answer a perfect verifier accepts. Derived from the problem generator
    (:func:`~lossylib.selftrain.addition.column_digits`), column by column with the
    carries each column can pass on.

    Examples
    --------
    >>> int(reachable_contexts(1).sum()), int(reachable_contexts(3).sum())
    (100, 200)
    """
    train_level = check_level(train_level, "train_level")
    seen = np.zeros(CONTEXTS, dtype=bool)
    for level in range(1, train_level + 1):
        carries = np.array([0])
        for digits in column_digits(level):
            a, b, c = np.meshgrid(digits, digits, carries, indexing="ij")
            seen[context_index(a, b, c).ravel()] = True
            carries = np.unique((a + b + c) // 10)
    return seen


def columns(a: np.ndarray, b: np.ndarray, level: int) -> tuple[np.ndarray, np.ndarray]:
    """The context of every column for either incoming carry, shape (2, n, level), and
    the answer's digits, shape (n, level + 1): what evaluating a policy needs.

    Examples
    --------
    >>> ctx, want = columns(np.array([19]), np.array([1]), 2)
    >>> ctx[:, 0, 0].tolist(), want.tolist()
    ([182, 183], [[0, 2, 0]])
    """
    level = check_level(level)
    a, b = check_addends(a, b, level)
    da, db = to_digits(a, level), to_digits(b, level)
    ctx = np.stack([context_index(da, db, 0), context_index(da, db, 1)])
    return ctx, answer_digits(a, b, level)


def correct_traces(a: np.ndarray, b: np.ndarray, level: int) -> tuple[np.ndarray, np.ndarray]:
    """The contexts and outcomes of adding ``a + b`` correctly, shape (n, level) each."""
    level = check_level(level)
    a, b = check_addends(a, b, level)
    da, db = to_digits(a, level), to_digits(b, level)
    ctx = np.empty(da.shape, dtype=np.int64)
    carry = np.zeros(da.shape[0], dtype=np.int64)
    for i in range(level):
        ctx[:, i] = context_index(da[:, i], db[:, i], carry)
        carry = (da[:, i] + db[:, i] + carry) // 10
    return ctx, true_outcomes()[ctx]


def _indices(x: object, name: str, size: int) -> np.ndarray:
    """``x`` flattened to int64 indices in 0..size - 1, or a one-line error."""
    arr = np.asarray(x)
    if arr.size and arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integer indices, got dtype {arr.dtype}")
    if arr.size and (arr.min() < 0 or arr.max() >= size):
        bad = arr.min() if arr.min() < 0 else arr.max()
        raise ValueError(f"{name} must be in 0..{size - 1}, got {bad}")
    return arr.astype(np.int64).ravel()


def _check_cols(cols: object) -> tuple[np.ndarray, np.ndarray]:
    """The pair :func:`columns` returns, with consistent shapes, or a one-line error."""
    try:
        ctx, want = (np.asarray(x) for x in cols)
    except (TypeError, ValueError):
        kind = type(cols).__name__
        raise TypeError(f"cols must be what columns() returns, got {kind}") from None
    n, width = want.shape if want.ndim == 2 else (0, 0)
    if width < 2 or ctx.shape != (2, n, width - 1):
        shapes = f"{ctx.shape} and {want.shape}"
        raise ValueError(f"cols must be what columns() returns, got shapes {shapes}")
    return ctx, want


@dataclass(frozen=True)
class Attempts:
    """Sampled attempts at ``n`` problems of one level.

    Attributes
    ----------
    contexts, outcomes : ndarray of int, shape (n, level)
        The trace: what the policy saw and wrote in each column.
    correct : ndarray of bool, shape (n,)
        Whether the answer (digits written plus the last carry) equals ``a + b``.
    logp : ndarray, shape (n,)
        The policy's log-probability of its own trace (its confidence).
    """

    contexts: np.ndarray
    outcomes: np.ndarray
    correct: np.ndarray
    logp: np.ndarray


class DigitPolicy:
    """A column-addition policy: a (200, 20) table of outcome probabilities per context.

    Parameters
    ----------
    counts : array (200, 20)
        How often each outcome was seen in each context in the training traces.
    alpha : float
        Additive smoothing (> 0): a context never seen is a uniform guess.
    """

    def __init__(self, counts: np.ndarray, alpha: float = 0.1) -> None:
        counts = np.asarray(counts, dtype=float)
        if counts.shape != (CONTEXTS, OUTCOMES):
            raise ValueError(f"counts must have shape (200, 20), got {counts.shape}")
        if not np.all(np.isfinite(counts)) or np.any(counts < 0):
            raise ValueError("counts must be finite and non-negative")
        with np.errstate(over="ignore"):
            totals = counts.sum(axis=1, keepdims=True)
        if not np.all(np.isfinite(totals)):
            raise ValueError("counts must have finite row sums, got inf")
        self.alpha = check_real(alpha, "alpha", low=0.0, low_open=True)
        self.counts = counts
        self.table = (counts + self.alpha) / (totals + 20 * self.alpha)

    @classmethod
    def blank(cls, alpha: float = 0.1) -> DigitPolicy:
        """A policy that has seen nothing: every outcome equally likely."""
        return cls(np.zeros((CONTEXTS, OUTCOMES)), alpha)

    @classmethod
    def fit(cls, contexts: np.ndarray, outcomes: np.ndarray, alpha: float = 0.1) -> DigitPolicy:
        """Fit the table to traces (arrays of context indices 0..199 and outcome indices
        0..19, any shape)."""
        c = _indices(contexts, "contexts", CONTEXTS)
        o = _indices(outcomes, "outcomes", OUTCOMES)
        if c.shape != o.shape:
            raise ValueError("contexts and outcomes must have the same number of entries")
        counts = np.bincount(c * OUTCOMES + o, minlength=CONTEXTS * OUTCOMES)
        return cls(counts.reshape(CONTEXTS, OUTCOMES), alpha)

    @classmethod
    def from_examples(
        cls, a: np.ndarray, b: np.ndarray, level: int, alpha: float = 0.1
    ) -> DigitPolicy:
        """Fit the table to worked examples: the correct traces of ``a + b``."""
        return cls.fit(*correct_traces(a, b, level), alpha=alpha)

    def right_chance(self) -> np.ndarray:
        """The chance of writing the right outcome in each of the 200 contexts, shape
        (200,): 1/20 in a context never seen, near 0 where the table learned a wrong one.

        Examples
        --------
        >>> float(DigitPolicy.blank().right_chance().min())
        0.05
        """
        return self.table[np.arange(CONTEXTS), true_outcomes()].copy()

    def known_contexts(self) -> np.ndarray:
        """Which of the 200 contexts have the right outcome as their single most likely one
        (a tie, as in a context never seen, does not count), shape (200,).

        Examples
        --------
        >>> bool(DigitPolicy.blank().known_contexts().any())
        False
        """
        rows = np.arange(CONTEXTS)
        right = self.table[rows, true_outcomes()]
        others = self.table.copy()
        others[rows, true_outcomes()] = -np.inf
        return right > others.max(axis=1)

    def known(self) -> int:
        """How many of the 200 contexts have the right outcome as their single most likely
        one (:meth:`known_contexts`)."""
        return int(self.known_contexts().sum())

    def sample(self, a: np.ndarray, b: np.ndarray, level: int, rng: np.random.Generator):
        """One sampled attempt at each problem: an :class:`Attempts`."""
        level = check_level(level)
        a, b = check_addends(a, b, level)
        check_rng(rng)
        da, db = to_digits(a, level), to_digits(b, level)
        n = da.shape[0]
        ctx = np.empty((n, level), dtype=np.int64)
        out = np.empty((n, level), dtype=np.int64)
        cum = np.cumsum(self.table, axis=1)
        carry = np.zeros(n, dtype=np.int64)
        for i in range(level):
            ctx[:, i] = context_index(da[:, i], db[:, i], carry)
            u = rng.random(n)[:, None] * cum[ctx[:, i], -1:]
            out[:, i] = np.minimum((cum[ctx[:, i]] < u).sum(axis=1), OUTCOMES - 1)
            carry = out[:, i] // 10
        written = np.concatenate([out % 10, carry[:, None]], axis=1)
        correct = np.all(written == answer_digits(a, b, level), axis=1)
        logp = np.log(self.table[ctx, out]).sum(axis=1)
        return Attempts(ctx, out, correct, logp)

    def success(self, a: np.ndarray, b: np.ndarray, level: int) -> np.ndarray:
        """The exact probability that a sampled attempt at each problem is right.

        A forward pass over the policy's carry (0 or 1): the probability of having
        written the right digits so far with each carry, ending with the right last
        carry. Wrong carries that happen to give right digits count as right answers,
        as they would for a verifier that only sees the answer.
        """
        return self.success_on(columns(a, b, level))

    def success_on(self, cols: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """:meth:`success` on precomputed :func:`columns` (faster for a fixed test set)."""
        ctx, want = _check_cols(cols)
        n, level = want.shape[0], want.shape[1] - 1
        digits = want[:, :level]
        # p[c, c_out]: probability of the right digit with carry c_out, given carry c
        p = np.stack(
            [
                np.stack([self.table[ctx[c], 10 * c_out + digits] for c_out in (0, 1)])
                for c in (0, 1)
            ]
        )
        mass0, mass1 = np.ones(n), np.zeros(n)
        for i in range(level):
            mass0, mass1 = (
                mass0 * p[0, 0, :, i] + mass1 * p[1, 0, :, i],
                mass0 * p[0, 1, :, i] + mass1 * p[1, 1, :, i],
            )
        return np.where(want[:, level] == 1, mass1, mass0)

    def greedy_on(self, cols: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """:meth:`greedy_correct` on precomputed :func:`columns`."""
        ctx, want = _check_cols(cols)
        n, level = want.shape[0], want.shape[1] - 1
        best = self.table.argmax(axis=1)
        rows = np.arange(n)
        carry = np.zeros(n, dtype=np.int64)
        ok = np.ones(n, dtype=bool)
        for i in range(level):
            out = best[ctx[carry, rows, i]]
            ok &= out % 10 == want[:, i]
            carry = out // 10
        return ok & (carry == want[:, level])

    def greedy_correct(self, a: np.ndarray, b: np.ndarray, level: int) -> np.ndarray:
        """Whether always writing the most likely outcome gives the right answer."""
        level = check_level(level)
        a, b = check_addends(a, b, level)
        da, db = to_digits(a, level), to_digits(b, level)
        best = self.table.argmax(axis=1)
        carry = np.zeros(da.shape[0], dtype=np.int64)
        digits = []
        for i in range(level):
            out = best[context_index(da[:, i], db[:, i], carry)]
            digits.append(out % 10)
            carry = out // 10
        written = np.stack([*digits, carry], axis=1)
        return np.all(written == answer_digits(a, b, level), axis=1)
