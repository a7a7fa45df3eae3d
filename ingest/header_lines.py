"""Line-level recognisers for the parts of an official document's header and closing.

Shared by `ingest.split` (where does a document begin?) and `ingest.metadata`
(what does its header say?). Everything works on raw NFC text: hard wraps,
Markdown table pipes, OCR without diacritics. Matching is done on a folded,
length-preserving view (`fold_keep`) so offsets found there index the original.

>>> is_quoc_hieu("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
True
>>> title_type("**KẾ HOẠCH**")
'Kế hoạch'
>>> person_name("[Chữ ký] Võ Đức Trọng")
'Võ Đức Trọng'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass


def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:
        return ch
    base = unicodedata.normalize("NFD", low)[0]
    return "d" if base in "đð" else base


@functools.cache
def _fold_table() -> dict[int, str]:
    # Latin-1, Latin Extended-A/B and Latin Extended Additional (all Vietnamese letters).
    codes = [*range(0x41, 0x250), *range(0x1E00, 0x1F00)]
    return {c: _fold_char(chr(c)) for c in codes if _fold_char(chr(c)) != chr(c)}


def fold_keep(text: str) -> str:
    """Lower-case, mark-free copy of `text` with exactly the same length.

    >>> fold_keep("Số: 3646 /SYT-VP, ngày 19")
    'so: 3646 /syt-vp, ngay 19'
    """
    low = text.lower()
    if len(low) == len(text) and not _COMBINING.search(text):
        # Fast path: every NFC character decomposes to one base letter plus marks.
        fast = (
            _COMBINING.sub("", unicodedata.normalize("NFD", low))
            .replace("đ", "d")
            .replace("ð", "d")
        )
        if len(fast) == len(text):
            return fast
    return text.translate(_fold_table())


_COMBINING = re.compile(r"[\u0300-\u036f]")


@dataclass(frozen=True)
class Line:
    """One physical line: its text (without the newline) and its offsets."""

    start: int
    end: int
    text: str

    @functools.cached_property
    def key(self) -> str:
        """fold_keep(text), computed on first use: most lines of a long body never need it."""
        return fold_keep(self.text)

    @property
    def bare(self) -> str:
        """The line without table pipes, Markdown emphasis, bullets of dots and edge blanks."""
        return _BARE.sub(" ", self.text).strip()


_BARE = re.compile(r"[|*_#`]+|\s+")


def split_lines(text: str) -> list[Line]:
    """Every line of `text` with its span; the spans tile the text except the newlines."""
    lines: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        lines.append(Line(pos, end, raw))
        pos = end + 1
    return lines


# Cheap searches on the raw text (any case, with or without diacritics) that locate
# the few lines worth folding, line by line: "Nơi nhận", "Thời gian ký".
NOI_NHAN_RAW = re.compile(r"\bn\wi\s+nh\wn\b", re.IGNORECASE)
SIGN_TIME_RAW = re.compile(r"th\w{1,2}i\s+gian\s+k\w\b", re.IGNORECASE)


def is_blank_or_rule(s: str) -> bool:
    """True for lines carrying nothing: blanks, `-----`, pipes, bullets, stars."""
    return not re.sub(r"[\s|*_#\-—–=•·.…]+", "", s)


def upper_ratio(s: str) -> float:
    """Share of letters that are upper case (1.0 for "SỞ Y TẾ")."""
    letters = sum(map(str.isalpha, s))
    return sum(map(str.isupper, s)) / letters if letters else 0.0


def is_upper_line(s: str) -> bool:
    if len(s) > 400:  # header and signature lines are short; skip body paragraphs cheaply
        return False
    letters = sum(map(str.isalpha, s))
    return letters >= 2 and sum(map(str.isupper, s)) >= 0.85 * letters


QUOC_HIEU = re.compile(
    r"c[o0]ng\s+h[o0]a\s+xa\s+h[o0]i\s+ch[uư]\s+ngh[il1]a\s+v[il1][eê]t\s+nam"
    r"|dang\s+c[o0]ng\s+san\s+v[il1]et\s+nam"
)


def is_quoc_hieu(s: str) -> bool:
    """The national motto (or the Party's) printed in upper case, not a mention in a sentence."""
    m = QUOC_HIEU.search(fold_keep(s))
    return bool(m) and upper_ratio(s[m.start() : m.end()]) >= 0.8


def is_motto(text: str, start: int, end: int) -> bool:
    """`text[start:end]` (a QUOC_HIEU match) is a printed motto, not quoted in a sentence.

    >>> s = "TÓM TẮT TIỂU SỬ ... QUỐC HỘI NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM (KHÓA XV)"
    >>> is_motto(s, s.index("CỘNG"), s.index(" (KH"))
    False
    """
    if upper_ratio(text[start:end]) < 0.8:
        return False
    line_end = text.find("\n", end)
    tail = fold_keep(text[end : len(text) if line_end < 0 else line_end]).strip(" |*_-\t")
    head = fold_keep(text[max(0, start - 6) : start]).strip()
    return not head.endswith("nuoc") and (not tail or tail.startswith("doc lap"))


# Title words as printed (folded) -> canonical document type.
DOC_TYPES = {
    "ke hoach": "Kế hoạch",
    "bao cao": "Báo cáo",
    "thong bao": "Thông báo",
    "cong van": "Công văn",
    "quyet dinh": "Quyết định",
    "chi thi": "Chỉ thị",
    "nghi quyet": "Nghị quyết",
    "cong dien": "Công điện",
    "to trinh": "Tờ trình",
    "luat": "Luật",
    "bo luat": "Luật",
    "nghi dinh": "Nghị định",
    "thong tu": "Thông tư",
    "thong tu lien tich": "Thông tư liên tịch",
    "huong dan": "Hướng dẫn",
    "ket luan": "Kết luận",
    "chuong trinh": "Chương trình",
    "de an": "Đề án",
    "phap lenh": "Pháp lệnh",
    "quy dinh": "Quy định",
    "quy che": "Quy chế",
    "bien ban": "Biên bản",
    "giay moi": "Giấy mời",
    "lenh": "Lệnh",
    "van ban hop nhat": "Văn bản hợp nhất",
}

# Type codes inside a số ký hiệu ("370/KH-UBND", "1737-TB/VPTU") -> document type.
TYPE_CODES = {
    "KH": "Kế hoạch",
    "BC": "Báo cáo",
    "TB": "Thông báo",
    "QĐ": "Quyết định",
    "QD": "Quyết định",
    "CT": "Chỉ thị",
    "NQ": "Nghị quyết",
    "CĐ": "Công điện",
    "TTR": "Tờ trình",
    "NĐ": "Nghị định",
    "ND": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "HD": "Hướng dẫn",
    "KL": "Kết luận",
    "CTR": "Chương trình",
    "ĐA": "Đề án",
    "VBHN": "Văn bản hợp nhất",
    "BB": "Biên bản",
    "GM": "Giấy mời",
    "CV": "Công văn",
    "PL": "Pháp lệnh",
}


def title_type(s: str) -> str | None:
    """Document type when `s` is a stand-alone upper-case title line ("THÔNG BÁO"), else None.

    The enacting formula "QUYẾT ĐỊNH:" and mentions inside sentences do not count.
    """
    if len(s) > 60:
        return None
    bare = re.sub(r"[|*_#`]+", " ", s).strip()
    if not bare or bare.endswith(":") or not is_upper_line(bare):
        return None
    key = re.sub(r"\s+", " ", fold_keep(bare)).strip(" .")
    return DOC_TYPES.get(key)


# Titles a signer signs under (folded); "phó" may precede any of them.
ROLE_TITLES = (
    "chu tich", "giam doc", "bo truong", "thu truong", "cuc truong", "chanh van phong", "bi thu",
    "truong ban", "thu tuong", "tong giam doc", "chu nhiem", "vien truong", "tong cuc truong",
    "chi cuc truong", "truong phong", "thong doc", "tong kiem toan", "chanh an", "hieu truong",
    "truong doan", "tong thu ky", "thu ky",
)  # fmt: skip
# Signing "on behalf of" (TM.), "for" (KT.), "by order of" (TL., TUQ.), "acting" (Q.).
SIGN_PREFIX = r"(?:tm|kt|tl|tuq|q|ttl)\s*\."
_TITLES_RE = "|".join(t.replace(" ", r"\s+") for t in ROLE_TITLES)
_ROLE = re.compile(rf"^(?:{SIGN_PREFIX}|(?:pho\s+)?(?:{_TITLES_RE})\b)")


def is_role_line(s: str) -> bool:
    """An upper-case signature-block line: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "GIÁM ĐỐC".

    >>> [is_role_line(s) for s in ("TM. ỦY BAN NHÂN DÂN", "KT.CHỦ TỊCH", "PHÓ GIÁM ĐỐC", "CHỦ YẾU")]
    [True, True, True, False]
    """
    if len(s) > 160:
        return False
    bare = re.sub(r"[|*_#`]+", " ", s).strip()
    return is_upper_line(bare) and bool(_ROLE.match(fold_keep(bare)))


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_SURNAMES = _wordset(
    "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dao doan vuong "
    "trinh truong lam phung mai to ha ta luong luu dinh cao chu chau quach thai tang kieu la "
    "lai trieu dam ton giang khong mac than hua diep au nong lo luc hau quan ninh tu khuc "
    "thach kim bach phi ong man nghiem an han lac vien y sam ksor h nie"
)
_MIDDLES = _wordset("van thi duc ngoc hong thanh quoc huu cong xuan minh anh kim thu dinh")
_SYLLABLE = re.compile(r"^[A-ZĐÀ-Ỹ][a-zđà-ỹ]*$")
# Title-case words that never occur in a person's name (compared in lower case, not folded).
# "Chính" is a given name (Phạm Minh Chính); "Chính phủ" is still caught by "phủ".
_NOT_NAME = _wordset(
    "ủy uỷ ban sở bộ tỉnh phố huyện phòng ký gửi nhận trên như phủ hội cộng xã "
    "độc lập thời gian bởi cơ email ngày tháng năm số điều đường phường quận"
)


def person_name(s: str) -> str | None:
    """The Vietnamese person name that ends line `s` ("Trần Ngọc Tam"), or None.

    Two to five capitalised syllables with a known surname or middle name; an
    upper-case role prefix or signature noise before the name is tolerated.
    """
    if len(s) > 200:
        return None
    bare = re.sub(r"\[[^\]]*\]|\([^)]*\)|[|*_#`:;,.]+", " ", s).split()
    if not bare or bare[0] in "-+•":
        return None
    run: list[str] = []
    for tok in reversed(bare):
        if _SYLLABLE.match(tok) and len(run) < 5:
            run.insert(0, tok)
        else:
            break
    head = bare[: len(bare) - len(run)]
    if len(run) < 2 or any(not is_upper_line(t) for t in head if any(c.isalpha() for c in t)):
        return None
    if any(t.lower() in _NOT_NAME for t in run):
        return None
    folded = [fold_keep(t) for t in run]
    if folded[0] in _SURNAMES or (len(run) >= 3 and folded[1] in _MIDDLES):
        return " ".join(run)
    return None
