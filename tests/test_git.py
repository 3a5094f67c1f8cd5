"""The store on git, with real repositories and real git processes: a commit per
write, log, undo, the merge driver, and two clones working at once."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import TYPE_CHECKING, Any

import pytest

from helpers import licenses_in_process

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None, reason="git is not installed (.ci/run installs it)"
)
ANN = {
    "GIT_AUTHOR_NAME": "Ann",
    "GIT_AUTHOR_EMAIL": "ann@example.com",
    "GIT_COMMITTER_NAME": "Ann",
    "GIT_COMMITTER_EMAIL": "ann@example.com",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "LICENSES_TODAY": "2026-11-23",
}
BEN = {**ANN, "GIT_AUTHOR_NAME": "Ben", "GIT_AUTHOR_EMAIL": "ben@example.com"}


def lic(store: Path, *args: str, who: dict[str, str] = ANN) -> str:
    done = licenses_in_process("--store", str(store), *args, env=who)
    assert done.returncode == 0, (args, done.stderr)
    return done.stdout


def git(folder: Path, *args: str) -> str:
    env = {**ANN, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        ["git", *args], cwd=folder, capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


def subjects(folder: Path) -> list[str]:
    return git(folder, "log", "--format=%s").splitlines()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    store = tmp_path / "team" / "licenses.toml"
    lic(store, "init", "--git")
    return store


def test_every_write_is_one_commit_saying_what_happened(repo: Path) -> None:
    lic(
        repo,
        "add",
        "-m",
        "dysprosium oxide",
        "-d",
        "US",
        "-i",
        "2026-11-02",
        "-n",
        "MOFCOM-2026-DY-0031",
        "--quantity",
        "1000",
        "--unit",
        "kg",
    )
    lic(repo, "ship", "1", "210")
    lic(repo, "close", "1", "--reason", "finished")
    assert subjects(repo.parent) == [
        "close 1: finished",
        "ship 1: 210 kg",
        "add 1: dysprosium oxide to US (MOFCOM-2026-DY-0031)",
        "init: new store",
    ]
    changed = git(repo.parent, "show", "--name-only", "--format=", "HEAD").split()
    assert changed == ["licenses.toml"]
    assert git(repo.parent, "status", "--porcelain") == ""


def test_a_failed_command_makes_no_commit(repo: Path) -> None:
    before = subjects(repo.parent)
    done = licenses_in_process("--store", str(repo), "close", "99", env=ANN)
    assert done.returncode == 64
    assert subjects(repo.parent) == before


def test_an_edit_by_hand_is_committed_first(repo: Path) -> None:
    text = repo.read_text(encoding="utf-8")
    repo.write_text(text.replace("warn_days = 90", "warn_days = 60"), encoding="utf-8")
    lic(repo, "add", "-m", "terbium metal", "-d", "DE", "-i", "2026-11-02")
    assert subjects(repo.parent)[:2] == ["add 1: terbium metal to DE", "edit by hand"]


def test_no_author_is_exit_73_before_anything_is_written(repo: Path) -> None:
    before = repo.read_bytes()
    nobody = {k: v for k, v in ANN.items() if not k.endswith(("_NAME", "_EMAIL"))}
    done = licenses_in_process(
        "--store",
        str(repo),
        "add",
        "-m",
        "gallium",
        "-d",
        "US",
        "-i",
        "2026-11-02",
        env={**nobody, "HOME": str(repo.parent)},
    )
    assert done.returncode == 73, done.stderr
    assert "git has no author" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert repo.read_bytes() == before


def test_log_of_one_license_newest_first_as_json(repo: Path) -> None:
    lic(repo, "add", "-m", "dysprosium oxide", "-d", "US", "-i", "2026-11-02")
    lic(repo, "add", "-m", "terbium metal", "-d", "DE", "-i", "2026-11-02")
    lic(repo, "close", "1", "--reason", "finished", who=BEN)
    entries = json.loads(lic(repo, "log", "1", "--format", "json"))
    assert [e["message"] for e in entries] == [
        "close 1: finished",
        "add 1: dysprosium oxide to US",
    ]
    assert entries[0]["author"] == "Ben"
    assert entries[0]["ids"] == [1]
    assert set(entries[0]) == {"commit", "date", "author", "message", "ids"}
    assert entries[0]["date"] == git(repo.parent, "log", "-1", "--format=%as").strip()


def test_undo_reverts_the_last_change_as_a_commit(repo: Path) -> None:
    lic(repo, "add", "-m", "dysprosium oxide", "-d", "US", "-i", "2026-11-02")
    before_close = repo.read_bytes()
    lic(repo, "close", "1", "--reason", "wrong one")
    said = lic(repo, "undo")
    assert "close 1: wrong one" in said
    assert repo.read_bytes() == before_close
    assert subjects(repo.parent)[0] == "undo: close 1: wrong one"
    assert json.loads(lic(repo, "show", "1", "-f", "json"))["status"] == "active"


def test_undo_refuses_a_change_it_did_not_make(repo: Path) -> None:
    lic(repo, "add", "-m", "dysprosium oxide", "-d", "US", "-i", "2026-11-02")
    text = repo.read_text(encoding="utf-8")
    repo.write_text(text.replace("warn_days = 90", "warn_days = 45"), encoding="utf-8")
    git(repo.parent, "commit", "-qam", "tighter warnings")
    done = licenses_in_process("--store", str(repo), "undo", env=ANN)
    assert done.returncode == 64
    assert "tighter warnings" in done.stderr
    assert "not made by licenses" in done.stderr
    assert "warn_days = 45" in repo.read_text(encoding="utf-8")


def test_undo_refuses_while_a_hand_edit_is_uncommitted(repo: Path) -> None:
    lic(repo, "add", "-m", "dysprosium oxide", "-d", "US", "-i", "2026-11-02")
    repo.write_text(repo.read_text(encoding="utf-8") + "\n# note\n", encoding="utf-8")
    done = licenses_in_process("--store", str(repo), "undo", env=ANN)
    assert done.returncode == 64
    assert "# note" in repo.read_text(encoding="utf-8")


def test_without_git_the_store_works_as_before(tmp_path: Path) -> None:
    store = tmp_path / "plain.toml"
    lic(store, "add", "-m", "dysprosium oxide", "-d", "US", "-i", "2026-11-02")
    assert not (tmp_path / ".git").exists()
    assert "git" not in store.read_text(encoding="utf-8")
    done = licenses_in_process("--store", str(store), "log", env=ANN)
    assert done.returncode == 73
    assert "not in a git repository" in done.stderr


@pytest.mark.parametrize(
    "name",
    [
        "my licenses.toml",
        "licenses [2].toml",
        "star*.toml",
        'a "quoted" name.toml',
        "back\\slash.toml",
        "tab\tand ünïcode.toml",
        "trailing space.toml ",
    ],
)
def test_the_merge_driver_and_the_lock_are_set_for_any_file_name(
    tmp_path: Path, name: str
) -> None:
    # "/my licenses.toml merge=licenses" was two fields to git: the driver was
    # never used, and two clones that each added a license could not sync.
    store = tmp_path / name
    lic(store, "init", "--git")
    git = ["git", "-C", str(tmp_path)]
    attr = subprocess.run(
        [*git, "check-attr", "-z", "merge", "--", name, "other.toml"],
        capture_output=True, text=True, check=True,
    ).stdout.split("\0")  # fmt: skip
    assert attr[:6] == [name, "merge", "licenses", "other.toml", "merge", "unspecified"]
    ignored = subprocess.run(
        [*git, "check-ignore", "-z", "--stdin", "--no-index"],
        input=f"{name}.lock\0x.lock\0", capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert ignored.stdout.split("\0")[:-1] == [f"{name}.lock"]


@pytest.mark.parametrize("name", ["licenses[eu].toml", "star*.toml", "what?.toml"])
def test_a_store_named_like_a_pattern_commits_itself_alone(
    tmp_path: Path, name: str
) -> None:
    """git reads a path as a pattern unless told not to: `licenses[eu].toml`
    also matched `licensese.toml`, a file of the user's beside it."""
    store = tmp_path / name
    lic(store, "init", "--git")
    lookalike = {"licenses[eu].toml": "licensese.toml", "star*.toml": "starry.toml"}
    other = tmp_path / lookalike.get(name, "whatx.toml")
    other.write_text("not the store\n", encoding="utf-8")
    git(tmp_path, "add", "--", other.name)
    git(tmp_path, "commit", "-q", "-m", "the user's own file")
    other.write_text("changed by the user, not to be committed\n", encoding="utf-8")
    lic(store, "add", "-m", "dysprosium oxide", "-d", "US", "-i", "2026-11-02")
    changed = git(tmp_path, "show", "--name-only", "--format=", "HEAD").splitlines()
    assert changed == [name]
    assert git(tmp_path, "status", "--porcelain", "--", other.name).startswith(" M")
    assert len(json.loads(lic(store, "log", "--format", "json"))) == 2  # init, add


