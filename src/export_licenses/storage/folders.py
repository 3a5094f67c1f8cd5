"""The user's folders this program keeps files in when told nowhere else: the
data folder (the default store) and the cache folder. They are platformdirs'.

On Linux and the other Unix systems platformdirs follows the XDG Base Directory
specification, which gives each folder in a line: that line is here, because
importing platformdirs costs ~15 M instructions (about 3.5 ms, 4 % of `list` at
1,000 licenses on a terminal and 5 % of `warn` at 100; benchmarks/run) for two
paths. Anything else asks platformdirs itself: macOS and Windows, whose rules
have more to them, and a HOME that is unset or not an absolute path (platformdirs
then finds the home folder in the password database). tests/test_folders.py
checks the two agree.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "licenses"


def data_folder() -> Path:
    """Where the default store lives: ``~/.local/share/licenses`` on Linux."""
    if _xdg_platform():
        return _xdg("XDG_DATA_HOME", ".local/share") / APP
    import platformdirs  # noqa: PLC0415 - not the XDG rules alone (above) (16 M instructions)

    return Path(platformdirs.user_data_dir(APP))


def cache_folder() -> Path:
    """Where the caches live: ``~/.cache/licenses`` on Linux."""
    if _xdg_platform():
        return _xdg("XDG_CACHE_HOME", ".cache") / APP
    import platformdirs  # noqa: PLC0415 - not the XDG rules alone (above) (16 M instructions)

    return Path(platformdirs.user_cache_dir(APP))


def _xdg_platform() -> bool:
    """Where platformdirs would use its XDG rules (its Unix class): not Windows,
    macOS or iOS, nor an Android app (one has ANDROID_DATA and ANDROID_ROOT);
    and where the home folder is HOME, an absolute path."""
    return (
        sys.platform not in {"win32", "darwin", "ios"}
        and not (hasattr(sys, "getandroidapilevel") or "ANDROID_DATA" in os.environ)
        and Path(os.environ.get("HOME", "")).is_absolute()
    )


def _xdg(variable: str, default: str) -> Path:
    # The specification: a relative path in the variable is invalid and ignored,
    # as is an empty one (platformdirs too, since 4.11.8); the default is under
    # the home folder.
    value = Path(os.environ.get(variable, ""))
    return value if value.is_absolute() else Path(os.environ["HOME"]) / default
