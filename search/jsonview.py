"""The JSON shapes of hits shared by `vanban search --json`, `vanban ask --json` and the web API."""

from __future__ import annotations

from typing import Any

from vanban.types import Document, Hit


def hit_to_json(hit: Hit, doc: Document, rank: int) -> dict[str, Any]:
    """One hit with its document's metadata; `source` is the path given to `vanban index`."""
    c, m = hit.chunk, doc.meta
    return {
        "rank": rank,
        "chunk_id": c.id,
        "doc_id": c.doc_id,
        "source": doc.source,
        "number": m.number,
        "doc_type": m.doc_type,
        "date": m.date,
        "issuer": m.issuer,
        "section": list(c.section),
        "text": c.text,
        "start": c.start,
        "end": c.end,
        "score": hit.score,
        "scores": {"bm25": hit.scores.get("bm25"), "dense": hit.scores.get("dense")},
        "ranks": {"bm25": hit.ranks.get("bm25"), "dense": hit.ranks.get("dense")},
    }
