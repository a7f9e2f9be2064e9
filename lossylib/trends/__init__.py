"""Fifty years of microprocessors, and growth curves, for the conclusion chapter."""

from lossylib.trends.data import SERIES, Growth, growth_fit, growth_rate, load_series

__all__ = ["SERIES", "Growth", "growth_fit", "growth_rate", "load_series"]
