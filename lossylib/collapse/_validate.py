"""Checks of the collapse models' distributions: one clear line per mistake.

The argument checks the whole library shares (integers, reals, seeds, sizes) are in
:mod:`lossylib.checks`.
"""

from __future__ import annotations

import numpy as np

from lossylib.checks import as_float_array, check_real

#: The most samples one generation may draw: counts stay exact in int64 and float64 even
#: when thousands of generations are pooled.
MAX_SAMPLES = 10**15


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
