"""Tests for lossylib.metrics, held to scikit-image's reference implementations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from lossylib import codecs, kernels, metrics
from lossylib.images import load_sample

# --- strategies ----------------------------------------------------------------------------


@st.composite
def image_pairs(draw, channels: bool):
    """Two uint8 arrays of one shape: independent, or the second a small change of the first."""
    shape = (draw(st.integers(1, 40)), draw(st.integers(1, 40)))
    if channels:
        shape += (3,)
    a = draw(hnp.arrays(np.uint8, shape, elements=st.integers(0, 255)))
    kind = draw(st.sampled_from(["independent", "noise", "same"]))
    if kind == "independent":
        b = draw(hnp.arrays(np.uint8, shape, elements=st.integers(0, 255)))
    elif kind == "noise":
        seed = draw(st.integers(0, 2**32 - 1))
        noise = np.random.default_rng(seed).integers(-4, 5, shape)
        b = np.clip(a.astype(int) + noise, 0, 255).astype(np.uint8)
    else:
        b = a.copy()
    return a, b


@st.composite
def ssim_pairs(draw):
    """2-D uint8 pairs from 7x7 to ~100x130, random, noisy, flat, or smooth."""
    h = draw(st.integers(7, 100))
    w = draw(st.integers(7, 130))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    kind = draw(st.sampled_from(["random", "noise", "flat", "flat-vs-random", "gradient"]))
    if kind == "flat":
        a = np.full((h, w), draw(st.integers(0, 255)), np.uint8)
        b = np.full((h, w), draw(st.integers(0, 255)), np.uint8)
    elif kind == "gradient":
        yy, xx = np.mgrid[0:h, 0:w]
        a = ((xx * 3 + yy * 2) % 256).astype(np.uint8)
        b = np.clip(a.astype(int) + rng.integers(-20, 21, (h, w)), 0, 255).astype(np.uint8)
    else:
        a = rng.integers(0, 256, (h, w), dtype=np.uint8)
        if kind == "random":
            b = rng.integers(0, 256, (h, w), dtype=np.uint8)
        elif kind == "noise":
            b = np.clip(a.astype(int) + rng.integers(-6, 7, (h, w)), 0, 255).astype(np.uint8)
        else:
            a, b = np.full((h, w), 128, np.uint8), a
    return a, b


# --- PSNR ----------------------------------------------------------------------------------


def _psnr_ref(a, b) -> float:
    if np.array_equal(a, b):
        return math.inf
    return float(peak_signal_noise_ratio(a, b, data_range=255))


@given(pair=image_pairs(channels=True))
@settings(max_examples=100, deadline=None)
def test_psnr_equals_skimage_rgb(pair):
    a, b = pair
    ours = metrics.psnr(a, b)
    ref = _psnr_ref(a, b)
    if math.isinf(ref):
        assert ours == math.inf
    else:
        assert ours == pytest.approx(ref, rel=1e-12, abs=1e-9)


@given(pair=image_pairs(channels=False))
@settings(max_examples=100, deadline=None)
def test_psnr_equals_skimage_grey(pair):
    a, b = pair
    ours = metrics.psnr(a, b)
    ref = _psnr_ref(a, b)
    if math.isinf(ref):
        assert ours == math.inf
    else:
        assert ours == pytest.approx(ref, rel=1e-12, abs=1e-9)


@given(pair=image_pairs(channels=True))
@settings(max_examples=50, deadline=None)
def test_mse_equals_numpy(pair):
    a, b = pair
    ref = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    assert metrics.mse(a, b) == pytest.approx(ref, rel=1e-12, abs=1e-12)
    assert metrics.mse(a, b) == metrics.mse(b, a)  # symmetric


def test_psnr_identical_is_inf():
    a = np.asarray(load_sample("coffee"))
    assert metrics.psnr(a, a.copy()) == math.inf
    assert metrics.psnr(load_sample("coffee"), load_sample("coffee")) == math.inf


def test_psnr_accepts_pil_images_and_arrays_alike():
    a = load_sample("testcard")
    b, _ = codecs.roundtrip(a, "jpeg", 50)
    assert metrics.psnr(a, b) == metrics.psnr(np.asarray(a), np.asarray(b))
    assert metrics.psnr(a, b) == pytest.approx(_psnr_ref(np.asarray(a), np.asarray(b)))


def test_psnr_known_values():
    a = np.zeros((10, 10, 3), np.uint8)
    b = np.full((10, 10, 3), 255, np.uint8)
    assert metrics.psnr(a, b) == pytest.approx(0.0)
    c = np.full((10, 10, 3), 1, np.uint8)
    assert metrics.psnr(a, c) == pytest.approx(20 * math.log10(255))
    assert metrics.psnr(a, c, data_range=1.0) == pytest.approx(0.0)


@pytest.mark.parametrize(
    "a, b",
    [
        (np.zeros((8, 8), np.uint8), np.zeros((8, 9), np.uint8)),
        (np.zeros((8, 8, 3), np.uint8), np.zeros((8, 8), np.uint8)),
        (np.zeros((8, 8), np.float64), np.zeros((8, 8), np.float64)),
        (np.zeros((8, 8), np.uint16), np.zeros((8, 8), np.uint16)),
        (np.zeros((8, 8), np.uint8), np.zeros((8, 8), np.int64)),
    ],
)
def test_psnr_bad_inputs(a, b):
    with pytest.raises(ValueError):
        metrics.psnr(a, b)


def test_psnr_bad_pil_inputs():
    with pytest.raises(ValueError):
        metrics.psnr(Image.new("RGB", (4, 4)), Image.new("L", (4, 4)))
    with pytest.raises(ValueError):
        metrics.psnr(Image.new("RGB", (4, 4)), Image.new("RGB", (4, 5)))


# --- SSIM ----------------------------------------------------------------------------------


def _ssim_ref(a, b) -> float:
    return float(structural_similarity(a, b, data_range=255))


@given(pair=ssim_pairs())
@settings(max_examples=150, deadline=None)
def test_ssim_equals_skimage(pair):
    a, b = pair
    assert abs(metrics.ssim(a, b) - _ssim_ref(a, b)) < 1e-4


@pytest.mark.parametrize(
    "shape",
    [
        (7, 7),
        (7, 100),
        (100, 7),
        (31, 50),
        (32, 50),
        (33, 50),
        (38, 38),
        (39, 39),
        (64, 65),
        (70, 129),
        (101, 130),
    ],
)
def test_ssim_equals_skimage_at_strip_boundaries(shape):
    # The map is computed in strips of 32 output rows (38 input rows for a 7x7 window).
    rng = np.random.default_rng(sum(shape))
    a = rng.integers(0, 256, shape, dtype=np.uint8)
    b = np.clip(a.astype(int) + rng.integers(-30, 31, shape), 0, 255).astype(np.uint8)
    assert abs(metrics.ssim(a, b) - _ssim_ref(a, b)) < 1e-4
    smap = metrics.ssim_map(a, b)
    _, ref_map = structural_similarity(a, b, data_range=255, full=True)
    assert np.abs(smap - ref_map[3:-3, 3:-3]).max() < 1e-4


def test_ssim_identical_is_one():
    rng = np.random.default_rng(0)
    for shape in [(7, 7), (50, 60), (200, 33)]:
        a = rng.integers(0, 256, shape, dtype=np.uint8)
        assert metrics.ssim(a, a) == pytest.approx(1.0, abs=1e-12)
    flat = np.zeros((20, 20), np.uint8)
    assert metrics.ssim(flat, flat) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("name", ["astronaut", "chelsea", "coffee", "testcard"])
@pytest.mark.parametrize("quality", [10, 75])
def test_ssim_equals_skimage_on_real_images(name, quality):
    original = load_sample(name)
    decoded, _ = codecs.roundtrip(original, "jpeg", quality)
    a, b = metrics.luma(original), metrics.luma(decoded)
    ours = metrics.ssim(a, b)
    assert abs(ours - _ssim_ref(a, b)) < 1e-4
    assert 0 < ours < 1
    # Symmetric, and the same whichever image comes first.
    assert metrics.ssim(b, a) == pytest.approx(ours, abs=1e-12)


def test_ssim_decreases_with_quality():
    original = metrics.luma(load_sample("astronaut"))
    scores = []
    for q in (95, 75, 30, 5):
        decoded, _ = codecs.roundtrip(load_sample("astronaut"), "jpeg", q)
        scores.append(metrics.ssim(original, metrics.luma(decoded)))
    assert scores == sorted(scores, reverse=True)


def test_ssim_reuses_workspaces_across_shapes():
    # Alternating between many widths must not give stale results from a cached buffer.
    rng = np.random.default_rng(3)
    pairs = [
        (rng.integers(0, 256, (40, w), dtype=np.uint8), rng.integers(0, 256, (40, w), np.uint8))
        for w in (10, 20, 30, 40, 50, 60, 10, 20)
    ]
    for a, b in pairs * 2:
        assert abs(metrics.ssim(a, b) - _ssim_ref(a, b)) < 1e-4


@given(h=st.integers(7, 70), w=st.integers(7, 70))
@settings(max_examples=30, deadline=None)
def test_ssim_map_shape(h, w):
    rng = np.random.default_rng(h * 1000 + w)
    a = rng.integers(0, 256, (h, w), dtype=np.uint8)
    b = rng.integers(0, 256, (h, w), dtype=np.uint8)
    smap = metrics.ssim_map(a, b)
    assert smap.shape == (h - 6, w - 6)
    assert np.isfinite(smap).all()
    assert (smap <= 1 + 1e-12).all() and (smap >= -1 - 1e-12).all()
    assert metrics.ssim(a, b) == pytest.approx(smap.mean())


def test_ssim_map_other_window():
    rng = np.random.default_rng(5)
    a = rng.integers(0, 256, (30, 40), dtype=np.uint8)
    b = np.clip(a.astype(int) + rng.integers(-9, 10, a.shape), 0, 255).astype(np.uint8)
    assert metrics.ssim_map(a, b, win_size=5).shape == (26, 36)
    ours = metrics.ssim(a, b, win_size=5)
    assert abs(ours - structural_similarity(a, b, data_range=255, win_size=5)) < 1e-4


@pytest.mark.parametrize(
    "a, b, match",
    [
        (np.zeros((10, 10), np.uint8), np.zeros((10, 11), np.uint8), "shape"),
        (np.zeros((10, 10, 3), np.uint8), np.zeros((10, 10, 3), np.uint8), "2-D"),
        (np.zeros(10, np.uint8), np.zeros(10, np.uint8), "2-D"),
        (np.zeros((10, 10)), np.zeros((10, 10)), "uint8"),
        (np.zeros((10, 10), np.uint16), np.zeros((10, 10), np.uint16), "uint8"),
        (np.zeros((10, 10), np.uint8), np.zeros((10, 10), np.float32), "uint8"),
        (np.zeros((6, 10), np.uint8), np.zeros((6, 10), np.uint8), "at least 7x7"),
        (np.zeros((10, 6), np.uint8), np.zeros((10, 6), np.uint8), "at least 7x7"),
    ],
)
def test_ssim_bad_inputs(a, b, match):
    with pytest.raises(ValueError, match=match):
        metrics.ssim(a, b)
    with pytest.raises(ValueError, match=match):
        metrics.ssim_map(a, b)


# --- luma, colour, edges, frequency ----------------------------------------------------------


def test_luma_matches_pillow():
    im = load_sample("chelsea")
    y = metrics.luma(im)
    assert y.dtype == np.uint8 and y.shape == (300, 451)
    assert np.array_equal(y, np.asarray(im.convert("L")))
    assert np.array_equal(metrics.luma(np.asarray(im)), y)
    grey = np.arange(64, dtype=np.uint8).reshape(8, 8)
    assert np.array_equal(metrics.luma(grey), grey)


def test_delta_e_zero_for_identical_and_symmetric():
    im = load_sample("coffee")
    assert metrics.delta_e(im, im) == 0.0
    decoded, _ = codecs.roundtrip(im, "jpeg", 20)
    d = metrics.delta_e(im, decoded)
    assert 0 < d < 10
    assert metrics.delta_e(decoded, im) == pytest.approx(d, rel=1e-6)


def test_delta_e_large_for_different_colours():
    red = np.zeros((4, 4, 3), np.uint8)
    red[..., 0] = 255
    green = np.zeros((4, 4, 3), np.uint8)
    green[..., 1] = 255
    assert metrics.delta_e(red, green) > 50


@pytest.mark.parametrize("value", [0, 77, 255])
def test_edge_energy_zero_for_flat(value):
    assert metrics.edge_energy(np.full((12, 9, 3), value, np.uint8)) == 0.0
    assert metrics.edge_energy(np.full((12, 9), value, np.uint8)) == 0.0


def test_edge_energy_of_a_ramp():
    ramp = np.tile(np.arange(0, 200, 2, dtype=np.uint8), (20, 1))  # +2 per pixel
    assert metrics.edge_energy(ramp) == pytest.approx(2.0)
    assert metrics.edge_energy(ramp.T.copy()) == pytest.approx(2.0)


def test_edge_energy_falls_with_blur():
    from PIL import ImageFilter

    im = load_sample("testcard")
    blurred = im.filter(ImageFilter.GaussianBlur(2))
    assert metrics.edge_energy(blurred) < metrics.edge_energy(im)


@given(arr=hnp.arrays(np.uint8, st.tuples(st.integers(1, 30), st.integers(1, 30))))
@settings(max_examples=50, deadline=None)
def test_high_frequency_energy_is_a_share(arr):
    hf = metrics.high_frequency_energy(arr)
    assert 0.0 <= hf <= 1.0


def test_high_frequency_energy_order():
    flat = np.full((32, 32), 100, np.uint8)
    assert metrics.high_frequency_energy(flat) == 0.0
    yy, xx = np.mgrid[0:64, 0:64]
    smooth = (128 + 100 * np.sin(2 * np.pi * xx / 64)).astype(np.uint8)
    checker = np.where((xx + yy) % 2 == 0, 255, 0).astype(np.uint8)
    assert metrics.high_frequency_energy(smooth) < 0.05
    assert metrics.high_frequency_energy(checker) > 0.95
    from PIL import ImageFilter

    card = load_sample("testcard")
    assert metrics.high_frequency_energy(
        card.filter(ImageFilter.GaussianBlur(2))
    ) < metrics.high_frequency_energy(card)


def test_red_chroma_sanity():
    red = np.zeros((8, 8, 3), np.uint8)
    red[..., 0] = 255
    mask = np.ones((8, 8), bool)
    r = metrics.red_chroma(red, mask)
    assert set(r) == {"lightness", "chroma", "hue"}
    # sRGB red in CIELAB (D65): L* 53.2, a* 80.1, b* 67.2 -> chroma 104.6, hue 40.0 degrees.
    assert r["lightness"] == pytest.approx(53.24, abs=0.1)
    assert r["chroma"] == pytest.approx(104.55, abs=0.2)
    assert r["hue"] == pytest.approx(40.0, abs=0.2)
    orange = np.zeros((8, 8, 3), np.uint8)
    orange[...] = (255, 140, 0)
    assert metrics.red_chroma(orange, mask)["hue"] > r["hue"] + 20
    grey = np.full((8, 8, 3), 128, np.uint8)
    assert metrics.red_chroma(grey, mask)["chroma"] < 0.01


def test_red_chroma_uses_only_the_mask():
    img = np.zeros((8, 8, 3), np.uint8)
    img[:4] = (255, 0, 0)
    img[4:] = (0, 0, 255)
    top = np.zeros((8, 8), bool)
    top[:4] = True
    assert metrics.red_chroma(img, top)["hue"] == pytest.approx(40.0, abs=0.2)
    assert metrics.red_chroma(Image.fromarray(img), top) == metrics.red_chroma(img, top)


def test_test_card_red_is_red():
    from lossylib import images

    card = load_sample("testcard")
    thin = images.test_card_regions()["thin_red"]
    r = metrics.red_chroma(card, thin)
    assert 25 < r["hue"] < 45 and r["chroma"] > 70


def test_edge_energy_over_a_mask():
    """Across a known vertical edge the gradient is half the step; elsewhere it is zero."""
    img = np.zeros((10, 10), np.uint8)
    img[:, 5:] = 200
    mask = np.zeros((10, 10), bool)
    mask[2:8, 4:6] = True  # the two columns either side of the step
    assert metrics.edge_energy(img, mask) == pytest.approx(100.0)
    flat = np.zeros((10, 10), bool)
    flat[2:8, 1:3] = True
    assert metrics.edge_energy(img, flat) == 0.0
    with pytest.raises(ValueError, match="does not match"):
        metrics.edge_energy(img, np.ones((5, 5), bool))
    border = np.zeros((10, 10), bool)
    border[0, :] = True
    with pytest.raises(ValueError, match="no interior pixel"):
        metrics.edge_energy(img, border)


# --- compiled kernels (issue 13): exact against scikit-image and the numpy paths ----------


_GREY = hnp.arrays(
    np.uint8,
    st.tuples(st.integers(7, 40), st.integers(7, 40)),
    elements=st.integers(0, 255),
)


@settings(max_examples=40, deadline=None)
@given(x=_GREY, seed=st.integers(0, 2**16), spread=st.integers(0, 120))
def test_ssim_kernel_is_exact(x, seed, spread):
    from lossylib import kernels

    if not kernels.AVAILABLE:
        pytest.skip("numba missing")
    rng = np.random.default_rng(seed)
    y = np.clip(x.astype(int) + rng.integers(-spread, spread + 1, x.shape), 0, 255)
    y = y.astype(np.uint8)
    ours = metrics.SSIMReference(x).score(y)
    assert abs(ours - structural_similarity(x, y, data_range=255)) < 1e-4
    metrics.USE_KERNELS = False
    try:
        reference = metrics.SSIMReference(x)
        numpy_value, numpy_map = reference.score(y), reference.score_map(y)
    finally:
        metrics.USE_KERNELS = True
    # Same integers and the same float32 arithmetic per window: equal up to summation order.
    assert ours == pytest.approx(numpy_value, rel=1e-12, abs=1e-12)
    assert np.array_equal(metrics.SSIMReference(x).score_map(y), numpy_map)


@settings(max_examples=30, deadline=None)
@given(x=_GREY, seed=st.integers(0, 2**16), win=st.sampled_from([3, 5, 9, 11]))
def test_ssim_kernel_is_exact_for_every_window_it_takes(x, seed, win):
    """The int32 kernel takes windows up to 11 x 11 (larger ones take the numpy path)."""
    from lossylib import kernels

    if not kernels.AVAILABLE or min(x.shape) < win:
        return
    y = np.random.default_rng(seed).integers(0, 256, x.shape, dtype=np.uint8)
    reference = metrics.SSIMReference(x, win)
    assert not reference.numpy
    ours, our_map = reference.score(y), reference.score_map(y)
    metrics.USE_KERNELS = False
    try:
        numpy_reference = metrics.SSIMReference(x, win)
        numpy_value, numpy_map = numpy_reference.score(y), numpy_reference.score_map(y)
    finally:
        metrics.USE_KERNELS = True
    assert ours == pytest.approx(numpy_value, rel=1e-12, abs=1e-12)
    assert np.array_equal(our_map, numpy_map)


def test_windows_above_eleven_take_the_exact_int64_path():
    image = load_sample("astronaut")
    decoded, _ = codecs.roundtrip(image, "jpeg", 30)
    a, b = metrics.luma(image), metrics.luma(decoded)
    assert metrics.SSIMReference(a, 13).numpy
    ref = structural_similarity(a, b, win_size=13, data_range=255)
    assert abs(metrics.ssim(a, b, win_size=13) - ref) < 1e-6


def test_ssim_kernel_agrees_with_skimage_on_a_photo():
    image = load_sample("astronaut")
    decoded, _ = codecs.roundtrip(image, "jpeg", 30)
    a, b = metrics.luma(image), metrics.luma(decoded)
    assert abs(metrics.ssim(a, b) - structural_similarity(a, b, data_range=255)) < 1e-6
    for win in (3, 5, 11):
        ref = structural_similarity(a, b, win_size=win, data_range=255)
        assert abs(metrics.ssim(a, b, win_size=win) - ref) < 1e-6


@settings(max_examples=40, deadline=None)
@given(
    a=hnp.arrays(np.uint8, st.tuples(st.integers(1, 30), st.integers(1, 30), st.just(3))),
    seed=st.integers(0, 2**16),
)
def test_psnr_kernel_is_exact(a, seed):
    b = np.random.default_rng(seed).integers(0, 256, a.shape, dtype=np.uint8)
    ours = metrics.mse(a, b)
    metrics.USE_KERNELS = False
    try:
        histogram = metrics.mse(a, b)
    finally:
        metrics.USE_KERNELS = True
    assert ours == histogram  # both exact integers over the same count
    assert ours == pytest.approx(np.mean((a.astype(float) - b) ** 2), rel=1e-12)


def test_psnr_of_images_with_kernel_equals_skimage():
    image = load_sample("coffee")
    decoded, _ = codecs.roundtrip(image, "jpeg", 50)
    ref = peak_signal_noise_ratio(np.asarray(image), np.asarray(decoded), data_range=255)
    assert metrics.psnr(image, decoded) == pytest.approx(ref, rel=1e-12)


@settings(max_examples=30, deadline=None)
@given(image=hnp.arrays(np.uint8, st.tuples(st.integers(3, 40), st.integers(3, 70), st.just(3))))
def test_edge_energy_kernel_matches_numpy(image):
    """The kernel sums without temporaries, with the same float32 arithmetic per pixel."""
    fast = metrics.edge_energy(image)
    metrics.USE_KERNELS = False
    try:
        slow = metrics.edge_energy(image)
    finally:
        metrics.USE_KERNELS = True
    assert fast == pytest.approx(slow, rel=1e-9, abs=1e-12)
    assert metrics.edge_energy(metrics.luma(image)) == fast  # a luma array is taken as is


def test_large_delta_e_in_strips_matches_whole(monkeypatch):
    """Without the kernel, large images are measured in strips of rows."""
    rng = np.random.default_rng(6)
    a = rng.integers(0, 256, (60, 50, 3), dtype=np.uint8)
    b = np.clip(a.astype(int) + rng.integers(-9, 10, a.shape), 0, 255).astype(np.uint8)
    whole = metrics.delta_e(a, b)
    monkeypatch.setattr(metrics, "USE_KERNELS", False)
    assert metrics.delta_e(a, b) == pytest.approx(whole, rel=1e-12)
    monkeypatch.setattr(metrics, "LARGE", 100)
    assert metrics.delta_e(a, b) == pytest.approx(whole, rel=1e-12)


def _skimage_ciede2000(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    from skimage.color import deltaE_ciede2000, rgb2lab

    return deltaE_ciede2000(rgb2lab(a / 255.0), rgb2lab(b / 255.0))


def _colour_pairs(seed: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Random pairs, near pairs, identical pairs, greys, black and saturated primaries."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 256, (count, 3), dtype=np.uint8)
    b = rng.integers(0, 256, (count, 3), dtype=np.uint8)
    near = np.clip(a.astype(int) + rng.integers(-3, 4, a.shape), 0, 255).astype(np.uint8)
    greys = np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, axis=1)
    corners = np.array([[x, y, z] for x in (0, 255) for y in (0, 255) for z in (0, 255)], np.uint8)
    left = np.concatenate([a, a, a, greys, greys, np.repeat(corners, 8, axis=0)])
    right = np.concatenate([b, near, a, greys[::-1], a[:256], np.tile(corners, (8, 1))])
    return left[None], right[None]


@pytest.mark.skipif(not kernels.AVAILABLE, reason="needs numba")
def test_ciede2000_kernel_equals_scikit_image_per_pixel():
    """Every pixel's CIEDE2000 from the kernel is scikit-image's (float64) to 1e-12,
    including identical colours, greys, black (zero chroma) and saturated primaries."""
    a, b = _colour_pairs(11, 3000)
    expected = _skimage_ciede2000(a, b)[0]
    got = np.array(
        [kernels.delta_e_sum(a[:, i : i + 1], b[:, i : i + 1]) for i in range(a.shape[1])]
    )
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    assert got.max() > 100 and (got == 0).sum() >= 3000  # the cases were there


@settings(max_examples=40, deadline=None)
@given(
    pair=hnp.arrays(
        np.uint8, st.tuples(st.just(2), st.integers(1, 30), st.integers(1, 40), st.just(3))
    ),
    rows=st.integers(1, 5),
    cols=st.integers(1, 5),
)
def test_delta_e_kernel_sum_over_a_grid_matches_scikit_image(pair, rows, cols):
    a, b = pair
    grid = (slice(rows // 2, None, rows), slice(cols // 2, None, cols))
    expected = _skimage_ciede2000(a[grid], b[grid]).sum()
    assert kernels.delta_e_sum(a, b, *grid) == pytest.approx(expected, rel=1e-12, abs=1e-10)
    # The same bytes with a fourth (padding) channel, as the loop passes them.
    pad = np.zeros((*a.shape[:2], 1), np.uint8) + 77
    a4, b4 = np.concatenate([a, pad], axis=2), np.concatenate([b, pad * 2], axis=2)
    assert kernels.delta_e_sum(a4, b4, *grid) == kernels.delta_e_sum(a, b, *grid)


def test_delta_e_kernel_and_numpy_path_agree(monkeypatch):
    im = load_sample("astronaut")
    other = codecs.decode(codecs.encode(im, "jpeg", 40))
    fast = metrics.delta_e(im, other), metrics.delta_e_sampled(im, other, 5000)
    monkeypatch.setattr(metrics, "USE_KERNELS", False)
    slow = metrics.delta_e(im, other), metrics.delta_e_sampled(im, other, 5000)
    assert fast == pytest.approx(slow, rel=1e-12)


def test_delta_e_kernel_refuses_bad_input():
    x = np.zeros((4, 4, 3), np.uint8)
    with pytest.raises(ValueError, match="differ in shape"):
        kernels.delta_e_sum(x, np.zeros((4, 5, 3), np.uint8))
    with pytest.raises(ValueError, match="uint8 arrays"):
        kernels.delta_e_sum(x.astype(float), x.astype(float))
    with pytest.raises(ValueError, match="positive step"):
        kernels.delta_e_sum(x, x, slice(None, None, -1))


def _as_bytes(words: np.ndarray) -> np.ndarray:
    return words.view(np.uint8).reshape(*words.shape, 4)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    shape=st.tuples(st.integers(1, 25), st.integers(1, 30)),
    rows=st.integers(1, 4),
    cols=st.integers(1, 4),
    changed=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=5),
)
def test_delta_e_tracker_is_delta_e_sum_exactly(seed, shape, rows, cols, changed):
    """Image after image, each a random share of pixels changed (with random padding
    bytes, which are not colour), the tracker's sum is delta_e_sum's, to the last bit."""
    rng = np.random.default_rng(seed)
    original = rng.integers(0, 2**32, shape, dtype=np.uint32)
    grid = (slice(rows // 2, None, rows), slice(cols // 2, None, cols))
    tracker = kernels.DeltaETracker(original, *grid)
    current = original.copy()
    for share in changed:
        mask = rng.random(shape) < share
        current = np.where(mask, rng.integers(0, 2**32, shape, dtype=np.uint32), current)
        current ^= rng.integers(0, 2, shape, dtype=np.uint32) << np.uint32(24)  # padding
        expected = kernels.delta_e_sum(_as_bytes(original), _as_bytes(current), *grid)
        assert tracker.sum(current) == expected


def test_delta_e_tracker_reuses_only_the_pixels_whose_colour_is_unchanged():
    """On generations of a re-saved JPEG the tracker gives delta_e_sum's numbers; a pixel
    whose colour did not change keeps its stored value (a planted value shows through),
    and a pixel whose colour changed is computed again."""
    from lossylib.pixels import rgbx_words

    im = load_sample("astronaut")
    words = rgbx_words(im)
    tracker = kernels.DeltaETracker(words)
    current, last = im, None
    for _ in range(4):
        current = codecs.decode(codecs.encode(current, "jpeg", 75))
        now = rgbx_words(current).copy()
        expected = kernels.delta_e_sum(_as_bytes(words), _as_bytes(now))
        assert tracker.sum(now) == expected
        if last is not None:
            assert (now == last).mean() > 0.85  # what makes the tracker pay
        last = now
    tracker._values[5, 7] += 1000.0  # planted: the colour there is the same next time
    assert tracker.sum(last) == pytest.approx(expected + 1000.0, rel=1e-12)
    moved = last.copy()
    moved[5, 7] ^= np.uint32(1)  # a new colour there: computed again, the plant is gone
    assert tracker.sum(moved) == kernels.delta_e_sum(_as_bytes(words), _as_bytes(moved))


def test_delta_e_tracker_refuses_bad_input():
    words = np.zeros((4, 4), np.uint32)
    with pytest.raises(ValueError, match="uint32 words"):
        kernels.DeltaETracker(np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(ValueError, match="positive step"):
        kernels.DeltaETracker(words, slice(None, None, -1))
    tracker = kernels.DeltaETracker(words)
    with pytest.raises(ValueError, match=r"differ.*\(4, 5\) uint32"):
        tracker.sum(np.zeros((4, 5), np.uint32))
    with pytest.raises(ValueError, match=r"differ.*\(4, 4\) uint8"):
        tracker.sum(np.zeros((4, 4), np.uint8))


def test_delta_e_sampled_reads_a_grid():
    rng = np.random.default_rng(7)
    a = rng.integers(0, 256, (300, 400, 3), dtype=np.uint8)
    b = np.clip(a.astype(int) + 12, 0, 255).astype(np.uint8)
    rows, cols = metrics.sample_grid(a.shape, 5000)
    assert len(range(300)[rows]) * len(range(400)[cols]) <= 5000
    assert metrics.delta_e_sampled(a, b, 5000) == pytest.approx(
        metrics.delta_e(a[rows, cols], b[rows, cols]), rel=1e-12
    )
    # An estimate of the full mean: close on this uniform change.
    assert metrics.delta_e_sampled(a, b, 5000) == pytest.approx(metrics.delta_e(a, b), rel=0.05)
    with pytest.raises(ValueError, match="pixels must be a whole number"):
        metrics.delta_e_sampled(a, b, 0)


@pytest.mark.parametrize("fn", [metrics.delta_e, metrics.delta_e_sampled])
def test_delta_e_mismatched_shapes_say_so(fn):
    a = np.zeros((8, 8, 3), np.uint8)
    with pytest.raises(ValueError, match=r"images differ in shape: \(8, 8, 3\) vs \(8, 9, 3\)"):
        fn(a, np.zeros((8, 9, 3), np.uint8))
    with pytest.raises(ValueError, match="needs RGB images"):
        fn(np.zeros((8, 8), np.uint8), np.zeros((8, 8), np.uint8))


@pytest.mark.parametrize("size", [(1, 1), (2, 5), (5, 2)])
def test_edge_energy_of_tiny_images_is_a_clear_error(size):
    image = Image.new("RGB", size, (10, 20, 30))
    with pytest.raises(ValueError, match=r"at least 3x3 pixels.*got \d+x\d+"):
        metrics.edge_energy(image)
    assert metrics.edge_energy(Image.new("RGB", (3, 3), (10, 20, 30))) == 0.0


def test_kernels_work_without_a_writable_cache(tmp_path):
    """A read-only install with NUMBA_CACHE_DIR pointing nowhere writable: the kernels
    still run (compiled in memory), with the same numbers."""
    import os
    import subprocess
    import sys

    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "file").write_text("a file, so no folder can be made under it (even by root)")
    code = (
        "import numpy as np; from lossylib import kernels, metrics;"
        "x = np.arange(400, dtype=np.uint8).reshape(20, 20);"
        "print(kernels.AVAILABLE, round(metrics.ssim(x, x[::-1].copy()), 9))"
    )
    env = {**os.environ, "NUMBA_CACHE_DIR": str(locked / "file" / "cache"), "PYTHONWARNINGS": ""}
    locked.chmod(0o500)
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
        )
    finally:
        locked.chmod(0o700)
    assert done.returncode == 0, done.stderr
    x = np.arange(400, dtype=np.uint8).reshape(20, 20)
    assert done.stdout.split() == ["True", str(round(metrics.ssim(x, x[::-1].copy()), 9))]


def test_jit_falls_back_to_no_disk_cache(monkeypatch):
    """Where numba finds no writable cache folder it raises at decoration; the kernels are
    then compiled without a disk cache instead of failing."""
    from lossylib import kernels

    if not kernels.AVAILABLE:
        pytest.skip("numba missing")
    real = kernels.numba.njit
    calls = []

    def njit(**options):
        calls.append(options["cache"])
        if options["cache"]:
            raise RuntimeError("cannot cache function: no locator available")
        return real(**options)

    monkeypatch.setattr(kernels.numba, "njit", njit)

    def add(a, b):
        return a + b

    assert kernels._jit(add)(2, 3) == 5
    assert calls == [True, False]


# --- rise_width: how wide an edge is ----------------------------------------------------


def test_rise_width_of_a_step_and_of_ramps():
    assert metrics.rise_width([0, 0, 0, 0, 255, 255, 255, 255]) == 0.8
    for k in (2, 3, 5):  # a linear ramp over k pixels rises over 0.8 k
        ramp = np.r_[np.zeros(6), np.linspace(0, 1, k + 1), np.ones(6)]
        assert metrics.rise_width(ramp) == pytest.approx(0.8 * k)


@pytest.mark.parametrize("sd", [1.0, 1.5, 2.5])
def test_rise_width_of_a_gaussian_blur(sd):
    # a blurred step is the normal CDF; its 10-90 % rise is 2 * 1.2816 sd (pixel sampling
    # adds a little at small sd)
    x = np.arange(-30, 30) + 0.5
    profile = 0.5 * (1 + np.vectorize(math.erf)(x / (sd * math.sqrt(2))))
    assert metrics.rise_width(profile) == pytest.approx(2.5631 * sd, rel=0.08)


def test_rise_width_counts_a_shoulder_and_ignores_a_noisy_end_pixel():
    # the widest quality-jitter edge of the JPEG chapter: most of the step between two
    # pixels, the rest over two more; both ways of finding the levels see it as wide
    shoulder = [66, 56, 55, 68, 51, 42, 201, 205, 229, 225, 226, 229]
    assert metrics.rise_width(shoulder) > 1.5
    assert metrics.rise_width(shoulder, levels="ends") > 1.5
    # one bright end pixel moves the end levels, not the medians of the halves
    spiked = [0] * 6 + [255] * 5 + [400]
    assert metrics.rise_width(spiked) == 0.8
    assert metrics.rise_width(spiked, levels="ends") > 0.8


def test_step_levels():
    assert metrics.step_levels([0, 10, 0, 200, 255, 250]) == (0.0, 250.0)
    assert metrics.step_levels([0, 10, 0, 200, 255, 250], "ends") == (5.0, 252.5)
    assert metrics.step_levels([1, 2, 9, 3, 4]) == (1.5, 3.5)  # the middle value of 5 is left out
    with pytest.raises(ValueError, match="levels must be"):
        metrics.step_levels([0, 0, 1, 1], "middle")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(-1000, 1000), min_size=4, max_size=16),  # grey levels
    st.floats(0.01, 1e3),
    st.floats(-1e3, 1e3),
    st.sampled_from(["halves", "ends"]),
)
def test_rise_width_ignores_the_scale_and_offset_of_grey_levels(values, scale, offset, levels):
    p = np.array(values, dtype=float)
    try:
        width = metrics.rise_width(p, levels=levels)
    except ValueError as err:
        assert "does not rise" in str(err)
        return
    assert 0 < width < p.size - 1 + 1e-9
    assert metrics.rise_width(p * scale + offset, levels=levels) == pytest.approx(width)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-1000, 1000), min_size=4, max_size=16).map(sorted))
def test_rise_width_of_a_rising_profile_is_the_same_read_from_either_side(values):
    # read from the other side and turned upside down, a rising edge is the same edge
    p = np.array(values, dtype=float)
    try:
        width = metrics.rise_width(p)
    except ValueError:
        return
    # (a run of pixels exactly at 10 % or 90 % is crossed where it starts, so read from the
    # other side it would be crossed where it ends: a tie, not a difference in the edge)
    start, end = np.median(p[: p.size // 2]), np.median(p[(p.size + 1) // 2 :])
    assume(not np.isclose((p - start) / (end - start), [[0.1], [0.9]]).any())
    assert metrics.rise_width(-p[::-1]) == pytest.approx(width)


@pytest.mark.parametrize(
    ("profile", "options", "says"),
    [
        ([255, 255, 0, 0], {}, "does not rise"),
        ([5, 5, 5, 5], {}, "does not rise"),
        ([0, 1, 2], {}, "4\\+ values"),
        ([[0, 1], [2, 3]], {}, "4\\+ values"),
        ([0, np.nan, 1, 1], {}, "NaN"),
        ([0, 0, 1, 1], {"low": 0.9, "high": 0.1}, "0 < low < high < 1"),
        ([0, 0, 1, 1], {"low": float("nan")}, "0 < low < high < 1"),
        ([0, 0, 1, 1], {"levels": "mean"}, "levels must be"),
    ],
)
def test_rise_width_bad_input(profile, options, says):
    with pytest.raises(ValueError, match=says):
        metrics.rise_width(profile, **options)
