"""One round trip per codec: encode an RGB image to bytes, decode the bytes back.

JPEG and lossy WebP are the lossy codecs; PNG is the lossless control (its round trip is
exact, so a PNG "generation" changes nothing). AVIF and JPEG XL are offered when the
installed Pillow can write them, detected at run time and never required.

Examples
--------
>>> from lossylib import codecs, images
>>> im = images.load_sample("testcard")
>>> data = codecs.encode(im, "jpeg", quality=75)
>>> data[:2]
b'\\xff\\xd8'
>>> codecs.decode(data).size
(256, 256)
"""

from __future__ import annotations

import functools
import io
import math
import numbers
from dataclasses import dataclass

import numpy as np
from PIL import Image, JpegImagePlugin, UnidentifiedImageError, features

from .images import check_image

SUBSAMPLINGS = ("4:4:4", "4:2:2", "4:2:0")
#: AVIF encoder speed (0 slowest/best to 10 fastest); JPEG, WebP use Pillow's defaults.
AVIF_SPEED = 8


class CodecError(ValueError):
    """A bad codec name or codec setting, with a one-line reason."""


class DecodeError(CodecError):
    """Bytes that do not decode to an image."""


@dataclass(frozen=True)
class Codec:
    """What the library needs to know about one codec.

    Attributes
    ----------
    name : str
        The name used everywhere (``"jpeg"``, ``"webp"``, ...).
    pillow_format : str
        Pillow's format name for ``Image.save``.
    lossy : bool
        False for the lossless control (quality is then ignored).
    subsampling : bool
        Whether chroma subsampling can be chosen.
    extension : str
        File extension, with the dot.
    mime : str
        MIME type, for showing encoded bytes in a web page.
    """

    name: str
    pillow_format: str
    lossy: bool
    subsampling: bool
    extension: str
    mime: str

    def save_args(self, quality: int, subsampling: str | None) -> dict:
        """Keyword arguments for ``Image.save`` (Pillow's own defaults otherwise)."""
        if not self.lossy:
            return {}
        args: dict = {"quality": quality}
        if self.name == "avif":
            # Pillow's default encoder speed (6) takes ~0.3 s for a 256 x 256 image; speed 8
            # is ~4x faster for files ~1% larger, which keeps 50-generation runs practical.
            args["speed"] = AVIF_SPEED
        if subsampling is not None:
            args["subsampling"] = subsampling
        return args


_ALL = {
    "jpeg": Codec("jpeg", "JPEG", True, True, ".jpg", "image/jpeg"),
    "webp": Codec("webp", "WEBP", True, False, ".webp", "image/webp"),
    "png": Codec("png", "PNG", False, False, ".png", "image/png"),
    "avif": Codec("avif", "AVIF", True, True, ".avif", "image/avif"),
    "jxl": Codec("jxl", "JXL", True, False, ".jxl", "image/jxl"),
}


@functools.cache
def _can_write(fmt: str) -> bool:
    if fmt == "AVIF":
        return bool(features.check("avif"))
    Image.init()
    return fmt in Image.SAVE


def available_codecs() -> list[str]:
    """Codecs this installation can round-trip: always jpeg, webp, png; avif/jxl if present.

    Examples
    --------
    >>> {"jpeg", "webp", "png"} <= set(available_codecs())
    True
    """
    return [name for name, c in _ALL.items() if _can_write(c.pillow_format)]


def get_codec(name: str) -> Codec:
    """The :class:`Codec` called ``name`` (case-insensitive), or a :class:`CodecError`."""
    key = str(name).lower().replace("jpg", "jpeg")
    if key not in _ALL:
        raise CodecError(f"unknown codec {name!r}; choose one of: {', '.join(available_codecs())}")
    if key not in available_codecs():
        raise CodecError(f"codec {key!r} is not supported by the installed Pillow")
    return _ALL[key]


def check_quality(quality: object) -> int:
    """Validate a quality setting: an integer from 1 to 100.

    Examples
    --------
    >>> check_quality(75)
    75
    >>> check_quality(101)
    Traceback (most recent call last):
    ...
    lossylib.codecs.CodecError: quality must be an integer from 1 to 100, got 101
    """
    if isinstance(quality, bool) or not isinstance(quality, numbers.Real):
        raise CodecError(f"quality must be an integer from 1 to 100, got {quality!r}")
    if math.isnan(quality) or not float(quality).is_integer():
        raise CodecError(f"quality must be an integer from 1 to 100, got {quality!r}")
    q = int(quality)
    if not 1 <= q <= 100:
        raise CodecError(f"quality must be an integer from 1 to 100, got {quality!r}")
    return q


