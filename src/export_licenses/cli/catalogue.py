"""controls: the dated catalogue of controls, each entry's state on --today.

The CLI side of the catalogue of controls, whose storage side is
``storage/catalogue.py`` (the package's copy read): here the ``controls``
command parses its options, ``service/controls.py`` answers and
``render/controls.py`` draws.
"""

import sys
from typing import Annotated

import typer

from export_licenses.render.console import error_line

from .options import DataFormat, FormatOption
from .session import Session


def controls(
    ctx: typer.Context,
    material: Annotated[
        str | None,
        typer.Option(
            "--material",
            "-m",
            help="Only the entries this material may fall under (a name, alias, "
            "element symbol, formula, HS code or control code).",
        ),
    ] = None,
    fmt: FormatOption = DataFormat.TABLE,
) -> None:
    """The announcements that control exports, and each one's state on --today.

    In force, not yet effective (from D), suspended until D, suspension ended D
    (no later announcement known to the catalogue), lifted.

    The package ships MOFCOM's announcements with a source for every date; a
    [[control]] block in the store adds one, or replaces the entry with the same
    number. The catalogue's date is on stderr: it knows nothing after it.
    """
    from export_licenses.render.controls import write
    from export_licenses.service.controls import controls_report

    session = Session.of(ctx)
    report = controls_report(session.store, session.today(), material)
    error_line(report.as_of())
    if not report.rows and fmt is DataFormat.TABLE:
        error_line(f"no entry of the catalogue names {material!r}")
        return
    with session.paged():
        write(report, fmt.value, sys.stdout, session.look())
