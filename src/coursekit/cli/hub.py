"""``coursekit hub``: a course JupyterHub on one machine (init, start, stop)."""

from __future__ import annotations

from pathlib import Path

import click

from coursekit.cli import main
from coursekit.cli._common import fail_cleanly, load, private_files, say

__all__ = ["hub"]

_DIR = click.Path(file_okay=False, path_type=Path)


@main.group()
def hub() -> None:
    """Run the course on a JupyterHub: students log in, fetch, validate and submit."""


@hub.command("init")
@click.argument("directory", type=_DIR)
@click.option(
    "--students",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The roster: one Unix user name per line, or a CSV with id, first_name, last_name, "
    "email. Default: the roster of an earlier init.",
)
@click.option("--port", type=click.IntRange(1024, 65533), default=8000, show_default=True)
@click.option("--ip", default="127.0.0.1", show_default=True, help="Address the hub listens on.")
@click.option("--db-url", help="Gradebook URL (e.g. postgresql+psycopg://…). Default: SQLite.")
@click.option(
    "--python",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Interpreter for the students' environment. Default: this one if every user can "
    "run it, else /usr/bin/python3.",
)
@click.option("--no-create-users", is_flag=True, help="Do not create missing Unix accounts.")
@fail_cleanly
@private_files
def hub_init(
    directory: Path,
    students: Path | None,
    port: int,
    ip: str,
    db_url: str | None,
    python: Path | None,
    no_create_users: bool,
) -> None:
    """Write and check a hub in DIRECTORY: JupyterHub, exchange, course, accounts (needs root)."""
    from coursekit.hub.setup import init_hub

    say(
        init_hub(
            directory=directory,
            students=students,
            port=port,
            ip=ip,
            db_url=db_url,
            config=load(),
            python=python,
            create_users=not no_create_users,
        )
    )


@hub.command("start")
@click.argument("directory", type=_DIR)
@fail_cleanly
@private_files
def hub_start(directory: Path) -> None:
    """Start the hub in DIRECTORY in the background."""
    from coursekit.hub.service import start_hub

    say(start_hub(directory=directory))


@hub.command("stop")
@click.argument("directory", type=_DIR)
@fail_cleanly
def hub_stop(directory: Path) -> None:
    """Stop the hub in DIRECTORY (students' files and submissions stay)."""
    from coursekit.hub.service import stop_hub

    say(stop_hub(directory=directory))
