"""Convert the book's MyST chapters to ``.ipynb`` notebooks, for Colab and for classrooms.

Every page listed in ``_toc.yml`` is converted with jupytext into
``_build/notebooks/<same path>.ipynb`` (the *instructor* copy) and, for teachers, into
``_build/notebooks/student/<same path>.ipynb`` (the *student* copy). They are made for
Colab and any plain Jupyter, where the book's builder (MyST-NB) is absent:

- A page with code starts with a cell that installs ``lossylib`` from the book's repository
  (``repository: url`` in ``_config.yml``) pinned to the commit the copy was made from, with
  its dependencies pinned to ``requirements.txt`` (only when ``import lossylib`` fails), and
  registers a stand-in ``myst_nb.glue`` when MyST-NB is missing (``lossylib.glue``).
- The prose is plain Markdown (``lossylib.plain_markdown``): every ``{glue:text}`` number
  is the value the executed book computed (read from ``<page>.glue.json`` in the build's
  ``jupyter_execute`` folder), citations read "(Author, Year)" with a reference list,
  exercises are "### Exercise N" sections. Pasting the book's values, rather than
  rendering the prose at run time, keeps the text readable before anything runs (a
  notebook preview, a classroom handout) and identical to the book; every generator is
  seeded, so running the notebook reproduces the same numbers.
- Exercises and figures carry the book's numbers (the book counts them through all its
  pages): "### Exercise 14", and under each figure's cell its caption, "**Fig. 26.** ...",
  which ``{numref}`` references quote. A reference to another page's section, exercise or
  figure links to that page's notebook; a page without a copy (:data:`REPOSITORY_PAGES`)
  is linked on the repository.
- The install cell comes after the page's first cell (its title and opening), so the
  notebook opens on the chapter, not on pip.
- Hidden bookkeeping cells (``remove-cell``, ``hide-input`` ...) are folded; the live
  explorables, which the book does not execute (``skip-execution``), run like any cell.

A student copy is the instructor copy with every solution taken out (Neuromatch style):
prose between ``{solution-start}`` and ``{solution-end}`` (and any ``{solution}`` directive)
is removed, and the code cells of each solution are replaced by one cell that raises
``NotImplementedError("Student exercise: ...")``.

Usage (from the repository root; ``make notebooks`` runs ``all``)::

    python -m lossylib.notebooks [instructor | student | all] [--root .] [--out DIR]
        [--executed BUILD/jupyter_execute] [--commit SHA]

writes instructor copies into ``DIR`` (default ``_build/notebooks``) and student copies into
``DIR/student``; the book must have been executed first (``make book``).

Examples
--------
>>> cells = [_cell("markdown", "Q.\\n```{solution-start} ex-1\\n```\\nWhy."),
...          _cell("code", "answer = 42"),
...          _cell("markdown", "```{solution-end}\\n```\\nNext.")]
>>> [c["source"] for c in student_cells(cells)]
['Q.', 'raise NotImplementedError("Student exercise: ex-1")', 'Next.']
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import yaml

from lossylib.myst_blocks import split_directives
from lossylib.plain_markdown import (
    FIGURE_FORMAT,
    Page,
    anchor,
    folded,
    plain_markdown,
    read_bibliography,
    scan_page,
)

INSTALL_TAG = "lossy-install"
EXERCISE_TAG = "lossy-student-exercise"
#: The text cell a student copy leaves where a solution in words was.
ANSWER_TAG = "lossy-student-answer"
ANSWER_TEXT = "*Your answer:* (double-click this cell to write it)"

INSTALL_SOURCE = """\
# Outside the book's own environment (Colab, a plain Jupyter): install lossylib, pinned to
# the commit this notebook was made from, with the versions the book was tested with.
try:
    import lossylib  # noqa: F401
