"""The values that flow between vanban's stages.

files -> ingest -> Document (with Sections) -> Chunk -> index -> Hit -> Citation -> Answer

Every stage takes and returns these frozen values and nothing else. Offsets
(`start`, `end`) always index into `Document.text`, the document's text as
loaded (decoded and NFC-composed, otherwise untouched), so a quote shown to a
user is `document.text[start:end]`, verbatim.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class DocMeta:
    """Header metadata of one official document; a field is None when absent, never guessed.

    >>> DocMeta(number="370/KH-UBND", doc_type="Kế hoạch", date="2023-01-19").number
    '370/KH-UBND'
    """

    number: str | None = None  # số ký hiệu, e.g. "3646/SYT-VP"
    doc_type: str | None = None  # "Kế hoạch", "Công văn", ...
    date: str | None = None  # ISO yyyy-mm-dd
    place: str | None = None  # "Bến Tre"
    issuer: str | None = None  # "Ủy ban nhân dân tỉnh Bến Tre"
    subject: str | None = None  # trích yếu
    signer: str | None = None
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """One node of a document's outline: its heading path and its span.

    `path` runs from the outermost heading to this section's own heading,
    e.g. ("II. NHIỆM VỤ VÀ GIẢI PHÁP", "2. Sở Công Thương chủ trì:", "c) ...").
    The span covers the heading and the body up to the next section.
    """

    path: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """One original document (a file may bundle several)."""

    doc_id: str
    source: str  # file path as the user gave it
    text: str
    meta: DocMeta
    sections: tuple[Section, ...] = ()
    pages: int | None = None
    ocr_pages: int = 0
    warnings: tuple[str, ...] = ()
    content_hash: str = ""  # hash of the source file's bytes


@dataclass(frozen=True)
class Chunk:
    """A retrieval unit: an exact span of a document plus the text we index for it.

    `text` is `document.text[start:end]` (what is cited); `index_text` is the
    normalised body prefixed with a short context header (type, number,
    issuer, heading path) that retrievers see.
    """

    id: str
    doc_id: str
    section: tuple[str, ...]
    text: str
    start: int
    end: int
    index_text: str
    content_hash: str = ""


@dataclass(frozen=True)
class Hit:
    """A chunk returned by search, with its fused score and each retriever's view."""

    chunk: Chunk
    score: float
    scores: dict[str, float] = field(default_factory=dict)  # {"bm25": 12.3, "dense": 0.81}
    ranks: dict[str, int] = field(default_factory=dict)  # 1-based rank per retriever


@dataclass(frozen=True)
class Citation:
    """A verbatim quote from a document that supports an answer."""

    source: str
    doc_id: str
    meta: DocMeta
    section: tuple[str, ...]
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Answer:
    """A direct answer (or an abstention) with the passages that prove it."""

    question: str
    kind: str  # agency | date | number | person | document | list | open
    text: str | None
    confidence: float
    citations: tuple[Citation, ...] = ()
    hits: tuple[Hit, ...] = ()

    @property
    def abstained(self) -> bool:
        return self.text is None


def to_dict(value: Any) -> dict[str, Any]:
    """Plain-JSON view of any of the values above (tuples become lists)."""
    return asdict(value)


@dataclass(frozen=True)
class Assignment:
    """One body's part in one task of a directive (who does what by when).

    `quote == document.text[start:end]`; `agency_key` is the canonical name
    used for matching ("Ủy ban nhân dân tỉnh"), `agency` the form as written.
    """

    agency: str
    agency_key: str
    role: str  # "chủ trì" | "phối hợp" | "thực hiện"
    task: str
    deadline_text: str | None
    deadline: str | None  # ISO when the deadline names a day, month, quarter or year
    doc_id: str
    section: tuple[str, ...]
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Parsed:
    """What ingestion hands to indexing: one document, its chunks and its task assignments."""

    document: Document
    chunks: tuple[Chunk, ...]
    assignments: tuple[Assignment, ...] = ()
