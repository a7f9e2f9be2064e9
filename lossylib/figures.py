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
from .checks import check_number, check_whole
from .generations import Run
from .previews import write_gif


def _check_run(run: object, name: str = "run") -> Run:
    if not isinstance(run, Run):
        raise ValueError(f"{name} must be a Run from recompress, got {type(run).__name__}")
    return run


def _check_kept(run: Run, generations: object) -> list[int]:
    """A non-empty list of generations whose frames ``run`` kept."""
    if isinstance(generations, str | bytes) or not isinstance(generations, Sequence):
        raise ValueError(f"generations must be a list of whole numbers, got {generations!r}")
    if not generations:
        raise ValueError("generations must name at least one generation")
    for g in generations:
        if isinstance(g, bool) or not isinstance(g, int | np.integer):
            raise ValueError(f"generations must be whole numbers, got {g!r}")
    missing = [g for g in generations if g not in run.frames]
    if missing:
        raise ValueError(f"generation {missing[0]} was not kept; pass it in recompress(keep=...)")
    return list(generations)


def _check_runs(runs: object) -> None:
    if not isinstance(runs, Mapping) or not runs:
        raise ValueError(f"runs must be a non-empty mapping of labels to runs, got {runs!r}")
    for label, run in runs.items():
        _check_run(run, f"runs[{label!r}]")


