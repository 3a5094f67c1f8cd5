"""The operations the commands call: ``records`` (what changes a license),
``applications`` (the renewal pipeline), ``reports`` (what reads the store),
``insight`` (review times), ``supply`` (coverage: supply gaps); ``transfer``
(import, export), ``history`` and ``merging`` are imported from their modules by
the commands that use them, as they bring the CSV, workbook and git machinery.

No parsing of argv and no rendering here; errors name fields, not options.
"""

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
from .clock import hold, resume
from .insight import STATS_KEYS, stats
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
from .supply import COVERAGE_KEYS, coverage

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
    "hold",
    "init",
    "list_applications",
    "list_licenses",
    "lookup_all",
    "remove",
    "renew",
    "reopen",
    "resume",
    "ship",
    "sorted_rows",
    "stats",
    "warn",
]
