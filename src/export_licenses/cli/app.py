"""The Typer app: the table of commands, the group that builds a command when
it is named, and the one place where every failure is caught, to become one
line on stderr and an exit code (how: ``failures``).
"""

import importlib
import sys
from collections.abc import Sequence
from typing import Annotated, Any, Final

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from .examples import epilog
from .failures import MONITOR, drop_unwritten_output, exit_code, reader_gone
from .session import GLOBAL_OPTIONS, RunState

# Every command, in the order --help lists them: its name and the function that
# runs it, "module:function" in this package. This table is the registration:
# a command's module is imported when the command is named (Click's lazy-group
# pattern), as building all of them would cost every run ~20 ms of CPU (`warn` on
# 20 licenses: 69 ms against 88, `bash benchmarks/run --ledger`, 2026-12-01).
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

    def get_command(self, ctx: Any, cmd_name: str) -> Any:  # noqa: ARG002 - Click's signature
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
        given = list(args)  # Click's parser consumes the list it parses
        try:
            return super().parse_args(ctx, args)
        except typer.TyperException:
            if not ctx.resilient_parsing:
                self._monitor_reads_it(ctx, given)
            raise

    def _monitor_reads_it(self, ctx: Any, given: list[str]) -> None:
        """A mistake among the options before the command's name (`licenses
        --bogus warn --format nagios`) fails before the command is known. Were
        it warn, a monitor must still read UNKNOWN (3) in warn's format: Click's
        parser reads the arguments again forgivingly, as completion does, for
        the command's name, and warn's own options (``MonitorCommand``)."""
        _forgive(ctx)
        _, left, _ = self.make_parser(ctx).parse_args(given)
        at = next((i for i, word in enumerate(left) if not word.startswith("-")), None)
        if at is None or left[at] != MONITOR:
            return
        command = self.get_command(ctx, MONITOR)
        ctx.ensure_object(RunState).command = command
        # warn's own mistakes after its name are forgiven too (`--bogus warn
        # --bogus2 --format nagios`): its format may come after them.
        command.make_context(
            MONITOR,
            left[at + 1 :],
            parent=ctx,
            resilient_parsing=True,
            ignore_unknown_options=True,
        )

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader went away (`licenses list | head`): not an error of
            # ours. Caught here, before Click's main turns it into exit 1.
            return reader_gone(ctx.ensure_object(RunState))

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
            code = state.outcome = result if isinstance(result, int) else 0
            sys.stdout.flush()  # a full disk shows here, output being buffered
        except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - no traceback
            code = exit_code(exc, state)
        drop_unwritten_output()
        if standalone_mode:
            sys.exit(code)
        return code


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
            _forgive(ctx)
            super().parse_args(ctx, given)
            raise


def _forgive(ctx: Any) -> None:
    """Parse on past mistakes, as shell completion does: each option Click
    knows is read (warn's eager --format and --quiet record themselves), an
    unknown one is left over, and nothing is raised."""
    ctx.resilient_parsing = True
    ctx.ignore_unknown_options = True


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
