"""Bad input to the image modules gets a clear one-line ValueError or TypeError.

Each case names a call that used to fail obscurely (AttributeError, IndexError,
KeyError, ZeroDivisionError, a numpy RuntimeWarning, an error from deep inside Pillow,
numba or matplotlib, a hang, or no error and a nonsense result) and the message it
gives now. The few fixed cases that now return a result are tested for that result.
"""

from __future__ import annotations

import functools
import io
import os
import signal
import struct
import zlib
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from lossylib import (  # noqa: E402
    codecs,
    colour,
    explore,
    figures,
    generations,
    glue,
    images,
    kernels,
    metrics,
    perturb,
    pixels,
    plots,
    previews,
    tables,
)
from lossylib.explore import Choice, Slider  # noqa: E402

NAN, INF = float("nan"), float("inf")
RGB = np.random.default_rng(0).integers(0, 256, (16, 16, 3), dtype=np.uint8)
GREY = RGB[..., 0].copy()
CARD = Image.fromarray(np.tile(RGB, (4, 4, 1)), "RGB")  # 64 x 64
WORDS = np.zeros((4, 4), np.uint32)


@functools.cache
def _run() -> generations.Run:
    return generations.recompress(CARD, 2, metrics=["psnr"], keep=(0, 1, 2))


@functools.cache
def _preview() -> previews.Preview:
    return previews.Preview(CARD, side=32, crop=16)


