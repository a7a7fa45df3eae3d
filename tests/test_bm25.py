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
import index.bm25_query as query_module
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


def _column_rows_ascending(index: BM25Index) -> bool:
    """Whether every CSC column lists its rows strictly ascending (pruning binary-searches them)."""
    for f in index.fields.values():
        steps = np.diff(np.asarray(f.indices, dtype=np.int64))
        starts = np.asarray(f.indptr[1:-1]) - 1  # steps that cross into the next column
        inside = np.ones(len(steps), dtype=bool)
        inside[starts[(starts >= 0) & (starts < len(steps))]] = False
        if not (steps[inside] > 0).all():
            return False
    return True


def _synthetic_tokens(n: int = 2000, seed: int = 0) -> list[list[str]]:
    """Rows of common syllables (in ~90 % of rows), medium ones (~10 %) and rare ones
    (~5 rows each); rare ones come accented ("tế7") or, in a few rows, with lost marks."""
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n):
        row = [f"c{j}" for j in range(5) for _ in range(rng.integers(1, 4)) if rng.random() < 0.9]
        row += [f"m{j}" for j in range(20) if rng.random() < 0.1]
        for j in rng.choice(200, size=rng.integers(0, 2), replace=False).tolist():
            row.append(f"tế{j}" if rng.random() < 0.8 else f"te{j}")
        rows.append(row)
    return rows


def _exhaustive(index: BM25Index, tokens, k, allowed=None, field_weights=None):
    """The term-at-a-time scoring `search` always did (and still does below the budget)."""
    if field_weights is None:
        accented = any(t != bm25_module.fold_diacritics(t) for t in tokens)
        field_weights = bm25_module.ACCENTED_WEIGHTS if accented else {"folded": 1.0}
    scores = np.zeros(len(index), dtype=np.float64)
    for name, w in field_weights.items():
        toks = tokens if name == "exact" else [bm25_module.fold_diacritics(t) for t in tokens]
        for p in index.fields[name].postings(toks, w):
            scores[p.rows] += p.weight * p.data
    ok = (scores > 0) & (allowed if allowed is not None else True)
    cand = np.flatnonzero(ok)
    rows = cand[np.lexsort((cand, -scores[cand]))][:k]
    return rows, scores[rows]


@pytest.fixture
def spied(monkeypatch):
    """Records the candidate sets of pruned searches and the rows scored by lookup."""
    calls = {"candidates": [], "lookups": []}
    cand_of, score_rows = query_module._candidates, query_module._score_rows

    def candidates(*a, **kw):
        calls["candidates"].append(cand_of(*a, **kw))
        return calls["candidates"][-1]

    def lookups(postings, rows):
        calls["lookups"].append(rows)
        return score_rows(postings, rows)

    monkeypatch.setattr(query_module, "_candidates", candidates)
    monkeypatch.setattr(query_module, "_score_rows", lookups)
    return calls


def _prune_small(monkeypatch):
    monkeypatch.setattr(query_module, "PRUNE_BUDGET", 30)
    monkeypatch.setattr(query_module, "WALK_BUDGET", 30)
    monkeypatch.setattr(query_module, "MIN_CANDIDATES", 20)
    monkeypatch.setattr(query_module, "CANDIDATE_FACTOR", 2)


def test_column_rows_ascending_after_build_and_load(index, tmp_path):
    synthetic = BM25Index.build(_synthetic_tokens())
    for idx, name in ((index, "sample"), (synthetic, "synthetic")):
        assert _column_rows_ascending(idx)
        idx.save(tmp_path / name)
        for mmap in (True, False):
            assert _column_rows_ascending(BM25Index.load(tmp_path / name, mmap=mmap))


PRUNED_QUERIES = [
    ["te3", "te7", "m2", "c0", "c1", "c2"],  # unaccented: the folded field alone
    ["tế3", "tế7", "m2", "m5", "c0", "c1", "c2", "c3"],  # accented: exact looked up only
    ["tế11", "c0", "c0", "c4"],  # a repeated token counts twice
]


