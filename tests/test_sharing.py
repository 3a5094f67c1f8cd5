"""Sharing a store through git, with real repositories: the repository the tool
creates, sync with the current branch's upstream, undo after a sync, and
renumbered licenses in the history (issue 20, "The shared store")."""

from __future__ import annotations

import json
import os
import stat
from typing import TYPE_CHECKING, Any

import pytest

from git_world import ANN, BEN, NOBODY, add, git, lic, needs_git, run, team

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = needs_git


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The child processes start with umask 000: anything git creates with
    its default modes is then readable and writable by everyone."""
    before = os.umask(0)
    try:
        yield
    finally:
        os.umask(before)


def _shared_with_others(root: Path) -> list[str]:
    return [
        f"{place.relative_to(root.parent)} {place.lstat().st_mode:o}"
        for place in [root, *root.rglob("*")]
        if stat.S_IMODE(place.lstat().st_mode) & 0o077
    ]


@pytest.mark.usefixtures("open_umask")
def test_init_git_in_an_existing_folder_makes_a_private_repository(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "team"
    folder.mkdir(mode=0o755)
    store = folder / "licenses.toml"
    lic(store, "init", "--git")
    add(store, "dysprosium oxide")
    dot_git = folder / ".git"
    assert stat.S_IMODE(dot_git.stat().st_mode) == 0o700
    assert stat.S_IMODE((dot_git / "hooks").stat().st_mode) == 0o700
    # Nothing git made, then or at the next commit, is open to other users.
    assert _shared_with_others(dot_git) == []
    assert stat.S_IMODE(store.stat().st_mode) == 0o600


def test_init_git_without_an_author_runs_no_git_init(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    store = folder / "licenses.toml"
    done = run(store, "init", "--git", who={**NOBODY, "HOME": str(tmp_path)})
    assert done.returncode == 73, done.stderr
    assert "git has no author" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in folder.iterdir()) == []


def test_init_git_in_a_repository_keeps_its_modes(tmp_path: Path) -> None:
    """A repository a person made is theirs: the tool changes none of its modes."""
    folder = tmp_path / "team"
    folder.mkdir()
    git(folder, "init", "--quiet")
    (folder / ".git").chmod(0o750)
    lic(folder / "licenses.toml", "init", "--git")
    assert stat.S_IMODE((folder / ".git").stat().st_mode) == 0o750


# --- shipments are events --------------------------------------------------------


def test_the_same_shipment_at_two_sites_is_two_shipments(tmp_path: Path) -> None:
    """Issue 20: two sites each ship 100 kg under one license on the same day;
    after sync both clones hold both shipments."""
    one, two = team(tmp_path)
    lic(one, "ship", "1", "100")
    lic(two, "ship", "1", "100", who=BEN)
    lic(one, "sync")
    lic(two, "sync", who=BEN)
    lic(one, "sync")
    assert one.read_bytes() == two.read_bytes()
    shown = json.loads(lic(one, "show", "1", "-f", "json"))
    assert shown["shipped"] == 200
    assert one.read_text(encoding="utf-8").count("quantity = 100, id = ") == 2


# --- sync with the current branch's upstream -----------------------------------


def _remote_branches(tmp_path: Path) -> list[str]:
    found = git(tmp_path / "remote.git", "for-each-ref", "--format=%(refname:short)")
    return sorted(found.split())


def test_a_branch_without_upstream_is_refused_naming_the_remote_branches(
    tmp_path: Path,
) -> None:
    """Issue 20: a clone on another branch synced with nobody. With no
    upstream and a remote that has branches, sync names them and the fix."""
    one, two = team(tmp_path)  # the team works on master
    git(two.parent, "checkout", "--quiet", "-b", "main")
    add(two, "gallium", who=BEN)
    before = two.read_bytes()
    done = run(two, "sync", who=BEN)
    assert done.returncode == 64, done.stderr
    said = done.stderr.strip().splitlines()
    assert len(said) == 1
    assert "origin/master" in said[0]
    assert "git branch --set-upstream-to=origin/master" in said[0]
    assert "synced" not in done.stderr
    assert _remote_branches(tmp_path) == ["master"]
    assert two.read_bytes() == before

    git(two.parent, "branch", "--set-upstream-to=origin/master", who=BEN)
    lic(two, "sync", who=BEN)
    lic(one, "sync")
    assert _remote_branches(tmp_path) == ["master"]
    assert one.read_bytes() == two.read_bytes()


def test_a_clone_on_master_syncs_with_its_upstream_main(tmp_path: Path) -> None:
    """Ann's team works on main; Ben's local branch is master, following
    origin/main: sync pushes to main, and both end with the same store."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    one = tmp_path / "one" / "licenses.toml"
    lic(one, "init", "--git")
    git(one.parent, "branch", "-m", "main")
    git(one.parent, "remote", "add", "origin", str(remote))
    add(one, "dysprosium oxide")
    lic(one, "sync")
    git(tmp_path, "clone", "--quiet", str(remote), "two")
    two = tmp_path / "two" / "licenses.toml"
    lic(two, "git-setup", who=BEN)
    git(two.parent, "branch", "-m", "main", "master", who=BEN)  # keeps origin/main

    add(two, "gallium", who=BEN)
    add(one, "terbium metal")
    done = run(two, "sync", who=BEN)
    assert done.returncode == 0, done.stderr
    assert "synced with origin/main" in done.stderr
    lic(one, "sync")
    lic(two, "sync", who=BEN)
    assert _remote_branches(tmp_path) == ["main"]
    assert one.read_bytes() == two.read_bytes()
    materials = {x["material"] for x in json.loads(lic(one, "list", "-f", "json"))}
    assert materials == {"dysprosium oxide", "gallium", "terbium metal"}


