"""One chat reply: the answer in bold with its confidence, numbered citations, quoted passages.

The reply is a single line of HTML (the Chatbot's Markdown renderer passes it
through untouched); every piece of document text in it goes through
`ui.html.safe_text`, so a document cannot inject markup.

>>> from vanban.types import Answer
>>> reply_html(Answer("q?", "open", None, 0.1), {}).startswith('<p class="vb-abstain">')
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from search.render import NO_ANSWER, citation_label
from ui.html import find_folded, highlight, one_line, safe_text
from vanban.types import Answer, Citation, Document

RELATED_PASSAGES = 3  # shown after the citations, or instead of an answer
PASSAGE_CHARS = 400


@dataclass(frozen=True)
class Source:
    """A passage the user can open in the source panel."""

    label: str  # "[1] Kế hoạch 370/KH-UBND ngày 19/01/2023 — … — mục 6. Sở Công Thương"
    doc_id: str
    start: int
    end: int


def query_terms(question: str) -> tuple[str, ...]:
    """Folded content words of the question, the ones worth highlighting.

    >>> query_terms("Sở nào chủ trì cụm công nghiệp?")
    ('cum', 'cong', 'nghiep')
    """
    from search.question import focus_terms

    return focus_terms(question)


def confidence_text(confidence: float) -> str:
    """0.824 -> 'độ tin cậy 82%'."""
    return f"độ tin cậy {round(confidence * 100):d}%"


def _passage(text: str, answer: str | None, terms: tuple[str, ...]) -> str:
    text = one_line(text)
    if len(text) > PASSAGE_CHARS:
        text = text[:PASSAGE_CHARS].rsplit(" ", 1)[0] + " …"
    marks = []
    if answer:
        span = find_folded(text, answer)
        if span:
            marks.append((*span, "ans"))
    return highlight(text, marks=marks, terms=terms)


def _related(answer: Answer, documents: Mapping[str, Document]) -> list[Citation]:
    """Top passages that no citation already quotes (the evidence around an answer or abstention)."""
    out: list[Citation] = []
    for h in answer.hits:
        if len(out) >= RELATED_PASSAGES:
            break
        c, doc = h.chunk, documents.get(h.chunk.doc_id)
        if doc is None or any(
            q.doc_id == c.doc_id and q.start < c.end and c.start < q.end for q in answer.citations
        ):
            continue
        out.append(Citation(doc.source, doc.doc_id, doc.meta, c.section, c.text, c.start, c.end))
    return out


def sources_of(answer: Answer, documents: Mapping[str, Document]) -> list[Source]:
    """The citations, then the related passages, as numbered sources the user can open."""
    cites = [*answer.citations, *_related(answer, documents)]
    return [
        Source(f"[{i}] {citation_label(c)}", c.doc_id, c.start, c.end)
        for i, c in enumerate(cites, 1)
    ]


def _quotes(sources: list[Source], texts: list[str], answer: str | None, terms) -> str:
    return "".join(
        f'<blockquote class="vb-quote"><span class="vb-n">{safe_text(s.label.split("]", 1)[0])}&#93;</span> '
        f"{_passage(t, answer, terms)}</blockquote>"
        for s, t in zip(sources, texts, strict=True)
    )


def _labels(sources: list[Source]) -> str:
    return '<p class="vb-cites">' + "<br>".join(safe_text(s.label) for s in sources) + "</p>"


def reply_html(answer: Answer, documents: Mapping[str, Document]) -> str:
    """The chat message for `answer`; `documents` maps the hits' doc_ids to their documents."""
    terms = query_terms(answer.question)
    if answer.abstained:
        head = (
            f'<p class="vb-abstain"><strong>{safe_text(NO_ANSWER.rstrip("."))}…</strong> '
            "Dưới đây là các đoạn văn gần nhất với câu hỏi.</p>"
        )
    else:
        head = (
            f'<p class="vb-answer"><strong>{safe_text(answer.text or "")}</strong> '
            f'<span class="vb-conf">({confidence_text(answer.confidence)})</span></p>'
        )
    sources = sources_of(answer, documents)
    if not sources:
        return head + "<p>Không có đoạn văn nào phù hợp trong kho văn bản.</p>"
    n = len(answer.citations)
    cited, related = sources[:n], sources[n:]
    parts = [head]
    if cited:
        parts.append(_labels(cited))
        parts.append(_quotes(cited, [c.quote for c in answer.citations], answer.text, terms))
    if related:
        parts.append('<p class="vb-related">Đoạn văn liên quan:</p>' + _labels(related))
        texts = [documents[s.doc_id].text[s.start : s.end] for s in related]
        parts.append(_quotes(related, texts, answer.text, terms))
    return "".join(parts)
