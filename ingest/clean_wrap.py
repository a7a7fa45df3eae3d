"""Hard-wrap repair: decide, for two consecutive lines, whether a wrap split one logical line.

Evidence, strongest first: the next line starts in lower case or the first
ends in a word that cannot end a sentence (`và`, `của`...); then, only in a
file that is hard-wrapped (`wrap_width` finds a width), the first line
filled the width, or is a heading cut after one word (`5. Sở` / `Thông tin`),
or the next line is a short stub closing a heading (`6. Sở Công` / `Thương`).

>>> join_separator("6. Sở Công", 10, "Thương", "- Tiếp tục", False, False, 100)
' '
>>> join_separator("II. NHIỆM VỤ", 12, "Tiếp tục thực hiện", None, False, False, 100) is None
True
"""

from __future__ import annotations

import re

from ingest.clean_features import (
    FUNCTION_WORDS,
    NUMBER_WORDS,
    ends_sentence,
    is_caps,
    is_doc_type,
    last_word,
    marker_body,
    starts_lower,
    starts_marker,
    starts_numbered,
)

_HYPHEN_CUT = re.compile(r"[^\W\d_]-$")
_MIN_LINES = 8  # fewer lines than this give no usable length statistics


def wrap_width(lengths: list[int]) -> int | None:
    """Estimated wrap width of a hard-wrapped file, None when lines are not wrapped.

    A wrapped file has many lines bunched just under one width and almost none
    beyond it; paragraph files spread from short headings to 1,000+ characters.

    >>> wrap_width([78, 80, 75, 79, 30, 77, 80, 76, 12, 79, 74, 80])
    80
    >>> wrap_width([60, 420, 900, 35, 1200, 310, 75, 640, 510, 88]) is None
    True
    """
    lengths = sorted(n for n in lengths if n >= 2)
    if len(lengths) < _MIN_LINES:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not 30 <= width <= 250:
        return None
    near = sum(1 for n in lengths if 0.75 * width <= n <= 1.15 * width)
    beyond = sum(1 for n in lengths if n > 1.3 * width)
    if near < 0.35 * len(lengths) or beyond > 0.05 * len(lengths):
        return None
    return width


def _is_stub(line: str) -> bool:
    """A short fragment such as `Thương` left over from a wrapped heading."""
    return len(line) <= 40 and len(line.split()) <= 6 and not ends_sentence(line)


def join_separator(
    a: str,
    a_last: int,
    b: str,
    c: str | None,
    gap: bool,
    c_gap: bool,
    width: int | None,
) -> str | None:
    """Separator to glue line `b` onto line `a` (" " or "" after a cut hyphen), None to keep apart.

    `a` is the logical line built so far, `a_last` the length of its last
    physical line, `c` the line after `b`; `gap` / `c_gap` say a blank line
    separates a from b / b from c; `width` comes from `wrap_width`.
    """
    if len(a) < 2 or len(b) < 2 or starts_marker(b) or is_doc_type(a) or is_doc_type(b):
        return None
    if _HYPHEN_CUT.search(a) and b[0].isalnum():
        return ""  # NĐ-/CP, kinh tế-/xã hội: the hyphen is real, only the break goes
    b_digit = b[0].isdigit()
    if a.endswith(":") and len(a.split()) <= 2 and b_digit and not gap:
        return " "  # a label and its value: `Số:` / `370/KH-UBND`
    if ends_sentence(a):
        # In a hard-wrapped file a wrap may fall right after a `;` inside an item.
        if width and not gap and a.endswith(";") and a_last >= 0.75 * width and starts_lower(b):
            return " "
        return None
    word = last_word(a)
    if starts_lower(b) or word in FUNCTION_WORDS or (b_digit and word in NUMBER_WORDS):
        return " "
    if a.endswith((",", " -", " –")):
        return " "
    if gap or width is None:
        return None
    # From here on only the wrap width tells a cut from a real boundary.
    lo = 0.75 * width
    if is_caps(a) and not is_caps(b):
        return None  # an upper-case heading followed by its body
    if a_last >= lo:
        return " "
    numbered = starts_numbered(a)
    if is_caps(a) and is_caps(b) and len(a.split()) == 1:
        return " "  # `CỘNG` / `HÒA XÃ HỘI...`
    if numbered and len(marker_body(a)) == 1:
        return " "  # `5. Sở` / `Thông tin và Truyền thông...`
    heading = numbered or is_caps(a)
    if heading and len(a) <= width / 2 and _is_stub(b) and (c is None or c_gap or starts_marker(c)):
        return " "  # `6. Sở Công` / `Thương` / next item
    if not heading and len(b) >= lo:
        return " "  # a short first line, then full wrapped lines of the same paragraph
    return None
