"""Compiled (numba) kernels for the metrics that run on every generation of a long run.

The kernels, each exact against the code it replaces:

- :func:`sse` is the exact integer sum of squared differences behind
  :func:`lossylib.metrics.mse` and PSNR (the same number as the histogram method, in a
  third of the time).
- :func:`ssim_sum` sums the SSIM map row by row, with integer window sums (int32, so
  windows up to 11 x 11) and the same float32 arithmetic per position as
  :class:`lossylib.metrics.SSIMReference`'s numpy path, so its mean agrees with it to
  ~1e-12 and with scikit-image's ``structural_similarity`` to ~1e-7. Each step is a
  plain loop over a row that the compiler vectorises: about 1 ms for 512 x 512.
- :func:`luma` is Pillow's ``convert("L")`` on a numpy RGB array, byte for byte;
  :func:`luma_words` and :func:`sse_words` read the four-byte pixels that
  :func:`lossylib.pixels.rgbx_words` borrows from Pillow without copying them.
- :func:`edge_sum` sums the central-difference gradient magnitude of a luma image in
  float32 per pixel, like :func:`lossylib.metrics.edge_energy`, without any temporary
  arrays (which on a 12-megapixel photo would take several hundred megabytes).
- :func:`delta_e_sum` sums the CIEDE2000 colour difference over a grid of pixels:
  scikit-image's ``rgb2lab`` and ``deltaE_ciede2000`` in float64, one pixel at a time
  (~1e-13 per pixel from scikit-image; about as fast as its vectorised numpy, but it
  never waits for Python's lock, where scikit-image's ~100 numpy steps each do).

All of them release Python's lock (``nogil``), which Pillow's JPEG codec holds while it
works: the recompression loop runs them in a worker thread beside the codec. They are
compiled with numpy's error model (a division by zero gives inf, not an exception; none
of these divides by zero), which is what lets the compiler vectorise the SSIM division.

They are compiled on first use (about 3 s; cached on disk with ``cache=True`` so later
processes load them in about 0.4 s). Where the package folder is read-only,
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

import math
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
    """``numba.njit(cache=True, nogil=True)``, or without the disk cache when no folder is
    writable."""
    global _CACHING
    if numba is None:  # pragma: no cover
        return fn
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compiled = numba.njit(cache=True, nogil=True, error_model="numpy")(fn)
        _CACHING = True
        return compiled
    except Exception:  # numba raises RuntimeError("cannot cache ...") at decoration
        return numba.njit(cache=False, nogil=True, error_model="numpy")(fn)


def caching() -> bool:
    """Whether the compiled kernels are cached on disk (False: compiled every run)."""
    return _CACHING


@_jit
def _add_in_eights(values, start, stop, partial):  # pragma: no cover - compiled
    """Add ``values[start:stop]`` (as float64) into eight running sums, in a fixed order:
    the compiler vectorises this, where one running sum would wait on each addition."""
    whole = start + (stop - start) // 8 * 8
    for c0 in range(start, whole, 8):
        for j in range(8):
            partial[j] += np.float64(values[c0 + j])
    for c in range(whole, stop):
        partial[0] += np.float64(values[c])


@_jit
def _ssim_rows(x, y, w, c1, c2k, out, want_map):  # pragma: no cover - compiled
    """Sum of the SSIM map of uint8 images x, y (window w x w); fills ``out`` if asked.

    Row by row: running column sums (x, y, xx, yy, xy) over the last w rows, then the
    window sums of the row, then the map's row, then its sum. Each step is a simple loop
    over the columns that the compiler turns into vector instructions (int32 sums: the
    caller uses this kernel only where int32 cannot overflow).
    """
    h, width = x.shape
    wo = width - w + 1
    n = np.int32(w * w)
    col = np.zeros((5, width), np.int32)  # column sums of x, y, x*x, y*y, x*y
    win = np.empty((5, wo), np.int32)  # the same summed over w columns
    row = np.empty(wo, np.float32)
    partial = np.zeros(8)  # eight running sums (see _add_in_eights)
    total = 0.0
    for r in range(h):
        for c in range(width):
            a = np.int32(x[r, c])
            b = np.int32(y[r, c])
            col[0, c] += a
            col[1, c] += b
            col[2, c] += a * a
            col[3, c] += b * b
            col[4, c] += a * b
        if r < w - 1:
            continue
        for j in range(5):
            for c in range(wo):
                win[j, c] = col[j, c]
            for k in range(1, w):
                for c in range(wo):
                    win[j, c] += col[j, c + k]
        for c in range(wo):
            sx = win[0, c]
            sy = win[1, c]
            p = 2 * sx * sy
            cov = 2 * n * win[4, c] - p
            q = sx * sx + sy * sy
            v = n * (win[2, c] + win[3, c]) - q
            # float32 like the numpy path: each sum is formed in float64 and rounded.
            f1 = np.float32(np.float64(p) + c1)
            f2 = np.float32(np.float64(cov) + c2k)
            g1 = np.float32(np.float64(q) + c1)
            g2 = np.float32(np.float64(v) + c2k)
            row[c] = np.float32(f1 * f2) / np.float32(g1 * g2)
        # Plain loops, not array expressions: those took numba 3 s more to compile.
        if want_map:
            for c in range(wo):
                out[r - w + 1, c] = row[c]
        for j in range(8):
            partial[j] = 0.0
        _add_in_eights(row, 0, wo, partial)
        row_sum = 0.0
        for j in range(8):
            row_sum += partial[j]
        total += row_sum
        top = r - w + 1
        for c in range(width):
            a = np.int32(x[top, c])
            b = np.int32(y[top, c])
            col[0, c] -= a
            col[1, c] -= b
            col[2, c] -= a * a
            col[3, c] -= b * b
            col[4, c] -= a * b
    return total


@_jit
def _sse(a, b):  # pragma: no cover - compiled
    total = np.int64(0)
    for i in range(a.size):
        d = np.int64(a[i]) - np.int64(b[i])
        total += d * d
    return total


@_jit
def _sse_words(a, b):  # pragma: no cover - compiled
    total = np.int64(0)
    for i in range(a.size):
        x = a[i]
        y = b[i]
        d0 = np.int32(x & 255) - np.int32(y & 255)
        d1 = np.int32((x >> 8) & 255) - np.int32((y >> 8) & 255)
        d2 = np.int32((x >> 16) & 255) - np.int32((y >> 16) & 255)
        total += d0 * d0 + d1 * d1 + d2 * d2
    return total


@_jit
def _luma_of(r, g, b):  # pragma: no cover - compiled
    """Pillow's ``convert("L")``: ITU-R 601 weights in 16-bit fixed point, rounded."""
    return (r * np.uint32(19595) + g * np.uint32(38470) + b * np.uint32(7471) + 0x8000) >> 16


