"""Vietnamese dates: parse one, and find a document's place-date line.

>>> parse_vn_date("ngày 19 tháng 01 năm 2023")
'2023-01-19'
>>> parse_vn_date("31/02/2023") is None
True
>>> find_place_date("UBND\\nBến Tre, ngày 19 tháng 01\\nnăm 2023\\nKẾ HOẠCH")
('2023-01-19', 'Bến Tre')
"""

from __future__ import annotations

import datetime as dt
import re

from ingest.header_lines import fold_keep

# Matched on the folded text, so "ngay"/"ngày"/"NGÀY" and OCR without marks all work.
# A month printed "0 7" (a stray space from PDF extraction) is accepted.
_VERBAL = re.compile(r"ngay\s*(\d{1,2})\s*,?\s+thang\s*(0\s?\d|\d{1,2})\s*,?\s+nam\s*(\d{4})(?!\d)")
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})(?![\d/])")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def _iso(day: str, month: str, year: str) -> str | None:
    try:
        d = dt.date(int(year), int(month.replace(" ", "")), int(day))
    except ValueError:
        return None
    # Directives of the Republic: nothing before 1945, nothing from the far future.
    return d.isoformat() if 1945 <= d.year <= 2100 else None


def parse_vn_date(s: str) -> str | None:
    """ISO date of the first date expression in `s`, or None when there is none or it is invalid.

    Accepts "ngày 19 tháng 01 năm 2023", "19/01/2023", "19-1-2024", "19.01.2023",
    "ngày 19/01/2023" and ISO "2023-01-19"; line breaks inside are fine.

    >>> parse_vn_date("Bến Tre, ngày 19 tháng 01\\nnăm 2023")
    '2023-01-19'
    >>> parse_vn_date("19-1-2024"), parse_vn_date("ngày 19/01/2023")
    ('2024-01-19', '2023-01-19')
    >>> parse_vn_date("ngày … tháng … năm 2023") is None
    True
    """
    folded = fold_keep(s)
    found: list[tuple[int, str | None]] = []
    if m := _VERBAL.search(folded):
        found.append((m.start(), _iso(m.group(1), m.group(2), m.group(3))))
    if m := _NUMERIC.search(folded):
        found.append((m.start(), _iso(m.group(1), m.group(3), m.group(4))))
    if m := _ISO.search(folded):
        found.append((m.start(), _iso(m.group(3), m.group(2), m.group(1))))
    return min(found)[1] if found else None


# A place is 1-5 capitalised words ("Bến Tre", "TP. Hồ Chí Minh", "Hà\nNội") just before ", ngày".
_PLACE_WORD = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]*|TP\.|Tp\.|TP)$")
_PLACE_STOP = {"Số", "Ngày", "Độc", "Hạnh", "Phúc", "Tự", "Do"}


def _place_before(text: str, pos: int) -> str | None:
    # A table-cell border ends the place: "| ... tại Việt Nam | Hà Nội, ngày".
    before = text[max(0, pos - 60) : pos].rsplit("|", 1)[-1]
    tokens = re.sub(r"[*_#]+", " ", before).rstrip(" ,").split()
    words: list[str] = []
    for tok in reversed(tokens):
        if len(words) == 5 or not _PLACE_WORD.match(tok) or tok in _PLACE_STOP:
            break
        words.insert(0, tok)
    return " ".join(words) or None


def find_place_date(text: str) -> tuple[str, str | None] | None:
    """(ISO date, place) of the first place-date line in `text` ("Bến Tre, ngày 19 tháng 01 năm 2023").

    Only a date introduced by a place name, or standing alone at the start of a
    short line, counts: dates cited inside sentences are not the document's date.
    """
    folded = fold_keep(text)
    for m in _VERBAL.finditer(folded):
        iso = _iso(m.group(1), m.group(2), m.group(3))
        if iso is None:
            continue
        place = _place_before(text, m.start())
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        before = text[line_start : m.start()].rstrip(" |*_#")
        tail_short = len(text[m.end() : line_end].strip(" |*_#.")) <= 3
        own_line = not before.strip(" ,") and line_end - m.end() < 20
        # "T hành phố Hồ Chí M inh, ngày ..." (broken place) still ends its line or cell.
        after_comma = before.endswith(",") and tail_short
        if place or own_line or after_comma:
            return iso, place
    return None
