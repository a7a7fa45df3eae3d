"""Extraction rules of the answer engine, as pure functions on real sentences of the seeds."""

from __future__ import annotations

import pytest

from search.candidates import find_changes, find_quantities
from search.clauses import (
    cause_clause,
    clause_end,
    focus_clause,
    head_phrase,
    head_words,
    quoted,
)
from search.docrefs import doc_places
from search.evidence import passage_sentences
from search.extract import ref_spans
from search.question import analyze_question
from vanban.paths import SAMPLES_DIR


def _seed(prefix: str) -> str:
    found = sorted(SAMPLES_DIR.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} missing from {SAMPLES_DIR}")
    return found[0].read_text(encoding="utf-8")


def _sentence_with(text: str, needle: str) -> str:
    i = text.index(needle)
    for a, b in passage_sentences(text, i, i + len(needle)):
        if a <= i < b:
            return text[a:b]
    raise AssertionError(f"no sentence around {needle!r}")


def test_passage_sentences_read_a_cut_chunk_to_the_sentence_end() -> None:
    text = _seed("002")
    i = text.index("Ban Tổ chức Tỉnh uỷ chủ trì")
    (a, b), *_ = passage_sentences(text, i + 40, i + 60)  # a chunk cut mid-sentence
    assert text[a:b].startswith("Ban Tổ chức Tỉnh uỷ chủ trì")
    assert text[a:b].endswith("xếp loại cuối năm.")


def test_colon_on_the_same_line_does_not_end_the_sentence() -> None:
    s = _sentence_with(_seed("001"), "đánh giá lựa chọn chủ đầu tư hạ tầng các CCN")
    assert "Mỹ Lợi, Long Bình, Vĩnh Hựu" in s


def test_head_phrase_after_the_asked_noun() -> None:
    q = "Những CCN nào cần thực hiện thủ tục đánh giá lựa chọn chủ đầu tư hạ tầng?"
    s = _sentence_with(_seed("001"), "đánh giá lựa chọn chủ đầu tư hạ tầng các CCN")
    span = head_phrase(s, head_words(q))
    assert span is not None and span.text == "CCN: Mỹ Lợi, Long Bình, Vĩnh Hựu"
    assert s[span.start : span.end] == span.text


def test_list_stops_where_the_question_goes_on() -> None:
    q = "Bến Tre tập trung hoàn thiện các chuỗi giá trị nông sản nào gắn với vùng sản xuất tập trung?"
    s = _sentence_with(_seed("004"), "chuỗi giá trị dừa, bưởi da xanh")
    span = head_phrase(s, head_words(q), ("gan", "voi", "vung", "san", "xuat"))
    assert span is not None and span.text == "chuỗi giá trị dừa, bưởi da xanh, chôm chôm, tôm biển"


def test_a_hard_wrap_does_not_end_the_answer() -> None:
    q = "Bến Tre xin chủ trương thành lập trường đại học nào?"
    s = _sentence_with(_seed("004"), "thành lập Trường Đại học")
    assert "học\nTây" in s  # the seed is hard-wrapped right inside the name
    span = head_phrase(s, head_words(q), single=True)
    assert span is not None and "Tây Nam bộ" in span.text


def test_an_answer_never_stops_inside_brackets() -> None:
    q = "Dự án cao tốc nào Bình Phước tiếp tục hoàn thiện thủ tục đầu tư?"
    s = _sentence_with(_seed("003"), "dự án cao tốc Gia Nghĩa")
    tail = ("binh", "phuoc", "tiep", "tuc", "hoan", "thien", "thu", "tuc", "dau", "tu")
    span = head_phrase(s, head_words(q), tail, single=True)
    assert span is not None and span.text.endswith("Chơn Thành (Bình Phước)")


def test_one_asked_name_ends_at_its_comma_a_list_does_not() -> None:
    q = "Tiền Giang từng bước phát triển công viên phần mềm nào?"
    s = _sentence_with(_seed("001"), "Công viên phần mềm Mekong")
    one = head_phrase(s, head_words(q), single=True)
    assert one is not None and one.text.endswith("Công viên phần mềm Mekong")
    q = "Những CCN nào cần thực hiện thủ tục đánh giá lựa chọn chủ đầu tư hạ tầng?"
    s = _sentence_with(_seed("001"), "đánh giá lựa chọn chủ đầu tư hạ tầng các CCN")
    many = head_phrase(s, head_words(q))
    assert many is not None and many.text.endswith("Vĩnh Hựu")


