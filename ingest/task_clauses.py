"""Who does what in one sentence: subjects, their role, and the partners they work with.

A subject is a list of bodies at the start of a clause ("Sở Tài chính và UBND
các xã bố trí …", "Giao Sở KH&ĐT chủ trì …", "…; Công an tỉnh phối hợp …",
"Căn cứ …, các sở, ban, ngành xây dựng …") followed by a verb. The verb gives the
role: "chủ trì" leads, "phối hợp" supports, anything else carries out. Bodies
after "chủ trì, phối hợp với" support the lead. Offsets are relative to the sentence.

>>> [(c.mention.canonical, c.role) for c in sentence_roles("Giao Sở KH&ĐT chủ trì, phối hợp với Sở Tài chính tham mưu UBND tỉnh.")]
[('Sở Kế hoạch và Đầu tư', 'chủ trì'), ('Sở Tài chính', 'phối hợp')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.agency import AgencyMention, find_agencies
from ingest.header_lines import fold_keep

LEAD, SUPPORT, DO = "chủ trì", "phối hợp", "thực hiện"

VERB = re.compile(
    r"(?<![\w])(?:chu tri|phoi hop|co trach nhiem|chiu trach nhiem|tham muu|bo tri|thuc hien"
    r"|trien khai|to chuc(?! chinh tri)|xay dung|huong dan|theo doi|chi dao|kiem tra|khan truong"
    r"|chu dong|tap trung|tiep tuc|can cu|ra soat|bao cao|tong hop|nghien cuu|de xuat|trinh"
    r"|ban hanh|duoc giao|phu trach|lap|cung cap|hoan thanh|don doc|giam sat|quan ly|ho tro"
    r"|dam bao|bao dam|day manh|tang cuong|nang cao|phat huy|huy dong|tuyen truyen|xu ly"
    r"|giai quyet|phan cong|bo sung|dieu chinh|sua doi|tiep nhan|duy tri|tham dinh|phe duyet)(?![\w])"
)
# What may stand between two bodies of one list: separators, or a short non-body phrase
# ("tổ chức chính trị - xã hội", "các cơ quan Trung ương đóng trên địa bàn").
_SEPARATOR = re.compile(r"^\s*(?:,|;|va|hoac|cung|&)?\s*(?:va\s+)?$")
_MARKER = r"(?:(?:[-+•*–]|\(?(?:\d{1,3}|[ivxlc]{1,5}|[a-zđ])\s*[.):])\s*)*"
_TITLE = r"(?:(?:thu truong|giam doc|chu tich|lanh dao|nguoi dung dau)\s+(?:cac\s+)?)?"
_GIVE = r"(?:(?:ubnd tinh|uy ban nhan dan tinh)\s+)?(?:giao(?:\s+nhiem vu)?(?:\s+cho)?|de nghi|yeu cau|phan cong)"
_START = re.compile(rf"^\s*{_MARKER}(?:{_GIVE}\s+)?{_TITLE}$")
_AFTER_GIVE = re.compile(rf"(?:^|[\s,;:]){_GIVE}\s+{_TITLE}$")
_INTRO = re.compile(
    rf"^\s*{_MARKER}(?:ngoai|can cu|tren co so|trong qua trinh|de|doi voi|hang nam|dinh ky"
    r"|dong thoi|theo do|sau khi|truong hop|khi|nhu vay|ben canh do|tiep theo)(?![\w])"
)
_PARTNER = re.compile(r"(?:phoi hop|cung)\s+(?:chat che\s+)?(?:voi|cung)?\s*$")
_LEAD_THEN_PARTNER = re.compile(
    r"^\s*chu tri\s*,?\s*(?:va\s+)?phoi hop\s+(?:chat che\s+)?(?:voi|cung)\s+"
)


@dataclass(frozen=True)
class Clause:
    """One body's part in a sentence; `verb_at` is where its task's words begin."""

    mention: AgencyMention
    role: str
    verb_at: int


def body_list(text: str, folded: str, mentions: list[AgencyMention], k: int) -> list[AgencyMention]:
    """Mentions k, k+1, … that form one list ("Sở A, Sở B và UBND các xã")."""
    out = [mentions[k]]
    for nxt in mentions[k + 1 :]:
        gap = folded[out[-1].end : nxt.start]
        words = gap.replace(",", " ").split()
        if not (
            _SEPARATOR.match(gap)
            or (len(words) <= 8 and gap.strip()[:1] == "," and not VERB.search(gap))
        ):
            break
        out.append(nxt)
    return out


def _verb_after(folded: str, pos: int) -> re.Match[str] | None:
    """The verb that follows a subject list ending at pos, allowing a short filler phrase."""
    m = VERB.search(folded, pos, min(len(folded), pos + 90))
    if not m:
        return None
    filler = folded[pos : m.start()]
    if len(filler.split()) > 8 or re.search(r"[.;:]", filler):
        return None
    return m


def _role(verb: str) -> str:
    return LEAD if verb == "chu tri" else SUPPORT if verb == "phoi hop" else DO


def partners(
    text: str, folded: str, mentions: list[AgencyMention], pos: int
) -> list[AgencyMention]:
    """Bodies named right after "chủ trì, phối hợp với" at pos (or "phối hợp với" itself)."""
    m = _LEAD_THEN_PARTNER.match(folded, pos) or re.compile(
        r"\s*phoi hop\s+(?:chat che\s+)?(?:voi|cung)\s+"
    ).match(folded, pos)
    if not m:
        return []
    first = next((k for k, a in enumerate(mentions) if a.start >= m.end()), None)
    if first is None or folded[m.end() : mentions[first].start].strip() not in ("", "cac"):
        return []
    return body_list(text, folded, mentions, first)


def sentence_roles(sentence: str, lead_context: bool = False) -> list[Clause]:
    """Every body with a role in `sentence`; `lead_context` when the sentence's doer leads."""
    folded = fold_keep(sentence)
    mentions = find_agencies(sentence)
    out: list[Clause] = []
    used: set[int] = set()
    has_lead = lead_context
    for k, m in enumerate(mentions):
        if m.start in used:
            continue
        before = folded[: m.start]
        title = re.search(rf"{_TITLE}$", before)
        before = before[: title.start()] if title and title.group(0) else before
        clause_from = max(before.rfind(c) for c in ".;:") + 1
        clause = before[clause_from:]
        if _PARTNER.search(before) and has_lead:
            for p in body_list(sentence, folded, mentions, k):
                used.add(p.start)
                out.append(Clause(p, SUPPORT, m.start))
            continue
        starts = (
            _START.match(clause)
            or _AFTER_GIVE.search(before)
            or (before.rstrip().endswith(",") and _INTRO.match(clause))
            or (before.rstrip().endswith(",") and has_lead)
        )
        if not starts:
            continue
        group = body_list(sentence, folded, mentions, k)
        verb = _verb_after(folded, group[-1].end)
        if verb is None:
            continue
        role = _role(verb.group(0))
        for a in group:
            used.add(a.start)
            out.append(Clause(a, role, verb.start()))
        if role == LEAD:
            has_lead = True
            for p in partners(sentence, folded, mentions, verb.start()):
                used.add(p.start)
                out.append(Clause(p, SUPPORT, verb.start()))
    return out
