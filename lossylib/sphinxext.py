"""A tiny Sphinx extension for the book: point the Colab and Binder buttons at a real notebook.

Colab opens only ``.ipynb`` files, but the chapters are MyST Markdown (``.md``) notebooks.
``make notebooks`` converts every chapter to ``.ipynb`` and the publisher pushes that
folder to a branch of the repository (``notebooks`` by default, see the README). This
extension rewrites the Colab button of sphinx-book-theme so that it opens::

    {colab_url}/github/{org}/{repo}/blob/{lossy_notebooks_branch}/{pagename}.ipynb

Configuration (in ``_config.yml`` under ``sphinx: config:``):

``lossy_notebooks_branch`` (default ``"notebooks"``)
    The branch that holds the converted notebooks, laid out like the book
    (``chapters/jpeg-generations.ipynb``, ...).

The Binder button opens the same copy. JupyterLab would show the ``.md`` chapter's MyST
markup raw (``{glue:text}`key``` where the book prints a number, exercises as code
blocks), so the button builds the environment from the book's branch, as before, and
then lets nbgitpuller (installed by the top-level ``postBuild``) pull the notebooks
branch into ``notebooks/`` and open ``notebooks/{pagename}.ipynb``: the launch link is
Binder's documented way to keep content and environment apart::

    {binderhub_url}/v2/gh/{org}/{repo}/{branch}?urlpath=git-pull?repo={repository_url}
        &branch={lossy_notebooks_branch}&targetPath=notebooks
        &urlpath=lab/tree/notebooks/{pagename}.ipynb        (encoded once more)

In a book built without the solutions (``SOLUTIONS=hide``, :mod:`lossylib.solutions_switch`)
both buttons open the page's *student* copy instead, ``student/{pagename}.ipynb`` on the
same branch (``make notebooks`` writes both kinds, and the publisher pushes both).

Pages without a copy (:data:`lossylib.notebooks.REPOSITORY_PAGES`) open their ``.md``
source, which ``postBuild`` makes JupyterLab open as a notebook (jupytext). A JupyterHub
button would be left alone (``tests/test_binder.py`` runs both kinds of Binder link; the
book has no Thebe button, see ``_config.yml``).

Two small repairs of the theme stack, so a page loads without console errors:

- sphinx-thebe 0.3.1 adds its inline configuration script through ``app.add_js_file`` after
  the builder is set up, and Sphinx 7 then emits it twice in every page; the second copy
  throws "Identifier 'THEBE_JS_URL' has already been declared". Identical inline scripts
  are emitted once.
- pydata-sphinx-theme logs "Got invalid theme mode" on a reader's first visit unless
  ``html_context["default_mode"]`` is set; it defaults to ``"auto"`` (follow the system).

One for the Execution status page: MyST-NB's execution table shows each page's status
as an emoji (a green tick or a red cross), which a browser without an emoji font draws as
an empty box and a screen reader reads by its name, "check mark button"; it says
"succeeded" or "failed" instead.

One for the teachers' page (``chapters/for-teachers``), whose code reads every chapter's
source to tabulate the exercises (:func:`lossylib.assignments.overview`). Sphinx re-reads
a page only when its own source, or a file noted as its dependency, changes; this
extension notes ``_toc.yml`` and every page it lists as dependencies of the pages in
:data:`READS_THE_BOOK`, so an edit to a chapter makes Sphinx re-read the teachers' page
too. The page itself sets MyST-NB's ``execution_mode: force`` in its front matter, so it
then runs again instead of taking its outputs from the execution cache (which keys on
the page's own code, unchanged).

One for readers who download a page: the theme's ``.ipynb`` download button serves the
notebook MyST-NB executed, whose prose is MyST markup (``{glue:text}`key``` where the
page shows a number, citations and exercises as roles and directives) and which has no
cell that installs ``lossylib``, so it fails on its first import anywhere but in the
book's own environment. When the build finishes, each page's copy in ``_sources`` is
replaced by the same notebook ``make notebooks`` writes (:mod:`lossylib.notebooks`:
plain Markdown with the book's numbers, an install cell); in a book built with
``SOLUTIONS=hide`` it is the student copy, without the solutions (and the page's ``.md``
source, which holds them, is not offered: see :mod:`lossylib.solutions_switch`). Pages
without a copy (:data:`lossylib.notebooks.REPOSITORY_PAGES`) keep the theme's.

And one for readers without a network: MathJax is served from the book itself. The pinned
package ``sphinx-mathjax-offline`` ships MathJax 3; this extension copies the parts a page
needs (``tex-chtml.js``, the TeX extensions it may autoload and the CHTML fonts, about
2 MB) into ``_static/mathjax`` and points ``mathjax_path`` there. Without that package the
CDN default stays.
"""

