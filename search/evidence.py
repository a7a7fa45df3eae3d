"""Sentences of a passage and how well they cover a question's content words.

Coverage is the abstention signal: an answer is only as good as the passage
that says it, and a passage that does not mention what the question is about
("điện hạt nhân") cannot support any answer, however well it ranked.

>>> sentence_spans("Một. Hai ba;\\n- Bốn")
[(0, 4), (5, 12), (13, 18)]
>>> len(sentence_spans("Phát triển TX. Gò Công lên thành phố. Xong."))
2
>>> round(coverage(("cum", "cong", "nghiep"), ("cum", "cong", "nghiep"), "Quản lý cụm công nghiệp"), 2)
1.0
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import pairwise

from ingest.text import fold_diacritics

# A sentence ends at . ; ! ? followed by space, or at a line that starts a new item
# (bullet, "a)", "2.", "Điều 2."): hard-wrapped lines inside a sentence stay together. A colon
# followed by text on the same line does not end it: "các CCN: Mỹ Lợi, Long Bình".
# A title or place abbreviation before a name does not end one either: "phát triển TX. Gò Công
# lên thành phố", "TS. Nguyễn Văn A".
_ABBREV_DOT = "".join(
    rf"(?<!\b{a}\.)" for a in ("TX", "TP", "Tp", "TT", "ThS", "Ths", "TS", "PGS", "GS", "BS", "KS")
)
# A table flattened to one cell per line starts each row at a bare index line ("2", "II",
# "II.1") followed by a capitalised label.
_BREAK = re.compile(
    rf"(?<=[.;!?])[ \t]*\n\s*|(?<=[.;!?]){_ABBREV_DOT}[ \t]+(?=[A-ZĐÀ-Ỹ\"“(-])|\n\s*\n\s*"
    r"|\n\s*(?=[-+•*–]\s|\(?[a-zđ]\)\s|\(?\d{1,3}[.)]\s|[IVX]{1,4}\.\s|\||(?:Điều|Chương) \w+[.:])"
    r"|\n\s*(?=(?:\d{1,3}|[IVX]{1,4}(?:\.\d{1,2})*)[ \t]*\n[ \t]*[A-ZĐÀ-Ỹ])"
)
# A value cell: "%", "99%", "1.500" (not a bare "2", which starts a row).
_CELL = re.compile(r"[ \t]*(?:[\d.,]*%|\d+(?:[.,]\d+)+|\d{4,})[ \t]*\n")
_MAX = 700  # characters; longer "sentences" (tables, run-on OCR) are cut at line ends


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text[start:end], trimmed of surrounding space."""
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    pos = start
    for m in [*_BREAK.finditer(text, start, end), None]:
        if m and _carries_on(text, pos, m):
            continue
        a, b = pos, (m.start() if m else end)
        pos = m.end() if m else end
        for s, e in _cut_long(text, a, b):
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e - s > 1:
                out.append((s, e))
    return _merge_markers(text, out)


def _carries_on(text: str, start: int, m: re.Match[str]) -> bool:
    """Whether a break after punctuation is none: the sentence goes on.

    A ";" inside an open bracket separates the bracket's parts ("(bộ báo cáo theo Phụ lục 1;
    địa phương theo Phụ lục 2) và gửi trước ngày …"). A "." at a line end before a lowercase
    line is a wrapped date or an OCR stray ("ngày 02 tháng 7.\\nnăm 2021"). A "." before a
    line that is only a value ("%", "99%") ends a table row's label; the row's value follows.

    >>> t = "Gửi (bộ theo Phụ lục 1; địa phương theo Phụ lục 2) trước ngày 26/11."
    >>> len(sentence_spans(t)), len(sentence_spans("tháng 7.\\nnăm 2021. Xong."))
    (1, 2)
    """
    before = text[m.start() - 1] if m.start() else ""
    if before == ";":
        part = text[start : m.start()]
        return part.count("(") > part.count(")")
    if before != "." or "\n" not in m.group():
        return False
    return text[m.end() : m.end() + 1].islower() or bool(_CELL.match(text, m.end()))


