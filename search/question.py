"""What a question asks for: its kind, its content words, the documents it names.

Patterns run on the folded question (`fold_diacritics`), so "sở nào chủ trì"
and "so nao chu tri" read the same. Pure: no index needed.

>>> info = analyze_question("so nao chu tri cum cong nghiep?")
>>> info.kind, info.role, info.focus_terms
('agency', 'chủ trì', ('cum', 'cong', 'nghiep'))
>>> analyze_question("Kế hoạch 370/KH-UBND ban hành ngày nào?").doc_refs[0].number
'370/KH-UBND'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.abbrev import ABBR_RE, abbr_key
from ingest.places import find_places
from ingest.text import canonical, fold_diacritics

KINDS = ("agency", "place", "date", "number", "person", "document", "list", "open")

# Document types a question may name before a number ("Công văn 3646/SYT-VP").
_DOC_TYPES = {
    "ke hoach": "Kế hoạch", "cong van": "Công văn", "thong bao": "Thông báo",
    "chi thi": "Chỉ thị", "quyet dinh": "Quyết định", "bao cao": "Báo cáo",
    "nghi quyet": "Nghị quyết", "nghi dinh": "Nghị định", "thong tu": "Thông tư",
    "to trinh": "Tờ trình", "chuong trinh hanh dong": "Chương trình hành động",
    "chuong trinh": "Chương trình", "cong dien": "Công điện", "van ban": "Văn bản",
    "de an": "Đề án", "luat": "Luật", "ket luan": "Kết luận",
    "thong bao ket luan": "Thông báo",  # a meeting's conclusions are a Thông báo
}  # fmt: skip
_TYPE_RE = "|".join(sorted(_DOC_TYPES, key=len, reverse=True))
_WRITTEN_TYPE = re.compile(rf"({_TYPE_RE})\b")
# "370/KH-UBND", "1737-TB/VPTU", "98/2021/NĐ-CP": digits then a slash or dash and letters.
NUMBER_RE = re.compile(
    r"(?<![\w/])\d{1,5}(?:/\d{4})?[/-][A-ZĐ][A-ZĐa-z]*(?:[/&-][A-ZĐ][A-ZĐa-z0-9]*)*"
)
_TYPED_RE = re.compile(rf"(?<!\w)({_TYPE_RE})\s+(?:so\s+)?(\d{{1,5}})(?![\d,.])")
# "Báo cáo 6 tháng", "Kế hoạch 5 năm": a count of time after a type is the document's period,
# not its number; like a number, it names the document rather than what the passage says.
_PERIOD = re.compile(r"\s+(?:thang|nam|ngay|tuan|quy)\b(?!\s+\d)")

# Kind cues on the folded question, tried in this order (first match wins).
_SIGNER = re.compile(r"\b(ai ky|nguoi ky|do ai ky|ky boi ai|ai chup|ai la)\b")
_PERSON = re.compile(r"\b(dong chi nao|tong bi thu nao|chu tich nao|ong nao|ba nao|nguoi nao)\b")
# "Chủ tịch UBND tỉnh ký kế hoạch tên là gì?": a person's title, then "tên (là) gì" asks the name
# (a document's or a programme's name is asked the same way, so the title must come first).
_NAME_ASKED = r"ten la gi|ten gi"
_NAMED_PERSON = re.compile(
    r"\b(chu tich|pho chu tich|giam doc|pho giam doc|truong ban|pho truong ban|bi thu|thu truong"
    rf"|bo truong|thu tuong|nguoi ky|nguoi dung dau|lanh dao)\b.*\b({_NAME_ASKED})\b"
)
_DATE = re.compile(
    r"\b(khi nao|ngay nao|bao gio|(?<!co )thoi han(?!.*\b(?:bao lau|bao nhieu)\b)|truoc ngay|ngay bao nhieu|nam nao|thang nao"
    r"|quy nao|thoi gian nao|thoi diem nao|giai doan nao|hieu luc|de ngay|luc nao|may gio(?! (?:mot|moi|trong) ngay)|gio nao)\b"
)
_NUMBER = re.compile(r"\b(bao nhieu|bao lau|so luong|may (?!bay|moc|tinh)\w+|ma so|ma hs)\b")
_DOCUMENT = re.compile(
    rf"\b(?:{_TYPE_RE}|ke hoach|to trinh)\s+(?:\w+\s+)?nao\b|\bso hieu\b|\bso may\b|\bso ky hieu\b"
)
_NAMED_TYPE = re.compile(rf"\b(?:{_TYPE_RE})\s+nao\b")
_AGENCY = re.compile(
    r"\b(co quan|(?<!chi )(?<!con )(?<!ma )so|don vi|ban|bo|cuc|nganh|phong|to chuc|to cong tac|to|cong ty|doanh nghiep"
    r"|uy ban|ubnd|trung tam|chi cuc|hoi|lanh dao)\s+nao\b"
)
_ROLE_VERB = (
    r"chu tri|phu trach|duoc giao|giao cho|tham muu|phoi hop|thuc hien|lo viec|lo|dam nhan|quan ly"
    r"|chiu trach nhiem|co trach nhiem|trien khai|gui|cong bo|theo doi"
)
# A meeting is chaired by a person: "Ai chủ trì phiên họp …?"
_MEETING = r"(?:phien hop|cuoc hop|hoi nghi|buoi lam viec|cuoc lam viec|hop)"
_CHAIR = re.compile(
    rf"\bai (?:da |se )?(?:chu tri|chu toa|ket luan)\s+(?:\w+\s+){{0,2}}{_MEETING}\b"
    # "Phiên họp lần thứ sáu … do ai chủ trì?": the meeting named first.
    rf"|\b{_MEETING}\b.*\bdo ai (?:da |se )?(?:chu tri|chu toa|ket luan)\b"
)
_AI_AGENCY = re.compile(rf"\bai\s+(?:se\s+|la nguoi\s+)?({_ROLE_VERB})\b")
# "đường tỉnh nào", "tỉnh lộ nào" ask for a road: a noun before "tỉnh" makes it part of a name.
_PLACE = re.compile(r"(?<!\bduong )\b(tinh|tinh thanh|thanh pho|dia phuong) nao\b")
# Provinces of a neighbour are not in the gazetteer: such a question reads as a list.
_ABROAD = re.compile(r"\b(campuchia|lao|trung quoc|thai lan|han quoc|nhat ban|nuoc ngoai)\b")
# "những cơ quan nào", "các tỉnh nào": the answer is every body (place) the passage names.
_PLURAL = re.compile(r"\b(nhung|cac)\s+(?:\w+\s+){1,2}nao\b")
_LIST = re.compile(r"\b(nhung|cac)\s+(\w+\s+){1,8}nao\b")
_NUMBER_WEAK = re.compile(r"\b(ty le|chi tieu|muc tieu|toc do|phan tram|kim ngach|dat muc)\b")

_ROLES = (
    ("phoi hop", "phối hợp"),
    ("chu tri", "chủ trì"), ("phu trach", "chủ trì"), ("duoc giao", "chủ trì"),
    ("tham muu", "chủ trì"), ("lo viec", "chủ trì"), ("dam nhan", "chủ trì"),
    ("thuc hien", "thực hiện"),
)  # fmt: skip

# Words that carry no content of their own in a question (folded syllables).
_STOP_WORDS = """ai nao gi bao nhieu may khi gio la cua cac nhung duoc do va voi ve trong cho co tai o
    tu den thi ma nay kia the sao vay hay hoac se da dang can phai de nhu theo tren duoi
    mot moi nguoi viec hien nhat rang tinh thanh pho nam ngay thang quy nhieu it
    lo ky chup de dat khoang ve viec hon so"""
_STOP = frozenset(_STOP_WORDS.split())
# "còn gọi là gì", "tên khác": the question asks another name (search.clauses.aliased).
ALIAS_WORDS = r"(?:con |hay |duoc )?goi la|ten (?:goi )?khac"
ALIAS_QUESTION = re.compile(rf"\b(?:{ALIAS_WORDS})\b")
# "nộp ở đâu", "thống nhất tại đâu": the question asks where (search.clauses.located).
WHERE_QUESTION = re.compile(r"\b(?:o|tai) dau\b")
# "vì sao", "nguyên nhân nào": the question asks a cause (search.clauses.cause_clause).
CAUSE_QUESTION = re.compile(r"\b(?:vi sao|tai sao|vi ly do gi|ly do|nguyen nhan|do dau)\b")
# Role verbs and question heads, removed as phrases: their syllables alone are content
# ("nhân" of "hạt nhân", "chủ" of "chủ đầu tư").
_STRIP = re.compile(
    rf"\b(?:{_ROLE_VERB.replace('|lo|', '|')}|dam nhan|ban hanh|{ALIAS_WORDS}|{_NAME_ASKED}|"
    r"(?:co quan|so|ban|bo|cuc|don vi|to chuc|to|cong ty|uy ban|trung tam)\s+nao"
    # Documents write "phần trăm" as "%": the unit is the answer's, not a word to look for.
    r"|phan tram)\b"
)
# Units of a span of time ("05 năm", "8 giờ"), and the unit of a question that takes any of them.
TIME_UNITS = ("năm", "tháng", "tuần", "ngày", "giờ", "phút")
TIME_SPAN = "thời gian"
_UNITS = (
    ("phan tram", "%"), ("ty dong", "tỷ đồng"), ("trieu dong", "triệu đồng"),
    ("trieu usd", "triệu USD"), ("ty usd", "tỷ USD"), ("usd", "USD"), ("mw", "MW"),
    ("hec ta", "ha"), ("ha", "ha"), ("km", "km"), ("nguoi", "người"),
    ("luot", "lượt"), ("doanh nghiep", "doanh nghiệp"), ("xa", "xã"), ("giai", "giải"),
    ("bac", "bậc"), ("lieu", "liều"), ("giuong", "giường"), ("de tai", "đề tài"),
    ("von", "vốn"), ("tien", "vốn"), ("kinh phi", "vốn"),  # an amount of money, any currency
    *((fold_diacritics(u), u) for u in TIME_UNITS),
)  # fmt: skip


@dataclass(frozen=True)
class DocRef:
    """A document the question names: "Kế hoạch 370" -> number "370", type "Kế hoạch"."""

    text: str
    number: str
    doc_type: str | None = None


@dataclass(frozen=True)
class QuestionInfo:
    question: str
    kind: str  # one of KINDS
    focus_terms: tuple[str, ...]  # folded content syllables, question and role words removed
    role: str | None = None  # "chủ trì" | "phối hợp" | "thực hiện"
    doc_refs: tuple[DocRef, ...] = ()
    places: tuple[str, ...] = ()  # province names, official spelling
    years: tuple[str, ...] = ()
    unit: str | None = None  # unit the answer should carry, e.g. "%", "tỷ đồng"
    asks: str | None = None  # a named document's field: date, signer, number, issuer, recipients
    plural: bool = False  # "những cơ quan nào": several bodies or places make one answer
    # How specific each focus term is in the searched archive (search.evidence.term_weight);
    # empty means all weigh the same.
    weights: tuple[float, ...] = ()


def find_doc_refs(question: str) -> tuple[DocRef, ...]:
    """Document numbers in a question, full ("370/KH-UBND") or typed ("Kế hoạch 370").

    >>> [(r.number, r.doc_type) for r in find_doc_refs("Công văn 3646/SYT-VP và Kế hoạch 20")]
    [('3646/SYT-VP', 'Công văn'), ('20', 'Kế hoạch')]
    >>> [r.number for r in find_doc_refs("Báo cáo 6 tháng đầu năm của Kế hoạch 20 năm 2024")]
    ['20']
    """
    q = canonical(question)
    folded = fold_diacritics(q)
    refs: list[tuple[int, DocRef]] = []
    taken: list[tuple[int, int]] = []
    for m in NUMBER_RE.finditer(q):
        before = folded[max(0, m.start() - 30) : m.start()]
        t = re.search(rf"({_TYPE_RE})\s+(?:so\s+)?$", before)
        refs.append(
            (m.start(), DocRef(m.group(0), m.group(0), _DOC_TYPES[t.group(1)] if t else None))
        )
        taken.append((m.start(), m.end()))
    for m in _TYPED_RE.finditer(folded):
        if any(a <= m.start(2) < b for a, b in taken) or _PERIOD.match(folded, m.end()):
            continue
        refs.append((m.start(), DocRef(q[m.start() : m.end()], m.group(2), _DOC_TYPES[m.group(1)])))
    return tuple(r for _, r in sorted(refs, key=lambda x: x[0]))


def folded_words(question: str) -> str:
    """The question's words folded and joined by one space, as the kind cues read it.

    >>> folded_words("Sở nào chủ trì, CCN?")
    'so nao chu tri ccn'
    """
    return " ".join(re.findall(r"\w+", fold_diacritics(canonical(question))))


def question_kind(question: str) -> str:
    """The kind of answer wanted, from the question's form (accents optional).

    >>> [question_kind(q) for q in ("Ai ký Kế hoạch 370?", "khi nao hoan thanh?",
    ...  "Tỷ lệ hộ nghèo là bao nhiêu?", "Văn bản nào sửa đổi Nghị định 98?",
    ...  "Ai phụ trách việc lấp đầy KCN?", "Những huyện nào đạt chuẩn?", "Chủ đề năm 2023 là gì?",
    ...  "Những đường tỉnh nào được nâng cấp?", "Báo cáo trước mấy giờ?", "Lái mấy giờ mỗi ngày?",
    ...  "Giám đốc Sở Y tế tên là gì?", "Chương trình này tên là gì?",
    ...  "Hội nghị sơ kết do ai chủ trì?")]
    ['person', 'date', 'number', 'document', 'agency', 'list', 'open', 'list', 'date', 'number', 'person', 'open', 'person']
    """
    f = folded_words(question)
    if _SIGNER.search(f) and not _AI_AGENCY.search(f):
        return "person"
    if _CHAIR.search(f):
        return "person"
    if _PERSON.search(f) or _NAMED_PERSON.search(f):
        return "person"
    if _NAMED_TYPE.search(f):  # "công bố quyết định nào … có hiệu lực": the document, not a date
        return "document"
    if _DATE.search(f):
        return "date"
    if _DOCUMENT.search(f):
        return "document"
    if _PLACE.search(f) and not _ABROAD.search(f):
        return "place"
    if _asks_agency(f):
        return "agency"
    if _NUMBER.search(f):
        return "number"
    if _LIST.search(f):
        return "list"
    if re.search(r"\bai\b", f):
        return "person"
    if _NUMBER_WEAK.search(f) and not re.search(r"\bthanh gi\b", f):
        return "number"  # not "mục tiêu … trở thành gì": what it becomes is a phrase
    return "open"


@lru_cache(maxsize=256)
def asked_doc_type(question: str) -> str | None:
    """The type of document a question asks for ("thông tư nào" -> "Thông tư"); None for
    "văn bản nào", which any type answers.

    >>> asked_doc_type("Chỉ thị 19 thực hiện thông tư nào?"), asked_doc_type("Văn bản nào?")
    ('Thông tư', None)
    """
    f = folded_words(question)
    m = re.search(rf"\b({_TYPE_RE})\s+nao\b", f)
    return _DOC_TYPES[m.group(1)] if m and m.group(1) != "van ban" else None


@lru_cache(maxsize=256)
def named_doc_types(question: str) -> frozenset[str]:
    """Types of the documents a question names as its subject matter, not the one it asks:
    "Văn bản nào cụ thể hóa chương trình của Tỉnh ủy?" names a Chương trình.

    >>> sorted(named_doc_types("Văn bản nào cụ thể hóa chương trình của Tỉnh ủy?"))
    ['Chương trình']
    >>> named_doc_types("Thông báo kết luận của Tỉnh ủy có số hiệu là gì?")
    frozenset()
    """
    f = folded_words(question)
    if not re.search(rf"\b({_TYPE_RE}) nao\b", f):
        return frozenset()  # "Thông báo kết luận … có số hiệu là gì?" asks about the one named
    named = {_DOC_TYPES[m.group(1)] for m in re.finditer(rf"\b({_TYPE_RE})\b(?! nao\b)", f)}
    return frozenset(named - {asked_doc_type(question), "Văn bản"})


def written_doc_type(text: str) -> str | None:
    """The type a citation writes before its number: "Chỉ thị số 19-CT/TU" -> "Chỉ thị".

    >>> written_doc_type("Chỉ thị số 19-CT/TU"), written_doc_type("19-CT/TU")
    ('Chỉ thị', None)
    """
    m = _WRITTEN_TYPE.match(fold_diacritics(text).lower())
    return _DOC_TYPES[m.group(1)] if m else None


def _asks_agency(folded: str) -> bool:
    """Whether a folded question asks for a body. "Ngành nào" asks for one only with a task
    ("ngành nào chủ trì …"); otherwise it asks for a sector ("ngành nào là ngành mũi nhọn").

    >>> _asks_agency("nganh nao chu tri"), _asks_agency("nganh nao la nganh kinh te mui nhon")
    (True, False)
    >>> _asks_agency("viec nay la trach nhiem cua ai"), _asks_agency("ky niem ngay sinh cua ai")
    (True, False)
    """
    m = _AGENCY.search(folded)
    if m and m.group(1) == "nganh" and not re.search(rf"\b({_ROLE_VERB})\b", folded):
        m = _AGENCY.search(folded, m.end())
    # "trách nhiệm của ai" asks for a body; "ngày sinh của ai" for a person.
    duty = re.search(rf"\b(trach nhiem|nhiem vu|tham quyen|{_ROLE_VERB})\b", folded)
    return bool(m or _AI_AGENCY.search(folded) or (duty and re.search(r"\bcua ai\b", folded)))


def _role(folded: str) -> str | None:
    for cue, role in _ROLES:
        if re.search(rf"\b{cue}\b", folded):
            return role
    return None


def _unit(folded: str) -> str | None:
    """The unit named right after "bao nhiêu" (or anywhere, for % and money)."""
    m = re.search(r"\b(?:bao nhieu|may)\s+((?:\w+\s+){0,1}\w+)", folded)
    tail = m.group(1) if m else ""
    for cue, unit in _UNITS:
        if re.match(rf"{cue}\b(?!\s*\d)", tail):  # "bao nhiêu năm", not "bao nhiêu năm 2025"
            return unit
    for cue, unit in _UNITS[:6]:
        if re.search(rf"\b{cue}\b", folded):
            return unit
    # "trong bao lâu", "thời gian … là bao nhiêu" (nothing counted after it): any span of time.
    if re.search(r"\bbao lau\b", folded) or (
        re.search(r"\b(thoi gian|thoi han|ky han)\b", folded)
        and re.search(r"\bbao nhieu\W*$", folded)
    ):
        return TIME_SPAN
    return None


def _asks(kind: str, folded: str, refs: tuple[DocRef, ...]) -> str | None:
    if not refs and not re.search(rf"\b({_TYPE_RE})\b", folded):
        return None
    if kind == "person" and re.search(r"\b(ky|nguoi ky)\b", folded):
        return "signer"
    if (
        kind == "date"
        and re.search(r"\b(ban hanh|de ngay|ky ngay|ngay ky|ngay ban hanh)\b", folded)
        and not re.search(r"\b(phai|can|se|de nghi|trinh)( duoc)? ban hanh\b", folded)
    ):
        return "date"  # not "Nghị định … phải được ban hành khi nào": a task, not the document
    if kind == "document" and re.search(r"\bso hieu|so ky hieu|so may\b", folded):
        return "number"
    if kind == "agency" and re.search(r"\b(la cua|cua co quan|do co quan|cua don vi)\b", folded):
        return "issuer"
    if kind in ("list", "agency", "open") and re.search(
        r"\b(gui (den|cho|toi)|noi nhan)\b", folded
    ):
        return "recipients"
    return None


# Stop words whose folded form is also a content word: "vậy" / "vay" (borrow), "cần" / "cán
# (bộ)", "mấy" / "máy". Written with diacritics, the question says which one it means.
_HOMOGRAPHS = {"vay": "vậy", "can": "cần", "may": "mấy"}


def _content_homographs(question: str) -> set[str]:
    """Folded stop words that the question writes as their content homograph.

    >>> sorted(_content_homographs("Hộ nghèo được vay bao nhiêu? Cần bao nhiêu cán bộ?"))
    ['can', 'vay']
    >>> _content_homographs("ho ngheo duoc vay bao nhieu")  # no diacritics: cannot tell
    set()
    """
    low = question.lower()
    if fold_diacritics(low) == low:
        return set()
    tokens = re.findall(r"\w+", low)
    return {
        w
        for w, stop in _HOMOGRAPHS.items()
        if any(fold_diacritics(t) == w and t != stop for t in tokens)
    }


def focus_terms(question: str, refs: tuple[DocRef, ...] = ()) -> tuple[str, ...]:
    """Folded content syllables: what the supporting passage has to talk about.

    >>> focus_terms("Sở nào chủ trì cụm công nghiệp?")
    ('cum', 'cong', 'nghiep')
    >>> focus_terms("Đầu tư đạt bao nhiêu phần trăm GRDP?")
    ('dau', 'grdp')
    >>> focus_terms("Kế hoạch phát triển KT-XH của Sở KH&ĐT")
    ('ke', 'hoach', 'phat', 'trien', 'ktxh', 'khdt')
    """
    q = canonical(question)
    for r in refs:  # a document number is matched through metadata, not as words
        q = q.replace(r.text, " ")
    # "KT-XH" is one term, "ktxh", as the abbreviation table keys it, not "kt" and "xh".
    folded = fold_diacritics(ABBR_RE.sub(lambda m: abbr_key(m.group()), q))
    for t in {r.doc_type for r in refs if r.doc_type}:
        folded = re.sub(rf"\b{fold_diacritics(t)}\b(\s+so\b)?", " ", folded, count=1)
    for m in reversed(list(_TYPED_RE.finditer(folded))):
        if _PERIOD.match(folded, m.end()):
            folded = folded[: m.start()] + " " + folded[m.end() :]
    for place in find_places(q):
        folded = folded.replace(fold_diacritics(place), " ")
    folded = _STRIP.sub(" ", folded)
    words = re.findall(r"[a-z0-9]+(?:[.,][0-9]+)*", folded)  # as evidence.words reads text
    stop = _STOP - _content_homographs(q)
    keep = (w for w in words if w not in stop and not re.fullmatch(r"(19|20)\d\d", w))
    return tuple(dict.fromkeys(w for w in keep if len(w) > 1 or w.isdigit()))


def analyze_question(question: str) -> QuestionInfo:
    """Everything the answer engine needs to know about `question`.

    >>> i = analyze_question("Tiền Giang phấn đấu tăng trưởng GRDP năm 2024 bao nhiêu?")
    >>> i.kind, i.places, i.years, i.focus_terms
    ('number', ('Tiền Giang',), ('2024',), ('phan', 'dau', 'tang', 'truong', 'grdp'))
    """
    kind = question_kind(question)
    folded = fold_diacritics(canonical(question))
    refs = find_doc_refs(question)
    years = tuple(dict.fromkeys(re.findall(r"(?<![\d/.-])((?:19|20)\d\d)(?![\d/])", folded)))
    return QuestionInfo(
        question=question,
        kind=kind,
        focus_terms=focus_terms(question, refs),
        role=_role(folded) if kind in ("agency", "list", "open") else None,
        doc_refs=refs,
        places=find_places(question),
        years=years,
        unit=_unit(folded) if kind == "number" else None,
        asks=_asks(kind, folded, refs),
        plural=bool(_PLURAL.search(" ".join(re.findall(r"\w+", folded)))),
    )
