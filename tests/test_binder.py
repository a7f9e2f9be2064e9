"""Binder's launch button opens each chapter as a notebook, and Run All gives no error.

What Binder (repo2docker) does, done here once per run in ``_build/binder``:

1. its JupyterLab base environment: the versions below, from repo2docker's Python 3.11
   lock file (``repo2docker/buildpacks/conda/environment.py-3.11-linux-64.lock``);
2. ``pip install -r requirements.txt`` in the repository (a snapshot of the working tree);
3. ``pip install .`` (repo2docker installs a repository with ``pyproject.toml`` as a
   package);
4. the repository's ``postBuild``.

Steps 1-2 are reused while the pins and ``requirements.txt`` are unchanged (the venv is
keyed by their hash); 3-4 run every time. JupyterLab then starts on 127.0.0.1 with its
own, empty Jupyter folders (nothing from ``~/.jupyter``), and Chromium opens the exact
``urlpath`` of each built page's "Launch on Binder" button (two chapters at a time, each in
its own browser context). A chapter passes when a notebook panel (not the text editor)
shows it, Run All executes every code cell and no output is an error. The runs start in
the background as soon as the book is built (with a Chromium of their own), so they
overlap the other tests; the tests here wait for them, last of all.

Most buttons open the page's ``.ipynb`` copy through nbgitpuller's ``git-pull``
(``lossylib/sphinxext.py``): the copies of the fresh book build are published with the
publishing script (``.github/scripts/publish-notebooks.sh``) to the ``notebooks`` branch
of a local bare repository, and the link's ``repo`` (GitHub, out of reach here) is pointed
at it; the rest of the link is used as built (its inner ``urlpath`` opened in a workspace of
its own, see :func:`in_own_workspace`). Those chapters must also read as
plain Markdown: no markdown cell of the opened notebook holds MyST markup.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import yaml
from _envs import free_port, isolated_jupyter_env, make_venv, pip_install, run, snapshot
from bs4 import BeautifulSoup
from conftest import (
    BOOK,
    STOPPING,
    Build,
    chromium,
    chromium_missing,
    fail_or_skip_without_chromium,
    fresh_book,
    in_background,
    is_notebook,
    toc_pages,
)

from lossylib import notebooks
from lossylib.plain_markdown import leftovers
from lossylib.sphinxext import BINDER_FOLDER

pytestmark = [pytest.mark.book, pytest.mark.browser]

#: repo2docker's JupyterLab base for Python 3.11 (see the module docstring).
REPO2DOCKER_BASE = (
    "jupyterlab==4.4.9",
    "notebook==7.4.7",
    "jupyter_server==2.17.0",
    "ipywidgets==8.1.7",
)
WORK = BOOK / "_build" / "binder"
CHAPTERS = [p for p in toc_pages() if is_notebook(p)]
TABS = 2  # chapters run at the same time
#: Its tests run last (conftest): the runs they wait for start when the book is built.
RUNS_LAST = True
CHAPTER_TIMEOUT = 600  # seconds from opening a chapter to the end of Run All
STARTUP_TIMEOUT = 120
PULL_TIMEOUT = 120  # seconds for nbgitpuller to clone the notebooks branch and open a copy
PUBLISH_SCRIPT = Path(".github") / "scripts" / "publish-notebooks.sh"

#: The open document of ``path`` among JupyterLab's main-area widgets (not the current
#: widget: a restored tab could be current, and Run All must go to this chapter).
FIND_JS = """const find = (app, path) => Array.from(app.shell.widgets("main"))
  .find((x) => x.context && x.context.path === path);"""

#: Where the open document stands, read from JupyterLab's own models (the notebook may
#: not render cells that are scrolled out of view).
STATUS_JS = """async (path) => {
  const app = window.jupyterapp;
  if (!app || !app.shell) return {state: "loading"};
  FIND
  const w = find(app, path);
  if (!w) return {state: "loading"};
  const panel = !!(w.node && w.node.classList.contains("jp-NotebookPanel"));
  const editor = !!(w.node && w.node.querySelector(".jp-FileEditor"));
  if (!panel) return {state: editor ? "text-editor" : "other", cls: w.node.className};
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  const cells = w.content.model.cells;
  let pending = 0, code = 0;
  const errors = [];
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    if (c.type !== "code" || !c.sharedModel.getSource().trim()) continue;
    code += 1;
    if (typeof c.executionCount !== "number") pending += 1;
    for (let j = 0; j < c.outputs.length; j++) {
      const o = c.outputs.get(j).toJSON();
      if (o.output_type === "error") errors.push(o.ename + ": " + o.evalue);
    }
  }
  const busy = w.content.widgets.some((cell) => cell.model.type === "code"
    && cell.promptNode && cell.promptNode.textContent.includes("*"));
  const markdown = [];
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    if (c.type === "markdown") markdown.push(c.sharedModel.getSource());
  }
  return {state: "notebook", kernel: kernel ? kernel.status : null, code, pending,
          errors, busy, name: kernel ? kernel.name : null, markdown};
}""".replace("FIND", FIND_JS)

RUN_ALL_JS = """async (path) => {
  const app = window.jupyterapp;
  FIND
  const w = find(app, path);
  app.shell.activateById(w.id);  // run-all-cells acts on the active notebook
  await w.sessionContext.ready;
  // Not awaited: the command resolves only when every cell has run, and the test polls
  // both open chapters meanwhile.
  void app.commands.execute("notebook:run-all-cells");
  return true;
}""".replace("FIND", FIND_JS)


SHUTDOWN_JS = """async (path) => {
  const app = window.jupyterapp;
  FIND
  await find(app, path).sessionContext.shutdown();
}""".replace("FIND", FIND_JS)


#: Live explorables (ipywidgets) that the front end could not show, among rendered cells.
WIDGET_ERRORS_JS = """() => Array.from(document.querySelectorAll(".jp-OutputArea-output"))
  .map((o) => o.innerText || "")
  .filter((t) => t.includes("Error displaying widget") || t.includes("Error rendering"))"""


@dataclass
class Result:
    urlpath: str = ""
    ok: bool = False
    message: str = "not run"
    seconds: float = 0.0
    status: dict = field(default_factory=dict)


def launch_urlpath(html: Path) -> str:
    """The ``urlpath`` of a built page's "Launch on Binder" button."""
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    link = soup.find("a", title="Launch on Binder")
    if link is None:
        raise AssertionError(f"{html.name} has no 'Launch on Binder' button")
    query = parse_qs(urlparse(link["href"]).query)
    if "urlpath" not in query:
        raise AssertionError(f"the Binder link {link['href']} has no urlpath")
    return query["urlpath"][0]


