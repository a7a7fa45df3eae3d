"""How answers and citations are shown, shared by `vanban ask` and the web UI.

>>> from vanban.types import Citation, DocMeta
>>> m = DocMeta(number="370/KH-UBND", doc_type="Kế hoạch", date="2023-01-19",
...             issuer="Ủy ban nhân dân tỉnh Bến Tre")
>>> citation_label(Citation("x.txt", "d", m, ("II. NHIỆM VỤ", "6. Sở Công\\nThương"), "q", 0, 1))
'Kế hoạch 370/KH-UBND ngày 19/01/2023 — Ủy ban nhân dân tỉnh Bến Tre — mục 6. Sở Công Thương'
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from vanban.types import Answer, Citation, Document

NO_ANSWER = "Không tìm thấy câu trả lời chắc chắn."


def _one_line(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def vn_date(iso: str | None) -> str | None:
    """'2023-01-19' -> '19/01/2023'; anything else unchanged."""
    if iso and re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        y, m, d = iso.split("-")
        return f"{d}/{m}/{y}"
    return iso


def citation_label(c: Citation) -> str:
    """One line naming the document and section a quote comes from."""
    m = c.meta
    head = " ".join(x for x in (m.doc_type, m.number) if x) or PurePath(c.source).name
    parts = [head + (f" ngày {vn_date(m.date)}" if m.date else "")]
    if m.issuer:
        parts.append(m.issuer)
    if c.section:
        parts.append("mục " + _one_line(c.section[-1]))
    return " — ".join(parts)


def citation_to_json(c: Citation) -> dict[str, Any]:
    m = c.meta
    return {
        "source": c.source,
        "doc_id": c.doc_id,
        "number": m.number,
        "doc_type": m.doc_type,
        "date": m.date,
        "issuer": m.issuer,
        "subject": m.subject,
        "section": list(c.section),
        "quote": c.quote,
        "start": c.start,
        "end": c.end,
    }


def answer_to_json(answer: Answer, documents: dict[str, Document]) -> dict[str, Any]:
    """The `vanban ask --json` object; `documents` maps the hits' doc_ids to their documents."""
    from search.jsonview import hit_to_json

    return {
        "question": answer.question,
        "kind": answer.kind,
        "answer": answer.text,
        "confidence": answer.confidence,
        "abstained": answer.abstained,
        "citations": [citation_to_json(c) for c in answer.citations],
        "hits": [
            hit_to_json(h, documents[h.chunk.doc_id], i) for i, h in enumerate(answer.hits, 1)
        ],
    }


def answer_lines(answer: Answer, passages: int = 3) -> list[str]:
    """Plain-text rendering: the answer, numbered citations with quotes, then the top passages."""
    lines = [answer.text if answer.text is not None else NO_ANSWER]
    if answer.text is not None:
        lines[0] += f"  (độ tin cậy {answer.confidence:.2f})"
    for i, c in enumerate(answer.citations, 1):
        lines.append(f"[{i}] {citation_label(c)}")
        lines.append(f"    “{_one_line(c.quote)}”")
    if answer.hits and passages:
        lines.append("")
        lines.append("Đoạn văn liên quan:")
        for i, h in enumerate(answer.hits[:passages], 1):
            path = " › ".join(_one_line(s) for s in h.chunk.section)
            body = _one_line(h.chunk.text)
            lines.append(f"  ({i}) {path}" if path else f"  ({i})")
            lines.append("      " + body[:400] + ("…" if len(body) > 400 else ""))
    return lines
