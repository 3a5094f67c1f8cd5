"""Options declared once: the global ones (--store, --today, --no-color), the ID
argument, the formats, and the license-field options generated from the field
table (``model.License``).

``command`` marks a function as a command; ``runnable`` adds the global options
to it, so they work after the command name too (``licenses due --today …``), and
passes the run's ``Session`` instead. ``license_options`` adds one option per
settable field; the function receives ``fields``, the values given, already
checked.
"""

from __future__ import annotations

import enum
import functools
import inspect
import os
import sys
import typing
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer

from export_licenses.domain.license import BY_KEY, OPTION_FIELDS
from export_licenses.domain.values import parse_date
from export_licenses.errors import FieldProblem, InvalidValue, UsageProblem
from export_licenses.render import Look

from .completion import license_keys

if TYPE_CHECKING:
    from collections.abc import Callable

StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        metavar="PATH",
        help="The store file. Default: $LICENSES_STORE, else the user data folder.",
        show_default=False,
    ),
]
TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today",
        metavar="YYYY-MM-DD",
        help="Evaluate every rule on this date. Default: $LICENSES_TODAY, else today.",
        show_default=False,
    ),
]
NoColorOption = Annotated[
    bool, typer.Option("--no-color", help="No colour (also: NO_COLOR=1).")
]
NoPagerOption = Annotated[
    bool,
    typer.Option(
        "--no-pager",
        help="Print long output straight to the terminal (else: $LICENSES_PAGER, "
        "$PAGER, less).",
    ),
]
IdArgument = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help="The license's id, number, or a part of the number only it has.",
        autocompletion=license_keys,
    ),
]
OnOption = Annotated[
    str | None,
    typer.Option("--on", metavar="YYYY-MM-DD", help="The day (default: today)."),
]


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
AllLicensesOption = Annotated[
    bool,
    typer.Option("--all", "-a", help="Include licenses that are no longer active."),
]


def days_option(*names: str, text: str) -> Any:
    """An option counting days (0 or more) whose default comes from the store's
    settings, so none is shown: ``--within``, ``--critical``."""
    return typer.Option(*names, metavar="DAYS", min=0, help=text, show_default=False)


class RunState:
    """What this run's group options said, and which command is running."""

    def __init__(self) -> None:
        self.store: Path | None = None
        self.today: str | None = None
        self.no_color = False
        self.no_pager = False
        self.command: Any = None  # the Click command that runs
        self.monitor_format: str | None = None  # warn's status line on UNKNOWN


class Session(NamedTuple):
    """One run's store, day and look, from its options and the environment."""

    store: Path
    today_text: str | None
    no_color: bool
    no_pager: bool = False

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

    @classmethod
    def of(
        cls,
        state: RunState,
        store: Path | None,
        today: str | None,
        no_color: bool,
        no_pager: bool,
    ) -> Session:
        chosen = store or state.store
        if chosen is None:
            env = os.environ.get("LICENSES_STORE")
            chosen = Path(env) if env else default_store()
        return cls(
            store=chosen.expanduser(),
            today_text=today if today is not None else state.today,
            no_color=no_color or state.no_color,
            no_pager=no_pager or state.no_pager,
        )


def default_store() -> Path:
    import platformdirs  # noqa: PLC0415 - only when neither --store nor env is given

    return Path(platformdirs.user_data_dir("licenses")) / "licenses.toml"


def parse_day(field: str, text: str) -> date:
    """A date typed on the command line, for the field (or option) ``field``."""
    try:
        return parse_date(field, text)
    except InvalidValue as exc:
        raise FieldProblem.of(exc) from None


_GLOBAL = {
    "store": StoreOption,
    "today": TodayOption,
    "no_color": NoColorOption,
    "no_pager": NoPagerOption,
}
_GLOBAL_DEFAULTS = {"store": None, "today": None, "no_color": False, "no_pager": False}


