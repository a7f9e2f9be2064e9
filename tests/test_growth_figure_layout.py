"""The figures of "The complexity brake", drawn with the chapter's own calls: no data line
crosses a legend entry or a label, no two labels overlap, and no shaded band runs into a
legend entry."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")

from _figcheck import overlapping_texts, text_crossings  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402

from lossylib.growth import experiments, figures  # noqa: E402

NAMES = ["effort_figure", "parallel_figure", "diversity_figure"]


def _figures():
    # the calls of chapters/complexity-brake.md (a fraction of a second in all)
    yield "effort_figure", figures.effort_figure()
    yield "parallel_figure", figures.parallel_figure()
    yield "diversity_figure", figures.diversity_figure({6: experiments.diversity(6)})


def _bands_under_legend(fig) -> list[str]:
    """Legend entries whose text a shaded band (``fill_between``) touches or covers."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found = []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None:
            continue
        bands = [c for c in ax.collections if isinstance(c, PolyCollection) and c.get_visible()]
        for text in legend.get_texts():
            box = text.get_window_extent(renderer).expanded(1.0, 1.0)
            for band in bands:
                to_display = band.get_transform()
                if any(p.transformed(to_display).intersects_bbox(box) for p in band.get_paths()):
                    found.append(f"{text.get_text()!r} is touched by a band")
                    break
    return found


@pytest.fixture(scope="module")
def drawn():
    import matplotlib.pyplot as plt

    out = dict(_figures())
    yield out
    for fig in out.values():
        plt.close(fig)


@pytest.mark.parametrize("name", NAMES)
def test_labels_are_clear_of_the_data_and_of_each_other(drawn, name):
    fig = drawn[name]
    assert text_crossings(fig) == []
    assert overlapping_texts(fig) == []
    assert _bands_under_legend(fig) == []


@pytest.mark.parametrize("name", NAMES)
def test_labels_stay_readable(drawn, name):
    for ax in drawn[name].axes:
        legend = ax.get_legend()
        texts = (list(legend.get_texts()) if legend else []) + list(ax.texts)
        assert all(t.get_fontsize() >= 8 for t in texts), name
