"""licenses report: one self-contained HTML page, checked as HTML and, where
Chromium can be had, laid out by a real browser at phone and desktop widths and
printed on A4."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path  # noqa: TC003 - pytest resolves fixture annotations
from typing import TYPE_CHECKING, Any

import pytest

from export_licenses.storage import store as store_api
from helpers import EXAMPLE, licenses_in_process

if TYPE_CHECKING:
    from conftest import Run

TODAY = "2026-01-15"
PDFTOTEXT = shutil.which("pdftotext")
CHROMIUM = os.environ.get("LICENSES_TEST_CHROMIUM") or next(
    (
        found
        for name in ("chromium", "chromium-browser", "google-chrome")
        if (found := shutil.which(name))
    ),
    None,
)
needs_browser = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium on PATH (Debian: apt-get install chromium; .ci/run "
    "installs it when it runs as root)",
)


class Page(HTMLParser):
    """Tags, attributes and text of a page, by section."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, list[str]] = {}
        self._section = ""
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "section":
            self._section = dict(attrs).get("id") or ""

    def handle_data(self, data: str) -> None:
        self.text.setdefault(self._section, []).append(data)

    def section(self, name: str) -> str:
        return re.sub(r"[ \t\n]+", " ", "".join(self.text.get(name, []))).strip()


