"""Header metadata of one official document: number, type, date, place, issuer, subject, signer.

Works on the raw text of ONE document (NFC, hard-wrapped, OCR noise possible).
Every field is read from where the document prints it; a field that is not
printed stays None, and the few inferences we allow (type from the number's
code, date from a digital-signature stamp, the fields of a news report from
the lead sentence that announces the directive) are announced in the warnings.

>>> meta, warnings = extract_metadata(
...     "UBND TỈNH TÂY NINH\\nSỞ Y TẾ\\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\n"
...     "Số: 3646 /SYT-VP\\nTây Ninh, ngày 24 tháng 10 năm 2023\\nV/v Tham mưu thực hiện\\n\\n"
...     "Nội dung./.\\nNơi nhận:\\n- Như trên;\\n- Lưu: VT.\\nGIÁM ĐỐC\\nTrương Văn Hùng")
>>> meta.number, meta.doc_type, meta.date, meta.place, meta.issuer, meta.signer
('3646/SYT-VP', 'Công văn', '2023-10-24', 'Tây Ninh', 'Sở Y tế tỉnh Tây Ninh', 'Trương Văn Hùng')
"""

from __future__ import annotations

import re

from ingest.closing import find_signer, recipients
from ingest.dates import find_place_date, parse_vn_date
from ingest.header_lines import (
    DOC_TYPES,
    QUOC_HIEU,
    SIGN_TIME_RAW,
    TYPE_CODES,
    Line,
    fold_keep,
    is_blank_or_rule,
    is_motto,
    is_role_line,
    is_upper_line,
    split_lines,
    title_type,
)
from ingest.issuer import issuer_name
from ingest.lead import lead_metadata
from vanban.types import DocMeta

_HEADER_LINES = 40  # non-blank lines searched for header fields
_NUMBER = re.compile(
    r"(?:(?<=[\s|*(:])|^)(?:luat\s+|lenh\s+)?(so)\s*(:?)\s*(\d[\w.]*(?:\s*[/-]\s*[\w.&]+)+)", re.M
)
_VV = re.compile(r"(?:^|[\s|*(])v\s*/\s*v\b\s*[:.]?\s*")
_BODY_OPENER = re.compile(
    r"^(?:can\s+cu|thuc\s+hien|kinh\s+gui|theo\s|ngay\s+\d|qua\s|xet\s|tren\s+co\s+so|nham\s"
    r"|de\s|dieu\s+1|chuong\s+[i1]\b|phan\s+(?:i|1|mot)\b|i\.\s)"
)
_FIRST_LINE_TYPE = re.compile(
    r"^(" + "|".join(sorted(DOC_TYPES, key=len, reverse=True)) + r")\s+\w"
)
_SIGNATURE_TIME = re.compile(r"thoi\s+gian\s+ky\s*:?\s*")


def _header_limit(lines: list[Line]) -> int:
    """Index just past the first `_HEADER_LINES` non-blank lines."""
    seen = 0
    for i, line in enumerate(lines):
        if line.text.strip():
            seen += 1
            if seen == _HEADER_LINES:
                return i + 1
    return len(lines)


def _number(header: str) -> str | None:
    for m in _NUMBER.finditer(fold_keep(header)):
        # "Số: 3646/SYT-VP", "Luật số: 60/2024/QH15", or "Số 12/QĐ" opening a line; never
        # "Chỉ thị số 08/CT-TTg" inside a sentence.
        before = header[header.rfind("\n", 0, m.start()) + 1 : m.start()]
        at_start = not before.strip(" |*_(\t") or fold_keep(before).strip(" |*_").endswith(
            ("luat", "lenh")
        )
        if not (m.group(2) or (at_start and header[m.start(1)] == "S")):
            continue
        raw = header[m.start(3) : m.end(3)]
        number = re.sub(r"\s+", "", raw).rstrip(".,").replace("Ð", "Đ")
        if any(c.isalpha() for c in number):
            return number
    return None


def _type_from_number(number: str) -> str | None:
    for part in re.split(r"[/-]", number)[1:]:
        code = part.upper()
        if code in TYPE_CODES:
            return TYPE_CODES[code]
        if code.startswith("QH") and number.count("/") == 2:  # "60/2024/QH15": a law
            return "Luật"
    return None


def _title(lines: list[Line], limit: int) -> tuple[int, str] | None:
    for i in range(limit):
        doc_type = title_type(lines[i].text)
        if doc_type:
            return i, doc_type
    first = next((ln for ln in lines[:limit] if ln.text.strip()), None)
    # A title in sentence case opening the text: a short line, not a sentence ending in "."
    title_like = first is not None and len(first.bare) <= 300 and not first.bare.endswith(".")
    if first and title_like and (m := _FIRST_LINE_TYPE.match(fold_keep(first.bare))):
        # Sources that lost their header start with "Quyết định ban hành ..." in sentence case.
        return lines.index(first) - 1, DOC_TYPES[re.sub(r"\s+", " ", m.group(1))]
    return None


