"""Display-preserving cleanup of one document's text, with an offset map back to it.

`clean(text)` returns the text that structure detection and indexing read
(wraps repaired, noise lines dropped, one tone convention) together with, for
every output character, the position of the input character it came from.

>>> c = clean("II. NHIỆM VỤ\\n- 3 -\\n- Tiếp tục thực hiện\\ncó hiệu quả[1].")
>>> print(c.text)
II. NHIỆM VỤ
- Tiếp tục thực hiện có hiệu quả.
>>> c.to_original(13, 46)
(19, 55)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.clean_chars import normalize_line
from ingest.clean_noise import BREAK, DROP, noise_actions
from ingest.clean_wrap import join_separator, wrap_width


@dataclass(frozen=True)
class Cleaned:
    """Cleaned text plus `origin[i]`: index in the source text of cleaned character i.

    >>> c = Cleaned("ab", (0, 5))
    >>> c.to_original(0, 2)
    (0, 6)
    """

    text: str
    origin: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a cleaned span [start, end) to the smallest source span covering it."""
        if end <= start:
            pos = (
                self.origin[start]
                if start < len(self.origin)
                else (self.origin[-1] + 1 if self.origin else 0)
            )
            return pos, pos
        return self.origin[start], self.origin[end - 1] + 1


_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_MAX_PASSES = 6


@dataclass
class _Line:
    """A line being cleaned: text, per-char source offsets, offset of the break after it."""

    text: str
    origin: list[int]
    eol: int
    last: int = 0  # length of the last physical line merged into it


def _split_cells(text: str, origin: list[int], eol: int) -> list[_Line]:
    """`| a | b |` -> one line per non-empty cell; each break maps to the pipe after the cell."""
    cells: list[_Line] = []
    start = 0
    for end in [*(i for i, ch in enumerate(text) if ch == "|"), len(text)]:
        cell, cell_origin = text[start:end], origin[start:end]
        lead = len(cell) - len(cell.lstrip(" "))
        trail = len(cell.rstrip(" "))
        if trail > lead:
            cell_eol = origin[end] if end < len(text) else eol
            cells.append(_Line(cell[lead:trail], cell_origin[lead:trail], cell_eol))
        start = end + 1
    return cells


def _read_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    last = max(len(text) - 1, 0)
    pos = 0
    for m in [*_BREAKS.finditer(text), None]:
        end = m.start() if m else len(text)
        line, origin = normalize_line(text[pos:end], pos)
        eol = min(end, last)
        if line.count("|") >= 2 and (line[0] == "|" or line[-1] == "|"):
            cells = _split_cells(line, origin, eol)
            if any(ch.isalnum() for ch in line):
                lines.extend(cells)
            else:
                lines.append(_Line(line, origin, eol))  # `|---|---|`: noise decides
        else:
            lines.append(_Line(line, origin, eol))
        pos = m.end() if m else len(text)
    return lines


def _drop_noise(lines: list[_Line]) -> list[_Line]:
    """Remove noise lines; BREAK lines stay as blank lines so they still separate paragraphs."""
    kept: list[_Line] = []
    for line, action in zip(lines, noise_actions([ln.text for ln in lines]), strict=True):
        if action == DROP:
            continue
        if action == BREAK:
            line = _Line("", [], line.eol)
        kept.append(line)
    return kept


def _unwrap(lines: list[_Line]) -> list[_Line]:
    """Join wrapped lines; blank-line runs collapse to one blank line, none at the ends."""
    content = [i for i, ln in enumerate(lines) if ln.text]
    width = wrap_width([len(lines[i].text) for i in content])
    out: list[_Line] = []
    for k, i in enumerate(content):
        line = lines[i]
        nxt = content[k + 1] if k + 1 < len(content) else None
        c = lines[nxt].text if nxt is not None else None
        c_gap = nxt is not None and nxt > i + 1
        gap = k > 0 and i > content[k - 1] + 1
        if out:
            a = out[-1]
            sep = join_separator(a.text, a.last, line.text, c, gap, c_gap, width)
            if sep is not None:
                a.text += sep + line.text
                a.origin += [a.eol] * len(sep) + line.origin
                a.eol, a.last = line.eol, len(line.text)
                continue
            if gap:
                out.append(_Line("", [], lines[content[k - 1] + 1].eol))
        out.append(_Line(line.text, list(line.origin), line.eol, len(line.text)))
    return out


def _one_pass(text: str) -> tuple[str, list[int]]:
    lines = _unwrap(_drop_noise(_read_lines(text)))
    parts: list[str] = []
    origin: list[int] = []
    for k, line in enumerate(lines):
        if k:
            parts.append("\n")
            origin.append(lines[k - 1].eol)
        parts.append(line.text)
        origin.extend(line.origin)
    return "".join(parts), origin


def clean(text: str) -> Cleaned:
    """Clean one document's text; each output line is one paragraph, heading, item or cell.

    Deterministic and idempotent: one pass is repeated until it changes
    nothing (a second pass almost never does), composing the offset maps.

    >>> clean("Tỉnh uỷ chỉ đạo các\\nsở, ngành\\n\\n\\n\\nTrang 2/9\\nthực hiện.").text
    'Tỉnh ủy chỉ đạo các sở, ngành thực hiện.'
    """
    current, origin = _one_pass(text)
    for _ in range(_MAX_PASSES - 1):
        again, inner = _one_pass(current)
        if again == current:
            break
        current, origin = again, [origin[i] for i in inner]
    return Cleaned(current, tuple(origin))


def lines_with_offsets(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of `text`, end excluding the newline.

    >>> lines_with_offsets("ab\\n\\ncd")
    [(0, 2), (3, 3), (4, 6)]
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer("\n", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans
