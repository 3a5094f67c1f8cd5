"""The dated catalogue of controls (issue 23, section 3): its sources, the states of
its entries on dates around each change, and entries a person types in."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

import pytest
import tomli

from export_licenses.domain.control_tables import (
    catalogue_from_document,
    control_to_table,
    controls_from_tables,
)
from export_licenses.domain.controls import (
    Control,
    State,
    Suspension,
    merge_controls,
    state_on,
    transitions,
)
from export_licenses.domain.matching import Matcher
from export_licenses.errors import InvalidStore
from export_licenses.storage import catalogue as package
from export_licenses.storage import profiles

# --- where each date of an entry comes from: what the catalogue is checked by ---


class DatedSource(NamedTuple):
    field: str  # "published", "effective", "suspensions[1].from", "lifted"
    day: date
    source: str


def date_sources(control: Control) -> tuple[DatedSource, ...]:
    """Every date of the entry with the source it rests on (its own, else the
    entry's ``source``)."""
    found = []
    if control.published is not None:
        published = control.published_source or control.source
        found.append(DatedSource("published", control.published, published))
    effective = control.effective_source or control.source
    found.append(DatedSource("effective", control.effective, effective))
    for n, suspension in enumerate(control.suspensions, start=1):
        source = suspension.source or control.source
        found.append(DatedSource(f"suspensions[{n}].from", suspension.start, source))
        found.append(DatedSource(f"suspensions[{n}].until", suspension.until, source))
    if control.lifted is not None:
        lifted = control.lifted_source or control.source
        found.append(DatedSource("lifted", control.lifted, lifted))
    return tuple(found)


def undocumented_dates(control: Control) -> tuple[str, ...]:
    """The dates that lean on the entry's ``source`` although another document
    set them: a suspension or a lifting is a later announcement, so the text of
    the original one cannot show it. The shipped catalogue has none; a person
    may type a suspension without a source into the store."""
    missing = [
        f"suspensions[{n}]"
        for n, suspension in enumerate(control.suspensions, start=1)
        if suspension.source is None
    ]
    if control.lifted is not None and control.lifted_source is None:
        missing.append("lifted")
    return tuple(missing)


CATALOGUE = package.shipped_catalogue()
BY_NUMBER = {control.number: control for control in CATALOGUE.controls}
URL = ("https://", "http://")

# The example of CONTRACT.md, typed in by hand as a store would hold it.
NEW_ANNOUNCEMENT = """
[[control]]
number = "MOFCOM 2026 No. 3"
authority = "MOFCOM"
title = "cerium and lanthanum"
published = 2026-11-20
effective = 2026-12-15
items = ["cerium", "Ce", "cerium oxide", "lanthanum"]
destinations = []
suspensions = [{ by = "MOFCOM 2026 No. 9", from = 2026-12-01, until = 2027-12-01 }]
lifted = 2027-06-01
source = "https://example.org/mofcom-2026-3"
reviewed_by = "procurement"
"""


def test_the_catalogue_has_every_announcement_of_domain_md() -> None:
    numbers = [f"MOFCOM {n}" for n in ("2023 No. 23", "2024 No. 33", "2024 No. 51")]
    numbers.append("MOFCOM 2024 No. 46")
    numbers += [f"MOFCOM 2025 No. {n}" for n in (18, 55, 56, 57, 58, 61, 62)]
    assert sorted(BY_NUMBER) == sorted(numbers)
    assert BY_NUMBER["MOFCOM 2024 No. 46"].destinations == ("US",)
    assert CATALOGUE.checked == date(2026, 11, 29)
    assert CATALOGUE.newest_source is not None
    assert CATALOGUE.newest_source <= CATALOGUE.checked


@pytest.mark.parametrize("control", CATALOGUE.controls, ids=lambda c: c.number)
def test_every_entry_and_every_date_has_a_source(control: Control) -> None:
    assert control.source.startswith(URL)
    # A suspension or a lifting is a later document: it needs a source of its own.
    assert undocumented_dates(control) == ()
    dated = date_sources(control)
    assert {d.field for d in dated} >= {"published", "effective"}
    assert len(dated) == 2 + 2 * len(control.suspensions) + (control.lifted is not None)
    assert all(d.source.startswith(URL) for d in dated)
    # A misspelt key would be kept silently as a person's own: none in our file.
    assert control.extra == {}


def test_the_source_check_fails_for_a_date_without_its_own_source() -> None:
    control = BY_NUMBER["MOFCOM 2025 No. 57"]
    suspension = control.suspensions[0]._replace(source=None)
    unsourced = control._replace(
        suspensions=(suspension,), lifted=date(2027, 1, 1), lifted_source=None
    )
    assert undocumented_dates(unsourced) == ("suspensions[1]", "lifted")
    # Shown with the entry's own source, which is all there is.
    assert {d.source for d in date_sources(unsourced)} == {
        control.source,
        control.effective_source,
    }


def _state(number: str, day: str) -> tuple[str, str | None, str]:
    found = state_on(BY_NUMBER[number], date.fromisoformat(day))
    since = None if found.since is None else found.since.isoformat()
    return found.state, since, found.text


NO_57, NO_46 = "MOFCOM 2025 No. 57", "MOFCOM 2024 No. 46"


@pytest.mark.parametrize(
    ("number", "day", "expected"),
    [
        # 2025 No. 57: published 9 Oct 2025, due 8 Nov, suspended by No. 70 from
        # 7 Nov 2025 until 10 Nov 2026, the last suspended day.
        (NO_57, "2025-10-08", ("not_yet_effective", None, "not yet effective (from 2025-11-08)")),
        (NO_57, "2025-10-09", ("not_yet_effective", "2025-10-09", "not yet effective (from 2025-11-08)")),
        (NO_57, "2025-11-06", ("not_yet_effective", "2025-10-09", "not yet effective (from 2025-11-08)")),
        (NO_57, "2025-11-07", ("suspended", "2025-11-07", "suspended until 2026-11-10")),
        (NO_57, "2025-11-08", ("suspended", "2025-11-07", "suspended until 2026-11-10")),
        (NO_57, "2026-11-09", ("suspended", "2025-11-07", "suspended until 2026-11-10")),
        (NO_57, "2026-11-10", ("suspended", "2025-11-07", "suspended until 2026-11-10")),
        (NO_57, "2026-11-11", ("suspension_ended", "2026-11-11", "suspension ended 2026-11-10")),
        (NO_57, "2026-11-29", ("suspension_ended", "2026-11-11", "suspension ended 2026-11-10")),
        # 2024 No. 46 art. 2: in force from 3 Dec 2024, suspended by No. 72 from
        # 9 Nov 2025 until 27 Nov 2026.
        (NO_46, "2024-12-02", ("not_yet_effective", None, "not yet effective (from 2024-12-03)")),
        (NO_46, "2024-12-03", ("in_force", "2024-12-03", "in force")),
        (NO_46, "2025-11-08", ("in_force", "2024-12-03", "in force")),
        (NO_46, "2025-11-09", ("suspended", "2025-11-09", "suspended until 2026-11-27")),
        (NO_46, "2026-11-26", ("suspended", "2025-11-09", "suspended until 2026-11-27")),
        (NO_46, "2026-11-27", ("suspended", "2025-11-09", "suspended until 2026-11-27")),
        (NO_46, "2026-11-28", ("suspension_ended", "2026-11-28", "suspension ended 2026-11-27")),
        # 2025 No. 61: its 0.1 % rule was due 1 Dec 2025; suspended before that.
        ("MOFCOM 2025 No. 61", "2025-11-06", ("not_yet_effective", "2025-10-09", "not yet effective (from 2025-12-01)")),
        ("MOFCOM 2025 No. 61", "2026-11-10", ("suspended", "2025-11-07", "suspended until 2026-11-10")),
        ("MOFCOM 2025 No. 61", "2026-11-11", ("suspension_ended", "2026-11-11", "suspension ended 2026-11-10")),
        # 2025 No. 18: in force on publication, never suspended.
        ("MOFCOM 2025 No. 18", "2025-04-03", ("not_yet_effective", None, "not yet effective (from 2025-04-04)")),
        ("MOFCOM 2025 No. 18", "2025-04-04", ("in_force", "2025-04-04", "in force")),
        ("MOFCOM 2025 No. 18", "2026-11-29", ("in_force", "2025-04-04", "in force")),
        # 2023 No. 23: from 1 Aug 2023 until the unified list took it over.
        ("MOFCOM 2023 No. 23", "2023-07-31", ("not_yet_effective", "2023-07-03", "not yet effective (from 2023-08-01)")),
        ("MOFCOM 2023 No. 23", "2023-08-01", ("in_force", "2023-08-01", "in force")),
        ("MOFCOM 2023 No. 23", "2024-11-30", ("in_force", "2023-08-01", "in force")),
        ("MOFCOM 2023 No. 23", "2024-12-01", ("lifted", "2024-12-01", "lifted")),
        ("MOFCOM 2024 No. 51", "2024-12-01", ("in_force", "2024-12-01", "in force")),
    ],
)  # fmt: skip
def test_states_around_each_change(
    number: str, day: str, expected: tuple[str, str | None, str]
) -> None:
    assert _state(number, day) == expected


def test_holmium_oxide_falls_under_no_57_whose_suspension_has_ended() -> None:
    matches = Matcher(CATALOGUE.controls).match("holmium oxide")
    assert [(m.control.number, m.item) for m in matches] == [
        (NO_57, "holmium"),
        ("MOFCOM 2025 No. 61", "holmium"),
    ]
    found = state_on(matches[0].control, date(2026, 11, 29))
    assert found.state == State.SUSPENSION_ENDED
    assert found.since == date(2026, 11, 11)
    assert found.until == date(2026, 11, 10)


def test_transitions_within_a_window_around_today() -> None:
    today, days = date(2026, 11, 29), 30
    first, last = date(2026, 10, 30), date(2026, 12, 29)  # today -/+ 30 days
    assert (last - today).days == (today - first).days == days
    (change,) = transitions(BY_NUMBER[NO_57], first, last)
    assert change.day == date(2026, 11, 11)
    assert (change.before.state, change.after.state) == (
        "suspended",
        "suspension_ended",
    )
    (change,) = transitions(BY_NUMBER[NO_46], first, last)
    assert change.day == date(2026, 11, 28)
    assert transitions(BY_NUMBER["MOFCOM 2025 No. 18"], first, last) == ()
    # The window's ends count: the day of a change is inside it.
    assert (
        len(transitions(BY_NUMBER[NO_57], date(2026, 11, 11), date(2026, 11, 11))) == 1
    )
    assert transitions(BY_NUMBER[NO_57], date(2026, 11, 12), last) == ()
    days_2025 = [t.day for t in transitions(BY_NUMBER[NO_57], date(2025, 10, 1), date(2025, 12, 31))]  # fmt: skip
    assert days_2025 == [date(2025, 10, 9), date(2025, 11, 7)]


def _control(**changes: Any) -> Control:
    base = Control("X 1", "MOFCOM", "x", date(2026, 1, 10), ("x",), "https://x.example")
    return base._replace(**changes)


def _suspension(start: str, until: str) -> Suspension:
    return Suspension("X 2", date.fromisoformat(start), date.fromisoformat(until))


def test_an_extension_by_a_later_announcement_continues_the_suspension() -> None:
    extended = _control(
        suspensions=(
            _suspension("2027-01-01", "2027-12-31"),  # given in any order
            _suspension("2026-02-01", "2026-12-31"),
        )
    )
    found = state_on(extended, date(2026, 12, 31))
    assert (found.state, found.since, found.text) == (
        State.SUSPENDED,
        date(2026, 2, 1),
        "suspended until 2027-12-31",
    )
    changes = transitions(extended, date(2026, 1, 1), date(2028, 12, 31))
    assert [t.day.isoformat() for t in changes] == ["2026-01-10", "2026-02-01", "2028-01-01"]  # fmt: skip


def test_a_suspension_that_ended_before_the_effective_date_leaves_it_in_force() -> None:
    control = _control(suspensions=(_suspension("2025-12-01", "2026-01-05"),))
    assert state_on(control, date(2026, 1, 6)).state == State.NOT_YET_EFFECTIVE
    found = state_on(control, date(2026, 1, 10))
    assert (found.state, found.since) == (State.IN_FORCE, date(2026, 1, 10))
    # Suspended through the effective day itself: it never was in force.
    control = _control(suspensions=(_suspension("2025-12-01", "2026-01-10"),))
    found = state_on(control, date(2026, 1, 11))
    assert (found.state, found.since) == (State.SUSPENSION_ENDED, date(2026, 1, 11))


def test_lifted_wins_over_a_running_suspension() -> None:
    control = _control(
        suspensions=(_suspension("2026-02-01", "2026-12-31"),), lifted=date(2026, 6, 1)
    )
    assert state_on(control, date(2026, 5, 31)).state == State.SUSPENDED
    assert state_on(control, date(2026, 6, 1))[:3] == (State.LIFTED, date(2026, 6, 1), None)  # fmt: skip


def test_a_new_announcement_typed_in_by_hand_extends_the_catalogue() -> None:
    added = controls_from_tables(tomli.loads(NEW_ANNOUNCEMENT)["control"], "f.toml")
    merged = merge_controls(CATALOGUE.controls, added)
    assert merged[:-1] == CATALOGUE.controls
    new = merged[-1]
    assert new.number == "MOFCOM 2026 No. 3"
    assert new.extra == {"reviewed_by": "procurement"}  # kept, as a license's are
    (match,) = Matcher(merged).match("Cerium oxide, 99.9 %")
    assert match.control is new
    assert _text(new, "2026-11-29") == ("not_yet_effective", "not yet effective (from 2026-12-15)")  # fmt: skip
    assert _text(new, "2026-12-01") == ("suspended", "suspended until 2027-12-01")
    assert _text(new, "2027-06-01") == ("lifted", "lifted")
    # A person's suspension may lean on the entry's source; ours may not.
    assert undocumented_dates(new) == ("suspensions[1]", "lifted")


def test_a_suspensions_own_keys_are_kept_on_every_rewrite() -> None:
    # CONTRACT.md: keys the tool does not know are kept. A suspension refused
    # them: the whole store was invalid for one note of a person's own.
    table = {
        **GOOD,
        "suspensions": [
            {"by": "x", "from": date(2027, 1, 2), "until": date(2027, 2, 1), "checked_by": "Ann"}
        ],
    }  # fmt: skip
    (control,) = controls_from_tables([table], "f.toml")
    assert control.suspensions[0].extra == {"checked_by": "Ann"}
    assert control_to_table(control)["suspensions"][0]["checked_by"] == "Ann"


def _text(control: Control, day: str) -> tuple[str, str]:
    found = state_on(control, date.fromisoformat(day))
    return found.state, found.text


def test_a_store_entry_with_the_same_number_replaces_the_shipped_one() -> None:
    extended = """
    [[control]]
    number = "mofcom 2025  no. 57"
    authority = "MOFCOM"
    title = "holmium and four more, suspension extended"
    published = 2025-10-09
    effective = 2025-11-08
    items = ["holmium"]
    suspensions = [
        { by = "MOFCOM 2025 No. 70", from = 2025-11-07, until = 2026-11-10 },
        { by = "MOFCOM 2026 No. 99", from = 2026-11-11, until = 2027-11-10 },
    ]
    source = "https://example.org/no-57"
    """
    added = controls_from_tables(tomli.loads(extended)["control"], "f.toml")
    merged = merge_controls(CATALOGUE.controls, added)
    assert len(merged) == len(CATALOGUE.controls)
    position = [c.number for c in CATALOGUE.controls].index(NO_57)
    assert merged[position] is added[0]
    assert _text(merged[position], "2026-11-29") == ("suspended", "suspended until 2027-11-10")  # fmt: skip
    assert not Matcher(merged[position : position + 1]).match("erbium oxide")


GOOD = tomli.loads(NEW_ANNOUNCEMENT)["control"][0]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source": None}, "control 'MOFCOM 2026 No. 3': source: is missing (where it can be read)"),
        ({"source": "see MOFCOM's site"}, "control 'MOFCOM 2026 No. 3': source: expected a web address (https://...), got \"see MOFCOM's site\""),
        ({"effective": "2026-12-15"}, "control 'MOFCOM 2026 No. 3': effective: expected a TOML date such as 2025-11-03 (no quotes), got the text '2026-12-15'"),
        ({"effective": date(2026, 11, 1)}, "control 'MOFCOM 2026 No. 3': effective: 2026-11-01 is before published = 2026-11-20"),
        ({"items": []}, "control 'MOFCOM 2026 No. 3': items: expected at least one name, symbol, HS code or control code"),
        ({"destinations": ["USA"]}, "control 'MOFCOM 2026 No. 3': destinations: expected ISO 3166-1 alpha-2 codes such as \"US\", got text 'USA'"),
        ({"suspensions": {"by": "x"}}, "control 'MOFCOM 2026 No. 3': suspensions: expected a list [...], got a dict {'by': 'x'}"),
        ({"suspensions": [{"by": "x", "from": date(2027, 1, 2), "until": date(2027, 1, 1)}]}, "control 'MOFCOM 2026 No. 3': suspensions[1].until: 2027-01-01 is before from = 2027-01-02"),
        ({"suspensions": [{"by": "x", "from": date(2027, 1, 2)}]}, "control 'MOFCOM 2026 No. 3': suspensions[1].until: is missing"),
        # a misspelt key is not kept as one of a team's own: it names the key meant
        ({"suspensions": [{"by": "x", "from": date(2027, 1, 2), "untill": date(2027, 2, 1)}]}, "control 'MOFCOM 2026 No. 3': suspensions[1].untill: unknown key; did you mean 'until'? (keys the tool does not know are kept, but not one this near a known key)"),
        ({"number": None}, 'control #1: number: is missing (e.g. "MOFCOM 2026 No. 3")'),
        ({"number": 3}, "control #1: number: expected text, got a number 3"),
    ],
)  # fmt: skip
def test_a_bad_entry_is_one_line_naming_the_entry_and_the_field(
    changes: dict[str, Any], message: str
) -> None:
    table = {k: v for k, v in {**GOOD, **changes}.items() if v is not None}
    with pytest.raises(InvalidStore) as caught:
        controls_from_tables([table], "f.toml")
    assert str(caught.value) == f"f.toml: {message}"