@_jit
def _luma_words(words, out):  # pragma: no cover - compiled
    for i in range(out.size):
        v = words[i]
        red = v & np.uint32(255)
        green = (v >> np.uint32(8)) & np.uint32(255)
        blue = (v >> np.uint32(16)) & np.uint32(255)
        out[i] = _luma_of(red, green, blue)


#: sRGB byte -> linear light, exactly as scikit-image's ``rgb2xyz`` computes it in float64.
_LEVELS = np.arange(256) / 255.0
SRGB_LINEAR = np.where(_LEVELS > 0.04045, ((_LEVELS + 0.055) / 1.055) ** 2.4, _LEVELS / 12.92)
_TWO_PI = 2.0 * math.pi
_P25_7 = 25.0**7
_DEG30 = math.radians(30.0)
_COS30, _SIN30 = math.cos(_DEG30), math.sin(_DEG30)
_COS6, _SIN6 = math.cos(math.radians(6.0)), math.sin(math.radians(6.0))
_COS63, _SIN63 = math.cos(math.radians(63.0)), math.sin(math.radians(63.0))


@_jit
def _lab_f(t):  # pragma: no cover - compiled
    return np.cbrt(t) if t > 0.008856 else 7.787 * t + 16.0 / 116.0


@_jit
def _lab_of(r, g, b, linear):  # pragma: no cover - compiled
    """CIELAB (D65, 2-degree observer) of one 8-bit sRGB colour, as scikit-image's
    ``rgb2lab`` of ``rgb / 255`` in float64."""
    lr, lg, lb = linear[r], linear[g], linear[b]
    fx = _lab_f((0.412453 * lr + 0.357580 * lg + 0.180423 * lb) / 0.95047)
    fy = _lab_f(0.212671 * lr + 0.715160 * lg + 0.072169 * lb)
    fz = _lab_f((0.019334 * lr + 0.119193 * lg + 0.950227 * lb) / 1.08883)
    return 116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)


@_jit
def _hue(a, b):  # pragma: no cover - compiled
    h = math.atan2(b, a)
    return h + _TWO_PI if h < 0.0 else h


