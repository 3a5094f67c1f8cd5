"""warn's state in the Prometheus text format, for node_exporter's textfile
collector: one gauge per license and level, HELP and TYPE before each family.

https://prometheus.io/docs/instrumenting/exposition_formats/
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from export_licenses.domain.license import Status

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date

    from export_licenses.domain.rows import Row
    from export_licenses.service.reports import WarnReport

STATUS_HELP: Final = (
    "The check's state, as warn's exit code: 0 OK, 1 WARNING, 2 CRITICAL, "
    "3 UNKNOWN (the store could not be read)."
)
_FAMILIES: Final = (
    (
        "licenses_days_left",
        "Days until the license expires: 0 on its last valid day, below 0 expired.",
    ),
    ("licenses_level", "The license's level: 0 ok, 1 warning, 2 critical, 3 expired."),
    (
        "licenses_renew_by_days",
        (
            "Days left to file the renewal so that it is decided in time, below 0 "
            "late; only for licenses whose renewal is still to be filed."
        ),
    ),
)


def metrics(report: WarnReport, today: date) -> str:
    lines = _family("licenses_status", STATUS_HELP, [("", report.exit_code)])
    rows = report.active
    values = {
        "licenses_days_left": [(_labels(r), r.verdict.days_left) for r in rows],
        "licenses_level": [
            (_labels(r), r.verdict.level.severity) for r in rows if r.verdict.level
        ],
        "licenses_renew_by_days": [
            (_labels(r), (r.verdict.renew_by - today).days)
            for r in rows
            if r.verdict.renew_by is not None and _to_file(r)
        ],
    }
    for name, help_text in _FAMILIES:
        lines += _family(name, help_text, values[name])
    lines += _family(
        "licenses_applications_overdue",
        "Applications whose decision is overdue.",
        [("", len(report.applications))],
    )
    lines += _family("licenses_active", "Active licenses.", [("", len(rows))])
    return "".join(line + "\n" for line in lines)


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
