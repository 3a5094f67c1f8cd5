"""The ``licenses`` command line: parse, call the service, render. Nothing else.

Every failure is translated in one place, ``LicensesGroup.main``: one line on
stderr and the contract's exit code (sysexits, or 3 = UNKNOWN for ``warn``).
"""

import enum
import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Final, NamedTuple

import typer
from typer.core import TyperGroup

from . import render, service
from .countries import to_alpha2
from .errors import InvalidValue, LicensesError, UsageProblem
from .model import Kind, Status, parse_date, parse_quantity
from .service import option_error

EX_USAGE: Final = 64
EX_SOFTWARE: Final = 70
WARN_UNKNOWN: Final = 3
_VALUE_OPTIONS: Final = frozenset({"--store", "--today"})


# --- the one place errors become exit codes ----------------------------------


class AppState:
    """What the group's own options said, for the command to merge with its own."""

    def __init__(self) -> None:
        self.store: Path | None = None
        self.today: str | None = None
        self.no_color = False
        self.command: str | None = None
        self.warn_format: str | None = None  # UNKNOWN goes on stdout in this format


class LicensesGroup(TyperGroup):
    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        state = AppState()
        extra.setdefault("obj", state)
        try:
            result = super().main(
                args=argv,
                prog_name=prog_name or "licenses",
                complete_var=complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
            code = result if isinstance(result, int) else 0
        except typer.TyperException as exc:  # Click's usage errors
            code = _usage_failure(exc, state, argv)
        except LicensesError as exc:
            code = _failure(str(exc), exc.exit_code, state, argv)
            for line in exc.details:
                render.error_line(f"  {line}")
        except typer.Abort:
            code = _failure("aborted", 1, state, argv)
        except KeyboardInterrupt:
            code = _failure("interrupted", 130, state, argv)
        except BrokenPipeError:
            # The reader went away (`licenses list | head`): not an error of ours.
            _silence_stdout()
            code = 0
        except Exception as exc:  # noqa: BLE001 - the one catch-all: no traceback
            code = _failure(
                f"internal error ({type(exc).__name__}: {exc}); this is a bug, "
                "please report it with the command that caused it",
                EX_SOFTWARE,
                state,
                argv,
            )
        if standalone_mode:
            sys.exit(code)
        return code


def _usage_failure(exc: typer.TyperException, state: AppState, argv: list[str]) -> int:
    if type(exc).__name__ == "NoArgsIsHelpError":  # bare `licenses`: show the help
        # Building this error already printed Typer's Rich help; without Rich
        # the help is the error's message.
        text = exc.format_message()
        if text:
            sys.stdout.write(text + "\n")
        return 0
    ctx = getattr(exc, "ctx", None)
    if ctx is not None and ctx.parent is not None:
        state.command = ctx.info_name
    command = state.command or _command_in(argv)
    where = f"licenses {command}" if command else "licenses"
    hint = f" (see '{where} --help')"
    return _failure(f"{exc.format_message()}{hint}", EX_USAGE, state, argv)


def _failure(message: str, code: int, state: AppState, argv: list[str]) -> int:
    command = state.command or _command_in(argv)
    if command == "warn" and _wants_format("nagios", state, argv):
        sys.stdout.write(f"LICENSES UNKNOWN - {' '.join(message.split())}\n")
    elif command == "warn" and _wants_format("json", state, argv):
        import json  # noqa: PLC0415

        error = {"state": "UNKNOWN", "error": " ".join(message.split())}
        sys.stdout.write(json.dumps(error, ensure_ascii=False) + "\n")
    if command == "warn":
        render.error_line(f"licenses warn: UNKNOWN: {message}")
        return WARN_UNKNOWN
    render.error_line(f"licenses: {message}")
    return code


def _wants_format(name: str, state: AppState, argv: list[str]) -> bool:
    """Whether this warn asked for the format ``name``, even if argv failed to parse.

    A monitor reads its status on stdout in every state, UNKNOWN included.
    """
    return state.warn_format == name or any(
        arg in {f"--format={name}", f"-f{name}"}
        or (arg == name and before in {"--format", "-f"})
        for before, arg in zip(["", *argv], argv, strict=False)
    )


def _command_in(argv: list[str]) -> str | None:
    """The sub-command named in argv, for errors raised before it was parsed."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in _VALUE_OPTIONS:
            skip = True
        elif not token.startswith("-"):
            return token
    return None


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


def _new_app() -> typer.Typer:
    return typer.Typer(
        cls=LicensesGroup,
        name="licenses",
        help=(
            "Track export licenses and warn before they expire.\n\n"
            "A license (for example for Chinese rare earths) is often valid for six "
            "months and cannot be extended; `licenses` keeps them in one TOML file "
            "and says early which ones near their expiry."
        ),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


app = _new_app()

# --- options every command takes, before or after the command name -----------

StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        metavar="PATH",
        help="The store file. Default: $LICENSES_STORE, else the user data folder.",
        show_default=False,
        dir_okay=True,
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


class DataFormat(enum.StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    TSV = "tsv"


class WarnFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    NAGIOS = "nagios"


class ExportFormat(enum.StrEnum):
    JSON = "json"
    CSV = "csv"
    ICS = "ics"


class ShowFormat(enum.StrEnum):
    TABLE = "table"
    JSON = "json"


FormatOption = Annotated[
    DataFormat,
    typer.Option(
        "--format", "-f", help="table on a terminal; json, csv, tsv for scripts."
    ),
]


# Options for a license's fields, shared by add and edit.
MaterialOption = Annotated[
    str | None,
    typer.Option("--material", "-m", help='What is licensed, e.g. "dysprosium oxide".'),
]
DestinationOption = Annotated[
    str | None,
    typer.Option(
        "--destination",
        "-d",
        help="Country: alpha-2, alpha-3 or English name (stored as alpha-2).",
    ),
]
IssuedOption = Annotated[
    str | None,
    typer.Option("--issued", "-i", metavar="YYYY-MM-DD", help="Date of issue."),
]
NumberOption = Annotated[
    str | None,
    typer.Option("--number", "-n", help="The authority's license number (unique)."),
]
TermOption = Annotated[
    int | None,
    typer.Option(
        "--term",
        metavar="MONTHS",
        help="Validity in months (default: [settings] term_months, 6).",
        show_default=False,
    ),
]
ExpiresOption = Annotated[
    str | None,
    typer.Option(
        "--expires",
        metavar="YYYY-MM-DD",
        help="Explicit last valid day, instead of --term.",
    ),
]
NoteOption = Annotated[
    str | None, typer.Option("--note", help="Free text, stored as notes.")
]
KindOption = Annotated[
    Kind | None,
    typer.Option("--kind", help="individual (one export) or general (repeated)."),
]
ExporterOption = Annotated[str | None, typer.Option("--exporter", help="The exporter.")]
EndUserOption = Annotated[
    str | None, typer.Option("--end-user", help="The end user named on the license.")
]
QuantityOption = Annotated[
    str | None,
    typer.Option(
        "--quantity", metavar="AMOUNT", help="Licensed quantity (drawdown limit)."
    ),
]
UnitOption = Annotated[
    str | None, typer.Option("--unit", help='Unit of the quantity, e.g. "kg".')
]
HsCodeOption = Annotated[
    str | None, typer.Option("--hs-code", help="HS commodity code, 6 to 10 digits.")
]
OnOption = Annotated[
    str | None,
    typer.Option("--on", metavar="YYYY-MM-DD", help="The day (default: today)."),
]


class Session(NamedTuple):
    """One invocation's store, day and look, merged from its options and env."""

    store: Path
    today_text: str | None
    no_color: bool

    def today(self) -> date:
        """Only the command layer reads the clock, and only here."""
        if self.today_text is not None:
            return _parse_option_date("--today", self.today_text)
        env = os.environ.get("LICENSES_TODAY")
        if env:
            try:
                return parse_date("LICENSES_TODAY", env)
            except InvalidValue as exc:
                raise UsageProblem(f"LICENSES_TODAY: {exc.message}") from None
        return date.today()  # noqa: DTZ011 - a calendar date in the user's own zone

    def look(self) -> render.Look:
        return render.Look.for_stream(sys.stdout, no_color=self.no_color)


def _session(
    ctx: typer.Context, store: Path | None, today: str | None, no_color: bool
) -> Session:
    state = ctx.find_object(AppState) or AppState()
    chosen = store or state.store
    if chosen is None:
        env = os.environ.get("LICENSES_STORE")
        chosen = Path(env) if env else _default_store()
    return Session(
        store=chosen.expanduser(),
        today_text=today if today is not None else state.today,
        no_color=no_color or state.no_color,
    )


def _default_store() -> Path:
    import platformdirs  # noqa: PLC0415 - only when neither --store nor env is given

    return Path(platformdirs.user_data_dir("licenses")) / "licenses.toml"


def _parse_option_date(option: str, text: str) -> date:
    try:
        return parse_date(option, text)
    except InvalidValue as exc:
        raise UsageProblem(f"{option}: {exc.message}") from None


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version  # noqa: PLC0415

        typer.echo(f"licenses {version('export-licenses')}")
        raise typer.Exit


@app.callback()
def root(
    ctx: typer.Context,
    store: StoreOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
    _version_flag: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """Track export licenses and warn before they expire."""
    state = ctx.ensure_object(AppState)
    state.store, state.today, state.no_color = store, today, no_color
    state.command = ctx.invoked_subcommand


# --- commands ----------------------------------------------------------------


@app.command()
def init(
    ctx: typer.Context,
    store: StoreOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Create an empty store with the default settings; print its path.

    An existing store is left untouched.
    """
    session = _session(ctx, store, today, no_color)
    if service.init(session.store):
        render.error_line(f"Created an empty store at {session.store}")
    else:
        render.error_line(f"A store already exists at {session.store}; left as it is")
    typer.echo(str(session.store))


@app.command()
def add(
    ctx: typer.Context,
    material: MaterialOption = None,
    destination: DestinationOption = None,
    issued: IssuedOption = None,
    number: NumberOption = None,
    term: TermOption = None,
    expires: ExpiresOption = None,
    note: NoteOption = None,
    kind: KindOption = None,
    exporter: ExporterOption = None,
    end_user: EndUserOption = None,
    quantity: QuantityOption = None,
    unit: UnitOption = None,
    hs_code: HsCodeOption = None,
    store: StoreOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Add a license; print its new id alone, so id=$(licenses add ...) works.

    --material, --destination and --issued are required. Creates the store (and
    its folder) when it is missing.
    """
    session = _session(ctx, store, today, no_color)
    for option, value in (
        ("--material", material),
        ("--destination", destination),
        ("--issued", issued),
    ):
        if value is None:
            raise UsageProblem(f"Missing option '{option}'")
    fields = _license_fields(
        material=material,
        destination=destination,
        issued=issued,
        number=number,
        term_months=term,
        expires=expires,
        notes=note,
        kind=kind,
        exporter=exporter,
        end_user=end_user,
        quantity=quantity,
        unit=unit,
        hs_code=hs_code,
    )
    row = service.add(session.store, fields, session.today())
    lic = row.license
    typer.echo(str(lic.id))
    render.error_line(
        f"Added {lic.label()}: {lic.material} to {lic.destination}, "
        f"{render.when(row.verdict)}"
    )


def _license_fields(**given: Any) -> dict[str, Any]:
    """License field values from the options given; bad text is exit 64 naming it."""
    parsers: dict[str, Any] = {
        "destination": to_alpha2,
        "issued": lambda text: parse_date("issued", text),
        "expires": lambda text: parse_date("expires", text),
        "quantity": lambda text: parse_quantity("quantity", text),
        "kind": lambda kind: kind.value,
    }
    try:
        return {
            name: parsers.get(name, lambda value: value)(value)
            for name, value in given.items()
            if value is not None
        }
    except InvalidValue as exc:
        raise option_error(exc) from None


@app.command()
def edit(
    ctx: typer.Context,
    key: Annotated[
        str, typer.Argument(metavar="ID", help="The license's id or number.")
    ],
    material: MaterialOption = None,
    destination: DestinationOption = None,
    issued: IssuedOption = None,
    number: NumberOption = None,
    term: TermOption = None,
    expires: ExpiresOption = None,
    note: NoteOption = None,
    kind: KindOption = None,
    exporter: ExporterOption = None,
    end_user: EndUserOption = None,
    quantity: QuantityOption = None,
    unit: UnitOption = None,
    hs_code: HsCodeOption = None,
    unset: Annotated[
        list[str] | None,
        typer.Option(
            "--unset",
            metavar="FIELD",
            help="Clear an optional field (number, kind, exporter, end_user, "
            "quantity, unit, hs_code, notes); repeatable.",
        ),
    ] = None,
    store: StoreOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Change fields of a license, with the same checks as add."""
    session = _session(ctx, store, today, no_color)
    changes = _license_fields(
        material=material,
        destination=destination,
        issued=issued,
        number=number,
        term_months=term,
        expires=expires,
        notes=note,
        kind=kind,
        exporter=exporter,
        end_user=end_user,
        quantity=quantity,
        unit=unit,
        hs_code=hs_code,
    )
    row = service.edit(session.store, key, changes, unset or [], session.today())
    render.error_line(f"Changed {row.license.label()}: {render.when(row.verdict)}")


@app.command()
def apply(
    ctx: typer.Context,
    key: Annotated[
        str, typer.Argument(metavar="ID", help="The license's id or number.")
    ],
    on: OnOption = None,
    store: StoreOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Record that the renewal application was filed (status renewal-filed).

    Its renewal deadline no longer flags it; its expiry still does.
    """
    session = _session(ctx, store, today, no_color)
    filed = session.today() if on is None else _parse_option_date("--on", on)
    row = service.apply(session.store, key, filed, session.today())
    render.error_line(f"Renewal of {row.license.label()} filed on {filed}")


@app.command()
def renew(
    ctx: typer.Context,
    key: Annotated[
        str, typer.Argument(metavar="ID", help="The license's id or number.")
    ],
    issued: Annotated[
        str,
        typer.Option(
            "--issued",
            "-i",
            metavar="YYYY-MM-DD",
            help="Issue date of the new license.",
        ),
    ],
    number: NumberOption = None,
    term: TermOption = None,
    expires: ExpiresOption = None,
    store: StoreOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """The new license was granted: add it as a copy, mark the old one renewed.

    Copies material, destination, exporter, end user, kind, quantity, unit and HS
    code; prints the new id alone.
    """
    session = _session(ctx, store, today, no_color)
    fields = _license_fields(issued=issued, expires=expires)
    row = service.renew(
        session.store,
        key,
        service.NewTerm(number=number, term_months=term, **fields),
        session.today(),
    )
    typer.echo(str(row.license.id))
    render.error_line(
        f"Added {row.license.label()}, renewing license {row.license.renews}: "
        f"{render.when(row.verdict)}"
    )


@app.command()
def ship(
    ctx: typer.Context,
    key: Annotated[
        str, typer.Argument(metavar="ID", help="The license's id or number.")
    ],
    quantity: Annotated[
        str, typer.Argument(metavar="QUANTITY", help="How much was shipped.")
    ],
    on: OnOption = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Free text for this shipment.")
    ] = None,
    store: StoreOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Record a shipment against a license (drawdown of its quantity).

    Refused when it would exceed the licensed quantity, falls outside the
    license's validity, or the license is not active.
    """
    session = _session(ctx, store, today, no_color)
    try:
        amount = parse_quantity("QUANTITY", quantity)
    except InvalidValue as exc:
        raise UsageProblem(f"QUANTITY: {exc.message}") from None
    shipped_on = session.today() if on is None else _parse_option_date("--on", on)
    row = service.ship(session.store, key, amount, shipped_on, note, session.today())
    lic = row.license
    limit = f" of {lic.quantity:f}" if lic.quantity is not None else ""
    render.error_line(
        f"Shipped {amount:f} on {shipped_on} against {lic.label()}: "
        f"{lic.shipped:f}{limit}{' ' + lic.unit if lic.unit else ''} shipped in all"
    )


@app.command()
def close(
    ctx: typer.Context,
    key: Annotated[
        str, typer.Argument(metavar="ID", help="The license's id or number.")
    ],
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why it was closed.")
    ] = None,
    revoked: Annotated[
        bool,
        typer.Option("--revoked", help="The authority revoked it (status revoked)."),
    ] = False,
    store: StoreOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Mark a license finished (closed) or revoked. It stays in the store."""
    session = _session(ctx, store, today, no_color)
    row = service.close(session.store, key, reason, revoked, session.today())
    render.error_line(f"{row.license.label()} is now {row.license.status}")


@app.command()
def remove(
    ctx: typer.Context,
    key: Annotated[
        str, typer.Argument(metavar="ID", help="The license's id or number.")
    ],
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Do not ask (required without a terminal)."),
    ] = False,
    store: StoreOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Delete a license entered by mistake. Its id is never used again.

    To end a real license use close instead: records are kept (art. 27).
    """
    session = _session(ctx, store, today, no_color)
    if not yes:
        lic = service.get(session.store, key)
        if not sys.stdin.isatty():
            raise UsageProblem(
                f"not removing {lic.label()} without --yes (no terminal to ask)"
            )
        if not typer.confirm(
            f"Remove {lic.label()} ({lic.material} to {lic.destination})?"
        ):
            render.error_line("Nothing removed")
            return
    removed = service.remove(session.store, key)
    render.error_line(f"Removed {removed.label()}")


@app.command("list")
def list_(
    ctx: typer.Context,
    all_: Annotated[
        bool,
        typer.Option("--all", "-a", help="Include licenses that are no longer active."),
    ] = False,
    material: Annotated[
        str | None,
        typer.Option("--material", "-m", help="Only materials containing this text."),
    ] = None,
    destination: Annotated[
        str | None,
        typer.Option(
            "--destination", "-d", help="Only destinations whose code contains this."
        ),
    ] = None,
    status: Annotated[
        Status | None,
        typer.Option("--status", "-s", help="Only licenses in this status."),
    ] = None,
    kind: Annotated[
        Kind | None, typer.Option("--kind", help="Only individual or general licenses.")
    ] = None,
    fmt: FormatOption = DataFormat.TABLE,
    store: StoreOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """List active licenses, soonest expiry first."""
    session = _session(ctx, store, today, no_color)
    rows = service.list_licenses(
        session.store,
        session.today(),
        include_all=all_,
        material=material,
        destination=destination,
        status=None if status is None else status.value,
        kind=None if kind is None else kind.value,
    )
    _print_rows(rows, fmt, session, empty="no licenses match")


@app.command()
def due(
    ctx: typer.Context,
    within: Annotated[
        int | None,
        typer.Option(
            "--within",
            "-w",
            metavar="DAYS",
            min=0,
            help="Days ahead to look (default: [settings] warn_days, 90).",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = DataFormat.TABLE,
    store: StoreOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Active licenses with a deadline within DAYS or past, soonest expiry first.

    The deadlines are the expiry and, unless the renewal is filed, the last day to
    file it (review_working_days working days before the expiry).
    """
    session = _session(ctx, store, today, no_color)
    rows = service.due(session.store, session.today(), within)
    _print_rows(rows, fmt, session, empty="nothing due")


def _print_rows(
    rows: list[service.Row], fmt: DataFormat, session: Session, *, empty: str
) -> None:
    if fmt is not DataFormat.TABLE:
        sys.stdout.write(render.data(rows, fmt.value))
        return
    if not rows:
        render.error_line(empty)
        return
    render.table(rows, sys.stdout, session.look())


@app.command()
def warn(
    ctx: typer.Context,
    within: Annotated[
        int | None,
        typer.Option(
            "--within",
            "-w",
            metavar="DAYS",
            min=0,
            help="WARNING at this many days left or fewer (default: warn_days).",
            show_default=False,
        ),
    ] = None,
    critical: Annotated[
        int | None,
        typer.Option(
            "--critical",
            "-c",
            metavar="DAYS",
            min=0,
            help="CRITICAL at this many days left or fewer (default: critical_days).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        WarnFormat,
        typer.Option(
            "--format",
            "-f",
            help="text lines, one JSON object, or one Nagios plugin status line.",
        ),
    ] = WarnFormat.TEXT,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Print nothing; the exit code says it all."),
    ] = False,
    store: StoreOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """The check for cron and monitoring: silent and exit 0 when all is well.

    Exit 1 WARNING, 2 CRITICAL (critical or expired), 3 UNKNOWN (the check
    itself failed). One plain line per flagged license, worst first.
    """
    session = _session(ctx, store, today, no_color)
    # A monitor reads its status on stdout in every state, UNKNOWN too.
    ctx.ensure_object(AppState).warn_format = fmt.value
    report = service.warn(session.store, session.today(), within, critical)
    if not quiet:
        if fmt is WarnFormat.NAGIOS:
            sys.stdout.write(render.nagios_line(report) + "\n")
        elif fmt is WarnFormat.JSON:
            sys.stdout.write(render.warn_json(report))
        else:
            sys.stdout.writelines(render.warn_line(row) + "\n" for row in report.rows)
    raise typer.Exit(report.exit_code)


@app.command()
def show(
    ctx: typer.Context,
    key: Annotated[
        str, typer.Argument(metavar="ID", help="The license's id or number.")
    ],
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="table, or one JSON object.")
    ] = ShowFormat.TABLE,
    store: StoreOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """One license, every field, with its expiry, days left and level."""
    session = _session(ctx, store, today, no_color)
    row = service.find(session.store, session.today(), key)
    if fmt is ShowFormat.JSON:
        sys.stdout.write(render.json_detail(row))
        return
    pairs = render.detail_pairs(row)
    level = row.verdict.level.value if row.verdict.level else None
    render.details(pairs, level, sys.stdout, session.look())


@app.command()
def timeline(
    ctx: typer.Context,
    months: Annotated[
        int,
        typer.Option(
            "--months",
            "-m",
            min=2,
            max=60,
            help="Months on the axis, from two months before today.",
        ),
    ] = 9,
    store: StoreOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """A picture of every active license from issue to expiry, with today marked.

    Bars are coloured by level; the renewal deadline is marked on each bar.
    """
    session = _session(ctx, store, today, no_color)
    day = session.today()
    rows = service.list_licenses(session.store, day)
    if not rows:
        render.error_line("no active licenses")
        return
    render.timeline(rows, day, months, sys.stdout, session.look())


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A CSV file with a header row.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row; change nothing.")
    ] = False,
    dayfirst: Annotated[
        bool, typer.Option("--dayfirst", help="Also read dates as DD/MM/YYYY.")
    ] = False,
    store: StoreOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Import licenses from CSV; all or nothing.

    Columns are the store's field names, in any order (an id column is ignored:
    imported licenses get new ids). UTF-8 with or without BOM, comma or semicolon.
    Creates the store when it is missing.
    """
    from . import interchange  # noqa: PLC0415 - only import and export need it

    session = _session(ctx, store, today, no_color)
    with render.progress_bar(sys.stderr, "Checking rows") as progress:
        result = interchange.import_csv(
            session.store, file, dayfirst=dayfirst, dry_run=dry_run, progress=progress
        )
    count = len(result.imported)
    if result.dry_run:
        render.error_line(f"{count} license{'s' * (count != 1)} would be imported")
    else:
        render.error_line(f"Imported into {session.store}")
    typer.echo(str(count))


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format", "-f", help="json (full records), csv (for import), ics."
        ),
    ] = ExportFormat.JSON,
    all_: Annotated[
        bool,
        typer.Option("--all", "-a", help="Include licenses that are no longer active."),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here, not stdout."),
    ] = None,
    remind: Annotated[
        int,
        typer.Option(
            "--remind",
            metavar="DAYS",
            min=0,
            help="ics: a reminder this many days before each event (0: none).",
        ),
    ] = 7,
    store: StoreOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Export licenses as JSON, CSV (what import reads) or an iCalendar file.

    The calendar has an all-day event on each active license's expiry and on its
    renewal deadline, with stable UIDs so a re-import updates them.
    """
    from . import interchange  # noqa: PLC0415 - only import and export need it

    session = _session(ctx, store, today, no_color)
    data, licenses = interchange.exported(session.store, include_all=all_)
    if fmt is ExportFormat.ICS:
        text = interchange.to_ics(data, licenses, session.today(), remind)
    elif fmt is ExportFormat.CSV:
        text = interchange.to_csv(licenses)
    else:
        text = interchange.to_json(licenses)
    if output is None:
        sys.stdout.write(text)
        return
    interchange.write_file(output, text)
    render.error_line(f"Wrote {len(licenses)} licenses to {output}")


def main() -> None:
    """The console script: build only the command that will run.

    Typer turns every command's signature into Click parameters before it parses
    anything; for twelve commands that is about 40 ms, a third of a run. When argv
    names a command, a Typer app holding just that command (and the shared callback)
    behaves the same for it, help and errors included.
    """
    command = _command_in(sys.argv[1:])
    only = [info for info in app.registered_commands if _name_of(info) == command]
    if not only:
        app()
        return
    single = _new_app()
    single.registered_callback = app.registered_callback
    single.registered_commands = only
    single()


def _name_of(info: typer.models.CommandInfo) -> str | None:
    if info.name:
        return info.name
    callback = info.callback
    return None if callback is None else callback.__name__.replace("_", "-")
