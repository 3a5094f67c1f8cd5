"""The two consoles (stdout for results, stderr for messages), how this run may
draw, and the level styles. Rich is imported only when something is drawn with it.
"""

import contextlib
import os
import sys
import textwrap
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Final, NamedTuple, Self, TextIO

if TYPE_CHECKING:
    from rich.console import Console

LEVEL_STYLE: Final = {
    "ok": "green",
    "warning": "yellow",
    "critical": "bold red",
    "expired": "bold white on red",
}
# A timeline bar is a run of block characters: a background colour would fill
# the gaps between them, so expired bars are drawn in plain red.
BAR_STYLE: Final = {**LEVEL_STYLE, "expired": "red"}
PROGRESS_FROM: Final = 1000  # rows; below this a bar only flickers
MIN_COLUMNS: Final = 20
MAX_COLUMNS: Final = 1000


class Look(NamedTuple):
    """How this invocation may draw: decided once, from the terminal and env."""

    rich: bool  # the terminal's layout: fitted to its width, a rule, Unicode
    color: bool  # on a terminal, or in a pipe with FORCE_COLOR (plain layout)

    @classmethod
    def for_stream(cls, stream: TextIO, *, no_color: bool) -> Self:
        forced = bool(os.environ.get("FORCE_COLOR"))
        terminal = isatty(stream)
        plain_env = bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"
        # FORCE_COLOR turns colour on in a pipe, and colour only (CONTRACT.md):
        # the layout stays the pipe's, every column whole, as a pager or a
        # script given that environment reads it.
        return cls(
            rich=terminal,
            color=(terminal or forced) and not no_color and not plain_env,
        )


def isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def console(stream: TextIO, look: Look) -> "Console":
    from rich.console import Console  # noqa: PLC0415 - see module docstring (86 M instructions)

    return Console(
        file=stream,
        no_color=not look.color,
        force_terminal=look.rich,
        highlight=False,
        soft_wrap=False,
    )


def terminal_columns(fallback: int) -> int:
    """COLUMNS when it is a sensible width, else ``fallback``, said once on stderr."""
    raw = os.environ.get("COLUMNS")
    if raw is None:
        return fallback
    width = _count(raw)
    if width is not None and MIN_COLUMNS <= width <= MAX_COLUMNS:
        return width
    error_line(
        f"licenses: ignoring COLUMNS={raw!r} (expected {MIN_COLUMNS} to "
        f"{MAX_COLUMNS}); using {fallback} columns"
    )
    return fallback


def _count(raw: str) -> int | None:
    """A count typed in the environment: ASCII digits, at most six of them
    ("²" is a digit to str.isdigit but not to int)."""
    text = raw.strip()
    if text.isascii() and text.isdigit() and len(text) <= 6:  # noqa: PLR2004 - beyond any screen, within int()'s 4,300 digits
        return int(text)
    return None


def screen_size(stream: TextIO) -> tuple[int, int]:
    """The terminal's columns and lines: COLUMNS and LINES when set, else asked
    of the terminal, else 80 by 24."""
    try:
        columns, lines = os.get_terminal_size(stream.fileno())
    except (AttributeError, ValueError, OSError):
        columns, lines = 80, 24
    given = _count(os.environ.get("LINES", ""))
    if given is not None and given > 0:
        lines = given
    return terminal_columns(columns or 80), lines or 24


def unicode_ok() -> bool:
    """Box-drawing and block characters: not on a dumb terminal."""
    return os.environ.get("TERM") != "dumb"


@contextlib.contextmanager
def progress_bar(stream: TextIO, label: str) -> Iterator[Callable[[int, int], None]]:
    """A Rich progress bar on a terminal for long jobs; a no-op elsewhere."""
    if not isatty(stream):
        yield lambda _done, _total: None
        return
    from rich.progress import Progress  # noqa: PLC0415 - long jobs, terminal (122 M instructions)

    with Progress(
        console=console(stream, Look(rich=True, color=True)), transient=True
    ) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            if total >= PROGRESS_FROM and (done % 100 == 0 or done == total):
                bar.update(task, completed=done, total=total)

        yield advance


def error_line(message: str, stream: TextIO | None = None) -> None:
    """One line on stderr, whatever the message holds.

    Line breaks become spaces; any other character that is not printable (a
    carriage return or a Unicode line separator in a value quoted from the
    store) is written as its escape, so the message stays one line.
    """
    (stream or sys.stderr).write(_one_line(message) + "\n")


def _one_line(message: str) -> str:
    text = " ".join(message.split("\n"))
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return text


def said_line(message: str, stream: TextIO | None = None) -> None:
    """A confirmation (add, change, apply, ship) on stderr: one line in a pipe,
    as ``error_line``, for a script to read; on a terminal wrapped at its width
    under itself, as warn wraps its alerts, so the terminal cuts no word."""
    out = stream or sys.stderr
    text = _one_line(message)
    if isatty(out):
        text = "\n".join(wrapped(text, screen_size(out)[0]))
    out.write(text + "\n")


def wrapped(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` columns, cut between words only
    (a word longer than the line stays whole), each line after the first
    indented four more columns than ``indent``: warn's layout on a terminal."""
    return textwrap.wrap(
        text,
        width,
        initial_indent=indent,
        subsequent_indent=indent + "    ",
        break_on_hyphens=False,
        break_long_words=False,
    ) or [indent]
