"""Loaders: encoding detection on the seed documents, docx/html layout, PDF failure modes."""

from __future__ import annotations

import codecs
import io
import random
import unicodedata
from pathlib import Path

import pytest

from ingest.loaders import Loaded, load_file, sniff_kind
from ingest.loaders.legacy_vn import from_tcvn3, to_cp1258, to_tcvn3, to_vni
from ingest.loaders.pdf import _legacy_layer, read_pdf_layers
from ingest.loaders.quality import layer_problem
from ingest.loaders.syllable import is_syllable
from vanban.errors import IngestError
from vanban.paths import SAMPLES_DIR, shared_dir

SEEDS = sorted(SAMPLES_DIR.glob("*.txt"))
UNDETERMINED = "cannot determine the text encoding"


def seed_text(i: int) -> str:
    return SEEDS[i].read_text(encoding="utf-8")


def paragraph(i: int) -> str:
    """The longest paragraph of seed i: plenty of accented words, some capitals."""
    return max(seed_text(i).split("\n"), key=len)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def laichau() -> Path:
    shared = shared_dir()
    if shared is None:
        pytest.skip("../shared not found (set VANBAN_SHARED) - the PDF corpus lives there")
    return shared / "corpus" / "pdf" / "laichau_QD-UBND_TTHC_2025_draft_textlayer.pdf"


# --- text encodings ------------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: codecs.BOM_UTF8 + s.encode("utf-8"),
        lambda s: s.encode("utf-16"),  # BOM, native order
        lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"),
        lambda s: s.encode("utf-16-le"),  # no BOM: NUL pattern
        lambda s: s.encode("utf-16-be"),
        to_cp1258,
        to_vni,
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16be-bom", "utf16le", "utf16be", "cp1258", "vni"],
)
@pytest.mark.parametrize("seed", range(5))
def test_whole_seed_round_trips(tmp_path, encode, seed):
    original = seed_text(seed)
    loaded = load_file(write(tmp_path, "doc.txt", encode(original)))
    assert loaded.text == unicodedata.normalize("NFC", original)
    assert (loaded.pages, loaded.ocr_pages, loaded.page_starts) == (None, 0, ())


def test_cp1258_uses_combining_tones_and_comes_back_composed(tmp_path):
    text = paragraph(1)
    data = to_cp1258(text)
    assert b"\xf2" in data  # dot below as a separate byte: the file really is decomposed
    loaded = load_file(write(tmp_path, "a.txt", data))
    assert loaded.text == text
    assert loaded.warnings == ("decoded from cp1258",)


@pytest.mark.parametrize("seed", range(5))
def test_tcvn3_paragraph_round_trips(tmp_path, seed):
    text = paragraph(seed)
    loaded = load_file(write(tmp_path, "a.txt", to_tcvn3(text)))
    assert loaded.warnings == ("decoded from tcvn3",)
    # TCVN3 has no toned capitals: only their case may differ (documented limitation).
    assert loaded.text.lower() == text.lower()


def test_tcvn3_exact_when_capitals_are_representable(tmp_path):
    text = seed_text(0)  # its toned capitals only occur in all-caps words
    assert load_file(write(tmp_path, "a.txt", to_tcvn3(text))).text == text


def test_tcvn3_caps_font_lines_are_restored():
    assert from_tcvn3("KÕ HO¹CH\nVÒ viÖc\n".encode("latin-1")) == "KẾ HOẠCH\nVề việc\n"


def test_tcvn3_known_bytes():
    assert to_tcvn3("Cộng hòa xã hội chủ nghĩa Việt Nam").decode("latin-1") == (
        "Céng hßa x· héi chñ nghÜa ViÖt Nam"
    )


@pytest.mark.parametrize(
    "data",
    [
        bytes(random.Random(7).randrange(256) for _ in range(4000)),  # binary noise
        "Le président a décidé de réunir le comité à Paris.".encode("cp1252"),  # not Vietnamese
        "Tiếng Việt".encode()[:-1] + b"\xff\xfe\x81" * 3,  # broken UTF-8
    ],
    ids=["noise", "french-cp1252", "broken-utf8"],
)
def test_undetectable_bytes_raise(tmp_path, data):
    with pytest.raises(IngestError, match=UNDETERMINED) as err:
        load_file(write(tmp_path, "x.txt", data))
    assert "convert it to UTF-8" in str(err.value)


def test_binary_with_nuls_raises(tmp_path):
    data = bytes(range(256)) * 20
    with pytest.raises(IngestError, match=UNDETERMINED):
        load_file(write(tmp_path, "x.txt", data))


