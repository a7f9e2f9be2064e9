"""Turn the book's MyST Markdown into plain Markdown that reads well in any notebook viewer.

Jupyter and Colab render CommonMark, not MyST: a role such as ``{glue:text}`key``` or a
directive such as ```` ```{exercise} ```` would show as raw markup. :func:`plain_markdown`
rewrites one markdown cell's text for the ``.ipynb`` copies (``lossylib.notebooks``):

- ``{glue:text}`key:fmt``` (and ``{glue}``) becomes the value the book computed, formatted
  as MyST-NB formats it (the values come from the executed book, see :class:`Page`);
- ``{cite}`` becomes "(Author, Year)", ``{cite:t}`` "Author (Year)", ``{cite:year}`` "Year"
  and ``{cite:yearpar}`` "(Year)" (the book's author-year style, with round brackets); a
  ``{bibliography}`` becomes the list of the works the page cites;
- ``{doc}`` becomes a link to the other notebook, titled with its heading; ``{ref}`` and
  ``{numref}`` a link to the target's anchor, in this notebook (``#label``) or another
  (``other.ipynb#label``), reading as the section's heading in quotes, "Exercise N" or
  "Fig. N"; ``{term}`` a link to the term's anchor in the glossary's notebook
  (``glossary.ipynb#term-...``, the id Sphinx gives it); ``{math}`` becomes ``$...$``;
- ``(label)=`` targets become the anchors those links point at (``<a id="label"></a>``,
  which JupyterLab and Colab scroll to), and so do exercise labels;
- ``{exercise}`` becomes a "### Exercise N" section, ``{solution-start}`` a "#### Solution"
  heading (``{solution-end}`` goes), admonitions become quotes with a bold title, a
  ``{glossary}`` becomes one paragraph per entry (an anchor per term, the terms in bold,
  then the definition), and any other directive keeps its body; ``%`` comments go.

Examples
--------
>>> page = Page(glue={"x_n": "3.14159"}, label="ch")
>>> plain_markdown("Pi is {glue:text}`x_n:.2f`.", page)
'Pi is 3.14.'
>>> plain_markdown("```{exercise}\\n:label: ch-ex-a\\nAdd.\\n```", page)
'<a id="ch-ex-a"></a>\\n### Exercise 1\\n\\nAdd.'
"""

from __future__ import annotations

import codecs
import html
import posixpath
import re
import unicodedata
from ast import literal_eval
from dataclasses import dataclass, field
from pathlib import Path