def test_a_merged_store_stays_private(tmp_path: Path) -> None:
    """git rewrites the store in a merge: with the tool's umask it stays 0600."""
    one, two = team(tmp_path)
    add(one, "terbium metal")
    lic(one, "sync")
    add(two, "gallium", who=BEN)
    lic(two, "sync", who=BEN)
    lic(one, "sync")
    assert stat.S_IMODE(one.stat().st_mode) == 0o600
    assert stat.S_IMODE(two.stat().st_mode) == 0o600


# --- renumbering is said, recorded and followed ----------------------------------


def test_a_renumbered_license_is_said_recorded_and_keeps_its_history(
    tmp_path: Path,
) -> None:
    """Issue 20: both sides added license 2; Ben's becomes 3 in Ann's merge.
    sync says so on stderr, the merge commit records it, and `log 3` shows
    what license 3 went through as license 2 on Ben's side."""
    one, two = team(tmp_path)
    assert add(one, "terbium metal") == "2"
    assert add(two, "gallium", "--quantity", "500", who=BEN) == "2"
    lic(two, "ship", "2", "100", who=BEN)
    lic(two, "sync", who=BEN)

    done = run(one, "sync")
    assert done.returncode == 0, done.stderr
    assert "their license 2 is now license 3" in done.stderr
    body = git(one.parent, "log", "-1", "--format=%B")
    assert "Licenses-Renumbered: 2 -> 3" in body
    trailers = git(one.parent, "log", "-1", "--format=%(trailers:only)")
    assert "Licenses-Renumbered: 2 -> 3" in trailers

    lic(two, "sync", who=BEN)
    for clone, who in ((one, ANN), (two, BEN)):
        entries = json.loads(lic(clone, "log", "3", "--format", "json", who=who))
        messages = [e["message"] for e in entries]
        assert messages[1:] == ["ship 2: 100", "add 2: gallium to US"], messages
        assert messages[0].startswith("Merge ")
        assert all(e["author"] == "Ben" for e in entries[1:])
        mine = [e["message"] for e in json.loads(lic(clone, "log", "2", "-f", "json"))]
        assert mine == ["add 2: terbium metal to US"]


def test_each_license_keeps_its_own_history_through_two_renumberings(
    tmp_path: Path,
) -> None:
    """Ann's gallium is moved to 3 by Ben's merge; before she syncs she adds
    yttrium under 3, so her merge moves it to 4. `log` followed an id down both
    sides of each merge, where it named different licenses: `log 2` (Ben's
    terbium) listed Ann's "add 2: gallium" (audit s9-journey, 2)."""
    one, two = team(tmp_path)
    assert add(one, "gallium metal") == "2"
    assert add(two, "terbium metal", who=BEN) == "2"
    lic(one, "sync")
    lic(two, "sync", who=BEN)  # Ben's merge: Ann's gallium is 3
    assert add(one, "yttrium oxide") == "3"  # before Ann's next sync
    done = run(one, "sync")
    assert "your license 3 is now license 4" in done.stderr
    lic(two, "sync", who=BEN)

    def history(store: Path, key: str, who: dict[str, str]) -> list[str]:
        entries = json.loads(lic(store, "log", key, "--format", "json", who=who))
        return [e["message"] for e in entries if not e["message"].startswith("Merge")]

    for store, who in ((one, ANN), (two, BEN)):
        assert history(store, "2", who) == ["add 2: terbium metal to US"]
        assert history(store, "3", who) == ["add 2: gallium metal to US"]
        assert history(store, "4", who) == ["add 3: yttrium oxide to US"]


