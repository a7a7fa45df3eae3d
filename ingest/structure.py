"""A document's outline: which lines are headings, how they nest, and each section's span.

Levels come from marker types in the order they open, not from fixed ranks: a plan
that puts `1.` under `I.` and `a)` under `1.` and a letter that puts `a)` straight
under `1.` both nest correctly. A stack of open sections holds one entry per marker
type; a marker whose type is open closes everything below that entry (a sibling),
an unseen type opens a child. Legal markers (Phần > Chương > Mục > Điều) keep their
fixed order among themselves. A numbered marker must continue its list (`3.` after
`2.`, or a new list at `1.`), so a wrapped `2023. Đồng thời…` is body text.
Bullets (`-`, `+`, `•`) are body text of their section. Flattened tables become one
section per row (see `ingest.tables`). Text before the first heading (the header
block) belongs to no section; `ingest.chunk` gives it the empty path `()`.

>>> text = "KẾ HOẠCH\\nI. NHIỆM VỤ\\n1. Sở Công Thương chủ trì:\\na) Quản lý cụm công nghiệp.\\n"
>>> [n.path for n in parse_outline(text)][-1]
('I. NHIỆM VỤ', '1. Sở Công Thương chủ trì:', 'a) Quản lý cụm công nghiệp.')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.clean import Cleaned
from ingest.tables import TableRow, find_tables, nonblank_lines
from vanban.types import Section

HEADING_CHARS = 120
_LEGAL_RANK = {"phan": 1, "chuong": 2, "muc": 3, "dieu": 4}
_ROMAN_RE = r"(?=[IVXLC]+\b)M*(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})"
# (kind, pattern): group 1 is the ordinal. Order matters: most specific first.
_MARKERS = [
    ("phan", re.compile(r"^(?:Phần|PHẦN)\s+(?:thứ\s+|THỨ\s+)?([IVXLC]+|\d+|[A-Z])\b")),
    ("chuong", re.compile(r"^(?:Chương|CHƯƠNG)\s+([IVXLC]+|\d+)\b")),
    ("muc", re.compile(r"^(?:Mục|MỤC)\s+(\d+|[IVXLC]+)\b(?![,\w])")),
    ("dieu", re.compile(r"^(?:Điều|ĐIỀU)\s+(\d+)[a-zđ]?\s*[.:]")),
    ("num3", re.compile(r"^\d{1,2}\.\d{1,2}\.(\d{1,2})\.?\s+\S")),
    ("num2", re.compile(r"^\d{1,2}\.(\d{1,2})\.?\s+\S")),
    ("roman", re.compile(rf"^({_ROMAN_RE})\s*[.:]\s*\S")),
    ("upper", re.compile(r"^([A-ZĐ])\s*[.:]\s+\S")),
    ("num", re.compile(r"^(\d{1,3})\s*[.:](?!\d)\s*\S")),
    ("num_paren", re.compile(r"^(\d{1,3})\)\s*\S")),
    ("paren_num", re.compile(r"^\((\d{1,3})\)\s*\S")),
    ("letter", re.compile(r"^([a-zđ])\)\s*\S")),
    ("paren_letter", re.compile(r"^\(([a-zđ])\)\s*\S")),
]
_APPENDIX = re.compile(r"^(?:PHỤ LỤC|Phụ lục)(?:\s+(?:số\s+|SỐ\s+)?[IVXLC\d]+[a-zA-Z]?)?\s*[.:]?$")
_CLOSING = re.compile(r"^Nơi nhận\s*:")
# Signature block lines are capitals but not headings: "TM. ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH".
_SIGNATURE = re.compile(
    r"^(?:(?:TM|KT|TL|TUQ|Q|PP)\s*\.|(?:PHÓ\s+)?(?:CHỦ TỊCH|GIÁM ĐỐC|BỘ TRƯỞNG|THỨ TRƯỞNG"
    r"|CHÁNH VĂN PHÒNG|TRƯỞNG BAN|CỤC TRƯỞNG|TỔNG GIÁM ĐỐC|BÍ THƯ|THỦ TRƯỞNG|CHÁNH THANH TRA"
    r"|TRƯỞNG PHÒNG|VIỆN TRƯỞNG|HIỆU TRƯỞNG|CHỦ NHIỆM)\b)",
    re.IGNORECASE,
)
_VN_LETTERS = "abcdđeghiklmnopqrstuvxy"


@dataclass(frozen=True)
class OutlineNode:
    """One heading and its section, in cleaned-text offsets.

    `start` is the heading line's start, `body_start` the end of that line, `end`
    the end of the section including its descendants. `row` is set for table rows.
    """

    kind: str
    heading: str
    path: tuple[str, ...]
    start: int
    body_start: int
    end: int
    row: TableRow | None = None

    @property
    def level(self) -> int:
        return len(self.path)


def heading_text(line: str, limit: int = HEADING_CHARS) -> str:
    """A line trimmed to fit in a heading path, cut at a word boundary with "…".

    >>> heading_text("a) " + "rất dài " * 30, 20)
    'a) rất dài rất dài…'
    """
    line = " ".join(line.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def _ordinal(kind: str, token: str) -> int:
    if kind in ("letter", "paren_letter"):
        return _VN_LETTERS.find(token) + 1 or ord(token) - 96
    if kind == "upper":
        return ord(token) - 64
    if token.isdigit():
        return int(token)
    if re.fullmatch(r"[IVXLC]+", token):
        vals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
        return sum(
            -vals[a] if vals.get(b, 0) > vals[a] else vals[a]
            for a, b in zip(token, token[1:] + " ", strict=True)
        )
    return ord(token[0].upper()) - 64


def _is_caps_heading(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    words = s.split()
    return (
        2 <= len(words) <= 20
        and len(letters) >= 6
        and sum(c.isupper() for c in letters) >= 0.9 * len(letters)
        and not _SIGNATURE.match(s)
        and not s.endswith((",", ";"))
    )


def _is_title(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def _classify(s: str, stack: list[list]) -> tuple[str, int] | None:
    """(kind, ordinal) of a marked heading line that continues the outline, else None."""
    open_last = {entry[0]: entry[1] for entry in stack}
    for kind, pattern in _MARKERS:
        m = pattern.match(s)
        if not m:
            continue
        if kind == "roman" and "upper" in open_last and len(m.group(1)) == 1:
            up = ord(m.group(1)) - 64  # "C." after "B." is a letter, not a hundred
            if up == open_last["upper"] + 1:
                return "upper", up
        n = _ordinal(kind, m.group(1))
        last = open_last.get(kind)
        if kind in _LEGAL_RANK:
            return kind, n  # explicit words: no sequence check needed
        if last is None and n <= 3:
            return kind, n
        if last is not None and (n == 1 or last < n <= last + 2):
            return kind, n
        return None  # a numbered line that breaks its list: wrapped text, not a heading
    return None


def parse_outline(cleaned_text: str) -> list[OutlineNode]:
    """Every section of `cleaned_text` in document order, with heading paths and spans."""
    tables = find_tables(cleaned_text)
    rows = {r.start: r for t in tables for r in t.rows}
    table_spans = [(t.start, t.end) for t in tables]
    # stack entries: [kind, ordinal, heading, start, body_start, row, limit]
    stack: list[list] = []
    done: list[tuple[list, int]] = []
    prev_heading_caps = False
    seen_heading = False
    titled: list | None = None  # a bare "Chương I" waiting for its title line

    def close(keep: int, at: int) -> None:
        while len(stack) > keep:
            entry = stack.pop()
            end = len(cleaned_text[: min(at, entry[6])].rstrip())  # no trailing blank lines
            done.append(([*entry, (*(e[2] for e in stack), entry[2])], end))

    for start, end, s in nonblank_lines(cleaned_text):
        in_table = next(((a, b) for a, b in table_spans if a <= start < b), None)
        if not in_table and _first_row(stack) < len(stack):
            close(_first_row(stack), start)  # the table is over: later headings are not in a row
        kind: str | None = None
        row = rows.get(start)
        if row is not None:
            kind, n = ("row_group" if row.group else "row"), 0
            heading = heading_text(" | ".join(x for x in (row.number, *row.cells[:1]) if x))
        elif in_table:
            continue
        elif _APPENDIX.match(s) or _CLOSING.match(s):
            kind, n = ("appendix" if _APPENDIX.match(s) else "closing"), 0
            close(0, start)
        elif (hit := _classify(s, stack)) is not None:
            kind, n = hit
            if any(e[0] == "closing" for e in stack):
                close(0, start)  # recipients are bullets; a numbered line starts new content
        elif (
            seen_heading
            and not prev_heading_caps
            and _is_caps_heading(s)
            and not any(e[0] == "closing" for e in stack)
        ):
            kind, n = "caps", 0
        if kind in (None, "caps") and titled is not None and titled is stack[-1] and _is_title(s):
            # "Chương I" / "PHỤ LỤC" then its title lines: one heading, "Chương I NHỮNG QUY ĐỊNH CHUNG".
            titled[2] = heading_text(titled[2] + " " + s)
            prev_heading_caps = True
            continue
        titled = None
        if kind is None:
            # A title wrapped over several capital lines stays one heading.
            prev_heading_caps = prev_heading_caps and _is_caps_heading(s)
            continue
        kinds = [e[0] for e in stack]
        if kind in kinds and kind not in ("row", "row_group"):
            close(kinds.index(kind), start)
        elif kind in _LEGAL_RANK:
            # A Chương closes any Điều / list below it even if no Chương was open yet.
            keep = 0
            for i, e in enumerate(stack):
                if _LEGAL_RANK.get(e[0], 99) < _LEGAL_RANK[kind]:
                    keep = i + 1
            close(keep, start)
        elif kind == "row_group":
            close(_first_row(stack), start)
        elif kind == "row":
            groups = [i for i, e in enumerate(stack) if e[0] == "row_group"]
            close(groups[-1] + 1 if groups else _first_row(stack), start)
        if row is None:
            heading = heading_text(s)
        limit = in_table[1] if in_table else len(cleaned_text)
        stack.append([kind, n, heading, start, end, row, limit])
        if (kind in _LEGAL_RANK or kind == "appendix") and len(s.split()) <= 4:
            titled = stack[-1]
        seen_heading = True
        prev_heading_caps = kind == "caps" or _is_caps_heading(s)
        if in_table:
            prev_heading_caps = False
    close(0, len(cleaned_text.rstrip()))
    nodes = [OutlineNode(e[0], e[2], e[7], e[3], e[4], max(e[4], end), e[5]) for e, end in done]
    return sorted(nodes, key=lambda n: (n.start, n.level))


def _first_row(stack: list[list]) -> int:
    for i, e in enumerate(stack):
        if e[0] in ("row", "row_group"):
            return i
    return len(stack)


def build_sections(
    cleaned: Cleaned, outline: Sequence[OutlineNode] | None = None
) -> tuple[Section, ...]:
    """The outline as `Section`s whose offsets index the original document text."""
    out = []
    for node in parse_outline(cleaned.text) if outline is None else outline:
        start, end = cleaned.to_original(node.start, node.end)
        out.append(Section(node.path, start, end))
    return tuple(out)
