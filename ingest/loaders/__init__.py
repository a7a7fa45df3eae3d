"""One file -> Unicode text, with the loader chosen by content (magic bytes), not by name.

>>> from vanban.paths import SAMPLES_DIR
>>> loaded = load_file(SAMPLES_DIR / "000_e7485795168854ac.txt")
>>> loaded.text[:33], loaded.pages, loaded.ocr_pages
('Triển khai nhiệm vụ trọng tâm Quý', None, 0)

Kinds: "text" (UTF-8/16, Windows-1258, TCVN3, VNI; see `text.decode_text`),
"pdf" (text layer, OCR for scans and garbage layers), "docx", "html", "image"
(OCR). Every failure is an `IngestError` naming the file, the problem and the fix.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest.loaders.sniff import sniff_kind
from vanban.errors import IngestError

__all__ = ["PAGE_SEPARATOR", "Loaded", "load_file", "sniff_kind"]

PAGE_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Loaded:
    """The text of one file plus how it was obtained.

    `page_starts[i]` is the offset in `text` where page i+1 begins (PDF and
    images only); pages are joined with PAGE_SEPARATOR.
    """

    text: str
    pages: int | None
    ocr_pages: int
    warnings: tuple[str, ...]
    page_starts: tuple[int, ...] = ()

    def page_of(self, offset: int) -> int | None:
        """1-based page holding character `offset`, or None for text formats."""
        if not self.page_starts:
            return None
        import bisect

        return max(1, bisect.bisect_right(self.page_starts, offset))


def _paged(pages: list[str], warnings: list[str], ocr_pages: int) -> Loaded:
    starts, parts, pos = [], [], 0
    for page in pages:
        page = unicodedata.normalize("NFC", page.replace("\f", "\n").strip("\n"))
        starts.append(pos)
        parts.append(page)
        pos += len(page) + len(PAGE_SEPARATOR)
    return Loaded(PAGE_SEPARATOR.join(parts), len(pages), ocr_pages, tuple(warnings), tuple(starts))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise IngestError(str(path), f"cannot read file ({e.strerror or e})") from e


def _decode(path: Path) -> tuple[str, list[str]]:
    from ingest.loaders.text import EncodingUnknown, decode_text

    try:
        text, encoding = decode_text(_read_bytes(path))
    except EncodingUnknown as e:
        raise IngestError(str(path), str(e)) from None
    notes = [] if encoding in ("utf-8", "utf-8-sig") else [f"decoded from {encoding}"]
    return text, notes


def load_file(path: str | Path, *, ocr_workers: int | None = None) -> Loaded:
    """Load one file as NFC text. Raises IngestError(path, reason) for anything unusable.

    `ocr_workers`: pages OCR'd in parallel (default: all cores).
    """
    path = Path(path)
    if not path.is_file():
        raise IngestError(str(path), "no such file")
    kind = sniff_kind(path)
    if kind == "pdf":
        from ingest.loaders.pdf import load_pdf

        pages, warnings, n_ocr = load_pdf(path, ocr_workers=ocr_workers)
        loaded = _paged(pages, warnings, n_ocr)
    elif kind == "image":
        from ingest.loaders.ocr import ocr_image

        pages = ocr_image(path)
        loaded = _paged(
            pages, [f"page {i}: image, used OCR" for i in range(1, len(pages) + 1)], len(pages)
        )
    elif kind == "docx":
        from ingest.loaders.docx_file import load_docx

        loaded = Loaded(unicodedata.normalize("NFC", load_docx(path)), None, 0, ())
    else:
        text, notes = _decode(path)
        if kind == "html":
            from ingest.loaders.html_file import html_to_text

            text = unicodedata.normalize("NFC", html_to_text(text))
        loaded = Loaded(text, None, 0, tuple(notes))
    if not loaded.text.strip():
        raise IngestError(
            str(path), f"no text found in this {kind} file; check that it is not blank"
        )
    return loaded