except ImportError:
    import subprocess
    import sys

    PACKAGES = {packages}
    pip = [sys.executable, "-m", "pip", "install", "--quiet", *PACKAGES]
    done = subprocess.run(pip, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError("pip could not install lossylib:\\n" + done.stdout + done.stderr)

# Without MyST-NB (the book's builder) glue() has no page to paste into: numbers are
# already in the text, so gluing just shows the value or does nothing. (The ; keeps the
# call's True or False from showing under the cell.) Links to other chapters in the
# claims tables point at their notebooks, not at the book's pages.
import os

from lossylib.glue import provide_myst_nb

os.environ["LOSSY_PAGE_LINKS"] = "ipynb"
provide_myst_nb();"""

#: Packages the notebook's host provides (the kernel and what it needs): never pinned by
#: the install cell, so Colab keeps its own IPython.
HOST_PACKAGES = ("ipykernel",)

#: The book does not execute cells with this tag (live explorables need a kernel); in the
#: copies they run like any cell, so the tag is dropped.
SKIP_TAG = "skip-execution"

#: Cells a reader of the book does not see are folded in the notebook copies.
HIDDEN_TAGS = {"remove-cell", "remove-input", "hide-input", "hide-cell"}

#: The directives a notebook copy drops (sphinx-exercise's solution blocks).
SOLUTION_DIRECTIVES = ("solution-start", "solution-end", "solution")


#: A call that runs every registered claim's experiment (the front page's scoreboard,
#: the Claims appendix's table): given no list of claim numbers, it checks them all.
RUNS_EVERY_CLAIM = re.compile(
    r"\bclaims\.(?:scoreboard|table|appendix|verdict_counts|check_all)\((?!\s*\[)"
)

#: What a copy prints before the first cell that runs every claim: that cell is folded
#: and takes about a minute, with nothing to show until it ends. Only the copies print
#: it: in the book, the front page removes that cell and its output, but the Claims
#: appendix only hides its table cell's code, so a print there would show on the page.
CLAIMS_NOTICE = (
    'print("Running the experiment of every claim in the book (about a minute)...", flush=True)'
)

#: Pages that get no notebook copy (and so no Colab button): their code reads the
#: book's own sources, which only a clone of the repository has. They run on Binder.
REPOSITORY_PAGES = {
    "chapters/for-teachers": "it reads every chapter's exercises from the repository",
}


#: Pages whose copy cannot show what the book's page does (the execution table is made by
#: the book's build): a link to one in the copies goes to the published book's page
#: (:func:`book_url`), not to its stub notebook.
HOSTED_PAGES = {
    "chapters/status": "its table of execution times is made by the book's build",
}


def _cell(kind: str, source: str, **metadata: Any) -> nbformat.NotebookNode:
    if kind == "code":
        return nbformat.v4.new_code_cell(source, metadata=metadata)
    return nbformat.v4.new_markdown_cell(source, metadata=metadata)


def toc_files(root: Path) -> list[Path]:
    """The source files of every page in ``root/_toc.yml``, in reading order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    names: list[str] = []

    def walk(entry: Any) -> None:
        if isinstance(entry, list):
            for e in entry:
                walk(e)
        elif isinstance(entry, dict):
            if "root" in entry:
                names.append(entry["root"])
            if "file" in entry:
                names.append(entry["file"])
            if "glob" in entry:
                names.extend(
                    p.relative_to(root).with_suffix("").as_posix()
                    for p in sorted(root.glob(entry["glob"] + ".md"))
                )
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key, []))

    walk(toc)
    files = []
    for name in names:
        candidates = [root / name] if Path(name).suffix else []
        candidates += [root / f"{name}.md", root / f"{name}.ipynb"]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            raise FileNotFoundError(f"_toc.yml lists {name!r} but no {name}.md exists")
        files.append(found)
    return files


#: Front matter that keeps a page out of the table of contents (Sphinx's ``orphan``).
_ORPHAN = re.compile(r"\A---\n(?:.*\n)*?orphan:\s*true\s*\n(?:.*\n)*?---\n")


def orphan_files(root: Path) -> list[Path]:
    """Pages built but left out of ``_toc.yml`` (``orphan: true`` in their front matter).

    They are looked for beside the pages of the table of contents, e.g. the execution
    status page beside the chapters.
    """
    listed = toc_files(root)
    folders = sorted({p.parent for p in listed})
    return [
        p
        for folder in folders
        for p in sorted(folder.glob("*.md"))
        if p not in listed and _ORPHAN.match(p.read_text(encoding="utf-8"))
    ]


