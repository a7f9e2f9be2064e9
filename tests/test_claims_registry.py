"""Tests for the claims registry (lossylib.claims): the contract every chapter relies on."""

from __future__ import annotations

import html
import re

import pytest

from lossylib import claims
from lossylib.claims import CAVEAT, DOES_NOT_HOLD, HOLDS, VERDICTS, Claim, Verdict


def test_verdicts():
    assert VERDICTS == ("holds", "holds with a caveat", "does not hold")
    assert (HOLDS, CAVEAT, DOES_NOT_HOLD) == VERDICTS


def test_registry_has_claims_1_to_5():
    reg = claims.registry()
    numbers = [c.number for c in reg]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert {1, 2, 3, 4, 5} <= set(numbers)
    for c in reg:
        assert isinstance(c, Claim)
        assert isinstance(c.number, int) and c.number >= 1
        assert isinstance(c.statement, str) and c.statement.strip() == c.statement
        assert c.statement and "\n" not in c.statement and len(c.statement) < 200
        assert re.fullmatch(r"chapters/[a-z0-9-]+", c.chapter), c.chapter
        assert callable(c.check)


def test_claims_1_to_5_belong_to_the_jpeg_chapter():
    for n in range(1, 6):
        assert claims.get(n).chapter == "chapters/jpeg-generations"


def test_get_returns_the_registered_claim():
    for c in claims.registry():
        assert claims.get(c.number) is c


@pytest.mark.parametrize("number", [0, 99, -1])
def test_get_unknown(number):
    with pytest.raises(KeyError) as info:
        claims.get(number)
    msg = info.value.args[0]
    assert f"no claim {number} is registered" in msg
    assert "1, 2, 3, 4, 5" in msg  # names what is known


def test_verdict_validates():
    v = Verdict(HOLDS, {"x": 1}, "why")
    assert v.verdict == HOLDS and v.evidence["x"] == 1
    with pytest.raises(ValueError, match="verdict must be one of"):
        Verdict("maybe", {})


def test_registering_a_number_twice_is_an_error():
    number = 10_000
    try:

        @claims.claim(number, "A test claim.", "chapters/test")
        def first() -> Verdict:
            return Verdict(HOLDS, {})

        with pytest.raises(ValueError, match=f"claim {number} is registered twice"):

            @claims.claim(number, "Another test claim.", "chapters/test")
            def second() -> Verdict:
                return Verdict(HOLDS, {})

        assert claims.get(number).statement == "A test claim."
        # The check is cached: one run per process.
        assert claims.get(number).check() is claims.get(number).check()
    finally:
        claims._REGISTRY.pop(number, None)


def test_verdict_html_badges():
    for v, cls in [(HOLDS, "holds"), (CAVEAT, "caveat"), (DOES_NOT_HOLD, "fails")]:
        out = claims.verdict_html(Verdict(v, {}))
        assert f"lossy-verdict-{cls}" in out and f">{v}<" in out


class _FakeClaims:
    """A table over fake claims, so the rendering is tested without running experiments."""

    @staticmethod
    def make():
        return [
            Claim(1, "Reds <fade> & blur.", "chapters/a", lambda: Verdict(HOLDS, {}, "x < y")),
            Claim(2, "Files shrink.", "chapters/b", lambda: Verdict(DOES_NOT_HOLD, {}, "no")),
        ]


def test_table_html_escapes_and_links():
    t = claims.VerdictTable(_FakeClaims.make())
    html = t._repr_html_()
    assert html.startswith('<table class="lossy-claims">') and html.endswith("</table>")
    assert "<caption>" in html
    assert html.count("<tr>") == 1 + 2
    assert "Reds &lt;fade&gt; &amp; blur." in html and "x &lt; y" in html
    assert '<a href="../chapters/a.html">' in html
    no_links = claims.VerdictTable(_FakeClaims.make(), link=False)._repr_html_()
    assert "<a " not in no_links
    text = repr(t)
    assert len(text.splitlines()) == 2 and "does not hold" in text


def test_table_of_jpeg_claims_has_a_row_per_claim():
    numbers = [1, 2, 3, 4, 5]
    t = claims.table(numbers)
    html = t._repr_html_()
    assert html.count("<tr>") == 1 + len(numbers)
    for n in numbers:
        c = claims.get(n)
        assert f"<td>{n}</td>" in html
        assert claims.verdict_html(c.check()) in html
    with pytest.raises(KeyError):
        claims.table([1, 99])


