"""What teachers and students meet around the assignments (lossylib.assignments).

A small book (the fixture chapter, with the repository's ``_config.yml``, pins and
``runtime.txt``) is built once with the command line and a relative ``--out``, as
``make assignments`` does. Its notebooks are then used the way students and teachers do:
renamed and opened with only ``tests.zip`` beside them (Colab), and graded in bulk with a
submission that never ends and one whose cell raises.
"""

from __future__ import annotations

import csv
import json
import shutil
import time
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml

from lossylib import assignments as asg
from lossylib import notebooks as nbs

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "assignments" / "fixture-chapter.md"
NAME = "fixture-chapter"


def _small_book(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "_toc.yml").write_text(f"format: jb-book\nroot: intro\nchapters:\n  - file: {NAME}\n")
    (root / "intro.md").write_text("# Intro\n")
    shutil.copy(FIXTURE, root / f"{NAME}.md")
    for name in ("_config.yml", "pyproject.toml", "requirements.txt", "runtime.txt"):
        shutil.copy(REPO / name, root / name)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, int, str]:
    """The small book's assignment, built from its folder with ``--out`` relative."""
    import contextlib
    import io
    import os

    work = tmp_path_factory.mktemp("teachers")
    _small_book(work / "book")
    err = io.StringIO()
    cwd = os.getcwd()
    os.chdir(work / "book")
    try:
        with contextlib.redirect_stderr(err):
            code = asg.main(["build", "--out", "_build/assignments", "--jobs", "1"])
    finally:
        os.chdir(cwd)
    return work / "book" / "_build" / "assignments" / NAME, code, err.getvalue()


# --- building -------------------------------------------------------------------------------


def test_a_relative_out_folder_builds(built):
    """``make assignments`` passes a relative ``--out``; otter runs in the source folder,
    where a relative path named nothing ("File ... does not exist")."""
    out, code, err = built
    assert code == 0, err
    for kind in ("student", "autograder"):
        assert (out / kind / f"{NAME}.ipynb").is_file()
    assert len(list((out / "autograder").glob(f"{NAME}-autograder_*.zip"))) == 1


def test_a_build_outside_git_says_lossylib_is_not_pinned(built, tmp_path):
    out, code, err = built
    lines = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(lines) == 1 and "is not a git checkout" in lines[0], err
    requirements = (out / "autograder" / "requirements.txt").read_text()
    assert "lossylib @ git+https://github.com/lossy-book/lossy@main" in requirements
    # --strict stops instead
    book = _small_book(tmp_path / "book")
    assert asg.main(["build", "--root", str(book), "--out", str(tmp_path / "o"), "--strict"]) == 1
    assert not (tmp_path / "o").exists()


def test_pin_warnings_name_each_way_the_pin_can_be_wrong(monkeypatch, tmp_path):
    book = _small_book(tmp_path / "book")
    url = "https://github.com/lossy-book/lossy"
    monkeypatch.setattr(nbs, "uncommitted", lambda root, paths: [])
    monkeypatch.setattr(nbs, "git_origin", lambda root: "git@github.com:lossy-book/lossy.git")
    assert asg.pin_warnings(book, "a" * 40) == []
    seen = {}

    def dirty(root, paths):
        seen["paths"] = paths
        return ["lossylib/a.py", "lossylib/b.py", "pyproject.toml", "lossylib/c.py"]

    monkeypatch.setattr(nbs, "uncommitted", dirty)
    (warning,) = asg.pin_warnings(book, "0123456789abcdef" * 2)
    assert set(seen["paths"]) == {"lossylib", "pyproject.toml", "requirements.txt"}
    assert "lossylib/a.py, lossylib/b.py, pyproject.toml and 1 more" in warning
    assert "at commit 0123456789ab, without them" in warning
    monkeypatch.setattr(nbs, "uncommitted", lambda root, paths: [])
    monkeypatch.setattr(nbs, "git_origin", lambda root: "https://github.com/teacher/lossy")
    (warning,) = asg.pin_warnings(book, "a" * 40)
    assert url in warning and "teacher/lossy" in warning and "repository: url" in warning


def test_the_grading_image_uses_the_books_python_and_can_grade(built):
    """otter's default image Python is newer than the one the book is tested with; the
    requirements teachers install to grade locally include otter's grading extra."""
    out, _, _ = built
    assert asg.python_version(REPO) == "3.11"
    (zip_path,) = (out / "autograder").glob("*.zip")
    with zipfile.ZipFile(zip_path) as z:
        env = yaml.safe_load(z.read("environment.yml"))
    assert "python=3.11" in env["dependencies"]
    requirements = (out / "autograder" / "requirements.txt").read_text().splitlines()
    assert asg.OTTER_GRADING in requirements


