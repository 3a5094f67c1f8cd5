"""licenses notify: the agenda's alerts, sent through Apprise to the services
people read (mail, Slack, Teams, ntfy, a JSON webhook, ...), each once, again
when worse, and again at each of ``remind_days`` before its date.

Apprise is imported by ``notify_senders``, and only when something is to be
sent or checked: no other command loads it. What was sent is remembered per
service in a state file beside the store (``storage.notify_state``); a service
that cannot be reached keeps its state, so its alerts go out on the next run.
One run at a time reads, sends and writes that state: a second run waits for
the first, then sends only what is still new (``storage.notify_state.sending``).
"""

from __future__ import annotations

import contextlib
import hashlib
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from export_licenses.domain.rules import Level
from export_licenses.errors import ServiceUnreachable, StoreIOError, UsageProblem
from export_licenses.storage import notify_state, store_read

from .agenda import actions
from .notify_senders import ENVIRONMENT, sender, urls_of

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from export_licenses.domain.agenda import Action

HEARTBEAT_EVERY: Final = timedelta(days=7)


class Alert(NamedTuple):
    action: Action
    why: str  # "new", "worse", "reminder: 7 days to go", "seen until ... passed"


class Message(NamedTuple):
    """What goes to one service."""

    shown: str  # the service and its URL with secrets masked, for messages
    title: str
    body: str
    alerts: tuple[Alert, ...]
    heartbeat: bool = False


class Outcome(NamedTuple):
    messages: list[Message]  # sent (or, with dry_run, that would be)
    state_note: str | None  # why the state file was read as empty
    git_note: str | None = None  # why the state file is not in .git/info/exclude


