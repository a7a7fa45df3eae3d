"""scripts/bench_scale.py writes a complete index that the real `Searcher` opens and searches."""

from __future__ import annotations

import importlib.util
import shutil

import numpy as np
import pytest

import index.bm25_query as query_module
from index.manifest import read_manifest
from search.searcher import Searcher
from tests import fakes
from vanban.paths import PROJECT_ROOT, SAMPLES_DIR


def _bench():
    path = PROJECT_ROOT / "scripts" / "bench_scale.py"
    spec = importlib.util.spec_from_file_location("bench_scale", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_synthetic_index_is_complete_and_searchable(tmp_path, monkeypatch) -> None:
    from index.builder import update_index

    fakes.install(monkeypatch)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in sorted(SAMPLES_DIR.glob("*.txt"))[:4]:
        shutil.copy(f, corpus / f.name)
    update_index(tmp_path / "src", [str(corpus)], progress=False)
    bench = _bench()
    src = bench.Source(tmp_path / "src")

    n = 2 * bench.DOC_CHUNKS + 7  # a short last document too
    r = bench.build(src, n, tmp_path / "syn")
    assert r["faiss_kind"] == "flat" and r["bm25_mb"] > 0 and r["build_peak_mb"] > 0

    s = Searcher.load(tmp_path / "syn")
    m = read_manifest(s.gen, "syn")
    assert (len(s), m.counts["documents"], len(s.documents)) == (n, 3, 3)
    assert m.encoder == src.manifest.encoder and m.chunker == src.manifest.chunker
    assert [e.n_chunks for e in m.files] == [50, 50, 7]
    assert np.array_equal(s.row_doc, np.arange(n) // bench.DOC_CHUNKS)
    for e in m.files:
        doc = s.document(e.doc_start)
        assert (doc.source, doc.doc_id) == (e.path, e.doc_ids[0])
        for row in range(e.chunk_start, e.chunk_start + e.n_chunks):
            c = s.chunks[row]
            assert c["doc_id"] == doc.doc_id and doc.text[c["start"] : c["end"]] == c["text"]
    hits = s.search(s.chunks[3]["text"], k=3, mode="hybrid")
    assert s.chunks[3]["id"] in [h.chunk.id for h in hits]
    assert s.document_of(hits[0]).source.startswith("synthetic/")

    # Pruned vs exhaustive: with a tiny budget the served BM25 is pruned; the comparison
    # turns pruning off for its reference and restores the budget.
    monkeypatch.setattr(query_module, "PRUNE_BUDGET", 50)
    monkeypatch.setattr(query_module, "WALK_BUDGET", 50)
    monkeypatch.setattr(query_module, "MIN_CANDIDATES", 5)
    qs = [s.chunks[3]["text"], "sở nào chủ trì", "kế hoạch của ủy ban nhân dân tỉnh"]
    r = bench.compare_exhaustive(s, qs)
    assert query_module.PRUNE_BUDGET == 50
    for key in ("overlap10_bm25", "overlap10_hybrid", "identical10_bm25"):
        assert 0.0 <= r[key] <= 1.0
    assert r["overlap10_bm25"] > 0.5 and r["exhaustive_bm25_p95_ms"] > 0


def test_overlap() -> None:
    overlap = _bench().overlap
    assert overlap([[1, 2, 3], [4]], [[3, 2, 1], [5]], k=3) == pytest.approx(0.5)
    assert overlap([[1, 2, 3, 4]], [[9, 1]], k=1) == 0.0  # only the top k of each count
    assert overlap([[]], [[]]) == 1.0 and overlap([[1]], [[]]) == 0.0 and overlap([], []) == 1.0


def _memlimit():
    path = PROJECT_ROOT / "scripts" / "memlimit.py"
    spec = importlib.util.spec_from_file_location("memlimit", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_memory_limit_without_cgroups_names_the_fix(tmp_path) -> None:
    memlimit = _memlimit()
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    memlimit.CGROUP = blocker / "cgroup"  # cannot be created: its parent is a file
    with pytest.raises(SystemExit, match="--memory-limit needs root"):
        memlimit.enter_memory_limit(4000)
    assert memlimit.limit_bytes(4000) == 4_000_000_000


def test_loaded_arrays_are_advised_random(tmp_path) -> None:
    import mmap

    from index.pagecache import read_at_random

    path = tmp_path / "a.npy"
    np.save(path, np.arange(10, dtype=np.int32))
    arr = read_at_random(np.load(path, mmap_mode="r"))
    assert isinstance(arr._mmap, mmap.mmap) and arr.tolist() == list(range(10))
    plain = np.arange(3)
    assert read_at_random(plain) is plain
