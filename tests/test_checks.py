"""The shared argument checks (``lossylib.checks``): what each accepts, what it refuses, and
that every refusal is one line naming the parameter."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lossylib import checks

ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=3),
)


def _refusal(fn, *args, **kwargs) -> str | None:
    """The one-line message ``fn`` refuses with, or None if it accepts."""
    try:
        fn(*args, **kwargs)
    except ValueError as err:
        message = str(err)
        assert "\n" not in message, message
        return message
    return None


@given(ANYTHING, st.booleans())
def test_check_number_accepts_exactly_finite_reals_above_zero(value, zero) -> None:
    ok = (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and math.isfinite(value)
        and (value >= 0 if zero else value > 0)
    )
    message = _refusal(checks.check_number, value, "width", zero=zero)
    assert (message is None) == ok, (value, zero, message)
    if ok:
        assert checks.check_number(value, "width", zero=zero) == float(value)
    else:
        assert message.startswith("width must be a finite number")


@given(ANYTHING, st.integers(-3, 3))
def test_check_whole_accepts_exactly_integers_from_low(value, low) -> None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= low
    message = _refusal(checks.check_whole, value, "side", low)
    assert (message is None) == ok, (value, low, message)
    if not ok:
        assert message.startswith(f"side must be a whole number >= {low}")


@given(ANYTHING)
def test_check_int_and_check_whole_agree_on_what_they_accept(value) -> None:
    """Two wordings, one rule (the module docstring says why both exist)."""
    int_ok = _refusal(checks.check_int, value, "n", 1) is None
    whole_ok = _refusal(checks.check_whole, value, "n", 1) is None
    assert int_ok == whole_ok


def test_numpy_integers_count_as_whole_numbers() -> None:
    assert checks.check_whole(np.int64(3), "n", 1) == 3
    assert type(checks.check_int(np.prod((2, 3)), "n", 1)) is int


@given(ANYTHING, st.booleans())
def test_is_number_is_check_number_without_the_message(value, zero) -> None:
    accepted = _refusal(checks.check_number, value, "x", zero=zero) is None
    assert checks.is_number(value, 0, strict=not zero) == accepted


@pytest.mark.parametrize(
    ("value", "low", "high", "low_open", "message"),
    [
        (math.nan, 0, 1, False, "p must be finite, got nan"),
        (-0.5, 0, 1, False, r"p must be in \[0, 1\], got -0.5"),
        (0.0, 0, 1, True, r"p must be in \(0, 1\], got 0.0"),
        ("0.5", 0, 1, False, "p must be a number, got '0.5'"),
        (True, 0, 1, False, "p must be a number, got True"),
    ],
)
def test_check_real_names_the_bound_it_broke(value, low, high, low_open, message) -> None:
    with pytest.raises(ValueError, match=message):
        checks.check_real(value, "p", low=low, high=high, low_open=low_open)


def test_check_real_accepts_the_closed_ends() -> None:
    assert checks.check_real(1, "p", low=0, high=1) == 1.0
    assert checks.check_real(0, "p", low=0, high=1) == 0.0


@pytest.mark.parametrize("seed", [None, 0, 7, np.int64(3), [1, 2], (0,), np.array([4, 5])])
def test_check_seed_passes_what_numpy_takes(seed) -> None:
    assert checks.check_seed(seed) is seed
    np.random.default_rng(checks.check_seed(seed))  # numpy agrees


def test_check_seed_passes_numpy_generators_through() -> None:
    rng = np.random.default_rng(1)
    assert checks.check_seed(rng) is rng


@pytest.mark.parametrize("seed", [-1, 1.5, "abc", True, [], [1, -2], [1.0]])
def test_check_seed_refuses_the_rest(seed) -> None:
    message = _refusal(checks.check_seed, seed)
    assert message is not None and message.startswith("seed must be")


def test_check_size_refuses_above_the_limit_only() -> None:
    checks.check_size(checks.MAX_VALUES, "n")
    with pytest.raises(ValueError, match="n must be at most 100,000,000, got 100,000,001"):
        checks.check_size(checks.MAX_VALUES + 1, "n")


@given(st.text(), st.integers(10, 80))
def test_show_is_one_line_and_about_width(value, width) -> None:
    text = checks.show(value, width)
    assert "\n" not in text
    assert len(text) <= width


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ("12", "must be a tuple of generations"),
        ((1, 2.5), "must list integer generations, got 2.5"),
        ((0, 11), r"must list generations in 0..10, got \[11\]"),
    ],
)
def test_check_generation_list(values, message) -> None:
    with pytest.raises(ValueError, match=message):
        checks.check_generation_list(values, "show", 10)
    assert checks.check_generation_list([0, np.int64(10)], "show", 10) == (0, 10)


@given(st.lists(st.integers(-3, 12), max_size=12), st.integers(0, 6))
def test_check_indices_accepts_exactly_enough_distinct_positions(values, least) -> None:
    """Accepted: at least ``least`` distinct values in range(10), returned sorted; anything
    else is refused in one line that names the rule."""
    message = _refusal(checks.check_indices, values, 10, least)
    ok = len(values) >= least and len(set(values)) == len(values)
    ok = ok and all(0 <= v < 10 for v in values)
    if ok:
        assert message is None
        assert checks.check_indices(values, 10, least).tolist() == sorted(values)
    else:
        assert message is not None and message.startswith("indices must")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "1-d array of integers"),
        ([[1, 2]], "1-d array of integers"),
        ([[1], [1, 2]], "1-d array of integers"),
        ([0.5, 1.0], "1-d array of integers"),
        ([True, False], "1-d array of integers"),
        ([1], "at least 2 digits, got 1"),
        ([3, 10], r"in \[0, 9\], got 10"),
        ([-1, 3], r"in \[0, 9\], got -1"),
        ([4, 2, 4], "not repeat a digit, got 4 twice"),
    ],
)
def test_check_indices_names_the_rule_it_broke(value, message) -> None:
    with pytest.raises(ValueError, match=message):
        checks.check_indices(value, 10, 2)
