"""The pieces of a directive that carry assignments: owned items, table rows, sentences.

All offsets are in the cleaned text (`Cleaned.text`).

>>> from ingest.structure import parse_outline
>>> t = "II. NHIỆM VỤ\\n1. Sở Công Thương\\n- Phát triển cụm công nghiệp.\\n- Xúc tiến thương mại.\\n"
>>> [(t[u.start:u.end], [(m.canonical, r) for m, r in u.bodies]) for u in owner_units(t, parse_outline(t))]
[('- Phát triển cụm công nghiệp.', [('Sở Công Thương', 'thực hiện')]), ('- Xúc tiến thương mại.', [('Sở Công Thương', 'thực hiện')])]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ingest.agency import AgencyMention, find_agencies
from ingest.clean import lines_with_offsets
from ingest.deadlines import parse_deadline
from ingest.header_lines import fold_keep
from ingest.structure import OutlineNode
from ingest.task_clauses import DO, LEAD, SUPPORT, body_list

_MARK = re.compile(r"^\s*(?:\(?(?:\d{1,3}(?:\.\d{1,2})*|[a-zđ]|[IVXLC]{1,5})\s*[.):]\s*)?")
_OWNER_PREFIX = re.compile(
    r"^(?:giao|de nghi|yeu cau|thu truong|giam doc|chu tich)?\s*(?:cac\s+)?$"
)
_BULLET = re.compile(r"^\s*[-+•*–]\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“(]?[A-ZĐÀ-Ỹ])")
_MARK_ONLY = re.compile(
    r"^\s*(?:[-+•*–]\s*)?(?:\(?(?:\d{1,3}(?:\.\d{1,2})*|[a-zđ]|[IVXLC]{1,5})\s*[.):]\s*)+$"
)
_NOT_TASKS = ("row", "row_group", "appendix", "closing")


@dataclass(frozen=True)
class Unit:
    """A span that one or more bodies are assigned, with what the source says of it."""

    start: int
    end: int
    bodies: tuple[tuple[AgencyMention, str], ...]
    task: str | None = None  # None: taken from the span's words
    deadline_cell: str | None = None  # a table's time cell, read as is


def _children(node: OutlineNode, outline: Sequence[OutlineNode]) -> list[OutlineNode]:
    return [
        n
        for n in outline
        if node.start < n.start < node.end and n.path[:-1] == node.path and n.kind not in _NOT_TASKS
    ]


def _body_units(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Bullets (with the paragraphs that continue them) or bare paragraphs in [start, end)."""
    spans: list[list[int]] = []
    bulleted = False
    for a, b in lines_with_offsets(text[start:end]):
        line = text[start + a : start + b]
        if not line.strip():
            continue
        if spans and bulleted and not _BULLET.match(line):
            spans[-1][1] = start + b  # a paragraph continuing the bullet above
            continue
        bulleted = bool(_BULLET.match(line))
        spans.append([start + a, start + b])
    return [(a, b) for a, b in spans]


def owner_of(text: str, node: OutlineNode) -> tuple[list[AgencyMention], str] | None:
    """The bodies a heading names as owners of what follows, and their role."""
    heading = text[node.start : node.body_start]
    mark = _MARK.match(heading)
    mentions = find_agencies(heading)
    if not mentions or not _OWNER_PREFIX.match(fold_keep(heading[mark.end() : mentions[0].start])):
        return None
    folded = fold_keep(heading)
    group = body_list(heading, folded, mentions, 0)
    rest = folded[group[-1].end :].strip(" :")
    if rest and not heading.rstrip().endswith(":") and len(rest.split()) > 12:
        return None  # a whole sentence, not a heading that owns items
    role = LEAD if rest.startswith("chu tri") else SUPPORT if rest.startswith("phoi hop") else DO
    shifted = [replace(m, start=m.start + node.start, end=m.end + node.start) for m in group]
    return shifted, role


def _unit_role(text: str, default: str) -> str:
    words = fold_keep(_BULLET.sub("", _MARK.sub("", text[:40], count=1), count=1)).lstrip()
    if words.startswith("chu tri"):
        return LEAD
    if words.startswith("phoi hop"):
        return SUPPORT
    return default


