"""licenses notify and ack, against real local receivers: an SMTP server
(aiosmtpd) for mailto:// and an HTTP server for json://, both on 127.0.0.1."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import subprocess
import threading
import time
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from aiosmtpd.controller import Controller

from export_licenses.domain.settings import Settings
from export_licenses.service.notify_senders import urls_of
from export_licenses.storage import lockfile
from export_licenses.storage.notify_state import state_path
from helpers import HANG_GUARD, LICENSES, licenses_process

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from conftest import Run

# Renew by 2026-04-28 (45 working days, Monday to Friday, before 2026-06-30):
# WARNING from 2026-03-29 (30 days), CRITICAL from 2026-04-21 (7 days).
STORE = """\
version = 1

[settings]
calendar = "none"
warn_days = 30
critical_days = 10

[[license]]
id = 1
number = "MOFCOM-2026-DY-0412"
material = "dysprosium oxide"
destination = "US"
issued = 2026-01-01
expires = 2026-06-30
"""


class Smtp(Controller):
    """An SMTP receiver bound on port 0: the system picks a free port when it
    binds, and the port is read from the bound socket. A port chosen first and
    bound later could be taken meanwhile by another test (pytest-xdist)."""

    def __init__(self, handler: Any) -> None:
        super().__init__(handler, hostname="127.0.0.1", port=0)

    def _trigger_server(self) -> None:
        server: Any = self.server  # asyncio.Server, started by now
        self.port = server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def bodies(self) -> list[str]:
        texts = []
        for message in self.messages:
            part = next(
                p for p in message.walk() if p.get_content_type() == "text/plain"
            )
            texts.append(part.get_payload(decode=True).decode("utf-8"))
        return texts


@pytest.fixture
def mailbox() -> Iterator[tuple[str, Mailbox]]:
    box = Mailbox()
    controller = Smtp(box)
    controller.start()
    port = controller.port
    try:
        yield (
            f"mailto://127.0.0.1:{port}?from=licenses@example.com&to=ops@example.com",
            box,
        )
    finally:
        controller.stop()


class Hook:
    """An HTTP receiver of Apprise's json:// posts."""

    def __init__(
        self, *, listening: bool = True, gate: threading.Event | None = None
    ) -> None:
        """Bound on port 0 (the system's free port, read back). Not
        ``listening``: bound, so no one else takes the port, but connections
        are refused until ``listen``. With a ``gate``, each post is recorded
        on arrival and answered once the gate opens: a slow service."""
        self.posts: list[dict[str, Any]] = []
        received = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                received.append(json.loads(self.rfile.read(length)))
                if gate is not None:
                    gate.wait(HANG_GUARD)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(
            ("127.0.0.1", 0), Handler, bind_and_activate=False
        )
        self.server.server_bind()
        self.port = self.server.server_address[1]
        self.url = f"json://127.0.0.1:{self.port}/hook"
        self.thread: threading.Thread | None = None
        if listening:
            self.listen()

    def listen(self) -> None:
        self.server.server_activate()
        # shutdown() waits for the loop's next poll: 0.5 s by default, at every
        # test's teardown.
        self.thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.02},
            daemon=True,
        )
        self.thread.start()

    def close(self) -> None:
        if self.thread is not None:
            self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook() -> Iterator[Hook]:
    receiver = Hook()
    try:
        yield receiver
    finally:
        receiver.close()


@pytest.fixture
def notifying(store: Path) -> Path:
    store.write_text(STORE, encoding="utf-8")
    return store


def notify(run: Run, day: str, urls: str, *args: str) -> Any:
    return run("notify", "--today", day, *args, env={"LICENSES_NOTIFY": urls})


