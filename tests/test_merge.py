"""The three-way merge of stores (domain/merge.py), on documents as tomli reads
them: what each rule keeps, and properties over random base/ours/theirs stores
made by the operations the commands perform (issue 20, "The shared store")."""

from __future__ import annotations

import copy
import typing
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from export_licenses.domain.application import Application
from export_licenses.domain.license import License
from export_licenses.domain.merge import merge_docs
from export_licenses.domain.merge_ids import LICENSE_LINKS
from export_licenses.domain.store_data import validate
from export_licenses.domain.value_codecs import LICENSE_ID
from export_licenses.errors import InvalidStore
from export_licenses.storage import toml_text
from helpers import examples

Doc = dict[str, Any]


def licence(key: int, **fields: Any) -> Doc:
    return {
        "id": key,
        "material": f"material {key}",
        "destination": "US",
        "issued": date(2026, 1, 5),
        "term_months": 6,
        **fields,
    }


def shipment(day: int, amount: float, ident: str | None = None, **more: Any) -> Doc:
    found: Doc = {"on": date(2026, 2, day), "quantity": amount, **more}
    if ident is not None:
        found["id"] = ident
    return found


def store(*licenses: Doc, removed: tuple[int, ...] = (), **top: Any) -> Doc:
    doc: Doc = {"version": 1, "settings": {"warn_days": 90}, **top}
    if licenses:
        doc["license"] = list(licenses)
    if removed:
        doc["removed_ids"] = list(removed)
    return doc


def by_id(doc: Doc) -> dict[Any, Doc]:
    return {row["id"]: row for row in doc.get("license", [])}


BASE = store(licence(1, quantity=1000, unit="kg"))


# --- shipments are events ------------------------------------------------------


def test_identical_shipments_on_two_sides_are_two_shipments() -> None:
    """Issue 20: two sites each ship 100 kg under license 1 on the same day."""
    ours = store(licence(1, quantity=1000, shipments=[shipment(3, 100, "aaaa01")]))
    theirs = store(licence(1, quantity=1000, shipments=[shipment(3, 100, "bbbb02")]))
    merged = merge_docs(BASE, ours, theirs)
    assert merged.conflicts == []
    shipped = by_id(merged.doc)[1]["shipments"]
    assert sorted(s["id"] for s in shipped) == ["aaaa01", "bbbb02"]


def test_a_shipment_removed_on_their_side_is_removed() -> None:
    kept, dropped, new = (
        shipment(1, 10, "k1"),
        shipment(2, 20, "d2"),
        shipment(4, 5, "n3"),
    )
    base = store(licence(1, shipments=[kept, dropped]))
    ours = store(licence(1, shipments=[kept, dropped, new]))
    theirs = store(licence(1, shipments=[kept]))
    merged = merge_docs(base, ours, theirs)
    assert merged.conflicts == []
    assert by_id(merged.doc)[1]["shipments"] == [kept, new]


def test_a_shipment_removed_on_our_side_and_changed_on_theirs_is_a_conflict() -> None:
    old = shipment(1, 10, "s1")
    base = store(licence(1, shipments=[old]))
    ours = store(licence(1))
    theirs = store(licence(1, shipments=[{**old, "note": "by sea"}]))
    merged = merge_docs(base, ours, theirs)
    assert merged.conflicts == [
        "license 1 shipment s1: removed on our side, changed on theirs"
    ]
    assert "shipments" not in by_id(merged.doc)[1]


def test_shipments_without_id_merge_by_their_contents_counted() -> None:
    """Old stores: copies without id are a multiset; each side's removal and
    addition counts, and a rewrite's spelling (10.0 as 10) is the same copy."""
    twin = shipment(1, 10)
    base = store(licence(1, shipments=[twin, twin]))
    ours = store(licence(1, shipments=[twin, shipment(1, 10.0)]))  # rewritten
    theirs = store(licence(1, shipments=[twin]))  # one copy removed
    merged = merge_docs(base, ours, theirs)
    assert merged.conflicts == []
    assert by_id(merged.doc)[1]["shipments"] == [twin]
    added = store(licence(1, shipments=[twin, twin, shipment(2, 5)]))
    merged = merge_docs(base, added, theirs)
    assert by_id(merged.doc)[1]["shipments"] == [twin, shipment(2, 5)]


