"""The law's shape of a license: how long it may run, by kind and authority.

Order 792 art. 15: an individual license is valid at most 1 year, a general one
at most 3; other authorities have their own figures (``domain/authorities.py``,
``data/authorities.toml``). Only a figure set by law (basis ``bound``) refuses a
term: a usual one (BIS's 4 years) is what is granted, not a limit. A license
with no ``kind`` has no cap at MOFCOM, as before kinds were meaningful, so no
store written before them is refused.

The domain side of ``service/law.py``: here the pure rules; the service applies
them to a store's records with each authority's profile.
"""

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Final, NamedTuple

from .license_fields import with_article
from .months import add_months
from .rules import Level, Verdict, worst
from .values import DEFAULT_AUTHORITY

if TYPE_CHECKING:
    from .authorities import AuthorityProfile
    from .license import License


# Order 792 art. 18: the elements whose change during validity needs a new
# application (the old license surrendered): the item, the destination, the
# end user and the end use.
KEY_FIELDS: Final = ("material", "destination", "end_user", "end_users", "end_use")
# What a change application changes instead (decided within 20 working days,
# the license suspended meanwhile): the license's other recorded terms.
NON_KEY_FIELDS: Final = ("quantity", "unit", "exporter", "hs_code")
# Art. 18: a change application is decided within 20 working days of acceptance
# (MOFCOM's profile says so too: ``change_review`` in data/authorities.toml).
CHANGE_REVIEW_DAYS: Final = 20


class CapBreach(NamedTuple):
    field: str  # what sets the validity: "expires" or "term_months"
    text: str  # "an individual license is valid at most 12 months (Order 792 art. 15)"
    longest: date  # the last day the cap allows


def over_cap(
    lic: "License", profile: "AuthorityProfile", expires: date
) -> CapBreach | None:
    """Whether ``lic``, valid until ``expires``, runs longer than its kind may."""
    cap = profile.cap_for(lic.kind)
    if cap is None or cap.months is None or not cap.bound:
        return None
    longest = add_months(lic.issued, cap.months)
    if expires <= longest:
        return None
    subject = f"{with_article(lic.kind)} license" if lic.kind else "a license"
    if profile.name != DEFAULT_AUTHORITY:
        subject += f" of {profile.name}"
    cite = f" ({cap.cite})" if cap.cite else ""
    text = f"{subject} is valid at most {cap.months} months{cite}"
    return CapBreach(
        "expires" if lic.expires is not None else "term_months", text, longest
    )


def stored_over_cap(breach: CapBreach, expires: date) -> str:
    """The reason a stored license that runs too long is given (it is read, not
    refused: the store may predate the kind)."""
    return f"{breach.text}; this one runs to {expires}, past {breach.longest}: check it"


def default_term(profile: "AuthorityProfile", kind: str | None, setting: int) -> int:
    """The term of a new license given none: the store's ``term_months`` at
    MOFCOM (six months in practice, DOMAIN.md); elsewhere the profile's figure
    for the kind (BIS: 48 months, usually)."""
    if profile.name == DEFAULT_AUTHORITY:
        return setting
    cap = profile.cap_for(kind)
    return setting if cap is None or cap.months is None else cap.months


def suspended_reason(application: str | None) -> str:
    which = f" {application}" if application else ""
    return (
        f"suspended: the change application{which} is pending; not to be used "
        "until it is decided (Order 792 art. 18)"
    )


def with_findings(verdict: Verdict, found: Sequence[tuple[Level, str]]) -> Verdict:
    """The verdict with what the law adds (a term over its cap, a pending
    change): each a reason, the level the worst of all. A license no longer
    in use has no level, and gets none."""
    if not found or verdict.level is None:
        return verdict
    return verdict._replace(
        level=worst([verdict.level, *(level for level, _ in found)]),
        reasons=(*verdict.reasons, *(text for _, text in found)),
    )
