"""Extractive question answering: retrieve, read the passages, pick a cited answer or abstain.

No language model: the answer is a span of the documents (an agency, a date,
a quantity, a name, a document number, a clause) or a document's own
metadata, and every answer carries the verbatim sentences that say it.
The abstention signal is `support`: how much of the question's content the
supporting sentence (with its heading path) covers, times rank and
place/year agreement. An off-corpus question ("điện hạt nhân") finds no
sentence that covers it and gets no answer.

>>> from search.searcher import Searcher                          # doctest: +SKIP
>>> a = answer_question(Searcher.load("/tmp/idx"), "sở nào chủ trì cụm công nghiệp?")  # doctest: +SKIP
>>> a.text, [c.meta.number for c in a.citations]                  # doctest: +SKIP
('Sở Công Thương', [None, '370/KH-UBND'])
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from ingest.places import find_places
from search.docrefs import RetrievalPlan, doc_places, retrieval_plan
from search.evidence import (
    bigrams,
    coverage,
    lead_in,
    passage_sentences,
    sentence_spans,
    term_weight,
    words,
)
from search.extract import FINDERS, Candidate, Evidence, agency_candidates, ref_spans
from search.filters import Filters
from search.metaanswer import meta_answer
from search.question import QuestionInfo, analyze_question
from search.signatures import holder_answer, title_answer
from vanban.types import Answer, Assignment, Citation, Document, Hit

# Calibrated on the dev split of eval/data/sample (scripts/calibrate_abstention.py): with
# idf-weighted coverage dev accuracy plateaus for confidence 0.25-0.40; the top of the
# plateau is kept, since a wrong answer costs staff more than an honest "not found".
MIN_SUPPORT = 0.35  # below this the best sentence does not talk about the question
MIN_CONFIDENCE = 0.4
CITE_RATIO = 0.75  # another document is cited when its evidence scores this close to the best


def _rank_weight(rank: int) -> float:
    return 1.0 / (1.0 + 0.08 * (rank - 1))


def _hit_weights(hits: Sequence[Hit]) -> list[float]:
    """Rank weight of each hit: by its document's rank among the documents retrieved, then by
    its rank inside that document. A second document's best passage thus competes with the
    first document's best one, however many passages of the first come before it.

    >>> from types import SimpleNamespace as NS
    >>> [round(w, 3) for w in _hit_weights([NS(chunk=NS(doc_id=d)) for d in "aab"])]
    [1.0, 0.926, 0.926]
    """
    doc_rank: dict[str, int] = {}
    seen: dict[str, int] = {}
    out = []
    for hit in hits:
        d = hit.chunk.doc_id
        doc_rank.setdefault(d, len(doc_rank) + 1)
        seen[d] = seen.get(d, 0) + 1
        out.append(_rank_weight(doc_rank[d]) * _rank_weight(seen[d]))
    return out


def _context_factor(info: QuestionInfo, doc: Document, text: str, places: set[str]) -> float:
    """Lower the support of passages from another province or another year than asked."""
    f = 1.0
    # A sentence that names the asked province is about it, whoever wrote it: a ministry
    # in Hà Nội instructs "Chủ tịch UBND tỉnh Hưng Yên".
    asked = set(info.places)
    if asked and places and not places & asked and not asked & set(find_places(text)):
        f *= 0.35
    if info.years:
        where = " ".join((text, doc.meta.date or "", doc.meta.subject or "", doc.text[:1500]))
        if not any(y in where for y in info.years):
            f *= 0.6
    return f


def _evidence(
    info: QuestionInfo, hits: Sequence[Hit], docs: dict[str, Document], abbreviations
) -> list[tuple[Evidence, str]]:
    pairs = bigrams(info.focus_terms, info.question)
    out = []
    places: dict[str, set[str]] = {}
    weights = _hit_weights(hits)
    for rank, hit in enumerate(hits, 1):
        doc = docs[hit.chunk.doc_id]
        if doc.doc_id not in places:
            places[doc.doc_id] = doc_places(_meta_dict(doc), doc.text)
        heading = f"{' '.join(hit.chunk.section)} {_identity(doc)}"
        for a, b in passage_sentences(doc.text, hit.chunk.start, hit.chunk.end):
            sent = doc.text[a:b]
            context = f"{lead_in(doc.text, a)} {sent} {heading}"
            cov = coverage(info.focus_terms, pairs, context, abbreviations, info.weights)
            if ref_spans(info, sent):  # the sentence names the document asked about
                cov = 0.5 + 0.5 * cov
            support = (
                cov
                * weights[rank - 1]
                * _context_factor(info, doc, f"{sent} {heading}", places[doc.doc_id])
            )
            out.append((Evidence(doc, a, b, hit.chunk.section, rank, support), sent))
    return out


def _identity(doc: Document) -> str:
    """What names the document (type, number, issuer, subject): a question that says which
    document it asks about ("Công văn 5068 của UBND tỉnh về …") is covered by it too."""
    m = doc.meta
    return " ".join(x for x in (m.doc_type, m.number, m.issuer, m.subject) if x)


def _meta_dict(doc: Document) -> dict[str, Any]:
    return {"place": doc.meta.place, "issuer": doc.meta.issuer}


def _assignment_candidates(
    info: QuestionInfo,
    hits: Sequence[Hit],
    docs: dict[str, Document],
    abbreviations,
    assignments_of: Callable[[str], Sequence[Assignment]],
) -> list[Candidate]:
    """Owners of task assignments that overlap the retrieved passages."""
    pairs = bigrams(info.focus_terms, info.question)
    out: list[Candidate] = []
    seen: set[tuple[str, int, int, str]] = set()
    weights = _hit_weights(hits)
    for rank, hit in enumerate(hits, 1):
        doc = docs[hit.chunk.doc_id]
        places = doc_places(_meta_dict(doc), doc.text)
        for a in assignments_of(doc.doc_id):
            if a.end <= hit.chunk.start or a.start >= hit.chunk.end:
                continue
            if (doc.doc_id, a.start, a.end, a.agency_key) in seen:
                continue
            seen.add((doc.doc_id, a.start, a.end, a.agency_key))
            text = f"{a.quote} {' '.join(a.section)} {_identity(doc)}"
            cov = coverage(info.focus_terms, pairs, text, abbreviations, info.weights)
            support = cov * weights[rank - 1] * _context_factor(info, doc, text, places)
            s, e = _tight_quote(doc.text, a.start, a.end, info, abbreviations)
            ev = Evidence(doc, s, e, a.section, rank, support)
            out += agency_candidates(
                info, ev, a.agency, abbreviations, role=a.role, support=support
            )
    return out


def _tight_quote(
    text: str, start: int, end: int, info: QuestionInfo, abbreviations
) -> tuple[int, int]:
    """The sentence of text[start:end] that covers the question best (a bullet can be long)."""
    spans = sentence_spans(text, start, end) or [(start, end)]
    return max(
        spans,
        key=lambda s: coverage(
            info.focus_terms, (), text[s[0] : s[1]], abbreviations, info.weights
        ),
    )


def _group(cands: Sequence[Candidate]) -> list[tuple[float, list[Candidate]]]:
    """Equal answers together, scored by their best candidate plus agreement across documents
    that the answer would cite (see `_citations`)."""
    groups: dict[str, list[Candidate]] = {}
    for c in cands:
        groups.setdefault(c.key, []).append(c)
    scored = []
    for members in groups.values():
        members.sort(key=lambda c: -c.score)
        best = members[0]
        # Only a document the answer would cite agrees: "2021-2030" is in every plan of
        # the period and must not win by being common.
        agree: dict[str, float] = {}
        for c in members[1:]:
            d = c.evidence.doc.doc_id
            if d != best.evidence.doc.doc_id and _citable(c, best.score):
                agree.setdefault(d, c.score)
        scored.append((best.score + 0.15 * sum(agree.values()), members))
    scored.sort(key=lambda g: -g[0])
    return scored


def _citable(c: Candidate, top: float) -> bool:
    return c.score >= CITE_RATIO * top and c.evidence.support >= MIN_SUPPORT


def make_citation(doc: Document, start: int, end: int, section: tuple[str, ...]) -> Citation:
    return Citation(doc.source, doc.doc_id, doc.meta, section, doc.text[start:end], start, end)


def _citations(members: Sequence[Candidate]) -> tuple[Citation, ...]:
    """One citation per document, for each document whose evidence is nearly as good as the best."""
    top = members[0].score
    out: dict[str, Citation] = {}
    for c in members:
        ev = c.evidence
        if ev.doc.doc_id in out or not _citable(c, top):
            continue
        out[ev.doc.doc_id] = make_citation(ev.doc, ev.start, ev.end, ev.section)
    return tuple(out.values())


def _weighted(info: QuestionInfo, searcher) -> QuestionInfo:
    """The question with its focus terms weighed by how specific they are in the index."""
    bm25 = getattr(getattr(searcher, "sparse", None), "bm25", None)
    if bm25 is None or not len(bm25) or not info.focus_terms:
        return info
    n = len(bm25)
    return replace(info, weights=tuple(term_weight(bm25.doc_freq(t), n) for t in info.focus_terms))


def _search(
    searcher, info: QuestionInfo, plan: RetrievalPlan, k: int, mode: str
) -> tuple[Hit, ...]:
    hits = searcher.run(info.question, k=k, filters=plan.filters, mode=mode).hits
    if not hits and plan.filters is not None:
        hits = searcher.run(info.question, k=k, mode=mode).hits
    return hits


def answer_question(
    searcher, question: str, *, k: int = 10, filters: Filters | None = None, mode: str = "hybrid"
) -> Answer:
    """Answer `question` from the index behind `searcher` (a `search.searcher.Searcher`).

    Returns an `Answer` whose text is None when the evidence is weak or
    contradictory; its hits are the passages retrieved either way.
    """
    info = _weighted(analyze_question(question), searcher)
    plan = retrieval_plan(info, searcher.doc_metas, filters)
    hits = _search(searcher, info, plan, k, mode)
    if not hits:
        return Answer(question, info.kind, None, 0.0, (), ())
    docs = {h.chunk.doc_id: searcher.document_of(h) for h in hits}
    abbreviations = getattr(getattr(searcher, "sparse", None), "abbreviations", {}) or {}
    meta = (
        meta_answer(info, plan, hits, docs)
        or holder_answer(info, hits, docs, abbreviations)
        or title_answer(info, hits, docs)
    )
    if meta is not None:
        text, confidence, citation = meta
        return Answer(question, info.kind, text, confidence, (citation,), hits)
    evidence = _evidence(info, hits, docs, abbreviations)
    cands = _candidates(info.kind, info, evidence, abbreviations)
    if info.kind == "place" and not cands:
        # Places outside the gazetteer ("tỉnh Prey Veng của Campuchia") are read as a list.
        cands = _candidates("list", info, evidence, abbreviations)
    if info.kind == "agency":
        cands += _assignment_candidates(info, hits, docs, abbreviations, searcher.assignments)
        if not cands:
            # "ngành nào là mũi nhọn?" asks for a sector ("du lịch"), "lập tổ công tác nào?"
            # for a body the agency finder does not know ("Tổ rà soát đầu tư công"): read
            # the asked noun's phrase.
            cands = _candidates("open", info, evidence, abbreviations)
    groups = _group(cands)
    if not groups:
        return Answer(question, info.kind, None, 0.0, (), hits)
    chosen = _plural_groups(groups) if info.plural and info.kind in _ENTITY_KINDS else groups[:1]
    score, members = chosen[-1][0], groups[0][1]
    second = _rival(groups[len(chosen) :], members[0].evidence, info.kind)
    confidence = _confidence(members[0].evidence.support, score, second) * _topic_found(
        info, hits, abbreviations
    )
    if members[0].evidence.support < MIN_SUPPORT or confidence < MIN_CONFIDENCE:
        return Answer(question, info.kind, None, round(confidence, 3), (), hits)
    text = ", ".join(_display(m) for _, m in chosen)
    citations = {c.doc_id + str(c.start): c for _, m in chosen for c in _citations(m)}
    return Answer(question, info.kind, text, round(confidence, 3), tuple(citations.values()), hits)


_ENTITY_KINDS = ("agency", "place")  # a list question's clause is already the whole list
PLURAL_RATIO = 0.6  # another body joins a plural answer when it scores this close to the best
PLURAL_MAX = 8


def _plural_groups(groups: list[tuple[float, list[Candidate]]]) -> list:
    """The answers a "những … nào" question lists: those read from the best answer's own
    passage and scoring at least PLURAL_RATIO of it, best first; the confidence margin
    is then measured to the first answer left out."""
    top_score, top = groups[0]
    where = (top[0].evidence.doc.doc_id, top[0].evidence.rank)
    out = [groups[0]]
    for score, members in groups[1:]:
        ev = members[0].evidence
        if (ev.doc.doc_id, ev.rank) == where and score >= PLURAL_RATIO * top_score:
            out.append((score, members))
    return out[:PLURAL_MAX]


def _candidates(kind: str, info: QuestionInfo, evidence, abbreviations) -> list[Candidate]:
    finder = FINDERS[kind]
    out: list[Candidate] = []
    for ev, sent in evidence:
        if ev.support > 0:
            out += finder(info, ev, sent, abbreviations)
    return out


def _topic_found(info: QuestionInfo, hits: Sequence[Hit], abbreviations) -> float:
    """Share of the question's word pairs that occur anywhere in the retrieved passages.

    A pair no passage contains ("hạt nhân") is something the archive does not talk about.
    """
    pairs = bigrams(info.focus_terms, info.question)
    if not pairs:
        return 1.0
    text = " ".join(f"{' '.join(h.chunk.section)} {h.chunk.text}" for h in hits)
    found = _pairs_in(pairs, text, abbreviations)
    return 0.4 + 0.6 * found


def _pairs_in(pairs: Sequence[str], text: str, abbreviations) -> float:
    from search.evidence import expand

    joined = " " + " ".join(expand(words(text), abbreviations)) + " "
    return sum(f" {p} " in joined for p in pairs) / len(pairs)


def _rival(rest: Sequence[tuple[float, list[Candidate]]], best: Evidence, kind: str) -> float:
    """Score of the best answer left out. For clause answers (open, list) another reading of
    the best answer's own sentence is no rival: it is the same answer, cut differently."""
    for score, members in rest:
        ev = members[0].evidence
        same = ev.doc.doc_id == best.doc.doc_id and ev.start == best.start
        if kind not in ("open", "list") or not same:
            return score
    return 0.0


def _confidence(support: float, score: float, second: float) -> float:
    """Support of the best evidence, discounted when a rival answer scores almost as well."""
    margin = (score - second) / score if score > 0 else 0.0
    return max(0.0, min(1.0, support * (0.55 + 0.45 * margin) / 0.85))


def _display(members: Sequence[Candidate]) -> str:
    text = members[0].text
    return re.sub(r"\s+", " ", text).strip()