#: A role: {name}`content`.
ROLE = re.compile(r"\{(?P<name>[A-Za-z][\w:-]*)\}`(?P<content>[^`\n]*)`")
#: A role, or an inline code span (whose text, e.g. `{doc}`, is literal and left alone).
ROLE_OR_CODE = re.compile(ROLE.pattern + r"|(?P<code>`+)[^`].*?(?P=code)", re.S)
#: An opening directive fence: ``` or ~~~ or ::: (three or more), then {name} and an argument.
FENCE = re.compile(
    r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,}|:{3,})\{(?P<name>[\w:-]+)\}\s*(?P<arg>.*)$"
)
#: What must not survive the conversion besides roles (the tests check every notebook).
LEFTOVER = (
    re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\{", re.M),
    re.compile(r"^\(\S+\)=[ \t]*$", re.M),
)

ADMONITIONS = {
    "admonition", "note", "tip", "hint", "important", "warning", "caution", "attention",
    "danger", "error", "seealso", "dropdown", "topic", "sidebar", "margin",
}  # fmt: skip
#: Directives that only make sense in the built book; replaced by a sentence.
BOOK_ONLY = {
    "nb-exec-table": "*The table of execution times is part of the built book.*",
    "tableofcontents": "",
    "toctree": "",
}


@dataclass
class Page:
    """What the conversion of one page needs to know.

    Attributes
    ----------
    glue : dict
        Glue key -> the ``text/plain`` value the executed book recorded.
    bib : dict
        Bibliography key -> ``{"authors": [last names], "year", "entry"}`` (see
        :func:`read_bibliography`).
    titles : dict
        Docname (e.g. ``chapters/tail-loss``) -> the page's title, for ``{doc}`` links.
    docname : str
        This page's docname, to resolve relative ``{doc}`` targets.
    label : str
        Used in error messages.
    exercises : dict
        Exercise label -> its number. The book numbers exercises through all its pages;
        :func:`scan_page` adds this page's, counting from ``first_exercise``.
    figures : dict
        Figure name -> its number in the book (``{numref}`` reads "Fig. N").
    first_figure : int
        The book's number of this page's first captioned figure.
    section_titles : dict
        Section label -> its heading (a ``{ref}`` reads as the quoted heading).
    label_pages : dict
        Label (section, exercise or figure) -> the docname of the page that defines it: a
        reference to another page links to that page's notebook.
    links : dict
        Docname -> URL, for pages that have no notebook copy (a ``{doc}`` link goes there).
    glossary : str
        The docname of the page holding the ``{glossary}``: a ``{term}`` links there.
    targets : set
        This page's ``(label)=`` targets (:func:`scan_page` collects them): a ``{ref}`` with
        its own text to one of them links to its anchor.
    terms : dict
        A glossary term in lower case -> the term as the glossary spells it, whose
        anchor a ``{term}`` link points at (:func:`scan_page` collects a glossary's).
    """

    glue: dict[str, str] = field(default_factory=dict)
    bib: dict[str, dict] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    docname: str = ""
    label: str = ""
    exercises: dict[str, int] = field(default_factory=dict)
    cited: list[str] = field(default_factory=list)
    keyprefix: str = ""
    section_titles: dict[str, str] = field(default_factory=dict)
    first_exercise: int = 1
    figures: dict[str, int] = field(default_factory=dict)
    first_figure: int = 1
    label_pages: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    glossary: str = ""
    local_exercises: list[str] = field(default_factory=list)
    unlabeled_exercises: list[int] = field(default_factory=list)
    targets: set[str] = field(default_factory=set)
    terms: dict[str, str] = field(default_factory=dict)


#: How the book (Sphinx's ``numfig_format``) names a numbered figure.
FIGURE_FORMAT = "Fig. {}"


def format_glue(text: str, fmt_spec: str) -> str:
    """Format a glued ``text/plain`` value the way MyST-NB's ``{glue:text}`` does.

    Examples
    --------
    >>> format_glue("0.12345", ".1%"), format_glue("'word'", ""), format_glue("7.0", ".0f")
    ('12.3%', 'word', '7')
    """
    try:
        value = literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if fmt_spec == "":
        return str(value)
    kind = fmt_spec[-1]
    if kind == "s":
        value = str(value)
    elif kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    return format(value, fmt_spec)


def _latex(text: str) -> str:
    """BibTeX field text as plain text: accents decoded, braces and other commands dropped.

    Examples
    --------
    >>> _latex(r"St{\\'e}fan Sch{\\"o}nberger, Fran{\\c{c}}ois: {AI} \\& pages 1--2")
    'Stéfan Schönberger, François: AI & pages 1–2'
    """
    import latexcodec  # noqa: F401 - registers the "ulatex" codec (a dependency of pybtex)

    try:
        text = codecs.decode(text, "ulatex")
    except (ValueError, TypeError):  # not valid LaTeX: strip the markup below
        text = text.replace("\\&", "&").replace("--", "–")
    text = re.sub(r"\\[a-zA-Z]+\s*", "", text)
    return text.replace("{", "").replace("}", "").strip()


def read_bibliography(path: Path) -> dict[str, dict]:
    """Every entry of a BibTeX file as ``{"authors": [...], "year", "entry": text, "sort"}``.

    ``entry`` is one readable line: "Authors (Year). *Title*. Venue, volume(number):pages.
    Note. DOI or URL", the parts the book's reference list shows; ``sort`` is the key that
    orders the book's lists (pybtex's author-year-title sorting: a work without authors first).
    """
    from pybtex.database import parse_file
    from pybtex.style.sorting.author_year_title import SortingStyle

    sorting = SortingStyle()  # the order of the book's lists (sphinxcontrib-bibtex's default)
    out = {}
    for key, entry in parse_file(str(path), bib_format="bibtex").entries.items():
        fields = entry.fields
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        lasts = [_latex(" ".join(p.prelast_names + p.last_names)) for p in people]
        full = [
            _latex(" ".join(p.prelast_names + p.last_names))
            + (", " + _latex(" ".join(p.first_names + p.middle_names)) if p.first_names else "")
            for p in people
        ]
        who = ", ".join(full[:-1]) + (" and " if len(full) > 1 else "") + (full[-1] if full else "")
        if not who:
            who = _latex(fields.get("organization", fields.get("publisher", "")))
            lasts = [who]
        title = _latex(fields.get("title", key))
        year = _latex(fields.get("year", "n.d."))
        venue = next(
            (
                _latex(fields[f])
                for f in ("journal", "booktitle", "howpublished", "publisher")
                if f in fields
            ),
            "",
        )
        if venue and "volume" in fields:
            venue += f", {_latex(fields['volume'])}"
            venue += f"({_latex(fields['number'])})" if "number" in fields else ""
            venue += f":{_latex(fields['pages'])}" if "pages" in fields else ""
        elif venue and "pages" in fields:
            venue += f", pages {_latex(fields['pages'])}"
        note = _latex(fields.get("note", ""))
        link = f"https://doi.org/{fields['doi']}" if "doi" in fields else fields.get("url", "")
        if who:
            parts = [f"{who} ({year}). *{title}*{_stop(title)}"]
        else:  # no author: the title takes its place, in the text too (as in the book)
            parts, lasts = [f"*{title}* ({year})."], [title]
        parts += [f"{venue}{_stop(venue)}"] if venue else []
        parts += [f"{note}{_stop(note)}"] if note else []
        parts += [f"<{link}>"] if link else []
        out[key] = {
            "authors": lasts,
            "year": year,
            "entry": " ".join(parts),
            "sort": sorting.sorting_key(entry),
        }
    return out


def _stop(text: str) -> str:
    """The full stop a reference's part needs ("" when it ends in one, or in ? or !)."""
    return "" if text.rstrip().endswith((".", "?", "!")) else "."


def _short(authors: list[str]) -> str:
    if len(authors) > 2:
        return f"{authors[0]} et al."
    return " and ".join(authors)


def _bib_key(key: str, page: Page) -> str:
    key = key.strip()
    if key in page.bib:
        return key
    if page.keyprefix and key.startswith(page.keyprefix) and key[len(page.keyprefix) :] in page.bib:
        return key[len(page.keyprefix) :]
    raise ValueError(f"{page.label}: cites {key!r}, which is not in the bibliography")


def _full(authors: list[str]) -> str:
    return ", ".join(authors[:-1]) + (" and " if len(authors) > 1 else "") + authors[-1]


def _cite(name: str, content: str, page: Page) -> str:
    """A citation role as the book's author-year style writes it, in round brackets.

    sphinxcontrib-bibtex's roles: ``cite`` and ``cite:p`` "(Author, Year)", ``cite:t``
    "Author (Year)", ``cite:year`` "Year", ``cite:yearpar`` "(Year)", ``cite:author``
    "Author", ``cite:authorpar`` "(Author)"; an ``s`` (``cite:ts``) names every author, a
    ``c`` prefix (``cite:ct``) capitalises the first letter.
    """
    keys = [_bib_key(k, page) for k in content.split(",") if k.strip()]
    for k in keys:
        if k not in page.cited:
            page.cited.append(k)
    works = [page.bib[k] for k in keys]
    role = name.partition(":")[2] or "p"
    capital = role.startswith("c")  # ct, cts, cp, cps, cauthor, cauthors
    role = role.removeprefix("c")
    every = role in ("ps", "ts", "authors")
    role = role.removesuffix("s") if every else role
    names = [(_full if every else _short)(w["authors"]) for w in works]
    if capital:
        names = [n[:1].upper() + n[1:] for n in names]
    years = [w["year"] for w in works]
    if role == "t":
        return "; ".join(f"{n} ({y})" for n, y in zip(names, years, strict=True))
    if role in ("year", "yearpar"):
        text = "; ".join(years)
        return f"({text})" if role == "yearpar" else text
    if role in ("author", "authorpar", "authors"):
        text = "; ".join(names)
        return f"({text})" if role == "authorpar" else text
    return "(" + "; ".join(f"{n}, {y}" for n, y in zip(names, years, strict=True)) + ")"


def _text_and_target(content: str) -> tuple[str | None, str]:
    m = re.fullmatch(r"\s*(.*?)\s*<([^<>]+)>\s*", content, re.S)
    return (m[1], m[2].strip()) if m and m[1] else (None, content.strip())


def term_anchor(term: str) -> str:
    """The id Sphinx gives a glossary term's entry ("term-" and the term, through
    ``sphinx.util.nodes.make_id``, which keeps capitals): the ``{term}`` links of the
    copies point at it. A link names the term as the glossary spells it
    (:attr:`Page.terms`), since Sphinx matches terms whatever their case.

    Examples
    --------
    >>> term_anchor("false-accept rate"), term_anchor("S-curve"), term_anchor("Goodhart's law")
    ('term-false-accept-rate', 'term-S-curve', 'term-Goodhart-s-law')
    """
    text = unicodedata.normalize("NFKD", f"term-{term}").encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-zA-Z0-9._]+", "-", " ".join(text.split()))
    return re.sub(r"^[-0-9._]+|-+$", "", text)


