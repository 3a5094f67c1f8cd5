"""Commands that reach people: notify (through Apprise) and ack (seen)."""

import sys
from typing import Annotated

import typer

from export_licenses.render.console import error_line, isatty, screen_size, wrapped

from .completion import any_keys
from .session import Session, parse_day


def notify(
    ctx: typer.Context,
    heartbeat: Annotated[
        bool,
        typer.Option(
            "--heartbeat",
            help='Also send "all quiet: N licenses watched", at most once a week, '
            "when there is nothing new to say.",
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            "-n",
            help="Print what would be sent; send nothing, remember nothing.",
        ),
    ] = False,
) -> None:
    """Send new and worse alerts to [settings] notify or $LICENSES_NOTIFY.

    Through Apprise: mailto://, slack://, msteams://, ntfy://, json://, and
    about a hundred more. Each alert goes once, again when its level worsens,
    and again at each of [settings] remind_days (30, 7, 1) before its date; an
    ack holds it back. One run at a time: a second waits LICENSES_LOCK_TIMEOUT
    for the first. Exit 75 when a service cannot be reached (its alerts are
    sent on the next run) or the first is still sending, 64 for a URL Apprise
    does not know.
    """
    from export_licenses.service.notify import notify as send

    session = Session.of(ctx)
    outcome = send(session.store, session.today(), heartbeat=heartbeat, dry_run=dry_run)
    if outcome.state_note:
        error_line(f"licenses notify: {outcome.state_note}; read as empty")
    if outcome.git_note:
        error_line(f"licenses notify: {outcome.git_note}")
    if dry_run:
        # one line per alert in a pipe; at a terminal each wrapped under itself
        width = screen_size(sys.stdout)[0] if isatty(sys.stdout) else None
        for message in outcome.messages:
            sys.stdout.write(f"would send to {message.shown}:\n  {message.title}\n")
            for line in message.body.splitlines():
                shown = wrapped(line, width, "  ") if width else [f"  {line}"]
                sys.stdout.writelines(f"{part}\n" for part in shown)
        if not outcome.messages:
            error_line("nothing to send")
        return
    if sys.stderr.isatty():
        for message in outcome.messages:
            count = len(message.alerts)
            what = (
                "heartbeat"
                if message.heartbeat
                else f"{count} alert{'s' * (count != 1)}"
            )
            error_line(f"sent {what} to {message.shown}")


def ack(
    ctx: typer.Context,
    key: Annotated[
        str,
        typer.Argument(
            metavar="ID|A<n>",
            help="A license (id, number, or a part of the number only it has) or "
            "an application (A3); id:A3 or number:A3 says which, when A3 is both.",
            autocompletion=any_keys,
        ),
    ],
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            metavar="YYYY-MM-DD",
            help="Notify again from this day (default: only when the level worsens).",
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Why, for the team: shown by show.")
    ] = None,
) -> None:
    """Mark a license's or application's alerts as seen.

    notify holds them back until --until, or until the level worsens; agenda
    and show say "seen". warn still reports the truth: an ack never lowers
    what a monitor sees. Kept in the store (a commit with git on).
    """
    from export_licenses.service.ack import ack as record

    session = Session.of(ctx)
    day = None if until is None else parse_day("until", until)
    done = record(session.store, key, session.today(), day, note)
    level = done.level.value if done.level else "no level"
    quiet = f"until {done.until}" if done.until else "until the level worsens"
    error_line(f"{done.label} seen at {level}: no notification {quiet}")
