"""Parameter checks shared by the collapse models: one clear line per mistake."""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Integral, Real

import numpy as np

#: The most values (array entries) one call may ask for (10**8 float64 values: 800 MB).
MAX_VALUES = 10**8

#: The most samples one generation may draw: counts stay exact in int64 and float64 even
#: when thousands of generations are pooled.
MAX_SAMPLES = 10**15


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


def check_temperature(temperature: object) -> float:
    """A sampling temperature: finite and > 0."""
    return check_real(temperature, "temperature", low=0.0, low_open=True)


def check_probabilities(p: object, name: str = "p", atol: float = 1e-8) -> np.ndarray:
    """A 1-D probability vector: finite, non-negative, summing to one (within ``atol``)."""
    arr = as_float_array(p, name)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {arr.shape}")
    check_entries(arr, name)
    total = arr.sum()
    if abs(total - 1.0) > atol:
        raise ValueError(f"{name} must sum to one, sums to {total:.10g}")
    return arr / total


def check_entries(arr: np.ndarray, name: str) -> None:
    """Every entry finite and >= 0; the message shows the first offender."""
    bad, rule = ~np.isfinite(arr), "must not contain NaN or infinity"
    if not bad.any():
        bad, rule = arr < 0, "must be non-negative"
    if bad.any():
        i = np.unravel_index(np.argmax(bad), arr.shape)
        where = i[0] if arr.ndim == 1 else i
        raise ValueError(f"{name} {rule}, got {arr[i]} at index {where}")
