"""Shared fixtures: a fresh build of the whole book, an HTTP server for it, and Chromium.

The book is built once per session into ``_build/test`` (deleted first, so there is no
execution cache and every chapter runs anew). Tests marked ``book`` or ``browser`` use it;
``pytest -m "not book and not browser"`` is the quick loop. The build, and the slow set-up
that test modules declare with ``start_in_background()``, start in background threads as
soon as the tests are collected, and the modules that need the book run last (see
:func:`pytest_collection_modifyitems`); a session that ends early stops the build.

Environment variables:

``LOSSY_BOOK``
    Build another book folder instead of the repository (for developing these tests
    against a scratch book; the real suite never sets it).
``CI``
    When set, a missing Chromium fails the browser tests instead of skipping them.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from lossylib.notebooks import orphan_files, toc_files

# No property test has a time limit: speed is measured in bench/, not asserted in tests,
# and hypothesis's default limit of 200 ms an example failed a test that ran while the
# book built in the background (test_check_indices_accepts_exactly_enough_distinct_positions
# in a clean-clone `make test`).
settings.register_profile("lossy", deadline=None)
settings.load_profile("lossy")

REPO = Path(__file__).resolve().parents[1]
BOOK = Path(os.environ.get("LOSSY_BOOK", REPO)).resolve()
BUILD = BOOK / "_build" / "test"
HTML = BUILD / "_build" / "html"
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
BUILD_TIMEOUT = 1800  # seconds; the whole book normally builds in a few minutes


def toc_pages() -> list[str]:
    """Docnames of every page in the book's ``_toc.yml`` (e.g. ``chapters/claims``)."""
    return [p.relative_to(BOOK).with_suffix("").as_posix() for p in toc_files(BOOK)]


def orphan_pages() -> list[str]:
    """Docnames of pages built but kept out of the navigation (``orphan: true``)."""
    return [p.relative_to(BOOK).with_suffix("").as_posix() for p in orphan_files(BOOK)]


def book_pages() -> list[str]:
    """Every page the book builds: the ``_toc.yml`` pages, then the orphan pages."""
    return toc_pages() + orphan_pages()


def is_notebook(docname: str) -> bool:
    """Whether a page is an executable notebook (a kernelspec in its front matter)."""
    path = BOOK / f"{docname}.md"
    if not path.exists():
        return (BOOK / f"{docname}.ipynb").exists()
    text = path.read_text(encoding="utf-8")
    front = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    return bool(front and re.search(r"^kernelspec:", front.group(1), re.M))


@dataclass
class Build:
    returncode: int
    log: str
    seconds: float
    html: Path
    dir: Path = BUILD
    book: Path = BOOK

    pages = staticmethod(book_pages)
    is_notebook = staticmethod(is_notebook)

    def tail(self, lines: int = 15) -> str:
        """The warnings and errors of the build log, then its last lines."""
        log = self.log.splitlines()
        problems = [
            line
            for line in log
            if re.search(r"WARNING|ERROR|Error\b", line) and not line.startswith("[IPKernelApp]")
        ]
        head = problems[:40] + ([f"... {len(problems) - 40} more"] if len(problems) > 40 else [])
        return "\n".join(["warnings and errors:", *head, "...", *log[-lines:]])

    def exec_times(self) -> dict[str, float]:
        """Seconds each notebook took to execute, by docname, from the build log."""
        times = {}
        for path, secs in re.findall(
            r"^(\S+?)\.(?:md|ipynb): Executed notebook in ([\d.]+) sec", self.log, re.M
        ):
            times[Path(path).resolve().relative_to(BOOK).as_posix()] = float(secs)
        return times


#: Long-running processes started for the session (the book build), stopped at its end.
_CHILDREN: list[subprocess.Popen] = []


def _stop(proc: subprocess.Popen) -> None:
    """Stop a process started with ``start_new_session`` and everything it started."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass


def _build_book() -> Build:
    """Build the whole book fresh into ``_build/test`` (no execution cache)."""
    shutil.rmtree(BUILD, ignore_errors=True)
    BUILD.mkdir(parents=True)
    cmd = [str(JUPYTER_BOOK), "build", str(BOOK), "--path-output", str(BUILD)]
    cmd += ["-W", "-n", "--keep-going"]
    env = {**os.environ, "NO_COLOR": "1"}
    start = time.perf_counter()
    # Its own process group, so that a session ending early stops it and its kernels.
    proc = subprocess.Popen(
        cmd,
        cwd=BOOK,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    _CHILDREN.append(proc)
    try:
        log, _ = proc.communicate(timeout=BUILD_TIMEOUT)
        rc = proc.returncode
    except subprocess.TimeoutExpired:
        _stop(proc)
        log, _ = proc.communicate()
        rc, log = -1, (log or "") + f"\nbuild timed out after {BUILD_TIMEOUT} s"
    seconds = time.perf_counter() - start
    log = re.sub(r"\x1b\[[0-9;]*m", "", log)
    (BUILD / "build.log").write_text(log, encoding="utf-8")
    return Build(rc, log, seconds, HTML)


#: Slow set-up started in the background as soon as the tests are collected (see
#: :func:`pytest_collection_modifyitems`), by name: the book build, and whatever a test
#: module asks for with a module-level ``start_in_background()``.
_BACKGROUND: dict[str, Future] = {}
_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="lossy-setup")


def in_background(name: str, fn: Callable[[], object]) -> Future:
    """Start ``fn`` on a set-up thread once per session; the same future for later calls."""
    if name not in _BACKGROUND:
        _BACKGROUND[name] = _POOL.submit(fn)
    return _BACKGROUND[name]


def _needs_book(item: pytest.Item) -> bool:
    return "book_build" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Start the slow set-up now, and order the test modules to make use of two cores.

    The book build (a few minutes, one core) and each selected module's
    ``start_in_background()`` (e.g. Binder's environment, grading the assignments) start
    at collection (``needs_book`` tells a module whether any of its selected tests need
    the book, so that work waiting for the book starts only then). Modules then run in
    four groups: those with nothing in the background, those whose background work does
    not need the book, those that need the book, and last those that set ``RUNS_LAST``
    (their background work waits for the book and then takes minutes: Binder's and
    Colab's runs). Whole modules move (module fixtures are set up once); within a group
    the order is kept.
    """
    if config.option.collectonly:
        return
    modules = list(dict.fromkeys(item.module for item in items if item.module is not None))
    late = {item.module for item in items if _needs_book(item)}
    background = {m for m in modules if callable(getattr(m, "start_in_background", None))}

    def group(item: pytest.Item) -> int:
        if getattr(item.module, "RUNS_LAST", False):
            return 3
        return 2 if item.module in late else 1 if item.module in background else 0

    items.sort(key=group)  # stable: the order within a group is kept
    if late:
        in_background("book", _build_book)
    for module in modules:
        if module in background:
            module.start_in_background(needs_book=module in late)