def test_an_over_draw_is_a_conflict_and_exactly_the_quantity_is_not() -> None:
    ours = store(licence(1, quantity=1000, shipments=[shipment(1, 600, "o1")]))
    exact = store(licence(1, quantity=1000, shipments=[shipment(2, 400, "t1")]))
    assert merge_docs(BASE, ours, exact).conflicts == []
    over = store(licence(1, quantity=1000, shipments=[shipment(2, 401, "t1")]))
    merged = merge_docs(BASE, ours, over)
    said = "license 1: shipments from both sides total 1001, more than its quantity"
    assert merged.conflicts == [f"{said} 1000; ours kept"]
    assert by_id(merged.doc)[1]["shipments"] == [shipment(1, 600, "o1")]


# --- records removed and changed -----------------------------------------------


def test_removed_on_their_side_changed_on_ours_is_a_conflict_ours_kept() -> None:
    ours = store(licence(1, quantity=1000, unit="kg", notes="keep me"))
    theirs = store(removed=(1,))
    merged = merge_docs(BASE, ours, theirs)
    assert merged.conflicts == ["license 1: removed on their side, changed on ours"]
    assert by_id(merged.doc)[1]["notes"] == "keep me"
    # Ours is kept whole: its id is live, so it is not also a removed id.
    assert "removed_ids" not in merged.doc


def test_removed_on_our_side_changed_on_theirs_is_a_conflict_ours_kept() -> None:
    ours = store(removed=(1,))
    theirs = store(licence(1, quantity=1000, unit="kg", notes="changed"))
    merged = merge_docs(BASE, ours, theirs)
    assert merged.conflicts == ["license 1: removed on our side, changed on theirs"]
    assert "license" not in merged.doc
    assert merged.doc["removed_ids"] == [1]


def test_a_license_their_side_removed_is_removed_and_its_id_retired() -> None:
    ours = store(licence(1, quantity=1000, unit="kg"), licence(2))
    theirs = store(removed=(1,))
    merged = merge_docs(BASE, ours, theirs)
    assert merged.conflicts == []
    assert list(by_id(merged.doc)) == [2]
    assert merged.doc["removed_ids"] == [1]


def test_a_remove_taken_back_on_one_side_brings_the_license_back() -> None:
    """undo of `remove 3` merged with the other side: 3 is live again, under
    its own id, and no longer retired."""
    base = store(licence(1), removed=(3,))
    ours = store(licence(1), licence(4), removed=(3,))
    theirs = store(licence(1), licence(3), removed=())
    merged = merge_docs(base, ours, theirs)
    assert merged.conflicts == []
    assert merged.moves == []
    assert list(by_id(merged.doc)) == [1, 3, 4]
    assert "removed_ids" not in merged.doc


# --- ids given on both sides ---------------------------------------------------


def test_their_license_under_an_id_we_gave_and_removed_moves() -> None:
    """Ours added license 2 and removed it: 2 is retired, theirs moves."""
    ours = store(licence(1, quantity=1000, unit="kg"), removed=(2,))
    theirs = store(licence(1, quantity=1000, unit="kg"), licence(2, notes="theirs"))
    merged = merge_docs(BASE, ours, theirs)
    assert merged.conflicts == []
    assert merged.moves == [("2", "3")]
    assert by_id(merged.doc)[3]["notes"] == "theirs"
    assert merged.doc["removed_ids"] == [2]


def test_our_license_under_an_id_they_gave_and_removed_stays_theirs_moves() -> None:
    """The exit-0 merge that left an id both live and removed: ours added
    license 2, theirs added a license 2 and removed it."""
    ours = store(licence(1, quantity=1000, unit="kg"), licence(2, notes="ours"))
    theirs = store(licence(1, quantity=1000, unit="kg"), removed=(2,))
    merged = merge_docs(BASE, ours, theirs)
    assert merged.conflicts == []
    assert by_id(merged.doc)[2]["notes"] == "ours"
    assert merged.doc["removed_ids"] == [3]
    assert merged.moves == [("2", "3")]


