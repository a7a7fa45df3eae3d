"""Vocabulary of Vietnamese administrative bodies, as regexes over folded text.

Everything here is matched on `fold_keep(text)` (lower case, no marks, same
length), so "Sở Công thương", "SỞ CÔNG THƯƠNG" and OCR's "So Cong Thuong" meet
the same pattern. Each entry pairs a folded pattern with the canonical spelling
used for display and as the matching key.

>>> import re
>>> canonical_field("so", "ke hoach & dau tu")
'Kế hoạch và Đầu tư'
"""

from __future__ import annotations

import re

# Department fields ("Sở <field>"). Official casing is irregular ("Công Thương",
# "Giao thông vận tải"), so the canonical spelling is listed, not computed.
SO_FIELDS: list[tuple[str, str]] = [
    (r"ke hoach\s*(?:va|&|-)\s*dau tu|kh\s*(?:&|va)\s*dt|khdt", "Kế hoạch và Đầu tư"),
    (r"tai chinh|tc(?=\s|$)", "Tài chính"),
    (r"cong thuong|ct(?=\s|$)", "Công Thương"),
    (
        r"nong nghiep\s*(?:va|&)\s*phat trien nong thon|nn\s*(?:&|va)\s*ptnt|nnptnt",
        "Nông nghiệp và Phát triển nông thôn",
    ),
    (r"nong nghiep\s*(?:va|&)\s*moi truong|nn\s*(?:&|va)\s*mt|nnmt", "Nông nghiệp và Môi trường"),
    (r"tai nguyen\s*(?:va|&)\s*moi truong|tn\s*(?:&|va)\s*mt|tnmt", "Tài nguyên và Môi trường"),
    (r"xay dung|xd(?=\s|$)", "Xây dựng"),
    (r"giao thong\s*(?:-\s*)?van tai|gtvt", "Giao thông vận tải"),
    (r"giao duc\s*(?:va|&)\s*dao tao|gd\s*(?:&|va)\s*dt|gddt", "Giáo dục và Đào tạo"),
    (r"y te", "Y tế"),
    (
        r"van hoa\s*,?\s*the thao\s*(?:va|&)\s*du lich|vh\s*,?\s*tt\s*(?:&|va)\s*dl|vhttdl",
        "Văn hóa, Thể thao và Du lịch",
    ),
    (r"van hoa\s*(?:va|&)\s*the thao", "Văn hóa và Thể thao"),
    (r"du lich", "Du lịch"),
    (
        r"lao dong\s*-?\s*thuong binh\s*(?:va|&)\s*xa hoi|ld\s*-?\s*tb\s*(?:&|va)\s*xh|ldtbxh",
        "Lao động - Thương binh và Xã hội",
    ),
    (r"noi vu|nv(?=\s|$)", "Nội vụ"),
    (r"tu phap|tp(?=\s|$)", "Tư pháp"),
    (r"khoa hoc\s*(?:va|&)\s*cong nghe|kh\s*(?:&|va)\s*cn|khcn", "Khoa học và Công nghệ"),
    (
        r"thong tin\s*(?:va|&)\s*truyen thong|tt\s*(?:&|va)\s*tt|tttt",
        "Thông tin và Truyền thông",
    ),
    (r"ngoai vu", "Ngoại vụ"),
    (r"dan toc\s*(?:va|&)\s*ton giao", "Dân tộc và Tôn giáo"),
    (r"quy hoach\s*-\s*kien truc", "Quy hoạch - Kiến trúc"),
]

# Bodies whose whole name (after the level suffix is removed) is fixed.
# Order matters: longer names first.
FIXED: list[tuple[str, str]] = [
    (
        r"(?:uy ban|ub)\s+(?:mat tran to quoc|mttq)(?:\s+viet nam|\s+vn)?",
        "Ủy ban Mặt trận Tổ quốc Việt Nam",
    ),
    (r"uy ban nhan dan|ubnd", "Ủy ban nhân dân"),
    (r"hoi dong nhan dan|hdnd", "Hội đồng nhân dân"),
    (
        r"bo chi huy\s+(?:bo doi bien phong|bdbp)|bo chi huy bo doi bien phong",
        "Bộ Chỉ huy Bộ đội Biên phòng",
    ),
    (r"bo chi huy quan su|bo chqs|bchqs", "Bộ Chỉ huy Quân sự"),
    (r"ban chi huy phong thu dan su|ban chi huy ptds|bch ptds", "Ban Chỉ huy Phòng thủ dân sự"),
    (
        r"ban quan ly cac khu cong nghiep|ban quan ly kcn|bql\s+(?:cac\s+)?kcn",
        "Ban Quản lý các Khu công nghiệp",
    ),
    (r"ban quan ly khu kinh te|bql\s+kkt", "Ban Quản lý Khu kinh tế"),
    (r"van phong\s+(?:uy ban nhan dan|ubnd)", "Văn phòng Ủy ban nhân dân"),
    (r"van phong\s+(?:hoi dong nhan dan|hdnd)", "Văn phòng Hội đồng nhân dân"),
    (r"ngan hang nha nuoc(?:\s+viet nam)?|nhnn", "Ngân hàng Nhà nước"),
    (r"ngan hang chinh sach xa hoi", "Ngân hàng Chính sách xã hội"),
    (r"kho bac nha nuoc|kbnn", "Kho bạc Nhà nước"),
    (r"bao hiem xa hoi|bhxh", "Bảo hiểm xã hội"),
    (r"lien doan lao dong|ldld", "Liên đoàn Lao động"),
    (r"dai phat thanh\s*(?:va|-|&)\s*truyen hinh|dai ptth", "Đài Phát thanh và Truyền hình"),
    (r"hoi lien hiep phu nu|hoi lhpn", "Hội Liên hiệp Phụ nữ"),
    (r"hoi nong dan", "Hội Nông dân"),
    (r"hoi cuu chien binh", "Hội Cựu chiến binh"),
    (r"tinh doan|thanh doan", "Tỉnh đoàn"),
    (r"tong cuc thue", "Tổng cục Thuế"),
    (r"cuc thue", "Cục Thuế"),
    (r"cuc thong ke", "Cục Thống kê"),
    (r"cuc hai quan", "Cục Hải quan"),
    (r"cuc quan ly thi truong", "Cục Quản lý thị trường"),
    (r"thanh tra", "Thanh tra"),
    (r"cong an", "Công an"),
    (r"toa an nhan dan", "Tòa án nhân dân"),
    (r"vien kiem sat nhan dan", "Viện kiểm sát nhân dân"),
]

