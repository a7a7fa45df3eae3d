"""The source panel: the section around a quote, and the whole document, quote highlighted.

>>> from vanban.types import DocMeta, Document, Section
>>> d = Document("d", "a.txt", "I. A\\nx <b>y</b>\\nII. B\\nz", DocMeta(),
...              (Section(("I. A",), 0, 15), Section(("II. B",), 15, 22)))
>>> enclosing_section(d, 5, 8)
Section(path=('I. A',), start=0, end=15)
>>> "y&#60;/b&#62;" in section_html(d, 5, 8, terms=())
True
"""

from __future__ import annotations

from search.render import vn_date
from ui.html import highlight, one_line, safe_text
from vanban.types import Document, Section

CONTEXT_CHARS = 1500  # shown around the quote when a document has no outline


def enclosing_section(doc: Document, start: int, end: int) -> Section | None:
    """The smallest section whose span holds [start, end); None when no section does."""
    best = None
    for s in doc.sections:
        if (
            s.start <= start
            and end <= s.end
            and (best is None or s.end - s.start < best.end - best.start)
        ):
            best = s
    return best


def _meta_html(doc: Document) -> str:
    m = doc.meta
    rows = [
        ("Số", m.number),
        ("Loại", m.doc_type),
        ("Ngày", vn_date(m.date)),
        ("Cơ quan ban hành", m.issuer),
        ("Trích yếu", m.subject),
        ("Tệp", doc.source.rsplit("/", 1)[-1]),
    ]
    cells = "".join(f"<tr><th>{k}</th><td>{safe_text(one_line(v))}</td></tr>" for k, v in rows if v)
    return f'<table class="vb-meta">{cells}</table>'


def section_html(doc: Document, start: int, end: int, terms: tuple[str, ...] = ()) -> str:
    """The section holding the quote doc.text[start:end], with the quote in <mark class="quote">."""
    sec = enclosing_section(doc, start, end)
    if sec is not None and sec.end - sec.start <= 4 * CONTEXT_CHARS:
        a, b = sec.start, sec.end
        path = " › ".join(one_line(p) for p in sec.path)
    else:  # no outline, or a huge section: a window around the quote
        a, b = max(0, start - CONTEXT_CHARS), min(len(doc.text), end + CONTEXT_CHARS)
        path = " › ".join(one_line(p) for p in sec.path) if sec else ""
    body = highlight(
        doc.text[a:b], marks=[(start - a, end - a, "quote")], terms=terms, newlines="\n"
    )
    head = f'<p class="vb-path">Mục: {safe_text(path)}</p>' if path else ""
    return (
        f'<div class="vb-source">{_meta_html(doc)}{head}'
        f'<div class="vb-text">{"… " if a > 0 else ""}{body}{" …" if b < len(doc.text) else ""}'
        "</div></div>"
    )


def document_html(doc: Document, start: int | None = None, end: int | None = None) -> str:
    """The whole text of `doc`, escaped, with an optional quote highlighted."""
    marks = [(start, end, "quote")] if start is not None and end is not None else []
    body = highlight(doc.text, marks=marks, newlines="\n")
    return f'<div class="vb-source">{_meta_html(doc)}<div class="vb-text">{body}</div></div>'
