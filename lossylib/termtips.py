"""A Sphinx extension: a link to a glossary term shows the term's definition on hover.

A ``{term}`` role links to the term's entry in the Glossary page. Following the link takes
a reader away from the sentence they were reading; this extension also gives the link a
``title`` (the browser's tooltip), the first sentence of the definition, so a mouse
reader sees it in place. No script, no network: the text is in the page. A tooltip
cannot typeset, so inline math in it is written in plain Unicode (:func:`plain_math`).

The definitions are collected from every ``glossary`` directive as the pages are read
(kept in the build environment, so an incremental build still knows them), and each
resolved term link whose target is a known entry gets its ``reftitle``, which Sphinx's HTML
writer turns into the ``title`` attribute.

Examples
--------
>>> first_sentence("Peak signal-to-noise ratio. Higher is closer. See the JPEG chapter.")
'Peak signal-to-noise ratio.'
>>> first_sentence("The ratio, e.g. for JPEG, in dB: ten times log10 of 255² over MSE.")
'The ratio, e.g. for JPEG, in dB: ten times log10 of 255² over MSE.'
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

#: Where the definitions are kept in the build environment: anchor id -> (docname, text).
ENV_KEY = "lossy_term_tips"

#: The longest tooltip, in characters (a longer first sentence is cut at a word).
MAX_TIP = 400

#: Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "cf.", "vs.", "etc.")


_GREEK = dict(
    zip(
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho "
        "sigma tau upsilon phi chi psi omega".split(),
        "αβγδεζηθικλμνξπρστυφχψω",
        strict=True,
    )
)
_SYMBOLS = {
    **_GREEK,
    **{name.title(): letter.upper() for name, letter in _GREEK.items()},
    "propto": "∝", "times": "×", "cdot": "·", "le": "≤", "leq": "≤", "ge": "≥",
    "geq": "≥", "approx": "≈", "ne": "≠", "neq": "≠", "infty": "∞", "pm": "±",
    "to": "→", "log": "log", "exp": "exp", "ln": "ln", "sum": "∑", "left": "", "right": "",
}  # fmt: skip
_SUPERSCRIPT = str.maketrans(
    "0123456789+-=()abcdefghijklmnoprstuvwxyz", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"
)
_SUBSCRIPT = str.maketrans("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
_GROUP = r"(\{[^{}]*\}|\\[A-Za-z]+|.)"  # a {group}, a \macro or one character


def plain_math(tex: str) -> str:
    """Inline TeX as plain Unicode text, for a tooltip (which cannot show MathJax).

    Covers what a glossary writes inline: Greek letters, common symbols, ``\\mathrm``,
    ``\\text``, ``\\sqrt``, ``\\dot``, super- and subscripts; any other macro loses
    its backslash.

    Examples
    --------
    >>> plain_math(r"\\dot A = \\delta S^\\lambda A^\\phi")
    'Ȧ = δ S^λ A^φ'
    >>> plain_math(r"p_i \\propto 1/i^s")
    'pᵢ ∝ 1/iˢ'
    >>> plain_math(r"\\mathrm{PSNR} = 10 \\log_{10}(255^2 / \\mathrm{MSE})")
    'PSNR = 10 log₁₀(255² / MSE)'
    >>> plain_math(r"v(t) = K / (1 + e^{-r (t - t_0)})")
    'v(t) = K / (1 + e^(-r (t - t₀)))'
    """

    def unbrace(s: str) -> str:
        return s[1:-1] if s.startswith("{") and s.endswith("}") else s

    def script(m: re.Match, table: dict, mark: str) -> str:
        body = plain_math(unbrace(m[1]))
        moved = body.translate(table)
        if all(c != o for c, o in zip(moved, body, strict=True)):
            return moved
        return f"{mark}({body})" if len(body) > 1 else f"{mark}{body}"

    tex = re.sub(r"\\(?:mathrm|text|operatorname|mathit|mathbf)\{([^{}]*)\}", r"\1", tex)
    tex = re.sub(r"\\sqrt" + _GROUP, lambda m: "√" + plain_math(unbrace(m[1])), tex)
    tex = re.sub(r"\\dot\s*" + _GROUP, lambda m: plain_math(unbrace(m[1])) + "\u0307", tex)
    tex = re.sub(r"\\([A-Za-z]+)", lambda m: _SYMBOLS.get(m[1], m[1]), tex)
    tex = re.sub(r"\^" + _GROUP, lambda m: script(m, _SUPERSCRIPT, "^"), tex)
    tex = re.sub(r"_" + _GROUP, lambda m: script(m, _SUBSCRIPT, "_"), tex)
    return unicodedata.normalize("NFC", " ".join(tex.replace("{", "").replace("}", "").split()))


def _text(node: nodes.Node) -> str:
    """A node's text, with inline math written as plain Unicode."""
    if isinstance(node, nodes.math):
        return plain_math(node.astext())
    if isinstance(node, nodes.Text):
        return node.astext()
    return "".join(_text(child) for child in node.children) + (
        " " if isinstance(node, nodes.paragraph) else ""
    )


