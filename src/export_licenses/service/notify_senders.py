"""The services ``licenses notify`` sends to: their URLs, from LICENSES_NOTIFY
or ``[settings] notify``, and a sender for each through Apprise, the only
module that imports it (and only once a URL has a scheme to check)."""

from __future__ import annotations

import logging
import os
import re
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from export_licenses.errors import UsageProblem

if TYPE_CHECKING:
    from export_licenses.domain.settings import Settings

SHOWN_AT_MOST: Final = 12  # characters of a bad URL a message repeats
URL_EXAMPLE: Final = "mailto://user:password@example.com or ntfy://my-topic"
ENVIRONMENT: Final = "LICENSES_NOTIFY"

# Where LICENSES_NOTIFY holds two URLs: at a blank, or at commas and semicolons
# leading into a new scheme:// (Apprise's parse_urls rule: mailto://…?to=a,b is
# one URL). Not parse_urls itself: it drops a word before the first scheme (a
# token pasted alone would vanish, not be refused) and keeps "ntfy://t word".
_BETWEEN_URLS: Final = re.compile(r"\s+|[\s,;]+(?=[a-z0-9]{1,32}://)", re.IGNORECASE)


def urls_of(settings: Settings) -> tuple[str, ...]:
    """LICENSES_NOTIFY (secrets stay out of the shared store) when set, else
    ``[settings] notify``."""
    env = os.environ.get(ENVIRONMENT, "").strip()
    if env:
        return tuple(url for url in _BETWEEN_URLS.split(env) if url)
    return settings.notify


class _Collector(logging.Handler):
    """Apprise's log records of a send, for the one-line reason of a failure."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class Sender(NamedTuple):
    shown: str  # the service as messages name it, secrets masked by Apprise
    send: Any  # (title, body) -> None when sent, else why not


def sender(url: str) -> Sender:
    """How to send to ``url``; UsageProblem for a URL Apprise does not know."""
    if "://" not in url:  # no scheme; a token pasted alone is a secret: cut short
        shown = url if len(url) <= SHOWN_AT_MOST else url[:SHOWN_AT_MOST] + "…"
        raise UsageProblem(
            f"notify: {shown!r} is not a notification URL: give one with its "
            f"scheme, such as {URL_EXAMPLE}"
        )
    import apprise  # noqa: PLC0415 - only notify loads it (373 M instructions)

    plugin: Any = apprise.Apprise.instantiate(url)
    if plugin is None:
        scheme = url.split("://", 1)[0]
        raise UsageProblem(
            f"notify: not a notification URL Apprise understands: {scheme}://… "
            "(see https://github.com/caronc/apprise/wiki)"
        )
    shown = str(plugin.url(privacy=True)).split("?", 1)[0]
    service = apprise.Apprise()
    service.add(plugin)
    logger = logging.getLogger("apprise")
    logger.propagate = False  # its records become our one line, not stderr noise

    def send(title: str, body: str) -> str | None:
        collector = _Collector()
        logger.addHandler(collector)
        try:
            sent = bool(service.notify(title=title, body=body))
        finally:
            logger.removeHandler(collector)
        if sent:
            return None
        return collector.messages[-1] if collector.messages else "the service refused"

    return Sender(f"{plugin.service_name} {shown}", send)
