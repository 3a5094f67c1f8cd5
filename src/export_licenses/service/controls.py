"""controls: the catalogue of controls and each entry's state on a day.

The package ships the catalogue (``data/controls.toml``: MOFCOM's announcements
with a source for every date, DOMAIN.md "The announcements"); a store's own
``[[control]]`` blocks go over it, an entry with the same number replacing the
package's. The catalogue is only as recent as the day it was checked, so every
answer that rests on it says that day ("catalogue as of 2026-11-29").

The service side of ``domain/controls.py`` and ``render/controls.py``: here the
package's catalogue (``storage/catalogue.py``) and the store's entries are
merged and asked for a day; the domain decides each entry's state, render draws
it.
"""

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from export_licenses.domain import controls
from export_licenses.domain.control_tables import control_to_table
from export_licenses.domain.controls import Control, ControlRef, State, StateOn
from export_licenses.domain.store_data import StoreData
from export_licenses.domain.values import DEFAULT_AUTHORITY
from export_licenses.storage import catalogue, store_read

if TYPE_CHECKING:
    from export_licenses.domain.matching import Matcher

PACKAGE: Final = "package"
STORE: Final = "store"
# controls --format json/csv: the [[control]] keys (CONTRACT.md), then the state.
CONTROL_KEYS: Final = (
    "number",
    "authority",
    "title",
    "published",
    "effective",
    "items",
    "destinations",
    "suspensions",
    "lifted",
    "source",
    "state",
    "state_since",
    "state_text",
    "superseded_by",
    "note",
    "origin",
    "extraterritorial",
    # Last, so that no CSV column moves; in every row, null when the entry has
    # none (audit s10-contract, 8: they came and went, and CSV had none).
    "published_source",
    "effective_source",
    "lifted_source",
)


class ControlRow(NamedTuple):
    control: Control
    state: StateOn
    origin: str  # PACKAGE or STORE: where the entry was read

    def as_json(self) -> dict[str, Any]:
        """Every key of CONTROL_KEYS (``null`` when empty), dates as ISO text,
        and the [[control]] keys the table adds (the other sources, ...)."""
        table = control_to_table(self.control)
        plain: dict[str, Any] = dict.fromkeys(CONTROL_KEYS)
        plain |= {key: _plain(value) for key, value in table.items()}
        plain["suspensions"] = [
            {key: _plain(value) for key, value in suspension.items()}
            for suspension in table.get("suspensions", [])
        ]
        plain["items"] = list(self.control.items)
        plain["destinations"] = list(self.control.destinations)
        plain["state"] = self.state.state.value
        plain["state_since"] = _plain(self.state.since)
        plain["state_text"] = self.state.text
        plain["origin"] = self.origin
        plain["extraterritorial"] = self.control.extraterritorial
        return plain


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


class ControlsReport(NamedTuple):
    checked: date  # the day the package's catalogue was last checked
    newest_source: date | None  # the newest source it rests on
    own: int  # entries the store adds or replaces
    rows: list[ControlRow]

    def as_of(self) -> str:
        """What an answer resting on the catalogue says of it."""
        newest = f", newest source {self.newest_source}" if self.newest_source else ""
        own = ""
        if self.own:
            own = f"; {self.own} entr{'y' if self.own == 1 else 'ies'} from the store"
        return f"catalogue as of {self.checked}{newest}{own}"


def all_controls(data: StoreData | None) -> tuple[Control, ...]:
    """The shipped catalogue, with the store's own entries over it."""
    shipped = catalogue.shipped_catalogue().controls
    own = () if data is None else data.controls
    if not own:
        return shipped
    return controls.merge_controls(shipped, own)


def rows_on(
    every: Iterable[Control], own: Iterable[Control], today: date
) -> list[ControlRow]:
    mine = {controls.number_key(c.number) for c in own}
    return [
        ControlRow(
            c,
            controls.state_on(c, today),
            STORE if controls.number_key(c.number) in mine else PACKAGE,
        )
        for c in every
    ]


def controls_report(path: Path, today: date, material: str | None) -> ControlsReport:
    """Each entry and its state on ``today``; with ``material``, only the
    entries it may fall under (names, aliases, symbols, HS and control codes:
    ``domain.matching``). Without a store, the package's catalogue alone."""
    data = store_read.read_or_empty(path)
    every = all_controls(data)
    if material is not None:
        from export_licenses.domain.matching import Matcher  # noqa: PLC0415 - matching: 8 regexes (6.7 M instructions)

        every = tuple(match.control for match in Matcher(every).match(material))
    own = () if data is None else data.controls
    shipped = catalogue.shipped_catalogue()
    return ControlsReport(
        shipped.checked,
        shipped.newest_source,
        len(own),
        rows_on(every, own, today),
    )


def catalogue_date() -> date:
    """The day the package's catalogue was last checked against its sources."""
    return catalogue.shipped_catalogue().checked


class ControlIndex:
    """The controls each record's material may fall under, for its destination,
    on one day (lifted ones left out): built on first use, each material matched
    once (``domain.matching``)."""

    def __init__(self, data: StoreData | None, today: date) -> None:
        self._data = data
        self._today = today
        self._matcher: Matcher | None = None
        self._refs: dict[str, ControlRef | None] = {}  # by number
        self._own = own_numbers(data)

    def of(
        self,
        material: str,
        destination: str | None,
        hs_code: str | None = None,
        authority: str = DEFAULT_AUTHORITY,
    ) -> tuple[ControlRef, ...]:
        if self._matcher is None:
            # Only a row whose controls are asked for (JSON, show) matches: `warn`
            # and a table do not import the matching (5.6 M instructions, ~1 ms).
            from export_licenses.domain.matching import Matcher  # noqa: PLC0415 - matching: 8 regexes (6.7 M instructions)

            self._matcher = Matcher(all_controls(self._data))
        found = []
        for match in self._matcher.match(material, hs_code=hs_code):
            if not match.control.governs(authority, destination):
                continue
            number = match.control.number
            if number not in self._refs:
                self._refs[number] = self._ref(match.control)
            ref = self._refs[number]
            if ref is not None:
                found.append(ref)
        return tuple(found)

    def _ref(self, control: Control) -> ControlRef | None:
        state = controls.state_on(control, self._today)
        if state.state == State.LIFTED:
            return None
        return ControlRef(control.number, state.text, control.number in self._own)


def own_numbers(data: StoreData | None) -> frozenset[str]:
    """The numbers of the store's own [[control]] entries: as the merged
    catalogue spells them, since a store's entry replaces the package's."""
    return frozenset(c.number for c in data.controls) if data else frozenset()


def resting_on(numbers: Iterable[str], own: frozenset[str]) -> str:
    """What answers about the controls ``numbers`` rest on, in words: the
    package's catalogue as of its day, and the store's own entries among them
    (``own``), which that day says nothing of."""
    named = list(dict.fromkeys(numbers))
    mine = [number for number in named if number in own]
    shipped = len(mine) < len(named) or not named
    return controls.resting_on(catalogue_date(), shipped=shipped, own=mine)
