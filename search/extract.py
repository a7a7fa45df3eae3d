"""Scored answer candidates from evidence sentences, one finder per question kind.

An `Evidence` is one sentence of a retrieved passage with its support score
(coverage of the question's words x retrieval rank x place/year agreement);
a `Candidate` is an answer string found in it, scored by that support and by
how close it sits to the question's words. Pure functions over values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ingest.agency import canonical_agency, find_agencies
from ingest.text import canonical, fold_diacritics
from search.candidates import Span, find_dates, find_doc_numbers, find_person_names, find_quantities
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


def _local(
    info: QuestionInfo, sentence: str, span: Span, abbreviations: Mapping[str, str]
) -> float:
    """Coverage of the question's words in the candidate's own clause (";" and lines bound it)."""
    lo = max(0, span.start - 160)
    cut = max(sentence.rfind(ch, lo, span.start) for ch in ";\n")
    hi = min(
        [i for i in (sentence.find(ch, span.end) for ch in ";\n") if i != -1] or [len(sentence)]
    )
    window = sentence[(cut + 1 if cut != -1 else lo) : min(hi, span.end + 40)]
    return coverage(info.focus_terms, (), window, abbreviations)


def _in_question(info: QuestionInfo, text: str) -> bool:
    q = " " + " ".join(words(info.question)) + " "
    return f" {' '.join(words(text))} " in q


def _number_key(text: str) -> str:
    return " ".join(re.findall(r"\d+(?:[.,]\d+)*|%", text)) or canonical(text).lower()


_HEADS = (
    ("so", "Sở "), ("ban", "Ban "), ("cong ty", "Công ty"), ("bo", "Bộ "), ("cuc", "Cục "),
    ("to cong tac", "Tổ "), ("to", "Tổ "), ("trung tam", "Trung tâm"), ("uy ban", "Ủy ban"),
)  # fmt: skip


def agency_head(question: str) -> str | None:
    """The kind of body asked for: "sở nào" -> "Sở ", "cơ quan nào" -> None (any).

    >>> agency_head("so nao chu tri?"), agency_head("Cơ quan nào chủ trì?")
    ('Sở ', None)
    """
    f = " ".join(words(question))
    for cue, head in _HEADS:
        if re.search(rf"(?<!chi )(?<!con )\b{cue} nao\b", f):
            return head
    return None


def _role_factor(asked: str | None, role: str) -> float:
    if asked == "phối hợp":
        return 1.0 if role == "phối hợp" else 0.6
    return {"chủ trì": 1.0, "thực hiện": 0.9, "phối hợp": 0.5}.get(role, 0.8)


def agency_candidates(
    info: QuestionInfo,
    ev: Evidence,
    sentence: str,
    abbreviations: Mapping[str, str],
    role: str | None = None,
    support: float | None = None,
) -> list[Candidate]:
    """Bodies named in a sentence (or the owner of an assignment, when `role` is given)."""
    head = agency_head(info.question)
    issuer = canonical_agency(ev.doc.meta.issuer) if ev.doc.meta.issuer else None
    out = []
    for m in find_agencies(sentence):
        key = m.canonical
        if head and not key.startswith(head):
            continue
        if (
            _in_question(info, m.surface)
            or _in_question(info, key)
            or (role is None and key == issuer)
        ):
            continue
        factor = (
            _role_factor(info.role, role) if role else 0.8 * _mention_role(info, sentence, m.end)
        )
        if key.startswith("Các ") or key.startswith("Ủy ban nhân dân cấp"):
            factor *= 0.6  # "các sở, ngành" is rarely the body a question asks for
        out.append(
            Candidate(key, key, (support if support is not None else ev.support) * factor, ev)
        )
    return out


def _mention_role(info: QuestionInfo, sentence: str, end: int) -> float:
    """Does the body's own clause carry the asked role ("X chủ trì", "giao X")?"""
    after = fold_diacritics(sentence[end : end + 40])
    if info.role == "phối hợp":
        return 1.0 if "phoi hop" in after else 0.7
    if re.match(r"\W*(chu tri|co trach nhiem|thuc hien|tham muu|phu trach|quan ly)", after):
        return 1.0
    return 0.75


