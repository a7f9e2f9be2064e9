"""lossylib.proxy.figures: every figure of the chapter draws from small inputs, and the
explorable's frames are PNGs that differ by setting."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lossylib import explore  # noqa: E402
from lossylib import proxy as px  # noqa: E402
from lossylib.proxy import figures, metrics  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_chapter_figures_draw():
    runs = {
        "normal": [px.best_of_n(n, 0.5, 200, seed=n) for n in (1, 10)],
        "t": [px.best_of_n(n, 0.5, 200, "t", 3.0, seed=n) for n in (1, 10)],
    }
    figs = [
        figures.selection_panels(runs, 0.5, 3.0, 1000),
        figures.gao_panel({"normal": px.gao_check(0.5, n_max=1000)}),
        figures.search_panels({"random": px.autoresearch(10, 4, splits=2)}, 0.95, 300),
        figures.search_panels({"random": px.autoresearch(10, 4, splits=2)}),
        figures.emergence_panels(np.logspace(18, 20, 5), (1, 10)),
        figures.digits_panels(metrics.learning_curve(2), 5),
        figures.shift_panel(metrics.learning_curve(2, (0.5, 1.0))),
    ]
    for fig in figs:
        assert len(fig.axes) >= 1
        # every axis is labelled (the figures carry no titles; captions are in the page)
        assert all(ax.get_xlabel() for ax in fig.axes)


def test_explore_frames_are_pngs_and_differ():
    canvas = figures.ExploreCanvas()
    a = canvas.png(0.3, 10, None)
    b = canvas.png(0.9, 10, 3.0)
    assert a[:8] == b"\x89PNG\r\n\x1a\n" and a != b
    # the same setting draws the same frame (seeded)
    assert canvas.png(0.3, 10, None) == a


def test_explore_description_follows_the_tail():
    assert "keeps rising" in figures.explore_description(0.6, 100, None)
    assert "peaks and falls" in figures.explore_description(0.6, 100, 3.0)


@pytest.fixture(scope="module")
def frames():
    return figures.explore_frames()


def test_every_explore_control_changes_the_frame_at_every_setting_of_the_others(frames):
    controls = figures.explore_controls()
    assert len(frames) == np.prod([len(c.values) for c in controls])
    assert not explore.dead_controls(frames, controls)
    # the same frames make a static explorable (keys in the controls' order)
    assert "<script>" in explore.static(frames, controls).data


def test_dead_control_check_catches_a_control_without_effect(frames):
    controls = figures.explore_controls()
    fake = {k: str(k[1:]).encode() for k in frames}  # tail ignored
    assert explore.dead_controls(fake, controls)[0].startswith("error tail")


def test_explore_drop_down_comes_first():
    # The case (a drop-down) leads; the sliders then explore it.
    controls = figures.explore_controls()
    assert isinstance(controls[0], explore.Choice)
    assert all(isinstance(c, explore.Slider) for c in controls[1:])


def test_gao_panel_shows_the_deepest_plunge_of_every_extrapolation():
    """The t(3) extrapolation plunges below -0.5: the axis must show all of it, since the
    page quotes that miss."""
    from lossylib.claims import proxy as cp

    check = px.gao_check(cp.RHO, "t", cp.DF)
    fig = figures.gao_panel({"t": check})
    bottom = fig.axes[0].get_ylim()[0]
    dashed = [ln.get_ydata() for ln in fig.axes[0].lines if ln.get_linestyle() == "--"]
    assert min(float(np.min(y)) for y in dashed if len(y)) < -0.5  # it does plunge
    assert all(np.min(y) > bottom for y in dashed if len(y))


def test_falls_panel_draws_every_steps_falls_and_the_page_reads_them_right():
    """The bars are the falls of :meth:`LearningCurve.falls` (calibrated loss, error
    rate, raw loss, in that order), one group per step; and the page's sentences hold:
    at every step the calibrated loss and the error rate kept up by the rule's reading
    (the top of each step's interval under the margin), at a few steps the gap lies just
    over 2 SE from zero, and the raw loss falls faster at every step."""
    from lossylib.claims import proxy as cp

    lc = cp.value_curve()
    fig = figures.falls_panel(lc)
    heights = [p.get_height() for p in fig.axes[0].patches]
    steps = lc.sizes.size - 1
    cal, raw = lc.falls(), lc.falls(calibrated=False)
    want = np.concatenate([cal["loss"], cal["error"], raw["loss"]]) * 100
    assert len(heights) == 3 * steps and np.allclose(heights, want)
    gaps = cal["loss"] - cal["error"]
    tops = gaps + cp.SIGNIFICANT * cal["gap_se"]
    assert np.all(tops < cp.KEPT_UP) and np.all(raw["loss"] > cal["error"])
    beyond = np.abs(gaps) > cp.SIGNIFICANT * cal["gap_se"]
    # "the loss fell a little faster, by just over two standard errors"
    assert np.all(gaps[beyond] > 0) and np.all(np.abs(gaps[beyond]) < 3 * cal["gap_se"][beyond])
    ev = cp.value_evidence()
    assert ev["steps"] == steps and ev["steps_kept_up"] == 1.0
    assert ev["steps_beyond_2se"] == beyond.sum()
    assert ev["step_gap_largest"] == np.abs(gaps).max() and ev["step_gap_top"] == tops.max()
    assert lc.last_falls() == (cal["loss"][-1], cal["error"][-1], cal["gap_se"][-1])
    with pytest.raises(ValueError, match="lc must be a LearningCurve, got dict"):
        figures.falls_panel({})


def test_shift_panel_draws_the_loss_and_each_moves_fall():
    from lossylib.claims import proxy as cp

    lc = cp.value_curve()
    fig = figures.shift_panel(lc, fit=cp.MAP_FIT)
    heights = [p.get_height() for p in fig.axes[1].patches]
    want = [lc.falls()["loss"][-1], lc.falls()["error"][-1]]
    want += [lc.falls(shift=s)["error"][-1] for s in lc.shifts]
    assert np.allclose(heights, 100 * np.array(want))
    with pytest.raises(ValueError, match="with shifted test digits, got no shifts"):
        figures.shift_panel(metrics.learning_curve(2))
    with pytest.raises(ValueError, match="got dict"):
        figures.shift_panel({})


def test_explore_dots_are_large_for_few_candidates():
    """At n = 10 the candidates were barely visible dots: they are drawn larger the fewer
    there are, and never smaller than the crowd's."""
    sizes = [figures.cloud_marker_size(n) for n in (1, 10, 100, 1000, 10_000, 10**5)]
    assert sizes == sorted(sizes, reverse=True) and sizes[1] >= 10 * sizes[-1] / 2
    canvas = figures.ExploreCanvas()
    canvas.draw(0.6, 10, None)
    assert canvas.cloud.get_sizes()[0] == figures.cloud_marker_size(10)
    canvas.draw(0.6, 10_000, None)
    assert canvas.cloud.get_sizes()[0] == figures.cloud_marker_size(10_000) < 10


def test_digits_panel_says_what_its_scores_are():
    fig = figures.digits_panels(metrics.learning_curve(2), 5)
    assert fig.axes[1].get_ylabel() == "score (%)"
