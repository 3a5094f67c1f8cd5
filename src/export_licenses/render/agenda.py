"""agenda on a terminal and in a pipe: the actions grouped (overdue, this week,
next week, later), one line each at any width from 60 columns; and as JSON or CSV.

A line is: date, what to do, on what (id, number, material → destination), and
a short detail. When the terminal is narrow the license number is shortened
first, keeping its distinguishing end (``…DY-0412``), then the material, then
the detail (after a whole word: a date is shown whole or not at all); the
date, the verb, the id and the destination always stay. A detail the column
would cut is whole on its own line when that line's material can give way
(``_material_room``). A control's line has no
id, number or destination: when its announcement or its detail would be cut,
they take that room ("MOFCOM 2024 No. 46  suspension ended 2026-11-27").

The render side of ``domain/agenda.py`` and ``service/agenda.py``: here the
actions the service gathered are drawn; the command is ``agenda`` in
``cli/views.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, TextIO

from export_licenses.domain import agenda
from export_licenses.domain.application import app_label
from export_licenses.domain.rules import estimate_reason

from .cells import (
    GAP,
    pad,
    paint,
    shorten,
    shorten_all,
    shorten_middle,
    shorten_start,
    shorten_words,
    width_of,
)
from .console import LEVEL_STYLE, Look, screen_size, unicode_ok
from .formats import objects_as

if TYPE_CHECKING:
    from collections.abc import Sequence

    from export_licenses.domain.agenda import Action
    from export_licenses.service.agenda import AgendaReport

# The narrowest each shortened part gets before the next one gives way.
NUMBER_AT_LEAST: Final = 8  # "…DY-0412"
MATERIAL_AT_LEAST: Final = 10
MATERIAL_KEPT: Final = 14  # below this, the number goes first ("NdFeB…terbium")
DETAIL_AT_LEAST: Final = 12
# What a detail keeps before the number goes: "file now, 22 % chance" (21),
# "66 working days late", "expired 2025-12-20" whole at 80 columns.
DETAIL_WANTED: Final = 22
DATE_WIDTH: Final = 10


def write(report: AgendaReport, fmt: str, stream: TextIO, look: Look) -> None:
    if fmt in {"json", "csv", "tsv"}:
        objects = [action.as_json() for action in report.actions]
        stream.write(objects_as(objects, fmt, agenda.AGENDA_KEYS))
        return
    width = screen_size(stream)[0] if look.rich else None
    stream.write(lines(report, width, color=look.color))


def _parts(action: Action, arrow: str) -> tuple[str, str, str, str, str]:
    """ref, number, material, destination and detail of a line."""
    if action.license is not None:
        ref = str(action.license)
    elif action.application is not None:
        ref = app_label(action.application)
    else:
        ref = ""
    detail = action.detail + (f"; {action.seen}" if action.seen else "")
    destination = f"{arrow} {action.destination}" if action.destination else ""
    number = action.number or ""
    if action.code == "apply_uncovered":
        # Its controls, not a license's number: in the last column, where a
        # long list widens no other line (in the number column it widened
        # every line of a piped or mailed agenda by ~40 columns).
        detail, number = f"{detail}: {number}", ""
    return ref, number, action.material, destination, detail


def lines(report: AgendaReport, width: int | None, *, color: bool) -> str:
    """The grouped lines; ``width`` None: nothing shortened (a pipe)."""
    if not report.actions:
        return ""
    arrow = "→" if unicode_ok() else "->"
    parts = [_parts(action, arrow) for action in report.actions]
    verbs = max(width_of(action.verb) for action in report.actions)
    # On a terminal, a control's line (no id, number or destination) may span
    # the empty columns, so the columns are fitted to the other lines.
    spanning = [width is not None and not (p[0] or p[1] or p[3]) for p in parts]
    fitted = [p for p, span in zip(parts, spanning, strict=True) if not span] or parts
    widths = _fit([list(column) for column in zip(*fitted, strict=True)], verbs, width)
    numbers = [shorten_start(p[1], widths[1]) for p in parts]
    materials = shorten_all([p[2] for p in parts], widths[2])
    out: list[str] = []
    group = None
    for at, action in enumerate(report.actions):
        now = agenda.group_of(action.day, report.today)
        if now != group:
            if group is not None:
                out.append("")
            out.append(paint(now.capitalize(), "bold", color=color))
            group = now
        ref, _, what, destination, detail = parts[at]
        cramped = width_of(what) > widths[2] or width_of(detail) > widths[4]
        if spanning[at] and width is not None and cramped:  # width: for mypy
            head = f"{action.day.isoformat()}{' ' * GAP}"
            verb = paint(pad(action.verb, verbs), _style(action), color=color)
            room = width - width_of(head) - verbs - GAP
            out.append(head + verb + " " * GAP + _spanned(what, detail, widths, room))
            continue
        material, room = pad(materials[at], widths[2]), widths[4]
        given = _material_room(what, detail, widths) if width is not None else None
        if given is not None:  # the detail whole: this line's material gives way
            material, room = given
        cells = [
            action.day.isoformat(),
            paint(pad(action.verb, verbs), _style(action), color=color),
            pad(ref, widths[0], right=True),
            pad(numbers[at], widths[1]),
            material,
            pad(destination, widths[3]),
            shorten_words(detail, room),
        ]
        text = (" " * GAP).join(
            cell for cell, w in zip(cells, [1, 1, *widths], strict=True) if w
        )
        out.append(text.rstrip())
    notes = []
    reviewed = [a.material for a in report.actions if a.code == "review_control"]
    reviewed += [  # an export needing a license names the controls it is under
        number
        for a in report.actions
        if a.code == "apply_uncovered"
        for number in (a.number or "").split(", ")
    ]
    if reviewed:  # as warn says: the catalogue's day, or the store's own entry
        from export_licenses.service.controls import resting_on  # noqa: PLC0415 - output naming controls

        notes.append(f"Controls: {resting_on(reviewed, report.own_controls)}")
    if report.estimated:
        notes.append(estimate_reason(report.estimated))
    if notes:
        out += ["", *(shorten(note, width) if width else note for note in notes)]
    return "".join(line + "\n" for line in out)


def _spanned(what: str, detail: str, widths: Sequence[int], room: int) -> str:
    """A control's number (whole: it says which control) and its detail across
    the empty columns: the detail in its own column when the number fits
    before it, else right after the number, shortened by words at the end."""
    shown = [w for w in widths[:4] if w]
    span = sum(shown) + GAP * (len(shown) - 1) if shown else 0
    first = pad(what, span) if width_of(what) <= span else what
    if width_of(what) > room:
        return shorten_start(what, room)
    left = room - width_of(first) - GAP
    if width_of(detail) > left and width_of(first) > width_of(what):
        first, left = what, room - width_of(what) - GAP  # the detail moves left
    return (first + " " * GAP + shorten_words(detail, max(left, 0))).rstrip()


def _material_room(
    material: str, detail: str, widths: Sequence[int]
) -> tuple[str, int] | None:
    """A detail the detail column would cut ("on-site check of the …"), whole
    on its own line: that line's material is shortened (both ends kept, no
    narrower than MATERIAL_AT_LEAST) by what the detail lacks, the destination
    and the detail moving left; None when the detail fits, or would not even
    so (then the material stays whole: cut for nothing, it would say less).
    What to do outweighs the rest of a name the id and destination stand by."""
    lacking = width_of(detail) - widths[4]
    if not widths[4] or not widths[2] or lacking <= 0:
        return None
    room = widths[2] - lacking
    if room < min(MATERIAL_AT_LEAST, width_of(material)):
        return None
    return pad(shorten_middle(material, room), room), width_of(detail)


def _style(action: Action) -> str:
    if action.level is None:
        return "dim"
    return LEVEL_STYLE.get(action.level.value, "")


def _fit(columns: Sequence[list[str]], verbs: int, width: int | None) -> list[int]:
    """Widths of ref, number, material, destination and detail: their natural
    widths, or what fits ``width`` columns with the date and the verb.

    The detail says what to do and by when ("file now, 22 % chance", "expired
    2025-12-20"), so it keeps up to DETAIL_WANTED columns longer than the
    number, which only repeats what the id says. The number gives way first,
    down to its floor, then the detail beyond DETAIL_WANTED, then the material
    down to MATERIAL_KEPT; then the number goes, the room going to the detail
    and the material, which may give way to its floor; then the detail gives
    way to its floor, then it goes."""
    natural = [max(map(width_of, column), default=0) for column in columns]
    if width is None:
        return natural
    wanted = min(natural[4], DETAIL_WANTED)
    for dropped, shrink in (
        ((), ((1, NUMBER_AT_LEAST), (4, wanted), (2, MATERIAL_KEPT))),
        ((1,), ((4, wanted), (2, MATERIAL_AT_LEAST), (4, DETAIL_AT_LEAST))),
        ((1, 4), ((2, MATERIAL_AT_LEAST),)),
    ):
        widths = [0 if at in dropped else w for at, w in enumerate(natural)]
        for at, floor in shrink:
            excess = _total(widths, verbs) - width
            if excess > 0 and widths[at]:
                widths[at] = max(min(natural[at], floor), widths[at] - excess)
        if _total(widths, verbs) <= width:
            return widths
    widths[2] = max(4, widths[2] - (_total(widths, verbs) - width))
    return widths


def _total(widths: Sequence[int], verbs: int) -> int:
    shown = [w for w in widths if w]
    return DATE_WIDTH + GAP + verbs + sum(shown) + GAP * len(shown)
