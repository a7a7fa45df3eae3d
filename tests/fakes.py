"""A deterministic stand-in encoder for persistence tests (the real encoder is tested on its own)."""

from __future__ import annotations

import hashlib
import time

import numpy as np

from ingest.text import fold_diacritics


class HashEncoder:
    """Bag of hashed folded words -> 64-d unit vectors. Same text, same vector, any process."""

    id = "test/hash-64"
    dim = 64

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for w in fold_diacritics(text).split():
            h = int.from_bytes(hashlib.blake2b(w.encode(), digest_size=4).digest(), "little")
            v[h % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def encode_passages(self, texts, *, batch_size=32, show_progress=False):
        out = []
        for t in texts:
            if self.delay:
                time.sleep(self.delay)
            out.append(self._vec(t))
        return np.stack(out) if out else np.empty((0, self.dim), np.float32)

    def encode_queries(self, texts):
        return np.stack([self._vec(t) for t in texts])


def install(monkeypatch, delay: float = 0.0) -> None:
    """Make `Encoder.load` return a HashEncoder for any spec."""
    from index.encoder import Encoder

    monkeypatch.setattr(
        Encoder, "load", classmethod(lambda cls, spec=None, **kw: HashEncoder(delay))
    )
    monkeypatch.setattr(Encoder, "resolve_id", staticmethod(lambda spec=None: HashEncoder.id))
