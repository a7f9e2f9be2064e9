"""Claims as code: each claim of the book is a function that runs its experiment.

A chapter module in this package (``jpeg.py``, ``tail.py``, ...) registers its claims with
the :func:`claim` decorator. :func:`registry` imports every module of the package, so a new
chapter only adds a file here and its claims appear in the book's "Claims" appendix.

Examples
--------
>>> from lossylib import claims
>>> c = claims.get(4)
>>> c.statement
'Each re-save makes the file smaller and the picture worse.'
>>> c.check().verdict in claims.VERDICTS
True
"""

from __future__ import annotations

import functools
import html
import importlib
import math
import os
import pickle
import pkgutil
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

HOLDS = "holds"
CAVEAT = "holds with a caveat"
DOES_NOT_HOLD = "does not hold"
VERDICTS = (HOLDS, CAVEAT, DOES_NOT_HOLD)

Evidence = Mapping[str, float | int | str | bool | None]


@dataclass(frozen=True)
class Verdict:
    """The outcome of a claim's experiment.

    Attributes
    ----------
    verdict : str
        One of :data:`VERDICTS`.
    evidence : mapping
        The numbers behind the verdict, by name (what a test or a page quotes).
    summary : str
        One or two sentences saying why, in plain words.
    headline : str
        The verdict's reason in one line of at most :data:`HEADLINE_WORDS` words, for the
        front page's scoreboard: the deciding numbers and, for a caveat, the caveat. Each
        rule writes it where it decides the verdict, from the numbers of its summary, so
        it cannot say what the verdict does not (:func:`headline_problems` checks it).
    """

    verdict: str
    evidence: Evidence
    summary: str = ""
    headline: str = ""

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")

    def __repr__(self) -> str:
        lines = [f"{self.verdict}: {self.summary}".rstrip(": "), "evidence:"]
        lines += [f"  {name} = {_plain(value)}" for name, value in self.evidence.items()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td><code>{html.escape(name)}</code></td><td>{html.escape(_plain(value))}</td></tr>"
            for name, value in self.evidence.items()
        )
        return (
            f'<div class="lossy-finding"><p>{verdict_html(self)} {html.escape(self.summary)}</p>'
            '<table class="lossy-table"><caption>The evidence behind the verdict</caption>'
            '<thead><tr><th scope="col">measure</th><th scope="col">value</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>"
        )


def _plain(value: object) -> str:
    """A number as a reader wants to see it: 4 significant digits, no numpy repr; from
    1000 to a million one decimal (a year such as 2004.5 keeps its half), dropped when it
    is zero.

    Examples
    --------
    >>> _plain(0.123456), _plain(2004.4923), _plain(2008.0), _plain(1.5e6)
    ('0.1235', '2004.5', '2008', '1.5e+06')
    """
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        if 1e3 <= abs(value) < 1e6:
            return f"{value:.1f}".removesuffix(".0")
        return f"{value:.4g}"
    return str(value)


@dataclass(frozen=True)
class Claim:
    """A registered claim: its number in CLAIMS.md, a one-line statement and its check."""

    number: int
    statement: str
    chapter: str
    check: Callable[[], Verdict] = field(repr=False, compare=False)
    #: The anchor of the chapter's section holding the evidence ("" if none is named):
    #: the key findings box links to it.
    section: str = field(default="", compare=False)

    def href(self, base: str = "") -> str:
        """Link to the key findings of the chapter that tests it, relative to a page at
        ``base`` (``""`` from the book's root page, ``"../"`` from a chapter): the verdict,
        its line of evidence and, from there, the section with the evidence."""
        return page_href(self.chapter, base, "key-findings")


#: Names what a link to a chapter points at: the book's pages (unset, the default) or,
#: when set to "ipynb", the chapters' notebook copies (their install cell sets it).
LINKS_ENV = "LOSSY_PAGE_LINKS"


def page_href(docname: str, base: str = "", anchor: str = "") -> str:
    """The link to a page of the book, relative to a page at ``base``.

    In the book it goes to the page's HTML and ``anchor``; in the notebook copies
    (:data:`LINKS_ENV` is "ipynb") to the page's notebook, which has no such anchors.

    Examples
    --------
    >>> page_href("chapters/tail-loss", "../", "key-findings")
    '../chapters/tail-loss.html#key-findings'
    """
    if os.environ.get(LINKS_ENV) == "ipynb":
        return f"{base}{docname}.ipynb"
    return f"{base}{docname}.html" + (f"#{anchor}" if anchor else "")