def test_claim_links_to_its_chapters_key_findings_which_link_to_the_evidence():
    c = Claim(3, "x", "chapters/a", lambda: Verdict(HOLDS, {}))
    assert c.href() == "chapters/a.html#key-findings"
    c = Claim(3, "x", "chapters/a", lambda: Verdict(HOLDS, {}), section="the-data")
    assert c.href("../") == "../chapters/a.html#key-findings"
    assert 'href="#the-data"' in claims.Findings([c])._repr_html_()
    assert claims.get(17).href().startswith("chapters/conclusion.html#")


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("One. Two.", "One."),
        ("It lost 3.7 dB after gen 1. Then x.", "It lost 3.7 dB after gen 1."),
        ("e.g. this stays. Next.", "e.g. this stays."),
        ("No stop", "No stop"),
        ("Ends here!  And more", "Ends here!"),
    ],
)
def test_first_sentence(text, first):
    assert claims.first_sentence(text) == first


def _fake_rows():
    return [
        Claim(1, "Reds <fade>.", "chapters/a", lambda: Verdict(HOLDS, {"x_y": 1.23456}, "A. B.")),
        Claim(
            2, "Files shrink.", "chapters/b", lambda: Verdict(CAVEAT, {"n": 3}, "C & d. But e. F.")
        ),
        Claim(5, "Last.", "chapters/b", lambda: Verdict(DOES_NOT_HOLD, {"s": "none"}, "E.")),
    ]


def test_scoreboard_lists_every_claim_with_badge_evidence_and_link():
    board = claims.Scoreboard(_fake_rows())
    html = board._repr_html_()
    assert "3 claims tested: 1 hold, 1 hold with a caveat, 1 do not hold." in html
    assert html.count("<tr data-claim=") == 3
    assert '<a href="chapters/a.html#key-findings">Reds &lt;fade&gt;.</a>' in html
    assert "<td>A.</td>" in html and "B." not in html  # one line: the first sentence
    # a caveat's line also gives the caveat: its second sentence, and no more
    assert "<td>C &amp; d. But e.</td>" in html and "F." not in html
    for v in VERDICTS:
        assert claims.verdict_html(Verdict(v, {})) in html
    assert repr(board).splitlines()[0].startswith("3 claims tested")


def test_appendix_shows_full_summaries_and_readable_evidence():
    a = claims.Appendix(_fake_rows())
    html = a._repr_html_()
    assert html.count('<section class="lossy-claim"') == 3
    assert 'id="claim-5"' in html and "A. B." in html  # nothing clipped
    assert "<td>x y</td><td>1.235</td>" in html  # names in words, numbers rounded
    assert "Verdict(" not in html and "np.float64" not in html
    assert '<a href="../chapters/b.html#key-findings">' in html
    assert "Claim 2: Files shrink." in repr(a)


def test_appendix_names_each_chapter_by_its_title():
    html = claims.appendix([4])._repr_html_()
    assert ">JPEG generations</a>" in html


def test_chapter_titles_match_the_chapters_headings():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    chapters = {c.chapter for c in claims.registry()}
    assert chapters <= set(claims.CHAPTER_TITLES)
    for docname, title in claims.CHAPTER_TITLES.items():
        heading = re.search(r"^# (.+)$", (root / f"{docname}.md").read_text(), re.M)
        assert heading and heading[1].split(":")[0] == title, docname


def test_short_table_cuts_summaries_like_the_scoreboard():
    rows = _fake_rows()
    full = claims.VerdictTable(rows)._repr_html_()
    short = claims.VerdictTable(rows, short=True)._repr_html_()
    assert "C &amp; d. But e. F." in full
    assert "<td>C &amp; d. But e.</td>" in short and "<td>A.</td>" in short


def test_scoreboard_reads_the_registry_live(monkeypatch):
    claims.registry()  # every chapter module imported once
    fake = {c.number: c for c in _fake_rows()}
    monkeypatch.setattr(claims, "_REGISTRY", fake)
    number = 10_001

    @claims.claim(number, "A claim added later.", "chapters/test", section="here")
    def late() -> Verdict:
        return Verdict(CAVEAT, {"k": 1.0}, "Added. Later.")

    html = claims.scoreboard()._repr_html_()
    assert [int(n) for n in re.findall(r'data-claim="(\d+)"', html)] == [1, 2, 5, number]
    assert "chapters/test.html#key-findings" in html  # the box there links to "here"
    assert claims.verdict_counts() == {"claims": 4, "holds": 1, "caveat": 2, "fails": 1}
    assert 'id="claim-10001"' in claims.appendix()._repr_html_()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (2004.4923, "2004.5"),
        (2003.4823, "2003.5"),
        (2008.0, "2008"),
        (-1234.56, "-1234.6"),
        (99000.0, "99000"),
        (0.123456, "0.1235"),
        (1.5e6, "1.5e+06"),
        (12, "12"),
    ],
)
def test_evidence_keeps_a_decimal_of_years_and_other_thousands(value, shown):
    """Claim 17's break year 2004.5 (2003.5 to 2005.3) was shown as 2004 (2003 to 2005)."""
    assert claims._plain(value) == shown


