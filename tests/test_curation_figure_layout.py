"""The figures of "The limits of curation", drawn from the chapter's own runs, clear to
read (see ``tests/_figcheck.py``): no line on a label, a figure legend off the panels,
readable text, whole generations, shown within the text column."""

from __future__ import annotations

import pytest
from _figcheck import COLUMN, problems, shown_width

from lossylib import curation as cu
from lossylib.claims import curation as cc
from lossylib.claims.jpeg import sample
from lossylib.curation import figures

NAMES = ["regression_panel", "curation_panels", "verifier_panels", "restoration_figure"]

#: The chapter's crop of the astronaut's face (left, top, right, bottom).
BOX = (96, 40, 176, 120)


def _figures():
    # the very calls of the chapter's cells (a few seconds together)
    yield (
        "regression_panel",
        figures.regression_panel(cc.regression_runs(), cc.regression_theories()),
    )
    yield "curation_panels", figures.curation_panels(cc.curation_runs())
    yield (
        "verifier_panels",
        figures.verifier_panels(cc.ERROR, cc.verifier_runs(), false_reject=cc.VERIFIER_REJECT),
    )
    g_end = cc.RESTORE_GENERATIONS
    astro = {
        r: cu.restoration_run(sample("astronaut"), r, g_end, keep=(0, g_end))
        for r in cu.RESTORATIONS
    }
    yield "restoration_figure", figures.restoration_figure(astro, g_end, box=BOX)


@pytest.mark.parametrize("name", NAMES)
def test_figure_reads_clearly(drawn, name):
    assert problems(drawn[name]) == []


@pytest.mark.parametrize("name", ["verifier_panels", "restoration_figure"])
def test_the_wide_figures_fit_the_text_column(drawn, name):
    """Shown at their own size (they were 874 and 896 px wide, scaled to 75-77%)."""
    assert shown_width(drawn[name]) <= COLUMN


def test_the_restored_crops_keep_whole_screen_pixels(drawn):
    """Each crop pixel is 2 x 2 screen pixels (nearest neighbour, not rescaled)."""
    fig = drawn["restoration_figure"]
    fig.canvas.draw()
    shown = [ax for ax in fig.axes if ax.get_images()]
    assert len(shown) == 6
    for ax in shown:
        box = ax.get_window_extent()
        assert box.width == pytest.approx(2 * (BOX[2] - BOX[0]), abs=1e-6)
        assert box.height == pytest.approx(2 * (BOX[3] - BOX[1]), abs=1e-6)


def test_the_filters_figure_fits_the_text_column(drawn):
    """Shown at its own size (it was 932 px wide, scaled to 72% with its legend)."""
    assert shown_width(drawn["curation_panels"]) <= COLUMN


def test_the_filters_figure_has_one_legend_for_its_three_panels(drawn):
    fig = drawn["curation_panels"]
    assert len(fig.legends) == 1 and len(fig.legends[0].get_texts()) == 7
    assert all(ax.get_legend() is None for ax in fig.axes)


def test_the_two_orange_filter_lines_differ_in_dash(drawn):
    """'drop 5%' (vermillion) and the noisy verifier (orange) were told apart by colour
    alone; they now differ in line style too, in every panel and in the legend."""
    fig = drawn["curation_panels"]
    for ax in fig.axes:
        by_label = {ln.get_label(): ln for ln in ax.get_lines()}
        drop, noisy = by_label["drop 5% least likely"], by_label["noisy verifier"]
        assert drop.get_linestyle() != noisy.get_linestyle()
    legend = {
        t.get_text(): h
        for t, h in zip(fig.legends[0].get_texts(), fig.legends[0].legend_handles, strict=True)
    }
    assert legend["drop 5% least likely"].get_linestyle() != (
        legend["noisy verifier"].get_linestyle()
    )


def test_the_regression_log_axis_is_labelled_between_the_decades(drawn):
    ax = drawn["regression_panel"].axes[0]
    ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
    assert {2, 5, 20} <= set(ticks)
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert {"2", "5", "20"} <= set(labels)


def test_the_crops_name_the_denoise_in_full(drawn):
    titles = [ax.get_title() for ax in drawn["restoration_figure"].axes if ax.get_title()]
    assert any(t.startswith("total-variation denoise\n") for t in titles)
    assert not any(t.lower().startswith("tv ") for t in titles)