def book_files(root: Path) -> list[Path]:
    """Every page the book builds: the table of contents in order, then the orphans."""
    return toc_files(root) + orphan_files(root)


def _canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path: Path) -> dict[str, str]:
    """``name==version`` lines of a requirements file, by canonical name."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s*([A-Za-z0-9][\w.-]*)\s*==\s*([^\s;#]+)", line)
        if m:
            pins[_canon(m[1])] = m[2]
    return pins


#: Held while parsing Python source into an AST (``ast.parse``, and ``packaging``'s
#: marker parsing, which calls ``ast.literal_eval``). Threads that build ASTs at the same
#: time can make CPython 3.11 raise "SystemError: AST constructor recursion depth
#: mismatch" (python/cpython#106905 and reports like it; seen once in ``make test`` here);
#: assignments are built in threads (:func:`lossylib.assignments.build_all`), so every
#: such parse here takes turns.
AST_LOCK = threading.Lock()


def _closure(roots: list[str]) -> set[str]:
    """Canonical names of ``roots`` and everything they require here (no extras)."""
    from importlib import metadata

    from packaging.requirements import Requirement

    seen: set[str] = set()
    todo = list(roots)
    while todo:
        with AST_LOCK:
            req = Requirement(todo.pop())
        name = _canon(req.name)
        if name in seen or (req.marker and not req.marker.evaluate({"extra": ""})):
            continue
        seen.add(name)
        try:
            todo += metadata.requires(req.name) or []
        except metadata.PackageNotFoundError as e:
            raise ValueError(f"{req.name} is not installed; cannot pin its dependencies") from e
    return seen


def pinned_dependencies(root: Path) -> list[str]:
    """lossylib's dependencies and theirs, pinned to the versions in ``requirements.txt``.

    The kernel's own packages (:data:`HOST_PACKAGES` and what they need) are left to the
    host. Raises ValueError when a dependency has no pin.
    """
    import tomllib

    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = read_pins(root / "requirements.txt")
    needed = _closure(list(project["dependencies"])) - _closure(list(HOST_PACKAGES))
    missing = sorted(n for n in needed if n not in pins)
    if missing:
        raise ValueError(f"requirements.txt pins none of {missing}; regenerate the pins")
    return [f"{n}=={pins[n]}" for n in sorted(needed)]


def git_output(root: Path, *args: str, strip: bool = True) -> str | None:
    """What ``git -C root ARGS`` prints (stripped unless ``strip`` is False), or None when
    git is missing or fails (outside a git repository, for one). Only commands that read
    the repository."""
    import subprocess

    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    except OSError:
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() if strip else done.stdout


def git_commit(root: Path) -> str | None:
    """The commit checked out in ``root`` (None outside a git repository)."""
    return git_output(root, "rev-parse", "HEAD") or None


def uncommitted(root: Path, paths: tuple[str, ...] = ()) -> list[str]:
    """Files of ``root`` (under ``paths``, if given) that differ from the commit checked
    out: modified, added, deleted or untracked. Empty outside a git repository."""
    args = ("status", "--porcelain", "--untracked-files=all", "--", *paths)
    status = git_output(root, *args, strip=False)  # a line's first column may be a space
    return porcelain_paths(status or "")


def porcelain_paths(status: str) -> list[str]:
    r"""The paths of ``git status --porcelain`` lines (a rename gives its new path).

    Examples
    --------
    >>> porcelain_paths(" M lossylib/a.py\n?? lossylib/new.py\nR  old.py -> new.py\n")
    ['lossylib/a.py', 'lossylib/new.py', 'new.py']
    """
    return [line[3:].split(" -> ")[-1].strip('"') for line in status.splitlines() if line[3:]]


def git_origin(root: Path) -> str | None:
    """The URL of the ``origin`` remote of the checkout in ``root`` (None without one)."""
    return git_output(root, "remote", "get-url", "origin") or None


def same_repository(a: str, b: str) -> bool:
    """Whether two git URLs name the same repository (https or ssh, with or without
    ``.git``, case aside).

    Examples
    --------
    >>> same_repository("git@github.com:Org/Book.git", "https://github.com/org/book/")
    True
    >>> same_repository("https://github.com/me/book", "https://github.com/org/book")
    False
    """

    def canon(url: str) -> str:
        url = url.strip().rstrip("/").removesuffix(".git")
        url = re.sub(r"^[a-z+]+://", "", url, flags=re.I)  # https://, ssh://
        url = re.sub(r"^[^@/]+@", "", url)  # the user of ssh URLs (git@)
        host, colon, path = url.partition(":")  # scp-like host:owner/name
        return (f"{host}/{path}" if colon and "/" not in host else url).lower()

    return canon(a) == canon(b)


def repository(root: Path) -> tuple[str, str | None]:
    """The book's ``repository: url`` and ``branch`` (None if unset) from ``_config.yml``."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    repo = config.get("repository") or {}
    url = (repo.get("url") or "").rstrip("/")
    if not url:
        raise ValueError(
            "_config.yml has no 'repository: url'; notebooks cannot install lossylib from it"
        )
    return url, repo.get("branch")


