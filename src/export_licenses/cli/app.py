"""The Typer app: the table of commands, and the one place where every failure
becomes one line on stderr and an exit code.

Exit codes are the contract's sysexits, or for ``warn`` the monitoring-plugin
codes (3 = UNKNOWN, never 1 by accident), with its status line on stdout in the
format it was asked for. Click's usage-error code 2 is remapped: 2 means CRITICAL.
"""

import importlib
import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any, Final

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from export_licenses.errors import FieldProblem, LicensesError, by_ctrl_c
from export_licenses.render.console import error_line

from .examples import epilog
from .session import GLOBAL_OPTIONS, RunState

# Every command, in the order --help lists them: its name and the function that
# runs it, "module:function" in this package. This table is the registration:
# a command's module is imported when the command is named (Click's lazy-group
# pattern), as building all of them would cost every run ~40 ms.
COMMANDS: Final = {
    "init": "records:init",
    "add": "records:add",
    "edit": "records:edit",
    "ship": "records:ship",
    "change": "changes:change",
    "close": "records:close",
    "reopen": "records:reopen",
    "remove": "removal:remove",
    "apply": "renewals:apply",
    "accept": "renewals:accept",
    "hold": "clock:hold",
    "resume": "clock:resume",
    "grant": "decisions:grant",
    "renew": "decisions:renew",
    "refuse": "decisions:refuse",
    "withdraw": "decisions:withdraw",
    "applications": "renewals:applications",
    "agenda": "views:agenda",
    "notify": "alerts:notify",
    "ack": "alerts:ack",
    "list": "reports:list_licenses",
    "due": "reports:due",
    "warn": "monitor:warn",
    "show": "views:show",
    "timeline": "views:timeline",
    "stats": "renewals:stats",
    "coverage": "renewals:coverage",
    "controls": "catalogue:controls",
    "import": "transfer:import_licenses",
    "export": "transfer:export",
    "report": "transfer:report",
    "log": "history:log",
    "undo": "history:undo",
    "sync": "history:sync",
    "git-setup": "history:git_setup",
    "merge-driver": "history:merge_driver",
}
MONITOR: Final = "warn"
EX_USAGE: Final = 64
EX_SOFTWARE: Final = 70
EX_IOERR: Final = 74
WARN_UNKNOWN: Final = 3
INTERRUPTED: Final = 130  # 128 + SIGINT, as a shell reports it

# Click hands these methods its own Context class, which Typer bundles without
# exporting it by name; ``ctx: Any`` below stands for it.


