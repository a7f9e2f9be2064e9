"""The figures of "The complexity brake", drawn with the chapter's own calls, clear to read
(see ``tests/_figcheck.py``): no line or band on a legend entry, no labels on each other,
readable text, and no wider than the book's text column (so the browser does not shrink
them)."""

from __future__ import annotations

import pytest
from _figcheck import COLUMN, problems, shown_width

from lossylib.claims import brake
from lossylib.growth import experiments, figures


def _figures():
    # the calls of chapters/complexity-brake.md (about a second in all)
    yield "effort_figure", figures.effort_figure()
    yield "regime_figure", figures.regime_figure()
    yield "parallel_figure", figures.parallel_figure()
    yield "diversity_figure", figures.diversity_figure({6: experiments.diversity(6)})
    yield (
        "agents_figure",
        figures.agents_figure(brake.real_runs()),
    )


FIGURES = ["effort_figure", "regime_figure", "parallel_figure", "diversity_figure", "agents_figure"]


@pytest.mark.parametrize("name", FIGURES)
def test_figure_reads_clearly(drawn, name):
    assert problems(drawn[name]) == []


@pytest.mark.parametrize(
    "name", ["effort_figure", "regime_figure", "parallel_figure", "agents_figure"]
)
def test_figure_fits_the_text_column(drawn, name):
    """Shown at its own size: wider than the column, the browser would shrink its text."""
    assert shown_width(drawn[name]) <= COLUMN


def test_patents_figure_reads_clearly():
    """Its labels name points by arrows: the arrow that ends on its own point is not a
    line through the label."""
    import matplotlib.pyplot as plt

    fig = figures.patents_figure()
    try:
        assert len(fig.axes[0].texts) == 5  # the claimed peak, and four labelled years
        assert problems(fig) == []
    finally:
        plt.close(fig)
