"""controls on a terminal or in a pipe: one line per catalogue entry and its
state on the day; as JSON, CSV or TSV for scripts.

The render side of ``domain/controls.py`` and ``service/controls.py``: here the
service's answer is drawn; the command is ``controls`` in ``cli/catalogue.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, TextIO

from export_licenses.domain.controls import State

from .formats import objects_as
from .tables import grid

if TYPE_CHECKING:
    from export_licenses.service.controls import ControlsReport

    from .console import Look

COLUMNS: Final = ["Announcement", "Authority", "State", "Effective", "To", "Controls"]
DROP: Final = ("Authority", "Effective", "To")
# The state coloured as a level: what is not simply in force asks to be read.
_LEVEL: Final = {
    State.IN_FORCE: None,
    State.NOT_YET_EFFECTIVE: "warning",
    State.SUSPENDED: "warning",
    State.SUSPENSION_ENDED: "critical",
    State.LIFTED: None,
}


def write(report: ControlsReport, fmt: str, stream: TextIO, look: Look) -> None:
    if fmt != "table":
        from export_licenses.service.controls import CONTROL_KEYS  # noqa: PLC0415 - JSON, CSV only

        objects = [row.as_json() for row in report.rows]
        if fmt != "json":  # a list in a cell: its items joined
            for obj in objects:
                obj["items"] = "; ".join(obj["items"])
                obj["destinations"] = " ".join(obj["destinations"])
                obj["suspensions"] = "; ".join(
                    f"{s['by']} {s['from']}..{s['until']}" for s in obj["suspensions"]
                )
        stream.write(objects_as(objects, fmt, CONTROL_KEYS))
        return
    body = [
        [
            row.control.number + ("*" if row.origin == "store" else ""),
            row.control.authority,
            row.state.text,
            row.control.effective.isoformat(),
            " ".join(row.control.destinations) or "all",
            row.control.title,
        ]
        for row in report.rows
    ]
    levels = [_LEVEL[row.state.state] for row in report.rows]
    grid(COLUMNS, body, levels, stream, look, level_column=2, drop=DROP)
    if any(row.origin == "store" for row in report.rows):
        stream.write("* from the store's own [[control]] blocks\n")
