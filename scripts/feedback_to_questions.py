"""Turn 👍 lines of the web chat's feedback log into eval questions (questions.jsonl format).

    python scripts/feedback_to_questions.py [FEEDBACK.jsonl] [-o OUT.jsonl] [--split dev]

FEEDBACK defaults to `$VANBAN_HOME/feedback.jsonl`. Each up-voted answer with
at least one citation becomes one question: the answer text as the accepted
answer, the cited files (by file name) and sections as gold, tags
["feedback"]. Repeated questions are merged; 👎 lines are skipped (their
comments are worth reading by hand: `jq 'select(.vote=="down")'`). Review the
output before appending it to `eval/data/<dataset>/questions.jsonl`: a user's
👍 is a hint, not a verified label.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path, PurePath


def _one_line(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def to_question(line: dict, split: str) -> dict | None:
    """One eval question from one feedback line, or None when it cannot be one."""
    if line.get("vote") != "up" or not line.get("answer") or not line.get("citations"):
        return None
    question = _one_line(line.get("question") or "")
    if not question:
        return None
    gold = []
    for c in line["citations"]:
        section = [_one_line(s) for s in c.get("section") or []]
        item = {"source": PurePath(c["source"]).name, "section": section[-1] if section else None}
        if item not in gold:
            gold.append(item)
    digest = hashlib.sha1(question.encode("utf-8")).hexdigest()[:10]
    return {
        "id": f"fb-{digest}",
        "question": question,
        "gold": gold,
        "answer": {"any": [_one_line(line["answer"])]},
        "kind": line.get("kind") or "open",
        "tags": ["feedback"],
        "split": split,
    }


def convert(lines: list[dict], split: str = "dev") -> list[dict]:
    out: dict[str, dict] = {}
    for line in lines:
        q = to_question(line, split)
        if q is None:
            continue
        have = out.get(q["id"])
        if have is None:
            out[q["id"]] = q
            continue
        for a in q["answer"]["any"]:
            if a not in have["answer"]["any"]:
                have["answer"]["any"].append(a)
        for g in q["gold"]:
            if g not in have["gold"]:
                have["gold"].append(g)
    return list(out.values())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "feedback", nargs="?", help="feedback.jsonl (default: $VANBAN_HOME/feedback.jsonl)"
    )
    p.add_argument("-o", "--output", help="write here instead of stdout")
    p.add_argument("--split", default="dev", choices=["dev", "test"])
    args = p.parse_args(argv)
    if args.feedback:
        path = Path(args.feedback)
    else:
        from vanban.paths import data_dir

        path = data_dir() / "feedback.jsonl"
    if not path.is_file():
        print(f"error: {path}: no feedback log; votes in the web chat create it", file=sys.stderr)
        return 2
    lines = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if raw.strip():
            try:
                lines.append(json.loads(raw))
            except json.JSONDecodeError as e:
                print(f"warning: {path}:{n}: skipped, not JSON ({e})", file=sys.stderr)
    questions = convert(lines, args.split)
    text = "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(
            f"{len(questions)} questions from {len(lines)} feedback lines -> {args.output}",
            file=sys.stderr,
        )
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
