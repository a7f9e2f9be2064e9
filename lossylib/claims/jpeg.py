"""Claims 1-5: the JPEG analogy, tested by re-saving real images.

The experiments run on 256 x 256 centre crops of three scikit-image photographs and the
synthetic test card, for 100 generations: a page-sized version of what the command line
does at any size. One shared set of runs (:func:`standard_runs`) feeds claims 1, 3 and 4;
the chapter draws its figures from the same runs.

Examples
--------
>>> from lossylib.claims import jpeg
>>> rows = jpeg.settling()
>>> all(r["fixed_point"] is not None for r in rows if r["setting"] in jpeg.SAME)
True
"""

from __future__ import annotations

import functools

import numpy as np

from .. import codecs
from .. import metrics as m
from ..generations import Run, recompress
from ..images import center_crop, load_sample, test_card_regions
from ..perturb import Perturbation, QualityJitter, Shift
from . import CAVEAT, DOES_NOT_HOLD, HOLDS, Verdict, claim

CHAPTER = "chapters/jpeg-generations"
SAMPLES = ("astronaut", "chelsea", "coffee", "testcard")
SIZE = 256
GENERATIONS = 100
QUALITY = 75

#: The settings compared throughout: label -> (subsampling, perturbation).
SETTINGS: dict[str, tuple[str | None, Perturbation | None]] = {
    "same settings, 4:2:0": (None, None),
    "same settings, 4:4:4": ("4:4:4", None),
    "shift 1 px a generation": (None, Shift(1)),
    "quality jitter 60-90": (None, QualityJitter(60, 90)),
}
SAME = ("same settings, 4:2:0", "same settings, 4:4:4")
#: Generations whose frames (and files) the standard runs keep, for the samples shown in
#: the chapter's explorable; the others keep only what the tables use.
KEEP = (0, 1, 2, 5, 10, 20, 50, GENERATIONS)
EXPLORED = ("astronaut", "testcard")
CHANGING = ("shift 1 px a generation", "quality jitter 60-90")


#: Where a sample's 256 x 256 crop starts (left, top), when not at the centre: the
#: astronaut's face sits above the centre of the photograph.
CROP_ORIGINS = {"astronaut": (110, 20)}


@functools.cache
def sample(name: str):
    """The page-sized version of a sample: a 256 x 256 crop (central unless listed in
    :data:`CROP_ORIGINS`)."""
    image = load_sample(name)
    if name in CROP_ORIGINS:
        left, top = CROP_ORIGINS[name]
        return image.crop((left, top, left + SIZE, top + SIZE))
    return center_crop(image, SIZE)


@functools.cache
def standard_run(name: str, setting: str) -> Run:
    """100 generations of one sample under one of :data:`SETTINGS` (cached)."""
    subsampling, perturbation = SETTINGS[setting]
    return recompress(
        sample(name),
        GENERATIONS,
        quality=QUALITY,
        subsampling=subsampling,
        perturb=perturbation,
        metrics={"psnr": 1, "change": 1, "ssim": 5},
        keep=KEEP if name in EXPLORED else (0, 1, GENERATIONS),
        seed=0,
    )


def standard_runs() -> dict[tuple[str, str], Run]:
    """Every sample under every setting: ``{(sample, setting): Run}``."""
    return {(s, k): standard_run(s, k) for s in SAMPLES for k in SETTINGS}


def describe_cycle(run: Run) -> str:
    """Where a run stopped changing: "gen 5", "2-cycle from gen 9" or "never"."""
    if run.cycle is None:
        return "never"
    period, start = run.cycle
    return f"gen {start}" if period == 1 else f"{period}-cycle from gen {start}"


def perturbation_table(name: str = "astronaut", generations: int = 50) -> list[dict]:
    """Every kind of change between saves, one at a time, on one sample."""
    from ..perturb import AlternateQuality, Crop, Resize, Rotate, Sharpen

    choices: list[Perturbation | None] = [
        None,
        Shift(1),
        Shift(8),
        QualityJitter(60, 90),
        AlternateQuality((70, 90)),
        Resize(0.9),
        Crop(3),
        Rotate(1.0),
        Sharpen(),
    ]
    rows = []
    for p in choices:
        run = recompress(
            sample(name), generations, quality=QUALITY, perturb=p, metrics=["psnr"], seed=0
        )
        rows.append(
            {
                "change between saves": p.name if p else "nothing (same settings)",
                "repeats from": describe_cycle(run),
                "psnr gen 1 (dB)": float(run.table["psnr"][1]),
                f"psnr gen {generations} (dB)": float(run.table["psnr"][-1]),
                f"kB gen 1 -> {generations}": (
                    f"{run.table['bytes'][1] / 1000:.1f} -> {run.table['bytes'][-1] / 1000:.1f}"
                ),
            }
        )
    return rows