def check_subsampling(codec: Codec, subsampling: str | None) -> str | None:
    """Validate a chroma subsampling (``"4:4:4"``, ``"4:2:2"``, ``"4:2:0"`` or None)."""
    if not isinstance(codec, Codec):
        raise CodecError(f"codec must be a Codec (see get_codec), got {codec!r}")
    if subsampling is None:
        return None
    if not codec.subsampling:
        raise CodecError(f"codec {codec.name!r} has no selectable chroma subsampling")
    if subsampling not in SUBSAMPLINGS:
        raise CodecError(
            f"subsampling must be one of {', '.join(SUBSAMPLINGS)}, got {subsampling!r}"
        )
    return subsampling


def encode(
    image: Image.Image,
    codec: str = "jpeg",
    quality: int = 75,
    subsampling: str | None = None,
) -> bytes:
    """Encode an RGB image; ``subsampling=None`` keeps Pillow's default for the codec.

    Parameters
    ----------
    image : PIL.Image.Image
        8-bit RGB (see :func:`lossylib.images.as_rgb`).
    codec : str
        One of :func:`available_codecs`.
    quality : int
        1 (worst) to 100 (best); ignored by the lossless PNG control.
    subsampling : str, optional
        ``"4:4:4"``, ``"4:2:2"`` or ``"4:2:0"`` for JPEG and AVIF. Pillow's JPEG default
        is 4:2:0 at every quality.

    Raises
    ------
    CodecError
        A bad codec, quality or subsampling, or an image the codec cannot write (a mode
        it does not take, such as RGBA for JPEG, or a size beyond its limit).
    lossylib.images.ImageInputError
        ``image`` is not a PIL image, or is empty.
    """
    c = get_codec(codec)
    q = check_quality(quality)
    ss = check_subsampling(c, subsampling)
    check_image(image)
    buf = io.BytesIO()
    try:
        image.save(buf, format=c.pillow_format, **c.save_args(q, ss))
    except (OSError, ValueError, RuntimeError) as err:
        w, h = image.size
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        hint = "" if image.mode in ("RGB", "L") else "; convert it with images.as_rgb first"
        raise CodecError(
            f"{c.name} cannot encode this {w}x{h} {image.mode} image ({reason}){hint}"
        ) from None
    return buf.getvalue()


