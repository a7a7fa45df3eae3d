"""Which candidate of a well-retrieved sentence is the answer, on the bundled sample corpus.

Each question is phrased differently from the sample dataset's questions: the rules are about
the kind of question, not about one wording.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "question, expected, wrong",
    [
        # "Cục Thống kê tỉnh" sits inside "Tổng cục Thống kê" of the question: another body.
        ("Cơ quan nào tổng hợp số liệu gửi về Tổng cục Thống kê?", "Cục Thống kê", None),
        # A count of people is not answered by the "100%" of the same clause.
        ("Tiền Giang giao quân bao nhiêu thanh niên năm 2024?", "1.400", "100%"),
        # A share written "80/97" is a quantity, not a date.
        (
            "Chương trình hành động của Tỉnh ủy Tây Ninh đã triển khai được bao nhiêu nội dung?",
            "80/97",
            None,
        ),
        # A plan cited by a bare number ("Kế hoạch 262 ngày 27-8-2021").
        ("Kế hoạch nào của UBND tỉnh thực hiện Nghị quyết 07 của Tỉnh ủy?", "Kế hoạch 262", None),
        # "đường tỉnh nào" asks for roads, not provinces.
        ("Tiền Giang nâng cấp những đường tỉnh nào kết nối Đồng Tháp?", "861, 863, 869", None),
    ],
)
def test_the_asked_candidate_wins(searcher, question: str, expected: str, wrong) -> None:
    from eval.datasets import AnswerSpec
    from eval.metrics import answer_correct
    from search.answer import answer_question

    a = answer_question(searcher, question)
    assert answer_correct(a.text, AnswerSpec(any=(expected,))), a.text
    assert wrong is None or wrong not in a.text
    assert any(expected.split()[-1] in c.quote for c in a.citations)


def test_a_company_the_question_names_is_not_the_answer(searcher) -> None:
    from search.answer import answer_question

    a = answer_question(searcher, "Năm 2024 cơ quan nào lo thoái vốn của công ty xổ số kiến thiết?")
    assert a.text == "Sở Tài chính"


def test_percent_asked_in_words_is_found_as_a_symbol(searcher) -> None:
    from search.answer import answer_question

    a = answer_question(searcher, "Tổng đầu tư xã hội ở Tây Ninh bằng bao nhiêu phần trăm GRDP?")
    assert a.text is not None and "36%" in a.text


@pytest.mark.parametrize(
    "question, expected, wrong",
    [
        # One sentence, two parallel clauses: the one that says "nâng cao" answers it ...
        (
            "Năm 2024 huyện nào được phấn đấu công nhận đạt chuẩn huyện nông thôn mới nâng cao?",
            "Chợ Gạo",
            "Tân Phước",
        ),
        # ... and without "nâng cao" the other clause does.
        (
            "Huyện nào phấn đấu đạt chuẩn huyện nông thôn mới năm 2024?",
            "Tân Phước",
            "Chợ Gạo",
        ),
    ],
)
def test_parallel_clauses_of_one_sentence(searcher, question: str, expected: str, wrong) -> None:
    from search.answer import answer_question

    a = answer_question(searcher, question)
    assert a.text is not None and expected in a.text and wrong not in a.text


def test_a_list_item_is_read_with_the_words_that_open_the_list(searcher) -> None:
    """ "dự án/công trình trọng điểm: …; đường Cảng Giao Long … (ĐT.DK.07)": the item alone
    does not say "dự án", its list does."""
    from search.answer import answer_question

    a = answer_question(searcher, "Dự án nào mang ký hiệu ĐT.DK.07?")
    assert a.text is not None and "Cảng Giao Long" in a.text
    assert any("ĐT.DK.07" in c.quote for c in a.citations)


@pytest.mark.parametrize(
    "question, expected",
    [
        # A bare "Kế hoạch 370" with the province named is Tiền Giang's, not Bến Tre's
        # 370/KH-UBND; "giai đoạn 2021 - 2025" names the plan, it does not ask a period.
        (
            "UBND Tiền Giang ra Kế hoạch 370 về chuyển đổi số giai đoạn 2021 - 2025 ngày nào?",
            "8-12-2021",
        ),
        # "… thành gì": what follows "trở thành".
        (
            "Tỉnh Bến Tre đặt mục tiêu đưa Trung tâm dừa Đồng Gò trở thành gì?",
            "Trung tâm nghiên cứu",
        ),
        # "Văn bản nào … chương trình của Tỉnh ủy": the Chương trình is the question's own.
        (
            "Văn bản nào của UBND tỉnh Bến Tre triển khai chương trình của Tỉnh ủy về công nghiệp chủ lực?",
            "3707/KH-UBND",
        ),
    ],
    ids=["bare-number-province", "becomes", "named-type"],
)
def test_round_nine_readings(searcher, question: str, expected: str) -> None:
    from search.answer import answer_question

    a = answer_question(searcher, question)
    assert a.text is not None and expected in a.text, a.text


@pytest.mark.parametrize(
    "question, expected, wrong",
    [
        # A title then "tên gì" asks a person; the plan is named by its type, the resolution
        # it carries out is only what it is about.
        (
            "Người ký Kế hoạch thực hiện Nghị quyết 01/NQ-CP năm 2023 ở Bến Tre tên gì?",
            "Trần Ngọc Tam",
            None,
        ),
        # The date right after the named plan's number, not the one after the resolution it cites.
        ("Kế hoạch số 2813/KH-UBND được ký ngày nào?", "13 tháng 5 năm 2022", "30 tháng 01"),
        # "tối thiểu" in the question, "ít nhất" in the plan: the same bound.
        ("Bến Tre phát triển tối thiểu bao nhiêu sản phẩm OCOP mới?", "45", None),
        # "… tại đâu" is answered by what follows the verb's preposition ("thống nhất trong …").
        (
            "Trước khi báo cáo Ban Thường vụ Tỉnh ủy, việc lớn của Bình Phước được thống nhất tại đâu?",
            "Ban Cán sự đảng",
            None,
        ),
        # Two plans, two periods in one sentence: the period of the plan the question names.
        ("Tây Ninh có đề án KCN cho giai đoạn nào?", "2021-2030", "2023"),
        (
            "Đề án phát triển cụm công nghiệp Tây Ninh tính cho giai đoạn nào?",
            "2023 – 2030",
            "2021",
        ),
        # "KT-XH" is the abbreviation of the "kinh tế - xã hội" the passage writes.
        (
            "Nghị quyết của HĐND tỉnh Bình Phước về kế hoạch KT-XH năm 2023 có số hiệu là gì?",
            "40/NQ-HĐND",
            None,
        ),
    ],
)
def test_the_asked_document_field_wins(searcher, question: str, expected: str, wrong) -> None:
    from eval.datasets import AnswerSpec
    from eval.metrics import answer_correct
    from search.answer import answer_question

    a = answer_question(searcher, question)
    assert answer_correct(a.text, AnswerSpec(any=(expected,))), a.text
    assert wrong is None or wrong not in a.text


@pytest.mark.parametrize(
    "question, expected",
    [
        # "Báo cáo 6 tháng" names the report by its period: "6" is not its number.
        ("Báo cáo 6 tháng đầu năm 2023 của Bình Phước do ai ký?", "Trần Tuệ Hiền"),
        # "ngày sinh của ai" asks for a person ("trách nhiệm của ai" would ask for a body).
        ("Bến Tre tổ chức kỷ niệm 110 năm ngày sinh của ai?", "Huỳnh Tấn Phát"),
        # "văn bản" is a document of any type: here the Công văn of the Sở Y tế.
        (
            "Ai ký văn bản của Sở Y tế Tây Ninh về tham mưu thực hiện Thông báo 1737?",
            "Trương Văn Hùng",
        ),
    ],
)
def test_person_questions(searcher, question: str, expected: str) -> None:
    from search.answer import answer_question

    a = answer_question(searcher, question)
    assert a.text == expected
    assert any(expected in c.quote for c in a.citations)


@pytest.mark.parametrize(
    "question, expected",
    [
        # The chairman signs "TM. ỦY BAN NHÂN DÂN TỈNH / CHỦ TỊCH", the name after Nơi nhận.
        ("Chủ tịch UBND tỉnh Bình Phước là ai?", "Trần Tuệ Hiền"),
        ("Giám đốc Sở Y tế tỉnh Tây Ninh tên là gì?", "Trương Văn Hùng"),
        ("Chánh Văn phòng Tỉnh ủy Tây Ninh là ai?", "Huyh Thị Hồng Nhung"),
        # "người đứng đầu" is the head of the body, whatever the head's title.
        ("Người đứng đầu UBND tỉnh Bến Tre là ai?", "Trần Ngọc Tam"),
        # No block is signed under these titles by that body: nothing to answer.
        ("Giám đốc Sở Y tế Bến Tre là ai?", None),
        ("Ai là Phó Chủ tịch UBND tỉnh Tây Ninh?", None),  # "KT. CHỦ TỊCH" names no title
    ],
)
def test_who_holds_a_title(searcher, question: str, expected: str | None) -> None:
    from search.answer import answer_question

    a = answer_question(searcher, question)
    assert a.text == expected
    assert expected is None or any(expected in c.quote for c in a.citations)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Ông Trần Ngọc Tam giữ chức vụ gì?", "CHỦ TỊCH"),
        ("Ông Võ Đức Trọng ký công văn 5068 với chức danh gì?", "KT. CHỦ TỊCH"),
    ],
)
def test_the_title_a_named_signer_signs_under(searcher, question: str, expected: str) -> None:
    from search.answer import answer_question

    a = answer_question(searcher, question)
    assert a.text is not None and a.text.endswith(expected)
    assert a.citations and expected.split()[-1] in a.citations[0].quote


@pytest.mark.parametrize(
    "question, expected, wrong",
    [
        # Two parallel quotes after one lead-in: the one whose own words name the asker.
        ("Chủ đề điều hành năm 2023 của Tỉnh ủy Bến Tre là gì?", "Đồng thuận", "Đoàn kết kỷ cương"),
        # "phát triển thị xã nào": the asked noun is the one before "nào", not the verb.
        ("Tiền Giang phát triển thị xã nào thành thành phố?", "Gò Công", "đô thị trung tâm"),
        # The kind of cause asked is read where the sentence names that kind.
        (
            "Bình Phước nêu nguyên nhân chủ quan nào của tồn tại, hạn chế?",
            "tinh thần trách nhiệm",
            "suy giảm",
        ),
    ],
)
def test_the_asked_one_of_parallel_phrases(
    searcher, question: str, expected: str, wrong: str
) -> None:
    from search.answer import answer_question

    a = answer_question(searcher, question)
    assert a.text is not None and expected in a.text and wrong not in a.text, a.text