def fresh_book() -> Build:
    """The fresh build of the whole book, started once (waits for it to finish)."""
    return in_background("book", _build_book).result()


#: The small chapter with exercises that the assignment and solution-switch tests use.
EXERCISE_FIXTURE = REPO / "tests" / "fixtures" / "assignments" / "fixture-chapter.md"


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> dict[str, Path]:
    """A small Sphinx project (the book's exercise and solution-switch extensions, one
    page: :data:`EXERCISE_FIXTURE`) built to HTML twice: with the solutions shown and
    hidden (``LOSSY_SOLUTIONS``). By mode, the folder each build wrote (its doctrees kept
    outside, as Jupyter Book keeps them)."""
    root = tmp_path_factory.mktemp("fixture-site")
    src = root / "src"
    src.mkdir()
    shutil.copy(EXERCISE_FIXTURE, src / "index.md")
    (src / "conf.py").write_text(
        'extensions = ["myst_nb", "sphinx_exercise", "lossylib.solutions_switch"]\n'
        'nb_execution_mode = "off"\nsuppress_warnings = ["myst.role_unknown"]\n'
    )
    sites = {}
    for mode in ("show", "hide"):
        out, doctrees = root / mode, root / f"doctrees-{mode}"
        env = {**os.environ, "LOSSY_SOLUTIONS": mode, "PYTHONPATH": str(REPO)}
        cmd = [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-d", str(doctrees)]
        run = subprocess.run(
            [*cmd, str(src), str(out)], capture_output=True, text=True, env=env, cwd=root
        )
        assert run.returncode == 0, run.stderr[-2000:]
        sites[mode] = out
    return sites


@pytest.fixture(scope="module")
def drawn(request) -> Iterator[dict]:
    """The figures of the requesting test module's ``_figures()`` (name, figure pairs,
    drawn with a chapter's own calls), drawn once per module and closed after it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figures = dict(request.module._figures())
    yield figures
    for fig in figures.values():
        plt.close(fig)


@pytest.fixture(scope="session")
def book_build() -> Build:
    """The fresh build of the whole book (started at collection; waited for here)."""
    return fresh_book()


#: Set when the session ends: background work that loops for minutes checks it and stops.
STOPPING = threading.Event()


def pytest_unconfigure(config: pytest.Config) -> None:
    """At the end of the session (also after -x or Ctrl-C), stop a build still running."""
    STOPPING.set()
    for proc in _CHILDREN:
        _stop(proc)
    _POOL.shutdown(wait=True, cancel_futures=True)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test taking a ``page`` argument runs once per page the book builds. The
    parameter is module-scoped, so pytest runs a module's tests of one page together
    (a browser test module loads each page once for its read-only checks)."""
    if "page" in metafunc.fixturenames:
        metafunc.parametrize("page", book_pages(), scope="module")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def book_url(book_build: Build) -> Iterator[str]:
    """The fresh build's HTML served on 127.0.0.1 (not file://)."""
    if not (book_build.html / "index.html").exists():
        pytest.fail(f"the book build wrote no HTML; build log tail:\n{book_build.tail()}")
    handler = functools.partial(_QuietHandler, directory=str(book_build.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


def chromium_missing() -> str | None:
    """Why Chromium cannot be driven here (None when it can)."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found: install Debian's 'chromium' package (make chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    return None


def fail_or_skip_without_chromium(missing: str) -> None:
    """Browser tests cannot pass without Chromium: they fail on CI and skip elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run on CI: {missing}")
    pytest.skip(f"browser tests skipped: {missing}")


@contextmanager
def chromium() -> Iterator[object]:
    """Headless Debian Chromium via Playwright, for the calling thread only (Playwright's
    objects belong to the thread that started them)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium via Playwright (never downloads a browser)."""
    missing = chromium_missing()
    if missing:
        fail_or_skip_without_chromium(missing)
    with chromium() as b:
        yield b
