"""Tests for lossylib.pixels (pixel words lent by Pillow) and the kernels that read them."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image

from lossylib import batch, codecs, kernels, metrics, pixels
from lossylib.generations import recompress
from lossylib.images import center_crop, load_sample
from lossylib.pixels import MAX_BLOCK, _borrow, block_bytes, one_block, rgbx_words

needs_kernels = pytest.mark.skipif(not kernels.AVAILABLE, reason="numba missing")


def _channels(words: np.ndarray) -> np.ndarray:
    return np.stack([(words >> s) & 0xFF for s in (0, 8, 16)], axis=-1).astype(np.uint8)


@pytest.fixture
def small_blocks():
    """Pillow stores images above 4 kB in several blocks while this is active."""
    before = Image.core.get_block_size()
    Image.core.set_block_size(4096)
    try:
        yield
    finally:
        Image.core.set_block_size(before)


@settings(max_examples=40, deadline=None)
@given(rgb=hnp.arrays(np.uint8, st.tuples(st.integers(1, 40), st.integers(1, 40), st.just(3))))
def test_words_hold_the_pixels(rgb):
    words = rgbx_words(Image.fromarray(rgb, "RGB"))
    assert words.shape == rgb.shape[:2] and words.dtype == np.uint32
    assert np.array_equal(_channels(words), rgb)


def test_small_images_are_lent_read_only_and_outlive_the_image():
    image = load_sample("astronaut")
    image.load()
    expected = np.asarray(image).copy()
    words = rgbx_words(image)
    assert _borrow(image) is not None  # lent, not copied
    assert not words.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        words[0, 0] = 0
    del image
    gc.collect()
    assert np.array_equal(_channels(words), expected)  # the array keeps the memory alive


def test_images_in_several_blocks_are_copied(small_blocks):
    rgb = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    image = Image.fromarray(rgb, "RGB")
    assert _borrow(image) is None
    assert np.array_equal(_channels(rgbx_words(image)), rgb)


def test_decoded_jpegs_are_lent():
    decoded, _ = codecs.roundtrip(load_sample("coffee"), "jpeg", 75)
    words = rgbx_words(decoded)
    assert not words.flags.writeable
    assert np.array_equal(_channels(words), np.asarray(decoded))


def _blocks_of(make) -> int:
    """How many blocks of memory Pillow allocates for the image ``make()`` returns."""
    before = Image.core.get_stats()["allocated_blocks"]
    image = make()
    assert image is not None
    return Image.core.get_stats()["allocated_blocks"] - before


def test_inside_one_block_large_images_are_lent(small_blocks):
    rgb = np.random.default_rng(1).integers(0, 256, (64, 48, 3), dtype=np.uint8)
    assert _blocks_of(lambda: Image.fromarray(rgb, "RGB")) > 1
    with one_block(64 * 48):
        assert Image.core.get_block_size() == block_bytes(64 * 48) > 4096
        image = Image.fromarray(rgb, "RGB")
        assert _blocks_of(lambda: Image.fromarray(rgb, "RGB")) == 1
    assert Image.core.get_block_size() == 4096  # put back on leaving
    assert _borrow(image) is not None  # the image made inside stays in one block
    assert np.array_equal(_channels(rgbx_words(image)), rgb)


@settings(max_examples=30, deadline=None)
@given(
    width=st.integers(1, 90),
    height=st.integers(1, 90),
    alignment=st.sampled_from([1, 2, 8, 64]),
)
def test_one_block_holds_any_image_of_that_many_pixels(width, height, alignment):
    block, align = Image.core.get_block_size(), Image.core.get_alignment()
    Image.core.set_block_size(4096)
    Image.core.set_alignment(alignment)
    try:
        with one_block(width * height):
            assert _blocks_of(lambda: Image.new("RGB", (width, height))) == 1
    finally:
        Image.core.set_block_size(block)
        Image.core.set_alignment(align)


def test_one_block_never_lowers_the_block_size_nor_undoes_a_later_change(small_blocks):
    Image.core.set_block_size(1 << 30)
    with one_block(64 * 64):
        assert Image.core.get_block_size() == 1 << 30
    assert Image.core.get_block_size() == 1 << 30
    Image.core.set_block_size(4096)
    with one_block(64 * 64):
        Image.core.set_block_size(8192)  # somebody else's setting, made meanwhile
    assert Image.core.get_block_size() == 8192


def test_one_block_puts_the_block_size_back_after_an_error(small_blocks):
    with pytest.raises(RuntimeError, match="inside"), one_block(64 * 64):
        raise RuntimeError("inside")
    assert Image.core.get_block_size() == 4096


def test_block_bytes_is_whole_pages_and_at_most_the_largest_block():
    assert block_bytes(1024) == 4096 and block_bytes(1025) == 8192
    assert block_bytes(10**10) == MAX_BLOCK and MAX_BLOCK % 4096 == 0
    for bad in (0, -5, 2.5, True, None):
        with pytest.raises(ValueError, match="pixels must be a whole number >= 1"):
            block_bytes(bad)


@pytest.fixture
def copies(monkeypatch):
    """The sizes of the images whose pixels :func:`rgbx_words` had to copy."""
    copied = []
    lend = pixels._borrow

    def counting(image):
        lent = lend(image)
        if lent is None:
            copied.append(image.size)
        return lent

    monkeypatch.setattr(pixels, "_borrow", counting)
    return copied


@needs_kernels
def test_recompress_lends_every_generation_to_the_metrics(small_blocks, copies):
    with one_block(64 * 64):  # an original in one block, as the command line loads it
        original = center_crop(load_sample("coffee"), 64)
    run = recompress(original, 4, metrics=["psnr", "ssim", "change"], keep=())
    assert copies == []  # at 12 MP each copy took 35 ms and 48 MB
    assert Image.core.get_block_size() == 4096
    assert np.isfinite(run.table["psnr"][1:]).all()


@needs_kernels
def test_the_command_line_lends_the_original_too(small_blocks, copies, tmp_path):
    center_crop(load_sample("chelsea"), 64).save(tmp_path / "cat.png")
    (tmp_path / "out").mkdir()
    options = batch.Options(generations=3)
    row = batch.run_image(str(tmp_path / "cat.png"), tmp_path / "out", options)
    assert row["status"] == "ok" and copies == []
    assert Image.core.get_block_size() == 4096


@pytest.mark.parametrize("mode", ["L", "RGBA", "P", "CMYK"])
def test_other_modes_are_refused(mode):
    with pytest.raises(ValueError, match=f"needs an RGB image, got mode {mode}"):
        rgbx_words(Image.new(mode, (4, 4)))


# --- kernels on pixel words ---------------------------------------------------------------


def _every_colour() -> np.ndarray:
    """All 2^24 RGB colours as a 4096 x 4096 x 3 array."""
    c = np.arange(1 << 24, dtype=np.uint32)
    rgb = np.stack([(c >> 16) & 255, (c >> 8) & 255, c & 255], axis=-1).astype(np.uint8)
    return rgb.reshape(4096, 4096, 3)


@needs_kernels
def test_luma_kernels_equal_pillow_for_every_colour():
    rgb = _every_colour()
    image = Image.fromarray(rgb, "RGB")
    pillow = np.asarray(image.convert("L"))
    assert np.array_equal(kernels.luma(rgb), pillow)
    assert np.array_equal(kernels.luma_words(rgbx_words(image)), pillow)
    assert np.array_equal(metrics.luma(rgb), pillow)  # the array path uses the kernel


@needs_kernels
@settings(max_examples=40, deadline=None)
@given(
    a=hnp.arrays(np.uint8, st.tuples(st.integers(1, 30), st.integers(1, 30), st.just(3))),
    seed=st.integers(0, 2**16),
)
def test_sse_words_is_exact_and_ignores_the_padding_byte(a, seed):
    rng = np.random.default_rng(seed)
    b = rng.integers(0, 256, a.shape, dtype=np.uint8)

    def words(rgb):  # with a random padding byte, which must not count
        w = rgbx_words(Image.fromarray(rgb, "RGB")).copy()
        pad = rng.integers(0, 256, w.shape, dtype=np.uint32)
        return (w & np.uint32(0xFFFFFF)) | (pad << np.uint32(24))

    exact = int(((a.astype(np.int64) - b) ** 2).sum())
    assert kernels.sse_words(words(a), words(b)) == exact == kernels.sse(a, b)


@needs_kernels
def test_sse_words_refuses_mismatched_shapes():
    with pytest.raises(ValueError, match="differ in shape"):
        kernels.sse_words(np.zeros((2, 3), np.uint32), np.zeros((3, 2), np.uint32))
