"""Agency recognition and who-does-what-by-when extraction, on the seeds and the Nghệ An plan."""

from __future__ import annotations

import importlib.util
import json
from functools import cache

import pytest

from ingest.agency import canonical_agency, find_agencies
from ingest.clean import clean
from ingest.deadlines import parse_deadline
from ingest.pipeline import parse_file
from ingest.task_clauses import sentence_roles
from ingest.tasks import Assignment, assignments_to_rows, extract_assignments, from_row
from vanban.paths import PROJECT_ROOT, SAMPLES_DIR, shared_dir

SEED_001 = SAMPLES_DIR / "001_ab0ba19032b6ca8f.txt"
SEED_004 = SAMPLES_DIR / "004_393fa8954b947a4a.txt"
NGHE_AN = "corpus/vn-admin/docs/tvpl_c5d930a5fc8373cd.txt"


@cache
def _extract(path: str) -> tuple:
    out = []
    for parsed in parse_file(path):
        doc = parsed.document
        out.append((doc, tuple(extract_assignments(doc, clean(doc.text)))))
    return tuple(out)


def _assignments(path) -> list[Assignment]:
    return [a for _, found in _extract(str(path)) for a in found]


def _nghe_an():
    shared = shared_dir()
    if shared is None or not (shared / NGHE_AN).exists():
        pytest.skip("../shared/corpus/vn-admin is absent: the Nghệ An plan 980/KH-UBND is needed")
    return shared / NGHE_AN


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
        ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh"),
        ("Bộ CHQS tỉnh", "Bộ Chỉ huy Quân sự tỉnh"),
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
        ("Sở Công thương", "Sở Công Thương"),
        ("SỞ CÔNG THƯƠNG", "Sở Công Thương"),
        ("Sở Công Thương tỉnh Bến Tre", "Sở Công Thương"),
        ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
        ("UBND các huyện, thị xã, thành phố", "Ủy ban nhân dân cấp huyện"),
        ("Ủy ban nhân dân các xã, phường", "Ủy ban nhân dân cấp xã"),
        ("các sở, ban, ngành tỉnh", "Các sở, ban, ngành"),
        ("Cục Thống kê tỉnh", "Cục Thống kê"),
    ],
)
def test_canonical_agency_equivalences(a: str, b: str) -> None:
    assert canonical_agency(a) == canonical_agency(b) == b


def test_find_agencies_splits_lists_and_stops_at_verbs() -> None:
    text = "Sở Tài chính và UBND các xã bố trí ngân sách; Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Công an tỉnh."
    found = find_agencies(text)
    assert [m.canonical for m in found] == [
        "Sở Tài chính",
        "Ủy ban nhân dân cấp xã",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Công an tỉnh",
    ]
    assert all(text[m.start : m.end] == m.surface for m in found)
    # Not bodies: a "Bộ" of criteria, a report ("Báo cáo"), policing as an activity.
    assert find_agencies("Bộ tiêu chí quốc gia; Báo cáo kết quả; công tác công an") == []


def test_a_name_goes_on_through_cac_and_a_hard_wrap() -> None:
    # "các" and "và" before a capitalised word are inside the name, also across a line end;
    # before a lower-case word or a new body they still end it.
    text = "Giao Ban Quản lý các\nKhu kinh tế và Khu công nghiệp chủ trì, phối hợp với Sở Y tế và UBND các xã."
    found = find_agencies(text)
    assert [m.surface for m in found] == [
        "Ban Quản lý các\nKhu kinh tế và Khu công nghiệp",
        "Sở Y tế",
        "UBND các xã",
    ]
    assert found[0].canonical == "Ban Quản lý các Khu kinh tế và Khu công nghiệp"
    assert [m.surface for m in find_agencies("Trung tâm Y tế\nSở Y tế")] == [
        "Trung tâm Y tế",
        "Sở Y tế",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("trước ngày 30/11/2025", ("trước ngày 30/11/2025", "2025-11-30")),
        ("Trước ngày\n30/11/2025", ("Trước ngày\n30/11/2025", "2025-11-30")),
        ("trong tháng 12 năm 2025", ("trong tháng 12 năm 2025", "2025-12-31")),
        ("Thường xuyên", ("Thường xuyên", None)),
        ("Quý III/2025", ("Quý III/2025", "2025-09-30")),
        ("Quý II/2024", ("Quý II/2024", "2024-06-30")),
        ("năm 2025", ("năm 2025", "2025-12-31")),
        ("2025", ("2025", "2025-12-31")),
        ("định kỳ hằng tháng", ("định kỳ hằng tháng", None)),
        ("Tháng 12 hằng năm", ("Tháng 12 hằng năm", None)),
        ("chậm nhất ngày 20/12", ("chậm nhất ngày 20/12", "2025-12-20")),
        ("Sau khi có Quy chế của TW", (None, None)),
    ],
)
def test_parse_deadline(text: str, expected: tuple) -> None:
    assert parse_deadline(text, "2025-11-18") == expected