@functools.cache
def codec_runs(name: str = "astronaut", generations: int = 40) -> dict[str, Run]:
    """Each available codec at quality 75 and the same settings every save."""
    return {
        codec: recompress(
            sample(name), generations, codec=codec, quality=QUALITY, metrics=["psnr"], seed=0
        )
        for codec in codecs.available_codecs()
    }


def settling() -> list[dict]:
    """Where each run settles and how much PSNR it lost on the way, per sample and setting."""
    rows = []
    for (s, k), run in standard_runs().items():
        psnr = run.table["psnr"]
        rows.append(
            {
                "sample": s,
                "setting": k,
                "fixed_point": run.fixed_point,
                "psnr_first": float(psnr[1]),
                "psnr_last": float(psnr[-1]),
                # Means over the first and last 10 generations: one file's size depends on
                # the quality drawn for it, when the quality is random.
                "bytes_first": float(np.mean(run.table["bytes"][1:11])),
                "bytes_last": float(np.mean(run.table["bytes"][-10:])),
            }
        )
    return rows


def settling_summary() -> dict:
    """The numbers the chapter quotes about settling and about changing settings."""
    rows = settling()
    same = [r for r in rows if r["setting"] in SAME]
    changing = [r for r in rows if r["setting"] in CHANGING]
    return {
        "generations": GENERATIONS,
        "latest_fixed_point": max(r["fixed_point"] for r in same),
        "earliest_fixed_point": min(r["fixed_point"] for r in same),
        "same_max_loss": max(r["psnr_first"] - r["psnr_last"] for r in same),
        "changing_worst": min(r["psnr_last"] for r in changing),
        "changing_best": max(r["psnr_last"] for r in changing),
    }


def edge_fate() -> list[dict]:
    """What becomes of edges: contrast across the test card's real edges, and the share
    of high-frequency energy (a smear lowers it; blocking and ringing raise it)."""
    edges = test_card_regions(SIZE)["checker_edges"]
    rows = []
    for k in SETTINGS:
        run = standard_run("testcard", k)
        first, last = run.frames[1], run.frames[GENERATIONS]
        rows.append(
            {
                "setting": k,
                "edge_contrast_0": m.edge_energy(run.frames[0], edges),
                "edge_contrast_first": m.edge_energy(first, edges),
                "edge_contrast_last": m.edge_energy(last, edges),
                "hf_0": m.high_frequency_energy(run.frames[0]),
                "hf_last": m.high_frequency_energy(last),
            }
        )
    for s in SAMPLES[:3]:
        for k in SETTINGS:
            run = standard_run(s, k)
            rows.append(
                {
                    "setting": k,
                    "sample": s,
                    "hf_0": m.high_frequency_energy(run.frames[0]),
                    "hf_last": m.high_frequency_energy(run.frames[GENERATIONS]),
                }
            )
    return rows


@functools.cache
def red_runs(generations: int = 50) -> dict[tuple[str, str], Run]:
    """The test card re-saved ``generations`` times per chroma subsampling and setting."""
    out = {}
    for subsampling in (None, "4:4:4"):
        for label, perturbation in (("same settings", None), ("shift 1 px", Shift(1))):
            out[subsampling or "4:2:0", label] = recompress(
                sample("testcard"),
                generations,
                quality=QUALITY,
                subsampling=subsampling,
                perturb=perturbation,
                metrics=["psnr"],
                keep=(0, generations),
            )
    return out


def red_fade(generations: int = 50) -> list[dict]:
    """Lightness, chroma and hue of the test card's thin red lines and solid red block,
    at generation 0 and after ``generations`` saves, per chroma subsampling and setting.

    Orange would show as the hue angle rising from red (about 35 degrees here) toward
    55-70 degrees; fading as chroma falling.
    """
    regions = test_card_regions(SIZE)
    rows = []
    for (subsampling, label), run in red_runs(generations).items():
        for region in ("thin_red", "solid_red"):
            before = m.red_chroma(run.frames[0], regions[region])
            after = m.red_chroma(run.frames[generations], regions[region])
            rows.append(
                {
                    "subsampling": subsampling,
                    "setting": label,
                    "region": region,
                    **{f"{k}_0": v for k, v in before.items()},
                    **{f"{k}_last": v for k, v in after.items()},
                }
            )
    return rows


