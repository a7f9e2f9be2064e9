"""Image-quality measures: PSNR, SSIM, colour shift, edge energy, and red chroma.

PSNR and SSIM are fast enough to run every generation of a long run: PSNR reads the
squared error off Pillow's histogram of the absolute difference (no float arrays), and
SSIM uses exact integer box sums. Both are held to scikit-image's reference versions by
the tests.

Examples
--------
>>> import numpy as np
>>> from lossylib import metrics
>>> a = np.zeros((16, 16), np.uint8); b = a.copy(); b[0, 0] = 255
>>> round(metrics.psnr(a, b), 2)
24.08
>>> metrics.ssim(a, a)
1.0
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageChops

from .checks import is_number

_SQUARES = np.arange(256, dtype=np.float64) ** 2


def _as_image(x) -> Image.Image:
    if isinstance(x, Image.Image):
        return x
    arr = np.asarray(x)
    if arr.dtype != np.uint8:
        raise ValueError(f"expected 8-bit images (uint8), got {arr.dtype}")
    if arr.ndim not in (2, 3) or arr.ndim == 3 and arr.shape[2] not in (2, 3, 4):
        raise ValueError(
            f"expected an image array of shape (h, w) or (h, w, 3), got shape {arr.shape}"
        )
    return Image.fromarray(arr)


def _check_data_range(data_range: object) -> float:
    if not is_number(data_range, 0, strict=True):
        raise ValueError(f"data_range must be a positive number, got {data_range!r}")
    return data_range


def _uint8_array(x) -> np.ndarray | None:
    """The pixels of an 8-bit image or array as a uint8 array (None for other modes)."""
    if isinstance(x, Image.Image):
        return np.asarray(x) if x.mode in ("RGB", "L", "RGBA", "P", "LA", "CMYK") else None
    arr = np.asarray(x)
    return arr if arr.dtype == np.uint8 else None


def mse(a, b) -> float:
    """Mean squared error over all pixels and channels of two 8-bit images.

    Exact: the sum of squared differences is an integer (computed by a compiled kernel
    when numba is there, else read off Pillow's histogram of the absolute difference).
    The images must have at least one pixel.
    """
    if kernels_available():
        xa, xb = _uint8_array(a), _uint8_array(b)
        same_mode = not isinstance(a, Image.Image) or not isinstance(b, Image.Image)
        same_mode = same_mode or a.mode == b.mode
        if (
            xa is not None
            and xb is not None
            and xa.shape == xb.shape
            and same_mode
            and xa.size
            and xa.ndim in (2, 3)
        ):
            from . import kernels

            return kernels.sse(xa, xb) / xa.size
    ia, ib = _as_image(a), _as_image(b)
    if ia.size != ib.size or ia.mode != ib.mode:
        raise ValueError(
            f"images differ in size or mode: {ia.size} {ia.mode} vs {ib.size} {ib.mode}"
        )
    if ia.mode.startswith(("I", "F")):
        raise ValueError(f"expected 8-bit images (uint8), got mode {ia.mode}")
    if ia.width * ia.height == 0:
        raise ValueError(f"mse needs images with at least one pixel, got {ia.width}x{ia.height}")
    hist = np.asarray(ImageChops.difference(ia, ib).histogram(), dtype=np.float64)
    hist = hist.reshape(-1, 256).sum(axis=0)
    return float(hist @ _SQUARES / hist.sum())


def psnr(a, b, data_range: float = 255.0) -> float:
    """Peak signal-to-noise ratio in dB over all channels (``inf`` for identical images).

    Equals ``skimage.metrics.peak_signal_noise_ratio(a, b, data_range=255)``.

    Examples
    --------
    >>> import numpy as np
    >>> a, b = np.full((8, 8, 3), 10, np.uint8), np.full((8, 8, 3), 12, np.uint8)
    >>> round(psnr(a, b), 2)
    42.11
    """
    return psnr_of_mse(mse(a, b), data_range)


def psnr_of_mse(err: float, data_range: float = 255.0) -> float:
    """The PSNR in dB of a mean squared error (``inf`` for 0).

    Examples
    --------
    >>> psnr_of_mse(65.025)
    30.0
    """
    _check_data_range(data_range)
    if not is_number(err, 0, strict=False):
        raise ValueError(f"err must be a mean squared error (a number >= 0), got {err!r}")
    if err == 0:
        return float("inf")
    return float(10 * np.log10(data_range**2 / err))


#: Output rows per strip: a strip's buffers stay in the CPU cache, and large arrays are
#: not allocated anew on every call (page faults cost more than the arithmetic here).
_STRIP = 64


def _sliding_sum(x: np.ndarray, w: int, axis: int, out, a, b) -> None:
    """Sums of ``w`` consecutive entries along ``axis`` (valid positions) into ``out``.

    A 7-wide sum is built from sums of 2 and 4 entries: 4 additions per element, not 6.
    ``a`` and ``b`` are scratch buffers at least as large as ``x``.
    """

    def cut(arr, start, length):
        idx = [slice(None)] * arr.ndim
        idx[axis] = slice(start, start + length)
        return arr[tuple(idx)]

    a = a[tuple(slice(0, k) for k in x.shape)]
    b = b[tuple(slice(0, k) for k in x.shape)]
    n = x.shape[axis]
    m = n - w + 1
    if w != 7:
        np.copyto(out, cut(x, 0, m))
        for k in range(1, w):
            np.add(out, cut(x, k, m), out=out)
        return
    s2 = cut(a, 0, n - 1)
    np.add(cut(x, 0, n - 1), cut(x, 1, n - 1), out=s2)  # s2[i] = x[i] + x[i+1]
    s4 = cut(b, 0, n - 3)
    np.add(cut(s2, 0, n - 3), cut(s2, 2, n - 3), out=s4)  # s4[i] = x[i..i+3]
    np.add(cut(s4, 0, m), cut(s2, 4, m), out=out)  # x[i..i+5]
    np.add(out, cut(x, 6, m), out=out)  # x[i..i+6]


def _strips(h: int):
    """(start, stop) of the output rows of each strip."""
    for r0 in range(0, h, _STRIP):
        yield r0, min(h, r0 + _STRIP)


class _Workspace:
    """Scratch buffers for one image width and window size, reused between calls."""

    def __init__(self, width: int, w: int, itype) -> None:
        rows, wo = _STRIP + w - 1, width - w + 1
        self.planes = np.empty((3, rows, width), itype)
        self.a = np.empty((3, rows, width), itype)
        self.b = np.empty((3, rows, width), itype)
        self.rows = np.empty((3, rows, wo), itype)
        self.sums = np.empty((3, _STRIP, wo), itype)
        self.ints = np.empty((4, _STRIP, wo), itype)
        self.floats = np.empty((3, _STRIP, wo), np.float32)
        self.ref = np.empty((3, _STRIP, wo), itype)


_WORKSPACES: dict[tuple, _Workspace] = {}


def _workspace(width: int, w: int, itype) -> _Workspace:
    key = (width, w, np.dtype(itype).name)
    if key not in _WORKSPACES:
        if len(_WORKSPACES) >= 4:
            _WORKSPACES.pop(next(iter(_WORKSPACES)))
        _WORKSPACES[key] = _Workspace(width, w, itype)
    return _WORKSPACES[key]


#: Set to False to use the numpy code paths instead of the compiled kernels (the tests
#: compare the two).
USE_KERNELS = True


def kernels_available() -> bool:
    """Whether the compiled kernels are in use (numba installed and :data:`USE_KERNELS`)."""
    if not USE_KERNELS:
        return False
    from . import kernels

    return kernels.AVAILABLE


def _check_pair(x: np.ndarray, y: np.ndarray, win_size: int) -> None:
    if x.shape != y.shape:
        raise ValueError(f"images differ in shape: {x.shape} vs {y.shape}")
    if x.ndim != 2:
        raise ValueError(f"ssim works on 2-D (grey) arrays, got shape {x.shape}")
    if x.dtype != np.uint8 or y.dtype != np.uint8:
        raise ValueError("ssim expects uint8 arrays")
    if isinstance(win_size, bool) or not isinstance(win_size, int) or win_size < 3:
        raise ValueError(f"win_size must be an odd whole number >= 3, got {win_size!r}")
    if win_size % 2 == 0:
        raise ValueError(f"win_size must be odd, got {win_size}")
    if min(x.shape) < win_size:
        raise ValueError(f"images must be at least {win_size}x{win_size}, got {x.shape}")


class SSIMReference:
    """SSIM against one fixed reference image, for scoring many images against it.

    Same definition as scikit-image's default ``structural_similarity(a, b,
    data_range=255)``: a uniform window (7 x 7), the sample covariance, K1 = 0.01 and
    K2 = 0.03, averaged over the positions where the window fits. It is fast for three
    reasons: the reference's window sums are computed once (the recompression loop
    compares every generation with the same original); window sums and the
    cancellation-prone differences (n Sxx - Sx^2, n Sxy - Sx Sy) are exact in integer
    arithmetic, so the remaining float32 arithmetic loses nothing that matters (agreement
    with scikit-image is ~1e-7); and the image is processed in strips that stay in cache.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> x = rng.integers(0, 256, (40, 50), dtype=np.uint8)
    >>> y = np.clip(x.astype(int) + rng.integers(-20, 21, x.shape), 0, 255).astype(np.uint8)
    >>> ref = SSIMReference(x)
    >>> round(ref.score(x), 6), 0 < ref.score(y) < 1
    (1.0, True)
    """

    def __init__(
        self, reference, win_size: int = 7, data_range: float = 255.0, cache: bool = True
    ) -> None:
        x = np.asarray(reference)
        _check_pair(x, x, win_size)
        _check_data_range(data_range)
        n = win_size * win_size
        # Every integer below stays under 2 n^2 255^2; int32 holds that up to 11 x 11.
        self.itype = np.int32 if 2 * n * n * 255 * 255 < 2**31 else np.int64
        self.x, self.w, self.n, self.k = x, win_size, n, n / (n - 1)
        # The compiled kernel sums in int32, so windows above 11 x 11 take the numpy path.
        self.numpy = not kernels_available() or self.itype is not np.int32
        # The reference as integers saves a conversion per strip when it is scored often
        # (numpy path only; the compiled kernel reads the uint8 images directly).
        self.x_int = x.astype(self.itype) if cache and self.numpy else None
        self.c1 = (0.01 * data_range) ** 2 * n * n
        self.c2 = (0.03 * data_range) ** 2 * n * n
        self.shape = (x.shape[0] - win_size + 1, x.shape[1] - win_size + 1)
        self.cached = None
        if cache and self.numpy:
            sx = np.empty(self.shape, self.itype)  # window sums of x
            qx = np.empty(self.shape, self.itype)  # Sx^2
            vx = np.empty(self.shape, self.itype)  # n Sxx
            ws = _workspace(x.shape[1], win_size, self.itype)
            for r0, r1 in _strips(self.shape[0]):
                sx[r0:r1], qx[r0:r1], vx[r0:r1] = self._reference_strip(ws, r0, r1)
            self.cached = (sx, qx, vx)

    def _reference_strip(self, ws: _Workspace, r0: int, r1: int):
        """Sx, Sx^2 and n Sxx (exact integers) for output rows r0:r1."""
        if self.cached is not None:
            return tuple(arr[r0:r1] for arr in self.cached)
        h = r1 - r0
        sums = self._window_sums(ws, self.x, None, r0, r1)
        sx, qx, vx = ws.ref[:, :h]
        np.copyto(sx, sums[0])
        np.multiply(sx, sx, out=qx)
        np.multiply(sums[1], self.n, out=vx)
        return sx, qx, vx

    def _window_sums(self, ws: _Workspace, a, b, r0: int, r1: int) -> np.ndarray:
        """Window sums for output rows r0:r1 of [a, a*a] (b None) or [b, b*b, a*b]."""
        h_in, h_out = r1 - r0 + self.w - 1, r1 - r0
        count = 2 if b is None else 3
        f = ws.planes[:count, :h_in]
        first = a if b is None else b
        np.copyto(f[0], first[r0 : r0 + h_in], casting="unsafe")
        if b is not None and self.x_int is not None:
            np.multiply(self.x_int[r0 : r0 + h_in], f[0], out=f[2])
        elif b is not None:
            np.copyto(f[2], a[r0 : r0 + h_in], casting="unsafe")
            f[2] *= f[0]
        np.multiply(f[0], f[0], out=f[1])
        rows, sums = ws.rows[:count, :h_in], ws.sums[:count, :h_out]
        _sliding_sum(f, self.w, 2, rows, ws.a, ws.b)
        _sliding_sum(rows, self.w, 1, sums, ws.a, ws.b)
        return sums

    def _map_strip(self, ws: _Workspace, y, r0: int, r1: int) -> np.ndarray:
        """The SSIM map for output rows r0:r1, as a float32 view into the workspace."""
        n, k, h = self.n, self.k, r1 - r0
        sx, qx, nsxx = self._reference_strip(ws, r0, r1)
        sy, syy, sxy = self._window_sums(ws, self.x, y, r0, r1)
        p, cov, q, v = ws.ints[:, :h]
        f1, f2, f3 = ws.floats[:, :h]
        # Exact integers first; each pair below is equal when x == y, so identical images
        # score exactly 1, and swapping x and y gives bit-identical results.
        np.multiply(sx, sy, out=p)
        p *= 2  # 2 Sx Sy
        np.multiply(sxy, 2 * n, out=cov)
        cov -= p  # 2 (n Sxy - Sx Sy)
        np.multiply(sy, sy, out=q)
        q += qx  # Sx^2 + Sy^2
        np.multiply(syy, n, out=v)
        v += nsxx
        v -= q  # n (Sxx + Syy) - Sx^2 - Sy^2
        # SSIM = (2 Sx Sy + c1)(k cov + c2) / ((Sx^2 + Sy^2 + c1)(k var + c2)), with cov and
        # var the integers above; dividing both second factors by k leaves c2 / k.
        c2k = self.c2 / k
        np.add(p, self.c1, out=f1, casting="unsafe")
        np.add(cov, c2k, out=f2, casting="unsafe")
        f1 *= f2  # numerator
        np.add(q, self.c1, out=f2, casting="unsafe")
        np.add(v, c2k, out=f3, casting="unsafe")
        f2 *= f3  # denominator
        f1 /= f2
        return f1

    def score(self, other) -> float:
        """Mean SSIM of ``other`` (2-D uint8, same shape) against the reference."""
        y = np.asarray(other)
        _check_pair(self.x, y, self.w)
        if not self.numpy:
            from . import kernels

            total = kernels.ssim_sum(self.x, y, self.w, self.c1, self.c2 / self.k)
            return total / (self.shape[0] * self.shape[1])
        ws = _workspace(y.shape[1], self.w, self.itype)
        total = 0.0
        for r0, r1 in _strips(self.shape[0]):
            total += float(self._map_strip(ws, y, r0, r1).sum(dtype=np.float64))
        return total / (self.shape[0] * self.shape[1])

    def score_map(self, other) -> np.ndarray:
        """The local SSIM of ``other`` at every valid window position (float64 array)."""
        y = np.asarray(other)
        _check_pair(self.x, y, self.w)
        if not self.numpy:
            from . import kernels

            return kernels.ssim_map(self.x, y, self.w, self.c1, self.c2 / self.k).astype(np.float64)
        ws = _workspace(y.shape[1], self.w, self.itype)
        out = np.empty(self.shape)
        for r0, r1 in _strips(out.shape[0]):
            out[r0:r1] = self._map_strip(ws, y, r0, r1)
        return out


def ssim_map(a, b, win_size: int = 7, data_range: float = 255.0) -> np.ndarray:
    """The local SSIM of two 2-D uint8 images at every position where the window fits.

    Its mean is :func:`ssim`; scikit-image's ``full=True`` map equals this in the
    interior (it also pads the borders, which its mean leaves out).
    """
    return SSIMReference(a, win_size, data_range, cache=False).score_map(b)


def ssim(a, b, win_size: int = 7, data_range: float = 255.0) -> float:
    """Mean structural similarity of two 2-D uint8 images (1.0 when identical).

    Matches ``skimage.metrics.structural_similarity(a, b, data_range=255)`` to ~1e-7
    and is several times faster (see :class:`SSIMReference` for how, and ``bench/``).
    For colour images, pass the luma (:func:`luma`) of each.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.integers(0, 256, (32, 32), dtype=np.uint8)
    >>> -1 < ssim(x, 255 - x) < 0 < round(ssim(x, x), 6) == 1.0  # negative: anti-correlated
    True
    """
    return SSIMReference(a, win_size, data_range, cache=False).score(b)


def luma(image) -> np.ndarray:
    """The 8-bit luma (ITU-R 601, Pillow's ``convert("L")``) of an RGB image or array.

    An (h, w, 3) uint8 array is converted by a compiled kernel with Pillow's exact
    fixed-point formula (the same bytes, without Python's lock); a 2-D uint8 array is
    taken as a luma already; anything else is converted by Pillow.

    Examples
    --------
    >>> import numpy as np
    >>> luma(np.array([[[255, 0, 0], [255, 255, 255]]], np.uint8)).tolist()
    [[76, 255]]
    """
    if isinstance(image, np.ndarray) and image.dtype == np.uint8 and image.ndim == 2:
        return image  # a luma already
    if (
        isinstance(image, np.ndarray)
        and image.dtype == np.uint8
        and image.ndim == 3
        and image.shape[2] == 3
        and kernels_available()
    ):
        from . import kernels

        return kernels.luma(image)
    im = _as_image(image)
    return np.asarray(im.convert("L") if im.mode != "L" else im)


#: Above this many pixels, :func:`delta_e` works in strips of rows (memory stays small;
#: the per-pixel numbers are the same, summed in float64).
LARGE = 1 << 22

#: Pixels :func:`delta_e_sampled` measures at most (a regular grid of rows and columns).
SAMPLE_PIXELS = 1 << 16


def _rgb_pair(a, b, name: str) -> tuple[np.ndarray, np.ndarray]:
    xa, xb = np.asarray(a), np.asarray(b)
    if xa.shape != xb.shape:
        raise ValueError(f"{name}: images differ in shape: {xa.shape} vs {xb.shape}")
    if xa.ndim != 3 or xa.shape[2] != 3:
        raise ValueError(f"{name} needs RGB images (height x width x 3), got shape {xa.shape}")
    if xa.size == 0:
        raise ValueError(f"{name} needs images with at least one pixel, got shape {xa.shape}")
    for x in (xa, xb):
        _check_levels(x, name)
    return xa, xb


def _check_levels(x: np.ndarray, name: str) -> None:
    """Pixel values other than uint8 must be numbers from 0 to 255 (no NaN)."""
    if x.dtype in (np.uint8, np.bool_):
        return
    if not np.issubdtype(x.dtype, np.integer) and not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"{name} needs numeric pixel values, got dtype {x.dtype}")
    lo, hi = float(np.min(x)), float(np.max(x))
    if math.isnan(lo) or math.isnan(hi):
        raise ValueError(f"{name} needs pixel values from 0 to 255, got NaN")
    if lo < 0 or hi > 255:
        raise ValueError(f"{name} needs pixel values from 0 to 255, got {lo:g} to {hi:g}")


def _ciede2000(xa: np.ndarray, xb: np.ndarray) -> np.ndarray:
    from skimage.color import deltaE_ciede2000, rgb2lab

    la = rgb2lab(np.asarray(xa, dtype=np.float64) / 255.0)
    lb = rgb2lab(np.asarray(xb, dtype=np.float64) / 255.0)
    return deltaE_ciede2000(la, lb)


def _compiled_delta_e(xa: np.ndarray, xb: np.ndarray) -> bool:
    return xa.dtype == np.uint8 and xb.dtype == np.uint8 and kernels_available()


def delta_e(a, b) -> float:
    """Mean CIEDE2000 colour difference between two RGB images.

    Around 1 is the smallest difference a viewer notices side by side; above 5 the
    colours look different at a glance. scikit-image's ``rgb2lab`` and
    ``deltaE_ciede2000`` on ``rgb / 255`` in float64; for uint8 images a compiled kernel
    computes the same per pixel (agreeing to ~1e-13) without temporary arrays and without
    holding Python's lock (:func:`lossylib.kernels.delta_e_sum`), about 0.25 s per
    megapixel. Otherwise images above :data:`LARGE` pixels are measured in strips so
    memory stays small. :func:`delta_e_sampled` is the cheap estimate for large photos.

    Examples
    --------
    >>> import numpy as np
    >>> grey = np.full((4, 4, 3), 128, np.uint8)
    >>> delta_e(grey, grey)
    0.0
    """
    xa, xb = _rgb_pair(a, b, "delta_e")
    if _compiled_delta_e(xa, xb):
        from . import kernels

        return kernels.delta_e_sum(xa, xb) / (xa.shape[0] * xa.shape[1])
    if xa.shape[0] * xa.shape[1] <= LARGE:
        return float(np.mean(_ciede2000(xa, xb)))
    rows = max(1, (1 << 18) // xa.shape[1])
    total = 0.0
    for r0 in range(0, xa.shape[0], rows):
        total += float(_ciede2000(xa[r0 : r0 + rows], xb[r0 : r0 + rows]).sum(dtype=np.float64))
    return total / (xa.shape[0] * xa.shape[1])


def sample_grid(shape: tuple[int, ...], pixels: int = SAMPLE_PIXELS) -> tuple[slice, slice]:
    """Row and column slices of a regular grid with at most ``pixels`` points.

    Every ``k``-th row and column from ``k // 2``, with the smallest ``k`` that keeps the
    count under ``pixels`` (``k = 1``: every pixel).

    Examples
    --------
    >>> sample_grid((3000, 4000))
    (slice(7, None, 14), slice(7, None, 14))
    >>> sample_grid((200, 300))
    (slice(0, None, 1), slice(0, None, 1))
    """
    sizes = tuple(shape[:2]) if isinstance(shape, tuple | list) else ()
    if len(sizes) != 2 or not all(
        isinstance(v, int | np.integer) and not isinstance(v, bool) and v >= 0 for v in sizes
    ):
        raise ValueError(f"shape must be an array's shape (height, width, ...), got {shape!r}")
    if isinstance(pixels, bool) or not isinstance(pixels, int | np.integer) or pixels < 1:
        raise ValueError(f"pixels must be a whole number >= 1, got {pixels!r}")
    h, w = int(sizes[0]), int(sizes[1])

    def count(k: int) -> int:
        return -(-h // k) * -(-w // k)

    # The count never grows with k, and k = max(h, w) leaves one pixel: bisect for the
    # smallest k that keeps the count under ``pixels``.
    k, top = 1, max(h, w, 1)
    while k < top:
        mid = (k + top) // 2
        if count(mid) > pixels:
            k = mid + 1
        else:
            top = mid
    return slice(k // 2, None, k), slice(k // 2, None, k)


def grid_size(shape: tuple[int, ...], rows: slice, cols: slice) -> int:
    """How many pixels ``[rows, cols]`` picks from an array of ``shape``.

    Examples
    --------
    >>> grid_size((3000, 4000), *sample_grid((3000, 4000)))
    61204
    """
    for name, value in (("rows", rows), ("cols", cols)):
        if not isinstance(value, slice):
            raise ValueError(f"{name} must be a slice, got {value!r}")
    return len(range(*rows.indices(shape[0]))) * len(range(*cols.indices(shape[1])))


def delta_e_sampled(a, b, pixels: int = SAMPLE_PIXELS) -> float:
    """:func:`delta_e` over a regular grid of at most ``pixels`` pixels: an estimate.

    The same as :func:`delta_e` for images up to ``pixels`` pixels; on a 12-megapixel
    photo it reads one pixel in ~14 x 14 (every 14th row and column), about 200 times
    faster. The command line uses it on large images and names the column
    ``delta_e_sampled``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> a = rng.integers(0, 256, (40, 40, 3), dtype=np.uint8)
    >>> b = a // 2 + 60
    >>> delta_e_sampled(a, b) == delta_e(a, b)  # small: every pixel
    True
    """
    xa, xb = _rgb_pair(a, b, "delta_e_sampled")
    rows, cols = sample_grid(xa.shape, pixels)  # (which checks pixels)
    if rows.step == 1:
        return delta_e(xa, xb)
    if _compiled_delta_e(xa, xb):
        from . import kernels

        return kernels.delta_e_sum(xa, xb, rows, cols) / grid_size(xa.shape, rows, cols)
    return float(np.mean(_ciede2000(xa[rows, cols], xb[rows, cols])))


def _edge_luma(image) -> np.ndarray:
    y = luma(image)
    if y.shape[0] < 3 or y.shape[1] < 3:
        raise ValueError(
            f"edge_energy needs an image of at least 3x3 pixels (it uses the pixels on "
            f"either side), got {y.shape[1]}x{y.shape[0]}"
        )
    return y


def edge_energy(image, mask: np.ndarray | None = None) -> float:
    """Mean gradient magnitude of the luma (central differences), in grey levels per pixel.

    Sharp edges and fine texture give high values; blur and smearing lower it. With a
    boolean ``mask`` of the image's shape, the mean is taken over the masked pixels only
    (those on the border, where central differences do not exist, are left out), e.g. to
    measure the contrast across edges whose positions are known. The image must be at
    least 3 x 3 pixels. Without a mask, a compiled kernel sums it (no temporary arrays,
    the same float32 arithmetic per pixel, 12x faster); the numpy code takes the masks.
    ``image`` may be an RGB image or array, or a 2-D uint8 luma array.

    Examples
    --------
    >>> import numpy as np
    >>> flat = np.full((8, 8, 3), 100, np.uint8)
    >>> edge_energy(flat)
    0.0
    """
    y8 = _edge_luma(image)
    if mask is None and kernels_available():
        from . import kernels

        return kernels.edge_sum(y8) / ((y8.shape[0] - 2) * (y8.shape[1] - 2))
    y = y8.astype(np.float32)
    gx = (y[1:-1, 2:] - y[1:-1, :-2]) * 0.5
    gy = (y[2:, 1:-1] - y[:-2, 1:-1]) * 0.5
    magnitude = np.sqrt(gx * gx + gy * gy)
    if mask is None:
        return float(np.mean(magnitude, dtype=np.float64))
    inner = np.asarray(mask, bool)
    if inner.shape != y.shape:
        raise ValueError(f"mask shape {inner.shape} does not match the image {y.shape}")
    inner = inner[1:-1, 1:-1]
    if not inner.any():
        raise ValueError("the mask selects no interior pixel")
    return float(magnitude[inner].mean(dtype=np.float64))


def step_levels(profile, levels: str = "halves") -> tuple[float, float]:
    """The two levels a step joins, from a profile across it (dark side first): the
    medians of the profile's two halves (``levels="halves"``), so that a ripple or one
    noisy pixel on either side does not move them, or the means of its first two and last
    two values (``levels="ends"``).

    Examples
    --------
    >>> step_levels([0, 10, 0, 200, 255, 250])
    (0.0, 250.0)
    """
    p = np.asarray(profile, dtype=float)
    if p.ndim != 1 or p.size < 4:
        raise ValueError(f"a profile across an edge needs 4+ values in a row, got shape {p.shape}")
    if levels == "halves":
        return float(np.median(p[: p.size // 2])), float(np.median(p[(p.size + 1) // 2 :]))
    if levels == "ends":
        return float(p[:2].mean()), float(p[-2:].mean())
    raise ValueError(f'levels must be "halves" or "ends", got {levels!r}')


def rise_width(profile, low: float = 0.1, high: float = 0.9, levels: str = "halves") -> float:
    """How many pixels a step takes to rise: the 10-90 % rise distance of a profile across an
    edge, from its low side to its high side.

    The two levels the step joins come from :func:`step_levels`. The rise starts where the
    profile climbs past ``low`` of the way between them, at the crossing nearest the middle,
    and ends where it first climbs past ``high`` after that; both points are placed by
    linear interpolation between pixels. A sharp step between two pixels gives 0.8 px, a
    linear ramp over k pixels 0.8 k, a Gaussian blur of standard deviation s >= 1 px about
    2.6 s on a profile long enough to hold it (a short profile saturates: one of 12 px
    gives 2.6 px for s = 1 and under 4 px for s = 2). A fainter step, or noise that
    averages out, leaves it alone.

    Examples
    --------
    >>> rise_width([0, 0, 0, 0, 255, 255, 255, 255])
    0.8
    >>> round(rise_width([0, 0, 0, 64, 128, 191, 255, 255, 255]), 2)  # a 4 px ramp
    3.2
    """
    p = np.asarray(profile, dtype=float)
    if p.ndim != 1 or p.size < 4:
        raise ValueError(f"a profile across an edge needs 4+ values in a row, got shape {p.shape}")
    if not np.isfinite(p).all():
        raise ValueError("the profile across an edge has NaN or infinite values")
    if not (is_number(low, 0, True) and is_number(high, 0, True) and low < high < 1):
        raise ValueError(f"need 0 < low < high < 1, got low={low!r}, high={high!r}")
    start, end = step_levels(p, levels)
    if not end - start > 1e-6 * np.ptp(p):  # (a rise lost in rounding is no rise)
        raise ValueError(
            f"the profile does not rise: it joins levels {start:.4g} and {end:.4g} "
            f"(give it from the dark side to the light side)"
        )
    n = (p - start) / (end - start)

    def crossings(level: float) -> list[float]:
        """Where the profile climbs past ``level``, in pixels (interpolated)."""
        i = np.nonzero((n[:-1] < level) & (n[1:] >= level))[0]
        return list(i + (level - n[i]) / (n[i + 1] - n[i]))

    middle = (p.size - 1) / 2
    ups = crossings(high)
    # Some value in the first half is at or below level 0 and a later one at or above
    # level 1, so some crossing of ``low`` has a crossing of ``high`` after it.
    for begin in sorted(crossings(low), key=lambda x: abs(x - middle)):
        after = [x for x in ups if x > begin]
        if after:
            return round(float(min(after) - begin), 12)
    raise AssertionError("unreachable: a rising profile crosses both levels")


def high_frequency_energy(image, cutoff: float = 0.25) -> float:
    """Share of the luma's spectral energy (mean removed) above ``cutoff`` x Nyquist.

    A blur lowers it; blocking, ringing and noise raise it. Between 0 and 1.

    Examples
    --------
    >>> import numpy as np
    >>> stripes = np.tile(np.array([0, 255], np.uint8), (8, 4))  # the highest frequency
    >>> high_frequency_energy(stripes)
    1.0
    """
    if not is_number(cutoff, 0, strict=False):
        raise ValueError(f"cutoff must be a finite number >= 0, got {cutoff!r}")
    y = luma(image).astype(np.float64)
    if y.size == 0:
        raise ValueError(
            f"high_frequency_energy needs an image with at least one pixel, "
            f"got {y.shape[1]}x{y.shape[0]}"
        )
    y -= y.mean()
    power = np.abs(np.fft.fft2(y)) ** 2
    fy = np.fft.fftfreq(y.shape[0])[:, None]
    fx = np.fft.fftfreq(y.shape[1])[None, :]
    radius = np.hypot(fx, fy) / 0.5
    total = power.sum()
    if total <= 0:
        return 0.0
    return float(min(1.0, power[radius > cutoff].sum() / total))


def red_chroma(image, mask: np.ndarray) -> dict[str, float]:
    """Mean CIELAB lightness, chroma and hue angle of the pixels under ``mask``.

    Used for the "reds fade to orange" claim: orange would show as a hue angle rising
    from red (~40 degrees) toward ~60-70 degrees; desaturation as falling chroma.
    ``image`` is RGB; ``mask`` a boolean array of its height x width that selects at
    least one pixel.
    """
    from skimage.color import rgb2lab

    pixels = np.asarray(image, dtype=np.float32)
    if pixels.ndim != 3 or pixels.shape[2] != 3:
        raise ValueError(
            f"red_chroma needs an RGB image (height x width x 3), got shape {pixels.shape}"
        )
    inside = np.asarray(mask)
    if inside.dtype != np.bool_ or inside.shape != pixels.shape[:2]:
        raise ValueError(
            f"mask must be a boolean array of the image's shape {pixels.shape[:2]}, "
            f"got {inside.dtype} {inside.shape}"
        )
    if not inside.any():
        raise ValueError("the mask selects no pixel")
    chosen = pixels[inside]
    if not np.isfinite(chosen).all():
        raise ValueError("red_chroma needs finite pixel values, got NaN or infinity")
    lab = rgb2lab(chosen / 255.0)
    L, a, b = lab[:, 0], lab[:, 1], lab[:, 2]
    return {
        "lightness": float(L.mean()),
        "chroma": float(np.hypot(a, b).mean()),
        "hue": float(np.degrees(np.arctan2(b.mean(), a.mean()))),
    }