@pytest.mark.usefixtures("notifying")
def test_sent_once_again_when_worse_and_at_a_reminder(
    run: Run, hook: Hook, mailbox: tuple[str, Mailbox]
) -> None:
    mail_url, box = mailbox
    urls = f"{hook.url} {mail_url}"
    first = notify(run, "2026-03-01", urls)
    assert first.exit_code == 0, first.stderr
    assert hook.posts == []  # 58 days before the last day to file: nothing yet
    assert notify(run, "2026-03-29", urls).exit_code == 0
    (post,) = hook.posts
    assert post["title"] == "licenses: 1 alert, worst warning"
    assert post["message"] == (
        "WARNING 2026-04-28: file the renewal of license 1 (MOFCOM-2026-DY-0412), "
        "dysprosium oxide to US: last day 2026-04-28 (new)"
    )
    assert len(box.messages) == 1
    assert box.messages[0]["Subject"] == "licenses: 1 alert, worst warning"
    assert "file the renewal of license 1" in box.bodies()[0]
    for day in ("2026-03-29", "2026-03-30", "2026-04-20"):  # nothing new
        assert notify(run, day, urls).exit_code == 0
    assert len(hook.posts) == 1
    assert len(box.messages) == 1
    notify(run, "2026-04-21", urls)  # 7 days left: CRITICAL
    assert len(hook.posts) == 2
    assert hook.posts[1]["message"].startswith("CRITICAL 2026-04-28")
    assert hook.posts[1]["message"].endswith("(worse)")
    assert len(box.messages) == 2
    notify(run, "2026-04-26", urls)
    assert len(hook.posts) == 2
    notify(run, "2026-04-27", urls)  # the reminder a day before, not worse
    assert hook.posts[2]["message"].endswith("(reminder: 1 day to go)")
    notify(run, "2026-04-28", urls)
    assert len(hook.posts) == 3
    assert len(box.messages) == 3


@pytest.mark.usefixtures("notifying")
def test_not_after_ack_and_again_when_worse(run: Run, hook: Hook) -> None:
    notify(run, "2026-03-29", hook.url)
    result = run("ack", "1", "--today", "2026-03-30", "--note", "on it")
    assert result.exit_code == 0
    assert "license 1 (MOFCOM-2026-DY-0412) seen at warning" in result.stderr
    notify(run, "2026-04-20", hook.url)
    assert len(hook.posts) == 1
    # worse than when it was seen: the ack no longer holds
    notify(run, "2026-04-21", hook.url)
    assert len(hook.posts) == 2
    assert "CRITICAL" in hook.posts[1]["message"]
    run("ack", "1", "--today", "2026-04-22")  # seen at critical now
    notify(run, "2026-04-27", hook.url)  # no reminder while seen
    assert len(hook.posts) == 2
    # warn still reports the truth: an ack never lowers what a monitor sees
    warned = run("warn", "--today", "2026-04-27")
    assert warned.exit_code == 2
    assert "CRITICAL: license 1" in warned.stdout


@pytest.mark.usefixtures("notifying")
def test_again_after_until(run: Run, hook: Hook) -> None:
    notify(run, "2026-03-29", hook.url)
    run("ack", "1", "--today", "2026-03-30", "--until", "2026-04-06")
    notify(run, "2026-04-05", hook.url)
    assert len(hook.posts) == 1
    notify(run, "2026-04-06", hook.url)
    assert len(hook.posts) == 2
    assert hook.posts[1]["message"].endswith("(no longer held by its ack)")
    notify(run, "2026-04-07", hook.url)
    assert len(hook.posts) == 2


@pytest.mark.usefixtures("notifying")
def test_agenda_and_show_say_seen(run: Run) -> None:
    run(
        "ack",
        "1",
        "--today",
        "2026-03-30",
        "--until",
        "2026-04-06",
        "--note",
        "PO late",
    )
    agenda = run("agenda", "--today", "2026-04-01", "--within", "30")
    assert "last day to file; seen until 2026-04-06" in agenda.stdout
    shown = run("show", "1", "--today", "2026-04-01")
    assert (
        "Seen:          on 2026-03-30 at warning; no notification until 2026-04-06: "
        "PO late" in shown.stdout
    )
    data = json.loads(run("show", "1", "--today", "2026-04-01", "-f", "json").stdout)
    assert data["ack_until"] == "2026-04-06"
    assert data["ack_note"] == "PO late"
    after = run("agenda", "--today", "2026-04-06", "--within", "30")
    assert "seen" not in after.stdout


