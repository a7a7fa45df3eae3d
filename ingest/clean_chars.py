"""Character-level cleanup of one line, keeping an offset for every output character.

Used by `ingest.clean`: NFC (cluster by cluster, so offsets survive), one
tone-mark convention, whitespace and invisible characters, markdown bold,
footnote marks glued to a word.

>>> text, origin = normalize_line("Tỉnh uỷ\\u00a0 **Bến Tre**[1] ", 10)
>>> text
'Tỉnh ủy Bến Tre'
>>> origin[:9]
[10, 11, 12, 13, 14, 15, 16, 17, 21]
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ingest.text import canonical

# What vanishes from a line, in one regex: C0/C1 controls, soft hyphen,
# zero-width and bidi marks, BOM, lone surrogates; markdown bold (`**x**`,
# `__x__`; longer `___` runs are fill-in blanks and stay); a footnote mark
# glued to the word before it (`2025[2]`, `tập trung[3];`); repeated spaces.
_DELETE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]"
    r"|\*{2,}|(?<!_)__(?!_)|(?<=[^\s\[(])\[\d{1,3}\]"
)
# Every other kind of blank becomes a plain space (one-to-one, offsets unchanged).
_SPACE = re.compile("[\t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_EXTRA_SPACE = re.compile("(?<= ) +")
# Vietnamese vowels (any marks) and the subset carrying a tone: canonical can
# only move a tone that sits next to another vowel, so only such words are retoned.
_VOWELS = "aăâeêioôơuưyàằầèềìòồờùừỳáắấéếíóốớúứýảẳẩẻểỉỏổởủửỷãẵẫẽễĩõỗỡũữỹạặậẹệịọộợụựỵ"
_TONED = _VOWELS[12:]
_V = _VOWELS + _VOWELS.upper()
_T = _TONED + _TONED.upper()
_RETONE = re.compile(f"(?<![^\\W\\d_])[^\\W\\d_]*?(?:[{_T}][{_V}]|[{_V}][{_T}])[^\\W\\d_]*")
# Cheap single-class scan: does `_DELETE` have anything to do on this line?
_DELETE_HINT = re.compile(
    "[\\x00-\\x08\\x0e-\\x1f\\x7f-\\x9f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e"
    "\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb\\ud800-\\udfff*_\\[]"
)
_TRIVIAL = re.compile(r"[\x00-\x1f\x7f\[*_]|  |^ | $")


@lru_cache(maxsize=65536)
def _canonical_word(word: str) -> str:
    out = canonical(word)
    # canonical only moves a mark inside a syllable; refuse anything else so
    # the character-for-character offset map stays exact.
    return out if len(out) == len(word) else word


def _nfc_clusters(text: str, origin: list[int]) -> tuple[str, list[int]]:
    """NFC per base+combining-marks cluster; each output char maps into its cluster."""
    out: list[str] = []
    out_origin: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        composed = unicodedata.normalize("NFC", text[i:j])
        for k, ch in enumerate(composed):
            out.append(ch)
            out_origin.append(origin[min(i + k, j - 1)])
        i = j
    return "".join(out), out_origin


def _delete(text: str, origin: list[int], pattern: re.Pattern[str]) -> tuple[str, list[int]]:
    """Remove every match of `pattern`, keeping the offsets of what remains."""
    spans = [m.span() for m in pattern.finditer(text)]
    if not spans:
        return text, origin
    parts: list[str] = []
    kept: list[int] = []
    pos = 0
    for start, end in spans:
        parts.append(text[pos:start])
        kept.extend(origin[pos:start])
        pos = end
    parts.append(text[pos:])
    kept.extend(origin[pos:])
    return "".join(parts), kept


def _retone(text: str) -> str:
    if text.isascii():
        return text
    return _RETONE.sub(lambda m: _canonical_word(m.group(0)), text)


def normalize_line(raw: str, start: int) -> tuple[str, list[int]]:
    """Clean one line (no line breaks inside) that begins at input offset `start`.

    Returns the cleaned text and, per character, its offset in the input.
    Leading/trailing spaces are removed and inner runs collapse to one space.
    """
    origin = list(range(start, start + len(raw)))
    text = raw
    if text.isascii() and not _TRIVIAL.search(text):
        return text, origin
    if _SPACE.search(text):
        text = _SPACE.sub(" ", text)
    if _DELETE_HINT.search(text):
        text, origin = _delete(text, origin, _DELETE)
    if not unicodedata.is_normalized("NFC", text):
        text, origin = _nfc_clusters(text, origin)
    text = _retone(text)
    if "  " in text:
        text, origin = _delete(text, origin, _EXTRA_SPACE)
    if text[:1] == " " or text[-1:] == " ":
        lead = len(text) - len(text.lstrip(" "))
        trail = len(text.rstrip(" "))
        text, origin = text[lead:trail], origin[lead:trail]
    return text, origin
