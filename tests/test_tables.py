"""lossylib.tables: the HTML a result table renders to (the layout is in lossy.css)."""

from __future__ import annotations

import re

from lossylib import tables


def _cells(html: str) -> list[str]:
    return re.findall(r"<td[^>]*>", html)


def test_numbers_are_marked_for_right_alignment_and_text_is_not() -> None:
    t = tables.table([{"run": "jpeg", "psnr": 33.2, "kept": True}, {"run": "webp", "psnr": 31}])
    html = t._repr_html_()
    assert '<th scope="col" class="lossy-num">psnr</th>' in html
    assert '<td data-label="psnr" class="lossy-num">33.20</td>' in html
    assert '<td data-label="run">jpeg</td>' in html
    assert '<td data-label="kept">yes</td>' in html  # a yes/no column is not a number


def test_every_cell_is_labelled_with_its_heading_escaped() -> None:
    html = tables.table([{"a_<b>": 1, "c": "x"}])._repr_html_()
    labelled = ['<td data-label="a &lt;b&gt;" class="lossy-num">', '<td data-label="c">']
    assert _cells(html) == labelled
