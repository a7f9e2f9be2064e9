"""Colour casts from repeated saving: measuring them and finding where they come from.

AVIF at fixed settings never settles in the JPEG chapter. The reason is not the
compression: flat patches of one colour, which any codec stores exactly, drift the same
way at every quality, and so does libavif's own RGB -> YUV -> RGB conversion when it
takes its fast integer path (libyuv) for the BT.601 full-range matrix that Pillow
writes. With libavif's exact path the same conversion settles after one step on flat
patches (on a photograph with 4:2:0 chroma it still loses a little at every step). This
module measures the cast (:func:`mean_rgb_shift`, :func:`flat_colour_loop`) and runs
libavif's conversion alone through ``ctypes`` (:func:`libavif_conversion_loop` for a
flat patch, :func:`libavif_conversion_psnr` for a whole image), using the libavif that
Pillow itself uses (:func:`libavif_candidates`); where none can be found,
:func:`libavif_available` says so and the JPEG chapter leaves that test out.

Examples
--------
>>> from PIL import Image
>>> grey = Image.new("RGB", (8, 8), (128, 128, 128))
>>> mean_rgb_shift(grey, grey)
(0.0, 0.0, 0.0)
>>> flat_colour_loop((128, 128, 128), 3, codec="png")
[(128, 128, 128), (128, 128, 128), (128, 128, 128), (128, 128, 128)]
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import glob
import os

import numpy as np
from PIL import Image

from . import codecs
from .generations import MAX_GENERATIONS  # the most saves one loop runs
from .images import check_rgb

Colour = tuple[int, int, int]

#: The largest flat patch :func:`flat_colour_loop` saves (its side, in pixels).
MAX_SIZE = 4096


def _check_generations(generations: object) -> int:
    if not isinstance(generations, int | np.integer) or isinstance(generations, bool):
        raise TypeError(f"generations must be an integer, got {generations!r}")
    if generations < 1:
        raise ValueError(f"generations must be at least 1, got {generations}")
    if generations > MAX_GENERATIONS:
        raise ValueError(f"generations must be at most {MAX_GENERATIONS:,}, got {generations:,}")
    return int(generations)


def _rgb_pixels(image: object, name: str) -> np.ndarray:
    """The pixels of an RGB image or (h, w, 3) array as floats, one row per pixel."""
    x = np.asarray(image)
    if x.ndim != 3 or x.shape[2] != 3:
        raise ValueError(f"{name} must be an RGB image (height x width x 3), got shape {x.shape}")
    if x.size == 0:
        raise ValueError(f"{name} is empty (shape {x.shape})")
    try:
        x = x.astype(float).reshape(-1, 3)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold numbers, got dtype {x.dtype}") from None
    if not np.isfinite(x).all():
        raise ValueError(f"{name} must hold finite pixel values, got NaN or infinity")
    return x


def mean_rgb_shift(before, after) -> tuple[float, float, float]:
    """How far the mean red, green and blue moved from ``before`` to ``after`` (0-255).

    Examples
    --------
    >>> from PIL import Image
    >>> a = Image.new("RGB", (4, 4), (10, 20, 30))
    >>> b = Image.new("RGB", (4, 4), (12, 20, 27))
    >>> mean_rgb_shift(a, b)
    (2.0, 0.0, -3.0)
    """
    x = _rgb_pixels(before, "before")
    y = _rgb_pixels(after, "after")
    if x.shape != y.shape:
        raise ValueError(f"images differ in size: {x.shape[0]} and {y.shape[0]} pixels")
    d = y.mean(axis=0) - x.mean(axis=0)
    return (float(d[0]), float(d[1]), float(d[2]))


def flat_colour_loop(
    colour: Colour,
    generations: int,
    codec: str = "avif",
    quality: int = 75,
    subsampling: str | None = None,
    size: int = 32,
) -> list[Colour]:
    """Save a flat patch of one colour ``generations`` times; its colour after each save.

    A flat patch has no detail to lose, so a lossy codec that only lost detail would
    return it unchanged (up to rounding) and stop. The patch is ``size`` x ``size``
    pixels (1 to :data:`MAX_SIZE`).

    Examples
    --------
    >>> flat_colour_loop((200, 60, 60), 2, codec="jpeg")[0]
    (200, 60, 60)
    """
    colour = check_rgb(colour, "colour")
    generations = _check_generations(generations)
    if (
        isinstance(size, bool)
        or not isinstance(size, int | np.integer)
        or not 1 <= size <= MAX_SIZE
    ):
        raise ValueError(f"size must be a whole number from 1 to {MAX_SIZE}, got {size!r}")
    size = int(size)
    image = Image.new("RGB", (size, size), colour)
    out = [colour]
    for _ in range(generations):
        image, _ = codecs.roundtrip(image, codec, quality, subsampling)
        image = image.convert("RGB")
        out.append(tuple(int(v) for v in np.asarray(image)[size // 2, size // 2]))
    return out


# --- libavif's colour conversion on its own, through ctypes -----------------------------

#: CICP matrix coefficients Pillow writes into every AVIF file (ITU-R BT.601).
BT601 = 6
_AVIF_PIXEL_FORMAT = {"4:4:4": 1, "4:2:0": 3}


class _RGBImage(ctypes.Structure):
    """libavif's ``avifRGBImage`` (libavif 1.x layout)."""

    _fields_ = [
        ("width", ctypes.c_uint32),
        ("height", ctypes.c_uint32),
        ("depth", ctypes.c_uint32),
        ("format", ctypes.c_int),
        ("chromaUpsampling", ctypes.c_int),
        ("chromaDownsampling", ctypes.c_int),
        ("avoidLibYUV", ctypes.c_int),
        ("ignoreAlpha", ctypes.c_int),
        ("alphaPremultiplied", ctypes.c_int),
        ("isFloat", ctypes.c_int),
        ("maxThreads", ctypes.c_int),
        ("pixels", ctypes.c_void_p),
        ("rowBytes", ctypes.c_uint32),
    ]


