"""A license with its verdict for one day: what list, due, warn and show print.

The JSON row (and the CSV/TSV columns of list and due) is the license's fields
that have a ``column`` in the field table, plus the computed columns below, in
column order. Keys may be added, never removed or renamed.
"""

from collections.abc import Callable
from typing import Any, Final, NamedTuple

from .application import Application, app_label
from .controls import (
    ControlLookup,
    ControlRef,
)
from .forecast import NOTHING, AppForecast, Outlook
from .license import FIELDS, License
from .review import AppVerdict
from .rules import Verdict
from .values import quantity_to_toml


class Row(NamedTuple):
    license: License
    verdict: Verdict
    # The term in months the expiry rests on (None with an explicit expiry).
    term_months: int | None = None
    # What the renewal deadline's review time rests on (None when not active).
    review_basis: str | None = None
    review_days: int | None = None
    # Where the catalogue's controls are looked up (issue 23): when asked.
    lookup: ControlLookup | None = None
    # Another authority's review clock in words (issue 23); None: MOFCOM's.
    review_clock: str | None = None
    # The review time (and so renew_by) is an observed one resting on fewer
    # than 5 applications observed that long (issue 22).
    review_estimate: bool = False

    @property
    def controls(self) -> tuple[ControlRef, ...]:
        """The controls the material (or HS code) may fall under, for the
        license's destination, lifted ones left out."""
        lic = self.license
        if self.lookup is None:
            return ()
        return self.lookup.of(lic.material, lic.destination, lic.hs_code, lic.issuer)

    def as_json(self) -> dict[str, Any]:
        """The contract's JSON row: every key always present, null when empty."""
        return {key: value(self) for key, value in _COLUMNS}


def _iso(day: Any) -> str | None:
    return None if day is None else str(day.isoformat())


def _field(key: str, to_json: Callable[[Any], Any]) -> Callable[[Row], Any]:
    def value(row: Row) -> Any:
        found = getattr(row.license, key)
        return None if found is None else to_json(found)

    return value


def _chance(p: float | None) -> float | None:
    """A chance to three decimals: more would claim a precision no history has."""
    return None if p is None else round(p, 3)


def _bound(chance: Verdict | Outlook | None) -> str | None:
    """Whether a chance is a bound, as a key: "at_least" (read beyond the
    longest wait observed), "at_most" (the review clock stopped), or None (an
    estimate, or no chance): what show and agenda say in words."""
    if chance is None or chance.p_decision_by_expiry is None:
        return None
    words = chance.p_bound if isinstance(chance, Verdict) else chance.bound
    return words.strip().replace(" ", "_") or None


def _shipped(row: Row) -> int | float:
    return quantity_to_toml(row.license.shipped)


# Columns computed from the verdict, at their place in the row.
_COMPUTED: Final[tuple[tuple[int, str, Callable[[Row], Any]], ...]] = (
    (6, "expires", lambda row: row.verdict.expires.isoformat()),
    (7, "days_left", lambda row: row.verdict.days_left),
    (
        8,
        "level",
        lambda row: None if row.verdict.level is None else row.verdict.level.value,
    ),
    (12, "renew_by", lambda row: _iso(row.verdict.renew_by)),
    (13, "reasons", lambda row: list(row.verdict.reasons)),
    (20, "shipped", _shipped),
    (25, "review_basis", lambda row: row.review_basis),
    (26, "calendar_estimate", lambda row: bool(row.verdict.estimated)),
    # Issue 23: the licensing authority (MOFCOM when the license names none).
    (33, "authority", lambda row: row.license.issuer),
    # From the review-time history (issue 22): null without one.
    (34, "file_by", lambda row: _iso(row.verdict.file_by)),
    (35, "p_decision_by_expiry", lambda row: _chance(row.verdict.p_decision_by_expiry)),
    (36, "forecast_basis", lambda row: row.verdict.forecast_basis),
    (37, "forecast_estimate", lambda row: row.verdict.forecast_estimate),
    # Issue 23: the numbers of the controls the material may fall under.
    (38, "controls", lambda row: [c.number for c in row.controls]),
    # Issue 22: renew_by rests on an observed review time seen < 5 times.
    (39, "review_estimate", lambda row: row.review_estimate),
    # Whether p_decision_by_expiry is a bound ("at least an 80 % chance" in
    # show): last, so that no CSV column moves.
    (40, "p_decision_by_expiry_bound", lambda row: _bound(row.verdict)),
    # The day the history dates the renewal by: file_by, else the last whose
    # time to the expiry covers every wait seen; the one due's window counts
    # (audit s10-contract, 3). Last, so that no CSV column moves.
    (41, "act_by", lambda row: _iso(row.verdict.act_by)),
)
_COLUMNS: Final = tuple(
    (key, value)
    for _, key, value in sorted(
        [
            *(
                (f.column, f.key, _field(f.key, f.codec.to_json))
                for f in FIELDS
                if f.column
            ),
            *_COMPUTED,
        ],
        key=lambda column: column[0],
    )
)
ROW_KEYS: Final = tuple(key for key, _ in _COLUMNS)


