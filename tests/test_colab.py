"""The ``.ipynb`` copies run as they would on Colab or in a plain Jupyter, and read cleanly.

Once per run, in ``_build/colab``:

1. a snapshot of the repository is committed into a local git repository (Colab installs
   from GitHub; there is no network to GitHub here, so the install cell's git URL is
   rewritten to this local clone, at the same commit);
2. every page of ``_toc.yml`` is converted with the glued numbers of the fresh book build
   (``book_build``), the install cell pinned to that commit;
3. a bare Python 3.11 venv gets only a kernel and an executor (``ipykernel``, ``nbclient``:
   what Colab or any Jupyter provides); ``lossylib`` is not importable in it;
4. the first notebook runs alone (its first code cell installs ``lossylib`` and the pinned
   dependencies from PyPI, through pip's cache), then the others run two at a time.

Each chapter is a test of its own; a failing cell fails it with the cell's error.
"""

from __future__ import annotations

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from _envs import isolated_jupyter_env, make_venv, pip_install, run, snapshot
from conftest import BOOK, Build, fresh_book, in_background, is_notebook, toc_pages

from lossylib import notebooks
from lossylib.plain_markdown import leftovers

pytestmark = pytest.mark.book

WORK = BOOK / "_build" / "colab"
REPO_PINS = BOOK / "requirements.txt"
CHAPTERS = [p for p in toc_pages() if is_notebook(p) and p not in notebooks.REPOSITORY_PAGES]
WORKERS = 2
#: Its tests run last (conftest): the runs they wait for start when the book is built.
RUNS_LAST = True
NOTEBOOK_TIMEOUT = 900  # seconds for one notebook (the first one also installs lossylib)

#: Runs one notebook with nbclient. After a cell that shows ipywidgets, nbclient's
#: blocking wait for the next reply can sleep until its whole timeout although the reply
#: has arrived (jupyter/nbclient#312: one chapter took 646 s instead of 45). The runner
#: waits in steps of a second instead, with the same overall deadline.
RUNNER = """\
import queue
import sys
import time

import nbformat
from nbclient import NotebookClient


def patient(get_msg):
    async def get(timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = 1.0 if deadline is None else deadline - time.monotonic()
            try:
                return await get_msg(timeout=max(0.0, min(1.0, left)))
            except queue.Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    return get


class Client(NotebookClient):
    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        kc.shell_channel.get_msg = patient(kc.shell_channel.get_msg)
        return kc


source, target, cwd = sys.argv[1:4]
nb = nbformat.read(source, as_version=4)
client = Client(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": cwd}})
try:
    client.execute()
finally:
    nbformat.write(nb, target)
"""


def install_cell_of(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The copy's install cell: its first code cell, tagged as such."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and notebooks.INSTALL_TAG in code[0].metadata.get("tags", []), "no install cell"
    return code[0]


@dataclass
class ColabRun:
    commit: str
    spec: str
    notebooks: Path
    results: dict[str, tuple[bool, str, float]] = field(default_factory=dict)


def _execute(python: Path, env: dict, nb: Path, out: Path) -> tuple[bool, str, float]:
    start = time.perf_counter()
    try:
        run([str(python), str(WORK / "runner.py"), str(nb), str(out), str(nb.parent)],
            timeout=NOTEBOOK_TIMEOUT, env=env, cwd=WORK)  # fmt: skip
        ok, message = True, ""
    except Exception as e:  # noqa: BLE001 - reported per chapter
        ok, message = False, str(e)[-6000:]
    return ok, message, time.perf_counter() - start


def bare_venv() -> Path:
    """A bare Python 3.11 venv with only a kernel and an executor (no lossylib)."""
    python = make_venv(WORK / "venv")
    pins = notebooks.read_pins(REPO_PINS)
    pip_install(python, f"ipykernel=={pins['ipykernel']}", f"nbclient=={pins['nbclient']}")
    probe = "import importlib.util as u; print(u.find_spec('lossylib'))"
    probe = run([str(python), "-c", probe], cwd=WORK)
    assert probe.stdout.strip() == "None", "the bare venv must not have lossylib before the run"
    return python


def start_in_background(needs_book: bool) -> None:
    """Called by conftest at collection: make the bare venv, and (if a selected test needs
    them) run every copy as soon as the book is built, while other tests run."""
    in_background("colab venv", bare_venv)
    if needs_book:
        in_background("colab runs", lambda: run_copies(fresh_book()))


@pytest.fixture(scope="module")
def colab(book_build: Build) -> ColabRun:
    """The runs started in the background (``book_build`` is what they wait for)."""
    return in_background("colab runs", lambda: run_copies(fresh_book())).result()


def run_copies(book_build: Build) -> ColabRun:
    """Convert every page with the fresh build's glued numbers and run the copies."""
    executed = book_build.dir / "_build" / "jupyter_execute"
    if not executed.is_dir():
        pytest.fail(f"the book build executed nothing; build log tail:\n{book_build.tail()}")
    repo = WORK / "repo"
    commit = snapshot(repo, BOOK)
    out = WORK / "notebooks"
    notebooks.write_all(repo, out, executed=executed, commit=commit)
    spec = notebooks.install_spec(repo, commit)
    local = spec.replace(spec.split("@ ", 1)[1], f"git+file://{repo}@{commit}")
    for page in CHAPTERS:
        path = out / f"{page}.ipynb"
        nb = nbformat.read(path, as_version=4)
        first = install_cell_of(nb)
        assert spec in first.source, f"{page}: the install cell does not pin {spec!r}"
        first.source = first.source.replace(spec, local)
        nbformat.write(nb, path)

    python = in_background("colab venv", bare_venv).result()
    (WORK / "runner.py").write_text(RUNNER, encoding="utf-8")
    env = isolated_jupyter_env(WORK / "home", WORK / "venv")

    result = ColabRun(commit, spec, out)
    executed_dir = WORK / "executed"
    jobs = {p: (out / f"{p}.ipynb", executed_dir / f"{p}.ipynb") for p in CHAPTERS}
    for _, target in jobs.values():
        target.parent.mkdir(parents=True, exist_ok=True)
    if CHAPTERS:
        first = CHAPTERS[0]
        result.results[first] = _execute(python, env, *jobs[first])
        with ThreadPoolExecutor(WORKERS) as pool:
            futures = {p: pool.submit(_execute, python, env, *jobs[p]) for p in CHAPTERS[1:]}
            result.results.update({p: f.result() for p, f in futures.items()})
    times = {p: round(r[2], 1) for p, r in result.results.items()}
    (WORK / "times.json").write_text(json.dumps(times, indent=1), encoding="utf-8")
    return result


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_copy_runs_top_to_bottom_in_a_bare_venv(colab: ColabRun, chapter: str) -> None:
    ok, message, seconds = colab.results[chapter]
    assert ok, f"{chapter}.ipynb failed after {seconds:.0f} s:\n{message}"
    nb = nbformat.read(WORK / "executed" / f"{chapter}.ipynb", as_version=4)
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs
        if o.output_type == "error"
    ]  # fmt: skip
    assert not errors, f"{chapter}: error outputs {errors[:2]}"
    unrun = [c.source[:60] for c in nb.cells if c.cell_type == "code" and c.execution_count is None]
    assert not unrun, f"{chapter}: cells that did not run: {unrun[:3]}"
    # Links to chapters in outputs (the claims tables) go to the notebooks, not to pages
    # of the book that are not there.
    outputs = json.dumps([c.outputs for c in nb.cells if c.cell_type == "code"])
    to_pages = re.findall(r'href=\\"([^"\\]*\.html[^"\\]*)', outputs)
    assert not to_pages, f"{chapter}: outputs link to book pages: {sorted(set(to_pages))[:3]}"


