"""Predicates on one cleaned line, shared by noise removal and wrap repair.

>>> starts_marker("1.1. Trung tâm"), starts_marker("28.000 tỷ đồng")
(True, False)
>>> ends_sentence("kiểm soát nợ xấu."), starts_lower("(trở lên);")
(True, True)
"""

from __future__ import annotations

import re

# List and heading markers that open a new logical line. Number parts after
# the first have at most two digits so `1.700 triệu` (Vietnamese thousands
# separator) is not mistaken for item 1.700.
_MARKER = re.compile(
    r"""^(?:
      [IVXLC]{1,7}[.)](?:\s|$)
    | \d{1,2}(?:\.\d{1,2}){0,3}[.)](?:\s|$)
    | \d{1,2}(?:\.\d{1,2}){1,3}(?:\s|$)
    | [a-zđA-ZĐ][.)](?:\s|$)
    | \((?:\d{1,3}|[a-zđ]|[IVXLC]{1,6})\)
    | [-+•·*–—●○■□▪►✓✔❖➢→>]
    | (?:Điều|ĐIỀU)\s+\d+[a-zđ]?(?:[.:]|\s*$)
    | (?:Chương|CHƯƠNG|Phần|PHẦN|Mục|MỤC)\s+(?:[IVXLC]+|\d+|thứ\s+\w+|THỨ\s+\w+)(?:[.:]|\s*$|\s+[A-ZĐÀ-Ỹ])
    | (?:Phụ\s+lục|PHỤ\s+LỤC)(?:\s|$)
    | (?:Bước|BƯỚC)\s+\d+
    )""",
    re.X,
)
# Numbered or lettered heading markers (not bullets): the line they open may be
# a short heading such as `1. Mục tiêu`, so wrap evidence is weighed differently.
_NUMBERED = re.compile(
    r"^(?:[IVXLC]{1,7}[.)]|\d{1,2}(?:\.\d{1,2}){0,3}[.)]?|[a-zđA-ZĐ][.)]|\(\w{1,3}\)"
    r"|(?:Điều|ĐIỀU|Chương|CHƯƠNG|Phần|PHẦN|Mục|MỤC)\s)"
)
_CLOSERS = "\"'”’»)]*"
_OPENERS = "\"'“‘«([*"
_TERMINAL = ".:;!?…"

# Words after which a Vietnamese sentence cannot stop: a line ending in one
# was cut by a wrap, whatever the next line looks like.
FUNCTION_WORDS = frozenset(
    {
        "và", "của", "các", "những", "với", "cho", "trong", "theo", "tại", "để", "về", "từ",
        "đến", "là", "hoặc", "bởi", "nhằm", "giữa", "mà", "thì", "nhưng", "hay", "cũng", "đã",
        "đang", "sẽ", "một", "mọi", "rằng", "tuy", "nếu", "khi", "bằng", "qua", "đối", "thuộc",
    }
)  # fmt: skip
# Words that announce a number: `ngày` / `06 tháng 01`, `đạt` / `28.000 tỷ`.
NUMBER_WORDS = frozenset(
    {
        "ngày", "tháng", "năm", "số", "khoản", "điều", "điểm", "mục", "chương", "phần", "đạt", "khoảng",
        "gần", "hơn", "trên", "dưới", "là", "từ", "đến", "tại", "đoạn", "lần",
    }
)  # fmt: skip
# Stand-alone title lines of Vietnamese official documents; never glued to a neighbour.
DOC_TYPES = frozenset(
    {
        "KẾ HOẠCH", "QUYẾT ĐỊNH", "CÔNG VĂN", "THÔNG BÁO", "CHỈ THỊ", "BÁO CÁO",
        "NGHỊ QUYẾT", "NGHỊ ĐỊNH", "THÔNG TƯ", "THÔNG TƯ LIÊN TỊCH", "TỜ TRÌNH", "LUẬT",
        "PHÁP LỆNH", "CÔNG ĐIỆN", "HƯỚNG DẪN", "CHƯƠNG TRÌNH", "ĐỀ ÁN", "QUY CHẾ",
        "QUY ĐỊNH", "BIÊN BẢN", "KẾT LUẬN", "DỰ THẢO", "PHỤ LỤC", "GIẤY MỜI",
    }
)  # fmt: skip


def starts_marker(line: str) -> bool:
    """True when the line opens a list item or heading (`I.`, `1.1.`, `a)`, `-`, `Điều 5.`)."""
    return _MARKER.match(line) is not None


def starts_numbered(line: str) -> bool:
    """True for numbered/lettered markers (headings), false for bullets like `-`."""
    return _NUMBERED.match(line) is not None and starts_marker(line)


def marker_body(line: str) -> list[str]:
    """Words after the leading marker: `marker_body("5. Sở") == ["Sở"]`."""
    m = _MARKER.match(line)
    return line[m.end() :].split() if m else line.split()


def ends_sentence(line: str) -> bool:
    """True when the line ends in `. : ; ! ?` (closing quotes/brackets skipped)."""
    stripped = line.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _TERMINAL


def first_letter(line: str) -> str:
    """First character after opening quotes/brackets ('' for an empty line)."""
    stripped = line.lstrip(_OPENERS)
    return stripped[:1]


def starts_lower(line: str) -> bool:
    """True when the line continues a sentence: its first letter is lower case."""
    return first_letter(line).islower()


def last_word(line: str) -> str:
    """Last whitespace-separated word, lower-cased, punctuation stripped."""
    parts = line.rsplit(None, 1)
    return parts[-1].strip(_CLOSERS + _OPENERS + ",").lower() if parts else ""


def is_caps(line: str) -> bool:
    """True when the line has at least two letters and none is lower case (`II. NHIỆM VỤ`)."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


def is_doc_type(line: str) -> bool:
    """True for a title line that is just a document type (`KẾ HOẠCH`, `QUYẾT ĐỊNH`)."""
    return line.rstrip(" .:") in DOC_TYPES
