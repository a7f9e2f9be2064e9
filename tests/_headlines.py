"""A verdict's scoreboard headline as the claims tests check it: nothing that
:func:`lossylib.claims.headline_problems` objects to, and the words a branch must (or must
not) use."""

from __future__ import annotations

from lossylib import claims


def headline_of(v: claims.Verdict, *says: str, never: tuple[str, ...] = ()) -> str:
    """``v``'s headline, once it is a line the scoreboard can show (at most
    ``HEADLINE_WORDS`` words, a sentence, only its summary's numbers, a caveat named) that
    says each of ``says`` and none of ``never``."""
    line = v.headline
    problems = claims.headline_problems(v)
    assert not problems, (problems, line)
    for text in says:
        assert text in line, (text, line)
    for text in never:
        assert text not in line, (text, line)
    return line