def test_a_why_question_is_answered_by_the_cause() -> None:
    s = _sentence_with(_seed("003"), "do thị trường bất động sản trầm lắng")
    span = cause_clause(s)
    assert span is not None and span.text.startswith("thị trường bất động sản trầm lắng")
    assert analyze_question("Vì sao thu ngân sách đạt thấp?").kind == "open"


def test_open_answer_keeps_the_asked_noun() -> None:
    q = "Tây Ninh xây dựng nghị quyết hỗ trợ, thu hút đối tượng giáo viên nào?"
    s = _sentence_with(_seed("000"), "hỗ trợ giáo viên mầm non")
    span = head_phrase(s, head_words(q))
    assert span is not None and span.text.startswith("giáo viên mầm non")


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Chủ đề năm 2023 của Tỉnh ủy Bến Tre là gì?", "Dân chủ - Kỷ cương - Đồng thuận"),
        ("Chủ đề điều hành năm 2023 của Chính phủ là gì?", "Đoàn kết kỷ cương, bản lĩnh linh"),
    ],
)
def test_quoted_answer_belongs_to_the_body_asked_about(question: str, expected: str) -> None:
    s = _sentence_with(_seed("004"), "Quán triệt sâu sắc chủ đề điều hành")
    span = quoted(s, analyze_question(question).focus_terms, question)
    assert span is not None and span.text.startswith(expected)
    assert "\n" not in span.text  # hard wraps inside the quotation are joined


def test_quoted_needs_a_lead_in_that_names_the_question() -> None:
    s = _sentence_with(_seed("004"), "Quán triệt sâu sắc chủ đề điều hành")
    assert quoted(s, ("san", "xuat", "nong", "nghiep"), "sản xuất nông nghiệp là gì?") is None


def test_focus_clause_trims_the_bullet() -> None:
    s = "- Công tác đấu thầu, mua sắm thuốc, vật tư, trang thiết bị y tế chậm."
    span = focus_clause(s, ("dau", "thau", "y", "te"))
    assert span is not None and span.text.startswith("Công tác đấu thầu")


def test_clause_end_caps_the_length() -> None:
    s = " ".join(f"từ{i}" for i in range(60))
    assert len(s[: clause_end(s, 0, words=10)].split()) == 10


def test_changes_and_ranges() -> None:
    s = _sentence_with(_seed("002"), "4,246 tr/người/tháng")
    assert [c.text for c in find_changes(s)] == ["4,246 tr/người/tháng lên 4,617 tr/người/tháng"]
    assert [q.text for q in find_quantities("GRDP từ 7,0 - 7,5%")] == ["từ 7,0 - 7,5%"]


def test_money_unit_of_vốn_and_hard_units() -> None:
    assert analyze_question("Bình Phước thu hút được bao nhiêu vốn FDI?").unit == "vốn"
    info = analyze_question("Thu ngân sách năm 2024 là bao nhiêu tỷ đồng?")
    from search.numbers import number_candidates
    from search.scoring import Evidence
    from vanban.types import DocMeta, Document

    doc = Document("d", "x.txt", DocMeta(), "", ())
    ev = Evidence(doc, 0, 0, (), 1, 1.0)
    sent = "Thu ngân sách tăng dưới 5%; đạt 6.000 tỷ đồng."
    assert [c.text for c in number_candidates(info, ev, sent, {})] == ["đạt 6.000 tỷ đồng"]


def test_named_document_anchors_with_loose_spacing() -> None:
    info = analyze_question("Văn bản số 797-CV/BCSD ngày 28/9/2023 là của cơ quan nào?")
    s = _sentence_with(_seed("002"), "Văn bản số 797 -CV/BCSD")
    (a, b), *_ = ref_spans(info, s)
    assert s[a:b] == "797 -CV/BCSD"
    assert "28" in info.focus_terms and "28/9/2023" not in info.focus_terms


def test_recipients_are_a_document_field() -> None:
    assert analyze_question("Công văn 3646/SYT-VP được gửi đến những đối tượng nào?").asks == (
        "recipients"
    )


def test_doc_places_ignore_names_inside_longer_names() -> None:
    text = _seed("002")
    i = text.index("THÔNG BÁO")
    assert doc_places(None, text[i:]) >= {"Tây Ninh"}
    assert "Điện Biên" not in doc_places(None, text[i:])


def test_an_article_heading_starts_a_new_sentence() -> None:
    from search.evidence import sentence_spans

    text = (
        "Phê duyệt Danh mục địa điểm:\n(Chi tiết tại Phụ lục kèm theo)\nĐiều 2. Tổ chức thực hiện"
    )
    parts = [text[a:b] for a, b in sentence_spans(text)]
    assert not any("kèm theo" in p and "Điều" in p for p in parts)
