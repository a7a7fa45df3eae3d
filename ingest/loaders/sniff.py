"""Which loader a file needs, decided by its first bytes rather than its name.

>>> kind_of_bytes(b"%PDF-1.7 ...", "report.txt")
'pdf'
>>> kind_of_bytes("<!DOCTYPE html><html>".encode(), "page.txt")
'html'
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from vanban.errors import IngestError

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
# Formats we recognise only to refuse them with a useful reason.
_UNSUPPORTED_MAGIC = {
    b"\xd0\xcf\x11\xe0": "legacy MS Office file (.doc/.xls); save it as .docx or PDF",
    b"MZ": "Windows executable, not a document",
    b"\x7fELF": "executable binary, not a document",
    b"\x1f\x8b": "gzip archive; extract it first",
    b"Rar!": "RAR archive; extract it first",
    b"7z\xbc\xaf": "7-Zip archive; extract it first",
    b"GIF8": "GIF image; convert it to PNG or TIFF for OCR",
    b"{\\rtf": "RTF document; save it as .docx or PDF",
}
_HTML_HEAD = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_EXT = {".html", ".htm", ".xhtml"}
_HTML_TAG = re.compile(rb"<(p|div|table|br|span|h[1-6])\b[^>]*>", re.I)


def kind_of_bytes(head: bytes, name: str = "") -> str:
    """Kind from the first bytes of a file (a few KB suffice) and, for HTML only, its name."""
    if not head:
        raise IngestError(name, "empty file; nothing to index")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    if head.startswith(b"PK\x03\x04"):
        return "zip"  # resolved by sniff_kind, which can open the archive
    for magic, reason in _UNSUPPORTED_MAGIC.items():
        if head.startswith(magic):
            raise IngestError(name, f"unsupported file type: {reason}")
    stripped = head.lstrip(b"\xef\xbb\xbf")
    if _HTML_HEAD.match(stripped):
        return "html"
    if Path(name).suffix.lower() in _HTML_EXT and _HTML_TAG.search(stripped):
        return "html"
    return "text"


def sniff_kind(path: str | Path) -> str:
    """Kind of file: "text", "pdf", "docx", "html" or "image"; IngestError for anything else.

    Plain text is only a candidate here: the encoding check in `load_file` still
    rejects binary data that has no recognisable signature.
    """
    path = Path(path)
    try:
        with path.open("rb") as f:
            head = f.read(8192)
    except OSError as e:
        raise IngestError(str(path), f"cannot read file ({e.strerror or e})") from e
    kind = kind_of_bytes(head, str(path))
    if kind != "zip":
        return kind
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError) as e:
        raise IngestError(
            str(path), f"corrupt ZIP/Office file ({e}); re-save or re-download it"
        ) from e
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names or "ppt/presentation.xml" in names:
        raise IngestError(
            str(path), "unsupported file type: Excel/PowerPoint; export it as PDF or .docx"
        )
    raise IngestError(str(path), "unsupported file type: ZIP archive; extract it first")
