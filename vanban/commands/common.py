"""Options and helpers shared by the commands that read an index."""

from __future__ import annotations

from pathlib import Path

import click

from vanban.paths import SAMPLES_DIR, data_dir


def default_index_dir() -> Path:
    return data_dir() / "index"


def index_option(f):
    return click.option(
        "--index",
        "index_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Index directory (default: $VANBAN_HOME/index, built from the bundled samples on first use).",
    )(f)


def open_searcher(
    index_dir: Path | None, encoder: str | None = None, *, long_running: bool = False
):
    """Load an index; with no --index, build the bundled sample corpus's index on first use.

    `long_running` processes (server, batches) encode queries with torch: slower to
    start, about twice as fast per query afterwards (docs/benchmarks.md).
    """
    from index import layout
    from search.searcher import Searcher

    if index_dir is None:
        index_dir = default_index_dir()
        if layout.live_generation(index_dir) is None:
            from index.builder import update_index

            click.echo(
                f"vanban: first use — indexing the bundled sample corpus into {index_dir} …",
                err=True,
            )
            report = update_index(index_dir, [str(SAMPLES_DIR)], encoder=encoder)
            click.echo(f"vanban: {report.summary()}", err=True)
    return Searcher.load(
        index_dir, encoder=encoder, query_engine="torch" if long_running else "auto"
    )
