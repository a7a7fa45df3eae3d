"""Find the names of administrative bodies in text and give each a canonical key.

A name is a head ("Sở", "Ủy ban nhân dân", "Bộ CHQS", "Trung tâm", …), a field
("Kế hoạch và Đầu tư") and an optional level and place ("tỉnh Bến Tre", "các
huyện, thành phố, thị xã"). It ends where the name ends: at a verb ("chủ trì",
"phối hợp", "có trách nhiệm"), a preposition, punctuation, or "và" before the
next body. Matching runs on a folded copy of the text of the same length, so
tone placement, case and missing diacritics do not matter and offsets stay exact.

The canonical key expands abbreviations, fixes tone marks and official casing,
maps plural levels to one level ("UBND các xã, phường" -> "Ủy ban nhân dân cấp
xã") and drops the place name, so the same body matches across documents.

>>> [(m.surface, m.canonical) for m in find_agencies("Sở KH&ĐT chủ trì, phối hợp với Sở Tài chính và UBND các xã")]
[('Sở KH&ĐT', 'Sở Kế hoạch và Đầu tư'), ('Sở Tài chính', 'Sở Tài chính'), ('UBND các xã', 'Ủy ban nhân dân cấp xã')]
>>> canonical_agency("Sở Công thương") == canonical_agency("Sở Công Thương") == "Sở Công Thương"
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.agency_names import (
    COLLECTIVE,
    FIXED,
    LEVEL,
    OPEN_HEADS,
    SO_FIELDS,
    STOP,
    STOP_SPELLING,
)
from ingest.header_lines import fold_keep
from ingest.text import canonical

# Bodies that exist at several levels keep theirs in the key; a "Sở" is always provincial.
_DROP_TINH = ("Sở ", "Cục ", "Ban Quản lý")
# Fixed names that are only a body when a level follows ("Công an tỉnh", not "công an").
_NEEDS_LEVEL = {"Công an", "Thanh tra", "Bảo hiểm xã hội", "Liên đoàn Lao động"}
# Written in lower case mid-sentence, yet still a body.
_ANY_CASE = {"Ủy ban nhân dân", "Hội đồng nhân dân"}

_COLLECTIVE = [(re.compile(rf"(?<![\w]){p}(?![\w])"), c) for p, c in COLLECTIVE]
_FIXED = [(re.compile(rf"(?:{p})(?![\w])"), c) for p, c in FIXED]
_SO = [(re.compile(rf"(?:{p})(?![\w])"), c) for p, c in SO_FIELDS]
_HEAD = re.compile(r"(?<![\w])(?:" + "|".join(p for p, _ in FIXED) + rf"|(?:{OPEN_HEADS})(?![\w]))")
_OPEN = re.compile(rf"(?:{OPEN_HEADS})(?![\w])")
_LEVEL = re.compile(rf"\s+({LEVEL})")
_TOKEN = re.compile(r"\s*(-\s*)?([^\W_]+(?:&[^\W_]+)*)")
_PLACE_WORD = re.compile(r"[A-ZĐÀ-Ỹ][^\W\d_]*")
_HEAD_ONLY = re.compile(rf"(?:{OPEN_HEADS}|uy|ubnd|hdnd|cong|thanh)")
_ABBREV = [
    (re.compile(r"\bUBND\b"), "Ủy ban nhân dân"),
    (re.compile(r"\bHĐND\b"), "Hội đồng nhân dân"),
    (re.compile(r"\bCHQS\b"), "Chỉ huy Quân sự"),
    (re.compile(r"\bMTTQ\b"), "Mặt trận Tổ quốc"),
    (re.compile(r"\bBQL\b"), "Ban Quản lý"),
]


@dataclass(frozen=True)
class AgencyMention:
    """One body named in a text: its words as written, its key, its span."""

    surface: str
    canonical: str
    start: int
    end: int


def _level_name(folded: str) -> str:
    """'cac xa, phuong' -> 'cấp xã'; 'tinh' -> 'tỉnh'; 'cap tinh, cap xa' -> 'cấp tỉnh, cấp xã'."""
    words = re.findall(r"thi xa|thi tran|thanh pho|tp|tx|huyen|quan|xa|phuong|tinh|dac khu", folded)
    if folded.startswith("cap"):
        names = {"tinh": "cấp tỉnh", "huyen": "cấp huyện", "xa": "cấp xã"}
        return ", ".join(dict.fromkeys(names[w] for w in words if w in names))
    if folded.startswith("cac") or len(words) > 1:
        if any(w in ("huyen", "quan", "thi xa", "tx") for w in words):
            return "cấp huyện"
        if "tinh" in words:
            return "cấp tỉnh"  # "các tỉnh, thành phố": the cities are provinces here
        if any(w in ("xa", "phuong", "thi tran", "dac khu") for w in words):
            return "cấp xã"
        return "cấp huyện" if "thanh pho" in words else "cấp tỉnh"
    single = {"tinh": "tỉnh", "thanh pho": "thành phố", "tp": "thành phố", "huyen": "huyện",
              "quan": "quận", "thi xa": "thị xã", "tx": "thị xã", "xa": "xã", "phuong": "phường",
              "thi tran": "thị trấn", "dac khu": "đặc khu"}  # fmt: skip
    return single.get(words[0], "") if words else ""


_LEVEL_WORDS = frozenset(
    {"tỉnh", "thành", "phố", "tp", "huyện", "quận", "thị", "xã", "tx", "phường", "trấn", "cấp"}
    | {"các", "và", "đặc", "khu"}
)


def _marked_ok(segment: str) -> bool:
    """Folding merges "phường" with "phương": accept level words spelt right or unmarked (OCR)."""
    words = re.findall(r"[^\W\d_]+", segment.lower())
    return all(w in _LEVEL_WORDS or w == fold_keep(w) for w in words)


def _suffix(text: str, folded: str, pos: int) -> tuple[int, str]:
    """End of the level + place after a name ending at pos, and the level's canonical name."""
    level = ""
    m = _LEVEL.match(folded, pos)
    if m and _marked_ok(text[m.start(1) : m.end(1)]):
        level, pos = _level_name(m.group(1)), m.end()
    # "- Chi nhánh Tiền Giang" (a bank's branch) or a place "Bến Tre" after the level.
    m = re.compile(r"\s*(?:-\s*)?chi nhanh(?![\w])").match(folded, pos)
    if m:
        pos = m.end()
    if level or m:
        place_end = pos
        for _ in range(4):
            t = re.compile(r"\s+(\S+)").match(text, place_end)
            if (
                not t
                or not _PLACE_WORD.fullmatch(t.group(1))
                or _HEAD_ONLY.fullmatch(fold_keep(t.group(1)))
            ):
                break
            place_end = t.end()
        pos = place_end
    return pos, level