# --- what students get ------------------------------------------------------------------------


def test_the_header_links_the_student_copy_never_the_instructor_copy(built):
    out, _, _ = built
    nb = nbformat.read(out / "student" / f"{NAME}.ipynb", as_version=4)
    header = next(c.source for c in nb.cells if c.cell_type == "markdown")
    link = "https://github.com/lossy-book/lossy/blob/notebooks/student/fixture-chapter.ipynb"
    assert f"]({link})" in header
    # every chapter of the book: the link is the student copy that `make notebooks` writes
    for page in asg.chapters_with_exercises(REPO):
        link = asg.reading_link(REPO, page)
        docname = page.relative_to(REPO).with_suffix("").as_posix()
        assert link.endswith(f"/blob/{nbs.NOTEBOOKS_BRANCH}/{nbs.STUDENT_FOLDER}/{docname}.ipynb")
        assert link != nbs.notebook_link(REPO, page)  # the instructor copy


def test_a_renamed_notebook_with_only_the_tests_zip_runs_its_checks(built, tmp_path):
    """Colab saves a copy as "Copy of <chapter>.ipynb" and uploads files, not folders:
    the notebook, renamed, beside ``tests.zip`` alone still runs every check."""
    from nbclient import NotebookClient

    out, _, _ = built
    nb = nbformat.read(out / "student" / f"{NAME}.ipynb", as_version=4)
    init = [c.source for c in nb.cells if "otter.Notebook(" in c.source]
    assert init == [asg.INIT_SOURCE] and 'otter.Notebook("' not in asg.INIT_SOURCE
    shutil.copy(out / "student" / "tests.zip", tmp_path / "tests.zip")
    path = tmp_path / f"Copy of {NAME}.ipynb"
    nbformat.write(nb, path)
    NotebookClient(
        nb, timeout=300, allow_errors=True, resources={"metadata": {"path": tmp_path}}
    ).execute()
    errors = [
        f"{o.ename}: {o.evalue}"
        for c in nb.cells
        for o in c.get("outputs", [])
        if o.output_type == "error"
    ]
    assert errors == []
    checks = [
        "".join(o.get("text", "") + str(o.get("data", {})) for o in c.outputs)
        for c in nb.cells
        if c.cell_type == "code" and c.source.startswith("grader.check(")
    ]
    assert len(checks) == 2
    assert all("replace the ... in `" in text for text in checks), checks
    assert (tmp_path / "tests").is_dir()


def test_the_header_counts_the_questions_that_ask_in_words():
    chapter = asg.read_chapter(REPO / "chapters" / "tail-loss.md")
    words = [e.label for e in chapter.exercises if e.asks_in_words]
    nb = asg.source_notebook(chapter)
    texts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    cells = [t for t in texts if t.startswith("*Your answer in words, where")]
    assert len(words) == len(cells) == chapter.in_words >= 1
    assert f"{chapter.in_words} of the tested questions also ask" in texts[0]
    assert "0 answered" not in texts[0]


def test_a_question_scores_each_answer_or_says_it_cannot():
    """A two-answer question gets a point per answer where its hidden tests can be split
    (tail-loss's), and says so where they cannot (a check that reads both answers)."""
    chapter = asg.read_chapter(REPO / "chapters" / "tail-loss.md")
    double = [e for e in chapter.exercises if len(e.answers) > 1]
    assert double, "tail-loss has no question with two answers"
    texts = [c.source for c in asg.source_notebook(chapter).cells if c.cell_type == "markdown"]
    for ex in double:
        (heading,) = [t for t in texts if t.startswith(f"**Exercise `{ex.label}`**")]
        assert "2 points, one per answer" in heading
    shared = asg.Exercise("e", "Store `a` and `b`.", code=["a, b = 1, 2"], hidden=["assert a < b"])
    assert shared.points_note == "1 point, only if both answers are right"


def test_the_teachers_overview_counts_the_written_parts():
    rows = asg.overview(REPO)
    counts = asg.overview_counts(rows)
    assert counts["with_words"] == sum(r["graded"] == "tests + words" for r in rows) > 0
    assert counts["autograded"] + counts["by_hand"] == counts["questions"]


# --- grading a folder -----------------------------------------------------------------------