#: The longest line a chapter's key findings box shows a claim (its short summary).
FINDINGS_LINE = 460


def test_every_findings_line_is_short_and_in_words():
    """A chapter's key findings box shows each claim's first sentence (and the second for
    a caveat, or when it qualifies the first): the answer and the caveat, with the rest
    folded. No line may run past :data:`FINDINGS_LINE` characters (claim 17's was 789)
    or name a thing by its key in the code. (The front page shows the shorter headline.)"""
    for c in claims.registry():
        line = claims.short_summary(c.check())
        assert len(line) <= FINDINGS_LINE, f"claim {c.number}: {len(line)} characters"
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", line), f"claim {c.number}: {line}"
        assert line.endswith("."), f"claim {c.number}: {line}"


def test_every_scoreboard_headline_is_a_line_of_numbers_from_its_summary():
    """The front page's scoreboard gave each claim its short summary: 34 to 92 words, not
    "the evidence in a line". Each claim's rule now writes a headline of at most 25
    words; its numbers are the summary's numbers, rounded the same way (so the two cannot
    disagree), and a caveat's headline names the caveat (claims.headline_problems)."""
    for c in claims.registry():
        v = c.check()
        assert not claims.headline_problems(v), (c.number, claims.headline_problems(v))
        assert claims.headline(v) == v.headline


@pytest.mark.parametrize(
    ("verdict", "headline", "problem"),
    [
        (HOLDS, "", "no headline"),
        (HOLDS, "word " * 25 + "end.", "26 words (at most 25)"),
        (HOLDS, "it fell 3.7 dB.", "not a sentence"),
        (HOLDS, "It fell 3.7 dB", "not a sentence"),
        (HOLDS, "The psnr_loss fell.", "names a key of the code"),
        (HOLDS, "It fell 3.75 dB.", "numbers not in the summary: 3.75"),
        (HOLDS, "It fell 3.7 dB in 4:2:0.", "numbers not in the summary: 4:2:0"),
        (CAVEAT, "It fell 3.7 dB.", "a caveat that names no caveat"),
    ],
)
def test_headline_problems_name_what_is_wrong(verdict, headline, problem):
    v = Verdict(verdict, {}, "It fell 3.7 dB at 4:4:4. But more.", headline=headline)
    assert any(p.startswith(problem) for p in claims.headline_problems(v))
    fine = Verdict(verdict, {}, v.summary, headline="It fell 3.7 dB at 4:4:4, but only once.")
    assert claims.headline_problems(fine) == []


def test_the_scoreboard_shows_each_headline_and_falls_back_to_the_short_summary():
    lined = Verdict(CAVEAT, {"n": 3}, "Long. But more.", headline="At 3, but once.")
    bare = Verdict(HOLDS, {}, "First. Second.")
    board = claims.Scoreboard(
        [Claim(7, "S.", "chapters/a", lambda: lined), Claim(8, "T.", "chapters/a", lambda: bare)]
    )._repr_html_()
    assert "<td>At 3, but once.</td>" in board and "Long." not in board
    assert "<td>First.</td>" in board  # no headline: the short summary, as before
    table = claims.VerdictTable([Claim(7, "S.", "chapters/a", lambda: lined)], short=True)
    assert "<td>At 3, but once.</td>" in table._repr_html_()


