"""Applications: what was filed with MOFCOM, and what became of it.

An application is its own ``[[application]]`` table with an id ``"A1"``, ``"A2"``…
(its own counter, never reused). A renewal application names the license it
renews (``renews``); a granted one names the license it became (``license``).
Art. 18 of the Regulations: a renewal is a new application, so both kinds are
the same record.

(Not ``from __future__ import annotations``: the table's annotations are read at
run time, as in ``model``.)
"""

import enum
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Final, NamedTuple

from export_licenses.errors import InvalidValue

from .holds import HOLDS, Hold, open_hold
from .key_names import unknown_keys
from .license import AckLevel, Kind
from .license_table import check_end_users
from .value_codecs import (
    AUTHORITY,
    COUNTRY,
    DATE,
    HS_CODE,
    LICENSE_ID,
    NAMES,
    NOTE,
    QUANTITY,
    TEXT,
    Codec,
    choice,
)
from .values import DEFAULT_AUTHORITY, MAX_ID, check_int, describe, merged_names


class Purpose(enum.StrEnum):
    """What an application is for: ``kind`` in its JSON row (a stored ``kind``
    is the kind of license applied for, as on a license)."""

    NEW = "new"
    RENEWAL = "renewal"  # names the license it renews (art. 18: a new application)
    CHANGE = "change"  # a non-key element of license ``changes`` (art. 18, 20 days)


