"""ingest.clean on the seed documents, on properties of arbitrary text, and on the whole corpus."""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.clean import clean, lines_with_offsets
from ingest.clean_features import ends_sentence, starts_lower, starts_marker
from ingest.clean_wrap import wrap_width
from ingest.text import canonical, nfc
from vanban.paths import SAMPLES_DIR, shared_dir


def _seed(prefix: str) -> str:
    (path,) = SAMPLES_DIR.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seeds() -> dict[str, tuple[str, object]]:
    out = {}
    for prefix in ("000", "001", "002", "003", "004"):
        text = nfc(_seed(prefix))
        out[prefix] = (text, clean(text))
    return out


def _lines(cleaned) -> list[str]:
    return cleaned.text.split("\n")


# --- seed 004: hard-wrapped HTML scrape -------------------------------------------------


def test_004_is_detected_as_hard_wrapped_and_001_is_not(seeds):
    lengths = lambda t: [len(x) for x in t.split("\n") if x.strip()]  # noqa: E731
    assert wrap_width(lengths(seeds["004"][0])) is not None
    assert wrap_width(lengths(seeds["001"][0])) is None


def test_004_heading_cut_inside_is_one_line_and_bullets_stay_separate(seeds):
    lines = _lines(seeds["004"][1])
    k = lines.index("6. Sở Công Thương")
    assert lines[k + 1].startswith(
        "- Tiếp tục triển khai thực hiện có hiệu quả Kế hoạch số 3707/KH-UBND"
    )
    assert lines[k + 2].startswith("- Triển khai thực hiện có hiệu quả Kế")
    for heading in ("7. Sở Nông nghiệp và Phát triển nông thôn", "5. Sở Thông tin và Truyền thông"):
        assert any(line.startswith(heading) for line in lines), heading
    assert "I. CÁC CHỈ TIÊU CHỦ YẾU, CHỦ ĐỀ VÀ TRỌNG TÂM CHỈ ĐẠO ĐIỀU HÀNH" in lines
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines
    assert "KẾ HOẠCH" in lines  # the document type keeps its own line
    assert "II. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU" in lines


def test_004_bullets_are_whole_paragraphs(seeds):
    source, cleaned = seeds["004"]
    bullets_in = sum(1 for x in source.split("\n") if x.startswith("- "))
    bullets_out = sum(1 for x in _lines(cleaned) if x.startswith("- "))
    assert bullets_out == bullets_in
    assert len(_lines(cleaned)) < len(source.split("\n")) / 3


def test_004_no_obvious_mid_sentence_breaks(seeds):
    lines = [x for x in _lines(seeds["004"][1]) if x]
    broken = [
        (a, b)
        for a, b in pairwise(lines)
        if not ends_sentence(a) and starts_lower(b) and not starts_marker(b)
    ]
    assert broken == []


def test_004_table_pipes_and_footnote_marks_are_gone(seeds):
    text = seeds["004"][1].text
    assert "|" not in text
    assert not re.search(r"\S\[\d+\]", text)
    assert "giai đoạn 2021 - 2025 nhằm triển khai" in text  # `2025[2]` lost only its mark


# --- seed 001: news page ------------------------------------------------------------------


def test_001_captions_and_stray_letters_are_gone_headings_kept(seeds):
    lines = _lines(seeds["001"][1])
    assert not [x for x in lines if "Ảnh:" in x]
    assert "b" not in lines
    assert "2. Sở Công Thương chủ trì:" in lines
    assert "c) Thực hiện vai trò quản lý Nhà nước đối với cụm công nghiệp (CCN):" in lines
    assert "A. CHỦ ĐỀ, QUAN ĐIỂM, PHƯƠNG THỨC CHỈ ĐẠO, ĐIỀU HÀNH" in lines


def test_001_long_paragraph_file_is_left_alone(seeds):
    source, cleaned = seeds["001"]
    content_in = [x.strip() for x in source.split("\n") if len(x.strip()) > 60]
    content_out = {x for x in _lines(cleaned) if x}
    # Every real paragraph survives as its own line (modulo tone marks and spacing).
    missing = [x for x in content_in if " ".join(canonical(x).split()) not in content_out]
    assert [x for x in missing if "Ảnh:" not in x] == []


# --- seed 002: OCR bundle -----------------------------------------------------------------


def test_002_bullets_markdown_and_page_break_cut(seeds):
    lines = _lines(seeds["002"][1])
    assert "•" not in lines
    assert not any("**" in x for x in lines)
    assert "ỦY BAN NHÂN DÂN" in lines and "TỈNH TÂY NINH" in lines
    # A page break cut "... ban hành và triển" / blank / "khai thực hiện ..."
    assert any("đã xây dựng, ban hành và triển khai thực hiện kịp thời" in x for x in lines)


# --- the offset map -----------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_origin_maps_every_char_back_to_the_source(seeds, prefix):
    source, cleaned = seeds[prefix]
    canon = canonical(source)
    text, origin = cleaned.text, cleaned.origin
    assert len(origin) == len(text)
    assert all(a <= b for a, b in pairwise(origin))
    assert all(0 <= o < len(source) for o in origin)
    for i, ch in enumerate(text):
        src = source[origin[i]]
        if ch.isspace():
            continue  # joined breaks and collapsed blanks map to whitespace or a removed mark
        assert ch in (src, canon[origin[i]]), (i, ch, src)


