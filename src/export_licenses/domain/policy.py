"""Alerts from the catalogue of controls (issue 23, section 3): a control that
names a material the store holds changes state near today.

What a store "holds": a material of an active license, of a pending application,
or shipped in the last year, to a destination the control covers. A change of
state within ``policy_warn_days`` (default 30) before or after today is a
``warning``, worded for the person who must act: "holmium oxide: MOFCOM 2025
No. 57 was suspended until 2026-11-10; that suspension has ended: exports need a
license, as far as the catalogue knows". The catalogue knows nothing after the
day it was checked (DOMAIN.md: what followed the suspensions of November 2026 is
in no source we hold), so an ended suspension is said as such, never as "in
force"; but it needs a license as one in force does (``NEEDS_LICENSE``), as
warn's critical line for an uncovered export says: this line must not doubt it.
Pure: the controls, the records and ``today`` in, alerts out.
"""

from collections.abc import Collection, Iterable, Sequence
from datetime import date, timedelta
from typing import Any, Final, NamedTuple

from .application import Application
from .controls import NEEDS_LICENSE, Control, State, Transition, state_on, transitions
from .license import License
from .rules import Level, expiry
from .settings import DEFAULT_POLICY_DAYS
from .values import DEFAULT_AUTHORITY

# A material shipped this long ago is still one the store deals in.
SHIPPED_WITHIN: Final = timedelta(days=365)
# What the store deals in: a material, where it goes, and whose license it needs
# (a control binds only its own authority's exports: Control.governs).
Holding = tuple[str, str, str]


class PolicyAlert(NamedTuple):
    level: Level
    number: str  # the control's announcement
    material: str  # as the store writes it
    destinations: tuple[str, ...]  # where the store sends it, under the control
    day: date  # the first day of the new state
    state: State  # the new state
    text: str  # "holmium oxide: MOFCOM 2025 No. 57 was suspended until ..."
    # Where the control's entry was read, as `controls --format json` says:
    # "package" (the shipped catalogue) or "store" (a [[control]] block).
    origin: str = "package"

    def as_json(self) -> dict[str, Any]:
        return {
            "level": self.level.value,
            "control": self.number,
            "material": self.material,
            "destinations": list(self.destinations),
            "date": self.day.isoformat(),
            "state": self.state.value,
            "text": self.text,
            "origin": self.origin,
        }


def held(
    licenses: Iterable[License],
    applications: Iterable[Application],
    today: date,
    term_months: int,
) -> list[Holding]:
    """(material, destination, authority) of what the store holds (an active
    license valid within the last year), applies for or has shipped in the last
    year, in the store's order, each once."""
    since = today - SHIPPED_WITHIN
    found: dict[Holding, None] = {}
    for lic in licenses:
        key = (lic.material, lic.destination, lic.issuer)
        if key in found:  # each once: a large trader's 5,000 licenses
            continue  # hold 70 (`warn`: 6.5 ms here to 3 ms)
        holds = lic.active and expiry(lic, term_months) >= since
        if holds or any(since <= s.on <= today for s in lic.shipments):
            found[key] = None
    for app in applications:
        if app.pending:
            found[app.material, app.destination, app.issuer] = None
    return list(found)


def alerts(
    controls: Sequence[Control],
    holdings: Sequence[Holding],
    today: date,
    days: int = DEFAULT_POLICY_DAYS,
) -> list[PolicyAlert]:
    """Each change of state within ``days`` of ``today`` of a control that
    names a material held, once per control, change and material."""
    if not holdings:
        return []
    first, last = today - timedelta(days=days), today + timedelta(days=days)
    # Only a control that changes state near today can raise an alert, and on
    # most days none does: the materials are matched against those alone, and
    # on such a day not at all (`warn` on 100 licenses: 13 M instructions less).
    changing = {
        c.number: changes for c in controls if (changes := transitions(c, first, last))
    }
    if not changing:
        return []
    # Matching loads only now: on a day without changes near it, `warn` imports
    # none of it (5.6 M instructions, ~1 ms).
    named = governed([c for c in controls if c.number in changing], holdings)
    found: list[PolicyAlert] = []
    for control in controls:
        materials = named.get(control.number)
        if not materials:
            continue
        for change in changing[control.number]:
            words = change_text(control, change, today)
            found.extend(
                PolicyAlert(
                    Level.WARNING,
                    control.number,
                    material,
                    tuple(dict.fromkeys(places)),
                    change.day,
                    change.after.state,
                    f"{material}: {words}",
                )
                for material, places in materials.items()
            )
    found.sort(key=lambda alert: (alert.day, alert.number, alert.material))
    return found


def governed(
    controls: Iterable[Control], holdings: Iterable[Holding]
) -> dict[str, dict[str, list[str]]]:
    """For each control, the materials held that it binds (its own authority's,
    to a destination it covers), each with where the store sends it:
    number -> material -> destinations, in the holdings' order."""
    from .matching import Matcher  # noqa: PLC0415 - see alerts (6.7 M instructions)

    matcher = Matcher(controls)
    named: dict[str, dict[str, list[str]]] = {}
    for material, destination, authority in holdings:
        for match in matcher.match(material):
            if match.control.governs(authority, destination):
                places = named.setdefault(match.control.number, {})
                places.setdefault(material, []).append(destination)
    return named


