"""The task family: adding two ``n``-digit numbers, with ``n`` as the difficulty level.

A problem of level ``n`` is a pair of numbers with exactly ``n`` digits each (no leading
zero, except that level 1 allows 0). Its answer is checkable by anyone who can add, which
is what makes it a fit for self-training with a verifier. Digits are stored least
significant first, the order in which a person (and the policy of
:mod:`lossylib.selftrain.policy`) works through a sum.

Examples
--------
>>> import numpy as np
>>> a, b = problems(3, 4, np.random.default_rng(0))
>>> a.shape, bool(np.all((a >= 100) & (a < 1000)))
((4,), True)
>>> to_digits(np.array([407]), 3).tolist()
[[7, 0, 4]]
>>> answer_digits(np.array([95]), np.array([17]), 2).tolist()
[[2, 1, 1]]
"""

from __future__ import annotations

import math

import numpy as np

from lossylib.checks import check_int

#: The largest level the int64 arithmetic here supports (two 17-digit numbers add safely).
MAX_LEVEL = 17
#: The most problems (or attempts, or worked examples) one call makes.
MAX_PROBLEMS = 1_000_000


def check_level(level: object, name: str = "level") -> int:
    """``level`` as an int in 1..:data:`MAX_LEVEL`, or a one-line ``ValueError``."""
    value = check_int(level, name, 1)
    if value > MAX_LEVEL:
        raise ValueError(f"{name} must be <= {MAX_LEVEL}, got {value}")
    return value


def check_count(count: object, name: str, minimum: int) -> int:
    """``count`` as an int in ``minimum``..:data:`MAX_PROBLEMS`, or a one-line error."""
    return check_int(count, name, minimum, MAX_PROBLEMS)


def check_rng(rng: object) -> np.random.Generator:
    """``rng`` if it is a numpy ``Generator``, or a one-line ``TypeError``."""
    if not isinstance(rng, np.random.Generator):
        kind = type(rng).__name__
        raise TypeError(f"rng must be a numpy Generator (default_rng), got {kind}")
    return rng


def _whole(x: object, name: str) -> np.ndarray:
    """``x`` as a 1-d int64 array of numbers >= 0, or a one-line error."""
    arr = np.asarray(x)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-d array, got shape {arr.shape}")
    if arr.size and arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integers, got dtype {arr.dtype}")
    if arr.size and arr.min() < 0:
        raise ValueError(f"{name} must be >= 0, got {arr.min()}")
    return arr.astype(np.int64)


def check_addends(a: object, b: object, level: int) -> tuple[np.ndarray, np.ndarray]:
    """Problems of ``level`` (checked first): 1-d integer arrays of one length, each
    number in 0..10**level - 1, or a one-line error."""
    a, b = _whole(a, "a"), _whole(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have one length, got {a.size} and {b.size}")
    for name, x in (("a", a), ("b", b)):
        if x.size and x.max() >= 10**level:
            raise ValueError(f"{name} must have at most {level} digits, got {x.max()}")
    return a, b


def problems(level: int, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``n`` random problems of ``level`` digits: the two arrays of addends
    (``n`` at most :data:`MAX_PROBLEMS`).

    Examples
    --------
    >>> a, b = problems(1, 5, np.random.default_rng(1))
    >>> bool(np.all(a <= 9) and np.all(b <= 9))
    True
    """
    level = check_level(level)
    n = check_count(n, "n", 0)
    check_rng(rng)
    return _draw_problems(addend_range(level), n, rng)


def _draw_problems(
    bounds: tuple[int, int], n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`problems` with addends from ``bounds`` (:func:`addend_range`), unchecked:
    for a caller that draws many batches of a level it has checked."""
    low, high = bounds
    return rng.integers(low, high, n), rng.integers(low, high, n)


def addend_range(level: int) -> tuple[int, int]:
    """The numbers :func:`problems` draws each addend of ``level`` from: ``low`` to
    ``high - 1``, i.e. every ``level``-digit number (no leading zero, except that level 1
    allows 0).

    Examples
    --------
    >>> addend_range(1), addend_range(3)
    ((0, 10), (100, 1000))
    """
    level = check_level(level)
    return (0 if level == 1 else 10 ** (level - 1)), 10**level


def column_digits(level: int) -> list[np.ndarray]:
    """The digits an addend of :func:`problems` at ``level`` can have in each column,
    least significant first (from :func:`addend_range`).

    Every addend has exactly ``level`` digits and each column's digit varies
    independently of the others (the range is a whole block of ``level``-digit
    numbers); the function checks that, so that a change to the generator that breaks
    it fails here instead of giving wrong counts downstream.

    Examples
    --------
    >>> [d.tolist() for d in column_digits(2)]
    [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 5, 6, 7, 8, 9]]
    """
    low, high = addend_range(level)
    found = []
    for i in range(level):
        first, last = low // 10**i, (high - 1) // 10**i  # x // 10**i over the range
        found.append(np.unique(np.arange(first, min(last, first + 9) + 1) % 10))
    if math.prod(d.size for d in found) != high - low:
        raise ValueError(f"the addends of level {level} do not vary column by column")
    return found


def to_digits(x: np.ndarray, width: int) -> np.ndarray:
    """The ``width`` lowest decimal digits of each number, least significant first.

    ``x`` is a 1-d array of integers >= 0 and ``width`` is 1 to ``MAX_LEVEL + 1``.

    Examples
    --------
    >>> to_digits(np.array([12, 5]), 3).tolist()
    [[2, 1, 0], [5, 0, 0]]
    """
    x = _whole(x, "x")
    width = check_int(width, "width", 1)
    if width > MAX_LEVEL + 1:
        raise ValueError(f"width must be <= {MAX_LEVEL + 1}, got {width}")
    powers = 10 ** np.arange(width, dtype=np.int64)
    return (x[:, None] // powers) % 10


def answer_digits(a: np.ndarray, b: np.ndarray, level: int) -> np.ndarray:
    """The ``level + 1`` digits of ``a + b`` (the last one is the final carry, 0 or 1),
    for problems of ``level`` (see :func:`check_addends`).

    Examples
    --------
    >>> answer_digits(np.array([5]), np.array([4]), 1).tolist()
    [[9, 0]]
    """
    level = check_level(level)
    a, b = check_addends(a, b, level)
    return to_digits(a + b, level + 1)
