"""Batch mode of ``lossy generations``: several files or a folder, ``--jobs``, a folder per
image, ``summary.csv`` and ``summary.png``, bad files reported without stopping the rest."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from lossylib import batch
from lossylib.__main__ import main
from lossylib.generations import recompress
from lossylib.images import center_crop, load_sample

OUTPUTS = {"metrics.csv", "strip.png", "generations.gif", "curves.png"}


@pytest.fixture(autouse=True)
def _close_figures():
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def _photos(folder: Path) -> Path:
    folder.mkdir()
    center_crop(load_sample("coffee"), 96).save(folder / "coffee.png")
    center_crop(load_sample("chelsea"), 80).save(folder / "cat.jpg", quality=95)
    center_crop(load_sample("astronaut"), 64).save(folder / "astro.tif")
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (folder / "readme.txt").write_text("not an image: skipped by suffix")
    return folder


def _rows(path: Path) -> list[dict]:
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("jobs", [1, 2])
def test_folder_with_a_bad_file(jobs, tmp_path, capsys):
    folder = _photos(tmp_path / "photos")
    out = tmp_path / "out"
    code = main(
        [
            "generations",
            str(folder),
            "-n",
            "6",
            "--jobs",
            str(jobs),
            "--quiet",
            "--out",
            str(out),
            "--at",
            "1,N",
        ]
    )
    captured = capsys.readouterr()
    assert code == 2  # non-zero: one image failed
    # The bad file on stderr, one line, naming it; the others complete.
    errors = captured.err.splitlines()
    assert len(errors) == 1 and errors[0].startswith("lossy: error: broken: ")
    assert "broken.jpg" in errors[0]
    assert sorted(p.name for p in out.iterdir()) == [
        "astro",
        "cat",
        "coffee",
        "summary.csv",
        "summary.png",
    ]
    for name in ("astro", "cat", "coffee"):
        assert {p.name for p in (out / name).iterdir()} == OUTPUTS
    rows = _rows(out / "summary.csv")
    assert [r["image"] for r in rows] == ["astro", "broken", "cat", "coffee"]  # input order
    assert [r["status"] for r in rows] == ["ok", "error", "ok", "ok"]
    assert "truncated or corrupt" in rows[1]["error"] or "not an image" in rows[1]["error"]
    assert list(rows[0]) == [
        "image",
        "status",
        "error",
        "fixed_point",
        "cycle_period",
        "cycle_start",
        "psnr_1",
        "bytes_1",
        "psnr_6",
        "bytes_6",
    ]
    # The numbers are those of the image's own metrics.csv.
    with open(out / "coffee" / "metrics.csv", newline="") as fh:
        own = list(csv.DictReader(fh))
    assert float(rows[3]["psnr_6"]) == pytest.approx(float(own[6]["psnr"]), abs=1e-6)
    assert int(rows[3]["bytes_6"]) == int(own[6]["bytes"])
    with Image.open(out / "summary.png") as im:
        assert im.format == "PNG" and im.width > 100
    assert "4 images: 3 ok, 1 failed" in captured.out


def test_summary_is_deterministic_and_the_same_with_any_jobs(tmp_path, capsys):
    folder = _photos(tmp_path / "photos")
    texts = []
    for i, jobs in enumerate((1, 2, 2)):
        out = tmp_path / f"out{i}"
        main(
            [
                "generations",
                str(folder),
                "-n",
                "5",
                "--perturb",
                "jitter:60-90",
                "--seed",
                "3",
                "--jobs",
                str(jobs),
                "--quiet",
                "--out",
                str(out),
            ]
        )
        texts.append((out / "summary.csv").read_bytes())
    capsys.readouterr()
    assert texts[0] == texts[1] == texts[2]


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
@pytest.mark.parametrize(("cores", "threaded"), [(2, False), (8, True)])
def test_workers_measure_in_a_thread_only_with_cores_to_spare(
    cores, threaded, tmp_path, monkeypatch
):
    """With a worker process on every core the measures run in each worker's own thread;
    with cores to spare, in a second thread beside the codec. (The workers are forked, so
    they run the stand-in below, which reports what their setting is.)"""
    from lossylib import generations

    monkeypatch.setattr(batch, "usable_cores", lambda: cores)
    monkeypatch.setattr(
        batch, "run_image", lambda *a: {"image": a[3], "thread": generations.MEASURE_IN_THREAD}
    )
    rows = batch.run_many([("a", "a"), ("b", "b")], tmp_path, batch.Options(generations=1), 2)
    assert [r["thread"] for r in rows] == [threaded, threaded]
    assert generations.MEASURE_IN_THREAD  # the parent's own setting is untouched


KILLED_WORKER = """
import os, signal, sys, time
from pathlib import Path
from lossylib import batch

