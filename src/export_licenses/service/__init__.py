"""The operations the commands call: records (what changes the store) and reports
(what reads it); ``service.transfer`` (import, export) is imported only by the
commands that need it, as it loads the CSV and JSON machinery.

No parsing of argv and no rendering here; errors name fields, not options.
"""

from .records import NewTerm, add, apply, close, edit, init, remove, renew, ship
from .reports import WarnReport, due, find, get, list_licenses, warn

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
