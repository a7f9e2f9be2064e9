"""Tests of lossylib.assignments (otter-grader assignments) and the solutions switch.

Three layers: the parser and generator against a small fixture chapter
(``tests/fixtures/assignments``); the fixture's assignment graded end to end with otter's
local runner; and every chapter of ``_toc.yml`` that has exercises, built and graded the
same way (gradings run in parallel, two at a time, in fresh processes).
"""

from __future__ import annotations

import ast
import html
import os
import re
import shutil
import subprocess
import sys
import warnings
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from conftest import in_background
from hypothesis import given, settings
from hypothesis import strategies as st

from lossylib import assignments as asg
from lossylib.solutions_switch import solutions_mode

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "assignments" / "fixture-chapter.md"
JOBS = int(os.environ.get("LOSSY_GRADE_JOBS", "2"))


def _zip(folder: Path) -> Path:
    (found,) = (folder / "autograder").glob("*-autograder_*.zip")
    return found


def _grade_pair(folder: Path, name: str) -> tuple[asg.Grade, asg.Grade]:
    """Grade the solution and the untouched student notebook of one assignment."""
    ag = _zip(folder)
    with ThreadPoolExecutor(2) as pool:
        solution = pool.submit(asg.grade_subprocess, folder / "autograder" / f"{name}.ipynb", ag)
        student = pool.submit(asg.grade_subprocess, folder / "student" / f"{name}.ipynb", ag)
        return solution.result(), student.result()


# --- parsing ------------------------------------------------------------------------------


def test_fixture_chapter_is_read_as_written():
    ch = asg.read_chapter(FIXTURE)
    assert ch.title == "A fixture chapter: means and squares"
    assert [e.label for e in ch.exercises] == ["fix-ex-mean", "fix-ex-roots", "fix-ex-why"]
    assert ch.counts == (2, 1)
    mean, roots, why = ch.exercises
    assert mean.answers == ["scaled_mean"] and roots.answers == ["roots"]
    assert why.manual and why.answers == [] and "square root of n" in why.prose[0]
    assert len(mean.public) == 1 and len(mean.hidden) == 1 and len(roots.public) == 0
    assert roots.imports == ["import math"]
    assert "[fix-someone2020]" in mean.prompt and "{cite}" not in mean.prompt
    # the solution prose is kept, the test cells are not part of the solution code
    assert "four and a half" in mean.prose[0]
    assert all("assert" not in c for c in mean.code)


def test_setup_keeps_only_what_the_exercises_need():
    ch = asg.read_chapter(FIXTURE)
    assert ch.setup == ["import numpy as np", "data = np.arange(10, dtype=float)\nscale = 2.0"]


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 8), k=st.integers(0, 7), noise=st.lists(st.booleans(), max_size=8))
def test_setup_slice_follows_chains(n, k, noise):
    """A chain v0 <- v1 <- ... : the exercise using v_k needs exactly v0..v_k (no noise)."""
    k = min(k, n - 1)
    cells = []
    for i in range(n):
        cells.append("v0 = 1" if i == 0 else f"v{i} = v{i - 1} + 1")
        if i < len(noise) and noise[i]:
            cells.append(f"w{i} = v{i} * 2")  # uses the chain but nothing needs it
    ex = asg.Exercise("e", "", code=[f"answer = v{k} + 1"], hidden=["assert answer > 0"])
    expected = ["v0 = 1"] + [f"v{i} = v{i - 1} + 1" for i in range(1, k + 1)]
    assert asg.setup_slice(cells, [ex]) == expected


def test_names_ignores_magics_and_builtins():
    defined, used = asg.names("%matplotlib inline\nx = len(y)\nfrom a import b as c")
    assert defined == {"x", "c"} and used == {"y"}


