"""Run a dataset through the system: build (or reuse) its index, search and answer every question.

>>> outcomes = run_mode(searcher, dataset.questions, "hybrid")   # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from eval.aggregate import Outcome
from eval.datasets import Dataset, Question, load_dataset
from vanban.paths import data_dir

RETRIEVAL_DEPTH = (
    200  # passages ranked per question when only retrieval is evaluated (the whole fused pool)
)


def dataset_by_name(name: str) -> Dataset:
    from eval.bench import is_bench, load_bench

    return load_bench(name) if is_bench(name) else load_dataset(name)


def index_dir_for(dataset: Dataset) -> Path:
    """One index per corpus folder, under $VANBAN_HOME/eval/ (reused while the corpus is unchanged)."""
    slug = "-".join(dataset.corpus.resolve().parts[-2:]).replace(" ", "_")
    return data_dir() / "eval" / slug


def ensure_index(dataset: Dataset, *, encoder: str | None = None, progress: bool = True) -> Path:
    """Build or incrementally refresh the dataset's index; unchanged corpora cost a stat per file."""
    from index.builder import update_index

    index_dir = index_dir_for(dataset)
    report = update_index(index_dir, [str(dataset.corpus)], encoder=encoder, progress=progress)
    if report.failed:
        raise RuntimeError(
            f"{len(report.failed)} corpus files failed to index, e.g. {report.failed[0]}"
        )
    return index_dir


def _retrieved(searcher, hits) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((searcher.document_of(h).source, h.chunk.section) for h in hits)


def run_mode(
    searcher,
    questions: Sequence[Question],
    mode: str,
    *,
    k: int = 10,
    answers: bool = True,
    settings=None,
) -> list[Outcome]:
    """Search (and answer, when `answers`) every question in one mode; time each one."""
    from search.answer import answer_question

    out = []
    for q in questions:
        t = time.perf_counter()
        if answers:
            a = answer_question(searcher, q.question, k=k, mode=mode)
            hits, text = a.hits, a.text
        else:
            # Deeper than k: document-level ranks count distinct documents, and a
            # document's passages may fill the first k slots.
            hits = searcher.search(
                q.question, k=max(k, RETRIEVAL_DEPTH), mode=mode, settings=settings
            )
            text = None
        out.append(Outcome(q, _retrieved(searcher, hits), text, time.perf_counter() - t))
    return out
