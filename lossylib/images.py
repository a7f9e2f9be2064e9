"""Sample images and the one validated path for loading a user's image.

The samples are photographs that ship with scikit-image (no download) and a synthetic test
card drawn by code. Every image that enters the library goes through :func:`load_image`
(a file) or :func:`as_rgb` (an image in memory): both return an 8-bit RGB ``PIL.Image``
or raise :class:`ImageInputError` with a one-line message.

Examples
--------
>>> from lossylib import images
>>> images.list_samples()
['astronaut', 'chelsea', 'coffee', 'testcard']
>>> images.load_sample("testcard").size
(256, 256)
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw, ImageFile, ImageOps

#: Largest image (in pixels) the library will open: 40 megapixels.
MAX_PIXELS = 40_000_000

#: Largest test card :func:`test_card` draws (its side, in pixels).
MAX_CARD = 4096

#: Where the test card's 8 px checkerboard puts its edges: 3 px into each of JPEG's 8 x 8
#: blocks (x and y), as a photograph's edges fall, rather than on the block boundaries,
#: where a block-based codec would keep every block flat and every edge intact.
CHECKER_OFFSET = 3


class ImageInputError(ValueError):
    """An image that cannot be used, with a one-line reason."""


def _skimage(name: str) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        from skimage import data

        return getattr(data, name)()

    return load


# name -> (loader, one-line description)
_PHOTOS = {
    "astronaut": (_skimage("astronaut"), "Eileen Collins, NASA portrait, 512x512 (scikit-image)"),
    "chelsea": (_skimage("chelsea"), "Chelsea the cat, 451x300 (scikit-image)"),
    "coffee": (_skimage("coffee"), "A cup of coffee on a red saucer, 600x400 (scikit-image)"),
}


def list_samples() -> list[str]:
    """Names accepted by :func:`load_sample`, sorted."""
    return sorted([*_PHOTOS, "testcard"])


def describe_sample(name: str) -> str:
    """A one-line description of a sample (source and size)."""
    if name == "testcard":
        return "Synthetic test card drawn by lossylib: thin red lines, text, edges, gradients"
    _check_sample(name)
    return _PHOTOS[name][1]


def _check_sample(name: str) -> None:
    if name not in list_samples():
        raise ImageInputError(
            f"unknown sample {name!r}; choose one of: {', '.join(list_samples())}"
        )


@functools.cache
def _sample_array(name: str) -> np.ndarray:
    if name == "testcard":
        arr = np.asarray(test_card())
    else:
        arr = _PHOTOS[name][0]()
    arr = np.ascontiguousarray(arr[..., :3], dtype=np.uint8)
    arr.setflags(write=False)
    return arr


def load_sample(name: str) -> Image.Image:
    """A sample image as 8-bit RGB.

    Parameters
    ----------
    name : str
        One of :func:`list_samples`.

    Examples
    --------
    >>> load_sample("coffee").mode
    'RGB'
    """
    _check_sample(name)
    return Image.fromarray(_sample_array(name).copy(), "RGB")


def test_card(size: int = 256) -> Image.Image:
    """A synthetic test card that stresses what the claims are about.

    Quadrants: thin saturated red lines (1-3 px) on grey and white, next to a solid red
    block; hard black/white edges (an 8 px checkerboard whose edges lie
    :data:`CHECKER_OFFSET` px off JPEG's block grid) and a fine checkerboard; text-like
    detail; and smooth colour gradients. Deterministic: no randomness, no fonts from the system.

    ``size`` is the side in pixels: a multiple of 32 from 64 to :data:`MAX_CARD`.

    Examples
    --------
    >>> card = test_card()
    >>> card.getpixel((200, 40))  # inside the solid red block
    (220, 20, 30)
    """
    if isinstance(size, bool) or not isinstance(size, int | np.integer):
        raise ImageInputError(f"test card size must be a whole number, got {size!r}")
    if size < 64 or size % 32:
        raise ImageInputError(f"test card size must be a multiple of 32 and >= 64, got {size}")
    if size > MAX_CARD:
        raise ImageInputError(f"test card size must be at most {MAX_CARD}, got {size}")
    size = int(size)
    s = size
    h = s // 2
    img = Image.new("RGB", (s, s), (128, 128, 128))
    d = ImageDraw.Draw(img)
    red = (220, 20, 30)
    # Top-left: thin red lines of width 1, 2, 3 px on grey and on white.
    d.rectangle([0, 0, h - 1, h // 2 - 1], fill=(235, 235, 235))
    for i, w in enumerate((1, 1, 2, 2, 3, 3)):
        x = 6 + i * (h - 12) // 6
        d.rectangle([x, 2, x + w - 1, h - 3], fill=red)
    for i, w in enumerate((1, 2, 3)):
        y = h // 2 + 8 + i * 16
        d.rectangle([4, y, h - 5, y + w - 1], fill=red)
    # Top-right: solid red block and a red disc on blue.
    d.rectangle([h, 0, s - 1, h - 1], fill=(20, 40, 160))
    d.rectangle([h + 8, 8, s - 9, h // 2], fill=red)
    d.ellipse([h + h // 4, h // 2 + 8, h + 3 * h // 4, h - 8], fill=red)
    # Bottom-left: hard edges (checkerboards of 8 and 1 px) and text-like detail.
    yy, xx = np.mgrid[0:h, 0:h]
    off = CHECKER_OFFSET
    checker = np.where(((yy - off) // 8 + (xx - off) // 8) % 2 == 0, 255, 0).astype(np.uint8)
    fine = np.where((yy + xx) % 2 == 0, 255, 0).astype(np.uint8)
    block = np.where(xx < h // 2, checker, fine)
    img.paste(Image.fromarray(np.stack([block] * 3, axis=-1), "RGB"), (0, h))
    d.rectangle([4, s - h // 3, h - 5, s - 5], fill=(255, 255, 255))
    for row, text in enumerate(("LOSSY 0123456789", "recompression.", "The quick brown fox")):
        d.text((8, s - h // 3 + 2 + row * 12), text, fill=(0, 0, 0))
    # Bottom-right: smooth gradients (horizontal hue sweep, vertical brightness).
    gy, gx = np.mgrid[0:h, 0:h] / (h - 1)
    grad = (
        np.stack([gx, 1 - gx, 0.5 + 0.5 * np.sin(np.pi * gx)], axis=-1)
        * (0.3 + 0.7 * gy)[..., None]
    )
    img.paste(Image.fromarray(np.round(grad * 255).astype(np.uint8), "RGB"), (h, h))
    return img


#: How far the profiles of :func:`checker_edge_profile` reach either side of an edge: 6 of
#: the 8 pixels of each square it joins, 2 px clear of the square's next edge.
EDGE_REACH = 6


def _checkerboard(y: np.ndarray) -> np.ndarray:
    """The 8 px checkerboard's part of a test card (a luma array of the card's size): the
    bottom-left quadrant's left half, above the text box."""
    size = y.shape[0]
    h = size // 2
    return y[h : size - h // 3, : h // 2]


@functools.cache
def _checker_edges(size: int, reach: int) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...]:
    """Where the test card's 8 px checkerboard has edges, for the board (vertical edges)
    and for its transpose (horizontal ones): the rows and the column windows of every
    profile across an edge, and whether each edge steps up from dark to light as drawn."""
    card = _checkerboard(np.asarray(test_card(size).convert("L")).astype(float))
    out = []
    for board in (card, card.T):
        off = CHECKER_OFFSET  # the board starts on a multiple of 16 px: the same phase
        # rows 2-5 px into a square, so at least 2 px from the edges that cross the
        # profiles, and 2 px inside the board (its neighbours are not squares)
        rows = np.array([r for r in range(2, board.shape[0] - 2) if (r - off) % 8 in (2, 3, 4, 5)])
        edges = np.arange(off + 8, board.shape[1] - reach + 1, 8)
        windows = edges[:, None] + np.arange(-reach, reach)
        rising = board[rows[:, None], edges[None, :]] > board[rows[:, None], edges[None, :] - 1]
        out.append((rows, windows, rising))
    return tuple(out)


