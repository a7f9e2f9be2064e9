"""The JPEG chapter's live explorer (:func:`lossylib.figures.live_run`, which
:func:`lossylib.figures.live_explorer` reruns on every change): the chapter's crops and a
choice of chroma subsampling."""

from __future__ import annotations

import numpy as np
import pytest

from lossylib import figures
from lossylib.claims import jpeg


def test_live_runs_use_the_chapters_crops():
    run = figures.live_run("astronaut", generations=2)
    # the astronaut's face, as every experiment of the chapter crops it
    assert np.array_equal(np.asarray(run.frames[0]), np.asarray(jpeg.sample("astronaut")))
    assert sorted(run.frames) == [0, 1, 2]


def test_live_runs_offer_both_subsamplings():
    card = {ss: figures.live_run("testcard", subsampling=ss, generations=4) for ss in
            figures.LIVE_SUBSAMPLINGS}  # fmt: skip
    assert {r.settings["subsampling"] for r in card.values()} == set(figures.LIVE_SUBSAMPLINGS)
    # the choice matters: 4:4:4 keeps the card's thin reds, 4:2:0 does not
    assert card["4:4:4"].table["psnr"][4] > card["4:2:0"].table["psnr"][4]
    # codecs without a subsampling choice ignore it
    webp = figures.live_run("testcard", codec="webp", subsampling="4:4:4", generations=2)
    assert webp.settings["subsampling"] == "default"


def test_live_runs_apply_the_change_between_saves():
    same = figures.live_run("coffee", generations=20)
    shifted = figures.live_run("coffee", change="shift 1 px", generations=20)
    assert same.fixed_point is not None and shifted.fixed_point is None
    assert shifted.settings["perturbation"] != same.settings["perturbation"]


def test_live_runs_refuse_unknown_choices():
    with pytest.raises(ValueError, match="change must be one of"):
        figures.live_run("coffee", change="blur")
    with pytest.raises(ValueError, match="subsampling must be one of"):
        figures.live_run("coffee", subsampling="4:1:1")