def test_licenses_added_on_both_sides_theirs_move_with_their_links() -> None:
    ours = store(licence(1), licence(2, notes="ours"))
    theirs = store(licence(1), licence(2, notes="theirs"), licence(3, renews=2))
    merged = merge_docs(store(licence(1)), ours, theirs)
    assert merged.conflicts == []
    rows = by_id(merged.doc)
    assert (rows[2]["notes"], rows[4]["notes"], rows[3]["renews"]) == (
        "ours",
        "theirs",
        4,
    )
    assert merged.moves == [("2", "4")]
    assert merged.renumbered == ["their license 2 is now license 4"]


def _renumbered_elsewhere() -> tuple[Doc, Doc, Doc]:
    """Base: our license 1 (material 1). Theirs: a merge elsewhere kept 1 for
    its own license and moved ours to 2; their 3 renews it. Ours: since the
    base, we shipped on our 1, noted it, and added license 2 of our own."""
    base = store(licence(1))
    theirs = store(
        licence(1, material="theirs"),
        licence(2, material="material 1"),
        licence(3, renews=2),
    )
    ours = store(
        licence(1, notes="ours", shipments=[shipment(3, 40.0)]),
        licence(2, material="ours too"),
    )
    return base, ours, theirs


def test_changes_follow_a_license_their_side_renumbered() -> None:
    base, ours, theirs = _renumbered_elsewhere()
    merged = merge_docs(base, ours, theirs, {"theirs": [("1", "2")]})
    assert merged.conflicts == []
    rows = by_id(merged.doc)
    assert rows[1] == licence(1, material="theirs")
    assert rows[2] == licence(
        2, material="material 1", notes="ours", shipments=[shipment(3, 40.0)]
    )
    assert rows[3]["renews"] == 2
    assert rows[4]["material"] == "ours too"  # ours, off the id their move took
    assert merged.moves == []  # none of theirs
    assert merged.ours_moved == [("2", "4")]
    assert merged.followed == [("ours", "1", "2")]  # for our history
    assert merged.renumbered == [
        "your license 2 is now license 4: the other side had moved one of its own to 2"
    ]


def test_a_move_said_is_followed_only_where_the_record_is_the_one_moved() -> None:
    """A trailer names ids, and ids are reused across clones: a move whose
    record is not the base's (another clone's license 1) is not made; the
    merge is by id, as without it."""
    base, ours, theirs = _renumbered_elsewhere()
    theirs["license"][1]["material"] = "another"
    said = merge_docs(base, ours, theirs, {"theirs": [("1", "2")]})
    plain = merge_docs(base, ours, theirs)
    assert said == plain


def test_a_move_both_sides_made_is_made_once() -> None:
    base, _, theirs = _renumbered_elsewhere()
    ours = copy.deepcopy(theirs)
    ours["license"][0]["notes"] = "ours"
    moved = {"theirs": [("1", "2")], "ours": [("1", "2")]}
    merged = merge_docs(base, ours, theirs, moved)
    assert merged.conflicts == []
    assert by_id(merged.doc) == by_id(ours)


def test_two_merges_that_moved_different_records_off_one_id() -> None:
    """Three clones each added license 1: one merge moved ours 1 -> 2, a later
    one moved another's 1 -> 3 (audit s9-review, 1). The record decides which
    trailer is ours: our notes follow to 2, not to the third person's 1."""
    base = store(licence(1))
    theirs = store(
        licence(1, material="carl"),
        licence(2, material="material 1"),
        licence(3, material="bob"),
    )
    ours = store(licence(1, notes="ours"))
    merged = merge_docs(base, ours, theirs, {"theirs": [("1", "2"), ("1", "3")]})
    assert merged.conflicts == []
    rows = by_id(merged.doc)
    assert rows[1] == licence(1, material="carl")
    assert rows[2] == licence(2, material="material 1", notes="ours")


