"""How results look: Rich tables on a terminal, plain aligned text in a pipe,
JSON/CSV/TSV for scripts, the plain lines of ``warn``, ``show``, the timeline.

Each name loads its module on first use (PEP 562), so a command pays only for
what it draws; Rich itself is imported only when a Rich table is drawn. (No
module here is named like a function: importing a submodule sets the package's
attribute of that name.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from export_licenses import lazy

if TYPE_CHECKING:
    from .chart import draw as timeline
    from .console import Look, error_line, progress_bar, terminal_columns
    from .formats import (
        app_line,
        data,
        nagios_line,
        objects_as,
        warn_json,
        warn_line,
        when,
        write_data,
    )
    from .renewals import app_pairs, app_table, coverage_table, stats_table
    from .show import detail_object, detail_pairs, details
    from .tables import table

_WHERE: Final = {
    "Look": "console",
    "error_line": "console",
    "progress_bar": "console",
    "terminal_columns": "console",
    "detail_pairs": "show",
    "details": "show",
    "detail_object": "show",
    "app_line": "formats",
    "objects_as": "formats",
    "app_pairs": "renewals",
    "app_table": "renewals",
    "coverage_table": "renewals",
    "stats_table": "renewals",
    "data": "formats",
    "nagios_line": "formats",
    "warn_json": "formats",
    "warn_line": "formats",
    "when": "formats",
    "write_data": "formats",
    "table": "tables",
    "timeline": "chart:draw",
}
__all__ = [
    "Look",
    "app_line",
    "app_pairs",
    "app_table",
    "coverage_table",
    "data",
    "detail_object",
    "detail_pairs",
    "details",
    "error_line",
    "nagios_line",
    "objects_as",
    "progress_bar",
    "stats_table",
    "table",
    "terminal_columns",
    "timeline",
    "warn_json",
    "warn_line",
    "when",
    "write_data",
]


__getattr__ = lazy.attributes(__name__, _WHERE)