def _check_column(run: Run, column: object, label: object) -> None:
    if column not in run.table.columns:
        raise ValueError(
            f"run {label!r} has no column {column!r}; columns: {', '.join(run.table.names)}"
        )


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
    ``zoom_box`` must lie inside the frames; ``zoom`` is 1 to
    :data:`lossylib.plots.MAX_ZOOM`.
    """
    _check_run(run)
    generations = _check_kept(run, generations)
    check_number(width, "width")
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
    if fit < 1:
        raise ValueError(f"width of {width:g} inches is too narrow for {n} frames")
    if zoom_box:
        x0, y0, x1, y1 = plots._check_zoom_box(zoom_box, [f.shape for f in frames])
        whole = isinstance(zoom, int | np.integer) and not isinstance(zoom, bool)
        if not whole or not 1 <= zoom <= plots.MAX_ZOOM:
            raise ValueError(
                f"zoom must be a whole number from 1 to {plots.MAX_ZOOM}, got {zoom!r}"
            )
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
    """Quality and size against generation, one panel per column, fixed point marked
    (``columns`` that the run's table lacks are left out; at least one must be there)."""
    _check_run(run)
    if isinstance(columns, str | bytes) or not isinstance(columns, Sequence):
        raise ValueError(f"columns must be a list of column names, got {columns!r}")
    cols = [c for c in columns if c in run.table.columns]
    if not cols:
        raise ValueError(
            f"none of the columns {list(columns)} is in the run's table; "
            f"columns: {', '.join(run.table.names)}"
        )
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
    """The kept frames, scaled to at most ``max_side`` pixels (a whole number >= 1),
    each labelled."""
    _check_run(run)
    check_whole(max_side, "max_side", 1)
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
    _check_runs(runs)
    for label, run in runs.items():
        _check_column(run, column, label)
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
    default = {"psnr": "PSNR against the original (dB)", "bytes": "file size (kB)"}
    ax.set_ylabel(ylabel or default.get(column, column))
    ax.legend(fontsize=8)
    return fig


def edge_profiles(profiles: Mapping[str, Sequence[float]], ax=None):
    """Mean profiles across an edge, one line per label, in grey levels against the
    distance from the edge (pixels; the edge lies between -0.5 and +0.5): a sharp edge
    jumps between those two pixels, a melted one climbs over several, a fainter one
    jumps less far. The first profile is drawn thick and grey, as the reference."""
    if not isinstance(profiles, Mapping) or not profiles:
        raise ValueError(
            f"profiles must be a non-empty mapping of label to profile, got {profiles!r}"
        )
    arrays = {}
    for label, values in profiles.items():
        y = np.asarray(values, dtype=float)
        if y.ndim != 1 or y.size < 2 or y.size % 2 or not np.isfinite(y).all():
            raise ValueError(f"profile {label!r} must be an even number (2+) of finite values")
        arrays[label] = y
    if ax is None:
        fig, ax = plots.figure(figsize=(6.4, 3.4))
    else:
        fig = ax.figure
    for i, (label, y) in enumerate(arrays.items()):
        x = np.arange(y.size) - (y.size - 1) / 2
        if i == 0:
            ax.plot(x, y, color="0.6", linewidth=5, label=label, zorder=1)
        else:
            color = plots.COLORS[(i - 1) % len(plots.COLORS)]
            ax.plot(x, y, "o-", color=color, markersize=4, label=label, zorder=2)
    ax.axvline(0, color="0.4", linestyle=":", linewidth=1)
    ax.set_xlabel("distance from the edge (px)")
    ax.set_ylabel("luma (grey level)")
    ax.legend(fontsize=8, loc="center left")  # where the dark side ends and the light begins
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
    for name, values in (("samples", samples), ("settings", settings)):
        if isinstance(values, str | bytes) or not isinstance(values, Sequence) or not values:
            raise ValueError(f"{name} must be a non-empty list of names, got {values!r}")
    if not isinstance(runs, Mapping):
        raise ValueError(f"runs must be a mapping of (sample, setting) to runs, got {runs!r}")
    missing = [(s, k) for k in settings for s in samples if (s, k) not in runs]
    if missing:
        raise ValueError(f"runs has no run for {missing[0]}")
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

    _check_runs(runs)
    if isinstance(generations, str | bytes) or not isinstance(generations, Sequence):
        raise ValueError(f"generations must be a list of whole numbers, got {generations!r}")
    if not generations:
        raise ValueError("generations must name at least one generation")
    for key, run in runs.items():
        if not isinstance(key, tuple) or len(key) != 2:
            raise ValueError(f"runs must be keyed by (sample, setting), got {key!r}")
        _check_column(run, "psnr", key)
        for g in generations:
            kept = run.frames if g == 0 else run.encoded  # the original, or saved files
            if g not in kept:
                raise ValueError(
                    f"run {key!r} did not keep generation {g!r}; pass it in recompress(keep=...)"
                )
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


#: What can change between saves in :func:`live_explorer`: label -> perturbation spec.
LIVE_CHANGES = {
    "nothing": None,
    "shift 1 px": "shift:1",
    "quality jitter 60-90": "jitter:60-90",
    "resize x0.9": "resize:0.9",
    "sharpen": "sharpen",
}

#: The chroma subsamplings :func:`live_explorer` offers (JPEG and AVIF only; the other
#: codecs store colour their own way and ignore the choice).
LIVE_SUBSAMPLINGS = ("4:2:0", "4:4:4")


def live_run(
    sample: str,
    codec: str = "jpeg",
    quality: int = 75,
    subsampling: str = "4:2:0",
    change: str = "nothing",
    generations: int = 50,
) -> Run:
    """The run :func:`live_explorer` shows: ``sample`` as the JPEG chapter crops it
    (:func:`lossylib.claims.jpeg.sample`, 256 x 256, the astronaut's face), re-saved
    ``generations`` times with ``codec`` at ``quality``, with ``subsampling`` where the
    codec has a choice, and ``change`` (one of :data:`LIVE_CHANGES`) between saves.

    Examples
    --------
    >>> run = live_run("testcard", subsampling="4:4:4", generations=3)
    >>> run.settings["subsampling"], sorted(run.frames)
    ('4:4:4', [0, 1, 3])
    """
    from . import codecs
    from .claims.jpeg import sample as chapter_sample
    from .generations import recompress
    from .perturb import parse

    if change not in LIVE_CHANGES:
        raise ValueError(f"change must be one of {', '.join(LIVE_CHANGES)}, got {change!r}")
    if subsampling not in LIVE_SUBSAMPLINGS:
        raise ValueError(
            f"subsampling must be one of {', '.join(LIVE_SUBSAMPLINGS)}, got {subsampling!r}"
        )
    n = int(generations)
    spec = LIVE_CHANGES[change]
    return recompress(
        chapter_sample(sample),
        n,
        codec=codec,
        quality=int(quality),
        subsampling=subsampling if codecs.get_codec(codec).subsampling else None,
        perturb=parse(spec) if spec else None,
        metrics={"psnr": 1, "ssim": 1},
        keep=sorted({0, 1, max(1, n // 4), n}),
    )


def live_explorer():
    """With a running kernel: pick sample, codec, quality, chroma subsampling, change and
    generations; the loop reruns (:func:`live_run`) and shows the strip and curves. (The
    static book uses :func:`explorer`.)
    """
    from . import codecs, explore
    from .claims.jpeg import SAMPLES

    def render(sample, codec, quality, subsampling, change, generations):
        run = live_run(sample, codec, quality, subsampling, change, generations)
        generation_strip(run, sorted(run.frames), width=6.8)
        curves(run, sample, columns=("psnr", "bytes"))

    controls = [
        explore.Choice("sample", "sample", list(SAMPLES)),
        explore.Choice("codec", "codec", codecs.available_codecs()),
        explore.Slider("quality", "quality", list(range(10, 101, 5))),
        explore.Choice("subsampling", "colour", list(LIVE_SUBSAMPLINGS)),
        explore.Choice("change", "between saves", list(LIVE_CHANGES)),
        explore.Slider("generations", "generations", [10, 25, 50, 100, 200]),
    ]
    return explore.live(render, controls)
