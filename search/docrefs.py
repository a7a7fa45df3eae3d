"""Turn the documents and places a question names into retrieval filters and boosts.

A number filters only when the index holds such a document (otherwise the
question is about a document the archive merely mentions: "Nghị định
98/2021/NĐ-CP ban hành ngày nào?" is answered by a passage that cites it).
A province never filters (news pages have no issuer metadata); it boosts.

>>> from search.question import analyze_question
>>> metas = [{"doc_id": "a", "number": "370/KH-UBND", "issuer": "Ủy ban nhân dân tỉnh Bến Tre"}]
>>> plan = retrieval_plan(analyze_question("Kế hoạch 370/KH-UBND ban hành ngày nào?"), metas)
>>> plan.filters.number, plan.doc_ids
('370/KH-UBND', ('a',))
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from ingest.text import fold_diacritics
from search.filters import Filters
from search.question import QuestionInfo


@dataclass(frozen=True)
class RetrievalPlan:
    filters: Filters | None
    doc_ids: tuple[str, ...] = ()  # documents the question names, when indexed
    places: tuple[str, ...] = ()  # provinces to prefer


def _type_ok(ref_type: str | None, meta_type: str | None) -> bool:
    if not ref_type or not meta_type or ref_type == "Văn bản":
        return True
    return fold_diacritics(ref_type) == fold_diacritics(meta_type)


def retrieval_plan(
    info: QuestionInfo, doc_metas: Sequence[dict[str, Any]], filters: Filters | None = None
) -> RetrievalPlan:
    """Filters for the named document (when indexed), plus the places to boost."""
    doc_ids: list[str] = []
    number = None
    for ref in info.doc_refs:
        probe = Filters(number=ref.number)
        found = [
            m
            for m in doc_metas
            if probe.matches(m)
            and _type_ok(ref.doc_type, m.get("doc_type"))
            and (not ref.number.isdigit() or _place_ok(info.places, m))
        ]
        if found:
            doc_ids += [m["doc_id"] for m in found]
            number = number or ref.number
    if number and (filters is None or not filters.number):
        filters = replace(filters or Filters(), number=number)
    return RetrievalPlan(filters, tuple(dict.fromkeys(doc_ids)), info.places)


def _place_ok(asked: Sequence[str], meta: dict[str, Any]) -> bool:
    """Whether a document may be the one a question names by a bare number: "Kế hoạch 370 của
    UBND tỉnh Tiền Giang" is not Bến Tre's 370/KH-UBND.

    >>> _place_ok(["Tiền Giang"], {"issuer": "Ủy ban nhân dân tỉnh Bến Tre"})
    False
    """
    places = _doc_places(meta.get("place"), meta.get("issuer"), "")
    return not asked or not places or bool(places & set(asked))


def doc_places(meta: dict[str, Any] | None, text: str) -> set[str]:
    """Provinces a document is about: its place/issuer, or the ones its text names most.

    >>> sorted(doc_places(None, "Tây Ninh; Tây Ninh; kỷ niệm Điện Biên Phủ; Tây Ninh, Long An"))
    ['Long An', 'Tây Ninh']
    """
    meta = meta or {}
    return set(_doc_places(meta.get("place"), meta.get("issuer"), text))


@lru_cache(maxsize=512)
def _doc_places(place: str | None, issuer: str | None, text: str) -> frozenset[str]:
    """Cached per document, since answering asks for it for every hit.

    Without metadata every mention is counted, and a place that is only part of
    a longer proper name ("chiến thắng Điện Biên Phủ") is not a mention: a
    provincial report names other provinces in passing, its own one most.
    """
    from ingest.places import find_places

    if place or issuer:
        named = find_places(f"{place or ''} {issuer or ''}")
        if named:
            return frozenset(named)
    counts: dict[str, int] = {}
    for place in find_places(text):
        pattern = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", place))
        # Not followed by another capitalised word: "Điện Biên Phủ" is no province.
        n = len(re.findall(rf"(?<!\w){pattern}(?!\w)(?! [A-ZĐÀ-Ỹ][a-zà-ỹđ])", text, re.I))
        counts[place] = n
    top = max(counts.values(), default=0)
    return frozenset(p for p, n in counts.items() if n and n * 3 >= top)
