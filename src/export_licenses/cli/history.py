"""The store's history and sharing, on git: log, undo, sync, git-setup, and
merge-driver (which git runs, not a person).

The CLI side of ``service/history.py`` (with ``service/syncing.py`` and
``service/merging.py``): here the options are parsed and what was done is said;
the service reads, undoes and shares the history.
"""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from export_licenses.render.console import error_line
from export_licenses.render.formats import objects_as
from export_licenses.service import history, syncing
from export_licenses.service.merge_history import merge_driver as merge_stores

from .completion import any_keys
from .options import TableOrJson
from .session import Session, did

if TYPE_CHECKING:
    from export_licenses.storage.githistory import Commit


def log(
    ctx: typer.Context,
    key: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help="Only the history of this license (id or number) or application.",
            autocompletion=any_keys,
        ),
    ] = None,
    fmt: Annotated[
        TableOrJson, typer.Option("--format", "-f", help="table, or JSON for scripts.")
    ] = TableOrJson.TABLE,
) -> None:
    """The store's history from git, newest first: date, author, what happened."""
    session = Session.of(ctx)
    commits = history.log(session.store, key)
    if fmt is TableOrJson.TABLE and not commits:
        error_line("no history yet")
        return
    with session.paged():
        if fmt is TableOrJson.JSON:
            _print_json(commits)
            return
        width = max(len(c.author) for c in commits)
        sys.stdout.writelines(
            f"{c.commit[:10]}  {c.date}  {c.author:<{width}}  {c.message}\n"
            for c in commits
        )


def _print_json(commits: "list[Commit]") -> None:
    objects = [
        {
            "commit": c.commit,
            "date": c.date,
            "author": c.author,
            "message": c.message,
            "ids": [int(i) if i.isdigit() else i for i in c.ids],
        }
        for c in commits
    ]
    keys = ("commit", "date", "author", "message", "ids")
    sys.stdout.write(objects_as(objects, "json", keys))


def undo(ctx: typer.Context) -> None:
    """Revert the newest change to the store, when licenses made it.

    The undo is itself a commit ("undo: …"), so it can be undone in turn.
    """
    done = history.undo(Session.of(ctx).store)
    did(ctx, f"{done.undone.commit[:10]} ({done.undone.message}) was undone")
    typer.echo(f"undone: {done.undone.message} ({done.undone.commit[:10]})")


def sync(ctx: typer.Context) -> None:
    """Pull the team's changes (merged record by record) and push ours, with
    the current branch's upstream.

    Exit 75 when the remote cannot be reached or does not answer within
    LICENSES_GIT_TIMEOUT seconds (default 60; nothing is lost locally), 65
    with the list when the same thing was changed differently on both sides,
    64 when the branch follows no remote branch and the remote has some.
    """
    done = syncing.sync(Session.of(ctx).store)
    for line in done.renumbered:
        error_line(line)
    error_line(f"synced with {done.upstream}: {_what_sync_did(done)}")


def _what_sync_did(done: syncing.Synced) -> str:
    """In the words of what happened: a merge always makes a commit the push
    gives, so theirs taken with nothing pushed was a fast-forward."""
    if not done.merged:
        return "nothing to merge, pushed" if done.given else "nothing to merge or push"
    if not done.given:
        return f"{done.merged} change(s) taken (fast-forward), nothing to push"
    return f"{done.merged} change(s) merged, pushed"


def git_setup(ctx: typer.Context) -> None:
    """Install the store's merge driver in this clone (.gitattributes and
    .git/config); run once in each clone."""
    for line in history.git_setup(Session.of(ctx).store):
        error_line(f"set up: {line}")


def merge_driver(
    base: Annotated[Path, typer.Argument(help="%O: the common ancestor.")],
    ours: Annotated[Path, typer.Argument(help="%A: ours; the result goes here.")],
    theirs: Annotated[Path, typer.Argument(help="%B: theirs.")],
    name: Annotated[str, typer.Argument(help="%P: the store's path.")] = "the store",
) -> None:
    """Merge two versions of a store, as git's merge driver.

    git-setup installs it. Exit 0 when merged, 1 with the conflicts listed.
    """
    result = merge_stores(base, ours, theirs, name)
    for line in result.renumbered:
        error_line(f"licenses merge: {line}")
    for line in result.conflicts:
        error_line(f"licenses merge: conflict: {line}")
    if result.conflicts:
        raise typer.Exit(1)
