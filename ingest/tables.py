"""Rebuild the rows of tables that reached us flattened one cell per line.

Appendix task tables of plans (TT / Nội dung / Cơ quan chủ trì / Cơ quan phối hợp /
Thời gian hoàn thành / Sản phẩm) arrive as a run of short header lines followed by
cells, one per line, each row opened by its TT number (`1`, `2`, … or a Roman `I`,
`II` group row, or `a`, `b` sub-rows). We find the header, then cut the lines into
rows at each TT number that continues the numbering, so a row's cells stay together.

>>> t = "TT\\nNội dung\\nCơ quan chủ trì\\nThời hạn\\n1\\nLập kế hoạch\\nSở Tài chính\\n2025\\n"
>>> [(r.number, r.cells) for r in table_rows(t)]
[('1', ('Lập kế hoạch', 'Sở Tài chính', '2025'))]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.text import fold_diacritics

_HEADER_FIRST = {"tt", "stt", "so tt", "so thu tu", "tt."}
_ROMAN = re.compile(r"^(?=[IVXLC]+$)M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_NUM = re.compile(r"^(\d{1,3})\.?$")
_SUBNUM = re.compile(r"^\d{1,2}(\.\d{1,2})+\.?$")
_LETTER = re.compile(r"^([a-zđ])[.)]?$")
_ELISION = re.compile(r"^[….\s]{3,}$")
_TOTAL = re.compile(r"^(tổng|tổng cộng|cộng)\s*:?$", re.IGNORECASE)
# Lines that end a table: the document's own structure resumes.
_STOP = re.compile(
    r"^(phụ lục|nơi nhận|điều\s+\d+|chương\s+[ivxlc\d]+\b|[IVXLC]+\.\s+[A-ZĐ][A-ZĐÀ-Ỹ ,]{6,})",
    re.IGNORECASE,
)
_VN_LETTERS = "abcdđeghiklmnopqrstuvxy"
# Words that cannot end a cell: the line was wrapped in the middle of a phrase.
_OPEN_WORDS = frozenset(
    [
        "và",
        "của",
        "các",
        "cho",
        "với",
        "theo",
        "trong",
        "tại",
        "về",
        "từ",
        "đến",
        "có",
        "được",
        "hoặc",
        "thuộc",
        "những",
        "số",
        "ngày",
        "tháng",
        "năm",
        "trên",
        "dưới",
        "để",
        "là",
        "khi",
        "sau",
        "trước",
        "giữa",
        "đối",
        "khoản",
        "điều",
        "điểm",
        "thay",
        "thế",
    ]
)


@dataclass(frozen=True)
class TableRow:
    """One reconstructed row: its TT, its cells (wraps rejoined) and its span in the text.

    `columns` are the table's header names, TT first; when
    `len(cells) == len(columns) - 1` cell i sits under column i + 1.
    """

    number: str
    cells: tuple[str, ...]
    columns: tuple[str, ...]
    group: bool
    start: int
    end: int

    def labelled(self) -> tuple[tuple[str, str], ...] | None:
        """(column, cell) pairs when there is exactly one cell per column, else None.

        A row with fewer cells (a blank column, or a cell lost upstream) is not
        labelled: guessing which column is missing would put words under the wrong one.
        """
        if self.group or len(self.cells) != len(self.columns) - 1:
            return None
        return tuple(zip(self.columns[1:], self.cells, strict=True))


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    start: int  # header start
    end: int
    rows: tuple[TableRow, ...]


def nonblank_lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, stripped line) of every non-blank line."""
    out, pos = [], 0
    for raw in text.split("\n"):
        s = raw.strip()
        if s:
            lead = len(raw) - len(raw.lstrip())
            out.append((pos + lead, pos + lead + len(s), s))
        pos += len(raw) + 1
    return out