def _chapter(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "bad.md"
    path.write_text(FIXTURE.read_text().split("## Exercises")[0] + body)
    return path


def test_an_autograded_exercise_must_name_its_answer(tmp_path):
    body = (
        "```{exercise}\n:label: b-ex\nDo it.\n```\n\n```{solution-start} b-ex\n```\n\n"
        "```{code-cell} ipython3\nprint(1)\n```\n\n"
        "```{code-cell} ipython3\n:tags: [remove-cell, otter-hidden]\nassert data.size\n```\n\n"
        "```{solution-end}\n```\n"
    )
    with pytest.raises(ValueError, match="check no name its solution code assigns"):
        asg.read_chapter(_chapter(tmp_path, body))


def test_a_solution_needs_an_end_and_a_known_exercise(tmp_path):
    start = "```{exercise}\n:label: b-ex\nDo it.\n```\n\n```{solution-start} b-ex\n```\n"
    with pytest.raises(ValueError, match="has no {solution-end}"):
        asg.read_chapter(_chapter(tmp_path, start + "\nText.\n"))
    with pytest.raises(ValueError, match="unknown exercise 'nope'"):
        asg.read_chapter(_chapter(tmp_path, "```{solution-start} nope\n```\n"))


def test_students_get_only_imports_and_stubs_from_a_solution_cell():
    """Otter's own stripping, applied to the generated solution cell."""
    with warnings.catch_warnings():  # otter's imports (ipylab) use deprecated traitlets
        warnings.simplefilter("ignore", DeprecationWarning)
        from otter.assign.solutions import replace_solutions

    ch = asg.read_chapter(FIXTURE)
    for ex in ch.exercises[:2]:
        kept = [x for x in replace_solutions(asg.solution_cell(ex).split("\n"), "python") if x]
        assert kept == ex.imports + [f"{a} = ..." for a in ex.answers]


def test_source_notebook_has_one_question_per_exercise():
    nb = asg.source_notebook(asg.read_chapter(FIXTURE))
    raws = [c.source for c in nb.cells if c.cell_type == "raw"]
    assert raws[0].startswith("# ASSIGNMENT CONFIG")
    assert sum(r.startswith("# BEGIN QUESTION") for r in raws) == 3
    assert sum("manual: true" in r for r in raws) == 1
    hidden = [c.source for c in nb.cells if c.cell_type == "code" and c.source.startswith("# HID")]
    # every test first fails while the answer is still otter's placeholder
    assert len(hidden) == 2 and all("is not ...," in h for h in hidden)


# --- the fixture's assignment, end to end --------------------------------------------------


@pytest.fixture(scope="module")
def fixture_assignment(tmp_path_factory):
    out = tmp_path_factory.mktemp("fixture-assignment") / "fixture-chapter"
    install = "# stands in for the install cell\nimport sys"
    chapter = asg.assign(FIXTURE, out, "otter-grader==7.0.0\n", install=install)
    return chapter, out


def test_fixture_assignment_layout(fixture_assignment):
    chapter, out = fixture_assignment
    assert (out / "student" / "fixture-chapter.ipynb").is_file()
    assert (out / "autograder" / "fixture-chapter.ipynb").is_file()
    assert _zip(out).is_file()
    student = nbformat.read(out / "student" / "fixture-chapter.ipynb", as_version=4)
    text = "\n".join(c.source for c in student.cells)
    for ex in chapter.exercises:
        assert ex.label in text
    assert "scaled_mean = ..." in text and "roots = ..." in text
    assert "_Type your answer here" in text  # the prose question has an answer cell
    # the install cell comes before otter's init cell, which imports otter
    assert student.cells[0].source.startswith("# stands in for the install cell")
    assert student.cells[1].source == asg.INIT_SOURCE  # works in a renamed notebook too
    assert "import otter" in student.cells[1].source
    # Colab uploads files, not folders: the public tests also come in one file
    with zipfile.ZipFile(out / "student" / "tests.zip") as z:
        assert sorted(z.namelist()) == sorted(
            p.relative_to(out / "student").as_posix() for p in (out / "student" / "tests").iterdir()
        )


def test_fixture_solution_scores_full_and_student_zero(fixture_assignment):
    chapter, out = fixture_assignment
    solution, student = _grade_pair(out, chapter.name)
    assert solution.possible == 2 and solution.score == 2 and solution.errors == []
    assert student.possible == 2 and student.score == 0
    assert student.errors == []  # ran to the end: unanswered questions raise nothing


def test_each_question_is_graded_on_its_own(fixture_assignment, tmp_path):
    """An answer of the right form but the wrong value scores nothing (the public tests
    carry no points); an unanswered one stops nothing."""
    chapter, out = fixture_assignment
    answers = {
        "wrong": {"scaled_mean = ...": "scaled_mean = 8.0"},
        "partial": {},
    }
    paths = []
    for name, edits in answers.items():
        nb = nbformat.read(out / "student" / "fixture-chapter.ipynb", as_version=4)
        edits["roots = ..."] = "roots = list(np.sqrt(data))"
        for cell in nb.cells:
            for old, new in edits.items():
                cell.source = cell.source.replace(old, new)
        (tmp_path / name).mkdir()
        paths.append(tmp_path / name / "fixture-chapter.ipynb")
        nbformat.write(nb, paths[-1])
    with ThreadPoolExecutor(2) as pool:
        wrong, partial = pool.map(lambda p: asg.grade_subprocess(p, _zip(out)), paths)
    # 8.0 is a float (the public test passes) but the wrong value; the roots are right
    assert (wrong.score, wrong.possible, wrong.errors) == (1, 2, [])
    # scaled_mean left as ... scores nothing, and the roots still count
    assert (partial.score, partial.possible, partial.errors) == (1, 2, [])


CHECK = """
import otter
import numpy as np
grader = otter.Notebook(tests_dir="tests")
data, scale = np.arange(10, dtype=float), 2.0
for answer in ("...", "3", "8.0"):
    scaled_mean = eval(answer)
    print(f"=== {answer}", grader.check("fix-ex-mean"), sep="\\n")
roots = ...
print("=== roots", grader.check("fix-ex-roots"), sep="\\n")
"""


def test_public_checks_say_what_to_fix(fixture_assignment):
    """A student's check shows the first failed check's message (under "Got:"), no
    traceback and no knock-on errors; a passing one says the value is still to be graded.
    A question with only hidden tests still tells a student who left its ... in place."""
    chapter, out = fixture_assignment
    run = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=out / "student", capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    parts = dict(p.split("\n", 1) for p in run.stdout.split("=== ")[1:])
    blank, integer, right_form, roots = parts["..."], parts["3"], parts["8.0"], parts["roots"]
    for text in (blank, integer, roots):
        assert "Traceback" not in text and "Test case failed" in text
    assert "replace the ... in `scaled_mean = ...` with your answer" in blank
    assert blank.count("Got:") == 1 and "should be a float" not in blank.split("Got:")[1]
    assert "scaled_mean should be a float" in integer.split("Got:")[1]
    assert "All test cases passed" in right_form and asg.FORM_OK in right_form
    assert "replace the ... in `roots = ...` with your answer" in roots.split("Got:")[1]


def test_a_question_that_asks_in_words_gets_a_text_cell():
    ex = asg.Exercise("q", "Store it in `x`. Why?", code=["x = 1"], hidden=["assert x == 1"])
    plain = asg.Exercise("p", "Store it in `y`.", code=["y = 1"], hidden=["assert y == 1"])
    chapter = asg.Chapter("c", "C", [], [ex, plain])
    texts = [c.source for c in asg.source_notebook(chapter).cells if c.cell_type == "markdown"]
    assert sum("Your answer in words, where `q` asks" in t for t in texts) == 1
    assert not any("where `p` asks" in t for t in texts)


def test_no_solution_or_hidden_test_reaches_students(fixture_assignment):
    chapter, out = fixture_assignment
    secrets = [g[0] for g in asg.secrets(chapter)]
    assert any("np.mean(data) * scale" in s for s in secrets)
    assert any("np.allclose(roots" in s for s in secrets)
    assert any("square root of n" in s for s in secrets)
    assert asg.leaks(chapter, out / "student") == []
    # the check is not vacuous: the autograder folder holds every secret (hidden tests in
    # the form otter rewrote them to)
    assert sorted(asg.leaks(chapter, out / "autograder")) == sorted(secrets)


def test_the_leak_check_finds_a_planted_leak(fixture_assignment, tmp_path):
    chapter, out = fixture_assignment
    copy = tmp_path / "student"
    shutil.copytree(out / "student", copy)
    hidden = next(g for g in asg.secrets(chapter) if g[0].startswith("assert abs("))
    assert len(hidden) == 2  # as written, and as otter rewrites it (quotes, 1e-09)
    with zipfile.ZipFile(copy / "extra.zip", "w") as z:
        z.writestr("inner/notes.txt", f">>> {hidden[1]}\n")
    assert asg.leaks(chapter, copy) == [hidden[0]]


# --- the solutions switch ------------------------------------------------------------------


def test_solutions_mode_reads_the_environment():
    assert solutions_mode({}) == "show"
    assert solutions_mode({"LOSSY_SOLUTIONS": " Hide "}) == "hide"
    with pytest.raises(ValueError, match="must be 'show' or 'hide', not 'maybe'"):
        solutions_mode({"LOSSY_SOLUTIONS": "maybe"})


def test_make_passes_the_switch_on():
    probe = ["make", "-s", "--eval", "probe: ; @echo $$LOSSY_SOLUTIONS", "probe"]
    env = {k: v for k, v in os.environ.items() if k != "LOSSY_SOLUTIONS"}
    run = lambda *extra: subprocess.run(  # noqa: E731
        [*probe, *extra], cwd=REPO, capture_output=True, text=True, env=env, check=True
    ).stdout.strip()
    assert run() == "show"
    assert run("SOLUTIONS=hide") == "hide"


def test_the_book_leaves_solutions_out_when_asked(fixture_site):
    """A small Sphinx project with the book's extensions and the fixture chapter."""
    pages = {}
    for mode, out in fixture_site.items():
        page = re.sub(r"<[^>]+>", "", (out / "index.html").read_text())
        pages[mode] = html.unescape(page)
    for secret in ("np.mean(data) * scale", "four and a half", "square root of n"):
        assert secret in pages["show"] and secret not in pages["hide"]
    for exercise in ("Compute the mean of", "Explain in two sentences"):
        assert exercise in pages["show"] and exercise in pages["hide"]


# --- every chapter of the book -------------------------------------------------------------

CHAPTERS = [p.stem for p in asg.chapters_with_exercises(REPO)]


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_exercise_has_a_model_answer(name):
    """The teachers' page promises a model answer for every question, including the
    ones graded by hand: a solution with code or written prose."""
    chapter = asg.read_chapter(REPO / "chapters" / f"{name}.md")
    bare = [ex.label for ex in chapter.exercises if not (ex.code or "".join(ex.prose).strip())]
    assert bare == [], f"{name}: exercises without a solution: {bare}"


def grade_book_assignments() -> tuple[Path, dict, dict]:
    """``make assignments`` into ``_build/test-assignments``, then every notebook graded."""
    out = REPO / "_build" / "test-assignments"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)

    def build(path: Path) -> asg.Chapter | Exception:
        try:
            return asg.build_all(REPO, out, jobs=1, only=[path])[path.stem]
        except (ValueError, RuntimeError) as e:
            return e

    paths = asg.chapters_with_exercises(REPO)
    with ThreadPoolExecutor(JOBS) as pool:
        built = dict(zip([p.stem for p in paths], pool.map(build, paths), strict=True))
    jobs = [
        (name, kind, out / name / kind / f"{name}.ipynb")
        for name, chapter in built.items()
        if isinstance(chapter, asg.Chapter)
        for kind in ("autograder", "student")
    ]

    def run(job):
        name, kind, notebook = job
        try:
            return asg.grade_subprocess(notebook, _zip(out / name))
        except (RuntimeError, ValueError) as e:
            return e

    with ThreadPoolExecutor(JOBS) as pool:
        grades = dict(zip([(n, k) for n, k, _ in jobs], pool.map(run, jobs), strict=True))
    return out, built, grades