def test_parse_deadline_in_sentences_ignores_periods_and_citations() -> None:
    assert parse_deadline("tăng trưởng năm 2024 đạt 7%", None, in_sentence=True) == (None, None)
    assert parse_deadline("Nghị quyết 01 ngày 5-1-2024 của Chính phủ", None, in_sentence=True) == (
        None,
        None,
    )
    assert parse_deadline("giáo dục thường xuyên", None, in_sentence=True) == (None, None)
    assert parse_deadline("đến năm 2020, tầm nhìn đến năm 2030", None, in_sentence=True) == (
        None,
        None,
    )
    got = parse_deadline(
        "Đồng thời, trong tháng 01/2023, xây dựng chương trình", None, in_sentence=True
    )
    assert got == ("trong tháng 01/2023", "2023-01-31")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính tham mưu UBND tỉnh bố trí vốn.",
            [("Sở Kế hoạch và Đầu tư", "chủ trì"), ("Sở Tài chính", "phối hợp")],
        ),
        (
            "Sở Tài chính và UBND các xã bố trí ngân sách để thực hiện Kế hoạch.",
            [("Sở Tài chính", "thực hiện"), ("Ủy ban nhân dân cấp xã", "thực hiện")],
        ),
        (
            "2. Bộ CHQS tỉnh có trách nhiệm tham mưu Ủy ban nhân dân tỉnh theo dõi, hướng dẫn.",
            [("Bộ Chỉ huy Quân sự tỉnh", "thực hiện")],
        ),
        (
            "Đề nghị Ủy ban MTTQ tỉnh tuyên truyền, vận động Nhân dân.",
            [("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "thực hiện")],
        ),
        (
            "Sở Y tế chủ trì, Sở Tài chính phối hợp bố trí kinh phí trước ngày 30/11/2025.",
            [("Sở Y tế", "chủ trì"), ("Sở Tài chính", "phối hợp")],
        ),
        (
            "Căn cứ Kế hoạch, các sở, ban, ngành chịu trách nhiệm triển khai thực hiện.",
            [("Các sở, ban, ngành", "thực hiện")],
        ),
        # Receivers of reports are not assignees.
        ("Các cơ quan báo cáo kết quả gửi Sở Kế hoạch và Đầu tư, Cục Thống kê trước ngày 15.", []),
    ],
)
def test_sentence_forms(sentence: str, expected: list) -> None:
    assert [(c.mention.canonical, c.role) for c in sentence_roles(sentence)] == expected


def test_seed_001_so_cong_thuong_leads_the_industrial_cluster_item() -> None:
    found = _assignments(SEED_001)
    ccn = [a for a in found if "cụm công nghiệp (CCN)" in a.quote]
    assert [(a.agency_key, a.role) for a in ccn] == [("Sở Công Thương", "chủ trì")]
    (a,) = ccn
    assert a.section[-2:][0] == "2. Sở Công Thương chủ trì:"
    assert a.section[-1].startswith("c) Thực hiện vai trò quản lý Nhà nước đối với cụm công nghiệp")
    assert a.quote.startswith("c) Thực hiện vai trò") and "Mỹ Lợi, Long Bình, Vĩnh Hựu" in a.quote
    # Every sub-item a)–đ) under the heading is Sở Công Thương's.
    under = [a for a in found if "2. Sở Công Thương chủ trì:" in a.section]
    assert len(under) == 5 and {a.agency_key for a in under} == {"Sở Công Thương"}


def test_seed_001_heading_sentence_gives_lead_and_partner() -> None:
    found = _assignments(SEED_001)
    stats = [
        (a.agency_key, a.role) for a in found if a.quote.startswith("4. Cục Thống kê tỉnh chủ trì")
    ]
    assert stats == [("Cục Thống kê", "chủ trì"), ("Các sở, ban, ngành", "phối hợp")]


def test_seed_004_items_under_so_cong_thuong() -> None:
    found = _assignments(SEED_004)
    under = [a for a in found if any(s.startswith("6. Sở Công Thương") for s in a.section)]
    assert len(under) == 4
    assert {(a.agency_key, a.role) for a in under} == {("Sở Công Thương", "thực hiện")}
    assert any("cụm công nghiệp" in a.task for a in under)
    # The wrapped heading "6. Sở Công" / "Thương" still names the department.
    assert all(a.quote.startswith("- ") for a in under)


