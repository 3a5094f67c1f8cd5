"""Long output on a terminal goes through a pager, the way git does it.

The pager is $LICENSES_PAGER, else $PAGER, else ``less`` with LESS=FRX (quit
when the text fits one screen, keep colours, leave the text on screen). An
empty value or ``cat`` means none. Nothing is paged when stdout is not a
terminal, with --no-pager, or when the output fits the screen.
"""

import contextlib
import io
import os
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import TextIO

from export_licenses.render.console import isatty, screen_size


class _Screenful(io.StringIO):
    """Holds a command's output; to the renderers it is the terminal it will
    reach (isatty, its size), so they draw for that terminal."""

    def __init__(self, terminal_fd: int) -> None:
        super().__init__()
        self._fd = terminal_fd

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd


def pager_command() -> list[str] | None:
    """The pager to run, as arguments; None for no pager."""
    for name in ("LICENSES_PAGER", "PAGER"):
        value = os.environ.get(name)
        if value is not None:
            try:
                words = shlex.split(value)
            except ValueError:
                return None  # an unbalanced quote: no pager rather than an error
            return None if not words or words == ["cat"] else words
    return ["less"] if shutil.which("less") else None


@contextlib.contextmanager
def paging(enabled: bool) -> Iterator[None]:
    """Within, sys.stdout collects the output; after, it goes to the pager when
    it is longer than the screen, else straight to the terminal."""
    terminal = sys.stdout
    command = pager_command() if enabled and isatty(terminal) else None
    if command is None:
        yield
        return
    held = _Screenful(terminal.fileno())
    sys.stdout = held
    try:
        yield
    finally:
        sys.stdout = terminal
        text = held.getvalue()
        if text.count("\n") < screen_size(terminal)[1]:
            terminal.write(text)
        else:
            terminal.flush()
            _page(command, text, terminal)


def _page(command: list[str], text: str, terminal: TextIO) -> None:
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX"), "LV": "-c"}
    try:
        pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    except OSError:
        terminal.write(text)  # no such pager: the text as it is, as git does
        return
    # Ctrl-C belongs to the pager while it runs (less uses it to stop a search).
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        # A pager that quits before the end closes its input: communicate takes
        # that as the end of the text, not as an error.
        pager.communicate(text.encode(terminal.encoding or "utf-8", "replace"))
    finally:
        signal.signal(signal.SIGINT, previous)
