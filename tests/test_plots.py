"""How the book shows its figures (lossylib.plots): charts sharp and light, pictures
exact, in a notebook's kernel as in the book's build."""

from __future__ import annotations

import base64
import io
import subprocess
import sys

import matplotlib
import numpy as np
import pytest
from PIL import Image

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from lossylib import plots  # noqa: E402


@pytest.fixture
def chart():
    fig, ax = plots.figure(figsize=(3, 2))
    x = np.linspace(0, 1, 50)
    ax.plot(x, x**2, label="a curve")
    ax.legend()
    ax.set_xlabel("generation")
    yield fig
    plt.close(fig)


@pytest.fixture
def picture():
    fig, ax = plots.figure(figsize=(3, 2))
    noise = np.random.default_rng(0).integers(0, 256, (40, 60, 3), dtype=np.uint8)
    ax.imshow(noise, interpolation="nearest")
    yield fig, noise
    plt.close(fig)


def _open(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def test_a_chart_is_drawn_sharp_with_a_palette_and_shown_at_the_book_size(chart):
    data, meta = plots.figure_png(chart)
    im = _open(data)
    assert im.mode == "P"
    assert meta == {"width": round(im.width / plots.SHARP)}
    # trimmed to its content with a margin of 0.1 inch, as Jupyter's inline figures are
    assert meta["width"] <= (3 + 0.2) * plots.DPI
    full = io.BytesIO()
    chart.savefig(full, format="png", dpi=plots.DPI, bbox_inches="tight")
    # twice the pixels each way, in fewer bytes than full colour at the book's size
    assert abs(im.width - plots.SHARP * _open(full.getvalue()).width) <= plots.SHARP
    assert len(data) < len(full.getvalue())


def test_a_picture_keeps_every_colour_at_the_book_resolution(picture):
    fig, noise = picture
    data, meta = plots.figure_png(fig)
    im = _open(data)
    assert im.mode in ("RGB", "RGBA")
    assert meta == {"width": im.width}
    colours = np.unique(np.asarray(im.convert("RGB")).reshape(-1, 3), axis=0)
    assert len(colours) > 256  # not reduced to a palette


def test_palette_png_refuses_a_palette_it_cannot_make(chart):
    for bad in (0, 1, 257, 2.5, True, None):
        with pytest.raises(ValueError, match="colours must be a whole number from 2 to 256"):
            plots.palette_png(chart, dpi=50, colours=bad)
    assert len(_open(plots.palette_png(chart, dpi=50, colours=4)).getcolors()) <= 4


def test_a_kernel_displays_figures_by_figure_png(chart):
    """In IPython, the book style makes the PNG formatter use figure_png, so a notebook
    and the book's build show the same sharp chart with its width."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        plots.use_book_style()
        data, meta = shell.display_formatter.format(chart)
        assert _open(data["image/png"]).mode == "P"
        assert meta["image/png"] == plots.figure_png(chart)[1]
    finally:
        InteractiveShell.clear_instance()


def test_outside_ipython_the_book_style_does_not_import_it():
    """The command line and its workers draw figures too: with no IPython running, the
    book style must not import it (60-80 ms a process) only to find no shell."""
    code = (
        "import sys\nfrom lossylib import plots\nplots.use_book_style()\n"
        "fig, ax = plots.figure()\nprint('IPython' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_a_notebook_shows_its_first_figure_sharp_too():
    """In a real kernel, Jupyter's inline backend sets its own PNG formatter when it
    loads, on the notebook's first figure; the book style must still win there."""
    import nbformat
    from nbclient import NotebookClient

    cells = [
        "from lossylib.trends import figures\nfigures.headline();",
        "figures.growth_by_era();",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    shown = [o for cell in nb.cells for o in cell.outputs if o.output_type == "display_data"]
    assert len(shown) == 2
    for output in shown:
        width = output.metadata["image/png"]["width"]
        im = _open(base64.b64decode(output.data["image/png"]))
        assert im.mode == "P" and abs(im.width - plots.SHARP * width) <= plots.SHARP


def test_place_in_pixels_puts_every_panel_on_whole_pixels():
    fig, axes = plots.figure(2, 3)
    try:
        plots.place_in_pixels(axes, 50, [30, 20], titles=[10, 0], hgap=6, vgap=4, margin=2)
        assert [round(v) for v in fig.get_size_inches() * plots.DPI] == [166, 68]
        fig.canvas.draw()
        for r, (top, height) in enumerate([(12, 30), (46, 20)]):
            for c in range(3):
                box = axes[r, c].get_window_extent()  # from the bottom, in pixels
                assert (box.x0, box.width) == pytest.approx((2 + c * 56, 50))
                assert (68 - box.y1, box.height) == pytest.approx((top, height))
    finally:
        plt.close(fig)
