"""BM25 over two fields (exact tokens, diacritics-folded tokens), scored by bm25s.

Like bm25s, every (row, token) BM25 weight is precomputed into a sparse matrix and
a query is a sum of columns. The weights come from bm25s's own scorer functions
(so its variants and rank-bm25's reference scores hold, see tests/test_bm25.py),
but the matrix is assembled from numpy arrays of token ids in batches of rows:
bm25s's `build_index_from_ids` keeps Python lists per token, which needed 7 GB at
100k chunks and would not fit 1M. Each field is kept as plain .npy arrays (no
pickle, memory-mapped on load). Updates re-analyse every chunk (learned
abbreviations may change with the corpus), so no per-row tokens are stored.

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

import json
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.analyzer import has_diacritics
from index.bm25_query import Postings, best_rows
from index.pagecache import read_at_random
from ingest.text import fold_diacritics
from vanban.errors import IndexStateError

FORMAT = "vanban-bm25"
FORMAT_VERSION = 2  # 2: per-row token ids are no longer stored
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
        # Plain ndarray views of memory maps: a lookup slices ~20 times, and every
        # np.memmap slice costs Python-level bookkeeping (~2 µs).
        self.blob, self.offsets = np.asarray(blob), np.asarray(offsets)

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


@dataclass(frozen=True)
class _Field:
    """One bm25s score matrix in CSC form: column t lists the rows containing token t."""

    vocab: _Vocab
    data: np.ndarray  # BM25 weight of (row, token), float32
    indices: np.ndarray  # row ids, int32
    indptr: np.ndarray  # column starts, int64

    def postings(
        self, tokens: Sequence[str], weight: float, *, primary: bool = True
    ) -> list[Postings]:
        """One entry per distinct query token the field knows; a repeated query token
        counts again (weight x count), as in bm25s and rank-bm25."""
        out = []
        # Slices of plain views: a memmap slice costs Python-level bookkeeping.
        indices, data = np.asarray(self.indices), np.asarray(self.data)
        for tok, count in Counter(tokens).items():
            t = self.vocab.id(tok)
            if t is not None and self.indptr[t + 1] > self.indptr[t]:
                lo, hi = int(self.indptr[t]), int(self.indptr[t + 1])
                out.append(Postings(weight * count, indices[lo:hi], data[lo:hi], primary))
        return out


_BATCH_TOKENS = 1 << 24  # token ids per counting batch (keys are 8 bytes each)


def _intern(token_lists: Iterable[Sequence[str]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Sorted vocabulary, every row's token ids (one flat int32 array) and row offsets.

    >>> vocab, flat, offsets = _intern([["sở", "y", "tế"], ["sở"]])
    >>> vocab, flat.tolist(), offsets.tolist()
    (['sở', 'tế', 'y'], [0, 2, 1, 0], [0, 3, 4])
    """
    ids: dict[str, int] = {}
    buf, lengths = array("i"), array("q", [0])
    for row in token_lists:
        buf.extend([ids.setdefault(t, len(ids)) for t in row])
        lengths.append(len(row))
    vocab = sorted(ids)
    remap = np.empty(len(ids), dtype=np.int32)
    remap[np.fromiter((ids[t] for t in vocab), dtype=np.int64, count=len(vocab))] = np.arange(
        len(vocab), dtype=np.int32
    )
    flat = remap[np.frombuffer(buf, dtype=np.int32)] if buf else np.zeros(0, dtype=np.int32)
    return vocab, flat, np.cumsum(np.frombuffer(lengths, dtype=np.int64))