#: Each chapter's short title (its heading up to any colon), for links; a test keeps
#: them in step with the chapters.
CHAPTER_TITLES = {
    "chapters/complexity-brake": "The complexity brake",
    "chapters/conclusion": "Conclusion",
    "chapters/jpeg-generations": "JPEG generations",
    "chapters/limits-of-curation": "The limits of curation",
    "chapters/loop-that-improves": "A loop that improves",
    "chapters/narrow-targets": "Narrow targets",
    "chapters/tail-loss": "Tail loss",
}

_REGISTRY: dict[int, Claim] = {}


#: The most words a verdict's headline (:attr:`Verdict.headline`) may have.
HEADLINE_WORDS = 25


#: A number as a line writes it: 3.75, 10,000, 4:2:0, 2004.5.
NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
#: Words that name a caveat: a "holds with a caveat" headline must use one.
CAVEAT_WORDS = re.compile(r"\b(?:but|only|not|unless|except|yet|though|if|assumed)\b", re.I)


def headline_problems(verdict: Verdict) -> list[str]:
    """What keeps ``verdict``'s headline from serving the scoreboard (empty if nothing):
    it must exist, have at most :data:`HEADLINE_WORDS` words, be a sentence, name no key
    of the code, quote only numbers its summary has (rounded the same way, so the two
    cannot disagree) and, for a caveat, name the caveat (:data:`CAVEAT_WORDS`).

    Examples
    --------
    >>> v = Verdict(CAVEAT, {}, "It fell 3.7 dB. More.", headline="It fell 3.75 dB.")
    >>> headline_problems(v)
    ['numbers not in the summary: 3.75', 'a caveat that names no caveat']
    """
    line = verdict.headline
    if not line:
        return ["no headline"]
    problems = []
    words = len(line.split())
    if words > HEADLINE_WORDS:
        problems.append(f"{words} words (at most {HEADLINE_WORDS})")
    if not (line[0].isupper() and line.endswith(".")):
        problems.append("not a sentence (a capital first, a full stop last)")
    if re.search(r"\b[a-z]+_[a-z_]+\b", line):
        problems.append("names a key of the code")
    stray = sorted(set(NUMBER.findall(line)) - set(NUMBER.findall(verdict.summary)))
    if stray:
        problems.append(f"numbers not in the summary: {', '.join(stray)}")
    if verdict.verdict == CAVEAT and not CAVEAT_WORDS.search(line):
        problems.append("a caveat that names no caveat")
    return problems


def fit_headline(*lines: str) -> str:
    """The first of ``lines`` short enough for a headline (at most :data:`HEADLINE_WORDS`
    words), else the last: so a rule keeps an extra clause only when there is room.

    Examples
    --------
    >>> fit_headline("A long line. " * 20, "A short one.")
    'A short one.'
    >>> fit_headline("Fits.", "Also fits.")
    'Fits.'
    """
    return next((line for line in lines if len(line.split()) <= HEADLINE_WORDS), lines[-1])


def claim(number: int, statement: str, chapter: str, section: str = "") -> Callable:
    """Register ``check`` (a function with no arguments returning a :class:`Verdict`).

    The check is cached: a chapter and the Claims appendix share one run per process.

    Parameters
    ----------
    number : int
        The claim's number in ``CLAIMS.md``.
    statement : str
        The claim in one line, paraphrased.
    chapter : str
        The docname of the chapter that examines it, e.g. ``"chapters/jpeg-generations"``.
    section : str, optional
        The anchor of the section holding the evidence; by default the chapter's key
        findings (``key-findings``).
    """

    def register(check: Callable[[], Verdict]) -> CachedCheck:
        cached = CachedCheck(check)
        existing = _REGISTRY.get(number)
        name = f"{check.__module__}.{check.__qualname__}"
        if existing is not None and existing.check.__wrapped__.__qualname__ != check.__qualname__:
            raise ValueError(f"claim {number} is registered twice (again by {name})")
        _REGISTRY[number] = Claim(number, statement, chapter, cached, section)
        return cached

    return register


