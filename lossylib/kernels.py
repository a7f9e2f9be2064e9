"""Compiled (numba) kernels for the metrics that run on every generation of a long run.

Three kernels, each exact against the numpy code it replaces:

- :func:`sse` is the exact integer sum of squared differences behind
  :func:`lossylib.metrics.mse` and PSNR (the same number as the histogram method, in a
  third of the time, and without holding Python's lock, so it overlaps encoding).
- :func:`ssim_sum` sums the SSIM map in one pass over the two images, with running
  integer window sums and the same float32 arithmetic per position as
  :class:`lossylib.metrics.SSIMReference`'s numpy path, so its mean agrees with it to
  ~1e-12 and with scikit-image's ``structural_similarity`` to ~1e-7.
- :func:`edge_sum` sums the central-difference gradient magnitude of a luma image in
  float32 per pixel, like :func:`lossylib.metrics.edge_energy`, without any temporary
  arrays (which on a 12-megapixel photo would take several hundred megabytes).

They are compiled on first use (about a second; cached on disk with ``cache=True`` so
later processes load them in a fraction of that). Where the package folder is read-only,
numba caches under ``NUMBA_CACHE_DIR`` or the user's cache folder; where no folder is
writable at all, the kernels are compiled in memory on every run instead of failing.
Without numba, :data:`AVAILABLE` is False and the metrics use their numpy paths.

Examples
--------
>>> import numpy as np
>>> from lossylib import kernels
>>> x = np.arange(100, dtype=np.uint8).reshape(10, 10)  # steps of 1 across, 10 down
>>> round(kernels.edge_sum(x) / 64, 4)  # 64 interior pixels, each sqrt(1 + 100)
10.0499
"""

from __future__ import annotations

import warnings

import numpy as np

try:  # numba is pinned in requirements.txt, but the metrics work without it
    import numba
except ImportError:  # pragma: no cover - exercised only where numba is missing
    numba = None

#: Whether the compiled kernels can be used (numba imported).
AVAILABLE = numba is not None
_CACHING = False


def _jit(fn):
    """``numba.njit(cache=True)``, or without the disk cache when no folder is writable."""
    global _CACHING
    if numba is None:  # pragma: no cover
        return fn
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compiled = numba.njit(cache=True, nogil=True)(fn)
        _CACHING = True
        return compiled
    except Exception:  # numba raises RuntimeError("cannot cache ...") at decoration
        return numba.njit(cache=False, nogil=True)(fn)


def caching() -> bool:
    """Whether the compiled kernels are cached on disk (False: compiled every run)."""
    return _CACHING


