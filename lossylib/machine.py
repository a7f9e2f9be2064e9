"""What this machine (or container) lets a batch run use: cores and memory.

The command line's default ``--jobs`` is one image per usable core, fewer when the
images would not fit in memory side by side. Containers matter here: a Binder session
sees every core and all the memory of its node, while its cgroup allows it about one
CPU and 2 GB; this module reads the cgroup's limits (v2, else v1) as well.

Examples
--------
>>> per_image = memory_per_image(12_000_000)  # a 12-megapixel phone photo
>>> round(per_image / 1e9, 2)
0.32
>>> default_jobs(cores=8, images=20, per_image=per_image, available=2 * 10**9)
4
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

#: Memory a worker process needs for one image, per pixel of the image, and
#: :data:`WORKER_BASE` besides. Measured with the default command, 5 generations, in a
#: v1 memory cgroup with the page cache dropped first: four 12 MP photos peaked at 0.70 GB
#: with ``--jobs 1`` and 0.96 GB with ``--jobs 2``, so a second worker took 0.26 GB; the
#: workers' proportional set sizes (``make bench``) were 0.24 GB each at 12 MP and 0.41 GB
#: at 24 MP: about 90 MB + 14 bytes a pixel. These constants plan 25-30% more.
BYTES_PER_PIXEL = 18

#: A forked worker's own memory besides the image's: the pages it writes of what it
#: shares with the process that started it, and the outputs' figures.
WORKER_BASE = 100 * 2**20

#: The share of the available memory the default ``--jobs`` plans to use.
HEADROOM = 0.8

CGROUP = Path("/sys/fs/cgroup")
MEMINFO = Path("/proc/meminfo")
MEMBERSHIP = Path("/proc/self/cgroup")


def usable_cores(cgroup: Path = CGROUP, membership: Path = MEMBERSHIP) -> int:
    """How many cores this process may keep busy: its CPU affinity (else the machine's
    count), capped by the CPU quotas over it (Binder, Docker and Kubernetes set one, and
    the affinity still lists every core of the machine).

    Examples
    --------
    >>> usable_cores() >= 1
    True
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    quota = cgroup_cpu_quota(cgroup, membership)
    return max(1, min(cores, quota)) if quota else cores


def cgroup_cpu_quota(cgroup: Path = CGROUP, membership: Path = MEMBERSHIP) -> int | None:
    """Whole CPUs (rounded up) that the tightest CPU quota over this process allows, or
    None without a quota.

    The quotas of this process's cgroup and of every cgroup above it, as for
    :func:`available_memory`: cgroup v2's ``cpu.max`` ("200000 100000": 2 CPUs; "max
    100000": no quota), or cgroup v1's ``cpu.cfs_quota_us`` over ``cpu.cfs_period_us`` in
    the ``cpu`` hierarchy (-1: no quota).

    Examples
    --------
    >>> quota = cgroup_cpu_quota()
    >>> quota is None or quota >= 1
    True
    """
    quotas = [_cpu_quota(folder, v) for folder, v in _own_cgroups("cpu", cgroup, membership)]
    known = [q for q in quotas if q is not None]
    return min(known) if known else None


def _cpu_quota(folder: Path, version: int) -> int | None:
    try:
        if version == 2:
            quota, period = (folder / "cpu.max").read_text().split()[:2]
            if quota == "max":
                return None
        else:
            quota = (folder / "cpu.cfs_quota_us").read_text()
            period = (folder / "cpu.cfs_period_us").read_text()
        quota, period = int(quota), int(period)
    except (OSError, ValueError):
        return None
    return max(1, math.ceil(quota / period)) if quota > 0 and period > 0 else None


def _own_cgroups(controller: str, cgroup: Path, membership: Path) -> list[tuple[Path, int]]:
    """(folder, cgroup version) of this process's cgroup for ``controller`` and of every
    cgroup above it, from lines such as ``0::/user.slice/x`` (v2) or ``4:memory:/docker/abc``
    (v1, in ``cgroup/controller``) in ``membership``; without it, the top of each (what a
    container sees)."""
    try:
        lines = membership.read_text().splitlines()
    except OSError:
        return [(cgroup, 2), (cgroup / controller, 1)]
    found = []
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        number, controllers, path = parts
        if number == "0" and not controllers:
            base, version = cgroup, 2
        elif controller in controllers.split(","):
            base, version = cgroup / controller, 1
        else:
            continue
        inner = PurePosixPath(path)
        for level in (inner, *inner.parents):
            found.append((base / str(level).lstrip("/"), version))
    return found


