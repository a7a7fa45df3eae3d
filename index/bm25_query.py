"""Scoring a query's posting lists: exhaustive for ordinary indexes, pruned for large ones.

Pure functions over `Postings` (a token's row ids and BM25 weights in one field, with
the field weight); `index.bm25.BM25Index.search` gathers the postings and calls
`best_rows`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Query-time pruning, for large indexes only. Scoring walks every posting of every query
# token; at 1M chunks a long question walks ≈ 23 M postings, 98 % of them in its ~80
# commonest tokens ("của", "và", "các": tiny idf). A query with at most PRUNE_BUDGET
# postings is scored exhaustively, exactly as always: every test corpus, the sample
# corpus and the 72k-chunk vn-admin index stay there (its longest question: 1.49 M).
# Above it, the query's rarest lists are walked in full up to WALK_BUDGET postings
# (≈ 6 ms at 1M), and the commoner ones are only looked up (binary search) for the best
# rows found so far. Measured on the 1M synthetic index, 94 vn-admin questions, k = 100
# (docs/benchmarks.md): BM25 CPU p50 153 ms exhaustive; walking 2 M / 1 M / 0.5 M
# postings 39 / 31 / 26 ms with top-100 overlap 1.0 / 0.9999 / 0.9988, top-10 identical.
PRUNE_BUDGET = 2_000_000
WALK_BUDGET = 1_000_000
# Rows kept for the lookups: at least MIN_CANDIDATES, and CANDIDATE_FACTOR x k (hybrid
# search asks BM25 for 100). One lookup per candidate and list: 2000 candidates cost
# +6 ms at 1M, 500 save 5 ms, same top-100 on the 94 questions; 1000 keeps a margin.
MIN_CANDIDATES = 1_000
CANDIDATE_FACTOR = 5
# A filter that admits few rows (the document prior asks for its ~100 candidate
# documents) is scored by lookups on those rows alone, exact, when that is cheaper:
# allowed rows x lists x LOOKUP_COST < postings (a lookup costs ~this many postings).
LOOKUP_COST = 8


@dataclass(frozen=True)
class Postings:
    """One query token's posting list in one field."""

    weight: float  # field weight x the token's count in the query
    rows: np.ndarray  # row ids, ascending
    data: np.ndarray  # their BM25 weights
    primary: bool = False  # of the most-weighted field: may yield candidates when pruning


def best_rows(
    postings: Sequence[Postings], n: int, k: int, allowed: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Best `k` of `n` rows by the summed postings, best first, ties by row: exhaustive
    (term at a time) up to PRUNE_BUDGET postings, pruned above, lookups on the allowed rows
    alone when a filter admits few.

    >>> p = [Postings(1.0, np.array([0, 2]), np.array([0.5, 2.0], dtype=np.float32))]
    >>> rows, scores = best_rows(p, n=3, k=5)
    >>> rows.tolist(), scores.tolist()
    ([2, 0], [2.0, 0.5])
    """
    total = sum(len(p.rows) for p in postings)
    if allowed is not None and _lookups_cheaper(allowed, len(postings), total):
        cand = np.flatnonzero(allowed)
        return _top_k(cand, _score_rows(postings, cand), k)
    if total > PRUNE_BUDGET:
        cand = _candidates(postings, n, k, allowed)
        return _top_k(cand, _score_rows(postings, cand), k)
    scores = np.zeros(n, dtype=np.float64)
    for p in postings:
        scores[p.rows] += p.weight * p.data  # rows are unique per list
    ok = scores > 0
    if allowed is not None:
        ok &= allowed
    cand = np.flatnonzero(ok)
    return _top_k(cand, scores[cand], k)


def _top_k(cand: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The best `k` of rows `cand` (ascending) with a positive score, best first, ties by row."""
    keep = scores > 0
    cand, scores = cand[keep], scores[keep]
    if len(cand) > k > 0:
        # Keep every row tied with the k-th score, so ties are cut by row number
        # below rather than by argpartition's arbitrary order.
        kth = -np.partition(-scores, k - 1)[k - 1]
        keep = scores >= kth
        cand, scores = cand[keep], scores[keep]
    order = np.lexsort((cand, -scores))[: max(k, 0)]
    return cand[order].astype(np.int64), scores[order]


def _score_rows(postings: Sequence[Postings], rows: np.ndarray) -> np.ndarray:
    """Exact float64 scores of `rows` (ascending), by binary search in each posting list,
    summed in the exhaustive loop's order, so they equal its scores bit for bit. A long
    list is searched, not walked (its pages are still mostly mapped: docs/benchmarks.md)."""
    scores = np.zeros(len(rows), dtype=np.float64)
    if not len(rows):
        return scores
    for p in postings:
        # Needles of the list's own dtype: a mixed-dtype searchsorted converts the whole list.
        pos = np.searchsorted(p.rows, rows.astype(p.rows.dtype, copy=False))
        inside = pos < len(p.rows)
        hit = np.zeros(len(rows), dtype=bool)
        hit[inside] = p.rows[pos[inside]] == rows[inside]
        scores[hit] += p.weight * p.data[pos[hit]]
    return scores


def _candidates(
    postings: Sequence[Postings], n: int, k: int, allowed: np.ndarray | None
) -> np.ndarray:
    """Rows (ascending) worth scoring exactly: the best by the partial score of the query's
    rarest primary-field lists, walked in full up to WALK_BUDGET postings (the rarest one
    at least, and further lists while fewer than the wanted rows score). float32 partial
    sums: the exact scores are computed afterwards, only the cut depends on them."""
    want = max(MIN_CANDIDATES, CANDIDATE_FACTOR * k)
    partial = np.zeros(n, dtype=np.float32)
    walked = 0
    for p in sorted((p for p in postings if p.primary), key=lambda p: len(p.rows)):
        if walked and walked + len(p.rows) > WALK_BUDGET and _count(partial, allowed) >= want:
            break
        partial[p.rows] += np.float32(p.weight) * p.data
        walked += len(p.rows)
    ok = partial > 0
    if allowed is not None:
        ok &= allowed
    cand = np.flatnonzero(ok)
    if len(cand) > want:
        # Rows tied with the want-th partial score stay, so the cut does not depend on
        # argpartition's order.
        kth = -np.partition(-partial[cand], want - 1)[want - 1]
        cand = cand[partial[cand] >= kth]
    return cand


def _lookups_cheaper(allowed: np.ndarray, n_lists: int, total: int) -> bool:
    """Whether looking every list up for the allowed rows costs less than walking them."""
    return int(np.count_nonzero(allowed)) * n_lists * LOOKUP_COST < total


def _count(partial: np.ndarray, allowed: np.ndarray | None) -> int:
    """Rows with a positive partial score that the filter admits."""
    ok = partial > 0
    return int(np.count_nonzero(ok & allowed if allowed is not None else ok))
