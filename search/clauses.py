"""Answers to list and open questions: the phrase of a sentence that completes the question.

"Những CCN nào …?" is answered by what follows "CCN" in the sentence ("CCN:
Mỹ Lợi, Long Bình, Vĩnh Hựu"); "Chủ đề … là gì?" by the quotation the
sentence introduces with the question's words; otherwise by the clause that
carries the question's words. Answers stay short: a pasted paragraph is not
an answer. Pure functions over strings.

>>> head_words("Những CCN nào cần thực hiện thủ tục đánh giá?")
('ccn',)
>>> s = "thực hiện các thủ tục đánh giá lựa chọn chủ đầu tư hạ tầng các CCN: Mỹ Lợi, Long Bình, Vĩnh Hựu."
>>> head_phrase(s, ("ccn",), ("thuc", "hien")).text
'CCN: Mỹ Lợi, Long Bình, Vĩnh Hựu'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from ingest.text import fold_diacritics
from search.candidates import Span
from search.question import WHERE_QUESTION

# Question words before "nào" that are no part of the noun asked for.
_NOT_HEAD = frozenset(
    [
        "nhung",
        "cac",
        "moi",
        "loai",
        "nhom",
        "doi",
        "voi",
        "cua",
        "tu",
        "den",
        "o",
        "tai",
        "trong",
        "la",
        "gom",
    ]
)
_QUOTE = re.compile(r"[“\"]((?:[^”\"\n]|\n(?!\s*\n)){3,300})[”\"]")  # hard wraps allowed
# A clause ends at these. A single line break does not: sentences reach here already cut at
# item lines (search.evidence), so a break inside one is a hard wrap ("Trường Đại học\nTây Nam bộ").
_END = re.compile(r"[;.!?]\s|;|\n\s*\n|\.$|\[\d+\]")
MAX_WORDS = 24  # answer length cap: the metric allows 20 tokens beyond the expected text
MAX_LIST_WORDS = 40  # a list answer may be longer: every item has to be there


def _folded_tokens(text: str) -> list[tuple[str, int, int]]:
    """(folded word, start, end) for each word; folding keeps offsets when lengths agree."""
    folded = fold_diacritics(text)
    src = folded if len(folded) == len(text) else text
    out = []
    for m in re.finditer(r"\w+", src):
        out.append((fold_diacritics(m.group(0)).lower(), m.start(), m.end()))
    return out


def head_words(question: str) -> tuple[str, ...]:
    """Folded words of the noun the question asks to complete ("những tỉnh nào" -> ('tinh',)).

    >>> head_words("Bến Tre hoàn thiện các chuỗi giá trị nông sản nào gắn với vùng?")
    ('chuoi', 'gia', 'tri', 'nong', 'san')
    >>> head_words("Ở Điện Biên, ngành nào là ngành mũi nhọn?")
    ('nganh',)
    """
    spans = _folded_tokens(question)
    toks = [t for t, _, _ in spans]
    if "nao" not in toks:
        return ()
    i = toks.index("nao")
    head: list[str] = []
    for k in range(i - 1, max(-1, i - 6), -1):
        if toks[k] in _NOT_HEAD or re.search(r"[,;:]", question[spans[k][2] : spans[k + 1][1]]):
            break  # "Ở Điện Biên, ngành nào": the place is not part of the noun
        head.insert(0, toks[k])
    return tuple(head)


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " ,;:.-–+•*\t\n":
        a += 1
    while b > a and text[b - 1] in " ,;:.\t\n":
        b -= 1
    return a, b


def _trimmed(text: str, a: int, b: int) -> Span | None:
    """`text[a:b]` without edge punctuation, as a Span; None when nothing is left."""
    a, b = _trim(text, a, b)
    return Span(a, b, text[a:b]) if a < b else None


def _cap(text: str, a: int, b: int, words: int) -> int:
    toks = list(re.finditer(r"\S+", text[a:b]))
    return a + toks[words - 1].end() if len(toks) > words else b


def _close_bracket(text: str, a: int, b: int) -> int:
    """An end inside "( … )" moves past the ")": a bracket belongs to the name it follows.

    >>> s = "dự án cao tốc Gia Nghĩa (Đăk Nông) - Chơn Thành (Bình Phước). Tập trung"
    >>> s[: _close_bracket(s, 0, s.index("Bình"))]
    'dự án cao tốc Gia Nghĩa (Đăk Nông) - Chơn Thành (Bình Phước)'
    """
    if text.count("(", a, b) <= text.count(")", a, b):
        return b
    close = text.find(")", b, b + 80)
    return close + 1 if close != -1 else b


def clause_end(sentence: str, start: int, tail: Sequence[str] = (), words: int = MAX_WORDS) -> int:
    """Where the answer starting at `start` stops: clause end, a word pair of the question's
    remainder (`tail`, folded words after the asked noun), or the length cap.

    >>> s = "chuỗi giá trị dừa, bưởi da xanh, tôm biển gắn với xây dựng vùng sản xuất; củng cố"
    >>> s[: clause_end(s, 0, ("gan", "voi", "vung"))]
    'chuỗi giá trị dừa, bưởi da xanh, tôm biển'
    >>> s = "thành lập Tổ rà soát đầu tư công để nâng cao hiệu quả sử dụng vốn đầu tư công"
    >>> s[10 : clause_end(s, 10, ("de", "nang", "cao", "von", "dau", "tu", "cong"))]
    'Tổ rà soát đầu tư công'
    """
    m = _END.search(sentence, start)
    end = m.start() if m else len(sentence)
    if len(tail) >= 2:
        toks = [t for t in _folded_tokens(sentence) if start < t[1] < end]
        found = [(f"{w1} {w2}", s1) for (w1, s1, _), (w2, _, _) in pairwise(toks)]
        # Where the remainder itself starts ("để nâng cao …") beats any later pair of it:
        # "Tổ rà soát đầu tư công để nâng cao hiệu quả … vốn đầu tư công" keeps "đầu tư công".
        first = f"{tail[0]} {tail[1]}"
        pairs = {f"{x} {y}" for x, y in pairwise(tail)}
        cut = next((s1 for p, s1 in found if p == first), None)
        if cut is None:
            cut = next((s1 for p, s1 in found if p in pairs), None)
        if cut is not None:
            end = _close_bracket(sentence, start, len(sentence[:cut].rstrip()))
    return _cap(sentence, start, end, words)


def _name_end(text: str, a: int, b: int) -> int:
    """Where a proper name right after `a` stops at a comma ("Mekong, tạo điểm nhấn" -> "Mekong").

    >>> s = "phát triển Công viên phần mềm Mekong, tạo điểm nhấn quan trọng"
    >>> s[: _name_end(s, s.index(" Mekong"), len(s))]
    'phát triển Công viên phần mềm Mekong'
    >>> s = "Trường Đại học tại tỉnh, thuộc Đại học Quốc gia"
    >>> _name_end(s, s.index(" tại"), len(s)) == len(s)
    True
    """
    comma = text.find(", ", a, b)
    name = text[a:comma].split() if comma != -1 else []
    if name and all(w[0].isupper() or w[0].isdigit() or w[0] in "()" for w in name):
        return comma
    return b


def head_phrase(
    sentence: str,
    head: Sequence[str],
    tail: Sequence[str] = (),
    words: int = MAX_WORDS,
    single: bool = False,
) -> Span | None:
    """The asked noun's occurrence in the sentence and what follows it, up to the clause end.

    The longest run of `head` words that occurs wins ("chuỗi giá trị" for "chuỗi giá trị nông
    sản", "giáo viên" for "đối tượng giáo viên"). `single`: one thing is asked, so a name
    after the noun ends at its comma (a list answer keeps every item).
    """
    if not head:
        return None
    toks = _folded_tokens(sentence)
    words_only = [t for t, _, _ in toks]
    for n in range(len(head), 0, -1):
        # Of equally long runs, the one nearest "nào": the words before it may be a verb
        # ("phát triển thị xã nào": the noun is "thị xã").
        for part in dict.fromkeys(
            tuple(head[k : k + n]) for k in reversed(range(len(head) - n + 1))
        ):
            if n == 1 and len(head) > 1 and len(part[0]) < 4:
                continue  # one short word ("ke" of "kế hoạch") is no evidence of the noun
            found = []
            for i in range(len(toks) - n + 1):
                if tuple(words_only[i : i + n]) == part:
                    a = toks[i][1]
                    b = clause_end(sentence, toks[i + n - 1][2], tail, words)
                    if single:
                        b = _name_end(sentence, toks[i + n - 1][2], b)
                    a, b = _trim(sentence, a, b)
                    if b - a > len(sentence[toks[i][1] : toks[i + n - 1][2]]):
                        found.append(Span(a, b, sentence[a:b]))
            if found:
                return _best_parallel(sentence, found, head, tail)
    return None


def _best_parallel(
    sentence: str, spans: list[Span], head: Sequence[str], tail: Sequence[str]
) -> Span:
    """Of the asked noun's occurrences, the one whose own comma clause says what the question
    asks: "huyện A … đạt chuẩn nông thôn mới, huyện B … đạt chuẩn nông thôn mới nâng cao"
    answers "huyện nào đạt chuẩn nông thôn mới nâng cao" with B. An occurrence that only
    repeats the question's words ("chuẩn huyện nông thôn mới nâng cao") names nothing.

    >>> s = "huyện A đạt chuẩn mới, huyện B đạt chuẩn mới nâng cao"
    >>> spans = [Span(0, 7, "huyện A"), Span(23, 30, "huyện B")]
    >>> _best_parallel(s, spans, ("huyen",), ("dat", "chuan", "moi", "nang", "cao")).text
    'huyện B'
    """
    if len(spans) == 1 or not tail:
        return spans[0]
    asked = set(head) | set(tail)
    new = [s for s in spans if {w for w, _, _ in _folded_tokens(s.text)} - asked] or spans

    def fit(span: Span) -> int:
        m = _END.search(sentence, span.start)
        end = m.start() if m else len(sentence)
        comma = sentence.find(", ", span.end, end)
        clause = sentence[span.start : comma if comma != -1 else end]
        return len(set(tail) & {w for w, _, _ in _folded_tokens(clause)})

    return max(new, key=lambda s: (fit(s), -s.start))


# "do" / "vì" / "bởi" opening a cause, matched with its tone marks ("độ", "vi phạm" are not
# it); not "do đó" (therefore) nor "do Sở …" (by an agent, capitalised).
_CAUSE = re.compile(r"(?<!\w)(?:nguyên nhân (?:là|do)|do|vì|bởi)\s+(?!đó\b|vậy\b|thế\b)", re.I)


# Words between a subject and its predicate that are neither: "du lịch (phải được) xác định là".
_AUXILIARY = frozenset(
    ["phai", "can", "se", "da", "dang", "duoc", "bi", "cung", "van", "deu", "luon"]
)


def subject_before(sentence: str, tail: Sequence[str], run: int = 3) -> Span | None:
    """What the sentence puts where the question has "… nào": the words before the first
    `run` words in a row of the question's remainder (`tail`), back to the clause start.

    "Ngành nào phải được xác định là ngành kinh tế mũi nhọn?" is answered by the subject of
    the sentence that says "… phải được xác định là ngành kinh tế mũi nhọn". Auxiliaries
    and the question's own words are not part of the subject.

    >>> s = "Trong phát triển, du lịch phải được xác định là ngành kinh tế mũi nhọn, gắn với"
    >>> subject_before(s, ("phai", "duoc", "xac", "dinh", "la", "nganh")).text
    'du lịch'
    >>> subject_before(s, ("duoc", "bo", "yeu", "cau", "xac", "dinh", "la", "nganh")).text
    'du lịch'
    """
    toks = _folded_tokens(sentence)
    words = [t for t, _, _ in toks]
    at = None
    for j in range(len(tail) - run + 1):
        want = list(tail[j : j + run])
        at = next((i for i in range(1, len(words)) if words[i : i + run] == want), None)
        if at is not None:
            break
    if at is None:
        return None
    asked = set(tail)
    while at > 0 and (words[at - 1] in _AUXILIARY or words[at - 1] in asked):
        at -= 1
    if at == 0:
        return None
    end = toks[at - 1][2]
    start = max(sentence.rfind(c, 0, end) for c in ",;:.(") + 1
    start = max(start, toks[max(0, at - 8)][1])  # a subject is a few words, not a clause
    return _trimmed(sentence, start, end)


_BECOME = re.compile(
    r"\b(?:trở thành|thành)\s+(?!phố\b|viên\b|lập\b|công\b|phần\b|tích\b|thị\b)", re.I
)


def becomes(sentence: str, question: str, words: int = MAX_WORDS) -> Span | None:
    """For "… thành gì?": what the sentence says the thing becomes, after "trở thành" (or a
    "thành" right after one of the question's words), up to the clause end.

    >>> s = "Đề án phát triển Trung tâm dừa Đồng Gò trở thành Trung tâm nghiên cứu dừa. Xong"
    >>> becomes(s, "Bến Tre muốn đưa Trung tâm dừa Đồng Gò phát triển thành gì?").text
    'Trung tâm nghiên cứu dừa'
    """
    q = [t for t, _, _ in _folded_tokens(question)]
    if not re.search(r"\bthanh gi\b", " ".join(q)):
        return None
    asked = set(q) - {"thanh", "gi"}
    for m in _BECOME.finditer(sentence):
        before = _folded_tokens(sentence[: m.start()])[-1:]
        if m.group(0).lower().startswith("trở") or (before and before[0][0] in asked):
            span = _trimmed(sentence, m.end(), clause_end(sentence, m.end(), (), words))
            if span:
                return span
    return None


_LOCATIVE = frozenset(("tai", "o", "trong", "tren", "vao", "ve"))
_PLACE_WORDS = 12  # a place or a body is a short phrase
_AFTER_PLACE = re.compile(r",|\s(?:trước khi|sau khi|để|nhằm|khi)\s", re.I)


def located(sentence: str, question: str) -> Span | None:
    """For "… <verb> ở đâu?": what follows the verb's locative preposition in the sentence
    (tại, ở, trong, trên, vào, về), up to a comma, the clause end or the question's own rest.

    >>> s = "Các vấn đề đều được thảo luận, thống nhất trong Ban Cán sự đảng trước khi báo cáo."
    >>> located(s, "Các vấn đề được thống nhất ở đâu trước khi báo cáo?").text
    'Ban Cán sự đảng'
    """
    q = " ".join(t for t, _, _ in _folded_tokens(question))
    m = WHERE_QUESTION.search(q)
    before = q[: m.start()].split() if m else []
    if not before:
        return None
    verb, tail = before[-1], tuple(q[m.end() :].split())
    toks = _folded_tokens(sentence)
    for i, (w, _, _) in enumerate(toks):
        if w != verb:
            continue
        prep = next(
            (j for j in range(i + 1, min(i + 4, len(toks))) if toks[j][0] in _LOCATIVE), None
        )
        if prep is None:
            continue
        start = toks[prep][2]
        end = clause_end(sentence, start, tail, _PLACE_WORDS)
        # A place ends before a comma or a clause of its own ("… trước khi báo cáo").
        stop = _AFTER_PLACE.search(sentence, start, end)
        span = _trimmed(sentence, start, stop.start() if stop else end)
        if span:
            return span
    return None


def object_of(sentence: str, question: str, words: int = MAX_WORDS) -> Span | None:
    """For "… <two-word verb> (việc) gì?": what follows that verb in the sentence, up to the
    clause end.

    >>> s = "Danh sách xã miền núi kèm theo phục vụ công tác bầu cử đại biểu Quốc hội. Xong"
    >>> object_of(s, "Danh sách xã miền núi được dùng để phục vụ việc gì?").text
    'công tác bầu cử đại biểu Quốc hội'
    """
    q = [t for t, _, _ in _folded_tokens(question)]
    m = re.search(r"(?:^| )(\w+ \w+) (?:viec |dieu |cai )?gi$", " ".join(q))
    if not m:
        return None
    verb = m.group(1).split()
    toks = _folded_tokens(sentence)
    for (w1, _, _), (w2, _, e2) in pairwise(toks):
        if [w1, w2] == verb:
            span = _trimmed(sentence, e2, clause_end(sentence, e2, (), words))
            if span:
                return span
    return None


def cause_clause(sentence: str, words: int = MAX_WORDS, question: str = "") -> Span | None:
    """The cause a sentence gives, for "vì sao / tại sao / nguyên nhân" questions.

    A kind of cause the question names ("nguyên nhân chủ quan") is read where the sentence
    names that kind, not at its first cause.

    >>> s = "Thu ngân sách đạt thấp, do thị trường bất động sản trầm lắng, dẫn đến giảm thu."
    >>> cause_clause(s).text
    'thị trường bất động sản trầm lắng, dẫn đến giảm thu'
    >>> cause_clause("Kế hoạch do Sở Tài chính chủ trì xây dựng; trình độ cao.") is None
    True
    >>> s = "ngoài nguyên nhân khách quan do giá dầu; còn có nguyên nhân chủ quan như: thiếu vốn."
    >>> cause_clause(s, question="Nguyên nhân chủ quan là gì?").text
    'thiếu vốn'
    """
    kind = _QUALIFIED_CAUSE.search(" ".join(t for t, _, _ in _folded_tokens(question)))
    if kind:
        toks = _folded_tokens(sentence)
        want = ("nguyen", "nhan", *kind.group(1).split())
        for i in range(len(toks) - len(want) + 1):
            if tuple(t for t, _, _ in toks[i : i + len(want)]) == want:
                a = toks[i + len(want) - 1][2]
                lead = re.match(r"[\s:,]*(?:(?:là|do|như|gồm|bởi|vì)\b)?[\s:,]*", sentence[a:])
                a += lead.end() if lead else 0
                return _trimmed(sentence, a, clause_end(sentence, a, (), words))
    for m in _CAUSE.finditer(sentence):
        after = sentence[m.end() : m.end() + 1]
        if not after.isalpha() or after.isupper():
            continue
        span = _trimmed(sentence, m.end(), clause_end(sentence, m.end(), (), words))
        if span:
            return span
    return None


# "nguyên nhân chủ quan / khách quan / chính …": the kind of cause asked, up to its "của / là".
_QUALIFIED_CAUSE = re.compile(
    r"\bnguyen nhan ((?!cua|la|gi|do|nao)\w+(?: (?!cua|la|gi|do|nao|o)\w+)?)"
)

_PAREN = re.compile(r"\(([^()\n]{3,80})\)")


def aliased(sentence: str, focus: Sequence[str]) -> Span | None:
    """The other name, in brackets, of the thing the question names: "Đường tỉnh 864 (Đường
    dọc sông Tiền)" answers "Đường tỉnh 864 còn gọi là đường gì?".

    >>> aliased("các dự án như: Đường tỉnh 864 (Đường dọc sông Tiền); Cầu Tân Phong", ("duong", "864")).text
    'Đường dọc sông Tiền'
    """
    want = set(focus)
    if not want:
        return None
    best, best_score = None, 0.0
    for m in _PAREN.finditer(sentence):
        lead = {t for t, _, _ in _folded_tokens(sentence[max(0, m.start() - 60) : m.start()])[-6:]}
        score = len(want & lead) / len(want)
        if score > best_score:
            best, best_score = Span(m.start(1), m.end(1), " ".join(m.group(1).split())), score
    return best if best_score >= 0.6 else None


def quoted(sentence: str, focus: Sequence[str], question: str = "") -> Span | None:
    """The quotation whose lead-in (up to 15 words since the previous quote) names the question.

    A capitalised name in the lead-in that the question does not use ("Chính phủ" when the
    question asks about "Tỉnh ủy") means the quote belongs to someone else.

    >>> s = 'chủ đề của Chính phủ “Đoàn kết kỷ\\ncương” và của Tỉnh ủy là “Dân chủ - Kỷ cương”'
    >>> quoted(s, ("chu", "uy"), "Chủ đề của Tỉnh ủy là gì?").text
    'Dân chủ - Kỷ cương'
    >>> quoted(s, ("chu", "de", "dieu", "hanh", "uy"), "Chủ đề điều hành của Tỉnh ủy là gì?").text
    'Dân chủ - Kỷ cương'
    """
    best, best_score, prev = None, 0.0, 0
    want = set(focus)
    asked = {t for t, _, _ in _folded_tokens(question)}
    seen: set[str] = set()
    for m in _QUOTE.finditer(sentence):
        lead = _folded_tokens(sentence[prev : m.start()])[-15:]
        first = lead[0][1] if lead else 0
        foreign = sum(
            1 for t, a, _ in lead if a > first and sentence[prev + a].isupper() and t not in asked
        )
        # A parallel quote shares what precedes the first: "chủ đề của Chính phủ “…” và của
        # Tỉnh ủy là “…”" says "chủ đề" of both.
        parallel = prev > 0 and 0 < len(lead) <= 6 and lead[0][0] in ("va", "con")
        own = {t for t, _, _ in lead}
        seen |= own
        score = len(want & (seen if parallel else own)) / len(want) if want else 0.0
        score -= 0.25 * foreign
        if score > best_score:
            text = " ".join(m.group(1).split())
            best, best_score = Span(m.start(1), m.end(1), text), score
        prev = m.end()
    return best if best_score >= 0.3 else None


def focus_clause(sentence: str, focus: Sequence[str], words: int = MAX_WORDS) -> Span | None:
    """The ;-bounded clause of the sentence that holds most of `focus`, bullet marker trimmed."""
    want = set(focus)
    best, best_hits = None, 0
    pos = 0
    for part in [*re.split(r"(?<=;)\s*", sentence)]:
        a = sentence.find(part, pos)
        pos = a + len(part)
        hits = len(want & {t for t, _, _ in _folded_tokens(part)})
        if hits > best_hits:
            best, best_hits = (a, a + len(part)), hits
    if best is None:
        return None
    a, b = _trim(sentence, *best)
    a += len(re.match(r"(?:\(?\w{1,3}[.)]\s+)?", sentence[a:b]).group(0))
    return _trimmed(sentence, a, _cap(sentence, a, b, words))
