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

from PIL import Image, UnidentifiedImageError, features

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
