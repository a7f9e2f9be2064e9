"""An RGB image's pixels as one 32-bit word each, borrowed from Pillow without a copy.

Pillow keeps an RGB image as four bytes per pixel (R, G, B and a padding byte). Reading
it with ``np.asarray`` packs a new three-byte copy while holding Python's lock, which in
the recompression loop is a tenth of the time of a JPEG round trip. :func:`rgbx_words`
lends the image's own memory instead, through the Arrow C data interface that Pillow
(11.2 and later) exports, and falls back to one copy where Pillow cannot lend it (an
image stored in several blocks, which Pillow does above about 16 MB).

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
    if image.mode != "RGB":
        raise ValueError(f"rgbx_words needs an RGB image, got mode {image.mode}")
    image.load()
    lent = _borrow(image)
    if lent is not None:
        return lent
    data = image.tobytes("raw", "RGBX")
    words = np.frombuffer(data, dtype="<u4").reshape(image.height, image.width)
    return words


__all__ = ["rgbx_words"]
