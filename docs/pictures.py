"""Draw the manual's pictures from the example store: `python docs/pictures.py`.

- docs/timeline.svg: `licenses timeline` run on a pseudo-terminal of 80 columns,
  its ANSI output drawn as a terminal picture by Rich's SVG export;
- docs/report.png: `licenses report` photographed by headless Chromium at a
  desktop width (Debian: `apt-get install chromium`, or set CHROMIUM to a Chrome).

Both run the real command on examples/licenses.toml on 2026-01-15, the day every
example in the manual is seen on. `python docs/pictures.py timeline` (or `report`)
draws one of them.
"""

from __future__ import annotations

import io
import os
import pty
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.text import Text

HERE = Path(__file__).resolve().parent
LICENSES = [
    sys.executable, "-m", "export_licenses",
    "--store", str(HERE.parent / "examples" / "licenses.toml"),
    "--today", "2026-01-15",
]  # fmt: skip
COLUMNS = 80
WIDTH, HEIGHT = 1000, 4780  # CSS pixels; the example store's report fits in this


def timeline_svg() -> str:
    """The timeline picture as an SVG text (tests/test_docs.py compares it with
    docs/timeline.svg: the picture had gone stale once, showing a level the tool
    no longer printed)."""
    # The same picture whoever draws it: their terminal's height, pager and
    # encoding are not the picture's.
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": str(COLUMNS),
        "LINES": "200",
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("NO_COLOR", None)
    env.pop("FORCE_COLOR", None)
    ansi = on_a_terminal([*LICENSES, "timeline", "--no-pager"], env)
    console = Console(
        file=io.StringIO(),  # record only; print nothing here
        record=True,
        width=COLUMNS,
        force_terminal=True,
        color_system="truecolor",
    )
    console.print(Text.from_ansi(ansi), end="")
    return console.export_svg(title="licenses timeline")


def timeline() -> None:
    (HERE / "timeline.svg").write_text(timeline_svg(), encoding="utf-8")


def on_a_terminal(command: list[str], env: dict[str, str]) -> str:
    """What ``command`` prints with its stdout on a pseudo-terminal, as a
    person at a terminal sees it (FORCE_COLOR colours a pipe's plain layout)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        command, stdout=follower, stderr=subprocess.DEVNULL, env=env
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the command ended and closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    if proc.wait() != 0:
        sys.exit(f"{' '.join(command)} failed")
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def chromium() -> str:
    found = os.environ.get("CHROMIUM") or next(
        filter(
            None, map(shutil.which, ["chromium", "chromium-browser", "google-chrome"])
        ),
        None,
    )
    if found is None:
        sys.exit("no Chromium: apt-get install chromium, or set CHROMIUM")
    return found


def report() -> None:
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        subprocess.run([*LICENSES, "report", "--output", str(page)], check=True)
        subprocess.run(
            [
                chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", f"--user-data-dir={folder}/profile",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--screenshot={HERE / 'report.png'}", page.as_uri(),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip


PICTURES = {"timeline": timeline, "report": report}


def main() -> None:
    wanted = sys.argv[1:] or list(PICTURES)
    unknown = set(wanted) - set(PICTURES)
    if unknown:
        sys.exit(f"usage: python docs/pictures.py [{' | '.join(PICTURES)}]")
    for name in wanted:
        PICTURES[name]()


if __name__ == "__main__":
    main()
