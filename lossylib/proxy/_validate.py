"""Parameter checks shared by :mod:`lossylib.proxy`: one clear line per mistake.

The integer and real checks are those of :mod:`lossylib.collapse`; this module adds the
proxy's own (a correlation, an error distribution, a bounded count, an array of
numbers).

Examples
--------
>>> check_error("t", 5)
('t', 5.0)
>>> check_rho(1.5)
Traceback (most recent call last):
...
ValueError: rho must be in [-1.0, 1.0], got 1.5
>>> check_count(10**20, "n", 1)
Traceback (most recent call last):
...
ValueError: n must be <= 1000000000000000000, got 100000000000000000000
"""

from __future__ import annotations

import math

import numpy as np

from lossylib.checks import check_int, check_real, show

ERRORS = ("normal", "t")

#: The largest count (of candidates, attempts, tokens) the theory functions accept: the
#: n grid is int64 up to here, and float arithmetic on n stays meaningful.
MAX_COUNT = 10**18

__all__ = [
    "ERRORS",
    "MAX_COUNT",
    "check_array",
    "check_count",
    "check_error",
    "check_int",
    "check_real",
    "check_rho",
    "show",
]


def check_count(
    value: object,
    name: str,
    minimum: int,
    maximum: int = MAX_COUNT,
) -> int:
    """An integer in [``minimum``, ``maximum``] (:func:`check_int` with a ceiling)."""
    return check_int(value, name, minimum, maximum)


def check_array(value: object, name: str) -> np.ndarray:
    """Numbers (a scalar or an array of any shape) as a float array: not strings,
    booleans, ``None`` or ragged lists."""
    try:
        arr = np.asarray(value)
    except ValueError:  # a ragged nested list
        got = show(value)
        raise ValueError(f"{name} must be an array of numbers, got {got}") from None
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"{name} must be numbers, got {show(value)}")
    return arr.astype(float)


def check_rho(rho: object) -> float:
    """A correlation: a finite number in [-1, 1]."""
    return check_real(rho, "rho", low=-1.0, high=1.0)


def check_error(error: object, df: object) -> tuple[str, float | None]:
    """An error distribution name and its degrees of freedom (``t`` needs finite df > 2)."""
    if error not in ERRORS:
        raise ValueError(f"error must be one of {ERRORS}, got {error!r}")
    if error == "normal":
        if df is not None:
            raise ValueError(f"df is only used with error='t', got df={df!r} with 'normal'")
        return "normal", None
    if df is None:
        raise ValueError("error='t' needs df (degrees of freedom > 2)")
    value = check_real(df, "df", low=2.0, low_open=True)
    if math.isinf(value):  # pragma: no cover - check_real already rejects infinity
        raise ValueError("df must be finite")
    return "t", value