@_jit
def _ciede2000_of(l1, a1, b1, l2, a2, b2):  # pragma: no cover - compiled
    """CIEDE2000 of two CIELAB colours, step for step as scikit-image's
    ``deltaE_ciede2000`` (kL = kC = kH = 1), except two shortcuts that keep the result within
    ~1e-13 of it: ``sqrt(a*a + b*b)`` for ``hypot`` (the values are small), and the four
    cosines of the hue term from one cosine and sine by the multiple-angle formulas
    (twice as fast)."""
    c7 = (0.5 * (math.sqrt(a1 * a1 + b1 * b1) + math.sqrt(a2 * a2 + b2 * b2))) ** 7
    scale = 1.0 + 0.5 * (1.0 - math.sqrt(c7 / (c7 + _P25_7)))
    s1, s2 = a1 * scale, a2 * scale
    c1, h1 = math.sqrt(s1 * s1 + b1 * b1), _hue(s1, b1)
    c2, h2 = math.sqrt(s2 * s2 + b2 * b2), _hue(s2, b2)
    tmp = (0.5 * (l1 + l2) - 50.0) ** 2
    l_term = (l2 - l1) / (1.0 + 0.015 * tmp / math.sqrt(20.0 + tmp))
    cbar = 0.5 * (c1 + c2)
    c_term = (c2 - c1) / (1.0 + 0.045 * cbar)
    h_diff, h_sum, cc = h2 - h1, h1 + h2, c1 * c2
    dh = h_diff
    if h_diff > math.pi:
        dh -= _TWO_PI
    if h_diff < -math.pi:
        dh += _TWO_PI
    hbar = h_sum
    if cc == 0.0:
        dh = 0.0
        hbar *= 2.0
    elif abs(h_diff) > math.pi:
        hbar += _TWO_PI if h_sum < _TWO_PI else -_TWO_PI
    hbar *= 0.5
    # T = 1 - 0.17 cos(H - 30) + 0.24 cos(2H) + 0.32 cos(3H + 6) - 0.20 cos(4H - 63)
    co, si = math.cos(hbar), math.sin(hbar)
    co2, si2 = 2.0 * co * co - 1.0, 2.0 * si * co
    co3, si3 = co * co2 - si * si2, si * co2 + co * si2
    co4, si4 = 2.0 * co2 * co2 - 1.0, 2.0 * si2 * co2
    t = (
        1.0
        - 0.17 * (co * _COS30 + si * _SIN30)
        + 0.24 * co2
        + 0.32 * (co3 * _COS6 - si3 * _SIN6)
        - 0.20 * (co4 * _COS63 + si4 * _SIN63)
    )
    h_term = 2.0 * math.sqrt(cc) * math.sin(dh / 2.0) / (1.0 + 0.015 * cbar * t)
    c7 = cbar**7
    rc = 2.0 * math.sqrt(c7 / (c7 + _P25_7))
    dtheta = _DEG30 * math.exp(-(((hbar * (180.0 / math.pi) - 275.0) / 25.0) ** 2))
    r_term = -math.sin(2.0 * dtheta) * rc * c_term * h_term
    return math.sqrt(max(l_term * l_term + c_term * c_term + h_term * h_term + r_term, 0.0))


@_jit
def _delta_e_grid(x, y, r0, r_step, c0, c_step, linear):  # pragma: no cover - compiled
    """Sum of CIEDE2000 over every ``r_step``-th row from ``r0`` and ``c_step``-th column
    from ``c0`` of two (h, w, channels) uint8 arrays (channels 0-2: R, G, B)."""
    total = 0.0
    for r in range(r0, x.shape[0], r_step):
        row = 0.0
        for c in range(c0, x.shape[1], c_step):
            l1, a1, b1 = _lab_of(x[r, c, 0], x[r, c, 1], x[r, c, 2], linear)
            l2, a2, b2 = _lab_of(y[r, c, 0], y[r, c, 1], y[r, c, 2], linear)
            row += _ciede2000_of(l1, a1, b1, l2, a2, b2)
        total += row
    return total


