"""Find where each original document begins inside a file that bundles several.

A new document starts at a header block (issuer lines, national motto, `Số:`
line, place-date) or at a bare document-type title (`THÔNG BÁO`) that follows
the previous document's closing (`Nơi nhận:` list, signature). We do not split
on a type mentioned in a sentence, on an appendix (`PHỤ LỤC`, `ban hành kèm
theo`), or on the blank form templates a decree reproduces (`Mẫu số 02`,
`Số: ..../QĐ`, `ngày ... tháng ... năm ...`).

>>> text = ("ỦY BAN NHÂN DÂN\\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\nSố: 1/UBND\\nNội dung./.\\n"
...         "Nơi nhận:\\n- Như trên.\\nCHỦ TỊCH\\nNguyễn Văn A\\n"
...         "SỞ Y TẾ\\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\nSố: 2/SYT\\nNội dung./.")
>>> [text[a:b].split("\\n")[0] for a, b in split_documents(text)]
['ỦY BAN NHÂN DÂN', 'SỞ Y TẾ']
"""

from __future__ import annotations

import bisect
import re

from ingest.dates import find_place_date
from ingest.header_lines import (
    QUOC_HIEU,
    Line,
    fold_keep,
    is_blank_or_rule,
    is_motto,
    is_role_line,
    is_upper_line,
    person_name,
    split_lines,
    title_type,
)

_NOI_NHAN = re.compile(r"noi\s+nhan")
_CLOSED_RAW = re.compile(
    r"\bn\wi\s+nh\wn\b|\./\.\s*$|^\W*(?:TM|KT|TL|TUQ)\s*\.", re.IGNORECASE | re.MULTILINE
)
_REAL_NUMBER = re.compile(r"(?:^|[\s|*])so\s*:?\s*\d+\s*[/-]\s*\w")
_ATTACHED = re.compile(r"^\W*(?:ban\s+hanh\s+)?kem\s+theo|\(\s*(?:ban\s+hanh\s+)?kem\s+theo")
_APPENDIX = re.compile(r"^\W*(?:phu\s+luc|mau\s+(?:so\b|\d)|bieu\s+mau|mau\b)")
_SIG_NOISE = re.compile(r"ky\s+boi|co\s+quan\s*:|thoi\s+gian\s+ky|email|chu\s+ky|da\s+ky|\(ky")
_NAM = re.compile(r"N\s?A\s?M\b")
_HEADER_SPAN = 14  # lines after the motto in which a real number or date must appear


def _nonblank_before(lines: list[Line], i: int, n: int) -> list[str]:
    out: list[str] = []
    k = i - 1
    while k >= 0 and len(out) < n:
        if lines[k].text.strip():
            out.append(lines[k].text)
        k -= 1
    return out


def _block_start(lines: list[Line], motto: int, floor: int) -> int:
    """First issuer line above the motto (upper case, no digits, not a signature role)."""
    start = motto
    k = motto - 1
    taken = 0
    while k > floor and taken < 5:
        text = lines[k].text
        if is_blank_or_rule(text):
            k -= 1
            continue
        if not is_upper_line(text) or any(c.isdigit() for c in text) or is_role_line(text):
            break
        start = k
        taken += 1
        k -= 1
    return start


def _is_attachment(lines: list[Line], i: int, after: int) -> bool:
    """Appendix or form template of the current document rather than a new one."""
    if any(_APPENDIX.match(fold_keep(t)) for t in _nonblank_before(lines, i, 3)):
        return True
    return any(_ATTACHED.search(fold_keep(ln.bare)) for ln in lines[i : i + after])


def _real_header(lines: list[Line], motto: int) -> bool:
    """The header carries an actual number or date (templates print dots instead)."""
    window = "\n".join(ln.text for ln in lines[motto : motto + _HEADER_SPAN])
    return bool(_REAL_NUMBER.search(fold_keep(window)) or find_place_date(window))


def _closed_since(text: str, lines: list[Line], start: int, end: int) -> bool:
    """A closing (`Nơi nhận`, `./.`, `TM.`/`KT.` line) lies between lines start and end."""
    return bool(_CLOSED_RAW.search(text, lines[start].start, lines[end].start))


def _closing_like(text: str) -> bool:
    bare = re.sub(r"[|*_#`]+", " ", text).strip()
    key = fold_keep(bare)
    return (
        not bare
        or bare[0] in "-+•"
        or is_role_line(bare)
        or is_upper_line(bare)
        or person_name(bare) is not None
        or len(bare.split()) <= 3
        or bool(_SIG_NOISE.search(key))
        or bool(_NOI_NHAN.search(key))
    )


def _title_after_closing(lines: list[Line], i: int, floor: int) -> bool:
    """A type title whose preceding lines, back to a `Nơi nhận:`, are all closing material."""
    k = i - 1
    while k > floor and i - k <= 40:
        text = lines[k].text
        if _NOI_NHAN.search(fold_keep(text)):
            return True
        if not _closing_like(text):
            return False
        k -= 1
    return False


def split_documents(text: str) -> list[tuple[int, int]]:
    """Spans [start, end) of each original document in one file's text, in order, tiling it.

    One span (0, len(text)) when the file holds a single document.
    """
    lines = split_lines(text)
    line_starts = [ln.start for ln in lines]
    events: dict[int, str] = {}
    for i, ln in enumerate(lines):
        if title_type(ln.text):
            events[i] = "title"
    # The motto ends in an upper-case "NAM": fold only the text just before each one.
    for end in (m.end() for m in _NAM.finditer(text)):
        window = text[max(0, end - 80) : end]
        m = QUOC_HIEU.search(fold_keep(window))
        if m and m.end() == len(window) and is_motto(text, end - len(window) + m.start(), end):
            at = end - len(window) + m.start()
            events[bisect.bisect_right(line_starts, at) - 1] = "motto"
    starts = [0]
    current = 0  # line index where the current document starts
    for i in sorted(events):
        new_at = None
        if events[i] == "motto":
            block = _block_start(lines, i, current)
            if (
                block > current
                and _closed_since(text, lines, current, block)
                and _real_header(lines, i)
                and not _is_attachment(lines, block, _HEADER_SPAN + 8)
            ):
                new_at = block
        elif (
            i > current
            and _title_after_closing(lines, i, current)
            and not _is_attachment(lines, i, 8)
        ):
            new_at = i
        if new_at is not None:
            current = new_at
            starts.append(lines[new_at].start)
    return [(a, b) for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
