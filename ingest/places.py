"""Vietnam's provinces and centrally-run cities, found in text with or without diacritics.

A question that names a province ("Tiền Giang phấn đấu …") is about that
province's documents; `find_places` finds the names so retrieval can prefer them.

>>> find_places("tien giang phan dau GRDP; Bến Tre thì sao?")
('Tiền Giang', 'Bến Tre')
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.text import fold_diacritics

# The 63 units of 2008-2025 (directives of those years name them) plus the
# merged names of 2025 that were not already in the list.
PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh",
    "Bến Tre", "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau",
    "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai",
    "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang",
    "Kon Tum", "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Long An", "Nam Định",
    "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình",
    "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế",
    "Tiền Giang", "Hồ Chí Minh", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc",
    "Yên Bái",
)  # fmt: skip


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    by_fold: dict[str, str] = {}
    for name in PROVINCES:
        key = re.sub(r"[\s-]+", " ", fold_diacritics(name))
        by_fold[key] = name
    alts = sorted(by_fold, key=len, reverse=True)  # "thua thien hue" before "hue"
    body = "|".join(re.escape(a).replace(r"\ ", r"[\s-]+") for a in alts)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)"), by_fold


def find_places(text: str) -> tuple[str, ...]:
    """Province names in `text`, official spelling, first occurrence order, no repeats.

    >>> find_places("UBND tỉnh Bà Rịa-Vũng Tàu và tỉnh Ninh Thuận")
    ('Bà Rịa - Vũng Tàu', 'Ninh Thuận')
    """
    pattern, by_fold = _pattern()
    found = (
        by_fold[re.sub(r"[\s-]+", " ", m.group(0))] for m in pattern.finditer(fold_diacritics(text))
    )
    return tuple(dict.fromkeys(found))
