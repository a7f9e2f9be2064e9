"""The whole book, built fresh: every chapter executes, and a failing cell or warning fails."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.book


def test_book_builds_without_errors_or_warnings(book_build) -> None:
    assert book_build.returncode == 0, (
        f"jupyter-book build -W -n --keep-going exited {book_build.returncode} after "
        f"{book_build.seconds:.0f} s (full log: {book_build.dir / 'build.log'}); last lines:\n"
        f"{book_build.tail()}"
    )


def test_every_chapter_was_executed_fresh(book_build) -> None:
    """Each notebook page in _toc.yml ran in this build (not from a cache); times recorded."""
    times = book_build.exec_times()
    expected = [p for p in book_build.pages() if book_build.is_notebook(p)]
    missing = [p for p in expected if p not in times]
    assert not missing, f"not executed in the fresh build: {missing}\n{book_build.tail()}"
    assert "Using cached notebook" not in book_build.log
    report = {
        "build_seconds": round(book_build.seconds, 1),
        "execution_seconds": {p: times[p] for p in expected},
        "page_kilobytes": {
            p: round(page_weight(book_build.html, p) / 1024) for p in book_build.pages()
        },
    }
    (book_build.dir / "exec-times.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nfresh build: {book_build.seconds:.0f} s; execution per chapter:")
    for page in expected:
        print(f"  {times[page]:7.1f} s  {page}")
    print("page weight (HTML + its own images, without the theme's shared assets):")
    for page, kb in report["page_kilobytes"].items():
        print(f"  {kb:7d} kB {page}")


def page_weight(html: Path, page: str) -> int:
    """Bytes of a page's HTML plus the local images it references (the theme excluded)."""
    path = html / f"{page}.html"
    if not path.exists():
        return 0
    text = path.read_text(encoding="utf-8")
    images = set(re.findall(r'src="((?:\.\./)*_images/[^"]+)"', text))
    return path.stat().st_size + sum((path.parent / src).stat().st_size for src in images)


def test_every_page_in_the_toc_was_written(book_build) -> None:
    missing = [p for p in book_build.pages() if not (book_build.html / f"{p}.html").exists()]
    assert not missing, f"no HTML for {missing}"


def test_execution_status_is_in_words(book_build) -> None:
    """Each executed page's status reads "succeeded", not an emoji (an empty box without
    an emoji font; see lossylib.sphinxext.word_exec_statuses)."""
    status = (book_build.html / "chapters" / "status.html").read_text(encoding="utf-8")
    executed = [p for p in book_build.pages() if book_build.is_notebook(p)]
    assert "\u2705" not in status and "\u274c" not in status
    assert status.count(">succeeded<") >= len(executed), "a page's status is missing"


def test_orphan_pages_are_built_linked_and_out_of_the_navigation(book_build) -> None:
    """Execution status: built, linked from the Claims appendix, in no page's sidebar."""
    from bs4 import BeautifulSoup
    from conftest import orphan_pages

    orphans = orphan_pages()
    assert "chapters/status" in orphans
    claims = (book_build.html / "chapters" / "claims.html").read_text(encoding="utf-8")
    for orphan in orphans:
        assert (book_build.html / f"{orphan}.html").exists(), f"{orphan} was not built"
        assert f'href="{Path(orphan).name}.html' in claims, f"Claims does not link {orphan}"
    for page in book_build.pages():
        soup = BeautifulSoup((book_build.html / f"{page}.html").read_text("utf-8"), "html.parser")
        nav = soup.select_one("nav.bd-docs-nav")
        assert nav is not None, f"{page} has no sidebar navigation"
        links = [a.get("href", "") for a in nav.select("a")]
        assert len(links) >= 9, f"{page}'s sidebar lists too few pages: {links}"
        listed = [
            o
            for o in orphans
            if any(h.split("#")[0].endswith(f"{o.split('/')[-1]}.html") for h in links)
        ]
        assert not listed, f"{page}'s sidebar lists {listed}"


def test_figures_are_sized_for_the_screen(book_build) -> None:
    """Every figure carries the width it is shown at (lossylib.plots.figure_png): a chart
    (a palette PNG) has SHARP times as many pixels, sharp on high-density screens; a
    picture has exactly as many. A figure without a width is one the kernel displayed
    some other way (the inline backend's own formatter), at twice the intended size. And
    no figure is wider than the text column, where the browser would shrink its text."""
    from _figcheck import COLUMN
    from PIL import Image

    from lossylib import plots

    found = []
    for page in book_build.pages():
        path = book_build.html / f"{page}.html"
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        for tag in re.findall(r'<img [^>]*src="(?:\.\./)*_images/[^"]+"[^>]*>', text):
            src = re.search(r'src="([^"]+)"', tag).group(1)
            width = re.search(r'style="width: (\d+)px;"', tag)
            with Image.open(path.parent / src) as im:
                scale = plots.SHARP if im.mode == "P" else 1
                if (
                    width is None
                    or abs(im.width - scale * int(width.group(1))) > scale
                    or int(width.group(1)) > COLUMN
                ):
                    shown = width.group(0) if width else "no width"
                    found.append(f"{page}: {src} ({im.mode}, {im.width} px), {shown}")
    assert not found, "\n".join(found)


