"""What sync says when git cannot merge (audit A, finding 6): what actually
failed — a conflict in another file, by name; a clone without the merge driver;
a local change in git's way — never the store blamed for it, and never "see git
status" about a merge it has already aborted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from git_world import ANN, BEN, add, git, lic, needs_git, run, team

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = needs_git


def _readme(store: Path, text: str, who: dict[str, str]) -> None:
    """A file beside the store, committed: the team keeps notes in the
    repository too."""
    (store.parent / "README").write_text(text)
    git(store.parent, "add", "README", who=who)
    git(store.parent, "commit", "--quiet", "-m", f"README: {text}", who=who)


def _readme_changed_on_ann_side(tmp_path: Path, *first: str) -> tuple[Path, Path]:
    """Ann and Ben both hold README "one"; then Ann runs ``first`` (a licenses
    command) and changes README to "alice", and syncs: Ben's next sync merges it."""
    one, two = team(tmp_path)
    _readme(one, "one", ANN)
    lic(one, "sync")
    lic(two, "sync", who=BEN)
    if first:
        lic(one, *first)
    _readme(one, "alice", ANN)
    lic(one, "sync")
    return one, two


def _sync_refused(store: Path, code: int = 65) -> str:
    """Ben's sync fails with ``code``, leaving his store, branch and work tree
    as they were (the merge aborted): what it said."""
    before = (
        store.read_bytes(),
        git(store.parent, "rev-parse", "HEAD"),
        git(store.parent, "status", "--porcelain"),
    )
    done = run(store, "sync", who=BEN)
    assert done.returncode == code, done.stderr
    assert (
        store.read_bytes(),
        git(store.parent, "rev-parse", "HEAD"),
        git(store.parent, "status", "--porcelain"),
    ) == before
    assert "git status" not in done.stderr
    return done.stderr


def test_another_files_conflict_is_named_and_the_store_not_blamed(
    tmp_path: Path,
) -> None:
    _, two = _readme_changed_on_ann_side(tmp_path)
    _readme(two, "bob", BEN)
    assert _sync_refused(two) == (
        "licenses: sync: git could not merge README (changed on both sides; not the "
        "store); nothing was merged: git pull, settle and commit them, then sync "
        "again\n"
    )


def test_a_clone_without_the_merge_driver_is_told_to_run_git_setup(
    tmp_path: Path,
) -> None:
    one, _ = team(tmp_path)
    git(tmp_path, "clone", "--quiet", str(tmp_path / "remote.git"), "three")
    three = tmp_path / "three" / "licenses.toml"  # no git-setup here
    add(one, "gallium metal")
    lic(one, "sync")
    add(three, "terbium metal", who=BEN)
    assert _sync_refused(three) == (
        "licenses: sync: the licenses merge driver is not set up in this clone, so "
        "git merged licenses.toml line by line and could not; nothing was merged: "
        "run licenses git-setup, then sync again\n"
    )
    lic(three, "git-setup", who=BEN)  # what it says works
    assert run(three, "sync", who=BEN).returncode == 0


def test_a_local_change_in_gits_way_is_said_in_gits_words(tmp_path: Path) -> None:
    _, two = _readme_changed_on_ann_side(tmp_path)
    (two.parent / "README").write_text("bob, not committed\n")
    said = _sync_refused(two, 73)
    assert len(said.strip().splitlines()) == 1
    assert said.startswith("licenses: sync: git could not merge: error: Your ")
    assert "README" in said
    assert "nothing was merged" in said
    assert (two.parent / "README").read_text() == "bob, not committed\n"


def test_a_store_conflict_with_another_file_lists_both(tmp_path: Path) -> None:
    edit = ("edit", "1", "--end-user", "Lone Star Magnetics")
    _, two = _readme_changed_on_ann_side(tmp_path, *edit)
    lic(two, "edit", "1", "--end-user", "Gulf Coast Motors", who=BEN)
    _readme(two, "bob", BEN)
    lines = _sync_refused(two).splitlines()
    assert lines[0].startswith("licenses: sync: the store was changed differently")
    assert any("license 1 end_user" in line for line in lines[1:])
    assert lines[-1].endswith("also not merged: README")


def test_a_driver_that_fails_is_said_so_not_see_git_status(tmp_path: Path) -> None:
    """A driver that ends without a result (here: false; a moved Python, a
    crash) leaves the store without the conflicts' comment: sync said
    "git could not merge it (see git status)" of a merge it had aborted."""
    one, two = team(tmp_path)
    add(one, "gallium metal")
    lic(one, "sync")
    add(two, "terbium metal", who=BEN)
    git(two.parent, "config", "merge.licenses.driver", "false")
    assert _sync_refused(two).splitlines() == [
        (
            "licenses: sync: the merge driver could not merge licenses.toml; "
            "nothing was merged"
        ),
        "  the driver gave no result: false (licenses git-setup sets it again)",
    ]


def _said(store: Path, who: dict[str, str] = ANN) -> str:
    done = run(store, "sync", who=who)
    assert done.returncode == 0, done.stderr
    *_renumbered, line = done.stderr.splitlines()
    assert line.startswith("synced with origin/"), done.stderr
    return line.split(": ", 1)[1]


def test_sync_says_what_it_did(tmp_path: Path) -> None:
    """Merged, fast-forwarded, pushed: each only when it happened (audit
    s9-journey §7: a fast-forward said "2 change(s) merged, pushed")."""
    one, two = team(tmp_path)
    add(one, "terbium metal")
    assert _said(one) == "nothing to merge, pushed"
    # Ben has no commit of his own: git moves his branch on, nothing to push.
    assert _said(two, BEN) == "1 change(s) taken (fast-forward), nothing to push"
    assert _said(two, BEN) == "nothing to merge or push"
    add(one, "gallium metal")
    lic(one, "sync")
    add(two, "germanium metal", who=BEN)
    assert _said(two, BEN) == "1 change(s) merged, pushed"
    remote = git(two.parent, "rev-parse", "HEAD")
    assert _said(one) == "2 change(s) taken (fast-forward), nothing to push"
    assert git(one.parent, "rev-parse", "HEAD") == remote
