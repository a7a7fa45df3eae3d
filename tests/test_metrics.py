"""Metrics against hand-computed toy cases and reference implementations (sklearn, numpy)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eval.aggregate import Outcome, aggregate, check_thresholds
from eval.datasets import AnswerSpec, Gold, Question, load_dataset
from eval.metrics import (
    abstention_scores,
    answer_correct,
    contains_answer,
    label_ranking,
    latency_summary,
    mrr_at_k,
    ndcg_at_k,
    normalise_answer,
    percentile,
    recall_at_k,
    same_source,
)

# ---------------------------------------------------------------- ranking metrics


def test_recall_toy():
    ranked = ["x", "a", "y", "b", "a"]
    # top-2 = {x, a}: 1 of {a, b, c} found -> 1/3
    assert recall_at_k(ranked, {"a", "b", "c"}, 2) == pytest.approx(1 / 3)
    # top-4 = {x, a, y, b}: 2 of 3 -> 2/3; the repeated "a" at rank 5 adds nothing
    assert recall_at_k(ranked, {"a", "b", "c"}, 5) == pytest.approx(2 / 3)
    assert recall_at_k([], {"a"}, 5) == 0.0


def test_mrr_toy():
    # first relevant at rank 3 -> 1/3; outside k=2 -> 0
    assert mrr_at_k(["x", "y", "a", "b"], {"a", "b"}, 10) == pytest.approx(1 / 3)
    assert mrr_at_k(["x", "y", "a", "b"], {"a", "b"}, 2) == 0.0
    assert mrr_at_k(["b"], {"a", "b"}, 1) == 1.0


def test_ndcg_toy():
    # relevant {a, b}, ranking [a, x, b], k=3
    # DCG  = 1/log2(2) + 1/log2(4) = 1 + 0.5 = 1.5
    # IDCG = 1/log2(2) + 1/log2(3) = 1 + 0.63093 = 1.63093
    assert ndcg_at_k(["a", "x", "b"], {"a", "b"}, 3) == pytest.approx(1.5 / (1 + 1 / math.log2(3)))
    # a repeated relevant key gains nothing: [a, a] vs {a, b}: DCG = 1, IDCG = 1.63093
    assert ndcg_at_k(["a", "a"], {"a", "b"}, 2) == pytest.approx(1 / (1 + 1 / math.log2(3)))
    # k smaller than |relevant|: IDCG uses only k positions -> perfect top-1 scores 1
    assert ndcg_at_k(["b", "x"], {"a", "b"}, 1) == 1.0
    assert ndcg_at_k(["x", "y"], {"a"}, 2) == 0.0


def test_ranking_metrics_reject_undefined_inputs():
    with pytest.raises(ValueError, match="no relevant"):
        recall_at_k(["a"], set(), 5)
    with pytest.raises(ValueError, match="k must be"):
        ndcg_at_k(["a"], {"a"}, 0)


@settings(max_examples=60, deadline=None)
@given(
    order=st.permutations(list(range(12))),
    relevant=st.sets(st.integers(0, 14), min_size=1, max_size=6),
    k=st.integers(1, 12),
)
def test_ndcg_matches_sklearn(order, relevant, k):
    """Items 0..11 ranked in `order`; 12..14 relevant but never retrieved."""
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    items = list(range(15))
    score = {item: len(order) - pos for pos, item in enumerate(order)}  # 12 .. 1
    y_true = [[1.0 if i in relevant else 0.0 for i in items]]
    y_score = [[float(score.get(i, 0)) for i in items]]  # unretrieved below every retrieved
    expected = sklearn_metrics.ndcg_score(y_true, y_score, k=k)
    assert ndcg_at_k(order, relevant, k) == pytest.approx(expected)


def test_same_source():
    assert same_source("/work/main/samples/001_a.txt", "001_a.txt")
    assert same_source("corpus/sub/x.txt", "sub/x.txt")
    assert not same_source("/a/other_001_a.txt", "001_a.txt")  # whole components only
    assert not same_source("x.txt", "sub/x.txt")


def test_label_ranking_doc_and_section():
    gold = [
        Gold("001.txt", "2. Sở Công Thương chủ trì:"),
        Gold("004.txt", "6. Sở Công Thương"),
        Gold("004.txt", "III. TỔ CHỨC THỰC HIỆN"),
    ]
    retrieved = [
        # the detector kept the hard wrap inside the heading
        ("/s/004.txt", ("II. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU", "6. Sở Công\nThương")),
        ("/s/004.txt", ("II. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU", "7. Sở Nông nghiệp")),
        ("/s/001.txt", ("I. X", "2. Sở Công Thương chủ trì", "c) CCN:")),  # no colon, deeper path
        ("/s/002.txt", ()),
    ]
    # doc level: two distinct sources -> keys 0 (001) and 1 (004); row 2 repeats 004 and, as in
    # max-pooled document retrieval, takes no rank of its own
    assert label_ranking(retrieved, gold, "doc") == ([1, 0, None], {0, 1})
    # section level: row 1 is 004 but another section -> None
    keys, rel = label_ranking(retrieved, gold, "section")
    assert (keys, rel) == ([1, None, 0, None], {0, 1, 2})
    assert recall_at_k(keys, rel, 3) == pytest.approx(2 / 3)
    # a heading that merely starts with the same words is not the section
    assert label_ranking([("004.txt", ("6. Sở Công Thươngx",))], gold[1:2], "section")[0] == [None]
    # a detector that keeps body text on the heading line still matches
    keys, _ = label_ranking([("004.txt", ("6. Sở Công Thương - Tiếp tục",))], gold[1:2], "section")
    assert keys == [0]


def test_label_ranking_gives_each_item_one_key():
    # Two gold sections of one file whose headings are both in the path of the first hit:
    # the first hit takes key 0, the second identical hit takes key 1.
    gold = [Gold("a.txt", "I. A"), Gold("a.txt", "1. B")]
    hits = [("a.txt", ("I. A", "1. B"))] * 2
    assert label_ranking(hits, gold, "section") == ([0, 1], {0, 1})


# ---------------------------------------------------------------- answers


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("7,0 - 7,5%", "7,0-7,5%"),
        ("Tỉnh uỷ Bến Tre", "tỉnh ủy bến tre"),
        ("19/01/2023", "19-1-2023"),
        ("ngày 19 tháng 01 năm 2023.", "Ngày 19 tháng 1 năm 2023"),
        ("“Sở  Công Thương”", "sở công thương"),
        ("ho\u0300a", "hòa"),  # NFD input
    ],
)
def test_normalise_answer_equivalences(a, b):
    assert normalise_answer(a) == normalise_answer(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("7,5%", "75%"), ("50.400", "50 400"), ("Sở Công Thương", "So Cong Thuong"), ("0,5", "5")],
)
def test_normalise_answer_keeps_differences(a, b):
    assert normalise_answer(a) != normalise_answer(b)


def test_containment():
    assert contains_answer("Sở Công Thương tỉnh Bến Tre", "Sở Công Thương")
    assert contains_answer("Sở Công Thương", "Sở Công Thương")
    assert not contains_answer("Sở", "Sở Công Thương")
    assert not contains_answer("Sở Công Thươngmại", "Sở Công Thương")  # whole tokens only
    assert not contains_answer("175%", "75%")  # "175" is not "75"
    assert not contains_answer("anything", "")
    padded = "Sở Công Thương " + "và nhiều đơn vị khác " * 6  # 3 + 24 tokens > 3 + 20
    assert not contains_answer(padded, "Sở Công Thương")


def test_answer_correct_forms():
    any_spec = AnswerSpec(any=("19 tháng 01 năm 2023", "19/01/2023"))
    assert answer_correct("Ngày 19/1/2023", any_spec)
    assert not answer_correct("20/01/2023", any_spec)
    assert not answer_correct(None, any_spec)
    all_spec = AnswerSpec(all=(("Chợ Gạo",), ("Gò Công Đông", "huyện Gò Công Đông")))
    assert answer_correct("Chợ Gạo, Gò Công Đông", all_spec)
    assert not answer_correct("Chợ Gạo", all_spec)
    abstain = AnswerSpec(abstain=True)
    assert answer_correct(None, abstain)
    assert not answer_correct("Sở Công Thương", abstain)


def test_abstention_toy():
    # expected: T T T F F ; predicted: T F T T F -> both = 2, predicted = 3, expected = 3
    ab = abstention_scores([True, True, True, False, False], [True, False, True, True, False])
    assert (ab.precision, ab.recall) == (pytest.approx(2 / 3), pytest.approx(2 / 3))
    none = abstention_scores([False, False], [False, False])
    assert none.precision is None and none.recall is None  # undefined, not perfect


# ---------------------------------------------------------------- latency


def test_percentile_toy_and_numpy():
    np = pytest.importorskip("numpy")
    xs = [0.5, 0.1, 0.3, 0.2, 0.9]
    # sorted 0.1 0.2 0.3 0.5 0.9; p50 at position 2 -> 0.3; p95 at 3.8 -> 0.5 + 0.8*0.4 = 0.82
    assert percentile(xs, 50) == pytest.approx(0.3)
    assert percentile(xs, 95) == pytest.approx(0.82)
    for q in (0, 10, 50, 90, 95, 99, 100):
        assert percentile(xs, q) == pytest.approx(float(np.percentile(xs, q)))
    assert latency_summary([2.0])["latency_p95"] == 2.0
    with pytest.raises(ValueError):
        percentile([], 50)


# ---------------------------------------------------------------- aggregation


def _q(qid, kind, gold, answer, tags=(), split="dev"):
    return Question(qid, "?", tuple(gold), answer, kind, tuple(tags), split)


def test_aggregate_toy():
    g1 = Gold("001.txt", "2. Sở Công Thương chủ trì:")
    q1 = _q("a", "agency", [g1], AnswerSpec(any=("Sở Công Thương",)), ["multi"])
    q2 = _q("b", "number", [Gold("004.txt", None)], AnswerSpec(any=("9,3%",)), ["multi"], "test")
    q3 = _q("c", "none", [], AnswerSpec(abstain=True), [], "test")
    outcomes = [
        # q1: gold doc at rank 2, but another section -> section recall 0
        Outcome(q1, (("x.txt", ()), ("001.txt", ("1. Sở Nông nghiệp",))), "Sở Công Thương", 0.1),
        # q2: gold doc at rank 1 (section None = whole file); wrong answer
        Outcome(q2, (("/c/004.txt", ()),), "9,5%", 0.3),
        # q3: unanswerable, system answered anyway
        Outcome(q3, (("001.txt", ()),), "Sở Y tế", 0.2),
    ]
    report = aggregate(outcomes, ks=(1, 5))
    overall = report["overall"]
    assert overall["n"] == 3 and overall["n_answerable"] == 2
    assert overall["recall@1_doc"] == pytest.approx((0 + 1) / 2)
    assert overall["recall@5_doc"] == pytest.approx((1 + 1) / 2)
    assert overall["recall@5_section"] == pytest.approx((0 + 1) / 2)
    assert overall["mrr@5_doc"] == pytest.approx((1 / 2 + 1) / 2)
    assert overall["answer_accuracy"] == pytest.approx(1 / 3)  # only q1 right
    assert overall["abstain_precision"] is None  # nothing abstained
    assert overall["abstain_recall"] == 0.0  # 0 of 1 expected abstentions
    assert overall["latency_p50"] == pytest.approx(0.2)
    assert report["by_kind"]["none"]["answer_accuracy"] == 0.0
    assert "recall@5_doc" not in report["by_kind"]["none"]  # no gold, no retrieval metric
    assert report["by_tag"]["multi"]["n"] == 2
    assert report["by_split"]["test"]["n"] == 2
    # retrieval-only run: no answer metrics at all
    assert "answer_accuracy" not in aggregate(outcomes, ks=(5,), answers=False)["overall"]


def test_check_thresholds():
    metrics = {"recall@5_doc": 0.95, "mrr@10_doc": 0.5, "latency_p95": 2.0}
    failures = check_thresholds(
        metrics, {"recall@5_doc": 0.9, "mrr@10_doc": 0.7, "latency_p95": 1.0, "x": 0.1}
    )
    assert failures == [
        "mrr@10_doc = 0.500 < 0.700 required",
        "latency_p95 = 2.000 > 1.000 allowed",
        "x was not measured (needed for threshold 0.1)",
    ]


def test_perfect_oracle_on_sample_scores_one():
    """Retrieving exactly the gold sections and printing the first alternative scores 1.0."""
    ds = load_dataset("sample")
    outcomes = []
    for q in ds.questions:
        ranked = tuple((str(ds.source_path(g)), (g.section or "",)) for g in q.gold)
        if q.answer.abstain:
            answer = None
        elif q.answer.any:
            answer = q.answer.any[0]
        else:
            answer = ", ".join(alts[0] for alts in q.answer.all)
        outcomes.append(Outcome(q, ranked, answer, 0.01))
    overall = aggregate(outcomes, ks=(5, 10))["overall"]
    for name in ("recall@5_section", "recall@5_doc", "mrr@10_section", "ndcg@10_section"):
        assert overall[name] == 1.0, name
    assert overall["answer_accuracy"] == 1.0
    assert overall["abstain_precision"] == overall["abstain_recall"] == 1.0
    assert check_thresholds(overall, ds.thresholds["hybrid"]) == []
