"""The book's figure style and shared figure helpers.

One style for every chapter: an opaque white background (readable in the theme's dark
mode), lowercase axis labels with units, the colour-blind-safe Okabe-Ito palette, no
titles (captions live in the cell's ``mystnb: figure:`` metadata).

Examples
--------
>>> import lossylib.plots as lp
>>> lp.use_book_style()
>>> fig, ax = lp.figure()
>>> ax.plot([0, 1], [0, 1], color=lp.COLORS[0])  # doctest: +ELLIPSIS
[...]
"""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from .checks import check_number, check_whole

# Okabe & Ito (2008), "Color Universal Design": distinguishable with colour-vision deficiency.
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

# CSS pixels per inch of every figure in the book, static or explorable: text of 8 pt
# is 8 * DPI / 72 = 10.7 CSS pixels high.
DPI = 96

#: The most pixels a figure is drawn with (a PNG of 40 megapixels).
MAX_PIXELS = 40_000_000

#: The largest ``zoom`` :func:`image_grid` enlarges a crop by.
MAX_ZOOM = 64

#: Image pixels per CSS pixel of a chart in a notebook or the book (see figure_png):
#: sharp on the high-density screens of most laptops and phones.
SHARP = 2

STYLE = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "figure.figsize": (6.4, 3.6),
    "figure.constrained_layout.use": True,
    "axes.prop_cycle": mpl.cycler(color=COLORS),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "font.size": 10,
    "axes.titlesize": 10,
    "legend.frameon": False,
    "image.interpolation": "nearest",
}


def use_book_style() -> None:
    """Apply the book's matplotlib style, and in IPython show figures with
    :func:`figure_png` (idempotent)."""
    mpl.rcParams.update(STYLE)
    _show_figures_sharp()


def _check_figure(fig: object) -> None:
    if not isinstance(fig, Figure):
        raise ValueError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")


def palette_png(fig: Any, *, dpi: float, colours: int = 256, **savefig: Any) -> bytes:
    """``fig`` as a PNG with a palette of at most ``colours`` colours.

    ``dpi`` is a positive number; the figure may be drawn with at most
    :data:`MAX_PIXELS` pixels.

    A chart is line art on white: 256 colours hold its lines, text and their
    anti-aliasing to within a few grey levels, in less than half the bytes of a
    full-colour PNG. Not for pictures (photographs, heat maps): see :func:`figure_png`.

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> fig, ax = figure(figsize=(2, 1))
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> Image.open(io.BytesIO(palette_png(fig, dpi=50))).mode
    'P'
    >>> plt.close(fig)
    """
    import io

    from PIL import Image

    _check_figure(fig)
    if isinstance(colours, bool) or not isinstance(colours, int) or not 2 <= colours <= 256:
        raise ValueError(f"colours must be a whole number from 2 to 256, not {colours!r}")
    check_number(dpi, "dpi")
    w, h = fig.get_size_inches() * dpi
    if w * h > MAX_PIXELS:
        raise ValueError(
            f"a {w / dpi:g} x {h / dpi:g} inch figure at dpi {dpi:g} is {w * h:,.0f} pixels, "
            f"more than the limit of {MAX_PIXELS:,}"
        )
    raw = io.BytesIO()
    fig.savefig(raw, format="png", dpi=dpi, **savefig)
    with Image.open(raw) as full:
        palette = full.convert("RGB").quantize(colours, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True, dpi=(dpi, dpi))
    return out.getvalue()


def figure_png(fig: Any) -> tuple[bytes, dict]:
    """How the book shows a figure: PNG bytes and the width to show them at.

    A chart (no picture in it) is drawn at :data:`SHARP` times the book's resolution,
    with a palette (:func:`palette_png`), and shown at the book's size: as sharp as the
    screen, in fewer bytes than a full-colour PNG at the book's resolution. A figure
    with a picture in it (``imshow``: photographs, compression artifacts, heat maps)
    keeps every colour and the book's resolution. Both are trimmed to their content,
    as Jupyter's inline figures are.

    Returns
    -------
    (bytes, dict)
        The PNG and ``{"width": css_pixels}``, the output metadata Jupyter and MyST-NB
        size an image by (no height: a narrow screen scales it down in proportion).

    Examples
    --------
    >>> fig, ax = figure(figsize=(2, 1))
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> data, meta = figure_png(fig)
    >>> list(meta), data[1:4] == b"PNG"
    (['width'], True)
    >>> plt.close(fig)
    """
    import io

    from PIL import Image

    _check_figure(fig)
    picture = any(ax.get_images() for ax in fig.axes)
    if picture:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
        data, scale = buf.getvalue(), 1
    else:
        data, scale = palette_png(fig, dpi=SHARP * DPI, bbox_inches="tight"), SHARP
    with Image.open(io.BytesIO(data)) as im:
        width = round(im.width / scale)
    return data, {"width": width}


