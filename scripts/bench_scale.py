"""How the served system grows with the index: synthetic indexes of 10k → 100k (→ 1M) chunks.

    .venv/bin/python scripts/bench_scale.py --source-index DIR [--sizes 10000,100000]
        [--queries 100] [--engine torch|auto] [--keep DIR] [--json PATH] [--compare]
    .venv/bin/python scripts/bench_scale.py --serve KEPT/scale-N [--engine auto] [--compare]
        [--memory-limit MB]

Build (this process), per size N: chunk texts are new combinations of sentences of the
source index's chunks (so vocabulary and term statistics are those of real directives);
vectors are the source vectors plus small noise, re-normalised; every 50 chunks form a
document whose metadata is copied from a real one. The generation is written with the
project's own writers, file for file what `vanban index` writes. Measured: BM25 and
FAISS build+save seconds, their size on disk, this process's peak RSS per build phase.

Serve (a fresh `--serve DIR` subprocess per size, as a server starts): `Searcher.load`,
3 warm-up queries, then `search(q, k=10)` over the vn-admin eval questions (repeated
to --queries) in hybrid mode (query encoding included), then bm25 and dense alone.
Measured: p50/p95 ms, peak and current RSS, the chunk count and the FAISS kind. The
files were just written, so they sit in the page cache: these are warm latencies. On a
busy machine torch's default threads make encoding ~20x slower: compare OMP_NUM_THREADS=1.

`--serve DIR` alone re-serves a kept index (prints the JSON line; no build). `--compare`
then also reports, on the distinct questions, the top-10 overlap of BM25 and hybrid search
as served (BM25 query pruning on, see index/bm25_query.py) with the same searches scored
exhaustively, and the exhaustive BM25 latency, measured after the RSS readings.
`--memory-limit MB` serves from a cold page cache inside a memory cgroup of that size
(scripts/memlimit.py): RSS of a memory-mapped index counts only pages touched, the limit
shows whether the working set fits.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from eval.metrics import time_each
from index import layout
from index.dense_build import DENSE_SETTINGS, build_dense
from index.manifest import FileEntry, read_manifest
from index.sparse import SPARSE_SETTINGS, write_sparse
from index.store import RowStore, write_rows
from vanban.paths import PROJECT_ROOT

QUESTIONS = PROJECT_ROOT / "eval/data/vn-admin/questions.jsonl"
DOC_CHUNKS = 50  # synthetic chunks per synthetic document
BLOCK = 65_536  # vector rows synthesised at a time (100 MB of float32 at 384-d)


def rss_mb(field: str = "VmRSS") -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{field}:\s*(\d+) kB", status, re.M)[1]) / 1024


def take_peak_mb() -> float:
    """This process's RSS high-water mark, then reset it to the current RSS (Linux >= 4.0)."""
    peak = rss_mb("VmHWM")
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return peak


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


