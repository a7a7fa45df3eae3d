"""Agency answers: the bodies a sentence (or a task assignment) names, filtered by the kind of
body asked for ("sở nào") and weighted by the role they play there ("X chủ trì").
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ingest.agency import canonical_agency, find_agencies
from ingest.text import fold_diacritics
from search.candidates import Span
from search.evidence import words
from search.question import QuestionInfo
from search.scoring import Candidate, Evidence, _in_question, _ref_factor

_HEADS = (
    ("so", "Sở "), ("ban", "Ban "), ("cong ty", "Công ty"), ("bo", "Bộ "), ("cuc", "Cục "),
    ("to cong tac", "Tổ "), ("to", "Tổ "), ("trung tam", "Trung tâm"), ("uy ban", "Ủy ban"),
)  # fmt: skip


# Header lines that read like bodies: the national motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
# yields "HỘI …") and an all-caps title verb ("QUYẾT ĐỊNH BAN HÀNH").
_NOT_AN_AGENCY = re.compile(r"chu nghia viet nam|^ban hanh$")


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
        cut = re.match(r"/\d+\b", sentence[m.end :])
        if cut and key[-1:].isdigit():  # "Công ty TNHH MTV 30/4": a date-like name, not "30"
            key += cut.group(0)
        if head and not key.startswith(head):
            continue
        if _NOT_AN_AGENCY.search(fold_diacritics(key).lower()):
            continue
        if (
            _in_question(info, m.surface)
            or _in_question(info, key)
            or (role is None and key == issuer)
        ):
            continue
        factor = (
            _role_factor(info.role, role) if role else 0.8 * _mention_role(info, sentence, m.end)
        ) * _ref_factor(info, sentence, Span(m.start, m.end, m.surface))
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
