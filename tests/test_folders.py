"""The data and cache folders are platformdirs', whoever works them out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
import pytest
from platformdirs.unix import Unix

from export_licenses.storage import cache, folders

if TYPE_CHECKING:
    from collections.abc import Callable

XDG_VALUES = ("{tmp}/xdg", "{tmp}/xdg/", "relative/ignored", "~/xdg", "", None)
# A HOME that is not an absolute path: platformdirs finds the home folder in the
# password database (cron, systemd units and containers may run so).
HOMES = ("{tmp}/home", "{tmp}/home/", "", "relative/home", "~", None)


@pytest.mark.skipif(
    sys.platform in {"win32", "darwin"}, reason="the XDG rules are Unix's"
)
@pytest.mark.parametrize("home", HOMES)
@pytest.mark.parametrize("value", XDG_VALUES)
@pytest.mark.parametrize(
    ("variable", "ours", "theirs"),
    [
        ("XDG_DATA_HOME", folders.data_folder, "user_data_dir"),
        ("XDG_CACHE_HOME", folders.cache_folder, "user_cache_dir"),
    ],
)
def test_the_xdg_folders_are_platformdirs(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    ours: Callable[[], Path],
    theirs: str,
    value: str | None,
    home: str | None,
) -> None:
    for name, given in ((variable, value), ("HOME", home)):
        if given is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, given.format(tmp=tmp_path))
    expected = Path(getattr(Unix(appname="licenses"), theirs))
    assert ours() == expected
    assert ours() == Path(getattr(platformdirs, theirs)("licenses"))


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_macos_and_windows_ask_platformdirs(
    monkeypatch: pytest.MonkeyPatch, platform: str
) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda app: f"/data/{app}")
    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda app: f"/cache/{app}")
    assert folders.data_folder() == Path("/data/licenses")
    assert folders.cache_folder() == Path("/cache/licenses")


def test_the_cache_is_in_the_cache_folder_unless_told_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LICENSES_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == tmp_path / "xdg" / "licenses"
    monkeypatch.setenv("LICENSES_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.folder() == tmp_path / "mine"
