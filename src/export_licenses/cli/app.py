"""The Typer app: commands loaded when named, and the one place where every
failure becomes one line on stderr and an exit code.

Exit codes are the contract's sysexits, or for ``warn`` the monitoring-plugin
codes (3 = UNKNOWN, never 1 by accident), with its status line on stdout in the
format it was asked for. Click's usage-error code 2 is remapped: 2 means CRITICAL.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Annotated, Any, Final

import typer
import typer.main
from typer.core import TyperGroup

from export_licenses.errors import FieldProblem, LicensesError
from export_licenses.render.console import error_line

from .examples import epilog
from .options import (
    NoColorOption,
    NoPagerOption,
    RunState,
    StoreOption,
    TodayOption,
    runnable,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

EX_USAGE: Final = 64
EX_SOFTWARE: Final = 70
WARN_UNKNOWN: Final = 3
MONITOR: Final = "warn"
# Each command and the module that defines it, in the order --help lists them.
# A command's module is imported only when the command runs (Click's documented
# lazy-group pattern): building every command costs ~40 ms a run.
COMMANDS: Final = {
    "init": "records",
    "add": "records",
    "edit": "records",
    "ship": "records",
    "close": "records",
    "reopen": "records",
    "remove": "records",
    "apply": "renewals",
    "accept": "renewals",
    "grant": "renewals",
    "renew": "renewals",
    "refuse": "renewals",
    "withdraw": "renewals",
    "applications": "renewals",
    "list": "reports",
    "due": "reports",
    "warn": "reports",
    "show": "reports",
    "timeline": "reports",
    "stats": "renewals",
    "coverage": "renewals",
    "import": "transfer",
    "export": "transfer",
    "report": "transfer",
    "log": "history",
    "undo": "history",
    "sync": "history",
    "git-setup": "history",
    "merge-driver": "history",
}


class LicensesGroup(TyperGroup):
    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]  # noqa: ARG002
        return list(COMMANDS)

    def get_command(self, ctx: typer.Context, name: str) -> Any:  # type: ignore[override]  # noqa: ARG002
        if name not in COMMANDS:
            return None
        if name not in self.commands:
            module = importlib.import_module(f"{__package__}.{COMMANDS[name]}")
            attribute = name.replace("-", "_")
            func = getattr(module, attribute, None) or getattr(module, f"{attribute}_")
            single = typer.Typer(add_completion=False)
            settings = {"name": name, "epilog": epilog(name), **func.typer_settings}
            single.command(**settings)(runnable(func))
            self.commands[name] = typer.main.get_command(single)
        return self.commands[name]

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:  # type: ignore[override]
        found = super().resolve_command(ctx, args)
        state = ctx.ensure_object(RunState)
        state.command = found[1]
        return found

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader went away (`licenses list | head`): not an error of
            # ours. Caught here, before Click's main turns it into exit 1.
            _silence_stdout()
            return 0

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        if not args and not ctx.resilient_parsing:  # bare `licenses`: the help
            typer.echo(ctx.get_help())
            ctx.exit(0)
        return super().parse_args(ctx, args)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        state = RunState()
        extra.setdefault("obj", state)
        try:
            result = super().main(
                args=list(sys.argv[1:] if args is None else args),
                prog_name=prog_name or "licenses",
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
            code = result if isinstance(result, int) else 0
        except typer.TyperException as exc:  # Click's usage errors
            code = _failure(_usage_message(exc, state), EX_USAGE, state)
        except LicensesError as exc:
            code = _failure(_message(exc, state), exc.exit_code, state)
            for line in exc.details:
                error_line(f"  {line}")
        except typer.Abort:
            code = _failure("aborted", 1, state)
        except KeyboardInterrupt:
            code = _failure("interrupted", 130, state)
        except Exception as exc:  # noqa: BLE001 - the one catch-all: no traceback
            code = _failure(
                f"internal error ({type(exc).__name__}: {exc}); this is a bug, "
                "please report it with the command that caused it",
                EX_SOFTWARE,
                state,
            )
        if standalone_mode:
            sys.exit(code)
        return code


def _command_name(state: RunState) -> str | None:
    return None if state.command is None else str(state.command.name)


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
    if state.monitor_format == "nagios":
        sys.stdout.write(f"LICENSES UNKNOWN - {flat}\n")
    elif state.monitor_format == "json":
        import json  # noqa: PLC0415 - only on this path

        sys.stdout.write(json.dumps({"state": "UNKNOWN", "error": flat}) + "\n")
    elif state.monitor_format == "prometheus":
        from export_licenses.render.metrics import unknown_metrics  # noqa: PLC0415

        sys.stdout.write(unknown_metrics())
    error_line(f"licenses warn: UNKNOWN: {message}")
    return WARN_UNKNOWN


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version  # noqa: PLC0415

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
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root(
    ctx: typer.Context,
    store: StoreOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
    no_pager: NoPagerOption = False,
    _version_flag: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """Track export licenses and warn before they expire."""
    state = ctx.ensure_object(RunState)
    state.store, state.today, state.no_color = store, today, no_color
    state.no_pager = no_pager


def main() -> None:
    """The console script."""
    app()