# --- undo after a sync -------------------------------------------------------------


def test_undo_after_a_sync_takes_back_your_change_and_keeps_theirs(
    tmp_path: Path,
) -> None:
    """Issue 20: after a sync the newest commit is sync's merge; undo takes
    back Ann's own newest change, and Ben's license stays."""
    one, two = team(tmp_path)
    lic(one, "close", "1", "--reason", "wrong one")
    add(two, "gallium", who=BEN)
    lic(two, "sync", who=BEN)
    lic(one, "sync")
    assert len(git(one.parent, "log", "-1", "--format=%P").split()) == 2  # a merge

    said = lic(one, "undo")
    assert "close 1: wrong one" in said
    shown = {x["id"]: x for x in json.loads(lic(one, "list", "--all", "-f", "json"))}
    assert shown[1]["status"] == "active"
    assert shown[2]["material"] == "gallium"
    assert git(one.parent, "log", "-1", "--format=%s%n%an").split("\n")[:2] == [
        "undo: close 1: wrong one",
        "Ann",
    ]


def test_undo_passes_over_the_others_changes(tmp_path: Path) -> None:
    one, two = team(tmp_path)
    add(one, "terbium metal")
    lic(one, "sync")
    lic(two, "sync", who=BEN)
    lic(two, "ship", "1", "300", who=BEN)
    lic(two, "sync", who=BEN)
    lic(one, "sync")  # Ben's shipment is now the newest change

    assert "add 2: terbium metal to US" in lic(one, "undo")
    shown = {x["id"]: x for x in json.loads(lic(one, "list", "--all", "-f", "json"))}
    assert set(shown) == {1}
    assert shown[1]["shipped"] == 300


def test_undo_that_conflicts_with_a_later_change_is_65_and_changes_nothing(
    tmp_path: Path,
) -> None:
    one, two = team(tmp_path)
    lic(one, "edit", "1", "--end-user", "Lone Star Magnetics")
    lic(one, "sync")
    lic(two, "sync", who=BEN)
    lic(two, "edit", "1", "--end-user", "Gulf Coast Motors", who=BEN)
    lic(two, "sync", who=BEN)
    lic(one, "sync")
    before, head = one.read_bytes(), git(one.parent, "rev-parse", "HEAD")

    done = run(one, "undo")
    assert done.returncode == 65, done.stderr
    lines = done.stderr.strip().splitlines()
    assert "nothing was undone" in lines[0]
    assert any('license 1 end_user: ours "Gulf Coast Motors"' in ln for ln in lines[1:])
    assert one.read_bytes() == before
    assert git(one.parent, "rev-parse", "HEAD") == head
    assert git(one.parent, "status", "--porcelain") == ""


def test_the_side_whose_license_was_renumbered_is_told_on_its_next_sync(
    tmp_path: Path,
) -> None:
    """Ann's merge gave id 2 to her license and Ben's became 3: Ben, who added
    license 2, learns it when his sync takes that merge (it said nothing: he
    would find Ann's license under 2 without a word)."""
    one, two = team(tmp_path)
    assert add(one, "terbium metal") == "2"
    assert add(two, "gallium", who=BEN) == "2"
    lic(two, "sync", who=BEN)
    assert "their license 2 is now license 3" in run(one, "sync").stderr
    done = run(two, "sync", who=BEN)
    assert done.returncode == 0, done.stderr
    assert "your license 2 is now license 3" in done.stderr
    assert "gallium" in lic(two, "show", "3", who=BEN)
    assert "terbium metal" in lic(two, "show", "2", who=BEN)
    # said once, and never to the side that made the merge
    assert "is now" not in run(two, "sync", who=BEN).stderr
    assert "is now" not in run(one, "sync").stderr


