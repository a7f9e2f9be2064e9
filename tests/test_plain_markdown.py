"""lossylib.plain_markdown: MyST roles and directives become plain Markdown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lossylib.plain_markdown import (
    Page,
    format_glue,
    leftovers,
    plain_markdown,
    read_bibliography,
    scan_page,
    term_anchor,
)

BIB = """\
@article{smith2020a,
  author = {Smith, Ann and Jones, Bob and Lee, Cy},
  title = {A {JPEG} study},
  journal = {Journal of Tests},
  volume = {12},
  number = {3},
  pages = {45--67},
  note = {A note.},
  year = {2020},
  doi = {10.1/xyz}
}
@misc{doe2021,
  author = {Doe, Jane},
  title = {Notes},
  howpublished = {A newsletter},
  year = {2021}
}
@article{walt2014,
  author = {van der Walt, St{\\'e}fan and Sch{\\"o}nberger, Johannes and Boulogne, Fran{\\c{c}}ois},
  title = {Image processing in {P}ython},
  journal = {PeerJ},
  year = {2014}
}
@misc{acme2019,
  author = {{Acme Institute}},
  title = {Tables},
  year = {2019}
}
@misc{anon2026,
  title = {If {AI} models improve themselves},
  howpublished = {Online article},
  year = {2026}
}
"""


@pytest.fixture
def pg(tmp_path: Path) -> Page:
    (tmp_path / "refs.bib").write_text(BIB)
    return Page(
        glue={"c_ratio": "0.25", "c_n": "1200", "c_name": "'astronaut'"},
        bib=read_bibliography(tmp_path / "refs.bib"),
        titles={"chapters/a": "Chapter A", "chapters/b": "Chapter B", "intro": "Intro"},
        docname="chapters/a",
        label="chapters/a.md",
    )


def test_glue_roles_become_the_formatted_values(pg: Page) -> None:
    text = "R {glue:text}`c_ratio:.0%`, n {glue:text}`c_n:,d`, {glue:text}`c_name` {glue}`c_n`."
    assert plain_markdown(text, pg) == "R 25%, n 1,200, astronaut 1200."


def test_unknown_glue_key_is_an_error(pg: Page) -> None:
    with pytest.raises(ValueError, match="no glued value 'c_missing'"):
        plain_markdown("{glue:text}`c_missing:.1f`", pg)


@given(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([".2f", ".1%", ".3g"]))
def test_format_glue_matches_python_formatting(x: float, spec: str) -> None:
    assert format_glue(repr(x), spec) == format(x, spec)


def test_citations_read_as_author_year_and_the_bibliography_lists_them(pg: Page) -> None:
    scan_page(["```{bibliography}\n:filter: docname in docnames\n:keyprefix: a-\n```"], pg)
    text = plain_markdown("As shown {cite}`a-smith2020a,a-doe2021`; {cite:t}`a-doe2021` too.", pg)
    assert text == "As shown (Smith et al., 2020; Doe, 2021); Doe (2021) too."
    refs = plain_markdown("## References\n\n```{bibliography}\n:keyprefix: a-\n```", pg)
    assert refs.splitlines()[2:] == [  # sorted by author, as the book's list is
        "- Doe, Jane (2021). *Notes*. A newsletter.",
        "- Smith, Ann, Jones, Bob and Lee, Cy (2020). *A JPEG study*. Journal of Tests, "
        "12(3):45–67. A note. <https://doi.org/10.1/xyz>",
    ]


def test_accents_are_decoded_and_a_work_without_author_goes_by_its_title(pg: Page) -> None:
    text = plain_markdown("See {cite}`walt2014` and {cite}`anon2026`.", pg)
    assert text == "See (van der Walt et al., 2014) and (If AI models improve themselves, 2026)."
    scan_page(["{cite}`walt2014` {cite}`anon2026`"], pg)
    refs = plain_markdown("```{bibliography}\n```", pg).splitlines()
    assert (
        "- van der Walt, Stéfan, Schönberger, Johannes and Boulogne, François (2014). "
        "*Image processing in Python*. PeerJ." in refs
    )
    assert "- *If AI models improve themselves* (2026). Online article." in refs


def test_reference_lists_are_sorted_as_the_books_are(pg: Page) -> None:
    """pybtex's author-year-title order: no author first; a braced name sorts after z."""
    plain_markdown("{cite}`walt2014,acme2019,smith2020a,anon2026,doe2021`", pg)
    refs = plain_markdown("```{bibliography}\n```", pg).splitlines()
    firsts = [line[2:12] for line in refs]
    assert firsts == ["*If AI mod", "Doe, Jane ", "Smith, Ann", "van der Wa", "Acme Insti"]


def test_the_books_bibliography_reads_as_plain_text() -> None:
    """No LaTeX markup (braces, commands, accents as quote marks) and no BibTeX key as author."""
    bib = read_bibliography(Path(__file__).resolve().parents[1] / "references.bib")
    assert len(bib) > 10
    for key, entry in bib.items():
        text = entry["entry"] + " " + " ".join(entry["authors"])
        assert not re.search(r"[{}\\]|[A-Za-z]\"[a-z]|[A-Za-z]'[aeiou]", text), (key, text)
        assert key not in text, (key, text)
        assert not re.search(r"[?!.]\*?\.", entry["entry"]), (key, entry["entry"])  # "?*." ".."


def test_unknown_citation_is_an_error(pg: Page) -> None:
    with pytest.raises(ValueError, match="cites 'nobody1999'"):
        plain_markdown("{cite}`nobody1999`", pg)


def test_doc_links_point_at_the_other_notebook(pg: Page) -> None:
    assert plain_markdown("{doc}`b`", pg) == "[Chapter B](b.ipynb)"
    assert plain_markdown("{doc}`the start <../intro>`", pg) == "[the start](../intro.ipynb)"
    with pytest.raises(ValueError, match="not a page"):
        plain_markdown("{doc}`nowhere`", pg)


def test_exercises_are_numbered_sections_with_their_solutions(pg: Page) -> None:
    cells = [
        "## Exercises\n\n```{exercise}\n:label: a-ex-1\nFirst.\n```",
        "```{exercise} A title\n:label: a-ex-2\nSecond, see {ref}`a-ex-1`.\n```",
        "```{solution-start} a-ex-2\n:class: dropdown\n```\nBecause.",
        "```{solution-end}\n```",
    ]
    scan_page(cells, pg)
    out = [plain_markdown(c, pg) for c in cells]
    assert out == [
        '## Exercises\n\n<a id="a-ex-1"></a>\n### Exercise 1\n\nFirst.',
        '<a id="a-ex-2"></a>\n### Exercise 2: A title\n\nSecond, see [Exercise 1](#a-ex-1).',
        "#### Solution to Exercise 2\nBecause.",
        "",
    ]


def test_admonitions_labels_comments_and_code_blocks(pg: Page) -> None:
    text = (
        "(sec-x)=\n## X\n% a comment\n:::{note}\nMind {math}`x^2`.\n:::\n"
        "```python\nrole = '{doc}`left alone in code`'\n```"
    )
    out = plain_markdown(text, pg)
    assert out == (
        '<a id="sec-x"></a>\n## X\n> **Note**\n>\n> Mind $x^2$.\n'
        "```python\nrole = '{doc}`left alone in code`'\n```"
    )


def test_book_only_directives_become_a_sentence(pg: Page) -> None:
    out = plain_markdown("```{nb-exec-table}\n```", pg)
    assert out and leftovers(out) == []


def test_leftovers_finds_roles_fences_and_targets() -> None:
    assert leftovers("{glue:text}`x`\n```{exercise}\n```\n(lab)=\n") == [
        "{glue:text}`x`",
        "```{",
        "(lab)=",
    ]


def test_markup_quoted_in_inline_code_is_left_alone(pg: Page) -> None:
    text = "Use the `{solution}` directive, or ``{doc}`x` `` roles; see {doc}`b`."
    out = plain_markdown(text, pg)
    assert (
        out == "Use the `{solution}` directive, or ``{doc}`x` `` roles; see [Chapter B](b.ipynb)."
    )
    assert leftovers(out) == []


def test_a_glossary_becomes_one_paragraph_per_entry_in_order(pg: Page) -> None:
    text = (
        "```{glossary}\n:sorted:\n\nzeta\nlast letter\n  The end, see {doc}`b`.\n"
        "  Second line.\n\nAlpha\n  First, with $x^2$.\n```"
    )
    out = plain_markdown(text, pg)
    assert out == (
        '<a id="term-Alpha"></a>**Alpha**: First, with $x^2$.\n\n'
        '<a id="term-zeta"></a><a id="term-last-letter"></a>**zeta**, **last letter**: '
        "The end, see [Chapter B](b.ipynb). Second line."
    )
    assert leftovers(out) == []


def test_term_roles_link_to_the_entry_in_the_glossary(pg: Page) -> None:
    text = "A {term}`PSNR` and two {term}`fixed points <Fixed point>`."
    assert plain_markdown(text, pg) == "A PSNR and two fixed points."  # no glossary known
    # Sphinx keeps the glossary's capitals in the id, and matches a term in any case
    scan_page(["```{glossary}\n:sorted:\n\nPSNR\nfixed point\n  Terms.\n```"], pg)
    pg.glossary = "chapters/b"  # (the glossary is on another page)
    assert plain_markdown(text, pg) == (
        "A [PSNR](b.ipynb#term-PSNR) and two [fixed points](b.ipynb#term-fixed-point)."
    )
    pg.glossary = pg.docname  # on the glossary's own page: the anchor on the page
    assert plain_markdown("{term}`psnr`", pg) == "[psnr](#term-PSNR)"


def test_term_anchors_are_the_ids_sphinx_gives_the_books_terms() -> None:
    """The glossary copy's anchors carry the ids of the book's glossary entries
    (``term-`` and the term, through Sphinx's ``make_id``), so that a link written for
    one finds the other."""
    from sphinx.util.nodes import _make_id as make_id

    book = Path(__file__).resolve().parents[1]
    text = (book / "chapters" / "glossary.md").read_text(encoding="utf-8")
    body = text.split("```{glossary}", 1)[1].split("\n```", 1)[0]
    terms = [line.strip() for line in body.splitlines()[1:] if line and not line[0].isspace()]
    terms = [t for t in terms if not t.startswith(":")]
    assert len(terms) > 40
    assert [term_anchor(t) for t in terms] == [make_id(f"term-{t}") for t in terms]
    assert len({term_anchor(t) for t in terms}) == len(terms), "two terms share an anchor"


def test_references_link_to_anchors_here_and_in_other_notebooks(pg: Page) -> None:
    """A section's label becomes an anchor; a {ref} links to it, on this page or another;
    a page without a copy (linked on the repository) gets no anchor it lacks."""
    cells = ["(a-sec)=\n## A section\n\n(a-para)=\nA paragraph.", "See {ref}`a-sec`."]
    scan_page(cells, pg)
    assert plain_markdown(cells[0], pg) == (
        '<a id="a-sec"></a>\n## A section\n\n<a id="a-para"></a>\nA paragraph.'
    )
    assert plain_markdown(cells[1], pg) == "See [“A section”](#a-sec)."
    assert plain_markdown("{ref}`this paragraph <a-para>`", pg) == "[this paragraph](#a-para)"
    assert plain_markdown("{ref}`some text <nowhere>`", pg) == "some text"
    pg.section_titles["b-sec"] = "B's section"
    pg.label_pages.update({"b-sec": "chapters/b", "t-sec": "chapters/t", "a-sec": "chapters/a"})
    pg.section_titles["t-sec"] = "Teachers"
    pg.links["chapters/t"] = "https://example.org/t.md"
    assert plain_markdown("{ref}`b-sec`, {ref}`a-sec`", pg) == (
        "[“B's section”](b.ipynb#b-sec), [“A section”](#a-sec)"
    )
    assert plain_markdown("{ref}`t-sec`", pg) == "[“Teachers”](https://example.org/t.md)"


def test_citation_roles_follow_the_books_author_year_style(pg: Page) -> None:
    """The roles a sentence that names the authors uses: the year alone, or with them."""
    text = (
        "{cite:t}`smith2020a` and {cite:ts}`smith2020a`; Doe's notes {cite:yearpar}`doe2021`,"
        " in {cite:year}`doe2021`; {cite:ct}`walt2014`, {cite:author}`doe2021`"
        " {cite:authorpar}`doe2021` {cite:p}`doe2021`."
    )
    assert plain_markdown(text, pg) == (
        "Smith et al. (2020) and Smith, Jones and Lee (2020); Doe's notes (2021), in 2021;"
        " Van der Walt et al. (2014), Doe (Doe) (Doe, 2021)."
    )
    assert pg.cited == ["smith2020a", "doe2021", "walt2014"]
