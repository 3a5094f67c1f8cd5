"""How results look: Rich tables on a terminal, plain aligned text in a pipe,
JSON/CSV/TSV for scripts, and the plain lines of ``warn``.

Rich is imported only when a Rich table or panel is actually drawn: a pipe or a
script never pays for it.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TextIO

from .rules import Level, Verdict

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from datetime import date
    from decimal import Decimal

    from rich.console import Console

    from .model import License
    from .service import Row, WarnReport

LEVEL_STYLE: Final = {
    "ok": "green",
    "warning": "yellow",
    "critical": "bold red",
    "expired": "bold white on red",
}
COLUMNS: Final = (
    "ID",
    "Number",
    "Material",
    "Dest",
    "Issued",
    "Expires",
    "Renew by",
    "Left",
    "Level",
)
_LEVEL_COLUMN: Final = COLUMNS.index("Level")
_RIGHT: Final = frozenset({"ID", "Left"})
PROGRESS_FROM: Final = 1000  # rows; below this a bar only flickers
MIN_COLUMNS: Final = 20
MAX_COLUMNS: Final = 1000
_FOLDING: Final = frozenset({"Number", "Material"})


class Look(NamedTuple):
    """How this invocation may draw: decided once, from the terminal and env."""

    rich: bool  # a Rich table (terminal, or FORCE_COLOR in a pipe)
    color: bool

    @classmethod
    def for_stream(cls, stream: TextIO, *, no_color: bool) -> Look:
        forced = bool(os.environ.get("FORCE_COLOR"))
        terminal = _isatty(stream)
        plain_env = bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"
        return cls(
            rich=terminal or forced,
            color=(terminal or forced) and not no_color and not plain_env,
        )


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def console(stream: TextIO, look: Look) -> Console:
    from rich.console import Console  # noqa: PLC0415 - see module docstring

    return Console(
        file=stream,
        no_color=not look.color,
        force_terminal=look.rich,
        highlight=False,
        soft_wrap=False,
    )


# --- cells -----------------------------------------------------------------


def _cells(row: Row, with_status: bool) -> list[str]:
    lic, verdict = row.license, row.verdict
    cells = [
        str(lic.id),
        lic.number or "-",
        lic.material,
        lic.destination,
        lic.issued.isoformat(),
        verdict.expires.isoformat(),
        verdict.renew_by.isoformat() if verdict.renew_by else "-",
        str(verdict.days_left),
        verdict.level or "-",  # a Level is a str: its value
    ]
    if with_status:
        cells.append(lic.status)
    return cells


def _headers(rows: Sequence[Row]) -> tuple[list[str], bool]:
    with_status = any(not row.license.active for row in rows)
    return [*COLUMNS, *(["Status"] if with_status else [])], with_status


def table(rows: Sequence[Row], stream: TextIO, look: Look) -> None:
    headers, with_status = _headers(rows)
    body = [_cells(row, with_status) for row in rows]
    if not look.rich:
        stream.write(plain_table(headers, body))
        return
    from rich import box  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    grid = Table(
        header_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    for name in headers:
        # Dates, codes and numbers never wrap; the free text folds instead.
        grid.add_column(
            name,
            justify="right" if name in _RIGHT else "left",
            no_wrap=name not in _FOLDING,
            overflow="fold",
        )
    for row, cells in zip(rows, body, strict=True):
        level = row.verdict.level
        style = LEVEL_STYLE.get(level.value, "") if level else "dim"
        shown = [_escape(cell) for cell in cells]
        shown[_LEVEL_COLUMN] = f"[{style}]{shown[_LEVEL_COLUMN]}[/]"
        grid.add_row(*shown)
    console(stream, look).print(grid)


def _escape(text: str) -> str:
    from rich.markup import escape  # noqa: PLC0415

    return escape(text)


def plain_table(headers: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    """Columns aligned with spaces: no box drawing, no escape codes."""
    rows = [list(headers), *body]
    widths = [max(map(len, column)) for column in zip(*rows, strict=True)]
    line = "  ".join(
        f"{{:{'>' if name in _RIGHT else '<'}{width}}}"
        for name, width in zip(headers, widths, strict=True)
    )
    return "".join(line.format(*cells).rstrip() + "\n" for cells in rows)


# --- data formats ----------------------------------------------------------


def data(rows: Sequence[Row], fmt: str) -> str:
    import json  # noqa: PLC0415 - the data formats import their writers when used

    objects = [row.as_json() for row in rows]
    if fmt == "json":
        return json.dumps(objects, indent=2, ensure_ascii=False) + "\n"
    return delimited(objects, "\t" if fmt == "tsv" else ",")


def delimited(objects: Sequence[dict[str, Any]], delimiter: str) -> str:
    import csv  # noqa: PLC0415

    from .service import ROW_KEYS  # noqa: PLC0415 - only data formats need it

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(ROW_KEYS)
    for obj in objects:
        writer.writerow([_cell(obj[k]) for k in ROW_KEYS])
    return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return value


# --- warn ------------------------------------------------------------------


def when(verdict: Verdict) -> str:
    """The expiry in words: 'expires 2026-05-03 (108 days left)' and its variants."""
    days = verdict.days_left
    if days < 0:
        return f"expired {verdict.expires} ({-days} day{'s' * (days != -1)} ago)"
    if days == 0:
        return f"expires {verdict.expires} (today is its last valid day)"
    return f"expires {verdict.expires} ({days} day{'s' * (days != 1)} left)"


def warn_line(row: Row) -> str:
    lic = row.license
    level = (row.verdict.level or Level.OK).value.upper()
    number = lic.number or "(no number)"
    more = "".join(f"; {reason}" for reason in row.verdict.reasons[1:])
    return (
        f"{level}: license {lic.id} {number}, {lic.material} to {lic.destination}, "
        f"{when(row.verdict)}{more}"
    )


def warn_json(report: WarnReport) -> str:
    import json  # noqa: PLC0415

    return (
        json.dumps(
            {"state": report.state, "licenses": [r.as_json() for r in report.rows]},
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


def timeline(
    rows: Sequence[Row], today: date, months: int, stream: TextIO, look: Look
) -> None:
    """Unicode and colour on a terminal; ASCII, no escape codes, in a pipe."""
    import shutil  # noqa: PLC0415

    from .timeline import Glyphs, picture  # noqa: PLC0415

    unicode = look.rich and os.environ.get("TERM") != "dumb"
    width = shutil.get_terminal_size((80, 24)).columns if look.rich else 80
    width = terminal_columns(width)
    lines = picture(rows, today, months, width, Glyphs.for_terminal(unicode))
    if not look.rich:
        stream.writelines(
            "".join(text for text, _ in line).rstrip() + "\n" for line in lines
        )
        return
    from rich.text import Text  # noqa: PLC0415

    out = console(stream, look)
    for line in lines:
        out.print(Text.assemble(*line), no_wrap=True, overflow="crop")


def terminal_columns(fallback: int) -> int:
    """COLUMNS when it is a sensible width, else ``fallback``, said once on stderr."""
    raw = os.environ.get("COLUMNS")
    if raw is None:
        return fallback
    if raw.strip().isdigit() and MIN_COLUMNS <= int(raw) <= MAX_COLUMNS:
        return int(raw)
    error_line(
        f"licenses: ignoring COLUMNS={raw!r} (expected {MIN_COLUMNS} to "
        f"{MAX_COLUMNS}); using {fallback} columns"
    )
    return fallback


def nagios_line(report: WarnReport) -> str:
    """One status line as the monitoring-plugin guidelines define it."""
    counts = {"expired": 0, "critical": 0, "warning": 0, "ok": report.ok_count}
    for row in report.rows:
        if row.verdict.level is not None:
            counts[row.verdict.level.value] += 1
    flagged = [
        f"{counts[name]} {name}"
        for name in ("expired", "critical", "warning")
        if counts[name]
    ]
    summary = (
        ", ".join(flagged) or f"{counts['ok']} license{'s' * (counts['ok'] != 1)} ok"
    )
    perfdata = " ".join(f"{name}={count}" for name, count in counts.items())
    return f"LICENSES {report.state} - {summary} | {perfdata}"


# --- show ------------------------------------------------------------------


def json_detail(row: Row) -> str:
    """The JSON row plus every key a person added by hand."""
    import json  # noqa: PLC0415

    obj = row.as_json()
    obj.update((k, v) for k, v in row.license.extra.items() if k not in obj)
    return json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n"


def detail_pairs(row: Row) -> list[tuple[str, str]]:
    lic, verdict = row.license, row.verdict
    if lic.expires is not None:
        term = "explicit expiry"
    elif lic.term_months is not None:
        term = f"{lic.term_months} months"
    else:
        term = f"{row.term_months} months (the store's default term)"
    pairs = [
        ("ID", str(lic.id)),
        ("Number", lic.number or "-"),
        ("Material", lic.material),
        ("Destination", _country(lic.destination)),
        ("Issued", lic.issued.isoformat()),
        ("Term", term),
        ("Expires", f"{verdict.expires} (last valid day)"),
        ("Renew by", _renew_by(row)),
        ("Days left", str(verdict.days_left)),
        ("Level", verdict.level.value if verdict.level else "- (not active)"),
        ("Why", "\n".join(verdict.reasons) or "-"),
        ("Status", lic.status),
        ("Kind", lic.kind or "-"),
        ("Exporter", lic.exporter or "-"),
        ("End user", lic.end_user or "-"),
        ("HS code", lic.hs_code or "-"),
        ("Quantity", _quantity(lic.quantity, lic.unit)),
        ("Shipped", _shipped(lic)),
        ("Renews", f"license {lic.renews}" if lic.renews else "-"),
        ("Superseded by", f"license {lic.superseded_by}" if lic.superseded_by else "-"),
        ("Closed", _closed(lic)),
        ("Notes", lic.notes or "-"),
    ]
    pairs.extend((key, _toml_value(value)) for key, value in lic.extra.items())
    return pairs


def _renew_by(row: Row) -> str:
    lic, deadline = row.license, row.verdict.renew_by
    if deadline is None:
        return "-"
    if lic.status == "renewal-filed":
        return f"{deadline} (renewal filed on {lic.renewal_filed or '?'})"
    return f"{deadline} (last day to file the renewal)"


def _quantity(amount: Decimal | None, unit: str | None) -> str:
    if amount is None:
        return "-"
    return f"{amount.normalize():f}" + (f" {unit}" if unit else "")


def _shipped(lic: License) -> str:
    if not lic.shipments:
        return "-"
    lines = [f"{_quantity(lic.shipped, lic.unit)} in {len(lic.shipments)} shipment(s)"]
    lines.extend(
        f"  {s.on}  {_quantity(s.quantity, lic.unit)}"
        + (f"  {s.note}" if s.note else "")
        for s in lic.shipments
    )
    return "\n".join(lines)


def _closed(lic: License) -> str:
    if lic.closed is None:
        return "-"
    return f"{lic.closed}" + (f" ({lic.close_reason})" if lic.close_reason else "")


def _country(code: str) -> str:
    import pycountry  # noqa: PLC0415 - only `show` prints the name

    country = pycountry.countries.get(alpha_2=code)
    return f"{code} ({country.name})" if country else code


def _toml_value(value: Any) -> str:
    import json  # noqa: PLC0415

    return value if isinstance(value, str) else json.dumps(value, default=str)


def details(
    pairs: Sequence[tuple[str, str]], level: str | None, stream: TextIO, look: Look
) -> None:
    width = max(len(key) for key, _ in pairs)
    if not look.rich:
        for key, value in pairs:
            lines = value.splitlines() or [""]
            stream.write(f"{key + ':':<{width + 1}} {lines[0]}\n")
            stream.writelines(f"{'':<{width + 1}} {more}\n" for more in lines[1:])
        return
    from rich.table import Table  # noqa: PLC0415

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for key, value in pairs:
        shown = _escape(value)
        if key == "Level" and level:
            shown = f"[{LEVEL_STYLE[level]}]{shown}[/]"
        grid.add_row(key, shown)
    console(stream, look).print(grid)


@contextlib.contextmanager
def progress_bar(stream: TextIO, label: str) -> Iterator[Callable[[int, int], None]]:
    """A Rich progress bar on a terminal for long jobs; a no-op elsewhere."""
    if not _isatty(stream):
        yield lambda _done, _total: None
        return
    from rich.progress import Progress  # noqa: PLC0415

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
    text = " ".join(message.split("\n"))
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    (stream or sys.stderr).write(text + "\n")
