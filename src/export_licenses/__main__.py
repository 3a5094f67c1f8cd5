"""The ``licenses`` program: the console script and ``python -m export_licenses``.

Ctrl-C ends a run with exit 130 and prints nothing, at any moment of it: during
the imports that are most of a short run, the command, a prompt, or the exit.
So the handler is set here, before anything else of the program is imported,
and the app is imported inside ``main``. (Until this module runs, Python itself
is starting up, and a Ctrl-C ends it as Python's own start-up does.)
"""

from __future__ import annotations  # annotations unevaluated: no typing at start

import atexit
import gc
import signal
import sys

INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for an interrupted command


# How often Ctrl-C's exit is raised again until the process has ended.
REPEAT = 0.01  # seconds
_interrupted_at_all = False


def _interrupted(_signum: int, _frame: FrameType | None) -> NoReturn:
    # SystemExit rather than KeyboardInterrupt: it passes every `except
    # Exception` and Click's prompt (which turns KeyboardInterrupt into an
    # "Aborted!" exit 1), runs the `finally` clauses and context managers on its
    # way out (a half-written temporary file is removed, the lock released), and
    # Python exits with its code and no traceback.
    #
    # CPython may lose it: one raised while the parser compiles a module, or in
    # a weakref callback of the import system, was dropped and the run went on
    # to exit 0 (2 runs in 200 of the Ctrl-C sweep). So it is raised again every
    # REPEAT seconds until the process ends, and main exits 130 if it was ever
    # raised; each repeat is the same exit, whichever one ends the run.
    global _interrupted_at_all  # noqa: PLW0603 - the one fact a signal leaves
    # Where Python cannot pass an exception on (a weakref callback, a __del__,
    # an atexit function) it reports "Exception ignored" through
    # sys.unraisablehook: once Ctrl-C is pressed those are its exits, which
    # the repeat raises again. The hook becomes a built-in that returns at once:
    # a hook written in Python could itself be cut by the repeat ("Exception
    # ignored in sys.unraisablehook", seen in the sweep).
    sys.unraisablehook = id
    if not _interrupted_at_all and hasattr(signal, "setitimer"):  # POSIX
        _interrupted_at_all = True
        # Stopped once Python exits: it soon drops its signal handlers, and
        # SIGALRM's default would kill the process (-14, not 130). Registered
        # before the timer starts: a repeat that came first (the process paused
        # 10 ms on a loaded machine) ended the run before the registration,
        # with the timer still going: -14 (once in the suite's sweep). And the
        # stop is the C function itself, not a Python function calling it: a
        # repeat due as exit began ran its handler at that function's first
        # instruction and aborted it, the timer still going (-14 under load;
        # tests/test_interrupts.py forces it). A C call runs no handler.
        atexit.register(signal.setitimer, signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, _interrupted)
        signal.setitimer(signal.ITIMER_REAL, REPEAT, REPEAT)
    _interrupted_at_all = True
    raise SystemExit(INTERRUPTED)


signal.signal(signal.SIGINT, _interrupted)

# Only now anything more: importing typing takes 6.5 ms on a quiet machine
# (~10 ms loaded), in which a Ctrl-C was Python's own (a KeyboardInterrupt
# traceback, 5 of 30 early ones).
import codecs  # noqa: E402 - loaded by Python's start-up already
import os  # noqa: E402 - loaded by Python's start-up already
from typing import TYPE_CHECKING  # noqa: E402 - after the SIGINT handler, as above

if TYPE_CHECKING:
    from types import FrameType
    from typing import NoReturn


# Young objects between two runs of Python's cycle collector (700 by default).
COLLECT_EVERY = 100_000


def _open_standard_streams() -> None:
    """A standard descriptor the caller closed (``licenses warn >&-``) is opened
    on /dev/null, as git does (``sanitize_stdfds``): else the next file opened
    (the lock, the store's temporary copy) would take its number, and git, whose
    output goes to descriptor 1, would write into it. Python starts with
    ``sys.stdout`` None then; it gets the null device too, so output goes
    nowhere rather than failing."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    if sys.stdin is None:
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - for the run
    if sys.stdout is None:
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - for the run
    if sys.stderr is None:
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - for the run


def _output_never_fails_on_encoding() -> None:
    """stdout and stderr keep the encoding they were given (a legacy locale's,
    $PYTHONIOENCODING's) but write a character it lacks as an escape rather
    than fail: a store's Chinese material name on an ASCII or Latin-1 stdout
    made `warn` exit 3 "internal error" for a CRITICAL store, and `list` 70.
    The escape is JSON's (``\\u6c27``; a pair for a character beyond U+FFFF):
    the reader can still tell which characters they were, and JSON output,
    where such a character can only stand inside a string, stays valid JSON
    that reads back to the same text (Python's ``\\xe9`` is no JSON)."""
    codecs.register_error(_ESCAPE, _json_escape)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors=_ESCAPE)


_ESCAPE = "licenses-json-escape"  # a codecs error handler's name


def _json_escape(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    said = []
    for char in error.object[error.start : error.end]:
        code = ord(char)
        if code > 0xFFFF:  # noqa: PLR2004 - beyond the BMP: a surrogate pair
            code -= 0x10000
            high, low = 0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)
            said.append(f"\\u{high:04x}\\u{low:04x}")
        else:
            said.append(f"\\u{code:04x}")
    return "".join(said), error.end


def main() -> None:
    _open_standard_streams()
    _output_never_fails_on_encoding()
    # Typer and the program build ~100,000 objects that live to the end of the
    # run; collected every 700 new ones they are searched for cycles again and
    # again. Every 100,000 (cycles are still collected, memory stays bounded):
    # `warn` on 20 licenses 93 ms of CPU, not 101; `due` at a large trader's size
    # 149, not 184 (benchmarks/ledger.py). Set here: importers keep the default.
    gc.set_threshold(COLLECT_EVERY)
    try:
        from export_licenses.cli.app import app  # noqa: PLC0415 - see above

        # Every failure, a reader that went away included, is the group's to
        # word and code (cli/failures.py); it has flushed stdout too.
        code = app(standalone_mode=False)
    except Exception as exc:
        # Ctrl-C's exit raised inside a descriptor's __set_name__ while a module
        # is imported arrives as a RuntimeError caused by it: still 130, quiet.
        from export_licenses.errors import by_ctrl_c  # noqa: PLC0415 - see above

        if not by_ctrl_c(exc):
            raise
        code = INTERRUPTED
    # Python's exit searches every object still alive for reference cycles
    # before freeing it; nothing of a finished run needs that (its files are
    # closed and in place, stdout flushed), and frozen objects are skipped:
    # `warn` on 20 licenses 87 ms of CPU, not 109; `due` at a large trader's
    # size 145, not 167 (benchmarks/ledger.py).
    gc.freeze()
    sys.exit(INTERRUPTED if _interrupted_at_all else code)


if __name__ == "__main__":
    main()
