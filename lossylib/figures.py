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
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.ticker import MaxNLocator
from PIL import Image, ImageDraw

from . import plots
from .generations import Run
from .previews import write_gif


def generation_strip(
    run: Run,
    generations: Sequence[int],
    zoom_box: tuple[int, int, int, int] | None = None,
    zoom: int = 3,
    width: float = 6.8,
):
    """The kept frames side by side, labelled with generation and PSNR, at most
    ``width`` inches wide (6.8 fits the book's text column).

    With ``zoom_box`` (left, top, right, bottom) a nearest-neighbour zoom of that crop
    appears under each frame, every pixel of it a ``zoom`` x ``zoom`` block of screen
    pixels (a smaller whole number if the row would be wider than ``width``), so that
    its hard edges stay hard; the frames above are drawn as wide as the zooms.
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
    frames = [np.asarray(run.frames[g]) for g in generations]
    n = len(frames)
    gap, title = 8, 24  # CSS pixels between pictures, and above them for the labels
    fit = (width * plots.DPI - (n - 1) * gap) / n  # the widest a column can be
    if zoom_box:
        x0, y0, x1, y1 = zoom_box
        zoom = max(1, min(zoom, int(fit // (x1 - x0))))
        side = (x1 - x0) * zoom
    else:
        side = int(fit)
    fig = plots.image_grid(frames, labels, zoom_box=zoom_box, zoom=zoom, width=width)
    # every picture on whole CSS pixels; a zoomed crop at one screen pixel per pixel of
    # its array, so that no resampling blurs or drops its blocks
    heights = [round(max(side * f.shape[0] / f.shape[1] for f in frames))]
    if zoom_box:
        heights.append((y1 - y0) * zoom)
    rows = [fig.axes[r * n : (r + 1) * n] for r in range(len(heights))]
    titles = [title, 0][: len(heights)]  # the zooms are not labelled
    plots.place_in_pixels(rows, side, heights, titles=titles, hgap=gap, vgap=gap)
    return fig


def _generation_ticks() -> MaxNLocator:
    """Ticks at whole generations, in steps of 1, 2 or 5 times a power of ten."""
    return MaxNLocator(integer=True, steps=[1, 2, 5, 10])


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
        # Whole values on the axis: an offset ("1e-5+8.4589e-1") is easy to misread.
        ax.ticklabel_format(axis="y", useOffset=False)
        ax.xaxis.set_major_locator(_generation_ticks())  # no generation 2.5
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
    write_gif(frames, path, ms_per_frame)


def compare_curves(
    runs: dict[str, Run],
    column: str = "psnr",
    ax=None,
    mark_fixed_points: bool = True,
    ylabel: str | None = None,
):
    """One line per run (labelled by the dict's keys), fixed points marked with a dot."""
    if ax is None:
        fig, ax = plots.figure()
    else:
        fig = ax.figure
    for i, (label, run) in enumerate(runs.items()):
        g = run.table["generation"]
        y = run.table[column].astype(float)
        if column == "bytes":
            y = y / 1000
        ok = np.isfinite(y) & (g > 0)
        color = plots.COLORS[i % len(plots.COLORS)]
        ax.plot(g[ok], y[ok], color=color, label=label)
        if mark_fixed_points and run.fixed_point is not None and run.fixed_point > 0:
            fp = run.fixed_point
            ax.plot([fp], [y[fp]], "o", color=color, markersize=6, markeredgecolor="black")
    ax.set_xlabel("generation")
    ax.xaxis.set_major_locator(_generation_ticks())
    default = {"psnr": "psnr against the original (dB)", "bytes": "file size (kB)"}
    ax.set_ylabel(ylabel or default.get(column, column))
    ax.legend(fontsize=8)
    return fig


def setting_panels(
    runs: Mapping[tuple[str, str], Run],
    samples: Sequence[str],
    settings: Sequence[str],
    *,
    xmax: float | None = None,
    distinguish: bool = False,
):
    """PSNR against generation of every sample (``runs[sample, setting]``), one panel
    per setting, named above it, on a shared y axis, with one legend above the panels.
    ``distinguish`` gives each line its own dash pattern (see
    :func:`lossylib.plots.distinguish_lines`), for lines that lie on top of each other;
    ``xmax`` ends the generation axis there. Two panels fit the book's text column."""
    fig, axes = plots.figure(
        1, len(settings), figsize=(3.4 * len(settings), 3.6), sharey=True, squeeze=False
    )
    fig.get_layout_engine().set(wspace=0.05)  # a panel's last tick clear of the next's first
    for ax, setting in zip(axes[0], settings, strict=True):
        compare_curves({s: runs[s, setting] for s in samples}, ax=ax)
        if distinguish:
            plots.distinguish_lines(ax)
        if xmax is not None:
            ax.set_xlim(0, xmax)
        ax.set_title(setting, fontsize=9)
        ax.get_legend().remove()  # the same samples in every panel: one legend for all
    for ax in axes[0, 1:]:
        ax.set_ylabel("")  # the shared axis is named once, on the left
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=len(labels), fontsize=8)
    return fig


