"""The figures of "Narrow targets" whose legends sat on the data (Gao's curve, the digits
panels), drawn from the chapter's own data: no line crosses a legend entry, and no two
entries overlap."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")

from _figcheck import overlapping_texts, text_crossings  # noqa: E402

from lossylib import proxy as px  # noqa: E402
from lossylib.claims import proxy as cp  # noqa: E402
from lossylib.proxy import figures, metrics  # noqa: E402


def _figures():
    # the chapter's calls (chapters/narrow-targets.md), so the test draws what readers see
    gao = {
        "normal error": px.gao_check(cp.RHO),
        "t(10) error": px.gao_check(cp.RHO, "t", 10.0),
        f"t({cp.DF:g}) error": px.gao_check(cp.RHO, "t", cp.DF),
    }
    yield "gao_panel", figures.gao_panel(gao)
    yield "digits_panels", figures.digits_panels(metrics.learning_curve(), cp.K)


@pytest.fixture(scope="module")
def drawn():
    import matplotlib.pyplot as plt

    out = dict(_figures())
    yield out
    for fig in out.values():
        plt.close(fig)


@pytest.mark.parametrize("name", ["gao_panel", "digits_panels"])
def test_labels_are_clear_of_the_data_and_of_each_other(drawn, name):
    fig = drawn[name]
    # the legend stays on an axes (not the figure), where the checks below can see it
    assert sum(ax.get_legend() is not None for ax in fig.axes) == 1, name
    assert text_crossings(fig) == []
    assert overlapping_texts(fig) == []
