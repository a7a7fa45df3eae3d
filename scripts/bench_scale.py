"""How hybrid search grows with the index: synthetic chunks built from real text, 10k → 100k (→ 1M).

    .venv/bin/python scripts/bench_scale.py --source-index DIR [--sizes 10000,100000] [--queries 100]

Chunk texts are new combinations of sentences of a real index's chunks (so the
vocabulary and term statistics are those of real directives); vectors are the
real chunks' vectors plus small noise, re-normalised. BM25 and FAISS are built
with the same code as `vanban index` (index.sparse, index.dense_build) and queried
through the same fusion, with the query encoded by the real encoder (torch).
Prints build times, p50/p95 per query and the process RSS per size.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from index.dense_build import build_dense
from index.sparse import build_sparse
from search.fusion import weighted_sum
from search.searcher import Searcher, SearchSettings
from vanban.paths import PROJECT_ROOT


def synthetic(texts: list[str], vectors: np.ndarray, n: int, rng: random.Random):
    sentences = [s for t in texts for s in re.split(r"(?<=[.;:])\s+", t) if len(s) > 30]
    out_t, idx = [], []
    for _ in range(n):
        i = rng.randrange(len(texts))
        out_t.append(" ".join(rng.sample(sentences, 4)) + " " + texts[i][:300])
        idx.append(i)
    noise = np.random.default_rng(0).normal(0, 0.02, (n, vectors.shape[1])).astype(np.float32)
    vecs = vectors[idx] + noise
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return out_t, vecs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--source-index", required=True)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--queries", type=int, default=100)
    args = ap.parse_args()
    src = Searcher.load(args.source_index, query_engine="torch")
    texts = [src.chunks[i]["index_text"] for i in range(len(src))]
    vectors = np.asarray(src.dense.vectors, dtype=np.float32)
    qs = [
        json.loads(x)["question"]
        for x in (PROJECT_ROOT / "eval/data/vn-admin/questions.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
        if x.strip()
    ]
    qs = (qs * 5)[: args.queries]
    qv = src.encoder.encode_queries(qs[:1])
    settings = SearchSettings()
    for n in (int(x) for x in args.sizes.split(",")):
        t_texts, t_vecs = synthetic(texts, vectors, n, random.Random(n))
        t = time.perf_counter()
        sparse = build_sparse(t_texts)
        t_bm25 = time.perf_counter() - t
        t = time.perf_counter()
        dense = build_dense(t_vecs)
        t_dense = time.perf_counter() - t
        del t_texts
        lat = []
        for q in qs:
            t = time.perf_counter()
            qv = src.encoder.encode_queries([q])
            ranked = {"bm25": sparse.search(q, 100), "dense": dense.ranked(qv[0], 100)}
            weighted_sum(ranked, weights=settings.weights, normalise=settings.normalise)
            lat.append(time.perf_counter() - t)
        p50, p95 = (float(np.percentile(lat, q) * 1000) for q in (50, 95))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{n:>9,} chunks: BM25 build {t_bm25:6.1f}s, FAISS {dense.kind} build {t_dense:6.1f}s; hybrid p50 {p50:.1f} ms p95 {p95:.1f} ms; peak RSS {rss:.0f} MB",
            flush=True,
        )


if __name__ == "__main__":
    main()
