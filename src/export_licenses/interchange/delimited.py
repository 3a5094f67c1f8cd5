"""The one writer of every CSV and TSV the tool prints (``list``, ``due``,
``applications``, ``stats``, ``coverage``, ``export``), and the guard it puts on
every text cell.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
a formula to a spreadsheet (OWASP, "CSV injection"): a material typed as
``=cmd|' /C calc'!A0`` would run when the file is opened. Every text cell that
starts so gets a quote before it, which spreadsheets show as text and ``import``
takes off again. Numbers are not text: ``days_left = -147`` stays a number.
"""

from __future__ import annotations

import csv
import numbers
import re
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import TextIO

FORMULA_START: Final = re.compile(r"'*[=+\-@\t\r]")
LIST_SEPARATOR: Final = "; "


def guard(text: str) -> str:
    """'=HYPERLINK(...)' -> "'=HYPERLINK(...)": text, never a formula. A text
    that already starts with quotes before such a sign gets one more, so that
    ``unguard`` gives back exactly what was written."""
    return "'" + text if FORMULA_START.match(text) else text


def unguard(text: str) -> str:
    return text[1:] if text.startswith("'") and FORMULA_START.match(text[1:]) else text


def cell(value: Any) -> Any:
    """A value as its cell: numbers as they are, everything else as guarded text
    (empty for None; a list's items joined)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Number):  # int, float, Decimal: never text
        return value
    if isinstance(value, list | tuple):
        return guard(LIST_SEPARATOR.join(str(item) for item in value))
    return guard(str(value))


def write(
    stream: TextIO,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ",",
) -> None:
    """The header, then each row's cells, one line each, as they come."""
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(value) for value in row])
