r"""Metadata of a news report about a directive, read from the sentence that announces it.

Provincial portals republish directives as news items: no header block, no
"Số:" line, yet the lead says which document it is, when and by whom it was
issued ("(ABO) Ngày 19-1-2024, UBND tỉnh Tiền Giang ban hành Kế hoạch 20 thực
hiện …"). `lead_metadata` reads those fields so the report can be filtered,
cited and asked about like the directive it reports.

>>> lead_metadata("(ABO) Ngày 19-1-2024, UBND tỉnh Tiền Giang ban hành Kế hoạch 20 thực hiện NQ 01")
Lead(doc_type='Kế hoạch', number='20', date='2024-01-19', issuer='Ủy ban nhân dân tỉnh Tiền Giang', place='Tiền Giang')
>>> lead_metadata("Sở Y tế vừa ban hành Công văn số 3646/SYT-VP ngày 24/10/2023 về việc …").number
'3646/SYT-VP'
>>> lead_metadata("Triển khai nhiệm vụ trọng tâm Quý II/2023, UBND tỉnh yêu cầu các sở …") is None
True
>>> body = "Tình hình còn khó khăn, " * 12
>>> lead_metadata(body + "\nNgày 3/4/2017, Chính phủ đã ban hành Nghị định số 33/2017/NĐ-CP") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.dates import parse_vn_date
from ingest.header_lines import DOC_TYPES, fold_keep
from ingest.issuer import issuer_name
from ingest.places import find_places

_LEAD_CHARS = 1500
# The lead is the first paragraph after a headline, a dateline, a source tag; an
# announcement after a body paragraph recalls a document the text only cites.
_LINES_BEFORE = 3
_HEADLINE_CHARS = 250
_TYPES = "|".join(sorted((re.escape(k) for k in DOC_TYPES), key=len, reverse=True))
_NUMBER = r"(\d[\w.]*(?:\s*[/-]\s*[\w.&]+)*)"
# On the folded copy (same length as the text). The lead opens with the date or with the
# issuer and says "ban hành <type> (số) <number>"; "Trước đó, Ban … ban hành Nghị quyết
# 18-NQ/TW" recalls an older document and is no lead.
_DATED = re.compile(
    rf"(?:^|\n)[ \t]*(?:\([^)\n]{{1,20}}\)\s*)?ngay\s+(\d{{1,2}}\s*[/.-]\s*\d{{1,2}}\s*[/.-]\s*\d{{4}}"
    rf"|\d{{1,2}}\s+thang\s+\d{{1,2}}\s+nam\s+\d{{4}})\s*,\s*([^.;:\n]{{2,120}}?)\s+(?:da\s+|vua\s+)?"
    rf"ban hanh\s+({_TYPES})\s+(?:so\s*:?\s*)?{_NUMBER}"
)
_ISSUER_FIRST = re.compile(
    rf"(?:^|\n)[ \t]*(?:\([^)\n]{{1,20}}\)\s*)?()([^.;:\n]{{2,120}}?)\s+(?:da\s+|vua\s+)?"
    rf"ban hanh\s+({_TYPES})\s+(?:so\s*:?\s*)?{_NUMBER}\s*,?\s*ngay\s+"
)


@dataclass(frozen=True)
class Lead:
    """The announced document's fields; `number` as written ("20", "389/NQ-CP")."""

    doc_type: str
    number: str
    date: str | None
    issuer: str | None
    place: str | None


def lead_metadata(text: str) -> Lead | None:
    """The document a news lead announces, or None when the lead announces none."""
    head = text[:_LEAD_CHARS]
    folded = fold_keep(head)
    m = _DATED.search(folded) or _ISSUER_FIRST.search(folded)
    if m is None:
        return None
    before = [line for line in head[: m.start() + 1].split("\n") if line.strip()]
    if len(before) > _LINES_BEFORE or any(len(line) > _HEADLINE_CHARS for line in before):
        return None
    verb = folded.rfind("ban hanh", m.start(2), m.start(3))
    if head[verb].isupper():
        return None  # "Luật Ban hành văn bản …" is a name, not the verb
    number = re.sub(r"\s+", "", head[m.start(4) : m.end(4)]).rstrip(".,")
    if m.group(1):
        date = parse_vn_date(head[m.start(1) : m.end(1)])
    else:
        date = parse_vn_date(head[m.end() - 5 : m.end() + 30])
    subject = re.sub(r"\s*\([^)]*\)", "", head[m.start(2) : m.end(2)]).strip()
    issuer = issuer_name([subject]) if subject[:1].isupper() else None
    found = find_places(issuer) if issuer else ()
    return Lead(DOC_TYPES[m.group(3)], number, date, issuer, found[0] if found else None)
