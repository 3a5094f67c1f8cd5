"""warn: the check for cron and monitoring, with its own output formats.

In a module of its own: a monitor runs it every few minutes, and its start-up
imports only what the check reads and writes (``app.MonitorCommand`` shows its
errors in the format asked for).
"""

import enum
import sys
from typing import Annotated

import typer

from export_licenses.render import lines
from export_licenses.service import reports as service_reports

from .options import days_option
from .session import RunState, Session


class WarnFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    NAGIOS = "nagios"
    PROMETHEUS = "prometheus"


def _monitor_format(ctx: typer.Context, value: WarnFormat | None) -> WarnFormat | None:
    """warn's errors, too, are shown in its --format: recorded as soon as it is
    parsed (an eager option), before any other option can fail."""
    if value is not None:
        ctx.ensure_object(RunState).monitor_format = value.value
    return value


def _monitor_quiet(ctx: typer.Context, value: bool) -> bool:
    """--quiet holds for an UNKNOWN too: recorded before any other option can
    fail, as the format is."""
    ctx.ensure_object(RunState).monitor_quiet = value
    return value


def warn(
    ctx: typer.Context,
    within: Annotated[
        int | None,
        days_option(
            "--within",
            "-w",
            text="WARNING at this many days left or fewer (default: warn_days).",
        ),
    ] = None,
    critical: Annotated[
        int | None,
        days_option(
            "--critical",
            "-c",
            text="CRITICAL at this many days left or fewer (default: critical_days).",
        ),
    ] = None,
    fmt: Annotated[
        WarnFormat,
        typer.Option(
            "--format",
            "-f",
            help="text lines, one JSON object, one Nagios plugin status line, or "
            "Prometheus metrics (node_exporter's textfile collector).",
            is_eager=True,
            callback=_monitor_format,
        ),
    ] = WarnFormat.TEXT,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="Print nothing on stdout, in any state; the exit code says it all.",
            is_eager=True,
            callback=_monitor_quiet,
        ),
    ] = False,
) -> None:
    """The check for cron and monitoring: silent and exit 0 when all is well.

    Exit 1 WARNING, 2 CRITICAL (critical or expired; or a control in force, or
    whose suspension ended, for what you ship, and no license or application),
    3 UNKNOWN (the check itself failed, or a merge of the store is not settled
    and nothing critical is seen on our side). One plain line per flagged
    license or alert, worst first.
    """
    session = Session.of(ctx)
    report = service_reports.warn(
        session.store,
        session.today(),
        within,
        critical,
        # The text, Nagios and Prometheus outputs name no expected decision.
        forecast_applications=fmt is WarnFormat.JSON and not quiet,
    )
    # Decided before a line is written: a reader that goes away while it is
    # (`licenses warn | true`) leaves a monitor the state, never OK.
    ctx.ensure_object(RunState).outcome = report.exit_code
    if report.unsettled is not None:  # for a person, as a failure's reason is
        from export_licenses.storage.store_read import say

        say(report.unsettled)
    if quiet:
        pass
    elif fmt is WarnFormat.NAGIOS:
        sys.stdout.write(lines.nagios_line(report) + "\n")
    elif fmt is WarnFormat.JSON:
        from export_licenses.render.formats import warn_json  # json: this path only

        sys.stdout.write(warn_json(report))
    elif fmt is WarnFormat.PROMETHEUS:
        import time  # the check's own time, for the metric

        from export_licenses.render.metrics import metrics

        sys.stdout.write(metrics(report, time.time()))
    else:
        from export_licenses.render.console import isatty, screen_size

        # A person at a terminal: each alert wrapped under itself; a pipe
        # (cron, Nagios): one line per alert, whatever its length.
        width = screen_size(sys.stdout)[0] if isatty(sys.stdout) else None
        sys.stdout.write(lines.warn_text(report, width))
    raise typer.Exit(report.exit_code)
