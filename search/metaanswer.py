"""Answers that are a named document's own metadata: signer, date, number, issuer, recipients.

"Công văn 3646/SYT-VP do ai ký?" is answered by the signer the header parser
found, cited at the place the name is printed, not by a passage search.

>>> locate("Bến Tre, ngày 19 tháng 01\\nnăm 2023", "ngay 19 thang 01 nam 2023")
(9, 34)
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.text import fold_diacritics
from search.docrefs import RetrievalPlan
from search.evidence import coverage
from search.question import _DOC_TYPES, QuestionInfo
from vanban.types import Citation, Document, Hit


def locate(text: str, needle: str, last: bool = False) -> tuple[int, int] | None:
    """Span of `needle` in `text`, accents, case and line breaks ignored."""
    folded = fold_diacritics(text)
    if len(folded) != len(text):  # folding changed lengths: only an exact match is safe
        i = text.rfind(needle) if last else text.find(needle)
        return (i, i + len(needle)) if i >= 0 else None
    parts = [re.escape(p) for p in fold_diacritics(needle).split()]
    if not parts:
        return None
    found = list(re.finditer(r"\s+".join(parts), folded))
    if not found:
        return None
    m = found[-1] if last else found[0]
    return m.start(), m.end()


def _line(text: str, start: int, end: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    b = len(text) if b == -1 else b
    while a < start and text[a].isspace():
        a += 1
    return a, b if b - a < 300 else end


def _date_forms(iso: str) -> list[str]:
    y, m, d = iso.split("-")
    di, mi = str(int(d)), str(int(m))
    return [
        f"ngày {d} tháng {m} năm {y}", f"ngày {di} tháng {mi} năm {y}", f"ngày {di} tháng {m} năm {y}",
        f"{d}/{m}/{y}", f"{di}/{mi}/{y}", f"{d}-{m}-{y}", f"{di}-{mi}-{y}",
    ]  # fmt: skip


def _field(doc: Document, asks: str) -> tuple[str, tuple[int, int]] | None:
    m = doc.meta
    if asks == "signer" and m.signer:
        span = locate(doc.text, m.signer, last=True)
        return (m.signer, span) if span else None
    if asks == "date" and m.date:
        y, mo, d = m.date.split("-")
        for form in _date_forms(m.date):
            span = locate(doc.text, form)
            if span:
                return f"{d}/{mo}/{y}", _line(doc.text, *span)
        return None
    if asks == "number" and m.number:
        span = locate(doc.text, m.number)
        return (m.number, _line(doc.text, *span)) if span else None
    if asks == "recipients" and m.recipients:
        spans = [locate(doc.text, r, last=True) for r in m.recipients]
        found = [s for s in spans if s]
        if not found:
            return None
        # The "Nơi nhận" block, from the first recipient printed to the last.
        a, b = min(a for a, _ in found), max(b for _, b in found)
        return "; ".join(m.recipients), ((a, b) if b - a < 1000 else found[0])
    if asks == "issuer" and m.issuer:
        span = next(filter(None, (locate(doc.text, f) for f in _printed_forms(m.issuer))), None)
        return (m.issuer, span) if span else None
    return None


_SHORT_FORMS = (("Ủy ban nhân dân", "UBND"), ("Hội đồng nhân dân", "HĐND"))


def _printed_forms(issuer: str) -> list[str]:
    """The issuer as metadata spells it, then as documents often print it.

    >>> _printed_forms("Ủy ban nhân dân tỉnh Tiền Giang")
    ['Ủy ban nhân dân tỉnh Tiền Giang', 'UBND tỉnh Tiền Giang']
    """
    forms = [issuer]
    for long, short in _SHORT_FORMS:
        if long in issuer:
            forms.append(issuer.replace(long, short))
    return forms


def _named_type(info: QuestionInfo) -> str | None:
    """The type of document the question names, outside the documents it cites by number.

    >>> from search.question import analyze_question
    >>> _named_type(analyze_question("Kế hoạch thực hiện Nghị quyết 01 do ai ký?"))
    'Kế hoạch'
    >>> _named_type(analyze_question("Ai ký Kế hoạch thực hiện Nghị quyết số 01/NQ-CP?"))
    'Kế hoạch'
    """
    f = " ".join(re.findall(r"\w+", fold_diacritics(info.question)))
    for r in info.doc_refs:  # "thực hiện Nghị quyết 01": what the asked document is about
        ref = r"\s+".join(re.findall(r"\w+", fold_diacritics(r.text)))
        kind = fold_diacritics(r.doc_type or "").lower()
        f = re.sub(rf"(?:\b{kind}\s+(?:so\s+)?)?\b{ref}\b" if kind else rf"\b{ref}\b", " ", f)
    for cue in sorted(_DOC_TYPES, key=len, reverse=True):
        if re.search(rf"\b{cue}\b", f):
            return _DOC_TYPES[cue]
    return None


def _target(
    info: QuestionInfo, plan: RetrievalPlan, hits: Sequence[Hit], docs: dict[str, Document]
):
    """The document the question is about: named by number, or the top hit of the named type."""
    ordered = list(dict.fromkeys(h.chunk.doc_id for h in hits))
    if plan.doc_ids:
        named = [d for d in ordered if d in plan.doc_ids]
        return (docs[named[0]], 0.95) if named else None
    wanted = _named_type(info)
    if info.doc_refs and not wanted:
        return None  # a number the index does not hold: the answer is in some passage
    generic = wanted == "Văn bản"  # "văn bản của Sở Y tế về …": a document of any type
    for doc_id in ordered[:3]:
        doc = docs[doc_id]
        if not wanted or not (
            generic or fold_diacritics(doc.meta.doc_type or "") == fold_diacritics(wanted)
        ):
            continue
        about = f"{doc.meta.subject or ''} {doc.meta.issuer or ''} {doc.meta.place or ''}"
        cov = coverage(info.focus_terms, (), about + " " + doc.text[:1500], weights=info.weights)
        if cov >= 0.6:
            return doc, 0.6 + 0.3 * cov
    return None


def meta_answer(
    info: QuestionInfo, plan: RetrievalPlan, hits: Sequence[Hit], docs: dict[str, Document]
) -> tuple[str, float, Citation] | None:
    """(answer text, confidence, citation) when the question asks a named document's field."""
    if not info.asks:
        return None
    target = _target(info, plan, hits, docs)
    if target is None:
        return None
    doc, confidence = target
    found = _field(doc, info.asks)
    if found is None:
        return None
    text, (a, b) = found
    section = next((s.path for s in doc.sections if s.start <= a < s.end), ())
    return (
        text,
        confidence,
        Citation(doc.source, doc.doc_id, doc.meta, section, doc.text[a:b], a, b),
    )
