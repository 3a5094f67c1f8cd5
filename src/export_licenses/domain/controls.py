"""The dated catalogue of controls: announcements, their suspensions, their state.

Each entry is one announcement (MOFCOM 2025 No. 57, ...): the items it controls,
the destinations it is limited to, when it was published and took effect, and the
suspensions that paused it (2025 No. 70 paused Nos. 55-58, 61 and 62 until 10 Nov
2026; 2025 No. 72 paused art. 2 of 2024 No. 46 until 27 Nov 2026: DOMAIN.md).
Policy changes, so none of it is code: the package ships it as data
(``data/controls.toml``) and a store adds or replaces entries (``[[control]]``).

``until`` is the LAST suspended day, inclusive: the announcements say "suspended
until 10 November 2026", and a license's ``expires`` is its last valid day too. So
a suspension until 2026-11-10 has ended on 2026-11-11 (``state_since``), and the
human wording uses the same date both ways: "suspended until 2026-11-10", then
"suspension ended 2026-11-10".

The domain side of ``service/controls.py`` and ``render/controls.py``: here an
entry and its state on a day; the service lays a store's entries over the
package's catalogue and asks for a day, render draws the answer.
"""

import enum
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, Final, NamedTuple, Protocol

from .values import DEFAULT_AUTHORITY

_NO_EXTRA: Mapping[str, Any] = {}
_ONE_DAY: Final = timedelta(days=1)


class State(enum.StrEnum):
    """A control's state on a day: the values of ``controls --format json``."""

    IN_FORCE = "in_force"
    NOT_YET_EFFECTIVE = "not_yet_effective"
    SUSPENDED = "suspended"
    SUSPENSION_ENDED = "suspension_ended"
    LIFTED = "lifted"


class Suspension(NamedTuple):
    by: str  # the suspending announcement, e.g. "MOFCOM 2025 No. 70"
    start: date  # ``from`` in the file (a Python keyword)
    until: date  # the last suspended day, inclusive
    source: str | None = None  # the suspending announcement is its own document
    note: str | None = None
    extra: Mapping[str, Any] = _NO_EXTRA  # keys a person wrote that we do not know


class Control(NamedTuple):
    """One announcement. Records are NamedTuples, as in ``model``: built in C."""

    number: str
    authority: str
    title: str
    effective: date
    items: tuple[str, ...]  # names, aliases, symbols, HS codes, control codes
    source: str  # covers ``published`` and ``effective`` unless they have their own
    published: date | None = None
    destinations: tuple[str, ...] = ()  # ISO alpha-2; empty: every destination
    suspensions: tuple[Suspension, ...] = ()
    lifted: date | None = None  # ended for good
    published_source: str | None = None
    effective_source: str | None = None
    lifted_source: str | None = None
    superseded_by: str | None = None  # the announcement that took its items over
    note: str | None = None  # what the dates rest on, when not verified
    # It binds exports from other countries too (No. 61: foreign-made items with
    # Chinese rare earths, re-exports), so it concerns every authority's records.
    extraterritorial: bool = False
    extra: Mapping[str, Any] = _NO_EXTRA  # keys a person wrote that we do not know

    def applies_to(self, destination: str | None) -> bool:
        """Whether the control covers exports to ``destination`` (alpha-2)."""
        return not self.destinations or destination in self.destinations

    def governs(self, authority: str, destination: str | None) -> bool:
        """Whether the control binds a record of ``authority`` to
        ``destination``: an announcement binds the exports its own authority
        licenses (MOFCOM's say nothing of a BIS license for a U.S. export),
        unless it reaches exports from abroad (``extraterritorial``)."""
        ours = (
            self.extraterritorial or self.authority.casefold() == authority.casefold()
        )
        return ours and self.applies_to(destination)


class StateOn(NamedTuple):
    state: State
    since: date | None  # ``state_since``: the first day of this state, if known
    until: date | None  # suspended, suspension_ended: the last suspended day
    text: str  # the wording of issue 23, for people


class ControlRef(NamedTuple):
    """A control a record falls under, as a row carries it: its number and its
    state on the row's day in words ("suspension ended 2026-11-10")."""

    number: str
    text: str
    own: bool = False  # the store's own [[control]] entry, not the package's


def resting_on(as_of: date, *, shipped: bool, own: Sequence[str] = ()) -> str:
    """What an answer about controls rests on: the package's catalogue, as of
    the day it was checked ("catalogue as of 2026-11-29"), and a store's own
    ``[[control]]`` entries (``own``: their numbers), which that day says
    nothing of: "from the store's own [[control]] entry" when they are all it
    rests on, else naming them after the catalogue's date."""
    entries = f"the store's own [[control]] entr{'ies' if len(own) > 1 else 'y'}"
    if own and not shipped:
        return f"from {entries}"
    words = f"catalogue as of {as_of}"
    return f"{words}; {', '.join(own)} from {entries}" if own else words


