"""The figures of "Narrow targets" whose legends sat on the data (Gao's curve, the digits
panels), drawn from the chapter's own data, clear to read (see ``tests/_figcheck.py``)."""

from __future__ import annotations

import pytest
from _figcheck import problems

from lossylib import proxy as px
from lossylib.claims import proxy as cp
from lossylib.proxy import figures, metrics


def _figures():
    # the chapter's calls (chapters/narrow-targets.md), so the test draws what readers see
    gao = {
        "normal error": px.gao_check(cp.RHO),
        "t(10) error": px.gao_check(cp.RHO, "t", 10.0),
        f"t({cp.DF:g}) error": px.gao_check(cp.RHO, "t", cp.DF),
    }
    yield "gao_panel", figures.gao_panel(gao)
    yield "digits_panels", figures.digits_panels(metrics.learning_curve(), cp.K)


@pytest.mark.parametrize("name", ["gao_panel", "digits_panels"])
def test_figure_reads_clearly(drawn, name):
    assert problems(drawn[name]) == []