def start_in_background(needs_book: bool) -> None:
    """Called by conftest at collection: build and grade while other tests run."""
    in_background("book assignments", grade_book_assignments)


@pytest.fixture(scope="module")
def book_assignments():
    return in_background("book assignments", grade_book_assignments).result()


def _toy_book(tmp_path: Path) -> Path:
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: a\n  - file: b\n"
    )
    (tmp_path / "intro.md").write_text("# Intro\n")
    shutil.copy(FIXTURE, tmp_path / "a.md")
    (tmp_path / "b.md").write_text("# B\n\nNo exercises, only ```{note}\nA note.\n```\n")
    (tmp_path / "c.md").write_text(FIXTURE.read_text())  # not in the toc
    return tmp_path


def test_overview_for_the_teachers_page(tmp_path):
    root = _toy_book(tmp_path)
    (root / "sub" / "dir").mkdir(parents=True)
    assert asg.book_root(root / "sub" / "dir") == root.resolve()
    rows = asg.overview(root)
    assert [r["question"] for r in rows] == ["fix-ex-mean", "fix-ex-roots", "fix-ex-why"]
    assert [r["exercise"] for r in rows] == [1, 2, 3]  # numbered as the book numbers them
    assert [r["graded"] for r in rows] == ["tests", "tests", "by hand"]
    assert [r["points"] for r in rows] == [1, 1, 0]
    assert rows[0]["answer"] == "scaled_mean" and rows[2]["answer"] == "written answer"
    assert rows[0]["task"] == "Compute the mean of data times scale (see [fix-someone2020])."
    assert asg.overview_counts(rows) == {
        "assignments": 1,
        "questions": 3,
        "autograded": 2,
        "with_words": 0,
        "by_hand": 1,
        "points": 2,
    }
    with pytest.raises(ValueError, match="no _toc.yml"):
        asg.book_root("/")