def test_the_renumbered_application_is_told_with_its_article(tmp_path: Path) -> None:
    """Ann and Ben each file application A1; Ben learns his is now A2 in a
    sentence that reads right: 'an application', not 'a application'."""
    one, two = team(tmp_path)
    lic(one, "apply", "-m", "terbium metal", "-d", "DE")
    lic(two, "apply", "-m", "gallium metal", "-d", "FR", who=BEN)
    lic(two, "sync", who=BEN)
    run(one, "sync")
    done = run(two, "sync", who=BEN)
    assert done.returncode == 0, done.stderr
    assert (
        "your application A1 is now application A2: a sync elsewhere kept A1 "
        "for an application added there"
    ) in done.stderr


def _moved_under_ben(tmp_path: Path) -> tuple[Path, Path]:
    """Ann and Ben each add license 2; Ben syncs first, so Ann's sync keeps 2
    for her terbium and moves Ben's gallium to 3. Ben has not synced since:
    for him, his gallium is still license 2."""
    one, two = team(tmp_path)
    assert add(one, "terbium metal") == "2"
    assert (
        add(two, "gallium metal", "--quantity", "100", "--unit", "kg", who=BEN) == "2"
    )
    lic(two, "sync", who=BEN)
    assert "their license 2 is now license 3" in run(one, "sync").stderr
    return one, two


def test_changes_to_a_license_a_sync_renumbered_follow_it(tmp_path: Path) -> None:
    """Ben edits and ships on his license 2 before his next sync, and adds
    another license (2 was his, so it got 3, which Ann's merge gave his
    gallium). Merged by id alone, his exporter and his shipment landed on
    Ann's terbium, now 2, without a word (audit s9-journey, 1)."""
    one, two = _moved_under_ben(tmp_path)
    lic(two, "edit", "2", "--exporter", "Ben Trading", who=BEN)
    lic(two, "ship", "2", "40", who=BEN)
    assert add(two, "yttrium oxide", who=BEN) == "3"
    done = run(two, "sync", who=BEN)
    assert done.returncode == 0, done.stderr
    assert "your license 2 is now license 3" in done.stderr
    assert "your license 3 is now license 4" in done.stderr
    lic(one, "sync")
    for store, who in ((one, ANN), (two, BEN)):
        rows = json.loads(lic(store, "list", "--all", "--format", "json", who=who))
        by_id = {row["id"]: row for row in rows}
        assert by_id[2]["material"] == "terbium metal"
        assert by_id[2]["exporter"] is None
        assert by_id[2]["shipped"] in (0, None)
        assert by_id[3]["shipped"] == 40
        assert by_id[3]["material"] == "gallium metal"
        assert by_id[3]["exporter"] == "Ben Trading"
        assert by_id[4]["material"] == "yttrium oxide"
    shown = lic(two, "show", "3", who=BEN)
    assert "40 kg in 1 shipment" in shown


def test_a_plain_git_pull_follows_the_renumbering_too(tmp_path: Path) -> None:
    """Without licenses sync: git merge runs the store's merge driver, which
    reads the moves from the history of the commit git names."""
    _, two = _moved_under_ben(tmp_path)
    lic(two, "edit", "2", "--exporter", "Ben Trading", who=BEN)
    git(two.parent, "pull", "--quiet", "--no-rebase", "--no-edit", who=BEN)
    rows = json.loads(lic(two, "list", "--all", "--format", "json", who=BEN))
    exporter = {row["material"]: row["exporter"] for row in rows}
    assert exporter["terbium metal"] is None
    assert exporter["gallium metal"] == "Ben Trading"


def test_a_close_before_the_sync_closes_the_license_it_was_meant_for(
    tmp_path: Path,
) -> None:
    _, two = _moved_under_ben(tmp_path)
    lic(two, "close", "2", who=BEN)
    assert run(two, "sync", who=BEN).returncode == 0
    rows = json.loads(lic(two, "list", "--all", "--format", "json", who=BEN))
    status = {row["material"]: row["status"] for row in rows}
    assert status["terbium metal"] == "active"
    assert status["gallium metal"] == "closed"


