"""Decide what an index update must do: which files are new, changed, gone or unchanged.

Unchanged files cost a `stat` (same size and mtime) or at worst a hash; they
are never parsed or embedded again (llm's content-hash habit).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from index.manifest import FileEntry
from ingest.files import file_hash, iter_files


@dataclass(frozen=True)
class Plan:
    keep: tuple[FileEntry, ...]  # unchanged, or outside the given paths
    parse: tuple[tuple[str, str, int, int], ...]  # (path, hash, size, mtime_ns) to (re)parse
    added: tuple[str, ...]
    updated: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: tuple[str, ...]
    duplicates: tuple[tuple[str, str], ...]  # (path, indexed path with the same bytes)
    missing: tuple[str, ...]  # given paths that do not exist


def reparse_kept(plan: Plan) -> tuple[Plan, tuple[str, ...]]:
    """Move every kept file that still exists to the parse list (the parser changed).

    Files that are gone keep their rows: what cannot be re-read is not lost.
    Returns the new plan and the re-parsed paths."""
    redo = [e for e in plan.keep if Path(e.path).is_file()]
    paths = {e.path for e in redo}
    plan = replace(
        plan,
        keep=tuple(e for e in plan.keep if e.path not in paths),
        parse=plan.parse + tuple((e.path, e.content_hash, e.size, e.mtime_ns) for e in redo),
    )
    return plan, tuple(e.path for e in redo)


def _under(path: str, root: str) -> bool:
    p, r = Path(path), Path(root)
    return p == r or r in p.parents


def plan_update(old: tuple[FileEntry, ...], roots: list[str], *, rebuild: bool = False) -> Plan:
    """Compare the files under `roots` with the entries of the live index.

    Entries under a root that no longer holds them are removed; entries under
    other roots, or under a root that is missing altogether (a typo must not
    wipe an archive), are kept. A moved or renamed file keeps its rows (same
    bytes, same document ids); a second copy of bytes already indexed is
    reported as a duplicate and indexed once.
    """
    missing = tuple(r for r in roots if not Path(r).exists())
    present_roots = [r for r in roots if r not in missing]
    by_path = {} if rebuild else {e.path: e for e in old}
    keep: list[FileEntry] = []
    changed: list[tuple[str, str, int, int]] = []
    unchanged: list[str] = []
    seen: set[str] = set()
    for f in iter_files(present_roots):
        path = str(f)
        if path in seen:
            continue
        seen.add(path)
        st = os.stat(f)
        entry = by_path.get(path)
        if entry and entry.size == st.st_size and entry.mtime_ns == st.st_mtime_ns:
            keep.append(entry)
            unchanged.append(path)
            continue
        h = file_hash(f)
        if entry and entry.content_hash == h:
            keep.append(replace(entry, mtime_ns=st.st_mtime_ns))
            unchanged.append(path)
        else:
            changed.append((path, h, st.st_size, st.st_mtime_ns))
    gone: dict[str, FileEntry] = {}
    removed: list[str] = []
    for e in by_path.values():
        if e.path in seen:
            continue
        if any(_under(e.path, r) for r in present_roots):
            removed.append(e.path)
            gone.setdefault(e.content_hash, e)
        else:
            keep.append(e)
    indexed = {e.content_hash: e.path for e in keep}
    parse, added, updated, duplicates = [], [], [], []
    for path, h, size, mtime in changed:
        if h in indexed:
            duplicates.append((path, indexed[h]))
            continue
        if h in gone:  # moved or renamed: reuse its rows under the new path
            keep.append(replace(gone.pop(h), path=path, size=size, mtime_ns=mtime))
        else:
            parse.append((path, h, size, mtime))
        indexed[h] = path
        (updated if path in by_path else added).append(path)
    return Plan(
        keep=tuple(keep),
        parse=tuple(parse),
        added=tuple(added),
        updated=tuple(updated),
        removed=tuple(removed),
        unchanged=tuple(unchanged),
        duplicates=tuple(duplicates),
        missing=missing,
    )
