"""The operations the commands call: ``records`` (what changes the store),
``reports`` (what reads it) and ``transfer`` (import, export).

No parsing of argv and no rendering here; errors name fields, not options. Each
name loads its module on first use (PEP 562): a report does not load the code of
the writers, and only import/export load the CSV and JSON machinery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from export_licenses import lazy

if TYPE_CHECKING:
    from .records import NewTerm, add, apply, close, edit, init, remove, renew, ship
    from .reports import WarnReport, due, find, get, list_licenses, warn

_WHERE: Final = {
    **dict.fromkeys(
        ("NewTerm", "add", "apply", "close", "edit", "init", "remove", "renew", "ship"),
        "records",
    ),
    **dict.fromkeys(
        ("WarnReport", "due", "find", "get", "list_licenses", "warn"), "reports"
    ),
}
__all__ = [
    "NewTerm",
    "WarnReport",
    "add",
    "apply",
    "close",
    "due",
    "edit",
    "find",
    "get",
    "init",
    "list_licenses",
    "remove",
    "renew",
    "ship",
    "warn",
]


__getattr__ = lazy.attributes(__name__, _WHERE)
