"""Convert the book's MyST chapters to ``.ipynb`` notebooks, for Colab and for classrooms.

Every page listed in ``_toc.yml`` is converted with jupytext into
``_build/notebooks/<same path>.ipynb`` (the *instructor* copy) and, for teachers, into
``_build/notebooks/student/<same path>.ipynb`` (the *student* copy). Both start with a cell
that installs ``lossylib`` from the book's repository (``repository: url`` in
``_config.yml``) only when ``import lossylib`` fails, so a notebook opened in Colab runs.

A student copy is the instructor copy with every solution taken out (Neuromatch style):
prose between ``{solution-start}`` and ``{solution-end}`` (and any ``{solution}`` directive)
is removed, and the code cells of each solution are replaced by one cell that raises
``NotImplementedError("Student exercise: ...")``.

Usage (from the repository root; ``make notebooks`` runs ``all``)::

    python -m lossylib.notebooks [instructor | student | all] [--root .] [--out DIR]

writes instructor copies into ``DIR`` (default ``_build/notebooks``) and student copies into
``DIR/student``.

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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import yaml

INSTALL_TAG = "lossy-install"
EXERCISE_TAG = "lossy-student-exercise"

INSTALL_SOURCE = """\
# Outside the book's own environment (e.g. Colab): install lossylib if it is missing.
try:
    import lossylib  # noqa: F401
except ImportError:
    import subprocess
    import sys

    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", {spec!r}])"""

# An opening directive fence: ``` or ~~~ or ::: (colon_fence), three or more, then {name}.
_FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,}|:{3,})\{(?P<name>[\w-]+)\}\s*(?P<arg>.*)$")


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


def install_spec(root: Path) -> str:
    """The pip requirement for lossylib from ``repository: url`` (and ``branch``)."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    repo = config.get("repository") or {}
    url = (repo.get("url") or "").rstrip("/")
    if not url:
        raise ValueError("_config.yml has no 'repository: url'; notebooks cannot install lossylib")
    branch = repo.get("branch")
    return f"lossylib @ git+{url}" + (f"@{branch}" if branch else "")


def install_cell(spec: str) -> nbformat.NotebookNode:
    """The first cell of every converted notebook."""
    return _cell("code", INSTALL_SOURCE.format(spec=spec), tags=[INSTALL_TAG])


def _split(source: str) -> Iterator[tuple[str, str | None, str]]:
    """Split markdown into ``("text", None, text)`` and ``("directive", name, arg)`` pieces.

    Only the solution directives are cut out; every other line stays in the text.
    """
    lines = source.split("\n")
    text: list[str] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m and m["name"] in ("solution-start", "solution-end", "solution"):
            if text:
                yield "text", None, "\n".join(text)
                text = []
            fence = m["fence"]
            body: list[str] = []
            i += 1
            while i < len(lines):
                closing = lines[i].strip()
                if closing and set(closing) == {fence[0]} and len(closing) >= len(fence):
                    break
                body.append(lines[i])
                i += 1
            arg = m["arg"].strip()
            yield "directive", m["name"], arg
        else:
            text.append(lines[i])
        i += 1
    if text:
        yield "text", None, "\n".join(text)


def student_cells(cells: list[nbformat.NotebookNode]) -> list[nbformat.NotebookNode]:
    """The cells of a student copy: solutions removed, solution code replaced by a stub."""
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
        for kind, name, content in _split(cell["source"]):
            if kind == "directive":
                if name == "solution-start":
                    label, stubbed = content.split()[0] if content else "", False
                elif name == "solution-end":
                    label = None
            elif label is None:
                kept.append(content)
        text = "\n".join(kept).strip("\n")
        if text.strip():
            new = copy.deepcopy(cell)
            new["source"] = text
            out.append(new)
    if label is not None:
        raise ValueError(f"solution {label!r} has a {{solution-start}} but no {{solution-end}}")
    return out


def convert(source: Path, spec: str, student: bool = False) -> nbformat.NotebookNode:
    """One chapter as a notebook: the install cell first, then its cells."""
    nb = jupytext.read(source)
    nb.metadata.pop("jupytext", None)
    cells = student_cells(nb.cells) if student else list(nb.cells)
    nb.cells = [install_cell(spec), *cells]
    return nb


def write_all(root: Path, out: Path, student: bool = False) -> list[Path]:
    """Convert every page of the book; return the notebooks written."""
    root = root.resolve()
    spec = install_spec(root)
    written = []
    for source in toc_files(root):
        target = out / source.relative_to(root).with_suffix(".ipynb")
        target.parent.mkdir(parents=True, exist_ok=True)
        nb = convert(source, spec, student=student)
        nbformat.validate(nb)
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
            jobs.append((out / "student", True))
        for folder, student in jobs:
            written = write_all(a.root, folder, student=student)
            kind = "student" if student else "instructor"
            print(f"wrote {len(written)} {kind} notebook(s) into {folder}")
    except (OSError, ValueError, yaml.YAMLError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
