"""Turn a chapter's exercises into an otter-grader assignment (one source: the chapter).

A chapter marks its exercises the way ``/work/shared`` describes (the *exercise
convention*): an ``{exercise}`` directive names the variable the answer goes in, the
``{solution-start}``/``{solution-end}`` block holds the solution code and prose, and code
cells tagged ``otter-public`` / ``otter-hidden`` inside the block hold the tests (asserts).
An exercise without test cells is a prose question, graded by hand.

:func:`read_chapter` parses a chapter (MyST Markdown, read with jupytext) into its setup
cells and :class:`Exercise` records; :func:`source_notebook` writes the otter-assign
*source* notebook (``# ASSIGNMENT CONFIG``, ``# BEGIN QUESTION`` ... raw cells);
:func:`assign` runs ``otter assign`` on it, which lays out ``student/`` and ``autograder/``.
:func:`grade` grades a notebook with otter's local runner (what ``otter run`` does) and
:func:`leaks` looks for solution text and hidden tests in everything a student gets.

Setup. The assignment keeps only the chapter code the exercises need: the non-exercise
code cells that define a name the exercises (solutions or tests) use, and, transitively,
the cells those cells need (a backward slice over the names each cell defines and uses).
Import lines of a solution are handed to the student with the answer stub, so hidden tests
that use an imported module also work for a student who solved it another way.

Grading. :func:`grade_all` grades a folder of submissions without containers, each in a
process of its own with a time limit (a submission that loops forever is stopped and
reported), and writes a CSV of scores and each executed notebook, where a cell's own error
shows (``results.json`` shows only the knock-on errors of the tests).

Usage (from the repository root; ``make assignments`` runs ``build``)::

    python -m lossylib.assignments build [--root .] [--out _build/assignments] [--jobs 2]
        [--strict]
    python -m lossylib.assignments grade AUTOGRADER_ZIP SUBMISSION... [--out results]
        [--timeout 900] [--jobs 1]

Examples
--------
>>> defined, used = names("y = np.sqrt(x)\\nimport math as m")
>>> sorted(defined), sorted(used)
(['m', 'y'], ['np', 'x'])
"""

from __future__ import annotations

import argparse
import ast
import builtins
import contextlib
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import yaml

from lossylib.myst_blocks import split_directives
from lossylib.notebooks import AST_LOCK

PUBLIC_TAG = "otter-public"
INSTALL_TAG = "lossy-install"
HIDDEN_TAG = "otter-hidden"
SKIP_TAGS = {"skip-execution", "raises-exception"}
_BUILTINS = set(dir(builtins))
OTTER = "otter-grader==7.0.0"  # the version the assignments are made and tested with
#: What grading needs on top (a kernel): the autograder's ``requirements.txt`` has it, so
#: a teacher's grading environment is one ``pip install -r``.
OTTER_GRADING = "otter-grader[grading]==7.0.0"
#: The Python the book is tested with (``runtime.txt``) when the book does not say.
PYTHON_VERSION = "3.11"

# An opening directive fence: ``` or ~~~ or ::: (colon_fence), three or more, then {name}.
_DIRECTIVES = ("exercise", "solution-start", "solution-end", "solution")
_OPTION = re.compile(r"^\s*:(?P<key>[\w-]+):\s*(?P<value>.*)$")
_ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<text>[^`]*)`")


@dataclass
class Exercise:
    """One exercise of a chapter, as the chapter writes it.

    Attributes
    ----------
    label : str
        The exercise's label (``jpeg-ex-map``); it names the otter question.
    prompt : str
        The exercise text (Markdown, MyST roles flattened).
    code : list of str
        The solution's code cells (tests excluded).
    prose : list of str
        The solution's Markdown (explanations).
    public, hidden : list of str
        The sources of the ``otter-public`` and ``otter-hidden`` test cells.
    """

    label: str
    prompt: str
    code: list[str] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)
    public: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)

    @property
    def manual(self) -> bool:
        """True for a prose question (no test cells): graded by hand."""
        return not (self.public or self.hidden)

    @property
    def answers(self) -> list[str]:
        """The answer variables: names the tests check that the solution code defines."""
        if self.manual:
            return []
        tested: list[str] = []
        for source in self.public + self.hidden:
            tested += [n for n in _ordered_loads(source) if n not in tested]
        bound = set().union(*(_top_bindings(c) for c in self.code)) if self.code else set()
        found = [n for n in tested if n in bound]
        # the exercise text names its answers; other names the tests read are helpers
        named = [n for n in found if _mention(self.prompt, n) <= len(self.prompt)]
        found = named or found
        # the order the exercise text names them in, then the tests' order
        return sorted(found, key=lambda n: (_mention(self.prompt, n), tested.index(n)))

    @property
    def public_checks(self) -> list[str]:
        """The public test cells the assignment gets: the chapter's, or one empty one (so
        that a student's check still names a ``...`` left in place)."""
        return self.public or [""]

    @property
    def hidden_cases(self) -> list[tuple[list[str], str]]:
        """The hidden test cases the assignment gets: the answers each checks, and its code.

        A hidden cell that checks two or more answers is split into one case per answer
        where its statements allow (see :func:`split_by_answer`), so that each answer
        scores on its own.

        Example
        -------
        >>> ex = Exercise("e", "Store `x`, `y`.", code=["x = y = 1"],
        ...               hidden=["_r = 1\\nassert x == _r\\nassert y == _r"])
        >>> ex.hidden_cases
        [(['x'], '_r = 1\\nassert x == _r'), (['y'], '_r = 1\\nassert y == _r')]
        """
        answers = self.answers
        return [case for source in self.hidden for case in split_by_answer(source, answers)]

    @property
    def test_points(self) -> list[int]:
        """Points of each test case, public ones first (the order otter numbers them).

        The hidden tests check the answer's value and carry the points, one per case
        (:attr:`hidden_cases`: one per answer where the tests allow); the public tests
        check only its form (type, keys, range), so an answer of the right shape but the
        wrong value scores nothing. Without hidden tests the public ones carry a point
        each.

        Example
        -------
        >>> Exercise("e", "Store `x`.", public=["assert x"], hidden=["a", "b"]).test_points
        [0, 1, 1]
        """
        if self.hidden:
            return [0] * len(self.public_checks) + [1] * len(self.hidden_cases)
        return [1] * len(self.public)

    @property
    def asks_in_words(self) -> bool:
        """An autograded question that also asks something in words (a ``?`` in its text):
        the notebook gives it a text cell after its check, which the teacher reads."""
        return not self.manual and "?" in self.prompt

    @property
    def points_note(self) -> str:
        """How the question scores, as its heading in the notebook says it.

        A hidden test case is worth one point: one per answer where the tests check each
        answer apart, or one for all the answers together (all right, or no point).

        Examples
        --------
        >>> Exercise("e", "Store `x`.", code=["x = 1"], hidden=["x"]).points_note
        '1 point'
        >>> Exercise("e", "Store `x`, `y`.", code=["x = y = 1"], hidden=["x, y"]).points_note
        '1 point, only if both answers are right'
        >>> Exercise("e", "Store `x`, `y`.", code=["x = y = 1"], hidden=["x\\ny"]).points_note
        '2 points, one per answer'
        """
        if self.manual:
            return "graded by hand"
        points = sum(self.test_points)
        note = f"{points} point" + ("s" if points != 1 else "")
        answers = len(self.answers)
        cases = self.hidden_cases
        if answers > 1 and len(cases) == 1:
            note += ", only if " + ("both" if answers == 2 else f"all {answers}")
            note += " answers are right"
        elif answers > 1 and sorted(a for c, _ in cases for a in c) == sorted(self.answers):
            note += ", one per answer"
        return note

    @property
    def imports(self) -> list[str]:
        """The import statements of the solution code (given to students with the stub)."""
        out: list[str] = []
        for source in self.code:
            tree = _parse(source)
            for node in tree.body if tree else []:
                if isinstance(node, ast.Import | ast.ImportFrom):
                    line = ast.unparse(node)
                    if line not in out:
                        out.append(line)
        return out


