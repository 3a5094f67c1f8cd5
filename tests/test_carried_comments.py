"""A block the change touched is written anew with the person's comments put
back beside the same keys (storage/carried_comments.py): a comment is never
lost by a rewrite, and a "#" inside a text is never taken for one."""

from __future__ import annotations

import tomllib
from typing import TYPE_CHECKING

from export_licenses.storage import kept_text
from export_licenses.storage import store as store_api
from helpers import licenses_in_process

if TYPE_CHECKING:
    from pathlib import Path

OLD = b'''version = 1

[[license]]  # the big one
id = 1
material = 'dysprosium oxide'   # single quotes
notes = """a
# inside the note
b"""   # after the note
items = [ # the first
  "a",
]
issued = 2025-11-03   # as the letter says
gone = 3  # on a key the change removed

[[license.shipments]] # lot 7
on = 2025-12-01
quantity = 5 # tonnes
'''

NEW = """version = 1

[[license]]
id = 1
material = "dysprosium oxide"
notes = "changed"
items = ["a"]
issued = 2025-11-03

[[license.shipments]]
on = 2025-12-01
quantity = 5

[[license]]
id = 2
material = "terbium metal"
"""


def test_each_comment_goes_beside_what_it_was_beside() -> None:
    written = kept_text.kept(NEW, OLD)
    assert tomllib.loads(written) == tomllib.loads(NEW)
    assert "[[license]]  # the big one\nid = 1\n" in written
    assert 'material = "dysprosium oxide"   # single quotes\n' in written
    assert 'notes = "changed"   # after the note\n' in written
    assert '# the first\nitems = ["a"]\n' in written
    assert "issued = 2025-11-03   # as the letter says\n" in written
    assert "[[license.shipments]] # lot 7\non = 2025-12-01\nquantity = 5 # tonnes\n" in written  # fmt: skip
    # the key is gone, its comment stays in its record, above no other one
    assert "quantity = 5 # tonnes\n# on a key the change removed\n\n[[license]]\nid = 2" in written  # fmt: skip
    assert "inside the note" not in written


def test_a_shipment_comment_stays_with_its_shipment() -> None:
    old = b"[[license]]\nid = 1\n\n[[license.shipments]]\non = 2025-12-01\nquantity = 5\n\n[[license.shipments]]\non = 2026-01-05\nquantity = 7  # short\n"  # fmt: skip
    new = '[[license]]\nid = 1\nnotes = "x"\n\n[[license.shipments]]\non = 2025-12-01\nquantity = 5\n\n[[license.shipments]]\non = 2026-01-05\nquantity = 7\n'  # fmt: skip
    written = kept_text.kept(new, old)
    assert written.endswith("on = 2026-01-05\nquantity = 7  # short\n")


def test_settings_written_out_in_full_keep_their_comments(tmp_path: Path) -> None:
    # A hand-made [settings] without the defaults: the first rewrite writes
    # them all, and the person's comments stay on their keys.
    store = tmp_path / "licenses.toml"
    store.write_text(
        "version = 1\n\n[settings]\n# the board asked for three months\nwarn_days = 90\n\n"
        '[[license]]\nid = 1\nmaterial = "gallium metal"\ndestination = "JP"\n'
        "issued = 2026-01-05\nterm_months = 6\n",
        encoding="utf-8",
    )
    done = licenses_in_process("--store", str(store), "edit", "1", "--note", "x")
    assert done.returncode == 0, done.stderr
    text = store.read_text(encoding="utf-8")
    assert "critical_days" in text  # written out in full
    assert "# the board asked for three months\nwarn_days = 90\n" in text
    assert store_api.read(store).settings.warn_days == 90


def test_a_text_ending_on_a_quote_run_is_read_to_its_end() -> None:
    # """a"""" is the text a": the scan must not take what follows for a string
    old = b'[[license]]\nid = 1\nnotes = """say "hi""""  # greeting\nx = 1  # one\n'
    new = '[[license]]\nid = 1\nnotes = "say \\"hi\\""\nx = 2\n'
    written = kept_text.kept(new, old)
    assert 'notes = "say \\"hi\\""  # greeting\nx = 2  # one\n' in written
    assert tomllib.loads(written) == tomllib.loads(new)
