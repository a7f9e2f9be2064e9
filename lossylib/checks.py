"""Argument checks shared by the whole library: one clear line per mistake.

Each check returns the value it accepts (as a plain ``int`` or ``float`` where that
helps) or raises ``ValueError`` with one line that names the parameter and shows what it
got. Two wordings coexist, each kept where callers and tests already rely on it:
:func:`check_int` and :func:`check_real` ("must be an integer", "must be in [0, 1]") for
the models, :func:`check_whole` and :func:`check_number` ("must be a whole number >= 1",
"must be a finite number > 0") for the image and figure modules.

Examples
--------
>>> check_int(3, "generations", 1)
3
>>> check_real(0.5, "p", low=0, high=1)
0.5
>>> check_number(-1, "width")
Traceback (most recent call last):
...
ValueError: width must be a finite number > 0, got -1
>>> show("a long text " * 10, width=20)
"'a long text a lo..."
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Integral, Real

import numpy as np

#: The most values (array entries) one call may ask for (10**8 float64 values: 800 MB).
MAX_VALUES = 10**8


def show(value: object, width: int = 60) -> str:
    """``repr(value)`` on one line, cut to about ``width`` characters (for messages)."""
    text = " ".join(repr(value).split())
    return text if len(text) <= width else text[: width - 3] + "..."


def check_int(
    value: object,
    name: str,
    minimum: int,
    maximum: int | None = None,
) -> int:
    """``value`` as an int, or ``ValueError`` if it is not an integer >= ``minimum``
    (and <= ``maximum``, if given)."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return int(value)


def check_real(
    value: object,
    name: str,
    *,
    low: float = -math.inf,
    high: float = math.inf,
    low_open: bool = False,
) -> float:
    """``value`` as a finite float in ``[low, high]`` (``(low, high]`` if ``low_open``)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    too_low = value <= low if low_open else value < low
    if too_low or value > high:
        bracket = "(" if low_open else "["
        raise ValueError(f"{name} must be in {bracket}{low}, {high}], got {value}")
    return value


def check_bool(value: object, name: str) -> bool:
    """A flag: ``True`` or ``False`` (not 0, 1 or a string)."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_size(count: int, what: str) -> None:
    """Refuse to allocate more than :data:`MAX_VALUES` values; ``what`` names the
    product of parameters, e.g. ``"trials * (generations + 1)"``."""
    if count > MAX_VALUES:
        raise ValueError(f"{what} must be at most {MAX_VALUES:,}, got {count:,}")


def check_seed(seed: object) -> object:
    """A seed for ``np.random.default_rng``: None, an integer >= 0, a non-empty sequence
    of them, or a numpy ``Generator``, ``BitGenerator`` or ``SeedSequence``."""
    random = np.random
    if seed is None or isinstance(
        seed, (random.Generator, random.BitGenerator, random.SeedSequence)
    ):
        return seed

    def whole(v: object) -> bool:
        return not isinstance(v, (bool, np.bool_)) and isinstance(v, Integral)

    if whole(seed):
        if seed < 0:
            raise ValueError(f"seed must be >= 0, got {seed}")
        return seed
    if isinstance(seed, (list, tuple, np.ndarray)):
        items = list(np.ravel(seed)) if isinstance(seed, np.ndarray) else list(seed)
        if items and all(whole(v) and v >= 0 for v in items):
            return seed
    raise ValueError(f"seed must be None or an integer >= 0, got {seed!r}")


def as_float_array(value: object, name: str) -> np.ndarray:
    """``value`` as a float array, or ``ValueError`` naming ``name`` if it is not."""
    if value is None or isinstance(value, (str, bytes)):
        raise ValueError(f"{name} must be an array of numbers, got {value!r}")
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of numbers, got {value!r}") from None


def check_generation_list(values: object, name: str, last: int) -> tuple[int, ...]:
    """A collection of generations, each an integer in ``0..last``."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise ValueError(f"{name} must be a tuple of generations, got {values!r}")
    values = tuple(values)
    for g in values:
        if isinstance(g, bool) or not isinstance(g, Integral):
            raise ValueError(f"{name} must list integer generations, got {g!r}")
    bad = [g for g in values if not 0 <= g <= last]
    if bad:
        raise ValueError(f"{name} must list generations in 0..{last}, got {bad}")
    return tuple(int(g) for g in values)


def is_number(value: object, minimum: float, strict: bool) -> bool:
    """Whether ``value`` is a finite real number (not a bool) >= ``minimum``, or >
    ``minimum`` if ``strict``."""
    return (
        not isinstance(value, bool)
        and isinstance(value, Real)
        and math.isfinite(value)
        and (value > minimum if strict else value >= minimum)
    )


def check_number(value: object, name: str, *, zero: bool = False) -> float:
    """``value`` as a float: a finite number > 0 (>= 0 if ``zero``)."""
    if not is_number(value, 0, strict=not zero):
        bound = ">= 0" if zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}")
    return float(value)


def check_whole(value: object, name: str, low: int) -> int:
    """``value`` as an int: a whole number (Python or numpy integer, not a bool) >= ``low``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        raise ValueError(f"{name} must be a whole number >= {low}, got {value!r}")
    return int(value)


def check_indices(indices: object, n: int, least: int, item: str = "digit") -> np.ndarray:
    """``indices`` as a sorted int64 array of at least ``least`` distinct positions in
    ``range(n)``, or a one-line ValueError that says which rule it broke.

    Examples
    --------
    >>> check_indices([3, 1, 2], n=10, least=2).tolist()
    [1, 2, 3]
    >>> check_indices([1, 1, 2], n=10, least=2)
    Traceback (most recent call last):
    ...
    ValueError: indices must not repeat a digit, got 1 twice
    """
    try:
        a = np.asarray(indices)
    except (ValueError, TypeError):  # ragged lists, say
        a = None
    if a is None or a.ndim != 1 or (a.dtype.kind not in "iu" and a.size):
        raise ValueError(f"indices must be a 1-d array of integers, got {show(indices)}")
    if a.size < least:
        raise ValueError(f"indices must hold at least {least} {item}s, got {a.size}")
    a = np.sort(a)
    if a.size and (a[0] < 0 or a[-1] >= n):
        bad = a[0] if a[0] < 0 else a[-1]
        raise ValueError(f"indices must be in [0, {n - 1}], got {bad}")
    a = a.astype(np.int64)
    repeated = a[1:][np.diff(a) == 0]
    if repeated.size:
        raise ValueError(f"indices must not repeat a {item}, got {repeated[0]} twice")
    return a
