"""Tests for the ``lossy`` command line: outputs, one-line errors, nothing half-written."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import lossylib.previews
from lossylib import batch, codecs
from lossylib.__main__ import main
from lossylib.images import center_crop, list_samples, load_sample

REPO = Path(__file__).resolve().parents[1]
LOSSY = Path(sys.executable).with_name("lossy")
OUTPUTS = {"metrics.csv", "strip.png", "generations.gif", "curves.png"}
COLUMNS = ["generation", "quality", "bytes", "psnr", "ssim", "change", "edges", "delta_e"]


@pytest.fixture(autouse=True)
def _close_figures():
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


@pytest.fixture(scope="module")
def photo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("in") / "photo.png"
    center_crop(load_sample("coffee"), 96).save(path)
    return path


def _run(argv, capsys) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _check_outputs(out: Path, n: int) -> list[dict]:
    assert {p.name for p in out.iterdir()} == OUTPUTS  # no temporary folder left behind
    with open(out / "metrics.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == n + 1
    assert list(rows[0]) == COLUMNS
    assert [int(r["generation"]) for r in rows] == list(range(n + 1))
    assert rows[0]["psnr"] == "inf" and rows[0]["bytes"] == ""
    assert all(int(r["bytes"]) > 0 for r in rows[1:])
    assert all(float(r["psnr"]) > 10 for r in rows[1:])
    for name in ("strip.png", "curves.png"):
        with Image.open(out / name) as im:
            assert im.format == "PNG" and im.width > 100 and im.height > 50
    with Image.open(out / "generations.gif") as gif:
        assert gif.format == "GIF" and gif.n_frames >= 2
    return rows


def _check_one_line_error(code: int, err: str, expected_code: int = 2) -> str:
    assert code == expected_code
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("lossy: error: ")
    return lines[0]


# --- success --------------------------------------------------------------------------------


def test_generations_from_a_sample(tmp_path, capsys):
    out = tmp_path / "run"
    code, stdout, err = _run(
        ["generations", "--sample", "testcard", "-n", 12, "--out", out, "--quiet"], capsys
    )
    assert code == 0, err
    assert err == ""
    rows = _check_outputs(out, 12)
    assert "testcard: 12 generations of jpeg q=75" in stdout
    assert str(out) in stdout
    assert {r["quality"] for r in rows[1:]} == {"75"}


def test_generations_from_a_file_with_settings(tmp_path, capsys, photo_file):
    out = tmp_path / "nested" / "run"
    argv = ["generations", photo_file, "--generations", 20, "--quality", 60, "--out", out]
    argv += ["--subsampling", "4:4:4", "--perturb", "shift:1", "--perturb", "jitter:50-70"]
    argv += ["--seed", 3, "--strip", "0,5,20", "--every", 4, "--quiet"]
    code, stdout, err = _run(argv, capsys)
    assert code == 0, err
    rows = _check_outputs(out, 20)
    assert "photo.png" in stdout and "fixed point never" in stdout
    assert all(50 <= int(r["quality"]) <= 70 for r in rows[1:])
    # edges and delta_e every 4th generation (and the last), the rest every generation.
    assert [i for i, r in enumerate(rows) if i and r["delta_e"] != ""] == [4, 8, 12, 16, 20]
    assert all(r["psnr"] != "" for r in rows)


def test_csv_matches_the_library(tmp_path, capsys):
    """The CSV holds the same numbers as recompress with the same settings."""
    from lossylib import recompress

    out = tmp_path / "run"
    code, _, err = _run(
        ["generations", "--sample", "chelsea", "-n", 6, "-q", 40, "--out", out, "--quiet"],
        capsys,
    )
    assert code == 0, err
    run = recompress(load_sample("chelsea"), 6, quality=40, metrics=["psnr", "ssim"])
    with open(out / "metrics.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["bytes"]) for r in rows[1:]] == run.table["bytes"][1:].astype(int).tolist()
    assert [float(r["psnr"]) for r in rows] == pytest.approx(run.table["psnr"].tolist())
    assert [float(r["ssim"]) for r in rows] == pytest.approx(run.table["ssim"].tolist())


def test_png_codec_settles_at_zero(tmp_path, capsys):
    out = tmp_path / "png"
    code, stdout, err = _run(
        ["generations", "--sample", "testcard", "-n", 3, "--codec", "png", "-o", out, "--quiet"],
        capsys,
    )
    assert code == 0, err
    assert "fixed point at generation 0" in stdout
    rows = _check_outputs(out, 3)
    assert {r["psnr"] for r in rows} == {"inf"}


def test_existing_results_are_kept_without_overwrite(tmp_path, capsys):
    """An earlier run's metrics.csv is not replaced silently: one line names the file and
    the option, before any computing; nothing in the folder changes."""
    out = tmp_path / "run"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    (out / "metrics.csv").write_text("old")
    code, stdout, err = _run(["generations", "--sample", "testcard", "-n", 2, "-o", out], capsys)
    line = _check_one_line_error(code, err)
    assert "metrics.csv already exists" in line and "--overwrite" in line
    assert stdout == ""
    assert sorted(p.name for p in out.iterdir()) == ["metrics.csv", "notes.txt"]
    assert (out / "metrics.csv").read_text() == "old"


def test_existing_output_folder_is_reused_with_overwrite(tmp_path, capsys):
    out = tmp_path / "run"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    (out / "metrics.csv").write_text("old")
    argv = ["generations", "--sample", "testcard", "-n", 2, "-o", out, "--overwrite"]
    code, _, err = _run(argv, capsys)
    assert code == 0, err
    assert (out / "notes.txt").read_text() == "keep me"
    assert (out / "metrics.csv").read_text() != "old"
    assert {p.name for p in out.iterdir()} == OUTPUTS | {"notes.txt"}


def test_samples_command(capsys):
    code, stdout, err = _run(["samples"], capsys)
    assert code == 0 and err == ""
    for name in list_samples():
        assert name in stdout
    assert "codecs: " in stdout
    for name in codecs.available_codecs():
        assert name in stdout.splitlines()[-1]


def test_success_does_not_leak_figures(tmp_path, capsys):
    """Each run must close its matplotlib figures: a long-lived process (a notebook, this
    test session) would otherwise pile them up and hit matplotlib's 20-figure warning."""
    import matplotlib.pyplot as plt

    plt.close("all")
    for i in range(2):
        code, _, err = _run(
            ["generations", "--sample", "testcard", "-n", 2, "-o", tmp_path / str(i)], capsys
        )
        assert code == 0, err
    assert plt.get_fignums() == []


