"""`vanban tasks [--agency NAME] [--due-before DATE] [--index DIR] [--json|--csv]`.

Lists the task assignments found in the indexed directives, by agency then
deadline, with the same filter as the web chat's Tasks tab (`search.tasks_view`).
"""

from __future__ import annotations

import json
import sys

import click

from vanban.commands.common import index_option, open_searcher


@click.command("tasks")
@click.option(
    "--agency", default=None, help='Body to list, e.g. "Sở Công Thương" or "cong thuong".'
)
@click.option(
    "--due-before", default=None, help="Only tasks due on or before this day (YYYY-MM-DD)."
)
@index_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row.")
def tasks_cmd(agency, due_before, index_dir, as_json, as_csv) -> None:
    """Who must do what by when, across the indexed documents."""
    from search.render import vn_date
    from search.tasks_view import doc_label, filter_assignments, parse_day, to_csv
    from vanban.errors import VanbanError
    from vanban.types import to_dict

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    try:
        due = parse_day(due_before)
        searcher = open_searcher(index_dir)
    except VanbanError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    labels = {m["doc_id"]: doc_label(m) for m in searcher.doc_metas}
    items = filter_assignments(searcher.all_assignments(), agency=agency, due_before=due)
    if as_csv:
        sys.stdout.write(to_csv(items, labels))
        return
    if as_json:
        for a in items:
            row = to_dict(a) | {"document": labels.get(a.doc_id, a.doc_id)}
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    if not items:
        click.echo("Không có nhiệm vụ nào khớp bộ lọc.")
        return
    current = None
    for a in items:
        if a.agency_key != current:
            current = a.agency_key
            click.echo(f"\n{current}")
        due_s = f" — hạn: {a.deadline_text or vn_date(a.deadline)}" if a.deadline else ""
        click.echo(f"  [{a.role}] {a.task}{due_s}  ({labels.get(a.doc_id, a.doc_id)})")
    click.echo(f"\n{len(items)} nhiệm vụ.")