# Offsets into libavif 1.x's avifImage: width, height, depth at 0/4/8, matrix at 108.
_WIDTH, _HEIGHT, _DEPTH, _MATRIX = 0, 4, 8, 108


def libavif_candidates() -> list[str]:
    """Where the libavif that Pillow uses may be, most likely first: the one loaded into
    this process by Pillow's AVIF plugin (read from ``/proc/self/maps`` on Linux, whatever
    Pillow was built against), then the copies Pillow's wheels ship (``pillow.libs`` on
    Linux, ``PIL/.dylibs`` on macOS), then the system's. Empty if this Pillow has no AVIF.

    Examples
    --------
    >>> all("avif" in os.path.basename(p) for p in libavif_candidates())
    True
    """
    import PIL

    try:
        from PIL import _avif  # noqa: F401  (loads the libavif Pillow is linked with)
    except ImportError:
        return []
    paths = []
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                fields = line.split()
                if len(fields) >= 6 and os.path.basename(fields[-1]).startswith("libavif"):
                    paths.append(fields[-1])
    except OSError:
        pass
    here = os.path.dirname(PIL.__file__)
    for pattern in (
        os.path.join(os.path.dirname(here), "pillow.libs", "libavif*.so*"),
        os.path.join(here, ".dylibs", "libavif*.dylib"),
    ):
        paths += sorted(glob.glob(pattern))
    system = ctypes.util.find_library("avif")
    if system:
        paths.append(system)
    return list(dict.fromkeys(paths))


@functools.cache
def _libavif():
    """The libavif Pillow uses (:func:`libavif_candidates`), or None when there is none,
    or none of version 1.x whose ``avifImage`` layout this module knows."""
    for path in libavif_candidates():
        lib = _load_libavif(path)
        if lib is not None:
            return lib
    return None


def _load_libavif(path: str):
    """libavif loaded from ``path`` with the functions this module calls, or None if it
    cannot be loaded, is not 1.x, or its struct layout is not the one assumed here."""
    try:
        lib = ctypes.CDLL(path)
        lib.avifVersion.restype = ctypes.c_char_p
        if not lib.avifVersion().startswith(b"1."):
            return None
        lib.avifLibYUVVersion.restype = ctypes.c_uint
        lib.avifImageCreate.restype = ctypes.c_void_p
        lib.avifImageCreate.argtypes = [ctypes.c_uint32] * 3 + [ctypes.c_int]
        lib.avifImageDestroy.argtypes = [ctypes.c_void_p]
        lib.avifRGBImageSetDefaults.argtypes = [ctypes.POINTER(_RGBImage), ctypes.c_void_p]
        for name in ("avifImageRGBToYUV", "avifImageYUVToRGB"):
            getattr(lib, name).argtypes = [ctypes.c_void_p, ctypes.POINTER(_RGBImage)]
    except (OSError, AttributeError):
        return None
    # Check the struct layout on a real image before trusting it.
    img = lib.avifImageCreate(5, 7, 8, 1)
    if not img:
        return None
    ok = [ctypes.c_uint32.from_address(img + o).value for o in (_WIDTH, _HEIGHT, _DEPTH)]
    lib.avifImageDestroy(img)
    return lib if ok == [5, 7, 8] else None