def red_zoom_figure(generations: int = 50, box=(0, 4, 64, 36), zoom: int = 8):
    """The thin red lines, zoomed: original, 4:2:0 and 4:4:4 after ``generations`` saves."""
    from .. import plots

    runs = red_runs(generations)
    x0, y0, x1, y1 = box
    picks = [
        ("original", runs["4:2:0", "same settings"].frames[0]),
        (f"4:2:0, gen {generations}", runs["4:2:0", "same settings"].frames[generations]),
        (f"4:4:4, gen {generations}", runs["4:4:4", "same settings"].frames[generations]),
    ]
    crops = []
    for _, im in picks:
        arr = np.asarray(im)[y0:y1, x0:x1]
        crops.append(np.repeat(np.repeat(arr, zoom, axis=0), zoom, axis=1))
    return plots.image_grid(crops, [label for label, _ in picks], width=9)


@functools.cache
def resave_higher(low: int = 70, high: int = 90) -> list[dict]:
    """Save once at quality ``low``, then re-save that at ``high``: bigger, and better?"""
    rows = []
    for s in SAMPLES:
        original = sample(s)
        once, data_low = codecs.roundtrip(original, "jpeg", low)
        again, data_high = codecs.roundtrip(once, "jpeg", high)
        direct, data_direct = codecs.roundtrip(original, "jpeg", high)
        rows.append(
            {
                "sample": s,
                "bytes_low": len(data_low),
                "bytes_resaved": len(data_high),
                "psnr_low": m.psnr(original, once),
                "psnr_resaved": m.psnr(original, again),
                "bytes_direct_high": len(data_direct),
                "psnr_direct_high": m.psnr(original, direct),
            }
        )
    return rows


def codec_drift() -> list[dict]:
    """Per lossy codec, at the same settings: did it settle, what did PSNR and size do?"""
    rows = []
    for codec, run in codec_runs().items():
        if codec == "png":
            continue
        rows.append(
            {
                "codec": codec,
                "fixed_point": run.fixed_point,
                "psnr_loss_after_gen1": float(run.table["psnr"][1] - run.table["psnr"][-1]),
                "size_change": float(run.table["bytes"][-1] / run.table["bytes"][1] - 1),
            }
        )
    return rows


#: A hue rise of more than this many degrees (CIELAB) counts as a move toward orange:
#: more than half the way from the test card's red (~35 degrees) to pure orange (~60).
ORANGE_RISE = 15.0


def orange_hue() -> float:
    """The CIELAB hue angle of pure orange (RGB 255, 128, 0), in degrees."""
    swatch = np.full((1, 1, 3), (255, 128, 0), np.uint8)
    return m.red_chroma(swatch, np.ones((1, 1), bool))["hue"]


@claim(1, "Every re-save adds new artifacts; enough generations leave a smear.", CHAPTER)
def claim_1() -> Verdict:
    rows = settling()
    same = [r for r in rows if r["setting"] in SAME]
    changing = [r for r in rows if r["setting"] in CHANGING]
    settled = [r["fixed_point"] for r in same if r["fixed_point"] is not None]
    same_loss = max(r["psnr_first"] - r["psnr_last"] for r in same)
    changing_loss = min(r["psnr_first"] - r["psnr_last"] for r in changing)
    drifting = [r["codec"] for r in codec_drift() if r["fixed_point"] is None]
    all_settle = len(settled) == len(same)
    evidence = {
        "jpeg_runs_at_same_settings": len(same),
        "jpeg_runs_that_settled": len(settled),
        "latest_fixed_point": max(settled) if settled else None,
        "max_psnr_loss_after_gen1_same_db": same_loss,
        "min_psnr_loss_after_gen1_changing_db": changing_loss,
        "codecs_still_drifting_at_same_settings": ", ".join(drifting) or "none",
    }
    if not all_settle and same_loss > 3:
        return Verdict(
            HOLDS,
            evidence,
            f"{len(same) - len(settled)} of {len(same)} JPEG runs at the same settings never "
            f"settled, and they lost up to {same_loss:.1f} dB after the first save.",
        )
    if changing_loss < 3:
        return Verdict(
            DOES_NOT_HOLD,
            evidence,
            f"{len(settled)} of {len(same)} JPEG runs at the same settings settled, and even "
            f"with changes between saves some lost only {changing_loss:.1f} dB.",
        )
    others = f" Codecs that had not settled: {evidence['codecs_still_drifting_at_same_settings']}."
    return Verdict(
        CAVEAT,
        evidence,
        f"{len(settled)} of {len(same)} JPEG runs at the same settings reached a fixed point "
        f"(the last by generation {evidence['latest_fixed_point']}), losing at most "
        f"{same_loss:.1f} dB after the first save. Loss goes on when something changes "
        f"between saves: every such run lost at least {changing_loss:.1f} dB more over "
        f"{GENERATIONS} generations.{others if drifting else ''}",
    )


