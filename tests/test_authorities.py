"""Authority profiles (issue 23, section 4): the shipped ones with a source and a
basis for every figure, and a store's [authority.NAME] over them."""

from __future__ import annotations

import holidays
import pytest
import tomli

from export_licenses.domain.authorities import (
    AuthorityProfile,
    Basis,
    Cap,
    Review,
    authorities_from_tables,
    find_authority,
    merge_authority_tables,
)
from export_licenses.errors import InvalidStore
from export_licenses.storage.profiles import (
    shipped_authorities,
    shipped_authority_tables,
)

PROFILES = shipped_authorities()
URL = ("https://", "http://")


def test_the_shipped_profiles() -> None:
    assert list(PROFILES) == ["MOFCOM", "BIS", "EU-DE", "ECJU"]
    mofcom = PROFILES["MOFCOM"]
    assert mofcom.review[:4] == (45, "working", "acceptance", Basis.BOUND)
    assert mofcom.cap_for("individual").months == 12  # type: ignore[union-attr]
    assert mofcom.cap_for("general").months == 36  # type: ignore[union-attr]
    registration = mofcom.cap_for("registration")
    assert registration is not None
    assert (registration.months, registration.per_export) == (None, True)
    assert mofcom.cap_for(None) is None  # no kind, no cap: each kind has its own
    assert mofcom.extension is False
    # Order 792 art. 18: a change of a non-key element, 20 working days.
    assert mofcom.change_clock[:4] == (20, "working", "acceptance", Basis.BOUND)
    assert mofcom.change_clock.cite == "Order 792 art. 18"
    assert PROFILES["BIS"].change_clock == PROFILES["BIS"].review
    bis = PROFILES["BIS"]
    assert (bis.calendar, bis.extension) == ("US", True)
    assert bis.review[:4] == (90, "calendar", "acceptance", Basis.BOUND)
    assert bis.cap_for("individual") == bis.cap_for(None) == bis.caps["default"]
    assert bis.caps["default"][:3] == (48, False, Basis.USUAL)
    germany = PROFILES["EU-DE"]
    assert (germany.review.days, germany.review.basis) == (None, Basis.NONE)
    assert germany.caps["default"].months == 24
    uk = PROFILES["ECJU"]
    assert (uk.calendar, uk.review.days, uk.review.basis) == ("GB-ENG", 20, "target")
    assert uk.extension is None  # not known to the profile: not claimed either way


@pytest.mark.parametrize("profile", PROFILES.values(), ids=lambda p: p.name)
def test_every_figure_has_a_source_and_says_what_it_is(
    profile: AuthorityProfile,
) -> None:
    figures: list[Review | Cap] = [profile.review, *profile.caps.values()]
    assert all(f.source and f.source.startswith(URL) for f in figures)
    assert all(f.basis in Basis for f in figures)
    assert all(f.note for f in figures)  # the article or page it rests on
    assert all(f.cite for f in figures)  # what a message names
    if profile.extension is not None:
        assert profile.extension_source
        assert profile.extension_source.startswith(URL)
    assert profile.extra == {}


@pytest.mark.parametrize("profile", PROFILES.values(), ids=lambda p: p.name)
def test_every_calendar_is_one_the_holidays_package_has(
    profile: AuthorityProfile,
) -> None:
    country, _, subdivision = profile.calendar.partition("-")
    days_off = holidays.country_holidays(country, subdiv=subdivision or None, years=2026)  # fmt: skip
    assert len(days_off) >= 8


def _merged(store_text: str) -> dict[str, AuthorityProfile]:
    store = tomli.loads(store_text)["authority"]
    return authorities_from_tables(
        merge_authority_tables(shipped_authority_tables(), store), "f.toml"
    )


def test_a_store_overrides_a_figure_and_keeps_the_rest() -> None:
    merged = _merged("""
        [authority.mofcom.review]
        days = 60
        basis = "usual"
        note = "what we see in practice"
    """)
    assert list(merged) == list(PROFILES)  # overridden in place, under its name
    review = merged["MOFCOM"].review
    # The shipped source spoke for 45 days, not for the store's 60.
    assert review.source is None
    assert tuple(review) == (60, "working", "acceptance", "usual", None, "what we see in practice", None)  # fmt: skip
    assert merged["MOFCOM"].caps == PROFILES["MOFCOM"].caps
    assert merged["BIS"] == PROFILES["BIS"]


def test_a_store_adds_a_profile_and_changes_a_calendar() -> None:
    merged = _merged("""
        [authority.BIS]
        calendar = "none"

        [authority.KR-MOTIE]
        title = "Korea"
        calendar = "KR"
        extension = true
        review = { days = 15, unit = "working", from = "filing", basis = "bound" }
        caps.default = { months = 24, basis = "usual" }
    """)
    assert merged["BIS"].calendar == "none"
    assert merged["BIS"].calendar_note is None  # it was about the US calendar
    assert merged["BIS"].review == PROFILES["BIS"].review
    korea = merged["KR-MOTIE"]
    assert (korea.review.days, korea.cap_for("general").months) == (15, 24)  # type: ignore[union-attr]
    assert find_authority(merged, "kr-motie") is korea
    assert find_authority(merged, "KOTRA") is None


@pytest.mark.parametrize(
    ("store_text", "message"),
    [
        ('[authority.BIS]\ncalendar = "United States"', "authority 'BIS': calendar: expected a holidays country code such as \"CN\" or \"GB-ENG\", or \"none\", got text 'United States'"),
        ('[authority.X]\ncalendar = "CN"', "authority 'X': review: is missing (the review clock: days, unit, from, basis)"),
        ('[authority.X]\ntitle = "x"', "authority 'X': calendar: is missing: a holidays country code such as \"CN\" or \"GB-ENG\", or \"none\" for calendar days"),
        ('[authority.MOFCOM.review]\nbasis = "maybe"', "authority 'MOFCOM': review.basis: expected one of bound, target, usual, none, got text 'maybe'"),
        ("[authority.MOFCOM.review]\ndays = 0", "authority 'MOFCOM': review.days: expected 1 to 1000, got 0"),
        ('[authority.MOFCOM.caps.single]\nmonths = 6\nbasis = "bound"', "authority 'MOFCOM': caps.single: unknown kind (expected individual, general, registration, default)"),
        ("[authority.MOFCOM.caps.general]\nmonths = 600", "authority 'MOFCOM': caps.general.months: expected 1 to 120, got 600"),
        ('[authority.MOFCOM]\nextension = "no"', "authority 'MOFCOM': extension: expected true or false, got text 'no'"),
        ('[authority."B I S"]\ncalendar = "US"', "authority 'B I S': name: expected letters, digits, - or _ (such as BIS or EU-DE)"),
    ],
)  # fmt: skip
def test_a_bad_profile_is_one_line_naming_it_and_the_field(
    store_text: str, message: str
) -> None:
    with pytest.raises(InvalidStore) as caught:
        _merged(store_text)
    assert str(caught.value) == f"f.toml: {message}"