@pytest.mark.parametrize(
    ("text", "task"),
    [
        # set-up first: the task is the sentence that asks (it was the set-up alone)
        (
            "Agents drawing from the same idea pool duplicate each other. Using "
            "`experiments.redundancy`, find how many agents are needed. Store it in `n`.",
            "Agents drawing from the same idea pool duplicate each other. Using "
            "experiments.redundancy, find how many agents are needed.",
        ),
        # markdown emphasis is not shown raw; names with underscores are kept
        (
            "Tainter's statement is about patents per *thousand* people. Find the first "
            "year and store it in `first_year`.",
            "Tainter's statement is about patents per thousand people. Find the first year "
            "and store it in first_year.",
        ),
        # a short question alone says too little: the next sentence joins it
        (
            "How much real data does the loop need? Run it and store `d`. Compare.",
            "How much real data does the loop need? Run it and store d.",
        ),
        # nothing asks: the first sentence, as before
        ("A long statement of fact about the data, the model and the loop they make. More.",
         "A long statement of fact about the data, the model and the loop they make."),
    ],
)  # fmt: skip
def test_summary_shows_the_task_not_only_its_set_up(text, task):
    assert asg.summary(text) == task


def test_summary_drops_a_set_up_that_does_not_fit():
    text = (
        "The theory above assumes the same inputs $x$ every generation. Run "
        + "`cu.regression_loop` with many settings, " * 6
        + "and more. Store the errors in `fresh_design`."
    )
    task = asg.summary(text)
    assert task.startswith("Run cu.regression_loop with many settings")
    assert task.endswith("…") and len(task) <= 200