def first_sentence(text: str, limit: int = MAX_TIP) -> str:
    """The first sentence of ``text`` on one line, at most ``limit`` characters.

    Examples
    --------
    >>> first_sentence("Shumailov et al. named it model collapse. It is old.")
    'Shumailov et al. named it model collapse.'
    >>> first_sentence("word " * 100, limit=20)
    'word word word word…'
    """
    text = " ".join(text.split())
    for match in re.finditer(r"[.!?](?=\s+[A-Z(]|$)", text):
        end = match.end()
        if not text[:end].endswith(_ABBREVIATIONS):
            text = text[:end]
            break
    if len(text) > limit:
        cut = text[: limit - 1]
        if text[limit - 1] != " ":  # (cut inside a word: drop the word)
            cut = cut.rsplit(" ", 1)[0]
        text = cut.rstrip() + "…"
    return text


def collect_definitions(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: note the first sentence of each glossary entry of this page."""
    env = app.env
    tips = env.__dict__.setdefault(ENV_KEY, {})
    for glossary in doctree.findall(addnodes.glossary):
        for item in glossary.findall(nodes.definition_list_item):
            definitions = list(item.findall(nodes.definition))
            if not definitions:
                continue
            tip = first_sentence(_text(definitions[0]))
            for term in item.findall(nodes.term):
                for anchor in term["ids"]:
                    tips[anchor] = (env.docname, tip)


def purge_definitions(app: Sphinx, env: Any, docname: str) -> None:
    """``env-purge-doc``: forget a page's entries before it is read again."""
    tips = env.__dict__.get(ENV_KEY, {})
    for anchor in [a for a, (doc, _) in tips.items() if doc == docname]:
        del tips[anchor]


def merge_definitions(app: Sphinx, env: Any, docnames: set[str], other: Any) -> None:
    """``env-merge-info``: take the entries a parallel reader collected."""
    tips = env.__dict__.setdefault(ENV_KEY, {})
    tips.update({a: v for a, v in other.__dict__.get(ENV_KEY, {}).items() if v[0] in docnames})


def add_tips(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: give every link to a glossary term its definition as title."""
    tips = app.env.__dict__.get(ENV_KEY, {})
    for ref in doctree.findall(nodes.reference):
        if not any(
            isinstance(child, nodes.Element) and "std-term" in child["classes"]
            for child in ref.children
        ):
            continue
        anchor = ref.get("refid") or ref.get("refuri", "").rpartition("#")[2]
        if anchor in tips and "reftitle" not in ref:
            ref["reftitle"] = tips[anchor][1]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", collect_definitions)
    app.connect("env-purge-doc", purge_definitions)
    app.connect("env-merge-info", merge_definitions)
    app.connect("doctree-resolved", add_tips)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
