"""The conclusion's figures, the front page's headline figure among them, drawn from the
chapter's own calls, clear to read (see ``tests/_figcheck.py``)."""

from __future__ import annotations

import pytest
from _figcheck import COLUMN, problems, shown_width

from lossylib.claims import conclusion as cc
from lossylib.trends import figures

NAMES = ["headline", "growth_by_era", "synthetic_prefixes", "real_prefixes", "loop_regimes"]


def _figures():
    # the chapter's calls (chapters/conclusion.md, and intro.md for the headline)
    yield "headline", figures.headline()
    yield "growth_by_era", figures.growth_by_era()
    yield "synthetic_prefixes", figures.synthetic_prefixes()
    yield "real_prefixes", figures.real_prefixes()
    yield (
        "loop_regimes",
        figures.loop_regimes(cc.loop_inputs()[0], cc.AUTOMATION, cc.HORIZONS, cc.loop_horizons()),
    )


@pytest.mark.parametrize("name", NAMES)
def test_figure_reads_clearly(drawn, name):
    assert problems(drawn[name]) == []


@pytest.mark.parametrize("name", ["synthetic_prefixes", "real_prefixes", "loop_regimes"])
def test_figure_fits_the_text_column(drawn, name):
    """Shown at its own size: wider than the column, the browser would shrink its text."""
    assert shown_width(drawn[name]) <= COLUMN