def libavif_available() -> bool:
    """Whether libavif's conversion can be run on its own: a libavif 1.x that Pillow uses
    was found (:func:`libavif_candidates`)."""
    return _libavif() is not None


def libavif_uses_libyuv() -> bool:
    """Whether the bundled libavif was built with libyuv (its fast conversion path)."""
    lib = _libavif()
    return bool(lib is not None and lib.avifLibYUVVersion() > 0)


def _convert_once(pixels: np.ndarray, exact: bool, subsampling: str) -> np.ndarray:
    lib = _libavif()
    h, w, _ = pixels.shape
    img = lib.avifImageCreate(w, h, 8, _AVIF_PIXEL_FORMAT[subsampling])
    try:
        ctypes.c_uint16.from_address(img + _MATRIX).value = BT601
        rgb = _RGBImage()
        lib.avifRGBImageSetDefaults(ctypes.byref(rgb), img)
        rgb.format = 0  # AVIF_RGB_FORMAT_RGB
        rgb.avoidLibYUV = int(exact)
        src = np.ascontiguousarray(pixels, dtype=np.uint8)
        rgb.pixels, rgb.rowBytes = src.ctypes.data, w * 3
        if lib.avifImageRGBToYUV(img, ctypes.byref(rgb)) != 0:
            raise RuntimeError("libavif could not convert RGB to YUV")
        out = np.zeros_like(src)
        rgb.pixels = out.ctypes.data
        if lib.avifImageYUVToRGB(img, ctypes.byref(rgb)) != 0:
            raise RuntimeError("libavif could not convert YUV to RGB")
        return out
    finally:
        lib.avifImageDestroy(img)


def libavif_conversion_loop(
    colour: Colour, generations: int, exact: bool = False, subsampling: str = "4:2:0"
) -> list[Colour]:
    """Convert a flat patch RGB -> YUV -> RGB with libavif ``generations`` times.

    No encoding happens: this is only the colour conversion an AVIF save and load
    perform, with the BT.601 full-range matrix Pillow uses. ``exact=False`` lets libavif
    take its fast libyuv path (what Pillow gets); ``exact=True`` sets libavif's
    ``avoidLibYUV`` flag, which Pillow does not expose.

    Examples
    --------
    >>> if libavif_available():
    ...     assert libavif_conversion_loop((128, 128, 128), 3)[-1] == (128, 128, 128)
    """
    colour = check_rgb(colour, "colour")
    generations = _check_generations(generations)
    if not isinstance(exact, bool | np.bool_):
        raise ValueError(f"exact must be True or False, got {exact!r}")
    if subsampling not in _AVIF_PIXEL_FORMAT:
        raise ValueError(f"subsampling must be 4:4:4 or 4:2:0, got {subsampling!r}")
    if not libavif_available():
        raise RuntimeError("no libavif 1.x found next to Pillow")
    pixels = np.full((16, 16, 3), colour, np.uint8)
    out = [colour]
    for _ in range(generations):
        pixels = _convert_once(pixels, exact, subsampling)
        out.append(tuple(int(v) for v in pixels[8, 8]))
    return out


def libavif_conversion_psnr(
    image, generations: int, exact: bool = False, subsampling: str = "4:2:0"
) -> list[float]:
    """PSNR against ``image`` after each of ``generations`` libavif RGB -> YUV -> RGB
    conversions of the whole image, with no encoding.

    The same conversion as :func:`libavif_conversion_loop`, on an RGB image (PIL or an
    8-bit height x width x 3 array) instead of a flat patch: what the colour conversion
    alone costs a photograph over repeated AVIF saves. Returns one PSNR (dB) per step.

    Examples
    --------
    >>> if libavif_available():
    ...     grey = np.full((16, 16, 3), 128, np.uint8)
    ...     assert libavif_conversion_psnr(grey, 2) == [float("inf")] * 2
    """
    from .metrics import psnr

    generations = _check_generations(generations)
    if not isinstance(exact, bool | np.bool_):
        raise ValueError(f"exact must be True or False, got {exact!r}")
    if subsampling not in _AVIF_PIXEL_FORMAT:
        raise ValueError(f"subsampling must be 4:4:4 or 4:2:0, got {subsampling!r}")
    original = np.asarray(image)
    if original.ndim != 3 or original.shape[2] != 3 or original.dtype != np.uint8:
        raise ValueError(
            f"image must be 8-bit RGB (height x width x 3), got {original.dtype} {original.shape}"
        )
    if not libavif_available():
        raise RuntimeError("no libavif 1.x found next to Pillow")
    pixels, out = original, []
    for _ in range(generations):
        pixels = _convert_once(pixels, exact, subsampling)
        out.append(float(psnr(original, pixels)))
    return out
