"""``show``: one license, every field, from the field table plus its verdict."""

from __future__ import annotations

import textwrap
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Final, TextIO

from export_licenses.domain.countries import name_of
from export_licenses.domain.drawdown import misdated
from export_licenses.domain.forecast import STATUTORY, a_percent
from export_licenses.domain.license import FIELDS, Status
from export_licenses.domain.planning_dates import act_by_words
from export_licenses.domain.rows import Row

from .cells import paint
from .console import LEVEL_STYLE, Look, screen_size

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from decimal import Decimal

    from export_licenses.domain.controls import ControlRef
    from export_licenses.domain.license import License
    from export_licenses.domain.rows import AppRow
    from export_licenses.domain.rules import Verdict


def detail_object(row: Row | AppRow) -> dict[str, Any]:
    """show's JSON: the row plus every key a person added by hand."""
    obj = row.as_json()
    record = row.license if isinstance(row, Row) else row.application
    for key in ACK_KEYS:  # licenses ack, in show's JSON only
        value = getattr(record, key)
        obj[key] = value.isoformat() if isinstance(value, date) else value
    obj.update((k, v) for k, v in record.extra.items() if k not in obj)
    return obj


ACK_KEYS: Final = ("acked", "ack_level", "ack_until", "ack_note")


def seen(record: Any) -> str | None:
    """An ack in words: "on 2026-01-15 at critical; no notification until
    2026-01-19: filing on Monday"; None when there is none."""
    if record.acked is None and record.ack_until is None:
        return None
    level = f" at {record.ack_level}" if record.ack_level else ""
    quiet = (
        f"no notification until {record.ack_until}"
        if record.ack_until
        else "no notification unless the level worsens"
    )
    note = f": {record.ack_note}" if record.ack_note else ""
    return f"on {record.acked or 'an unknown day'}{level}; {quiet}{note}"


def detail_pairs(row: Row) -> list[tuple[str, str]]:
    """show's lines: every field with a label in the field table, the verdict's
    lines at their places, then the keys a person added by hand."""
    lic = row.license
    lines = [
        (
            field.line,
            field.label,
            _FORMAT.get(field.key, _plain)(lic, getattr(lic, field.key)),
        )
        for field in FIELDS
        if field.line and field.label
    ]
    lines.extend((line, label, shown(row)) for line, label, shown in _COMPUTED)
    ack = seen(lic)
    if ack is not None:
        lines.append((10.5, "Seen", ack))
    pairs = [(label, text) for _, label, text in sorted(lines)]
    pairs.extend((key, _toml_value(value)) for key, value in lic.extra.items())
    return pairs


def _shown(lic: License, key: str) -> str:
    return _FORMAT.get(key, _plain)(lic, getattr(lic, key))


def _plain(_: License, value: Any) -> str:
    return "-" if value is None else str(value)


def _term(row: Row) -> str:
    lic = row.license
    if lic.expires is not None:
        return "explicit expiry"
    if lic.term_months is not None:
        return f"{lic.term_months} months"
    return f"{row.term_months} months (the store's default term)"


def _level(row: Row) -> str:
    return row.verdict.level.value if row.verdict.level else "- (not active)"


def _renew_by(row: Row) -> str:
    lic, deadline = row.license, row.verdict.renew_by
    if deadline is None:
        return "-"
    guessed = row.verdict.estimated or row.review_estimate
    estimate = "; estimated" if guessed else ""
    if lic.status == Status.RENEWAL_FILED:
        return f"{deadline} (renewal filed on {lic.renewal_filed or '?'}{estimate})"
    if row.review_basis == "target":  # another authority's target (issue 23)
        estimate += "; on a review target, not a bound"
    return f"{deadline} (last day to file the renewal{estimate})"


def _review_time(row: Row) -> str:
    if row.review_clock is not None:  # another authority's (issue 23)
        return row.review_clock
    if row.review_days is None:
        return "-"
    thin = "; an estimate: fewer than 5 observed that long" * row.review_estimate
    return f"{row.review_days} working days ({row.review_basis}{thin})"


def _forecast(row: Row) -> str:
    """What the review-time history says of the renewal (``forecast_basis``)."""
    verdict = row.verdict
    basis = verdict.forecast_basis
    if basis is None:
        return "-"
    if row.review_clock is not None:
        return f"- (the history is MOFCOM's alone: {row.license.issuer} is not in it)"
    if basis == STATUTORY:
        return "statutory (fewer than 5 decided applications to learn from)"
    chance = verdict.p_decision_by_expiry
    # The day agenda and due date the renewal by: file_by, else (no day
    # reaches the confidence) the last whose time to the expiry covers every
    # wait seen.
    today = _day_of(verdict)
    planned = act_by_words(verdict, today)
    parts = [] if planned is None else [planned]
    if chance is not None:
        when = " if filed today" if row.license.status == Status.ACTIVE else ""
        parts.append(
            f"{verdict.p_bound}{a_percent(chance)} chance of a decision before "
            f"expiry{when}"
        )
    estimate = "; estimated" if verdict.forecast_estimate else ""
    return f"{'; '.join(parts) or 'no estimate'} ({basis}{estimate})"