class LicensesGroup(TyperGroup):
    """The ``licenses`` group: builds a command when it is named, and gives the
    group and every command the global options (``session.GLOBAL_OPTIONS``)."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.params[:0] = GLOBAL_OPTIONS

    def list_commands(self, ctx: Any) -> list[str]:  # noqa: ARG002 - Click's signature
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:  # noqa: ARG002
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            self.commands[cmd_name] = _build(cmd_name)
        return self.commands.get(cmd_name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        typed = args[0] if args else ""
        if typed and typed not in COMMANDS and not typed.startswith("-"):
            import difflib

            near = difflib.get_close_matches(typed, list(COMMANDS), n=2, cutoff=0.6)
            if near:
                ctx.fail(
                    f"No such command '{typed}'; did you mean {' or '.join(near)}?"
                )
        found = super().resolve_command(ctx, args)
        ctx.ensure_object(RunState).command = found[1]
        return found

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args and not ctx.resilient_parsing:  # bare `licenses`: the help
            typer.echo(ctx.get_help())
            ctx.exit(0)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader went away (`licenses list | head`): not an error of
            # ours. Caught here, before Click's main turns it into exit 1.
            silence_stdout()
            return 0

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run; every failure is one line on stderr and the contract's code."""
        state = RunState()
        extra.setdefault("obj", state)
        try:
            result = super().main(
                args=list(sys.argv[1:] if args is None else args),
                prog_name=prog_name or "licenses",
                complete_var=complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
            code = result if isinstance(result, int) else 0
            sys.stdout.flush()  # a full disk shows here, output being buffered
        except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - no traceback
            code = _exit_code(exc, state)
        _drop_unwritten_output()
        if standalone_mode:
            sys.exit(code)
        return code


def _exit_code(exc: BaseException, state: RunState) -> int:  # noqa: PLR0911 - one per kind
    """The code a run ends with, its failure said in one line on stderr (warn:
    its UNKNOWN status on stdout too)."""
    if isinstance(exc, BrokenPipeError):  # the reader went away: not an error
        silence_stdout()
        return 0
    if isinstance(exc, typer.TyperException):  # Click's usage errors
        return _failure(_usage_message(exc, state), EX_USAGE, state)
    if isinstance(exc, LicensesError):
        code = _failure(_message(exc, state), exc.exit_code, state)
        for line in exc.details:
            error_line(f"  {line}")
        return code
    if isinstance(exc, typer.Abort):  # end of input at a prompt
        return _failure("aborted", 1, state)
    if isinstance(exc, KeyboardInterrupt) or by_ctrl_c(exc):
        return INTERRUPTED  # by_ctrl_c: a Ctrl-C wrapped on its way
    if isinstance(exc, OSError):
        # Not the store's files (storage words those failures itself): the
        # output, which a full disk or a device refuses (`> /dev/full`).
        return _failure(_io_message(exc), EX_IOERR, state)
    return _failure(
        f"internal error ({type(exc).__name__}: {exc}); this is a bug, "
        "please report it with the command that caused it",
        EX_SOFTWARE,
        state,
    )


class MonitorCommand(TyperCommand):
    """warn: a monitor reads its status line on stdout in every state, UNKNOWN
    included, also when warn's own command line is wrong (``--format nagios
    --nonsense``). Its --format option records the format as it is parsed
    (``monitor._monitor_format``); should the parse fail before that, the arguments are
    parsed again forgivingly (Click's resilient parsing, as shell completion
    does), so that the error is shown in the format asked for."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        given = list(args)  # Click's parser consumes the list it parses
        try:
            return super().parse_args(ctx, args)
        except typer.TyperException:
            # Forgiving: the format may come after the mistake (`warn --bogus
            # --format json`), which a strict parse never reaches.
            ctx.resilient_parsing = True
            ctx.ignore_unknown_options = True
            super().parse_args(ctx, given)
            raise


def _build(name: str) -> Any:
    """The Click command ``name``, from its function, with the global options."""
    module, function = COMMANDS[name].split(":")
    run = getattr(importlib.import_module(f"{__package__}.{module}"), function)
    single = typer.Typer(add_completion=False, rich_markup_mode=None)
    cls = MonitorCommand if name == MONITOR else TyperCommand
    single.command(name=name, epilog=epilog(name), cls=cls)(run)
    command = typer.main.get_command(single)
    # The summary in the list of commands: the first paragraph, whole (Click
    # would cut it at 45 columns with "...").
    first = (command.help or "").strip().split("\n\n", 1)[0]
    command.short_help = " ".join(first.split())
    command.params.extend(GLOBAL_OPTIONS)
    return command


def _message(exc: LicensesError, state: RunState) -> str:
    """An error's message; a field is called by the option that set it."""
    if not isinstance(exc, FieldProblem):
        return str(exc)
    params = {} if state.command is None else {p.name: p for p in state.command.params}

    def named(field: str) -> str:
        param = params.get(field)
        if param is None:
            return f"--{field.replace('_', '-')}"
        if param.param_type_name == "argument":
            return str(param.human_readable_name)
        return str(param.opts[0])

    return exc.worded(named)


def _command_name(state: RunState) -> str | None:
    return None if state.command is None else str(state.command.name)


def _usage_message(exc: typer.TyperException, state: RunState) -> str:
    ctx = getattr(exc, "ctx", None)
    name = ctx.info_name if ctx is not None and ctx.parent is not None else None
    name = name or _command_name(state)
    where = f"licenses {name}" if name else "licenses"
    return f"{exc.format_message()} (see '{where} --help')"


def _failure(message: str, code: int, state: RunState) -> int:
    if _command_name(state) != MONITOR:
        error_line(f"licenses: {message}")
        return code
    flat = " ".join(message.split())
    try:  # the status line on stdout, when stdout takes it
        if state.monitor_format == "nagios":
            sys.stdout.write(f"LICENSES UNKNOWN - {flat}\n")
        elif state.monitor_format == "json":
            import json

            sys.stdout.write(json.dumps({"state": "UNKNOWN", "error": flat}) + "\n")
        elif state.monitor_format == "prometheus":
            from export_licenses.render.metrics import unknown_metrics

            sys.stdout.write(unknown_metrics())
        sys.stdout.flush()
    except OSError:  # what failed was the output: stderr still says why
        silence_stdout()
    error_line(f"licenses warn: UNKNOWN: {message}")
    return WARN_UNKNOWN


def _io_message(exc: OSError) -> str:
    """Without a file named, what failed is the output (stdout); a file named
    may have been read or written: it is named, and the error."""
    if exc.filename is None:
        return f"cannot write the output: {exc.strerror or exc}"
    return f"{exc.filename}: {exc.strerror or exc}"


def _drop_unwritten_output() -> None:
    """After a failed write, what stdout still holds goes nowhere: flushed at
    exit, it would fail again with Python's "Exception ignored" and exit 120."""
    try:
        sys.stdout.flush()
    except OSError:
        silence_stdout()


def silence_stdout() -> None:
    """Point stdout at /dev/null, once its reader has gone (Python's documented
    way, "Note on SIGPIPE" in the signal module): what is left unwritten goes
    nowhere, and the exit is not an error."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"licenses {version('export-licenses')}")
        raise typer.Exit


app = typer.Typer(
    cls=LicensesGroup,
    name="licenses",
    help=(
        "Track export licenses and warn before they expire.\n\n"
        "A license (for example for Chinese rare earths) is often valid for six "
        "months and cannot be extended; `licenses` keeps them in one TOML file "
        "and says early which ones near their expiry."
    ),
    pretty_exceptions_enable=False,
    # Click's own help layout, not Rich's panels: paragraphs reflowed to the
    # terminal, an option's name and choices never folded mid-word
    # ([text|json|nagios|prometheus] whole at any width), [required] marked.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def licenses(
    _version_flag: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """Track export licenses and warn before they expire."""
