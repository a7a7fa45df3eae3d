"""Is this token a well-formed Vietnamese syllable? The evidence behind encoding and OCR choices.

Every Vietnamese word is a sequence of syllables of the shape
onset + rhyme (+ at most one tone mark), drawn from a small closed set. A
wrong decoding (TCVN3 read as cp1252, glyph-by-glyph PDF text) produces
tokens that break this shape, so the share of well-formed syllables is a
language-aware, dictionary-free quality score.

>>> is_syllable("Nguyễn"), is_syllable("quyết"), is_syllable("ViÖt"), is_syllable("ch")
(True, True, False, False)
>>> round(syllable_share("Cộng hòa xã hội chủ nghĩa"), 2)
1.0
"""

from __future__ import annotations

import functools
import re
import unicodedata

_TONES = "\u0300\u0301\u0303\u0309\u0323"
_STOP_TONES = "\u0301\u0323"  # syllables closed by c/ch/p/t take only sắc or nặng

_ONSETS = "ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
# Vowel groups that may end a syllable, and those that may precede a final consonant.
_OPEN = [
    "a",
    "e",
    "ê",
    "i",
    "o",
    "ô",
    "ơ",
    "u",
    "ư",
    "y",
    "ai",
    "ao",
    "au",
    "âu",
    "ay",
    "ây",
    "eo",
    "êu",
    "ia",
    "iu",
    "oa",
    "oai",
    "oao",
    "oay",
    "oe",
    "oeo",
    "oi",
    "ôi",
    "ơi",
    "ua",
    "ui",
    "uy",
    "uya",
    "uyu",
    "uê",
    "uơ",
    "ưa",
    "ưi",
    "ưu",
    "uôi",
    "ươi",
    "ươu",
    "iêu",
    "yêu",
    "uây",
]
_CLOSED = [
    "a",
    "ă",
    "â",
    "e",
    "ê",
    "i",
    "o",
    "ô",
    "ơ",
    "u",
    "ư",
    "y",
    "iê",
    "yê",
    "uô",
    "ươ",
    "oa",
    "oă",
    "oe",
    "uâ",
    "uyê",
    "uê",
    "uy",
    "oo",
]
# "k" only ends highland place names (Đắk Lắk), but those are everywhere in directives.
_CODAS = "ch|nh|ng|c|k|m|n|p|t"


def _alt(items: list[str]) -> str:
    return "|".join(sorted(items, key=len, reverse=True))


_SHAPE = re.compile(
    rf"^(?:{_ONSETS})?(?:(?P<open>{_alt(_OPEN)})|(?:{_alt(_CLOSED)})(?P<coda>{_CODAS}))$"
)


@functools.lru_cache(maxsize=1 << 16)  # words repeat heavily; scoring a file re-asks the same ones
def is_syllable(token: str) -> bool:
    """True when `token` (any case, any tone placement) is a possible Vietnamese syllable.

    >>> [is_syllable(t) for t in ("Thương", "UBND", "ngày", "hoà", "ẹt", "bàc")]
    [True, False, True, True, True, False]
    """
    nfd = unicodedata.normalize("NFD", token.lower())
    tones = [c for c in nfd if c in _TONES]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES))
    m = _SHAPE.match(bare)
    if m is None:
        return False
    if m.group("coda") in ("c", "ch", "k", "p", "t"):
        return not tones or tones[0] in _STOP_TONES
    return True


_TOKEN = re.compile(r"[^\W\d_]+")


def tokens(text: str) -> list[str]:
    """Letter runs of `text`: `tokens("Số 70/KH-UBND")` -> `['Số', 'KH', 'UBND']`."""
    return _TOKEN.findall(text)


def syllable_share(text: str) -> float:
    """Share of letter tokens that are well-formed syllables (0.0 when there are none)."""
    toks = tokens(text)
    if not toks:
        return 0.0
    return sum(is_syllable(t) for t in toks) / len(toks)