@_jit
def _delta_e_grid_words(
    orig, cur, r0, r_step, c0, c_step, linear, seen, values, fresh
):  # pragma: no cover - compiled
    """:func:`_delta_e_grid` of two (h, w) arrays of RGBX words, remembering each grid
    pixel's colour (``seen``) and difference (``values``): a pixel whose colour is the one
    seen last time keeps its value, so only the pixels that changed are computed again.
    The sum is taken in the same order as :func:`_delta_e_grid`, so it is the same number.
    """
    total = 0.0
    i = 0
    for r in range(r0, cur.shape[0], r_step):
        row = 0.0
        j = 0
        for c in range(c0, cur.shape[1], c_step):
            v = cur[r, c] & np.uint32(0xFFFFFF)
            if fresh or v != seen[i, j]:
                o = orig[r, c]
                l1, a1, b1 = _lab_of(
                    o & np.uint32(255),
                    (o >> 8) & np.uint32(255),
                    (o >> 16) & np.uint32(255),
                    linear,
                )
                l2, a2, b2 = _lab_of(
                    v & np.uint32(255), (v >> 8) & np.uint32(255), v >> np.uint32(16), linear
                )
                values[i, j] = _ciede2000_of(l1, a1, b1, l2, a2, b2)
                seen[i, j] = v
            row += values[i, j]
            j += 1
        total += row
        i += 1
    return total


@_jit
def _luma(rgb, out):  # pragma: no cover - compiled
    for i in range(out.size):
        j = 3 * i
        out[i] = _luma_of(np.uint32(rgb[j]), np.uint32(rgb[j + 1]), np.uint32(rgb[j + 2]))


@_jit
def _edge_rows(y):  # pragma: no cover - compiled
    h, w = y.shape
    magnitude = np.empty(w, np.float32)
    partial = np.zeros(8)  # eight running sums (see _add_in_eights)
    for r in range(1, h - 1):
        for c in range(1, w - 1):
            gx = np.float32(np.float32(y[r, c + 1]) - np.float32(y[r, c - 1])) * np.float32(0.5)
            gy = np.float32(np.float32(y[r + 1, c]) - np.float32(y[r - 1, c])) * np.float32(0.5)
            magnitude[c] = np.sqrt(np.float32(gx * gx + gy * gy))
        _add_in_eights(magnitude, 1, w - 1, partial)
    total = 0.0
    for j in range(8):
        total += partial[j]
    return total


def _check_arrays(name: str, dtype, ndim: int, *arrays: object) -> None:
    """The compiled loops index without bounds checks: refuse what they would misread."""
    first = arrays[0]
    for x in arrays:
        if not isinstance(x, np.ndarray) or x.dtype != dtype or x.ndim != ndim:
            got = f"{x.dtype} {x.shape}" if isinstance(x, np.ndarray) else type(x).__name__
            raise ValueError(f"{name} needs {ndim}-D {np.dtype(dtype).name} arrays, got {got}")
        if x.shape != first.shape:
            raise ValueError(f"images differ in shape: {first.shape} vs {x.shape}")


def _check_window(name: str, x: np.ndarray, win_size: object) -> None:
    if isinstance(win_size, bool) or not isinstance(win_size, int) or not 3 <= win_size <= 11:
        raise ValueError(f"win_size must be a whole number from 3 to 11, got {win_size!r}")
    if min(x.shape) < win_size:
        raise ValueError(f"{name}: images must be at least {win_size}x{win_size}, got {x.shape}")


def ssim_sum(x: np.ndarray, y: np.ndarray, win_size: int, c1: float, c2k: float) -> float:
    """Sum of the SSIM map of two 2-D uint8 arrays (constants as in ``SSIMReference``)."""
    _check_arrays("ssim_sum", np.uint8, 2, x, y)
    _check_window("ssim_sum", x, win_size)
    out = np.empty((1, 1), np.float32)
    return float(
        _ssim_rows(np.ascontiguousarray(x), np.ascontiguousarray(y), win_size, c1, c2k, out, False)
    )


def ssim_map(x: np.ndarray, y: np.ndarray, win_size: int, c1: float, c2k: float) -> np.ndarray:
    """The float32 SSIM map of two 2-D uint8 arrays at every valid window position."""
    _check_arrays("ssim_map", np.uint8, 2, x, y)
    _check_window("ssim_map", x, win_size)
    h, w = x.shape
    out = np.empty((h - win_size + 1, w - win_size + 1), np.float32)
    _ssim_rows(np.ascontiguousarray(x), np.ascontiguousarray(y), win_size, c1, c2k, out, True)
    return out


