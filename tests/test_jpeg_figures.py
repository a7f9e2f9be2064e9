"""The JPEG chapter's and the command line's figures (lossylib.figures): axes a reader
can read at a glance."""

from __future__ import annotations

import numpy as np
import pytest
from _figcheck import COLUMN, problems, shown_width

from lossylib import figures
from lossylib.generations import MetricsTable, Run


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the figures a test draws (not the module's ``drawn`` ones, set up before)."""
    import matplotlib.pyplot as plt

    before = set(plt.get_fignums())
    yield
    for num in set(plt.get_fignums()) - before:
        plt.close(num)


def _run(n: int) -> Run:
    """A run whose measures barely move, as on a 12-megapixel photo re-saved at the same
    quality: matplotlib would label such axes with an offset ("1e-5+8.4589e-1")."""
    g = np.arange(n + 1)
    cols = {
        "generation": g,
        "quality": np.r_[np.nan, np.full(n, 75.0)],
        "bytes": np.r_[np.nan, 1_075_600 + 10 * np.sin(g[1:])],
        "psnr": np.r_[np.inf, 36.26 - 0.03 * np.log(g[1:])],
        "ssim": np.r_[1.0, 0.845901 - 1e-6 * g[1:]],
    }
    return Run(MetricsTable(cols), {}, {}, None, {}, None)


@pytest.mark.parametrize("n", [12, 60, 1000])
def test_curves_label_whole_generations_and_plain_values(n):
    fig = figures.curves(_run(n), "photo")
    fig.canvas.draw()
    assert len(fig.axes) == 3
    for ax in fig.axes:
        assert ax.yaxis.get_offset_text().get_text() == ""  # no "1e-5+8.4589e-1"
        lo, hi = ax.get_xlim()
        shown = [t for t in ax.get_xticks() if lo <= t <= hi]
        assert len(shown) >= 3
        assert all(float(t).is_integer() for t in shown)  # no generation 2.5
        steps = {round(b - a) for a, b in zip(shown, shown[1:], strict=False)}
        assert len(steps) == 1 and steps.pop() in {1, 2, 5, 10, 20, 50, 100, 200, 500}
        # Each value label reads as the value at its tick.
        locs = ax.yaxis.get_majorticklocs()
        spacing = np.diff(locs).min()
        for loc, label in zip(locs, ax.get_yticklabels(), strict=True):
            value = float(label.get_text().replace("\N{MINUS SIGN}", "-"))
            assert abs(value - loc) < spacing / 10, (label.get_text(), loc)


def test_compare_curves_label_whole_generations():
    from lossylib import plots

    fig, ax = plots.figure(figsize=(3.2, 3.0))  # narrow: matplotlib would pick 2.5 steps
    figures.compare_curves({"a": _run(12), "b": _run(12)}, ax=ax)
    fig.canvas.draw()
    ax = fig.axes[0]
    lo, hi = ax.get_xlim()
    assert all(float(t).is_integer() for t in ax.get_xticks() if lo <= t <= hi)


@pytest.fixture(scope="module")
def standard_runs():
    from lossylib.claims import jpeg as experiment

    return experiment, experiment.standard_runs()


@pytest.mark.parametrize(
    ("settings", "options"), [("SAME", {"xmax": 40, "distinguish": True}), ("CHANGING", {})]
)
def test_setting_panels_name_each_setting_clear_of_the_curves(standard_runs, settings, options):
    """The chapter's two figures of PSNR per setting, from its own runs."""
    experiment, runs = standard_runs
    chosen = getattr(experiment, settings)
    fig = figures.setting_panels(runs, list(experiment.SAMPLES), chosen, **options)
    assert [ax.get_title() for ax in fig.axes] == list(chosen)
    assert problems(fig) == []


def _figures():
    """The chapter's figures, drawn with its own calls (chapters/jpeg-generations.md)."""
    from lossylib import plots
    from lossylib.claims import jpeg as experiment

    runs = experiment.standard_runs()
    names = list(experiment.SAMPLES)
    yield (
        "fig-jpeg-samples",
        plots.image_grid([experiment.sample(s) for s in names], names, width=6.8),
    )
    yield (
        "fig-jpeg-settle",
        figures.setting_panels(runs, names, experiment.SAME, xmax=40, distinguish=True),
    )
    yield "fig-jpeg-changing", figures.setting_panels(runs, names, experiment.CHANGING)
    shifted = runs["astronaut", "shift 1 px a generation"]
    yield (
        "fig-jpeg-strip-shift",
        figures.generation_strip(shifted, [0, 1, 20, 100], zoom_box=(96, 72, 144, 120)),
    )
    yield "fig-jpeg-reds", experiment.red_zoom_figure()
    yield "fig-jpeg-edge-profiles", experiment.edge_profiles_figure()
    yield "fig-jpeg-colour-edges", experiment.colour_edges_figure()


FIGURES = [
    "fig-jpeg-samples",
    "fig-jpeg-settle",
    "fig-jpeg-changing",
    "fig-jpeg-strip-shift",
    "fig-jpeg-reds",
    "fig-jpeg-edge-profiles",
    "fig-jpeg-colour-edges",
]


@pytest.mark.parametrize("name", FIGURES)
def test_chapter_figure_reads_clearly(drawn, name):
    assert problems(drawn[name]) == []


@pytest.mark.parametrize("name", FIGURES)
def test_chapter_figure_fits_the_text_column(drawn, name):
    """Shown at its own size: at 9 inches (875 px) the browser shrank it to 77%."""
    assert shown_width(drawn[name]) <= COLUMN


def test_setting_panels_have_one_legend_above_both_panels(drawn):
    for name in ("fig-jpeg-settle", "fig-jpeg-changing"):
        fig = drawn[name]
        assert len(fig.legends) == 1 and len(fig.legends[0].get_texts()) == 4
        assert all(ax.get_legend() is None for ax in fig.axes)


@pytest.mark.parametrize(
    ("name", "zoomed"),
    [("fig-jpeg-strip-shift", 4), ("fig-jpeg-reds", 4), ("fig-jpeg-colour-edges", 8)],
)
def test_zoomed_crops_are_drawn_one_screen_pixel_per_array_pixel(drawn, name, zoomed):
    """Nearest-neighbour zooms keep their hard pixel edges: each zoomed array is drawn
    at exactly its own size, on whole CSS pixels, with no resampling."""
    fig = drawn[name]
    fig.canvas.draw()
    images = [im for ax in fig.axes for im in ax.get_images()][-zoomed:]
    for im in images:
        box = im.get_window_extent()
        rows, cols = im.get_array().shape[:2]
        assert (box.width, box.height) == (pytest.approx(cols), pytest.approx(rows))
        assert box.x0 == pytest.approx(round(box.x0)) and box.y0 == pytest.approx(round(box.y0))


def test_colour_edges_figure_shows_each_subsampling_at_each_save(drawn):
    """Two rows of crops, 4:2:0 over 4:4:4, each titled with its save and edge width;
    the 4:2:0 edge widens after the first save and the 4:4:4 edge does not."""
    fig = drawn["fig-jpeg-colour-edges"]
    titles = [ax.get_title() for ax in fig.axes]
    assert [t.split(",")[0] for t in titles] == ["4:2:0"] * 4 + ["4:4:4"] * 4
    widths = [float(t.split(": ")[1].removesuffix(" px")) for t in titles]
    assert widths[3] >= 2 * widths[1] and widths[7] == widths[5]
    # the figure's stripes are one of the grid the verdict rests on, and its titles the
    # widths the verdict quotes
    from lossylib.claims import jpeg

    assert jpeg.STRIPE_WIDTH in jpeg.COLOUR_GRID_WIDTHS
    s = jpeg.colour_edge_summary()
    assert widths[1:4:2] == [round(s["width_first"], 1), round(s["width_last"], 1)]
    rows = {round(ax.get_window_extent().y0) for ax in fig.axes}
    assert len(rows) == 2


def test_edge_profiles_centre_the_edge_and_draw_the_reference_first():
    fig = figures.edge_profiles({"ref": [0, 0, 255, 255], "blurred": [10, 60, 190, 245]})
    ax = fig.axes[0]
    ref, blurred = ax.get_lines()[:2]
    assert list(ref.get_xdata()) == [-1.5, -0.5, 0.5, 1.5]  # the edge between -0.5 and 0.5
    assert ref.get_linewidth() > blurred.get_linewidth()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["ref", "blurred"]
    assert problems(fig) == []


@pytest.mark.parametrize(
    "bad", [{}, [1, 2], {"a": [1, 2, 3]}, {"a": [1, float("nan")]}, {"a": [[1, 2], [3, 4]]}]
)
def test_edge_profiles_bad_input(bad):
    with pytest.raises(ValueError, match="profile"):
        figures.edge_profiles(bad)
