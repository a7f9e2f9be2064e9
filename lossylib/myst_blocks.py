"""Cut MyST directive blocks (```` ```{name} arg ````) out of a Markdown cell's text.

Shared by :mod:`lossylib.notebooks` (the Colab copies drop the solution blocks) and
:mod:`lossylib.assignments` (otter assignments are built from the exercise blocks).
Fences of backticks, tildes or colons, three or more, are closed by a line of the same
character at least as long; a directive not in ``names`` stays in the text.

Examples
--------
>>> text = "Intro\\n```{exercise} Try\\nDo it.\\n```\\nAfter"
>>> for piece in split_directives(text, ["exercise"]):
...     print(piece)
('text', None, 'Intro', '')
('directive', 'exercise', 'Try', 'Do it.')
('text', None, 'After', '')
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

#: The opening line of a directive block: its fence, name and argument.
FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,}|:{3,})\{(?P<name>[\w-]+)\}\s*(?P<arg>.*)$")


def split_directives(
    source: str, names: Collection[str]
) -> Iterator[tuple[str, str | None, str, str]]:
    """Split Markdown into ``("text", None, text, "")`` and ``("directive", name, arg, body)``.

    Only the directives in ``names`` are cut out; every other line stays in the text.
    """
    lines = source.split("\n")
    text: list[str] = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m and m["name"] in names:
            if text:
                yield "text", None, "\n".join(text), ""
                text = []
            fence = m["fence"]
            body: list[str] = []
            i += 1
            while i < len(lines):
                closing = lines[i].strip()
                if closing and set(closing) == {fence[0]} and len(closing) >= len(fence):
                    break
                body.append(lines[i])
                i += 1
            yield "directive", m["name"], m["arg"].strip(), "\n".join(body)
        else:
            text.append(lines[i])
        i += 1
    if text:
        yield "text", None, "\n".join(text), ""
