"""The glossary appendix, and the ``{term}`` links the pages make to it.

The glossary (``chapters/glossary.md``) is one Sphinx ``{glossary}`` directive: term lines
at the margin (several may share one definition, as synonyms), the definition indented
below them. The checks, each a function tested on a deliberately broken copy below:

- every entry has a term and a definition, no term is defined twice (Sphinx matches terms
  case-insensitively), and the entries are sorted or ``:sorted:`` is set;
- every definition links to where the book explains the term (``{doc}`` or ``{ref}``),
  and every such target exists;
- every entry is linked from some page with ``{term}`` (no dead entries), every
  ``{term}`` names a glossary term, and no page links the same entry twice;
- ``{term}`` links sit in prose only: not in code cells, headings, exercises or solutions,
  directive lines (admonition titles) or link texts;
- definitions contain no digits outside math: the glossary is not executed, so an
  experiment's number in it could never be glued and would go stale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import BOOK, book_pages

from lossylib.plain_markdown import FENCE, ROLE

GLOSSARY = BOOK / "chapters" / "glossary.md"

#: Digits allowed in definitions outside math, each the name of a thing rather than a
#: measured number: the chroma subsampling schemes are called 4:2:0 and 4:4:4.
DIGITS_ALLOWED = ("4:2:0", "4:4:4")

#: Directives whose body is prose a reader sees as text (other than code cells).
PROSE_DIRECTIVES = {
    "admonition", "note", "tip", "hint", "important", "warning", "caution", "attention",
    "danger", "error", "seealso", "dropdown", "topic", "sidebar", "margin", "glossary",
}  # fmt: skip


@dataclass
class Entry:
    terms: list[str]
    definition: str
    line: int  # line of the first term in the page


@dataclass
class Glossary:
    entries: list[Entry] = field(default_factory=list)
    sorted_option: bool = False


def parse_glossary(text: str) -> Glossary:
    """The entries of the page's ``{glossary}`` directive, read the way Sphinx reads them:
    an unindented line is a term, an indented line belongs to the definition, and a blank
    line ends an entry's definition."""
    lines = text.split("\n")
    opening = [(i, m) for i, line in enumerate(lines) if (m := FENCE.match(line))]
    start, fence = next(((i, m["fence"]) for i, m in opening if m["name"] == "glossary"), (-1, ""))
    if start < 0:
        raise ValueError("no {glossary} directive")
    glossary = Glossary()
    i = start + 1
    while i < len(lines) and (m := re.match(r"^:([\w-]+):", lines[i])):
        glossary.sorted_option |= m[1] == "sorted"
        i += 1
    body: list[str] = []
    in_definition = True
    for j in range(i, len(lines)):
        line = lines[j]
        if line.strip() == fence:
            break
        if not line.strip():
            if body:
                body.append("")
            continue
        if not line[0].isspace():
            if in_definition:
                glossary.entries.append(Entry([line.strip()], "", j + 1))
                in_definition = False
            else:
                glossary.entries[-1].terms.append(line.strip())
        else:
            in_definition = True
            if glossary.entries:
                entry = glossary.entries[-1]
                entry.definition = (entry.definition + " " + line.strip()).strip()
    else:
        raise ValueError("the {glossary} directive is not closed")
    return glossary


def entry_problems(glossary: Glossary) -> list[str]:
    """Entries without a term or a definition, terms defined twice, and an unsorted list
    without ``:sorted:``."""
    problems, seen = [], {}
    for entry in glossary.entries:
        if not all(t.strip() for t in entry.terms):
            problems.append(f"line {entry.line}: an empty term")
        if not entry.definition:
            problems.append(f"line {entry.line}: {entry.terms[0]!r} has no definition")
        for term in entry.terms:
            key = term.casefold()
            if key in seen:
                problems.append(f"line {entry.line}: {term!r} is defined twice")
            seen[key] = entry.line
    firsts = [e.terms[0].casefold() for e in glossary.entries]
    if not glossary.sorted_option and firsts != sorted(firsts):
        problems.append("the entries are not sorted and the glossary has no :sorted:")
    return problems


def split_target(content: str) -> tuple[str, str]:
    """(text, target) of a role's content: ``text <target>`` or just ``target``."""
    m = re.fullmatch(r"\s*(.*?)\s*<([^<>]+)>\s*", content, re.S)
    return (m[1], m[2].strip()) if m and m[1] else (content.strip(), content.strip())


