"""Dense retrieval: FAISS over L2-normalised embeddings, where inner product = cosine.

Row i of the index is row i of `vectors.npy` (float16, memory-mapped), which is
chunk i everywhere else. The stored vectors are the source of truth: they
feed exact search over small filtered subsets, re-score quantised candidates,
and rebuild the index after an update without re-embedding anything.

>>> import numpy as np
>>> x = np.array([[1, 0], [0.6, 0.8], [0, 1]], np.float32)  # 3 unit vectors
>>> idx = DenseIndex.build(x)                                # exact IndexFlatIP (< hnsw_threshold)
>>> idx.ranked(np.array([0, 1.0]), 2)                        # [(row, cosine), ...]
[(2, 1.0), (1, 0.7998046875)]
>>> idx.search(np.array([0, 1.0]), 2, allowed=np.array([1, 1, 0], bool))[1].tolist()
[[1, 0]]
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, Literal

import numpy as np

from index import dense_exact as exact
from index.pagecache import read_at_random
from vanban.errors import IndexStateError

FORMAT = "vanban.dense"
VERSION = 1
MANIFEST = "dense.json"
VECTORS = "vectors.npy"
FAISS_FILE = "faiss.index"
Storage = Literal["float32", "float16", "sq8"]
STORAGES = ("float32", "float16", "sq8")
# Candidates fetched per wanted result before exact re-scoring: SQ8 codes misorder
# near-ties, float16 codes are as good as the stored vectors themselves.
REFINE = {"float32": 1, "float16": 1, "sq8": 4}


class DenseIndex:
    """Nearest-neighbour search by cosine; `build` or `load` one, then `search` it.

    `kind` is "flat" (exact) or "hnsw"; `storage` is how FAISS holds the vectors.
    """

    def __init__(self, vectors: np.ndarray, index: Any, params: dict[str, Any]) -> None:
        # Private: use build() or load(), which validate what they pass here.
        self.vectors = vectors
        self.index = index
        self.params = params
        self.ef_search: int = params["ef_search"]  # tunable after load
        self.exact_below: int = params["exact_below"]

    kind = property(lambda self: self.params["kind"])
    storage = property(lambda self: self.params["storage"])
    dim = property(lambda self: int(self.vectors.shape[1]))

    def __len__(self) -> int:
        return int(self.vectors.shape[0])

    @classmethod
    def build(
        cls,
        vectors: np.ndarray,
        *,
        hnsw_threshold: int = 50_000,
        storage: Storage = "float32",
        m: int = 32,
        ef_construction: int = 80,
        ef_search: int = 64,
        exact_below: int = 20_000,
    ) -> DenseIndex:
        """Index unit-norm rows: exact below `hnsw_threshold` rows, HNSW (M=`m`) from there.

        Vectors are rounded to float16 first, so an index rebuilt from its own
        stored vectors is identical to the original. Filtered searches that
        allow at most `exact_below` rows are answered exactly from those rows.
        """
        if storage not in STORAGES:
            raise ValueError(f"storage={storage!r}: use one of {', '.join(STORAGES)}")
        stored = exact.as_unit_float16(vectors)
        n, d = stored.shape
        params = {
            "kind": "hnsw" if n >= hnsw_threshold else "flat",
            "storage": storage,
            "m": m,
            "ef_construction": ef_construction,
            "ef_search": ef_search,
            "exact_below": exact_below,
            "hnsw_threshold": hnsw_threshold,
        }
        index = _new_faiss_index(params, d)
        if n and not index.is_trained:
            # SQ8 learns a per-dimension range; a sample sees the same ranges for less memory.
            step = max(1, n // 200_000)
            index.train(np.ascontiguousarray(stored[::step], dtype=np.float32))
        for start in range(0, n, exact.BLOCK):  # float32 copies one block at a time
            index.add(np.ascontiguousarray(stored[start : start + exact.BLOCK], dtype=np.float32))
        return cls(stored, index, params)

    def updated(
        self, *, keep: np.ndarray | None = None, append: np.ndarray | None = None
    ) -> DenseIndex:
        """A new index with the same settings over `stored[keep]` then `append`; no re-embedding.

        >>> import numpy as np
        >>> idx = DenseIndex.build(np.eye(3, dtype=np.float32))
        >>> len(idx.updated(keep=np.array([True, False, True]), append=np.eye(3)[:1]))
        3
        """
        parts = [self.vectors if keep is None else self.vectors[exact.as_mask(keep, len(self))]]
        if append is not None:
            parts.append(exact.as_unit_float16(append, dim=self.dim))
        p = self.params
        return DenseIndex.build(
            np.concatenate(parts) if len(parts) > 1 else parts[0],
            hnsw_threshold=p["hnsw_threshold"],
            storage=p["storage"],
            m=p["m"],
            ef_construction=p["ef_construction"],
            ef_search=self.ef_search,
            exact_below=self.exact_below,
        )

    def search(
        self, query_vectors: np.ndarray, k: int, *, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-`k` rows by cosine for each query, among `allowed` rows (a bool mask) if given.

        Returns `(scores, rows)`, both shaped (queries, min(k, allowed rows)),
        best first; the filter is applied inside retrieval, so a selective
        filter still yields that many rows.
        """
        q = exact.as_queries(query_vectors, self.dim)
        if k < 1:
            raise ValueError(f"k={k}: ask for at least one result")
        n = len(self)
        mask = None if allowed is None else exact.as_mask(allowed, n)
        n_ok = n if mask is None else int(np.count_nonzero(mask))
        if mask is not None and n_ok == n:
            mask = None
        kk = min(k, n_ok)
        if kk == 0:
            return np.empty((len(q), 0), np.float32), np.empty((len(q), 0), np.int64)
        if mask is not None and n_ok <= self.exact_below:
            # Few rows: scoring them all is exact and cheaper than steering a graph around the rest.
            return self._exact(q, kk, np.flatnonzero(mask))
        scores, rows = self._faiss_search(q, min(n_ok, kk * REFINE[self.storage]), mask, n_ok)
        if self.storage != "float32":
            scores, rows = exact.rescore(self.vectors, q, rows, kk)
        scores, rows = scores[:, :kk], rows[:, :kk]
        short = np.flatnonzero((rows < 0).any(axis=1))
        if short.size:
            # HNSW may stop before finding kk allowed rows; answer those queries exactly.
            ids = None if mask is None else np.flatnonzero(mask)
            scores[short], rows[short] = self._exact(q[short], kk, ids)
        return scores, rows

    def _exact(self, q: np.ndarray, k: int, ids: np.ndarray | None):
        """Exact top-k among rows `ids` (all if None), from the float32 vectors FAISS holds when
        it holds them (no copy, no float16 cast: numpy's is slow), else from the stored ones."""
        if self.storage != "float32":
            return exact.topk(self.vectors, q, k, rows=ids)
        import faiss

        flat = self.index if self.kind == "flat" else faiss.downcast_index(self.index.storage)
        xb = faiss.rev_swig_ptr(flat.get_xb(), len(self) * self.dim).reshape(len(self), self.dim)
        if ids is None:
            return exact.topk(xb, q, k)
        return exact.topk_by_ids(xb, q, k, ids)

    def ranked(
        self, query_vector: np.ndarray, k: int, *, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """One query's results as `[(row, score), ...]`, best first: the shape fusion takes."""
        scores, rows = self.search(query_vector, k, allowed=allowed)
        if len(scores) != 1:
            raise ValueError(f"ranked() takes one query vector, got {len(scores)}; use search()")
        return list(zip(rows[0].tolist(), scores[0].tolist(), strict=True))

    def _faiss_search(self, q: np.ndarray, k: int, mask: np.ndarray | None, n_ok: int):
        import faiss

        bits = None if mask is None else np.packbits(mask, bitorder="little")
        sel = None if bits is None else faiss.IDSelectorBitmap(bits)
        if self.kind == "hnsw":
            # A filter leaves fraction f of the graph usable: widen the beam by 1/f so
            # about as many allowed candidates are seen as without a filter.
            ef = max(self.ef_search, k)
            ef = min(max(n_ok, k), math.ceil(ef * len(self) / n_ok))
            params = faiss.SearchParametersHNSW(efSearch=ef)
        else:
            params = faiss.SearchParameters()
        if sel is not None:
            params.sel = sel
        scores, rows = self.index.search(q, k, params=params)
        return exact.best(scores, rows, k)  # FAISS leaves the order of ties unspecified

    def save(self, directory: str | Path) -> None:
        """Write vectors.npy, faiss.index and dense.json (last, so it only names complete files)."""
        import faiss

        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        # Write beside, then rename: `self.vectors` may be a memory map of the old file.
        np.save(d / (VECTORS + ".tmp.npy"), np.asarray(self.vectors))
        faiss.write_index(self.index, str(d / (FAISS_FILE + ".tmp")))
        os.replace(d / (VECTORS + ".tmp.npy"), d / VECTORS)
        os.replace(d / (FAISS_FILE + ".tmp"), d / FAISS_FILE)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "count": len(self),
            "dim": self.dim,
            "metric": "inner_product",
            **self.params,
            "ef_search": self.ef_search,
            "exact_below": self.exact_below,
            "fingerprint": exact.fingerprint(self.vectors),
            "faiss_version": faiss.__version__,
        }
        tmp = d / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, d / MANIFEST)

    @classmethod
    def load(cls, directory: str | Path, *, dim: int | None = None) -> DenseIndex:
        """Read what `save` wrote, checking it is complete, consistent and of `dim` if given."""
        import faiss

        d = Path(directory)
        fix = "rebuild the index (vanban index --rebuild)"
        man = _read_manifest(d, fix)
        if dim is not None and dim != man["dim"]:
            raise IndexStateError(
                f"{d}: dense index holds {man['dim']}-d vectors but the encoder gives {dim}-d; "
                f"use the encoder it was built with or {fix}"
            )
        try:
            vectors = read_at_random(np.load(d / VECTORS, mmap_mode="r"))
            index = faiss.read_index(str(d / FAISS_FILE))
        except (OSError, ValueError, RuntimeError) as e:
            raise IndexStateError(f"{d}: cannot read the dense index ({e}); {fix}") from e
        problems = []
        if vectors.dtype != np.float16 or vectors.shape != (man["count"], man["dim"]):
            problems.append(f"{VECTORS} is {vectors.dtype} {vectors.shape}")
        elif exact.fingerprint(vectors) != man["fingerprint"]:
            problems.append(f"{VECTORS} is not the file {MANIFEST} describes")
        if index.ntotal != man["count"] or index.d != man["dim"]:
            problems.append(f"{FAISS_FILE} holds {index.ntotal} x {index.d}")
        if type(index).__name__ != type(_new_faiss_index(man, man["dim"])).__name__:
            problems.append(f"{FAISS_FILE} is a {type(index).__name__}")
        if problems:
            raise IndexStateError(
                f"{d}: dense index is inconsistent with its manifest "
                f"({man['count']} x {man['dim']} {man['kind']}/{man['storage']}): "
                f"{'; '.join(problems)}; {fix}"
            )
        params = {k: man[k] for k in ("kind", "storage", "m", "ef_construction", "ef_search")}
        params |= {k: man[k] for k in ("exact_below", "hnsw_threshold")}
        return cls(vectors, index, params)