@pytest.mark.parametrize(
    ("verdict", "summary", "short"),
    [
        # a second sentence that qualifies the first stays, whatever the verdict
        (DOES_NOT_HOLD, "No. It holds only for x. More.", "No. It holds only for x."),
        (DOES_NOT_HOLD, "No. But y only slows it. More.", "No. But y only slows it."),
        (HOLDS, "Yes. However, not for z. More.", "Yes. However, not for z."),
        (HOLDS, "Yes. Only the first half holds. More.", "Yes. Only the first half holds."),
        # one that only adds to it goes, as before
        (DOES_NOT_HOLD, "No. And before 1960 too. More.", "No."),
        (HOLDS, "Yes. Butter is not a qualifier.", "Yes."),
        (HOLDS, "Yes.", "Yes."),
        # a caveat keeps its second sentence, whatever it starts with
        (CAVEAT, "Partly. With 4:4:4 not. More.", "Partly. With 4:4:4 not."),
    ],
)
def test_short_summary_keeps_a_qualifying_second_sentence(verdict, summary, short):
    """The front page kept only the first sentence of "holds" and "does not hold", so
    claim 20 read a bare "does not hold" without "It holds only for loops without an
    outside check", and claim 15 lost "But a store that throws the real data out first
    only slows the growth"."""
    assert claims.short_summary(Verdict(verdict, {}, summary)) == short


@pytest.mark.parametrize(
    ("verdict", "summary", "rest"),
    [
        (DOES_NOT_HOLD, "No. It holds only for x. More. And more.", "More. And more."),
        (DOES_NOT_HOLD, "No.  And before 1960 too.", "And before 1960 too."),
        (CAVEAT, " Partly. With 4:4:4 not.", ""),
        (HOLDS, "Yes.", ""),
    ],
)
def test_summary_rest_is_what_the_short_summary_leaves_out(verdict, summary, rest):
    v = Verdict(verdict, {}, summary)
    assert claims.summary_rest(v) == rest
    assert " ".join(summary.split()) == " ".join(f"{claims.short_summary(v)} {rest}".split())


def test_key_findings_show_the_short_line_and_fold_the_rest_of_the_evidence():
    """A chapter's key findings ran to 700 words of evidence above its prose: each claim
    now shows its one- or two-sentence line, and the rest opens on a click."""
    shown = [claims.get(n) for n in (6, 7, 8)]
    page = claims.findings([c.number for c in shown])._repr_html_()
    for c in shown:
        v = c.check()
        short, rest = claims.short_summary(v), claims.summary_rest(v)
        assert rest, f"claim {c.number}: nothing to fold"
        link = claims.Findings._evidence_link(c)  # "Go to the evidence", if named
        line = f'{html.escape(short)}{link}<details class="lossy-evidence">'
        assert line in page, f"claim {c.number}: short line not followed by the folded rest"
        assert f"<p>{html.escape(rest)}</p></details>" in page
    short_page = claims.findings([6], short=True)._repr_html_()
    assert "<details" not in short_page


def test_key_findings_link_down_to_the_section_a_claim_names_and_only_then():
    """The JPEG chapter's bullets under its findings box repeated the box to carry links
    to the evidence; the box now links there itself, where a claim names its section."""
    v = Verdict(CAVEAT, {}, "It fell. But it rose again. Then more.")
    with_section = Claim(99, "A test claim", "chapters/x", lambda: v, section="x-evidence")
    without = Claim(98, "Another", "chapters/x", lambda: v)
    page = claims.Findings([with_section, without])._repr_html_()
    items = page.split("<li>")[1:]
    assert 'href="#x-evidence">Go to the evidence</a>' in items[0]
    assert "Go to the evidence" not in items[1]
    # the link follows the short line and comes before the folded rest
    assert items[0].index("But it rose again.") < items[0].index("#x-evidence")
    assert items[0].index("#x-evidence") < items[0].index("<details")
    # the front page still sends a reader to the chapter's key findings
    assert with_section.href().endswith("chapters/x.html#key-findings")


