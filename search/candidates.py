"""Answer candidates inside one sentence: dates, quantities, document numbers, person names.

Each finder returns `Span(start, end, text)` with offsets into the sentence, so
the engine can cite it verbatim and measure how close it sits to the
question's words.

>>> [s.text for s in find_quantities("Phấn đấu tăng trưởng GRDP từ 7,0 - 7,5%; thu hút 400 triệu USD.")]
['từ 7,0 - 7,5%', '400 triệu USD']
>>> [s.text for s in find_dates("Nghị định số 98/2021/NĐ-CP ngày 08/11/2021, trong tháng 01/2023")]
['ngày 08/11/2021', 'trong tháng 01/2023']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.header_lines import person_name
from search.question import NUMBER_RE, TIME_UNITS


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


_NUM = r"\d+(?:[.,]\d+)*"
# A figure spelled with its magnitudes: "1 tỷ 784 triệu 400 ngàn USD".
_MAGNITUDE = r"(?:nghìn|ngàn)\s+tỷ|tỷ|triệu|nghìn|ngàn"
_SPELLED = rf"(?:\s+(?:{_MAGNITUDE})\s+{_NUM}(?![.,]?\d))*"
_UNITS = (
    f"%|(?:{_MAGNITUDE})\\s+(?:đồng|USD|VNĐ)|đồng|USD|VNĐ|ha|héc ta|MW|kW|km|"
    "người|lao động|doanh nghiệp|xã|huyện|giải|bậc|lượt|TN|thanh niên|dịch vụ|quyết định|đề tài|"
    "giường bệnh/vạn dân|giường|hộ|dự án|trường|tấn|con|học sinh|nội dung|Chương trình|đơn vị|"
    # A span of time, not a date: "05 năm", "8 giờ"; "12 năm 2025" is part of a date.
    rf"(?:{'|'.join(TIME_UNITS)})(?!\s*\d)"
)
# A unit may be hard-wrapped across lines ("980 doanh\nnghiệp"), so any whitespace joins its words.
_UNIT = _UNITS.replace(" ", r"\s+")
_QTY = re.compile(
    rf"(?<![\w/.,-])(?:(?:từ|ít nhất|tối thiểu|tối đa|dưới|trên|khoảng|không quá|đạt|hơn)\s+|[≥≤><]=?\s*)?"
    rf"({_NUM})(?:/(\d{{1,4}}))?{_SPELLED}(?:\s*%)?(?:\s*(?:-|–|đến)\s*{_NUM}(?:\s*%)?)?(?:\s*(?:{_UNIT}))?"
    r"(?:/[^\W\d_]+)*(?![\w/])"  # a rate keeps its period: "8,4%/năm", "4,2 triệu đồng/người"
)
# A deadline's own words belong to the answer: "trước ngày 30/11/2025", not "30/11/2025".
_LIMIT = r"(?:(?:trước|chậm nhất(?:\s+là)?|không quá|kể từ|hoàn thành trước|đến hết)\s+)?"
# A time of day belongs to its date: "trước 17 giờ ngày 27/11/2025", "từ 18h00 ngày 22/11/2025".
_TIME = r"\d{1,2}\s*(?:giờ|h)(?:\s*\d{2}(?:\s*phút)?)?(?!\w)"
_AT = rf"(?:{_TIME}\s*,?\s+)?"
_DATE_PATTERNS = (
    _LIMIT + _AT + r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}",
    _LIMIT + _AT + r"(?:ngày\s+)?(?<![\d/.])\d{1,2}[/.-]\d{1,2}[/.-]\d{4}(?![\d/])",
    r"(?:trước\s+)?ngày\s+\d{1,2}\s+tháng\s+cuối\s+(?:quý|năm)",
    # A date that comes back every year or month: "ngày 15 tháng 12 hằng năm", "15/12 hàng năm".
    _LIMIT + r"(?:ngày\s+)?\d{1,2}(?:\s+tháng\s+|/)\d{1,2}\s+(?:hằng|hàng)\s+năm",
    _LIMIT + r"ngày\s+\d{1,2}\s+(?:hằng|hàng)\s+tháng",
    r"(?:trong\s+)?tháng\s+\d{1,2}(?:/|\s+năm\s+)\d{4}",
    r"(?:trong\s+)?quý\s+(?:I{1,3}|IV|[1-4])(?:/|\s+năm\s+)\d{4}",
    r"(?:giai đoạn\s+)?\d{4}\s*[-–]\s*\d{4}",
    r"năm\s+\d{4}",
    # A time alone, with the word that makes it a time limit: "trước 15 giờ hằng ngày".
    rf"(?:trước|sau|lúc|từ|đến)\s+{_TIME}(?:\s+(?:hằng|hàng|mỗi)\s+ngày)?",
)
_DATE = re.compile("|".join(f"(?:{p})" for p in _DATE_PATTERNS), re.IGNORECASE)
_TYPED_NUMBER = re.compile(
    r"(?:(?:Nghị quyết|Nghị định|Quyết định|Kế hoạch|Công văn|Thông báo|Chỉ thị|Tờ trình|Thông tư|"
    r"Chương trình hành động|Chương trình|Đề án|Kết luận)\s+(?:số\s+)?)?"
)


def bracket_opening(sentence: str, start: int) -> int:
    """Where the bracket that `start` sits inside opens, or -1 outside any bracket.

    >>> bracket_opening("QĐ 22 (sửa đổi bởi QĐ 13) và QĐ 5", 19), bracket_opening("QĐ 22 (sửa) và QĐ 5", 15)
    (6, -1)
    """
    opening = sentence.rfind("(", 0, start)
    return -1 if opening < 0 or ")" in sentence[opening:start] else opening


def find_dates(sentence: str) -> list[Span]:
    """Date expressions: full dates, months, quarters, year ranges, "ngày 15 tháng cuối quý", years,
    times of day.

    >>> [s.text for s in find_dates("báo cáo trước 17 giờ ngày 27/11/2025; trước 15 giờ hằng ngày")]
    ['trước 17 giờ ngày 27/11/2025', 'trước 15 giờ hằng ngày']
    >>> [s.text for s in find_dates("gửi về Sở, hạn cuối ngày 15 tháng 12 hàng năm")]
    ['ngày 15 tháng 12 hàng năm']
    """
    out: list[Span] = []
    for m in _DATE.finditer(sentence):
        out.append(Span(m.start(), m.end(), m.group(0)))
    return out


def _inside(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(s <= a and b <= e for s, e in spans)


_LABEL_BEFORE = re.compile(
    r"(?<!\w)(?:điều|khoản|điểm|tiết|mục|chương|phần|phụ lục|biểu|mẫu)\s+(?:số\s+)?$", re.IGNORECASE
)


def _fraction(top: str, bottom: str) -> bool:
    """Whether "top/bottom" reads as a share ("80/97 nội dung") rather than a date.

    >>> _fraction("80", "97"), _fraction("12", "2023"), _fraction("5", "8")
    (True, False, False)
    """
    if not top.isdigit():
        return False
    a, b = int(top), int(bottom)
    return 0 < a <= b and not re.fullmatch(r"(?:19|20)\d\d", bottom) and not (a <= 31 and b <= 12)


def find_quantities(sentence: str) -> list[Span]:
    """Numbers with their range, qualifier and unit; dates, years and document numbers are skipped.

    >>> [s.text for s in find_quantities("ngày 19/01/2023, Kế hoạch 370/KH-UBND: đạt 95,01%")]
    ['đạt 95,01%']
    >>> [s.text for s in find_quantities("Điều 1. Giữ nguyên giá tại khoản 2 Điều 3")]
    []
    >>> [s.text for s in find_quantities("(1) Lãi suất giảm từ 6,6%/năm xuống 6,24%/năm")]
    ['từ 6,6%/năm', '6,24%/năm']
    >>> [s.text for s in find_quantities("thí điểm trong thời hạn 05 năm; lái tối đa 8 giờ")]
    ['05 năm', 'tối đa 8 giờ']
    >>> [s.text for s in find_quantities("triển khai được 80/97 nội dung; tháng 12/2023")]
    ['80/97 nội dung']
    >>> [s.text for s in find_quantities("ước đạt 1 tỷ 784 triệu 400 ngàn USD; khoảng 980 doanh\\nnghiệp")]
    ['đạt 1 tỷ 784 triệu 400 ngàn USD', 'khoảng 980 doanh\\nnghiệp']
    """
    blocked = [(s.start, s.end) for s in find_dates(sentence)]
    blocked += [(m.start(), m.end()) for m in NUMBER_RE.finditer(sentence)]
    out: list[Span] = []
    for m in _QTY.finditer(sentence):
        a, b = m.start(), m.end()
        text = sentence[a:b].rstrip()
        b = a + len(text)
        digits = m.group(1)
        if _inside(blocked, m.start(1), m.end(1)):
            continue
        if m.group(2) and not _fraction(digits, m.group(2)):
            continue  # "12/2023", "5/8": a month or a day, not a share
        has_unit = not text.endswith(digits) or "%" in text
        if not has_unit and re.fullmatch(r"(?:19|20)\d\d", digits):
            continue  # a bare year
        if not has_unit and _LABEL_BEFORE.search(sentence[max(0, m.start(1) - 12) : m.start(1)]):
            continue  # "Điều 1", "khoản 2": where a provision sits, never a quantity
        line_start = sentence.rfind("\n", 0, a) + 1
        if (
            not has_unit
            and not sentence[line_start:a].strip()
            and re.match(r"\d+\s*[.)]", sentence[m.start(1) :])
        ):
            continue  # a list marker "2."
        if (
            not has_unit
            and sentence[m.end(1) : m.end(1) + 1] == ")"
            and re.fullmatch(r"\s*\(", sentence[line_start : m.start(1)])
        ):
            continue  # a list marker "(1)"
        out.append(Span(a, b, text))
    return out


_CHANGE = re.compile(
    rf"(?<![\w/.,])(?:từ\s+)?{_NUM}(?:\s*%|\s+[^\s\d;,()]+){{0,2}}\s+(?:lên|xuống|đến|tới)\s+"
    rf"(?:mức\s+)?{_NUM}(?:\s*%|\s+[^\s\d;,()]+(?=[\s;,.)]|$)){{0,1}}"
)


def find_changes(sentence: str) -> list[Span]:
    """A figure going from one value to another ("4,246 tr/người/tháng lên 4,617 tr/người/tháng").

    >>> [s.text for s in find_changes("thu nhập (4,246 tr/người/tháng lên 4,617 tr/người/tháng);")]
    ['4,246 tr/người/tháng lên 4,617 tr/người/tháng']
    """
    return [Span(m.start(), m.end(), m.group(0)) for m in _CHANGE.finditer(sentence)]


def find_doc_numbers(sentence: str) -> list[Span]:
    """Document numbers, with their type when written before them ("Nghị định số 07/2023/NĐ-CP").

    >>> [s.text for s in find_doc_numbers("theo Nghị quyết số 01/NQ-CP và 68-CTr/TU")]
    ['Nghị quyết số 01/NQ-CP', '68-CTr/TU']
    """
    out: list[Span] = []
    for m in NUMBER_RE.finditer(sentence):
        head = sentence[max(0, m.start() - 40) : m.start()]
        t = re.search(_TYPED_NUMBER.pattern + r"$", head)
        a = m.start() - (len(t.group(0)) if t and t.group(0) else 0)
        out.append(Span(a, m.end(), sentence[a : m.end()]))
    return out


# A middle name's syllable that also starts a common noun, and the nouns it starts.
_NOUN_COMPOUNDS = {
    ("văn", w) for w in ("phòng", "bản", "hóa", "hoá", "thư", "kiện", "minh", "nghệ", "học")
}


def find_person_names(sentence: str) -> list[Span]:
    """Vietnamese personal names (a known surname, 2-5 capitalised syllables).

    >>> [s.text for s in find_person_names("kỷ niệm 110 năm ngày sinh đồng chí Huỳnh Tấn Phát;")]
    ['Huỳnh Tấn Phát']
    >>> [s.text for s in find_person_names("Phó Chủ nhiệm Văn phòng Chính phủ Đỗ Ngọc\\nHuỳnh, đại")]
    ['Đỗ Ngọc Huỳnh']
    >>> find_person_names("- Lưu Văn phòng Tỉnh uỷ. HTTB - 80")
    []
    """
    out: list[Span] = []
    for a, b in _capitalised_runs(sentence):
        nxt = re.match(r" ([^\W\d_]+)", sentence[b:])
        if nxt and (sentence[a:b].split()[-1].lower(), nxt.group(1)) in _NOUN_COMPOUNDS:
            continue  # "Lưu Văn phòng Tỉnh ủy": the run ends inside a noun, not a name
        toks = list(re.finditer(r"\S+", sentence[a:b]))
        for t in toks[:-1]:  # drop leading capitalised non-name words ("Tổng Bí thư")
            cand = " ".join(sentence[a + t.start() : b].split())
            if person_name(cand) == cand:
                out.append(Span(a + t.start(), b, cand))
                break
    return out


def _capitalised_runs(sentence: str) -> list[tuple[int, int]]:
    """Spans of 2+ consecutive Title-case words separated by single spaces (or one wrap)."""
    runs: list[tuple[int, int]] = []
    start = end = None
    for m in re.finditer(r"[^\W\d_]+", sentence):
        w = m.group(0)
        title = w[0].isupper() and (len(w) == 1 or w[1:].islower())
        gap = sentence[end : m.start()] if start is not None else ""
        # A hard wrap may split a three-syllable name after two: "Đỗ Ngọc\nHuỳnh".
        wrapped = gap == "\n" and len(sentence[start:end].split()) == 2
        if title and start is not None and (gap == " " or wrapped):
            end = m.end()
            continue
        if start is not None and len(sentence[start:end].split()) >= 2:
            runs.append((start, end))
        start, end = (m.start(), m.end()) if title else (None, None)
    if start is not None and len(sentence[start:end].split()) >= 2:
        runs.append((start, end))
    return runs
