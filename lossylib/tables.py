"""Small HTML tables for lists of result rows (dicts), shown in notebooks and the book.

Examples
--------
>>> t = table([{"sample": "coffee", "psnr": 33.2431}], digits=1)
>>> '<td data-label="psnr" class="lossy-num">33.2</td>' in t._repr_html_()
True
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence

#: The most decimal places a float is shown with.
MAX_DIGITS = 20


class Table:
    """Rows of results with an HTML rendering (``_repr_html_``) and a plain one.

    ``rows`` is a non-empty list of dicts with text keys (the columns); floats are shown
    with ``digits`` decimal places (0 to :data:`MAX_DIGITS`); ``caption`` is text.
    """

    def __init__(self, rows: Sequence[dict], digits: int = 2, caption: str = "") -> None:
        if isinstance(rows, str | bytes | Mapping) or not isinstance(rows, Iterable):
            raise ValueError(f"rows must be a list of dicts, got {type(rows).__name__}")
        rows = list(rows)
        if not rows:
            raise ValueError("a table needs at least one row")
        for r in rows:
            if not isinstance(r, Mapping):
                raise ValueError(f"rows must be a list of dicts, got a row {r!r}")
            for k in r:
                if not isinstance(k, str):
                    raise ValueError(f"column names must be text, got {k!r}")
        whole = isinstance(digits, numbers.Integral) and not isinstance(digits, bool)
        if not whole or not 0 <= digits <= MAX_DIGITS:
            raise ValueError(
                f"digits must be a whole number from 0 to {MAX_DIGITS}, got {digits!r}"
            )
        if caption is not None and not isinstance(caption, str):
            raise ValueError(f"caption must be text, got {caption!r}")
        self.rows = list(rows)
        self.columns = list(dict.fromkeys(k for r in self.rows for k in r))
        self.digits = digits
        self.caption = caption

    def _cell(self, v) -> str:
        if v is None:
            return "none"
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, float):
            if math.isnan(v):
                return ""
            if math.isinf(v):
                return "inf"
            return f"{v:.{self.digits}f}"
        return str(v)

    def heading(self, column: str) -> str:
        """How a column is headed: its name with spaces for underscores."""
        return column.replace("_", " ")

    def numeric(self, column: str) -> bool:
        """Whether every filled cell of a column is a number (shown right-aligned)."""
        values = [r.get(column) for r in self.rows if r.get(column) is not None]
        return bool(values) and all(
            isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values
        )

    def _repr_html_(self) -> str:
        """The table in HTML: each cell labelled with its column (``data-label``, for the
        one-card-per-row layout of a table too wide for the page, see
        ``_static/lossy-tables.js``) and numbers marked ``lossy-num``."""
        cap = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        numeric = {c: self.numeric(c) for c in self.columns}

        def attrs(c: str) -> str:
            return ' class="lossy-num"' if numeric[c] else ""

        head = "".join(
            f'<th scope="col"{attrs(c)}>{html.escape(self.heading(c))}</th>' for c in self.columns
        )
        body = "".join(
            "<tr>"
            + "".join(
                f'<td data-label="{html.escape(self.heading(c))}"{attrs(c)}>'
                f"{html.escape(self._cell(r.get(c)))}</td>"
                for c in self.columns
            )
            + "</tr>"
            for r in self.rows
        )
        return (
            f'<table class="lossy-table">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>"
        )

    def __repr__(self) -> str:
        lines = ["  ".join(self.columns)]
        lines += ["  ".join(self._cell(r.get(c)) for c in self.columns) for r in self.rows]
        return "\n".join(lines)


def table(rows: Sequence[dict], digits: int = 2, caption: str = "") -> Table:
    """A :class:`Table` of ``rows`` (dicts; missing keys show as blanks)."""
    return Table(rows, digits, caption)
