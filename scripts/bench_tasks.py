"""Precision and recall of task-assignment extraction against a hand-counted gold list.

The gold (`tests/data/tasks_gold.jsonl`) lists, per document, every assignment
a reader finds: the body's canonical key, its role, and a distinctive substring
of the task. A prediction matches a gold row (one to one) when the document,
key and role agree and the substring occurs in the prediction's quote
(compared folded, whitespace collapsed). Deadlines are scored on matched rows
whose gold gives one.

    .venv/bin/python scripts/bench_tasks.py
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.clean import clean  # noqa: E402
from ingest.header_lines import fold_keep  # noqa: E402
from ingest.pipeline import parse_file  # noqa: E402
from ingest.tasks import Assignment, extract_assignments  # noqa: E402
from vanban.paths import SAMPLES_DIR, shared_dir  # noqa: E402

GOLD = ROOT / "tests" / "data" / "tasks_gold.jsonl"


def _norm(s: str) -> str:
    return " ".join(fold_keep(s).split())


def doc_path(name: str, shared: Path | None) -> Path | None:
    """Where a gold document lives: the bundled samples, else the shared corpus."""
    if (SAMPLES_DIR / name).exists():
        return SAMPLES_DIR / name
    if shared is not None and (shared / "corpus" / "vn-admin" / "docs" / name).exists():
        return shared / "corpus" / "vn-admin" / "docs" / name
    return None


def predict(path: Path) -> list[Assignment]:
    out: list[Assignment] = []
    for parsed in parse_file(path):
        doc = parsed.document
        out.extend(extract_assignments(doc, clean(doc.text)))
    return out


def score(pred: list[Assignment], gold: list[dict]) -> dict[str, float | int]:
    """Matches, precision, recall and deadline accuracy of one document's predictions."""
    free = list(range(len(pred)))
    matched = dl_total = dl_right = 0
    for g in gold:
        want = _norm(g["task"])
        for k in free:
            p = pred[k]
            if p.agency_key == g["agency_key"] and p.role == g["role"] and want in _norm(p.quote):
                free.remove(k)
                matched += 1
                if "deadline" in g:
                    dl_total += 1
                    dl_right += p.deadline == g["deadline"]
                break
    return {
        "gold": len(gold),
        "pred": len(pred),
        "matched": matched,
        "deadlines": dl_total,
        "deadlines_right": dl_right,
    }


def measure(shared: Path | None) -> dict[str, dict[str, float | int]]:
    """Per-document counts plus an "all" row with precision and recall."""
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            by_doc[row["doc"]].append(row)
    results: dict[str, dict[str, float | int]] = {}
    for name, gold in by_doc.items():
        path = doc_path(name, shared)
        if path is not None:
            results[name] = score(predict(path), gold)
    total = {
        k: sum(int(r[k]) for r in results.values())
        for k in ("gold", "pred", "matched", "deadlines", "deadlines_right")
    }
    for r in [*results.values(), total]:
        r["precision"] = r["matched"] / r["pred"] if r["pred"] else 0.0
        r["recall"] = r["matched"] / r["gold"] if r["gold"] else 0.0
    results["all"] = total
    return results


def main() -> None:
    for name, r in measure(shared_dir()).items():
        print(
            f"{name:28} gold {r['gold']:4} pred {r['pred']:4} matched {r['matched']:4}"
            f"  P {r['precision']:.3f}  R {r['recall']:.3f}"
            f"  deadlines {r['deadlines_right']}/{r['deadlines']}"
        )


if __name__ == "__main__":
    main()
