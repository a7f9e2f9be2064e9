"""Smoke tests for the chapter's figures and explorable frames (small sizes)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lossylib.growth import experiments, figures  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize(
    "make",
    [
        figures.patents_figure,
        figures.effort_figure,
        figures.closed_forms_figure,
        lambda: figures.regime_figure(size=12),
        figures.parallel_figure,
        lambda: figures.diversity_figure({0: experiments.diversity(0, n=8, trials=3, budget=64)}),
    ],
)
def test_figures_draw_without_titles(make):
    fig = make()
    assert fig.axes
    assert all(ax.get_title() == "" for ax in fig.axes)
    assert all(ax.get_xlabel() == ax.get_xlabel().lower() for ax in fig.axes)


def test_explorable_frames_cover_the_grid_and_stay_small():
    frames, regimes = figures.loop_explorable([0.3, 0.9], [1.0, 0.8], [0.0, 0.15])
    assert len(frames) == len(regimes) == 8
    assert all(f.startswith(b"\x89PNG") and len(f) < 30_000 for f in frames.values())
    assert regimes[(0.9, 1.0, 0.0)] == "explodes"
    assert regimes[(0.3, 0.8, 0.15)] == "saturates"
    assert set(regimes.values()) <= set(figures.REGIME_PHRASES)


def test_redundancy_falls_with_agents():
    eff = experiments.redundancy(np.array([1, 4, 16, 64, 256]))
    assert np.all(np.diff(eff) < 0) and eff[0] <= 1


def test_regime_figure_is_a_sharp_chart_with_named_panels():
    """Drawn as cells, not an image, the map is shown as sharp as the book's other charts
    (an image would be shown at half their resolution); its panels name the share of
    research that is automatable."""
    import io

    from PIL import Image

    from lossylib import plots

    fig = figures.regime_figure(size=12)
    titles = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert titles == ["100% automatable", "90% automatable"]
    assert not any(ax.get_images() for ax in fig.axes)
    data, meta = plots.figure_png(fig)
    with Image.open(io.BytesIO(data)) as im:
        assert abs(im.width - plots.SHARP * meta["width"]) <= plots.SHARP


def test_regime_map_cells_under_the_decline_region_are_horizon_effects():
    """The few slowing and exponential cells just under the decline region of
    fig-brake-regimes (90% automatable, returns near 0.75) are no numerical error:
    eight times finer steps give the same labels. They are runs still speeding up towards
    a distant ceiling when the horizon ends: run ten times longer, they all level off."""
    from lossylib.growth.experiments import LOOP, TIMES
    from lossylib.growth.loop import regime_map

    phi, loss = np.meshgrid(np.linspace(-0.5, 1.5, 120), np.linspace(0.0, 0.5, 120))
    params = dict(LOOP, automation=0.9)
    labels = regime_map(TIMES, phi=phi, loss=loss, **params)
    odd = (phi > 0.6) & (phi < 0.9) & (loss > 0.23) & np.isin(labels, ["exponential", "slows"])
    assert 3 <= odd.sum() <= 40 and np.any(labels[odd] == "exponential")
    cells = dict(params, phi=phi[odd], loss=loss[odd])
    assert np.array_equal(regime_map(TIMES, substeps=32, **cells), labels[odd])
    longer = np.linspace(TIMES[0], 10 * TIMES[-1], 10 * (TIMES.size - 1) + 1)
    assert set(regime_map(longer, **cells)) == {"saturates"}


def test_parallel_figure_alt_text_matches_the_curves():
    """fig-brake-parallel's alt text: uniformly drawing agents stay above 0.9 new ideas
    per attempt up to about thirty agents, are near 0.8 at a hundred and 0.2 at a
    thousand; copies start near 0.8 and fall steadily, below them throughout; with
    pairwise coordination throughput peaks at a few dozen agents."""
    from lossylib.growth.loop import usl_peak

    uniform = experiments.redundancy(np.array([30, 100, 1000]), zipf=0.0)
    assert uniform[0] > 0.9 and 0.75 <= uniform[1] <= 0.85 and 0.15 <= uniform[2] <= 0.25
    agents = np.unique(np.logspace(0, np.log10(1024), 40).round())  # the figure's axis
    copies = experiments.redundancy(agents, zipf=1.0)
    assert 0.75 <= copies[0] <= 0.85 and np.all(np.diff(copies) < 0)
    assert np.all(copies < experiments.redundancy(agents, zipf=0.0))
    assert 24 <= float(usl_peak(**experiments.USL)) <= 60
