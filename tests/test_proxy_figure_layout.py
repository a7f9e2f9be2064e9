"""The figures of "Narrow targets", drawn from the chapter's own data: clear to read (see
``tests/_figcheck.py``) and no wider than the book's text column, so that the browser
shows them at their own size, text included."""

from __future__ import annotations

import numpy as np
import pytest
from _figcheck import COLUMN, problems, shown_width

from lossylib import proxy as px
from lossylib.claims import proxy as cp
from lossylib.proxy import figures

NAMES = [
    "gao_panel",
    "selection_panels",
    "search_panels",
    "emergence_panels",
    "digits_panels",
    "falls_panel",
    "shift_panel",
]


def _figures():
    # the chapter's calls (chapters/narrow-targets.md), so the test draws what readers see
    gao = {
        "normal error": px.gao_check(cp.RHO),
        "t(10) error": px.gao_check(cp.RHO, "t", 10.0),
        f"t({cp.DF:g}) error": px.gao_check(cp.RHO, "t", cp.DF),
    }
    yield "gao_panel", figures.gao_panel(gao)
    sel = cp.selection_runs()
    yield "selection_panels", figures.selection_panels(sel, cp.RHO, cp.DF, cp.N_MAX)
    runs = cp.research_runs()
    shown = {k: runs[k] for k in ("random search", "hill climb")}
    yield "search_panels", figures.search_panels(shown)
    # the chapter's compute grid and answer lengths (the figure computes the curves)
    yield "emergence_panels", figures.emergence_panels(np.logspace(18, 26, 161), cp.EMERGENCE_KS)
    lc = cp.value_curve()
    yield "digits_panels", figures.digits_panels(lc, cp.K, fit=cp.MAP_FIT)
    yield "falls_panel", figures.falls_panel(lc)
    yield "shift_panel", figures.shift_panel(lc, fit=cp.MAP_FIT)


@pytest.mark.parametrize("name", NAMES)
def test_figure_reads_clearly(drawn, name):
    assert problems(drawn[name]) == []


@pytest.mark.parametrize("name", NAMES[1:])
def test_figure_fits_the_text_column(drawn, name):
    assert shown_width(drawn[name]) <= COLUMN
