"""Tests for lossylib.explore: self-contained explorables over precomputed frames."""

from __future__ import annotations

import base64
import html as _html
import io
import json
from html.parser import HTMLParser

import numpy as np
import pytest
from PIL import Image

from lossylib import explore
from lossylib.explore import Choice, Slider


def _png(colour) -> bytes:
    return explore.image_bytes(Image.new("RGB", (8, 8), colour))


@pytest.fixture(scope="module")
def frames() -> dict[tuple, bytes]:
    return {(q, g): _png((q, g * 40, 0)) for q in (50, 90) for g in (0, 1, 2)}


@pytest.fixture(scope="module")
def controls():
    return [
        Choice("q", "JPEG quality", (50, 90), labels=("low (50)", "high (90)")),
        Slider("g", "Generation", (0, 1, 2)),
    ]


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)

    def all(self, tag: str) -> list[dict]:
        return [a for t, a in self.tags if t == tag]


def _parse(markup: str) -> _Collect:
    p = _Collect()
    p.feed(markup)
    p.close()
    return p


def test_static_block(frames, controls):
    out = explore.static(
        frames,
        controls,
        mime="image/png",
        alt=lambda v: f"Test frame at quality {v['q']}, generation {v['g']}",
        caption=lambda v: f"q={v['q']} gen={v['g']}",
        pixelated=True,
        width=240,
    )
    markup = out.data
    doc = _parse(markup)
    # One block: a single outer div holding everything, then one script.
    outer = doc.all("div")[0]
    assert outer["class"] == "lossy-explorable"
    uid = outer["id"]
    assert markup.count("<script>") == 1 and markup.rstrip().endswith("</script>")
    assert len(doc.scripts) == 1
    # A labelled control per Control.
    labels = {a["for"]: a for a in doc.all("label")}
    inputs = doc.all("input")
    selects = doc.all("select")
    assert len(inputs) == 1 and len(selects) == 1
    for i, ctl in enumerate([selects[0], inputs[0]]):
        assert ctl["id"] == f"{uid}-c{i}"
        assert ctl["id"] in labels
    assert "JPEG quality" in markup and "Generation" in markup
    slider = inputs[0]
    assert slider["type"] == "range" and slider["min"] == "0" and slider["max"] == "2"
    assert json.loads(slider["data-values"]) == ["0", "1", "2"]
    options = doc.all("option")
    assert [o["value"] for o in options] == ["50", "90"]
    assert "low (50)" in markup
    # The image: the first frame inline, with its alt text.
    imgs = doc.all("img")
    assert len(imgs) == 1
    img = imgs[0]
    assert img["alt"] == "Test frame at quality 50, generation 0"
    assert img["src"] == "data:image/png;base64," + base64.b64encode(frames[50, 0]).decode()
    assert "image-rendering:pixelated" in img["style"] and "width:240px" in img["style"]
    assert 'aria-live="polite"' in markup and "q=50 gen=0" in markup


def test_static_frames_are_inline(frames, controls):
    markup = explore.static(frames, controls, alt="a frame").data
    assert "http://" not in markup and "https://" not in markup
    assert "<script src" not in markup and "<link" not in markup
    script = _parse(markup).scripts[0]
    for (q, g), raw in frames.items():
        assert f'"{q}|{g}"' in script  # every combination of the controls is a key
        assert "data:image/png;base64," + base64.b64encode(raw).decode() in script


def test_static_stores_identical_frames_once(controls):
    same = _png((7, 7, 7))
    frames = {(q, g): same for q in (50, 90) for g in (0, 1, 2)}
    markup = explore.static(frames, controls).data
    encoded = base64.b64encode(same).decode()
    assert markup.count(encoded) <= 2  # the <img> and the script's table, not 6 copies


def test_static_escapes_labels_and_alt():
    frames = {("<b>",): _png((0, 0, 0))}
    markup = explore.static(
        frames, [Choice("x", 'say "<hi>"', ("<b>",))], alt='a "quoted" <alt>'
    ).data
    assert "<hi>" not in markup and "<b>" not in markup.split("<script>")[0]
    img = _parse(markup).all("img")[0]
    assert img["alt"] == 'a "quoted" <alt>'  # escaped in the markup, intact once parsed
    assert _html.escape('a "quoted" <alt>') in markup


def test_static_mime_per_frame():
    frames = {("a",): _png((1, 2, 3)), ("b",): b"\xff\xd8fake"}
    markup = explore.static(
        frames, [Choice("k", "kind", ("a", "b"))], mime={("a",): "image/png", ("b",): "image/jpeg"}
    ).data
    assert "data:image/png;base64," in markup and "data:image/jpeg;base64," in markup


def test_static_ids_are_unique_per_frame_set(controls, frames):
    a = _parse(explore.static(frames, controls).data).all("div")[0]["id"]
    other = {k: _png((k[0], 0, 255)) for k in frames}
    other[99, 0] = _png((0, 0, 0))
    b = _parse(explore.static(other, controls).data).all("div")[0]["id"]
    assert a != b
    # Deterministic: the same frames give the same ids (stable builds).
    assert a == _parse(explore.static(frames, controls).data).all("div")[0]["id"]


