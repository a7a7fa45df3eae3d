"""The BM25 side of the index: the analyzer and bm25s engine behind one small interface.

Abbreviations are learned from the indexed chunks themselves (merged with the
built-in list) and stored with the BM25 arrays, so queries are analysed
exactly as the documents were.

Two BM25 indexes are kept: one row per chunk (`bm25/`, a retriever) and one row
per whole document (`bm25_docs/`, a document prior the hybrid fusion adds to
each candidate chunk: a passage of the document that matches the question as a
whole is more likely the one asked about; docs/eval.md has the numbers).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from index.abbrev import learn_abbreviations, merge_abbreviations
from index.analyzer import analyze
from index.bm25 import FORMAT_VERSION as BM25_FORMAT_VERSION
from index.bm25 import BM25Index

# Chosen on the ALQAC + policy dev split (scripts/bench_analyzers.py, docs/eval.md).
SPARSE_SETTINGS = {
    "analyzer": "syllables+bigrams+abbreviations",
    "k1": 0.9,
    "b": 0.9,
    "method": "lucene",
    "document_prior": True,  # bm25_docs/ is built beside bm25/
    "bm25_format": BM25_FORMAT_VERSION,  # a new format makes the next update rebuild BM25
}
CHUNKS_DIR, DOCS_DIR = "bm25", "bm25_docs"


class SparseIndex:
    """Analyse a query, score it on the exact and diacritics-folded fields, return (row, score)."""

    def __init__(self, bm25: BM25Index) -> None:
        self.bm25 = bm25
        self.abbreviations: dict[str, str] = dict(bm25.settings.get("abbreviations", {}))

    def __len__(self) -> int:
        return len(self.bm25)

    def analyze(self, text: str) -> list[str]:
        return analyze(text, abbreviations=self.abbreviations)

    def search(
        self, query: str, k: int, *, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        if len(self.bm25) == 0:
            return []
        rows, scores = self.bm25.search(self.analyze(query), k, allowed=allowed)
        return [(int(r), float(s)) for r, s in zip(rows, scores, strict=True)]

    def save(self, directory: Path) -> None:
        self.bm25.save(directory)


def build_sparse(
    texts: Sequence[str], *, abbreviations: dict[str, str] | None = None
) -> SparseIndex:
    """BM25 over `texts` (row i = text i) with abbreviations learned from them
    (or the given table, so a second index analyses exactly like the first)."""
    if abbreviations is None:
        abbreviations = merge_abbreviations(learn_abbreviations(texts))
    # A generator: the token lists are interned row by row, never all held at once.
    tokens = (analyze(t, abbreviations=abbreviations) for t in texts)
    p = SPARSE_SETTINGS
    bm25 = BM25Index.build(
        tokens, k1=p["k1"], b=p["b"], method=p["method"], settings={"abbreviations": abbreviations}
    )
    return SparseIndex(bm25)


def load_sparse(directory: Path) -> SparseIndex:
    return SparseIndex(BM25Index.load(directory, mmap=True))


def write_sparse(gen: Path, chunk_texts: Sequence[str], doc_texts: Iterable[str]) -> None:
    """Build and save the chunk index and the document index of one generation."""
    chunks = build_sparse(chunk_texts)
    chunks.save(gen / CHUNKS_DIR)
    build_sparse(list(doc_texts), abbreviations=chunks.abbreviations).save(gen / DOCS_DIR)


def load_sparse_pair(gen: Path) -> tuple[SparseIndex, SparseIndex]:
    """(chunk index, document index) of a generation, memory-mapped."""
    return load_sparse(gen / CHUNKS_DIR), load_sparse(gen / DOCS_DIR)
