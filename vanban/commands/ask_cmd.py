"""`vanban ask "QUESTION" [--index DIR] [--json]`; with no QUESTION, one question per stdin line.

Batch mode loads the index and models once and prints one JSON object per line.
"""

from __future__ import annotations

import json
import sys

import click

from vanban.commands.common import index_option, open_searcher


def _answer_json(searcher, question: str, k: int, mode: str) -> dict:
    from search.answer import answer_question
    from search.render import answer_to_json

    answer = answer_question(searcher, question, k=k, mode=mode)
    docs = {h.chunk.doc_id: searcher.document_of(h) for h in answer.hits}
    return answer_to_json(answer, docs)


@click.command("ask")
@click.argument("question", required=False)
@index_option
@click.option("-k", "k", type=int, default=10, show_default=True, help="Passages to read.")
@click.option(
    "--mode", type=click.Choice(["hybrid", "bm25", "dense"]), default="hybrid", show_default=True
)
@click.option("--encoder", default=None, help="Must match the encoder that built the index.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def ask_cmd(question, index_dir, k, mode, encoder, as_json) -> None:
    """Answer QUESTION from the indexed documents, with verbatim citations.

    Without QUESTION, read one question per line from stdin and print one JSON
    object per line.
    """
    from search.answer import answer_question
    from search.render import answer_lines
    from vanban.errors import VanbanError

    try:
        searcher = open_searcher(index_dir, encoder, long_running=question is None)
    except VanbanError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    if question is None:
        for line in sys.stdin:
            q = line.strip()
            if not q:
                continue
            try:
                out = _answer_json(searcher, q, k, mode)
            except VanbanError as e:  # one bad question must not stop the batch
                out = {"question": q, "error": str(e)}
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        return
    try:
        if as_json:
            out = _answer_json(searcher, question, k, mode)
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
            return
        answer = answer_question(searcher, question, k=k, mode=mode)
    except VanbanError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    for line in answer_lines(answer):
        click.echo(line)
