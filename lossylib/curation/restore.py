"""Restoring images between JPEG generations: does it bring back what was lost?

Each generation saves the image as a JPEG at quality 75, opens it and applies a
*restoration* before the next save. Everything is measured against the **original**, not
against the previous generation: PSNR, fine-detail correlation (:func:`detail_correlation`,
does the image carry the original's fine detail?), and how crisp the image looks
(:func:`lossylib.metrics.high_frequency_energy` and :func:`lossylib.metrics.edge_energy`).

A restoration that raises PSNR does so with knowledge that is not in the file: a prior
about what natural images look like (smooth regions, few isolated spikes), built into the
filter from outside the loop.

Examples
--------
>>> from lossylib.images import test_card
>>> run = restoration_run(test_card(64), "median", generations=2)
>>> len(run["psnr"]), run["restoration"]
(3, 'median')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
from PIL import Image, ImageFilter

from lossylib import codecs
from lossylib import metrics as m
from lossylib.checks import check_generation_list, check_int, check_real
from lossylib.generations import MAX_GENERATIONS


def _check_image(image: object, name: str, minimum: int = 1, arrays: bool = False):
    """A PIL image (with ``arrays``, also a uint8 array), ``minimum`` pixels a side."""
    if isinstance(image, Image.Image):
        w, h = image.size
    elif (
        arrays
        and isinstance(image, np.ndarray)
        and image.dtype == np.uint8
        and image.ndim in (2, 3)
    ):
        h, w = image.shape[:2]
    else:
        kind = "a PIL image or a 2-D/3-D uint8 array" if arrays else "a PIL image"
        got = type(image).__name__
        if isinstance(image, np.ndarray):
            got += f" of {image.dtype}, shape {image.shape}"
        raise TypeError(f"{name} must be {kind}, got {got}")
    if w < minimum or h < minimum:
        least = f"{minimum}x{minimum}"
        raise ValueError(f"{name} must be at least {least} pixels, got {w}x{h}")


def _median(image: Image.Image) -> Image.Image:
    from scipy import ndimage

    return Image.fromarray(ndimage.median_filter(np.asarray(image), size=(3, 3, 1)))


#: The TV denoise's weight and the unsharp mask's strength (percent) in :data:`RESTORATIONS`.
TV_WEIGHT, SHARPEN_PERCENT = 0.008, 80


def _tv(image: Image.Image, weight: float = TV_WEIGHT) -> Image.Image:
    from skimage.restoration import denoise_tv_chambolle

    arr = np.asarray(image, dtype=np.float64) / 255.0
    out = denoise_tv_chambolle(arr, weight=weight, channel_axis=-1)
    return Image.fromarray(np.clip(np.rint(out * 255), 0, 255).astype(np.uint8))


def tv_denoise(weight: float = TV_WEIGHT) -> Callable[[Image.Image], Image.Image]:
    """A TV denoise (scikit-image's Chambolle) of the given ``weight``, as a restoration.

    Examples
    --------
    >>> from lossylib.images import test_card
    >>> tv_denoise(0.002)(test_card(64)).size
    (64, 64)
    """
    weight = check_real(weight, "weight", low=0.0)
    return lambda im: _tv(im, weight)


def sharpen(percent: float = SHARPEN_PERCENT) -> Callable[[Image.Image], Image.Image]:
    """An unsharp mask (radius 1) of the given strength ``percent``, as a restoration.

    Examples
    --------
    >>> from lossylib.images import test_card
    >>> sharpen(40)(test_card(64)).size
    (64, 64)
    """
    percent = check_real(percent, "percent", low=0.0)
    mask = ImageFilter.UnsharpMask(radius=1, percent=round(percent), threshold=0)
    return lambda im: im.filter(mask)


def _resave(image: Image.Image, quality: int = 95) -> Image.Image:
    return codecs.roundtrip(image, "jpeg", quality)[0]


#: Restorations applied after every decode: name -> function of a PIL RGB image.
RESTORATIONS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "none": lambda im: im,
    "sharpen": sharpen(),
    "median": _median,
    "tv denoise": tv_denoise(),
    "re-save at 95": _resave,
}


#: How the book's figures and tables name each of :data:`RESTORATIONS` ("TV" would read
#: as the total-variation distance of the vocabulary experiments).
RESTORATION_LABELS = {
    "none": "plain re-saving",
    "sharpen": "sharpen",
    "median": "median",
    "tv denoise": "total-variation denoise",
    "re-save at 95": "re-save at 95",
}


def restore(image: Image.Image, restoration: str) -> Image.Image:
    """Apply one of :data:`RESTORATIONS` to an RGB image.

    Examples
    --------
    >>> from lossylib.images import test_card
    >>> restore(test_card(64), "sharpen").size
    (64, 64)
    """
    if restoration not in RESTORATIONS:
        raise ValueError(f"restoration must be one of {tuple(RESTORATIONS)}, got {restoration!r}")
    _check_image(image, "image")
    return RESTORATIONS[restoration](image.convert("RGB"))


class _Band(np.ndarray):
    """The fine-detail Fourier coefficients of an image (computed once per original)."""


def _band(image, cutoff: float) -> np.ndarray:
    y = m.luma(image).astype(np.float64)
    f = np.fft.rfft2(y - y.mean())
    fy = np.fft.fftfreq(y.shape[0])[:, None]
    fx = np.fft.rfftfreq(y.shape[1])[None, :]
    return f[np.hypot(fx, fy) / 0.5 > cutoff].view(_Band)


def detail_correlation(original, image, cutoff: float = 0.25) -> float:
    """Correlation between the fine detail (luma above ``cutoff`` x Nyquist) of two images.

    1 when ``image`` carries the original's fine detail, whatever its strength (amplifying
    detail does not change it); near 0 when its fine detail is unrelated (noise, blocks).

    Examples
    --------
    >>> from lossylib.images import test_card
    >>> card = test_card(64)
    >>> round(detail_correlation(card, card), 6)
    1.0
    """
    cutoff = check_real(cutoff, "cutoff", low=0.0, high=1.0)
    if not isinstance(original, _Band):
        _check_image(original, "original", arrays=True)
    _check_image(image, "image", arrays=True)
    a = original if isinstance(original, _Band) else _band(original, cutoff)
    b = _band(image, cutoff)
    if a.shape != b.shape:
        raise ValueError("the two images must have the same size")
    denom = np.sqrt(np.sum(np.abs(a) ** 2) * np.sum(np.abs(b) ** 2))
    return float(np.real(np.vdot(a, b)) / denom) if denom > 0 else 0.0


def restoration_run(
    original: Image.Image,
    restoration: str | Callable[[Image.Image], Image.Image],
    generations: int = 10,
    quality: int = 75,
    keep: tuple[int, ...] = (),
    every: bool = True,
) -> dict:
    """Save at ``quality``, open, restore; ``generations`` times. Measured against the original.

    Returns a dict with the restoration's name, per-generation lists (generation 0 is the
    original) ``psnr``, ``detail`` (:func:`detail_correlation`), ``hf``
    (high-frequency energy share) and ``edges`` (edge energy), and ``frames`` for the
    generations in ``keep`` (each in 0..generations). ``original`` is a PIL image of at
    least 3 x 3 pixels. ``restoration`` is a name in :data:`RESTORATIONS` or a function
    of a PIL RGB image (such as ``sharpen(40)`` or ``tv_denoise(0.002)``). Without
    ``every``, ``detail`` and ``hf`` are measured only after the first and the last
    generation (NaN between) and ``edges`` not at all (an empty list), which is faster.
    """
    generations = check_int(generations, "generations", 1, MAX_GENERATIONS)
    quality = codecs.check_quality(quality)
    keep = check_generation_list(keep, "keep", generations)
    _check_image(original, "original", minimum=3)  # edge energy: a pixel either side
    original = original.convert("RGB")
    if callable(restoration):
        fn, name = restoration, getattr(restoration, "__name__", "custom")
    else:
        restore(original.crop((0, 0, 1, 1)), restoration)  # validate the name early
        fn, name = RESTORATIONS[restoration], restoration
    out: dict = {"restoration": name, "psnr": [float("inf")], "detail": [1.0]}
    out["hf"] = [m.high_frequency_energy(original)]
    out["edges"] = [m.edge_energy(original)] if every else []
    out["frames"] = {0: original} if 0 in keep else {}
    reference = _band(original, 0.25)
    image = original
    for g in range(1, generations + 1):
        image = fn(codecs.roundtrip(image, "jpeg", quality)[0].convert("RGB"))
        out["psnr"].append(m.psnr(original, image))
        measured = every or g in (1, generations)
        nan = float("nan")
        out["detail"].append(detail_correlation(reference, image) if measured else nan)
        out["hf"].append(m.high_frequency_energy(image) if measured else nan)
        if every:
            out["edges"].append(m.edge_energy(image))
        if g in keep:
            out["frames"][g] = image
    return out


def restoration_table(
    images: dict[str, Image.Image],
    generations: int = 10,
    quality: int = 75,
    restorations: Mapping[str, Callable[[Image.Image], Image.Image]] | None = None,
    every: bool = True,
) -> list[dict]:
    """One row per image and restoration: PSNR and detail after 1 and ``generations``
    generations, and crispness (high-frequency share) relative to the original after 1
    and ``generations`` generations (a share that also counts noise and block artifacts
    as crispness). ``restorations`` (name -> function of a PIL RGB image) defaults to
    :data:`RESTORATIONS`. Without ``every`` (faster), ``edges_ratio_end`` is NaN and
    the runs measure only what the rows need (:func:`restoration_run`).

    Examples
    --------
    >>> from lossylib.images import test_card
    >>> rows = restoration_table({"card": test_card(64)}, 2, restorations={"mild": sharpen(10)})
    >>> [r["restoration"] for r in rows]
    ['mild']
    """
    if not isinstance(images, Mapping):
        kind = type(images).__name__
        raise TypeError(f"images must be a dict of name -> image, got {kind}")
    if restorations is not None and not isinstance(restorations, Mapping):
        kind = type(restorations).__name__
        raise TypeError(f"restorations must be a dict of name -> function, got {kind}")
    chosen = RESTORATIONS if restorations is None else restorations
    rows = []
    for name, im in images.items():
        for r, fn in chosen.items():
            if not callable(fn):
                raise TypeError(f"restoration {r!r} must be a function of a PIL image")
            how = r if restorations is None else fn
            run = restoration_run(im, how, generations, quality, every=every)
            rows.append(
                {
                    "sample": name,
                    "restoration": r,
                    "psnr_1": run["psnr"][1],
                    "psnr_end": run["psnr"][-1],
                    "detail_1": run["detail"][1],
                    "detail_end": run["detail"][-1],
                    "hf_ratio_1": run["hf"][1] / run["hf"][0],
                    "hf_ratio_end": run["hf"][-1] / run["hf"][0],
                    "edges_ratio_end": run["edges"][-1] / run["edges"][0]
                    if every
                    else float("nan"),
                }
            )
    return rows
