"""Fuse per-retriever ranked lists (BM25, dense, ...) into one ranking; pure functions.

Each fused item keeps every retriever's raw score and 1-based rank, and the
result names the retrievers that returned nothing: a silently empty side is
the commonest bug of hybrid search, so callers can say so to the user.

>>> r = rrf({"bm25": [7, 3], "dense": [3, 9]})
>>> [(f.row, round(f.score, 5), f.ranks) for f in r.items]
[(3, 0.03252, {'bm25': 2, 'dense': 1}), (7, 0.01639, {'bm25': 1}), (9, 0.01613, {'dense': 2})]
>>> rrf({"bm25": [7], "dense": []}).empty
('dense',)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

Ranked = Sequence[int] | Sequence[tuple[int, float]]


@dataclass(frozen=True)
class Fused:
    """One fused row: its fused score, and each retriever's raw score and rank (when it returned it)."""

    row: int
    score: float
    scores: dict[str, float] = field(default_factory=dict)  # raw, as the retriever gave it
    ranks: dict[str, int] = field(default_factory=dict)  # 1-based


@dataclass(frozen=True)
class FusionResult:
    """Fused items, best first, and the retrievers whose list was empty."""

    items: tuple[Fused, ...]
    empty: tuple[str, ...] = ()

    @property
    def rows(self) -> list[int]:
        return [f.row for f in self.items]

    def with_scores(self, raw: Mapping[str, Mapping[int, float]]) -> FusionResult:
        """Attach raw retriever scores ({retriever: {row: score}}) to items fused from ranks only.

        >>> rrf({"dense": [4]}).with_scores({"dense": {4: 0.83}}).items[0].scores
        {'dense': 0.83}
        """
        items = tuple(
            replace(
                f,
                scores=f.scores
                | {r: float(raw[r][f.row]) for r in f.ranks if r in raw and f.row in raw[r]},
            )
            for f in self.items
        )
        return replace(self, items=items)


def rrf(
    ranked: Mapping[str, Ranked],
    *,
    k: int = 60,
    weights: Mapping[str, float] | None = None,
    limit: int | None = None,
) -> FusionResult:
    """Weighted reciprocal rank fusion: score(row) = sum over retrievers r of w_r / (k + rank_r).

    `ranked` maps a retriever to its rows best first, either bare rows or
    (row, score) pairs (scores are then kept in `Fused.scores`). Negative rows
    (FAISS padding) and repeats are dropped; ranks count the rows kept.

    >>> r = rrf({"bm25": [1, 2], "dense": [2, 1]}, k=1, weights={"bm25": 2.0, "dense": 1.0})
    >>> [(f.row, round(f.score, 4)) for f in r.items]  # 1: 2/2 + 1/3; 2: 2/3 + 1/2
    [(1, 1.3333), (2, 1.1667)]
    """
    if k < 0:
        raise ValueError(f"rrf k={k}: use k >= 0 (60 is the usual choice)")
    lists = {name: _clean(name, items) for name, items in ranked.items()}
    w = _weights(lists, weights)
    totals: dict[int, float] = {}
    for name, items in lists.items():
        for rank, (row, _) in enumerate(items, start=1):
            totals[row] = totals.get(row, 0.0) + w[name] / (k + rank)
    return _result(lists, totals, limit)


def weighted_sum(
    scored: Mapping[str, Sequence[tuple[int, float]]],
    *,
    weights: Mapping[str, float] | None,
    normalise: Literal["minmax", "zscore"] = "minmax",
    limit: int | None = None,
) -> FusionResult:
    """Sum of weighted, per-retriever normalised scores; `weights=None` weighs all retrievers 1.

    Each list is normalised on its own ("minmax": worst 0, best 1; "zscore":
    (s - mean) / std). A row a retriever did not return gets that list's
    lowest normalised score: not returned is no better than returned last.
    A list whose scores are all equal (one item, say) carries no scale: its
    rows get 1 and rows it did not return get 0, in both modes.

    >>> r = weighted_sum({"bm25": [(5, 12.0), (6, 4.0)], "dense": [(6, 0.9), (7, 0.5)]},
    ...                  weights={"bm25": 1.0, "dense": 3.0})
    >>> [(f.row, f.score) for f in r.items]  # 6: 1*0 + 3*1; 5: 1*1 + 3*0; 7: 0 + 0
    [(6, 3.0), (5, 1.0), (7, 0.0)]
    """
    if normalise not in ("minmax", "zscore"):
        raise ValueError(f"normalise={normalise!r}: use 'minmax' or 'zscore'")
    lists = {name: _clean(name, items, need_scores=True) for name, items in scored.items()}
    w = _weights(lists, weights)
    norm = {name: _normalised([s for _, s in items], normalise) for name, items in lists.items()}
    low = {name: _floor(v) for name, v in norm.items()}  # what a row not returned gets
    start = sum(w[name] * low[name] for name in lists)
    totals: dict[int, float] = {}
    for name, items in lists.items():
        for (row, _), v in zip(items, norm[name], strict=True):
            totals[row] = totals.get(row, start) + w[name] * (v - low[name])
    return _result(lists, totals, limit)


