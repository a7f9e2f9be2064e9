"""The built book as a reader sees it, in headless Chromium, served on 127.0.0.1.

Each test runs once per page of ``_toc.yml`` (the ``page`` parameter, see conftest.py).
The tests of one page run together, and checks that only read a page share one loaded
copy of it per window width (``view``); a test that clicks, types or navigates opens a
fresh tab (``tab``).
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

# axe rules we cannot satisfy from our content or CSS, each limited to one selector in the
# theme's own markup, with the reason. Everything else serious or critical fails the test.
AXE_EXCEPTIONS: dict[str, tuple[str, str]] = {
    "aria-required-children": (
        ".citation-list",
        # docutils' HTML5 writer (sphinxcontrib-bibtex bibliographies) emits
        # <div role="list" class="citation-list"> whose entries carry role="doc-biblioentry"
        # and contain <a role="doc-backlink">; axe-core does not accept that nesting. The
        # markup is docutils', not ours, and no content or CSS change can alter it.
        "docutils citation markup",
    ),
}

ERROR_OUTPUTS = """() => [...document.querySelectorAll('main .cell_output .output, main .output')]
    .filter(o => /\\b(traceback|error)\\b/.test(o.className)
              || /Traceback \\(most recent call last\\)|^\\w*Error: /m.test(o.innerText))
    .map(o => o.innerText.slice(0, 300))"""

LOAD_IMAGES = """async () => {
    const imgs = [...document.querySelectorAll('main img')];
    await Promise.all(imgs.map(i => { i.loading = 'eager'; return i.decode().catch(() => null); }));
    return imgs.map(i => ({src: (i.currentSrc || i.src).slice(0, 80),
                           width: i.naturalWidth, alt: (i.getAttribute('alt') || '').trim()}));
}"""


def _is_local(url: str) -> bool:
    """A resource of the book itself (served from 127.0.0.1, or inline)."""
    parts = urlparse(url)
    # Chromium asks every site for /favicon.ico on its own when a page declares no icon;
    # that request is the browser's, not the book's.
    if parts.path == "/favicon.ico":
        return False
    return parts.hostname in ("127.0.0.1", None, "") or url.startswith("data:")


def _new_tab(browser, book_url: str, width: int = 1280, height: int = 900):
    """A browser tab of its own that records console errors and failed local requests
    (in ``tab.problems``)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.problems = []

    def on_console(msg) -> None:
        if msg.type == "error" and _is_local(msg.location.get("url", "") or book_url):
            page.problems.append(f"console error: {msg.text} ({msg.location.get('url')})")

    def on_response(response) -> None:
        if _is_local(response.url) and response.status >= 400:
            page.problems.append(f"HTTP {response.status}: {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: page.problems.append(f"uncaught exception: {exc}"))
    page.on("response", on_response)

    def on_failed(request) -> None:
        # The tab icon is fetched by the browser after the page has loaded; a click that
        # leaves the page cancels it (net::ERR_ABORTED). A missing icon is still a 404.
        if urlparse(request.url).path.endswith("/favicon.svg") and "ABORTED" in str(
            request.failure
        ):
            return
        if _is_local(request.url):
            page.problems.append(f"failed: {request.url} ({request.failure})")

    page.on("requestfailed", on_failed)
    return page


@pytest.fixture
def tab(browser, book_url):
    """A fresh browser tab (1280 x 900), for a test that changes the page it opens."""
    page = _new_tab(browser, book_url)
    yield page
    page.context.close()


#: Window height of the shared copies, by width (a phone's and a tablet's are shorter).
VIEW_HEIGHTS = {1440: 900, 1280: 900, 768: 800, 390: 800}


@pytest.fixture(scope="module")
def view(browser, book_url):
    """``view(page, width)``: the page loaded once in a window of that width and shared by
    the checks that only read it (no clicks, no navigation; a check that changes an
    attribute puts it back). Copies of the previous page are closed when the next page's
    tests start (they run together: conftest parametrizes ``page`` per module)."""
    opened: dict[tuple[str, int], object] = {}

    def load(page: str, width: int):
        if (page, width) not in opened:
            for key in [key for key in opened if key[0] != page]:
                opened.pop(key).context.close()
            tab = _new_tab(browser, book_url, width, VIEW_HEIGHTS[width])
            try:
                _open(tab, book_url, page)
            except BaseException:
                tab.context.close()
                raise
            opened[page, width] = tab
        return opened[page, width]

    yield load
    for tab in opened.values():
        tab.context.close()


def _open(tab, book_url: str, page: str):
    response = tab.goto(book_url + page + ".html", wait_until="load")
    assert response is not None and response.status == 200, f"{page}: HTTP {response.status}"
    return response


def test_page_loads_cleanly(view, page) -> None:
    tab = view(page, 1280)
    tab.wait_for_timeout(200)
    assert not tab.problems, f"{page}:\n" + "\n".join(tab.problems)


def test_no_output_shows_an_error(view, page) -> None:
    tab = view(page, 1280)
    errors = tab.evaluate(ERROR_OUTPUTS)
    assert not errors, f"{page}: output cells show errors:\n" + "\n---\n".join(errors)


def test_images_load_and_have_alt_text(view, page) -> None:
    tab = view(page, 1280)
    images = tab.evaluate(LOAD_IMAGES)
    broken = [i["src"] for i in images if i["width"] == 0]
    no_alt = [i["src"] for i in images if not i["alt"]]
    assert not broken, f"{page}: images that did not load: {broken}"
    assert not no_alt, f"{page}: images without alt text: {no_alt}"


def _controls(explorable):
    return explorable.locator(".lossy-controls input[type=range], .lossy-controls select")


def _set(control, position: str) -> None:
    """Move a control as a reader would: keyboard for sliders, the menu for drop-downs."""
    if control.evaluate("e => e.tagName") == "SELECT":
        n = control.locator("option").count()
        control.select_option(index=0 if position == "first" else n - 1)
    else:
        control.focus()
        control.press("Home" if position == "first" else "End")


def _steps(control) -> list[str]:
    """Step a control through all its values; return the frame shown at each."""
    img = control.locator("xpath=ancestor::*[contains(@class,'lossy-explorable')][1]//img")
    _set(control, "first")
    seen = [img.get_attribute("src")]
    if control.evaluate("e => e.tagName") == "SELECT":
        for i in range(1, control.locator("option").count()):
            control.select_option(index=i)
            seen.append(img.get_attribute("src"))
    else:
        for _ in range(int(control.get_attribute("max"))):
            control.press("ArrowRight")
            seen.append(img.get_attribute("src"))
    return seen


def test_explorables_work_without_a_kernel(tab, book_url, page) -> None:
    """Every control of every explorable changes the frame shown (static HTML, no kernel)."""
    _open(tab, book_url, page)
    explorables = tab.locator(".lossy-explorable")
    for e in range(explorables.count()):
        ex = explorables.nth(e)
        ex.scroll_into_view_if_needed()
        controls = _controls(ex)
        assert controls.count() > 0, f"{page}: explorable {e} has no controls"
        for c in range(controls.count()):
            control = controls.nth(c)
            label = control.evaluate("e => e.labels.length ? e.labels[0].innerText : e.id")
            # A control may only show a difference elsewhere than at the first setting of
            # the others (every codec's generation 0 is the same original): try both ends.
            for others in ("last", "first"):
                for o in range(controls.count()):
                    if o != c:
                        _set(controls.nth(o), others)
                frames = _steps(control)
                if len(set(frames)) > 1:
                    break
            assert len(set(frames)) > 1, f"{page}: moving '{label}' never changes the image"
            assert all(f and f.startswith("data:image/") for f in frames), frames[:1]
    assert not tab.problems, f"{page}:\n" + "\n".join(tab.problems)


def _excepted(rule: str, target: list[str]) -> bool:
    """Whether a violation is exactly one of AXE_EXCEPTIONS (rule and element selector)."""
    return rule in AXE_EXCEPTIONS and [AXE_EXCEPTIONS[rule][0]] == target


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_no_serious_accessibility_violations(view, page, theme) -> None:
    from axe_playwright_python.sync_playwright import Axe

    tab = view(page, 1280)
    before = tab.evaluate("document.documentElement.dataset.theme")
    tab.evaluate(f"document.documentElement.dataset.theme = '{theme}'")
    tab.wait_for_timeout(200)
    try:
        results = Axe().run(tab)
    finally:
        tab.evaluate("t => { document.documentElement.dataset.theme = t; }", before)
    found = []
    for v in results.response["violations"]:
        if v["impact"] not in ("serious", "critical"):
            continue
        nodes = [n for n in v["nodes"] if not _excepted(v["id"], n["target"])]
        for n in nodes[:5]:
            found.append(f"{v['impact']} {v['id']}: {n['target']} - {n['failureSummary'][:200]}")
    assert not found, f"{page} ({theme}): axe-core violations:\n" + "\n".join(found)


def test_no_raw_verdict_repr(view, page) -> None:
    """No page shows a raw ``Verdict(...)`` dataclass repr (a clipped, unreadable dump)."""
    tab = view(page, 1280)
    text = tab.evaluate("() => document.querySelector('main').innerText")
    assert "Verdict(" not in text, f"{page}: shows a raw Verdict(...) repr"


def test_explorable_presets_jump_to_their_setting(tab, book_url, page) -> None:
    """A preset button moves the controls and changes the frame in one click."""
    _open(tab, book_url, page)
    buttons = tab.locator(".lossy-explorable .lossy-preset")
    if buttons.count() < 2:
        pytest.skip(f"{page} has no explorable with presets")
    img = buttons.first.locator("xpath=ancestor::*[contains(@class,'lossy-explorable')][1]//img")
    seen = set()
    for b in range(buttons.count()):
        buttons.nth(b).click()
        seen.add(img.get_attribute("src"))
    assert len(seen) > 1, f"{page}: the preset buttons never change the frame"
    assert not tab.problems, f"{page}:\n" + "\n".join(tab.problems)


EXPLORABLE_LAYOUT = """() => [...document.querySelectorAll('.lossy-explorable')].map(ex => {
    const img = ex.querySelector('img');
    const line = parts => ({n: parts.length,
        top: Math.max(...parts.map(e => e.getBoundingClientRect().top)),
        bottom: Math.min(...parts.map(e => e.getBoundingClientRect().bottom))});
    const rows = [...ex.querySelectorAll('.lossy-control')].map(c => ({
        all: line([...c.querySelectorAll('label, input, select, output')]),
        value: line([...c.querySelectorAll('input, output')])}));
    return {pixelated: img.style.imageRendering === 'pixelated',
            natural: img.naturalWidth, shown: img.getBoundingClientRect().width,
            controls: ex.querySelectorAll('input, select').length, rows: rows,
            overflow: ex.scrollWidth - ex.clientWidth};
})"""


@pytest.mark.parametrize("width", [1280, 390])
def test_explorables_fit_and_show_frames_at_their_own_size(view, page, width) -> None:
    """On a laptop, a chart's frame is shown pixel for pixel (scaled down, its text would
    shrink below the figures'), and each control's label, input and value sit on one line;
    on a phone, nothing sticks out of the explorable sideways, and a slider keeps its value
    beside it (the label may go above)."""
    tab = view(page, width)
    tab.evaluate(LOAD_IMAGES)
    found = tab.evaluate(EXPLORABLE_LAYOUT)
    if not found:
        pytest.skip(f"{page} has no explorable")
    for i, ex in enumerate(found):
        where = f"{page}, explorable {i} at {width} px"
        assert ex["overflow"] <= 0, f"{where}: {ex['overflow']} px stick out sideways"
        assert len(ex["rows"]) == ex["controls"], f"{where}: a control outside .lossy-control"
        for row in ex["rows"]:
            value = row["value"]
            assert value["top"] < value["bottom"], f"{where}: a slider apart from its value {row}"
        if width < 1000:
            continue
        if ex["pixelated"]:
            # pixel art is enlarged on purpose, by a whole factor
            assert ex["shown"] % ex["natural"] == 0, f"{where}: {ex}"
        else:
            assert ex["shown"] == ex["natural"], f"{where}: frame scaled, {ex}"
        for row in ex["rows"]:
            line = row["all"]
            assert line["n"] >= 2 and line["top"] < line["bottom"], f"{where}: split control {row}"


IMAGE_SHAPES = """() => [...document.querySelectorAll('main img')]
    .filter(i => i.naturalWidth > 0 && i.getBoundingClientRect().width > 0)
    .map(i => ({src: (i.currentSrc || i.src).slice(-60), natural: i.naturalWidth / i.naturalHeight,
                shown: i.getBoundingClientRect().width / i.getBoundingClientRect().height,
                right: i.getBoundingClientRect().right}))"""


@pytest.mark.parametrize("width", [1280, 390])
def test_images_keep_their_shape_and_fit(view, page, width) -> None:
    """Every image is shown in its own proportions and within the window: a figure sized
    by its width (lossylib.plots.figure_png) shrinks on a phone without being squashed."""
    tab = view(page, width)
    tab.evaluate(LOAD_IMAGES)
    for image in tab.evaluate(IMAGE_SHAPES):
        assert abs(image["shown"] / image["natural"] - 1) < 0.02, f"{page} at {width}: {image}"
        assert image["right"] <= width + 1, f"{page} at {width}: sticks out, {image}"


def test_no_page_scrolls_sideways_on_a_phone(view, page) -> None:
    """At a phone's width the page is no wider than the screen (a wide equation, table or
    code block scrolls in its own box; a long URL wraps)."""
    tab = view(page, 390)
    widths = tab.evaluate(
        """async () => {
        if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
        return [document.documentElement.scrollWidth, document.documentElement.clientWidth];
    }"""
    )
    assert widths[0] <= widths[1], f"{page}: {widths[0]} px wide at a {widths[1]} px screen"


WIDE_CODE = """() => {
    document.querySelectorAll('main details').forEach(d => { d.open = true; });
    document.querySelectorAll('main .toggle-hidden')
        .forEach(e => e.classList.remove('toggle-hidden'));  // solutions, dropdowns
    const shown = [...document.querySelectorAll('main div.highlight pre')]
        .filter(e => e.offsetParent !== null);
    return {measured: shown.length,
            hidden: [...document.querySelectorAll('main div.highlight pre')].length
                    - shown.length,
            wide: shown.filter(e => e.scrollWidth > e.clientWidth + 1)
                .map(e => e.textContent.split('\\n')
                           .reduce((a, l) => (l.length > a.length ? l : a), '')
                           .slice(0, 70))};
}"""


@pytest.mark.parametrize("width", [1024, 1200, 1263, 1440])
def test_no_code_scrolls_sideways_on_a_laptop(view, page, width) -> None:
    """On a laptop every line of code fits its box, with hidden cells and exercise
    solutions opened: a reader sees the whole line without scrolling. From 1200 px the
    page's contents take the right-hand side and the text column is narrowest; 1263 px is
    a 1280 px window less a desktop scroll bar (headless Chromium draws none). The
    chapters keep shown code to 78 characters and solutions to 72 (test_chapter_style),
    and the book sets code at 12 px. One copy of the page, loaded at 1440 px (used by no
    other check, as this one opens hidden cells), is resized to each width: the theme's
    layout at a width is CSS alone, so it reflows as a window loaded at that width."""
    tab = view(page, 1440)
    tab.set_viewport_size({"width": width, "height": 900})
    found = tab.evaluate(WIDE_CODE)
    assert found["hidden"] == 0, f"{page}: {found['hidden']} code blocks stayed hidden"
    assert not found["wide"], f"{page} at {width} px: code scrolls sideways:\n" + "\n".join(
        found["wide"]
    )
    if page not in ("chapters/glossary", "chapters/status"):
        assert found["measured"] > 0, f"{page}: no code block measured"


SIDEBAR_STATE = """(kind) => {
    const dialog = document.getElementById(`pst-${kind}-sidebar-modal`);
    const sidebar = document.getElementById(`pst-${kind}-sidebar`);
    return {open: !!(dialog && dialog.open),
            links: dialog && dialog.open ? dialog.querySelectorAll('a[href]').length : 0,
            collapsed: !!(sidebar && sidebar.classList.contains('pst-sidebar-hidden'))};
}"""


@pytest.mark.parametrize(
    ("width", "kind"), [(390, "primary"), (390, "secondary"), (768, "primary"), (1280, "primary")]
)
def test_the_sidebar_buttons_open_the_contents(tab, book_url, width, kind) -> None:
    """The visible button for the chapter list (primary) or "on this page" (secondary)
    opens it as a dialog on a phone or tablet and collapses the sidebar on a wide screen
    (with the themes' versions alone it did nothing: _static/lossy-toggles.js)."""
    tab.set_viewport_size({"width": width, "height": 900})
    _open(tab, book_url, "chapters/tail-loss")
    button = tab.locator(f".{kind}-toggle:visible")
    assert button.count() == 1, f"{button.count()} visible {kind} buttons at {width} px"
    button.click()
    tab.wait_for_timeout(300)
    state = tab.evaluate(SIDEBAR_STATE, kind)
    if width < 992:
        assert state["open"] and state["links"] >= 5, f"{kind} at {width} px: {state}"
    else:
        assert state["collapsed"] and not state["open"], f"{kind} at {width} px: {state}"


CLAIM_CELLS = """() => [...document.querySelectorAll('table.lossy-claims td')].map(td => {
    const r = td.getBoundingClientRect();
    return {left: r.left, right: r.right, text: td.innerText.slice(0, 40)};
})"""


@pytest.mark.parametrize("claims_page", ["intro", "chapters/claims"])
def test_claims_tables_read_on_a_phone_without_scrolling(tab, book_url, claims_page) -> None:
    """On a phone every claim of the verdict tables is a card as wide as the screen: its
    verdict and evidence are not in a box scrolled sideways (where each row was as tall
    as its evidence squeezed into a sliver)."""
    width = 390
    tab.set_viewport_size({"width": width, "height": 800})
    _open(tab, book_url, claims_page)
    cells = tab.evaluate(CLAIM_CELLS)
    assert len(cells) >= 4 * 20, f"{claims_page}: {len(cells)} cells in its claims tables"
    outside = [c for c in cells if c["left"] < 0 or c["right"] > width + 1]
    assert not outside, f"{claims_page}: cells beyond a {width} px screen: {outside[:3]}"


TABLE_CELLS = """() => [...document.querySelectorAll('main table:not(.lossy-claims) td')]
  .map(td => {
    const r = td.getBoundingClientRect();
    return {right: r.right, width: r.width, text: td.innerText.slice(0, 30),
            table: (td.closest('table').caption || {}).innerText || '',
            cards: td.closest('table').classList.contains('lossy-cards'),
            label: td.getAttribute('data-label') || '',
            header: ((td.closest('table').tHead || {rows: [{cells: []}]})
                     .rows[0].cells[td.cellIndex] || {}).textContent || ''};
}).filter(c => c.width > 0)"""

#: Opens every closed dropdown of the page's text (hidden outputs, folded evidence) and
#: returns their indices, for CLOSE_DROPDOWNS to close them again.
OPEN_DROPDOWNS = """() => [...document.querySelectorAll('main details')].flatMap((d, i) => {
    if (d.open) return [];
    d.open = true;
    return [i];
})"""
CLOSE_DROPDOWNS = """(opened) => {
    const all = [...document.querySelectorAll('main details')];
    for (const i of opened) all[i].open = false;
}"""


#: Each result table: shown as cards, and whether it is wider than its room as a table.
CARDS = """() => [...document.querySelectorAll('main table:not(.lossy-claims)')].map(t => {
    const cards = t.classList.contains('lossy-cards');
    t.classList.remove('lossy-cards');
    const wide = t.getBoundingClientRect().width > t.parentElement.clientWidth + 1;
    if (cards) t.classList.add('lossy-cards');
    return {cards, wide, caption: (t.caption || {}).innerText || ''};
})"""


@pytest.mark.parametrize("width", [390, 768, 1280])
def test_result_tables_show_every_value_on_a_phone_or_tablet(view, page, width) -> None:
    """No value of a table is hidden beyond the screen's edge: a table wider than its room
    shows one card per row (_static/lossy-tables.js), and only such a table."""
    tab = view(page, width)
    opened = tab.evaluate(OPEN_DROPDOWNS)  # a table in a hidden output, as a reader opens it
    tab.wait_for_timeout(100)
    try:
        cells = tab.evaluate(TABLE_CELLS)
        wrong = [t for t in tab.evaluate(CARDS) if t["cards"] != t["wide"]]
    finally:
        tab.evaluate(CLOSE_DROPDOWNS, opened)  # the page is shared with other checks
    beyond = [c for c in cells if c["right"] > width + 1]
    assert not beyond, f"{page} at {width} px: {len(beyond)} cells beyond the edge: {beyond[:3]}"
    nameless = [c for c in cells if c["cards"] and c["header"].strip() and not c["label"]]
    assert not nameless, f"{page} at {width} px: card values without a name: {nameless[:3]}"
    assert not wrong, f"{page} at {width} px: cards where a table fits, or not where not: {wrong}"


def test_dark_mode_shows_figures_undimmed(tab, book_url) -> None:
    """The theme dims images in dark mode; the JPEG chapter asks readers to judge colours."""
    _open(tab, book_url, "chapters/jpeg-generations")
    tab.evaluate("document.documentElement.dataset.theme = 'dark'")
    filters = tab.evaluate(
        "() => [...document.querySelectorAll('main img')].map(i => getComputedStyle(i).filter)"
    )
    assert len(filters) > 5 and set(filters) == {"none"}, set(filters)


FIGURE_LINKS = """() => [...document.querySelectorAll('main figure > a.image-reference')]
  .map(a => ({href: a.href, src: a.querySelector('img').src,
              hint: getComputedStyle(a, '::after').content,
              shown: a.querySelector('img').getBoundingClientRect().width,
              natural: a.querySelector('img').naturalWidth}))"""


@pytest.mark.parametrize("width", [390, 1280])
def test_figures_open_full_size_and_a_phone_says_so(tab, book_url, width) -> None:
    """A figure on a phone is too small to read: each links to its own image at full
    size, and on a narrow screen a line under it says that a tap opens it."""
    tab.set_viewport_size({"width": width, "height": 900})
    _open(tab, book_url, "chapters/tail-loss")
    tab.evaluate(LOAD_IMAGES)
    links = tab.evaluate(FIGURE_LINKS)
    assert len(links) >= 5
    for link in links:
        assert link["href"] == link["src"] and link["href"].endswith(".png"), link
        if width == 390:
            assert "Tap to open the figure at full size" in link["hint"], link
            assert link["shown"] < 0.6 * link["natural"], link  # it is shrunk
        else:
            assert link["hint"] in ("none", "normal"), link


GLUED_WEIGHTS = """() => [...document.querySelectorAll('main span.pasted-text')].map(s => ({
    text: s.innerText, phrase: s.classList.contains('pasted-phrase'),
    weight: getComputedStyle(s).fontWeight,
    around: getComputedStyle(s.parentElement).fontWeight}))"""


def test_glued_numbers_are_bold_and_glued_phrases_are_not(tab, book_url) -> None:
    """The conclusion glues both numbers and whole clauses into its prose: the numbers
    stand out as computed, the clauses read as the sentence they are part of."""
    _open(tab, book_url, "chapters/conclusion")
    glued = tab.evaluate(GLUED_WEIGHTS)
    phrases = [g for g in glued if g["phrase"]]
    numbers = [g for g in glued if not g["phrase"] and g["around"] == "400"]
    assert phrases and numbers, glued[:5]
    assert all(g["weight"] == g["around"] for g in phrases), phrases
    assert all(int(g["weight"]) >= 600 for g in numbers), numbers


WIDE_EQUATIONS = """async () => {
    if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
    return [...document.querySelectorAll('main mjx-container[display="true"]')]
        .filter(m => m.scrollWidth > m.clientWidth + 1)
        .map(m => ({width: m.scrollWidth, room: m.clientWidth,
                    tex: (m.getAttribute('aria-label') || m.textContent).slice(0, 60)}));
}"""


def test_display_equations_fit_a_phone(view, page) -> None:
    """At 390 px every display equation fits its column: two formulas side by side are
    set one above the other (gathered), so none hides in a box scrolled sideways."""
    tab = view(page, 390)
    wide = tab.evaluate(WIDE_EQUATIONS)
    assert not wide, f"{page}: equations wider than a phone's column: {wide}"


TERM_LINKS = """() => [...document.querySelectorAll('main a.reference.internal')]
    .filter(a => a.querySelector(':scope > span.std-term'))
    .map(a => {
        const s = getComputedStyle(a), p = getComputedStyle(a.parentElement);
        return {href: a.getAttribute('href'), text: a.innerText,
                style: s.textDecorationStyle, line: s.textDecorationLine,
                color: s.color, around: p.color};
    })"""


def test_term_links_are_quiet_and_lead_to_their_definition(tab, book_url, page) -> None:
    """A {term} link is marked by a dotted underline (not by colour alone), keeps the
    colour of the text around it, and following it shows the term in the glossary."""
    _open(tab, book_url, page)
    links = tab.evaluate(TERM_LINKS)
    if not links:
        pytest.skip(f"{page} links no glossary term")
    for link in links:
        assert link["line"] == "underline" and link["style"] == "dotted", link
        assert link["color"] == link["around"], link
    first = links[0]
    assert "glossary.html#term-" in first["href"], first
    tab.locator("main a.reference.internal:has(> span.std-term)").first.click()
    tab.wait_for_load_state("load")
    assert urlparse(tab.url).path.endswith("/chapters/glossary.html"), tab.url
    anchor = urlparse(tab.url).fragment
    term = tab.locator(f"dt[id='{anchor}']")
    assert term.count() == 1 and term.is_visible(), f"{page}: no term {anchor!r} in view"
    assert term.evaluate("e => e.getBoundingClientRect().top") < 900, "the term is off screen"
    assert not tab.problems, tab.problems


#: A term a reader might look up, and the chapter that explains it.
SEARCHES = {
    "quantisation": "chapters/jpeg-generations",
    "Shumailov": "chapters/tail-loss",
    "Thresholdout": "chapters/narrow-targets",
    "Tainter": "chapters/complexity-brake",
    "expert iteration": "chapters/loop-that-improves",
    "logistic": "chapters/conclusion",
}

SEARCH_RESULTS = """() => {
    const box = document.querySelector('#search-results');
    return box && /Search finished/.test(box.innerText)
        ? [...box.querySelectorAll('li a')].map(a => a.getAttribute('href')) : null;
}"""


@pytest.mark.parametrize(("term", "chapter"), SEARCHES.items())
def test_search_finds_the_chapter_that_explains_a_term(tab, book_url, term, chapter) -> None:
    """The theme's search runs in the browser from the built index (no server-side
    search, no network): a reader who looks up a term lands on its chapter."""
    tab.goto(f"{book_url}search.html?q={term}", wait_until="load")
    found = tab.wait_for_function(SEARCH_RESULTS, timeout=30_000).json_value()
    pages = [href.split("#")[0].removesuffix(".html") for href in found]
    assert chapter in pages, f"searching {term!r} found {pages}"
    assert not tab.problems, tab.problems