def _png_claiming_size(width: int, height: int) -> bytes:
    """A 1x1 PNG whose header claims ``width`` x ``height`` (a decompression bomb)."""
    buf = io.BytesIO()
    Image.new("RGB", (1, 1)).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def _truncated_jpeg() -> bytes:
    buf = io.BytesIO()
    Image.fromarray(RGB).resize((64, 64)).save(buf, "JPEG")
    return buf.getvalue()[: len(buf.getvalue()) // 2]


def _frames():
    red = {q: Image.new("RGB", (4, 4), (q, 0, 0)) for q in (1, 2)}
    return {(q,): explore.image_bytes(im) for q, im in red.items()}


def _static(**kwargs):
    kwargs.setdefault("frames", _frames())
    kwargs.setdefault("controls", [Slider("q", "q", (1, 2))])
    return explore.static(kwargs.pop("frames"), kwargs.pop("controls"), **kwargs)


def _figure():
    fig = plt.figure(figsize=(1, 1))
    fig.add_subplot().plot([0, 1], [0, 1])
    return fig


def _place(*, rows=1, **kwargs):
    fig, axes = plt.subplots(rows, 2, squeeze=False)
    args = dict(width=40, heights=[30] * rows, titles=[10] * rows, hgap=8, vgap=0)
    args.update(kwargs)
    plots.place_in_pixels(
        axes, args.pop("width"), args.pop("heights"), titles=args.pop("titles"), **args
    )


def _csv(tmp_path, text: str | bytes):
    path = tmp_path / "metrics.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return generations.read_metrics_csv(path)


Case = tuple[str, Callable[[], object], type, str]

# fmt: off
CASES: list[Case] = [
    # --- images ---------------------------------------------------------------------
    ("as_rgb-background-None", lambda: images.as_rgb(Image.new("RGBA", (2, 2)),
                                                    background=None),
     ValueError, r"background must be three integers in 0-255, got None"),
    ("as_rgb-background-256", lambda: images.as_rgb(Image.new("RGBA", (2, 2)),
                                                   background=(256, 0, 0)),
     ValueError, r"background must be three integers in 0-255, got \(256, 0, 0\)"),
    ("as_rgb-background-float", lambda: images.as_rgb(Image.new("RGBA", (2, 2)),
                                                     background=(1.5, 2, 3)),
     ValueError, r"background must be three integers"),
    ("load_image-max_pixels-None", lambda: images.load_image("x.png", max_pixels=None),
     ValueError, r"max_pixels must be a whole number >= 1, got None"),
    ("load_image-max_pixels-0", lambda: images.load_image("x.png", max_pixels=0),
     ValueError, r"max_pixels must be a whole number >= 1, got 0"),
    ("load_image-max_pixels-2.5", lambda: images.load_image("x.png", max_pixels=2.5),
     ValueError, r"max_pixels must be a whole number >= 1, got 2.5"),
    ("load_image-max_pixels-True", lambda: images.load_image("x.png", max_pixels=True),
     ValueError, r"max_pixels must be a whole number >= 1, got True"),
    ("load_image-path-None", lambda: images.load_image(None),
     ValueError, r"path must be a file path, got None"),
    ("load_image-path-int", lambda: images.load_image(3),
     ValueError, r"path must be a file path, got 3"),
    ("test_card-None", lambda: images.test_card(None),
     ValueError, r"test card size must be a whole number, got None"),
    ("test_card-str", lambda: images.test_card("256"),
     ValueError, r"test card size must be a whole number, got '256'"),
    ("test_card-96.0", lambda: images.test_card(96.0),
     ValueError, r"test card size must be a whole number, got 96.0"),
    ("test_card-True", lambda: images.test_card(True),
     ValueError, r"test card size must be a whole number, got True"),
    ("test_card-huge", lambda: images.test_card(4128),
     ValueError, r"test card size must be at most 4096, got 4128"),
    ("test_card_regions-huge", lambda: images.test_card_regions(4128),
     ValueError, r"test card size must be at most 4096, got 4128"),
    ("center_crop-size-0", lambda: images.center_crop(CARD, 0),
     ValueError, r"size must be a whole number >= 1, got 0"),
    ("center_crop-size-negative", lambda: images.center_crop(CARD, -5),
     ValueError, r"size must be a whole number >= 1, got -5"),
    ("center_crop-size-None", lambda: images.center_crop(CARD, None),
     ValueError, r"size must be a whole number >= 1, got None"),
    ("center_crop-size-nan", lambda: images.center_crop(CARD, NAN),
     ValueError, r"size must be a whole number >= 1, got nan"),
    ("center_crop-image-None", lambda: images.center_crop(None, 8),
     ValueError, r"expected a PIL image for image, got NoneType"),
    # --- codecs ---------------------------------------------------------------------
    ("check_subsampling-codec-str", lambda: codecs.check_subsampling("jpeg", "4:4:4"),
     ValueError, r"codec must be a Codec \(see get_codec\), got 'jpeg'"),
    ("encode-None", lambda: codecs.encode(None),
     ValueError, r"expected a PIL image for image, got NoneType"),
    ("encode-array", lambda: codecs.encode(RGB),
     ValueError, r"expected a PIL image for image, got ndarray"),
    ("encode-0x0-webp", lambda: codecs.encode(Image.new("RGB", (0, 0)), "webp"),
     ValueError, r"image is empty \(0x0 pixels\)"),
    ("encode-RGBA-jpeg", lambda: codecs.encode(Image.new("RGBA", (8, 8)), "jpeg"),
     codecs.CodecError, r"jpeg cannot encode this 8x8 RGBA image .*as_rgb"),
    ("encode-F-png", lambda: codecs.encode(Image.new("F", (8, 8)), "png"),
     codecs.CodecError, r"png cannot encode this 8x8 F image"),
    ("encode-too-wide-webp",
     lambda: codecs.encode(Image.new("RGB", (20000, 1)), "webp"),
     codecs.CodecError, r"webp cannot encode this 20000x1 RGB image \(.*16383"),
    ("roundtrip-None", lambda: codecs.roundtrip(None),
     ValueError, r"expected a PIL image for image"),
    ("decode-garbage", lambda: codecs.decode(b"garbage"),
     ValueError, r"data is not an image Pillow can read \(7 bytes\)"),
    ("decode-empty", lambda: codecs.decode(b""),
     ValueError, r"data is not an image Pillow can read \(0 bytes\)"),
    ("decode-None", lambda: codecs.decode(None),
     TypeError, r"data must be bytes, got NoneType"),
    ("decode-truncated", lambda: codecs.decode(_truncated_jpeg()),
     ValueError, r"data is truncated or corrupt \(image file is truncated"),
    ("decode-bomb", lambda: codecs.decode(_png_claiming_size(20_000, 20_000)),
     ValueError, r"data looks like a decompression bomb"),
    # --- generations ----------------------------------------------------------------
    ("recompress-metrics-int", lambda: generations.recompress(CARD, 1, metrics=3),
     ValueError, r"metrics must be a list of metric names .*got 3"),
    ("recompress-metrics-pairs",
     lambda: generations.recompress(CARD, 1, metrics=[["psnr", 1]]),
     ValueError, r"unknown metric \['psnr', 1\]; choose from: psnr"),
    ("recompress-progress-str", lambda: generations.recompress(CARD, 1, progress="yes"),
     ValueError, r"progress must be True, False or None, got 'yes'"),
    ("recompress-progress-int", lambda: generations.recompress(CARD, 1, progress=3),
     ValueError, r"progress must be True, False or None, got 3"),
    ("row-past-the-end", lambda: _run().table.row(5),
     ValueError, r"generation must be between 0 and 2, got 5"),
    ("row-float", lambda: _run().table.row(2.5),
     TypeError, r"generation must be a whole number, got 2.5"),
    ("row-None", lambda: _run().table.row(None),
     TypeError, r"generation must be a whole number, got None"),
    # --- metrics --------------------------------------------------------------------
    ("mse-empty", lambda: metrics.mse(np.zeros((0, 0), np.uint8),
                                      np.zeros((0, 0), np.uint8)),
     ValueError, r"mse needs images with at least one pixel, got 0x0"),
    ("mse-F-mode", lambda: metrics.mse(Image.new("F", (4, 4)), Image.new("F", (4, 4))),
     ValueError, r"expected 8-bit images \(uint8\), got mode F"),
    ("mse-1-D", lambda: metrics.mse(np.zeros(16, np.uint8), np.zeros(16, np.uint8)),
     ValueError, r"expected an image array of shape \(h, w\) or \(h, w, 3\), got"),
    ("psnr-scalar", lambda: metrics.psnr(RGB, np.uint8(3)),
     ValueError, r"expected an image array of shape .*got shape \(\)"),
    ("psnr-4-D", lambda: metrics.psnr(RGB, np.zeros((2, 16, 16, 3), np.uint8)),
     ValueError, r"expected an image array .*got shape \(2, 16, 16, 3\)"),
    ("luma-one-channel", lambda: metrics.luma(np.zeros((4, 4, 1), np.uint8)),
     ValueError, r"expected an image array .*got shape \(4, 4, 1\)"),
    ("psnr-data_range-0", lambda: metrics.psnr(RGB, RGB[::-1], 0),
     ValueError, r"data_range must be a positive number, got 0"),
    ("psnr-data_range-negative", lambda: metrics.psnr(RGB, RGB[::-1], -1),
     ValueError, r"data_range must be a positive number, got -1"),
    ("psnr-data_range-nan", lambda: metrics.psnr(RGB, RGB[::-1], NAN),
     ValueError, r"data_range must be a positive number, got nan"),
    ("psnr-data_range-None", lambda: metrics.psnr(RGB, RGB[::-1], None),
     ValueError, r"data_range must be a positive number, got None"),
    ("ssim-data_range-str", lambda: metrics.ssim(GREY, GREY, data_range="255"),
     ValueError, r"data_range must be a positive number, got '255'"),
    ("ssim-data_range-True", lambda: metrics.ssim(GREY, GREY, data_range=True),
     ValueError, r"data_range must be a positive number, got True"),
    ("psnr_of_mse-negative", lambda: metrics.psnr_of_mse(-1),
     ValueError, r"err must be a mean squared error \(a number >= 0\), got -1"),
    ("psnr_of_mse-inf", lambda: metrics.psnr_of_mse(INF),
     ValueError, r"err must be a mean squared error .*got inf"),
    ("psnr_of_mse-nan", lambda: metrics.psnr_of_mse(NAN),
     ValueError, r"err must be a mean squared error .*got nan"),
    ("delta_e-empty", lambda: metrics.delta_e(np.zeros((0, 0, 3), np.uint8),
                                              np.zeros((0, 0, 3), np.uint8)),
     ValueError, r"delta_e needs images with at least one pixel, got shape \(0, 0"),
    ("delta_e_sampled-empty", lambda: metrics.delta_e_sampled(
        np.zeros((0, 4, 3), np.uint8), np.zeros((0, 4, 3), np.uint8)),
     ValueError, r"delta_e_sampled needs images with at least one pixel"),
    ("delta_e-nan", lambda: metrics.delta_e(np.full((4, 4, 3), NAN),
                                            np.zeros((4, 4, 3))),
     ValueError, r"delta_e needs pixel values from 0 to 255, got NaN"),
    ("delta_e-out-of-range", lambda: metrics.delta_e(RGB * 10.0, RGB * 1.0),
     ValueError, r"delta_e needs pixel values from 0 to 255, got 0 to 2550"),
    ("high_frequency_energy-empty",
     lambda: metrics.high_frequency_energy(np.zeros((0, 0), np.uint8)),
     ValueError, r"high_frequency_energy needs an image with at least one pixel"),
    ("high_frequency_energy-cutoff-nan",
     lambda: metrics.high_frequency_energy(RGB, NAN),
     ValueError, r"cutoff must be a finite number >= 0, got nan"),
    ("high_frequency_energy-cutoff-negative",
     lambda: metrics.high_frequency_energy(RGB, -1),
     ValueError, r"cutoff must be a finite number >= 0, got -1"),
    ("high_frequency_energy-cutoff-None",
     lambda: metrics.high_frequency_energy(RGB, None),
     ValueError, r"cutoff must be a finite number >= 0, got None"),
    ("red_chroma-empty-mask", lambda: metrics.red_chroma(RGB, np.zeros((16, 16), bool)),
     ValueError, r"the mask selects no pixel"),
    ("red_chroma-mask-shape", lambda: metrics.red_chroma(RGB, np.ones((8, 8), bool)),
     ValueError, r"mask must be a boolean array of the image's shape \(16, 16\), "
                 r"got bool \(8, 8\)"),
    ("red_chroma-int-mask", lambda: metrics.red_chroma(RGB, np.ones((16, 16), int)),
     ValueError, r"mask must be a boolean array .*got int64 \(16, 16\)"),
    ("red_chroma-grey", lambda: metrics.red_chroma(GREY, np.ones((16, 16), bool)),
     ValueError, r"red_chroma needs an RGB image \(height x width x 3\), got shape"),
    ("sample_grid-1-D-shape", lambda: metrics.sample_grid((10,)),
     ValueError, r"shape must be an array's shape \(height, width, ...\), got \(10,\)"),
    ("sample_grid-pixels-None", lambda: metrics.sample_grid((10, 10), None),
     ValueError, r"pixels must be a whole number >= 1, got None"),
    ("grid_size-rows-None", lambda: metrics.grid_size((10, 10), None, slice(None)),
     ValueError, r"rows must be a slice, got None"),
    # --- kernels --------------------------------------------------------------------
    ("kernels.sse-shapes", lambda: kernels.sse(RGB[:8], RGB),
     ValueError, r"images differ in shape: \(8, 16, 3\) vs \(16, 16, 3\)"),
    ("kernels.sse-float", lambda: kernels.sse(RGB * 1.0, RGB * 1.0),
     ValueError, r"sse needs uint8 arrays, got float64"),
    ("kernels.luma-4-channels", lambda: kernels.luma(np.zeros((4, 4, 4), np.uint8)),
     ValueError, r"luma needs \(h, w, 3\) uint8 arrays, got \(4, 4, 4\)"),
    ("kernels.luma-float", lambda: kernels.luma(RGB * 1.0),
     ValueError, r"luma needs 3-D uint8 arrays, got float64"),
    ("kernels.luma_words-uint8", lambda: kernels.luma_words(GREY),
     ValueError, r"luma_words needs 2-D uint32 arrays, got uint8 \(16, 16\)"),
    ("kernels.sse_words-uint8", lambda: kernels.sse_words(GREY, GREY),
     ValueError, r"sse_words needs 2-D uint32 arrays, got uint8"),
    ("kernels.edge_sum-3-D", lambda: kernels.edge_sum(RGB),
     ValueError, r"edge_sum needs 2-D uint8 arrays, got uint8 \(16, 16, 3\)"),
    ("kernels.ssim_sum-shapes", lambda: kernels.ssim_sum(GREY[:8], GREY, 7, 1.0, 1.0),
     ValueError, r"images differ in shape: \(8, 16\) vs \(16, 16\)"),
    ("kernels.ssim_sum-small",
     lambda: kernels.ssim_sum(GREY[:3, :3], GREY[:3, :3], 7, 1.0, 1.0),
     ValueError, r"ssim_sum: images must be at least 7x7, got \(3, 3\)"),
    ("kernels.ssim_map-small",
     lambda: kernels.ssim_map(GREY[:3, :3], GREY[:3, :3], 7, 1.0, 1.0),
     ValueError, r"ssim_map: images must be at least 7x7"),
    ("kernels.delta_e_sum-rows-None", lambda: kernels.delta_e_sum(RGB, RGB, None),
     ValueError, r"rows must be a slice start::step with a positive step"),
    ("kernels.DeltaETracker-list", lambda: kernels.DeltaETracker([[1]]),
     ValueError, r"DeltaETracker needs \(h, w\) uint32 words, got \[\[1\]\]"),
    ("kernels.DeltaETracker-empty",
     lambda: kernels.DeltaETracker(np.zeros((0, 0), np.uint32)),
     ValueError, r"DeltaETracker needs at least one pixel, got \(0, 0\)"),
    ("kernels.DeltaETracker.sum-None", lambda: kernels.DeltaETracker(WORDS).sum(None),
     ValueError, r"words must be \(h, w\) uint32 words, got NoneType"),
    # --- colour ---------------------------------------------------------------------
    ("mean_rgb_shift-grey", lambda: colour.mean_rgb_shift(GREY, GREY),
     ValueError, r"before must be an RGB image \(height x width x 3\), got shape"),
    ("mean_rgb_shift-RGBA", lambda: colour.mean_rgb_shift(
        Image.new("RGB", (4, 4)), Image.new("RGBA", (4, 4))),
     ValueError, r"after must be an RGB image .*got shape \(4, 4, 4\)"),
    ("mean_rgb_shift-6x2", lambda: colour.mean_rgb_shift(np.zeros((6, 2)),
                                                         np.zeros((6, 2))),
     ValueError, r"before must be an RGB image .*got shape \(6, 2\)"),
    ("mean_rgb_shift-empty", lambda: colour.mean_rgb_shift(np.zeros((0, 0, 3)),
                                                           np.zeros((0, 0, 3))),
     ValueError, r"before is empty \(shape \(0, 0, 3\)\)"),
    ("mean_rgb_shift-nan", lambda: colour.mean_rgb_shift(np.full((2, 2, 3), NAN),
                                                         np.zeros((2, 2, 3))),
     ValueError, r"before must hold finite pixel values, got NaN or infinity"),
    ("flat_colour_loop-size-0", lambda: colour.flat_colour_loop((1, 2, 3), 1, "png",
                                                                 size=0),
     ValueError, r"size must be a whole number from 1 to 4096, got 0"),
    ("flat_colour_loop-size-None", lambda: colour.flat_colour_loop((1, 2, 3), 1, "png",
                                                                    size=None),
     ValueError, r"size must be a whole number from 1 to 4096, got None"),
    ("flat_colour_loop-size-huge", lambda: colour.flat_colour_loop((1, 2, 3), 1, "png",
                                                                    size=4097),
     ValueError, r"size must be a whole number from 1 to 4096, got 4097"),
    ("flat_colour_loop-colour-bool", lambda: colour.flat_colour_loop((True, 0, 0), 1),
     ValueError, r"colour must be three integers in 0-255, got \(True, 0, 0\)"),
    ("flat_colour_loop-generations-huge",  # (size 0 makes the old code fail fast)
     lambda: colour.flat_colour_loop((1, 2, 3), 10**9, "png", size=0),
     ValueError, r"generations must be at most 1,000,000, got 1,000,000,000"),
    ("libavif_conversion_loop-exact-str",
     lambda: colour.libavif_conversion_loop((1, 2, 3), 1, exact="x"),
     ValueError, r"exact must be True or False, got 'x'"),
    # --- perturb --------------------------------------------------------------------
    ("AlternateQuality-int", lambda: perturb.AlternateQuality(70),
     ValueError, r"alternate qualities must be a sequence such as \(70, 90\), got 70"),
    ("AlternateQuality-None", lambda: perturb.AlternateQuality(None),
     ValueError, r"alternate qualities must be a sequence .*got None"),
    ("AlternateQuality-str", lambda: perturb.AlternateQuality("5090"),
     ValueError, r"alternate qualities must be a sequence .*got '5090'"),
    # --- pixels ---------------------------------------------------------------------
    ("rgbx_words-None", lambda: pixels.rgbx_words(None),
     ValueError, r"rgbx_words needs an RGB PIL image, got NoneType"),
    ("rgbx_words-array", lambda: pixels.rgbx_words(RGB),
     ValueError, r"rgbx_words needs an RGB PIL image, got ndarray"),
    ("rgbx_words-0x0", lambda: pixels.rgbx_words(Image.new("RGB", (0, 0))),
     ValueError, r"rgbx_words needs a non-empty image, got 0x0"),
    ("block_bytes-alignment-0", lambda: pixels.block_bytes(100, 0),
     ValueError, r"alignment must be a whole number >= 1, got 0"),
    ("block_bytes-alignment-2.5", lambda: pixels.block_bytes(100, 2.5),
     ValueError, r"alignment must be a whole number >= 1, got 2.5"),
    ("block_bytes-alignment-None", lambda: pixels.block_bytes(100, None),
     ValueError, r"alignment must be a whole number >= 1, got None"),
    # --- previews -------------------------------------------------------------------
    ("Preview-None", lambda: previews.Preview(None),
     ValueError, r"expected a PIL image for original, got NoneType"),
    ("Preview-0x0", lambda: previews.Preview(Image.new("RGB", (0, 0))),
     ValueError, r"original is empty \(0x0 pixels\)"),
    ("Preview-box-outside", lambda: previews.Preview(CARD, box=(0, 0, 1000, 1000)),
     ValueError, r"box must be a non-empty \(left, top, right, bottom\) inside the "
                 r"64x64 image"),
    ("Preview-box-reversed", lambda: previews.Preview(CARD, box=(10, 10, 0, 0)),
     ValueError, r"box must be a non-empty .*got \(10, 10, 0, 0\)"),
    ("Preview-box-three", lambda: previews.Preview(CARD, box=(0, 0, 10)),
     ValueError, r"box must be four whole numbers .*got \(0, 0, 10\)"),
    ("Preview-generations-str", lambda: previews.Preview(CARD, generations="12"),
     ValueError, r"generations must be a list of whole numbers, got '12'"),
    ("Preview-generations-float", lambda: previews.Preview(CARD, generations=[2.5]),
     ValueError, r"generations must be whole numbers >= 0, got 2.5"),
    ("Preview-generations-int", lambda: previews.Preview(CARD, generations=3),
     ValueError, r"generations must be a list of whole numbers, got 3"),
    ("Preview.observe-None", lambda: _preview().observe(None, CARD),
     ValueError, r"generations must be whole numbers >= 0, got None"),
    ("Preview.observe-image-None", lambda: _preview().observe(1, None),
     ValueError, r"expected a PIL image for image, got NoneType"),
    ("detailed_box-0x0", lambda: previews.detailed_box(Image.new("RGB", (0, 0))),
     ValueError, r"image is empty \(0x0 pixels\)"),
    ("detailed_box-crop-0", lambda: previews.detailed_box(CARD, 0),
     ValueError, r"crop must be a whole number >= 1, got 0"),
    ("detailed_box-crop-None", lambda: previews.detailed_box(CARD, None),
     ValueError, r"crop must be a whole number >= 1, got None"),
    ("strip-no-generations", lambda: previews.strip(_preview(), [], {}),
     ValueError, r"strip needs at least one generation"),
    ("strip-labels-None", lambda: previews.strip(_preview(), [0], None),
     ValueError, r"labels must map generations to text, got None"),
    ("strip-label-int", lambda: previews.strip(_preview(), [0], {0: 3}),
     ValueError, r"labels must map generations to text, got 3 for 0"),
    ("strip-preview-None", lambda: previews.strip(None, [0], {}),
     ValueError, r"preview must be a Preview, got NoneType"),
    ("save_animation-side-0", lambda: previews.save_animation(_preview(), os.devnull,
                                                              side=0),
     ValueError, r"side must be a whole number >= 8, got 0"),
    ("save_animation-ms-nan", lambda: previews.save_animation(_preview(), os.devnull,
                                                              ms_per_frame=NAN),
     ValueError, r"ms_per_frame must be a whole number >= 1, got nan"),
    ("write_gif-empty", lambda: previews.write_gif([], os.devnull),
     ValueError, r"frames must be a non-empty list of RGB images, got \[\]"),
    ("write_gif-None-frame", lambda: previews.write_gif([CARD, None], os.devnull),
     ValueError, r"expected a PIL image for each frame, got NoneType"),
    ("write_gif-RGBA",
     lambda: previews.write_gif([Image.new("RGBA", (4, 4))], os.devnull),
     ValueError, r"frames must be RGB images, got one in mode RGBA"),
    ("write_gif-ms-None", lambda: previews.write_gif([CARD], os.devnull, None),
     ValueError, r"ms_per_frame must be a whole number >= 1, got None"),
    ("write_gif-ms-0", lambda: previews.write_gif([CARD], os.devnull, 0),
     ValueError, r"ms_per_frame must be a whole number >= 1, got 0"),
    ("write_gif-path-None", lambda: previews.write_gif([CARD], None),
     ValueError, r"path must be a file path, got None"),
    # --- tables ---------------------------------------------------------------------
    ("table-str", lambda: tables.table("abc"),
     ValueError, r"rows must be a list of dicts, got str"),
    ("table-dict", lambda: tables.table({"a": 1}),
     ValueError, r"rows must be a list of dicts, got dict"),
    ("table-row-int", lambda: tables.table([1, 2]),
     ValueError, r"rows must be a list of dicts, got a row 1"),
    ("table-column-int", lambda: repr(tables.table([{1: 2}])),
     ValueError, r"column names must be text, got 1"),
    ("table-digits-negative", lambda: repr(tables.table([{"a": 1.5}], digits=-1)),
     ValueError, r"digits must be a whole number from 0 to 20, got -1"),
    ("table-digits-float", lambda: repr(tables.table([{"a": 1.5}], digits=2.5)),
     ValueError, r"digits must be a whole number from 0 to 20, got 2.5"),
    ("table-digits-huge", lambda: repr(tables.table([{"a": 1.5}], digits=10**6)),
     ValueError, r"digits must be a whole number from 0 to 20, got 1000000"),
    ("table-caption-int", lambda: tables.table([{"a": 1}], caption=3)._repr_html_(),
     ValueError, r"caption must be text, got 3"),
    # --- explore --------------------------------------------------------------------
    ("static-control-str", lambda: _static(controls=["q"]),
     ValueError, r"controls must be Slider or Choice, got 'q'"),
    ("static-no-values", lambda: _static(controls=[Slider("q", "q", ())]),
     ValueError, r"control 'q' needs a non-empty list of values, got \(\)"),
    ("static-values-None", lambda: _static(controls=[Slider("q", "q", None)]),
     ValueError, r"control 'q' needs a non-empty list of values, got None"),
    ("static-frames-None", lambda: _static(frames=None),
     ValueError, r"frames must be a mapping of value tuples to frames, got None"),
    ("static-frame-str", lambda: _static(frames={(1,): "x", (2,): b"y"}),
     ValueError, r"frames must be image bytes, got str at \(1,\)"),
    ("static-same-names", lambda: _static(
        frames={(1, 1): b"x"},
        controls=[Slider("q", "q", (1,)), Slider("q", "q", (1,))]),
     ValueError, r"two controls are named 'q'"),
    ("static-labels",
     lambda: _static(controls=[Choice("q", "q", (1, 2), labels=("a",))]),
     ValueError, r"control 'q' has 1 labels for 2 values"),
    ("static-bar-in-value", lambda: _static(
        frames={("a|b",): b"x", ("a",): b"y"},
        controls=[Slider("q", "q", ("a|b", "a"))]),
     ValueError, r"control 'q': a value must not contain '\|'"),
    ("static-mime-missing", lambda: _static(mime={}),
     ValueError, r"mime has no type for the frame at \(1,\)"),
    ("static-width-negative", lambda: _static(width=-5),
     ValueError, r"width must be a finite number > 0, got -5"),
    ("static-width-nan", lambda: _static(width=NAN),
     ValueError, r"width must be a finite number > 0, got nan"),
    ("static-alt-int", lambda: _static(alt=3),
     ValueError, r"alt must be text or a function, got 3"),
    ("static-caption-int", lambda: _static(caption=3),
     ValueError, r"caption must be a function, got 3"),
    ("static-start-int", lambda: _static(start=3),
     ValueError, r"start must be a mapping of control names to values, got 3"),
    ("static-preset-single", lambda: _static(presets=[("a",)]),
     ValueError, r"presets must be \(label, settings\) pairs, got \('a',\)"),
    ("dead_controls-missing-frame",
     lambda: explore.dead_controls({}, [Slider("q", "q", (1, 2))]),
     ValueError, r"no frame for 2 combination\(s\), e.g. \(1,\)"),
    ("chart_png-dpi-0", lambda: explore.chart_png(_figure(), dpi=0, close=True),
     ValueError, r"dpi must be a finite number > 0, got 0"),
    ("chart_png-dpi-huge", lambda: explore.chart_png(_figure(), dpi=7000, close=True),
     ValueError, r"is 49,000,000 pixels, more than the limit of 40,000,000"),
    ("chart_png-None", lambda: explore.chart_png(None),
     ValueError, r"fig must be a matplotlib Figure, got NoneType"),
    ("image_bytes-None", lambda: explore.image_bytes(None),
     ValueError, r"expected a PIL image for image, got NoneType"),
    ("image_bytes-unknown-format", lambda: explore.image_bytes(CARD, "BOGUS"),
     ValueError, r"fmt must be an image format Pillow writes, such as 'PNG', "
                 r"got 'BOGUS'"),
    ("image_bytes-RGBA-JPEG", lambda: explore.image_bytes(Image.new("RGBA", (4, 4)),
                                                          "JPEG"),
     ValueError, r"cannot save this RGBA image as JPEG"),
    # --- plots ----------------------------------------------------------------------
    ("palette_png-dpi-None", lambda: plots.palette_png(_figure(), dpi=None),
     ValueError, r"dpi must be a finite number > 0, got None"),
    ("palette_png-dpi-nan", lambda: plots.palette_png(_figure(), dpi=NAN),
     ValueError, r"dpi must be a finite number > 0, got nan"),
    ("palette_png-dpi-huge", lambda: plots.palette_png(_figure(), dpi=7000),
     ValueError, r"more than the limit of 40,000,000"),
    ("figure_png-None", lambda: plots.figure_png(None),
     ValueError, r"fig must be a matplotlib Figure, got NoneType"),
    ("mark_point-nan", lambda: plots.mark_point(plt.figure().add_subplot(), NAN, "x"),
     ValueError, r"x must be a finite number, got nan"),
    ("mark_point-None", lambda: plots.mark_point(plt.figure().add_subplot(), None, "x"),
     ValueError, r"x must be a finite number, got None"),
    ("image_grid-empty", lambda: plots.image_grid([], []),
     ValueError, r"images must be a non-empty list of images, got \[\]"),
    ("image_grid-labels", lambda: plots.image_grid([CARD], ["a", "b"]),
     ValueError, r"labels must be one per image: 2 for 1 images"),
    ("image_grid-None-image", lambda: plots.image_grid([None], ["a"]),
     ValueError, r"images\[0\] must be a picture \(h, w\) or \(h, w, 3\), got \(\)"),
    ("image_grid-ncols-1", lambda: plots.image_grid([CARD, CARD], ["a", "b"], ncols=1),
     ValueError, r"ncols must be at least the number of images \(2\), got 1"),
    ("image_grid-zoom_box-outside",
     lambda: plots.image_grid([CARD], ["a"], zoom_box=(100, 100, 200, 200)),
     ValueError, r"zoom_box must be a non-empty crop inside the 64x64 image"),
    ("image_grid-zoom_box-three",
     lambda: plots.image_grid([CARD], ["a"], zoom_box=(0, 0, 8)),
     ValueError, r"zoom_box must be four whole numbers \(left, top, right, bottom\)"),
    ("image_grid-zoom-0",
     lambda: plots.image_grid([CARD], ["a"], zoom_box=(0, 0, 8, 8), zoom=0),
     ValueError, r"zoom must be a whole number from 1 to 64, got 0"),
    ("image_grid-zoom-huge",
     lambda: plots.image_grid([CARD], ["a"], zoom_box=(0, 0, 8, 8), zoom=65),
     ValueError, r"zoom must be a whole number from 1 to 64, got 65"),
    ("image_grid-width-0", lambda: plots.image_grid([CARD], ["a"], width=0),
     ValueError, r"width must be a finite number > 0, got 0"),
    ("place_in_pixels-heights", lambda: _place(heights=[30, 20]),
     ValueError, r"heights must be one per row: 2 for 1 rows"),
    ("place_in_pixels-width-0", lambda: _place(width=0),
     ValueError, r"width must be a finite number > 0, got 0"),
    ("place_in_pixels-no-rows", lambda: plots.place_in_pixels([], 40, [30], titles=[10],
                                                              hgap=0, vgap=0),
     ValueError, r"place_in_pixels needs at least one row of panels"),
    ("distinguish_lines-no-widths",
     lambda: plots.distinguish_lines(_figure().axes[0], widths=()),
     ValueError, r"widths must be a non-empty list of line widths, got \(\)"),
    # --- figures --------------------------------------------------------------------
    ("generation_strip-none", lambda: figures.generation_strip(_run(), []),
     ValueError, r"generations must name at least one generation"),
    ("generation_strip-run-None", lambda: figures.generation_strip(None, [0]),
     ValueError, r"run must be a Run from recompress, got NoneType"),
    ("generation_strip-zoom_box-zero-width",
     lambda: figures.generation_strip(_run(), [0, 1], zoom_box=(10, 10, 10, 20)),
     ValueError, r"zoom_box must be a non-empty crop inside the 64x64 image"),
    ("generation_strip-width-0", lambda: figures.generation_strip(_run(), [0], width=0),
     ValueError, r"width must be a finite number > 0, got 0"),
    ("generation_strip-narrow",
     lambda: figures.generation_strip(_run(), [0, 1, 2], width=0.1),
     ValueError, r"width of 0.1 inches is too narrow for 3 frames"),
    ("curves-str-columns", lambda: figures.curves(_run(), columns="psnr"),
     ValueError, r"columns must be a list of column names, got 'psnr'"),
    ("curves-no-column", lambda: figures.curves(_run(), columns=("bogus",)),
     ValueError, r"none of the columns \['bogus'\] is in the run's table"),
    ("animation_frames-max_side-0", lambda: figures.animation_frames(_run(), 0),
     ValueError, r"max_side must be a whole number >= 1, got 0"),
    ("figures.save_animation-ms-nan",
     lambda: figures.save_animation(_run(), os.devnull, NAN),
     ValueError, r"ms_per_frame must be a whole number >= 1, got nan"),
    ("compare_curves-empty", lambda: figures.compare_curves({}),
     ValueError, r"runs must be a non-empty mapping of labels to runs, got \{\}"),
    ("compare_curves-no-column",
     lambda: figures.compare_curves({"a": _run()}, column="bogus"),
     ValueError, r"run 'a' has no column 'bogus'; columns: generation"),
    ("setting_panels-missing", lambda: figures.setting_panels({}, ["a"], ["x"]),
     ValueError, r"runs has no run for \('a', 'x'\)"),
    ("setting_panels-no-settings", lambda: figures.setting_panels({}, ["a"], []),
     ValueError, r"settings must be a non-empty list of names, got \[\]"),
    ("explorer-empty", lambda: figures.explorer({}, [0]),
     ValueError, r"runs must be a non-empty mapping"),
    ("explorer-not-kept", lambda: figures.explorer({("a", "b"): _run()}, [0, 5]),
     ValueError, r"run \('a', 'b'\) did not keep generation 5"),
    # --- glue -----------------------------------------------------------------------
    ("glue-None", lambda: glue.glue(None, 1, display=False),
     ValueError, r"glue needs a non-empty string name, got None"),
    ("glue-empty", lambda: glue.glue("", 1, display=False),
     ValueError, r"glue needs a non-empty string name, got ''"),
]
# fmt: on


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize(
    ("call", "error", "match"), [pytest.param(c, e, m, id=i) for i, c, e, m in CASES]
)
def test_bad_input_is_refused_clearly(call, error, match):
    with pytest.raises(error, match=match) as info:
        call()
    assert isinstance(info.value, ValueError | TypeError)
    assert "\n" not in str(info.value), "the message must be one line"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("generation,psnr\n0,1,2\n1\n", r"line 2 has 3 cells, the header 2"),
        ("generation,psnr\n,1\n", r"must be a whole number, got nan on line 2"),
        ("generation,psnr\n0.5,1\n", r"generation must be a whole number, got 0.5"),
        (b"\xff\xfe\x00generation", r"is not a metrics table \(not a text file\)"),
    ],
    ids=["ragged", "empty-generation", "fractional-generation", "not-text"],
)
def test_read_metrics_csv_refuses_bad_tables(tmp_path, text, match):
    with pytest.raises(ValueError, match=match):
        _csv(tmp_path, text)


