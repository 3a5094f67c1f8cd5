"""Data for scripts: rows as JSON, CSV and TSV, and warn's JSON document.
(Lines of words, warn's among them, are ``lines``: a run that prints no data
loads neither ``json`` nor ``csv``.)"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any, TextIO

from export_licenses.domain.holds import hold_text
from export_licenses.domain.rows import ROW_KEYS
from export_licenses.interchange.delimited import write as write_delimited

from .lines import as_of_day

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from export_licenses.domain.rows import AppRow, Row
    from export_licenses.service.reports import WarnReport


def data(rows: Sequence[Row | AppRow], fmt: str, keys: Sequence[str] = ROW_KEYS) -> str:
    """Rows as JSON, CSV or TSV; ``keys`` are the CSV columns."""
    out = io.StringIO()
    write_data(rows, fmt, out, keys)
    return out.getvalue()


def write_data(
    rows: Iterable[Row | AppRow],
    fmt: str,
    stream: TextIO,
    keys: Sequence[str] = ROW_KEYS,
) -> None:
    """``data``, written one row at a time: only one row's object is ever held.
    The JSON is byte for byte what ``json.dumps(list, indent=2)`` would give."""
    objects = (row.as_json() for row in rows)
    if fmt != "json":
        _write_delimited(objects, "\t" if fmt == "tsv" else ",", keys, stream)
        return
    import msgspec  # noqa: PLC0415 - only the JSON format needs it (30 M instructions)

    encode = msgspec.json.Encoder().encode
    first = True
    for obj in objects:
        # The object indented as an item of the list: "[\n  {...},\n  {...}\n]"
        # (a newline in the text of a value is written as \n, never as itself).
        item = msgspec.json.format(encode(obj), indent=2).decode()
        stream.write(("[\n  " if first else ",\n  ") + item.replace("\n", "\n  "))
        first = False
    stream.write("[]\n" if first else "\n]\n")


def objects_as(objects: Sequence[dict[str, Any]], fmt: str, keys: Sequence[str]) -> str:
    if fmt == "json":
        return json.dumps(objects, indent=2, ensure_ascii=False) + "\n"
    return delimited(objects, "\t" if fmt == "tsv" else ",", keys)


def delimited(
    objects: Iterable[dict[str, Any]], delimiter: str, keys: Sequence[str] = ROW_KEYS
) -> str:
    out = io.StringIO()
    _write_delimited(objects, delimiter, keys, out)
    return out.getvalue()


def _write_delimited(
    objects: Iterable[dict[str, Any]],
    delimiter: str,
    keys: Sequence[str],
    stream: TextIO,
) -> None:
    """CSV or TSV through the one writer, which guards every text cell."""
    rows = ([_held(obj[key]) for key in keys] for obj in objects)
    write_delimited(stream, keys, rows, delimiter=delimiter)


def _held(value: Any) -> Any:
    """A list of holds ({from, to, reason}) as their words; the rest as it is."""
    if isinstance(value, list):
        return [hold_text(item) if isinstance(item, dict) else item for item in value]
    return value


def warn_json(report: WarnReport) -> str:
    unsettled = report.unsettled
    return (
        json.dumps(
            {
                "state": report.state,
                # An unsettled merge's UNKNOWN says why, as a failed check does.
                **(
                    {"error": unsettled.said()}
                    if unsettled and report.state == "UNKNOWN"
                    else {}
                ),
                # The day checked: a pinned or wrong one shows (audit s10, 2).
                "today": report.today.isoformat() if report.today else None,
                "licenses": [r.as_json() for r in report.rows],
                "applications": [a.as_json() for a in report.applications],
                # issue 23: the catalogue's controls changing state near today
                "controls": [alert.as_json() for alert in report.policy],
                "catalogue_as_of": (
                    as_of_day() if report.policy or report.uncovered else None
                ),
                # issue 23: shipped under a control in force, no license: critical
                "uncovered": [alert.as_json() for alert in report.uncovered],
                # What a merge left to settle ([] when none): see "error".
                "merge_conflicts": list(unsettled.changes) if unsettled else [],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
