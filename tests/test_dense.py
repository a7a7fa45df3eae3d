"""DenseIndex against exact search (numpy brute force over the same float16 vectors).

Vectors are synthetic, shaped like sentence embeddings (as in scripts/bench_dense.py):
a Gaussian mixture in a 48-d latent space, one cluster per ~200 rows, lifted to
384-d with isotropic noise and a shared offset, L2-normalised; queries are
held-out draws from the same mixture, so their neighbours are real clusters.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from index.dense import DenseIndex
from vanban.errors import IndexStateError

N, D, NQ = 20_000, 384, 200


def clustered_unit_vectors(n: int, d: int = D, seed: int = 0, latent: int = 48) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((max(8, n // 200), latent)).astype(np.float32)
    lift = rng.standard_normal((latent, d)).astype(np.float32) / np.sqrt(latent)
    z = centers[rng.integers(0, len(centers), n)] + 0.7 * rng.standard_normal((n, latent))
    x = (z @ lift + 0.5 * rng.standard_normal((n, d)) + 1.5 * rng.standard_normal(d)).astype(
        np.float32
    )
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def brute_force(x: np.ndarray, q: np.ndarray, k: int, allowed=None):
    """Reference: score every (allowed) row of the float16-rounded vectors, sort."""
    x = x.astype(np.float16).astype(np.float32)
    s = q @ x.T
    if allowed is not None:
        s[:, ~allowed] = -np.inf
    rows = np.argsort(-s, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(s, rows, axis=1), rows


def recall(rows: np.ndarray, truth: np.ndarray) -> float:
    hits = sum(len(set(a) & set(b)) for a, b in zip(rows.tolist(), truth.tolist(), strict=True))
    return hits / truth.size


@pytest.fixture(scope="module")
def data():
    x = clustered_unit_vectors(N + NQ)
    return x[:N], x[N:]


@pytest.fixture(scope="module")
def hnsw(data):
    return DenseIndex.build(data[0], hnsw_threshold=N)  # N rows reach the threshold: HNSW


def test_hnsw_recall_at_10_vs_exact(data, hnsw):
    x, q = data
    assert hnsw.kind == "hnsw" and type(hnsw.index).__name__ == "IndexHNSWFlat"
    scores, rows = hnsw.search(q, 10)
    truth_s, truth = brute_force(x, q, 10)
    r = recall(rows, truth)
    print(f"HNSW recall@10 vs exact, {N} x {D}: {r:.4f}")
    assert r >= 0.98
    assert np.all(np.diff(scores, axis=1) <= 0)  # best first
    assert np.allclose(scores[:, 0], truth_s[:, 0], atol=1e-4)  # scores are cosines


def test_flat_below_threshold_is_exact(data):
    x, q = data
    idx = DenseIndex.build(x[:5000])
    assert idx.kind == "flat"
    scores, rows = idx.search(q, 10)
    truth_s, truth = brute_force(x[:5000], q, 10)
    assert np.allclose(scores, truth_s, atol=1e-5)
    assert recall(rows, truth) == 1.0


@pytest.mark.parametrize("fraction", [0.5, 0.1, 0.01])
def test_filtered_search_is_restricted_exact_search(data, hnsw, fraction):
    x, q = data
    allowed = np.random.default_rng(1).random(N) < fraction
    hnsw.exact_below = 500  # 50% and 10% go through HNSW with a FAISS selector, 1% is gathered
    try:
        _, rows = hnsw.search(q, 10, allowed=allowed)
    finally:
        hnsw.exact_below = 20_000
    _, truth = brute_force(x, q, 10, allowed)
    assert rows.shape == (NQ, 10)
    assert allowed[rows].all()
    r = recall(rows, truth)
    print(f"filtered ({fraction:.0%} allowed) recall@10: {r:.4f}")
    assert r >= (1.0 if fraction * N <= 500 else 0.98)


def test_filtered_flat_search_equals_exact(data):
    x, q = data
    idx = DenseIndex.build(x, exact_below=100)  # flat, filter applied by FAISS's IDSelectorBitmap
    allowed = np.zeros(N, bool)
    allowed[np.random.default_rng(2).choice(N, 3000, replace=False)] = True
    scores, rows = idx.search(q[:50], 10, allowed=allowed)
    truth_s, truth = brute_force(x, q[:50], 10, allowed)
    assert recall(rows, truth) == 1.0
    assert np.allclose(scores, truth_s, atol=1e-5)


def test_very_selective_filter_returns_every_allowed_row(data, hnsw):
    q = data[1]
    allowed = np.zeros(N, bool)
    allowed[[3, 4_321, 19_999]] = True
    for exact_below in (20_000, 0):  # gathered, and forced through the HNSW graph (then repaired)
        hnsw.exact_below = exact_below
        try:
            scores, rows = hnsw.search(q[:5], 10, allowed=allowed)
        finally:
            hnsw.exact_below = 20_000
        assert rows.shape == (5, 3)
        assert all(sorted(r) == [3, 4_321, 19_999] for r in rows.tolist())
        assert np.all(np.diff(scores, axis=1) <= 0)
    none = hnsw.search(q[:2], 10, allowed=np.zeros(N, bool))
    assert none[0].shape == none[1].shape == (2, 0)


def test_save_load_round_trip_is_identical(data, hnsw, tmp_path):
    q = data[1]
    allowed = np.random.default_rng(3).random(N) < 0.3
    hnsw.save(tmp_path / "dense")
    back = DenseIndex.load(tmp_path / "dense", dim=D)
    assert (back.kind, back.storage, len(back), back.dim) == ("hnsw", "float32", N, D)
    assert isinstance(back.vectors, np.memmap)  # served from disk, not copied into RAM
    for mask in (None, allowed):
        a, b = hnsw.search(q, 10, allowed=mask), back.search(q, 10, allowed=mask)
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    man = json.loads((tmp_path / "dense" / "dense.json").read_text())
    assert (man["version"], man["count"], man["dim"], man["m"]) == (1, N, D, 32)
    back.save(tmp_path / "dense")  # over its own memory-mapped files
    again = DenseIndex.load(tmp_path / "dense")
    assert np.array_equal(again.search(q, 10)[1], hnsw.search(q, 10)[1])


def test_load_names_the_problem_and_the_fix(data, tmp_path):
    x, _ = data
    d = tmp_path / "dense"
    DenseIndex.build(x[:1000]).save(d)
    with pytest.raises(IndexStateError, match=r"768-d.*384-d|384-d.*768-d"):
        DenseIndex.load(d, dim=768)
    np.save(d / "vectors.npy", x[1000:2000].astype(np.float16))  # same shape, other vectors
    with pytest.raises(IndexStateError, match=r"not the file dense.json describes.*rebuild"):
        DenseIndex.load(d)
    DenseIndex.build(x[:1000]).save(d)
    (d / "faiss.index").write_bytes((d / "faiss.index").read_bytes()[:5000])  # truncated
    with pytest.raises(IndexStateError, match=r"cannot read.*rebuild"):
        DenseIndex.load(d)
    (d / "faiss.index").unlink()
    with pytest.raises(IndexStateError, match=r"missing faiss.index"):
        DenseIndex.load(d)
    DenseIndex.build(x[:1000]).save(d)
    man = json.loads((d / "dense.json").read_text())
    (d / "dense.json").write_text(json.dumps(man | {"version": 99}))
    with pytest.raises(IndexStateError, match=r"version 99"):
        DenseIndex.load(d)


@pytest.mark.parametrize("storage", ["float16", "sq8"])
def test_quantised_storage_recall(data, storage):
    x, q = data
    idx = DenseIndex.build(x, storage=storage)
    rows = idx.search(q, 10)[1]
    truth = brute_force(x, q, 10)[1]
    raw = idx.index.search(q, 10)[1]  # the quantised codes alone, before exact re-scoring
    r, r_raw = recall(rows, truth), recall(raw, truth)
    print(f"flat {storage}: recall@10 {r:.4f} (codes alone {r_raw:.4f})")
    assert r >= 0.95 and r >= r_raw


@pytest.mark.slow
def test_hnsw_sq8_recall(data):
    x, q = data
    idx = DenseIndex.build(x, hnsw_threshold=0, storage="sq8")
    assert type(idx.index).__name__ == "IndexHNSWSQ"
    r = recall(idx.search(q, 10)[1], brute_force(x, q, 10)[1])
    print(f"HNSW+SQ8 recall@10: {r:.4f}")
    assert r >= 0.95


def test_update_without_reembedding_equals_fresh_build(data):
    x, q = data
    old = DenseIndex.build(x[:3000])
    keep = np.ones(3000, bool)
    keep[[0, 10, 2999]] = False  # deleted chunks
    new = old.updated(keep=keep, append=x[3000:3100])
    fresh = DenseIndex.build(np.concatenate([x[:3000][keep], x[3000:3100]]))
    assert len(new) == 3097
    assert np.array_equal(new.vectors, fresh.vectors)  # row i is vector i after the update
    assert np.array_equal(new.search(q, 10)[1], fresh.search(q, 10)[1])


def test_bad_input_is_refused_with_the_fix():
    x = clustered_unit_vectors(100, d=8)
    with pytest.raises(ValueError, match=r"row 7 has norm 2.*L2-normalised"):
        DenseIndex.build(np.where(np.arange(100)[:, None] == 7, 2 * x, x))
    with pytest.raises(ValueError, match=r"2-D float"):
        DenseIndex.build(np.arange(10))
    idx = DenseIndex.build(np.vstack([x, np.zeros((1, 8), np.float32)]))  # an empty text's vector
    with pytest.raises(ValueError, match=r"index is 8-d"):
        idx.search(np.ones(9, np.float32), 3)
    with pytest.raises(ValueError, match=r"bool mask of shape \(101,\)"):
        idx.search(x[0], 3, allowed=np.ones(100, bool))
    assert idx.ranked(x[5], 1)[0][0] == 5
    empty = DenseIndex.build(np.empty((0, 8), np.float32))
    assert empty.search(x[0], 3)[1].shape == (1, 0)
