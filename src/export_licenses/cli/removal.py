"""The remove command: delete a license entered by mistake, after a yes at the
prompt (or --yes).

The CLI side of ``service/removal.py`` (the same concept): here the question is
worded and asked, and the removal said; the service finds the license, hands
it to the question, then deletes the record and undoes what it had done (the
grant, the change it was issued on).
"""

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from export_licenses.errors import UsageProblem
from export_licenses.render.console import error_line
from export_licenses.service import removal as service_removal

from .options import IdArgument
from .session import Session

if TYPE_CHECKING:
    from export_licenses.domain.license import License


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
    removed = service_removal.remove(session.store, key, None if yes else _asked)
    if removed is None:
        error_line("Nothing removed")
    else:
        error_line(f"Removed {removed.label()}")


def _asked(lic: "License") -> bool:
    """The question, for a person at a terminal; without one, no removal."""
    if not sys.stdin.isatty():
        raise UsageProblem(
            f"not removing {lic.label()} without --yes (no terminal to ask)"
        )
    return _confirmed(f"Remove {lic.label()} ({lic.material} to {lic.destination})?")


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
