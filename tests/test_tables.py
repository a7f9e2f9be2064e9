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


def test_a_table_too_wide_for_a_phone_is_marked_wide() -> None:
    narrow = tables.table([{"generation": 10, "psnr": 31.5}])
    wide = tables.table(
        [{"run": "jpeg 4:2:0, shift 1 px", "region": "solid_red", "lightness_0": 46.7,
          "chroma_0": 86.0, "hue_0": 35.4, "lightness_last": 36.1}]
    )  # fmt: skip
    assert narrow.characters() <= tables.PHONE_CHARACTERS < wide.characters()
    assert 'class="lossy-table"' in narrow._repr_html_()
    assert 'class="lossy-table lossy-wide"' in wide._repr_html_()


def test_width_counts_the_longest_heading_word_and_the_widest_cell() -> None:
    t = tables.table([{"x": "abc"}, {"x": "abcdefgh"}])
    assert t.characters() == 8 + 2
    assert tables.table([{"lightness last": 1}]).characters() == len("lightness") + 2
