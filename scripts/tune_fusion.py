"""Choose fusion settings by numbers: grid over RRF weights/k and weighted sums, on a dev split.

    .venv/bin/python scripts/tune_fusion.py --dataset sample [--dataset bench ...]

Each question is retrieved once per side (top 100); fusion variants are then
replayed offline, so the grid costs milliseconds. Prints dev and test
MRR@10 / Recall@5 (section level when the dataset has sections, else
document level) for every variant, best dev first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval.aggregate import Outcome, summarise
from eval.runner import RETRIEVAL_DEPTH, dataset_by_name, ensure_index
from search.fusion import rrf, weighted_sum
from search.searcher import Searcher


def variants():
    for k in (10, 30, 60):
        for wd in (0.0, 0.2, 0.35, 0.5, 0.7, 1.0):
            yield f"rrf k={k} dense={wd}", ("rrf", k, wd)
    for wd in (0.2, 0.35, 0.5, 0.7, 1.0):
        for norm in ("minmax", "zscore"):
            for wdoc in (0.0, 0.3, 0.5, 0.8, 1.2):
                yield f"sum {norm} dense={wd} doc={wdoc}", ("sum", norm, wd, wdoc)


def fuse(spec, lists):
    if spec[0] == "rrf":
        _, k, wd = spec
        w = {"bm25": 1.0, "dense": wd}
        return rrf(
            {r: [row for row, _ in lists[r]] for r in w if w[r] > 0},
            k=k,
            weights={r: w[r] for r in w if w[r] > 0},
        ).rows
    _, norm, wd, wdoc = spec
    w = {"bm25": 1.0, "dense": wd, "document": wdoc}
    return weighted_sum({r: lists[r] for r in w if w[r] > 0}, weights=w, normalise=norm).rows


class _Labeller:
    """Rows -> (source, heading path) pairs for the metrics, memoised."""

    def __init__(self, searcher: Searcher) -> None:
        self.s, self.cache = searcher, {}

    def __call__(self, rows) -> tuple:
        out = []
        for r in rows[:RETRIEVAL_DEPTH]:
            if r not in self.cache:
                c = self.s.chunks[r]
                src = self.s.doc_metas[self.s._doc_row[c["doc_id"]]]["source"]
                self.cache[r] = (src, tuple(c["section"]))
            out.append(self.cache[r])
        return tuple(out)


def _split_scores(ds, level: str, retrieved, rankings: dict) -> dict:
    """dev/test (MRR@10 and R@5 at `level`, doc R@5) of one ranking per question id."""
    out = {}
    for split in ("dev", "test"):
        outs = [
            Outcome(q, retrieved(rankings[q.id]))
            for q in ds.questions
            if q.id in rankings and q.split == split
        ]
        m = summarise(outs, answers=False)
        out[split] = tuple(
            m.get(k, 0) for k in (f"mrr@10_{level}", f"recall@5_{level}", "recall@5_doc")
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", action="append", required=True)
    ap.add_argument("--top", type=int, default=12)
    args = ap.parse_args()
    for name in args.dataset:
        ds = dataset_by_name(name)
        s = Searcher.load(ensure_index(ds, progress=False))
        lists = {}
        for q in ds.questions:
            if not q.gold:
                continue
            lv = {
                "bm25": s.sparse.search(q.question, 100),
                "dense": s.dense.ranked(s.encoder.encode_queries([q.question])[0], 100),
            }
            lists[q.id] = lv | {"document": s.document_prior(q.question, lv)}
        level = "section" if any(g.section for q in ds.questions for g in q.gold) else "doc"
        retrieved = _Labeller(s)

        results = []
        for label, spec in variants():
            r = _split_scores(
                ds, level, retrieved, {qid: fuse(spec, lv) for qid, lv in lists.items()}
            )
            results.append((r["dev"], r["test"], label))
        for side in ("bm25", "dense"):
            ranked = {qid: [row for row, _ in lv[side]] for qid, lv in lists.items()}
            r = _split_scores(ds, level, retrieved, ranked)
            results.append((r["dev"], r["test"], f"{side} alone"))
        results.sort(key=lambda r: r[0][0] + r[0][1], reverse=True)
        default = "sum zscore dense=0.7 doc=0.3"
        print(f"\n{name} ({level} level; dev/test MRR@10, R@5, doc R@5)")
        for dev, test, label in results[: args.top] + [
            r for r in results if "alone" in r[2] or r[2] in ("rrf k=60 dense=1.0", default)
        ]:
            print(
                f"  {label:28s} dev {dev[0]:.3f} {dev[1]:.3f} {dev[2]:.3f}   test {test[0]:.3f} {test[1]:.3f} {test[2]:.3f}"
            )


if __name__ == "__main__":
    main()
