"""The explorables' frames read as clearly as the book's figures: no line through a
legend or a label, no text under 8 pt (see ``tests/_figcheck.py``), drawn at the book's
resolution. Each explorable is checked at the corners of its controls' grid, where the
curves reach their extremes, with the chapter's own controls."""

from __future__ import annotations

import io
import itertools

import pytest
from _figcheck import problems
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from lossylib import plots
from lossylib.collapse import figures as tail
from lossylib.curation import figures as curation
from lossylib.growth import figures as growth
from lossylib.proxy import figures as proxy
from lossylib.selftrain import figures as selftrain
from lossylib.trends import figures as trends


def _corners(controls) -> list[tuple]:
    """Every combination of each control's first and last value."""
    return list(itertools.product(*({c.values[0], c.values[-1]} for c in controls)))


def _curation(key):
    canvas = curation.ExploreCanvas()
    canvas.png(*(c.values[0] for c in curation.explore_controls()))  # lays the frames out
    return canvas.draw(*key)


def _proxy(key):
    tail_, rho, n = key
    return proxy.ExploreCanvas().draw(rho, n, tail_)


def _trends(key):
    return trends.ExploreCanvas("specint").draw("specint", *key)


def _selftrain(key):
    data, rate = key
    return selftrain.explore_frame(selftrain.explore_run(rate, data))


EXPLORABLES = {
    "tail loss": (tail.explore_controls(), lambda key: tail.explore_figure(*key)),
    "complexity brake": (growth.explore_controls(), lambda key: growth.loop_setting(*key)),
    "curation": (curation.explore_controls(), _curation),
    "narrow targets": (proxy.explore_controls(), _proxy),
    "loop that improves": (selftrain.explore_controls(), _selftrain),
    "conclusion": (trends.explore_controls(), _trends),
}
CASES = [(name, key) for name, (controls, _) in EXPLORABLES.items() for key in _corners(controls)]


def _figures():
    import matplotlib.pyplot as plt

    for name, key in CASES:
        fig = EXPLORABLES[name][1](key)
        plt.close(fig)  # out of pyplot's list, which warns past 20 open figures
        FigureCanvasAgg(fig)  # and on a canvas of its own to measure on
        yield f"{name} {key}", fig


@pytest.mark.parametrize(("name", "key"), CASES, ids=[f"{n} {k}" for n, k in CASES])
def test_frame_reads_clearly(drawn, name, key):
    assert problems(drawn[f"{name} {key}"]) == []


@pytest.mark.parametrize(
    "frame",
    [
        lambda: curation.ExploreCanvas().png(0, 80, 5),
        lambda: proxy.ExploreCanvas().png(0.6, 100, None),
        lambda: trends.ExploreCanvas().png("specint", 2005.0, "both"),
        lambda: growth.loop_explorable([0.9], [0.95], [0.05])[0][0.9, 0.95, 0.05],
    ],
    ids=["curation", "narrow targets", "conclusion", "complexity brake"],
)
def test_frames_are_drawn_at_the_book_resolution_and_fit_the_page(frame):
    """At :data:`plots.DPI`, as the static figures are, so 8 pt text is 10.7 px on the
    page; at most 664 px wide, the explorable's inner width at a 1280 px window, so the
    browser shows the frame at its own size rather than scaled down."""
    with Image.open(io.BytesIO(frame())) as im:
        assert im.info["dpi"] == pytest.approx((plots.DPI, plots.DPI), abs=0.05)
        assert im.mode == "P" and im.width <= 664