def test_origin_of_a_joined_heading_spans_the_wrap(seeds):
    source, cleaned = seeds["004"]
    start = cleaned.text.index("6. Sở Công Thương")
    a, b = cleaned.to_original(start, start + len("6. Sở Công Thương"))
    assert source[a:b] == "6. Sở Công\nThương"


def test_lines_with_offsets_cover_the_text(seeds):
    text = seeds["004"][1].text
    spans = lines_with_offsets(text)
    assert [text[a:b] for a, b in spans] == text.split("\n")


# --- properties ---------------------------------------------------------------------------

_WORDS = ["Sở", "Công", "Thương", "hòa", "hoà", "uỷ", "ủy", "thuý", "thúy", "khỏe", "khoẻ", "và"]
_MARKS = ["1.", "a)", "-", "II.", "Điều 5.", "|", "[1]", "**", "Ảnh:", "3", "•", ".", ";", ","]
_VI = st.sampled_from(_WORDS + _MARKS)
_DOCLIKE = st.lists(
    st.one_of(_VI, st.sampled_from([" ", "\n", "\n\n", "\t", "\u00a0", "-\n"])), max_size=80
).map("".join)
_ANY = st.text(max_size=300) | _DOCLIKE


@settings(max_examples=300, deadline=None)
@given(_ANY)
def test_never_raises_and_is_idempotent(text):
    once = clean(text)
    assert len(once.origin) == len(once.text)
    assert all(a <= b for a, b in pairwise(once.origin))
    assert all(0 <= o < len(text) for o in once.origin)
    assert clean(once.text).text == once.text


@settings(max_examples=200, deadline=None)
@given(_DOCLIKE)
def test_nfd_input_gives_the_same_text(text):
    assert clean(nfc(unicodedata.normalize("NFD", text))).text == clean(nfc(text)).text


@pytest.mark.parametrize(
    ("old", "new"), [("hoà", "hòa"), ("uỷ", "ủy"), ("thuý", "thúy"), ("Khoẻ", "Khỏe")]
)
def test_tone_variants_give_identical_text(old, new):
    template = "Tỉnh {} ban hành kế hoạch\nvề {} giải.\n\n- Trang 2 -\n{}"
    assert clean(template.format(old, old, old)).text == clean(template.format(new, new, new)).text


def test_hyphen_cut_keeps_the_hyphen_and_drops_the_break():
    assert clean("Nghị định số 52/2013/NĐ-\nCP của Chính phủ").text == (
        "Nghị định số 52/2013/NĐ-CP của Chính phủ"
    )


def test_page_number_inside_a_sentence_and_table_numbers():
    line = "phát triển các hệ thống có khả năng thực hiện các nhiệm vụ"
    assert clean(f"{line}\n1\nđòi hỏi trí tuệ.").text == f"{line} đòi hỏi trí tuệ."
    # A table's row number (followed by its cell, not by a continuation) stays.
    table = "TT\nMã TTHC\nTên TTHC\n1\n1.014440\nThủ tục công nhận trung tâm"
    assert clean(table).text.split("\n") == table.split("\n")


def test_markdown_table_becomes_cells_and_rule_row_vanishes():
    text = "| Số TT | Tên sản phẩm |\n|---|---|\n| 1 | Tay giả tháo khớp vai |"
    assert clean(text).text.split("\n") == ["Số TT", "Tên sản phẩm", "1", "Tay giả tháo khớp vai"]


# --- the whole archive --------------------------------------------------------------------


@pytest.mark.slow
def test_whole_vn_admin_corpus_cleans_idempotently():
    shared = shared_dir()
    if shared is None:
        pytest.skip("../shared not present: the vn-admin corpus is needed for this test")
    files = sorted((shared / "corpus" / "vn-admin" / "docs").glob("*.txt"))
    assert len(files) >= 1000
    for path in files:
        text = nfc(path.read_text(encoding="utf-8"))
        once = clean(text)
        assert len(once.origin) == len(once.text), path.name
        assert clean(once.text).text == once.text, path.name


def test_running_header_beside_page_numbers_goes_but_repeated_table_cells_stay():
    page = "Nội dung trang {n} của kế hoạch,\n\nCông báo số 12\n- {n} -\nđược thực hiện."
    text = "\n".join(page.format(n=n) for n in range(1, 5))
    assert "Công báo" not in clean(text).text
    row = "{n}\nRà soát hồ sơ\nCơ quan, địa\nphương\nQuý IV"
    table = "\n".join(row.format(n=n) for n in range(1, 5))
    assert clean(table).text.count("Cơ quan, địa phương") == 4


def test_markdown_table_header_cells_survive_repetition():
    row = "| STT | Tỷ lệ tổn thương cơ thể | Mức hưởng trợ cấp |\n|---|---|---|\n| {n} | {n}% | 1.000 |"
    text = "\n\n".join(row.format(n=n) for n in range(1, 5))
    assert clean(text).text.count("Mức hưởng trợ cấp") == 4
