"""File -> Documents -> Chunks: the ingestion stage end to end.

>>> [p.document.meta.number for p in parse_file("samples/004_393fa8954b947a4a.txt")]
['370/KH-UBND']
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ingest.chunk import chunk_document
from ingest.clean import clean
from ingest.files import file_hash
from ingest.loaders import load_file
from ingest.metadata import extract_metadata
from ingest.split import split_documents
from ingest.structure import build_sections, parse_outline
from ingest.tasks import extract_assignments
from ingest.text import nfc
from vanban.errors import IngestError
from vanban.types import Document, Parsed


def parser_fingerprint() -> str:
    """Hash of the code that turns loaded text into Documents, Chunks and assignments.

    An index records it; when it differs, `vanban index` re-parses unchanged files (and
    re-embeds only the chunks whose text changed), so a fix to metadata or chunking
    reaches an archive without a rebuild. The loaders (PDF text, OCR) are left out: their
    output is costly to redo (OCR), so a loader fix asks for `--rebuild`.

    >>> len(parser_fingerprint())
    16
    """
    h = hashlib.sha256()
    root = Path(__file__).parent
    for f in sorted(root.glob("*.py")):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def doc_id_for(content_hash: str, ordinal: int) -> str:
    """Stable id of the ordinal-th document of a file: same bytes, same ids."""
    return hashlib.sha1(f"{content_hash}:{ordinal}".encode()).hexdigest()[:16]


def parse_file(
    path: str | Path, *, ocr_workers: int | None = None, content_hash: str | None = None
) -> list[Parsed]:
    """Load, split, describe, outline and chunk one file. Raises IngestError."""
    source = str(path)
    loaded = load_file(path, ocr_workers=ocr_workers)
    text = nfc(loaded.text)
    if not text.strip():
        raise IngestError(source, "no text found (empty file, or a scan OCR could not read)")
    content_hash = content_hash or file_hash(path)
    out: list[Parsed] = []
    for ordinal, (start, end) in enumerate(split_documents(text)):
        doc_text = text[start:end]
        if not doc_text.strip():
            continue
        meta, meta_warnings = extract_metadata(doc_text)
        cleaned = clean(doc_text)
        outline = parse_outline(cleaned.text)
        sections = build_sections(cleaned, outline)
        doc = Document(
            doc_id=doc_id_for(content_hash, ordinal),
            source=source,
            text=doc_text,
            meta=meta,
            sections=tuple(sections),
            pages=loaded.pages,
            ocr_pages=loaded.ocr_pages,
            warnings=tuple(loaded.warnings) + tuple(meta_warnings),
            content_hash=content_hash,
        )
        chunks = chunk_document(doc.doc_id, doc_text, cleaned, meta, outline=outline)
        assignments = extract_assignments(doc, cleaned, outline)
        out.append(Parsed(doc, tuple(chunks), tuple(assignments)))
    return out
