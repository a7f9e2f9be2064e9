"""The figures of "A loop that improves", drawn from the chapter's own runs, clear to read
(see ``tests/_figcheck.py``): no line, bar or band on a label, no labels on each other,
readable text, whole generations."""

from __future__ import annotations

import numpy as np
import pytest
from _figcheck import COLUMN, problems, shown_width

from lossylib.claims import selftrain as cs
from lossylib.selftrain import figures

NAMES = [
    "hard_level_panel",
    "level_profile",
    "information_panel",
    "climb_panel",
    "blind_spot_panel",
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
    yield "climb_panel", figures.climb_panel(runs["perfect verifier"])
    yield "blind_spot_panel", figures.blind_spot_panel(cs.blind_spot_runs())
    known, start = cs.sweep_known(), runs["no filter"][0].known[0] / 200
    yield (
        "false_accept_sweep",
        figures.false_accept_sweep(cs.SWEEP_RATES, ends, wrong, 10, known, start),
    )
    yield "digit_measures", figures.digit_measures(cs.digit_runs(), cs.noise_runs())
    digits = cs.digit_runs()
    yield "digit_grids", figures.digit_grids({p: rs[0] for p, rs in digits.items()}, cs.SHOWN[-1])


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


def test_the_blind_spot_figure_fits_and_draws_what_its_alt_text_says(drawn):
    """The alt text: on the left the perfect loop reaches 200, the blind one ends below
    it and the random one lowest; on the right the blind one's share climbs while the
    other two stay low and flat."""
    fig = drawn["blind_spot_panel"]
    assert shown_width(fig) <= COLUMN
    left, right = (
        [ln.get_ydata() for ln in ax.get_lines() if ln.get_linestyle() == "-"]
        for ax in fig.axes[:2]
    )
    perfect, blind, random = left
    assert perfect[-1] == 200 and perfect[-1] > blind[-1] > random[-1]
    perfect, blind, random = right
    assert blind[-1] > 5 * blind[0] and all(np.diff(blind[::4]) > 0)  # climbs steadily
    for flat in (perfect, random):
        assert flat.max() < 5 and flat.max() < blind[-1] / 4  # low and flat (%)


def test_the_climb_figure_fits_the_text_column_and_draws_the_power(drawn):
    """Both panels in the text column; the right one has the per-column line, its power
    (dashed) and the longest sums (dots), and the dots lie on the dashed line."""
    fig = drawn["climb_panel"]
    assert shown_width(fig) <= COLUMN
    right = fig.axes[1]
    lines = right.get_lines()
    assert [ln.get_linestyle() for ln in lines] == ["-", "--", "None"]
    power, hard = lines[1].get_ydata(), lines[2].get_ydata()
    assert abs(power - hard).max() < 2.0  # percentage points


def test_the_digit_measures_draw_the_noise_control_dashed(drawn):
    for ax in drawn["digit_measures"].axes:
        dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
        assert len(dashed) == 1


def test_the_digit_grid_enlarges_every_pixel_whole():
    """Each image pixel is drawn as a ZOOM x ZOOM block (it was about 2.2 screen pixels,
    unevenly, in an earlier figure 663 px wide): with the labels taken off, the runs of
    equal pixels along the rows of the picture are whole multiples of ZOOM."""
    import io

    import numpy as np
    from PIL import Image

    from lossylib.plots import figure_png

    digits = cs.digit_runs()
    fig = figures.digit_grids({p: rs[0] for p, rs in digits.items()}, cs.SHOWN[-1])
    assert 450 <= figure_png(fig)[1]["width"] <= COLUMN
    ax = fig.axes[0]
    ax.set_xticks([])
    ax.set_yticks([])
    for text in list(ax.texts):
        text.remove()
    data, _ = figure_png(fig)
    picture = np.asarray(Image.open(io.BytesIO(data)).convert("L")).astype(int)
    runs = np.concatenate([np.diff(np.flatnonzero(np.diff(row)) + 1) for row in picture[::7]])
    inside = runs[runs < 40]  # within a digit; longer runs are the gaps between them
    zoom = figures.ZOOM
    assert zoom > 1 and np.mean(inside % zoom == 0) > 0.8  # about 1 / zoom unaligned
    assert inside.size > 1000


def test_the_digit_grid_marks_a_digit_no_sample_has_and_labels_every_share():
    import numpy as np

    from lossylib.selftrain.digits import DigitRun

    start = np.full(10, 0.1)
    end = np.array([0.3, 0.2, 0.005, 0.1, 0.1, 0.1, 0.1, 0.046, 0.05, 0.0])
    images = {0: np.ones((10, 8, 8)), 3: np.ones((10, 8, 8))}
    images[3][9] = np.nan  # no sample was labelled 9
    z = np.ones(4)
    run = DigitRun(np.array([start, start, start, end]), z, z, z, z, z, images=images)
    fig = figures.digit_grids({"verify": run}, 3)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts.count("none") == 1
    shares = [t for t in texts if t != "none"]
    assert shares[:10] == ["10%"] * 10  # the real digits
    assert shares[10:] == ["30%", "20%", "<1%", "10%", "10%", "10%", "10%", "5%", "5%", "0"]


def test_the_new_figures_reject_bad_runs_with_one_line_errors():
    import pytest as _pytest

    with _pytest.raises(TypeError, match="rs must be a sequence of ExpertRun"):
        figures.climb_panel("runs")
    with _pytest.raises(ValueError, match="at least one ExpertRun"):
        figures.climb_panel([])
    with _pytest.raises(TypeError, match="control must hold DigitRun"):
        figures.digit_measures(cs.digit_runs(), [1, 2])


def test_the_digit_grid_is_as_wide_and_its_labels_as_large_as_the_charts(drawn):
    """The grid was 533 px wide with 8-point labels, small beside the book's charts."""
    import matplotlib as mpl

    fig = drawn["digit_grids"]
    assert shown_width(fig) >= 0.9 * shown_width(drawn["hard_level_panel"])
    ax = fig.axes[0]
    labels = [*ax.get_xticklabels(), *ax.get_yticklabels(), *ax.texts]
    assert min(t.get_fontsize() for t in labels) >= mpl.rcParams["font.size"]


def test_the_climb_legend_sits_in_the_panel_it_names(drawn):
    fig = drawn["climb_panel"]
    left, right = fig.axes[:2]
    assert not fig.legends and left.get_legend() is None
    names = [t.get_text() for t in right.get_legend().get_texts()]
    assert names == [ln.get_label() for ln in right.get_lines()]
