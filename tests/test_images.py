"""Tests for lossylib.images: samples, the test card, and the one validated loading path."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from lossylib import images
from lossylib.images import ImageInputError, as_rgb, center_crop, load_image, load_sample

# Note: never import ``test_card`` by name here, or pytest would collect it as a test.

PHOTO_SIZES = {"astronaut": (512, 512), "chelsea": (451, 300), "coffee": (600, 400)}


def _one_line(err: BaseException) -> str:
    msg = str(err)
    assert msg, "an error must say what went wrong"
    assert "\n" not in msg, f"error message is not one line: {msg!r}"
    return msg


def _check_rgb(im: Image.Image, size: tuple[int, int]) -> np.ndarray:
    assert isinstance(im, Image.Image)
    assert im.mode == "RGB"
    assert im.size == size
    arr = np.asarray(im)
    assert arr.dtype == np.uint8
    assert arr.shape == (size[1], size[0], 3)
    return arr


# --- samples -------------------------------------------------------------------------------


def test_list_samples_names_photos_and_testcard():
    names = images.list_samples()
    assert names == sorted(names)
    assert {"astronaut", "chelsea", "coffee", "testcard"} <= set(names)
    assert len([n for n in names if n != "testcard"]) >= 3


@pytest.mark.parametrize("name", ["astronaut", "chelsea", "coffee", "testcard"])
def test_load_sample_is_rgb_uint8(name):
    im = load_sample(name)
    size = PHOTO_SIZES.get(name, (256, 256))
    arr = _check_rgb(im, size)
    assert arr.std() > 10  # a real picture, not a blank


def test_load_sample_returns_an_independent_copy():
    a = load_sample("astronaut")
    before = a.getpixel((0, 0))
    a.putpixel((0, 0), tuple(255 - v for v in before))
    assert load_sample("astronaut").getpixel((0, 0)) == before
    # The cached array behind the samples is read-only.
    assert not images._sample_array("astronaut").flags.writeable


@pytest.mark.parametrize("bad", ["nope", "", "Astronaut", "testcard ", "../etc/passwd"])
def test_load_sample_unknown_name(bad):
    with pytest.raises(ImageInputError) as info:
        load_sample(bad)
    msg = _one_line(info.value)
    assert "unknown sample" in msg
    assert "astronaut" in msg  # lists the choices


def test_describe_sample():
    for name in images.list_samples():
        text = images.describe_sample(name)
        assert text and "\n" not in text
    with pytest.raises(ImageInputError):
        images.describe_sample("nope")


def test_image_input_error_is_a_value_error():
    assert issubclass(ImageInputError, ValueError)


# --- the test card -------------------------------------------------------------------------


def test_test_card_is_deterministic():
    a, b = images.test_card(), images.test_card()
    assert a.mode == "RGB" and a.size == (256, 256)
    assert a.tobytes() == b.tobytes()
    assert images.test_card(128).size == (128, 128)
    assert images.test_card(128).tobytes() == images.test_card(128).tobytes()


def test_test_card_is_the_testcard_sample():
    assert load_sample("testcard").tobytes() == images.test_card().tobytes()


@pytest.mark.parametrize("size", [0, 32, 63, 100, 257, -64])
def test_test_card_bad_size(size):
    with pytest.raises(ImageInputError) as info:
        images.test_card(size)
    _one_line(info.value)


@pytest.mark.parametrize("size", [64, 256])
def test_test_card_checker_edges_fall_inside_jpeg_blocks(size):
    # Squares aligned with JPEG's 8 x 8 grid would make every block flat, so no edge
    # could lose contrast; the card's coarse checkerboard is offset so that every block
    # of it holds an edge, as in a photograph.
    h = size // 2
    coarse = np.asarray(images.test_card(size))[h : size - h // 3, : h // 2, 0]  # above the text
    blocks = coarse[: (coarse.shape[0] // 8) * 8].reshape(-1, 8, h // 16, 8)
    assert (blocks.max(axis=(1, 3)) > blocks.min(axis=(1, 3))).all()


@pytest.mark.parametrize("size", [64, 128, 256, 512])
def test_checker_edge_profile_of_the_card_is_the_drawn_step(size):
    card = images.test_card(size)
    profile = images.checker_edge_profile(card)
    assert profile.shape == (2 * images.EDGE_REACH,)
    assert profile.tolist() == [0.0] * images.EDGE_REACH + [255.0] * images.EDGE_REACH
    for reach in (1, 4, 7):
        assert images.checker_edge_profile(card, reach).tolist() == [0.0] * reach + [255.0] * reach
    # an RGB array and a luma array of the card give the same profile
    assert (images.checker_edge_profile(np.asarray(card)) == profile).all()
    assert (images.checker_edge_profile(np.asarray(card.convert("L"))) == profile).all()


def test_checker_edge_profile_sees_a_blur_and_a_fainter_step():
    from PIL import ImageFilter

    from lossylib.metrics import rise_width

    card = images.test_card()
    blurred = images.checker_edge_profile(card.filter(ImageFilter.GaussianBlur(1)))
    assert 2 < rise_width(blurred) < 3  # about 2.56 px for a blur of 1 px
    # halving the contrast halves the step and leaves the edge as sharp
    faint = Image.fromarray((np.asarray(card) // 2 + 64).astype(np.uint8))
    profile = images.checker_edge_profile(faint)
    assert np.ptp(profile) == pytest.approx(127.5, abs=1)
    assert rise_width(profile) == pytest.approx(0.8)


def test_checker_edge_profile_does_not_depend_on_the_rest_of_the_card():
    # only the checkerboard is read: repainting every other quadrant changes nothing
    card = np.asarray(images.test_card()).copy()
    before = images.checker_edge_profile(card)
    card[:128] = 17
    card[128:, 64:] = 200
    assert (images.checker_edge_profile(card) == before).all()


@pytest.mark.parametrize("shape", [(100, 100, 3), (256, 128, 3), (32, 32, 3)])
def test_checker_edge_profile_needs_a_card_sized_picture(shape):
    with pytest.raises(ImageInputError, match="expected a test card"):
        images.checker_edge_profile(np.zeros(shape, np.uint8))


@pytest.mark.parametrize("reach", [0, 8, 2.5, True, "6"])
def test_checker_edge_profile_reach_must_fit_a_square(reach):
    with pytest.raises(ValueError, match="reach must be"):
        images.checker_edge_profile(images.test_card(), reach)


@pytest.mark.parametrize("size", range(64, 4097, 32))
def test_checker_edges_stay_inside_the_board_and_clear_of_crossing_edges(size):
    """Every profile's row is 2-5 px into a square and 2 px inside the board, and every
    window lies inside the board, so no profile reads the text box, the fine checkerboard
    or a crossing edge; every size has some profiles."""
    h = size // 2
    shape = (h - h // 3, h // 2)
    count = 0
    for (rows, windows, rising), (height, width) in zip(
        images._checker_edges(size, images.EDGE_REACH), (shape, shape[::-1]), strict=True
    ):
        assert ((rows - images.CHECKER_OFFSET) % 8 >= 2).all()
        assert ((rows - images.CHECKER_OFFSET) % 8 <= 5).all()
        assert rows.min(initial=2) >= 2 and rows.max(initial=0) <= height - 3
        assert windows.min(initial=0) >= 0 and windows.max(initial=0) < width
        assert rising.shape == (rows.size, windows.shape[0])
        count += rising.size
    assert count > 0


@pytest.mark.parametrize("size", [64, 128, 256, 512])
def test_test_card_regions(size):
    card = np.asarray(images.test_card(size)).astype(int)
    regions = images.test_card_regions(size)
    assert set(regions) >= {"thin_red", "solid_red", "checker_edges"}
    for name, mask in regions.items():
        assert mask.shape == (size, size), name
        assert mask.dtype == bool, name
        assert mask.any(), f"region {name} is empty"
    red = np.array([220, 20, 30])
    # Every pixel of the thin red mask and of the solid red mask really is red.
    assert (card[regions["thin_red"]] == red).all()
    assert (card[regions["solid_red"]] == red).all()
    # The thin lines are thin: no 4x4 all-red square inside the thin mask. (At 64 px the
    # 3 px lines are 3 px apart and touch, so only from 128 px up.)
    thin = regions["thin_red"]
    h = size // 2
    assert not thin[:, h:].any() and not thin[h:, :].any()
    if size >= 128:
        windows = np.lib.stride_tricks.sliding_window_view(thin, (4, 4))
        assert not windows.all(axis=(-1, -2)).any()
    # Edge pixels are black or white (the checkerboard) and lie next to a colour change.
    edge = regions["checker_edges"]
    values = card[edge]
    assert np.isin(values, (0, 255)).all()
    grey = card[..., 0]
    ys, xs = np.nonzero(edge)
    neighbours_differ = (
        (grey[ys, xs] != grey[ys, xs - 1])
        | (grey[ys, xs] != grey[ys, xs + 1])
        | (grey[ys, xs] != grey[ys - 1, xs])
        | (grey[ys, xs] != grey[ys + 1, xs])
    )
    assert neighbours_differ.all()


def test_test_card_has_all_its_ingredients():
    card = np.asarray(images.test_card()).astype(int)
    red = (card[..., 0] == 220) & (card[..., 1] == 20) & (card[..., 2] == 30)
    assert red.sum() > 1000  # solid red block and disc
    assert (card == 0).all(axis=-1).any() and (card == 255).all(axis=-1).any()
    # A smooth gradient: the bottom-right quadrant has many distinct colours.
    quad = card[128:, 128:].reshape(-1, 3)
    assert len(np.unique(quad, axis=0)) > 1000


# --- center_crop ---------------------------------------------------------------------------


@given(
    w=st.integers(1, 80),
    h=st.integers(1, 80),
    size=st.integers(1, 100),
)
@settings(max_examples=60, deadline=None)
def test_center_crop_property(w, h, size):
    arr = np.arange(w * h * 3, dtype=np.uint32).reshape(h, w, 3) % 256
    im = Image.fromarray(arr.astype(np.uint8), "RGB")
    out = center_crop(im, size)
    s = min(size, w, h)
    assert out.size == (s, s)
    left, top = (w - s) // 2, (h - s) // 2
    assert np.array_equal(np.asarray(out), arr[top : top + s, left : left + s].astype(np.uint8))


def test_center_crop_of_a_sample():
    im = load_sample("astronaut")
    out = center_crop(im, 128)
    assert out.size == (128, 128)
    assert np.array_equal(np.asarray(out), np.asarray(im)[192:320, 192:320])


# --- load_image: good files ----------------------------------------------------------------


def _random_rgb(w: int = 60, h: int = 40, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8), "RGB")


def test_load_png_exact(tmp_path):
    im = _random_rgb()
    path = tmp_path / "a.png"
    im.save(path)
    out = load_image(path)
    _check_rgb(out, (60, 40))
    assert out.tobytes() == im.tobytes()
    assert load_image(str(path)).tobytes() == im.tobytes()  # str paths too


def test_load_jpeg(tmp_path):
    im = _random_rgb()
    path = tmp_path / "a.jpg"
    im.save(path, quality=90)
    out = load_image(path)
    _check_rgb(out, (60, 40))
    with Image.open(path) as ref:
        assert out.tobytes() == ref.convert("RGB").tobytes()


@pytest.mark.parametrize("orientation", [6, 8, 5, 7])
def test_load_applies_exif_rotation(tmp_path, orientation):
    im = _random_rgb(60, 40)
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation: the picture is stored rotated by 90 degrees
    path = tmp_path / "rotated.jpg"
    im.save(path, quality=95, exif=exif)
    with Image.open(path) as raw:
        assert raw.size == (60, 40)
    out = load_image(path)
    _check_rgb(out, (40, 60))  # width and height swapped


def test_load_exif_orientation_6_rotates_clockwise(tmp_path):
    # A PNG keeps the pixels exact, so the direction of the rotation can be checked.
    arr = np.zeros((40, 60, 3), np.uint8)
    arr[0, 0] = (255, 0, 0)  # top-left pixel as stored
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "rotated.png"
    Image.fromarray(arr, "RGB").save(path, exif=exif)
    out = np.asarray(load_image(path))
    assert out.shape == (60, 40, 3)
    # Orientation 6: rotate 90 degrees clockwise to display; top-left goes to top-right.
    assert out[0, -1].tolist() == [255, 0, 0]


def test_load_exif_orientation_1_keeps_size(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 1
    path = tmp_path / "upright.jpg"
    _random_rgb(60, 40).save(path, exif=exif)
    _check_rgb(load_image(path), (60, 40))


# --- load_image: odd modes -----------------------------------------------------------------


def test_load_cmyk_jpeg(tmp_path):
    path = tmp_path / "cmyk.jpg"
    _random_rgb().convert("CMYK").save(path)
    with Image.open(path) as raw:
        assert raw.mode == "CMYK"
    _check_rgb(load_image(path), (60, 40))


def test_load_cmyk_tiff(tmp_path):
    path = tmp_path / "cmyk.tif"
    Image.new("CMYK", (30, 20), (0, 0, 0, 0)).save(path)
    arr = _check_rgb(load_image(path), (30, 20))
    assert (arr == 255).all()  # no ink is white


def test_load_palette_with_transparency(tmp_path):
    im = Image.new("P", (30, 20), 0)
    im.putpalette([255, 0, 0, 0, 0, 255] + [0] * (256 * 3 - 6))
    im.paste(1, (0, 0, 10, 20))  # left third: palette entry 1 (blue, opaque)
    path = tmp_path / "palette.png"
    im.save(path, transparency=0)  # entry 0 (red) is transparent
    with Image.open(path) as raw:
        assert raw.mode == "P"
    arr = _check_rgb(load_image(path), (30, 20))
    assert (arr[:, :10] == (0, 0, 255)).all()
    assert (arr[:, 10:] == 255).all()  # transparent red composited on white


def test_load_palette_without_transparency(tmp_path):
    im = _random_rgb().convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    path = tmp_path / "palette.gif"
    im.save(path)
    out = load_image(path)
    _check_rgb(out, (60, 40))
    assert len(np.unique(np.asarray(out).reshape(-1, 3), axis=0)) <= 16


@pytest.mark.parametrize("mode", ["RGBA", "LA"])
def test_load_alpha_is_composited_on_white(tmp_path, mode):
    colour = (10, 200, 30) if mode == "RGBA" else (90,)
    im = Image.new(mode, (20, 10), (*colour, 255))
    transparent = Image.new(mode, (10, 10), (*colour, 0))
    half = Image.new(mode, (5, 10), (*colour, 128))
    im.paste(transparent, (0, 0))
    im.paste(half, (10, 0))
    path = tmp_path / f"{mode}.png"
    im.save(path)
    arr = _check_rgb(load_image(path), (20, 10)).astype(int)
    opaque = colour * 3 if mode == "LA" else colour
    assert (arr[:, :10] == 255).all()  # fully transparent: the white background
    assert (arr[:, 15:] == opaque).all()  # fully opaque: the colour itself
    mid = arr[:, 10:15]
    expected = np.round(np.array(opaque) * 128 / 255 + 255 * (1 - 128 / 255))
    assert np.abs(mid - expected).max() <= 1


def test_load_16_bit_grey(tmp_path):
    ramp = np.linspace(0, 65535, 64 * 16).reshape(16, 64).astype(np.uint16)
    im = Image.fromarray(ramp)
    path = tmp_path / "deep.png"
    im.save(path)
    with Image.open(path) as raw:
        assert raw.mode.startswith("I")
    arr = _check_rgb(load_image(path), (64, 16))
    assert arr[0, 0].tolist() == [0, 0, 0]
    assert arr[-1, -1].tolist() == [255, 255, 255]
    assert (np.diff(arr[..., 0].ravel().astype(int)) >= 0).all()  # the ramp stays a ramp


def test_load_bilevel(tmp_path):
    im = Image.new("1", (16, 8), 0)
    im.paste(1, (0, 0, 8, 8))
    path = tmp_path / "bw.png"
    im.save(path)
    arr = _check_rgb(load_image(path), (16, 8))
    assert (arr[:, :8] == 255).all() and (arr[:, 8:] == 0).all()


def test_load_float(tmp_path):
    data = np.linspace(-1.0, 3.0, 40 * 30, dtype=np.float32).reshape(30, 40)
    data[5, 5] = np.nan
    path = tmp_path / "float.tif"
    Image.fromarray(data, "F").save(path)
    with Image.open(path) as raw:
        assert raw.mode == "F"
    arr = _check_rgb(load_image(path), (40, 30))
    assert arr.min() == 0 and arr.max() == 255


@pytest.mark.parametrize("mode", ["L", "I", "F", "I;16"])
def test_as_rgb_flat_images_do_not_divide_by_zero(mode):
    im = Image.new(mode, (8, 8), 7)
    arr = np.asarray(as_rgb(im))
    assert arr.shape == (8, 8, 3) and arr.dtype == np.uint8


@pytest.mark.parametrize(
    "mode", ["1", "L", "P", "RGB", "RGBA", "LA", "CMYK", "YCbCr", "LAB", "HSV", "I", "F", "I;16"]
)
def test_as_rgb_every_mode(mode):
    im = Image.new(mode, (9, 5))
    out = as_rgb(im)
    _check_rgb(out, (9, 5))


def test_as_rgb_rgb_is_unchanged():
    im = _random_rgb()
    assert as_rgb(im) is im


@pytest.mark.parametrize("bad", [None, "a.png", np.zeros((4, 4, 3), np.uint8), 3])
def test_as_rgb_rejects_non_images(bad):
    with pytest.raises(ImageInputError) as info:
        as_rgb(bad)
    _one_line(info.value)


# --- load_image: bad files -----------------------------------------------------------------


def _assert_refused(path, match: str | None = None, **kwargs):
    with pytest.raises(ImageInputError) as info:
        load_image(path, **kwargs)
    msg = _one_line(info.value)
    if match:
        assert match in msg, msg
    return msg


def test_truncated_jpeg(tmp_path):
    buf = io.BytesIO()
    _random_rgb(120, 90).save(buf, "JPEG", quality=90)
    data = buf.getvalue()
    path = tmp_path / "half.jpg"
    path.write_bytes(data[: len(data) // 2])
    msg = _assert_refused(path, "truncated or corrupt")
    assert str(path) in msg


def test_truncated_png(tmp_path):
    buf = io.BytesIO()
    _random_rgb(120, 90).save(buf, "PNG")
    data = buf.getvalue()
    path = tmp_path / "half.png"
    path.write_bytes(data[: len(data) // 2])
    _assert_refused(path, "truncated or corrupt")


def test_truncated_load_leaves_global_setting_off(tmp_path):
    from PIL import ImageFile

    buf = io.BytesIO()
    _random_rgb(120, 90).save(buf, "JPEG")
    path = tmp_path / "half.jpg"
    path.write_bytes(buf.getvalue()[:500])
    _assert_refused(path)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_corrupt_file(tmp_path):
    path = tmp_path / "corrupt.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 50)
    _assert_refused(path)


def test_corrupt_jpeg_body(tmp_path):
    buf = io.BytesIO()
    _random_rgb(64, 64).save(buf, "JPEG")
    data = bytearray(buf.getvalue())
    # Keep the headers, scramble most of the entropy-coded data and drop the end marker.
    data[-200:] = b"\xff\xd9" * 100
    data = data[:-2]
    path = tmp_path / "scrambled.jpg"
    path.write_bytes(bytes(data))
    try:
        out = load_image(path)
    except ImageInputError as err:
        _one_line(err)
    else:  # libjpeg may decode garbage as a picture: then it must still be valid RGB
        _check_rgb(out, (64, 64))


def test_text_file(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("this is not an image\n")
    _assert_refused(path, "not an image")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    _assert_refused(path)


def test_directory(tmp_path):
    _assert_refused(tmp_path, "folder")


def test_missing_path(tmp_path):
    msg = _assert_refused(tmp_path / "nope.png", "no such file")
    assert "nope.png" in msg


def _png_claiming_size(path, width: int, height: int) -> None:
    """A 1x1 PNG whose header is patched to claim ``width`` x ``height`` (valid CRC)."""
    buf = io.BytesIO()
    Image.new("RGB", (1, 1)).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("dims", [(100_000, 100_000), (20_000, 5_000), (8_000, 6_000)])
def test_decompression_bomb(tmp_path, dims):
    path = tmp_path / "bomb.png"
    _png_claiming_size(path, *dims)
    msg = _assert_refused(path)
    assert "decompression bomb" in msg or "more than the limit" in msg


def test_max_pixels(tmp_path):
    path = tmp_path / "a.png"
    _random_rgb(60, 40).save(path)
    msg = _assert_refused(path, "more than the limit", max_pixels=100)
    assert "60x40" in msg
    _check_rgb(load_image(path, max_pixels=2400), (60, 40))  # exactly at the limit is fine


def test_load_image_does_not_leak_file_handles(tmp_path):
    # pytest runs with warnings as errors: an unclosed file would raise ResourceWarning.
    path = tmp_path / "a.png"
    _random_rgb().save(path)
    for _ in range(5):
        load_image(path)
    bad = tmp_path / "bad.png"
    bad.write_text("nope")
    for _ in range(5):
        with pytest.raises(ImageInputError):
            load_image(bad)