def _is_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def _continues(prev: str, nxt: str, *, caps_join: bool) -> int:
    """How strongly `nxt` reads as the wrapped tail of `prev` (<= 0: a new cell)."""
    score = 0
    if nxt[0].islower() or nxt[0] in ",;)]":
        score += 3
    words = prev.split()
    last = words[-1].strip("(").lower() if words else ""
    if last in _OPEN_WORDS:
        score += 3  # no cell ends on "và", "của", "ngày"
    elif prev[-1] in ",;-/(–&":
        score += 2
    if nxt[0] == "(":
        score += 3  # "(Điều 7, 8 Nghị định)": a note on the phrase above, not a cell
    first = nxt.split()[0]
    if len(first) >= 2 and first.isupper() and not prev.endswith((".", ";", ":")):
        score += 1  # "Chủ tịch" / "UBND tỉnh": an acronym rarely opens a cell
    if caps_join and _is_caps(prev) and _is_caps(nxt):
        score += 2
    if prev.endswith((".", ":")) and nxt[0].isupper():
        score -= 2
    return score


def merge_wraps(lines: list[str], want: int, *, caps_join: bool = False) -> list[str]:
    """Rejoin hard-wrapped pieces until `want` cells remain or no join is plausible.

    >>> merge_wraps(["Bộ CHQS tỉnh; UBND", "cấp xã", "Trước ngày", "30/11/2025"], 2)
    ['Bộ CHQS tỉnh; UBND cấp xã', 'Trước ngày 30/11/2025']
    """
    cells = list(lines)
    # Strong evidence (a lowercase start, a dangling "và") joins whatever the count:
    # cells may be empty, so the column count alone cannot tell wraps from cells.
    i = 0
    while i < len(cells) - 1:
        if _continues(cells[i], cells[i + 1], caps_join=caps_join) >= 3:
            cells[i : i + 2] = [cells[i] + " " + cells[i + 1]]
        else:
            i += 1
    while len(cells) > want:
        scores = [
            _continues(cells[i], cells[i + 1], caps_join=caps_join) for i in range(len(cells) - 1)
        ]
        best = max(
            range(len(scores)), key=lambda i: (scores[i], -len(cells[i]) - len(cells[i + 1]))
        )
        if scores[best] <= 0:
            break
        cells[best : best + 2] = [cells[best] + " " + cells[best + 1]]
    return cells


def _header(text: str, lines: list[tuple[int, int, str]], i: int) -> tuple[list[str], int] | None:
    """Column names starting at line i (a `TT` line) and the index of the first body line."""
    if fold_diacritics(lines[i][2]).strip(" .:") not in _HEADER_FIRST:
        return None
    names, j = [lines[i][2]], i + 1
    while j < len(lines) and len(names) < 16:
        s = lines[j][2]
        if _NUM.match(s) or _ROMAN.match(s) or _TOTAL.match(s) or len(s.split()) > 9:
            break
        if "\n\n" in text[lines[j - 1][1] : lines[j][0]] or (
            _is_caps(s) and not _is_caps(names[-1])
        ):
            break  # a blank line or a switch to capitals: the first group row has begun
        names.append(s)
        j += 1
    # Only lowercase-started pieces are wraps of a header name; the rest are columns.
    merged: list[str] = []
    for s in names[1:]:
        if merged and (s[0].islower() or s.startswith("[")):
            merged[-1] += " " + s
        else:
            merged.append(s)
    if not 1 <= len(merged) <= 12 or j >= len(lines):
        return None
    return [names[0], *merged], j


