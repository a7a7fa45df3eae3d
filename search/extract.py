"""Scored answer candidates from evidence sentences, one finder per question kind.

An `Evidence` is one sentence of a retrieved passage with its support score
(coverage of the question's words x retrieval rank x place/year agreement);
a `Candidate` is an answer string found in it, scored by that support and by
how close it sits to the question's words. Pure functions over values.
Number answers have their own module, `search.numbers`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from ingest.places import find_places
from ingest.text import canonical, fold_diacritics
from search.agency_finder import agency_candidates, agency_head
from search.candidates import (
    Span,
    bracket_opening,
    find_dates,
    find_doc_numbers,
    find_person_names,
)
from search.clauses import head_words
from search.evidence import coverage, words
from search.numbers import number_candidates
from search.question import (
    ALIAS_QUESTION,
    CAUSE_QUESTION,
    QuestionInfo,
    asked_doc_type,
    named_doc_types,
    written_doc_type,
)
from search.scoring import (
    Candidate,
    Evidence,
    _in_question,
    _local,
    _number_key,
    _ref_factor,
    phrase_coverage,
    ref_spans,
)

__all__ = ["FINDERS", "Candidate", "Evidence", "agency_candidates", "agency_head", "ref_spans"]


_CITED_DATE = re.compile(r"\d{1,5}(?:/\d{4})?[/-][A-ZĐ][\w/&.-]*\s*,?\s*(?:ngày\s*)?$")


def date_candidates(
    info: QuestionInfo, ev: Evidence, sentence: str, abbreviations: Mapping[str, str]
) -> list[Candidate]:
    from ingest.dates import parse_vn_date

    q = " ".join(words(info.question))
    want_time = bool(re.search(r"\b(may gio|gio nao)\b", q))  # "trước mấy giờ hằng ngày"
    want_day = (
        bool(re.search(r"\bngay\b", q))
        and not re.search(r"\b(nam|giai doan) nao\b", q)
        and not want_time
    )
    # "giai đoạn nào" asks a period; "Kế hoạch … giai đoạn 2021 - 2025" only names one.
    want_range = bool(re.search(r"\bgiai doan nao\b", q))
    want_year = bool(re.search(r"\bnam nao\b", q))
    # Issuance is asked by "ban hành/ký ngày nào"; anything else asks a date inside the text,
    # where the document's own date (its header, "Kèm theo Kế hoạch số … ngày …") is a distractor.
    about_issue = info.asks == "date"
    want_limit = bool(
        re.search(
            r"\b(truoc ngay|truoc may gio|thoi han|han chot|han cuoi|cham nhat|khong qua)\b", q
        )
    )
    anchors = [r.number for r in info.doc_refs]
    own = ev.doc.meta.date
    legal_basis = fold_diacritics(sentence.lstrip()[:7]).lower() == "can cu "
    spans = [s for s in find_dates(sentence) if not _in_question(info, s.text)]
    # "Đề án cụm công nghiệp giai đoạn 2023 – 2030 và Đề án khu công nghiệp giai đoạn
    # 2021-2030": of parallel dates, the one whose own phrase says the question's words.
    phrases = [phrase_coverage(info, sentence, s, abbreviations) for s in spans]
    out = []
    for span, phrase in zip(spans, phrases, strict=True):
        f = fold_diacritics(span.text)
        has_day = bool(re.search(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|ngay", f))
        is_range = bool(re.search(r"\d{4}\s*[-–]\s*\d{4}", f))
        fit = 1.0
        if want_time:
            fit = 1.0 if re.search(r"\d\s*(gio|h)\b", f) else 0.45
        elif want_day and not has_day:
            fit = 0.45
        elif want_range and not is_range:
            fit = 0.5
        elif want_year and not f.startswith("nam"):
            fit = 0.7
        elif not (want_day or want_range or want_year) and f.startswith("nam "):
            fit = 0.6
        before = sentence[max(0, span.start - 60) : span.start]
        key = parse_vn_date(span.text) or _number_key(span.text)
        cited = _CITED_DATE.search(before)
        if about_issue and anchors:
            # "Kế hoạch 2813/KH-UBND ngày 13/5/2022 về thực hiện Nghị quyết 11/NQ-CP ngày
            # 30/01/2022": a date right after another document's number is that one's.
            if cited and not any(a in cited.group() for a in anchors):
                fit *= 0.5
            elif any(a in before for a in anchors):
                fit *= 1.4  # "Nghị định 98/2021/NĐ-CP ngày 08/11/2021"
        if not about_issue and own and key == own:
            fit *= 0.35
        if not about_issue and (cited or legal_basis):
            fit *= 0.5  # "Văn bản số 8091/BNV-TCBC ngày 17/9/2025": a cited document's date
        if want_limit and re.match(r"(truoc|cham nhat|khong qua|hoan thanh truoc|den het)\b", f):
            fit *= 1.8
        if phrase < max(phrases) - PARALLEL_GAP:
            fit *= 0.7
        local = _local(info, sentence, span, abbreviations, phrase)
        out.append(Candidate(key, span.text, ev.support * fit * (0.5 + 0.5 * local), ev))
    return out


PARALLEL_GAP = 0.15  # a sibling date's phrase covers this much more of the question


def person_candidates(
    info: QuestionInfo, ev: Evidence, sentence: str, abbreviations: Mapping[str, str]
) -> list[Candidate]:
    spans = find_person_names(sentence)
    credit = re.search(r"(?:Ảnh|Tin|Bài)\s*:\s*((?:[A-ZĐÀ-Ỹ]\w+\s?){2,4})", sentence)
    if credit:  # photo and article credits name people without a surname list
        name = credit.group(1).strip()
        spans.append(Span(credit.start(1), credit.start(1) + len(name), name))
    places = {fold_diacritics(p) for p in find_places(sentence)}
    # "Thủ tướng X, Trưởng Ban …, chủ trì Phiên họp …; tham dự có Y": the asked act's subject
    # is named before its verb, the people named after it attend.
    verb = re.search(r"\b(chu tri|chu toa|ket luan|phat bieu)\b", " ".join(words(info.question)))
    at = fold_diacritics(sentence).find(verb.group(1)) if verb else -1
    out = []
    for span in spans:
        if _in_question(info, span.text) or fold_diacritics(span.text) in places:
            continue
        fit = 1.0 if at == -1 or span.end <= at else 0.6
        local = _local(info, sentence, span, abbreviations)
        out.append(Candidate(span.text, span.text, ev.support * fit * (0.5 + 0.5 * local), ev))
    return out


# A programme named, not numbered: "Đề án hợp tác Y tế Thành phố Hồ Chí Minh - Tiền Giang".
_NAMED_TYPES = (
    "Đề án",
    "Chương trình",
    "Kế hoạch",
    "Dự án",
    "Quy hoạch",
    "Chiến lược",
    "Phong trào",
)
_NAMED_DOC = re.compile(
    rf"(?<!\w)(?:{'|'.join(_NAMED_TYPES)})\s+(?!số\b|\d)[^;,.:()\n“”\"]{{3,120}}"
)


@lru_cache(maxsize=256)
def _asked_type(question: str) -> str | None:
    """ "theo đề án nào?" -> "Đề án": the answer may be a name; "số hiệu gì" asks for a number."""
    q = " ".join(words(question))
    if re.search(r"\bso\b", q):
        return None
    for t in _NAMED_TYPES:
        if re.search(rf"\b{fold_diacritics(t).lower()} (?:nao|gi)\b", q):
            return t
    return None


def _bare_refs(sentence: str, doc_type: str) -> list[Span]:
    """Documents of `doc_type` cited by a bare number: "tại Kế hoạch 262 ngày 27-8-2021".

    >>> [s.text for s in _bare_refs("tại Kế hoạch 262 ngày 27-8-2021, Kế hoạch số 370/KH-UBND", "Kế hoạch")]
    ['Kế hoạch 262']
    >>> [s.text for s in _bare_refs("theo Đề án 06, Đề án 1.5 và Đề án 12.", "Đề án")]
    ['Đề án 06', 'Đề án 12']
    """
    pattern = rf"(?<!\w){doc_type}\s+(?:số\s+)?\d+(?![\w/-]|[.,]\d)"
    return [Span(m.start(), m.end(), m.group(0)) for m in re.finditer(pattern, sentence)]


def _citation(sentence: str, span: Span, numbers: Sequence[Span]) -> str:
    """The words that cite the document at `span`: the verb before it and its description
    after it, up to the next document cited outside brackets or the clause end. Brackets
    after it are asides and are left out; a document inside brackets ends with them.

    >>> s = "Công bố Quyết định số 22/2021/QĐ-TTg về tiêu chí (sửa đổi bởi Quyết định số 13/2025/QĐ-TTg ngày 14/5) tiếp tục có hiệu lực"
    >>> ns = find_doc_numbers(s)
    >>> _citation(s, ns[0], ns)
    'Công bố Quyết định số 22/2021/QĐ-TTg về tiêu chí  tiếp tục có hiệu lực'
    >>> _citation(s, ns[1], ns)
    'sửa đổi bởi Quyết định số 13/2025/QĐ-TTg ngày 14/5'
    """
    start = max(0, span.start - 40, sentence.rfind(";", 0, span.start) + 1)
    opening = bracket_opening(sentence, span.start)
    if opening >= 0:
        close = sentence.find(")", span.end)
        return sentence[max(start, opening + 1) : close if close != -1 else len(sentence)]
    end = sentence.find(";", span.end)
    end = len(sentence) if end == -1 else end
    nxt = [
        n.start
        for n in numbers
        if span.end <= n.start < end and bracket_opening(sentence, n.start) < 0
    ]
    end = min([*nxt, end, span.end + 300])
    return sentence[start : span.end] + re.sub(r"\([^()]*\)?", "", sentence[span.end : end])


def document_candidates(
    info: QuestionInfo, ev: Evidence, sentence: str, abbreviations: Mapping[str, str]
) -> list[Candidate]:
    asked = {re.sub(r"\s+", "", r.number) for r in info.doc_refs}
    out = []
    asked_type = _asked_type(info.question)
    if asked_type:
        for span in _bare_refs(sentence, asked_type):
            if _in_question(info, span.text):
                continue
            local = _local(info, sentence, span, abbreviations)
            key = span.text.split()[-1]
            out.append(Candidate(key, span.text, ev.support * (0.5 + 0.5 * local), ev))
        for m in _NAMED_DOC.finditer(sentence):
            span = Span(m.start(), m.end(), m.group(0).strip())
            if _in_question(info, span.text):
                continue
            local = _local(info, sentence, span, abbreviations)
            key = canonical(span.text).lower()
            out.append(Candidate(key, span.text, ev.support * 0.9 * (0.5 + 0.5 * local), ev))
    numbers = find_doc_numbers(sentence)
    wanted = asked_doc_type(info.question)
    for span in numbers:
        num = span.text.split()[-1]
        if num in asked or _in_question(info, num):
            continue
        window = _citation(sentence, span, numbers)
        local = coverage(info.focus_terms, (), window, abbreviations, info.weights)
        local *= _ref_factor(info, sentence, span)
        # A document cited in brackets is an aside: "(được sửa đổi, bổ sung bởi Quyết định …)".
        aside = 0.8 if bracket_opening(sentence, span.start) >= 0 else 1.0
        written = written_doc_type(span.text)
        if wanted and written and written != wanted:
            aside *= 0.7  # "thông tư nào" is not answered by a Chỉ thị
        elif written in named_doc_types(info.question):
            aside *= 0.6  # "văn bản nào cụ thể hóa chương trình …" is not the Chương trình
        out.append(Candidate(num, span.text, ev.support * aside * (0.5 + 0.5 * local), ev))
    return out


# Folded words of a cross-reference: it points at the answer, it is not one.
_POINTER = re.compile(r"(?:chi tiet|cu the|noi dung) (?:tai|theo|nhu|o) |(?:kem theo|theo) phu luc")


def clause_candidates(
    info: QuestionInfo, ev: Evidence, sentence: str, abbreviations: Mapping[str, str]
) -> list[Candidate]:
    """For list and open questions: a quotation, the asked noun's phrase, or the clause after
    a colon or holding the question's words (see `search.clauses`)."""
    from search.clauses import (
        MAX_LIST_WORDS,
        MAX_WORDS,
        aliased,
        becomes,
        cause_clause,
        focus_clause,
        head_phrase,
        located,
        object_of,
        quoted,
        subject_before,
    )

    limit = MAX_LIST_WORDS if info.kind in ("list", "place") else MAX_WORDS
    toks = words(info.question)
    folded_q = " ".join(toks)
    tail = tuple(toks[toks.index("nao") + 1 :]) if "nao" in toks else ()
    head = head_words(info.question)
    # "Ngành nào là ngành mũi nhọn?": the asked noun's own phrase is the question's; the
    # answer is what the sentence says is one.
    membership = bool(head) and f" la {' '.join(head)} " in f" {' '.join(tail)} "
    found: list[tuple[Span | None, float]] = [
        (
            aliased(sentence, info.focus_terms) if ALIAS_QUESTION.search(folded_q) else None,
            1.0,
        ),
        (quoted(sentence, info.focus_terms, info.question), 1.0),
        (subject_before(sentence, tail) if membership else None, 1.0),
        (
            cause_clause(sentence, limit, info.question)
            if CAUSE_QUESTION.search(folded_q)
            else None,
            1.0,
        ),
        (located(sentence, info.question), 1.0),
        (becomes(sentence, info.question, limit), 0.9),
        (object_of(sentence, info.question, limit), 0.9),
        (
            None
            if membership
            else head_phrase(sentence, head, tail, limit, single=info.kind == "open"),
            0.95,
        ),
        (_after_colon(sentence, info, tail, limit), 0.85),
        (focus_clause(sentence, info.focus_terms, limit), 0.7),
    ]
    out = []
    for span, weight in found:
        if span is None or _in_question(info, span.text) or not words(span.text):
            continue
        key = canonical(" ".join(words(span.text)))
        if _POINTER.match(key):
            continue  # "(Chi tiết tại Phụ lục kèm theo)" says where the answer is, not what
        out.append(Candidate(key, span.text, ev.support * weight, ev))
    return out


