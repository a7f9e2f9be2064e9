"""A book built without the solutions (``SOLUTIONS=hide``) hands out no solution at all:
not on its pages (tests/test_assignments.py), not in the page sources the download button
offers, and not in the notebooks its Colab and Binder buttons open."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from lossylib import assignments as asg
from lossylib import solutions_switch, sphinxext

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "assignments" / "fixture-chapter.md"
BINDER = "https://mybinder.org/v2/gh/org/book/main?urlpath=lab/tree/chapters/a.md"


def _app(mode: str) -> SimpleNamespace:
    config = SimpleNamespace(
        html_theme_options={
            "launch_buttons": {"colab_url": "https://colab.research.google.com"},
            "repository_url": "https://github.com/org/book",
        },
        lossy_notebooks_branch="notebooks",
        lossy_solutions=mode,
    )
    return SimpleNamespace(config=config)


def _context() -> dict:
    colab = {"type": "link", "text": "Colab", "url": "https://colab/x/blob/main/ch/a.md"}
    binder = {"type": "link", "text": "Binder", "url": BINDER}
    launch = {"type": "group", "label": "launch-buttons", "buttons": [binder, colab]}
    downloads = {
        "type": "group",
        "label": "download-buttons",
        "buttons": [
            {"type": "link", "label": "download-notebook-button", "url": "../_sources/a.ipynb"},
            {"type": "link", "label": "download-source-button", "url": "../_sources/a.md"},
        ],
    }
    return {
        "github_user": "org",
        "github_repo": "book",
        "sourcename": "chapters/a.md",
        "header_buttons": [launch, downloads],
    }


def _buttons(context: dict) -> dict:
    return {b.get("text") or b["label"]: b for g in context["header_buttons"] for b in g["buttons"]}


@pytest.mark.parametrize(("mode", "folder"), [("show", ""), ("hide", "student/")])
def test_the_launch_buttons_open_the_student_copy_when_solutions_are_hidden(mode, folder):
    context = _context()
    for handler in (sphinxext.rewrite_colab_button, sphinxext.rewrite_binder_button):
        handler(_app(mode), "chapters/a", "page.html", context, None)
    buttons = _buttons(context)
    assert buttons["Colab"]["url"] == (
        f"https://colab.research.google.com/github/org/book/blob/notebooks/{folder}chapters/a.ipynb"
    )
    (urlpath,) = parse_qs(urlsplit(buttons["Binder"]["url"]).query)["urlpath"]
    pulled = parse_qs(urlpath.partition("?")[2])
    assert pulled["urlpath"] == [f"lab/tree/notebooks/{folder}chapters/a.ipynb"]
    assert pulled["branch"] == ["notebooks"]


@pytest.mark.parametrize("mode", ["show", "hide"])
def test_the_source_download_is_offered_only_with_the_solutions(mode):
    context = _context()
    solutions_switch.offer_no_source(_app(mode), "chapters/a", "page.html", context, None)
    labels = set(_buttons(context))
    assert "download-notebook-button" in labels
    assert ("download-source-button" in labels) == (mode == "show")
    assert bool(context["sourcename"]) == (mode == "show")  # Sphinx copies no source


def test_the_switch_runs_after_the_theme_buttons():
    calls = []
    app = SimpleNamespace(
        add_config_value=lambda *a, **k: None,
        add_transform=lambda t: None,
        connect=lambda event, fn, priority=500: calls.append((event, fn.__name__, priority)),
    )
    solutions_switch.setup(app)
    assert ("html-page-context", "offer_no_source", 600) in calls  # the theme's are at 501
    assert any(c[:2] == ("build-finished", "_remove_sources") for c in calls)


def test_left_over_sources_are_removed_and_the_notebooks_kept(tmp_path):
    """The ``.md`` source of a chapter holds every solution and hidden test (an earlier
    build into the same folder leaves one behind); only the student notebooks stay."""
    chapter_md = REPO / "chapters" / "tail-loss.md"
    chapter = asg.read_chapter(chapter_md)
    sources = tmp_path / "_sources" / "chapters"
    sources.mkdir(parents=True)
    shutil.copy(chapter_md, sources / "tail-loss.md")
    (sources / "tail-loss.ipynb").write_text('{"cells": []}')
    (tmp_path / "_sources" / "intro.md.txt").write_text("# Intro\n")
    assert asg.leaks(chapter, tmp_path / "_sources")  # the check can fail
    removed = solutions_switch.remove_sources(tmp_path)
    assert sorted(p.name for p in removed) == ["intro.md.txt", "tail-loss.md"]
    assert asg.leaks(chapter, tmp_path / "_sources") == []
    assert (sources / "tail-loss.ipynb").is_file()


def test_a_hide_build_copies_no_page_source(fixture_site):
    """A small Sphinx project with the book's extension: with the solutions hidden the
    build leaves no ``.md`` (with the solutions and hidden tests) in ``_sources``."""
    chapter = asg.read_chapter(FIXTURE)
    found = {mode: asg.leaks(chapter, out) for mode, out in fixture_site.items()}
    assert found["show"] and found["hide"] == []
    assert (fixture_site["show"] / "_sources" / "index.md.txt").is_file()