# --- bad input ------------------------------------------------------------------------------


def _bad_files(tmp: Path) -> dict[str, Path]:
    buf = io.BytesIO()
    load_sample("astronaut").save(buf, "JPEG")
    data = buf.getvalue()
    files = {
        "truncated": tmp / "half.jpg",
        "corrupt": tmp / "corrupt.png",
        "text": tmp / "notes.txt",
        "empty": tmp / "empty.jpg",
        "missing": tmp / "missing.png",
    }
    files["truncated"].write_bytes(data[: len(data) // 2])
    files["corrupt"].write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    files["text"].write_text("hello, not an image\n")
    files["empty"].write_bytes(b"")
    return files


BAD_ARGS = {
    "quality 0": ["--sample", "testcard", "-n", "3", "--quality", "0"],
    "quality 101": ["--sample", "testcard", "-n", "3", "--quality", "101"],
    "generations 0": ["--sample", "testcard", "-n", "0"],
    "generations -3": ["--sample", "testcard", "--generations", "-3"],
    "bad perturb": ["--sample", "testcard", "-n", "3", "--perturb", "wobble:3"],
    "bad perturb value": ["--sample", "testcard", "-n", "3", "--perturb", "jitter:90-60"],
    "bad strip": ["--sample", "testcard", "-n", "3", "--strip", "0,x"],
    "strip out of range": ["--sample", "testcard", "-n", "3", "--strip", "0,4"],
    "bad codec": ["--sample", "testcard", "-n", "3", "--codec", "gif"],
    "subsampling on webp": [
        "--sample",
        "testcard",
        "-n",
        "3",
        "--codec",
        "webp",
        "--subsampling",
        "4:4:4",
    ],
    "bad metric": ["--sample", "testcard", "-n", "3", "--metrics", "psnr,sharpness"],
    "bad every": ["--sample", "testcard", "-n", "3", "--every", "-1"],
    "strip of too many": [
        "--sample",
        "testcard",
        "-n",
        "60",
        "--strip",
        ",".join(map(str, range(60))),
    ],
}


def _assert_nothing_written(out: Path, existed: bool) -> None:
    if existed:
        assert {p.name for p in out.iterdir()} == {"notes.txt"}
        assert (out / "notes.txt").read_text() == "old results"
    else:
        assert not out.exists()


@pytest.mark.parametrize("existed", [False, True], ids=["new-out", "old-out"])
@pytest.mark.parametrize("case", sorted(BAD_ARGS))
def test_bad_arguments(case, existed, tmp_path, capsys):
    out = tmp_path / "out"
    if existed:
        out.mkdir()
        (out / "notes.txt").write_text("old results")
    code, stdout, err = _run(["generations", *BAD_ARGS[case], "--out", out], capsys)
    _check_one_line_error(code, err)
    assert stdout == ""
    _assert_nothing_written(out, existed)


@pytest.mark.parametrize("existed", [False, True], ids=["new-out", "old-out"])
@pytest.mark.parametrize("kind", ["truncated", "corrupt", "text", "empty", "missing"])
def test_bad_image_files(kind, existed, tmp_path, capsys):
    path = _bad_files(tmp_path)[kind]
    out = tmp_path / "out"
    if existed:
        out.mkdir()
        (out / "notes.txt").write_text("old results")
    code, stdout, err = _run(["generations", path, "-n", 3, "--out", out], capsys)
    line = _check_one_line_error(code, err)
    assert path.name in line
    _assert_nothing_written(out, existed)


def test_out_is_an_existing_file(tmp_path, capsys):
    out = tmp_path / "taken"
    out.write_text("precious")
    code, _, err = _run(["generations", "--sample", "testcard", "-n", 2, "--out", out], capsys)
    line = _check_one_line_error(code, err)
    assert "not a folder" in line
    assert out.read_text() == "precious"


def _status(argv) -> int:
    try:
        return main(argv)
    except SystemExit as exit:
        return exit.code


USAGE_ERRORS = {
    "no --out": ["generations", "--sample", "testcard", "-n", "3"],
    "unknown sample": ["generations", "--sample", "nope", "-n", "3", "--out", "{o}"],
    "n not a number": ["generations", "--sample", "testcard", "-n", "abc", "--out", "{o}"],
    "no image": ["generations", "-n", "3", "--out", "{o}"],
    "quality 75.5": ["generations", "--sample", "testcard", "-n", "3", "-q", "75.5", "-o", "{o}"],
    "subsampling x": [
        "generations",
        "--sample",
        "testcard",
        "-n",
        "3",
        "--subsampling",
        "x",
        "-o",
        "{o}",
    ],
    "seed abc": ["generations", "--sample", "testcard", "-n", "3", "--seed", "abc", "-o", "{o}"],
    "seed -1": ["generations", "--sample", "testcard", "-n", "3", "--seed", "-1", "-o", "{o}"],
    "out empty": ["generations", "--sample", "testcard", "-n", "3", "--out", ""],
    "jobs -1": ["generations", "--sample", "testcard", "-n", "3", "--jobs", "-1", "-o", "{o}"],
    "n huge": ["generations", "--sample", "testcard", "-n", "1000000000", "-o", "{o}"],
    "unknown command": ["frobnicate"],
    "no command": [],
}


@pytest.mark.parametrize("case", sorted(USAGE_ERRORS))
def test_usage_errors_are_one_line(case, tmp_path, capsys, monkeypatch):
    """Item 3: one line starting 'lossy: error:', no usage block, status 2; nothing made."""
    monkeypatch.chdir(tmp_path)
    argv = [a.format(o=tmp_path / "o") for a in USAGE_ERRORS[case]]
    assert _status(argv) == 2
    captured = capsys.readouterr()
    line = _check_one_line_error(2, captured.err)
    assert "usage:" not in captured.err
    assert captured.out == ""
    if case.startswith("seed"):
        assert "--seed" in line
    if case == "n huge":
        assert "at most 1,000,000" in line
    if case == "out empty":
        assert "--out" in line
    assert list(tmp_path.iterdir()) == []


def test_usage_only_with_dash_h(capsys):
    assert _status(["generations", "-h"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: lossy generations")
    # The choices users must make are written down in --help.
    for words in ("--overwrite", "--jobs", "summary.csv", "delta_e_sampled"):
        assert words in " ".join(out.split()), words


def test_version_is_the_installed_packages(capsys):
    """`lossy --version` names the version pip installed (pyproject.toml's), so the
    copy in lossylib/__init__.py cannot drift from it unnoticed."""
    from importlib.metadata import version

    assert _status(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"lossy (lossylib) {version('lossylib')}"


@pytest.mark.parametrize("existed", [False, True], ids=["new-out", "old-out"])
def test_failure_while_writing_leaves_nothing(existed, tmp_path, capsys, monkeypatch):
    def broken(preview, path, **kwargs):
        Path(path).write_bytes(b"GIF89a partial")  # a half-written file...
        raise OSError(28, "No space left on device", str(path))  # ...then the disk fills

    monkeypatch.setattr(lossylib.previews, "save_animation", broken)
    out = tmp_path / "out"
    if existed:
        out.mkdir()
        (out / "notes.txt").write_text("old results")
    code, stdout, err = _run(["generations", "--sample", "testcard", "-n", 3, "-o", out], capsys)
    line = _check_one_line_error(code, err, expected_code=1)
    assert "No space left on device" in line
    _assert_nothing_written(out, existed)


def test_failure_while_writing_removes_new_parent_folders(tmp_path, capsys, monkeypatch):
    """--out a/b/run with none of them existing: a failed run must not leave a/ or a/b/."""

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(lossylib.previews, "save_animation", broken)
    out = tmp_path / "a" / "b" / "run"
    code, _, err = _run(["generations", "--sample", "testcard", "-n", 2, "-o", out], capsys)
    _check_one_line_error(code, err, expected_code=1)
    assert list(tmp_path.iterdir()) == []


def test_failure_without_strerror_is_one_line(tmp_path, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk on fire")

    monkeypatch.setattr(lossylib.previews, "save_animation", broken)
    out = tmp_path / "out"
    code, _, err = _run(["generations", "--sample", "testcard", "-n", 2, "-o", out], capsys)
    line = _check_one_line_error(code, err, expected_code=1)
    assert "disk on fire" in line
    assert not out.exists()


def test_interrupt_leaves_nothing(tmp_path, capsys, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(lossylib.previews, "save_animation", interrupted)
    out = tmp_path / "out"
    code, _, err = _run(["generations", "--sample", "testcard", "-n", 2, "-o", out], capsys)
    assert code == 130
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert not out.exists()


def test_strip_limit_is_in_help_and_the_error(tmp_path, capsys):
    """A strip of 2,001 generations made a 536,268-pixel-wide PNG that lossy itself then
    refused to read; now such a --strip is refused, before any work, and --help says so."""
    out = tmp_path / "out"
    argv = ["generations", "--sample", "testcard", "-n", 2000, "-o", out]
    code, _, err = _run([*argv, "--strip", ",".join(map(str, range(2001)))], capsys)
    line = _check_one_line_error(code, err)
    assert f"--strip names 2,001 generations; at most {batch.MAX_STRIP}" in line
    assert not out.exists()
    batch.Options(generations=100, strip=",".join(map(str, range(batch.MAX_STRIP)))).check()
    with pytest.raises(SystemExit):
        main(["generations", "-h"])
    assert f"at most {batch.MAX_STRIP}" in " ".join(capsys.readouterr().out.split())


# --- results moved into place: all of them or none -----------------------------------------


def _meanwhile(monkeypatch, action) -> None:
    """Call ``action()`` while the run computes: after its files are made, before they
    are moved into place (as a user or another program could)."""
    real = batch.run_image

    def run_image(*args, **kwargs):
        row = real(*args, **kwargs)
        action()
        return row

    monkeypatch.setattr(batch, "run_image", run_image)


def _contents(folder: Path) -> dict[str, bytes | None]:
    return {p.name: p.read_bytes() if p.is_file() else None for p in sorted(folder.iterdir())}


def test_a_failed_move_with_overwrite_puts_the_earlier_results_back(tmp_path, capsys, monkeypatch):
    """Item 3a: strip.png turns into a folder during an --overwrite run. The move fails on
    it, and the results already moved (metrics.csv) are taken back and the earlier
    run's put back: never a 7-generation table beside 3-generation figures. The message
    names the file in --out, not the temporary folder."""
    out = tmp_path / "ow"
    argv = ["generations", "--sample", "testcard", "-o", out, "--quiet"]
    assert _run([*argv, "-n", 3], capsys)[0] == 0
    earlier = _contents(out)

    def strip_becomes_a_folder():
        (out / "strip.png").unlink()
        (out / "strip.png").mkdir()

    _meanwhile(monkeypatch, strip_becomes_a_folder)
    code, stdout, err = _run([*argv, "-n", 7, "--overwrite"], capsys)
    line = _check_one_line_error(code, err, expected_code=1)
    assert line == f"lossy: error: Is a directory: {out / 'strip.png'}"
    assert stdout == ""
    assert _contents(out) == {**earlier, "strip.png": None}  # the earlier run's, all of them


@pytest.mark.parametrize("overwrite", [False, True], ids=["new", "overwrite"])
def test_a_file_made_during_the_run_is_never_replaced(overwrite, tmp_path, capsys, monkeypatch):
    """Items 3b and 4: a user writes ow/metrics.csv, or makes a folder ow/strip.png, while
    the run computes. Without --overwrite neither is replaced (though it was not there
    when the run checked), and no result is left beside them: one line names the file."""
    out = tmp_path / "ow"
    out.mkdir()
    (out / "notes.txt").write_text("keep")

    def user():
        (out / "metrics.csv").write_text("user notes")
        (out / "generations.gif").mkdir()

    _meanwhile(monkeypatch, user)
    argv = ["generations", "--sample", "testcard", "-n", 3, "-o", out, "--quiet"]
    code, stdout, err = _run(argv, capsys)
    line = _check_one_line_error(code, err, expected_code=1)
    assert line == (
        f"lossy: error: {out / 'metrics.csv'} appeared during the run and is kept; nothing "
        "written (pass --overwrite to replace it)"
    )
    assert _contents(out) == {
        "generations.gif": None,
        "metrics.csv": b"user notes",
        "notes.txt": b"keep",
    }
    if overwrite:  # and --overwrite replaces the file, but never the folder
        (out / "generations.gif").rmdir()
        monkeypatch.undo()
        _meanwhile(monkeypatch, lambda: (out / "generations.gif").mkdir())
        code, _, err = _run([*argv, "--overwrite"], capsys)
        line = _check_one_line_error(code, err, expected_code=1)
        assert line == f"lossy: error: Is a directory: {out / 'generations.gif'}"
        assert (out / "metrics.csv").read_text() == "user notes"


def test_a_batch_whose_move_fails_takes_its_folders_back(tmp_path, capsys, monkeypatch):
    """A batch's summary.csv appears during the run: the image folders already moved into
    place are taken back too, and the user's file stays."""
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in ("a", "b"):
        center_crop(load_sample("coffee"), 32).save(folder / f"{name}.png")
    out = tmp_path / "out"
    out.mkdir()
    _meanwhile(monkeypatch, lambda: (out / "summary.csv").write_text("mine"))
    argv = ["generations", folder, "-n", 2, "-j", 1, "-o", out, "--quiet"]
    code, _, err = _run(argv, capsys)
    line = _check_one_line_error(code, err, expected_code=1)
    assert f"{out / 'summary.csv'} appeared during the run" in line
    assert _contents(out) == {"summary.csv": b"mine"}


def test_results_are_moved_without_hard_links_too(tmp_path, capsys, monkeypatch):
    """Where the file system makes no hard links (FAT, some network shares) the results
    still move into place, and an earlier result is still not replaced."""

    def no_link(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    out = tmp_path / "out"
    argv = ["generations", "--sample", "testcard", "-n", 2, "-o", out, "--quiet"]
    code, _, err = _run(argv, capsys)
    assert code == 0, err
    _check_outputs(out, 2)
    other = tmp_path / "other"
    _meanwhile(monkeypatch, lambda: (other / "curves.png").write_text("mine"))
    code, _, err = _run([*argv[:-3], "-o", other, "--quiet"], capsys)
    _check_one_line_error(code, err, expected_code=1)
    assert _contents(other) == {"curves.png": b"mine"}


# --- temporary folders of runs killed outright ------------------------------------------------


def _dead_pid() -> int:
    pid = 999_999
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return pid
    except PermissionError:
        pass
    pytest.skip(f"process {pid} exists here")


def test_only_a_killed_runs_own_temporary_folder_is_removed(tmp_path, capsys):
    """Item 5a: folders named like a run's temporary folder, of a process id that is not
    running, are kept unless the program made them (its marker file inside)."""
    from lossylib.__main__ import LOCK_FILE

    pid = _dead_pid()
    out = tmp_path / "out"
    users = [out / f".lossy-{pid}-backup", out / f".lossy-{pid}-abcd1234"]
    for folder in users:
        folder.mkdir(parents=True)
        (folder / "notes.txt").write_text("precious")
    stale = out / f".lossy-{pid}-wxyz5678"
    stale.mkdir()
    (stale / LOCK_FILE).write_text("the temporary folder of a running lossy")
    (stale / "metrics.csv").write_text("half")
    code, _, err = _run(["generations", "--sample", "testcard", "-n", 2, "-o", out], capsys)
    assert code == 0, err
    for folder in users:
        assert (folder / "notes.txt").read_text() == "precious"
    assert not stale.exists()


LOCK_HOLDER = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_a_live_runs_folder_is_kept_whatever_its_process_id(tmp_path, capsys):
    """Item 5b: a run in another container (another process-id namespace) has a folder
    whose process id looks dead from here; it holds the folder's lock, so the folder is
    kept. Once that run is gone (its lock with it), the next run removes the folder."""
    from lossylib.__main__ import LOCK_FILE

    out = tmp_path / "out"
    live = out / f".lossy-{_dead_pid()}-abcd1234"
    live.mkdir(parents=True)
    (live / LOCK_FILE).write_text("the temporary folder of a running lossy")
    (live / "metrics.csv").write_text("being written")
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(live / LOCK_FILE)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "locked\n"
        argv = ["generations", "--sample", "testcard", "-n", 2, "-o", out, "--overwrite"]
        code, _, err = _run(argv, capsys)
        assert code == 0, err
        assert (live / "metrics.csv").read_text() == "being written"
    finally:
        holder.kill()
        holder.communicate()
    code, _, err = _run(argv, capsys)
    assert code == 0, err
    assert not live.exists()


# --- inputs that are not files ---------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_not_waited_on(tmp_path):
    """Item 8: reading a named pipe waits for a writer forever; it is refused at once, as
    /dev/zero is (a separate process: a regression would hang, and time out here)."""
    fifo = tmp_path / "fifo.png"
    os.mkfifo(fifo)
    out = tmp_path / "out"
    for path, says in [(fifo, "is a named pipe (FIFO), not an image file"), ("/dev/zero", "")]:
        done = _subprocess(
            [sys.executable, "-m", "lossylib", "generations", path, "-n", 2, "-o", out],
            tmp_path,
            timeout=60,
        )
        line = _check_one_line_error(done.returncode, done.stderr)
        assert says in line and str(path) in line
        assert not out.exists()


# --- as separate processes -------------------------------------------------------------------


def _subprocess(cmd: list, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONWARNINGS": ""}
    return subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_python_dash_m(tmp_path):
    out = tmp_path / "run"
    done = _subprocess(
        [
            sys.executable,
            "-m",
            "lossylib",
            "generations",
            "--sample",
            "testcard",
            "-n",
            4,
            "--out",
            out,
            "--quiet",
        ],
        REPO,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    _check_outputs(out, 4)


def test_console_script(tmp_path, photo_file):
    assert LOSSY.exists(), "the lossy console script is not installed in the venv"
    out = tmp_path / "run"
    done = _subprocess([LOSSY, "generations", photo_file, "-n", 5, "-o", out, "--quiet"], tmp_path)
    assert done.returncode == 0, done.stderr
    _check_outputs(out, 5)
    done = _subprocess([LOSSY, "samples"], tmp_path)
    assert done.returncode == 0 and "testcard" in done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--quality", "101"],
        ["--generations", "0"],
        ["--perturb", "shift"],
    ],
)
def test_console_script_bad_input(args, tmp_path):
    out = tmp_path / "out"
    argv = [LOSSY, "generations", "--sample", "testcard", "-n", "3", *args, "--out", out]
    done = _subprocess(argv, tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("lossy: error: "), done.stderr
    assert not out.exists()


def test_console_script_bad_file(tmp_path):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    out = tmp_path / "out"
    done = _subprocess([LOSSY, "generations", bad, "-n", "3", "--out", out], tmp_path)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("lossy: error: "), done.stderr
    assert "bad.jpg" in lines[0]
    assert not out.exists()


def test_numbers_are_exact_numpy_types():
    # Guard for the CSV: integer columns are written without a decimal point.
    arr = np.array([1.0, 2.0])
    from lossylib.generations import _csv_cell

    assert [_csv_cell(v) for v in arr] == ["1", "2"]
    assert _csv_cell(np.float64("nan")) == ""
    assert _csv_cell(np.float64("inf")) == "inf"


# --- issue 13 --------------------------------------------------------------------------------


def test_tiny_image_with_edges(tmp_path, capsys):
    """Item 6: a 5x5 image with the edges metric: no numpy warning (pytest makes warnings
    errors), every cell of the column filled; a 2x2 image is refused in one line."""
    small = tmp_path / "small.png"
    Image.new("RGB", (5, 5), (200, 10, 10)).save(small)
    out = tmp_path / "run"
    code, _, err = _run(
        ["generations", small, "-n", 3, "--metrics", "psnr,edges", "-o", out, "--quiet"], capsys
    )
    assert code == 0, err
    with open(out / "metrics.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert all(r["edges"] != "" for r in rows)
    tiny = tmp_path / "tiny.png"
    Image.new("RGB", (2, 2), (200, 10, 10)).save(tiny)
    code, _, err = _run(["generations", tiny, "-n", 3, "-o", tmp_path / "t"], capsys)
    line = _check_one_line_error(code, err)
    assert "at least 3x3" in line
    assert not (tmp_path / "t").exists()


def test_help_documents_existing_results_and_jobs(capsys):
    with pytest.raises(SystemExit):
        main(["generations", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "Existing results in DIR are never replaced without --overwrite" in text
    assert "default: one per usable core, within a container's CPU quota" in text
    assert "fewer if the largest image would not fit in memory" in text


def test_the_console_command_exits_with_mains_status_without_a_last_heap_sweep(
    tmp_path, monkeypatch, capsys
):
    """``lossy`` is :func:`cli`: main's status as the exit status, after gc.freeze (the
    collector's last passes at shutdown cost 0.5 s of every run)."""
    import gc
    import tomllib

    from lossylib.__main__ import cli

    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["lossy"] == "lossylib.__main__:cli"
    argv = ["lossy", "generations", "--sample", "testcard", "-n", "0", "--out", str(tmp_path)]
    monkeypatch.setattr(sys, "argv", argv)
    try:
        with pytest.raises(SystemExit) as exit_:
            cli()
        assert exit_.value.code == 2
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # this test process goes on
    assert "lossy: error:" in capsys.readouterr().err
