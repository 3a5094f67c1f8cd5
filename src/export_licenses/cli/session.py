"""The run's session: the global options, where they are recorded, and what a
command reads from them.

``--store``, ``--today``, ``--no-color`` and ``--no-pager`` work before and after
the command name (``licenses --store f.toml due`` and ``licenses due --store
f.toml``). They are declared once, here (``GLOBAL_OPTIONS``), as Click options
that the group and every command take (``app.LicensesGroup`` adds them). Each
records its value in the run's ``RunState`` (the Click context's object) rather
than passing it to the command's function; given twice, the one after the
command name wins, as it is parsed last. A command reads them, with the
environment and the defaults, as ``Session.of(ctx)``.
"""

import contextlib
import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple, Self

import typer
from typer.core import TyperOption

from export_licenses.domain.values import parse_date
from export_licenses.errors import FieldProblem, InvalidValue, UsageProblem
from export_licenses.render.console import Look
from export_licenses.storage import folders


class RunState:
    """What this run's global options said, and which command runs."""

    def __init__(self) -> None:
        self.store: str | None = None
        self.today: str | None = None
        self.no_color = False
        self.no_pager = False
        self.command: Any = None  # the Click command that runs, once resolved
        # Set while warn runs: the format its UNKNOWN status line is printed in.
        self.monitor_format: str | None = None
        # warn --quiet: no status line on stdout in any state, UNKNOWN included
        # (its reason still goes to stderr).
        self.monitor_quiet = False
        # The code the run has decided before it writes its output (warn: its
        # state). A reader that goes away while it is written does not change
        # it: `licenses warn | true` is still CRITICAL to a monitor.
        self.outcome: int | None = None
        # What a write command changed in the store, once it has ("license 7
        # was added"): should its output fail after that, the failure says so,
        # as a script that retries would add the license twice.
        self.done: str | None = None


def did(ctx: typer.Context, what: str) -> None:
    """Record that the store now holds the change ``what`` (``RunState.done``);
    called before the command prints what it did."""
    ctx.ensure_object(RunState).done = what


def _remember(ctx: Any, param: Any, value: Any) -> None:
    """A global option's callback: record the value given, if any."""
    if value is not None and value is not False:
        setattr(ctx.ensure_object(RunState), param.name, value)


def _global(*names: str, text: str, metavar: str | None = None) -> TyperOption:
    return TyperOption(
        param_decls=list(names),
        is_flag=metavar is None,
        metavar=metavar,
        help=text,
        expose_value=False,
        callback=_remember,
    )


GLOBAL_OPTIONS = (
    _global(
        "--store",
        metavar="PATH",
        text="The store file. Default: $LICENSES_STORE, else the user data folder.",
    ),
    _global(
        "--today",
        metavar="YYYY-MM-DD",
        text="Evaluate every rule on this date. Default: $LICENSES_TODAY, else today.",
    ),
    _global("--no-color", text="No colour (also: NO_COLOR=1)."),
    _global(
        "--no-pager",
        text="Print long output straight to the terminal (else: $LICENSES_PAGER, "
        "$PAGER, less).",
    ),
)


class Session(NamedTuple):
    """One run's store, day and look, from its global options and the environment."""

    store: Path
    today_text: str | None
    no_color: bool
    no_pager: bool = False

    @classmethod
    def of(cls, ctx: typer.Context) -> Self:
        state = ctx.find_object(RunState) or RunState()
        if state.store == "":
            # `--store "$STORE"` with the variable unset or misspelt: another
            # store (the default one, which may be empty: warn OK) must not be
            # read in its place (audit s10-contract, 5). An empty
            # LICENSES_STORE counts as unset, as such variables usually do.
            raise UsageProblem(
                "--store: the path is empty; name the store file, or leave "
                "--store out for $LICENSES_STORE or the default store"
            )
        chosen = state.store or os.environ.get("LICENSES_STORE")
        return cls(
            store=Path(chosen).expanduser() if chosen else default_store(),
            today_text=state.today,
            no_color=state.no_color,
            no_pager=state.no_pager,
        )

    def today(self) -> date:
        """Only the command layer reads the clock, and only here."""
        if self.today_text is not None:
            return parse_day("today", self.today_text)
        env = os.environ.get("LICENSES_TODAY")
        if env:
            try:
                return parse_date("LICENSES_TODAY", env)
            except InvalidValue as exc:
                raise UsageProblem(f"LICENSES_TODAY: {exc.message}") from None
        return date.today()  # noqa: DTZ011 - a calendar date in the user's own zone

    def look(self) -> Look:
        return Look.for_stream(sys.stdout, no_color=self.no_color)

    @contextlib.contextmanager
    def paged(self) -> Iterator[None]:
        """Within, long output on a terminal goes through the pager (pager.py)."""
        if not sys.stdout.isatty():
            yield
            return
        from .pager import paging

        with paging(enabled=not self.no_pager):
            yield


def default_store() -> Path:
    return folders.data_folder() / "licenses.toml"


def parse_day(field: str, text: str) -> date:
    """A date typed on the command line, for the field (or option) ``field``."""
    try:
        return parse_date(field, text)
    except InvalidValue as exc:
        raise FieldProblem.of(exc) from None
