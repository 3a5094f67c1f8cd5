"""How results look: Rich tables on a terminal, plain aligned text in a pipe,
JSON/CSV/TSV for scripts, the plain lines of ``warn``, ``show``, the timeline.

Rich is imported only when a Rich table or panel is actually drawn: a pipe or a
script never pays for it.
"""

from .console import Look, error_line, progress_bar, terminal_columns
from .details import detail_pairs, details, json_detail
from .formats import data, nagios_line, warn_json, warn_line, when
from .tables import table
from .timeline import draw as timeline

__all__ = [
    "Look",
    "data",
    "detail_pairs",
    "details",
    "error_line",
    "json_detail",
    "nagios_line",
    "progress_bar",
    "table",
    "terminal_columns",
    "timeline",
    "warn_json",
    "warn_line",
    "when",
]
