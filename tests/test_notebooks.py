"""lossylib.notebooks: .md chapters to .ipynb, with an install cell and student copies."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import nbformat
import pytest

from lossylib import notebooks
from lossylib.plain_markdown import folded, leftovers

HEADER = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""

CHAPTER = HEADER + textwrap.dedent(
    """\
    # A chapter

    ```{code-cell} ipython3
    import lossylib
    ```

    ```{exercise}
    :label: ex-one
    Compute it.
    ```

    ```{solution-start} ex-one
    :class: dropdown
    ```

    The secret prose of the solution.

    ```{code-cell} ipython3
    secret = 6 * 7
    ```

    ```{code-cell} ipython3
    print(secret)
    ```

    More secret prose.

    ```{solution-end}
    ```

    ## After the exercise

    ```{code-cell} ipython3
    after = True
    ```

    ```{code-cell} ipython3
    :tags: [skip-execution]
    live = "a live explorable"
    ```

    :::{solution} ex-one
    :class: dropdown
    A prose-only secret.
    :::

    The end.
    """
)


@pytest.fixture(autouse=True)
def _page_links_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that run the install cell set ``LOSSY_PAGE_LINKS``; undo it afterwards."""
    from lossylib.claims import LINKS_ENV

    monkeypatch.setenv(LINKS_ENV, "")  # remembered as unset, so the undo removes it
    monkeypatch.delenv(LINKS_ENV)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    (tmp_path / "_config.yml").write_text(
        "title: T\nrepository:\n  url: https://github.com/org/book\n  branch: main\n"
    )
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nparts:\n  - caption: P\n    chapters:\n"
        "      - file: chapters/one\n        sections:\n          - file: chapters/two\n"
    )
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "lossylib"\ndependencies = ["numpy>=1.26"]\n'
    )
    (tmp_path / "requirements.txt").write_text("# pins\nnumpy==2.4.6\nzzz==1.0\n-e .\n")
    (tmp_path / "intro.md").write_text(
        "# Intro\n\nNo code here, only a shell example:\n\n```bash\nmake book\n```\n"
    )
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "one.md").write_text(CHAPTER)
    (tmp_path / "chapters" / "two.md").write_text(HEADER + "# Two\n")
    (tmp_path / "chapters" / "not-in-toc.md").write_text(HEADER + "# Stray\n")
    return tmp_path


def _sources(nb) -> str:
    return "\n".join(c["source"] for c in nb.cells)


def test_toc_files_in_reading_order(book: Path) -> None:
    names = [p.relative_to(book).as_posix() for p in notebooks.toc_files(book)]
    assert names == ["intro.md", "chapters/one.md", "chapters/two.md"]


def test_orphan_pages_are_found_beside_the_toc_pages(book: Path) -> None:
    (book / "chapters" / "status.md").write_text("---\norphan: true\n---\n\n# Status\n")
    (book / "chapters" / "later.md").write_text("# Says orphan: true, not in front matter\n")
    names = [p.relative_to(book).as_posix() for p in notebooks.orphan_files(book)]
    assert names == ["chapters/status.md"]  # not-in-toc.md has no orphan front matter
    every = [p.relative_to(book).as_posix() for p in notebooks.book_files(book)]
    assert every == ["intro.md", "chapters/one.md", "chapters/two.md", "chapters/status.md"]


def test_toc_file_missing_is_a_clear_error(book: Path) -> None:
    (book / "chapters" / "two.md").unlink()
    with pytest.raises(FileNotFoundError, match="chapters/two"):
        notebooks.toc_files(book)


def test_install_spec_from_the_repository_setting(book: Path) -> None:
    assert notebooks.install_spec(book) == "lossylib @ git+https://github.com/org/book@main"


def test_install_spec_needs_a_repository_url(book: Path) -> None:
    (book / "_config.yml").write_text("title: T\n")
    with pytest.raises(ValueError, match="repository: url"):
        notebooks.install_spec(book)


