"""Figures of recompression runs: generation strips, quality curves, animations.

Used by the command line and the JPEG chapter; the style comes from :mod:`lossylib.plots`.

Examples
--------
>>> from lossylib import load_sample, recompress, figures
>>> run = recompress(load_sample("testcard"), 10, keep=(0, 1, 10))
>>> fig = figures.generation_strip(run, [0, 1, 10])
>>> len(fig.axes)
3
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw

from . import plots
from .generations import Run


def generation_strip(
    run: Run,
    generations: Sequence[int],
    zoom_box: tuple[int, int, int, int] | None = None,
    zoom: int = 4,
    width: float = 9.0,
):
    """The kept frames side by side, labelled with generation and PSNR.

    With ``zoom_box`` a nearest-neighbour zoom of that crop appears under each frame.
    """
    missing = [g for g in generations if g not in run.frames]
    if missing:
        raise ValueError(f"generation {missing[0]} was not kept; pass it in recompress(keep=...)")
    labels = []
    for g in generations:
        if g == 0:
            labels.append("original")
            continue
        psnr = run.table.columns.get("psnr")
        extra = f", {psnr[g]:.1f} dB" if psnr is not None and not math.isnan(psnr[g]) else ""
        labels.append(f"gen {g}{extra}")
    return plots.image_grid(
        [run.frames[g] for g in generations], labels, zoom_box=zoom_box, zoom=zoom, width=width
    )


def curves(run: Run, label: str = "", columns: Sequence[str] = ("psnr", "ssim", "bytes")):
    """Quality and size against generation, one panel per column, fixed point marked."""
    cols = [c for c in columns if c in run.table.columns]
    fig, axes = plots.figure(1, len(cols), figsize=(3.2 * len(cols), 3.0), squeeze=False)
    units = {
        "psnr": "psnr (dB)",
        "ssim": "ssim",
        "bytes": "file size (kB)",
        "change": "psnr vs previous (dB)",
    }
    g = run.table["generation"]
    for ax, c in zip(axes[0], cols, strict=True):
        y = run.table[c].astype(float)
        if c == "bytes":
            y = y / 1000
        ok = np.isfinite(y) & (g > 0)
        ax.plot(g[ok], y[ok], marker="." if ok.sum() < 40 else None, label=label or None)
        ax.set_xlabel("generation")
        ax.set_ylabel(units.get(c, c))
        if run.fixed_point is not None:
            plots.mark_point(ax, run.fixed_point, f"fixed point ({run.fixed_point})")
    return fig


def animation_frames(run: Run, max_side: int = 320) -> list[Image.Image]:
    """The kept frames, scaled to at most ``max_side`` pixels, each labelled."""
    out = []
    for g in sorted(run.frames):
        im = run.frames[g].copy()
        im.thumbnail((max_side, max_side), Image.Resampling.NEAREST)
        canvas = Image.new("RGB", (im.width, im.height + 16), (255, 255, 255))
        canvas.paste(im, (0, 16))
        ImageDraw.Draw(canvas).text((4, 2), f"generation {g}", fill=(0, 0, 0))
        out.append(canvas)
    return out


def save_animation(run: Run, path: str | os.PathLike, ms_per_frame: int = 150) -> None:
    """An animated GIF of the kept generations (the last frame held longer)."""
    frames = animation_frames(run)
    if not frames:
        raise ValueError("no frames were kept; pass keep=... to recompress")
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