@pytest.mark.usefixtures("notifying")
def test_ack_an_application_and_bad_acks(run: Run, store: Path) -> None:
    run("apply", "-m", "samarium oxide", "-d", "JP", "--on", "2026-01-05")
    assert run("ack", "A1", "--today", "2026-04-01").exit_code == 0
    assert 'ack_level = "warning"' in store.read_text()  # overdue by then
    before = store.read_text()
    late = run("ack", "1", "--today", "2026-04-01", "--until", "2026-04-01")
    assert late.exit_code == 64
    assert (
        late.stderr == "licenses: --until: 2026-04-01 is not after today (2026-04-01)\n"
    )
    assert run("ack", "9", "--today", "2026-04-01").exit_code == 64
    assert run("ack", "A7", "--today", "2026-04-01").exit_code == 64
    assert store.read_text() == before


def test_the_heartbeat_at_most_once_a_week(run: Run, store: Path, hook: Hook) -> None:
    store.write_text(STORE, encoding="utf-8")
    notify(run, "2026-03-01", hook.url, "--heartbeat")
    (post,) = hook.posts
    assert post["title"] == "licenses: all quiet"
    assert post["message"] == "all quiet: 1 license watched"
    notify(run, "2026-03-07", hook.url, "--heartbeat")
    assert len(hook.posts) == 1
    notify(run, "2026-03-08", hook.url, "--heartbeat")
    assert len(hook.posts) == 2
    notify(run, "2026-03-29", hook.url, "--heartbeat")  # an alert, not a heartbeat
    assert hook.posts[2]["title"] == "licenses: 1 alert, worst warning"
    notify(run, "2026-04-01", hook.url, "--heartbeat")
    assert len(hook.posts) == 3
    notify(run, "2026-04-05", hook.url, "--heartbeat")
    assert hook.posts[3]["message"] == (
        "all quiet: 1 license watched (1 alert already sent or seen)"
    )


@pytest.mark.usefixtures("notifying")
def test_an_unreachable_service_is_75_and_retried(
    run: Run, mailbox: tuple[str, Mailbox]
) -> None:
    mail_url, box = mailbox
    up = Hook(listening=False)  # its port is held, but nothing listens there yet
    try:
        down = up.url
        result = notify(run, "2026-03-29", f"{down},{mail_url}")
        assert result.exit_code == 75
        assert result.stderr.startswith(
            f"licenses: could not reach JSON json://127.0.0.1:{up.port}/hook ("
        )
        assert result.stderr.endswith(": its alerts are sent on the next run\n")
        assert len(box.messages) == 1  # the other service was served
        again = notify(run, "2026-03-30", f"{down},{mail_url}")
        assert again.exit_code == 75
        assert len(box.messages) == 1  # sent once there
        up.listen()
        assert notify(run, "2026-03-31", f"{down},{mail_url}").exit_code == 0
        (post,) = up.posts  # held back until the service could be reached
        assert post["message"].endswith("(new)")
    finally:
        up.close()
    assert len(box.messages) == 1


@pytest.mark.usefixtures("notifying")
def test_a_bad_url_is_64_and_nothing_is_sent(run: Run, store: Path, hook: Hook) -> None:
    result = notify(run, "2026-03-29", f"{hook.url} nosuchservice://token@x")
    assert result.exit_code == 64
    assert "nosuchservice://…" in result.stderr
    assert "token" not in result.stderr
    assert hook.posts == []
    assert not state_path(store).exists()
    nothing = run("notify", "--today", "2026-03-29")
    assert nothing.exit_code == 64
    assert "no notification URL" in nothing.stderr


