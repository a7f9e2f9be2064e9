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
