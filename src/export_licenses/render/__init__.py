"""How results look: tables and details on a terminal or in a pipe, JSON/CSV/TSV
for scripts, the plain lines of ``warn``, ``show``, the timeline; Rich is
imported only where it draws. The HTML report (``report``) and the
Prometheus metrics (``metrics``) are imported from their modules by the
commands that write them.

(No module here is named like a function: importing a submodule sets the
package's attribute of that name.)
"""

from .chart import draw as timeline
from .console import Look, error_line, progress_bar, terminal_columns
from .formats import (
    app_line,
    data,
    nagios_line,
    objects_as,
    warn_json,
    warn_line,
    warn_text,
    when,
    write_data,
)
from .renewals import app_pairs, app_table, coverage_table, stats_table
from .show import detail_object, detail_pairs, details
from .tables import table

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
    "warn_text",
    "when",
    "write_data",
]