def launch_target(urlpath: str) -> str:
    """The file a Binder ``urlpath`` opens in JupyterLab (after nbgitpuller, if it pulls)."""
    if urlpath.startswith("git-pull?"):
        urlpath = parse_qs(urlpath.partition("?")[2])["urlpath"][0]
    if not urlpath.startswith("lab/tree/"):
        raise AssertionError(f"the Binder urlpath {urlpath!r} does not open lab/tree/")
    return urlpath.removeprefix("lab/tree/")


def pull_from(urlpath: str, origin: Path) -> str:
    """A ``git-pull`` urlpath with its repository replaced by the local ``origin``."""
    if not urlpath.startswith("git-pull?"):
        return urlpath
    query = {k: v[0] for k, v in parse_qs(urlpath.partition("?")[2]).items()}
    query["repo"] = origin.as_uri()
    return "git-pull?" + urlencode(query)


def publish_copies(book_build: Build, repo: Path) -> Path:
    """The ``.ipynb`` copies of the fresh build on the ``notebooks`` branch of a bare repository.

    Written as ``make notebooks`` writes them and pushed by the publishing script, from the
    snapshot the Binder-like environment serves. Returns the bare repository.
    """
    executed = book_build.dir / "_build" / "jupyter_execute"
    if not executed.is_dir():
        pytest.fail(f"the book build executed nothing; build log tail:\n{book_build.tail()}")
    copies, origin = WORK / "copies", WORK / "origin.git"
    for old in (copies, origin):
        shutil.rmtree(old, ignore_errors=True)
    notebooks.write_all(repo, copies, executed=executed)
    run(["git", "init", "-q", "--bare", str(origin)])
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    run(["bash", str(PUBLISH_SCRIPT), str(copies), origin.as_uri(), "notebooks"], cwd=repo, env=env)
    return origin


