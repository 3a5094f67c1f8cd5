"""A person at a terminal: one line per license at any width, columns dropped in
the documented order with a footer saying so, colours, and the pager."""

from __future__ import annotations

import re
import tomllib
from typing import TYPE_CHECKING

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from export_licenses.render import cells
from export_licenses.render.cells import (
    ELLIPSIS,
    Layout,
    fit,
    shorten,
    shorten_start,
    width_of,
)
from helpers import EXAMPLE, in_terminal, licenses_process

if TYPE_CHECKING:
    from pathlib import Path

TODAY = "2026-11-23"
ESCAPES = re.compile(r"\x1b\[[0-9;]*m")
NUMBER = re.compile(r"MOFCOM-\d{4}-[A-Z]{1,3}-\d{4}")  # MOFCOM's; BIS's: D1093457
WIDTHS = (60, 80, 100, 160)
LEVELS = {"ok", "warning", "critical", "expired", "-"}
EXAMPLE_NUMBERS = {
    lic["number"]
    for lic in tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))["license"]
    if "number" in lic
}


def screen(*args: str, columns: int, **env: str) -> list[str]:
    """What the terminal shows, escape codes removed, line by line."""
    text = in_terminal(
        "--store", str(EXAMPLE), *args, "--today", TODAY, columns=columns, env=env
    )
    return ESCAPES.sub("", text).splitlines()


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize(
    "command", [("list",), ("list", "--all"), ("due",), ("applications", "--all")]
)
def test_every_row_is_one_whole_line_at_any_width(
    command: tuple[str, ...], columns: int
) -> None:
    lines = screen(*command, "--no-pager", columns=columns)
    header, rule, *rows = lines
    assert set(rule) == {"─"}
    body = [line for line in rows if re.match(r"\s*A?\d+\s", line)]
    assert body, lines
    for line in [header, rule, *body]:
        assert width_of(line) <= columns, line
    for line in body:
        # Ids, dates, days left and levels are whole, never cut; a license
        # number is whole, or its distinguishing end after an ellipsis.
        if not line.lstrip().startswith("A"):
            number = line.split()[1]
            assert number in EXAMPLE_NUMBERS or (
                number.startswith("…")
                and len(number) >= 8
                and sum(n.endswith(number[1:]) for n in EXAMPLE_NUMBERS) == 1
            ), line
        for day in re.findall(r"\d{4}-\d{2}\S*", line):
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}~?", day), line  # ~: an estimate
        assert LEVELS & set(line.split()), line


def test_the_expiry_and_renew_by_stay_the_number_is_shortened_first() -> None:
    wide = screen("list", "--all", "--no-pager", columns=160)
    assert "Issued" in wide[0]
    assert "Status" in wide[0]
    assert not any("hidden" in line for line in wide)
    words = {word for line in wide for word in line.split()}
    assert words >= EXAMPLE_NUMBERS  # every number whole

    at_80 = screen("list", "--all", "--no-pager", columns=80)
    assert at_80[-1] == "Issued and Status hidden; widen the terminal or use --format"
    assert at_80[0].split() == [
        "ID",
        "Number",
        "Material",
        "Dest",
        "Expires",
        "Renew",
        "by",
        "Left",
        "Level",
    ]
    # the number first, keeping its distinguishing end; then the material
    assert "…DY-0412" in "\n".join(at_80)
    assert not NUMBER.search("\n".join(at_80))
    # two materials that would be cut to the same text keep their ends
    assert any(re.search(r"NdFeB.*….*terbium", line) for line in at_80)
    assert any(re.search(r"NdFeB.*….*dysprosium", line) for line in at_80)

    at_60 = screen("list", "--all", "--no-pager", columns=60)
    assert at_60[0].split() == [
        "ID",
        "Number",
        "Expires",
        "Renew",
        "by",
        "Left",
        "Level",
    ]
    assert at_60[-1] == "hidden: Issued, Status, Dest, Material (--format)"  # one line


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_a_footer_never_wraps(columns: int) -> None:
    lines = screen("list", "--all", "--no-pager", columns=columns)
    assert all(width_of(line) <= columns for line in lines)
    footers = [line for line in lines if "hidden" in line]
    assert len(footers) <= 1
    if columns < 120:
        assert lines[-1] == footers[0]


def test_levels_are_coloured_on_a_terminal_and_not_with_no_color() -> None:
    coloured = in_terminal(
        "--store", str(EXAMPLE), "list", "--today", TODAY, "--no-pager", columns=120
    )
    assert "\x1b[1;37;41mexpired\x1b[0m" in coloured  # Rich's "bold white on red"
    assert "\x1b[1mID" in coloured  # a bold header
    plain = in_terminal(
        "--store",
        str(EXAMPLE),
        "list",
        "--today",
        TODAY,
        "--no-pager",
        columns=120,
        env={"NO_COLOR": "1"},
    )
    assert "\x1b[" not in plain
    assert "expired" in plain


