"""A JPEG decoder that repeats 4:2:0's colour samples instead of interpolating them
(:func:`lossylib.codecs.decode_replicating`), and what it changes in the JPEG chapter:
the colour blur that keeps 4:2:0 losing at fixed settings is the interpolating decoder's.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from fractions import Fraction

import numpy as np
import pytest
from PIL import Image

from lossylib import codecs
from lossylib.claims import CAVEAT, DOES_NOT_HOLD, jpeg


def _pictures() -> dict[str, Image.Image]:
    """Pictures of the chapter, and of odd sizes (JPEG pads them to whole blocks)."""
    coffee = jpeg.sample("coffee")
    return {
        "stripes": jpeg.colour_stripes(17),
        "testcard": jpeg.sample("testcard"),
        "coffee": coffee,
        "odd": coffee.crop((0, 0, 255, 253)),
        "tiny": coffee.crop((0, 0, 3, 5)),
    }


def _pillow_ycbcr(data: bytes) -> np.ndarray:
    """Pillow's own full-size decode of ``data``, in YCbCr (no conversion to RGB)."""
    im = Image.open(io.BytesIO(data))
    im.draft("YCbCr", None)
    return np.asarray(im)


@pytest.mark.parametrize("name", list(_pictures()))
@pytest.mark.parametrize("quality", [50, 75, 100])
def test_444_files_decode_as_pillow_decodes_them(name, quality):
    """With full-resolution colour there is nothing to rebuild: the same pixels as
    Pillow's, which also checks the YCbCr -> RGB conversion, rounding and all."""
    data = codecs.encode(_pictures()[name], "jpeg", quality, "4:4:4")
    assert codecs.jpeg_subsampling(data) == "4:4:4"
    ours = np.asarray(codecs.decode_replicating(data))
    assert np.array_equal(ours, np.asarray(codecs.decode(data)))
    assert np.array_equal(codecs.ycbcr_to_rgb(_pillow_ycbcr(data)), ours)