def binder_environment() -> tuple[Path, dict[str, str], Path]:
    """The repo2docker-like venv, the snapshot it serves, and the environment to run in."""
    repo = WORK / "repo"
    snapshot(repo, BOOK)
    venv = WORK / "venv"
    key_text = "\n".join(REPO2DOCKER_BASE) + (repo / "requirements.txt").read_text()
    key = hashlib.sha256(key_text.encode()).hexdigest()
    stamp = venv / ".lossy-binder-key"
    python = venv / "bin" / "python"
    if not stamp.is_file() or stamp.read_text() != key:
        python = make_venv(venv)
        pip_install(python, *REPO2DOCKER_BASE)
        pip_install(python, "-r", "requirements.txt", cwd=repo)
        stamp.write_text(key)
    pip_install(python, ".", cwd=repo)
    # A fresh home each run, as on Binder: no saved workspace reopens a chapter in an editor.
    shutil.rmtree(WORK / "home", ignore_errors=True)
    env = isolated_jupyter_env(WORK / "home", venv)
    if (repo / "postBuild").is_file():
        run(["bash", "./postBuild"], cwd=repo, env=env, timeout=300)
    return repo, env, venv


def start_in_background(needs_book: bool) -> None:
    """Called by conftest at collection: prepare the environment, and (if a selected test
    needs them) run every chapter as soon as the book is built, while other tests run."""
    in_background("binder environment", binder_environment)
    if needs_book:
        in_background("binder runs", binder_session)