def test_a_move_is_followed_after_the_number_was_entered_on_the_moved_license() -> None:
    """The official number, entered on the renumbered license after the move
    (audit s9-review, 2), does not make it another license."""
    base = store(licence(1))
    theirs = store(
        licence(1, material="bob"), licence(2, material="material 1", number="N-1")
    )
    ours = store(licence(1, status="closed"))
    merged = merge_docs(base, ours, theirs, {"theirs": [("1", "2")]})
    rows = by_id(merged.doc)
    assert rows[1] == licence(1, material="bob")
    assert rows[2]["status"] == "closed"
    assert rows[2]["number"] == "N-1"


def test_a_license_removed_after_a_move_retires_its_new_id() -> None:
    """Removed on our side under its old id: retired under the new one, and
    the license that took the old id stays where it is (audit s9-review, 4)."""
    base = store(licence(1))
    theirs = store(licence(1, material="bob"), licence(2, material="material 1"))
    ours = store(removed=(1,))
    merged = merge_docs(base, ours, theirs, {"theirs": [("1", "2")]})
    assert merged.conflicts == []
    assert merged.moves == []
    assert by_id(merged.doc) == {1: licence(1, material="bob")}
    assert merged.doc["removed_ids"] == [2]


def test_applications_added_on_both_sides_theirs_move() -> None:
    app = {"material": "gallium", "destination": "JP", "filed": date(2026, 3, 2)}
    ours = store(licence(1), application=[{"id": "A1", **app, "notes": "ours"}])
    theirs = store(licence(1), application=[{"id": "A1", **app, "notes": "theirs"}])
    merged = merge_docs(store(licence(1)), ours, theirs)
    assert merged.moves == [("A1", "A2")]
    assert [a["notes"] for a in merged.doc["application"]] == ["ours", "theirs"]


def test_a_record_both_sides_added_under_other_ids_is_kept_once() -> None:
    # No base (git's add/add): their A1 and license 1 are our A2 and license 2,
    # field for field once the application's link follows the license.
    app = {"material": "gallium", "destination": "JP", "filed": date(2026, 3, 2)}
    ours = store(
        licence(1),
        licence(2, shipments=[shipment(3, 5.0, "a1b2c3d4e5")]),
        application=[{"id": "A1", **app}, {"id": "A2", **app, "license": 2}],
    )
    theirs = store(
        licence(2, id=1, shipments=[shipment(3, 5.0, "a1b2c3d4e5")]),
        application=[{"id": "A1", **app, "license": 1}],
    )
    merged = merge_docs({}, ours, theirs)
    assert merged.conflicts == []
    assert merged.doc["license"] == ours["license"]
    assert merged.doc["application"] == ours["application"]
    assert merged.moves == [("1", "2"), ("A1", "A2")]


def test_one_field_changed_differently_is_a_conflict_ours_kept() -> None:
    ours = store(licence(1, quantity=1000, unit="kg", destination="CA"))
    theirs = store(licence(1, quantity=1000, unit="kg", destination="MX"))
    merged = merge_docs(BASE, ours, theirs)
    assert merged.conflicts == ['license 1 destination: ours "CA", theirs "MX"']
    assert by_id(merged.doc)[1]["destination"] == "CA"


def test_settings_merge_by_key() -> None:
    ours = {**BASE, "settings": {"warn_days": 60}}
    theirs = {**BASE, "settings": {"warn_days": 90, "critical_days": 10}}
    merged = merge_docs(BASE, ours, theirs)
    assert merged.doc["settings"] == {"warn_days": 60, "critical_days": 10}


# --- properties over random stores ---------------------------------------------

_MATERIALS = ("dysprosium oxide", "terbium metal", "gallium", "germanium")
_DAYS = st.integers(0, 150).map(lambda n: date(2026, 1, 5) + timedelta(days=n))


