"""sync against a remote that accepts and never answers (audit A, finding 4):
every network step is bounded, the store's lock is free meanwhile, and a run
that gives up says so in one line, exit 75, with the store and the repository
as they were.

The bounds are set low through LICENSES_GIT_TIMEOUT; nothing here measures
time: a remote that never answers is given up on however fast the machine is,
and a guard (HANG_GUARD) only fails a run that never ends.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from export_licenses.service.sync_network import network
from export_licenses.storage.gitrepo import Repo
from git_world import ANN, add, git, lic, needs_git, run, team
from helpers import HANG_GUARD, LICENSES

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = needs_git


class Silent:
    """A TCP server on 127.0.0.1 that accepts every connection and never
    sends a byte: a hung server, a middlebox, a captive portal."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.server.settimeout(0.05)  # to see the stop: a poll, not a measure
        self.port = self.server.getsockname()[1]
        self.accepted = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        kept = []
        with self.server:
            while not self.stop.is_set():
                try:
                    kept.append(self.server.accept()[0])
                except TimeoutError:
                    continue
                self.accepted.set()
        for connection in kept:
            connection.close()

    def close(self) -> None:
        """Everything is closed by the thread that made it, which ends."""
        self.stop.set()
        self.thread.join()


@pytest.fixture
def silent() -> Iterator[Silent]:
    server = Silent()
    yield server
    server.close()


def _state(repo: Path) -> tuple[bytes, str, bool]:
    """The store, the branch's commit, and whether a merge is under way."""
    store = repo / "licenses.toml"
    head = git(repo, "rev-parse", "HEAD")
    return store.read_bytes(), head, (repo / ".git" / "MERGE_HEAD").exists()


# A write that waits for no lock: it succeeds only while no one holds it.
AT_ONCE = {**ANN, "LICENSES_LOCK_TIMEOUT": "0"}


def _store_with_remote(tmp_path: Path, url: str) -> Path:
    store = tmp_path / "one" / "licenses.toml"
    lic(store, "init", "--git")
    add(store, "dysprosium oxide")
    git(store.parent, "remote", "add", "origin", url)
    return store


@pytest.mark.slow  # waits out the bound, 1 s
@pytest.mark.parametrize("scheme", ["ssh://git@", "http://"])
def test_a_silent_remote_is_given_up_with_75_and_nothing_changed(
    tmp_path: Path, silent: Silent, scheme: str
) -> None:
    """ssh's ConnectTimeout, curl's low-speed limit: the remote that never
    answers was waited for without end (400 s, until the audit killed it)."""
    store = _store_with_remote(tmp_path, f"{scheme}127.0.0.1:{silent.port}/team.git")
    before = _state(store.parent)
    done = run(store, "sync", who={**ANN, "LICENSES_GIT_TIMEOUT": "1"})
    assert done.returncode == 75, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.startswith("licenses: cannot reach origin: ")
    assert "no answer for 1 s; LICENSES_GIT_TIMEOUT sets it" in done.stderr
    assert "nothing was lost locally" in done.stderr
    assert _state(store.parent) == before
    add(store, "gallium", who=AT_ONCE)


FAKE_SSH = """# A transport that never answers, and starts a process of its own, as ssh
# does: its process id is written down so that the test can tell it ended.
echo $$ > "{pids}"
exec cat > /dev/null
"""


def _ends(pid: int) -> bool:
    """The process ends (gone, or a zombie waiting for init): SIGKILL is
    delivered a moment after kill() returns, so this waits for it, up to the
    hang guard."""
    deadline = time.monotonic() + HANG_GUARD
    while time.monotonic() < deadline:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            return True
        if stat.rpartition(")")[2].split()[0] in ("Z", "X"):
            return True
        time.sleep(0.01)
    return False


