"""``coursekit sandbox``: which protections of the grading sandbox are in force on this machine."""

from __future__ import annotations

import click

from coursekit.cli import main
from coursekit.cli._common import fail_cleanly, say

__all__ = ["sandbox_cmd"]


@main.command("sandbox")
@fail_cleanly
def sandbox_cmd() -> None:
    """List the grading sandbox's protections and whether each is in force here.

    Exits with status 1 when the sandbox cannot run at all (grading would need --no-sandbox).
    """
    from coursekit.grading.sandbox import protections

    found = protections()
    for protection in found:
        say(protection)
    if not found[0].active:
        raise click.ClickException("the grading sandbox cannot run on this machine (see above)")