def explorer(runs: dict[tuple[str, str], Run], generations: Sequence[int]):
    """A static explorable: choose a sample and a setting, scrub through generations.

    The frames are the runs' real encoded files (JPEG bytes as written), so what the
    reader sees is exactly what each generation saved; generation 0 is the original as PNG.
    """
    from . import codecs, explore

    samples = sorted({s for s, _ in runs}, key=list(dict.fromkeys(s for s, _ in runs)).index)
    settings = list(dict.fromkeys(k for _, k in runs))
    frames, mimes = {}, {}
    for (s, k), run in runs.items():
        mime = codecs.get_codec(run.settings["codec"]).mime
        for g in generations:
            key = (s, k, g)
            if g == 0:
                frames[key] = explore.image_bytes(run.frames[0], "PNG", optimize=True)
                mimes[key] = "image/png"
            else:
                frames[key] = run.encoded[g]
                mimes[key] = mime

    def describe(v: dict) -> str:
        run = runs[v["sample"], v["setting"]]
        g = int(v["generation"])
        if g == 0:
            return f"The original {v['sample']} image"
        return (
            f"{v['sample']} after {g} saves ({v['setting']}): "
            f"PSNR {run.table['psnr'][g]:.1f} dB, file {run.table['bytes'][g] / 1000:.1f} kB"
        )

    controls = [
        explore.Choice("sample", "sample", samples),
        explore.Choice("setting", "between saves", settings),
        explore.Slider("generation", "generation", list(generations)),
    ]
    return explore.static(
        frames, controls, mime=mimes, alt=describe, caption=describe, width=512, pixelated=True
    )


def live_explorer():
    """With a running kernel: pick sample, codec, quality, change and generations; the
    loop reruns and shows the strip and curves. (The static book uses :func:`explorer`.)
    """
    from . import codecs, explore, images, perturb
    from .generations import recompress

    changes = {
        "nothing": None,
        "shift 1 px": perturb.Shift(1),
        "quality jitter 60-90": perturb.QualityJitter(60, 90),
        "resize x0.9": perturb.Resize(0.9),
        "sharpen": perturb.Sharpen(),
    }

    def render(sample, codec, quality, change, generations):
        n = int(generations)
        im = images.center_crop(images.load_sample(sample), 256)
        gens = sorted({0, 1, max(1, n // 4), n})
        run = recompress(
            im,
            n,
            codec=codec,
            quality=int(quality),
            perturb=changes[change],
            metrics={"psnr": 1, "ssim": 1},
            keep=gens,
        )
        generation_strip(run, gens, width=6.8)
        curves(run, sample, columns=("psnr", "bytes"))

    controls = [
        explore.Choice("sample", "sample", images.list_samples()),
        explore.Choice("codec", "codec", codecs.available_codecs()),
        explore.Slider("quality", "quality", list(range(10, 101, 5))),
        explore.Choice("change", "between saves", list(changes)),
        explore.Slider("generations", "generations", [10, 25, 50, 100, 200]),
    ]
    return explore.live(render, controls)