@pytest.mark.parametrize("name", list(_pictures()))
@pytest.mark.parametrize("quality", [50, 75, 100])
def test_420_files_keep_pillows_luma_and_repeat_each_colour_sample(name, quality):
    image = _pictures()[name]
    data = codecs.encode(image, "jpeg", quality)
    assert codecs.jpeg_subsampling(data) == "4:2:0"
    ycc = codecs.replicated_ycbcr(data)
    h, w = ycc.shape[:2]
    assert (w, h) == image.size and ycc.dtype == np.uint8
    # brightness: Pillow's own
    assert np.array_equal(ycc[..., 0], _pillow_ycbcr(data)[..., 0])
    # colour: one value per 2 x 2 block (blocks cut short at an odd edge included)
    colour = ycc[..., 1:].astype(int)
    blocks = colour[: h - h % 2, : w - w % 2].reshape(h // 2, 2, w // 2, 2, 2)
    assert (blocks == blocks[:, :1, :, :1]).all()
    if w % 2:
        assert (colour[:, -1] == colour[:, -1]).all()
    # ... and the picture is that, converted as libjpeg converts it; not Pillow's decode
    rgb = np.asarray(codecs.decode_replicating(data))
    assert np.array_equal(rgb, codecs.ycbcr_to_rgb(ycc))
    if min(h, w) > 4:
        assert not np.array_equal(rgb, np.asarray(codecs.decode(data)))


@pytest.mark.skipif(shutil.which("djpeg") is None, reason="needs libjpeg's djpeg")
@pytest.mark.parametrize("name", list(_pictures()))
def test_matches_djpeg_nosmooth(name):
    """Where libjpeg's own tool is installed: the same pixels as ``djpeg -nosmooth``."""
    data = codecs.encode(_pictures()[name], "jpeg", 75)
    out = subprocess.run(
        ["djpeg", "-ppm", "-nosmooth"], input=data, capture_output=True, check=True
    ).stdout
    reference = np.asarray(Image.open(io.BytesIO(out)).convert("RGB"))
    assert np.array_equal(np.asarray(codecs.decode_replicating(data)), reference)


def test_greyscale_decodes_as_pillow_decodes_it():
    grey = Image.new("L", (16, 16), 100)
    buf = io.BytesIO()
    grey.save(buf, "JPEG")
    data = buf.getvalue()
    assert codecs.jpeg_subsampling(data) is None
    assert codecs.decode_replicating(data).tobytes() == codecs.decode(data).tobytes()


def test_bad_input_is_refused_with_a_reason():
    image = Image.new("RGB", (16, 16), (200, 30, 40))
    with pytest.raises(codecs.CodecError, match="4:2:2"):
        codecs.decode_replicating(codecs.encode(image, "jpeg", 75, "4:2:2"))
    with pytest.raises(codecs.DecodeError, match="not a JPEG"):
        codecs.decode_replicating(codecs.encode(image, "png"))
    with pytest.raises(codecs.DecodeError):
        codecs.decode_replicating(b"not an image")
    whole = codecs.encode(Image.new("RGB", (64, 64), (200, 30, 40)), "jpeg")
    with pytest.raises(codecs.DecodeError, match="truncated"):
        codecs.decode_replicating(whole[:-50])
    with pytest.raises(TypeError):
        codecs.decode_replicating("text")
    with pytest.raises(codecs.CodecError, match="2 x 2"):
        codecs.decode_replicating(codecs.encode(Image.new("RGB", (1, 8), (9, 9, 9)), "jpeg"))
    with pytest.raises(ValueError, match="8-bit"):
        codecs.ycbcr_to_rgb(np.zeros((2, 2, 3)))


def test_decoder_names():
    assert codecs.decoder("interpolating") is codecs.decode
    assert codecs.decoder("replicating") is codecs.decode_replicating
    assert set(codecs.DECODERS) == {"interpolating", "replicating"}
    with pytest.raises(codecs.CodecError, match="decoder must be one of"):
        codecs.decoder("bicubic")


# --- what the decoder changes in the chapter ------------------------------------------------


def test_the_round_trip_is_a_blur_when_interpolating_and_a_projection_when_repeating():
    assert jpeg.chroma_round_trip_weights() == (Fraction(1, 8), Fraction(3, 4), Fraction(1, 8))
    assert jpeg.chroma_round_trip_weights("repeating") == (0, 1, 0)
    assert sum(jpeg.chroma_round_trip_weights()) == 1
    w = jpeg.fancy_upsampling_weights()
    assert w == {
        "own": Fraction(9, 16),
        "beside": Fraction(3, 16),
        "above or below": Fraction(3, 16),
        "diagonal": Fraction(1, 16),
    }
    with pytest.raises(ValueError, match="upsampling"):
        jpeg.chroma_round_trip_weights("cubic")


def test_444_loops_are_the_same_with_either_decoder():
    image = jpeg.colour_stripes(13)
    a = jpeg.settled_run(image, 30, 90, "4:4:4", keep=(1, 30))
    b = jpeg.settled_run(image, 30, 90, "4:4:4", keep=(1, 30), decoder="replicating")
    assert a.fixed_point == b.fixed_point
    assert all(np.array_equal(np.asarray(a.frames[g]), np.asarray(b.frames[g])) for g in (1, 30))
    assert jpeg.quality_runs("replicating")[100, "4:4:4"] == jpeg.quality_runs()[100, "4:4:4"]


def test_repeating_colour_samples_stops_the_colour_melt():
    """The referee's question: does the melt build up across saves only because each
    save is opened by interpolating colour? Yes: opened by repeating the samples, no
    width of the grid widens after its first save, at any quality, and every run settles
    within two saves; yet the melt Pillow's loop made is stored in its file."""
    for q in jpeg.COLOUR_GRID_QUALITIES:
        times = jpeg.colour_grid(quality=q, decoder="replicating").values()
        assert max(times) < 1.01 and jpeg.share_past(times) == 0, q
    fixed = [
        jpeg.colour_edge_summary("red/blue", w, "4:2:0", 75, "replicating")["fixed_point"]
        for w in jpeg.COLOUR_GRID_WIDTHS
    ]
    assert max(fixed) <= 2
    first = jpeg.colour_edge_summary()["width_first"]
    assert jpeg.last_file_width() > jpeg.MELT_FACTOR * first


def test_repeating_colour_samples_settles_every_quality():
    """Claim 1's runs: with Pillow's decoder the top qualities never settle with 4:2:0;
    opened by repeating colour samples every run settles and loses far less."""
    rows = {r["quality"]: r for r in jpeg.decoder_table()}
    assert rows[100]["settled, Pillow's decoder"] == "0 of 4"
    assert all(r["settled, repeating decoder"] == "4 of 4" for r in rows.values())
    for q, r in rows.items():
        assert r["largest loss (dB), repeating decoder"] < 2, q
    assert rows[100]["largest loss (dB), Pillow's decoder"] > 4
    n = jpeg.decoder_numbers()
    for s in jpeg.SAMPLES:
        assert n[f"{s}_replicating"] < 1 < n[f"{s}_interpolating"], s
    assert n["settled_replicating"] == n["runs"] > n["settled_interpolating"] == 0
    assert n["card_default_replicating"] < n["card_default_interpolating"]


def test_claims_1_and_3_turn_with_the_decoder():
    """Both rules reach "does not hold" on the chapter's own runs when every file is
    opened by repeating its colour samples, and a caveat with Pillow's decoder."""
    assert jpeg.claim_1().verdict == CAVEAT
    assert jpeg.claim_1_with_replicating_decoder().verdict == DOES_NOT_HOLD
    assert jpeg.claim_3().verdict == CAVEAT
    other = jpeg.claim_3_with_replicating_decoder()
    assert other.verdict == DOES_NOT_HOLD
    ev = jpeg.replicating_colour_evidence(jpeg.claim_3_evidence())
    assert jpeg.colour_state(ev) == "sharp"
    assert "colour_grid_replicating_half_reach" not in ev
    assert ev["colour_edge_width_420_last"] == ev["colour_edge_width_420_first"]