def test_every_chapter_is_covered(colab: ColabRun) -> None:
    assert sorted(colab.results) == sorted(CHAPTERS)
    assert CHAPTERS, "the book has no executable chapter"


def test_copy_reads_cleanly(colab: ColabRun, page: str) -> None:
    if page in notebooks.REPOSITORY_PAGES:
        assert not (colab.notebooks / f"{page}.ipynb").exists(), f"{page} needs no copy"
        return
    nb = nbformat.read(colab.notebooks / f"{page}.ipynb", as_version=4)
    source = (BOOK / f"{page}.md").read_text(encoding="utf-8")
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert leftovers(cell.source) == [], f"{page}: MyST left in:\n{cell.source[:300]}"
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not is_notebook(page):
        assert not code, f"{page} is not a notebook but its copy has code cells"
        return
    assert notebooks.INSTALL_TAG in code[0].metadata.get("tags", [])
    assert colab.commit in code[0].source
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    if "{cite" in source:
        assert re.search(r"\((?:[^()]*?, (?:\d{4}|n\.d\.))", text), f"{page}: no (Author, Year)"
    if "{exercise}" in source:
        assert re.search(r"^### Exercise \d+", text, re.M), f"{page}: exercises are not headed"


def test_copy_numbers_figures_and_exercises_as_the_book_does(
    colab: ColabRun, book_build: Build, page: str
) -> None:
    """Captions "**Fig. N.**" and "### Exercise N" in the copy, in the order the book's page
    numbers its figures and exercises (through the whole book)."""
    from bs4 import BeautifulSoup

    if page in notebooks.REPOSITORY_PAGES:
        return
    nb = nbformat.read(colab.notebooks / f"{page}.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    soup = BeautifulSoup((book_build.html / f"{page}.html").read_text("utf-8"), "html.parser")
    book_figures = [
        int(re.search(r"\d+", c.get_text())[0]) for c in soup.select("figcaption .caption-number")
    ]
    book_exercises = [
        int(m[1])
        for t in soup.select(".exercise .admonition-title")
        if (m := re.search(r"Exercise (\d+)", t.get_text()))
    ]
    assert [int(n) for n in re.findall(r"^\*\*Fig\. (\d+)\.\*\*", text, re.M)] == book_figures
    assert [int(n) for n in re.findall(r"^### Exercise (\d+)", text, re.M)] == book_exercises
    if is_notebook(page) and "{exercise}" in (BOOK / f"{page}.md").read_text(encoding="utf-8"):
        assert book_exercises, f"{page}: the book's exercise titles were not found"


def test_install_cell_pins_lossylib_and_its_dependencies(colab: ColabRun) -> None:
    if not CHAPTERS:
        pytest.fail("the book has no executable chapter")
    nb = nbformat.read(colab.notebooks / f"{CHAPTERS[0]}.ipynb", as_version=4)
    installed = re.findall(r"^\s+'([^']+)',$", install_cell_of(nb).source, re.M)
    assert installed[0].endswith(f"@{colab.commit}")
    pins = notebooks.read_pins(BOOK / "requirements.txt")
    for requirement in installed[1:]:
        name, version = requirement.split("==")
        assert pins[name] == version, requirement
    assert {"numpy", "scipy", "matplotlib"} <= {r.split("==")[0] for r in installed[1:]}
