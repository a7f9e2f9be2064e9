"""generations_ahead: how far along a falling reference curve another loop stands."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lossylib.collapse import generations_ahead

PLAIN = np.array([100.0, 80.0, 60.0, 40.0, 20.0])


def test_a_value_on_the_curve_is_as_far_ahead_as_the_generation_it_is_reached():
    # 40 is reached at generation 3; a run at 40 at generation 1 is 2 ahead
    assert generations_ahead(PLAIN, 40.0, at=1).tolist() == [2.0]
    # between generations the crossing is interpolated
    assert generations_ahead(PLAIN, [70.0, 30.0], at=0).tolist() == [1.5, 3.5]


def test_behind_and_beyond_the_horizon():
    assert generations_ahead(PLAIN, 100.0, at=3).tolist() == [-3.0]  # at the start
    assert generations_ahead(PLAIN, 90.0, at=3).tolist() == [-2.5]
    assert generations_ahead(PLAIN, [19.0], at=1).tolist() == [math.inf]


def test_a_flat_stretch_counts_from_its_first_generation():
    ref = [10.0, 5.0, 5.0, 5.0, 1.0]
    assert generations_ahead(ref, 5.0, at=0).tolist() == [1.0]


def test_a_head_start_keeps_its_lead_and_a_faster_loop_gains():
    """On curves whose pace depends only on the level (here geometric), a loop that jumps
    ahead once and then follows the reference keeps the same lead at every generation;
    one that falls faster gains lead."""
    g = np.arange(200)
    ref = 1000 * 0.98**g
    jump = 1000 * 0.98 ** (g + 30)  # 30 generations ahead, then the same pace
    leads = [generations_ahead(ref, jump[t], at=int(t))[0] for t in (2, 20, 60)]
    assert leads == pytest.approx([30, 30, 30], abs=0.1)
    faster = 1000 * 0.96**g
    gains = [generations_ahead(ref, faster[t], at=int(t))[0] for t in (2, 20, 60)]
    assert gains[0] < gains[1] < gains[2]


@given(
    st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=30),
    st.floats(0, 1e6, allow_nan=False),
    st.integers(0, 50),
)
def test_the_crossing_lies_where_the_reference_passes_the_value(points, value, at):
    ref = np.sort(np.asarray(points))[::-1]  # any curve that never rises
    lead = generations_ahead(ref, value, at=at)[0]
    below = np.flatnonzero(ref <= value)
    if below.size == 0:
        assert lead == math.inf
        return
    first = int(below[0])  # the first whole generation at or below the value
    crossing = lead + at
    assert crossing == pytest.approx(0) if first == 0 else first - 1 <= crossing <= first


@pytest.mark.parametrize(
    ("reference", "values", "at", "message"),
    [
        ([3.0, 4.0, 1.0], 2.0, 0, "reference must never rise, rises at generation 1"),
        ([], 2.0, 0, "reference must be a non-empty 1-D curve"),
        ([[3.0, 1.0]], 2.0, 0, "reference must be a non-empty 1-D curve"),
        ([3.0, float("nan")], 2.0, 0, "reference must not contain NaN"),
        ("abc", 2.0, 0, "reference must be an array of numbers"),
        ([3.0, 1.0], float("nan"), 0, "values must not contain NaN"),
        ([3.0, 1.0], -1.0, 0, "values must be non-negative"),
        ([3.0, 1.0], None, 0, "values must be an array of numbers"),
        ([3.0, 1.0], 2.0, -1, "at must be >= 0, got -1"),
        ([3.0, 1.0], 2.0, 1.5, "at must be an integer, got 1.5"),
        ([3.0, 1.0], 2.0, True, "at must be an integer, got True"),
    ],
)
def test_bad_input_gets_one_clear_line(reference, values, at, message):
    with pytest.raises(ValueError) as err:
        generations_ahead(reference, values, at)
    assert message in str(err.value)
    assert "\n" not in str(err.value)
