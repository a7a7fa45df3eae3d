"""What answer candidates share: the evidence they come from, their score, and the local signals
(coverage of the question in the candidate's own clause, closeness to a document the question names).

>>> from search.question import analyze_question
>>> _in_question(analyze_question("Sở nào chủ trì?"), "Sở")
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ingest.text import canonical
from search.candidates import Span
from search.evidence import coverage, words
from search.question import QuestionInfo
from vanban.types import Document


@dataclass(frozen=True)
class Evidence:
    doc: Document
    start: int  # sentence span in doc.text
    end: int
    section: tuple[str, ...]
    rank: int  # 1-based rank of the hit it came from
    support: float  # 0..1


@dataclass(frozen=True)
class Candidate:
    key: str  # what equal answers share ("Sở Công Thương", "2023-01-19", "7,0 - 7,5%")
    text: str  # as displayed
    score: float
    evidence: Evidence


def _clause(sentence: str, span: Span) -> tuple[int, int, int]:
    """(lookback start, the ";" before the span or -1, the ";" after it or the sentence end)."""
    lo = max(0, span.start - 160)
    hi = sentence.find(";", span.end)
    return lo, sentence.rfind(";", lo, span.start), len(sentence) if hi == -1 else hi


def _local(
    info: QuestionInfo,
    sentence: str,
    span: Span,
    abbreviations: Mapping[str, str],
    phrase: float | None = None,
) -> float:
    """Coverage of the question's words in the candidate's own clause (";" bounds it), averaged
    with `phrase_coverage` (pass it when already computed)."""
    # A single line break is a hard wrap inside the clause ("tham gia\nbảo hiểm y tế đạt 95%").
    lo, cut, hi = _clause(sentence, span)
    window = sentence[(cut + 1 if cut != -1 else lo) : min(hi, span.end + 40)]
    clause = coverage(info.focus_terms, (), window, abbreviations, info.weights)
    if phrase is None:
        phrase = phrase_coverage(info, sentence, span, abbreviations)
    return 0.5 * clause + 0.5 * phrase


def phrase_coverage(
    info: QuestionInfo, sentence: str, span: Span, abbreviations: Mapping[str, str]
) -> float:
    """Coverage of the question's words in the candidate's phrase: between commas or "và",
    it tells apart two figures of one clause ("thu hút khoảng 400 triệu USD vốn FDI, giải
    ngân khoảng 22 triệu USD")."""
    lo, cut, hi = _clause(sentence, span)
    a = max(sentence.rfind(", ", lo, span.start), sentence.rfind(" và ", lo, span.start), cut) + 1
    ends = [i for i in (sentence.find(", ", span.end), sentence.find(" và ", span.end)) if i != -1]
    phrase = sentence[a : min(hi, *ends, span.end + 40)]
    return coverage(info.focus_terms, (), phrase, abbreviations, info.weights)


def ref_spans(info: QuestionInfo, sentence: str) -> list[tuple[int, int]]:
    """Where the sentence names a document the question names ("797 -CV/BCSD" for "797-CV/BCSD").

    >>> from search.question import analyze_question
    >>> ref_spans(analyze_question("Văn bản 797-CV/BCSD là của ai?"), "Văn bản số 797 -CV/BCSD, ngày")
    [(11, 23)]
    """
    out = []
    for r in info.doc_refs:
        if not re.search(r"[/-]", r.number):
            continue  # a bare "Kế hoạch 370" is too loose to anchor on
        parts = [re.escape(p) for p in re.split(r"\s*([/-])\s*", r.number)]
        pattern = "".join(p if p not in (r"/", r"\-", "-") else r"\s*" + p + r"\s*" for p in parts)
        out += [(m.start(), m.end()) for m in re.finditer(rf"(?<![\w/]){pattern}(?!\w)", sentence)]
    return out


def _ref_factor(info: QuestionInfo, sentence: str, span: Span) -> float:
    """An answer right after the named document ("797-CV/BCSD, ngày … của Ban Cán sự") is its own."""
    refs = ref_spans(info, sentence)
    if not refs:
        return 1.0
    return 1.3 if any(0 <= span.start - b <= 120 for _, b in refs) else 0.8


def _in_question(info: QuestionInfo, text: str) -> bool:
    q = " " + " ".join(words(info.question)) + " "
    return f" {' '.join(words(text))} " in q


def _number_key(text: str) -> str:
    return " ".join(re.findall(r"\d+(?:[.,]\d+)*|%", text)) or canonical(text).lower()