def test_empty_file_raises(tmp_path):
    with pytest.raises(IngestError, match="empty file"):
        load_file(write(tmp_path, "x.txt", b""))


def test_whitespace_only_file_raises(tmp_path):
    with pytest.raises(IngestError, match="no text found"):
        load_file(write(tmp_path, "x.txt", b"  \n\n\t\n"))


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("a.zip", b"PK\x03\x04" + b"\x00" * 100, "corrupt ZIP"),
        ("setup.exe", b"MZ\x90\x00" + bytes(200), "executable"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "save it as .docx"),
    ],
)
def test_unsupported_types_raise(tmp_path, name, data, reason):
    with pytest.raises(IngestError, match=reason):
        sniff_kind(write(tmp_path, name, data))


def test_real_zip_archive_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "bundle.docx"  # the name lies; the content decides
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.txt", "x")
    with pytest.raises(IngestError, match="ZIP archive"):
        load_file(path)


def test_kind_is_sniffed_from_content_not_name(tmp_path):
    html = "<!DOCTYPE html><html><body><p>Sở Y tế</p></body></html>".encode()
    assert sniff_kind(write(tmp_path, "page.txt", html)) == "html"
    assert sniff_kind(write(tmp_path, "note.html", "Kế hoạch 5 < 6".encode())) == "text"
    assert sniff_kind(write(tmp_path, "scan.txt", b"\x89PNG\r\n\x1a\n" + bytes(20))) == "image"
    assert sniff_kind(write(tmp_path, "doc.bin", b"%PDF-1.7\n")) == "pdf"


# --- docx and html ---------------------------------------------------------------


def test_docx_keeps_tables_in_document_order(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Phân công nhiệm vụ như sau:")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [
            ("TT", "Nội dung", "Cơ quan chủ trì"),
            ("1", "Rà soát\ncụm công nghiệp", "Sở Công Thương"),
            ("2", "Y tế", ""),
        ]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("Tổ chức thực hiện.")
    path = tmp_path / "plan.docx"
    document.save(path)
    loaded = load_file(path)
    assert loaded.text == (
        "KẾ HOẠCH\nPhân công nhiệm vụ như sau:\n\n"
        "TT | Nội dung | Cơ quan chủ trì\n1 | Rà soát cụm công nghiệp | Sở Công Thương\n2 | Y tế | \n\n"
        "Tổ chức thực hiện.\n"
    )
    assert loaded.pages is None


