"""Shell completion of ids: license ids and numbers, application ids.

Typer generates the bash, zsh and fish scripts (``licenses --install-completion``);
the shell then runs ``licenses`` with _LICENSES_COMPLETE set for each <Tab>, and
these functions answer from the store the command line names (--store, else
$LICENSES_STORE, else the default). A completion never prints an error: a store
that cannot be read completes nothing.
"""

from typing import TYPE_CHECKING

import typer  # Typer reads these functions' annotations at run time

from export_licenses.errors import LicensesError

from .session import Session

if TYPE_CHECKING:
    from export_licenses.domain.store_data import StoreData


def _data(ctx: typer.Context) -> "StoreData | None":
    from export_licenses.storage import store_read

    try:
        return store_read.read(Session.of(ctx).store)
    except (LicensesError, OSError, ValueError):
        return None


def license_keys(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Ids and numbers of licenses starting with what is typed, with a hint."""
    return _licenses(ctx, incomplete, active_only=False)


def active_license_keys(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """For ship, close, apply, renew: only the licenses that can take them."""
    return _licenses(ctx, incomplete, active_only=True)


def _licenses(
    ctx: typer.Context, incomplete: str, *, active_only: bool
) -> list[tuple[str, str]]:
    data = _data(ctx)
    if data is None:
        return []
    # Typer keeps only the answers that start with what is typed, as typed.
    found = []
    for lic in data.licenses:
        if active_only and not lic.active:
            continue
        hint = f"{lic.number or 'no number'} {lic.material} to {lic.destination}"
        if str(lic.id).startswith(incomplete):
            found.append((str(lic.id), f"{hint} ({lic.status})"))
        if incomplete and lic.number and lic.number.startswith(incomplete):
            found.append((lic.number, f"license {lic.id} ({lic.status})"))
    return found


def application_keys(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Application ids (A1, A2, …) starting with what is typed."""
    return _applications(ctx, incomplete, pending_only=False)


def pending_application_keys(
    ctx: typer.Context, incomplete: str
) -> list[tuple[str, str]]:
    """For accept, grant, refuse, withdraw: only the pending applications."""
    return _applications(ctx, incomplete, pending_only=True)


def running_application_keys(
    ctx: typer.Context, incomplete: str
) -> list[tuple[str, str]]:
    """For hold: the pending applications whose review clock runs."""
    return _applications(ctx, incomplete, pending_only=True, stopped=False)


def stopped_application_keys(
    ctx: typer.Context, incomplete: str
) -> list[tuple[str, str]]:
    """For resume: the pending applications whose review clock is stopped."""
    return _applications(ctx, incomplete, pending_only=True, stopped=True)


def _applications(
    ctx: typer.Context,
    incomplete: str,
    *,
    pending_only: bool,
    stopped: bool | None = None,
) -> list[tuple[str, str]]:
    from export_licenses.domain.application import app_label
    from export_licenses.domain.holds import open_hold

    data = _data(ctx)
    if data is None:
        return []
    return [
        (label, f"{app.material} to {app.destination} ({app.status})")
        for app in data.applications
        if (label := app_label(app.id)).startswith(incomplete)
        and (app.pending or not pending_only)
        and (stopped is None or (open_hold(app.holds) is not None) == stopped)
    ]


def any_keys(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """For show: licenses and applications."""
    return license_keys(ctx, incomplete) + application_keys(ctx, incomplete)