def controls_text(refs: Sequence[ControlRef]) -> str:
    """The controls a record may fall under, one a line, and the catalogue's
    date: it knows nothing after it (issue 23)."""
    from export_licenses.service.controls import resting_on  # noqa: PLC0415 - output naming controls

    as_of = resting_on(
        (r.number for r in refs), frozenset(r.number for r in refs if r.own)
    )
    if not refs:
        return f"- (none known: {as_of})"
    lines = [f"{ref.number}: {ref.text}" for ref in refs]
    return "\n".join([*lines, f"({as_of}; a match means it may fall under it)"])


def _quantity(amount: Decimal | None, unit: str | None) -> str:
    if amount is None:
        return "-"
    return f"{amount.normalize():f}" + (f" {unit}" if unit else "")


def _shipped(row: Row) -> str:
    lic = row.license
    if not lic.shipments:
        return "-"
    lines = [f"{_quantity(lic.shipped, lic.unit)} in {len(lic.shipments)} shipment(s)"]
    # A day that cannot be (typed by hand) is said on its line, as Why says it.
    today = _day_of(row.verdict)
    odd = {m.number: m.ahead for m in misdated(lic, today)}
    lines.extend(
        f"  {s.on}  {_quantity(s.quantity, lic.unit)}"
        + (f"  ({_ODD[odd[n]]})" if n in odd else "")
        + (f"  {s.note}" if s.note else "")
        for n, s in enumerate(lic.shipments, start=1)
    )
    return "\n".join(lines)


_ODD: Final = {True: "dated after today", False: "dated before issue"}


def _closed(lic: License, _: object = None) -> str:
    if lic.closed is None:
        return "-"
    return f"{lic.closed}" + (f" ({lic.close_reason})" if lic.close_reason else "")


def _country(_: License, code: str) -> str:
    name = name_of(code)
    return f"{code} ({name})" if name else code


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    import json  # noqa: PLC0415 - a key the tool does not know, not a text (5.9 M instructions)

    return json.dumps(value, default=str)


def details(
    pairs: Sequence[tuple[str, str]], level: str | None, stream: TextIO, look: Look
) -> None:
    width = max(len(key) for key, _ in pairs)
    if not look.rich:
        for key, value in pairs:
            lines = value.splitlines() or [""]
            first = lines[0]
            if key == "Level" and level:  # FORCE_COLOR in a pipe: only colour
                first = paint(first, LEVEL_STYLE[level], color=look.color)
            stream.write(f"{key + ':':<{width + 1}} {first}\n")
            stream.writelines(f"{'':<{width + 1}} {more}\n" for more in lines[1:])
        return
    columns, _ = screen_size(stream)
    room = max(20, columns - width - 2)  # long values wrap under themselves
    out = []
    for key, value in pairs:
        lines = [
            wrapped
            for given in value.splitlines() or [""]
            for wrapped in textwrap.wrap(given, room, break_on_hyphens=False) or [""]
        ]
        shown = lines[0]
        if key == "Level" and level:
            shown = paint(shown, LEVEL_STYLE[level], color=look.color)
        label = paint(key, "bold", color=look.color) + " " * (width - len(key))
        out.append(f"{label}  {shown}\n")
        out.extend(f"{'':<{width}}  {more}\n" for more in lines[1:])
    stream.write("".join(out))


def _license_link(_: License, other: int | None) -> str:
    return f"license {other}" if other else "-"


# Fields shown otherwise than as their plain value.
_FORMAT: Final[dict[str, Callable[[License, Any], str]]] = {
    "destination": _country,
    "quantity": lambda lic, amount: _quantity(amount, lic.unit),
    "renews": _license_link,
    "superseded_by": _license_link,
    "closed": _closed,
    # No authority named: MOFCOM's license, as every store before issue 23.
    "authority": lambda lic, _: lic.issuer,
    "end_users": lambda _, names: "; ".join(names) if names else "-",
}
# The verdict's lines, at their places among the fields' (``Field.line``).
_COMPUTED: Final[tuple[tuple[float, str, Callable[[Row], str]], ...]] = (
    (6, "Term", _term),
    (7, "Expires", lambda row: f"{row.verdict.expires} (last valid day)"),
    (8, "Renew by", _renew_by),
    (8.5, "Review time", _review_time),
    (8.6, "Forecast", _forecast),
    (9, "Days left", lambda row: str(row.verdict.days_left)),
    (10, "Level", _level),
    (11, "Why", lambda row: "\n".join(row.verdict.reasons) or "-"),
    (11.5, "Controls", lambda row: controls_text(row.controls)),
    (18, "Shipped", _shipped),
)


def _day_of(verdict: Verdict) -> date:
    """The day ``verdict`` was worked out on (its days left count from it)."""
    return verdict.expires - timedelta(days=verdict.days_left)
