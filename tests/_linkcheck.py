"""Local links in built HTML: every relative ``href``/``src`` names a file that exists,
and every ``#fragment`` names an element of the page it points to.

Sphinx checks the references it makes itself (``-n -W``), but not the links in raw HTML
that the pages write (the front page's scoreboard, the claims tables, the explorables)
nor a theme asset gone missing. External links need a network, which a build here does
not have, so they are left out.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

#: The tags and attributes that load or link a local file.
LINKING = (("a", "href"), ("img", "src"), ("script", "src"), ("link", "href"), ("source", "src"))


@cache
def _ids(page: Path) -> frozenset[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    names = {t["name"] for t in soup.find_all("a", attrs={"name": True})}
    return frozenset({t["id"] for t in soup.find_all(id=True)} | names)


def broken_links(html: Path) -> list[str]:
    """``"page: link (why)"`` for each local link under ``html`` that leads nowhere.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "a.html").write_text('<h1 id="top">A</h1><a href="b.html#top">b</a>')
    >>> broken_links(root)
    ['a.html: b.html#top (no such file)']
    """
    broken = []
    for page in sorted(html.rglob("*.html")):
        if {"_static", "_sources"} & set(page.relative_to(html).parts):
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in LINKING:
            for node in soup.find_all(tag):
                link = node.get(attr)
                parts = urlsplit(link or "")
                if not link or parts.scheme or link.startswith("//"):
                    continue
                target = page.parent / unquote(parts.path) if parts.path else page
                where = f"{page.relative_to(html).as_posix()}: {link}"
                if not target.is_file():
                    broken.append(f"{where} (no such file)")
                elif (
                    parts.fragment
                    and target.suffix == ".html"
                    and unquote(parts.fragment) not in _ids(target.resolve())
                ):
                    broken.append(f"{where} (no such anchor)")
    return broken
