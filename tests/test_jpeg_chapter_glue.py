"""The JPEG chapter's glued numbers and words: every ``{glue:text}`` the page quotes is
glued by :func:`lossylib.claims.jpeg.glue_page`, and the page runs, and says so, without
AVIF in Pillow or without libavif's conversion on its own."""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest

from lossylib import claims, colour
from lossylib.claims import jpeg

CHAPTER = Path(__file__).resolve().parents[1] / "chapters" / "jpeg-generations.md"
GLUE = re.compile(r"\{glue:text\}`([^`:]+)(?::([^`]*))?`")


@pytest.fixture(scope="module")
def glued() -> dict:
    keys: dict = {}

    def fake(name, value, display=True):
        keys[name] = value

    with mock.patch("myst_nb.glue", fake):
        jpeg.glue_page()
    return keys


def _quoted() -> list[tuple[str, str]]:
    return GLUE.findall(CHAPTER.read_text(encoding="utf-8"))


def test_every_quoted_key_is_glued_and_formats(glued):
    quoted = _quoted()
    assert quoted
    missing = sorted({k for k, _ in quoted if k not in glued})
    assert not missing, f"the chapter quotes keys glue_page does not glue: {missing}"
    for key, fmt in quoted:
        value = glued[key]
        assert value is not None, key
        if fmt:
            format(value, fmt)  # raises if the page's format does not fit the value


def test_verdict_words_are_glued_not_typed(glued):
    """The page names each verdict through glue, so it cannot contradict the claims."""
    for n in range(1, 6):
        assert glued[f"v_c{n}"] == claims.get(n).check().verdict
    text = CHAPTER.read_text(encoding="utf-8")
    for typed in ("claim 5 holds", "claim 3 holds with a caveat", "So claim 3 holds"):
        assert typed not in text


def test_the_page_quotes_avif_only_through_sentences_that_work_without_it():
    """Keys from AVIF runs exist only where Pillow writes AVIF; the page quotes them only
    inside :func:`lossylib.claims.jpeg.avif_paragraphs`, which always glues."""
    for key, _ in _quoted():
        assert not key.startswith(("avif_", "codec_avif")) or key.startswith("avif_text"), key


def test_avif_paragraphs_without_avif():
    with mock.patch.object(jpeg, "avif_cast", lambda: {}):
        text = jpeg.avif_paragraphs()
        rows = jpeg.avif_flat_table()
    assert "cannot write AVIF" in text["drift"] and text["cause"] == ""
    assert rows == [{"colour": "AVIF is not available in this installation of Pillow"}]


def test_avif_paragraphs_without_libavifs_conversion():
    full = jpeg.avif_cast()
    if not full:
        pytest.skip("this Pillow cannot write AVIF")
    conversion_free = dict(full)
    conversion_free["conversion"] = {}
    conversion_free["flat"] = [
        {k: v for k, v in r.items() if not k.startswith(("conversion", "exact"))}
        for r in full["flat"]
    ]
    with mock.patch.object(jpeg, "avif_cast", lambda: conversion_free):
        text = jpeg.avif_paragraphs()
    assert "could not be found" in text["cause"]
    assert "fast path" not in text["cause"].split("could not")[1]
    # with it: the full story, numbers and all
    story = jpeg.avif_paragraphs()
    assert "pixel for pixel" in story["cause"] and "green cast" in story["drift"]


def test_libavif_is_looked_for_where_pillow_keeps_it():
    found = colour.libavif_candidates()
    assert all("avif" in Path(p).name for p in found)
    if colour.libavif_available():
        assert found
    # no AVIF in Pillow: nothing to look for, and the conversion is reported missing
    real_import = __import__

    def no_avif(name, *args, **kwargs):
        if name == "PIL" and args and args[2] and "_avif" in args[2]:
            raise ImportError("no AVIF")
        return real_import(name, *args, **kwargs)

    with mock.patch("builtins.__import__", no_avif):
        assert colour.libavif_candidates() == []
    colour._libavif.cache_clear()
    try:
        with mock.patch.object(colour, "libavif_candidates", lambda: []):
            assert not colour.libavif_available()
        with mock.patch.object(colour, "libavif_candidates", lambda: ["/no/such/libavif.so"]):
            colour._libavif.cache_clear()
            assert not colour.libavif_available()
    finally:
        colour._libavif.cache_clear()
