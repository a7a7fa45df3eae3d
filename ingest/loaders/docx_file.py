"""Word .docx -> text: paragraphs and tables in document order.

Table layout: one line per row, cells joined by " | " (merged cells appear
once), blank line before and after the table. A downstream table parser can
split rows on newlines and cells on " | "; that is the same shape as the
pipe tables already found in scraped seeds (samples/004_…). Line breaks
inside a cell become spaces so a row stays one line.

Example: a document with a heading, a 2x2 table and a closing paragraph gives
"Kế hoạch\\n\\nTT | Nội dung\\n1 | Sở Công Thương chủ trì\\n\\nKết thúc".
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from vanban.errors import IngestError


def _cells_text(row) -> list[str]:
    cells: list[str] = []
    seen: set[int] = set()
    for cell in row.cells:
        # A horizontally merged cell is returned once per grid column; keep it once.
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(" ".join(cell.text.split()))
    return cells


def load_docx(path: str | Path) -> str:
    """Text of a .docx file; raises IngestError when python-docx cannot open it."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise IngestError(str(path), f"corrupt .docx ({e}); re-save it from Word") from e
    blocks: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            blocks.append(block.text)
        elif isinstance(block, Table):
            rows = [" | ".join(_cells_text(row)) for row in block.rows]
            blocks.append("\n" + "\n".join(rows) + "\n")
    return "\n".join(blocks).strip("\n") + "\n"