def anchor(label: str) -> str:
    """The HTML anchor a link to ``label`` scrolls to (a target, an exercise, a figure).

    Jupyter's Markdown keeps raw HTML; JupyterLab and Colab scroll to an element whose
    ``id`` a ``#label`` link names, in the same notebook, and JupyterLab follows
    ``other.ipynb#label`` too.

    Examples
    --------
    >>> anchor("tail-vocabulary")
    '<a id="tail-vocabulary"></a>'
    """
    return f'<a id="{html.escape(label, quote=True)}"></a>'


def _notebook_link(docname: str, page: Page) -> str:
    """The link from this page's notebook to another page's (or its URL, without a copy)."""
    if docname in page.links:
        return page.links[docname]
    base = Path(page.docname).parent
    rel = Path(*[".."] * len(base.parts), docname) if base.parts else Path(docname)
    if base.parts and docname.startswith(base.as_posix() + "/"):
        rel = Path(docname).relative_to(base)
    return f"{rel.as_posix()}.ipynb"


def _doc(content: str, page: Page) -> str:
    text, target = _text_and_target(content)
    base = Path(page.docname).parent
    target = target.removesuffix(".md").removesuffix(".ipynb")
    joined = target.lstrip("/") if target.startswith("/") else (base / target).as_posix()
    docname = posixpath.normpath(joined)
    if docname not in page.titles:
        raise ValueError(f"{page.label}: {{doc}} points at {target!r}, which is not a page")
    return f"[{text or page.titles[docname]}]({_notebook_link(docname, page)})"


