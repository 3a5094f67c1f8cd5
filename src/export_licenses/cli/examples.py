"""One or two real examples per command, shown at the end of its --help.

Each runs as written on the README's example store (tests/test_help.py runs
every one of them), so none of them can go stale.
"""

from typing import Final

EXAMPLES: Final[dict[str, tuple[str, ...]]] = {
    "init": (
        "licenses --store team.toml init",
        "licenses --store team.toml init --git",
    ),
    "add": (
        'licenses add -m "terbium metal" -d US -i 2026-11-02 -n MOFCOM-2026-TB-0101',
        'licenses add -m "gallium metal" -d DE -i 2026-11-02 --quantity 500 --unit kg',
    ),
    "agenda": (
        "licenses agenda",
        "licenses agenda --all --format json",
    ),
    "notify": (
        "licenses notify --dry-run",
        "licenses notify --dry-run --heartbeat",
    ),
    "ack": (
        'licenses ack 7 --note "filing on Monday"',
        "licenses ack A3",
    ),
    "edit": (
        'licenses edit 7 --end-user "Kobe Magnet Works"',
        "licenses edit dy-0412 --unset hs_code",
    ),
    "ship": (
        'licenses ship 8 120 --on 2026-03-02 --note "PO 4471"',
        "licenses ship 8 250 --on 2026-03-02 --partial",
    ),
    "change": (
        'licenses change 8 --end-user "Kobe Magnet Works" --on 2026-01-20',
        "licenses change 8 --quantity 900 --on 2026-01-19 --accepted 2026-01-20",
    ),
    "close": ('licenses close 3 --reason "contract fulfilled"',),
    "reopen": ("licenses reopen 16",),
    "remove": ("licenses remove 12 --yes",),
    "apply": (
        "licenses apply 7 --on 2026-11-20",
        'licenses apply -m "samarium oxide" -d JP --end-user "Kobe Magnet Works"',
    ),
    "accept": (
        "licenses accept A5 --on 2026-11-20 --reference SL-2026-0815",
        'licenses accept A3 --unbounded "State Council review"',
    ),
    "hold": ('licenses hold A3 --on 2026-01-12 --reason "expert review"',),
    "resume": ("licenses resume A5 --on 2026-01-14",),
    "grant": ("licenses grant A5 -i 2026-11-20 -n MOFCOM-2026-ND-0421",),
    "renew": ("licenses renew 9 -i 2026-11-20 -n MOFCOM-2026-GD-0150",),
    "refuse": ('licenses refuse A3 --reason "end-user certificate incomplete"',),
    "withdraw": ("licenses withdraw A5",),
    "applications": ("licenses applications", "licenses applications --all -f json"),
    "list": (
        "licenses list --all --material dysprosium",
        "licenses list --sort level --limit 10",
    ),
    "due": ("licenses due --within 30", "licenses due --format csv"),
    "warn": (
        "licenses warn",
        "licenses warn --format nagios --within 60 --critical 14",
    ),
    "show": ("licenses show dy-0412", "licenses show 3 7 A3 --format json"),
    "timeline": ("licenses timeline", "licenses timeline --months 18"),
    "stats": ("licenses stats", "licenses stats --since 2025-07-01 --format json"),
    "coverage": ("licenses coverage", "licenses coverage --format csv"),
    "controls": (
        "licenses controls",
        'licenses controls --material "holmium oxide" --format json',
    ),
    "import": (
        "licenses import q3.csv --dry-run",
        "licenses import q3.xlsx --sheet Licenses",
    ),
    "log": ("licenses log", "licenses log 3 --format json"),
    "undo": ("licenses undo",),
    "sync": ("licenses sync",),
    "git-setup": ("licenses git-setup",),
    "merge-driver": (
        "licenses merge-driver base.toml ours.toml theirs.toml licenses.toml",
    ),
    "export": (
        "licenses export --format xlsx -o licenses.xlsx",
        "licenses export --format ics --remind 14 -o licenses.ics",
    ),
    "report": ("licenses report -o report.html",),
}


def epilog(name: str) -> str:
    """The end of ``name``'s --help: its examples, one per line."""
    # \b: Click prints the paragraph after it as written, never rewrapped.
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in EXAMPLES[name])