class CachedCheck:
    """A claim's check, run at most once per process; :func:`check_all` hands it verdicts
    found in worker processes (:meth:`keep`).

    Examples
    --------
    >>> c = CachedCheck(lambda: Verdict(HOLDS, {"x": 1}))
    >>> c.done, c() is c(), c.done
    (False, True, True)
    """

    def __init__(self, check: Callable[[], Verdict]) -> None:
        functools.update_wrapper(self, check)
        self._verdict: Verdict | None = None

    def __call__(self) -> Verdict:
        if self._verdict is None:
            from threadpoolctl import threadpool_limits

            # One thread for numpy's BLAS, here as in check_all's workers: a sum split
            # over threads can differ in its last bits, and a verdict's numbers should
            # not depend on where, or on how many cores, it was found.
            with threadpool_limits(1):
                self._verdict = self.__wrapped__()
        return self._verdict

    @property
    def done(self) -> bool:
        """Whether the verdict is known in this process."""
        return self._verdict is not None

    def keep(self, verdict: Verdict) -> None:
        """Take ``verdict``, found by running this check elsewhere, as its result here."""
        if not isinstance(verdict, Verdict):
            raise TypeError(f"a check's result must be a Verdict, got {type(verdict).__name__}")
        self._verdict = verdict


#: Overrides how many worker processes :func:`check_all` uses (``1``: none, every check
#: runs in this process).
JOBS_ENV = "LOSSY_JOBS"


def check_all(claims: Sequence[Claim] | None = None, jobs: int | None = None) -> None:
    """Run the checks of ``claims`` (every registered claim by default) whose verdicts
    this process does not know yet, side by side in worker processes.

    The front page and the Claims appendix show every verdict; run one after another the
    checks take over half a minute (``make bench``: bench_claims). Checks from one
    module share cached runs, so each module's run together in one worker; the verdicts
    come back into each claim's cache, so later ``check()`` calls return at once.

    Parameters
    ----------
    claims : sequence of Claim, optional
    jobs : int, optional
        Worker processes at a time: by default :data:`JOBS_ENV` if set, else one per
        usable core (:func:`lossylib.machine.usable_cores`, which reads a container's CPU
        quota). With 1, or one module to run, the checks run in this process.

    A check that warns or fails in a worker, or whose verdict cannot be sent back, runs
    again here, so the warning or the error comes from this process as it would without
    workers (and a build that fails on warnings still sees it); so do the checks of a
    worker that dies (out of memory, say). In a Jupyter kernel the workers come from a
    fork server (:func:`lossylib.workers.worker_context`) and find the claims by number,
    so only registered claims go to them; any other runs here.

    Examples
    --------
    >>> check_all([get(4), get(5)], jobs=1)
    >>> get(4).check.done
    True
    """
    chosen = registry() if claims is None else list(claims)
    groups: dict[str, list[int]] = {}  # positions in ``chosen``, by the check's module
    for i, c in enumerate(chosen):
        if isinstance(c.check, CachedCheck) and not c.check.done:
            groups.setdefault(c.check.__module__, []).append(i)

    def expected(group: list[int]) -> float:
        return sum(EXPECTED_SECONDS.get(chosen[i].number, 0.5) for i in group)

    tasks = [tuple(g) for g in sorted(groups.values(), key=expected, reverse=True)]
    if jobs is not None:
        jobs = _checked_jobs(jobs)
    from lossylib.workers import forked, run_tasks, starting_filters, worker_context

    context = worker_context() if len(tasks) > 1 else None
    if context is not None and not forked(context):  # (it gets claims by number)
        tasks = [t for t in tasks if all(_registered(chosen[i]) for i in t)]
    if context is not None and (jobs := min(jobs or _default_jobs(), len(tasks))) > 1:
        with warnings.catch_warnings():
            # (Python 3.12+ warns that forking a process with threads may deadlock; in a
            # kernel, where that happened, workers are not forked.)
            warnings.filterwarnings("ignore", ".*multi-threaded.*fork", DeprecationWarning)
            if forked(context):  # (handed these functions as they are, not pickled)
                run, sent = functools.partial(_check_group, chosen), tasks
            else:
                run = _check_numbers
                sent = [tuple(chosen[i].number for i in t) for t in tasks]
            keep = functools.partial(_keep_results, chosen, tasks)
            init, initargs = starting_filters(context)
            run_tasks(run, sent, jobs, keep, _lost, init, initargs, context)
    for c in chosen:  # whatever the workers left, or everything with one job
        if isinstance(c.check, CachedCheck):
            c.check()


def _lost(index: int, exitcode: int) -> bool:
    """A worker died: its checks run in this process afterwards (never in a worker
    again)."""
    return False


def _checked_jobs(jobs: object) -> int:
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a whole number of at least 1, got {jobs!r}")
    return jobs


