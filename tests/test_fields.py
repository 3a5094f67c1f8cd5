"""The field table is the one list of license fields: everything else follows it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pycountry
import typer.main

from export_licenses.cli import app
from export_licenses.domain import countries
from export_licenses.domain.application import Application
from export_licenses.domain.countries import ALPHA2, is_alpha2, name_of
from export_licenses.domain.license import (
    FIELDS,
    LICENSE_KEYS,
    RENEWED,
    SETTABLE,
    License,
)
from export_licenses.domain.rows import APP_ROW_KEYS, ROW_KEYS
from export_licenses.domain.settings import SETTINGS_KEYS, Settings

if TYPE_CHECKING:
    import pytest

GROUP = typer.main.get_command(app)
CONTEXT = GROUP.make_context("licenses", ["--help"], resilient_parsing=True)


def params_of(name: str) -> dict[str, Any]:
    command = GROUP.get_command(CONTEXT, name)  # type: ignore[attr-defined]
    return {param.name: param for param in command.params}


def test_the_record_is_the_table() -> None:
    assert License._fields == (*LICENSE_KEYS, "extra")
    assert [field.key for field in FIELDS] == list(LICENSE_KEYS)


def test_json_row_keys_are_pinned() -> None:
    """Scripts rely on these keys and, in CSV and TSV, on this column order."""
    assert ROW_KEYS == (
        "id",
        "number",
        "material",
        "destination",
        "issued",
        "expires",
        "days_left",
        "level",
        "status",
        "term_months",
        "notes",
        "renew_by",
        "reasons",
        "kind",
        "exporter",
        "end_user",
        "hs_code",
        "quantity",
        "unit",
        "shipped",
        "renewal_filed",
        "renews",
        "superseded_by",
        "renewal",
        "review_basis",
        "calendar_estimate",
        "end_use",
        "end_users",
        "authority",
        "replaces",
        # issue 22: from the review-time history
        "file_by",
        "p_decision_by_expiry",
        "forecast_basis",
        "forecast_estimate",
        # issue 23: the catalogue's controls the material may fall under
        "controls",
        # issue 22: renew_by rests on an observed review time seen < 5 times
        "review_estimate",
        # whether p_decision_by_expiry is a bound: "at_least", "at_most", null
        "p_decision_by_expiry_bound",
        # the day the history dates the renewal by (due's window counts it)
        "act_by",
    )


def test_application_row_keys_are_pinned() -> None:
    """The keys issue 10 fixes for scripts, first and in this order."""
    assert APP_ROW_KEYS[:15] == (
        "id",
        "material",
        "destination",
        "end_user",
        "exporter",
        "reference",
        "filed",
        "accepted",
        "decision_due",
        "waited_working_days",
        "status",
        "overdue",
        "renews",
        "license",
        "decided",
    )


def test_places_in_the_row_and_in_show_are_each_used_once() -> None:
    columns = [field.column for field in FIELDS if field.column]
    assert len(columns) == len(set(columns))
    lines = [field.line for field in FIELDS if field.line]
    assert len(lines) == len(set(lines))
    assert all(field.label for field in FIELDS if field.line)


def test_add_and_edit_take_an_option_for_every_settable_field() -> None:
    # The parameter is named after the field: its value reaches that field, and
    # an error about the field names this option.
    for name in ("add", "edit"):
        params = params_of(name)
        for key in SETTABLE:
            assert key in params, f"{name} has no option for {key}"
            assert params[key].param_type_name == "option"
            assert params[key].opts[0].startswith("--")
            assert params[key].help, f"{name} {params[key].opts} has no help"


def test_every_field_option_sets_a_field_a_person_sets() -> None:
    for name in ("add", "edit", "apply", "grant", "renew"):
        fields = {key for key in params_of(name) if key in LICENSE_KEYS}
        assert fields, name
        assert fields <= set(SETTABLE), name


def test_settings_keys_follow_the_record() -> None:
    assert Settings._fields[:-1] == SETTINGS_KEYS


def test_an_application_carries_every_field_a_renewal_copies() -> None:
    """apply ID copies these from the license, grant gives them to the new one."""
    assert set(RENEWED) <= set(Application._fields)


def test_destinations_are_checked_and_named_as_pycountry_does() -> None:
    # Every code written down is one of pycountry's: a code it withdraws fails
    # this until it leaves ALPHA2. A code it adds is found through the fallback
    # (below), so a new pycountry does not turn CI red on its own.
    assert {country.alpha_2 for country in pycountry.countries} >= ALPHA2
    assert len(ALPHA2) == 249  # ISO 3166-1 in 2026: none lost by an edit
    for country in pycountry.countries:
        assert name_of(country.alpha_2) == country.name


def test_a_code_pycountry_has_and_the_written_list_lacks_is_accepted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # ALPHA2 spares every read pycountry's file; a code ISO adds after it was
    # written is still found there.
    monkeypatch.setattr(countries, "ALPHA2", frozenset({"US"}))
    assert is_alpha2("US")
    assert is_alpha2("DE")
    assert not is_alpha2("XX")
    assert not is_alpha2("de")