def report(run: Run, example: Path, *args: str) -> str:
    result = run("--store", str(example), "--today", TODAY, "report", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_page_is_self_contained(run: Run, example: Path) -> None:
    text = report(run, example)
    page = Page(text)
    tags = {tag for tag, _ in page.tags}
    assert "script" not in tags
    assert not {"link", "img", "iframe", "object", "embed"} & tags
    for _, attrs in page.tags:
        assert not {"src", "href"} & attrs.keys()
    assert not re.search(r"@import|@font-face|url\(", text)
    assert "svg" in tags
    assert (
        "meta",
        {"name": "viewport", "content": "width=device-width, initial-scale=1"},
    ) in page.tags


def test_what_the_page_says(run: Run, example: Path) -> None:
    page = Page(report(run, example))
    header = page.section("")
    assert "Export licenses on 2026-01-15" in header
    # The state as warn's Nagios line says it.
    assert "CRITICAL - 2 expired, 10 critical, 1 warning, 2 decisions overdue" in header
    week = page.section("week")
    # The planning date first: on the store's history (issue 22) no filing day
    # gives license 7 a 90 % chance of a decision before its expiry.
    assert (
        "license 7 (MOFCOM-2025-Y-0311), yttrium oxide to US: file now: no filing "
        "day gives a 90 % chance of a decision before expiry; filed today: a 23 % "
        "chance" in week
    )
    assert "application A3, samarium oxide to JP: decision overdue" in week
    assert (
        "license 1 (MOFCOM-2025-DY-0412), dysprosium oxide to US: expired on 2025-12-20"
        in week
    )
    levels = [a["class"] for tag, a in page.tags if tag == "li"]
    rank = {"todo todo-expired": 0, "todo todo-critical": 1, "todo todo-warning": 2}
    assert levels == sorted(levels, key=lambda level: rank[level or ""])
    assert levels[0] == "todo todo-expired"
    assert "MOFCOM-2025-SC-0098" not in week  # 319 days left: nothing to do
    licenses = page.section("licenses")
    for lic in store_api.read(example).licenses:
        if lic.active:
            assert f"{lic.id}\xa0{lic.number}" in licenses
    assert "MOFCOM-2025-ND-0701" not in licenses  # renewed: no longer active
    # a general license's end users, both (license 18)
    assert "Rhein Antriebstechnik GmbH; Weser Windkraft GmbH" in licenses
    timeline = page.section("timeline")
    assert "today (2026-01-15)" in timeline
    svg = [attrs for tag, attrs in page.tags if tag == "svg"]
    assert len(svg) == 17  # the active licenses
    deadlines = [
        a for tag, a in page.tags if tag == "rect" and a.get("class") == "deadline"
    ]
    # license 5's renewal is filed: no last day to file on its bar; license
    # 20's (BIS, four years) is beyond the year the timeline shows
    assert len(deadlines) == 15
    assert "A5" in page.section("applications")
    assert "Rhein Antriebstechnik GmbH" in page.section("coverage")
    # the general license 18 counts for each of its two end users
    assert "Weser Windkraft GmbH" in page.section("coverage")


def test_a_four_year_license_does_not_squeeze_the_timeline(
    run: Run, store: Path
) -> None:
    # A BIS license is usually valid four years (15 CFR 750.7(g)); the
    # timeline looks a year ahead, and the long bar runs on to its right edge.
    run("add", "-m", "terbium", "-d", "DE", "-i", "2025-12-01", "--term", "6")
    bis = ("-m", "furnace", "-d", "CN", "-i", "2026-01-05", "--authority", "BIS")
    run("add", *bis, "--term", "48")
    page = Page(report(run, store))
    bars = [a for tag, a in page.tags if tag == "rect" and "bar" in (a["class"] or "")]
    six, four_years = (float(bar["width"] or 0) for bar in bars)
    assert float(bars[1]["x"] or 0) + four_years == pytest.approx(1000, abs=0.2)
    # Dec 2025 to Jan 2027: six months are over a third of the track
    assert six > 350
    assert "Jan 2027" in page.section("timeline")
    assert "Feb 2027" not in page.section("timeline")


def test_text_from_the_store_is_escaped(run: Run) -> None:
    run(
        "add",
        "-m",
        "<script>alert(1)</script>",
        "-d",
        "US",
        "-i",
        "2026-01-05",
        "--end-user",
        'A & "B"',
    )
    result = run("--today", TODAY, "report")
    assert result.exit_code == 0
    assert "<script>" not in result.stdout
    assert html.escape("<script>alert(1)</script>") in result.stdout
    assert "A &amp; &quot;B&quot;" in result.stdout


def test_an_empty_store_and_a_file(run: Run, tmp_path: Path) -> None:
    run("init")
    target = tmp_path / "report.html"
    result = run("--today", TODAY, "report", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"Wrote the report to {target}" in result.stderr
    page = Page(target.read_text(encoding="utf-8"))
    assert "OK - 0 licenses ok" in page.section("")
    assert "Nothing to file or chase." in page.section("week")
    assert "No active license." in page.section("licenses")


def test_the_service_draws_the_report_and_writes_it_where_asked(
    example: Path, tmp_path: Path
) -> None:
    """report is one service call: the renderer is handed in, and --output is
    written by the service, with what stdout would have had."""
    from datetime import date  # noqa: PLC0415

    from export_licenses.service import summary  # noqa: PLC0415

    day = date(2026, 1, 15)
    drawn: list[date] = []

    def draw(shown: summary.Summary) -> str:
        drawn.append(shown.today)
        return f"<p>{shown.source}</p>\n"

    assert summary.report(example, day, draw) == "<p>example.toml</p>\n"
    target = tmp_path / "report.html"
    assert summary.report(example, day, draw, output=target) is None
    assert target.read_text(encoding="utf-8") == "<p>example.toml</p>\n"
    assert drawn == [day, day]


def test_no_store_is_66(run: Run) -> None:
    result = run("report")
    assert result.exit_code == 66
    assert len(result.stderr.splitlines()) == 1


# --- in a browser ------------------------------------------------------------


def browser(tmp_path: Path, *args: str) -> str:
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",  # CI runs as root, where the sandbox cannot start
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'chromium'}",
            *args,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,  # a hung browser fails the test instead of the whole run
    )
    return done.stdout


