"""The five microprocessor series (Rupp 2022), loaded with checks, and growth by era.

The files ship unchanged in ``lossylib/trends/data`` with their licence (CC BY 4.0) and
provenance (``lossylib/trends/data/README.md``).

Examples
--------
>>> years, values = load_series("transistors")
>>> years.dtype, bool(years.min() < 1972), bool(values.max() > 1e7)
(dtype('float64'), True, True)
>>> round(growth_rate("specint", 1985, 2004), 2)
0.45
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources

import numpy as np
from scipy import stats

from lossylib.checks import check_real

#: Each series: file name, what it measures, its unit.
SERIES = {
    "transistors": ("transistors.dat", "transistors per chip", "thousands"),
    "specint": ("specint.dat", "single-thread performance", "SPECint x 1000"),
    "frequency": ("frequency.dat", "clock frequency", "MHz"),
    "watts": ("watts.dat", "typical power", "W"),
    "cores": ("cores.dat", "logical cores", "cores"),
}


def _check_name(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"series name must be a string, got {type(name).__name__}")
    if name not in SERIES:
        raise ValueError(f"unknown series {name!r}; choose one of {', '.join(SERIES)}")
    return name


def parse_dat(text: str, where: str = "<text>") -> tuple[np.ndarray, np.ndarray]:
    """Parse the source's format: a decimal year and a value a line, ``#`` comments.

    Rows are returned sorted by year (stable, so ties keep the file's order). Any line
    that is not two finite numbers, or a value that is not positive, raises a one-line
    ``ValueError`` naming the line; ``text`` that is not a string raises ``TypeError``.

    Examples
    --------
    >>> parse_dat("# a comment\\n1971.5 2.3\\n####\\n1970 1\\n")
    (array([1970. , 1971.5]), array([1. , 2.3]))
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    years, values = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        try:
            year, value = (float(p) for p in parts) if len(parts) == 2 else (None, None)
        except ValueError:
            year = value = None
        if year is None or not (math.isfinite(year) and math.isfinite(value)):
            raise ValueError(f"{where} line {number}: expected 'year value', got {line!r}")
        if value <= 0:
            raise ValueError(f"{where} line {number}: value must be positive, got {value!r}")
        years.append(year)
        values.append(value)
    if not years:
        raise ValueError(f"{where}: no data lines")
    y, v = np.array(years), np.array(values)
    order = np.argsort(y, kind="stable")
    return y[order], v[order]


def load_series(name: str) -> tuple[np.ndarray, np.ndarray]:
    """``(years, values)`` of one shipped series as float arrays, sorted by year.

    Parameters
    ----------
    name : str
        ``"transistors"``, ``"specint"``, ``"frequency"``, ``"watts"`` or ``"cores"``
        (units in :data:`SERIES`).

    Examples
    --------
    >>> years, values = load_series("specint")
    >>> len(years) == len(values), bool(np.all(np.diff(years) >= 0))
    (True, True)
    """
    filename = SERIES[_check_name(name)][0]
    text = resources.files("lossylib.trends").joinpath("data", filename).read_text("utf-8")
    return parse_dat(text, filename)


@dataclass(frozen=True)
class Growth:
    """A log-linear fit: annual growth ``rate`` (a fraction) with a confidence interval."""

    name: str
    start: float
    end: float
    rate: float
    low: float
    high: float
    points: int
    level: float


def _window(name: str, start: float, end: float) -> tuple[np.ndarray, np.ndarray]:
    for label, x in (("start", start), ("end", end)):
        if isinstance(x, bool) or not isinstance(x, int | float | np.number):
            raise TypeError(f"{label} must be a number, got {type(x).__name__}")
        if not math.isfinite(x):
            raise ValueError(f"{label} must be finite, got {x!r}")
    if not start < end:
        raise ValueError(f"empty range: start ({start}) must be below end ({end})")
    years, values = load_series(name)
    keep = (years >= start) & (years < end)
    if keep.sum() < 3 or np.ptp(years[keep]) == 0:
        raise ValueError(
            f"{name}: {int(keep.sum())} points in {start} <= year < {end}, need 3 over >1 year"
        )
    return years[keep], values[keep]


def growth_fit(name: str, start: float, end: float, level: float = 0.95) -> Growth:
    """Annual growth of a series over ``start <= year < end`` with a ``level`` interval.

    Fits log(value) = a + b year by least squares; the growth is exp(b) - 1 and the
    interval is the t interval of the slope, mapped the same way.

    Examples
    --------
    >>> g = growth_fit("transistors", 1971, 2004)
    >>> bool(g.low < g.rate < g.high)
    True
    """
    check_real(level, "level")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    years, values = _window(name, start, end)
    logs = np.log(values)
    if np.ptp(logs) == 0:  # a constant series: no growth, and no doubt about it
        return Growth(name, start, end, 0.0, 0.0, 0.0, len(years), level)
    fit = stats.linregress(years, logs)
    half = stats.t.ppf(0.5 + level / 2, len(years) - 2) * fit.stderr
    rate, low, high = np.expm1([fit.slope, fit.slope - half, fit.slope + half])
    return Growth(name, start, end, float(rate), float(low), float(high), len(years), level)


def growth_rate(name: str, start: float, end: float) -> float:
    """Annual growth as a fraction (0.45 for 45% a year) over ``start <= year < end``.

    From a least-squares fit of log(value) on year; see :func:`growth_fit` for its
    confidence interval.

    Examples
    --------
    >>> round(growth_rate("transistors", 2005, 2022), 2)
    0.41
    """
    return growth_fit(name, start, end).rate