def book_url(root: Path) -> str | None:
    """Where the built book is published, ending in ``/``: ``html: baseurl`` in
    ``_config.yml`` if set, else the GitHub Pages address of a ``repository: url`` on
    github.com (where the book's workflow deploys it); None when neither says.

    Examples
    --------
    >>> root = Path(__file__).resolve().parents[1]
    >>> book_url(root)
    'https://lossy-book.github.io/lossy/'
    """
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    base = ((config.get("html") or {}).get("baseurl") or "").strip()
    if base:
        return base.rstrip("/") + "/"
    url = ((config.get("repository") or {}).get("url") or "").strip().rstrip("/")
    m = re.fullmatch(r"https?://(?:www\.)?github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?", url)
    if not m:
        return None
    owner, name = m[1].lower(), m[2]
    if name.lower() == f"{owner}.github.io":  # a user's or organisation's own site
        return f"https://{owner}.github.io/"
    return f"https://{owner}.github.io/{name}/"


def install_spec(root: Path, commit: str | None = None) -> str:
    """The pip requirement for lossylib from ``repository: url``, at ``commit``.

    Without a commit, the ``repository: branch`` of ``_config.yml`` (if any).
    """
    url, branch = repository(root)
    ref = commit or branch
    return f"lossylib @ git+{url}" + (f"@{ref}" if ref else "")


def repository_link(root: Path, source: Path) -> str:
    """The URL of a source file on the book's repository (``repository: url`` and ``branch``).

    A page without a notebook copy is linked there.
    """
    url, branch = repository(root)
    return f"{url}/blob/{branch or 'main'}/{source.relative_to(root).as_posix()}"


#: The branch the publisher pushes the notebook copies to (``lossy_notebooks_branch``,
#: see :mod:`lossylib.sphinxext`, which opens them from Colab and Binder).
NOTEBOOKS_BRANCH = "notebooks"

#: The folder of the student copies, inside the folder of the instructor copies (and so
#: on the notebooks branch: ``student/chapters/tail-loss.ipynb``).
STUDENT_FOLDER = "student"


def copy_path(docname: str, student: bool = False) -> str:
    """A page's notebook copy, relative to the notebooks folder (or branch).

    Examples
    --------
    >>> copy_path("chapters/tail-loss"), copy_path("chapters/tail-loss", student=True)
    ('chapters/tail-loss.ipynb', 'student/chapters/tail-loss.ipynb')
    """
    return f"{STUDENT_FOLDER}/{docname}.ipynb" if student else f"{docname}.ipynb"


def notebook_link(
    root: Path, source: Path, branch: str = NOTEBOOKS_BRANCH, student: bool = False
) -> str:
    """Where a page's notebook copy can be read on the book's repository: the
    ``notebooks`` branch, laid out like the book (``chapters/tail-loss.ipynb``), with the
    student copies (no solutions) in :data:`STUDENT_FOLDER`.

    Examples
    --------
    >>> root = Path(__file__).resolve().parents[1]
    >>> page = root / "chapters" / "tail-loss.md"
    >>> notebook_link(root, page).endswith("/blob/notebooks/chapters/tail-loss.ipynb")
    True
    >>> notebook_link(root, page, student=True).endswith(
    ...     "/blob/notebooks/student/chapters/tail-loss.ipynb")
    True
    """
    url, _ = repository(root)
    docname = source.resolve().relative_to(root.resolve()).with_suffix("").as_posix()
    return f"{url}/blob/{branch}/{copy_path(docname, student)}"


