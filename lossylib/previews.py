"""Small previews of large photos, for the command line's strip and animation.

A 12-megapixel generation is 36 MB in memory; a strip of five of them at full size is a
file nobody can open comfortably. A :class:`Preview` keeps two small pieces of each
generation a person wants to look at: the whole picture scaled to fit ``side`` pixels,
and a crop of the original pixels at 1:1 (the most detailed square of the original, or
one the caller picks), where compression artifacts show. Memory per kept generation is
then a few hundred kilobytes, whatever the photo's size.

Examples
--------
>>> from lossylib import load_sample, recompress
>>> from lossylib.previews import Preview
>>> image = load_sample("astronaut")
>>> preview = Preview(image, [3], side=128, crop=64)
>>> run = recompress(image, 3, metrics=["psnr"], keep=(), observe=preview.observe)
>>> sorted(preview.kept), preview.kept[3][0].size, preview.kept[3][1].size
([0, 3], (128, 128), (64, 64))
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .checks import check_whole
from .images import check_image

#: Longest side of the scaled whole picture in the strip and the animation.
SIDE = 480
#: Side of the 1:1 crop.
CROP = 160


class Preview:
    """Scaled whole pictures and 1:1 crops of chosen generations of one run.

    Parameters
    ----------
    original : PIL.Image.Image
        Generation 0 (RGB); its preview is taken at once.
    generations : iterable of int, optional
        The generations to keep (whole numbers >= 0); None keeps every one passed to
        :meth:`observe`.
    side, crop : int
        Longest side of the scaled picture; side of the square crop (at most the image).
    box : (left, top, right, bottom), optional
        The crop, inside the image; by default the most detailed ``crop`` x ``crop``
        square of the original.
    """

    def __init__(
        self,
        original: Image.Image,
        generations: Iterable[int] | None = None,
        side: int = SIDE,
        crop: int = CROP,
        box: tuple[int, int, int, int] | None = None,
    ) -> None:
        for name, value in (("side", side), ("crop", crop)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 8:
                raise ValueError(f"{name} must be a whole number >= 8, got {value!r}")
        check_image(original, "original")
        if box is not None:
            box = _check_box(box, original.size)
        self.size = original.size
        self.side = side
        if max(original.size) <= side:  # shown whole at 1:1: the crop is a zoomed detail
            crop = min(crop, max(8, min(original.size) // 4))
        self.box = box or detailed_box(original, crop)
        self.wanted = None if generations is None else _check_generations(generations)
        self.kept: dict[int, tuple[Image.Image, Image.Image]] = {}
        self.kept[0] = self._take(original)

    def _take(self, image: Image.Image) -> tuple[Image.Image, Image.Image]:
        small = image.copy() if max(image.size) <= self.side else _scaled(image, self.side)
        return small, image.crop(self.box)

    def observe(self, generation: int, image: Image.Image, data: bytes = b"") -> None:
        """Keep the preview of ``generation`` if it is wanted (``recompress(observe=...)``)."""
        _check_generations([generation])
        check_image(image)
        if self.wanted is None or generation in self.wanted:
            self.kept[generation] = self._take(image)

    @property
    def scale(self) -> float:
        """Width of the scaled picture over the original's."""
        return self.kept[0][0].width / self.size[0]


def _check_generations(generations: object) -> set[int]:
    if isinstance(generations, str | bytes) or not isinstance(generations, Iterable):
        raise ValueError(f"generations must be a list of whole numbers, got {generations!r}")
    out = set()
    for g in generations:
        if isinstance(g, bool) or not isinstance(g, int | np.integer) or g < 0:
            raise ValueError(f"generations must be whole numbers >= 0, got {g!r}")
        out.add(int(g))
    return out


def _check_box(box: object, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """A crop box (left, top, right, bottom) of whole pixels inside an image of ``size``."""
    w, h = size
    values = tuple(box) if isinstance(box, list | tuple) else ()
    whole = all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in values)
    if len(values) != 4 or not whole:
        raise ValueError(f"box must be four whole numbers (left, top, right, bottom), got {box!r}")
    left, top, right, bottom = (int(v) for v in values)
    if not (0 <= left < right <= w and 0 <= top < bottom <= h):
        raise ValueError(
            f"box must be a non-empty (left, top, right, bottom) inside the {w}x{h} image, "
            f"got {box!r}"
        )
    return left, top, right, bottom