@pytest.mark.usefixtures("notifying")
def test_a_url_with_several_recipients_stays_whole_in_the_environment(
    run: Run, hook: Hook, mailbox: tuple[str, Mailbox]
) -> None:
    # Apprise's own syntax for two recipients, then a second service after a
    # comma: the comma inside the query is not a separator, the one before
    # json:// is.
    mail_url, box = mailbox
    urls = f"{mail_url},boss@example.com,{hook.url}"
    result = notify(run, "2026-03-29", urls)
    assert result.exit_code == 0, result.stderr
    # Apprise mails each recipient of to= on its own
    assert sorted(message["To"] for message in box.messages) == [
        "boss@example.com",
        "ops@example.com",
    ]
    assert len(hook.posts) == 1


@pytest.mark.parametrize(
    "urls",
    [
        "mailto://u:p@mail.example.com?to=a@x.com,b@x.com",
        "mailto://u:p@h.example.com?to=a@x.com,b@x.com;json://h.example.com/x",
        "json://a.example.com/x, ,ntfy://topic slack://A/B/C/#c,#d",
        "ntfy://t1,t2\njson://h.example.com",
    ],
)
def test_urls_are_split_where_apprise_splits_them(
    urls: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Apprise costs ~0.15 s to import: only for this test, not at collection
    from apprise.utils.parse import parse_urls  # noqa: PLC0415

    monkeypatch.setenv("LICENSES_NOTIFY", urls)
    assert list(urls_of(Settings())) == parse_urls(urls)  # type: ignore[no-untyped-call]


def _until(done: Callable[[], bool]) -> None:
    deadline = time.monotonic() + HANG_GUARD
    while not done():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.02)


def _holds_open(pid: int, path: Path) -> bool:
    """Whether process ``pid`` has ``path`` open (Linux's /proc)."""
    fds = Path(f"/proc/{pid}/fd")
    with contextlib.suppress(OSError):
        return any(fd.readlink() == path for fd in fds.iterdir())
    return False


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux's /proc")
@pytest.mark.usefixtures("notifying")
def test_overlapping_runs_send_each_alert_once(store: Path) -> None:
    # A cron run that overlaps a manual one: the second waits for the first
    # and then finds its alerts sent; past LICENSES_LOCK_TIMEOUT it is 75.
    gate = threading.Event()
    hook = Hook(gate=gate)
    args = ("--store", str(store), "notify", "--today", "2026-03-29")
    # The gated service answers once the test opens the gate: Apprise's own
    # read timeout (4 s) is set to the hang guard, or on a loaded machine the
    # first run gave up on it (75) before the others had been started.
    env = {**os.environ, "LICENSES_NOTIFY": f"{hook.url}?rto={HANG_GUARD}"}
    lock = store.parent / f".{store.name}.notified.lock"
    runs: list[subprocess.Popen[str]] = []
    try:
        runs.append(subprocess.Popen([*LICENSES, *args], env=env, text=True))
        _until(lambda: len(hook.posts) == 1)  # the first is sending
        busy = licenses_process(
            *args, env={**env, "LICENSES_LOCK_TIMEOUT": "0"}, timeout=60
        )
        assert busy.returncode == 75
        assert busy.stderr == (
            f"licenses: {lock}: another licenses notify has been sending for 0 s; "
            "try again (LICENSES_LOCK_TIMEOUT sets the wait)\n"
        )
        runs.append(subprocess.Popen([*LICENSES, *args], env=env, text=True))
        # the second waits on the lock (or, unlocked, sends at once)
        _until(lambda: _holds_open(runs[1].pid, lock) or len(hook.posts) > 1)
        gate.set()
        assert [run.wait(HANG_GUARD) for run in runs] == [0, 0]
        assert len(hook.posts) == 1
    finally:
        gate.set()
        for run in runs:
            run.kill()
            run.wait()
        hook.close()


@pytest.mark.usefixtures("notifying")
def test_a_dry_run_does_not_wait_for_a_run_that_sends(
    run: Run, store: Path, hook: Hook
) -> None:
    lock = store.parent / f".{store.name}.notified.lock"
    env = {"LICENSES_NOTIFY": hook.url, "LICENSES_LOCK_TIMEOUT": "0"}
    with lockfile.locked(lock, 0):  # held as a sending run holds it
        dry = run("notify", "--today", "2026-03-29", "--dry-run", env=env)
        assert dry.exit_code == 0, dry.stderr
        assert "would send to JSON" in dry.stdout
        assert run("notify", "--today", "2026-03-29", env=env).exit_code == 75
    assert hook.posts == []


