"""lossylib.sphinxext: the Colab and Binder buttons open the converted notebook on its branch."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from lossylib import sphinxext


def _app(branch: str = "notebooks", colab: str = "https://colab.research.google.com"):
    config = SimpleNamespace(
        html_theme_options={
            "launch_buttons": {"colab_url": colab},
            "repository_url": "https://github.com/org/book",
        },
        lossy_notebooks_branch=branch,
    )
    return SimpleNamespace(config=config)


BINDER = "https://mybinder.org/v2/gh/org/book/main?urlpath=lab/tree/chapters/a.md"


def _context() -> dict:
    colab = {"type": "link", "text": "Colab", "url": "https://colab/x/blob/main/ch/a.md"}
    binder = {"type": "link", "text": "Binder", "url": BINDER}
    group = {"type": "group", "label": "launch-buttons", "buttons": [binder, colab]}
    return {"github_user": "org", "github_repo": "book", "header_buttons": [group]}


def _button(context: dict, text: str) -> dict:
    return next(b for b in context["header_buttons"][0]["buttons"] if b["text"] == text)


def test_colab_points_to_the_notebooks_branch() -> None:
    context = _context()
    sphinxext.rewrite_colab_button(_app(), "chapters/a", "page.html", context, None)
    assert _button(context, "Colab")["url"] == (
        "https://colab.research.google.com/github/org/book/blob/notebooks/chapters/a.ipynb"
    )
    assert _button(context, "Binder")["url"] == BINDER


def test_branch_is_configurable() -> None:
    context = _context()
    sphinxext.rewrite_colab_button(_app("gh-nb"), "intro", "page.html", context, None)
    assert "/blob/gh-nb/intro.ipynb" in _button(context, "Colab")["url"]


def test_nothing_changes_without_colab_or_github() -> None:
    context = _context()
    sphinxext.rewrite_colab_button(_app(colab=""), "intro", "page.html", context, None)
    assert _button(context, "Colab")["url"].endswith("a.md")
    context = _context()
    del context["github_user"]
    sphinxext.rewrite_colab_button(_app(), "intro", "page.html", context, None)
    assert _button(context, "Colab")["url"].endswith("a.md")


def test_setup_registers_the_branch_and_runs_after_the_theme() -> None:
    calls = []
    app = SimpleNamespace(
        add_config_value=lambda *a, **k: calls.append(("config", a)),
        connect=lambda event, fn, priority=500: calls.append((event, fn.__name__, priority)),
    )
    sphinxext.setup(app)
    assert ("config", ("lossy_notebooks_branch", "notebooks", "html")) in calls
    for handler in ("rewrite_colab_button", "rewrite_binder_button"):
        (call,) = [c for c in calls if c[1:2] == (handler,)]
        assert call[0] == "html-page-context" and call[2] > 501  # the theme's launch hook


def test_repeated_inline_scripts_are_emitted_once() -> None:
    from sphinx.builders.html._assets import _JavaScript

    scripts = [
        _JavaScript(None, body="const A = 1"),
        _JavaScript("x.js"),
        _JavaScript("", body="const A = 1"),
        _JavaScript("x.js", priority=600),
    ]
    context = {"script_files": scripts}
    sphinxext.dedupe_inline_scripts(None, "p", "page.html", context, None)
    assert context["script_files"] == [scripts[0], scripts[1], scripts[3]]


def test_mathjax_is_served_from_the_book(tmp_path):
    """The pinned MathJax package is found, and the parts a page loads are copied."""
    source = sphinxext.mathjax_source()
    assert source is not None, "sphinx-mathjax-offline (requirements.txt) is not installed"
    config = SimpleNamespace(mathjax_path="https://cdn.example/mathjax.js")
    sphinxext.use_local_mathjax(None, config)
    assert config.mathjax_path == "mathjax/tex-chtml.js"
    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="html"))
    sphinxext.copy_mathjax(app, None)
    target = tmp_path / "_static" / "mathjax"
    assert (target / "tex-chtml.js").stat().st_size > 100_000
    assert any((target / "output/chtml/fonts/woff-v2").glob("*.woff"))
    assert any((target / "input/tex/extensions").glob("*.js"))


def test_mathjax_is_not_copied_after_a_failed_build(tmp_path):

    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="html"))
    sphinxext.copy_mathjax(app, RuntimeError("build failed"))
    assert not (tmp_path / "_static").exists()


def test_repository_pages_get_no_colab_button() -> None:
    """A page whose code needs the repository has no notebook copy, so no Colab button."""
    from lossylib.notebooks import REPOSITORY_PAGES

    page = next(iter(REPOSITORY_PAGES))
    context = _context()
    sphinxext.rewrite_colab_button(_app(), page, "page.html", context, None)
    texts = [b.get("text") for b in sphinxext._buttons(context["header_buttons"])]
    assert "Colab" not in texts and "Binder" in texts


def test_sidebar_toggles_get_an_accessible_name() -> None:
    """The theme's sidebar (a BeautifulSoup tree) and any HTML string get named toggles."""
    from bs4 import BeautifulSoup
    from markupsafe import Markup

    entry = (
        '<li class="toctree-l1"><a class="reference internal" href="x.html">Claims</a>'
        '<details><summary><span class="toctree-toggle" role="presentation"><i></i></span>'
        '</summary><ul><li><a href="y.html">Status</a></li></ul></details></li>'
    )
    captioned = '<details><summary><p class="caption">Part</p></summary></details>'
    context = {"generate_toctree_html": lambda kind, **kw: BeautifulSoup(entry, "html.parser")}
    sphinxext.name_sidebar_toggles(None, "p", "page.html", context, None)
    tree = context["generate_toctree_html"]("sidebar")
    assert tree.summary["aria-label"] == "Subpages of Claims"

    context = {"generate_toctree_html": lambda kind, **kw: Markup(entry + captioned)}
    sphinxext.name_sidebar_toggles(None, "p", "page.html", context, None)
    out = context["generate_toctree_html"]("html")
    assert isinstance(out, Markup)
    soup = BeautifulSoup(out, "html.parser")
    labels = [s.get("aria-label") for s in soup.select("summary")]
    assert labels == ["Subpages of Claims", None]  # a summary with text keeps its name


