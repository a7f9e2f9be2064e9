"""The line figures of "The limits of curation", drawn from the chapter's own runs: no data
line crosses a legend entry or a label, no two labels overlap, a legend placed on the
figure stays clear of every panel, all that text is readable, and generations are whole."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")

from _figcheck import fractional_ticks, overlapping_texts, text_crossings  # noqa: E402

from lossylib.claims import curation as cc  # noqa: E402
from lossylib.curation import figures  # noqa: E402

NAMES = ["regression_panel", "curation_panels"]


def _figures():
    # the very calls of the chapter's cells (a few seconds together)
    yield "regression_panel", figures.regression_panel(cc.regression_runs())
    yield "curation_panels", figures.curation_panels(cc.curation_runs())


@pytest.fixture(scope="module")
def drawn():
    import matplotlib.pyplot as plt

    out = dict(_figures())
    yield out
    for fig in out.values():
        plt.close(fig)


def _reader_texts(fig) -> list:
    """Legend entries (of the axes and of the figure) and annotations."""
    texts = [t for legend in fig.legends for t in legend.get_texts()]
    for ax in fig.axes:
        legend = ax.get_legend()
        texts += list(legend.get_texts()) if legend is not None else []
        texts += [t for t in ax.texts if t.get_visible() and t.get_text().strip()]
    return texts


@pytest.mark.parametrize("name", NAMES)
def test_labels_are_clear_of_the_data_and_of_each_other(drawn, name):
    fig = drawn[name]
    assert text_crossings(fig) == []
    assert overlapping_texts(fig) == []
    for ax in fig.axes:
        if ax.get_xlabel() == "generation":
            assert fractional_ticks(ax) == [], f"{name}: a generation tick is not whole"


@pytest.mark.parametrize("name", NAMES)
def test_figure_legends_stay_outside_the_panels(drawn, name):
    fig = drawn[name]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for legend in fig.legends:
        box = legend.get_window_extent(renderer)
        for ax in fig.axes:
            assert not box.overlaps(ax.get_tightbbox(renderer)), f"{name}: legend on a panel"
        entries = [(t.get_text(), t.get_window_extent(renderer)) for t in legend.get_texts()]
        for i, (a, box_a) in enumerate(entries):
            for b, box_b in entries[i + 1 :]:
                assert not box_a.overlaps(box_b), f"{name}: {a!r} overlaps {b!r}"


@pytest.mark.parametrize("name", NAMES)
def test_labels_are_readable(drawn, name):
    small = [t.get_text() for t in _reader_texts(drawn[name]) if t.get_fontsize() < 8]
    assert small == [], f"{name}: text under 8 pt"


def test_the_filters_figure_has_one_legend_for_its_three_panels(drawn):
    fig = drawn["curation_panels"]
    assert len(fig.legends) == 1
    assert all(ax.get_legend() is None for ax in fig.axes)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert sorted(labels) == sorted(label.split(" (")[0] for label in cc.CURATIONS)