class ControlLookup(Protocol):
    """The controls a material may fall under for a destination: rows ask when
    they are shown (reading the catalogue costs ~15 ms, a table needs none)."""

    def of(
        self,
        material: str,
        destination: str | None,
        hs_code: str | None = None,
        authority: str = DEFAULT_AUTHORITY,
    ) -> tuple[ControlRef, ...]: ...


class Transition(NamedTuple):
    day: date  # the first day of the new state
    before: StateOn
    after: StateOn


class Catalogue(NamedTuple):
    checked: date  # the day the entries were last compared with their sources
    controls: tuple[Control, ...]
    newest_source: date | None = None  # the newest source the entries rest on
    note: str | None = None


def number_key(number: str) -> str:
    """What makes two numbers the same announcement: case and spacing do not."""
    return " ".join(number.split()).casefold()


# --- state on a day ---------------------------------------------------------------


def _periods(control: Control) -> list[tuple[date, date]]:
    """The suspensions as disjoint periods: one that starts the day after another
    ends (an extension by a later announcement) continues it."""
    periods: list[tuple[date, date]] = []
    for start, until in sorted((s.start, s.until) for s in control.suspensions):
        if periods and start <= periods[-1][1] + _ONE_DAY:
            periods[-1] = (periods[-1][0], max(until, periods[-1][1]))
        else:
            periods.append((start, until))
    return periods


def state_on(control: Control, today: date) -> StateOn:
    if control.lifted is not None and today >= control.lifted:
        return StateOn(State.LIFTED, control.lifted, None, "lifted")
    ended: date | None = None
    for start, until in _periods(control):
        if start <= today <= until:
            # Also before ``effective``: 2025 No. 57 was suspended by No. 70 from
            # 7 Nov 2025, the day before it was to take effect.
            return StateOn(State.SUSPENDED, start, until, f"suspended until {until}")
        if until < today:
            ended = until
    if today < control.effective:
        since = control.published
        if since is not None and since > today:
            since = None
        text = f"not yet effective (from {control.effective})"
        return StateOn(State.NOT_YET_EFFECTIVE, since, None, text)
    if ended is not None and ended >= control.effective:
        # Nothing later is known to the catalogue: say that the suspension ended,
        # not that the control is in force again (DOMAIN.md: what followed the
        # suspensions of Nov 2026 is in no source we hold).
        text = f"suspension ended {ended}"
        return StateOn(State.SUSPENSION_ENDED, ended + _ONE_DAY, ended, text)
    return StateOn(State.IN_FORCE, control.effective, None, "in force")


# The states in which, as far as the catalogue knows, an export under the
# control needs a license (the one place that rule is decided): in force, and
# a suspension that has ended. The catalogue's last known fact of an ended
# suspension is the control itself, and it knows no later announcement
# (DOMAIN.md: both suspensions of November 2026 ended; what followed is in no
# source we hold): the words still say "suspension ended", never "in force".
NEEDS_LICENSE: Final = frozenset({State.IN_FORCE, State.SUSPENSION_ENDED})


def transitions(control: Control, first: date, last: date) -> tuple[Transition, ...]:
    """Each day from ``first`` to ``last`` (inclusive) on which the state changes.

    The alert "a control changes state within policy_warn_days before or after
    today" asks for ``transitions(c, today - days, today + days)``. The day of
    publication counts as a change too (``state_since`` begins): a new control
    is news before it takes effect.
    """
    candidates = {control.effective}
    if control.published is not None:
        candidates.add(control.published)
    if control.lifted is not None:
        candidates.add(control.lifted)
    for start, until in _periods(control):
        candidates.update((start, until + _ONE_DAY))
    found: list[Transition] = []
    for day in sorted(d for d in candidates if first <= d <= last):
        before, after = state_on(control, day - _ONE_DAY), state_on(control, day)
        if (before.state, before.since) != (after.state, after.since):
            found.append(Transition(day, before, after))
    return tuple(found)


def merge_controls(
    shipped: tuple[Control, ...], added: tuple[Control, ...]
) -> tuple[Control, ...]:
    """The shipped entries with the store's over them: an entry with the same
    number replaces the shipped one in its place; new numbers follow, in order."""
    merged = {number_key(c.number): c for c in shipped}
    for control in added:
        merged[number_key(control.number)] = control
    return tuple(merged.values())