def _read_manifest(d: Path, fix: str) -> dict[str, Any]:
    missing = [f for f in (MANIFEST, VECTORS, FAISS_FILE) if not (d / f).is_file()]
    if missing:
        raise IndexStateError(f"{d}: dense index incomplete, missing {', '.join(missing)}; {fix}")
    try:
        man = json.loads((d / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise IndexStateError(f"{d / MANIFEST}: unreadable ({e}); {fix}") from e
    if not isinstance(man, dict) or man.get("format") != FORMAT:
        raise IndexStateError(f"{d / MANIFEST}: not a vanban dense index manifest; {fix}")
    if man.get("version") != VERSION:
        raise IndexStateError(
            f"{d}: dense index format version {man.get('version')}, this vanban reads "
            f"version {VERSION}; {fix}"
        )
    return man


def _new_faiss_index(params: dict[str, Any], d: int) -> Any:
    """An empty FAISS index for (kind, storage), inner-product metric."""
    import faiss

    ip = faiss.METRIC_INNER_PRODUCT
    qtype = {"float16": faiss.ScalarQuantizer.QT_fp16, "sq8": faiss.ScalarQuantizer.QT_8bit}
    storage = params["storage"]
    if params["kind"] == "flat":
        if storage == "float32":
            return faiss.IndexFlatIP(d)
        return faiss.IndexScalarQuantizer(d, qtype[storage], ip)
    if storage == "float32":
        index = faiss.IndexHNSWFlat(d, params["m"], ip)
    else:
        index = faiss.IndexHNSWSQ(d, qtype[storage], params["m"], ip)
    index.hnsw.efConstruction = params["ef_construction"]
    return index