def test_seed_004_organisation_part() -> None:
    found = _assignments(SEED_004)
    follow_up = [
        (a.agency_key, a.role)
        for a in found
        if " ".join(a.quote.split()).startswith("4. Sở Kế hoạch và Đầu tư chủ trì")
    ]
    assert follow_up == [
        ("Sở Kế hoạch và Đầu tư", "chủ trì"),
        ("Văn phòng Ủy ban nhân dân tỉnh", "phối hợp"),
    ]


@pytest.mark.parametrize("path", [SEED_001, SEED_004])
def test_quotes_are_verbatim(path) -> None:
    for doc, found in _extract(str(path)):
        assert found
        for a in found:
            assert doc.text[a.start : a.end] == a.quote
            assert a.role in ("chủ trì", "phối hợp", "thực hiện")


def test_nghe_an_sentences_and_verbatim_quotes() -> None:
    ((doc, found),) = _extract(str(_nghe_an()))
    assert all(doc.text[a.start : a.end] == a.quote for a in found)
    chqs = [a for a in found if a.quote.startswith("2. Bộ CHQS tỉnh có trách nhiệm")]
    assert [(a.agency_key, a.role) for a in chqs] == [("Bộ Chỉ huy Quân sự tỉnh", "thực hiện")]
    budget = [
        (a.agency_key, a.role) for a in found if a.quote.startswith("4. Sở Tài chính và Ủy ban")
    ]
    assert budget == [("Sở Tài chính", "thực hiện"), ("Ủy ban nhân dân cấp xã", "thực hiện")]


def test_nghe_an_appendix_rows() -> None:
    ((_, found),) = _extract(str(_nghe_an()))
    rows = [a for a in found if a.section and a.section[0].startswith("PHỤ LỤC")]

    def row(prefix: str) -> list[tuple]:
        return [
            (a.agency_key, a.role, a.deadline_text, a.deadline)
            for a in rows
            if a.task.startswith(prefix)
        ]

    assert row("Hướng dẫn thanh toán chi phí khám bệnh") == [
        ("Sở Y tế", "chủ trì", "2025", "2025-12-31"),
        ("Sở Tài chính", "phối hợp", "2025", "2025-12-31"),
    ]
    assert row("Tiếp nhận và duy trì Hệ thống Tổng đài 112") == [
        ("Bộ Chỉ huy Quân sự tỉnh", "chủ trì", "2025", "2025-12-31"),
        ("Bộ Quốc phòng", "phối hợp", "2025", "2025-12-31"),
    ]
    first = row("Tổ chức lại Ban Chỉ huy Phòng thủ dân sự")
    assert ("Bộ Chỉ huy Quân sự tỉnh", "chủ trì", "Trước ngày 30/11/2025", "2025-11-30") in first


def test_nghe_an_rows_that_need_every_cell() -> None:
    ((_, found),) = _extract(str(_nghe_an()))
    got = {
        (a.agency_key, a.role, a.deadline_text)
        for a in found
        if "nội dung chi, mức chi đặc thù" in a.task
    }
    assert got == {("Sở Tài chính", "chủ trì", "Thường xuyên")}
    partners = [
        a for a in found if a.agency_key == "Văn phòng Ban Chỉ huy" and a.role == "phối hợp"
    ]
    assert len(partners) == 4
    assert not any(a.deadline_text in ("Quyết định Chủ tịch", "Văn bản của Trưởng") for a in found)


def test_rows_round_trip_through_json() -> None:
    found = _assignments(SEED_004)
    rows = json.loads(json.dumps(assignments_to_rows(found), ensure_ascii=False))
    assert [from_row(r) for r in rows] == found


def _bench():
    spec = importlib.util.spec_from_file_location(
        "bench_tasks", PROJECT_ROOT / "scripts" / "bench_tasks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_precision_and_recall_against_hand_counted_gold() -> None:
    """Floors sit just below what was measured (see scripts/bench_tasks.py)."""
    bench = _bench()
    results = bench.measure(shared_dir())
    seeds = [results[n] for n in ("001_ab0ba19032b6ca8f.txt", "004_393fa8954b947a4a.txt")]
    assert sum(r["matched"] for r in seeds) / sum(r["pred"] for r in seeds) >= 0.97
    assert sum(r["matched"] for r in seeds) / sum(r["gold"] for r in seeds) >= 0.97
    if "tvpl_c5d930a5fc8373cd.txt" in results:
        assert results["all"]["precision"] >= 0.95
        assert results["all"]["recall"] >= 0.92