def _submission(built_out: Path, folder: Path, name: str, edits: dict[str, str]) -> Path:
    nb = nbformat.read(built_out / "student" / f"{NAME}.ipynb", as_version=4)
    for cell in nb.cells:
        for old, new in edits.items():
            cell.source = cell.source.replace(old, new)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def test_grading_stops_a_loop_and_shows_the_cells_own_error(built, tmp_path, monkeypatch):
    """``grade``: a submission that never ends is stopped at its time limit (kernel and
    all), the others are graded, and the CSV and the executed notebook show a cell's own
    error (ZeroDivisionError), which otter's results show only as knock-on NameErrors."""
    import psutil

    out, _, _ = built
    subs = tmp_path / "submissions"
    subs.mkdir()
    loop = _submission(out, subs, "loops", {"scaled_mean = ...": "while True:\n    pass"})
    raises = _submission(
        out,
        subs,
        "raises",
        {"scaled_mean = ...": "scaled_mean = 9.0", "roots = ...": "roots = [1 / 0]"},
    )
    killed: list[int] = []
    real_kill = asg._kill_tree

    def spy(pid):
        killed.extend(p.pid for p in psutil.Process(pid).children(recursive=True))
        real_kill(pid)

    monkeypatch.setattr(asg, "_kill_tree", spy)
    (zip_path,) = (out / "autograder").glob("*.zip")
    start = time.monotonic()
    code = asg.main(
        ["grade", str(zip_path), str(loop), str(raises), "--out", str(tmp_path / "results")]
        + ["--timeout", "40", "--jobs", "2"]
    )
    assert code == 1  # one submission could not be graded
    assert time.monotonic() - start < 150
    with open(tmp_path / "results" / "scores.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:3] == ["notebook", "score", "possible"] and "fix-ex-mean" in rows[0]
    by_name = {Path(r["notebook"]).stem: r for r in rows}
    assert by_name["loops"]["status"].startswith("timed out")
    graded = by_name["raises"]
    assert (graded["score"], graded["possible"], graded["status"]) == ("1", "2", "graded")
    assert "ZeroDivisionError" in graded["errors"]
    executed = nbformat.read(tmp_path / "results" / "executed" / "raises.ipynb", as_version=4)
    names = [o.ename for c in executed.cells for o in c.get("outputs", []) if "ename" in o]
    assert "ZeroDivisionError" in names
    # fit to hand back: the student's cells only, no hidden test (the failed one printed
    # its code) and no line of otter's debug log; each check shows its points
    submitted = nbformat.read(raises, as_version=4)
    assert [c.source for c in executed.cells] == [c.source for c in submitted.cells]
    text = nbformat.writes(executed)
    assert "np.sqrt(data)" not in text and "# HIDDEN" not in text
    assert "otter.check" not in text and "init_grading_mode" not in text
    checks = [c for c in executed.cells if c.source.startswith("grader.check(")]
    assert [c.outputs[0].text for c in checks] == [
        "fix-ex-mean: 1/1 point when graded\n",
        "fix-ex-roots: 0/1 point when graded\n",
    ]
    # the looping kernel is gone, not left spinning
    assert killed, "nothing was running when the time ran out"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in killed):
        time.sleep(0.2)
    assert not [pid for pid in killed if _alive(pid)]


def test_swapped_grading_arguments_get_a_one_line_error(built, tmp_path, capsys):
    """``grade-one`` takes the notebook first, ``grade`` the zip first: either swapped
    says so in one line (no traceback) and exits non-zero."""
    out, _, _ = built
    (zip_path,) = (out / "autograder").glob("*.zip")
    notebook = out / "student" / f"{NAME}.ipynb"
    for argv in (
        ["grade-one", str(zip_path), str(notebook)],
        ["grade", str(notebook), str(zip_path), "--out", str(tmp_path / "r")],
    ):
        assert asg.main(argv) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err, err
        assert err.startswith("error: ") and "usage: grade" in err, err
    assert not (tmp_path / "r").exists()


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_scores_csv_has_a_row_for_every_submission(tmp_path):
    graded = [
        asg.Graded(Path("a.ipynb"), asg.Grade(2, 3, [], 4.2, {"q1": 1, "q2": 1})),
        asg.Graded(Path("b.ipynb"), None, "timed out: stopped after 900 s"),
        asg.Graded(Path("c.ipynb"), asg.Grade(0, 3, ["NameError: x"], 1, {"q1": 0, "q3": 0})),
    ]
    asg.write_scores(graded, tmp_path / "s.csv")
    with open(tmp_path / "s.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["notebook"] for r in rows] == ["a.ipynb", "b.ipynb", "c.ipynb"]
    assert rows[0]["q1"] == "1" and rows[0]["q3"] == "" and rows[2]["q3"] == "0"
    assert rows[1]["status"] == "timed out: stopped after 900 s" and rows[1]["score"] == ""
    assert rows[2]["errors"] == "NameError: x"
    assert json.dumps(asg.Grade(1, 2, [], 3).__dict__)  # the grade-one output still serialises
