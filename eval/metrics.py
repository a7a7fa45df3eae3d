"""Retrieval and answer metrics, as pure functions over plain values.

Ranking metrics take `ranked`, the keys of the retrieved items best first, and
`relevant`, the set of keys that count; `label_ranking` turns retrieved
(source, heading path) pairs into such keys at document or section level.
Answer metrics compare normalised token sequences. `aggregate` scores a run
(one `Outcome` per question) overall, per kind, per tag and per split.

>>> recall_at_k(["a", "x", "b"], {"a", "b"}, k=2)
0.5
>>> answer_correct("Sở Công Thương tỉnh Bến Tre", AnswerSpec(any=("Sở Công Thương",)))
True
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import TypeVar

from eval.datasets import AnswerSpec, Gold
from ingest.text import canonical

T = TypeVar("T")

# A number keeps its decimal/thousands separators ("7,5", "50.400"); "/" and "-"
# separate, so "19/01/2023", "19-01-2023" and "19 01 2023" all read "19 1 2023".
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
# How many tokens an answer may carry beyond the expected text: "Sở Công Thương
# tỉnh Bến Tre" is a right answer, a whole pasted paragraph is not an answer.
MAX_EXTRA_TOKENS = 20


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")


def _first_hits(ranked: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> list[int]:
    """1-based ranks (within top k) where a relevant key is seen for the first time."""
    _check_k(k)
    if not relevant:
        raise ValueError("no relevant items: ranking metrics are undefined for this question")
    seen: set[Hashable] = set()
    ranks = []
    for rank, key in enumerate(ranked[:k], 1):
        if key in relevant and key not in seen:
            seen.add(key)
            ranks.append(rank)
    return ranks


def recall_at_k(ranked: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> float:
    """Share of the relevant keys found among the first k ranked items.

    >>> recall_at_k(["d1", "d1", "d3"], {"d1", "d2"}, k=3)
    0.5
    """
    return len(_first_hits(ranked, relevant, k)) / len(set(relevant))


def mrr_at_k(ranked: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> float:
    """Reciprocal rank of the first relevant item within the top k, else 0.

    >>> mrr_at_k(["x", "y", "a"], {"a"}, k=10)
    0.3333333333333333
    """
    hits = _first_hits(ranked, relevant, k)
    return 1.0 / hits[0] if hits else 0.0


def ndcg_at_k(ranked: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> float:
    """Binary-relevance nDCG@k with the log2(rank + 1) discount.

    A relevant key counts once (its first occurrence), so five chunks of the
    same gold document do not score above the ideal ranking.

    >>> round(ndcg_at_k(["x", "a"], {"a"}, k=2), 4)  # (1/log2 3) / (1/log2 2)
    0.6309
    """
    hits = _first_hits(ranked, relevant, k)
    dcg = sum(1.0 / math.log2(r + 1) for r in hits)
    ideal = sum(1.0 / math.log2(r + 1) for r in range(1, min(len(set(relevant)), k) + 1))
    return dcg / ideal


def same_source(retrieved: str, gold: str) -> bool:
    """True when `retrieved` (any path) ends with the gold path's components.

    >>> same_source("/data/samples/004_x.txt", "004_x.txt")
    True
    """
    r, g = PurePath(canonical(retrieved)).parts, PurePath(canonical(gold)).parts
    return len(g) <= len(r) and r[len(r) - len(g) :] == g


def heading_key(heading: str) -> str:
    """Comparable form of a heading: canonical, spaces collapsed, casefolded, end punctuation off.

    >>> heading_key("6. Sở Công\\n  Thương:")
    '6. sở công thương'
    """
    return re.sub(r"\s+", " ", canonical(heading)).strip().casefold().rstrip(" :.;,")


def _in_path(section: str, path: Sequence[str]) -> bool:
    # Equal, or a detected heading that begins with the gold one (some detectors
    # keep the start of the body on the heading line).
    key = heading_key(section)
    return any(
        h == key or (h.startswith(key) and not h[len(key)].isalnum())
        for h in map(heading_key, path)
    )


def label_ranking(
    retrieved: Sequence[tuple[str, Sequence[str]]], gold: Sequence[Gold], level: str
) -> tuple[list[int | None], set[int]]:
    """Map retrieved (source, heading path) pairs to gold keys for the ranking metrics.

    level "doc": a key per distinct gold source, ranks counted over distinct
    documents (later passages of an already-seen document are skipped, as in
    max-pooled document retrieval); "section": a key per distinct
    (source, section) pair, matched when the section heading is in the item's
    heading path (a gold section of None matches the whole source). Each item
    takes the first gold key it matches that no earlier item took, so one item
    never counts twice. Returns (keys best first, None = irrelevant; relevant).

    >>> g = [Gold("a.txt", "1. Sở Y tế"), Gold("b.txt", None)]
    >>> label_ranking([("/x/a.txt", ("I. NHIỆM VỤ", "1. Sở Y tế")), ("c.txt", ())], g, "section")
    ([0, None], {0, 1})
    """
    if level not in ("doc", "section"):
        raise ValueError(f"level must be 'doc' or 'section', got {level!r}")
    if level == "doc":
        targets = list(dict.fromkeys(Gold(g.source, None) for g in gold))
        seen: set[str] = set()
        retrieved = [(src, p) for src, p in retrieved if not (src in seen or seen.add(src))]
    else:
        targets = list(dict.fromkeys(gold))
    taken: set[int] = set()
    keys: list[int | None] = []
    for source, path in retrieved:
        matches = [
            i
            for i, g in enumerate(targets)
            if same_source(source, g.source) and (g.section is None or _in_path(g.section, path))
        ]
        fresh = [i for i in matches if i not in taken]
        key = fresh[0] if fresh else (matches[0] if matches else None)
        if key is not None:
            taken.add(key)
        keys.append(key)
    return keys, set(range(len(targets)))


def normalise_answer(text: str) -> str:
    """Canonical tone marks, lowercase, punctuation and extra spaces dropped, leading zeros cut.

    >>> normalise_answer("Từ 7,0 - 7,5%;") == normalise_answer("từ 7,0-7,5 %")
    True
    >>> normalise_answer("ngày 19/01/2023 (Tỉnh uỷ)")
    'ngày 19 1 2023 tỉnh ủy'
    """
    tokens = _TOKEN.findall(canonical(text).lower())
    # "01" and "1" are the same day or count; "0" and "0,5" stay as they are.
    return " ".join(t.lstrip("0") or "0" if t.isdigit() else t for t in tokens)


def contains_answer(predicted: str, expected: str, extra: int = MAX_EXTRA_TOKENS) -> bool:
    """Expected text occurs in the prediction as whole tokens, and the prediction is not much longer.

    >>> contains_answer("Sở Công Thương tỉnh Bến Tre", "Sở Công Thương")
    True
    >>> contains_answer("Sở", "Sở Công Thương")
    False
    """
    p, e = normalise_answer(predicted), normalise_answer(expected)
    if not e or len(p.split()) > len(e.split()) + extra:
        return False
    return f" {e} " in f" {p} "


def answer_correct(predicted: str | None, spec: AnswerSpec) -> bool:
    """Is `predicted` (None = abstained) right under `spec`?

    `any`: one alternative contained; `all`: every item (one of its
    alternatives) present, in a prediction at most MAX_EXTRA_TOKENS longer than
    the items together; `abstain`: the prediction is None.

    >>> spec = AnswerSpec(all=(("Chợ Gạo",), ("Gò Công Đông",)))
    >>> answer_correct("huyện Chợ Gạo và huyện Gò Công Đông", spec), answer_correct(None, spec)
    (True, False)
    """
    if spec.abstain or predicted is None:
        return spec.abstain and predicted is None
    if spec.any:
        return any(contains_answer(predicted, alt) for alt in spec.any)
    p = normalise_answer(predicted)
    found = [
        next((a for a in alts if f" {normalise_answer(a)} " in f" {p} "), None) for alts in spec.all
    ]
    if any(a is None or not normalise_answer(a) for a in found):
        return False
    budget = sum(len(normalise_answer(a).split()) for a in found if a) + MAX_EXTRA_TOKENS
    return len(p.split()) <= budget


@dataclass(frozen=True)
class Abstention:
    """Abstention as a detection task (positive = "the documents do not say").

    precision/recall are None when their denominator is zero (no abstention
    predicted / none expected): undefined, not perfect.
    """

    precision: float | None
    recall: float | None
    expected: int
    predicted: int
    both: int


def abstention_scores(expected: Sequence[bool], predicted: Sequence[bool]) -> Abstention:
    """Precision and recall of abstaining, per question `expected[i]` vs `predicted[i]`.

    >>> abstention_scores([True, True, False, False], [True, False, True, False]).recall
    0.5
    """
    if len(expected) != len(predicted):
        raise ValueError(f"{len(expected)} expected vs {len(predicted)} predicted flags")
    both = sum(e and p for e, p in zip(expected, predicted, strict=True))
    n_exp, n_pred = sum(map(bool, expected)), sum(map(bool, predicted))
    return Abstention(
        precision=both / n_pred if n_pred else None,
        recall=both / n_exp if n_exp else None,
        expected=n_exp,
        predicted=n_pred,
        both=both,
    )


def percentile(values: Sequence[float], q: float) -> float:
    """q-th percentile (0..100) with linear interpolation between ranks (numpy's default).

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50)
    2.5
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"q must be within 0..100, got {q}")
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def time_each(fn: Callable[[T], object], items: Iterable[T]) -> list[float]:
    """Seconds `fn` took on each item, called one at a time (for latency percentiles).

    >>> len(time_each(str, [1, 2, 3]))
    3
    """
    out = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - t)
    return out


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    """p50 / p95 / max of per-question latencies in seconds.

    >>> latency_summary([0.1, 0.2, 0.3])["latency_p50"]
    0.2
    """
    return {
        "latency_p50": percentile(seconds, 50),
        "latency_p95": percentile(seconds, 95),
        "latency_max": max(seconds),
    }