def _on_its_page(text: str, target: str, page: Page) -> str:
    """``text``, linked to the anchor of ``target``: ``#target`` on this page (or when the
    page that defines it is not known), ``other.ipynb#target`` on another; a page without a
    notebook copy (:attr:`Page.links`) is linked without the anchor, which it lacks."""
    where = page.label_pages.get(target)
    if where is None or where == page.docname:
        return f"[{text}](#{target})"
    if where in page.links:
        return f"[{text}]({page.links[where]})"
    return f"[{text}]({_notebook_link(where, page)}#{target})"


def _ref(name: str, content: str, page: Page) -> str:
    text, target = _text_and_target(content)
    if name == "term":  # a link to the term's entry in the glossary, as in the book
        if not page.glossary:
            return text or target
        where = "" if page.glossary == page.docname else _notebook_link(page.glossary, page)
        term = page.terms.get(target.casefold(), target)
        return f"[{text or target}]({where}#{term_anchor(term)})"
    if target in page.figures:  # {ref} too: "Fig. N" is shorter than the caption Sphinx uses
        number, default = str(page.figures[target]), FIGURE_FORMAT.format(page.figures[target])
    elif target in page.exercises:
        number, default = str(page.exercises[target]), f"Exercise {page.exercises[target]}"
    elif target in page.section_titles:  # quoted: a heading read in running text
        number, default = "", f"“{page.section_titles[target]}”"
    elif text and (target in page.label_pages or target in page.targets):
        return _on_its_page(text, target, page)
    elif text:
        return text
    elif name in ("ref", "numref"):
        raise ValueError(f"{page.label}: {{{name}}} points at {target!r}, which is not a label")
    else:
        return target
    if text and name == "numref":
        text = text.replace("%s", number).replace("{number}", number)
    return _on_its_page(text or default, target, page)