def resolve_doc(target: str, page: str) -> str:
    """The docname a ``{doc}`` target on ``page`` points at (relative, or from the root
    with a leading ``/``)."""
    target = target.removesuffix(".md")
    if target.startswith("/"):
        return target.lstrip("/")
    parts = [*Path(page).parent.parts, *target.split("/")]
    out: list[str] = []
    for part in parts:
        if part == "..":
            out = out[:-1]
        elif part not in ("", "."):
            out.append(part)
    return "/".join(out)


def link_problems(glossary: Glossary, page: str, docs: set[str], labels: set[str]) -> list[str]:
    """Definitions that link nowhere in the book, and links to pages or labels that do
    not exist."""
    problems = []
    for entry in glossary.entries:
        links = [
            (m["name"], split_target(m["content"])[1]) for m in ROLE.finditer(entry.definition)
        ]
        links = [(name, target) for name, target in links if name in ("doc", "ref")]
        if not links:
            problems.append(
                f"{entry.terms[0]!r}: the definition links to no page ({{doc}}/{{ref}})"
            )
        for name, target in links:
            if name == "doc" and resolve_doc(target, page) not in docs:
                problems.append(f"{entry.terms[0]!r}: {{doc}} {target!r} is not a page")
            if name == "ref" and target not in labels:
                problems.append(f"{entry.terms[0]!r}: {{ref}} {target!r} is no label")
    return problems


def prose_lines(text: str) -> dict[int, str]:
    """Line number -> line, for the lines of a MyST page a reader sees as prose: not the
    front matter, code cells or code blocks, directive lines and options, headings,
    targets, or the insides of exercises and solutions."""
    lines = text.split("\n")
    prose: dict[int, str] = {}
    i = 0
    if lines and lines[0] == "---":
        i = lines.index("---", 1) + 1
    stack: list[tuple[str, bool]] = []  # open directives: (fence, body is prose)
    in_solution = False
    while i < len(lines):
        line = lines[i]
        m = FENCE.match(line)
        if m:
            name = m["name"]
            in_solution = (in_solution or name == "solution-start") and name != "solution-end"
            stack.append((m["fence"], name in PROSE_DIRECTIVES and not in_solution))
            i += 1
            while i < len(lines) and re.match(r"^\s*:[\w-]+:", lines[i]):  # options
                i += 1
            continue
        if stack and line.strip() == stack[-1][0]:
            stack.pop()
        elif re.match(r"^\s*(`{3,}|~{3,})", line):  # a plain code block
            close = re.match(r"^\s*(`{3,}|~{3,})", line)[1]
            i += 1
            while i < len(lines) and lines[i].strip() != close:
                i += 1
        elif (
            line.strip()
            and all(prose for _, prose in stack)
            and not in_solution
            and not line.startswith("#")
            and not re.match(r"^\(\S+\)=\s*$", line)
        ):
            prose[i + 1] = line
        i += 1
    return prose


@dataclass
class TermLink:
    page: str
    line: int
    text: str
    target: str
    column: int = 0


def term_links(text: str, page: str) -> list[TermLink]:
    """Every ``{term}`` role written in a page, wherever it is."""
    links = []
    for n, line in enumerate(text.split("\n"), 1):
        for m in ROLE.finditer(line):
            if m["name"] == "term":
                links.append(TermLink(page, n, *split_target(m["content"]), m.start()))
    return links


def placement_problems(text: str, page: str) -> list[str]:
    """``{term}`` links outside prose, or inside a link's text."""
    prose = prose_lines(text)
    problems = []
    for link in term_links(text, page):
        where = f"{page}:{link.line}: {{term}} {link.target!r}"
        if link.line not in prose:
            problems.append(f"{where} is not in prose (code, heading, exercise, directive)")
        elif any(
            m.start() < link.column < m.end()
            for m in re.finditer(r"\[[^\]]*\]\(", prose[link.line])
        ):
            problems.append(f"{where} is inside a link's text")
    return problems


def usage_problems(glossary: Glossary, links: list[TermLink]) -> list[str]:
    """``{term}`` links to no glossary term, entries no page links to, and entries linked
    twice from one page (two synonyms of one entry count as the same entry)."""
    entry_of = {t.casefold(): i for i, e in enumerate(glossary.entries) for t in e.terms}
    problems, used, per_page = [], set(), {}
    for link in links:
        index = entry_of.get(link.target.casefold())
        if index is None:
            problems.append(f"{link.page}:{link.line}: {{term}} {link.target!r} is not defined")
            continue
        used.add(index)
        first = per_page.setdefault((link.page, index), link)
        if first is not link:
            problems.append(
                f"{link.page}:{link.line}: links {glossary.entries[index].terms[0]!r} again "
                f"(first on line {first.line})"
            )
    for i, entry in enumerate(glossary.entries):
        if i not in used:
            problems.append(f"{entry.terms[0]!r} is linked from no page")
    return problems


