"""The local link check used on the built book finds what it should, and only that."""

from __future__ import annotations

from pathlib import Path

import pytest
from _linkcheck import broken_links


def site(root: Path, pages: dict[str, str]) -> Path:
    for name, body in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<a href="b.html">b</a>', []),
        ('<a href="b.html#part-2">b</a>', []),
        ('<a href="#top">top</a><h1 id="top">A</h1>', []),
        ('<a href="https://example.org/x.html#nope">out</a>', []),
        ('<a href="mailto:someone@example.org">mail</a>', []),
        ('<a href="c.html">c</a>', ["a.html: c.html (no such file)"]),
        ('<a href="b.html#part-3">b</a>', ["a.html: b.html#part-3 (no such anchor)"]),
        ('<a href="#nowhere">x</a>', ["a.html: #nowhere (no such anchor)"]),
        ('<img src="_images/gone.png" alt="">', ["a.html: _images/gone.png (no such file)"]),
        ('<script src="_static/x.js"></script>', ["a.html: _static/x.js (no such file)"]),
    ],
)
def test_finds_broken_local_links(tmp_path: Path, body: str, expected: list[str]) -> None:
    root = site(tmp_path, {"a.html": body, "b.html": '<h2 id="part-2">2</h2>'})
    assert broken_links(root) == expected


def test_links_from_a_subfolder_resolve_against_it(tmp_path: Path) -> None:
    root = site(
        tmp_path,
        {
            "chapters/x.html": '<a href="../intro.html#answer">i</a><a href="y.html">y</a>',
            "intro.html": '<section id="answer"></section>',
        },
    )
    assert broken_links(root) == ["chapters/x.html: y.html (no such file)"]


def test_theme_folders_are_not_checked(tmp_path: Path) -> None:
    root = site(tmp_path, {"_static/page.html": '<a href="gone.html">x</a>'})
    assert broken_links(root) == []
