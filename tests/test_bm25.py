"""BM25Index on the sample corpus: folded field, abbreviations, persistence, filters,
and equality with the rank-bm25 reference implementation."""

from __future__ import annotations

import json
import re

import bm25s
import numpy as np
import pytest
from rank_bm25 import BM25Okapi

import index.bm25 as bm25_module
from index.abbrev import learn_abbreviations, merge_abbreviations
from index.analyzer import analyze
from index.bm25 import BM25Index, _intern, bm25_matrix
from vanban.errors import IndexStateError
from vanban.paths import SAMPLES_DIR

QUERIES = [
    "Sở Công Thương chủ trì phát triển cụm công nghiệp",
    "sở nào chủ trì cụm công nghiệp",
    "thời gian hoàn thành quy hoạch",
    "Ủy ban nhân dân tỉnh Tiền Giang",
    "lý lịch tư pháp",
    "phòng chống dịch bệnh sốt xuất huyết",
    "trang thiết bị y tế",
    "chuyển đổi số",
    "Sở Tài chính bố trí kinh phí",
    "nông thôn mới",
    "Tỉnh ủy Bến Tre",
    "báo cáo kết quả thực hiện",
    "Sở Y tế hướng dẫn",
    "phổ biến giáo dục pháp luật",
    "thu hút đầu tư hạ tầng kỹ thuật",
    "xử lý nước thải tập trung",
    "cải cách hành chính",
    "văn bản quy phạm pháp luật",
    "Văn phòng Tỉnh ủy thông báo",
    "bảo vệ môi trường",
    "đồng bằng sông Cửu Long",
    "giải ngân vốn đầu tư công",
    "ở y tế cơ sở",
]