class AppRow(NamedTuple):
    """An application with its verdict for one day."""

    application: Application
    verdict: AppVerdict
    review_basis: str
    review_days: int = 45
    forecast: AppForecast = NOTHING
    lookup: ControlLookup | None = None  # as Row's
    review_clock: str | None = None  # as Row's
    review_unit: str = "working"  # what the clock counts: "calendar" days (BIS)

    @property
    def controls(self) -> tuple[ControlRef, ...]:
        app = self.application
        if self.lookup is None:
            return ()
        return self.lookup.of(app.material, app.destination, app.hs_code, app.issuer)

    def as_json(self) -> dict[str, Any]:
        """Every key always present, null when empty; keys only ever added."""
        return {key: value(self) for key, value in _APP_COLUMNS}


def _app(key: str, to_json: Callable[[Any], Any] = str) -> Callable[[AppRow], Any]:
    def value(row: AppRow) -> Any:
        found = getattr(row.application, key)
        return None if found is None else to_json(found)

    return value


def _same(value: Any) -> Any:
    return value


_APP_COLUMNS: Final[tuple[tuple[str, Callable[[AppRow], Any]], ...]] = (
    ("id", lambda row: app_label(row.application.id)),
    ("material", _app("material")),
    ("destination", _app("destination")),
    ("end_user", _app("end_user")),
    ("exporter", _app("exporter")),
    ("reference", _app("reference")),
    ("filed", _app("filed", _iso)),
    ("accepted", _app("accepted", _iso)),
    ("decision_due", lambda row: _iso(row.verdict.decision_due)),
    ("waited_working_days", lambda row: row.verdict.waited_working_days),
    ("status", _app("status")),
    ("overdue", lambda row: row.verdict.overdue),
    ("renews", _app("renews", _same)),
    ("license", _app("license", _same)),
    ("decided", _app("decided", _iso)),
    ("overdue_working_days", lambda row: row.verdict.overdue_working_days),
    (
        "level",
        lambda row: None if row.verdict.level is None else row.verdict.level.value,
    ),
    ("reasons", lambda row: list(row.verdict.reasons)),
    ("review_basis", lambda row: row.review_basis),
    ("calendar_estimate", lambda row: bool(row.verdict.estimated)),
    ("quantity", _app("quantity", quantity_to_toml)),
    ("unit", _app("unit")),
    ("refusal_reason", _app("reason")),
    ("notes", _app("notes")),
    # Issue 23: what the application is for (new, renewal, change), the kind
    # of license applied for, and its authority (MOFCOM when it names none).
    ("kind", lambda row: row.application.purpose.value),
    ("license_kind", _app("kind")),
    ("authority", lambda row: row.application.issuer),
    ("end_use", _app("end_use")),
    ("end_users", lambda row: list(row.application.all_end_users)),
    ("changes", _app("changes", _same)),
    ("replaces", _app("replaces", _same)),
    (
        "p_decision_by_expiry",
        lambda row: _chance(
            row.forecast.outlook and row.forecast.outlook.p_decision_by_expiry
        ),
    ),
    ("expected_decision", lambda row: _iso(row.forecast.expected_decision)),
    ("controls", lambda row: [c.number for c in row.controls]),
    ("holds", lambda row: [hold.as_json() for hold in row.application.holds]),
    ("unbounded", lambda row: row.application.unbounded is not None),
    ("unbounded_reason", _app("unbounded")),
    # What waited_working_days and overdue_working_days count: "working" days
    # on the authority's calendar, or "calendar" days (BIS, 15 CFR 750.4).
    ("review_unit", lambda row: row.review_unit),
    # As the license row's: whether p_decision_by_expiry is a bound.
    ("p_decision_by_expiry_bound", lambda row: _bound(row.forecast.outlook)),
    # Whether expected_decision or p_decision_by_expiry is an estimate: few
    # observations that long, or counted across an unannounced holiday year.
    ("forecast_estimate", lambda row: row.forecast.estimate),
)
APP_ROW_KEYS: Final = tuple(key for key, _ in _APP_COLUMNS)


class Changed(NamedTuple):
    """What a change of a license leaves (Order 792 art. 18): the application
    filed and the license as it now is."""

    application: AppRow  # the new application (key) or the change application
    license: License  # the license as it now is: surrendered or suspended
    key: tuple[str, ...]  # the key elements changed (empty: a non-key change)