@claim(2, "Bright reds fade to orange.", CHAPTER)
def claim_2() -> Verdict:
    rows = red_fade()

    def pick(region: str, subsampling: str) -> dict:
        return next(
            r
            for r in rows
            if r["region"] == region
            and r["subsampling"] == subsampling
            and r["setting"] == "same settings"
        )

    thin_420 = pick("thin_red", "4:2:0")
    thin_444 = pick("thin_red", "4:4:4")
    solid_420 = pick("solid_red", "4:2:0")
    max_hue_rise = max(r["hue_last"] - r["hue_0"] for r in rows)
    max_hue_fall = max(r["hue_0"] - r["hue_last"] for r in rows)
    thin_loss = 1 - thin_420["chroma_last"] / thin_420["chroma_0"]
    to_orange = orange_hue() - thin_420["hue_0"]
    evidence = {
        "red_hue_deg": thin_420["hue_0"],
        "orange_distance_deg": to_orange,
        "largest_hue_rise_deg": max_hue_rise,
        "largest_hue_fall_deg": max_hue_fall,
        "thin_red_hue_change_420_deg": thin_420["hue_last"] - thin_420["hue_0"],
        "thin_red_chroma_loss_420": thin_loss,
        "thin_red_chroma_loss_444": 1 - thin_444["chroma_last"] / thin_444["chroma_0"],
        "thin_red_lightness_change_420": thin_420["lightness_last"] - thin_420["lightness_0"],
        "solid_red_chroma_loss_420": 1 - solid_420["chroma_last"] / solid_420["chroma_0"],
    }
    if max_hue_rise > ORANGE_RISE:
        return Verdict(
            HOLDS,
            evidence,
            f"Red moved toward orange: its hue angle rose by up to {max_hue_rise:.0f} degrees "
            f"of the {to_orange:.0f} that separate it from orange.",
        )
    return Verdict(
        DOES_NOT_HOLD,
        evidence,
        f"No red moved toward orange, which lies {to_orange:.0f} degrees of hue away: the "
        f"largest rise was {max_hue_rise:.1f} degrees, and the largest change went the "
        f"other way ({max_hue_fall:.0f} degrees, toward magenta). Thin red lines lost "
        f"{thin_loss:.0%} of their chroma with 4:2:0 chroma subsampling and "
        f"{evidence['thin_red_chroma_loss_444']:.0%} with 4:4:4; the solid red area lost "
        f"{evidence['solid_red_chroma_loss_420']:.0%}.",
    )


@claim(3, "Sharp edges blur into gradients.", CHAPTER)
def claim_3() -> Verdict:
    rows = edge_fate()
    card = {r["setting"]: r for r in rows if "sample" not in r}
    same_loss = max(1 - card[k]["edge_contrast_last"] / card[k]["edge_contrast_0"] for k in SAME)
    changing_loss = max(
        1 - card[k]["edge_contrast_last"] / card[k]["edge_contrast_0"] for k in CHANGING
    )
    changing = [r for r in rows if r["setting"] in CHANGING]
    hf_rose = sum(r["hf_last"] > r["hf_0"] for r in changing)
    evidence = {
        "edge_contrast_loss_same_settings": same_loss,
        "edge_contrast_loss_changing": changing_loss,
        "changing_runs_with_more_high_frequency": hf_rose,
        "changing_runs": len(changing),
    }
    if changing_loss < 0.1:
        return Verdict(
            DOES_NOT_HOLD,
            evidence,
            f"Edges kept their contrast: the largest loss on the test card was "
            f"{changing_loss:.0%}, even with changes between saves.",
        )
    if hf_rose == 0:
        return Verdict(
            HOLDS,
            evidence,
            f"Real edges lost up to {changing_loss:.0%} of their contrast and the share of "
            f"high-frequency energy fell in every run with changes between saves: a blur.",
        )
    detail = (
        f"Real edges lost up to {changing_loss:.0%} of their contrast when settings changed "
        f"between saves (at most {same_loss:.0%} at the same settings), but the share of "
        f"high-frequency energy rose in {hf_rose} of {len(changing)} such runs"
    )
    if hf_rose > len(changing) / 2:
        return Verdict(
            DOES_NOT_HOLD,
            evidence,
            detail + ": blocking and ringing replace edges with new ones; a blur would lower "
            "that share.",
        )
    return Verdict(CAVEAT, evidence, detail + ": blurring in some runs, new edges in others.")


