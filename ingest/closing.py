"""The closing of an official document: its signer and its recipients.

>>> lines = split_lines("Nơi nhận:\\n- Như trên;\\n- Sở Y tế;\\n- Lưu: VT.\\nKT. CHỦ TỊCH\\n[Chữ ký]\\nVõ Đức Trọng")
>>> find_signer(lines, 0)
'Võ Đức Trọng'
>>> list_after(lines, 0)
('Sở Y tế',)
"""

from __future__ import annotations

import re

from ingest.header_lines import (
    NOI_NHAN_RAW,
    Line,
    fold_keep,
    is_role_line,
    is_upper_line,
    person_name,
    split_lines,
)
from ingest.text import canonical

__all__ = ["find_signer", "list_after", "recipients", "signer_after", "split_lines"]

_BULLET = re.compile(r"^\s*[|*_]*\s*(?:[-+•–—]|\d+[.)]\s)\s*")
_NOI_NHAN = re.compile(r"noi\s+nhan\s*:?")
_KINH_GUI = re.compile(r"^\W*kinh\s+gui\s*[:.]?")
# "Như trên" points back to Kính gửi; "Lưu: VT" is the file copy, not a recipient.
_NOT_RECIPIENT = re.compile(r"^(?:nhu\s+tren|luu\b|\[|\(?da\s+ky)")
_LIST_HEAD = re.compile(r"(?:kinh\s+gui|noi\s+nhan)\s*[:.]?")
_WINDOW = 30


def find_signer(lines: list[Line], start: int) -> str | None:
    """Name of the person who signed, searched from line `start` (after the header).

    The name is taken only near a signature anchor (a `Nơi nhận` line or an
    upper-case role line such as `TM. ỦY BAN NHÂN DÂN`, `KT. CHỦ TỊCH`,
    `GIÁM ĐỐC`), skipping recipient bullets and `(Đã ký)` / `[Chữ ký]` noise,
    so names cited in the body are never taken.
    """
    for i in range(start, len(lines)):
        text = lines[i].text
        if not (NOI_NHAN_RAW.search(text) or is_role_line(text)):
            continue
        found = signer_after(lines, i)
        if found:
            return found[1]
    return None


def signer_after(lines: list[Line], i: int) -> tuple[int, str] | None:
    """(line index, name) of the signer printed within a few lines after anchor line `i`.

    >>> signer_after(split_lines("GIÁM ĐỐC\\n- Lưu: VT.\\n\\nTrương Văn Hùng"), 0)
    (3, 'Trương Văn Hùng')
    """
    # The anchor line itself may end with the name (table cells: "... CỤC TRƯỞNG Hoàng Công Thái").
    seen = 0
    in_item = False
    for k in range(i, len(lines)):
        text = lines[k].text.strip()
        if not text:
            continue
        seen += 1
        if seen > _WINDOW:
            break
        # Skip recipient bullets and their wrapped continuations ("- PCT. Nguyễn Thành" / "Hưng").
        bullet = bool(_BULLET.match(text)) and k != i
        skip = bullet or in_item
        if bullet or in_item:
            in_item = not text.rstrip(" *_").endswith((";", ".", ")"))
        if skip:
            continue
        name = _name_in_cells(text)
        if name:
            return k, canonical(_complete(name, lines, k))
    return None


def _name_in_cells(text: str) -> str | None:
    """The signer's name on a line, also when the line is a table row whose last cell is the
    signature block ("| Nơi nhận: - …; - Lưu: VT. | KT. CHỦ TỊCH PHÓ CHỦ TỊCH Hoàng Việt Phương |").

    >>> _name_in_cells("| Nơi nhận: - Như Điều 3; - Lưu: VT. | KT. CHỦ TỊCH PHÓ CHỦ TỊCH Hoàng Việt Phương |")
    'Hoàng Việt Phương'
    """
    name = person_name(text)
    if name or "|" not in text:
        return name
    for cell in reversed(text.split("|")):
        name = person_name(cell.strip())
        if name:
            return name
    return None


def _complete(name: str, lines: list[Line], k: int) -> str:
    """Re-attach a name wrapped over two lines ("Nguyễn Quỳnh" / "Thiện")."""
    nxt = next((ln.text.strip() for ln in lines[k + 1 : k + 3] if ln.text.strip()), "")
    tokens = nxt.split()
    if 1 <= len(tokens) <= 2 and len(name.split()) + len(tokens) <= 5:
        joined = person_name(f"{name} {nxt}")
        if joined and all(re.match(r"^[A-ZĐÀ-Ỹ][a-zđà-ỹ]+$", t) for t in tokens):
            return joined
    return name


def _items(rest: str) -> list[str]:
    parts = re.split(r"(?:^|\s)[-+•]\s+", rest)
    return [p for p in parts if p.strip()]


def _clean_item(item: str) -> str | None:
    item = re.sub(r"[|*_#`]+", " ", _BULLET.sub("", item))
    item = re.sub(r"\s+", " ", item).strip(" ;,.:")
    if len(item) < 2 or _NOT_RECIPIENT.match(fold_keep(item)):
        return None
    return item


def list_after(lines: list[Line], i: int) -> tuple[str, ...]:
    """Items of the list introduced on line `i` (`Kính gửi:` / `Nơi nhận:`), bullets removed."""
    head = lines[i].text
    m = _LIST_HEAD.search(fold_keep(head))
    raw: list[str] = _items(head[m.end() :]) if m else []
    if raw and len(raw) == 1 and not raw[0].strip(" |*_[]"):
        raw = []
    for line in lines[i + 1 : i + 1 + 3 * _WINDOW]:
        text = line.text.strip()
        if not text:
            continue
        if _BULLET.match(line.text) and not re.match(r"^\s*\d", line.text):
            raw.append(text)
        elif (
            raw
            and not raw[-1].rstrip(" *_").endswith((";", ",", "."))
            and not is_upper_line(text)
            and not person_name(text)
            and len(text) < 120
        ):
            raw[-1] = f"{raw[-1]} {text}"  # a recipient wrapped onto the next line
        else:
            break
    out = []
    for item in raw:
        cleaned = _clean_item(item)
        if cleaned and cleaned not in out:
            out.append(cleaned)
    return tuple(out)


def recipients(lines: list[Line], header_end: int) -> tuple[str, ...]:
    """Recipients named under `Kính gửi:` (in the header) and under the first `Nơi nhận:`."""
    found: list[str] = []
    for i, line in enumerate(lines[: header_end + 25]):
        if _KINH_GUI.match(fold_keep(line.bare)):
            found.extend(list_after(lines, i))
            break
    for i in range(header_end, len(lines)):
        if NOI_NHAN_RAW.search(lines[i].text):
            found.extend(x for x in list_after(lines, i) if x not in found)
            break
    return tuple(found)
