"""The front page as a reader sees it: the answer first, a scoreboard of every registered
claim with its live verdict, one line of evidence and a working link to the evidence.

Runs in headless Chromium against the session's fresh build (``book_url``, ``browser``:
see conftest.py). The registry is read here too, so a claim added to ``lossylib.claims``
without appearing on the front page fails this test.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from lossylib import claims

pytestmark = pytest.mark.browser

ROWS = """() => [...document.querySelectorAll('main table.lossy-scoreboard tbody tr')].map(r => ({
    number: Number(r.dataset.claim),
    cells: [...r.querySelectorAll('td')].map(td => td.innerText.trim()),
    badge: (r.querySelector('.lossy-verdict') || {}).innerText || '',
    href: (r.querySelector('a') || {}).href || '',
}))"""

# The scoreboard and the headline figure must come before the argument in brief.
ORDER = """() => {
    const main = document.querySelector('main');
    const pos = el => el ? [...main.querySelectorAll('*')].indexOf(el) : -1;
    const brief = [...main.querySelectorAll('h2')]
        .find(h => /argument in brief/i.test(h.innerText));
    return {board: pos(main.querySelector('table.lossy-scoreboard')),
            figure: pos(main.querySelector('figure img, img')),
            brief: pos(brief)};
}"""


@pytest.fixture
def front(browser, book_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(urljoin(book_url, "intro.html"), wait_until="load")
    yield page
    context.close()


def test_scoreboard_lists_every_registered_claim(front):
    rows = front.evaluate(ROWS)
    registered = claims.registry()
    assert [r["number"] for r in rows] == [c.number for c in registered], (
        "the front page's scoreboard should list every registered claim, in order"
    )
    for r, c in zip(rows, registered, strict=True):
        assert r["badge"] in claims.VERDICTS, f"claim {c.number}: no verdict badge"
        assert r["cells"][1] == c.statement, f"claim {c.number}: statement differs"
        evidence = r["cells"][3]
        assert evidence and "\n" not in evidence, f"claim {c.number}: no one-line evidence"
        words = len(evidence.split())
        assert words <= claims.HEADLINE_WORDS, f"claim {c.number}: {words} words: {evidence}"
        assert "Verdict(" not in evidence and "np.float" not in evidence
        assert r["href"].endswith(c.href()), f"claim {c.number}: link {r['href']}"


def _links_that_miss(front, hrefs: list[str]) -> list[str]:
    """The links of ``hrefs`` whose page does not answer or has no element with the
    link's anchor as its id (each page fetched once)."""
    pages: dict[str, str | None] = {}
    missed = []
    for href in hrefs:
        page_url, _, anchor = href.partition("#")
        if page_url not in pages:
            response = front.context.request.get(page_url)
            pages[page_url] = response.text() if response.ok else None
        if pages[page_url] is None or f'id="{anchor}"' not in pages[page_url]:
            missed.append(href)
    return missed


def test_scoreboard_links_reach_the_evidence(front, book_url):
    rows = front.evaluate(ROWS)
    missed = _links_that_miss(front, [r["href"] for r in rows])
    assert not missed, f"claim links that reach no section: {missed}"


TERMS = """() => [...document.querySelectorAll('main table.lossy-scoreboard a.lossy-term')]
    .map(a => ({text: a.innerText, href: a.href}))"""


def test_scoreboard_jargon_links_to_its_glossary_entry(front):
    """The evidence lines are built from numbers, as plain text: their glossary terms are
    linked where the table first uses them (lossylib.claims.terms), and each link lands
    on its entry."""
    links = front.evaluate(TERMS)
    assert len(links) >= 5, f"only {len(links)} glossary links in the scoreboard"
    texts = [link["text"].casefold() for link in links]
    assert "fixed point" in texts and len(set(texts)) == len(texts), texts  # once each
    missed = _links_that_miss(front, [link["href"] for link in links])
    assert not missed, f"glossary links that reach no entry: {missed}"


def test_the_answer_comes_first(front):
    where = front.evaluate(ORDER)
    assert where["board"] >= 0, "no scoreboard on the front page"
    assert where["figure"] >= 0, "no headline figure on the front page"
    assert where["brief"] > where["board"] > where["figure"], where
    count = front.inner_text("main .lossy-scoreboard-count")
    assert count.startswith(f"{len(claims.registry())} claims tested")