@claim(4, "The file shrinks as the picture suffers.", CHAPTER)
def claim_4() -> Verdict:
    rows = settling()
    same = [r for r in rows if r["setting"] in SAME]
    changing = [r for r in rows if r["setting"] in CHANGING]
    same_change = max(abs(r["bytes_last"] / r["bytes_first"] - 1) for r in same)
    grew = sum(r["bytes_last"] > r["bytes_first"] for r in changing)
    biggest = max(r["bytes_last"] / r["bytes_first"] - 1 for r in changing)
    shrank = sum(r["bytes_last"] < 0.9 * r["bytes_first"] for r in changing)
    others = [
        r for r in codec_drift() if r["size_change"] < -0.03 and r["psnr_loss_after_gen1"] > 0.5
    ]
    other_text = ", ".join(
        f"{r['codec']} {r['size_change']:+.0%} for {r['psnr_loss_after_gen1']:.1f} dB"
        for r in others
    )
    evidence = {
        "jpeg_max_size_change_same_settings": same_change,
        "jpeg_changing_runs_that_grew": grew,
        "jpeg_changing_runs_that_shrank_over_10pct": shrank,
        "jpeg_changing_runs": len(changing),
        "jpeg_largest_growth_changing": biggest,
        "other_codecs_that_shrank": other_text or "none",
    }
    exception = f" Other codecs did shrink as they drifted ({other_text})." if others else ""
    if shrank > len(changing) / 2:
        return Verdict(
            HOLDS,
            evidence,
            f"As the picture degraded, the JPEG file shrank by over 10% in {shrank} of "
            f"{len(changing)} runs.",
        )
    if grew > len(changing) / 2:
        return Verdict(
            DOES_NOT_HOLD,
            evidence,
            f"Not for JPEG: while the picture kept degrading, the file grew in {grew} of "
            f"{len(changing)} runs (by up to {biggest:.0%}), because artifacts cost bytes; "
            f"at the same settings its size changed by at most {same_change:.1%}." + exception,
        )
    return Verdict(
        CAVEAT,
        evidence,
        f"Mixed: the JPEG file grew in {grew} and shrank by over 10% in {shrank} of "
        f"{len(changing)} runs with changes between saves." + exception,
    )


@claim(5, "What is lost cannot be recovered by saving again, even at a higher quality.", CHAPTER)
def claim_5() -> Verdict:
    rows = resave_higher()
    no_better = sum(r["psnr_resaved"] <= r["psnr_low"] + 0.05 for r in rows)
    bigger = sum(r["bytes_resaved"] > r["bytes_low"] for r in rows)
    gain = max(r["psnr_resaved"] - r["psnr_low"] for r in rows)
    growth = min(r["bytes_resaved"] / r["bytes_low"] for r in rows) - 1
    evidence = {
        "samples": len(rows),
        "resaves_no_better": no_better,
        "resaves_bigger": bigger,
        "best_psnr_gain_db": gain,
        "smallest_size_growth": growth,
    }
    if no_better == len(rows):
        return Verdict(
            HOLDS,
            evidence,
            f"Re-saving a quality-70 file at quality 90 made {bigger} of {len(rows)} files "
            f"bigger (by at least {growth:.0%}) and none closer to the original (best change "
            f"{gain:+.2f} dB).",
        )
    return Verdict(
        CAVEAT,
        evidence,
        f"Re-saving at quality 90 brought {len(rows) - no_better} of {len(rows)} files "
        f"closer to the original, by up to {gain:+.2f} dB.",
    )
