"""Administrative abbreviations: a built-in list plus ones learned from the corpus.

Vietnamese directives define abbreviations inline, "long form (ABBR)", and then
use only the short form; a query may use either. Learning the pairs from the
corpus itself covers local ones (names of programmes, agencies) that no list has.

>>> learn_abbreviations(["Phát triển các cụm công nghiệp (CCN) trên địa bàn."])
{'ccn': 'cụm công nghiệp'}
>>> abbr_key("KH&ĐT"), abbr_key("KT-XH")
('khdt', 'ktxh')
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from ingest.text import canonical, fold_diacritics, nfc

# An abbreviation as written: upper-case letters (Đ included), optionally joined by
# & or - (KH&ĐT, KT-XH, NN&PTNT). Lower-case words never count: "ca", "tp" are words.
ABBR_RE = re.compile(r"(?<![\w&-])[A-ZĐ]{2,}(?:[&-][A-ZĐ]+)*(?![\w&])")

# "(ABBR)" or "(sau đây gọi tắt là ABBR)"; the long form is the clause before it.
_DEFINE_RE = re.compile(
    r"\(\s*(?:(?:sau đây\s+)?(?:gọi|viết)\s+tắt\s+(?:là\s+)?)?"
    r"[\"“]?([A-ZĐ]{2,}(?:[&-][A-ZĐ]+)*)[\"”]?\s*\)"
)
_CLAUSE_END_RE = re.compile(r"[().,;:!?]")
_LOOKBACK = 200  # characters; long forms are a few words
_SYLLABLE_RE = re.compile(r"[^\W\d_]+")
# Connectors an abbreviation may skip ("Kế hoạch và Đầu tư (KH&ĐT)", "Sở Tài nguyên và Môi trường (TNMT)").
_SKIPPABLE = frozenset({"và", "của", "các"})

BUILTIN: dict[str, str] = {
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc",
    "MTTQ": "Mặt trận Tổ quốc",
    "UBTVQH": "Ủy ban thường vụ Quốc hội",
    "ĐBQH": "đại biểu Quốc hội",
    "VPCP": "Văn phòng Chính phủ",
    "KH&ĐT": "Kế hoạch và Đầu tư",
    "TN&MT": "Tài nguyên và Môi trường",
    "TNMT": "Tài nguyên và Môi trường",
    "GTVT": "Giao thông vận tải",
    "NN&PTNT": "Nông nghiệp và Phát triển nông thôn",
    "LĐTBXH": "Lao động Thương binh và Xã hội",
    "LĐ-TB&XH": "Lao động Thương binh và Xã hội",
    "VHTTDL": "Văn hóa Thể thao và Du lịch",
    "VH-TT&DL": "Văn hóa Thể thao và Du lịch",
    "TT&TT": "Thông tin và Truyền thông",
    "KH&CN": "Khoa học và Công nghệ",
    "GD&ĐT": "Giáo dục và Đào tạo",
    "BCHQS": "Ban Chỉ huy quân sự",
    "CHQS": "Chỉ huy quân sự",
    "LLVT": "lực lượng vũ trang",
    "QP-AN": "quốc phòng an ninh",
    "ANTT": "an ninh trật tự",
    "TTATXH": "trật tự an toàn xã hội",
    "TAND": "Tòa án nhân dân",
    "VKSND": "Viện kiểm sát nhân dân",
    "CAND": "Công an nhân dân",
    "QĐND": "Quân đội nhân dân",
    "BLHS": "Bộ luật hình sự",
    "BLDS": "Bộ luật dân sự",
    "TTHC": "thủ tục hành chính",
    "CCHC": "cải cách hành chính",
    "QLNN": "quản lý nhà nước",
    "ĐVHC": "đơn vị hành chính",
    "CBCCVC": "cán bộ công chức viên chức",
    "DVCTT": "dịch vụ công trực tuyến",
    "CSDL": "cơ sở dữ liệu",
    "CNTT": "công nghệ thông tin",
    "CTMTQG": "chương trình mục tiêu quốc gia",
    "NTM": "nông thôn mới",
    "KT-XH": "kinh tế xã hội",
    "CNH-HĐH": "công nghiệp hóa hiện đại hóa",
    "SXKD": "sản xuất kinh doanh",
    "KCN": "khu công nghiệp",
    "CCN": "cụm công nghiệp",
    "KKT": "khu kinh tế",
    "KCX": "khu chế xuất",
    "BQL": "Ban quản lý",
    "HTX": "hợp tác xã",
    "DNNVV": "doanh nghiệp nhỏ và vừa",
    "GRDP": "tổng sản phẩm trên địa bàn",
    "GDP": "tổng sản phẩm trong nước",
    "CPI": "chỉ số giá tiêu dùng",
    "FDI": "đầu tư trực tiếp nước ngoài",
    "NSNN": "ngân sách nhà nước",
    "XDCB": "xây dựng cơ bản",
    "ĐTC": "đầu tư công",
    "GPMB": "giải phóng mặt bằng",
    "ĐTM": "đánh giá tác động môi trường",
    "BVMT": "bảo vệ môi trường",
    "ATGT": "an toàn giao thông",
    "PCCC": "phòng cháy chữa cháy",
    "PCTN": "phòng chống tham nhũng",
    "ATTP": "an toàn thực phẩm",
    "VSATTP": "vệ sinh an toàn thực phẩm",
    "BHXH": "bảo hiểm xã hội",
    "BHYT": "bảo hiểm y tế",
    "BHTN": "bảo hiểm thất nghiệp",
    "THPT": "trung học phổ thông",
    "THCS": "trung học cơ sở",
    "ĐBSCL": "Đồng bằng sông Cửu Long",
    "HLHPN": "Hội Liên hiệp Phụ nữ",
    "CCB": "Cựu chiến binh",
    "TNCS": "Thanh niên Cộng sản",
    "NĐ-CP": "Nghị định Chính phủ",
    "HCM": "Hồ Chí Minh",
}


def abbr_key(abbr: str) -> str:
    """Lookup key of an abbreviation: folded, lower-case, separators dropped.

    So `KH&ĐT`, `KH-ĐT`, `KHĐT` and a diacritic-less `KHDT` share one entry.

    >>> abbr_key("HĐND")
    'hdnd'
    """
    return fold_diacritics(abbr).replace("&", "").replace("-", "")


def _initials_match(letters: str, words: list[str]) -> int | None:
    """Index in `words` where the long form starts, if `letters` are its initials.

    Matches right to left: the last letter must be the initial of the syllable just
    before the bracket; connectors (`và`) may be skipped inside the long form.
    Failing that, one letter per syllable pair (a two-syllable word) is tried.

    >>> _initials_match("khdt", ["Sở", "Kế", "hoạch", "và", "Đầu", "tư"])
    1
    >>> _initials_match("dtm", ["về", "đánh", "giá", "tác", "động", "môi", "trường"])
    1
    """
    i, j = len(letters) - 1, len(words) - 1
    while i >= 0 and j >= 0:
        word = words[j]
        if fold_diacritics(word[0]) == letters[i]:
            i, j = i - 1, j - 1
        elif word.lower() in _SKIPPABLE and i < len(letters) - 1:
            j -= 1
        else:
            break
    if i < 0:
        return j + 1
    # One letter per two-syllable word: "đánh giá tác động môi trường (ĐTM)".
    pairs = words[len(words) - 2 * len(letters) :]
    if len(pairs) == 2 * len(letters) and all(
        fold_diacritics(pairs[2 * k][0]) == c for k, c in enumerate(letters)
    ):
        return len(words) - len(pairs)
    return None


def learn_abbreviations(texts: Iterable[str]) -> dict[str, str]:
    """Abbreviations defined in `texts` as "long form (ABBR)", keyed by `abbr_key`.

    A key seen with several long forms keeps the most frequent one if it has at
    least two thirds of the votes; otherwise it is ambiguous and dropped.

    >>> learn_abbreviations(["Sở Kế hoạch và Đầu tư (KH&ĐT) chủ trì"])
    {'khdt': 'kế hoạch và đầu tư'}
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        # Only the long forms need one tone convention; canonicalising them alone is
        # much cheaper than the whole text.
        text = nfc(text)
        for m in _DEFINE_RE.finditer(text):
            key = abbr_key(m.group(1))
            clause = _CLAUSE_END_RE.split(text[max(0, m.start() - _LOOKBACK) : m.start()])[-1]
            words = _SYLLABLE_RE.findall(canonical(clause))
            start = _initials_match(key, words)
            if start is not None:
                votes[key][" ".join(words[start:]).lower()] += 1
    learned: dict[str, str] = {}
    for key, counter in votes.items():
        # Sort for determinism when counts tie.
        (best, n), *_ = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        if 3 * n >= 2 * sum(counter.values()):
            learned[key] = best
    return dict(sorted(learned.items()))


def merge_abbreviations(
    learned: Mapping[str, str], builtin: Mapping[str, str] = BUILTIN
) -> dict[str, str]:
    """One key -> long form table; the curated built-in list wins over learned entries.

    >>> merge_abbreviations({"ccn": "cụm cảng nội"})["ccn"]
    'cụm công nghiệp'
    """
    merged = {abbr_key(k): canonical(v).lower() for k, v in learned.items()}
    merged.update({abbr_key(k): canonical(v).lower() for k, v in builtin.items()})
    return dict(sorted(merged.items()))


def default_abbreviations() -> dict[str, str]:
    """The built-in table alone, in the key form `analyze` expects."""
    return merge_abbreviations({})