#: A cgroup's memory limit and use: (v2 files, v1 files).
_V2 = ("memory.max", "memory.current")
_V1 = ("memory.limit_in_bytes", "memory.usage_in_bytes")


def available_memory(
    cgroup: Path = CGROUP, meminfo: Path = MEMINFO, membership: Path = MEMBERSHIP
) -> int | None:
    """Bytes of memory this process can still use, or None if nothing says.

    The system's ``MemAvailable`` (``/proc/meminfo``), capped by what the memory limits of
    this process's cgroup and of every cgroup above it leave: cgroup v2's ``memory.max``
    minus ``memory.current``, or cgroup v1's ``memory.limit_in_bytes`` minus
    ``memory.usage_in_bytes``. Which cgroups those are is read from ``membership``
    (``/proc/self/cgroup``); without it, the top of ``cgroup`` (what a container sees).

    Examples
    --------
    >>> free = available_memory()
    >>> free is None or free >= 0
    True
    """
    left = [_meminfo_available(meminfo)]
    for folder, version in _own_cgroups("memory", cgroup, membership):
        limit_file, usage_file = _V2 if version == 2 else _V1
        left.append(_memory_left(folder / limit_file, folder / usage_file))
    known = [v for v in left if v is not None]
    return max(0, min(known)) if known else None


def _meminfo_available(meminfo: Path) -> int | None:
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    return None


def _memory_left(limit_file: Path, usage_file: Path) -> int | None:
    """A cgroup's limit minus its use; the use without the file cache the kernel would
    drop first (``inactive_file`` in ``memory.stat``), as ``docker stats`` counts it."""
    try:
        limit = limit_file.read_text().strip()
        if limit == "max":
            return None
        used = int(usage_file.read_text())
        return int(limit) - max(0, used - _inactive_file(limit_file.parent / "memory.stat"))
    except (OSError, ValueError):
        return None


def _inactive_file(stat: Path) -> int:
    """The cgroup's inactive file cache, below it included: ``total_inactive_file`` in
    cgroup v1 (its ``inactive_file`` leaves out the cgroups below), ``inactive_file`` in
    v2; 0 if unknown."""
    try:
        fields = dict(line.split(" ", 1) for line in stat.read_text().splitlines())
        return int(fields.get("total_inactive_file", fields.get("inactive_file", 0)))
    except (OSError, ValueError):
        return 0


def memory_per_image(pixels: int) -> int:
    """Bytes a worker process may need for an image of ``pixels`` pixels (an upper bound
    measured on the default command; see :data:`BYTES_PER_PIXEL`).

    Examples
    --------
    >>> memory_per_image(24_000_000) > memory_per_image(12_000_000)
    True
    """
    return WORKER_BASE + BYTES_PER_PIXEL * max(0, int(pixels))


def default_jobs(cores: int, images: int, per_image: int, available: int | None) -> int:
    """Images to run at a time: one per core, no more than there are images, and only as
    many as fit in :data:`HEADROOM` of the ``available`` memory (unknown: no cap).
    Always at least 1.

    Examples
    --------
    >>> default_jobs(cores=4, images=2, per_image=10**9, available=None)
    2
    >>> default_jobs(cores=4, images=10, per_image=10**9, available=10**9)
    1
    """
    jobs = max(1, min(cores, images))
    if available is not None and per_image > 0:
        jobs = min(jobs, max(1, int(HEADROOM * available // per_image)))
    return jobs


def largest_image(paths: Iterable[str | os.PathLike]) -> int:
    """The most pixels among ``paths``, read from each file's header without decoding it.
    Files that cannot be opened count as 0 (their run reports why); so do files above
    :data:`lossylib.images.MAX_PIXELS`, which are refused before they are decoded.

    Examples
    --------
    >>> largest_image(["no/such/file.jpg"])
    0
    """
    import warnings

    from PIL import Image

    from .images import MAX_PIXELS

    largest = 0
    for path in paths:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with Image.open(path) as im:
                    pixels = im.size[0] * im.size[1]
        except Exception:  # noqa: BLE001 - any unreadable file: its own run says why
            continue
        if pixels <= MAX_PIXELS:
            largest = max(largest, pixels)
    return largest