def test_writes_and_log_work_where_the_user_reads_every_path_literally(
    tmp_path: Path,
) -> None:
    """`git --literal-pathspecs` (Magit passes it) sets GIT_LITERAL_PATHSPECS
    for what git starts: git then reads no `:(literal)` magic, and every
    write failed with 73 (review s11-review3)."""
    store = tmp_path / "licenses[eu].toml"
    literal = {**ANN, "GIT_LITERAL_PATHSPECS": "1"}
    lic(store, "init", "--git", who=literal)
    dy = ("-m", "dysprosium oxide", "-d", "US", "-i", "2026-11-02")
    lic(store, "add", *dy, who=literal)
    assert len(json.loads(lic(store, "log", "--format", "json", who=literal))) == 2
    assert subjects(tmp_path)[0].startswith("add 1: dysprosium oxide")


# --- the merge driver --------------------------------------------------------

BASE = """version = 1

[settings]
warn_days = 90

[[license]]
id = 1
material = "dysprosium oxide"
destination = "US"
issued = 2026-01-05
term_months = 6
quantity = 1000
unit = "kg"
"""


def driver(tmp_path: Path, base: str, ours: str, theirs: str) -> tuple[int, str, str]:
    paths = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        path = tmp_path / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    done = licenses_in_process("merge-driver", *paths, "licenses.toml")
    return done.returncode, (tmp_path / "ours.toml").read_text("utf-8"), done.stderr


