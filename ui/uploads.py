"""Accept uploaded files into `data_dir()/uploads/`: safe names, limits, type checked by content.

A name is reduced to its last path component, NFC-normalised, and stripped of
characters that are unsafe in a file name; a different file with the same name
never overwrites the first one (it gets " (2)", " (3)" …), the same bytes are
recognised as already there.

>>> sanitize_name("../../etc/pass wd?.txt")
'pass wd_.txt'
>>> sanitize_name("C:\\\\Users\\\\x\\\\Kế hoạch 370.pdf")
'Kế hoạch 370.pdf'
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from ingest.files import file_hash
from vanban.errors import IngestError

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_FILES = 20
ALLOWED_KINDS = ("text", "pdf", "docx", "html", "image")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"/\\|?*]")
_MAX_NAME = 150


def sanitize_name(name: str) -> str:
    """A safe file name for `name` as the browser sent it (never empty, never a path)."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", name))[-1]
    base = _UNSAFE.sub("_", base).strip().lstrip(".").strip()
    base = re.sub(r"\s+", " ", base)
    if not base or set(base) <= {"_", " "}:
        base = "tep-tai-len"
    if len(base) > _MAX_NAME:
        stem, dot, ext = base.rpartition(".")
        base = (
            (stem[: _MAX_NAME - len(ext) - 1] + dot + ext)
            if dot and len(ext) <= 10
            else base[:_MAX_NAME]
        )
    return base


def place_file(src: Path, folder: Path, name: str) -> tuple[Path, bool]:
    """Copy `src` into `folder` as `name` or "name (n)": (path, already_there_with_same_bytes).

    The copy is written under a hidden temporary name and then hard-linked to
    its final name, which fails if that name exists: two uploads racing for one
    name both survive, and no reader ever sees a half-written file.
    """
    part = folder / f".upload-{uuid.uuid4().hex}.part"
    shutil.copyfile(src, part)
    try:
        digest = file_hash(part)
        target = folder / name
        stem, suffix = target.stem, target.suffix
        n = 1
        while True:
            try:
                os.link(part, target)
                return target, False
            except FileExistsError:
                if target.is_file() and file_hash(target) == digest:
                    return target, True
                n += 1
                target = folder / f"{stem} ({n}){suffix}"
    finally:
        part.unlink(missing_ok=True)


def check_file(path: Path, display_name: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The file's kind (by content); IngestError naming the file and the problem otherwise."""
    from ingest.loaders.sniff import sniff_kind

    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(
            display_name,
            f"file is {size / 2**20:.1f} MB, over the {max_bytes / 2**20:.0f} MB limit; split it",
        )
    try:
        kind = sniff_kind(path)
    except IngestError as e:
        raise IngestError(display_name, e.reason) from None
    if kind not in ALLOWED_KINDS:
        raise IngestError(display_name, f"unsupported file type {kind!r}")
    return kind


@dataclass(frozen=True)
class Stored:
    """The outcome of accepting one uploaded file."""

    name: str  # as uploaded
    path: str | None  # where it now lives; None when refused
    status: str  # "stored" | "same file already uploaded" | "refused"
    reason: str = ""


def store_uploads(
    files: list[tuple[str, Path]],
    folder: Path,
    *,
    max_files: int = MAX_FILES,
    max_bytes: int = MAX_FILE_BYTES,
) -> list[Stored]:
    """Copy accepted (original name, temp path) files into `folder`; refuse the rest with a reason."""
    if len(files) > max_files:
        raise IngestError(
            f"{len(files)} files", f"at most {max_files} files per upload; send them in batches"
        )
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Stored] = []
    for original, tmp in files:
        try:
            check_file(tmp, original, max_bytes)
        except IngestError as e:
            out.append(Stored(original, None, "refused", e.reason))
            continue
        target, same = place_file(tmp, folder, sanitize_name(original))
        status = "same file already uploaded" if same else "stored"
        out.append(Stored(original, str(target), status))
    return out


def uploads_dir() -> Path:
    """`data_dir()/uploads`, absolute (the index records files by absolute path)."""
    from vanban.paths import data_dir

    return (data_dir() / "uploads").resolve()