LAYOUT_PROBE = (
    'const d = document.getElementById("f").contentDocument, e = d.documentElement;'
    "document.body.dataset.layout = JSON.stringify({scroll: e.scrollWidth, "
    "client: e.clientWidth, rows: [...d.querySelectorAll('#licenses tbody tr')]"
    ".map(r => r.cells[0].textContent), "
    "widest: Math.max(...[...d.querySelectorAll('body *')].map("
    "n => n.getBoundingClientRect().right)), "
    "cards: getComputedStyle(d.querySelector('table.cards thead')).display});"
)
# A date, a license number, an application's id and an amount: each on one line.
WHOLE = r"\\d{4}-\\d\\d-\\d\\d|[A-Z]+-\\d{4}-[A-Z]+-\\d+|\\d+ %|\\d+ days"
BROKEN_PROBE = (
    "const f = document.getElementById('f').contentDocument, found = [];"
    "const walk = f.createTreeWalker(f.body, NodeFilter.SHOW_TEXT);"
    "let node; while ((node = walk.nextNode())) {"
    f"  for (const m of node.data.matchAll(new RegExp('{WHOLE}', 'g'))) {{"
    "    const r = f.createRange(); r.setStart(node, m.index);"
    "    r.setEnd(node, m.index + m[0].length);"
    "    const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));"
    "    if (tops.size > 1) found.push(m[0]); } }"
    "document.body.dataset.broken = JSON.stringify({broken: found, "
    "seen: f.body.textContent.length});"
)