def checker_edge_profile(image, reach: int = EDGE_REACH) -> np.ndarray:
    """The mean luma profile across the test card's 8 px checkerboard edges, dark to light.

    Every edge of the checkerboard (vertical and horizontal, away from the corners) gives
    one profile of ``2 * reach`` pixels across it (``reach`` from 1 to 7 either side),
    oriented from the dark square to the light one as drawn; their mean averages noise
    away and keeps what every edge shares, the step's height and how wide it is (see
    :func:`lossylib.metrics.rise_width`). ``image`` is a test card or any picture of the
    same size made from one (an RGB image, RGB array or 2-D luma array).

    Examples
    --------
    >>> checker_edge_profile(test_card(), reach=3).round().tolist()
    [0.0, 0.0, 0.0, 255.0, 255.0, 255.0]
    """
    from .metrics import luma

    if isinstance(reach, bool) or not isinstance(reach, int | np.integer) or not 1 <= reach <= 7:
        raise ValueError(f"reach must be a whole number of pixels from 1 to 7, got {reach!r}")
    y = np.asarray(luma(image if isinstance(image, np.ndarray) else as_rgb(image)), float)
    if y.ndim != 2 or y.shape[0] != y.shape[1] or y.shape[0] < 64 or y.shape[0] % 32:
        raise ImageInputError(
            f"expected a test card (square, a multiple of 32 px from 64), got "
            f"{'x'.join(map(str, y.shape[::-1]))}"
        )
    board = _checkerboard(y)
    profiles = []
    for picture, (rows, windows, rising) in zip(
        (board, board.T), _checker_edges(y.shape[0], int(reach)), strict=True
    ):
        across = picture[rows[:, None, None], windows[None, :, :]]
        # a light-to-dark edge, read backwards, is dark to light about the same centre
        profiles.append(
            np.where(rising[..., None], across, across[..., ::-1]).reshape(-1, 2 * reach)
        )
    return np.concatenate(profiles).mean(axis=0)