def _subject_from(lines: list[Line], i: int, first: str) -> tuple[str, int]:
    """Join a wrapped subject starting with `first` on line i; return it and the last line used."""
    parts = [first.strip()] if first.strip() else []
    upper = is_upper_line(first) if parts else None
    j = i + 1
    while j < len(lines) and len(parts) < 6:
        text = lines[j].bare
        key = fold_keep(text)
        if not text:
            if parts:
                break
            j += 1
            continue
        if (
            _BODY_OPENER.match(key)
            or is_role_line(text)
            or title_type(text)
            or is_blank_or_rule(text)
            or find_place_date(text)
            or re.match(
                r"^(?:chu\s+tich|uy\s+ban|hoi\s+dong|chinh\s+phu|quoc\s+hoi|bo\s+truong)", key
            )
        ):
            break
        if upper is None:
            upper = is_upper_line(text)
        elif upper and not is_upper_line(text):
            break
        parts.append(text)
        j += 1
    return re.sub(r"\s+", " ", " ".join(parts)).strip(" .;") or "", j - 1


def _subject(lines: list[Line], limit: int, title_at: int | None) -> tuple[str | None, int]:
    for i in range(limit):
        m = _VV.search(lines[i].key)
        if m:
            subject, end = _subject_from(lines, i, lines[i].text[m.end() :])
            return subject or None, end
    if title_at is not None:
        subject, end = _subject_from(lines, title_at, "")
        return subject or None, end
    return None, -1


def _issuer_lines(lines: list[Line], text: str, limit: int) -> list[str]:
    """Upper-case lines right above the national motto (or the Số line), top to bottom."""
    head_end = lines[limit - 1].end if limit else 0
    m = next(
        (m for m in QUOC_HIEU.finditer(fold_keep(text[:head_end])) if is_motto(text, *m.span())),
        None,
    )
    if not m:
        return []
    row = next(k for k, ln in enumerate(lines) if ln.end >= m.start())
    same_line = text[lines[row].start : m.start()]
    found = [same_line] if is_upper_line(same_line.strip(" |*-\t")) else []
    k = row - 1
    while k >= 0 and len(found) < 6:
        line = lines[k].text
        if is_blank_or_rule(line):
            k -= 1
            continue
        if not is_upper_line(line) or any(c.isdigit() for c in line) or is_role_line(line):
            break
        found.insert(0, line)
        k -= 1
    return found


def _signature_date(text: str, lines: list[Line]) -> str | None:
    for line in lines:
        if SIGN_TIME_RAW.search(line.text) and (m := _SIGNATURE_TIME.search(line.key)):
            pos = line.start + m.end()
            return parse_vn_date(text[pos : pos + 40])
    return None


def extract_metadata(text: str) -> tuple[DocMeta, list[str]]:
    """Metadata of ONE document's text plus warnings about what is missing or inferred."""
    warnings: list[str] = []
    lines = split_lines(text)
    limit = _header_limit(lines)
    header = text[: lines[limit - 1].end] if limit else ""

    number = _number(header)
    title = _title(lines, limit)
    subject, subject_end = _subject(lines, limit, title[0] if title else None)
    doc_type = title[1] if title else None
    if doc_type is None and _VV.search(fold_keep(header)):
        doc_type = "Công văn"
    if doc_type is None and number:
        doc_type = _type_from_number(number)
        if doc_type:
            warnings.append(f"document type inferred from the number's type code ({number})")

    place_date = find_place_date(header)
    date, place = place_date if place_date else (None, None)
    if date is None and (signed := _signature_date(text, lines)):
        date = signed
        warnings.append("date taken from the digital-signature time, not the document header")

    issuer = issuer_name(_issuer_lines(lines, text, limit))
    header_end = max(subject_end, title[0] if title else 0, 0)
    signer = find_signer(lines, header_end + 1)
    if number is None and date is None and issuer is None:
        if lead := lead_metadata(text):
            # A news report of a directive: its lead names the document it reports.
            doc_type, number, date, issuer = lead.doc_type, lead.number, lead.date, lead.issuer
            place = place or lead.place
            warnings.append(
                f"no header block; type, number, date and issuer read from the lead sentence "
                f"that announces {lead.doc_type} {lead.number}"
            )
        else:
            warnings.append("no header block found (no Số line, place-date line or issuer)")
    if signer is None:
        warnings.append("no signer found in a signature block")
    meta = DocMeta(
        number=number,
        doc_type=doc_type,
        date=date,
        place=place,
        issuer=issuer,
        subject=subject,
        signer=signer,
        recipients=recipients(lines, header_end),
    )
    return meta, warnings