@dataclass
class Chapter:
    """A chapter's assignment material: its title, setup cells and exercises."""

    name: str
    title: str
    setup: list[str]
    exercises: list[Exercise]

    @property
    def counts(self) -> tuple[int, int]:
        """(autograded questions, manually graded questions)."""
        manual = sum(e.manual for e in self.exercises)
        return len(self.exercises) - manual, manual

    @property
    def in_words(self) -> int:
        """Autograded questions that also ask for a written answer (see
        :attr:`Exercise.asks_in_words`)."""
        return sum(e.asks_in_words for e in self.exercises)


def _parse(source: str) -> ast.Module | None:
    """Parse a cell's code, with IPython magics and shell lines commented out."""
    lines = [
        "# " + line if line.lstrip().startswith(("%", "!")) else line
        for line in source.splitlines()
    ]
    try:
        with AST_LOCK:  # threads building ASTs at once trip a CPython 3.11 bug
            return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def names(source: str) -> tuple[set[str], set[str]]:
    """The names a cell binds and the names it reads (builtins left out).

    Parameters
    ----------
    source : str
        Python code (IPython magics are ignored).

    Returns
    -------
    (set of str, set of str)
        Names bound anywhere in the code (assignments, imports, ``def``, ``class``) and
        names loaded anywhere in it, except builtins.

    Example
    -------
    >>> defined, used = names("def f(a):\\n    return a + b")
    >>> sorted(defined), sorted(used)
    (['f'], ['a', 'b'])
    """
    tree = _parse(source)
    defined: set[str] = set()
    used: set[str] = set()
    for node in ast.walk(tree) if tree else []:
        if isinstance(node, ast.Name):
            (used if isinstance(node.ctx, ast.Load) else defined).add(node.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                if alias.name != "*":
                    defined.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined.add(node.name)
    return defined, used - _BUILTINS


def _ordered_loads(source: str) -> list[str]:
    tree = _parse(source)
    loads = [n for n in ast.walk(tree) if isinstance(n, ast.Name)] if tree else []
    loads.sort(key=lambda n: (n.lineno, n.col_offset))
    out: list[str] = []
    for n in loads:
        if isinstance(n.ctx, ast.Load) and n.id not in out and n.id not in _BUILTINS:
            out.append(n.id)
    return out


def _top_bindings(source: str) -> set[str]:
    """Names a cell binds outside any function, class or comprehension."""
    tree = _parse(source)
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                found.add(child.name)
            elif isinstance(child, ast.Lambda | ast.comprehension):
                continue
            elif isinstance(child, ast.Name) and not isinstance(child.ctx, ast.Load):
                found.add(child.id)
            else:
                visit(child)

    if tree:
        visit(tree)
    return found


def _mention(text: str, name: str) -> int:
    m = re.search(rf"`{re.escape(name)}`", text)
    return m.start() if m else len(text) + 1


def _flatten_roles(text: str) -> str:
    """MyST roles as plain Markdown: math as $..$, citations as [key], others as text."""

    def sub(m: re.Match[str]) -> str:
        role, inner = m["role"], m["text"]
        if role == "math":
            return f"${inner}$"
        if role.startswith("cite"):
            return f"[{inner}]"
        label = re.search(r"<([^>]+)>", inner)
        return (
            f"`{inner}`"
            if role in ("code", "py:func", "func")
            else (inner[: label.start()].strip() if label else inner)
        )

    return _ROLE.sub(sub, text)


def _options(body: str) -> tuple[dict[str, str], str]:
    """A directive body's ``:key: value`` options and the rest of its text."""
    lines = body.split("\n")
    opts: dict[str, str] = {}
    while lines and (m := _OPTION.match(lines[0])):
        opts[m["key"]] = m["value"].strip()
        lines.pop(0)
    return opts, "\n".join(lines).strip()


def _tags(cell: nbformat.NotebookNode) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def read_chapter(path: Path | str) -> Chapter:
    """Parse a chapter into its setup cells and exercises.

    Parameters
    ----------
    path : Path or str
        A MyST Markdown chapter (jupytext reads it).

    Returns
    -------
    Chapter
        ``setup`` holds the sources of the non-exercise code cells the exercises need, in
        reading order (see the module docstring).

    Raises
    ------
    ValueError
        If a solution has no end, or an autograded exercise's tests check no name its
        solution defines.
    """
    path = Path(path)
    nb = jupytext.read(path)
    title = path.stem
    exercises: dict[str, Exercise] = {}
    plain: list[str] = []  # non-exercise code cells
    current: Exercise | None = None  # inside a solution block when not None
    for cell in nb.cells:
        if cell["cell_type"] == "code":
            source = cell["source"]
            tags = _tags(cell)
            if current is None:
                if not tags & SKIP_TAGS:
                    plain.append(source)
            elif PUBLIC_TAG in tags:
                current.public.append(source)
            elif HIDDEN_TAG in tags:
                current.hidden.append(source)
            else:
                current.code.append(source)
            continue
        if cell["cell_type"] != "markdown":
            continue
        for kind, name, arg, body in split_directives(cell["source"], _DIRECTIVES):
            if kind == "text":
                heading = re.search(r"^# (.+)$", arg, flags=re.M)
                if heading and title == path.stem:
                    title = heading[1].strip()
                if current is not None and arg.strip():
                    current.prose.append(arg.strip())
                continue
            opts, text = _options(body)
            if name == "exercise":
                label = opts.get("label") or f"{path.stem}-ex-{len(exercises) + 1}"
                exercises[label] = Exercise(label, _flatten_roles(text))
            elif name in ("solution-start", "solution"):
                label = arg.split()[0] if arg else ""
                if label not in exercises:
                    raise ValueError(f"{path.name}: solution for unknown exercise {label!r}")
                current = exercises[label]
                if name == "solution":
                    if text:
                        current.prose.append(text)
                    current = None
            elif name == "solution-end":
                current = None
    if current is not None:
        raise ValueError(f"{path.name}: solution {current.label!r} has no {{solution-end}}")
    for ex in exercises.values():
        if not ex.manual and not ex.answers:
            raise ValueError(
                f"{path.name}: exercise {ex.label!r} has tests but they check no name its "
                "solution code assigns (name the answer variable in the exercise)"
            )
    return Chapter(
        path.stem, title, setup_slice(plain, list(exercises.values())), [*exercises.values()]
    )


def split_by_answer(source: str, answers: list[str]) -> list[tuple[list[str], str]]:
    r"""A hidden test cell as test cases, one per answer where it can be split.

    Each top-level statement that reads an answer is a check of that answer; a case is an
    answer's checks with the statements before them that they need (a backward slice, as
    in :func:`setup_slice`; a statement another answer's checks also need goes in both).
    The cell stays one case, checking every answer it reads, when a statement reads two
    answers (a loop over both, a check of one against the other) or some answer has no
    check of its own.

    Examples
    --------
    >>> split_by_answer("_r = 2\nassert a == _r\nassert b < 3", ["a", "b"])
    [(['a'], '_r = 2\nassert a == _r'), (['b'], 'assert b < 3')]
    >>> split_by_answer("assert a < b", ["a", "b"])
    [(['a', 'b'], 'assert a < b')]
    """
    read = names(source)[1]
    whole = [([a for a in answers if a in read] or list(answers), source)]
    units = statements(source)
    if len(answers) < 2 or len(units) < 2:
        return whole
    checks: dict[str, list[int]] = {a: [] for a in answers}
    for i, unit in enumerate(units):
        mine = [a for a in answers if a in names(unit)[1]]
        if len(mine) > 1:
            return whole
        if mine:
            checks[mine[0]].append(i)
    if not all(checks.values()):
        return whole
    others = {i for v in checks.values() for i in v}
    cases = []
    for a in answers:
        keep = set(checks[a])
        needed: set[str] = set()
        for j in range(max(keep), -1, -1):
            if j not in keep:
                if j in others or not names(units[j])[0] & needed:
                    continue
                keep.add(j)
            defined, used = names(units[j])
            needed = (needed - defined) | used  # what it binds is not needed from before
        cases.append(([a], "\n".join(units[j] for j in sorted(keep))))
    return cases


def statements(source: str) -> list[str]:
    r"""A cell's top-level statements, each as its source text (decorators included).

    A cell that does not parse is one statement.

    Example
    -------
    >>> statements("import numpy as np\n\nx = np.ones(\n    3)\nprint(x)")
    ['import numpy as np', 'x = np.ones(\n    3)', 'print(x)']
    """
    tree = _parse(source)
    if tree is None:
        return [source]
    lines = source.splitlines()
    out = []
    for node in tree.body:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        out.append("\n".join(lines[first - 1 : node.end_lineno]))
    return out


def setup_slice(cells: list[str], exercises: list[Exercise]) -> list[str]:
    r"""The setup the exercises need: a backward slice over the cells' statements.

    A top-level statement is kept when it binds a name the exercises (solutions and tests)
    read, or a name a kept statement reads. Statements that bind nothing (figures, glue,
    displays) are left out. Kept statements stay in their cells, in reading order.

    Example
    -------
    >>> ex = Exercise("e", "", code=["y = f(x)"], hidden=["assert y"])
    >>> cells = ["import numpy as np", "x = 1\nshow(x)", "def f(v):\n    return v", "z = 3"]
    >>> setup_slice(cells, [ex])
    ['x = 1', 'def f(v):\n    return v']
    """
    needed: set[str] = set()
    for ex in exercises:
        own: set[str] = set()
        used: set[str] = set()
        for source in ex.code + ex.public + ex.hidden:
            d, u = names(source)
            used |= u
            own |= d
        needed |= used - own  # what an exercise binds itself does not come from setup
    units = [(i, stmt) for i, cell in enumerate(cells) for stmt in statements(cell)]
    keep: set[int] = set()
    for j in range(len(units) - 1, -1, -1):
        defined, used = names(units[j][1])
        if defined & needed:
            keep.add(j)
            needed |= used
    kept: dict[int, list[str]] = {}
    for j in sorted(keep):
        kept.setdefault(units[j][0], []).append(units[j][1])
    return ["\n".join(stmts) for _, stmts in sorted(kept.items())]


# ---------------------------------------------------------------------------------------
# The otter-assign source notebook


def _raw(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_raw_cell(text)


def _md(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text)


def _code(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(text)


def _guard(answers: list[str]) -> str:
    """Lines that fail a test while an answer is still otter's ``...`` placeholder."""
    return "\n".join(
        f'assert {a} is not ..., "replace the ... in `{a} = ...` with your answer"' for a in answers
    )


#: What a student sees when a question's public tests pass.
FORM_OK = (
    "your answer has the right form; the hidden tests check its value when your notebook is graded"
)


def public_test(answers: list[str], source: str) -> str:
    """A public test cell that prints the first failed check's message, nothing else.

    Doctest (otter's test format) runs every line of a test even after one has failed,
    and prints each traceback: a placeholder answer gave 30 to 60 lines of knock-on
    errors. Here the checks run as one statement; the first failure prints its message
    (or the error's text), and otter shows that line as what the test got.

    Example
    -------
    >>> cell = public_test(["x"], "assert x > 0, 'x must be positive'")
    >>> for line in cell.splitlines()[3:7]:
    ...     print(line)
    try:
        assert x is not ..., "replace the ... in `x = ...` with your answer"
        assert x > 0, 'x must be positive'
    except Exception as _failed:
    """
    config = yaml.safe_dump({"success_message": FORM_OK}, width=1000).strip()
    body = "\n".join(x for x in (_guard(answers), source.strip()) if x) or "pass"
    indented = "\n".join(f"    {line}" if line else line for line in body.splitlines())
    return (
        f'""" # BEGIN TEST CONFIG\n{config}\n""" # END TEST CONFIG\n'
        f"try:\n{indented}\nexcept Exception as _failed:\n"
        "    print(str(_failed) or repr(_failed))"
    )


def solution_cell(ex: Exercise) -> str:
    """The solution code cell: the solution for the autograder, a stub for students.

    Example
    -------
    >>> ex = Exercise("e", "Store it in `x`.", code=["import math\\nx = math.pi"], hidden=["x"])
    >>> print(solution_cell(ex))
    import math
    # BEGIN SOLUTION NO PROMPT
    import math
    x = math.pi
    # END SOLUTION
    \"\"\" # BEGIN PROMPT
    x = ...
    \"\"\"; # END PROMPT
    """
    lines = list(ex.imports)
    lines.append("# BEGIN SOLUTION NO PROMPT" if ex.answers else "# BEGIN SOLUTION")
    lines += ["\n\n".join(c.strip("\n") for c in ex.code), "# END SOLUTION"]
    if ex.answers:
        lines.append('""" # BEGIN PROMPT')
        lines += [f"{a} = ..." for a in ex.answers]
        lines.append('"""; # END PROMPT')
    return "\n".join(lines)


def assignment_config(
    chapter: Chapter, requirements: str | None, python_version: str | None = PYTHON_VERSION
) -> str:
    """The ``# ASSIGNMENT CONFIG`` cell (YAML) for ``otter assign``.

    ``python_version`` is the Python of the grading image (``environment.yml`` in the
    autograder zip); otter's default is newer than the one the book is tested with.
    """
    config: dict[str, Any] = {
        "name": chapter.name,
        "init_cell": True,
        "check_all_cell": False,
        "export_cell": False,
        "run_tests": False,
        "solutions_pdf": False,
        "generate": {"show_stdout": False, "show_hidden": False},
        "tests": {"files": True, "ok_format": True},
    }
    if requirements:
        config["requirements"] = requirements
    if python_version:
        config["python_version"] = str(python_version)
    return "# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False)


def header(chapter: Chapter, chapter_link: str | None = None) -> str:
    r"""The notebook's opening text: what the exercises are and how to work on them.

    Example
    -------
    >>> ex = Exercise("q", "Store it in `x`. Why?", code=["x = 1"], hidden=["assert x"])
    >>> text = header(Chapter("c", "C", [], [ex, Exercise("w", "Explain.")]))
    >>> print(text.split("\n\n")[1])  # doctest: +NORMALIZE_WHITESPACE
    The exercises of the chapter *C* of *Lossy Self-Improvement*: 1 checked by tests and 1
    answered only in words. 1 of the tested questions also asks for an answer in words, in
    a text cell after the question's check. Your teacher grades the answers in words.
    """
    auto, manual = chapter.counts
    also = chapter.in_words
    title = f"[{chapter.title}]({chapter_link})" if chapter_link else f"*{chapter.title}*"
    if auto and manual:
        kinds = f"{auto} checked by tests and {manual} answered only in words"
    else:
        kinds = f"{auto} questions checked by tests" if auto else f"{manual} questions in words"
    text = f"The exercises of the chapter {title} of *Lossy Self-Improvement*: {kinds}."
    if also:
        verb = "asks" if also == 1 else "ask"
        text += (
            f" {also} of the tested questions also {verb} for an answer in words, in a text "
            "cell after the question's check."
        )
    if also or manual:
        text += " Your teacher grades the answers in words."
    if chapter_link:
        text += (
            " Read the chapter first (the link opens it as a notebook without the "
            "solutions; run it, on Colab for instance, to see its figures): the exercises "
            "refer to its text, figures and formulas, and each is numbered as in the book."
        )
    return (
        f"# Exercises: {chapter.title}\n\n{text}\n\n"
        "Run the cells in order, and keep the `tests` folder next to this notebook: the "
        "checks read it. (On Colab, open the Files panel, upload `tests.zip` there and run "
        "the cell *Initialize Otter* again: it unpacks the tests.) Replace each `...` with "
        "your answer. `grader.check(...)` runs the public tests: they check the form of "
        "your answer (its type, keys or range); when one fails, the line under *Got:* says "
        "what to fix. Hidden tests check the value when the notebook is graded, and they "
        "alone give the points; each question says how many."
    )


def source_notebook(
    chapter: Chapter,
    install: str | None = None,
    numbers: Mapping[str, int] | None = None,
    chapter_link: str | None = None,
    python_version: str | None = PYTHON_VERSION,
) -> nbformat.NotebookNode:
    """The otter-assign source notebook for a chapter.

    Parameters
    ----------
    chapter : Chapter
        From :func:`read_chapter`.
    install : str, optional
        A code cell that installs lossylib where it is missing (Colab); put first.
    numbers : mapping, optional
        Each exercise's number in the book, by label (the book numbers its exercises
        through all its pages); a question then reads "Exercise 14", as in the book.
    chapter_link : str, optional
        Where students can read the chapter (its student copy, without the solutions): the
        exercises refer to its text, figures and formulas.
    python_version : str, optional
        The grading image's Python (see :func:`assignment_config`).
    """
    numbers = numbers or {}
    cells = [
        _raw(assignment_config(chapter, "requirements.txt", python_version)),
        _md(header(chapter, chapter_link)),
    ]
    if install:
        cells.append(nbformat.v4.new_code_cell(install, metadata={"tags": [INSTALL_TAG]}))
    if chapter.setup:
        cells.append(_md("## Setup\n\nThe chapter's code the exercises build on."))
        cells += [_code(s) for s in chapter.setup]
    for ex in chapter.exercises:
        question: dict[str, Any] = {"name": ex.label}
        if ex.manual:
            question.update(points=1, manual=True)
        else:
            question["points"] = ex.test_points
        cells.append(_raw("# BEGIN QUESTION\n" + yaml.safe_dump(question, sort_keys=False)))
        kind = "graded by hand" if ex.manual else f"autograded, {ex.points_note}"
        name = (
            f"**Exercise {numbers[ex.label]}** (`{ex.label}`, {kind})"
            if ex.label in numbers
            else f"**Exercise `{ex.label}`** ({kind})"
        )
        cells.append(_md(f"{name}. {ex.prompt}"))
        cells.append(_raw("# BEGIN SOLUTION"))
        if ex.code or not ex.manual:
            cells.append(_code(solution_cell(ex)))
        prose = "\n\n".join(ex.prose) or "(The chapter gives no written answer.)"
        if ex.manual or ex.prose:
            cells.append(_md(prose))
        cells.append(_raw("# END SOLUTION"))
        if not ex.manual:
            cells.append(_raw("# BEGIN TESTS"))
            for source in ex.public_checks:
                cells.append(_code(public_test(ex.answers, source)))
            for checked, source in ex.hidden_cases:
                guard = _guard(checked)  # a ... left in another answer costs only its point
                cells.append(_code(f"# HIDDEN\n{guard}\n{source.strip()}"))
            cells.append(_raw("# END TESTS"))
        cells.append(_raw("# END QUESTION"))
        if ex.asks_in_words:
            # the tests check the stored answer; a question asked besides gets a text cell
            cells.append(
                _md(
                    f"*Your answer in words, where `{ex.label}` asks for one (not "
                    "autograded):* _replace this text._"
                )
            )
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    return nb


def assign(
    source: Path | str,
    out: Path | str,
    requirements: str = "",
    install: str | None = None,
    numbers: Mapping[str, int] | None = None,
    chapter_link: str | None = None,
    python_version: str | None = PYTHON_VERSION,
) -> Chapter:
    """Write ``out/student`` and ``out/autograder`` for one chapter with ``otter assign``.

    Parameters
    ----------
    source : Path or str
        The chapter (MyST Markdown).
    out : Path or str
        The assignment's folder (emptied first). The source notebook is kept in
        ``out/source``.
    requirements : str
        Lines of the autograder's ``requirements.txt`` (e.g. how to install lossylib).
    install : str, optional
        An install cell for the notebooks (see :func:`source_notebook`).
    numbers, chapter_link, python_version : optional
        The exercises' numbers in the book, the chapter's address and the grading image's
        Python (see :func:`source_notebook`).
    """
    chapter = read_chapter(source)
    if not chapter.exercises:
        raise ValueError(f"{Path(source).name} has no exercises")
    # otter runs in the source folder: paths relative to here would not be found there
    out = Path(out).resolve()
    shutil.rmtree(out, ignore_errors=True)
    src = out / "source"
    src.mkdir(parents=True)
    (src / "requirements.txt").write_text(requirements, encoding="utf-8")
    master = src / f"{chapter.name}.ipynb"
    notebook = source_notebook(chapter, install, numbers, chapter_link, python_version)
    nbformat.write(notebook, master)
    cmd = [sys.executable, "-m", "otter", "assign", "--no-pdfs", str(master), str(out)]
    run = subprocess.run(cmd, capture_output=True, text=True, cwd=src)
    if run.returncode != 0:
        raise RuntimeError(f"otter assign failed for {chapter.name}:\n{run.stderr[-3000:]}")
    for kind in ("student", "autograder"):
        _finish(out / kind / f"{chapter.name}.ipynb")
    zip_tests(out / "student")
    return chapter


#: The cell that starts otter's grader in the notebooks (replacing otter's
#: ``otter.Notebook("<chapter>.ipynb")``, which fails when the notebook is renamed, as
#: Colab's "Copy of <chapter>.ipynb" is).
INIT_SOURCE = """\
# Initialize Otter: the checks read the public tests in the folder `tests` next to this
# notebook. On Colab, upload tests.zip in the Files panel and run this cell again.
import os
import zipfile

import otter

if not os.path.isdir("tests") and os.path.isfile("tests.zip"):
    zipfile.ZipFile("tests.zip").extractall()
if not os.path.isdir("tests"):
    print("No tests folder next to this notebook: the checks cannot run until you put it "
          "(or tests.zip) here and run this cell again.")
grader = otter.Notebook(tests_dir="tests")"""


def _finish(path: Path) -> None:
    """Move the install cell above otter's init cell (which imports otter), and make the
    init cell work whatever the notebook is called (:data:`INIT_SOURCE`)."""
    nb = nbformat.read(path, as_version=4)
    install = [c for c in nb.cells if INSTALL_TAG in c.get("metadata", {}).get("tags", [])]
    nb.cells = install + [c for c in nb.cells if c not in install]
    inits = [
        c
        for c in nb.cells
        if c.cell_type == "code" and re.search(r"^grader = otter\.Notebook\(", c.source, re.M)
    ]
    if len(inits) != 1:
        raise RuntimeError(f"{path}: expected one otter init cell, found {len(inits)}")
    inits[0].source = INIT_SOURCE
    nbformat.write(nb, path)


def zip_tests(folder: Path) -> Path:
    """``folder/tests.zip``: the ``tests`` folder in one file, for Colab (whose Files panel
    uploads files, not folders); the init cell unpacks it."""
    target = folder / "tests.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted((folder / "tests").rglob("*")):
            if path.is_file():
                z.write(path, path.relative_to(folder).as_posix())
    return target


# ---------------------------------------------------------------------------------------
# Grading and the leak check


@dataclass
class Grade:
    """What grading one notebook gave: points, errors raised by its cells, seconds taken,
    and the points of each question (by otter's test name)."""

    score: float
    possible: float
    errors: list[str]
    seconds: float
    questions: dict[str, float] = field(default_factory=dict)


def grade(
    notebook: Path | str, autograder: Path | str, executed: Path | str | None = None
) -> Grade:
    """Grade a notebook as ``otter run`` does (locally, no container), in this process.

    ``errors`` lists the errors (name and message) of the cells that raised when the
    notebook ran. With ``executed``, the notebook as it ran (its outputs and errors) is
    written there.
    """
    check_grading_inputs(autograder, [notebook], "grade-one NOTEBOOK AUTOGRADER_ZIP")
    from otter.api import grade_submission

    start = time.perf_counter()
    results = grade_submission(str(notebook), str(autograder), quiet=True)
    seconds = time.perf_counter() - start
    ran = results.notebook or {}
    errors = [
        f"{o.get('ename')}: {o.get('evalue')}"
        for cell in ran.get("cells", [])
        for o in cell.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    questions = {name: float(results.get_score(name)) for name in results.test_files}
    if executed is not None and ran:
        possible = {name: float(results.get_result(name).possible) for name in results.test_files}
        submitted = nbformat.read(str(notebook), as_version=4)
        marks = {q: (questions[q], possible[q]) for q in questions}
        nbformat.write(handed_back(submitted, ran, marks), str(executed))
    return Grade(float(results.total), float(results.possible), errors, seconds, questions)


#: A check cell of the notebooks (``grader.check("question")``).
_CHECK = re.compile(r"""\bgrader\.check\(\s*["']([^"']+)["']\s*\)""")
#: A line of otter's log, which grading turns on (``[DEBUG otter.check...] ...``).
_OTTER_LOG = re.compile(r"^\[(DEBUG|INFO|WARNING|ERROR) otter\.[^\]]*\].*(\n|$)", re.M)


def handed_back(
    submitted: nbformat.NotebookNode,
    ran: Mapping[str, Any],
    marks: Mapping[str, tuple[float, float]],
) -> nbformat.NotebookNode:
    """The submission as it ran, fit to hand back: the student's cells with their outputs,
    and none of the hidden tests.

    Grading runs the checks with every test, hidden ones included, and a failed check
    prints the failed test's code; otter also adds cells of its own (grading mode,
    logging, the final checks) and turns on a debug log. So the cells otter added are
    left out, the log's lines are removed from the outputs, and each check cell's output
    is replaced by the points its question scored.

    Parameters
    ----------
    submitted : NotebookNode
        The notebook the student handed in.
    ran : mapping
        The notebook as grading ran it (otter's copy, with the added cells).
    marks : mapping
        ``(points scored, points possible)`` by question.

    Returns
    -------
    NotebookNode
        A copy of ``submitted`` with the outputs and execution counts of the cells that
        ran (matched in order by their code).

    Example
    -------
    >>> sub = nbformat.v4.new_notebook(cells=[_code("x = 1"), _code('grader.check("q")')])
    >>> ran = {"cells": [_code("init"), _code("x = 1"), _code('grader.check("q")')]}
    >>> ran["cells"][2].outputs = [nbformat.v4.new_output("stream", text="assert x == 1")]
    >>> back = handed_back(sub, ran, {"q": (0.0, 1.0)})
    >>> [c.source for c in back.cells], back.cells[1].outputs[0].text
    (['x = 1', 'grader.check("q")'], 'q: 0/1 point when graded\\n')
    """
    out = nbformat.reads(nbformat.writes(submitted), as_version=4)  # a copy
    # through JSON and back, as nbformat reads files: sources and texts are strings
    whole = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, **ran}
    ran = nbformat.reads(json.dumps(whole, default=dict), as_version=4)
    executed = [c for c in ran.get("cells", []) if c.get("cell_type") == "code"]
    at = 0
    for cell in out.cells:
        if cell.cell_type != "code":
            continue
        match = next(
            (i for i in range(at, len(executed)) if executed[i].get("source") == cell.source),
            None,
        )
        cell.outputs = []
        cell.execution_count = None
        if match is None:
            continue
        at = match + 1
        cell.execution_count = executed[match].get("execution_count")
        checked = _CHECK.findall(cell.source)
        if checked:
            lines = []
            for q in checked:
                got, possible = marks.get(q, (0.0, 0.0))
                unit = "point" if possible == 1 else "points"
                lines.append(f"{q}: {got:g}/{possible:g} {unit} when graded\n")
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="".join(lines))]
            continue
        for o in executed[match].get("outputs", []):
            if o.get("output_type") == "stream":
                o.text = _OTTER_LOG.sub("", o.text)
                if not o.text:
                    continue
            cell.outputs.append(o)
    return out


def check_grading_inputs(autograder: Path | str, notebooks: list[Path], usage: str) -> None:
    """Raise a one-line ValueError unless ``autograder`` is a zip file and each of
    ``notebooks`` a notebook file (not a zip): swapped arguments say so.

    ``usage`` is the command's argument order, quoted in the message.
    """
    autograder = Path(autograder)
    if not autograder.is_file():
        raise ValueError(f"no autograder zip {autograder} (usage: {usage})")
    if not zipfile.is_zipfile(autograder):
        raise ValueError(f"{autograder} is not an autograder zip (usage: {usage})")
    for nb in map(Path, notebooks):
        if not nb.is_file():
            raise ValueError(f"no such notebook: {nb}")
        if zipfile.is_zipfile(nb):
            raise ValueError(f"{nb} is a zip, not a notebook (usage: {usage})")


#: How many times a grading run whose kernel could not start because its port was taken
#: is tried again (see :func:`grade_subprocess`).
PORT_RETRIES = 2

#: Seconds one submission may take to grade (the chapters' solutions take under a minute).
GRADE_TIMEOUT = 900


class GradingTimeout(RuntimeError):
    """A submission took longer than its time limit (a loop that never ends, say)."""


def _kill_tree(pid: int) -> None:
    """Kill a process, its process group and every process below it (the kernel, which
    jupyter_client starts in a session of its own, included)."""
    try:
        import psutil  # ipykernel needs it, so a grading environment has it
    except ImportError:
        psutil = None
    children = []
    if psutil is not None:
        with contextlib.suppress(psutil.Error):
            children = psutil.Process(pid).children(recursive=True)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.kill()


def _run(cmd: list[str], timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` in a session of its own, capturing its output; past ``timeout`` seconds
    kill it and everything it started, and raise :class:`GradingTimeout`."""
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_tree(proc.pid)
        proc.communicate()
        raise GradingTimeout(f"stopped after {timeout:g} s") from None
    except BaseException:
        _kill_tree(proc.pid)
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def grade_subprocess(
    notebook: Path | str,
    autograder: Path | str,
    timeout: float | None = None,
    executed: Path | str | None = None,
) -> Grade:
    """:func:`grade` in a fresh Python process (so several can run at once), stopped
    after ``timeout`` seconds (:class:`GradingTimeout`).

    Kernels started at the same moment can pick the same free port (jupyter_client
    chooses a port, releases it, and the kernel binds it later); the loser dies with
    "Address already in use" before running any cell. Such a run is tried again, up to
    :data:`PORT_RETRIES` times; any other failure is raised at once.
    """
    cmd = [sys.executable, "-m", "lossylib.assignments", "grade-one", str(notebook)]
    cmd += [str(autograder)] + (["--executed", str(executed)] if executed else [])
    for attempt in range(PORT_RETRIES + 1):
        run = _run(cmd, timeout)
        if run.returncode == 0:
            return Grade(**json.loads(run.stdout.strip().splitlines()[-1]))
        if "Address already in use" not in run.stderr or attempt == PORT_RETRIES:
            break
    raise RuntimeError(f"grading {notebook} failed:\n{run.stderr[-3000:]}")


@dataclass
class Graded:
    """One submission of :func:`grade_all`: its grade, or why it has none."""

    notebook: Path
    grade: Grade | None
    problem: str = ""


def grade_all(
    autograder: Path | str,
    notebooks: list[Path],
    out: Path | str,
    timeout: float = GRADE_TIMEOUT,
    jobs: int = 1,
    progress: Any = None,
) -> list[Graded]:
    """Grade submissions without containers, each in a process of its own (see
    :func:`grade_subprocess`), and write what teachers need into ``out``.

    ``out/scores.csv`` has a row per submission: its file, score, points possible, the
    points of each question, ``status`` (``graded``, ``timed out`` after ``timeout``
    seconds, or ``failed``), the errors its cells raised and the seconds it took.
    ``out/executed/<name>.ipynb`` is each submission as it ran: where a cell raised, it
    shows the student's own error, of which otter's ``results.json`` shows only the
    knock-on errors of the tests. ``progress`` is called with each :class:`Graded` as it
    is done (the command line prints a line).
    """
    out = Path(out)
    (out / "executed").mkdir(parents=True, exist_ok=True)
    names = _unique_names(notebooks)

    def one(notebook: Path) -> Graded:
        executed = out / "executed" / f"{names[notebook]}.ipynb"
        try:
            done = Graded(notebook, grade_subprocess(notebook, autograder, timeout, executed))
        except GradingTimeout as e:
            done = Graded(notebook, None, f"timed out: {e}")
        except (RuntimeError, ValueError, OSError) as e:
            done = Graded(notebook, None, f"failed: {str(e).strip().splitlines()[-1]}")
        if progress is not None:
            progress(done)
        return done

    with ThreadPoolExecutor(max(1, jobs)) as pool:
        graded = list(pool.map(one, notebooks))
    write_scores(graded, out / "scores.csv")
    return graded


def _unique_names(notebooks: list[Path]) -> dict[Path, str]:
    """A file name (without ``.ipynb``) for each submission; the same names get a number."""
    names: dict[Path, str] = {}
    seen: dict[str, int] = {}
    for nb in notebooks:
        stem = nb.stem
        seen[stem] = seen.get(stem, 0) + 1
        names[nb] = stem if seen[stem] == 1 else f"{stem}-{seen[stem]}"
    return names


def write_scores(graded: list[Graded], path: Path) -> None:
    """The CSV of :func:`grade_all`: one row per submission, a column per question."""
    questions = list(dict.fromkeys(q for g in graded if g.grade for q in g.grade.questions))
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(
            ["notebook", "score", "possible", *questions, "status", "errors", "seconds"]
        )
        for g in graded:
            if g.grade is None:
                writer.writerow([g.notebook, "", "", *[""] * len(questions), g.problem, "", ""])
                continue
            r = g.grade
            writer.writerow(
                [g.notebook, f"{r.score:g}", f"{r.possible:g}"]
                + [f"{r.questions[q]:g}" if q in r.questions else "" for q in questions]
                + ["graded", "; ".join(r.errors), f"{r.seconds:.0f}"]
            )


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        if value and all(isinstance(v, str) for v in value):
            yield "".join(value)
        else:
            for v in value:
                yield from _strings(v)


def student_text(folder: Path | str) -> str:
    """All text a student gets: every file under ``folder``, zip members and notebooks'
    JSON strings included."""
    parts: list[str] = []

    def add(name: str, data: bytes) -> None:
        if name.endswith(".zip"):
            import io

            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for member in z.namelist():
                    add(member, z.read(member))
            return
        text = data.decode("utf-8", errors="replace")
        if name.endswith(".ipynb"):
            parts.extend(_strings(json.loads(text)))
        else:
            parts.append(text)

    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            add(path.name, path.read_bytes())
    return "\n".join(parts)


def _lines(text: str, minimum: int = 12) -> list[str]:
    return [s for line in text.splitlines() if len(s := line.strip()) >= minimum]


def _bare_names(tree: ast.Module) -> bool:
    """True for code that only displays names (``x`` or ``x, y``)."""
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return False
    value = tree.body[0].value
    items = value.elts if isinstance(value, ast.Tuple) else [value]
    return all(isinstance(v, ast.Name) for v in items)


def _code_variants(source: str, minimum: int = 12) -> list[tuple[str, ...]]:
    """Each code line with the form ``ast.unparse`` gives it (otter rewrites tests so), plus
    the lines of the whole cell unparsed (statements spread over several lines)."""
    groups: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for line in _lines(source, minimum):
        forms = [line]
        tree = _parse(line)
        if tree is not None and _bare_names(tree):
            continue  # a display of answer names gives nothing away
        if tree is not None and tree.body:
            forms += [u for u in _lines(ast.unparse(tree), minimum) if u != line]
        groups.append(tuple(forms))
        seen.update(forms)
    tree = _parse(source)
    for line in _lines(ast.unparse(tree), minimum) if tree else []:
        parsed = _parse(line)
        if line not in seen and (parsed is None or not _bare_names(parsed)):
            groups.append((line,))
            seen.add(line)
    return groups


def secrets(chapter: Chapter) -> list[tuple[str, ...]]:
    """What only the solutions and hidden tests contain (must not reach students).

    Each entry holds the forms one line may take: solution code lines (imports aside:
    students get those) and hidden-test lines, each also as ``ast.unparse`` writes it (otter
    stores tests that way), and solution prose lines; at least 12 characters long, and not
    also part of what a student is meant to see (setup cells, exercise texts, public tests).
    """
    shown_text = "\n".join(
        chapter.setup
        + [e.prompt for e in chapter.exercises]
        + [s for e in chapter.exercises for s in e.public]
    )
    shown = {f for g in _code_variants(shown_text) for f in g} | set(_lines(shown_text))
    found: list[tuple[str, ...]] = []
    for ex in chapter.exercises:
        groups = [
            g
            for source in ex.code
            for g in _code_variants(source)
            if not g[0].startswith(("import ", "from "))
        ]
        groups += [g for source in ex.hidden for g in _code_variants(source)]
        groups += [(line,) for line in _lines("\n".join(ex.prose))]
        found += [g for g in groups if not set(g) & shown and g not in found]
    return found


def leaks(chapter: Chapter, folder: Path | str) -> list[str]:
    """The :func:`secrets` of ``chapter`` found (in any of their forms) anywhere in
    ``folder``, each named by its first form."""
    text = student_text(folder)
    return [g[0] for g in secrets(chapter) if any(form in text for form in g)]


# ---------------------------------------------------------------------------------------
# The whole book


def chapters_with_exercises(root: Path | str) -> list[Path]:
    """The pages of ``root/_toc.yml`` (in reading order) that contain an ``{exercise}``."""
    from lossylib.notebooks import toc_files

    return [
        p
        for p in toc_files(Path(root).resolve())
        if p.suffix == ".md"
        and re.search(r"^\s*(`{3,}|:{3,})\{exercise\}", p.read_text(encoding="utf-8"), flags=re.M)
    ]


