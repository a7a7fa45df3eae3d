"""Row-addressed stores of chunks and documents: JSON lines plus an offsets array.

Row i of `chunks.jsonl` is row i of the BM25 matrix and of the FAISS index.
Lines are read on demand through a memory map, so a million-chunk index
opens instantly and only the rows a query returns are ever decoded.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> write_rows(d / "x.jsonl", [{"a": 1}, {"a": 2}])  # returns the row count
2
>>> RowStore.load(d / "x.jsonl")[1]
{'a': 2}
"""

from __future__ import annotations

import json
import mmap
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from vanban.types import Chunk, DocMeta, Document, Section, to_dict


def write_rows(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write dicts as JSON lines and `<path>.offsets.npy` (int64 line starts + end). Returns count."""
    offsets = [0]
    with open(path, "wb") as f:
        for row in rows:
            line = (json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
            f.write(line)
            offsets.append(offsets[-1] + len(line))
    np.save(_offsets_path(path), np.asarray(offsets, dtype=np.int64))
    return len(offsets) - 1


def _offsets_path(path: Path) -> Path:
    return path.with_name(path.name + ".offsets.npy")


class RowStore:
    """Read-only random access to the rows written by `write_rows`."""

    def __init__(self, path: Path, offsets: np.ndarray, buf: mmap.mmap | bytes) -> None:
        self.path = path
        self._offsets = offsets
        self._buf = buf

    @classmethod
    def load(cls, path: Path) -> RowStore:
        offsets = np.load(_offsets_path(path), mmap_mode="r")
        with open(path, "rb") as f:
            size = f.seek(0, 2)
            if size != int(offsets[-1]):
                raise ValueError(f"{path}: size {size} does not match its offsets file")
            buf: mmap.mmap | bytes = (
                mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
            )
        return cls(path, offsets, buf)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i: int) -> dict[str, Any]:
        if not 0 <= i < len(self):
            raise IndexError(f"row {i} out of range 0..{len(self) - 1}")
        a, b = int(self._offsets[i]), int(self._offsets[i + 1])
        return json.loads(self._buf[a:b])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for i in range(len(self)):
            yield self[i]


def chunk_to_row(c: Chunk) -> dict[str, Any]:
    return {
        "id": c.id,
        "doc_id": c.doc_id,
        "section": list(c.section),
        "text": c.text,
        "start": c.start,
        "end": c.end,
        "index_text": c.index_text,
        "content_hash": c.content_hash,
    }


def row_to_chunk(r: dict[str, Any]) -> Chunk:
    return Chunk(
        id=r["id"],
        doc_id=r["doc_id"],
        section=tuple(r["section"]),
        text=r["text"],
        start=r["start"],
        end=r["end"],
        index_text=r["index_text"],
        content_hash=r.get("content_hash", ""),
    )


def document_to_row(d: Document) -> dict[str, Any]:
    m = d.meta
    return {
        "doc_id": d.doc_id,
        "source": d.source,
        "text": d.text,
        "meta": to_dict(m),
        "sections": [[list(s.path), s.start, s.end] for s in d.sections],
        "pages": d.pages,
        "ocr_pages": d.ocr_pages,
        "warnings": list(d.warnings),
        "content_hash": d.content_hash,
    }


def row_to_document(r: dict[str, Any]) -> Document:
    m = dict(r["meta"])
    m["recipients"] = tuple(m.get("recipients") or ())
    return Document(
        doc_id=r["doc_id"],
        source=r["source"],
        text=r["text"],
        meta=DocMeta(**m),
        sections=tuple(Section(tuple(p), s, e) for p, s, e in r["sections"]),
        pages=r["pages"],
        ocr_pages=r["ocr_pages"],
        warnings=tuple(r["warnings"]),
        content_hash=r["content_hash"],
    )
