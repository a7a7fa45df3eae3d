"""Answer candidates inside one sentence: the span a user is shown and how it is scored."""

from __future__ import annotations

from search.candidates import Span, find_dates, find_quantities
from search.extract import date_candidates, person_candidates, place_candidates
from search.numbers import _with_noun, number_candidates
from search.question import analyze_question
from search.scoring import Evidence
from vanban.types import DocMeta, Document


def _ev(text: str, date: str | None = None) -> Evidence:
    doc = Document("d1", "d1.txt", text, DocMeta(date=date))
    return Evidence(doc, 0, len(text), (), 1, 1.0)


def _best(cands) -> str:
    return max(cands, key=lambda c: c.score).text


def test_deadline_keeps_its_limit_word() -> None:
    spans = [
        s.text for s in find_dates("gửi về Bộ trước ngày 26/11/2025; chậm nhất là ngày 5/1/2024")
    ]
    assert spans == ["trước ngày 26/11/2025", "chậm nhất là ngày 5/1/2024"]


def test_rate_keeps_its_period() -> None:
    text = "giảm từ 9,0%/năm (0,75%/tháng) xuống 8,4%/năm; 2/3 số xã"
    assert [s.text for s in find_quantities(text)] == [
        "từ 9,0%/năm",
        "0,75%/tháng",
        "8,4%/năm",
    ]


def test_threshold_keeps_its_comparison_sign() -> None:
    assert [s.text for s in find_quantities("khi chỉ số VN_AQI ≥ 301 thì tạm dừng")] == ["≥ 301"]


def test_figure_takes_the_counted_noun_of_the_question() -> None:
    s = "Phấn đấu đạt mục tiêu 1.200 công trình xanh được chứng nhận"
    at = s.index("1.200")
    figure = Span(at, at + 5, "1.200")
    assert _with_noun(s, figure, ("cong", "trinh", "xanh")).text == "1.200 công trình xanh"
    assert _with_noun(s, figure, ("gian", "hang")).text == "1.200"
    info = analyze_question("Đến năm 2030 có bao nhiêu công trình xanh được chứng nhận?")
    assert _best(number_candidates(info, _ev(s), s, {})) == "1.200 công trình xanh"


def test_falling_rate_answers_with_the_value_it_falls_to() -> None:
    s = "Lãi suất cho vay điều chỉnh giảm từ 9,0%/năm (0,75%/tháng) xuống 8,4%/năm (0,70%/tháng)."
    info = analyze_question("Lãi suất cho vay giảm xuống bao nhiêu?")
    assert _best(number_candidates(info, _ev(s), s, {})) == "8,4%/năm"


def test_deadline_beats_the_documents_own_and_cited_dates() -> None:
    s = (
        "Thực hiện Văn bản số 8091/BNV-TCBC ngày 17/9/2025, Kế hoạch ngày 21/11/2025 yêu cầu "
        "các bộ gửi đề xuất biên chế về Bộ Nội vụ trước ngày 26/11/2025."
    )
    info = analyze_question("Các bộ phải gửi đề xuất biên chế trước ngày nào?")
    assert _best(date_candidates(info, _ev(s, date="2025-11-21"), s, {})) == (
        "trước ngày 26/11/2025"
    )


def test_issuance_question_still_takes_the_cited_date() -> None:
    s = "Căn cứ Nghị định số 98/2021/NĐ-CP ngày 08/11/2021 của Chính phủ;"
    info = analyze_question("Nghị định 98/2021/NĐ-CP được ban hành ngày nào?")
    assert info.asks == "date"
    assert _best(date_candidates(info, _ev(s), s, {})) == "ngày 08/11/2021"


def test_meeting_chair_is_named_before_the_verb() -> None:
    s = (
        "Thủ tướng Chính phủ Phạm Minh Chính, Trưởng Ban Chỉ đạo, chủ trì Phiên họp; "
        "tham dự có Phó Thủ tướng Chính phủ Lê Thành Long."
    )
    info = analyze_question("Ai chủ trì Phiên họp của Ban Chỉ đạo?")
    assert info.kind == "person"
    assert _best(person_candidates(info, _ev(s), s, {})) == "Phạm Minh Chính"


def test_places_skip_the_signing_place_and_common_words() -> None:
    s = "Hà Nội, ngày 20 tháng 11 năm 2025: giữ hòa bình, ứng phó lũ tại Khánh Hòa, Gia Lai"
    info = analyze_question("Ứng phó lũ tại những tỉnh nào?")
    assert info.kind == "place" and info.plural
    assert sorted(c.text for c in place_candidates(info, _ev(s), s, {})) == [
        "Gia Lai",
        "Khánh Hòa",
    ]


def test_agreement_counts_only_documents_the_answer_would_cite() -> None:
    from search.answer import _group
    from search.scoring import Candidate

    plan = (
        "Ban hành Đề án phát triển cụm công nghiệp giai đoạn 2023 – 2030 và Đề án phát triển "
        "khu công nghiệp giai đoạn 2021-2030, định hướng đến năm 2050."
    )
    info = analyze_question("Đề án phát triển cụm công nghiệp áp dụng cho giai đoạn nào?")
    own = date_candidates(info, _ev(plan), plan, {})
    # Another plan of the same period, weakly related to the question, says "2021-2030" too.
    other_text = "Quy hoạch tỉnh thời kỳ 2021-2030."
    other_doc = Document("d2", "d2.txt", other_text, DocMeta())
    weak = Evidence(other_doc, 0, len(other_text), (), 5, 0.45)
    rival = [c for c in date_candidates(info, weak, other_text, {}) if "2021" in c.text]
    assert rival, "the finder must see the other plan's period"
    groups = _group(own + rival)
    assert groups[0][1][0].text == "giai đoạn 2023 – 2030"
    # A second document that would be cited beside the first still adds its agreement.
    strong = Evidence(other_doc, 0, len(other_text), (), 2, 1.0)
    echo = [Candidate(c.key, c.text, groups[0][0], strong) for c in groups[0][1][:1]]
    regrouped = _group([*own, *(Candidate(c.key, c.text, c.score, strong) for c in echo)])
    assert regrouped[0][0] > groups[0][0]


