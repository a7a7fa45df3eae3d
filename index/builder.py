"""`vanban index`: bring an index directory up to date with a set of files.

New files are parsed and embedded, changed files replaced, vanished files
dropped, unchanged files reused row for row (their vectors are copied, never
recomputed). The new generation is written beside the live one and published
atomically (see `index.layout`).
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from index import layout
from index.manifest import (
    FileEntry,
    Manifest,
    check_compatible,
    check_encoder_revision,
    read_manifest,
)
from index.scan import plan_update, reparse_kept
from index.store import RowStore, chunk_to_row, document_to_row, write_rows
from ingest.tasks import assignments_to_rows
from vanban.errors import IngestError
from vanban.types import Parsed

Progress = Callable[[str], None]


@dataclass
class UpdateReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    documents: int = 0
    chunks: int = 0
    embedded: int = 0
    reparsed: list[str] = field(default_factory=list)  # unchanged files, parser changed
    seconds: dict[str, float] = field(default_factory=dict)
    published: bool = False

    def summary(self) -> str:
        s = (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged, {len(self.failed)} failed"
        )
        if self.duplicates:
            s += f", {len(self.duplicates)} duplicates skipped"
        if self.reparsed:
            s += f", {len(self.reparsed)} re-parsed for a new parser"
        return s + f" — {self.documents} documents, {self.chunks} chunks in the index"


def _parse_all(
    todo, workers: int | None, progress: bool, report: UpdateReport
) -> dict[str, list[Parsed]]:
    """Parse files (OCR pages run in parallel inside a file); failures are reported, not raised."""
    from tqdm import tqdm

    from ingest.pipeline import parse_file

    out: dict[str, list[Parsed]] = {}
    bar = tqdm(todo, desc="parsing", unit="file", disable=not (progress and todo), file=sys.stderr)
    for path, h, _size, _mtime in bar:
        try:
            out[path] = parse_file(path, ocr_workers=workers, content_hash=h)
        except IngestError as e:
            report.failed.append((path, e.reason))
        except Exception as e:  # a parser bug must not stop a nightly batch
            report.failed.append(
                (path, f"internal error while parsing ({type(e).__name__}: {e}); please report it")
            )
    return out


def update_index(
    index_dir: str | Path,
    paths: list[str],
    *,
    encoder: str | None = None,
    rebuild: bool = False,
    workers: int | None = None,
    progress: bool = True,
    settings: dict | None = None,
) -> UpdateReport:
    """Update (or create) the index at `index_dir` from files under `paths`."""
    from index.dense_build import DENSE_SETTINGS
    from index.encoder import Encoder
    from index.sparse import SPARSE_SETTINGS
    from ingest.chunk import CHUNKER_SETTINGS
    from ingest.pipeline import parser_fingerprint

    index_dir = Path(index_dir)
    where = str(index_dir)
    report = UpdateReport()
    t0 = time.perf_counter()
    with layout.writer_lock(index_dir):
        live = None if rebuild else layout.live_generation(index_dir)
        old = read_manifest(live, where) if live else None
        if old is not None:
            if encoder is not None:
                check_compatible(old, encoder_id=Encoder.resolve_id(encoder), where=where)
            # Analyzer changes need no re-embedding: BM25 is re-analysed on every update anyway.
            check_compatible(old, chunker=CHUNKER_SETTINGS, where=where)
        plan = plan_update(old.files if old else (), paths, rebuild=rebuild)
        parser, reparsed = parser_fingerprint(), ()
        if old is not None and old.parser != parser:
            plan, reparsed = reparse_kept(plan)
        report.unchanged = list(plan.unchanged)
        report.removed = list(plan.removed)
        report.duplicates = list(plan.duplicates)
        report.failed = [(p, "no such file or folder") for p in plan.missing]
        parsed = _parse_all(plan.parse, workers, progress, report)
        report.seconds["parse"] = time.perf_counter() - t0
        failed_paths = {p for p, _ in report.failed}
        report.added = [p for p in plan.added if p not in failed_paths]
        report.updated = [p for p in plan.updated if p not in failed_paths]
        report.reparsed = [p for p in reparsed if p not in failed_paths]
        old_by_path = {e.path: e for e in old.files} if old else {}
        # A file whose new version failed keeps its old rows: nothing indexed is lost.
        replaced = [old_by_path[p] for p in (*plan.updated, *reparsed) if p in old_by_path]
        keep = list(plan.keep) + [e for e in replaced if e.path in failed_paths]
        if (
            old is not None
            and old.analyzer == SPARSE_SETTINGS
            and not parsed
            and not plan.removed
            and len(keep) == len(old.files)
            and all(
                a == b
                for a, b in zip(
                    sorted(keep, key=lambda e: e.path),
                    sorted(old.files, key=lambda e: e.path),
                    strict=True,
                )
            )
        ):
            report.documents, report.chunks = (
                old.counts.get("documents", 0),
                old.counts.get("chunks", 0),
            )
            report.seconds["total"] = time.perf_counter() - t0
            return report

        enc = Encoder.load(encoder or (old.encoder.get("id") if old else None))
        if old is not None:
            check_encoder_revision(old, enc, where)
        gen = layout.new_generation(index_dir)
        try:
            manifest = _write_generation(
                gen, live, keep, plan.parse, parsed, enc, report, progress, replaced
            )
            manifest = Manifest(
                encoder={"id": enc.id, "dim": enc.dim, "revision": getattr(enc, "revision", None)},
                analyzer=SPARSE_SETTINGS,
                chunker=CHUNKER_SETTINGS,
                dense=DENSE_SETTINGS,
                parser=parser,
                files=manifest.files,
                counts=manifest.counts,
            )
            (gen / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
            layout.publish(index_dir, gen)
        except BaseException:
            import shutil

            shutil.rmtree(gen, ignore_errors=True)
            raise
        report.published = True
        report.seconds["total"] = time.perf_counter() - t0
        return report


def _reusable_rows(store: RowStore | None, entries: list[FileEntry]) -> dict[bytes, int]:
    """Old chunk rows of the files being re-parsed, by a digest of their indexed text:
    a chunk whose text did not change keeps its vector instead of being embedded again."""
    out: dict[bytes, int] = {}
    if store is None:
        return out
    for e in entries:
        for i in range(e.chunk_start, e.chunk_start + e.n_chunks):
            out.setdefault(_digest(store[i]["index_text"]), i)
    return out


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _write_generation(
    gen, live, keep, todo, parsed, enc, report, progress, replaced=()
) -> Manifest:
    from index.dense_build import build_dense
    from index.sparse import write_sparse

    old_chunks = RowStore.load(live / "chunks.jsonl") if live else None
    old_docs = RowStore.load(live / "documents.jsonl") if live else None
    old_vecs = np.load(live / "dense" / "vectors.npy", mmap_mode="r") if live else None
    old_tasks = RowStore.load(live / "tasks.jsonl") if live else None

    entries: list[FileEntry] = []
    doc_rows: list[dict] = []
    chunk_rows: list[dict] = []
    task_rows: list[dict] = []
    vec_parts: list[np.ndarray] = []
    new_texts: list[str] = []
    pending: list[tuple[int, int]] = []  # (part, row in part) awaiting an embedding
    reuse = _reusable_rows(old_chunks, list(replaced))

    order = sorted(
        [("keep", e.path, e) for e in keep]
        + [("new", p, (p, h, s, m)) for p, h, s, m in todo if p in parsed],
        key=lambda t: t[1],
    )
    for kind, _path, item in order:
        doc_start, chunk_start, task_start = len(doc_rows), len(chunk_rows), len(task_rows)
        if kind == "keep":
            e = item
            for i in range(e.doc_start, e.doc_start + len(e.doc_ids)):
                row = old_docs[i]
                row["source"] = e.path
                doc_rows.append(row)
            for i in range(e.chunk_start, e.chunk_start + e.n_chunks):
                chunk_rows.append(old_chunks[i])
            task_rows.extend(old_tasks[i] for i in range(e.task_start, e.task_start + e.n_tasks))
            vec_parts.append(
                np.asarray(old_vecs[e.chunk_start : e.chunk_start + e.n_chunks], dtype=np.float32)
            )
            entries.append(
                replace(e, doc_start=doc_start, chunk_start=chunk_start, task_start=task_start)
            )
        else:
            p, h, s, m = item
            docs = parsed[p]
            chunks = [c for pd in docs for c in pd.chunks]
            part = np.empty((len(chunks), enc.dim), dtype=np.float32)
            for j, c in enumerate(chunks):
                row = reuse.get(_digest(c.index_text))
                if row is None:
                    pending.append((len(vec_parts), j))
                    new_texts.append(c.index_text)
                else:
                    part[j] = old_vecs[row]
            vec_parts.append(part)
            for pd in docs:
                doc_rows.append(document_to_row(pd.document))
                chunk_rows.extend(chunk_to_row(c) for c in pd.chunks)
                task_rows.extend(assignments_to_rows(pd.assignments))
            entries.append(
                FileEntry(
                    path=p,
                    content_hash=h,
                    size=s,
                    mtime_ns=m,
                    doc_ids=tuple(pd.document.doc_id for pd in docs),
                    doc_start=doc_start,
                    chunk_start=chunk_start,
                    n_chunks=len(chunk_rows) - chunk_start,
                    task_start=task_start,
                    n_tasks=len(task_rows) - task_start,
                )
            )

    t = time.perf_counter()
    new_vecs = (
        enc.encode_passages(new_texts, show_progress=progress)
        if new_texts
        else np.empty((0, enc.dim), np.float32)
    )
    report.seconds["embed"] = time.perf_counter() - t
    report.embedded = len(new_texts)
    for (part, j), vec in zip(pending, new_vecs, strict=True):
        vec_parts[part][j] = vec
    vectors = np.concatenate(vec_parts) if vec_parts else np.empty((0, enc.dim), np.float32)

    t = time.perf_counter()
    write_rows(gen / "documents.jsonl", doc_rows)
    write_rows(
        gen / "doc_meta.jsonl",
        ({**r["meta"], "doc_id": r["doc_id"], "source": r["source"]} for r in doc_rows),
    )
    write_rows(gen / "chunks.jsonl", chunk_rows)
    write_rows(gen / "tasks.jsonl", task_rows)
    doc_index = {r["doc_id"]: i for i, r in enumerate(doc_rows)}
    np.save(
        gen / "row_doc.npy",
        np.asarray([doc_index[r["doc_id"]] for r in chunk_rows], dtype=np.int32),
    )
    write_sparse(gen, [r["index_text"] for r in chunk_rows], (r["text"] for r in doc_rows))
    report.seconds["bm25"] = time.perf_counter() - t
    t = time.perf_counter()
    build_dense(vectors).save(gen / "dense")
    report.seconds["dense"] = time.perf_counter() - t
    report.documents, report.chunks = len(doc_rows), len(chunk_rows)
    return Manifest(
        files=tuple(entries),
        counts={"files": len(entries), "documents": len(doc_rows), "chunks": len(chunk_rows)},
    )
