"""A rewrite keeps a person's comments in every block the change does not
touch (storage/kept_text.py), and the file always reads as the data written."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from export_licenses.storage import kept_text, toml_text
from export_licenses.storage import store as store_api
from helpers import EXAMPLE, examples, licenses_in_process

HAND = """# Our team's licenses. Ask Ann before changing the settings.
version = 1

[settings]
term_months = 6
warn_days = 90   # the board asked for three months
critical_days = 30

# --- dysprosium ---
[[license]]
id = 1
material = 'dysprosium oxide'   # single quotes, as I like them
destination = "US"
issued = 2025-11-03
term_months = 6

[[license]]
id = 2
material = "terbium metal"
destination = "DE"
issued = 2025-08-31   # as the letter says
term_months = 6
"""


def test_an_edit_keeps_every_comment_where_it_was(tmp_path: Path) -> None:
    store = tmp_path / "licenses.toml"
    store.write_text(HAND, encoding="utf-8")
    done = licenses_in_process(
        "--store", str(store), "edit", "2", "--note", "call Kobe"
    )
    assert done.returncode == 0, done.stderr
    text = store.read_text(encoding="utf-8")
    assert text.startswith("# Our team's licenses. Ask Ann")
    assert "# --- dysprosium ---\n[[license]]\nid = 1\nmaterial = 'dysprosium oxide'   # single quotes" in text  # fmt: skip
    # license 2 changed: written anew, its comment beside the same key
    assert '[[license]]\nid = 2\nmaterial = "terbium metal"\ndestination = "DE"\nissued = 2025-08-31   # as the letter says\n' in text  # fmt: skip
    assert 'notes = "call Kobe"' in text
    assert "warn_days = 90   # the board asked for three months" in text
    data = store_api.read(store)
    assert [lic.notes for lic in data.licenses] == [None, "call Kobe"]


def test_a_record_keeps_its_own_tables_written_by_hand(tmp_path: Path) -> None:
    # [[license.shipments]] and [license.x] belong to the license above them:
    # its block, comments and all, is kept whole when another one changes.
    shipped = HAND.replace(
        "term_months = 6\n\n[[license]]\nid = 2",
        "term_months = 6\n\n[[license.shipments]]   # lot 7, by sea\non = 2025-12-01\n"
        'quantity = 5\n\n[license.contract]\nref = "PO 4471"  # as signed\n\n'
        "[[license]]\nid = 2",
    )
    store = tmp_path / "licenses.toml"
    store.write_text(shipped, encoding="utf-8")
    done = licenses_in_process("--store", str(store), "edit", "2", "--note", "x")
    assert done.returncode == 0, done.stderr
    text = store.read_text(encoding="utf-8")
    assert "[[license.shipments]]   # lot 7, by sea\non = 2025-12-01\n" in text
    assert 'ref = "PO 4471"  # as signed' in text
    assert store_api.read(store).licenses[0].extra == {"contract": {"ref": "PO 4471"}}


def test_a_store_the_tool_wrote_is_written_as_before() -> None:
    data = store_api.read(EXAMPLE)
    written = toml_text.dumps(data)
    changed = data._replace(licenses=data.licenses[1:])
    assert kept_text.kept(toml_text.dumps(changed), written.encode()) == toml_text.dumps(changed)  # fmt: skip


def test_a_header_inside_a_text_is_no_block(tmp_path: Path) -> None:
    # A multi-line note holding lines that look like a record: cut there, the
    # pieces do not read alone, so nothing of them stands in for anything.
    sneaky = HAND.replace(
        "term_months = 6\n\n[[license]]\nid = 2",
        'term_months = 6\nnotes = """# not a comment\n[[license]]\nid = 2\n"""\n\n'
        "[[license]]\nid = 2",
    )
    store = tmp_path / "licenses.toml"
    store.write_text(sneaky, encoding="utf-8")
    before = store_api.read(store)
    done = licenses_in_process("--store", str(store), "edit", "2", "--note", "x")
    assert done.returncode == 0, done.stderr
    after = store_api.read(store)
    assert after.licenses[0] == before.licenses[0]
    assert after.licenses[0].notes == "# not a comment\n[[license]]\nid = 2"


