"""The operations the commands call: ``records`` (what changes a license),
``applications`` (the renewal pipeline), ``reports`` (what reads the store),
``insight`` (lead times and coverage) and ``transfer`` (import, export).

No parsing of argv and no rendering here; errors name fields, not options. Each
name loads its module on first use (PEP 562): a report does not load the code of
the writers, and only import/export load the CSV and JSON machinery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from export_licenses import lazy

if TYPE_CHECKING:
    from .applications import (
        Filing,
        NewTerm,
        accept,
        decide,
        file_new,
        file_renewal,
        grant,
        list_applications,
        renew,
    )
    from .insight import COVERAGE_KEYS, STATS_KEYS, coverage, stats
    from .records import add, close, edit, init, remove, reopen, ship
    from .reports import (
        DueReport,
        WarnReport,
        due,
        find,
        get,
        list_licenses,
        lookup_all,
        sorted_rows,
        warn,
    )

_WHERE: Final = {
    **dict.fromkeys(
        ("add", "close", "edit", "init", "remove", "reopen", "ship"), "records"
    ),
    **dict.fromkeys(
        (
            "Filing",
            "NewTerm",
            "accept",
            "decide",
            "file_new",
            "file_renewal",
            "grant",
            "list_applications",
            "renew",
        ),
        "applications",
    ),
    **dict.fromkeys(
        (
            "DueReport",
            "WarnReport",
            "due",
            "find",
            "get",
            "list_licenses",
            "lookup_all",
            "sorted_rows",
            "warn",
        ),
        "reports",
    ),
    **dict.fromkeys(("COVERAGE_KEYS", "STATS_KEYS", "coverage", "stats"), "insight"),
}
__all__ = [
    "COVERAGE_KEYS",
    "STATS_KEYS",
    "DueReport",
    "Filing",
    "NewTerm",
    "WarnReport",
    "accept",
    "add",
    "close",
    "coverage",
    "decide",
    "due",
    "edit",
    "file_new",
    "file_renewal",
    "find",
    "get",
    "grant",
    "init",
    "list_applications",
    "list_licenses",
    "lookup_all",
    "remove",
    "renew",
    "reopen",
    "ship",
    "sorted_rows",
    "stats",
    "warn",
]


__getattr__ = lazy.attributes(__name__, _WHERE)
