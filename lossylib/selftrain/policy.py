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

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lossylib.checks import check_real

from .addition import (
    MAX_LEVEL,
    answer_digits,
    check_addends,
    check_level,
    check_rng,
    column_digits,
    to_digits,
)

CONTEXTS, OUTCOMES = 200, 20
_POWERS = 10 ** np.arange(MAX_LEVEL + 1, dtype=np.int64)
_FAILED = 10 * CONTEXTS  # the state of DigitPolicy.greedy_each after a wrong digit


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


def wrong_carry_only(table: np.ndarray) -> np.ndarray:
    """Which of the 200 contexts a policy's ``table`` (shape (200, 20)) gets wrong only in
    the carry: its single most likely outcome writes the right digit but passes on the
    wrong carry (a tie, as in a context never seen, does not count, as in
    :meth:`DigitPolicy.known_contexts`), shape (200,).

    Examples
    --------
    >>> table = np.full((CONTEXTS, OUTCOMES), 0.01)
    >>> table[np.arange(CONTEXTS), true_outcomes()] = 0.5  # right everywhere ...
    >>> table[context_index(9, 8, 1), 8] = 0.9  # ... but 9 + 8 + 1: write 8, carry 0
    >>> np.flatnonzero(wrong_carry_only(table)).tolist() == [context_index(9, 8, 1)]
    True
    >>> bool(wrong_carry_only(DigitPolicy.blank().table).any())  # all tied: none
    False
    """
    table = np.asarray(table)
    if table.shape != (CONTEXTS, OUTCOMES):
        raise ValueError(f"table must have shape ({CONTEXTS}, {OUTCOMES}), got {table.shape}")
    rows, flipped = np.arange(CONTEXTS), (true_outcomes() + 10) % 20  # the other carry
    others = table.astype(float)  # a copy
    others[rows, flipped] = -np.inf
    return table[rows, flipped] > others.max(axis=1)


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


