"""Glossary links in text the claims write themselves (the front page's scoreboard).

A chapter's prose links a term to the Glossary with ``{term}``; a verdict's summary is
built from numbers, as plain text, and reaches the page as HTML. :func:`link_terms`
gives that HTML the same links: the first use of each glossary term, once for the whole
table, so that a reader meets a link where a word first needs one and not in every row.

The terms are read from the book's Glossary page (:func:`glossary_terms`); where the
package runs without the book beside it (a notebook copy on Colab), there is no page to
link to and the text stays as it is.

Examples
--------
>>> seen = set()
>>> link_terms("A fixed point; another fixed point.", {"fixed point": "g.html#t"}, seen)
'A <a class="lossy-term" href="g.html#t">fixed point</a>; another fixed point.'
>>> link_terms("Then a fixed point.", {"fixed point": "g.html#t"}, seen)
'Then a fixed point.'
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path

#: The Glossary page of the book this package is part of (absent in an installed copy).
GLOSSARY = Path(__file__).resolve().parents[2] / "chapters" / "glossary.md"


@functools.cache
def glossary_terms(path: Path = GLOSSARY) -> tuple[str, ...]:
    """Every term the Glossary defines, as it spells them (synonyms included), longest
    first so that "S-curve" is tried before a shorter term inside it; none if the page
    is not there.

    Examples
    --------
    >>> "fixed point" in glossary_terms()
    True
    >>> glossary_terms(Path("no/such/glossary.md"))
    ()
    """
    from lossylib.plain_markdown import Page, scan_page

    if not path.is_file():
        return ()
    # the notebook copies' reader of the page (its {glossary} directive, synonyms too)
    terms = scan_page([path.read_text(encoding="utf-8")], Page()).terms.values()
    return tuple(sorted(terms, key=lambda t: (-len(t), t)))


def term_hrefs(base: str = "", path: Path = GLOSSARY) -> dict[str, str]:
    """Each glossary term -> the link to its entry, relative to a page at ``base``."""
    from lossylib.claims import page_href
    from lossylib.plain_markdown import term_anchor

    return {t: page_href("chapters/glossary", base, term_anchor(t)) for t in glossary_terms(path)}


def link_terms(text: str, hrefs: dict[str, str], seen: set[str]) -> str:
    """``text`` as HTML (escaped), with the first use of each term of ``hrefs`` not yet
    in ``seen`` linked to its entry; the terms linked are added to ``seen``. A term
    matches as a whole word (or with a plural "s"), whatever its case where the Glossary
    writes it in lower case ("Fixed points" starts a sentence), exactly where it has
    capitals ("PSNR").
    """
    escaped = html.escape(text)
    spans: list[tuple[int, int, str]] = []  # (start, end, term), not overlapping
    for term in hrefs:
        if term in seen:
            continue
        flags = re.IGNORECASE if term == term.lower() else 0
        plural = "s?" if term == term.lower() else ""  # "fixed points" too
        pattern = rf"(?<![\w-]){re.escape(html.escape(term))}{plural}(?![\w-])"
        for m in re.finditer(pattern, escaped, flags):
            if all(m.end() <= s or m.start() >= e for s, e, _ in spans):
                spans.append((m.start(), m.end(), term))
                seen.add(term)
                break
    out, last = [], 0
    for start, end, term in sorted(spans):
        href = html.escape(hrefs[term], quote=True)
        out += [escaped[last:start], f'<a class="lossy-term" href="{href}">', escaped[start:end]]
        out.append("</a>")
        last = end
    return "".join(out) + escaped[last:]
