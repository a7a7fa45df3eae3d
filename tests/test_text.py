"""ingest.text: NFC, one tone-mark convention, diacritics folding."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from ingest.text import canonical, fold_diacritics, nfc

PAIRS = [
    ("hoà", "hòa"),
    ("uỷ", "ủy"),
    ("thuý", "thúy"),
    ("Tỉnh uỷ", "Tỉnh ủy"),
    ("khoẻ", "khỏe"),
    ("THUỶ", "THỦY"),
    ("hoá đơn", "hóa đơn"),
]


def test_tone_variants_become_identical():
    for old, new in PAIRS:
        assert canonical(old) == canonical(new) == new


def test_nfd_input_is_composed():
    for word in ["Sở Công Thương", "Ủy ban nhân dân", "nghiệp", "người"]:
        assert canonical(unicodedata.normalize("NFD", word)) == word


def test_syllables_with_glides_keep_their_tone():
    # q+u and g+i are consonants; a horned ư after g is a vowel and carries the tone
    for w in [
        "gửi",
        "giữa",
        "già",
        "quý",
        "quà",
        "giường",
        "quyển",
        "guồng",
        "người",
        "khuỷu",
        "hoàn",
    ]:
        assert canonical(w) == w


def test_fold_diacritics():
    assert fold_diacritics("Sở Công Thương") == "so cong thuong"
    assert fold_diacritics("ĐẮK LẮK") == "dak lak"


@given(st.text())
def test_canonical_never_raises_and_is_idempotent(s):
    once = canonical(s)
    assert canonical(once) == once
    assert len(once) == len(nfc(s))  # length-preserving on NFC: offsets stay valid


@given(st.text(alphabet="aăâeêioôơuưyAĂÂEÊIOÔƠUƯYdđqgnhkt \u0300\u0301\u0303\u0309\u0323"))
def test_canonical_on_vietnamese_like_text(s):
    once = canonical(s)
    assert canonical(once) == once
    assert fold_diacritics(once) == fold_diacritics(nfc(s))