def python_version(root: Path | str) -> str:
    """The Python the book is tested with: ``runtime.txt`` (``python-3.11``), else
    :data:`PYTHON_VERSION`.

    Example
    -------
    >>> python_version(Path(__file__).resolve().parents[1])
    '3.11'
    """
    runtime = Path(root) / "runtime.txt"
    text = runtime.read_text(encoding="utf-8") if runtime.is_file() else ""
    m = re.search(r"python-(\d+\.\d+)", text)
    return m[1] if m else PYTHON_VERSION


#: What of the repository the assignments install (``lossylib @ git+URL@commit``).
INSTALLED_PATHS = ("lossylib", "pyproject.toml", "requirements.txt")


def pin_warnings(root: Path | str, commit: str | None) -> list[str]:
    """Why the lossylib an assignment installs (from ``repository: url`` at ``commit``)
    may not be the one it was built and tested with; empty when it is.

    Three cases: no commit (not a git checkout: the install follows a branch), changes
    to :data:`INSTALLED_PATHS` not committed (the pinned commit lacks them), and a
    checkout whose ``origin`` is not ``repository: url`` (a fork that still installs
    from the book's repository).
    """
    from lossylib import notebooks as nbs

    root = Path(root)
    url, branch = nbs.repository(root)
    found = []
    if commit is None:
        found.append(
            f"{root} is not a git checkout: the assignments install lossylib from {url} at "
            f"{branch or 'its default branch'}, whatever that holds when they are graded"
        )
    else:
        dirty = nbs.uncommitted(root, INSTALLED_PATHS)
        if dirty:
            more = f" and {len(dirty) - 3} more" if len(dirty) > 3 else ""
            found.append(
                f"uncommitted changes ({', '.join(dirty[:3])}{more}): the assignments "
                f"install lossylib at commit {commit[:12]}, without them; commit and push first"
            )
    origin = nbs.git_origin(root)
    if origin and not nbs.same_repository(origin, url):
        found.append(
            f"_config.yml's 'repository: url' is {url}, but this checkout comes from "
            f"{origin}: set it to the repository you push to"
        )
    return found