def test_each_claims_evidence_section_is_a_label_in_its_chapter():
    """A findings box's "Go to the evidence" link must land on a heading of the page."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    named = claims.registry()
    assert all(c.section for c in named), [c.number for c in named if not c.section]
    for c in named:
        text = (root / f"{c.chapter}.md").read_text(encoding="utf-8")
        target = re.search(rf"^\({re.escape(c.section)}\)=\n(.*)$", text, re.MULTILINE)
        assert target, f"claim {c.number}: no ({c.section})= in {c.chapter}.md"
        assert target.group(1).startswith("#"), f"claim {c.number}: label not on a heading"


def test_front_page_lines_keep_the_qualifiers_of_claims_15_and_20():
    """The scoreboard read a bare "does not hold" for claims 15 and 20 without the scope
    in which they do hold; their headlines, like their findings lines, keep it."""
    v20, v15 = claims.get(20).check(), claims.get(15).check()
    assert " It holds only for loops without an outside check" in claims.short_summary(v20)
    assert " It holds only without a" in claims.headline(v20)
    line = claims.short_summary(v15)
    assert " But a store that throws the real data out first only slows the growth" in line
    assert "throws it out first only slows the growth." in claims.headline(v15)


@pytest.mark.parametrize(
    ("value", "spec", "least", "most"),
    [
        (0.0258, ".0%", "2%", "3%"),  # claim 5's smallest growth, once "at least 3%"
        (0.03, ".0%", "3%", "3%"),  # on the grid: no step either way
        (0.0352806, ".1%", "3.5%", "3.6%"),
        (3.7496, ".1f", "3.7", "3.8"),
        (0.0072, ".3f", "0.007", "0.008"),
        (-1.31, ".1f", "-1.4", "-1.3"),
        (0.1499, "+.2f", "+0.14", "+0.15"),
        (-0.004, ".2f", "-0.01", "0.00"),  # no "-0.00"
        (1.02e-4, ".1e", "1.0e-04", "1.1e-04"),
        (0.0, ".1f", "0.0", "0.0"),
    ],
)
def test_bounds_round_away_from_what_they_bound(value, spec, least, most):
    """A lower bound ("at least") is rounded down and an upper one ("at most", "within")
    up, so that the sentence stays true of the number behind it."""
    assert claims.at_least(value, spec) == least
    assert claims.at_most(value, spec) == most


def test_bounds_reject_a_format_they_cannot_round():
    with pytest.raises(ValueError, match="spec must be like"):
        claims.at_least(1.0, ".3g")


def test_link_terms_links_each_term_once_as_a_whole_word():
    """The scoreboard's evidence lines link their glossary terms (lossylib.claims.terms):
    the first use in the table, whole words only, case kept where the term has capitals."""
    from lossylib.claims.terms import link_terms

    hrefs = {"mode": "g#mode", "PSNR": "g#PSNR", "S-curve": "g#S", "fixed point": "g#fp"}
    seen: set[str] = set()
    first = link_terms("A model's mode & psnr; Fixed points <b>.", hrefs, seen)
    assert 'model&#x27;s <a class="lossy-term" href="g#mode">mode</a> &amp; psnr' in first
    assert '<a class="lossy-term" href="g#fp">Fixed points</a> &lt;b&gt;.' in first
    assert seen == {"mode", "fixed point"}
    second = link_terms("The mode, PSNR, an S-curve and S-curves.", hrefs, seen)
    assert "The mode," in second  # linked once for the whole table
    assert '<a class="lossy-term" href="g#PSNR">PSNR</a>' in second
    assert second.count("lossy-term") == 2 and "S-curves." in second


def test_scoreboard_links_glossary_terms_only_where_the_book_has_a_glossary(tmp_path):
    from lossylib.claims import terms

    assert "fixed point" in terms.glossary_terms()
    assert terms.term_hrefs()["fixed point"] == "chapters/glossary.html#term-fixed-point"
    assert terms.term_hrefs(path=tmp_path / "glossary.md") == {}  # a copy without the book
    board = claims.scoreboard(numbers=[1])._repr_html_()
    assert 'href="chapters/glossary.html#term-fixed-point">fixed point</a>' in board


def test_every_claim_says_what_its_verdict_rests_on():
    """The Claims page shows under each claim what its verdict rests on (a referee asked
    to tell measured verdicts from ones fixed by a model or cited): every claim has one,
    and the kinds that are not measurements agree with what the verdicts themselves say."""
    from html import escape

    numbers = [c.number for c in claims.registry()]
    assert sorted(claims.EVIDENCE_KINDS) == numbers
    html = claims.table(numbers)._repr_html_()
    for n in numbers:
        kind = claims.evidence_kind(n)
        assert f"Evidence: {escape(kind)}</span>" in html, n
    for n, said in (
        (6, "cannot find that the claim holds"),
        (7, "cannot find that the claim holds"),
        (9, "Bloom et al."),
        (11, "model's algebra"),
        (12, "coordination overhead is assumed"),
        (13, "by construction"),
    ):
        assert said in claims.get(n).check().summary, n
    assert "theory" in claims.evidence_kind(6) and "theory" in claims.evidence_kind(7)
    assert "assumed" in claims.evidence_kind(12)
    with pytest.raises(ValueError, match="claim 99 has no kind of evidence"):
        claims.evidence_kind(99)