def stray_digits(definition: str, allowed: tuple[str, ...] = DIGITS_ALLOWED) -> list[str]:
    """Digits in a definition outside math, role targets and the allowed names."""
    text = re.sub(r"\$[^$]*\$", " ", definition)
    text = ROLE.sub(lambda m: split_target(m["content"])[0] if m["name"] == "term" else " ", text)
    for phrase in allowed:
        text = text.replace(phrase, " ")
    return re.findall(r"\S*\d\S*", text)


def labels_in(text: str) -> list[str]:
    """The explicit targets of a page: ``(label)=`` lines and ``:label:`` options."""
    return re.findall(r"^\((\S+)\)=\s*$", text, re.M) + re.findall(
        r"^\s*:label:\s*(\S+)", text, re.M
    )


# --- the book ----------------------------------------------------------------------------


def read(page: str) -> str:
    return (BOOK / f"{page}.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return parse_glossary(GLOSSARY.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return {page: read(page) for page in book_pages() if (BOOK / f"{page}.md").exists()}


def test_glossary_is_in_the_appendices_between_claims_and_teachers() -> None:
    order = book_pages()
    assert order.index("chapters/claims") + 1 == order.index("chapters/glossary")
    assert order.index("chapters/glossary") + 1 == order.index("chapters/for-teachers")


def test_glossary_is_a_plain_page_with_one_glossary(glossary: Glossary) -> None:
    text = GLOSSARY.read_text(encoding="utf-8")
    assert not text.startswith("---"), "the glossary has no front matter: it is not a notebook"
    assert "{code-cell}" not in text
    assert text.count("{glossary}") == 1
    assert re.search(r"^# Glossary$", text, re.M)
    # (a floor, against a directive cut short by a stray fence; no ceiling on new terms)
    assert len(glossary.entries) >= 25, f"only {len(glossary.entries)} entries"


def test_every_entry_has_a_term_and_a_definition_once(glossary: Glossary) -> None:
    assert entry_problems(glossary) == []


def test_every_definition_links_to_an_existing_place(
    glossary: Glossary, pages: dict[str, str]
) -> None:
    labels = {label for text in pages.values() for label in labels_in(text)}
    problems = link_problems(glossary, "chapters/glossary", set(pages), labels)
    assert problems == [], "\n".join(problems)


def test_labels_are_unique_in_the_book(pages: dict[str, str]) -> None:
    seen: dict[str, str] = {}
    twice = []
    for page, text in pages.items():
        for label in labels_in(text):
            if label in seen:
                twice.append(f"{label!r} in {seen[label]} and {page}")
            seen.setdefault(label, page)
    assert not twice, "labels defined twice: " + ", ".join(twice)


def test_definitions_carry_no_experiment_numbers(glossary: Glossary) -> None:
    found = {e.terms[0]: d for e in glossary.entries if (d := stray_digits(e.definition))}
    assert not found, f"digits outside math in definitions: {found}"


def test_terms_are_linked_from_the_pages_and_resolve(
    glossary: Glossary, pages: dict[str, str]
) -> None:
    links = [link for page, text in pages.items() for link in term_links(text, page)]
    problems = usage_problems(glossary, links)
    assert problems == [], "\n".join(problems)


def test_term_links_sit_in_prose(page: str) -> None:  # once per page (see conftest)
    problems = placement_problems(read(page), page)
    assert problems == [], "\n".join(problems)


def test_the_intro_points_readers_to_the_glossary(pages: dict[str, str]) -> None:
    intro = pages["intro"]
    section = intro.split("## How to read and run it", 1)[1].split("\n## ", 1)[0]
    assert "{doc}`chapters/glossary`" in section


# --- the checks themselves, on broken copies --------------------------------------------------

GOOD = """\
# Glossary

Intro.

```{glossary}
:sorted:

alpha
first letter
  The first. See {doc}`beta-page` and {ref}`sec-a`.

beta
  The second, with $x_2$ in math. See {doc}`/intro`.
```
"""


def test_parse_reads_synonyms_definitions_and_the_option() -> None:
    g = parse_glossary(GOOD)
    assert [e.terms for e in g.entries] == [["alpha", "first letter"], ["beta"]]
    assert g.entries[0].definition.startswith("The first. See")
    assert g.sorted_option and entry_problems(g) == []
    with pytest.raises(ValueError, match="no .glossary."):
        parse_glossary("# Nothing here\n")
    with pytest.raises(ValueError, match="not closed"):
        parse_glossary(GOOD.rsplit("```", 1)[0])


def test_entry_problems_catch_a_missing_definition_a_duplicate_and_disorder() -> None:
    assert entry_problems(parse_glossary(GOOD.replace("  The second, with", "\nThe second, with")))
    dup = parse_glossary(GOOD.replace("beta\n", "Alpha\n"))
    assert any("defined twice" in p for p in entry_problems(dup))
    unsorted = GOOD.replace(":sorted:\n", "").replace("alpha\n", "gamma\n")
    assert entry_problems(parse_glossary(unsorted)) == [
        "the entries are not sorted and the glossary has no :sorted:"
    ]
    resorted = unsorted.replace("```{glossary}", "```{glossary}\n:sorted:")
    assert entry_problems(parse_glossary(resorted)) == []


def test_link_problems_catch_an_unlinked_entry_and_missing_targets() -> None:
    docs, labels = {"chapters/beta-page", "intro"}, {"sec-a"}
    g = parse_glossary(GOOD)
    assert link_problems(g, "chapters/glossary", docs, labels) == []
    assert link_problems(g, "chapters/glossary", docs, set()) == [
        "'alpha': {ref} 'sec-a' is no label"
    ]
    assert link_problems(g, "chapters/glossary", {"intro"}, labels) == [
        "'alpha': {doc} 'beta-page' is not a page"
    ]
    bare = parse_glossary(GOOD.replace(" See {doc}`/intro`.", ""))
    assert link_problems(bare, "chapters/glossary", docs, labels) == [
        "'beta': the definition links to no page ({doc}/{ref})"
    ]


def test_resolve_doc_follows_relative_and_absolute_targets() -> None:
    assert resolve_doc("tail-loss", "chapters/glossary") == "chapters/tail-loss"
    assert resolve_doc("/intro", "chapters/glossary") == "intro"
    assert resolve_doc("../intro", "chapters/glossary") == "intro"
    assert resolve_doc("chapters/claims", "intro") == "chapters/claims"


PAGE = """\
---
kernelspec:
  name: python3
---

# A {term}`alpha` heading

Prose with {term}`alpha` and {term}`the letters <first letter>` and {term}`Beta`.

```{admonition} A {term}`beta` title
:class: tip
Body with {term}`beta`.
```

```{code-cell} ipython3
x = "{term}`alpha`"
```

```{exercise}
:label: ex-a
Uses {term}`alpha`.
```

```{solution-start} ex-a
```
Solution prose with {term}`alpha`.
```{solution-end}
```

See [a {term}`beta` link](https://example.org) and {term}`gamma`.
"""


def test_term_links_read_text_and_target() -> None:
    links = term_links(PAGE, "p")
    assert [(x.text, x.target) for x in links][1:4] == [
        ("alpha", "alpha"),
        ("the letters", "first letter"),
        ("Beta", "Beta"),
    ]


def test_placement_problems_find_terms_outside_prose() -> None:
    problems = placement_problems(PAGE, "p")
    lines = sorted(int(p.split(":")[1]) for p in problems)
    text = PAGE.split("\n")
    assert [text[n - 1][:12] for n in lines] == [
        "# A {term}`a",  # heading
        "```{admoniti",  # admonition title
        'x = "{term}`',  # code cell
        "Uses {term}`",  # exercise
        "Solution pro",  # solution
        "See [a {term",  # link text
    ]
    assert not placement_problems(PAGE.split("# A")[0] + "Fine {term}`alpha`.\n", "p")


def test_usage_problems_catch_unknown_dead_and_repeated_terms() -> None:
    g = parse_glossary(GOOD)
    links = term_links(PAGE, "p")
    problems = usage_problems(g, links)
    gamma = next(n for n, line in enumerate(PAGE.split("\n"), 1) if "gamma" in line)
    assert f"p:{gamma}: {{term}} 'gamma' is not defined" in problems
    assert any("links 'alpha' again" in p for p in problems)  # synonyms are one entry
    assert any("links 'beta' again" in p for p in problems)  # case-insensitive, like Sphinx
    once = [TermLink("p", 1, "alpha", "alpha"), TermLink("q", 1, "Beta", "BETA")]
    assert usage_problems(g, once) == []
    assert usage_problems(g, once[:1]) == ["'beta' is linked from no page"]


def test_stray_digits_allow_math_links_and_named_schemes() -> None:
    assert stray_digits("Error $10\\log_{10} x$; see {ref}`sec-2` and 4:2:0.") == []
    assert stray_digits("It kept 13% of its variance.") == ["13%"]
    assert stray_digits("After 100 generations, 4:4:4 kept {term}`2 tokens <token>`.") == [
        "100",
        "2",
    ]
