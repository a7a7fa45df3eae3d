"""Choose the answer engine's abstention thresholds by numbers, on dev splits.

    .venv/bin/python scripts/calibrate_abstention.py --dataset sample --dataset vn-admin

Every question is answered once with abstention switched off, keeping the best
answer, its evidence support and its confidence; the thresholds are then
replayed offline: answer accuracy (an abstention is right only on an
unanswerable question) for each (MIN_SUPPORT, MIN_CONFIDENCE) pair, dev and
test side by side, best dev first. Tune on dev; report test.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import search.answer as engine
from eval.metrics import answer_correct
from eval.runner import dataset_by_name, ensure_index
from search.searcher import Searcher


def answers_without_abstention(name: str) -> list[tuple[str, float, float, bool, bool]]:
    """(split, support, confidence, right if answered, should abstain) per question."""
    ds = dataset_by_name(name)
    searcher = Searcher.load(ensure_index(ds))
    seen: list[float] = []
    real = engine._confidence

    def spy(support: float, score: float, second: float) -> float:
        seen.append(support)
        return real(support, score, second)

    engine._confidence, engine.MIN_SUPPORT, engine.MIN_CONFIDENCE = spy, 0.0, 0.0
    out = []
    try:
        for q in ds.questions:
            seen.clear()
            a = engine.answer_question(searcher, q.question)
            support = seen[-1] if seen else 1.0  # a metadata answer has no sentence support
            right = a.text is not None and answer_correct(a.text, q.answer)
            out.append((q.split, support, a.confidence, right, q.answer.abstain))
    finally:
        engine._confidence = real
    return out


def accuracy(rows, min_support: float, min_confidence: float) -> float:
    ok = 0
    for _, support, conf, right, abstain in rows:
        answered = support >= min_support and conf >= min_confidence
        ok += (answered and right) or (not answered and abstain)
    return ok / len(rows) if rows else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dataset", action="append", required=True)
    ap.add_argument("--top", type=int, default=10)
    args = ap.parse_args()
    now = (engine.MIN_SUPPORT, engine.MIN_CONFIDENCE)
    rows = [r for name in args.dataset for r in answers_without_abstention(name)]
    dev = [r for r in rows if r[0] == "dev"]
    test = [r for r in rows if r[0] != "dev"]
    grid = [(s / 100, c / 100) for s in range(0, 60, 5) for c in range(0, 70, 5)]
    # Ties go to the pair nearest the current one: no move without a gain.
    scored = sorted(
        grid, key=lambda p: (-accuracy(dev, *p), abs(p[0] - now[0]) + abs(p[1] - now[1]))
    )
    print(f"{len(dev)} dev / {len(test)} test questions of {', '.join(args.dataset)}")
    print("min_support min_confidence  dev acc  test acc")
    for p in [*scored[: args.top], now]:
        tag = "  (current)" if p == now else ""
        print(
            f"  {p[0]:.2f}        {p[1]:.2f}        {accuracy(dev, *p):.3f}    "
            f"{accuracy(test, *p):.3f}{tag}"
        )


if __name__ == "__main__":
    main()