class AppStatus(enum.StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


_APP_ID_TEXT: Final = re.compile(r"[Aa]([1-9][0-9]*)")


def app_id_of(text: str) -> int | None:
    """The number of an application id typed as ``A12`` (any case), else None."""
    found = _APP_ID_TEXT.fullmatch(text.strip())
    return int(found[1]) if found else None


def _check_app_id(name: str, value: Any) -> int:
    number = app_id_of(value) if isinstance(value, str) else None
    if number is None:
        raise InvalidValue(
            name, f'expected an application id such as "A1", got {describe(value)}'
        )
    return check_int(name, number, 1, MAX_ID)


def app_label(number: int) -> str:
    return f"A{number}"


APP_ID: Final = Codec(_check_app_id, _check_app_id, app_label, app_label)
_NO_EXTRA: Mapping[str, Any] = {}
_NO_DAY: Final = date(1900, 1, 1)


class Application(NamedTuple):
    """One application. The order of the fields is their order on disk."""

    id: Annotated[int, APP_ID] = 0
    renews: Annotated[int | None, LICENSE_ID] = None
    material: Annotated[str, TEXT] = ""
    destination: Annotated[str, COUNTRY] = ""
    end_user: Annotated[str | None, TEXT] = None
    exporter: Annotated[str | None, TEXT] = None
    kind: Annotated[str | None, choice(Kind)] = None
    authority: Annotated[str | None, AUTHORITY] = None
    end_users: Annotated[tuple[str, ...] | None, NAMES] = None
    end_use: Annotated[str | None, TEXT] = None
    # Art. 18, a non-key change: the license whose change this is (suspended
    # while it is pending; cancelled when it is granted).
    changes: Annotated[int | None, LICENSE_ID] = None
    # Art. 18, a key change: the license surrendered when this was filed.
    replaces: Annotated[int | None, LICENSE_ID] = None
    hs_code: Annotated[str | None, HS_CODE] = None
    quantity: Annotated[Decimal | None, QUANTITY] = None
    unit: Annotated[str | None, TEXT] = None
    reference: Annotated[str | None, TEXT] = None  # MOFCOM's acceptance number
    # None only for a renewal recorded before applications were (filed on a day
    # nobody wrote down).
    filed: Annotated[date | None, DATE] = None
    accepted: Annotated[date | None, DATE] = None
    # Art. 17: no statutory bound (a case for the State Council; art. 26: an end
    # user on the watch list): why, in words.
    unbounded: Annotated[str | None, TEXT] = None
    # Stops of the review clock (expert review, on-site checks): see holds.py.
    holds: Annotated[tuple[Hold, ...], HOLDS] = ()
    status: Annotated[str, choice(AppStatus)] = AppStatus.PENDING
    decided: Annotated[date | None, DATE] = None
    license: Annotated[int | None, LICENSE_ID] = None
    reason: Annotated[str | None, TEXT] = None
    notes: Annotated[str | None, NOTE] = None
    # licenses ack (see License): seen, and quiet until a day or a worse level.
    acked: Annotated[date | None, DATE] = None
    ack_level: Annotated[str | None, choice(AckLevel)] = None
    ack_until: Annotated[date | None, DATE] = None
    ack_note: Annotated[str | None, NOTE] = None
    extra: Mapping[str, Any] = _NO_EXTRA

    @property
    def pending(self) -> bool:
        return self.status == AppStatus.PENDING

    @property
    def purpose(self) -> Purpose:
        if self.changes is not None:
            return Purpose.CHANGE
        return Purpose.NEW if self.renews is None else Purpose.RENEWAL

    @property
    def issuer(self) -> str:
        """The authority's name: MOFCOM when the application names none."""
        return self.authority or DEFAULT_AUTHORITY

    @property
    def all_end_users(self) -> tuple[str, ...]:
        return merged_names(self.end_user, self.end_users)

    @property
    def started(self) -> date | None:
        """Where MOFCOM's clock starts: acceptance, or filing when not known."""
        return self.accepted or self.filed

    def label(self) -> str:
        """How messages name it: "application A3", and what it renews."""
        if self.renews:
            return (
                f"application {app_label(self.id)} (renewal of license {self.renews})"
            )
        if self.changes:
            return (
                f"application {app_label(self.id)} (change of license {self.changes})"
            )
        return f"application {app_label(self.id)}"


class Filing(NamedTuple):
    """An application's filing as a command gives it (apply, change): the
    service fills ``filed`` (today when no day was given) and writes these
    fields onto the new application."""

    filed: date | None  # None: today (no day was given)
    accepted: date | None = None
    reference: str | None = None
    notes: str | None = None


APP_CODECS: Final[dict[str, Codec]] = {
    key: hint.__metadata__[0]
    for key, hint in Application.__annotations__.items()
    if key != "extra"
}
_REQUIRED: Final = ("id", "material", "destination")
_DECISIONS: Final = (AppStatus.GRANTED, AppStatus.REFUSED)


def application_from_table(table: Mapping[str, Any]) -> Application:
    """Validate one ``[[application]]`` table; raises InvalidValue naming the field."""
    extra = unknown_keys(table, APP_CODECS)
    for key in _REQUIRED:
        if table.get(key) is None:
            raise InvalidValue(key, "is missing")
    checked = {
        key: codec.check(key, table[key])
        for key, codec in APP_CODECS.items()
        if table.get(key) is not None
    }
    app = Application(**checked, extra=extra)
    _check_dates(app)
    check_end_users(app.kind, app.end_user, app.end_users)
    if app.changes is not None and app.renews is not None:
        raise InvalidValue(
            "changes", "an application renews a license or changes one, not both"
        )
    if app.pending and (app.decided or app.license):
        raise InvalidValue("status", "a pending application has no decision yet")
    if app.status in _DECISIONS and app.decided is None:
        # grant and refuse always write it: without it the decision counts in
        # no review time, and nothing says when the license was granted.
        raise InvalidValue(
            "decided",
            f"is missing: a {app.status} application carries the day it was "
            f"{app.status}",
        )
    if app.license is not None and app.status != AppStatus.GRANTED:
        raise InvalidValue(
            "license", f"only a granted application has one, not {app.status}"
        )
    return app


def _check_dates(app: Application) -> None:
    if app.filed and app.accepted and app.accepted < app.filed:
        raise InvalidValue("accepted", f"{app.accepted} is before filing ({app.filed})")
    start = app.started
    if start and app.decided and app.decided < start:
        raise InvalidValue("decided", f"{app.decided} is before {start}")
    if not app.holds:
        return
    first, last = app.holds[0], app.holds[-1]
    if app.filed and first.stopped < app.filed:
        raise InvalidValue(
            "holds #1 from", f"{first.stopped} is before filing ({app.filed})"
        )
    if app.decided is None:
        return
    n = len(app.holds)
    if open_hold(app.holds):
        raise InvalidValue(
            f"holds #{n} to",
            f"is missing, but the application was {app.status} on {app.decided}: "
            "the clock ran again by then",
        )
    if last.resumed is not None and last.resumed > app.decided:
        raise InvalidValue(
            f"holds #{n} to", f"{last.resumed} is after the decision ({app.decided})"
        )


def application_to_table(app: Application) -> dict[str, Any]:
    """The TOML table: keys in the order on disk, empty ones left out."""
    table = {
        key: shown
        for (key, codec), value in zip(APP_CODECS.items(), app, strict=False)
        if value is not None
        # holds: none is no key at all
        and (shown := codec.to_toml(value)) is not None
    }
    return table | dict(app.extra)