def add_license(text: str, number: int, material: str) -> str:
    return text + (
        f'\n[[license]]\nid = {number}\nmaterial = "{material}"\ndestination = "DE"\n'
        "issued = 2026-02-01\nterm_months = 6\n"
    )


def read(text: str) -> dict[str, Any]:
    import tomllib  # noqa: PLC0415

    return tomllib.loads(text)


def test_both_sides_add_licenses_theirs_are_renumbered(tmp_path: Path) -> None:
    ours = add_license(BASE, 2, "terbium metal")
    theirs = add_license(BASE, 2, "gallium metal")
    theirs = (
        theirs + '\n[[license]]\nid = 3\nmaterial = "yttrium oxide"\n'
        'destination = "JP"\nissued = 2026-03-01\nterm_months = 6\nrenews = 2\n'
    )
    code, text, said = driver(tmp_path, BASE, ours, theirs)
    assert code == 0, said
    licenses = {x["id"]: x for x in read(text)["license"]}
    assert licenses[2]["material"] == "terbium metal"
    # Their 2 clashes with ours: it moves above every id in use; their 3 stays,
    # and its link to their 2 follows it.
    assert licenses[3]["material"] == "yttrium oxide"
    assert licenses[4]["material"] == "gallium metal"
    assert licenses[3]["renews"] == 4
    assert "their license 2 is now license 4" in said


def test_both_sides_created_the_store_the_same_license_is_kept_once(
    tmp_path: Path,
) -> None:
    # git's add/add: no common ancestor, the base is empty. Their license 1 is
    # our license 2 field for field; their 2 (which renews their 1) is new.
    ours = add_license(BASE, 2, "terbium metal")
    header = BASE.split("[[license]]", 1)[0]
    theirs = add_license(header, 1, "terbium metal")
    theirs = add_license(theirs, 2, "gallium metal") + "renews = 1\n"
    code, text, said = driver(tmp_path, "", ours, theirs)
    assert (code, said) == (0, (
        "licenses merge: their license 1 is now license 2\n"
        "licenses merge: their license 2 is now license 3\n"
    ))  # fmt: skip
    licenses = {x["id"]: x["material"] for x in read(text)["license"]}
    assert licenses == {1: "dysprosium oxide", 2: "terbium metal", 3: "gallium metal"}
    assert read(text)["license"][2]["renews"] == 2
    # the same store created on both sides merges to itself
    code, text, said = driver(tmp_path, "", ours, ours)
    assert (code, said) == (0, "")
    assert read(text)["license"] == read(ours)["license"]