def _default_jobs() -> int:
    """:data:`JOBS_ENV` if set, else one per usable core."""
    raw = os.environ.get(JOBS_ENV, "").strip()
    if not raw:
        from lossylib.machine import usable_cores

        return usable_cores()
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise ValueError(f"{JOBS_ENV} must be a whole number of at least 1, got {raw!r}")
    return int(raw)


#: How long each claim's check took when last measured (seconds, this machine, one
#: process; ``bench`` prints them): only to hand the longest modules to workers first.
#: A claim not listed counts as quick; a wrong number only makes the run less even.
EXPECTED_SECONDS = {1: 16.6, 3: 5.0, 8: 1.5, 12: 4.8, 16: 5.9, 17: 6.3, 18: 9.6, 20: 8.4}


def _check_group(chosen: list[Claim], group: tuple[int, ...]) -> list[Verdict | None]:
    """In a worker: the verdict of each claim of ``chosen`` at the positions ``group``, or
    None for a check that warned (under the filters of the process that asked),
    failed, or found a verdict that cannot be sent back: such a check runs again there."""
    out: list[Verdict | None] = []
    for i in group:
        try:
            with warnings.catch_warnings(record=True) as caught:
                verdict = chosen[i].check()
            pickle.dumps(verdict)
        except Exception:
            verdict = None
        out.append(None if caught else verdict)
    return out


def _check_numbers(numbers: tuple[int, ...]) -> list[Verdict | None]:
    """In a worker not forked from the process that asks (see
    :func:`lossylib.workers.worker_context`): :func:`_check_group` of the claims
    registered as ``numbers``, with None for a number registered only there."""
    _import_all()
    known = [_REGISTRY.get(n) for n in numbers]
    return [None if c is None else _check_group([c], (0,))[0] for c in known]


def _registered(claim: Claim) -> bool:
    """Whether ``claim`` is the registered claim of its number (a worker can find it)."""
    _import_all()
    return _REGISTRY.get(claim.number) is claim


def _keep_results(
    chosen: list[Claim], tasks: list[tuple[int, ...]], task: int, verdicts: list
) -> None:
    """Here: keep the verdicts a worker found for ``tasks[task]``."""
    for i, verdict in zip(tasks[task], verdicts, strict=True):
        if verdict is not None:
            chosen[i].check.keep(verdict)


def module_names() -> list[str]:
    """The claim modules, which register their claims when imported.

    Examples
    --------
    >>> "lossylib.claims.brake" in module_names()
    True
    """
    return [f"{__name__}.{info.name}" for info in pkgutil.iter_modules(__path__)]


@functools.cache
def _import_all() -> None:
    for name in module_names():
        importlib.import_module(name)


def registry() -> list[Claim]:
    """All registered claims, ordered by number.

    Examples
    --------
    >>> [c.number for c in registry()][:5]
    [1, 2, 3, 4, 5]
    """
    _import_all()
    return [_REGISTRY[n] for n in sorted(_REGISTRY)]


def get(number: int) -> Claim:
    """The registered claim with this number (``KeyError`` with a clear message if none)."""
    _import_all()
    try:
        return _REGISTRY[number]
    except KeyError:
        known = ", ".join(str(n) for n in sorted(_REGISTRY))
        raise KeyError(f"no claim {number} is registered (known: {known})") from None


def glue_numbers(prefix: str, numbers: Evidence) -> None:
    """Glue every number of ``numbers`` into the page as ``{prefix}_{name}`` (MyST-NB),
    so the prose can quote them with ``{glue:text}`` instead of typing them in."""
    from myst_nb import glue

    for name, value in numbers.items():
        # myst-nb formats a glued value from its repr: numpy 2 scalars would read back as
        # "np.float64(...)", so hand it plain Python numbers.
        plain = value.item() if hasattr(value, "item") else value
        glue(f"{prefix}_{name}", plain, display=False)


_BADGE = {HOLDS: "holds", CAVEAT: "caveat", DOES_NOT_HOLD: "fails"}


def verdict_html(v: Verdict) -> str:
    """A small coloured badge for a verdict (styled by ``_static/lossy.css``)."""
    return f'<span class="lossy-verdict lossy-verdict-{_BADGE[v.verdict]}">{v.verdict}</span>'