@pytest.mark.slow  # waits out ten times the bound, 3 s
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_last_resort_stops_git_and_what_it_started(tmp_path: Path) -> None:
    """A transport no option bounds (a program of the user's own) is stopped
    after ten times LICENSES_GIT_TIMEOUT, with git's whole process group: no
    ssh is left behind waiting on the remote. The run has no terminal, as
    under cron."""
    pids = tmp_path / "transport.pid"
    fake = tmp_path / "never-answers"
    fake.write_text(FAKE_SSH.format(pids=pids))
    store = _store_with_remote(tmp_path, "ssh://example.invalid/team.git")
    git(store.parent, "config", "core.sshCommand", f"sh {fake}")  # /dev/shm: noexec
    git(store.parent, "config", "ssh.variant", "simple")
    before = _state(store.parent)
    env = {**os.environ, **ANN, "LICENSES_GIT_TIMEOUT": "0.3"}
    done = subprocess.run(
        [*LICENSES, "--store", str(store), "sync"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # no terminal: git gets a session of its own
        timeout=HANG_GUARD,
        check=False,
    )
    assert done.returncode == 75, done.stderr
    assert done.stderr == (
        "licenses: cannot reach origin: git fetch was stopped after 3 s without "
        "finishing; nothing was lost locally, try again (the bound is 10 times "
        "LICENSES_GIT_TIMEOUT)\n"
    )
    assert _ends(int(pids.read_text()))
    assert _state(store.parent) == before
    add(store, "gallium", who=AT_ONCE)


FETCH_ONLY = """# "ssh" to this machine (git's simple variant: host, command) that serves a
# fetch and never answers a push.
case "$2" in
  git-receive-pack*) exec cat > /dev/null ;;
  *) exec sh -c "$2" ;;
esac
"""


@pytest.mark.slow  # waits out ten times the bound, 5 s
def test_a_push_that_never_ends_is_stopped_and_the_store_kept(tmp_path: Path) -> None:
    one, _ = team(tmp_path)
    remote = tmp_path / "remote.git"
    fake = tmp_path / "fetch-only"
    fake.write_text(FETCH_ONLY)
    git(one.parent, "config", "core.sshCommand", f"sh {fake}")
    git(one.parent, "config", "ssh.variant", "simple")
    git(one.parent, "remote", "set-url", "origin", f"ssh://localhost{remote}")
    add(one, "terbium metal")
    before, theirs = _state(one.parent), git(remote, "rev-parse", "HEAD")
    # 5 s for each step: a fetch from a folder on this machine takes a sliver
    done = run(one, "sync", who={**ANN, "LICENSES_GIT_TIMEOUT": "0.5"})
    assert done.returncode == 75, done.stderr
    assert done.stderr.startswith(
        "licenses: cannot push to origin: git push was stopped after 5 s"
    )
    assert len(done.stderr.strip().splitlines()) == 1
    assert _state(one.parent) == before
    assert git(remote, "rev-parse", "HEAD") == theirs
    add(one, "gallium", who=AT_ONCE)


def test_writes_go_on_while_sync_waits_for_the_remote(
    tmp_path: Path, silent: Silent
) -> None:
    """The fetch is made without the store's lock: a remote that is slow to
    answer no longer makes every write of the team exit 75 ("another licenses
    command has held the store's lock")."""
    store = _store_with_remote(tmp_path, f"http://127.0.0.1:{silent.port}/team.git")
    env = {**os.environ, **ANN, "LICENSES_GIT_TIMEOUT": "600"}
    syncing = subprocess.Popen(
        [*LICENSES, "--store", str(store), "sync"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    try:
        assert silent.accepted.wait(HANG_GUARD), "sync never reached the remote"
        add(store, "gallium", who=AT_ONCE)  # sync is waiting for the remote meanwhile
        assert syncing.poll() is None
    finally:
        os.killpg(syncing.pid, signal.SIGKILL)
        syncing.wait()
    assert "gallium" in lic(store, "list")


@pytest.mark.parametrize("value", ["soon", "0", "-5", "nan", "inf"])
def test_a_wrong_timeout_is_64_in_one_line(tmp_path: Path, value: str) -> None:
    store = _store_with_remote(tmp_path, str(tmp_path / "nowhere.git"))
    done = run(store, "sync", who={**ANN, "LICENSES_GIT_TIMEOUT": value})
    assert done.returncode == 64, done.stderr
    assert done.stderr == (
        f"licenses: LICENSES_GIT_TIMEOUT: expected seconds such as 60, got {value!r}\n"
    )


# --- what ssh and curl are told -------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    store = tmp_path / "licenses.toml"
    lic(store, "init", "--git")
    for name in ("GIT_SSH", "GIT_SSH_COMMAND", "LICENSES_GIT_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name in ("GIT_HTTP_LOW_SPEED_LIMIT", "GIT_HTTP_LOW_SPEED_TIME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in ANN.items():
        monkeypatch.setenv(name, value)
    return Repo.require(store)


def test_by_default_ssh_and_curl_give_up_after_the_wait(repo: Repo) -> None:
    net = network(repo)
    assert net.env == {
        "GIT_HTTP_LOW_SPEED_LIMIT": "1",
        "GIT_HTTP_LOW_SPEED_TIME": "60",
        "GIT_SSH_COMMAND": "ssh -o ConnectTimeout=60 -o ServerAliveCountMax=3 "
        "-o ServerAliveInterval=20",
    }
    assert (net.wait, net.timeout) == (60, 600)


def test_a_users_own_ssh_command_keeps_its_options_first(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ssh keeps the first value of an option: theirs, before ours."""
    git(repo.root, "config", "core.sshCommand", "/usr/bin/ssh -o ConnectTimeout=5")
    monkeypatch.setenv("LICENSES_GIT_TIMEOUT", "2.5")
    assert network(repo).env["GIT_SSH_COMMAND"] == (
        "/usr/bin/ssh -o ConnectTimeout=5 -o ConnectTimeout=3 "
        "-o ServerAliveCountMax=3 -o ServerAliveInterval=1"
    )
    monkeypatch.setenv("GIT_SSH_COMMAND", "ssh -i ~/.ssh/team")  # beats the config
    assert network(repo).env["GIT_SSH_COMMAND"].startswith("ssh -i ~/.ssh/team -o ")


@pytest.mark.parametrize(
    ("variable", "command"),
    [("GIT_SSH_COMMAND", "plink -batch"), ("GIT_SSH", "/usr/local/bin/my-ssh")],
)
def test_another_transport_program_is_left_as_it_is(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, variable: str, command: str
) -> None:
    monkeypatch.setenv(variable, command)
    assert "GIT_SSH_COMMAND" not in network(repo).env


def test_a_users_own_http_low_speed_setting_is_kept(repo: Repo) -> None:
    git(repo.root, "config", "http.https://example.com/.lowSpeedTime", "300")
    assert "GIT_HTTP_LOW_SPEED_TIME" not in network(repo).env
