"""A workbook checked before the reader builds its sheets.

python-calamine holds a sheet as a dense grid from A1 to its farthest cell, and
unpacks the archive's parts whole: a 4.7 KB file with one cell at A1 and one at
XFD1048576 asks for 17 billion cells (549 GB) and the process aborts. So every
part is unpacked here first as a stream, never whole, with the archive's own
sizes and checksums enforced, and each sheet's extent is read from its XML: a
workbook that unpacks to more than MAX_UNPACKED bytes, or a sheet beyond
MAX_CELLS, is refused with one line.

The same pass notes the cells that hold an error (``#DIV/0!``, ``#N/A``), or a
formula whose value was never saved, which the reader gives as empty cells: such
a cell is a problem in its row, never "no value".
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from typing import IO, Final, NamedTuple

from .import_rows import ErrorCell

# An export of 100,000 licenses is about 2.7 million cells.
MAX_CELLS: Final = 5_000_000
MAX_UNPACKED: Final = 256 * 2**20
WORKBOOK: Final = "xl/workbook.xml"
SHEETS: Final = "xl/worksheets/"
_CHUNK: Final = 1 << 20
_LONGEST_TAG: Final = 1 << 20
_ROW_DIGITS: Final = 7
# A start tag of a row or a cell, its attributes read as XML reads them: a
# quoted value may hold ">" but never "<" (attribute values escape it).
_TAG = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)"
    rb"((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*)\s*(/?)>"
)
_ATTRIBUTE = re.compile(rb"""([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CELL_REF = re.compile(rb"([A-Z]{1,3})([1-9][0-9]{0,6})")
_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)(\s[^<>]*)?/?>")
_VALUE = re.compile(rb"\s*<(?:[A-Za-z_][\w.-]*:)?v>([^<]{0,40})<")
# A cell's formula (its text, shortened), a value saved with it, its end.
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f(?:\s[^<>]*)?(?:/>|>([^<]{0,40}))")
_SAVED_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v>[^<]*\S[^<]*<")
_CELL_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?c>")
_CELL_LOOKAHEAD: Final = 4096


class InvalidWorkbook(ValueError):
    """The archive is no workbook, or one too large to read: the line says why."""


class Sheet(NamedTuple):
    rows: int
    columns: int
    errors: dict[tuple[int, int], ErrorCell]  # (row, column), both from 1


def inspect(raw: bytes) -> dict[str, Sheet]:
    """Each sheet of the workbook in ``raw``, by the name Excel shows, or
    InvalidWorkbook."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return _inspect(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise InvalidWorkbook(f"not a readable Excel workbook: {exc}") from None
    except (NotImplementedError, RuntimeError) as exc:  # a method or encryption
        raise InvalidWorkbook(f"not a readable Excel workbook: {exc}") from None


def _inspect(archive: zipfile.ZipFile) -> dict[str, Sheet]:
    members = archive.infolist()
    if WORKBOOK not in {info.filename for info in members}:
        raise InvalidWorkbook(f"not an Excel workbook (.xlsx): it has no {WORKBOOK}")
    unpacked = sum(info.file_size for info in members)
    if unpacked > MAX_UNPACKED:
        raise InvalidWorkbook(
            f"unpacks to {unpacked:,} bytes, more than the {MAX_UNPACKED:,} "
            "a workbook may have here"
        )
    names = _sheet_names(archive)
    sheets: dict[str, Sheet] = {}
    for info in members:
        with archive.open(info) as stream:
            if not info.filename.startswith(SHEETS) or info.is_dir():
                while stream.read(_CHUNK):
                    pass  # read through: sizes and checksum are enforced
                continue
            name = names.get(info.filename, info.filename)
            sheet = _sheet(stream, name)
        if sheet.rows * sheet.columns > MAX_CELLS:
            far = f"{column_letters(sheet.columns)}{sheet.rows}"
            raise InvalidWorkbook(
                f"sheet {name} spans A1:{far} ({sheet.rows:,} rows by "
                f"{sheet.columns:,} columns), more than the {MAX_CELLS:,} cells a "
                "sheet may have here; delete the cells far from the table"
            )
        sheets[name] = sheet
    return sheets


def _sheet(stream: IO[bytes], name: str) -> Sheet:
    """The rows and columns from A1 to the farthest cell with a value, and the
    cells holding an error.

    Tags are found in the stream by pattern; a tag cut by the chunk's end is
    carried into the next chunk.
    """
    place = _Place(name)
    carry = b""
    while True:
        chunk = stream.read(_CHUNK)
        text = carry + chunk
        end = text.rfind(b"<") if chunk else len(text)
        if end < 0:
            end = len(text)  # no tag starts in it: nothing to carry
        for tag in _TAG.finditer(text, 0, end):
            place.tag(tag, text)
        if not chunk:
            return Sheet(place.rows, place.columns, place.errors)
        carry = text[end:]
        if len(carry) > _LONGEST_TAG:
            raise InvalidWorkbook(f"sheet {name}: a tag over {_LONGEST_TAG:,} bytes")


class _Place:
    """Where the reader puts each cell. A cell names its place (``r="B7"``);
    one without it follows the cell before it, and a row without it the row
    before, as the reader places them."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.row = self.column = self.rows = self.columns = 0
        self.errors: dict[tuple[int, int], ErrorCell] = {}

    def tag(self, tag: re.Match[bytes], text: bytes) -> None:
        attributes = {m[1]: m[2] or m[3] or b"" for m in _ATTRIBUTE.finditer(tag[2])}
        ref = attributes.get(b"r")
        if tag[1] == b"row":
            if ref is None:
                self.row += 1
            elif ref.isdigit() and len(ref) <= _ROW_DIGITS:
                self.row = int(ref)
            else:
                # The reader takes any number here, wrapped to 32 bits: a grid
                # of terabytes. A row number has 7 digits at most (1,048,576
                # rows); int() would refuse 4,300 digits anyway.
                shown = ref[:20].decode("utf-8", "replace")
                raise InvalidWorkbook(
                    f"sheet {self.name}: a row's place r={shown!r} is not a row number"
                )
            self.column = 0
            return
        if ref is None:
            self.column += 1
        else:
            cell = _CELL_REF.fullmatch(ref)
            if cell is None:
                shown = ref[:20].decode("utf-8", "replace")
                raise InvalidWorkbook(
                    f"sheet {self.name}: a cell's place r={shown!r} is not a "
                    "cell reference such as B7"
                )
            self.column, self.row = column_number(cell[1]), int(cell[2])
        if tag[3]:
            return  # <c r="X9" s="1"/>: a format, no value
        self.rows, self.columns = (
            max(self.rows, self.row),
            max(self.columns, self.column),
        )
        if attributes.get(b"t") == b"e":
            value = _VALUE.match(text, tag.end())
            said = value[1].decode("utf-8", "replace").strip() if value else ""
            self.errors[self.row, self.column] = ErrorCell(said or "an error")
        else:
            formula = _uncomputed(text, tag.end())
            if formula is not None:
                self.errors[self.row, self.column] = ErrorCell(formula)


def _uncomputed(text: bytes, start: int) -> str | None:
    """``=A1*2`` when the cell from ``start`` is a formula with no value saved
    (a file written by a program that does not compute formulas): the reader
    gives it as an empty cell, which an import would take for "no value". A
    cell whose end is not near (cut by the chunk, or very long) is let be."""
    end = _CELL_END.search(text, start, start + _CELL_LOOKAHEAD)
    if end is None:
        return None
    inner = text[start : end.start()]
    formula = _FORMULA.search(inner)
    if formula is None or _SAVED_VALUE.search(inner):
        return None
    return "=" + (formula[1] or b"...").decode("utf-8", "replace").strip()


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def column_letters(number: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet part's name as Excel shows it, as far as it can be read
    (by pattern, as the sheets are: no XML parser meets a hostile file)."""
    try:
        book = archive.read(WORKBOOK)
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile):
        return {}
    targets = {}
    for tag in _ELEMENT.finditer(rels):
        if tag[1] == b"Relationship":
            found = _attributes(tag[2])
            target = found.get("Target", "").lstrip("/").removeprefix("xl/")
            targets[found.get("Id")] = f"xl/{target}"
    named = {}
    for tag in _ELEMENT.finditer(book):
        if tag[1] == b"sheet":
            found = _attributes(tag[2])
            rel = next((v for k, v in found.items() if k.endswith(":id")), None)
            if rel in targets and "name" in found:
                named[targets[rel]] = found["name"]
    return named


def _attributes(text: bytes) -> dict[str, str]:
    return {
        m[1].decode("utf-8", "replace"): html.unescape(
            (m[2] or m[3] or b"").decode("utf-8", "replace")
        )
        for m in _ATTRIBUTE.finditer(text)
    }
