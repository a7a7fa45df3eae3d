"""PDF -> text: the text layer where it is real, OCR for scans and garbage layers.

Per page: extract with pypdf; if `quality.layer_problem` rejects the layer,
first try reading it as a legacy Vietnamese font encoding (old `.VnTime`
PDFs carry TCVN3/VNI bytes in their text layer), else OCR the page.

Example: `load_pdf("laichau_..._textlayer.pdf")` keeps pages 3-4 from the
text layer and OCRs pages 1-2 with warnings such as
"page 1: text layer looks fragmented (60% one-letter tokens), used OCR".
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

from ingest.loaders.legacy_vn import from_tcvn3, from_vni
from ingest.loaders.ocr import ocr_pdf_pages
from ingest.loaders.quality import layer_problem
from ingest.loaders.text import MIN_SCORE, vietnamese_score
from vanban.errors import IngestError


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs every repaired cross-reference; the caller only needs our warnings."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _tail_ok(path: Path) -> bool:
    """A complete PDF ends with %%EOF (allowing some trailing junk); a truncated one does not."""
    with path.open("rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - 4096))
        return b"%%EOF" in f.read()


def _legacy_layer(text: str) -> str | None:
    """The page re-read as TCVN3 or VNI when that makes it clearly Vietnamese, else None."""
    try:
        raw = text.encode("cp1252", errors="strict")
    except UnicodeEncodeError:
        try:
            raw = text.encode("latin-1")
        except UnicodeEncodeError:
            return None
    for decode in (from_tcvn3, from_vni):
        fixed = decode(raw)
        score, n = vietnamese_score(fixed)
        if n >= 10 and score >= MIN_SCORE and layer_problem(fixed) is None:
            return fixed
    return None


def _page_text(page) -> str:  # a pypdf PageObject; pypdf is imported late
    """One page's text layer; a page whose content stream pypdf cannot parse goes to OCR."""
    try:
        return page.extract_text() or ""
    except Exception:  # pypdf raises many types on broken content; OCR still sees the pixels
        return ""


def read_pdf_layers(path: str | Path) -> list[str]:
    """Text layer of each page (may be empty or garbage). Raises IngestError if unreadable."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    path = Path(path)
    if not _tail_ok(path):
        raise IngestError(
            str(path), "truncated or corrupt PDF (no %%EOF at the end); re-download or re-export it"
        )
    with _quiet_pypdf():
        try:
            reader = PdfReader(str(path))
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")
                except (DependencyError, NotImplementedError) as e:
                    raise IngestError(
                        str(path),
                        f"encrypted PDF with an unsupported cipher ({e}); save an unencrypted copy",
                    ) from e
                if not opened:
                    raise IngestError(
                        str(path),
                        "encrypted PDF (needs a password); save an unencrypted copy and ingest that",
                    )
            return [_page_text(page) for page in reader.pages]
        except IngestError:
            raise
        except FileNotDecryptedError as e:
            raise IngestError(
                str(path),
                "encrypted PDF (needs a password); save an unencrypted copy and ingest that",
            ) from e
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as e:
            # pypdf signals damaged structure with assorted exception types.
            raise IngestError(
                str(path), f"corrupt PDF ({type(e).__name__}: {e}); re-download or re-export it"
            ) from e


def load_pdf(
    path: str | Path, *, ocr_workers: int | None = None
) -> tuple[list[str], list[str], int]:
    """(page texts, warnings, number of OCR'd pages) for a PDF."""
    layers = read_pdf_layers(path)
    if not layers:
        raise IngestError(str(path), "PDF has no pages")
    pages: list[str] = list(layers)
    warnings: list[str] = []
    to_ocr: list[int] = []
    for i, text in enumerate(layers, start=1):
        problem = layer_problem(text)
        if problem is None:
            continue
        fixed = _legacy_layer(text) if problem != "no text layer" else None
        if fixed is not None:
            pages[i - 1] = fixed
            warnings.append(f"page {i}: text layer in a legacy Vietnamese font encoding, converted")
            continue
        to_ocr.append(i)
        warnings.append(f"page {i}: {problem}, used OCR")
    for page, text in ocr_pdf_pages(path, to_ocr, workers=ocr_workers).items():
        pages[page - 1] = text
    return pages, warnings, len(to_ocr)
