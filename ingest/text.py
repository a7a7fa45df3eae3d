"""Character-level Vietnamese text primitives: NFC, one tone-mark convention, folding.

These are pure and length-preserving on NFC input (tone placement only moves
a mark inside a syllable), so offsets computed on `canonical(text)` are valid
on the NFC text itself.

>>> canonical("Tỉnh uỷ Bến Tre hoà giải")
'Tỉnh ủy Bến Tre hòa giải'
>>> fold_diacritics("Sở Công Thương")
'so cong thuong'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The five Vietnamese tone marks as combining characters (after NFD).
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# Vowel-quality marks: circumflex, breve, horn. A vowel carrying one takes the tone.
_QUALITY = "\u0302\u0306\u031b"
_VOWELS = set("aeiouy")
_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")


def nfc(text: str) -> str:
    """Unicode NFC composition: `nfc("ho\\u0300a") == "hòa"`."""
    return unicodedata.normalize("NFC", text)


def _split_letters(nfd_word: str) -> list[tuple[str, str]]:
    """Split an NFD word into (base letter, marks) pairs."""
    out: list[tuple[str, str]] = []
    for ch in nfd_word:
        if unicodedata.combining(ch) and out:
            base, marks = out[-1]
            out[-1] = (base, marks + ch)
        else:
            out.append((ch, ""))
    return out


def _tone_index(letters: list[tuple[str, str]]) -> int | None:
    """Index of the letter that carries the tone under the classic convention (hòa, thúy, ủy)."""
    low = [b.lower() for b, _ in letters]
    i = 0
    # "qu" and "gi" + vowel are initial consonants: their u/i never carry the tone.
    while i < len(low) and low[i] not in _VOWELS:
        i += 1
    if (
        0 < i < len(low)
        and (low[i - 1], low[i]) in (("q", "u"), ("g", "i"))
        and not letters[i][1]
        and i + 1 < len(low)
        and low[i + 1] in _VOWELS
    ):
        i += 1
    j = i
    while j < len(low) and low[j] in _VOWELS:
        j += 1
    nucleus = list(range(i, j))
    if not nucleus:
        return None
    has_final = j < len(low)
    marked = [k for k in nucleus if any(m in _QUALITY for m in letters[k][1])]
    if marked:
        return marked[-1]
    if len(nucleus) == 1:
        return nucleus[0]
    if has_final:
        return nucleus[-1]
    if len(nucleus) == 2:
        return nucleus[0]
    return nucleus[1]


@lru_cache(maxsize=65536)  # a corpus has few distinct words: cache them
def _retone(word: str) -> str:
    nfd = unicodedata.normalize("NFD", word)
    tones = [c for c in nfd if c in _TONES]
    if len(tones) != 1:
        return word
    letters = _split_letters(nfd)
    target = _tone_index([(b, "".join(m for m in ms if m not in _TONES)) for b, ms in letters])
    if target is None:
        return word
    rebuilt = []
    for k, (base, marks) in enumerate(letters):
        marks = "".join(m for m in marks if m not in _TONES)
        if k == target:
            marks += tones[0]
        rebuilt.append(base + marks)
    out = unicodedata.normalize("NFC", "".join(rebuilt))
    return out if len(out) == len(word) else word


def canonical(text: str) -> str:
    """NFC plus one tone-mark placement, so `uỷ`/`ủy`, `hoà`/`hòa` compare equal.

    >>> canonical("thuý") == canonical("thúy") == "thúy"
    True
    """
    text = nfc(text)
    return _WORD.sub(lambda m: _retone(m.group(0)), text)


def fold_diacritics(text: str) -> str:
    """Lowercase ASCII-like form: marks removed, đ -> d.

    >>> fold_diacritics("Đắk Lắk, Ủy ban")
    'dak lak, uy ban'
    """
    nfd = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in nfd if not unicodedata.combining(c)).replace("đ", "d")
