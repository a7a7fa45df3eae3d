"""OCR throughput and word recall on the four real PDFs of ../shared/corpus/pdf.

    .venv/bin/python scripts/bench_ocr.py [--workers 2] [--psm 3]

For each PDF: OCR every page (pages in parallel), report pages/s and the word
recall of the OCR text against the reference text of pdf_manifest.tsv
(lower-cased, NFC, canonical tone tokens; markdown stripped); then the recall
of `load_file` (text layer where usable, OCR elsewhere). Timings are noisy on
shared machines: compare ratios from one run.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.loaders import load_file
from ingest.loaders.ocr import ocr_pdf_pages
from ingest.loaders.pdf import read_pdf_layers
from ingest.loaders.quality import strip_markdown, word_recall
from vanban.paths import shared_dir


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--psm", type=int, default=3)
    args = parser.parse_args()
    shared = shared_dir()
    if shared is None:
        print("../shared not found (set VANBAN_SHARED); nothing to benchmark", file=sys.stderr)
        return 1
    folder = shared / "corpus" / "pdf"
    with (folder / "pdf_manifest.tsv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    print(f"workers={args.workers} psm={args.psm}")
    print(
        f"{'file':48} {'pages':>5} {'sec':>6} {'pages/s':>7} {'recall_ocr':>10} {'recall_load':>11}"
    )
    total_pages = total_sec = 0.0
    for row in rows:
        pdf = folder / row["file"]
        reference = strip_markdown((folder / row["reference_text"]).read_text(encoding="utf-8"))
        n = len(read_pdf_layers(pdf))
        start = time.perf_counter()
        texts = ocr_pdf_pages(pdf, list(range(1, n + 1)), workers=args.workers, psm=args.psm)
        sec = time.perf_counter() - start
        total_pages += n
        total_sec += sec
        ocr_recall = word_recall("\n".join(texts[p] for p in sorted(texts)), reference)
        load_recall = word_recall(load_file(pdf, ocr_workers=args.workers).text, reference)
        print(
            f"{row['file']:48} {n:5d} {sec:6.1f} {n / sec:7.2f} {ocr_recall:10.3f} {load_recall:11.3f}"
        )
    print(f"{'total':48} {int(total_pages):5d} {total_sec:6.1f} {total_pages / total_sec:7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