def _next_id(doc: Doc) -> int:
    return max([*by_id(doc), *doc.get("removed_ids", [])], default=0) + 1


@st.composite
def _base(draw: st.DrawFn) -> Doc:
    doc = store()
    for key in range(1, draw(st.integers(0, 4)) + 1):
        if draw(st.booleans()) and key > 1:
            doc.setdefault("removed_ids", []).append(key)
            continue
        row = licence(key, material=draw(st.sampled_from(_MATERIALS)))
        if draw(st.booleans()):
            row |= {"quantity": 1000, "unit": "kg"}
        ships = [
            shipment(1 + n, 50, draw(st.sampled_from([None, f"b{key}x{n}"])))
            for n in range(draw(st.integers(0, 3)))
        ]
        if ships:
            row["shipments"] = ships
        doc.setdefault("license", []).append(row)
    return doc


def _live(doc: Doc) -> list[Doc]:
    rows: list[Doc] = doc.get("license", [])
    return rows


def _add(draw: st.DrawFn, doc: Doc, side: str) -> None:
    rows, key = _live(doc), _next_id(doc)
    row = licence(key, material=draw(st.sampled_from(_MATERIALS)))
    if draw(st.booleans()):
        row["number"] = f"{side}-{key}-{draw(st.integers(0, 9))}"
    linked = draw(st.booleans())
    if rows and linked:
        row["renews"] = draw(st.sampled_from(rows))["id"]
    doc.setdefault("license", []).append(row)


def _remove(draw: st.DrawFn, doc: Doc, _: str) -> None:
    rows = _live(doc)
    row = draw(st.sampled_from(rows))
    rows.remove(row)
    doc["removed_ids"] = sorted([*doc.get("removed_ids", []), row["id"]])
    for other in rows:  # a link to a removed license goes with it
        if other.get("renews") == row["id"]:
            del other["renews"]


def _edit(draw: st.DrawFn, doc: Doc, side: str) -> None:
    row = draw(st.sampled_from(_live(doc)))
    field = draw(st.sampled_from(["material", "destination", "notes"]))
    choices = ["DE", "JP", "FR"] if field == "destination" else [*_MATERIALS, side]
    row[field] = draw(st.sampled_from(choices))


def _ship(draw: st.DrawFn, doc: Doc, _: str) -> None:
    """``ship``: a new id, within the quantity left (or a copy without id, as a
    person adds one by hand)."""
    row = draw(st.sampled_from(_live(doc)))
    taken = {s.get("id") for s in row.get("shipments", [])}
    ident = draw(
        st.sampled_from([None, "hand"])
        | st.text("0123456789abcdef", min_size=4, max_size=4)
    )
    amount = draw(st.sampled_from([50, 100, 250, 500]))
    shipped = sum(s["quantity"] for s in row.get("shipments", []))
    if ident not in taken and shipped + amount <= row.get("quantity", shipped + amount):
        day = draw(st.integers(1, 3))
        made = shipment(day, amount, None if ident == "hand" else ident)
        row.setdefault("shipments", []).append(made)


def _unship(draw: st.DrawFn, doc: Doc, _: str) -> None:
    row = draw(st.sampled_from(_live(doc)))
    if row.get("shipments"):
        row["shipments"].pop(draw(st.integers(0, len(row["shipments"]) - 1)))
        if not row["shipments"]:
            del row["shipments"]


def _setting(draw: st.DrawFn, doc: Doc, _: str) -> None:
    doc["settings"]["warn_days"] = draw(st.sampled_from([30, 60, 120]))


_OPERATIONS = (_add, _remove, _edit, _ship, _unship, _setting)


def _apply(draw: st.DrawFn, doc: Doc, side: str) -> None:
    """One command's change, as the tool makes it (the store stays valid)."""
    operation = draw(st.sampled_from(_OPERATIONS)) if _live(doc) else _add
    operation(draw, doc, side)


@st.composite
def _side(draw: st.DrawFn, base: Doc, side: str) -> Doc:
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(0, 5))):
        _apply(draw, doc, side)
    return doc