def reading_link(root: Path, page: Path) -> str | None:
    """Where an assignment's header sends students to read the chapter: its student copy
    (no solutions, no hidden tests) on the notebooks branch; None for a page outside
    ``root``. (The instructor copy beside it holds every solution and hidden test.)

    Example
    -------
    >>> root = Path(__file__).resolve().parents[1]
    >>> reading_link(root, root / "chapters" / "tail-loss.md").split("/blob/")[1]
    'notebooks/student/chapters/tail-loss.ipynb'
    """
    from lossylib.notebooks import notebook_link

    inside = page.resolve().is_relative_to(Path(root).resolve())
    return notebook_link(Path(root), page, student=True) if inside else None


def build_all(
    root: Path | str,
    out: Path | str,
    jobs: int = 2,
    only: list[Path] | None = None,
    strict: bool = False,
) -> dict[str, Chapter]:
    """Write an assignment for every chapter with exercises (or just ``only``); return
    them by name.

    Each notebook installs lossylib (where it is missing) from the book's repository at
    the commit checked out; :func:`pin_warnings` says when that may not be the code the
    assignments were built with: printed to stderr, one line each, or with ``strict`` a
    ValueError. Each question links the chapter's student copy (no solutions) on the
    notebooks branch.
    """
    from lossylib.notebooks import (
        book_files,
        git_commit,
        index_book,
        install_cell,
        install_packages,
    )

    root = Path(root).resolve()
    commit = git_commit(root)
    for warning in pin_warnings(root, commit):
        if strict:
            raise ValueError(warning)
        print(f"warning: {warning}", file=sys.stderr)
    pinned = install_packages(root, commit)
    install = install_cell([*pinned, OTTER])["source"]
    requirements = "\n".join([*pinned, OTTER_GRADING]) + "\n"
    sources = chapters_with_exercises(root) if only is None else [Path(p) for p in only]
    numbers = index_book(root, book_files(root)).exercises
    out = Path(out).resolve()
    python = python_version(root)

    def one(p: Path) -> Chapter:
        link = reading_link(root, p)
        return assign(p, out / p.stem, requirements, install, numbers, link, python)

    with ThreadPoolExecutor(max(1, jobs)) as pool:
        return {c.name: c for c in pool.map(one, sources)}


