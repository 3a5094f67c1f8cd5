"""A notification URL may hold a password or a token: no message shows it,
whatever is wrong with the setting (warn's stderr reaches cron mail and logs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

CREDENTIALED = "json://u:SECRETPW@127.0.0.1:18099/x"


@pytest.mark.parametrize(
    ("written", "said"),
    [
        (f'"{CREDENTIALED}"', "got text (not shown: a URL may hold a password)"),
        (f'["{CREDENTIALED}", 5]', "item 2 is a number: expected a notification URL"),
        (f'["{CREDENTIALED}", " "]', "item 2 is empty text"),
        (
            f'["{CREDENTIALED}", "{CREDENTIALED * 60}"]',
            "item 2 is text of 2100 characters, over 2000",
        ),
    ],
)
def test_a_bad_notify_setting_never_shows_the_urls(
    run: Run, store: Path, written: str, said: str
) -> None:
    store.write_text(
        f"version = 1\n\n[settings]\nnotify = {written}\n", encoding="utf-8"
    )
    before = store.read_bytes()
    for args, code in ((("warn",), 3), (("list",), 65)):
        done = run(*args)
        assert done.exit_code == code, done.stderr
        assert "SECRETPW" not in done.stderr + done.stdout
        assert said in done.stderr
        assert "[settings] notify" in done.stderr
        assert len(done.stderr.splitlines()) == 1
    assert store.read_bytes() == before
