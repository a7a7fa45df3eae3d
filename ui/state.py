"""The one searcher every request shares, and its atomic replacement after a re-index.

A request takes `holder.get()` once and uses that searcher to the end, so a
swap in the middle of a query never mixes two index generations: the old
searcher keeps its memory-mapped files (the builder keeps the previous
generation on disk one more round) until the last request holding it ends.

>>> h = SearcherHolder(index_dir="/tmp/none", searcher="S0")
>>> h.swap("S1"); h.get()
'S1'
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any


class SearcherHolder:
    """Holds the live `Searcher`; `reindex` updates the index and swaps it in."""

    def __init__(self, index_dir: str | Path, searcher: Any) -> None:
        self.index_dir = Path(index_dir)
        self._searcher = searcher
        self._swap_lock = threading.Lock()
        self._write_lock = threading.Lock()  # one re-index at a time in this process

    def get(self) -> Any:
        # A plain attribute read is atomic in CPython; no lock on the hot path.
        return self._searcher

    def swap(self, new: Any) -> None:
        with self._swap_lock:
            self._searcher = new

    def reindex(self, paths: list[str], progress=None):
        """`update_index(index_dir, paths)`, then load and swap in the new generation.

        Returns the builder's `UpdateReport`. The query encoder already loaded
        is handed to the new searcher, so the swap costs no model load.
        """
        from index.builder import update_index
        from search.searcher import Searcher

        with self._write_lock:
            report = update_index(self.index_dir, paths, progress=False)
            if not report.published:
                return report
            new = Searcher.load(self.index_dir, query_engine="torch")
            old = self.get()
            _prepare(new, old)
            self.swap(new)
            return report


def _prepare(new: Any, old: Any) -> None:
    """Load everything lazy before the swap so the first request after it is not slow."""
    new.doc_metas  # noqa: B018 - warms cached properties
    new.tasks  # noqa: B018
    enc = getattr(old, "__dict__", {}).get("encoder")
    if enc is not None and old.manifest.encoder == new.manifest.encoder:
        # `Searcher.encoder` is a cached_property: its value lives in the instance dict.
        new.__dict__["encoder"] = enc


def warm(searcher: Any) -> None:
    """Load the lazy parts of a searcher (metadata, tasks, encoder) before serving."""
    searcher.doc_metas  # noqa: B018
    searcher.tasks  # noqa: B018
    searcher.encoder  # noqa: B018