def _show_figures_sharp() -> None:
    """In IPython (a notebook, or the book's build), display figures by
    :func:`figure_png`; elsewhere, nothing."""
    # A running IPython has imported itself; elsewhere (the command line and its workers)
    # importing it only to learn that there is no shell costs 60-80 ms a process.
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    formatters = getattr(getattr(shell, "display_formatter", None), "formatters", {})
    if "image/png" in formatters:
        from matplotlib.figure import Figure

        # Load the backend first: Jupyter's inline backend, once loaded, sets its own PNG
        # formatter, which would replace ours for the notebook's first figure.
        getattr(plt, "_get_backend_mod", lambda: None)()

        formatters["image/png"].for_type(Figure, figure_png)


def figure(nrows: int = 1, ncols: int = 1, **kwargs: Any):
    """``plt.subplots`` with the book style applied."""
    use_book_style()
    return plt.subplots(nrows, ncols, **kwargs)


def mark_point(ax, x: float, label: str, color: str = COLORS[6]) -> None:
    """A dashed vertical line with a short label, e.g. the fixed point of a run."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(x):
        raise ValueError(f"x must be a finite number, got {x!r}")
    ax.axvline(x, color=color, linestyle="--", linewidth=1)
    ax.annotate(
        label,
        xy=(x, 1),
        xycoords=("data", "axes fraction"),
        xytext=(3, -3),
        textcoords="offset points",
        va="top",
        fontsize=9,
    )


def image_grid(
    images: Sequence[Any],
    labels: Sequence[str],
    *,
    ncols: int | None = None,
    zoom_box: tuple[int, int, int, int] | None = None,
    zoom: int = 4,
    width: float = 9.0,
):
    """Show images side by side, each with a label; optionally a zoomed crop under each.

    Parameters
    ----------
    images : sequence of PIL images or arrays
    labels : sequence of str
        One short label per image (shown above it).
    ncols : int, optional
        Columns: at least one per image (the default).
    zoom_box : (left, top, right, bottom), optional
        A crop shown under each image at ``zoom`` x with nearest-neighbour scaling, so
        compression artifacts stay visible; the crop is outlined on the full image. It
        must lie inside every image.
    zoom : int
        1 to :data:`MAX_ZOOM`.
    width : float
        The figure's width in inches (positive).
    """
    if isinstance(images, str | bytes) or not isinstance(images, Sequence) or not images:
        raise ValueError(f"images must be a non-empty list of images, got {images!r}")
    if isinstance(labels, str | bytes) or not isinstance(labels, Sequence):
        raise ValueError(f"labels must be a list of text, got {labels!r}")
    if len(labels) != len(images):
        raise ValueError(f"labels must be one per image: {len(labels)} for {len(images)} images")
    shapes = [np.shape(im) for im in images]
    for i, shape in enumerate(shapes):
        if len(shape) not in (2, 3) or 0 in shape[:2]:
            raise ValueError(f"images[{i}] must be a picture (h, w) or (h, w, 3), got {shape}")
    n = len(images)
    if ncols is not None and (check_whole(ncols, "ncols", 1) < n):
        raise ValueError(f"ncols must be at least the number of images ({n}), got {ncols}")
    if zoom_box:
        _check_zoom_box(zoom_box, shapes)
        whole = isinstance(zoom, int | np.integer) and not isinstance(zoom, bool)
        if not whole or not 1 <= zoom <= MAX_ZOOM:
            raise ValueError(f"zoom must be a whole number from 1 to {MAX_ZOOM}, got {zoom!r}")
    check_number(width, "width")
    use_book_style()
    ncols = ncols or n
    rows = 2 if zoom_box else 1
    fig, axes = plt.subplots(
        rows, ncols, figsize=(width, width / ncols * rows * 1.05), squeeze=False
    )
    for i, (im, lab) in enumerate(zip(images, labels, strict=True)):
        arr = np.asarray(im)
        ax = axes[0, i]
        ax.imshow(arr, interpolation="nearest")
        ax.set_title(lab, fontsize=9)
        ax.set_axis_off()
        if zoom_box:
            x0, y0, x1, y1 = zoom_box
            ax.add_patch(plt.Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ec="white", lw=1.2))
            crop = arr[y0:y1, x0:x1]
            crop = np.repeat(np.repeat(crop, zoom, axis=0), zoom, axis=1)
            axes[1, i].imshow(crop, interpolation="nearest")
            axes[1, i].set_axis_off()
    return fig


def _check_zoom_box(zoom_box: object, shapes: Sequence[tuple]) -> tuple[int, int, int, int]:
    """``zoom_box`` as four whole numbers (left, top, right, bottom) that make a non-empty
    crop inside every image of the given (h, w, ...) shapes."""
    values = tuple(zoom_box) if isinstance(zoom_box, list | tuple) else ()
    if len(values) != 4 or not all(
        isinstance(v, int | np.integer) and not isinstance(v, bool) for v in values
    ):
        raise ValueError(
            f"zoom_box must be four whole numbers (left, top, right, bottom), got {zoom_box!r}"
        )
    x0, y0, x1, y1 = (int(v) for v in values)
    for shape in shapes:
        h, w = shape[0], shape[1]
        if not (0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h):
            raise ValueError(
                f"zoom_box must be a non-empty crop inside the {w}x{h} image, got {zoom_box!r}"
            )
    return x0, y0, x1, y1


def place_in_pixels(
    axes: Sequence[Sequence[Any]],
    width: int,
    heights: Sequence[int],
    *,
    titles: Sequence[int],
    hgap: int,
    vgap: int,
    margin: int = 0,
) -> None:
    """Lay out rows of panels on whole CSS pixels and size their figure to fit.

    Every panel of row ``r`` becomes exactly ``width`` x ``heights[r]`` pixels at
    :data:`DPI`, with ``titles[r]`` pixels above it for its title, ``hgap`` pixels between
    columns, ``vgap`` between rows and ``margin`` around. A picture drawn there with
    nearest-neighbour at one pixel per array pixel reaches the page unresampled (the
    book shows pictures at their own size, :func:`figure_png`), so a zoomed crop keeps
    its hard edges.

    Examples
    --------
    >>> fig, axes = figure(1, 2)
    >>> place_in_pixels([axes], 40, [30], titles=[10], hgap=8, vgap=0)
    >>> [round(v) for v in fig.get_size_inches() * DPI]
    [88, 40]
    >>> plt.close(fig)
    """
    if len(axes) == 0 or any(len(row) == 0 for row in axes):
        raise ValueError("place_in_pixels needs at least one row of panels")
    for name, values in (("heights", heights), ("titles", titles)):
        if len(values) != len(axes):
            raise ValueError(f"{name} must be one per row: {len(values)} for {len(axes)} rows")
    check_number(width, "width")
    for h in heights:
        check_number(h, "each height")
    for name, value in (("hgap", hgap), ("vgap", vgap), ("margin", margin)):
        check_number(value, name, zero=True)
    for t in titles:
        check_number(t, "each title", zero=True)
    fig = axes[0][0].figure
    cols = max(len(row) for row in axes)
    tops, y = [], margin
    for r, height in enumerate(heights):
        y += titles[r]
        tops.append(y)
        y += height + (vgap if r < len(heights) - 1 else 0)
    fig_w, fig_h = 2 * margin + cols * width + (cols - 1) * hgap, y + margin
    fig.set_layout_engine("none")
    fig.set_size_inches(fig_w / DPI, fig_h / DPI)
    for r, row in enumerate(axes):
        for c, ax in enumerate(row):
            left, bottom = margin + c * (width + hgap), fig_h - tops[r] - heights[r]
            ax.set_position([left / fig_w, bottom / fig_h, width / fig_w, heights[r] / fig_h])


#: Line styles that tell overlapping lines apart without colour.
LINESTYLES = ("-", (0, (5, 2)), (0, (1, 1.5)), (0, (6, 2, 1, 2)), (0, (2, 2)))


def distinguish_lines(ax, widths: Sequence[float] = (3.2, 2.4, 1.8, 1.3, 1.0)) -> None:
    """Make every labelled line of ``ax`` visible even where lines coincide.

    Each line gets its own dash pattern and a width that shrinks down the legend, drawn
    in that order, so a later (thinner, dashed) line never hides an earlier one. The
    legend is redrawn to match.

    Examples
    --------
    >>> fig, ax = figure()
    >>> _ = ax.plot([0, 1], [0, 1], label="a")
    >>> _ = ax.plot([0, 1], [0, 1], label="b")
    >>> distinguish_lines(ax)
    >>> [round(line.get_linewidth(), 1) for line in ax.get_lines()]
    [3.2, 2.4]
    >>> plt.close(fig)
    """
    if isinstance(widths, str | bytes) or not isinstance(widths, Sequence) or not widths:
        raise ValueError(f"widths must be a non-empty list of line widths, got {widths!r}")
    lines = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    for i, line in enumerate(lines):
        line.set_linestyle(LINESTYLES[i % len(LINESTYLES)])
        line.set_linewidth(widths[min(i, len(widths) - 1)])
        line.set_zorder(2 + i)
    if lines:
        ax.legend(handles=lines, fontsize=8)
