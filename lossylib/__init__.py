"""lossylib: the experiments behind the executable book *Lossy Self-Improvement*.

The most used names are here; each module holds one idea (see the README's map).

Examples
--------
>>> import lossylib
>>> run = lossylib.recompress(lossylib.load_sample("testcard"), generations=5)
>>> len(run.table)
6
"""

from .codecs import available_codecs
from .generations import Run, recompress
from .images import ImageInputError, list_samples, load_image, load_sample

__version__ = "0.1.0"
__all__ = [
    "ImageInputError",
    "Run",
    "available_codecs",
    "list_samples",
    "load_image",
    "load_sample",
    "recompress",
]
