"""The `vanban` command line. Each subcommand lives in `vanban/commands/`.

Importing this module (and `vanban --help`) stays light: no torch, faiss or
gradio until a command actually needs them.
"""

from __future__ import annotations

import click

from vanban.commands.ask_cmd import ask_cmd
from vanban.commands.eval_cmd import eval_cmd
from vanban.commands.index_cmd import index_cmd
from vanban.commands.parse import parse_cmd
from vanban.commands.search_cmd import search_cmd
from vanban.commands.serve_cmd import serve_cmd
from vanban.commands.tasks_cmd import tasks_cmd


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vanban")
def main() -> None:
    """vanban: search and answer questions over Vietnamese government directives."""


main.add_command(parse_cmd)
main.add_command(index_cmd)
main.add_command(search_cmd)
main.add_command(ask_cmd)
main.add_command(serve_cmd)
main.add_command(tasks_cmd)
main.add_command(eval_cmd)
