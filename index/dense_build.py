"""How the index builder makes and opens its dense side (settings recorded in the manifest)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index.dense import DenseIndex

# Exact search is both exact and fast enough below ~50k chunks (p95 well under the
# budget, docs/benchmarks.md); above it HNSW over float16 codes keeps 1M chunks in RAM.
DENSE_SETTINGS = {"hnsw_threshold": 50_000, "large_storage": "float16"}


def build_dense(vectors: np.ndarray) -> DenseIndex:
    large = len(vectors) >= DENSE_SETTINGS["hnsw_threshold"]
    return DenseIndex.build(
        vectors,
        hnsw_threshold=DENSE_SETTINGS["hnsw_threshold"],
        storage=DENSE_SETTINGS["large_storage"] if large else "float32",
    )


def load_dense(directory: Path) -> DenseIndex:
    """Open the dense side for serving: one FAISS thread per query.

    A single query is tiny; OpenMP's thread hand-off costs more than it saves
    (flat 20k rows: p50 32 ms with 2 threads, 1.4 ms with 1 — docs/benchmarks.md),
    and concurrent users already use the other core.
    """
    import faiss

    faiss.omp_set_num_threads(1)
    return DenseIndex.load(directory)