def _after_colon(sentence: str, info: QuestionInfo, tail, limit: int) -> Span | None:
    """What a colon introduces, when the words before it talk about the question."""
    from search.clauses import clause_end

    colon = sentence.find(":")
    if colon == -1 or not set(words(sentence[:colon])) & set(info.focus_terms):
        return None
    a = colon + 1
    b = clause_end(sentence, a, tail, limit)
    text = sentence[a:b].strip(" ,;:.")
    if not text:
        return None
    a = sentence.index(text, a)
    return Span(a, a + len(text), text)


def place_candidates(
    info: QuestionInfo, ev: Evidence, sentence: str, abbreviations: Mapping[str, str]
) -> list[Candidate]:
    """Provinces the sentence names, other than those the question names."""
    folded = fold_diacritics(sentence)
    out = []
    for place in find_places(sentence):
        if place in info.places:
            continue
        at = folded.find(fold_diacritics(place))
        if at < 0 or not sentence[at].isupper():
            continue  # "hòa bình" (peace) is not Hòa Bình
        if re.match(r"\s*,\s*ngay\b", folded[at + len(place) :]):
            continue  # "Hà Nội, ngày 20 tháng 11": where the document was signed
        span = Span(at, at + len(place), sentence[at : at + len(place)])
        local = _local(info, sentence, span, abbreviations)
        out.append(Candidate(place, place, ev.support * (0.5 + 0.5 * local), ev))
    return out


FINDERS = {
    "agency": agency_candidates,
    "place": place_candidates,
    "date": date_candidates,
    "number": number_candidates,
    "person": person_candidates,
    "document": document_candidates,
    "list": clause_candidates,
    "open": clause_candidates,
}