out, mode = Path(sys.argv[1]), sys.argv[2]
real = batch.run_image

def stand_in(source, folder, options, label):
    if label == "b" and mode == "exit":  # a worker that ends some other way
        os._exit(3)
    # As the out-of-memory killer would: b always, or b and d the first time only.
    if label in ("b", "d" if mode == "once" else "b"):
        if mode == "always" or not (out.parent / f"killed-{label}").exists():
            (out.parent / f"killed-{label}").write_text("")
            (folder / "half-written.png").write_bytes(b"")
            os.kill(os.getpid(), signal.SIGKILL)
    if mode == "cli":
        return real(source, folder, options, label)
    time.sleep(0.3)
    return {"image": label, "status": "ok", "files": sorted(p.name for p in folder.iterdir())}

batch.run_image = stand_in  # the forked workers inherit it
if mode == "cli":
    from lossylib.__main__ import main
    sys.exit(main(["generations", *sys.argv[3:], "-n", "3", "--jobs", "2", "--out", str(out)]))
rows = batch.run_many(
    [(x, x) for x in "abcde"], out, batch.Options(generations=3), 2, on_note=print
)
for row in rows:
    print(row["image"], row["status"], row.get("error", ""), row.get("files", ""))
"""


def _killed_worker(tmp_path: Path, mode: str, *args: str):
    import subprocess
    import sys

    out = tmp_path / "out"
    if mode != "cli":
        out.mkdir()
    return subprocess.run(
        [sys.executable, "-c", KILLED_WORKER, str(out), mode, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
def test_a_worker_killed_outright_twice_fails_its_image_and_the_others_complete(tmp_path):
    """A worker process killed outright (SIGKILL, as from the out-of-memory killer) loses
    its image, which runs again with fewer images at a time; killed again, it fails, with
    a reason, and the others complete."""
    proc = _killed_worker(tmp_path, "always")
    assert proc.returncode == 0, proc.stderr
    note, *lines = proc.stdout.splitlines()
    assert note.startswith("b: its worker process was killed (out of memory?)")
    assert [line.split()[:2] for line in lines] == [
        ["a", "ok"],
        ["b", "error"],
        ["c", "ok"],
        ["d", "ok"],
        ["e", "ok"],
    ]
    assert batch.WORKER_DIED_TWICE in lines[1]


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
def test_a_worker_killed_once_its_image_runs_again_from_a_clean_folder(tmp_path):
    """Killed once, an image runs again (its first run's files removed), and the rest
    of the run runs half as many images at a time; the note says so the first time."""
    proc = _killed_worker(tmp_path, "once")
    assert proc.returncode == 0, proc.stderr
    first, second, *lines = proc.stdout.splitlines()
    assert first == (
        "b: its worker process was killed (out of memory?); b runs again after the others, "
        "1 image at a time from now on"
    )
    assert (
        second == "d: its worker process was killed (out of memory?); d runs again after the others"
    )
    assert lines == [f"{x} ok  []" for x in "abcde"]  # the killed run's file is gone


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
def test_a_worker_that_ends_otherwise_fails_its_image_at_once(tmp_path):
    """Not killed by the system (an exit, a crash): not memory, so no second run."""
    proc = _killed_worker(tmp_path, "exit")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1] == "b error its worker process died (exit status 3) "


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
def test_the_command_says_when_an_image_runs_again(tmp_path):
    """The note on stderr, and a complete run: every image ok, exit status 0."""
    folder = tmp_path / "photos"
    folder.mkdir()
    for x in "abc":
        center_crop(load_sample("astronaut"), 48).save(folder / f"{x}.png")
    proc = _killed_worker(tmp_path, "cli", str(folder))
    assert proc.returncode == 0, proc.stderr
    assert (
        "lossy: b: its worker process was killed (out of memory?); b runs again after the "
        "others, 1 image at a time from now on"
    ) in proc.stderr
    assert "Traceback" not in proc.stderr
    rows = _rows(tmp_path / "out" / "summary.csv")
    assert [(r["image"], r["status"]) for r in rows] == [(x, "ok") for x in "abc"]
    assert set(p.name for p in (tmp_path / "out" / "b").iterdir()) == OUTPUTS


def test_spawned_workers_as_on_macos_and_windows(tmp_path, monkeypatch):
    """Where workers are spawned, not forked, they import what they run and set
    themselves up: the images come out the same as in one process."""
    import sys

    folder = _photos(tmp_path / "photos")
    items = [(str(p), p.stem) for p in sorted(folder.glob("*.*")) if p.suffix != ".txt"]
    options = batch.Options(generations=3, metrics="psnr")
    (tmp_path / "one").mkdir()
    alone = batch.run_many(items, tmp_path / "one", options, 1)
    monkeypatch.setattr(sys, "platform", "darwin")  # run_many spawns its workers there
    monkeypatch.setattr(batch, "_load_once_before_forking", lambda: pytest.fail("forked"))
    (tmp_path / "two").mkdir()
    spawned = batch.run_many(items, tmp_path / "two", options, 2)
    monkeypatch.undo()
    assert [r["status"] for r in spawned] == ["ok", "error", "ok", "ok"]
    for a, b in zip(alone, spawned, strict=True):
        assert {k: v for k, v in a.items() if k != "_psnr"} == {
            k: v for k, v in b.items() if k != "_psnr"
        }
    assert {p.name for p in (tmp_path / "two" / "coffee").iterdir()} == OUTPUTS


def test_summary_row_matches_the_library(tmp_path):
    """Fixed point, cycle and PSNR at the chosen generations, from recompress itself."""
    image = center_crop(load_sample("chelsea"), 64)
    path = tmp_path / "cat.png"
    image.save(path)
    options = batch.Options(generations=12, perturb=("alternate:70/80",), metrics="psnr")
    folder = tmp_path / "cat"
    folder.mkdir()
    row = batch.run_image(str(path), folder, options, "cat")
    run = recompress(image, 12, perturb="alternate:70/80", metrics=["psnr"])
    assert row["cycle_period"] == (run.cycle[0] if run.cycle else "")
    assert row["fixed_point"] == ("" if run.fixed_point is None else run.fixed_point)
    assert float(row["psnr_12"]) == pytest.approx(run.table["psnr"][12], abs=1e-6)
    assert row["bytes_10"] == int(run.table["bytes"][10])


def test_several_files_and_unique_folder_names(tmp_path, capsys):
    a = tmp_path / "x" / "photo.png"
    b = tmp_path / "y" / "photo.png"
    for p, name in ((a, "coffee"), (b, "chelsea")):
        p.parent.mkdir()
        center_crop(load_sample(name), 48).save(p)
    out = tmp_path / "out"
    assert main(["generations", str(a), str(b), "-n", "2", "--quiet", "-o", str(out)]) == 0
    capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == [
        "photo",
        "photo-2",
        "summary.csv",
        "summary.png",
    ]


def test_a_folder_of_one_image_says_one_image(tmp_path, capsys):
    folder = tmp_path / "one"
    folder.mkdir()
    center_crop(load_sample("coffee"), 32).save(folder / "coffee.png")
    out = tmp_path / "out"
    assert main(["generations", str(folder), "-n", "2", "--quiet", "-o", str(out)]) == 0
    assert capsys.readouterr().out.startswith("1 image: 1 ok, 0 failed; ")
    assert batch.n_images(2) == "2 images"


def test_batch_refuses_to_replace_earlier_results(tmp_path, capsys):
    folder = _photos(tmp_path / "photos")
    out = tmp_path / "out"
    (out / "cat").mkdir(parents=True)
    (out / "cat" / "mine.txt").write_text("keep")
    code = main(["generations", str(folder), "-n", "2", "--quiet", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "--overwrite" in err
    assert sorted(p.name for p in out.iterdir()) == ["cat"]
    code = main(["generations", str(folder), "-n", "2", "--quiet", "-o", str(out), "--overwrite"])
    capsys.readouterr()
    assert code == 2  # the broken file still fails
    assert (out / "cat" / "mine.txt").read_text() == "keep"  # a user's file is never removed
    assert {p.name for p in (out / "cat").iterdir()} == OUTPUTS | {"mine.txt"}


def test_empty_folder_is_a_one_line_error(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    code = main(["generations", str(tmp_path / "empty"), "-n", "2", "-o", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("lossy: error: no image files") and err.count("\n") == 1
    assert not (tmp_path / "o").exists()


def test_unwritable_out_is_found_before_computing(tmp_path, capsys, monkeypatch):
    """Item 5: the output folder is created and tested before any image is re-saved."""
    import lossylib.batch

    def must_not_run(*args, **kwargs):
        raise AssertionError("computed before finding that --out is unwritable")

    monkeypatch.setattr(lossylib.batch, "recompress", must_not_run)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        import os

        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        code = main(["generations", "--sample", "testcard", "-n", "3", "-o", str(locked / "r")])
    finally:
        locked.chmod(0o700)
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("lossy: error: Permission denied") and err.count("\n") == 1


def test_unwritable_out_found_early_even_as_root(tmp_path, capsys, monkeypatch):
    """Same item where permissions cannot be taken away: --out under a regular file."""
    import lossylib.batch

    monkeypatch.setattr(lossylib.batch, "recompress", lambda *a, **k: pytest.fail("computed"))
    (tmp_path / "file").write_text("x")
    code = main(
        ["generations", "--sample", "testcard", "-n", "3", "-o", str(tmp_path / "file" / "r")]
    )
    err = capsys.readouterr().err
    assert code in (1, 2) and err.startswith("lossy: error:") and err.count("\n") == 1
    assert (tmp_path / "file").read_text() == "x"


def test_unique_labels_never_collide():
    labels = batch.unique_labels(["a.jpg", "a.png", "a-2.jpg", "b c.jpg", ".jpg"])
    assert len(set(labels)) == len(labels)


def test_large_photo_outputs_are_small(tmp_path, capsys):
    """A 2000 x 1500 photo: the strip and the GIF are scaled; the crop stays at 1:1; the
    default colour metric is the named sampled variant."""
    rng = __import__("numpy").random.default_rng(0)
    arr = rng.integers(0, 256, (1500, 2000, 3), dtype="uint8")
    photo = Image.fromarray(arr).resize((2000, 1500))
    buf = io.BytesIO()
    photo.save(buf, "JPEG", quality=90)
    path = tmp_path / "big.jpg"
    path.write_bytes(buf.getvalue())
    out = tmp_path / "out"
    assert main(["generations", str(path), "-n", "3", "--quiet", "-o", str(out)]) == 0
    capsys.readouterr()
    header = (out / "metrics.csv").read_text().splitlines()[0].split(",")
    assert "delta_e_sampled" in header and "delta_e" not in header
    with Image.open(out / "strip.png") as strip:
        assert strip.height < 700 and strip.width < 5 * 520
    with Image.open(out / "generations.gif") as gif:
        assert max(gif.size) <= 400 + 160 + 6
    assert (out / "generations.gif").stat().st_size < 10_000_000


def test_summary_plot_of_many_images_stays_readable(tmp_path, capsys):
    """Fuzz item 6: with 25 or more images the legend (one line per image) squeezed the
    axes to nothing ("constrained_layout not applied" warning) and ran off the image.
    With 30 there is no warning, and the legend names only the extremes, inside the
    figure."""
    import warnings

    import matplotlib.pyplot as plt

    folder = tmp_path / "many"
    folder.mkdir()
    base = center_crop(load_sample("coffee"), 16)
    for i in range(30):
        base.rotate(90 * (i % 4)).resize((16 + i % 3, 16)).save(folder / f"image-{i:02}.png")
    out = tmp_path / "out"
    argv = ["generations", str(folder), "-n", "2", "-j", "1", "--quiet", "--out", str(out)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(argv) == 0, capsys.readouterr().err
    assert capsys.readouterr().err == ""
    with Image.open(out / "summary.png") as im:
        assert im.width > 300 and im.height > 200
    rows = [r for r in _rows(out / "summary.csv") if r["status"] == "ok"]
    assert len(rows) == 30
    runs = {
        f"image-{i:02}-with-a-long-name": recompress(base.rotate(90 * i), 2 + i % 3, keep=())
        for i in range(30)
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = batch._many_curves(runs)
        fig.canvas.draw()
    legend = fig.axes[0].get_legend()
    assert len(legend.get_texts()) == 6
    inside = fig.bbox.padded(1)
    box = legend.get_window_extent()
    assert inside.contains(box.x0, box.y0) and inside.contains(box.x1, box.y1)
    plt.close(fig)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_in_a_folder_is_an_error_row(tmp_path):
    """Fuzz item 8 in a batch: a named pipe with an image's name in the folder (or given
    among the files) fails its own row at once; the others run. (A separate process: a
    regression would wait forever on the pipe, and time out here.)"""
    folder = tmp_path / "photos"
    folder.mkdir()
    center_crop(load_sample("coffee"), 32).save(folder / "good.png")
    os.mkfifo(folder / "pipe.png")
    out = tmp_path / "out"
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONWARNINGS": ""}
    cmd = [sys.executable, "-m", "lossylib", "generations", folder, "-n", "2", "--quiet"]
    done = subprocess.run(
        [*map(str, cmd), "--out", str(out)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        f"lossy: error: pipe: {folder / 'pipe.png'} is a named pipe (FIFO), not an image file"
    ]
    rows = {r["image"]: r for r in _rows(out / "summary.csv")}
    assert rows["good"]["status"] == "ok" and rows["pipe"]["status"] == "error"
    assert (out / "good" / "metrics.csv").exists() and not (out / "pipe").exists()
