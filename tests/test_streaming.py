"""Data written row by row is exactly the document written at once."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from export_licenses.render import formats
from export_licenses.service import reports
from helpers import EXAMPLE

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("count", [0, 1, 5, None])
def test_streamed_json_is_the_indented_document(count: int | None) -> None:
    rows = reports.list_licenses(EXAMPLE, TODAY, reports.Selection(include_all=True))[
        :count
    ]
    out = io.StringIO()
    formats.write_data(iter(rows), "json", out)
    expected = [row.as_json() for row in rows]
    assert out.getvalue() == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_streamed_csv_has_a_header_and_a_line_per_row(fmt: str, delimiter: str) -> None:
    rows = reports.list_licenses(EXAMPLE, TODAY, reports.Selection(include_all=True))
    out = io.StringIO()
    formats.write_data(iter(rows), fmt, out)
    table = list(csv.reader(io.StringIO(out.getvalue()), delimiter=delimiter))
    assert len(table) == len(rows) + 1
    assert [line[0] for line in table[1:]] == [str(row.license.id) for row in rows]


def test_due_rows_come_soonest_expiry_first_as_they_are_assessed() -> None:
    report = reports.due(EXAMPLE, TODAY, within=400)
    rows = list(report.rows)
    keys = [(row.verdict.expires, row.license.id) for row in rows]
    assert keys == sorted(keys)
    assert rows


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


def _has_float(value: object) -> bool:
    if isinstance(value, dict):
        return any(map(_has_float, value.values()))
    if isinstance(value, list):
        return any(map(_has_float, value))
    return isinstance(value, float)


@given(st.lists(st.dictionaries(st.text(max_size=5), JSON_VALUES, max_size=4)))
def test_streamed_json_is_what_json_dumps_writes(objects: list[object]) -> None:
    """The same document, laid out the same; a float may be spelled otherwise
    (1e16 for 1e+16), never with another value."""
    out = io.StringIO()
    formats.write_data(map(_AsJson, objects), "json", out)  # type: ignore[arg-type]
    expected = json.dumps(objects, indent=2, ensure_ascii=False) + "\n"
    assert json.loads(out.getvalue()) == objects
    if not _has_float(objects):
        assert out.getvalue() == expected
    assert len(out.getvalue().splitlines()) == len(expected.splitlines())


class _AsJson:
    """A row whose JSON object is given."""

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def as_json(self) -> object:
        return self.obj
