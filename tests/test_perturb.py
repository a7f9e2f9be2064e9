"""Tests for lossylib.perturb: specs, ranges, reproducibility, identity without a codec."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from lossylib import perturb
from lossylib.perturb import (
    AlternateQuality,
    Crop,
    Perturbation,
    PerturbationError,
    QualityJitter,
    Resize,
    Rotate,
    Sharpen,
    Shift,
)


def _image(w: int = 48, h: int = 40, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8), "RGB")


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def test_perturbation_error_is_a_value_error():
    assert issubclass(PerturbationError, ValueError)


# --- parse ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec, cls, attrs",
    [
        ("jitter:60-90", QualityJitter, {"low": 60, "high": 90}),
        ("JITTER:1-100", QualityJitter, {"low": 1, "high": 100}),
        ("jitter:75-75", QualityJitter, {"low": 75, "high": 75}),
        ("alternate:70/90", AlternateQuality, {"qualities": (70, 90)}),
        ("alternate:50", AlternateQuality, {"qualities": (50,)}),
        ("alternate:10/20/30", AlternateQuality, {"qualities": (10, 20, 30)}),
        ("shift:4", Shift, {"k": 4}),
        ("shift:-3", Shift, {"k": -3}),
        (" shift:1 ", Shift, {"k": 1}),
        ("resize:0.9", Resize, {"factor": 0.9}),
        ("resize:2", Resize, {"factor": 2.0}),
        ("crop:3", Crop, {"k": 3}),
        ("rotate:1.5", Rotate, {"degrees": 1.5}),
        ("rotate:-2", Rotate, {"degrees": -2.0}),
        ("sharpen", Sharpen, {"percent": 80}),
        ("sharpen:120", Sharpen, {"percent": 120}),
    ],
)
def test_parse_specs(spec, cls, attrs):
    p = perturb.parse(spec)
    assert type(p) is cls
    for k, v in attrs.items():
        assert getattr(p, k) == v
    assert isinstance(p.name, str) and p.name and "\n" not in p.name
    assert p.name in repr(p)


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "blur:3",
        "jitter",
        "jitter:60",
        "jitter:90-60",
        "jitter:0-50",
        "jitter:60-101",
        "jitter:a-b",
        "jitter:60-70-80",
        "alternate:",
        "alternate:70/x",
        "alternate:0/90",
        "alternate:70/101",
        "shift:",
        "shift:1.5",
        "shift:x",
        "shift:100000",
        "resize:0",
        "resize:0.01",
        "resize:nan",
        "resize:inf",
        "resize:abc",
        "crop:0",
        "crop:65",
        "crop:-1",
        "rotate:90",
        "rotate:nan",
        "sharpen:0",
        "sharpen:abc",
        "sharpen:1000",
        None,
    ],
)
def test_parse_bad_specs(spec):
    with pytest.raises(PerturbationError) as info:
        perturb.parse(spec)
    msg = str(info.value)
    assert msg and "\n" not in msg


def test_parse_unknown_lists_the_choices():
    with pytest.raises(PerturbationError, match="unknown perturbation.*jitter:LOW-HIGH"):
        perturb.parse("blur:2")
    with pytest.raises(PerturbationError, match="cannot read perturbation.*shift:K"):
        perturb.parse("shift:two")


# --- constructor validation ----------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: QualityJitter(math.nan, 90),
        lambda: QualityJitter(60, math.nan),
        lambda: QualityJitter(True, 90),
        lambda: QualityJitter("60", 90),
        lambda: AlternateQuality(()),
        lambda: AlternateQuality((math.nan,)),
        lambda: Shift(math.nan),
        lambda: Resize(math.nan),
        lambda: Resize(None),
        lambda: Crop(math.nan),
        lambda: Rotate(math.nan),
        lambda: Rotate(math.inf),
        lambda: Sharpen(math.nan),
    ],
)
def test_nan_and_non_numbers_rejected(make):
    with pytest.raises(PerturbationError):
        make()


@pytest.mark.parametrize(
    "make",
    [
        lambda: QualityJitter(60.5, 90),
        lambda: AlternateQuality((70.5, 90)),
        lambda: Shift(1.5),
        lambda: Crop(2.5),
        lambda: Sharpen(80.5),
    ],
    ids=["jitter", "alternate", "shift", "crop", "sharpen"],
)
def test_whole_number_parameters_reject_fractions(make):
    # Qualities, pixel counts and percents are whole numbers: 1.5 px must not be silently
    # truncated (Shift, AlternateQuality) or fail later with a TypeError (Crop).
    with pytest.raises(PerturbationError):
        make()


# --- quality changers ----------------------------------------------------------------------


@given(
    low=st.integers(1, 100),
    span=st.integers(0, 99),
    seed=st.integers(0, 2**32 - 1),
    generation=st.integers(1, 10_000),
)
@settings(max_examples=80, deadline=None)
def test_quality_jitter_stays_in_range(low, span, seed, generation):
    high = min(100, low + span)
    p = QualityJitter(low, high)
    rng = _rng(seed)
    draws = [p.quality(75, rng, generation + i) for i in range(20)]
    assert all(isinstance(q, int) for q in draws)
    assert all(low <= q <= high for q in draws)


def test_quality_jitter_is_reproducible_and_covers_the_range():
    p = QualityJitter(60, 90)
    a = [p.quality(75, rng, g) for rng in [_rng(7)] for g in range(1, 2001)]
    b = [p.quality(75, rng, g) for rng in [_rng(7)] for g in range(1, 2001)]
    c = [p.quality(75, rng, g) for rng in [_rng(8)] for g in range(1, 2001)]
    assert a == b
    assert a != c
    assert set(a) == set(range(60, 91))  # both ends are reachable


def test_quality_jitter_does_not_change_pixels():
    p = QualityJitter(60, 90)
    assert not p.changes_image
    im = _image()
    assert p.before(im, _rng(), 1) is im
    assert p.after(im, im, _rng(), 1) is im


@given(qs=st.lists(st.integers(1, 100), min_size=1, max_size=6), start=st.integers(1, 1000))
@settings(max_examples=50, deadline=None)
def test_alternate_quality_cycles(qs, start):
    p = AlternateQuality(tuple(qs))
    got = [p.quality(75, _rng(), g) for g in range(start, start + 2 * len(qs))]
    expected = [qs[(g - 1) % len(qs)] for g in range(start, start + 2 * len(qs))]
    assert got == expected
    assert got[: len(qs)] == got[len(qs) :]


def test_alternate_quality_starts_with_the_first():
    p = AlternateQuality((70, 90))
    assert [p.quality(75, _rng(), g) for g in range(1, 6)] == [70, 90, 70, 90, 70]
    assert not p.changes_image


def test_identity_perturbation():
    p = Perturbation()
    im = _image()
    assert p.quality(42, _rng(), 3) == 42
    assert p.before(im, _rng(), 1) is im
    assert p.after(im, im, _rng(), 1) is im
    assert not p.changes_image


# --- image changers ------------------------------------------------------------------------


@given(k=st.integers(-4096, 4096), generation=st.integers(0, 100_000))
@settings(max_examples=80, deadline=None)
def test_shift_and_back_is_the_identity(k, generation):
    im = _image(40, 24, seed=k & 0xFF)
    p = Shift(k)
    moved = p.before(im, _rng(), generation)
    back = p.after(moved, im, _rng(), generation)
    assert back.size == im.size and back.mode == "RGB"
    assert back.tobytes() == im.tobytes()


def test_shift_really_moves_the_grid():
    im = _image()
    p = Shift(1)
    assert p.changes_image
    assert [p.offset(g) for g in range(1, 18)] == [*range(1, 16), 0, 1]
    moved = p.before(im, _rng(), 3)
    assert np.array_equal(np.asarray(moved), np.roll(np.asarray(im), (3, 3), axis=(0, 1)))
    assert Shift(16).before(im, _rng(), 5).tobytes() == im.tobytes()  # 16 px: same grid


@pytest.mark.parametrize(
    "p",
    [Shift(3), Crop(3), Crop(32), Resize(0.5), Resize(0.9), Resize(1.7), Rotate(1.5), Rotate(-30)],
    ids=repr,
)
@pytest.mark.parametrize("size", [(48, 40), (65, 33)])
def test_size_is_restored(p, size):
    im = _image(*size)
    rng = _rng()
    for g in (1, 2, 7):
        moved = p.before(im, rng, g)
        back = p.after(moved, im, rng, g)
        assert back.size == im.size, (p, g)
        assert back.mode == "RGB"


def test_crop_restores_the_border_from_the_input():
    im = _image()
    p = Crop(5)
    cut = p.before(im, _rng(), 1)
    assert cut.size == (im.width - 5, im.height - 5)
    edited = Image.new("RGB", cut.size, (1, 2, 3))
    back = np.asarray(p.after(edited, im, _rng(), 1))
    orig = np.asarray(im)
    assert np.array_equal(back[:5], orig[:5])
    assert np.array_equal(back[:, :5], orig[:, :5])
    assert (back[5:, 5:] == (1, 2, 3)).all()


@pytest.mark.parametrize("k", [32, 40, 64])
def test_crop_larger_than_the_image_is_a_clear_error(k):
    # A crop that leaves nothing must fail with a PerturbationError naming the crop, not
    # with Pillow's "Coordinate 'right' is less than 'left'" or "cannot write empty image".
    im = _image(32, 48)
    with pytest.raises(PerturbationError, match="crop"):
        Crop(k).before(im, _rng(), 1)


def test_crop_and_back_without_a_codec_is_the_identity():
    im = _image()
    p = Crop(7)
    assert p.after(p.before(im, _rng(), 1), im, _rng(), 1).tobytes() == im.tobytes()


def test_resize_scales_before_saving():
    im = _image(100, 60)
    assert Resize(0.5).before(im, _rng(), 1).size == (50, 30)
    assert Resize(0.1).before(_image(5, 5), _rng(), 1).size == (1, 1)  # never zero


def test_rotate_and_back_keeps_most_of_the_picture():
    im = Image.fromarray(np.tile(np.linspace(0, 255, 64, dtype=np.uint8), (64, 1)), "L")
    im = im.convert("RGB")
    p = Rotate(2)
    back = p.after(p.before(im, _rng(), 1), im, _rng(), 1)
    diff = np.abs(np.asarray(back, int) - np.asarray(im, int))[8:-8, 8:-8]
    assert diff.mean() < 3


def test_sharpen_changes_only_before():
    im = _image()
    p = Sharpen(150)
    assert p.changes_image
    sharp = p.before(im, _rng(), 1)
    assert sharp.size == im.size and sharp.tobytes() != im.tobytes()
    assert p.after(sharp, im, _rng(), 1) is sharp
    flat = Image.new("RGB", (16, 16), (90, 90, 90))
    assert p.before(flat, _rng(), 1).tobytes() == flat.tobytes()


# --- chains --------------------------------------------------------------------------------


class _Log(Perturbation):
    """Records the order of calls and what each call received."""

    def __init__(self, tag: str, log: list) -> None:
        self.tag, self.log = tag, log

    @property
    def name(self) -> str:
        return self.tag

    def quality(self, quality, rng, generation):
        self.log.append(("q", self.tag, quality))
        return quality + 1

    def before(self, image, rng, generation):
        self.log.append(("before", self.tag, image.getpixel((0, 0))))
        return Image.new("RGB", image.size, (ord(self.tag), 0, 0))

    def after(self, image, previous, rng, generation):
        self.log.append(("after", self.tag, previous.getpixel((0, 0))))
        return image


def test_chain_order():
    log: list = []
    p = perturb.chain(_Log("a", log), _Log("b", log), _Log("c", log))
    assert p.name == "a + b + c"
    assert p.quality(10, _rng(), 1) == 13
    im = Image.new("RGB", (4, 4), (1, 1, 1))
    out = p.before(im, _rng(), 1)
    assert out.getpixel((0, 0)) == (ord("c"), 0, 0)
    p.after(out, im, _rng(), 1)
    assert [e[:2] for e in log] == [
        ("q", "a"),
        ("q", "b"),
        ("q", "c"),
        ("before", "a"),
        ("before", "b"),
        ("before", "c"),
        ("after", "c"),
        ("after", "b"),
        ("after", "a"),
    ]
    # Qualities flow through in order; each "after" gets what its own "before" received.
    assert [e[2] for e in log[:3]] == [10, 11, 12]
    befores = {e[1]: e[2] for e in log if e[0] == "before"}
    afters = {e[1]: e[2] for e in log if e[0] == "after"}
    assert befores == afters


def test_chain_of_image_changers_is_the_identity_without_a_codec():
    im = _image(64, 48)
    p = perturb.chain(Shift(3), Crop(4), Shift(5))
    for g in range(1, 5):
        assert p.after(p.before(im, _rng(), g), im, _rng(), g).tobytes() == im.tobytes()


def test_empty_chain_is_the_identity():
    p = perturb.chain()
    im = _image()
    assert p.name == "none"
    assert p.quality(75, _rng(), 1) == 75
    assert p.after(p.before(im, _rng(), 1), im, _rng(), 1).tobytes() == im.tobytes()
    assert not p.changes_image


def test_chain_changes_image():
    assert perturb.chain(QualityJitter(60, 90), Shift(1)).changes_image
    assert not perturb.chain(QualityJitter(60, 90), AlternateQuality((70, 90))).changes_image


@pytest.mark.parametrize("bad", ["shift:1", 3, None, Shift])
def test_chain_rejects_non_perturbations(bad):
    with pytest.raises(PerturbationError, match="expected Perturbation objects") as info:
        perturb.chain(Shift(1), bad)
    # The message names what was wrong, and for a text spec says how to read it.
    assert repr(bad) in str(info.value)
    assert ("perturb.parse('shift:1')" in str(info.value)) == (bad == "shift:1")


@pytest.mark.parametrize(
    ("degrees", "name"),
    [(1, "rotate 1 degree and back"), (-1, "rotate -1 degree and back"),
     (1.5, "rotate 1.5 degrees and back"), (2, "rotate 2 degrees and back")],
)  # fmt: skip
def test_rotate_name_is_grammatical(degrees, name):
    assert Rotate(degrees).name == name
