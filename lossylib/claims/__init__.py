"""Claims as code: each claim of the book is a function that runs its experiment.

A chapter module in this package (``jpeg.py``, ``tail.py``, ...) registers its claims with
the :func:`claim` decorator. :func:`registry` imports every module of the package, so a new
chapter only adds a file here and its claims appear in the book's "Claims" appendix.

Examples
--------
>>> from lossylib import claims
>>> c = claims.get(4)
>>> c.statement
'The file shrinks as the picture suffers.'
>>> c.check().verdict in claims.VERDICTS
True
"""

from __future__ import annotations

import functools
import html
import importlib
import pkgutil
from collections.abc import Callable, Mapping
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
    """

    verdict: str
    evidence: Evidence
    summary: str = ""

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
    """A number as a reader wants to see it: 4 significant digits, no numpy repr."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


@dataclass(frozen=True)
class Claim:
    """A registered claim: its number in CLAIMS.md, a one-line statement and its check."""

    number: int
    statement: str
    chapter: str
    check: Callable[[], Verdict] = field(repr=False, compare=False)


_REGISTRY: dict[int, Claim] = {}


def claim(number: int, statement: str, chapter: str) -> Callable:
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
    """

    def register(check: Callable[[], Verdict]) -> Callable[[], Verdict]:
        cached = functools.cache(check)
        existing = _REGISTRY.get(number)
        name = f"{check.__module__}.{check.__qualname__}"
        if existing is not None and existing.check.__wrapped__.__qualname__ != check.__qualname__:
            raise ValueError(f"claim {number} is registered twice (again by {name})")
        _REGISTRY[number] = Claim(number, statement, chapter, cached)
        return cached

    return register


@functools.cache
def _import_all() -> None:
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


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


class VerdictTable:
    """Claims and their verdicts, shown as an HTML table in a notebook or a built page."""

    def __init__(self, claims: list[Claim], link: bool = True) -> None:
        self.rows = [(c, c.check()) for c in claims]
        self.link = link

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
                statement = f'<a href="../{c.chapter}.html">{statement}</a>'
            out.append(
                f"<tr><td>{c.number}</td><td>{statement}</td><td>{verdict_html(v)}</td>"
                f"<td>{html.escape(v.summary)}</td></tr>"
            )
        out.append("</tbody></table>")
        return "".join(out)

    def __repr__(self) -> str:
        return "\n".join(f"{c.number:>3}  {v.verdict:<20}  {c.statement}" for c, v in self.rows)


class Findings:
    """Key findings of a chapter: each claim's live verdict badge and its summary.

    Shown at the top of a chapter (a ``remove-input`` cell) so that a reader gets the
    answer before the evidence; the summaries are built from each claim's evidence.
    """

    def __init__(self, claims: list[Claim]) -> None:
        self.rows = [(c, c.check()) for c in claims]

    def _repr_html_(self) -> str:
        items = "".join(
            f'<li><span class="lossy-finding-claim">Claim {c.number}: '
            f"{html.escape(c.statement)}</span> {verdict_html(v)}<br>"
            f"{html.escape(v.summary)}</li>"
            for c, v in self.rows
        )
        return f'<ul class="lossy-findings">{items}</ul>'

    def __repr__(self) -> str:
        return "\n".join(
            f"Claim {c.number} ({v.verdict}): {c.statement} {v.summary}" for c, v in self.rows
        )


def findings(numbers: list[int]) -> Findings:
    """The key findings for these claims: live verdict badges with one-line evidence.

    Examples
    --------
    >>> f = findings([4])
    >>> "lossy-verdict" in f._repr_html_()
    True
    """
    return Findings([get(n) for n in numbers])


def table(numbers: list[int] | None = None, link: bool = True) -> VerdictTable:
    """A table of claims with their live verdicts (all registered claims by default).

    Examples
    --------
    >>> t = table([4])
    >>> "<table" in t._repr_html_()
    True
    """
    chosen = registry() if numbers is None else [get(n) for n in numbers]
    return VerdictTable(chosen, link=link)
