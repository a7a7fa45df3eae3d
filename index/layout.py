"""On-disk layout of an index directory, its atomic swap and its writer lock.

    DIR/current -> gen-000007      (symlink: the live generation)
    DIR/gen-000007/manifest.json   (+ chunks.jsonl, documents.jsonl, bm25/, dense/)
    DIR/lock                       (flock held by the one writer)

A writer builds `gen-N+1` beside the live one and swaps the `current` link
with one `rename`, which is atomic: readers see the old generation or the
new one, never a half-written one, and a crash at any moment leaves the old
generation live and complete. Readers that already opened old files keep
them (POSIX), so queries in flight are not broken.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vanban.errors import IndexStateError

_GEN = "gen-"


def live_generation(index_dir: Path) -> Path | None:
    """The generation folder `current` points to, or None for a new index."""
    link = index_dir / "current"
    if not link.is_symlink():
        return None
    target = index_dir / os.readlink(link)
    if not target.is_dir():
        raise IndexStateError(
            f"{index_dir}: 'current' points to missing {target.name}; rebuild: vanban index PATH... --index {index_dir} --rebuild"
        )
    return target


def new_generation(index_dir: Path) -> Path:
    """Create an empty folder for the next generation (numbered after every existing one)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    numbers = [
        int(p.name[len(_GEN) :])
        for p in index_dir.glob(_GEN + "*")
        if p.name[len(_GEN) :].isdigit()
    ]
    path = index_dir / f"{_GEN}{max(numbers, default=0) + 1:06d}"
    path.mkdir()
    return path


def _fsync_tree(path: Path) -> None:
    for f in path.rglob("*"):
        if f.is_file():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(index_dir: Path, gen: Path) -> None:
    """Make `gen` the live generation atomically, then delete generations no longer live."""
    _fsync_tree(gen)
    tmp_link = index_dir / f".current-{os.getpid()}"
    if tmp_link.is_symlink():
        tmp_link.unlink()
    os.symlink(gen.name, tmp_link)
    os.replace(tmp_link, index_dir / "current")
    dfd = os.open(index_dir, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)
    collect_garbage(index_dir)


def collect_garbage(index_dir: Path) -> None:
    """Remove generations other than the live one and the one before it.

    The previous generation is kept one more round so a reader that resolved
    `current` just before a swap can still open its files; folders newer than
    the live one are left-overs of crashed runs.
    """
    live = live_generation(index_dir)
    gens = sorted(p for p in index_dir.glob(_GEN + "*") if p.is_dir())
    keep = set()
    if live is not None:
        keep.add(live.name)
        older = [p.name for p in gens if p.name < live.name]
        if older:
            keep.add(older[-1])
    for p in gens:
        if p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)


@contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index's writer lock; a second writer fails at once with a clear message.

    flock is released by the kernel when the process dies, so a killed run
    never leaves a stale lock behind.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / "lock", "a+") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise IndexStateError(
                f"{index_dir}: another `vanban index` is writing this index ({holder}); wait for it to finish"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        yield
