"""Colour casts: measuring them, and libavif's conversion run on its own."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from lossylib import codecs, colour

HAVE_AVIF = "avif" in codecs.available_codecs()


def test_mean_rgb_shift():
    a = Image.new("RGB", (4, 4), (10, 20, 30))
    assert colour.mean_rgb_shift(a, Image.new("RGB", (4, 4), (5, 25, 30))) == (-5.0, 5.0, 0.0)
    with pytest.raises(ValueError, match="differ in size"):
        colour.mean_rgb_shift(a, Image.new("RGB", (2, 2)))


def test_png_flat_loop_is_exact():
    assert set(colour.flat_colour_loop((12, 200, 77), 3, codec="png")) == {(12, 200, 77)}


@pytest.mark.parametrize("bad", [(1, 2), (0, 0, 256), (1.5, 2, 3), "red"])
def test_bad_colour(bad):
    with pytest.raises(ValueError, match="three integers"):
        colour.flat_colour_loop(bad, 2)


def test_bad_generations():
    with pytest.raises(ValueError, match="at least 1"):
        colour.flat_colour_loop((1, 2, 3), 0)
    with pytest.raises(TypeError):
        colour.flat_colour_loop((1, 2, 3), 2.5)


@pytest.mark.skipif(not HAVE_AVIF or not colour.libavif_available(), reason="no libavif")
@pytest.mark.parametrize("rgb", [(60, 60, 200), (60, 200, 60), (220, 170, 140)])
def test_avif_saves_drift_exactly_like_the_fast_conversion(rgb):
    saved = colour.flat_colour_loop(rgb, 6)
    converted = colour.libavif_conversion_loop(rgb, 6)
    assert saved == converted
    # quantisation plays no part: quality 100 drifts the same way
    assert colour.flat_colour_loop(rgb, 6, quality=100) == saved


@pytest.mark.skipif(not colour.libavif_available(), reason="no libavif")
def test_exact_conversion_settles_and_grey_never_moves():
    exact = colour.libavif_conversion_loop((60, 60, 200), 8, exact=True)
    assert exact[-1] == exact[-2] == exact[2]
    assert set(colour.libavif_conversion_loop((128, 128, 128), 5)) == {(128, 128, 128)}
    with pytest.raises(ValueError, match="subsampling"):
        colour.libavif_conversion_loop((1, 2, 3), 2, subsampling="4:1:1")


@pytest.mark.skipif(not colour.libavif_available(), reason="no libavif")
def test_conversion_psnr_on_a_photograph():
    # On a photograph the fast path keeps losing and the exact path loses much less,
    # but it does not settle after one step as a flat patch does.
    from lossylib.images import center_crop, load_sample

    photo = np.asarray(center_crop(load_sample("astronaut"), 64))
    fast = colour.libavif_conversion_psnr(photo, 10)
    exact = colour.libavif_conversion_psnr(photo, 10, exact=True)
    assert len(fast) == len(exact) == 10
    assert fast[-1] < fast[0] and exact[-1] < exact[0]
    assert fast[-1] < exact[-1]
    with pytest.raises(ValueError, match="8-bit RGB"):
        colour.libavif_conversion_psnr(photo[..., 0], 2)
    with pytest.raises(ValueError, match="subsampling"):
        colour.libavif_conversion_psnr(photo, 2, subsampling="4:1:1")
