"""warn's state in the Prometheus text format, for node_exporter's textfile
collector: one gauge per license and level, HELP and TYPE before each family.
Times are Unix timestamps in seconds (``*_timestamp_seconds``), as Prometheus's
naming conventions ask and ``promtool check metrics`` checks: an alert computes
what is left with ``- time()``.

https://prometheus.io/docs/instrumenting/exposition_formats/
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Final

from export_licenses.domain.license import Status

if TYPE_CHECKING:
    from collections.abc import Iterable

    from export_licenses.domain.rows import Row
    from export_licenses.service.reports import WarnReport

_EPOCH: Final = date(1970, 1, 1).toordinal()
STATUS_HELP: Final = (
    "The check's state, as warn's exit code: 0 OK, 1 WARNING, 2 CRITICAL, "
    "3 UNKNOWN (the store could not be read, or a merge of it is not settled)."
)
_FAMILIES: Final = (
    (
        "licenses_expiry_timestamp_seconds",
        (
            "When the license stops being valid, as a Unix time: 00:00 UTC after its "
            "last valid day."
        ),
    ),
    ("licenses_level", "The license's level: 0 ok, 1 warning, 2 critical, 3 expired."),
    (
        "licenses_renew_by_timestamp_seconds",
        (
            "When the last day to file the renewal in time ends, as a Unix "
            "time (00:00 UTC after it); only for licenses whose renewal is still "
            "to be filed."
        ),
    ),
)
_DAY_SECONDS: Final = 86_400


def metrics(report: WarnReport, checked: float) -> str:
    """``checked``: the Unix time of this check (the command reads the clock)."""
    lines = _family("licenses_status", STATUS_HELP, [("", report.exit_code)])
    rows = report.active
    values = {
        "licenses_expiry_timestamp_seconds": [
            (_labels(r), _end_of(r.verdict.expires)) for r in rows
        ],
        "licenses_level": [
            (_labels(r), r.verdict.level.severity) for r in rows if r.verdict.level
        ],
        "licenses_renew_by_timestamp_seconds": [
            (_labels(r), _end_of(r.verdict.renew_by))
            for r in rows
            if r.verdict.renew_by is not None and _to_file(r)
        ],
    }
    for name, help_text in _FAMILIES:
        lines += _family(name, help_text, values[name])
    lines += _family(
        "licenses_applications_overdue",
        "Applications whose decision is overdue.",
        [("", sum(row.verdict.overdue for row in report.applications))],
    )
    lines += _family(
        "licenses_uncovered",
        "Materials and destinations shipped to under a control in force (or "
        "whose suspension ended) that no license or application covers: each "
        "needs a license before the next export.",
        [("", len(report.uncovered))],
    )
    lines += _family("licenses_active", "Active licenses.", [("", len(rows))])
    lines += _family(
        "licenses_merge_conflicts",
        "Changes a merge of the store left to settle: while above 0, the other "
        "side of each is not read.",
        [("", len(report.unsettled.changes) if report.unsettled else 0)],
    )
    lines += _family(
        "licenses_last_check_timestamp_seconds",
        "When this check ran, as a Unix time.",
        [("", round(checked))],
    )
    return "".join(line + "\n" for line in lines)


def _end_of(day: date) -> int:
    """00:00 UTC of the day after ``day``: a last valid day (inclusive) as the
    moment it ends, the way probe_ssl_earliest_cert_expiry gives notAfter."""
    return (day.toordinal() + 1 - _EPOCH) * _DAY_SECONDS


def unknown_metrics() -> str:
    """When the check itself failed: a monitor alerts on this, not on silence."""
    return "".join(
        line + "\n" for line in _family("licenses_status", STATUS_HELP, [("", 3)])
    )


def _family(name: str, help_text: str, samples: Iterable[tuple[str, int]]) -> list[str]:
    return [
        f"# HELP {name} {help_text}",
        f"# TYPE {name} gauge",
        *(f"{name}{labels} {value}" for labels, value in samples),
    ]


def _to_file(row: Row) -> bool:
    lic = row.license
    return lic.status == Status.ACTIVE and lic.renewal is not False


def _labels(row: Row) -> str:
    lic = row.license
    pairs = {
        "id": str(lic.id),
        "number": lic.number or "",
        "material": lic.material,
        "destination": lic.destination,
    }
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in pairs.items()) + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
