"""The "Tail loss" figures whose labels once sat on the data, drawn with the chapter's own
calls (chapters/tail-loss.md), clear to read (see ``tests/_figcheck.py``)."""

from __future__ import annotations

import pytest
from _figcheck import problems

from lossylib import collapse as co
from lossylib.claims import tail
from lossylib.collapse import figures
from lossylib.collapse.tempered import tempered_support


def _mode_panels():
    """Fig. fig-tail-mode, with the chapter's data."""
    ends = co.simulate_gaussian(n=20, generations=400, trials=4000, seed=5).means[:, -1]
    small = co.zipf(10)
    fixation = {}
    for temp in (0.8, 0.9, 1.0, 1.1):
        runs = co.refit_categorical(
            small, 30, 300, trials=1000, temperature=temp, keep=(300,), seed=6
        )
        fixation[str(temp)] = (runs.snapshots[300][:, 0] == 1).mean()
    return figures.mode_panels(ends, fixation, small[0])


def _tricks_panel():
    """Fig. fig-tail-tricks, with the chapter's data."""
    p, N = co.zipf(10_000), 100_000
    closed = {"temperature 0.9": tempered_support(p, N, 0.9, 40)}
    return figures.tricks_panel(tail.trick_runs(), closed)


def _figures():
    yield "mode_panels", _mode_panels()
    yield "tricks_panel", _tricks_panel()


@pytest.mark.parametrize("name", ["mode_panels", "tricks_panel"])
def test_figure_reads_clearly(drawn, name):
    assert problems(drawn[name]) == []
