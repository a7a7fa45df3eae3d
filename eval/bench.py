"""Adapters for the public legal QA benchmark in ../shared/bench (retrieval only).

`alqac` = the ALQAC questions of qa.jsonl plus qa_extra_alqac.jsonl; `policy` =
the người-có-công policy questions of qa.jsonl; `bench` = all of qa.jsonl (the
500 questions the targets are stated on). Gold is the passage file. Every
second question (by position) is dev, the rest test, so tuning sees half.
"""

from __future__ import annotations

import json
from pathlib import Path

from eval.datasets import AnswerSpec, Dataset, DatasetError, Gold, Question
from vanban.paths import shared_dir

BENCH_NAMES = ("alqac", "policy", "bench")


def load_bench(name: str) -> Dataset:
    shared = shared_dir()
    if shared is None:
        raise DatasetError(
            f"dataset {name!r} reads ../shared/bench, which is absent here; set VANBAN_SHARED"
        )
    root = shared / "bench"
    rows = [
        (json.loads(line), "qa")
        for line in (root / "qa.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    if name == "alqac":
        extra = root / "qa_extra_alqac.jsonl"
        rows += [
            (json.loads(line), "extra")
            for line in extra.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    questions = []
    for i, (r, origin) in enumerate(rows):
        qid = r["qid"]
        is_alqac = qid.startswith("alqac")
        if (name == "alqac" and not is_alqac) or (name == "policy" and is_alqac):
            continue
        golds = r.get("gold_doc_ids") or [r["gold_doc_id"]]
        questions.append(
            Question(
                id=qid,
                question=r["question"],
                gold=tuple(Gold(f"{g}.txt") for g in golds),
                answer=AnswerSpec(),
                kind="open",
                tags=(("alqac" if is_alqac else "policy"), origin),
                split="dev" if i % 2 == 0 else "test",
            )
        )
    return Dataset(
        name=name,
        root=root,
        corpus=root / "passages",
        questions=tuple(questions),
        thresholds={},
        description=__doc__ or "",
    )


def is_bench(name: str) -> bool:
    return name in BENCH_NAMES and not Path(name).exists()
