"""Book-wide style checks on the chapters' source: no code line scrolls sideways, no
visible cell is only bookkeeping (gluing numbers into the page), and the code a reader
sees defines every name it uses.

Covers every page listed in ``_toc.yml`` (and ``intro.md``) that has code cells. A code
line a reader sees is at most :data:`MAX_SHOWN_LINE` characters, or
:data:`MAX_SOLUTION_LINE` in an exercise's solution, whose box is narrower (at 12 px code
the text column holds 78 and a solution 72 at 1200 px, where the page's contents appear
on the right and the column is narrowest; ``test_browser`` measures it), and any line at
most :data:`MAX_LINE` (removed cells are still in the notebooks readers download; the
cell's metadata block does not count: it is not shown). A cell a reader sees (not tagged
``remove-cell`` or ``remove-input``) must do more than call ``glue``/``glue_numbers`` and
compute the values those calls take.
The cells a reader sees (``hide-input`` ones included: a click shows them), copied in
order into a notebook of their own, must not use a name that only a removed cell
defines (ruff's undefined-name check, F821, on their code).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
MAX_LINE = 88
MAX_SHOWN_LINE = 78
MAX_SOLUTION_LINE = 72
GLUE_CALLS = {"glue", "glue_numbers", "glue_page"}
HIDDEN_TAGS = {"remove-cell", "remove-input"}


@dataclass
class Cell:
    line: int  # line number of the opening fence in the page
    tags: list[str]
    code: list[str]  # the source lines, metadata removed
    solution: bool = False  # inside an exercise's {solution-start} ... {solution-end}

    @property
    def visible(self) -> bool:
        return not HIDDEN_TAGS & set(self.tags)


def toc_pages(root: Path = ROOT) -> list[Path]:
    """The pages of the book: intro plus every ``file:`` entry of ``_toc.yml``."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return [root / f"{f}.md" for f in files if (root / f"{f}.md").exists()]


def code_cells(text: str) -> list[Cell]:
    """The ``{code-cell}`` blocks of a MyST Markdown page, with their tags."""
    lines = text.splitlines()
    cells, i, solution = [], 0, False
    while i < len(lines):
        if re.match(r"^`{3,}\{solution-(start|end)\}", lines[i]):
            solution = "start" in lines[i]
        m = re.match(r"^(`{3,})\{code-cell\}", lines[i])
        if not m:
            i += 1
            continue
        fence, start, i = m.group(1), i + 1, i + 1
        body = []
        while i < len(lines) and lines[i].rstrip() != fence:
            body.append(lines[i])
            i += 1
        i += 1
        tags: list[str] = []
        if body and body[0].strip() == "---":  # YAML metadata block
            end = next(j for j in range(1, len(body)) if body[j].strip() == "---")
            meta = yaml.safe_load("\n".join(body[1:end])) or {}
            tags = list(meta.get("tags", []))
            body = body[end + 1 :]
        else:
            while body and body[0].startswith(":"):
                key, _, value = body[0][1:].partition(":")
                if key.strip() == "tags":
                    tags = list(yaml.safe_load(value.strip()) or [])
                body = body[1:]
        cells.append(Cell(start, tags, body, solution))
    return cells


def line_limit(cell: Cell) -> int:
    """The longest code line that fits where ``cell`` is shown (see the module docstring)."""
    if not cell.visible:
        return MAX_LINE
    return MAX_SOLUTION_LINE if cell.solution else MAX_SHOWN_LINE


def long_lines(cell: Cell, limit: int = MAX_LINE) -> list[str]:
    return [line for line in cell.code if len(line) > limit]


def _call_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        f = node.func
        return f.id if isinstance(f, ast.Name) else getattr(f, "attr", None)
    return None


def only_glues(cell: Cell, later_code: str = "") -> bool:
    """True if the cell does nothing but glue values into the page: every statement is a
    glue call, a loop of them, or an assignment whose names only feed those calls."""
    source = "\n".join(line for line in cell.code if not line.lstrip().startswith(("%", "!")))
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    glue_names: set[str] = set()
    n_glue = 0
    for node in ast.walk(tree):
        if _call_name(node) in GLUE_CALLS:
            n_glue += 1
            for sub in ast.walk(node):
                if isinstance(sub, ast.Name):
                    glue_names.add(sub.id)
    if n_glue == 0:
        return False
    used_later = set(re.findall(r"[A-Za-z_]\w*", later_code))

    def bookkeeping(stmt: ast.stmt) -> bool:
        if isinstance(stmt, ast.Expr):
            return _call_name(stmt.value) in GLUE_CALLS
        if isinstance(stmt, ast.For | ast.While | ast.If):
            return all(bookkeeping(s) for s in stmt.body + stmt.orelse)
        if isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            return bool(names) and names <= glue_names and not names & used_later
        return False

    return all(bookkeeping(s) for s in tree.body)