def _digits(x: np.ndarray, width: int) -> np.ndarray:
    """:func:`~lossylib.selftrain.addition.to_digits` of a 1-d int64 array, unchecked."""
    return (x[:, None] // _POWERS[:width]) % 10


@dataclass(frozen=True)
class StackedColumns:
    """Several sets of :func:`columns`, possibly of different levels, stacked so that a
    policy is evaluated on all of them in one pass (:func:`stack_columns`).

    Rows are ordered by level, longest first, so the rows that have a column ``i`` are
    the first ``active[i]``; the arrays of column ``i`` hold those rows only.

    Attributes
    ----------
    right : tuple of ndarray of int, shape (2, 2, active[i])
        Per column, where in the flattened table the chance of the right digit with carry
        ``c_out`` after carry ``c`` is: ``right[i][c, c_out]``.
    steps : tuple of ndarray of int, shape (active[i],)
        Per column, ``10 * context + digit`` with the context for carry 0 and the answer's
        digit (for :meth:`DigitPolicy.greedy_each`).
    last : ndarray of int, shape (rows,)
        The answer's last carry.
    blocks : tuple of slice
        The rows of each set, in the order the sets were given.
    """

    right: tuple[np.ndarray, ...]
    steps: tuple[np.ndarray, ...]
    last: np.ndarray
    blocks: tuple[slice, ...]

    @property
    def active(self) -> tuple[int, ...]:
        """How many rows have a column ``i``, per column."""
        return tuple(s.size for s in self.steps)


def stack_columns(sets: Sequence[tuple[np.ndarray, np.ndarray]]) -> StackedColumns:
    """Stack several :func:`columns` results (any levels) for
    :meth:`DigitPolicy.success_each` and :meth:`DigitPolicy.greedy_each`.

    Examples
    --------
    >>> stacked = stack_columns([columns(np.array([3]), np.array([4]), 1),
    ...                          columns(np.array([19, 25]), np.array([1, 30]), 2)])
    >>> stacked.active, stacked.blocks
    ((3, 2), (slice(2, 3, None), slice(0, 2, None)))
    """
    if isinstance(sets, str) or not isinstance(sets, Sequence):
        kind = type(sets).__name__
        raise TypeError(f"sets must be a sequence of columns() results, got {kind}")
    checked = [_check_values(*_check_cols(cols)) for cols in sets]
    order = sorted(range(len(checked)), key=lambda j: -checked[j][1].shape[1])
    width = max((want.shape[1] - 1 for _, want in checked), default=0)
    rows = sum(want.shape[0] for _, want in checked)
    contexts = np.zeros((width, rows), dtype=np.int64)  # for incoming carry 0
    digits = np.zeros((width, rows), dtype=np.int64)
    last = np.zeros(rows, dtype=np.int64)
    active = np.zeros(width, dtype=np.int64)
    blocks: list[slice] = [slice(0)] * len(checked)
    start = 0
    for j in order:
        ctx, want = checked[j]
        n, level = want.shape[0], want.shape[1] - 1
        contexts[:level, start : start + n] = ctx[0].T
        digits[:level, start : start + n] = want[:, :level].T
        last[start : start + n] = want[:, level]
        active[:level] += n
        blocks[j] = slice(start, start + n)
        start += n
    # right[c, c_out] = OUTCOMES * (context + c) + 10 * c_out + digit
    offsets = np.array([[0, 10], [OUTCOMES, OUTCOMES + 10]])[:, :, None, None]
    right = (contexts * OUTCOMES + digits) + offsets
    steps = contexts * 10 + digits
    return StackedColumns(
        right=tuple(right[:, :, i, :k].copy() for i, k in enumerate(active)),
        steps=tuple(steps[i, :k].copy() for i, k in enumerate(active)),
        last=last,
        blocks=tuple(blocks),
    )


def _check_values(ctx: np.ndarray, want: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Checked :func:`columns` (``_check_cols``) whose values could come from it: even
    contexts for carry 0 and the next ones for carry 1, digits in 0..9 and a last carry
    of 0 or 1; or a one-line ``ValueError``."""
    if ctx.size and (
        ctx.dtype.kind not in "iu"
        or ctx.min() < 0
        or ctx.max() >= CONTEXTS
        or np.any(ctx[0] % 2)
        or np.any(ctx[1] != ctx[0] + 1)
    ):
        raise ValueError("cols must hold contexts as columns() returns them")
    if want.size and (
        want.dtype.kind not in "iu"
        or want.min() < 0
        or want[:, :-1].max() > 9
        or want[:, -1].max() > 1
    ):
        raise ValueError("cols must hold answer digits in 0..9 and a last carry of 0 or 1")
    return ctx, want


def _check_stacked(stacked: object) -> int:
    """The number of rows of ``stacked``, or a one-line ``TypeError``."""
    if not isinstance(stacked, StackedColumns):
        kind = type(stacked).__name__
        raise TypeError(f"stacked must be what stack_columns() returns, got {kind}")
    return stacked.last.shape[0]


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
    digits_right : ndarray of bool, shape (n,), or None
        Whether the digits written equal those of ``a + b``, the final carry aside.
    """

    contexts: np.ndarray
    outcomes: np.ndarray
    correct: np.ndarray
    logp: np.ndarray
    digits_right: np.ndarray | None = None


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

    def sample(
        self, a: np.ndarray, b: np.ndarray, level: int, rng: np.random.Generator
    ) -> Attempts:
        """One sampled attempt at each problem: an :class:`Attempts`."""
        level = check_level(level)
        a, b = check_addends(a, b, level)
        check_rng(rng)
        return self._sample_unchecked(a, b, level, rng, np.cumsum(self.table, axis=1))

    def _sample_unchecked(
        self, a: np.ndarray, b: np.ndarray, level: int, rng: np.random.Generator, cum: np.ndarray
    ) -> Attempts:
        """:meth:`sample` without checking its inputs, for a caller that made them itself:
        ``a`` and ``b`` 1-d int64 problems of ``level`` (as :func:`check_addends` returns
        them) and ``cum`` the table's cumulative sum along each row (computed once for
        many calls). Draws ``rng.random(n)`` once per column, as :meth:`sample` does."""
        n = a.shape[0]
        base = context_index(_digits(a, level), _digits(b, level), 0)
        ctx = np.empty((n, level), dtype=np.int64)
        out = np.empty((n, level), dtype=np.int64)
        total = cum[:, -1]
        carry = np.zeros(n, dtype=np.int64)
        for i in range(level):
            c = base[:, i] + carry
            u = rng.random(n) * total.take(c)
            # The outcome is how many of the row's cumulative sums are below u. They never
            # decrease (sums of terms >= 0) and the last one is the total >= u, so those
            # below u are a prefix, ending where the first one not below u is.
            o = (cum.take(c, axis=0) < u[:, None]).argmin(axis=1)
            ctx[:, i], out[:, i], carry = c, o, o // 10
        written = (out % 10) @ _POWERS[:level] + carry * _POWERS[level]  # digits as a number
        correct = written == a + b
        digits_right = written % _POWERS[level] == (a + b) % _POWERS[level]
        logp = np.log(self.table[ctx, out]).sum(axis=1)
        return Attempts(ctx, out, correct, logp, digits_right)

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

    def success_each(self, stacked: StackedColumns) -> list[np.ndarray]:
        """:meth:`success_on` of every set in ``stacked`` (:func:`stack_columns`) in one
        pass over the columns, equal to it bit for bit, in the order the sets were given.

        A row stops taking part after its last column: the same products and sums of the
        same numbers as :meth:`success_on`, in the same order.

        Examples
        --------
        >>> sets = [columns(np.array([4, 7]), np.array([5, 8]), 1), columns(np.array([19]),
        ...     np.array([1]), 2)]
        >>> policy = DigitPolicy.blank()
        >>> each = policy.success_each(stack_columns(sets))
        >>> all(np.array_equal(x, policy.success_on(c)) for x, c in zip(each, sets))
        True
        """
        mass = np.zeros((2, _check_stacked(stacked)))  # mass[c]: right so far, carry c
        mass[0] = 1.0
        flat = self.table.ravel()
        for right in stacked.right:
            k = right.shape[-1]
            step = mass[:, None, :k] * flat.take(right)  # step[c, c_out], as in success_on
            mass[:, :k] = step[0] + step[1]
        success = np.where(stacked.last == 1, mass[1], mass[0])
        return [success[block] for block in stacked.blocks]

    def greedy_each(self, stacked: StackedColumns) -> list[np.ndarray]:
        """:meth:`greedy_on` of every set in ``stacked`` (:func:`stack_columns`) in one
        pass over the columns, in the order the sets were given.

        Each row's state is an offset into a lookup table of where the greedy outcome
        leads: ``10 * carry`` while every digit so far is right, ``_FAILED`` (for good)
        after the first wrong one. The answer is right if the state ends at ``10 * last
        carry``: the same as :meth:`greedy_on`'s digits and last carry.
        """
        state = np.zeros(_check_stacked(stacked), dtype=np.int64)
        lookup = self._greedy_lookup()
        for steps in stacked.steps:
            state[: steps.size] = lookup.take(steps + state[: steps.size])
        right = state == 10 * stacked.last
        return [right[block] for block in stacked.blocks]

    def _greedy_lookup(self) -> np.ndarray:
        """The next state of :meth:`greedy_each` at ``10 * context + digit + state``, shape
        (2 * ``_FAILED``,): ``10 * carry`` if the most likely outcome in the context (the
        one for carry 0, plus the state's carry) writes that digit, else ``_FAILED``, which
        leads to itself."""
        best = self.table.argmax(axis=1)
        writes = (best % 10)[:, None] == np.arange(10)
        lookup = np.full(2 * _FAILED, _FAILED, dtype=np.int64)
        lookup[:_FAILED] = np.where(writes, 10 * (best // 10)[:, None], _FAILED).ravel()
        return lookup

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
