"""Text -> BM25 tokens for Vietnamese: syllables, syllable bigrams, abbreviations.

Vietnamese writes one syllable per space-separated unit and most words are two
syllables, so adjacent-syllable bigrams stand in for words without a segmenter
(measured on the bench: better than underthesea's word segmentation, and ~40x
faster; see scripts/bench_analyzers.py). Single-letter syllables (`ở`, `y`) are
real words and are kept. Text goes through `canonical` first, so `Tỉnh uỷ` and
`Tỉnh ủy` give the same tokens.

>>> analyze("Sở Công Thương ở Tiền Giang")
['sở', 'công', 'thương', 'ở', 'tiền', 'giang', 'sở_công', 'công_thương', 'thương_ở', 'ở_tiền', 'tiền_giang']
>>> analyze("Sở KH&ĐT", abbreviations={"khdt": "kế hoạch và đầu tư"}, bigrams=False)
['sở', 'kế', 'hoạch', 'và', 'đầu', 'tư', 'khdt']
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Mapping

from index.abbrev import ABBR_RE, abbr_key
from ingest.text import canonical, fold_diacritics, nfc

BIGRAM_JOIN = "_"
_SYLLABLE_RE = re.compile(r"[^\W_]+")
# Punctuation ends a run: no bigram spans "tỉnh. Sở" or "5068/UBND".
_RUN_SPLIT_RE = re.compile(r"[^\w\s]+")
_ASCII_LETTERS_RE = re.compile(r"[a-z]{3,}")
# The unit `canonical` re-tones (same pattern as ingest.text): letters + stray marks.
_LETTERS_RE = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")
_canonical_word = functools.lru_cache(maxsize=1 << 17)(canonical)


def canonical_fast(text: str) -> str:
    """`canonical(text)`, memoised per word: words repeat, and re-toning each
    occurrence was 90% of analysis time on the bench passages.

    >>> canonical_fast("Tỉnh uỷ hoà giải") == canonical("Tỉnh uỷ hoà giải") == "Tỉnh ủy hòa giải"
    True
    """
    return _LETTERS_RE.sub(lambda m: _canonical_word(m.group(0)), nfc(text))


def _expand_upper(text: str, abbreviations: Mapping[str, str], extras: list[str]) -> str:
    """Replace known upper-case abbreviations by their long form, noting their keys.

    Document numbers such as `KH-UBND` are tried part by part.
    """

    def repl(m: re.Match[str]) -> str:
        raw = m.group(0)
        key = abbr_key(raw)
        if key in abbreviations:
            extras.append(key)
            return f" {abbreviations[key]} "
        parts = re.split(r"[&-]", raw)
        if len(parts) == 1:
            return raw
        out = []
        for part in parts:
            pkey = abbr_key(part)
            if pkey in abbreviations:
                extras.append(pkey)
                out.append(abbreviations[pkey])
            else:
                out.append(part)
        # Parts stay separate runs, as they were separate before.
        return " - ".join(out)

    return ABBR_RE.sub(repl, text)


def _expand_lower(run: list[str], abbreviations: Mapping[str, str], extras: list[str]) -> list[str]:
    """Expand lower-case abbreviations typed in queries (`ubnd`); 3+ letters only,
    because two-letter ones (`ca`, `tp`) collide with real words."""
    out: list[str] = []
    for tok in run:
        if tok in abbreviations and _ASCII_LETTERS_RE.fullmatch(tok):
            extras.append(tok)
            out.extend(abbreviations[tok].split())
        else:
            out.append(tok)
    return out


def analyze(
    text: str,
    *,
    abbreviations: Mapping[str, str] | None = None,
    bigrams: bool = True,
    stopwords: Iterable[str] = (),
) -> list[str]:
    """BM25 tokens of `text`: syllables, then bigrams, then abbreviation keys.

    `abbreviations` maps `abbr_key` -> long form (lower-case, canonical), as made by
    `index.abbrev.merge_abbreviations`; a known abbreviation is replaced in place by its
    long form (so bigrams match the spelled-out text) and its key is added once more.
    `stopwords` are dropped from the syllables only; bigrams keep them ("ở_tiền").

    >>> analyze("Tỉnh uỷ", bigrams=False) == analyze("Tỉnh ủy", bigrams=False) == ["tỉnh", "ủy"]
    True
    """
    abbreviations = abbreviations or {}
    extras: list[str] = []
    text = canonical_fast(text)
    if abbreviations:
        text = _expand_upper(text, abbreviations, extras)
    runs = [_SYLLABLE_RE.findall(part) for part in _RUN_SPLIT_RE.split(text.lower())]
    if abbreviations:
        runs = [_expand_lower(run, abbreviations, extras) for run in runs]
    stop = frozenset(stopwords)
    tokens = [tok for run in runs for tok in run if tok not in stop]
    if bigrams:
        tokens += [f"{a}{BIGRAM_JOIN}{b}" for run in runs for a, b in itertools.pairwise(run)]
    return tokens + extras


def fold_tokens(tokens: Iterable[str]) -> list[str]:
    """Tokens of the diacritics-folded field.

    >>> fold_tokens(["cụm", "cụm_công", "đt"])
    ['cum', 'cum_cong', 'dt']
    """
    return [fold_diacritics(tok) for tok in tokens]


def has_diacritics(tokens: Iterable[str]) -> bool:
    """Whether any token carries a Vietnamese mark; a query without any was
    probably typed without them, so the folded field should decide.

    >>> has_diacritics(["so", "nao"]), has_diacritics(["sở", "nào"])
    (False, True)
    """
    return any(fold_diacritics(tok) != tok for tok in tokens)
