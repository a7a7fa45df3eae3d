"""Is a PDF text layer usable, and how much of a reference text did OCR recover?

A text layer is judged by the shape of its tokens, not by a dictionary:
glyph-by-glyph layers ("QUY\\nẾ\\nT Đ\\nỊ\\nNH") are mostly one-letter tokens;
layers drawn with a broken font map are full of replacement/private-use
characters or accented tokens that are not Vietnamese syllables.

>>> layer_problem("QUY ẾT Đ Ị NH V ề vi ệ c công b ố danh m ụ c th ủ t ụ c hành chính m ớ i")
'text layer looks fragmented (67% one-letter tokens)'
>>> layer_problem("Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện công tác dân vận năm 2025") is None
True
"""

from __future__ import annotations

import re
import unicodedata

from ingest.loaders.syllable import is_syllable, tokens
from ingest.text import canonical

MIN_LETTERS = 20  # fewer letters than this on a page: no real text layer (scan, stamp)
MAX_SINGLE_SHARE = 0.4  # one-letter tokens: real pages (even tables) < 0.3, glyph soup > 0.5
MIN_ACCENTED_SYLLABLES = 0.5  # accented tokens that are syllables: real text > 0.9
MAX_BAD_CHARS = 0.05  # U+FFFD, private use, controls: a font without a Unicode map


def layer_problem(text: str) -> str | None:
    """Why this page's text layer should not be trusted, or None when it looks like real text."""
    letters = sum(1 for c in text if c.isalpha())
    if letters < MIN_LETTERS:
        return "no text layer"
    bad = sum(
        1
        for c in text
        if c == "\ufffd" or (unicodedata.category(c) in ("Co", "Cc") and c not in "\t\n\r\f")
    )
    if bad / max(1, len(text)) > MAX_BAD_CHARS:
        return f"text layer has unmapped glyphs ({bad} undecodable characters)"
    toks = tokens(text)
    single = sum(1 for t in toks if len(t) == 1) / len(toks)
    if len(toks) >= 10 and single > MAX_SINGLE_SHARE:
        return f"text layer looks fragmented ({single:.0%} one-letter tokens)"
    accented = [t for t in toks if not t.isascii()]
    if len(accented) >= 20:
        share = sum(map(is_syllable, accented)) / len(accented)
        if share < MIN_ACCENTED_SYLLABLES:
            return (
                f"text layer looks garbled ({share:.0%} of accented words are Vietnamese syllables)"
            )
    return None


_MD_SYNTAX = re.compile(
    r"(?m)^\s{0,3}(#{1,6}\s+|[-*+]\s+|>\s*)|[*_`|]+|!\[[^\]]*\]\([^)]*\)|<[^>]+>"
)


def strip_markdown(text: str) -> str:
    """Remove markdown markup but keep the words: `strip_markdown("# I. MỤC ĐÍCH")` -> 'I. MỤC ĐÍCH'."""
    return _MD_SYNTAX.sub(" ", text).strip()


def word_set(text: str) -> list[str]:
    """Lower-cased, NFC, canonical-tone word tokens (letters and digits) of `text`."""
    return re.findall(r"\w+", canonical(text).lower())


def word_recall(hypothesis: str, reference: str) -> float:
    """Share of reference word occurrences also present in the hypothesis (multiset recall).

    >>> word_recall("Ủy ban nhân dân", "ủy ban nhân dân tỉnh")
    0.8
    """
    from collections import Counter

    hyp, ref = Counter(word_set(hypothesis)), Counter(word_set(reference))
    total = sum(ref.values())
    if not total:
        return 0.0
    return sum(min(n, hyp[w]) for w, n in ref.items()) / total
