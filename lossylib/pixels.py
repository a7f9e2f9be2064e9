"""An RGB image's pixels as one 32-bit word each, borrowed from Pillow without a copy.

Pillow keeps an RGB image as four bytes per pixel (R, G, B and a padding byte). Reading
it with ``np.asarray`` packs a new three-byte copy while holding Python's lock, which in
the recompression loop is a tenth of the time of a JPEG round trip. :func:`rgbx_words`
lends the image's own memory instead, through the Arrow C data interface that Pillow
(11.2 and later) exports, and falls back to one copy where Pillow cannot lend it (an
image stored in several blocks, which Pillow does above its block size, 16 MB by
default: a 4-megapixel RGB image). Inside :func:`one_block`, Pillow keeps images of a
given size in one block, so that a 12-megapixel photo's pixels are lent as well.

The words are little-endian on every machine this runs on: red in the lowest byte, then
green, then blue; the top byte is padding and means nothing. The compiled kernels in
:mod:`lossylib.kernels` read them (``sse_words``, ``luma_words``).

Examples
--------
>>> from PIL import Image
>>> words = rgbx_words(Image.new("RGB", (3, 2), (1, 2, 3)))
>>> words.shape, words.dtype.name
((2, 3), 'uint32')
>>> int(words[0, 0]) & 0xFFFFFF == 1 + (2 << 8) + (3 << 16)
True
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from PIL import Image


class _ArrowArray(ctypes.Structure):
    """``struct ArrowArray`` of the Arrow C data interface (a stable ABI)."""


_ArrowArray._fields_ = [
    ("length", ctypes.c_int64),
    ("null_count", ctypes.c_int64),
    ("offset", ctypes.c_int64),
    ("n_buffers", ctypes.c_int64),
    ("n_children", ctypes.c_int64),
    ("buffers", ctypes.POINTER(ctypes.c_void_p)),
    ("children", ctypes.POINTER(ctypes.POINTER(_ArrowArray))),
    ("dictionary", ctypes.POINTER(_ArrowArray)),
    ("release", ctypes.c_void_p),
    ("private_data", ctypes.c_void_p),
]

_capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_capsule_pointer.restype = ctypes.c_void_p
_capsule_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]


class _Lent:
    """Exposes lent memory to numpy, and keeps the image and the Arrow export alive
    (the capsule's destructor releases the export) for as long as the array lives."""

    def __init__(self, image: Image.Image, capsule: object, address: int) -> None:
        self._keep = (image, capsule)
        w, h = image.size
        self.__array_interface__ = {
            "shape": (h, w),
            "typestr": "<u4",
            "data": (address, True),  # read-only
            "version": 3,
        }


def _borrow(image: Image.Image) -> np.ndarray | None:
    """The lent words, or None where Pillow cannot lend them."""
    if sys.byteorder != "little" or not hasattr(image.im, "__arrow_c_array__"):
        return None
    try:
        capsule = image.im.__arrow_c_array__()
    except ValueError:  # "Image rows are not contiguous in memory": several blocks
        return None
    array = ctypes.cast(_capsule_pointer(capsule, b"arrow_array"), ctypes.POINTER(_ArrowArray))
    outer = array.contents
    # An RGB image is exported as a fixed-size list of 4 bytes per pixel: one child array
    # holding every byte (buffer 1; buffer 0 is the absent validity bitmap).
    if outer.n_children != 1 or outer.length != image.width * image.height:
        return None
    child = outer.children[0].contents
    if child.length != 4 * outer.length or child.n_buffers != 2 or child.offset != 0:
        return None
    return np.asarray(_Lent(image, capsule, child.buffers[1]))


def rgbx_words(image: Image.Image) -> np.ndarray:
    """The pixels of an 8-bit RGB image as an (h, w) uint32 array, without a copy if Pillow
    can lend them (read-only then), else copied once.

    Red is ``word & 0xFF``, green ``(word >> 8) & 0xFF``, blue ``(word >> 16) & 0xFF``; the
    top byte is padding (not necessarily the same in two images).

    Examples
    --------
    >>> from PIL import Image
    >>> import numpy as np
    >>> im = Image.new("RGB", (4, 4), (200, 100, 50))
    >>> words = rgbx_words(im)
    >>> rgb = np.stack([(words >> s) & 0xFF for s in (0, 8, 16)], axis=-1)
    >>> bool((rgb == np.asarray(im)).all())
    True
    """
    if not isinstance(image, Image.Image):
        raise ValueError(f"rgbx_words needs an RGB PIL image, got {type(image).__name__}")
    if image.mode != "RGB":
        raise ValueError(f"rgbx_words needs an RGB image, got mode {image.mode}")
    if image.width < 1 or image.height < 1:
        raise ValueError(f"rgbx_words needs a non-empty image, got {image.width}x{image.height}")
    image.load()
    lent = _borrow(image)
    if lent is not None:
        return lent
    data = image.tobytes("raw", "RGBX")
    words = np.frombuffer(data, dtype="<u4").reshape(image.height, image.width)
    return words


#: The largest block :func:`one_block` asks Pillow for (its block size is a C int, in
#: whole pages of 4096 bytes).
MAX_BLOCK = (1 << 31) - 4096


def block_bytes(pixels: int, alignment: int = 1) -> int:
    """The block size, in whole pages, that holds any RGB image of up to ``pixels`` pixels
    in one block (four bytes a pixel, each row padded to ``alignment`` bytes, as Pillow's
    allocator does), at most :data:`MAX_BLOCK`.

    Examples
    --------
    >>> block_bytes(4000 * 3000)  # a 12-megapixel photo: 48 MB
    48001024
    >>> block_bytes(1)
    4096
    """
    for name, value in (("pixels", pixels), ("alignment", alignment)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
    pixels, alignment = int(pixels), int(alignment)  # exact, however large
    # At most `pixels` rows, each padded by up to alignment - 1 bytes, and up to
    # alignment - 1 bytes more to align the block's start.
    need = 4 * pixels + (alignment - 1) * (pixels + 1)
    return min(MAX_BLOCK, -(-need // 4096) * 4096)


@contextmanager
def one_block(pixels: int) -> Iterator[None]:
    """While inside, Pillow allocates RGB images of up to ``pixels`` pixels in one block
    of memory, so that :func:`rgbx_words` lends their pixels instead of copying them.

    Pillow allocates the memory an image needs, whatever its block size: a bigger block
    size only stops it from splitting a large image. On leaving, Pillow's block size is
    put back, unless something else changed it meanwhile; it is never lowered.

    Examples
    --------
    >>> from PIL import Image
    >>> before = Image.core.get_block_size()
    >>> with one_block(5000 * 4000):
    ...     big = Image.new("RGB", (5000, 4000))
    >>> capsule = big.im.__arrow_c_array__()  # one block: Pillow can lend it (else ValueError)
    >>> Image.core.get_block_size() == before
    True
    """
    core = Image.core
    before = core.get_block_size()
    wanted = block_bytes(pixels, core.get_alignment())
    if wanted <= before:
        yield
        return
    core.set_block_size(wanted)
    try:
        yield
    finally:
        if core.get_block_size() == wanted:
            core.set_block_size(before)


__all__ = ["MAX_BLOCK", "block_bytes", "one_block", "rgbx_words"]