#: What each claim's verdict rests on, in a few words, so that a reader can tell a
#: measurement from a simulation, a cited figure or a result fixed by the model itself
#: (the Claims page shows it under each claim).
EVIDENCE_KINDS = {
    1: "an experiment: images re-saved",
    2: "an experiment: images re-saved",
    3: "an experiment: images re-saved",
    4: "an experiment: images re-saved",
    5: "an experiment: images re-saved",
    6: "a simulation; the vocabulary's average tail is fixed by theory",
    7: "a simulation; at temperature 1 the answer is fixed by theory",
    8: "a simulation",
    9: "published figures (Bloom et al.), re-read",
    10: "data: US patents and population",
    11: "the model's algebra",
    12: "an experiment on real digits; the coordination overhead is assumed",
    13: "a model, by construction",
    14: "a simulation",
    15: "a simulation",
    16: "an experiment: images re-saved and restored",
    17: "data: microprocessor trends; simulated S-curves",
    18: "an experiment on real digits, and a model of best-of-n",
    19: "an experiment on real digits",
    20: "a simulation of a learner of sums, and real digits",
}


def evidence_kind(number: int) -> str:
    """What claim ``number``'s verdict rests on (:data:`EVIDENCE_KINDS`).

    Examples
    --------
    >>> evidence_kind(9)
    'published figures (Bloom et al.), re-read'
    """
    if number not in EVIDENCE_KINDS:
        raise ValueError(f"claim {number} has no kind of evidence in EVIDENCE_KINDS")
    return EVIDENCE_KINDS[number]


class VerdictTable:
    """Claims and their verdicts, shown as an HTML table in a notebook or a built page."""

    def __init__(self, claims: list[Claim], link: bool = True, short: bool = False) -> None:
        check_all(claims)
        self.rows = [(c, c.check()) for c in claims]
        self.link = link
        self.short = short

    def _repr_html_(self) -> str:
        out = [
            '<table class="lossy-claims"><caption>Claims and the verdicts their '
            "experiments support</caption><thead><tr>"
            '<th scope="col">#</th><th scope="col">claim</th>'
            '<th scope="col">verdict</th><th scope="col">why</th></tr></thead><tbody>'
        ]
        for c, v in self.rows:
            statement = html.escape(c.statement)
            if self.link:
                statement = f'<a href="{html.escape(page_href(c.chapter, "../"))}">{statement}</a>'
            kind = html.escape(evidence_kind(c.number))
            statement += f'<br><span class="lossy-evidence-kind">Evidence: {kind}</span>'
            out.append(
                f"<tr><td>{c.number}</td><td>{statement}</td><td>{verdict_html(v)}</td>"
                f"<td>{html.escape(headline(v) if self.short else v.summary)}</td></tr>"
            )
        out.append("</tbody></table>")
        return "".join(out)

    def __repr__(self) -> str:
        return "\n".join(f"{c.number:>3}  {v.verdict:<20}  {c.statement}" for c, v in self.rows)


class Findings:
    """Key findings of a chapter: each claim's live verdict badge and its summary.

    Shown at the top of a chapter (a ``remove-input`` cell) so that a reader gets the
    answer before the evidence; the summaries are built from each claim's evidence.
    Each claim shows its :func:`short_summary` (the verdict and its caveat) and, folded
    under it, the rest of its evidence (:func:`summary_rest`), so that a reader in a
    hurry reads one or two sentences a claim; ``short`` leaves the rest out, for a page
    whose prose then gives the numbers.
    """

    def __init__(self, claims: list[Claim], short: bool = False) -> None:
        self.rows = [(c, c.check()) for c in claims]
        self.short = short

    def _summary(self, v: Verdict) -> str:
        return short_summary(v) if self.short else v.summary

    def _rest_html(self, v: Verdict) -> str:
        rest = "" if self.short else summary_rest(v)
        if not rest:
            return ""
        return (
            '<details class="lossy-evidence"><summary>The evidence in full</summary>'
            f"<p>{html.escape(rest)}</p></details>"
        )

    @staticmethod
    def _evidence_link(c: Claim) -> str:
        """A link down the page to the section with the claim's evidence, if it names one
        (an anchor that works in the book and in the chapter's notebook copy alike)."""
        if not c.section:
            return ""
        href = html.escape(f"#{c.section}", quote=True)
        return f' <a class="lossy-evidence-link" href="{href}">Go to the evidence</a>'

    def _repr_html_(self) -> str:
        items = "".join(
            f'<li><span class="lossy-finding-claim">Claim {c.number}: '
            f"{html.escape(c.statement)}</span> {verdict_html(v)}<br>"
            f"{html.escape(short_summary(v))}{self._evidence_link(c)}{self._rest_html(v)}</li>"
            for c, v in self.rows
        )
        return f'<ul class="lossy-findings">{items}</ul>'

    def __repr__(self) -> str:
        return "\n".join(
            f"Claim {c.number} ({v.verdict}): {c.statement} {self._summary(v)}"
            for c, v in self.rows
        )


