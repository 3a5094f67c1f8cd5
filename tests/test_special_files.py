"""Paths that are not regular files: a write never replaces a device, FIFO or
socket with a file of its own (as root, ``export --output /dev/null`` once
turned the machine's /dev/null into a regular file). A FIFO stands in for a
device here: a test must never risk the real /dev/null."""

from __future__ import annotations

import os
import stat
import threading
from typing import TYPE_CHECKING

import pytest

from export_licenses.storage import fsio
from helpers import EXAMPLE, licenses_process

if TYPE_CHECKING:
    from pathlib import Path


def _fifo(tmp_path: Path, name: str = "pipe") -> Path:
    path = tmp_path / name
    os.mkfifo(path, 0o600)
    return path


def _drain(path: Path, into: list[bytes]) -> threading.Thread:
    def read() -> None:
        with path.open("rb") as handle:
            into.append(handle.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_an_atomic_write_never_replaces_a_fifo(tmp_path: Path) -> None:
    pipe = _fifo(tmp_path)
    with pytest.raises(OSError, match="named pipe"):
        fsio.write_atomic(pipe, "data")
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]  # no stray temporary


def test_export_to_a_fifo_writes_into_it_and_leaves_it_a_fifo(
    tmp_path: Path,
) -> None:
    pipe = _fifo(tmp_path)
    got: list[bytes] = []
    reader = _drain(pipe, got)
    done = licenses_process(
        "--store", str(EXAMPLE), "export", "--format", "csv", "--output", str(pipe)
    )
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert got
    assert got[0].startswith(b"id,")


def test_the_merge_driver_never_replaces_a_fifo(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    base, theirs = tmp_path / "base.toml", tmp_path / "theirs.toml"
    base.write_text(text, encoding="utf-8")
    theirs.write_text(text, encoding="utf-8")
    pipe = _fifo(tmp_path, "ours")
    done = licenses_process(
        "merge-driver", str(base), str(pipe), str(theirs), "licenses.toml"
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