from __future__ import annotations

import shutil
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from sphinx.application import Sphinx

from lossylib.notebooks import NOTEBOOKS_BRANCH, REPOSITORY_PAGES, copy_path, toc_files

DEFAULT_BRANCH = NOTEBOOKS_BRANCH
COLAB_TEXT = "Colab"
BINDER_TEXT = "Binder"
#: The folder nbgitpuller pulls the notebooks branch into, in a Binder session's home.
BINDER_FOLDER = "notebooks"


def colab_url(
    colab: str, org: str, repo: str, branch: str, pagename: str, student: bool = False
) -> str:
    """The Colab URL of a page's converted notebook on the notebooks branch (its student
    copy, without the solutions, with ``student``).

    Examples
    --------
    >>> colab_url("https://colab.research.google.com/", "o", "r", "notebooks", "ch/a")
    'https://colab.research.google.com/github/o/r/blob/notebooks/ch/a.ipynb'
    >>> colab_url("https://colab.research.google.com", "o", "r", "nb", "ch/a", student=True)
    'https://colab.research.google.com/github/o/r/blob/nb/student/ch/a.ipynb'
    """
    return f"{colab.rstrip('/')}/github/{org}/{repo}/blob/{branch}/{copy_path(pagename, student)}"


def students_only(app: Sphinx) -> bool:
    """Whether the book is built without the solutions (``lossy_solutions``, else the
    ``LOSSY_SOLUTIONS`` variable): its buttons then open the student copies."""
    from lossylib.solutions_switch import solutions_mode

    mode = getattr(getattr(app, "config", None), "lossy_solutions", None)
    return (mode or solutions_mode()) == "hide"


def _buttons(buttons: list[dict]) -> list[dict]:
    """Every button, with those inside groups, flattened."""
    out = []
    for b in buttons:
        out.append(b)
        out.extend(_buttons(b.get("buttons", [])))
    return out


