"""👍/👎 votes on answers, appended to `data_dir()/feedback.jsonl`, one JSON object per line.

Each line: {"time", "question", "answer", "confidence", "citations": [{label, doc_id,
source, start, end, quote}], "vote": "up"|"down", "comment", "user"}. Writers
hold a thread lock and an exclusive `flock`, so lines from concurrent requests
(or several server processes) never interleave. `scripts/feedback_to_questions.py`
turns the 👍 lines into eval questions (`eval/data/*/questions.jsonl` format).

>>> import tempfile, json, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "f.jsonl"
>>> append_feedback(p, {"question": "q", "vote": "up"})
>>> json.loads(p.read_text())["vote"]
'up'
"""

from __future__ import annotations

import fcntl
import json
import threading
import time
from pathlib import Path
from typing import Any

from search.render import citation_label
from vanban.types import Answer

VOTES = ("up", "down")
_LOCK = threading.Lock()


def feedback_path() -> Path:
    from vanban.paths import data_dir

    return data_dir() / "feedback.jsonl"


def answer_record(answer: Answer) -> dict[str, Any]:
    """What a vote is about: the question, the answer and its citations (quotes verbatim)."""
    return {
        "question": answer.question,
        "answer": answer.text,
        "kind": answer.kind,
        "confidence": answer.confidence,
        "citations": [
            {
                "label": citation_label(c),
                "doc_id": c.doc_id,
                "source": c.source,
                "number": c.meta.number,
                "section": list(c.section),
                "start": c.start,
                "end": c.end,
                "quote": c.quote,
            }
            for c in answer.citations
        ],
    }


def feedback_line(
    record: dict[str, Any], vote: str, comment: str = "", user: str | None = None
) -> dict[str, Any]:
    if vote not in VOTES:
        raise ValueError(f"vote must be one of {VOTES}, not {vote!r}")
    return {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        **record,
        "vote": vote,
        "comment": comment.strip(),
        "user": user,
    }


def append_feedback(path: Path, line: dict[str, Any]) -> None:
    """Append one JSON line under a lock (threads and processes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")
    with _LOCK, open(path, "ab") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            f.write(data)
            f.flush()
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)
