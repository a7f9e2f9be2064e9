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
    small = co.zipf(tail.MODE_VOCAB)
    return figures.mode_panels(tail.collapsed_means(), tail.mode_fixation(), small[0])


def _tricks_panel():
    """Fig. fig-tail-tricks, with the chapter's data."""
    closed = {"temperature 0.9": tempered_support(co.zipf(tail.VOCAB), tail.SAMPLES, 0.9, 40)}
    return figures.tricks_panel(tail.trick_runs(), closed)


def _figures():
    yield "mode_panels", _mode_panels()
    yield "tricks_panel", _tricks_panel()


@pytest.mark.parametrize("name", ["mode_panels", "tricks_panel"])
def test_figure_reads_clearly(drawn, name):
    assert problems(drawn[name]) == []
