"""Export to JSON, CSV and iCalendar (``intake`` is the import side).

CSV columns are the store's field names, so ``export --format csv`` writes exactly
what ``import`` reads, and export -> import into an empty store gives the same
licenses (with new ids; ``renews``/``superseded_by`` follow them).
"""

from __future__ import annotations

import hashlib
import io
import json
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Final

from export_licenses.domain.agenda_filing import filing_action
from export_licenses.domain.license import LICENSE_KEYS, License
from export_licenses.domain.license_table import license_to_table
from export_licenses.domain.rules import estimate_reason

from . import delimited

if TYPE_CHECKING:
    from collections.abc import Iterable

    from export_licenses.domain.rows import Row
    from export_licenses.domain.settings import Settings

# The CSV columns, in order: every field of a license, shipments as JSON.
CSV_COLUMNS: Final = LICENSE_KEYS
# --- export -----------------------------------------------------------------


def to_json(licenses: Iterable[License]) -> str:
    """Full records: every field (null when empty), the keys written by hand too."""
    return (
        json.dumps([_record(lic) for lic in licenses], indent=2, ensure_ascii=False)
        + "\n"
    )


def _record(lic: License) -> dict[str, Any]:
    table = license_to_table(lic)
    record: dict[str, Any] = {key: _plain(table.get(key)) for key in LICENSE_KEYS}
    record["shipments"] = [_plain(item) for item in table.get("shipments", [])]
    record.update((key, _plain(value)) for key, value in lic.extra.items())
    return record


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def to_csv(licenses: Iterable[License]) -> str:
    """What ``import`` reads: every text cell guarded (``delimited``)."""
    out = io.StringIO()
    delimited.write(out, CSV_COLUMNS, (_csv_row(lic) for lic in licenses))
    return out.getvalue()


def _csv_row(lic: License) -> list[Any]:
    record = _record(lic)
    record["shipments"] = (
        json.dumps(record["shipments"], ensure_ascii=False) if lic.shipments else None
    )
    return [record[key] for key in CSV_COLUMNS]


def to_ics(
    rows: Iterable[Row], today: date, remind_days: int, settings: Settings
) -> str:
    """An all-day event on each active license's expiry, and one on the day to
    file its renewal that ``agenda`` gives (none when the renewal is declined),
    or, for a license drawn to its quantity, on agenda's day to apply for a
    new one."""
    import icalendar  # noqa: PLC0415 - only `export --format ics` needs it (130 M instructions)

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//export-licenses//licenses//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Export licenses")
    stamp = datetime.combine(today, time(0, 0), tzinfo=UTC)
    for row in rows:
        lic, expires = row.license, row.verdict.expires
        if not lic.active:
            continue
        name = f"{lic.label()}: {lic.material} to {lic.destination}"
        events = [("expires", expires, f"Expires: {name}", "last valid day")]
        events += [
            (kind, day, f"{_SUMMARIES[kind]}: {name}{mark}", about)
            for kind, day, mark, about in _filing(row, today, settings)
        ]
        for kind, day, summary, description in events:
            event = icalendar.Event()
            event.add("uid", _uid(lic, kind))
            event.add("dtstamp", stamp)
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            event.add("summary", summary)
            event.add("description", f"{description}; {lic.number or 'no number'}")
            event.add("transp", "TRANSPARENT")
            if remind_days > 0:
                alarm = icalendar.Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", summary)
                alarm.add("trigger", timedelta(days=-remind_days))
                event.add_component(alarm)
            calendar.add_component(event)
    text: str = calendar.to_ical().decode("utf-8")
    return text


# The event of each agenda action a license's filing can be (its UID's kind).
_KINDS: Final = {"file_renewal": "renew-by", "apply": "apply"}
_SUMMARIES: Final = {"renew-by": "File renewal", "apply": "Apply for a new license"}


def _filing(
    row: Row, today: date, settings: Settings
) -> list[tuple[str, date, str, str]]:
    """The agenda's "file renewal" action (domain/agenda_filing.py), so the
    calendar gives the day to act on that agenda and warn give, not only the
    statutory floor months later, or its "apply" for a license drawn to its
    quantity: the event's kind, its day, a summary's estimate mark, and the
    description (the agenda's sentence, which names the statutory last day or
    the day the quantity ran out; what the day rests on; why it is an
    estimate; the expiry)."""
    verdict = row.verdict
    found = []
    for action in filing_action(row, today, settings):
        expires = f"license expires {verdict.expires}"
        if action.code == "apply":  # today: no review time or history in it
            found.append(("apply", action.day, "", f"{action.text}; {expires}"))
            continue
        planned = verdict.renew_by is None or action.day < verdict.renew_by
        rests = (
            f"the history of review times ({verdict.forecast_basis})"
            if planned and verdict.forecast_basis
            else f"{row.review_days} working days of review ({row.review_basis})"
            if row.review_days
            else "the statutory review time"
        )
        guesses = []
        if verdict.estimated:
            guesses.append(estimate_reason(verdict.estimated))
        if (planned and verdict.forecast_estimate) or row.review_estimate:
            guesses.append("estimated: fewer than 5 applications observed that long")
        # Its "; estimated" is said below, with why.
        said = action.text.removesuffix("; estimated")
        about = "; ".join([said, f"rests on {rests}", *guesses, expires])
        mark = " (estimated)" if guesses else ""
        found.append((_KINDS[action.code], action.day, mark, about))
    return found


def _uid(lic: License, kind: str) -> str:
    """Stable across exports: calendars update the event instead of adding one."""
    seed = f"{lic.id}|{lic.issued}|{lic.destination}".encode()
    digest = hashlib.sha256(seed).hexdigest()[:12]
    return f"license-{lic.id}-{kind}-{digest}@export-licenses"