def check_image(image: object, name: str = "image") -> Image.Image:
    """``image`` if it is a PIL image with at least one pixel, else :class:`ImageInputError`.

    Examples
    --------
    >>> check_image(None)
    Traceback (most recent call last):
    ...
    lossylib.images.ImageInputError: expected a PIL image for image, got NoneType
    """
    if not isinstance(image, Image.Image):
        raise ImageInputError(f"expected a PIL image for {name}, got {type(image).__name__}")
    if image.width < 1 or image.height < 1:
        raise ImageInputError(f"{name} is empty ({image.width}x{image.height} pixels)")
    return image


def check_rgb(colour: object, name: str) -> tuple[int, int, int]:
    """An RGB colour as three ints, or ``ValueError`` naming ``name``.

    Examples
    --------
    >>> check_rgb([255, 0, 0], "background")
    (255, 0, 0)
    """
    values = tuple(colour) if isinstance(colour, list | tuple) else ()
    if len(values) != 3 or not all(
        isinstance(v, int | np.integer) and not isinstance(v, bool) and 0 <= v <= 255
        for v in values
    ):
        raise ImageInputError(f"{name} must be three integers in 0-255, got {colour!r}")
    return tuple(int(v) for v in values)  # type: ignore[return-value]


def as_rgb(image: Image.Image, *, background: tuple[int, int, int] = (255, 255, 255)):
    """Convert any PIL image to 8-bit RGB, the one form the library works with.

    Alpha is composited onto ``background`` (three integers in 0-255); palette images
    are expanded; CMYK is converted; 16-bit and float greyscale are scaled to 8 bits by
    the range of their finite values (NaN becomes black, infinities the ends of the
    range).

    Examples
    --------
    >>> as_rgb(Image.new("RGBA", (4, 4), (255, 0, 0, 0))).getpixel((0, 0))
    (255, 255, 255)
    """
    check_image(image)
    mode = image.mode
    background = check_rgb(background, "background")
    if mode == "RGB":
        return image
    if mode == "P":
        image = image.convert("RGBA")
        mode = "RGBA"
    if mode == "La":  # Pillow converts premultiplied grey only to LA
        image = image.convert("LA")
        mode = "LA"
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        base = Image.new("RGBA", rgba.size, (*background, 255))
        return Image.alpha_composite(base, rgba).convert("RGB")
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        arr = np.asarray(image, dtype=np.float64)
        finite = arr[np.isfinite(arr)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
        scaled = np.zeros_like(arr) if hi <= lo else (np.clip(arr, lo, hi) - lo) / (hi - lo) * 255.0
        return Image.fromarray(np.round(np.nan_to_num(scaled)).astype(np.uint8), "L").convert("RGB")
    try:
        return image.convert("RGB")
    except (ValueError, OSError) as err:
        raise ImageInputError(f"cannot convert an image in mode {mode!r} to RGB: {err}") from None


def load_image(path: str | os.PathLike, *, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Open a user's image file, validated, as 8-bit RGB.

    Applies the EXIF orientation, refuses images larger than ``max_pixels`` (and
    decompression bombs) before decoding them, and reads the whole file so a truncated
    or corrupt image fails here with a clear message rather than later.

    Raises
    ------
    ImageInputError
        With a one-line reason: missing file, not an image, truncated or corrupt data,
        too many pixels, an unsupported mode; or a ``path`` that is not a path, or a
        ``max_pixels`` that is not a whole number >= 1.

    Examples
    --------
    >>> load_image("no/such/file.png")
    Traceback (most recent call last):
    ...
    lossylib.images.ImageInputError: no such file: no/such/file.png
    """
    if not isinstance(path, str | bytes | os.PathLike):
        raise ImageInputError(f"path must be a file path, got {path!r}")
    if isinstance(max_pixels, bool) or not isinstance(max_pixels, int | np.integer):
        raise ImageInputError(f"max_pixels must be a whole number >= 1, got {max_pixels!r}")
    if max_pixels < 1:
        raise ImageInputError(f"max_pixels must be a whole number >= 1, got {max_pixels}")
    path = os.fspath(path)
    if not os.path.exists(path):
        raise ImageInputError(f"no such file: {path}")
    if os.path.isdir(path):
        raise ImageInputError(f"{path} is a folder, not an image file")
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                w, h = im.size
                if w * h > max_pixels:
                    raise ImageInputError(
                        f"{path} is {w}x{h} = {w * h:,} pixels, more than the limit of "
                        f"{max_pixels:,}"
                    )
                im.load()
                im = ImageOps.exif_transpose(im)
                return as_rgb(im)
    except ImageInputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageInputError(f"{path} looks like a decompression bomb; refusing it") from None
    except Image.UnidentifiedImageError:
        raise ImageInputError(f"{path} is not an image Pillow can read") from None
    except (OSError, SyntaxError, ValueError, EOFError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ImageInputError(f"{path} is truncated or corrupt ({reason})") from None


def center_crop(image: Image.Image, size: int) -> Image.Image:
    """The central ``size`` x ``size`` square (the whole image if it is smaller).

    ``size`` is a whole number >= 1.

    Examples
    --------
    >>> center_crop(load_sample("astronaut"), 128).size
    (128, 128)
    """
    check_image(image)
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 1:
        raise ImageInputError(f"size must be a whole number >= 1, got {size!r}")
    w, h = image.size
    s = min(size, w, h)
    left, top = (w - s) // 2, (h - s) // 2
    return image.crop((left, top, left + s, top + s))


def test_card_regions(size: int = 256) -> dict[str, np.ndarray]:
    """Boolean masks of the test card's regions, for measuring what happens where.

    ``thin_red``: the 1-3 px red lines; ``solid_red``: the inside of the red block (2 px
    in from its border); ``checker_edges``: pixels on either side of the 8 px
    checkerboard's edges (which lie :data:`CHECKER_OFFSET` px into JPEG's 8 x 8 blocks).

    Examples
    --------
    >>> edges = test_card_regions()["checker_edges"]
    >>> row = edges[140]  # a row of the checkerboard between two horizontal edges
    >>> sorted({int(x) % 8 for x in row.nonzero()[0]})  # either side of x = 3 (mod 8)
    [2, 3]
    """
    card = np.asarray(test_card(size)).astype(int)
    h = size // 2
    red = (card[..., 0] == 220) & (card[..., 1] == 20) & (card[..., 2] == 30)
    thin = np.zeros_like(red)
    thin[:h, :h] = red[:h, :h]
    solid = np.zeros_like(red)
    solid[10 : h // 2 - 1, h + 10 : size - 11] = True
    yy, xx = np.mgrid[0:size, 0:size]
    in_checker = (yy >= h) & (xx < h // 2)
    cx, cy = (xx - CHECKER_OFFSET) % 8, (yy - CHECKER_OFFSET) % 8
    edge = ((cx == 0) | (cx == 7) | (cy == 0) | (cy == 7)) & in_checker
    edge &= (xx > 0) & (xx < h // 2 - 1) & (yy > h) & (yy < size - h // 3 - 1)
    return {"thin_red": thin, "solid_red": solid, "checker_edges": edge}
