"""How results look: Rich tables on a terminal, plain aligned text in a pipe,
JSON/CSV/TSV for scripts, the plain lines of ``warn``, ``show``, the timeline.

Each name loads its module on first use (PEP 562), so a command pays only for
what it draws; Rich itself is imported only when a Rich table is drawn. (No
module here is named like a function: importing a submodule sets the package's
attribute of that name.)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from .chart import draw as timeline
    from .console import Look, error_line, progress_bar, terminal_columns
    from .formats import data, nagios_line, warn_json, warn_line, when
    from .show import detail_pairs, details, json_detail
    from .tables import table

_WHERE: Final = {
    "Look": ("console", "Look"),
    "error_line": ("console", "error_line"),
    "progress_bar": ("console", "progress_bar"),
    "terminal_columns": ("console", "terminal_columns"),
    "detail_pairs": ("show", "detail_pairs"),
    "details": ("show", "details"),
    "json_detail": ("show", "json_detail"),
    "data": ("formats", "data"),
    "nagios_line": ("formats", "nagios_line"),
    "warn_json": ("formats", "warn_json"),
    "warn_line": ("formats", "warn_line"),
    "when": ("formats", "when"),
    "table": ("tables", "table"),
    "timeline": ("chart", "draw"),
}
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


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(name)
    module, attribute = _WHERE[name]
    value = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
    globals()[name] = value
    return value