# --- fixes that now give a result ---------------------------------------------------


def test_float_image_with_nan_and_infinities_converts_without_warnings():
    """NaN becomes black and the infinities the ends of the finite range (a numpy
    RuntimeWarning before, an error under the test suite's warnings-as-errors)."""
    arr = np.array([[NAN, -INF], [1.0, INF], [2.0, 3.0]], np.float32)
    out = np.asarray(images.as_rgb(Image.fromarray(arr, "F")))[..., 0]
    assert out.tolist() == [[0, 0], [0, 255], [128, 255]]
    none_finite = Image.fromarray(np.full((2, 2), NAN, np.float32), "F")
    assert np.asarray(images.as_rgb(none_finite)).max() == 0


def test_premultiplied_grey_with_alpha_converts():
    """Pillow cannot convert mode 'La' to RGBA directly (a ValueError before)."""
    out = images.as_rgb(Image.new("La", (3, 2), (80, 255)))
    assert out.mode == "RGB" and out.size == (3, 2)
    assert out.getpixel((0, 0)) == (80, 80, 80)


class _Slow(Exception):
    pass


@pytest.fixture
def deadline():
    """Fail, rather than hang, if the test takes more than a few seconds."""

    def stop(*_):
        raise _Slow("took too long")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(5)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("count", [0, -1])
