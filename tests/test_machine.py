"""The machine's cores and memory, as the default --jobs reads them (lossylib.machine)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from lossylib import batch, machine
from lossylib.__main__ import main
from lossylib.images import MAX_PIXELS, center_crop, load_sample

GB = 10**9


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"cpu.max": "max 100000\n"}, None),
        ({"cpu.max": "200000 100000\n"}, 2),
        ({"cpu.max": "150000 100000\n"}, 2),  # 1.5 CPUs: two processes keep it busy
        ({"cpu.max": "50000 100000\n"}, 1),
        ({"cpu.max": "nonsense\n"}, None),
        ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),
        ({"cpu/cpu.cfs_quota_us": "400000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 4),
        ({}, None),
    ],
)
def test_cgroup_cpu_quota(files, expected, tmp_path):
    """As a container sees its cgroups: at the top of /sys/fs/cgroup."""
    root = _write(tmp_path / "cgroup", files)
    assert machine.cgroup_cpu_quota(root, tmp_path / "no-such-file") == expected


@pytest.mark.parametrize(
    ("membership", "files", "expected"),
    [
        # cgroup v2, a process in a nested cgroup: the tightest quota on the way up counts
        # (a systemd slice of 2 CPUs above a job of 3), not only the top's (none).
        (
            "0::/user.slice/job\n",
            {
                "user.slice/job/cpu.max": "300000 100000\n",
                "user.slice/cpu.max": "200000 100000\n",
                "cpu.max": "max 100000\n",
            },
            2,
        ),
        # cgroup v1, as a hybrid system lists it: the cpu line's path, in the cpu hierarchy.
        (
            "4:memory:/m\n2:cpu,cpuacct:/batch/job7\n0::/\n",
            {
                "cpu/batch/job7/cpu.cfs_quota_us": "150000\n",
                "cpu/batch/job7/cpu.cfs_period_us": "100000\n",
                "cpu/batch/cpu.cfs_quota_us": "-1\n",
                "cpu/batch/cpu.cfs_period_us": "100000\n",
                "memory/m/cpu.cfs_quota_us": "100000\n",  # not the cpu hierarchy
                "memory/m/cpu.cfs_period_us": "100000\n",
            },
            2,
        ),
        # A container without its own cgroup namespace: its path is not in its view of
        # /sys/fs/cgroup, whose top is its own cgroup.
        ("0::/docker/abc\n", {"cpu.max": "100000 100000\n"}, 1),
        # No cpu controller named, and no v2 line: no quota known.
        ("4:memory:/m\n", {"cpu.max": "100000 100000\n"}, None),
    ],
)
def test_cgroup_cpu_quota_in_the_process_cgroup(membership, files, expected, tmp_path):
    root = _write(tmp_path / "cgroup", files)
    (tmp_path / "membership").write_text(membership)
    assert machine.cgroup_cpu_quota(root, tmp_path / "membership") == expected


def test_usable_cores_is_capped_by_a_quota(tmp_path):
    """In a container the affinity lists every core of the machine; the quota is what
    the default --jobs should follow (a Binder session: 1 CPU of a 16-core node)."""
    membership = tmp_path / "membership"
    membership.write_text("0::/session\n")
    free = machine.usable_cores(tmp_path, membership)  # no quota files
    assert free >= 1
    (tmp_path / "cpu.max").write_text("100000 100000\n")
    assert machine.usable_cores(tmp_path, membership) == 1
    (tmp_path / "cpu.max").write_text(f"{100000 * (free + 5)} 100000\n")
    assert machine.usable_cores(tmp_path, membership) == free  # above the affinity: that


MEMINFO = "MemTotal:       24000000 kB\nMemFree:  1000 kB\nMemAvailable:   20000000 kB\n"


@pytest.mark.parametrize(
    ("cgroup", "meminfo", "expected"),
    [
        # No container limit: the system's MemAvailable (kB).
        ({"memory.max": "max\n", "memory.current": "5\n"}, MEMINFO, 20_480_000_000),
        ({}, MEMINFO, 20_480_000_000),
        # A Binder-like limit of 2 GB with 0.5 GB in use: 1.5 GB left.
        ({"memory.max": "2000000000\n", "memory.current": "500000000\n"}, MEMINFO, 15 * 10**8),
        # cgroup v1.
        (
            {
                "memory/memory.limit_in_bytes": "3000000000\n",
                "memory/memory.usage_in_bytes": "1000000000\n",
            },
            MEMINFO,
            2 * GB,
        ),
        # The limit is the tighter of the two, whichever it is.
        ({"memory.max": str(10**12), "memory.current": "0"}, MEMINFO, 20_480_000_000),
        # Over the limit already: nothing left, not a negative number.
        ({"memory.max": "100\n", "memory.current": "200\n"}, MEMINFO, 0),
        # No /proc/meminfo (another system): the cgroup alone, else nothing known.
        ({"memory.max": "2000000000\n", "memory.current": "0\n"}, None, 2 * GB),
        ({}, None, None),
        ({"memory.max": "garbage\n"}, "MemAvailable: lots\n", None),
    ],
)
def test_available_memory(cgroup, meminfo, expected, tmp_path):
    """As a container sees its cgroups: at the top of /sys/fs/cgroup."""
    root = _write(tmp_path / "cgroup", cgroup) if cgroup else tmp_path / "none"
    info = tmp_path / "meminfo"
    if meminfo is not None:
        info.write_text(meminfo)
    no_membership = tmp_path / "no-such-file"
    assert machine.available_memory(root, info, no_membership) == expected


@pytest.mark.parametrize(
    ("membership", "files", "expected"),
    [
        # cgroup v2, a process in a nested cgroup: the tightest limit on the way up counts
        # (here the parent's: 3 GB - 2 GB used), not the top's (none).
        (
            "0::/user.slice/job\n",
            {
                "user.slice/job/memory.max": "max\n",
                "user.slice/job/memory.current": "500000000\n",
                "user.slice/memory.max": "3000000000\n",
                "user.slice/memory.current": "2000000000\n",
                "memory.current": "9000000000\n",  # the top has no memory.max
            },
            1 * GB,
        ),
        # The file cache the kernel drops first is not counted as used (inactive_file).
        (
            "0::/box\n",
            {
                "box/memory.max": "2000000000\n",
                "box/memory.current": "1900000000\n",
                "box/memory.stat": "anon 400000000\ninactive_file 1400000000\n",
            },
            1_500_000_000,
        ),
        # cgroup v1 (this is how a hybrid system lists it): the memory line's path, in the
        # memory hierarchy; total_inactive_file counts the cgroups below too.
        (
            "12:pids:/\n4:memory:/process_api/abc\n0::/\n",
            {
                "memory/process_api/abc/memory.limit_in_bytes": "2500000000\n",
                "memory/process_api/abc/memory.usage_in_bytes": "1000000000\n",
                "memory/process_api/abc/memory.stat": (
                    "inactive_file 1\ntotal_inactive_file 500000000\n"
                ),
                "memory/memory.limit_in_bytes": "9223372036854771712\n",
                "memory/memory.usage_in_bytes": "5000000000\n",
            },
            2 * GB,
        ),
        # A membership file that names no memory controller: only MemAvailable.
        ("3:cpu:/x\nnot a cgroup line\n", {}, 20_480_000_000),
    ],
)
def test_available_memory_in_the_process_cgroup(membership, files, expected, tmp_path):
    root = _write(tmp_path / "cgroup", files)
    (tmp_path / "meminfo").write_text(MEMINFO)
    (tmp_path / "membership").write_text(membership)
    found = machine.available_memory(root, tmp_path / "meminfo", tmp_path / "membership")
    assert found == expected


def test_available_memory_on_this_machine():
    free = machine.available_memory()
    assert free is None or 0 <= free < 2**50


@given(
    cores=st.integers(1, 256),
    images=st.integers(1, 10_000),
    per_image=st.integers(1, 10 * GB),
    available=st.one_of(st.none(), st.integers(0, 10**12)),
)
def test_default_jobs_fits_cores_images_and_memory(cores, images, per_image, available):
    jobs = machine.default_jobs(cores, images, per_image, available)
    assert 1 <= jobs <= min(cores, images)
    if available is None:
        assert jobs == min(cores, images)
    elif jobs > 1:  # one image always runs, even if it may not fit: its run says if not
        assert jobs * per_image <= machine.HEADROOM * available
        # and no more could have run in that memory
        more = jobs + 1
        assert more > min(cores, images) or more * per_image > machine.HEADROOM * available


def test_memory_per_image_grows_with_the_image():
    sizes = [0, 64 * 64, 3_000_000, 12_000_000, MAX_PIXELS]
    needs = [machine.memory_per_image(p) for p in sizes]
    assert needs == sorted(needs) and len(set(needs)) == len(needs)
    # The measured peaks it must cover (see machine.BYTES_PER_PIXEL): a second worker took
    # 0.26 GB of a memory cgroup at 12 MP; workers' proportional sets were 0.41 GB at 24 MP.
    assert machine.memory_per_image(12_000_000) >= 0.26 * GB
    assert machine.memory_per_image(24_000_000) >= 0.41 * GB


def _png_header_claiming(path: Path, width: int, height: int) -> Path:
    """A small PNG whose header is changed to claim width x height: Pillow reads the size
    from the header without decoding the (far too short) pixel data."""
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    data[16:24] = struct.pack(">II", width, height)  # IHDR's first fields
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))  # its checksum
    path.write_bytes(bytes(data))
    return path


def test_largest_image_reads_headers_and_skips_what_it_cannot_read(tmp_path):
    Image.new("RGB", (30, 20)).save(tmp_path / "small.png")
    Image.new("RGB", (300, 200)).save(tmp_path / "large.jpg")
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (tmp_path / "notes.txt").write_text("not an image")
    claimed = _png_header_claiming(tmp_path / "claims.png", 2000, 1000)
    with Image.open(claimed) as im:  # the header is read, the pixels never are
        assert im.size == (2000, 1000)
    bomb = _png_header_claiming(tmp_path / "bomb.png", 100_000, 100_000)
    paths = [tmp_path / n for n in ("small.png", "large.jpg", "broken.jpg", "notes.txt")]
    assert machine.largest_image(paths) == 300 * 200
    assert machine.largest_image([*paths, claimed]) == 2000 * 1000
    # Above the limit of images.MAX_PIXELS (refused before decoding): not counted.
    assert machine.largest_image([*paths, bomb, tmp_path / "missing.png"]) == 300 * 200
    assert machine.largest_image([]) == 0


def _folder(root: Path, count: int = 3) -> Path:
    root.mkdir()
    for i in range(count):
        center_crop(load_sample("coffee"), 48 + 8 * i).save(root / f"photo{i}.png")
    return root


@pytest.fixture
def spy_jobs(monkeypatch):
    """The jobs the command line passes to batch.run_many (which then really runs)."""
    seen: list[int] = []
    real = batch.run_many

    def spy(items, tmp, options, jobs=1, *args, **kwargs):
        seen.append(jobs)
        return real(items, tmp, options, jobs, *args, **kwargs)

    monkeypatch.setattr(batch, "run_many", spy)
    return seen


def test_default_jobs_of_the_command_follow_the_memory(tmp_path, monkeypatch, capsys, spy_jobs):
    """A Binder-like session: 4 cores, memory for one image at a time."""
    folder = _folder(tmp_path / "photos")
    monkeypatch.setattr(machine, "usable_cores", lambda: 4)
    per_image = machine.memory_per_image(64 * 64)
    monkeypatch.setattr(machine, "available_memory", lambda: int(1.5 * per_image))
    code = main(["generations", str(folder), "-n", "2", "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 0
    assert spy_jobs == [1]
    lines = [line for line in err.splitlines() if line.startswith("lossy:")]
    assert lines == [
        f"lossy: running 1 image at a time, not 3: the largest may need "
        f"{per_image / 1e9:.1f} GB and {1.5 * per_image / 1e9:.1f} GB is free "
        f"(--jobs sets the number)"
    ]
    assert (tmp_path / "out" / "summary.csv").exists()


@pytest.mark.parametrize(
    ("args", "free", "jobs", "message"),
    [
        (["--quiet"], 1.5, 1, False),  # --quiet: the same choice, said nowhere
        (["--jobs", "2"], 1.5, 2, False),  # an explicit --jobs is taken as given
        ([], 100.0, 3, False),  # memory enough: one image per core, at most one per image
        ([], None, 3, False),  # memory unknown: no cap
    ],
)
def test_default_jobs_of_the_command_otherwise(
    args, free, jobs, message, tmp_path, monkeypatch, capsys, spy_jobs
):
    folder = _folder(tmp_path / "photos")
    monkeypatch.setattr(machine, "usable_cores", lambda: 4)
    per_image = machine.memory_per_image(64 * 64)
    monkeypatch.setattr(
        machine, "available_memory", lambda: None if free is None else int(free * per_image)
    )
    code = main(["generations", str(folder), "-n", "2", "-o", str(tmp_path / "out"), *args])
    assert code == 0
    assert spy_jobs == [jobs]
    assert ("at a time" in capsys.readouterr().err) == message


def test_a_photo_that_may_not_fit_even_alone_is_warned_about_first(tmp_path, monkeypatch, capsys):
    """One line before any computing, and the run still goes ahead (the estimate is an
    upper bound): if the system then stops it, the reader knows why."""
    photo = tmp_path / "photo.png"
    center_crop(load_sample("coffee"), 64).save(photo)
    need = machine.memory_per_image(64 * 64)
    monkeypatch.setattr(machine, "available_memory", lambda: need // 2)
    code = main(["generations", str(photo), "-n", "2", "--quiet", "-o", str(tmp_path / "o")])
    assert code == 0
    assert (tmp_path / "o" / "metrics.csv").exists()
    assert capsys.readouterr().err.splitlines() == [
        f"lossy: warning: photo.png may need about {need / 1e9:.1f} GB of memory and "
        f"{need // 2 / 1e9:.1f} GB is free; the system may stop the run (try a smaller copy "
        f"of the image)"
    ]


@pytest.mark.parametrize("jobs", [[], ["--jobs", "2"]])
def test_a_batch_that_may_not_fit_is_warned_about_once(jobs, tmp_path, monkeypatch, capsys):
    folder = _folder(tmp_path / "photos")
    monkeypatch.setattr(machine, "usable_cores", lambda: 4)
    monkeypatch.setattr(machine, "available_memory", lambda: 1000)
    code = main(["generations", str(folder), "-n", "2", "-o", str(tmp_path / "out"), *jobs])
    assert code == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("lossy")]
    assert len(lines) == 1  # the warning, not also the note about --jobs
    assert lines[0].startswith("lossy: warning: the largest image may need about 0.1 GB")


def test_no_memory_warning_when_memory_is_plenty_or_unknown(tmp_path, monkeypatch, capsys):
    photo = tmp_path / "photo.png"
    center_crop(load_sample("coffee"), 64).save(photo)
    for i, free in enumerate([100 * GB, None]):
        monkeypatch.setattr(machine, "available_memory", lambda free=free: free)
        out = tmp_path / f"o{i}"
        assert main(["generations", str(photo), "-n", "2", "--quiet", "-o", str(out)]) == 0
        assert capsys.readouterr().err == ""