def test_rare_question_words_outweigh_common_ones_in_coverage() -> None:
    from search.evidence import coverage, term_weight

    # "Hạn chế nào liên quan đến đấu thầu?": both sentences sit under "Tồn tại, hạn chế"
    # and add two more of the words, but only one adds the specific ones.
    focus = ("han", "che", "lien", "quan", "dau", "thau")
    df = {"han": 40, "che": 40, "lien": 90, "quan": 120, "dau": 60, "thau": 3}
    weights = tuple(term_weight(df[t], 1000) for t in focus)
    common = "Tồn tại, hạn chế: thu ngân sách và các nguồn thu có liên quan giảm."
    specific = "Tồn tại, hạn chế: công tác đấu thầu thuốc chậm."
    assert coverage(focus, (), common) == coverage(focus, (), specific)
    assert coverage(focus, (), specific, weights=weights) > coverage(
        focus, (), common, weights=weights
    )
    assert coverage(focus, (), common + " " + specific, weights=weights) == 1.0


def test_a_programme_asked_by_name_is_answered_by_its_name() -> None:
    from search.extract import document_candidates

    s = (
        "Tiếp tục triển khai tốt Đề án giảm quá tải bệnh viện; Đề án hợp tác Y tế Thành phố "
        "Hồ Chí Minh - Tiền Giang, Cần Thơ - Tiền Giang theo Nghị quyết số 24-NQ/TW"
    )
    named = analyze_question("Tiền Giang hợp tác y tế với Thành phố Hồ Chí Minh theo đề án nào?")
    assert _best(document_candidates(named, _ev(s), s, {})).startswith("Đề án hợp tác Y tế")
    # "số hiệu gì" asks for the number, never for a name.
    numbered = analyze_question("Nghị quyết về hợp tác y tế có số hiệu gì?")
    assert {c.text for c in document_candidates(numbered, _ev(s), s, {})} == {
        "Nghị quyết số 24-NQ/TW"
    }


def test_another_name_is_read_from_the_brackets_after_the_asked_name() -> None:
    from search.extract import clause_candidates

    s = "các dự án như: Đường tỉnh 864 (Đường dọc sông Tiền); Đường Lộ Dây Thép (ĐT.880B)"
    info = analyze_question("Đường tỉnh 864 còn gọi là đường gì?")
    assert info.focus_terms == ("duong", "864")
    assert _best(clause_candidates(info, _ev(s), s, {})) == "Đường dọc sông Tiền"


def test_total_before_a_bracket_outranks_its_breakdown() -> None:
    s = "Kỳ thi học sinh giỏi năm 2023 đạt 48 giải (02 giải Nhất, 08 giải Nhì, 14 giải Ba)."
    info = analyze_question("Học sinh giỏi đạt tổng cộng bao nhiêu giải năm 2023?")
    scores = {c.text: c.score for c in number_candidates(info, _ev(s), s, {})}
    total = scores.pop("đạt 48 giải")
    # Every part is far enough below the total that the answer's margin test keeps it.
    assert scores and all(part < 0.7 * total for part in scores.values()), scores


def test_a_bracket_after_words_keeps_its_figure() -> None:
    s = "Thu hút đầu tư đạt kế hoạch (vốn đăng ký 1.250 tỷ đồng), tăng so cùng kỳ."
    info = analyze_question("Vốn đăng ký thu hút đầu tư là bao nhiêu tỷ đồng?")
    assert _best(number_candidates(info, _ev(s), s, {})) == "1.250 tỷ đồng"


def test_the_figure_with_the_asked_bound_wins() -> None:
    s = "Phấn đấu trên 40% diện tích được cấp mã; đến năm 2024 ít nhất 80% diện tích sầu riêng."
    info = analyze_question(
        "Đến năm 2024 ít nhất bao nhiêu phần trăm diện tích sầu riêng được cấp mã?"
    )
    assert _best(number_candidates(info, _ev(s), s, {})) == "ít nhất 80%"


def test_a_unit_wrapped_across_lines_still_counts() -> None:
    s = "Phấn đấu thành lập mới khoảng 980 doanh\nnghiệp, trong đó 133 doanh nghiệp khởi nghiệp."
    info = analyze_question("Thành lập mới khoảng bao nhiêu doanh nghiệp?")
    assert " ".join(_best(number_candidates(info, _ev(s), s, {})).split()) == (
        "khoảng 980 doanh nghiệp"
    )


def test_a_figure_spelled_with_magnitudes_is_one_span() -> None:
    s = "Kim ngạch xuất khẩu ước đạt 1 tỷ 784 triệu 400 ngàn USD."
    assert [q.text for q in find_quantities(s)] == ["đạt 1 tỷ 784 triệu 400 ngàn USD"]