def book_root(start: Path | str = ".") -> Path:
    """The book's folder: ``start`` or the nearest parent holding ``_toc.yml``."""
    start = Path(start).resolve()
    for folder in (start, *start.parents):
        if (folder / "_toc.yml").is_file():
            return folder
    raise ValueError(f"no _toc.yml in {start} or above it: not inside the book")


_GREEK = {"rho": "ρ", "phi": "φ", "lambda": "λ", "delta": "δ", "sigma": "σ", "alpha": "α"}

#: Verbs that start an instruction, at the start of a sentence or of a clause after a
#: comma or colon ("Using X, find ..."): an exercise's task, not its set-up.
ASK_VERBS = (
    "add", "check", "compare", "compute", "count", "describe", "divide", "do",
    "estimate", "explain", "find", "fit", "give", "let", "make", "measure", "name",
    "plot", "predict", "read", "re-save", "repeat", "run", "search", "shift", "show",
    "simulate", "store", "take", "train", "try", "use",
)  # fmt: skip
_ASK = re.compile(r"(?:^|[,:;]\s+)(?:" + "|".join(map(re.escape, ASK_VERBS)) + r")\b", re.I)
_SENTENCE_END = re.compile(r"(?<!\bal)(?<!\be\.g)(?<!\bi\.e)[.?!](?=\s|$)")


