"""Run this process under a memory limit that counts page cache, as a container would.

RSS alone flatters a memory-mapped index: file-backed pages are "free" until something
else needs the memory. A memory cgroup charges this process for every page it brings into
the cache, and reclaims them when the limit is reached, so latency under the limit shows
whether the index really fits. Needs root and a writable cgroup file system (v1 or v2).

    >>> limit_bytes(4000)
    4000000000
"""

from __future__ import annotations

import os
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")


def limit_bytes(mb: int) -> int:
    """Decimal megabytes: a 4 GB budget is 4,000,000,000 bytes, the stricter reading."""
    return mb * 1_000_000


def enter_memory_limit(mb: int, name: str = "vanban-bench") -> Path:
    """Drop the page cache, then move this process into a memory cgroup capped at `mb`.

    The cache is dropped first because pages already cached by other processes are
    charged to them, not to us, and would escape the limit."""
    v1 = CGROUP / "memory"
    group, limit_file = (v1 / name, "memory.limit_in_bytes")
    if not v1.is_dir():  # cgroup v2: one unified hierarchy
        group, limit_file = (CGROUP / name, "memory.max")
    try:
        group.mkdir(exist_ok=True)
        (group / limit_file).write_text(str(limit_bytes(mb)))
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("1")
        (group / "cgroup.procs").write_text(str(os.getpid()))
    except OSError as exc:
        raise SystemExit(
            f"--memory-limit needs root and a writable {CGROUP} ({exc}); "
            "run without it, or as root on a machine with memory cgroups"
        ) from exc
    return group