def test_instructor_copies_mirror_the_toc_with_an_install_cell(book: Path) -> None:
    out = book / "_build" / "notebooks"
    written = notebooks.write_all(book, out)
    rel = sorted(p.relative_to(out).as_posix() for p in written)
    assert rel == ["chapters/one.ipynb", "chapters/two.ipynb", "intro.ipynb"]
    nb = nbformat.read(out / "chapters" / "one.ipynb", as_version=4)
    assert nb.cells[0].source == "# A chapter"  # the notebook opens on the title, then pip
    first = nb.cells[1]
    assert first.cell_type == "code" and notebooks.INSTALL_TAG in first.metadata["tags"]
    assert "git+https://github.com/org/book@main" in first.source
    assert "except ImportError" in first.source
    assert "secret = 6 * 7" in _sources(nb)  # instructors keep the solutions
    assert "'numpy==2.4.6'" in first.source  # the dependency, pinned
    (live,) = [c for c in nb.cells if "live =" in c.source]
    assert "skip-execution" not in live.metadata.get("tags", [])  # readers run explorables
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert "jupytext" not in nb.metadata
    # Exercises are headed sections; the solution is headed too; no MyST is left.
    assert "### Exercise 1" in _sources(nb) and "#### Solution to Exercise 1" in _sources(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert leftovers(cell.source) == [], cell.source


def test_a_page_without_code_gets_no_install_cell_and_keeps_shell_examples(book: Path) -> None:
    out = book / "_build" / "notebooks"
    notebooks.write_all(book, out)
    nb = nbformat.read(out / "intro.ipynb", as_version=4)
    assert [c.cell_type for c in nb.cells] == ["markdown"]
    assert "```bash\nmake book\n```" in nb.cells[0].source


def test_a_reference_to_another_page_reads_as_its_heading(book: Path) -> None:
    (book / "chapters" / "two.md").write_text(HEADER + "# Two\n\n(two-sec)=\n## A section\n")
    (book / "intro.md").write_text("# Intro\n\nSee {ref}`two-sec` and {term}`a term <term>`.\n")
    notebooks.write_all(book, book / "out")
    nb = nbformat.read(book / "out" / "intro.ipynb", as_version=4)
    assert _sources(nb) == "# Intro\n\nSee [“A section”](chapters/two.ipynb#two-sec) and a term."
    two = _sources(nbformat.read(book / "out" / "chapters" / "two.ipynb", as_version=4))
    assert '<a id="two-sec"></a>\n## A section' in two  # the anchor the link goes to


def test_install_cell_pins_the_commit(book: Path) -> None:
    packages = notebooks.install_packages(book, commit="0123abcd")
    assert packages == ["lossylib @ git+https://github.com/org/book@0123abcd", "numpy==2.4.6"]


def test_a_dependency_without_a_pin_is_an_error(book: Path) -> None:
    (book / "requirements.txt").write_text("scipy==1.0\n")
    with pytest.raises(ValueError, match="pins none of \\['numpy'\\]"):
        notebooks.pinned_dependencies(book)


def test_read_pins_ignores_comments_options_and_editables(book: Path) -> None:
    assert notebooks.read_pins(book / "requirements.txt") == {"numpy": "2.4.6", "zzz": "1.0"}


def test_glued_numbers_come_from_the_executed_book(book: Path) -> None:
    chapter = (book / "chapters" / "two.md").read_text()
    (book / "chapters" / "two.md").write_text(
        chapter
        + "\nThe gain is {glue:text}`two_gain:.1%`.\n\n```{code-cell} ipython3\nx = 1\n```\n"
    )
    with pytest.raises(ValueError, match="build the book first"):
        notebooks.write_all(book, book / "out")
    executed = book / "executed"
    (executed / "chapters").mkdir(parents=True)
    record = {"data": {"text/plain": "0.1234"}, "metadata": {"scrapbook": {"name": "two_gain"}}}
    (executed / "chapters" / "two.glue.json").write_text(json.dumps({"two_gain": record}))
    notebooks.write_all(book, book / "out", executed=executed)
    nb = nbformat.read(book / "out" / "chapters" / "two.ipynb", as_version=4)
    assert "The gain is 12.3%." in _sources(nb)


def test_the_install_cell_runs_without_myst_nb(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stand-in glue is registered when MyST-NB cannot be imported."""
    import sys

    import lossylib.glue

    monkeypatch.setitem(sys.modules, "myst_nb", None)  # as if MyST-NB were missing
    exec(notebooks.install_cell("lossylib").source, {})
    from myst_nb import glue

    assert glue is lossylib.glue.fallback_glue
    glue("key", 1.0, display=False)


def test_install_cell_is_valid_python_and_skips_when_lossylib_imports() -> None:
    source = notebooks.install_cell("lossylib @ git+https://example.invalid/x").source
    compile(source, "<install cell>", "exec")
    namespace: dict = {}
    exec(source, namespace)  # lossylib is installed here, so nothing is installed
    assert "subprocess" not in namespace


def test_student_copies_drop_solutions(book: Path) -> None:
    out = book / "student"
    notebooks.write_all(book, out, student=True)
    nb = nbformat.read(out / "chapters" / "one.ipynb", as_version=4)
    text = _sources(nb)
    for secret in ("secret", "solution-start", "solution-end", "A prose-only secret"):
        assert secret not in text
    stubs = [c for c in nb.cells if notebooks.EXERCISE_TAG in c.metadata.get("tags", [])]
    assert [c.source for c in stubs] == ['raise NotImplementedError("Student exercise: ex-one")']
    for kept in ("Compute it.", "## After the exercise", "after = True", "The end."):
        assert kept in text
    assert nb.cells[1].metadata["tags"] == [notebooks.INSTALL_TAG]
    nbformat.validate(nb)


def test_student_stub_raises() -> None:
    cells = [
        notebooks._cell("markdown", "```{solution-start} ex\n```"),
        notebooks._cell("code", "x = 1"),
        notebooks._cell("markdown", "```{solution-end}\n```"),
    ]
    (stub,) = notebooks.student_cells(cells)
    with pytest.raises(NotImplementedError, match="Student exercise: ex"):
        exec(stub.source, {})


def test_unclosed_solution_is_an_error() -> None:
    cells = [notebooks._cell("markdown", "````{solution-start} ex\n````\nhidden")]
    with pytest.raises(ValueError, match="no {solution-end}"):
        notebooks.student_cells(cells)


def test_colon_fences_and_longer_fences_are_understood() -> None:
    cells = [
        notebooks._cell("markdown", "Keep.\n:::{solution-start} ex\n:class: dropdown\n:::\nDrop."),
        notebooks._cell("markdown", "Drop too.\n````{solution-end}\n````\nKeep too."),
    ]
    sources = [c.source for c in notebooks.student_cells(cells)]
    assert sources == ["Keep.", notebooks.ANSWER_TEXT, "Keep too."]  # a solution in words


def test_a_solution_in_words_leaves_a_cell_to_answer_in(book: Path) -> None:
    notebooks.write_all(book, book / "student", student=True)
    nb = nbformat.read(book / "student" / "chapters" / "one.ipynb", as_version=4)
    answers = [
        i for i, c in enumerate(nb.cells) if notebooks.ANSWER_TAG in c.metadata.get("tags", [])
    ]
    # ex-one's code solution gets its stub; its prose-only {solution} gets the text cell
    assert len(answers) == 1 and nb.cells[answers[0]].cell_type == "markdown"
    assert nb.cells[answers[0]].source == notebooks.ANSWER_TEXT
    assert "A prose-only secret" not in _sources(nb)


def test_cli_writes_both_copies(book: Path, capsys: pytest.CaptureFixture) -> None:
    out = book / "nbs"
    assert notebooks.main(["all", "--root", str(book), "--out", str(out)]) == 0
    assert (out / "chapters" / "one.ipynb").exists()
    assert (out / "student" / "chapters" / "one.ipynb").exists()
    student = json.loads((out / "student" / "chapters" / "one.ipynb").read_text())
    assert "secret" not in json.dumps(student["cells"])
    assert "wrote 3 student notebook(s)" in capsys.readouterr().out


def test_cli_bad_root_is_a_one_line_error(tmp_path: Path, capsys) -> None:
    assert notebooks.main(["--root", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1


def test_fallback_glue_shows_the_value_only_when_asked(capsys: pytest.CaptureFixture) -> None:
    from lossylib.glue import fallback_glue

    fallback_glue("key", 3.5, display=False)
    assert capsys.readouterr().out == ""
    fallback_glue("key", 3.5)  # outside IPython, display() prints the repr
    assert capsys.readouterr().out.strip() == "3.5"
    with pytest.raises(ValueError, match="non-empty string name"):
        fallback_glue("", 1)


def test_the_install_cell_shows_no_output() -> None:
    """Its last call returns True or False, which Jupyter would show under the cell."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    # with history, as in a notebook (IPython reads a closing ; from the history)
    result = shell.run_cell(notebooks.install_cell("lossylib").source, store_history=True)
    assert result.success and result.result is None


def _figure(name: str, caption: str, code: str = "plot()") -> str:
    return (
        f"```{{code-cell}} ipython3\n---\nmystnb:\n  figure:\n    caption: {caption}\n"
        f"    name: {name}\n---\n{code}\n```\n"
    )


def test_exercises_and_figures_carry_the_books_numbers(book: Path) -> None:
    """Numbered through the book, as Sphinx does; references read and link as in the book."""
    (book / "chapters" / "two.md").write_text(
        HEADER
        + "# Two\n\n"
        + _figure("fig-a", "The first figure of two.")
        + "```{code-cell} ipython3\n---\nmystnb:\n  figure:\n    name: fig-nocap\n---\nx\n```\n"
        + _figure("fig-b", "Second, with a {term}`term`.")
        + "\n```{exercise}\n:label: ex-two\nAgain.\n```\n\n"
        + "As {numref}`fig-b` shows, and {numref}`Figure %s <fig-a>`; see {ref}`ex-one`.\n"
    )
    one = CHAPTER.replace("The end.", _figure("fig-one", "In a solution?") + "\nSee {ref}`ex-two`.")
    (book / "chapters" / "one.md").write_text(one)
    out = book / "out"
    notebooks.write_all(book, out)
    two = _sources(nbformat.read(out / "chapters" / "two.ipynb", as_version=4))
    assert "**Fig. 2.** The first figure of two." in two  # one.md has Fig. 1
    assert "**Fig. 3.** Second, with a term." in two  # the uncaptioned figure is not counted
    assert "### Exercise 2\n\nAgain." in two
    refs = "As [Fig. 3](#fig-b) shows, and [Figure 2](#fig-a); see [Exercise 1](one.ipynb#ex-one)."
    assert refs in two
    assert '<a id="fig-b"></a>\n**Fig. 3.** Second' in two  # the anchors they link to
    assert '<a id="ex-two"></a>\n### Exercise 2' in two
    one_nb = nbformat.read(out / "chapters" / "one.ipynb", as_version=4)
    assert "See [Exercise 2](two.ipynb#ex-two)." in _sources(one_nb)
    # The caption sits right under its figure's code cell.
    (at,) = [i for i, c in enumerate(one_nb.cells) if c.source == "plot()"]
    assert one_nb.cells[at + 1].source == '<a id="fig-one"></a>\n**Fig. 1.** In a solution?'
    assert notebooks.FIGURE_NUMBER not in one_nb.cells[at].metadata


def test_a_student_copy_keeps_the_numbers_when_a_solution_figure_goes(book: Path) -> None:
    secret_figure = _figure("fig-secret", "Part of the solution.", "secret = 6 * 7")
    (book / "chapters" / "one.md").write_text(
        CHAPTER.replace("```{code-cell} ipython3\nsecret = 6 * 7\n```\n", secret_figure)
        + _figure("fig-after", "After the exercise.")
    )
    notebooks.write_all(book, book / "student", student=True)
    text = _sources(nbformat.read(book / "student" / "chapters" / "one.ipynb", as_version=4))
    assert "Part of the solution" not in text
    assert "**Fig. 2.** After the exercise." in text


def test_a_link_to_a_page_without_a_copy_goes_to_the_repository(book: Path) -> None:
    page = next(iter(notebooks.REPOSITORY_PAGES))
    (book / f"{page}.md").write_text(HEADER + "# Teachers\n")
    toc = (book / "_toc.yml").read_text() + f"          - file: {page}\n"
    (book / "_toc.yml").write_text(toc)
    (book / "intro.md").write_text("# Intro\n\nSee {doc}`" + page + "`.\n")
    notebooks.write_all(book, book / "out")
    text = _sources(nbformat.read(book / "out" / "intro.ipynb", as_version=4))
    assert text == f"# Intro\n\nSee [Teachers](https://github.com/org/book/blob/main/{page}.md)."
    assert not (book / "out" / f"{page}.ipynb").exists()


def test_a_reference_to_no_label_is_an_error(book: Path) -> None:
    (book / "intro.md").write_text("# Intro\n\nSee {ref}`nowhere`.\n")
    with pytest.raises(ValueError, match="points at 'nowhere', which is not a label"):
        notebooks.write_all(book, book / "out")


def test_solutions_are_folded_as_in_the_book(book: Path) -> None:
    """The heading shows; the solution's text is in a closed <details>, its code folded."""
    notebooks.write_all(book, book / "out")
    nb = nbformat.read(book / "out" / "chapters" / "one.ipynb", as_version=4)
    by_source = {c.source: c for c in nb.cells}
    assert "#### Solution to Exercise 1" in by_source  # a cell of its own, not folded
    folded = [c.source for c in nb.cells if c.source.startswith("<details>")]
    assert folded == [
        "<details>\n<summary>Show the solution</summary>\n\nThe secret prose of the solution."
        "\n\n</details>",
        "<details>\n<summary>Show the solution</summary>\n\nMore secret prose.\n\n</details>",
    ]
    for code in ("secret = 6 * 7", "print(secret)"):
        meta = by_source[code].metadata
        assert meta["jupyter"]["source_hidden"] is True and meta["cellView"] == "form", code
    for shown in ("after = True", 'live = "a live explorable"'):
        assert "cellView" not in by_source[shown].metadata, shown
    text = _sources(nb)
    assert "### Exercise 1\n\nCompute it." in text  # the exercise itself stays open
    assert "## After the exercise" in by_source  # what follows the solution too
    # The prose-only {solution} directive: heading, then its text folded.
    assert (
        "#### Solution to Exercise 1\n\n<details>\n<summary>Show the solution</summary>\n\n"
        "A prose-only secret.\n\n</details>"
    ) in text
    for cell in nb.cells:
        assert notebooks.IN_SOLUTION not in cell.metadata


def test_hidden_cells_are_folded_for_jupyterlab_and_colab(book: Path) -> None:
    chapter = (book / "chapters" / "two.md").read_text()
    hidden = "```{code-cell} ipython3\n:tags: [remove-cell]\nbookkeeping = 1\n```\n"
    (book / "chapters" / "two.md").write_text(chapter + "\n" + hidden)
    notebooks.write_all(book, book / "out")
    nb = nbformat.read(book / "out" / "chapters" / "two.ipynb", as_version=4)
    (cell,) = [c for c in nb.cells if c.source == "bookkeeping = 1"]
    assert cell.metadata["jupyter"]["source_hidden"] is True
    assert cell.metadata["cellView"] == "form"
    nbformat.validate(nb)


def test_the_same_book_converts_to_the_same_files(book: Path) -> None:
    """Stable cell ids: the same book at the same commit converts to the same files."""
    notebooks.write_all(book, book / "a", commit="abc")
    notebooks.write_all(book, book / "b", commit="abc")
    for a in sorted((book / "a").rglob("*.ipynb")):
        b = book / "b" / a.relative_to(book / "a")
        assert a.read_bytes() == b.read_bytes(), a.name
    nb = nbformat.read(book / "a" / "chapters" / "one.ipynb", as_version=4)
    assert len({c.id for c in nb.cells}) == len(nb.cells)


def test_terms_link_to_the_glossary_as_in_the_book(book: Path) -> None:
    glossary = (
        "# Glossary\n\n```{glossary}\nfixed point\n  A file that re-encodes to itself.\n\n"
        "PSNR\n  Decibels.\n```\n"
    )
    (book / "chapters" / "two.md").write_text(glossary)
    (book / "intro.md").write_text(
        "# Intro\n\nA {term}`fixed point` and {term}`these <fixed point>`; {term}`psnr`.\n"
    )
    notebooks.write_all(book, book / "out")
    intro = _sources(nbformat.read(book / "out" / "intro.ipynb", as_version=4))
    link = "chapters/two.ipynb#term-fixed-point"  # the entry's anchor, as Sphinx names it
    psnr = "chapters/two.ipynb#term-PSNR"  # spelt as in the glossary, as Sphinx's id is
    assert intro == f"# Intro\n\nA [fixed point]({link}) and [these]({link}); [psnr]({psnr})."
    two = _sources(nbformat.read(book / "out" / "chapters" / "two.ipynb", as_version=4))
    assert '<a id="term-fixed-point"></a>**fixed point**: A file that re-encodes' in two


def test_claims_link_to_notebooks_after_the_install_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    """In the copies, links to chapters (claims tables) go to the chapters' notebooks."""
    from lossylib import claims

    claim = claims.registry()[0]
    assert claim.href("../") == f"../{claim.chapter}.html#key-findings"
    exec(notebooks.install_cell("lossylib").source, {})
    assert claim.href("../") == f"../{claim.chapter}.ipynb"
    assert claims.page_href("chapters/a", "../", "x") == "../chapters/a.ipynb"


def test_a_figure_in_a_solution_is_folded_with_it(book: Path) -> None:
    figure = _figure("fig-sol", "The answer is 42.", "secret = 6 * 7")
    (book / "chapters" / "one.md").write_text(
        CHAPTER.replace("```{code-cell} ipython3\nsecret = 6 * 7\n```\n", figure)
    )
    notebooks.write_all(book, book / "out")
    nb = nbformat.read(book / "out" / "chapters" / "one.ipynb", as_version=4)
    (at,) = [i for i, c in enumerate(nb.cells) if c.source == "secret = 6 * 7"]
    assert nb.cells[at].metadata["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    assert nb.cells[at + 1].source == folded('<a id="fig-sol"></a>\n**Fig. 1.** The answer is 42.')


def test_a_solution_that_never_ends_is_an_error(book: Path) -> None:
    (book / "chapters" / "two.md").write_text(
        HEADER + "# Two\n\n```{solution-start} ex-one\n```\nHidden forever?\n"
    )
    with pytest.raises(ValueError, match="chapters/two.md: a .solution-start. has no"):
        notebooks.write_all(book, book / "out")


def test_unlabeled_and_unnumbered_exercises_are_counted_as_sphinx_exercise_does(
    book: Path,
) -> None:
    (book / "chapters" / "two.md").write_text(
        HEADER + "# Two\n\n```{exercise}\nFirst.\n```\n\n```{exercise}\n:nonumber:\nAside.\n```\n"
        "\n```{code-cell} ipython3\nx = 1\n```\n\n```{exercise}\nSecond.\n```\n\n"
        "See {numref}`Exercise %s <ex-one>`, {ref}`fig-two` and {ref}`ex-one`.\n\n"
        + _figure("fig-two", "A figure.")
    )
    notebooks.write_all(book, book / "out")
    text = _sources(nbformat.read(book / "out" / "chapters" / "two.ipynb", as_version=4))
    # one.md holds exercise 1; here 2 and 3, and the unnumbered one between them.
    assert "### Exercise 2\n\nFirst." in text and "### Exercise 3\n\nSecond." in text
    assert "### Exercise\n\nAside." in text
    assert (
        "See [Exercise 1](one.ipynb#ex-one), [Fig. 1](#fig-two) and [Exercise 1](one.ipynb#ex-one)."
        in text
    )


def test_a_link_to_the_status_page_goes_to_the_published_book(book: Path) -> None:
    """The execution table exists only in the built book: the copies link to its page."""
    status = next(iter(notebooks.HOSTED_PAGES))
    (book / f"{status}.md").write_text("---\norphan: true\n---\n\n# Status\n")
    (book / "intro.md").write_text("# Intro\n\nSee the {doc}`" + status + "` page.\n")
    notebooks.write_all(book, book / "out")
    text = _sources(nbformat.read(book / "out" / "intro.ipynb", as_version=4))
    assert text == f"# Intro\n\nSee the [Status](https://org.github.io/book/{status}.html) page."


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("repository:\n  url: https://github.com/Org/Book\n", "https://org.github.io/Book/"),
        ("repository:\n  url: https://github.com/org/org.github.io/\n", "https://org.github.io/"),
        (
            "html:\n  baseurl: https://books.example.org/lossy\n"
            "repository:\n  url: https://github.com/org/book\n",
            "https://books.example.org/lossy/",
        ),
        ("repository:\n  url: https://gitlab.com/org/book\n", None),
        ("title: T\n", None),
    ],
)
def test_book_url_reads_the_config(tmp_path: Path, config: str, expected: str | None) -> None:
    (tmp_path / "_config.yml").write_text(config)
    assert notebooks.book_url(tmp_path) == expected


def test_without_a_published_book_the_status_link_stays_on_its_copy(book: Path) -> None:
    (book / "_config.yml").write_text("title: T\nrepository:\n  url: https://example.org/b\n")
    status = next(iter(notebooks.HOSTED_PAGES))
    (book / f"{status}.md").write_text("---\norphan: true\n---\n\n# Status\n")
    (book / "intro.md").write_text("# Intro\n\nSee {doc}`" + status + "`.\n")
    notebooks.write_all(book, book / "out")
    text = _sources(nbformat.read(book / "out" / "intro.ipynb", as_version=4))
    assert text == "# Intro\n\nSee [Status](chapters/status.ipynb)."


def test_the_cell_that_runs_every_claim_says_so_first(book: Path) -> None:
    """It is folded and runs for about a minute: the copy prints a line before it starts.
    Only the first such cell, and not one that checks a few claims."""
    (book / "chapters" / "two.md").write_text(
        HEADER
        + "# Two\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n\nclaims.table([1])\n```\n"
        + "\n```{code-cell} ipython3\n:tags: [remove-input]\n\nclaims.table(short=True)\n```\n"
        + "\n```{code-cell} ipython3\nclaims.appendix()\n```\n"
    )
    for student in (False, True):
        notebooks.write_all(book, book / "out", student=student)
        nb = nbformat.read(book / "out" / "chapters" / "two.ipynb", as_version=4)
        code = [c.source for c in nb.cells if c.cell_type == "code"][1:]  # after the install
        assert code == [
            "claims.table([1])",
            f"{notebooks.CLAIMS_NOTICE}\nclaims.table(short=True)",
            "claims.appendix()",
        ]
    exec(notebooks.CLAIMS_NOTICE, {})  # valid Python


def test_a_reference_with_its_own_text_links_to_a_target_anywhere(book: Path) -> None:
    """A (label)= target before a paragraph (not a heading) is an anchor too."""
    (book / "chapters" / "two.md").write_text(
        HEADER + "# Two\n\n(two-para)=\nA paragraph with a label.\n"
    )
    (book / "intro.md").write_text("# Intro\n\nSee {ref}`that paragraph <two-para>`.\n")
    notebooks.write_all(book, book / "out")
    intro = _sources(nbformat.read(book / "out" / "intro.ipynb", as_version=4))
    assert intro == "# Intro\n\nSee [that paragraph](chapters/two.ipynb#two-para)."
    two = _sources(nbformat.read(book / "out" / "chapters" / "two.ipynb", as_version=4))
    assert '<a id="two-para"></a>\nA paragraph with a label.' in two
