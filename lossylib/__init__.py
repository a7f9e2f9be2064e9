"""lossylib: the experiments behind the executable book *Lossy Self-Improvement*.

The most used names are here; each module holds one idea (see the README's map).

Examples
--------
>>> import lossylib
>>> run = lossylib.recompress(lossylib.load_sample("testcard"), generations=5)
>>> len(run.table)
6
"""

import importlib

# The names below are imported when first used (PEP 562), so that ``lossy`` (whose entry
# point is lossylib.__main__) starts without loading numpy and Pillow first; Ctrl-C while
# they load is then handled by the command line, not shown as a traceback.
_LAZY = {
    "available_codecs": "codecs",
    "Run": "generations",
    "recompress": "generations",
    "ImageInputError": "images",
    "list_samples": "images",
    "load_image": "images",
    "load_sample": "images",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    else:
        try:
            value = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError:
            raise AttributeError(f"module 'lossylib' has no attribute {name!r}") from None
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


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