def _stops(word: str, folded: str, pos: int) -> bool:
    m = STOP.match(folded, pos)
    if not m:
        return False
    spelt = STOP_SPELLING.get(m.group(0))
    return spelt is None or word.lower() in (spelt, m.group(0))


_JOINS = ("va", "cac")


def _joins_a_name(text: str, folded: str, pos: int) -> bool:
    """Does a capitalised word that begins no new body follow pos ("và Du lịch", "các Khu")?"""
    nxt = _TOKEN.match(text, pos)
    return bool(nxt and nxt.group(2)[0].isupper() and not _HEAD.match(folded, nxt.start(2)))


def _free_name(text: str, folded: str, pos: int) -> int:
    """End of a free name after an open head: capitalised words and a few lower-case ones."""
    end, lower, first = pos, 0, True
    while True:
        t = _TOKEN.match(text, end)
        if not t:
            break
        word, fword = t.group(2), folded[t.start(2) : t.end(2)]
        if "\n" in text[end : t.start(2)] and not (
            fword in _JOINS and _joins_a_name(text, folded, t.end())
        ):
            break  # a line ends the name, unless it wraps before "và"/"các" + a name word
        if word[0].isupper() or word.isupper():
            if not first and _HEAD.match(folded, t.start(2)) and _OPEN.fullmatch(fword):
                break  # the next body begins ("Sở Y tế Sở Tài chính" never, but "… và Sở …")
            end, lower = t.end(), 0
        elif first or t.group(1):
            break  # an open head needs a capitalised word right after it
        elif _stops(word, folded, t.start(2)) or lower >= 7:
            if fword in _JOINS and _joins_a_name(text, folded, t.end()):
                # "Văn hóa và Thể thao", "Ban Quản lý các Khu kinh tế": inside the name
                end = _TOKEN.match(text, t.end()).end()
                lower = 0
                first = False
                continue
            break
        else:
            end, lower = t.end(), lower + 1
        first = False
    return end