def test_every_local_link_leads_somewhere(book_build) -> None:
    """Every relative link and asset of every built page names a file that exists, and
    every #anchor an element of its page: Sphinx checks its own references, not the
    links that the pages write in raw HTML (scoreboard, claims tables, explorables)."""
    from _linkcheck import broken_links

    broken = broken_links(book_build.html)
    assert not broken, f"{len(broken)} broken local links:\n" + "\n".join(broken[:30])


def test_every_glossary_term_link_shows_its_definition_on_hover(book_build) -> None:
    """lossylib.termtips gives each link to a glossary term the first sentence of that
    term's definition as its title; the chapters link terms, so there are some."""
    from bs4 import BeautifulSoup

    glossary = BeautifulSoup(
        (book_build.html / "chapters" / "glossary.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    definitions = {
        term["id"]: " ".join(term.find_next_sibling("dd").get_text().split())
        for term in glossary.select("dl.glossary dt[id]")
    }
    links, missing = 0, []
    for page in sorted(book_build.html.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for a in soup.select("a.reference"):
            if not a.select_one(".std-term"):
                continue
            links += 1
            anchor = a["href"].rpartition("#")[2]
            title = a.get("title", "")
            # the definition's first words (math is written in Unicode, not TeX)
            same = title.split()[:1] == definitions.get(anchor, "").split()[:1]
            if not (title and same) or re.search(r"[\\{}$]", title):
                missing.append(f"{page.name}: {a.get_text()!r} -> #{anchor}, title {title!r}")
    assert links >= len(definitions) > 0
    assert not missing, "\n".join(missing[:20])


def test_launch_buttons_open_whole_notebooks_only(book_build) -> None:
    """Every page with code offers Binder and (where it has a copy) Colab, and no "Live code".

    Thebe would run only the cells a page shows, and the chapters compute in removed cells
    what later cells use (jupyter-book#1557): see ``launch_buttons`` in ``_config.yml``.
    """
    from bs4 import BeautifulSoup

    from lossylib.notebooks import REPOSITORY_PAGES

    pages = [p for p in book_build.pages() if book_build.is_notebook(p)]
    assert pages
    for page in pages:
        soup = BeautifulSoup((book_build.html / f"{page}.html").read_text("utf-8"), "html.parser")
        titles = {b.get("title") for b in soup.select(".dropdown-launch-buttons [title]")}
        assert "Launch on Binder" in titles, (page, titles)
        assert ("Launch on Colab" in titles) == (page not in REPOSITORY_PAGES), (page, titles)
        assert not soup.select(".btn-launch-thebe, [onclick^=initThebe]"), page


def test_the_download_button_gives_a_notebook_that_runs_outside_the_book(book_build) -> None:
    """The theme's ``.ipynb`` download serves ``_sources/{page}.ipynb``: the plain copy
    (the book's numbers in the prose, no MyST roles, an install cell), not MyST-NB's
    executed notebook, which fails on ``import lossylib`` anywhere else."""
    import json

    from bs4 import BeautifulSoup

    from lossylib.notebooks import INSTALL_TAG, REPOSITORY_PAGES

    pages = [p for p in book_build.pages() if book_build.is_notebook(p)]
    checked = 0
    for page in pages:
        if page in REPOSITORY_PAGES:
            continue
        soup = BeautifulSoup((book_build.html / f"{page}.html").read_text("utf-8"), "html.parser")
        links = [
            a.get("href", "") for a in soup.select("a") if a.get("href", "").endswith(".ipynb")
        ]
        downloads = [h for h in links if "_sources/" in h]
        assert downloads, page
        target = (book_build.html / f"{page}.html").parent / downloads[0]
        nb = json.loads(target.resolve().read_text("utf-8"))
        prose = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        roles = re.findall(r"\{[a-z][a-z:-]*\}`", prose)  # {glue:text}`...`, {cite}`...`
        assert not roles, (page, roles[:3])
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert INSTALL_TAG in code[0]["metadata"].get("tags", []), page
        checked += 1
    assert checked >= 8


def test_with_solutions_hidden_the_download_is_the_student_copy(
    book_build, tmp_path, monkeypatch
) -> None:
    """``make book SOLUTIONS=hide`` hides the solutions: the downloadable notebook must not
    hand them out either. The hook is run on the fresh build's executed pages."""
    from types import SimpleNamespace

    from lossylib import sphinxext

    out = tmp_path / "html"
    (out / "_sources").mkdir(parents=True)
    (tmp_path / "jupyter_execute").symlink_to(book_build.html.parent / "jupyter_execute")
    app = SimpleNamespace(
        outdir=str(out), srcdir=str(book_build.book), builder=SimpleNamespace(format="html")
    )
    target = out / "_sources" / "chapters" / "jpeg-generations.ipynb"

    def solutions() -> int:
        nb = json.loads(target.read_text("utf-8"))
        stub = 'NotImplementedError("Student exercise'
        return sum(stub in "".join(c["source"]) for c in nb["cells"])

    sphinxext.write_download_notebooks(app, RuntimeError("the build failed"))
    assert not target.exists()  # a failed build is left as it is
    monkeypatch.setenv("LOSSY_SOLUTIONS", "hide")
    sphinxext.write_download_notebooks(app, None)
    assert solutions() > 0
    monkeypatch.setenv("LOSSY_SOLUTIONS", "show")
    sphinxext.write_download_notebooks(app, None)
    assert solutions() == 0