@pytest.mark.parametrize("columns", [60, 100])
def test_wide_characters_keep_the_columns_aligned(tmp_path: Path, columns: int) -> None:
    store = tmp_path / "licenses.toml"
    for material in ("稀土永磁材料 NdFeB magnets", "dysprosium oxide"):
        licenses_process(
            "--store",
            str(store),
            "add",
            "-m",
            material,
            "-d",
            "JP",
            "-i",
            "2026-10-01",
            "--expires",
            "2027-03-31",
        )
    text = in_terminal(
        "--store", str(store), "list", "--no-pager", "--today", TODAY, columns=columns
    )
    header, _, *rest = ESCAPES.sub("", text).splitlines()
    rows = [line for line in rest if re.match(r"\s*\d+\s", line)]
    assert len(rows) == 2, text
    # Display columns, wide characters counting two: each line is within the
    # screen, and the level starts at the same place on every line.
    starts = {
        width_of(line[: line.index(word)])
        for line, word in [(header, "Level"), *((row, "ok") for row in rows)]
    }
    assert len(starts) == 1, text
    assert all(width_of(line) <= columns for line in [header, *rows])
    # cut only when the screen is too narrow for it
    assert ("稀土永磁材料 NdFeB magnets" in text) == (columns >= 100), text


@pytest.mark.parametrize("columns", [60, 80])
def test_show_wraps_long_values_under_themselves(columns: int) -> None:
    lines = screen("show", "10", "--no-pager", columns=columns)
    assert all(width_of(line) <= columns for line in lines), lines
    assert lines[0].split() == ["ID", "10"]
    why = next(at for at, line in enumerate(lines) if line.startswith("Why"))
    assert lines[why + 1].startswith(" " * len("Superseded by"))


@pytest.mark.parametrize("columns", [80, 160])
def test_timeline_labels_use_the_width_given(columns: int) -> None:
    lines = screen("timeline", "--no-pager", columns=columns)
    bars = [line for line in lines if re.match(r"\s+\d+ \S", line)]
    assert bars
    assert all(width_of(line) <= columns for line in lines)
    label = "NdFeB magnets containing terbium"
    if columns == 160:
        assert any(label in line for line in bars)
    else:
        assert not any(label in line for line in bars)


PAGER = "sed s/^/PAGED:/"


def test_long_output_goes_through_the_pager() -> None:
    lines = screen("list", "--all", columns=120, LINES="10", LICENSES_PAGER=PAGER)
    assert lines
    assert all(line.startswith("PAGED:") for line in lines), lines


def test_licenses_pager_wins_over_pager() -> None:
    lines = screen(
        "list", "--all", columns=120, LINES="10", PAGER="false", LICENSES_PAGER=PAGER
    )
    assert all(line.startswith("PAGED:") for line in lines), lines


def test_output_that_fits_the_screen_is_not_paged() -> None:
    lines = screen("list", "--all", columns=120, LINES="200", LICENSES_PAGER=PAGER)
    assert lines[0].startswith("ID")


@pytest.mark.parametrize(
    ("flag", "env"),
    [("--no-pager", {}), ("", {"LICENSES_PAGER": ""}), ("", {"LICENSES_PAGER": "cat"})],
)
def test_no_pager_when_asked(flag: str, env: dict[str, str]) -> None:
    args = ("list", "--all", *([flag] if flag else []))
    lines = screen(*args, columns=120, LINES="10", PAGER=PAGER, **env)
    assert lines[0].startswith("ID")
    assert not any("PAGED:" in line for line in lines)


def test_a_missing_pager_prints_the_output_itself() -> None:
    lines = screen(
        "list", "--all", columns=120, LINES="10", LICENSES_PAGER="no-such-pager-x"
    )
    assert lines[0].startswith("ID")
    rows = [line for line in lines if re.match(r"\s*\d+\s+(…|MOFCOM|D\d)", line)]
    assert len(rows) == len(EXAMPLE_NUMBERS)


def test_never_paged_in_a_pipe() -> None:
    done = licenses_process(
        "--store",
        str(EXAMPLE),
        "list",
        "--all",
        "--today",
        TODAY,
        env={"LICENSES_PAGER": PAGER, "LINES": "5"},
    )
    assert done.returncode == 0
    assert "PAGED:" not in done.stdout
    assert done.stdout.startswith("ID")


# The layout itself, on known widths.
HEADERS = ("ID", "Number", "Material", "Dest", "Issued", "Level")
NATURAL = (2, 19, 32, 4, 10, 8)
DROP = ("Issued", "Dest", "Material")