def test_a_merge_keeps_what_each_side_commented(tmp_path: Path) -> None:
    ours = BASE.replace('destination = "US"', 'destination = "US"  # ours: via LA')
    theirs = add_license(BASE, 2, "gallium metal").replace(
        "[[license]]\nid = 2", "# theirs: for the Kobe plant\n[[license]]\nid = 2"
    )
    code, text, said = driver(tmp_path, BASE, ours, theirs)
    assert code == 0, said
    assert 'destination = "US"  # ours: via LA' in text
    assert "# theirs: for the Kobe plant\n[[license]]\nid = 2" in text
    assert [x["id"] for x in read(text)["license"]] == [1, 2]


def test_a_merge_keeps_the_comments_of_a_license_both_sides_changed(
    tmp_path: Path,
) -> None:
    # Ours changed the destination and commented why; theirs the quantity with
    # its own comment: the merged license is written anew, with both comments.
    ours = BASE.replace(
        'destination = "US"', 'destination = "CA"  # ours: via Vancouver'
    )
    theirs = BASE.replace(
        "quantity = 1000", "# theirs: the March call-off\nquantity = 1500"
    )
    code, text, said = driver(tmp_path, BASE, ours, theirs)
    assert code == 0, said
    assert 'destination = "CA"  # ours: via Vancouver\n' in text
    assert "# theirs: the March call-off\nquantity = 1500\n" in text
    only = read(text)["license"][0]
    assert (only["destination"], only["quantity"]) == ("CA", 1500)


def test_different_fields_of_one_license_both_kept(tmp_path: Path) -> None:
    ours = BASE.replace('destination = "US"', 'destination = "CA"')
    theirs = BASE.replace("quantity = 1000", "quantity = 1500")
    code, text, _ = driver(tmp_path, BASE, ours, theirs)
    assert code == 0
    only = read(text)["license"][0]
    assert (only["destination"], only["quantity"]) == ("CA", 1500)


def test_one_field_changed_differently_is_a_conflict_ours_kept(tmp_path: Path) -> None:
    ours = BASE.replace('destination = "US"', 'destination = "CA"')
    theirs = BASE.replace('destination = "US"', 'destination = "MX"')
    code, text, said = driver(tmp_path, BASE, ours, theirs)
    assert code == 1
    assert text.startswith("# licenses merge conflict:")
    assert 'license 1 destination: ours "CA", theirs "MX"' in text
    assert read(text)["license"][0]["destination"] == "CA"
    assert "conflict" in said


def test_a_conflict_names_its_values_as_the_store_writes_them(tmp_path: Path) -> None:
    # settled by hand in that file: no datetime.date(2027, 6, 1) to translate
    shipped = 'shipments = [{{ id = "aaaa01", on = 2026-02-02, quantity = {} }}]\n'
    ours = BASE.replace("term_months = 6", "expires = 2027-06-01") + shipped.format(100)
    theirs = BASE.replace("term_months = 6", "expires = 2026-12-05") + shipped.format(
        250
    )
    code, text, said = driver(tmp_path, BASE, ours, theirs)
    assert code == 1
    assert "license 1 expires: ours 2027-06-01, theirs 2026-12-05" in text
    assert (
        'license 1 shipment aaaa01: ours {id = "aaaa01", on = 2026-02-02, '
        'quantity = 100}, theirs {id = "aaaa01", on = 2026-02-02, quantity = 250}'
    ) in text
    assert "datetime" not in text + said


