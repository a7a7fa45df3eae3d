"""Parse the whole vn-admin archive: throughput and how much metadata was found.

    .venv/bin/python scripts/bench_parse.py [--limit N]

Prints documents/s and the share of documents with a number, date, issuer and signer.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.pipeline import parse_file
from vanban.errors import IngestError
from vanban.paths import shared_dir


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    shared = shared_dir()
    if shared is None:
        sys.exit("../shared is absent: nothing to benchmark")
    files = sorted((shared / "corpus/vn-admin/docs").glob("*.txt"))
    if args.limit:
        files = files[: args.limit]
    found: Counter[str] = Counter()
    n_docs = n_chunks = 0
    failed = []
    t0 = time.perf_counter()
    for f in files:
        try:
            parsed = parse_file(f)
        except IngestError as e:
            failed.append(str(e))
            continue
        for p in parsed:
            n_docs += 1
            n_chunks += len(p.chunks)
            m = p.document.meta
            for field in ("number", "doc_type", "date", "issuer", "signer", "subject"):
                found[field] += getattr(m, field) is not None
    dt = time.perf_counter() - t0
    print(f"{len(files)} files -> {n_docs} documents, {n_chunks} chunks in {dt:.1f}s")
    print(
        f"throughput: {len(files) / dt:.1f} files/s, {n_docs / dt:.1f} documents/s, {n_chunks / dt:.0f} chunks/s"
    )
    for field in ("number", "doc_type", "date", "issuer", "signer", "subject"):
        print(f"  {field:8s} {found[field]:5d} / {n_docs} ({found[field] / max(n_docs, 1):.0%})")
    print(f"failed: {len(failed)}")
    for line in failed[:20]:
        print("  " + line)


if __name__ == "__main__":
    main()
