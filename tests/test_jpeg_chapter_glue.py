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


# A number the prose quotes as a bound: after these words it must not be rounded the wrong
# way ("at least 3%" of 2.58% is false), so the page quotes it rounded the safe way
# (``_floor``/``_ceil``, :func:`lossylib.claims.jpeg.page_bounds`) unless the format cannot
# round it at all (a constant such as 15 degrees).
BOUND = re.compile(
    r"\b(at\s+least|at\s+most|no\s+more\s+than|more\s+than|fewer\s+than|less\s+than|"
    r"at\s+or\s+below|at\s+or\s+above|never\s+below|never\s+above|within)\s+"
    r"\{glue:text\}`([^`:]+)(?::([^`]*))?`",
    re.IGNORECASE,
)


def _number(text: str) -> float:
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


def _step(spec: str) -> float:
    """The grid a format spec such as ".1f" or ".0%" rounds to."""
    places = int(spec.rsplit(".", 1)[1][:-1])
    return 10.0 ** -(places + (2 if spec.endswith("%") else 0))


def _unrounded(value, fmt: str) -> bool:
    """Whether ``fmt`` shows ``value`` exactly, so no rounding direction can matter."""
    try:
        return claims.at_least(value, fmt) == claims.at_most(value, fmt)
    except ValueError:  # a format at_least does not take (":g"): shown as it is?
        return _number(format(value, fmt)) == value


#: Thresholds the prose defines a rule by, not bounds on what was measured: the nearest
#: rounding describes them best (the t test's critical value, 1.998, reads "2.00").
THRESHOLDS = {"c4_jpeg_jitter_t_critical"}


def test_bounds_in_the_prose_are_rounded_the_safe_way(glued):
    quoted = BOUND.findall(CHAPTER.read_text(encoding="utf-8"))
    keys = {key for _, key, _ in quoted}
    assert {"c5_smallest_size_growth_floor", "c4_jpeg_jitter_largest_shrink_ceil"} <= keys
    rounded = [
        f"{' '.join(words.split())} {key}:{fmt} = {glued[key]}"
        for words, key, fmt in quoted
        if fmt
        and key not in THRESHOLDS
        and isinstance(glued[key], float)
        and not _unrounded(glued[key], fmt)
    ]
    assert not rounded, f"bounds rounded to nearest (quote _floor or _ceil): {rounded}"
    for key, spec in jpeg.PAGE_LOWER_BOUNDS.items():
        shown, true = glued[f"{key}_floor"], glued[key]
        assert true - _step(spec) < _number(shown) <= true + 1e-12, (key, shown, true)
    for key, spec in jpeg.PAGE_UPPER_BOUNDS.items():
        shown, true = glued[f"{key}_ceil"], glued[key]
        assert true - 1e-12 <= _number(shown) < true + _step(spec), (key, shown, true)


def test_every_bound_the_module_rounds_is_quoted():
    text = CHAPTER.read_text(encoding="utf-8")
    for key in jpeg.PAGE_LOWER_BOUNDS:
        assert f"`{key}_floor`" in text, key
    for key in jpeg.PAGE_UPPER_BOUNDS:
        assert f"`{key}_ceil`" in text, key


def test_claim_5s_smallest_growth_reads_as_a_floor(glued):
    """The smallest growth of a re-saved file is 2.58%: "at least 2.5%", never "3%" (nor
    "2%" beside the key findings' "2.5%": one number, shown one way)."""
    true = glued["c5_smallest_size_growth"]
    assert 0.02 < true < 0.03
    assert format(true, ".0%") == "3%"  # what the page once said
    assert glued["c5_smallest_size_growth_floor"] == "2.5%"
    shown = claims.at_least(true, ".1%")
    assert f"(by at least {shown})" in claims.get(5).check().summary
    assert shown == glued["c5_smallest_size_growth_floor"]
    # the most error any re-save removed (3.53%): the key findings' bound and the page's
    # number agree to the digit they both show, as the table does ("at most 3.6%" beside
    # "3.5%" was two numbers for one)
    most = glued["c5_most_error_removed"]
    assert f"at most {claims.at_most(most, '.2%')} (" in claims.get(5).check().summary
    assert claims.at_most(most, ".2%") == format(most, ".2%")
    assert any(r["most error removed"] == format(most, "+.2%") for r in jpeg.resave_grid_table())


def test_the_page_states_each_finding_once(glued):
    """The key findings box gives each claim's summary; bullets under it repeated it, and a
    claims table at the end repeated it a third time."""
    text = CHAPTER.read_text(encoding="utf-8")
    findings = text.split("## Key findings", 1)[1].split("```{admonition}", 1)[0]
    assert "claims.findings([1, 2, 3, 4, 5])" in findings
    assert "- **Claim" not in findings
    assert "claims.table(" not in text
    # the long grid of colour edges is folded, its summary shown
    grid = text.index("experiment.colour_grid_table()")
    assert ":tags: [hide-output]" in text[text.rindex("```{code-cell}", 0, grid) : grid]
    assert "experiment.colour_grid_summary()" in text


def test_what_the_prose_says_of_the_glued_numbers(glued):
    """Sentences whose words depend on the numbers: quality 90 "falls short" of claim 1's
    line, claim 2's verdict turns if the reds beside amber count, claim 4 "sits on a tie"
    that one fewer shrinking run at the same settings would turn, and claim 5 turns at a
    lower line."""
    text = " ".join(CHAPTER.read_text(encoding="utf-8").split())
    assert "quality 90 falls short of that line" in text
    assert 0 < glued["c1q_short_q90"] and glued["c1q_latest_q90"] is not None
    assert "90" not in glued["c1_qualities_losing_at_same_settings"]
    assert glued["c2w_verdict"] != glued["v_c2"]
    assert "it sits on a tie" in text
    assert glued["c4_jpeg_same_runs_that_shrank"] == glued["c4_jpeg_same_runs_for_most"]
    assert glued["c4s_verdict"] != glued["v_c4"]
    assert glued["c4_jpeg_shift_runs_that_grew"] == glued["c4_jpeg_shift_runs"]  # "every file"
    assert glued["c5l_turn_verdict"] != glued["v_c5"]
