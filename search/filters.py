"""Metadata filters, turned into a boolean mask over documents before retrieval.

Retrievers receive the mask (BM25 weight mask, FAISS ID selector), so a
filter never starves the top-k the way cutting a result list afterwards does.

>>> f = Filters(doc_type="kế hoạch", since="2023-01-01")
>>> f.matches({"doc_type": "Kế hoạch", "date": "2023-01-19"})
True
>>> f.matches({"doc_type": "Kế hoạch", "date": None})
False
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ingest.text import fold_diacritics


def _fold(s: str | None) -> str:
    return re.sub(r"\s+", " ", fold_diacritics(s or "")).strip()


def _number_key(s: str | None) -> str:
    """'370 /KH-UBND' and '370/kh-ubnd' compare equal; Đ folds to D."""
    return re.sub(r"\s+", "", fold_diacritics(s or ""))


@dataclass(frozen=True)
class Filters:
    doc_type: str | None = None  # exact type, accents and case ignored
    issuer: str | None = None  # substring of the issuer, e.g. "Bến Tre", "Sở Y tế"
    place: str | None = None  # substring of the place line or issuer
    since: str | None = None  # ISO date, inclusive
    until: str | None = None
    number: str | None = None  # full number "370/KH-UBND" or its leading digits "370"

    def is_empty(self) -> bool:
        return not any(
            (self.doc_type, self.issuer, self.place, self.since, self.until, self.number)
        )

    def matches(self, meta: dict[str, Any]) -> bool:
        """Does a document's metadata satisfy every given filter? Absent metadata never matches."""
        if self.doc_type and _fold(meta.get("doc_type")) != _fold(self.doc_type):
            return False
        if self.issuer and _fold(self.issuer) not in _fold(meta.get("issuer")):
            return False
        if self.place:
            where = _fold(meta.get("place")) + " | " + _fold(meta.get("issuer"))
            if _fold(self.place) not in where:
                return False
        date = meta.get("date")
        if (self.since or self.until) and not date:
            return False
        if self.since and date < self.since:
            return False
        if self.until and date > self.until:
            return False
        if self.number:
            have, want = _number_key(meta.get("number")), _number_key(self.number)
            if not have or not (have == want or ("/" not in want and have.split("/")[0] == want)):
                return False
        return True