def _role(m: re.Match, page: Page) -> str:
    name, content = m["name"], m["content"]
    if name in ("glue", "glue:text", "glue:any", "glue:md"):
        key, _, fmt = content.partition(":") if name == "glue:text" else (content, "", "")
        key = key.split("::")[-1].strip()
        if key not in page.glue:
            raise ValueError(f"{page.label}: no glued value {key!r} in the executed book")
        return format_glue(page.glue[key], fmt)
    if name.startswith("cite"):
        return _cite(name, content, page)
    if name == "doc":
        return _doc(content, page)
    if name in ("ref", "numref", "eq", "term", "any"):
        return _ref(name, content, page)
    if name == "math":
        return f"${content}$"
    return _text_and_target(content)[0] or content


def _roles(text: str, page: Page) -> str:
    return ROLE_OR_CODE.sub(lambda m: m.group(0) if m["code"] else _role(m, page), text)


def _role_matches(text: str) -> list[str]:
    return [m.group(0) for m in ROLE_OR_CODE.finditer(text) if not m["code"]]


def _directive_blocks(lines: list[str], start: int) -> tuple[dict[str, str], list[str], int]:
    """Options and body of the directive whose fence opens at ``start``; index after it."""
    fence = FENCE.match(lines[start])["fence"]
    i, depth = start + 1, 0
    body: list[str] = []
    while i < len(lines):
        stripped = lines[i].strip()
        inner = FENCE.match(lines[i])
        if inner and inner["fence"][0] == fence[0] and len(inner["fence"]) >= len(fence):
            depth += 1
        elif stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
            if depth == 0:
                break
            depth -= 1
        body.append(lines[i])
        i += 1
    options: dict[str, str] = {}
    while body and (m := re.match(r"^\s*:([\w-]+):\s*(.*)$", body[0])):
        options[m[1]] = m[2].strip()
        body.pop(0)
    if body and body[0].strip() == "---":  # YAML-style options block
        end = next((j for j in range(1, len(body)) if body[j].strip() == "---"), 0)
        body = body[end + 1 :]
    return options, body, i + 1


