"""Deadlines of assigned tasks: find the phrase, and its last day when it names one.

"trước ngày 30/11/2025" is exact; "trong tháng 12 năm 2025", "Quý III/2025" and
"năm 2025" end on the last day of their month, quarter or year; "Thường xuyên",
"định kỳ hằng tháng" and "Tháng 12 hằng năm" recur and have no single date.
A missing year is the document's year.

>>> parse_deadline("Hoàn thành trước ngày 30/11/2025.", None)
('Hoàn thành trước ngày 30/11/2025', '2025-11-30')
>>> parse_deadline("Quý III/2025", None), parse_deadline("Thường xuyên", None)
(('Quý III/2025', '2025-09-30'), ('Thường xuyên', None))
>>> parse_deadline("trong tháng 12", "2023-01-19")
('trong tháng 12', '2023-12-31')
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ingest.header_lines import fold_keep

_SEP = r"\s*(?:/|-|\.|,?\s+nam\s+|\s+thang\s+)\s*"
_BEFORE = (
    r"(?:truoc|cham nhat(?:\s+(?:la|vao|truoc))?|han chot|den han|trong|vao|den|xong|tu nay den)"
)
_DONE = r"(?:(?:hoan thanh|xong|thuc hien xong|gui|trinh|bao cao)\s+)?"
_EXACT = re.compile(
    rf"{_DONE}(?:{_BEFORE}\s+)?ngay\s+(\d{{1,2}}){_SEP}(\d{{1,2}})(?:{_SEP}(\d{{4}}))?(?![\d/])"
)
_MONTH = re.compile(
    rf"{_DONE}(?:(trong|truoc|cuoi|vao|den(?:\s+het)?)\s+)?thang\s+(\d{{1,2}})(?:{_SEP}(\d{{4}}))?(?![\d/])"
)
_QUARTER = re.compile(
    rf"{_DONE}(?:(trong|truoc|cuoi|vao|den(?:\s+het)?)\s+)?quy\s+(iv|i{{1,3}}|[1-4])(?![\w])(?:{_SEP}(\d{{4}}))?"
)
_HALF = re.compile(rf"{_DONE}(?:(trong|truoc|cuoi|vao)\s+)?6 thang (dau|cuoi) nam(?:\s+(\d{{4}}))?")
_YEAR = re.compile(
    rf"{_DONE}(?:(trong|truoc|cuoi|vao|den(?:\s+het)?)\s+)?(?:nam\s+)?((?:19|20)\d\d)(?:\s*-\s*((?:19|20)\d\d))?(?![\d/])"
)
_RECUR = re.compile(
    r"thang\s+\d{1,2}\s+hang\s+nam|thuong xuyen|dinh ky(?:\s+hang\s+(?:ngay|tuan|thang|quy|nam)"
    r"|\s+\d+\s+thang(?:\s+mot\s+lan)?)?|hang\s+(?:ngay|tuan|thang|quy|nam)(?![\w])"
)
_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _date(year: int, month: int, day: int | None = None) -> str | None:
    """ISO date; day None means the last day of the month."""
    try:
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, day or last).isoformat()
    except (ValueError, calendar.IllegalMonthError):
        return None


def _year(group: str | None, doc_date: str | None) -> int | None:
    if group:
        return int(group)
    return int(doc_date[:4]) if doc_date else None


def _candidates(
    f: str, doc_date: str | None, in_sentence: bool
) -> list[tuple[int, int, int, str | None]]:
    """(start, end, precision rank, iso) of every deadline phrase in folded text f."""
    out: list[tuple[int, int, int, str | None]] = []
    for m in _EXACT.finditer(f):
        if in_sentence and not re.search(_BEFORE, m.group(0)[: m.group(0).find("ngay")]):
            continue  # "ngày 19/01/2023" alone in a sentence dates a document, not a task
        year = _year(m.group(3), doc_date)
        iso = _date(year, int(m.group(2)), int(m.group(1))) if year else None
        out.append((m.start(), m.end(), 0, iso))
    for m in _MONTH.finditer(f):
        if f.startswith(" hang nam", m.end()) or (in_sentence and not m.group(1)):
            continue
        if not m.group(1) and not m.group(3) and not in_sentence and m.start() > 0:
            continue
        year, month = _year(m.group(3), doc_date), int(m.group(2))
        if year is None or not 1 <= month <= 12:
            continue
        if m.group(1) == "truoc":
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        out.append((m.start(), m.end(), 1, _date(year, month)))
    for m in _QUARTER.finditer(f):
        q = _ROMAN_Q.get(m.group(2)) or int(m.group(2))
        year = _year(m.group(3), doc_date)
        if m.group(1) == "truoc":
            q -= 1
        iso = _date(year, 3 * q) if year and q >= 1 else (_date(year - 1, 12) if year else None)
        out.append((m.start(), m.end(), 2, iso))
    for m in _HALF.finditer(f):
        year = _year(m.group(3), doc_date)
        out.append(
            (m.start(), m.end(), 2, _date(year, 6 if m.group(2) == "dau" else 12) if year else None)
        )
    for m in _YEAR.finditer(f):
        worded = m.group(0).find("nam") >= 0 or m.group(1)
        limit = m.group(1) in ("truoc", "cuoi", "den het")
        if in_sentence and not (limit or m.group(0).startswith(("hoan", "xong"))):
            continue  # "năm 2024" in a sentence is a period, not a deadline
        if not in_sentence and not worded and f[: m.start()].strip():
            continue  # a bare "2025" only counts as a whole cell
        year = int(m.group(3) or m.group(2)) - (1 if m.group(1) == "truoc" else 0)
        out.append((m.start(), m.end(), 3, _date(year, 12)))
    for m in _RECUR.finditer(f):
        if (
            in_sentence
            and m.group(0) == "thuong xuyen"
            and f[: m.start()].rstrip()[-1:] not in ("", ",", ";", ":", "-", ".")
        ):
            continue  # "giáo dục thường xuyên", "chi thường xuyên": a noun, not a rhythm
        out.append((m.start(), m.end(), 4, None))
    return out


def parse_deadline(
    text: str, doc_date: str | None, *, in_sentence: bool = False
) -> tuple[str | None, str | None]:
    """(phrase as written, ISO last day or None) of the first deadline in `text`, else (None, None).

    `text` is a table cell or a task's words. With `in_sentence`, bare periods
    ("năm 2024", "ngày 5-1-2024") are not deadlines: only phrases that set a limit
    ("trước", "hoàn thành trong", "chậm nhất") or a rhythm count.

    >>> parse_deadline("năm 2025", None), parse_deadline("2025", None)
    (('năm 2025', '2025-12-31'), ('2025', '2025-12-31'))
    >>> parse_deadline("tăng trưởng năm 2024 đạt 7%", None, in_sentence=True)
    (None, None)
    >>> parse_deadline("hoàn thành trong tháng 12 năm 2025", None, in_sentence=True)
    ('hoàn thành trong tháng 12 năm 2025', '2025-12-31')
    """
    folded = fold_keep(text)
    found = _candidates(folded, doc_date, in_sentence)
    if not found:
        return None, None
    start, end, _, iso = min(found, key=lambda c: (c[0], c[2], -c[1]))
    return text[start:end].strip(), iso