def test_fit_keeps_everything_when_it_fits() -> None:
    total = sum(NATURAL) + 2 * 5
    assert fit(
        HEADERS, NATURAL, total, shrink=frozenset({"Material"}), drop=DROP
    ) == Layout((0, 1, 2, 3, 4, 5), NATURAL, ())


def test_fit_shortens_the_free_text_before_dropping_a_column() -> None:
    total = sum(NATURAL) + 2 * 5
    layout = fit(
        HEADERS, NATURAL, total - 12, shrink=frozenset({"Material"}), drop=DROP
    )
    assert layout.hidden == ()
    assert layout.widths[2] == 20


def test_fit_drops_columns_in_order_and_gives_the_room_back() -> None:
    total = sum(NATURAL) + 2 * 5
    layout = fit(
        HEADERS, NATURAL, total - 30, shrink=frozenset({"Material"}), drop=DROP
    )
    assert layout.hidden == ("Issued",)
    assert layout.widths[layout.shown.index(2)] == 32 - 30 + 12
    narrow = fit(HEADERS, NATURAL, 30, shrink=frozenset({"Material"}), drop=DROP)
    assert narrow.hidden == DROP
    assert narrow.shown == (0, 1, 5)


def test_shorten_counts_wide_characters_as_two_columns() -> None:
    assert shorten("dysprosium oxide", 10) == "dysprosiu…"
    assert shorten("稀土永磁材料公司", 7) == "稀土永…"
    assert width_of(shorten("稀土永磁材料公司", 7)) == 7
    assert shorten("short", 10) == "short"


def _fitting(text: str, columns: int) -> str:
    """The characters of ``text``, from its start, that fit ``columns``: the
    character-by-character rule the cuts are held to."""
    kept, used = [], 0
    for ch in text:
        used += width_of(ch)
        if used > columns:
            break
        kept.append(ch)
    return "".join(kept)


@given(
    st.text(alphabet=st.sampled_from("aZ9 -_/.稀土永磁é\u0301"), max_size=30),
    st.integers(min_value=-1, max_value=32),
)
@example("abc", 5)  # wider than the text: all of it, on either side
@example("MOFCOM-2025-DY-0412", 8)
def test_shortening_is_the_same_whatever_the_alphabet(text: str, width: int) -> None:
    # ASCII text is cut by slicing (a column per character); any other text
    # character by character: both cut as the character-by-character rule.
    fits = width_of(text) <= width
    expected = text if fits else _fitting(text, width - 1).rstrip() + ELLIPSIS
    assert shorten(text, width) == expected
    tail = _fitting(text[::-1], width)[::-1]
    assert cells._tail(text, width) == tail  # noqa: SLF001
    start = text if fits else ELLIPSIS[: max(width, 0)]
    if not fits and width > 1:
        start = ELLIPSIS + _fitting(text[::-1], width - 1)[::-1].lstrip()
    assert shorten_start(text, width) == start


def test_confirmations_wrap_under_themselves_on_a_terminal_only(tmp_path: Path) -> None:
    # add's confirmation is ~150 columns: the terminal would cut it mid-word.
    # In a pipe it stays one line, for a script; at 80 columns it is wrapped
    # between words, each line after the first indented under the first.
    add = ("add", "-m", "NdFeB magnets containing dysprosium", "-d", "DE",
           "-i", "2026-07-01", "-n", "MOFCOM-2026-ND-0001", "--kind", "individual")  # fmt: skip
    piped = licenses_process(
        "--store", str(tmp_path / "a.toml"), *add, "--today", TODAY
    )
    (said,) = piped.stderr.splitlines()
    assert len(said) > 120
    shown = in_terminal(
        "--store", str(tmp_path / "b.toml"), *add, "--today", TODAY, columns=80
    ).splitlines()
    assert shown[0] == "1"  # the id, on stdout
    assert all(len(line) <= 80 for line in shown)
    assert all(line.startswith("    ") for line in shown[2:])
    assert " ".join(line.strip() for line in shown[1:]) == said


def test_a_dry_run_wraps_each_alert_under_itself_on_a_terminal() -> None:
    target = {"LICENSES_NOTIFY": "json://alerts.example.com/licenses"}
    args = ("--store", str(EXAMPLE), "notify", "--dry-run", "--today", TODAY)
    piped = licenses_process(*args, env=target).stdout.splitlines()
    assert max(map(len, piped)) > 100  # one line per alert, for a script
    shown = in_terminal(*args, columns=80, env=target).splitlines()
    assert max(map(len, shown)) <= 80
    assert len(shown) > len(piped)
    # every word of every alert is there, in order, none cut
    assert " ".join(shown).split() == " ".join(piped).split()