def test_the_execution_table_says_succeeded_or_failed_in_words() -> None:
    from myst_nb.ext import execution_tables

    assert sphinxext.word_exec_statuses()  # the pinned MyST-NB has the table it patches
    ran = {"mtime": 0, "method": "cache", "runtime": 1.5, "succeeded": True, "error": None}
    broke = dict(ran, succeeded=False, error="NameError")
    table = execution_tables.make_stat_table(
        "chapters/status", {"a": {"exec_data": ran}, "b": {"exec_data": broke}}
    )
    text = table.astext()
    assert "succeeded" in text and "failed" in text
    assert "\u2705" not in text and "\u274c" not in text


def test_the_teachers_page_follows_edits_to_the_chapters(tmp_path) -> None:
    """An incremental build re-reads and re-runs the teachers' page after a chapter's
    exercise changes. It used to keep the old table: Sphinx re-read only the edited
    chapter, and the execution cache keyed on the page's own, unchanged code."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    src = tmp_path / "src"
    (src / "chapters").mkdir(parents=True)
    (src / "index.md").write_text("# Index\n")
    (src / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nchapters:\n"
        "- file: chapters/fixture\n- file: chapters/for-teachers\n"
    )
    chapter = src / "chapters" / "fixture.md"
    shutil.copy(repo / "tests" / "fixtures" / "assignments" / "fixture-chapter.md", chapter)
    shutil.copy(repo / "chapters" / "for-teachers.md", src / "chapters" / "for-teachers.md")
    (src / "conf.py").write_text(
        'extensions = ["myst_nb", "sphinx_exercise", "lossylib.sphinxext"]\n'
        'nb_execution_mode = "cache"\n'
        f"nb_execution_cache_path = {str(tmp_path / 'cache')!r}\n"
        'exclude_patterns = ["_build"]\n'
        'suppress_warnings = ["myst.role_unknown", "myst.xref_missing", "toc.not_included"]\n'
    )
    out = tmp_path / "html"
    env = {**os.environ, "PYTHONPATH": str(repo)}
    cmd = [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(out)]

    def build() -> str:
        run = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path)
        assert run.returncode == 0, run.stderr[-2000:]
        return (out / "chapters" / "for-teachers.html").read_text()

    assert "scaled_mean" in build()
    chapter.write_text(chapter.read_text().replace("scaled_mean", "scaled_average"))
    page = build()
    assert "scaled_average" in page and "scaled_mean" not in page


def _binder_pull(url: str) -> dict[str, str]:
    """What a Binder link asks nbgitpuller for (Binder decodes its urlpath once)."""
    (urlpath,) = parse_qs(urlsplit(url).query)["urlpath"]
    path, _, query = urlpath.partition("?")
    assert path == "git-pull", urlpath
    return {k: v[0] for k, v in parse_qs(query).items()}


def test_binder_builds_the_book_branch_and_opens_the_copy() -> None:
    context = _context()
    sphinxext.rewrite_binder_button(_app(), "chapters/a", "page.html", context, None)
    url = _button(context, "Binder")["url"]
    assert url.startswith("https://mybinder.org/v2/gh/org/book/main?urlpath=git-pull%3Frepo%3D")
    assert _binder_pull(url) == {
        "repo": "https://github.com/org/book",
        "branch": "notebooks",
        "targetPath": "notebooks",
        "urlpath": "lab/tree/notebooks/chapters/a.ipynb",
    }
    assert _button(context, "Colab")["url"].endswith("a.md")  # the other handler's job


def test_binder_follows_the_branch_setting_and_the_interface() -> None:
    context = _context()
    _button(context, "Binder")["url"] = "https://hub/v2/gh/org/book/main?urlpath=tree/intro.md"
    sphinxext.rewrite_binder_button(_app("gh-nb"), "intro", "page.html", context, None)
    pull = _binder_pull(_button(context, "Binder")["url"])
    assert pull["branch"] == "gh-nb" and pull["urlpath"] == "tree/notebooks/intro.ipynb"


def test_binder_opens_the_source_of_a_page_without_a_copy() -> None:
    from lossylib.notebooks import REPOSITORY_PAGES

    page = next(iter(REPOSITORY_PAGES))
    context = _context()
    sphinxext.rewrite_binder_button(_app(), page, "page.html", context, None)
    assert _button(context, "Binder")["url"] == BINDER


def test_binder_is_left_alone_without_a_repository_url() -> None:
    app = _app()
    del app.config.html_theme_options["repository_url"]
    context = _context()
    sphinxext.rewrite_binder_button(app, "chapters/a", "page.html", context, None)
    assert _button(context, "Binder")["url"] == BINDER


def test_a_binder_link_for_another_page_is_an_error() -> None:
    with pytest.raises(ValueError, match="does not open the page 'chapters/b'"):
        sphinxext.binder_url(BINDER, "https://github.com/org/book", "notebooks", "chapters/b")
    data = BINDER.replace("chapters/a.md", "chapters/data.md")
    with pytest.raises(ValueError, match="does not open the page 'a'"):  # "data" ends in "a"
        sphinxext.binder_url(data, "https://github.com/org/book", "notebooks", "a")


def test_a_book_in_a_subfolder_still_opens_the_copy_at_the_top() -> None:
    theme = "https://mybinder.org/v2/gh/org/book/main?urlpath=lab/tree/docs/chapters/a.md"
    url = sphinxext.binder_url(theme, "https://github.com/org/book", "notebooks", "chapters/a")
    assert _binder_pull(url)["urlpath"] == "lab/tree/notebooks/chapters/a.ipynb"


def test_glued_phrases_are_marked_and_numbers_are_not() -> None:
    from docutils import nodes

    para = nodes.paragraph()
    values = ["0.8", " 43% ", "3.3 dB", "1 000", "a line fits better", "quality jitter 60-90"]
    for text in values:
        para += nodes.inline(text, text, classes=["pasted-text"])
    para += nodes.inline("plain words", "plain words")  # not glued: left alone
    doc = nodes.document(None, None)
    doc += para
    sphinxext.mark_glued_phrases(None, doc, "chapters/a")
    marked = [n.astext() for n in doc.findall(nodes.inline) if "pasted-phrase" in n["classes"]]
    assert marked == ["a line fits better", "quality jitter 60-90"]
