"""`vanban serve`: the web chat (Gradio) over one index, shared by every user.

    vanban serve [--index DIR] [--host 127.0.0.1] [--port 7860] [--auth-file FILE] [--allow-upload]

With no --index, the bundled sample corpus is served (indexed on first start).
With --auth-file (lines `user:password:role`, role admin|user; see `ui.auth`)
everyone must log in and only admins may upload and re-index; without it
uploads are off unless --allow-upload is given.
"""

from __future__ import annotations

import sys

import click

from vanban.commands.common import default_index_dir, index_option, open_searcher


@click.command("serve")
@index_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=int, default=7860, show_default=True)
@click.option(
    "--auth-file",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="Users, one `user:password:role` per line (role admin|user).",
)
@click.option("--allow-upload", is_flag=True, help="Without --auth-file, let anyone upload files.")
def serve_cmd(index_dir, host, port, auth_file, allow_upload) -> None:
    """Serve the web chat: questions with cited answers, documents, tasks, uploads."""
    from ui.auth import load_auth
    from ui.state import SearcherHolder, warm
    from vanban.errors import VanbanError

    try:
        users = load_auth(auth_file) if auth_file else None
        searcher = open_searcher(index_dir, long_running=True)
    except VanbanError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    if users is None and host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"vanban: warning — serving on {host} without --auth-file: anyone who can reach it may ask",
            err=True,
        )
    click.echo("vanban: loading the query encoder …", err=True)
    warm(searcher)
    from ui.app import launch_app
    from ui.service import ChatService

    holder = SearcherHolder(index_dir or default_index_dir(), searcher)
    service = ChatService(holder, users, allow_upload)
    click.echo(f"vanban: serving {holder.index_dir} on http://{host}:{port}", err=True)
    launch_app(service, host=host, port=port, block=True)