def command(
    *, paged: bool = False, **settings: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark ``func(session, …)`` as a command; ``settings`` go to Typer's
    ``command()``; a ``paged`` command's output goes through the pager on a
    terminal. Nothing is built here: ``runnable`` builds the one command that
    runs, so a run pays only for its own."""

    def mark(func: Callable[..., Any]) -> Callable[..., Any]:
        func.typer_settings = settings  # type: ignore[attr-defined]
        func.paged = paged  # type: ignore[attr-defined]
        return func

    return mark


def license_options(*keys: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give the command an option for each settable license field (or those of
    ``keys``); it gets ``fields``: the values given, each checked by its field's
    own parser (FieldProblem if not). Required fields are listed first."""

    def mark(func: Callable[..., Any]) -> Callable[..., Any]:
        func.license_fields = keys  # type: ignore[attr-defined]
        return func

    return mark


def runnable(func: Callable[..., Any]) -> Callable[..., Any]:
    """The function Typer builds the command from: ``func`` with its license-field
    options and the global options added, calling ``func(session, …)``."""
    keys = getattr(func, "license_fields", None)
    inner = func if keys is None else _with_field_options(func, keys)
    return _with_global_options(inner)


def _params(func: Callable[..., Any], leaving: str) -> list[inspect.Parameter]:
    """``func``'s parameters with their annotations resolved in its own module."""
    hints = typing.get_type_hints(func, include_extras=True)
    return [
        p.replace(annotation=hints.get(p.name, p.annotation))
        for p in inspect.signature(func).parameters.values()
        if p.name != leaving
    ]


def _signed(run: Callable[..., Any], params: list[inspect.Parameter]) -> None:
    run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in params}


def _with_global_options(func: Callable[..., Any]) -> Callable[..., Any]:
    extra = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=_GLOBAL_DEFAULTS[name],
            annotation=annotation,
        )
        for name, annotation in _GLOBAL.items()
    ]
    context = inspect.Parameter(
        "ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
    )

    @functools.wraps(func)
    def run(ctx: typer.Context, **given: Any) -> Any:
        state = ctx.find_object(RunState) or RunState()
        session = Session.of(state, *(given.pop(name) for name in _GLOBAL))
        if getattr(func, "paged", False) and sys.stdout.isatty():
            from .pager import paging  # noqa: PLC0415 - only on a terminal

            with paging(enabled=not session.no_pager):
                return func(session, **given)
        return func(session, **given)

    _signed(run, [context, *_params(func, "session"), *extra])
    return run


def _with_field_options(
    func: Callable[..., Any], keys: tuple[str, ...]
) -> Callable[..., Any]:
    chosen = [f for f in OPTION_FIELDS if not keys or f.key in keys]
    chosen.sort(key=lambda field: not field.required)
    options = [
        inspect.Parameter(
            field.key,
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[
                field.codec.cli_type | None,
                typer.Option(
                    *field.option,
                    metavar=field.metavar,
                    help=field.help,
                    show_default=False,
                ),
            ],
        )
        for field in chosen
    ]

    @functools.wraps(func)
    def run(*args: Any, **given: Any) -> Any:
        raw = {field.key: given.pop(field.key) for field in chosen}
        return func(*args, fields=checked_fields(raw), **given)

    _signed(run, [*_params(func, "fields"), *options])
    return run


def checked_fields(raw: dict[str, Any]) -> dict[str, Any]:
    """The given (not None) values, each parsed by its field's codec."""
    try:
        return {
            key: BY_KEY[key].codec.parse(key, value)
            for key, value in raw.items()
            if value is not None
        }
    except InvalidValue as exc:
        raise FieldProblem.of(exc) from None


def require(fields: dict[str, Any], *keys: str) -> None:
    """The required fields (or ``keys``) are given; named as Click names them."""
    for field in OPTION_FIELDS:
        wanted = field.key in keys if keys else field.required
        if wanted and field.key not in fields:
            raise UsageProblem(f"Missing option '{field.option[0]}'")
