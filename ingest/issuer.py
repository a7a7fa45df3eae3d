"""The issuing body's full name from the upper-case lines above the national motto.

Header lines are printed in capitals and often wrapped ("BỘ" / "TÀI CHÍNH");
a unit under a parent names only itself ("UBND TỈNH TÂY NINH" / "SỞ Y TẾ").
We regroup the lines into bodies, take the last (the one that issues), borrow
the parent's locality when the unit has none, and restore sentence casing.

>>> issuer_name(["UBND TỈNH TÂY NINH", "SỞ Y TẾ"])
'Sở Y tế tỉnh Tây Ninh'
>>> issuer_name(["ỦY BAN NHÂN DÂN", "TỈNH BẾN TRE"])
'Ủy ban nhân dân tỉnh Bến Tre'
>>> issuer_name(["BỘ", "TÀI CHÍNH", "CỤC HẢI QUAN"])
'Cục Hải quan'
"""

from __future__ import annotations

import re

from ingest.header_lines import fold_keep
from ingest.text import canonical

_ABBREV = [
    (re.compile(r"\bUBND\b"), "ỦY BAN NHÂN DÂN"),
    (re.compile(r"\bHĐND\b"), "HỘI ĐỒNG NHÂN DÂN"),
    (re.compile(r"\bTP\b\.?\s*"), "THÀNH PHỐ "),
]

# Folded words that open a new body when a header line starts with them.
_BODY_START = re.compile(
    r"^(?:uy\s+ban|ubnd|hoi\s+dong|hdnd|so|bo|cuc|tong\s+cuc|chi\s+cuc|vu|van\s+phong|ban"
    r"|tinh\s+uy|thanh\s+uy|huyen\s+uy|dang\s+uy|dang\s+bo|chinh\s+phu|thu\s+tuong|quoc\s+hoi"
    r"|trung\s+tam|benh\s+vien|truong|phong|kho\s+bac|ngan\s+hang|thanh\s+tra|cong\s+an"
    r"|toa\s+an|vien|bao\s+hiem|thue|doan|mat\s+tran|hoc\s+vien|lien\s+doan|hoi)\b"
)
# A line holding only these words still needs its name from the next line.
_BARE_PREFIX = {
    "bo", "so", "cuc", "tong cuc", "chi cuc", "uy ban nhan dan", "hoi dong nhan dan",
    "thu tuong", "ban", "van phong", "thue", "vu",
}  # fmt: skip
# Prefixes after which each component of the name is capitalised: "Sở Kế hoạch và Đầu tư".
_NAMED_PREFIX = re.compile(
    r"^(văn phòng|tổng cục|chi cục|cục|sở|bộ|vụ|ban|trung tâm|thanh tra|kho bạc|học viện"
    r"|bệnh viện|thuế)\s+(.+)$"
)
_LOCALITY = re.compile(
    r"\b(tỉnh|thành phố|huyện|thị xã|quận|phường|xã(?!\s+hội)|thị trấn)\s+(?!ủy\b|uỷ\b)(\S.*)$"
)
_PROPER = {
    "chính phủ": "Chính phủ",
    "quốc hội": "Quốc hội",
    "công thương": "Công Thương",
    "trung ương": "Trung ương",
    "việt nam": "Việt Nam",
    "đảng": "Đảng",
}


def _clean(line: str) -> str:
    line = re.sub(r"[|*_#`]+|-{3,}|—+", " ", line)
    for pat, full in _ABBREV:
        line = pat.sub(full, line)
    return re.sub(r"\s+", " ", line).strip(" .,-")


def _group(lines: list[str]) -> list[str]:
    units: list[str] = []
    for raw in lines:
        line = _clean(raw)
        if not line:
            continue
        key = fold_keep(line)
        starts_body = bool(_BODY_START.match(key))
        prev = fold_keep(units[-1]) if units else ""
        # Join continuations, and names cut after a bare prefix ("BỘ" / "TÀI CHÍNH", "ỦY" / "BAN ...").
        if units and (not starts_body or prev in _BARE_PREFIX or " " not in prev):
            units[-1] = f"{units[-1]} {line}"
        else:
            units.append(line)
    return units


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _title(s: str) -> str:
    return " ".join(w if w.startswith("(") else _cap(w) for w in s.split())


def org_case(upper: str) -> str:
    """Sentence casing of one body's name: capitalised name components, title-cased place.

    >>> org_case("SỞ KẾ HOẠCH VÀ ĐẦU TƯ TỈNH BẾN TRE")
    'Sở Kế hoạch và Đầu tư tỉnh Bến Tre'
    >>> org_case("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI")
    'Bộ Lao động - Thương binh và Xã hội'
    """
    text = _clean(upper).lower()
    place = ""
    if m := _LOCALITY.search(text):
        place = f" {m.group(1)} {_title(m.group(2))}"
        text = text[: m.start()].rstrip()
    if m := _NAMED_PREFIX.match(text):
        name = m.group(2)
        if _BODY_START.match(fold_keep(name)):
            name = org_case(name)
        else:
            parts = re.split(r"(\s+và\s+|,\s*|\s+-\s+)", name)
            name = "".join(p if i % 2 else _cap(p) for i, p in enumerate(parts))
        text = f"{m.group(1)} {name}"
    for low, proper in _PROPER.items():
        text = re.sub(rf"\b{low}\b", proper, text, flags=re.IGNORECASE)
    return canonical(_cap(text + place))


def _locality(unit: str) -> str | None:
    m = _LOCALITY.search(_clean(unit).lower())
    return f"{m.group(1)} {_title(m.group(2))}" if m else None


def issuer_name(lines: list[str]) -> str | None:
    """Full name of the issuing body from its header lines (top to bottom), or None."""
    units = [u for u in _group(lines) if sum(c.isalpha() for c in u) >= 2]
    if not units:
        return None
    own = units[-1]
    name = org_case(own)
    key = fold_keep(_clean(own))
    if _locality(own) is None and len(units) > 1:
        parent = units[-2]
        if key in _BARE_PREFIX:  # "ỦY BAN NHÂN DÂN TỈNH X" / "VĂN PHÒNG"
            return canonical(f"{name} {org_case(parent)}")
        place = _locality(parent)
        if place and re.match(r"(tinh|thanh|huyen|dang)\s+uy$", key):
            return canonical(
                f"{name} {place.split(' ', 1)[1] if place.startswith('tỉnh') else place}"
            )
        if place:
            return canonical(f"{name} {place}")
    return name