def findings(numbers: list[int], short: bool = False) -> Findings:
    """The key findings for these claims: live verdict badges with their evidence
    (``short``: each summary cut to its verdict and caveat, :func:`short_summary`).

    Examples
    --------
    >>> f = findings([4])
    >>> "lossy-verdict" in f._repr_html_()
    True
    """
    return Findings([get(n) for n in numbers], short=short)


def table(numbers: list[int] | None = None, link: bool = True, short: bool = False) -> VerdictTable:
    """A table of claims with their live verdicts (all registered claims by default);
    ``short`` gives each its reason in a line, as the front page does (:func:`headline`).

    Examples
    --------
    >>> t = table([4])
    >>> "<table" in t._repr_html_()
    True
    """
    chosen = registry() if numbers is None else [get(n) for n in numbers]
    return VerdictTable(chosen, link=link, short=short)


def first_sentence(text: str) -> str:
    """The first sentence of a summary (a full stop followed by a space and a capital),
    for a one-line view; the whole text if it is one sentence.

    Examples
    --------
    >>> first_sentence("It fell 3.7 dB. Then it rose.")
    'It fell 3.7 dB.'
    >>> first_sentence("No full stop here")
    'No full stop here'
    """
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.strip(), maxsplit=1)
    return parts[0]


#: How a sentence that qualifies the one before it begins: a summary's second sentence
#: starting so ("But a store that ...", "It holds only for ...") limits its verdict, and
#: the one-line view keeps it whatever the verdict.
QUALIFIER = re.compile(
    r"(?:But|However|Yet|Still|Though|Although|Except|Unless|Only|Not)\b"
    r"|It (?:holds|fails|does not hold) only\b|It only (?:holds|fails)\b"
)


def short_summary(verdict: Verdict) -> str:
    """A verdict's summary cut short for a one-line view: the first sentence, and the
    second when it states a caveat: always for "holds with a caveat", and for the other
    verdicts when it qualifies the first (it begins as :data:`QUALIFIER` says, "But ..."
    or "It holds only ..."), so that no verdict reads barer than it is.

    Examples
    --------
    >>> short_summary(Verdict(CAVEAT, {}, "It fell. But it rose again. Then more."))
    'It fell. But it rose again.'
    >>> short_summary(Verdict(HOLDS, {}, "It fell. Then more."))
    'It fell.'
    >>> short_summary(Verdict(DOES_NOT_HOLD, {}, "No. It holds only for x. Then more."))
    'No. It holds only for x.'
    """
    return " ".join(_kept_sentences(verdict))


def _kept_sentences(verdict: Verdict) -> list[str]:
    """The sentences :func:`short_summary` keeps, as they begin the summary."""
    first = first_sentence(verdict.summary)
    second = first_sentence(verdict.summary.strip()[len(first) :].strip())
    if second and (verdict.verdict == CAVEAT or QUALIFIER.match(second)):
        return [first, second]
    return [first]


def headline(verdict: Verdict) -> str:
    """The verdict's reason in one line, as the front page's scoreboard shows it: its
    :attr:`~Verdict.headline`, or its :func:`short_summary` if it has none.

    Examples
    --------
    >>> headline(Verdict(HOLDS, {}, "It fell. Then more.", headline="Fell 3 dB."))
    'Fell 3 dB.'
    >>> headline(Verdict(HOLDS, {}, "It fell. Then more."))
    'It fell.'
    """
    return verdict.headline or short_summary(verdict)


def summary_rest(verdict: Verdict) -> str:
    """What a verdict's summary says after its :func:`short_summary` (empty when the
    short summary is all of it).

    Examples
    --------
    >>> summary_rest(Verdict(CAVEAT, {}, "It fell. But it rose again. Then more."))
    'Then more.'
    >>> summary_rest(Verdict(HOLDS, {}, "It fell."))
    ''
    """
    rest = verdict.summary.strip()
    for sentence in _kept_sentences(verdict):
        rest = rest[len(sentence) :].strip()
    return rest