def test_the_follow_holds_once_the_number_is_entered_on_the_moved_license(
    tmp_path: Path,
) -> None:
    """Ann enters the official number on Ben's gallium (now 3) before Ben
    syncs: his close of his 2 still reaches it, and he is still told (audit
    s9-review, 2)."""
    one, two = _moved_under_ben(tmp_path)
    lic(one, "edit", "3", "--number", "MOFCOM-2026-GA-1")
    lic(one, "sync")
    lic(two, "close", "2", who=BEN)
    done = run(two, "sync", who=BEN)
    assert done.returncode == 0, done.stderr
    assert "your license 2 is now license 3" in done.stderr
    rows = json.loads(lic(two, "list", "--all", "--format", "json", who=BEN))
    status = {row["material"]: row["status"] for row in rows}
    assert status == {
        "dysprosium oxide": "active",
        "terbium metal": "active",
        "gallium metal": "closed",
    }


def test_undo_takes_back_an_add_a_sync_renumbered(tmp_path: Path) -> None:
    """Ben's newest change is his add of license 2, which Ann's merge moved to
    3. Undo refused it, naming a conflict on license 2, Ann's (audit
    s9-journey, 4): it takes back Ben's license, under its new id."""
    _, two = _moved_under_ben(tmp_path)
    assert run(two, "sync", who=BEN).returncode == 0
    done = run(two, "undo", who=BEN)
    assert done.returncode == 0, done.stderr
    rows = json.loads(lic(two, "list", "--all", "--format", "json", who=BEN))
    materials = {row["id"]: row["material"] for row in rows}
    assert materials == {1: "dysprosium oxide", 2: "terbium metal"}