def _key(url: str) -> str:
    """The state's name for a service: a hash, so no token is written down."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def _severity(level: Level | str | None) -> int:
    return Level(level).severity if level else -1


def due_alerts(
    found: Sequence[Action],
    sent: dict[str, Any],
    today: date,
    remind_days: Sequence[int],
) -> tuple[list[Alert], dict[str, Any]]:
    """The alerts to send to one service, and its state after sending them.

    An action is an alert when it is flagged or within the first reminder of
    its date. It is sent when new, when its level is worse than last sent,
    when its date moved, when it crosses a reminder (``remind_days`` before its
    date), and when an ack that held it back has lapsed. An ack (``seen``)
    holds it back meanwhile.
    """
    horizon = max(remind_days, default=0)
    due: list[Alert] = []
    after: dict[str, Any] = {}
    for action in found:
        left = (action.day - today).days
        if action.level is None and left > horizon:
            continue
        reminder = min((d for d in remind_days if left <= d), default=None)
        was = sent.get(action.key)
        entry = {
            "day": action.day.isoformat(),
            "level": action.level.value if action.level else None,
            "remind": reminder,
        }
        if action.seen is not None:  # acknowledged: quiet, remembered
            after[action.key] = {**(was or entry), "acked": True}
            continue
        why = _why(action, was, reminder, left)
        if why is None:
            after[action.key] = was
            continue
        due.append(Alert(action, why))
        after[action.key] = entry
    return due, after


def _why(  # noqa: PLR0911 - one return per reason, in order
    action: Action, was: dict[str, Any] | None, reminder: int | None, left: int
) -> str | None:
    if was is None:
        return "new"
    if was.get("acked"):
        return "no longer held by its ack"
    if _severity(action.level) > _severity(was.get("level")):
        return "worse"
    if not action.floating and was.get("day") != action.day.isoformat():
        return f"date moved to {action.day}"
    last = was.get("remind")
    if reminder is not None and (not isinstance(last, int) or reminder < last):
        if left < 0:
            return "reminder: overdue"
        return f"reminder: {left} day{'s' * (left != 1)} to go"
    return None


def _title(alerts: Sequence[Alert]) -> str:
    levels = [a.action.level for a in alerts if a.action.level]
    worst = max(levels, key=lambda level: level.severity) if levels else None
    count = f"{len(alerts)} alert{'s' * (len(alerts) != 1)}"
    return f"licenses: {count}" + (f", worst {worst.value}" if worst else "")


def _line(alert: Alert) -> str:
    action = alert.action
    level = (action.level.value if action.level else "note").upper()
    return f"{level} {action.day}: {action.text} ({alert.why})"


def notify(
    path: Path,
    today: date,
    *,
    heartbeat: bool = False,
    dry_run: bool = False,
) -> Outcome:
    """Send what is due to every service; ServiceUnreachable (75) naming each
    service that could not be reached, after the others were served."""
    data, unsettled = store_read.read_unsettled(path, note=True)
    data = data.on(today)
    urls = urls_of(data.settings)
    if not urls:
        raise UsageProblem(
            'no notification URL: set [settings] notify = ["mailto://…"] in the '
            f"store, or {ENVIRONMENT}"
        )
    senders = {url: sender(url) for url in urls}  # a bad URL: 64, nothing sent
    found, watched, _ = actions(data, today)
    # Read the state, send, write it: one run at a time, or two overlapping
    # runs would both read "not sent yet" and both send. A dry run writes
    # nothing, so it waits for no one.
    with contextlib.nullcontext() if dry_run else notify_state.sending(path):
        where = notify_state.state_path(path)
        state, note = notify_state.read(where)
        services: dict[str, Any] = state["services"]
        messages: list[Message] = []
        failed: list[str] = []
        for url, service in senders.items():
            mine = services.get(_key(url), {})
            alerts, after = due_alerts(
                found, mine.get("alerts", {}), today, data.settings.remind_days
            )
            message = _marked(
                _message(
                    service.shown,
                    alerts,
                    mine,
                    today,
                    heartbeat=heartbeat,
                    watched=watched,
                    after=after,
                ),
                unsettled,
            )
            new_state = {**mine, "alerts": after}
            if message is not None:
                if not dry_run:
                    problem = service.send(message.title, message.body)
                    if problem is not None:
                        failed.append(f"{message.shown} ({problem})")
                        continue  # its state stays: sent again next run
                messages.append(message)
                new_state["last_sent"] = today.isoformat()
                if message.heartbeat:
                    new_state["heartbeat"] = today.isoformat()
            services[_key(url)] = new_state
        git_note = None
        if not dry_run:
            git_note = _remember(where, services, in_git=data.settings.git)
        if failed:
            raise ServiceUnreachable(
                "could not reach " + "; ".join(failed) + ": its alerts are sent on the "
                "next run"
            )
        return Outcome(messages, note, git_note)


def _remember(where: Path, services: dict[str, Any], *, in_git: bool) -> str | None:
    """Write the state; in a store kept in git, why it could not be kept out
    of git (None when it was, or need not be)."""
    try:
        notify_state.write(
            where, {"version": notify_state.STATE_VERSION, "services": services}
        )
    except OSError as exc:  # sent, not remembered: sent once more next run
        raise StoreIOError(
            f"{where}: cannot write what was sent ({exc.strerror or exc}); "
            "the alerts just sent will be sent once more"
        ) from None
    return notify_state.keep_out_of_git(where) if in_git else None


def _message(
    shown: str,
    alerts: list[Alert],
    mine: dict[str, Any],
    today: date,
    *,
    heartbeat: bool,
    watched: int,
    after: dict[str, Any],
) -> Message | None:
    if alerts:
        body = "\n".join(_line(alert) for alert in alerts)
        return Message(shown, _title(alerts), body, tuple(alerts))
    if not heartbeat:
        return None
    last = max(
        (_day(mine.get(key)) for key in ("heartbeat", "last_sent")),
        default=None,
        key=lambda day: day or date.min,
    )
    if last is not None and today - last < HEARTBEAT_EVERY:
        return None
    standing = len(after)
    body = f"all quiet: {watched} license{'s' * (watched != 1)} watched"
    if standing:
        body += f" ({standing} alert{'s' * (standing != 1)} already sent or seen)"
    return Message(shown, "licenses: all quiet", body, (), heartbeat=True)


def _marked(
    message: Message | None, unsettled: store_read.Unsettled | None
) -> Message | None:
    """While a merge of the store is unsettled the alerts are our side's, and
    the other side may hold worse: the message says so first."""
    if message is None or unsettled is None:
        return message
    return message._replace(
        title=f"{message.title}; a merge is not settled",
        body=f"UNKNOWN: {unsettled.said()}\n{message.body}",
    )


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
