"""Structure-aware chunks: one section's own text per chunk, split only when too long.

A chunk never spans two sibling sections. A section's own text is its heading line and
body up to its first child heading; a heading with no body of its own (`2. Sở Công
Thương chủ trì:`) is prepended to its first child's chunk rather than indexed alone.
Text before the first heading (the header block) gets the empty path `()`.
A long section is cut at line, then sentence, then word boundaries into near-equal
pieces of about `target_tokens`. There is no overlap: each piece already carries its
heading path in `index_text`, and overlap would only duplicate hits.

`Chunk.text` is the exact original span `doc_text[start:end]`; `index_text` is a
context header (type, number, issuer, a header-less file's own title, heading path)
plus the cleaned body, and for a table row its cells labelled with the column names.

Token counts use a proxy fitted to the multilingual-e5 tokenizer on the seeds and a
vn-admin sample: real tokens ≈ 1.06 × words + 0.77 × punctuation marks (least
squares); the proxy's 1.25 / 1.0 overestimates for 95% of passages.

>>> estimate_tokens("Sở Công Thương chủ trì:")
8
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections.abc import Sequence

from ingest.clean import Cleaned
from ingest.structure import OutlineNode, heading_text, parse_outline
from vanban.types import Chunk, DocMeta

TARGET_TOKENS = 256
MAX_TOKENS = 512
# Recorded in every index manifest: chunks made with other settings need a rebuild.
CHUNKER_SETTINGS = {
    "version": 1,
    "target_tokens": TARGET_TOKENS,
    "max_tokens": MAX_TOKENS,
    "context_header": True,
}
_HEADER_HEADING_CHARS = 80
_TITLE_CHARS = 120
_WORD = re.compile(r"[^\W_]+")
_PUNCT = re.compile(r"[^\w\s]")
_SENTENCE_END = re.compile(r"(?<=[.;!?…])\s+")


def estimate_tokens(text: str) -> int:
    """Conservative multilingual-e5 token count without loading the tokenizer."""
    return math.ceil(1.25 * len(_WORD.findall(text)) + len(_PUNCT.findall(text)))


def own_title(meta: DocMeta, text: str) -> str:
    r"""The first line of a file with no official header (no issuer, number, date or
    place), shortened to a heading: such a file (a law article saved alone, a note) names
    itself there, and that line heads every chunk below it. An official document gets "":
    its subject in every chunk pulled the dense side off the right section (docs/eval.md,
    "Context header: the document's title").

    >>> own_title(DocMeta(), "91/2015/QH13 - Điều 109. Hoa lợi, lợi tức\n\n1. Hoa lợi là …")
    '91/2015/QH13 - Điều 109. Hoa lợi, lợi tức'
    >>> own_title(DocMeta(issuer="Ủy ban nhân dân tỉnh Bến Tre"), "ỦY BAN NHÂN DÂN\n…")
    ''
    >>> own_title(DocMeta(doc_type="Chỉ thị"), "CHỈ THỊ\n\nVỀ VIỆC …")
    ''
    """
    if meta.issuer or meta.number or meta.date or meta.place:
        return ""  # an official header, even a partial one ("Bình Phước, ngày …")
    first = text.strip().split("\n", 1)[0].strip("# ")
    if meta.doc_type and first.casefold() == meta.doc_type.casefold():
        return ""  # "CHỈ THỊ" alone names the type, already in the header
    if first.endswith((":", ";", ",")):
        return ""  # a sentence leading into the body, not a title
    return heading_text(first, _TITLE_CHARS) if first else ""


def context_header(meta: DocMeta, path: Sequence[str], title: str = "") -> str:
    """The indexing-only first line of a chunk; `title` is `own_title` of its document.

    >>> context_header(DocMeta(number="370/KH-UBND", doc_type="Kế hoạch",
    ...                        issuer="Ủy ban nhân dân tỉnh Bến Tre"), ("II. NHIỆM VỤ", "6. Sở Công Thương"))
    'Kế hoạch 370/KH-UBND · Ủy ban nhân dân tỉnh Bến Tre · II. NHIỆM VỤ › 6. Sở Công Thương'
    """
    kind = " ".join(x for x in (meta.doc_type, meta.number) if x)
    trail = " › ".join(heading_text(h, _HEADER_HEADING_CHARS) for h in path)
    if path and title and heading_text(path[0], _TITLE_CHARS) == title:
        title = ""  # the outline already starts at the title line
    return " · ".join(x for x in (kind, meta.issuer, title, trail) if x)


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _segments(text: str, nodes: Sequence[OutlineNode]) -> list[tuple[int, int, OutlineNode | None]]:
    """Maximal runs of text owned by one section (the deepest one covering them)."""
    cuts = sorted({0, len(text), *(n.start for n in nodes), *(n.end for n in nodes)})
    out: list[tuple[int, int, OutlineNode | None]] = []
    for a, b in itertools.pairwise(cuts):
        owner = None
        for n in nodes:  # nodes are in document order; the last cover is the deepest
            if n.start <= a and b <= n.end and (owner is None or n.level > owner.level):
                owner = n
        a, b = _strip(text, a, b)
        if a >= b:
            continue
        if out and out[-1][2] is owner and not text[out[-1][1] : a].strip():
            out[-1] = (out[-1][0], b, owner)
        else:
            out.append((a, b, owner))
    return out


def _fold_bare_headings(text: str, segs: list, limit: int) -> list:
    """Prepend a heading that has no body of its own to its first child's segment."""
    out: list = []
    for a, b, node in segs:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev[2] is not None
            and node is not None
            and node.path[: prev[2].level] == prev[2].path
            and node.level > prev[2].level
            and not text[prev[1] : a].strip()
            and estimate_tokens(text[prev[0] : prev[1]]) <= limit
        ):
            out[-1] = (prev[0], b, node)
        else:
            out.append((a, b, node))
    return out