def date_candidates(
    info: QuestionInfo, ev: Evidence, sentence: str, abbreviations: Mapping[str, str]
) -> list[Candidate]:
    from ingest.dates import parse_vn_date

    q = " ".join(words(info.question))
    want_day = bool(re.search(r"\bngay\b", q)) and not re.search(r"\bnam nao|giai doan\b", q)
    want_range = "giai doan" in q
    want_year = bool(re.search(r"\bnam nao\b", q))
    anchors = [r.number for r in info.doc_refs]
    out = []
    for span in find_dates(sentence):
        if _in_question(info, span.text):
            continue
        f = fold_diacritics(span.text)
        has_day = bool(re.search(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|ngay", f))
        is_range = bool(re.search(r"\d{4}\s*[-–]\s*\d{4}", f))
        fit = 1.0
        if want_day and not has_day:
            fit = 0.45
        elif want_range and not is_range:
            fit = 0.5
        elif want_year and not f.startswith("nam"):
            fit = 0.7
        elif not (want_day or want_range or want_year) and f.startswith("nam "):
            fit = 0.6
        before = sentence[max(0, span.start - 60) : span.start]
        if anchors and any(a in before for a in anchors):
            fit *= 1.4  # "Nghị định 98/2021/NĐ-CP ngày 08/11/2021"
        local = _local(info, sentence, span, abbreviations)
        key = parse_vn_date(span.text) or _number_key(span.text)
        out.append(Candidate(key, span.text, ev.support * fit * (0.5 + 0.5 * local), ev))
    return out


def number_candidates(
    info: QuestionInfo, ev: Evidence, sentence: str, abbreviations: Mapping[str, str]
) -> list[Candidate]:
    q_numbers = set(re.findall(r"\d+(?:[.,]\d+)*", info.question))
    out = []
    for span in find_quantities(sentence):
        nums = re.findall(r"\d+(?:[.,]\d+)*", span.text)
        if nums and all(n in q_numbers or n.lstrip("0") in q_numbers for n in nums):
            continue
        fit = 1.0
        if info.unit:
            fit = 1.0 if info.unit.lower() in span.text.lower() else 0.2
        elif not re.search(r"\D\s*$", span.text):  # a bare number: weaker than one with a unit
            fit = 0.8
        local = _local(info, sentence, span, abbreviations)
        out.append(
            Candidate(_number_key(span.text), span.text, ev.support * fit * (0.4 + 0.6 * local), ev)
        )
    return out


def person_candidates(
    info: QuestionInfo, ev: Evidence, sentence: str, abbreviations: Mapping[str, str]
) -> list[Candidate]:
    spans = find_person_names(sentence)
    credit = re.search(r"(?:Ảnh|Tin|Bài)\s*:\s*((?:[A-ZĐÀ-Ỹ]\w+\s?){2,4})", sentence)
    if credit:  # photo and article credits name people without a surname list
        name = credit.group(1).strip()
        spans.append(Span(credit.start(1), credit.start(1) + len(name), name))
    out = []
    for span in spans:
        if _in_question(info, span.text):
            continue
        local = _local(info, sentence, span, abbreviations)
        out.append(Candidate(span.text, span.text, ev.support * (0.5 + 0.5 * local), ev))
    return out


def document_candidates(
    info: QuestionInfo, ev: Evidence, sentence: str, abbreviations: Mapping[str, str]
) -> list[Candidate]:
    asked = {re.sub(r"\s+", "", r.number) for r in info.doc_refs}
    out = []
    for span in find_doc_numbers(sentence):
        num = span.text.split()[-1]
        if num in asked or _in_question(info, num):
            continue
        local = _local(info, sentence, span, abbreviations)
        out.append(Candidate(num, span.text, ev.support * (0.5 + 0.5 * local), ev))
    return out


def clause_candidates(
    info: QuestionInfo, ev: Evidence, sentence: str, abbreviations: Mapping[str, str]
) -> list[Candidate]:
    """For list and open questions: the words after the question's own words (or after a colon)."""
    toks = list(re.finditer(r"\S+", sentence))
    focus = set(info.focus_terms)
    last = -1
    for i, t in enumerate(toks):
        if set(words(t.group(0))) & focus:
            last = i
    colon = sentence.find(":")
    if colon != -1 and (last == -1 or toks[last].end() <= colon + 1):
        begin = colon + 1
    elif last != -1:
        begin = toks[last].end()
    else:
        return []
    rest = [t for t in toks if t.start() >= begin][:24]
    while rest and fold_diacritics(rest[0].group(0)).strip(":,") in (
        "la",
        "gom",
        "nhu",
        "bao",
        "la:",
        "",
    ):
        rest = rest[1:]
    if len(rest) < 1:
        return []
    a, b = rest[0].start(), rest[-1].end()
    text = sentence[a:b].strip(" ,;:.")
    if not text:
        return []
    return [Candidate(canonical(text).lower(), text, ev.support * 0.8, ev)]


FINDERS = {
    "agency": agency_candidates,
    "date": date_candidates,
    "number": number_candidates,
    "person": person_candidates,
    "document": document_candidates,
    "list": clause_candidates,
    "open": clause_candidates,
}