def _term_counts(flat: np.ndarray, offsets: np.ndarray, n_vocab: int):
    """(row, token, tf) for every distinct token of every row, rows ascending.

    Rows are counted in batches of about `_BATCH_TOKENS` tokens so memory stays
    a few bytes per token whatever the corpus size.
    """
    n_rows = len(offsets) - 1
    parts, r0 = [], 0
    while r0 < n_rows and n_vocab:
        r1 = int(np.searchsorted(offsets, offsets[r0] + _BATCH_TOKENS, side="right")) - 1
        r1 = min(max(r1, r0 + 1), n_rows)
        lengths = np.diff(offsets[r0 : r1 + 1])
        local = np.repeat(np.arange(r1 - r0, dtype=np.int64), lengths)
        keys, tf = np.unique(local * n_vocab + flat[offsets[r0] : offsets[r1]], return_counts=True)
        parts.append(
            ((keys // n_vocab + r0).astype(np.int32), (keys % n_vocab).astype(np.int32), tf)
        )
        r0 = r1
    if not parts:
        return np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int64)
    return tuple(np.concatenate(x) for x in zip(*parts, strict=True))


def bm25_matrix(
    flat: np.ndarray, offsets: np.ndarray, n_vocab: int, params: Mapping[str, Any]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSC arrays (data, row indices, column starts) of BM25 weights, one column per token.

    weight(row, t) = idf(df_t, N) * tfc(tf, len(row), mean len), with bm25s's scorer
    for `params["method"]` / `params["idf_method"]`.

    >>> data, rows, starts = bm25_matrix(np.array([0, 1, 0]), np.array([0, 2, 3]), 2,
    ...     {"k1": 1.2, "b": 0.75, "method": "lucene", "idf_method": "lucene"})
    >>> rows.tolist(), starts.tolist()
    ([0, 1, 0], [0, 2, 3])
    """
    from bm25s.scoring import _select_idf_scorer, _select_tfc_scorer

    n_rows = len(offsets) - 1
    rows, terms, tf = _term_counts(flat, offsets, n_vocab)
    df = np.bincount(terms, minlength=n_vocab)
    lengths = np.diff(offsets).astype(np.float64)
    idf_of = _select_idf_scorer(params["idf_method"])
    distinct, inverse = np.unique(df, return_inverse=True)
    idf = np.array([idf_of(int(d), N=n_rows) if d else 0.0 for d in distinct])[inverse]
    tfc = _select_tfc_scorer(params["method"])(
        tf_array=tf.astype(np.float64),
        l_d=lengths[rows],
        l_avg=lengths.mean() if n_rows else 1.0,
        k1=params["k1"],
        b=params["b"],
    )
    data = (idf[terms] * tfc).astype(np.float32)
    del tfc
    order = np.argsort(terms, kind="stable")  # stable: rows stay ascending in each column
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    return data[order], rows[order], indptr


def _field(vocab: list[str], flat: np.ndarray, offsets: np.ndarray, params) -> _Field:
    data, rows, indptr = bm25_matrix(flat, offsets, len(vocab), params)
    return _Field(_Vocab.from_sorted(vocab), data, rows, indptr)


class BM25Index:
    """Two-field BM25 over rows of tokens; row i is chunk i of the chunk store."""

    def __init__(self, fields: dict[str, _Field], n_rows: int, params: dict[str, Any]) -> None:
        self.fields, self.n_rows, self.params = fields, n_rows, params

    def __len__(self) -> int:
        return self.n_rows

    @property
    def settings(self) -> dict[str, Any]:
        """Analyzer settings stored with the index (e.g. its abbreviation table)."""
        return self.params["settings"]

    @classmethod
    def build(
        cls,
        token_lists: Iterable[Sequence[str]],
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
        vocab, flat, offsets = _intern(token_lists)
        # Folding is done once per vocabulary entry, not per occurrence.
        folded_of = [fold_diacritics(tok) for tok in vocab]
        fvocab = sorted(set(folded_of))
        fid = {tok: i for i, tok in enumerate(fvocab)}
        fmap = np.array([fid[f] for f in folded_of], dtype=np.int32)
        fields = {
            "exact": _field(vocab, flat, offsets, params),
            "folded": _field(fvocab, fmap[flat], offsets, params),
        }
        return cls(fields, len(offsets) - 1, params)

    def doc_freq(self, token: str) -> int:
        """Rows containing `token`, counted on the diacritics-folded field ("so" = "sở")."""
        f = self.fields["folded"]
        t = f.vocab.id(fold_diacritics(token))
        return 0 if t is None else int(f.indptr[t + 1] - f.indptr[t])

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

        A query with more than PRUNE_BUDGET postings (large indexes only) is pruned: the
        returned rows carry their exact scores, but a row outside the candidates that the
        rarest lists select can be missed (index/bm25_query.py). A filter admitting
        few rows is scored on those rows alone, exactly.
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
        return best_rows(self._postings(query_tokens, field_weights), n, k, allowed)

    def _postings(
        self, query_tokens: Sequence[str], field_weights: Mapping[str, float]
    ) -> list[Postings]:
        """The query's posting lists, field by field in `field_weights` order. Those of the
        most-weighted field are "primary": only they yield candidates when pruning, the
        others (the exact-accent bonus) are looked up, so an accented query does not walk
        its short lists twice (a row with an exact token also has its folded form)."""
        top = max(field_weights.values(), default=0.0)
        postings: list[Postings] = []
        for name, weight in field_weights.items():
            if weight:
                toks = (
                    query_tokens if name == "exact" else [fold_diacritics(t) for t in query_tokens]
                )
                postings += self.fields[name].postings(toks, weight, primary=weight == top)
        return postings

    def save(self, directory: str | Path) -> None:
        """Write .npy arrays and manifest.json into `directory` (created if missing);
        the manifest goes last so a half-written index fails `load`'s checks."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        (d / "manifest.json").unlink(missing_ok=True)
        arrays = {}
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
            data, rows = (read_at_random(arr(f"{name}.{a}")) for a in ("data", "indices"))
            field = _Field(vocab, data, rows, arr(f"{name}.indptr"))
            if len(vocab) != manifest["fields"][name] or len(field.indptr) != len(vocab) + 1:
                raise IndexStateError(
                    f"{d}: field {name!r} does not match its manifest; {_REBUILD}"
                )
            fields[name] = field
        params = {key: manifest[key] for key in ("k1", "b", "method", "idf_method", "settings")}
        return cls(fields, int(manifest["n_rows"]), params)