# Heads that open a name continued by free words ("Trung tâm Phục vụ hành chính công").
OPEN_HEADS = (
    r"so|ban|cuc|chi cuc|tong cuc|van phong|bo|trung tam|bao|dai|hoi|vien|truong"
    r"|benh vien|ngan hang|cong ty|hoc vien"
)

# Level and place after a name: "tỉnh", "cấp xã", "các huyện, thành phố, thị xã", "tỉnh Bến Tre".
UNIT = r"(?:tinh|thanh pho|tp\.?|huyen|quan|thi xa|tx\.?|xa|phuong|thi tran|dac khu)"
LEVEL = (
    rf"(?:cap\s+(?:tinh|huyen|xa)(?:\s*,\s*cap\s+(?:tinh|huyen|xa))*"
    rf"|cac\s+{UNIT}(?:\s*(?:,|va|&)\s*{UNIT}(?![\w]))*"
    rf"|{UNIT}(?![\w]))"
)

# Collective bodies named by category, not by name.
COLLECTIVE: list[tuple[str, str]] = [
    (
        r"(?:cac\s+)?so\s*,\s*ban\s*,\s*nganh(?:\s*,\s*doan the)?(?:\s+(?:cap\s+)?tinh|\s+thuoc tinh)?",
        "Các sở, ban, ngành",
    ),
    (r"cac\s+to chuc chinh tri\s*-\s*xa hoi", "Các tổ chức chính trị - xã hội"),
]

# Phrases that end a name: the verbs and function words that follow an agency
# ("Sở Y tế chủ trì", "Công an tỉnh phối hợp với ..."). Matched on lowercase words only.
STOP = re.compile(
    r"(?:chu tri|phoi hop|co trach nhiem|chiu trach nhiem|tham muu|bo tri|thuc hien"
    r"|trien khai|to chuc|(?<!dau tu )xay dung|huong dan|theo doi|chi dao|kiem tra|tiep tuc|tap trung"
    r"|khan truong|chu dong|can cu|bao cao|de xuat|ra soat|tong hop|ban hanh|trinh|nghien cuu"
    r"|phu trach|ho tro|don doc|giam sat|lap|cung cap|gui|tiep nhan|duy tri|bao dam|dam bao"
    r"|quan ly|phat huy|day manh|nang cao|tang cuong|tham gia|hoan thanh|lam|dinh ky"
    r"|thuong xuyen|dong thoi|va|voi|cho|cua|de|trong|theo|ve|tai|tu|den|khi|neu|la|da|se"
    r"|can|phai|duoc|nhu|nham|ma|thi|nay|do|co|hoac|cac|cung|truoc|sau|tren|duoi|ngay"
    r"|thang|nam|moi|mot|nhung|kip thoi|tich cuc|tiep|chiu|yeu cau|de nghi|thong bao|dong y"
    r"|tra loi|chap thuan|thong nhat|kien nghi|cho phep|xin|ghi nhan|dang|uu tien)(?![\w])"
)

# Folding merges "từ" with "tư", "để" with "đề": a marked word stops a name only when spelt so.
STOP_SPELLING = {
    "tu": "từ", "de": "để", "ve": "về", "co": "có", "cac": "các", "la": "là", "da": "đã",
    "se": "sẽ", "can": "cần", "ma": "mà", "thi": "thì", "nay": "này", "voi": "với", "tai": "tại",
    "den": "đến", "tren": "trên", "nam": "năm", "thang": "tháng", "ngay": "ngày", "moi": "mọi",
    "duoi": "dưới", "truoc": "trước", "trong": "trong", "cua": "của", "theo": "theo",
}  # fmt: skip

_SO = [(re.compile(p), c) for p, c in SO_FIELDS]


def canonical_field(head: str, folded_rest: str) -> str | None:
    """Canonical field of a department ("Sở <field>") from its folded words, else None."""
    if head != "so":
        return None
    for pattern, name in _SO:
        if pattern.fullmatch(folded_rest.strip()):
            return name
    return None
