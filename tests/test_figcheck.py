"""The figure checks themselves (``tests/_figcheck.py``): each finds what it is for on a
made-up figure, and a clean figure passes all of them."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from _figcheck import crowded_ticks, problems, small_texts, text_crossings

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture
def figure():
    made = []

    def make(*args, **kwargs):
        # no layout engine, whatever style an earlier test left: the panels stay where
        # each test puts them
        fig, axes = plt.subplots(*args, layout="none", **kwargs)
        made.append(fig)
        return fig, axes

    yield make
    for fig in made:
        plt.close(fig)


def test_a_clean_figure_passes(figure):
    fig, ax = figure(figsize=(5, 3))
    x = np.linspace(0, 10, 50)
    ax.plot(x, x, label="rising")
    ax.legend(loc="upper left", fontsize=9)
    ax.annotate("the end", (10, 10), xytext=(5, 2), arrowprops={"arrowstyle": "-"})
    ax.set_xlabel("generation")
    assert problems(fig) == []


def test_a_line_through_a_legend_entry_is_found(figure):
    fig, ax = figure(figsize=(5, 3))
    ax.plot([0, 10], [0, 10], label="one")
    ax.plot([0, 10], [9.5, 9.5], label="flat near the top")
    ax.legend(loc="upper left", fontsize=9)
    assert any("is crossed by 'flat near the top'" in p for p in text_crossings(fig))


def test_an_annotation_is_crossed_by_a_line_not_by_its_arrow(figure):
    fig, ax = figure(figsize=(5, 3))
    ax.plot([0, 10], [0, 10], label="data")
    ax.plot([5], [5], "o", label="the point")
    ax.annotate("named", (5, 5), xytext=(7, 2), fontsize=9, arrowprops={"arrowstyle": "-"})
    assert text_crossings(fig) == []
    ax.annotate("on the line", (3, 3), fontsize=9)
    assert text_crossings(fig) == ["'on the line' is crossed by 'data'"]


def test_small_text_and_fractional_generations_are_found(figure):
    fig, ax = figure(figsize=(5, 3))
    ax.plot([0, 2.5], [0, 1], label="tiny")
    ax.legend(fontsize=6, loc="lower right")
    ax.set_xlabel("generation")
    assert small_texts(fig) == ["'tiny' is 6 pt"]
    assert any("generation ticks" in p and "not whole" in p for p in problems(fig))


def test_tick_labels_running_into_the_next_panel_are_found(figure):
    fig, (a, b) = figure(1, 2, figsize=(4, 2), gridspec_kw={"wspace": 0.0})
    a.set_xlim(0, 1.5)
    a.set_xticks([0, 0.5, 1.0, 1.5])
    b.set_xlim(-0.5, 1)
    b.set_xticks([-0.5, 0, 0.5, 1])
    assert "'1.5' touches '−0.5'" in crowded_ticks(fig)
    a.get_gridspec().update(wspace=0.4)
    assert crowded_ticks(fig) == []