def _scaled(image: Image.Image, side: int) -> Image.Image:
    w, h = image.size
    f = side / max(w, h)
    size = (max(1, round(w * f)), max(1, round(h * f)))
    # Pillow reduces by a whole factor first (a box filter) while the rest of the way is
    # at least 1.5 times: twice as fast as Lanczos all the way, within a grey level of it.
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=1.5)


def detailed_box(image: Image.Image, crop: int = CROP) -> tuple[int, int, int, int]:
    """The ``crop`` x ``crop`` square with the most detail (luma gradient) in ``image``.

    Found on a copy scaled to at most 256 pixels, so it is cheap on large photos; the
    whole image when it is smaller than ``crop``.

    Examples
    --------
    >>> from PIL import Image
    >>> im = Image.new("RGB", (400, 300), "grey")
    >>> im.paste((255, 255, 255), (300, 200, 320, 220))
    >>> left, top, right, bottom = detailed_box(im, 100)
    >>> right - left, left <= 300 and 320 <= right, top <= 200 and 220 <= bottom
    (100, True, True)
    """
    check_image(image)
    check_whole(crop, "crop", 1)
    w, h = image.size
    c = min(crop, w, h)
    f = min(1.0, 256 / max(w, h))
    small = image.convert("L")
    if f < 1:
        small = _scaled(small, 256)
    y = np.asarray(small, dtype=np.float32)
    grad = np.zeros_like(y)
    grad[:, 1:] += np.abs(np.diff(y, axis=1))
    grad[1:, :] += np.abs(np.diff(y, axis=0))
    k = max(1, round(c * y.shape[1] / w))
    if k >= min(y.shape):
        return ((w - c) // 2, (h - c) // 2, (w - c) // 2 + c, (h - c) // 2 + c)
    integral = np.pad(grad.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    sums = integral[k:, k:] - integral[:-k, k:] - integral[k:, :-k] + integral[:-k, :-k]
    r, col = np.unravel_index(int(np.argmax(sums)), sums.shape)
    cx = (col + k / 2) * w / y.shape[1]
    cy = (r + k / 2) * h / y.shape[0]
    left = int(min(max(0, round(cx - c / 2)), w - c))
    top = int(min(max(0, round(cy - c / 2)), h - c))
    return (left, top, left + c, top + c)


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # pragma: no cover - Pillow without FreeType
        return ImageFont.load_default()


def _zoom(crop: Image.Image) -> tuple[Image.Image, int]:
    """The crop at 1:1, or enlarged by a whole factor (nearest) when it is tiny."""
    factor = max(1, CROP // max(1, max(crop.size)))
    if factor == 1:
        return crop, 1
    return crop.resize(
        (crop.width * factor, crop.height * factor), Image.Resampling.NEAREST
    ), factor


def _panel(
    small: Image.Image, crop: Image.Image, label: str, box, scale: float, font
) -> Image.Image:
    """One column: label, scaled picture with the crop outlined, the crop below."""
    zoomed, factor = _zoom(crop)
    pad, text_h = 6, font.size + 8 if hasattr(font, "size") else 18
    width = max(small.width, zoomed.width) + 2 * pad
    height = text_h + small.height + pad + zoomed.height + text_h + pad
    panel = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(panel)
    draw.text((pad, 4), label, fill=(0, 0, 0), font=font)
    panel.paste(small, (pad, text_h))
    if scale < 1 or factor > 1:
        x0, y0, x1, y1 = (round(v * scale) for v in box)
        draw.rectangle(
            [pad + x0, text_h + y0, pad + max(x0 + 1, x1), text_h + max(y0 + 1, y1)],
            outline=(255, 0, 255),
            width=2,
        )
    top = text_h + small.height + pad
    panel.paste(zoomed, (pad, top))
    note = "crop at 1:1" if factor == 1 else f"crop at {factor}x"
    draw.text((pad, top + zoomed.height + 2), note, fill=(80, 80, 80), font=font)
    return panel


def strip(preview: Preview, generations: Sequence[int], labels: Mapping[int, str]) -> Image.Image:
    """The kept generations side by side, each with its 1:1 crop under it (a PIL image).

    Examples
    --------
    >>> from lossylib import load_sample
    >>> p = Preview(load_sample("testcard"), side=128, crop=64)
    >>> strip(p, [0], {0: "original"}).size[0] > 128
    True
    """
    if not isinstance(preview, Preview):
        raise ValueError(f"preview must be a Preview, got {type(preview).__name__}")
    if not _check_generations(generations):
        raise ValueError("strip needs at least one generation")
    if not isinstance(labels, Mapping):
        raise ValueError(f"labels must map generations to text, got {labels!r}")
    for g, label in labels.items():
        if not isinstance(label, str):
            raise ValueError(f"labels must map generations to text, got {label!r} for {g!r}")
    missing = [g for g in generations if g not in preview.kept]
    if missing:
        raise ValueError(f"generation {missing[0]} was not kept in the preview")
    font = _font(14)
    panels = [
        _panel(*preview.kept[g], labels.get(g, f"gen {g}"), preview.box, preview.scale, font)
        for g in generations
    ]
    width = sum(p.width for p in panels)
    out = Image.new("RGB", (width, max(p.height for p in panels)), (255, 255, 255))
    x = 0
    for p in panels:
        out.paste(p, (x, 0))
        x += p.width
    return out


def save_animation(
    preview: Preview, path: str | os.PathLike, side: int = 400, ms_per_frame: int = 150
) -> None:
    """An animated GIF of the kept generations: scaled picture and 1:1 crop side by side.

    A frame is at most ``side`` pixels tall, so 31 frames of a 12-megapixel photo make a
    GIF of a few hundred kilobytes (see :func:`write_gif`); the last frame is held longer.
    ``side`` is a whole number >= 8; ``ms_per_frame`` a whole number >= 1.
    """
    if not isinstance(preview, Preview):
        raise ValueError(f"preview must be a Preview, got {type(preview).__name__}")
    check_whole(side, "side", 8)
    check_whole(ms_per_frame, "ms_per_frame", 1)
    if not preview.kept:
        raise ValueError("no generation was kept in the preview")
    font = _font(12)
    frames = []
    for g in sorted(preview.kept):
        small, crop = preview.kept[g]
        if max(small.size) > side:
            small = _scaled(small, side)
        zoomed, _ = _zoom(crop)
        h = max(small.height, zoomed.height) + 18
        frame = Image.new("RGB", (small.width + zoomed.width + 6, h), (255, 255, 255))
        frame.paste(small, (0, 18))
        frame.paste(zoomed, (small.width + 6, 18))
        ImageDraw.Draw(frame).text((4, 2), f"generation {g}", fill=(0, 0, 0), font=font)
        frames.append(frame)
    write_gif(frames, path, ms_per_frame)


def write_gif(frames: list[Image.Image], path: str | os.PathLike, ms_per_frame: int = 150) -> None:
    """An animated GIF of RGB frames, looping, with the last frame held for 1.5 s.

    Every frame uses one palette (Pillow's fast octree of the first and last frames, no
    dithering): the colours do not flicker from frame to frame, so what changes is what
    the generations changed, and unchanged areas cost nothing in the file. (A palette
    per frame took 0.13 s a frame and made a GIF eight times the size, for the same
    error against the true frames; median cut took 0.3 s for two 566 x 318 frames where
    the octree takes 5 ms, and its colours were further from the frames': 7.0 against
    4.8 grey levels rms on a photo.)

    ``frames`` is a non-empty list of RGB images; ``ms_per_frame`` a whole number >= 1.
    """
    if isinstance(frames, str | bytes) or not isinstance(frames, Sequence) or not frames:
        raise ValueError(f"frames must be a non-empty list of RGB images, got {frames!r}")
    for frame in frames:
        check_image(frame, "each frame")
        if frame.mode not in ("RGB", "L"):
            raise ValueError(f"frames must be RGB images, got one in mode {frame.mode}")
    check_whole(ms_per_frame, "ms_per_frame", 1)
    if not isinstance(path, str | os.PathLike) and not hasattr(path, "write"):
        raise ValueError(f"path must be a file path, got {path!r}")
    frames = _one_palette(frames)
    durations = [ms_per_frame] * (len(frames) - 1) + [1500]
    frames[0].save(
        path,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=durations,
        loop=0,
        optimize=True,
    )


def _one_palette(frames: list[Image.Image]) -> list[Image.Image]:
    """The frames in palette mode, all with the 256 colours of the first and last together."""
    first, last = frames[0], frames[-1]
    both = Image.new("RGB", (max(first.width, last.width), first.height + last.height))
    both.paste(first, (0, 0))
    both.paste(last, (0, first.height))
    palette = both.quantize(256, method=Image.Quantize.FASTOCTREE)
    return [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]


def psnr_label(generation: int, psnr: float) -> str:
    """``"original"`` for generation 0, else ``"gen 10, 31.2 dB"`` (no dB when unknown)."""
    if generation == 0:
        return "original"
    extra = f", {psnr:.1f} dB" if psnr is not None and math.isfinite(psnr) else ""
    return f"gen {generation}{extra}"
