"""Building and updating an index: incremental == rebuild, crash safety, clear errors."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from index import layout
from index.builder import update_index
from index.manifest import read_manifest
from search.filters import Filters
from search.searcher import Searcher
from tests import fakes
from vanban.errors import IndexStateError
from vanban.paths import PROJECT_ROOT, SAMPLES_DIR

QUERIES = [
    "sở nào chủ trì cụm công nghiệp",
    "so nao chu tri cum cong nghiep",
    "Sở Y tế Tây Ninh tham mưu thực hiện kết luận",
    "tăng trưởng GRDP năm 2024",
    "chuyển đổi số",
]


def _results(index_dir: Path, mode: str = "hybrid"):
    s = Searcher.load(index_dir)
    return {
        q: [(h.chunk.id, round(h.score, 6)) for h in s.search(q, k=10, mode=mode)] for q in QUERIES
    }


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "docs"
    root.mkdir()
    for f in sorted(SAMPLES_DIR.glob("*.txt"))[:3]:
        shutil.copy(f, root / f.name)
    return root


def test_incremental_updates_equal_a_full_rebuild(monkeypatch, tmp_path, corpus):
    fakes.install(monkeypatch)
    idx = tmp_path / "idx"
    r = update_index(idx, [str(corpus)], progress=False)
    assert len(r.added) == 3 and not r.failed and r.chunks > 0
    first = _results(idx)

    again = update_index(idx, [str(corpus)], progress=False)
    assert len(again.unchanged) == 3 and not again.published and _results(idx) == first

    samples = sorted(SAMPLES_DIR.glob("*.txt"))
    shutil.copy(samples[3], corpus / samples[3].name)  # add
    victim = sorted(corpus.glob("*.txt"))[1]
    victim.write_text(
        victim.read_text(encoding="utf-8") + "\nBổ sung: Sở Tài chính bố trí kinh phí.\n",
        encoding="utf-8",
    )  # change
    (corpus / samples[0].name).unlink()  # delete
    r = update_index(idx, [str(corpus)], progress=False)
    assert (len(r.added), len(r.updated), len(r.removed), len(r.unchanged)) == (1, 1, 1, 1)
    assert r.embedded < r.chunks  # the unchanged file was not embedded again

    fresh = tmp_path / "fresh"
    update_index(fresh, [str(corpus)], progress=False)
    for mode in ("bm25", "dense", "hybrid"):
        assert _results(idx, mode) == _results(fresh, mode)
    s = Searcher.load(idx)
    assert len(s) == Searcher.load(fresh).__len__()
    # row i agrees across the chunk store, BM25 and FAISS: a chunk's own text finds itself first
    for row in (0, len(s) // 2, len(s) - 1):
        chunk = s.chunks[row]
        assert (
            s.dense.ranked(fakes.HashEncoder().encode_queries([chunk["index_text"]])[0], 1)[0][0]
            == row
        )


def test_save_load_round_trip_is_identical(monkeypatch, tmp_path, corpus):
    fakes.install(monkeypatch)
    idx = tmp_path / "idx"
    update_index(idx, [str(corpus)], progress=False)
    a = Searcher.load(idx)
    b = Searcher.load(idx)
    for q in QUERIES:
        assert [(h.chunk, h.score) for h in a.search(q)] == [
            (h.chunk, h.score) for h in b.search(q)
        ]


def test_filters_return_only_matching_documents(monkeypatch, tmp_path):
    fakes.install(monkeypatch)
    idx = tmp_path / "idx"
    update_index(idx, [str(SAMPLES_DIR)], progress=False)
    s = Searcher.load(idx)
    checks = [
        (Filters(doc_type="Kế hoạch"), lambda m: m["doc_type"] == "Kế hoạch"),
        (Filters(issuer="Bến Tre"), lambda m: "Bến Tre" in (m["issuer"] or "")),
        (
            Filters(since="2023-09-01", until="2023-12-31"),
            lambda m: "2023-09-01" <= (m["date"] or "") <= "2023-12-31",
        ),
        (Filters(number="370/KH-UBND"), lambda m: m["number"] == "370/KH-UBND"),
    ]
    for f, ok in checks:
        for mode in ("bm25", "dense", "hybrid"):
            hits = s.search("kế hoạch thực hiện nhiệm vụ", k=10, filters=f, mode=mode)
            assert hits, (f, mode)
            assert all(ok(s.doc_metas[s._doc_row[h.chunk.doc_id]]) for h in hits), (f, mode)
    res = s.run("kế hoạch", filters=Filters(doc_type="Luật"))
    assert res.hits == () and "no document matches the filters" in res.notes


def test_bad_paths_and_empty_inputs(monkeypatch, tmp_path):
    fakes.install(monkeypatch)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(os.urandom(4000))
    shutil.copy(
        SAMPLES_DIR / sorted(p.name for p in SAMPLES_DIR.glob("*.txt"))[0], docs / "good.txt"
    )
    idx = tmp_path / "idx"
    r = update_index(idx, [str(docs), str(tmp_path / "nope")], progress=False)
    failed = dict(r.failed)
    assert set(failed) == {
        str(docs / "empty.txt"),
        str(docs / "binary.txt"),
        str(tmp_path / "nope"),
    }
    assert all(reason for reason in failed.values())
    assert r.added == [str(docs / "good.txt")] and r.chunks > 0
    with pytest.raises(IndexStateError, match="vanban index"):
        Searcher.load(tmp_path / "no-index")


def test_failed_update_keeps_the_old_version(monkeypatch, tmp_path, corpus):
    fakes.install(monkeypatch)
    idx = tmp_path / "idx"
    update_index(idx, [str(corpus)], progress=False)
    before = _results(idx)
    victim = sorted(corpus.glob("*.txt"))[0]
    victim.write_bytes(b"\x00\xff\x00binary garbage" * 100)
    r = update_index(idx, [str(corpus)], progress=False)
    assert [p for p, _ in r.failed] == [str(victim)]
    assert _results(idx) == before  # nothing already indexed is lost


def test_killed_index_run_leaves_the_old_index_loadable(tmp_path, corpus):
    idx = tmp_path / "idx"
    script = tmp_path / "run.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(PROJECT_ROOT)!r})
            import pytest
            from tests import fakes
            mp = pytest.MonkeyPatch()
            fakes.install(mp, delay=float(sys.argv[2]))
            from index.builder import update_index
            update_index({str(idx)!r}, [sys.argv[1]], progress=False)
            """
        )
    )
    subprocess.run([sys.executable, str(script), str(corpus), "0"], check=True)
    before = _results_fake(idx)
    extra = tmp_path / "more"
    extra.mkdir()
    shutil.copy(sorted(SAMPLES_DIR.glob("*.txt"))[4], extra / "x.txt")
    proc = subprocess.Popen([sys.executable, str(script), str(extra), "0.05"])
    deadline = time.time() + 60
    while time.time() < deadline and len(list(idx.glob("gen-*"))) < 2:
        time.sleep(0.05)
    time.sleep(0.3)  # mid-embedding
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert _results_fake(idx) == before
    subprocess.run(
        [sys.executable, str(script), str(extra), "0"], check=True
    )  # lock released by the kernel
    assert len(list(idx.glob("gen-*"))) == 2  # the crashed generation was collected
    assert layout.live_generation(idx) is not None


