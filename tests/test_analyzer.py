"""Analyzer and abbreviation learning on real sample text."""

from __future__ import annotations

import unicodedata

import pytest

from index.abbrev import (
    BUILTIN,
    abbr_key,
    default_abbreviations,
    learn_abbreviations,
    merge_abbreviations,
)
from index.analyzer import analyze, canonical_fast, fold_tokens, has_diacritics
from ingest.text import canonical, fold_diacritics
from vanban.paths import SAMPLES_DIR

SAMPLES = sorted(SAMPLES_DIR.glob("*.txt"))


def test_single_letter_syllables_are_kept():
    tokens = analyze("Trụ sở ở Bến Tre, y tế cơ sở", bigrams=False)
    assert "ở" in tokens and "y" in tokens
    assert tokens == ["trụ", "sở", "ở", "bến", "tre", "y", "tế", "cơ", "sở"]


def test_tone_placement_and_unicode_form_do_not_matter():
    old = "Tỉnh uỷ chỉ đạo hoà giải, thuỷ lợi"
    new = "Tỉnh ủy chỉ đạo hòa giải, thủy lợi"
    assert analyze(old) == analyze(new)
    assert analyze(unicodedata.normalize("NFD", new)) == analyze(new)


def test_memoised_canonical_equals_canonical_on_samples():
    for path in SAMPLES:
        text = path.read_text(encoding="utf-8")
        assert canonical_fast(text) == canonical(text), path.name
        nfd = unicodedata.normalize("NFD", text)
        assert canonical_fast(nfd) == canonical(nfd), path.name


def test_bigrams_stay_inside_punctuation_runs():
    tokens = analyze("Sở Y tế. Công an tỉnh")
    assert "sở_y" in tokens and "y_tế" in tokens and "công_an" in tokens
    assert "tế_công" not in tokens


def test_folded_text_analyses_like_folded_tokens_on_samples():
    # The folded index field is built by folding tokens; an unaccented query is
    # analysed from unaccented text. Both must agree or such queries miss.
    for path in SAMPLES:
        text = path.read_text(encoding="utf-8")
        assert analyze(fold_diacritics(text)) == fold_tokens(analyze(text)), path.name


def test_has_diacritics():
    assert not has_diacritics(analyze("so nao chu tri cum cong nghiep"))
    assert has_diacritics(analyze("sở nào chủ trì"))
    assert has_diacritics(["đt"])  # đ is a mark too: "dt" is the folded form


def test_learns_abbreviations_from_the_samples():
    learned = learn_abbreviations(p.read_text(encoding="utf-8") for p in SAMPLES)
    # 001 defines "cụm công nghiệp (CCN):"; 003 defines "lý lịch tư pháp (LLTP)".
    assert learned["ccn"] == "cụm công nghiệp"
    assert learned["lltp"] == "lý lịch tư pháp"
    assert all(len(k) >= 2 and k == abbr_key(k) for k in learned)


@pytest.mark.parametrize(
    ("text", "key", "long"),
    [
        ("Sở Kế hoạch và Đầu tư (KH&ĐT) chủ trì", "khdt", "kế hoạch và đầu tư"),
        ("Ủy ban nhân dân (UBND) tỉnh", "ubnd", "ủy ban nhân dân"),
        (
            "Bộ Lao động – Thương binh và Xã hội (LĐTBXH) hướng dẫn",
            "ldtbxh",
            "lao động thương binh và xã hội",
        ),
        ("các thủ tục hành chính (sau đây gọi tắt là TTHC) thuộc", "tthc", "thủ tục hành chính"),
        ("đánh giá tác động môi trường (ĐTM)", "dtm", "đánh giá tác động môi trường"),
    ],
)
def test_learn_definition_patterns(text, key, long):
    assert learn_abbreviations([text]) == {key: long}


def test_learning_rejects_mismatched_initials_and_ambiguity():
    assert learn_abbreviations(["Văn bản số 12 (QĐ) ngày", "tỉnh Bến Tre (BT và HN)"]) == {}
    votes = ["chương trình (CT)", "chỉ thị (CT)"]
    assert learn_abbreviations(votes) == {}  # 1 vs 1: ambiguous, dropped
    assert learn_abbreviations(votes + ["chỉ thị (CT)"] * 3) == {"ct": "chỉ thị"}


def test_builtin_table_is_consistent():
    table = default_abbreviations()
    assert len(BUILTIN) >= 40
    foreign = {"GRDP", "GDP", "CPI", "FDI"}  # English initials
    for abbr, long in BUILTIN.items():
        # Each Vietnamese entry must be learnable from its own definition, so
        # its initials match its long form and the table cannot hold typos.
        if abbr not in foreign:
            assert learn_abbreviations([f"{long} ({abbr})"]) == {abbr_key(abbr): long.lower()}, abbr
        assert table[abbr_key(abbr)] == long.lower()
    assert merge_abbreviations({"ccn": "cụm cảng nội"})["ccn"] == "cụm công nghiệp"


def test_abbreviation_expands_in_place_and_keeps_its_key():
    table = default_abbreviations()
    tokens = analyze("Sở KH&ĐT và các CCN", abbreviations=table)
    assert tokens[-2:] == ["khdt", "ccn"]
    assert "kế_hoạch" in tokens and "đầu_tư" in tokens and "cụm_công" in tokens
    # Written variants of one abbreviation analyse alike; so does a lazy lower-case query.
    assert analyze("KH-ĐT", abbreviations=table) == analyze("KH&ĐT", abbreviations=table)
    assert analyze("ubnd xã", abbreviations=table) == analyze("UBND xã", abbreviations=table)
    # Document numbers are expanded part by part; unknown parts stay tokens.
    num = analyze("5068/UBND-TH", abbreviations=table, bigrams=False)
    assert num == ["5068", "ủy", "ban", "nhân", "dân", "th", "ubnd"]


def test_two_letter_lowercase_words_are_not_expanded():
    table = {"tp": "thành phố", "ca": "công an"}
    assert analyze("ca trực TP", abbreviations=table, bigrams=False) == [
        "ca",
        "trực",
        "thành",
        "phố",
        "tp",
    ]
