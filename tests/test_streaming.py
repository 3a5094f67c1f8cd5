"""Data written row by row is exactly the document written at once."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from export_licenses import render, service
from export_licenses.render.jsonrows import indented
from helpers import EXAMPLE

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("count", [0, 1, 5, None])
def test_streamed_json_is_the_indented_document(count: int | None) -> None:
    rows = service.list_licenses(EXAMPLE, TODAY, include_all=True)[:count]
    out = io.StringIO()
    render.write_data(iter(rows), "json", out)
    expected = [row.as_json() for row in rows]
    assert out.getvalue() == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_streamed_csv_has_a_header_and_a_line_per_row(fmt: str, delimiter: str) -> None:
    rows = service.list_licenses(EXAMPLE, TODAY, include_all=True)
    out = io.StringIO()
    render.write_data(iter(rows), fmt, out)
    table = list(csv.reader(io.StringIO(out.getvalue()), delimiter=delimiter))
    assert len(table) == len(rows) + 1
    assert [line[0] for line in table[1:]] == [str(row.license.id) for row in rows]


def test_due_rows_come_soonest_expiry_first_as_they_are_assessed() -> None:
    report = service.due(EXAMPLE, TODAY, within=400)
    rows = list(report.rows)
    keys = [(row.verdict.expires, row.license.id) for row in rows]
    assert keys == sorted(keys)
    assert rows


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and the infinities too
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=5), children, max_size=4)
        | st.dictionaries(st.integers(), children, max_size=2)
    ),  # keys json converts
    max_leaves=20,
)


@given(JSON_VALUES)
def test_a_value_is_indented_exactly_as_json_dumps_indents_it(value: object) -> None:
    assert indented(value) == json.dumps(value, indent=2, ensure_ascii=False)
    as_item = "[\n  " + indented(value, "  ") + "\n]"
    assert as_item == json.dumps([value], indent=2, ensure_ascii=False)