def sse(a: np.ndarray, b: np.ndarray) -> int:
    """Exact sum of squared differences of two uint8 arrays of the same shape."""
    for x in (a, b):
        if not isinstance(x, np.ndarray) or x.dtype != np.uint8:
            got = x.dtype if isinstance(x, np.ndarray) else type(x).__name__
            raise ValueError(f"sse needs uint8 arrays, got {got}")
    if a.shape != b.shape:
        raise ValueError(f"images differ in shape: {a.shape} vs {b.shape}")
    return int(_sse(np.ascontiguousarray(a).reshape(-1), np.ascontiguousarray(b).reshape(-1)))


def luma(rgb: np.ndarray) -> np.ndarray:
    """The 8-bit luma of an (h, w, 3) uint8 RGB array, exactly as Pillow's ``convert("L")``.

    Pillow computes (R 19595 + G 38470 + B 7471 + 32768) >> 16 (ITU-R 601 in 16-bit fixed
    point); so does this, without Python's lock, so it runs beside the codec.
    """
    _check_arrays("luma", np.uint8, 3, rgb)
    if rgb.shape[2] != 3:
        raise ValueError(f"luma needs (h, w, 3) uint8 arrays, got {rgb.shape}")
    h, w, _ = rgb.shape
    out = np.empty((h, w), np.uint8)
    _luma(np.ascontiguousarray(rgb).reshape(-1), out.reshape(-1))
    return out


def sse_words(a: np.ndarray, b: np.ndarray) -> int:
    """Exact sum of squared differences of the R, G and B bytes of two arrays of RGBX
    words (see :func:`lossylib.pixels.rgbx_words`; the padding byte is ignored)."""
    _check_arrays("sse_words", np.uint32, 2, a, b)
    return int(_sse_words(np.ascontiguousarray(a).reshape(-1), np.ascontiguousarray(b).reshape(-1)))


def _read_only(x: np.ndarray) -> np.ndarray:
    """A read-only C-contiguous view (or copy): one compiled variant for every caller."""
    x = np.ascontiguousarray(x)
    if x.flags.writeable:
        x = x.view()
        x.flags.writeable = False
    return x


def delta_e_sum(
    a: np.ndarray, b: np.ndarray, rows: slice = slice(None), cols: slice = slice(None)
) -> float:
    """Sum of the CIEDE2000 colour differences of two (h, w, 3 or 4) uint8 sRGB arrays,
    over the pixels ``a[rows, cols]`` (slices with a positive step; a fourth channel, the
    padding of :func:`lossylib.pixels.rgbx_words` viewed as bytes, is ignored).

    scikit-image's ``rgb2lab`` and ``deltaE_ciede2000`` on ``rgb / 255`` in float64, in
    one pass per pixel with no temporary arrays; agrees with them to ~1e-13 per pixel.
    """
    if not isinstance(a, np.ndarray) or not isinstance(b, np.ndarray):
        raise ValueError(f"delta_e_sum needs numpy arrays, got {type(a).__name__}")
    if a.shape != b.shape:
        raise ValueError(f"images differ in shape: {a.shape} vs {b.shape}")
    if a.dtype != np.uint8 or b.dtype != np.uint8 or a.ndim != 3 or a.shape[2] < 3:
        raise ValueError(f"delta_e_sum needs (h, w, 3 or 4) uint8 arrays, got {a.shape}")
    r0, r_step, c0, c_step = _grid_steps(rows, cols, a.shape)
    return float(_delta_e_grid(_read_only(a), _read_only(b), r0, r_step, c0, c_step, SRGB_LINEAR))


