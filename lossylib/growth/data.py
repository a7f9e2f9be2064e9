"""The US patent and population series, loaded with checks, and patents per capita.

Both files ship in ``lossylib/data`` with their provenance (``lossylib/data/README.md``):
US utility patents granted per year, 1790-2015 (USPTO, compiled by Our World in Data) and
the US population, 1800-2100 (Gapminder and UN WPP 2017, compiled by Our World in Data).

Examples
--------
>>> years, per_million = patents_per_million()
>>> int(years[0]), int(years[-1])
(1800, 2015)
>>> round(float(per_million[years == 1916][0]))
421
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass
from importlib import resources
from numbers import Integral
from pathlib import Path

import numpy as np

from lossylib.growth.model import _positive, _show

#: The most years :func:`load_series` accepts in one series.
MAX_YEARS = 10_000
PATENTS_FILE = "us_patents_granted_1790_2015.csv"
POPULATION_FILE = "us_population_1800_2100.csv"
PATENTS_COLUMN = "Total patents granted"
POPULATION_COLUMN = "Population by country, historic and projections (Gapminder & UN)"


@dataclass(frozen=True)
class Series:
    """A yearly series: ``years`` (int array, consecutive) and ``values`` (float array)."""

    years: np.ndarray
    values: np.ndarray
    name: str
    source: str

    def at(self, year: int) -> float:
        """The value in ``year``, an integer (``KeyError`` if the series does not cover
        it)."""
        if isinstance(year, (bool, np.bool_)) or not isinstance(year, Integral):
            raise ValueError(f"year must be an integer, got {year!r}")
        i = int(year) - int(self.years[0])
        if not 0 <= i < len(self.years):
            raise KeyError(f"{self.name}: no value for {year} ({self.years[0]}-{self.years[-1]})")
        return float(self.values[i])


def _read_text(path: str | Path | None, default: str) -> tuple[str, str]:
    if path is None:
        return resources.files("lossylib").joinpath("data", default).read_text("utf-8"), default
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file path (str or Path), got {_show(path)}")
    path = Path(path)
    return path.read_text("utf-8"), str(path)


def _number(text: str, where: str, column: str, row: int) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(
            f"{where}: column {column!r} row {row} is not a number: {text!r}"
        ) from None
    if not math.isfinite(value):
        raise ValueError(f"{where}: column {column!r} row {row} is not finite: {text!r}")
    if value < 0:
        raise ValueError(f"{where}: column {column!r} row {row} is negative: {text!r}")
    return value


def load_series(
    path: str | Path | None, default: str, column: str, first_year: int, last_year: int
) -> Series:
    """Read ``Year`` and one number column from a CSV file, with checks.

    The years must run from ``first_year`` to ``last_year`` with none missing or repeated;
    the values must be non-negative numbers. Any problem raises a one-line ``ValueError``
    naming the file and the column.

    Parameters
    ----------
    path : str or Path, optional
        The CSV file; the copy shipped in ``lossylib/data`` if ``None``.
    default : str
        The name of the shipped file (also used in messages when ``path`` is ``None``).
    column : str
        The header of the number column to read.
    first_year, last_year : int
        The years the file must cover, inclusive (at most :data:`MAX_YEARS` of them).

    Examples
    --------
    >>> s = load_series(None, PATENTS_FILE, PATENTS_COLUMN, 1790, 2015)
    >>> s.at(1790)
    3.0
    """
    for name, year in (("first_year", first_year), ("last_year", last_year)):
        if isinstance(year, (bool, np.bool_)) or not isinstance(year, Integral):
            raise ValueError(f"{name} must be an integer, got {year!r}")
    if not 0 <= last_year - first_year < MAX_YEARS:
        span = f"{first_year} to {first_year + MAX_YEARS - 1}"
        raise ValueError(f"last_year must be from {span}, got {last_year}")
    text, where = _read_text(path, default)
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    for needed in ("Year", column):
        if needed not in header:
            raise ValueError(f"{where}: missing column {needed!r} (found {header})")
    years, values = [], []
    for row_number, row in enumerate(reader, start=2):
        year = _number((row["Year"] or "").strip(), where, "Year", row_number)
        if year != int(year):
            raise ValueError(f"{where}: column 'Year' row {row_number} is not a whole year")
        years.append(int(year))
        values.append(_number((row[column] or "").strip(), where, column, row_number))
    expected = list(range(first_year, last_year + 1))
    if years != expected:
        missing = sorted(set(expected) - set(years))
        unexpected = sorted(set(years) - set(expected))
        extra = len(years) - len(set(years))
        if missing:
            detail = f"missing {missing[:5]}"
        elif unexpected:
            detail = f"unexpected {unexpected[:5]}"
        else:
            detail = f"{extra} repeated or out of order"
        raise ValueError(
            f"{where}: column 'Year' must run {first_year}-{last_year} without gaps ({detail})"
        )
    return Series(np.array(years), np.array(values, dtype=float), column, where)


def load_patents(path: str | Path | None = None) -> Series:
    """US utility patents granted per year, 1790-2015 (USPTO via Our World in Data).

    Examples
    --------
    >>> load_patents().at(2015)
    298407.0
    """
    return load_series(path, PATENTS_FILE, PATENTS_COLUMN, 1790, 2015)


def load_population(path: str | Path | None = None) -> Series:
    """US population, 1800-2100 (Gapminder to 1949, UN WPP 2017 after; medium projection).

    Examples
    --------
    >>> load_population().at(1950)
    158804395.0
    """
    return load_series(path, POPULATION_FILE, POPULATION_COLUMN, 1800, 2100)


def per_capita(
    counts: Series, population: Series, per: float = 1e6
) -> tuple[np.ndarray, np.ndarray]:
    """``counts`` per ``per`` people over the years both series cover (both are
    :class:`Series`; ``per`` is a number > 0).

    Examples
    --------
    >>> years, rate = per_capita(load_patents(), load_population(), per=1000)
    >>> round(float(rate[years == 2015][0]), 2)
    0.93
    """
    for name, series in (("counts", counts), ("population", population)):
        if not isinstance(series, Series):
            got = _show(series)
            raise TypeError(f"{name} must be a Series (from load_series), got {got}")
    per = float(_positive("per", per, scalar=True))
    start = max(counts.years[0], population.years[0])
    end = min(counts.years[-1], population.years[-1])
    if start > end:
        raise ValueError(f"{counts.source} and {population.source} share no years")
    years = np.arange(start, end + 1)
    c = counts.values[years - counts.years[0]]
    p = population.values[years - population.years[0]]
    if np.any(p <= 0):
        raise ValueError(f"{population.source}: population must be positive to divide by")
    return years, c / p * per


def patents_per_million(
    patents_path: str | Path | None = None, population_path: str | Path | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The years 1800-2015 and US patents granted per million people in each.

    Examples
    --------
    >>> years, rate = patents_per_million()
    >>> int(years[np.argmax(np.where(years < 1960, rate, 0))])
    1916
    """
    return per_capita(load_patents(patents_path), load_population(population_path), per=1e6)