def test_a_clone_started_on_its_own_is_told_so_not_a_conflict(tmp_path: Path) -> None:
    """Two 'init --git' pushed to one remote: git refuses to merge histories
    with nothing in common, and sync said "changed differently on both sides
    ... see git status" (65) while git status showed nothing."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    one, two = tmp_path / "one" / "licenses.toml", tmp_path / "two" / "licenses.toml"
    for store, who in ((one, ANN), (two, BEN)):
        lic(store, "init", "--git", who=who)
        git(store.parent, "remote", "add", "origin", str(remote))
        add(store, "gallium", who=who)
    lic(one, "sync")
    branch = git(one.parent, "symbolic-ref", "--short", "HEAD").strip()
    git(two.parent, "fetch", "--quiet", "origin")
    git(two.parent, "branch", f"--set-upstream-to=origin/{branch}")
    before, head = two.read_bytes(), git(two.parent, "rev-parse", "HEAD")
    done = run(two, "sync", who=BEN)
    assert done.returncode == 64, done.stderr
    assert "no history in common" in done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert (two.read_bytes(), git(two.parent, "rev-parse", "HEAD")) == (before, head)


def _moved_by_a_plain_pull(
    tmp_path: Path, *, by_hand: bool = False
) -> tuple[Path, Path]:
    """``_moved_under_ben``, but Ann merges with git itself (``git pull`` and
    ``git push``), not ``licenses sync``: git writes the merge commit, so no
    trailer says that Ben's gallium moved from 2 to 3. ``by_hand``: she
    touches the merged store before committing it (a note at its end), so
    merging the parents again does not give the text she committed."""
    one, two = team(tmp_path)
    assert add(one, "terbium metal") == "2"
    assert (
        add(two, "gallium metal", "--quantity", "100", "--unit", "kg", who=BEN) == "2"
    )
    lic(two, "sync", who=BEN)
    git(one.parent, "pull", "--quiet", "--no-rebase", "--no-edit", "--no-commit")
    if by_hand:
        with one.open("a", encoding="utf-8") as store:
            store.write("# checked with Ben by phone\n")
        git(one.parent, "add", one.name)
    git(one.parent, "commit", "--quiet", "--no-edit")
    git(one.parent, "push", "--quiet")
    assert "Licenses-Renumbered" not in git(one.parent, "log", "-1", "--format=%B")
    rows = json.loads(lic(one, "list", "--all", "--format", "json"))
    assert {row["id"]: row["material"] for row in rows}[3] == "gallium metal"
    return one, two


@pytest.mark.parametrize("settled", ["as merged", "by hand"])
@pytest.mark.parametrize("merge", ["sync", "git pull"])
def test_a_renumbering_a_plain_git_merge_made_is_followed_too(
    tmp_path: Path, merge: str, settled: str
) -> None:
    """Ben edits and ships on his license 2 after Ann's plain git pull moved
    it to 3. The merge commit has no trailer (git wrote it), so the move is
    read from the merge itself: merging its parents again gives it. Without
    that, Ben's exporter and shipment landed on Ann's terbium, now 2
    (left open in the ninth session, docs/team.md)."""
    one, two = _moved_by_a_plain_pull(tmp_path, by_hand=settled == "by hand")
    lic(two, "edit", "2", "--exporter", "Ben Trading", who=BEN)
    lic(two, "ship", "2", "40", who=BEN)
    if merge == "sync":
        done = run(two, "sync", who=BEN)
        assert done.returncode == 0, done.stderr
        assert "your license 2 is now license 3" in done.stderr
    else:
        git(two.parent, "pull", "--quiet", "--no-rebase", "--no-edit", who=BEN)
        git(two.parent, "push", "--quiet", who=BEN)
    lic(one, "sync")
    for store, who in ((one, ANN), (two, BEN)):
        rows = json.loads(lic(store, "list", "--all", "--format", "json", who=who))
        by_material = {row["material"]: row for row in rows}
        assert by_material["terbium metal"]["id"] == 2
        assert by_material["terbium metal"]["exporter"] is None
        assert by_material["terbium metal"]["shipped"] in (0, None)
        assert by_material["gallium metal"]["id"] == 3
        assert by_material["gallium metal"]["exporter"] == "Ben Trading"
        assert by_material["gallium metal"]["shipped"] == 40


@pytest.mark.parametrize("settled", ["as merged", "by hand"])
def test_log_follows_a_renumbering_a_plain_git_merge_made(
    tmp_path: Path, settled: str
) -> None:
    """Ann's plain git pull moved Ben's gallium from 2 to 3, and no trailer
    says so: `log 3` lists the merge and Ben's commits about his license 2
    (merging the merge's parents again finds the move), not Ann's terbium's,
    which holds 2 now. Before, `log` followed only the moves sync recorded:
    `log 3` missed Ben's add, and `log 2` listed it as terbium's history."""
    one, two = _moved_by_a_plain_pull(tmp_path, by_hand=settled == "by hand")
    plain_merge = git(one.parent, "rev-parse", "HEAD").strip()

    def history(store: Path, key: str, who: dict[str, str]) -> list[Any]:
        entries = json.loads(lic(store, "log", key, "--format", "json", who=who))
        return [(e["commit"], e["message"], e["ids"]) for e in entries]

    merge_message = git(one.parent, "log", "-1", "--format=%s").strip()
    shown = history(one, "3", ANN)
    assert [(m, ids) for _, m, ids in shown] == [
        (merge_message, []),
        ("add 2: gallium metal to US", [2]),
    ], shown
    assert shown[0][0] == plain_merge
    assert [m for _, m, _ in history(one, "2", ANN)] == ["add 2: terbium metal to US"]

    # Ben ships on his 2 and syncs: his merge moves it to 3 with a trailer
    # (Licenses-Renumbered-Here), and Ann's merge, under it, still has none.
    lic(two, "ship", "2", "40", who=BEN)
    done = run(two, "sync", who=BEN)
    assert done.returncode == 0, done.stderr
    lic(one, "sync")
    for store, who in ((one, ANN), (two, BEN)):
        shown = [(m, ids) for c, m, ids in history(store, "3", who) if c != plain_merge]
        assert [s for s in shown if not s[0].startswith("Merge ")] == [
            ("ship 2: 40 kg", [2]),
            ("add 2: gallium metal to US", [2]),
        ], shown
        assert plain_merge in [c for c, _, _ in history(store, "3", who)]
        assert [m for _, m, _ in history(store, "2", who)] == [
            "add 2: terbium metal to US"
        ]


def _merges_merged_again(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, each merge merged again (``merge_texts`` spied on), by the
    name of the file it merged: costly, so counted."""
    from export_licenses.service import merge_history, merging  # noqa: PLC0415 - the spy's target

    merged_again: list[str] = []
    real = merging.merge_texts

    def spy(*args: Any, **kwargs: Any) -> Any:
        merged_again.append(str(args[3]))
        return real(*args, **kwargs)

    monkeypatch.setattr(merge_history, "merge_texts", spy)
    return merged_again


def test_log_merges_a_plain_merge_again_only_to_follow_an_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Merging a merge's parents again costs what the merge cost (3 s of CPU
    at 5,000 licenses): `log` of the whole store follows no id and merges
    nothing again; `log 3` merges Ann's plain merge again once."""
    one, _ = _moved_by_a_plain_pull(tmp_path)
    merged_again = _merges_merged_again(monkeypatch)
    assert "Merge " in lic(one, "log")
    assert merged_again == []
    assert "add 2: gallium metal to US" in lic(one, "log", "3")
    assert len(merged_again) == 1