@_jit
def _ssim_rows(x, y, w, c1, c2k, out, want_map):  # pragma: no cover - compiled
    """Sum of the SSIM map of uint8 images x, y (window w x w); fills ``out`` if asked."""
    h, width = x.shape
    ho, wo = h - w + 1, width - w + 1
    n = w * w
    # Running sums down each column over the current window of w rows.
    cx = np.zeros(width, np.int64)
    cy = np.zeros(width, np.int64)
    cxx = np.zeros(width, np.int64)
    cyy = np.zeros(width, np.int64)
    cxy = np.zeros(width, np.int64)
    for r in range(w):
        for c in range(width):
            a = np.int64(x[r, c])
            b = np.int64(y[r, c])
            cx[c] += a
            cy[c] += b
            cxx[c] += a * a
            cyy[c] += b * b
            cxy[c] += a * b
    total = 0.0
    c1_32 = c1
    for r in range(ho):
        if r > 0:
            for c in range(width):
                a0 = np.int64(x[r - 1, c])
                b0 = np.int64(y[r - 1, c])
                a1 = np.int64(x[r + w - 1, c])
                b1 = np.int64(y[r + w - 1, c])
                cx[c] += a1 - a0
                cy[c] += b1 - b0
                cxx[c] += a1 * a1 - a0 * a0
                cyy[c] += b1 * b1 - b0 * b0
                cxy[c] += a1 * b1 - a0 * b0
        sx = np.int64(0)
        sy = np.int64(0)
        sxx = np.int64(0)
        syy = np.int64(0)
        sxy = np.int64(0)
        for c in range(w):
            sx += cx[c]
            sy += cy[c]
            sxx += cxx[c]
            syy += cyy[c]
            sxy += cxy[c]
        row = 0.0
        for c in range(wo):
            if c > 0:
                sx += cx[c + w - 1] - cx[c - 1]
                sy += cy[c + w - 1] - cy[c - 1]
                sxx += cxx[c + w - 1] - cxx[c - 1]
                syy += cyy[c + w - 1] - cyy[c - 1]
                sxy += cxy[c + w - 1] - cxy[c - 1]
            p = 2 * sx * sy
            cov = 2 * n * sxy - p
            q = sx * sx + sy * sy
            v = n * (sxx + syy) - q
            # float32 like the numpy path: each sum is formed in float64 and rounded.
            f1 = np.float32(np.float64(p) + c1_32)
            f2 = np.float32(np.float64(cov) + c2k)
            num = np.float32(f1 * f2)
            g1 = np.float32(np.float64(q) + c1_32)
            g2 = np.float32(np.float64(v) + c2k)
            den = np.float32(g1 * g2)
            s = np.float32(num / den)
            if want_map:
                out[r, c] = s
            row += np.float64(s)
        total += row
    return total


@_jit
def _sse(a, b):  # pragma: no cover - compiled
    total = np.int64(0)
    for i in range(a.size):
        d = np.int64(a[i]) - np.int64(b[i])
        total += d * d
    return total


@_jit
def _edge_rows(y):  # pragma: no cover - compiled
    h, w = y.shape
    total = 0.0
    for r in range(1, h - 1):
        row = 0.0
        for c in range(1, w - 1):
            gx = np.float32(np.float32(y[r, c + 1]) - np.float32(y[r, c - 1])) * np.float32(0.5)
            gy = np.float32(np.float32(y[r + 1, c]) - np.float32(y[r - 1, c])) * np.float32(0.5)
            row += np.float64(np.sqrt(np.float32(gx * gx + gy * gy)))
        total += row
    return total


def ssim_sum(x: np.ndarray, y: np.ndarray, win_size: int, c1: float, c2k: float) -> float:
    """Sum of the SSIM map of two 2-D uint8 arrays (constants as in ``SSIMReference``)."""
    out = np.empty((1, 1), np.float32)
    return float(
        _ssim_rows(np.ascontiguousarray(x), np.ascontiguousarray(y), win_size, c1, c2k, out, False)
    )


def ssim_map(x: np.ndarray, y: np.ndarray, win_size: int, c1: float, c2k: float) -> np.ndarray:
    """The float32 SSIM map of two 2-D uint8 arrays at every valid window position."""
    h, w = x.shape
    out = np.empty((h - win_size + 1, w - win_size + 1), np.float32)
    _ssim_rows(np.ascontiguousarray(x), np.ascontiguousarray(y), win_size, c1, c2k, out, True)
    return out


def sse(a: np.ndarray, b: np.ndarray) -> int:
    """Exact sum of squared differences of two uint8 arrays of the same shape."""
    return int(_sse(np.ascontiguousarray(a).reshape(-1), np.ascontiguousarray(b).reshape(-1)))


def edge_sum(luma: np.ndarray) -> float:
    """Sum over interior pixels of the central-difference gradient magnitude (uint8 luma)."""
    return float(_edge_rows(np.ascontiguousarray(luma)))


def warm_up() -> None:
    """Compile (or load from the cache) every kernel now, on tiny inputs."""
    x = np.zeros((8, 8), np.uint8)
    ssim_sum(x, x, 7, 1.0, 1.0)
    edge_sum(x)
    sse(x, x)


__all__ = ["AVAILABLE", "caching", "edge_sum", "sse", "ssim_map", "ssim_sum", "warm_up"]