@pytest.mark.parametrize("query", PRUNED_QUERIES)
def test_pruned_equals_exhaustive_when_candidates_cover_top_k(query, monkeypatch, spied):
    index = BM25Index.build(_synthetic_tokens())
    _prune_small(monkeypatch)
    k = 5
    rows, scores = index.search(query, k)
    assert len(spied["candidates"]) == 1  # pruned
    expected_rows, expected_scores = _exhaustive(index, query, k)
    assert set(expected_rows.tolist()) <= set(spied["candidates"][0].tolist())
    assert rows.tolist() == expected_rows.tolist()
    assert np.array_equal(scores, expected_scores)  # the same sums, in the same order
    assert len(spied["candidates"][0]) < len(index) / 10


def test_pruning_respects_allowed(monkeypatch, spied):
    index = BM25Index.build(_synthetic_tokens())
    _prune_small(monkeypatch)
    allowed = np.random.default_rng(1).random(len(index)) < 0.3
    covered = 0
    for query in PRUNED_QUERIES:
        for k in (3, 10):
            rows, scores = index.search(query, k, allowed=allowed)
            assert len(rows) == k and allowed[rows].all()
            cand = spied["candidates"][-1]
            assert len(cand) >= query_module.MIN_CANDIDATES and allowed[cand].all()
            expected = _exhaustive(index, query, k, allowed=allowed)
            if set(expected[0].tolist()) <= set(cand.tolist()):
                assert rows.tolist() == expected[0].tolist()
                assert np.array_equal(scores, expected[1])
                covered += 1
    assert len(spied["candidates"]) == 2 * len(PRUNED_QUERIES) and covered >= 3


def test_few_allowed_rows_are_scored_by_lookup_exactly(monkeypatch, spied):
    index = BM25Index.build(_synthetic_tokens())
    allowed = np.zeros(len(index), dtype=bool)
    allowed[[3, 50, 51, 700, 1999]] = True
    for query in PRUNED_QUERIES:
        rows, scores = index.search(query, 3, allowed=allowed)
        expected = _exhaustive(index, query, 3, allowed=allowed)
        assert rows.tolist() == expected[0].tolist() and np.array_equal(scores, expected[1])
        assert spied["lookups"][-1].tolist() == [3, 50, 51, 700, 1999]
    assert not spied["candidates"]


def test_query_of_only_common_tokens_still_returns_results(monkeypatch, spied):
    index = BM25Index.build(_synthetic_tokens())
    _prune_small(monkeypatch)
    rows, scores = index.search(["c0", "c1", "c2", "c3", "c4"], 10)
    assert len(spied["candidates"]) == 1
    assert len(rows) == 10 and (scores > 0).all() and np.all(np.diff(scores) <= 0)
    # The rows found score exactly as exhaustive scoring scores them.
    full_rows, full_scores = _exhaustive(index, ["c0", "c1", "c2", "c3", "c4"], len(index))
    exact = dict(zip(full_rows.tolist(), full_scores.tolist(), strict=True))
    assert scores.tolist() == [exact[r] for r in rows.tolist()]


def test_below_the_budget_search_is_exhaustive(index, abbrevs, spied):
    synthetic = BM25Index.build(_synthetic_tokens())
    cases = [(synthetic, q) for q in PRUNED_QUERIES]
    cases += [(index, analyze(q, abbreviations=abbrevs)) for q in QUERIES]
    for idx, tokens in cases:
        for k in (5, 100):
            rows, scores = idx.search(tokens, k)
            expected = _exhaustive(idx, tokens, k)
            assert rows.tolist() == expected[0].tolist() and np.array_equal(scores, expected[1])
    assert not spied["candidates"] and not spied["lookups"]


def test_doc_freq_counts_rows_on_the_folded_field(index, abbrevs, corpus):
    # Recount by hand: rows whose analysed tokens, folded, contain the folded term.
    from ingest.text import fold_diacritics

    folded_rows = [{fold_diacritics(t) for t in analyze(p, abbreviations=abbrevs)} for p in corpus]
    for term in ("thầu", "thau", "công", "nghiệp", "hạt"):
        expected = sum(fold_diacritics(term) in row for row in folded_rows)
        assert index.doc_freq(term) == expected
    assert index.doc_freq("xyzzyqq") == 0
    assert index.doc_freq("cong") > index.doc_freq("thau") > 0