def _row_start(s: str, state: dict, row_len: int) -> tuple[str, bool] | None:
    """(number, is_group) if line s opens a new row given the numbering so far.

    A number continues the count, restarts at 1 under a group row, or, once the current
    row already has a cell per column, jumps (rows elided with "…" or lost upstream).
    """
    free = state["after_elision"]
    full = row_len >= state["ncols"]
    if _TOTAL.match(s):
        return s, True
    m = _NUM.match(s)
    if m and row_len >= 2:
        n, last = int(m.group(1)), state["num"]
        if (
            n == last + 1
            or (n == 1 and state["group_since"])
            or (free and n < 200)
            or (full and n <= last + 2)
        ):
            state.update(num=n, group_since=False)
            return m.group(1), False
        return None
    if m and row_len < 2:
        return None
    if _ROMAN.match(s) and (row_len >= 2 or state["rows"] == 0):
        v = _roman_value(s)
        if v > state["roman"]:  # group rows only climb; skipped ones were elided
            state.update(roman=v, num=0, group_since=True, letter=-1)
            return s, True
        return None
    if _SUBNUM.match(s) and row_len >= 2:
        return s.rstrip("."), False
    m = _LETTER.match(s)
    if m and row_len >= 2 and _VN_LETTERS.find(m.group(1)) == state["letter"] + 1:
        state["letter"] += 1
        return m.group(1), False
    return None


def _roman_value(s: str) -> int:
    vals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for a, b in zip(s, s[1:] + " ", strict=True):
        total += -vals[a] if vals.get(b, 0) > vals[a] else vals[a]
    return total


def _finish(
    rows_raw: list[list[tuple[int, int, str]]], meta: list, columns: list[str]
) -> list[TableRow]:
    want = max(1, len(columns) - 1)
    rows = []
    for raw, (number, group) in zip(rows_raw, meta, strict=True):
        body = [s for _, _, s in raw[1:]] if number else [s for _, _, s in raw]
        cells = merge_wraps(body, 1 if group else want, caps_join=group)
        rows.append(TableRow(number, tuple(cells), tuple(columns), group, raw[0][0], raw[-1][1]))
    return rows


def find_tables(text: str) -> list[Table]:
    """All flattened tables in `text` (cleaned), each with its rows in order."""
    lines, tables, i = nonblank_lines(text), [], 0
    while i < len(lines):
        head = _header(text, lines, i)
        if head is None:
            i += 1
            continue
        columns, j = head
        state = {
            "num": 0,
            "roman": 0,
            "letter": -1,
            "group_since": True,
            "after_elision": False,
            "rows": 0,
            "ncols": len(columns),
        }
        rows_raw: list[list[tuple[int, int, str]]] = []
        meta: list[tuple[str, bool]] = []
        cap = max(3 * len(columns), len(columns) + 10)
        while j < len(lines):
            s = lines[j][2]
            if _STOP.match(s) or (j > i + 1 and _header(text, lines, j)):
                break
            if _ELISION.match(s):
                state["after_elision"] = True
                j += 1
                continue
            start = _row_start(s, state, len(rows_raw[-1]) if rows_raw else 2)
            if start is not None:
                rows_raw.append([lines[j]])
                meta.append(start)
                state["rows"] += 1
                state["after_elision"] = False
            elif not rows_raw:
                rows_raw.append([lines[j]])  # text before the first TT: an unnumbered group row
                meta.append(("", True))
            elif len(rows_raw[-1]) >= cap:
                break  # far longer than any row: the table is over
            else:
                rows_raw[-1].append(lines[j])
            j += 1
        if rows_raw:
            rows = _trim_last(_finish(rows_raw, meta, columns), rows_raw, meta, columns)
            tables.append(Table(tuple(columns), lines[i][0], rows[-1].end, tuple(rows)))
        i = max(j, i + 1)
    return tables


def _trim_last(rows: list[TableRow], raw: list, meta: list, columns: list[str]) -> list[TableRow]:
    """Cut prose that follows the table off its last row (it has more cells than columns)."""
    want = len(columns) - 1
    last = rows[-1]
    if last.group or len(last.cells) <= want + 1:
        return rows
    keep, got = [raw[-1][0]], 0
    for line in raw[-1][1:]:
        if got >= want and not line[2][0].islower():
            break
        keep.append(line)
        got = len(merge_wraps([s for _, _, s in keep[1:]], want))
    return rows[:-1] + _finish([keep], [meta[-1]], columns)


def table_rows(text: str) -> list[TableRow]:
    """Every reconstructed row of every table in `text`, in document order."""
    return [row for table in find_tables(text) for row in table.rows]
