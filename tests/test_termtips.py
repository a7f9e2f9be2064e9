"""Links to glossary terms carry the definition's first sentence as their title
(``lossylib.termtips``), checked on a small Sphinx project built here."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.cmd.build import build_main

from lossylib.termtips import first_sentence, plain_math

INDEX = """\
Index
=====

A page that uses :term:`PSNR`, :term:`fixed points <fixed point>` and
:term:`Model collapse`, :term:`returns`, a plain :doc:`other` link and an
`external <https://example.org>`_ one.

.. toctree::

   other
   glossary
"""

GLOSSARY = """\
Glossary
========

.. glossary::

   PSNR
   peak signal-to-noise ratio
      How close a copy is to the original, in decibels. Higher is closer.
      See :doc:`other`.

   fixed point
      The generation after which saving again changes no byte. Nothing moves after it.

   model collapse
      What Shumailov et al. named the loss of a distribution's tails. It is old.

   returns
      In :math:`\\dot A = \\delta S^\\lambda A^\\phi`, :math:`\\phi` measures them.
      See :doc:`other`.
"""

OTHER = """\
Other
=====

Uses :term:`peak signal-to-noise ratio` once.
"""


def _build(tmp_path: Path, *, extension: bool = True) -> Path:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    extensions = '["lossylib.termtips"]' if extension else "[]"
    (src / "conf.py").write_text(f"extensions = {extensions}\n", encoding="utf-8")
    for name, text in {"index": INDEX, "glossary": GLOSSARY, "other": OTHER}.items():
        (src / f"{name}.rst").write_text(text, encoding="utf-8")
    status = build_main(["-q", "-W", "-b", "html", str(src), str(out)])
    assert status == 0
    return out


def _term_links(page: Path) -> dict[str, str | None]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return {
        a.get_text(): a.get("title")
        for a in soup.select("a.reference")
        if a.select_one(".std-term")
    }


def test_term_links_show_the_definitions_first_sentence(tmp_path) -> None:
    out = _build(tmp_path)
    assert _term_links(out / "index.html") == {
        "PSNR": "How close a copy is to the original, in decibels.",
        "fixed points": "The generation after which saving again changes no byte.",
        "Model collapse": "What Shumailov et al. named the loss of a distribution’s tails.",
        "returns": "In Ȧ = δ S^λ A^φ, φ measures them.",
    }
    # a second name of the same entry gets the same definition
    assert _term_links(out / "other.html") == {
        "peak signal-to-noise ratio": "How close a copy is to the original, in decibels."
    }


def test_other_links_get_no_title(tmp_path) -> None:
    out = _build(tmp_path)
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    doc_link = soup.select_one('a[href="other.html"]')
    assert doc_link is not None and doc_link.get("title") is None


def test_without_the_extension_term_links_have_no_title(tmp_path) -> None:
    """The check above can fail: Sphinx alone gives term links no title."""
    out = _build(tmp_path, extension=False)
    assert set(_term_links(out / "index.html").values()) == {None}


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"\mathrm{PSNR} = 10 \log_{10}(255^2 / \mathrm{MSE})", "PSNR = 10 log₁₀(255² / MSE)"),
        (r"p_i \propto 1/i^s", "pᵢ ∝ 1/iˢ"),
        (r"1/(1 - \text{share})", "1/(1 - share)"),
        (r"\sqrt{n}", "√n"),
        (r"v(t) = K / (1 + e^{-r (t - t_0)})", "v(t) = K / (1 + e^(-r (t - t₀)))"),
        (r"\Delta E \times \rho", "Δ E × ρ"),
        (r"\unknown{x}", "unknownx"),
    ],
)
def test_plain_math(tex, text) -> None:
    assert plain_math(tex) == text


@pytest.mark.parametrize(
    ("text", "tip"),
    [
        ("One. Two.", "One."),
        ("Ends without a stop", "Ends without a stop"),
        ("Cut e.g. here? No. Later.", "Cut e.g. here?"),
        ("Values (e.g. 0.5) stay. Next.", "Values (e.g. 0.5) stay."),
        ("Two\nlines. Next.", "Two lines."),
        ("x" * 500, "x" * 399 + "…"),
    ],
)
def test_first_sentence(text, tip) -> None:
    assert first_sentence(text) == tip