def _bounded(value: float, spec: str, lower: bool) -> str:
    match = re.fullmatch(r"([+ -]?)\.(\d+)([fe%])", spec)
    if match is None:
        raise ValueError(f"spec must be like '.1f', '+.2f', '.0%' or '.1e', got {spec!r}")
    places = int(match[2]) + (2 if match[3] == "%" else 0)
    if match[3] == "e" and value != 0:  # places after the point of the leading digit
        places -= math.floor(math.log10(abs(float(value))))
    scaled = float(value) * 10**places
    nearest = round(scaled)
    if math.isclose(scaled, nearest, rel_tol=1e-9, abs_tol=1e-9):
        steps = nearest  # on the grid already (0.03 stays 3%)
    else:
        steps = math.floor(scaled) if lower else math.ceil(scaled)
    return format(steps / 10**places + 0.0, spec)  # (+ 0.0: no "-0.0")


def at_least(value: float, spec: str) -> str:
    """``value`` formatted by ``spec`` (``".1f"``, ``"+.2f"``, ``".0%"``, ``".1e"``) as a
    lower bound: rounded down, so "at least" it stays true of the number behind it.

    Examples
    --------
    >>> at_least(0.0258, ".0%"), at_least(0.03, ".0%"), at_least(6.66, ".1f")
    ('2%', '3%', '6.6')
    """
    return _bounded(value, spec, lower=True)


def at_most(value: float, spec: str) -> str:
    """``value`` formatted by ``spec`` as an upper bound: rounded up, so "at most" (or
    "within") it stays true of the number behind it.

    Examples
    --------
    >>> at_most(0.0258, ".0%"), at_most(0.0072, ".3f"), at_most(-0.004, ".2f")
    ('3%', '0.008', '0.00')
    >>> at_most(1.02e-4, ".1e"), at_most(0.00011, ".1e")
    ('1.1e-04', '1.1e-04')
    """
    return _bounded(value, spec, lower=False)


def in_words(items: Iterable[object], last: str = "and") -> str:
    """Items as a sentence lists them: "a", "a and b", "a, b and c" (``last`` instead of
    "and", such as "or"), or "none" when there are none.

    Examples
    --------
    >>> in_words([10, 30, 50]), in_words(["75", "90"], "or"), in_words([])
    ('10, 30 and 50', '75 or 90', 'none')
    """
    words = [str(x) for x in items]
    if not words:
        return "none"
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def upper_first(text: str) -> str:
    """``text`` with its first character in capitals and the rest as it was (where
    ``str.capitalize`` would lower the rest): a clause made to start a sentence.

    Examples
    --------
    >>> upper_first("top-k 1000 keeps 4:2:0"), upper_first("")
    ('Top-k 1000 keeps 4:2:0', '')
    """
    return text[:1].upper() + text[1:]


def bounds_text(
    numbers: Mapping[str, float], lower: Mapping[str, str], upper: Mapping[str, str]
) -> dict[str, str]:
    """The bounds a page quotes, as text to glue: for each key of ``lower`` (its format
    spec the value) ``{key}_floor``, ``numbers[key]`` rounded down (:func:`at_least`), and
    for each key of ``upper`` ``{key}_ceil``, rounded up (:func:`at_most`).

    Examples
    --------
    >>> bounds_text({"a": 0.0258, "b": 0.03}, {"a": ".0%", "b": ".0%"}, {"a": ".1%"})
    {'a_floor': '2%', 'b_floor': '3%', 'a_ceil': '2.6%'}
    """
    out = {f"{k}_floor": at_least(numbers[k], spec) for k, spec in lower.items()}
    out.update({f"{k}_ceil": at_most(numbers[k], spec) for k, spec in upper.items()})
    return out


def verdict_counts(numbers: list[int] | None = None) -> dict[str, int]:
    """How many claims (all registered ones by default) reached each verdict, keyed
    ``claims``, ``holds``, ``caveat`` and ``fails``: numbers a page can glue.

    Examples
    --------
    >>> n = verdict_counts([4, 5])
    >>> n["claims"] == n["holds"] + n["caveat"] + n["fails"] == 2
    True
    """
    chosen = registry() if numbers is None else [get(n) for n in numbers]
    check_all(chosen)
    rows = [c.check().verdict for c in chosen]
    out = {"claims": len(rows)}
    out.update({_BADGE[v]: rows.count(v) for v in VERDICTS})
    return out


def _counts(rows: list[tuple[Claim, Verdict]]) -> str:
    n = {v: sum(1 for _, x in rows if x.verdict == v) for v in VERDICTS}
    return (
        f"{len(rows)} claims tested: {n[HOLDS]} hold, {n[CAVEAT]} hold with a caveat, "
        f"{n[DOES_NOT_HOLD]} do not hold."
    )


