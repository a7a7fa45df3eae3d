"""Agency answers: the bodies a sentence (or a task assignment) names, filtered by the kind of
body asked for ("sở nào") and weighted by the role they play there ("X chủ trì").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from ingest.agency import canonical_agency, find_agencies
from ingest.agency_names import UNIT
from ingest.places import find_places
from ingest.text import fold_diacritics
from search.candidates import Span
from search.evidence import words
from search.question import QuestionInfo
from search.scoring import Candidate, Evidence, _ref_factor

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
        if _names_asked_body(info.question, m.surface) or _names_asked_body(info.question, key):
            continue
        if role is None and key == issuer:
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


# Legal-form words a question leaves out when it names a company: "công ty xổ số kiến thiết".
_LEGAL_FORM = re.compile(r"\b(?:tnhh|mot thanh vien|mtv|co phan|nha nuoc)\b")


@lru_cache(maxsize=256)
def _asked_bodies(question: str) -> tuple[frozenset[str], str]:
    """Folded names of the bodies the question names, and its folded words without them."""
    found = find_agencies(question)
    named = frozenset(" ".join(words(x)) for m in found for x in (m.surface, m.canonical))
    rest = " " + " ".join(words(question)) + " "
    for m in found:
        rest = rest.replace(f" {' '.join(words(m.surface))} ", " | ")
    return named, rest


def _names_asked_body(question: str, body: str) -> bool:
    """Whether the question itself names `body`: it asks about it, so it is not the answer.

    A body inside a longer one the question names is another body: "Cục Thống kê" is not
    "Tổng cục Thống kê". A company is named without its legal form.

    >>> q = "Đơn vị nào gửi số liệu về Tổng cục Thống kê?"
    >>> _names_asked_body(q, "Cục Thống kê"), _names_asked_body(q, "Tổng cục Thống kê")
    (False, True)
    >>> _names_asked_body("ai thoái vốn ở công ty xổ số kiến thiết?", "Công ty TNHH MTV Xổ số kiến thiết Tiền Giang")
    True
    """
    own = " ".join(words(body))
    bare = " ".join(_LEGAL_FORM.sub(" ", own).split())
    named, rest = _asked_bodies(question)
    if own in named or bare in named:
        return True
    return any(f" {b} " in rest for b in (bare, _without_home(bare)) if b)


def _without_home(folded: str) -> str:
    """A company's name without the province it ends in, which a question may leave out:
    "xo so kien thiet tien giang" -> "xo so kien thiet". "uy ban nhan dan tinh tien giang"
    keeps its place: "tỉnh Tiền Giang" is the level of the body, not a suffix.

    >>> _without_home("cong ty xo so kien thiet tien giang"), _without_home("so tai chinh tinh ben tre")
    ('cong ty xo so kien thiet', 'so tai chinh tinh ben tre')
    """
    for place in find_places(folded):
        tail = " ".join(words(place))
        head = folded[: -len(tail)].rstrip()
        if folded.endswith(f" {tail}") and not re.search(rf"\b{UNIT}$", head):
            return head
    return folded


def _mention_role(info: QuestionInfo, sentence: str, end: int) -> float:
    """Does the body's own clause carry the asked role ("X chủ trì", "giao X")?"""
    after = fold_diacritics(sentence[end : end + 40])
    if info.role == "phối hợp":
        return 1.0 if "phoi hop" in after else 0.7
    if re.match(r"\W*(chu tri|co trach nhiem|thuc hien|tham muu|phu trach|quan ly)", after):
        return 1.0
    return 0.75
