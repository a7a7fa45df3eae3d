"""Load test of the web chat: N simulated users asking questions for a while, over HTTP.

    python scripts/bench_serve.py [--index DIR] [--users 8] [--seconds 120] [--port 0]

Starts `vanban serve` on 127.0.0.1 (a free port unless --port), waits for it,
then runs `--users` threads, each with its own `gradio_client.Client` (its own
session), asking the sample questions of `eval/data/sample/questions.jsonl` in
turn until the time is up. Reports requests, errors, throughput and p50/p95/max
reply time (queueing included), then stops the server. Loopback only; every
loop is bounded by the deadline.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ui.probe import free_port, wait_until_serving  # noqa: E402

QUESTIONS = ROOT / "eval" / "data" / "sample" / "questions.jsonl"


def _questions() -> list[str]:
    qs = [
        json.loads(x)["question"]
        for x in QUESTIONS.read_text(encoding="utf-8").splitlines()
        if x.strip()
    ]
    return qs or ["Sở nào chủ trì cụm công nghiệp?"]


def _user(
    url: str, questions: list[str], offset: int, deadline: float, out: list, errors: list
) -> None:
    from gradio_client import Client

    client = Client(url, verbose=False)
    i = offset
    while time.monotonic() < deadline:
        q = questions[i % len(questions)]
        i += 1
        t0 = time.perf_counter()
        try:
            client.predict(q, [], "Tất cả", "", "", "", "hybrid", 10, api_name="/ask")
            out.append(time.perf_counter() - t0)
        except Exception as e:  # count it and go on: the report says how many failed
            errors.append(f"{type(e).__name__}: {e}"[:200])


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p * (len(xs) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--index", help="index directory (default: vanban serve's default, the samples)"
    )
    ap.add_argument("--users", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()

    port = args.port or free_port()
    url = f"http://127.0.0.1:{port}/"
    home = tempfile.mkdtemp(
        prefix="vanban-bench-"
    )  # feedback and uploads stay out of the real home
    cmd = [
        str(Path(sys.executable).with_name("vanban")),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    if args.index:
        cmd += ["--index", args.index]
    env = dict(os.environ, VANBAN_HOME=os.environ.get("VANBAN_HOME", home))
    proc = subprocess.Popen(cmd, env=env)
    try:
        t0 = time.perf_counter()
        try:
            wait_until_serving(url, proc)
        except RuntimeError as e:
            raise SystemExit(f"{e}; see its log above") from e
        print(f"server ready in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        questions = _questions()
        times: list[float] = []
        errors: list[str] = []
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=_user, args=(url, questions, 7 * u, deadline, times, errors))
            for u in range(args.users)
        ]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.seconds + 300)
        wall = time.perf_counter() - start
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    n = len(times)
    print(f"users={args.users} seconds={args.seconds:.0f} requests={n} errors={len(errors)} "
          f"throughput={n / wall:.2f}/s")  # fmt: skip
    if times:
        print(f"reply time: p50={_pct(times, 0.5):.2f}s p95={_pct(times, 0.95):.2f}s "
              f"max={max(times):.2f}s mean={statistics.mean(times):.2f}s")  # fmt: skip
    for e in sorted(set(errors))[:5]:
        print(f"  error: {e}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
