"""Hybrid search on the real sample index: the headline queries, modes, notes, encoder checks."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from search.filters import Filters
from search.searcher import SearchSettings
from vanban.cli import main
from vanban.errors import IndexStateError, VanbanError

QUERIES = ["sở nào chủ trì cụm công nghiệp?", "so nao chu tri cum cong nghiep"]


@pytest.mark.parametrize("query", QUERIES)
def test_industrial_cluster_lead_found_in_both_plans(searcher, query):
    hits = searcher.search(query, k=5)
    paths = [(searcher.document_of(h).meta.number, h.chunk.section) for h in hits]
    tien_giang = [p for n, p in paths if "2. Sở Công Thương chủ trì:" in p]
    assert any("cụm công nghiệp (CCN)" in p[-1] for p in tien_giang), paths
    assert any(n == "370/KH-UBND" and p[-1] == "6. Sở Công Thương" for n, p in paths), paths


def test_hits_carry_both_retrievers_scores_and_ranks(searcher):
    hits = searcher.search(QUERIES[0], k=10)
    assert any(set(h.ranks) >= {"bm25", "dense"} for h in hits)
    for h in hits:
        assert set(h.scores) == set(h.ranks) and all(r >= 1 for r in h.ranks.values())
        doc = searcher.document_of(h)
        assert doc.text[h.chunk.start : h.chunk.end] == h.chunk.text


def test_document_prior_scores_candidates_by_their_whole_document(searcher):
    q = QUERIES[0]
    ranked = {"bm25": searcher.sparse.search(q, 100)}
    prior = searcher.document_prior(q, ranked)
    assert prior and {r for r, _ in prior} <= {r for r, _ in ranked["bm25"]}  # no new rows
    whole = dict(searcher.doc_sparse.search(q, len(searcher.doc_sparse)))
    for row, score in prior:
        assert score == pytest.approx(whole[int(searcher.row_doc[row])])
    assert [s for _, s in prior] == sorted((s for _, s in prior), reverse=True)
    # Passages of the document that matches the question as a whole rank first.
    best_doc = max({int(searcher.row_doc[r]) for r, _ in ranked["bm25"]}, key=whole.get)
    assert int(searcher.row_doc[prior[0][0]]) == best_doc
    off = SearchSettings(weights={"bm25": 1.0, "dense": 0.7, "document": 0.0})
    assert all("document" not in h.ranks for h in searcher.search(q, k=10, settings=off))
    assert any("document" in h.ranks for h in searcher.search(q, k=10))


def test_modes_and_empty_side_is_reported(searcher):
    for mode in ("bm25", "dense"):
        hits = searcher.search(QUERIES[0], k=3, mode=mode)
        assert hits and all(set(h.ranks) == {mode} for h in hits)
    res = searcher.run("zzzqqq xxyyzz", k=5)  # no word of it is in the corpus
    assert "BM25 found no passage with the query's words" in res.notes
    assert res.hits  # dense still answers: the user sees why
    with pytest.raises(VanbanError, match="unknown search mode"):
        searcher.run("x", mode="sparse")


def test_filters_inside_retrieval_keep_k_results(searcher):
    hits = searcher.search("kế hoạch", k=10, filters=Filters(number="3646/SYT-VP"))
    assert len(hits) >= 3  # that short letter has few chunks, all of them come back
    assert {searcher.document_of(h).meta.number for h in hits} == {"3646/SYT-VP"}


def test_querying_with_another_encoder_is_a_clear_error(sample_index):
    from search.searcher import Searcher

    with pytest.raises(IndexStateError, match=r"index built with encoder .*--rebuild"):
        Searcher.load(sample_index, encoder="sentence-transformers/all-MiniLM-L6-v2")


def test_search_cli_json_shape(sample_index):
    r = CliRunner().invoke(
        main, ["search", QUERIES[0], "--index", str(sample_index), "-k", "3", "--json"]
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["query"] == QUERIES[0] and out["mode"] == "hybrid" and len(out["hits"]) == 3
    hit = out["hits"][0]
    keys = {
        "rank",
        "chunk_id",
        "doc_id",
        "source",
        "number",
        "doc_type",
        "date",
        "issuer",
        "section",
        "text",
        "start",
        "end",
        "score",
        "scores",
        "ranks",
    }
    assert keys <= set(hit) and set(hit["scores"]) == {"bm25", "dense"}


def test_search_cli_bad_input(sample_index, tmp_path):
    r = CliRunner().invoke(main, ["search", "x", "--index", str(tmp_path / "none")])
    assert r.exit_code == 2 and "no index here" in r.stderr
    r = CliRunner().invoke(
        main, ["search", "x", "--index", str(sample_index), "--since", "2023/01/01"]
    )
    assert r.exit_code != 0 and "YYYY-MM-DD" in r.output
