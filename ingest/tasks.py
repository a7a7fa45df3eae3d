"""Who does what by when: task assignments read from a directive.

Three sources, each a general shape of Vietnamese plans:
1. a heading that names bodies ("2. Sở Công Thương chủ trì:", "6. Sở Công Thương")
   owns every sub-item or bullet under it, one assignment each;
2. a sentence whose clause opens with bodies and a verb ("Giao Sở KH&ĐT chủ trì,
   phối hợp với Sở Tài chính …", "Bộ CHQS tỉnh có trách nhiệm tham mưu …");
3. an appendix task table (TT / nội dung / cơ quan chủ trì / phối hợp / thời gian):
   one lead per row, plus its partners, with the time cell as deadline.
Offsets are found in the cleaned text and mapped back, so `quote == doc.text[start:end]`.

>>> from ingest.clean import clean
>>> from vanban.types import DocMeta, Document
>>> text = "I. NHIỆM VỤ\\n1. Sở Công Thương chủ trì:\\na) Quản lý cụm công nghiệp, trước ngày 30/11/2025.\\n"
>>> a = extract_assignments(Document("d", "x", text, DocMeta()), clean(text))[0]
>>> a.agency_key, a.role, a.deadline, a.quote
('Sở Công Thương', 'chủ trì', '2025-11-30', 'a) Quản lý cụm công nghiệp, trước ngày 30/11/2025.')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

from ingest.clean import Cleaned
from ingest.deadlines import parse_deadline
from ingest.structure import OutlineNode, parse_outline
from ingest.task_clauses import DO, LEAD, sentence_roles
from ingest.task_units import Unit, owner_of, owner_units, sentence_units, table_units
from vanban.types import Assignment

__all__ = ["Assignment", "assignments_to_rows", "extract_assignments", "from_row", "parse_deadline"]


_TASK_CHARS = 200
_LEAD_MARK = re.compile(r"^\s*(?:[-+•*–]\s*|\(?(?:\d{1,3}|[a-zđ]|[IVXLC]{1,5})\s*[.):]\s+)*")


def task_text(unit: str) -> str:
    """The task's words: markers dropped, first sentence, at most ~200 characters.

    >>> task_text("a) Xây dựng kế hoạch phát triển. Tổ chức thực hiện.")
    'Xây dựng kế hoạch phát triển.'
    """
    s = " ".join(_LEAD_MARK.sub("", unit, count=1).split())
    m = re.search(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])", s)
    if m and m.start() >= 20:
        s = s[: m.start()]
    if len(s) > _TASK_CHARS:
        cut = s[: _TASK_CHARS - 1]
        s = cut[: cut.rfind(" ")].rstrip(" ,;:") + "…"
    return s


def _section_at(outline: Sequence[OutlineNode], pos: int) -> tuple[str, ...]:
    path: tuple[str, ...] = ()
    for node in outline:
        if node.start <= pos < max(node.end, node.body_start) and len(node.path) >= len(path):
            path = node.path
    return path


def _from_unit(unit: Unit, text: str, doc_date: str | None) -> list[tuple]:
    """(mention, role, task, deadline_text, deadline, start, end) of one unit."""
    body = text[unit.start : unit.end]
    if unit.deadline_cell is not None:
        dl_text, dl = parse_deadline(unit.deadline_cell, doc_date)
        dl_text = dl_text or (unit.deadline_cell or None)
    else:
        dl_text, dl = parse_deadline(body, doc_date, in_sentence=True)
    task = unit.task if unit.task is not None else task_text(body)
    return [(m, role, task, dl_text, dl, unit.start, unit.end) for m, role in unit.bodies]


def extract_assignments(
    doc: Any, cleaned: Cleaned, outline: Sequence[OutlineNode] | None = None
) -> list[Assignment]:
    """Every task assignment in `doc` (a `vanban.types.Document`), in document order."""
    text = cleaned.text
    outline = parse_outline(text) if outline is None else outline
    doc_date = getattr(doc.meta, "date", None)
    raw: list[tuple] = []
    owners = owner_units(text, outline)
    owned = [(u.start, u.end) for u in owners]
    for unit in [*owners, *table_units(text, outline)]:
        raw.extend(_from_unit(unit, text, doc_date))
    leads = [(u.start, u.end) for u in owners if any(r == LEAD for _, r in u.bodies)]
    issuer = _issuer_key(doc)
    heads = _owner_headings(text, outline, owners)
    for start, end, lead_ctx in sentence_units(text, outline, heads, leads):
        sentence = text[start:end]
        for clause in sentence_roles(sentence, lead_context=lead_ctx):
            key = clause.mention.canonical
            if key == issuer or (
                key == "Ủy ban nhân dân tỉnh" and clause.role == DO and not lead_ctx
            ):
                continue  # the issuer does not assign work to itself
            rest = sentence[clause.verb_at :]
            if len(rest.split()) < 3:
                continue
            m = clause.mention
            shifted = type(m)(m.surface, m.canonical, m.start + start, m.end + start)
            dl_text, dl = parse_deadline(sentence, doc_date, in_sentence=True)
            raw.append((shifted, clause.role, task_text(sentence), dl_text, dl, start, end))
    out: dict[tuple, Assignment] = {}
    for m, role, task, dl_text, dl, a, b in sorted(raw, key=lambda r: (r[5], r[0].start)):
        span = _covering(owned, a, b)
        key = (m.canonical, role, span)
        if key in out:
            continue
        o_start, o_end = cleaned.to_original(a, b)
        out[key] = Assignment(
            agency=m.surface,
            agency_key=m.canonical,
            role=role,
            task=task,
            deadline_text=dl_text,
            deadline=dl,
            doc_id=doc.doc_id,
            section=_section_at(outline, a),
            quote=doc.text[o_start:o_end],
            start=o_start,
            end=o_end,
        )
    return list(out.values())


def _owner_headings(
    text: str, outline: Sequence[OutlineNode], owners: Sequence[Unit]
) -> list[tuple[int, int]]:
    """Heading lines that own items: their words are already those items' context."""
    return [
        (n.start, n.body_start)
        for n in outline
        if n.kind not in ("row", "row_group")
        and any(n.body_start <= u.start < n.end for u in owners)
        and owner_of(text, n)
    ]


def _covering(spans: list[tuple[int, int]], a: int, b: int) -> tuple[int, int]:
    """The owned unit containing [a, b), so a sentence inside it does not repeat its body."""
    for s, e in spans:
        if s <= a and b <= e:
            return s, e
    return a, b


def _issuer_key(doc: Any) -> str | None:
    from ingest.agency import canonical_agency

    issuer = getattr(doc.meta, "issuer", None)
    return canonical_agency(issuer) if issuer else None


def assignments_to_rows(assignments: Iterable[Assignment]) -> list[dict[str, Any]]:
    """Plain dicts for JSON lines (`tasks.jsonl`); `from_row` reads them back."""
    return [{**asdict(a), "section": list(a.section)} for a in assignments]


def from_row(row: dict[str, Any]) -> Assignment:
    """The `Assignment` a row of `assignments_to_rows` was made from."""
    return Assignment(**{**row, "section": tuple(row["section"])})