def test_the_book_overview_shows_tasks_in_plain_text():
    rows = {r["question"]: r["task"] for r in asg.overview(REPO)}
    assert not [q for q, t in rows.items() if re.search(r"[*`$]", t)]
    assert "find how many agents" in rows["brake-ex-agents"]
    assert "per thousand people" in rows["brake-ex-per-thousand"]


def test_assignments_cover_the_toc_pages_with_exercises(tmp_path):
    _toy_book(tmp_path)
    assert asg.chapters_with_exercises(tmp_path) == [(tmp_path / "a.md").resolve()]
    assert {"jpeg-generations", "limits-of-curation"} <= set(CHAPTERS)


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_assignment(book_assignments, name):
    out, built, grades = book_assignments
    chapter = built[name]
    if isinstance(chapter, Exception):
        pytest.fail(f"{name}: the assignment could not be built: {chapter}")
    auto, manual = chapter.counts
    assert auto >= 1, f"{name} has no autograded exercise (no otter-public/hidden test cells)"
    assert (out / name / "student" / f"{name}.ipynb").is_file()
    assert (out / name / "autograder" / f"{name}.ipynb").is_file()
    solution, student = grades[(name, "autograder")], grades[(name, "student")]
    for g in (solution, student):
        if isinstance(g, Exception):
            pytest.fail(f"{name}: grading failed: {g}")
    assert solution.errors == [], f"{name}: the solution notebook raised {solution.errors}"
    assert solution.possible > 0 and solution.score == solution.possible
    assert student.errors == [], f"{name}: the untouched student notebook raised {student.errors}"
    assert student.score == 0 and student.possible == solution.possible
    assert asg.leaks(chapter, out / name / "student") == []