def plain_text(text: str) -> str:
    r"""Markdown as plain text on one line: code marks, math marks and emphasis dropped,
    TeX Greek letters as letters, links as their text.

    Example
    -------
    >>> plain_text(r"Patents per *thousand*, $\phi$ and `x_1` ([docs](https://a.b)).")
    'Patents per thousand, φ and x_1 (docs).'
    """
    flat = " ".join(text.replace("`", "").split())
    flat = re.sub(r"\\(\w+)", lambda m: _GREEK.get(m[1], m[1]), flat).replace("$", "")
    flat = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", flat)
    flat = re.sub(r"(\*{1,2})(?=\S)(.+?)(?<=\S)\1", r"\2", flat)
    return re.sub(r"(?<!\w)(_{1,2})(?=\S)(.+?)(?<=\S)\1(?!\w)", r"\2", flat)


def asks(sentence: str) -> bool:
    """Whether a sentence asks something: a question, or an instruction (one of
    :data:`ASK_VERBS` at its start or after a comma or colon).

    Example
    -------
    >>> asks("Agents drawing from the same pool duplicate each other.")
    False
    >>> asks("Using the pool, find how many agents are needed."), asks("Why?")
    (True, True)
    """
    return sentence.rstrip().endswith("?") or bool(_ASK.search(sentence))