COMMENTS = st.lists(
    st.tuples(st.integers(0, 10_000), st.sampled_from(["line", "inline"])),
    min_size=1,
    max_size=12,
)


@given(comments=COMMENTS, which=st.integers(0, 10_000), note=st.text(min_size=1))
@settings(max_examples=examples(60))
def test_whatever_is_commented_the_file_reads_as_the_data_written(
    comments: list[tuple[int, str]], which: int, note: str
) -> None:
    """Comments anywhere in the example store, then a change of one license:
    the text written reads (whole, as tomllib reads it) as the deterministic
    text of the changed store, and every commented block it did not touch
    keeps its comment."""
    data = store_api.read(EXAMPLE)
    lines = toml_text.dumps(data).splitlines(keepends=True)
    written_in = []
    for n, (at, kind) in enumerate(comments):
        i = at % len(lines)
        if kind == "line":
            lines.insert(i, f"# hand {n}\n")
        elif lines[i].strip() and not lines[i].lstrip().startswith(("#", "[")):
            lines[i] = lines[i].rstrip("\n") + f"  # hand {n}\n"
        else:
            continue
        written_in.append(n)
    old = "".join(lines)
    if tomllib.loads(old) != tomllib.loads(toml_text.dumps(data)):
        return  # an inline comment in a multi-line value: not a store any more
    target = data.licenses[which % len(data.licenses)]
    note = note.replace("\r", "")
    changed = data._replace(
        licenses=tuple(
            lic._replace(notes=note) if lic.id == target.id else lic
            for lic in data.licenses
        )
    )
    new = toml_text.dumps(changed)
    written = kept_text.kept(new, old.encode())
    assert tomllib.loads(written) == tomllib.loads(new)
    # no comment is lost, in the blocks the change touched or not
    lost = [n for n in written_in if not re.search(rf"# hand {n}(?!\d)", written)]
    assert not lost, written
    # a merge's two sides, the other commented elsewhere: one call, the same
    theirs = "".join(
        f"# theirs {n}\n{line}" if line.startswith("[[") and n % 3 == 0 else line
        for n, line in enumerate(toml_text.dumps(data).splitlines(keepends=True))
    )
    both = kept_text.kept(new, old.encode(), theirs.encode())
    assert tomllib.loads(both) == tomllib.loads(new)


# What a review found (storage/kept_text.py): each result must read as ``new``.
TRICKS = {
    # a merge's two sides in one call: a note closing on a "#" line, and a
    # comment of the other side on the next record
    "merge": (
        '[[license]]\nid = 1\nnotes = "a\\n# b"\n\n[[license]]\nid = 2\n',
        (
            b'[[license]]\nid = 1\nnotes = """a\n# b"""\n',
            b"# theirs\n[[license]]\nid = 2\n",
        ),
    ),
    # the text "datetime.date(2025, 12, 1)" is not the date 2025-12-01
    "types": (
        "[[license]]\nid = 1\nx = 2025-12-01\n",
        (b'[[license]]  # c\nid = 1\nx = "datetime.date(2025, 12, 1)"\n',),
    ),
}


def test_what_the_review_found_reads_as_the_new_text() -> None:
    for name, (new, olds) in TRICKS.items():
        assert tomllib.loads(kept_text.kept(new, *olds)) == tomllib.loads(new), name


def test_a_note_closing_on_a_hash_line_leaves_no_stray_comment() -> None:
    old = b'[[license]]\nid = 1\nnotes = """Conditions:\n# 1 no re-export"""\n\n# ours\n[[license]]\nid = 2\n'
    new = '[[license]]\nid = 1\nnotes = "Conditions: none"\n\n[[license]]\nid = 2\n'
    written = kept_text.kept(new, old)
    assert "no re-export" not in written
    assert "# ours\n[[license]]\nid = 2" in written


def test_a_block_stands_in_only_under_its_own_header() -> None:
    # A [foo] block hidden in strings that reads alone (the quotes' parity), the
    # review's: standing in for [foo.bar] by its data, it wrote [foo] twice.
    hidden = (Path(__file__).parent / "data" / "hidden-block.toml").read_bytes()
    new = tomli_w.dumps(tomllib.loads(hidden.decode()))
    assert tomllib.loads(kept_text.kept(new, hidden)) == tomllib.loads(new)
