"""Review times learned with the applications still waiting (issue 22, point 2):
material families, the window, groups with fallback, one fit per group, and
`stats` read from the survival curve, checked against lifelines."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter

from export_licenses.domain import survival
from export_licenses.domain.families import family_name, material_key
from export_licenses.domain.workdays import WorkingDays
from export_licenses.service import common, insight, leadtimes, review_model
from export_licenses.storage import store as store_api
from helpers import examples

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

WEEKDAYS = WorkingDays()
PLAIN = 'version = 1\n[settings]\ncalendar = "none"\n'
TODAY = date(2026, 1, 15)


def weekdays_after(start: date, days: int) -> date:
    day = start
    while days:
        day += timedelta(days=1)
        days -= day.weekday() < 5
    return day


def weekdays_before(end: date, days: int) -> date:
    day = end
    while days:
        days -= day.weekday() < 5
        day -= timedelta(days=1)
    return day


def application(
    n: int,
    material: str,
    destination: str,
    filed: date,
    *,
    days: int | None = None,
    status: str = "refused",
) -> str:
    """An application decided ``days`` weekdays after filing, or pending."""
    text = (
        f'[[application]]\nid = "A{n}"\nmaterial = "{material}"\n'
        f'destination = "{destination}"\nfiled = {filed}\n'
    )
    if days is None:
        return text + 'status = "pending"\n'
    return text + f'status = "{status}"\ndecided = {weekdays_after(filed, days)}\n'


# --- families ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("material", "expected"),
    [
        ("dysprosium oxide", "dysprosium"),
        ("Dysprosium metal", "dysprosium"),
        ("Dysprosium oxide, 99.5%", "dysprosium"),
        ("Dy2O3 powder", "dysprosium"),
        ("GeO2", "germanium"),
        ("gallium metal", "gallium"),
        ("yttrium oxide", "yttrium"),
        # the element the catalogue controls, not the magnet's matrix
        ("NdFeB magnets containing dysprosium", "dysprosium"),
        ("samarium-cobalt magnets", "samarium"),
        ("Superhard  Materials", "superhard materials"),  # no element: itself
    ],
)
def test_a_material_belongs_to_the_element_it_is_about(
    material: str, expected: str
) -> None:
    assert family_name(material, review_model.controlled()) == expected


@pytest.mark.parametrize(
    ("material", "expected"),
    [
        ("Dysprosium oxide, 99.5%", "dysprosium oxide"),
        ("dysprosium oxide (4N)", "dysprosium oxide"),
        ("  Dysprosium   Oxide ", "dysprosium oxide"),
        ("99.9%", "99.9%"),  # nothing but a grade: itself
    ],
)
def test_a_material_is_the_same_whatever_its_grade(
    material: str, expected: str
) -> None:
    assert material_key(material) == expected


def test_groups_narrowest_first() -> None:
    elements = review_model.controlled()
    assert review_model.group_keys("Dysprosium oxide, 99.5%", "US", elements) == (
        ("dysprosium oxide", "US"),
        ("dysprosium", "US"),
        ("dysprosium", None),
        None,
    )
    # A material that is its family has no narrower group.
    assert review_model.group_keys("dysprosium", "US", elements)[0] == (
        "dysprosium",
        "US",
    )


def test_a_store_without_history_never_reads_the_catalogue() -> None:
    asked: list[int] = []

    def elements() -> frozenset[str]:
        asked.append(1)
        return frozenset()

    model = review_model.ReviewModel([], elements)
    assert model.basis("NdFeB magnets containing dysprosium", "KR") is None
    assert asked == []


def test_the_catalogue_is_read_only_for_a_material_naming_several_elements() -> None:
    asked: list[int] = []

    def elements() -> frozenset[str]:
        asked.append(1)
        return review_model.controlled()

    # One element or none: nothing to choose, so the catalogue is not read.
    assert family_name("Dysprosium oxide, 99.5%", elements) == "dysprosium"
    assert family_name("NdFeB magnets", elements) == "neodymium"
    assert family_name("superhard materials", elements) == "superhard materials"
    assert asked == []
    # Several: the controlled one wins, which only the catalogue knows.
    assert family_name("NdFeB magnets containing dysprosium", elements) == (
        "dysprosium"
    )
    assert asked == [1]


# --- the backlog of the issue ----------------------------------------------------


def backlog(store: Path, waits: tuple[int, ...] = (110, 115, 120, 124)) -> None:
    """Issue 22: 3 decided at 36 working days, 4 pending for 110-124."""
    filed = [weekdays_before(TODAY, n) for n in waits]
    text = PLAIN
    for n in range(3):
        text += application(n + 1, "dysprosium oxide", "US", date(2025, 9, 1), days=36)
    for n, day in enumerate(filed):
        text += application(n + 4, "Dysprosium metal", "US", day)
    store.write_text(text, encoding="utf-8")


def test_stats_counts_the_applications_still_waiting(store: Path) -> None:
    backlog(store)
    (row, total) = insight.stats(store, TODAY)
    assert (row["material"], row["destination"]) == ("dysprosium", "US")
    assert (row["decided"], row["pending"], row["refused"]) == (3, 4, 3)
    # Decided alone, the median would be 36; with the 4 still waiting (the
    # longest 124 weekdays), 3 of 7 decided: the curve never falls to one half.
    assert row["median_working_days"] is None
    assert row["p90_working_days"] is None
    assert row["longest_wait_working_days"] == 124
    assert total["decided"] == 3
    assert total["pending"] == 4


def test_the_statutory_model_until_5_decided_or_waiting_past_45_then_the_group(
    store: Path,
) -> None:
    # 3 decided and 4 waiting 10-40 weekdays: no wait past the statutory 45.
    backlog(store, waits=(10, 20, 30, 40))
    text = store.read_text(encoding="utf-8")
    data = store_api.read(store)
    times = common.Pipeline.of(data, TODAY).review
    assert times.forecast_basis("dysprosium oxide", "US") is None  # 3 decided
    text += application(8, "dysprosium oxide", "DE", date(2025, 9, 1), days=40)
    text += application(9, "gallium", "DE", date(2025, 9, 1), days=40)
    store.write_text(text, encoding="utf-8")
    times = common.Pipeline.of(store_api.read(store), TODAY).review
    # dysprosium oxide to US: 3 decided; dysprosium to US: 3; dysprosium: 4;
    # the store: 5.
    basis = times.forecast_basis("dysprosium oxide", "US")
    assert basis is not None
    assert basis.text() == "observed: all, 5 decided, 4 pending"
    text += application(10, "Dysprosium oxide, 99.5%", "JP", date(2025, 9, 1), days=50)
    store.write_text(text, encoding="utf-8")
    times = common.Pipeline.of(store_api.read(store), TODAY).review
    basis = times.forecast_basis("dysprosium oxide", "US")
    assert basis is not None
    assert basis.text() == "observed: dysprosium, 5 decided, 4 pending"
    # Issue 22's backlog: the same 3 decided, and 4 waiting 110-124 working
    # days, each past the statutory 45. They are what the history says, not too
    # little to say anything: the family to the US, a thin history (audit
    # s10-forecast, 2; it was None, the statutory model, and the licenses ok).
    backlog(store)
    times = common.Pipeline.of(store_api.read(store), TODAY).review
    basis = times.forecast_basis("dysprosium oxide", "US")
    assert basis is not None
    assert basis.text() == "observed: dysprosium/US, 3 decided, 4 pending, thin history"
    assert basis.thin


def test_only_applications_filed_in_the_window_count(store: Path) -> None:
    text = PLAIN + "observed_window_days = 100\n"
    # 100 days up to 2026-01-15: from 2025-10-08
    text += application(1, "gallium", "FR", date(2025, 10, 8), days=20)  # in
    text += application(2, "gallium", "FR", date(2025, 10, 7), days=30)  # out
    store.write_text(text, encoding="utf-8")
    (row, _) = insight.stats(store, TODAY)
    assert (row["window_start"], row["decided"]) == ("2025-10-08", 1)
    assert row["median_working_days"] == 20
    # The window before, 100 days up to 2025-10-07: the trend.
    assert row["median_working_days_previous"] == 30
    since = insight.stats(store, TODAY, since=date(2025, 1, 1))
    assert (since[0]["decided"], since[0]["window_start"]) == (2, "2025-01-01")


def test_stats_since_sets_the_window_on_the_command_line(run: Run, store: Path) -> None:
    text = PLAIN + application(1, "gallium", "FR", date(2025, 10, 8), days=20)
    text += application(2, "gallium", "FR", date(2024, 6, 3), days=30)
    store.write_text(text, encoding="utf-8")
    result = run(
        "stats", "--since", "2024-06-01", "-f", "json", "--today", "2026-01-15"
    )
    assert result.exit_code == 0, result.stderr
    assert '"window_start": "2024-06-01"' in result.stdout
    assert '"decided": 2' in result.stdout
    result = run("stats", "-f", "json", "--today", "2026-01-15")
    assert '"decided": 1' in result.stdout
    for bad, message in [
        ("2026-01-16", "--since: 2026-01-16 is after today (2026-01-15)"),
        ("soon", "since"),
    ]:
        result = run("stats", "--since", bad, "--today", "2026-01-15")
        assert result.exit_code == 64
        assert message in result.stderr
        assert result.stderr.count("\n") == 1


def test_withdrawn_is_censored_at_withdrawal_and_today_sees_its_own_past(
    store: Path,
) -> None:
    text = PLAIN
    text += application(1, "gallium", "FR", date(2025, 9, 1), days=10)
    text += application(
        2, "gallium", "FR", date(2025, 9, 1), days=4, status="withdrawn"
    )
    text += application(3, "gallium", "FR", date(2025, 9, 1), days=20, status="granted")
    store.write_text(text, encoding="utf-8")
    found = leadtimes.observations(store_api.read(store), WEEKDAYS, TODAY)
    assert [(o.working_days, o.decided) for o in found] == [
        (10, True),
        (4, False),
        (20, True),
    ]
    # On 2025-09-22 (15 weekdays on) the third was still waiting.
    found = leadtimes.observations(store_api.read(store), WEEKDAYS, date(2025, 9, 22))
    assert [(o.working_days, o.status) for o in found] == [
        (10, "refused"),
        (4, "withdrawn"),
        (15, "pending"),
    ]


def test_each_group_is_fitted_once_per_run(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = PLAIN + 'review_working_days = "observed"\n'
    for n in range(60):
        material = ("dysprosium oxide", "gallium metal", "terbium")[n % 3]
        text += application(n + 1, material, "US", date(2025, 9, 1), days=30 + n)
    for n in range(300):
        material = ("dysprosium oxide", "gallium metal", "terbium")[n % 3]
        text += (
            f'[[license]]\nid = {n + 1}\nmaterial = "{material}"\n'
            'destination = "US"\nissued = 2025-12-01\nterm_months = 6\n'
        )
    store.write_text(text, encoding="utf-8")
    fits: list[int] = []
    real = survival.fit

    def counted(observations: object) -> survival.Curve:
        fits.append(1)
        return real(observations)  # type: ignore[arg-type]

    monkeypatch.setattr(review_model, "fit", counted)
    data = store_api.read(store)
    context = common.Pipeline.of(data, TODAY)
    rows = common.rows_for(data, TODAY, data.licenses, context=context)
    assert len(rows) == 300
    for lic in data.licenses:
        context.review.forecast_basis(lic.material, lic.destination)
    # Three materials, each its own group with 20 decided: one fit each.
    assert len(fits) == 3


# --- lifelines as the oracle, through the store ----------------------------------

HISTORY = st.lists(
    st.tuples(
        st.integers(0, 300),  # filed, days after 2025-01-20
        st.one_of(st.none(), st.integers(0, 150)),  # weekdays to decision, or pending
        st.sampled_from(["granted", "refused", "withdrawn"]),
    ),
    min_size=1,
    max_size=40,
)


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(HISTORY)
def test_stats_medians_are_lifelines_medians(
    store: Path, history: list[tuple[int, int | None, str]]
) -> None:
    text, durations, events = PLAIN, [], []
    for n, (offset, days, status) in enumerate(history, start=1):
        filed = date(2025, 1, 20) + timedelta(days=offset)
        decided = None if days is None else weekdays_after(filed, days)
        if decided is None or decided > TODAY:
            text += application(n, "gallium", "FR", filed)
            end, event = TODAY, False
        else:
            text += application(n, "gallium", "FR", filed, days=days, status=status)
            end, event = decided, status != "withdrawn"
        walked, day = 0, filed
        while day < end:
            day += timedelta(days=1)
            walked += day.weekday() < 5
        durations.append(walked)
        events.append(event)
    store.write_text(text, encoding="utf-8")
    row = insight.stats(store, TODAY)[0]
    fitter = KaplanMeierFitter().fit(durations, events)
    for q, key in ((0.5, "median_working_days"), (0.9, "p90_working_days")):
        curve = fitter.survival_function_["KM_estimate"]
        reached = [t for t, s in curve.items() if s <= 1 - q + 1e-9]
        expected = int(min(reached)) if reached and any(events) else None
        assert row[key] == expected, (q, durations, events)
    assert row["decided"] == sum(events)


# --- the setting ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("observed_window_days = 0", "observed_window_days: expected 1 to 3660, got 0"),
        (
            'observed_window_days = "a year"',
            "observed_window_days: expected a whole number",
        ),
    ],
)
def test_a_bad_window_is_one_line_and_exit_65(
    run: Run, store: Path, line: str, message: str
) -> None:
    store.write_text(PLAIN + line + "\n", encoding="utf-8")
    result = run("stats")
    assert result.exit_code == 65
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_the_window_setting_is_kept_as_written(run: Run, store: Path) -> None:
    store.write_text(PLAIN + "observed_window_days = 365\n", encoding="utf-8")
    assert run("add", "-m", "gallium", "-d", "FR", "-i", "2026-01-05").exit_code == 0
    assert "observed_window_days = 365\n" in store.read_text(encoding="utf-8")
    store.write_text(PLAIN, encoding="utf-8")
    assert run("add", "-m", "gallium", "-d", "FR", "-i", "2026-01-05").exit_code == 0
    assert "observed_window_days" not in store.read_text(encoding="utf-8")
