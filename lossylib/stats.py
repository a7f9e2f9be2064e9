"""Mean and standard error over independent runs (seeds, trials, images).

One home for the plain standard error of a mean, which the claims modules and the
experiment packages all report beside their averages. Splits of one data set are not
independent runs: for those use :func:`lossylib.resampling.resampled_se`.

Examples
--------
>>> mean_se([1.0, 2.0, 3.0])
(2.0, 0.5773502691896258)
>>> standard_error([[1.0, 10.0], [3.0, 30.0]], axis=0).tolist()
[1.0, 10.0]
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["mean_se", "plus_minus", "standard_error"]


def standard_error(values: ArrayLike, axis: int | None = None) -> float | np.ndarray:
    """Standard error of the mean, ``std(ddof=1) / sqrt(n)``, over independent runs.

    Parameters
    ----------
    values : array_like
        One value per run (or an array with the runs along ``axis``).
    axis : int or None
        The axis the runs lie along; ``None`` flattens ``values`` and returns a float.

    Returns
    -------
    float or numpy.ndarray
        The standard error; ``0.0`` (or zeros) when there are fewer than two runs, since a
        single run has no spread to report. NaN values propagate.

    Examples
    --------
    >>> round(standard_error([2.0, 4.0]), 4)
    1.0
    >>> standard_error([5.0])
    0.0
    """
    v = np.asarray(values, dtype=float)
    n = v.size if axis is None else v.shape[axis]
    if n < 2:
        return 0.0 if axis is None else np.zeros(np.delete(v.shape, axis))
    se = v.std(axis=axis, ddof=1) / np.sqrt(n)
    return float(se) if axis is None else se


def mean_se(values: ArrayLike, axis: int | None = None) -> tuple:
    """Mean over independent runs and its standard error (see :func:`standard_error`).

    Examples
    --------
    >>> [round(x, 4) for x in mean_se([1.0, 2.0, 3.0])]
    [2.0, 0.5774]
    """
    v = np.asarray(values, dtype=float)
    mean = v.mean(axis=axis)
    return (float(mean) if axis is None else mean), standard_error(v, axis)


def plus_minus(mean: float, se: float, digits: int = 1) -> str:
    """``mean ± se`` for a table cell, with ``digits`` decimals for both.

    A standard error too small to show at that precision is not printed as "± 0.0",
    which would claim there was no spread: it is shown as "± <0.05" (for one decimal),
    and one that is exactly zero (every run agreed) as "± 0".

    Examples
    --------
    >>> plus_minus(81.63, 0.4)
    '81.6 ± 0.4'
    >>> plus_minus(81.63, 0.02)
    '81.6 ± <0.05'
    >>> plus_minus(200.0, 0.0)
    '200.0 ± 0'
    >>> plus_minus(3.14159, 0.0012, digits=3)
    '3.142 ± 0.001'
    """
    shown = f"{mean:.{digits}f} ± "
    if se == 0:
        return shown + "0"
    half_step = 0.5 * 10.0**-digits
    if se < half_step:
        return shown + f"<{half_step:g}"
    return shown + f"{se:.{digits}f}"