def test_grading_retries_only_a_kernel_that_lost_its_port(monkeypatch):
    """Two kernels starting at once can pick the same port; that run is tried again, and
    any other failure is raised at once."""
    from types import SimpleNamespace

    ok = SimpleNamespace(returncode=0, stdout='{"score": 1, "possible": 2, "errors": [], '
                         '"seconds": 0.5}\n', stderr="")  # fmt: skip
    port = SimpleNamespace(returncode=1, stdout="", stderr="zmq.error.ZMQError: Address "
                           "already in use (addr='tcp://127.0.0.1:5')")  # fmt: skip
    other = SimpleNamespace(returncode=1, stdout="", stderr="NameError: x")
    calls = []

    def fake(results):
        def run(cmd, timeout=None):
            calls.append(cmd)
            return results.pop(0)

        return run

    monkeypatch.setattr(asg, "_run", fake([port, port, ok]))
    assert asg.grade_subprocess("a.ipynb", "b.zip").score == 1 and len(calls) == 3
    calls.clear()
    monkeypatch.setattr(asg, "_run", fake([port] * (asg.PORT_RETRIES + 1) + [ok]))
    with pytest.raises(RuntimeError, match="Address already in use"):
        asg.grade_subprocess("a.ipynb", "b.zip")
    assert len(calls) == asg.PORT_RETRIES + 1
    calls.clear()
    monkeypatch.setattr(asg, "_run", fake([other, ok]))
    with pytest.raises(RuntimeError, match="NameError"):
        asg.grade_subprocess("a.ipynb", "b.zip")
    assert len(calls) == 1


def test_questions_carry_the_books_numbers_and_the_header_links_the_chapter():
    chapter = asg.read_chapter(FIXTURE)
    first = chapter.exercises[0].label
    link = "https://example.org/blob/notebooks/chapters/fixture.ipynb"
    nb = asg.source_notebook(chapter, numbers={first: 14}, chapter_link=link)
    texts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert f"[{chapter.title}]({link})" in texts[0] and "Read the chapter first" in texts[0]
    assert any(t.startswith(f"**Exercise 14** (`{first}`, ") for t in texts)
    # an exercise without a number keeps its label as its name; no link, no sentence
    other = chapter.exercises[1].label
    assert any(t.startswith(f"**Exercise `{other}`** (") for t in texts)
    plain = [c.source for c in asg.source_notebook(chapter).cells if c.cell_type == "markdown"]
    assert "Read the chapter first" not in plain[0]


def test_the_books_assignments_number_their_exercises_as_the_book_does():
    """build_all reads the book's exercise numbers (lossylib.notebooks.index_book)."""
    from lossylib.notebooks import book_files, index_book

    root = asg.book_root(Path(__file__).parent)
    numbers = index_book(root, book_files(root)).exercises
    chapters = asg.chapters_with_exercises(root)
    labels = [ex.label for c in chapters for ex in asg.read_chapter(c).exercises]
    assert sorted(numbers[label] for label in labels) == list(range(1, len(labels) + 1))


