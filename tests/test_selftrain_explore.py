"""The explorable of "A loop that improves": every control changes the frame shown, at
every setting of the other control (checked on the frame data, no browser)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from lossylib import explore  # noqa: E402
from lossylib.selftrain import figures  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def frames():
    return figures.explore_frames()


def test_every_control_changes_the_frame_at_every_setting_of_the_other(frames):
    controls = figures.explore_controls()
    assert len(frames) == len(figures.EXPLORE_DATA) * len(figures.EXPLORE_RATES)
    assert all(f[:8] == b"\x89PNG\r\n\x1a\n" for f in frames.values())
    assert not explore.dead_controls(frames, controls)
    # the same frames make a static explorable (keys in the controls' order)
    assert "<script>" in explore.static(frames, controls).data


def test_dead_control_check_catches_a_control_without_effect(frames):
    controls = figures.explore_controls()
    fake = {k: str(k[1]).encode() for k in frames}  # the data policy ignored
    assert explore.dead_controls(fake, controls)[0].startswith("data policy")


def test_explore_drop_down_comes_first():
    # The case (a drop-down) leads; the sliders then explore it.
    controls = figures.explore_controls()
    assert isinstance(controls[0], explore.Choice)
    assert all(isinstance(c, explore.Slider) for c in controls[1:])


def test_explore_description_names_the_policy():
    assert "replace data" in figures.explore_description(0.0, "replace")
    assert "a perfect verifier" in figures.explore_description(0.0, "accumulate")