def test_a_merge_that_is_no_valid_store_keeps_every_change_to_settle(
    tmp_path: Path,
) -> None:
    # Both sides gave a new license one number: the merged store is invalid. The
    # file keeps all of theirs too (a note, a shipment, a license elsewhere), not
    # ours alone: committed as it was, theirs would be lost for good.
    ours = add_license(BASE, 2, "gallium metal") + 'number = "MOFCOM-DUP-1"\n'
    theirs = (
        add_license(BASE, 2, "terbium metal")
        + 'number = "mofcom-dup-1"\n'
        + add_license("", 3, "samarium oxide")
    ).replace('unit = "kg"', 'unit = "kg"\nnotes = "theirs: call Kobe"', 1)
    theirs += "\n[[license.shipments]]\non = 2026-02-03\nquantity = 400\n"
    code, text, said = driver(tmp_path, BASE, ours, theirs)
    assert code == 1
    assert text.startswith("# licenses merge conflict:")
    assert "number: already used by license 2 (MOFCOM-DUP-1)" in said
    licenses = {x["id"]: x for x in read(text)["license"]}
    assert licenses[1]["notes"] == "theirs: call Kobe"
    assert [x["material"] for x in licenses.values()] == [
        "dysprosium oxide", "gallium metal", "samarium oxide", "terbium metal"
    ]  # fmt: skip
    assert licenses[4]["number"] == "mofcom-dup-1"
    assert [s["quantity"] for s in licenses[3]["shipments"]] == [400]
    # Settled by hand (another number), it is the store both sides made.
    settled = tmp_path / "settled.toml"
    settled.write_text(text.replace('"mofcom-dup-1"', '"MOFCOM-DUP-2"'), "utf-8")
    shown = licenses_in_process("--store", str(settled), "list", "--format", "json")
    assert shown.returncode == 0, shown.stderr


def test_shipments_from_both_sides_are_kept(tmp_path: Path) -> None:
    ship = "\n[[license.shipments]]\non = {day}\nquantity = {amount}\n"
    ours = BASE + ship.format(day="2026-02-01", amount=300)
    theirs = BASE + ship.format(day="2026-02-03", amount=400)
    code, text, _ = driver(tmp_path, BASE, ours, theirs)
    assert code == 0
    shipments = read(text)["license"][0]["shipments"]
    assert [s["quantity"] for s in shipments] == [300, 400]


def test_an_over_draw_from_both_sides_is_a_conflict(tmp_path: Path) -> None:
    ship = "\n[[license.shipments]]\non = {day}\nquantity = {amount}\n"
    ours = BASE + ship.format(day="2026-02-01", amount=600)
    theirs = BASE + ship.format(day="2026-02-03", amount=700)
    code, text, _ = driver(tmp_path, BASE, ours, theirs)
    assert code == 1
    assert "more than its quantity 1000 kg" in text
    shipments = read(text)["license"][0]["shipments"]
    assert [s["quantity"] for s in shipments] == [600]


# --- two clones ----------------------------------------------------------------


