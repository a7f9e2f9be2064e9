"""Tests for lossylib.generations.recompress: the table, fixed points, frames, errors."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from lossylib import codecs, generations, metrics, perturb, recompress
from lossylib.codecs import CodecError
from lossylib.generations import DEFAULT_METRICS, METRICS, MetricsTable, Run, RunError, edit_only
from lossylib.images import center_crop, load_sample


@pytest.fixture(scope="module")
def card() -> Image.Image:
    return load_sample("testcard")


@pytest.fixture(scope="module")
def small() -> Image.Image:
    return center_crop(load_sample("astronaut"), 64)


@pytest.fixture(scope="module")
def settled_run(card) -> Run:
    return recompress(card, 60, quality=75, keep=(0, 1, 30, 60))


def test_run_error_is_a_value_error():
    assert issubclass(RunError, ValueError)
    assert issubclass(CodecError, ValueError)


# --- the table -----------------------------------------------------------------------------


def test_table_columns_and_length(small):
    run = recompress(small, 7)
    t = run.table
    assert len(t) == 8 and run.generations == 7
    assert t.names[:3] == ["generation", "quality", "bytes"]
    assert set(t.names) == {"generation", "quality", "bytes", *DEFAULT_METRICS}
    assert set(DEFAULT_METRICS) <= set(METRICS)
    assert t["generation"].tolist() == list(range(8))
    for name in t.names:
        assert len(t[name]) == 8


def test_generation_zero_row(small):
    run = recompress(small, 3, metrics=list(METRICS))
    row = run.table.row(0)
    assert row["generation"] == 0
    assert row["psnr"] == math.inf
    assert row["ssim"] == 1.0
    assert row["delta_e"] == 0.0
    assert row["edges"] == pytest.approx(metrics.edge_energy(small))
    assert math.isnan(row["bytes"]) and math.isnan(row["quality"])  # no file for the original


def test_rows_match_a_manual_loop(small):
    """Each row is what one save/open at these settings gives, measured against the original."""
    run = recompress(small, 5, quality=60, metrics=list(METRICS), keep=range(6))
    current = small
    for g in range(1, 6):
        decoded, data = codecs.roundtrip(current, "jpeg", 60)
        row = run.table.row(g)
        assert row["bytes"] == len(data)
        assert row["quality"] == 60
        assert run.encoded[g] == data
        assert run.frames[g].tobytes() == decoded.tobytes()
        assert row["psnr"] == pytest.approx(metrics.psnr(small, decoded))
        assert row["ssim"] == pytest.approx(
            metrics.ssim(metrics.luma(small), metrics.luma(decoded))
        )
        assert row["change"] == pytest.approx(metrics.psnr(current, decoded))
        assert row["delta_e"] == pytest.approx(metrics.delta_e(small, decoded))
        assert row["edges"] == pytest.approx(metrics.edge_energy(decoded))
        current = decoded


def test_table_getitem_unknown_column(small):
    run = recompress(small, 2, metrics=["psnr"])
    with pytest.raises(KeyError, match="no column 'ssim'.*psnr"):
        run.table["ssim"]


def test_table_html(small):
    run = recompress(small, 12, metrics=["psnr"])
    html = run.table._repr_html_()
    assert html.startswith("<table") and html.count("<tr>") == 1 + 9  # head, 8 rows + last
    assert '<th scope="col">psnr</th>' in html
    assert "<td>inf</td>" in html  # generation 0 PSNR


def test_to_csv_round_trips(tmp_path, small):
    run = recompress(small, 10, metrics={"psnr": 1, "ssim": 1, "delta_e": 4})
    path = tmp_path / "m.csv"
    run.table.to_csv(path)
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == run.table.names
    assert len(rows) == 1 + len(run.table)
    for i, line in enumerate(rows[1:]):
        for name, cell in zip(rows[0], line, strict=True):
            value = run.table[name][i]
            if math.isnan(value):
                assert cell == ""
            elif math.isinf(value):
                assert float(cell) == value
            else:
                assert float(cell) == pytest.approx(float(value), rel=1e-15)
    assert rows[1][rows[0].index("psnr")] == "inf"
    assert rows[1][rows[0].index("bytes")] == ""
    assert rows[2][rows[0].index("generation")] == "1"


def test_run_repr(small):
    run = recompress(small, 3, perturb=perturb.Shift(1))
    text = repr(run)
    assert "jpeg" in text and "q=75" in text and "shift by 1 px" in text
    assert "3 generations" in text


# --- reproducibility ------------------------------------------------------------------------


def _same_table(a: Run, b: Run) -> bool:
    return a.table.names == b.table.names and all(
        np.array_equal(a.table[k], b.table[k], equal_nan=True) for k in a.table.names
    )


def test_same_seed_same_run(small):
    p = [perturb.QualityJitter(50, 95), perturb.Shift(3)]
    a = recompress(small, 15, perturb=p, seed=42, keep=[15])
    b = recompress(small, 15, perturb=p, seed=42, keep=[15])
    assert _same_table(a, b)
    assert a.encoded[15] == b.encoded[15]
    assert a.frames[15].tobytes() == b.frames[15].tobytes()


def test_different_seed_different_qualities(small):
    p = perturb.QualityJitter(50, 95)
    a = recompress(small, 15, perturb=p, seed=1, metrics=["psnr"])
    b = recompress(small, 15, perturb=p, seed=2, metrics=["psnr"])
    assert not np.array_equal(a.table["quality"][1:], b.table["quality"][1:])
    assert not np.array_equal(a.table["bytes"][1:], b.table["bytes"][1:])
    for run in (a, b):
        q = run.table["quality"][1:]
        assert ((q >= 50) & (q <= 95)).all()


def test_seed_does_not_matter_without_randomness(small):
    a = recompress(small, 5, seed=1, metrics=["psnr"])
    b = recompress(small, 5, seed=2, metrics=["psnr"])
    assert np.array_equal(a.table["bytes"], b.table["bytes"], equal_nan=True)


def test_alternate_quality_in_the_table(small):
    run = recompress(small, 6, perturb=perturb.AlternateQuality((70, 90)), metrics=["psnr"])
    assert run.table["quality"][1:].tolist() == [70, 90, 70, 90, 70, 90]


# --- fixed points ---------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), mode=st.sampled_from(["RGB", "L"]))
def test_same_pixels_finds_one_changed_pixel(seed, mode):
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(1, 30)), int(rng.integers(1, 30)), 3)
    rgb = rng.integers(0, 256, shape, dtype=np.uint8)
    a = Image.fromarray(rgb, "RGB").convert(mode)
    assert generations._same_pixels(a, a.copy())
    changed = rgb.copy()
    y, x, c = (int(rng.integers(0, n)) for n in shape)
    changed[y, x, c] ^= 1 << int(rng.integers(0, 8))
    b = Image.fromarray(changed, "RGB").convert(mode)
    assert generations._same_pixels(a, b) == (a.tobytes() == b.tobytes())
    assert not generations._same_pixels(a, a.resize((shape[1] + 1, shape[0])))
    assert not generations._same_pixels(a, a.convert("RGBA" if mode == "RGB" else "RGB"))


@pytest.mark.parametrize("name", ["testcard", "astronaut"])
def test_png_control_changes_nothing(name):
    im = center_crop(load_sample(name), 96)
    run = recompress(im, 8, codec="png", metrics=list(METRICS), keep=[8])
    assert run.fixed_point == 0
    assert (run.table["psnr"] == math.inf).all()
    assert (run.table["change"][1:] == math.inf).all()
    assert (run.table["ssim"] == 1.0).all()
    assert (run.table["delta_e"] == 0.0).all()
    assert len(set(run.table["bytes"][1:].tolist())) == 1
    assert run.frames[8].tobytes() == im.tobytes()


def test_jpeg_same_settings_settles(settled_run):
    run = settled_run
    fp = run.fixed_point
    assert fp is not None and 1 <= fp < 60
    b, p = run.table["bytes"], run.table["psnr"]
    assert len(set(b[fp:].tolist())) == 1  # every save from the fixed point on: same file
    assert len(set(p[fp:].tolist())) == 1
    assert (run.table["change"][fp + 1 :] == math.inf).all()
    # ... and it is the first such generation.
    if fp > 1:
        assert b[fp - 1] != b[fp] or run.table["change"][fp] != math.inf


def test_fixed_point_is_the_first_repeat_of_the_file(small):
    """Checked against files compared byte for byte in a manual loop."""
    n = 40
    run = recompress(small, n, quality=50, metrics=["psnr"])
    files, current = [], small
    for _ in range(n):
        current, data = codecs.roundtrip(current, "jpeg", 50)
        files.append(data)
    first = None
    for g in range(1, n + 1):
        if all(f == files[g - 1] for f in files[g - 1 :]):
            first = g
            break
    expected = first if first is not None and first < n else None
    assert run.fixed_point == expected
    assert run.fixed_point is not None


def test_changing_settings_never_settle(small):
    run = recompress(small, 30, perturb=perturb.Shift(1), metrics=["psnr"])
    assert run.fixed_point is None
    assert run.table["psnr"][30] < run.table["psnr"][1]


def test_one_generation(small):
    run = recompress(small, 1)
    assert len(run.table) == 2
    assert run.fixed_point is None  # a single lossy save cannot show a repeat
    assert recompress(small, 1, codec="png").fixed_point == 0


def test_webp_runs(small):
    run = recompress(small, 5, codec="webp", quality=60, metrics=["psnr"])
    assert run.settings["codec"] == "webp"
    assert np.isfinite(run.table["psnr"][1:]).all()


# --- frames and memory ----------------------------------------------------------------------


@given(keep=st.sets(st.integers(0, 12), max_size=6))
@settings(max_examples=15, deadline=None)
def test_keep_stores_only_those_frames(keep):
    im = center_crop(load_sample("coffee"), 32)
    run = recompress(im, 12, metrics=["psnr"], keep=keep)
    assert set(run.frames) == keep
    assert len(run.frames) == len(keep)
    assert set(run.encoded) == keep - {0}
    for g, frame in run.frames.items():
        assert frame.mode == "RGB" and frame.size == (32, 32)
        if g:
            assert codecs.decode(run.encoded[g]).tobytes() == frame.tobytes()
    if 0 in keep:
        assert run.frames[0].tobytes() == im.tobytes()


def test_frames_do_not_grow_with_generations(small):
    run = recompress(small, 150, metrics=["psnr"], keep=(0, 150), progress=False)
    assert len(run.frames) == 2 and len(run.encoded) == 1


def test_keep_accepts_numpy_integers(small):
    run = recompress(small, 4, metrics=["psnr"], keep=np.arange(5))
    assert sorted(run.frames) == [0, 1, 2, 3, 4]


def test_original_is_not_modified(small):
    before = small.tobytes()
    recompress(small, 3, perturb=[perturb.Shift(2), perturb.Sharpen()], keep=[0])
    assert small.tobytes() == before


def test_non_rgb_input_is_converted():
    grey = load_sample("testcard").convert("L")
    run = recompress(grey, 2, keep=[0, 2])
    assert run.frames[0].mode == "RGB" and run.frames[2].mode == "RGB"
    rgba = load_sample("testcard").convert("RGBA")
    assert recompress(rgba, 2).table["psnr"][0] == math.inf


# --- metric schedules -----------------------------------------------------------------------


def test_metric_schedule_every_tenth_and_last(small):
    n = 35
    run = recompress(small, n, metrics={"psnr": 1, "delta_e": 10})
    assert set(run.table.names) == {"generation", "quality", "bytes", "psnr", "delta_e"}
    d = run.table["delta_e"]
    computed = [g for g in range(1, n + 1) if not math.isnan(d[g])]
    assert computed == [10, 20, 30, 35]
    assert d[0] == 0.0
    assert np.isfinite(run.table["psnr"]).sum() == n  # every generation (gen 0 is inf)


def test_metric_list_means_every_generation(small):
    run = recompress(small, 6, metrics=["edges", "change"])
    assert not np.isnan(run.table["edges"]).any()
    assert not np.isnan(run.table["change"][1:]).any()
    assert math.isnan(run.table["change"][0])


def test_metric_string_means_one_metric(small):
    run = recompress(small, 3, metrics="ssim")
    assert set(run.table.names) == {"generation", "quality", "bytes", "ssim"}


def test_no_metrics_still_records_bytes(small):
    run = recompress(small, 3, metrics=[])
    assert run.table.names == ["generation", "quality", "bytes"]
    assert (run.table["bytes"][1:] > 0).all()


def test_default_metrics_schedule(small):
    n = 30
    run = recompress(small, n)
    for name, every in DEFAULT_METRICS.items():
        col = run.table[name]
        expected = {g for g in range(1, n + 1) if g % every == 0 or g == n}
        assert {g for g in range(1, n + 1) if not math.isnan(col[g])} == expected, name


# --- progress -------------------------------------------------------------------------------


def test_progress_bar_on_stderr(small, capsys):
    recompress(small, 5, metrics=["psnr"], progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    # tqdm draws the bar (throttled, so maybe only its start) and clears it (leave=False).
    assert "jpeg q=75" in captured.err and "/5 [" in captured.err and "gen" in captured.err


def test_no_progress_bar(small, capsys):
    recompress(small, 5, metrics=["psnr"], progress=False)
    recompress(small, 5, metrics=["psnr"])  # short runs: no bar by default
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


# --- bad arguments --------------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, -1, 2.5, 3.0, True, False, math.nan, math.inf, "10", None])
def test_bad_generations(n, small):
    with pytest.raises(RunError, match="generations") as info:
        recompress(small, n)
    assert "\n" not in str(info.value)


def test_numpy_generations_accepted(small):
    assert len(recompress(small, np.int64(3), metrics=["psnr"]).table) == 4


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"metrics": ["psnr", "sharpness"]}, RunError, "unknown metric 'sharpness'"),
        ({"metrics": {"psnr": 0}}, RunError, "every"),
        ({"metrics": {"psnr": -2}}, RunError, "every"),
        ({"metrics": {"psnr": 1.5}}, RunError, "every"),
        ({"metrics": {"psnr": True}}, RunError, "every"),
        ({"metrics": {"psnr": None}}, RunError, "every"),
        ({"keep": [11]}, RunError, "keep"),
        ({"keep": [-1]}, RunError, "keep"),
        ({"keep": [2.0]}, RunError, "keep"),
        ({"keep": [True]}, RunError, "keep"),
        ({"keep": ["1"]}, RunError, "keep"),
        ({"codec": "gif"}, CodecError, "unknown codec"),
        ({"quality": 0}, CodecError, "quality"),
        ({"quality": 101}, CodecError, "quality"),
        ({"quality": math.nan}, CodecError, "quality"),
        ({"quality": "75"}, CodecError, "quality"),
        ({"subsampling": "4:1:1"}, CodecError, "subsampling"),
        ({"codec": "webp", "subsampling": "4:4:4"}, CodecError, "subsampling"),
        ({"perturb": [3]}, perturb.PerturbationError, "expected Perturbation objects"),
        ({"perturb": "wobble:1"}, perturb.PerturbationError, "unknown perturbation"),
        ({"perturb": 3.5}, RunError, "perturb must be a Perturbation"),
        ({"keep": None}, RunError, "keep must be a list of generation numbers"),
        ({"seed": "abc"}, RunError, "seed must be a whole number >= 0, got 'abc'"),
        ({"seed": -1}, RunError, "seed must be a whole number >= 0, got -1"),
    ],
)
def test_bad_arguments(kwargs, error, match, small):
    with pytest.raises(error, match=match) as info:
        recompress(small, 10, **kwargs)
    assert isinstance(info.value, ValueError)
    assert "\n" not in str(info.value)


def test_huge_generations_refused_with_the_limit(small):
    """A billion generations would need a 64 GB table: refused at once, with the limit."""
    with pytest.raises(RunError, match="at most 1,000,000") as info:
        recompress(small, 10**9)
    assert "\n" not in str(info.value)


def test_bad_image():
    with pytest.raises(ValueError, match="expected a PIL image"):
        recompress(np.zeros((16, 16, 3), np.uint8), 2)


def test_bad_arguments_are_checked_before_any_work(small, monkeypatch):
    calls = []
    monkeypatch.setattr(generations.codecs, "encode", lambda *a, **k: calls.append(a))
    with pytest.raises(RunError):
        recompress(small, 10, keep=[99])
    assert calls == []


def test_metrics_table_len_and_row():
    t = MetricsTable({"generation": np.arange(3), "x": np.array([1.0, np.nan, 2.5])})
    assert len(t) == 3 and t.names == ["generation", "x"]
    r = t.row(1)
    assert r["generation"] == 1 and math.isnan(r["x"])


def test_measures_reused_after_the_fixed_point_equal_fresh_ones():
    """After the fixed point the loop copies the last measures; they must be what a fresh
    computation on the kept frame gives."""
    original = load_sample("testcard")
    run = recompress(original, 40, metrics=["psnr", "ssim", "change"], keep=(40,))
    assert run.fixed_point is not None and run.fixed_point < 39
    last = run.frames[40]
    assert run.table["psnr"][40] == metrics.psnr(original, last)
    assert run.table["ssim"][40] == metrics.ssim(metrics.luma(original), metrics.luma(last))
    assert run.table["change"][40] == float("inf")


def test_measures_taken_every_kth_generation_are_reused_after_the_fixed_point(monkeypatch):
    """A measure taken every 3rd generation is not recomputed once the file stops changing
    (the same file is the same picture): it keeps the value a fresh computation gives."""
    from lossylib import kernels

    original = load_sample("testcard")
    taken = []
    real = kernels.delta_e_sum
    monkeypatch.setattr(kernels, "delta_e_sum", lambda *a: taken.append(1) or real(*a))
    run = recompress(original, 40, metrics={"psnr": 1, "delta_e": 3}, keep=(40,))
    fixed = run.fixed_point
    assert fixed is not None and fixed < 30
    due = [g for g in range(1, 41) if g % 3 == 0 or g == 40]
    assert len(taken) <= len([g for g in due if g <= fixed + 3]) < len(due)
    assert run.table["delta_e"][40] == metrics.delta_e(original, run.frames[40])
    assert not np.isnan(run.table["delta_e"][due]).any()


@pytest.mark.parametrize("compiled", [True, False])
@pytest.mark.parametrize("blocks", ["one", "several"])
def test_measures_are_exactly_the_library_functions(compiled, blocks, monkeypatch):
    """The loop measures PSNR, SSIM, the change, edges and colour differences from pixels
    borrowed from Pillow (or copied, for images Pillow keeps in several blocks) with
    compiled kernels, or with the numpy paths: each number must be exactly what the
    library functions give."""
    original = center_crop(load_sample("astronaut"), 96)
    monkeypatch.setattr(metrics, "USE_KERNELS", compiled)
    if blocks == "several":
        before = Image.core.get_block_size()
        Image.core.set_block_size(4096)
    try:
        run = recompress(
            original,
            6,
            perturb=perturb.AlternateQuality((60, 80)),
            metrics=["psnr", "ssim", "change", "edges", "delta_e"],
            keep=range(7),
        )
    finally:
        if blocks == "several":
            Image.core.set_block_size(before)
    reference = metrics.SSIMReference(metrics.luma(original))
    for g in range(1, 7):
        frame, previous = run.frames[g], run.frames[g - 1]
        assert run.table["psnr"][g] == metrics.psnr(original, frame)
        assert run.table["change"][g] == metrics.psnr(previous, frame)
        assert run.table["ssim"][g] == reference.score(metrics.luma(frame))
        assert run.table["edges"][g] == metrics.edge_energy(frame)
        assert run.table["delta_e"][g] == metrics.delta_e(original, frame)


def test_measuring_in_the_loops_own_thread_gives_the_same_table(monkeypatch):
    """Batch workers measure without the worker thread: the table is the same."""
    original = center_crop(load_sample("coffee"), 120)
    names = ["psnr", "ssim", "change", "edges", "delta_e", "delta_e_sampled"]
    kwargs = dict(perturb=perturb.AlternateQuality((60, 80)), metrics=names, keep=())
    threaded = recompress(original, 8, **kwargs)
    monkeypatch.setattr(generations, "MEASURE_IN_THREAD", False)
    inline = recompress(original, 8, **kwargs)
    for name in names:
        np.testing.assert_array_equal(inline.table[name], threaded.table[name])
    assert not np.isnan(inline.table["delta_e"][1:]).any()


@pytest.mark.parametrize("compiled", [True, False])
def test_sampled_colour_difference_is_exactly_the_library_function(compiled, monkeypatch):
    """Above 65,536 pixels delta_e_sampled reads a grid; the loop reads the same grid."""
    original = center_crop(load_sample("astronaut"), 300)
    monkeypatch.setattr(metrics, "USE_KERNELS", compiled)
    run = recompress(original, 3, metrics=["delta_e_sampled", "delta_e"], keep=range(4))
    assert metrics.sample_grid((300, 300))[0].step > 1
    for g in range(1, 4):
        assert run.table["delta_e_sampled"][g] == metrics.delta_e_sampled(original, run.frames[g])
        assert run.table["delta_e_sampled"][g] != run.table["delta_e"][g]


def test_read_metrics_csv_round_trips(tmp_path):
    run = recompress(load_sample("testcard"), 5, metrics={"psnr": 1, "delta_e": 2})
    path = tmp_path / "metrics.csv"
    run.table.to_csv(path)
    back = generations.read_metrics_csv(path)
    assert back.names == run.table.names
    for name in run.table.names:
        np.testing.assert_array_equal(back[name], run.table[name])


def test_read_metrics_csv_rejects_other_files(tmp_path):
    bad = tmp_path / "other.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="not a metrics table"):
        generations.read_metrics_csv(bad)
    bad.write_text("generation,psnr\n0,abc\n")
    with pytest.raises(ValueError, match="not a number"):
        generations.read_metrics_csv(bad)


def test_perturb_accepts_text_specs(small):
    """perturb="shift:1" is read as the spec it is, not as the characters 's', 'h', ..."""
    by_text = recompress(small, 4, perturb="shift:1", metrics=["psnr"])
    by_list = recompress(small, 4, perturb=["shift:1", "jitter:60-80"], metrics=["psnr"])
    by_object = recompress(small, 4, perturb=perturb.Shift(1), metrics=["psnr"])
    assert by_text.settings["perturbation"] == by_object.settings["perturbation"]
    assert np.array_equal(by_text.table["psnr"], by_object.table["psnr"])
    assert "quality jitter 60-80" in by_list.settings["perturbation"]


@pytest.mark.parametrize(
    ("metric", "size", "match"),
    [("edges", (2, 9), "edges metric needs an image of at least 3x3"), ("ssim", (6, 30), "7x7")],
)
def test_tiny_images_refused_before_any_work(metric, size, match):
    """A metric that cannot be computed is refused up front: no numpy warning, no blank
    column (pytest turns warnings into errors here)."""
    from PIL import Image

    tiny = Image.new("RGB", size, (120, 30, 200))
    with pytest.raises(RunError, match=match):
        recompress(tiny, 3, metrics=[metric])
    # Other metrics still work on it, every cell filled.
    run = recompress(tiny, 3, metrics=["psnr", "change"])
    assert not np.isnan(run.table["psnr"]).any()


def test_observe_sees_every_generation(small):
    seen = []
    run = recompress(
        small,
        5,
        metrics=["psnr"],
        keep=(),
        observe=lambda g, im, data: seen.append((g, im.size, len(data))),
    )
    assert [g for g, _, _ in seen] == [1, 2, 3, 4, 5]
    assert all(size == small.size for _, size, _ in seen)
    assert [n for _, _, n in seen] == run.table["bytes"][1:].astype(int).tolist()
    with pytest.raises(RunError, match="observe must be a function"):
        recompress(small, 2, observe=3)


def test_delta_e_sampled_column_starts_at_zero(small):
    run = recompress(small, 3, metrics=["delta_e_sampled", "delta_e"])
    assert run.table["delta_e_sampled"][0] == 0.0
    # Small images: the sample is every pixel, so the two columns agree exactly.
    assert np.array_equal(run.table["delta_e_sampled"], run.table["delta_e"])


def test_a_perturbation_that_only_restores_after_decoding_gets_the_previous_image(small):
    """The loop lets the previous generation go before decoding unless something needs
    it: a perturbation overriding only ``after`` still receives it."""

    class KeepLeftColumn(perturb.Perturbation):
        name = "keep the left column"

        def after(self, image, previous, rng, generation):
            out = image.copy()
            out.paste(previous.crop((0, 0, 1, previous.height)), (0, 0))
            return out

    p = KeepLeftColumn()
    assert p.changes_image
    run = recompress(small, 3, perturb=p, metrics=["psnr"], keep=(3,))
    left = np.asarray(run.frames[3])[:, 0]
    assert np.array_equal(left, np.asarray(small)[:, 0])


@pytest.mark.parametrize("measures", [[], ["psnr"]])
def test_the_previous_generation_is_let_go_before_decoding(measures, monkeypatch):
    """As in a bare save/open loop, the decoder can reuse the last generation's memory:
    nothing of the loop still holds that image when the next one is decoded. (Measures
    run inline here; in their thread they let go of it as soon as they are done.)"""
    import weakref

    monkeypatch.setattr(generations, "MEASURE_IN_THREAD", False)
    decoded: list[weakref.ref] = []
    alive_at_decode: list[int] = []
    real = codecs.decode

    def decode(data):
        alive_at_decode.append(sum(ref() is not None for ref in decoded))
        image = real(data)
        decoded.append(weakref.ref(image))
        return image

    monkeypatch.setattr(codecs, "decode", decode)
    recompress(load_sample("testcard"), 6, quality=50, metrics=measures, keep=())
    assert alive_at_decode == [0] * 6


@pytest.mark.parametrize(
    "change",
    [
        None,
        perturb.Shift(1),
        perturb.Crop(3),
        perturb.Resize(0.9),
        perturb.Rotate(1.0),
        perturb.Sharpen(),
        perturb.QualityJitter(60, 90),
    ],  # fmt: skip
    ids=lambda p: p.name if p else "none",
)
def test_edit_only_is_the_png_controls_last_picture(change):
    """edit_only gives, pixel for pixel, the picture a run with the lossless PNG control
    ends with (what the JPEG chapter's control column reads), and is not the identity for
    edits that resample."""
    image = load_sample("astronaut").crop((100, 40, 164, 104))
    run = recompress(image, 6, codec="png", perturb=change, metrics=[], keep=(6,), seed=3)
    copied = edit_only(image, 6, change, seed=3)
    assert copied.tobytes() == run.frames[6].tobytes()
    resamples = isinstance(change, perturb.Resize | perturb.Rotate | perturb.Sharpen)
    assert (copied.tobytes() != image.tobytes()) == resamples


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"generations": 0}, "generations"),
        ({"perturb": "nope"}, "perturbation"),
        ({"seed": -1}, "seed"),
    ],  # fmt: skip
)
def test_edit_only_refuses_bad_input_like_recompress(bad, message):
    args = {"generations": 2, "perturb": None, "seed": 0} | bad
    with pytest.raises(ValueError, match=message):
        edit_only(load_sample("testcard"), **args)
