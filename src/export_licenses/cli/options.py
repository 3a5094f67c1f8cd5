"""Options and arguments that several commands take, each declared once as an
``Annotated`` alias (the license fields are in ``fields.py``).

A command lists an alias in its signature like any other parameter, so reading
the command tells you every option it has. (The global options --store, --today,
--no-color and --no-pager are not listed: see ``session.py``.)
"""

import enum
from typing import Annotated, Any, Final

import typer

from .completion import (
    active_license_keys,
    license_keys,
    pending_application_keys,
    shippable_license_keys,
)

# A key that is one license's id and another's number is refused (exit 64):
# the prefixes say which.
_ID_HELP: Final = (
    "The license's id, number, or a part of the number only it has "
    "(id:3 or number:3 says which, when 3 is both)."
)
IdArgument = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help=_ID_HELP,
        autocompletion=license_keys,
    ),
]
# For what only an active license can take (close, apply, renew): only
# those are offered on <Tab>.
ActiveIdArgument = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help=_ID_HELP,
        autocompletion=active_license_keys,
    ),
]
# For ship: only the licenses it would take on the day (not expired, not drawn).
ShippableIdArgument = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help=_ID_HELP,
        autocompletion=shippable_license_keys,
    ),
]
# For what only a pending application can take (accept, grant, refuse,
# withdraw): only those are offered on <Tab>.
AppArgument = Annotated[
    str,
    typer.Argument(
        metavar="APPLICATION",
        help="The application's id: A1, A2, …",
        autocompletion=pending_application_keys,
    ),
]
OnOption = Annotated[
    str | None,
    typer.Option("--on", metavar="YYYY-MM-DD", help="The day (default: today)."),
]
# An application's filing (apply, change) and its acceptance (accept).
AcceptedOption = Annotated[
    str | None,
    typer.Option(
        "--accepted",
        metavar="YYYY-MM-DD",
        help="When the authority accepted it: the review clock counts from here.",
    ),
]
ReferenceOption = Annotated[
    str | None,
    typer.Option("--reference", help="The authority's acceptance or file number."),
]


class TableOrJson(enum.StrEnum):
    """The --format of the commands that show records one by one: show, log."""

    TABLE = "table"
    JSON = "json"


class DataFormat(enum.StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    TSV = "tsv"


FormatOption = Annotated[
    DataFormat,
    typer.Option(
        "--format", "-f", help="table on a terminal; json, csv, tsv for scripts."
    ),
]
AuthorityFilter = Annotated[
    str | None,
    typer.Option(
        "--authority",
        metavar="NAME",
        help="Only this authority's (MOFCOM, BIS, EU-DE, ECJU, or a store's own "
        "[authority.NAME]; any case). A record naming none is MOFCOM's.",
    ),
]
AllLicensesOption = Annotated[
    bool,
    typer.Option("--all", "-a", help="Include licenses that are no longer active."),
]


# Days ahead an option may reach: 300 years, past the last year a date may have
# (2199), far below where a date or a duration overflows (year 9999, an
# internal error: agenda --within 99999999999999999999).
MAX_DAYS_AHEAD: Final = 300 * 365


def days_option(*names: str, text: str, most: int | None = None) -> Any:
    """An option counting days (0 or more) whose default comes from the store's
    settings, so none is shown: ``--within``, ``--critical``. ``most``: the
    largest, for an option whose days become a date."""
    return typer.Option(
        *names, metavar="DAYS", min=0, max=most, help=text, show_default=False
    )