def _clean(
    name: str, items: Ranked, *, need_scores: bool = False
) -> list[tuple[int, float | None]]:
    """(row, score or None) pairs, best first; padding (-1) and repeats dropped; order checked."""
    out: list[tuple[int, float | None]] = []
    seen: set[int] = set()
    prev = math.inf
    for item in items:
        if isinstance(item, tuple | list):
            row, score = int(item[0]), float(item[1])
            if row < 0:  # FAISS pads short result lists with -1 and a sentinel score
                continue
            if not math.isfinite(score):
                raise ValueError(f"retriever {name!r} gave row {row} the score {score}")
            if score > prev + 1e-9 * max(1.0, abs(prev)):  # rounding noise is not disorder
                raise ValueError(
                    f"retriever {name!r}: scores rise from {prev} to {score} at row {row}; "
                    "pass similarities (higher is better) sorted best first"
                )
            prev = score
        elif need_scores:
            raise ValueError(f"retriever {name!r}: weighted_sum needs (row, score) pairs")
        else:
            row, score = int(item), None
        if row >= 0 and row not in seen:
            seen.add(row)
            out.append((row, score))
    return out


def _weights(lists: Mapping[str, object], weights: Mapping[str, float] | None) -> dict[str, float]:
    if weights is None:
        return dict.fromkeys(lists, 1.0)
    missing = [name for name in lists if name not in weights]
    if missing:
        raise ValueError(
            f"no weight for retriever(s) {', '.join(map(repr, missing))}; "
            f"weights name {sorted(weights)}: add them or fix the spelling"
        )
    bad = {n: w for n, w in weights.items() if n in lists and not (w >= 0 and math.isfinite(w))}
    if bad:
        raise ValueError(f"weights must be finite and >= 0, got {bad}")
    return {name: float(weights[name]) for name in lists}


def _normalised(scores: list[float], how: str) -> list[float]:
    lo, hi = min(scores, default=0.0), max(scores, default=0.0)
    if lo == hi:
        return [1.0] * len(scores)
    if how == "minmax":
        return [(s - lo) / (hi - lo) for s in scores]
    mean = sum(scores) / len(scores)
    std = math.sqrt(sum((s - mean) ** 2 for s in scores) / len(scores))
    return [(s - mean) / std for s in scores]


def _floor(norm: list[float]) -> float:
    """The normalised score of a row the list did not return: its lowest, or 0 if it has no scale."""
    if not norm or min(norm) == max(norm) == 1.0:
        return 0.0
    return min(norm)


def _result(
    lists: Mapping[str, list[tuple[int, float | None]]], totals: dict[int, float], limit: int | None
) -> FusionResult:
    scores: dict[int, dict[str, float]] = {row: {} for row in totals}
    ranks: dict[int, dict[str, int]] = {row: {} for row in totals}
    for name, items in lists.items():
        for rank, (row, score) in enumerate(items, start=1):
            ranks[row][name] = rank
            if score is not None:
                scores[row][name] = score

    # Equal fused scores (up to float summation order) go to the better single rank, then lower row.
    def key(row: int) -> tuple[float, int, int]:
        return (-round(totals[row], 12), min(ranks[row].values()), row)

    order = sorted(totals, key=key)[:limit]
    items = tuple(Fused(row, totals[row], scores[row], ranks[row]) for row in order)
    return FusionResult(items, tuple(name for name, items in lists.items() if not items))
