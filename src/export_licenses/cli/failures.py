"""How a run's failure becomes one line on stderr and an exit code: ``app``'s
group catches whatever a command raises and hands it to ``exit_code``.

Exit codes are the contract's sysexits, or for ``warn`` the monitoring-plugin
codes (3 = UNKNOWN, never 1 by accident), with its status line on stdout in the
format it was asked for. Click's usage-error code 2 is remapped: 2 means CRITICAL.
A field an error names (``FieldProblem``) is called by the option that set it.
"""

import os
import sys
from typing import Final, TextIO

import typer

from export_licenses.errors import INTERRUPTED, FieldProblem, LicensesError, by_ctrl_c
from export_licenses.render.console import error_line

from .session import RunState

MONITOR: Final = "warn"  # a monitor reads its failures as UNKNOWN on stdout
EX_USAGE: Final = 64
EX_SOFTWARE: Final = 70
EX_IOERR: Final = 74
WARN_UNKNOWN: Final = 3


def exit_code(exc: BaseException, state: RunState) -> int:  # noqa: PLR0911 - one per kind
    """The code a run ends with, its failure said in one line on stderr (warn:
    its UNKNOWN status on stdout too)."""
    if isinstance(exc, BrokenPipeError):  # the reader went away: not an error
        return reader_gone(state)
    if isinstance(exc, typer.TyperException):  # Click's usage errors
        return _failure(_usage_message(exc, state), EX_USAGE, state)
    if isinstance(exc, LicensesError):
        code = _failure(_message(exc, state), exc.exit_code, state)
        for line in exc.details:
            _say(f"  {line}")
        return code
    if isinstance(exc, typer.Abort):  # end of input at a prompt
        return _failure("aborted", 1, state)
    if isinstance(exc, KeyboardInterrupt) or by_ctrl_c(exc):
        return INTERRUPTED  # by_ctrl_c: a Ctrl-C wrapped on its way
    if isinstance(exc, OSError):
        # Not the store's files (storage words those failures itself): the
        # output, which a full disk or a device refuses (`> /dev/full`).
        return _failure(_io_message(exc, state.done), EX_IOERR, state)
    return _failure(
        f"internal error ({type(exc).__name__}: {exc}); this is a bug, "
        "please report it with the command that caused it",
        EX_SOFTWARE,
        state,
    )


def _message(exc: LicensesError, state: RunState) -> str:
    """An error's message; a field is called by the option that set it."""
    if not isinstance(exc, FieldProblem):
        return str(exc)
    params = {} if state.command is None else {p.name: p for p in state.command.params}
    opts = {opt for param in params.values() for opt in param.opts}

    def named(field: str) -> str:
        param = params.get(field)
        if param is None:
            option = f"--{field.replace('_', '-')}"
            # A field no option of this command sets (a stored record's, such
            # as "holds #1 to") keeps its own name: never an option that is not.
            return option if option in opts else field
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


def reader_gone(state: RunState) -> int:
    """The code of a run whose stdout reader went away (`licenses list | head
    -1`): not an error, so what the run decided (``RunState.outcome``), else 0;
    warn, if it had decided nothing yet, UNKNOWN: never OK unchecked."""
    silence(sys.stdout)
    if state.outcome is not None:
        return state.outcome
    return WARN_UNKNOWN if _command_name(state) == MONITOR else 0


def _failure(message: str, code: int, state: RunState) -> int:
    if _command_name(state) != MONITOR:
        _say(f"licenses: {message}")
        return code
    flat = " ".join(message.split())
    try:  # the status line on stdout, when stdout takes it and may
        if state.monitor_quiet:
            pass
        elif state.monitor_format == "nagios":
            sys.stdout.write(f"LICENSES UNKNOWN - {flat}\n")
        elif state.monitor_format == "json":
            import json

            sys.stdout.write(json.dumps({"state": "UNKNOWN", "error": flat}) + "\n")
        elif state.monitor_format == "prometheus":
            from export_licenses.render.metrics import unknown_metrics

            sys.stdout.write(unknown_metrics())
        sys.stdout.flush()
    except OSError:  # what failed was the output: stderr still says why
        silence(sys.stdout)
    _say(f"licenses warn: UNKNOWN: {message}")
    return WARN_UNKNOWN


def _say(line: str) -> None:
    """The failure's line on stderr, if stderr takes it. When it does not (a
    cron line's `>log 2>&1` on a full disk) nothing can be said; the code is
    what is left, and it must stay the failure's: an error escaping here would
    end the run with Python's 1, WARNING to a monitor."""
    try:
        error_line(line)
        sys.stderr.flush()
    except OSError:
        silence(sys.stderr)


def _io_message(exc: OSError, done: str | None = None) -> str:
    """Without a file named, what failed is the output (stdout); a file named
    may have been read or written: it is named, and the error. An output that
    failed after the store changed (``done``) says that it did: a script that
    took the failure for "nothing done" and ran the command again would add
    the license twice."""
    if exc.filename is None:
        if done is not None:
            return (
                f"{done}, but its confirmation could not be written: "
                f"{exc.strerror or exc}"
            )
        return f"cannot write the output: {exc.strerror or exc}"
    return f"{exc.filename}: {exc.strerror or exc}"


def drop_unwritten_output() -> None:
    """After a failed write, what stdout still holds goes nowhere: flushed at
    exit, it would fail again with Python's "Exception ignored" and exit 120."""
    try:
        sys.stdout.flush()
    except OSError:
        silence(sys.stdout)


def silence(stream: TextIO) -> None:
    """Point an output stream at /dev/null once it cannot be written (its
    reader has gone, its disk is full: Python's documented way, "Note on
    SIGPIPE" in the signal module): what is left unwritten goes nowhere, and
    Python's flush at exit does not fail again ("Exception ignored", exit 120)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)