class Scoreboard:
    """Every registered claim with its live verdict, its :func:`headline` (the reason in
    a line) and a link to the key findings of its chapter: the front page's answer at a
    glance."""

    def __init__(self, claims: list[Claim], base: str = "") -> None:
        check_all(claims)
        self.rows = [(c, c.check()) for c in claims]
        self.base = base

    def _repr_html_(self) -> str:
        out = [
            f'<p class="lossy-scoreboard-count">{html.escape(_counts(self.rows))}</p>',
            '<table class="lossy-claims lossy-scoreboard"><caption>Every claim the book '
            "tests, with the verdict its experiment supported when this page was built"
            '</caption><thead><tr><th scope="col">#</th><th scope="col">claim</th>'
            '<th scope="col">verdict</th><th scope="col">evidence, and the caveat</th>'
            "</tr></thead><tbody>",
        ]
        from lossylib.claims.terms import link_terms, term_hrefs

        hrefs, linked = term_hrefs(self.base), set()  # each term linked once, where first used
        for c, v in self.rows:
            out.append(
                f'<tr data-claim="{c.number}"><td>{c.number}</td>'
                f'<td><a href="{html.escape(c.href(self.base))}">{html.escape(c.statement)}'
                f"</a></td><td>{verdict_html(v)}</td>"
                f"<td>{link_terms(headline(v), hrefs, linked)}</td></tr>"
            )
        out.append("</tbody></table>")
        return "".join(out)

    def __repr__(self) -> str:
        lines = [_counts(self.rows)]
        lines += [
            f"{c.number:>3}  {v.verdict:<20}  {c.statement}  {headline(v)}" for c, v in self.rows
        ]
        return "\n".join(lines)


def scoreboard(base: str = "", numbers: list[int] | None = None) -> Scoreboard:
    """All registered claims (read live, so a new claim appears by itself), or these,
    with badges, a headline each (:func:`headline`) and links relative to a page at ``base``.

    Examples
    --------
    >>> board = scoreboard(numbers=[4, 5])
    >>> 'data-claim="4"' in board._repr_html_()
    True
    """
    return Scoreboard(registry() if numbers is None else [get(n) for n in numbers], base)


def _words(name: str) -> str:
    """An evidence key as words: ``felt_before_low`` -> ``felt before low``."""
    return name.replace("_", " ")


class Appendix:
    """Each claim's verdict with its full summary, the chapter that examines it and every
    number behind it, readably formatted (nothing clipped, no raw reprs)."""

    def __init__(self, claims: list[Claim], base: str = "../") -> None:
        check_all(claims)
        self.rows = [(c, c.check()) for c in claims]
        self.base = base

    def _repr_html_(self) -> str:
        out = [f'<p class="lossy-scoreboard-count">{html.escape(_counts(self.rows))}</p>']
        for c, v in self.rows:
            rows = "".join(
                f"<tr><td>{html.escape(_words(k))}</td><td>{html.escape(_plain(x))}</td></tr>"
                for k, x in v.evidence.items()
            )
            out.append(
                f'<section class="lossy-claim" id="claim-{c.number}">'
                f"<h3>Claim {c.number}: {html.escape(c.statement)}</h3>"
                f"<p>{verdict_html(v)} {html.escape(v.summary)}</p>"
                f'<p>Examined in <a href="{html.escape(c.href(self.base))}">'
                f"{html.escape(CHAPTER_TITLES.get(c.chapter, c.chapter))}</a>.</p>"
                "<details><summary>The numbers behind the verdict</summary>"
                '<table class="lossy-table"><thead><tr><th scope="col">measure</th>'
                f'<th scope="col">value</th></tr></thead><tbody>{rows}</tbody></table>'
                "</details></section>"
            )
        return "".join(out)

    def __repr__(self) -> str:
        return "\n\n".join(f"Claim {c.number}: {c.statement}\n{v!r}" for c, v in self.rows)


def appendix(numbers: list[int] | None = None, base: str = "../") -> Appendix:
    """The Claims appendix: every claim (or these) with its verdict in words.

    Examples
    --------
    >>> a = appendix([4])
    >>> "Claim 4:" in a._repr_html_() and "Verdict(" not in a._repr_html_()
    True
    """
    chosen = registry() if numbers is None else [get(n) for n in numbers]
    return Appendix(chosen, base)
