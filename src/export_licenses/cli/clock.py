"""The review clock: hold and resume an application (art. 17 of the Regulations:
time for expert review and on-site checks does not count).

The CLI side of ``service/holds.py`` (and of ``domain/holds.py``): here the
options are parsed and the change said; the service checks and writes it.
"""

from typing import Annotated

import typer

from export_licenses.render.console import error_line
from export_licenses.render.lines import held_line, resumed_line
from export_licenses.service import holds

from .completion import running_application_keys, stopped_application_keys
from .options import OnOption
from .session import Session, parse_day

# Only what fits: hold completes the applications whose clock runs, resume
# those whose clock stands.
RunningArgument = Annotated[
    str,
    typer.Argument(
        metavar="APPLICATION",
        help="The application's id: A1, A2, …",
        autocompletion=running_application_keys,
    ),
]
StoppedArgument = Annotated[
    str,
    typer.Argument(
        metavar="APPLICATION",
        help="The application's id: A1, A2, …",
        autocompletion=stopped_application_keys,
    ),
]


def hold(
    ctx: typer.Context,
    key: RunningArgument,
    on: OnOption = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help="Why: expert review, on-site check, documents requested, …",
        ),
    ] = None,
) -> None:
    """The authority stopped the review clock (art. 17) from this day.

    For expert review, appraisal, on-site checks or documents requested: from
    this day the working days do not count toward the decision, which has no
    due day until the clock runs again (resume).
    """
    session = Session.of(ctx)
    day = None if on is None else parse_day("on", on)
    row = holds.hold(session.store, key, day, reason, session.today())
    error_line(held_line(row))


def resume(ctx: typer.Context, key: StoppedArgument, on: OnOption = None) -> None:
    """The review clock runs again from this day, after hold.

    That day counts: the decision is due review_working_days working days
    after acceptance, the stopped days left out.
    """
    session = Session.of(ctx)
    day = None if on is None else parse_day("on", on)
    row = holds.resume(session.store, key, day, session.today())
    error_line(resumed_line(row))
