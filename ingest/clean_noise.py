"""Which lines of a document are noise: page numbers, running headers, captions, stray marks.

`noise_actions(lines)` takes the per-line cleaned texts (blank lines as "")
and says, per line, KEEP, DROP (vanishes, the text around it may be joined)
or BREAK (vanishes but acts as a paragraph break, e.g. a layout `|`).

>>> noise_actions(["Lao động", "- 3 -", "việc làm.", "", "b", "", "Ảnh: Minh Thành"])
['keep', 'drop', 'keep', 'keep', 'break', 'keep', 'break']
"""

from __future__ import annotations

import re
from collections import defaultdict

from ingest.clean_features import ends_sentence, starts_lower, starts_marker

KEEP, DROP, BREAK = "keep", "drop", "break"

_PAGE = re.compile(
    r"^(?:[-–—]\s*\d{1,4}\s*[-–—]"
    r"|(?:Trang|TRANG|trang|Page|PAGE|page)\s*\d{1,4}(?:\s*(?:/|trên|of|\|)\s*\d{1,4})?)$"
)
_LONE_NUMBER = re.compile(r"^\d{1,3}$")
_TABLE_RULE = re.compile(r"^[|:\-–—=+ ]*\|[|:\-–—=+ ]*$")
_HAS_ALNUM = re.compile(r"[^\W_]")
_CAPTION_START = re.compile(r"^\(?\s*Ảnh(?:\s+minh\s+họa)?\s*(?:[:：/]|\)?$|\s*[-–]\s)")
_CAPTION_END = re.compile(r"[.!?…)]\s*\(?\s*Ảnh\s*[:：]\s*[^.:;]{1,40}\)?\.?$")
_CAPTION_MAX = 250
_MIN_CUT_LINE = 40  # a page break cuts a full line of text, not a short table cell


def _is_caption(line: str) -> bool:
    if len(line) > _CAPTION_MAX:
        return False
    return bool(_CAPTION_START.match(line) or _CAPTION_END.search(line))


def _first_pass(line: str) -> str:
    if not line:
        return KEEP
    if _PAGE.match(line):
        return DROP
    if not _HAS_ALNUM.search(line):
        # `|---|---|` rows vanish inside a table; lone `|`, `•`, `-----` mark layout breaks.
        return DROP if _TABLE_RULE.match(line) and "-" in line else BREAK
    if len(line) == 1 and line.isalpha() and line not in "xX":
        return BREAK  # stray letter (a lone `b` from a scraped icon); `x` is a table tick
    if _is_caption(line):
        return BREAK
    return KEEP


def _neighbours(lines: list[str], actions: list[str], i: int) -> tuple[str | None, str | None]:
    """Closest kept non-blank lines before and after line i."""
    prev = nxt = None
    for j in range(i - 1, -1, -1):
        if lines[j] and actions[j] == KEEP:
            prev = lines[j]
            break
    for j in range(i + 1, len(lines)):
        if lines[j] and actions[j] == KEEP:
            nxt = lines[j]
            break
    return prev, nxt


def _interrupts_sentence(prev: str | None, nxt: str | None) -> bool:
    """prev / (this line) / nxt reads as one sentence cut by page furniture."""
    if prev is None or nxt is None or len(prev) < _MIN_CUT_LINE:
        return False
    return not ends_sentence(prev) and starts_lower(nxt)


def _blank_around(lines: list[str], i: int) -> bool:
    before = i == 0 or not lines[i - 1]
    after = i == len(lines) - 1 or not lines[i + 1]
    return before and after


def _beside_page_number(lines: list[str], actions: list[str], i: int) -> bool:
    """Line i touches a dropped page number, directly or across one blank line."""
    for step in (-1, 1):
        j = i + step
        if 0 <= j < len(lines) and not lines[j]:
            j += step
        page = 0 <= j < len(lines) and (_PAGE.match(lines[j]) or _LONE_NUMBER.match(lines[j]))
        if page and actions[j] == DROP:
            return True
    return False


def _blank_beside(lines: list[str], i: int) -> bool:
    return (i > 0 and not lines[i - 1]) or (i + 1 < len(lines) and not lines[i + 1])


def _running_headers(lines: list[str], actions: list[str]) -> set[int]:
    """Short lines repeated >= 3 times, each time where a page break cuts the text.

    Flattened tables repeat short cells too (`Cơ quan, địa` / `phương`), so a
    repeat only counts beside a page number, or when it splits a sentence and
    sits against a blank line as page furniture does.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        if (
            actions[i] == KEEP
            and 8 <= len(line) <= 60
            and line[0].isalpha()
            and " " in line
            and not starts_marker(line)
        ):
            groups[re.sub(r"\d+", "#", line.casefold())].append(i)
    found: set[int] = set()
    for members in groups.values():
        if len(members) < 3:
            continue
        at_break = []
        for i in members:
            prev, nxt = _neighbours(lines, actions, i)
            cuts = _interrupts_sentence(prev, nxt) and not starts_lower(lines[i])
            if _beside_page_number(lines, actions, i) or (cuts and _blank_beside(lines, i)):
                at_break.append(i)
        if len(at_break) >= 3:
            found.update(at_break)
    return found


def _lone_numbers(lines: list[str], actions: list[str]) -> set[int]:
    """Lone numbers that are page numbers: alone between blank lines, or cutting a
    sentence in two (`... các nhiệm vụ` / `1` / `đòi hỏi ...`).

    A number in a run of table cells (`1` / `1.014440` / `Thủ tục ...`) stays.
    """
    view = [i for i, a in enumerate(actions) if a != DROP]
    # Removed layout marks (BREAK) are neither text nor blank lines here.
    texts = [lines[i] if actions[i] == KEEP or not lines[i] else "\x00" for i in view]
    kept = [actions[i] for i in view]
    found = set()
    for k, text in enumerate(texts):
        if kept[k] == KEEP and _LONE_NUMBER.match(text):
            prev, nxt = _neighbours(texts, kept, k)
            if _blank_around(texts, k) or _interrupts_sentence(prev, nxt):
                found.add(view[k])
    return found


def noise_actions(lines: list[str]) -> list[str]:
    """Per line: KEEP, DROP (page number, running header) or BREAK (caption, stray mark)."""
    actions = [_first_pass(line) for line in lines]
    # Dropping one page number can expose the next (OCR debris `1` / `2` / ``):
    # repeat until nothing changes, so that cleaning the output finds nothing more.
    for _ in range(len(lines)):
        found = _lone_numbers(lines, actions) | _running_headers(lines, actions)
        found = {i for i in found if actions[i] == KEEP}
        if not found:
            break
        for i in found:
            actions[i] = DROP
    return actions