@pytest.mark.usefixtures("notifying")
def test_settings_notify_and_the_dry_run(run: Run, store: Path, hook: Hook) -> None:
    text = store.read_text().replace(
        'calendar = "none"', f'calendar = "none"\nnotify = ["{hook.url}"]'
    )
    store.write_text(text)
    result = run("notify", "--today", "2026-03-29", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == (
        f"would send to JSON json://127.0.0.1:{hook.port}/hook:\n"
        "  licenses: 1 alert, worst warning\n"
        "  WARNING 2026-04-28: file the renewal of license 1 (MOFCOM-2026-DY-0412), "
        "dysprosium oxide to US: last day 2026-04-28 (new)\n"
    )
    assert hook.posts == []
    assert not state_path(store).exists()
    assert run("notify", "--today", "2026-03-29").exit_code == 0
    assert len(hook.posts) == 1


@pytest.mark.usefixtures("notifying")
def test_the_state_file_is_private_data_and_a_lost_one_means_one_repeat(
    run: Run, store: Path, hook: Hook, tmp_path: Path
) -> None:
    notify(run, "2026-03-29", hook.url)
    where = state_path(store)
    assert where.parent == store.parent
    assert stat.S_IMODE(where.stat().st_mode) == 0o600
    state = json.loads(where.read_text())
    assert state["version"] == 1
    assert hook.url not in where.read_text()  # a hash of the URL: no token kept
    where.unlink()  # lost: sent once more, never silence
    notify(run, "2026-03-30", hook.url)
    assert len(hook.posts) == 2
    where.write_text("not json")
    result = notify(run, "2026-03-31", hook.url)
    assert len(hook.posts) == 3
    assert "is not valid JSON; read as empty" in result.stderr
    # a symbolic link in its place is neither followed for reading nor written through
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("{}")
    where.unlink()
    where.symlink_to(elsewhere)
    notify(run, "2026-04-01", hook.url)
    assert elsewhere.read_text() == "{}"
    assert not where.is_symlink()
    assert json.loads(where.read_text())["version"] == 1
    assert where.stat().st_mode & 0o077 == 0


@pytest.mark.usefixtures("notifying")
def test_a_state_file_with_an_integer_too_long_for_python_reads_as_empty(
    run: Run, store: Path, hook: Hook
) -> None:
    state_path(store).write_text('{"version": %s}' % ("9" * 5000))
    result = notify(run, "2026-03-29", hook.url)
    assert result.exit_code == 0, result.stderr
    assert "is not valid JSON; read as empty" in result.stderr
    assert len(hook.posts) == 1


@pytest.mark.usefixtures("notifying")
def test_a_state_that_cannot_be_written_is_74_and_one_line(
    run: Run, store: Path, hook: Hook
) -> None:
    where = state_path(store)
    where.mkdir()  # a folder where the state file goes: it cannot be replaced
    result = notify(run, "2026-03-29", hook.url)
    assert result.exit_code == 74, result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "will be sent once more" in result.stderr
    assert len(hook.posts) == 1


def test_a_stopped_clock_is_sent_once(run: Run, store: Path, hook: Hook) -> None:
    store.write_text(
        'version = 1\n[settings]\ncalendar = "none"\n[[application]]\nid = "A1"\n'
        'material = "gallium metal"\ndestination = "FR"\nfiled = 2026-01-05\n'
        'holds = [{ from = 2026-01-20, reason = "expert review" }]\n',
        encoding="utf-8",
    )
    for day in ("2026-01-21", "2026-01-22", "2026-02-25"):
        assert notify(run, day, hook.url).exit_code == 0
    (post,) = hook.posts  # its date stays the day the clock stopped
    assert post["message"].startswith("NOTE 2026-01-20: ask MOFCOM whether the review")
    assert post["message"].endswith("(new)")
