"""Fifty years of microprocessors, and growth curves, for the conclusion chapter.

Examples
--------
>>> years, counts = load_series("transistors")
>>> bool(years.min() < 1975 and years.max() > 2020 and counts.min() > 0)
True
>>> round(growth_rate("transistors", 1971, 2000), 2)  # about 36% a year
0.36
"""

from lossylib.trends.data import SERIES, Growth, growth_fit, growth_rate, load_series

__all__ = ["SERIES", "Growth", "growth_fit", "growth_rate", "load_series"]