def decode(data: bytes) -> Image.Image:
    """Decode encoded bytes to an 8-bit RGB image.

    Raises
    ------
    DecodeError
        ``data`` is not an image Pillow can read, or truncated, corrupt or
        a decompression bomb (a :class:`CodecError`, so a ``ValueError``).
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    try:
        im = Image.open(io.BytesIO(data))
        im.load()
    except Image.DecompressionBombError as err:
        raise DecodeError(f"data looks like a decompression bomb ({err})") from None
    except UnidentifiedImageError:
        raise DecodeError(f"data is not an image Pillow can read ({len(data):,} bytes)") from None
    except (OSError, SyntaxError, ValueError, EOFError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise DecodeError(f"data is truncated or corrupt ({reason})") from None
    return im if im.mode == "RGB" else im.convert("RGB")


# --- a JPEG decoder that repeats colour samples instead of interpolating them ---------------

#: How a JPEG decoder can rebuild full-resolution colour from 4:2:0's half-resolution
#: samples: ``"interpolating"`` (libjpeg's default "fancy upsampling", which Pillow uses:
#: :func:`decode`) or ``"replicating"`` (each sample repeated over its 2 x 2 pixels, as
#: ``djpeg -nosmooth`` does: :func:`decode_replicating`).
DECODERS = ("interpolating", "replicating")

# libjpeg's YCbCr -> RGB conversion (jdcolor.c), in its own 16-bit fixed-point arithmetic,
# so that a picture rebuilt here rounds exactly as libjpeg's decoder rounds.
_SCALEBITS = 16
_ONE_HALF = 1 << (_SCALEBITS - 1)


def _fix(x: float) -> int:
    return int(x * (1 << _SCALEBITS) + 0.5)


_CENTRED = np.arange(256, dtype=np.int64) - 128
_CR_R = (_fix(1.40200) * _CENTRED + _ONE_HALF) >> _SCALEBITS
_CB_B = (_fix(1.77200) * _CENTRED + _ONE_HALF) >> _SCALEBITS
_CR_G = -_fix(0.71414) * _CENTRED
_CB_G = -_fix(0.34414) * _CENTRED + _ONE_HALF


def ycbcr_to_rgb(ycbcr: np.ndarray) -> np.ndarray:
    """Convert an 8-bit (h, w, 3) YCbCr array to RGB exactly as libjpeg's decoder does
    (JFIF full-range YCbCr, libjpeg's fixed-point tables and rounding).

    Examples
    --------
    >>> ycbcr_to_rgb(np.array([[[128, 128, 128], [82, 90, 240]]], np.uint8)).tolist()
    [[[128, 128, 128], [239, 15, 15]]]
    """
    a = np.asarray(ycbcr)
    if a.ndim != 3 or a.shape[2] != 3 or a.dtype != np.uint8:
        raise ValueError(f"ycbcr must be an 8-bit (h, w, 3) array, got {a.dtype} {a.shape}")
    y = a[..., 0].astype(np.int64)
    cb, cr = a[..., 1], a[..., 2]
    r = y + _CR_R[cr]
    g = y + ((_CB_G[cb] + _CR_G[cr]) >> _SCALEBITS)
    b = y + _CB_B[cb]
    return np.clip(np.stack([r, g, b], axis=-1), 0, 255).astype(np.uint8)


def jpeg_subsampling(data: bytes) -> str | None:
    """The chroma subsampling of a JPEG file (``"4:4:4"``, ``"4:2:2"`` or ``"4:2:0"``),
    or None for a JPEG without one (greyscale, CMYK, other layouts).

    Examples
    --------
    >>> im = Image.new("RGB", (16, 16), (200, 40, 40))
    >>> jpeg_subsampling(encode(im)), jpeg_subsampling(encode(im, subsampling="4:4:4"))
    ('4:2:0', '4:4:4')
    """
    im = _open_jpeg(data)
    return {0: "4:4:4", 1: "4:2:2", 2: "4:2:0"}.get(JpegImagePlugin.get_sampling(im))


def _open_jpeg(data: bytes) -> JpegImagePlugin.JpegImageFile:
    """``data`` opened (not yet decoded) as a JPEG file, or a :class:`DecodeError`."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    try:
        im = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise DecodeError(f"data is not an image Pillow can read ({len(data):,} bytes)") from None
    if not isinstance(im, JpegImagePlugin.JpegImageFile):
        raise DecodeError(f"data is a {im.format} file, not a JPEG")
    return im


def _ycbcr_planes(data: bytes, size: tuple[int, int] | None) -> np.ndarray:
    """The YCbCr samples libjpeg decodes from a JPEG file, with no colour conversion: at
    full size (``size`` None), or scaled down by libjpeg's DCT scaling to ``size``."""
    im = _open_jpeg(data)
    im.draft("YCbCr", size)
    try:
        im.load()
    except (OSError, SyntaxError, ValueError, EOFError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise DecodeError(f"data is truncated or corrupt ({reason})") from None
    return np.asarray(im)


def replicated_ycbcr(data: bytes) -> np.ndarray:
    """The YCbCr samples of a JPEG file at full size, before any conversion to RGB: the
    brightness (luma) as libjpeg decodes it for Pillow, and 4:2:0's colour samples as
    stored, each repeated over its 2 x 2 pixels (:func:`decode_replicating` converts this
    to RGB). An (h, w, 3) uint8 array; for a 4:4:4 file, the colour as stored.

    The colour samples are decoded at their stored resolution by asking libjpeg for a
    picture of half the size: its DCT scaling then decodes the colour at full scale, with
    no upsampling.

    Raises
    ------
    DecodeError
        ``data`` is not a readable JPEG file.
    CodecError
        A greyscale, CMYK or 4:2:2 file (libjpeg's scaling cannot return 4:2:2's colour at
        stored resolution), or a 4:2:0 picture less than 2 pixels wide or tall.

    Examples
    --------
    >>> im = Image.new("RGB", (6, 4), (220, 30, 40))
    >>> im.paste((30, 50, 210), (0, 0, 3, 4))
    >>> cb = replicated_ycbcr(encode(im, "jpeg", 90))[..., 1]
    >>> bool((cb[0::2, 0::2] == cb[1::2, 1::2]).all())  # one sample per 2 x 2 block
    True
    """
    im = _open_jpeg(data)
    subsampling = {0: "4:4:4", 1: "4:2:2", 2: "4:2:0"}.get(JpegImagePlugin.get_sampling(im))
    if subsampling not in ("4:4:4", "4:2:0"):
        raise CodecError(
            f"replicated_ycbcr reads 4:4:4 and 4:2:0 colour JPEG files, got "
            f"{subsampling or 'one without 4:4:4 or 4:2:0 colour samples'}"
        )
    full = _ycbcr_planes(data, None)
    h, w = full.shape[:2]
    if subsampling == "4:4:4":
        return full
    if w < 2 or h < 2:
        raise CodecError(f"replicated_ycbcr needs a 4:2:0 picture of 2 x 2 px or more, got {w}x{h}")
    half = _ycbcr_planes(data, (w // 2, h // 2))
    if half.shape[:2] != ((h + 1) // 2, (w + 1) // 2):
        raise CodecError(f"libjpeg did not decode the colour of this {w}x{h} file at half size")
    colour = half[..., 1:].repeat(2, axis=0).repeat(2, axis=1)[:h, :w]
    return np.ascontiguousarray(np.dstack([full[..., :1], colour]))


def decode_replicating(data: bytes) -> Image.Image:
    """Decode a JPEG file to 8-bit RGB, rebuilding 4:2:0's half-resolution colour by
    repeating each colour sample over its 2 x 2 pixels instead of interpolating between
    samples, as libjpeg's default decoder (and so Pillow's, :func:`decode`) does.

    The brightness (luma) is Pillow's own; the colour samples are the stored ones,
    repeated (:func:`replicated_ycbcr`); the conversion to RGB is libjpeg's own arithmetic
    (:func:`ycbcr_to_rgb`). The result equals ``djpeg -nosmooth``'s pixel for pixel, and
    Pillow's decode for a 4:4:4 file, where there is nothing to rebuild. Pillow alone, no
    other decoder needed. A greyscale or CMYK file, with no colour samples to rebuild, is
    decoded as :func:`decode` decodes it.

    Raises
    ------
    DecodeError
        ``data`` is not a readable JPEG file.
    CodecError
        A 4:2:2 file, or a 4:2:0 picture less than 2 pixels wide or tall (see
        :func:`replicated_ycbcr`).

    Examples
    --------
    >>> stripes = Image.new("RGB", (32, 16), (220, 30, 40))
    >>> stripes.paste((30, 50, 210), (0, 0, 15, 16))  # blue | red
    >>> full = encode(stripes, "jpeg", 90, "4:4:4")
    >>> decode_replicating(full).tobytes() == decode(full).tobytes()  # nothing to rebuild
    True
    >>> half = encode(stripes, "jpeg", 90)  # Pillow's default, 4:2:0
    >>> decode_replicating(half).tobytes() == decode(half).tobytes()
    False
    """
    im = _open_jpeg(data)
    if im.layers in (1, 4):  # greyscale or CMYK: no colour samples to rebuild
        return decode(data)
    return Image.fromarray(ycbcr_to_rgb(replicated_ycbcr(data)))


def decoder(name: str):
    """The decode function for one of :data:`DECODERS`: :func:`decode` for
    ``"interpolating"``, :func:`decode_replicating` for ``"replicating"``.

    Examples
    --------
    >>> decoder("replicating") is decode_replicating
    True
    """
    if name == "interpolating":
        return decode
    if name == "replicating":
        return decode_replicating
    raise CodecError(f"decoder must be one of {', '.join(DECODERS)}, got {name!r}")


def roundtrip(
    image: Image.Image,
    codec: str = "jpeg",
    quality: int = 75,
    subsampling: str | None = None,
) -> tuple[Image.Image, bytes]:
    """Encode and decode once: ``(decoded_image, encoded_bytes)``.

    Examples
    --------
    >>> from lossylib.images import load_sample
    >>> im = load_sample("testcard")
    >>> out, data = roundtrip(im, "png")
    >>> out.tobytes() == im.tobytes()  # PNG is the lossless control
    True
    """
    data = encode(image, codec, quality, subsampling)
    return decode(data), data
