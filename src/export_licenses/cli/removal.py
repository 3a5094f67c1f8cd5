"""The remove command: delete a license entered by mistake, after a yes at the
prompt (or --yes).

The CLI side of ``service/removal.py`` (the same concept): here the question is
asked and the removal said; the service deletes the record and undoes what it
had done (the grant, the change it was issued on).
"""

import sys
from typing import Annotated

import typer

from export_licenses.errors import UsageProblem
from export_licenses.render.console import error_line
from export_licenses.service import lookup
from export_licenses.service import removal as service_removal

from .options import IdArgument
from .session import Session


def remove(
    ctx: typer.Context,
    key: IdArgument,
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Do not ask (required without a terminal)."),
    ] = False,
) -> None:
    """Delete a license entered by mistake. Its id is never used again.

    To end a real license use close instead: records are kept (art. 27).
    """
    session = Session.of(ctx)
    if not yes:
        lic = lookup.get(session.store, key)
        if not sys.stdin.isatty():
            raise UsageProblem(
                f"not removing {lic.label()} without --yes (no terminal to ask)"
            )
        if not _confirmed(
            f"Remove {lic.label()} ({lic.material} to {lic.destination})?"
        ):
            error_line("Nothing removed")
            return
    removed = service_removal.remove(session.store, key)
    error_line(f"Removed {removed.label()}")


def _confirmed(question: str) -> bool:
    """A yes at the prompt. The end of input (Ctrl-D) is no answer, so no:
    nothing is removed, exit 0. (Ctrl-C ends the program with 130 from its
    handler in ``__main__``; where none is set, as in a test's runner, Click's
    Abort for it is an interrupt like anywhere else.)"""
    try:
        return typer.confirm(question)
    except typer.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):
            raise KeyboardInterrupt from None
        return False
