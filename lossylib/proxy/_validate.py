"""Parameter checks shared by :mod:`lossylib.proxy`: one clear line per mistake.

The integer and real checks are those of :mod:`lossylib.collapse`; this module adds the
proxy's own (a correlation, an error distribution).

Examples
--------
>>> check_error("t", 5)
('t', 5.0)
>>> check_rho(1.5)
Traceback (most recent call last):
...
ValueError: rho must be in [-1.0, 1.0], got 1.5
"""

from __future__ import annotations

import math

from lossylib.collapse._validate import check_int, check_real

ERRORS = ("normal", "t")

__all__ = ["ERRORS", "check_error", "check_int", "check_real", "check_rho"]


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