def install_packages(root: Path, commit: str | None = None) -> list[str]:
    """What the install cell installs: lossylib at ``commit`` and its pinned dependencies."""
    return [install_spec(root, commit), *pinned_dependencies(root)]


def install_cell(packages: list[str] | str) -> nbformat.NotebookNode:
    """The install cell of every converted notebook that has code (its first code cell)."""
    if isinstance(packages, str):
        packages = [packages]
    listed = "[\n" + "".join(f"        {p!r},\n" for p in packages) + "    ]"
    return _cell("code", INSTALL_SOURCE.format(packages=listed), tags=[INSTALL_TAG])


def _flush(kept: list[str], cell: nbformat.NotebookNode, out: list[nbformat.NotebookNode]) -> None:
    """Append the text kept so far as a copy of the markdown ``cell``; empty ``kept``."""
    text = "\n".join(kept).strip("\n")
    if text.strip():
        new = copy.deepcopy(cell)
        new["source"] = text
        out.append(new)
    kept.clear()


def student_cells(cells: list[nbformat.NotebookNode]) -> list[nbformat.NotebookNode]:
    """The cells of a student copy: solutions removed, solution code replaced by a stub.

    A solution without code (only prose) leaves a text cell to answer in
    (:data:`ANSWER_TEXT`) where it stood.
    """
    out: list[nbformat.NotebookNode] = []
    label: str | None = None  # inside a solution when not None
    stubbed = False
    for cell in cells:
        if cell["cell_type"] == "code":
            if label is None:
                out.append(cell)
            elif not stubbed:
                message = json.dumps(f"Student exercise: {label}" if label else "Student exercise")
                stub = f"raise NotImplementedError({message})"
                out.append(_cell("code", stub, tags=[EXERCISE_TAG]))
                stubbed = True
            continue
        if cell["cell_type"] != "markdown":
            if label is None:
                out.append(cell)
            continue
        kept: list[str] = []
        for kind, name, content, _ in split_directives(cell["source"], SOLUTION_DIRECTIVES):
            if kind == "directive":
                if name == "solution-start":
                    label, stubbed = content.split()[0] if content else "", False
                elif name == "solution-end":
                    if not stubbed:  # prose only: the student answers in words
                        _flush(kept, cell, out)
                        out.append(_cell("markdown", ANSWER_TEXT, tags=[ANSWER_TAG]))
                    label = None
                elif name == "solution":
                    _flush(kept, cell, out)
                    out.append(_cell("markdown", ANSWER_TEXT, tags=[ANSWER_TAG]))
            elif label is None:
                kept.append(content)
        _flush(kept, cell, out)
    if label is not None:
        raise ValueError(f"solution {label!r} has a {{solution-start}} but no {{solution-end}}")
    return out


def page_title(source: Path) -> str:
    """The first level-one heading of a page (its title), or its file name."""
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    m = re.search(r"^# (.+)$", text, re.M)
    return m[1].strip() if m else source.stem


def read_glue(executed: Path | None, docname: str) -> dict[str, str]:
    """The values a page glued when the book executed it (``<docname>.glue.json``)."""
    if executed is None:
        return {}
    path = executed / f"{docname}.glue.json"
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: v.get("data", {}).get("text/plain", "") for k, v in data.items()}


#: Cell metadata key holding a figure's number between numbering and conversion.
FIGURE_NUMBER = "lossy-figure-number"
#: Cell metadata key marking a cell of a solution, between :func:`mark_solutions` and
#: the conversion (which folds it).
IN_SOLUTION = "lossy-in-solution"


