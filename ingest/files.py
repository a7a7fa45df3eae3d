"""Finding input files and hashing their bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from vanban.errors import IngestError


def file_hash(path: str | Path) -> str:
    """sha256 of a file's bytes: unchanged content is never parsed twice."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files under the given paths, recursively, in a stable order; hidden files skipped.

    A path that does not exist raises IngestError naming it (check first with
    `missing_paths` to report it and go on with the rest).
    """
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                rel = f.relative_to(path)
                if f.is_file() and not any(part.startswith(".") for part in rel.parts):
                    yield f
        elif path.is_file():
            yield path
        else:
            raise IngestError(str(p), "no such file or folder")


def missing_paths(paths: Iterable[str | Path]) -> list[str]:
    """The given paths that are neither a file nor a folder."""
    return [str(p) for p in paths if not Path(p).exists()]
