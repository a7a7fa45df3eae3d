"""Fusion against hand-computed toy cases; the arithmetic is written next to each expectation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.fusion import Fused, FusionResult, rrf, weighted_sum


def test_rrf_hand_computed():
    r = rrf({"bm25": [10, 20, 30], "dense": [30, 10, 40]}, k=60)
    expected = {
        10: 1 / 61 + 1 / 62,  # bm25 rank 1, dense rank 2
        30: 1 / 63 + 1 / 61,  # bm25 rank 3, dense rank 1
        20: 1 / 62,  # bm25 rank 2 only
        40: 1 / 63,  # dense rank 3 only
    }
    assert r.rows == [10, 30, 20, 40]  # 0.032518 > 0.032266 > 0.016129 > 0.015873
    for f in r.items:
        assert f.score == pytest.approx(expected[f.row], abs=1e-15)
    assert r.items[1].ranks == {"bm25": 3, "dense": 1}
    assert r.items[2].ranks == {"bm25": 2}
    assert r.empty == ()


def test_rrf_weights_are_respected():
    lists = {"bm25": [1, 2, 3], "dense": [3, 2, 1]}
    # equal weights: 1 and 3 both 1/61 + 1/63, 2 gets 2/62 = 0.032258 < 0.032266
    assert rrf(lists).rows == [1, 3, 2]  # 1 and 3 tie: best rank 1 each, lower row first
    # dense x2: 3 -> 2/61 + 1/63 = 0.048660; 2 -> 3/62 = 0.048387; 1 -> 2/63 + 1/61 = 0.048139
    r = rrf(lists, weights={"bm25": 1.0, "dense": 2.0})
    assert r.rows == [3, 2, 1]
    assert r.items[0].score == pytest.approx(2 / 61 + 1 / 63)
    # weight 0 switches a retriever off: the order is bm25's
    assert rrf(lists, weights={"bm25": 1.0, "dense": 0.0}).rows == [1, 2, 3]


def test_rrf_keeps_raw_scores_and_drops_padding_and_repeats():
    r = rrf({"dense": [(7, 0.9), (-1, -3e38), (7, 0.5), (8, 0.4)], "bm25": [8]}, k=0)
    # dense ranks: 7 -> 1, 8 -> 2 (the -1 padding and the repeated 7 are not ranks)
    # 8: 1/(0+2) + 1/(0+1) = 1.5; 7: 1/1 = 1.0
    assert [(f.row, f.score) for f in r.items] == [(8, 1.5), (7, 1.0)]
    assert r.items[0] == Fused(8, 1.5, {"dense": 0.4}, {"dense": 2, "bm25": 1})
    attached = r.with_scores({"bm25": {8: 11.5}})
    assert attached.items[0].scores == {"dense": 0.4, "bm25": 11.5}
    assert attached.items[1].scores == {"dense": 0.9}


def test_ties_are_deterministic_whatever_the_input_order():
    a = rrf({"x": [1, 2, 3], "y": [3, 2, 1], "z": [2, 3, 1]})
    b = rrf({"z": [2, 3, 1], "y": [3, 2, 1], "x": [1, 2, 3]})
    # 1: ranks 1,3,3; 2: 2,2,1; 3: 3,1,2 -> each 1/61 + ... all three are close but not equal;
    # whatever the sums, the two dict orders must give the same ranking and scores
    assert [(f.row, round(f.score, 12)) for f in a.items] == [
        (f.row, round(f.score, 12)) for f in b.items
    ]
    # exact ties (same ranks in swapped retrievers) fall back to best rank, then row
    assert rrf({"x": [5, 4], "y": [4, 5]}).rows == [4, 5]


def test_empty_retrievers_are_reported():
    r = rrf({"bm25": [3, 4], "dense": []})
    assert r.empty == ("dense",)
    assert r.rows == [3, 4]
    both = weighted_sum({"bm25": [], "dense": [(-1, 0.0)]}, weights=None)
    assert both == FusionResult(items=(), empty=("bm25", "dense"))  # padding only is nothing


def test_weighted_sum_minmax_hand_computed():
    scored = {
        "bm25": [(1, 20.0), (2, 10.0), (3, 0.0)],  # minmax -> 1.0, 0.5, 0.0
        "dense": [(3, 0.9), (4, 0.8), (1, 0.5)],  # minmax -> 1.0, 0.75, 0.0
    }
    r = weighted_sum(scored, weights={"bm25": 1.0, "dense": 2.0})
    expected = {
        1: 1.0 * 1.0 + 2.0 * 0.0,  # 1.0
        2: 1.0 * 0.5 + 2.0 * 0.0,  # 0.5: not returned by dense -> dense's lowest, 0
        3: 1.0 * 0.0 + 2.0 * 1.0,  # 2.0
        4: 1.0 * 0.0 + 2.0 * 0.75,  # 1.5: not returned by bm25 -> 0
    }
    assert r.rows == [3, 4, 1, 2]
    for f in r.items:
        assert f.score == pytest.approx(expected[f.row])
    assert r.items[0].scores == {"bm25": 0.0, "dense": 0.9}
    assert r.items[0].ranks == {"bm25": 3, "dense": 1}


def test_weighted_sum_zscore_hand_computed():
    # bm25 [3, 1]: mean 2, std 1 -> z = +1, -1;  dense [0.8, 0.6, 0.4]: mean 0.6, std 0.1633
    # -> z = +1.2247, 0, -1.2247. A row missing from a list gets that list's lowest z.
    r = weighted_sum(
        {"bm25": [(1, 3.0), (2, 1.0)], "dense": [(2, 0.8), (3, 0.6), (1, 0.4)]},
        weights={"bm25": 1.0, "dense": 1.0},
        normalise="zscore",
    )
    z = 0.2 / (0.08 / 3) ** 0.5  # 1.2247
    expected = {2: -1 + z, 1: 1 - z, 3: -1 + 0}  # 0.2247, -0.2247, -1
    assert r.rows == [2, 1, 3]
    for f in r.items:
        assert f.score == pytest.approx(expected[f.row])


def test_weighted_sum_single_item_and_constant_lists():
    # no scale in either list: returned rows get 1, rows not returned 0 (both modes)
    for how in ("minmax", "zscore"):
        r = weighted_sum(
            {"bm25": [(9, 4.2)], "dense": [(8, 0.7), (9, 0.7)]}, weights=None, normalise=how
        )
        assert [(f.row, f.score) for f in r.items] == [(9, 2.0), (8, 1.0)]  # 9: 1 + 1; 8: 0 + 1


def test_mistakes_are_refused_with_the_fix():
    with pytest.raises(ValueError, match=r"no weight for retriever.*'dense'.*spelling"):
        rrf({"bm25": [1], "dense": [2]}, weights={"bm25": 1.0, "Dense": 1.0})
    with pytest.raises(ValueError, match=r"higher is better"):
        weighted_sum({"dense": [(1, 0.1), (2, 0.4)]}, weights=None)  # distances, not similarities
    with pytest.raises(ValueError, match=r"score nan"):
        rrf({"dense": [(1, float("nan"))]})
    with pytest.raises(ValueError, match=r">= 0"):
        rrf({"bm25": [1]}, weights={"bm25": -1.0})
    with pytest.raises(ValueError, match=r"minmax"):
        weighted_sum({"bm25": [(1, 1.0)]}, weights=None, normalise="rank")
    with pytest.raises(ValueError, match=r"pairs"):
        weighted_sum({"bm25": [1, 2]}, weights=None)


lists = st.dictionaries(
    st.sampled_from(["bm25", "dense", "title"]),
    st.lists(st.integers(0, 30), max_size=15, unique=True),
    max_size=3,
)


@given(lists)
def test_rrf_invariants(ranked):
    r = rrf(ranked)
    assert set(r.rows) == {row for rows in ranked.values() for row in rows}
    assert all(a.score >= b.score for a, b in zip(r.items, r.items[1:], strict=False))
    for f in r.items:
        for name, rank in f.ranks.items():
            assert ranked[name][rank - 1] == f.row
        assert f.score == pytest.approx(sum(1 / (60 + rank) for rank in f.ranks.values()))
    assert set(r.empty) == {name for name, rows in ranked.items() if not rows}