@pytest.fixture
def clones(tmp_path: Path) -> tuple[Path, Path]:
    """Ann's store with one license (1,000 kg), pushed to a bare remote, and
    Ben's clone of it, set up: the stores of both."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    one = tmp_path / "one" / "licenses.toml"
    lic(one, "init", "--git")
    git(one.parent, "remote", "add", "origin", str(remote))
    lic(one, "add", "-m", "dysprosium oxide", "-d", "US", "-i", "2026-11-02",
        "--quantity", "1000", "--unit", "kg")  # fmt: skip
    lic(one, "sync")
    git(tmp_path, "clone", "--quiet", str(remote), "two")
    two = tmp_path / "two" / "licenses.toml"
    lic(two, "git-setup", who=BEN)
    return one, two


def test_two_clones_working_at_once_end_identical(clones: tuple[Path, Path]) -> None:
    one, two = clones
    lic(one, "add", "-m", "terbium metal", "-d", "DE", "-i", "2026-11-03")
    lic(one, "ship", "1", "200")
    lic(two, "add", "-m", "gallium metal", "-d", "JP", "-i", "2026-11-04", who=BEN)
    lic(two, "ship", "1", "300", who=BEN)
    lic(two, "close", "1", "--reason", "finished", who=BEN)

    lic(one, "sync")
    lic(two, "sync", who=BEN)
    lic(one, "sync")

    assert one.read_bytes() == two.read_bytes()
    shown = {
        x["material"]: x for x in json.loads(lic(one, "list", "--all", "-f", "json"))
    }
    assert set(shown) == {"dysprosium oxide", "terbium metal", "gallium metal"}
    assert shown["dysprosium oxide"]["status"] == "closed"
    assert shown["dysprosium oxide"]["shipped"] == 500
    assert sorted(x["id"] for x in shown.values()) == [1, 2, 3]


def test_sync_without_a_reachable_remote_is_75_and_keeps_everything(repo: Path) -> None:
    git(repo.parent, "remote", "add", "origin", str(repo.parent / "nowhere.git"))
    lic(repo, "add", "-m", "dysprosium oxide", "-d", "US", "-i", "2026-11-02")
    before = repo.read_bytes()
    done = licenses_in_process("--store", str(repo), "sync", env=ANN)
    assert done.returncode == 75, done.stderr
    assert repo.read_bytes() == before


def test_sync_with_a_real_conflict_is_65_with_the_list(
    clones: tuple[Path, Path],
) -> None:
    one, two = clones
    lic(one, "edit", "1", "--end-user", "Lone Star Magnetics")
    lic(two, "edit", "1", "--end-user", "Gulf Coast Motors", who=BEN)
    lic(one, "sync")
    before = two.read_bytes()
    done = licenses_in_process("--store", str(two), "sync", env=BEN)
    assert done.returncode == 65, done.stderr
    assert (
        'license 1 end_user: ours "Gulf Coast Motors", theirs "Lone Star' in done.stderr
    )
    assert two.read_bytes() == before  # nothing merged, nothing lost
    assert git(two.parent, "status", "--porcelain") == ""


def test_git_missing_is_a_clear_error_only_for_git_features(tmp_path: Path) -> None:
    store = tmp_path / "licenses.toml"
    no_git = {**ANN, "PATH": str(tmp_path / "empty-bin")}
    done = licenses_in_process("--store", str(store), "init", "--git", env=no_git)
    assert done.returncode == 69
    assert done.stderr.startswith("licenses: git is not installed")
    assert len(done.stderr.strip().splitlines()) == 1
    added = licenses_in_process(
        "--store",
        str(store),
        "add",
        "-m",
        "gallium",
        "-d",
        "US",
        "-i",
        "2026-11-02",
        env=no_git,
    )
    assert added.returncode == 0, added.stderr


def test_ack_is_a_commit_and_notify_state_stays_out_of_git(repo: Path) -> None:
    # copper: no control changes state within 30 days of 2026-11-23 (dysprosium
    # oxide would have No. 61's end of suspension, on 2026-11-11, to send)
    lic(repo, "add", "-m", "copper cathode", "-d", "US", "-i", "2026-06-01")
    lic(repo, "ack", "1", "--until", "2026-12-01", "--note", "filing Monday")
    assert subjects(repo.parent)[0] == "ack 1: seen until 2026-12-01"
    assert 'ack_note = "filing Monday"' in git(
        repo.parent, "show", "HEAD:licenses.toml"
    )
    # notify's state is this clone's own: never committed, never untracked
    done = licenses_in_process(
        "--store",
        str(repo),
        "notify",
        env={**ANN, "LICENSES_NOTIFY": "json://127.0.0.1:1/"},
    )
    assert done.returncode == 0, done.stderr  # all seen: nothing to send

    assert (repo.parent / ".licenses.toml.notified.json").is_file()
    assert git(repo.parent, "status", "--porcelain") == ""
    exclude = repo.parent / ".git" / "info" / "exclude"
    assert exclude.read_text().splitlines().count("/.licenses.toml.notified.json") == 1
    assert exclude.read_text().splitlines().count("/.licenses.toml.notified.lock") == 1
    licenses_in_process(
        "--store",
        str(repo),
        "notify",
        env={**ANN, "LICENSES_NOTIFY": "json://127.0.0.1:1/"},
    )
    assert exclude.read_text().splitlines().count("/.licenses.toml.notified.json") == 1
    assert exclude.read_text().splitlines().count("/.licenses.toml.notified.lock") == 1
