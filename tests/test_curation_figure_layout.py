"""The line figures of "The limits of curation", drawn from the chapter's own runs, clear
to read (see ``tests/_figcheck.py``): no line on a label, a figure legend off the panels,
readable text, whole generations."""

from __future__ import annotations

import pytest
from _figcheck import COLUMN, problems, shown_width

from lossylib.claims import curation as cc
from lossylib.curation import figures


def _figures():
    # the very calls of the chapter's cells (a few seconds together)
    yield "regression_panel", figures.regression_panel(cc.regression_runs())
    yield "curation_panels", figures.curation_panels(cc.curation_runs())


@pytest.mark.parametrize("name", ["regression_panel", "curation_panels"])
def test_figure_reads_clearly(drawn, name):
    assert problems(drawn[name]) == []


def test_the_filters_figure_fits_the_text_column(drawn):
    """Shown at its own size (it was 932 px wide, scaled to 72% with its legend)."""
    assert shown_width(drawn["curation_panels"]) <= COLUMN


def test_the_filters_figure_has_one_legend_for_its_three_panels(drawn):
    fig = drawn["curation_panels"]
    assert len(fig.legends) == 1 and len(fig.legends[0].get_texts()) == 7
    assert all(ax.get_legend() is None for ax in fig.axes)
