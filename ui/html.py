"""Document text as inert HTML: escaped, with <mark> highlights added by us only.

Document text is data, never markup. The chat renders Markdown and the source
panel renders HTML, so every character that either language could read as
syntax (`<`, `&`, `*`, `_`, `[`, `(`, `#`, `-`, `.`, `:`, `$`, …) becomes a
numeric character reference: the browser shows the same character, and no
parser sees a tag, a link, an emphasis, a list or a formula.

>>> safe_text("<b>1. [x](y)</b>")
'&#60;b&#62;1&#46; &#91;x&#93;&#40;y&#41;&#60;/b&#62;'
>>> highlight("Sở Công Thương chủ trì", marks=[(0, 14, "ans")], terms=("chu", "tri"))
'<mark class="ans">Sở Công Thương</mark> <mark class="term">chủ</mark> <mark class="term">trì</mark>'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ingest.header_lines import fold_keep

# ASCII punctuation that HTML, CommonMark/GFM (autolinks included) or KaTeX could
# interpret; `, ; ? % /` stay as they are so copied text reads naturally.
_SPECIAL = set("&<>\"'`\\*_{}[]()#+-.!|~$:@=^")
_TABLE = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}
_WS_RUN = re.compile(r"[ \t\r\f\v]+")


def safe_text(text: str, *, newlines: str = "<br>") -> str:
    """Escape `text` for HTML and Markdown alike; newlines become `newlines` (a tag we trust).

    >>> safe_text("a\\n**b**")
    'a<br>&#42;&#42;b&#42;&#42;'
    """
    out = text.translate(_TABLE)
    return out.replace("\n", newlines) if newlines != "\n" else out


def one_line(text: str) -> str:
    """Whitespace runs (newlines included) to one space: for passages shown inline."""
    return re.sub(r"\s+", " ", text).strip()


def term_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Where the folded `terms` occur as whole words in `text` (accents and case ignored).

    >>> term_spans("Cụm công nghiệp, CỤM", ["cum"])
    [(0, 3), (17, 20)]
    """
    folded = fold_keep(text)
    spans: list[tuple[int, int]] = []
    for t in dict.fromkeys(t for t in terms if t):
        for m in re.finditer(rf"(?<!\w){re.escape(t)}(?!\w)", folded):
            spans.append((m.start(), m.end()))
    return sorted(spans)


def find_folded(text: str, needle: str) -> tuple[int, int] | None:
    """First occurrence of `needle` in `text` ignoring accents, case and spacing; None if absent.

    >>> find_folded("do Sở Công  thương chủ trì", "Sở Công Thương")
    (3, 18)
    """
    words = fold_keep(needle).split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    m = re.search(rf"(?<!\w){pattern}(?!\w)", fold_keep(text))
    return (m.start(), m.end()) if m else None


def highlight(
    text: str,
    *,
    marks: Sequence[tuple[int, int, str]] = (),
    terms: Iterable[str] = (),
    newlines: str = "<br>",
) -> str:
    """`text` escaped, with `marks` (start, end, css class) and query `terms` in <mark>.

    Explicit marks win over term marks where they overlap; positions index `text`.
    """
    spans = [(s, e, cls) for s, e, cls in marks if 0 <= s < e <= len(text)]
    taken = [(s, e) for s, e, _ in spans]
    for s, e in term_spans(text, terms):
        if not any(s < b and a < e for a, b in taken):
            spans.append((s, e, "term"))
            taken.append((s, e))
    spans.sort()
    out: list[str] = []
    pos = 0
    for s, e, cls in spans:
        if s < pos:  # overlapping explicit marks: keep the earlier one whole
            continue
        out.append(safe_text(text[pos:s], newlines=newlines))
        out.append(f'<mark class="{cls}">{safe_text(text[s:e], newlines=newlines)}</mark>')
        pos = e
    out.append(safe_text(text[pos:], newlines=newlines))
    return "".join(out)