def summary(text: str, limit: int = 200) -> str:
    r"""An exercise text in brief and in plain text (:func:`plain_text`): its sentences up
    to the first that asks something (:func:`asks`), or that sentence alone if they are
    longer than ``limit``, and then the next one too if that sentence alone is short;
    cut at ``limit`` characters.

    Example
    -------
    >>> summary(r"Bloom et al. find $\phi < 1$. Store `phi` in `x`. More.")
    'Bloom et al. find φ < 1. Store phi in x.'
    >>> summary("Pools overlap. " + "Some set-up, " * 15 + "at length. Find *n*.")
    'Find n.'
    """
    flat = plain_text(text)
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(flat)]
    ends = [*starts[1:], len(flat)]
    sentences = [flat[i:j].strip() for i, j in zip(starts, ends, strict=True)]
    sentences = [t for t in sentences if t]
    if not sentences:
        return ""
    ask = next((i for i, t in enumerate(sentences) if asks(t)), 0)
    brief = " ".join(sentences[: ask + 1])
    if len(brief) > limit:
        brief = sentences[ask]
    if brief == sentences[ask] and len(brief) < 60 and ask + 1 < len(sentences):
        brief = f"{brief} {sentences[ask + 1]}"  # a short question alone says too little
    return brief if len(brief) <= limit else brief[: limit - 1].rsplit(" ", 1)[0] + "…"


