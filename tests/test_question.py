"""Question analysis: kinds, focus words, roles, document references, places, units."""

from __future__ import annotations

import pytest

from eval.datasets import load_dataset
from search.docrefs import retrieval_plan
from search.evidence import coverage, sentence_spans
from search.question import analyze_question, find_doc_refs, focus_terms, question_kind


@pytest.mark.parametrize(
    "question, kind",
    [
        ("Sở nào chủ trì cụm công nghiệp?", "agency"),
        ("so nao chu tri cum cong nghiep", "agency"),
        ("Cơ quan nào phối hợp thực hiện?", "agency"),
        ("đơn vị nào được giao tham mưu đề án?", "agency"),
        ("Ai phụ trách việc lấp đầy KCN Long Giang?", "agency"),
        ("ai chu tri phong chong tham nhung", "agency"),
        ("Ban nào theo dõi việc thực hiện?", "agency"),
        ("Công văn 3646/SYT-VP do ai ký?", "person"),
        ("ai ky thong bao 1737-TB/VPTU?", "person"),
        ("Người ký kế hoạch là ai?", "person"),
        ("Kế hoạch 370/KH-UBND ban hành ngày nào?", "date"),
        ("khi nao hoan thanh du an?", "date"),
        ("Thời hạn gửi báo cáo là bao giờ?", "date"),
        ("bao gio thi khoi cong", "date"),
        ("Giải ngân trước ngày nào?", "date"),
        ("Đưa bao nhiêu người đi làm việc có thời hạn ở nước ngoài?", "number"),
        ("Tiền Giang phấn đấu tăng trưởng GRDP năm 2024 bao nhiêu?", "number"),
        ("ty le ho ngheo con bao nhieu phan tram", "number"),
        ("Có mấy chương trình mục tiêu quốc gia?", "number"),
        ("Chỉ tiêu giường bệnh trên vạn dân năm 2023?", "number"),
        ("Văn bản nào sửa đổi Nghị định 98/2021/NĐ-CP?", "document"),
        ("Thông báo kết luận có số hiệu là gì?", "document"),
        ("ke hoach nao thuc hien nghi quyet 07?", "document"),
        ("Những huyện nào tổ chức diễn tập?", "list"),
        ("cac tinh nao duoc neu trong ke hoach", "place"),
        ("những tỉnh nào của Campuchia ký thỏa thuận?", "list"),
        ("Ai chủ trì phiên họp thường kỳ tháng 11?", "person"),
        ("Thiết bị được xác định trước mã số nào?", "number"),
        ("QĐ 2216 công bố quyết định nào tiếp tục có hiệu lực?", "document"),
        ("Chủ đề năm 2023 của Tỉnh ủy Bến Tre là gì?", "open"),
        ("Cùng với chuyển đổi số, tỉnh nâng cao chỉ số nào?", "open"),
    ],
)
def test_question_kind(question: str, kind: str) -> None:
    assert question_kind(question) == kind


def test_kind_ignores_diacritics_on_the_sample_questions() -> None:
    # The same question with and without marks gets the same kind, for every sample question.
    from ingest.text import fold_diacritics

    for q in load_dataset("sample").questions:
        assert question_kind(fold_diacritics(q.question)) == question_kind(q.question), q.question


def test_kind_agrees_with_sample_labels_on_most_questions() -> None:
    qs = [q for q in load_dataset("sample").questions if q.kind != "none"]
    agree = sum(question_kind(q.question) == q.kind for q in qs)
    assert agree / len(qs) >= 0.9


def test_focus_terms_drop_question_and_role_words() -> None:
    assert focus_terms("Sở nào chủ trì cụm công nghiệp?") == ("cum", "cong", "nghiep")
    assert focus_terms("so nao chu tri cum cong nghiep") == ("cum", "cong", "nghiep")


def test_role_places_years_unit() -> None:
    info = analyze_question("Tiền Giang đặt chỉ tiêu bao nhiêu MW điện mặt trời năm 2024?")
    assert (info.kind, info.places, info.years, info.unit) == (
        "number",
        ("Tiền Giang",),
        ("2024",),
        "MW",
    )
    assert analyze_question("Cơ quan nào phối hợp với Sở Y tế?").role == "phối hợp"
    assert analyze_question("so nao chu tri?").role == "chủ trì"
    assert (
        analyze_question("ben tre phan dau kiem soat no xau duoi bao nhieu phan tram?").unit == "%"
    )


def test_doc_refs() -> None:
    refs = find_doc_refs(
        "Công văn 3646/SYT-VP, Kế hoạch 20 và 1737-TB/VPTU, Nghị định 98/2021/NĐ-CP"
    )
    assert [(r.number, r.doc_type) for r in refs] == [
        ("3646/SYT-VP", "Công văn"),
        ("20", "Kế hoạch"),
        ("1737-TB/VPTU", None),
        ("98/2021/NĐ-CP", "Nghị định"),
    ]
    assert find_doc_refs("ke hoach 370 ban hanh ngay nao")[0].number == "370"


def test_asks_for_document_fields() -> None:
    assert analyze_question("Công văn 3646/SYT-VP do ai ký?").asks == "signer"
    assert analyze_question("Kế hoạch 370/KH-UBND ban hành ngày nào?").asks == "date"
    assert analyze_question("Sở nào chủ trì cụm công nghiệp?").asks is None


def test_number_filters_only_when_indexed() -> None:
    metas = [{"doc_id": "a", "number": "370/KH-UBND", "doc_type": "Kế hoạch"}]
    named = retrieval_plan(analyze_question("Kế hoạch 370 ban hành ngày nào?"), metas)
    assert named.filters is not None and named.filters.number == "370" and named.doc_ids == ("a",)
    absent = retrieval_plan(analyze_question("Nghị định 98/2021/NĐ-CP ban hành ngày nào?"), metas)
    assert absent.filters is None and absent.doc_ids == ()


def test_sentence_spans_follow_items_not_hard_wraps() -> None:
    text = "6. Sở Công\nThương\n- Tiếp tục triển khai thực hiện có\nhiệu quả Kế hoạch.\n- Phát triển CCN."
    got = [text[a:b] for a, b in sentence_spans(text)]
    assert got == [
        "6. Sở Công\nThương",
        "- Tiếp tục triển khai thực hiện có\nhiệu quả Kế hoạch.",
        "- Phát triển CCN.",
    ]


def test_coverage_needs_the_rare_words_together() -> None:
    terms = ("phat", "trien", "dien", "hat", "nhan")
    pairs = ("phat trien", "trien dien", "dien hat", "hat nhan")
    assert coverage(terms, pairs, "phát triển điện hạt nhân") == 1.0
    assert coverage(terms, pairs, "phát triển điện gió vì nhân dân") < 0.7
    # an abbreviation in the passage covers its long form in the question
    assert coverage(("cum", "cong", "nghiep"), (), "hạ tầng CCN", {"ccn": "cụm công nghiệp"}) == 1.0
