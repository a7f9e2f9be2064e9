"""Tests for lossylib.codecs: settings validation, Pillow-equal defaults, lossless PNG."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image

from lossylib import codecs
from lossylib.codecs import CodecError
from lossylib.images import load_sample


@pytest.fixture(scope="module")
def photo() -> Image.Image:
    return load_sample("astronaut").crop((100, 100, 260, 228))


def _pillow_bytes(im: Image.Image, fmt: str, **kwargs) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kwargs)
    return buf.getvalue()


def test_codec_error_is_a_value_error():
    assert issubclass(CodecError, ValueError)


def test_available_codecs():
    names = codecs.available_codecs()
    assert {"jpeg", "webp", "png"} <= set(names)
    assert set(names) <= {"jpeg", "webp", "png", "avif", "jxl"}
    for name in names:
        c = codecs.get_codec(name)
        assert c.name == name
        assert c.extension.startswith(".")
        assert c.mime.startswith("image/")


@pytest.mark.parametrize("name", ["JPEG", "jpg", "Jpeg", "PNG", "WebP"])
def test_get_codec_is_case_insensitive(name):
    assert codecs.get_codec(name).name in {"jpeg", "png", "webp"}


@pytest.mark.parametrize("name", ["gif", "", "jpeg2000", "bmp", None, 3])
def test_unknown_codec(name, photo):
    with pytest.raises(CodecError) as info:
        codecs.encode(photo, name)
    msg = str(info.value)
    assert "\n" not in msg and "unknown codec" in msg and "jpeg" in msg


@pytest.mark.parametrize("q", [1, 2, 50, 75, 99, 100, 7.0])
def test_check_quality_accepts(q):
    assert codecs.check_quality(q) == int(q)
    assert isinstance(codecs.check_quality(q), int)


@pytest.mark.parametrize("q", [np.int64(75), np.uint8(75), np.int32(1), np.float64(90.0)])
def test_check_quality_accepts_numpy_numbers(q):
    # recompress accepts numpy integers for generations and keep; quality should too
    # (e.g. qualities taken from np.arange or a table column).
    assert codecs.check_quality(q) == int(q)
    assert type(codecs.check_quality(q)) is int


@pytest.mark.parametrize("q", [np.float64(7.5), np.float32(7.5), np.float64("nan"), np.int64(0)])
def test_check_quality_rejects_bad_numpy_numbers(q):
    with pytest.raises(CodecError):
        codecs.check_quality(q)


@pytest.mark.parametrize(
    "q", [0, 101, -1, 1000, math.nan, math.inf, -math.inf, 7.5, True, False, "75", None, [75]]
)
def test_bad_quality(q, photo):
    with pytest.raises(CodecError) as info:
        codecs.check_quality(q)
    assert "\n" not in str(info.value)
    assert "quality" in str(info.value)
    with pytest.raises(CodecError):
        codecs.encode(photo, "jpeg", quality=q)


@pytest.mark.parametrize("ss", ["4:1:1", "444", "", "4:4:4 ", 0, 2])
def test_bad_subsampling(ss, photo):
    with pytest.raises(CodecError) as info:
        codecs.encode(photo, "jpeg", 75, ss)
    assert "subsampling" in str(info.value)


@pytest.mark.parametrize("codec", ["webp", "png"])
def test_subsampling_on_a_codec_without_it(codec, photo):
    with pytest.raises(CodecError) as info:
        codecs.encode(photo, codec, 75, "4:4:4")
    assert codec in str(info.value)


@pytest.mark.parametrize("q", [1, 10, 50, 75, 90, 95, 100])
def test_jpeg_default_equals_pillow_default(q, photo):
    ours = codecs.encode(photo, "jpeg", q)
    assert ours == _pillow_bytes(photo, "JPEG", quality=q)


@pytest.mark.parametrize("q", [30, 75, 95])
def test_jpeg_subsampling_choices_match_pillow(q, photo):
    default = codecs.encode(photo, "jpeg", q)
    s444 = codecs.encode(photo, "jpeg", q, "4:4:4")
    assert s444 != default
    assert s444 == _pillow_bytes(photo, "JPEG", quality=q, subsampling=0)
    assert codecs.encode(photo, "jpeg", q, "4:2:2") == _pillow_bytes(
        photo, "JPEG", quality=q, subsampling=1
    )
    # Pillow's default is 4:2:0 at every quality.
    assert codecs.encode(photo, "jpeg", q, "4:2:0") == default
    assert len(s444) > len(default)  # full-resolution chroma costs bytes


@pytest.mark.parametrize("q", [20, 75, 100])
def test_webp_default_equals_pillow(q, photo):
    ours = codecs.encode(photo, "webp", q)
    assert ours[:4] == b"RIFF" and ours[8:12] == b"WEBP"
    assert ours == _pillow_bytes(photo, "WEBP", quality=q)


def test_jpeg_quality_orders_size(photo):
    sizes = [len(codecs.encode(photo, "jpeg", q)) for q in (10, 50, 90, 100)]
    assert sizes == sorted(sizes) and len(set(sizes)) == 4


def test_png_ignores_quality(photo):
    assert codecs.encode(photo, "png", 1) == codecs.encode(photo, "png", 100)


@pytest.mark.parametrize("codec", ["jpeg", "webp", "png", "avif", "jxl"])
def test_roundtrip_each_codec(codec, photo):
    if codec not in codecs.available_codecs():
        pytest.skip(f"{codec} not supported by this Pillow")
    out, data = codecs.roundtrip(photo, codec, 80)
    assert isinstance(data, bytes) and len(data) > 0
    assert out.mode == "RGB" and out.size == photo.size
    assert codecs.decode(data).tobytes() == out.tobytes()
    diff = np.abs(np.asarray(out, int) - np.asarray(photo, int))
    assert diff.mean() < 10  # close to the original
    if codec == "png":
        assert diff.max() == 0


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF"])
@pytest.mark.parametrize("mode", ["L", "P", "RGBA"])
def test_decode_returns_rgb(fmt, mode):
    im = Image.new(mode, (12, 9))
    if fmt == "JPEG" and mode != "L":
        im = im.convert("L")
    out = codecs.decode(_pillow_bytes(im, fmt))
    assert out.mode == "RGB"
    assert out.size == (12, 9)


def test_decode_garbage_raises():
    with pytest.raises(codecs.DecodeError, match="not an image Pillow can read"):
        codecs.decode(b"not an image")


rgb_images = hnp.arrays(
    np.uint8,
    st.tuples(st.integers(1, 24), st.integers(1, 24), st.just(3)),
    elements=st.integers(0, 255),
)


@given(arr=rgb_images)
@settings(max_examples=60, deadline=None)
def test_png_roundtrip_is_exact(arr):
    im = Image.fromarray(arr, "RGB")
    out, data = codecs.roundtrip(im, "png")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.mode == "RGB"
    assert np.array_equal(np.asarray(out), arr)


@given(arr=rgb_images, q=st.integers(1, 100))
@settings(max_examples=40, deadline=None)
def test_jpeg_roundtrip_keeps_size_and_mode(arr, q):
    im = Image.fromarray(arr, "RGB")
    out, data = codecs.roundtrip(im, "jpeg", q)
    assert data[:2] == b"\xff\xd8" and data[-2:] == b"\xff\xd9"
    assert out.mode == "RGB" and out.size == im.size


def test_encode_is_deterministic(photo):
    for codec in ("jpeg", "webp", "png"):
        assert codecs.encode(photo, codec, 70) == codecs.encode(photo, codec, 70)


def test_save_args():
    jpeg = codecs.get_codec("jpeg")
    assert jpeg.save_args(75, None) == {"quality": 75}
    assert jpeg.save_args(75, "4:4:4") == {"quality": 75, "subsampling": "4:4:4"}
    assert codecs.get_codec("png").save_args(75, None) == {}
