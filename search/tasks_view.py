"""Task assignments as a table: filter by agency and deadline, sort, export to CSV.

Shared by `vanban tasks` and the web chat's Tasks tab. An agency query matches
an assignment when both name the same body once canonicalised ("Sở KH&ĐT" ==
"Sở Kế hoạch và Đầu tư"), or when its folded words occur in the body's name
("cong thuong" finds "Sở Công Thương").

>>> parse_day("19/01/2023"), parse_day("2023-1-9"), parse_day("")
('2023-01-19', '2023-01-09', None)
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from datetime import date

from ingest.text import fold_diacritics
from search.render import vn_date
from vanban.errors import VanbanError
from vanban.types import Assignment

HEADERS = ("Cơ quan", "Vai trò", "Nhiệm vụ", "Thời hạn", "Hạn (ISO)", "Văn bản", "Mục")
CSV_HEADERS = (
    "agency",
    "agency_key",
    "role",
    "task",
    "deadline_text",
    "deadline",
    "document",
    "doc_id",
    "section",
    "quote",
)


def parse_day(text: str | None) -> str | None:
    """A date typed by a user (YYYY-MM-DD or DD/MM/YYYY) as ISO; None when blank.

    VanbanError with the expected format for anything else, including 2023-02-30.
    """
    s = (text or "").strip()
    if not s:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", s)
        if not m:
            raise VanbanError(f"ngày {s!r} không hợp lệ: hãy nhập YYYY-MM-DD, ví dụ 2023-01-19")
        d, mo, y = (int(g) for g in m.groups())
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        raise VanbanError(
            f"ngày {s!r} không tồn tại: hãy nhập YYYY-MM-DD, ví dụ 2023-01-19"
        ) from None


def _fold(s: str) -> str:
    return " ".join(re.sub(r"[^\w&]+", " ", fold_diacritics(s)).split())


def agency_matcher(query: str | None):
    """A predicate on assignments for an agency query; None matches everything.

    >>> from vanban.types import Assignment
    >>> a = Assignment("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư", "chủ trì", "t", None, None, "d", (), "q", 0, 1)
    >>> [agency_matcher(q)(a) for q in ("Sở Kế hoạch và Đầu tư", "ke hoach", "Sở Y tế")]
    [True, True, False]
    """
    q = (query or "").strip()
    if not q:
        return lambda a: True
    from ingest.agency import canonical_agency

    key = canonical_agency(q)
    folded = _fold(q)

    def match(a: Assignment) -> bool:
        if a.agency_key == key:
            return True
        return folded in _fold(a.agency_key) or folded in _fold(a.agency)

    return match


def filter_assignments(
    assignments: Iterable[Assignment], *, agency: str | None = None, due_before: str | None = None
) -> list[Assignment]:
    """Assignments of `agency` due on or before `due_before` (ISO), sorted by agency then deadline.

    With `due_before`, assignments without a dated deadline are left out.
    """
    match = agency_matcher(agency)
    out = [
        a
        for a in assignments
        if match(a)
        and (due_before is None or (a.deadline is not None and a.deadline <= due_before))
    ]
    return sort_assignments(out)


def sort_assignments(items: Iterable[Assignment]) -> list[Assignment]:
    """By agency, then deadline (undated last), then document order."""
    return sorted(
        items,
        key=lambda a: (
            fold_diacritics(a.agency_key),
            a.deadline is None,
            a.deadline or "",
            a.doc_id,
            a.start,
        ),
    )


def _section(a: Assignment) -> str:
    return " › ".join(" ".join(s.split()) for s in a.section)


def table_rows(items: Iterable[Assignment], doc_labels: Mapping[str, str]) -> list[list[str]]:
    """Rows under `HEADERS`; `doc_labels` maps doc_id to a short document name."""
    return [
        [
            a.agency_key,
            a.role,
            a.task,
            a.deadline_text or "",
            vn_date(a.deadline) or "",
            doc_labels.get(a.doc_id, a.doc_id),
            " ".join(a.section[-1].split()) if a.section else "",  # full path in the CSV
        ]
        for a in items
    ]


def to_csv(items: Iterable[Assignment], doc_labels: Mapping[str, str]) -> str:
    """CSV text (header row first, RFC 4180 quoting) of the assignments."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_HEADERS)
    for a in items:
        w.writerow(
            [
                a.agency,
                a.agency_key,
                a.role,
                a.task,
                a.deadline_text or "",
                a.deadline or "",
                doc_labels.get(a.doc_id, a.doc_id),
                a.doc_id,
                _section(a),
                a.quote,
            ]
        )
    return buf.getvalue()


def doc_label(meta: Mapping) -> str:
    """Short name of a document from its metadata row: 'Kế hoạch 370/KH-UBND' or the file name.

    >>> doc_label({"doc_type": "Kế hoạch", "number": "370/KH-UBND", "source": "/x/004.txt"})
    'Kế hoạch 370/KH-UBND'
    """
    head = " ".join(x for x in (meta.get("doc_type"), meta.get("number")) if x)
    return head or str(meta.get("source", "")).rsplit("/", 1)[-1]
