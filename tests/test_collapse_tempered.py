"""The closed form for refitting below temperature 1, against exact algebra and simulation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lossylib import collapse as co
from lossylib.collapse.tempered import tempered, tempered_support


@given(
    st.integers(2, 50),
    st.floats(0.3, 1.5),
    st.integers(0, 8),
    st.floats(0.5, 2.0),
)
@settings(max_examples=40, deadline=None)
def test_tempered_zipf_is_zipf_with_a_geometric_exponent(size, temperature, g, s):
    path = tempered(co.zipf(size, exponent=s), temperature, g)
    assert np.allclose(path[g], co.zipf(size, exponent=s / temperature**g), atol=1e-12)
    assert np.allclose(path.sum(axis=1), 1)


def test_tempered_one_step_is_sharpen():
    p = co.zipf(30)
    assert np.allclose(tempered(p, 0.7, 1)[1], co.sharpen(p, temperature=0.7))


def test_tempered_keeps_zeros():
    path = tempered(np.array([0.5, 0.0, 0.5]), 0.5, 3)
    assert (path[:, 1] == 0).all()


def test_tempered_support_matches_simulation_when_cold():
    p, n = co.zipf(2000), 20_000
    closed = tempered_support(p, n, 0.8, 15)
    runs = co.refit_categorical(p, n, 15, trials=6, temperature=0.8, seed=21)
    sim = runs.support.mean(axis=0)
    se = runs.support.std(axis=0, ddof=1) / np.sqrt(6) + 1
    # generation 1 samples the real distribution: exact in expectation
    assert abs(closed[1] - sim[1]) < 4 * se[1]
    # late generations: the sharpening dominates, the closed form is close
    assert abs(closed[-1] - sim[-1]) <= max(2.0, 0.3 * sim[-1])
    assert closed[0] == 2000 and np.all(np.diff(closed) <= 1e-9)


def test_tempered_rejects_bad_input():
    with pytest.raises(ValueError):
        tempered(np.array([0.5, 0.6]), 0.9, 2)
    with pytest.raises(ValueError):
        tempered(co.zipf(5), 0.0, 2)
    with pytest.raises(ValueError):
        tempered_support(co.zipf(5), 0, 0.9, 2)
