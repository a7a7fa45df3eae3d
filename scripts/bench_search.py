"""Index build and hybrid search speed on the real vn-admin archive, beside a plain baseline.

    .venv/bin/python scripts/bench_search.py [--every 1] [--queries 200] [--index DIR]

1. builds (or reuses) a vanban index of ../shared/corpus/vn-admin/docs (every Nth file);
   reports chunks/s end to end and where the time went;
2. re-runs `update_index` on the unchanged corpus (must cost seconds, not minutes);
3. times search in each mode and `vanban ask` (query encoding included) for real
   questions, one at a time,
   against a baseline built the plain way from the same chunks and vectors:
   rank-bm25 over whitespace tokens + flat FAISS + equal-weight RRF;
4. reports process RSS.
Numbers go to docs/benchmarks.md by hand; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from eval.metrics import percentile, time_each
from index.builder import update_index
from search.searcher import Searcher
from vanban.paths import PROJECT_ROOT, shared_dir


def pct(seconds: list[float], q: float) -> float:
    return 1000 * percentile(seconds, q)


def questions(n: int) -> list[str]:
    rows = []
    for name in ("vn-admin", "sample"):
        path = PROJECT_ROOT / "eval" / "data" / name / "questions.jsonl"
        rows += [
            json.loads(line)["question"]
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    return (rows * (n // len(rows) + 1))[:n]


def build(args, corpus: Path) -> Path:
    src = corpus
    if args.every > 1:
        src = Path(tempfile.mkdtemp(prefix="vnadmin-subset-"))
        for f in sorted(corpus.glob("*.txt"))[:: args.every]:
            (src / f.name).symlink_to(f)
    index_dir = Path(args.index)
    t = time.perf_counter()
    r = update_index(index_dir, [str(src)], progress=True)
    dt = time.perf_counter() - t
    if r.published:
        print(f"build: {r.summary()}")
        print(
            f"build: {r.chunks} chunks in {dt:.0f}s = {r.chunks / dt:.1f} chunks/s end to end; stages {r.seconds}"
        )
    t = time.perf_counter()
    r2 = update_index(index_dir, [str(src)], progress=False)
    print(f"re-run on unchanged corpus: {time.perf_counter() - t:.2f}s ({r2.summary()})")
    return index_dir


class Baseline:
    """rank-bm25 + flat FAISS + equal RRF over the same chunks and vectors."""

    def __init__(self, s: Searcher) -> None:
        import faiss
        from rank_bm25 import BM25Okapi

        t = time.perf_counter()
        texts = [s.chunks[i]["index_text"].lower().split() for i in range(len(s))]
        self.bm25 = BM25Okapi(texts)
        self.flat = faiss.IndexFlatIP(s.dense.dim)
        self.flat.add(np.asarray(s.dense.vectors, dtype=np.float32))
        self.build_s = time.perf_counter() - t
        self.enc = s.encoder

    def search(self, q: str, k: int = 10) -> list[int]:
        from search.fusion import rrf

        scores = self.bm25.get_scores(q.lower().split())
        top = np.argsort(-scores)[:100].tolist()
        _, rows = self.flat.search(self.enc.encode_queries([q]), 100)
        return rrf({"bm25": top, "dense": rows[0].tolist()}).rows[:k]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--every", type=int, default=1, help="index every Nth file only")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--index", default=str(Path(tempfile.gettempdir()) / "vanban-bench-vnadmin"))
    ap.add_argument("--no-baseline", action="store_true")
    args = ap.parse_args()
    shared = shared_dir()
    if shared is None:
        sys.exit("../shared is absent: nothing to benchmark")
    index_dir = build(args, shared / "corpus" / "vn-admin" / "docs")

    t = time.perf_counter()
    s = Searcher.load(index_dir)
    s.search("khởi động", k=1)  # loads the query encoder
    print(f"load + first query: {time.perf_counter() - t:.2f}s; {len(s)} chunks")
    qs = questions(args.queries)
    for mode in ("bm25", "dense", "hybrid"):
        lat = time_each(lambda q, mode=mode: s.search(q, k=10, mode=mode), qs)
        print(
            f"vanban {mode:6s}: p50 {pct(lat, 50):.1f} ms  p95 {pct(lat, 95):.1f} ms  mean {statistics.mean(lat) * 1000:.1f} ms"
        )
    print(
        f"RSS after searching: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    if not args.no_baseline:
        base = Baseline(s)
        lat = time_each(base.search, qs)
        print(f"baseline build (rank-bm25 + flat, vectors reused): {base.build_s:.1f}s")
        print(f"baseline hybrid: p50 {pct(lat, 50):.1f} ms  p95 {pct(lat, 95):.1f} ms")
        print(
            f"RSS with baseline: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )


if __name__ == "__main__":
    main()