def _match(text: str, folded: str, i: int) -> tuple[int, str] | None:
    """(end, canonical) of a body named at position i, else None."""
    upper = text[i].isupper()
    if folded.startswith("so", i):
        m = re.compile(r"so\s+").match(folded, i)
        if m:
            for pattern, field in _SO:
                f = pattern.match(folded, m.end())
                if f and (upper or text[m.end()].isupper()):
                    end, level = _suffix(text, folded, f.end())
                    return end, f"Sở {field}"
    for pattern, name in _FIXED:
        f = pattern.match(folded, i)
        if not f or not (upper or name in _ANY_CASE):
            continue
        end, level = _suffix(text, folded, f.end())
        if name in _NEEDS_LEVEL and not level:
            return None
        if level == "tỉnh" and name.startswith(_DROP_TINH):
            level = ""
        return end, f"{name} {level}".strip()
    f = _OPEN.match(folded, i)
    if f and upper:
        name_end = _free_name(text, folded, f.end())
        if name_end == f.end():
            return None
        end, level = _suffix(text, folded, name_end)
        name = canonical(" ".join(text[i:name_end].split()))
        for pattern, full in _ABBREV:
            name = pattern.sub(full, name)
        name = name[0].upper() + name[1:]
        if level == "tỉnh" and name.startswith(_DROP_TINH):
            level = ""
        return end, f"{name} {level}".strip()
    return None


def find_agencies(text: str) -> list[AgencyMention]:
    """Every body named in `text`, left to right, spans not overlapping."""
    folded = fold_keep(text)
    found: list[AgencyMention] = []
    taken = [False] * (len(text) + 1)
    for pattern, name in _COLLECTIVE:
        for m in pattern.finditer(folded):
            end = _suffix(text, folded, m.end())[0] if name.endswith("ngành") else m.end()
            found.append(AgencyMention(text[m.start() : end], name, m.start(), end))
            for k in range(m.start(), end):
                taken[k] = True
    for m in _HEAD.finditer(folded):
        i = m.start()
        if taken[i]:
            continue
        hit = _match(text, folded, i)
        if hit is None:
            continue
        end = len(text[: hit[0]].rstrip(" ,;:-"))
        found.append(AgencyMention(text[i:end], hit[1], i, end))
        for k in range(i, end):
            taken[k] = True
    return sorted(found, key=lambda a: a.start)


def canonical_agency(surface: str) -> str:
    """Canonical name of one body, written any way; unknown text comes back tidied.

    >>> canonical_agency("UBND tỉnh"), canonical_agency("Bộ CHQS tỉnh")
    ('Ủy ban nhân dân tỉnh', 'Bộ Chỉ huy Quân sự tỉnh')
    >>> canonical_agency("Sở KH&ĐT"), canonical_agency("Sở Công Thương tỉnh Bến Tre")
    ('Sở Kế hoạch và Đầu tư', 'Sở Công Thương')
    """
    text = " ".join(canonical(surface).split())
    found = find_agencies(text)
    if found and found[0].start == 0:
        return found[0].canonical
    return text