def figure_cells(cells: list[nbformat.NotebookNode]) -> list[tuple[int, str]]:
    """(index, name) of the code cells whose figure the book numbers: those with a caption.

    ``name`` is the figure's ``mystnb.figure.name`` ("" when it has none).
    """
    found = []
    for i, cell in enumerate(cells):
        figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
        if cell["cell_type"] == "code" and figure.get("caption"):
            found.append((i, str(figure.get("name", ""))))
    return found


@dataclass
class BookIndex:
    """What the pages say of each other: labels, and the book-wide numbers of their targets."""

    exercises: dict[str, int] = field(default_factory=dict)
    figures: dict[str, int] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    label_pages: dict[str, str] = field(default_factory=dict)
    first_exercise: dict[str, int] = field(default_factory=dict)
    first_figure: dict[str, int] = field(default_factory=dict)
    glossary: str = ""
    terms: dict[str, str] = field(default_factory=dict)


def index_book(root: Path, sources: list[Path]) -> BookIndex:
    """Number the exercises and captioned figures through ``sources`` (in the book's order,
    as Sphinx and sphinx-exercise do) and note which page defines each label."""
    index = BookIndex()
    next_exercise, next_figure = 1, 1
    for source in sources:
        docname = source.relative_to(root).with_suffix("").as_posix()
        nb = jupytext.read(source, fmt="md:myst")
        page = Page(first_exercise=next_exercise, label=docname, docname=docname)
        scan_page([c["source"] for c in nb.cells if c["cell_type"] == "markdown"], page)
        index.glossary = index.glossary or page.glossary
        index.terms |= page.terms
        whole = scan_page([source.read_text(encoding="utf-8")], Page())
        sections = whole.section_titles
        figures = figure_cells(nb.cells)
        index.first_exercise[docname], index.first_figure[docname] = next_exercise, next_figure
        index.exercises |= page.exercises
        index.sections |= sections
        index.figures |= {name: next_figure + k for k, (_, name) in enumerate(figures) if name}
        labels = [*page.exercises, *sorted(whole.targets), *(n for _, n in figures if n)]
        for label in labels:  # (every (label)= target, headed or not)
            index.label_pages[label] = docname
        next_exercise += len(page.local_exercises)
        next_figure += len(figures)
    return index


def _caption_cell(cell: nbformat.NotebookNode, page: Page) -> nbformat.NotebookNode:
    """The markdown cell set under a figure's code cell: "**Fig. N.** caption", after the
    anchor that references to the figure link to (its ``name``)."""
    number = cell.metadata.pop(FIGURE_NUMBER)
    figure = cell.metadata["mystnb"]["figure"]
    caption = plain_markdown(str(figure["caption"]), page)
    name = str(figure.get("name", ""))
    text = f"**{FIGURE_FORMAT.format(number)}.** {caption.strip()}"
    return _cell("markdown", f"{anchor(name)}\n{text}" if name else text)