def _units(text: str, a: int, b: int, budget: int) -> list[tuple[int, int]]:
    """Cut [a, b) into lines, over-long lines into sentences, over-long sentences into words."""
    units: list[tuple[int, int]] = []
    for pattern in (re.compile(r"\n"), _SENTENCE_END, re.compile(r"\s+")):
        spans = []
        for ua, ub in units or [(a, b)]:
            if units and estimate_tokens(text[ua:ub]) <= budget:
                spans.append((ua, ub))
                continue
            pos = ua
            for m in pattern.finditer(text, ua, ub):
                spans.append((pos, m.start()))
                pos = m.end()
            spans.append((pos, ub))
        units = [s for s in (_strip(text, x, y) for x, y in spans) if s[0] < s[1]]
        if all(estimate_tokens(text[x:y]) <= budget for x, y in units):
            break
    return units


def _split(text: str, a: int, b: int, target: int, hard: int) -> list[tuple[int, int]]:
    """Near-equal pieces of at most `hard` tokens, cut between units."""
    total = estimate_tokens(text[a:b])
    if total <= hard:
        return [(a, b)]
    units = _units(text, a, b, min(target, hard))
    per = total / math.ceil(total / target)
    pieces: list[tuple[int, int]] = []
    start, size, prev_end = units[0][0], 0, units[0][1]
    for ua, ub in units:
        n = estimate_tokens(text[ua:ub])
        if size and (size + n > hard or size + n / 2 > per):
            pieces.append((start, prev_end))
            start, size = ua, 0
        size += n
        prev_end = ub
    pieces.append((start, prev_end))
    return pieces


def _index_body(text: str, a: int, b: int, node: OutlineNode | None) -> str:
    row = node.row if node is not None else None
    labels = row.labelled() if row is not None else None
    if row is None or labels is None or not (a <= row.start and row.end <= b):
        return text[a:b].strip()
    cells = "\n".join(f"{col}: {cell}" for col, cell in labels if cell)
    head = f"{row.columns[0]}: {row.number}\n" if row.number else ""
    return (text[a : row.start].strip() + "\n" + head + cells + "\n" + text[row.end : b]).strip()


def chunk_document(
    doc_id: str,
    doc_text: str,
    cleaned: Cleaned,
    meta: DocMeta,
    *,
    outline: Sequence[OutlineNode] | None = None,
    target_tokens: int = TARGET_TOKENS,
    max_tokens: int = MAX_TOKENS,
) -> list[Chunk]:
    """Chunks of one document, in order, with ids `f"{doc_id}#{ordinal:04d}"`.

    `outline` is `parse_outline(cleaned.text)` (computed when not given). Budgets are
    in `estimate_tokens` units: a body aims at `target_tokens` and never exceeds
    1.25 × target; header plus body stay under `max_tokens`.
    """
    text = cleaned.text
    nodes = list(outline) if outline is not None else parse_outline(text)
    segs = _fold_bare_headings(text, _segments(text, nodes), limit=target_tokens // 4)
    chunks: list[Chunk] = []
    title = own_title(meta, text)
    for a, b, node in segs:
        path = node.path if node is not None else ()
        header = context_header(meta, path, title)
        hard = min(int(target_tokens * 1.25), max_tokens - estimate_tokens(header))
        for ca, cb in _split(text, a, b, target_tokens, max(hard, 32)):
            start, end = cleaned.to_original(ca, cb)
            index_text = header + "\n" + _index_body(text, ca, cb, node)
            chunks.append(
                Chunk(
                    id=f"{doc_id}#{len(chunks):04d}",
                    doc_id=doc_id,
                    section=path,
                    text=doc_text[start:end],
                    start=start,
                    end=end,
                    index_text=index_text,
                    content_hash=hashlib.sha256(index_text.encode("utf-8")).hexdigest()[:16],
                )
            )
    return chunks
