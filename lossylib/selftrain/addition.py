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

import numpy as np

from lossylib.collapse._validate import check_int

#: The largest level the int64 arithmetic here supports (two 17-digit numbers add safely).
MAX_LEVEL = 17


def check_level(level: object, name: str = "level") -> int:
    """``level`` as an int in 1..:data:`MAX_LEVEL`, or a one-line ``ValueError``."""
    value = check_int(level, name, 1)
    if value > MAX_LEVEL:
        raise ValueError(f"{name} must be <= {MAX_LEVEL}, got {value}")
    return value


def problems(level: int, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``n`` random problems of ``level`` digits: the two arrays of addends.

    Examples
    --------
    >>> a, b = problems(1, 5, np.random.default_rng(1))
    >>> bool(np.all(a <= 9) and np.all(b <= 9))
    True
    """
    level = check_level(level)
    n = check_int(n, "n", 0)
    low = 0 if level == 1 else 10 ** (level - 1)
    high = 10**level
    return rng.integers(low, high, n), rng.integers(low, high, n)


def to_digits(x: np.ndarray, width: int) -> np.ndarray:
    """The ``width`` lowest decimal digits of each number, least significant first.

    Examples
    --------
    >>> to_digits(np.array([12, 5]), 3).tolist()
    [[2, 1, 0], [5, 0, 0]]
    """
    x = np.asarray(x, dtype=np.int64)
    powers = 10 ** np.arange(width, dtype=np.int64)
    return (x[:, None] // powers) % 10


def answer_digits(a: np.ndarray, b: np.ndarray, level: int) -> np.ndarray:
    """The ``level + 1`` digits of ``a + b`` (the last one is the final carry, 0 or 1).

    Examples
    --------
    >>> answer_digits(np.array([5]), np.array([4]), 1).tolist()
    [[9, 0]]
    """
    return to_digits(np.asarray(a) + np.asarray(b), level + 1)