def passage_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Whole sentences that overlap text[start:end]: a chunk cut mid-sentence is read to the end.

    Chunks overlap and may start or stop inside a sentence; the answer and its
    support must come from the complete sentence, or coverage is underestimated.

    >>> t = "Một hai.\\nBa bốn năm. Sáu bảy."
    >>> [t[a:b] for a, b in passage_sentences(t, 12, 14)]
    ['Ba bốn năm.']
    """
    # Lines are hard-wrapped in many files: read a margin either side, not to the line ends.
    a = text.rfind("\n\n", max(0, start - _MAX), start)
    a = a + 2 if a != -1 else max(0, start - _MAX)
    b = min(len(text), end + _MAX)
    return [(s, e) for s, e in sentence_spans(text, a, b) if s < end and e > start]


def lead_in(text: str, start: int) -> str:
    """The words that introduce a list whose item starts at `start`: "đẩy nhanh các dự án
    trọng điểm: A; B (ĐT.DK.07)" makes item B a "dự án" too. Empty when `start` does not
    follow a ";" of a list opened by a colon in the same paragraph.

    >>> t = "Đẩy nhanh các dự án trọng điểm: cầu A; đường B (ĐT.07). Xong."
    >>> lead_in(t, t.index("đường")), lead_in(t, t.index("Xong"))
    ('Đẩy nhanh các dự án trọng điểm', '')
    """
    before = text[max(0, start - _MAX) : start].rstrip()
    if not before.endswith(";"):
        return ""
    colon = before.rfind(":")
    if colon == -1 or re.search(r"[.!?]\s|\n\s*\n", before[colon:]):
        return ""
    head = before[:colon]
    cut = max(head.rfind(". "), head.rfind("\n\n"), head.rfind(";"))
    return " ".join(head[cut + 1 :].split())


def _merge_markers(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A lone item marker ("6.", "II.", "a)") belongs to the words that follow it."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and re.fullmatch(
            r"\(?(?:\d{1,3}|[IVXL]{1,5}|[a-zđ])[.)]", text[out[-1][0] : out[-1][1]]
        ):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _cut_long(text: str, a: int, b: int) -> list[tuple[int, int]]:
    if b - a <= _MAX:
        return [(a, b)]
    out, s = [], a
    for m in re.finditer(r"\n", text[a:b]):
        cut = a + m.start()
        if cut - s >= _MAX // 2:
            out.append((s, cut))
            s = cut + 1
    out.append((s, b))
    return out


def words(text: str) -> list[str]:
    """Folded word tokens: 'Sở KH&ĐT, 7,5%' -> ['so', 'kh', 'dt', '7,5']."""
    return re.findall(r"[a-z0-9]+(?:[.,][0-9]+)*", fold_diacritics(text))


@lru_cache(maxsize=4096)  # the long forms of an index's abbreviation table: a few hundred
def _folded(text: str) -> str:
    return " ".join(words(text))


# A bound written either way (folded): "tối đa", "nhiều nhất" or "không quá". The first two
# of each are also equivalent phrases; "không quá" is read as a bound only.
BOUND_PHRASES = (("toi da", "nhieu nhat", "khong qua"), ("toi thieu", "it nhat"))
# Phrasings that reports and questions use for the same thing (folded); a question in one
# wording is covered by a passage in the other. Kept to equivalences, not related terms.
EQUIVALENT_PHRASES = (
    ("nua dau nam", "6 thang dau nam"),
    ("nua cuoi nam", "6 thang cuoi nam"),
    ("quy i", "3 thang dau nam"),
    ("tao viec lam", "giai quyet viec lam"),
    ("tang truong kinh te", "tang truong grdp"),
    ("gia tri xuat khau", "kim ngach xuat khau"),
    *((first, second) for first, second, *_ in BOUND_PHRASES),
)


def expand(tokens: Sequence[str], abbreviations: Mapping[str, str]) -> list[str]:
    """Tokens, then each abbreviation's long form and each long form's abbreviation, then
    the other wording of each EQUIVALENT_PHRASES phrase present.

    >>> expand(["cac", "ccn"], {"ccn": "cụm công nghiệp"})
    ['cac', 'ccn', '|', 'cum', 'cong', 'nghiep']
    >>> expand(["kt", "xh"], {"ktxh": "kinh tế xã hội"})
    ['kt', 'xh', '|', 'ktxh', '|', 'kinh', 'te', 'xa', 'hoi']
    >>> expand("6 thang dau nam".split(), {})
    ['6', 'thang', 'dau', 'nam', '|', 'nua', 'dau', 'nam']
    """
    out = list(tokens)
    # "KT-XH" reads as "kt xh": the pair is also the abbreviation "ktxh" it spells.
    for a, b in pairwise(tokens):
        if a + b in abbreviations:
            out += ["|", a + b]
    present = set(out)
    joined = " " + " ".join(tokens) + " "
    for abbr, long in abbreviations.items():
        long_f = _folded(long)
        if abbr in present:
            out += ["|", *long_f.split()]
        elif long_f and f" {long_f} " in joined:
            out += ["|", abbr]
    for a, b in EQUIVALENT_PHRASES:
        if f" {a} " in joined:
            out += ["|", *b.split()]
        elif f" {b} " in joined:
            out += ["|", *a.split()]
    return out


def bigrams(question_focus: Sequence[str], question: str) -> tuple[str, ...]:
    """Pairs of focus terms that are adjacent in the question: 'hat nhan', 'cum cong'."""
    toks = words(question)
    keep = set(question_focus)
    return tuple(dict.fromkeys(f"{a} {b}" for a, b in pairwise(toks) if a in keep and b in keep))


def term_weight(doc_freq: int, n_rows: int) -> float:
    """How much a term tells about the question: the square root of its BM25 idf in the archive.

    Rare words ("đấu thầu") decide what a question is about; common ones ("liên quan",
    "công tác") barely do. The root keeps a common word from counting for nothing
    (tuned on the sample dev split: exponent 0.5 beat 0 and 1, docs/eval.md).

    >>> round(term_weight(1, 1000), 2), round(term_weight(500, 1000), 2)
    (2.55, 0.83)
    """
    return math.log(1 + (n_rows - doc_freq + 0.5) / (doc_freq + 0.5)) ** 0.5


def coverage(
    focus: Sequence[str],
    pairs: Sequence[str],
    evidence: str,
    abbreviations: Mapping[str, str] | None = None,
    weights: Sequence[float] = (),
) -> float:
    """Share of the focus terms (and of their adjacent pairs) the evidence contains, 0..1.

    `weights` (one per focus term, e.g. `term_weight`s) weigh the terms and the pairs
    they form; without them every term counts the same.

    >>> coverage(("dien", "hat", "nhan"), ("dien hat", "hat nhan"), "điện gió; nhân dân")
    0.3333333333333333
    >>> coverage(("dien", "hat", "nhan"), (), "điện gió", weights=(1.0, 3.0, 3.0))
    0.14285714285714285
    """
    if not focus:
        return 0.0
    w = dict(zip(focus, weights, strict=True)) if weights else dict.fromkeys(focus, 1.0)
    toks = expand(words(evidence), abbreviations or {})
    have = set(toks)
    uni = sum(w[t] for t in focus if t in have) / sum(w[t] for t in focus)
    if not pairs:
        return uni
    joined = " " + " ".join(toks) + " "
    pw = [sum(w.get(t, 1.0) for t in p.split()) for p in pairs]
    bi = sum(x for p, x in zip(pairs, pw, strict=True) if f" {p} " in joined) / sum(pw)
    return (uni + bi) / 2