def _grid_steps(rows: slice, cols: slice, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """``(r0, r_step, c0, c_step)`` of the grid ``[rows, cols]`` (slices ``start::step``)."""
    for name, value in (("rows", rows), ("cols", cols)):
        if not isinstance(value, slice) or value.step == 0:
            raise ValueError(f"{name} must be a slice start::step with a positive step")
    r0, _, r_step = rows.indices(shape[0])
    c0, _, c_step = cols.indices(shape[1])
    if r_step < 1 or c_step < 1 or rows.stop is not None or cols.stop is not None:
        raise ValueError("rows and cols must be slices start::step with a positive step")
    return r0, r_step, c0, c_step


class DeltaETracker:
    """The sum of CIEDE2000 differences from one original, over and over, for images that
    change little from one call to the next (the generations of a re-saved JPEG).

    Remembers each grid pixel's last colour and difference and computes again only the
    pixels whose colour changed: from the second generation on, 85-99% of a photo's pixels
    keep theirs (10 generations of a 12-megapixel photo: 3 s instead of 30 s, for 12 bytes
    per grid pixel). The result is exactly
    :func:`delta_e_sum` of the same pixels (same per-pixel values, same order of addition).

    Parameters
    ----------
    original : numpy.ndarray
        The original's (h, w) uint32 RGBX words (:func:`lossylib.pixels.rgbx_words`).
    rows, cols : slice
        The grid, as for :func:`delta_e_sum` (``start::step``).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> a = rng.integers(0, 2**24, (40, 50), dtype=np.uint32)
    >>> b = a ^ np.uint32(1)
    >>> as_bytes = lambda w: w.view(np.uint8).reshape(*w.shape, 4)
    >>> tracker = DeltaETracker(a)
    >>> tracker.sum(b) == delta_e_sum(as_bytes(a), as_bytes(b))
    True
    >>> tracker.mean(b) == tracker.sum(b) / (40 * 50)
    True
    """

    def __init__(
        self, original: np.ndarray, rows: slice = slice(None), cols: slice = slice(None)
    ) -> None:
        if not isinstance(original, np.ndarray):
            raise ValueError(f"DeltaETracker needs (h, w) uint32 words, got {original!r}")
        if original.dtype != np.uint32 or original.ndim != 2:
            raise ValueError(f"DeltaETracker needs (h, w) uint32 words, got {original.shape}")
        if original.size == 0:
            raise ValueError(f"DeltaETracker needs at least one pixel, got {original.shape}")
        self.original = _read_only(original)
        self.r0, self.r_step, self.c0, self.c_step = _grid_steps(rows, cols, original.shape)
        shape = (
            len(range(self.r0, original.shape[0], self.r_step)),
            len(range(self.c0, original.shape[1], self.c_step)),
        )
        self._seen = np.zeros(shape, np.uint32)
        self._values = np.zeros(shape, np.float64)
        self._fresh = True

    def sum(self, words: np.ndarray) -> float:
        """Sum of CIEDE2000 between the original and ``words`` over the grid."""
        if not isinstance(words, np.ndarray):
            raise ValueError(f"words must be (h, w) uint32 words, got {type(words).__name__}")
        if words.shape != self.original.shape or words.dtype != np.uint32:
            raise ValueError(
                f"images differ: the original's words are {self.original.shape} uint32, "
                f"these {words.shape} {words.dtype}"
            )
        total = _delta_e_grid_words(
            self.original,
            _read_only(words),
            self.r0,
            self.r_step,
            self.c0,
            self.c_step,
            SRGB_LINEAR,
            self._seen,
            self._values,
            self._fresh,
        )
        self._fresh = False
        return float(total)

    def mean(self, words: np.ndarray) -> float:
        """Mean CIEDE2000 over the grid (:meth:`sum` over its number of pixels)."""
        return self.sum(words) / self._values.size


def luma_words(words: np.ndarray) -> np.ndarray:
    """The 8-bit luma of an array of RGBX words, exactly as Pillow's ``convert("L")``."""
    _check_arrays("luma_words", np.uint32, 2, words)
    out = np.empty(words.shape, np.uint8)
    _luma_words(np.ascontiguousarray(words).reshape(-1), out.reshape(-1))
    return out


def edge_sum(luma: np.ndarray) -> float:
    """Sum over interior pixels of the central-difference gradient magnitude (uint8 luma)."""
    _check_arrays("edge_sum", np.uint8, 2, luma)
    return float(_edge_rows(np.ascontiguousarray(luma)))


def warm_up() -> None:
    """Compile (or load from the cache) every kernel now, on tiny inputs."""
    x = np.zeros((8, 8), np.uint8)
    ssim_sum(x, x, 7, 1.0, 1.0)
    ssim_map(x, x, 7, 1.0, 1.0)
    luma(np.zeros((2, 2, 3), np.uint8))
    words = np.zeros((2, 2), np.uint32)
    luma_words(words)
    sse_words(words, words)
    edge_sum(x)
    sse(x, x)
    rgb = np.zeros((2, 2, 3), np.uint8)
    delta_e_sum(rgb, rgb)
    DeltaETracker(words).sum(words)


__all__ = [
    "AVAILABLE",
    "DeltaETracker",
    "SRGB_LINEAR",
    "caching",
    "delta_e_sum",
    "edge_sum",
    "luma",
    "luma_words",
    "sse",
    "sse_words",
    "ssim_map",
    "ssim_sum",
    "warm_up",
]
