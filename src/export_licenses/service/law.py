"""The law's rules on a license, as the operations apply them: its authority's
profile, the cap on its term by kind (Order 792 art. 15, or the authority's own
figure), the term a new license gets, and what the law adds to a verdict (a
stored term over its cap, a pending change: Order 792 art. 18).

The service side of ``domain/law.py``: here its pure rules are applied to a
store's records with each authority's profile (``domain/authorities.py``,
``data/authorities.toml``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from export_licenses.domain import rules
from export_licenses.domain.application import app_label
from export_licenses.domain.law import (
    default_term,
    over_cap,
    stored_over_cap,
    suspended_reason,
    with_findings,
)
from export_licenses.domain.license import License, Status
from export_licenses.domain.months import add_months
from export_licenses.domain.values import DEFAULT_AUTHORITY, MAX_YEAR
from export_licenses.errors import FieldProblem

if TYPE_CHECKING:
    from export_licenses.domain.authorities import AuthorityProfile
    from export_licenses.domain.store_data import StoreData


class Law:
    """What the law adds to a verdict (domain/law.py): a stored term over its
    kind's cap is a warning; a suspended license says which change it waits
    for. Only licenses with a kind or an authority read the profiles."""

    def __init__(self, data: StoreData) -> None:
        self._data = data
        self._changes = {
            app.changes: app_label(app.id)
            for app in data.applications
            if app.pending and app.changes is not None
        }
        self._profiles: dict[str | None, AuthorityProfile] = {}

    def judged(self, lic: License, verdict: rules.Verdict) -> rules.Verdict:
        plain = lic.kind is None and lic.authority is None
        if verdict.level is None or (plain and lic.status != Status.SUSPENDED):
            return verdict
        found: list[tuple[rules.Level, str]] = []
        if lic.kind is not None or lic.authority is not None:
            profile = self._profiles.get(lic.authority)
            if profile is None:
                profile = self._profiles[lic.authority] = profile_of(
                    self._data, lic.authority
                )
            breach = over_cap(lic, profile, verdict.expires)
            if breach is not None:
                found.append(
                    (rules.Level.WARNING, stored_over_cap(breach, verdict.expires))
                )
        if lic.status == Status.SUSPENDED:
            found.append((rules.Level.OK, suspended_reason(self._changes.get(lic.id))))
        return with_findings(verdict, found)


def profile_of(data: StoreData, name: str | None) -> AuthorityProfile:
    """The profile of the authority a record names (MOFCOM when none): the
    store's reading checked that it exists."""
    # The profiles (the shipped authorities.toml, read and checked): only for a
    # record that names a kind or an authority.
    from export_licenses.domain.authorities import find_authority  # noqa: PLC0415 - authority profiles only (5.5 M instructions)
    from export_licenses.storage.profiles import profiles_of  # noqa: PLC0415 - authority profiles only (6.1 M instructions)

    profiles = profiles_of(data.authorities, "the store")
    found = find_authority(profiles, name or DEFAULT_AUTHORITY)
    if found is None:  # a record built in code, not yet checked
        raise FieldProblem("authority", f"{name!r} is not a known authority")
    return found


def with_term(data: StoreData, lic: License) -> License:
    """A new license given no term gets its authority's (the store's term_months
    at MOFCOM), recorded on it; then its term is checked against its kind's cap
    (Order 792 art. 15, or the authority's own figure)."""
    profile = profile_of(data, lic.authority)
    if lic.term_months is None and lic.expires is None:
        term = default_term(profile, lic.kind, data.settings.term_months)
        end = add_months(lic.issued, term)
        if end.year > MAX_YEAR:  # the stored license would be refused (65)
            raise FieldProblem(
                "issued",
                f"{lic.issued} with the default term of {term} months would expire "
                f"on {end}, after the year {MAX_YEAR}",
            )
        lic = lic._replace(term_months=term)
    check_cap(data, lic, profile)
    return lic


def check_cap(
    data: StoreData, lic: License, profile: AuthorityProfile | None = None
) -> None:
    """A FieldProblem naming the article when ``lic`` runs longer than its kind
    may (add, edit, grant, import; a stored license is only warned about)."""
    profile = profile or profile_of(data, lic.authority)
    breach = over_cap(lic, profile, rules.expiry(lic, data.settings.term_months))
    if breach is not None:
        raise FieldProblem(breach.field, breach.text)


def known_authority(data: StoreData, name: str | None) -> str | None:
    """The profile's own spelling of an authority a person typed ("bis" is
    "BIS"), or a FieldProblem listing the ones the store knows."""
    if name is None:
        return None
    # The profiles (the shipped authorities.toml, read and checked): only for a
    # record that names a kind or an authority.
    from export_licenses.domain.authorities import find_authority  # noqa: PLC0415 - authority profiles only (5.5 M instructions)
    from export_licenses.storage.profiles import profiles_of  # noqa: PLC0415 - authority profiles only (6.1 M instructions)

    profiles = profiles_of(data.authorities, "the store")
    found = find_authority(profiles, name)
    if found is None:
        raise FieldProblem(
            "authority",
            f"{name!r} is not a known authority: {', '.join(profiles)}, or add "
            "an [authority.NAME] table to the store",
        )
    return found.name
