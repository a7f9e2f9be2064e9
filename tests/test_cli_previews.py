"""Previews of large photos for the command line's strip and animation (issue 13)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from lossylib import previews, recompress
from lossylib.images import load_sample


def _photo(w: int, h: int, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (h // 8, w // 8, 3), dtype=np.uint8)
    return Image.fromarray(small).resize((w, h), Image.Resampling.BICUBIC)


def test_detailed_box_finds_the_detail():
    im = Image.new("RGB", (1200, 900), (128, 128, 128))
    detail = np.random.default_rng(1).integers(0, 256, (120, 120, 3), dtype=np.uint8)
    im.paste(Image.fromarray(detail), (900, 100))
    left, top, right, bottom = previews.detailed_box(im, 160)
    assert (right - left, bottom - top) == (160, 160)
    # The crop overlaps most of the detailed patch.
    overlap = max(0, min(right, 1020) - max(left, 900)) * max(0, min(bottom, 220) - max(top, 100))
    assert overlap > 0.5 * 120 * 120


def test_preview_keeps_small_pieces_at_one_to_one():
    image = _photo(1600, 1200)
    preview = previews.Preview(image, [0, 2], side=240, crop=100)
    run = recompress(image, 3, metrics=["psnr"], keep=(), observe=preview.observe)
    assert sorted(preview.kept) == [0, 2]
    small, crop = preview.kept[2]
    assert max(small.size) == 240 and crop.size == (100, 100)
    assert run.frames == {}  # nothing full-size kept
    # The crop holds the generation's own pixels, unscaled.
    assert preview.kept[0][1].tobytes() == image.crop(preview.box).tobytes()


def test_strip_and_animation_sizes(tmp_path):
    image = _photo(2400, 1800)
    preview = previews.Preview(image)
    for g in (1, 5):
        preview.observe(g, image)
    strip = previews.strip(preview, [0, 1, 5], {0: "original"})
    assert strip.height < 2 * (previews.SIDE + previews.CROP)
    assert strip.width <= 3 * (previews.SIDE + 12)
    path = tmp_path / "a.gif"
    previews.save_animation(preview, path)
    with Image.open(path) as gif:
        assert gif.n_frames == 3 and max(gif.size) <= 400 + previews.CROP + 6
    with pytest.raises(ValueError, match="generation 7 was not kept"):
        previews.strip(preview, [7], {})


def test_small_images_get_a_zoomed_crop():
    preview = previews.Preview(load_sample("testcard"))
    small, crop = preview.kept[0]
    assert small.size == (256, 256)  # whole, at 1:1
    assert max(crop.size) == 64  # a quarter, shown enlarged
    assert previews._zoom(crop)[1] == 2


@pytest.mark.parametrize("bad", [0, 7, 2.5, True])
def test_preview_sizes_are_checked(bad):
    with pytest.raises(ValueError, match="must be a whole number >= 8"):
        previews.Preview(load_sample("testcard"), side=bad)


def test_psnr_label():
    assert previews.psnr_label(0, 1.0) == "original"
    assert previews.psnr_label(3, 31.234) == "gen 3, 31.2 dB"
    assert previews.psnr_label(3, float("inf")) == "gen 3"