def rewrite_colab_button(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context`` handler run after sphinx-book-theme's ``add_launch_buttons``."""
    options = app.config.html_theme_options or {}
    colab = (options.get("launch_buttons") or {}).get("colab_url", "")
    if not colab or "github_user" not in context or "github_repo" not in context:
        return
    if pagename in REPOSITORY_PAGES:
        _drop_colab(context.get("header_buttons", []))
        return
    for button in _buttons(context.get("header_buttons", [])):
        if button.get("text") == COLAB_TEXT and button.get("type") == "link":
            button["url"] = colab_url(
                colab,
                context["github_user"],
                context["github_repo"],
                app.config.lossy_notebooks_branch,
                pagename,
                student=students_only(app),
            )


def copy_urlpath(
    repo_url: str, branch: str, pagename: str, prefix: str = "lab/tree", student: bool = False
) -> str:
    """The ``urlpath`` that makes a Binder session pull the notebooks branch and open a copy
    (the student copy with ``student``).

    nbgitpuller's ``git-pull`` clones (or updates) ``branch`` of ``repo_url`` into
    :data:`BINDER_FOLDER` and then sends the browser to the page's copy there.

    Examples
    --------
    >>> for part in copy_urlpath("https://github.com/o/r", "notebooks", "ch/a").split("&"):
    ...     print(part)
    git-pull?repo=https%3A%2F%2Fgithub.com%2Fo%2Fr
    branch=notebooks
    targetPath=notebooks
    urlpath=lab%2Ftree%2Fnotebooks%2Fch%2Fa.ipynb
    """
    query = {
        "repo": repo_url,
        "branch": branch,
        "targetPath": BINDER_FOLDER,
        "urlpath": f"{prefix}/{BINDER_FOLDER}/{copy_path(pagename, student)}",
    }
    return "git-pull?" + urlencode(query)


def binder_url(
    theme_url: str, repo_url: str, branch: str, pagename: str, student: bool = False
) -> str:
    """The theme's Binder link (``...?urlpath=lab/tree/<page>.md``), opening the copy instead
    (the student copy with ``student``).

    The environment is still built from the book's own branch; only the ``urlpath`` changes
    (encoded once more, as Binder passes it on). The notebook interface's prefix (``lab/tree``
    or ``tree``) is kept.

    Examples
    --------
    >>> url = binder_url("https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/ch/a.md",
    ...                  "https://github.com/o/r", "notebooks", "ch/a")
    >>> url.split("?")[0]
    'https://mybinder.org/v2/gh/o/r/main'
    >>> from urllib.parse import parse_qs, urlsplit
    >>> parse_qs(urlsplit(url).query)["urlpath"] == [copy_urlpath("https://github.com/o/r",
    ...                                                           "notebooks", "ch/a")]
    True
    """
    base, _, query = theme_url.partition("?")
    urlpath = dict(parse_qsl(query)).get("urlpath", "")
    opened = urlsplit(urlpath).path.rsplit(".", 1)[0]
    if not opened.endswith("/" + pagename):
        raise ValueError(f"the Binder link {theme_url!r} does not open the page {pagename!r}")
    # The interface's prefix only: with ``path_to_book`` the theme's path has the book's
    # folder in it too, but the copies are at the top of the notebooks branch.
    prefix = "lab/tree" if opened.startswith("lab/") else "tree"
    path = copy_urlpath(repo_url, branch, pagename, prefix, student)
    return f"{base}?urlpath={quote(path, safe='')}"


def rewrite_binder_button(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context`` handler run after sphinx-book-theme's ``add_launch_buttons``."""
    options = app.config.html_theme_options or {}
    repo_url = (options.get("repository_url") or "").rstrip("/")
    if not repo_url or pagename in REPOSITORY_PAGES:
        return
    for button in _buttons(context.get("header_buttons", [])):
        if button.get("text") == BINDER_TEXT and button.get("type") == "link":
            button["url"] = binder_url(
                button["url"],
                repo_url,
                app.config.lossy_notebooks_branch,
                pagename,
                student=students_only(app),
            )


def _drop_colab(buttons: list[dict]) -> None:
    """Remove the Colab button (in place, groups included) from a page's buttons."""
    buttons[:] = [b for b in buttons if b.get("text") != COLAB_TEXT]
    for b in buttons:
        _drop_colab(b.get("buttons", []))


def name_sidebar_toggles(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give the sidebar's subpage toggles an accessible name.

    The theme's toggle for a sidebar entry with subpages is a ``<summary>`` holding only an
    icon, which screen readers announce as nothing (axe: summary-name). The sidebar comes
    from ``generate_toctree_html(kind="sidebar")``, which returns a BeautifulSoup tree (a
    string for other kinds); each bare ``<summary>`` gets ``aria-label="Subpages of
    <entry>"``.

    Examples
    --------
    >>> from bs4 import BeautifulSoup
    >>> html = '<li><a class="reference">Claims</a><details><summary></summary></details></li>'
    >>> ctx = {"generate_toctree_html": lambda kind, **kw: BeautifulSoup(html, "html.parser")}
    >>> name_sidebar_toggles(None, "p", "page.html", ctx, None)
    >>> ctx["generate_toctree_html"]("sidebar").summary["aria-label"]
    'Subpages of Claims'
    """
    render = context.get("generate_toctree_html")
    if callable(render):
        context["generate_toctree_html"] = _named(render)


def _named(render: Any) -> Any:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        out = render(*args, **kwargs)
        if hasattr(out, "select"):  # a BeautifulSoup tree (the sidebar)
            name_summaries(out)
            return out
        if isinstance(out, str) and "<summary" in out:
            from bs4 import BeautifulSoup

            soup = BeautifulSoup(str(out), "html.parser")
            name_summaries(soup)
            # type(out) keeps a jinja Markup a Markup (so it is not escaped)
            return type(out)(str(soup))
        return out

    return wrapped


def name_summaries(soup: Any) -> None:
    """Label, in place, every ``<summary>`` that has no text and no ``aria-label``."""
    for summary in soup.select("summary"):
        if summary.get("aria-label") or summary.get_text(strip=True):
            continue
        entry = summary.find_parent("li")
        link = entry.find("a") if entry is not None else None
        title = link.get_text(" ", strip=True) if link is not None else ""
        summary["aria-label"] = f"Subpages of {title}" if title else "Subpages"


def dedupe_inline_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Drop repeated inline scripts (same body, no file) from a page's ``script_files``."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[str] = set()
    kept = []
    for script in scripts:
        inline = not getattr(script, "filename", "x")  # None or "" for an inline script
        body = getattr(script, "attributes", {}).get("body") if inline else None
        if body:
            if body in seen:
                continue
            seen.add(body)
        kept.append(script)
    context["script_files"] = kept


#: Pages whose code reads the book's other sources (docnames): the teachers' page.
READS_THE_BOOK = ("chapters/for-teachers",)


def book_sources(root: Path | str) -> list[Path]:
    """``_toc.yml`` and every page it lists (the files the teachers' page reads); none
    without a ``_toc.yml``.

    Examples
    --------
    >>> book_sources("/nonexistent")
    []
    """
    toc = Path(root) / "_toc.yml"
    if not toc.is_file():
        return []
    try:
        return [toc, *toc_files(Path(root))]
    except FileNotFoundError:  # a listed page is missing: Jupyter Book reports it
        return [toc]


def note_book_sources(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read`` handler: a page of :data:`READS_THE_BOOK` depends on
    :func:`book_sources` (all but itself), so Sphinx re-reads it when one changes."""
    if docname not in READS_THE_BOOK:
        return
    own = Path(app.env.doc2path(docname)).resolve()
    for path in book_sources(app.srcdir):
        if path.resolve() != own:
            app.env.note_dependency(str(path.resolve()))


def default_mode(app: Sphinx, config: Any) -> None:
    config.html_context.setdefault("default_mode", "auto")


#: What a page with TeX maths loads from MathJax's folder (relative paths).
MATHJAX_PARTS = ("tex-chtml.js", "input/tex/extensions", "output/chtml/fonts/woff-v2")


def mathjax_source() -> Path | None:
    """MathJax's folder inside the installed ``sphinx-mathjax-offline``, or None."""
    try:
        dist = metadata.distribution("sphinx-mathjax-offline")
    except metadata.PackageNotFoundError:
        return None
    folder = Path(dist.locate_file("sphinx-mathjax-offline/static/mathjax"))
    return folder if (folder / MATHJAX_PARTS[0]).is_file() else None


def use_local_mathjax(app: Sphinx, config: Any) -> None:
    if mathjax_source() is not None:
        config.mathjax_path = "mathjax/tex-chtml.js"


def copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    source = mathjax_source()
    if exception is not None or source is None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "mathjax"
    for part in MATHJAX_PARTS:
        src, dst = source / part, target / part
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)


def write_download_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` handler: put the plain-Markdown notebook of every page (the
    student copy when the solutions are hidden) where the theme's download button points,
    ``_sources/{pagename}.ipynb``."""
    from lossylib import notebooks

    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    executed = outdir.parent / "jupyter_execute"
    student = students_only(app)
    root = Path(app.srcdir)
    book = (root / "_toc.yml").is_file() and (root / "_config.yml").is_file()
    if not book or not executed.is_dir() or not (outdir / "_sources").is_dir():
        return  # not a Jupyter Book (a test's small Sphinx project), or nothing to replace
    notebooks.write_all(root, outdir / "_sources", student=student, executed=executed)


def word_exec_statuses() -> bool:
    """Make MyST-NB's execution table write "succeeded" or "failed" instead of an emoji
    (see the module's docstring). Returns False, changing nothing, where MyST-NB no longer
    has the table this patches (a test pins the version that does)."""
    try:
        from myst_nb.ext import execution_tables
    except ImportError:
        return False
    transforms = getattr(execution_tables, "_key2transform", None)
    if not isinstance(transforms, dict) or "succeeded" not in transforms:
        return False
    transforms["succeeded"] = lambda ok: "succeeded" if ok is True else "failed"
    return True


def mark_glued_phrases(app: Sphinx, doctree: Any, docname: str) -> None:
    """Mark glued text that is a phrase, not a number (``pasted-phrase``).

    MyST-NB sets every glued value in bold; that marks a computed number well, but a whole
    glued clause in bold shouts. ``lossy.css`` keeps the bold for numbers (also with a
    unit, "3.3 dB") and sets phrases (two or more words, one of them of three or more
    letters) in the weight of the text around them.
    """
    from docutils import nodes

    for node in doctree.findall(nodes.inline):
        text = node.astext().strip()
        words = text.split()
        # a phrase has two or more words, one of them a word of letters (not "3.3 dB")
        if (
            "pasted-text" in node["classes"]
            and len(words) > 1
            and any(sum(c.isalpha() for c in w) > 2 for w in words)
        ):
            node["classes"].append("pasted-phrase")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("lossy_notebooks_branch", DEFAULT_BRANCH, "html", types=[str])
    word_exec_statuses()
    app.connect("config-inited", default_mode)
    app.connect("config-inited", use_local_mathjax)
    app.connect("build-finished", copy_mathjax)
    app.connect("build-finished", write_download_notebooks)
    app.connect("source-read", note_book_sources)
    app.connect("doctree-resolved", mark_glued_phrases)
    # sphinx-book-theme adds the launch buttons at priority 501; run after it.
    app.connect("html-page-context", rewrite_colab_button, priority=600)
    app.connect("html-page-context", rewrite_binder_button, priority=600)
    app.connect("html-page-context", dedupe_inline_scripts)
    app.connect("html-page-context", name_sidebar_toggles, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
