"""The figures of "A loop that improves", drawn from the chapter's own runs, clear to read
(see ``tests/_figcheck.py``): no line, bar or band on a label, no labels on each other,
readable text, whole generations."""

from __future__ import annotations

import pytest
from _figcheck import COLUMN, problems, shown_width

from lossylib.claims import selftrain as cs
from lossylib.selftrain import figures

NAMES = [
    "hard_level_panel",
    "level_profile",
    "information_panel",
    "false_accept_sweep",
    "digit_measures",
    "digit_grids",
]


def _figures():
    runs = cs.expert_runs()
    ends, wrong = cs.false_accept_sweep()
    yield "hard_level_panel", figures.hard_level_panel(runs)
    yield "level_profile", figures.level_profile(runs["perfect verifier"], (0, 3, 6, 10, 20))
    yield "information_panel", figures.information_panel(runs)
    known, start = cs.sweep_known(), runs["no filter"][0].known[0] / 200
    yield (
        "false_accept_sweep",
        figures.false_accept_sweep(cs.SWEEP_RATES, ends, wrong, 10, known, start),
    )
    yield "digit_measures", figures.digit_measures(cs.digit_runs())
    digits = cs.digit_runs()
    yield "digit_grids", figures.digit_grids({p: rs[0] for p, rs in digits.items()}, cs.SHOWN)


@pytest.mark.parametrize("name", NAMES)
def test_figure_reads_clearly(drawn, name):
    assert problems(drawn[name]) == []


@pytest.mark.parametrize("name", ["digit_measures", "digit_grids"])
def test_the_digit_figures_fit_the_text_column(drawn, name):
    """Shown at their own size: scaled down, the grid's speckled samples blur and the
    measures' labels shrink to 6 px (both were 971 px wide)."""
    assert shown_width(drawn[name]) <= COLUMN


def test_the_information_figure_fits_the_text_column(drawn):
    """Shown at its own size (it was 875 px wide, scaled to 77%)."""
    assert shown_width(drawn["information_panel"]) <= COLUMN


def test_the_digit_grid_enlarges_every_pixel_whole(drawn):
    """Each image pixel is drawn as a 3 x 3 block (it was about 2.2 screen pixels,
    unevenly, in a figure 663 px wide): the runs of equal pixels along a row of the
    picture are whole multiples of 3."""
    import io

    import numpy as np
    from PIL import Image

    from lossylib.plots import figure_png

    data, meta = figure_png(drawn["digit_grids"])
    assert 600 <= meta["width"] <= COLUMN
    picture = np.asarray(Image.open(io.BytesIO(data)).convert("L")).astype(int)
    runs = np.concatenate([np.diff(np.flatnonzero(np.diff(row)) + 1) for row in picture[::7]])
    # inside the pictures (the labels and titles aside), runs are whole blocks
    inside = runs[runs < 40]
    assert inside.size > 1000 and np.mean(inside % 3 == 0) > 0.8  # about 0.25 before