def stable_ids(nb: nbformat.NotebookNode) -> None:
    """Give every cell an id made from its text, so the same page converts to the same file.

    (nbformat and jupytext draw random ids, so every cell of every copy changed with each
    conversion. The install cell still pins the commit a copy was made from, so a new
    commit changes that cell, and only what else changed.) A repeated text gets a counter.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[_cell("code", "x = 1"), _cell("code", "x = 1")])
    >>> stable_ids(nb)
    >>> [c.id for c in nb.cells]
    ['3523df12', '3523df12-2']
    """
    import hashlib

    seen: dict[str, int] = {}
    for cell in nb.cells:
        base = hashlib.sha1(f"{cell['cell_type']}\0{cell['source']}".encode()).hexdigest()[:8]
        seen[base] = seen.get(base, 0) + 1
        cell["id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"


def mark_solutions(
    cells: list[nbformat.NotebookNode], label: str = ""
) -> list[nbformat.NotebookNode]:
    """The cells with every solution's text and code marked (:data:`IN_SOLUTION`), to fold.

    A markdown cell is cut where a ``{solution-start}`` or ``{solution-end}`` directive stands,
    so the solution's heading stays visible and only what the solution says is folded.
    """
    out: list[nbformat.NotebookNode] = []
    inside = False

    def add(cell: nbformat.NotebookNode) -> None:
        if inside:
            cell.metadata[IN_SOLUTION] = True
        out.append(cell)

    for cell in cells:
        pieces = []
        if cell["cell_type"] == "markdown":
            pieces = list(split_directives(cell["source"], SOLUTION_DIRECTIVES[:2]))
        if all(kind == "text" for kind, *_ in pieces):  # no solution starts or ends here
            add(copy.deepcopy(cell))
            continue
        for kind, name, arg, body in pieces:
            if kind == "text" and arg.strip():
                add(_cell("markdown", arg))
            elif name == "solution-start":
                inside = False
                add(_cell("markdown", "\n".join([f"```{{solution-start}} {arg}", body, "```"])))
                inside = True
            elif name == "solution-end":
                inside = False
    if inside:
        raise ValueError(f"{label}: a {{solution-start}} has no {{solution-end}}")
    return out


def _hide_source(cell: nbformat.NotebookNode) -> None:
    """Fold a code cell's source: JupyterLab reads ``jupyter.source_hidden``, Colab
    ``cellView: form`` (it then shows a "Show code" button)."""
    cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
    cell.metadata["cellView"] = "form"


def _plain(cells: list[nbformat.NotebookNode], page: Page) -> list[nbformat.NotebookNode]:
    scan_page([c["source"] for c in cells if c["cell_type"] == "markdown"], page)
    out = []
    for cell in mark_solutions(cells, page.label):
        cell = copy.deepcopy(cell)
        caption = None
        in_solution = bool(cell.metadata.pop(IN_SOLUTION, False))
        if cell["cell_type"] == "markdown":
            cell["source"] = plain_markdown(cell["source"], page)
            if not cell["source"].strip():
                continue
            if in_solution:
                cell["source"] = folded(cell["source"])
        elif cell["cell_type"] == "code":
            tags = cell.metadata.get("tags", [])
            if HIDDEN_TAGS & set(tags) or in_solution:
                _hide_source(cell)
            if in_solution:  # the book's dropdown hides what a solution shows, too
                cell.metadata["jupyter"]["outputs_hidden"] = True
            if SKIP_TAG in tags:  # the live explorables: the book skips them, readers run them
                cell.metadata["tags"] = [t for t in tags if t != SKIP_TAG]
                if not cell.metadata["tags"]:
                    del cell.metadata["tags"]
            if FIGURE_NUMBER in cell.metadata:
                caption = _caption_cell(cell, page)
                if in_solution:
                    caption["source"] = folded(caption["source"])
        out.append(cell)
        if caption is not None:
            out.append(caption)
    return out


def announce_claims(cells: list[nbformat.NotebookNode]) -> None:
    """Start the first code cell that runs every claim with :data:`CLAIMS_NOTICE` (later
    ones reuse its verdicts, which each claim caches).

    Examples
    --------
    >>> cells = [_cell("code", "board = claims.scoreboard()"), _cell("code", "claims.table()")]
    >>> announce_claims(cells)
    >>> [c.source.startswith("print(") for c in cells]
    [True, False]
    >>> few = [_cell("code", "claims.table([1, 2])")]
    >>> announce_claims(few)
    >>> few[0].source
    'claims.table([1, 2])'
    """
    for cell in cells:
        if cell["cell_type"] == "code" and RUNS_EVERY_CLAIM.search(cell["source"]):
            cell["source"] = f"{CLAIMS_NOTICE}\n{cell['source']}"
            return


def convert(
    source: Path,
    packages: list[str] | str,
    student: bool = False,
    page: Page | None = None,
) -> nbformat.NotebookNode:
    """One page as a notebook: the install cell (if it has code), then its cells in plain
    Markdown (MyST roles and directives resolved with ``page``, see lossylib.plain_markdown).
    """
    nb = jupytext.read(source, fmt="md:myst")
    nb.metadata.pop("jupytext", None)
    if page is None:
        page = Page(label=str(source))
    # Numbered before the student copy drops solutions, so the numbers stay the book's.
    for k, (i, _) in enumerate(figure_cells(nb.cells)):
        nb.cells[i].metadata[FIGURE_NUMBER] = page.first_figure + k
    cells = student_cells(nb.cells) if student else list(nb.cells)
    cells = _plain(cells, page)
    announce_claims(cells)
    if any(c["cell_type"] == "code" for c in cells):
        at = 1 if cells[0]["cell_type"] == "markdown" else 0  # after the title
        cells = [*cells[:at], install_cell(packages), *cells[at:]]
    nb.cells = cells
    return nb


def write_all(
    root: Path,
    out: Path,
    student: bool = False,
    executed: Path | None = None,
    commit: str | None = None,
) -> list[Path]:
    """Convert every page of the book; return the notebooks written.

    ``executed`` is the executed book's ``jupyter_execute`` folder (default
    ``ROOT/_build/jupyter_execute``, what ``make book`` writes): the glued numbers come
    from there. ``commit`` is the commit the install cell pins (default: git's HEAD).
    """
    root = root.resolve()
    executed = executed if executed is not None else root / "_build" / "jupyter_execute"
    packages = install_packages(root, commit or git_commit(root))
    sources = book_files(root)
    docnames = {s: s.relative_to(root).with_suffix("").as_posix() for s in sources}
    titles = {docnames[s]: page_title(s) for s in sources}
    bib_file = root / "references.bib"
    bib = read_bibliography(bib_file) if bib_file.is_file() else {}
    # Every page's labels and numbers, so that a reference to another page reads as there.
    index = index_book(root, sources)
    links = {d: repository_link(root, s) for s, d in docnames.items() if d in REPOSITORY_PAGES}
    hosted = book_url(root)
    if hosted:  # the book's own page, where its copy would be a stub
        links |= {d: f"{hosted}{d}.html" for d in docnames.values() if d in HOSTED_PAGES}
    written = []
    for source in sources:
        docname = docnames[source]
        if docname in REPOSITORY_PAGES:
            continue
        page = Page(
            glue=read_glue(executed, docname),
            bib=bib,
            titles=titles,
            docname=docname,
            label=source.relative_to(root).as_posix(),
            section_titles=dict(index.sections),
            exercises=dict(index.exercises),
            first_exercise=index.first_exercise[docname],
            figures=index.figures,
            first_figure=index.first_figure[docname],
            label_pages=index.label_pages,
            links=links,
            glossary=index.glossary,
            terms=index.terms,
        )
        try:
            nb = convert(source, packages, student=student, page=page)
        except ValueError as e:
            if "no glued value" in str(e) and not page.glue:
                raise ValueError(
                    f"{e}: no {docname}.glue.json in {executed}; build the book first "
                    "(make book) or pass --executed"
                ) from None
            raise
        stable_ids(nb)
        nbformat.validate(nb)
        target = out / source.relative_to(root).with_suffix(".ipynb")
        target.parent.mkdir(parents=True, exist_ok=True)
        jupytext.write(nb, target, fmt="ipynb")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m lossylib.notebooks", description=__doc__.splitlines()[0]
    )
    ap.add_argument("which", nargs="?", choices=("instructor", "student", "all"), default="all")
    ap.add_argument("--root", type=Path, default=Path("."), help="the book's folder")
    ap.add_argument(
        "--executed",
        type=Path,
        help="the executed book's jupyter_execute folder, for glued numbers "
        "(default ROOT/_build/jupyter_execute)",
    )
    ap.add_argument("--commit", help="the commit the install cell pins (default: git HEAD)")
    ap.add_argument(
        "--out",
        type=Path,
        help="instructor copies (default ROOT/_build/notebooks); students: OUT/student",
    )
    a = ap.parse_args(argv)
    out = a.out or a.root / "_build" / "notebooks"
    try:
        jobs = []
        if a.which in ("instructor", "all"):
            jobs.append((out, False))
        if a.which in ("student", "all"):
            jobs.append((out / STUDENT_FOLDER, True))
        for folder, student in jobs:
            written = write_all(
                a.root, folder, student=student, executed=a.executed, commit=a.commit
            )
            kind = "student" if student else "instructor"
            print(f"wrote {len(written)} {kind} notebook(s) into {folder}")
    except (OSError, ValueError, yaml.YAMLError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