def change_text(control: Control, change: Transition, today: date) -> str:
    """A change of state in words, in the past or the future tense."""
    number, day, after = control.number, change.day, change.after
    past = day <= today
    if after.state == State.SUSPENSION_ENDED and past:
        text = (
            f"{number} was suspended until {after.until}; that suspension has "
            "ended: exports need a license, as far as the catalogue knows"
        )
    elif after.state == State.SUSPENSION_ENDED:
        text = (
            f"{number} is suspended until {after.until}; check whether exports "
            f"need a license from {day}"
        )
    elif after.state == State.IN_FORCE:
        text = (
            f"{number} took effect on {day}: exports need a license"
            if past
            else f"{number} takes effect on {day}: exports need a license from then"
        )
    elif after.state == State.SUSPENDED:
        was = "was" if past else "will be"
        text = f"{number} {was} suspended from {day} until {after.until}"
    elif after.state == State.LIFTED:
        text = f"{number} {'was' if past else 'is'} lifted on {day}"
    else:
        was = "was" if past else "is"
        text = (
            f"{number} {was} published on {day}: it takes effect on {control.effective}"
        )
    return text


class Bare(NamedTuple):
    """An export under controls that need a license, which no license and no
    application of their authority covers (``uncovered``)."""

    material: str  # as the store first writes it
    destination: str
    authority: str  # whose license it needs: the controls' authority
    controls: tuple[Control, ...]
    # The store holds or ships it under another authority too: its license
    # there (a BIS license) is no license of ``authority``.
    elsewhere: bool = False


def uncovered(
    controls: Sequence[Control],
    holdings: Sequence[Holding],
    covered: Collection[tuple[str, str, str]],
    today: date,
) -> list[Bare]:
    """What the store ships (``holdings``) under controls that need a license
    on ``today`` (``NEEDS_LICENSE``: in force, or their suspension ended) with
    no active license and no pending application of the control's own
    authority covering it (``covered``: casefolded material and authority, and
    the destination): a license is needed before the next export, one per
    material, destination and licensing authority.

    The control's authority, not the export's: MOFCOM 2025 No. 61 reaches a
    BIS export (``extraterritorial``), but only MOFCOM licenses what MOFCOM
    controls (DOMAIN.md), so a BIS license covers none of it."""
    # Whose license a holding may need besides its own authority's: those of
    # the controls that reach every authority's exports (No. 61: MOFCOM's).
    reaching = {c.authority.casefold() for c in controls if c.extraterritorial}
    bare: dict[tuple[str, str, str], Holding] = {}
    for material, destination, authority in holdings:
        folded = material.casefold()
        key = (folded, destination, authority.casefold())
        licensors = reaching | {key[2]}
        if any((folded, destination, whose) not in covered for whose in licensors):
            bare.setdefault(key, (material, destination, authority))
    if not bare:
        # `warn` asks on every run, and a store whose licenses cover what it
        # ships has nothing to match: the matching is not even imported.
        return []
    from .matching import Matcher  # noqa: PLC0415 - see alerts (6.7 M instructions)

    matcher = Matcher(controls)
    # Another authority's record is covered by a license of the control's own
    # that falls under the same control for the same destination, however
    # each spells the material (BIS's "dysprosium oxide", MOFCOM's "Dy2O3").
    # (A control is known by its identity: its tables make it unhashable.)
    under = {
        (id(match.control), destination, whose)
        for folded, destination, whose in covered
        for match in matcher.match(folded)
    }
    found: dict[tuple[str, str, str], Bare] = {}
    for (folded, _, own), (material, destination, authority) in bare.items():
        for match in matcher.match(material):
            control = match.control
            whose = control.authority.casefold()
            if (
                not control.governs(authority, destination)
                or (folded, destination, whose) in covered
                or (own != whose and (id(control), destination, whose) in under)
                or state_on(control, today).state not in NEEDS_LICENSE
            ):
                continue
            key = (folded, destination, whose)
            was = found.get(key) or Bare(material, destination, control.authority, ())
            if control not in was.controls:
                was = was._replace(controls=(*was.controls, control))
            found[key] = was._replace(elsewhere=was.elsewhere or own != whose)
    return list(found.values())


def covered_by(
    licenses: Iterable[License], applications: Iterable[Application]
) -> set[tuple[str, str, str]]:
    """What an active license or a pending application covers, as ``uncovered``
    compares it: casefolded material, the destination, casefolded authority."""
    # Each once before casefolding: `warn` asks on every run, and 1,000
    # licenses hold a few dozen (0.32 ms to 0.15 ms).
    raw = {
        (lic.material, lic.destination, lic.authority) for lic in licenses if lic.active
    }
    raw.update(
        (app.material, app.destination, app.authority)
        for app in applications
        if app.pending
    )
    return {
        (material.casefold(), destination, (authority or DEFAULT_AUTHORITY).casefold())
        for material, destination, authority in raw
    }


def needing_words(controls: Iterable[Control], today: date) -> str:
    """Why exports need a license under ``controls`` (those ``uncovered``
    found), each as its state says it: "MOFCOM 2025 No. 18 in force; MOFCOM
    2025 No. 57: suspension ended on 2026-11-10". An ended suspension keeps
    its words, so the person knows why: nothing later is known of it."""
    in_force: list[str] = []
    ended: dict[date | None, list[str]] = {}
    for control in controls:
        state = state_on(control, today)
        if state.state == State.SUSPENSION_ENDED:
            ended.setdefault(state.until, []).append(control.number)
        else:
            in_force.append(control.number)
    parts = [f"{', '.join(in_force)} in force"] if in_force else []
    parts += [
        f"{', '.join(numbers)}: suspension ended on {until}"
        for until, numbers in ended.items()
    ]
    return "; ".join(parts)