@pytest.fixture(scope="module")
def example_report(
    tmp_path_factory: pytest.TempPathFactory, cache_folder: Path
) -> Path:
    """The example store's report, written once for the browser's tests (they
    only read it)."""
    folder = tmp_path_factory.mktemp("report")
    example = folder / "example.toml"
    example.write_bytes(EXAMPLE.read_bytes())
    page = folder / "report.html"
    # The pinned terminal of conftest.py, which a module's fixture comes before.
    pinned = {"TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "120"}
    done = licenses_in_process(
        *("--store", str(example), "--today", TODAY, "report", "-o", str(page)),
        env={**pinned, "LICENSES_CACHE_DIR": str(cache_folder)},
    )
    assert done.returncode == 0, done.stderr
    return page


@pytest.fixture(scope="module", params=[375, 1024], ids=str)
def laid_out(
    request: pytest.FixtureRequest,
    example_report: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[int, dict[str, Any], dict[str, Any]]:
    """The report in a frame WIDTH CSS pixels wide, as the browser laid it out: a
    probe page (the report itself has no script) measures it after load, for
    both tests of that width in one browser run (~0.7 s of CPU each). The width,
    the layout probe's findings, the broken-lines probe's."""
    width: int = request.param
    folder = tmp_path_factory.mktemp(f"laid-out-{width}")
    text = example_report.read_text(encoding="utf-8")
    probe = folder / "probe.html"
    probe.write_text(
        f'<!DOCTYPE html><html><body style="margin:0"><iframe id="f" '
        f'style="width:{width}px;height:900px;border:0" '
        f'srcdoc="{html.escape(text, quote=True)}"></iframe><script>'
        f'addEventListener("load", () => {{ {{ {LAYOUT_PROBE} }} {{ {BROKEN_PROBE} }} }});'
        "</script></body></html>",
        encoding="utf-8",
    )
    dom = browser(folder, "--virtual-time-budget=10000", "--dump-dom", probe.as_uri())
    found = {}
    for name in ("layout", "broken"):
        seen = re.search(rf'data-{name}="([^"]*)"', dom)
        assert seen, (name, dom[-2000:])
        found[name] = json.loads(html.unescape(seen.group(1)))
    return width, found["layout"], found["broken"]


@needs_browser
def test_the_browser_shows_every_license_without_sideways_scrolling(
    laid_out: tuple[int, dict[str, Any], dict[str, Any]],
) -> None:
    width, probed, _ = laid_out
    assert probed["scroll"] <= probed["client"], probed
    assert probed["widest"] <= probed["client"] + 0.5, probed
    active = [lic for lic in store_api.read(EXAMPLE).licenses if lic.active]
    assert sorted(probed["rows"]) == sorted(
        f"{lic.id}\xa0{lic.number}" for lic in active
    )
    # A phone gets cards, a desktop the table with its header.
    assert probed["cards"] == ("none" if width < 640 else "table-header-group")


@pytest.fixture(scope="module")
def printed(example_report: Path) -> Path:
    """The report as the browser prints it: one PDF for the tests that read it."""
    pdf = example_report.with_suffix(".pdf")
    browser(
        example_report.parent,
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        example_report.as_uri(),
    )
    return pdf


@needs_browser
def test_it_prints_on_a4(printed: Path) -> None:
    boxes = set(
        re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", printed.read_bytes())
    )
    assert boxes
    # A4 is 595 x 842 points.
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}


def cells_of(page_text: str, label: str) -> dict[str, str]:
    """The licenses table's column ``label``, by the license cell's text."""
    found = {}
    for row in re.findall(r"<tr class=[\"']row-[a-z]+[\"']>(.*?)</tr>", page_text):
        cells = re.findall(r'<td data-label="([^"]+)">(.*?)</td>', row)
        texts = {
            name: html.unescape(re.sub(r"<[^>]+>", "", cell)) for name, cell in cells
        }
        if "Why" in texts:
            found[texts["License"].split("\xa0")[0]] = texts[label]
    return found


def test_the_why_column(run: Run, example: Path) -> None:
    why = cells_of(report(run, example), "Why")
    # What makes the filed renewal critical: the history's chance (as warn).
    assert why["5"] == (
        "expires in 44 days; renewal filed; a 30 % chance of a decision before expiry"
    )
    assert why["9"] == "file now, 40 % chance; 92 % drawn"
    assert why["3"] == "expires today; file now"
    # The forecast's words, as warn, agenda and this week: not "file within 7
    # days" of the statutory last day (audit s8-dates).
    assert why["7"] == "expires in 76 days; file now, 23 % chance"
    assert why["8"] == "file now, 30 % chance"
    assert why["11"] == "file now, 77 % chance; chance estimated"
    assert why["1"] == "expired 26 days ago"
    assert why["10"] == "dates estimated"
    assert why["20"] == "-"


def test_a_past_filing_deadline_says_file_now_everywhere(
    run: Run, example: Path
) -> None:
    text = report(run, example)
    plain = html.unescape(re.sub(r"<[^>]+>", "", text))
    for day in re.findall(r"\bby (\d{4}-\d\d-\d\d)", plain):
        assert day >= TODAY, day  # "file the renewal by 2025-11-07" is never said
    # The history's planning day (before the legal last day) has passed.
    assert "file the renewal now (planning day 2025-11-04)" in Page(text).section(
        "coverage"
    )
    renew_by = cells_of(text, "Renew by")
    assert renew_by["4"] == "file now (last day 2025-11-27)"
    assert renew_by["5"] == "filed"
    # The statutory last day is ahead, but the forecast says file now (warn).
    assert renew_by["7"] == "file now (last day 2026-01-22)"
    titles = re.findall(r'<rect class="deadline"[^>]*><title>([^<]*)</title>', text)
    assert "file now: the last day was 2025-11-27" in titles
    assert "file now, 23 % chance; last day to file: 2026-01-22" in titles
    assert "last day to file: 2026-01-22" not in titles


def test_the_day_to_file_is_agendas(run: Run, example: Path) -> None:
    """The Renew by column and the timeline's mark stand on the day agenda
    gives, the statutory last day named after it; an estimate says so."""
    text = report(run, example)
    agenda = json.loads(
        run(
            "agenda", "--all", "-f", "json", "--store", str(example), "--today", TODAY
        ).stdout
    )
    days = {
        str(a["license"]): a["date"] for a in agenda if a["action"] == "file_renewal"
    }
    # The history's planning day, the longest wait (A14's, pending) counted as
    # it will be then (audit s8-dates, 1)
    assert days["10"] == "2026-04-02"
    renew_by = cells_of(text, "Renew by")
    assert renew_by["10"] == "2026-04-02 (estimated; last day 2026-09-21)"
    assert renew_by["17"] == "2026-04-23 (estimated; last day 2026-11-06)"
    assert renew_by["20"] == "2029-04-06"  # no forecast: the statutory day
    for lic, day in days.items():
        assert renew_by[lic].startswith("file now" if day <= TODAY else day), lic
    titles = re.findall(r'<rect class="deadline"[^>]*><title>([^<]*)</title>', text)
    assert "file by 2026-04-02; last day to file: 2026-09-21; estimated" in titles
    assert "file now, 77 % chance; last day to file: 2026-04-09; chance estimated" in (
        titles
    )


def test_every_colour_has_a_legend(run: Run, example: Path) -> None:
    text = report(run, example)
    page = Page(text)
    used = {
        word
        for _, attrs in page.tags
        for word in (attrs.get("class") or "").split()
        if re.fullmatch(r"(level|bar|key|state)-[a-z]+", word)
    }
    legend = [
        word for tag, attrs in page.tags for word in (attrs.get("class") or "").split()
    ]
    colours = page.section("legend")
    for level in ("expired", "critical", "warning", "ok", "inactive"):
        assert level in colours.casefold()
    for word in used:
        kind, level = word.split("-", 1)
        if kind in {"level", "state"}:  # the badges and the banner: the legend's badges
            assert f"level-{level}" in legend
        if kind == "bar":  # the timeline's bars: its own legend, key by key
            assert f"valid, {level}" in page.section("timeline")
    assert "last day to file the renewal" in page.section("timeline")


@needs_browser
def test_no_date_or_number_is_broken_across_lines(
    laid_out: tuple[int, dict[str, Any], dict[str, Any]],
) -> None:
    _, _, probed = laid_out
    assert probed["seen"] > 1000
    assert probed["broken"] == []


@needs_browser
@pytest.mark.skipif(
    PDFTOTEXT is None,
    reason="no pdftotext on PATH (Debian: apt-get install poppler-utils)",
)
def test_the_timeline_prints_on_one_page_with_its_axis(printed: Path) -> None:
    assert PDFTOTEXT is not None
    pages = subprocess.run(
        [PDFTOTEXT, "-layout", str(printed), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout.split("\f")
    (where,) = [at for at, text in enumerate(pages) if "Timeline" in text]
    lanes = pages[where]
    assert "Jul 2025" in lanes  # the axis
    assert "Oct 2026" in lanes
    for lic in store_api.read(EXAMPLE).licenses:
        if lic.active:
            assert f"{lic.id} {lic.number} ·" in lanes, lic.number


def test_the_terminal_timeline_marks_agendas_day(run: Run, example: Path) -> None:
    """`timeline`'s R stands where agenda and warn say to file: today for
    license 7 ("file now, 23 % chance"), not on its statutory 2026-01-22;
    license 10 on its planning day, inside the window; none once declined."""
    args = ("timeline", "--store", str(example), "--today", TODAY)
    lines = run(*args).stdout.splitlines()
    today = lines[1].index("|")  # license 1: expired, nothing to file
    yttrium = next(line for line in lines if line.startswith("  7 "))
    assert yttrium.index("R") == today
    scandium = next(line for line in lines if line.startswith(" 10 "))
    assert "R" in scandium  # 2026-06-22: the statutory 2026-09-21 is off the axis
    text = example.read_text(encoding="utf-8")
    example.write_text(
        text.replace("id = 10\n", "id = 10\nrenewal = false\n", 1), encoding="utf-8"
    )
    lines = run(*args).stdout.splitlines()
    assert "R" not in next(line for line in lines if line.startswith(" 10 "))