PAGES = [p for p in toc_pages() if code_cells(p.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("chapter", PAGES, ids=lambda p: p.stem)
def test_no_code_line_scrolls_sideways(chapter: Path) -> None:
    bad = [
        f"{chapter.name}:{cell.line}: {len(line)} chars: {line.strip()[:60]}"
        for cell in code_cells(chapter.read_text(encoding="utf-8"))
        for line in long_lines(cell, line_limit(cell))
    ]
    assert not bad, (
        f"code lines over {MAX_SHOWN_LINE} characters (shown), {MAX_SOLUTION_LINE} (in a "
        f"solution) or {MAX_LINE} (removed) scroll sideways:\n" + "\n".join(bad)
    )


@pytest.mark.parametrize("chapter", PAGES, ids=lambda p: p.stem)
def test_no_visible_cell_only_glues(chapter: Path) -> None:
    cells = code_cells(chapter.read_text(encoding="utf-8"))
    bad = []
    for i, cell in enumerate(cells):
        later = "\n".join("\n".join(c.code) for c in cells[i + 1 :])
        if cell.visible and only_glues(cell, later):
            bad.append(f"{chapter.name}:{cell.line}")
    assert not bad, "visible cells that only glue (tag them remove-cell): " + ", ".join(bad)


def shown_code(cells: list[Cell]) -> str:
    """The code of the cells a reader sees, in order, IPython line magics and shell lines
    (at the start of a line) and cells run by a cell magic left out."""
    return "\n".join(
        line
        for cell in cells
        if cell.visible and not (cell.code and cell.code[0].startswith("%%"))
        for line in cell.code
        if not line.startswith(("%", "!"))
    )


def undefined_names(source: str) -> list[str]:
    """Ruff's undefined-name findings (F821) on ``source``: "line: message" each; code
    that does not parse raises (ruff would report no name in it)."""
    compile(source, "shown.py", "exec")
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "F821",
         "--output-format", "concise", "--no-cache", "--stdin-filename", "shown.py", "-"],
        input=source, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode not in (0, 1):
        raise RuntimeError(f"ruff failed: {result.stderr.strip()}")
    found = re.findall(r"^shown\.py:(\d+):\d+: F821 (.*)$", result.stdout, flags=re.M)
    return [f"{line}: {message}" for line, message in found]


@pytest.mark.parametrize("chapter", PAGES, ids=lambda p: p.stem)
def test_shown_code_defines_what_it_uses(chapter: Path) -> None:
    bad = undefined_names(shown_code(code_cells(chapter.read_text(encoding="utf-8"))))
    assert not bad, (
        f"{chapter.name}: the code a reader sees uses names only removed cells define "
        "(import or compute them in a shown cell):\n" + "\n".join(bad)
    )


# --- the checks themselves ----------------------------------------------------------------

PAGE = """
```{code-cell} ipython3
:tags: [remove-cell]

claims.glue_numbers("a", {"x": 1})
```

```{code-cell} ipython3
---
mystnb:
  figure:
    caption: a caption that is long enough to go well past eighty-eight characters in total
tags: [hide-input]
---
x = 1
```

```{code-cell} ipython3
v = compute()
glue("v", v, display=False)
```

```{code-cell} ipython3
runs = compute()
claims.glue_numbers("b", summary(runs))
```

```{code-cell} ipython3
for k in keys:
    glue(k, 1, display=False)
```
"""


def test_code_cells_are_parsed_with_tags():
    cells = code_cells(PAGE)
    assert [c.tags for c in cells] == [["remove-cell"], ["hide-input"], [], [], []]
    assert cells[1].code == ["x = 1"]  # metadata is not code
    assert not long_lines(cells[1])
    assert long_lines(Cell(1, [], ["y = 1", "z" * 89])) == ["z" * 89]


def test_only_glues_tells_bookkeeping_from_teaching():
    cells = code_cells(PAGE)
    assert only_glues(cells[0])
    assert not only_glues(cells[1])  # no glue at all
    assert only_glues(cells[2])  # computes only what it glues
    assert not only_glues(cells[2], later_code="plot(v)")  # v is used later: teaches
    assert not only_glues(cells[3], later_code="figure(runs)")
    assert only_glues(cells[4])
    assert not cells[0].visible and cells[2].visible


def test_toc_pages_include_intro_and_chapters():
    pages = {p.name for p in toc_pages()}
    assert "intro.md" in pages and "jpeg-generations.md" in pages


def test_undefined_names_sees_a_name_only_a_removed_cell_defines():
    page = """
```{code-cell} ipython3
:tags: [remove-cell]

from lossylib import claims
```

```{code-cell} ipython3
:tags: [hide-input]

%matplotlib inline
import numpy as np
```

```{code-cell} ipython3
x = np.arange(3)
claims.table([x])
```
"""
    cells = code_cells(page)
    assert "%matplotlib" not in shown_code(cells)
    assert [m.split(": ", 1)[1] for m in undefined_names(shown_code(cells))] == [
        "Undefined name `claims`"
    ]
    cells[0].tags = []  # shown, it defines the name
    assert undefined_names(shown_code(cells)) == []


def test_shown_code_that_does_not_parse_fails_loudly_and_cell_magics_are_left_out():
    with pytest.raises(SyntaxError):
        undefined_names("x = !ls\nprint(undefined_thing)")
    cells = [Cell(1, [], ["%%bash", "echo $HOME"]), Cell(5, [], ["y = 1 % 2"])]
    assert shown_code(cells) == "y = 1 % 2"


def test_solution_cells_get_the_narrower_limit():
    page = """
```{code-cell} ipython3
a = 1
```

```{solution-start} ex-1
:class: dropdown
```

```{code-cell} ipython3
b = 2
```

```{solution-end}
```

```{code-cell} ipython3
:tags: [remove-cell]

c = 3
```
"""
    cells = code_cells(page)
    assert [c.solution for c in cells] == [False, True, False]
    assert [line_limit(c) for c in cells] == [MAX_SHOWN_LINE, MAX_SOLUTION_LINE, MAX_LINE]
