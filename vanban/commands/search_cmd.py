"""`vanban search "QUERY" [--index DIR] [-k 10] [--mode …] [filters] [--json]`."""

from __future__ import annotations

import json
import re
import sys

import click

from vanban.commands.common import index_option, open_searcher


def filter_options(f):
    for opt in reversed(
        [
            click.option(
                "--type", "doc_type", default=None, help="Document type, e.g. 'Kế hoạch'."
            ),
            click.option(
                "--issuer", default=None, help="Issuer substring, e.g. 'Bến Tre' or 'Sở Y tế'."
            ),
            click.option("--place", default=None, help="Place substring."),
            click.option(
                "--number", default=None, help="Document number, e.g. 370/KH-UBND or 370."
            ),
            click.option("--since", default=None, help="Earliest date, YYYY-MM-DD."),
            click.option("--until", default=None, help="Latest date, YYYY-MM-DD."),
        ]
    ):
        f = opt(f)
    return f


def make_filters(doc_type, issuer, place, number, since, until):
    from search.filters import Filters

    for name, v in (("--since", since), ("--until", until)):
        if v and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            raise click.BadParameter(f"{v!r} is not a date; write YYYY-MM-DD", param_hint=name)
    return Filters(
        doc_type=doc_type, issuer=issuer, place=place, number=number, since=since, until=until
    )


def mark_terms(text: str, query: str) -> str:
    """Bold the query's words in a passage (accents and case ignored)."""
    from ingest.text import fold_diacritics

    words = {w for w in fold_diacritics(query).split() if len(w) > 1}
    if not words:
        return text
    out = []
    for tok in re.split(r"(\w+)", text):
        out.append(click.style(tok, bold=True) if tok and fold_diacritics(tok) in words else tok)
    return "".join(out)


@click.command("search")
@click.argument("query")
@index_option
@click.option("-k", "k", type=int, default=10, show_default=True, help="Number of passages.")
@click.option(
    "--mode", type=click.Choice(["hybrid", "bm25", "dense"]), default="hybrid", show_default=True
)
@filter_options
@click.option("--encoder", default=None, help="Must match the encoder that built the index.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def search_cmd(
    query, index_dir, k, mode, doc_type, issuer, place, number, since, until, encoder, as_json
) -> None:
    """Find the passages that best match QUERY."""
    from search.jsonview import hit_to_json
    from vanban.errors import VanbanError

    filters = make_filters(doc_type, issuer, place, number, since, until)
    try:
        searcher = open_searcher(index_dir, encoder)
        result = searcher.run(query, k=k, filters=filters, mode=mode)
    except VanbanError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    hits = [hit_to_json(h, searcher.document_of(h), i) for i, h in enumerate(result.hits, 1)]
    if as_json:
        out = {"query": query, "mode": mode, "hits": hits, "notes": list(result.notes)}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return
    for note in result.notes:
        click.echo(f"! {note}", err=True)
    if not hits:
        click.echo("Không tìm thấy đoạn văn bản nào.")
    for h in hits:
        head = " ".join(x for x in (h["doc_type"], h["number"]) if x) or h["source"]
        click.echo(
            click.style(f"[{h['rank']}] {head}", bold=True)
            + f" — {h['date'] or '?'} — {h['issuer'] or '?'}"
        )
        if h["section"]:
            click.echo("    mục: " + " › ".join(h["section"]))
        body = re.sub(r"\s+", " ", h["text"]).strip()
        click.echo("    " + mark_terms(body[:600] + ("…" if len(body) > 600 else ""), query))
        click.echo("")
