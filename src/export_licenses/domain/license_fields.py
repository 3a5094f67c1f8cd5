"""The closed sets of values a license's fields take, and the sets of them the rules
read: ``Status`` (where a license is in its life), ``Kind`` (Order 792 art. 15),
``AckLevel`` (the level an ack saw); ``ONE_EXPORT`` and ``ACTIVE_STATUSES``; and
how messages name a kind. ``domain/license.py``'s field table declares the fields
that hold them, and callers import them from there.
"""

import enum
from typing import Final, NamedTuple

from .value_codecs import Codec


class Status(enum.StrEnum):
    """Where a license is in its life; only active, renewal-filed and suspended
    ones are active (flagged, in due and warn)."""

    ACTIVE = "active"
    RENEWAL_FILED = "renewal-filed"
    RENEWED = "renewed"
    CLOSED = "closed"
    REVOKED = "revoked"
    # Order 792 art. 15: an individual license lapses once its export is done.
    EXPORTED = "exported"
    # Art. 18: a key element (item, destination, end user, end use) changed: a new
    # application, the old license surrendered and exports stopped.
    SURRENDERED = "surrendered"
    # Art. 18: a change of a non-key element is pending; the license is not used
    # meanwhile, and is back in use if the change is refused.
    SUSPENDED = "suspended"


class Kind(enum.StrEnum):  # Order 792 art. 15 (registration: arts. 15 and 19)
    INDIVIDUAL = "individual"  # one export to one end user, at most 1 year
    GENERAL = "general"  # repeated exports to one or several end users, 3 years
    REGISTRATION = "registration"  # an export certificate for each export


class AckLevel(enum.StrEnum):  # rules.Level's values: the level an ack saw
    OK = "ok"
    WARNING = "warning"
    CRITICAL = "critical"
    EXPIRED = "expired"


# Kinds that cover one export: the shipment that completes it ends the license.
ONE_EXPORT: Final = frozenset({Kind.INDIVIDUAL, Kind.REGISTRATION})
ACTIVE_STATUSES: Final = frozenset(
    {Status.ACTIVE, Status.RENEWAL_FILED, Status.SUSPENDED}
)


def with_article(word: str) -> str:
    """ "an individual", "a general", "a registration": how messages name a kind."""
    return ("an " if word[:1] in "aeiou" else "a ") + word


class Field(NamedTuple):
    """One license field's row in the table (its key is the attribute's name)."""

    codec: Codec
    required: bool = False
    settable: bool = False  # a person sets it: add and edit take an option for it
    unset: bool = False  # edit --unset may clear it
    renewed: bool = False  # a renewal (renew, grant) copies it
    label: str | None = None  # its line in show
    line: float = 0  # its place among show's lines (0: not shown)
    column: int = 0  # its place in the JSON/CSV row of list, due, warn (0: none)
    key: str = ""