def _results_fake(idx):
    mp = pytest.MonkeyPatch()
    fakes.install(mp)
    try:
        return _results(idx)
    finally:
        mp.undo()


def test_parser_change_reparses_unchanged_files_without_reembedding(monkeypatch, tmp_path, corpus):
    import dataclasses

    import ingest.pipeline as pipeline

    fakes.install(monkeypatch)
    idx = tmp_path / "idx"
    update_index(idx, [str(corpus)], progress=False)
    before = _results(idx)

    monkeypatch.setattr(pipeline, "parser_fingerprint", lambda: "parser-b")
    real = pipeline.extract_metadata

    def new_metadata(text):  # a parser fix that changes what is extracted, not the chunks
        meta, warnings = real(text)
        return dataclasses.replace(meta, signer="Người Ký Mới"), warnings

    monkeypatch.setattr(pipeline, "extract_metadata", new_metadata)
    r = update_index(idx, [str(corpus)], progress=False)
    assert len(r.reparsed) == 3 and r.published and not r.failed
    assert r.embedded == 0  # every chunk text is unchanged: vectors are reused
    assert read_manifest(layout.live_generation(idx), str(idx)).parser == "parser-b"
    s = Searcher.load(idx)
    hit = s.search(QUERIES[0], k=1)[0]
    assert s.document_of(hit).meta.signer == "Người Ký Mới"
    assert _results(idx) == before

    again = update_index(idx, [str(corpus)], progress=False)
    assert not again.reparsed and not again.published  # same parser: nothing to do


def test_changed_file_embeds_only_its_changed_chunks(monkeypatch, tmp_path, corpus):
    fakes.install(monkeypatch)
    idx = tmp_path / "idx"
    update_index(idx, [str(corpus)], progress=False)
    victim = sorted(corpus.glob("*.txt"))[1]
    files = read_manifest(layout.live_generation(idx), str(idx)).files
    n_victim = sum(e.n_chunks for e in files if e.path == str(victim))
    victim.write_text(
        victim.read_text(encoding="utf-8") + "\nBổ sung: Sở Tài chính bố trí kinh phí.\n",
        encoding="utf-8",
    )
    r = update_index(idx, [str(corpus)], progress=False)
    assert r.updated == [str(victim)] and 0 < r.embedded < n_victim
    fresh = tmp_path / "fresh"
    update_index(fresh, [str(corpus)], progress=False)
    assert _results(idx) == _results(fresh)