def test_docx_merged_cells_appear_once(tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Phụ lục I"
    table.cell(1, 0).text, table.cell(1, 1).text, table.cell(1, 2).text = (
        "1",
        "Sở Tài chính",
        "2025",
    )
    path = tmp_path / "m.docx"
    document.save(path)
    assert load_file(path).text.splitlines() == ["Phụ lục I", "1 | Sở Tài chính | 2025"]


def test_html_drops_markup_and_keeps_blocks(tmp_path):
    page = """<html><head><title>t</title><style>p {color: red}</style></head>
    <body><script>var x = "Sở";</script>
    <h1>Kế hoạch 370/KH-UBND</h1><p>Ủy ban nhân dân <b>tỉnh</b>
    Bến Tre</p><div>Dòng 1<br>Dòng 2</div>
    <table><tr><th>TT</th><th>Cơ quan</th></tr><tr><td>1</td><td>Sở Công
    Thương</td></tr></table><!-- comment --></body></html>"""
    loaded = load_file(write(tmp_path, "p.htm", page.encode("utf-8")))
    assert loaded.text.splitlines() == [
        "Kế hoạch 370/KH-UBND",
        "Ủy ban nhân dân tỉnh Bến Tre",
        "Dòng 1",
        "Dòng 2",
        "TT | Cơ quan",
        "1 | Sở Công Thương",
    ]


def test_html_in_legacy_encoding_is_decoded(tmp_path):
    page = "<html><body><p>Quyết định của Ủy ban nhân dân tỉnh Bến Tre</p></body></html>"
    loaded = load_file(write(tmp_path, "p.html", to_vni(page)))
    assert loaded.text == "Quyết định của Ủy ban nhân dân tỉnh Bến Tre"


# --- PDF -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page4_pdf() -> bytes:
    """Page 4 of the Lai Châu PDF (a clean text layer) as a one-page PDF."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(laichau()).pages[3])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_with_text_page(tmp_path: Path, data: bytes, name: str, **encrypt) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(data))
    if encrypt:
        writer.encrypt(algorithm="RC4-128", **encrypt)
    path = tmp_path / name
    with path.open("wb") as f:
        writer.write(f)
    return path


def test_pdf_text_layer_is_used_when_good(tmp_path, page4_pdf):
    loaded = load_file(write(tmp_path, "ok.pdf", page4_pdf))
    assert (loaded.pages, loaded.ocr_pages, loaded.page_starts) == (1, 0, (0,))
    assert "QUY TRÌNH NỘI BỘ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in loaded.text


def test_pdf_encrypted_with_password_raises(tmp_path, page4_pdf):
    path = _pdf_with_text_page(
        tmp_path, page4_pdf, "locked.pdf", user_password="secret", owner_password="owner"
    )
    with pytest.raises(IngestError, match="encrypted PDF"):
        load_file(path)


def test_pdf_encrypted_with_empty_user_password_opens(tmp_path, page4_pdf):
    path = _pdf_with_text_page(
        tmp_path, page4_pdf, "perm.pdf", user_password="", owner_password="owner"
    )
    assert "Phụ lục II" in load_file(path).text


def test_pdf_truncated_raises(tmp_path):
    data = laichau().read_bytes()
    path = write(tmp_path, "cut.pdf", data[: len(data) // 2])
    with pytest.raises(IngestError, match="truncated or corrupt PDF"):
        load_file(path)


def test_pdf_corrupt_body_raises(tmp_path):
    path = write(
        tmp_path,
        "bad.pdf",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\ngarbage\n%%EOF\n",
    )
    with pytest.raises(IngestError, match=r"corrupt PDF|no pages"):
        load_file(path)


def test_laichau_fragmented_layer_is_judged_garbage():
    layers = read_pdf_layers(laichau())
    verdicts = [layer_problem(text) for text in layers]
    assert [v is not None and "fragmented" in v for v in verdicts] == [True, True, False, False]


@pytest.mark.parametrize("seed", range(5))
def test_clean_text_is_not_judged_garbage(seed):
    text = seed_text(seed)
    pages = [text[i : i + 3000] for i in range(0, len(text), 3000)]
    assert [layer_problem(p) for p in pages if len(p) > 500] == [None] * sum(
        len(p) > 500 for p in pages
    )


def test_legacy_font_text_layer_is_converted_not_ocred():
    text = paragraph(4)
    layer = to_tcvn3(text).decode("cp1252", errors="replace")  # how pypdf shows a .VnTime layer
    assert layer_problem(layer) is not None
    assert _legacy_layer(layer).lower() == text.lower()


def test_page_of_maps_offsets_to_pages():
    loaded = Loaded("ab\n\ncd\n\nef", 3, 0, (), (0, 4, 8))
    assert [loaded.page_of(i) for i in (0, 3, 4, 9)] == [1, 1, 2, 3]
    assert Loaded("x", None, 0, ()).page_of(0) is None


# --- syllables ---------------------------------------------------------------------


def test_syllable_shape():
    good = [
        "nghiêng",
        "khuyến",
        "quốc",
        "giữ",
        "gì",
        "thuở",
        "người",
        "oanh",
        "yêu",
        "xoong",
        "Đắk",
    ]
    bad = ["ViÖt", "HĐND", "ch", "bàc", "ánǵ", "nghe̛", "qwe"]
    assert all(is_syllable(t) for t in good)
    assert not any(is_syllable(t) for t in bad)


# --- mojibake stored as valid UTF-8 --------------------------------------------------


def _read_as_cp1252(data: bytes) -> str:
    """What a tool that assumes Windows-1252 makes of `data` (undefined bytes kept as Latin-1)."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


@pytest.mark.parametrize(
    ("encode", "note"),
    [
        (lambda s: s.encode("utf-8"), "utf-8 (double-encoded, repaired)"),
        (to_vni, "vni (stored as UTF-8, repaired)"),
    ],
    ids=["double-utf8", "vni-as-utf8"],
)
def test_utf8_mojibake_is_repaired(tmp_path, encode, note):
    text = seed_text(2)
    data = _read_as_cp1252(encode(text)).encode("utf-8")
    loaded = load_file(write(tmp_path, "m.txt", data))
    assert loaded.text == text
    assert loaded.warnings == (f"decoded from {note}",)


def test_tcvn3_stored_as_utf8_is_repaired(tmp_path):
    text = seed_text(3)
    data = _read_as_cp1252(to_tcvn3(text)).encode("utf-8")
    loaded = load_file(write(tmp_path, "m.txt", data))
    assert loaded.text.lower() == text.lower()
    assert loaded.warnings == ("decoded from tcvn3 (stored as UTF-8, repaired)",)


def test_foreign_utf8_text_is_left_alone(tmp_path):
    text = "Le président a décidé de réunir le comité à Paris. " * 10
    assert load_file(write(tmp_path, "fr.txt", text.encode())).text == text
