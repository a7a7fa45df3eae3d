"""Scoring a whole run: per-question scores, group means (overall, per kind, tag, split), gates.

>>> check_thresholds({"recall@5_doc": 0.8}, {"recall@5_doc": 0.9})
['recall@5_doc = 0.800 < 0.900 required']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from eval.datasets import Question
from eval.metrics import (
    abstention_scores,
    answer_correct,
    label_ranking,
    latency_summary,
    mrr_at_k,
    ndcg_at_k,
    recall_at_k,
)


@dataclass(frozen=True)
class Outcome:
    """What a system did for one question: ranked (source, heading path) pairs, answer, time."""

    question: Question
    retrieved: tuple[tuple[str, tuple[str, ...]], ...] = ()
    answer: str | None = None  # None = abstained
    seconds: float | None = None


def score_question(
    outcome: Outcome, ks: Sequence[int] = (1, 3, 5, 10), answers: bool = True
) -> dict[str, float]:
    """Per-question scores: recall@k, and MRR/nDCG at max(ks), at doc and section level
    (answerable questions only), plus answer accuracy when `answers`."""
    q, row = outcome.question, {}
    if q.gold:
        top = max(ks)
        for level in ("doc", "section"):
            keys, rel = label_ranking(outcome.retrieved, q.gold, level)
            for k in ks:
                row[f"recall@{k}_{level}"] = recall_at_k(keys, rel, k)
            row[f"mrr@{top}_{level}"] = mrr_at_k(keys, rel, top)
            row[f"ndcg@{top}_{level}"] = ndcg_at_k(keys, rel, top)
    if answers:
        row["answer_accuracy"] = float(answer_correct(outcome.answer, q.answer))
    return row


def summarise(
    outcomes: Sequence[Outcome], ks: Sequence[int] = (1, 3, 5, 10), answers: bool = True
) -> dict[str, float | int | None]:
    """Means of the per-question scores over a group, plus abstention and latency."""
    rows = [score_question(o, ks, answers) for o in outcomes]
    out: dict[str, float | int | None] = {
        "n": len(outcomes),
        "n_answerable": sum(bool(o.question.gold) for o in outcomes),
    }
    for name in dict.fromkeys(name for row in rows for name in row):
        values = [row[name] for row in rows if name in row]
        out[name] = sum(values) / len(values)
    if answers:
        ab = abstention_scores(
            [o.question.answer.abstain for o in outcomes], [o.answer is None for o in outcomes]
        )
        out["abstain_precision"], out["abstain_recall"] = ab.precision, ab.recall
    seconds = [o.seconds for o in outcomes if o.seconds is not None]
    if seconds:
        out.update(latency_summary(seconds))
    return out


def aggregate(
    outcomes: Sequence[Outcome], ks: Sequence[int] = (1, 3, 5, 10), answers: bool = True
) -> dict[str, dict]:
    """Every metric overall, per kind, per tag and per split.

    Returns {"overall": {...}, "by_kind": {kind: {...}}, "by_tag": {...},
    "by_split": {...}}; a metric missing from a group had no question it applies to.
    """
    groups: dict[str, dict[str, list[Outcome]]] = {"by_kind": {}, "by_tag": {}, "by_split": {}}
    for o in outcomes:
        groups["by_kind"].setdefault(o.question.kind, []).append(o)
        groups["by_split"].setdefault(o.question.split, []).append(o)
        for tag in o.question.tags:
            groups["by_tag"].setdefault(tag, []).append(o)
    report: dict[str, dict] = {"overall": summarise(outcomes, ks, answers)}
    for name, members in groups.items():
        report[name] = {
            key: summarise(group, ks, answers) for key, group in sorted(members.items())
        }
    return report


def check_thresholds(
    metrics: dict[str, float | int | None], thresholds: dict[str, float]
) -> list[str]:
    """Failed thresholds as messages; latency_* are upper bounds, everything else lower bounds.

    >>> check_thresholds({"recall@5_doc": 0.8, "latency_p95": 0.5},
    ...                  {"recall@5_doc": 0.9, "latency_p95": 1.0})
    ['recall@5_doc = 0.800 < 0.900 required']
    """
    failures = []
    for name, bound in thresholds.items():
        value = metrics.get(name)
        if value is None:
            failures.append(f"{name} was not measured (needed for threshold {bound})")
        elif name.startswith("latency") and value > bound:
            failures.append(f"{name} = {value:.3f} > {bound:.3f} allowed")
        elif not name.startswith("latency") and value < bound:
            failures.append(f"{name} = {value:.3f} < {bound:.3f} required")
    return failures