def _scan(text: str, page: Page) -> None:
    """Number the exercises, find the keyprefix and the section titles of labels."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = FENCE.match(line)
        if m and m["name"] == "exercise":
            options, _, _ = _directive_blocks(lines, i)
            label = options.get("label", "")
            if "nonumber" not in options and (not label or label not in page.local_exercises):
                number = page.first_exercise + len(page.local_exercises)
                page.local_exercises.append(label)
                if label:
                    page.exercises.setdefault(label, number)
                else:  # numbered in order of appearance, as _directive meets them
                    page.unlabeled_exercises.append(number)
        elif m and m["name"] == "glossary":
            page.glossary = page.docname
            _, body, _ = _directive_blocks(lines, i)
            for term in _glossary_entries(body):
                page.terms.update({t.casefold(): t for t in term[0]})
        elif m and m["name"] == "bibliography":
            options, _, _ = _directive_blocks(lines, i)
            page.keyprefix = options.get("keyprefix", page.keyprefix)
        target = re.match(r"^\((\S+)\)=\s*$", line)
        if target:
            page.targets.add(target[1])
        if target and i + 1 < len(lines) and lines[i + 1].startswith("#"):
            page.section_titles[target[1]] = lines[i + 1].lstrip("#").strip()


def scan_page(cells_text: list[str], page: Page) -> Page:
    """Collect what cross-references on a page need, before converting its cells."""
    for text in cells_text:
        _scan(text, page)
    return page


def _quote(title: str, body: str) -> str:
    lines = [f"**{title}**", ""] + body.split("\n") if title else body.split("\n")
    return "\n".join(f"> {line}".rstrip() for line in lines)


def _glossary_entries(lines: list[str]) -> list[tuple[list[str], list[str]]]:
    """(terms, definition lines) of each entry of a ``{glossary}`` body."""
    entries: list[tuple[list[str], list[str]]] = []
    for line in lines:
        if not line.strip():
            if entries and entries[-1][1] and entries[-1][1][-1]:
                entries[-1][1].append("")  # a paragraph break inside a definition
        elif line[0].isspace():
            if entries:
                entries[-1][1].append(line.strip())
        elif entries and not entries[-1][1]:
            entries[-1][0].append(line.strip())
        else:
            entries.append(([line.strip()], []))
    return entries


def _glossary(body: str, sort: bool = False) -> str:
    """A Sphinx ``{glossary}`` body as plain paragraphs: "**term**, **synonym**: definition",
    each opening with the anchors its terms' links point at (:func:`term_anchor`).

    Term lines start at the margin (several may share one definition); the definition is
    indented. ``sort`` orders the entries by their first term, as ``:sorted:`` does.

    Examples
    --------
    >>> print(_glossary("b\\n  Bee.\\n\\nan\\nA N\\n  The letters.", sort=True))
    <a id="term-an"></a><a id="term-A-N"></a>**an**, **A N**: The letters.
    <BLANKLINE>
    <a id="term-b"></a>**b**: Bee.
    """
    entries = _glossary_entries(body.split("\n"))
    if sort:
        entries.sort(key=lambda e: e[0][0].casefold())
    paragraphs, ids = [], set()
    for terms, definition in entries:
        text = "\n".join(definition).strip()
        text = re.sub(r"(?<!\n)\n(?!\n)", " ", text)  # lines of one paragraph join
        anchors = [term_anchor(t) for t in terms]
        anchors = [a for a in dict.fromkeys(anchors) if a not in ids]
        ids.update(anchors)
        paragraphs.append(
            "".join(anchor(a) for a in anchors) + ", ".join(f"**{t}**" for t in terms) + ": " + text
        )
    return "\n\n".join(paragraphs)


def _directive(name: str, arg: str, options: dict, body: str, page: Page) -> str:
    if name == "exercise":
        label = options.get("label", "")
        if "nonumber" in options:
            number = ""
        elif label in page.exercises:
            number = f" {page.exercises[label]}"
        elif not label and page.unlabeled_exercises:
            number = f" {page.unlabeled_exercises.pop(0)}"
        else:  # a cell converted on its own, without its page
            number = f" {len(page.exercises) + 1}"
        title = f"### Exercise{number}" + (f": {_roles(arg, page)}" if arg else "")
        if label:  # the anchor a reference to the exercise links to
            title = f"{anchor(label)}\n{title}"
        return f"{title}\n\n{body}".rstrip()
    if name == "solution-start":
        label = arg.split()[0] if arg else ""
        number = page.exercises.get(label)
        return f"#### Solution to Exercise {number}" if number else "#### Solution"
    if name == "solution-end":
        return ""
    if name == "solution":
        label = arg.split()[0] if arg else ""
        number = page.exercises.get(label)
        heading = f"#### Solution to Exercise {number}" if number else "#### Solution"
        return f"{heading}\n\n{folded(body)}".rstrip()
    if name == "bibliography":  # sorted as the book's list is (pybtex's sorting)
        cited = sorted(page.cited, key=lambda k: page.bib[k]["sort"])
        return "\n".join(f"- {page.bib[k]['entry']}" for k in cited) or ""
    if name in BOOK_ONLY:
        return BOOK_ONLY[name]
    if name == "math":
        return f"$$\n{body}\n$$"
    if name in ADMONITIONS:
        title = _roles(arg, page) if arg else ("" if name == "admonition" else name.title())
        return _quote(title, body)
    if name == "glossary":
        return _glossary(body, sort="sorted" in options)
    if name in ("figure", "image"):
        alt = options.get("alt", "")
        return f"![{alt}]({arg})" + (f"\n\n{body}" if body.strip() else "")
    return (f"**{_roles(arg, page)}**\n\n" if arg else "") + body


#: What a folded solution shows until it is opened.
FOLDED_SUMMARY = "Show the solution"


def folded(text: str) -> str:
    """Markdown folded into an HTML ``<details>`` block, as the book folds its solutions.

    JupyterLab and Colab render the Markdown inside (blank lines keep it Markdown).

    Examples
    --------
    >>> print(folded("Because *x* = 1."))
    <details>
    <summary>Show the solution</summary>
    <BLANKLINE>
    Because *x* = 1.
    <BLANKLINE>
    </details>
    """
    if not text.strip():
        return text
    return f"<details>\n<summary>{FOLDED_SUMMARY}</summary>\n\n{text.strip()}\n\n</details>"


def plain_markdown(text: str, page: Page) -> str:
    """One markdown cell's MyST as plain Markdown (see the module docstring)."""
    if not page.exercises and "{exercise}" in text:
        _scan(text, page)
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    fenced: str | None = None  # inside a plain ``` code block: leave it alone
    while i < len(lines):
        line = lines[i]
        m = FENCE.match(line)
        if fenced is None and m:
            options, body, i = _directive_blocks(lines, i)
            converted = plain_markdown("\n".join(body), page) if body else ""
            out.append(_directive(m["name"], m["arg"].strip(), options, converted, page))
            continue
        code = re.match(r"^\s*(`{3,}|~{3,})", line)
        if code and fenced is None:
            fenced = code[1]
        elif code and fenced is not None and line.strip() == fenced:
            fenced = None
        elif fenced is None:
            if re.match(r"^%", line):
                i += 1
                continue
            target = re.match(r"^\((\S+)\)=\s*$", line)
            line = anchor(target[1]) if target else _roles(line, page)
        out.append(line)
        i += 1
    result = "\n".join(out)
    result = re.sub(r"\n{3,}", "\n\n", result)
    return result.strip("\n")


def leftovers(text: str) -> list[str]:
    """MyST markup still in ``text`` (empty when the conversion is complete).

    Examples
    --------
    >>> leftovers("Fine.\\n\\n```python\\nx = 1\\n```")
    []
    >>> leftovers("See {doc}`x`.")
    ['{doc}`x`']
    """
    found = _role_matches(text)
    for pattern in LEFTOVER:
        found += [m.group(0) for m in pattern.finditer(text)]
    return found
