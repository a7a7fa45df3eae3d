"""Number answers: the figures of a sentence that answer "bao nhiêu", scored by unit,
counted noun, bound ("tối thiểu"), change ("từ X xuống Y") and place in a calculation.

>>> from search.question import analyze_question
>>> from search.scoring import Evidence
>>> from vanban.types import DocMeta, Document
>>> s = "Phấn đấu phát triển ít nhất 45 sản phẩm OCOP mới"
>>> ev = Evidence(Document("d", "d.txt", s, DocMeta()), 0, len(s), (), 1, 1.0)
>>> q = analyze_question("Tối thiểu bao nhiêu sản phẩm OCOP?")
>>> [c.text for c in number_candidates(q, ev, s, {})]
['ít nhất 45 sản phẩm OCOP']
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from ingest.text import canonical, fold_diacritics
from search.candidates import Span, bracket_opening, find_changes, find_quantities
from search.evidence import BOUND_PHRASES, words
from search.question import TIME_SPAN, TIME_UNITS, QuestionInfo
from search.scoring import Candidate, Evidence, _local, _number_key

# Units a question names that no other unit can stand for (unlike "người" vs "lao động").
_HARD_UNITS = frozenset(("%", "tỷ đồng", "triệu đồng", "triệu USD", "tỷ USD", "USD"))


_SAME_UNIT = {
    "người": ("người", "lao động", "thanh niên", "TN", "học sinh", "lượt"),
    "vốn": ("đồng", "USD"),
    TIME_SPAN: TIME_UNITS,
}
_TIMES = frozenset((TIME_SPAN, *TIME_UNITS))


def _in_breakdown(sentence: str, start: int) -> bool:
    """Whether ``start`` sits inside a bracket that opens right after another quantity.

    Such a bracket breaks the figure down or restates it in another unit, so the figure
    outside answers the question; a bracket after plain words adds its own figure.

    >>> s = "đạt 48 giải (02 giải Nhất, 08 giải Nhì)"
    >>> _in_breakdown(s, s.index("08")), _in_breakdown(s, s.index("48"))
    (True, False)
    >>> s = "đạt kế hoạch (trên 36% GRDP)"
    >>> _in_breakdown(s, s.index("trên"))
    False
    """
    opening = bracket_opening(sentence, start)
    if opening < 0:
        return False
    head = sentence[:opening].rstrip()
    return any(q.end >= len(head) for q in find_quantities(head))


_TO_VALUE = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:xuống|lên|thành|còn)\s+(?:mức\s+)?\d")


def _operand(sentence: str, span: Span) -> bool:
    """Whether the figure is a factor or term of a calculation whose result the sentence gives.

    >>> s = "1.500.000.000 đồng/năm x 05 năm = 7.500.000.000 đồng."
    >>> _operand(s, Span(0, 22, "1.500.000.000 đồng/năm")), _operand(s, Span(34, 52, "7.500.000.000 đồng"))
    (True, False)
    """
    return bool(re.match(r"[^=;:\n]{0,40}?(?:\s[x×*+]\s|=)", sentence[span.end :])) and bool(
        re.search(r"=\s*\d", sentence[span.end : span.end + 80])
    )


def _changed_from(sentence: str, span: Span) -> bool:
    """Whether the figure at ``span`` is the old value of a change: "từ X (…) xuống Y".

    >>> s = "điều chỉnh giảm từ 6,6%/năm (0,55%/tháng) xuống 6,24%/năm"
    >>> _changed_from(s, Span(19, 27, "từ 6,6%/năm")), _changed_from(s, Span(50, 59, "6,24%/năm"))
    (True, False)
    """
    return span.text.lower().startswith("từ ") and bool(_TO_VALUE.match(sentence, span.end))


def _unit_ok(unit: str, text: str) -> bool:
    """Whether ``text`` carries ``unit``; a hard line wrap inside the unit does not hide it.

    >>> _unit_ok("doanh nghiệp", "khoảng 980 doanh\\nnghiệp")
    True
    """
    low = " ".join(text.lower().split())
    return any(u.lower() in low for u in _SAME_UNIT.get(unit, (unit,)))


def number_candidates(
    info: QuestionInfo, ev: Evidence, sentence: str, abbreviations: Mapping[str, str]
) -> list[Candidate]:
    q_numbers = set(re.findall(r"\d+(?:[.,]\d+)*", info.question))
    out = []
    q = " ".join(words(info.question))
    if re.search(r"\btu bao nhieu (len|xuong|den) bao nhieu\b", q):  # both ends are the answer
        for span in find_changes(sentence):
            local = _local(info, sentence, span, abbreviations)
            key = _number_key(span.text)
            out.append(Candidate(key, span.text, ev.support * (0.4 + 0.6 * local), ev))
        return out
    noun = _asked_noun(info.question)
    toward = re.search(r"\b(xuong|len|con|tang len|giam xuong) (muc )?bao nhieu\b", q)
    # Unless the old value is asked, "từ X xuống Y" is answered by Y, the value now in force.
    asks_old = re.search(r"\b(tu bao nhieu|truoc khi|truoc day|ban dau)\b", q)
    # "khoảng" is left out: every estimate says it, so it does not single one figure out.
    bound = re.search(
        r"\b(it nhat|toi thieu|toi da|nhieu nhat|tren|duoi|khong qua|hon) bao nhieu\b", q
    )
    # A bound is written either way, whichever the question says: "tối đa" or "không quá",
    # "tối thiểu" or "ít nhất".
    qualifier = bound.group(1) if bound else ""
    qualifiers = next((b for b in BOUND_PHRASES if qualifier in b), (qualifier,))
    # "Tỷ lệ … là bao nhiêu" asks a share; "bao nhiêu địa phương có tỷ lệ …" still counts.
    share = "ty le" in q.split("bao nhieu", 1)[0]
    counted = bool(noun) and info.unit is None and noun[0] not in _NOT_COUNTED and not share
    for span in find_quantities(sentence):
        nums = re.findall(r"\d+(?:[.,]\d+)*", span.text)
        if nums and all(n in q_numbers or n.lstrip("0") in q_numbers for n in nums):
            continue
        span = _with_noun(sentence, span, noun)
        fit = 1.0
        before = fold_diacritics(sentence[max(0, span.start - 12) : span.start]).rstrip()
        if toward:  # "giảm từ 9,0%/năm (0,75%/tháng) xuống 8,4%/năm": the value it goes to
            fit *= 1.5 if re.search(r"\b(xuong|len|con|toi|den|muc)$", before) else 0.6
        elif not asks_old and _changed_from(sentence, span):
            fit *= 0.6
        if qualifier:  # "ít nhất bao nhiêu" is answered by the figure that says "ít nhất"
            fit *= 1.4 if fold_diacritics(span.text.lower()).startswith(qualifiers) else 0.8
        if _in_breakdown(sentence, span.start):
            fit *= 0.6  # a part of, or a restatement of, the figure before the bracket
        # "1.500.000.000 đồng/năm x 05 năm = 7.500.000.000 đồng": the result is what the
        # sentence states, its factors are how it got there.
        if _operand(sentence, span):
            fit *= 0.6
        elif re.search(r"=\s*$", sentence[: span.start]):
            fit *= 1.2
        if counted and "%" in span.text:
            fit *= 0.5  # "bao nhiêu thanh niên" counts people: "100% chỉ tiêu" is not a count
        if counted and _counts_other(sentence, span, noun):
            fit *= 0.5  # "bao nhiêu cán bộ" is not answered by "34 tỉnh thành"
        if info.unit and not _unit_ok(info.unit, span.text):
            if info.unit in _HARD_UNITS:
                continue  # "bao nhiêu tỷ đồng" is not answered by a percentage
            fit *= 0.2
        elif span.text.rsplit(None, 1)[-1] in _TIMES and info.unit not in _TIMES:
            fit *= 0.4  # "trong 6 tháng" does not answer a question that asks no span of time
        elif not re.search(r"\D\s*$", span.text):  # a bare number: weaker than one with a unit
            fit *= 0.8
        local = _local(info, sentence, span, abbreviations)
        out.append(
            Candidate(_number_key(span.text), span.text, ev.support * fit * (0.4 + 0.6 * local), ev)
        )
    return out


# Words after "bao nhiêu" that do not name what is counted: "tăng bao nhiêu so với …".
_NOT_COUNTED = frozenset(("so", "len", "xuong", "tro", "vao", "khi"))


# Nouns things are counted in (folded first syllable), and units of time: a figure followed
# by one counts that ("34 tỉnh"). A unit of time is mostly read into the span ("6 tháng"), but
# not before a figure ("3 năm 2024-2026"), and "quý" never is.
_COUNT_WORDS = """tinh thanh huyen xa phuong thi so bo nganh co don vi nguoi ho doanh du truong lop
    can cong hoi diem luot van nhiem ban chuong de quy"""
_COUNT_NOUNS = frozenset(_COUNT_WORDS.split()) | {fold_diacritics(u) for u in TIME_UNITS}


def _counts_other(sentence: str, span: Span, noun: tuple[str, ...]) -> bool:
    """Whether the figure at `span` counts another noun than the asked one.

    >>> s = "cán bộ xã của 34 tỉnh thành tham dự"
    >>> _counts_other(s, Span(14, 16, "34"), ("can", "bo")), _counts_other(s, Span(14, 16, "34"), ("tinh",))
    (True, False)
    """
    if not noun or not span.text[-1:].isdigit():
        return False
    m = re.match(r"\s*(\w+)", sentence[span.end :])
    nxt = fold_diacritics(m.group(1)).lower() if m else ""
    return nxt in _COUNT_NOUNS and nxt != noun[0]


# Words that end the counted noun after "bao nhiêu", as written: with diacritics "cơ quan" is
# no "có" and "cán bộ" no "cần"; a question typed without them is read folded.
_NOUN_STOP_WORDS = "được đã sẽ cần phải trong tại của theo cho và với là năm đến vào thì có"
_NOUN_STOP_MARKED = frozenset(_NOUN_STOP_WORDS.split())
_NOUN_STOP = frozenset(fold_diacritics(w) for w in _NOUN_STOP_MARKED)


@lru_cache(maxsize=256)
def _asked_noun(question: str) -> tuple[str, ...]:
    """Folded words the question counts after "bao nhiêu".

    >>> _asked_noun("Có bao nhiêu công trình xanh?"), _asked_noun("bao nhiêu cơ quan trực thuộc?")
    (('cong', 'trinh', 'xanh'), ('co', 'quan', 'truc', 'thuoc'))
    """
    low = canonical(question).lower()
    marked = fold_diacritics(low) != low
    toks = re.findall(r"\w+", low)
    folded = [fold_diacritics(t) for t in toks]
    at = next((i for i in range(len(folded) - 1) if folded[i : i + 2] == ["bao", "nhieu"]), None)
    if at is None:
        return ()
    out: list[str] = []
    for t, w in zip(toks[at + 2 : at + 6], folded[at + 2 : at + 6], strict=True):
        if (t in _NOUN_STOP_MARKED) if marked else (w in _NOUN_STOP):
            break
        out.append(w)
    return tuple(out)


def _with_noun(sentence: str, span: Span, noun: tuple[str, ...]) -> Span:
    """`span` grown by the words after it that repeat the question's counted noun:
    "1.200" + "công trình xanh" when asked "bao nhiêu công trình xanh".

    >>> _with_noun("đạt 1.200 công trình xanh được", Span(4, 9, "1.200"), ("cong", "trinh", "xanh")).text
    '1.200 công trình xanh'
    >>> _with_noun("53\\nXã Hàm Thuận Bắc", Span(0, 2, "53"), ("xa",)).text
    '53'
    """
    if not noun or not span.text[-1:].isdigit():  # a unit already follows the figure
        return span
    end = span.end
    for want, m in zip(noun, re.finditer(r"\s*(\w+)", sentence[span.end :]), strict=False):
        if fold_diacritics(m.group(1)).lower() != want:
            break
        if "\n" in m.group(0) and m.group(1)[0].isupper():
            break  # "53\nXã Hàm Thuận Bắc": a table's row index, then the next cell's name
        end = span.end + m.end()
    return Span(span.start, end, sentence[span.start : end]) if end > span.end else span
