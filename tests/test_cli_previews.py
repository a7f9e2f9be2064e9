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


def test_gif_frames_share_one_palette_and_stay_true(tmp_path):
    """One palette for every frame: unchanged frames decode identically (no flicker), and
    every frame stays close to the true RGB frame."""
    from PIL import ImageSequence

    from lossylib import codecs

    first = _photo(320, 240, seed=3)
    second, _ = codecs.roundtrip(first, "jpeg", 20)
    third = second.copy()
    third.paste((255, 0, 0), (10, 10, 40, 40))  # only this square changes
    frames = [first, second, third]
    path = tmp_path / "g.gif"
    previews.write_gif(frames, path)
    with Image.open(path) as gif:
        palette = np.array(gif.getpalette(), float).reshape(-1, 3)
        decoded = [np.asarray(f.convert("RGB"), float) for f in ImageSequence.Iterator(gif)]
    assert len(decoded) == 3
    colours = {tuple(c) for c in palette}
    for shown in decoded:  # every frame draws from the first frame's 256 colours
        assert {tuple(c) for c in shown.reshape(-1, 3)} <= colours
    outside = np.ones((240, 320), bool)
    outside[10:40, 10:40] = False
    assert np.array_equal(decoded[1][outside], decoded[2][outside])
    for true, shown in zip(frames, decoded, strict=True):
        rgb = np.asarray(true, float)
        own = true.quantize(256, method=Image.Quantize.MEDIANCUT).convert("RGB")
        shared_error = np.sqrt(np.mean((rgb - shown) ** 2))
        own_error = np.sqrt(np.mean((rgb - np.asarray(own, float)) ** 2))
        assert shared_error < 1.25 * own_error  # about as true as a palette of its own
