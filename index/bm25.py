"""BM25 over two fields (exact tokens, diacritics-folded tokens), scored by bm25s.

bm25s precomputes every (row, token) BM25 weight into a sparse matrix; a query is
then a sum of columns. We keep that matrix per field as plain .npy arrays (no
pickle, memory-mapped on load) plus the per-row token ids, because BM25's idf
depends on the whole corpus: when files change the index is rebuilt from stored
tokens (`rebuild`) without re-tokenising unchanged chunks.

Fields: "exact" holds the analyzer's tokens, "folded" the same tokens with marks
removed (`cụm` -> `cum`). An accented query scores folded + 0.2 * exact: the exact
field is a bonus, so of two passages that match alike once folded the exact-accent
one wins (`thuế` over `thuê`), yet a passage whose marks were lost (OCR) still
competes. A query typed without any marks scores on the folded field alone
(`so nao chu tri` finds `sở nào chủ trì`). Weights measured in
scripts/bench_analyzers.py: on an archive where 1 passage in 10 lost its marks,
exact-first weighting (folded 0.3) finds 6% of those passages in the top 5, this
one 89%, at the cost of 0.006 MRR@10 on a fully accented archive.

>>> idx = BM25Index.build([["sở", "công", "thương"], ["sở", "y", "tế"], ["cụm", "công", "nghiệp"]])
>>> idx.search(["y", "tế"], k=2)[0].tolist()
[1]
>>> idx.search(["cum", "cong", "nghiep"], k=1)[0].tolist()
[2]
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.analyzer import has_diacritics
from ingest.text import fold_diacritics
from vanban.errors import IndexStateError

FORMAT = "vanban-bm25"
FORMAT_VERSION = 1
FIELDS = ("exact", "folded")
# Tuned on the even half of /work/shared/bench (scripts/bench_analyzers.py).
K1, B = 0.9, 0.9
ACCENTED_WEIGHTS = {"exact": 0.2, "folded": 1.0}
UNACCENTED_WEIGHTS = {"folded": 1.0}
_METHODS = ("lucene", "robertson", "atire")  # variants without a non-occurrence term
_REBUILD = "rebuild it with `vanban index --rebuild`"


class _Vocab:
    """Sorted tokens as one UTF-8 blob + offsets: mmap-able, looked up by bisection
    (UTF-8 byte order is code-point order, so the sort is the same as `sorted(str)`)."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self.blob, self.offsets = blob, offsets

    @classmethod
    def from_sorted(cls, tokens: Sequence[str]) -> _Vocab:
        encoded = [t.encode("utf-8") for t in tokens]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        return cls(np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def _bytes(self, i: int) -> bytes:
        return self.blob[self.offsets[i] : self.offsets[i + 1]].tobytes()

    def id(self, token: str) -> int | None:
        """Row of `token` in the vocabulary, or None when the corpus never saw it."""
        key, lo, hi = token.encode("utf-8"), 0, len(self)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._bytes(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < len(self) and self._bytes(lo) == key else None

    def tokens(self) -> list[str]:
        raw = self.blob.tobytes()
        return [raw[a:b].decode("utf-8") for a, b in itertools.pairwise(self.offsets.tolist())]


@dataclass(frozen=True)
class _Field:
    """One bm25s score matrix in CSC form: column t lists the rows containing token t."""

    vocab: _Vocab
    data: np.ndarray  # BM25 weight of (row, token), float32
    indices: np.ndarray  # row ids, int32
    indptr: np.ndarray  # column starts, int64

    def scores(self, tokens: Sequence[str], n_rows: int) -> np.ndarray:
        # Repeated query tokens count again, as in bm25s and rank-bm25.
        out = np.zeros(n_rows, dtype=np.float64)
        for tok in tokens:
            t = self.vocab.id(tok)
            if t is not None:
                lo, hi = self.indptr[t], self.indptr[t + 1]
                out[self.indices[lo:hi]] += self.data[lo:hi]  # rows are unique per column
        return out


def _build_field(vocab: list[str], rows: list[list[int]], params: Mapping[str, Any]) -> _Field:
    if not any(rows):
        # No tokens at all (empty corpus): bm25s would divide by a zero mean length.
        empty = np.zeros(0, dtype=np.float32)
        return _Field(
            _Vocab.from_sorted(vocab), empty, empty.astype(np.int32), np.zeros(1, dtype=np.int64)
        )
    import bm25s

    engine = bm25s.BM25(
        k1=params["k1"], b=params["b"], method=params["method"], idf_method=params["idf_method"]
    )
    mat = engine.build_index_from_ids(
        unique_token_ids=list(range(len(vocab))), corpus_token_ids=rows, show_progress=False
    )
    return _Field(
        _Vocab.from_sorted(vocab),
        np.asarray(mat["data"], dtype=np.float32),
        np.asarray(mat["indices"], dtype=np.int32),
        np.asarray(mat["indptr"], dtype=np.int64),
    )


class BM25Index:
    """Two-field BM25 over rows of tokens; row i is chunk i of the chunk store."""

    def __init__(
        self,
        fields: dict[str, _Field],
        row_ids: np.ndarray,
        row_offsets: np.ndarray,
        params: dict[str, Any],
    ) -> None:
        self.fields, self.row_ids, self.row_offsets, self.params = (
            fields,
            row_ids,
            row_offsets,
            params,
        )

    def __len__(self) -> int:
        return len(self.row_offsets) - 1

    @property
    def settings(self) -> dict[str, Any]:
        """Analyzer settings stored with the index (e.g. its abbreviation table)."""
        return self.params["settings"]

    @classmethod
    def build(
        cls,
        token_lists: Sequence[Sequence[str]],
        *,
        k1: float = K1,
        b: float = B,
        method: str = "lucene",
        idf_method: str | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> BM25Index:
        """Index `token_lists` (one per row). `settings` is any JSON the caller needs back
        at query time (analyzer options, abbreviations). `method`/`idf_method` are bm25s
        variants; ("atire", "robertson") equals rank_bm25.BM25Okapi(epsilon=0)."""
        if method not in _METHODS:
            raise ValueError(f"BM25 method {method!r} is not supported; use one of {_METHODS}")
        params = {
            "k1": float(k1),
            "b": float(b),
            "method": method,
            "idf_method": idf_method or method,
            "settings": dict(settings or {}),
        }
        vocab = sorted({tok for row in token_lists for tok in row})
        tok_id = {tok: i for i, tok in enumerate(vocab)}
        rows = [[tok_id[tok] for tok in row] for row in token_lists]
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(r) for r in rows], out=offsets[1:])
        flat = np.fromiter((t for r in rows for t in r), dtype=np.int32, count=int(offsets[-1]))

        # Folding is done once per vocabulary entry, not per occurrence.
        folded_of = [fold_diacritics(tok) for tok in vocab]
        fvocab = sorted(set(folded_of))
        fid = {tok: i for i, tok in enumerate(fvocab)}
        fmap = np.array([fid[f] for f in folded_of], dtype=np.int32)
        fields = {"exact": _build_field(vocab, rows, params)}
        del rows, tok_id  # peak memory: one field's Python lists at a time
        fflat = fmap[flat].tolist()
        frows = [fflat[offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)]
        fields["folded"] = _build_field(fvocab, frows, params)
        return cls(fields, flat, offsets, params)

    def search(
        self,
        query_tokens: Sequence[str],
        k: int = 10,
        *,
        allowed: np.ndarray | None = None,
        field_weights: Mapping[str, float] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Best `k` rows with a positive score, best first, ties by row.

        `allowed` (bool, one per row) restricts the candidates before the top-k cut,
        so a filter never leaves fewer than k results when k allowed rows match.
        `field_weights` overrides the per-field weights ({"exact": 1.0} is plain
        one-field BM25); by default they depend on whether the query has marks.
        """
        n = len(self)
        if allowed is not None and (allowed.dtype != bool or allowed.shape != (n,)):
            raise ValueError(
                f"`allowed` must be a bool array of shape ({n},), got {allowed.dtype} {allowed.shape}"
            )
        if field_weights is None:
            # Typed without marks: exact matches on "so" (not "sở") are no evidence.
            field_weights = ACCENTED_WEIGHTS if has_diacritics(query_tokens) else UNACCENTED_WEIGHTS
        unknown = set(field_weights) - set(FIELDS)
        if unknown:
            raise ValueError(f"unknown BM25 fields {sorted(unknown)}; fields are {FIELDS}")
        scores = np.zeros(n, dtype=np.float64)
        for name, weight in field_weights.items():
            if weight:
                toks = (
                    query_tokens if name == "exact" else [fold_diacritics(t) for t in query_tokens]
                )
                scores += weight * self.fields[name].scores(toks, n)
        ok = scores > 0
        if allowed is not None:
            ok &= allowed
        cand = np.flatnonzero(ok)
        if len(cand) > k > 0:
            # Keep every row tied with the k-th score, so ties are cut by row number
            # below rather than by argpartition's arbitrary order.
            kth = -np.partition(-scores[cand], k - 1)[k - 1]
            cand = cand[scores[cand] >= kth]
        rows = cand[np.lexsort((cand, -scores[cand]))][: max(k, 0)]
        return rows.astype(np.int64), scores[rows]

    def token_lists(self, rows: Sequence[int] | np.ndarray | None = None) -> list[list[str]]:
        """Stored exact tokens of `rows` (all by default), for rebuilding without re-analysis."""
        vocab = self.fields["exact"].vocab.tokens()
        picked = range(len(self)) if rows is None else rows
        off = self.row_offsets
        return [[vocab[t] for t in self.row_ids[off[i] : off[i + 1]].tolist()] for i in picked]

    def rebuild(
        self, keep: Sequence[int] | np.ndarray, added: Sequence[Sequence[str]] = ()
    ) -> BM25Index:
        """A new index of rows `keep` (old row numbers, in new order) then `added` rows,
        with this index's parameters. Old rows are not re-analysed."""
        p = self.params
        return BM25Index.build(
            [*self.token_lists(keep), *added],
            k1=p["k1"], b=p["b"], method=p["method"], idf_method=p["idf_method"], settings=p["settings"],
        )  # fmt: skip

    def save(self, directory: str | Path) -> None:
        """Write .npy arrays and manifest.json into `directory` (created if missing);
        the manifest goes last so a half-written index fails `load`'s checks."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        (d / "manifest.json").unlink(missing_ok=True)
        arrays = {"rows.ids": self.row_ids, "rows.offsets": self.row_offsets}
        for name, f in self.fields.items():
            arrays |= {
                f"{name}.vocab": f.vocab.blob,
                f"{name}.vocab_offsets": f.vocab.offsets,
                f"{name}.data": f.data,
                f"{name}.indices": f.indices,
                f"{name}.indptr": f.indptr,
            }
        for stem, arr in arrays.items():
            np.save(d / f"{stem}.npy", np.ascontiguousarray(arr), allow_pickle=False)
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "n_rows": len(self),
            "fields": {n: len(f.vocab) for n, f in self.fields.items()},
            **self.params,
        }
        (d / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))

    @classmethod
    def load(cls, directory: str | Path, mmap: bool = True) -> BM25Index:
        """Read what `save` wrote; arrays are memory-mapped unless `mmap=False`."""
        d = Path(directory)
        try:
            manifest = json.loads((d / "manifest.json").read_text())
        except (OSError, ValueError) as exc:
            raise IndexStateError(f"{d}: no readable BM25 manifest ({exc}); {_REBUILD}") from exc
        if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
            raise IndexStateError(
                f"{d}: BM25 index format {manifest.get('format')} v{manifest.get('version')}, "
                f"this code reads {FORMAT} v{FORMAT_VERSION}; {_REBUILD}"
            )

        def arr(stem: str) -> np.ndarray:
            try:
                return np.load(
                    d / f"{stem}.npy", mmap_mode="r" if mmap else None, allow_pickle=False
                )
            except (OSError, ValueError) as exc:
                raise IndexStateError(f"{d}: cannot read {stem}.npy ({exc}); {_REBUILD}") from exc

        fields = {}
        for name in FIELDS:
            vocab = _Vocab(arr(f"{name}.vocab"), arr(f"{name}.vocab_offsets"))
            field = _Field(
                vocab, arr(f"{name}.data"), arr(f"{name}.indices"), arr(f"{name}.indptr")
            )
            if len(vocab) != manifest["fields"][name] or len(field.indptr) != len(vocab) + 1:
                raise IndexStateError(
                    f"{d}: field {name!r} does not match its manifest; {_REBUILD}"
                )
            fields[name] = field
        offsets = arr("rows.offsets")
        if len(offsets) != manifest["n_rows"] + 1:
            raise IndexStateError(
                f"{d}: {len(offsets) - 1} rows stored, manifest says {manifest['n_rows']}; {_REBUILD}"
            )
        params = {key: manifest[key] for key in ("k1", "b", "method", "idf_method", "settings")}
        return cls(fields, arr("rows.ids"), offsets, params)
