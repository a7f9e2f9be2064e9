"""The figures of "The complexity brake", drawn with the chapter's own calls, clear to read
(see ``tests/_figcheck.py``): no line or band on a legend entry, no labels on each other,
readable text."""

from __future__ import annotations

import pytest
from _figcheck import problems

from lossylib.growth import experiments, figures


def _figures():
    # the calls of chapters/complexity-brake.md (a fraction of a second in all)
    yield "effort_figure", figures.effort_figure()
    yield "parallel_figure", figures.parallel_figure()
    yield "diversity_figure", figures.diversity_figure({6: experiments.diversity(6)})


@pytest.mark.parametrize("name", ["effort_figure", "parallel_figure", "diversity_figure"])
def test_figure_reads_clearly(drawn, name):
    assert problems(drawn[name]) == []


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