def test_the_same_number_twice_in_one_file_is_refused() -> None:
    twice = [GOOD, {**GOOD, "number": " MOFCOM 2026 no. 3 "}]
    with pytest.raises(InvalidStore, match=r"^f.toml: control 'MOFCOM 2026 no. 3': number: used twice \(one entry per announcement\)$"):  # fmt: skip
        controls_from_tables(twice, "f.toml")
    with pytest.raises(InvalidStore, match=r"^f.toml: control: write each control as its own \[\[control\]\] block$"):  # fmt: skip
        controls_from_tables({"number": "x"}, "f.toml")


def test_a_catalogue_must_say_when_it_was_checked() -> None:
    with pytest.raises(InvalidStore, match=r"^c.toml: checked: is missing"):
        catalogue_from_document({"control": []}, "c.toml")
    with pytest.raises(InvalidStore, match=r"^c.toml: chekced: unknown key"):
        catalogue_from_document({"chekced": date(2026, 1, 1)}, "c.toml")


def test_a_control_limited_to_destinations_applies_only_to_them() -> None:
    assert BY_NUMBER[NO_46].applies_to("US")
    assert not BY_NUMBER[NO_46].applies_to("DE")
    assert BY_NUMBER[NO_57].applies_to("DE")


def test_the_package_files_are_read_once_per_process() -> None:
    assert package.shipped_catalogue() is package.shipped_catalogue()
    assert profiles.shipped_authorities() is profiles.shipped_authorities()


def test_a_broken_package_file_is_an_internal_error() -> None:
    package.shipped_catalogue.cache_clear()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(package, "read_data", lambda _name: {"control": []})
            with pytest.raises(package.BrokenPackageData) as caught:
                package.shipped_catalogue()
    finally:
        package.shipped_catalogue.cache_clear()
    assert caught.value.exit_code == 70
    assert str(caught.value).startswith(
        "the package's controls.toml: checked: is missing"
    )
    assert package.shipped_catalogue() == CATALOGUE
