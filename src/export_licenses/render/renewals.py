"""The renewal pipeline's figures on screen: lead times (stats) and coverage.

The render side of ``cli/renewals.py``: here the stats and the coverage are
drawn; the commands parse, the service (``insight``, ``supply``) computes. The
applications' table is ``applications.py`` (``due`` and ``show`` draw it too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, TextIO

from export_licenses.domain.forecast import percent
from export_licenses.domain.values import DEFAULT_AUTHORITY

from .console import unicode_ok
from .tables import ESTIMATE, grid, legend

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .console import Look

STATS_COLUMNS: Final = (
    "Material",
    "Dest",
    "Decided",
    "Pending",
    "Granted",
    "Refused",
    "Median",
    "P90",
    "Before",
    "Granted %",
    "Term",
)
FOOTER_WIDTH: Final = 80  # the narrowest terminal a table is laid out for
STATS_DROP: Final = ("Term", "Granted", "Refused", "Before", "Granted %", "Dest")


def stats_table(rows: Sequence[dict[str, Any]], stream: TextIO, look: Look) -> None:
    """Review times in working days from the survival curve ("over N" when more
    than half, or a tenth, still wait after the longest wait seen); "Before" is
    the median of the window before; "Term" the median term granted, in months.
    With another authority than MOFCOM, an "Authority" column first (each is
    counted apart, on its own clock: issue 23)."""
    names = list(dict.fromkeys(row.get("authority") or "MOFCOM" for row in rows))
    several = names != ["MOFCOM"]
    body = [
        [
            *([row.get("authority") or "MOFCOM"] if several else []),
            row["material"] or "all",
            row["destination"] or "all",
            *(
                _number(row[key])
                for key in ("decided", "pending", "granted", "refused")
            ),
            _time(row["median_working_days"], row),
            _time(row["p90_working_days"], row),
            _number(row["median_working_days_previous"]),
            "-" if row["grant_rate"] is None else f"{round(row['grant_rate'] * 100)}",
            _number(row["median_term_months"]),
        ]
        for row in rows
    ]
    columns = ("Authority", *STATS_COLUMNS) if several else STATS_COLUMNS
    grid(columns, body, [None] * len(body), stream, look, drop=STATS_DROP)
    if rows:
        stream.write(_stats_footer(rows))


def _stats_footer(rows: Sequence[dict[str, Any]]) -> str:
    """What the figures count, in lines that fit 80 columns ("a footer never
    wraps", issue 24): the window, then the unit, with the authorities that
    count calendar days on a line of their own when they would not fit."""
    calendar_days = sorted(
        {r["authority"] for r in rows if r.get("review_unit") == "calendar"}
    )
    unit = "Working days from acceptance (or filing) to the decision"
    footer = [f"Applications filed from {rows[-1]['window_start']}.", unit + "."]
    if calendar_days:
        counted = f"{', '.join(calendar_days)}: calendar days."
        together = f"{unit}; {counted}"
        fits = len(together) <= FOOTER_WIDTH
        footer[1:] = [together] if fits else [unit + ".", counted]
    return "".join(line + "\n" for line in footer)


def _time(days: int | None, row: dict[str, Any]) -> str:
    """A review time, or what the curve says when it has not fallen that far."""
    if days is not None:
        return str(days)
    longest = row["longest_wait_working_days"]
    return "-" if longest is None else f"over {longest}"


COVERAGE_COLUMNS: Final = (
    "Material",
    "Dest",
    "End user",
    "Licenses",
    "Apps",
    "Covered until",
    "Next",
    "By",
    "Gap",
    "Past gaps",
    "Level",
)
# Left out first to last when a terminal is narrow: the history, the records,
# then the columns that tell no two rows apart (_who), the chance, the cover's
# end, the gap and the action's day; then the columns that tell rows apart, so
# that no two rows print the same text (issue 24 §3); what to do ("Next",
# shortened by words) stays longest.
COVERAGE_DROP: Final = (
    "Past gaps",
    "Apps",
    "Licenses",
    "No gap",
    "Covered until",
    "Gap",
    "By",
    "Next",
)
# The columns that say whose a row is, besides the material.
_WHO: Final = ("Authority", "Dest", "End user")


def coverage_table(rows: Sequence[dict[str, Any]], stream: TextIO, look: Look) -> None:
    """Gaps are in days: projected, and in the past 365 days. "No gap" (once a
    row has it) is the chance a new license is in hand before the cover ends.
    With another authority than MOFCOM, an "Authority" column first: each
    authority's licenses cover apart (issue 23)."""
    with_chance = any(row["p_no_gap"] is not None for row in rows)
    several = {row.get("authority") or DEFAULT_AUTHORITY for row in rows} != {
        DEFAULT_AUTHORITY
    }
    body = [
        [
            *([row.get("authority") or DEFAULT_AUTHORITY] if several else []),
            row["material"],
            row["destination"],
            row["end_user"] or "-",
            " ".join(map(str, row["licenses"])) or "-",
            " ".join(row["applications"]) or "-",
            covered(row),
            row["next_action"] or "-",
            (row["next_action_date"] or "-")
            + (ESTIMATE if row["next_action_estimate"] else ""),
            _number(row["projected_gap_days"]),
            _number(row["gap_days_last_year"]),
            row["level"] or "-",
            *([_percent(row["p_no_gap"])] if with_chance else []),
        ]
        for row in rows
    ]
    levels = [row["level"] for row in rows]
    first = ["Authority"] if several else []
    headers = [*first, *COVERAGE_COLUMNS, *(["No gap"] if with_chance else [])]
    spare, needed = _who(headers, body)
    drop = [*COVERAGE_DROP[:3], *spare, *COVERAGE_DROP[3:-1], *needed]
    grid(
        headers,
        body,
        levels,
        stream,
        look,
        level_column=headers.index("Level"),
        drop=[*drop, COVERAGE_DROP[-1]],
        notes=legend(body),
    )


def _who(
    headers: Sequence[str], body: Sequence[Sequence[str]]
) -> tuple[list[str], list[str]]:
    """The columns of ``_WHO`` that tell no two rows apart once the others
    are left out (hidden early), and those that do (hidden late): two rows for
    two end users of one license read the same without "End user"."""
    kept = [at for at, name in enumerate(headers) if name in {"Material", *_WHO}]
    spare: list[str] = []
    for name in _WHO:
        if name not in headers:
            continue
        without = [at for at in kept if at != headers.index(name)]
        if len({tuple(row[at] for at in without) for row in body}) == len(
            {tuple(row[at] for at in kept) for row in body}
        ):
            spare.append(name)
            kept = without
    return spare, [n for n in _WHO if n in headers and n not in spare]


def covered(row: dict[str, Any]) -> str:
    """The last day covered; "suspended" when the row's licenses cover nothing
    today (each suspended for a pending change, Order 792 art. 18: its
    reasons say why), "-" when it has none."""
    if row["covered_until"]:
        return str(row["covered_until"])
    return "suspended" if row["licenses"] else "-"


def _percent(chance: float | None) -> str:
    return "-" if chance is None else percent(chance)


def bounded_gaps(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` with a projected gap that is only a lower bound said so, as
    narrow as the column allows: "≥12", or "unknown" for at least 0 (the
    history cannot say when half of such applications are decided, and one
    may come any day)."""
    at_least = "≥" if unicode_ok() else ">="
    return [
        row | {"projected_gap_days": gap_bound(row["projected_gap_days"], at_least)}
        if row.get("projected_gap_bound") and row["projected_gap_days"] is not None
        else row
        for row in rows
    ]


def gap_bound(days: int, at_least: str = "at least ") -> str:
    """A projected gap of at least ``days`` days."""
    return f"{at_least}{days}" if days else "unknown"


def _number(value: Any) -> str:
    return "-" if value is None else str(value)