def test_sample_grid_refuses_no_pixels_instead_of_hanging(deadline, count):
    match = rf"pixels must be a whole number >= 1, got {count}"
    with pytest.raises(ValueError, match=match):
        metrics.sample_grid((10, 10), count)


def test_sample_grid_is_quick_on_huge_shapes_and_unchanged(deadline):
    """The smallest step is found by bisection, not by trying every step in turn (which
    took a billion steps here); on ordinary shapes it is the step the search found."""
    assert metrics.sample_grid((10**9, 10**9), 1) == (
        slice(5 * 10**8, None, 10**9),
        slice(5 * 10**8, None, 10**9),
    )
    assert metrics.sample_grid((1, 10**9), 1)[1].step == 10**9
    shapes = [(3000, 4000), (200, 300), (0, 0), (1, 1), (257, 255), (5000, 7)]
    for h, w in shapes:
        for count in (1, 2, 3, 1000, 1 << 16):
            k = 1
            while -(-h // k) * -(-w // k) > count:
                k += 1
            expected = (slice(k // 2, None, k),) * 2
            assert metrics.sample_grid((h, w), count) == expected, (h, w, count)


def test_numpy_integers_count_as_whole_numbers():
    """A count computed with numpy (``np.prod(shape)``) is as good as a Python int."""
    a = np.zeros((64, 64, 3), np.uint8)
    b = a + 9
    assert metrics.delta_e_sampled(a, b, pixels=np.int64(100)) == metrics.delta_e_sampled(
        a, b, pixels=100
    )
    assert pixels.block_bytes(np.int64(4000 * 3000)) == pixels.block_bytes(4000 * 3000)