# --- one point per answer ------------------------------------------------------------------


def test_a_hidden_test_is_split_into_one_case_per_answer():
    source = '_r = 2.0\nassert x == _r, "x is off"\nassert y < _r, "y is off"'
    assert asg.split_by_answer(source, ["x", "y"]) == [
        (["x"], '_r = 2.0\nassert x == _r, "x is off"'),
        (["y"], '_r = 2.0\nassert y < _r, "y is off"'),
    ]
    # a statement that reads both answers (or an answer without a check) keeps one case
    both = "assert x < y\nassert x > 0"
    assert asg.split_by_answer(both, ["x", "y"]) == [(["x", "y"], both)]
    assert asg.split_by_answer("assert x > 0", ["x", "y"]) == [(["x"], "assert x > 0")]
    # a name bound again is needed only from its last binding before the check
    again = "_a = 1\nassert x == _a\n_a = 2\nassert y == _a"
    assert asg.split_by_answer(again, ["x", "y"])[1] == (["y"], "_a = 2\nassert y == _a")


def test_each_answer_scores_its_own_point(tmp_path):
    """A two-answer question scores a point per right answer: otter grades the hidden
    cases apart, each guarded only against its own placeholder."""
    body = (
        "```{code-cell} ipython3\nbase = 3\n```\n\n## Exercises\n\n"
        "```{exercise}\n:label: two-ex\nStore `base` squared in `sq` and cubed in `cube`.\n"
        "```\n\n```{solution-start} two-ex\n```\n\n"
        "```{code-cell} ipython3\nsq, cube = base**2, base**3\n```\n\n"
        "```{code-cell} ipython3\n:tags: [remove-cell, otter-public]\n"
        "assert sq > 0 and cube > 0\n```\n\n"
        "```{code-cell} ipython3\n:tags: [remove-cell, otter-hidden]\n"
        'assert sq == base**2, "sq is off"\nassert cube == base**3, "cube is off"\n```\n\n'
        "```{solution-end}\n```\n"
    )
    chapter = asg.assign(_chapter(tmp_path, body), tmp_path / "out", python_version=None)
    (ex,) = chapter.exercises
    assert ex.points_note == "2 points, one per answer"
    nb = nbformat.read(tmp_path / "out" / "student" / f"{chapter.name}.ipynb", as_version=4)
    for cell in nb.cells:
        cell.source = cell.source.replace("sq = ...", "sq = 9").replace("cube = ...", "cube = 0")
    half = tmp_path / "half.ipynb"
    nbformat.write(nb, half)
    (zip_path,) = (tmp_path / "out" / "autograder").glob("*.zip")
    graded = asg.grade_subprocess(half, zip_path)
    assert (graded.score, graded.possible) == (1.0, 2.0)


def _assert_messages(source: str) -> list[str]:
    """The text of each assert's message in ``source`` (its constant parts; "" if none)."""
    texts = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assert):
            parts = [node.msg] if node.msg is not None else []
            texts.append(
                "".join(
                    c.value
                    for p in parts
                    for c in ast.walk(p)
                    if isinstance(c, ast.Constant) and isinstance(c.value, str)
                )
            )
    return texts


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_failed_hidden_check_says_what_to_compute(name):
    """A hidden check that fails is all a student learns about a wrong value, so its
    message names the answer and, after "is off", what it should be computed from."""
    chapter = asg.read_chapter(REPO / "chapters" / f"{name}.md")
    bare = [
        (ex.label, text or "(no message)")
        for ex in chapter.exercises
        for source in ex.hidden
        for text in _assert_messages(source)
        if not text.strip() or re.search(r"is off\W*$", text.strip())
    ]
    assert not bare, f"hidden checks without a hint: {bare}"


def test_assert_messages_reads_f_strings_and_missing_messages():
    source = 'assert a, f"the {k} fixed point is off"\nassert b\nassert c, ("x is off: " "hint")'
    assert _assert_messages(source) == ["the  fixed point is off", "", "x is off: hint"]
