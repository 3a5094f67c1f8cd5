"""A stopped review clock: the record, its codec, and working days net of stops.

Art. 17 of the Regulations (Order 792): MOFCOM decides within 45 working days of
accepting an application, and the time for appraisal, expert opinions and on-site
checks of the exporter or end user does not count. A hold is such a stop, written
on its application as an inline table:

    holds = [
        { from = 2026-01-12, to = 2026-02-02, reason = "expert review" },
        { from = 2026-03-02, reason = "on-site check" },
    ]

``from`` is the first day the clock stood still; ``to`` the day it ran again
(that day counts), absent while it still stands. Holds are in order, do not
overlap, and only the last may be open. Keys the tool does not know are kept.

(Not ``from __future__ import annotations``: the cache decodes records by their
annotations at run time, as in ``application``.)

The domain side of ``service/holds.py``: here the record and the working days
net of stops; the service writes a hold or a resume to the store (the commands
are in ``cli/clock.py``).
"""

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from export_licenses.errors import InvalidValue

from . import values as v
from .key_names import unknown_keys
from .value_codecs import Codec

if TYPE_CHECKING:
    from .workdays import WorkingDays


class Hold(NamedTuple):
    stopped: date  # "from": the first day not counted
    resumed: date | None = None  # "to": the day the clock ran again; None: open
    reason: str | None = None
    extra: Mapping[str, Any] = {}

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.stopped.isoformat(),
            "to": None if self.resumed is None else self.resumed.isoformat(),
            "reason": self.reason,
        }


HOLD_KEYS: Final = ("from", "to", "reason")


def hold_text(hold: Mapping[str, Any]) -> str:
    """A hold's JSON object in a cell of a sheet or a CSV file:
    "2026-01-12 to 2026-02-02: expert review"."""
    until = hold.get("to") or "now"
    reason = hold.get("reason")
    return f"{hold.get('from')} to {until}" + (f": {reason}" if reason else "")


_DAY: Final = timedelta(days=1)
_EXAMPLE: Final = '{ from = 2026-01-12, to = 2026-02-02, reason = "expert review" }'


def _holds(_: str, value: Any) -> tuple[Hold, ...]:
    if not isinstance(value, list | tuple):
        raise InvalidValue("holds", f"expected a list of tables such as [{_EXAMPLE}]")
    if all(isinstance(item, Hold) for item in value):
        return tuple(value)  # built in code from checked values
    holds = []
    for n, item in enumerate(value, start=1):
        name = f"holds #{n}"
        if not isinstance(item, Mapping):
            raise InvalidValue(name, f"expected a table such as {_EXAMPLE}")
        extra = unknown_keys(item, HOLD_KEYS, f"{name} ")
        if "from" not in item:
            raise InvalidValue(f"{name} from", "is missing")
        stopped = v.check_date(f"{name} from", item["from"])
        resumed = item.get("to")
        if resumed is not None:
            resumed = v.check_date(f"{name} to", resumed)
            if resumed < stopped:
                raise InvalidValue(
                    f"{name} to",
                    f"{resumed} is before from ({stopped}): the clock runs again "
                    "after it stopped",
                )
        reason = item.get("reason")
        holds.append(
            Hold(
                stopped,
                resumed,
                None if reason is None else v.check_text(f"{name} reason", reason),
                extra,
            )
        )
    _check_order(holds)
    return tuple(holds)


def _check_order(holds: Sequence[Hold]) -> None:
    for n, (before, after) in enumerate(pairwise(holds), start=2):
        if before.resumed is None:
            raise InvalidValue(
                f"holds #{n - 1} to",
                "is missing, but a later hold follows: only the last may be open",
            )
        if after.stopped < before.resumed:
            raise InvalidValue(
                f"holds #{n} from",
                f"{after.stopped} is before the clock ran again ({before.resumed}): "
                "holds are in order and do not overlap",
            )


def _hold_table(hold: Hold) -> dict[str, Any]:
    table: dict[str, Any] = {"from": hold.stopped}
    if hold.resumed is not None:
        table["to"] = hold.resumed
    if hold.reason is not None:
        table["reason"] = hold.reason
    return table | dict(hold.extra)


def _holds_toml(holds: "tuple[Hold, ...]") -> list[dict[str, Any]] | None:
    return [_hold_table(h) for h in holds] or None


HOLDS: Final = Codec(_holds, _holds, _holds_toml)


def close_open(holds: tuple[Hold, ...], day: date) -> tuple[Hold, ...]:
    """``holds`` with an open stop ended on ``day``: a decision ends the review,
    so the clock ran until then."""
    last = open_hold(holds)
    if last is None:
        return holds
    return (*holds[:-1], last._replace(resumed=max(day, last.stopped)))


def open_hold(holds: Sequence[Hold]) -> Hold | None:
    """The stop the clock still stands in, if any (only the last can be open)."""
    return holds[-1] if holds and holds[-1].resumed is None else None


def stopped_days(
    holds: Sequence[Hold], start: date, end: date, calendar: "WorkingDays"
) -> int:
    """Working days after ``start`` up to and including ``end`` that fall in a
    stop (an open one runs to ``end``)."""
    total = 0
    for hold in holds:
        first = max(start, hold.stopped - _DAY)  # count after the day before from
        last = end if hold.resumed is None else min(end, hold.resumed - _DAY)
        total += calendar.working_days_between(first, last)
    return total


def net_working_days(
    holds: Sequence[Hold], start: date, end: date, calendar: "WorkingDays"
) -> int:
    """The review clock's working days from ``start`` to ``end``, stops left out."""
    return calendar.working_days_between(start, end) - stopped_days(
        holds, start, end, calendar
    )


def due_with_holds(
    holds: Sequence[Hold], start: date, days: int, calendar: "WorkingDays"
) -> date | None:
    """The ``days``-th counted working day after ``start``, the stops left out;
    None while the clock stands (an open hold): nobody knows when it runs again."""
    if open_hold(holds) is not None:
        return None
    cursor, left = start, days
    for hold in holds:
        due = calendar.get_nth_working_day(cursor, left)
        if hold.stopped > due:
            return due
        # Working days counted before the stop, then on from the day it ran again.
        before = hold.stopped - _DAY
        left -= calendar.working_days_between(cursor, before)
        cursor = max(cursor, (hold.resumed or before) - _DAY)
    return calendar.get_nth_working_day(cursor, left)