def test_static_missing_frame(frames, controls):
    partial = dict(frames)
    del partial[90, 2]
    with pytest.raises(ValueError, match=r"no frame for 1 combination.*\(90, 2\)"):
        explore.static(partial, controls)


def test_static_no_controls(frames):
    with pytest.raises(ValueError, match="at least one control"):
        explore.static(frames, [])


def _chart():
    """A chart with anti-aliased lines, text and a filled band, as frames have."""
    import matplotlib.pyplot as plt

    from lossylib import plots

    fig, ax = plots.figure(figsize=(3, 2))
    x = np.linspace(0, 1, 50)
    ax.plot(x, x**2, label="a curve")
    ax.fill_between(x, x**2 - 0.1, x**2 + 0.1, alpha=0.3)
    ax.plot(x, 1 - x, ls="--", label="another")
    ax.legend()
    ax.set_xlabel("generation")
    return fig, plt


def test_chart_png_is_a_palette_png_at_the_book_resolution():
    from lossylib import plots

    fig, plt = _chart()
    try:
        data = explore.chart_png(fig)
        full = io.BytesIO()
        fig.savefig(full, format="png", dpi=plots.DPI)
    finally:
        plt.close(fig)
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "PNG" and im.mode == "P"
        assert im.size == (3 * plots.DPI, 2 * plots.DPI)
        # PNG stores whole pixels per metre: 96 dpi reads back as 96.012
        assert im.info["dpi"] == pytest.approx((plots.DPI, plots.DPI), abs=0.05)
        shown = np.asarray(im.convert("RGB"), dtype=int)
    with Image.open(full) as im:
        exact = np.asarray(im.convert("RGB"), dtype=int)
    error = np.abs(shown - exact).max(axis=-1)
    # the palette holds the chart to within a few grey levels almost everywhere
    assert error.mean() < 1.0 and np.percentile(error, 99) <= 8, (error.mean(), error.max())
    assert len(data) < 0.6 * len(full.getvalue())


def test_chart_png_dpi_colours_and_close():
    import matplotlib.pyplot as plt

    fig, _ = _chart()
    try:
        with Image.open(io.BytesIO(explore.chart_png(fig, dpi=50, colours=4))) as im:
            assert im.size == (150, 100)
            assert len(im.getcolors()) <= 4
        for bad in (0, 1, 257, 2.5, True, None):
            with pytest.raises(ValueError, match="colours must be a whole number from 2 to 256"):
                explore.chart_png(fig, colours=bad)
        assert fig.number in plt.get_fignums()
        explore.chart_png(fig, close=True)
        assert fig.number not in plt.get_fignums()
    finally:
        plt.close(fig)


def test_image_bytes():
    im = Image.new("RGB", (5, 4), (10, 20, 30))
    assert explore.image_bytes(im)[:4] == b"\x89PNG"
    jpg = explore.image_bytes(im, "JPEG", quality=80)
    assert jpg[:2] == b"\xff\xd8"


def test_live_builds_widgets():
    pytest.importorskip("ipywidgets")
    seen = []
    w = explore.live(
        lambda q, g: seen.append((q, g)),
        [Choice("q", "quality", (50, 90), labels=("low", "high")), Slider("g", "gen", (0, 1))],
    )
    names = {c.description for c in w.children if hasattr(c, "description")}
    assert {"quality", "gen"} <= names


def test_static_start_selects_the_initial_frame(frames, controls):
    markup = explore.static(frames, controls, start={"q": 90, "g": 2}).data
    p = _parse(markup)
    (img,) = p.all("img")
    expected = base64.b64encode(frames[90, 2]).decode()
    assert img["src"].endswith(expected)
    (rng,) = [a for a in p.all("input") if a.get("type") == "range"]
    assert rng["value"] == "2"
    selected = [a for a in p.all("option") if "selected" in a]
    assert [a["value"] for a in selected] == ["90"]


def test_static_presets_are_buttons_with_their_settings(frames, controls):
    presets = [("late, low quality", {"q": 50, "g": 2}), ("start", {"g": 0})]
    p = _parse(explore.static(frames, controls, presets=presets).data)
    buttons = [a for a in p.all("button") if "lossy-preset" in a.get("class", "")]
    assert len(buttons) == 2
    assert json.loads(buttons[0]["data-preset"]) == {"0": "50", "1": "2"}
    assert json.loads(buttons[1]["data-preset"]) == {"1": "0"}
    assert "lossy-preset" in "".join(p.scripts)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": {"nope": 1}}, "unknown control"),
        ({"start": {"g": 7}}, "not one of its values"),
        ({"presets": [("x", {"q": 70})]}, "preset 'x'"),
    ],
)
def test_static_rejects_unknown_settings(frames, controls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        explore.static(frames, controls, **kwargs)
