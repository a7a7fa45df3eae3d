"""Benchmark the dense index: build time, query latency, RSS and recall@10 vs exact search.

Run:  .venv/bin/python scripts/bench_dense.py              # 10k and 100k x 384
      .venv/bin/python scripts/bench_dense.py --million    # also 1M x 384 (~30 min on 2 cores)

Vectors are synthetic but shaped like sentence embeddings: a Gaussian mixture
in a 48-d latent space (one cluster per ~200 rows), mapped to 384-d, plus
isotropic noise and a shared offset (mean cosine ~0.6), L2-normalised;
queries are held-out draws from the same mixture. For each size and
configuration a child process builds and saves the index (build time, peak
RSS including the input), then another loads it and runs queries one at a
time with k=10 on 2 threads (p50/p95 latency, RSS when serving, recall@10
against exact search over the same float16 vectors). Filtered rows: a random
10% and 1% of rows allowed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

THREADS = 2  # set by --threads; FAISS (OpenMP) threads in the child processes
CONFIGS = {  # name -> DenseIndex.build keywords
    "flat": {"hnsw_threshold": 10**12, "storage": "float32"},
    "hnsw": {"hnsw_threshold": 0, "storage": "float32"},
    "hnsw-sq8": {"hnsw_threshold": 0, "storage": "sq8"},
}


def synthetic(n: int, d: int = 384, seed: int = 0, latent: int = 48) -> np.ndarray:
    """n unit vectors from a clustered latent mixture (see the module docstring), made in blocks."""
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((max(8, n // 200), latent)).astype(np.float32)
    lift = rng.standard_normal((latent, d)).astype(np.float32) / np.sqrt(latent)
    offset = 1.5 * rng.standard_normal(d).astype(np.float32)
    out = np.empty((n, d), np.float32)
    for start in range(0, n, 100_000):
        m = min(n, start + 100_000) - start
        z = centers[rng.integers(0, len(centers), m)]
        z += 0.7 * rng.standard_normal((m, latent), dtype=np.float32)
        x = z @ lift + 0.5 * rng.standard_normal((m, d), dtype=np.float32) + offset
        out[start : start + m] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process in MB.

    VmHWM, not getrusage's ru_maxrss: the latter survives exec, so a child
    would report its parent's peak.
    """
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


def child_build(work: Path, config: str) -> dict:
    import faiss

    from index.dense import DenseIndex

    faiss.omp_set_num_threads(THREADS)
    x = np.load(work / "x.npy", mmap_mode="r")
    t = time.perf_counter()
    idx = DenseIndex.build(x, **CONFIGS[config])
    seconds = time.perf_counter() - t
    idx.save(work / config)
    size = sum(f.stat().st_size for f in (work / config).iterdir()) / 2**20
    return {
        "build_s": round(seconds, 1),
        "build_peak_mb": round(rss_mb()[1]),
        "disk_mb": round(size),
    }


def child_serve(work: Path, config: str) -> dict:
    import faiss

    from index.dense import DenseIndex

    faiss.omp_set_num_threads(THREADS)
    before = rss_mb()[0]
    idx = DenseIndex.load(work / config)
    q = np.load(work / "q.npy")
    out = {"load_rss_mb": round(rss_mb()[0] - before)}
    rng = np.random.default_rng(7)
    for label, frac in (("", None), ("f10%", 0.10), ("f1%", 0.01)):
        allowed = None if frac is None else rng.random(len(idx)) < frac
        truth = np.load(work / f"truth{label}.npy")
        nq = min(len(q), 200 if config == "flat" and len(idx) > 200_000 else len(q))
        lat, hits = [], 0
        for i in range(nq):
            t = time.perf_counter()
            _, rows = idx.search(q[i], 10, allowed=allowed)
            lat.append(time.perf_counter() - t)
            hits += len(set(rows[0].tolist()) & set(truth[i].tolist()))
        ms = np.percentile(np.array(lat) * 1000, [50, 95])
        out[f"p50{label}_ms"], out[f"p95{label}_ms"] = round(ms[0], 3), round(ms[1], 3)
        out[f"recall{label}"] = round(hits / (10 * nq), 4)
    out["serve_rss_mb"], out["serve_peak_mb"] = (round(v) for v in rss_mb())
    return out


def prepare(work: Path, n: int, nq: int) -> None:
    """Data, queries, and exact top-10 (unfiltered and with the two filters) on disk."""
    from index.dense_exact import as_unit_float16, topk

    data = synthetic(n + nq)
    np.save(work / "x.npy", data[:n])
    q = np.ascontiguousarray(data[n:])
    np.save(work / "q.npy", q)
    stored = as_unit_float16(data[:n])
    del data
    np.save(work / "truth.npy", topk(stored, q, 10)[1])
    rng = np.random.default_rng(7)  # the same masks child_serve draws
    for label, frac in (("f10%", 0.10), ("f1%", 0.01)):
        ids = np.flatnonzero(rng.random(n) < frac)
        np.save(work / f"truth{label}.npy", topk(stored, q, 10, rows=ids)[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    ap.add_argument("--million", action="store_true", help="also 1,000,000 vectors")
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--configs", nargs="*", default=list(CONFIGS))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)  # phase work-dir config
    args = ap.parse_args()
    global THREADS
    THREADS = args.threads
    if args.child:
        phase, work, config = args.child
        fn = child_build if phase == "build" else child_serve
        print(json.dumps(fn(Path(work), config)))
        return
    sizes = args.sizes + ([1_000_000] if args.million else [])
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="bench_dense_") as tmp:
            work = Path(tmp)
            t = time.perf_counter()
            prepare(work, n, args.queries)
            print(f"# n={n:,}: data + exact truth in {time.perf_counter() - t:.0f}s", flush=True)
            for config in args.configs:
                row = {"n": n, "config": config}
                for phase in ("build", "serve"):
                    cmd = [sys.executable, __file__, "--threads", str(THREADS)]
                    cmd += ["--child", phase, str(work), config]
                    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
                    if res.returncode:
                        raise SystemExit(f"{phase} {config} n={n} failed:\n{res.stderr}")
                    row |= json.loads(res.stdout.strip().splitlines()[-1])
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