class Source:
    """The real index the synthetic ones are made from (small: held in memory)."""

    def __init__(self, index_dir: Path) -> None:
        gen = layout.live_generation(index_dir)
        if gen is None:
            raise SystemExit(f"{index_dir}: no index there")
        self.manifest = read_manifest(gen, str(index_dir))
        self.chunks = list(RowStore.load(gen / "chunks.jsonl"))
        # Document rows without their text: a synthetic document gets its own.
        self.docs = [{**d, "text": ""} for d in RowStore.load(gen / "documents.jsonl")]
        self.row_doc = np.load(gen / "row_doc.npy")
        self.vectors = np.load(gen / "dense" / "vectors.npy").astype(np.float32)
        self.texts = [c["index_text"] for c in self.chunks]
        self.sentences = [
            s for t in self.texts for s in re.split(r"(?<=[.;:])\s+", t) if len(s) > 30
        ]

    def recipe(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Per synthetic chunk, its source chunk and 4 sentence numbers (20 bytes, not a text
        held), drawn exactly as the earlier in-memory version of this benchmark drew them."""
        rng = random.Random(n)
        base, sents = np.empty(n, np.int32), np.empty((n, 4), np.int32)
        for i in range(n):
            base[i] = rng.randrange(len(self.texts))
            sents[i] = rng.sample(range(len(self.sentences)), 4)
        return base, sents

    def text(self, base: np.ndarray, sents: np.ndarray, i: int) -> str:
        picked = " ".join(self.sentences[j] for j in sents[i].tolist())
        return picked + " " + self.texts[base[i]][:300]

    def documents(self, base: np.ndarray, sents: np.ndarray) -> Iterator[tuple]:
        """(document row, chunk rows, FileEntry) per synthetic document, made on demand. Rows
        copy a source row with new ids and text; start/end index the document's own text."""
        n = len(base)
        for j, lo in enumerate(range(0, n, DOC_CHUNKS)):
            doc_id = hashlib.sha1(f"synthetic:{n}:{j}".encode()).hexdigest()[:16]
            chunks, pos = [], 0
            for k, i in enumerate(range(lo, min(n, lo + DOC_CHUNKS))):
                t = self.text(base, sents, i)
                c = {**self.chunks[base[i]], "id": f"{doc_id}#{k:04d}", "doc_id": doc_id}
                c.update(text=t, index_text=t, start=pos, end=pos + len(t))
                c["content_hash"] = hashlib.sha256(t.encode()).hexdigest()[:16]
                chunks.append(c)
                pos += len(t) + 2
            body = "\n\n".join(c["text"] for c in chunks)
            source, h = f"synthetic/{j:06d}.txt", hashlib.sha256(body.encode()).hexdigest()
            doc = {**self.docs[int(self.row_doc[base[lo]])], "doc_id": doc_id, "source": source}
            doc.update(text=body, content_hash=h, warnings=[])
            doc["sections"] = [[c["section"], c["start"], c["end"]] for c in chunks]
            # FileEntry(path, content_hash, size, mtime_ns, doc_ids, doc_start, chunk_start, n_chunks)
            entry = FileEntry(source, h, len(body.encode()), 0, (doc_id,), j, lo, len(chunks))
            yield doc, chunks, entry

    def vectors_for(self, base: np.ndarray) -> np.ndarray:
        """Source vectors + N(0, 0.02) noise, re-normalised; the noise stream is drawn block
        by block (same values as one draw) and kept float16, as the index stores it."""
        rng, n, d = np.random.default_rng(0), len(base), self.vectors.shape[1]
        out = np.empty((n, d), np.float16)
        for a in range(0, n, BLOCK):
            v = self.vectors[base[a : a + BLOCK]]
            v += rng.normal(0, 0.02, v.shape).astype(np.float32)
            out[a : a + BLOCK] = v / np.linalg.norm(v, axis=1, keepdims=True)
        return out


def build(src: Source, n: int, index_dir: Path) -> dict:
    """Write and publish one complete generation of `n` synthetic chunks, as `index.builder` does."""
    take_peak_mb()  # each phase's peak is its own, not that of an earlier, larger size
    r: dict = {"size": n}
    base, sents = src.recipe(n)
    with layout.writer_lock(index_dir):
        gen = layout.new_generation(index_dir)
        t = time.perf_counter()
        metas, entries = [], []  # one small item per document (n / 50)

        def doc_rows() -> Iterator[dict]:
            for doc, _, entry in src.documents(base, sents):
                metas.append({**doc["meta"], "doc_id": doc["doc_id"], "source": doc["source"]})
                entries.append(entry)
                yield doc

        write_rows(gen / "documents.jsonl", doc_rows())
        write_rows(gen / "doc_meta.jsonl", metas)
        # Made a second time rather than kept: 1M chunk dicts would be several GB.
        write_rows(gen / "chunks.jsonl", (c for _, cs, _ in src.documents(base, sents) for c in cs))
        write_rows(gen / "tasks.jsonl", [])
        np.save(gen / "row_doc.npy", (np.arange(n) // DOC_CHUNKS).astype(np.int32))
        r["rows_s"], r["rows_peak_mb"] = time.perf_counter() - t, take_peak_mb()
        # A list of texts, as the builder passes `[r["index_text"] for r in chunk_rows]`.
        texts = [src.text(base, sents, i) for i in range(n)]
        t = time.perf_counter()
        write_sparse(gen, texts, (d["text"] for d, _, _ in src.documents(base, sents)))
        r["bm25_s"] = time.perf_counter() - t
        del texts
        r["bm25_peak_mb"] = take_peak_mb()
        vectors = src.vectors_for(base)
        t = time.perf_counter()
        dense = build_dense(vectors)
        dense.save(gen / "dense")
        r["faiss_s"], r["faiss_kind"] = time.perf_counter() - t, dense.kind
        del vectors, dense
        r["faiss_peak_mb"] = take_peak_mb()
        # Encoder and chunker are the source's (its vectors and chunks); analyzer and dense
        # settings are those this code just built with (`Searcher.load` checks the analyzer).
        counts = {"files": len(entries), "documents": len(entries), "chunks": n}
        settings = {"analyzer": SPARSE_SETTINGS, "dense": DENSE_SETTINGS}
        manifest = replace(src.manifest, **settings, files=tuple(entries), counts=counts)
        (gen / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
        layout.publish(index_dir, gen)
    r["build_peak_mb"] = max(r["rows_peak_mb"], r["bm25_peak_mb"], r["faiss_peak_mb"])
    bm25_mb = dir_mb(gen / "bm25") + dir_mb(gen / "bm25_docs")
    r |= {"bm25_mb": bm25_mb, "dense_mb": dir_mb(gen / "dense")}
    r["index_mb"] = dir_mb(gen)
    return r


def overlap(got: list[list], ref: list[list], k: int = 10) -> float:
    """Mean over queries of |got top-k ∩ ref top-k| / |ref top-k| (a query whose reference
    is empty counts 1.0 when `got` is empty too, else 0.0).

    >>> round(overlap([[1, 2, 3], []], [[3, 2, 9], []], k=3), 4)
    0.8333
    """
    per = [
        len(set(g[:k]) & set(r[:k])) / len(r[:k]) if r else float(not g)
        for g, r in zip(got, ref, strict=True)
    ]
    return sum(per) / len(per) if per else 1.0


def compare_exhaustive(s, qs: list[str]) -> dict:
    """Top-10 of BM25 and hybrid search as served (BM25 pruned on large indexes) against
    the same searches with pruning off, on the distinct questions `qs`, and the exhaustive
    BM25 latency. Run after the RSS readings: exhaustive scoring reads every posting list."""
    import index.bm25_query as bm25

    def top10(mode: str) -> list[list[str]]:
        return [[h.chunk.id for h in s.search(q, k=10, mode=mode)] for q in qs]

    pruned = {mode: top10(mode) for mode in ("bm25", "hybrid")}
    budget, bm25.PRUNE_BUDGET = bm25.PRUNE_BUDGET, sys.maxsize
    try:
        full = {mode: top10(mode) for mode in ("bm25", "hybrid")}
        lat = time_each(lambda q: s.search(q, k=10, mode="bm25"), qs)
    finally:
        bm25.PRUNE_BUDGET = budget
    r = {f"overlap10_{mode}": overlap(pruned[mode], full[mode]) for mode in pruned}
    r["identical10_bm25"] = sum(
        a == b for a, b in zip(pruned["bm25"], full["bm25"], strict=True)
    ) / len(qs)
    r["exhaustive_bm25_p50_ms"], r["exhaustive_bm25_p95_ms"] = (
        np.percentile(lat, [50, 95]) * 1000
    ).tolist()
    return r


def serve(
    index_dir: str, n_queries: int, engine: str, compare: bool = False, memory_mb: int = 0
) -> None:
    """Child process: load the index as a server does, time queries, print one JSON line.

    With `memory_mb`, serve from a cold page cache under that memory limit: the first pass
    over the questions is timed apart (cold_*), the usual timings follow."""
    from search.searcher import Searcher

    if memory_mb:
        from memlimit import enter_memory_limit

        enter_memory_limit(memory_mb)

    lines = QUESTIONS.read_text(encoding="utf-8").splitlines()
    qs = [json.loads(x)["question"] for x in lines if x.strip()]
    qs = (qs * (n_queries // len(qs) + 1))[:n_queries]
    t = time.perf_counter()
    s = Searcher.load(index_dir, query_engine=engine)
    r = {"chunks": len(s), "faiss_kind": s.dense.kind, "load_s": time.perf_counter() - t}
    r["rss_loaded_mb"] = rss_mb()  # before the encoder, which loads on the first query
    if memory_mb:
        lat = time_each(lambda q: s.search(q, k=10, mode="hybrid"), qs)
        r["cold_hybrid_p50_ms"], r["cold_hybrid_p95_ms"] = (
            np.percentile(lat, [50, 95]) * 1000
        ).tolist()
    for q in qs[:3]:
        s.search(q, k=10, mode="hybrid")
    for mode in ("hybrid", "bm25", "dense"):
        lat = time_each(lambda q, mode=mode: s.search(q, k=10, mode=mode), qs)
        r[f"{mode}_p50_ms"], r[f"{mode}_p95_ms"] = (np.percentile(lat, [50, 95]) * 1000).tolist()
    r["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    r["rss_mb"] = rss_mb()
    # Of which anonymous memory (heap, the HNSW graph, the encoder) and file-backed pages
    # (memory-mapped index arrays that queries touched, which the kernel may reclaim).
    r["rss_anon_mb"], r["rss_file_mb"] = rss_mb("RssAnon"), rss_mb("RssFile")
    if compare:
        r |= compare_exhaustive(s, list(dict.fromkeys(qs)))
    # Checked after the RSS readings: document_of loads every document's metadata.
    hit = s.search(qs[0], k=1)[0]
    doc = s.document_of(hit)
    meta = f"{doc.meta.doc_type} {doc.meta.number} ({doc.meta.issuer})"
    r["top_hit"] = [hit.chunk.id, doc.source, meta, " > ".join(hit.chunk.section)[:80]]
    print(json.dumps(r, ensure_ascii=False), flush=True)


COLUMNS = (  # title, width, cell
    ("chunks", 9, "{size:,}"),
    ("BM25 s", 7, "{bm25_s:.1f}"),
    ("FAISS s", 13, "{faiss_s:.1f} ({faiss_kind})"),
    ("disk MB bm25/dense", 18, "{bm25_mb:.0f} / {dense_mb:.0f}"),
    ("build MB", 8, "{build_peak_mb:.0f}"),
    ("hybrid p50/p95", 14, "{hybrid_p50_ms:.1f} / {hybrid_p95_ms:.1f}"),
    ("bm25 p95", 8, "{bm25_p95_ms:.1f}"),
    ("dense p95", 9, "{dense_p95_ms:.1f}"),
    ("serve MB peak/now", 17, "{peak_rss_mb:.0f} / {rss_mb:.0f}"),
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source-index", help="a real index to draw text and vectors from")
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--engine", default="torch", choices=("torch", "auto"))
    ap.add_argument("--keep", help="build the indexes under this folder and keep them")
    ap.add_argument("--json", help="save the results here (rewritten after each size)")
    ap.add_argument(
        "--compare",
        action="store_true",
        help="also report top-10 overlap of pruned vs exhaustive BM25 (after the RSS readings)",
    )
    ap.add_argument("--serve", help="serve this kept index directory only (no build)")
    ap.add_argument(
        "--memory-limit",
        type=int,
        default=0,
        metavar="MB",
        help="with --serve: cold page cache, serve under this memory cgroup limit (root)",
    )
    args = ap.parse_args()
    if args.serve:
        return serve(args.serve, args.queries, args.engine, args.compare, args.memory_limit)
    if not args.source_index:
        ap.error("--source-index is required")
    src = Source(Path(args.source_index).expanduser())
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="vanban-scale-"))
    results = []
    print(" ".join(f"{title:>{w}}" for title, w, _ in COLUMNS), flush=True)
    try:
        # Ascending, so a failure at the largest size still leaves the smaller results.
        for n in sorted(int(x) for x in args.sizes.split(",")):
            index_dir = root / f"scale-{n}"
            print(f"building {n:,} chunks in {index_dir}", file=sys.stderr, flush=True)
            r = build(src, n, index_dir)
            cmd = [sys.executable, __file__, "--serve", str(index_dir)]
            cmd += ["--queries", str(args.queries), "--engine", args.engine]
            cmd += ["--compare"] if args.compare else []
            out = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True).stdout
            r |= json.loads(out.strip().splitlines()[-1])
            results.append(r)
            print(" ".join(f"{cell.format(**r):>{w}}" for _, w, cell in COLUMNS), flush=True)
            print(f"{'':>9} top hit: {' | '.join(map(str, r['top_hit']))}", flush=True)
            if args.json:
                Path(args.json).write_text(json.dumps(results, indent=1, ensure_ascii=False))
            if not args.keep:  # 1M chunks take ~10 GB on disk: free each size when done
                shutil.rmtree(index_dir)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
