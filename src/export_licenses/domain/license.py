"""The license record: its one field table, and the keys derived from it.

``License`` is the field table: each field is declared once, with its type and a
``Field`` that says how it is checked, typed in, written to TOML and JSON, whether
a person sets it (with add and edit), whether ``edit --unset`` clears it, whether a
renewal copies it, and where it stands in the JSON/CSV row and in ``show``.
Everything that lists license fields — validation, the TOML table, the JSON row,
the CSV columns, ``show``'s lines, ``--unset``'s choices, ``renew``'s copy — is
derived from it. The options that set them are the command line's own
(``cli/fields.py``); ``tests/test_fields.py`` checks that each settable field has
one on add and edit. The values its choice fields take (``Status``, ``Kind``,
``AckLevel``) are in ``license_fields.py`` and imported from here; one record
validated, as a TOML table and back, is ``license_table.py``.

(Not ``from __future__ import annotations``: the table's annotations are read at
run time.)
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Final, NamedTuple

from .license_fields import ACTIVE_STATUSES, AckLevel, Field, Kind, Status
from .shipment import SHIPMENTS, Shipment
from .value_codecs import (
    AUTHORITY,
    COUNTRY,
    DATE,
    HS_CODE,
    LICENSE_ID,
    MONTHS,
    NAMES,
    NOTE,
    QUANTITY,
    RENEWAL,
    TEXT,
    choice,
)
from .values import DEFAULT_AUTHORITY, MAX_ID, MAX_TERM_MONTHS, merged_names

STORE_VERSION: Final = 1
__all__ = ["MAX_ID", "MAX_TERM_MONTHS", "AckLevel", "Field", "Kind", "Status"]


# Keys a person wrote that this version does not know. The default is shared, so
# it is never changed in place: code builds new mappings instead.
_NO_EXTRA: Mapping[str, Any] = {}
_NO_DAY: Final = date(1900, 1, 1)  # placeholders: validation requires the real ones


class License(NamedTuple):
    """A license. The order of the fields is their order on disk; new fields only
    ever go between old ones, so files written by older versions rewrite unchanged.

    Records are NamedTuples: immutable and typed like frozen dataclasses, and built
    in C, which matters when a store holds 100,000 licenses.
    """

    id: Annotated[
        int, Field(LICENSE_ID, required=True, label="ID", line=1, column=1)
    ] = 0
    number: Annotated[
        str | None,
        Field(
            TEXT,
            settable=True,
            unset=True,
            label="Number",
            line=2,
            column=2,
        ),
    ] = None
    kind: Annotated[
        str | None,
        Field(
            choice(Kind),
            settable=True,
            unset=True,
            renewed=True,
            label="Kind",
            line=13,
            column=14,
        ),
    ] = None
    authority: Annotated[
        str | None,
        Field(
            AUTHORITY,
            settable=True,
            unset=True,
            renewed=True,
            label="Authority",
            line=13.5,
        ),
    ] = None
    material: Annotated[
        str,
        Field(
            TEXT,
            required=True,
            settable=True,
            renewed=True,
            label="Material",
            line=3,
            column=3,
        ),
    ] = ""
    hs_code: Annotated[
        str | None,
        Field(
            HS_CODE,
            settable=True,
            unset=True,
            renewed=True,
            label="HS code",
            line=16,
            column=17,
        ),
    ] = None
    quantity: Annotated[
        Decimal | None,
        Field(
            QUANTITY,
            settable=True,
            unset=True,
            renewed=True,
            label="Quantity",
            line=17,
            column=18,
        ),
    ] = None
    unit: Annotated[
        str | None,
        Field(
            TEXT,
            settable=True,
            unset=True,
            renewed=True,
            column=19,
        ),
    ] = None
    destination: Annotated[
        str,
        Field(
            COUNTRY,
            required=True,
            settable=True,
            renewed=True,
            label="Destination",
            line=4,
            column=4,
        ),
    ] = ""
    exporter: Annotated[
        str | None,
        Field(
            TEXT,
            settable=True,
            unset=True,
            renewed=True,
            label="Exporter",
            line=14,
            column=15,
        ),
    ] = None
    end_user: Annotated[
        str | None,
        Field(
            TEXT,
            settable=True,
            unset=True,
            renewed=True,
            label="End user",
            line=15,
            column=16,
        ),
    ] = None
    end_users: Annotated[
        tuple[str, ...] | None,
        Field(
            NAMES,
            settable=True,
            unset=True,
            renewed=True,
            label="End users",
            line=15.2,
            column=32,
        ),
    ] = None
    end_use: Annotated[
        str | None,
        Field(
            TEXT,
            settable=True,
            unset=True,
            renewed=True,
            label="End use",
            line=15.5,
            column=31,
        ),
    ] = None
    issued: Annotated[
        date,
        Field(
            DATE,
            required=True,
            settable=True,
            label="Issued",
            line=5,
            column=5,
        ),
    ] = _NO_DAY
    term_months: Annotated[
        int | None,
        Field(
            MONTHS,
            settable=True,
            column=10,
        ),
    ] = None
    expires: Annotated[
        date | None,
        Field(
            DATE,
            settable=True,
        ),
    ] = None
    renewal: Annotated[
        bool | None,
        Field(RENEWAL, settable=True, column=24),
    ] = None
    status: Annotated[str, Field(choice(Status), label="Status", line=12, column=9)] = (
        Status.ACTIVE
    )
    renewal_filed: Annotated[date | None, Field(DATE, column=21)] = None
    renews: Annotated[
        int | None, Field(LICENSE_ID, label="Renews", line=19, column=22)
    ] = None
    superseded_by: Annotated[
        int | None, Field(LICENSE_ID, label="Superseded by", line=20, column=23)
    ] = None
    # Order 792 art. 18: the license this one replaced after a change of it
    # (a change application granted, or a new application for a key change).
    replaces: Annotated[
        int | None, Field(LICENSE_ID, label="Replaces", line=20.5, column=34)
    ] = None
    closed: Annotated[date | None, Field(DATE, label="Closed", line=21)] = None
    close_reason: Annotated[str | None, Field(TEXT)] = None
    # A closed or revoked license taken back (reopen); closed stays as history.
    reopened: Annotated[date | None, Field(DATE, label="Reopened", line=21.5)] = None
    notes: Annotated[
        str | None,
        Field(
            NOTE,
            settable=True,
            unset=True,
            label="Notes",
            line=22,
            column=11,
        ),
    ] = None
    # licenses ack: seen on ``acked`` at ``ack_level``; no notification until
    # ``ack_until`` or until the level worsens. Shared by the team in the store.
    acked: Annotated[date | None, Field(DATE)] = None
    ack_level: Annotated[str | None, Field(choice(AckLevel))] = None
    ack_until: Annotated[date | None, Field(DATE)] = None
    ack_note: Annotated[str | None, Field(NOTE)] = None
    shipments: Annotated[tuple[Shipment, ...], Field(SHIPMENTS)] = ()
    # Keys a person wrote that this version does not know: kept on every rewrite.
    extra: Mapping[str, Any] = _NO_EXTRA

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def renewal_pending(self) -> bool:
        """Its renewal is filed and not decided: renewal-filed, or suspended
        for a change (Order 792 art. 18) with its renewal filed meanwhile, a
        renewal being a new application (DOMAIN.md)."""
        return self.status == Status.RENEWAL_FILED or (
            self.status == Status.SUSPENDED and self.renewal_filed is not None
        )

    @property
    def issuer(self) -> str:
        """The authority's name: MOFCOM when the license names none."""
        return self.authority or DEFAULT_AUTHORITY

    @property
    def all_end_users(self) -> tuple[str, ...]:
        """``end_user`` and ``end_users``, each once, in the order written."""
        return merged_names(self.end_user, self.end_users)

    @property
    def shipped(self) -> Decimal:
        return sum((s.quantity for s in self.shipments), Decimal(0))

    def label(self) -> str:
        """How messages name the license: its id, and its number when it has one."""
        return f"license {self.id}" + (f" ({self.number})" if self.number else "")


FIELDS: Final = tuple(
    hint.__metadata__[0]._replace(key=key)
    for key, hint in License.__annotations__.items()
    if key != "extra"
)
BY_KEY: Final = {field.key: field for field in FIELDS}
LICENSE_KEYS: Final = tuple(field.key for field in FIELDS)  # the order on disk
SETTABLE: Final = tuple(field.key for field in FIELDS if field.settable)
UNSETTABLE: Final = tuple(field.key for field in FIELDS if field.unset)
RENEWED: Final = tuple(field.key for field in FIELDS if field.renewed)
