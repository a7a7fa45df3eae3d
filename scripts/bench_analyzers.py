"""Compare BM25 analyzers and parameters on ../shared/bench (500 questions, 3,535 passages).

Run:  .venv/bin/python scripts/bench_analyzers.py [--quick]

Gold ids in qa.jsonl (`gold_doc_ids`, else `gold_doc_id`) are passage file names
without `.txt`. Questions at even positions are the dev half (used for every
choice below), odd positions the test half (reported, never tuned on).
Metrics: R@k = share of a question's gold passages in the top k (averaged),
Hit@k = at least one gold passage in the top k, MRR@10 = 1/rank of the first gold.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

import numpy as np

from index.abbrev import learn_abbreviations, merge_abbreviations
from index.analyzer import BIGRAM_JOIN, analyze
from index.bm25 import ACCENTED_WEIGHTS, K1, B, BM25Index
from ingest.text import canonical, fold_diacritics
from vanban.paths import shared_dir

LIGHT_STOPWORDS = ["và", "của", "các", "những", "là", "được", "có", "cho", "trong", "theo", "với", "thì", "này", "đó", "ở", "tại", "về", "để", "khi", "nào", "gì", "bao", "nhiêu"]  # fmt: skip


def load_bench():
    root = shared_dir()
    if root is None:
        raise SystemExit("../shared not found: set VANBAN_SHARED to the shared data folder")
    bench = root / "bench"
    paths = sorted((bench / "passages").glob("*.txt"))
    ids = [p.stem for p in paths]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    qs = [json.loads(line) for line in (bench / "qa.jsonl").open(encoding="utf-8")]
    row = {pid: i for i, pid in enumerate(ids)}
    golds = [{row[g] for g in (q.get("gold_doc_ids") or [q["gold_doc_id"]])} for q in qs]
    return texts, [q["question"] for q in qs], golds


def metrics(
    ranked: list[np.ndarray], golds: list[set[int]], which: range | slice
) -> dict[str, float]:
    out = {"R@1": 0.0, "R@5": 0.0, "R@10": 0.0, "Hit@5": 0.0, "MRR@10": 0.0}
    sel = list(range(len(golds)))[which]
    for i in sel:
        top, gold = ranked[i].tolist(), golds[i]
        for k in (1, 5, 10):
            out[f"R@{k}"] += len(gold & set(top[:k])) / len(gold)
        out["Hit@5"] += bool(gold & set(top[:5]))
        out["MRR@10"] += next((1 / (r + 1) for r, d in enumerate(top[:10]) if d in gold), 0.0)
    return {k: v / len(sel) for k, v in out.items()}


DEV, TEST = slice(0, None, 2), slice(1, None, 2)
EXACT = {"exact": 1.0}
WEIGHTINGS = {
    "exact only": EXACT,
    "exact + 0.3 folded (exact first)": {"exact": 1.0, "folded": 0.3},
    "exact + folded": {"exact": 1.0, "folded": 1.0},
    "folded + 0.2 exact (default)": ACCENTED_WEIGHTS,
    "folded + 0.1 exact": {"exact": 0.1, "folded": 1.0},
    "folded only": {"folded": 1.0},
}


def run(index: BM25Index, queries: list[list[str]], **kw) -> list[np.ndarray]:
    return [index.search(q, 10, **kw)[0] for q in queries]


def run_weighted(index: BM25Index, queries: list[list[str]], bigram_w: float) -> list[np.ndarray]:
    """Exact field only, bigram tokens weighted `bigram_w` (bench-only experiment)."""
    field, n, out = index.fields["exact"], len(index), []
    for q in queries:
        uni = [t for t in q if BIGRAM_JOIN not in t]
        bi = [t for t in q if BIGRAM_JOIN in t]
        s = field.scores(uni, n) + bigram_w * field.scores(bi, n)
        top = np.lexsort((np.arange(n), -s))[:10]
        out.append(top[s[top] > 0])
    return out


def row(name: str, ranked, golds) -> str:
    d, t = metrics(ranked, golds, DEV), metrics(ranked, golds, TEST)
    cells = " ".join(f"{d[m]:.3f}" for m in ("R@1", "R@5", "R@10", "MRR@10"))
    a = metrics(ranked, golds, slice(None))
    return (
        f"{name:<42} {cells} | {t['R@5']:.3f} {t['MRR@10']:.3f} "
        f"| {a['R@5']:.3f} {a['Hit@5']:.3f} {a['MRR@10']:.3f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="skip word segmenters and the k1/b grid")
    args = ap.parse_args()
    texts, questions, golds = load_bench()
    abbrevs = merge_abbreviations(learn_abbreviations(texts))
    print(f"{len(texts)} passages, {len(questions)} questions, {len(abbrevs)} abbreviations")
    print(f"{'':<42} {'dev (even questions)':<23} | test (odd) | all 500")
    print(f"{'analyzer':<42} R@1   R@5   R@10  MRR10 | R@5   MRR10 | R@5   Hit@5 MRR10")

    def segmenter(fn: Callable[[str], str]) -> Callable[[str], list[str]]:
        def tok(text: str) -> list[str]:
            return [w for w in fn(canonical(text).lower()).split() if any(c.isalnum() for c in w)]

        return tok

    candidates: dict[str, Callable[[str], list[str]]] = {
        "syllables": lambda t: analyze(t, bigrams=False),
        "syllables+bigrams": lambda t: analyze(t),
        "syllables+bigrams+abbrev": lambda t: analyze(t, abbreviations=abbrevs),
        "syllables+bigrams+abbrev-stopwords(light)": lambda t: analyze(
            t, abbreviations=abbrevs, stopwords=LIGHT_STOPWORDS
        ),
    }
    if not args.quick:
        from pyvi import ViTokenizer
        from underthesea import word_tokenize

        candidates["underthesea words"] = segmenter(lambda t: word_tokenize(t, format="text"))
        candidates["pyvi words"] = segmenter(ViTokenizer.tokenize)

    built: dict[str, tuple[BM25Index, list[list[str]], list[list[str]]]] = {}
    for name, tok in candidates.items():
        t0 = time.perf_counter()
        doc_tokens = [tok(t) for t in texts]
        t1 = time.perf_counter()
        index = BM25Index.build(doc_tokens, k1=1.2, b=0.75)
        qtok = [tok(q) for q in questions]
        # The exact field alone: plain single-field BM25 (the reference rows).
        ranked = run(index, qtok, field_weights=EXACT)
        print(row(name, ranked, golds) + f"  [analyze {t1 - t0:.0f}s]")
        built[name] = (index, doc_tokens, qtok)

    best = "syllables+bigrams+abbrev"
    index, doc_tokens, qtok = built[best]
    print(f"\n-- bigram weight (exact field, {best}, k1=1.2 b=0.75)")
    for w in (0.5, 0.75, 1.0, 1.5):
        print(row(f"bigram_w={w}", run_weighted(index, qtok, w), golds))

    if not args.quick:
        print(f"\n-- k1/b grid ({best}, exact field)")
        for k1 in (0.6, 0.9, 1.2, 1.5, 2.0):
            for b in (0.5, 0.75, 0.9, 1.0):
                grid = BM25Index.build(doc_tokens, k1=k1, b=b)
                print(row(f"k1={k1} b={b}", run(grid, qtok, field_weights=EXACT), golds))

    print(f"\n-- field weights ({best}, k1={K1} b={B}); accented questions")
    index = BM25Index.build(doc_tokens, k1=K1, b=B)
    for label, fw in WEIGHTINGS.items():
        print(row(label, run(index, qtok, field_weights=fw), golds))

    # A mixed archive: every 10th passage lost its marks (as OCR'd scans do).
    mixed = [
        analyze(fold_diacritics(t) if i % 10 == 0 else t, abbreviations=abbrevs)
        for i, t in enumerate(texts)
    ]
    mixed_index = BM25Index.build(mixed, k1=K1, b=B)
    hit = [i for i, g in enumerate(golds) if any(d % 10 == 0 for d in g)]
    print(
        f"-- mixed archive: every 10th passage without marks ({len(hit)} questions have such a gold)"
    )
    for label, fw in WEIGHTINGS.items():
        ranked = run(mixed_index, qtok, field_weights=fw)
        sub = metrics([ranked[i] for i in hit], [golds[i] for i in hit], slice(None))
        print(row(label, ranked, golds) + f" | unmarked golds R@5 {sub['R@5']:.3f}")

    folded_q = [analyze(fold_diacritics(q), abbreviations=abbrevs) for q in questions]
    print("-- the same questions typed without diacritics (accented archive)")
    print(row("default (folded field)", run(index, folded_q), golds))
    print(row("exact field only", run(index, folded_q, field_weights=EXACT), golds))


if __name__ == "__main__":
    main()