@st.composite
def _three(draw: st.DrawFn) -> tuple[Doc, Doc, Doc]:
    base = draw(_base())
    return base, draw(_side(base, "ours")), draw(_side(base, "theirs"))


def _named(conflicts: list[str], key: Any) -> bool:
    return any(c.startswith((f"license {key} ", f"license {key}:")) for c in conflicts)


def _ship_ids(row: Doc | None) -> set[str]:
    return {s["id"] for s in (row or {}).get("shipments", []) if "id" in s}


def _no_loss(
    base: Doc, side: Doc, merged: Any, moves: dict[int, int], other: dict[Any, Doc]
) -> None:
    """What ``side`` added, changed or removed is so in the result, or a
    conflict names it (``other``: the other side's licenses)."""
    was, now, out = by_id(base), by_id(side), by_id(merged.doc)
    for key, row in now.items():
        new = moves.get(key, key)
        old = was.get(key, {}) if new == key else {}
        if row == old or _named(merged.conflicts, new):
            continue
        assert new in out, (key, new, merged)
        for field, value in row.items():
            if field in {"id", "shipments"} or value == old.get(field):
                continue
            expected = moves.get(value, value) if field == "renews" else value
            assert out[new].get(field) == expected, (key, field, merged)
        added = _ship_ids(row) - _ship_ids(old)
        assert added <= _ship_ids(out[new]), (key, added, merged)
        assert not (_ship_ids(old) - _ship_ids(row)) & _ship_ids(out[new])
        _copies_kept(old, row, other.get(key, {}) if new == key else {}, out[new])
    for key in set(was) - set(now):  # removed by this side
        if not _named(merged.conflicts, key):
            assert key not in out, (key, merged)
            assert key in merged.doc.get("removed_ids", []), (key, merged)


def _copies(row: Doc) -> Counter[str]:
    return Counter(repr(s) for s in row.get("shipments", []) if "id" not in s)


def _copies_kept(old: Doc, row: Doc, other: Doc, out: Doc) -> None:
    """Shipments without id: the copies a side added are there, and those it
    removed are gone, less what the other side did to the same copies."""
    was, mine, their, got = _copies(old), _copies(row), _copies(other), _copies(out)
    for key in was | mine:
        if mine[key] > was[key]:
            assert got[key] >= mine[key] - max(was[key] - their[key], 0), (key, out)
        if mine[key] < was[key]:
            assert got[key] <= mine[key] + max(their[key] - was[key], 0), (key, out)


def _ours_kept(ours: Doc, merged: Any) -> None:
    """Where a field is a conflict, ours is kept."""
    out = by_id(merged.doc)
    for key, row in by_id(ours).items():
        for field in row:
            if any(c.startswith(f"license {key} {field}:") for c in merged.conflicts):
                assert out[key].get(field) == row[field], (key, field, merged)


def _drawn_within(doc: Doc) -> None:
    for row in _live(doc):
        if "quantity" in row:
            total = sum(s["quantity"] for s in row.get("shipments", []))
            assert total <= row["quantity"], row


def _ids_sound(doc: Doc) -> None:
    ids = [row["id"] for row in _live(doc)]
    assert len(ids) == len(set(ids)), ids
    assert not set(ids) & set(doc.get("removed_ids", [])), doc
    for row in _live(doc):
        shipped = [s["id"] for s in row.get("shipments", []) if "id" in s]
        assert len(shipped) == len(set(shipped)), row


def _normal(doc: Doc) -> Doc:
    """A document as the merge lays it out: records by id, every table there."""
    out = {k: v for k, v in doc.items() if k not in {"license", "removed_ids"}}
    out.setdefault("settings", {})
    rows = sorted(_live(doc), key=lambda r: r["id"])
    if rows:
        out["license"] = rows
    if doc.get("removed_ids"):
        out["removed_ids"] = sorted(doc["removed_ids"])
    return out