def owner_units(text: str, outline: Sequence[OutlineNode]) -> list[Unit]:
    """Items under headings that name their owners ("2. Sở Công Thương chủ trì:")."""
    units: list[Unit] = []
    for node in outline:
        if node.kind in _NOT_TASKS:
            continue
        owner = owner_of(text, node)
        if owner is None:
            continue
        bodies, role = owner
        kids = _children(node, outline)
        intro_end = kids[0].start if kids else node.end
        spans = _body_units(text, node.body_start, intro_end) + [(k.start, k.end) for k in kids]
        for a, b in spans:
            r = _unit_role(text[a:b], role)
            units.append(Unit(a, len(text[:b].rstrip()), tuple((m, r) for m in bodies)))
    return units


_COLUMN_KINDS = [
    ("partner", re.compile(r"phoi hop")),
    ("time", re.compile(r"thoi gian|thoi han|tien do|hoan thanh")),
    ("content", re.compile(r"noi dung|nhiem vu|cong viec|hoat dong|^ten |giai phap")),
    ("lead", re.compile(r"chu tri|thuc hien|trach nhiem|phu trach")),
]


def _column_kind(name: str) -> str | None:
    folded = fold_keep(name)
    return next((kind for kind, p in _COLUMN_KINDS if p.search(folded)), None)


def _row_cells(row, kinds: list[str | None]) -> dict[str, str]:
    """Cells by column kind; when cells and columns disagree, place them by their content."""
    labelled = row.labelled()
    if labelled is not None:
        return {k: cell for k, (_, cell) in zip(kinds, labelled, strict=True) if k}
    cells = list(row.cells)
    out = {"content": cells[0]} if cells else {}
    for cell in cells[1:]:
        has_body = bool(find_agencies(cell))
        if "lead" not in out and has_body:
            out["lead"] = cell
        elif (
            "lead" in out
            and "partner" not in out
            and "time" not in out
            and (has_body or "liên quan" in cell)
        ):
            out["partner"] = cell
        elif "lead" in out and "time" not in out and not has_body and parse_deadline(cell, None)[0]:
            out["time"] = cell
    return out


def table_units(text: str, outline: Sequence[OutlineNode]) -> list[Unit]:
    """One unit per row of a task table that has a lead ("chủ trì") column."""
    units: list[Unit] = []
    for node in outline:
        row = node.row
        if node.kind != "row" or row is None:
            continue
        kinds = [_column_kind(c) for c in row.columns[1:]]
        if "lead" not in kinds:
            continue
        cells = _row_cells(row, kinds)
        lead_name = row.columns[1 + kinds.index("lead")]
        role = LEAD if "chu tri" in fold_keep(lead_name) else DO
        bodies = [(m, role) for m in find_agencies(cells.get("lead", ""))]
        bodies += [(m, SUPPORT) for m in find_agencies(cells.get("partner", ""))]
        if not bodies:
            continue
        task = " ".join(cells.get("content", "").split()) or None
        units.append(Unit(row.start, row.end, tuple(bodies), task, cells.get("time", "")))
    return units


def sentence_units(
    text: str,
    outline: Sequence[OutlineNode],
    skip: Sequence[tuple[int, int]],
    lead: Sequence[tuple[int, int]],
) -> list[tuple[int, int, bool]]:
    """(start, end, leads) of each sentence outside tables, recipients and `skip` spans.

    `leads` is True inside an item whose owner leads ("chủ trì"), where "phối hợp với X"
    makes X a partner.
    """
    fenced = [(n.start, n.end) for n in outline if n.kind in ("row", "row_group", "closing")]
    fenced += list(skip)
    out: list[tuple[int, int, bool]] = []
    for a, b in lines_with_offsets(text):
        if a == b or any(s <= a < e for s, e in fenced):
            continue
        line = text[a:b]
        pos = 0
        cuts = [
            m.start()
            for m in _SENTENCE_END.finditer(line)
            if not _MARK_ONLY.match(line[: m.start()])
        ]
        for cut in [*cuts, len(line)]:
            sentence = line[pos:cut].strip()
            s = a + pos + (len(line[pos:cut]) - len(line[pos:cut].lstrip()))
            pos = cut
            if len(sentence) < 10 or sentence.endswith(":"):
                continue
            out.append((s, s + len(sentence), any(x <= s < y for x, y in lead)))
    return out