def overview(root: Path | str) -> list[dict[str, Any]]:
    """One row per exercise of every chapter with exercises: what each assignment covers.

    Columns: ``assignment`` (the folder name), ``exercise`` (its number in the book, as
    the pages and the assignments' notebooks show it), ``question`` (the exercise label),
    ``graded`` (``"tests"``, ``"tests + words"`` for a question that also asks for a written
    answer, see :attr:`Exercise.asks_in_words`, or ``"by hand"``), ``answer`` (the
    variables it fills),
    ``points`` (autograded points, see :attr:`Exercise.test_points`) and ``task`` (the
    exercise in brief, from its set-up to the sentence that asks something, see
    :func:`summary`).
    """
    from lossylib.notebooks import book_files, index_book

    numbers = index_book(Path(root).resolve(), book_files(Path(root).resolve())).exercises
    rows = []
    for path in chapters_with_exercises(root):
        for ex in read_chapter(path).exercises:
            rows.append(
                {
                    "assignment": path.stem,
                    "exercise": numbers.get(ex.label),
                    "question": ex.label,
                    "graded": (
                        "by hand" if ex.manual else "tests + words" if ex.asks_in_words else "tests"
                    ),
                    "answer": ", ".join(ex.answers) or "written answer",
                    "points": 0 if ex.manual else sum(ex.test_points),
                    "task": summary(ex.prompt),
                }
            )
    return rows


def overview_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Totals of :func:`overview` rows: assignments, questions, autograded (``with_words``
    of them also asking for a written answer), by hand, points.

    Example
    -------
    >>> overview_counts([{"assignment": "a", "graded": "tests", "points": 2},
    ...                  {"assignment": "a", "graded": "tests + words", "points": 1},
    ...                  {"assignment": "a", "graded": "by hand", "points": 0}])
    ... # doctest: +NORMALIZE_WHITESPACE
    {'assignments': 1, 'questions': 3, 'autograded': 2, 'with_words': 1, 'by_hand': 1,
     'points': 3}
    """
    return {
        "assignments": len({r["assignment"] for r in rows}),
        "questions": len(rows),
        "autograded": sum(r["graded"].startswith("tests") for r in rows),
        "with_words": sum(r["graded"] == "tests + words" for r in rows),
        "by_hand": sum(r["graded"] == "by hand" for r in rows),
        "points": sum(r["points"] for r in rows),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m lossylib.assignments", description=__doc__.splitlines()[0]
    )
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write every chapter's assignment")
    b.add_argument("--root", type=Path, default=Path("."))
    b.add_argument("--out", type=Path, help="default ROOT/_build/assignments")
    b.add_argument("--jobs", type=int, default=2)
    b.add_argument(
        "--strict",
        action="store_true",
        help="stop, instead of warning, when the lossylib the notebooks install may not be "
        "this checkout's (no commit, uncommitted changes, another repository)",
    )
    g = sub.add_parser(
        "grade",
        help="grade submissions without containers: a CSV of scores and each executed notebook",
    )
    g.add_argument("autograder", type=Path, help="the assignment's autograder zip")
    g.add_argument("notebooks", type=Path, nargs="+", help="submitted notebooks")
    g.add_argument("--out", type=Path, default=Path("results"), help="default ./results")
    g.add_argument(
        "--timeout",
        type=float,
        default=GRADE_TIMEOUT,
        help=f"seconds per submission (default {GRADE_TIMEOUT})",
    )
    g.add_argument("--jobs", type=int, default=1, help="submissions graded at once")
    one = sub.add_parser("grade-one", help="grade one notebook; print the result as JSON")
    one.add_argument("notebook", type=Path)
    one.add_argument("autograder", type=Path)
    one.add_argument("--executed", type=Path, help="write the notebook as it ran here")
    a = ap.parse_args(argv)
    try:
        if a.command == "grade-one":
            r = grade(a.notebook, a.autograder, a.executed)
            print(json.dumps(r.__dict__))
            return 0
        if a.command == "grade":
            return _grade_command(a.autograder, a.notebooks, a.out, a.timeout, a.jobs)
        out = a.out or a.root / "_build" / "assignments"
        for name, chapter in build_all(a.root, out, a.jobs, strict=a.strict).items():
            auto, manual = chapter.counts
            print(f"{name}: {auto} autograded, {manual} graded by hand -> {out / name}")
    except (OSError, ValueError, RuntimeError, yaml.YAMLError, zipfile.BadZipFile) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


def _grade_command(
    autograder: Path, notebooks: list[Path], out: Path, timeout: float, jobs: int
) -> int:
    """``grade``: a line per submission as it is done, then where the results are."""
    missing = [str(n) for n in notebooks if not n.is_file()]
    if missing:
        raise ValueError(f"no such notebook: {', '.join(missing)}")
    check_grading_inputs(autograder, notebooks, "grade AUTOGRADER_ZIP NOTEBOOK...")

    def show(g: Graded) -> None:
        if g.grade is None:
            print(f"== {g.notebook}: {g.problem}", flush=True)
        else:
            errors = f" ({len(g.grade.errors)} cell errors)" if g.grade.errors else ""
            print(f"== {g.notebook}: {g.grade.score:g}/{g.grade.possible:g}{errors}", flush=True)

    graded = grade_all(autograder, notebooks, out, timeout, jobs, progress=show)
    print(f"scores: {out / 'scores.csv'}; notebooks as they ran: {out / 'executed'}/")
    return 0 if all(g.grade is not None for g in graded) else 1


if __name__ == "__main__":
    sys.exit(main())