@settings(
    max_examples=examples(600),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(_three())
def test_merge_properties_over_random_stores(sides: tuple[Doc, Doc, Doc]) -> None:
    base, ours, theirs = sides
    merged = merge_docs(copy.deepcopy(base), copy.deepcopy(ours), copy.deepcopy(theirs))
    moves = {int(old): int(new) for old, new in merged.moves}
    _no_loss(base, ours, merged, {}, by_id(theirs))
    _no_loss(base, theirs, merged, moves, by_id(ours))
    _ours_kept(ours, merged)
    _ids_sound(merged.doc)
    if not merged.conflicts:
        validate(merged.doc, Path("merged.toml"))
        _drawn_within(merged.doc)
    # Merging with an unchanged side gives the other side.
    for changed in (ours, theirs):
        alone = merge_docs(copy.deepcopy(base), copy.deepcopy(changed), base)
        assert alone.conflicts == []
        assert alone.doc == _normal(changed)
        other = merge_docs(copy.deepcopy(base), base, copy.deepcopy(changed))
        assert other.conflicts == []
        assert other.doc == _normal(changed)


# --- shipment ids in the store ---------------------------------------------------


def test_a_shipment_without_id_reads_and_rewrites_as_it_is() -> None:
    doc = store(licence(1, shipments=[shipment(1, 10), shipment(1, 10, "ab12")]))
    data = validate(doc, Path("old.toml"))
    assert [s.id for s in data.licenses[0].shipments] == [None, "ab12"]
    text = toml_text.dumps(data)
    assert "{ on = 2026-02-01, quantity = 10 }," in text
    assert '{ on = 2026-02-01, quantity = 10, id = "ab12" },' in text


def test_a_shipment_id_used_twice_in_a_license_is_refused() -> None:
    twice = store(
        licence(1, shipments=[shipment(1, 10, "ab12"), shipment(2, 5, "ab12")])
    )
    with pytest.raises(InvalidStore, match=r"shipments #2 id: 'ab12' is used twice"):
        validate(twice, Path("s.toml"))
    with pytest.raises(InvalidStore, match=r"shipments #1 id: expected a short id"):
        validate(store(licence(1, shipments=[shipment(1, 10, ident=7)])), Path("s"))  # type: ignore[arg-type]


def test_every_field_that_names_a_license_follows_its_move() -> None:
    """Both sides added license 2, and theirs filed a change of it (the
    application's ``changes``; a key change's ``replaces``; the license that
    replaced it): when their 2 becomes 3, each link follows, or a grant of
    their change would change our license 2 (``changes`` and ``replaces``, added
    with ``licenses change``, did not follow)."""
    app = {"material": "gallium", "destination": "JP", "filed": date(2026, 3, 2)}
    ours = store(licence(1), licence(2, notes="ours"))
    theirs = store(
        licence(1),
        licence(2, notes="theirs", status="suspended"),
        licence(3, notes="replacement", replaces=2),
        application=[
            {"id": "A1", **app, "changes": 2},
            {"id": "A2", **app, "replaces": 2},
        ],
    )
    merged = merge_docs(store(licence(1)), ours, theirs)
    assert merged.conflicts == []
    assert merged.moves == [("2", "4")]
    rows = by_id(merged.doc)
    assert (rows[2]["notes"], rows[4]["notes"], rows[3]["replaces"]) == (
        "ours",
        "theirs",
        4,
    )
    links = [(a.get("changes"), a.get("replaces")) for a in merged.doc["application"]]
    assert links == [(4, None), (None, 4)]


def test_the_merge_follows_every_field_the_records_declare_a_license_id() -> None:
    """A field added later that names a license is followed by the merge too."""
    declared = set()
    for model in (License, Application):
        hints = typing.get_type_hints(model, include_extras=True)
        for name, hint in hints.items():
            meta = getattr(hint, "__metadata__", ())
            if name != "id" and any(
                m is LICENSE_ID or getattr(m, "codec", None) is LICENSE_ID for m in meta
            ):
                declared.add(name)
    assert {"renews", "superseded_by", "license"} <= declared  # the test reads them
    assert declared <= set(LICENSE_LINKS), declared - set(LICENSE_LINKS)