def _passages(text: str, size: int = 700) -> list[str]:
    """Blank-line paragraphs; files without blank lines are packed line by line."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        buf = ""
        for line in para.splitlines():
            buf = f"{buf}\n{line}" if buf else line
            if len(buf) >= size:
                out.append(buf)
                buf = ""
        if buf.strip():
            out.append(buf)
    return out


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES_DIR.glob("*.txt"))]
    passages = [p for t in texts for p in _passages(t)]
    assert len(passages) > 300
    return passages


@pytest.fixture(scope="module")
def abbrevs(corpus) -> dict[str, str]:
    return merge_abbreviations(learn_abbreviations(corpus))


@pytest.fixture(scope="module")
def index(corpus, abbrevs) -> BM25Index:
    tokens = [analyze(p, abbreviations=abbrevs) for p in corpus]
    return BM25Index.build(tokens, settings={"abbreviations": abbrevs})


def _search(index, abbrevs, query, k=5, **kw):
    return index.search(analyze(query, abbreviations=abbrevs), k, **kw)


def test_folded_query_finds_accented_passage(index, abbrevs, corpus):
    rows, scores = _search(index, abbrevs, "so nao chu tri cum cong nghiep")
    assert len(rows) == 5 and np.all(np.diff(scores) <= 0)
    assert any("cụm công nghiệp" in corpus[r].lower() for r in rows)
    # The unaccented query ranks like the accented one on the folded field.
    accented = _search(index, abbrevs, "sở nào chủ trì cụm công nghiệp", k=1)[0]
    assert rows[0] == accented[0]


def test_accented_query_prefers_exact_accents(corpus):
    # "thuế" (tax) and "thuê" (rent) fold to the same "thue"; an OCR copy lost its marks.
    docs = [
        "tăng cường quản lý thuê đất, thuê mặt nước tại các khu công nghiệp",
        "tăng cường quản lý thuế đất, thuế mặt nước tại các khu công nghiệp",
        "tang cuong quan ly thue dat, thue mat nuoc tai cac khu cong nghiep",
        *corpus[:50],
    ]
    index = BM25Index.build([analyze(d) for d in docs])
    rows, _ = index.search(analyze("quản lý thuế đất"), 5)
    assert rows.tolist()[0] == 1
    assert {0, 2} <= set(rows.tolist())  # folded-only matches still come, after the exact one
    rows, _ = index.search(analyze("quản lý thuê đất"), 1)
    assert rows.tolist() == [0]
    # Without marks the three are indistinguishable; all of them come first.
    rows, scores = index.search(analyze("quan ly thue dat"), 3)
    assert set(rows.tolist()) == {0, 1, 2} and scores[0] == pytest.approx(scores[2])


def _mentions(passage: str, phrase: str) -> bool:
    """Whether `passage` holds the syllables of `phrase` in a row (commas, wraps ignored)."""
    return (
        f" {' '.join(analyze(phrase, bigrams=False))} "
        in f" {' '.join(analyze(passage, bigrams=False))} "
    )


@pytest.mark.parametrize(
    ("query", "long_form"),
    [
        ("CCN", "cụm công nghiệp"),
        ("LLTP", "lý lịch tư pháp"),
        ("PBGDPL", "phổ biến giáo dục pháp luật"),
    ],
)
def test_abbreviation_query_finds_long_form(index, abbrevs, corpus, query, long_form):
    # CCN is built in (and defined in 001); LLTP and PBGDPL are only learned from the samples.
    relevant = {i for i, p in enumerate(corpus) if _mentions(p, long_form) or query in p}
    assert relevant
    rows, _ = _search(index, abbrevs, query, k=len(relevant))
    assert set(rows.tolist()) == relevant, [corpus[r][:80] for r in rows]


def test_save_load_round_trip(index, abbrevs, tmp_path):
    index.save(tmp_path / "bm25")
    for mmap in (True, False):
        loaded = BM25Index.load(tmp_path / "bm25", mmap=mmap)
        assert isinstance(loaded.fields["exact"].data, np.memmap) == mmap
        assert len(loaded) == len(index) and loaded.settings == index.settings
        for q in [*QUERIES, "so nao chu tri", "CCN"]:
            a, b = _search(index, abbrevs, q, 10), _search(loaded, abbrevs, q, 10)
            assert a[0].tolist() == b[0].tolist() and np.array_equal(a[1], b[1])
    assert not list(tmp_path.glob("bm25/*.pkl"))


def test_load_checks_version_and_presence(index, tmp_path):
    with pytest.raises(IndexStateError, match="rebuild"):
        BM25Index.load(tmp_path / "missing")
    index.save(tmp_path / "v")
    manifest = json.loads((tmp_path / "v/manifest.json").read_text())
    (tmp_path / "v/manifest.json").write_text(json.dumps({**manifest, "version": 0}))
    with pytest.raises(IndexStateError, match=r"v0.*rebuild"):
        BM25Index.load(tmp_path / "v")
    (tmp_path / "v/manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "v/folded.indptr.npy").unlink()
    with pytest.raises(IndexStateError, match=r"folded\.indptr"):
        BM25Index.load(tmp_path / "v")


def test_allowed_mask_filters_inside_retrieval(index, abbrevs):
    rng = np.random.default_rng(0)
    allowed = rng.random(len(index)) < 0.2
    for q in QUERIES:
        rows, _ = _search(index, abbrevs, q, 10, allowed=allowed)
        assert allowed[rows].all()
        full_rows, _ = _search(index, abbrevs, q, len(index))
        expected = full_rows[allowed[full_rows]][:10]
        assert rows.tolist() == expected.tolist()
    with pytest.raises(ValueError, match="bool array"):
        index.search(["sở"], 5, allowed=np.ones(3, dtype=bool))


@pytest.mark.parametrize("method", ["lucene", "robertson", "atire"])
def test_matrix_equals_bm25s_own_build(corpus, abbrevs, method, monkeypatch):
    # Tiny batches so rows are counted across many batch boundaries.
    monkeypatch.setattr(bm25_module, "_BATCH_TOKENS", 997)
    tokens = [analyze(p, abbreviations=abbrevs) for p in corpus]
    vocab, flat, offsets = _intern(tokens)
    params = {"k1": 1.2, "b": 0.75, "method": method, "idf_method": method}
    data, rows, indptr = bm25_matrix(flat, offsets, len(vocab), params)
    engine = bm25s.BM25(k1=1.2, b=0.75, method=method)
    ref = engine.build_index_from_ids(
        unique_token_ids=list(range(len(vocab))),
        corpus_token_ids=[flat[offsets[i] : offsets[i + 1]].tolist() for i in range(len(tokens))],
        show_progress=False,
    )
    assert indptr.tolist() == np.asarray(ref["indptr"]).tolist()
    for t in range(len(vocab)):
        lo, hi = indptr[t], indptr[t + 1]
        ref_rows = np.asarray(ref["indices"][lo:hi])
        order = np.argsort(ref_rows)
        assert rows[lo:hi].tolist() == ref_rows[order].tolist()
        np.testing.assert_allclose(data[lo:hi], np.asarray(ref["data"][lo:hi])[order], rtol=1e-6)


def test_empty_rows_and_empty_corpus():
    index = BM25Index.build([[], ["sở", "y", "tế"], []])
    assert len(index) == 3 and index.search(["y"], 5)[0].tolist() == [1]
    empty = BM25Index.build([])
    assert len(empty) == 0 and empty.search(["y"], 5)[0].tolist() == []
    blank = BM25Index.build([[], []])
    assert len(blank) == 2 and blank.search(["y"], 5)[0].tolist() == []


def test_same_top10_and_scores_as_rank_bm25(corpus):
    # bm25s "atire" term weight tf*(k1+1)/(tf+k1*(1-b+b*dl/avgdl)) with "robertson" idf
    # log((N-df+0.5)/(df+0.5)) clamped at 0 is rank_bm25.BM25Okapi with epsilon=0
    # (BM25Okapi floors negative idf at epsilon * mean idf).
    tokens = [analyze(p) for p in corpus]
    ours = BM25Index.build(tokens, k1=1.5, b=0.75, method="atire", idf_method="robertson")
    ref = BM25Okapi(tokens, k1=1.5, b=0.75, epsilon=0.0)
    compared = 0
    for q in QUERIES:
        qt = analyze(q)
        # The exact field alone is the plain BM25 that rank-bm25 computes.
        rows, scores = ours.search(qt, 10, field_weights={"exact": 1.0})
        expected = ref.get_scores(qt)
        # Passages with equal tf and length tie exactly; rank-bm25's float64 sums break
        # such ties by ~1e-15 noise, so ties are broken by row on both sides.
        order = np.lexsort((np.arange(len(expected)), -np.round(expected, 6)))[:10]
        order = order[expected[order] > 0]
        assert rows.tolist() == order.tolist(), q
        np.testing.assert_allclose(scores, expected[order], rtol=0, atol=1e-5)
        compared += len(rows)
    assert compared >= 200