@contextmanager
def jupyterlab(repo: Path, env: dict[str, str], venv: Path) -> Iterator[tuple[str, str]]:
    """JupyterLab from the Binder-like environment on 127.0.0.1: (base URL, token)."""
    port, token = free_port(), secrets.token_hex(16)
    log = (WORK / "jupyterlab.log").open("w")
    cmd = [
        str(venv / "bin" / "jupyter"),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={repo}",
        f"--IdentityProvider.token={token}",
        "--LabApp.expose_app_in_browser=True",  # lets the test read JupyterLab's models
    ]
    if os.geteuid() == 0:  # CI containers (Binder itself runs as an ordinary user)
        cmd.append("--allow-root")
    proc = subprocess.Popen(cmd, cwd=repo, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    tail = (WORK / "jupyterlab.log").read_text()[-3000:]
                    pytest.fail(f"JupyterLab did not start:\n{tail}")
                time.sleep(0.5)
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@dataclass
class BinderSession:
    """What the background run of every chapter found (``missing``: why it could not)."""

    results: dict[str, Result] = field(default_factory=dict)
    missing: str | None = None


def binder_session() -> BinderSession:
    """In the background, once the book is built: JupyterLab in the Binder-like
    environment, a Chromium of this thread's own, and every chapter opened from its
    launch button and run (:func:`run_chapters`)."""
    book_build = fresh_book()
    missing = chromium_missing()
    if missing:
        return BinderSession(missing=missing)
    repo, env, venv = in_background("binder environment", binder_environment).result()
    with jupyterlab(repo, env, venv) as (base, token), chromium() as browser:
        return BinderSession(run_chapters(browser, book_build, base, token))


def in_own_workspace(urlpath: str, name: str) -> str:
    """The same ``lab/tree/...`` urlpath, opened in a JupyterLab workspace of its own.

    On Binder every reader gets a server of their own, whose default workspace is empty.
    Here two chapters share one server, and JupyterLab would restore each one's tabs into
    the other's window (the default workspace is kept on the server); a named workspace
    per chapter starts empty, as on Binder. In a ``git-pull`` urlpath, the one nbgitpuller
    goes to when it has pulled changes.
    """
    if urlpath.startswith("git-pull?"):
        query = {k: v[0] for k, v in parse_qs(urlpath.partition("?")[2]).items()}
        query["urlpath"] = in_own_workspace(query["urlpath"], name)
        return "git-pull?" + urlencode(query)
    if not urlpath.startswith("lab/tree/"):
        raise AssertionError(f"the Binder urlpath {urlpath!r} does not open lab/tree/")
    return f"lab/workspaces/{name.replace('/', '-')}/" + urlpath.removeprefix("lab/")


def _start(browser, base: str, token: str, urlpath: str, name: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(f"{base}/api/status?token={token}")  # logs in (sets the cookie)
    tab.goto(f"{base}/{in_own_workspace(urlpath, name)}")
    return context, tab


def run_chapters(browser, book_build: Build, base: str, token: str) -> dict[str, Result]:
    """Open every chapter from its built page's launch button in JupyterLab (at ``base``)
    and run it, :data:`TABS` at a time; what each showed."""
    origin = publish_copies(book_build, WORK / "repo")
    results = {c: Result() for c in CHAPTERS}
    for chapter in CHAPTERS:
        results[chapter].urlpath = launch_urlpath(book_build.html / f"{chapter}.html")
    queue = list(CHAPTERS)
    active: dict[str, tuple] = {}  # chapter -> (context, tab, start, phase)
    while queue or active:
        if STOPPING.is_set():  # the session is over (Ctrl-C, -x): leave the rest
            for context, *_ in active.values():
                context.close()
            break
        # One chapter opens at a time: nbgitpuller refuses a pull while another one runs
        # (on Binder each reader has a server of their own).
        while queue and len(active) < TABS and all(a[3] != "open" for a in active.values()):
            chapter = queue.pop(0)
            urlpath = pull_from(results[chapter].urlpath, origin)
            context, tab = _start(browser, base, token, urlpath, chapter)
            active[chapter] = (context, tab, time.monotonic(), "open")
        for chapter, (context, tab, start, phase) in list(active.items()):
            result = results[chapter]
            target = launch_target(result.urlpath)
            try:
                status = tab.evaluate(STATUS_JS, target)
            except Exception as e:  # noqa: BLE001 - a page still loading
                status = {"state": "loading", "error": str(e)[:200]}
            result.status = status
            elapsed = time.monotonic() - start
            done, message = False, ""
            if "/login" in tab.url:
                done, message = True, f"JupyterLab asked for a login at {tab.url}"
            elif "/git-pull" in tab.url and elapsed > PULL_TIMEOUT:
                shown = " ".join(tab.inner_text("body").split())[-600:]
                done, message = True, f"nbgitpuller did not open {target}: {shown}"
            elif status["state"] == "text-editor":
                done, message = True, "opened in the text editor, not as a notebook"
            elif status["state"] == "notebook" and phase == "open":
                if status.get("kernel") == "idle":
                    tab.evaluate(RUN_ALL_JS, target)
                    active[chapter] = (context, tab, start, "running")
            elif status["state"] == "notebook" and phase == "running":
                if status["errors"]:
                    done, message = True, f"error output: {status['errors'][:3]}"
                elif (
                    status["pending"] == 0 and not status["busy"] and status.get("kernel") == "idle"
                ):
                    broken = tab.evaluate(WIDGET_ERRORS_JS)
                    if broken:
                        done, message = True, f"widgets failed to display: {broken[:2]}"
                    else:
                        done, result.ok, message = True, True, ""
            if not done and elapsed > CHAPTER_TIMEOUT:
                done, message = True, f"timed out after {elapsed:.0f} s in state {status}"
            if done:
                result.message, result.seconds = message, elapsed
                shot = WORK / "screens" / f"{chapter}.png"
                shot.parent.mkdir(parents=True, exist_ok=True)
                tab.screenshot(path=str(shot))  # what the reader would see, for a failure
                if status.get("state") == "notebook":
                    try:
                        tab.evaluate(SHUTDOWN_JS, target)
                    except Exception:  # noqa: BLE001, S110 - the kernel is gone anyway
                        pass
                context.close()
                del active[chapter]
        if active:
            time.sleep(1.0)
    times = {c: round(r.seconds, 1) for c, r in results.items()}
    (WORK / "times.json").write_text(json.dumps(times, indent=1), encoding="utf-8")
    return results


@pytest.fixture(scope="module")
def binder_runs(book_build: Build) -> dict[str, Result]:
    """Every chapter's run (started in the background once the book was built)."""
    session = in_background("binder runs", binder_session).result()
    if session.missing:
        fail_or_skip_without_chromium(session.missing)
    return session.results


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_binder_opens_the_chapter_as_a_notebook_and_runs_it(
    binder_runs: dict[str, Result], chapter: str
) -> None:
    result = binder_runs[chapter]
    assert result.ok, f"{chapter} ({result.urlpath}): {result.message}"
    status = result.status
    assert status["code"] > 0 and status["pending"] == 0, status  # every code cell ran
    assert status["name"] == "python3", status


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_binder_opens_the_plain_copy_where_there_is_one(
    binder_runs: dict[str, Result], chapter: str
) -> None:
    """The prose a Binder reader sees has the book's numbers, not raw MyST markup."""
    result = binder_runs[chapter]
    if chapter in notebooks.REPOSITORY_PAGES:
        assert launch_target(result.urlpath) == f"{chapter}.md", result.urlpath
        return
    assert result.urlpath.startswith("git-pull?"), result.urlpath
    pull = {k: v[0] for k, v in parse_qs(result.urlpath.partition("?")[2]).items()}
    config = yaml.safe_load((BOOK / "_config.yml").read_text(encoding="utf-8"))
    assert pull["repo"] == config["repository"]["url"], pull
    assert pull["branch"] == "notebooks" and pull["targetPath"] == BINDER_FOLDER, pull
    assert launch_target(result.urlpath) == f"{BINDER_FOLDER}/{chapter}.ipynb", pull
    markdown = result.status.get("markdown")
    assert markdown, f"{chapter}: the opened notebook has no markdown cells"
    marked = [m[:200] for m in markdown if leftovers(m) or "{glue" in m]
    assert not marked, f"{chapter}: MyST markup in the notebook Binder opened: {marked[:2]}"


def test_every_chapter_has_a_binder_run(binder_runs: dict[str, Result]) -> None:
    assert CHAPTERS and sorted(binder_runs) == sorted(CHAPTERS)


def test_binder_installs_lossylib_as_a_package() -> None:
    """After ``pip install .`` lossylib is a regular install (not the editable one)."""
    _, _, venv = in_background("binder environment", binder_environment).result()
    probe = "import lossylib; print(lossylib.__file__)"
    where = run([str(venv / "bin" / "python"), "-c", probe], cwd=WORK)
    assert "site-packages" in where.stdout, where.stdout


def test_each_chapter_opens_in_a_workspace_of_its_own() -> None:
    assert in_own_workspace("lab/tree/chapters/a.md", "chapters/a") == (
        "lab/workspaces/chapters-a/tree/chapters/a.md"
    )
    pull = "git-pull?repo=r&urlpath=lab%2Ftree%2Fn%2Fa.ipynb"
    assert launch_target(pull) == "n/a.ipynb"
    pulled = in_own_workspace(pull, "a")
    assert parse_qs(pulled.partition("?")[2])["urlpath"] == ["lab/workspaces/a/tree/n/a.ipynb"]
    assert parse_qs(pull_from(pulled, Path("/o.git")).partition("?")[2])["repo"] == [
        "file:///o.git"
    ]
    with pytest.raises(AssertionError, match="does not open lab/tree/"):
        in_own_workspace("lab/workspaces/x/tree/a.md", "a")