def test_log_does_not_merge_again_a_plain_merge_that_moved_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ann edits license 1 and Ben ships on it; Ann merges with a plain git
    pull (no trailer). License 1 was in the store both started from and no
    line moved anything since: the merge cannot have moved it (only an id a
    side gave since can move), so `log 1` follows it down both sides without
    merging the parents again (review s11: 40 such merges cost 5 s at 2,000
    licenses), and lists what it did before."""
    one, two = team(tmp_path)
    lic(one, "edit", "1", "--note", "checked by Ann")
    lic(two, "ship", "1", "40", who=BEN)
    lic(two, "sync", who=BEN)
    git(one.parent, "pull", "--quiet", "--no-rebase", "--no-edit")
    assert len(git(one.parent, "log", "-1", "--format=%P").split()) == 2
    merged_again = _merges_merged_again(monkeypatch)
    entries = json.loads(lic(one, "log", "1", "--format", "json"))
    assert sorted(e["message"] for e in entries) == [
        "add 1: dysprosium oxide to US",
        "edit 1: notes",
        "ship 1: 40 kg",
    ], entries
    assert merged_again == []


def test_a_sync_merge_says_it_is_one_even_when_nothing_moved(tmp_path: Path) -> None:
    """A merge commit sync made says so (``Licenses-Command: sync``), moves or
    none: a later merge takes its trailers as all it moved, where a merge git
    made on its own is merged again to find its moves (3 s of CPU at a large
    trader's size). A fast-forward makes no commit and amends none."""
    one, two = team(tmp_path)
    lic(two, "edit", "1", "--exporter", "Ben Trading", who=BEN)
    assert add(one, "terbium metal") == "2"
    lic(two, "sync", who=BEN)
    before = git(two.parent, "rev-parse", "HEAD", who=BEN).strip()
    done = run(one, "sync")
    assert done.returncode == 0, done.stderr
    body = git(one.parent, "log", "-1", "--format=%B")
    assert "Licenses-Command: sync" in body
    assert "Licenses-Renumbered" not in body
    assert git(one.parent, "rev-parse", "HEAD^2").strip() == before
    done = run(two, "sync", who=BEN)  # a fast-forward to Ann's merge
    assert (
        git(two.parent, "rev-parse", "HEAD").strip()
        == git(one.parent, "rev-parse", "HEAD").strip()
    )


def test_a_plain_merge_is_merged_again_once_per_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ben's sync reads the history three times (each side's moves, and his
    own records that moved); Ann's plain merge is merged again once, not on
    each reading: that costs what the merge cost, 3 s of CPU at 5,000
    licenses (audit s10-review, 5)."""
    _, two = _moved_by_a_plain_pull(tmp_path)
    merged_again = _merges_merged_again(monkeypatch)
    lic(two, "edit", "2", "--exporter", "Ben Trading", who=BEN)
    done = run(two, "sync", who=BEN)
    assert done.returncode == 0, done.stderr
    assert "your license 2 is now license 3" in done.stderr
    assert len(merged_again) == 1


@pytest.mark.parametrize("name", ["-dash.toml", "licenses[eu].toml"])
def test_a_store_with_an_odd_name_merges_when_both_sides_add(
    tmp_path: Path, name: str
) -> None:
    """git hands the merge driver the store's path (%P): `-dash.toml` was
    read as an option (exit 64) and no sync could merge (review s11-review3)."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    one = tmp_path / "one" / name
    lic(one, "init", "--git")
    git(one.parent, "remote", "add", "origin", str(remote))
    add(one, "dysprosium oxide")
    lic(one, "sync")
    git(tmp_path, "clone", "--quiet", str(remote), "two")
    two = tmp_path / "two" / name
    lic(two, "git-setup", who=BEN)
    add(one, "gallium metal")
    add(two, "germanium metal", who=BEN)
    lic(two, "sync", who=BEN)
    lic(one, "sync")
    listed = lic(one, "list")
    assert "gallium metal" in listed
    assert "germanium metal" in listed
